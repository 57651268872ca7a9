/*
 * mod_geotag_etag.h: our ETags and the conditional requests they answer.
 *
 * A tagged page is another representation than the source's, so its ETag
 * is the source's with "-gt" and 8 hex digits of the config digest inside
 * the quotes.  A conditional request that carries our ETag is mapped back
 * to the source's before the handler sees it, so the handler can answer
 * 304; a 304 so answered goes out with our ETag again.
 */
#ifndef MOD_GEOTAG_ETAG_H
#define MOD_GEOTAG_ETAG_H

#include "apr_sha1.h"
#include "httpd.h"

/* "-gt" + 8 hex digits of the config digest: the suffix our ETags carry
 * inside the quotes. */
const char *geotag_etag_suffix(request_rec *r,
                               const unsigned char digest[APR_SHA1_DIGESTSIZE]);

/* Before the handler: keeps the If-None-Match tags of our representation
 * (the suffix's), mapped back to the source's; drops If-None-Match and
 * If-Modified-Since when none is ours.  Notes the suffix for the 304. */
void geotag_etag_map_request(request_rec *r, const char *suffix);

/* The suffix of the editor preview's ETags: the tagged page's suffix and
 * "-preview", so that neither representation's ETag validates the other. */
const char *geotag_etag_preview_suffix(request_rec *r, const char *suffix);

/* A 304 answered from a mapped If-None-Match gets our ETag. */
void geotag_etag_for_304(request_rec *r);

/* The headers of a body we change: no Content-Length or Content-MD5 (the
 * length is the tagged one), and the ETag with the suffix. */
void geotag_etag_change_headers(request_rec *r, const char *suffix);

#endif
