/*
 * entities.h: the HTML5 named character references, for the normalizer.
 *
 * The table itself (src/entities_table.h, searched by src/entities.c) is
 * generated from Python's html.entities.html5 by tools/gen-entities.py and
 * holds every name the HTML standard defines, the legacy ones without ';'
 * ("amp", "eacute") included.
 *
 * It must never: allocate, or read past the length it is given.
 */
#ifndef GEOTAG_ENTITIES_H
#define GEOTAG_ENTITIES_H

#include <apr.h>

#define GEOTAG_ENTITY_NAME_MAX 32 /* longest name, its ';' included */
#define GEOTAG_ENTITY_UTF8_MAX 6  /* longest replacement (two code points) */

/*
 * The longest name that starts s[0..len) (s points just after the '&'),
 * as the HTML tokenizer picks it in text: "notit;" matches the legacy "not"
 * because "notit;" is no name.  Returns the bytes of s the name spans (its
 * ';' included), 0 if no name matches; on a match, *utf8 / *utf8_len are
 * the replacement (not NUL-terminated).
 */
apr_size_t geotag_entity_match(const char *s, apr_size_t len,
                               const char **utf8, apr_size_t *utf8_len);

/* Exact lookup of one name ("amp;" or "amp"): 1 and the replacement if the
 * table holds it, else 0. */
int geotag_entity_lookup(const char *name, apr_size_t len,
                         const char **utf8, apr_size_t *utf8_len);

/* Number of names in the table (2231 for the current HTML standard). */
apr_size_t geotag_entity_count(void);

/* The i-th name of the table (for tests), or NULL past the end. */
const char *geotag_entity_name(apr_size_t i);

#endif
