#!/bin/sh
# t/bench/same-output.sh BUILD REV — the tagged bytes of this tree are those
# of REV, byte for byte, on every page we have: the corpus pages
# (../shared/corpus/pages, .html and .html.gz), the samples and the
# reference article.  For changes meant to alter no output (speed): REV is
# built in a temporary directory (t/bench/build-rev.sh), then both `geotag`
# commands tag each page with the default options, and again with the
# whole body in scope fed in random chunks of 1 to 128 bytes (more of the
# page goes through the engine, and every state of the lexer meets a chunk
# boundary).
# Prints the pages that differ; exits 1 if any does.
set -eu
build=${1:-build}
rev=${2:?usage: same-output.sh BUILD REV}
shared=${GEOTAG_SHARED:-../shared}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/pages"
sh t/bench/build-rev.sh "$rev" "$tmp/before" build/geotag
make -s "$build/geotag"

# the pages, decompressed, under names that keep their place in the corpus
n=0
for f in $(find "$shared/corpus/pages" -name '*.html' -o -name '*.html.gz' | sort) \
         t/htdocs/samples/*.html "$shared/seed/article.html"; do
    n=$((n + 1))
    out="$tmp/pages/$n.html"
    case "$f" in
    *.gz) gzip -dc "$f" > "$out" ;;
    *) cp "$f" "$out" ;;
    esac
    echo "$n $f" >> "$tmp/names"
done

diffs=0
for variant in default body; do
    case "$variant" in
    default) opts="" ;;
    body) opts="--scope body --chunk 64 --chunk-seed 7" ;;
    esac
    for page in "$tmp"/pages/*.html; do
        # shellcheck disable=SC2086
        "$tmp/before/build/geotag" $opts < "$page" > "$tmp/a" 2>/dev/null || true
        # shellcheck disable=SC2086
        "$build/geotag" $opts < "$page" > "$tmp/b" 2>/dev/null || true
        if ! cmp -s "$tmp/a" "$tmp/b"; then
            id=$(basename "$page" .html)
            echo "differs ($variant): $(awk -v n="$id" '$1 == n { print $2 }' "$tmp/names")"
            diffs=$((diffs + 1))
        fi
    done
done
echo "$n pages, 2 ways each: $diffs outputs differ from $(git rev-parse --short "$rev")"
[ "$diffs" -eq 0 ]
