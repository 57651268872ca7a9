/*
 * edits.c: rendering inline edits as markup.
 *
 * The markup is built only from the gazetteer (types and ids, which the
 * loader's schema restricts to ASCII letters and digits) and from values
 * the figure parser produced (digits, '.', '-'), so it is ASCII and needs
 * no escaping; the checks below keep it so even if a caller passes
 * something else.
 */
#include <stdio.h>
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

apr_size_t geotag_edit_render(const geotag_edit *edit,
                              const geotag_gazetteer *g,
                              geotag_markup_mode mode, char *buf)
{
    char value[GEOTAG_FIGURE_VALUE_MAX + 1];
    int n = 0;

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
        if (mode == GEOTAG_MARKUP_MICRODATA)
            n = snprintf(buf, GEOTAG_EDIT_RENDER_MAX,
                         "<span data-geotag=\"%s %s\" itemscope "
                         "itemtype=\"https://schema.org/%s\" "
                         "itemid=\"http://www.wikidata.org/entity/%s\">",
                         type, id, type, id);
        else
            n = snprintf(buf, GEOTAG_EDIT_RENDER_MAX,
                         "<span data-geotag=\"%s %s\">", type, id);
        break;
    }
    case GEOTAG_EDIT_CLOSE_ENTITY:
        n = snprintf(buf, GEOTAG_EDIT_RENDER_MAX, "</span>");
        break;
    case GEOTAG_EDIT_OPEN_FIGURE:
        n = snprintf(buf, GEOTAG_EDIT_RENDER_MAX,
                     "<data data-geotag=\"%s\" value=\"%s\">",
                     figure_class(edit->figure_kind),
                     safe_value(edit->value, value, sizeof(value)));
        break;
    case GEOTAG_EDIT_CLOSE_FIGURE:
        n = snprintf(buf, GEOTAG_EDIT_RENDER_MAX, "</data>");
        break;
    case GEOTAG_EDIT_OPEN_DATE:
        n = snprintf(buf, GEOTAG_EDIT_RENDER_MAX,
                     "<time data-geotag=\"date\" datetime=\"%s\">",
                     safe_value(edit->value, value, sizeof(value)));
        break;
    case GEOTAG_EDIT_CLOSE_DATE:
        n = snprintf(buf, GEOTAG_EDIT_RENDER_MAX, "</time>");
        break;
    default:
        return 0;
    }
    if (n < 0)
        return 0;
    return (apr_size_t)n < GEOTAG_EDIT_RENDER_MAX ? (apr_size_t)n
                                                  : GEOTAG_EDIT_RENDER_MAX - 1;
}
