/*
 * preview.h: the editor preview, what an editor sees of the tagging on the
 * page itself.
 *
 * With the preview on (geotag_options.preview: GeoTagPreview's variable in
 * the filter, --preview in the command), a session also inserts
 *
 *   after each opening tag of a mention, a tooltip shown on hover:
 *     <span data-geotag="preview-tip">name, type, id, links</span>
 *     (a figure's or a date's: its kind and value)
 *   where the JSON-LD goes (before </body>), a stylesheet and a panel:
 *     <style data-geotag="preview" nonce="...">...</style>
 *     <aside data-geotag="preview">...</aside>
 *
 * The stylesheet highlights every mention by kind and opens the tooltips
 * with :hover; the panel lists the page's entities, treaties, figures and
 * dates, and every mention (one <tr data-offset data-length data-kind
 * data-id> each: what `geotag --mentions` prints).  No script: it works
 * under a Content-Security-Policy that allows the site's style nonce.
 *
 * Every element inserted here is removed whole by an unwrapper: it starts
 * with <NAME data-geotag="preview..." and ends at the first </NAME> after
 * it (its content never holds another NAME element).  What is inside comes
 * from the dictionary and the engine, never from the page, and is ASCII:
 * names are HTML-escaped, non-ASCII characters written as &#xHHHH;.
 *
 * It must never: write page text, a byte outside printable ASCII (but
 * newline), a script, or an attribute on an element of the page.
 */
#ifndef GEOTAG_PREVIEW_H
#define GEOTAG_PREVIEW_H

#include <apr_pools.h>

#include "edits.h"
#include "gazetteer.h"

typedef struct geotag_preview geotag_preview;

/* A mention, as the session reports it to an observer (geotag_options.
 * mention: geotag --mentions, tests) and to the preview's panel. */
typedef struct {
    apr_off_t offset;     /* original bytes [offset, offset + length) */
    apr_size_t length;
    const char *kind;     /* "entity", "treaty", "figure", "date" */
    const char *id;       /* QID for entities, value for figures and dates */
    int marked;           /* markup was inserted for it */
    int entity;           /* the entity's index, or -1 */
    int figure_kind;      /* geotag_figure_kind, for figures and dates */
} geotag_mention;

/* Mentions the panel lists at most; the rest are counted. */
#define GEOTAG_PREVIEW_MAX_MENTIONS 10000

/* A preview for one page; 'nonce' is the nonce of the site's
 * Content-Security-Policy for the <style> element, or NULL (a nonce of
 * other characters than base64's and '-', '_' is not written). */
geotag_preview *geotag_preview_create(apr_pool_t *pool,
                                      const geotag_gazetteer *g,
                                      const char *nonce);

/* A mention, in the order the engine reports them (its strings copied). */
void geotag_preview_add(geotag_preview *p, const geotag_mention *m);

/* The tooltip that follows an opening edit (entity, figure, date), from
 * pool; NULL for any other edit.  'lang' is the page's language. */
const char *geotag_preview_tip(const geotag_preview *p,
                               const geotag_edit *open, const char *lang,
                               apr_pool_t *pool, apr_size_t *len);

/* The stylesheet and the panel (GEOTAG_EDIT_PREVIEW), from pool. */
const char *geotag_preview_panel(const geotag_preview *p, const char *lang,
                                 apr_pool_t *pool, apr_size_t *len);

/* Appends s as HTML text or attribute value: & < > " ' as references,
 * every non-ASCII character as &#xHHHH; (invalid UTF-8 as &#xFFFD;),
 * controls but tab and newline dropped. */
void geotag_preview_escape(apr_array_header_t *buf, const char *s);

#endif
