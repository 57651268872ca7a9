/*
 * mod_geotag_filter.c: the GEOTAG output filter (see mod_geotag_filter.h).
 *
 *   first call   every decision (or stepping aside, bytes untouched) and
 *                every header change is made before anything is passed on,
 *                as mod_deflate does
 *   tag          lexer -> matcher -> edits; edits recorded; at EOS the
 *                result (edits + the JSON-LD's facts) is stored
 *   replay       the stored edits are replayed; the JSON-LD is rebuilt from
 *                the gazetteer
 *   memory       the tagged body from the child's memory went out as one
 *                bucket; the page's own buckets are dropped unread
 *   pass         the rest goes through untouched, unread
 *
 * Fail open: an engine limit or a malformed page leaves the rest of the
 * page untouched; a read error is passed on as httpd's own filters do.
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
#include "mod_geotag_cacheable.h"
#include "mod_geotag_config.h"
#include "mod_geotag_etag.h"
#include "mod_geotag_filter.h"
#include "mod_geotag_replay.h"
#include "mod_geotag_status.h"

APLOG_USE_MODULE(geotag);

void geotag_filter_set_result(request_rec *r, const char *result,
                              int mentions)
{
    apr_table_setn(r->notes, "geotag-result", result);
    apr_table_setn(r->subprocess_env, "geotag-result", result);
    if (mentions >= 0) {
        const char *n = apr_itoa(r->pool, mentions);
        apr_table_setn(r->notes, "geotag-mentions", n);
        apr_table_setn(r->subprocess_env, "geotag-mentions", n);
    }
}

/* ------------------------------------------------------------------ */
/* what the response says                                              */

static int is_html(const char *type)
{
    if (!type)
        return 0;
    return !strncasecmp(type, "text/html", 9) ||
           !strncasecmp(type, "application/xhtml+xml", 21);
}

static int encoded(request_rec *r)
{
    const char *enc = apr_table_get(r->headers_out, "Content-Encoding");
    const char *err = apr_table_get(r->err_headers_out, "Content-Encoding");
    const char *all = enc ? (err ? apr_pstrcat(r->pool, enc, ",", err, NULL)
                                 : enc)
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
                       ap_is_default_port(port, r)
                           ? ""
                           : apr_psprintf(r->pool, ":%u", (unsigned)port),
                       r->uri, NULL);
}

/* ------------------------------------------------------------------ */
/* the engine's log                                                    */

static int engine_level(int level)
{
    return level <= GEOTAG_LOG_ERROR     ? APLOG_ERR
           : level == GEOTAG_LOG_WARNING ? APLOG_WARNING
           : level == GEOTAG_LOG_INFO    ? APLOG_INFO
                                         : APLOG_DEBUG;
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

/* ------------------------------------------------------------------ */
/* before the handler                                                  */

/*
 * Runs just before the handler for a GEOTAG filter already in the chain
 * (GeoTag On, SetOutputFilter).  Where the body will be transformed and
 * that is known now (static HTML: the type is known), a Range request
 * must not reach the handler: a partial body cannot be tagged.  And a
 * conditional request that carries our ETag is mapped back to the source's
 * ETag, so the handler can answer 304.
 */
int geotag_filter_init(ap_filter_t *f)
{
    request_rec *r = f->r;
    geotag_server_conf *sc = geotag_config_server(r->server);
    unsigned char digest[APR_SHA1_DIGESTSIZE];
    const char *suffix, *nonce;

    if (r->main || !is_html(r->content_type) ||
        apr_table_get(r->subprocess_env, "no-geotag") || !sc->engine)
        return OK;
    if (apr_table_get(r->headers_in, "Range")) {
        apr_table_unset(r->headers_in, "Range");
        apr_table_unset(r->headers_in, "If-Range");
        apr_table_setn(r->notes, "geotag-range-removed", "1");
    }
    /* whatever makes the handler answer 304 (If-None-Match mapped, or
     * If-Modified-Since), the 304 describes our representation */
    geotag_config_digest(sc, geotag_config_dir(r), r->request_time, digest);
    suffix = geotag_etag_suffix(r, digest);
    if (geotag_config_preview(r, &nonce))
        suffix = geotag_etag_preview_suffix(r, suffix);
    geotag_etag_map_request(r, suffix);
    /* A dictionary newer than the file makes the tagged page newer; so
     * does a change of office-holder when the request's day is used. */
    ap_update_mtime(r, sc->dictionary_mtime);
    ap_update_mtime(r, geotag_config_holders_changed(
                           sc, geotag_config_dir(r), r->request_time));
    return OK;
}

/* ------------------------------------------------------------------ */
/* the first call                                                      */

/* The splicer's output goes to the next filter (and, while a replay fills
 * an entry of the child's memory, into that entry too). */
static apr_status_t pass_next(void *baton, apr_bucket_brigade *out)
{
    geotag_ctx *ctx = baton;
    if (ctx->fill)
        geotag_replay_fill(ctx, out);
    return ap_pass_brigade(ctx->f->next, out);
}

/*
 * The editor preview is one editor's page: no shared cache may keep it
 * (Cache-Control: private; r->no_cache for mod_cache, whose CACHE_SAVE
 * runs after us), and the editor's browser revalidates it each time, so
 * that it never shows a preview after the editor logged out, nor the
 * readers' page to the editor (no-cache; the two ETags differ).
 */
static void preview_headers(request_rec *r)
{
    apr_table_unset(r->err_headers_out, "Cache-Control");
    apr_table_setn(r->headers_out, "Cache-Control", "private, no-cache");
    apr_table_unset(r->headers_out, "Expires");
    r->no_cache = 1;
}

static apr_status_t step_aside(ap_filter_t *f, apr_bucket_brigade *bb,
                               geotag_counter why, const char *reason)
{
    geotag_count(why, 1);
    geotag_filter_set_result(
        f->r, apr_pstrcat(f->r->pool, "bypass:", reason, NULL), -1);
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, f->r,
                  "GEOTAG steps aside: %s", reason);
    ap_remove_output_filter(f);
    return ap_pass_brigade(f->next, bb);
}

/* Why the filter steps aside from this response (its counter in *why), or
 * NULL to go on; *cc is then the response's Cache-Control, parsed. */
static const char *aside_reason(request_rec *r, geotag_counter *why,
                                unsigned *cc)
{
#define ASIDE(counter, reason)                                               \
    do {                                                                     \
        *why = counter;                                                      \
        return reason;                                                       \
    } while (0)
    if (r->main)
        ASIDE(GEOTAG_C_SKIP_SUBREQUEST, "subrequest");
    if (apr_table_get(r->headers_out, "Content-Range") ||
        apr_table_get(r->err_headers_out, "Content-Range"))
        ASIDE(GEOTAG_C_SKIP_RANGE, "range");
    if (r->status != HTTP_OK) {
        const char *nonce;
        geotag_etag_for_304(r);
        if (r->status == HTTP_NOT_MODIFIED && geotag_config_preview(r, &nonce))
            preview_headers(r);
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
    *cc = geotag_cache_control_parse(
        geotag_response_header(r, "Cache-Control"));
    if (*cc & GEOTAG_CC_NO_TRANSFORM)
        ASIDE(GEOTAG_C_SKIP_NO_TRANSFORM, "no-transform");
    if (apr_table_get(r->subprocess_env, "no-geotag"))
        ASIDE(GEOTAG_C_SKIP_ENV, "no-geotag");
    if (!geotag_config_server(r->server)->engine)
        ASIDE(GEOTAG_C_ERRORS, "no-dictionary");
#undef ASIDE
    return NULL;
}

/* The state of a response the filter works on, its cache key and its
 * headers (HEAD is tagged like GET, the body dropped further down, so
 * that its headers, Content-Length included, are the GET's). */
static geotag_ctx *new_ctx(ap_filter_t *f, unsigned cc,
                           geotag_uncached_reason *why)
{
    request_rec *r = f->r;
    geotag_server_conf *sc = geotag_config_server(r->server);
    geotag_dir_conf *d = geotag_config_dir(r);
    geotag_ctx *ctx = apr_pcalloc(r->pool, sizeof(*ctx));
    unsigned char config[APR_SHA1_DIGESTSIZE];
    const char *validator, *suffix;
    geotag_vary vary;

    ctx->f = f;
    ctx->r = r;
    ctx->engine = sc->engine;
    ctx->markup = d->markup >= 0 ? d->markup : GEOTAG_MARKUP_DATA;
    ctx->cache = sc->cache;
    ctx->ttl = sc->ttl;
    ctx->secret = (const unsigned char *)(sc->secret ? sc->secret : "");
    ctx->secret_len = sc->secret ? strlen(sc->secret) : 0;
    geotag_config_digest(sc, d, r->request_time, config);
    validator = geotag_source_validator(r, &ctx->strong_etag);
    geotag_vary_parse(r->pool, geotag_response_header(r, "Vary"), &vary);
    ctx->preview = geotag_config_preview(r, &ctx->preview_nonce);
    *why = ctx->preview ? GEOTAG_UNCACHED_PREVIEW
                        : geotag_cacheability(r, ctx->cache, validator, cc,
                                              &vary);
    ctx->cacheable = *why == GEOTAG_CACHEABLE;
    if (ctx->cacheable) {
        char hex[2 * APR_SHA1_DIGESTSIZE + 1];
        geotag_cache_key(r, validator, &vary, config, ctx->key);
        ap_bin2hex(ctx->key, sizeof(ctx->key), hex);
        apr_table_set(r->subprocess_env, "geotag-key", hex);
    }
    ctx->source_length = content_length(r);
    suffix = geotag_etag_suffix(r, config);
    if (ctx->preview) {
        suffix = geotag_etag_preview_suffix(r, suffix);
        preview_headers(r);
    }
    geotag_etag_change_headers(r, suffix);
    ctx->splice = geotag_splice_create(r->pool, f->c->bucket_alloc, pass_next,
                                       ctx);
    return ctx;
}

/* A cache hit, from the child's memory or the shared cache: 1 when the
 * response replays (ctx->mode set). */
static int start_hit(geotag_ctx *ctx)
{
    request_rec *r = ctx->r;
    apr_bucket *b;
    int mentions = 0;

    if (!ctx->cacheable)
        return 0;
    if ((b = geotag_replay_memory_hit(ctx, &mentions)) != NULL) {
        ctx->mode = GEOTAG_MODE_MEMORY;
        if (r->header_only)
            ap_set_content_length(r, (apr_off_t)b->length);
        ctx->memory_inserted = b->length - (apr_size_t)ctx->source_length;
        geotag_splice_append(ctx->splice, b);
        geotag_count(GEOTAG_C_CACHE_HIT, 1);
        geotag_count(GEOTAG_C_CACHE_MEMORY_HIT, 1);
        geotag_filter_set_result(r, "hit", mentions);
        return 1;
    }
    if (!geotag_replay_look_up(ctx))
        return 0;
    ctx->mode = GEOTAG_MODE_REPLAY;
    if (r->header_only && ctx->source_length >= 0)
        ap_set_content_length(r, geotag_replay_length(ctx));
    geotag_count(GEOTAG_C_CACHE_HIT, 1);
    geotag_filter_set_result(r, "hit", ctx->replay.mentions);
    geotag_replay_start_fill(ctx);
    return 1;
}

/* Tag mode: an engine session on the body. */
static void start_session(geotag_ctx *ctx, geotag_uncached_reason why)
{
    request_rec *r = ctx->r;
    geotag_dir_conf *d = geotag_config_dir(r);
    geotag_options opt;

    geotag_uncached_count(why);
    geotag_options_default(&opt);
    opt.charset = charset_of(r);
    opt.url = canonical_url(r);
    if (d->language && strcasecmp(d->language, "auto") != 0)
        opt.lang = d->language;
    opt.types = geotag_config_types(d);
    opt.first_only = d->first_only == 1;
    opt.jsonld = d->jsonld != 0;
    opt.markup = ctx->markup;
    opt.scope = d->scope;
    opt.n_scope = d->n_scope;
    opt.limits.mentions = d->max_mentions;
    if (d->country && strcmp(d->country, "none") != 0) {
        if (geotag_gazetteer_find(ctx->engine->gazetteer, d->country) >= 0)
            opt.country = d->country;
        else
            ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, GTLOGNO(020)
                          "GeoTagCountry %s is not an entity of the "
                          "dictionary: role phrases without a state are "
                          "left untagged", d->country);
    }
    if (d->request_date == 1) {
        char *day = apr_palloc(r->pool, 11);
        geotag_config_day(r->request_time, day);
        opt.fallback_date = day;
    }
    opt.preview = ctx->preview;
    opt.preview_nonce = ctx->preview_nonce;
    opt.log = engine_log;
    opt.log_is_level = engine_log_is_level;
    opt.log_baton = r;
    ctx->session = geotag_session_create(r->pool, ctx->engine, &opt);
    if (ctx->cacheable) {
        ctx->record = apr_array_make(r->pool, 64, sizeof(geotag_edit));
        ctx->record_checks = apr_array_make(r->pool, 64,
                                            sizeof(geotag_edit_check));
    }
    ctx->uncached = geotag_uncached_result(why);
    /* provisional, for response headers that leave before the end; the
     * final outcome replaces it for the access log */
    geotag_filter_set_result(r, ctx->uncached, -1);
    ctx->mode = GEOTAG_MODE_TAG;
}

static geotag_ctx *first_call(ap_filter_t *f, apr_bucket_brigade *bb,
                              apr_status_t *rv)
{
    geotag_counter counter;
    geotag_uncached_reason why;
    const char *aside;
    geotag_ctx *ctx;
    unsigned cc = 0;

    geotag_count(GEOTAG_C_REQUESTS, 1);
    if ((aside = aside_reason(f->r, &counter, &cc)) != NULL) {
        *rv = step_aside(f, bb, counter, aside);
        return NULL;
    }
    ctx = new_ctx(f, cc, &why);
    if (!start_hit(ctx))
        start_session(ctx, why);
    return ctx;
}

/* ------------------------------------------------------------------ */
/* one function per mode                                               */

/* Passes on everything the engine has made final. */
static apr_status_t emit_ready(geotag_ctx *ctx)
{
    char buf[GEOTAG_EDIT_RENDER_MAX];
    geotag_edit e;
    apr_status_t rv;

    while (geotag_session_next_edit(ctx->session, &e)) {
        apr_size_t len;
        const char *bytes;
        geotag_replay_record(ctx, &e);
        if ((rv = geotag_splice_release(ctx->splice, e.offset)) !=
            APR_SUCCESS)
            return rv;
        bytes = geotag_session_render(ctx->session, &e, ctx->r->pool, buf,
                                      &len);
        geotag_splice_insert(ctx->splice, bytes, len);
    }
    return geotag_splice_release(ctx->splice,
                                 geotag_session_stable(ctx->session));
}

/* Tag mode: the engine reads the bucket. */
static apr_status_t tag_bucket(geotag_ctx *ctx, apr_bucket *e)
{
    request_rec *r = ctx->r;
    const char *data;
    apr_size_t len;
    apr_status_t rv;

    /* The engine reads every byte once: read(2) into the bucket
     * allocator's blocks costs less than mapping the file and unmapping it
     * again (page faults, and a TLB shootdown across the threads of a
     * threaded child) */
    if (APR_BUCKET_IS_FILE(e)) {
        apr_bucket_file_enable_mmap(e, 0);
        /* one read for a page, 64 KB at a time for a big file (APR reads
         * 8000 bytes per call otherwise) */
        apr_bucket_file_set_buf_size(e, e->length < GEOTAG_SPLICE_PASS_EVERY
                                            ? (apr_size_t)e->length
                                            : GEOTAG_SPLICE_PASS_EVERY);
    }
    if ((rv = geotag_splice_read(ctx->splice, e, &data, &len)) !=
        APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r, GTLOGNO(014)
                      "reading the response body of %s", r->uri);
        return rv;
    }
    geotag_splice_hold(ctx->splice, e);
    if (len == 0)
        return APR_SUCCESS;
    geotag_session_feed(ctx->session, data, len);
    if ((rv = emit_ready(ctx)) != APR_SUCCESS) {
        /* fail open: what is held goes out untouched */
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r, GTLOGNO(015)
                      "splitting the body of %s: the rest passes "
                      "untagged", r->uri);
        geotag_count(GEOTAG_C_ERRORS, 1);
        ctx->mode = GEOTAG_MODE_PASS;
        ctx->cacheable = 0;
    }
    else if (geotag_session_stopped(ctx->session)) {
        /* given up on (emit_ready() released all it was fed): the rest is
         * not even read, a file stays a file */
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, GTLOGNO(019)
                      "%s: the engine stopped (%s) after %" APR_OFF_T_FMT
                      " bytes: the rest passes unread", r->uri,
                      geotag_status_name(geotag_session_status(ctx->session)),
                      geotag_splice_seen(ctx->splice));
        ctx->mode = GEOTAG_MODE_PASS;
        ctx->stopped = 1;
    }
    return APR_SUCCESS;
}

/* Pass mode: given up on (or a replay that did not fit): the rest goes on
 * as it came, unread. */
static apr_status_t pass_bucket(geotag_ctx *ctx, apr_bucket *e)
{
    apr_status_t rv;

    if ((rv = geotag_splice_release_all(ctx->splice)) != APR_SUCCESS ||
        (rv = geotag_splice_know_length(ctx->splice, e)) != APR_SUCCESS)
        return rv;
    return geotag_splice_pass_through(ctx->splice, e);
}

/* Memory mode: the tagged body is already on its way: the page's own
 * bytes are counted and dropped, a file unread. */
static apr_status_t memory_bucket(geotag_ctx *ctx, apr_bucket *e)
{
    apr_status_t rv = geotag_splice_know_length(ctx->splice, e);
    if (rv == APR_SUCCESS)
        geotag_splice_drop(ctx->splice, e);
    return rv;
}

static apr_status_t data_bucket(geotag_ctx *ctx, apr_bucket *e)
{
    request_rec *r = ctx->r;
    apr_status_t rv = APR_SUCCESS;

    switch (ctx->mode) {
    case GEOTAG_MODE_MEMORY:
        return memory_bucket(ctx, e);
    case GEOTAG_MODE_PASS:
        rv = pass_bucket(ctx, e);
        break;
    case GEOTAG_MODE_REPLAY:
        if ((rv = geotag_replay_bucket(ctx, e)) != APR_SUCCESS) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r, GTLOGNO(013)
                          "reading the response body of %s", r->uri);
            return rv;
        }
        break;
    case GEOTAG_MODE_TAG:
        if ((rv = tag_bucket(ctx, e)) != APR_SUCCESS)
            return rv;
        if (ctx->mode == GEOTAG_MODE_PASS)
            rv = geotag_splice_release_all(ctx->splice);
        break;
    }
    if (rv != APR_SUCCESS)
        return rv;
    return geotag_splice_pass_some(ctx->splice);
}

/* ------------------------------------------------------------------ */
/* the end                                                             */

static void finish_counts(geotag_ctx *ctx)
{
    request_rec *r = ctx->r;
    apr_size_t inserted = ctx->mode == GEOTAG_MODE_MEMORY
                              ? ctx->memory_inserted
                              : geotag_splice_inserted(ctx->splice);

    geotag_count(GEOTAG_C_BYTES_IN,
                 (apr_uint64_t)geotag_splice_seen(ctx->splice));
    geotag_count(GEOTAG_C_BYTES_ZERO_COPY,
                 (apr_uint64_t)geotag_splice_zero_copy(ctx->splice));
    geotag_count(GEOTAG_C_BYTES_INSERTED, inserted);
    geotag_count(inserted ? GEOTAG_C_TAGGED : GEOTAG_C_UNCHANGED, 1);
    if (ctx->mode == GEOTAG_MODE_TAG || ctx->stopped) {
        geotag_status st = geotag_session_status(ctx->session);
        const char *result = ctx->uncached;
        if (st != GEOTAG_STATUS_TAGGED && st != GEOTAG_STATUS_NOTHING) {
            result = apr_pstrcat(r->pool, "page:", geotag_status_name(st),
                                 NULL);
            geotag_count(GEOTAG_C_SKIP_PAGE, 1);
        }
        geotag_filter_set_result(r, result,
                                 geotag_session_mentions(ctx->session));
    }
}

/* The end of the body, in each mode. */
static apr_status_t end_of_body(geotag_ctx *ctx)
{
    request_rec *r = ctx->r;
    apr_off_t seen = geotag_splice_seen(ctx->splice);
    apr_status_t rv;

    if (ctx->mode == GEOTAG_MODE_TAG) {
        geotag_session_finish(ctx->session);
        if ((rv = emit_ready(ctx)) != APR_SUCCESS ||
            (rv = geotag_splice_release(ctx->splice, seen)) != APR_SUCCESS)
            return rv;
        geotag_replay_store(ctx);
    }
    else if (ctx->stopped) {
        /* every edit went out when it stopped */
        geotag_session_finish(ctx->session);
        geotag_replay_store(ctx);
    }
    else if (ctx->mode == GEOTAG_MODE_REPLAY) {
        if ((rv = geotag_replay_ready(ctx, 1)) != APR_SUCCESS)
            return rv;
        /* every edit fitted, but the body went on past the one they were
         * made on: not this entry's body any more */
        if (ctx->mode == GEOTAG_MODE_REPLAY && !r->header_only &&
            seen != ctx->replay.length)
            geotag_replay_mismatch(ctx);
    }
    else if (ctx->mode == GEOTAG_MODE_MEMORY && seen != ctx->source_length) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, GTLOGNO(016)
                      "the body of %s was %" APR_OFF_T_FMT " bytes, not the %"
                      APR_OFF_T_FMT " of its Content-Length (the tagged copy "
                      "in memory went out)", r->uri, seen,
                      ctx->source_length);
    }
    return geotag_splice_release_all(ctx->splice);
}

static apr_status_t at_eos(geotag_ctx *ctx, apr_bucket *eos,
                           apr_bucket_brigade *bb)
{
    apr_status_t rv;

    if ((rv = end_of_body(ctx)) != APR_SUCCESS)
        return rv;
    finish_counts(ctx);
    geotag_splice_append(ctx->splice, eos);
    ap_remove_output_filter(ctx->f);
    rv = geotag_splice_pass(ctx->splice);
    if (ctx->fill && rv == APR_SUCCESS)
        geotag_replay_keep(ctx);
    apr_brigade_cleanup(bb);
    return rv;
}

/* ------------------------------------------------------------------ */

apr_status_t geotag_filter_out(ap_filter_t *f, apr_bucket_brigade *bb)
{
    geotag_ctx *ctx = f->ctx;
    apr_status_t rv = APR_SUCCESS;

    if (APR_BRIGADE_EMPTY(bb))
        return APR_SUCCESS;
    if (!ctx) {
        ctx = f->ctx = first_call(f, bb, &rv);
        if (!ctx)
            return rv;
    }
    geotag_splice_in_hand(ctx->splice, bb, ctx->source_length);

    while (!APR_BRIGADE_EMPTY(bb)) {
        apr_bucket *e = APR_BRIGADE_FIRST(bb);

        if (APR_BUCKET_IS_EOS(e))
            return at_eos(ctx, e, bb);
        if (APR_BUCKET_IS_FLUSH(e)) {
            if (ctx->mode == GEOTAG_MODE_PASS &&
                (rv = geotag_splice_release_all(ctx->splice)) != APR_SUCCESS)
                return rv;
            geotag_splice_append(ctx->splice, e);
            /* with the end in this brigade, the FLUSH waits for it: the
             * response keeps its Content-Length */
            if (!geotag_splice_body_in_hand(ctx->splice) &&
                (rv = geotag_splice_pass(ctx->splice)) != APR_SUCCESS)
                return rv;
            continue;
        }
        if (APR_BUCKET_IS_METADATA(e)) {
            if (AP_BUCKET_IS_ERROR(e))
                ctx->error_bucket = 1;
            /* kept in order with the data around it */
            geotag_splice_hold(ctx->splice, e);
            continue;
        }
        if ((rv = data_bucket(ctx, e)) != APR_SUCCESS)
            return rv;
    }

    /* a body in hand waits for its end (geotag_splice_in_hand()) */
    if (!geotag_splice_body_in_hand(ctx->splice) &&
        (rv = geotag_splice_pass(ctx->splice)) != APR_SUCCESS)
        return rv;
    /* what we keep must outlive this call's buckets */
    return geotag_splice_set_aside(ctx->splice, f->r->pool);
}
