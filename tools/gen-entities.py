#!/usr/bin/env python3
"""Generate src/entities_table.h, the HTML5 named character reference table.

    python3 tools/gen-entities.py > src/entities_table.h

The names come from Python's html.entities.html5, which mirrors the HTML
standard's list (with and without the trailing ';').  The table is sorted by
the bytes of the name so that the C side can binary-search it; the output is
deterministic, so regenerating with the same Python gives the same file.
Only the table is generated: the code that searches it is src/entities.c,
written by hand, which includes this file.
"""

import html.entities
import sys


def c_bytes(data):
    # Octal escapes are at most three digits, so they cannot swallow a
    # following character the way "\x" escapes can.
    return '"' + "".join("\\%03o" % b for b in data) + '"'


def main():
    table = html.entities.html5
    names = sorted(table, key=lambda n: n.encode("ascii"))
    name_max = max(len(n) for n in names)
    name_min = min(len(n) for n in names)
    legacy_max = max(len(n) for n in names if not n.endswith(";"))
    utf8_max = max(len(table[n].encode("utf-8")) for n in names)

    # The C side relies on these facts; stop rather than emit a table that
    # breaks them if a future standard changes the list.
    for n in names:
        stem = n[:-1] if n.endswith(";") else n
        assert stem.isascii() and stem.isalnum(), n
        assert "\0" not in table[n], n
        assert len(table[n]) <= 2, n
    assert name_max <= 32 and utf8_max <= 6, (name_max, utf8_max)

    out = sys.stdout
    out.write("""\
/*
 * entities_table.h: the HTML5 named character references (%d names),
 * for src/entities.c, which alone includes it (after its entity type).
 *
 * GENERATED FILE, do not edit: regenerate with
 *
 *     python3 tools/gen-entities.py > src/entities_table.h
 *
 * from Python's html.entities.html5.  The table is sorted by the bytes of
 * the name for binary search; names without ';' are the legacy ones HTML
 * also accepts bare in text.
 */
#ifndef GEOTAG_ENTITIES_TABLE_H
#define GEOTAG_ENTITIES_TABLE_H

/* clang-format off */
#define ENTITY_NAME_MIN %d   /* shortest name */
#define ENTITY_LEGACY_MAX %d /* longest name without ';' */

static const entity entities[] = {
""" % (len(names), name_min, legacy_max))
    for n in names:
        u = table[n].encode("utf-8")
        out.write('    { "%s", %s, %d, %d },\n' % (n, c_bytes(u), len(n), len(u)))
    # where the names starting with each byte begin (and end: the next
    # entry), so that a lookup searches only those
    first = []
    i = 0
    for c in range(129):
        while i < len(names) and names[i].encode("ascii")[0] < c:
            i += 1
        first.append(i)
    out.write("""\
};

/* entity_first[c] .. entity_first[c + 1]: the names that start with byte c */
static const unsigned short entity_first[129] = {
""")
    for k in range(0, 129, 12):
        out.write("    " + ", ".join("%d" % v for v in first[k:k + 12]) + ",\n")
    out.write("""\
};
/* clang-format on */

#endif
""")


if __name__ == "__main__":
    main()
