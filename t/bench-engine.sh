#!/bin/sh
# t/bench-engine.sh BUILD [REV] — engine throughput, MB/s of input HTML per
# core (t/bench/bench_engine.c: pages in memory, one session per page, 8 KB
# chunks, every edit rendered; median of 5 rounds).  Under each cell, the
# engine as a fraction of two references run over the same bytes in the
# same process: a byte-at-a-time loop and memchr for '<'
# (docs/performance.md, "The engine against a byte loop").
#
# With REV (a git revision; make bench-engine BEFORE=REV), REV is built
# beside this tree (t/bench/build-rev.sh, with this tree's bench_engine.c)
# and every cell runs both, alternately: before, after, before, after ...,
# BENCH_ENGINE_PAIRS times each (default 3).  REV runs in its own tree, so
# the dictionaries a cell names (conf/gazetteer.xml, the starter one) are
# REV's, as its compiled-in default is; the pages are the same bytes.  Each
# cell shows the run of median MB/s of each side and after/before, and a
# table of every cell ends the output.  BENCH_BEFORE_TREE=DIR takes DIR as
# the build of REV instead of building it (t/bench/run.sh has built it).
set -eu
build=${1:-build}
rev=${2:-}
pairs=${BENCH_ENGINE_PAIRS:-3}
shared=${GEOTAG_SHARED:-../shared}
top=$(pwd)
# absolute: REV's runs start in REV's tree
if [ -d "$shared" ]; then shared=$(cd "$shared" && pwd); fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

before=""
if [ -n "$rev" ]; then
    before=${BENCH_BEFORE_TREE:-}
    if [ -z "$before" ]; then
        before="$tmp/before"
        sh t/bench/build-rev.sh "$rev" "$before" build/bench_engine
    fi
fi

# a large article page: the sample article's chrome around ~500 KB of body
{
    sed -n '1,/<div class="entry-content">/p' t/htdocs/samples/it-analisi.html
    n=0
    while [ $n -lt 60 ]; do
        sed -n '/<div class="entry-content">/,/<\/article>/p' t/htdocs/samples/it-analisi.html | grep '<p>'
        n=$((n + 1))
    done
    sed -n '/<\/article>/,$p' t/htdocs/samples/it-analisi.html
} > "$tmp/large.html"
# the corpus pages, decompressed
mkdir -p "$tmp/corpus"
if [ -d "$shared/corpus/pages" ]; then
    find "$shared/corpus/pages" -name '*.html' -exec cp {} "$tmp/corpus/" \;
    for f in $(find "$shared/corpus/pages" -name '*.html.gz'); do
        gzip -dc "$f" > "$tmp/corpus/$(basename "$f" .gz)"
    done
fi
perl t/bench/gen-gazetteer.pl 100000 > "$tmp/names100k.xml"

b="$build/bench_engine"
# MB/s of a bench_engine output (its first line), and its fraction of the
# byte loop (its second)
rate_of() { sed -n '1s/.* \([0-9.]*\) MB\/s .*/\1/p' "$1"; }
byte_loop_of() { sed -n '2s/^ *\([0-9.]*\)x the byte loop.*/\1/p' "$1"; }
# the run of median MB/s among SIDE's runs of the last cell: its file
median_run() {
    for f in "$tmp/run.$1".*; do echo "$(rate_of "$f") $f"; done |
        sort -n | awk '{ f[NR] = $2 } END { print f[int((NR + 1) / 2)] }'
}
# one cell: the line, kept to compare the default dictionary with the
# starter one (t/bench/gazetteer-156.xml) in the same run
cell() {
    if [ -z "$rev" ]; then
        "$b" "$@" > "$tmp/run.after.1"
        cat "$tmp/run.after.1"
        rate_of "$tmp/run.after.1" > "$tmp/last-rate"
    else
        cell_before_after "$@"
    fi
}
# one cell, REV's bench_engine and this tree's in turn
cell_before_after() {
    rm -f "$tmp"/run.*
    i=1
    while [ "$i" -le "$pairs" ]; do
        # the last --label is the one bench_engine prints
        (cd "$before" && ./build/bench_engine "$@" --label "  before") \
            > "$tmp/run.before.$i" 2> "$tmp/before.err" || {
            echo "  before: failed: $(head -n 1 "$tmp/before.err")" > "$tmp/run.failed"
            rm -f "$tmp"/run.before.*
        }
        "$b" "$@" > "$tmp/run.after.$i"
        i=$((i + 1))
    done
    after=$(median_run after)
    cat "$after"
    rate_of "$after" > "$tmp/last-rate"
    label=$(sed -n '1s/ \{1,\}[0-9]\{1,\} pages .*//p' "$after")
    if [ -f "$tmp/run.failed" ]; then
        cat "$tmp/run.failed"
        printf '%s\t-\t%s\t-\t-\t%s\n' "$label" "$(rate_of "$after")" "$(byte_loop_of "$after")" >> "$tmp/summary"
        return 0
    fi
    bef=$(median_run before)
    cat "$bef"
    x=$(rate_of "$bef") y=$(rate_of "$after")
    printf '    after/before %.3fx (MB/s; the runs of each side: before %s, after %s)\n' \
        "$(awk -v x="$x" -v y="$y" 'BEGIN { print y / x }')" \
        "$(for f in "$tmp"/run.before.*; do rate_of "$f"; done | sort -n | xargs)" \
        "$(for f in "$tmp"/run.after.*; do rate_of "$f"; done | sort -n | xargs)"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$x" "$y" \
        "$(awk -v x="$x" -v y="$y" 'BEGIN { printf "%.3f", y / x }')" \
        "$(byte_loop_of "$bef")" "$(byte_loop_of "$after")" >> "$tmp/summary"
}
# the ratio of the last two cells' MB/s: the default dictionary over the starter one
ratio() {
    printf '    %-36s %.2fx the starter dictionary in this run\n' "$1" \
        "$(echo "$(cat "$tmp/rate-default") $(cat "$tmp/last-rate")" | awk '{ print $1 / $2 }')"
}
echo "engine throughput, MB/s of HTML per core (median of 5 rounds):"
if [ -n "$rev" ]; then
    echo "before: $rev ($(git rev-parse --short "$rev")), in its own tree with its own dictionaries;"
    echo "after: this tree ($(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo ', modified'))."
    echo "Runs per cell: $pairs of each side, alternately, before first; shown: each side's run of median MB/s."
fi
cell --label "sample articles (it, en, index)" "$top"/t/htdocs/samples/*.html
cp "$tmp/last-rate" "$tmp/rate-default"
cell --dict t/bench/gazetteer-156.xml --label "sample articles, starter dictionary" "$top"/t/htdocs/samples/*.html
ratio "sample articles (dense):"
if [ -f "$shared/seed/article.html" ]; then
    cell --label "reference article" "$shared/seed/article.html"
    cp "$tmp/last-rate" "$tmp/rate-default"
    cell --dict t/bench/gazetteer-156.xml --label "reference article, starter dictionary" "$shared/seed/article.html"
    ratio "reference article (dense):"
fi
cell --label "large article page (~500 KB)" "$tmp/large.html"
if ls "$tmp/corpus"/*.html >/dev/null 2>&1; then
    cell --label "corpus pages" "$tmp/corpus"/*.html
    cp "$tmp/last-rate" "$tmp/rate-default"
    # the starter dictionary (156 entities), kept as a fixture to compare with
    cell --dict t/bench/gazetteer-156.xml --label "corpus pages, starter dictionary" "$tmp/corpus"/*.html
    ratio "corpus pages:"
    # the same pages with all of their body in scope: the engine's cost on
    # a page's every text run, not only the article's
    cell --scope body --label "corpus pages, whole body in scope" "$tmp/corpus"/*.html
fi
echo "with the default gazetteer plus 100,000 generated names:"
cell --dict conf/gazetteer.xml --dict "$tmp/names100k.xml" --label "reference article, +100k names" "$shared/seed/article.html"
cell --dict conf/gazetteer.xml --dict "$tmp/names100k.xml" --label "large article page, +100k names" "$tmp/large.html"
if ls "$tmp/corpus"/*.html >/dev/null 2>&1; then
    cell --dict conf/gazetteer.xml --dict "$tmp/names100k.xml" --label "corpus pages, +100k names" "$tmp/corpus"/*.html
fi
if [ -n "$rev" ]; then
    echo
    echo "before ($rev) and after, cell by cell: MB/s (the median run of each), and each as a fraction"
    echo "of the byte loop of its own run"
    awk -F '\t' 'BEGIN { f = "%-40s %11s %10s %12s %11s %10s\n"
                         printf f, "cell", "before MB/s", "after MB/s", "after/before", "before/loop", "after/loop"
                         printf f, "----", "-----------", "----------", "------------", "-----------", "----------" }
                 { printf f, $1, $2, $3, $4 == "-" ? "-" : $4 "x", $5 == "-" ? "-" : $5 "x", $6 "x" }' "$tmp/summary"
fi
