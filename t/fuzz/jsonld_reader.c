/*
 * jsonld_reader.c: the lenient reader of a page's own JSON-LD, and the
 * string writer that puts page strings back into ours (libFuzzer target).
 *
 * The input is one <script type="application/ld+json"> body.  Checked: the
 * scan returns 0 or 1 and whatever it found is a set of NUL-terminated
 * strings (ASan checks the reads); scanning a second block merges without
 * losing what the first set; the input written as a JSON string is ASCII,
 * quoted, and has no '<', '>' or '&' (so it can never close our script).
 */
#include <string.h>

#include <apr_strings.h>

#include "fuzz.h"

static void check_facts(const geotag_page_facts *f)
{
    int i;
    const char *fields[] = { f->article_id, f->main_entity_of_page,
                             f->headline, f->in_language };
    size_t k;
    for (k = 0; k < sizeof(fields) / sizeof(fields[0]); k++)
        if (fields[k])
            (void)strlen(fields[k]);
    if (f->article_types)
        for (i = 0; i < f->article_types->nelts; i++) {
            const char *t = APR_ARRAY_IDX(f->article_types, i, const char *);
            fuzz_check(t != NULL, "a NULL @type at %d", i);
            (void)strlen(t);
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *pool;
    geotag_page_facts facts;
    apr_array_header_t *buf;
    const char *id;
    int rc, i;

    apr_pool_create(&pool, fuzz_root_pool());
    memset(&facts, 0, sizeof(facts));
    rc = geotag_jsonld_scan(pool, (const char *)data, size, &facts);
    fuzz_check(rc == 0 || rc == 1, "scan returned %d", rc);
    check_facts(&facts);

    /* a second block: what the first found stays */
    id = facts.article_id;
    rc = geotag_jsonld_scan(pool, (const char *)data + size / 2,
                            size - size / 2, &facts);
    fuzz_check(rc == 0 || rc == 1, "scan returned %d", rc);
    check_facts(&facts);
    fuzz_check(!id || (facts.article_id && !strcmp(id, facts.article_id)),
               "a second block replaced the article @id");

    buf = apr_array_make(pool, (int)size + 16, 1);
    geotag_json_append_string(buf, (const char *)data, size);
    fuzz_check(buf->nelts >= 2 && buf->elts[0] == '"' &&
                   buf->elts[buf->nelts - 1] == '"',
               "a JSON string not in quotes");
    for (i = 0; i < buf->nelts; i++) {
        unsigned char c = (unsigned char)buf->elts[i];
        fuzz_check(c >= 0x20 && c < 0x7f && c != '<' && c != '>' && c != '&',
                   "byte 0x%02x written into a JSON string", c);
    }

    apr_pool_destroy(pool);
    return 0;
}
