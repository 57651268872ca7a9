/*
 * json.c: JSON text both ways (json.h): the appends and the one string
 * escaper the writer and the status page write with, and the number
 * grammar the reader parses with and the writer checks a figure with.
 */
#include <string.h>

#include "json.h"
#include "utf8.h"

/* Grown in one step per append rather than a byte at a time through
 * apr_array_push. */
void geotag_json_put(apr_array_header_t *buf, const char *s, apr_size_t n)
{
    if ((apr_size_t)buf->nelts + n > (apr_size_t)buf->nalloc) {
        apr_size_t want = (apr_size_t)buf->nalloc * 2;
        char *grown;
        if (want < (apr_size_t)buf->nelts + n)
            want = (apr_size_t)buf->nelts + n;
        if (want < 64)
            want = 64;
        grown = apr_palloc(buf->pool, want);
        if (buf->nelts > 0)
            memcpy(grown, buf->elts, (apr_size_t)buf->nelts);
        buf->elts = grown;
        buf->nalloc = (int)want;
    }
    memcpy(buf->elts + buf->nelts, s, n);
    buf->nelts += (int)n;
}

static void put_u_escape(apr_array_header_t *buf, unsigned v)
{
    static const char hex[] = "0123456789abcdef";
    char e[6];
    e[0] = '\\';
    e[1] = 'u';
    e[2] = hex[(v >> 12) & 0xF];
    e[3] = hex[(v >> 8) & 0xF];
    e[4] = hex[(v >> 4) & 0xF];
    e[5] = hex[v & 0xF];
    geotag_json_put(buf, e, 6);
}

/* A byte that goes out as itself: printable ASCII that neither JSON nor
 * the HTML tokenizer treats specially. */
static int is_plain_byte(unsigned char c)
{
    return c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '<' &&
           c != '>' && c != '&';
}

void geotag_json_append_escaped(apr_array_header_t *buf, const char *s,
                                apr_size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    apr_size_t i = 0, run, used;
    apr_uint32_t cp;

    while (i < len) {
        for (run = i; run < len && is_plain_byte(u[run]); run++)
            ;
        if (run > i) {
            geotag_json_put(buf, s + i, run - i);
            i = run;
            continue;
        }
        switch (u[i]) {
        case '"': geotag_json_puts(buf, "\\\""); i++; continue;
        case '\\': geotag_json_puts(buf, "\\\\"); i++; continue;
        case '\b': geotag_json_puts(buf, "\\b"); i++; continue;
        case '\f': geotag_json_puts(buf, "\\f"); i++; continue;
        case '\n': geotag_json_puts(buf, "\\n"); i++; continue;
        case '\r': geotag_json_puts(buf, "\\r"); i++; continue;
        case '\t': geotag_json_puts(buf, "\\t"); i++; continue;
        default: break;
        }
        /* an invalid byte is U+FFFD, which the decoder puts in cp */
        used = geotag_utf8_decode(u + i, len - i, &cp);
        i += used ? used : 1;
        if (cp > 0xFFFF) {
            cp -= 0x10000;
            put_u_escape(buf, 0xD800 | (unsigned)(cp >> 10));
            put_u_escape(buf, 0xDC00 | (unsigned)(cp & 0x3FF));
        }
        else {
            put_u_escape(buf, (unsigned)cp);
        }
    }
}

void geotag_json_append_string(apr_array_header_t *buf, const char *s,
                               apr_size_t len)
{
    geotag_json_putc(buf, '"');
    if (s != NULL)
        geotag_json_append_escaped(buf, s, len);
    geotag_json_putc(buf, '"');
}

/* The digits of a JSON number's part: [0-9]+ from p, or p when none. */
static const char *digits_end(const char *p, const char *end)
{
    while (p < end && *p >= '0' && *p <= '9')
        p++;
    return p;
}

const char *geotag_json_number_end(const char *p, const char *end)
{
    const char *q;

    if (p < end && *p == '-')
        p++;
    if (p >= end)
        return NULL;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        p = digits_end(p, end);
    else
        return NULL;
    if (p < end && *p == '.') {
        q = digits_end(p + 1, end);
        if (q == p + 1)
            return NULL;
        p = q;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        q = digits_end(p, end);
        if (q == p)
            return NULL;
        p = q;
    }
    return p;
}
