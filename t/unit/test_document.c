/*
 * test_document.c: the document module, and the session's finished
 * document.
 *
 * The findings: entity slots (first-occurrence order, the entity cap),
 * figures (only clear ones, once, up to their cap); the document is built
 * once (about: named in the headline; mentions: the rest with a full
 * form) and is read-only from then on.  Through a session: the document
 * exists once the page is finished or its JSON-LD edit is queued, asking
 * for it twice changes nothing, and it is the same whether asked before
 * or after the rest of the page is read.
 */
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "annotator.h"
#include "document.h"
#include "tap.h"

#define SCHEMA "conf/gazetteer.rng"
#define DICTIONARY "conf/gazetteer.xml"

static apr_pool_t *pool;
static const geotag_engine *engine;

static void test_slots(void)
{
    geotag_findings f;
    geotag_slot *a, *b;
    int i, full = 0;

    geotag_findings_init(&f, pool, 3, 5, 50, 10);
    ok(geotag_findings_slot(&f, 7) == NULL, "an entity not named: no slot");
    a = geotag_findings_add(&f, 7);
    ok(a && a->entity == 7 && a->order == 0 && a->flags == 0,
       "a new slot, first in order");
    a->flags |= GEOTAG_SLOT_FULL;
    ok(geotag_findings_add(&f, 7) == a && geotag_findings_slot(&f, 7) == a,
       "the same entity: the same slot");
    b = geotag_findings_add(&f, 7 + 32); /* the same bucket in 32 */
    ok(b && b != a && b->order == 1, "a collision gets its own slot");
    geotag_findings_add(&f, 1);
    is_int(geotag_findings_entities(&f), 3, "three distinct entities");
    ok(geotag_findings_add(&f, 2) == NULL, "past the cap: no slot");
    ok(geotag_findings_add(&f, 1) != NULL, "...but the known ones still");
    for (i = 0; i < 100; i++)
        full += geotag_findings_slot(&f, i) != NULL;
    is_int(full, 3, "lookups make no slots");
}

static geotag_figure figure(geotag_figure_kind kind, const char *value,
                            const char *currency)
{
    geotag_figure fig;
    memset(&fig, 0, sizeof(fig));
    fig.kind = kind;
    apr_cpystrn(fig.value, value, sizeof(fig.value));
    fig.currency = currency;
    return fig;
}

static void test_figures_and_build(void)
{
    geotag_findings f;
    geotag_figure fig;
    geotag_document subject;
    const geotag_document *doc, *again;
    static const char *const types[] = {"NewsArticle"};
    int i;

    geotag_findings_init(&f, pool, 10, 1, 2, 2);
    fig = figure(GEOTAG_FIGURE_DATE, "2024-06-19", NULL);
    geotag_findings_add_figure(&f, &fig);
    fig = figure(GEOTAG_FIGURE_NUMBER, "12", NULL);
    geotag_findings_add_figure(&f, &fig);
    fig = figure(GEOTAG_FIGURE_MONEY, "5", NULL);
    geotag_findings_add_figure(&f, &fig);
    is_int(geotag_findings_figures(&f), 0,
           "dates, bare numbers and money without currency are not listed");
    fig = figure(GEOTAG_FIGURE_MONEY, "5", "EUR");
    geotag_findings_add_figure(&f, &fig);
    geotag_findings_add_figure(&f, &fig);
    is_int(geotag_findings_figures(&f), 1, "a figure is listed once");
    fig = figure(GEOTAG_FIGURE_MONEY, "6", "EUR");
    geotag_findings_add_figure(&f, &fig);
    fig = figure(GEOTAG_FIGURE_MONEY, "7", "EUR");
    geotag_findings_add_figure(&f, &fig);
    is_int(geotag_findings_figures(&f), 2, "up to the cap");

    /* order 0..4: 10 (headline), 11 (short form only), 12, 13, 14 */
    for (i = 10; i < 15; i++)
        geotag_findings_add(&f, i)->flags = GEOTAG_SLOT_FULL;
    geotag_findings_slot(&f, 10)->flags |= GEOTAG_SLOT_HEADLINE;
    geotag_findings_slot(&f, 11)->flags = GEOTAG_SLOT_SHORT_PENDING;
    geotag_findings_slot(&f, 13)->flags |= GEOTAG_SLOT_SHORT_HEADLINE;

    ok(geotag_findings_document(&f) == NULL, "no document before the build");
    memset(&subject, 0, sizeof(subject));
    subject.lang = "it";
    subject.subject_id = "https://ex.org/a";
    subject.subject_types = types;
    subject.n_subject_types = 1;
    doc = geotag_findings_build(&f, pool, &subject);
    ok(doc && doc == geotag_findings_document(&f), "built, and kept");
    is_str(doc->lang, "it", "the subject's language");
    is_str(doc->subject_id, "https://ex.org/a", "the subject");
    ok(doc->n_about == 1 && doc->about[0] == 10,
       "about: the headline's entity, up to the cap (13 gives way)");
    ok(doc->n_mentions == 2 && doc->mentions[0] == 12 && doc->mentions[1] == 13,
       "mentions: the others with a full form, in order, up to the cap");
    is_int(doc->n_figures, 2, "the figures");

    geotag_findings_add(&f, 20)->flags = GEOTAG_SLOT_FULL;
    subject.lang = "en";
    again = geotag_findings_build(&f, pool, &subject);
    ok(again == doc && doc->n_mentions == 2 && !strcmp(doc->lang, "it"),
       "built once: later findings and a second build change nothing");
}

/* The page's document through a session, the JSON-LD rendered from it. */
static const char article[] =
    "<html lang=\"en\"><head><title>Putin and Kim</title></head><body>"
    "<article><p>Vladimir Putin met Kim Jong Un in Pyongyang, Russia said "
    "on 19 June 2024; the deal cost $5 billion.</p></article></body>"
    "<html lang=\"it\"><p>after the end</p></html>";

static void test_session_document(void)
{
    geotag_options o;
    geotag_session *s;
    geotag_edit e;
    const geotag_document *doc;
    const char *json1, *json2;
    apr_size_t n1, n2, cut = strlen(article) - 40;
    int putin = geotag_gazetteer_find(engine->gazetteer, "Q7747");

    geotag_options_default(&o);
    s = geotag_session_create(pool, engine, &o);
    ok(geotag_session_doc(s) == NULL, "no document while the page is read");
    geotag_session_feed(s, article, cut);
    while (geotag_session_next_edit(s, &e) && e.kind != GEOTAG_EDIT_JSONLD)
        ;
    if (!ok(e.kind == GEOTAG_EDIT_JSONLD,
            "the JSON-LD edit is queued at </body>"))
        return;
    doc = geotag_session_doc(s);
    if (!ok(doc != NULL, "...with its document"))
        return;
    json1 = geotag_session_jsonld(s, pool, &n1);
    geotag_session_feed(s, article + cut, strlen(article) - cut);
    geotag_session_finish(s);
    ok(geotag_session_doc(s) == doc, "finishing builds no second document");
    is_str(doc->lang, "en", "a later <html lang> does not change it");
    json2 = geotag_session_jsonld(s, pool, &n2);
    ok(n1 == n2 && !memcmp(json1, json2, n1),
       "the JSON-LD is the same whenever it is rendered");
    ok(doc->n_about >= 1 && doc->about[0] == putin,
       "the title names Putin: about (matched once, at the build)");

    /* a page without JSON-LD (off): the document is made at the end */
    o.jsonld = 0;
    s = geotag_session_create(pool, engine, &o);
    geotag_session_feed(s, article, strlen(article));
    ok(geotag_session_doc(s) == NULL, "without a JSON-LD edit: none yet");
    geotag_session_finish(s);
    doc = geotag_session_doc(s);
    ok(doc && doc->n_about + doc->n_mentions >= 2 && doc->n_figures == 1,
       "at the end of the page: its entities and its figure");
    ok(geotag_session_doc(s) == doc, "asked twice: the same document");
}

int main(void)
{
    const char *files[] = {DICTIONARY};
    const char *error = NULL;

    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_slots();
    test_figures_and_build();
    engine = geotag_engine_load(pool, SCHEMA, "conf/lang", files, 1, &error);
    if (!ok(engine != NULL, "the dictionary loads: %s", error ? error : "ok"))
        return tap_done();
    test_session_document();
    return tap_done();
}
