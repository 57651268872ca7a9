/*
 * normalize.h: turns the raw bytes of a text run into the matching key.
 *
 * The page text is matched in a normalized form and marked up in its
 * original bytes, so the normalizer produces, for each output byte, the
 * offset of the source character it came from (the offset map):
 *
 *   source  L&rsquo;Unione &egrave; a Bruxelles
 *   cased   L'Unione e a Bruxelles      (case kept, accents folded)
 *   key     l'unione e a bruxelles      (lower-cased, accents folded)
 *
 * - character references are decoded: all HTML5 named references (with and
 *   without the trailing ';' where HTML allows it), decimal and hex;
 * - apostrophes (’ ‘ ʼ ′ ` ´) become ', dashes (‐ ‑ ‒ – — −) become -,
 *   spaces (NBSP, thin/narrow/em spaces, tabs, newlines) become ' ',
 *   quotes (“ ” „ « ») become ", the ellipsis becomes "...",
 *   soft hyphens and zero-width characters vanish;
 * - letters are case-folded (ASCII, Latin-1, Latin Extended-A, Greek and
 *   Cyrillic basics) and, when fold_accents is set, stripped of their
 *   diacritics (è -> e, ß -> ss, æ -> ae, ø -> o ...);
 * - the input is UTF-8 or windows-1252/ISO-8859-1 (a superset reading);
 *   invalid UTF-8 becomes U+FFFD, never an error.
 *
 * Output is always UTF-8; every byte >= 0x80 in it belongs to a character
 * the rules above leave alone (letters, but also U+FFFD and symbols such as
 * € or •), so "word character" is simply "ASCII alphanumeric or >= 0x80"
 * (see geotag_is_word_byte): a name glued to one of those is not a word.
 *
 * It must never: read past the given buffer, allocate (the caller passes
 * output arrays of the size geotag_normalize_capacity() says), or change
 * the source.
 */
#ifndef GEOTAG_NORMALIZE_H
#define GEOTAG_NORMALIZE_H

#include <apr.h>
#include <apr_pools.h>

typedef enum {
    GEOTAG_CHARSET_UTF8 = 0,
    GEOTAG_CHARSET_WINDOWS_1252, /* also used for ISO-8859-1 and US-ASCII */
    GEOTAG_CHARSET_UNSUPPORTED
} geotag_charset;

/* Maps a charset label (case-insensitive, as in Content-Type or
 * <meta charset>) to what the engine can read. */
geotag_charset geotag_charset_lookup(const char *label, apr_size_t len);

typedef struct {
    char *key;          /* folded bytes; key[len] is '\0' */
    char *cased;        /* same length as key: case kept, accents folded */
    apr_uint32_t *from; /* from[i] = source offset of the character that produced
                           key[i]; from[len] = source length consumed */
    apr_size_t len;     /* bytes in key / cased */
} geotag_normalized;

/* Output bytes needed for 'source_len' source bytes (worst case). */
apr_size_t geotag_normalize_capacity(apr_size_t source_len);

/*
 * Normalize source[0..len).  out->key, out->cased and out->from must have
 * room for geotag_normalize_capacity(len) bytes (from: that + 1 entries).
 * A character reference or multi-byte sequence cut off by the end of the
 * buffer is treated as literal text; callers that stream keep such a tail
 * (geotag_normalize_safe_end) for the next call.
 */
void geotag_normalize(const char *source, apr_size_t len, geotag_charset cs,
                      int fold_accents, geotag_normalized *out);

/*
 * Largest n <= len such that source[0..n) does not end inside a character
 * reference or a multi-byte sequence that more input could complete.
 */
apr_size_t geotag_normalize_safe_end(const char *source, apr_size_t len,
                                     geotag_charset cs);

/* Normalize a NUL-terminated UTF-8 string (a dictionary alias) the same way,
 * returning key (and cased, if wanted) allocated from pool. */
const char *geotag_normalize_string(apr_pool_t *pool, const char *utf8,
                                    int fold_accents, const char **cased);

/* Decode one character reference starting at s[0] == '&'.  Returns the
 * number of source bytes it spans (0 if it is not a reference) and writes
 * the UTF-8 of the character(s) to out (at most 8 bytes) and its length. */
apr_size_t geotag_decode_charref(const char *s, apr_size_t len, char *out,
                                 apr_size_t *out_len);

/* The page bytes s[0..len) as UTF-8 (a copy from pool): windows-1252 is
 * converted, UTF-8 is copied as it is. */
char *geotag_to_utf8(apr_pool_t *pool, const char *s, apr_size_t len,
                     geotag_charset cs, apr_size_t *out_len);

#define geotag_is_word_byte(c)                                              \
    (((unsigned char)(c) >= 0x80) || ((c) >= 'a' && (c) <= 'z') ||        \
     ((c) >= 'A' && (c) <= 'Z') || ((c) >= '0' && (c) <= '9'))

#endif
