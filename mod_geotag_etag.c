/*
 * mod_geotag_etag.c: our ETags and the conditional requests (see
 * mod_geotag_etag.h).
 */
#include "apr_strings.h"

#include "httpd.h"
#include "http_protocol.h"

#include "mod_geotag_etag.h"

const char *geotag_etag_suffix(request_rec *r,
                               const unsigned char digest[APR_SHA1_DIGESTSIZE])
{
    char *s = apr_palloc(r->pool, 3 + 8 + 1);
    memcpy(s, "-gt", 3);
    ap_bin2hex(digest, 4, s + 3);
    return s;
}

const char *geotag_etag_preview_suffix(request_rec *r, const char *suffix)
{
    return apr_pstrcat(r->pool, suffix, "-preview", NULL);
}

/* The ETag "x" with the suffix inside its quotes, or NULL when it does not
 * end with a quote. */
static const char *etag_with_suffix(request_rec *r, const char *etag,
                                    const char *suffix)
{
    apr_size_t n = strlen(etag);
    if (n == 0 || etag[n - 1] != '"')
        return NULL;
    return apr_pstrcat(r->pool, apr_pstrndup(r->pool, etag, n - 1), suffix,
                       "\"", NULL);
}

void geotag_etag_map_request(request_rec *r, const char *suffix)
{
    const char *inm = apr_table_get(r->headers_in, "If-None-Match");
    const char *mapped = NULL;
    apr_size_t slen = strlen(suffix);
    char *copy, *tok, *last;

    apr_table_setn(r->notes, "geotag-etag-suffix", suffix);
    if (!inm || !strcmp(inm, "*"))
        return;
    /* Keep only the tags of our representation, mapped back to the
     * source's; a client holding the untagged page (or another
     * dictionary's) must get the tagged one, not a 304. */
    copy = apr_pstrdup(r->pool, inm);
    for (tok = apr_strtok(copy, ",", &last); tok;
         tok = apr_strtok(NULL, ",", &last)) {
        apr_size_t n;
        const char *back;
        while (*tok == ' ' || *tok == '\t')
            tok++;
        n = strlen(tok);
        while (n > 0 && (tok[n - 1] == ' ' || tok[n - 1] == '\t'))
            n--;
        if (n <= slen + 1 || tok[n - 1] != '"' ||
            memcmp(tok + n - 1 - slen, suffix, slen) != 0)
            continue;
        back = apr_pstrcat(r->pool, apr_pstrndup(r->pool, tok, n - 1 - slen),
                           "\"", NULL);
        mapped = mapped ? apr_pstrcat(r->pool, mapped, ", ", back, NULL) : back;
    }
    if (mapped) {
        apr_table_setn(r->headers_in, "If-None-Match", mapped);
    }
    else {
        /* (If-Modified-Since was ignored beside it: keep it so) */
        apr_table_unset(r->headers_in, "If-None-Match");
        apr_table_unset(r->headers_in, "If-Modified-Since");
    }
}

/*
 * A 304 answered from our mapped If-None-Match must carry our ETag.  The
 * core's 304 reaches the filter chain as a bare EOS (first_call sees it),
 * one built by ap_send_error_response goes through insert_error_filter.
 */
void geotag_etag_for_304(request_rec *r)
{
    const char *suffix = apr_table_get(r->notes, "geotag-etag-suffix");
    const char *etag, *ours;
    if (r->status != HTTP_NOT_MODIFIED || !suffix)
        return;
    etag = apr_table_get(r->headers_out, "ETag");
    if (etag && !strstr(etag, suffix) &&
        (ours = etag_with_suffix(r, etag, suffix)) != NULL)
        apr_table_setn(r->headers_out, "ETag", ours);
}

void geotag_etag_change_headers(request_rec *r, const char *suffix)
{
    const char *etag = apr_table_get(r->headers_out, "ETag");
    apr_table_unset(r->headers_out, "Content-Length");
    apr_table_unset(r->headers_out, "Content-MD5");
    if (etag && *etag) {
        const char *ours = etag_with_suffix(r, etag, suffix);
        if (ours)
            apr_table_setn(r->headers_out, "ETag", ours);
        else
            apr_table_unset(r->headers_out, "ETag");
    }
}
