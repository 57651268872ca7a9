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
 * Values are built as digit strings (the decimal point is shifted by the
 * multiplier's exponent), never through a double, so "2,8 milioni" is
 * exactly "2800000".
 *
 * Language: "it" reads '.' as the thousands separator and ',' as the
 * decimal point, "en" the other way round; a number that is not valid in
 * the page's reading ("2.8" on an Italian page) is read the other way.
 * NULL (or another language) guesses per number: a separator followed by
 * exactly three digits groups thousands, otherwise a single separator is
 * the decimal point.  Year cues and unit nouns follow the language; NULL
 * accepts both lists.  Month names are recognized in both languages
 * always (they do not collide).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdio.h>
#include <string.h>

#include <apr_hash.h>
#include <apr_strings.h>

#include "figures.h"

/* Beyond this many digits a run is a phone number, an id or noise. */
#define GEOTAG_FIGURE_DIGITS_MAX 15
/* Words looked at after a number for its counted noun. */
#define GEOTAG_UNIT_LOOKAHEAD 4
/* Longest unit phrase, in words and bytes. */
#define GEOTAG_UNIT_WORDS_MAX 4
#define GEOTAG_UNIT_BYTES_MAX 96

enum { LANG_ANY = 0, LANG_IT, LANG_EN };

/* Both languages' month names and abbreviations.  Kept in step with
 * GEOTAG_MONTHS below. */
#define GEOTAG_MONTHS                                                        \
    "gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|"   \
    "ottobre|novembre|dicembre|january|february|march|april|may|june|july|"  \
    "august|september|october|november|december|"                            \
    "jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec|"                      \
    "gen|mag|giu|lug|ago|set|ott|dic"

/*
 * The one pattern.  Every alternative begins with a digit (see the design
 * comment).  The branch order matters: dates before plain numbers, so
 * "19 giugno 2024" is not read as the number 19.  Possessive quantifiers
 * on the number keep a rejected "1.5x" from being retried as "1".
 */
static const char geotag_figures_pattern[] =
    /* not inside a word or after "x." / "2," (the "5" of "g20.5") */
    "(?<![0-9a-zA-Z_])(?<![0-9a-zA-Z_][.,])"
    "(?:"
    "(?<iso>[0-9]{4}-[0-9]{2}-[0-9]{2})"
    "|(?<dmy>[0-9]{1,2}(?<dsep>[/.-])[0-9]{1,2}\\k<dsep>[0-9]{4})"
    "|(?<day>[0-9]{1,2})(?<dord>\\xc2[\\xb0\\xba]|st|nd|rd|th)?[ ](?:of[ ])?"
    "(?<dmonth>" GEOTAG_MONTHS ")(?![a-z])\\.?"
    "(?:,?[ ](?<dyear>[0-9]{4}))?"
    "|(?<ord>[0-9]{1,2})(?:\\xc2[\\xb0\\xba]|st|nd|rd|th)"
    /* thousands grouped by spaces ("150 000", the ISO way) or by marks */
    "|(?<num>[0-9]{1,3}+(?:[ ][0-9]{3}+)++(?![0-9])(?:[.,][0-9]++)?+"
    "|[0-9]++(?:[.,][0-9]++)*+)"
    "(?:[ ]?(?<pct>%|(?:per[ ]?cento|percent|per[ ]cent)(?![a-z]))"
    "|(?:[ ]?(?<mult>mila|milion[ei]|millions?|miliard[oi]|billions?|"
    "trillions?|thousands?|hundred|bn|mln|mld|mrd|tn)|(?<mult1>[km]))?"
    /* a symbol before another number is that number's ("5 $6") */
    "(?:[ ]?(?<tcur>\\xe2\\x82\\xac|\\xc2[\\xa3\\xa5]|\\$)(?![ ]?[0-9]))?"
    ")"
    ")"
    /* a symbol may touch what follows; anything else must end a word */
    "(?:(?<=[%$\\xac\\xa3\\xa5])|(?![0-9a-zA-Z_\\x80-\\xff]))";

typedef struct geotag_unit_entry geotag_unit_entry;
struct geotag_unit_entry {
    const geotag_unit *unit;
    geotag_unit_entry *next;
};

struct geotag_figures {
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

/* ---------------------------------------------------------------- words */

typedef struct {
    const char *text;
    int value;   /* month number, power of ten, or LANG_* for cues */
    int flag;    /* months: an abbreviation or "may", a month only next to
                    a year (or, for abbreviations, a dot) */
} geotag_word;

static const geotag_word geotag_months[] = {
    {"gennaio", 1, 0}, {"febbraio", 2, 0}, {"marzo", 3, 0}, {"aprile", 4, 0},
    {"maggio", 5, 0}, {"giugno", 6, 0}, {"luglio", 7, 0}, {"agosto", 8, 0},
    {"settembre", 9, 0}, {"ottobre", 10, 0}, {"novembre", 11, 0},
    {"dicembre", 12, 0},
    {"january", 1, 0}, {"february", 2, 0}, {"march", 3, 0}, {"april", 4, 0},
    {"may", 5, 1}, {"june", 6, 0}, {"july", 7, 0}, {"august", 8, 0},
    {"september", 9, 0}, {"october", 10, 0}, {"november", 11, 0},
    {"december", 12, 0},
    {"jan", 1, 1}, {"feb", 2, 1}, {"mar", 3, 1}, {"apr", 4, 1}, {"jun", 6, 1},
    {"jul", 7, 1}, {"aug", 8, 1}, {"sept", 9, 1}, {"sep", 9, 1},
    {"oct", 10, 1}, {"nov", 11, 1}, {"dec", 12, 1},
    {"gen", 1, 1}, {"mag", 5, 1}, {"giu", 6, 1}, {"lug", 7, 1}, {"ago", 8, 1},
    {"set", 9, 1}, {"ott", 10, 1}, {"dic", 12, 1},
    {NULL, 0, 0}
};

/* Multipliers, as powers of ten. */
static const geotag_word geotag_multipliers[] = {
    {"mila", 3, 0}, {"thousand", 3, 0}, {"thousands", 3, 0}, {"k", 3, 0},
    {"hundred", 2, 0},
    {"milione", 6, 0}, {"milioni", 6, 0}, {"million", 6, 0},
    {"millions", 6, 0}, {"mln", 6, 0}, {"m", 6, 0},
    {"miliardo", 9, 0}, {"miliardi", 9, 0}, {"billion", 9, 0},
    {"billions", 9, 0}, {"bn", 9, 0}, {"mld", 9, 0}, {"mrd", 9, 0},
    {"trillion", 12, 0}, {"trillions", 12, 0}, {"tn", 12, 0},
    {NULL, 0, 0}
};

/* Words before a year that make it a date; value = LANG_*.  The cue is
 * not part of the markup. */
static const geotag_word geotag_year_cues[] = {
    {"nel", LANG_IT, 0}, {"del", LANG_IT, 0}, {"dal", LANG_IT, 0},
    {"al", LANG_IT, 0}, {"entro", LANG_IT, 0}, {"anno", LANG_IT, 0},
    {"in", LANG_EN, 0}, {"by", LANG_EN, 0}, {"since", LANG_EN, 0},
    {"until", LANG_EN, 0}, {"till", LANG_EN, 0}, {"of", LANG_EN, 0},
    {"from", LANG_EN, 0}, {"during", LANG_EN, 0}, {"before", LANG_EN, 0},
    {"after", LANG_EN, 0}, {"through", LANG_EN, 0}, {"year", LANG_EN, 0},
    {NULL, 0, 0}
};

/* Elided Italian articles before a year ("nell'", written without the
 * apostrophe here). */
static const geotag_word geotag_year_elisions[] = {
    {"nell", LANG_IT, 0}, {"dell", LANG_IT, 0}, {"dall", LANG_IT, 0},
    {"all", LANG_IT, 0}, {"sull", LANG_IT, 0},
    {NULL, 0, 0}
};

/* "entro il 2025": "il" is a cue only after these. */
static const geotag_word geotag_year_il_cues[] = {
    {"entro", LANG_IT, 0}, {"dopo", LANG_IT, 0}, {"per", LANG_IT, 0},
    {"verso", LANG_IT, 0}, {"durante", LANG_IT, 0}, {"tutto", LANG_IT, 0},
    {"oltre", LANG_IT, 0},
    {NULL, 0, 0}
};

/* Qualifiers that narrow a year and are wrapped with it: "fine del 2022",
 * "fine 2022", "end of 2024", "early 2023", "mid-2024". */
static const geotag_word geotag_year_qualifiers[] = {
    {"fine", LANG_IT, 0}, {"inizio", LANG_IT, 0}, {"meta", LANG_IT, 0},
    {"estate", LANG_IT, 0}, {"inverno", LANG_IT, 0},
    {"primavera", LANG_IT, 0}, {"autunno", LANG_IT, 0},
    {"early", LANG_EN, 0}, {"late", LANG_EN, 0}, {"mid", LANG_EN, 0},
    {"end", LANG_EN, 0}, {"start", LANG_EN, 0}, {"beginning", LANG_EN, 0},
    {"middle", LANG_EN, 0}, {"spring", LANG_EN, 0}, {"summer", LANG_EN, 0},
    {"autumn", LANG_EN, 0}, {"fall", LANG_EN, 0}, {"winter", LANG_EN, 0},
    {NULL, 0, 0}
};

/* Words skipped between a number and its counted noun ("10mila, forse di
 * piu, soldati").  Any other word ends the search. */
static const geotag_word geotag_fillers[] = {
    {"di", 0, 0}, {"d'", 0, 0}, {"de", 0, 0}, {"dei", 0, 0}, {"degli", 0, 0},
    {"delle", 0, 0}, {"del", 0, 0}, {"della", 0, 0}, {"dello", 0, 0},
    {"dell'", 0, 0}, {"circa", 0, 0}, {"oltre", 0, 0}, {"almeno", 0, 0},
    {"forse", 0, 0}, {"piu", 0, 0}, {"o", 0, 0}, {"meno", 0, 0},
    {"quasi", 0, 0}, {"ben", 0, 0}, {"appena", 0, 0}, {"altri", 0, 0},
    {"altre", 0, 0}, {"ulteriori", 0, 0}, {"nuovi", 0, 0}, {"nuove", 0, 0},
    {"of", 0, 0}, {"the", 0, 0}, {"some", 0, 0}, {"about", 0, 0},
    {"around", 0, 0}, {"more", 0, 0}, {"than", 0, 0}, {"over", 0, 0},
    {"almost", 0, 0}, {"nearly", 0, 0}, {"at", 0, 0}, {"least", 0, 0},
    {"roughly", 0, 0}, {"approximately", 0, 0}, {"perhaps", 0, 0},
    {"maybe", 0, 0}, {"or", 0, 0}, {"additional", 0, 0}, {"extra", 0, 0},
    {"other", 0, 0}, {"new", 0, 0}, {"another", 0, 0},
    {NULL, 0, 0}
};

static const geotag_word *geotag_word_find(const geotag_word *list,
                                           const char *s, apr_size_t n)
{
    if (n == 0)
        return NULL;
    for (; list->text; list++)
        if (list->text[0] == s[0] && strncmp(list->text, s, n) == 0 &&
            list->text[n] == '\0')
            return list;
    return NULL;
}

/* A cue of the page's language (both when the language is unknown). */
static const geotag_word *geotag_cue_find(const geotag_word *list,
                                          const char *s, apr_size_t n,
                                          int lang)
{
    const geotag_word *w = geotag_word_find(list, s, n);
    return w && (lang == LANG_ANY || w->value == lang) ? w : NULL;
}

static int geotag_is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* [0-9a-zA-Z_], the class of the pattern's first look-behind */
static int geotag_is_word_ascii(unsigned char c)
{
    return geotag_is_digit(c) || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z') || c == '_';
}

/* Letters of the key: ASCII, and every byte >= 0x80 (normalize.h: those
 * all belong to letters or other non-punctuation characters). */
static int geotag_is_letter(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static int geotag_is_word(unsigned char c)
{
    return geotag_is_letter(c) || geotag_is_digit(c) || c == '_';
}

static int geotag_lang_code(const char *lang)
{
    if (!lang || !lang[0] || !lang[1] || (lang[2] && lang[2] != '-' &&
                                          lang[2] != '_'))
        return LANG_ANY;
    if ((lang[0] | 0x20) == 'i' && (lang[1] | 0x20) == 't')
        return LANG_IT;
    if ((lang[0] | 0x20) == 'e' && (lang[1] | 0x20) == 'n')
        return LANG_EN;
    return LANG_ANY;
}

/*
 * The word of letters that ends at 'end' (exclusive), after skipping the
 * spaces before 'end' when 'spaces' is set (at least one must be there).
 * A word glued to a digit ("f16x") is no word.  Returns 0 when there is
 * none.
 */
static int geotag_word_before(const char *key, apr_size_t end, int spaces,
                              apr_size_t *ws, apr_size_t *we)
{
    apr_size_t e = end, s;

    if (spaces) {
        while (e > 0 && key[e - 1] == ' ')
            e--;
        if (e == end)
            return 0;
    }
    s = e;
    while (s > 0 && geotag_is_letter((unsigned char)key[s - 1]))
        s--;
    if (s == e || (s > 0 && (geotag_is_digit((unsigned char)key[s - 1]) ||
                             key[s - 1] == '_')))
        return 0;
    *ws = s;
    *we = e;
    return 1;
}

/* ------------------------------------------------------------ unit hash */

/* Latin-1 letters (the second byte after 0xc3) without their accents, so
 * that the lexicon's "unità" meets the key's "unita"; 0 = keep. */
static const char geotag_latin1_fold[32] = {
    'a', 'a', 'a', 'a', 'a', 'a', 0, 'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i',
    'i', 'd', 'n', 'o', 'o', 'o', 'o', 'o', 0, 'o', 'u', 'u', 'u', 'u', 'y',
    0, 0
};

/* Unit text as it appears in the key: lower case, single spaces, and, if
 * 'fold', accents folded. */
static char *geotag_unit_key(apr_pool_t *pool, const char *text, int fold,
                             int *words)
{
    apr_size_t n = strlen(text), i, o = 0;
    char *out = apr_palloc(pool, n + 1);
    int space = 0;

    *words = 0;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = 1;
            continue;
        }
        if (space && o > 0)
            out[o++] = ' ';
        if (o == 0 || space)
            (*words)++;
        space = 0;
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c | 0x20);
        if (fold && c == 0xc3 && i + 1 < n &&
            ((unsigned char)text[i + 1] & 0xc0) == 0x80 &&
            geotag_latin1_fold[(unsigned char)text[i + 1] & 0x1f]) {
            out[o++] = geotag_latin1_fold[(unsigned char)text[i + 1] & 0x1f];
            i++;
            continue;
        }
        if (c == 0xc3 && i + 1 < n &&
            (unsigned char)text[i + 1] >= 0x80 &&
            (unsigned char)text[i + 1] <= 0x9e &&
            (unsigned char)text[i + 1] != 0x97) {
            /* upper-case Latin-1 letter: lower it */
            out[o++] = (char)c;
            out[o++] = (char)((unsigned char)text[i + 1] + 0x20);
            i++;
            continue;
        }
        out[o++] = (char)c;
    }
    out[o] = '\0';
    return out;
}

static void geotag_unit_add(apr_pool_t *pool, apr_hash_t *h, const char *k,
                            const geotag_unit *u)
{
    geotag_unit_entry *e = apr_pcalloc(pool, sizeof(*e)), *last;
    apr_ssize_t n = (apr_ssize_t)strlen(k);

    if (n == 0)
        return;
    e->unit = u;
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

/* ---------------------------------------------------------- life cycle */

static apr_status_t geotag_code_cleanup(void *data)
{
    pcre2_code_free((pcre2_code *)data);
    return APR_SUCCESS;
}

static apr_status_t geotag_match_cleanup(void *data)
{
    pcre2_match_data_free((pcre2_match_data *)data);
    return APR_SUCCESS;
}

static int geotag_group(const geotag_figures *f, const char *name)
{
    return pcre2_substring_number_from_name(f->code, (PCRE2_SPTR)name);
}

geotag_figures *geotag_figures_compile(apr_pool_t *pool,
                                       const geotag_gazetteer *g,
                                       const char **error)
{
    geotag_figures *f = apr_pcalloc(pool, sizeof(*f));
    int rc, i;
    PCRE2_SIZE offset;

    f->code = pcre2_compile((PCRE2_SPTR)geotag_figures_pattern,
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
    apr_pool_cleanup_register(pool, f->code, geotag_code_cleanup,
                              apr_pool_cleanup_null);
    /* Without JIT (a platform sljit does not support, or a PCRE2 built
     * without it) the interpreter gives the same answers, slower. */
    f->jit = pcre2_jit_compile(f->code, PCRE2_JIT_COMPLETE) == 0;

    f->g_iso = geotag_group(f, "iso");
    f->g_dmy = geotag_group(f, "dmy");
    f->g_day = geotag_group(f, "day");
    f->g_dord = geotag_group(f, "dord");
    f->g_dmonth = geotag_group(f, "dmonth");
    f->g_dyear = geotag_group(f, "dyear");
    f->g_ord = geotag_group(f, "ord");
    f->g_num = geotag_group(f, "num");
    f->g_pct = geotag_group(f, "pct");
    f->g_mult = geotag_group(f, "mult");
    f->g_mult1 = geotag_group(f, "mult1");
    f->g_tcur = geotag_group(f, "tcur");

    f->units = apr_hash_make(pool);
    f->unit_words = 1;
    if (g && g->units) {
        for (i = 0; i < g->units->nelts; i++) {
            const geotag_unit *u = &APR_ARRAY_IDX(g->units, i, geotag_unit);
            const char *folded, *plain;
            int words;
            if (!u->text)
                continue;
            /* Both spellings: the key is accent-folded unless the
             * gazetteer turned folding off. */
            folded = geotag_unit_key(pool, u->text, 1, &words);
            plain = geotag_unit_key(pool, u->text, 0, &words);
            geotag_unit_add(pool, f->units, folded, u);
            if (strcmp(folded, plain) != 0)
                geotag_unit_add(pool, f->units, plain, u);
            if (words > f->unit_words)
                f->unit_words = words > GEOTAG_UNIT_WORDS_MAX
                                    ? GEOTAG_UNIT_WORDS_MAX : words;
        }
    }
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
    apr_pool_cleanup_register(pool, s->match, geotag_match_cleanup,
                              apr_pool_cleanup_null);
    return s;
}

/* --------------------------------------------------------------- values */

/* Reads digits[0..n) as separated by 'group' or a space (thousands) and
 * 'point' (decimal).  Strict: groups after the first have three digits,
 * the first one to three, one decimal point at most and nothing after
 * it. */
static int geotag_number_read(const char *s, apr_size_t n, char group,
                              char point, char *ipart, apr_size_t *il,
                              char *fpart, apr_size_t *fl)
{
    apr_size_t i = 0, first = 0, run;
    int grouped = 0, decimal = 0;

    *il = *fl = 0;
    while (i < n && geotag_is_digit((unsigned char)s[i]))
        ipart[(*il)++] = s[i++];
    first = i;
    while (i < n) {
        char sep = s[i++];
        run = 0;
        while (i < n && geotag_is_digit((unsigned char)s[i])) {
            if (decimal || sep == point)
                fpart[(*fl)++] = s[i];
            else
                ipart[(*il)++] = s[i];
            i++;
            run++;
        }
        if (run == 0 || decimal)
            return -1;
        if (sep == point)
            decimal = 1;
        else if ((sep == group || sep == ' ') && run == 3)
            grouped = 1;
        else
            return -1;
    }
    if (grouped && (first == 0 || first > 3))
        return -1;
    return 0;
}

/*
 * The value of the number s[0..n) times 10^shift, as a plain decimal
 * string in out (GEOTAG_FIGURE_VALUE_MAX).  Returns -1 for what is not a
 * readable number or does not fit.
 */
static int geotag_number_value(const char *s, apr_size_t n, int lang,
                               int shift, char *out)
{
    char ipart[64], fpart[64], group, point;
    apr_size_t il, fl, i, digits = 0, o = 0, lead;
    const char *dot = memchr(s, '.', n), *comma = memchr(s, ',', n);
    char value[96];
    apr_size_t vl = 0, vpoint;

    for (i = 0; i < n; i++)
        digits += geotag_is_digit((unsigned char)s[i]);
    if (digits > GEOTAG_FIGURE_DIGITS_MAX)
        return -1;

    if (lang == LANG_IT) {
        group = '.';
        point = ',';
    }
    else if (lang == LANG_EN) {
        group = ',';
        point = '.';
    }
    else if (dot && comma) {
        /* "1.234,5" / "1,234.5": the last one is the decimal point */
        const char *last = s + n;
        while (last > s && last[-1] != '.' && last[-1] != ',')
            last--;
        point = last[-1];
        group = point == '.' ? ',' : '.';
    }
    else if (dot || comma) {
        /* one kind: three digits after it, or more than one, say thousands */
        char c = dot ? '.' : ',';
        const char *p = dot ? dot : comma;
        apr_size_t after = 0, count = 0;
        for (i = 0; i < n; i++)
            count += s[i] == c;
        while (p + 1 + after < s + n &&
               geotag_is_digit((unsigned char)p[1 + after]))
            after++;
        if (count > 1 || after == 3) {
            group = c;
            point = c == '.' ? ',' : '.';
        }
        else {
            point = c;
            group = c == '.' ? ',' : '.';
        }
    }
    else {
        group = '.';
        point = ',';
    }
    if (geotag_number_read(s, n, group, point, ipart, &il, fpart, &fl) != 0 &&
        geotag_number_read(s, n, point, group, ipart, &il, fpart, &fl) != 0)
        return -1;

    /* shift the decimal point right by 'shift' */
    for (i = 0; i < il; i++)
        value[vl++] = ipart[i];
    for (i = 0; i < (apr_size_t)shift; i++)
        value[vl++] = i < fl ? fpart[i] : '0';
    vpoint = vl;
    for (i = (apr_size_t)shift; i < fl; i++)
        value[vl++] = fpart[i];
    while (vl > vpoint && value[vl - 1] == '0')
        vl--;
    lead = 0;
    while (lead + 1 < vpoint && value[lead] == '0')
        lead++;
    if (vpoint - lead + (vl > vpoint ? vl - vpoint + 1 : 0) >=
        GEOTAG_FIGURE_VALUE_MAX)
        return -1;
    for (i = lead; i < vpoint; i++)
        out[o++] = value[i];
    if (vl > vpoint) {
        out[o++] = '.';
        for (i = vpoint; i < vl; i++)
            out[o++] = value[i];
    }
    out[o] = '\0';
    return 0;
}

/* "YYYY", "YYYY-MM" or "YYYY-MM-DD" (month, day 0: left out) into out[16];
 * the year has four digits (geotag_year_plausible, geotag_date_valid) */
static void geotag_iso_date(char *out, int year, int month, int day)
{
    char *o = out;
    o[0] = (char)('0' + year / 1000 % 10);
    o[1] = (char)('0' + year / 100 % 10);
    o[2] = (char)('0' + year / 10 % 10);
    o[3] = (char)('0' + year % 10);
    o += 4;
    if (month) {
        o[0] = '-';
        o[1] = (char)('0' + month / 10);
        o[2] = (char)('0' + month % 10);
        o += 3;
        if (day) {
            o[0] = '-';
            o[1] = (char)('0' + day / 10);
            o[2] = (char)('0' + day % 10);
            o += 3;
        }
    }
    *o = '\0';
}

static int geotag_atoi(const char *s, apr_size_t n)
{
    int v = 0;
    apr_size_t i;
    for (i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static int geotag_date_valid(int y, int m, int d)
{
    static const int days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30,
                                 31};
    if (y < 1000 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return 0;
    if (m == 2 && d == 29)
        return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return 1;
}

static int geotag_year_plausible(int y)
{
    return y >= 1000 && y <= 2099;
}

/* ---------------------------------------------------------- the search */

typedef struct {
    const geotag_figures *f;
    const char *key;
    apr_size_t len;
    int lang;
    const char *lang_tag;
    apr_size_t last_end;   /* end of the previous figure */
    geotag_figure *out;
    int n, max;
} geotag_find_ctx;

static void geotag_emit(geotag_find_ctx *c, apr_size_t start, apr_size_t end,
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

static int geotag_unit_lang_ok(const geotag_find_ctx *c, const geotag_unit *u)
{
    return c->lang == LANG_ANY || !u->lang ||
           geotag_lang_code(u->lang) == c->lang ||
           (c->lang_tag && strcmp(u->lang, c->lang_tag) == 0);
}

static const geotag_unit *geotag_unit_lookup(const geotag_find_ctx *c,
                                             const char *text, apr_size_t n)
{
    const geotag_unit_entry *e = apr_hash_get(c->f->units, text,
                                              (apr_ssize_t)n);
    for (; e; e = e->next)
        if (geotag_unit_lang_ok(c, e->unit))
            return e->unit;
    return NULL;
}

/* Word starting at p: letters, and an elision apostrophe ("d'") if one
 * follows.  Returns its end. */
static apr_size_t geotag_word_end(const char *key, apr_size_t len,
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
static const geotag_unit *geotag_unit_after(const geotag_find_ctx *c,
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
        we = geotag_word_end(key, len, ws);
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
            p = geotag_word_end(key, len, q);
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
            if ((u = geotag_unit_lookup(c, phrase, o)) != NULL)
                return u;
        }
        {
            const geotag_unit *u = geotag_unit_lookup(c, key + ws, we - ws);
            if (u)
                return u;
        }
        if (!geotag_word_find(geotag_fillers, key + ws, we - ws))
            return NULL;
        pos = we;
    }
    return NULL;
}

/* The month name just before p ("giugno 2024", "sept. 19"), or 0. */
static int geotag_month_before(const char *key, apr_size_t p,
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
    m = geotag_word_find(geotag_months, key + ws, we - ws);
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
static int geotag_year_cue(const geotag_find_ctx *c, apr_size_t p,
                           apr_size_t *start)
{
    const char *key = c->key;
    apr_size_t ws, we, vs, ve;

    *start = p;
    if (p == 0)
        return 0;
    if (key[p - 1] == '-') {
        /* "mid-2024", "end-2022" */
        if (!geotag_word_before(key, p - 1, 0, &ws, &we) ||
            !geotag_cue_find(geotag_year_qualifiers, key + ws, we - ws,
                             c->lang))
            return 0;
        *start = ws;
        return 1;
    }
    if (key[p - 1] == '\'')
        return geotag_word_before(key, p - 1, 0, &ws, &we) &&
               geotag_cue_find(geotag_year_elisions, key + ws, we - ws,
                               c->lang) != NULL;
    if (!geotag_word_before(key, p, 1, &ws, &we))
        return 0;
    /* "fine 2022", "early 2023" */
    if (geotag_cue_find(geotag_year_qualifiers, key + ws, we - ws, c->lang)) {
        *start = ws;
        return 1;
    }
    /* "fine del 2022", "end of 2024" */
    if ((we - ws == 3 && memcmp(key + ws, "del", 3) == 0) ||
        (we - ws == 2 && memcmp(key + ws, "of", 2) == 0)) {
        if (geotag_word_before(key, ws, 1, &vs, &ve) &&
            geotag_cue_find(geotag_year_qualifiers, key + vs, ve - vs,
                            c->lang)) {
            *start = vs;
            return 1;
        }
    }
    /* "entro il 2025"; a bare "il 2024" is no cue */
    if (we - ws == 2 && memcmp(key + ws, "il", 2) == 0)
        return geotag_word_before(key, ws, 1, &vs, &ve) &&
               geotag_cue_find(geotag_year_il_cues, key + vs, ve - vs,
                               c->lang) != NULL;
    return geotag_cue_find(geotag_year_cues, key + ws, we - ws, c->lang) !=
           NULL;
}

/* ", 2024" or " 2024" at p, a plausible year ending a word: its end, or 0. */
static apr_size_t geotag_year_after(const char *key, apr_size_t len,
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

/* The currency symbol or code just before p ("$", "us$", "€ ", "usd "). */
static const char *geotag_currency_before(const char *key, apr_size_t p,
                                          apr_size_t *start)
{
    static const struct {
        const char *prefix, *code;
    } dollars[] = {{"us", "USD"}, {"a", "AUD"}, {"au", "AUD"}, {"c", "CAD"},
                   {"ca", "CAD"}, {"hk", "HKD"}, {"nz", "NZD"},
                   {"s", "SGD"}, {NULL, NULL}};
    static const char *const codes[] = {"usd", "eur", "gbp", "jpy", "chf",
                                        NULL};
    apr_size_t q = p, ws, we;
    int i;

    if (q > 0 && key[q - 1] == ' ')
        q--;
    if (q >= 3 && memcmp(key + q - 3, "\xe2\x82\xac", 3) == 0) {
        *start = q - 3;
        return "EUR";
    }
    if (q >= 2 && memcmp(key + q - 2, "\xc2\xa3", 2) == 0) {
        *start = q - 2;
        return "GBP";
    }
    if (q >= 2 && memcmp(key + q - 2, "\xc2\xa5", 2) == 0) {
        *start = q - 2;
        return "JPY";
    }
    if (q >= 1 && key[q - 1] == '$') {
        *start = q - 1;
        if (geotag_word_before(key, q - 1, 0, &ws, &we))
            for (i = 0; dollars[i].prefix; i++)
                if (strlen(dollars[i].prefix) == we - ws &&
                    memcmp(key + ws, dollars[i].prefix, we - ws) == 0) {
                    *start = ws;
                    return dollars[i].code;
                }
        return "USD";
    }
    if (q < p && geotag_word_before(key, q, 0, &ws, &we) && we - ws == 3)
        for (i = 0; codes[i]; i++)
            if (memcmp(key + ws, codes[i], 3) == 0) {
                *start = ws;
                return i == 0 ? "USD" : i == 1 ? "EUR" : i == 2 ? "GBP"
                                      : i == 3 ? "JPY" : "CHF";
            }
    return NULL;
}

static const char *geotag_currency_symbol(const char *s)
{
    if (s[0] == '$')
        return "USD";
    if ((unsigned char)s[0] == 0xe2)
        return "EUR";
    return (unsigned char)s[1] == 0xa3 ? "GBP" : "JPY";
}

static int geotag_captured(const PCRE2_SIZE *ov, int group)
{
    return group > 0 && ov[2 * group] != PCRE2_UNSET;
}

/*
 * A number at key[p..q) (digits and separators) whose match ends at
 * 'end' (after its multiplier, percent sign or currency symbol); the
 * match groups in ov say which of those it has.
 */
static void geotag_number(geotag_find_ctx *c, apr_size_t p, apr_size_t q,
                          apr_size_t end, const PCRE2_SIZE *ov)
{
    const geotag_figures *f = c->f;
    const char *key = c->key;
    char value[GEOTAG_FIGURE_VALUE_MAX];
    const char *currency = NULL, *mult = NULL;
    apr_size_t start = p, cstart = p, mult_len = 0;
    int shift = 0, pct = geotag_captured(ov, f->g_pct);
    const geotag_unit *unit;
    const geotag_word *m;

    if (geotag_captured(ov, f->g_mult)) {
        mult = key + ov[2 * f->g_mult];
        mult_len = ov[2 * f->g_mult + 1] - ov[2 * f->g_mult];
    }
    else if (geotag_captured(ov, f->g_mult1)) {
        mult = key + ov[2 * f->g_mult1];
        mult_len = 1;
    }
    if (mult) {
        m = geotag_word_find(geotag_multipliers, mult, mult_len);
        shift = m ? m->value : 0;
    }
    if (!pct) {
        currency = geotag_currency_before(key, p, &cstart);
        if (currency && cstart >= c->last_end)
            start = cstart;
        else
            currency = NULL;
        if (!currency && geotag_captured(ov, f->g_tcur))
            currency = geotag_currency_symbol(key + ov[2 * f->g_tcur]);
    }

    /* a plain four-digit number in the year range: a date with a month or
     * a cue before it, a count with a unit after it, else nothing */
    if (q - p == 4 && end == q && !currency &&
        geotag_is_digit((unsigned char)key[p + 1]) &&
        geotag_is_digit((unsigned char)key[p + 2]) &&
        geotag_is_digit((unsigned char)key[p + 3]) &&
        geotag_year_plausible(geotag_atoi(key + p, 4)) &&
        !geotag_unit_after(c, q)) {
        int year = geotag_atoi(key + p, 4), month, ambiguous;
        apr_size_t ms, ws, we;
        char iso[16];
        month = geotag_month_before(key, p, &ms, &ambiguous);
        if (!month && geotag_word_before(key, p, 1, &ws, &we) &&
            ((we - ws == 3 && memcmp(key + ws, "del", 3) == 0) ||
             (we - ws == 2 && memcmp(key + ws, "of", 2) == 0)))
            month = geotag_month_before(key, ws, &ms, &ambiguous);
        if (month) {
            geotag_iso_date(iso, year, month, 0);
            geotag_emit(c, ms >= c->last_end ? ms : p, q, GEOTAG_FIGURE_DATE,
                        iso, NULL, NULL);
        }
        else if (geotag_year_cue(c, p, &ms)) {
            geotag_iso_date(iso, year, 0, 0);
            geotag_emit(c, ms >= c->last_end ? ms : p, q, GEOTAG_FIGURE_DATE,
                        iso, NULL, NULL);
        }
        /* a bare year-like number without a cue: neither date nor count */
        return;
    }

    if (geotag_number_value(key + p, q - p, c->lang, shift, value) != 0)
        return;
    if (pct) {
        geotag_emit(c, p, end, GEOTAG_FIGURE_PERCENT, value, NULL, NULL);
        return;
    }
    unit = geotag_unit_after(c, end);
    if (!currency && unit && unit->currency)
        currency = unit->currency;
    /* "5m" is five million only when it is money; else metres, or noise */
    if (mult && mult_len == 1 && mult[0] == 'm' && !currency)
        return;
    geotag_emit(c, start, end,
                currency ? GEOTAG_FIGURE_MONEY : GEOTAG_FIGURE_NUMBER, value,
                unit, currency);
}

/* A day number at p..q with a month name before it ("june 19, 2024"):
 * returns 1 when handled (a date, or nothing for a date without a year). */
static int geotag_day_after_month(geotag_find_ctx *c, apr_size_t p,
                                  apr_size_t q, apr_size_t after,
                                  apr_size_t *next)
{
    apr_size_t ms, yend;
    int ambiguous, month, year, day;
    char iso[16];

    if (q - p > 2)
        return 0;
    month = geotag_month_before(c->key, p, &ms, &ambiguous);
    if (!month)
        return 0;
    day = geotag_atoi(c->key + p, q - p);
    yend = geotag_year_after(c->key, c->len, after, &year);
    if (yend && geotag_date_valid(year, month, day)) {
        geotag_iso_date(iso, year, month, day);
        geotag_emit(c, ms >= c->last_end ? ms : p, yend, GEOTAG_FIGURE_DATE,
                    iso, NULL, NULL);
        *next = yend;
        return 1;
    }
    /* "june 19": a date without its year, skipped; "may 5" may be a verb */
    return !ambiguous && day >= 1 && day <= 31;
}

/* Is the digit run at p glued to something that makes it no figure? */
static int geotag_glued(const char *key, apr_size_t len, apr_size_t p,
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
            return !geotag_word_find(geotag_year_qualifiers, key + ws,
                                     we - ws);
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

/* Index of the first ASCII digit in s[0..n), or n.  Eight bytes at a time:
 * most text runs have none, and this is all they cost. */
static apr_size_t geotag_first_digit(const char *s, apr_size_t n)
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
static apr_size_t geotag_figure_start(const char *key, apr_size_t len,
                                      apr_size_t i)
{
    for (;;) {
        i += geotag_first_digit(key + i, len - i);
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
    offset = geotag_figure_start(key, len, 0);
    if (offset >= len)
        return 0;

    c.f = f;
    c.key = key;
    c.len = len;
    c.lang = geotag_lang_code(lang);
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
            offset = geotag_figure_start(key, len, offset);
            continue;
        }
        if (rc < 0)
            break;   /* a limit: stop, nothing is lost */
        p = ov[0];
        end = ov[1];
        next = end > p ? end : p + 1;

        if (geotag_captured(ov, f->g_iso) || geotag_captured(ov, f->g_dmy)) {
            int a, b, y, month, day;
            char iso[16];
            if (geotag_captured(ov, f->g_iso)) {
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
                /* d/m/y, except English m/d/y with '/' or '-'; a part
                 * over 12 can only be the day */
                if ((c.lang == LANG_EN && *sep != '.' && a <= 12) ||
                    (b > 12 && a <= 12)) {
                    month = a;
                    day = b;
                }
                else {
                    month = b;
                    day = a;
                }
            }
            if (!geotag_glued(key, len, p, end) &&
                geotag_date_valid(y, month, day)) {
                geotag_iso_date(iso, y, month, day);
                geotag_emit(&c, p, end, GEOTAG_FIGURE_DATE, iso, NULL, NULL);
            }
        }
        else if (geotag_captured(ov, f->g_day)) {
            apr_size_t ds = ov[2 * f->g_day], de = ov[2 * f->g_day + 1];
            const geotag_word *m = geotag_word_find(
                geotag_months, key + ov[2 * f->g_dmonth],
                ov[2 * f->g_dmonth + 1] - ov[2 * f->g_dmonth]);
            int day = geotag_atoi(key + ds, de - ds);
            if (geotag_glued(key, len, p, de)) {
                /* "f-19 june": not a day */
            }
            else if (m && geotag_captured(ov, f->g_dyear)) {
                int y = geotag_atoi(key + ov[2 * f->g_dyear], 4);
                char iso[16];
                if (geotag_date_valid(y, m->value, day)) {
                    geotag_iso_date(iso, y, m->value, day);
                    geotag_emit(&c, p, end, GEOTAG_FIGURE_DATE, iso, NULL,
                                NULL);
                }
            }
            else if (m && m->flag && !geotag_captured(ov, f->g_dord) &&
                     ov[2 * f->g_dmonth + 1] == end) {
                /* "3 may", "5 set": without a year (or the dot of an
                 * abbreviation) the word is no month; the number stands
                 * for itself */
                next = de;
                geotag_number(&c, ds, de, de, ov);
            }
            /* else a day and month without a year: never guessed */
        }
        else if (geotag_captured(ov, f->g_ord)) {
            apr_size_t os = ov[2 * f->g_ord], oe = ov[2 * f->g_ord + 1];
            /* "june 19th, 2024"; other ordinals are no figures */
            geotag_day_after_month(&c, os, oe, end, &next);
        }
        else if (geotag_captured(ov, f->g_num)) {
            apr_size_t ns = ov[2 * f->g_num], ne = ov[2 * f->g_num + 1];
            if (geotag_glued(key, len, ns, end)) {
                /* skip the whole run */
            }
            else if (end == ne &&
                     geotag_day_after_month(&c, ns, ne, ne, &next)) {
                /* a day after its month */
            }
            else {
                /* the plain number path reads the match groups */
                geotag_number(&c, ns, ne, end, ov);
            }
        }
        if (c.n > 0 && c.out[c.n - 1].end > next)
            next = c.out[c.n - 1].end;
        offset = geotag_figure_start(key, len, next);
    }
    return c.n;
}
