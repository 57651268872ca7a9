/*
 * mod_geotag_cacheable.h: what may be cached, and under which key.
 *
 * Decided as mod_cache decides it (RFC 9111): a response a shared cache
 * must not store is neither stored nor looked up.  The key names the
 * representation we would produce: the virtual host that answers (never
 * the Host header), the URL, the source's validator, the request headers
 * its Vary names, and the config digest.  Cache-Control and Vary are
 * parsed once per response, here.
 */
#ifndef MOD_GEOTAG_CACHEABLE_H
#define MOD_GEOTAG_CACHEABLE_H

#include "apr_sha1.h"
#include "httpd.h"

#include "mod_geotag_cache.h"

/* Every field of a response header, joined with ", " (a CGI's headers
 * land in err_headers_out), or NULL. */
const char *geotag_response_header(request_rec *r, const char *name);

/* The Cache-Control directives the filter acts on. */
enum {
    GEOTAG_CC_NO_STORE = 1 << 0,
    GEOTAG_CC_PRIVATE = 1 << 1,
    GEOTAG_CC_PUBLIC = 1 << 2,
    GEOTAG_CC_S_MAXAGE = 1 << 3,
    GEOTAG_CC_MUST_REVALIDATE = 1 << 4,
    GEOTAG_CC_NO_TRANSFORM = 1 << 5
};

/* The GEOTAG_CC_ flags of the directives a Cache-Control value (or NULL)
 * holds: by name, with or without an argument; quoted arguments may hold
 * commas. */
unsigned geotag_cache_control_parse(const char *value);

/* A response's Vary: the header names it lists, lower-cased, sorted, each
 * once. */
typedef struct {
    apr_array_header_t *names; /* char *; NULL when there is no Vary */
    int star;                  /* it lists "*" */
} geotag_vary;

void geotag_vary_parse(apr_pool_t *pool, const char *vary, geotag_vary *out);

/* The source's validator for the key ("E" + a strong ETag, or "L" +
 * Last-Modified + Content-Length when there is no ETag), or NULL: weak
 * ETags are not trusted.  *strong_etag: it is a strong ETag. */
const char *geotag_source_validator(request_rec *r, int *strong_etag);

typedef enum {
    GEOTAG_CACHEABLE = 0,
    GEOTAG_UNCACHED_OFF,           /* no GeoTagCache */
    GEOTAG_UNCACHED_VALIDATOR,     /* no strong ETag, no Last-Modified +
                                      Content-Length */
    GEOTAG_UNCACHED_PRIVATE,       /* Cache-Control: private (§5.2.2.7) */
    GEOTAG_UNCACHED_NO_STORE,      /* no-store, in the response or request */
    GEOTAG_UNCACHED_SET_COOKIE,    /* a response that sets a cookie is
                                      someone's */
    GEOTAG_UNCACHED_AUTHORIZATION, /* §3.5, unless public, s-maxage,
                                      must-revalidate */
    GEOTAG_UNCACHED_VARY,          /* Vary: * (§4.1) */
    GEOTAG_UNCACHED_PREVIEW        /* the editor preview (GeoTagPreview):
                                      one editor's, never cached */
} geotag_uncached_reason;

/* Whether this response may be cached; cc is its Cache-Control, parsed. */
geotag_uncached_reason geotag_cacheability(request_rec *r,
                                           const geotag_cache *cache,
                                           const char *validator, unsigned cc,
                                           const geotag_vary *vary);

/* "uncached:private" …: the geotag-result of a reason ("miss" when
 * cacheable); geotag_uncached_count() counts it on the status page. */
const char *geotag_uncached_result(geotag_uncached_reason why);
void geotag_uncached_count(geotag_uncached_reason why);

/* The cache key of this response (see above). */
void geotag_cache_key(request_rec *r, const char *validator,
                      const geotag_vary *vary,
                      const unsigned char config[APR_SHA1_DIGESTSIZE],
                      unsigned char key[APR_SHA1_DIGESTSIZE]);

#endif
