#!/bin/sh
# t/bench/run.sh BUILD [REV] — `make bench`: mod_geotag against plain static
# serving and the filters a site would otherwise use, side by side in one run.
#
#   1. engine throughput (t/bench-engine.sh)
#   2. Apache: req/s and server CPU µs per request, wrk on loopback, c=16,
#      keep-alive; httpd pinned to core 0, the client to core 1
#   3. memory: anonymous RSS growth of the child serving a 100 MB page
#   4. latency: added time to first byte on a slowly streamed CGI page
#   5. startup: dictionary load time and memory (default, +100k names)
#
# Knobs (environment): BENCH_DURATION (s per wrk run, default 5),
# BENCH_REPS (default 3), BENCH_PERF=0 (skip the profiles), BENCH_TTFB_N
# (requests with and without GEOTAG in the latency test, default 20),
# BENCH_KEEP=DIR (copy the raw results and logs there), BENCH_SERVE=SECONDS
# (debugging: start the servers, run the checks, keep them up that long),
# BENCH_ENGINE_PAIRS (with REV: runs of each side per engine cell, default 3).
#
# With REV (a git revision; make bench BEFORE=REV), REV's module and
# bench_engine are built beside the tree (t/bench/build-rev.sh).  The engine
# cells run both (t/bench-engine.sh BUILD REV), and two more servers load
# REV's module, with REV's dictionary and language packs: ncB, like nc
# (GeoTagCache none), for b before, and mainB, like main, for c before,
# each with its own static cell as the baseline.  The report puts them
# beside b and c, with after/before.
# Needs: apache2 (+ apache2-utils), wrk, curl, perl, GNU time; root or not
# (as root the children run as nobody). Everything runs on 127.0.0.1, in a
# mktemp directory, and the private httpds are stopped on exit.
set -eu

build=${1:-build}
rev=${2:-}
dur=${BENCH_DURATION:-5}
reps=${BENCH_REPS:-3}
conc=16
mods=/usr/lib/apache2/modules
apache=/usr/sbin/apache2
sample=t/htdocs/samples/it-analisi.html
# a real news page as its site served it (the corpus beside the project):
# what a typical article costs, next to the mention-dense sample
shared=${GEOTAG_SHARED:-../shared}
real="$shared/corpus/pages/fundus/it/CorriereDellaSera_2025_02_04.html.gz"
started=$(date +%s)

for f in "$build/bench_engine" "$build/geotag" .libs/mod_geotag.so "$sample" \
         t/conf/private-httpd.conf.tmpl t/bench/bench.conf.tmpl; do
    [ -e "$f" ] || { echo "run.sh: $f missing (run make bench)" >&2; exit 2; }
done
for c in wrk ab curl perl taskset "$apache"; do
    command -v "$c" >/dev/null 2>&1 || { echo "run.sh: $c not found (sh t/deps.sh bench)" >&2; exit 2; }
done
if [ "$(nproc)" -lt 2 ]; then
    echo "run.sh: needs 2 cores (server on core 0, client on core 1)" >&2
    exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/geotag-bench.XXXXXX")
chmod 755 "$tmp"        # the children (nobody, when run as root) read the pages
bg_pids=""
server_pids=""
servers="nc main replay"

stop_server() {         # PID: TERM, then wait (bounded), then KILL
    kill -TERM "$1" 2>/dev/null || return 0
    i=0
    while kill -0 "$1" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    kill -KILL "$1" 2>/dev/null || true
}
cleanup() {
    set +e
    for p in $bg_pids; do kill -TERM "$p" 2>/dev/null; done
    for p in $server_pids; do stop_server "$p"; done
    if [ -n "${BENCH_KEEP:-}" ]; then
        mkdir -p "$BENCH_KEEP" && cp -r "$tmp/results" "$BENCH_KEEP"/ 2>/dev/null
        for s in $servers; do cp "$tmp/$s/error_log" "$BENCH_KEEP/error_log.$s" 2>/dev/null; done
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

R="$tmp/results"
mkdir -p "$R"
clk=$(getconf CLK_TCK)
echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores; $(date -u '+%Y-%m-%d %H:%M UTC')" | tee "$R/machine"
echo "httpd: $($apache -v | sed -n 's/^Server version: //p'); wrk $(wrk --version 2>&1 | head -1 | awk '{print $2}'); CLK_TCK $clk"
if git rev-parse --short HEAD >/dev/null 2>&1; then
    echo "tree: $(git rev-parse --short HEAD), $(git status --porcelain --untracked-files=no | wc -l) files changed since" | tee "$R/tree"
fi

# REV's build, beside the tree: the before side of the engine and of b and c
before=""
if [ -n "$rev" ]; then
    before="$tmp/before"
    sh t/bench/build-rev.sh "$rev" "$before" build/bench_engine module
    echo "before: $rev ($(git rev-parse --short "$rev")), built in $before" | tee "$R/before"
    servers="$servers ncB mainB"
fi

# ---------------------------------------------------------------- 1. engine
if [ -z "${BENCH_SERVE:-}" ]; then
    echo
    echo "== 1. engine (t/bench-engine.sh)"
    BENCH_BEFORE_TREE="$before" sh t/bench-engine.sh "$build" ${rev:+"$rev"} | tee "$R/engine"
fi

# ---------------------------------------------------------------- pages
pages="$tmp/pages"
tagged="$tmp/tagged"
mkdir -p "$pages" "$tagged" "$tmp/conf"
cp "$sample" "$pages/p16k.html"
perl t/bench/mkpage.pl "$sample" 50000 > "$pages/p50k.html"
perl t/bench/mkpage.pl "$sample" 500000 > "$pages/p500k.html"
perl t/bench/mkpage.pl "$sample" 1000000 > "$pages/slow1m.html"
perl t/bench/mkpage.pl "$sample" 100000000 > "$pages/p100m.html"
perl t/bench/mkpage.pl "$sample" 100000000 sparse > "$pages/s100m.html"
page_list="p16k p50k p500k"
if [ -f "$real" ]; then
    gzip -dc "$real" > "$pages/real.html"
    page_list="$page_list real"
else
    echo "(no $real: the real page's rows are left out)"
fi
chmod 644 "$pages"/*
# an mtime in the past: httpd gives a file changed in the last second a
# weak ETag, and mod_geotag (rightly) caches nothing under a weak validator
touch -d '2024-01-01 00:00:00' "$pages"/*

# the module and its dictionary are copied, so a rebuild in the tree while
# the benchmark runs cannot pull the .so from under the running httpd
cp .libs/mod_geotag.so "$tmp/mod_geotag.so"
cp conf/gazetteer.xml conf/gazetteer.rng "$tmp/conf/"
mkdir -p "$tmp/conf/lang" && cp conf/lang/*.xml "$tmp/conf/lang/"

user_line=""
[ "$(id -u)" -eq 0 ] && user_line="User nobody
Group nogroup"
load_modules=""
for m in mpm_event authz_core authz_host mime headers alias env filter substitute \
         xml2enc proxy_html deflate cgid socache_shmcb; do
    load_modules="$load_modules${load_modules:+
}LoadModule ${m}_module $mods/mod_$m.so"
done

free_port() {
    perl -MIO::Socket::INET -e '
        my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => 0,
                                      Listen => 1, ReuseAddr => 1) or die "no port: $!\n";
        print $s->sockport, "\n"'
}

# server NAME CACHE [MEMORY [TREE]]: write its configuration and start it
# on core 0; sets port_NAME and pid_NAME.  MEMORY is GeoTagCacheMemory (8M,
# the default of a threaded MPM, unless said).  TREE (REV's build, for the
# before servers) gives the module, the dictionary and the language packs
# in place of this tree's.
start_server() {
    name=$1 cache=$2 memory=${3:-8M} tree=${4:-}
    so="$tmp/mod_geotag.so" dict="$tmp/conf/gazetteer.xml" top=$(pwd)
    if [ -n "$tree" ]; then
        so="$tree/.libs/mod_geotag.so" dict="$tree/conf/gazetteer.xml" top=$tree
    fi
    root="$tmp/$name"
    mkdir -p "$root/run" "$root/cgi"
    cp t/bench/slowcgi.pl "$root/cgi/slow.pl"
    chmod 755 "$root" "$root/cgi" "$root/cgi/slow.pl"
    # the substitute cells' names come from the starter dictionary (the
    # bench fixture): its first 30 names are the ones the sample pages use,
    # as a site's own hand-written rules would be; the generated world
    # dictionary begins with Afghanistan
    perl t/bench/substitute-rules.pl t/bench/gazetteer-156.xml 30 > "$root/sub30.conf" 2>/dev/null
    perl t/bench/substitute-rules.pl t/bench/gazetteer-156.xml 1000 > "$root/sub1000.conf" 2>"$R/sub1000.note"
    port=$(free_port)
    [ "$cache" = shmcb ] && cache="\"shmcb:$root/run/geotag-cache(16777216)\""
    # the common part of every private httpd, then the bench's own
    export TMPL_PURPOSE="t/bench/run.sh: the $name server of make bench" \
        TMPL_DIR="$root" TMPL_TOP="$top" TMPL_SERVER_NAME=127.0.0.1 \
        TMPL_LISTEN="Listen 127.0.0.1:$port" TMPL_LOG_LEVEL=warn \
        TMPL_USER="$user_line" TMPL_LOAD_MODULES="$load_modules" \
        TMPL_MODULE_SO="$so" TMPL_DICTIONARY="$dict" \
        TMPL_ROOT="$root" TMPL_TMP="$tmp" TMPL_DOCROOT="$pages" TMPL_TAGGED="$tagged" \
        TMPL_SLOWPAGE="$pages/slow1m.html" TMPL_CACHE="$cache" TMPL_MEMORY="$memory"
    { sh t/conf/fill.sh t/conf/private-httpd.conf.tmpl
      sh t/conf/fill.sh t/bench/bench.conf.tmpl; } > "$root/httpd.conf"
    if [ "$(id -u)" -eq 0 ]; then chown -R nobody "$root/run"; fi
    "$apache" -f "$root/httpd.conf" -t >"$root/configtest.log" 2>&1 || {
        cat "$root/configtest.log" >&2; exit 1; }
    taskset -c 0 "$apache" -f "$root/httpd.conf" -DFOREGROUND &
    pid=$!
    server_pids="$server_pids $pid"
    i=0
    until curl -s -o /dev/null "http://127.0.0.1:$port/static/p16k.html"; do
        i=$((i + 1))
        if [ $i -ge 100 ] || ! kill -0 "$pid" 2>/dev/null; then
            echo "run.sh: httpd $name did not start:" >&2
            cat "$root/error_log" >&2
            exit 1
        fi
        sleep 0.1
    done
    eval "port_$name=$port pid_$name=$pid"
}

# CPU ticks of a server: every process (the parent, including children it
# reaped, and the live children); the server is pinned to core 0
server_ticks() {
    { cat "/proc/$1/stat"
      for c in $(ps -o pid= --ppid "$1"); do cat "/proc/$c/stat" 2>/dev/null || true; done
    } | awk -v p="$1" '{ s += $14 + $15; if ($1 == p) s += $16 + $17 } END { print s + 0 }'
}
# the serving child (the one with threads; mod_cgid's daemon has one)
worker_pid() {
    best="" max=0
    for c in $(ps -o pid= --ppid "$1"); do
        n=$(awk '/^Threads:/ {print $2}' "/proc/$c/status" 2>/dev/null || echo 0)
        if [ "${n:-0}" -gt "$max" ]; then max=$n best=$c; fi
    done
    echo "$best"
}
port_of() { eval "echo \$port_$1"; }     # SERVER: its port
status_counter() {      # PORT KEY: a counter of /geotag-status?json
    curl -s "http://127.0.0.1:$1/geotag-status?json" |
        perl -ne 'print "$1\n" if /"\Q'"$2"'\E"\s*:\s*(\d+)/' | head -1
}

echo
echo "== 2. Apache"
start_server nc none
start_server main shmcb
start_server replay shmcb 0
if [ -n "$rev" ]; then
    start_server ncB none 8M "$before"
    start_server mainB shmcb 8M "$before"
fi
for s in $servers; do eval "worker_$s=\$(worker_pid \"\$pid_$s\")"; done
echo "servers: nc (GeoTagCache none) on :$port_nc, main (GeoTagCache shmcb) on :$port_main, replay (shmcb, GeoTagCacheMemory 0) on :$port_replay, pinned to core 0; clients on core 1"
if [ -n "$rev" ]; then
    echo "before servers, $rev's module: ncB (GeoTagCache none) on :$(port_of ncB), mainB (GeoTagCache shmcb) on :$(port_of mainB)"
fi

# cells: NAME SERVER PREFIX [HEADER]; c' (c_r) is a hit replayed from the
# shared cache every time (no child memory), against its own static a_r
cells="a:main:static b:nc:geotag c:main:geotag d30:main:sub30 d1000:main:sub1000 e:main:proxyhtml f:main:deflate g:main:tagged a_nc:nc:static c_r:replay:geotag a_r:replay:static"
# b and c before (REV's module), each against the static cell of its server
[ -z "$rev" ] || cells="$cells bB:ncB:geotag a_ncB:ncB:static cB:mainB:geotag aB:mainB:static"

fetch() {               # URL OUT [HEADER] -> prints code size time
    if [ -n "${3:-}" ]; then
        curl -s -H "$3" -o "$2" -w '%{http_code} %{size_download} %{time_total}\n' "$1"
    else
        curl -s -o "$2" -w '%{http_code} %{size_download} %{time_total}\n' "$1"
    fi
}
fail=0
check() {               # DESCRIPTION STATUS (0 = ok)
    if [ "$2" -eq 0 ]; then echo "  ok    $1"; else echo "  FAIL  $1"; fail=$((fail + 1)); fi
    printf '%s\t%s\n' "$2" "$1" >> "$R/checks"
}
same() { if cmp -s "$1" "$2"; then echo 0; else echo 1; fi; }
as_on() {               # FILE SERVER OTHER: FILE from SERVER, with OTHER's port in its URLs
    sed "s/127\.0\.0\.1:$(port_of "$2")/127.0.0.1:$(port_of "$3")/g" "$1"
}
v="$tmp/verify"
mkdir -p "$v"

# the checks of b and c on page $p (orig: its file), for this tree's
# servers and for the before ones
check_b() {             # CELL SERVER NAME: GEOTAG, cache none: tagged, unwraps to the file's bytes
    bcode=$(fetch "http://127.0.0.1:$(port_of "$2")/geotag/$p.html" "$v/$1.$p" | cut -d ' ' -f 1)
    bok=1; perl t/bench/check.pl tagged "$orig" "$v/$1.$p" >"$v/$1.$p.note" 2>&1 && bok=0
    check "$3 $p: 200, tagged ($(cat "$v/$1.$p.note")), unwraps to the file's bytes" $(( bok + (bcode != 200) ))
}
check_c() {             # CELL SERVER NAME: the first request tags and stores (miss), the second replays (hit)
    cport=$(port_of "$2")
    h0=$(status_counter "$cport" cache_hits)
    fetch "http://127.0.0.1:$cport/geotag/$p.html" "$v/${1}miss.$p" >/dev/null
    ccode=$(fetch "http://127.0.0.1:$cport/geotag/$p.html" "$v/$1.$p" | cut -d ' ' -f 1)
    h1=$(status_counter "$cport" cache_hits)
    h0=${h0:-0} h1=${h1:-0}
    check "$3 $p: a repeated request is a cache hit (hits +$((h1 - h0))), same bytes as the miss" \
        $(( $(same "$v/${1}miss.$p" "$v/$1.$p") + (ccode != 200) + (h1 - h0 != 1) ))
}

echo "checks (each cell really does what it says):"
for p in $page_list; do
    orig="$pages/$p.html"
    set -- $(fetch "http://127.0.0.1:$port_main/static/$p.html" "$v/a.$p")
    check "a $p: 200, the file's bytes" $(( $(same "$orig" "$v/a.$p") + ($1 != 200) ))
    check_b b nc b
    check_c c main c
    as_on "$v/b.$p" nc main > "$v/b-port.$p"
    check "b = c $p: the same bytes from both servers (port aside)" $(same "$v/b-port.$p" "$v/c.$p")
    if [ -n "$rev" ]; then
        check_b bB ncB "b before"
        check_c cB mainB "c before"
        as_on "$v/bB.$p" ncB mainB > "$v/bB-port.$p"
        check "b = c before $p: the same bytes from both before servers (port aside)" \
            $(same "$v/bB-port.$p" "$v/cB.$p")
        # not a check: a change may well alter the output
        as_on "$v/bB.$p" ncB nc > "$v/bB-nc.$p"
        if cmp -s "$v/bB-nc.$p" "$v/b.$p"; then
            echo "b before $p: the same bytes as b (port aside)"
        else
            echo "b before $p: not b's bytes ($(wc -c < "$v/bB.$p") bytes, b $(wc -c < "$v/b.$p"))"
        fi | tee -a "$R/before.notes" | sed 's/^/  note  /'
        fetch "http://127.0.0.1:$(port_of ncB)/static/$p.html" "$v/a_ncB.$p" >/dev/null
        fetch "http://127.0.0.1:$(port_of mainB)/static/$p.html" "$v/aB.$p" >/dev/null
    fi
    # c': a miss, then replays only (the replay server keeps nothing in memory)
    fetch "http://127.0.0.1:$port_replay/geotag/$p.html" /dev/null >/dev/null
    for i in 1 2 3; do
        set -- $(fetch "http://127.0.0.1:$port_replay/geotag/$p.html" "$v/c_r.$p")
    done
    crcode=$1
    as_on "$v/c_r.$p" replay main > "$v/c_r-port.$p"
    mem=$(status_counter "$port_replay" cache_memory_hits)
    check "c' $p: the third replay has the hit's bytes (port aside), none from memory (memory hits ${mem:-?})" \
        $(( $(same "$v/c_r-port.$p" "$v/c.$p") + (crcode != 200) + (${mem:-1} != 0) ))
    fetch "http://127.0.0.1:$port_replay/static/$p.html" "$v/a_r.$p" >/dev/null
    cp "$v/c.$p" "$tagged/$p.html"
    chmod 644 "$tagged/$p.html"
    touch -d '2024-01-01 00:00:00' "$tagged/$p.html"
    set -- $(fetch "http://127.0.0.1:$port_main/tagged/$p.html" "$v/g.$p")
    check "g $p: 200, the tagged bytes as a static file" $(( $(same "$v/c.$p" "$v/g.$p") + ($1 != 200) ))
    for d in 30 1000; do
        set -- $(fetch "http://127.0.0.1:$port_main/sub$d/$p.html" "$v/d$d.$p")
        n=$(grep -o '<span>' "$v/d$d.$p" | wc -l)
        check "d$d $p: 200, $n names wrapped in <span>" $(( ($1 != 200) + (n == 0) ))
    done
    set -- $(fetch "http://127.0.0.1:$port_main/proxyhtml/$p.html" "$v/e.$p")
    eok=1; perl t/bench/check.pl proxyhtml "$orig" "$v/e.$p" >"$v/e.$p.note" 2>&1 && eok=0
    check "e $p: 200, re-serialized by mod_proxy_html ($(cat "$v/e.$p.note"))" $(( eok + ($1 != 200) ))
    set -- $(fetch "http://127.0.0.1:$port_main/deflate/$p.html" "$v/f.$p" "Accept-Encoding: gzip")
    fcode=$1 fsize=$2
    gzip -dc "$v/f.$p" > "$v/f-plain.$p" 2>/dev/null || true
    check "f $p: 200, gzip ($fsize bytes) that inflates to the file's bytes" \
        $(( $(same "$v/f-plain.$p" "$orig") + (fcode != 200) ))
    cp "$v/a.$p" "$v/a_nc.$p"
    for c in a b c d30 d1000 e f g a_nc c_r a_r ${rev:+bB a_ncB cB aB}; do
        printf '%s\t%s\t%s\n' "$c" "$p" "$(wc -c < "$v/$c.$p")" >> "$R/sizes"
    done
done
perl t/bench/check.pl proxyhtml-example "$pages/p16k.html" "$v/e.p16k" > "$R/proxyhtml.example" 2>&1 || true
sed 's/^/  /' "$R/proxyhtml.example"

if [ -n "${BENCH_SERVE:-}" ]; then   # debugging: keep the servers up a while
    echo "serving for $BENCH_SERVE s: $tmp (nc :$port_nc, main :$port_main, replay :$port_replay)"
    [ -z "$rev" ] || echo "  and the before servers: ncB :$(port_of ncB), mainB :$(port_of mainB)"
    sleep "$BENCH_SERVE" &
    bg_pids="$bg_pids $!"
    wait $! || true
    exit 0
fi

# The slow cells (one request takes more than 5 ms) run a fixed number of
# requests with ab (wrk's fixed duration would leave requests unfinished
# whose CPU is counted); n = 16 x k, about BENCH_DURATION s of server time.
tool_for() {            # CELL PAGE -> "wrk" or "ab N"
    t=$(awk -v c="$1" -v p="$2" '$1 == c && $2 == p { print $3 }' "$R/probe")
    awk -v t="${t:-0}" -v d="$dur" -v c="$conc" 'BEGIN {
        if (t <= 0.005) { print "wrk"; exit }
        k = int(d / (c * t) + 0.5); if (k < 1) k = 1; print "ab " k * c }'
}

# one measurement: SERVER-PID PORT PATH TOOL [N] [HEADER] -> appends a result line
measure() {
    cell=$1 page=$2 rep=$3 spid=$4 port=$5 path=$6 tool=$7 n=$8 hdr=$9
    url="http://127.0.0.1:$port$path"
    out="$tmp/run.out"
    t0=$(server_ticks "$spid")
    if [ "$tool" = wrk ]; then
        if [ -n "$hdr" ]; then
            taskset -c 1 wrk -t1 -c$conc -d${dur}s --timeout 60s -H "$hdr" "$url" > "$out" 2>&1 || true
        else
            taskset -c 1 wrk -t1 -c$conc -d${dur}s --timeout 60s "$url" > "$out" 2>&1 || true
        fi
        t1=$(server_ticks "$spid")
        set -- $(awk '/ requests in / { r = $1; s = $4; sub(/,$/, "", s)
                                        if (s ~ /ms$/) { sub(/ms$/, "", s); s /= 1000 }
                                        else if (s ~ /m$/) { sub(/m$/, "", s); s *= 60 }
                                        else sub(/s$/, "", s) }
                      /Non-2xx/ { e += $NF }
                      /Socket errors/ { gsub(",", ""); e += $4 + $8 + $10; c += $6 }
                      END { print r + 0, s + 0, e + 0, c + 0 }' "$out")
    else
        if [ -n "$hdr" ]; then
            taskset -c 1 ab -q -k -n "$n" -c $conc -s 300 -H "$hdr" "$url" > "$out" 2>&1 || true
        else
            taskset -c 1 ab -q -k -n "$n" -c $conc -s 300 "$url" > "$out" 2>&1 || true
        fi
        t1=$(server_ticks "$spid")
        set -- $(awk '/^Complete requests:/ { r = $3 } /^Time taken for tests:/ { s = $5 }
                      /^Failed requests:/ { e += $3 } /^Non-2xx responses:/ { e += $3 }
                      END { print r + 0, s + 0, e + 0, 0 }' "$out")
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$cell" "$page" "$rep" "$tool" "$1" "$2" $((t1 - t0)) "$3" "$4" >> "$R/runs"
    if [ "$1" -eq 0 ]; then echo "  $cell $page: no request completed:"; sed 's/^/    /' "$out"; fi
}

cell_target() {         # CELL: sets srv prefix spid port hdr
    for ct in $cells; do
        [ "${ct%%:*}" = "$1" ] || continue
        rest=${ct#*:}; srv=${rest%%:*}; prefix=${rest#*:}
    done
    eval "spid=\$pid_$srv port=\$port_$srv"
    hdr=""; [ "$1" = f ] && hdr="Accept-Encoding: gzip" || true
}

run_cell() {            # CELL PAGE REP (REP 0 = warm-up, 1 s, not recorded)
    cell_target "$1"
    set -- "$1" "$2" "$3" $(tool_for "$1" "$2")
    tool=$4 n=${5:-0}
    if [ "$3" -eq 0 ]; then
        [ "$tool" = wrk ] || return 0
        save=$dur; dur=1
        measure "$1" "$2" 0 "$spid" "$port" "/$prefix/$2.html" wrk 0 "$hdr"
        dur=$save
        return 0
    fi
    measure "$1" "$2" "$3" "$spid" "$port" "/$prefix/$2.html" "$tool" "$n" "$hdr"
}

cell_names="a b c d30 d1000 e f g a_nc a_r c_r"
# the before cells next to theirs, so that both meet the machine in the same state
[ -z "$rev" ] || cell_names="a b bB c cB d30 d1000 e f g a_nc a_ncB a_r c_r aB"
# one request alone, twice per cell: the second's time picks the tool
: > "$R/probe"
for p in $page_list; do
    for c in $cell_names; do
        cell_target "$c"
        for i in 1 2; do
            set -- $(fetch "http://127.0.0.1:$port/$prefix/$p.html" /dev/null "$hdr")
        done
        printf '%s\t%s\t%s\n' "$c" "$p" "$3" >> "$R/probe"
    done
done
# b and its before cell, c and its, run with the same tool and count: the
# slower probe's
if [ -n "$rev" ]; then
    awk -F '\t' -v OFS='\t' '{ t[$1, $2] = $3; c[NR] = $1; p[NR] = $2 }
        END { mate["b"] = "bB"; mate["bB"] = "b"; mate["c"] = "cB"; mate["cB"] = "c"
              for (n = 1; n <= NR; n++) {
                  v = t[c[n], p[n]]
                  if ((c[n] in mate) && t[mate[c[n]], p[n]] > v) v = t[mate[c[n]], p[n]]
                  print c[n], p[n], v } }' "$R/probe" > "$R/probe.pairs"
    mv "$R/probe.pairs" "$R/probe"
fi
hits0=$(status_counter "$port_main" cache_hits)
miss0=$(status_counter "$port_main" cache_misses)
echo "warm-up (1 s per fast cell) ..."
for p in $page_list; do for c in $cell_names; do run_cell "$c" "$p" 0; done; done
: > "$R/runs"
rep=1
while [ $rep -le "$reps" ]; do
    echo "repetition $rep of $reps ($(($(date +%s) - started)) s elapsed) ..."
    for p in $page_list; do for c in $cell_names; do run_cell "$c" "$p" "$rep"; done; done
    rep=$((rep + 1))
done
hits1=$(status_counter "$port_main" cache_hits)
miss1=$(status_counter "$port_main" cache_misses)
echo "cache on the main server during the runs: $((${hits1:-0} - ${hits0:-0})) hits, $((${miss1:-0} - ${miss0:-0})) misses" | tee "$R/cache"

# ---------------------------------------------------------------- profile
profile() {             # NAME SERVER PREFIX
    eval "spid=\$pid_$2 port=\$port_$2"
    pw=$(worker_pid "$spid")
    pd="$tmp/perf.$1"
    # DWARF call graphs: httpd, APR and the module have no frame pointers
    perf record -q -e cpu-clock -F 499 --call-graph dwarf,16384 -p "$pw" -o "$pd" \
        -- sleep "$dur" >/dev/null 2>&1 &
    perfpid=$!
    bg_pids="$bg_pids $perfpid"
    taskset -c 1 wrk -t1 -c$conc -d${dur}s "http://127.0.0.1:$port/$3/p16k.html" >/dev/null 2>&1 || true
    wait "$perfpid" 2>/dev/null || true
    perf report -i "$pd" --stdio --no-children -g none --sort dso \
        --percent-limit 1 2>/dev/null | grep '%' | head -10 > "$R/profile.$1.dso" || true
    perf report -i "$pd" --stdio --no-children -g none --sort dso,symbol \
        --percent-limit 1 2>/dev/null | grep '%' | head -20 > "$R/profile.$1" || true
    # inclusive time of the stages that matter
    perf report -i "$pd" --stdio --children -g none --sort symbol 2>/dev/null |
        grep -E '\] (geotag_out_filter|geotag_session_feed|process_text|emit_ready|insert_bytes|apr_bucket_heap_make|geotag_session_jsonld|geotag_jsonld_write|replay|insert_replayed|ap_core_output_filter|__GI___writev|apr_socket_sendfile|apr_file_read|apr_file_seek|__GI___setsockopt|apr_bucket_read|mmap_bucket_read|file_bucket_read|first_call|geotag_cache_get|geotag_result_parse|store_result)( \(inlined\))? ' |
        head -30 > "$R/profile.$1.incl" || true
    rm -f "$pd"
}
if [ "${BENCH_PERF:-1}" != 0 ] && command -v perf >/dev/null 2>&1; then
    echo "profiles: perf record on the serving child during b and c on p16k ($dur s each) ..."
    profile b nc geotag
    profile c main geotag
fi

# ---------------------------------------------------------------- 3. memory
echo
echo "== 3. memory: 100 MB pages through GEOTAG (GeoTagCache none)"
w=$(worker_pid "$pid_nc")
# every thread has served requests before the baseline
taskset -c 1 wrk -t1 -c$conc -d1s "http://127.0.0.1:$port_nc/geotag/p16k.html" >/dev/null 2>&1 || true
memtest() {             # LABEL PATH
    printf '%s\t%s\n' "$1" "$(perl t/bench/rsspoll.pl "$w" "http://127.0.0.1:$port_nc/$2")" >> "$R/memory"
}
memtest "static, dense page (control)" static/p100m.html
memtest "GEOTAG, sparse page" geotag/s100m.html
memtest "GEOTAG, sparse page, again" geotag/s100m.html
memtest "GEOTAG, dense page" geotag/p100m.html
[ "$(worker_pid "$pid_nc")" = "$w" ] || echo "note: the serving child changed during the memory test" >> "$R/memory.notes"
set -- $(fetch "http://127.0.0.1:$port_nc/geotag/s100m.html" "$tmp/s100m.out")
sok=1; perl t/bench/check.pl tagged "$pages/s100m.html" "$tmp/s100m.out" > "$R/memory.check" 2>&1 && sok=0
check "sparse 100 MB page through GEOTAG: $(cat "$R/memory.check")" $(( sok + ($1 != 200) ))
rm -f "$tmp/s100m.out"

# ---------------------------------------------------------------- 4. latency
echo "== 4. latency: TTFB of a 1 MB page a CGI streams in 16 KB pieces, 20 ms apart (${BENCH_TTFB_N:-20} pairs)"
fetch "http://127.0.0.1:$port_nc/slowtag/slow.pl" "$tmp/slowtag.out" >/dev/null
perl t/bench/check.pl tagged "$pages/slow1m.html" "$tmp/slowtag.out" > "$R/latency.check" 2>&1 ||
    echo "  FAIL: the slow CGI page is not tagged as expected: $(cat "$R/latency.check")" | tee -a "$R/latency.check"
i=0
while [ $i -lt "${BENCH_TTFB_N:-20}" ]; do
    for loc in slow slowtag; do
        r=$(taskset -c 1 curl -s -o /dev/null -w '%{http_code} %{time_starttransfer} %{time_total}' \
            "http://127.0.0.1:$port_nc/$loc/slow.pl")
        echo "$loc $r" >> "$R/latency"
    done
    i=$((i + 1))
done

# ---------------------------------------------------------------- 5. startup
echo "== 5. startup: loading and compiling the dictionary"
perl t/bench/gen-gazetteer.pl 100000 > "$tmp/names100k.xml"
tv=/usr/bin/time
if [ -x "$tv" ]; then
    for d in default 100k; do
        if [ $d = default ]; then
            $tv -f '%M %e' -o "$tmp/time.out" "$build/geotag" --dict conf/gazetteer.xml < "$sample" > /dev/null
        else
            $tv -f '%M %e' -o "$tmp/time.out" "$build/geotag" --dict conf/gazetteer.xml \
                --dict "$tmp/names100k.xml" < "$sample" > /dev/null
        fi
        echo "$d $(tail -1 "$tmp/time.out")" >> "$R/startup"
    done
fi
for s in $servers; do
    echo "$s $(wc -l < "$tmp/$s/error_log")" >> "$R/errorlog.count"
    grep -iE 'exit signal|segmentation|\[[a-z_]*:(error|crit|alert|emerg)\]' "$tmp/$s/error_log" | head -20 \
        > "$R/errorlog.$s" || true
done
for s in $servers; do
    eval "p=\$pid_$s w0=\$worker_$s"
    if [ "$(worker_pid "$p")" = "$w0" ]; then
        echo "$s the same serving child from start to end" >> "$R/children"
    else
        echo "$s the serving child CHANGED (a crash?)" >> "$R/children"
    fi
done

echo
perl t/bench/report.pl "$R" "$clk" "$(($(date +%s) - started))"
if [ "$fail" -gt 0 ]; then
    echo "run.sh: $fail check(s) failed: a cell did not do what it should (see checks above)" >&2
    exit 1
fi
