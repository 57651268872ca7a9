/*
 * memo.c: hot pages, fully tagged, in the memory of each child process
 * (GeoTagCacheMemory).  APR only: the filter (mod_geotag.c) decides what to
 * keep and when to answer from it; the unit tests drive it directly.
 *
 * Here's the concept.  The shared cache (GeoTagCache) stores the edits of
 * a page, about a kilobyte, so that every child and every server of a farm
 * can replay them; but a replay still reads the page, renders a few
 * hundred insertions and rebuilds the JSON-LD, which on a dense article
 * costs more than serving the file.  So the second time a child replays a
 * page (the page has proved hot: it was requested at least twice) it keeps
 * the whole tagged body in its own memory, under the same key.  From then
 * on that child answers with those bytes: the page is not read (its file
 * bucket is dropped unread), nothing is rendered, and the bytes go out
 * from one bucket that points into the entry (no copy).  On Linux a page
 * of 32 KB to 4 MB lives in an in-memory file instead (memfd, mapped for
 * that bucket), so that a hit can go out with sendfile as a static file
 * does; such an entry also holds a small pool (about 8 KB, not counted in
 * the budget) for the APR file a hit duplicates.
 *
 *   key       the shared cache's key: URL, the source's strong validator,
 *             the configuration digest (dictionary generation included)
 *   budget    GeoTagCacheMemory bytes per child; an entry may take a
 *             quarter of it; least recently used entries go first
 *   lifetime  an entry expires with GeoTagCacheTTL, counted from the
 *             moment it entered this memory
 *   sharing   worker threads share one memory under a thread mutex; an
 *             entry evicted while a response still sends it lives on
 *             until its last bucket is destroyed (reference count)
 *
 * It must never: hand out an entry for a body of another length than the
 * one it was made from; hold the lock while copying or sending; grow past
 * its budget.
 */
#include <stdlib.h>
#include <string.h>

#include <apr_hash.h>
#include <apr_atomic.h>
#include <apr_strings.h>
#include <apr_thread_mutex.h>
#include <apr_time.h>
#include <apr_portable.h>
#include <apr_mmap.h>
#include <apr_ring.h>

#include "memo.h"

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#if defined(MFD_CLOEXEC) && APR_HAS_MMAP
#define GEOTAG_MEMO_HAVE_FILES 1
/* APR maps a file bucket whole up to this size, else reads it */
#define GEOTAG_MEMO_FILE_MAX APR_MMAP_LIMIT
/* Below this a single writev from memory costs less than sendfile with its
 * dup, close and TCP_CORK calls (make bench: 0.93x against 0.86x of static
 * on a 28 KB page; 0.83x against 0.77x on 82 KB) */
#define GEOTAG_MEMO_FILE_MIN (32 * 1024)
#endif
#endif

/* Keys replayed once, remembered by a fingerprint in a direct-mapped
 * table: a page is admitted at its second replay.  A collision forgets a
 * page (it is admitted one replay later); it never admits a cold one
 * wrongly, unless two keys share 64 bits. */
#define ADMIT_SLOTS 4096

typedef struct memo_entry memo_entry;
struct memo_entry {
    APR_RING_ENTRY(memo_entry) lru; /* newest first */
    unsigned char key[GEOTAG_MEMO_KEY_LEN];
    apr_time_t expires;
    apr_off_t source_length;        /* the untagged body it was made from */
    int mentions;
    apr_uint32_t references;        /* the memory's own + one per bucket */
    apr_size_t length;
    char *body;                     /* malloc'd, or the file mapped */
    int fd;                         /* the body as an in-memory file, or -1 */
    apr_pool_t *file_pool;          /* holds 'file' (unmanaged: freed with
                                       the entry by whichever thread) */
    apr_file_t *file;               /* fd as an APR file, or NULL */
};

struct geotag_memo {
    apr_size_t budget, used, max_entry;
    apr_hash_t *entries;            /* key -> memo_entry */
    apr_pool_t *table_pool;         /* the table's own (unmanaged): a new
                                       key allocates under the lock, while
                                       other threads may be allocating from
                                       the pool the memory was made in */
    APR_RING_HEAD(memo_lru, memo_entry) lru; /* newest first */
    apr_uint64_t *replayed;         /* ADMIT_SLOTS fingerprints of keys */
    int files;                      /* keep bodies in memfd files */
#if APR_HAS_THREADS
    apr_thread_mutex_t *lock;       /* NULL without a threaded MPM */
#endif
};

/* 1 when the memory may be touched.  A lock that fails (a broken mutex)
 * is 0: the caller gives up, a miss or nothing stored, because touching
 * the list and the table unlocked could corrupt them for every thread. */
static int lock(geotag_memo *m)
{
#if APR_HAS_THREADS
    if (m->lock && apr_thread_mutex_lock(m->lock) != APR_SUCCESS)
        return 0;
#endif
    return 1;
}

static void unlock(geotag_memo *m)
{
#if APR_HAS_THREADS
    if (m->lock)
        apr_thread_mutex_unlock(m->lock);
#endif
}

static void entry_release(memo_entry *e)
{
    if (apr_atomic_dec32(&e->references) == 0) {
#ifdef GEOTAG_MEMO_HAVE_FILES
        if (e->fd >= 0) {
            munmap(e->body, e->length);
            if (e->file_pool)
                apr_pool_destroy(e->file_pool);
            close(e->fd);
        }
        else
#endif
            free(e->body);
        free(e);
    }
}

#ifdef GEOTAG_MEMO_HAVE_FILES
/* The body moves into an in-memory file (memfd), mapped for reading: a
 * hit can then go out with sendfile, as a static file does, instead of
 * being copied to the socket from user memory.  0 if it stays in body. */
static int entry_to_file(memo_entry *e)
{
    apr_size_t done = 0;
    void *map;
    int fd = memfd_create("geotag-page", MFD_CLOEXEC);

    if (fd < 0)
        return 0;
    while (done < e->length) {
        ssize_t n = write(fd, e->body + done, e->length - done);
        if (n <= 0) {
            close(fd);
            return 0;
        }
        done += (apr_size_t)n;
    }
    map = mmap(NULL, e->length, PROT_READ, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED) {
        close(fd);
        return 0;
    }
    free(e->body);
    e->body = map;
    e->fd = fd;
    /* the APR file a hit duplicates (sendfile enabled); without it the
     * body still serves from the mapping */
    if (apr_pool_create_unmanaged_ex(&e->file_pool, NULL, NULL) == APR_SUCCESS &&
        apr_os_file_put(&e->file, &e->fd, APR_FOPEN_READ | APR_FOPEN_BINARY |
                                            APR_FOPEN_SENDFILE_ENABLED,
                        e->file_pool) != APR_SUCCESS)
        e->file = NULL;
    return 1;
}

/* A FILE bucket on a duplicate of the entry's descriptor, closed with the
 * request's pool (or the pool a set-aside moves it to) whatever happens to
 * the entry meanwhile.  Duplicates share one file offset, so the bucket
 * must never be read with seek + read: sendfile and mmap take offsets of
 * their own, and the caller only asks for a file when both are on; the
 * entry is no larger than what APR maps whole. */
static apr_bucket *file_bucket(memo_entry *e, apr_pool_t *pool,
                               apr_bucket_alloc_t *list)
{
    apr_file_t *f = NULL;

    if (e->file == NULL || e->length > GEOTAG_MEMO_FILE_MAX ||
        apr_file_dup(&f, e->file, pool) != APR_SUCCESS)
        return NULL;
    return apr_bucket_file_create(f, 0, e->length, pool, list);
}
#endif

/* ------------------------------------------------------------------ */
/* the bucket: a shared (refcounted) view of an entry's body            */

typedef struct {
    apr_bucket_refcount refcount;   /* first, for apr_bucket_shared_* */
    memo_entry *entry;
} memo_bucket;

static apr_status_t memo_bucket_read(apr_bucket *b, const char **str,
                                     apr_size_t *len, apr_read_type_e block)
{
    memo_bucket *m = b->data;
    *str = m->entry->body + b->start;
    *len = b->length;
    return APR_SUCCESS;
}

static void memo_bucket_destroy(void *data)
{
    memo_bucket *m = data;
    if (apr_bucket_shared_destroy(m)) {
        entry_release(m->entry);
        apr_bucket_free(m);
    }
}

/* The data is the process's, not a pool's: setting aside is a no-op. */
static const apr_bucket_type_t memo_bucket_type = {
    "GEOTAG_MEMORY", 5, APR_BUCKET_DATA,
    memo_bucket_destroy,
    memo_bucket_read,
    apr_bucket_setaside_noop,
    apr_bucket_shared_split,
    apr_bucket_shared_copy
};

static apr_bucket *memo_bucket_create(memo_entry *e, apr_bucket_alloc_t *list)
{
    apr_bucket *b = apr_bucket_alloc(sizeof(*b), list);
    memo_bucket *m = apr_bucket_alloc(sizeof(*m), list);

    APR_BUCKET_INIT(b);
    b->free = apr_bucket_free;
    b->list = list;
    m->entry = e;
    b = apr_bucket_shared_make(b, m, 0, e->length);
    b->type = &memo_bucket_type;
    return b;
}

/* ------------------------------------------------------------------ */
/* the memory                                                          */

/* The least recently used entry, or NULL. */
static memo_entry *oldest(geotag_memo *m)
{
    return APR_RING_EMPTY(&m->lru, memo_entry, lru) ? NULL
                                                    : APR_RING_LAST(&m->lru);
}

/* Under the lock. */
static void evict(geotag_memo *m, memo_entry *e)
{
    APR_RING_REMOVE(e, lru);
    apr_hash_set(m->entries, e->key, GEOTAG_MEMO_KEY_LEN, NULL);
    m->used -= e->length;
    entry_release(e);
}

/* The pool goes: the memory lets go of every entry (one a bucket still
 * holds is freed with that bucket).  No request runs any more: no lock. */
static apr_status_t memo_cleanup(void *data)
{
    geotag_memo *m = data;
    memo_entry *e;
    while ((e = oldest(m)) != NULL)
        evict(m, e);
    apr_pool_destroy(m->table_pool);
    return APR_SUCCESS;
}

geotag_memo *geotag_memo_create(apr_pool_t *p, apr_size_t budget,
                                int threaded, int files)
{
    geotag_memo *m;

    if (budget == 0)
        return NULL;
    m = apr_pcalloc(p, sizeof(*m));
    m->budget = budget;
    m->files = files;
    m->max_entry = budget / 4;
    APR_RING_INIT(&m->lru, memo_entry, lru);
    m->replayed = apr_pcalloc(p, ADMIT_SLOTS * sizeof(*m->replayed));
#if APR_HAS_THREADS
    if (threaded &&
        apr_thread_mutex_create(&m->lock, APR_THREAD_MUTEX_DEFAULT, p)
            != APR_SUCCESS)
        return NULL;
#endif
    (void)threaded;
    if (apr_pool_create_unmanaged_ex(&m->table_pool, NULL, NULL) !=
        APR_SUCCESS)
        return NULL;
    m->entries = apr_hash_make(m->table_pool);
    apr_pool_cleanup_register(p, m, memo_cleanup, apr_pool_cleanup_null);
    return m;
}

apr_size_t geotag_memo_budget(const geotag_memo *m)
{
    return m ? m->budget : 0;
}

apr_size_t geotag_memo_used(const geotag_memo *m)
{
    return m ? m->used : 0;
}

int geotag_memo_entries(const geotag_memo *m)
{
    return m ? (int)apr_hash_count(m->entries) : 0;
}

int geotag_memo_admit(geotag_memo *m, const unsigned char *key)
{
    apr_uint64_t print;
    apr_uint64_t *slot;

    if (!m)
        return 0;
    memcpy(&print, key, sizeof(print));
    print |= 1;                     /* 0 marks an empty slot */
    slot = &m->replayed[(key[8] | (unsigned)key[9] << 8) % ADMIT_SLOTS];
    if (__atomic_load_n(slot, __ATOMIC_RELAXED) == print)
        return 1;
    __atomic_store_n(slot, print, __ATOMIC_RELAXED);
    return 0;
}

apr_size_t geotag_memo_max_entry(const geotag_memo *m)
{
    return m ? m->max_entry : 0;
}

static void push_newest(geotag_memo *m, memo_entry *e)
{
    APR_RING_INSERT_HEAD(&m->lru, e, memo_entry, lru);
}

apr_bucket *geotag_memo_get(geotag_memo *m, const unsigned char *key,
                            apr_off_t source_length, int sendfile,
                            apr_pool_t *pool, apr_bucket_alloc_t *list,
                            int *mentions)
{
    memo_entry *e;
    apr_bucket *b = NULL;
    apr_time_t now = apr_time_now();

    if (!m || !lock(m))
        return NULL;
    e = apr_hash_get(m->entries, key, GEOTAG_MEMO_KEY_LEN);
    if (e && e->expires <= now) {
        evict(m, e);
        e = NULL;
    }
    if (e && e->source_length != source_length)
        e = NULL;
    if (e) {
        APR_RING_REMOVE(e, lru);
        push_newest(m, e);
        apr_atomic_inc32(&e->references);
        *mentions = e->mentions;
    }
    unlock(m);
    if (!e)
        return NULL;
#ifdef GEOTAG_MEMO_HAVE_FILES
    if (sendfile && e->fd >= 0 && (b = file_bucket(e, pool, list)) != NULL) {
        entry_release(e);   /* the bucket has a descriptor of its own */
        return b;
    }
#endif
    (void)sendfile;
    (void)pool;
    return b ? b : memo_bucket_create(e, list);
}

int geotag_memo_put(geotag_memo *m, const unsigned char *key,
                    apr_interval_time_t ttl, apr_off_t source_length,
                    int mentions, char *body, apr_size_t length)
{
    memo_entry *e, *old, *last;

    if (!m || length > m->max_entry || !(e = calloc(1, sizeof(*e)))) {
        free(body);
        return 0;
    }
    memcpy(e->key, key, GEOTAG_MEMO_KEY_LEN);
    e->expires = apr_time_now() + ttl;
    e->source_length = source_length;
    e->mentions = mentions;
    e->references = 1;
    e->length = length;
    e->body = body;
    e->fd = -1;
#ifdef GEOTAG_MEMO_HAVE_FILES
    if (m->files && length >= GEOTAG_MEMO_FILE_MIN &&
        length <= GEOTAG_MEMO_FILE_MAX)
        entry_to_file(e);
#endif

    if (!lock(m)) {
        entry_release(e);   /* the only reference: body and file go too */
        return 0;
    }
    if ((old = apr_hash_get(m->entries, key, GEOTAG_MEMO_KEY_LEN)) != NULL)
        evict(m, old);
    while (m->used + length > m->budget && (last = oldest(m)) != NULL)
        evict(m, last);
    push_newest(m, e);
    apr_hash_set(m->entries, e->key, GEOTAG_MEMO_KEY_LEN, e);
    m->used += length;
    unlock(m);
    return 1;
}
