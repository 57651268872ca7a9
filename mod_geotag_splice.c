/*
 * mod_geotag_splice.c: the splicer (see mod_geotag_splice.h).
 *
 * Why the output has this shape: splitting the original buckets at every
 * insertion keeps the page uncopied, but a dense article has an insertion
 * every 50 bytes: hundreds of tiny buckets, and for a file bucket a read
 * or a sendfile call per piece, cost far more than copying.  So a long
 * stretch goes on in its own buckets, and short ones are copied out of the
 * held buckets as they are, with an offset into the first one (skip), not
 * by splitting a bucket at every insertion and deleting its front: a split
 * and a delete per insertion cost more than the copy.
 */
#include <unistd.h>

#include "apr_portable.h"

#include "mod_geotag_splice.h"
#include "result.h"

struct geotag_splice {
    apr_bucket_alloc_t *ba;
    geotag_splice_pass_fn *pass_fn;
    void *baton;
    apr_bucket_brigade *held; /* original buckets from offset on */
    apr_off_t offset;         /* body offset of the first held byte */
    apr_size_t skip;          /* bytes of the first held bucket already
                                 copied out (see copy_held()) */
    apr_off_t seen;           /* body bytes taken */
    apr_bucket_brigade *out;  /* ready to go on */
    char *buf;                /* short stretches and insertions */
    apr_size_t buf_len;
    apr_size_t inserted;
    apr_off_t zero_copy;      /* body bytes passed on in their own buckets */
    apr_off_t passed_at;      /* 'seen' when out last went on */
    int passed;
    int in_hand;
};

static apr_status_t free_buf(void *data)
{
    geotag_splice *sp = data;
    if (sp->buf)
        apr_bucket_free(sp->buf);
    sp->buf = NULL;
    return APR_SUCCESS;
}

geotag_splice *geotag_splice_create(apr_pool_t *pool, apr_bucket_alloc_t *ba,
                                    geotag_splice_pass_fn *pass, void *baton)
{
    geotag_splice *sp = apr_pcalloc(pool, sizeof(*sp));
    sp->ba = ba;
    sp->pass_fn = pass;
    sp->baton = baton;
    sp->held = apr_brigade_create(pool, ba);
    sp->out = apr_brigade_create(pool, ba);
    apr_pool_cleanup_register(pool, sp, free_buf, apr_pool_cleanup_null);
    return sp;
}

/* The buffer goes out as a heap bucket that owns it (no copy); the next
 * append takes a new one from the bucket allocator. */
static void flush_buf(geotag_splice *sp)
{
    if (sp->buf == NULL)
        return;
    APR_BRIGADE_INSERT_TAIL(sp->out,
                            apr_bucket_heap_create(sp->buf, sp->buf_len,
                                                   apr_bucket_free, sp->ba));
    sp->buf = NULL;
    sp->buf_len = 0;
}

static void append_buf(geotag_splice *sp, const char *data, apr_size_t len)
{
    if (len == 0)
        return;
    if (sp->buf && len > GEOTAG_SPLICE_BUFFER - sp->buf_len)
        flush_buf(sp);
    if (len > GEOTAG_SPLICE_BUFFER) {
        APR_BRIGADE_INSERT_TAIL(
            sp->out, apr_bucket_heap_create(data, len, NULL, sp->ba));
        return;
    }
    if (sp->buf == NULL) {
        sp->buf = apr_bucket_alloc(GEOTAG_SPLICE_BUFFER, sp->ba);
        sp->buf_len = 0;
    }
    memcpy(sp->buf + sp->buf_len, data, len);
    sp->buf_len += len;
}

int geotag_splice_in_hand(geotag_splice *sp, apr_bucket_brigade *bb,
                          apr_off_t source_length)
{
    apr_off_t total = sp->seen;
    apr_bucket *b;

    sp->in_hand = 0;
    if (sp->passed || sp->seen > GEOTAG_SPLICE_IN_HAND_MAX)
        return 0;
    if (source_length >= 0 && source_length <= GEOTAG_SPLICE_IN_HAND_MAX)
        return sp->in_hand = 1;
    for (b = APR_BRIGADE_FIRST(bb); b != APR_BRIGADE_SENTINEL(bb);
         b = APR_BUCKET_NEXT(b)) {
        if (APR_BUCKET_IS_EOS(b))
            return sp->in_hand = 1;
        if (APR_BUCKET_IS_METADATA(b))
            continue;
        if (b->length == (apr_size_t)-1)
            return 0;
        total += (apr_off_t)b->length;
        if (total > GEOTAG_SPLICE_IN_HAND_MAX)
            return 0;
    }
    return 0;
}

apr_status_t geotag_splice_pass(geotag_splice *sp)
{
    apr_status_t rv;

    flush_buf(sp);
    if (APR_BRIGADE_EMPTY(sp->out))
        return APR_SUCCESS;
    sp->passed = 1;
    rv = sp->pass_fn(sp->baton, sp->out);
    apr_brigade_cleanup(sp->out);
    return rv;
}

apr_status_t geotag_splice_pass_some(geotag_splice *sp)
{
    if (sp->in_hand || sp->seen - sp->passed_at < GEOTAG_SPLICE_PASS_EVERY)
        return APR_SUCCESS;
    sp->passed_at = sp->seen;
    return geotag_splice_pass(sp);
}

apr_status_t geotag_splice_read(geotag_splice *sp, apr_bucket *b,
                                const char **data, apr_size_t *len)
{
    apr_status_t rv = apr_bucket_read(b, data, len,
                                      sp->in_hand ? APR_BLOCK_READ
                                                  : APR_NONBLOCK_READ);
    if (APR_STATUS_IS_EAGAIN(rv)) {
        flush_buf(sp);
        APR_BRIGADE_INSERT_TAIL(sp->out, apr_bucket_flush_create(sp->ba));
        if ((rv = geotag_splice_pass(sp)) != APR_SUCCESS)
            return rv;
        rv = apr_bucket_read(b, data, len, APR_BLOCK_READ);
    }
    return rv;
}

apr_status_t geotag_splice_know_length(geotag_splice *sp, apr_bucket *b)
{
    const char *data;
    apr_size_t n;

    if (b->length != (apr_size_t)-1)
        return APR_SUCCESS;
    return geotag_splice_read(sp, b, &data, &n);
}

void geotag_splice_hold(geotag_splice *sp, apr_bucket *b)
{
    APR_BUCKET_REMOVE(b);
    APR_BRIGADE_INSERT_TAIL(sp->held, b);
    if (!APR_BUCKET_IS_METADATA(b))
        sp->seen += (apr_off_t)b->length;
}

/* The first held bucket without the bytes already copied out of it. */
static apr_status_t held_trim(geotag_splice *sp)
{
    apr_bucket *b;
    apr_status_t rv;

    if (sp->skip == 0)
        return APR_SUCCESS;
    b = APR_BRIGADE_FIRST(sp->held);
    if ((rv = apr_bucket_split(b, sp->skip)) != APR_SUCCESS)
        return rv;
    apr_bucket_delete(b);
    sp->skip = 0;
    return APR_SUCCESS;
}

apr_status_t geotag_splice_release_all(geotag_splice *sp)
{
    apr_status_t rv;

    flush_buf(sp);
    if ((rv = held_trim(sp)) != APR_SUCCESS)
        return rv;
    APR_BRIGADE_CONCAT(sp->out, sp->held);
    sp->offset = sp->seen;
    return APR_SUCCESS;
}

/* Copies a short stretch of n original bytes out of the held buckets as
 * they are; skip says how far into the first bucket the copying got. */
static apr_status_t copy_held(geotag_splice *sp, apr_off_t n)
{
    apr_status_t rv;

    while (n > 0 && !APR_BRIGADE_EMPTY(sp->held)) {
        apr_bucket *b = APR_BRIGADE_FIRST(sp->held);
        const char *data;
        apr_size_t len, take;

        if (APR_BUCKET_IS_METADATA(b)) {
            flush_buf(sp);
            APR_BUCKET_REMOVE(b);
            APR_BRIGADE_INSERT_TAIL(sp->out, b);
            continue;
        }
        /* a file (a replay over sparse edits) is split, not read whole: its
         * long stretches must stay file buckets, for sendfile */
        if (APR_BUCKET_IS_FILE(b) && sp->skip == 0 &&
            (apr_off_t)b->length > n &&
            (rv = apr_bucket_split(b, (apr_size_t)n)) != APR_SUCCESS)
            return rv;
        if ((rv = apr_bucket_read(b, &data, &len, APR_BLOCK_READ)) !=
            APR_SUCCESS)
            return rv;
        take = len - sp->skip;
        if ((apr_off_t)take > n)
            take = (apr_size_t)n;
        append_buf(sp, data + sp->skip, take);
        n -= (apr_off_t)take;
        if (sp->skip + take == len) {
            apr_bucket_delete(b);
            sp->skip = 0;
        }
        else {
            sp->skip += take;
        }
    }
    return APR_SUCCESS;
}

apr_status_t geotag_splice_release(geotag_splice *sp, apr_off_t upto)
{
    apr_bucket *after;
    apr_off_t n = upto - sp->offset;
    apr_status_t rv;

    if (n <= 0)
        return APR_SUCCESS;
    if (n < GEOTAG_SPLICE_WHOLE) {
        if ((rv = copy_held(sp, n)) != APR_SUCCESS)
            return rv;
        sp->offset = upto;
        return APR_SUCCESS;
    }
    if ((rv = held_trim(sp)) != APR_SUCCESS)
        return rv;
    rv = apr_brigade_partition(sp->held, n, &after);
    if (rv != APR_SUCCESS && rv != APR_INCOMPLETE)
        return rv;
    flush_buf(sp);
    while (!APR_BRIGADE_EMPTY(sp->held) &&
           APR_BRIGADE_FIRST(sp->held) != after) {
        apr_bucket *b = APR_BRIGADE_FIRST(sp->held);
        if (!APR_BUCKET_IS_METADATA(b))
            sp->zero_copy += (apr_off_t)b->length;
        APR_BUCKET_REMOVE(b);
        APR_BRIGADE_INSERT_TAIL(sp->out, b);
    }
    sp->offset = upto;
    return APR_SUCCESS;
}

void geotag_splice_insert(geotag_splice *sp, const char *bytes,
                          apr_size_t len)
{
    append_buf(sp, bytes, len);
    sp->inserted += len;
}

void geotag_splice_append(geotag_splice *sp, apr_bucket *b)
{
    flush_buf(sp);
    APR_BUCKET_REMOVE(b);
    APR_BRIGADE_INSERT_TAIL(sp->out, b);
}

apr_status_t geotag_splice_pass_through(geotag_splice *sp, apr_bucket *b)
{
    apr_status_t rv;

    if ((rv = geotag_splice_release_all(sp)) != APR_SUCCESS)
        return rv;
    sp->seen += (apr_off_t)b->length;
    sp->offset = sp->seen;
    sp->zero_copy += (apr_off_t)b->length;
    APR_BUCKET_REMOVE(b);
    APR_BRIGADE_INSERT_TAIL(sp->out, b);
    return APR_SUCCESS;
}

void geotag_splice_drop(geotag_splice *sp, apr_bucket *b)
{
    sp->seen += (apr_off_t)b->length;
    sp->offset = sp->seen;
    apr_bucket_delete(b);
}

apr_status_t geotag_splice_hash(geotag_splice *sp, apr_off_t from,
                                apr_size_t n, apr_uint32_t *hash)
{
    apr_uint32_t h = GEOTAG_RESULT_CHECK_SEED;
    apr_off_t at = sp->offset; /* offset of b's first unread byte */
    apr_size_t skip = sp->skip;
    apr_bucket *b;
    apr_status_t rv;

    for (b = APR_BRIGADE_FIRST(sp->held);
         n > 0 && b != APR_BRIGADE_SENTINEL(sp->held);
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

apr_status_t geotag_splice_set_aside(geotag_splice *sp, apr_pool_t *pool)
{
    apr_status_t rv = set_aside(sp->held, pool);
    return rv != APR_SUCCESS ? rv : set_aside(sp->out, pool);
}

apr_off_t geotag_splice_seen(const geotag_splice *sp)
{
    return sp->seen;
}

apr_off_t geotag_splice_zero_copy(const geotag_splice *sp)
{
    return sp->zero_copy;
}

apr_size_t geotag_splice_inserted(const geotag_splice *sp)
{
    return sp->inserted;
}

int geotag_splice_passed(const geotag_splice *sp)
{
    return sp->passed;
}

int geotag_splice_body_in_hand(const geotag_splice *sp)
{
    return sp->in_hand;
}
