/*
 * jsonld_write.c: writing our JSON-LD element (jsonld_write.h).
 *
 * The output is built from the gazetteer and the document alone, in a
 * fixed order, so the same input gives the same bytes (the cache and the
 * ETag depend on it).  Every string goes through one escaper
 * (geotag_json_append_string) that emits pure ASCII and never '<', '>' or
 * '&' (research/jsonld-practice.md §4.6), so no name can end the script
 * element or open a comment in it.  An entity's node and its reference
 * are rendered once per label language at load (geotag_jsonld_prepare);
 * writing a page's block then mostly copies them.
 */
#include <string.h>

#include <apr_strings.h>

#include "json.h"
#include "jsonld_write.h"

/* Figures written into mentions at most (research §4.5). */
#define GEOTAG_JSONLD_MAX_FIGURES 10

static void put_string(apr_array_header_t *buf, const char *s)
{
    geotag_json_append_string(buf, s, s ? strlen(s) : 0);
}

/* "key": — keys are our own ASCII literals. */
static void put_key(apr_array_header_t *buf, const char *key)
{
    geotag_json_putc(buf, '"');
    geotag_json_puts(buf, key);
    geotag_json_puts(buf, "\":");
}

/* A string made of a fixed ASCII prefix and an escaped tail. */
static void put_prefixed(apr_array_header_t *buf, const char *prefix,
                         const char *tail)
{
    geotag_json_putc(buf, '"');
    geotag_json_puts(buf, prefix);
    geotag_json_append_escaped(buf, tail, strlen(tail));
    geotag_json_putc(buf, '"');
}

/*
 * The label for the page language: the rule of geotag_entity_label()
 * (primary subtag match, geotag_same_primary_subtag; else "en"; else the
 * first), except that a label without a language is valid for every
 * language, so it ranks right after a match.
 */
static const geotag_label *label_for(const geotag_entity *e, const char *lang)
{
    int i;

    if (e->labels == NULL || e->n_labels <= 0)
        return NULL;
    if (lang != NULL && *lang != '\0') {
        for (i = 0; i < e->n_labels; i++)
            if (e->labels[i].lang &&
                geotag_same_primary_subtag(e->labels[i].lang, lang))
                return &e->labels[i];
    }
    for (i = 0; i < e->n_labels; i++)
        if (e->labels[i].lang == NULL)
            return &e->labels[i];
    for (i = 0; i < e->n_labels; i++)
        if (e->labels[i].lang &&
            geotag_same_primary_subtag(e->labels[i].lang, "en"))
            return &e->labels[i];
    return &e->labels[0];
}

/* The Wikipedia subdomain: the primary subtag, lower case, letters only
 * ("it-IT" -> "it").  0 when there is none we could put in a host name. */
static int wikipedia_host(const char *lang, char *out, apr_size_t cap)
{
    apr_size_t n = 0;

    if (lang == NULL)
        return 0;
    for (; *lang && *lang != '-' && *lang != '_'; lang++) {
        char c = *lang;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c < 'a' || c > 'z' || n + 1 >= cap)
            return 0;
        out[n++] = c;
    }
    out[n] = '\0';
    return n >= 2;
}

/*
 * The article title as a URL path the way Wikipedia writes its own links:
 * spaces become '_'; non-ASCII bytes, controls and " < > \ ^ ` { | } %
 * are percent-encoded; so is '?', which would otherwise start a query
 * ("Who's_Afraid_of_Virginia_Woolf%3F").  ' ( ) , stay.  The result is
 * ASCII; the JSON escaper (or the preview's HTML escaper) still sees it
 * like any string (so '&' -> \u0026).
 */
static const char *wikipedia_url(apr_pool_t *pool, const char *host,
                                 const char *title)
{
    static const char hex[] = "0123456789ABCDEF";
    apr_array_header_t *url = apr_array_make(pool, 64, 1);
    const unsigned char *t = (const unsigned char *)title;

    geotag_json_puts(url, "https://");
    geotag_json_puts(url, host);
    geotag_json_puts(url, ".wikipedia.org/wiki/");
    for (; *t; t++) {
        if (*t == ' ') {
            geotag_json_putc(url, '_');
        }
        else if (*t < 0x20 || *t >= 0x7F || *t == '"' || *t == '<' ||
                 *t == '>' || *t == '\\' || *t == '^' || *t == '`' ||
                 *t == '{' || *t == '|' || *t == '}' || *t == '%' ||
                 *t == '?') {
            char e[3];
            e[0] = '%';
            e[1] = hex[*t >> 4];
            e[2] = hex[*t & 0xF];
            geotag_json_put(url, e, 3);
        }
        else {
            geotag_json_putc(url, (char)*t);
        }
    }
    geotag_json_putc(url, '\0');
    return url->elts;
}

const geotag_label *geotag_jsonld_label(const geotag_entity *e,
                                        const char *page_lang)
{
    return label_for(e, page_lang);
}

const char *geotag_jsonld_wikipedia(apr_pool_t *pool, const geotag_entity *e,
                                    const geotag_label *label,
                                    const char *page_lang)
{
    char host[16];

    if (e->unpublished || label == NULL || label->wikipedia == NULL ||
        label->wikipedia[0] == '\0' ||
        !wikipedia_host(label->lang ? label->lang : page_lang, host,
                        sizeof(host)))
        return NULL;
    return wikipedia_url(pool, host, label->wikipedia);
}

static const geotag_entity *entity_at(const geotag_gazetteer *g, int index)
{
    const geotag_entity *e;
    if (g == NULL || g->entities == NULL || index < 0 ||
        index >= g->entities->nelts)
        return NULL;
    e = &((const geotag_entity *)g->entities->elts)[index];
    return e->id != NULL && e->id[0] != '\0' ? e : NULL;
}

/* The k-th entity reference: about first, then mentions. */
static int reference_at(const geotag_document *doc, int k)
{
    return k < doc->n_about ? doc->about[k] : doc->mentions[k - doc->n_about];
}

/* A reference is written once: where it first occurs, if it is usable.
 * The flags for all 'total' references, found with a small hash set of
 * entity indices (linear in the references, whatever the gazetteer's
 * size). */
static unsigned char *first_references(apr_pool_t *pool,
                                       const geotag_gazetteer *g,
                                       const geotag_document *doc, int total)
{
    unsigned char *first = apr_pcalloc(pool, (apr_size_t)total + 1);
    apr_size_t cap = 16, mask;
    int *seen, k;

    while (cap < (apr_size_t)total * 2)
        cap <<= 1;
    mask = cap - 1;
    seen = apr_palloc(pool, sizeof(int) * cap);
    memset(seen, 0xff, sizeof(int) * cap);     /* -1: empty */
    for (k = 0; k < total; k++) {
        int index = reference_at(doc, k);
        apr_size_t h;
        if (entity_at(g, index) == NULL)
            continue;
        h = ((apr_size_t)index * 2654435761u) & mask;
        while (seen[h] != -1 && seen[h] != index)
            h = (h + 1) & mask;
        if (seen[h] == -1) {
            seen[h] = index;
            first[k] = 1;
        }
    }
    return first;
}

/* ^(0|[1-9][0-9]*)(\.[0-9]+)?$ within the fixed-size field: a JSON number
 * without sign or exponent, which we can copy verbatim. */
static int is_plain_decimal(const char *v)
{
    const char *end = memchr(v, '\0', GEOTAG_FIGURE_VALUE_MAX);

    return end != NULL && v[0] != '-' &&
           strcspn(v, "eE") == (apr_size_t)(end - v) &&
           geotag_json_number_end(v, end) == end;
}

static int is_currency_code(const char *c)
{
    return c != NULL && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' &&
           c[1] <= 'Z' && c[2] >= 'A' && c[2] <= 'Z' && c[3] == '\0';
}

/* Writes the figure node if it has a clear value and unit; 1 if written. */
static int put_figure(apr_array_header_t *buf, const geotag_figure_fact *f,
                      int leading_comma)
{
    if (!is_plain_decimal(f->value))
        return 0;
    switch (f->kind) {
    case GEOTAG_FIGURE_NUMBER:
        if (f->unit_text == NULL || f->unit_text[0] == '\0')
            return 0;
        break;
    case GEOTAG_FIGURE_PERCENT:
        break;
    case GEOTAG_FIGURE_MONEY:
        if (!is_currency_code(f->currency))
            return 0;
        break;
    default:
        return 0; /* dates belong to entities (treaty dates), not mentions */
    }
    if (leading_comma)
        geotag_json_putc(buf, ',');
    geotag_json_puts(buf, f->kind == GEOTAG_FIGURE_MONEY
                              ? "{\"@type\":\"MonetaryAmount\",\"value\":"
                              : "{\"@type\":\"QuantitativeValue\",\"value\":");
    geotag_json_puts(buf, f->value);
    if (f->kind == GEOTAG_FIGURE_NUMBER) {
        geotag_json_puts(buf, ",\"unitText\":");
        put_string(buf, f->unit_text);
    }
    else if (f->kind == GEOTAG_FIGURE_PERCENT) {
        geotag_json_puts(buf, ",\"unitCode\":\"P1\",\"unitText\":\"%\"");
    }
    else {
        geotag_json_puts(buf, ",\"currency\":");
        put_string(buf, f->currency);
    }
    geotag_json_putc(buf, '}');
    return 1;
}

/* The entity's @id, a JSON string: its Wikidata IRI when the id may be
 * published, else the page's IRI (the subject's, without its fragment) and
 * "#" and the local id; a relative "#geotag-..." when the page has no IRI
 * (the command without --url), which a consumer resolves against the page. */
static void put_entity_iri(apr_array_header_t *buf, const geotag_entity *e,
                           const char *subject_id)
{
    apr_array_header_t *iri;

    if (!e->unpublished) {
        put_prefixed(buf, "http://www.wikidata.org/entity/", e->id);
        return;
    }
    iri = apr_array_make(buf->pool, 128, 1);
    if (subject_id != NULL)
        geotag_json_put(iri, subject_id, strcspn(subject_id, "#"));
    geotag_json_putc(iri, '#');
    geotag_json_puts(iri, e->local_id != NULL ? e->local_id : "geotag-entity");
    geotag_json_append_string(buf, iri->elts, (apr_size_t)iri->nelts);
}

/* {"@id":"http://www.wikidata.org/entity/Q..."}: an entity in about or
 * mentions (geotag_jsonld_prepare keeps it in a published entity). */
static void render_reference(apr_array_header_t *buf, const geotag_entity *e,
                             const char *subject_id)
{
    geotag_json_puts(buf, "{\"@id\":");
    put_entity_iri(buf, e, subject_id);
    geotag_json_putc(buf, '}');
}

/* "about":[…] or "mentions":[…], entity references from k = from..to,
 * plus figures for mentions.  Nothing when the list would be empty. */
static void put_reference_list(apr_array_header_t *buf,
                               const geotag_gazetteer *g,
                               const geotag_document *doc,
                               const unsigned char *first, const char *key,
                               int from, int to, int with_figures)
{
    int k, written = 0, figures = 0;

    for (k = from; k < to; k++) {
        const geotag_entity *e;
        if (!first[k])
            continue;
        if (written++ == 0) {
            geotag_json_putc(buf, ',');
            put_key(buf, key);
            geotag_json_putc(buf, '[');
        }
        else {
            geotag_json_putc(buf, ',');
        }
        e = entity_at(g, reference_at(doc, k));
        if (e->jsonld_ref != NULL)
            geotag_json_put(buf, e->jsonld_ref, e->jsonld_ref_len);
        else
            render_reference(buf, e, doc->subject_id);
    }
    for (k = 0; with_figures && doc->figures != NULL && k < doc->n_figures &&
                figures < GEOTAG_JSONLD_MAX_FIGURES; k++) {
        apr_size_t mark = (apr_size_t)buf->nelts;
        if (written == 0) {
            geotag_json_putc(buf, ',');
            put_key(buf, key);
            geotag_json_putc(buf, '[');
        }
        if (put_figure(buf, &doc->figures[k], written > 0)) {
            written++;
            figures++;
        }
        else {
            buf->nelts = (int)mark; /* take back the list opening */
        }
    }
    if (written > 0)
        geotag_json_putc(buf, ']');
}

static void put_subject(apr_array_header_t *buf, const geotag_gazetteer *g,
                        const geotag_document *doc, const unsigned char *first)
{
    int i, n_types = 0, written = 0;

    for (i = 0; doc->subject_types != NULL && i < doc->n_subject_types; i++)
        if (doc->subject_types[i] != NULL && doc->subject_types[i][0] != '\0')
            n_types++;
    geotag_json_putc(buf, '{');
    if (doc->subject_id != NULL) {
        put_key(buf, "@id");
        put_string(buf, doc->subject_id);
        geotag_json_putc(buf, ',');
    }
    put_key(buf, "@type");
    if (n_types == 0) {
        geotag_json_puts(buf, "\"WebPage\"");
    }
    else {
        if (n_types > 1)
            geotag_json_putc(buf, '[');
        for (i = 0; i < doc->n_subject_types; i++) {
            const char *t = doc->subject_types[i];
            if (t == NULL || t[0] == '\0')
                continue;
            if (written++ > 0)
                geotag_json_putc(buf, ',');
            put_string(buf, t);
        }
        if (n_types > 1)
            geotag_json_putc(buf, ']');
    }
    put_reference_list(buf, g, doc, first, "about", 0, doc->n_about, 0);
    put_reference_list(buf, g, doc, first, "mentions", doc->n_about,
                       doc->n_about + doc->n_mentions, 1);
    geotag_json_putc(buf, '}');
}

static void render_entity(apr_array_header_t *buf, const geotag_entity *e,
                          const geotag_label *label, const char *page_lang,
                          const char *subject_id)
{
    int treaty = e->kind == GEOTAG_KIND_TREATY;
    const char *wikipedia;

    geotag_json_puts(buf, "{\"@id\":");
    put_entity_iri(buf, e, subject_id);
    geotag_json_puts(buf, ",\"@type\":");
    put_string(buf, treaty ? "Legislation"
                    : e->type != NULL && e->type[0] != '\0' ? e->type
                    : "Thing");
    if (label != NULL && label->text != NULL) {
        geotag_json_puts(buf, ",\"name\":");
        put_string(buf, label->text);
    }
    if (treaty && e->legislation_type != NULL &&
        e->legislation_type[0] != '\0') {
        geotag_json_puts(buf, ",\"legislationType\":");
        put_string(buf, e->legislation_type);
    }
    if (treaty && e->date != NULL && e->date[0] != '\0') {
        geotag_json_puts(buf, ",\"legislationDate\":");
        put_string(buf, e->date);
    }
    if (e->unpublished) {
        /* name and type only: no link to an item nobody confirmed */
        geotag_json_putc(buf, '}');
        return;
    }
    geotag_json_puts(buf, ",\"sameAs\":[");
    put_prefixed(buf, "https://www.wikidata.org/wiki/", e->id);
    if ((wikipedia = geotag_jsonld_wikipedia(buf->pool, e, label,
                                             page_lang)) != NULL) {
        geotag_json_putc(buf, ',');
        put_string(buf, wikipedia);
    }
    geotag_json_puts(buf, "]}");
}

static void put_entity(apr_array_header_t *buf, const geotag_entity *e,
                       const char *page_lang, const char *subject_id)
{
    const geotag_label *label = label_for(e, page_lang);
    if (label != NULL && label->jsonld != NULL)
        geotag_json_put(buf, label->jsonld, label->jsonld_len);
    else
        render_entity(buf, e, label, page_lang, subject_id);
}

void geotag_jsonld_prepare(apr_pool_t *pool, geotag_gazetteer *g)
{
    apr_array_header_t *buf = apr_array_make(pool, 512, 1);
    int i, l;

    if (g == NULL || g->entities == NULL)
        return;
    for (i = 0; i < g->entities->nelts; i++) {
        geotag_entity *e = (geotag_entity *)entity_at(g, i);
        /* a local id depends on the page: rendered with each page */
        if (e == NULL || e->unpublished)
            continue;
        buf->nelts = 0;
        render_reference(buf, e, NULL);
        e->jsonld_ref = apr_pstrmemdup(pool, buf->elts, (apr_size_t)buf->nelts);
        e->jsonld_ref_len = (apr_size_t)buf->nelts;
        if (e->labels == NULL)
            continue;
        for (l = 0; l < e->n_labels; l++) {
            geotag_label *label = (geotag_label *)&e->labels[l];
            if (label->lang == NULL)
                continue;
            buf->nelts = 0;
            render_entity(buf, e, label, label->lang, NULL);
            label->jsonld =
                apr_pstrmemdup(pool, buf->elts, (apr_size_t)buf->nelts);
            label->jsonld_len = (apr_size_t)buf->nelts;
        }
    }
}

char *geotag_jsonld_write(apr_pool_t *pool, const geotag_gazetteer *g,
                          const geotag_document *doc, apr_size_t *len)
{
    apr_array_header_t *buf = apr_array_make(pool, 4096, 1);
    geotag_document d = *doc;
    unsigned char *first;
    int k, total;

    /* counts without their arrays are taken as empty, not trusted */
    if (d.about == NULL || d.n_about < 0)
        d.n_about = 0;
    if (d.mentions == NULL || d.n_mentions < 0)
        d.n_mentions = 0;
    if (d.figures == NULL || d.n_figures < 0)
        d.n_figures = 0;
    if (d.subject_types == NULL || d.n_subject_types < 0)
        d.n_subject_types = 0;
    doc = &d;
    total = d.n_about + d.n_mentions;

    geotag_json_puts(buf, "<script type=\"application/ld+json\" "
                          "id=\"geotag-jsonld\" data-geotag=\"jsonld\">"
                          "{\"@context\":\"https://schema.org\",\"@graph\":[");
    first = first_references(pool, g, doc, total);
    put_subject(buf, g, doc, first);
    for (k = 0; k < total; k++) {
        if (!first[k])
            continue;
        geotag_json_putc(buf, ',');
        put_entity(buf, entity_at(g, reference_at(doc, k)), doc->lang,
                   doc->subject_id);
    }
    geotag_json_puts(buf, "]}</script>");
    geotag_json_putc(buf, '\0');
    buf->nelts--;
    if (len != NULL)
        *len = (apr_size_t)buf->nelts;
    return buf->elts;
}
