/*
 * mod_geotag_status.c: server-wide counters, the geotag-status handler and
 * the mod_geotag section of mod_status.
 *
 * The counters are one array of apr_uint64_t in shared memory, created by
 * the parent in post_config of the real configuration pass (never in the
 * first pass, whose pool is cleared at once) and inherited by every child
 * at fork, so prefork, worker and event children all add to the same
 * numbers with one relaxed atomic add each: no lock on the request path.
 * Anonymous shm first; where that is not implemented, a file under
 * DefaultRuntimeDir, as shmcb does.  A restart clears pconf and so creates
 * a fresh segment: the counters count since the last (re)start, and the
 * pages say so.  Until the segment exists (the first pass, a counter bumped
 * while configuring) geotag_count does nothing.
 *
 * The status pages read the counters and, from the configuration, the
 * dictionary facts (the main server's) and the cache (the answering
 * server's, with this child's memory of hot pages); the module's version
 * heads them.
 *
 * It must never: expose anything but the version, the counters, the
 * dictionary facts (its file names included) and the cache section; echo
 * request data; block or allocate shared memory on the request path.
 */
#include "apr_lib.h"
#include "apr_strings.h"
#include "apr_shm.h"
#include "apr_time.h"
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_optional_hooks.h"
#include "mod_status.h"

#include "http_main.h"

#include "mod_geotag.h"
#include "mod_geotag_cache.h"
#include "mod_geotag_config.h"
#include "mod_geotag_replay.h"
#include "mod_geotag_status.h"
#include "builtin.h"
#include "jsonld.h"

APLOG_USE_MODULE(geotag);

#define GEOTAG_STATUS_HANDLER "geotag-status"
#define GEOTAG_STATUS_SHM_FILE "geotag-status.shm"

/* Each counter's stable machine key (a JSON member name; CamelCased after
 * "GeoTag" for mod_status ?auto: cache_hits -> GeoTagCacheHits; never
 * rename one) and its human name, in enum order (designated, so that a
 * reordering cannot misname a counter). */
static const struct {
    const char *key;
    const char *name;
} geotag_counters[GEOTAG_C_COUNT] = {
    [GEOTAG_C_REQUESTS] = {"requests", "requests"},
    [GEOTAG_C_TAGGED] = {"tagged", "tagged"},
    [GEOTAG_C_UNCHANGED] = {"unchanged", "unchanged"},
    [GEOTAG_C_CACHE_HIT] = {"cache_hits", "cache hits"},
    [GEOTAG_C_CACHE_MISS] = {"cache_misses", "cache misses"},
    [GEOTAG_C_CACHE_STORE] = {"cache_stores", "cache stores"},
    [GEOTAG_C_CACHE_STORE_FAILED] = {"cache_store_failures",
        "cache store failures"},
    [GEOTAG_C_CACHE_MEMORY_HIT] = {"cache_memory_hits",
        "cache hits from a child's memory"},
    [GEOTAG_C_CACHE_MEMORY_STORE] = {"cache_memory_stores",
        "pages kept in a child's memory"},
    [GEOTAG_C_CACHE_REJECTED] = {"cache_rejected",
        "cache entries refused (tag, version, format)"},
    [GEOTAG_C_CACHE_REPLAY_MISMATCH] = {"cache_replay_mismatch",
        "cache replays that did not fit the body"},
    [GEOTAG_C_CACHE_ERRORS] = {"cache_errors", "cache provider errors"},
    [GEOTAG_C_UNCACHED_OFF] = {"uncached_off", "uncached: no GeoTagCache"},
    [GEOTAG_C_UNCACHED_VALIDATOR] = {"uncached_validator",
        "uncached: no strong validator"},
    [GEOTAG_C_UNCACHED_PRIVATE] = {"uncached_private",
        "uncached: Cache-Control private"},
    [GEOTAG_C_UNCACHED_NO_STORE] = {"uncached_no_store",
        "uncached: Cache-Control no-store"},
    [GEOTAG_C_UNCACHED_SET_COOKIE] = {"uncached_set_cookie",
        "uncached: Set-Cookie"},
    [GEOTAG_C_UNCACHED_AUTHORIZATION] = {"uncached_authorization",
        "uncached: Authorization"},
    [GEOTAG_C_UNCACHED_VARY] = {"uncached_vary", "uncached: Vary *"},
    [GEOTAG_C_UNCACHED_PREVIEW] = {"uncached_preview",
        "uncached: editor preview"},
    [GEOTAG_C_ERRORS] = {"errors", "errors"},
    [GEOTAG_C_BYTES_IN] = {"bytes_in", "bytes in"},
    [GEOTAG_C_BYTES_ZERO_COPY] = {"bytes_zero_copy", "bytes zero-copy"},
    [GEOTAG_C_BYTES_INSERTED] = {"bytes_inserted", "bytes inserted"},
    [GEOTAG_C_SKIP_SUBREQUEST] = {"skip_subrequest", "skipped: subrequest"},
    [GEOTAG_C_SKIP_STATUS] = {"skip_status", "skipped: status"},
    [GEOTAG_C_SKIP_RANGE] = {"skip_range", "skipped: range"},
    [GEOTAG_C_SKIP_TYPE] = {"skip_type", "skipped: type"},
    [GEOTAG_C_SKIP_ENCODING] = {"skip_encoding", "skipped: encoding"},
    [GEOTAG_C_SKIP_NO_TRANSFORM] = {"skip_no_transform",
        "skipped: no-transform"},
    [GEOTAG_C_SKIP_ENV] = {"skip_env", "skipped: no-geotag env"},
    [GEOTAG_C_SKIP_PAGE] = {"skip_page",
        "skipped: page (opted out, already tagged, charset, listing, "
        "no scope)"},
};

/* Set in the parent before fork, read-only in the children. */
static apr_uint64_t *counters;          /* in the segment, or NULL */
static apr_time_t counters_since;       /* when the segment was created */

static const char *counter_name(int i)
{
    return geotag_counters[i].name ? geotag_counters[i].name : "unnamed";
}

static const char *counter_key(int i)
{
    return geotag_counters[i].key ? geotag_counters[i].key : "unnamed";
}

/* ------------------------------------------------------------------ */
/* counters                                                            */

int geotag_log_allowed(geotag_log_limit *limit, apr_uint32_t *held_back)
{
    apr_uint32_t now = (apr_uint32_t)apr_time_sec(apr_time_now());
    apr_uint32_t next = __atomic_load_n(&limit->next, __ATOMIC_RELAXED);

    /* one thread of the child wins the slot; the others count */
    if (now < next ||
        !__atomic_compare_exchange_n(&limit->next, &next,
                                     now + GEOTAG_LOG_INTERVAL, 0,
                                     __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
        __atomic_fetch_add(&limit->held_back, 1, __ATOMIC_RELAXED);
        return 0;
    }
    *held_back = __atomic_exchange_n(&limit->held_back, 0, __ATOMIC_RELAXED);
    return 1;
}

void geotag_count(geotag_counter c, apr_uint64_t n)
{
    apr_uint64_t *base = counters;

    if (!base || (unsigned)c >= GEOTAG_C_COUNT || !n)
        return;
    __atomic_fetch_add(&base[c], n, __ATOMIC_RELAXED);
}

/* Copies the counters out; 0 when there are none yet. */
static int counters_snapshot(apr_uint64_t *out)
{
    apr_uint64_t *base = counters;
    int i;

    if (!base) {
        memset(out, 0, sizeof(*out) * GEOTAG_C_COUNT);
        return 0;
    }
    for (i = 0; i < GEOTAG_C_COUNT; i++)
        out[i] = __atomic_load_n(&base[i], __ATOMIC_RELAXED);
    return 1;
}

/* ------------------------------------------------------------------ */
/* lifecycle                                                           */

/* Registered after apr_shm_create's own cleanup, so it runs first: the
 * pointer is gone before the segment is. */
static apr_status_t counters_detach(void *data)
{
    counters = NULL;
    counters_since = 0;
    return APR_SUCCESS;
}

apr_status_t geotag_status_post_config(apr_pool_t *pconf, server_rec *s)
{
    apr_size_t size = sizeof(apr_uint64_t) * (GEOTAG_C_COUNT + 1);
    apr_shm_t *shm;
    apr_uintptr_t base;
    apr_status_t rv;

    if (counters ||
        ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG)
        return APR_SUCCESS;

    rv = apr_shm_create(&shm, size, NULL, pconf);
    if (rv == APR_ENOTIMPL) {
        const char *file = ap_runtime_dir_relative(pconf,
                                                   GEOTAG_STATUS_SHM_FILE);
        if (!file) {
            ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s, GTLOGNO(200)
                         "invalid runtime path for %s",
                         GEOTAG_STATUS_SHM_FILE);
            return APR_EBADPATH;
        }
        /* A file left by a crash would make the create fail. */
        apr_shm_remove(file, pconf);
        rv = apr_shm_create(&shm, size, file, pconf);
    }
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s, GTLOGNO(201)
                     "could not create the shared memory for the counters");
        return rv;
    }

    /* 8-byte alignment for the atomics, whatever header APR puts first. */
    base = (apr_uintptr_t)apr_shm_baseaddr_get(shm);
    base = (base + sizeof(apr_uint64_t) - 1) &
           ~(apr_uintptr_t)(sizeof(apr_uint64_t) - 1);
    counters = (apr_uint64_t *)base;
    memset(counters, 0, sizeof(apr_uint64_t) * GEOTAG_C_COUNT);
    counters_since = apr_time_now();
    apr_pool_cleanup_register(pconf, NULL, counters_detach,
                              apr_pool_cleanup_null);
    return APR_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* what the pages show beside the counters                             */

/* The dictionary facts: the main server's dictionary. */
typedef struct {
    int entities;
    int aliases;
    int forms;
    const char *digest_hex; /* the dictionary generation: its content hash */
    const char *files;
    apr_time_t loaded;
} dictionary_facts;

/* 1 when a dictionary is loaded, its facts in *d. */
static int dictionary_of(dictionary_facts *d)
{
    const geotag_server_conf *c;

    if (!ap_server_conf)
        return 0;
    c = geotag_config_server(ap_server_conf);
    if (!c->engine)
        return 0;
    d->entities = c->engine->gazetteer->entities->nelts;
    d->aliases = c->engine->gazetteer->aliases->nelts;
    d->forms = geotag_matcher_forms(c->engine->matcher);
    d->digest_hex = c->digest_hex;
    d->files = c->engine->gazetteer->files;
    d->loaded = c->loaded;
    return 1;
}

/* The cache section: the answering server's GeoTagCache, and this child's
 * memory of hot pages; flags as mod_status gives them (plain text with
 * AP_STATUS_SHORT, else HTML). */
static void cache_section(request_rec *r, int flags)
{
    const geotag_server_conf *sc = geotag_config_server(r->server);
    geotag_memo *memo = geotag_replay_memo();

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
                   APR_SIZE_T_FMT "\nGeoTagCacheMemoryBudget: %"
                   APR_SIZE_T_FMT "\n", geotag_memo_entries(memo),
                   geotag_memo_used(memo), geotag_memo_budget(memo));
    else
        ap_rprintf(r, "this child's memory (GeoTagCacheMemory): %d pages, %"
                   APR_SIZE_T_FMT " of %" APR_SIZE_T_FMT " bytes\n",
                   geotag_memo_entries(memo), geotag_memo_used(memo),
                   geotag_memo_budget(memo));
    if (sc->cache)
        geotag_cache_status(sc->cache, r, flags);
}

/* ------------------------------------------------------------------ */
/* output helpers                                                      */

static const char *date_string(apr_pool_t *p, apr_time_t t)
{
    char *buf = apr_palloc(p, APR_RFC822_DATE_LEN);

    if (apr_rfc822_date(buf, t) != APR_SUCCESS)
        return "unknown";
    return buf;
}

static long seconds_since(apr_time_t t)
{
    apr_time_t now = apr_time_now();

    return now > t ? (long)apr_time_sec(now - t) : 0;
}

/* A JSON string written by the engine's writer (jsonld.h): quotes,
 * backslashes and control characters escaped, bytes that are not UTF-8
 * replaced by U+FFFD, everything else beyond printable ASCII as \uXXXX,
 * so the output is always valid JSON whatever the file names hold. */
static void json_string(request_rec *r, const char *s)
{
    apr_array_header_t *buf = apr_array_make(r->pool, 64, 1);

    geotag_json_append_string(buf, s, s ? strlen(s) : 0);
    ap_rwrite(buf->elts, buf->nelts, r);
}

/* "cache_hits" -> "CacheHits", into buf. */
static const char *camel_key(const char *key, char *buf, apr_size_t size)
{
    apr_size_t n = 0;
    int upper = 1;

    for (; *key && n + 1 < size; key++) {
        if (*key == '_') {
            upper = 1;
            continue;
        }
        buf[n++] = upper ? apr_toupper(*key) : *key;
        upper = 0;
    }
    buf[n] = '\0';
    return buf;
}

/* Derived numbers: a ratio in [0, 1], or -1 when there is nothing yet. */
static double ratio(apr_uint64_t part, apr_uint64_t whole)
{
    return whole ? (double)part / (double)whole : -1.0;
}

static double cache_hit_ratio(const apr_uint64_t *v)
{
    return ratio(v[GEOTAG_C_CACHE_HIT],
                 v[GEOTAG_C_CACHE_HIT] + v[GEOTAG_C_CACHE_MISS]);
}

static double zero_copy_share(const apr_uint64_t *v)
{
    return ratio(v[GEOTAG_C_BYTES_ZERO_COPY], v[GEOTAG_C_BYTES_IN]);
}

static void text_percent(request_rec *r, const char *label, double x,
                         apr_uint64_t part, apr_uint64_t whole,
                         const char *unit)
{
    if (x < 0)
        ap_rprintf(r, "%s: n/a\n", label);
    else
        ap_rprintf(r, "%s: %.1f%% (%" APR_UINT64_T_FMT " of %"
                   APR_UINT64_T_FMT " %s)\n", label, 100.0 * x, part, whole,
                   unit);
}

static void json_ratio(request_rec *r, double x)
{
    if (x < 0)
        ap_rputs("null", r);
    else
        ap_rprintf(r, "%.4f", x);
}

/* ------------------------------------------------------------------ */
/* the geotag-status handler                                           */

/* "json", "json&…", "…&json=1": any parameter named json. */
static int wants_json(const char *args)
{
    const char *p = args;

    while (p && *p) {
        apr_size_t len = strcspn(p, "&;");
        apr_size_t name = strcspn(p, "=&;");
        if (name == 4 && !strncmp(p, "json", 4))
            return 1;
        p += len;
        if (*p)
            p++;
    }
    return 0;
}

static void status_text(request_rec *r, const apr_uint64_t *v, int have)
{
    dictionary_facts dictionary;
    int i;

    ap_rputs("mod_geotag status\n", r);
    ap_rprintf(r, "version: %s\n", geotag_version);
    if (have)
        ap_rprintf(r, "counters since the last (re)start: %s (%ld s ago)\n",
                   date_string(r->pool, counters_since),
                   seconds_since(counters_since));
    else
        ap_rputs("counters since the last (re)start: not available\n", r);

    ap_rputs("\n[dictionary]\n", r);
    if (dictionary_of(&dictionary)) {
        ap_rprintf(r, "generation: %s\n", dictionary.digest_hex ?
                   dictionary.digest_hex : "");
        ap_rprintf(r, "entities: %d\n", dictionary.entities);
        ap_rprintf(r, "aliases: %d\n", dictionary.aliases);
        ap_rprintf(r, "forms: %d\n", dictionary.forms);
        ap_rprintf(r, "files: %s\n", dictionary.files ?
                   dictionary.files : "");
        ap_rprintf(r, "loaded: %s\n",
                   date_string(r->pool, dictionary.loaded));
    }
    else {
        ap_rputs("none loaded\n", r);
    }

    ap_rputs("\n[counters]\n", r);
    for (i = 0; i < GEOTAG_C_COUNT; i++)
        ap_rprintf(r, "%s: %" APR_UINT64_T_FMT "\n", counter_name(i), v[i]);

    ap_rputs("\n[derived]\n", r);
    text_percent(r, "cache hit ratio", cache_hit_ratio(v),
                 v[GEOTAG_C_CACHE_HIT],
                 v[GEOTAG_C_CACHE_HIT] + v[GEOTAG_C_CACHE_MISS], "lookups");
    text_percent(r, "zero-copy share of bytes", zero_copy_share(v),
                 v[GEOTAG_C_BYTES_ZERO_COPY], v[GEOTAG_C_BYTES_IN], "bytes");

    ap_rputs("\n[cache]\n", r);
    cache_section(r, AP_STATUS_SHORT);
}

static void status_json(request_rec *r, const apr_uint64_t *v, int have)
{
    dictionary_facts dictionary;
    int i;

    ap_rputs("{\"version\":", r);
    json_string(r, geotag_version);
    ap_rputs(",\"counters\":", r);
    if (have) {
        for (i = 0; i < GEOTAG_C_COUNT; i++) {
            ap_rputs(i ? "," : "{", r);
            json_string(r, counter_key(i));
            ap_rprintf(r, ":%" APR_UINT64_T_FMT, v[i]);
        }
        ap_rputs("}", r);
    }
    else {
        ap_rputs("null", r);
    }

    ap_rputs(",\"derived\":{\"cache_hit_ratio\":", r);
    json_ratio(r, have ? cache_hit_ratio(v) : -1);
    ap_rputs(",\"zero_copy_share\":", r);
    json_ratio(r, have ? zero_copy_share(v) : -1);
    ap_rputs("}", r);

    ap_rputs(",\"dictionary\":", r);
    if (dictionary_of(&dictionary)) {
        ap_rprintf(r, "{\"entities\":%d,\"aliases\":%d,\"forms\":%d,"
                   "\"generation\":", dictionary.entities,
                   dictionary.aliases, dictionary.forms);
        json_string(r, dictionary.digest_hex);
        ap_rputs(",\"files\":", r);
        json_string(r, dictionary.files);
        ap_rputs(",\"loaded\":", r);
        json_string(r, date_string(r->pool, dictionary.loaded));
        ap_rputs("}", r);
    }
    else {
        ap_rputs("null", r);
    }

    ap_rputs(",\"since\":", r);
    if (have) {
        json_string(r, date_string(r->pool, counters_since));
        ap_rprintf(r, ",\"since_seconds\":%ld", seconds_since(counters_since));
    }
    else {
        ap_rputs("null,\"since_seconds\":null", r);
    }
    ap_rputs("}\n", r);
}

int geotag_status_handler(request_rec *r)
{
    apr_uint64_t v[GEOTAG_C_COUNT];
    int have, json;

    if (!r->handler || strcmp(r->handler, GEOTAG_STATUS_HANDLER))
        return DECLINED;

    /* M_GET covers HEAD; the 405 response builds Allow from the mask. */
    r->allowed |= (AP_METHOD_BIT << M_GET);
    ap_allow_standard_methods(r, REPLACE_ALLOW, M_GET, -1);
    if (r->method_number != M_GET)
        return HTTP_METHOD_NOT_ALLOWED;

    json = wants_json(r->args);
    ap_set_content_type(r, json ? "application/json" :
                        "text/plain; charset=utf-8");
    apr_table_setn(r->headers_out, "Cache-Control", "no-cache");
    apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
    if (r->header_only)
        return OK;

    have = counters_snapshot(v);
    if (json)
        status_json(r, v, have);
    else
        status_text(r, v, have);
    return OK;
}

/* ------------------------------------------------------------------ */
/* the mod_status section                                              */

static void status_hook_auto(request_rec *r, const apr_uint64_t *v, int have)
{
    dictionary_facts dictionary;
    char camel[64];
    int i;

    if (!have)
        return;
    ap_rprintf(r, "GeoTagCountersSeconds: %ld\n",
               seconds_since(counters_since));
    for (i = 0; i < GEOTAG_C_COUNT; i++)
        ap_rprintf(r, "GeoTag%s: %" APR_UINT64_T_FMT "\n",
                   camel_key(counter_key(i), camel, sizeof(camel)), v[i]);
    if (dictionary_of(&dictionary)) {
        ap_rprintf(r, "GeoTagDictionaryEntities: %d\n", dictionary.entities);
        ap_rprintf(r, "GeoTagDictionaryAliases: %d\n", dictionary.aliases);
        ap_rprintf(r, "GeoTagDictionaryForms: %d\n", dictionary.forms);
        ap_rprintf(r, "GeoTagDictionaryGeneration: %s\n",
                   dictionary.digest_hex ? dictionary.digest_hex : "");
    }
}

static void html_percent(request_rec *r, const char *label, double x)
{
    if (x < 0)
        ap_rprintf(r, "<dt>%s: n/a</dt>\n", label);
    else
        ap_rprintf(r, "<dt>%s: %.1f%%</dt>\n", label, 100.0 * x);
}

static void status_hook_html(request_rec *r, const apr_uint64_t *v, int have,
                             int flags)
{
    dictionary_facts dictionary;
    int i;

    ap_rputs("<hr />\n<h2>mod_geotag</h2>\n<dl>\n", r);
    if (have)
        ap_rprintf(r, "<dt>counters since the last (re)start: %s</dt>\n",
                   date_string(r->pool, counters_since));
    else
        ap_rputs("<dt>counters not available</dt>\n", r);
    if (dictionary_of(&dictionary)) {
        ap_rprintf(r, "<dt>dictionary: %d entities, %d aliases, %d forms, "
                   "generation <code>%s</code>, loaded %s</dt>\n",
                   dictionary.entities, dictionary.aliases, dictionary.forms,
                   ap_escape_html2(r->pool, dictionary.digest_hex ?
                                   dictionary.digest_hex : "", 0),
                   date_string(r->pool, dictionary.loaded));
        ap_rprintf(r, "<dt>dictionary files: %s</dt>\n",
                   ap_escape_html2(r->pool, dictionary.files ?
                                   dictionary.files : "", 0));
    }
    else {
        ap_rputs("<dt>no dictionary loaded</dt>\n", r);
    }
    if (have) {
        html_percent(r, "cache hit ratio", cache_hit_ratio(v));
        html_percent(r, "zero-copy share of bytes", zero_copy_share(v));
    }
    ap_rputs("</dl>\n", r);
    if (!have)
        return;

    if (flags & AP_STATUS_NOTABLE) {
        ap_rputs("<dl>\n", r);
        for (i = 0; i < GEOTAG_C_COUNT; i++)
            ap_rprintf(r, "<dt>%s: %" APR_UINT64_T_FMT "</dt>\n",
                       ap_escape_html2(r->pool, counter_name(i), 0), v[i]);
        ap_rputs("</dl>\n", r);
    }
    else {
        ap_rputs("<table border=\"0\">\n"
                 "<tr><th>counter</th><th>value</th></tr>\n", r);
        for (i = 0; i < GEOTAG_C_COUNT; i++)
            ap_rprintf(r, "<tr><td>%s</td><td align=\"right\">%"
                       APR_UINT64_T_FMT "</td></tr>\n",
                       ap_escape_html2(r->pool, counter_name(i), 0), v[i]);
        ap_rputs("</table>\n", r);
    }
}

static int status_hook(request_rec *r, int flags)
{
    apr_uint64_t v[GEOTAG_C_COUNT];
    int have = counters_snapshot(v);

    if (flags & AP_STATUS_SHORT)
        status_hook_auto(r, v, have);
    else
        status_hook_html(r, v, have, flags);
    cache_section(r, flags);
    return OK;
}

void geotag_status_register_hooks(apr_pool_t *p)
{
    APR_OPTIONAL_HOOK(ap, status_hook, status_hook, NULL, NULL,
                      APR_HOOK_MIDDLE);
    ap_hook_handler(geotag_status_handler, NULL, NULL, APR_HOOK_MIDDLE);
}
