/*
 * figures.c: figures and dates in the normalized key (see figures.h).
 *
 * Here's the concept.  Every figure and every date we accept contains a
 * digit (a date without a year is never tagged), so the work is anchored
 * on digits:
 *
 *   1. A word-at-a-time scan finds the first digit; a key without one
 *      costs a few cycles per 8 bytes and returns 0.
 *   2. One PCRE2 pattern, compiled once and JIT-compiled, is searched from
 *      there.  Every branch starts with [0-9], so PCRE2's start-bitmap scan
 *      skips the letters between figures at near memory speed and the
 *      branches run only at a digit.  The pattern reads what is at and
 *      after the digit: an ISO date, d/m/y, "19 giugno 2024", an ordinal,
 *      or a number with its multiplier ("mila", "milioni", "bn"), percent
 *      sign or words, and trailing currency symbol.  Lookbehinds keep it
 *      out of words and identifiers ("g20", "mp3"); a lookahead does the
 *      same at the end ("5g", "1990s", "2°").
 *   3. What lies before the digit (a month name, a cue such as "nel" or
 *      "fine del", a currency symbol, the "f-" of "f-16") and the counted
 *      noun after it are read in C, by looking at a word or two.  That
 *      keeps the pattern small and digit-led (a pattern starting with the
 *      month and cue words would have to try a match at most word starts)
 *      and the per-match work is a handful of short comparisons.
 *
 * Measured (2-core AMD EPYC VM, PCRE2 10.42): the seed article lower-cased,
 * repeated to 20 MB and fed in 8 KB windows, runs at about 2 GB/s with
 * JIT and 1 GB/s with the interpreter; text without digits at about
 * 10 GB/s (only step 1 runs).
 *
 * Matching resumes at the end of the previous match or figure, so figures
 * come out sorted and non-overlapping; a prefix found by looking back (a
 * currency symbol, a month) is dropped rather than allowed to reach into
 * the previous figure.
 *
 * Markup ranges (what key[start..end) covers):
 *   numbers   the number and its multiplier: "2,8 milioni", "10mila", never
 *             the counted noun ("di proiettili");
 *   money     also the currency symbols on either side: "$60bn", "5 €";
 *             money named by a unit ("60 miliardi di dollari") wraps only
 *             "60 miliardi", like any number;
 *   percent   the number and "%", "per cento", "percent";
 *   dates     the whole date expression: "giugno 2024", "19 june 2024",
 *             "june 19, 2024", "19/06/2024".  For a bare year the cue
 *             decides: a preposition is grammar, not part of the date, so
 *             "nel 2018" wraps "2018"; a qualifier narrows the date and
 *             belongs to it, so "fine del 2022", "early 2023", "mid-2024"
 *             are wrapped whole (the value stays "2022": ISO 8601 has no
 *             "end of").
 *
 * Not figures: digits inside words and names ("g20", "f-16", "covid-19",
 * "5g"), ordinals ("2°", "3rd"), times and fractions ("10:30", "24/7"),
 * runs of more than 15 digits, "5m" unless it is money (else metres), a
 * day and month without a year ("il 19 giugno": the 19 is no count
 * either), and a bare year-like number: 1000-2099 with no month or cue
 * before it is nothing, unless a unit follows ("2000 soldati" counts).
 * Ranges ("2-3 milioni") give each number on its own.
 *
 * Values are read by figvalue.h, as digit strings, never through a double.
 *
 * Language: every word is a language pack's (langpack.h; the pattern's
 * words through figpattern.h).  The page language's pack gives the decimal
 * mark ("it" reads '.' as the thousands separator and ',' as the decimal
 * point, "en" the other way round; a number that is not valid in the
 * page's reading, "2.8" on an Italian page, is read the other way) and
 * whether numeric dates put the month first.  A page in no pack's
 * language (or NULL) guesses per number: a separator followed by exactly
 * three digits groups thousands, otherwise a single separator is the
 * decimal point.  Year cues, elisions, qualifiers and unit nouns follow
 * the page language's pack; a page in no pack's language accepts every
 * pack's.  Month names, multipliers, fillers and the links ("del", "of")
 * are recognized in every pack's language always (they do not collide).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_hash.h>
#include <apr_strings.h>

#include "figures.h"
#include "figpattern.h"
#include "figvalue.h"
#include "langpack.h"

/* Words looked at after a number for its counted noun. */
#define GEOTAG_UNIT_LOOKAHEAD 4
/* Longest unit phrase, in words and bytes. */
#define GEOTAG_UNIT_WORDS_MAX 4
#define GEOTAG_UNIT_BYTES_MAX 96

typedef struct geotag_unit_entry geotag_unit_entry;
struct geotag_unit_entry {
    const geotag_unit *unit;
    int pack;                /* the unit's language pack, or -1 */
    geotag_unit_entry *next;
};

struct geotag_figures {
    const geotag_lexicon *lex; /* the packs' words */
    pcre2_code *code;
    int jit;                 /* pcre2_jit_compile succeeded */
    apr_hash_t *units;       /* folded unit text -> geotag_unit_entry list */
    int unit_words;          /* words in the longest unit */
    /* capture group numbers, looked up by name once */
    int g_iso, g_dmy, g_day, g_dord, g_dmonth, g_dyear, g_ord;
    int g_num, g_pct, g_mult, g_mult1, g_tcur;
};

struct geotag_figures_scratch {
    const geotag_figures *f;
    pcre2_match_data *match;
};

static void unit_add(apr_pool_t *pool, apr_hash_t *h, const char *k,
                            const geotag_unit *u, int pack)
{
    geotag_unit_entry *e = apr_pcalloc(pool, sizeof(*e)), *last;
    apr_ssize_t n = (apr_ssize_t)strlen(k);

    if (n == 0)
        return;
    e->unit = u;
    e->pack = pack;
    last = apr_hash_get(h, k, n);
    if (!last) {
        apr_hash_set(h, k, n, e);
        return;
    }
    /* append: the lexicon's order decides between homographs */
    while (last->next)
        last = last->next;
    last->next = e;
}

static void units_hash(geotag_figures *f, apr_pool_t *pool,
                              const geotag_gazetteer *g)
{
    int i;

    f->units = apr_hash_make(pool);
    f->unit_words = 1;
    if (!g || !g->units)
        return;
    for (i = 0; i < g->units->nelts; i++) {
        const geotag_unit *u = &APR_ARRAY_IDX(g->units, i, geotag_unit);
        const char *folded, *plain;
        int words, pack = geotag_lexicon_pack_of(f->lex, u->lang);
        if (!u->text)
            continue;
        /* Both spellings: the key is accent-folded unless the gazetteer
         * turned folding off. */
        folded = geotag_lexicon_key(pool, u->text, 1, &words);
        plain = geotag_lexicon_key(pool, u->text, 0, &words);
        unit_add(pool, f->units, folded, u, pack);
        if (strcmp(folded, plain) != 0)
            unit_add(pool, f->units, plain, u, pack);
        if (words > f->unit_words)
            f->unit_words = words > GEOTAG_UNIT_WORDS_MAX
                                ? GEOTAG_UNIT_WORDS_MAX : words;
    }
}

/* ---------------------------------------------------------- life cycle */

static apr_status_t code_cleanup(void *data)
{
    pcre2_code_free((pcre2_code *)data);
    return APR_SUCCESS;
}

static apr_status_t match_cleanup(void *data)
{
    pcre2_match_data_free((pcre2_match_data *)data);
    return APR_SUCCESS;
}

static int group_number(const geotag_figures *f, const char *name)
{
    return pcre2_substring_number_from_name(f->code, (PCRE2_SPTR)name);
}

geotag_figures *geotag_figures_compile(apr_pool_t *pool,
                                       const geotag_gazetteer *g,
                                       const char **error)
{
    geotag_figures *f = apr_pcalloc(pool, sizeof(*f));
    const char *pattern;
    int rc;
    PCRE2_SIZE offset;

    f->lex = g ? g->lexicon : NULL;
    pattern = geotag_figures_pattern(pool, f->lex, g ? g->fold_accents : 1);
    f->code = pcre2_compile((PCRE2_SPTR)pattern,
                            PCRE2_ZERO_TERMINATED,
                            PCRE2_ANCHORED | PCRE2_NEVER_UTF | PCRE2_NEVER_UCP,
                            &rc, &offset,
                            NULL);
    if (!f->code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(rc, msg, sizeof(msg));
        if (error)
            *error = apr_psprintf(pool, "figures pattern, offset %lu: %s",
                                  (unsigned long)offset, (const char *)msg);
        return NULL;
    }
    apr_pool_cleanup_register(pool, f->code, code_cleanup,
                              apr_pool_cleanup_null);
    /* Without JIT (a platform sljit does not support, or a PCRE2 built
     * without it) the interpreter gives the same answers, slower. */
    f->jit = pcre2_jit_compile(f->code, PCRE2_JIT_COMPLETE) == 0;

    f->g_iso = group_number(f, "iso");
    f->g_dmy = group_number(f, "dmy");
    f->g_day = group_number(f, "day");
    f->g_dord = group_number(f, "dord");
    f->g_dmonth = group_number(f, "dmonth");
    f->g_dyear = group_number(f, "dyear");
    f->g_ord = group_number(f, "ord");
    f->g_num = group_number(f, "num");
    f->g_pct = group_number(f, "pct");
    f->g_mult = group_number(f, "mult");
    f->g_mult1 = group_number(f, "mult1");
    f->g_tcur = group_number(f, "tcur");

    units_hash(f, pool, g);
    return f;
}

geotag_figures_scratch *geotag_figures_scratch_create(apr_pool_t *pool,
                                                      const geotag_figures *f)
{
    geotag_figures_scratch *s = apr_pcalloc(pool, sizeof(*s));

    s->f = f;
    s->match = pcre2_match_data_create_from_pattern(f->code, NULL);
    if (!s->match)
        return NULL;
    apr_pool_cleanup_register(pool, s->match, match_cleanup,
                              apr_pool_cleanup_null);
    return s;
}


/* ---------------------------------------------------------- the search */

typedef struct {
    const geotag_figures *f;
    const char *key;
    apr_size_t len;
    int pack;              /* the page language's pack, or -1: any */
    char point;            /* its decimal mark, or 0: guess */
    int month_first;       /* its numeric dates are m/d/y */
    const char *lang_tag;
    apr_size_t last_end;   /* end of the previous figure */
    geotag_figure *out;
    int n, max;
} geotag_find_ctx;

static void emit(geotag_find_ctx *c, apr_size_t start, apr_size_t end,
                        geotag_figure_kind kind, const char *value,
                        const geotag_unit *unit, const char *currency)
{
    geotag_figure *g;

    if (c->n >= c->max || start < c->last_end || end <= start ||
        end > c->len)
        return;
    g = &c->out[c->n++];
    g->start = start;
    g->end = end;
    g->kind = kind;
    apr_cpystrn(g->value, value, sizeof(g->value));
    g->unit = unit;
    g->currency = currency;
    c->last_end = end;
}

static int unit_lang_ok(const geotag_find_ctx *c, const geotag_unit *u,
                               int pack)
{
    return c->pack < 0 || !u->lang || pack == c->pack ||
           (c->lang_tag && strcmp(u->lang, c->lang_tag) == 0);
}

static const geotag_unit *unit_lookup(const geotag_find_ctx *c,
                                             const char *text, apr_size_t n)
{
    const geotag_unit_entry *e = apr_hash_get(c->f->units, text,
                                              (apr_ssize_t)n);
    for (; e; e = e->next)
        if (unit_lang_ok(c, e->unit, e->pack))
            return e->unit;
    return NULL;
}

/* Word starting at p: letters, and an elision apostrophe ("d'") if one
 * follows.  Returns its end. */
static apr_size_t word_end(const char *key, apr_size_t len,
                                  apr_size_t p)
{
    while (p < len && geotag_is_letter((unsigned char)key[p]))
        p++;
    if (p < len && key[p] == '\'')
        p++;
    return p;
}

/*
 * The counted noun after a number ending at 'pos': the first word that is
 * not a filler, within GEOTAG_UNIT_LOOKAHEAD words, if the lexicon has it
 * (the longest unit phrase starting there wins).  Commas and spaces are
 * crossed; any other punctuation ends the clause and the search.
 */
static const geotag_unit *unit_after(const geotag_find_ctx *c,
                                            apr_size_t pos)
{
    const char *key = c->key;
    apr_size_t len = c->len;
    int looked;

    for (looked = 0; looked < GEOTAG_UNIT_LOOKAHEAD; looked++) {
        apr_size_t ws, we, ends[GEOTAG_UNIT_WORDS_MAX], p;
        int words, k;

        while (pos < len && (key[pos] == ' ' || key[pos] == ','))
            pos++;
        if (pos >= len || !geotag_is_letter((unsigned char)key[pos]))
            return NULL;
        ws = pos;
        we = word_end(key, len, ws);
        if (we < len && geotag_is_word((unsigned char)key[we]))
            return NULL;   /* "abc5": not a word of its own */

        /* the next words of a phrase, separated by spaces only */
        ends[0] = we;
        words = 1;
        p = we;
        while (words < c->f->unit_words) {
            apr_size_t q = p;
            while (q < len && key[q] == ' ')
                q++;
            if (q >= len || !geotag_is_letter((unsigned char)key[q]) ||
                (q == p && key[p - 1] != '\''))
                break;
            p = word_end(key, len, q);
            ends[words++] = p;
        }
        for (k = words; k >= 2; k--) {
            char phrase[GEOTAG_UNIT_BYTES_MAX];
            apr_size_t i, o = 0;
            const geotag_unit *u;
            if (ends[k - 1] - ws >= sizeof(phrase))
                continue;
            for (i = ws; i < ends[k - 1]; i++) {
                if (key[i] == ' ' && o > 0 && phrase[o - 1] == ' ')
                    continue;
                phrase[o++] = key[i];
            }
            if ((u = unit_lookup(c, phrase, o)) != NULL)
                return u;
        }
        {
            const geotag_unit *u = unit_lookup(c, key + ws, we - ws);
            if (u)
                return u;
        }
        if (!geotag_lexicon_find(c->f->lex, GEOTAG_WORD_FILLER, key + ws,
                                 we - ws, -1))
            return NULL;
        pos = we;
    }
    return NULL;
}

/* The month name just before p ("giugno 2024", "sept. 19"), or 0. */
static int month_before(const geotag_lexicon *lex, const char *key,
                               apr_size_t p,
                               apr_size_t *start, int *ambiguous)
{
    apr_size_t e = p, ws, we;
    const geotag_word *m;
    int dot = 0;

    while (e > 0 && key[e - 1] == ' ')
        e--;
    if (e == p)
        return 0;
    if (e > 0 && key[e - 1] == '.') {
        dot = 1;
        e--;
    }
    if (!geotag_word_before(key, e, 0, &ws, &we))
        return 0;
    m = geotag_lexicon_find(lex, GEOTAG_WORD_MONTH, key + ws, we - ws, -1);
    /* "giugno. 2024" ends a sentence; "sept. 2024" abbreviates */
    if (!m || (dot && !m->flag))
        return 0;
    *start = ws;
    *ambiguous = m->flag && !dot;
    return m->value;
}

/*
 * Is the year at p a date by what comes before it?  Returns 1 and sets
 * *start to where the markup begins (p, or the qualifier's start).
 */
static int year_cue(const geotag_find_ctx *c, apr_size_t p,
                           apr_size_t *start)
{
    const geotag_lexicon *lex = c->f->lex;
    const char *key = c->key;
    apr_size_t ws, we, vs, ve;

    *start = p;
    if (p == 0)
        return 0;
    if (key[p - 1] == '-') {
        /* "mid-2024", "end-2022" */
        if (!geotag_word_before(key, p - 1, 0, &ws, &we) ||
            !geotag_lexicon_find(lex, GEOTAG_WORD_YEAR_QUALIFIER, key + ws,
                                 we - ws, c->pack))
            return 0;
        *start = ws;
        return 1;
    }
    if (key[p - 1] == '\'')
        return geotag_word_before(key, p - 1, 0, &ws, &we) &&
               geotag_lexicon_find(lex, GEOTAG_WORD_YEAR_ELISION, key + ws,
                                   we - ws, c->pack) != NULL;
    if (!geotag_word_before(key, p, 1, &ws, &we))
        return 0;
    /* "fine 2022", "early 2023" */
    if (geotag_lexicon_find(lex, GEOTAG_WORD_YEAR_QUALIFIER, key + ws,
                            we - ws, c->pack)) {
        *start = ws;
        return 1;
    }
    /* "fine del 2022", "end of 2024" */
    if (geotag_lexicon_find(lex, GEOTAG_WORD_YEAR_LINK, key + ws, we - ws,
                            -1)) {
        if (geotag_word_before(key, ws, 1, &vs, &ve) &&
            geotag_lexicon_find(lex, GEOTAG_WORD_YEAR_QUALIFIER, key + vs,
                                ve - vs, c->pack)) {
            *start = vs;
            return 1;
        }
    }
    /* "entro il 2025"; a bare "il 2024" is no cue */
    if (geotag_lexicon_find(lex, GEOTAG_WORD_ARTICLE, key + ws, we - ws, -1)) {
        const geotag_word *cue;
        if (!geotag_word_before(key, ws, 1, &vs, &ve))
            return 0;
        cue = geotag_lexicon_find(lex, GEOTAG_WORD_YEAR_ARTICLE, key + vs,
                                  ve - vs, c->pack);
        return cue && strlen(cue->article) == we - ws &&
               memcmp(cue->article, key + ws, we - ws) == 0;
    }
    return geotag_lexicon_find(lex, GEOTAG_WORD_YEAR_CUE, key + ws, we - ws,
                               c->pack) != NULL;
}

/* ", 2024" or " 2024" at p, a plausible year ending a word: its end, or 0. */
static apr_size_t year_after(const char *key, apr_size_t len,
                                    apr_size_t p, int *year)
{
    if (p < len && key[p] == ',')
        p++;
    if (p >= len || key[p] != ' ')
        return 0;
    p++;
    if (p + 4 > len || !geotag_is_digit((unsigned char)key[p]) ||
        !geotag_is_digit((unsigned char)key[p + 1]) ||
        !geotag_is_digit((unsigned char)key[p + 2]) ||
        !geotag_is_digit((unsigned char)key[p + 3]) ||
        (p + 4 < len && geotag_is_word((unsigned char)key[p + 4])))
        return 0;
    *year = geotag_atoi(key + p, 4);
    return geotag_year_plausible(*year) ? p + 4 : 0;
}

static int captured(const PCRE2_SIZE *ov, int group)
{
    return group > 0 && ov[2 * group] != PCRE2_UNSET;
}

/*
 * A number at key[p..q) (digits and separators) whose match ends at
 * 'end' (after its multiplier, percent sign or currency symbol); the
 * match groups in ov say which of those it has.
 */
static void take_number(geotag_find_ctx *c, apr_size_t p, apr_size_t q,
                          apr_size_t end, const PCRE2_SIZE *ov)
{
    const geotag_figures *f = c->f;
    const char *key = c->key;
    char value[GEOTAG_FIGURE_VALUE_MAX];
    const char *currency = NULL, *mult = NULL;
    apr_size_t start = p, cstart = p, mult_len = 0;
    int shift = 0, pct = captured(ov, f->g_pct);
    const geotag_unit *unit;
    const geotag_word *m;

    if (captured(ov, f->g_mult)) {
        mult = key + ov[2 * f->g_mult];
        mult_len = ov[2 * f->g_mult + 1] - ov[2 * f->g_mult];
    }
    else if (captured(ov, f->g_mult1)) {
        mult = key + ov[2 * f->g_mult1];
        mult_len = 1;
    }
    if (mult) {
        m = geotag_lexicon_find(f->lex, GEOTAG_WORD_MULTIPLIER, mult,
                                mult_len, -1);
        shift = m ? m->value : 0;
    }
    if (!pct) {
        currency = geotag_currency_before(key, p, &cstart);
        if (currency && cstart >= c->last_end)
            start = cstart;
        else
            currency = NULL;
        if (!currency && captured(ov, f->g_tcur))
            currency = geotag_currency_symbol(key + ov[2 * f->g_tcur]);
    }

    /* a plain four-digit number in the year range: a date with a month or
     * a cue before it, a count with a unit after it, else nothing */
    if (q - p == 4 && end == q && !currency &&
        geotag_is_digit((unsigned char)key[p + 1]) &&
        geotag_is_digit((unsigned char)key[p + 2]) &&
        geotag_is_digit((unsigned char)key[p + 3]) &&
        geotag_year_plausible(geotag_atoi(key + p, 4)) &&
        !unit_after(c, q)) {
        int year = geotag_atoi(key + p, 4), month, ambiguous;
        apr_size_t ms, ws, we;
        char iso[16];
        month = month_before(f->lex, key, p, &ms, &ambiguous);
        if (!month && geotag_word_before(key, p, 1, &ws, &we) &&
            geotag_lexicon_find(f->lex, GEOTAG_WORD_YEAR_LINK, key + ws,
                                we - ws, -1))
            month = month_before(f->lex, key, ws, &ms, &ambiguous);
        if (month) {
            geotag_iso_date(iso, year, month, 0);
            emit(c, ms >= c->last_end ? ms : p, q, GEOTAG_FIGURE_DATE,
                        iso, NULL, NULL);
        }
        else if (year_cue(c, p, &ms)) {
            geotag_iso_date(iso, year, 0, 0);
            emit(c, ms >= c->last_end ? ms : p, q, GEOTAG_FIGURE_DATE,
                        iso, NULL, NULL);
        }
        /* a bare year-like number without a cue: neither date nor count */
        return;
    }

    if (geotag_number_value(key + p, q - p, c->point, shift, value) != 0)
        return;
    if (pct) {
        emit(c, p, end, GEOTAG_FIGURE_PERCENT, value, NULL, NULL);
        return;
    }
    unit = unit_after(c, end);
    if (!currency && unit && unit->currency)
        currency = unit->currency;
    /* "5m" is five million only when it is money; else metres, or noise */
    if (mult && mult_len == 1 && mult[0] == 'm' && !currency)
        return;
    emit(c, start, end,
                currency ? GEOTAG_FIGURE_MONEY : GEOTAG_FIGURE_NUMBER, value,
                unit, currency);
}

/* A day number at p..q with a month name before it ("june 19, 2024"):
 * returns 1 when handled (a date, or nothing for a date without a year). */
static int day_after_month(geotag_find_ctx *c, apr_size_t p,
                                  apr_size_t q, apr_size_t after,
                                  apr_size_t *next)
{
    apr_size_t ms, yend;
    int ambiguous, month, year, day;
    char iso[16];

    if (q - p > 2)
        return 0;
    month = month_before(c->f->lex, c->key, p, &ms, &ambiguous);
    if (!month)
        return 0;
    day = geotag_atoi(c->key + p, q - p);
    yend = year_after(c->key, c->len, after, &year);
    if (yend && geotag_day_valid(year, month, day)) {
        geotag_iso_date(iso, year, month, day);
        emit(c, ms >= c->last_end ? ms : p, yend, GEOTAG_FIGURE_DATE,
                    iso, NULL, NULL);
        *next = yend;
        return 1;
    }
    /* "june 19": a date without its year, skipped; "may 5" may be a verb */
    return !ambiguous && day >= 1 && day <= 31;
}

/* Is the digit run at p glued to something that makes it no figure? */
static int is_glued(const geotag_lexicon *lex, const char *key,
                        apr_size_t len, apr_size_t p,
                        apr_size_t end)
{
    unsigned char b = p > 0 ? (unsigned char)key[p - 1] : ' ';
    apr_size_t ws, we;

    if (b >= 0x80) {
        /* only a currency symbol may touch a digit from before */
        apr_size_t cs;
        return geotag_currency_before(key, p, &cs) == NULL;
    }
    if (b == '-' && p > 1) {
        /* "f-16", "covid-19" are names; "2-3" a range; "mid-2024" a date,
         * judged later */
        if (geotag_word_before(key, p - 1, 0, &ws, &we))
            return !geotag_lexicon_find(lex, GEOTAG_WORD_YEAR_QUALIFIER,
                                        key + ws, we - ws, -1);
        return 0;
    }
    if ((b == '/' || b == ':') && p > 1 &&
        geotag_is_digit((unsigned char)key[p - 2]))
        return 1;   /* "24/7", "10:30" */
    if (end + 1 < len && (key[end] == '/' || key[end] == ':') &&
        geotag_is_digit((unsigned char)key[end + 1]))
        return 1;
    return 0;
}

/* An ISO date ("2024-06-19") or a numeric one ("19/06/2024") at p..end. */
static void numeric_date(geotag_find_ctx *c, apr_size_t p,
                                apr_size_t end, int iso_form)
{
    const char *key = c->key;
    int a, b, y, month, day;
    char iso[16];

    if (iso_form) {
        y = geotag_atoi(key + p, 4);
        month = geotag_atoi(key + p + 5, 2);
        day = geotag_atoi(key + p + 8, 2);
    }
    else {
        const char *d = key + p, *sep;
        apr_size_t i = 0;
        while (geotag_is_digit((unsigned char)d[i]))
            i++;
        sep = d + i;
        a = geotag_atoi(d, i);
        d += i + 1;
        i = 0;
        while (geotag_is_digit((unsigned char)d[i]))
            i++;
        b = geotag_atoi(d, i);
        y = geotag_atoi(key + end - 4, 4);
        /* d/m/y, except m/d/y with '/' or '-' in a language that writes
         * the month first; a part over 12 can only be the day */
        if ((c->month_first && *sep != '.' && a <= 12) ||
            (b > 12 && a <= 12)) {
            month = a;
            day = b;
        }
        else {
            month = b;
            day = a;
        }
    }
    if (!is_glued(c->f->lex, key, c->len, p, end) &&
        geotag_day_valid(y, month, day)) {
        geotag_iso_date(iso, y, month, day);
        emit(c, p, end, GEOTAG_FIGURE_DATE, iso, NULL, NULL);
    }
}

/* Index of the first ASCII digit in s[0..n), or n.  Eight bytes at a time:
 * most text runs have none, and this is all they cost. */
static apr_size_t first_digit(const char *s, apr_size_t n)
{
    const apr_uint64_t ones = 0x0101010101010101ULL;
    const apr_uint64_t high = 0x8080808080808080ULL;
    apr_size_t i = 0;

    for (; i + 8 <= n; i += 8) {
        apr_uint64_t x, lo, hi;
        memcpy(&x, s + i, 8);
        /* a byte is a digit iff (x - '0') and ('9' - x) both stay below
         * 0x80 without borrow; test per byte on the 7-bit part and exclude
         * bytes >= 0x80 */
        lo = ((x & ~high) + ones * (0x80 - '0')) & high; /* >= '0' */
        hi = ((x & ~high) + ones * (0x7f - '9')) & high; /* >  '9' */
        if (lo & ~hi & ~x)
            break;
    }
    for (; i < n; i++)
        if (geotag_is_digit((unsigned char)s[i]))
            return i;
    return n;
}

/*
 * Where a figure may begin at or after i: a digit that does not follow a
 * letter, a digit or '_' (every alternative of the pattern starts with a
 * digit after that look-behind), or len.  The pattern is then tried
 * anchored there, so the text between figures is crossed here, eight bytes
 * a step, instead of by the regex engine a byte at a time.
 */
static apr_size_t figure_start(const char *key, apr_size_t len,
                                      apr_size_t i)
{
    for (;;) {
        i += first_digit(key + i, len - i);
        if (i >= len)
            return len;
        if (i == 0 || !geotag_is_word_ascii((unsigned char)key[i - 1]))
            return i;
        while (i < len && geotag_is_digit((unsigned char)key[i]))
            i++;
    }
}

int geotag_figures_find(const geotag_figures *f, geotag_figures_scratch *s,
                        const char *key, apr_size_t len, const char *lang,
                        geotag_figure *out, int max)
{
    geotag_find_ctx c;
    PCRE2_SIZE offset, *ov;

    if (!f || !s || !key || !out || max <= 0)
        return 0;
    offset = figure_start(key, len, 0);
    if (offset >= len)
        return 0;

    c.f = f;
    c.key = key;
    c.len = len;
    c.pack = geotag_lexicon_pack_of(f->lex, lang);
    c.point = 0;
    c.month_first = 0;
    if (c.pack >= 0) {
        const geotag_langpack *pack =
            &APR_ARRAY_IDX(f->lex->packs, c.pack, geotag_langpack);
        c.point = pack->decimal_mark;
        c.month_first = pack->month_first;
    }
    c.lang_tag = lang;
    c.last_end = 0;
    c.out = out;
    c.n = 0;
    c.max = max;
    ov = pcre2_get_ovector_pointer(s->match);

    while (offset < len && c.n < max) {
        apr_size_t p, end, next;
        int rc;

        if (f->jit)
            rc = pcre2_jit_match(f->code, (PCRE2_SPTR)key, len, offset, 0,
                                 s->match, NULL);
        else
            rc = pcre2_match(f->code, (PCRE2_SPTR)key, len, offset, 0,
                             s->match, NULL);
        if (rc == PCRE2_ERROR_NOMATCH) {
            /* none here: the next digit run */
            while (offset < len && geotag_is_digit((unsigned char)key[offset]))
                offset++;
            offset = figure_start(key, len, offset);
            continue;
        }
        if (rc < 0)
            break;   /* a limit: stop, nothing is lost */
        p = ov[0];
        end = ov[1];
        next = end > p ? end : p + 1;

        if (captured(ov, f->g_iso) || captured(ov, f->g_dmy)) {
            numeric_date(&c, p, end, captured(ov, f->g_iso));
        }
        else if (captured(ov, f->g_day)) {
            apr_size_t ds = ov[2 * f->g_day], de = ov[2 * f->g_day + 1];
            const geotag_word *m = geotag_lexicon_find(
                f->lex, GEOTAG_WORD_MONTH, key + ov[2 * f->g_dmonth],
                ov[2 * f->g_dmonth + 1] - ov[2 * f->g_dmonth], -1);
            int day = geotag_atoi(key + ds, de - ds);
            if (is_glued(f->lex, key, len, p, de)) {
                /* "f-19 june": not a day */
            }
            else if (m && captured(ov, f->g_dyear)) {
                int y = geotag_atoi(key + ov[2 * f->g_dyear], 4);
                char iso[16];
                if (geotag_day_valid(y, m->value, day)) {
                    geotag_iso_date(iso, y, m->value, day);
                    emit(&c, p, end, GEOTAG_FIGURE_DATE, iso, NULL,
                                NULL);
                }
            }
            else if (m && m->flag && !captured(ov, f->g_dord) &&
                     ov[2 * f->g_dmonth + 1] == end) {
                /* "3 may", "5 set": without a year (or the dot of an
                 * abbreviation) the word is no month; the number stands
                 * for itself */
                next = de;
                take_number(&c, ds, de, de, ov);
            }
            /* else a day and month without a year: never guessed */
        }
        else if (captured(ov, f->g_ord)) {
            apr_size_t os = ov[2 * f->g_ord], oe = ov[2 * f->g_ord + 1];
            /* "june 19th, 2024"; other ordinals are no figures */
            day_after_month(&c, os, oe, end, &next);
        }
        else if (captured(ov, f->g_num)) {
            apr_size_t ns = ov[2 * f->g_num], ne = ov[2 * f->g_num + 1];
            if (is_glued(f->lex, key, len, ns, end)) {
                /* skip the whole run */
            }
            else if (end == ne &&
                     day_after_month(&c, ns, ne, ne, &next)) {
                /* a day after its month */
            }
            else {
                /* the plain number path reads the match groups */
                take_number(&c, ns, ne, end, ov);
            }
        }
        if (c.n > 0 && c.out[c.n - 1].end > next)
            next = c.out[c.n - 1].end;
        offset = figure_start(key, len, next);
    }
    return c.n;
}
