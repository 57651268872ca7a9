/*
 * jsonld.h: reading the page's own JSON-LD, writing ours.
 *
 * Reading: the page's <script type="application/ld+json"> blocks are parsed
 * leniently (an invalid block is skipped, never an error) to find the
 * article node (Article, NewsArticle and its subtypes, BlogPosting, Report
 * ...), its exact @id, its @type values, mainEntityOfPage and headline.
 * Both a top-level @graph, a top-level array and a single node are read.
 *
 * Writing: one schema.org @graph (research/jsonld-practice.md §4): the
 * subject node (the page's article @id reused with its @type, or a WebPage
 * node) with only about / mentions, then one node per entity:
 *   {"@id":"http://www.wikidata.org/entity/Q7747","@type":"Person",
 *    "name":"Vladimir Putin","sameAs":["https://www.wikidata.org/wiki/Q7747",
 *    "https://it.wikipedia.org/wiki/Vladimir_Putin"]}
 * treaties as Legislation with legislationDate / legislationType, figures
 * as QuantitativeValue / MonetaryAmount nodes inside mentions.
 * The output is ASCII only: every non-ASCII code point, and < > & U+2028
 * U+2029, is written as \uXXXX, so "</script" or "<!--" can never appear.
 *
 * It must never: restate page properties (headline, dates, author), mint an
 * Article, or emit invalid JSON whatever the input strings contain.
 */
#ifndef GEOTAG_JSONLD_H
#define GEOTAG_JSONLD_H

#include <apr_pools.h>
#include <apr_tables.h>
#include "gazetteer.h"
#include "figures.h"

typedef struct {
    int found_article;            /* an Article-family node was seen */
    const char *article_id;       /* its @id (absolute or as written), or NULL */
    apr_array_header_t *article_types; /* const char *: its @type values */
    const char *main_entity_of_page;   /* its mainEntityOfPage URL/@id, or NULL */
    const char *headline;         /* its headline, or NULL */
    const char *in_language;      /* its inLanguage, or NULL */
} geotag_page_facts;

/*
 * Scan one JSON-LD block (UTF-8 text) and merge what it says into 'facts'
 * (the first article node with an @id wins; fields already set are kept).
 * Returns 1 if the block parsed as JSON, 0 if it was skipped.
 */
int geotag_jsonld_scan(apr_pool_t *pool, const char *json, apr_size_t len,
                       geotag_page_facts *facts);

/* A figure for the JSON-LD (only those with a clear value and unit). */
typedef struct {
    geotag_figure_kind kind;
    char value[GEOTAG_FIGURE_VALUE_MAX];
    const char *unit_text; /* counted noun, UTF-8, or NULL */
    const char *currency;  /* ISO 4217, or NULL */
} geotag_figure_fact;

typedef struct {
    const char *lang;               /* page language ("it"), for names and Wikipedia */
    const char *subject_id;         /* absolute IRI of the node that gets about/mentions */
    const char *const *subject_types; /* @type values ("NewsArticle", or "WebPage") */
    int n_subject_types;
    const int *about;               /* entity indices, first occurrence order */
    int n_about;
    const int *mentions;            /* entity indices, disjoint from about */
    int n_mentions;
    const geotag_figure_fact *figures;
    int n_figures;
} geotag_document;

/* Renders every entity's JSON-LD node once per label language, into the
 * labels (geotag_label.jsonld), so that writing a page's block copies them.
 * Call after loading, before the gazetteer is shared. */
void geotag_jsonld_prepare(apr_pool_t *pool, geotag_gazetteer *g);

/* Write the complete element
 *   <script type="application/ld+json" id="geotag-jsonld" data-geotag="jsonld">…</script>
 * for 'doc'.  Returns it NUL-terminated, allocated from pool; *len = its length. */
char *geotag_jsonld_write(apr_pool_t *pool, const geotag_gazetteer *g,
                          const geotag_document *doc, apr_size_t *len);

/* Append s (UTF-8, len bytes) as a JSON string literal, quotes included,
 * ASCII-only as described above, to the buffer. */
void geotag_json_append_string(apr_array_header_t *buf, const char *s,
                               apr_size_t len);

#endif
