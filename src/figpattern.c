/*
 * figpattern.c: the text of the figure pattern (see figpattern.h).
 *
 * Here's the concept: the pattern is fixed where it reads digits and
 * symbols, and its word alternatives (months, multipliers, percent words,
 * ordinal suffixes, the "of" of "19 of june") are the language packs'
 * words, put in as literals, longest first, in both spellings when accents
 * are folded.  A kind without words becomes "(?!)", which never matches.
 */
#include <stdlib.h>
#include <string.h>

#include <apr_hash.h>
#include <apr_strings.h>

#include "figpattern.h"
#include "figvalue.h"

/*
 * The one pattern, with the word lists of the language packs (langpack.h)
 * put in where the %s are, in this order: ordinal suffixes, the word
 * between a day and its month, month names, ordinal suffixes again,
 * percent words, multipliers, glued multipliers.  Every alternative begins
 * with a digit (see the design comment).  The branch order matters: dates
 * before plain numbers, so "19 giugno 2024" is not read as the number 19.
 * Possessive quantifiers on the number keep a rejected "1.5x" from being
 * retried as "1".
 */
static const char geotag_figures_template[] =
    /* not inside a word or after "x." / "2," (the "5" of "g20.5") */
    "(?<![0-9a-zA-Z_])(?<![0-9a-zA-Z_][.,])"
    "(?:"
    "(?<iso>[0-9]{4}-[0-9]{2}-[0-9]{2})"
    "|(?<dmy>[0-9]{1,2}(?<dsep>[/.-])[0-9]{1,2}\\k<dsep>[0-9]{4})"
    "|(?<day>[0-9]{1,2})(?<dord>\\xc2[\\xb0\\xba]|%s)?[ ](?:(?:%s)[ ])?"
    "(?<dmonth>%s)(?![a-z])\\.?"
    "(?:,?[ ](?<dyear>[0-9]{4}))?"
    "|(?<ord>[0-9]{1,2})(?:\\xc2[\\xb0\\xba]|%s)"
    /* thousands grouped by spaces ("150 000", the ISO way) or by marks */
    "|(?<num>[0-9]{1,3}+(?:[ ][0-9]{3}+)++(?![0-9])(?:[.,][0-9]++)?+"
    "|[0-9]++(?:[.,][0-9]++)*+)"
    "(?:[ ]?(?<pct>%%|(?:%s)(?![a-z]))"
    "|(?:[ ]?(?<mult>%s)|(?<mult1>%s))?"
    /* a symbol before another number is that number's ("5 $6") */
    "(?:[ ]?(?<tcur>\\xe2\\x82\\xac|\\xc2[\\xa3\\xa5]|\\$)(?![ ]?[0-9]))?"
    ")"
    ")"
    /* a symbol may touch what follows; anything else must end a word */
    "(?:(?<=[%%$\\xac\\xa3\\xa5])|(?![0-9a-zA-Z_\\x80-\\xff]))";

static int longest_first(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    size_t lx = strlen(x), ly = strlen(y);

    if (lx != ly)
        return lx > ly ? -1 : 1;
    return strcmp(x, y);
}

/* A word as a regex literal: a space is "[ ]", punctuation is escaped. */
static void regex_literal(apr_array_header_t *out, const char *w)
{
    for (; *w; w++) {
        unsigned char c = (unsigned char)*w;
        if (c == ' ') {
            APR_ARRAY_PUSH(out, char) = '[';
            APR_ARRAY_PUSH(out, char) = ' ';
            c = ']';
        }
        else if (c < 0x80 && !geotag_is_word_ascii(c)) {
            APR_ARRAY_PUSH(out, char) = '\\';
        }
        APR_ARRAY_PUSH(out, char) = (char)c;
    }
}

/*
 * The words of one kind, of every pack, as an alternation, longest first
 * (so that a word wins over its prefix as the greedy "millions?" did),
 * each in both spellings when accents are folded; "(?!)", which never
 * matches, when there is none.  'glued' picks multipliers by their flag.
 */
static const char *build_alternation(apr_pool_t *pool,
                                      const geotag_lexicon *lex,
                                      geotag_word_kind kind, int glued,
                                      int fold)
{
    apr_array_header_t *words = apr_array_make(pool, 32, sizeof(char *));
    apr_array_header_t *out = apr_array_make(pool, 256, 1);
    apr_hash_t *seen = apr_hash_make(pool);
    int i, n;

    for (i = 0; lex && i < lex->words->nelts; i++) {
        const geotag_word *w = &APR_ARRAY_IDX(lex->words, i, geotag_word);
        const char *forms[2];
        int k;
        if (w->kind != kind ||
            (kind == GEOTAG_WORD_MULTIPLIER && w->flag != glued))
            continue;
        forms[0] = w->text;
        forms[1] = fold ? geotag_lexicon_key(pool, w->text, 1, &n) : w->text;
        for (k = 0; k < 2; k++) {
            if (apr_hash_get(seen, forms[k], APR_HASH_KEY_STRING))
                continue;
            apr_hash_set(seen, forms[k], APR_HASH_KEY_STRING, "");
            APR_ARRAY_PUSH(words, const char *) = forms[k];
        }
    }
    if (words->nelts == 0)
        return "(?!)";
    qsort(words->elts, (size_t)words->nelts, sizeof(char *),
          longest_first);
    for (i = 0; i < words->nelts; i++) {
        if (i > 0)
            APR_ARRAY_PUSH(out, char) = '|';
        regex_literal(out, APR_ARRAY_IDX(words, i, const char *));
    }
    APR_ARRAY_PUSH(out, char) = '\0';
    return out->elts;
}

const char *geotag_figures_pattern(apr_pool_t *pool, const geotag_lexicon *lex,
                                   int fold)
{
    const char *ordinal =
        build_alternation(pool, lex, GEOTAG_WORD_ORDINAL, 0, fold);

    return apr_psprintf(
        pool, geotag_figures_template, ordinal,
        build_alternation(pool, lex, GEOTAG_WORD_DAY_LINK, 0, fold),
        build_alternation(pool, lex, GEOTAG_WORD_MONTH, 0, fold), ordinal,
        build_alternation(pool, lex, GEOTAG_WORD_PERCENT, 0, fold),
        build_alternation(pool, lex, GEOTAG_WORD_MULTIPLIER, 0, fold),
        build_alternation(pool, lex, GEOTAG_WORD_MULTIPLIER, 1, fold));
}
