/*
 * result_seeds.c: writes the result target's seeds, the cache entries of
 * our own sample pages (geotag_result_serialize, with the body's length
 * and a check per edit), as a filter would store them, without the seal
 * (the target seals its input itself).  Run by `make fuzz-seeds`; the output is committed.
 *
 *   result_seeds OUT_DIR PAGE...
 */
#include <stdio.h>
#include <string.h>

#include <apr_strings.h>

#include "fuzz.h"
#include "result.h"

int main(int argc, char **argv)
{
    int i, k;
    for (i = 2; i < argc; i++) {
        apr_pool_t *pool;
        geotag_options opt;
        geotag_session *s;
        geotag_result r;
        geotag_edit e;
        unsigned char *bytes;
        apr_size_t len;
        char page[1 << 16];
        size_t n;
        const char *base = strrchr(argv[i], '/');
        FILE *f = fopen(argv[i], "rb");
        if (!f)
            fuzz_fail("cannot read %s", argv[i]);
        n = fread(page, 1, sizeof(page), f);
        fclose(f);
        apr_pool_create(&pool, fuzz_root_pool());
        geotag_options_default(&opt);
        s = geotag_session_create(pool, fuzz_engine(), &opt);
        memset(&r, 0, sizeof(r));
        r.edits = apr_array_make(pool, 64, sizeof(geotag_edit));
        geotag_session_feed(s, page, n);
        geotag_session_finish(s);
        while (geotag_session_next_edit(s, &e))
            *(geotag_edit *)apr_array_push(r.edits) = e;
        r.doc = *geotag_session_doc(s);
        /* the checks a filter records: the bytes after each edit */
        r.length = (apr_off_t)n;
        r.checks = apr_array_make(pool, r.edits->nelts + 1,
                                  sizeof(geotag_edit_check));
        for (k = 0; k < r.edits->nelts; k++) {
            apr_off_t at = APR_ARRAY_IDX(r.edits, k, geotag_edit).offset;
            geotag_edit_check *c = apr_array_push(r.checks);
            c->window = (unsigned char)((apr_off_t)n - at <
                                        GEOTAG_RESULT_CHECK_MAX
                                        ? (apr_off_t)n - at
                                        : GEOTAG_RESULT_CHECK_MAX);
            c->hash = geotag_result_check_hash(GEOTAG_RESULT_CHECK_SEED,
                                               page + at, c->window);
        }
        r.status = geotag_session_status(s);
        r.mentions = geotag_session_mentions(s);
        if (geotag_result_serialize(pool, &r, &bytes, &len) != APR_SUCCESS)
            fuzz_fail("%s: the result does not serialize", argv[i]);
        f = fopen(apr_psprintf(pool, "%s/%s.gtr", argv[1],
                               base ? base + 1 : argv[i]), "wb");
        if (!f || fwrite(bytes, 1, len, f) != len || fclose(f) != 0)
            fuzz_fail("cannot write the seed of %s", argv[i]);
        apr_pool_destroy(pool);
    }
    return 0;
}
