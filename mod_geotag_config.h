/*
 * mod_geotag_config.h: the module's configuration.
 *
 * The server and directory configurations, their directives and merges,
 * the dictionaries (loaded when the configuration is checked, so that a
 * broken one fails `apachectl -t`), and the config digest: what makes two
 * configurations tag differently, part of every cache key and ETag.  The
 * other glue files read the configuration through these structures.
 */
#ifndef MOD_GEOTAG_CONFIG_H
#define MOD_GEOTAG_CONFIG_H

#include "apr_sha1.h"
#include "httpd.h"
#include "http_config.h"

#include "annotator.h"
#include "mod_geotag_cache.h"

/* GeoTagCacheTTL's default */
#define GEOTAG_DEFAULT_TTL apr_time_from_sec(3600)
/* GeoTagCacheMemory's defaults, per child: a threaded child serves many
 * requests at once, prefork runs many children */
#define GEOTAG_DEFAULT_MEMORY_THREADED (8 * 1024 * 1024)
#define GEOTAG_DEFAULT_MEMORY_PREFORK (1024 * 1024)

typedef struct {
    apr_array_header_t *dictionaries; /* const char *, NULL = default */
    const char *schema;               /* GeoTagSchema, NULL = built in */
    const char *lang_packs;           /* GeoTagLanguagePacks, NULL = default */
    geotag_engine *engine;            /* loaded at check_config */
    apr_time_t dictionary_mtime;      /* the newest dictionary file's or
                                         language pack's */
    apr_time_t loaded;                /* when the engine was loaded */
    char digest_hex[41];              /* the dictionary generation */
    geotag_cache *cache;
    int cache_set;
    apr_interval_time_t ttl;
    int ttl_set;
    apr_size_t memory;                /* GeoTagCacheMemory, bytes per child */
    int memory_set;
    const char *secret;               /* GeoTagCacheSecret, or NULL */
} geotag_server_conf;

typedef struct {
    int enabled;           /* -1 = unset */
    int markup;            /* geotag_markup_mode, -1 = unset */
    int jsonld;            /* -1 = unset */
    int first_only;        /* -1 = unset */
    unsigned types;        /* 0 = unset */
    const char *scope_spec;
    geotag_scope_rule *scope;
    int n_scope;
    const char *language;  /* NULL = unset, "auto" = from the page */
    int max_mentions;      /* 0 = unset (the engine's default) */
    const char *country;   /* GeoTagCountry: an entity id, "none", NULL = unset */
    int request_date;      /* GeoTagRequestDate, -1 = unset */
    /* GeoTagPreview: the variable that asks for the editor preview, and
     * the one holding the CSP nonce; "" = Off, NULL = unset.  Not in the
     * config digest: a preview is never cached, and its ETag has a suffix
     * of its own */
    const char *preview_env;
    const char *preview_nonce_env;
} geotag_dir_conf;

/* The directives, and the four functions of the module record. */
extern const command_rec geotag_config_cmds[];
void *geotag_config_create_server(apr_pool_t *p, server_rec *s);
void *geotag_config_merge_server(apr_pool_t *p, void *basev, void *addv);
void *geotag_config_create_dir(apr_pool_t *p, char *dir);
void *geotag_config_merge_dir(apr_pool_t *p, void *basev, void *addv);

geotag_server_conf *geotag_config_server(const server_rec *s);
geotag_dir_conf *geotag_config_dir(const request_rec *r);

/* check_config: loads the dictionaries of every server (once per set of
 * files); OK, or an error status after logging file:line and the reason. */
int geotag_config_load(apr_pool_t *pconf, apr_pool_t *ptemp, server_rec *s);

/* post_config: the default cache (shmcb, when it is loaded) for a main
 * server without GeoTagCache, and the main server's cache for virtual
 * hosts without one. */
void geotag_config_default_cache(apr_pool_t *pconf, apr_pool_t *ptemp,
                                 server_rec *s);

/* Whether this request asks for the editor preview (GeoTagPreview's
 * variable is set), and *nonce the CSP nonce for its stylesheet, or NULL. */
int geotag_config_preview(const request_rec *r, const char **nonce);

/* GeoTagTypes as GEOTAG_TYPE_ bits (all when unset). */
unsigned geotag_config_types(const geotag_dir_conf *d);

/* The config digest: the dictionary generation and every directive that
 * changes the output; part of the cache key and of the ETag, so that a
 * changed dictionary or directive is never served from an old result.
 * With GeoTagRequestDate On it also holds the office-holders in force on
 * the request's day ('when'), so that requests on either side of a change
 * of holder never share an entry. */
void geotag_config_digest(const geotag_server_conf *sc,
                          const geotag_dir_conf *d, apr_time_t when,
                          unsigned char out[APR_SHA1_DIGESTSIZE]);

/* The UTC day of 'when' ("YYYY-MM-DD") into day[11]. */
void geotag_config_day(apr_time_t when, char day[11]);

/* With GeoTagRequestDate On: the time of the last change of office-holder
 * on or before the day of 'when' (the tagged page is no older), else 0. */
apr_time_t geotag_config_holders_changed(const geotag_server_conf *sc,
                                         const geotag_dir_conf *d,
                                         apr_time_t when);

#endif
