/*
 * mod_geotag_splice.h: the splicer, which puts inserted bytes between the
 * original bytes of a response body without copying its long stretches.
 *
 * Body buckets are held as they arrive, at absolute offsets of the body.
 * geotag_splice_release() moves the held bytes up to an offset on to the
 * output: a stretch of at least GEOTAG_SPLICE_WHOLE bytes in its own
 * buckets (a file stays a file, for sendfile), a shorter one copied, with
 * the insertions around it, into one buffer that goes out as one bucket.
 * geotag_splice_pass() hands the output to the owner's pass function (the
 * next filter, in the module).  Only APR and APR-util: no httpd.
 */
#ifndef MOD_GEOTAG_SPLICE_H
#define MOD_GEOTAG_SPLICE_H

#include "apr_buckets.h"

/* A stretch of original bytes this long or longer goes on in its own
 * buckets; shorter ones are copied into a buffer of GEOTAG_SPLICE_BUFFER
 * bytes, together with the insertions. */
#define GEOTAG_SPLICE_WHOLE 4096
#define GEOTAG_SPLICE_BUFFER 16384
/* Within one filter call, what is ready goes on every this many bytes of
 * body (a 100 MB file arrives as one bucket and must not pile up). */
#define GEOTAG_SPLICE_PASS_EVERY (64 * 1024)
/* A body no longer than this, all in hand before anything went on, leaves
 * in one brigade with its EOS (see geotag_splice_in_hand()). */
#define GEOTAG_SPLICE_IN_HAND_MAX (256 * 1024)

typedef struct geotag_splice geotag_splice;

/* Hands the output on; the splicer empties 'out' afterwards. */
typedef apr_status_t geotag_splice_pass_fn(void *baton,
                                           apr_bucket_brigade *out);

/* A splicer for one body; its buffer is freed with the pool. */
geotag_splice *geotag_splice_create(apr_pool_t *pool, apr_bucket_alloc_t *ba,
                                    geotag_splice_pass_fn *pass, void *baton);

/*
 * Called with each brigade before its buckets are taken: 1 when the whole
 * body is, or will soon be, in hand: nothing passed on yet, and either
 * source_length (the Content-Length, or -1) is at most
 * GEOTAG_SPLICE_IN_HAND_MAX, or this brigade holds the EOS, every bucket
 * before it of a known length and no more than that many bytes in all.
 * Such a body is read blocking and leaves in one brigade with its EOS
 * (FLUSH buckets wait for it), so the response keeps a Content-Length.
 */
int geotag_splice_in_hand(geotag_splice *sp, apr_bucket_brigade *bb,
                          apr_off_t source_length);

/* Reads a data bucket: without blocking unless the body is in hand; when
 * the read would block, what is ready goes on first, with a FLUSH. */
apr_status_t geotag_splice_read(geotag_splice *sp, apr_bucket *b,
                                const char **data, apr_size_t *len);

/* Reads a bucket of unknown length (a pipe, a socket) so that its length
 * is known; leaves others unread. */
apr_status_t geotag_splice_know_length(geotag_splice *sp, apr_bucket *b);

/* Takes a bucket of known length out of its brigade and holds it: its
 * bytes follow the held ones (metadata keeps its place among them). */
void geotag_splice_hold(geotag_splice *sp, apr_bucket *b);

/* Moves the held bytes before absolute offset 'upto' to the output. */
apr_status_t geotag_splice_release(geotag_splice *sp, apr_off_t upto);

/* Inserts bytes (copied) after everything released so far. */
void geotag_splice_insert(geotag_splice *sp, const char *bytes,
                          apr_size_t len);

/* Moves everything held to the output as it is. */
apr_status_t geotag_splice_release_all(geotag_splice *sp);

/* Appends a bucket after everything released or inserted so far (taken
 * out of its brigade, if it is in one): FLUSH, EOS, a body of our own. */
void geotag_splice_append(geotag_splice *sp, apr_bucket *b);

/* Hands over a bucket of known length untouched, after what is held: the
 * rest of a body given up on. */
apr_status_t geotag_splice_pass_through(geotag_splice *sp, apr_bucket *b);

/* Counts a bucket of known length as body and deletes it, unread. */
void geotag_splice_drop(geotag_splice *sp, apr_bucket *b);

/*
 * The check hash (geotag_result_check_hash) of the held bytes [from,
 * from + n), from at or after the first held byte.  A file bucket is read
 * with pread(2), so it stays a file and its descriptor's offset stays.
 * APR_INCOMPLETE when the bytes are not all held.
 */
apr_status_t geotag_splice_hash(geotag_splice *sp, apr_off_t from,
                                apr_size_t n, apr_uint32_t *hash);

/* Passes the output on, if there is any. */
apr_status_t geotag_splice_pass(geotag_splice *sp);

/* Passes the output on when GEOTAG_SPLICE_PASS_EVERY more bytes of body
 * came in since the last time (never while the body is in hand). */
apr_status_t geotag_splice_pass_some(geotag_splice *sp);

/* Sets aside what is held and what waits to go on, so that it outlives
 * the brigade it came in (end of a filter call). */
apr_status_t geotag_splice_set_aside(geotag_splice *sp, apr_pool_t *pool);

apr_off_t geotag_splice_seen(const geotag_splice *sp);      /* body bytes */
apr_off_t geotag_splice_zero_copy(const geotag_splice *sp); /* uncopied */
apr_size_t geotag_splice_inserted(const geotag_splice *sp);
int geotag_splice_passed(const geotag_splice *sp);  /* anything went on */
int geotag_splice_body_in_hand(const geotag_splice *sp);

#endif
