/*
 * scope.c: where in the page's elements the text is (see scope.h).
 *
 *   scope       the first element matching a scope rule opens it; inside
 *               it nav / aside / form and page-level header / footer are
 *               excluded, and a second top-level <article> means the page
 *               is a listing, unless it is a teaser (in a <section> or a
 *               cue's element opened after the first article ended)
 *   no-go       a, code, pre, time, data, svg, math, button, label ...:
 *               counters per element, never a stack
 *   opt-out     data-geotag="off" / class="geotag-off": one counter for
 *               the element name that opened it
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <apr_strings.h>
#include <apr_tables.h>

#include "scope.h"

static const geotag_scope_rule default_scope[] = {
    {"article", NULL, NULL},
    {"main", NULL, NULL},
    {NULL, "role", "main"},
    {NULL, "itemprop", "articleBody"},
};

static void lower_ascii(char *p)
{
    for (; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
}

/* isspace() of the C locale, without the call */
static inline int is_space_byte(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

int geotag_has_word(const char *value, apr_size_t len, const char *word)
{
    apr_size_t wlen = strlen(word), i;
    unsigned char first = (unsigned char)word[0] | 0x20;

    if (wlen == 0 || len < wlen)
        return 0;
    /* a token equal to the word: its first byte (any case), white space or
     * nothing on both sides, then the whole word */
    for (i = 0; i + wlen <= len; i++) {
        if (len - i >= 8) {
            /* eight bytes none of which is the first byte: past them */
            const apr_uint64_t ones = UINT64_C(0x0101010101010101);
            apr_uint64_t x, y;
            memcpy(&x, value + i, 8);
            y = (x | (ones * 0x20)) ^ (ones * first);
            if (!((y - ones) & ~y & (ones * 0x80))) {
                i += 7;
                continue;
            }
        }
        if (((unsigned char)value[i] | 0x20) != first)
            continue;
        if ((i > 0 && !is_space_byte(value[i - 1])) ||
            (i + wlen < len && !is_space_byte(value[i + wlen])))
            continue;
        if (strncasecmp(value + i, word, wlen) == 0)
            return 1;
    }
    return 0;
}

int geotag_tag_has_word(const geotag_tag *tag, const char *name,
                        const char *word)
{
    const geotag_attr *a = geotag_tag_attr(tag, name);
    return a && geotag_has_word(a->value, a->value_len, word);
}

int geotag_names_cue(const char *value, apr_size_t len,
                     const char *const *cues, int n)
{
    /* one pass over the value (a page's class lists can be long, and
     * every tag's are asked while the listing question is open): only at
     * a byte that begins some cue are the cues compared */
    unsigned char first[256 / 8] = {0};
    apr_size_t i;
    int k;

    for (k = 0; k < n; k++)
        if (cues[k][0] != '\0') {
            unsigned char c = (unsigned char)cues[k][0];
            first[c >> 3] |= (unsigned char)(1u << (c & 7));
        }
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)value[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if (!(first[c >> 3] & (1u << (c & 7))))
            continue;
        for (k = 0; k < n; k++) {
            apr_size_t clen;
            if ((unsigned char)cues[k][0] != c)
                continue;
            clen = strlen(cues[k]);
            if (clen <= len - i && strncasecmp(value + i, cues[k], clen) == 0)
                return 1;
        }
    }
    return 0;
}

void geotag_scope_init(geotag_scope *sc, apr_pool_t *pool,
                       const geotag_scope_rule *rules, int n_rules,
                       apr_size_t hold, const char *const *cues, int n_cues)
{
    int i;

    memset(sc, 0, sizeof(*sc));
    if (!rules || n_rules <= 0) {
        rules = default_scope;
        n_rules = (int)(sizeof(default_scope) / sizeof(default_scope[0]));
    }
    sc->rules = rules;
    sc->n_rules = n_rules;
    sc->rule_elements =
        apr_palloc(pool, sizeof(geotag_element) * (apr_size_t)n_rules);
    for (i = 0; i < n_rules; i++) {
        const char *name = rules[i].element;
        sc->rule_elements[i] =
            name ? geotag_element_lookup(name, strlen(name)) : GEOTAG_EL_OTHER;
    }
    sc->hold = hold;
    sc->hold_from = -1;
    sc->cues = cues;
    sc->n_cues = cues ? n_cues : 0;
}

int geotag_scope_optout_open(geotag_scope *sc, const geotag_tag *tag)
{
    const geotag_attr *a;
    int ours = 0;

    if ((a = geotag_tag_attr(tag, "data-geotag")) != NULL) {
        if (geotag_has_word(a->value, a->value_len, "off")) {
            if (sc->optout_depth == 0)
                apr_cpystrn(sc->optout_name, tag->name,
                            sizeof(sc->optout_name));
        }
        else {
            ours = 1;
        }
    }
    if (sc->optout_depth == 0 &&
        geotag_tag_has_word(tag, "class", "geotag-off"))
        apr_cpystrn(sc->optout_name, tag->name, sizeof(sc->optout_name));
    if (sc->optout_name[0] && strcmp(sc->optout_name, tag->name) == 0 &&
        !tag->self_closing)
        sc->optout_depth++;
    return ours;
}

void geotag_scope_optout_close(geotag_scope *sc, const geotag_tag *tag)
{
    if (sc->optout_depth > 0 && strcmp(sc->optout_name, tag->name) == 0 &&
        --sc->optout_depth == 0)
        sc->optout_name[0] = '\0';
}

static int excluded(const geotag_scope *sc)
{
    return sc->nav_depth || sc->aside_depth || sc->form_depth ||
           sc->page_header_depth || sc->page_footer_depth;
}

int geotag_scope_article(geotag_scope *sc, const geotag_tag *tag)
{
    if (tag->element != GEOTAG_EL_ARTICLE || sc->article_depth > 0 ||
        excluded(sc) || ++sc->top_articles < 2)
        return 0;
    if (sc->later_sections > 0 || sc->cue_depth > 0) {
        sc->teasers++;
        return GEOTAG_SCOPE_TEASER;
    }
    return GEOTAG_SCOPE_SIBLING;
}

int geotag_scope_teasers(const geotag_scope *sc)
{
    return sc->teasers;
}

/* An element sure to be closed: not a void one (no end tag), nor one whose
 * end tag may be left out, which would keep a cue open to the page's end. */
static int closed_container(const geotag_tag *tag)
{
    static const char open_ended[] = " area base br col dd dt embed hr img "
                                     "input li link meta option p param "
                                     "source td th tr track wbr ";
    char key[GEOTAG_TAG_NAME_MAX + 3];
    apr_size_t n = strlen(tag->name);

    key[0] = ' ';
    memcpy(key + 1, tag->name, n);
    key[n + 1] = ' ';
    key[n + 2] = '\0';
    return strstr(open_ended, key) == NULL;
}

static int names_cue(const geotag_scope *sc, const geotag_tag *tag,
                     const char *name)
{
    const geotag_attr *a = geotag_tag_attr(tag, name);
    return a && geotag_names_cue(a->value, a->value_len, sc->cues, sc->n_cues);
}

/* The containers a teaser sits in, opened after the first top-level
 * article ended: <section>s (they close before any that was open around
 * that article), and the outermost element whose class or id names a cue,
 * followed by name like an opt-out.  Opened only while the listing
 * question is open: once it is decided nothing reads them. */
static void teaser_containers(geotag_scope *sc, const geotag_tag *tag)
{
    int after_first =
        sc->top_articles > 0 && sc->article_depth == 0 && !sc->decided;

    if (tag->element == GEOTAG_EL_SECTION) {
        if (tag->is_end) {
            if (sc->later_sections > 0)
                sc->later_sections--;
        }
        else if (!tag->self_closing &&
                 (after_first || sc->later_sections > 0)) {
            sc->later_sections++;
        }
    }
    if (sc->cue_depth > 0) {
        if (strcmp(tag->name, sc->cue_name) != 0)
            return;
        if (tag->is_end) {
            if (--sc->cue_depth == 0)
                sc->cue_name[0] = '\0';
        }
        else if (!tag->self_closing) {
            sc->cue_depth++;
        }
    }
    else if (!tag->is_end && !tag->self_closing && after_first &&
             sc->n_cues > 0 && tag->element != GEOTAG_EL_ARTICLE &&
             closed_container(tag) &&
             (names_cue(sc, tag, "class") || names_cue(sc, tag, "id"))) {
        apr_cpystrn(sc->cue_name, tag->name, sizeof(sc->cue_name));
        sc->cue_depth = 1;
    }
}

/* The tag has the scope element's name (known elements by number). */
static int is_scope_tag(const geotag_scope *sc, const geotag_tag *tag)
{
    if (sc->element != GEOTAG_EL_OTHER)
        return tag->element == sc->element;
    return strcmp(tag->name, sc->name) == 0;
}

static int rule_matches(const geotag_scope *sc, const geotag_tag *tag)
{
    int i;
    for (i = 0; i < sc->n_rules; i++) {
        const geotag_scope_rule *r = &sc->rules[i];
        if (r->element) {
            geotag_element want = sc->rule_elements[i];
            if (want != GEOTAG_EL_OTHER ? tag->element != want
                                        : strcmp(r->element, tag->name) != 0)
                continue;
        }
        if (r->attribute && !geotag_tag_has_word(tag, r->attribute, r->value))
            continue;
        return 1;
    }
    return 0;
}

static int is_nogo(geotag_element el)
{
    switch (el) {
    case GEOTAG_EL_TEMPLATE: case GEOTAG_EL_TEXTAREA: case GEOTAG_EL_SVG:
    case GEOTAG_EL_MATH: case GEOTAG_EL_CODE: case GEOTAG_EL_PRE:
    case GEOTAG_EL_KBD: case GEOTAG_EL_SAMP: case GEOTAG_EL_A:
    case GEOTAG_EL_BUTTON: case GEOTAG_EL_SELECT: case GEOTAG_EL_OPTION:
    case GEOTAG_EL_LABEL: case GEOTAG_EL_TIME: case GEOTAG_EL_DATA:
    case GEOTAG_EL_TITLE: case GEOTAG_EL_SCRIPT: case GEOTAG_EL_STYLE:
        return 1;
    default:
        return 0;
    }
}

/* The scope element itself opens, nests or closes. */
static int scope_element(geotag_scope *sc, const geotag_tag *tag)
{
    geotag_element el = tag->element;

    if (!tag->is_end) {
        if (!sc->active && !sc->seen && !excluded(sc) && sc->nogo_total == 0 &&
            rule_matches(sc, tag)) {
            sc->active = sc->seen = 1;
            sc->undecided = 1;
            sc->by_main = el == GEOTAG_EL_MAIN;
            apr_cpystrn(sc->name, tag->name, sizeof(sc->name));
            sc->element = el;
            sc->depth = 0;
        }
        if (sc->active && is_scope_tag(sc, tag) && !tag->self_closing)
            sc->depth++;
    }
    else if (sc->active && is_scope_tag(sc, tag) && --sc->depth <= 0) {
        sc->active = 0;
        /* an <article> scope decides when its parent's next sibling could
         * show up, i.e. it stays undecided until </body> or the budget */
        if (sc->element != GEOTAG_EL_ARTICLE)
            return GEOTAG_SCOPE_DECIDED;
    }
    return 0;
}

/* A page-level <header> / <footer>, or one inside the article. */
static void header_footer(geotag_scope *sc, const geotag_tag *tag)
{
    int header = tag->element == GEOTAG_EL_HEADER;
    int *page = header ? &sc->page_header_depth : &sc->page_footer_depth;
    int *inner = header ? &sc->article_header_depth : &sc->article_footer_depth;

    if (!tag->is_end) {
        /* page-level: outside every article, and not inside a scope that
         * is the article body itself ([itemprop=articleBody]) */
        if (*page > 0 ||
            (sc->article_depth == 0 && (!sc->active || sc->by_main)))
            (*page)++;
        else
            (*inner)++;
    }
    else if (*inner > 0) {
        (*inner)--;
    }
    else if (*page > 0) {
        (*page)--;
    }
}

static void nogo(geotag_scope *sc, const geotag_tag *tag)
{
    geotag_element el = tag->element;

    if (!tag->is_end) {
        if (!tag->self_closing || el == GEOTAG_EL_SCRIPT || el == GEOTAG_EL_A) {
            sc->nogo[el]++;
            sc->nogo_total++;
        }
    }
    else if (sc->nogo[el] > 0) {
        sc->nogo[el]--;
        sc->nogo_total--;
    }
    if (tag->is_end && el == GEOTAG_EL_SELECT && sc->nogo[GEOTAG_EL_OPTION]) {
        sc->nogo_total -= sc->nogo[GEOTAG_EL_OPTION];
        sc->nogo[GEOTAG_EL_OPTION] = 0;
    }
}

static void count(int *depth, int is_end)
{
    *depth += is_end ? (*depth > 0 ? -1 : 0) : 1;
}

int geotag_scope_tag(geotag_scope *sc, const geotag_tag *tag, int may_tag)
{
    int decided = scope_element(sc, tag);

    teaser_containers(sc, tag);
    switch (tag->element) {
    case GEOTAG_EL_ARTICLE:
        if (!tag->is_end)
            sc->article_depth++;
        else if (sc->article_depth > 0)
            sc->article_depth--;
        break;
    case GEOTAG_EL_NAV:
        count(&sc->nav_depth, tag->is_end);
        break;
    case GEOTAG_EL_ASIDE:
        count(&sc->aside_depth, tag->is_end);
        break;
    case GEOTAG_EL_FORM:
        count(&sc->form_depth, tag->is_end);
        break;
    case GEOTAG_EL_HEADER:
    case GEOTAG_EL_FOOTER:
        header_footer(sc, tag);
        break;
    case GEOTAG_EL_H1:
        if (!tag->is_end && !sc->headline_done && may_tag &&
            geotag_scope_taggable(sc))
            sc->h1_open = 1;
        else if (tag->is_end && sc->h1_open) {
            sc->h1_open = 0;
            sc->headline_done = 1;
        }
        break;
    default:
        break;
    }
    if (is_nogo(tag->element))
        nogo(sc, tag);
    return decided;
}

int geotag_scope_taggable(const geotag_scope *sc)
{
    return sc->active && sc->nav_depth == 0 && sc->aside_depth == 0 &&
           sc->form_depth == 0 && sc->page_header_depth == 0 &&
           sc->page_footer_depth == 0 && sc->optout_depth == 0 &&
           sc->nogo_total == 0 &&
           !(sc->top_articles > 1 && sc->article_depth > 0);
}

int geotag_scope_seen(const geotag_scope *sc)
{
    return sc->seen;
}

int geotag_scope_in_headline(const geotag_scope *sc)
{
    return sc->h1_open;
}

int geotag_scope_headline_done(const geotag_scope *sc)
{
    return sc->headline_done;
}

void geotag_scope_hold(geotag_scope *sc, apr_off_t offset)
{
    if (sc->undecided && sc->hold_from < 0)
        sc->hold_from = offset;
}

int geotag_scope_hold_expired(const geotag_scope *sc, apr_off_t at)
{
    return sc->undecided && sc->hold_from >= 0 &&
           at - sc->hold_from > (apr_off_t)sc->hold;
}

int geotag_scope_decide(geotag_scope *sc)
{
    if (!sc->undecided)
        return 0;
    sc->undecided = 0;
    sc->decided = 1;
    sc->hold_from = -1;
    return 1;
}

int geotag_scope_undecided(const geotag_scope *sc)
{
    return sc->undecided;
}

int geotag_scope_decided(const geotag_scope *sc)
{
    return sc->decided;
}

apr_off_t geotag_scope_held_from(const geotag_scope *sc)
{
    return sc->undecided ? sc->hold_from : -1;
}

geotag_scope_rule *geotag_scope_parse(apr_pool_t *pool, const char *spec,
                                      int *n, const char **error)
{
    apr_array_header_t *rules =
        apr_array_make(pool, 4, sizeof(geotag_scope_rule));
    const char *p = spec;

    while (*p) {
        geotag_scope_rule *r;
        const char *b;
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (!*p)
            break;
        r = apr_array_push(rules);
        memset(r, 0, sizeof(*r));
        b = p;
        while (*p && *p != '[' && *p != ' ' && *p != '\t' && *p != ',')
            p++;
        if (p > b) {
            char *name = apr_pstrndup(pool, b, p - b);
            lower_ascii(name);
            r->element = name;
        }
        if (*p == '[') {
            const char *eq = strchr(p, '='), *close = strchr(p, ']');
            char *attr;
            if (!eq || !close || eq > close || eq == p + 1 || close == eq + 1) {
                *error = apr_psprintf(pool, "bad scope rule \"%s\": expected "
                                      "name, [attribute=word] or "
                                      "name[attribute=word]", b);
                return NULL;
            }
            attr = apr_pstrndup(pool, p + 1, eq - p - 1);
            lower_ascii(attr);
            r->attribute = attr;
            r->value = apr_pstrndup(pool, eq + 1, close - eq - 1);
            if (r->value[0] == '"' || r->value[0] == '\'')
                r->value = apr_pstrndup(pool, r->value + 1,
                                        strlen(r->value) - 2);
            p = close + 1;
        }
        if (!r->element && !r->attribute) {
            *error = apr_psprintf(pool, "bad scope rule near \"%s\"", b);
            return NULL;
        }
    }
    if (rules->nelts == 0) {
        *error = "an empty scope would tag nothing";
        return NULL;
    }
    *n = rules->nelts;
    return (geotag_scope_rule *)rules->elts;
}
