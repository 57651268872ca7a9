/*
 * mod_geotag_replay.h: the cache side of one response.
 *
 * A tagged response records its edits (with a check hash of the bytes
 * after each) and stores them, sealed, at the end.  A later response with
 * the same key looks them up and replays them onto the body without
 * reading it, an element at a time and only where the bytes the checks
 * cover hash as recorded; the first mismatch ends the tagging and drops
 * the entry.  The second replay of a page in a child keeps the tagged
 * body in that child's memory (src/memo.c), whose next hit sends it whole.
 */
#ifndef MOD_GEOTAG_REPLAY_H
#define MOD_GEOTAG_REPLAY_H

#include "httpd.h"

#include "memo.h"
#include "mod_geotag_filter.h"

/* child_init: this child's memory of hot pages (GeoTagCacheMemory). */
void geotag_replay_child_init(apr_pool_t *p, server_rec *s);

/* This child's memory, or NULL. */
geotag_memo *geotag_replay_memo(void);

/* The tagged page from this child's memory, as one bucket (*mentions set),
 * or NULL. */
apr_bucket *geotag_replay_memory_hit(geotag_ctx *ctx, int *mentions);

/* The stored entry for ctx->key into ctx->replay: 1 when there is one to
 * replay.  A refused entry (seal, version, format) is counted; one made
 * on a body of another length is dropped as a mismatch. */
int geotag_replay_look_up(geotag_ctx *ctx);

/* The length of the tagged page the replay will produce (for a HEAD). */
apr_off_t geotag_replay_length(geotag_ctx *ctx);

/* The second replay of a page in this child: keep a copy of the output
 * (the first only counts). */
void geotag_replay_start_fill(geotag_ctx *ctx);

/* Copies what goes on into the entry being filled. */
void geotag_replay_fill(geotag_ctx *ctx, apr_bucket_brigade *bb);

/* At the end: the filled entry goes into the child's memory. */
void geotag_replay_keep(geotag_ctx *ctx);

/* Replay mode: one body bucket (read only when its length is unknown, or
 * when many edits fall into one file bucket). */
apr_status_t geotag_replay_bucket(geotag_ctx *ctx, apr_bucket *e);

/* Inserts the stored edits whose bytes are in hand; at the end (eos),
 * what cannot be checked any more is a mismatch. */
apr_status_t geotag_replay_ready(geotag_ctx *ctx, int eos);

/* The stored edits did not fit the body: the rest passes untouched. */
void geotag_replay_mismatch(geotag_ctx *ctx);

/* Tag mode: records an edit (and its check) before its offset is
 * released. */
void geotag_replay_record(geotag_ctx *ctx, const geotag_edit *e);

/* Tag mode, at the end: stores the recorded result, when the response is
 * complete and cacheable. */
void geotag_replay_store(geotag_ctx *ctx);

#endif
