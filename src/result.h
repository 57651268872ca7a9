/*
 * result.h: what the cache keeps for a page, and its binary form.
 *
 * The cache stores the engine's *result* for a page, not the page: the
 * ordered edits (edits.h) and the document from which the JSON-LD block is
 * rebuilt on a hit (jsonld_write.h), plus the engine status and mention
 * count.
 * Replaying those edits into the original response with the same gazetteer
 * gives the same bytes as tagging it again, at a fraction of the cost, and
 * an entry stays a few kilobytes whatever the page size.
 *
 * The binary form is compact (varints, delta-encoded offsets), versioned by
 * its magic and little-endian by construction (LEB128), so any child or any
 * machine of a farm reads what another wrote.  The format is described at
 * the top of result.c.
 *
 * It must never: accept an entry it cannot fully validate against the
 * gazetteer in use (a corrupt, truncated or foreign entry is refused, so
 * it is never replayed), read past the buffer it is given, or allocate in
 * proportion to a count it has not checked against the bytes present.
 */
#ifndef GEOTAG_RESULT_H
#define GEOTAG_RESULT_H

#include <apr_errno.h>
#include <apr_pools.h>
#include <apr_tables.h>

#include "edits.h"
#include "gazetteer.h"
#include "jsonld_write.h"

/* Longest string (language, subject IRI, @type, unit, currency) an entry
 * may carry: a result needing more is not cached rather than truncated. */
#define GEOTAG_RESULT_STRING_MAX 4096

/*
 * What a replay checks before it inserts an edit: a hash of the original
 * bytes from the edit's offset on.  The window is at most
 * GEOTAG_RESULT_CHECK_MAX bytes; fewer where the body ends, or where the
 * bytes had not arrived yet when the edit was recorded (0: nothing to
 * check for that edit; its neighbours are checked).  A body that changed
 * under an unchanged validator is caught here before markup lands in the
 * middle of a word or a tag.
 */
#define GEOTAG_RESULT_CHECK_MAX 32
#define GEOTAG_RESULT_CHECK_SEED 2166136261u

typedef struct {
    unsigned char window;        /* bytes hashed, 0 .. GEOTAG_RESULT_CHECK_MAX */
    apr_uint32_t hash;           /* geotag_result_check_hash of them */
} geotag_edit_check;

/* FNV-1a, incremental: start from GEOTAG_RESULT_CHECK_SEED. */
apr_uint32_t geotag_result_check_hash(apr_uint32_t hash, const void *data,
                                      apr_size_t len);

typedef struct {
    apr_array_header_t *edits;   /* geotag_edit, in order */
    apr_array_header_t *checks;  /* geotag_edit_check, one per edit; NULL
                                    when writing means "nothing to check" */
    apr_off_t length;            /* of the original body the edits fit */
    geotag_document doc;         /* arrays and strings owned by the pool */
    int status;                  /* geotag_status */
    int mentions;
} geotag_result;

/*
 * A compact, versioned, little-endian binary form of r, allocated from
 * pool.  APR_EINVAL when r cannot be represented faithfully (decreasing or
 * negative offsets, an unknown kind, a value outside [0-9.-], a string
 * longer than GEOTAG_RESULT_STRING_MAX or a NULL inside an array).
 */
apr_status_t geotag_result_serialize(apr_pool_t *pool, const geotag_result *r,
                                     unsigned char **out, apr_size_t *len);

/*
 * Parse and validate against g (entity indices < number of entities,
 * offsets non-decreasing, kinds valid, opens and closes paired, JSONLD edit
 * count <= 1, strings bounded and NUL-free, values only [0-9.-], lengths
 * consistent, no trailing bytes).  APR_EGENERAL on anything wrong, and
 * *out is then left untouched: a corrupt or foreign entry must never be
 * replayed.  Everything in *out is allocated from pool.
 */
apr_status_t geotag_result_parse(apr_pool_t *pool, const unsigned char *data,
                                 apr_size_t len, const geotag_gazetteer *g,
                                 geotag_result *out);

/*
 * The envelope of a cache entry: the serialized result followed by an
 * HMAC-SHA1 tag (RFC 2104) over the cache key and the result, keyed with
 * the operator's secret (GeoTagCacheSecret; an empty secret still catches
 * torn or truncated entries, but authenticates nothing).  Binding the key
 * in means a valid entry copied under another key is refused too.
 */
#define GEOTAG_RESULT_TAG_LEN 20

/* entry = result + tag, allocated from pool. */
void geotag_result_seal(apr_pool_t *pool, const unsigned char *result,
                        apr_size_t len, const unsigned char *key,
                        apr_size_t keylen, const unsigned char *secret,
                        apr_size_t secretlen, unsigned char **entry,
                        apr_size_t *entrylen);

/* APR_SUCCESS and *len = the result's length (it starts the entry) when
 * the tag is right (compared in constant time); APR_EGENERAL otherwise. */
apr_status_t geotag_result_unseal(const unsigned char *entry,
                                  apr_size_t entrylen,
                                  const unsigned char *key, apr_size_t keylen,
                                  const unsigned char *secret,
                                  apr_size_t secretlen, apr_size_t *len);

#endif
