/*
 * mod_geotag.h: what the module's glue files share (private to the module).
 *
 *   mod_geotag.c         directives, config merge, hooks, the GEOTAG filter
 *   mod_geotag_cache.c   the edit cache over ap_socache (GeoTagCache)
 *   mod_geotag_status.c  server-wide counters in shared memory, the
 *                        geotag-status handler and the mod_status section
 *
 * The engine (src/) knows nothing of httpd; these files are its only
 * contact with it.
 */
#ifndef MOD_GEOTAG_H
#define MOD_GEOTAG_H

#include "httpd.h"
#include "http_config.h"
#include "ap_socache.h"

#include "annotator.h"

extern module AP_MODULE_DECLARE_DATA geotag_module;

/* Log message numbers of our own (httpd's AH numbers belong to httpd). */
#define GTLOGNO(n) "GT" #n ": "

/* ------------------------------------------------------------------ */
/* counters (mod_geotag_status.c)                                      */

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

/* Names for the status page, in enum order. */
extern const char *const geotag_counter_names[GEOTAG_C_COUNT];

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

/* What the status page says about the dictionary (set at post_config). */
typedef struct {
    int entities;
    int aliases;
    int forms;
    const char *digest_hex;  /* the dictionary generation: its content hash */
    const char *files;
    apr_time_t loaded;
} geotag_dictionary_info;

void geotag_status_set_dictionary(const geotag_dictionary_info *info);

/* ------------------------------------------------------------------ */
/* cache (mod_geotag_cache.c)                                          */

typedef struct geotag_cache geotag_cache;

/* GeoTagCache none|PROVIDER[:ARGS] — the SSLSessionCache syntax.  Looks the
 * provider up and creates the instance; returns an error message or NULL.
 * *cache is NULL for "none". */
const char *geotag_cache_configure(cmd_parms *cmd, const char *arg,
                                   geotag_cache **cache);

/* post_config: init the instance, create the mutex when the provider is
 * not MT-safe. */
apr_status_t geotag_cache_post_config(geotag_cache *cache, apr_pool_t *pconf,
                                      apr_pool_t *ptemp, server_rec *s);

/* pre_config: register the "geotag-cache" mutex type (Mutex directive). */
apr_status_t geotag_cache_pre_config(apr_pool_t *pconf);

void geotag_cache_child_init(geotag_cache *cache, apr_pool_t *p,
                             server_rec *s);

/* Largest entry we store or read back (bytes). */
#define GEOTAG_CACHE_MAX_ENTRY (64 * 1024)

/* Look up an entry: APR_SUCCESS and *len set, APR_NOTFOUND, or an error.
 * buf holds GEOTAG_CACHE_MAX_ENTRY bytes. */
apr_status_t geotag_cache_get(geotag_cache *cache, request_rec *r,
                              const unsigned char *key, unsigned int keylen,
                              unsigned char *buf, unsigned int *len);

apr_status_t geotag_cache_put(geotag_cache *cache, request_rec *r,
                              const unsigned char *key, unsigned int keylen,
                              const unsigned char *data, unsigned int len,
                              apr_time_t ttl);

/* Drops an entry (one whose edits did not fit the body they met). */
apr_status_t geotag_cache_remove(geotag_cache *cache, request_rec *r,
                                 const unsigned char *key, unsigned int keylen);

/* 1 when only this machine can write the cache's entries (shmcb, dbm); a
 * farm cache (memcache, redis) is a trust boundary: GeoTagCacheSecret. */
int geotag_cache_is_local(const geotag_cache *cache);

/* The provider's own status lines (for the status page), or nothing. */
void geotag_cache_status(geotag_cache *cache, request_rec *r, int flags);

/* "shmcb:…(size)", "memcache:…", "none": what is configured, for humans. */
const char *geotag_cache_describe(geotag_cache *cache);

/* ------------------------------------------------------------------ */
/* ADDED by mod_geotag_status.c (not in the original interface):       */
/* the cache section of the status pages.                              */

/* Prints what mod_geotag_status.c cannot know (the cache lives in the
 * server config): called by the geotag-status handler (plain text, with
 * AP_STATUS_SHORT; not for ?json) and by the mod_status hook (with
 * mod_status's flags: HTML unless AP_STATUS_SHORT, i.e. ?auto). */
typedef void geotag_status_extra_fn(request_rec *r, int flags);

/* Sets the extra section printer (call from register_hooks); NULL: none. */
void geotag_status_set_extra(geotag_status_extra_fn *fn);

/* ---- end of the added block ---------------------------------------- */

#endif
