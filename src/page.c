/*
 * page.c: what the page says about itself (see page.h).
 */
#include <string.h>
#include <strings.h>

#include <apr_strings.h>
#include <libxml/uri.h>

#include "page.h"
#include "office.h"
#include "scope.h"

/* The primary subtag of a language tag ("it-IT", "en_GB"), lower case
 * (ASCII only: no locale), cut to the field's size. */
static void set_lang(geotag_page *p, const char *tag)
{
    geotag_primary_subtag(tag, p->lang, sizeof(p->lang));
}

void geotag_page_init(geotag_page *p, apr_pool_t *pool, const char *lang,
                      apr_size_t title_max, apr_size_t jsonld_max,
                      apr_size_t url_max)
{
    memset(p, 0, sizeof(*p));
    p->pool = pool;
    p->charset = GEOTAG_CHARSET_UTF8;
    if (lang && lang[0]) {
        set_lang(p, lang);
        p->lang_forced = 1;
    }
    p->title_max = title_max;
    p->title = apr_palloc(pool, title_max);
    p->jsonld_max = jsonld_max;
    p->jsonld = apr_palloc(pool, jsonld_max);
    p->url_max = url_max;
}

geotag_page_event geotag_page_set_charset(geotag_page *p, const char *label,
                                          apr_size_t len)
{
    if (p->charset_locked || p->body_seen)
        return GEOTAG_PAGE_OK;
    p->charset = geotag_charset_lookup(label, len);
    p->charset_locked = 1;
    if (p->charset != GEOTAG_CHARSET_UNSUPPORTED)
        return GEOTAG_PAGE_OK;
    p->refused = label;
    p->refused_len = len;
    return GEOTAG_PAGE_CHARSET;
}

/* Decodes the few character references that occur in URLs (&amp; mostly). */
static char *decode_attr(apr_pool_t *pool, const geotag_attr *a)
{
    char *out = apr_palloc(pool, a->value_len + 1), ref[8];
    apr_size_t i = 0, n = 0, rlen, used;
    while (i < a->value_len) {
        if (a->value[i] == '&' &&
            (used = geotag_decode_charref(a->value + i, a->value_len - i, ref,
                                          &rlen)) > 0 &&
            rlen <= used) {
            memcpy(out + n, ref, rlen);
            n += rlen;
            i += used;
            continue;
        }
        out[n++] = a->value[i++];
    }
    out[n] = '\0';
    return out;
}

/* The decoded value of a URL attribute that was kept whole and fits the
 * page's URL cap, or NULL. */
static char *url_attr(const geotag_page *p, const geotag_attr *a)
{
    if (a == NULL || a->truncated || a->value_len == 0 ||
        a->value_len >= p->url_max)
        return NULL;
    return decode_attr(p->pool, a);
}

/* An ISO 8601 date from a source of rank 'rank' (page.h) becomes the
 * article's date unless a better source gave one. */
static void offer_date(geotag_page *p, const char *text, apr_size_t len,
                       int rank)
{
    char day[11];
    if (rank <= p->date_rank || !geotag_utc_day(text, len, day))
        return;
    memcpy(p->date, day, sizeof(day));
    p->date_rank = rank;
}

void geotag_page_article_time(geotag_page *p, const geotag_tag *tag)
{
    const geotag_attr *a = geotag_tag_attr(tag, "datetime");
    if (a != NULL && !a->truncated)
        offer_date(p, a->value, a->value_len, 1);
}

const char *geotag_page_date(const geotag_page *p)
{
    return p->date;
}

static geotag_page_event meta_tag(geotag_page *p, const geotag_tag *tag)
{
    const geotag_attr *a;

    if ((a = geotag_tag_attr(tag, "charset")) != NULL)
        return geotag_page_set_charset(p, a->value, a->value_len);
    if (geotag_tag_has_word(tag, "http-equiv", "content-type") &&
        (a = geotag_tag_attr(tag, "content")) != NULL) {
        const char *cs = strstr(a->value, "charset=");
        if (!cs)
            cs = strstr(a->value, "CHARSET=");
        if (cs) {
            cs += 8;
            return geotag_page_set_charset(p, cs, strcspn(cs, "; \"'"));
        }
        return GEOTAG_PAGE_OK;
    }
    if (geotag_tag_has_word(tag, "name", "geotag") &&
        geotag_tag_has_word(tag, "content", "off"))
        return GEOTAG_PAGE_OPTED_OUT;
    if (!p->main_entity &&
        geotag_tag_has_word(tag, "itemprop", "mainEntityOfPage"))
        p->main_entity = url_attr(p, geotag_tag_attr(tag, "content"));
    if (!p->og_url && geotag_tag_has_word(tag, "property", "og:url"))
        p->og_url = url_attr(p, geotag_tag_attr(tag, "content"));
    if ((geotag_tag_has_word(tag, "property", "og:type") ||
         geotag_tag_has_word(tag, "name", "og:type")) &&
        geotag_tag_has_word(tag, "content", "article"))
        p->og_article = 1;
    if ((geotag_tag_has_word(tag, "property", "article:published_time") ||
         geotag_tag_has_word(tag, "name", "article:published_time")) &&
        (a = geotag_tag_attr(tag, "content")) != NULL && !a->truncated)
        offer_date(p, a->value, a->value_len, 3);
    return GEOTAG_PAGE_OK;
}

static geotag_page_event head_tag(geotag_page *p, const geotag_tag *tag)
{
    const geotag_attr *a;

    switch (tag->element) {
    case GEOTAG_EL_HTML:
        a = geotag_tag_attr(tag, "lang");
        if (a && !p->lang_forced && a->value_len > 0)
            set_lang(p, a->value);
        break;
    case GEOTAG_EL_META:
        return meta_tag(p, tag);
    case GEOTAG_EL_LINK:
        if (!p->main_entity &&
            geotag_tag_has_word(tag, "itemprop", "mainEntityOfPage"))
            p->main_entity = url_attr(p, geotag_tag_attr(tag, "href"));
        if (!p->canonical && geotag_tag_has_word(tag, "rel", "canonical") &&
            (a = geotag_tag_attr(tag, "href")) != NULL && !a->truncated &&
            a->value_len < p->url_max)
            p->canonical = decode_attr(p->pool, a);
        break;
    case GEOTAG_EL_SCRIPT:
        if ((a = geotag_tag_attr(tag, "id")) != NULL &&
            strcmp(a->value, "geotag-jsonld") == 0)
            return GEOTAG_PAGE_ALREADY;
        if ((a = geotag_tag_attr(tag, "type")) != NULL &&
            strncasecmp(a->value, "application/ld+json", 19) == 0) {
            p->in_jsonld = 1;
            p->jsonld_len = 0;
            p->jsonld_overflow = 0;
        }
        break;
    default:
        break;
    }
    return GEOTAG_PAGE_OK;
}

geotag_page_event geotag_page_tag(geotag_page *p, const geotag_tag *tag)
{
    geotag_element el = tag->element;
    geotag_page_event ev = GEOTAG_PAGE_OK;

    /* in the body, JSON-LD, metas and links count too */
    if (!p->body_seen || el == GEOTAG_EL_SCRIPT || el == GEOTAG_EL_META ||
        el == GEOTAG_EL_LINK)
        ev = head_tag(p, tag);
    if (el == GEOTAG_EL_BODY)
        p->body_seen = 1;
    return ev;
}

/* A JSON-LD block ends: what it says joins the facts. */
static void jsonld_done(geotag_page *p)
{
    p->in_jsonld = 0;
    if (p->jsonld_overflow || p->jsonld_len == 0)
        return;
    if (p->charset == GEOTAG_CHARSET_WINDOWS_1252) {
        apr_size_t n;
        char *u =
            geotag_to_utf8(p->pool, p->jsonld, p->jsonld_len, p->charset, &n);
        geotag_jsonld_scan(p->pool, u, n, &p->facts);
    }
    else {
        geotag_jsonld_scan(p->pool, p->jsonld, p->jsonld_len, &p->facts);
    }
    if (p->facts.date_published != NULL)
        offer_date(p, p->facts.date_published,
                   strlen(p->facts.date_published), 2);
}

void geotag_page_end_tag(geotag_page *p, const geotag_tag *tag)
{
    if (tag->element == GEOTAG_EL_SCRIPT && p->in_jsonld)
        jsonld_done(p);
}

void geotag_page_text(geotag_page *p, const char *data, apr_size_t len,
                      geotag_text_kind kind, geotag_element container)
{
    if (kind == GEOTAG_TEXT_RAWTEXT) {
        if (container == GEOTAG_EL_SCRIPT && p->in_jsonld) {
            if (p->jsonld_len + len > p->jsonld_max) {
                p->jsonld_overflow = 1;
                return;
            }
            memcpy(p->jsonld + p->jsonld_len, data, len);
            p->jsonld_len += len;
        }
    }
    else if (kind == GEOTAG_TEXT_RCDATA) {
        if (container == GEOTAG_EL_TITLE && !p->body_seen) {
            apr_size_t n = len;
            if (p->title_len + n > p->title_max)
                n = p->title_max - p->title_len;
            memcpy(p->title + p->title_len, data, n);
            p->title_len += n;
        }
    }
}

geotag_charset geotag_page_charset(const geotag_page *p)
{
    return p->charset;
}

int geotag_page_declares_article(const geotag_page *p)
{
    return p->facts.found_article || p->og_article;
}

const char *geotag_page_lang(const geotag_page *p)
{
    return p->lang;
}

int geotag_page_headline(const geotag_page *p, const char **text,
                         apr_size_t *len)
{
    if (p->facts.headline) {
        *text = p->facts.headline;
        *len = strlen(p->facts.headline);
        return 1;
    }
    if (p->title_len) {
        *text = p->title;
        *len = p->title_len;
        return 1;
    }
    return 0;
}

/*
 * Resolves a possibly relative IRI against base (RFC 3986 section 5.2, by
 * libxml2: dot segments removed, a query or fragment kept).  A base that is
 * no absolute URL resolves nothing, and an IRI libxml2 cannot parse (a
 * space, a raw non-ASCII character) is kept as the page wrote it rather
 * than guessed at.  Limit: libxml2 2.9 writes the resolved path anew, so
 * a ':' in a relative path comes out as %3A and an escape such as %2F is
 * decoded; an absolute IRI is always kept byte for byte.
 */
static const char *absolute_iri(apr_pool_t *pool, const char *iri,
                                const char *base)
{
    xmlChar *built;
    const char *out;

    if (!iri || !base || !strstr(base, "://"))
        return iri;
    built = xmlBuildURI((const xmlChar *)iri, (const xmlChar *)base);
    if (!built)
        return iri;
    out = apr_pstrdup(pool, (const char *)built);
    xmlFree(built);
    return out;
}

void geotag_page_subject(const geotag_page *p, apr_pool_t *pool,
                         const char *url, geotag_document *doc)
{
    static const char *const webpage[] = {"WebPage"};
    const geotag_page_facts *facts = &p->facts;
    /* the canonical link, og:url, the url: each made absolute against the
     * next (a canonical link written "/news/a" against the url) */
    const char *base = url;

    if (p->og_url)
        base = absolute_iri(pool, p->og_url, base);
    if (p->canonical)
        base = absolute_iri(pool, p->canonical, base);

    /* a copy: a finished document must not follow a later <html lang> */
    doc->lang = p->lang[0] ? apr_pstrdup(pool, p->lang) : "en";
    if (facts->article_id) {
        doc->subject_id = absolute_iri(pool, facts->article_id, base);
        doc->n_subject_types =
            facts->article_types ? facts->article_types->nelts : 0;
        doc->subject_types =
            doc->n_subject_types
                ? (const char *const *)facts->article_types->elts
                : NULL;
    }
    else {
        const char *id = facts->main_entity_of_page;
        if (!id)
            id = p->main_entity;
        if (!id)
            id = p->canonical;
        if (!id)
            id = p->og_url;
        if (!id && url)
            id = apr_pstrndup(pool, url, strcspn(url, "?#"));
        doc->subject_id = absolute_iri(pool, id, base);
        doc->subject_types = webpage;
        doc->n_subject_types = 1;
    }
}
