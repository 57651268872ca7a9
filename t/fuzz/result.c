/*
 * result.c: the cache entry decoder (libFuzzer target).
 *
 * The input is an entry as it comes out of the cache; it is parsed against
 * the starter gazetteer.  Checked: a refused entry leaves the result
 * untouched; an accepted one serializes again, parses back to the same
 * result, and serializes to the same bytes (the round trip is exact).
 *
 * Only entry_open() knows the envelope: when an entry gains a version
 * mark or an HMAC in front of the payload, it strips and checks them there
 * (and entry_seal() adds them), the rest stays as it is.
 */
#include <string.h>

#include "fuzz.h"
#include "result.h"

/* The payload of an entry as stored; today the entry is the payload. */
static int entry_open(const uint8_t *data, size_t size,
                      const unsigned char **payload, apr_size_t *len)
{
    *payload = data;
    *len = size;
    return 1;
}

static void same_strings(const char *a, const char *b, const char *what)
{
    fuzz_check((!a && !b) || (a && b && !strcmp(a, b)),
               "%s differs after a round trip", what);
}

static void same_result(const geotag_result *a, const geotag_result *b)
{
    int i;
    fuzz_check(a->edits->nelts == b->edits->nelts && a->status == b->status &&
                   a->mentions == b->mentions,
               "edit count, status or mentions differ after a round trip");
    for (i = 0; i < a->edits->nelts; i++) {
        const geotag_edit *x = &APR_ARRAY_IDX(a->edits, i, geotag_edit);
        const geotag_edit *y = &APR_ARRAY_IDX(b->edits, i, geotag_edit);
        fuzz_check(x->offset == y->offset && x->kind == y->kind,
                   "edit %d differs after a round trip", i);
        if (x->kind == GEOTAG_EDIT_OPEN_ENTITY)
            fuzz_check(x->entity == y->entity, "edit %d: entity differs", i);
        if (x->kind == GEOTAG_EDIT_OPEN_FIGURE ||
            x->kind == GEOTAG_EDIT_OPEN_DATE)
            fuzz_check(x->figure_kind == y->figure_kind &&
                           !strncmp(x->value, y->value, sizeof(x->value)),
                       "edit %d: figure differs", i);
    }
    same_strings(a->doc.lang, b->doc.lang, "lang");
    same_strings(a->doc.subject_id, b->doc.subject_id, "subject_id");
    fuzz_check(a->doc.n_subject_types == b->doc.n_subject_types &&
                   a->doc.n_about == b->doc.n_about &&
                   a->doc.n_mentions == b->doc.n_mentions &&
                   a->doc.n_figures == b->doc.n_figures,
               "document counts differ after a round trip");
    for (i = 0; i < a->doc.n_subject_types; i++)
        same_strings(a->doc.subject_types[i], b->doc.subject_types[i],
                     "a subject type");
    for (i = 0; i < a->doc.n_about; i++)
        fuzz_check(a->doc.about[i] == b->doc.about[i], "about[%d] differs", i);
    for (i = 0; i < a->doc.n_mentions; i++)
        fuzz_check(a->doc.mentions[i] == b->doc.mentions[i],
                   "mentions[%d] differs", i);
    for (i = 0; i < a->doc.n_figures; i++) {
        const geotag_figure_fact *x = &a->doc.figures[i];
        const geotag_figure_fact *y = &b->doc.figures[i];
        fuzz_check(x->kind == y->kind &&
                       !strncmp(x->value, y->value, sizeof(x->value)),
                   "figure fact %d differs", i);
        same_strings(x->unit_text, y->unit_text, "a figure's unit");
        same_strings(x->currency, y->currency, "a figure's currency");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *pool;
    const geotag_gazetteer *g;
    const unsigned char *payload;
    apr_size_t len, len2, len3;
    unsigned char *bytes, *bytes2, untouched[sizeof(geotag_result)];
    geotag_result r, r2;

    g = fuzz_engine()->gazetteer;
    apr_pool_create(&pool, fuzz_root_pool());
    if (!entry_open(data, size, &payload, &len)) {
        apr_pool_destroy(pool);
        return 0;
    }
    memset(&r, 0x5a, sizeof(r));
    memcpy(untouched, &r, sizeof(r));
    if (geotag_result_parse(pool, payload, len, g, &r) != APR_SUCCESS) {
        fuzz_check(!memcmp(untouched, &r, sizeof(r)),
                   "a refused entry changed the result");
        apr_pool_destroy(pool);
        return 0;
    }
    fuzz_check(geotag_result_serialize(pool, &r, &bytes, &len2) ==
                   APR_SUCCESS,
               "an accepted entry does not serialize again");
    fuzz_check(geotag_result_parse(pool, bytes, len2, g, &r2) == APR_SUCCESS,
               "a serialized entry does not parse back");
    same_result(&r, &r2);
    fuzz_check(geotag_result_serialize(pool, &r2, &bytes2, &len3) ==
                       APR_SUCCESS &&
                   len3 == len2 && !memcmp(bytes, bytes2, len2),
               "serialize(parse(serialize(r))) is not serialize(r)");
    /* the format has one encoding per result (shortest varints) */
    fuzz_check(len2 == len && !memcmp(bytes, payload, len),
               "an accepted entry is not written back as it was read");
    apr_pool_destroy(pool);
    return 0;
}
