/*
 * mod_geotag.c: the GEOTAG output filter, its directives and hooks.
 *
 * Here's the concept.  The engine (src/) reads the response body as a
 * stream and says where to insert what (edits at byte offsets of the
 * original body); this file never copies the body.  It keeps the original
 * buckets it was given, splits them at the edit offsets, puts the rendered
 * markup between the pieces, and passes everything before the engine's
 * "stable" offset on at once.  On a cache hit it does the same with the
 * stored edits and without reading the body at all, so a static file stays
 * a file bucket and goes out with sendfile.
 *
 *   first call   every decision (or stepping aside, bytes untouched) and
 *                every header change is made before anything is passed on,
 *                as mod_deflate does
 *   miss         lexer -> matcher -> edits; edits recorded; at EOS the
 *                result (edits + the JSON-LD's facts) is stored
 *   hit          the stored edits are replayed; the JSON-LD is rebuilt from
 *                the gazetteer; the second replay of a page in a child
 *                keeps the tagged body in that child's memory
 *   memory hit   the tagged body from the child's memory (src/memo.c)
 *                goes out as one bucket; the page's own buckets are
 *                dropped unread
 *
 * Fail open: an engine limit or a malformed page leaves the rest of the
 * page untouched; a read error is passed on as httpd's own filters do.
 */
#include "apr_strings.h"
#include "apr_sha1.h"
#include "apr_lib.h"

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "util_filter.h"
#include "ap_provider.h"
#include "ap_mpm.h"
#include "mod_status.h"

#include "mod_geotag.h"
#include "result.h"
#include "memo.h"

#ifndef GEOTAG_CONF_DIR
#define GEOTAG_CONF_DIR "/etc/apache2/geotag"
#endif

#define DEFAULT_TTL apr_time_from_sec(3600)
/* GeoTagCacheMemory defaults, per child: a threaded child serves many
 * requests at once, prefork runs many children */
#define DEFAULT_MEMORY_THREADED (8 * 1024 * 1024)
#define DEFAULT_MEMORY_PREFORK (1024 * 1024)
#define RECORD_MAX_EDITS 8192

typedef struct {
    apr_array_header_t *dictionaries; /* const char *, NULL = default */
    const char *schema;
    geotag_engine *engine;            /* loaded at check_config */
    apr_time_t dictionary_mtime;
    char digest_hex[41];
    geotag_cache *cache;
    int cache_set;
    apr_interval_time_t ttl;
    int ttl_set;
    apr_size_t memory;                /* GeoTagCacheMemory, bytes per child */
    int memory_set;
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
} geotag_dir_conf;

typedef enum {
    MODE_TAG,     /* engine session on the body */
    MODE_REPLAY,  /* stored edits, body not read */
    MODE_MEMORY,  /* the tagged body from the child's memory, body dropped */
    MODE_PASS     /* fail open: the rest goes through untouched */
} geotag_mode;

typedef struct {
    geotag_mode mode;
    geotag_session *session;
    const geotag_engine *engine;
    geotag_markup_mode markup;
    apr_bucket_brigade *held;   /* original buckets from held_offset on */
    apr_off_t held_offset;
    apr_size_t held_skip;       /* bytes of the first held bucket already
                                   copied out (see release()) */
    apr_off_t seen;             /* body bytes received */
    apr_bucket_brigade *out;
    /* cache */
    geotag_cache *cache;
    unsigned char key[APR_SHA1_DIGESTSIZE];
    int cacheable;
    apr_array_header_t *record; /* geotag_edit, for the cache */
    int record_full;
    int error_bucket;
    /* replay */
    geotag_result replay;
    int replay_next;
    /* the child's memory: the untagged body's length (Content-Length, -1
     * if unknown), and the output kept while a replay fills an entry */
    apr_off_t source_length;
    char *fill;
    apr_size_t fill_len, fill_cap;
    apr_size_t inserted;
    apr_off_t zero_copy;
    apr_off_t passed_at;        /* 'seen' when ctx->out last went on */
    /* short stretches of the page and the markup between them are copied
     * into one buffer: see release() */
    char *acc;
    apr_size_t acc_len;
} geotag_ctx;

/*
 * Output shape.  Splitting the original buckets at every edit keeps the
 * page uncopied, but a dense article has an edit every 50 bytes: hundreds
 * of tiny buckets, and for a file bucket a read or a sendfile call per
 * piece, cost far more than copying.  So a stretch of original bytes of at
 * least COALESCE_MIN goes on in its own buckets (a file stays a file:
 * sendfile), and shorter stretches are copied, with the markup around
 * them, into one buffer of ACC_SIZE bytes that goes out as one bucket.
 */
#define COALESCE_MIN 4096
#define ACC_SIZE 16384
#define DENSE_EDITS 8
/* Within one call, what is ready goes on every PASS_EVERY bytes of body:
 * a 100 MB file arrives as one bucket, and read in 8 KB pieces it must
 * not pile up in memory before the call ends (core's own write threshold
 * is 64 KB too, so small pages still leave in one write). */
#define PASS_EVERY (64 * 1024)

static ap_filter_rec_t *geotag_filter_handle;
static geotag_memo *memo;             /* this child's, or NULL */

/* ------------------------------------------------------------------ */
/* configuration                                                       */

static void *create_server_conf(apr_pool_t *p, server_rec *s)
{
    geotag_server_conf *c = apr_pcalloc(p, sizeof(*c));
    c->ttl = DEFAULT_TTL;
    return c;
}

static void *merge_server_conf(apr_pool_t *p, void *basev, void *addv)
{
    geotag_server_conf *base = basev, *add = addv;
    geotag_server_conf *c = apr_pcalloc(p, sizeof(*c));
    c->dictionaries = add->dictionaries ? add->dictionaries : base->dictionaries;
    c->schema = add->schema ? add->schema : base->schema;
    c->cache = add->cache_set ? add->cache : base->cache;
    c->cache_set = add->cache_set || base->cache_set;
    c->ttl = add->ttl_set ? add->ttl : base->ttl;
    c->ttl_set = add->ttl_set || base->ttl_set;
    c->memory = add->memory_set ? add->memory : base->memory;
    c->memory_set = add->memory_set || base->memory_set;
    return c;
}

static void *create_dir_conf(apr_pool_t *p, char *dir)
{
    geotag_dir_conf *c = apr_pcalloc(p, sizeof(*c));
    c->enabled = -1;
    c->markup = -1;
    c->jsonld = -1;
    c->first_only = -1;
    return c;
}

static void *merge_dir_conf(apr_pool_t *p, void *basev, void *addv)
{
    geotag_dir_conf *base = basev, *add = addv;
    geotag_dir_conf *c = apr_pcalloc(p, sizeof(*c));
    c->enabled = add->enabled != -1 ? add->enabled : base->enabled;
    c->markup = add->markup != -1 ? add->markup : base->markup;
    c->jsonld = add->jsonld != -1 ? add->jsonld : base->jsonld;
    c->first_only = add->first_only != -1 ? add->first_only : base->first_only;
    c->types = add->types ? add->types : base->types;
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
    return c;
}

static const char *set_dictionary(cmd_parms *cmd, void *dummy, const char *arg)
{
    geotag_server_conf *c = ap_get_module_config(cmd->server->module_config,
                                                 &geotag_module);
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
    geotag_server_conf *c = ap_get_module_config(cmd->server->module_config,
                                                 &geotag_module);
    c->schema = ap_server_root_relative(cmd->pool, arg);
    return c->schema ? NULL : "GeoTagSchema: invalid path";
}

static const char *set_cache(cmd_parms *cmd, void *dummy, const char *arg)
{
    geotag_server_conf *c = ap_get_module_config(cmd->server->module_config,
                                                 &geotag_module);
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);
    if (err)
        return err;
    c->cache_set = 1;
    return geotag_cache_configure(cmd, arg, &c->cache);
}

static const char *set_ttl(cmd_parms *cmd, void *dummy, const char *arg)
{
    geotag_server_conf *c = ap_get_module_config(cmd->server->module_config,
                                                 &geotag_module);
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
    geotag_server_conf *c = ap_get_module_config(cmd->server->module_config,
                                                 &geotag_module);
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

static const command_rec geotag_cmds[] = {
    AP_INIT_FLAG("GeoTag", set_enabled, NULL, RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                 "On to tag HTML responses here (inserts the GEOTAG filter)"),
    AP_INIT_TAKE1("GeoTagDictionary", set_dictionary, NULL, RSRC_CONF,
                  "a gazetteer file (repeatable); default: the shipped one"),
    AP_INIT_TAKE1("GeoTagSchema", set_schema, NULL, RSRC_CONF,
                  "the RelaxNG schema dictionaries are checked against"),
    AP_INIT_TAKE1("GeoTagCache", set_cache, NULL, RSRC_CONF,
                     "none, or a socache provider with its arguments, as "
                     "SSLSessionCache: shmcb[:path(size)], memcache:host:port, "
                     "redis:host:port"),
    AP_INIT_TAKE1("GeoTagCacheTTL", set_ttl, NULL, RSRC_CONF,
                  "seconds a cached result is kept (default 3600)"),
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
    {NULL}
};

/* ------------------------------------------------------------------ */
/* dictionaries: loaded when the configuration is checked, so that a   */
/* broken one fails `apachectl -t` with file:line and the reason       */

static const char *default_dictionary(apr_pool_t *p)
{
    return apr_pstrcat(p, GEOTAG_CONF_DIR, "/gazetteer.xml", NULL);
}

static void hex(const unsigned char *in, apr_size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    apr_size_t i;
    for (i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

static int load_engines(apr_pool_t *pconf, apr_pool_t *ptemp, server_rec *main_s)
{
    apr_hash_t *loaded = apr_hash_make(ptemp);
    server_rec *s;

    for (s = main_s; s; s = s->next) {
        geotag_server_conf *c = ap_get_module_config(s->module_config,
                                                     &geotag_module);
        apr_array_header_t *files = c->dictionaries;
        const char *key, *error = NULL, *schema;
        geotag_server_conf *same;
        int i;

        if (!files) {
            files = apr_array_make(pconf, 1, sizeof(const char *));
            APR_ARRAY_PUSH(files, const char *) = default_dictionary(pconf);
        }
        schema = c->schema ? c->schema
                           : apr_pstrcat(pconf, GEOTAG_CONF_DIR, "/gazetteer.rng",
                                         NULL);
        key = apr_pstrcat(ptemp, schema, "|",
                          apr_array_pstrcat(ptemp, files, '|'), NULL);
        if ((same = apr_hash_get(loaded, key, APR_HASH_KEY_STRING)) != NULL) {
            c->engine = same->engine;
            c->dictionary_mtime = same->dictionary_mtime;
            memcpy(c->digest_hex, same->digest_hex, sizeof(c->digest_hex));
            continue;
        }
        c->engine = geotag_engine_load(pconf, schema,
                                       (const char *const *)files->elts,
                                       files->nelts, &error);
        if (!c->engine) {
            ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, s,
                         GTLOGNO(001) "GeoTagDictionary: %s", error);
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        for (i = 0; i < files->nelts; i++) {
            apr_finfo_t fi;
            if (apr_stat(&fi, APR_ARRAY_IDX(files, i, const char *),
                         APR_FINFO_MTIME, ptemp) == APR_SUCCESS &&
                fi.mtime > c->dictionary_mtime)
                c->dictionary_mtime = fi.mtime;
        }
        hex(c->engine->gazetteer->digest, sizeof(c->engine->gazetteer->digest),
            c->digest_hex);
        apr_hash_set(loaded, key, APR_HASH_KEY_STRING, c);
    }
    return OK;
}

static int geotag_pre_config(apr_pool_t *pconf, apr_pool_t *plog,
                             apr_pool_t *ptemp)
{
    geotag_cache_pre_config(pconf);
    return OK;
}

static int geotag_check_config(apr_pool_t *pconf, apr_pool_t *plog,
                               apr_pool_t *ptemp, server_rec *s)
{
    return load_engines(pconf, ptemp, s);
}

static int geotag_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                              apr_pool_t *ptemp, server_rec *s)
{
    geotag_server_conf *c = ap_get_module_config(s->module_config,
                                                 &geotag_module);
    geotag_dictionary_info info;
    apr_status_t rv;
    server_rec *vs;

    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG)
        return OK;
    /* The default cache: shmcb in shared memory, when it is loaded. */
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
        geotag_server_conf *vc = ap_get_module_config(vs->module_config,
                                                      &geotag_module);
        if (!vc->cache_set)
            vc->cache = c->cache;
    }
    if (c->cache &&
        (rv = geotag_cache_post_config(c->cache, pconf, ptemp, s)) != APR_SUCCESS)
        return HTTP_INTERNAL_SERVER_ERROR;
    if ((rv = geotag_status_post_config(pconf, s)) != APR_SUCCESS)
        return HTTP_INTERNAL_SERVER_ERROR;
    if (c->engine) {
        info.entities = c->engine->gazetteer->entities->nelts;
        info.aliases = c->engine->gazetteer->aliases->nelts;
        info.forms = geotag_matcher_forms(c->engine->matcher);
        info.digest_hex = c->digest_hex;
        info.files = c->engine->gazetteer->files;
        info.loaded = apr_time_now();
        geotag_status_set_dictionary(&info);
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, s,
                     GTLOGNO(003) "dictionary %s: %d entities, %d forms, "
                     "generation %.12s; cache %s", info.files, info.entities,
                     info.forms, c->digest_hex, geotag_cache_describe(c->cache));
    }
    return OK;
}

static void geotag_child_init(apr_pool_t *p, server_rec *s)
{
    geotag_server_conf *c = ap_get_module_config(s->module_config,
                                                 &geotag_module);
    int mpm_threads = 0, threaded;

    if (!c->cache)
        return;
    geotag_cache_child_init(c->cache, p, s);
    threaded = ap_mpm_query(AP_MPMQ_IS_THREADED, &mpm_threads) == APR_SUCCESS &&
               mpm_threads != AP_MPMQ_NOT_SUPPORTED;
    if (!c->memory_set)
        c->memory = threaded ? DEFAULT_MEMORY_THREADED : DEFAULT_MEMORY_PREFORK;
    memo = geotag_memo_create(p, c->memory, threaded, 1);
    if (c->memory && !memo)
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s, GTLOGNO(017)
                     "GeoTagCacheMemory: no lock for this child's memory: "
                     "hot pages are replayed from GeoTagCache instead");
}

/* ------------------------------------------------------------------ */
/* per request: options, ETag, Range                                   */

static unsigned dir_types(const geotag_dir_conf *d)
{
    return d->types ? (d->types & GEOTAG_TYPE_ALL) : GEOTAG_TYPE_ALL;
}

/* What makes two configurations tag differently: part of the cache key and
 * of the ETag, so that a changed dictionary or directive is never served
 * from an old result. */
static void config_digest(const geotag_server_conf *sc, const geotag_dir_conf *d,
                          unsigned char out[APR_SHA1_DIGESTSIZE])
{
    apr_sha1_ctx_t sha;
    char buf[128];
    apr_sha1_init(&sha);
    apr_sha1_update(&sha, sc->digest_hex, strlen(sc->digest_hex));
    apr_snprintf(buf, sizeof(buf), "|%d|%d|%d|%u|", d->markup, d->jsonld,
                 d->first_only, dir_types(d));
    apr_sha1_update(&sha, buf, strlen(buf));
    if (d->scope_spec)
        apr_sha1_update(&sha, d->scope_spec, strlen(d->scope_spec));
    apr_sha1_update(&sha, "|", 1);
    if (d->language)
        apr_sha1_update(&sha, d->language, strlen(d->language));
    apr_sha1_final(out, &sha);
}

/* "-gt" + 8 hex digits of the config digest: the suffix our ETags carry
 * inside the quotes. */
static const char *etag_suffix(request_rec *r,
                               const unsigned char digest[APR_SHA1_DIGESTSIZE])
{
    char *s = apr_palloc(r->pool, 3 + 8 + 1);
    memcpy(s, "-gt", 3);
    hex(digest, 4, s + 3);
    return s;
}

/* The ETag "x" with the suffix inside its quotes, or NULL when it does not
 * end with a quote. */
static const char *etag_with_suffix(request_rec *r, const char *etag,
                                    const char *suffix)
{
    apr_size_t n = strlen(etag);
    if (n == 0 || etag[n - 1] != '"')
        return NULL;
    return apr_pstrcat(r->pool, apr_pstrndup(r->pool, etag, n - 1), suffix,
                       "\"", NULL);
}

static int is_html(const char *type)
{
    if (!type)
        return 0;
    return !strncasecmp(type, "text/html", 9) ||
           !strncasecmp(type, "application/xhtml+xml", 21);
}

/*
 * Runs just before the handler for a GEOTAG filter already in the chain
 * (GeoTag On, SetOutputFilter).  Where the body will be transformed and
 * that is known now (static HTML: the type is known), a Range request
 * must not reach the handler: a partial body cannot be tagged.  And a
 * conditional request that carries our ETag is mapped back to the source's
 * ETag, so the handler can answer 304.
 */
static int geotag_filter_init(ap_filter_t *f)
{
    request_rec *r = f->r;
    geotag_server_conf *sc = ap_get_module_config(r->server->module_config,
                                                  &geotag_module);
    geotag_dir_conf *d = ap_get_module_config(r->per_dir_config, &geotag_module);
    unsigned char digest[APR_SHA1_DIGESTSIZE];
    const char *inm, *suffix;

    if (r->main || !is_html(r->content_type) ||
        apr_table_get(r->subprocess_env, "no-geotag") || !sc->engine)
        return OK;
    if (apr_table_get(r->headers_in, "Range")) {
        apr_table_unset(r->headers_in, "Range");
        apr_table_unset(r->headers_in, "If-Range");
        apr_table_setn(r->notes, "geotag-range-removed", "1");
    }
    /* whatever makes the handler answer 304 (If-None-Match mapped below,
     * If-Modified-Since), the 304 describes our representation */
    config_digest(sc, d, digest);
    suffix = etag_suffix(r, digest);
    apr_table_setn(r->notes, "geotag-etag-suffix", suffix);
    inm = apr_table_get(r->headers_in, "If-None-Match");
    if (inm && strcmp(inm, "*") != 0) {
        /* Keep only the tags of our representation, mapped back to the
         * source's; a client holding the untagged page (or another
         * dictionary's) must get the tagged one, not a 304. */
        apr_size_t slen = strlen(suffix);
        char *copy = apr_pstrdup(r->pool, inm), *tok, *last;
        const char *mapped = NULL;
        for (tok = apr_strtok(copy, ",", &last); tok;
             tok = apr_strtok(NULL, ",", &last)) {
            apr_size_t n;
            while (*tok == ' ' || *tok == '\t')
                tok++;
            n = strlen(tok);
            while (n > 0 && (tok[n - 1] == ' ' || tok[n - 1] == '\t'))
                n--;
            if (n > slen + 1 && tok[n - 1] == '"' &&
                memcmp(tok + n - 1 - slen, suffix, slen) == 0) {
                const char *back = apr_pstrcat(r->pool,
                                               apr_pstrndup(r->pool, tok, n - 1 - slen),
                                               "\"", NULL);
                mapped = mapped ? apr_pstrcat(r->pool, mapped, ", ", back, NULL)
                                : back;
            }
        }
        if (mapped) {
            apr_table_setn(r->headers_in, "If-None-Match", mapped);
        }
        else {
            /* (If-Modified-Since was ignored beside it: keep it so) */
            apr_table_unset(r->headers_in, "If-None-Match");
            apr_table_unset(r->headers_in, "If-Modified-Since");
        }
    }
    /* A dictionary newer than the file makes the tagged page newer. */
    ap_update_mtime(r, sc->dictionary_mtime);
    return OK;
}

/*
 * A 304 answered from our mapped If-None-Match must carry our ETag.  The
 * core's 304 reaches the filter chain as a bare EOS (first_call sees it),
 * one built by ap_send_error_response goes through insert_error_filter.
 */
static void etag_for_304(request_rec *r)
{
    const char *suffix = apr_table_get(r->notes, "geotag-etag-suffix");
    const char *etag, *ours;
    if (r->status != HTTP_NOT_MODIFIED || !suffix)
        return;
    etag = apr_table_get(r->headers_out, "ETag");
    if (etag && !strstr(etag, suffix) &&
        (ours = etag_with_suffix(r, etag, suffix)) != NULL)
        apr_table_setn(r->headers_out, "ETag", ours);
}

static void geotag_insert_error_filter(request_rec *r)
{
    etag_for_304(r);
}

static void geotag_insert_filter(request_rec *r)
{
    geotag_dir_conf *d = ap_get_module_config(r->per_dir_config, &geotag_module);
    if (d->enabled == 1 && !r->main)
        ap_add_output_filter_handle(geotag_filter_handle, NULL, r, r->connection);
}

/* ------------------------------------------------------------------ */
/* the filter                                                          */

static void set_result(request_rec *r, const char *result, int mentions)
{
    apr_table_setn(r->notes, "geotag-result", result);
    apr_table_setn(r->subprocess_env, "geotag-result", result);
    if (mentions >= 0) {
        const char *n = apr_itoa(r->pool, mentions);
        apr_table_setn(r->notes, "geotag-mentions", n);
        apr_table_setn(r->subprocess_env, "geotag-mentions", n);
    }
}

static apr_status_t step_aside(ap_filter_t *f, apr_bucket_brigade *bb,
                               geotag_counter why, const char *reason)
{
    geotag_count(why, 1);
    set_result(f->r, apr_pstrcat(f->r->pool, "bypass:", reason, NULL), -1);
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, f->r,
                  "GEOTAG steps aside: %s", reason);
    ap_remove_output_filter(f);
    return ap_pass_brigade(f->next, bb);
}

static int encoded(request_rec *r)
{
    const char *enc = apr_table_get(r->headers_out, "Content-Encoding");
    const char *err = apr_table_get(r->err_headers_out, "Content-Encoding");
    const char *all = enc ? (err ? apr_pstrcat(r->pool, enc, ",", err, NULL) : enc)
                          : err;
    char *tok, *last, *copy;
    if (r->content_encoding)
        all = all ? apr_pstrcat(r->pool, all, ",", r->content_encoding, NULL)
                  : r->content_encoding;
    if (!all)
        return 0;
    copy = apr_pstrdup(r->pool, all);
    for (tok = apr_strtok(copy, ", \t", &last); tok;
         tok = apr_strtok(NULL, ", \t", &last))
        if (strcasecmp(tok, "identity") && strcasecmp(tok, "7bit") &&
            strcasecmp(tok, "8bit") && strcasecmp(tok, "binary"))
            return 1;
    return 0;
}

static int no_transform(request_rec *r)
{
    /* a CGI's headers land in err_headers_out */
    const char *cc = apr_table_get(r->headers_out, "Cache-Control");
    const char *err = apr_table_get(r->err_headers_out, "Cache-Control");
    return (cc && ap_strcasestr(cc, "no-transform") != NULL) ||
           (err && ap_strcasestr(err, "no-transform") != NULL);
}

static const char *charset_of(request_rec *r)
{
    const char *type = r->content_type, *cs;
    if (!type || !(cs = ap_strcasestr(type, "charset=")))
        return NULL;
    cs += 8;
    if (*cs == '"')
        cs++;
    return apr_pstrndup(r->pool, cs, strcspn(cs, "\"; \t"));
}

static void engine_log(void *baton, int level, const char *message)
{
    request_rec *r = baton;
    int lvl = level <= GEOTAG_LOG_ERROR ? APLOG_ERR
            : level == GEOTAG_LOG_WARNING ? APLOG_WARNING
            : level == GEOTAG_LOG_INFO ? APLOG_INFO : APLOG_DEBUG;
    ap_log_rerror(APLOG_MARK, lvl, 0, r, GTLOGNO(010) "%s (%s)", message,
                  r->uri);
}

/* The cache key: the representation we would produce. */
static int cache_key(request_rec *r,
                     const unsigned char config[APR_SHA1_DIGESTSIZE],
                     unsigned char *key)
{
    const char *etag = apr_table_get(r->headers_out, "ETag");
    const char *validator = NULL;
    apr_sha1_ctx_t sha;

    if (etag && strncmp(etag, "W/", 2) != 0) {
        validator = etag;
    }
    else {
        const char *lm = apr_table_get(r->headers_out, "Last-Modified");
        const char *cl = apr_table_get(r->headers_out, "Content-Length");
        if (lm && cl && !etag)
            validator = apr_pstrcat(r->pool, lm, "|", cl, NULL);
    }
    if (!validator)
        return 0;
    apr_sha1_init(&sha);
    apr_sha1_update(&sha, ap_http_scheme(r), strlen(ap_http_scheme(r)));
    apr_sha1_update(&sha, "|", 1);
    apr_sha1_update(&sha, r->hostname ? r->hostname : "", r->hostname ? strlen(r->hostname) : 0);
    apr_sha1_update(&sha, "|", 1);
    apr_sha1_update(&sha, r->uri, strlen(r->uri));
    apr_sha1_update(&sha, "?", 1);
    if (r->args)
        apr_sha1_update(&sha, r->args, strlen(r->args));
    apr_sha1_update(&sha, "|", 1);
    apr_sha1_update(&sha, validator, strlen(validator));
    apr_sha1_update_binary(&sha, config, APR_SHA1_DIGESTSIZE);
    apr_sha1_final(key, &sha);
    return 1;
}

/* The response's Content-Length, as the handler set it, or -1. */
static apr_off_t content_length(request_rec *r)
{
    const char *cl = apr_table_get(r->headers_out, "Content-Length");
    apr_off_t n;
    char *end;

    if (cl && apr_strtoff(&n, cl, &end, 10) == APR_SUCCESS && !*end &&
        end != cl && n >= 0)
        return n;
    return -1;
}

static void change_headers(request_rec *r, const char *suffix)
{
    const char *etag = apr_table_get(r->headers_out, "ETag");
    apr_table_unset(r->headers_out, "Content-Length");
    apr_table_unset(r->headers_out, "Content-MD5");
    if (etag && *etag) {
        const char *ours = etag_with_suffix(r, etag, suffix);
        if (ours)
            apr_table_setn(r->headers_out, "ETag", ours);
        else
            apr_table_unset(r->headers_out, "ETag");
    }
}

/* The buffer goes out as a heap bucket that owns it (no copy); the next
 * append takes a new one from the bucket allocator. */
static void flush_acc(geotag_ctx *ctx, apr_bucket_alloc_t *ba)
{
    if (ctx->acc == NULL)
        return;
    APR_BRIGADE_INSERT_TAIL(ctx->out,
                            apr_bucket_heap_create(ctx->acc, ctx->acc_len,
                                                   apr_bucket_free, ba));
    ctx->acc = NULL;
    ctx->acc_len = 0;
}

static apr_status_t free_acc(void *data)
{
    geotag_ctx *ctx = data;
    if (ctx->acc)
        apr_bucket_free(ctx->acc);
    ctx->acc = NULL;
    return APR_SUCCESS;
}

static void append_acc(geotag_ctx *ctx, const char *data, apr_size_t len,
                       apr_bucket_alloc_t *ba)
{
    if (len == 0)
        return;
    if (ctx->acc && len > ACC_SIZE - ctx->acc_len)
        flush_acc(ctx, ba);
    if (len > ACC_SIZE) {
        APR_BRIGADE_INSERT_TAIL(ctx->out, apr_bucket_heap_create(data, len, NULL, ba));
        return;
    }
    if (ctx->acc == NULL) {
        ctx->acc = apr_bucket_alloc(ACC_SIZE, ba);
        ctx->acc_len = 0;
    }
    memcpy(ctx->acc + ctx->acc_len, data, len);
    ctx->acc_len += len;
}

static apr_status_t free_fill(void *data)
{
    geotag_ctx *ctx = data;
    free(ctx->fill);
    ctx->fill = NULL;
    return APR_SUCCESS;
}

/* A replay that fills an entry of the child's memory keeps a copy of its
 * output; a body that outgrows an entry is not kept. */
static void fill(geotag_ctx *ctx, apr_bucket_brigade *bb)
{
    apr_size_t max = geotag_memo_max_entry(memo);
    apr_bucket *b;

    for (b = APR_BRIGADE_FIRST(bb); ctx->fill && b != APR_BRIGADE_SENTINEL(bb);
         b = APR_BUCKET_NEXT(b)) {
        const char *data;
        apr_size_t len;
        if (APR_BUCKET_IS_METADATA(b) || b->length == 0)
            continue;
        if (apr_bucket_read(b, &data, &len, APR_BLOCK_READ) != APR_SUCCESS ||
            len > max - ctx->fill_len) {
            free_fill(ctx);
            break;
        }
        if (len > ctx->fill_cap - ctx->fill_len) {
            apr_size_t cap = ctx->fill_cap * 2;
            char *grown;
            if (cap < ctx->fill_len + len)
                cap = ctx->fill_len + len;
            if (cap > max)
                cap = max;
            if (!(grown = realloc(ctx->fill, cap))) {
                free_fill(ctx);
                break;
            }
            ctx->fill = grown;
            ctx->fill_cap = cap;
        }
        memcpy(ctx->fill + ctx->fill_len, data, len);
        ctx->fill_len += len;
    }
}

/* Everything ready goes downstream. */
static apr_status_t pass_out(ap_filter_t *f, geotag_ctx *ctx)
{
    apr_status_t rv;
    flush_acc(ctx, f->c->bucket_alloc);
    if (APR_BRIGADE_EMPTY(ctx->out))
        return APR_SUCCESS;
    if (ctx->fill)
        fill(ctx, ctx->out);
    rv = ap_pass_brigade(f->next, ctx->out);
    apr_brigade_cleanup(ctx->out);
    return rv;
}

/* Passes what is ready on when PASS_EVERY more body bytes have come in
 * since the last time. */
static apr_status_t pass_some(ap_filter_t *f, geotag_ctx *ctx)
{
    if (ctx->seen - ctx->passed_at < PASS_EVERY)
        return APR_SUCCESS;
    ctx->passed_at = ctx->seen;
    return pass_out(f, ctx);
}

/* The first held bucket without the bytes already copied out of it. */
static apr_status_t held_trim(geotag_ctx *ctx)
{
    apr_bucket *b;
    apr_status_t rv;

    if (ctx->held_skip == 0)
        return APR_SUCCESS;
    b = APR_BRIGADE_FIRST(ctx->held);
    if ((rv = apr_bucket_split(b, ctx->held_skip)) != APR_SUCCESS)
        return rv;
    apr_bucket_delete(b);
    ctx->held_skip = 0;
    return APR_SUCCESS;
}

/* Everything held goes to ctx->out as it is, after what was copied. */
static apr_status_t move_held(ap_filter_t *f, geotag_ctx *ctx)
{
    apr_status_t rv;

    flush_acc(ctx, f->c->bucket_alloc);
    if ((rv = held_trim(ctx)) != APR_SUCCESS)
        return rv;
    APR_BRIGADE_CONCAT(ctx->out, ctx->held);
    return APR_SUCCESS;
}

/* Copies a short stretch of n original bytes: out of the held buckets as
 * they are, without splitting them at every edit (a split and a delete
 * per edit cost more than the copy); held_skip says how far into the
 * first bucket the copying got. */
static apr_status_t copy_held(ap_filter_t *f, geotag_ctx *ctx, apr_off_t n)
{
    apr_bucket_alloc_t *ba = f->c->bucket_alloc;
    apr_status_t rv;

    while (n > 0 && !APR_BRIGADE_EMPTY(ctx->held)) {
        apr_bucket *b = APR_BRIGADE_FIRST(ctx->held);
        const char *data;
        apr_size_t len, take;

        if (APR_BUCKET_IS_METADATA(b)) {
            flush_acc(ctx, ba);
            APR_BUCKET_REMOVE(b);
            APR_BRIGADE_INSERT_TAIL(ctx->out, b);
            continue;
        }
        /* a file (a replay over sparse edits) is split, not read whole: its
         * long stretches must stay file buckets, for sendfile */
        if (APR_BUCKET_IS_FILE(b) && ctx->held_skip == 0 &&
            (apr_off_t)b->length > n &&
            (rv = apr_bucket_split(b, (apr_size_t)n)) != APR_SUCCESS)
            return rv;
        if ((rv = apr_bucket_read(b, &data, &len, APR_BLOCK_READ)) != APR_SUCCESS)
            return rv;
        take = len - ctx->held_skip;
        if ((apr_off_t)take > n)
            take = (apr_size_t)n;
        append_acc(ctx, data + ctx->held_skip, take, ba);
        n -= (apr_off_t)take;
        if (ctx->held_skip + take == len) {
            apr_bucket_delete(b);
            ctx->held_skip = 0;
        }
        else {
            ctx->held_skip += take;
        }
    }
    return APR_SUCCESS;
}

/* Moves the original bytes of ctx->held up to absolute offset 'upto' on:
 * a long stretch in its own buckets, a short one copied (see above). */
static apr_status_t release(ap_filter_t *f, geotag_ctx *ctx, apr_off_t upto)
{
    apr_bucket_alloc_t *ba = f->c->bucket_alloc;
    apr_bucket *after;
    apr_off_t n = upto - ctx->held_offset;
    apr_status_t rv;
    int whole = n >= COALESCE_MIN;

    if (n <= 0)
        return APR_SUCCESS;
    if (!whole) {
        if ((rv = copy_held(f, ctx, n)) != APR_SUCCESS)
            return rv;
        ctx->held_offset = upto;
        return APR_SUCCESS;
    }
    if ((rv = held_trim(ctx)) != APR_SUCCESS)
        return rv;
    rv = apr_brigade_partition(ctx->held, n, &after);
    if (rv != APR_SUCCESS && rv != APR_INCOMPLETE)
        return rv;
    flush_acc(ctx, ba);
    while (!APR_BRIGADE_EMPTY(ctx->held) &&
           APR_BRIGADE_FIRST(ctx->held) != after) {
        apr_bucket *b = APR_BRIGADE_FIRST(ctx->held);
        if (!APR_BUCKET_IS_METADATA(b))
            ctx->zero_copy += (apr_off_t)b->length;
        APR_BUCKET_REMOVE(b);
        APR_BRIGADE_INSERT_TAIL(ctx->out, b);
    }
    ctx->held_offset = upto;
    return APR_SUCCESS;
}

static void insert_bytes(geotag_ctx *ctx, const char *bytes, apr_size_t len,
                         apr_bucket_alloc_t *ba)
{
    append_acc(ctx, bytes, len, ba);
    ctx->inserted += len;
}

/* Pass on everything the engine has made final. */
static apr_status_t emit_ready(ap_filter_t *f, geotag_ctx *ctx)
{
    geotag_edit e;
    apr_status_t rv;
    char buf[GEOTAG_EDIT_RENDER_MAX];
    while (geotag_session_next_edit(ctx->session, &e)) {
        apr_size_t len;
        const char *bytes = buf;
        if ((rv = release(f, ctx, e.offset)) != APR_SUCCESS)
            return rv;
        if (e.kind == GEOTAG_EDIT_JSONLD)
            bytes = geotag_session_jsonld(ctx->session, f->r->pool, &len);
        else
            len = geotag_edit_render(&e, ctx->engine->gazetteer, ctx->markup, buf);
        insert_bytes(ctx, bytes, len, f->c->bucket_alloc);
        if (ctx->record && !ctx->record_full) {
            if (ctx->record->nelts >= RECORD_MAX_EDITS)
                ctx->record_full = 1;
            else
                APR_ARRAY_PUSH(ctx->record, geotag_edit) = e;
        }
    }
    return release(f, ctx, geotag_session_stable(ctx->session));
}

static void store_result(ap_filter_t *f, geotag_ctx *ctx)
{
    request_rec *r = f->r;
    geotag_server_conf *sc = ap_get_module_config(r->server->module_config,
                                                  &geotag_module);
    geotag_result res;
    unsigned char *data;
    apr_size_t len;

    /* only complete responses: no ERROR bucket, and nothing upstream
     * (mod_proxy on a broken backend) said not to cache it */
    if (!ctx->cacheable || ctx->record_full || ctx->error_bucket || r->no_cache)
        return;
    memset(&res, 0, sizeof(res));
    res.edits = ctx->record;
    geotag_session_document(ctx->session, r->pool, &res.doc);
    res.status = geotag_session_status(ctx->session);
    res.mentions = geotag_session_mentions(ctx->session);
    if (geotag_result_serialize(r->pool, &res, &data, &len) != APR_SUCCESS ||
        len > GEOTAG_CACHE_MAX_ENTRY ||
        geotag_cache_put(ctx->cache, r, ctx->key, sizeof(ctx->key), data,
                         (unsigned int)len, sc->ttl) != APR_SUCCESS) {
        geotag_count(GEOTAG_C_CACHE_STORE_FAILED, 1);
        return;
    }
    geotag_count(GEOTAG_C_CACHE_STORE, 1);
}

/* A stored edit rendered again: inline markup, or the JSON-LD rebuilt from
 * the stored facts and the gazetteer. */
static void insert_replayed(ap_filter_t *f, geotag_ctx *ctx,
                            const geotag_edit *ed)
{
    char buf[GEOTAG_EDIT_RENDER_MAX];
    const char *bytes = buf;
    apr_size_t n;

    if (ed->kind == GEOTAG_EDIT_JSONLD)
        bytes = geotag_jsonld_write(f->r->pool, ctx->engine->gazetteer,
                                    &ctx->replay.doc, &n);
    else
        n = geotag_edit_render(ed, ctx->engine->gazetteer, ctx->markup, buf);
    insert_bytes(ctx, bytes, n, f->c->bucket_alloc);
}

/* Reads a data bucket.  A backend that is slow (the read would block) gets
 * what we have passed on, with a FLUSH, before we wait for it. */
static apr_status_t read_bucket(ap_filter_t *f, geotag_ctx *ctx, apr_bucket *e,
                                const char **data, apr_size_t *len)
{
    apr_status_t rv = apr_bucket_read(e, data, len, APR_NONBLOCK_READ);
    if (APR_STATUS_IS_EAGAIN(rv)) {
        flush_acc(ctx, f->c->bucket_alloc);
        APR_BRIGADE_INSERT_TAIL(ctx->out,
                                apr_bucket_flush_create(f->c->bucket_alloc));
        if ((rv = pass_out(f, ctx)) != APR_SUCCESS)
            return rv;
        rv = apr_bucket_read(e, data, len, APR_BLOCK_READ);
    }
    return rv;
}

/* Replay stored edits over one bucket of the body, reading it only when
 * its length is unknown (or a short stretch of it is copied). */
static apr_status_t replay(ap_filter_t *f, geotag_ctx *ctx, apr_bucket *e)
{
    const geotag_edit *edits = (const geotag_edit *)ctx->replay.edits->elts;
    apr_status_t rv;

    if (e->length == (apr_size_t)-1) {
        const char *data;
        apr_size_t n;
        if ((rv = read_bucket(f, ctx, e, &data, &n)) != APR_SUCCESS)
            return rv;
    }
    else if (APR_BUCKET_IS_FILE(e)) {
        /* Many insertions in this file bucket: read (map) it once, since
         * splitting a file bucket costs a read or sendfile call per piece. */
        int i = ctx->replay_next, dense = 0;
        while (i < ctx->replay.edits->nelts && dense < DENSE_EDITS &&
               edits[i].offset < ctx->seen + (apr_off_t)e->length) {
            i++;
            dense++;
        }
        if (dense >= DENSE_EDITS) {
            const char *data;
            apr_size_t n;
            if ((rv = apr_bucket_read(e, &data, &n, APR_BLOCK_READ)) != APR_SUCCESS)
                return rv;
        }
    }
    APR_BUCKET_REMOVE(e);
    APR_BRIGADE_INSERT_TAIL(ctx->held, e);
    ctx->seen += (apr_off_t)e->length;
    while (ctx->replay_next < ctx->replay.edits->nelts &&
           edits[ctx->replay_next].offset < ctx->seen) {
        const geotag_edit *ed = &edits[ctx->replay_next++];
        if ((rv = release(f, ctx, ed->offset)) != APR_SUCCESS)
            return rv;
        insert_replayed(f, ctx, ed);
    }
    return release(f, ctx, ctx->seen);
}

/* The second replay of a page in this child: the page is hot, keep its
 * tagged body (see src/memo.c).  The first replay only counts. */
static void start_fill(request_rec *r, geotag_ctx *ctx)
{
    apr_size_t max = geotag_memo_max_entry(memo);
    apr_size_t cap;

    if (ctx->source_length < 0 || (apr_size_t)ctx->source_length >= max ||
        r->header_only)
        return;
    cap = (apr_size_t)ctx->source_length + ctx->source_length / 2 + 4096;
    if (cap > max)
        cap = max;
    if ((ctx->fill = malloc(cap)) == NULL)
        return;
    ctx->fill_cap = cap;
    apr_pool_cleanup_register(r->pool, ctx, free_fill, apr_pool_cleanup_null);
}

static void keep_in_memory(request_rec *r, geotag_ctx *ctx)
{
    geotag_server_conf *sc = ap_get_module_config(r->server->module_config,
                                                  &geotag_module);
    char *body = ctx->fill;

    if (!body)
        return;
    ctx->fill = NULL;
    if (ctx->error_bucket || r->no_cache || ctx->seen != ctx->source_length) {
        free(body);
        return;
    }
    if (geotag_memo_put(memo, ctx->key, sc->ttl, ctx->source_length,
                        ctx->replay.mentions, body, ctx->fill_len))
        geotag_count(GEOTAG_C_CACHE_MEMORY_STORE, 1);
}

static void replay_tail(ap_filter_t *f, geotag_ctx *ctx)
{
    const geotag_edit *edits = (const geotag_edit *)ctx->replay.edits->elts;
    while (ctx->replay_next < ctx->replay.edits->nelts) {
        const geotag_edit *ed = &edits[ctx->replay_next++];
        if (ed->offset != ctx->seen) {
            ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, f->r,
                          GTLOGNO(011) "cached edits do not fit the body of %s "
                          "(its validator did not change with it?)", f->r->uri);
            return;
        }
        insert_replayed(f, ctx, ed);
    }
}

static geotag_ctx *first_call(ap_filter_t *f, apr_bucket_brigade *bb,
                              apr_status_t *rv)
{
    request_rec *r = f->r;
    geotag_server_conf *sc = ap_get_module_config(r->server->module_config,
                                                  &geotag_module);
    geotag_dir_conf *d = ap_get_module_config(r->per_dir_config, &geotag_module);
    geotag_ctx *ctx;
    geotag_options opt;
    unsigned char config[APR_SHA1_DIGESTSIZE];

    geotag_count(GEOTAG_C_REQUESTS, 1);
#define ASIDE(counter, why)                                                  \
    do {                                                                     \
        *rv = step_aside(f, bb, counter, why);                               \
        return NULL;                                                         \
    } while (0)
    if (r->main)
        ASIDE(GEOTAG_C_SKIP_SUBREQUEST, "subrequest");
    if (apr_table_get(r->headers_out, "Content-Range") ||
        apr_table_get(r->err_headers_out, "Content-Range"))
        ASIDE(GEOTAG_C_SKIP_RANGE, "range");
    if (r->status != HTTP_OK) {
        etag_for_304(r);
        ASIDE(GEOTAG_C_SKIP_STATUS, "status");
    }
    if (!is_html(r->content_type))
        ASIDE(GEOTAG_C_SKIP_TYPE, "type");
    if (encoded(r)) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, GTLOGNO(012)
                      "%s is compressed: GEOTAG passes it untouched; "
                      "SetOutputFilter INFLATE;GEOTAG;DEFLATE would tag it",
                      r->uri);
        ASIDE(GEOTAG_C_SKIP_ENCODING, "encoding");
    }
    if (no_transform(r))
        ASIDE(GEOTAG_C_SKIP_NO_TRANSFORM, "no-transform");
    if (apr_table_get(r->subprocess_env, "no-geotag"))
        ASIDE(GEOTAG_C_SKIP_ENV, "no-geotag");
    if (!sc->engine)
        ASIDE(GEOTAG_C_ERRORS, "no-dictionary");

    ctx = apr_pcalloc(r->pool, sizeof(*ctx));
    ctx->engine = sc->engine;
    ctx->markup = d->markup >= 0 ? d->markup : GEOTAG_MARKUP_DATA;
    ctx->cache = sc->cache;
    config_digest(sc, d, config);
    ctx->cacheable = ctx->cache && cache_key(r, config, ctx->key);
    ctx->source_length = content_length(r);
#undef ASIDE
    /* HEAD is tagged like GET (the body is dropped further down), so that
     * its headers, Content-Length included, are the GET's. */
    change_headers(r, etag_suffix(r, config));
    ctx->out = apr_brigade_create(r->pool, f->c->bucket_alloc);
    ctx->held = apr_brigade_create(r->pool, f->c->bucket_alloc);
    apr_pool_cleanup_register(r->pool, ctx, free_acc, apr_pool_cleanup_null);

    if (ctx->cacheable && memo && ctx->source_length >= 0) {
        int mentions = 0;
        core_dir_config *core = ap_get_core_module_config(r->per_dir_config);
        /* a file of its own only where httpd would sendfile (or map) one */
        apr_bucket *b = geotag_memo_get(memo, ctx->key, ctx->source_length,
                                        core->enable_sendfile == ENABLE_SENDFILE_ON &&
                                        core->enable_mmap != ENABLE_MMAP_OFF,
                                        r->pool, f->c->bucket_alloc, &mentions);
        if (b) {
            ctx->mode = MODE_MEMORY;
            ctx->inserted = b->length - (apr_size_t)ctx->source_length;
            APR_BRIGADE_INSERT_TAIL(ctx->out, b);
            geotag_count(GEOTAG_C_CACHE_HIT, 1);
            geotag_count(GEOTAG_C_CACHE_MEMORY_HIT, 1);
            set_result(r, "hit", mentions);
            return ctx;
        }
    }
    if (ctx->cacheable) {
        unsigned char *buf = apr_palloc(r->pool, GEOTAG_CACHE_MAX_ENTRY);
        unsigned int len = GEOTAG_CACHE_MAX_ENTRY;
        if (geotag_cache_get(ctx->cache, r, ctx->key, sizeof(ctx->key), buf,
                             &len) == APR_SUCCESS &&
            geotag_result_parse(r->pool, buf, len, sc->engine->gazetteer,
                                &ctx->replay) == APR_SUCCESS) {
            ctx->mode = MODE_REPLAY;
            geotag_count(GEOTAG_C_CACHE_HIT, 1);
            set_result(r, "hit", ctx->replay.mentions);
            if (geotag_memo_admit(memo, ctx->key))
                start_fill(r, ctx);
            return ctx;
        }
        geotag_count(GEOTAG_C_CACHE_MISS, 1);
    }

    geotag_options_default(&opt);
    opt.charset = charset_of(r);
    opt.url = ap_construct_url(r->pool, r->uri, r);
    if (d->language && strcasecmp(d->language, "auto") != 0)
        opt.lang = d->language;
    opt.types = dir_types(d);
    opt.first_only = d->first_only == 1;
    opt.jsonld = d->jsonld != 0;
    opt.markup = ctx->markup;
    opt.scope = d->scope;
    opt.n_scope = d->n_scope;
    opt.log = engine_log;
    opt.log_baton = r;
    ctx->session = geotag_session_create(r->pool, sc->engine, &opt);
    if (ctx->cacheable)
        ctx->record = apr_array_make(r->pool, 64, sizeof(geotag_edit));
    /* provisional, for response headers that leave before the end; the
     * final outcome replaces it for the access log */
    set_result(r, ctx->cacheable ? "miss" : "uncached", -1);
    ctx->mode = MODE_TAG;
    return ctx;
}

static void finish_counts(request_rec *r, geotag_ctx *ctx)
{
    geotag_count(GEOTAG_C_BYTES_IN, (apr_uint64_t)ctx->seen);
    geotag_count(GEOTAG_C_BYTES_ZERO_COPY, (apr_uint64_t)ctx->zero_copy);
    geotag_count(GEOTAG_C_BYTES_INSERTED, ctx->inserted);
    if (ctx->inserted)
        geotag_count(GEOTAG_C_TAGGED, 1);
    else
        geotag_count(GEOTAG_C_UNCHANGED, 1);
    if (ctx->mode == MODE_TAG) {
        geotag_status st = geotag_session_status(ctx->session);
        const char *result = ctx->cacheable ? "miss" : "uncached";
        if (st != GEOTAG_STATUS_TAGGED && st != GEOTAG_STATUS_NOTHING) {
            result = apr_pstrcat(r->pool, "page:", geotag_status_name(st), NULL);
            geotag_count(GEOTAG_C_SKIP_PAGE, 1);
        }
        set_result(r, result, geotag_session_mentions(ctx->session));
    }
}

static apr_status_t geotag_out_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    geotag_ctx *ctx = f->ctx;
    request_rec *r = f->r;
    apr_status_t rv = APR_SUCCESS;

    if (APR_BRIGADE_EMPTY(bb))
        return APR_SUCCESS;
    if (!ctx) {
        ctx = f->ctx = first_call(f, bb, &rv);
        if (!ctx)
            return rv;
    }

    while (!APR_BRIGADE_EMPTY(bb)) {
        apr_bucket *e = APR_BRIGADE_FIRST(bb);

        if (APR_BUCKET_IS_EOS(e)) {
            if (ctx->mode == MODE_TAG) {
                geotag_session_finish(ctx->session);
                if ((rv = emit_ready(f, ctx)) != APR_SUCCESS)
                    return rv;
                if ((rv = release(f, ctx, ctx->seen)) != APR_SUCCESS)
                    return rv;
                store_result(f, ctx);
            }
            else if (ctx->mode == MODE_REPLAY) {
                if ((rv = release(f, ctx, ctx->seen)) != APR_SUCCESS)
                    return rv;
                replay_tail(f, ctx);
            }
            else if (ctx->mode == MODE_MEMORY && ctx->seen != ctx->source_length) {
                ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, GTLOGNO(016)
                              "the body of %s was %" APR_OFF_T_FMT " bytes, "
                              "not the %" APR_OFF_T_FMT " of its Content-Length"
                              " (the tagged copy in memory went out)",
                              r->uri, ctx->seen, ctx->source_length);
            }
            if ((rv = move_held(f, ctx)) != APR_SUCCESS)
                return rv;
            finish_counts(r, ctx);
            APR_BUCKET_REMOVE(e);
            APR_BRIGADE_INSERT_TAIL(ctx->out, e);
            ap_remove_output_filter(f);
            rv = pass_out(f, ctx);
            if (ctx->fill && rv == APR_SUCCESS)
                keep_in_memory(r, ctx);
            apr_brigade_cleanup(bb);
            return rv;
        }
        if (APR_BUCKET_IS_FLUSH(e)) {
            APR_BUCKET_REMOVE(e);
            flush_acc(ctx, f->c->bucket_alloc);
            if (ctx->mode == MODE_PASS && (rv = move_held(f, ctx)) != APR_SUCCESS)
                return rv;
            APR_BRIGADE_INSERT_TAIL(ctx->out, e);
            if ((rv = pass_out(f, ctx)) != APR_SUCCESS)
                return rv;
            continue;
        }
        if (APR_BUCKET_IS_METADATA(e)) {
            if (AP_BUCKET_IS_ERROR(e))
                ctx->error_bucket = 1;
            /* kept in order with the data around it */
            APR_BUCKET_REMOVE(e);
            APR_BRIGADE_INSERT_TAIL(ctx->held, e);
            continue;
        }

        if (ctx->mode == MODE_MEMORY) {
            /* the tagged body is already on its way: the page's own bytes
             * are counted and dropped, a file unread */
            if (e->length == (apr_size_t)-1) {
                const char *data;
                apr_size_t n;
                if ((rv = read_bucket(f, ctx, e, &data, &n)) != APR_SUCCESS)
                    return rv;
            }
            ctx->seen += (apr_off_t)e->length;
            apr_bucket_delete(e);
            continue;
        }
        if (ctx->mode == MODE_REPLAY) {
            if ((rv = replay(f, ctx, e)) != APR_SUCCESS) {
                ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r, GTLOGNO(013)
                              "reading the response body of %s", r->uri);
                return rv;
            }
            if ((rv = pass_some(f, ctx)) != APR_SUCCESS)
                return rv;
            continue;
        }
        {
            const char *data;
            apr_size_t len;
            /* The engine reads every byte once: read(2) into the bucket
             * allocator's blocks costs less than mapping the file and
             * unmapping it again (page faults, and a TLB shootdown across
             * the threads of a threaded child) */
            if (APR_BUCKET_IS_FILE(e)) {
                apr_bucket_file_enable_mmap(e, 0);
                /* one read for a page, 64 KB at a time for a big file
                 * (APR reads 8000 bytes per call otherwise) */
                apr_bucket_file_set_buf_size(e, e->length < PASS_EVERY ?
                                                (apr_size_t)e->length : PASS_EVERY);
            }
            if ((rv = read_bucket(f, ctx, e, &data, &len)) != APR_SUCCESS) {
                ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r, GTLOGNO(014)
                              "reading the response body of %s", r->uri);
                return rv;
            }
            APR_BUCKET_REMOVE(e);
            APR_BRIGADE_INSERT_TAIL(ctx->held, e);
            ctx->seen += (apr_off_t)len;
            if (ctx->mode == MODE_TAG && len > 0) {
                geotag_session_feed(ctx->session, data, len);
                if ((rv = emit_ready(f, ctx)) != APR_SUCCESS) {
                    /* fail open: what is held goes out untouched */
                    ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r, GTLOGNO(015)
                                  "splitting the body of %s: the rest passes "
                                  "untagged", r->uri);
                    geotag_count(GEOTAG_C_ERRORS, 1);
                    ctx->mode = MODE_PASS;
                    ctx->cacheable = 0;
                }
            }
            if (ctx->mode == MODE_PASS && (rv = move_held(f, ctx)) != APR_SUCCESS)
                return rv;
            if ((rv = pass_some(f, ctx)) != APR_SUCCESS)
                return rv;
        }
    }

    if ((rv = pass_out(f, ctx)) != APR_SUCCESS)
        return rv;
    /* what we keep must outlive this call's buckets */
    {
        apr_bucket *b;
        for (b = APR_BRIGADE_FIRST(ctx->held); b != APR_BRIGADE_SENTINEL(ctx->held);
             b = APR_BUCKET_NEXT(b)) {
            rv = apr_bucket_setaside(b, r->pool);
            if (rv != APR_SUCCESS && rv != APR_ENOTIMPL)
                return rv;
        }
    }
    return APR_SUCCESS;
}

/* ------------------------------------------------------------------ */

static void geotag_status_cache_section(request_rec *r, int flags)
{
    geotag_server_conf *sc = ap_get_module_config(r->server->module_config,
                                                  &geotag_module);
    if (flags & AP_STATUS_SHORT)
        ap_rprintf(r, "GeoTagCache: %s\n", geotag_cache_describe(sc->cache));
    else
        ap_rprintf(r, "cache: %s\n", geotag_cache_describe(sc->cache));
    /* per child: what this one (the one answering) holds */
    if (flags & AP_STATUS_SHORT)
        ap_rprintf(r, "GeoTagCacheMemoryPages: %d\nGeoTagCacheMemoryBytes: %"
                   APR_SIZE_T_FMT "\nGeoTagCacheMemoryBudget: %" APR_SIZE_T_FMT "\n",
                   geotag_memo_entries(memo), geotag_memo_used(memo),
                   geotag_memo_budget(memo));
    else
        ap_rprintf(r, "this child's memory (GeoTagCacheMemory): %d pages, %"
                   APR_SIZE_T_FMT " of %" APR_SIZE_T_FMT " bytes\n",
                   geotag_memo_entries(memo), geotag_memo_used(memo),
                   geotag_memo_budget(memo));
    if (sc->cache)
        geotag_cache_status(sc->cache, r, flags);
}

static void geotag_register_hooks(apr_pool_t *p)
{
    geotag_filter_handle = ap_register_output_filter_protocol(
        "GEOTAG", geotag_out_filter, geotag_filter_init,
        AP_FTYPE_CONTENT_SET - 1,
        AP_FILTER_PROTO_CHANGE | AP_FILTER_PROTO_CHANGE_LENGTH);
    ap_hook_pre_config(geotag_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_check_config(geotag_check_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(geotag_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(geotag_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_insert_filter(geotag_insert_filter, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_insert_error_filter(geotag_insert_error_filter, NULL, NULL,
                                APR_HOOK_MIDDLE);
    geotag_status_register_hooks(p);
    geotag_status_set_extra(geotag_status_cache_section);
}

AP_DECLARE_MODULE(geotag) = {
    STANDARD20_MODULE_STUFF,
    create_dir_conf,
    merge_dir_conf,
    create_server_conf,
    merge_server_conf,
    geotag_cmds,
    geotag_register_hooks,
    AP_MODULE_FLAG_ALWAYS_MERGE
};
