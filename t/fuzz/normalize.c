/*
 * normalize.c: every entry point of src/normalize.h (libFuzzer target).
 *
 * The first byte picks the charset and accent folding; the rest is a text
 * run.  Checked: the output fits geotag_normalize_capacity(), the key
 * is NUL-terminated, the offset map stays within the input and never goes
 * back, safe_end is within the input; every character reference decoder
 * call stays within its buffer and its 8 bytes of output; the UTF-8
 * conversions give valid UTF-8 where they promise it.
 */
#include <string.h>

#include <apr_strings.h>

#include "fuzz.h"
#include "normalize.h"
#include "utf8.h"

/* Valid UTF-8 (no overlongs, surrogates or code points past U+10FFFF). */
static int valid_utf8(const unsigned char *s, apr_size_t len)
{
    apr_size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        apr_size_t n, k;
        apr_uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf)
            n = 1, cp = c & 0x1f;
        else if (c >= 0xe0 && c <= 0xef)
            n = 2, cp = c & 0x0f;
        else if (c >= 0xf0 && c <= 0xf4)
            n = 3, cp = c & 0x07;
        else
            return 0;
        if (len - i <= n)
            return 0; /* cut off */
        for (k = 1; k <= n; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if ((n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
            (n == 3 && (cp < 0x10000 || cp > 0x10ffff)))
            return 0;
        i += n + 1;
    }
    return 1;
}

static void check_normalize(apr_pool_t *pool, const char *src,
                            apr_size_t len, geotag_charset cs, int fold)
{
    apr_size_t cap = geotag_normalize_capacity(len), i, safe;
    geotag_normalized out;
    out.key = apr_palloc(pool, cap + 1);
    out.cased = apr_palloc(pool, cap + 1);
    out.from = apr_palloc(pool, (cap + 1) * sizeof(apr_uint32_t));
    geotag_normalize(src, len, cs, fold, &out);
    fuzz_check(out.len <= cap, "%zu bytes out, capacity %zu", out.len, cap);
    fuzz_check(out.key[out.len] == '\0', "key not NUL-terminated");
    fuzz_check(out.from[out.len] <= len, "from[len] = %u past %zu",
               (unsigned)out.from[out.len], len);
    for (i = 0; i < out.len; i++) {
        fuzz_check(out.from[i] < len, "from[%zu] = %u outside %zu bytes", i,
                   (unsigned)out.from[i], len);
        fuzz_check(out.from[i] <= out.from[i + 1],
                   "offset map goes back at %zu: %u then %u", i,
                   (unsigned)out.from[i], (unsigned)out.from[i + 1]);
    }
    fuzz_check(valid_utf8((const unsigned char *)out.key, out.len) &&
                   valid_utf8((const unsigned char *)out.cased, out.len),
               "the normalized output is not valid UTF-8");
    safe = geotag_normalize_safe_end(src, len, cs);
    fuzz_check(safe <= len, "safe_end %zu past %zu", safe, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *pool;
    geotag_charset cs;
    int fold;
    const char *src;
    apr_size_t len, i, n;
    char *copy, *u8;
    const char *cased = NULL, *key;

    if (size < 1)
        return 0;
    apr_pool_create(&pool, fuzz_root_pool());
    cs = data[0] & 1 ? GEOTAG_CHARSET_WINDOWS_1252 : GEOTAG_CHARSET_UTF8;
    fold = (data[0] >> 1) & 1;
    src = (const char *)data + 1;
    len = size - 1;

    /* a label: any bytes, never past len */
    (void)geotag_charset_lookup(src, len < 64 ? len : 64);

    check_normalize(pool, src, len, cs, fold);
    /* and a piece cut anywhere, as streaming does */
    if (len > 1)
        check_normalize(pool, src + data[0] % len, len - data[0] % len, cs,
                        fold);

    for (i = 0; i < len; i++) {
        if (src[i] == '&') {
            char out[8];
            apr_size_t out_len = 0;
            n = geotag_decode_charref(src + i, len - i, out, &out_len);
            fuzz_check(n <= len - i, "a reference of %zu bytes in %zu", n,
                       len - i);
            fuzz_check(n == 0 || (out_len >= 1 && out_len <= 8),
                       "a reference decoded to %zu bytes", out_len);
        }
    }
    if (len >= 4) {
        char out[4];
        apr_uint32_t cp;
        memcpy(&cp, src, 4);
        cp %= 0x110000;
        n = geotag_utf8_encode(cp, out);
        fuzz_check(n >= 1 && n <= 4, "U+%X encoded in %zu bytes",
                   (unsigned)cp, n);
    }

    u8 = geotag_to_utf8(pool, src, len, cs, &n);
    fuzz_check(u8 != NULL, "no UTF-8 copy");
    if (cs == GEOTAG_CHARSET_UTF8)
        fuzz_check(n == len && !memcmp(u8, src, len),
                   "UTF-8 is not copied as it is");
    else
        fuzz_check(valid_utf8((const unsigned char *)u8, n),
                   "windows-1252 converted to invalid UTF-8");

    /* the dictionary side: a NUL-terminated string */
    copy = apr_pstrmemdup(pool, src, len);
    key = geotag_normalize_string(pool, copy, fold, &cased);
    fuzz_check(key && cased && strlen(key) == strlen(cased),
               "normalize_string: key and cased differ in length");

    apr_pool_destroy(pool);
    return 0;
}
