/*
 * figpattern.h: the text of the one PCRE2 pattern of figures.c, built
 * from the language packs' words (langpack.h), so that a new language's
 * month names, multipliers and percent words are found without C changes.
 *
 * The capture groups the figure search reads are named: iso, dmy, dsep,
 * day, dord, dmonth, dyear, ord, num, pct, mult, mult1, tcur.
 */
#ifndef GEOTAG_FIGPATTERN_H
#define GEOTAG_FIGPATTERN_H

#include <apr_pools.h>

#include "langpack.h"

/* The pattern's text for the words of 'lex' (NULL: no words); 'fold' =
 * the dictionary folds accents, so the key holds folded spellings. */
const char *geotag_figures_pattern(apr_pool_t *pool, const geotag_lexicon *lex,
                                   int fold);

#endif
