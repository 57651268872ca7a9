/*
 * jsonld_read.h: reading the page's own JSON-LD.
 *
 * The page's <script type="application/ld+json"> blocks are parsed
 * leniently (an invalid block is skipped, never an error) to find the
 * article node (Article, NewsArticle and its subtypes, BlogPosting, Report
 * ...), its exact @id, its @type values, mainEntityOfPage, headline and
 * datePublished.
 * Both a top-level @graph, a top-level array and a single node are read.
 *
 * It must never: trust a block that is not valid JSON, recurse without
 * bound, or read past the given length.
 */
#ifndef GEOTAG_JSONLD_READ_H
#define GEOTAG_JSONLD_READ_H

#include <apr_pools.h>
#include <apr_tables.h>

typedef struct {
    int found_article;            /* an Article-family node was seen */
    const char *article_id;       /* its @id (absolute or as written), or NULL */
    apr_array_header_t *article_types; /* const char *: its @type values */
    const char *main_entity_of_page;   /* its mainEntityOfPage URL/@id, or NULL */
    const char *headline;         /* its headline, or NULL */
    const char *date_published;   /* its datePublished as written, or NULL */
    const char *in_language;      /* its inLanguage, or NULL */
} geotag_page_facts;

/*
 * Scan one JSON-LD block (UTF-8 text) and merge what it says into 'facts'
 * (the first article node with an @id wins; fields already set are kept).
 * Returns 1 if the block parsed as JSON, 0 if it was skipped.
 */
int geotag_jsonld_scan(apr_pool_t *pool, const char *json, apr_size_t len,
                       geotag_page_facts *facts);

#endif
