#!/bin/sh
# t/bench-engine.sh BUILD — engine throughput, MB/s of input HTML per core,
# for the geotag tool end to end (lexer, normalizer, matcher, figures,
# output).  Medians of 5 runs; pages are made in a temp dir.
set -eu
build=${1:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
shared=${GEOTAG_SHARED:-../shared}

# the sample article repeated to ~16 MB (many pages' worth)
i=0; : > "$tmp/samples.html"
while [ "$(stat -c %s "$tmp/samples.html")" -lt 16000000 ]; do
    cat t/htdocs/samples/it-analisi.html t/htdocs/samples/en-analysis.html >> "$tmp/samples.html"
    i=$((i + 1))
done
# one large generated article page: body paragraphs of the sample text
{
    echo '<!DOCTYPE html><html lang="it"><head><meta charset="utf-8"></head><body><main><article>'
    n=0
    while [ $n -lt 400 ]; do
        sed -n '/<article/,/<\/article>/p' t/htdocs/samples/it-analisi.html | grep '<p>'
        n=$((n + 1))
    done
    echo '</article></main></body></html>'
} > "$tmp/large.html"
[ -f "$shared/seed/article.html" ] && {
    : > "$tmp/seed.html"
    while [ "$(stat -c %s "$tmp/seed.html")" -lt 16000000 ]; do
        cat "$shared/seed/article.html" >> "$tmp/seed.html"
    done
}

measure() {
    label=$1; file=$2; shift 2
    size=$(stat -c %s "$file")
    times=""
    for r in 1 2 3 4 5; do
        t0=$(date +%s%N)
        "$build/geotag" "$@" < "$file" > /dev/null
        t1=$(date +%s%N)
        times="$times $(( (t1 - t0) / 1000 ))"
    done
    med=$(printf '%s\n' $times | sort -n | sed -n 3p)
    awk -v l="$label" -v s="$size" -v us="$med" \
        'BEGIN { printf "%-44s %7.1f MB  %8.1f MB/s\n", l, s / 1e6, s / us }'
}
echo "engine throughput (geotag tool, one core, median of 5):"
measure "sample articles (it+en), repeated" "$tmp/samples.html"
[ -f "$tmp/seed.html" ] && measure "reference article, repeated" "$tmp/seed.html"
measure "large generated article page" "$tmp/large.html"
measure "large page, no markup written (--markup none)" "$tmp/large.html" --markup none --no-jsonld
