/*
 * gazetteer.c: the dictionary loader on any XML (libFuzzer target).
 *
 * The loader reads files, so each input is written to one temporary file
 * (made once per process) and loaded as a whole engine, validated against
 * conf/gazetteer.rng as a server would at startup.  Checked: a refused
 * file comes with a message naming the file; in an accepted one (which may
 * hold no entity at all: the schema allows a file of lexicon only) every
 * entity has an id, a type and a label and is found by its id, and every
 * alias points at an entity (or is a treaty word).
 */
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

static char path[] = "/tmp/geotag-fuzz-gazetteer-XXXXXX";

static void remove_file(void)
{
    unlink(path);
}

static void write_input(const uint8_t *data, size_t size)
{
    static int fd = -1;
    if (fd < 0) {
        fd = mkstemp(path);
        if (fd < 0)
            fuzz_fail("cannot create %s", path);
        atexit(remove_file);
    }
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        fuzz_fail("cannot write %s", path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *pool;
    const char *files[1], *error = NULL;
    geotag_engine *engine;
    int i;

    write_input(data, size);
    apr_pool_create(&pool, fuzz_root_pool());
    files[0] = path;
    engine = geotag_engine_load(pool, FUZZ_SCHEMA, FUZZ_LANG_PACKS, files, 1,
                                &error);
    if (!engine) {
        fuzz_check(error && *error, "refused without a message");
        fuzz_check(strstr(error, path) != NULL || strstr(error, "gazetteer"),
                   "the message does not say which file: %s", error);
    }
    else {
        const geotag_gazetteer *g = engine->gazetteer;
        for (i = 0; i < g->entities->nelts; i++) {
            const geotag_entity *e = &APR_ARRAY_IDX(g->entities, i,
                                                    geotag_entity);
            fuzz_check(e->id && e->type && e->n_labels > 0,
                       "entity %d without id, type or label", i);
            fuzz_check(geotag_gazetteer_find(g, e->id) == i,
                       "entity %s not found by its id", e->id);
        }
        for (i = 0; i < g->aliases->nelts; i++) {
            const geotag_alias *a = &APR_ARRAY_IDX(g->aliases, i,
                                                   geotag_alias);
            fuzz_check(a->text && a->entity >= -1 &&
                           a->entity < g->entities->nelts,
                       "alias %d points at entity %d", i, a->entity);
        }
    }
    apr_pool_destroy(pool);
    return 0;
}
