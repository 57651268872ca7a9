/*
 * mod_geotag.c: the hooks and the module record.
 *
 * Here's the concept.  The engine (src/) reads an HTML response body as a
 * stream and says where to insert what: the people, countries, treaties
 * and figures it names, as inline markup, and a schema.org JSON-LD block.
 * The GEOTAG filter (mod_geotag_filter.c) puts those insertions between
 * the original buckets without copying the page, and caches them
 * (mod_geotag_replay.c), so that a hit replays them without reading the
 * body and a static file still goes out with sendfile.  This file only
 * wires the rooms of mod_geotag.h into httpd's lifecycle.
 */
#include "apr_strings.h"

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "util_filter.h"

#include "mod_geotag.h"
#include "mod_geotag_cache.h"
#include "mod_geotag_config.h"
#include "mod_geotag_etag.h"
#include "mod_geotag_filter.h"
#include "mod_geotag_replay.h"
#include "mod_geotag_status.h"
#include "builtin.h"

static ap_filter_rec_t *geotag_filter_handle;

static int pre_config(apr_pool_t *pconf, apr_pool_t *plog,
                             apr_pool_t *ptemp)
{
    geotag_cache_pre_config(pconf);
    return OK;
}

/* Dictionaries are loaded when the configuration is checked, so that a
 * broken one fails `apachectl -t` with file:line and the reason. */
static int check_config(apr_pool_t *pconf, apr_pool_t *plog,
                               apr_pool_t *ptemp, server_rec *s)
{
    return geotag_config_load(pconf, ptemp, s);
}

static int post_config(apr_pool_t *pconf, apr_pool_t *plog,
                              apr_pool_t *ptemp, server_rec *s)
{
    geotag_server_conf *c = geotag_config_server(s);

    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG)
        return OK;
    ap_add_version_component(pconf, apr_pstrcat(pconf, "mod_geotag/",
                                                geotag_version, NULL));
    geotag_config_default_cache(pconf, ptemp, s);
    if (c->cache &&
        geotag_cache_post_config(c->cache, pconf, ptemp, s) != APR_SUCCESS)
        return HTTP_INTERNAL_SERVER_ERROR;
    if (c->cache && !geotag_cache_is_local(c->cache) && !c->secret)
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s, GTLOGNO(004)
                     "GeoTagCache %s without GeoTagCacheSecret: whoever can "
                     "write to it can make this server insert what they "
                     "like into its pages", geotag_cache_describe(c->cache));
    if (geotag_status_post_config(pconf, s) != APR_SUCCESS)
        return HTTP_INTERNAL_SERVER_ERROR;
    if (c->engine)
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, s,
                     GTLOGNO(003) "mod_geotag %s, dictionary %s: %d "
                     "entities, %d forms, generation %.12s; cache %s",
                     geotag_version, c->engine->gazetteer->files,
                     c->engine->gazetteer->entities->nelts,
                     geotag_matcher_forms(c->engine->matcher), c->digest_hex,
                     geotag_cache_describe(c->cache));
    return OK;
}

static void child_init(apr_pool_t *p, server_rec *s)
{
    geotag_replay_child_init(p, s);
}

static void insert_filter(request_rec *r)
{
    geotag_dir_conf *d = geotag_config_dir(r);
    if (d->enabled == 1 && !r->main)
        ap_add_output_filter_handle(geotag_filter_handle, NULL, r,
                                    r->connection);
}

/* An error response built by ap_send_error_response (a 304 among them)
 * does not pass the filter: its ETag is ours all the same. */
static void insert_error_filter(request_rec *r)
{
    geotag_etag_for_304(r);
}

static void register_hooks(apr_pool_t *p)
{
    geotag_filter_handle = ap_register_output_filter_protocol(
        "GEOTAG", geotag_filter_out, geotag_filter_init,
        AP_FTYPE_CONTENT_SET - 1,
        AP_FILTER_PROTO_CHANGE | AP_FILTER_PROTO_CHANGE_LENGTH);
    ap_hook_pre_config(pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_check_config(check_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_insert_filter(insert_filter, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_insert_error_filter(insert_error_filter, NULL, NULL,
                                APR_HOOK_MIDDLE);
    geotag_status_register_hooks(p);
}

AP_DECLARE_MODULE(geotag) = {
    STANDARD20_MODULE_STUFF,
    geotag_config_create_dir,
    geotag_config_merge_dir,
    geotag_config_create_server,
    geotag_config_merge_server,
    geotag_config_cmds,
    register_hooks,
    AP_MODULE_FLAG_ALWAYS_MERGE
};
