/*
 * test_matcher.c: the word trie (matcher.h) on the small gazetteer
 * t/unit/data/gazetteer-matcher.xml.
 *
 * Text goes through the normalizer as a page's text does, and a match is
 * shown as the source bytes it covers (from the offset map), its forms'
 * entities beside it.  Checked: whole words only; leftmost-longest, with
 * the shorter form found when a longer path breaks off; any run of spaces,
 * hyphens and apostrophes between the words of a form; the cased stream
 * that the case rules read (and the rules themselves, through a session);
 * the first-word filters answering no for words that begin no form, and
 * not for those that do (one letter, 38 letters, Cyrillic); a form of two
 * entities; the inflection notation; the lexicon's word sets; forms with
 * punctuation between or after their words.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "annotator.h"
#include "matcher.h"
#include "treaty.h"
#include "normalize.h"
#include "tap.h"

#define SCHEMA "conf/gazetteer.rng"
#define DICTIONARY "t/unit/data/gazetteer-matcher.xml"

static apr_pool_t *pool;
static const geotag_engine *engine;
static const geotag_gazetteer *gaz;
static const geotag_matcher *matcher;

/* A text normalized as the annotator normalizes a text run. */
static geotag_normalized normalized(const char *text)
{
    apr_size_t len = strlen(text), cap = geotag_normalize_capacity(len);
    geotag_normalized n;

    n.key = apr_palloc(pool, cap + 1);
    n.cased = apr_palloc(pool, cap + 1);
    n.from = apr_palloc(pool, (cap + 1) * sizeof(*n.from));
    geotag_normalize(text, len, GEOTAG_CHARSET_UTF8, gaz->fold_accents, &n);
    return n;
}

/* The first match in text (normalized into *n). */
static int first_match(const char *text, geotag_normalized *n, geotag_match *m)
{
    apr_size_t pos = 0;

    *n = normalized(text);
    return geotag_matcher_next(matcher, n->key, n->len, &pos, m);
}

/* The source bytes a match covers. */
static const char *source_of(const char *text, const geotag_normalized *n,
                             apr_size_t start, apr_size_t end)
{
    return apr_pstrmemdup(pool, text + n->from[start],
                          n->from[end] - n->from[start]);
}

/* The ids of a match's candidate entities, ','-separated, in alias order;
 * "treaty-word" for a lexicon treaty word. */
static const char *entities_of(const geotag_match *m)
{
    const char *out = "";
    int i;

    for (i = 0; i < m->n_aliases; i++) {
        const geotag_alias *a =
            &APR_ARRAY_IDX(gaz->aliases, m->aliases[i], geotag_alias);
        const char *id =
            a->entity < 0
                ? "treaty-word"
                : APR_ARRAY_IDX(gaz->entities, a->entity, geotag_entity).id;
        out = apr_pstrcat(pool, out, i ? "," : "", id, NULL);
    }
    return out;
}

/* Every match in text, leftmost first, resuming after each:
 * "source=ids;source=ids". */
static const char *matches(const char *text)
{
    geotag_normalized n = normalized(text);
    geotag_match m;
    apr_size_t pos = 0;
    const char *out = "";

    while (geotag_matcher_next(matcher, n.key, n.len, &pos, &m)) {
        out = apr_pstrcat(pool, out, *out ? ";" : "",
                          source_of(text, &n, m.start, m.end), "=",
                          entities_of(&m), NULL);
        if (pos != m.end)
            return "(pos is not the match's end)";
    }
    if (pos != n.len)
        return "(pos is not the end after the last match)";
    return out;
}

/* A table of texts and the matches (or mentions) expected in each. */
typedef struct {
    const char *text;
    const char *want;
    const char *name;
} text_case;

static void check_cases(const char *(*run)(const char *text),
                        const text_case *cases, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        is_str(run(cases[i].text), cases[i].want, cases[i].name);
}

#define CHECK_CASES(run, cases) \
    check_cases(run, cases, sizeof(cases) / sizeof(cases[0]))

static void test_whole_words(void)
{
    static const text_case cases[] = {
        {"Putin", "Putin=Q7747", "a form alone"},
        {"(Putin), \xc2\xabPutin\xc2\xbb; Putin.",
         "Putin=Q7747;Putin=Q7747;Putin=Q7747",
         "punctuation around a form is a word boundary"},
        {"Putinism", "", "a form at the start of a longer word"},
        {"xPutin", "", "a form at the end of a longer word"},
        {"Putin2 2Putin", "", "digits are word characters"},
        {"Putin\xe2\x82\xac", "",
         "a character >= 0x80 the normalizer keeps (\xe2\x82\xac) is a word "
         "character"},
        {"Putin's", "Putin=Q7747",
         "an apostrophe ends a one-word form when no form goes on"},
        {"PUTIN putin", "PUTIN=Q7747;putin=Q7747",
         "the matcher itself is case-blind (the key is folded)"},
        {"Sao Paulo, S\xc3\xa3o Paulo", "Sao Paulo=Q174;S\xc3\xa3o Paulo=Q174",
         "accents folded (fold-accents=\"yes\")"},
    };

    CHECK_CASES(matches, cases);
}

static void test_leftmost_longest(void)
{
    static const text_case cases[] = {
        {"la Corea del Nord", "Corea del Nord=Q423",
         "the longest form wins over its first word (Corea)"},
        {"la Corea del Est", "Corea=Q884",
         "the path breaks off after two words: the shorter form"},
        {"Corea del", "Corea=Q884",
         "the text ends inside a longer form: the shorter form"},
        {"Vladimir Putin incontra Kim Jong-un a Pyongyang",
         "Vladimir Putin=Q7747;Kim Jong-un=Q56226;Pyongyang=Q423",
         "left to right, each match resuming after the last"},
        {"Corea del Nord Corea del Sud Corea",
         "Corea del Nord=Q423;Corea del Sud=Q884;Corea=Q884",
         "forms sharing their first words, one after the other"},
    };
    geotag_normalized n;
    geotag_match m;
    apr_size_t pos = 0;

    CHECK_CASES(matches, cases);
    /* a rejected match: resume at the end of its first word */
    ok(first_match("Vladimir Putin", &n, &m), "Vladimir Putin: a match");
    is_int((long long)m.first_word_end, 8, "first_word_end: after Vladimir");
    pos = m.first_word_end;
    ok(geotag_matcher_next(matcher, n.key, n.len, &pos, &m) && m.start == 9 &&
           m.end == 14,
       "resumed at first_word_end, the next match is Putin (9..14)");
    ok(!geotag_matcher_next(matcher, n.key, n.len, &pos, &m) && pos == n.len,
       "then none, and pos is the end");
}

static void test_separators(void)
{
    static const char *const same[] = {
        "Kim Jong-un",
        "Kim Jong Un",
        "Kim-Jong-Un",
        "Kim'Jong'Un",
        "Kim  Jong   Un",
        "Kim - Jong -- Un",
        "Kim -'-Jong-un",                /* a run of four */
        "Kim\xc2\xa0Jong\xe2\x80\x93un", /* NBSP, en dash */
        "Kim&nbsp;Jong&#8209;un",        /* references, non-breaking hyphen */
        "Kim\xe2\x80\x99Jong\xe2\x80\x99un", /* typographic apostrophes */
    };
    static const text_case other[] = {
        {"North-Korean", "North-Korean=Q423",
         "a space in the form matches a hyphen in the text"},
        {"Kim, Jong-un", "Kim=Q56226,Q5663", "a comma ends the form"},
        {"Kim.Jong-un", "Kim=Q56226,Q5663", "a full stop ends it"},
        {"Kim_Jong_un", "Kim=Q56226,Q5663", "an underscore ends it"},
        {"Kim/Jong-un", "Kim=Q56226,Q5663", "a slash ends it"},
        {"Kim \"Jong\" un", "Kim=Q56226,Q5663", "quotes end it"},
    };
    size_t i;

    for (i = 0; i < sizeof(same) / sizeof(same[0]); i++)
        is_str(matches(same[i]), apr_pstrcat(pool, same[i], "=Q56226", NULL),
               apr_psprintf(pool, "\"%s\" is the form Kim Jong-un", same[i]));
    CHECK_CASES(matches, other);
}

/* A form's punctuation between or after its words must be in the text,
 * the same marks in the same order; spaces around them are free. */
static void test_punctuation(void)
{
    static const text_case cases[] = {
        {"Virgin Islands, British", "Virgin Islands, British=Q11",
         "a comma between the words of a form"},
        {"Virgin Islands ,British", "Virgin Islands ,British=Q11",
         "spaces around the comma are free"},
        {"Virgin Islands British", "Virgin Islands=Q11",
         "the text without the comma is not the form"},
        {"Virgin Islands; British", "Virgin Islands=Q11",
         "another mark is not the comma"},
        {"Virgin Islands,, British", "Virgin Islands=Q11",
         "nor are two commas"},
        {"Cocos (Keeling) Islands", "Cocos (Keeling) Islands=Q13",
         "parentheses inside a form"},
        {"Cocos Keeling Islands", "", "without them: no form"},
        {"George W. Bush met him", "George W. Bush=Q14",
         "a full stop inside a form"},
        {"George W Bush", "", "without it: no form"},
        {"the U.S. Congress voted", "U.S. Congress=Q12",
         "the longer form wins over the one with a final mark"},
        {"the U.S. said", "U.S.=Q30", "a form that ends with a mark takes it"},
        {"the U.S., Japan", "U.S.=Q30",
         "the final mark of a form, then a comma"},
        {"the U.S.", "U.S.=Q30", "the final mark at the end of the text"},
        {"the U.S.A. said", "",
         "a final mark followed by a letter ends no form"},
        {"the U.S", "", "the final mark missing: not the form"},
        {"Kim, Jong-un", "Kim=Q56226,Q5663",
         "a comma still ends a form that has none"},
    };

    CHECK_CASES(matches, cases);
}

/* The case rules are decided on the cased stream, at the match's offsets:
 * the matcher gives the offsets and each alias's cased form. */
static void test_cased_stream(void)
{
    const char *text = "US us Us";
    geotag_normalized n = normalized(text);
    geotag_match m;
    apr_size_t pos = 0;
    const char *seen = "", *alias_cased = NULL;
    int i;

    while (geotag_matcher_next(matcher, n.key, n.len, &pos, &m)) {
        seen = apr_pstrcat(
            pool, seen, *seen ? " " : "",
            apr_pstrmemdup(pool, n.cased + m.start, m.end - m.start), NULL);
        for (i = 0; i < m.n_aliases; i++) {
            const geotag_alias *a =
                &APR_ARRAY_IDX(gaz->aliases, m.aliases[i], geotag_alias);
            if (a->case_rule == GEOTAG_CASE_EXACT)
                alias_cased = geotag_matcher_alias_cased(matcher, m.aliases[i]);
        }
    }
    is_str(seen, "US us Us",
           "each case of US is a candidate, its case kept in the cased "
           "stream at the match's offsets");
    is_str(alias_cased, "US", "the exact alias's cased form is as written");

    ok(first_match("S\xc3\x83O PAULO", &n, &m) && m.n_aliases == 1,
       "S\xc3\x83O PAULO matches");
    is_str(apr_pstrmemdup(pool, n.cased + m.start, m.end - m.start),
           "SAO PAULO", "cased stream: case kept, accents folded");
    is_str(geotag_matcher_alias_cased(matcher, m.aliases[0]), "Sao Paulo",
           "the alias's cased form: case kept, accents folded");
}

/* The same rules as a session applies them (annotator.c, case_matches). */
typedef struct {
    const char *page;
    const char *found;
} mention_log;

static void log_mention(void *baton, const geotag_mention *m)
{
    mention_log *log = baton;

    if (strcmp(m->kind, "entity") != 0)
        return;
    log->found =
        apr_pstrcat(pool, log->found, *log->found ? " " : "",
                    apr_pstrmemdup(pool, log->page + m->offset, m->length), "=",
                    m->id, NULL);
}

static const char *session_mentions(const char *text)
{
    mention_log log;
    geotag_options o;
    geotag_session *s;

    log.page = apr_pstrcat(pool, "<html><body><article><p>", text,
                           "</p></article></body></html>", NULL);
    log.found = "";
    geotag_options_default(&o);
    o.mention = log_mention;
    o.mention_baton = &log;
    s = geotag_session_create(pool, engine, &o);
    geotag_session_feed(s, log.page, strlen(log.page));
    geotag_session_finish(s);
    return log.found;
}

static void test_case_rules(void)
{
    static const text_case cases[] = {
        {"gli Usa, gli USA e usa", "Usa=Q30 USA=Q30",
         "capitalized: Usa and USA, never usa"},
        {"the US, us, Us and uS", "US=Q30", "exact: US only"},
        {"Mosca, mosca, MOSCA", "Mosca=Q159 mosca=Q159 MOSCA=Q159",
         "fold: any case"},
        {"PUTIN e putin", "PUTIN=Q7747", "a name is capitalized by default"},
    };

    CHECK_CASES(session_mentions, cases);
}

static void test_first_word_filter(void)
{
    static const text_case cases[] = {
        {"Jong Nord Paulo Thant test del Un", "",
         "words that only continue forms begin nothing"},
        {"Putto Corso Kimi Pyongyanx", "",
         "words shaped like first words (same first letters, length) that "
         "are not"},
        {"il lo la di che the of and", "", "common words begin nothing"},
        {"U Thant", "U Thant=Q1", "a one-letter first word"},
        {"U", "", "the one letter alone is no form"},
        {"Supercalifragilisticexpialidociousness test",
         "Supercalifragilisticexpialidociousness test=Q2",
         "a first word of 38 letters (past the length bits)"},
        {"Supercalifragilisticexpialidociousnesx test", "",
         "a 38-letter word that differs in its last letter"},
        {"\xd0\xa3\xd0\xba\xd1\x80\xd0\xb0\xd1\x97\xd0\xbd\xd0\xb0",
         "\xd0\xa3\xd0\xba\xd1\x80\xd0\xb0\xd1\x97\xd0\xbd\xd0\xb0=Q212",
         "a Cyrillic first word"},
        {"\xd0\xa3\xd0\x9a\xd0\xa0\xd0\x90\xd0\x87\xd0\x9d\xd0\x90",
         "\xd0\xa3\xd0\x9a\xd0\xa0\xd0\x90\xd0\x87\xd0\x9d\xd0\x90=Q212",
         "the same in capitals (Cyrillic case folding)"},
    };

    CHECK_CASES(matches, cases);
}

static void test_ambiguous(void)
{
    geotag_normalized n;
    geotag_match m;

    ok(first_match("Kim", &n, &m), "Kim: one match");
    is_int(m.n_aliases, 2, "Kim: two candidate aliases");
    is_str(entities_of(&m), "Q56226,Q5663",
           "Kim: both entities, the annotator decides");
    is_str(matches("Kim Jong-un e Kim Yo-jong"),
           "Kim Jong-un=Q56226;Kim Yo-jong=Q5663",
           "the full forms are one entity each");
}

static void test_inflection(void)
{
    static const text_case cases[] = {
        {"nordcoreano nordcoreana nordcoreani nordcoreane",
         "nordcoreano=Q423;nordcoreana=Q423;nordcoreani=Q423;nordcoreane=Q423",
         "nordcoreano/a/i/e: each suffix replaces the final vowel"},
        {"nordcoreanoi nordcorean nordcoreanae", "",
         "nordcoreano/a/i/e: nothing else"},
        {"tedesco tedesca tedeschi tedesche",
         "tedesco=Q183;tedesca=Q183;tedeschi=Q183;tedesche=Q183",
         "tedesco/a/hi/he: two-letter suffixes"},
        {"tedeschio tedescohi", "", "tedesco/a/hi/he: nothing else"},
        {"Russian Russians Russia", "Russian=Q159;Russians=Q159;Russia=Q159",
         "Russian/s: appended after a consonant"},
        {"North Korean, North Koreans", "North Korean=Q423;North Koreans=Q423",
         "North Korean/s: the last word of a multiword form inflects"},
        {"accordo, accordi", "accordo=treaty-word;accordi=treaty-word",
         "accordo/i: treaty words are forms too"},
    };

    CHECK_CASES(matches, cases);
}

/* The lexicon's words as the treaty resolver compiles them (treaty.c owns
 * them; the matcher only has the treaty words as forms). */
static void test_lexicon(void)
{
    geotag_treaty_words *w = geotag_treaty_words_compile(pool, gaz);

    ok(geotag_treaty_is_word(w, "accordi", 7) &&
           geotag_treaty_is_word(w, "accordo", 7),
       "accordo/i: both are treaty words");
    ok(!geotag_treaty_is_word(w, "accorda", 7), "accorda is not");
    ok(!geotag_treaty_is_word(w, "patto", 5),
       "the first word of a multiword treaty word is no one-word treaty word");
    ok(!geotag_treaty_is_word(w, "putin", 5),
       "an entity's form is no treaty word");
    ok(geotag_treaty_is_determiner(w, "questo", 6) &&
           geotag_treaty_is_determiner(w, "questa", 6) &&
           geotag_treaty_is_determiner(w, "il", 2),
       "questo/a and il are determiners");
    ok(!geotag_treaty_is_determiner(w, "questi", 6) &&
           !geotag_treaty_is_determiner(w, "i", 1),
       "questi and i are not");
    ok(geotag_treaty_is_determiner(w, "il patto", 2),
       "the length given is the word (\"il\" of \"il patto\")");
    is_str(matches("questa e il"), "", "determiners are not forms");
}

static void test_sizes(void)
{
    apr_hash_t *keys = apr_hash_make(pool);
    apr_size_t longest = 0;
    int i;

    for (i = 0; i < gaz->aliases->nelts; i++) {
        const char *key = geotag_normalize_string(
            pool, APR_ARRAY_IDX(gaz->aliases, i, geotag_alias).text,
            gaz->fold_accents, NULL);
        apr_hash_set(keys, key, APR_HASH_KEY_STRING, key);
        if (strlen(key) > longest)
            longest = strlen(key);
    }
    is_int(geotag_matcher_forms(matcher), apr_hash_count(keys),
           "forms: the distinct normalized aliases");
    is_int((long long)geotag_matcher_max_form(matcher), (long long)longest,
           "max_form: the longest normalized alias");
    is_int((long long)longest,
           (long long)strlen("supercalifragilisticexpialidociousness test"),
           "(which is the 43-byte one)");
}

/* A form with nothing to match is refused with its file and line. */
static void test_compile_error(void)
{
    geotag_gazetteer g;
    geotag_entity e;
    geotag_alias a;
    const char *error = NULL;

    memset(&g, 0, sizeof(g));
    memset(&e, 0, sizeof(e));
    memset(&a, 0, sizeof(a));
    e.id = "Q9";
    e.source_file = "hand.xml";
    e.source_line = 7;
    a.text = "-- ' --";
    a.entity = 0;
    g.entities = apr_array_make(pool, 1, sizeof(geotag_entity));
    g.aliases = apr_array_make(pool, 1, sizeof(geotag_alias));
    g.determiners = apr_array_make(pool, 1, sizeof(geotag_alias));
    *(geotag_entity *)apr_array_push(g.entities) = e;
    *(geotag_alias *)apr_array_push(g.aliases) = a;
    ok(geotag_matcher_compile(pool, &g, &error) == NULL,
       "a form without letters or digits is refused");
    ok(error != NULL && strncmp(error, "hand.xml:7: ", 12) == 0,
       "with its file and line: %s", error ? error : "(none)");
}

/*
 * geotag_matcher_next_before finds what geotag_matcher_next finds, as long
 * as it starts before the bound, and nothing else: on random texts of
 * forms, other words, digits, accents, references and punctuation, walked
 * on by a match's end and by its first word's end, with the bound at the
 * end of the text and just before, at and after each match's start.
 */
static void test_before(void)
{
    static const char *const words[] = {
        "Kim",
        "Jong-un",
        "Yo-jong",
        "nordcoreano",
        "Russia",
        "Russian",
        "North",
        "Korean",
        "accordo",
        "tedeschi",
        "il",
        "e",
        "di",
        "the",
        "10.000",
        "2,8",
        "milioni",
        "19",
        "giugno",
        "2024",
        "30%",
        "$60bn",
        "citt&agrave;",
        "&Egrave;",
        "perch\xc3\xa9",
        "\xd0\x9c\xd0\xbe",
        "l'",
        "-",
        "--",
        ",",
        ".",
        "  ",
        "&nbsp;",
        "\xe2\x80\x99",
        "x1",
        "A9",
        "Putin",
        "Mosca",
        "soldati",
    };
    const int n_words = (int)(sizeof(words) / sizeof(words[0]));
    int iter, same = 1, bounded = 1, matches_seen = 0;

    srand(20261206);
    for (iter = 0; iter < 1500; iter++) {
        char text[2048];
        apr_size_t len = 0, pos_a = 0, pos_b = 0;
        int k, n_pieces = rand() % 120, step = 0;
        geotag_normalized n;
        geotag_match ma, mb;

        for (k = 0; k < n_pieces; k++) {
            const char *w = words[rand() % n_words];
            apr_size_t wl = strlen(w);
            if (len + wl + 2 >= sizeof(text))
                break;
            memcpy(text + len, w, wl);
            len += wl;
            if (rand() % 4)
                text[len++] = ' ';
        }
        text[len] = '\0';
        n = normalized(text);
        for (;;) {
            apr_size_t from = pos_a;
            int a = geotag_matcher_next(matcher, n.key, n.len, &pos_a, &ma);
            int b = geotag_matcher_next_before(matcher, n.key, n.len, n.len,
                                               &pos_b, &mb);
            if (a != b || pos_a != pos_b ||
                (a &&
                 (ma.start != mb.start || ma.end != mb.end ||
                  ma.first_word_end != mb.first_word_end ||
                  ma.aliases != mb.aliases || ma.n_aliases != mb.n_aliases))) {
                same = 0;
                break;
            }
            if (!a)
                break;
            matches_seen++;
            for (k = -1; k <= 1; k++) {
                apr_size_t p = from, bound = ma.start + (apr_size_t)k;
                geotag_match mc;
                int c;
                if (k < 0 && ma.start == 0)
                    continue;
                c = geotag_matcher_next_before(matcher, n.key, n.len, bound, &p,
                                               &mc);
                if (c != (ma.start < bound) ||
                    (c && (mc.start != ma.start || mc.end != ma.end)))
                    bounded = 0;
            }
            pos_a = pos_b = step++ % 2 ? ma.end : ma.first_word_end;
        }
    }
    ok(same && matches_seen > 1000,
       "next_before with the text's end as bound: the matches of next on "
       "1500 random texts (%d matches)",
       matches_seen);
    ok(bounded, "next_before: a match found only when it starts before the "
                "bound, then the same match");
}

int main(void)
{
    const char *files[1] = {DICTIONARY};
    const char *error = NULL;

    apr_initialize();
    apr_pool_create(&pool, NULL);
    engine = geotag_engine_load(pool, SCHEMA, NULL, files, 1, &error);
    if (!ok(engine != NULL, "%s loads", DICTIONARY)) {
        tap_diag("%s", error ? error : "(no message)");
        return tap_done();
    }
    gaz = engine->gazetteer;
    matcher = engine->matcher;
    test_whole_words();
    test_leftmost_longest();
    test_separators();
    test_punctuation();
    test_cased_stream();
    test_case_rules();
    test_first_word_filter();
    test_ambiguous();
    test_inflection();
    test_lexicon();
    test_sizes();
    test_compile_error();
    test_before();
    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
