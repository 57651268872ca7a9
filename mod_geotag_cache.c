/*
 * mod_geotag_cache.c: the edit cache (GeoTagCache) over ap_socache.
 *
 * The lifecycle is the one ssl_scache.c follows for SSLSessionCache:
 *
 *   directive     look the provider up by name, create() the instance
 *   pre_config    register the "geotag-cache" mutex type (Mutex directive)
 *   post_config   (real pass only) the global mutex when the provider is
 *                 not MT-safe, init() the instance, destroy() on pconf
 *   child_init    reattach the mutex
 *   requests      retrieve/store/status under the mutex when there is one
 *
 * Providers such as shmcb and dbm set AP_SOCACHE_FLAG_NOTMPSAFE: even a
 * retrieve changes their bookkeeping, so every call goes under the lock
 * (mod_authn_socache retrieves unlocked; we do not copy that).  A lock
 * error means the cache is skipped for that request, never that we call
 * the provider unlocked or block on an unlock we never got.
 *
 * Keys must be hashes: shmcb picks the subcache from the first byte of the
 * id, and refuses ids shorter than 4 bytes.  shmcb also reports an entry
 * larger than the buffer as a miss, so retrieve always offers
 * GEOTAG_CACHE_MAX_ENTRY bytes.
 *
 * It must never: log or expose the cached data; call the provider on an
 * instance that init() has not set up; hold the mutex past a call.
 */
#include "apr_strings.h"
#include "apr_global_mutex.h"

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "ap_provider.h"
#include "ap_socache.h"
#include "util_mutex.h"
#include "mod_status.h"

#include "mod_geotag.h"
#include "mod_geotag_cache.h"
#include "mod_geotag_status.h"

APLOG_USE_MODULE(geotag);

#define GEOTAG_CACHE_MUTEX "geotag-cache"
/* Part of file names and memcache/redis key prefixes: keep it short
 * (memcache asserts strlen(cname) + 2 <= 16). */
#define GEOTAG_CACHE_CNAME "geotag"

struct geotag_cache {
    const ap_socache_provider_t *provider;
    ap_socache_instance_t *instance;
    const char *name, *args;
    apr_global_mutex_t *mutex;
    const char *description;     /* "name" or "name:args" */
    server_rec *server;          /* for destroy() at pconf cleanup */
    int initialized;             /* init() succeeded, destroy() not yet run */
};

/* ------------------------------------------------------------------ */
/* configuration                                                       */

const char *geotag_cache_configure(cmd_parms *cmd, const char *arg,
                                   geotag_cache **cache)
{
    const ap_socache_provider_t *provider;
    geotag_cache *c;
    const char *sep, *name, *args = NULL, *err;

    /* cmd->cmd is NULL when the module sets up its default cache from
     * post_config with a cmd_parms of its own; ap_check_cmd_context would
     * dereference it. */
    if (cmd->cmd && (err = ap_check_cmd_context(cmd, GLOBAL_ONLY)) != NULL)
        return err;

    if (!strcasecmp(arg, "none")) {
        *cache = NULL;
        return NULL;
    }

    /* Argument is "name:args" or just "name", split at the first ':'. */
    sep = ap_strchr_c(arg, ':');
    if (sep) {
        name = apr_pstrmemdup(cmd->pool, arg, sep - arg);
        args = apr_pstrdup(cmd->pool, sep + 1);
    }
    else {
        name = apr_pstrdup(cmd->pool, arg);
    }

    provider = ap_lookup_provider(AP_SOCACHE_PROVIDER_GROUP, name,
                                  AP_SOCACHE_PROVIDER_VERSION);
    if (!provider) {
        apr_array_header_t *names;
        const char *known;

        names = ap_list_provider_names(cmd->pool, AP_SOCACHE_PROVIDER_GROUP,
                                       AP_SOCACHE_PROVIDER_VERSION);
        known = (names && names->nelts) ?
                apr_array_pstrcat(cmd->pool, names, ',') : "none loaded";
        return apr_psprintf(cmd->pool, "GeoTagCache: '%s' cache not "
                            "supported (known names: %s). Maybe you need "
                            "to load the socache module "
                            "(LoadModule socache_%s_module)?",
                            name, known, name);
    }

    c = apr_pcalloc(cmd->pool, sizeof(*c));
    c->provider = provider;
    c->name = name;
    c->args = args;
    c->description = (args && *args) ?
                     apr_psprintf(cmd->pool, "%s:%s", name, args) : name;
    err = provider->create(&c->instance, args, cmd->temp_pool, cmd->pool);
    if (err)
        return apr_psprintf(cmd->pool, "GeoTagCache: %s", err);
    *cache = c;
    return NULL;
}

const char *geotag_cache_describe(geotag_cache *cache)
{
    return cache ? cache->description : "none";
}

/* ------------------------------------------------------------------ */
/* lifecycle                                                           */

apr_status_t geotag_cache_pre_config(apr_pool_t *pconf)
{
    apr_status_t rv;

    rv = ap_mutex_register(pconf, GEOTAG_CACHE_MUTEX, NULL, APR_LOCK_DEFAULT,
                           0);
    if (rv != APR_SUCCESS)
        ap_log_perror(APLOG_MARK, APLOG_CRIT, rv, pconf, GTLOGNO(100)
                      "failed to register the %s mutex type",
                      GEOTAG_CACHE_MUTEX);
    return rv;
}

static apr_status_t cache_destroy(void *data)
{
    geotag_cache *cache = data;

    if (cache->initialized) {
        cache->initialized = 0;
        cache->provider->destroy(cache->instance, cache->server);
    }
    return APR_SUCCESS;
}

apr_status_t geotag_cache_post_config(geotag_cache *cache, apr_pool_t *pconf,
                                      apr_pool_t *ptemp, server_rec *s)
{
    struct ap_socache_hints hints;
    apr_status_t rv;

    /* The first pass's pool is cleared at once: nothing worth creating.
     * A cache shared by several servers is set up once. */
    if (!cache || cache->initialized ||
        ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG)
        return APR_SUCCESS;

    if (cache->provider->flags & AP_SOCACHE_FLAG_NOTMPSAFE) {
        rv = ap_global_mutex_create(&cache->mutex, NULL, GEOTAG_CACHE_MUTEX,
                                    NULL, s, pconf, 0);
        if (rv != APR_SUCCESS) {
            ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s, GTLOGNO(101)
                         "failed to create the %s mutex for cache %s",
                         GEOTAG_CACHE_MUTEX, cache->description);
            return rv;
        }
    }

    memset(&hints, 0, sizeof(hints));
    hints.avg_id_len = 20;                  /* SHA-1 keys */
    hints.avg_obj_size = 2048;              /* serialized edits of a page */
    /* Only dbm uses it, as its purge interval, in microseconds. */
    hints.expiry_interval = apr_time_from_sec(60);

    rv = cache->provider->init(cache->instance, GEOTAG_CACHE_CNAME, &hints,
                               s, pconf);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s, GTLOGNO(102)
                     "failed to initialize cache %s", cache->description);
        return rv;
    }
    cache->server = s;
    cache->initialized = 1;
    /* Registered after the mutex's own cleanup, so it runs before it. */
    apr_pool_cleanup_register(pconf, cache, cache_destroy,
                              apr_pool_cleanup_null);
    return APR_SUCCESS;
}

void geotag_cache_child_init(geotag_cache *cache, apr_pool_t *p,
                             server_rec *s)
{
    apr_status_t rv;

    if (!cache || !cache->mutex)
        return;
    rv = apr_global_mutex_child_init(&cache->mutex,
                                     apr_global_mutex_lockfile(cache->mutex),
                                     p);
    if (rv != APR_SUCCESS)
        ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s, GTLOGNO(103)
                     "failed to reattach the %s mutex in the child",
                     GEOTAG_CACHE_MUTEX);
}

/* ------------------------------------------------------------------ */
/* requests                                                            */

/* APR_SUCCESS when the provider may be called (locked if it needs it). */
static apr_status_t cache_lock(geotag_cache *cache, request_rec *r,
                               const char *what)
{
    apr_status_t rv;

    if (!cache->mutex)
        return APR_SUCCESS;
    rv = apr_global_mutex_lock(cache->mutex);
    if (rv != APR_SUCCESS)
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r, GTLOGNO(110)
                      "could not acquire the %s mutex; cache %s skipped",
                      GEOTAG_CACHE_MUTEX, what);
    return rv;
}

/* Only after cache_lock() returned APR_SUCCESS. */
static void cache_unlock(geotag_cache *cache, request_rec *r)
{
    apr_status_t rv;

    if (!cache->mutex)
        return;
    rv = apr_global_mutex_unlock(cache->mutex);
    if (rv != APR_SUCCESS)
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r, GTLOGNO(111)
                      "could not release the %s mutex", GEOTAG_CACHE_MUTEX);
}

/* A provider failure: counted every time, logged at most once per
 * GEOTAG_LOG_INTERVAL seconds in this child (a farm cache that is down
 * would otherwise write a line per request). */
static void cache_failed(geotag_cache *cache, request_rec *r, apr_status_t rv,
                         const char *what)
{
    static geotag_log_limit limit;
    apr_uint32_t held_back;

    geotag_count(GEOTAG_C_CACHE_ERRORS, 1);
    if (geotag_log_allowed(&limit, &held_back))
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, rv, r, GTLOGNO(112)
                      "cache %s: %s failed (%u more failures held back "
                      "since the last line; see cache_errors on the status "
                      "page)", cache->description, what, held_back);
}

apr_status_t geotag_cache_get(geotag_cache *cache, request_rec *r,
                              const unsigned char *key, unsigned int keylen,
                              unsigned char *buf, unsigned int *len)
{
    unsigned int destlen;
    apr_status_t rv;

    if (!cache)
        return APR_NOTFOUND;
    if (!cache->initialized)
        return APR_EINIT;
    if (!keylen)
        return APR_EINVAL;

    /* *len in: the room in buf (0 or more than the maximum: the maximum). */
    destlen = (*len > 0 && *len < GEOTAG_CACHE_MAX_ENTRY) ?
              *len : GEOTAG_CACHE_MAX_ENTRY;

    if ((rv = cache_lock(cache, r, "lookup")) != APR_SUCCESS)
        return rv;
    rv = cache->provider->retrieve(cache->instance, r->server, key, keylen,
                                   buf, &destlen, r->pool);
    cache_unlock(cache, r);

    if (rv == APR_SUCCESS)
        *len = destlen;
    else if (rv != APR_NOTFOUND)
        cache_failed(cache, r, rv, "lookup");
    return rv;
}

apr_status_t geotag_cache_put(geotag_cache *cache, request_rec *r,
                              const unsigned char *key, unsigned int keylen,
                              const unsigned char *data, unsigned int len,
                              apr_time_t ttl)
{
    apr_time_t expiry;
    apr_status_t rv;

    if (!cache)
        return APR_NOTFOUND;
    if (!cache->initialized)
        return APR_EINIT;
    if (!keylen || ttl <= 0)
        return APR_EINVAL;
    if (len > GEOTAG_CACHE_MAX_ENTRY)
        return APR_ENOSPC;

    /* memcache counts whole seconds from now and refuses 0; redis wraps
     * around on a past expiry: never less than a second ahead. */
    if (ttl < apr_time_from_sec(1))
        ttl = apr_time_from_sec(1);
    expiry = apr_time_now() + ttl;

    if ((rv = cache_lock(cache, r, "store")) != APR_SUCCESS)
        return rv;
    /* The providers take unsigned char *data though they do not write it. */
    rv = cache->provider->store(cache->instance, r->server, key, keylen,
                                expiry, (unsigned char *)data, len, r->pool);
    cache_unlock(cache, r);

    if (rv != APR_SUCCESS)
        cache_failed(cache, r, rv, "store");
    return rv;
}

apr_status_t geotag_cache_remove(geotag_cache *cache, request_rec *r,
                                 const unsigned char *key, unsigned int keylen)
{
    apr_status_t rv;

    if (!cache)
        return APR_NOTFOUND;
    if (!cache->initialized)
        return APR_EINIT;
    if ((rv = cache_lock(cache, r, "remove")) != APR_SUCCESS)
        return rv;
    rv = cache->provider->remove(cache->instance, r->server, key, keylen,
                                 r->pool);
    cache_unlock(cache, r);
    if (rv != APR_SUCCESS && rv != APR_NOTFOUND)
        cache_failed(cache, r, rv, "remove");
    return rv;
}

int geotag_cache_is_local(const geotag_cache *cache)
{
    /* the providers whose entries only this machine's processes can
     * write: shared memory, a file */
    return cache && (!strcasecmp(cache->name, "shmcb") ||
                     !strcasecmp(cache->name, "dbm"));
}

void geotag_cache_status(geotag_cache *cache, request_rec *r, int flags)
{
    if (!cache || !cache->initialized || !cache->provider->status)
        return;
    if (cache_lock(cache, r, "status") != APR_SUCCESS) {
        ap_rputs((flags & AP_STATUS_SHORT) ?
                 "GeoTagCacheStatus: NotAvailable\n" :
                 "cache status not available\n", r);
        return;
    }
    cache->provider->status(cache->instance, r, flags);
    cache_unlock(cache, r);
}
