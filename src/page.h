/*
 * page.h: what the page says about itself.
 *
 * Read from its head, and from the few tags of the body that count too
 * (scripts, metas, links): the charset (<meta charset>, http-equiv, a
 * byte order mark, or the Content-Type header first), the language
 * (<html lang>, unless forced), the canonical link, the <title>, the
 * opt-outs (<meta name="geotag" content="off">, our own JSON-LD block),
 * og:type, and the page's own JSON-LD (its article's @id and types,
 * headline, date).  From these come the headline the JSON-LD falls back
 * to when the article has no <h1>, the subject (the node that gets about
 * and mentions), and whether the page declares an article.  Each is kept
 * up to its cap (geotag_limits), never more.
 */
#ifndef GEOTAG_PAGE_H
#define GEOTAG_PAGE_H

#include <apr_pools.h>

#include "jsonld.h"
#include "lexer.h"
#include "normalize.h"

/* The state; read it through the functions below. */
typedef struct {
    apr_pool_t *pool;
    geotag_charset charset;
    int charset_locked; /* from the header or a BOM: <meta> cannot change it */
    int body_seen;
    char lang[16]; /* primary subtag, lower case; "" = unknown */
    int lang_forced;
    char *canonical;
    char *og_url;  /* <meta property="og:url">: after the canonical link */
    char *main_entity; /* microdata itemprop="mainEntityOfPage" (content or
                          href): after the JSON-LD's */
    int og_article;    /* <meta property="og:type" content="article"> */
    apr_size_t url_max;
    char *title;
    apr_size_t title_len, title_max;
    /* its own JSON-LD, the block being read */
    int in_jsonld;
    char *jsonld;
    apr_size_t jsonld_len, jsonld_max;
    int jsonld_overflow;
    geotag_page_facts facts;
    /* the article's date, UTC day "YYYY-MM-DD" ("" unknown), and where it
     * came from: 3 article:published_time, 2 the JSON-LD's datePublished,
     * 1 a <time datetime> in the article; a better source replaces it */
    char date[11];
    int date_rank;
    /* the charset label last refused (valid during the tag's event) */
    const char *refused;
    apr_size_t refused_len;
} geotag_page;

/* What a tag (or a charset) means for the session. */
typedef enum {
    GEOTAG_PAGE_OK = 0,
    GEOTAG_PAGE_CHARSET,   /* a charset the engine cannot read */
    GEOTAG_PAGE_OPTED_OUT, /* <meta name="geotag" content="off"> */
    GEOTAG_PAGE_ALREADY    /* our own JSON-LD block is there already */
} geotag_page_event;

/* lang: the forced language ("it-IT": its primary subtag), or NULL. */
void geotag_page_init(geotag_page *p, apr_pool_t *pool, const char *lang,
                      apr_size_t title_max, apr_size_t jsonld_max,
                      apr_size_t url_max);

/* A charset label (header, BOM or <meta>); the first one decides, and
 * none after <body>. */
geotag_page_event geotag_page_set_charset(geotag_page *p, const char *label,
                                          apr_size_t len);

/* A start tag; an end tag. */
geotag_page_event geotag_page_tag(geotag_page *p, const geotag_tag *tag);
void geotag_page_end_tag(geotag_page *p, const geotag_tag *tag);

/* Raw text (a script's) and RCDATA (the title's). */
void geotag_page_text(geotag_page *p, const char *data, apr_size_t len,
                      geotag_text_kind kind, geotag_element container);

geotag_charset geotag_page_charset(const geotag_page *p);

/* A <time> start tag in the article: its datetime is the article's date
 * when nothing better has told it. */
void geotag_page_article_time(geotag_page *p, const geotag_tag *tag);

/* The article's date as a UTC day ("YYYY-MM-DD"), "" while unknown; the
 * buffer stays the same for the page's life (it changes as the page tells
 * more). */
const char *geotag_page_date(const geotag_page *p);

/* The page says it is an article, so far: its JSON-LD has an article node
 * (Article, NewsArticle ...) or its og:type is "article".  Teasers after
 * the first article then leave the page an article page (scope.h). */
int geotag_page_declares_article(const geotag_page *p);

/* The primary language subtag, lower case; "" when unknown. */
const char *geotag_page_lang(const geotag_page *p);

/* The headline for the JSON-LD when the article had no <h1>: the page's
 * JSON-LD headline, else its title.  0 when there is neither. */
int geotag_page_headline(const geotag_page *p, const char **text,
                         apr_size_t *len);

/* The JSON-LD's language and subject: the page's article node, else a
 * WebPage (its mainEntityOfPage, canonical link, og:url, or url without
 * query),
 * its IRI made absolute against the canonical link, og:url or url (a
 * relative canonical link against og:url or url).  Fills lang, subject_id
 * and subject_types of doc (from pool). */
void geotag_page_subject(const geotag_page *p, apr_pool_t *pool,
                         const char *url, geotag_document *doc);

#endif
