/*
 * edits.c: rendering edits: inline ones as markup, the JSON-LD one through
 * the JSON-LD writer.
 *
 * The markup is built only from the gazetteer (types and ids, which the
 * loader's schema restricts to ASCII letters and digits) and from values
 * the figure parser produced (digits, '.', '-'), so it is ASCII and needs
 * no escaping; the checks below keep it so even if a caller passes
 * something else.
 */
#include <string.h>

#include <apr_strings.h>

#include "edits.h"

static const char *figure_class(int kind)
{
    switch (kind) {
    case GEOTAG_FIGURE_PERCENT:
        return "figure percent";
    case GEOTAG_FIGURE_MONEY:
        return "figure money";
    default:
        return "figure";
    }
}

/* Copies an attribute value, keeping only characters that need no escaping. */
static const char *safe_value(const char *in, char *out, apr_size_t cap)
{
    apr_size_t i, n = 0;
    for (i = 0; in[i] && n + 1 < cap; i++) {
        char c = in[i];
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
            (c >= 'A' && c <= 'Z') || c == '.' || c == '-' || c == ':' ||
            c == '_')
            out[n++] = c;
    }
    out[n] = '\0';
    return out;
}

/* Appends a NUL-terminated string; the caller's buffer is large enough
 * (GEOTAG_EDIT_RENDER_MAX: the longest markup is under 300 bytes). */
static char *put(char *p, const char *s)
{
    apr_size_t n = strlen(s);
    memcpy(p, s, n);
    return p + n;
}

/* a string literal: its length is known at compile time */
#define PUT_LITERAL(p, lit) (memcpy((p), (lit), sizeof(lit) - 1), (p) + sizeof(lit) - 1)

/* An attribute value (a figure's or a date's) and the end of the tag. */
static char *put_value_end(char *p, const char *value)
{
    char safe[GEOTAG_FIGURE_VALUE_MAX + 1];

    p = put(p, safe_value(value, safe, sizeof(safe)));
    return PUT_LITERAL(p, "\">");
}

static apr_size_t render_open_entity(const geotag_entity *e,
                                     geotag_markup_mode mode, char *buf)
{
    char type[64], id[128];
    char *p = buf;

    safe_value(e->type, type, sizeof(type));
    /* an id that may not be published is never written: the local id is */
    safe_value(e->unpublished ? e->local_id : e->id, id, sizeof(id));
    p = PUT_LITERAL(p, "<span data-geotag=\"");
    p = put(p, type);
    p = PUT_LITERAL(p, " ");
    p = put(p, id);
    if (mode == GEOTAG_MARKUP_MICRODATA) {
        p = PUT_LITERAL(p, "\" itemscope itemtype=\"https://schema.org/");
        p = put(p, type);
        if (e->unpublished)
            p = PUT_LITERAL(p, "\" itemid=\"#");
        else
            p = PUT_LITERAL(p, "\" itemid=\"http://www.wikidata.org/entity/");
        p = put(p, id);
    }
    p = PUT_LITERAL(p, "\">");
    return (apr_size_t)(p - buf);
}

void geotag_edits_prepare(apr_pool_t *pool, geotag_gazetteer *g)
{
    char buf[GEOTAG_EDIT_RENDER_MAX];
    int i, mode;

    if (g == NULL || g->entities == NULL)
        return;
    for (i = 0; i < g->entities->nelts; i++) {
        geotag_entity *e = &((geotag_entity *)g->entities->elts)[i];
        if (e->type == NULL || e->id == NULL)
            continue;
        for (mode = GEOTAG_MARKUP_DATA; mode <= GEOTAG_MARKUP_MICRODATA; mode++) {
            apr_size_t n = render_open_entity(e, (geotag_markup_mode)mode, buf);
            e->open_markup[mode] = apr_pmemdup(pool, buf, n);
            e->open_markup_len[mode] = n;
        }
    }
}

apr_size_t geotag_edit_render(const geotag_edit *edit,
                              const geotag_gazetteer *g,
                              geotag_markup_mode mode, char *buf)
{
    char *p = buf;

    if (mode == GEOTAG_MARKUP_NONE)
        return 0;
    switch (edit->kind) {
    case GEOTAG_EDIT_OPEN_ENTITY: {
        const geotag_entity *e;
        if (edit->entity < 0 || edit->entity >= g->entities->nelts)
            return 0;
        e = &((const geotag_entity *)g->entities->elts)[edit->entity];
        if ((unsigned)mode <= GEOTAG_MARKUP_MICRODATA &&
            e->open_markup[mode] != NULL) {
            memcpy(buf, e->open_markup[mode], e->open_markup_len[mode]);
            return e->open_markup_len[mode];
        }
        return render_open_entity(e, mode, buf);
    }
    case GEOTAG_EDIT_CLOSE_ENTITY:
        p = PUT_LITERAL(p, "</span>");
        break;
    case GEOTAG_EDIT_OPEN_FIGURE:
        p = PUT_LITERAL(p, "<data data-geotag=\"");
        p = put(p, figure_class(edit->figure_kind));
        p = PUT_LITERAL(p, "\" value=\"");
        p = put_value_end(p, edit->value);
        break;
    case GEOTAG_EDIT_CLOSE_FIGURE:
        p = PUT_LITERAL(p, "</data>");
        break;
    case GEOTAG_EDIT_OPEN_DATE:
        p = PUT_LITERAL(p, "<time data-geotag=\"date\" datetime=\"");
        p = put_value_end(p, edit->value);
        break;
    case GEOTAG_EDIT_CLOSE_DATE:
        p = PUT_LITERAL(p, "</time>");
        break;
    default:
        return 0;
    }
    return (apr_size_t)(p - buf);
}

int geotag_edit_needs_document(const geotag_edit *edit)
{
    return edit->kind == GEOTAG_EDIT_JSONLD;
}

const char *geotag_edit_render_any(const geotag_edit *edit,
                                   const geotag_gazetteer *g,
                                   geotag_markup_mode mode,
                                   const geotag_document *doc,
                                   apr_pool_t *pool, char *buf,
                                   apr_size_t *len)
{
    if (geotag_edit_needs_document(edit))
        return geotag_jsonld_write(pool, g, doc, len);
    *len = geotag_edit_render(edit, g, mode, buf);
    return buf;
}
