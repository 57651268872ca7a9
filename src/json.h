/*
 * json.h: JSON text (RFC 8259), the pieces both directions share.
 *
 * Writing: appends to a char buffer (an apr_array_header_t of 1-byte
 * elements) and the one string escaper of the module, whose output is
 * ASCII only: every non-ASCII code point, and < > & U+2028 U+2029, is
 * written as \uXXXX, so "</script" or "<!--" can never appear.  Reading
 * and checking: the number grammar.
 *
 * It must never: write a byte outside printable ASCII, or accept a number
 * JSON.parse would reject.
 */
#ifndef GEOTAG_JSON_H
#define GEOTAG_JSON_H

#include <string.h>

#include <apr_tables.h>

/* Append n bytes to the buffer. */
void geotag_json_put(apr_array_header_t *buf, const char *s, apr_size_t n);

static inline void geotag_json_puts(apr_array_header_t *buf, const char *s)
{
    geotag_json_put(buf, s, strlen(s));
}

static inline void geotag_json_putc(apr_array_header_t *buf, char c)
{
    geotag_json_put(buf, &c, 1);
}

/* Append s (UTF-8, len bytes; invalid bytes become U+FFFD) escaped as the
 * body of a JSON string, quotes excluded. */
void geotag_json_append_escaped(apr_array_header_t *buf, const char *s,
                                apr_size_t len);

/* Append s (UTF-8, len bytes) as a JSON string literal, quotes included:
 * the escaper every JSON string of the module goes through (s may be NULL
 * for ""). */
void geotag_json_append_string(apr_array_header_t *buf, const char *s,
                               apr_size_t len);

/* The end of the JSON number that starts at p (before end):
 * -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, the longest such prefix;
 * NULL when p does not start one. */
const char *geotag_json_number_end(const char *p, const char *end);

#endif
