/*
 * entities.c: lookups in the HTML5 named character references.
 *
 * The table itself is generated: src/entities_table.h, written by
 * tools/gen-entities.py (its header says how to regenerate it).  What is
 * here is written by hand and relies on what the generator checks of the
 * table: every name is ASCII letters and digits with an optional final
 * ';', sorted by its bytes, at most GEOTAG_ENTITY_NAME_MAX long.
 */
#include <string.h>

#include "entities.h"

typedef struct {
    const char *name;
    const char *utf8;
    unsigned char name_len;
    unsigned char utf8_len;
} entity;

#include "entities_table.h"

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
