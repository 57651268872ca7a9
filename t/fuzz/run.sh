#!/bin/sh
# t/fuzz/run.sh TARGET... — fuzz each target for FUZZ_SECONDS, one after
# another, at low priority (other work shares the cores).
#
# Each target's working corpus is $FUZZ_BUILD/corpus/<target> (never
# committed): it starts from the committed seeds and regressions and, for
# the engine, from the pages of ../shared/corpus when it is there.  New
# inputs are written there; findings to $FUZZ_BUILD/artifacts/<target>/.
# The last lines of each log (cov, ft, execs) are summed up at the end.
set -u
build=${FUZZ_BUILD:-build-fuzz}
seconds=${FUZZ_SECONDS:-600}
shared=${GEOTAG_SHARED:-../shared}
[ -x /usr/lib/llvm-14/bin/llvm-symbolizer ] && PATH=/usr/lib/llvm-14/bin:$PATH
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
status=0
for t in "$@"; do
    corpus=$build/corpus/$t
    artifacts=$build/artifacts/$t
    log=$build/fuzz-$t.log
    mkdir -p "$corpus" "$artifacts"
    extra=""
    max_len=65536
    case $t in
    engine)
        extra="-dict=t/fuzz/html.dict"
        max_len=32768
        # real pages as a starting point, at run time only: their text is
        # not ours to commit (see docs/fuzzing.md)
        if [ -d "$shared/corpus/pages" ] && [ ! -e "$corpus/.shared" ]; then
            find "$shared/corpus/pages" -name '*.html' -size -32k | head -n 200 |
                while read -r f; do cp "$f" "$corpus/"; done
            find "$shared/corpus/pages" -name '*.html.gz' | head -n 100 |
                while read -r f; do
                    gzip -dc "$f" | head -c 32768 >"$corpus/$(basename "$f" .gz)"
                done
            touch "$corpus/.shared"
        fi ;;
    esac
    echo "== fuzz $t for ${seconds}s (log: $log)"
    nice -n 10 "$build/fuzz_$t" -max_total_time="$seconds" -max_len=$max_len \
        -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$artifacts/" $extra \
        "$corpus" "t/fuzz/seeds/$t" "t/fuzz/regressions/$t" >"$log" 2>&1
    rc=$?
    grep -E '^#[0-9]+.*(DONE|pulse|NEW)' "$log" | tail -n 1
    grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "$log"
    if [ "$rc" -ne 0 ]; then
        echo "FINDING in $t (exit $rc): $(ls "$artifacts" | head -n 3)"
        grep -a -m1 -E 'ERROR|invariant broken|runtime error' "$log"
        status=1
    fi
done
exit $status
