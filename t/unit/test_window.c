/*
 * test_window.c: matching a window of text, over conf/gazetteer.xml.
 *
 * Full forms name their entity; a short form only once a full form of it
 * was seen; figures that overlap no entity, but not a number that names
 * something ("Article 5"); treaty words resolved or dropped; the window's
 * end; the entity cap; the headline.
 */
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "tap.h"
#include "window.h"

#define SCHEMA "conf/gazetteer.rng"
#define DICTIONARY "conf/gazetteer.xml"

static apr_pool_t *pool;
static const geotag_engine *engine;

typedef struct {
    geotag_findings found;
    geotag_treaty_resolver *treaties;
    geotag_window *w;
} fixture;

static fixture *fixture_make(const char *lang, int entities)
{
    fixture *f = apr_pcalloc(pool, sizeof(*f));
    geotag_findings_init(&f->found, pool, entities, 5, 50, 10);
    f->treaties = geotag_treaty_resolver_create(pool, engine->treaty_words,
                                                engine->gazetteer, 8);
    f->w = geotag_window_create(pool, engine, &f->found, f->treaties, lang,
                                GEOTAG_TYPE_ALL, 256, 64 * 1024);
    return f;
}

/* Matches text whole; returns the spans as "type:id-or-value" words. */
static const char *match(fixture *f, const char *text)
{
    const geotag_normalized *n =
        geotag_window_normalize(f->w, text, strlen(text), GEOTAG_CHARSET_UTF8);
    apr_size_t done;
    int i, count = geotag_window_match(f->w, n->len, 0, &done);
    const geotag_span *sp = geotag_window_spans(f->w);
    const geotag_entity *e =
        (const geotag_entity *)engine->gazetteer->entities->elts;
    char *out = "";

    for (i = 0; i < count; i++) {
        if (sp[i].type == GEOTAG_SPAN_ENTITY)
            out = apr_pstrcat(pool, out, i ? " " : "", "e:", e[sp[i].entity].id,
                              NULL);
        else if (sp[i].type == GEOTAG_SPAN_FIGURE)
            out = apr_pstrcat(
                pool, out, i ? " " : "",
                "f:", geotag_window_figure(f->w, sp[i].figure)->value, NULL);
        else
            out = apr_pstrcat(pool, out, i ? " " : "", "none", NULL);
    }
    return out;
}

static void test_forms(void)
{
    fixture *f = fixture_make("en", 500);

    /* "in Pyongyang" would be the city (a place preposition): the capital
     * stands for its state where no preposition comes before it */
    is_str(match(f, "Putin met Kim. Pyongyang agreed."), "e:Q7747 e:Q423",
           "a full form, a capital (its state); the short form not yet");
    is_str(match(f, "Kim Jong Un arrived. Later Kim left."),
           "e:Q56226 e:Q56226", "the short form after the full one");
    is_str(match(f, "the russia desk"), "",
           "a capitalized name written lower case is none");
    is_str(match(f, "Article 5 and 40 tonnes"), "f:40",
           "a number that names an article is no figure");
}

static void test_treaty_words(void)
{
    fixture *f = fixture_make("it", 500);

    is_str(match(f, "Il patto firmato da Russia e Corea del Nord."),
           "e:Q126896555 e:Q159 e:Q423",
           "a treaty word its sentence describes is the treaty");
    is_str(match(f, "Un trattato qualunque."), "none",
           "one it does not describe is dropped");
    is_str(match(f, "Poi il patto."), "e:Q126896555",
           "after a determiner: the treaty remembered");
}

static void test_cap_and_headline(void)
{
    fixture *f = fixture_make("en", 1);
    geotag_slot *slot;
    int putin = geotag_gazetteer_find(engine->gazetteer, "Q7747");

    match(f, "Putin spoke.");
    ok(!geotag_window_full(f->w), "one entity: within the cap");
    match(f, "Putin met Xi Jinping.");
    ok(geotag_window_full(f->w), "a second one: the cap is reached");

    f = fixture_make("en", 10);
    match(f, "Putin spoke.");
    geotag_window_headline(f->w, "Putin and Kim Jong Un", 21,
                           GEOTAG_CHARSET_UTF8);
    slot = geotag_findings_slot(&f->found, putin);
    ok(slot && (slot->flags & GEOTAG_SLOT_HEADLINE),
       "the headline names an entity the text named");
    ok(geotag_findings_slot(&f->found, geotag_gazetteer_find(engine->gazetteer,
                                                             "Q56226")) == NULL,
       "...and makes no slot for one it did not");
}

int main(void)
{
    const char *files[] = {DICTIONARY};
    const char *error = NULL;

    apr_initialize();
    apr_pool_create(&pool, NULL);
    engine = geotag_engine_load(pool, SCHEMA, "conf/lang", files, 1, &error);
    if (!ok(engine != NULL, "the dictionary loads: %s", error ? error : "ok"))
        return tap_done();
    test_forms();
    test_treaty_words();
    test_cap_and_headline();
    return tap_done();
}
