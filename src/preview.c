/*
 * preview.c: the editor preview (preview.h): tooltips after the opening
 * tags of mentions, and a stylesheet and a panel before </body>.
 *
 * Everything here is built from the gazetteer and the values the engine
 * produced, through one HTML escaper whose output is ASCII.  The page is
 * never read: the panel names mentions by their offsets, as `geotag
 * --mentions` does, and by the dictionary's names.  The stylesheet is a
 * constant; hover and the collapsible panel (<details>) need no script.
 */
#include <string.h>

#include <apr_hash.h>
#include <apr_strings.h>

#include "json.h" /* geotag_json_put*: appending to a char buffer */
#include "jsonld_write.h"
#include "preview.h"
#include "utf8.h"

struct geotag_preview {
    apr_pool_t *pool;
    const geotag_gazetteer *g;
    const char *nonce;              /* checked, or NULL */
    apr_array_header_t *mentions;   /* geotag_mention */
    int dropped;                    /* past GEOTAG_PREVIEW_MAX_MENTIONS */
};

/* The colours are those of the samples' stylesheet; every rule is keyed
 * on our own attributes, and the tooltip and the panel reset what a page's
 * stylesheet most often sets on tables and headings, and what it may set
 * on every [data-geotag] element (the samples underline them and show
 * the attribute on hover). */
static const char preview_css[] =
    "span[data-geotag]:not([data-geotag^=preview]),data[data-geotag],"
    "time[data-geotag]{position:relative;--gt:#5c6470;"
    "background:rgba(92,100,112,.12);border-bottom:2px solid var(--gt);"
    "cursor:help}\n"
    "[data-geotag^=\"Person \"]{--gt:#2f6fba;background:rgba(47,111,186,.14)}\n"
    "[data-geotag^=\"Country \"],[data-geotag^=\"State \"],"
    "[data-geotag^=\"City \"],[data-geotag^=\"Place \"],"
    "[data-geotag^=\"AdministrativeArea \"],[data-geotag^=\"Continent \"],"
    "[data-geotag^=\"BodyOfWater \"]{--gt:#2e8b57;"
    "background:rgba(46,139,87,.14)}\n"
    "[data-geotag^=\"Organization \"],[data-geotag^=\"PoliticalParty \"]{"
    "--gt:#b7791f;background:rgba(183,121,31,.16)}\n"
    "[data-geotag^=\"GovernmentOrganization \"]{--gt:#8a4fbf;"
    "background:rgba(138,79,191,.14)}\n"
    "[data-geotag^=\"Legislation \"]{--gt:#c53030;"
    "background:rgba(197,48,48,.14)}\n"
    "data[data-geotag]{--gt:#0f8a8a;background:rgba(15,138,138,.14)}\n"
    "time[data-geotag]{--gt:#6b7280;background:rgba(107,114,128,.14)}\n"
    "[data-geotag=preview-tip]{display:none;position:absolute;left:0;"
    "top:100%;z-index:2147483646;min-width:16em;max-width:26em;"
    "padding:.45em .6em;border-radius:4px;background:#1f2328;color:#fff;"
    "font:400 13px/1.45 system-ui,sans-serif;font-style:normal;"
    "text-align:left;text-transform:none;letter-spacing:normal;"
    "white-space:normal;box-shadow:0 2px 8px rgba(0,0,0,.35)}\n"
    "[data-geotag]:hover>[data-geotag=preview-tip]{display:block}\n"
    "span[data-geotag=preview-tip],aside[data-geotag=preview]{"
    "text-decoration:none}\n"
    "span[data-geotag=preview-tip]:hover::before,"
    "span[data-geotag=preview-tip]:hover::after,"
    "aside[data-geotag=preview]:hover::before,"
    "aside[data-geotag=preview]:hover::after{content:none}\n"
    "[data-geotag=preview-tip] a{color:#9ecbff}\n"
    "[data-geotag=preview-tip] code{font-size:12px}\n"
    "aside[data-geotag=preview]{position:fixed;right:10px;bottom:10px;"
    "z-index:2147483647;width:32em;max-width:calc(100vw - 20px);"
    "max-height:75vh;overflow:auto;box-sizing:border-box;margin:0;"
    "padding:.4em .8em .6em;border:1px solid #8c959f;border-radius:6px;"
    "background:#fff;color:#1f2328;font:400 13px/1.4 system-ui,sans-serif;"
    "text-align:left;box-shadow:0 4px 16px rgba(0,0,0,.25)}\n"
    "aside[data-geotag=preview] summary{font-weight:700;cursor:pointer}\n"
    "aside[data-geotag=preview] h2{margin:.7em 0 .2em;padding:0;border:0;"
    "font:700 13px/1.3 system-ui,sans-serif;color:#1f2328}\n"
    "aside[data-geotag=preview] table{width:100%;margin:0;"
    "table-layout:fixed;border-collapse:collapse;font-size:12px}\n"
    "aside[data-geotag=preview] th:first-child{width:42%}\n"
    "aside[data-geotag=preview] th:last-child{width:4em}\n"
    "aside[data-geotag=preview] th,aside[data-geotag=preview] td{"
    "padding:.15em .3em;border:0;border-bottom:1px solid #e4e0d8;"
    "text-align:left;vertical-align:top;overflow-wrap:anywhere}\n"
    "aside[data-geotag=preview] tr>td:first-child{"
    "border-left:.35em solid var(--gt,#5c6470)}\n"
    "aside[data-geotag=preview] a{color:#0b57d0}\n"
    "aside[data-geotag=preview] p{margin:.3em 0}\n"
    "aside[data-geotag=preview] b[class]{padding:0 .3em;"
    "border-bottom:2px solid var(--gt)}\n"
    "aside[data-geotag=preview] .gt-person{--gt:#2f6fba}\n"
    "aside[data-geotag=preview] .gt-place{--gt:#2e8b57}\n"
    "aside[data-geotag=preview] .gt-org{--gt:#b7791f}\n"
    "aside[data-geotag=preview] .gt-gov{--gt:#8a4fbf}\n"
    "aside[data-geotag=preview] .gt-treaty{--gt:#c53030}\n"
    "aside[data-geotag=preview] .gt-figure{--gt:#0f8a8a}\n"
    "aside[data-geotag=preview] .gt-date{--gt:#6b7280}\n";

static void puts_(apr_array_header_t *buf, const char *s)
{
    geotag_json_puts(buf, s);
}

static void put_number(apr_array_header_t *buf, apr_off_t n)
{
    char num[32];
    apr_snprintf(num, sizeof(num), "%" APR_OFF_T_FMT, n);
    puts_(buf, num);
}

void geotag_preview_escape(apr_array_header_t *buf, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *end = p + (s ? strlen(s) : 0);

    while (p < end) {
        apr_uint32_t cp;
        apr_size_t n = geotag_utf8_decode(p, (apr_size_t)(end - p), &cp);
        char ref[16];

        p += n ? n : 1;
        switch (cp) {
        case '&':
            puts_(buf, "&amp;");
            continue;
        case '<':
            puts_(buf, "&lt;");
            continue;
        case '>':
            puts_(buf, "&gt;");
            continue;
        case '"':
            puts_(buf, "&quot;");
            continue;
        case '\'':
            puts_(buf, "&#39;");
            continue;
        }
        if (cp >= 0x20 && cp < 0x7F) {
            geotag_json_putc(buf, (char)cp);
        }
        else if (cp == '\t' || cp == '\n') {
            geotag_json_putc(buf, ' ');
        }
        else if (cp >= 0xA0) {
            apr_snprintf(ref, sizeof(ref), "&#x%X;", (unsigned)cp);
            puts_(buf, ref);
        }
        /* C0 and C1 controls and DEL are dropped: no character reference
         * may name them in HTML */
    }
}

/* A nonce is a base64 value (CSP's nonce-source): anything else is not
 * written, so it cannot end the attribute. */
static const char *checked_nonce(apr_pool_t *pool, const char *nonce)
{
    const char *p;

    if (nonce == NULL || *nonce == '\0' || strlen(nonce) > 256)
        return NULL;
    for (p = nonce; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
              (*p >= '0' && *p <= '9') || *p == '+' || *p == '/' ||
              *p == '=' || *p == '-' || *p == '_'))
            return NULL;
    return apr_pstrdup(pool, nonce);
}

geotag_preview *geotag_preview_create(apr_pool_t *pool,
                                      const geotag_gazetteer *g,
                                      const char *nonce)
{
    geotag_preview *p = apr_pcalloc(pool, sizeof(*p));
    p->pool = pool;
    p->g = g;
    p->nonce = checked_nonce(pool, nonce);
    p->mentions = apr_array_make(pool, 64, sizeof(geotag_mention));
    return p;
}

void geotag_preview_add(geotag_preview *p, const geotag_mention *m)
{
    geotag_mention *copy;
    int at;

    if (p->mentions->nelts >= GEOTAG_PREVIEW_MAX_MENTIONS) {
        p->dropped++;
        return;
    }
    /* kept in page order: a role phrase held until the page tells its
     * date is reported after the mentions that follow it */
    apr_array_push(p->mentions);
    at = p->mentions->nelts - 1;
    while (at > 0 &&
           APR_ARRAY_IDX(p->mentions, at - 1, geotag_mention).offset > m->offset) {
        APR_ARRAY_IDX(p->mentions, at, geotag_mention) =
            APR_ARRAY_IDX(p->mentions, at - 1, geotag_mention);
        at--;
    }
    copy = &APR_ARRAY_IDX(p->mentions, at, geotag_mention);
    *copy = *m;
    copy->kind = apr_pstrdup(p->pool, m->kind);
    copy->id = apr_pstrdup(p->pool, m->id ? m->id : "");
}

static const geotag_entity *entity_at(const geotag_gazetteer *g, int i)
{
    if (i < 0 || g == NULL || g->entities == NULL || i >= g->entities->nelts)
        return NULL;
    return &((const geotag_entity *)g->entities->elts)[i];
}

/* The colour class of an entity's type (the stylesheet's rules). */
static const char *type_class(const geotag_entity *e)
{
    const char *t = e->type ? e->type : "";

    if (e->kind == GEOTAG_KIND_TREATY || !strcmp(t, "Legislation"))
        return "gt-treaty";
    if (!strcmp(t, "Person"))
        return "gt-person";
    if (!strcmp(t, "GovernmentOrganization"))
        return "gt-gov";
    if (!strcmp(t, "Organization") || !strcmp(t, "PoliticalParty"))
        return "gt-org";
    return "gt-place";
}

static const char *figure_kind_name(int kind)
{
    switch (kind) {
    case GEOTAG_FIGURE_PERCENT:
        return "percent";
    case GEOTAG_FIGURE_MONEY:
        return "money";
    case GEOTAG_FIGURE_DATE:
        return "date";
    default:
        return "number";
    }
}

/* The id a mention of e is shown with: the markup's (a local id for an
 * entity whose QID may not be published). */
static const char *shown_id(const geotag_entity *e)
{
    return e->unpublished ? e->local_id : e->id;
}

/* The entity's name, and its Wikidata and Wikipedia links. */
static void put_entity_links(apr_array_header_t *buf, const geotag_entity *e,
                             const char *lang, apr_pool_t *pool)
{
    const geotag_label *label = geotag_jsonld_label(e, lang);
    const char *wikipedia = geotag_jsonld_wikipedia(pool, e, label, lang);

    puts_(buf, "<b>");
    geotag_preview_escape(buf, label && label->text ? label->text : e->id);
    puts_(buf, "</b>");
    if (e->unpublished) {
        puts_(buf, " (not a verified Wikidata item: no links)");
        return;
    }
    puts_(buf, " <a href=\"https://www.wikidata.org/wiki/");
    geotag_preview_escape(buf, e->id);
    puts_(buf, "\">Wikidata</a>");
    if (wikipedia) {
        puts_(buf, " <a href=\"");
        geotag_preview_escape(buf, wikipedia);
        puts_(buf, "\">Wikipedia</a>");
    }
}

static void put_type(apr_array_header_t *buf, const geotag_entity *e)
{
    geotag_preview_escape(buf, e->type ? e->type : "Thing");
    if (e->kind == GEOTAG_KIND_TREATY && e->date && *e->date) {
        puts_(buf, ", ");
        geotag_preview_escape(buf, e->date);
    }
}

const char *geotag_preview_tip(const geotag_preview *p,
                               const geotag_edit *open, const char *lang,
                               apr_pool_t *pool, apr_size_t *len)
{
    apr_array_header_t *buf;

    if (open->kind != GEOTAG_EDIT_OPEN_ENTITY &&
        open->kind != GEOTAG_EDIT_OPEN_FIGURE &&
        open->kind != GEOTAG_EDIT_OPEN_DATE)
        return NULL;
    buf = apr_array_make(pool, 512, 1);
    puts_(buf, "<span data-geotag=\"preview-tip\">");
    if (open->kind == GEOTAG_EDIT_OPEN_ENTITY) {
        const geotag_entity *e = entity_at(p->g, open->entity);
        if (e == NULL)
            return NULL;
        put_entity_links(buf, e, lang, pool);
        puts_(buf, "<br>");
        put_type(buf, e);
        puts_(buf, " <code>");
        geotag_preview_escape(buf, shown_id(e));
        puts_(buf, "</code>");
    }
    else {
        int date = open->kind == GEOTAG_EDIT_OPEN_DATE;
        puts_(buf, date ? "<b>date</b> " : "<b>figure</b> ");
        if (!date) {
            puts_(buf, figure_kind_name(open->figure_kind));
            puts_(buf, " ");
        }
        puts_(buf, "<code>");
        geotag_preview_escape(buf, open->value);
        puts_(buf, "</code>");
    }
    puts_(buf, "</span>");
    *len = (apr_size_t)buf->nelts;
    geotag_json_putc(buf, '\0');
    return buf->elts;
}

/* ------------------------------------------------------------------ */
/* the panel                                                           */

/* One line per distinct entity, figure or date, in order of first
 * mention. */
typedef struct {
    const geotag_mention *first;
    int count;
} panel_row;

typedef struct {
    apr_array_header_t *actors, *treaties, *figures, *dates; /* panel_row */
} panel_rows;

/* Where a row is: its list and index (lists move as they grow). */
typedef struct {
    apr_array_header_t *list;
    int index;
} row_place;

static void collect(const geotag_preview *p, apr_pool_t *pool,
                    panel_rows *rows)
{
    apr_hash_t *seen = apr_hash_make(pool);
    int i;

    rows->actors = apr_array_make(pool, 16, sizeof(panel_row));
    rows->treaties = apr_array_make(pool, 4, sizeof(panel_row));
    rows->figures = apr_array_make(pool, 8, sizeof(panel_row));
    rows->dates = apr_array_make(pool, 8, sizeof(panel_row));
    for (i = 0; i < p->mentions->nelts; i++) {
        const geotag_mention *m =
            &APR_ARRAY_IDX(p->mentions, i, geotag_mention);
        /* an entity by its index, a figure by its kind and value */
        const char *key = m->entity >= 0
                              ? apr_psprintf(pool, "e%d", m->entity)
                              : apr_psprintf(pool, "%s|%d|%s", m->kind,
                                             m->figure_kind, m->id);
        row_place *at = apr_hash_get(seen, key, APR_HASH_KEY_STRING);
        if (at == NULL) {
            panel_row *row;
            at = apr_palloc(pool, sizeof(*at));
            at->list = !strcmp(m->kind, "treaty")   ? rows->treaties
                       : !strcmp(m->kind, "figure") ? rows->figures
                       : !strcmp(m->kind, "date")   ? rows->dates
                                                    : rows->actors;
            at->index = at->list->nelts;
            row = apr_array_push(at->list);
            row->first = m;
            row->count = 0;
            apr_hash_set(seen, key, APR_HASH_KEY_STRING, at);
        }
        APR_ARRAY_IDX(at->list, at->index, panel_row).count++;
    }
}

static void put_heading(apr_array_header_t *buf, const char *title, int n)
{
    puts_(buf, "<h2>");
    puts_(buf, title);
    puts_(buf, " (");
    put_number(buf, n);
    puts_(buf, ")</h2>\n");
}

static void put_entity_rows(apr_array_header_t *buf, const geotag_preview *p,
                            const apr_array_header_t *rows, const char *title,
                            const char *lang, apr_pool_t *pool)
{
    int i;

    if (rows->nelts == 0)
        return;
    put_heading(buf, title, rows->nelts);
    puts_(buf, "<table><tr><th>name and links</th><th>type</th><th>id</th>"
               "<th>count</th></tr>\n");
    for (i = 0; i < rows->nelts; i++) {
        const panel_row *row = &APR_ARRAY_IDX(rows, i, panel_row);
        const geotag_entity *e = entity_at(p->g, row->first->entity);
        if (e == NULL)
            continue;
        puts_(buf, "<tr class=\"");
        puts_(buf, type_class(e));
        puts_(buf, "\" data-entity=\"");
        geotag_preview_escape(buf, row->first->id);
        puts_(buf, "\"><td>");
        put_entity_links(buf, e, lang, pool);
        puts_(buf, "</td><td>");
        put_type(buf, e);
        puts_(buf, "</td><td><code>");
        geotag_preview_escape(buf, shown_id(e));
        puts_(buf, "</code></td><td>");
        put_number(buf, row->count);
        puts_(buf, "</td></tr>\n");
    }
    puts_(buf, "</table>\n");
}

static void put_value_rows(apr_array_header_t *buf,
                           const apr_array_header_t *rows, const char *title,
                           const char *class)
{
    int i;

    if (rows->nelts == 0)
        return;
    put_heading(buf, title, rows->nelts);
    puts_(buf, "<table><tr><th>value</th><th>kind</th><th>count</th>"
               "</tr>\n");
    for (i = 0; i < rows->nelts; i++) {
        const panel_row *row = &APR_ARRAY_IDX(rows, i, panel_row);
        puts_(buf, "<tr class=\"");
        puts_(buf, class);
        puts_(buf, "\"><td><code>");
        geotag_preview_escape(buf, row->first->id);
        puts_(buf, "</code></td><td>");
        puts_(buf, figure_kind_name(row->first->figure_kind));
        puts_(buf, "</td><td>");
        put_number(buf, row->count);
        puts_(buf, "</td></tr>\n");
    }
    puts_(buf, "</table>\n");
}

/* Every mention, with the offsets `geotag --mentions` prints. */
static void put_mentions(apr_array_header_t *buf, const geotag_preview *p)
{
    int i;

    puts_(buf, "<details><summary>All mentions (");
    put_number(buf, p->mentions->nelts + p->dropped);
    puts_(buf, ")</summary>\n<table><tr><th>byte</th><th>length</th>"
               "<th>kind</th><th>id or value</th><th>marked</th></tr>\n");
    for (i = 0; i < p->mentions->nelts; i++) {
        const geotag_mention *m =
            &APR_ARRAY_IDX(p->mentions, i, geotag_mention);
        puts_(buf, "<tr data-offset=\"");
        put_number(buf, m->offset);
        puts_(buf, "\" data-length=\"");
        put_number(buf, (apr_off_t)m->length);
        puts_(buf, "\" data-kind=\"");
        geotag_preview_escape(buf, m->kind);
        puts_(buf, "\" data-id=\"");
        geotag_preview_escape(buf, m->id);
        puts_(buf, "\"><td>");
        put_number(buf, m->offset);
        puts_(buf, "</td><td>");
        put_number(buf, (apr_off_t)m->length);
        puts_(buf, "</td><td>");
        geotag_preview_escape(buf, m->kind);
        puts_(buf, "</td><td><code>");
        geotag_preview_escape(buf, m->id);
        puts_(buf, "</code></td><td>");
        puts_(buf, m->marked ? "yes" : "no");
        puts_(buf, "</td></tr>\n");
    }
    puts_(buf, "</table>\n");
    if (p->dropped) {
        puts_(buf, "<p>");
        put_number(buf, p->dropped);
        puts_(buf, " more not listed</p>\n");
    }
    puts_(buf, "</details>\n");
}

const char *geotag_preview_panel(const geotag_preview *p, const char *lang,
                                 apr_pool_t *pool, apr_size_t *len)
{
    apr_array_header_t *buf = apr_array_make(pool, 16384, 1);
    panel_rows rows;

    collect(p, pool, &rows);
    puts_(buf, "<style data-geotag=\"preview\"");
    if (p->nonce) {
        puts_(buf, " nonce=\"");
        puts_(buf, p->nonce);
        puts_(buf, "\"");
    }
    puts_(buf, ">\n");
    puts_(buf, preview_css);
    puts_(buf, "</style><aside data-geotag=\"preview\" "
               "aria-label=\"mod_geotag preview\"><details open><summary>"
               "mod_geotag preview: ");
    put_number(buf, p->mentions->nelts + p->dropped);
    puts_(buf, p->mentions->nelts + p->dropped == 1 ? " mention"
                                                    : " mentions");
    puts_(buf, "</summary>\n<p>Hover a highlighted mention for its entity. "
               "<b class=\"gt-person\">person</b> "
               "<b class=\"gt-place\">place</b> "
               "<b class=\"gt-org\">organization</b> "
               "<b class=\"gt-gov\">government</b> "
               "<b class=\"gt-treaty\">treaty</b> "
               "<b class=\"gt-figure\">figure</b> "
               "<b class=\"gt-date\">date</b></p>\n");
    put_entity_rows(buf, p, rows.actors, "Entities", lang, pool);
    put_entity_rows(buf, p, rows.treaties, "Treaties", lang, pool);
    put_value_rows(buf, rows.figures, "Figures", "gt-figure");
    put_value_rows(buf, rows.dates, "Dates", "gt-date");
    if (p->mentions->nelts + p->dropped == 0)
        puts_(buf, "<p>Nothing on this page is tagged.</p>\n");
    else
        put_mentions(buf, p);
    puts_(buf, "</details></aside>");
    *len = (apr_size_t)buf->nelts;
    geotag_json_putc(buf, '\0');
    return buf->elts;
}
