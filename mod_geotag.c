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
#include <unistd.h>

#include "apr_strings.h"
#include "apr_sha1.h"
#include "apr_lib.h"
#include "apr_portable.h"

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
} geotag_dir_conf;

typedef enum {
    MODE_TAG,     /* engine session on the body */
    MODE_REPLAY,  /* stored edits, body not read */
    MODE_MEMORY,  /* the tagged body from the child's memory, body dropped */
    MODE_PASS     /* fail open, or a page the engine gave up on: the rest
                     goes through untouched, unread */
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
    const unsigned char *secret; /* GeoTagCacheSecret's bytes ("" if none) */
    apr_size_t secret_len;
    unsigned char key[APR_SHA1_DIGESTSIZE];
    int cacheable;
    int strong_etag;            /* the key holds a strong ETag (else
                                   Last-Modified + Content-Length) */
    apr_array_header_t *record; /* geotag_edit, for the cache */
    apr_array_header_t *record_checks; /* geotag_edit_check, beside it */
    int record_full;
    int error_bucket;
    /* replay */
    geotag_result replay;
    int replay_next;
    /* nothing passed on yet, and the whole body is in this call's brigade:
     * it leaves in one brigade (see body_in_hand()) */
    int in_hand;
    int passed;
    const char *uncached;       /* "miss", or why not cached (MODE_TAG) */
    int stopped;                /* MODE_PASS because the session gave up on
                                   the page: its outcome still counts */
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
    c->secret = add->secret ? add->secret : base->secret;
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

static const char *set_secret(cmd_parms *cmd, void *dummy, const char *arg)
{
    geotag_server_conf *c = ap_get_module_config(cmd->server->module_config,
                                                 &geotag_module);
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
    {NULL}
};

/* ------------------------------------------------------------------ */
/* dictionaries: loaded when the configuration is checked, so that a   */
/* broken one fails `apachectl -t` with file:line and the reason       */

static const char *default_dictionary(apr_pool_t *p)
{
    return apr_pstrcat(p, GEOTAG_CONF_DIR, "/gazetteer.xml", NULL);
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
        ap_bin2hex(c->engine->gazetteer->digest,
                   sizeof(c->engine->gazetteer->digest), c->digest_hex);
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
    if (c->cache && !geotag_cache_is_local(c->cache) && !c->secret)
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s, GTLOGNO(004)
                     "GeoTagCache %s without GeoTagCacheSecret: whoever can "
                     "write to it can make this server insert what they "
                     "like into its pages", geotag_cache_describe(c->cache));
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
    /* only when set: the digests (and ETags) of other configurations stay */
    if (d->max_mentions) {
        apr_snprintf(buf, sizeof(buf), "|m%d", d->max_mentions);
        apr_sha1_update(&sha, buf, strlen(buf));
    }
    apr_sha1_final(out, &sha);
}

/* "-gt" + 8 hex digits of the config digest: the suffix our ETags carry
 * inside the quotes. */
static const char *etag_suffix(request_rec *r,
                               const unsigned char digest[APR_SHA1_DIGESTSIZE])
{
    char *s = apr_palloc(r->pool, 3 + 8 + 1);
    memcpy(s, "-gt", 3);
    ap_bin2hex(digest, 4, s + 3);
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

/* Every field of a response header, joined with ", " (a CGI's headers
 * land in err_headers_out), or NULL. */
static const char *response_header(request_rec *r, const char *name)
{
    const char *out = apr_table_getm(r->pool, r->headers_out, name);
    const char *err = apr_table_getm(r->pool, r->err_headers_out, name);
    if (out && err)
        return apr_pstrcat(r->pool, out, ", ", err, NULL);
    return out ? out : err;
}

/* The Cache-Control directives the filter acts on. */
enum {
    CC_NO_STORE = 1 << 0,
    CC_PRIVATE = 1 << 1,
    CC_PUBLIC = 1 << 2,
    CC_S_MAXAGE = 1 << 3,
    CC_MUST_REVALIDATE = 1 << 4,
    CC_NO_TRANSFORM = 1 << 5
};

/* The CC_ flags of the directives a Cache-Control value holds (by name,
 * with or without an argument; quoted arguments may hold commas), parsed
 * once per header. */
static unsigned cache_control_parse(const char *value)
{
    static const struct {
        const char *name;
        apr_size_t len;
        unsigned flag;
    } known[] = {
        {"no-store", 8, CC_NO_STORE},
        {"private", 7, CC_PRIVATE},
        {"public", 6, CC_PUBLIC},
        {"s-maxage", 8, CC_S_MAXAGE},
        {"must-revalidate", 15, CC_MUST_REVALIDATE},
        {"no-transform", 12, CC_NO_TRANSFORM},
    };
    const char *p = value;
    unsigned flags = 0;

    while (p && *p) {
        int quoted = 0;
        apr_size_t i;
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
            apr_size_t n = known[i].len;
            if (!strncasecmp(p, known[i].name, n) &&
                (p[n] == '\0' || p[n] == ',' || p[n] == '=' || p[n] == ' ' ||
                 p[n] == '\t')) {
                flags |= known[i].flag;
                break;
            }
        }
        for (; *p && (quoted || *p != ','); p++) {
            if (*p == '"')
                quoted = !quoted;
            else if (*p == '\\' && quoted && p[1])
                p++;
        }
    }
    return flags;
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

static int engine_level(int level)
{
    return level <= GEOTAG_LOG_ERROR ? APLOG_ERR
         : level == GEOTAG_LOG_WARNING ? APLOG_WARNING
         : level == GEOTAG_LOG_INFO ? APLOG_INFO : APLOG_DEBUG;
}

/* The engine asks before it formats: per request and module, as
 * "LogLevel geotag:debug" or a <Location>'s LogLevel set it. */
static int engine_log_is_level(void *baton, int level)
{
    request_rec *r = baton;
    return APLOG_R_IS_LEVEL(r, engine_level(level));
}

/* The message carries its own number (GT2xx) and the engine's file and
 * line, as mod_md's core messages do. */
static void engine_log(void *baton, int level, const char *file, int line,
                       const char *message)
{
    request_rec *r = baton;
    ap_log_rerror(file, line, APLOG_MODULE_INDEX, engine_level(level), 0, r,
                  "%s (%s)", message, r->uri);
}

/*
 * What may be cached, decided as mod_cache decides it (RFC 9111).  The
 * cache holds edits, not pages, and a hit is always replayed onto the
 * origin's fresh response; but edits and the JSON-LD carry what a page
 * says, and a child's memory keeps whole pages: so a response a shared
 * cache must not store (§3, §3.5) is neither stored nor looked up.
 */
typedef enum {
    CACHEABLE = 0,
    UNCACHED_OFF,            /* no GeoTagCache */
    UNCACHED_VALIDATOR,      /* no strong ETag, no Last-Modified + length */
    UNCACHED_PRIVATE,        /* Cache-Control: private (§5.2.2.7) */
    UNCACHED_NO_STORE,       /* no-store, in the response or request (§5.2) */
    UNCACHED_SET_COOKIE,     /* a response that sets a cookie is someone's */
    UNCACHED_AUTHORIZATION,  /* §3.5, unless public, s-maxage, must-revalidate */
    UNCACHED_VARY            /* Vary: * (§4.1) */
} uncached_reason;

static const struct {
    const char *result;          /* geotag-result */
    geotag_counter counter;
} uncached_reasons[] = {
    [UNCACHED_OFF] = {"uncached:off", GEOTAG_C_UNCACHED_OFF},
    [UNCACHED_VALIDATOR] = {"uncached:validator", GEOTAG_C_UNCACHED_VALIDATOR},
    [UNCACHED_PRIVATE] = {"uncached:private", GEOTAG_C_UNCACHED_PRIVATE},
    [UNCACHED_NO_STORE] = {"uncached:no-store", GEOTAG_C_UNCACHED_NO_STORE},
    [UNCACHED_SET_COOKIE] = {"uncached:set-cookie", GEOTAG_C_UNCACHED_SET_COOKIE},
    [UNCACHED_AUTHORIZATION] = {"uncached:authorization",
                                GEOTAG_C_UNCACHED_AUTHORIZATION},
    [UNCACHED_VARY] = {"uncached:vary", GEOTAG_C_UNCACHED_VARY},
};

/* The source's validator for the key ("E" + a strong ETag, or "L" +
 * Last-Modified + Content-Length when there is no ETag), or NULL: weak
 * ETags are not trusted. */
static const char *source_validator(request_rec *r, int *strong_etag)
{
    const char *etag = apr_table_get(r->headers_out, "ETag");
    const char *lm, *cl;

    *strong_etag = 0;
    if (etag && strncmp(etag, "W/", 2) != 0) {
        *strong_etag = 1;
        return apr_pstrcat(r->pool, "E", etag, NULL);
    }
    lm = apr_table_get(r->headers_out, "Last-Modified");
    cl = apr_table_get(r->headers_out, "Content-Length");
    if (lm && cl && !etag)
        return apr_pstrcat(r->pool, "L", lm, "|", cl, NULL);
    return NULL;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A response's Vary, tokenized once for the cacheability decision and
 * the key: the header names it lists, lower-cased, sorted, each once. */
typedef struct {
    apr_array_header_t *names; /* char *; NULL when there is no Vary */
    int star;                  /* it lists "*" */
} vary_names;

static void vary_parse(apr_pool_t *pool, const char *vary, vary_names *out)
{
    char *copy, *tok, *last;
    int i, kept = 0;

    out->names = NULL;
    out->star = 0;
    if (!vary)
        return;
    out->names = apr_array_make(pool, 4, sizeof(char *));
    copy = apr_pstrdup(pool, vary);
    for (tok = apr_strtok(copy, ", \t", &last); tok;
         tok = apr_strtok(NULL, ", \t", &last)) {
        if (!strcmp(tok, "*"))
            out->star = 1;
        ap_str_tolower(tok);
        APR_ARRAY_PUSH(out->names, char *) = tok;
    }
    qsort(out->names->elts, out->names->nelts, sizeof(char *), compare_names);
    for (i = 0; i < out->names->nelts; i++) {
        char *name = APR_ARRAY_IDX(out->names, i, char *);
        if (kept > 0 &&
            !strcmp(name, APR_ARRAY_IDX(out->names, kept - 1, char *)))
            continue;
        APR_ARRAY_IDX(out->names, kept++, char *) = name;
    }
    out->names->nelts = kept;
}

/* The request headers a Vary response was chosen by, in the key: each
 * named header with every value the request gave it, or a mark for none. */
static void key_vary(request_rec *r, const vary_names *vary,
                     apr_sha1_ctx_t *sha)
{
    int i;

    for (i = 0; i < vary->names->nelts; i++) {
        const char *name = APR_ARRAY_IDX(vary->names, i, char *);
        const char *value = apr_table_getm(r->pool, r->headers_in, name);
        apr_sha1_update(sha, "|vary:", 6);
        apr_sha1_update(sha, name, strlen(name));
        apr_sha1_update(sha, value ? "=" : "!", 1);
        if (value)
            apr_sha1_update(sha, value, strlen(value));
    }
}

/* cc: the response's Cache-Control, parsed (CC_ flags). */
static uncached_reason cacheability(request_rec *r, const geotag_cache *cache,
                                    const char *validator, unsigned cc,
                                    const vary_names *vary)
{
    unsigned request_cc = cache_control_parse(
        apr_table_getm(r->pool, r->headers_in, "Cache-Control"));

    if (!cache)
        return UNCACHED_OFF;
    if ((cc | request_cc) & CC_NO_STORE)
        return UNCACHED_NO_STORE;
    if (cc & CC_PRIVATE)
        return UNCACHED_PRIVATE;
    if (response_header(r, "Set-Cookie") || response_header(r, "Set-Cookie2"))
        return UNCACHED_SET_COOKIE;
    if (apr_table_get(r->headers_in, "Authorization") &&
        !(cc & (CC_PUBLIC | CC_S_MAXAGE | CC_MUST_REVALIDATE)))
        return UNCACHED_AUTHORIZATION;
    if (vary->star)
        return UNCACHED_VARY;
    if (!validator)
        return UNCACHED_VALIDATOR;
    return CACHEABLE;
}

/* The port the key and the fallback URL name: ServerName's, else (key)
 * the port the connection came in on; never the client's Host header. */
static apr_port_t server_port(request_rec *r)
{
    if (r->server->port)
        return r->server->port;
    return r->connection->local_addr ? r->connection->local_addr->port : 0;
}

/*
 * The cache key: the representation we would produce.  It names the
 * virtual host by the server that answers (its canonical name and port,
 * and the addresses of an IP-based virtual host), never by the Host
 * header: port-based virtual hosts serving the same path never share an
 * entry, and random Host values cannot fill the cache.  The version mark
 * keeps two versions of the module on one farm cache apart.
 */
static void cache_key(request_rec *r, const char *validator,
                      const vary_names *vary,
                      const unsigned char config[APR_SHA1_DIGESTSIZE],
                      unsigned char *key)
{
    const char *host = r->server->server_hostname;
    server_addr_rec *addr;
    apr_sha1_ctx_t sha;
    char port[16];

    apr_sha1_init(&sha);
    apr_sha1_update(&sha, "geotag-key-2|", 13);
    apr_sha1_update(&sha, ap_http_scheme(r), strlen(ap_http_scheme(r)));
    apr_sha1_update(&sha, "|", 1);
    if (host)
        apr_sha1_update(&sha, host, strlen(host));
    apr_snprintf(port, sizeof(port), "|%u|", (unsigned)server_port(r));
    apr_sha1_update(&sha, port, strlen(port));
    for (addr = r->server->addrs; addr; addr = addr->next) {
        /* "*" and _default_ name no address: name-based and port-based
         * virtual hosts stay the same on every server of a farm */
        if (addr->virthost && strcmp(addr->virthost, "*") &&
            strcasecmp(addr->virthost, "_default_")) {
            apr_sha1_update(&sha, addr->virthost, strlen(addr->virthost));
            apr_snprintf(port, sizeof(port), ":%u;", (unsigned)addr->host_port);
            apr_sha1_update(&sha, port, strlen(port));
        }
    }
    apr_sha1_update(&sha, "|", 1);
    apr_sha1_update(&sha, r->uri, strlen(r->uri));
    apr_sha1_update(&sha, "?", 1);
    if (r->args)
        apr_sha1_update(&sha, r->args, strlen(r->args));
    apr_sha1_update(&sha, "|", 1);
    apr_sha1_update(&sha, validator, strlen(validator));
    if (vary->names)
        key_vary(r, vary, &sha);
    apr_sha1_update(&sha, "|", 1);
    apr_sha1_update_binary(&sha, config, APR_SHA1_DIGESTSIZE);
    apr_sha1_final(key, &sha);
}

/* The request URL for the JSON-LD's fallback subject, from the virtual
 * host's ServerName and port (as UseCanonicalName On builds it), never
 * from the Host header: what one client sends must not become what every
 * client reads. */
static const char *canonical_url(request_rec *r)
{
    const char *host = r->server->server_hostname ? r->server->server_hostname
                                                  : "localhost";
    apr_port_t port = r->server->port ? r->server->port : ap_default_port(r);
    int literal6 = strchr(host, ':') != NULL && host[0] != '[';

    return apr_pstrcat(r->pool, ap_http_scheme(r), "://", literal6 ? "[" : "",
                       host, literal6 ? "]" : "",
                       ap_is_default_port(port, r) ? ""
                           : apr_psprintf(r->pool, ":%u", (unsigned)port),
                       r->uri, NULL);
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
    ctx->passed = 1;
    rv = ap_pass_brigade(f->next, ctx->out);
    apr_brigade_cleanup(ctx->out);
    return rv;
}

/* Passes what is ready on when PASS_EVERY more body bytes have come in
 * since the last time (never while the whole body is in hand). */
static apr_status_t pass_some(ap_filter_t *f, geotag_ctx *ctx)
{
    if (ctx->in_hand || ctx->seen - ctx->passed_at < PASS_EVERY)
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

/*
 * The check hash of the original bytes [from, from + n), read where they
 * wait in ctx->held (from >= held_offset).  A file bucket is read with
 * pread(2): the bucket stays a file (sendfile) and its descriptor's offset
 * is not moved.  APR_INCOMPLETE when the bytes are not all there.
 */
static apr_status_t held_hash(geotag_ctx *ctx, apr_off_t from, apr_size_t n,
                              apr_uint32_t *hash)
{
    apr_uint32_t h = GEOTAG_RESULT_CHECK_SEED;
    apr_off_t at = ctx->held_offset;  /* offset of b's first unread byte */
    apr_size_t skip = ctx->held_skip;
    apr_bucket *b;
    apr_status_t rv;

    for (b = APR_BRIGADE_FIRST(ctx->held);
         n > 0 && b != APR_BRIGADE_SENTINEL(ctx->held);
         b = APR_BUCKET_NEXT(b), skip = 0) {
        apr_size_t have, into, take;
        const char *data;
        char buf[GEOTAG_RESULT_CHECK_MAX];

        if (APR_BUCKET_IS_METADATA(b) || b->length == (apr_size_t)-1)
            continue;
        have = b->length - skip;
        if (at + (apr_off_t)have <= from) {
            at += (apr_off_t)have;
            continue;
        }
        into = (apr_size_t)(from - at);
        take = have - into < n ? have - into : n;
        if (APR_BUCKET_IS_FILE(b) && take <= sizeof(buf)) {
            apr_bucket_file *file = b->data;
            apr_os_file_t fd;
            if (apr_os_file_get(&fd, file->fd) != APR_SUCCESS ||
                pread(fd, buf, take, b->start + (apr_off_t)(skip + into)) !=
                    (ssize_t)take)
                return APR_EGENERAL;
            data = buf;
        }
        else {
            apr_size_t len;
            if ((rv = apr_bucket_read(b, &data, &len, APR_BLOCK_READ)) !=
                APR_SUCCESS)
                return rv;
            data += skip + into;
        }
        h = geotag_result_check_hash(h, data, take);
        n -= take;
        from += (apr_off_t)take;
        at += (apr_off_t)have;
    }
    if (n > 0)
        return APR_INCOMPLETE;
    *hash = h;
    return APR_SUCCESS;
}

/* What a replay will check of an edit about to be recorded: the bytes
 * after its offset that are in hand. */
static void record_check(geotag_ctx *ctx, const geotag_edit *e)
{
    geotag_edit_check *check = apr_array_push(ctx->record_checks);
    apr_off_t left = ctx->seen - e->offset;

    check->window = (unsigned char)(left < GEOTAG_RESULT_CHECK_MAX
                                    ? (left > 0 ? left : 0)
                                    : GEOTAG_RESULT_CHECK_MAX);
    check->hash = 0;
    if (check->window &&
        held_hash(ctx, e->offset, check->window, &check->hash) != APR_SUCCESS)
        check->window = 0;
}

/* Pass on everything the engine has made final. */
static apr_status_t emit_ready(ap_filter_t *f, geotag_ctx *ctx)
{
    geotag_edit e;
    apr_status_t rv;
    char buf[GEOTAG_EDIT_RENDER_MAX];
    while (geotag_session_next_edit(ctx->session, &e)) {
        apr_size_t len;
        const char *bytes;
        if (ctx->record && !ctx->record_full &&
            ctx->record->nelts < RECORD_MAX_EDITS)
            record_check(ctx, &e);
        if ((rv = release(f, ctx, e.offset)) != APR_SUCCESS)
            return rv;
        bytes = geotag_session_render(ctx->session, &e, f->r->pool, buf, &len);
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
    if (!ctx->cacheable || ctx->record_full || ctx->error_bucket ||
        r->no_cache)
        return;
    /* a HEAD may come without its body (through a proxy): what it saw is
     * not the page */
    if (r->header_only)
        return;
    memset(&res, 0, sizeof(res));
    res.edits = ctx->record;
    res.checks = ctx->record_checks;
    res.length = ctx->seen;
    geotag_session_document(ctx->session, r->pool, &res.doc);
    res.status = geotag_session_status(ctx->session);
    res.mentions = geotag_session_mentions(ctx->session);
    if (geotag_result_serialize(r->pool, &res, &data, &len) != APR_SUCCESS) {
        geotag_count(GEOTAG_C_CACHE_STORE_FAILED, 1);
        return;
    }
    geotag_result_seal(r->pool, data, len, ctx->key, sizeof(ctx->key),
                       ctx->secret, ctx->secret_len, &data, &len);
    if (len > GEOTAG_CACHE_MAX_ENTRY ||
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
    apr_size_t n;
    const char *bytes = geotag_edit_render_any(ed, ctx->engine->gazetteer,
                                               ctx->markup, &ctx->replay.doc,
                                               f->r->pool, buf, &n);

    insert_bytes(ctx, bytes, n, f->c->bucket_alloc);
}

/* Reads a data bucket.  A backend that is slow (the read would block) gets
 * what we have passed on, with a FLUSH, before we wait for it. */
static apr_status_t read_bucket(ap_filter_t *f, geotag_ctx *ctx, apr_bucket *e,
                                const char **data, apr_size_t *len)
{
    apr_status_t rv = apr_bucket_read(e, data, len,
                                      ctx->in_hand ? APR_BLOCK_READ
                                                   : APR_NONBLOCK_READ);
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

/* A bucket of unknown length (a pipe, a socket) is read, so that its
 * length is known; others are left unread. */
static apr_status_t know_length(ap_filter_t *f, geotag_ctx *ctx, apr_bucket *e)
{
    const char *data;
    apr_size_t n;

    if (e->length != (apr_size_t)-1)
        return APR_SUCCESS;
    return read_bucket(f, ctx, e, &data, &n);
}

/* The edits of one inline element (an open edit to its close) or a lone
 * edit, from edits[i]: the index after them. */
static int replay_atom_end(const geotag_result *res, int i)
{
    const geotag_edit *edits = (const geotag_edit *)res->edits->elts;
    int depth = 0;

    do {
        switch (edits[i].kind) {
        case GEOTAG_EDIT_OPEN_ENTITY:
        case GEOTAG_EDIT_OPEN_FIGURE:
        case GEOTAG_EDIT_OPEN_DATE:
            depth++;
            break;
        case GEOTAG_EDIT_CLOSE_ENTITY:
        case GEOTAG_EDIT_CLOSE_FIGURE:
        case GEOTAG_EDIT_CLOSE_DATE:
            depth--;
            break;
        }
        i++;
    } while (depth > 0 && i < res->edits->nelts);
    return i;
}

/*
 * The stored edits did not fit the body (its validator did not change
 * with it): what was inserted so far is whole (elements are checked and
 * inserted whole), the rest passes untouched, the entry is dropped.
 */
static void replay_mismatch(ap_filter_t *f, geotag_ctx *ctx)
{
    static geotag_log_limit limit;
    apr_uint32_t held_back;

    geotag_count(GEOTAG_C_CACHE_REPLAY_MISMATCH, 1);
    if (geotag_log_allowed(&limit, &held_back))
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, f->r, GTLOGNO(011)
                      "the cached edits of %s do not fit its body (its "
                      "validator did not change with it?): the rest passes "
                      "untagged and the entry is dropped (%u more held back "
                      "since the last line)", f->r->uri, held_back);
    geotag_cache_remove(ctx->cache, f->r, ctx->key, sizeof(ctx->key));
    free_fill(ctx);
    ctx->mode = MODE_PASS;
    set_result(f->r, "mismatch", -1);
}

/*
 * Inserts the stored edits whose bytes are in hand, an element at a time:
 * the checks of all its edits first (the bytes after each offset must be
 * those the edits were made on), then its insertions, so markup never
 * lands inside a word or a tag of a body that changed under its
 * validator, and never stays open.  Bytes from the next edit on stay held
 * until they can be checked.  At the end of the body (eos), what cannot
 * be checked any more is a mismatch.
 */
static apr_status_t replay_ready(ap_filter_t *f, geotag_ctx *ctx, int eos)
{
    const geotag_edit *edits = (const geotag_edit *)ctx->replay.edits->elts;
    const geotag_edit_check *checks =
        (const geotag_edit_check *)ctx->replay.checks->elts;
    int n = ctx->replay.edits->nelts;
    apr_status_t rv;

    while (ctx->replay_next < n) {
        int end = replay_atom_end(&ctx->replay, ctx->replay_next), k;
        apr_off_t need = 0;

        for (k = ctx->replay_next; k < end; k++)
            if (edits[k].offset + checks[k].window > need)
                need = edits[k].offset + checks[k].window;
        if (need > ctx->seen) {
            /* a HEAD through a proxy has no body to check: not a mismatch */
            if (!eos || f->r->header_only)
                break;
            replay_mismatch(f, ctx);
            return APR_SUCCESS;
        }
        for (k = ctx->replay_next; k < end; k++) {
            apr_uint32_t hash;
            if (checks[k].window &&
                (held_hash(ctx, edits[k].offset, checks[k].window, &hash) !=
                     APR_SUCCESS || hash != checks[k].hash)) {
                replay_mismatch(f, ctx);
                return APR_SUCCESS;
            }
        }
        for (k = ctx->replay_next; k < end; k++) {
            if ((rv = release(f, ctx, edits[k].offset)) != APR_SUCCESS)
                return rv;
            insert_replayed(f, ctx, &edits[k]);
        }
        ctx->replay_next = end;
    }
    return release(f, ctx, ctx->replay_next < n &&
                           edits[ctx->replay_next].offset < ctx->seen
                           ? edits[ctx->replay_next].offset : ctx->seen);
}

/* Replay stored edits over one bucket of the body, reading it only when
 * its length is unknown (or a short stretch of it is copied). */
static apr_status_t replay(ap_filter_t *f, geotag_ctx *ctx, apr_bucket *e)
{
    const geotag_edit *edits = (const geotag_edit *)ctx->replay.edits->elts;
    apr_status_t rv;

    if (e->length == (apr_size_t)-1) {
        if ((rv = know_length(f, ctx, e)) != APR_SUCCESS)
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
    return replay_ready(f, ctx, 0);
}

/* The second replay of a page in this child: the page is hot, keep its
 * tagged body (see src/memo.c).  The first replay only counts. */
static void start_fill(request_rec *r, geotag_ctx *ctx)
{
    apr_size_t max = geotag_memo_max_entry(memo);
    apr_size_t cap;

    /* a hit from memory drops the page's buckets unread: nothing could
     * check them, so only a strong ETag vouches for them */
    if (!ctx->strong_etag || ctx->source_length < 0 ||
        (apr_size_t)ctx->source_length >= max || r->header_only)
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
    if (ctx->mode != MODE_REPLAY || ctx->error_bucket || r->no_cache ||
        ctx->seen != ctx->source_length) {
        free(body);
        return;
    }
    if (geotag_memo_put(memo, ctx->key, sc->ttl, ctx->source_length,
                        ctx->replay.mentions, body, ctx->fill_len))
        geotag_count(GEOTAG_C_CACHE_MEMORY_STORE, 1);
}

/*
 * The cache's entry for this response, into ctx->replay: 1 when there is
 * one to replay.  An entry is refused (and counted) when its tag is wrong
 * (another GeoTagCacheSecret, or written by someone who has none), when
 * it is of another version or malformed; one made on a body of another
 * length than the Content-Length at hand is dropped as a mismatch.  Either
 * way the page is tagged anew and the entry replaced.
 */
static int look_up(request_rec *r, geotag_ctx *ctx,
                   const geotag_server_conf *sc)
{
    static geotag_log_limit limit;
    unsigned char *buf = apr_palloc(r->pool, GEOTAG_CACHE_MAX_ENTRY);
    unsigned int len = GEOTAG_CACHE_MAX_ENTRY;
    apr_size_t payload;
    apr_uint32_t held_back;

    if (geotag_cache_get(ctx->cache, r, ctx->key, sizeof(ctx->key), buf,
                         &len) != APR_SUCCESS)
        return 0;
    if (geotag_result_unseal(buf, len, ctx->key, sizeof(ctx->key),
                             ctx->secret, ctx->secret_len,
                             &payload) != APR_SUCCESS ||
        geotag_result_parse(r->pool, buf, payload, sc->engine->gazetteer,
                            &ctx->replay) != APR_SUCCESS) {
        geotag_count(GEOTAG_C_CACHE_REJECTED, 1);
        if (geotag_log_allowed(&limit, &held_back))
            ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, GTLOGNO(018)
                          "cache %s: the entry for %s was refused (not "
                          "sealed with this server's GeoTagCacheSecret, of "
                          "another version, or damaged): tagged anew (%u "
                          "more held back since the last line)",
                          geotag_cache_describe(ctx->cache), r->uri,
                          held_back);
        return 0;
    }
    if (ctx->source_length >= 0 && ctx->source_length != ctx->replay.length) {
        geotag_count(GEOTAG_C_CACHE_REPLAY_MISMATCH, 1);
        geotag_cache_remove(ctx->cache, r, ctx->key, sizeof(ctx->key));
        return 0;
    }
    return 1;
}

/* The length of the tagged page a replay would produce: what a HEAD
 * says when its body may not come (a proxied HEAD has none). */
static apr_off_t replayed_length(request_rec *r, const geotag_ctx *ctx)
{
    const geotag_edit *edits = (const geotag_edit *)ctx->replay.edits->elts;
    apr_off_t total = ctx->replay.length;
    char buf[GEOTAG_EDIT_RENDER_MAX];
    int i;

    for (i = 0; i < ctx->replay.edits->nelts; i++) {
        apr_size_t n;
        geotag_edit_render_any(&edits[i], ctx->engine->gazetteer, ctx->markup,
                               &ctx->replay.doc, r->pool, buf, &n);
        total += (apr_off_t)n;
    }
    return total;
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
    const char *validator;
    vary_names vary;
    unsigned cc;
    uncached_reason why;

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
    cc = cache_control_parse(response_header(r, "Cache-Control"));
    if (cc & CC_NO_TRANSFORM)
        ASIDE(GEOTAG_C_SKIP_NO_TRANSFORM, "no-transform");
    if (apr_table_get(r->subprocess_env, "no-geotag"))
        ASIDE(GEOTAG_C_SKIP_ENV, "no-geotag");
    if (!sc->engine)
        ASIDE(GEOTAG_C_ERRORS, "no-dictionary");

    ctx = apr_pcalloc(r->pool, sizeof(*ctx));
    ctx->engine = sc->engine;
    ctx->markup = d->markup >= 0 ? d->markup : GEOTAG_MARKUP_DATA;
    ctx->cache = sc->cache;
    ctx->secret = (const unsigned char *)(sc->secret ? sc->secret : "");
    ctx->secret_len = sc->secret ? strlen(sc->secret) : 0;
    config_digest(sc, d, config);
    validator = source_validator(r, &ctx->strong_etag);
    vary_parse(r->pool, response_header(r, "Vary"), &vary);
    why = cacheability(r, ctx->cache, validator, cc, &vary);
    ctx->cacheable = why == CACHEABLE;
    if (ctx->cacheable) {
        char hex[2 * APR_SHA1_DIGESTSIZE + 1];
        cache_key(r, validator, &vary, config, ctx->key);
        ap_bin2hex(ctx->key, sizeof(ctx->key), hex);
        apr_table_set(r->subprocess_env, "geotag-key", hex);
    }
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
            if (r->header_only)
                ap_set_content_length(r, (apr_off_t)b->length);
            ctx->inserted = b->length - (apr_size_t)ctx->source_length;
            APR_BRIGADE_INSERT_TAIL(ctx->out, b);
            geotag_count(GEOTAG_C_CACHE_HIT, 1);
            geotag_count(GEOTAG_C_CACHE_MEMORY_HIT, 1);
            set_result(r, "hit", mentions);
            return ctx;
        }
    }
    if (ctx->cacheable && look_up(r, ctx, sc)) {
        ctx->mode = MODE_REPLAY;
        if (r->header_only && ctx->source_length >= 0)
            ap_set_content_length(r, replayed_length(r, ctx));
        geotag_count(GEOTAG_C_CACHE_HIT, 1);
        set_result(r, "hit", ctx->replay.mentions);
        if (geotag_memo_admit(memo, ctx->key))
            start_fill(r, ctx);
        return ctx;
    }
    if (ctx->cacheable)
        geotag_count(GEOTAG_C_CACHE_MISS, 1);
    else
        geotag_count(uncached_reasons[why].counter, 1);

    geotag_options_default(&opt);
    opt.charset = charset_of(r);
    opt.url = canonical_url(r);
    if (d->language && strcasecmp(d->language, "auto") != 0)
        opt.lang = d->language;
    opt.types = dir_types(d);
    opt.first_only = d->first_only == 1;
    opt.jsonld = d->jsonld != 0;
    opt.markup = ctx->markup;
    opt.scope = d->scope;
    opt.n_scope = d->n_scope;
    opt.limits.mentions = d->max_mentions;
    opt.log = engine_log;
    opt.log_is_level = engine_log_is_level;
    opt.log_baton = r;
    ctx->session = geotag_session_create(r->pool, sc->engine, &opt);
    if (ctx->cacheable) {
        ctx->record = apr_array_make(r->pool, 64, sizeof(geotag_edit));
        ctx->record_checks = apr_array_make(r->pool, 64,
                                            sizeof(geotag_edit_check));
    }
    ctx->uncached = ctx->cacheable ? "miss" : uncached_reasons[why].result;
    /* provisional, for response headers that leave before the end; the
     * final outcome replaces it for the access log */
    set_result(r, ctx->uncached, -1);
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
    if (ctx->mode == MODE_TAG || ctx->stopped) {
        geotag_status st = geotag_session_status(ctx->session);
        const char *result = ctx->uncached;
        if (st != GEOTAG_STATUS_TAGGED && st != GEOTAG_STATUS_NOTHING) {
            result = apr_pstrcat(r->pool, "page:", geotag_status_name(st), NULL);
            geotag_count(GEOTAG_C_SKIP_PAGE, 1);
        }
        set_result(r, result, geotag_session_mentions(ctx->session));
    }
}

/*
 * The whole body is, or will soon be, in hand: nothing passed on yet, and
 * either the source's Content-Length says it is no more than IN_HAND_MAX
 * (a proxied page arrives in several brigades, but its end is near), or
 * this brigade holds the EOS, every bucket before it of a known length
 * and no more than IN_HAND_MAX of them.  Such a body leaves in one brigade
 * with its EOS (FLUSH buckets wait for it), so httpd's content-length
 * filter gives the response its Content-Length (the tagged length, or the
 * original one for a page left untouched), as plain httpd would; only
 * what really streams goes out chunked.
 */
#define IN_HAND_MAX (256 * 1024)

static int body_in_hand(const geotag_ctx *ctx, apr_bucket_brigade *bb)
{
    apr_off_t total = ctx->seen;
    apr_bucket *b;

    if (ctx->passed || ctx->seen > IN_HAND_MAX)
        return 0;
    if (ctx->source_length >= 0 && ctx->source_length <= IN_HAND_MAX)
        return 1;
    for (b = APR_BRIGADE_FIRST(bb); b != APR_BRIGADE_SENTINEL(bb);
         b = APR_BUCKET_NEXT(b)) {
        if (APR_BUCKET_IS_EOS(b))
            return 1;
        if (APR_BUCKET_IS_METADATA(b))
            continue;
        if (b->length == (apr_size_t)-1)
            return 0;
        total += (apr_off_t)b->length;
        if (total > IN_HAND_MAX)
            return 0;
    }
    return 0;
}

static apr_status_t set_aside(apr_bucket_brigade *bb, apr_pool_t *pool)
{
    apr_bucket *b;
    apr_status_t rv;

    for (b = APR_BRIGADE_FIRST(bb); b != APR_BRIGADE_SENTINEL(bb);
         b = APR_BUCKET_NEXT(b)) {
        rv = apr_bucket_setaside(b, pool);
        if (rv != APR_SUCCESS && rv != APR_ENOTIMPL)
            return rv;
    }
    return APR_SUCCESS;
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
    ctx->in_hand = body_in_hand(ctx, bb);

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
            else if (ctx->stopped) {
                /* every edit went out when it stopped */
                geotag_session_finish(ctx->session);
                store_result(f, ctx);
            }
            else if (ctx->mode == MODE_REPLAY) {
                if ((rv = replay_ready(f, ctx, 1)) != APR_SUCCESS)
                    return rv;
                /* every edit fitted, but the body went on past the one
                 * they were made on: not this entry's body any more */
                if (ctx->mode == MODE_REPLAY && !r->header_only &&
                    ctx->seen != ctx->replay.length)
                    replay_mismatch(f, ctx);
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
            /* with the end in this brigade, the FLUSH waits for it: the
             * response keeps its Content-Length */
            if (!ctx->in_hand && (rv = pass_out(f, ctx)) != APR_SUCCESS)
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
            if ((rv = know_length(f, ctx, e)) != APR_SUCCESS)
                return rv;
            ctx->seen += (apr_off_t)e->length;
            apr_bucket_delete(e);
            continue;
        }
        if (ctx->mode == MODE_PASS) {
            /* given up on (or a replay that did not fit): the rest goes
             * on as it came, unread */
            if ((rv = move_held(f, ctx)) != APR_SUCCESS ||
                (rv = know_length(f, ctx, e)) != APR_SUCCESS)
                return rv;
            ctx->seen += (apr_off_t)e->length;
            ctx->zero_copy += (apr_off_t)e->length;
            APR_BUCKET_REMOVE(e);
            APR_BRIGADE_INSERT_TAIL(ctx->out, e);
            if ((rv = pass_some(f, ctx)) != APR_SUCCESS)
                return rv;
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
                else if (geotag_session_stopped(ctx->session)) {
                    /* given up on (emit_ready() released all it was fed):
                     * the rest is not even read, a file stays a file */
                    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, GTLOGNO(019)
                                  "%s: the engine stopped (%s) after %"
                                  APR_OFF_T_FMT " bytes: the rest passes "
                                  "unread", r->uri, geotag_status_name(
                                      geotag_session_status(ctx->session)),
                                  ctx->seen);
                    ctx->mode = MODE_PASS;
                    ctx->stopped = 1;
                }
            }
            if (ctx->mode == MODE_PASS && (rv = move_held(f, ctx)) != APR_SUCCESS)
                return rv;
            if ((rv = pass_some(f, ctx)) != APR_SUCCESS)
                return rv;
        }
    }

    /* a body in hand waits for its end (body_in_hand()) */
    if (!ctx->in_hand && (rv = pass_out(f, ctx)) != APR_SUCCESS)
        return rv;
    /* what we keep must outlive this call's buckets */
    if ((rv = set_aside(ctx->held, r->pool)) != APR_SUCCESS ||
        (rv = set_aside(ctx->out, r->pool)) != APR_SUCCESS)
        return rv;
    return APR_SUCCESS;
}

/* ------------------------------------------------------------------ */

static void geotag_status_cache_section(request_rec *r, int flags)
{
    geotag_server_conf *sc = ap_get_module_config(r->server->module_config,
                                                  &geotag_module);
    if (flags & AP_STATUS_SHORT)
        ap_rprintf(r, "GeoTagCache: %s\nGeoTagCacheSealed: %s\n",
                   geotag_cache_describe(sc->cache),
                   sc->secret ? "secret" : "no-secret");
    else
        ap_rprintf(r, "cache: %s (entries sealed %s GeoTagCacheSecret)\n",
                   geotag_cache_describe(sc->cache),
                   sc->secret ? "with" : "without");
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
