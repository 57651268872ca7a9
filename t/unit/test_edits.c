/*
 * test_edits.c: rendering edits (edits.h).
 *
 * Every inline edit kind in every markup mode, byte for byte; the opening
 * tags rendered once at load and copied after; the attribute values kept
 * to characters that need no escaping, whatever an entity or a value
 * holds, and within GEOTAG_EDIT_RENDER_MAX; geotag_edit_render_any, the
 * one place that tells inline markup from the JSON-LD element.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "edits.h"
#include "tap.h"

static apr_pool_t *pool;

static const geotag_label putin_labels[] = {
    {"it", "Vladimir Putin", "Vladimir_Putin"},
};

#define LONG_72 \
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ"

enum { E_PUTIN, E_NATO, E_HOSTILE, E_LONG, N_ENTITIES };

/* A gazetteer as the loader leaves it, minus what rendering does not
 * read.  The hostile and long entities hold what the schema would
 * refuse: rendering must stay safe anyway. */
static geotag_gazetteer *make_gazetteer(void)
{
    static const struct {
        const char *id, *type;
    } rows[N_ENTITIES] = {
        {"Q7747", "Person"},
        {"Q7184", "Organization"},
        {"Q1\"><script>alert(1)</script>", "Per son\"<&>\xc3\xa9"},
        {"Q" LONG_72, LONG_72 LONG_72},
    };
    geotag_gazetteer *g = apr_pcalloc(pool, sizeof(*g));
    int i;

    g->entities = apr_array_make(pool, N_ENTITIES, sizeof(geotag_entity));
    for (i = 0; i < N_ENTITIES; i++) {
        geotag_entity *e = apr_array_push(g->entities);
        memset(e, 0, sizeof(*e));
        e->id = rows[i].id;
        e->type = rows[i].type;
        e->verified = 1;
        e->labels = putin_labels;
        e->n_labels = 1;
    }
    return g;
}

static geotag_edit edit_of(geotag_edit_kind kind, int figure_kind, int entity,
                           const char *value)
{
    geotag_edit e;

    memset(&e, 0, sizeof(e));
    e.offset = 42;
    e.kind = (unsigned char)kind;
    e.figure_kind = (unsigned char)figure_kind;
    e.entity = entity;
    if (value != NULL)
        strncpy(e.value, value, sizeof(e.value) - 1);
    return e;
}

/* The rendering of one edit as a string; the buffer around it is
 * poisoned, and a write past GEOTAG_EDIT_RENDER_MAX is reported. */
static const char *render(const geotag_gazetteer *g, const geotag_edit *e,
                          geotag_markup_mode mode)
{
    char buf[GEOTAG_EDIT_RENDER_MAX + 16];
    apr_size_t n, i;

    memset(buf, 0x7f, sizeof(buf));
    n = geotag_edit_render(e, g, mode, buf);
    if (n > GEOTAG_EDIT_RENDER_MAX)
        return "(longer than GEOTAG_EDIT_RENDER_MAX)";
    for (i = GEOTAG_EDIT_RENDER_MAX; i < sizeof(buf); i++)
        if (buf[i] != 0x7f)
            return "(wrote past GEOTAG_EDIT_RENDER_MAX)";
    return apr_pstrmemdup(pool, buf, n);
}

/* Only printable ASCII, and no '<' or '>' inside a tag except its ends,
 * no '"' except around attribute values, no '&' at all. */
static int well_formed_tag(const char *s)
{
    size_t i, n = strlen(s), quotes = 0;

    if (n < 3 || s[0] != '<' || s[n - 1] != '>')
        return 0;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c >= 0x7f || c == '&')
            return 0;
        if ((c == '<' || c == '>') && i != 0 && i != n - 1)
            return 0;
        if (c == '"')
            quotes++;
    }
    return quotes % 2 == 0;
}

/* One edit, a markup mode and the bytes expected. */
typedef struct {
    geotag_edit_kind kind;
    int figure_kind;
    int entity;
    const char *value;
    geotag_markup_mode mode;
    const char *want;
    const char *name;
} render_case;

static void check_renders(const geotag_gazetteer *g, const render_case *cases,
                          size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        geotag_edit e = edit_of(cases[i].kind, cases[i].figure_kind,
                                cases[i].entity, cases[i].value);
        is_str(render(g, &e, cases[i].mode), cases[i].want, cases[i].name);
    }
}

#define CHECK_RENDERS(g, cases) \
    check_renders(g, cases, sizeof(cases) / sizeof(cases[0]))

#define DATA GEOTAG_MARKUP_DATA
#define MICRODATA GEOTAG_MARKUP_MICRODATA

static void test_inline_kinds(const geotag_gazetteer *g)
{
    static const render_case cases[] = {
        {GEOTAG_EDIT_OPEN_ENTITY, 0, E_PUTIN, NULL, DATA,
         "<span data-geotag=\"Person Q7747\">", "open entity, data"},
        {GEOTAG_EDIT_OPEN_ENTITY, 0, E_PUTIN, NULL, MICRODATA,
         "<span data-geotag=\"Person Q7747\" itemscope "
         "itemtype=\"https://schema.org/Person\" "
         "itemid=\"http://www.wikidata.org/entity/Q7747\">",
         "open entity, microdata"},
        {GEOTAG_EDIT_CLOSE_ENTITY, 0, -1, NULL, DATA, "</span>",
         "close entity, data"},
        {GEOTAG_EDIT_CLOSE_ENTITY, 0, -1, NULL, MICRODATA, "</span>",
         "close entity, microdata"},
        {GEOTAG_EDIT_OPEN_FIGURE, GEOTAG_FIGURE_NUMBER, -1, "2800000", DATA,
         "<data data-geotag=\"figure\" value=\"2800000\">",
         "open figure, a number"},
        {GEOTAG_EDIT_OPEN_FIGURE, GEOTAG_FIGURE_NUMBER, -1, "2800000",
         MICRODATA, "<data data-geotag=\"figure\" value=\"2800000\">",
         "open figure, microdata: the same"},
        {GEOTAG_EDIT_OPEN_FIGURE, GEOTAG_FIGURE_PERCENT, -1, "2.5", DATA,
         "<data data-geotag=\"figure percent\" value=\"2.5\">",
         "open figure, a percentage"},
        {GEOTAG_EDIT_OPEN_FIGURE, GEOTAG_FIGURE_MONEY, -1, "-1.5", DATA,
         "<data data-geotag=\"figure money\" value=\"-1.5\">",
         "open figure, money (and a sign)"},
        {GEOTAG_EDIT_OPEN_FIGURE, 200, -1, "7", DATA,
         "<data data-geotag=\"figure\" value=\"7\">",
         "open figure of an unknown figure kind: a plain figure"},
        {GEOTAG_EDIT_CLOSE_FIGURE, 0, -1, NULL, DATA, "</data>",
         "close figure"},
        {GEOTAG_EDIT_OPEN_DATE, GEOTAG_FIGURE_DATE, -1, "2024-06", DATA,
         "<time data-geotag=\"date\" datetime=\"2024-06\">", "open date"},
        {GEOTAG_EDIT_OPEN_DATE, GEOTAG_FIGURE_DATE, -1, "2024-06", MICRODATA,
         "<time data-geotag=\"date\" datetime=\"2024-06\">",
         "open date, microdata: the same"},
        {GEOTAG_EDIT_CLOSE_DATE, 0, -1, NULL, DATA, "</time>", "close date"},
        /* nothing */
        {GEOTAG_EDIT_JSONLD, 0, -1, NULL, DATA, "",
         "the JSON-LD edit is not inline markup"},
        {(geotag_edit_kind)99, 0, E_PUTIN, "1", DATA, "",
         "an unknown kind: nothing"},
        {GEOTAG_EDIT_OPEN_ENTITY, 0, -1, NULL, DATA, "", "entity -1: nothing"},
        {GEOTAG_EDIT_OPEN_ENTITY, 0, N_ENTITIES, NULL, DATA, "",
         "an entity past the gazetteer: nothing"},
        /* attribute values keep only [0-9A-Za-z.:_-] */
        {GEOTAG_EDIT_OPEN_ENTITY, 0, E_HOSTILE, NULL, DATA,
         "<span data-geotag=\"Person Q1scriptalert1script\">",
         "an entity's type and id keep only [0-9A-Za-z.:_-]"},
        {GEOTAG_EDIT_OPEN_ENTITY, 0, E_HOSTILE, NULL, MICRODATA,
         "<span data-geotag=\"Person Q1scriptalert1script\" itemscope "
         "itemtype=\"https://schema.org/Person\" "
         "itemid=\"http://www.wikidata.org/entity/Q1scriptalert1script\">",
         "the same in the microdata attributes"},
        {GEOTAG_EDIT_OPEN_FIGURE, GEOTAG_FIGURE_NUMBER, -1,
         "1\"><b>2&3 4\xc3\xa9", DATA,
         "<data data-geotag=\"figure\" value=\"1b234\">",
         "a figure's value keeps only [0-9A-Za-z.:_-]"},
        {GEOTAG_EDIT_OPEN_DATE, GEOTAG_FIGURE_DATE, -1, "2024-06\" onclick=\"x",
         DATA, "<time data-geotag=\"date\" datetime=\"2024-06onclickx\">",
         "so does a date's"},
    };

    CHECK_RENDERS(g, cases);
}

static void test_nothing_rendered(const geotag_gazetteer *g)
{
    static const geotag_edit_kind kinds[] = {
        GEOTAG_EDIT_OPEN_ENTITY, GEOTAG_EDIT_CLOSE_ENTITY,
        GEOTAG_EDIT_OPEN_FIGURE, GEOTAG_EDIT_CLOSE_FIGURE,
        GEOTAG_EDIT_OPEN_DATE,   GEOTAG_EDIT_CLOSE_DATE,
    };
    geotag_edit e;
    size_t i;
    int empty = 0;

    for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        e = edit_of(kinds[i], GEOTAG_FIGURE_NUMBER, E_PUTIN, "1");
        if (*render(g, &e, GEOTAG_MARKUP_NONE) == '\0')
            empty++;
    }
    is_int(empty, 6, "markup none: no kind renders anything");
}

static void test_escaping(const geotag_gazetteer *g)
{
    geotag_edit e;
    const char *s;
    int all = 1, kind, mode;

    /* data-geotag="type id": 19 bytes, then the type */
    e = edit_of(GEOTAG_EDIT_OPEN_ENTITY, 0, E_LONG, NULL);
    s = render(g, &e, GEOTAG_MARKUP_DATA);
    ok(strncmp(s, "<span data-geotag=\"" LONG_72, 19 + 63) == 0 &&
           s[19 + 63] == ' ',
       "a long type is cut to its first 63 characters");
    ok(strncmp(s + 19 + 64, "Q" LONG_72 "\"", 74) == 0,
       "a long id is kept whole up to 127 characters");
    s = render(g, &e, GEOTAG_MARKUP_MICRODATA);
    ok(strlen(s) < GEOTAG_EDIT_RENDER_MAX && well_formed_tag(s),
       "the longest tag (microdata) stays within GEOTAG_EDIT_RENDER_MAX "
       "(%zu bytes)",
       strlen(s));

    e = edit_of(GEOTAG_EDIT_OPEN_DATE, GEOTAG_FIGURE_DATE, -1, NULL);
    memset(e.value, '9', sizeof(e.value) - 1);
    s = render(g, &e, GEOTAG_MARKUP_DATA);
    is_int((long long)strlen(s),
           (long long)(strlen("<time data-geotag=\"date\" datetime=\"\">") +
                       sizeof(e.value) - 1),
           "a value of the field's full length is kept whole");

    for (kind = GEOTAG_EDIT_OPEN_ENTITY; kind <= GEOTAG_EDIT_CLOSE_DATE;
         kind++) {
        for (mode = GEOTAG_MARKUP_DATA; mode <= GEOTAG_MARKUP_MICRODATA;
             mode++) {
            int i;
            for (i = 0; i < N_ENTITIES; i++) {
                e = edit_of((geotag_edit_kind)kind, GEOTAG_FIGURE_MONEY, i,
                            "<\"&>\xff");
                if (!well_formed_tag(render(g, &e, (geotag_markup_mode)mode)))
                    all = 0;
            }
        }
    }
    ok(all, "every kind, mode and entity renders one well-formed ASCII tag");
}

/* geotag_edits_prepare renders the opening tags once; rendering then
 * copies them. */
static void test_prepare(void)
{
    geotag_gazetteer *g = make_gazetteer();
    geotag_gazetteer *fresh = make_gazetteer();
    geotag_entity *putin = &APR_ARRAY_IDX(g->entities, E_PUTIN, geotag_entity);
    geotag_edit e;
    int i, mode, same = 1;

    geotag_edits_prepare(pool, g);
    for (i = 0; i < N_ENTITIES; i++) {
        for (mode = GEOTAG_MARKUP_DATA; mode <= GEOTAG_MARKUP_NONE; mode++) {
            e = edit_of(GEOTAG_EDIT_OPEN_ENTITY, 0, i, NULL);
            if (strcmp(render(g, &e, (geotag_markup_mode)mode),
                       render(fresh, &e, (geotag_markup_mode)mode)) != 0)
                same = 0;
        }
    }
    ok(same, "prepared or not, every entity renders the same in every mode");
    ok(putin->open_markup[GEOTAG_MARKUP_DATA] != NULL &&
           putin->open_markup_len[GEOTAG_MARKUP_DATA] ==
               strlen("<span data-geotag=\"Person Q7747\">") &&
           memcmp(putin->open_markup[GEOTAG_MARKUP_DATA],
                  "<span data-geotag=\"Person Q7747\">",
                  putin->open_markup_len[GEOTAG_MARKUP_DATA]) == 0,
       "the data tag is kept in the entity");
    ok(putin->open_markup[GEOTAG_MARKUP_MICRODATA] != NULL &&
           putin->open_markup_len[GEOTAG_MARKUP_MICRODATA] >
               putin->open_markup_len[GEOTAG_MARKUP_DATA],
       "so is the microdata tag");

    putin->open_markup[GEOTAG_MARKUP_DATA] = "<span data-geotag=\"copied\">";
    putin->open_markup_len[GEOTAG_MARKUP_DATA] =
        strlen(putin->open_markup[GEOTAG_MARKUP_DATA]);
    e = edit_of(GEOTAG_EDIT_OPEN_ENTITY, 0, E_PUTIN, NULL);
    is_str(render(g, &e, GEOTAG_MARKUP_DATA), "<span data-geotag=\"copied\">",
           "rendering copies the prepared tag");
}

static void test_render_any(const geotag_gazetteer *g)
{
    char buf[GEOTAG_EDIT_RENDER_MAX];
    static const int about[] = {E_PUTIN};
    geotag_document doc;
    geotag_edit e;
    const char *got, *want;
    apr_size_t len = 0, want_len = 0;
    int kind, inline_kinds = 0;

    memset(&doc, 0, sizeof(doc));
    doc.lang = "it";
    doc.subject_id = "https://example.org/a#article";
    doc.about = about;
    doc.n_about = 1;

    for (kind = GEOTAG_EDIT_OPEN_ENTITY; kind <= GEOTAG_EDIT_CLOSE_DATE;
         kind++) {
        e = edit_of((geotag_edit_kind)kind, GEOTAG_FIGURE_NUMBER, E_NATO, "1");
        if (!geotag_edit_needs_document(&e))
            inline_kinds++;
    }
    is_int(inline_kinds, 6, "no inline edit needs the document");
    e = edit_of(GEOTAG_EDIT_OPEN_ENTITY, 0, E_NATO, NULL);
    got = geotag_edit_render_any(&e, g, GEOTAG_MARKUP_DATA, NULL, pool, buf,
                                 &len);
    ok(got == buf, "inline markup goes into the caller's buffer");
    is_str(apr_pstrmemdup(pool, got, len),
           "<span data-geotag=\"Organization Q7184\">",
           "and is what geotag_edit_render writes");
    e = edit_of(GEOTAG_EDIT_CLOSE_FIGURE, 0, -1, NULL);
    got = geotag_edit_render_any(&e, g, GEOTAG_MARKUP_NONE, &doc, pool, buf,
                                 &len);
    is_int((long long)len, 0, "markup none: an inline edit renders nothing");

    e = edit_of(GEOTAG_EDIT_JSONLD, 0, -1, NULL);
    ok(geotag_edit_needs_document(&e), "the JSON-LD edit needs the document");
    memset(buf, 0, sizeof(buf));
    want = geotag_jsonld_write(pool, g, &doc, &want_len);
    got = geotag_edit_render_any(&e, g, GEOTAG_MARKUP_DATA, &doc, pool, buf,
                                 &len);
    ok(got != buf && buf[0] == '\0',
       "the JSON-LD element is not written into the buffer");
    ok(len == want_len && memcmp(got, want, len) == 0,
       "it is the JSON-LD writer's element for the document");
    ok(strncmp(got, "<script type=\"application/ld+json\"", 34) == 0 &&
           strstr(got, "Q7747") != NULL,
       "(a script element naming the document's entity)");
    got = geotag_edit_render_any(&e, g, GEOTAG_MARKUP_NONE, &doc, pool, buf,
                                 &len);
    ok(len == want_len && memcmp(got, want, len) == 0,
       "markup none still writes the JSON-LD");
}

int main(void)
{
    geotag_gazetteer *g;

    apr_initialize();
    apr_pool_create(&pool, NULL);
    g = make_gazetteer();
    test_inline_kinds(g);
    test_nothing_rendered(g);
    test_escaping(g);
    test_prepare();
    test_render_any(g);
    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
