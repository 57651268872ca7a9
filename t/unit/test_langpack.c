/*
 * test_langpack.c: the language packs (langpack.h): the shipped packs load
 * and carry the words the figures need; a dictionary's <lexicon> adds to
 * them; an entity-only dictionary still gets dates, figures, treaty words
 * and units; a broken pack is refused with its file and line; and a third
 * language is a data file (t/unit/data/lang-fr/).  Runs from the
 * repository root.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "annotator.h"
#include "langpack.h"
#include "tap.h"

#define SCHEMA "conf/gazetteer.rng"
#define PACKS "conf/lang"
#define DATA "t/unit/data/"

static apr_pool_t *pool;

static const geotag_gazetteer *load(const char *packs, const char *dict,
                                    const char **error)
{
    const char *files[1];

    files[0] = dict;
    *error = NULL;
    return geotag_gazetteer_load(pool, SCHEMA, packs, files, dict ? 1 : 0,
                                 error);
}

static const geotag_engine *engine(const char *packs, const char *dict)
{
    const char *files[1], *error = NULL;
    const geotag_engine *e;

    files[0] = dict;
    e = geotag_engine_load(pool, SCHEMA, packs, files, 1, &error);
    if (!e)
        tap_diag("engine: %s", error ? error : "?");
    return e;
}

/* The figures of 'key' (already lower case) as "value,value,..." */
static const char *figures(const geotag_engine *e, const char *key,
                           const char *lang)
{
    geotag_figures_scratch *s;
    geotag_figure out[8];
    const char *list = "";
    int i, n;

    if (!e)
        return "(no engine)";
    s = geotag_figures_scratch_create(pool, e->figures);
    n = geotag_figures_find(e->figures, s, key, strlen(key), lang, out, 8);
    for (i = 0; i < n; i++)
        list = apr_pstrcat(pool, list, i ? "," : "", out[i].value, NULL);
    return list;
}

static int has_word(const geotag_gazetteer *g, geotag_word_kind kind,
                    const char *text, const char *lang)
{
    int pack = lang ? geotag_lexicon_pack_of(g->lexicon, lang) : -1;

    if (lang && pack < 0)
        return 0;
    return geotag_lexicon_find(g->lexicon, kind, text, strlen(text), pack) !=
           NULL;
}

static int count_units(const geotag_gazetteer *g, const char *text,
                       const char *lang)
{
    int i, n = 0;

    for (i = 0; i < g->units->nelts; i++) {
        const geotag_unit *u = &APR_ARRAY_IDX(g->units, i, geotag_unit);
        if (strcmp(u->text, text) == 0 && strcmp(u->lang, lang) == 0)
            n++;
    }
    return n;
}

static int has_treaty_word(const geotag_gazetteer *g, const char *text)
{
    int i;

    for (i = 0; i < g->aliases->nelts; i++) {
        const geotag_alias *a = &APR_ARRAY_IDX(g->aliases, i, geotag_alias);
        if (a->role == GEOTAG_ALIAS_TREATY_WORD && strcmp(a->text, text) == 0)
            return 1;
    }
    return 0;
}

/* How many of the engine's related-stories cues are 'text'. */
static int count_cues(const geotag_engine *e, const char *text)
{
    int i, n = 0;

    for (i = 0; e && i < e->n_related_cues; i++)
        if (strcmp(e->related_cues[i], text) == 0)
            n++;
    return n;
}

static void test_shipped(void)
{
    const char *error;
    const geotag_gazetteer *g = load(PACKS, NULL, &error);
    const geotag_word *w;

    if (!ok(g != NULL, "the shipped packs load without a dictionary")) {
        tap_diag("%s", error ? error : "?");
        return;
    }
    is_int(g->lexicon->packs->nelts, 2, "two packs: en, it");
    ok(geotag_lexicon_pack_of(g->lexicon, "it-IT") >= 0 &&
           geotag_lexicon_pack_of(g->lexicon, "en_GB") >= 0,
       "found by the primary subtag");
    w = geotag_lexicon_find(g->lexicon, GEOTAG_WORD_MONTH, "giugno", 6, -1);
    ok(w && w->value == 6 && !w->flag, "giugno is month 6");
    w = geotag_lexicon_find(g->lexicon, GEOTAG_WORD_MONTH, "may", 3, -1);
    ok(w && w->value == 5 && w->flag, "may is month 5, ambiguous");
    w = geotag_lexicon_find(g->lexicon, GEOTAG_WORD_MULTIPLIER, "k", 1, -1);
    ok(w && w->value == 3 && w->flag, "k multiplies by 10^3, glued");
    ok(has_word(g, GEOTAG_WORD_YEAR_CUE, "nel", "it") &&
           !has_word(g, GEOTAG_WORD_YEAR_CUE, "nel", "en"),
       "year cues belong to their language");
    ok(has_word(g, GEOTAG_WORD_YEAR_ELISION, "nell", "it"),
       "an elided cue is kept without its apostrophe");
    w = geotag_lexicon_find(g->lexicon, GEOTAG_WORD_YEAR_ARTICLE, "entro", 5,
                            geotag_lexicon_pack_of(g->lexicon, "it"));
    ok(w && w->article && strcmp(w->article, "il") == 0,
       "entro takes the article il");
    ok(has_word(g, GEOTAG_WORD_NUMBER_CUE, "articolo", "it") &&
           has_word(g, GEOTAG_WORD_NUMBER_CUE, "article", "en"),
       "number cues in both packs");
    ok(has_treaty_word(g, "trattati") && has_treaty_word(g, "treaties"),
       "treaty words come from the packs");
    is_int(count_units(g, "soldati", "it"), 1, "units come from the packs");
    ok(has_word(g, GEOTAG_WORD_RELATED_CUE, "correlati", "it") &&
           has_word(g, GEOTAG_WORD_RELATED_CUE, "related", "en"),
       "related-stories cues in both packs");
}

static void test_merge(void)
{
    const char *error;
    const geotag_gazetteer *g = load(PACKS, DATA "lexicon-adds.xml", &error);
    const geotag_engine *e;
    int de;

    if (!ok(g != NULL, "a dictionary with a <lexicon> loads over the packs")) {
        tap_diag("%s", error ? error : "?");
        return;
    }
    ok(has_word(g, GEOTAG_WORD_MONTH, "sett", "it"),
       "its month joins the Italian pack");
    ok(has_word(g, GEOTAG_WORD_MONTH, "giugno", "it"),
       "and the pack's own words stay");
    de = geotag_lexicon_pack_of(g->lexicon, "de");
    ok(de >= 0 &&
           APR_ARRAY_IDX(g->lexicon->packs, de, geotag_langpack).file == NULL,
       "a lexicon in a language without a pack makes one");
    ok(has_treaty_word(g, "trattatello") && has_treaty_word(g, "trattato"),
       "treaty words add up");
    is_int(count_units(g, "carri", "it"), 1, "units add up");

    e = engine(PACKS, DATA "lexicon-adds.xml");
    is_str(figures(e, "sett. 2024 e giugno 2024", "it"), "2024-09,2024-06",
           "the added month is a month");
    is_str(figures(e, "verso 2025", "it"), "2025", "the added cue is a cue");
    is_str(figures(e, "verso 2025", "en"), "", "of its language only");
    is_str(figures(e, "im juni 2024", "de"), "2024-06",
           "the made pack's words work");
    ok(count_cues(e, "related") == 1 && count_cues(e, "correlati") == 1,
       "the engine has every pack's cues, a repeated one once");
    is_int(count_cues(e, "weitere-artikel"), 1,
           "a lexicon's cue joins them, in lower case");

    /* the shipped dictionary repeats the packs' lexicon: nothing doubles */
    g = load(PACKS, "conf/gazetteer.xml", &error);
    ok(g != NULL, "the shipped dictionary loads over the packs");
    if (g) {
        is_int(count_units(g, "soldati", "it"), 1,
               "a unit in both the pack and the dictionary is kept once");
        is_int(g->lexicon->packs->nelts, 2, "and makes no third pack");
    }
}

static void test_entity_only(void)
{
    const geotag_engine *e = engine(PACKS, DATA "entities-only.xml");
    const geotag_engine *bare;
    const char *files[1] = {DATA "entities-only.xml"}, *error = NULL;

    ok(e != NULL, "an entity-only dictionary loads");
    is_str(figures(e, "nel giugno 2024", "it"), "2024-06",
           "giugno 2024 is a date");
    is_str(figures(e, "in june 2024", "en"), "2024-06", "June 2024 too");
    is_str(figures(e, "2,8 milioni di soldati", "it"), "2800000",
           "multipliers come from the packs");
    if (e) {
        geotag_figures_scratch *s =
            geotag_figures_scratch_create(pool, e->figures);
        geotag_figure f[2];
        int n =
            geotag_figures_find(e->figures, s, "5.000 soldati", 13, "it", f, 2);
        ok(n == 1 && f[0].unit && strcmp(f[0].unit->text, "soldati") == 0,
           "the counted noun is a unit of the pack");
        ok(has_treaty_word(e->gazetteer, "patto"),
           "the treaty words are there");
    }
    /* without packs the same dictionary has none of it: the test can fail */
    bare = geotag_engine_load(pool, SCHEMA, NULL, files, 1, &error);
    is_str(figures(bare, "nel giugno 2024", "it"), "",
           "without packs, no month is known");
}

/* Writes a pack file into a fresh directory; returns the directory. */
static const char *pack_dir(const char *name, const char *content)
{
    char *dir = apr_pstrdup(pool, "/tmp/geotag-langpack-XXXXXX");
    FILE *f;

    if (!mkdtemp(dir))
        return "/nonexistent";
    if (name) {
        f = fopen(apr_pstrcat(pool, dir, "/", name, NULL), "w");
        if (f) {
            fputs(content, f);
            fclose(f);
        }
    }
    return dir;
}

static void remove_dir(const char *dir, const char *name)
{
    if (name)
        unlink(apr_pstrcat(pool, dir, "/", name, NULL));
    rmdir(dir);
}

#define PACK_HEAD \
    "<?xml version=\"1.0\"?>\n" \
    "<language-pack xmlns=\"urn:mod-geotag:gazetteer:1\" lang=\"xx\">\n"

static void test_broken(void)
{
    const char *error, *dir;
    const geotag_gazetteer *g;

    g = load(DATA "lang-bad", NULL, &error);
    ok(g == NULL && error && strstr(error, DATA "lang-bad/it.xml:5: ") != NULL,
       "a thirteenth month: refused with file:line (%s)",
       error ? error : "loaded");

    g = load(DATA "no-such-dir", DATA "entities-only.xml", &error);
    ok(g == NULL && error && strstr(error, "no-such-dir") &&
           strstr(error, "language packs"),
       "a missing directory is an error (%s)", error ? error : "loaded");

    dir = pack_dir(NULL, NULL);
    g = load(dir, DATA "entities-only.xml", &error);
    ok(g == NULL && error && strstr(error, "no language pack"),
       "so is a directory without packs (%s)", error ? error : "loaded");
    remove_dir(dir, NULL);

    dir = pack_dir("xx.xml", PACK_HEAD "  <multiplier power=\"3\" "
                                       "glued=\"yes\">kk</multiplier>\n"
                                       "</language-pack>\n");
    g = load(dir, NULL, &error);
    ok(g == NULL && error && strstr(error, "xx.xml:3: ") &&
           strstr(error, "glued"),
       "what the schema cannot say, with file:line (%s)",
       error ? error : "loaded");
    remove_dir(dir, "xx.xml");

    dir = pack_dir("xx.xml", PACK_HEAD "  <month>x</month>\n"
                                       "</language-pack>\n");
    g = load(dir, NULL, &error);
    ok(g == NULL && error && strstr(error, "xx.xml:3: "),
       "a month without its number (%s)", error ? error : "loaded");
    remove_dir(dir, "xx.xml");

    dir = pack_dir("xx.xml", PACK_HEAD "  <related-cue>read more</related-cue>\n"
                                       "</language-pack>\n");
    g = load(dir, NULL, &error);
    ok(g == NULL && error && strstr(error, "xx.xml:3: "),
       "a cue of two words: no class word holds it (%s)",
       error ? error : "loaded");
    remove_dir(dir, "xx.xml");

    dir = pack_dir("xx.xml", "<?xml version=\"1.0\"?>\n"
                             "<gazetteer xmlns=\"urn:mod-geotag:gazetteer:1\""
                             "/>\n");
    g = load(dir, NULL, &error);
    ok(g == NULL && error && strstr(error, "xx.xml:2: not a language pack"),
       "a dictionary in the packs directory (%s)", error ? error : "loaded");
    remove_dir(dir, "xx.xml");

    g = load(PACKS, "conf/lang/it.xml", &error);
    ok(g == NULL && error && strstr(error, "conf/lang/it.xml:") &&
           strstr(error, "not a dictionary"),
       "a pack named as a dictionary (%s)", error ? error : "loaded");
}

static void test_third_language(void)
{
    const geotag_engine *fr = engine(DATA "lang-fr", DATA "entities-only.xml");
    const geotag_engine *shipped = engine(PACKS, DATA "entities-only.xml");

    is_str(figures(shipped, "en juin 2024", "fr"), "",
           "without a French pack, juin is no month");
    is_str(figures(fr, "en juin 2024", "fr"), "2024-06",
           "with one, juin 2024 is a date");
    is_str(figures(fr, "le 19 juin 2024", "fr"), "2024-06-19",
           "and 19 juin 2024");
    is_str(figures(fr, "aout 2023 et fevrier 2022", "fr"), "2023-08,2022-02",
           "accented names match the folded key");
    is_str(figures(fr, "en 2024, fin de 2022", "fr"), "2024,2022",
           "its year cues and qualifiers");
    is_str(figures(fr, "2,5 milliards d'euros", "fr"), "2500000000",
           "its multipliers and decimal mark");
    is_str(figures(fr, "30 pour cent", "fr"), "30", "its percent words");
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_shipped();
    test_merge();
    test_entity_only();
    test_broken();
    test_third_language();
    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
