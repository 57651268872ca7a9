#!/bin/sh
# tools/same-output.sh: does the tree tag every page exactly as a revision
# does?
#
#   sh tools/same-output.sh [REVISION]      (default: main)
#
# Builds the geotag command of REVISION (in a temporary worktree) and of
# the current tree (as it is on disk, committed or not), then runs both
# with the same dictionary (REVISION's conf/gazetteer.xml, copied aside),
# each with its own tree's schema (the schema belongs to the code that reads
# it: a newer one may validate more), over every page of
#
#   ../shared/corpus (*.html, recursively), ../shared/seed/article.html,
#   t/htdocs/samples, t/fuzz/regressions/engine
#
# in three modes (the tagged page, --jsonld, --mentions), each fed whole
# (--chunk 1000000) and in small chunks (--chunk 7).  Standard output and
# exit status must be byte-identical.  Prints the counts; exit 0 when
# nothing differs, 1 when something does (each difference is named, and a
# diff of the first few is shown), 2 when a build fails.
#
# SHARED=dir overrides ../shared; KEEP=1 keeps the temporary directory.
set -u

rev=${1:-main}
top=$(git rev-parse --show-toplevel) || exit 2
cd "$top" || exit 2
shared=${SHARED:-$top/../shared}
[ -d "$shared" ] || shared=/work/shared
tmp=$(mktemp -d "${TMPDIR:-/tmp}/same-output.XXXXXX") || exit 2
wt="$tmp/rev"

cleanup() {
    git worktree remove --force "$wt" >/dev/null 2>&1
    [ -n "${KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

git worktree add --detach "$wt" "$rev" >/dev/null 2>&1 || {
    echo "same-output: cannot check out $rev" >&2
    exit 2
}
echo "building geotag at $rev ..."
make -C "$wt" BUILD="$tmp/build-rev" "$tmp/build-rev/geotag" \
    >"$tmp/build-rev.log" 2>&1 || {
    cat "$tmp/build-rev.log" >&2
    exit 2
}
echo "building geotag of the current tree ..."
make BUILD="$tmp/build-cur" "$tmp/build-cur/geotag" >"$tmp/build-cur.log" 2>&1 || {
    cat "$tmp/build-cur.log" >&2
    exit 2
}
cp "$wt/conf/gazetteer.xml" "$tmp/dict.xml" && cp "$wt/conf/gazetteer.rng" "$tmp/schema-rev.rng" &&
    cp conf/gazetteer.rng "$tmp/schema-cur.rng" || exit 2

list="$tmp/pages"
{
    [ -d "$shared/corpus" ] && find "$shared/corpus" -type f -name '*.html'
    [ -f "$shared/seed/article.html" ] && echo "$shared/seed/article.html"
    find t/htdocs/samples t/fuzz/regressions/engine -type f
} | LC_ALL=C sort >"$list"
if [ ! -d "$shared/corpus" ]; then
    echo "same-output: WARNING: no corpus at $shared/corpus: compared the samples only" >&2
fi

pages=0 runs=0 diffs=0
while IFS= read -r page; do
    pages=$((pages + 1))
    for mode in page --jsonld --mentions; do
        for chunk in 1000000 7; do
            m=$mode
            [ "$mode" = page ] && m=
            "$tmp/build-rev/geotag" --dict "$tmp/dict.xml" --schema "$tmp/schema-rev.rng" \
                --chunk $chunk $m <"$page" >"$tmp/a" 2>/dev/null
            ra=$?
            "$tmp/build-cur/geotag" --dict "$tmp/dict.xml" --schema "$tmp/schema-cur.rng" \
                --chunk $chunk $m <"$page" >"$tmp/b" 2>/dev/null
            rb=$?
            runs=$((runs + 1))
            if [ $ra -ne $rb ] || ! cmp -s "$tmp/a" "$tmp/b"; then
                diffs=$((diffs + 1))
                echo "DIFFERS: $page ($mode, --chunk $chunk; exit $ra vs $rb)"
                if [ $diffs -le 3 ]; then
                    diff "$tmp/a" "$tmp/b" | head -20
                fi
            fi
        done
    done
done <"$list"

echo "same-output: $pages pages, $runs runs per build, $diffs differences (against $rev)"
[ $diffs -eq 0 ]
