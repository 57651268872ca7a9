/*
 * jsonld_write.h: writing our JSON-LD.
 *
 * One schema.org @graph (research/jsonld-practice.md §4): the subject node
 * (the page's article @id reused with its @type, or a WebPage node) with
 * only about / mentions, then one node per entity:
 *   {"@id":"http://www.wikidata.org/entity/Q7747","@type":"Person",
 *    "name":"Vladimir Putin","sameAs":["https://www.wikidata.org/wiki/Q7747",
 *    "https://it.wikipedia.org/wiki/Vladimir_Putin"]}
 * treaties as Legislation with legislationDate / legislationType, figures
 * as QuantitativeValue / MonetaryAmount nodes inside mentions.
 * The output is ASCII only (every string goes through json.h's escaper),
 * so "</script" or "<!--" can never appear in it.
 *
 * It must never: restate page properties (headline, dates, author), mint an
 * Article, or emit invalid JSON whatever the input strings contain.
 */
#ifndef GEOTAG_JSONLD_WRITE_H
#define GEOTAG_JSONLD_WRITE_H

#include <apr_pools.h>
#include <apr_tables.h>
#include "gazetteer.h"
#include "figures.h"
#include "json.h" /* geotag_json_append_string, for the writer's callers */

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

/* The label an entity's node is named with for a page in 'page_lang' (a
 * label in that language, else one without a language, else English, else
 * the first), or NULL; and the Wikipedia URL of its sameAs (from pool), or
 * NULL when it has none (an unpublished entity never has one).  The editor
 * preview (preview.h) shows the same name and links. */
const geotag_label *geotag_jsonld_label(const geotag_entity *e,
                                        const char *page_lang);
const char *geotag_jsonld_wikipedia(apr_pool_t *pool, const geotag_entity *e,
                                    const geotag_label *label,
                                    const char *page_lang);

/* Write the complete element
 *   <script type="application/ld+json" id="geotag-jsonld" data-geotag="jsonld">…</script>
 * for 'doc'.  Returns it NUL-terminated, allocated from pool; *len = its length. */
char *geotag_jsonld_write(apr_pool_t *pool, const geotag_gazetteer *g,
                          const geotag_document *doc, apr_size_t *len);

#endif
