/*
 * mod_geotag_filter.h: the GEOTAG output filter.
 *
 * The engine (src/) reads the response body as a stream and says where to
 * insert what; the filter never copies the body itself but hands the
 * buckets to the splicer (mod_geotag_splice.h).  The first call makes
 * every decision and every header change before anything is passed on;
 * then each bucket goes to the function of the response's mode:
 *
 *   tag      the engine reads the body; its edits are inserted, recorded,
 *            and stored at the end (mod_geotag_replay.h)
 *   replay   a cache hit: the stored edits are inserted, the body unread
 *   memory   the tagged page from the child's memory went out whole; the
 *            page's own buckets are dropped unread
 *   pass     fail open, or a page the engine gave up on: the rest goes
 *            through untouched, unread
 *
 * geotag_ctx, the state of one response, is shared with
 * mod_geotag_replay.c, the cache side of the same response.
 */
#ifndef MOD_GEOTAG_FILTER_H
#define MOD_GEOTAG_FILTER_H

#include "apr_sha1.h"
#include "httpd.h"
#include "util_filter.h"

#include "annotator.h"
#include "result.h"
#include "mod_geotag_cache.h"
#include "mod_geotag_splice.h"

typedef enum {
    GEOTAG_MODE_TAG,
    GEOTAG_MODE_REPLAY,
    GEOTAG_MODE_MEMORY,
    GEOTAG_MODE_PASS
} geotag_mode;

typedef struct {
    geotag_mode mode;
    ap_filter_t *f;
    request_rec *r;
    geotag_splice *splice;
    geotag_session *session;      /* GEOTAG_MODE_TAG, and stopped */
    const geotag_engine *engine;
    geotag_markup_mode markup;
    /* the cache */
    geotag_cache *cache;
    apr_interval_time_t ttl;
    const unsigned char *secret;  /* GeoTagCacheSecret's bytes ("" if none) */
    apr_size_t secret_len;
    unsigned char key[APR_SHA1_DIGESTSIZE];
    int cacheable;
    int strong_etag;              /* the key holds a strong ETag (else
                                     Last-Modified + Content-Length) */
    apr_array_header_t *record;   /* geotag_edit, for the cache */
    apr_array_header_t *record_checks; /* geotag_edit_check, beside it */
    int record_full;
    int error_bucket;
    const char *uncached;         /* "miss", or why not cached (tag mode) */
    int stopped;                  /* pass mode because the session gave up
                                     on the page: its outcome still counts */
    int preview;                  /* the editor preview (GeoTagPreview) */
    const char *preview_nonce;    /* its CSP nonce, or NULL */
    /* replay */
    geotag_result replay;
    int replay_next;
    /* the child's memory: the untagged body's length (Content-Length, -1
     * if unknown), and the output kept while a replay fills an entry */
    apr_off_t source_length;
    char *fill;
    apr_size_t fill_len, fill_cap;
    apr_size_t memory_inserted;   /* memory mode: bytes the tagging added */
} geotag_ctx;

/* The filter function and its init function (run just before the handler,
 * for a filter already in the chain). */
apr_status_t geotag_filter_out(ap_filter_t *f, apr_bucket_brigade *bb);
int geotag_filter_init(ap_filter_t *f);

/* The geotag-result note and environment variable (and geotag-mentions
 * when mentions >= 0). */
void geotag_filter_set_result(request_rec *r, const char *result,
                              int mentions);

#endif
