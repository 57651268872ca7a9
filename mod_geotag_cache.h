/*
 * mod_geotag_cache.h: the edit cache (GeoTagCache) over ap_socache.
 *
 * A socache provider configured with the SSLSessionCache syntax, its
 * lifecycle (mutex, init, child reattach) and the three calls a response
 * makes: look an entry up, store one, drop one that did not fit.  Keys are
 * hashes (mod_geotag_cacheable.h makes them); entries are opaque here.
 */
#ifndef MOD_GEOTAG_CACHE_H
#define MOD_GEOTAG_CACHE_H

#include "httpd.h"
#include "http_config.h"

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

#endif
