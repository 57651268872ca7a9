/*
 * figures.c: figures and dates found in text (libFuzzer target).
 *
 * The first byte picks the page language ("it", "en", or none); the rest
 * is run through geotag_figures_find twice: as raw bytes (the patterns run
 * in byte mode, so any bytes must be safe) and as the normalizer's key (the
 * real input).  Checked: at most 'max' figures, in order, not overlapping,
 * each a non-empty range within the text; values NUL-terminated, of
 * [0-9.-] only; money carries a currency.
 */
#include <string.h>

#include "fuzz.h"
#include "normalize.h"

#define MAX_FIGURES 16

static void check_find(geotag_figures_scratch *scratch, const char *key,
                       apr_size_t len, const char *lang)
{
    geotag_figure out[MAX_FIGURES + 1];
    apr_size_t last_end = 0;
    int n, i;

    memset(out, 0x5a, sizeof(out)); /* a figure written past max shows */
    n = geotag_figures_find(fuzz_engine()->figures, scratch, key, len, lang,
                            out, MAX_FIGURES);
    fuzz_check(n >= 0 && n <= MAX_FIGURES, "%d figures for max %d", n,
               MAX_FIGURES);
    fuzz_check(((unsigned char *)&out[MAX_FIGURES])[0] == 0x5a,
               "a figure written past max");
    for (i = 0; i < n; i++) {
        const geotag_figure *f = &out[i];
        apr_size_t vlen = strnlen(f->value, sizeof(f->value)), k;
        fuzz_check(f->start < f->end && f->end <= len && f->start >= last_end,
                   "figure %d at [%zu, %zu) after %zu in %zu bytes", i,
                   f->start, f->end, last_end, len);
        last_end = f->end;
        fuzz_check(f->kind <= GEOTAG_FIGURE_DATE, "figure kind %d", f->kind);
        fuzz_check(vlen > 0 && vlen < sizeof(f->value),
                   "figure %d: value of %zu bytes", i, vlen);
        for (k = 0; k < vlen; k++)
            fuzz_check((f->value[k] >= '0' && f->value[k] <= '9') ||
                           f->value[k] == '.' || f->value[k] == '-',
                       "figure %d: value \"%s\"", i, f->value);
        fuzz_check(f->kind != GEOTAG_FIGURE_MONEY || f->currency,
                   "figure %d: money without a currency", i);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const langs[] = { "it", "en", NULL };
    apr_pool_t *pool;
    geotag_figures_scratch *scratch;
    geotag_normalized norm;
    const char *lang, *text;
    apr_size_t len, cap;

    if (size < 1)
        return 0;
    fuzz_engine();
    apr_pool_create(&pool, fuzz_root_pool());
    scratch = geotag_figures_scratch_create(pool, fuzz_engine()->figures);
    lang = langs[data[0] % 3];
    text = (const char *)data + 1;
    len = size - 1;

    check_find(scratch, text, len, lang);

    cap = geotag_normalize_capacity(len);
    norm.key = apr_palloc(pool, cap + 1);
    norm.cased = apr_palloc(pool, cap + 1);
    norm.from = apr_palloc(pool, (cap + 1) * sizeof(apr_uint32_t));
    geotag_normalize(text, len, GEOTAG_CHARSET_UTF8,
                     fuzz_engine()->gazetteer->fold_accents, &norm);
    check_find(scratch, norm.key, norm.len, lang);

    apr_pool_destroy(pool);
    return 0;
}
