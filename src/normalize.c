/*
 * normalize.c: the matching key of a text run, with its offset map.
 *
 * Here's the concept.  The source is read one *source character* at a
 * time: an ASCII byte, a UTF-8 sequence, a windows-1252 byte, or a whole
 * character reference ("&egrave;", "&#8217;").  Each source character
 * becomes zero or more code points, and each code point is written twice,
 * into key (case and accents folded) and into cased (accents folded only),
 * always with the same number of bytes in both, and every byte written gets
 * the source offset of the character that produced it in from[].  That
 * equal-length rule is what lets the matcher find a name in key, check its
 * capitalisation at the same positions in cased, and map both ends back to
 * the page through from[] without any second pass.
 *
 * Keeping the lengths equal decides the folding rules:
 * - an accent fold goes to ASCII letters in both ("À" -> "a" / "A",
 *   "Æ" -> "ae" / "AE", "ß" -> "ss" / "ss");
 * - a case fold is applied only where upper and lower case have the same
 *   UTF-8 length, which holds for all of Latin-1, Latin Extended-A (but
 *   U+0130, left alone), Greek and Cyrillic; anything else is copied.
 *
 * Beyond the lists in normalize.h, close relatives get the same treatment:
 * ‚ ‛ are apostrophes; ‟ ″ ‹ › are quotes; \v, U+0085, U+1680, U+2028 and
 * U+2029 are spaces; the bidi marks (U+200E/F, U+202A-E, U+2066-9) vanish
 * like the zero-width characters.  With fold_accents, Romanian ș ț, ẞ,
 * Greek tonos / dialytika and the Cyrillic ѐ ё ѝ fold as well.
 *
 * Most page text is ASCII, so the main loop copies plain ASCII through two
 * 128-entry tables and leaves the loop only at '&' or a byte >= 0x80.
 *
 * Capacity: each source character emits at most 3 bytes per source byte.
 * An ASCII byte emits 1.  A byte >= 0x80 read as windows-1252 is a code
 * point <= U+2122 and emits at most 3 ("..." for U+2026, or 3 UTF-8 bytes);
 * an invalid UTF-8 byte emits U+FFFD, 3 bytes.  A valid k-byte UTF-8
 * sequence emits at most k bytes: below U+0800 every rule gives <= 2 bytes
 * (a fold gives <= 2 ASCII letters), below U+10000 <= 3 ("...", U+FFFD),
 * above it the 4 bytes are copied.  A character reference spans >= 3 bytes
 * ("&lt", "&#9") and yields at most two code points of <= 4 bytes each,
 * so <= 8 <= 3 * 3 bytes.  Hence len <= 3 * source_len; the capacity
 * below leaves headroom on top of that for future mappings.
 */
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <apr_strings.h>

#include "entities.h"
#include "normalize.h"
#include "utf8.h"

#define REPLACEMENT_CHARACTER GEOTAG_UTF8_REPLACEMENT
#define SMALL_STRING_CAPACITY 1032 /* geotag_normalize_capacity(256) */

/* ASCII, lower-cased, with the ASCII spaces made ' ' and '`' made '\''. */
static const unsigned char ascii_key[128] = {
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x20, 0x20, 0x20, 0x20, 0x20, 0x0e, 0x0f,
    0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
    0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f,
    0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f,
    0x40, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f,
    0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f,
    0x27, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f,
    0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x7b, 0x7c, 0x7d, 0x7e, 0x7f,
};

/* The same with the case kept. */
static const unsigned char ascii_cased[128] = {
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x20, 0x20, 0x20, 0x20, 0x20, 0x0e, 0x0f,
    0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
    0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f,
    0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f,
    0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f,
    0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f,
    0x27, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f,
    0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x7b, 0x7c, 0x7d, 0x7e, 0x7f,
};

/*
 * Bytes 0x80-0x9F of windows-1252, which HTML also applies to numeric
 * references in that range.  The five holes keep their C1 code point, as
 * both the WHATWG encoding and the reference rules say.
 */
static const apr_uint16_t windows_1252_c1[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

/*
 * The accent fold of U+00C0-U+017F, case kept ("" for × and ÷, which are
 * not letters).  Letters without a decomposition get their usual Latin
 * transliteration: ø -> o, ł -> l, đ -> d, ı -> i, æ -> ae, þ -> th.
 */
static const char *const latin_fold[0x180 - 0xC0] = {
    /* U+00C0 */ "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I",
    /* U+00D0 */ "D", "N", "O", "O", "O", "O", "O", "", "O", "U", "U", "U", "U", "Y", "TH", "ss",
    /* U+00E0 */ "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    /* U+00F0 */ "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y",
    /* U+0100 */ "A", "a", "A", "a", "A", "a", "C", "c", "C", "c", "C", "c", "C", "c", "D", "d",
    /* U+0110 */ "D", "d", "E", "e", "E", "e", "E", "e", "E", "e", "E", "e", "G", "g", "G", "g",
    /* U+0120 */ "G", "g", "G", "g", "H", "h", "H", "h", "I", "i", "I", "i", "I", "i", "I", "i",
    /* U+0130 */ "I", "i", "IJ", "ij", "J", "j", "K", "k", "k", "L", "l", "L", "l", "L", "l", "L",
    /* U+0140 */ "l", "L", "l", "N", "n", "N", "n", "N", "n", "n", "N", "n", "O", "o", "O", "o",
    /* U+0150 */ "O", "o", "OE", "oe", "R", "r", "R", "r", "R", "r", "S", "s", "S", "s", "S", "s",
    /* U+0160 */ "S", "s", "T", "t", "T", "t", "T", "t", "U", "u", "U", "u", "U", "u", "U", "u",
    /* U+0170 */ "U", "u", "U", "u", "W", "w", "Y", "y", "Y", "Z", "z", "Z", "z", "Z", "z", "s",
};

typedef struct {
    char *key;
    char *cased;
    apr_uint32_t *from;
    apr_size_t len;
} sink;

static APR_INLINE void emit_byte(sink *w, char key, char cased,
                                 apr_uint32_t at)
{
    w->key[w->len] = key;
    w->cased[w->len] = cased;
    w->from[w->len] = at;
    w->len++;
}

/* An ASCII fold: cased as given, key lower-cased. */
static void emit_ascii(sink *w, const char *cased, apr_uint32_t at)
{
    for (; *cased; cased++)
        emit_byte(w, (char)ascii_key[(unsigned char)*cased], *cased, at);
}

/* Two code points whose UTF-8 have the same length (the callers' rule). */
static void emit_pair(sink *w, apr_uint32_t key, apr_uint32_t cased,
                      apr_uint32_t at)
{
    apr_size_t n = geotag_utf8_encode(cased, w->cased + w->len), i;

    geotag_utf8_encode(key, w->key + w->len);
    for (i = 0; i < n; i++)
        w->from[w->len + i] = at;
    w->len += n;
}

/* Simple lower case in U+0080-U+017F, where it keeps the UTF-8 length. */
static apr_uint32_t latin_lower(apr_uint32_t cp)
{
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
        return cp + 0x20;
    if (cp < 0x100)
        return cp;
    if (cp == 0x130) /* İ lowers to "i" + U+0307: another length, kept */
        return cp;
    if (cp == 0x178)
        return 0xFF;
    if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
        return (cp & 1) ? cp + 1 : cp;
    if (cp <= 0x137 || (cp >= 0x14A && cp <= 0x177))
        return cp | 1;
    return cp; /* ĸ, ŉ, ſ have no upper-case partner here */
}

static apr_uint32_t greek_lower(apr_uint32_t cp)
{
    if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2)
        return cp + 0x20;
    switch (cp) {
    case 0x386:
        return 0x3AC;
    case 0x388: case 0x389: case 0x38A:
        return cp + 0x25;
    case 0x38C:
        return 0x3CC;
    case 0x38E: case 0x38F:
        return cp + 0x3F;
    case 0x3C2: /* final sigma: the same letter as σ for matching */
        return 0x3C3;
    case 0x370: case 0x372: case 0x376: case 0x3F7: case 0x3FA:
        return cp + 1;
    case 0x37F:
        return 0x3F3;
    case 0x3CF:
        return 0x3D7;
    case 0x3F4:
        return 0x3B8;
    case 0x3F9:
        return 0x3F2;
    case 0x3FD: case 0x3FE: case 0x3FF:
        return cp - 0x82;
    }
    if (cp >= 0x3D8 && cp <= 0x3EF)
        return cp | 1;
    return cp;
}

/* Greek without tonos and dialytika, case kept. */
static apr_uint32_t greek_fold(apr_uint32_t cp)
{
    switch (cp) {
    case 0x386: return 0x391;
    case 0x388: return 0x395;
    case 0x389: return 0x397;
    case 0x38A: case 0x3AA: return 0x399;
    case 0x38C: return 0x39F;
    case 0x38E: case 0x3AB: return 0x3A5;
    case 0x38F: return 0x3A9;
    case 0x3AC: return 0x3B1;
    case 0x3AD: return 0x3B5;
    case 0x3AE: return 0x3B7;
    case 0x3AF: case 0x390: case 0x3CA: return 0x3B9;
    case 0x3CC: return 0x3BF;
    case 0x3CD: case 0x3B0: case 0x3CB: return 0x3C5;
    case 0x3CE: return 0x3C9;
    }
    return cp;
}

/* U+0400-U+052F: the basic alphabet plus the historic and non-Russian
 * letters, which pair up by parity. */
static apr_uint32_t cyrillic_lower(apr_uint32_t cp)
{
    if (cp <= 0x40F)
        return cp + 0x50;
    if (cp <= 0x42F)
        return cp + 0x20;
    if ((cp >= 0x460 && cp <= 0x481) || (cp >= 0x48A && cp <= 0x4BF) ||
        (cp >= 0x4D0 && cp <= 0x52F))
        return cp | 1;
    if (cp == 0x4C0)
        return 0x4CF;
    if (cp >= 0x4C1 && cp <= 0x4CE && (cp & 1))
        return cp + 1;
    return cp;
}

/* Only the letters that are an accented е / и; й, ї, ў ... are letters of
 * their own and stay. */
static apr_uint32_t cyrillic_fold(apr_uint32_t cp)
{
    switch (cp) {
    case 0x400: case 0x401: return 0x415;
    case 0x40D: return 0x418;
    case 0x450: case 0x451: return 0x435;
    case 0x45D: return 0x438;
    }
    return cp;
}

/* Punctuation and spacing above U+07FF: the byte to emit, 0 to emit
 * nothing, -1 if the code point is not one of them. */
static int wide_punctuation(apr_uint32_t cp)
{
    if (cp >= 0x2000 && cp <= 0x200A)
        return ' ';
    if (cp >= 0x2010 && cp <= 0x2015)
        return '-';
    switch (cp) {
    case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F:
    case 0x3000:
        return ' ';
    case 0x2212:
        return '-';
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032:
        return '\'';
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033:
    case 0x2039: case 0x203A:
        return '"';
    /* Invisible: soft breaks, joiners, BOM, and the bidi marks that
     * editors paste inside names. */
    case 0x200B: case 0x200C: case 0x200D: case 0x200E: case 0x200F:
    case 0x202A: case 0x202B: case 0x202C: case 0x202D: case 0x202E:
    case 0x2060: case 0x2066: case 0x2067: case 0x2068: case 0x2069:
    case 0xFEFF:
        return 0;
    }
    return -1;
}

static void emit_code_point(sink *w, apr_uint32_t cp, int fold_accents,
                            apr_uint32_t at)
{
    apr_uint32_t cased = cp;
    int p;

    if (cp < 0x80) {
        emit_byte(w, (char)ascii_key[cp], (char)ascii_cased[cp], at);
        return;
    }
    if (cp < 0x180) {
        switch (cp) {
        case 0x85: case 0xA0:
            emit_byte(w, ' ', ' ', at);
            return;
        case 0xAB: case 0xBB:
            emit_byte(w, '"', '"', at);
            return;
        case 0xB4:
            emit_byte(w, '\'', '\'', at);
            return;
        case 0xAD:
            return;
        }
        if (fold_accents && cp >= 0xC0 && latin_fold[cp - 0xC0][0]) {
            emit_ascii(w, latin_fold[cp - 0xC0], at);
            return;
        }
        emit_pair(w, latin_lower(cp), cp, at);
        return;
    }
    if (cp < 0x800) {
        if (cp >= 0x370 && cp <= 0x3FF) {
            if (fold_accents)
                cased = greek_fold(cp);
            emit_pair(w, greek_lower(cased), cased, at);
        }
        else if (cp >= 0x400 && cp <= 0x52F) {
            if (fold_accents)
                cased = cyrillic_fold(cp);
            emit_pair(w, cyrillic_lower(cased), cased, at);
        }
        else if (cp >= 0x218 && cp <= 0x21B) {
            /* Romanian ș ț (comma below), common in names */
            static const char *const romanian_fold[4] = { "S", "s", "T", "t" };

            if (fold_accents)
                emit_ascii(w, romanian_fold[cp - 0x218], at);
            else
                emit_pair(w, cp | 1, cp, at);
        }
        else if (cp == 0x2BC) {
            emit_byte(w, '\'', '\'', at);
        }
        else {
            emit_pair(w, cp, cp, at);
        }
        return;
    }
    p = wide_punctuation(cp);
    if (p > 0) {
        emit_byte(w, (char)p, (char)p, at);
    }
    else if (p == 0) {
        return;
    }
    else if (cp == 0x2026) {
        emit_ascii(w, "...", at);
    }
    else if (cp == 0x1E9E && fold_accents) {
        emit_ascii(w, "SS", at); /* ẞ: its lower case ß is shorter */
    }
    else {
        emit_pair(w, cp, cp, at);
    }
}

geotag_charset geotag_charset_lookup(const char *label, apr_size_t len)
{
    static const char *const utf8_labels[] = {
        "utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8",
        "unicode20utf8", "x-unicode20utf8", NULL
    };
    /* HTML reads every ISO-8859-1 and ASCII label as windows-1252. */
    static const char *const windows_1252_labels[] = {
        "windows-1252", "cp1252", "x-cp1252", "iso-8859-1", "iso8859-1",
        "iso88591", "iso_8859-1", "iso_8859-1:1987", "iso-ir-100", "latin1",
        "l1", "csisolatin1", "ibm819", "cp819", "us-ascii", "ascii",
        "ansi_x3.4-1968", NULL
    };
    char lower[32];
    apr_size_t i;

    if (label == NULL)
        return GEOTAG_CHARSET_UNSUPPORTED;
    while (len > 0 && (*label == ' ' || *label == '\t' || *label == '"' ||
                       *label == '\'' || *label == '\r' || *label == '\n')) {
        label++;
        len--;
    }
    while (len > 0 && (label[len - 1] == ' ' || label[len - 1] == '\t' ||
                       label[len - 1] == '"' || label[len - 1] == '\'' ||
                       label[len - 1] == '\r' || label[len - 1] == '\n'))
        len--;
    if (len == 0 || len >= sizeof(lower))
        return GEOTAG_CHARSET_UNSUPPORTED;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)label[i];

        lower[i] = (char)(c < 0x80 ? ascii_key[c] : c);
    }
    lower[len] = '\0';
    for (i = 0; utf8_labels[i]; i++)
        if (strcmp(lower, utf8_labels[i]) == 0)
            return GEOTAG_CHARSET_UTF8;
    for (i = 0; windows_1252_labels[i]; i++)
        if (strcmp(lower, windows_1252_labels[i]) == 0)
            return GEOTAG_CHARSET_WINDOWS_1252;
    return GEOTAG_CHARSET_UNSUPPORTED;
}

apr_size_t geotag_normalize_capacity(apr_size_t source_len)
{
    return 4 * source_len + 8;
}

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

apr_size_t geotag_decode_charref(const char *s, apr_size_t len, char *out,
                                 apr_size_t *out_len)
{
    const char *utf8;
    apr_size_t n, i, digits = 0;
    apr_uint32_t v = 0, base = 10;

    if (len < 2 || s[0] != '&')
        return 0;
    if (s[1] != '#') {
        n = geotag_entity_match(s + 1, len - 1, &utf8, out_len);
        if (n == 0)
            return 0;
        memcpy(out, utf8, *out_len);
        return n + 1;
    }
    i = 2;
    if (i < len && (s[i] == 'x' || s[i] == 'X')) {
        base = 16;
        i++;
    }
    for (; i < len; i++, digits++) {
        int d = hex_value((unsigned char)s[i]);

        if (d < 0 || (apr_uint32_t)d >= base)
            break;
        /* Past U+10FFFF the value no longer matters (it is U+FFFD), so it
         * stops growing instead of overflowing. */
        if (v <= 0x10FFFF)
            v = v * base + (apr_uint32_t)d;
    }
    if (digits == 0) /* "&#" or "&#x" alone is text */
        return 0;
    if (i < len && s[i] == ';')
        i++;
    if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        v = REPLACEMENT_CHARACTER;
    else if (v >= 0x80 && v <= 0x9F)
        v = windows_1252_c1[v - 0x80];
    *out_len = geotag_utf8_encode(v, out);
    return i;
}

/*
 * ascii_cased and ascii_key on eight ASCII bytes at once (SWAR): the bytes
 * of x are all below 0x80, so adding 0x80 - lo to each cannot carry into
 * the next, and its top bit then says "at least lo".
 */
#define BYTES(b) (UINT64_C(0x0101010101010101) * (b))

static inline apr_uint64_t bytes_in_range(apr_uint64_t x, unsigned lo,
                                          unsigned hi)
{
    apr_uint64_t at_least_lo = x + BYTES(0x80 - lo);
    apr_uint64_t above_hi = x + BYTES(0x80 - hi - 1);
    return at_least_lo & ~above_hi & BYTES(0x80);
}

static inline void ascii8(apr_uint64_t x, char *key, char *cased)
{
    apr_uint64_t space = bytes_in_range(x, 0x09, 0x0D);  /* -> ' ' */
    apr_uint64_t grave = bytes_in_range(x, 0x60, 0x60);  /* '`' -> '\'' */
    apr_uint64_t upper = bytes_in_range(x, 'A', 'Z');    /* -> + 0x20 */
    apr_uint64_t c = x;

    if (space | grave) {
        apr_uint64_t lanes = ((space | grave) >> 7) * 0xFF;
        c = (c & ~lanes) | ((space >> 7) * 0x20) | ((grave >> 7) * 0x27);
    }
    memcpy(cased, &c, 8);
    c |= upper >> 2;
    memcpy(key, &c, 8);
}

#if defined(__SSE2__)
/*
 * Sixteen plain ASCII bytes (none >= 0x80, none '&') at once: the key, the
 * cased copy and the offsets.  0 when a byte is not plain (the
 * eight-byte and one-byte paths take it then).  Every byte is below 0x80,
 * so the signed comparisons of SSE2 compare them as unsigned.
 */
static inline int ascii16(const unsigned char *s, apr_size_t i, char *key,
                          char *cased, apr_uint32_t *from, apr_size_t o)
{
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
    __m128i sp, gr, up, c, k, base, step;

    if (_mm_movemask_epi8(
            _mm_or_si128(x, _mm_cmpeq_epi8(x, _mm_set1_epi8('&')))))
        return 0;
    sp = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(0x08)),
                       _mm_cmplt_epi8(x, _mm_set1_epi8(0x0E)));
    gr = _mm_cmpeq_epi8(x, _mm_set1_epi8(0x60));
    c = _mm_or_si128(_mm_andnot_si128(_mm_or_si128(sp, gr), x),
                     _mm_or_si128(_mm_and_si128(sp, _mm_set1_epi8(0x20)),
                                  _mm_and_si128(gr, _mm_set1_epi8(0x27))));
    _mm_storeu_si128((__m128i *)(void *)(cased + o), c);
    up = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('A' - 1)),
                       _mm_cmplt_epi8(x, _mm_set1_epi8('Z' + 1)));
    k = _mm_or_si128(c, _mm_and_si128(up, _mm_set1_epi8(0x20)));
    _mm_storeu_si128((__m128i *)(void *)(key + o), k);
    base = _mm_add_epi32(_mm_set1_epi32((int)i), _mm_set_epi32(3, 2, 1, 0));
    step = _mm_set1_epi32(4);
    _mm_storeu_si128((__m128i *)(void *)(from + o), base);
    base = _mm_add_epi32(base, step);
    _mm_storeu_si128((__m128i *)(void *)(from + o + 4), base);
    base = _mm_add_epi32(base, step);
    _mm_storeu_si128((__m128i *)(void *)(from + o + 8), base);
    base = _mm_add_epi32(base, step);
    _mm_storeu_si128((__m128i *)(void *)(from + o + 12), base);
    return 1;
}
#endif

void geotag_normalize(const char *source, apr_size_t len, geotag_charset cs,
                      int fold_accents, geotag_normalized *out)
{
    const unsigned char *s = (const unsigned char *)source;
    char *key = out->key, *cased = out->cased;
    apr_uint32_t *from = out->from;
    apr_size_t i = 0, o = 0;
    sink w;

    w.key = key;
    w.cased = cased;
    w.from = from;
    while (i < len) {
        unsigned char c;
        apr_uint32_t cp;

#if defined(__SSE2__)
        while (len - i >= 16 && ascii16(s, i, key, cased, from, o)) {
            o += 16;
            i += 16;
        }
#endif
        /* Eight plain ASCII bytes at a time while no byte has its high bit
         * set or is '&' (the usual "has zero byte" trick on x ^ "&&&&...") */
        while (len - i >= 8) {
            apr_uint64_t x, amp;
            int k;

            memcpy(&x, s + i, 8);
            amp = x ^ UINT64_C(0x2626262626262626);
            if ((x | ((amp - UINT64_C(0x0101010101010101)) & ~amp)) &
                UINT64_C(0x8080808080808080))
                break;
            ascii8(x, key + o, cased + o);
            for (k = 0; k < 8; k++)
                from[o + k] = (apr_uint32_t)(i + k);
            o += 8;
            i += 8;
        }
        if (i >= len)
            break;
        c = s[i];
        if (c < 0x80 && c != '&') {
            key[o] = (char)ascii_key[c];
            cased[o] = (char)ascii_cased[c];
            from[o] = (apr_uint32_t)i;
            o++;
            i++;
            continue;
        }
        w.len = o;
        if (c == '&') {
            char ref[8];
            apr_size_t ref_len, span, k;

            span = geotag_decode_charref(source + i, len - i, ref, &ref_len);
            if (span == 0) {
                emit_byte(&w, '&', '&', (apr_uint32_t)i);
                i++;
            }
            else {
                for (k = 0; k < ref_len;) {
                    apr_size_t n = geotag_utf8_decode(
                        (const unsigned char *)ref + k, ref_len - k, &cp);
                    k += n ? n : 1;
                    emit_code_point(&w, cp, fold_accents, (apr_uint32_t)i);
                }
                i += span;
            }
        }
        else if (cs == GEOTAG_CHARSET_UTF8) {
            apr_size_t n = geotag_utf8_decode(s + i, len - i, &cp);

            /* an invalid byte is one U+FFFD (cp says so) */
            emit_code_point(&w, cp, fold_accents, (apr_uint32_t)i);
            i += n ? n : 1;
        }
        else {
            cp = c < 0xA0 ? windows_1252_c1[c - 0x80] : c;
            emit_code_point(&w, cp, fold_accents, (apr_uint32_t)i);
            i++;
        }
        o = w.len;
    }
    from[o] = (apr_uint32_t)len;
    key[o] = '\0';     /* a sentinel for the matcher's word scans */
    out->len = o;
}

static int is_name_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
}

apr_size_t geotag_normalize_safe_end(const char *source, apr_size_t len,
                                     geotag_charset cs)
{
    const unsigned char *s = (const unsigned char *)source;
    /* the longest reference that more input could still change:
     * '&' + a 31-letter name + ';', or "&#x" + digits */
    apr_size_t window = GEOTAG_ENTITY_NAME_MAX + 1;
    apr_size_t start = len > window ? len - window : 0;
    apr_size_t i = len, tail, lead_at;
    unsigned char lead;

    while (i > start && is_name_byte(s[i - 1]))
        i--;
    if (i > start && s[i - 1] == '#')
        i--;
    if (i > start && s[i - 1] == '&')
        return i - 1;

    if (cs != GEOTAG_CHARSET_UTF8)
        return len;
    /* A UTF-8 sequence that has its valid beginning but not its end. */
    tail = 0;
    while (tail < 3 && tail < len && (s[len - 1 - tail] & 0xC0) == 0x80)
        tail++;
    if (tail == len)
        return len;
    lead_at = len - 1 - tail;
    lead = s[lead_at];
    if (lead >= 0xC2 && lead <= 0xDF && tail < 1)
        return lead_at;
    if (lead >= 0xE0 && lead <= 0xEF && tail < 2) {
        if (tail == 1 && ((lead == 0xE0 && s[lead_at + 1] < 0xA0) ||
                          (lead == 0xED && s[lead_at + 1] > 0x9F)))
            return len; /* already invalid: nothing can complete it */
        return lead_at;
    }
    if (lead >= 0xF0 && lead <= 0xF4 && tail < 3) {
        if (tail >= 1 && ((lead == 0xF0 && s[lead_at + 1] < 0x90) ||
                          (lead == 0xF4 && s[lead_at + 1] > 0x8F)))
            return len;
        return lead_at;
    }
    return len;
}

const char *geotag_normalize_string(apr_pool_t *pool, const char *utf8,
                                    int fold_accents, const char **cased)
{
    /* Aliases are short and a dictionary holds many of them, so the work
     * arrays live on the stack and only the result goes to the pool. */
    char key_buf[SMALL_STRING_CAPACITY], cased_buf[SMALL_STRING_CAPACITY];
    apr_uint32_t from_buf[SMALL_STRING_CAPACITY + 1];
    apr_size_t len = strlen(utf8);
    apr_size_t capacity = geotag_normalize_capacity(len);
    geotag_normalized out;

    if (capacity <= SMALL_STRING_CAPACITY) {
        out.key = key_buf;
        out.cased = cased_buf;
        out.from = from_buf;
    }
    else {
        /* rare: a long string costs pool space once, at load time */
        out.key = apr_palloc(pool, capacity);
        out.cased = apr_palloc(pool, capacity);
        out.from = apr_palloc(pool, (capacity + 1) * sizeof(*out.from));
    }
    geotag_normalize(utf8, len, GEOTAG_CHARSET_UTF8, fold_accents, &out);
    if (cased)
        *cased = apr_pstrmemdup(pool, out.cased, out.len);
    return apr_pstrmemdup(pool, out.key, out.len);
}

char *geotag_to_utf8(apr_pool_t *pool, const char *s, apr_size_t len,
                     geotag_charset cs, apr_size_t *out_len)
{
    char *out;
    apr_size_t i, n = 0;

    if (cs != GEOTAG_CHARSET_WINDOWS_1252) {
        *out_len = len;
        return apr_pstrmemdup(pool, s, len);
    }
    /* every byte is one character of at most 3 UTF-8 bytes */
    out = apr_palloc(pool, len * 3 + 1);
    for (i = 0; i < len; i++) {
        apr_uint32_t c = (unsigned char)s[i];
        if (c >= 0x80 && c < 0xA0)
            c = windows_1252_c1[c - 0x80];
        n += geotag_utf8_encode(c, out + n);
    }
    out[n] = '\0';
    *out_len = n;
    return out;
}
