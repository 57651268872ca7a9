#!/bin/sh
# t/bench/callgrind.sh BUILD [REV] — instructions per page of the tagging
# alone, counted by callgrind: exact and repeatable where time on a shared
# machine is not, so that changes of a few percent can be measured.
#
# Each page goes once through a fresh session (bench_engine --once: feed
# in 8 KB chunks, every edit rendered, finish); only the instructions of
# those calls are counted (--toggle-collect=tag_page), one dump per page
# (--dump-after=tag_page).  The dictionary's load is not counted.  A warm-up
# call on the first page comes before them, so that no page pays for
# first-use costs (the pools growing to their size).
#
# The pages: the reference article, the samples, a few corpus pages
# (decompressed), or the pages in $GEOTAG_CALLGRIND_PAGES.  With REV (a
# git revision), the same pages are counted on a build of REV too, made in
# a temporary directory with this tree's bench_engine.c
# (t/bench/build-rev.sh), and each page gets "before Ir, after Ir, ratio".
# GEOTAG_CALLGRIND_KEEP=DIR keeps the dumps there, for callgrind_annotate
# (build with CFLAGS="-O2 -g -fno-inline" to see the inlined functions on
# their own).
set -eu
build=${1:-build}
rev=${2:-}
shared=${GEOTAG_SHARED:-../shared}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

command -v valgrind >/dev/null || {
    echo "callgrind.sh: valgrind is missing (t/deps.sh bench)" >&2
    exit 1
}

if [ -n "${GEOTAG_CALLGRIND_PAGES:-}" ]; then
    pages=$GEOTAG_CALLGRIND_PAGES
else
    pages="$shared/seed/article.html $(ls t/htdocs/samples/*.html)"
    mkdir -p "$tmp/corpus"
    # news pages of four sites, languages and sizes; the first is the real
    # page of docs/performance.md (Corriere della Sera, 172 KB)
    for f in fundus/it/CorriereDellaSera_2025_02_04.html.gz \
             fundus/uk/BBC_2026_04_25.html.gz \
             fundus/de/DW_2024_01_30.html.gz \
             fundus/us/FoxNews_2023_04_28.html.gz; do
        [ -f "$shared/corpus/pages/$f" ] || continue
        out="$tmp/corpus/$(basename "$f" .gz)"
        gzip -dc "$shared/corpus/pages/$f" > "$out"
        pages="$pages $out"
    done
fi

# count BINARY NAME: "page Ir" lines into $tmp/NAME
count() {
    first=${pages%% *}
    mkdir -p "$tmp/$2.out"
    # shellcheck disable=SC2086
    valgrind --tool=callgrind --toggle-collect=tag_page --dump-after=tag_page \
        --callgrind-out-file="$tmp/$2.out/callgrind.out" \
        "$1" --once "$first" $pages > "$tmp/$2.pages" 2> "$tmp/$2.log" || {
        cat "$tmp/$2.log" >&2
        exit 1
    }
    # dump 1 is the warm-up, 2.. the pages in order; the last file is the
    # (empty) dump at the program's end
    n=2
    for page in $pages; do
        ir=$(sed -n 's/^summary: //p' "$tmp/$2.out/callgrind.out.$n")
        echo "$page $ir" >> "$tmp/$2.ir"
        n=$((n + 1))
    done
    if [ -n "${GEOTAG_CALLGRIND_KEEP:-}" ]; then
        mkdir -p "$GEOTAG_CALLGRIND_KEEP/$2"
        cp "$tmp/$2.out"/* "$GEOTAG_CALLGRIND_KEEP/$2/"
    fi
}

if [ -n "$rev" ]; then
    sh t/bench/build-rev.sh "$rev" "$tmp/before" build/bench_engine
    count "$tmp/before/build/bench_engine" before
fi
count "$build/bench_engine" after

echo "instructions (Ir) per page, tagging only (callgrind; dictionary load not counted):"
if [ -n "$rev" ]; then
    printf '%-44s %9s %12s %12s %8s %8s\n' page bytes "before Ir" "after Ir" ratio "Ir/byte"
else
    printf '%-44s %9s %12s %8s\n' page bytes Ir "Ir/byte"
fi
for page in $pages; do
    bytes=$(wc -c < "$page")
    after=$(awk -v p="$page" '$1 == p { print $2 }' "$tmp/after.ir")
    name=$(basename "$page")
    if [ -n "$rev" ]; then
        before=$(awk -v p="$page" '$1 == p { print $2 }' "$tmp/before.ir")
        awk -v n="$name" -v b="$bytes" -v x="$before" -v y="$after" 'BEGIN {
            printf "%-44s %9d %12d %12d %8.3f %8.1f\n", n, b, x, y, y / x, y / b }'
    else
        awk -v n="$name" -v b="$bytes" -v y="$after" 'BEGIN {
            printf "%-44s %9d %12d %8.1f\n", n, b, y, y / b }'
    fi
done
if [ -n "$rev" ]; then
    echo "before: $(git rev-parse --short "$rev"), after: this tree ($(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo ', modified'))"
fi
