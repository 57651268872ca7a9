/*
 * mod_geotag_replay.c: the cache side of one response (see
 * mod_geotag_replay.h): record and store, look up and replay, and the
 * child's memory of hot pages.
 */
#include <stdlib.h>

#include "apr_strings.h"

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "ap_mpm.h"

#include "mod_geotag.h"
#include "mod_geotag_config.h"
#include "mod_geotag_replay.h"
#include "mod_geotag_status.h"

APLOG_USE_MODULE(geotag);

/* Edits recorded per page at most; a page with more is not stored. */
#define RECORD_MAX_EDITS 8192
/* Many insertions in one file bucket: it is read (mapped) once, since
 * splitting a file bucket costs a read or sendfile call per piece. */
#define DENSE_EDITS 8

static geotag_memo *memo; /* this child's, or NULL */

void geotag_replay_child_init(apr_pool_t *p, server_rec *s)
{
    geotag_server_conf *c = geotag_config_server(s);
    int mpm_threads = 0, threaded;

    if (!c->cache)
        return;
    geotag_cache_child_init(c->cache, p, s);
    threaded = ap_mpm_query(AP_MPMQ_IS_THREADED, &mpm_threads) == APR_SUCCESS &&
               mpm_threads != AP_MPMQ_NOT_SUPPORTED;
    if (!c->memory_set)
        c->memory = threaded ? GEOTAG_DEFAULT_MEMORY_THREADED
                             : GEOTAG_DEFAULT_MEMORY_PREFORK;
    memo = geotag_memo_create(p, c->memory, threaded, 1);
    if (c->memory && !memo)
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s, GTLOGNO(017)
                     "GeoTagCacheMemory: no lock for this child's memory: "
                     "hot pages are replayed from GeoTagCache instead");
}

geotag_memo *geotag_replay_memo(void)
{
    return memo;
}

/* ------------------------------------------------------------------ */
/* the child's memory                                                  */

apr_bucket *geotag_replay_memory_hit(geotag_ctx *ctx, int *mentions)
{
    request_rec *r = ctx->r;
    core_dir_config *core = ap_get_core_module_config(r->per_dir_config);

    if (!memo || ctx->source_length < 0)
        return NULL;
    /* a file of its own only where httpd would sendfile (or map) one */
    return geotag_memo_get(memo, ctx->key, ctx->source_length,
                           core->enable_sendfile == ENABLE_SENDFILE_ON &&
                               core->enable_mmap != ENABLE_MMAP_OFF,
                           r->pool, ctx->f->c->bucket_alloc, mentions);
}

static apr_status_t free_fill(void *data)
{
    geotag_ctx *ctx = data;
    free(ctx->fill);
    ctx->fill = NULL;
    return APR_SUCCESS;
}

void geotag_replay_start_fill(geotag_ctx *ctx)
{
    request_rec *r = ctx->r;
    apr_size_t max, cap;

    if (!geotag_memo_admit(memo, ctx->key))
        return;
    max = geotag_memo_max_entry(memo);
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

/* A body that outgrows an entry is not kept. */
void geotag_replay_fill(geotag_ctx *ctx, apr_bucket_brigade *bb)
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

void geotag_replay_keep(geotag_ctx *ctx)
{
    request_rec *r = ctx->r;
    char *body = ctx->fill;

    if (!body)
        return;
    ctx->fill = NULL;
    if (ctx->mode != GEOTAG_MODE_REPLAY || ctx->error_bucket || r->no_cache ||
        geotag_splice_seen(ctx->splice) != ctx->source_length) {
        free(body);
        return;
    }
    if (geotag_memo_put(memo, ctx->key, ctx->ttl, ctx->source_length,
                        ctx->replay.mentions, body, ctx->fill_len))
        geotag_count(GEOTAG_C_CACHE_MEMORY_STORE, 1);
}

/* ------------------------------------------------------------------ */
/* look-up                                                             */

/*
 * An entry is refused (and counted) when its tag is wrong (another
 * GeoTagCacheSecret, or written by someone who has none), when it is of
 * another version or malformed; one made on a body of another length than
 * the Content-Length at hand is dropped as a mismatch.  Either way the
 * page is tagged anew and the entry replaced.
 */
int geotag_replay_look_up(geotag_ctx *ctx)
{
    static geotag_log_limit limit;
    request_rec *r = ctx->r;
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
        geotag_result_parse(r->pool, buf, payload, ctx->engine->gazetteer,
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

/* A stored edit rendered again: inline markup, or the JSON-LD rebuilt from
 * the stored facts and the gazetteer; *n its length. */
static const char *render_stored(geotag_ctx *ctx, const geotag_edit *ed,
                                 char *buf, apr_size_t *n)
{
    return geotag_edit_render_any(ed, ctx->engine->gazetteer, ctx->markup,
                                  &ctx->replay.doc, ctx->r->pool, buf, n);
}

apr_off_t geotag_replay_length(geotag_ctx *ctx)
{
    const geotag_edit *edits = (const geotag_edit *)ctx->replay.edits->elts;
    apr_off_t total = ctx->replay.length;
    char buf[GEOTAG_EDIT_RENDER_MAX];
    int i;

    for (i = 0; i < ctx->replay.edits->nelts; i++) {
        apr_size_t n;
        render_stored(ctx, &edits[i], buf, &n);
        total += (apr_off_t)n;
    }
    return total;
}

/* ------------------------------------------------------------------ */
/* replay                                                              */

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
void geotag_replay_mismatch(geotag_ctx *ctx)
{
    static geotag_log_limit limit;
    request_rec *r = ctx->r;
    apr_uint32_t held_back;

    geotag_count(GEOTAG_C_CACHE_REPLAY_MISMATCH, 1);
    if (geotag_log_allowed(&limit, &held_back))
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, GTLOGNO(011)
                      "the cached edits of %s do not fit its body (its "
                      "validator did not change with it?): the rest passes "
                      "untagged and the entry is dropped (%u more held back "
                      "since the last line)", r->uri, held_back);
    geotag_cache_remove(ctx->cache, r, ctx->key, sizeof(ctx->key));
    free_fill(ctx);
    ctx->mode = GEOTAG_MODE_PASS;
    geotag_filter_set_result(r, "mismatch", -1);
}

/* 1 when the edits [from, end) find the bytes they were made on. */
static int atom_fits(geotag_ctx *ctx, int from, int end)
{
    const geotag_edit *edits = (const geotag_edit *)ctx->replay.edits->elts;
    const geotag_edit_check *checks =
        (const geotag_edit_check *)ctx->replay.checks->elts;
    int k;

    for (k = from; k < end; k++) {
        apr_uint32_t hash;
        if (checks[k].window &&
            (geotag_splice_hash(ctx->splice, edits[k].offset,
                                checks[k].window, &hash) != APR_SUCCESS ||
             hash != checks[k].hash))
            return 0;
    }
    return 1;
}

/*
 * An element at a time: the checks of all its edits first (the bytes
 * after each offset must be those the edits were made on), then its
 * insertions, so markup never lands inside a word or a tag of a body that
 * changed under its validator, and never stays open.  Bytes from the next
 * edit on stay held until they can be checked.
 */
apr_status_t geotag_replay_ready(geotag_ctx *ctx, int eos)
{
    const geotag_edit *edits = (const geotag_edit *)ctx->replay.edits->elts;
    const geotag_edit_check *checks =
        (const geotag_edit_check *)ctx->replay.checks->elts;
    int n = ctx->replay.edits->nelts;
    apr_off_t seen = geotag_splice_seen(ctx->splice);
    char buf[GEOTAG_EDIT_RENDER_MAX];
    apr_status_t rv;

    while (ctx->replay_next < n) {
        int end = replay_atom_end(&ctx->replay, ctx->replay_next), k;
        apr_off_t need = 0;

        for (k = ctx->replay_next; k < end; k++)
            if (edits[k].offset + checks[k].window > need)
                need = edits[k].offset + checks[k].window;
        if (need > seen) {
            /* a HEAD through a proxy has no body to check: not a mismatch */
            if (!eos || ctx->r->header_only)
                break;
            geotag_replay_mismatch(ctx);
            return APR_SUCCESS;
        }
        if (!atom_fits(ctx, ctx->replay_next, end)) {
            geotag_replay_mismatch(ctx);
            return APR_SUCCESS;
        }
        for (k = ctx->replay_next; k < end; k++) {
            const char *bytes;
            apr_size_t len;
            if ((rv = geotag_splice_release(ctx->splice, edits[k].offset)) !=
                APR_SUCCESS)
                return rv;
            bytes = render_stored(ctx, &edits[k], buf, &len);
            geotag_splice_insert(ctx->splice, bytes, len);
        }
        ctx->replay_next = end;
    }
    return geotag_splice_release(ctx->splice,
                                 ctx->replay_next < n &&
                                         edits[ctx->replay_next].offset < seen
                                     ? edits[ctx->replay_next].offset
                                     : seen);
}

apr_status_t geotag_replay_bucket(geotag_ctx *ctx, apr_bucket *e)
{
    const geotag_edit *edits = (const geotag_edit *)ctx->replay.edits->elts;
    apr_off_t seen = geotag_splice_seen(ctx->splice);
    apr_status_t rv;

    if (e->length == (apr_size_t)-1) {
        if ((rv = geotag_splice_know_length(ctx->splice, e)) != APR_SUCCESS)
            return rv;
    }
    else if (APR_BUCKET_IS_FILE(e)) {
        int i = ctx->replay_next, dense = 0;
        while (i < ctx->replay.edits->nelts && dense < DENSE_EDITS &&
               edits[i].offset < seen + (apr_off_t)e->length) {
            i++;
            dense++;
        }
        if (dense >= DENSE_EDITS) {
            const char *data;
            apr_size_t n;
            if ((rv = apr_bucket_read(e, &data, &n, APR_BLOCK_READ)) !=
                APR_SUCCESS)
                return rv;
        }
    }
    geotag_splice_hold(ctx->splice, e);
    return geotag_replay_ready(ctx, 0);
}

/* ------------------------------------------------------------------ */
/* record and store                                                    */

/* What a replay will check of an edit about to be recorded: the bytes
 * after its offset that are in hand. */
static void record_check(geotag_ctx *ctx, const geotag_edit *e)
{
    geotag_edit_check *check = apr_array_push(ctx->record_checks);
    apr_off_t left = geotag_splice_seen(ctx->splice) - e->offset;

    check->window = (unsigned char)(left < GEOTAG_RESULT_CHECK_MAX
                                        ? (left > 0 ? left : 0)
                                        : GEOTAG_RESULT_CHECK_MAX);
    check->hash = 0;
    if (check->window &&
        geotag_splice_hash(ctx->splice, e->offset, check->window,
                           &check->hash) != APR_SUCCESS)
        check->window = 0;
}

void geotag_replay_record(geotag_ctx *ctx, const geotag_edit *e)
{
    if (!ctx->record || ctx->record_full)
        return;
    if (ctx->record->nelts >= RECORD_MAX_EDITS) {
        ctx->record_full = 1;
        return;
    }
    record_check(ctx, e);
    APR_ARRAY_PUSH(ctx->record, geotag_edit) = *e;
}

void geotag_replay_store(geotag_ctx *ctx)
{
    request_rec *r = ctx->r;
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
    res.length = geotag_splice_seen(ctx->splice);
    res.doc = *geotag_session_doc(ctx->session);
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
                         (unsigned int)len, ctx->ttl) != APR_SUCCESS) {
        geotag_count(GEOTAG_C_CACHE_STORE_FAILED, 1);
        return;
    }
    geotag_count(GEOTAG_C_CACHE_STORE, 1);
}
