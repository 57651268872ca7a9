/*
 * edits.c: rendering inline edits as markup.
 *
 * The markup is built only from the gazetteer (types and ids, which the
 * loader's schema restricts to ASCII letters and digits) and from values
 * the figure parser produced (digits, '.', '-'), so it is ASCII and needs
 * no escaping; the checks below keep it so even if a caller passes
 * something else.
 */
#include <string.h>

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

apr_size_t geotag_edit_render(const geotag_edit *edit,
                              const geotag_gazetteer *g,
                              geotag_markup_mode mode, char *buf)
{
    char value[GEOTAG_FIGURE_VALUE_MAX + 1];
    char *p = buf;

    if (mode == GEOTAG_MARKUP_NONE)
        return 0;
    switch (edit->kind) {
    case GEOTAG_EDIT_OPEN_ENTITY: {
        const geotag_entity *e;
        char type[64], id[64];
        if (edit->entity < 0 || edit->entity >= g->entities->nelts)
            return 0;
        e = &((const geotag_entity *)g->entities->elts)[edit->entity];
        safe_value(e->type, type, sizeof(type));
        safe_value(e->id, id, sizeof(id));
        p = put(p, "<span data-geotag=\"");
        p = put(p, type);
        p = put(p, " ");
        p = put(p, id);
        if (mode == GEOTAG_MARKUP_MICRODATA) {
            p = put(p, "\" itemscope itemtype=\"https://schema.org/");
            p = put(p, type);
            p = put(p, "\" itemid=\"http://www.wikidata.org/entity/");
            p = put(p, id);
        }
        p = put(p, "\">");
        break;
    }
    case GEOTAG_EDIT_CLOSE_ENTITY:
        p = put(p, "</span>");
        break;
    case GEOTAG_EDIT_OPEN_FIGURE:
        p = put(p, "<data data-geotag=\"");
        p = put(p, figure_class(edit->figure_kind));
        p = put(p, "\" value=\"");
        p = put(p, safe_value(edit->value, value, sizeof(value)));
        p = put(p, "\">");
        break;
    case GEOTAG_EDIT_CLOSE_FIGURE:
        p = put(p, "</data>");
        break;
    case GEOTAG_EDIT_OPEN_DATE:
        p = put(p, "<time data-geotag=\"date\" datetime=\"");
        p = put(p, safe_value(edit->value, value, sizeof(value)));
        p = put(p, "\">");
        break;
    case GEOTAG_EDIT_CLOSE_DATE:
        p = put(p, "</time>");
        break;
    default:
        return 0;
    }
    return (apr_size_t)(p - buf);
}
