/*
 * mod_geotag_cacheable.c: what may be cached, and under which key (see
 * mod_geotag_cacheable.h).
 *
 * The cache holds edits, not pages, and a hit is always replayed onto the
 * origin's fresh response; but edits and the JSON-LD carry what a page
 * says, and a child's memory keeps whole pages: so a response a shared
 * cache must not store (RFC 9111 §3, §3.5) is neither stored nor looked
 * up.
 */
#include <stdlib.h>

#include "apr_strings.h"

#include "httpd.h"
#include "http_protocol.h"

#include "mod_geotag_cacheable.h"
#include "mod_geotag_status.h"

const char *geotag_response_header(request_rec *r, const char *name)
{
    const char *out = apr_table_getm(r->pool, r->headers_out, name);
    const char *err = apr_table_getm(r->pool, r->err_headers_out, name);
    if (out && err)
        return apr_pstrcat(r->pool, out, ", ", err, NULL);
    return out ? out : err;
}

unsigned geotag_cache_control_parse(const char *value)
{
    static const struct {
        const char *name;
        apr_size_t len;
        unsigned flag;
    } known[] = {
        {"no-store", 8, GEOTAG_CC_NO_STORE},
        {"private", 7, GEOTAG_CC_PRIVATE},
        {"public", 6, GEOTAG_CC_PUBLIC},
        {"s-maxage", 8, GEOTAG_CC_S_MAXAGE},
        {"must-revalidate", 15, GEOTAG_CC_MUST_REVALIDATE},
        {"no-transform", 12, GEOTAG_CC_NO_TRANSFORM},
    };
    const char *p = value;
    unsigned flags = 0;

    while (p && *p) {
        int quoted = 0;
        apr_size_t i;
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
            apr_size_t n = known[i].len;
            if (!strncasecmp(p, known[i].name, n) &&
                (p[n] == '\0' || p[n] == ',' || p[n] == '=' || p[n] == ' ' ||
                 p[n] == '\t')) {
                flags |= known[i].flag;
                break;
            }
        }
        for (; *p && (quoted || *p != ','); p++) {
            if (*p == '"')
                quoted = !quoted;
            else if (*p == '\\' && quoted && p[1])
                p++;
        }
    }
    return flags;
}

static const struct {
    const char *result; /* geotag-result */
    geotag_counter counter;
} uncached_reasons[] = {
    [GEOTAG_UNCACHED_OFF] = {"uncached:off", GEOTAG_C_UNCACHED_OFF},
    [GEOTAG_UNCACHED_VALIDATOR] = {"uncached:validator",
                                   GEOTAG_C_UNCACHED_VALIDATOR},
    [GEOTAG_UNCACHED_PRIVATE] = {"uncached:private", GEOTAG_C_UNCACHED_PRIVATE},
    [GEOTAG_UNCACHED_NO_STORE] = {"uncached:no-store",
                                  GEOTAG_C_UNCACHED_NO_STORE},
    [GEOTAG_UNCACHED_SET_COOKIE] = {"uncached:set-cookie",
                                    GEOTAG_C_UNCACHED_SET_COOKIE},
    [GEOTAG_UNCACHED_AUTHORIZATION] = {"uncached:authorization",
                                       GEOTAG_C_UNCACHED_AUTHORIZATION},
    [GEOTAG_UNCACHED_VARY] = {"uncached:vary", GEOTAG_C_UNCACHED_VARY},
    [GEOTAG_UNCACHED_PREVIEW] = {"uncached:preview",
                                 GEOTAG_C_UNCACHED_PREVIEW},
};

const char *geotag_uncached_result(geotag_uncached_reason why)
{
    return why == GEOTAG_CACHEABLE ? "miss" : uncached_reasons[why].result;
}

void geotag_uncached_count(geotag_uncached_reason why)
{
    geotag_count(why == GEOTAG_CACHEABLE ? GEOTAG_C_CACHE_MISS
                                          : uncached_reasons[why].counter,
                 1);
}

const char *geotag_source_validator(request_rec *r, int *strong_etag)
{
    const char *etag = apr_table_get(r->headers_out, "ETag");
    const char *lm, *cl;

    *strong_etag = 0;
    if (etag && strncmp(etag, "W/", 2) != 0) {
        *strong_etag = 1;
        return apr_pstrcat(r->pool, "E", etag, NULL);
    }
    lm = apr_table_get(r->headers_out, "Last-Modified");
    cl = apr_table_get(r->headers_out, "Content-Length");
    if (lm && cl && !etag)
        return apr_pstrcat(r->pool, "L", lm, "|", cl, NULL);
    return NULL;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void geotag_vary_parse(apr_pool_t *pool, const char *vary, geotag_vary *out)
{
    char *copy, *tok, *last;
    int i, kept = 0;

    out->names = NULL;
    out->star = 0;
    if (!vary)
        return;
    out->names = apr_array_make(pool, 4, sizeof(char *));
    copy = apr_pstrdup(pool, vary);
    for (tok = apr_strtok(copy, ", \t", &last); tok;
         tok = apr_strtok(NULL, ", \t", &last)) {
        if (!strcmp(tok, "*"))
            out->star = 1;
        ap_str_tolower(tok);
        APR_ARRAY_PUSH(out->names, char *) = tok;
    }
    qsort(out->names->elts, out->names->nelts, sizeof(char *), compare_names);
    for (i = 0; i < out->names->nelts; i++) {
        char *name = APR_ARRAY_IDX(out->names, i, char *);
        if (kept > 0 &&
            !strcmp(name, APR_ARRAY_IDX(out->names, kept - 1, char *)))
            continue;
        APR_ARRAY_IDX(out->names, kept++, char *) = name;
    }
    out->names->nelts = kept;
}

/* The request headers a Vary response was chosen by, in the key: each
 * named header with every value the request gave it, or a mark for none. */
static void key_vary(request_rec *r, const geotag_vary *vary,
                     apr_sha1_ctx_t *sha)
{
    int i;

    for (i = 0; i < vary->names->nelts; i++) {
        const char *name = APR_ARRAY_IDX(vary->names, i, char *);
        const char *value = apr_table_getm(r->pool, r->headers_in, name);
        apr_sha1_update(sha, "|vary:", 6);
        apr_sha1_update(sha, name, strlen(name));
        apr_sha1_update(sha, value ? "=" : "!", 1);
        if (value)
            apr_sha1_update(sha, value, strlen(value));
    }
}

geotag_uncached_reason geotag_cacheability(request_rec *r,
                                           const geotag_cache *cache,
                                           const char *validator, unsigned cc,
                                           const geotag_vary *vary)
{
    unsigned request_cc = geotag_cache_control_parse(
        apr_table_getm(r->pool, r->headers_in, "Cache-Control"));

    if (!cache)
        return GEOTAG_UNCACHED_OFF;
    if ((cc | request_cc) & GEOTAG_CC_NO_STORE)
        return GEOTAG_UNCACHED_NO_STORE;
    if (cc & GEOTAG_CC_PRIVATE)
        return GEOTAG_UNCACHED_PRIVATE;
    if (geotag_response_header(r, "Set-Cookie") ||
        geotag_response_header(r, "Set-Cookie2"))
        return GEOTAG_UNCACHED_SET_COOKIE;
    if (apr_table_get(r->headers_in, "Authorization") &&
        !(cc & (GEOTAG_CC_PUBLIC | GEOTAG_CC_S_MAXAGE |
                GEOTAG_CC_MUST_REVALIDATE)))
        return GEOTAG_UNCACHED_AUTHORIZATION;
    if (vary->star)
        return GEOTAG_UNCACHED_VARY;
    if (!validator)
        return GEOTAG_UNCACHED_VALIDATOR;
    return GEOTAG_CACHEABLE;
}

/* The port the key names: ServerName's, else the port the connection came
 * in on; never the client's Host header. */
static apr_port_t server_port(request_rec *r)
{
    if (r->server->port)
        return r->server->port;
    return r->connection->local_addr ? r->connection->local_addr->port : 0;
}

/*
 * The cache key: the representation we would produce.  It names the
 * virtual host by the server that answers (its canonical name and port,
 * and the addresses of an IP-based virtual host), never by the Host
 * header: port-based virtual hosts serving the same path never share an
 * entry, and random Host values cannot fill the cache.  The version mark
 * keeps two versions of the module on one farm cache apart.
 */
void geotag_cache_key(request_rec *r, const char *validator,
                      const geotag_vary *vary,
                      const unsigned char config[APR_SHA1_DIGESTSIZE],
                      unsigned char key[APR_SHA1_DIGESTSIZE])
{
    const char *host = r->server->server_hostname;
    server_addr_rec *addr;
    apr_sha1_ctx_t sha;
    char port[16];

    apr_sha1_init(&sha);
    apr_sha1_update(&sha, "geotag-key-2|", 13);
    apr_sha1_update(&sha, ap_http_scheme(r), strlen(ap_http_scheme(r)));
    apr_sha1_update(&sha, "|", 1);
    if (host)
        apr_sha1_update(&sha, host, strlen(host));
    apr_snprintf(port, sizeof(port), "|%u|", (unsigned)server_port(r));
    apr_sha1_update(&sha, port, strlen(port));
    for (addr = r->server->addrs; addr; addr = addr->next) {
        /* "*" and _default_ name no address: name-based and port-based
         * virtual hosts stay the same on every server of a farm */
        if (addr->virthost && strcmp(addr->virthost, "*") &&
            strcasecmp(addr->virthost, "_default_")) {
            apr_sha1_update(&sha, addr->virthost, strlen(addr->virthost));
            apr_snprintf(port, sizeof(port), ":%u;", (unsigned)addr->host_port);
            apr_sha1_update(&sha, port, strlen(port));
        }
    }
    apr_sha1_update(&sha, "|", 1);
    apr_sha1_update(&sha, r->uri, strlen(r->uri));
    apr_sha1_update(&sha, "?", 1);
    if (r->args)
        apr_sha1_update(&sha, r->args, strlen(r->args));
    apr_sha1_update(&sha, "|", 1);
    apr_sha1_update(&sha, validator, strlen(validator));
    if (vary->names)
        key_vary(r, vary, &sha);
    apr_sha1_update(&sha, "|", 1);
    apr_sha1_update_binary(&sha, config, APR_SHA1_DIGESTSIZE);
    apr_sha1_final(key, &sha);
}
