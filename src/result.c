/*
 * result.c: the cache entry for a page, to bytes and back.
 *
 * Here's the format (version 2).  Every number is an unsigned LEB128
 * varint (7 bits a byte, least significant group first, high bit = more
 * follows; at most 10 bytes; the shortest encoding only), so the form is
 * little-endian and the same on every machine.  "ostr" is an optional
 * string: varint 0 for NULL, else varint (length + 1) and the bytes, with
 * no NUL and at most GEOTAG_RESULT_STRING_MAX of them.  "value" is one
 * length byte (1 .. GEOTAG_FIGURE_VALUE_MAX - 1) and that many bytes of
 * [0-9.-].
 *
 *   "GTR2"                       magic; a new layout gets a new magic
 *   varint  length                       of the original body
 *   varint  n_edits
 *   n_edits times:
 *     varint  offset - previous offset   (the first from 0)
 *     byte    kind                       (geotag_edit_kind)
 *     OPEN_ENTITY:             varint entity index
 *     OPEN_FIGURE, OPEN_DATE:  byte figure kind, value
 *     byte    check window               (0 .. GEOTAG_RESULT_CHECK_MAX)
 *     window > 0:              4 bytes   check hash, little-endian
 *   ostr    lang
 *   ostr    subject_id
 *   varint  n_subject_types, then that many ostr
 *   varint  n_about, then that many varint entity indices
 *   varint  n_mentions, then that many varint entity indices
 *   varint  n_figures, then for each:
 *             byte figure kind, value, ostr unit_text, ostr currency
 *   varint  status               (geotag_status)
 *   varint  mentions
 *   (nothing after)
 *
 * Why deltas: edits come in offset order and sit a few dozen bytes apart,
 * so a delta is one or two bytes where an absolute offset is three or
 * four; an entity edit is 3-5 bytes, its close 2, and the reference page's
 * 301 edits and JSON-LD facts take about a kilobyte.  Decreasing offsets cannot even be
 * written, and an offset sum that would overflow is refused.
 *
 * Why so much validation: an entry comes from shared memory or from the
 * network (memcache, redis), so it may be torn, stale, or written by a
 * different version.  Replaying it inserts markup into a response, so
 * anything that would render wrongly is refused: entity indices outside
 * the gazetteer in use, unknown kinds, a close without its open (or the
 * other way round), two JSON-LD blocks, a JSON-LD block inside a span, a
 * figure value that is not a plain number or date.  Every count is checked
 * against the bytes left before anything is allocated for it, so a
 * corrupt count cannot make the parser allocate more than the entry's size.
 * serialize() applies the same rules (all but the gazetteer's), so what it
 * writes, parse() reads back.  Every edit and its check window lie inside
 * the body's length.
 *
 * Why a check per edit: the key holds the source's validator, and a
 * validator can lie (a body changed under one strong ETag, a file
 * rewritten within the same second).  The replay compares the bytes it is
 * about to insert around with the bytes the edits were made on, so a
 * lying validator costs a tag, never a corrupted page.
 *
 * The entry in the cache is this result sealed with an HMAC tag
 * (geotag_result_seal): version 1 entries, or entries of another secret,
 * are never replayed.
 */
#include <string.h>

#include <apr_sha1.h>
#include <apr_strings.h>

#include "annotator.h"
#include "result.h"

#define RESULT_MAGIC "GTR2"
#define RESULT_MAGIC_LEN 4
/* Spans do not nest in practice; a little depth costs nothing and keeps
 * the pairing rule about pairing, not about the annotator's habits. */
#define RESULT_MAX_DEPTH 8
/* Offsets stay well inside apr_off_t, so sums never overflow. */
#define RESULT_MAX_OFFSET ((apr_uint64_t)1 << 62)

/* ------------------------------------------------------------------ */
/* the rules both directions share                                     */

typedef struct {
    apr_off_t offset;               /* of the previous edit */
    int depth;
    unsigned char open[RESULT_MAX_DEPTH]; /* kinds of the open spans */
    int jsonld;
} edit_rules;

static int value_is_valid(const char *value, apr_size_t len)
{
    apr_size_t i;
    if (len == 0 || len >= GEOTAG_FIGURE_VALUE_MAX)
        return 0;
    for (i = 0; i < len; i++) {
        char c = value[i];
        if (!((c >= '0' && c <= '9') || c == '.' || c == '-'))
            return 0;
    }
    return 1;
}

/* 1 when the edit may follow those already seen (and records it). */
static int edit_rules_accept(edit_rules *rules, const geotag_edit *e)
{
    if (e->offset < rules->offset)
        return 0;
    rules->offset = e->offset;
    switch (e->kind) {
    case GEOTAG_EDIT_OPEN_ENTITY:
        if (e->entity < 0)
            return 0;
        break;
    case GEOTAG_EDIT_OPEN_FIGURE:
        if (e->figure_kind > GEOTAG_FIGURE_MONEY)
            return 0;
        break;
    case GEOTAG_EDIT_OPEN_DATE:
        if (e->figure_kind != GEOTAG_FIGURE_DATE)
            return 0;
        break;
    case GEOTAG_EDIT_CLOSE_ENTITY:
    case GEOTAG_EDIT_CLOSE_FIGURE:
    case GEOTAG_EDIT_CLOSE_DATE:
        /* each close kind is its open kind + 1 (edits.h) */
        if (rules->depth == 0 || rules->open[rules->depth - 1] + 1 != e->kind)
            return 0;
        rules->depth--;
        return 1;
    case GEOTAG_EDIT_JSONLD:
        /* one script element, and never inside an inline element */
        if (rules->jsonld || rules->depth > 0)
            return 0;
        rules->jsonld = 1;
        return 1;
    default:
        return 0;
    }
    if (e->kind != GEOTAG_EDIT_OPEN_ENTITY &&
        !value_is_valid(e->value, strnlen(e->value, sizeof(e->value))))
        return 0;
    if (rules->depth == RESULT_MAX_DEPTH)
        return 0;
    rules->open[rules->depth++] = e->kind;
    return 1;
}

static int string_is_valid(const char *s, apr_size_t len)
{
    return len <= GEOTAG_RESULT_STRING_MAX && memchr(s, '\0', len) == NULL;
}

/* ------------------------------------------------------------------ */
/* writing                                                             */

static void put_byte(apr_array_header_t *buf, unsigned char c)
{
    *(unsigned char *)apr_array_push(buf) = c;
}

static void put_bytes(apr_array_header_t *buf, const void *data,
                      apr_size_t len)
{
    apr_size_t i;
    for (i = 0; i < len; i++)
        put_byte(buf, ((const unsigned char *)data)[i]);
}

static void put_varint(apr_array_header_t *buf, apr_uint64_t v)
{
    while (v >= 0x80) {
        put_byte(buf, (unsigned char)(v | 0x80));
        v >>= 7;
    }
    put_byte(buf, (unsigned char)v);
}

static int put_optional_string(apr_array_header_t *buf, const char *s)
{
    apr_size_t len;
    if (s == NULL) {
        put_varint(buf, 0);
        return 1;
    }
    len = strlen(s);
    if (len > GEOTAG_RESULT_STRING_MAX)
        return 0;
    put_varint(buf, (apr_uint64_t)len + 1);
    put_bytes(buf, s, len);
    return 1;
}

static int put_value(apr_array_header_t *buf, const char *value)
{
    apr_size_t len = strnlen(value, GEOTAG_FIGURE_VALUE_MAX);
    if (!value_is_valid(value, len))
        return 0;
    put_byte(buf, (unsigned char)len);
    put_bytes(buf, value, len);
    return 1;
}

/* The count of a list that 'items' holds; 0 when the two disagree (a
 * negative count, or items missing). */
static int put_count(apr_array_header_t *buf, int n, const void *items)
{
    if (n < 0 || (n > 0 && items == NULL))
        return 0;
    put_varint(buf, (apr_uint64_t)n);
    return 1;
}

static int put_indices(apr_array_header_t *buf, const int *indices, int n)
{
    int i;
    if (!put_count(buf, n, indices))
        return 0;
    for (i = 0; i < n; i++) {
        if (indices[i] < 0)
            return 0;
        put_varint(buf, (apr_uint64_t)indices[i]);
    }
    return 1;
}

/* An edit's check; none (window 0) when check is NULL.  The window must
 * lie inside the body. */
static int put_check(apr_array_header_t *buf, const geotag_edit_check *check,
                     apr_off_t offset, apr_off_t length)
{
    unsigned char le[4];

    if (offset > length)
        return 0;
    if (check == NULL || check->window == 0) {
        put_byte(buf, 0);
        return 1;
    }
    if (check->window > GEOTAG_RESULT_CHECK_MAX ||
        check->window > length - offset)
        return 0;
    put_byte(buf, check->window);
    le[0] = (unsigned char)check->hash;
    le[1] = (unsigned char)(check->hash >> 8);
    le[2] = (unsigned char)(check->hash >> 16);
    le[3] = (unsigned char)(check->hash >> 24);
    put_bytes(buf, le, 4);
    return 1;
}

static int put_document(apr_array_header_t *buf, const geotag_document *doc)
{
    int i;

    if (!put_optional_string(buf, doc->lang) ||
        !put_optional_string(buf, doc->subject_id))
        return 0;
    if (!put_count(buf, doc->n_subject_types, doc->subject_types))
        return 0;
    for (i = 0; i < doc->n_subject_types; i++)
        if (!put_optional_string(buf, doc->subject_types[i]))
            return 0;
    if (!put_indices(buf, doc->about, doc->n_about) ||
        !put_indices(buf, doc->mentions, doc->n_mentions))
        return 0;
    if (!put_count(buf, doc->n_figures, doc->figures))
        return 0;
    for (i = 0; i < doc->n_figures; i++) {
        const geotag_figure_fact *f = &doc->figures[i];
        if ((unsigned)f->kind > GEOTAG_FIGURE_DATE)
            return 0;
        put_byte(buf, (unsigned char)f->kind);
        if (!put_value(buf, f->value) ||
            !put_optional_string(buf, f->unit_text) ||
            !put_optional_string(buf, f->currency))
            return 0;
    }
    return 1;
}

apr_status_t geotag_result_serialize(apr_pool_t *pool, const geotag_result *r,
                                     unsigned char **out, apr_size_t *len)
{
    apr_array_header_t *buf;
    edit_rules rules;
    int n_edits = r->edits ? r->edits->nelts : 0, i;

    if (r->status < 0 || r->status > GEOTAG_STATUS_LIMIT || r->mentions < 0)
        return APR_EINVAL;
    /* a scratch pool would save little: an entry is a few kilobytes */
    buf = apr_array_make(pool, 256 + 8 * n_edits, 1);
    if (r->length < 0 || (apr_uint64_t)r->length > RESULT_MAX_OFFSET ||
        (r->checks && r->checks->nelts != n_edits))
        return APR_EINVAL;
    put_bytes(buf, RESULT_MAGIC, RESULT_MAGIC_LEN);
    put_varint(buf, (apr_uint64_t)r->length);
    put_varint(buf, (apr_uint64_t)n_edits);
    memset(&rules, 0, sizeof(rules));
    for (i = 0; i < n_edits; i++) {
        const geotag_edit *e = &((const geotag_edit *)r->edits->elts)[i];
        apr_off_t previous = rules.offset;
        if (e->offset < 0 || (apr_uint64_t)e->offset > RESULT_MAX_OFFSET ||
            !edit_rules_accept(&rules, e))
            return APR_EINVAL;
        put_varint(buf, (apr_uint64_t)(e->offset - previous));
        put_byte(buf, e->kind);
        if (e->kind == GEOTAG_EDIT_OPEN_ENTITY) {
            put_varint(buf, (apr_uint64_t)e->entity);
        }
        else if (e->kind == GEOTAG_EDIT_OPEN_FIGURE ||
                 e->kind == GEOTAG_EDIT_OPEN_DATE) {
            put_byte(buf, e->figure_kind);
            put_value(buf, e->value);
        }
        if (!put_check(buf, r->checks ?
                            &((const geotag_edit_check *)r->checks->elts)[i] :
                            NULL, e->offset, r->length))
            return APR_EINVAL;
    }
    if (rules.depth != 0 || !put_document(buf, &r->doc))
        return APR_EINVAL;
    put_varint(buf, (apr_uint64_t)r->status);
    put_varint(buf, (apr_uint64_t)r->mentions);
    *out = (unsigned char *)buf->elts;
    *len = (apr_size_t)buf->nelts;
    return APR_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* reading                                                             */

typedef struct {
    const unsigned char *p, *end;
    int failed;                 /* sticky: once set, every read fails */
} reader;

static apr_size_t reader_left(const reader *in)
{
    return in->failed ? 0 : (apr_size_t)(in->end - in->p);
}

static unsigned char get_byte(reader *in)
{
    if (in->failed || in->p == in->end) {
        in->failed = 1;
        return 0;
    }
    return *in->p++;
}

/* A varint no larger than max; the shortest encoding only, so one value
 * has one form and a flipped continuation bit is caught. */
static apr_uint64_t get_varint(reader *in, apr_uint64_t max)
{
    apr_uint64_t v = 0;
    unsigned shift = 0;
    unsigned char c;

    do {
        c = get_byte(in);
        if (in->failed)
            return 0;
        if (shift == 63 && c > 1) {
            in->failed = 1;
            return 0;
        }
        v |= (apr_uint64_t)(c & 0x7f) << shift;
        shift += 7;
    } while ((c & 0x80) && shift < 64);
    if ((c & 0x80) || (c == 0 && shift > 7) || v > max) {
        in->failed = 1;
        return 0;
    }
    return v;
}

/* A count of items each taking at least min_size bytes: never more than
 * the bytes left can hold, so allocations follow the entry's real size. */
static int get_count(reader *in, apr_size_t min_size)
{
    apr_uint64_t n = get_varint(in, APR_INT32_MAX);
    if (!in->failed && n > reader_left(in) / min_size)
        in->failed = 1;
    return in->failed ? 0 : (int)n;
}

static const char *get_optional_string(reader *in, apr_pool_t *pool)
{
    apr_uint64_t n = get_varint(in, GEOTAG_RESULT_STRING_MAX + 1);
    const char *s;

    if (in->failed || n == 0)
        return NULL;
    n--;
    if (n > reader_left(in) || !string_is_valid((const char *)in->p, n)) {
        in->failed = 1;
        return NULL;
    }
    s = apr_pstrmemdup(pool, (const char *)in->p, (apr_size_t)n);
    in->p += n;
    return s;
}

/* Fills value (GEOTAG_FIGURE_VALUE_MAX bytes, zeroed by the caller). */
static void get_value(reader *in, char *value)
{
    apr_size_t n = get_byte(in);
    if (in->failed || n > reader_left(in) ||
        !value_is_valid((const char *)in->p, n)) {
        in->failed = 1;
        return;
    }
    memcpy(value, in->p, n);
    in->p += n;
}

/* An edit's check: its window must lie inside the body. */
static void get_check(reader *in, geotag_edit_check *check, apr_off_t offset,
                      apr_off_t length)
{
    check->window = get_byte(in);
    check->hash = 0;
    if (in->failed)
        return;
    if (offset > length || check->window > GEOTAG_RESULT_CHECK_MAX ||
        check->window > length - offset) {
        in->failed = 1;
        return;
    }
    if (check->window > 0) {
        if (reader_left(in) < 4) {
            in->failed = 1;
            return;
        }
        check->hash = (apr_uint32_t)in->p[0] | (apr_uint32_t)in->p[1] << 8 |
                      (apr_uint32_t)in->p[2] << 16 |
                      (apr_uint32_t)in->p[3] << 24;
        in->p += 4;
    }
}

static int get_entity(reader *in, int n_entities)
{
    if (n_entities == 0) {
        in->failed = 1;
        return -1;
    }
    return (int)get_varint(in, (apr_uint64_t)n_entities - 1);
}

static const int *get_indices(reader *in, apr_pool_t *pool, int n_entities,
                              int *n)
{
    int *indices, i;

    *n = get_count(in, 1);
    if (in->failed || *n == 0)
        return NULL;
    indices = apr_palloc(pool, sizeof(int) * (apr_size_t)*n);
    for (i = 0; i < *n && !in->failed; i++)
        indices[i] = get_entity(in, n_entities);
    return indices;
}

static void get_document(reader *in, apr_pool_t *pool, int n_entities,
                         geotag_document *doc)
{
    const char **types;
    geotag_figure_fact *figures;
    int i;

    memset(doc, 0, sizeof(*doc));
    doc->lang = get_optional_string(in, pool);
    doc->subject_id = get_optional_string(in, pool);
    doc->n_subject_types = get_count(in, 1);
    if (doc->n_subject_types > 0) {
        types = apr_palloc(pool, sizeof(char *) * doc->n_subject_types);
        for (i = 0; i < doc->n_subject_types && !in->failed; i++)
            types[i] = get_optional_string(in, pool);
        doc->subject_types = types;
    }
    doc->about = get_indices(in, pool, n_entities, &doc->n_about);
    doc->mentions = get_indices(in, pool, n_entities, &doc->n_mentions);
    /* kind, value length, value, two string flags */
    doc->n_figures = get_count(in, 5);
    if (doc->n_figures > 0) {
        figures = apr_pcalloc(pool, sizeof(*figures) * doc->n_figures);
        for (i = 0; i < doc->n_figures && !in->failed; i++) {
            unsigned char kind = get_byte(in);
            if (kind > GEOTAG_FIGURE_DATE)
                in->failed = 1;
            figures[i].kind = (geotag_figure_kind)kind;
            get_value(in, figures[i].value);
            figures[i].unit_text = get_optional_string(in, pool);
            figures[i].currency = get_optional_string(in, pool);
        }
        doc->figures = figures;
    }
}

apr_status_t geotag_result_parse(apr_pool_t *pool, const unsigned char *data,
                                 apr_size_t len, const geotag_gazetteer *g,
                                 geotag_result *out)
{
    reader in;
    geotag_result r;
    edit_rules rules;
    int n_entities, n_edits, i;

    if (data == NULL || g == NULL || g->entities == NULL ||
        len < RESULT_MAGIC_LEN || memcmp(data, RESULT_MAGIC, RESULT_MAGIC_LEN))
        return APR_EGENERAL;
    n_entities = g->entities->nelts;
    in.p = data + RESULT_MAGIC_LEN;
    in.end = data + len;
    in.failed = 0;
    memset(&r, 0, sizeof(r));
    memset(&rules, 0, sizeof(rules));

    r.length = (apr_off_t)get_varint(&in, RESULT_MAX_OFFSET);
    /* an edit is at least a delta byte, a kind byte and a window byte */
    n_edits = get_count(&in, 3);
    r.edits = apr_array_make(pool, n_edits > 0 ? n_edits : 1,
                             sizeof(geotag_edit));
    r.checks = apr_array_make(pool, n_edits > 0 ? n_edits : 1,
                              sizeof(geotag_edit_check));
    for (i = 0; i < n_edits && !in.failed; i++) {
        geotag_edit *e = apr_array_push(r.edits);
        apr_uint64_t delta =
            get_varint(&in, RESULT_MAX_OFFSET - (apr_uint64_t)rules.offset);
        /* the same defaults the annotator gives (edit_push) */
        memset(e, 0, sizeof(*e));
        e->entity = -1;
        e->offset = rules.offset + (apr_off_t)delta;
        e->kind = get_byte(&in);
        if (e->kind == GEOTAG_EDIT_OPEN_ENTITY) {
            e->entity = get_entity(&in, n_entities);
        }
        else if (e->kind == GEOTAG_EDIT_OPEN_FIGURE ||
                 e->kind == GEOTAG_EDIT_OPEN_DATE) {
            e->figure_kind = get_byte(&in);
            get_value(&in, e->value);
        }
        get_check(&in, apr_array_push(r.checks), e->offset, r.length);
        if (!in.failed && !edit_rules_accept(&rules, e))
            in.failed = 1;
    }
    if (rules.depth != 0)
        in.failed = 1;
    get_document(&in, pool, n_entities, &r.doc);
    r.status = (int)get_varint(&in, GEOTAG_STATUS_LIMIT);
    r.mentions = (int)get_varint(&in, APR_INT32_MAX);
    if (in.failed || in.p != in.end)
        return APR_EGENERAL;
    *out = r;
    return APR_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* checks and the envelope                                             */

apr_uint32_t geotag_result_check_hash(apr_uint32_t hash, const void *data,
                                      apr_size_t len)
{
    const unsigned char *p = data;
    apr_size_t i;

    for (i = 0; i < len; i++) {
        hash ^= p[i];
        hash *= 16777619u;
    }
    return hash;
}

#define HMAC_BLOCK 64

/* HMAC-SHA1 (RFC 2104) of key || result under secret. */
static void result_tag(const unsigned char *key, apr_size_t keylen,
                       const unsigned char *result, apr_size_t len,
                       const unsigned char *secret, apr_size_t secretlen,
                       unsigned char tag[GEOTAG_RESULT_TAG_LEN])
{
    unsigned char block[HMAC_BLOCK], pad[HMAC_BLOCK];
    unsigned char inner[APR_SHA1_DIGESTSIZE];
    apr_sha1_ctx_t sha;
    int i;

    memset(block, 0, sizeof(block));
    if (secretlen > HMAC_BLOCK) {
        apr_sha1_init(&sha);
        apr_sha1_update_binary(&sha, secret, (unsigned int)secretlen);
        apr_sha1_final(block, &sha);
    }
    else if (secretlen > 0) {
        memcpy(block, secret, secretlen);
    }
    for (i = 0; i < HMAC_BLOCK; i++)
        pad[i] = block[i] ^ 0x36;
    apr_sha1_init(&sha);
    apr_sha1_update_binary(&sha, pad, HMAC_BLOCK);
    apr_sha1_update_binary(&sha, key, (unsigned int)keylen);
    apr_sha1_update_binary(&sha, result, (unsigned int)len);
    apr_sha1_final(inner, &sha);
    for (i = 0; i < HMAC_BLOCK; i++)
        pad[i] = block[i] ^ 0x5c;
    apr_sha1_init(&sha);
    apr_sha1_update_binary(&sha, pad, HMAC_BLOCK);
    apr_sha1_update_binary(&sha, inner, sizeof(inner));
    apr_sha1_final(tag, &sha);
}

void geotag_result_seal(apr_pool_t *pool, const unsigned char *result,
                        apr_size_t len, const unsigned char *key,
                        apr_size_t keylen, const unsigned char *secret,
                        apr_size_t secretlen, unsigned char **entry,
                        apr_size_t *entrylen)
{
    unsigned char *out = apr_palloc(pool, len + GEOTAG_RESULT_TAG_LEN);

    memcpy(out, result, len);
    result_tag(key, keylen, result, len, secret, secretlen, out + len);
    *entry = out;
    *entrylen = len + GEOTAG_RESULT_TAG_LEN;
}

apr_status_t geotag_result_unseal(const unsigned char *entry,
                                  apr_size_t entrylen,
                                  const unsigned char *key, apr_size_t keylen,
                                  const unsigned char *secret,
                                  apr_size_t secretlen, apr_size_t *len)
{
    unsigned char tag[GEOTAG_RESULT_TAG_LEN];
    unsigned char diff = 0;
    apr_size_t n, i;

    if (entry == NULL || entrylen < GEOTAG_RESULT_TAG_LEN)
        return APR_EGENERAL;
    n = entrylen - GEOTAG_RESULT_TAG_LEN;
    result_tag(key, keylen, entry, n, secret, secretlen, tag);
    for (i = 0; i < GEOTAG_RESULT_TAG_LEN; i++)
        diff |= tag[i] ^ entry[n + i];
    if (diff != 0)
        return APR_EGENERAL;
    *len = n;
    return APR_SUCCESS;
}
