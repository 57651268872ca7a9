/*
 * fuzz.h: what the libFuzzer targets in t/fuzz/ share.
 *
 * Each target is one file with LLVMFuzzerTestOneInput, linked against the
 * engine objects built with the same sanitizers (t/fuzz/fuzz.mk).  The
 * engine (or only its gazetteer) is loaded once per process from conf/, and
 * each input runs in a pool of its own that is destroyed afterwards, so a
 * leak or a use of freed memory across inputs shows up under ASan.
 *
 * A broken invariant calls fuzz_fail(), which prints why and aborts: to
 * libFuzzer that is a crash like any other, saved as an artifact.
 */
#ifndef GEOTAG_FUZZ_H
#define GEOTAG_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <apr_general.h>
#include <apr_pools.h>

#include "annotator.h"

#ifndef GEOTAG_CONF_DIR
#define GEOTAG_CONF_DIR "conf"
#endif
#define FUZZ_SCHEMA GEOTAG_CONF_DIR "/gazetteer.rng"
#define FUZZ_GAZETTEER GEOTAG_CONF_DIR "/gazetteer.xml"
#define FUZZ_LANG_PACKS GEOTAG_CONF_DIR "/lang"

#define fuzz_fail(...)                                                       \
    do {                                                                     \
        fprintf(stderr, "fuzz invariant broken (%s:%d): ", __FILE__,        \
                __LINE__);                                                   \
        fprintf(stderr, __VA_ARGS__);                                        \
        fputc('\n', stderr);                                                 \
        abort();                                                             \
    } while (0)

#define fuzz_check(cond, ...)                                                \
    do {                                                                     \
        if (!(cond))                                                         \
            fuzz_fail(__VA_ARGS__);                                          \
    } while (0)

static apr_pool_t *fuzz_root;

/* At exit the pool goes, with its cleanups (the compiled patterns), before
 * LeakSanitizer looks: only what an input leaked is then reported. */
static void fuzz_root_destroy(void)
{
    apr_pool_destroy(fuzz_root);
    fuzz_root = NULL;
    apr_terminate();
}

/* The process-wide pool everything loaded once lives in. */
static inline apr_pool_t *fuzz_root_pool(void)
{
    if (!fuzz_root) {
        if (apr_initialize() != APR_SUCCESS ||
            apr_pool_create(&fuzz_root, NULL) != APR_SUCCESS)
            fuzz_fail("cannot initialize APR");
        atexit(fuzz_root_destroy);
    }
    return fuzz_root;
}

/* The engine from conf/, loaded at the first call; a target without it
 * would fuzz nothing, so failing to load is fatal. */
static inline const geotag_engine *fuzz_engine(void)
{
    static const geotag_engine *engine;
    if (!engine) {
        const char *files[] = { FUZZ_GAZETTEER };
        const char *error = NULL;
        engine = geotag_engine_load(fuzz_root_pool(), FUZZ_SCHEMA,
                                    FUZZ_LANG_PACKS, files, 1, &error);
        if (!engine)
            fuzz_fail("cannot load the engine: %s", error ? error : "?");
    }
    return engine;
}

/* FNV-1a: a seed derived from the input itself, so that libFuzzer's
 * mutations also explore the choices made from it (chunk sizes, options)
 * while a seed file stays a plain page. */
static inline uint64_t fuzz_hash(const uint8_t *data, size_t size)
{
    uint64_t h = 1469598103934665603ULL;
    size_t i;
    for (i = 0; i < size; i++) {
        h ^= data[i];
        h *= 1099511628211ULL;
    }
    return h | 1;
}

static inline uint64_t fuzz_xorshift(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

#endif
