/*
 * test_splice.c: the splicer (mod_geotag_splice.c) on APR bucket brigades,
 * without a server: insertions land at their offsets, long stretches stay
 * in their own buckets (a file stays a file), short ones are copied
 * together with the insertions, metadata keeps its place, the check hash
 * reads held bytes wherever they are, and output goes on when it should.
 */
#include <stdlib.h>
#include <unistd.h>

#include "apr_general.h"
#include "apr_buckets.h"
#include "apr_file_io.h"
#include "apr_strings.h"

#include "tap.h"
#include "mod_geotag_splice.h"
#include "result.h"

static apr_pool_t *pool;
static apr_bucket_alloc_t *ba;

/* the pass function: what went on, and how many times */
typedef struct {
    apr_bucket_brigade *got;
    int calls;
} sink;

static apr_status_t to_sink(void *baton, apr_bucket_brigade *out)
{
    sink *s = baton;
    s->calls++;
    APR_BRIGADE_CONCAT(s->got, out);
    return APR_SUCCESS;
}

static geotag_splice *new_splice(sink *s)
{
    s->got = apr_brigade_create(pool, ba);
    s->calls = 0;
    return geotag_splice_create(pool, ba, to_sink, s);
}

static char *flatten(apr_bucket_brigade *bb)
{
    char *text;
    apr_size_t len;
    if (apr_brigade_pflatten(bb, &text, &len, pool) != APR_SUCCESS)
        return NULL;
    return apr_pstrmemdup(pool, text, len);
}

/* "H5 F4096 M ..." : the kinds and lengths of a brigade's buckets */
static const char *shape(apr_bucket_brigade *bb)
{
    const char *s = "";
    apr_bucket *b;
    for (b = APR_BRIGADE_FIRST(bb); b != APR_BRIGADE_SENTINEL(bb);
         b = APR_BUCKET_NEXT(b)) {
        const char *kind = APR_BUCKET_IS_FILE(b)    ? "F"
                           : APR_BUCKET_IS_FLUSH(b) ? "flush"
                           : APR_BUCKET_IS_EOS(b)   ? "eos"
                                                    : "D";
        s = apr_psprintf(pool, "%s%s%s", s, *s ? " " : "", kind);
        if (!APR_BUCKET_IS_METADATA(b))
            s = apr_psprintf(pool, "%s%" APR_SIZE_T_FMT, s, b->length);
    }
    return s;
}

static apr_bucket *data_bucket(const char *text, apr_size_t len)
{
    return apr_bucket_heap_create(text, len, NULL, ba);
}

/* a body of n bytes that says where it is: "0123456789" again and again */
static char *body_text(apr_size_t n)
{
    char *s = apr_palloc(pool, n + 1);
    apr_size_t i;
    for (i = 0; i < n; i++)
        s[i] = (char)('0' + i % 10);
    s[n] = '\0';
    return s;
}

static apr_bucket *file_bucket(const char *text, apr_size_t len)
{
    char *path = apr_pstrdup(pool, "/tmp/test_splice.XXXXXX");
    apr_file_t *fd;
    apr_size_t n = len;
    if (apr_file_mktemp(&fd, path, 0, pool) != APR_SUCCESS)
        return NULL;
    apr_file_remove(path, pool);
    if (apr_file_write_full(fd, text, len, &n) != APR_SUCCESS)
        return NULL;
    return apr_bucket_file_create(fd, 0, len, pool, ba);
}

static void test_short_stretches(void)
{
    sink s;
    geotag_splice *sp = new_splice(&s);
    apr_bucket_brigade *in = apr_brigade_create(pool, ba);
    char *body = body_text(100);

    APR_BRIGADE_INSERT_TAIL(in, data_bucket(body, 30));
    APR_BRIGADE_INSERT_TAIL(in, data_bucket(body + 30, 40));
    APR_BRIGADE_INSERT_TAIL(in, data_bucket(body + 70, 30));
    while (!APR_BRIGADE_EMPTY(in))
        geotag_splice_hold(sp, APR_BRIGADE_FIRST(in));
    is_int(geotag_splice_seen(sp), 100, "short: every held byte counts");
    ok(geotag_splice_release(sp, 10) == APR_SUCCESS, "short: release to 10");
    geotag_splice_insert(sp, "<a>", 3);
    ok(geotag_splice_release(sp, 35) == APR_SUCCESS,
       "short: release to 35, across a bucket boundary");
    geotag_splice_insert(sp, "</a>", 4);
    ok(geotag_splice_release_all(sp) == APR_SUCCESS, "short: release all");
    ok(geotag_splice_pass(sp) == APR_SUCCESS, "short: pass");
    is_str(flatten(s.got),
           apr_pstrcat(pool, apr_pstrndup(pool, body, 10), "<a>",
                       apr_pstrndup(pool, body + 10, 25), "</a>", body + 35,
                       NULL),
           "short: the insertions at their offsets, every byte once");
    /* 10 + 3 + 25 + 4 bytes copied into one buffer, then the rest of the
     * second bucket (after the bytes copied out of it) and the third */
    is_str(shape(s.got), "D42 D35 D30",
           "short: copied stretches and insertions share one bucket");
    is_int(geotag_splice_inserted(sp), 7, "short: inserted bytes counted");
    is_int(geotag_splice_zero_copy(sp), 0,
           "short: nothing released as its own bucket by release()");
    is_int(s.calls, 1, "short: one pass");
    ok(geotag_splice_passed(sp), "short: passed is set");
}

static void test_file_stays_file(void)
{
    sink s;
    geotag_splice *sp = new_splice(&s);
    apr_bucket_brigade *in = apr_brigade_create(pool, ba);
    char *body = body_text(20000);
    apr_bucket *f = file_bucket(body, 20000);
    apr_uint32_t h;

    ok(f != NULL, "file: a file bucket");
    if (!f)
        return;
    APR_BRIGADE_INSERT_TAIL(in, f);
    geotag_splice_hold(sp, f);
    /* a short stretch out of the file: split, the piece copied */
    ok(geotag_splice_release(sp, 100) == APR_SUCCESS, "file: release 100");
    geotag_splice_insert(sp, "X", 1);
    ok(geotag_splice_hash(sp, 110, 32, &h) == APR_SUCCESS &&
           h == geotag_result_check_hash(GEOTAG_RESULT_CHECK_SEED,
                                         body + 110, 32),
       "file: check hash of held file bytes (pread)");
    /* a long stretch: its own file bucket */
    ok(geotag_splice_release(sp, 10000) == APR_SUCCESS, "file: release 10000");
    geotag_splice_insert(sp, "Y", 1);
    ok(geotag_splice_release_all(sp) == APR_SUCCESS, "file: release all");
    ok(geotag_splice_pass(sp) == APR_SUCCESS, "file: pass");
    is_str(shape(s.got), "D101 F9900 D1 F10000",
           "file: long stretches stay file buckets, for sendfile");
    is_int(geotag_splice_zero_copy(sp), 9900,
           "file: the long stretch released counts as zero-copy");
    is_str(flatten(s.got),
           apr_pstrcat(pool, apr_pstrndup(pool, body, 100), "X",
                       apr_pstrndup(pool, body + 100, 9900), "Y",
                       body + 10000, NULL),
           "file: the bytes and the insertions in order");
}

static void test_hash_and_metadata(void)
{
    sink s;
    geotag_splice *sp = new_splice(&s);
    apr_bucket_brigade *in = apr_brigade_create(pool, ba);
    char *body = body_text(60);
    apr_uint32_t h = 0;

    APR_BRIGADE_INSERT_TAIL(in, data_bucket(body, 20));
    APR_BRIGADE_INSERT_TAIL(in, apr_bucket_flush_create(ba));
    APR_BRIGADE_INSERT_TAIL(in, data_bucket(body + 20, 40));
    while (!APR_BRIGADE_EMPTY(in))
        geotag_splice_hold(sp, APR_BRIGADE_FIRST(in));
    is_int(geotag_splice_seen(sp), 60, "meta: metadata adds no bytes");
    ok(geotag_splice_release(sp, 5) == APR_SUCCESS, "meta: release 5");
    /* from inside the first bucket (5 bytes copied out of it) across the
     * FLUSH into the next */
    ok(geotag_splice_hash(sp, 10, 30, &h) == APR_SUCCESS &&
           h == geotag_result_check_hash(GEOTAG_RESULT_CHECK_SEED, body + 10,
                                         30),
       "meta: check hash across buckets, after a partial copy");
    ok(geotag_splice_hash(sp, 50, 20, &h) == APR_INCOMPLETE,
       "meta: check hash past the held bytes is incomplete");
    ok(geotag_splice_release(sp, 30) == APR_SUCCESS, "meta: release 30");
    ok(geotag_splice_pass(sp) == APR_SUCCESS, "meta: pass");
    is_str(shape(s.got), "D20 flush D10",
           "meta: the FLUSH stays between the bytes around it");
    ok(geotag_splice_release_all(sp) == APR_SUCCESS &&
           geotag_splice_pass(sp) == APR_SUCCESS,
       "meta: release the rest");
    is_str(flatten(s.got), body, "meta: every byte once, in order");
}

static void test_in_hand_and_passing(void)
{
    sink s;
    geotag_splice *sp = new_splice(&s);
    apr_bucket_brigade *bb = apr_brigade_create(pool, ba);
    apr_size_t big = GEOTAG_SPLICE_PASS_EVERY + 1000;
    char *body = body_text(big);
    apr_bucket *b;

    APR_BRIGADE_INSERT_TAIL(bb, data_bucket(body, 1000));
    is_int(geotag_splice_in_hand(sp, bb, -1), 0,
           "in hand: not without the EOS or a length");
    is_int(geotag_splice_in_hand(sp, bb, 5000), 1,
           "in hand: a short Content-Length");
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_eos_create(ba));
    is_int(geotag_splice_in_hand(sp, bb, -1), 1,
           "in hand: a short body with its EOS");
    is_int(geotag_splice_in_hand(sp, bb, GEOTAG_SPLICE_IN_HAND_MAX + 1), 1,
           "in hand: the EOS decides when the length is long");
    apr_brigade_cleanup(bb);

    is_int(geotag_splice_in_hand(sp, bb, -1), 0, "in hand: streaming");
    b = data_bucket(body, big);
    APR_BRIGADE_INSERT_TAIL(bb, b);
    geotag_splice_hold(sp, b);
    ok(geotag_splice_release(sp, (apr_off_t)big) == APR_SUCCESS,
       "pass some: release everything");
    ok(geotag_splice_pass_some(sp) == APR_SUCCESS && s.calls == 1,
       "pass some: passed once 64 KB came in");
    ok(geotag_splice_pass_some(sp) == APR_SUCCESS && s.calls == 1,
       "pass some: not again before 64 KB more");
    ok(geotag_splice_pass(sp) == APR_SUCCESS && s.calls == 1,
       "pass: an empty output is not passed");
    is_int(geotag_splice_in_hand(sp, bb, 10), 0,
           "in hand: never after something went on");

    /* a page given up on: what is held, then the rest untouched */
    b = data_bucket("abc", 3);
    geotag_splice_hold(sp, b);
    b = data_bucket("defg", 4);
    ok(geotag_splice_pass_through(sp, b) == APR_SUCCESS,
       "pass through: after what is held");
    b = data_bucket("hij", 3);
    geotag_splice_drop(sp, b);
    is_int(geotag_splice_seen(sp), (long long)big + 10,
           "drop: counted as body");
    geotag_splice_append(sp, apr_bucket_eos_create(ba));
    apr_brigade_cleanup(s.got);
    ok(geotag_splice_pass(sp) == APR_SUCCESS, "pass: the end");
    is_str(shape(s.got), "D3 D4 eos", "pass through: in order, then the EOS");
    is_int(geotag_splice_zero_copy(sp), (long long)big + 4,
           "pass through: zero-copy bytes");
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    ba = apr_bucket_alloc_create(pool);
    test_short_stretches();
    test_file_stays_file();
    test_hash_and_metadata();
    test_in_hand_and_passing();
    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
