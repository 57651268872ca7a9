#!/bin/sh
# t/bench-engine.sh BUILD — engine throughput, MB/s of input HTML per core
# (t/bench/bench_engine.c: pages in memory, one session per page, 8 KB
# chunks, every edit rendered; median of 5 rounds).  Under each cell, the
# engine as a fraction of two references run over the same bytes in the
# same process: a byte-at-a-time loop and memchr for '<'
# (docs/performance.md, "The engine against a byte loop").
set -eu
build=${1:-build}
shared=${GEOTAG_SHARED:-../shared}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

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
# one cell: the line, kept to compare the default dictionary with the
# starter one (t/bench/gazetteer-156.xml) in the same run
cell() {
    out=$("$b" "$@")
    echo "$out"
    echo "$out" | head -n 1 | sed -n 's/.* \([0-9.]*\) MB\/s .*/\1/p' > "$tmp/last-rate"
}
# the ratio of the last two cells' MB/s: the default dictionary over the starter one
ratio() {
    printf '    %-36s %.2fx the starter dictionary in this run\n' "$1" \
        "$(echo "$(cat "$tmp/rate-default") $(cat "$tmp/last-rate")" | awk '{ print $1 / $2 }')"
}
echo "engine throughput, MB/s of HTML per core (median of 5 rounds):"
cell --label "sample articles (it, en, index)" t/htdocs/samples/*.html
cp "$tmp/last-rate" "$tmp/rate-default"
cell --dict t/bench/gazetteer-156.xml --label "sample articles, starter dictionary" t/htdocs/samples/*.html
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
$b --dict conf/gazetteer.xml --dict "$tmp/names100k.xml" --label "reference article, +100k names" "$shared/seed/article.html"
$b --dict conf/gazetteer.xml --dict "$tmp/names100k.xml" --label "large article page, +100k names" "$tmp/large.html"
ls "$tmp/corpus"/*.html >/dev/null 2>&1 &&
    $b --dict conf/gazetteer.xml --dict "$tmp/names100k.xml" --label "corpus pages, +100k names" "$tmp/corpus"/*.html
