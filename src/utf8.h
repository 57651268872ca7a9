/*
 * utf8.h: UTF-8, encoded and decoded in one place for the whole engine
 * (the normalizer, the JSON-LD reader and writer, and through the writer
 * the status page).
 *
 * Decoding is strict (RFC 3629): overlong forms, surrogates and code
 * points above U+10FFFF are invalid, so re-encoding what was decoded gives
 * back the source bytes and callers may copy a valid sequence unchanged.
 * Every caller replaces an invalid byte by U+FFFD and goes on with the next
 * byte, as browsers do.
 *
 * It must never: read past the given length, or accept a sequence whose
 * re-encoding differs from its bytes.
 */
#ifndef GEOTAG_UTF8_H
#define GEOTAG_UTF8_H

#include <apr.h>

#define GEOTAG_UTF8_REPLACEMENT 0xFFFD

/* The UTF-8 of one code point (at most 4 bytes) into out; its length. */
apr_size_t geotag_utf8_encode(apr_uint32_t cp, char *out);

/*
 * The sequence at s[0..len), len >= 1: its length (1 to 4) with *cp its
 * code point, or 0 when s does not begin with a whole valid sequence (a
 * cut-off one included), with *cp = U+FFFD.
 *
 * Inline: the normalizer calls it for every non-ASCII character of the
 * text it reads.
 */
static inline apr_size_t geotag_utf8_decode(const unsigned char *s,
                                            apr_size_t len, apr_uint32_t *cp)
{
    unsigned char c = s[0];
    unsigned char lo = 0x80, hi = 0xBF;
    apr_size_t need, i;
    apr_uint32_t v;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    *cp = GEOTAG_UTF8_REPLACEMENT;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
        v = c & 0x1F;
    }
    else if (c >= 0xE0 && c <= 0xEF) {
        /* E0 would be overlong below A0, ED a surrogate from A0 */
        need = 3;
        v = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    }
    else if (c >= 0xF0 && c <= 0xF4) {
        /* F0 would be overlong below 90, F4 above U+10FFFF from 90 */
        need = 4;
        v = c & 0x07;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    }
    else {
        return 0;
    }
    if (len < need || s[1] < lo || s[1] > hi)
        return 0;
    for (i = 1; i < need; i++) {
        if (i > 1 && (s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    *cp = v;
    return need;
}

#endif
