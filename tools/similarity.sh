#!/bin/sh
# tools/similarity.sh — blocks of code written twice (make similarity).
#
# Runs Debian's similarity-tester (sim_c) over the C sources of the tree and
# prints each pair of similar blocks of at least SIM_LINES lines (default 6)
# on both sides, as "file:from-to  file:from-to  [tokens]".  sim_c compares
# token streams: layout, comments, identifiers, numbers and strings do not
# count, so a run of SIM_TOKENS tokens (default 30, about six lines of C)
# is reported even where the names differ; -F keeps calls to different
# functions apart.  Tables of data and switch ladders look alike to it too:
# judge each pair.  The generated entity table is left out.  It reports; it
# does not fail.
set -eu
tokens=${SIM_TOKENS:-30}
lines=${SIM_LINES:-6}
command -v sim_c >/dev/null 2>&1 || {
    echo "similarity.sh: sim_c missing (apt-get install similarity-tester)" >&2
    exit 1
}
if git rev-parse --git-dir >/dev/null 2>&1; then
    git ls-files '*.c' '*.h'
else
    find . -name '*.[ch]' ! -path './build*' | sed 's|^\./||'
fi | grep -v '^src/entities_table\.h$' | sort |
    sim_c -i -F -n -r "$tokens" 2>/dev/null |
    awk -v min="$lines" '
    /line [0-9]+-[0-9]+.*\|.*line [0-9]+-[0-9]+/ {
        split($0, side, "|")
        split(side[1], a, /: line |-| +/)
        split(side[2], b, /: line |-| +|\[/)
        n = side[2]; sub(/.*\[/, "", n); sub(/\].*/, "", n)
        if (a[3] - a[2] + 1 >= min && b[3] - b[2] + 1 >= min) {
            printf "%s:%s-%s  %s:%s-%s  [%s tokens]\n", a[1], a[2], a[3], b[1], b[2], b[3], n
            pairs++
        }
    }
    END { printf "%d pairs of blocks of %d lines or more (sim_c -F -r %d)\n", pairs, min, '"$tokens"' }'
