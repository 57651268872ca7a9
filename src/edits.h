/*
 * edits.h: what the engine asks the output to change, and how it is written.
 *
 * The engine never rewrites a page: it produces *edits*, each an insertion
 * of markup before one byte offset of the original response body.  The
 * Apache filter splits its buckets at those offsets and inserts the
 * rendered bytes between them (so a file stays a file bucket); the cache
 * stores the edits, not the page.  Edits are compact and self-contained
 * given the gazetteer: an entity edit holds the entity's index, a figure or
 * date edit its normalized ASCII value; rendering turns them into markup.
 *
 * Edits come in offset order; several at one offset apply in list order
 * (a close before the next open).  Every element rendered carries a
 * data-geotag attribute, and only ASCII is ever written.
 *
 * It must never: put page text into markup, or render anything that is not
 * well-formed HTML and XHTML.
 */
#ifndef GEOTAG_EDITS_H
#define GEOTAG_EDITS_H

#include <apr.h>
#include <apr_pools.h>
#include "gazetteer.h"
#include "figures.h"
#include "jsonld_write.h"

typedef enum {
    GEOTAG_EDIT_OPEN_ENTITY = 1, /* <span data-geotag="Person Q7747"> */
    GEOTAG_EDIT_CLOSE_ENTITY,    /* </span> */
    GEOTAG_EDIT_OPEN_FIGURE,     /* <data data-geotag="figure" value="2800000"> */
    GEOTAG_EDIT_CLOSE_FIGURE,    /* </data> */
    GEOTAG_EDIT_OPEN_DATE,       /* <time data-geotag="date" datetime="2024-06"> */
    GEOTAG_EDIT_CLOSE_DATE,      /* </time> */
    GEOTAG_EDIT_JSONLD,          /* the JSON-LD script element */
    GEOTAG_EDIT_PREVIEW          /* the editor preview's stylesheet and
                                    panel (preview.h), never cached */
} geotag_edit_kind;

typedef enum {
    GEOTAG_MARKUP_DATA = 0, /* data-geotag attributes (default) */
    GEOTAG_MARKUP_MICRODATA,/* the same plus itemscope/itemtype/itemid */
    GEOTAG_MARKUP_NONE      /* no inline markup; JSON-LD only */
} geotag_markup_mode;

typedef struct {
    apr_off_t offset;            /* insert before this byte of the original body */
    unsigned char kind;            /* geotag_edit_kind */
    unsigned char figure_kind;     /* geotag_figure_kind, for figures */
    apr_int32_t entity;          /* entity index, for OPEN_ENTITY */
    char value[GEOTAG_FIGURE_VALUE_MAX]; /* figure / date value, ASCII */
} geotag_edit;

/* Longest markup one inline edit can render (JSON-LD excluded). */
#define GEOTAG_EDIT_RENDER_MAX 512

/* Renders every entity's opening tags once (geotag_entity.open_markup),
 * so that rendering a mention copies them.  Call after loading, before the
 * gazetteer is shared. */
void geotag_edits_prepare(apr_pool_t *pool, geotag_gazetteer *g);

/* Render an inline edit (not JSONLD) into buf (GEOTAG_EDIT_RENDER_MAX
 * bytes); returns its length. */
apr_size_t geotag_edit_render(const geotag_edit *edit,
                              const geotag_gazetteer *g,
                              geotag_markup_mode mode, char *buf);

/* Whether rendering the edit reads the document: only the JSON-LD edit
 * does (building a document walks the page's entities, so callers that
 * build it on demand ask this first). */
int geotag_edit_needs_document(const geotag_edit *edit);

/* Render any edit, the one place that tells the two apart: inline markup
 * into buf (GEOTAG_EDIT_RENDER_MAX bytes), or the JSON-LD element written
 * from doc (which may be NULL for any other edit) into pool memory.
 * Returns the bytes and sets *len. */
const char *geotag_edit_render_any(const geotag_edit *edit,
                                   const geotag_gazetteer *g,
                                   geotag_markup_mode mode,
                                   const geotag_document *doc,
                                   apr_pool_t *pool, char *buf,
                                   apr_size_t *len);

#endif
