/*
 * test_memo.c: hot pages in a process's memory (memo.h).
 *
 * What an operator relies on: a page comes back byte for byte, only for a
 * body of the length it was made from; the budget holds (least recently
 * used pages go first, a page over a quarter of it is never kept); an
 * entry expires; a page is admitted at its second replay; and an entry
 * evicted while a response still holds its bucket stays readable until
 * that bucket is destroyed (the sanitizers, make asan, check the frees).
 * The threaded memory is driven by several threads at once, and one whose
 * lock fails gives up (a miss, nothing stored) rather than touch its list.
 *
 * The memory's source is compiled in (not its header), so that a test can
 * reach the mutex and break it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>
#include <apr_buckets.h>
#include <apr_thread_proc.h>
#include <apr_time.h>

#include "memo.c"
#include "tap.h"

static apr_pool_t *pool;
static apr_bucket_alloc_t *ba;
static int files;   /* the suite runs twice: bodies in memory, then in files */

static void key_of(int n, unsigned char key[GEOTAG_MEMO_KEY_LEN])
{
    int i;
    for (i = 0; i < GEOTAG_MEMO_KEY_LEN; i++)
        key[i] = (unsigned char)(n * 31 + i * 7 + (n >> 8));
}

/* A malloc'd body of len bytes, filled from seed. */
static char *body_of(int seed, apr_size_t len)
{
    char *b = malloc(len ? len : 1);
    apr_size_t i;
    for (i = 0; i < len; i++)
        b[i] = (char)('a' + (seed + i) % 26);
    return b;
}

static int put(geotag_memo *m, int n, apr_size_t len, apr_off_t source)
{
    unsigned char key[GEOTAG_MEMO_KEY_LEN];
    key_of(n, key);
    return geotag_memo_put(m, key, apr_time_from_sec(60), source, n,
                           body_of(n, len), len);
}

/* The entry n as a string, or NULL. */
static char *get(geotag_memo *m, int n, apr_off_t source, int *mentions)
{
    unsigned char key[GEOTAG_MEMO_KEY_LEN];
    apr_bucket *b;
    const char *data;
    apr_size_t len;
    char *out;

    key_of(n, key);
    b = geotag_memo_get(m, key, source, 0, pool, ba, mentions);
    if (!b)
        return NULL;
    if (apr_bucket_read(b, &data, &len, APR_BLOCK_READ) != APR_SUCCESS) {
        apr_bucket_destroy(b);
        return NULL;
    }
    out = apr_pstrmemdup(pool, data, len);
    apr_bucket_destroy(b);
    return out;
}

static int same_body(const char *got, int n, apr_size_t len)
{
    char *want = body_of(n, len);
    int same = got && strlen(got) == len && memcmp(got, want, len) == 0;
    free(want);
    return same;
}

static void test_round_trip(void)
{
    geotag_memo *m = geotag_memo_create(pool, 64 * 1024, 0, files);
    int mentions = -1;
    char *got;

    ok(geotag_memo_create(pool, 0, 0, 0) == NULL, "a budget of 0 is no memory");
    ok(m != NULL, "a 64 KB memory");
    is_int((long long)geotag_memo_max_entry(m), 16 * 1024, "an entry may take a quarter");
    ok(put(m, 1, 1000, 600), "a page is kept");
    got = get(m, 1, 600, &mentions);
    ok(same_body(got, 1, 1000), "and comes back byte for byte");
    is_int(mentions, 1, "with its mention count");
    ok(get(m, 1, 601, &mentions) == NULL,
       "not for a source body of another length");
    ok(get(m, 2, 600, &mentions) == NULL, "not under another key");
    ok(put(m, 1, 2000, 600), "the same key again replaces it");
    ok(same_body(get(m, 1, 600, &mentions), 1, 2000), "with the new body");
    is_int(geotag_memo_entries(m), 1, "one entry");
    is_int((long long)geotag_memo_used(m), 2000, "its bytes counted once");
    ok(!put(m, 3, 16 * 1024 + 1, 10), "a page over a quarter of the budget is not kept");
    is_int((long long)geotag_memo_used(m), 2000, "and takes nothing");
}

static void test_budget(void)
{
    geotag_memo *m = geotag_memo_create(pool, 40000, 0, files);
    int i, mentions, kept = 0;

    for (i = 0; i < 4; i++)
        put(m, 10 + i, 10000, 5000);
    is_int((long long)geotag_memo_used(m), 40000, "four 10,000-byte pages fill 40,000 bytes");
    get(m, 10, 5000, &mentions);   /* 10 is now the most recently used */
    put(m, 14, 10000, 5000);
    ok(get(m, 11, 5000, &mentions) == NULL, "a fifth evicts the least recently used");
    ok(get(m, 10, 5000, &mentions) != NULL, "not the one just read");
    for (i = 20; i < 200; i++)
        put(m, i, 1000 + (apr_size_t)(i * 37) % 9000, 100);
    ok(geotag_memo_used(m) <= 40000, "many pages later the budget still holds (%lu bytes)",
       (unsigned long)geotag_memo_used(m));
    for (i = 20; i < 200; i++)
        kept += get(m, i, 100, &mentions) != NULL;
    is_int(kept, geotag_memo_entries(m), "every entry counted can be read");
}

static void test_expiry(void)
{
    geotag_memo *m = geotag_memo_create(pool, 64 * 1024, 0, files);
    unsigned char key[GEOTAG_MEMO_KEY_LEN];
    int mentions;

    key_of(7, key);
    geotag_memo_put(m, key, apr_time_from_msec(20), 50, 0, body_of(7, 100), 100);
    ok(get(m, 7, 50, &mentions) != NULL, "a page is there within its TTL");
    apr_sleep(apr_time_from_msec(40));
    ok(get(m, 7, 50, &mentions) == NULL, "and gone after it");
    is_int((long long)geotag_memo_used(m), 0, "its bytes returned");
}

static void test_admission(void)
{
    geotag_memo *m = geotag_memo_create(pool, 64 * 1024, 0, files);
    unsigned char a[GEOTAG_MEMO_KEY_LEN], b[GEOTAG_MEMO_KEY_LEN];

    key_of(100, a);
    key_of(101, b);
    ok(!geotag_memo_admit(m, a), "a first replay is not admitted");
    ok(!geotag_memo_admit(m, b), "nor another page's");
    ok(geotag_memo_admit(m, a), "the second replay of a page is");
    ok(!geotag_memo_admit(NULL, a), "without a memory nothing is");
}

/* An entry evicted while a bucket (a response being sent) holds it stays
 * readable, and is freed with the last of its buckets. */
static void test_eviction_in_flight(void)
{
    geotag_memo *m = geotag_memo_create(pool, 40000, 0, files);
    unsigned char key[GEOTAG_MEMO_KEY_LEN];
    apr_bucket *b, *copy, *tail;
    const char *data;
    apr_size_t len;
    int mentions, good = 1, i;

    key_of(1, key);
    put(m, 1, 10000, 4000);
    b = geotag_memo_get(m, key, 4000, 0, pool, ba, &mentions);
    ok(b != NULL, "a response holds the page's bucket");
    apr_bucket_copy(b, &copy);
    apr_bucket_split(b, 5000);
    tail = APR_BUCKET_NEXT(b);
    for (i = 2; i < 12; i++)
        put(m, i, 10000, 4000);     /* evicts page 1 */
    ok(get(m, 1, 4000, &mentions) == NULL, "the page is evicted meanwhile");
    good &= apr_bucket_read(b, &data, &len, APR_BLOCK_READ) == APR_SUCCESS &&
            len == 5000 && same_body(apr_pstrmemdup(pool, data, 5000), 1, 5000);
    apr_bucket_destroy(b);
    good &= apr_bucket_read(tail, &data, &len, APR_BLOCK_READ) == APR_SUCCESS &&
            len == 5000 && data[0] == 'a' + (1 + 5000) % 26;
    apr_bucket_destroy(tail);
    good &= apr_bucket_read(copy, &data, &len, APR_BLOCK_READ) == APR_SUCCESS &&
            len == 10000;
    apr_bucket_destroy(copy);
    ok(good, "its bucket, split and copied, still reads the page's bytes");
}

/* With sendfile the hit is a FILE bucket of its own: the page's bytes,
 * still there after the entry is evicted. */
static void test_file_bucket(void)
{
    geotag_memo *m = geotag_memo_create(pool, 400000, 0, 1);
    unsigned char key[GEOTAG_MEMO_KEY_LEN];
    apr_bucket_brigade *bb = apr_brigade_create(pool, ba);
    apr_bucket *b;
    static char buf[100001];
    apr_size_t len = sizeof(buf);
    int mentions, i;

    key_of(1, key);
    put(m, 1, 100000, 4000);
    b = geotag_memo_get(m, key, 4000, 1, pool, ba, &mentions);
#if defined(__linux__)
    ok(b && APR_BUCKET_IS_FILE(b), "with sendfile: a FILE bucket");
#else
    ok(b != NULL, "with sendfile: a bucket (no in-memory files here)");
#endif
    if (!b)
        return;
    APR_BRIGADE_INSERT_TAIL(bb, b);
    for (i = 2; i < 12; i++)
        put(m, i, 100000, 4000);    /* evicts page 1 */
    ok(apr_brigade_flatten(bb, buf, &len) == APR_SUCCESS && len == 100000 &&
       same_body(apr_pstrmemdup(pool, buf, len), 1, 100000),
       "that reads the page's bytes after the page was evicted");
    apr_brigade_cleanup(bb);
    b = geotag_memo_get(m, key, 4000, 0, pool, ba, &mentions);
    ok(b == NULL, "and the entry itself is gone");
    put(m, 20, 20000, 4000);
    key_of(20, key);
    b = geotag_memo_get(m, key, 4000, 1, pool, ba, &mentions);
    ok(b && !APR_BUCKET_IS_FILE(b), "a page under 32 KB goes out from memory even so");
    if (b)
        apr_bucket_destroy(b);
}

#if APR_HAS_THREADS
typedef struct {
    geotag_memo *memo;
    int id;
    int bad;
} worker;

static void *APR_THREAD_FUNC hammer(apr_thread_t *thread, void *data)
{
    worker *w = data;
    apr_bucket_alloc_t *list;
    apr_pool_t *p;
    int i;

    apr_pool_create(&p, NULL);
    list = apr_bucket_alloc_create(p);
    for (i = 0; i < 2000; i++) {
        int n = (w->id * 7 + i) % 40, mentions = -1;
        unsigned char key[GEOTAG_MEMO_KEY_LEN];
        /* 20 to 59 KB: some in memory, some in files (from 32 KB) */
        apr_size_t size = 20000 + (apr_size_t)n * 1000;
        apr_bucket *b;

        key_of(n, key);
        b = geotag_memo_get(w->memo, key, 77, n % 2, p, list, &mentions);
        if (b) {
            const char *d;
            apr_size_t len;
            char *want = body_of(n, size);
            if (apr_bucket_read(b, &d, &len, APR_BLOCK_READ) != APR_SUCCESS ||
                len != size || memcmp(d, want, size) != 0 || mentions != n)
                w->bad++;
            free(want);
            apr_bucket_destroy(b);
        }
        else {
            geotag_memo_put(w->memo, key, apr_time_from_sec(60), 77, n,
                            body_of(n, size), size);
        }
    }
    apr_bucket_alloc_destroy(list);
    apr_pool_destroy(p);
    /* returned, not apr_thread_exit(): pthread_exit's unwinding upsets the
     * address sanitizer (make asan) */
    (void)thread;
    return NULL;
}

static void test_threads(void)
{
    /* room for about a third of the 40 pages: constant eviction */
    geotag_memo *m = geotag_memo_create(pool, 400000, 1, files);
    apr_thread_t *threads[4];
    worker workers[4];
    int i, bad = 0;

    for (i = 0; i < 4; i++) {
        workers[i].memo = m;
        workers[i].id = i;
        workers[i].bad = 0;
        apr_thread_create(&threads[i], NULL, hammer, &workers[i], pool);
    }
    for (i = 0; i < 4; i++) {
        apr_status_t rv;
        apr_thread_join(&rv, threads[i]);
        bad += workers[i].bad;
    }
    is_int(bad, 0, "four threads reading and storing at once: every page read is right");
    ok(geotag_memo_used(m) <= 400000, "and the budget holds (%lu bytes)",
       (unsigned long)geotag_memo_used(m));
}

/* A lock that fails must never let the list and the table be touched
 * unlocked: the memory answers a miss and stores nothing.  The mutex is
 * broken by destroying it: glibc's lock then fails (EINVAL). */
static void test_failed_lock(void)
{
#ifdef __GLIBC__
    geotag_memo *m = geotag_memo_create(pool, 64 * 1024, 1, files);
    int mentions = -1;

    ok(m && m->lock && put(m, 1, 100, 100), "failed lock: an entry stored");
    if (!m || !m->lock)
        return;
    apr_thread_mutex_destroy(m->lock);
    ok(get(m, 1, 100, &mentions) == NULL, "failed lock: a lookup is a miss");
    ok(put(m, 2, 200, 200) == 0, "failed lock: nothing is stored");
    ok(geotag_memo_entries(m) == 1 && geotag_memo_used(m) == 100,
       "failed lock: the memory is as it was (%d entries, %lu bytes)",
       geotag_memo_entries(m), (unsigned long)geotag_memo_used(m));
#else
    ok(1, "# SKIP failed lock: a broken mutex is glibc's");
#endif
}
#endif

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    ba = apr_bucket_alloc_create(pool);
    (void)tap_plan;

    for (files = 0; files < 2; files++) {
        tap_diag(files ? "bodies in in-memory files" : "bodies in memory");
        test_round_trip();
        test_budget();
        test_expiry();
        test_admission();
        test_eviction_in_flight();
#if APR_HAS_THREADS
        test_threads();
        test_failed_lock();
#endif
    }
    test_file_bucket();

    apr_bucket_alloc_destroy(ba);
    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
