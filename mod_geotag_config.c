/*
 * mod_geotag_config.c: the configuration (see mod_geotag_config.h): the
 * server and directory configurations, the directives, the dictionaries
 * and the config digest.
 */
#include "apr_strings.h"
#include "apr_lib.h"

#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "ap_provider.h"
#include "ap_socache.h"

#include "mod_geotag.h"
#include "mod_geotag_config.h"
#include "office.h"

APLOG_USE_MODULE(geotag);

#ifndef GEOTAG_CONF_DIR
#define GEOTAG_CONF_DIR "/etc/apache2/geotag"
#endif

geotag_server_conf *geotag_config_server(const server_rec *s)
{
    return ap_get_module_config(s->module_config, &geotag_module);
}

geotag_dir_conf *geotag_config_dir(const request_rec *r)
{
    return ap_get_module_config(r->per_dir_config, &geotag_module);
}

/* ------------------------------------------------------------------ */
/* the configurations and their directives                             */

void *geotag_config_create_server(apr_pool_t *p, server_rec *s)
{
    geotag_server_conf *c = apr_pcalloc(p, sizeof(*c));
    c->ttl = GEOTAG_DEFAULT_TTL;
    return c;
}

void *geotag_config_merge_server(apr_pool_t *p, void *basev, void *addv)
{
    geotag_server_conf *base = basev, *add = addv;
    geotag_server_conf *c = apr_pcalloc(p, sizeof(*c));
    c->dictionaries = add->dictionaries ? add->dictionaries : base->dictionaries;
    c->schema = add->schema ? add->schema : base->schema;
    c->lang_packs = add->lang_packs ? add->lang_packs : base->lang_packs;
    c->cache = add->cache_set ? add->cache : base->cache;
    c->cache_set = add->cache_set || base->cache_set;
    c->ttl = add->ttl_set ? add->ttl : base->ttl;
    c->ttl_set = add->ttl_set || base->ttl_set;
    c->memory = add->memory_set ? add->memory : base->memory;
    c->memory_set = add->memory_set || base->memory_set;
    c->secret = add->secret ? add->secret : base->secret;
    return c;
}

void *geotag_config_create_dir(apr_pool_t *p, char *dir)
{
    geotag_dir_conf *c = apr_pcalloc(p, sizeof(*c));
    c->enabled = -1;
    c->markup = -1;
    c->jsonld = -1;
    c->first_only = -1;
    c->request_date = -1;
    return c;
}

void *geotag_config_merge_dir(apr_pool_t *p, void *basev, void *addv)
{
    geotag_dir_conf *base = basev, *add = addv;
    geotag_dir_conf *c = apr_pcalloc(p, sizeof(*c));
    c->enabled = add->enabled != -1 ? add->enabled : base->enabled;
    c->markup = add->markup != -1 ? add->markup : base->markup;
    c->jsonld = add->jsonld != -1 ? add->jsonld : base->jsonld;
    c->first_only = add->first_only != -1 ? add->first_only : base->first_only;
    c->types = add->types ? add->types : base->types;
    c->max_mentions = add->max_mentions ? add->max_mentions : base->max_mentions;
    if (add->scope) {
        c->scope = add->scope;
        c->n_scope = add->n_scope;
        c->scope_spec = add->scope_spec;
    }
    else {
        c->scope = base->scope;
        c->n_scope = base->n_scope;
        c->scope_spec = base->scope_spec;
    }
    c->language = add->language ? add->language : base->language;
    c->country = add->country ? add->country : base->country;
    c->request_date = add->request_date != -1 ? add->request_date
                                              : base->request_date;
    if (add->preview_env) {
        c->preview_env = add->preview_env;
        c->preview_nonce_env = add->preview_nonce_env;
    }
    else {
        c->preview_env = base->preview_env;
        c->preview_nonce_env = base->preview_nonce_env;
    }
    return c;
}

static const char *set_dictionary(cmd_parms *cmd, void *dummy, const char *arg)
{
    geotag_server_conf *c = geotag_config_server(cmd->server);
    const char *path = ap_server_root_relative(cmd->pool, arg);
    if (!path)
        return apr_pstrcat(cmd->pool, "GeoTagDictionary: invalid path ", arg,
                           NULL);
    if (!c->dictionaries)
        c->dictionaries = apr_array_make(cmd->pool, 2, sizeof(const char *));
    APR_ARRAY_PUSH(c->dictionaries, const char *) = path;
    return NULL;
}

static const char *set_schema(cmd_parms *cmd, void *dummy, const char *arg)
{
    geotag_server_conf *c = geotag_config_server(cmd->server);
    c->schema = ap_server_root_relative(cmd->pool, arg);
    return c->schema ? NULL : "GeoTagSchema: invalid path";
}

static const char *set_lang_packs(cmd_parms *cmd, void *dummy, const char *arg)
{
    geotag_server_conf *c = geotag_config_server(cmd->server);
    c->lang_packs = ap_server_root_relative(cmd->pool, arg);
    return c->lang_packs ? NULL : "GeoTagLanguagePacks: invalid path";
}

static const char *set_cache(cmd_parms *cmd, void *dummy, const char *arg)
{
    geotag_server_conf *c = geotag_config_server(cmd->server);
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);
    if (err)
        return err;
    c->cache_set = 1;
    return geotag_cache_configure(cmd, arg, &c->cache);
}

static const char *set_ttl(cmd_parms *cmd, void *dummy, const char *arg)
{
    geotag_server_conf *c = geotag_config_server(cmd->server);
    char *end;
    long n = strtol(arg, &end, 10);
    if (*end || n < 1 || n > 365L * 24 * 3600)
        return "GeoTagCacheTTL: a number of seconds from 1 to 31536000";
    c->ttl = apr_time_from_sec(n);
    c->ttl_set = 1;
    return NULL;
}

static const char *set_memory(cmd_parms *cmd, void *dummy, const char *arg)
{
    geotag_server_conf *c = geotag_config_server(cmd->server);
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);
    apr_off_t n;
    char *end;

    if (err)
        return err;
    if (apr_strtoff(&n, arg, &end, 10) != APR_SUCCESS || end == arg || n < 0)
        n = -1;
    else if (*end == 'K' || *end == 'k')
        n *= 1024, end++;
    else if (*end == 'M' || *end == 'm')
        n *= 1024 * 1024, end++;
    else if (*end == 'G' || *end == 'g')
        n *= 1024 * 1024 * 1024, end++;
    if (n < 0 || *end || n > (apr_off_t)64 * 1024 * 1024 * 1024)
        return "GeoTagCacheMemory: bytes per child process, with an optional "
               "K, M or G (0 turns it off; at most 64G)";
    c->memory = (apr_size_t)n;
    c->memory_set = 1;
    return NULL;
}

static const char *set_secret(cmd_parms *cmd, void *dummy, const char *arg)
{
    geotag_server_conf *c = geotag_config_server(cmd->server);
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);
    const char *secret = arg;

    if (err)
        return err;
    if (!strncmp(arg, "file:", 5)) {
        const char *path = ap_server_root_relative(cmd->temp_pool, arg + 5);
        apr_file_t *fd;
        char buf[1024];
        apr_size_t n = sizeof(buf) - 1;
        apr_status_t rv;

        if (!path)
            return apr_pstrcat(cmd->pool, "GeoTagCacheSecret: invalid path ",
                               arg + 5, NULL);
        rv = apr_file_open(&fd, path, APR_FOPEN_READ, 0, cmd->temp_pool);
        if (rv == APR_SUCCESS) {
            rv = apr_file_read(fd, buf, &n);
            apr_file_close(fd);
        }
        if (rv != APR_SUCCESS && rv != APR_EOF)
            return apr_psprintf(cmd->pool, "GeoTagCacheSecret: cannot read "
                                "%s: %pm", path, &rv);
        while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
            n--;
        secret = apr_pstrmemdup(cmd->pool, buf, n);
    }
    if (strlen(secret) < 16)
        return "GeoTagCacheSecret: at least 16 characters (or file:path to "
               "a file holding them)";
    c->secret = secret;
    return NULL;
}

static const char *set_enabled(cmd_parms *cmd, void *dirconf, int flag)
{
    ((geotag_dir_conf *)dirconf)->enabled = flag;
    return NULL;
}

static const char *set_jsonld(cmd_parms *cmd, void *dirconf, int flag)
{
    ((geotag_dir_conf *)dirconf)->jsonld = flag;
    return NULL;
}

static const char *set_first_only(cmd_parms *cmd, void *dirconf, int flag)
{
    ((geotag_dir_conf *)dirconf)->first_only = flag;
    return NULL;
}

static const char *set_markup(cmd_parms *cmd, void *dirconf, const char *arg)
{
    geotag_dir_conf *c = dirconf;
    if (!strcasecmp(arg, "data"))
        c->markup = GEOTAG_MARKUP_DATA;
    else if (!strcasecmp(arg, "microdata"))
        c->markup = GEOTAG_MARKUP_MICRODATA;
    else if (!strcasecmp(arg, "none"))
        c->markup = GEOTAG_MARKUP_NONE;
    else
        return "GeoTagMarkup: data, microdata or none";
    return NULL;
}

static const char *set_types(cmd_parms *cmd, void *dirconf, const char *arg)
{
    geotag_dir_conf *c = dirconf;
    unsigned t;
    if (!strcasecmp(arg, "actors"))
        t = GEOTAG_TYPE_ACTORS;
    else if (!strcasecmp(arg, "treaties"))
        t = GEOTAG_TYPE_TREATIES;
    else if (!strcasecmp(arg, "figures"))
        t = GEOTAG_TYPE_FIGURES;
    else if (!strcasecmp(arg, "dates"))
        t = GEOTAG_TYPE_DATES;
    else if (!strcasecmp(arg, "all"))
        t = GEOTAG_TYPE_ALL;
    else
        return apr_pstrcat(cmd->pool, "GeoTagTypes: unknown kind \"", arg,
                           "\" (actors, treaties, figures, dates, all)", NULL);
    /* the first word of a directive replaces what it inherited */
    if (c->types & 0x80000000u)
        c->types |= t;
    else
        c->types = 0x80000000u | t;
    return NULL;
}

static const char *set_scope(cmd_parms *cmd, void *dirconf, const char *arg)
{
    geotag_dir_conf *c = dirconf;
    const char *error = NULL;
    c->scope = geotag_scope_parse(cmd->pool, arg, &c->n_scope, &error);
    if (!c->scope)
        return apr_pstrcat(cmd->pool, "GeoTagScope: ", error, NULL);
    c->scope_spec = arg;
    return NULL;
}

static const char *set_language(cmd_parms *cmd, void *dirconf, const char *arg)
{
    geotag_dir_conf *c = dirconf;
    const char *p;
    for (p = arg; *p; p++)
        if (!apr_isalnum(*p) && *p != '-' && *p != '_')
            return "GeoTagLanguage: auto or a language tag (it, en, pt-BR)";
    c->language = arg;
    return NULL;
}

static const char *set_max_mentions(cmd_parms *cmd, void *dirconf,
                                    const char *arg)
{
    char *end;
    apr_int64_t n = apr_strtoi64(arg, &end, 10);
    if (*end || n < 1 || n > 1000000)
        return "GeoTagMaxMentions: a number of mentions from 1 to 1000000";
    ((geotag_dir_conf *)dirconf)->max_mentions = (int)n;
    return NULL;
}

static const char *set_country(cmd_parms *cmd, void *dirconf, const char *arg)
{
    const char *p = arg;
    if (strcmp(arg, "none") != 0) {
        int ok = *p == 'Q' && p[1] >= '1' && p[1] <= '9';
        for (p += ok ? 2 : 0; ok && *p; p++)
            ok = apr_isdigit(*p);
        if (!ok)
            return "GeoTagCountry: none, or the id (Q38) of the state a role "
                   "phrase without one means (\"la premier\")";
    }
    ((geotag_dir_conf *)dirconf)->country = arg;
    return NULL;
}

static const char *set_request_date(cmd_parms *cmd, void *dirconf, int on)
{
    ((geotag_dir_conf *)dirconf)->request_date = on;
    return NULL;
}

/* GeoTagPreview Off | env=NAME [nonce=NAME] */
static const char *set_preview(cmd_parms *cmd, void *dirconf, const char *arg1,
                               const char *arg2)
{
    geotag_dir_conf *c = dirconf;

    if (!strcasecmp(arg1, "off") && !arg2) {
        c->preview_env = "";
        c->preview_nonce_env = NULL;
        return NULL;
    }
    if (strncasecmp(arg1, "env=", 4) || !arg1[4] ||
        (arg2 && (strncasecmp(arg2, "nonce=", 6) || !arg2[6])))
        return "GeoTagPreview: Off, or env=VARIABLE [nonce=VARIABLE]";
    c->preview_env = arg1 + 4;
    c->preview_nonce_env = arg2 ? arg2 + 6 : NULL;
    return NULL;
}

int geotag_config_preview(const request_rec *r, const char **nonce)
{
    const geotag_dir_conf *d = geotag_config_dir(r);

    *nonce = NULL;
    if (!d->preview_env || !*d->preview_env ||
        !apr_table_get(r->subprocess_env, d->preview_env))
        return 0;
    if (d->preview_nonce_env)
        *nonce = apr_table_get(r->subprocess_env, d->preview_nonce_env);
    return 1;
}

const command_rec geotag_config_cmds[] = {
    AP_INIT_FLAG("GeoTag", set_enabled, NULL, RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                 "On to tag HTML responses here (inserts the GEOTAG filter)"),
    AP_INIT_TAKE1("GeoTagDictionary", set_dictionary, NULL, RSRC_CONF,
                  "a gazetteer file (repeatable); default: the shipped one"),
    AP_INIT_TAKE1("GeoTagSchema", set_schema, NULL, RSRC_CONF,
                  "a RelaxNG schema to check dictionaries against instead "
                  "of the built-in one"),
    AP_INIT_TAKE1("GeoTagLanguagePacks", set_lang_packs, NULL, RSRC_CONF,
                  "the directory of the language packs (*.xml)"),
    AP_INIT_TAKE1("GeoTagCache", set_cache, NULL, RSRC_CONF,
                     "none, or a socache provider with its arguments, as "
                     "SSLSessionCache: shmcb[:path(size)], memcache:host:port, "
                     "redis:host:port"),
    AP_INIT_TAKE1("GeoTagCacheTTL", set_ttl, NULL, RSRC_CONF,
                  "seconds a cached result is kept (default 3600)"),
    AP_INIT_TAKE1("GeoTagCacheSecret", set_secret, NULL, RSRC_CONF,
                  "the key that authenticates cache entries (HMAC): 16 "
                  "characters or more, or file:path; set it on every "
                  "server of a farm sharing memcache or redis"),
    AP_INIT_TAKE1("GeoTagCacheMemory", set_memory, NULL, RSRC_CONF,
                  "memory per child process for hot pages, tagged (default "
                  "8M with a threaded MPM, 1M with prefork; 0: off)"),
    AP_INIT_TAKE1("GeoTagMarkup", set_markup, NULL, RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                  "inline markup: data (default), microdata or none"),
    AP_INIT_FLAG("GeoTagJSONLD", set_jsonld, NULL, RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                 "On (default) to append the JSON-LD block"),
    AP_INIT_RAW_ARGS("GeoTagScope", set_scope, NULL, RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                     "where mentions count: element names and [attribute=word] "
                     "rules (default: article main [role=main] "
                     "[itemprop=articleBody])"),
    AP_INIT_ITERATE("GeoTagTypes", set_types, NULL, RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                    "what to tag: actors treaties figures dates (default all)"),
    AP_INIT_FLAG("GeoTagFirstOnly", set_first_only, NULL, RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                 "On to mark up only the first mention of each entity"),
    AP_INIT_TAKE1("GeoTagLanguage", set_language, NULL, RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                  "auto (default: from the page) or the page language"),
    AP_INIT_TAKE1("GeoTagMaxMentions", set_max_mentions, NULL,
                  RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                  "mentions marked up per page (default 2000); past it the "
                  "markup stops, the JSON-LD is still written"),
    AP_INIT_TAKE1("GeoTagCountry", set_country, NULL,
                  RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                  "none (default), or the id of the state a role phrase "
                  "that names none means (\"la premier\", \"the president\")"),
    AP_INIT_FLAG("GeoTagRequestDate", set_request_date, NULL,
                 RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                 "On to resolve role phrases of a page that gives no date on "
                 "the day of the request (default Off: an undated page names "
                 "no office-holder)"),
    AP_INIT_TAKE12("GeoTagPreview", set_preview, NULL, RSRC_CONF | ACCESS_CONF,
                   "Off (default), or env=VARIABLE [nonce=VARIABLE]: the "
                   "editor preview for requests with the variable set (set "
                   "it behind authentication), its stylesheet with the CSP "
                   "nonce the other variable holds"),
    {NULL}
};

/* ------------------------------------------------------------------ */
/* dictionaries: loaded when the configuration is checked, so that a   */
/* broken one fails `apachectl -t` with file:line and the reason       */

static const char *default_dictionary(apr_pool_t *p)
{
    return apr_pstrcat(p, GEOTAG_CONF_DIR, "/gazetteer.xml", NULL);
}

int geotag_config_load(apr_pool_t *pconf, apr_pool_t *ptemp,
                       server_rec *main_s)
{
    apr_hash_t *loaded = apr_hash_make(ptemp);
    server_rec *s;

    for (s = main_s; s; s = s->next) {
        geotag_server_conf *c = geotag_config_server(s);
        apr_array_header_t *files = c->dictionaries;
        apr_array_header_t *stamped;
        const char *key, *error = NULL, *schema, *lang_packs;
        geotag_server_conf *same;
        int i;

        if (!files) {
            files = apr_array_make(pconf, 1, sizeof(const char *));
            APR_ARRAY_PUSH(files, const char *) = default_dictionary(pconf);
        }
        schema = c->schema; /* NULL: the built-in schema */
        lang_packs = c->lang_packs ? c->lang_packs
                                   : apr_pstrcat(pconf, GEOTAG_CONF_DIR,
                                                 "/lang", NULL);
        key = apr_pstrcat(ptemp, schema ? schema : "", "|", lang_packs,
                          "|", apr_array_pstrcat(ptemp, files, '|'), NULL);
        if ((same = apr_hash_get(loaded, key, APR_HASH_KEY_STRING)) != NULL) {
            c->engine = same->engine;
            c->dictionary_mtime = same->dictionary_mtime;
            c->loaded = same->loaded;
            memcpy(c->digest_hex, same->digest_hex, sizeof(c->digest_hex));
            continue;
        }
        c->engine = geotag_engine_load(pconf, schema, lang_packs,
                                       (const char *const *)files->elts,
                                       files->nelts, &error);
        if (!c->engine) {
            ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, s,
                         GTLOGNO(001) "GeoTagDictionary: %s", error);
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        /* Last-Modified: the newest dictionary file or language pack */
        stamped = geotag_langpack_files(ptemp, lang_packs, &error);
        stamped = stamped ? apr_array_append(ptemp, files, stamped) : files;
        for (i = 0; i < stamped->nelts; i++) {
            apr_finfo_t fi;
            if (apr_stat(&fi, APR_ARRAY_IDX(stamped, i, const char *),
                         APR_FINFO_MTIME, ptemp) == APR_SUCCESS &&
                fi.mtime > c->dictionary_mtime)
                c->dictionary_mtime = fi.mtime;
        }
        c->loaded = apr_time_now();
        ap_bin2hex(c->engine->gazetteer->digest,
                   sizeof(c->engine->gazetteer->digest), c->digest_hex);
        apr_hash_set(loaded, key, APR_HASH_KEY_STRING, c);
    }
    return OK;
}

void geotag_config_default_cache(apr_pool_t *pconf, apr_pool_t *ptemp,
                                 server_rec *s)
{
    geotag_server_conf *c = geotag_config_server(s);
    server_rec *vs;

    if (!c->cache_set &&
        ap_lookup_provider(AP_SOCACHE_PROVIDER_GROUP, "shmcb",
                           AP_SOCACHE_PROVIDER_VERSION)) {
        cmd_parms cmd;
        const char *err;
        memset(&cmd, 0, sizeof(cmd));
        cmd.pool = pconf;
        cmd.temp_pool = ptemp;
        cmd.server = s;
        err = geotag_cache_configure(&cmd, "shmcb", &c->cache);
        if (err)
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                         GTLOGNO(002) "default cache not available: %s", err);
    }
    for (vs = s->next; vs; vs = vs->next) {
        geotag_server_conf *vc = geotag_config_server(vs);
        if (!vc->cache_set)
            vc->cache = c->cache;
    }
}

/* ------------------------------------------------------------------ */
/* the config digest                                                   */

unsigned geotag_config_types(const geotag_dir_conf *d)
{
    return d->types ? (d->types & GEOTAG_TYPE_ALL) : GEOTAG_TYPE_ALL;
}

void geotag_config_day(apr_time_t when, char day[11])
{
    apr_time_exp_t tm;
    apr_time_exp_gmt(&tm, when);
    apr_snprintf(day, 11, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                 tm.tm_mday);
}

apr_time_t geotag_config_holders_changed(const geotag_server_conf *sc,
                                         const geotag_dir_conf *d,
                                         apr_time_t when)
{
    apr_time_exp_t tm;
    apr_time_t t;
    char day[11];
    const char *epoch;

    if (d->request_date != 1 || !sc->engine)
        return 0;
    geotag_config_day(when, day);
    epoch = geotag_office_epoch(sc->engine->gazetteer, day);
    if (!*epoch)
        return 0;
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = atoi(epoch) - 1900;
    tm.tm_mon = strlen(epoch) >= 7 ? atoi(epoch + 5) - 1 : 0;
    tm.tm_mday = strlen(epoch) >= 10 ? atoi(epoch + 8) : 1;
    return apr_time_exp_gmt_get(&t, &tm) == APR_SUCCESS ? t : 0;
}

void geotag_config_digest(const geotag_server_conf *sc,
                          const geotag_dir_conf *d, apr_time_t when,
                          unsigned char out[APR_SHA1_DIGESTSIZE])
{
    apr_sha1_ctx_t sha;
    char buf[128];
    apr_sha1_init(&sha);
    apr_sha1_update(&sha, sc->digest_hex, strlen(sc->digest_hex));
    apr_snprintf(buf, sizeof(buf), "|%d|%d|%d|%u|", d->markup, d->jsonld,
                 d->first_only, geotag_config_types(d));
    apr_sha1_update(&sha, buf, strlen(buf));
    if (d->scope_spec)
        apr_sha1_update(&sha, d->scope_spec, strlen(d->scope_spec));
    apr_sha1_update(&sha, "|", 1);
    if (d->language)
        apr_sha1_update(&sha, d->language, strlen(d->language));
    /* only when set: the digests (and ETags) of other configurations stay */
    if (d->max_mentions) {
        apr_snprintf(buf, sizeof(buf), "|m%d", d->max_mentions);
        apr_sha1_update(&sha, buf, strlen(buf));
    }
    if (d->country && strcmp(d->country, "none") != 0) {
        apr_snprintf(buf, sizeof(buf), "|c%s", d->country);
        apr_sha1_update(&sha, buf, strlen(buf));
    }
    if (d->request_date == 1 && sc->engine) {
        /* the holders in force that day: the last change before it */
        char day[11];
        geotag_config_day(when, day);
        apr_snprintf(buf, sizeof(buf), "|h%s",
                     geotag_office_epoch(sc->engine->gazetteer, day));
        apr_sha1_update(&sha, buf, strlen(buf));
    }
    apr_sha1_final(out, &sha);
}
