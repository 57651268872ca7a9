/*
 * result.c: the cache entry decoder (libFuzzer target).
 *
 * The input is an entry as it comes out of the cache; it is parsed against
 * the starter gazetteer.  Checked: a refused entry leaves the result
 * untouched; an accepted one serializes again, parses back to the same
 * result, and serializes to the same bytes (the round trip is exact).
 *
 * The input is the result an entry carries, without its seal: mutations
 * of a sealed entry would almost never get past the HMAC, and the parser
 * is what must hold against anything.  The seal is exercised on every
 * input all the same (entry_open): unsealing arbitrary bytes never
 * crashes, and the input sealed under a key and a secret unseals to
 * itself, but not under another key nor with a byte of it flipped.
 */
#include <string.h>

#include "fuzz.h"
#include "result.h"

static const unsigned char key[20] = "fuzz-key-0123456789.";
static const unsigned char secret[] = "a secret for the fuzz target";

/* The result in the input, after the seal's checks on it. */
static int entry_open(apr_pool_t *pool, const uint8_t *data, size_t size,
                      const unsigned char **payload, apr_size_t *len)
{
    unsigned char *sealed;
    apr_size_t sealed_len, n;

    (void)geotag_result_unseal(data, size, key, sizeof(key), secret,
                               sizeof(secret) - 1, &n);
    geotag_result_seal(pool, data, size, key, sizeof(key), secret,
                       sizeof(secret) - 1, &sealed, &sealed_len);
    fuzz_check(geotag_result_unseal(sealed, sealed_len, key, sizeof(key),
                                    secret, sizeof(secret) - 1, &n) ==
                       APR_SUCCESS && n == size,
               "a sealed entry does not unseal to itself");
    fuzz_check(geotag_result_unseal(sealed, sealed_len, key, sizeof(key) - 1,
                                    secret, sizeof(secret) - 1, &n) !=
                   APR_SUCCESS,
               "a sealed entry unseals under another key");
    sealed[size / 2] ^= 0x04;
    fuzz_check(geotag_result_unseal(sealed, sealed_len, key, sizeof(key),
                                    secret, sizeof(secret) - 1, &n) !=
                   APR_SUCCESS,
               "a sealed entry with a flipped byte unseals");
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
                   a->mentions == b->mentions && a->length == b->length,
               "edit count, status, mentions or length differ after a round "
               "trip");
    fuzz_check(a->checks->nelts == a->edits->nelts &&
                   b->checks->nelts == b->edits->nelts,
               "not one check per edit");
    for (i = 0; i < a->checks->nelts; i++) {
        const geotag_edit_check *x = &APR_ARRAY_IDX(a->checks, i,
                                                    geotag_edit_check);
        const geotag_edit_check *y = &APR_ARRAY_IDX(b->checks, i,
                                                    geotag_edit_check);
        fuzz_check(x->window == y->window && x->hash == y->hash,
                   "check %d differs after a round trip", i);
    }
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
    if (!entry_open(pool, data, size, &payload, &len)) {
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
