/*
 * mod_geotag_status.h: what the module counts and shows.
 *
 * Server-wide counters in shared memory (one relaxed atomic add each, no
 * lock on the request path), the rate limit for log lines a failing cache
 * or backend would repeat, and the two status pages that read them: the
 * geotag-status handler (text or ?json) and the mod_geotag section of
 * mod_status.  The pages read the dictionary facts and the cache from the
 * configuration themselves.
 */
#ifndef MOD_GEOTAG_STATUS_H
#define MOD_GEOTAG_STATUS_H

#include "httpd.h"

typedef enum {
    GEOTAG_C_REQUESTS = 0,   /* responses the filter saw */
    GEOTAG_C_TAGGED,         /* responses that got markup or JSON-LD */
    GEOTAG_C_UNCHANGED,      /* tagged by the engine but nothing found / no scope */
    GEOTAG_C_CACHE_HIT,
    GEOTAG_C_CACHE_MISS,
    GEOTAG_C_CACHE_STORE,
    GEOTAG_C_CACHE_STORE_FAILED,
    GEOTAG_C_CACHE_MEMORY_HIT,   /* of the hits, answered from a child's memory */
    GEOTAG_C_CACHE_MEMORY_STORE, /* tagged pages a child kept in its memory */
    GEOTAG_C_CACHE_REJECTED, /* entries refused: wrong tag (GeoTagCacheSecret),
                                another version, malformed */
    GEOTAG_C_CACHE_REPLAY_MISMATCH, /* a replay whose edits did not fit the
                                       body (a validator that lied) */
    GEOTAG_C_CACHE_ERRORS,   /* the cache provider failed a lookup or store */
    /* why a response was tagged but not cached (RFC 9111) */
    GEOTAG_C_UNCACHED_OFF,
    GEOTAG_C_UNCACHED_VALIDATOR,
    GEOTAG_C_UNCACHED_PRIVATE,
    GEOTAG_C_UNCACHED_NO_STORE,
    GEOTAG_C_UNCACHED_SET_COOKIE,
    GEOTAG_C_UNCACHED_AUTHORIZATION,
    GEOTAG_C_UNCACHED_VARY,
    GEOTAG_C_UNCACHED_PREVIEW,
    GEOTAG_C_ERRORS,         /* engine or brigade errors (failed open) */
    GEOTAG_C_BYTES_IN,       /* body bytes of the responses seen */
    GEOTAG_C_BYTES_ZERO_COPY,/* of those, passed on in their original buckets */
    GEOTAG_C_BYTES_INSERTED, /* markup + JSON-LD bytes added */
    /* why the filter stepped aside (bytes untouched) */
    GEOTAG_C_SKIP_SUBREQUEST,
    GEOTAG_C_SKIP_STATUS,
    GEOTAG_C_SKIP_RANGE,
    GEOTAG_C_SKIP_TYPE,
    GEOTAG_C_SKIP_ENCODING,
    GEOTAG_C_SKIP_NO_TRANSFORM,
    GEOTAG_C_SKIP_ENV,
    GEOTAG_C_SKIP_PAGE,      /* the page said no: opt-out meta, already tagged,
                                charset, listing, no scope */
    GEOTAG_C_COUNT
} geotag_counter;

/* Adds n to a counter, atomically, across all children. */
void geotag_count(geotag_counter c, apr_uint64_t n);

/*
 * Messages that a failing cache or backend would repeat on every request
 * are rate-limited, as mod_proxy holds back a failing worker: one line per
 * GEOTAG_LOG_INTERVAL seconds per child and kind, saying how many were
 * held back meanwhile; the counters count every one.
 */
#define GEOTAG_LOG_INTERVAL 30
typedef struct {
    apr_uint32_t next;        /* apr_time_sec() from which a line may go */
    apr_uint32_t held_back;   /* since the last line */
} geotag_log_limit;

/* 1 when a line may be written now; *held_back is then how many were held
 * back since the last one. */
int geotag_log_allowed(geotag_log_limit *limit, apr_uint32_t *held_back);

/* post_config: create the shared counters (in the parent, before fork). */
apr_status_t geotag_status_post_config(apr_pool_t *pconf, server_rec *s);

/* The geotag-status handler (SetHandler geotag-status). */
int geotag_status_handler(request_rec *r);

/* Registers the mod_status section hook (call from register_hooks). */
void geotag_status_register_hooks(apr_pool_t *p);

#endif
