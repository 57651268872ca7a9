#!/usr/bin/env python3
"""Generate src/entities.c, the HTML5 named character reference table.

    python3 t/gen-entities.py > src/entities.c

The names come from Python's html.entities.html5, which mirrors the HTML
standard's list (with and without the trailing ';').  The table is sorted by
the bytes of the name so that the C side can binary-search it; the output is
deterministic, so regenerating with the same Python gives the same file.
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
 * entities.c: the HTML5 named character references (%d names).
 *
 * GENERATED FILE, do not edit: regenerate with
 *
 *     python3 t/gen-entities.py > src/entities.c
 *
 * from Python's html.entities.html5.  The table is sorted by the bytes of
 * the name for binary search; names without ';' are the legacy ones HTML
 * also accepts bare in text.
 */
#include <string.h>

#include "entities.h"

#define ENTITY_NAME_MIN %d   /* shortest name */
#define ENTITY_LEGACY_MAX %d /* longest name without ';' */

typedef struct {
    const char *name;
    const char *utf8;
    unsigned char name_len;
    unsigned char utf8_len;
} entity;

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

#define ENTITY_COUNT (sizeof(entities) / sizeof(entities[0]))

apr_size_t geotag_entity_count(void)
{
    return ENTITY_COUNT;
}

const char *geotag_entity_name(apr_size_t i)
{
    return i < ENTITY_COUNT ? entities[i].name : NULL;
}

int geotag_entity_lookup(const char *name, apr_size_t len,
                         const char **utf8, apr_size_t *utf8_len)
{
    apr_size_t lo, hi;

    if (len < ENTITY_NAME_MIN || len > GEOTAG_ENTITY_NAME_MAX ||
        (unsigned char)name[0] >= 128)
        return 0;
    lo = entity_first[(unsigned char)name[0]];
    hi = entity_first[(unsigned char)name[0] + 1];
    while (lo < hi) {
        apr_size_t mid = lo + (hi - lo) / 2;
        const entity *e = &entities[mid];
        apr_size_t n = len < e->name_len ? len : e->name_len;
        int c = memcmp(name, e->name, n);

        if (c == 0)
            c = len < e->name_len ? -1 : len > e->name_len ? 1 : 0;
        if (c == 0) {
            *utf8 = e->utf8;
            *utf8_len = e->utf8_len;
            return 1;
        }
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

/*
 * Every name is ASCII letters and digits with an optional final ';', so the
 * longest match is found without walking a trie: a name ending in ';' can
 * only match the whole alphanumeric run plus the ';' after it, and that is
 * longer than any bare (legacy) name, which can only match a prefix of the
 * run.  So: try the run with its ';', then the run's prefixes from the
 * longest legacy length down.
 */
apr_size_t geotag_entity_match(const char *s, apr_size_t len,
                               const char **utf8, apr_size_t *utf8_len)
{
    apr_size_t run = 0, k;

    while (run < len && run < GEOTAG_ENTITY_NAME_MAX) {
        unsigned char c = (unsigned char)s[run];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9')))
            break;
        run++;
    }
    if (run < len && s[run] == ';' &&
        geotag_entity_lookup(s, run + 1, utf8, utf8_len))
        return run + 1;
    for (k = run < ENTITY_LEGACY_MAX ? run : ENTITY_LEGACY_MAX;
         k >= ENTITY_NAME_MIN; k--) {
        if (geotag_entity_lookup(s, k, utf8, utf8_len))
            return k;
    }
    return 0;
}
""")


if __name__ == "__main__":
    main()
