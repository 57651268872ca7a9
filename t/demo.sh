#!/bin/sh
# t/demo.sh BUILD — the README's quick start: tag the sample articles with the
# geotag tool and say where the results are.  (Serving them through Apache
# with mod_geotag comes with the module.)
set -eu
build=${1:-build}
out="$build/demo"
mkdir -p "$out"
cp t/htdocs/samples/*.css t/htdocs/samples/*.svg "$out/" 2>/dev/null || true
for page in t/htdocs/samples/*.html; do
    name=$(basename "$page")
    "$build/geotag" --status < "$page" > "$out/$name" 2> "$out/$name.status"
    printf '%-18s %s\n' "$name" "$(sed 's/^geotag: //' "$out/$name.status")"
done
echo
echo "tagged pages: file://$(cd "$out" && pwd)/it-analisi.html"
echo "              file://$(cd "$out" && pwd)/en-analysis.html"
echo "mentions:     $build/geotag --mentions < t/htdocs/samples/it-analisi.html"
