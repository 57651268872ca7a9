/*
 * document.h: what the page names, and the finished document made of it.
 *
 * While the page is read: one slot per distinct entity (first-occurrence
 * order; whether a full form was seen, whether it was named in the
 * headline, marked up) in an open-addressing table sized by
 * limits.entities, and the figures the JSON-LD will list (de-duplicated,
 * up to limits.jsonld_figures).  Then the geotag_document is built once,
 * from them and the page's facts (the session does it when its JSON-LD
 * edit is queued, or at the end of the page if that comes first): from
 * then on it is read-only, and the JSON-LD is rendered from it however
 * often and whenever the consumer asks.
 */
#ifndef GEOTAG_DOCUMENT_H
#define GEOTAG_DOCUMENT_H

#include <apr_pools.h>

#include "figures.h"
#include "jsonld.h"

/* Entity slot flags. */
#define GEOTAG_SLOT_FULL 0x01           /* an unambiguous form was seen */
#define GEOTAG_SLOT_MARKED 0x02         /* markup was inserted at least once */
#define GEOTAG_SLOT_HEADLINE 0x04       /* named in the headline */
#define GEOTAG_SLOT_SHORT_PENDING 0x08  /* a short form came before any full */
#define GEOTAG_SLOT_SHORT_HEADLINE 0x10 /* ... and it was in the headline */

typedef struct {
    int entity; /* -1 = empty */
    unsigned flags;
    int order;
} geotag_slot;

/* The state; read it through the functions below. */
typedef struct {
    geotag_slot *slots;
    apr_size_t slot_mask;
    int n_entities, next_order, max_entities;
    geotag_figure_fact *figures;
    int n_figures, max_figures;
    int max_about, max_mentions;
    geotag_document doc;
    int built;
} geotag_findings;

/* Caps: distinct entities, entities in "about", in "mentions", figures. */
void geotag_findings_init(geotag_findings *f, apr_pool_t *pool, int entities,
                          int about, int mentions, int figures);

/* The entity's slot, or NULL when the page has not named it. */
geotag_slot *geotag_findings_slot(const geotag_findings *f, int entity);

/* The entity's slot, made if need be; NULL when the page already names
 * as many distinct entities as the cap allows. */
geotag_slot *geotag_findings_add(geotag_findings *f, int entity);

int geotag_findings_entities(const geotag_findings *f);

/* A figure for the JSON-LD: only a clear value with its unit or currency,
 * once; dates never. */
void geotag_findings_add_figure(geotag_findings *f, const geotag_figure *fig);
int geotag_findings_figures(const geotag_findings *f);

/* Builds the document once: 'subject' gives lang and the subject (see
 * geotag_page_subject); about (entities named in the headline) and
 * mentions (the other entities of which a full form was seen, in order of
 * first occurrence) and the figures come from the findings.  Arrays from
 * pool.  A second call returns the document of the first. */
const geotag_document *geotag_findings_build(geotag_findings *f,
                                             apr_pool_t *pool,
                                             const geotag_document *subject);

/* The built document, or NULL before geotag_findings_build(). */
const geotag_document *geotag_findings_document(const geotag_findings *f);

#endif
