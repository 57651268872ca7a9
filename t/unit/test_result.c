/*
 * test_result.c: the cache entry's binary form (result.h).
 *
 * Three things matter for an entry: it comes back exactly as it went in
 * (hand-built results covering every edit kind and odd strings, and the
 * real result of the reference page, whose JSON-LD must be rebuilt byte
 * for byte); it is small (the reference page's size is printed); and a
 * damaged one is refused or, if it still parses, is one the validator
 * would accept as well: every truncation, and every byte of the entry set
 * to several other values, is tried.  Run under the sanitizers (make asan)
 * this is also the proof that parsing never reads out of bounds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "annotator.h"
#include "result.h"
#include "tap.h"

#define SCHEMA "conf/gazetteer.rng"
#define DICTIONARY "conf/gazetteer.xml"

static apr_pool_t *pool;
static const geotag_gazetteer *gazetteer;
static int n_entities;

/* ------------------------------------------------------------------ */
/* helpers                                                             */

static geotag_edit *push_edit(apr_array_header_t *edits, apr_off_t offset,
                              int kind, int figure_kind, int entity,
                              const char *value)
{
    geotag_edit *e = apr_array_push(edits);
    memset(e, 0, sizeof(*e));
    e->offset = offset;
    e->kind = (unsigned char)kind;
    e->figure_kind = (unsigned char)figure_kind;
    e->entity = entity;
    if (value)
        apr_cpystrn(e->value, value, sizeof(e->value));
    return e;
}

static int same_string(const char *a, const char *b)
{
    return (a == NULL && b == NULL) ||
           (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Index of the first differing edit, or -1 when both lists are equal. */
static int first_edit_difference(const apr_array_header_t *a,
                                 const apr_array_header_t *b)
{
    int i;
    for (i = 0; i < a->nelts && i < b->nelts; i++) {
        const geotag_edit *x = &((const geotag_edit *)a->elts)[i];
        const geotag_edit *y = &((const geotag_edit *)b->elts)[i];
        if (x->offset != y->offset || x->kind != y->kind ||
            x->figure_kind != y->figure_kind || x->entity != y->entity ||
            memcmp(x->value, y->value, sizeof(x->value)) != 0)
            return i;
    }
    return a->nelts == b->nelts ? -1 : i;
}

static int same_indices(const int *a, int na, const int *b, int nb)
{
    return na == nb && (na == 0 || memcmp(a, b, sizeof(int) * na) == 0);
}

static int same_document(const geotag_document *a, const geotag_document *b)
{
    int i;
    if (!same_string(a->lang, b->lang) ||
        !same_string(a->subject_id, b->subject_id) ||
        a->n_subject_types != b->n_subject_types ||
        !same_indices(a->about, a->n_about, b->about, b->n_about) ||
        !same_indices(a->mentions, a->n_mentions, b->mentions, b->n_mentions) ||
        a->n_figures != b->n_figures)
        return 0;
    for (i = 0; i < a->n_subject_types; i++)
        if (!same_string(a->subject_types[i], b->subject_types[i]))
            return 0;
    for (i = 0; i < a->n_figures; i++) {
        const geotag_figure_fact *x = &a->figures[i], *y = &b->figures[i];
        if (x->kind != y->kind || strcmp(x->value, y->value) != 0 ||
            !same_string(x->unit_text, y->unit_text) ||
            !same_string(x->currency, y->currency))
            return 0;
    }
    return 1;
}

static int value_chars_ok(const char *v)
{
    return v[0] != '\0' && strspn(v, "0123456789.-") == strlen(v);
}

/*
 * What a parsed result must satisfy, checked independently of result.c:
 * in-range entities, ordered offsets, known kinds, at most one JSON-LD,
 * clean values; and it must still write JSON-LD and serialize again.
 */
static int result_is_sound(apr_pool_t *p, const geotag_result *r)
{
    const geotag_edit *edits = (const geotag_edit *)r->edits->elts;
    const geotag_document *d = &r->doc;
    unsigned char *bytes;
    apr_size_t len;
    int i, jsonld = 0;

    for (i = 0; i < r->edits->nelts; i++) {
        const geotag_edit *e = &edits[i];
        if (e->offset < 0 || (i > 0 && e->offset < edits[i - 1].offset) ||
            e->kind < GEOTAG_EDIT_OPEN_ENTITY || e->kind > GEOTAG_EDIT_JSONLD)
            return 0;
        if (e->kind == GEOTAG_EDIT_OPEN_ENTITY &&
            (e->entity < 0 || e->entity >= n_entities))
            return 0;
        if ((e->kind == GEOTAG_EDIT_OPEN_FIGURE ||
             e->kind == GEOTAG_EDIT_OPEN_DATE) &&
            (e->figure_kind > GEOTAG_FIGURE_DATE ||
             memchr(e->value, '\0', sizeof(e->value)) == NULL ||
             !value_chars_ok(e->value)))
            return 0;
        if (e->kind == GEOTAG_EDIT_JSONLD)
            jsonld++;
    }
    if (jsonld > 1 || d->n_about < 0 || d->n_mentions < 0 ||
        d->n_figures < 0 || d->n_subject_types < 0)
        return 0;
    for (i = 0; i < d->n_about; i++)
        if (d->about[i] < 0 || d->about[i] >= n_entities)
            return 0;
    for (i = 0; i < d->n_mentions; i++)
        if (d->mentions[i] < 0 || d->mentions[i] >= n_entities)
            return 0;
    for (i = 0; i < d->n_figures; i++)
        if (!value_chars_ok(d->figures[i].value))
            return 0;
    if (r->status < 0 || r->status > GEOTAG_STATUS_LIMIT || r->mentions < 0)
        return 0;
    if (geotag_jsonld_write(p, gazetteer, d, &len) == NULL)
        return 0;
    return geotag_result_serialize(p, r, &bytes, &len) == APR_SUCCESS;
}

/* A result with every edit kind and every kind of document field. */
static geotag_result hand_result(const char *subject_id)
{
    static const char *types[] = {"NewsArticle", "Report"};
    static int about[2], mentions[3];
    static geotag_figure_fact figures[4];
    geotag_result r;
    int i;

    /* reset on every call: tests damage them */
    about[0] = 0;
    about[1] = 1;
    mentions[0] = 2;
    mentions[1] = n_entities - 1;
    mentions[2] = 0;
    memset(figures, 0, sizeof(figures));
    figures[0].kind = GEOTAG_FIGURE_NUMBER;
    strcpy(figures[0].value, "2800000");
    figures[0].unit_text = "citt\xc3\xa0 \xe5\x9f\x8e \xf0\x9f\x8c\x8d";
    figures[1].kind = GEOTAG_FIGURE_MONEY;
    strcpy(figures[1].value, "60000000000");
    figures[1].currency = "USD";
    figures[2].kind = GEOTAG_FIGURE_PERCENT;
    strcpy(figures[2].value, "2.5");
    figures[3].kind = GEOTAG_FIGURE_NUMBER;
    strcpy(figures[3].value, "-12");
    figures[3].unit_text = "";

    memset(&r, 0, sizeof(r));
    r.edits = apr_array_make(pool, 16, sizeof(geotag_edit));
    push_edit(r.edits, 0, GEOTAG_EDIT_OPEN_ENTITY, 0, 0, NULL);
    push_edit(r.edits, 5, GEOTAG_EDIT_CLOSE_ENTITY, 0, -1, NULL);
    push_edit(r.edits, 5, GEOTAG_EDIT_OPEN_ENTITY, 0, n_entities - 1, NULL);
    push_edit(r.edits, 127, GEOTAG_EDIT_CLOSE_ENTITY, 0, -1, NULL);
    push_edit(r.edits, 128, GEOTAG_EDIT_OPEN_FIGURE, GEOTAG_FIGURE_NUMBER, -1,
              "2800000");
    push_edit(r.edits, 140, GEOTAG_EDIT_CLOSE_FIGURE, 0, -1, NULL);
    push_edit(r.edits, 20000, GEOTAG_EDIT_OPEN_FIGURE, GEOTAG_FIGURE_PERCENT,
              -1, "2.5");
    push_edit(r.edits, 20004, GEOTAG_EDIT_CLOSE_FIGURE, 0, -1, NULL);
    push_edit(r.edits, 20010, GEOTAG_EDIT_OPEN_FIGURE, GEOTAG_FIGURE_MONEY,
              -1, "1234567890123456789012345678901"); /* the longest value */
    push_edit(r.edits, 20020, GEOTAG_EDIT_CLOSE_FIGURE, 0, -1, NULL);
    push_edit(r.edits, 20030, GEOTAG_EDIT_OPEN_DATE, GEOTAG_FIGURE_DATE, -1,
              "2024-06-19");
    push_edit(r.edits, 20040, GEOTAG_EDIT_CLOSE_DATE, 0, -1, NULL);
    /* past 4 GB: offsets are apr_off_t, not 32-bit */
    push_edit(r.edits, (apr_off_t)5000000000LL, GEOTAG_EDIT_JSONLD, 0, -1,
              NULL);
    r.length = (apr_off_t)5000000014LL;
    /* checks: full windows, a short one, none, and one to the body's end */
    r.checks = apr_array_make(pool, 16, sizeof(geotag_edit_check));
    for (i = 0; i < r.edits->nelts; i++) {
        geotag_edit_check *c = apr_array_push(r.checks);
        c->window = (unsigned char)(i == 3 ? 0 : i == 4 ? 7
                                    : i == r.edits->nelts - 1 ? 14
                                    : GEOTAG_RESULT_CHECK_MAX);
        c->hash = c->window ? 0x9e3779b9u * (apr_uint32_t)(i + 1) : 0;
    }
    r.doc.lang = "it";
    r.doc.subject_id = subject_id;
    r.doc.subject_types = types;
    r.doc.n_subject_types = 2;
    r.doc.about = about;
    r.doc.n_about = 2;
    r.doc.mentions = mentions;
    r.doc.n_mentions = 3;
    r.doc.figures = figures;
    r.doc.n_figures = 4;
    r.status = GEOTAG_STATUS_TAGGED;
    r.mentions = 5;
    return r;
}

static apr_status_t parse(const unsigned char *data, apr_size_t len,
                          geotag_result *out)
{
    return geotag_result_parse(pool, data, len, gazetteer, out);
}

/* The checks read back: r's, or none (window 0) where r had no array. */
static int same_checks(const geotag_result *r, const geotag_result *back)
{
    int i;
    if (back->checks == NULL || back->checks->nelts != back->edits->nelts)
        return 0;
    for (i = 0; i < back->checks->nelts; i++) {
        const geotag_edit_check *b = &((geotag_edit_check *)back->checks->elts)[i];
        const geotag_edit_check *a =
            r->checks ? &((geotag_edit_check *)r->checks->elts)[i] : NULL;
        if (a ? (a->window != b->window || (a->window && a->hash != b->hash))
              : b->window != 0)
            return 0;
    }
    return 1;
}

/* Serializes r, parses it back and compares; returns the size. */
static apr_size_t round_trip(const geotag_result *r, const char *name)
{
    unsigned char *bytes = NULL;
    apr_size_t len = 0;
    geotag_result back;
    apr_status_t rv;

    rv = geotag_result_serialize(pool, r, &bytes, &len);
    ok(rv == APR_SUCCESS, "%s: serializes", name);
    memset(&back, 0, sizeof(back));
    rv = parse(bytes, len, &back);
    ok(rv == APR_SUCCESS, "%s: parses back", name);
    if (rv != APR_SUCCESS)
        return len;
    is_int(first_edit_difference(r->edits, back.edits), -1,
           apr_psprintf(pool, "%s: identical edits", name));
    ok(same_document(&r->doc, &back.doc), "%s: identical document", name);
    ok(back.status == r->status && back.mentions == r->mentions,
       "%s: status and mentions", name);
    ok(back.length == r->length && same_checks(r, &back),
       "%s: body length and checks", name);
    return len;
}

/* Every strict prefix must be refused. */
static void truncations_fail(const unsigned char *bytes, apr_size_t len,
                             const char *name)
{
    apr_pool_t *scratch;
    apr_size_t cut, accepted = 0;
    geotag_result r;

    apr_pool_create(&scratch, pool);
    for (cut = 0; cut < len; cut++) {
        apr_pool_clear(scratch);
        if (geotag_result_parse(scratch, bytes, cut, gazetteer, &r) ==
            APR_SUCCESS)
            accepted++;
    }
    apr_pool_destroy(scratch);
    is_int((long long)accepted, 0,
           apr_psprintf(pool, "%s: all %lu truncations refused", name,
                        (unsigned long)len));
}

/*
 * Each byte (every one up to 20000, else 500 spread positions) set to
 * several other values: a parse may succeed only with a sound
 * result.
 */
static void mutations_are_safe(const unsigned char *bytes, apr_size_t len,
                               const char *name)
{
    static const int delta[] = {0x01, 0x80, 0x40, 0x7f, 0xff};
    apr_pool_t *scratch;
    unsigned char *copy = malloc(len);
    apr_size_t step = len > 20000 ? len / 500 : 1, pos;
    unsigned long tried = 0, refused = 0, unsound = 0;
    geotag_result r;
    int k;

    apr_pool_create(&scratch, pool);
    for (pos = 0; pos < len; pos += step) {
        unsigned char values[8];
        int n_values = 0;
        for (k = 0; k < 5; k++)
            values[n_values++] = (unsigned char)(bytes[pos] ^ delta[k]);
        values[n_values++] = 0x00;
        values[n_values++] = (unsigned char)(bytes[pos] + 1);
        for (k = 0; k < n_values; k++) {
            if (values[k] == bytes[pos])
                continue;
            memcpy(copy, bytes, len);
            copy[pos] = values[k];
            apr_pool_clear(scratch);
            tried++;
            if (geotag_result_parse(scratch, copy, len, gazetteer, &r) !=
                APR_SUCCESS)
                refused++;
            else if (!result_is_sound(scratch, &r))
                unsound++;
        }
    }
    apr_pool_destroy(scratch);
    free(copy);
    tap_diag("%s: %lu mutations, %lu refused, %lu accepted (all sound: %s)",
             name, tried, refused, tried - refused, unsound ? "no" : "yes");
    is_int((long long)unsound, 0,
           apr_psprintf(pool, "%s: no mutation yields an unsound result",
                        name));
    ok(refused > tried / 2, "%s: most mutations are refused", name);
}

/* ------------------------------------------------------------------ */
/* hand-built results                                                  */

static void test_hand_built(void)
{
    geotag_result r = hand_result(NULL), empty, back;
    unsigned char *bytes;
    apr_size_t len;

    round_trip(&r, "hand-built, NULL subject");
    r = hand_result("https://example.org/\xc3\xa8-\xe2\x80\xa8\x22</script>#a");
    round_trip(&r, "hand-built, unicode subject");

    memset(&empty, 0, sizeof(empty));
    empty.edits = apr_array_make(pool, 1, sizeof(geotag_edit));
    empty.status = GEOTAG_STATUS_NO_SCOPE;
    len = round_trip(&empty, "empty result");
    /* magic, length, 0 edits, 2 NULL strings, 4 empty arrays, status,
     * mentions */
    is_int((long long)len, 4 + 1 + 1 + 2 + 4 + 2, "empty result: 14 bytes");

    /* a result with no edit array at all serializes as an empty one */
    empty.edits = NULL;
    ok(geotag_result_serialize(pool, &empty, &bytes, &len) == APR_SUCCESS &&
           parse(bytes, len, &back) == APR_SUCCESS && back.edits != NULL &&
           back.edits->nelts == 0,
       "NULL edit array reads back as an empty list");

    r = hand_result(NULL);
    geotag_result_serialize(pool, &r, &bytes, &len);
    ok(memcmp(bytes, "GTR2", 4) == 0, "entry starts with the magic GTR2");
    truncations_fail(bytes, len, "hand-built");
    mutations_are_safe(bytes, len, "hand-built");
}

/* ------------------------------------------------------------------ */
/* what serialize refuses                                              */

static int serialize_refuses(geotag_result *r)
{
    unsigned char *bytes;
    apr_size_t len;
    return geotag_result_serialize(pool, r, &bytes, &len) == APR_EINVAL;
}

static geotag_edit *edit_at(geotag_result *r, int i)
{
    return &((geotag_edit *)r->edits->elts)[i];
}

static void test_serialize_refuses(void)
{
    geotag_result r;
    char long_string[GEOTAG_RESULT_STRING_MAX + 2];
    const char *null_type[] = {"NewsArticle", NULL};

    r = hand_result(NULL);
    edit_at(&r, 3)->offset = 4;
    ok(serialize_refuses(&r), "serialize refuses decreasing offsets");

    r = hand_result(NULL);
    edit_at(&r, 0)->offset = -1;
    ok(serialize_refuses(&r), "serialize refuses a negative offset");

    r = hand_result(NULL);
    edit_at(&r, 1)->kind = GEOTAG_EDIT_CLOSE_FIGURE;
    ok(serialize_refuses(&r), "serialize refuses a mismatched close");

    r = hand_result(NULL);
    r.edits->nelts--;
    push_edit(r.edits, 20050, GEOTAG_EDIT_OPEN_ENTITY, 0, 0, NULL);
    ok(serialize_refuses(&r), "serialize refuses an unclosed span");

    r = hand_result(NULL);
    push_edit(r.edits, 5000000001LL, GEOTAG_EDIT_JSONLD, 0, -1, NULL);
    ok(serialize_refuses(&r), "serialize refuses two JSON-LD edits");

    r = hand_result(NULL);
    edit_at(&r, 4)->kind = 99;
    ok(serialize_refuses(&r), "serialize refuses an unknown kind");

    r = hand_result(NULL);
    strcpy(edit_at(&r, 4)->value, "1e5");
    ok(serialize_refuses(&r), "serialize refuses a value outside [0-9.-]");

    r = hand_result(NULL);
    edit_at(&r, 4)->value[0] = '\0';
    ok(serialize_refuses(&r), "serialize refuses an empty value");

    r = hand_result(NULL);
    edit_at(&r, 10)->figure_kind = GEOTAG_FIGURE_NUMBER;
    ok(serialize_refuses(&r), "serialize refuses a date edit of a number");

    r = hand_result(NULL);
    memset(long_string, 'a', sizeof(long_string) - 1);
    long_string[sizeof(long_string) - 1] = '\0';
    r.doc.subject_id = long_string;
    ok(serialize_refuses(&r), "serialize refuses an over-long string");
    long_string[GEOTAG_RESULT_STRING_MAX] = '\0';
    ok(!serialize_refuses(&r), "...and takes the longest allowed");

    r = hand_result(NULL);
    r.doc.subject_types = null_type;
    ok(!serialize_refuses(&r), "a NULL @type is kept (the writer skips it)");

    r = hand_result(NULL);
    r.status = GEOTAG_STATUS_LIMIT + 1;
    ok(serialize_refuses(&r), "serialize refuses an unknown status");
}

/* ------------------------------------------------------------------ */
/* what parse refuses                                                  */

static apr_size_t serialize_hand(geotag_result *r, unsigned char **bytes)
{
    apr_size_t len;
    geotag_result_serialize(pool, r, bytes, &len);
    return len;
}

static void test_parse_refuses(void)
{
    geotag_result r = hand_result(NULL), back;
    unsigned char *bytes, *grown;
    apr_size_t len;
    static const unsigned char wrap[] = {
        'G', 'T', 'R', '2', 0xff, 0x01, 2,
        /* offset 100, OPEN_ENTITY 0, no check */
        100, GEOTAG_EDIT_OPEN_ENTITY, 0, 0,
        /* delta 2^63 - 1 + ... : would wrap an int64 sum to negative */
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f,
        GEOTAG_EDIT_CLOSE_ENTITY, 0,
        0, 0, 0, 0, 0, 0, 0, 0};
    static const unsigned char overlong[] = {
        'G', 'T', 'R', '2', 0, 0x80, 0x00, 0, 0, 0, 0, 0, 0, 0, 0};
    static const unsigned char minimal[] = {
        'G', 'T', 'R', '2', 0, 0x00, 0, 0, 0, 0, 0, 0, 0, 0};
    static const unsigned char huge_count[] = {
        'G', 'T', 'R', '2', 0, 0xff, 0xff, 0xff, 0xff, 0x07, 0, 0, 0, 0, 0};
    static const unsigned char nul_in_string[] = {
        'G', 'T', 'R', '2', 0, 0, 4, 'i', 0, 't', 0, 0, 0, 0, 0, 0, 0};
    static const unsigned char bad_value[] = {
        'G', 'T', 'R', '2', 10, 2,
        3, GEOTAG_EDIT_OPEN_FIGURE, GEOTAG_FIGURE_NUMBER, 3, '1', 'e', '5', 0,
        2, GEOTAG_EDIT_CLOSE_FIGURE, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    static const unsigned char good_value[] = {
        'G', 'T', 'R', '2', 10, 2,
        3, GEOTAG_EDIT_OPEN_FIGURE, GEOTAG_FIGURE_NUMBER, 3, '1', '.', '5',
        3, 0x78, 0x56, 0x34, 0x12,
        2, GEOTAG_EDIT_CLOSE_FIGURE, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    /* an edit, or its check window, past the body's length */
    static const unsigned char past_length[] = {
        'G', 'T', 'R', '2', 4, 2,
        3, GEOTAG_EDIT_OPEN_FIGURE, GEOTAG_FIGURE_NUMBER, 1, '1', 0,
        2, GEOTAG_EDIT_CLOSE_FIGURE, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    static const unsigned char window_past_length[] = {
        'G', 'T', 'R', '2', 5, 2,
        3, GEOTAG_EDIT_OPEN_FIGURE, GEOTAG_FIGURE_NUMBER, 1, '1',
        3, 1, 2, 3, 4,
        0, GEOTAG_EDIT_CLOSE_FIGURE, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    static const unsigned char window_too_wide[] = {
        'G', 'T', 'R', '2', 100, 2,
        3, GEOTAG_EDIT_OPEN_FIGURE, GEOTAG_FIGURE_NUMBER, 1, '1',
        GEOTAG_RESULT_CHECK_MAX + 1, 1, 2, 3, 4,
        2, GEOTAG_EDIT_CLOSE_FIGURE, 0, 0, 0, 0, 0, 0, 0, 0, 0};

    len = serialize_hand(&r, &bytes);
    ok(parse(bytes, len, &back) == APR_SUCCESS, "the untouched entry parses");

    bytes[3] = '1';
    ok(parse(bytes, len, &back) != APR_SUCCESS,
       "the previous version's magic (GTR1) fails");
    bytes[3] = '2';
    bytes[0] = 'g';
    ok(parse(bytes, len, &back) != APR_SUCCESS, "a wrong magic (gTR2) fails");
    ok(parse(NULL, 0, &back) != APR_SUCCESS, "no data fails");

    grown = apr_palloc(pool, len + 1);
    len = serialize_hand(&r, &bytes);
    memcpy(grown, bytes, len);
    grown[len] = 0;
    ok(parse(grown, len + 1, &back) != APR_SUCCESS, "a trailing byte fails");

    /* serialize cannot know the gazetteer: the parser must */
    r = hand_result(NULL);
    edit_at(&r, 2)->entity = n_entities;
    len = serialize_hand(&r, &bytes);
    ok(parse(bytes, len, &back) != APR_SUCCESS,
       "an edit entity index == number of entities fails");
    edit_at(&r, 2)->entity = 1000000;
    len = serialize_hand(&r, &bytes);
    ok(parse(bytes, len, &back) != APR_SUCCESS,
       "an edit entity index far past the gazetteer fails");

    r = hand_result(NULL);
    ((int *)r.doc.mentions)[1] = n_entities;
    len = serialize_hand(&r, &bytes);
    ok(parse(bytes, len, &back) != APR_SUCCESS,
       "a mentions index == number of entities fails");
    r = hand_result(NULL);
    ((int *)r.doc.about)[0] = n_entities + 7;
    len = serialize_hand(&r, &bytes);
    ok(parse(bytes, len, &back) != APR_SUCCESS,
       "an about index past the gazetteer fails");

    r = hand_result(NULL);
    len = serialize_hand(&r, &bytes);
    {
        geotag_gazetteer smaller = *gazetteer;
        apr_array_header_t entities = *gazetteer->entities;
        entities.nelts = 1;
        smaller.entities = &entities;
        ok(geotag_result_parse(pool, bytes, len, &smaller, &back) !=
               APR_SUCCESS,
           "an entry written with a larger dictionary fails");
    }

    ok(parse(wrap, sizeof(wrap), &back) != APR_SUCCESS,
       "an offset delta that would wrap (a decreasing offset) fails");
    ok(parse(minimal, sizeof(minimal), &back) == APR_SUCCESS,
       "the minimal entry parses");
    ok(parse(overlong, sizeof(overlong), &back) != APR_SUCCESS,
       "an over-long varint fails");
    ok(parse(huge_count, sizeof(huge_count), &back) != APR_SUCCESS,
       "a count larger than the entry fails (and allocates nothing big)");
    ok(parse(nul_in_string, sizeof(nul_in_string), &back) != APR_SUCCESS,
       "a NUL inside a string fails");
    ok(parse(good_value, sizeof(good_value), &back) == APR_SUCCESS &&
           back.edits->nelts == 2 &&
           strcmp(((geotag_edit *)back.edits->elts)[0].value, "1.5") == 0,
       "a hand-written figure entry parses");
    ok(parse(bad_value, sizeof(bad_value), &back) != APR_SUCCESS,
       "a value outside [0-9.-] fails");
    ok(parse(good_value, sizeof(good_value), &back) == APR_SUCCESS &&
           back.length == 10 && back.checks->nelts == 2 &&
           ((geotag_edit_check *)back.checks->elts)[0].window == 3 &&
           ((geotag_edit_check *)back.checks->elts)[0].hash == 0x12345678u &&
           ((geotag_edit_check *)back.checks->elts)[1].window == 0,
       "the body length and the checks read back (hash little-endian)");
    ok(parse(past_length, sizeof(past_length), &back) != APR_SUCCESS,
       "an edit past the body's length fails");
    ok(parse(window_past_length, sizeof(window_past_length), &back) !=
           APR_SUCCESS,
       "a check window past the body's length fails");
    ok(parse(window_too_wide, sizeof(window_too_wide), &back) != APR_SUCCESS,
       "a check window wider than GEOTAG_RESULT_CHECK_MAX fails");

    /* a failed parse leaves the output alone */
    memset(&back, 0x5a, sizeof(back));
    parse(overlong, sizeof(overlong), &back);
    ok(back.status == 0x5a5a5a5a, "a failed parse does not touch *out");
}

/* ------------------------------------------------------------------ */
/* the reference page                                                  */

/* The seed article of the shared reference material: $GEOTAG_SHARED, else
 * ../shared (from the top of the tree, where prove runs).  *path is set
 * whether or not it can be read, for the failure message. */
static char *read_page(const char **path, apr_size_t *len)
{
    const char *shared = getenv("GEOTAG_SHARED");
    FILE *f;
    long size;
    char *data;

    *path = apr_pstrcat(pool, shared && *shared ? shared : "../shared",
                        "/seed/article.html", NULL);
    if ((f = fopen(*path, "rb")) == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    data = apr_palloc(pool, (apr_size_t)size + 1);
    *len = fread(data, 1, (apr_size_t)size, f);
    fclose(f);
    return data;
}

static void drain(geotag_session *s, apr_array_header_t *edits)
{
    geotag_edit e;
    while (geotag_session_next_edit(s, &e))
        *(geotag_edit *)apr_array_push(edits) = e;
}

static void test_reference_page(const geotag_engine *engine)
{
    geotag_options options;
    geotag_session *s;
    geotag_result r, back;
    const char *path = NULL, *original_json, *rebuilt_json, *session_json;
    apr_size_t page_len = 0, len, original_len, rebuilt_len, session_len, at;
    unsigned char *bytes;
    char *page = read_page(&path, &page_len);
    int i, renders_equal = 1;

    if (!ok(page != NULL, "reference page found")) {
        tap_diag("the shared reference material is missing: %s (set "
                 "GEOTAG_SHARED to the directory that holds seed/)", path);
        return;
    }
    tap_diag("reference page: %s (%lu bytes)", path, (unsigned long)page_len);

    geotag_options_default(&options);
    s = geotag_session_create(pool, engine, &options);
    memset(&r, 0, sizeof(r));
    r.edits = apr_array_make(pool, 512, sizeof(geotag_edit));
    /* in chunks, as a filter sees the body */
    for (at = 0; at < page_len; at += 4000) {
        apr_size_t n = page_len - at < 4000 ? page_len - at : 4000;
        geotag_session_feed(s, page + at, n);
        drain(s, r.edits);
    }
    geotag_session_finish(s);
    drain(s, r.edits);
    r.doc = *geotag_session_doc(s);
    r.length = (apr_off_t)page_len;
    r.status = geotag_session_status(s);
    r.mentions = geotag_session_mentions(s);
    tap_diag("reference result: %d edits, %d entities seen, %d about, "
             "%d mentions, %d figures, status %s", r.edits->nelts,
             geotag_session_entities(s), r.doc.n_about, r.doc.n_mentions,
             r.doc.n_figures, geotag_status_name(r.status));
    ok(r.edits->nelts > 10, "the reference page yields edits");

    ok(geotag_result_serialize(pool, &r, &bytes, &len) == APR_SUCCESS,
       "reference result serializes");
    tap_diag("reference result serialized: %lu bytes (%.1f per edit)",
             (unsigned long)len,
             r.edits->nelts ? (double)len / r.edits->nelts : 0.0);
    ok(len < 4096, "reference result fits well under 4 KB (%lu bytes)",
       (unsigned long)len);

    memset(&back, 0, sizeof(back));
    if (!ok(parse(bytes, len, &back) == APR_SUCCESS,
            "reference result parses back"))
        return;
    is_int(back.edits->nelts, r.edits->nelts, "same number of edits");
    is_int(first_edit_difference(r.edits, back.edits), -1,
           "identical edits");
    for (i = 0; i < back.edits->nelts && i < r.edits->nelts; i++) {
        const geotag_edit *a = &((geotag_edit *)r.edits->elts)[i];
        const geotag_edit *b = &((geotag_edit *)back.edits->elts)[i];
        char x[GEOTAG_EDIT_RENDER_MAX], y[GEOTAG_EDIT_RENDER_MAX];
        apr_size_t nx, ny;
        if (a->kind == GEOTAG_EDIT_JSONLD)
            continue;
        nx = geotag_edit_render(a, gazetteer, GEOTAG_MARKUP_DATA, x);
        ny = geotag_edit_render(b, gazetteer, GEOTAG_MARKUP_DATA, y);
        if (nx != ny || memcmp(x, y, nx) != 0)
            renders_equal = 0;
    }
    ok(renders_equal, "every replayed edit renders the same markup");
    ok(same_document(&r.doc, &back.doc), "identical document");
    ok(back.status == r.status && back.mentions == r.mentions,
       "same status and mention count");

    original_json = geotag_jsonld_write(pool, gazetteer, &r.doc, &original_len);
    rebuilt_json = geotag_jsonld_write(pool, gazetteer, &back.doc, &rebuilt_len);
    ok(original_len == rebuilt_len &&
           memcmp(original_json, rebuilt_json, original_len) == 0,
       "JSON-LD rebuilt from the entry is byte-identical (%lu bytes)",
       (unsigned long)rebuilt_len);
    session_json = geotag_session_jsonld(s, pool, &session_len);
    ok(session_len == rebuilt_len &&
           memcmp(session_json, rebuilt_json, session_len) == 0,
       "...and equal to what the session itself writes");
    ok(r.doc.n_about + r.doc.n_mentions > 0,
       "the reference JSON-LD names entities");

    truncations_fail(bytes, len, "reference");
    mutations_are_safe(bytes, len, "reference");
}

/* ------------------------------------------------------------------ */
/* the envelope                                                        */

static void test_seal(void)
{
    static const unsigned char key[20] = "0123456789abcdefghij";
    static const unsigned char other_key[20] = "0123456789abcdefghiJ";
    static const unsigned char secret[] = "a secret of the farm";
    geotag_result r = hand_result(NULL), back;
    unsigned char *bytes, *entry;
    apr_size_t len, entrylen, plen = 0, i, accepted = 0;
    unsigned char long_secret[100];
    unsigned char tag[GEOTAG_RESULT_TAG_LEN];

    len = serialize_hand(&r, &bytes);
    geotag_result_seal(pool, bytes, len, key, 20, secret, sizeof(secret) - 1,
                       &entry, &entrylen);
    ok(entrylen == len + GEOTAG_RESULT_TAG_LEN && memcmp(entry, bytes, len) == 0,
       "a sealed entry is the result followed by its tag");
    ok(geotag_result_unseal(entry, entrylen, key, 20, secret,
                            sizeof(secret) - 1, &plen) == APR_SUCCESS &&
           plen == len && parse(entry, plen, &back) == APR_SUCCESS,
       "it unseals with the same key and secret, and parses");
    ok(geotag_result_unseal(entry, entrylen, other_key, 20, secret,
                            sizeof(secret) - 1, &plen) != APR_SUCCESS,
       "an entry moved under another key is refused");
    ok(geotag_result_unseal(entry, entrylen, key, 20, secret,
                            sizeof(secret) - 2, &plen) != APR_SUCCESS,
       "an entry of another secret is refused");
    ok(geotag_result_unseal(entry, entrylen, key, 20, NULL, 0, &plen) !=
           APR_SUCCESS,
       "an entry sealed with a secret is refused without it");
    for (i = 0; i < entrylen; i++) {
        entry[i] ^= 0x20;
        if (geotag_result_unseal(entry, entrylen, key, 20, secret,
                                 sizeof(secret) - 1, &plen) == APR_SUCCESS)
            accepted++;
        entry[i] ^= 0x20;
    }
    is_int((long long)accepted, 0, "every flipped byte of the entry is refused");
    ok(geotag_result_unseal(entry, GEOTAG_RESULT_TAG_LEN - 1, key, 20, secret,
                            sizeof(secret) - 1, &plen) != APR_SUCCESS &&
           geotag_result_unseal(NULL, 0, key, 20, secret, sizeof(secret) - 1,
                                &plen) != APR_SUCCESS,
       "an entry shorter than a tag is refused");

    /* RFC 2202 test case 1 and 6 (HMAC-SHA1): key 20 x 0x0b, "Hi There";
     * an 80-byte key of 0xaa (longer than a block: hashed first) */
    {
        static const unsigned char expect1[20] = {
            0xb6, 0x17, 0x31, 0x86, 0x55, 0x05, 0x72, 0x64, 0xe2, 0x8b,
            0xc0, 0xb6, 0xfb, 0x37, 0x8c, 0x8e, 0xf1, 0x46, 0xbe, 0x00};
        static const unsigned char expect6[20] = {
            0xaa, 0x4a, 0xe5, 0xe1, 0x52, 0x72, 0xd0, 0x0e, 0x95, 0x70,
            0x56, 0x37, 0xce, 0x8a, 0x3b, 0x55, 0xed, 0x40, 0x21, 0x12};
        static const char msg6[] =
            "Test Using Larger Than Block-Size Key - Hash Key First";
        unsigned char k1[20];
        memset(k1, 0x0b, sizeof(k1));
        geotag_result_seal(pool, (const unsigned char *)"There", 5,
                           (const unsigned char *)"Hi ", 3, k1, 20, &entry,
                           &entrylen);
        memcpy(tag, entry + 5, sizeof(tag));
        ok(memcmp(tag, expect1, 20) == 0, "HMAC-SHA1: RFC 2202 case 1");
        memset(long_secret, 0xaa, 80);
        geotag_result_seal(pool, (const unsigned char *)msg6 + 4,
                           sizeof(msg6) - 5, (const unsigned char *)msg6, 4,
                           long_secret, 80, &entry, &entrylen);
        memcpy(tag, entry + sizeof(msg6) - 5, sizeof(tag));
        ok(memcmp(tag, expect6, 20) == 0,
           "HMAC-SHA1: RFC 2202 case 6 (a key longer than a block)");
    }
}

int main(void)
{
    const char *files[] = {DICTIONARY};
    const char *error = NULL;
    geotag_engine *engine;

    apr_initialize();
    apr_pool_create(&pool, NULL);

    engine = geotag_engine_load(pool, SCHEMA, "conf/lang", files, 1, &error);
    if (!ok(engine != NULL, "engine loads from %s", DICTIONARY)) {
        tap_diag("%s", error ? error : "(no message)");
        return tap_done();
    }
    gazetteer = engine->gazetteer;
    n_entities = gazetteer->entities->nelts;
    ok(n_entities >= 3, "the dictionary has entities (%d)", n_entities);

    test_hand_built();
    test_serialize_refuses();
    test_parse_refuses();
    test_seal();
    test_reference_page(engine);

    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
