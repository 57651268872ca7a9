/*
 * figures.h: figures and dates in normalized text, with PCRE2 (JIT).
 *
 * The patterns are ASCII and run in byte mode on the normalizer's key
 * (lower case, punctuation unified, so "2,8&nbsp;milioni" arrives as
 * "2,8 milioni"), only over windows that contain a digit.  Italian and
 * English forms:
 *
 *   10mila  10.000  10,000  2,8 milioni  2.8 million  $60bn  60 miliardi di
 *   dollari  30%  30 per cento  100.000 in meno  giugno 2024  19 June 2024
 *   19/06/2024  fine del 2022  nel 2018
 *
 * Each figure gets a normalized value (plain digits, '.' as the decimal
 * point: "2800000", "2.5") and, for numbers, the counted noun that follows
 * within a few words ("soldati", "shells") when the gazetteer's lexicon
 * lists it as a unit; money gets its ISO 4217 currency.  Dates get ISO 8601
 * ("2024-06-19", "2024-06", "2024"); a date without a year is skipped, never
 * guessed.  Number separators are read by the page language: in "it" a
 * '.' followed by three digits groups thousands, in "en" a ','.
 *
 * It must never: run a pattern in UTF or UCP mode (4-12x slower, and
 * invalid UTF-8 must not matter), or allocate per match.
 */
#ifndef GEOTAG_FIGURES_H
#define GEOTAG_FIGURES_H

#include <apr_pools.h>
#include "gazetteer.h"

typedef enum {
    GEOTAG_FIGURE_NUMBER = 0, /* a count or amount: value, optional unit */
    GEOTAG_FIGURE_PERCENT,    /* value in percent ("30") */
    GEOTAG_FIGURE_MONEY,      /* value + currency */
    GEOTAG_FIGURE_DATE        /* value is ISO 8601 */
} geotag_figure_kind;

#define GEOTAG_FIGURE_VALUE_MAX 32

typedef struct {
    apr_size_t start, end;   /* byte range in the key that the markup wraps */
    geotag_figure_kind kind;
    char value[GEOTAG_FIGURE_VALUE_MAX]; /* ASCII, NUL-terminated */
    const geotag_unit *unit; /* counted noun (from the gazetteer), or NULL */
    const char *currency;    /* "USD", "EUR" ... for money, else NULL */
} geotag_figure;

/* Compiled patterns and the unit lexicon: built once, shared read-only. */
typedef struct geotag_figures geotag_figures;

geotag_figures *geotag_figures_compile(apr_pool_t *pool,
                                       const geotag_gazetteer *g,
                                       const char **error);

/* Per-session match data (not shareable between threads). */
typedef struct geotag_figures_scratch geotag_figures_scratch;

geotag_figures_scratch *geotag_figures_scratch_create(apr_pool_t *pool,
                                                      const geotag_figures *f);

/*
 * Find the figures in key[0..len) in order, at most 'max', without overlaps.
 * 'lang' ("it", "en", or NULL = guess per figure) decides separators and
 * which units count.  Returns how many were written to 'out'.
 */
int geotag_figures_find(const geotag_figures *f, geotag_figures_scratch *s,
                        const char *key, apr_size_t len, const char *lang,
                        geotag_figure *out, int max);

#endif
