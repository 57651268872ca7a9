/*
 * jsonld.c: reading the page's JSON-LD blocks, writing ours.
 *
 * Here's the concept.
 *
 * Reading.  A page block is parsed by a strict JSON grammar (RFC 8259, as
 * JSON.parse: no comments, single quotes, trailing commas, NaN, raw control
 * characters in strings) because one invalid block aborts strict JSON-LD
 * processors anyway, and a block they reject says nothing we may rely on.
 * The only leniency is at the edges: an HTML comment or CDATA wrapper around
 * the JSON (old CMS templates) is stripped first, since it cannot be part of
 * valid JSON either way.  The parser is recursive descent with the nesting
 * depth capped at GEOTAG_JSONLD_MAX_DEPTH, so hostile input costs neither
 * stack nor a crash.  Every value is parsed with a role saying what it means
 * to us (a node, a node's @id, an @type value, ...).  Strings are only
 * remembered as spans of the input while a node is open, and decoded into
 * the pool only when the node turns out to be an article: a block of a
 * thousand Person nodes allocates nothing.  Facts are merged into the
 * caller's struct only after the whole block parsed, so an invalid block
 * leaves them untouched.
 *
 * Writing.  The output is built from the gazetteer and the document alone,
 * in a fixed order, so the same input gives the same bytes (the cache and
 * the ETag depend on it).  Every string goes through one escaper that
 * emits pure ASCII and never '<', '>' or '&' (research/jsonld-practice.md
 * §4.6), so no name can end the script element or open a comment in it.
 */
#include <string.h>

#include <apr_strings.h>

#include "jsonld.h"
#include "normalize.h"
#include "utf8.h"

#define GEOTAG_JSONLD_MAX_DEPTH 64

/* @type values kept per node; more are still checked for the article
 * family but not recorded (real pages carry one to three). */
#define GEOTAG_JSONLD_MAX_TYPES 8

/* Figures written into mentions at most (research §4.5). */
#define GEOTAG_JSONLD_MAX_FIGURES 10

/* Room to decode a key or an @type value for comparison; longer ones
 * cannot be any of the names we look for. */
#define GEOTAG_JSONLD_NAME_MAX 512

#define UNICODE_REPLACEMENT GEOTAG_UTF8_REPLACEMENT

/* ------------------------------------------------------------------ */
/* Reader                                                              */
/* ------------------------------------------------------------------ */

/* The raw content of a JSON string in the input, quotes excluded. */
typedef struct {
    const unsigned char *start;
    apr_size_t len;
} json_span;

/* One node object while it is open: spans only, nothing allocated. */
typedef struct {
    json_span id;
    json_span types[GEOTAG_JSONLD_MAX_TYPES];
    int n_types;
    int is_article;
    json_span page_string, page_id, page_url;       /* mainEntityOfPage */
    json_span headline;
    json_span language_string, language_code, language_name; /* inLanguage */
} jsonld_node;

/* An article node, decoded. */
typedef struct {
    const char *id;
    apr_array_header_t *types;
    const char *main_entity_of_page;
    const char *headline;
    const char *in_language;
} jsonld_article;

typedef struct {
    const unsigned char *p, *end;
    apr_pool_t *pool;
    int depth;
    apr_array_header_t *articles; /* jsonld_article, in the order they end */
} jsonld_reader;

/* What a value means to us; decides how its children are read. */
typedef enum {
    ROLE_SKIP = 0,       /* validated only */
    ROLE_TOP,            /* the block: a node or an array of nodes */
    ROLE_NODES,          /* "@graph": a node or an array of nodes */
    ROLE_NODE,           /* an object here is a node */
    ROLE_ID,             /* node "@id" */
    ROLE_TYPE,           /* node "@type": a string or an array of them */
    ROLE_TYPE_ITEM,
    ROLE_PAGE,           /* "mainEntityOfPage": a string or an object */
    ROLE_PAGE_ID,
    ROLE_PAGE_URL,
    ROLE_HEADLINE,
    ROLE_LANGUAGE,       /* "inLanguage": a string or a Language object */
    ROLE_LANGUAGE_CODE,
    ROLE_LANGUAGE_NAME
} value_role;

typedef enum {
    KEY_OTHER = 0,
    KEY_ID,
    KEY_TYPE,
    KEY_GRAPH,
    KEY_PAGE,
    KEY_HEADLINE,
    KEY_LANGUAGE,
    KEY_URL,
    KEY_NAME,
    KEY_ALTERNATE_NAME
} json_key;

#define KNOWN_KEY(lit, key) {lit, sizeof(lit) - 1, key}
static const struct {
    const char *name;
    apr_size_t len;
    json_key key;
} known_keys[] = {
    KNOWN_KEY("@id", KEY_ID),
    KNOWN_KEY("@type", KEY_TYPE),
    KNOWN_KEY("@graph", KEY_GRAPH),
    KNOWN_KEY("mainEntityOfPage", KEY_PAGE),
    KNOWN_KEY("headline", KEY_HEADLINE),
    KNOWN_KEY("inLanguage", KEY_LANGUAGE),
    KNOWN_KEY("url", KEY_URL),
    KNOWN_KEY("name", KEY_NAME),
    KNOWN_KEY("alternateName", KEY_ALTERNATE_NAME),
};
#undef KNOWN_KEY

/* schema.org's Article family: Article, its subtypes that pages use, and
 * the pending NewsArticle subtypes. */
static const char *const article_types[] = {
    "Article", "NewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
    "ReportageNewsArticle", "BackgroundNewsArticle", "ReviewNewsArticle",
    "AskPublicNewsArticle", "BlogPosting", "LiveBlogPosting",
    "SocialMediaPosting", "Report", "ScholarlyArticle", "TechArticle",
    "SatiricalArticle", "AdvertiserContentArticle",
};

static int read_value(jsonld_reader *r, value_role role, jsonld_node *node);

static void skip_space(jsonld_reader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' ||
                             *r->p == '\n' || *r->p == '\r'))
        r->p++;
}

static int is_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
           (c >= 'A' && c <= 'F');
}

static unsigned hex4(const unsigned char *p)
{
    unsigned v = 0;
    int i;
    for (i = 0; i < 4; i++) {
        unsigned char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= c - '0';
        else if (c >= 'a' && c <= 'f')
            v |= c - 'a' + 10;
        else
            v |= c - 'A' + 10;
    }
    return v;
}

/* Validates the string starting at r->p (a '"') and records its content.
 * Raw bytes >= 0x80 are accepted here; decoding replaces invalid UTF-8. */
static int scan_string(jsonld_reader *r, json_span *out)
{
    const unsigned char *p = r->p + 1;

    while (p < r->end) {
        unsigned char c;
        /* eight bytes at a time while none is '"', '\\' or a control
         * character (the "has a zero byte" test on x ^ '"', x ^ '\\' and
         * on x & 0xE0) */
        while (r->end - p >= 8) {
            apr_uint64_t x, q, b, ctl;
            const apr_uint64_t ones = UINT64_C(0x0101010101010101);
            const apr_uint64_t high = UINT64_C(0x8080808080808080);
            memcpy(&x, p, 8);
            q = x ^ (ones * '"');
            b = x ^ (ones * '\\');
            ctl = x & (ones * 0xE0);
            if (((q - ones) & ~q & high) | ((b - ones) & ~b & high) |
                ((ctl - ones) & ~ctl & high))
                break;
            p += 8;
        }
        if (p >= r->end)
            break;
        c = *p;
        if (c == '"') {
            out->start = r->p + 1;
            out->len = (apr_size_t)(p - out->start);
            r->p = p + 1;
            return 1;
        }
        if (c < 0x20)
            return 0;
        if (c != '\\') {
            p++;
            continue;
        }
        if (r->end - p < 2)
            return 0;
        switch (p[1]) {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n':
        case 'r': case 't':
            p += 2;
            break;
        case 'u':
            if (r->end - p < 6 || !is_hex(p[2]) || !is_hex(p[3]) ||
                !is_hex(p[4]) || !is_hex(p[5]))
                return 0;
            p += 6;
            break;
        default:
            return 0;
        }
    }
    return 0;
}

/*
 * Decodes a validated span into out (cap bytes, NUL included): escapes
 * resolved, lone surrogates and invalid UTF-8 replaced by U+FFFD, as a
 * browser-side JSON.parse would see them.  3 * len + 1 always suffices.
 * Returns the length, or -1 if it does not fit.
 */
static long decode_span(json_span sp, char *out, apr_size_t cap)
{
    const unsigned char *s = sp.start;
    apr_size_t i = 0, o = 0, used, n;
    char one[4];
    long cp;

    while (i < sp.len) {
        if (s[i] == '\\') {
            switch (s[i + 1]) {
            case 'b': cp = '\b'; i += 2; break;
            case 'f': cp = '\f'; i += 2; break;
            case 'n': cp = '\n'; i += 2; break;
            case 'r': cp = '\r'; i += 2; break;
            case 't': cp = '\t'; i += 2; break;
            case 'u':
                cp = (long)hex4(s + i + 2);
                i += 6;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    /* scan_string guarantees four hex digits after any \u */
                    long low = -1;
                    if (i + 6 <= sp.len && s[i] == '\\' && s[i + 1] == 'u')
                        low = (long)hex4(s + i + 2);
                    if (low >= 0xDC00 && low <= 0xDFFF) {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                        i += 6;
                    }
                    else {
                        cp = UNICODE_REPLACEMENT;
                    }
                }
                else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    cp = UNICODE_REPLACEMENT;
                }
                break;
            default:
                cp = s[i + 1]; /* " \ / */
                i += 2;
                break;
            }
        }
        else {
            /* a run of ASCII, or one valid UTF-8 sequence, is copied as
             * it is: re-encoding what the decoder accepts gives it back */
            apr_size_t run = i;
            while (run < sp.len && s[run] < 0x80 && s[run] != '\\')
                run++;
            if (run == i) {
                apr_uint32_t one_cp;
                used = geotag_utf8_decode(s + i, sp.len - i, &one_cp);
                if (used)
                    run = i + used;
                else
                    i++;
            }
            if (run > i) {
                if (o + (run - i) + 1 > cap)
                    return -1;
                memcpy(out + o, s + i, run - i);
                o += run - i;
                i = run;
                continue;
            }
            cp = UNICODE_REPLACEMENT;
        }
        n = geotag_utf8_encode((apr_uint32_t)cp, one);
        if (o + n + 1 > cap)
            return -1;
        memcpy(out + o, one, n);
        o += n;
    }
    if (o + 1 > cap)
        return -1;
    out[o] = '\0';
    return (long)o;
}

static const char *span_string(apr_pool_t *pool, json_span sp)
{
    char *out;
    if (sp.start == NULL)
        return NULL;
    out = apr_palloc(pool, 3 * sp.len + 1);
    decode_span(sp, out, 3 * sp.len + 1);
    return out;
}

/* The span's text for comparison: the raw bytes when it has no escape
 * (the usual case, no copy), else decoded into buf.  NULL if too long. */
static const char *span_name(json_span sp, char *buf, apr_size_t *len)
{
    long n;
    if (memchr(sp.start, '\\', sp.len) == NULL) {
        *len = sp.len;
        return (const char *)sp.start;
    }
    n = decode_span(sp, buf, GEOTAG_JSONLD_NAME_MAX);
    if (n < 0)
        return NULL;
    *len = (apr_size_t)n;
    return buf;
}

static json_key key_of(json_span sp)
{
    char buf[GEOTAG_JSONLD_NAME_MAX];
    apr_size_t len, i;
    const char *name = span_name(sp, buf, &len);

    if (name == NULL)
        return KEY_OTHER;
    for (i = 0; i < sizeof(known_keys) / sizeof(known_keys[0]); i++) {
        if (known_keys[i].len == len && known_keys[i].name[0] == name[0] &&
            memcmp(known_keys[i].name, name, len) == 0)
            return known_keys[i].key;
    }
    return KEY_OTHER;
}

/* "NewsArticle", "schema:NewsArticle", "https://schema.org/NewsArticle":
 * compared on what follows the last '/' or ':'. */
static int is_article_type(json_span sp)
{
    char buf[GEOTAG_JSONLD_NAME_MAX];
    apr_size_t len, i, start = 0;
    const char *name = span_name(sp, buf, &len);

    if (name == NULL)
        return 0;
    for (i = 0; i < len; i++) {
        if (name[i] == '/' || name[i] == ':')
            start = i + 1;
    }
    for (i = 0; i < sizeof(article_types) / sizeof(article_types[0]); i++) {
        if (strlen(article_types[i]) == len - start &&
            memcmp(article_types[i], name + start, len - start) == 0)
            return 1;
    }
    return 0;
}

static value_role child_role(value_role parent, json_key key)
{
    switch (parent) {
    case ROLE_TOP:
    case ROLE_NODES:
    case ROLE_NODE:
        switch (key) {
        case KEY_ID: return ROLE_ID;
        case KEY_TYPE: return ROLE_TYPE;
        case KEY_GRAPH: return ROLE_NODES;
        case KEY_PAGE: return ROLE_PAGE;
        case KEY_HEADLINE: return ROLE_HEADLINE;
        case KEY_LANGUAGE: return ROLE_LANGUAGE;
        default: return ROLE_SKIP;
        }
    case ROLE_PAGE:
        return key == KEY_ID ? ROLE_PAGE_ID
             : key == KEY_URL ? ROLE_PAGE_URL : ROLE_SKIP;
    case ROLE_LANGUAGE:
        return key == KEY_ALTERNATE_NAME ? ROLE_LANGUAGE_CODE
             : key == KEY_NAME ? ROLE_LANGUAGE_NAME : ROLE_SKIP;
    default:
        return ROLE_SKIP;
    }
}

/* A string value in a role that records it.  Duplicate keys: the last one
 * wins, as in JSON.parse. */
static void record_string(value_role role, jsonld_node *node, json_span sp)
{
    switch (role) {
    case ROLE_ID:
        node->id = sp;
        break;
    case ROLE_TYPE:
    case ROLE_TYPE_ITEM:
        if (is_article_type(sp))
            node->is_article = 1;
        if (node->n_types < GEOTAG_JSONLD_MAX_TYPES)
            node->types[node->n_types++] = sp;
        break;
    case ROLE_PAGE:
        node->page_string = sp;
        break;
    case ROLE_PAGE_ID:
        node->page_id = sp;
        break;
    case ROLE_PAGE_URL:
        node->page_url = sp;
        break;
    case ROLE_HEADLINE:
        node->headline = sp;
        break;
    case ROLE_LANGUAGE:
        node->language_string = sp;
        break;
    case ROLE_LANGUAGE_CODE:
        node->language_code = sp;
        break;
    case ROLE_LANGUAGE_NAME:
        node->language_name = sp;
        break;
    default:
        break;
    }
}

static json_span first_span(json_span a, json_span b, json_span c)
{
    return a.start ? a : b.start ? b : c;
}

static void finish_node(jsonld_reader *r, const jsonld_node *node)
{
    jsonld_article *a;
    int i;

    if (!node->is_article)
        return;
    if (r->articles == NULL)
        r->articles = apr_array_make(r->pool, 2, sizeof(jsonld_article));
    a = apr_array_push(r->articles);
    a->id = span_string(r->pool, node->id);
    a->types = apr_array_make(r->pool, node->n_types, sizeof(const char *));
    for (i = 0; i < node->n_types; i++)
        *(const char **)apr_array_push(a->types) =
            span_string(r->pool, node->types[i]);
    a->main_entity_of_page = span_string(r->pool,
        first_span(node->page_string, node->page_id, node->page_url));
    a->headline = span_string(r->pool, node->headline);
    a->in_language = span_string(r->pool,
        first_span(node->language_string, node->language_code,
                   node->language_name));
}

static int read_object(jsonld_reader *r, value_role role, jsonld_node *node)
{
    jsonld_node own;
    int is_node = role == ROLE_TOP || role == ROLE_NODES || role == ROLE_NODE;
    json_span key;

    if (++r->depth > GEOTAG_JSONLD_MAX_DEPTH)
        return 0;
    if (is_node) {
        memset(&own, 0, sizeof(own));
        node = &own;
    }
    r->p++;
    skip_space(r);
    if (r->p < r->end && *r->p == '}') {
        r->p++;
    }
    else {
        for (;;) {
            skip_space(r);
            if (r->p >= r->end || *r->p != '"' || !scan_string(r, &key))
                return 0;
            skip_space(r);
            if (r->p >= r->end || *r->p != ':')
                return 0;
            r->p++;
            if (!read_value(r, child_role(role, key_of(key)), node))
                return 0;
            skip_space(r);
            if (r->p >= r->end)
                return 0;
            if (*r->p == '}') {
                r->p++;
                break;
            }
            if (*r->p != ',')
                return 0;
            r->p++;
        }
    }
    r->depth--;
    if (is_node)
        finish_node(r, &own);
    return 1;
}

static int read_array(jsonld_reader *r, value_role role, jsonld_node *node)
{
    value_role item = role == ROLE_TOP || role == ROLE_NODES ? ROLE_NODE
                    : role == ROLE_TYPE ? ROLE_TYPE_ITEM : ROLE_SKIP;

    if (++r->depth > GEOTAG_JSONLD_MAX_DEPTH)
        return 0;
    r->p++;
    skip_space(r);
    if (r->p < r->end && *r->p == ']') {
        r->p++;
    }
    else {
        for (;;) {
            if (!read_value(r, item, node))
                return 0;
            skip_space(r);
            if (r->p >= r->end)
                return 0;
            if (*r->p == ']') {
                r->p++;
                break;
            }
            if (*r->p != ',')
                return 0;
            r->p++;
        }
    }
    r->depth--;
    return 1;
}

static int read_number(jsonld_reader *r)
{
    const unsigned char *p = r->p, *end = r->end;

    if (p < end && *p == '-')
        p++;
    if (p >= end)
        return 0;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    else
        return 0;
    if (p < end && *p == '.') {
        p++;
        if (p >= end || *p < '0' || *p > '9')
            return 0;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (p >= end || *p < '0' || *p > '9')
            return 0;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    }
    r->p = p;
    return 1;
}

static int read_literal(jsonld_reader *r, const char *word)
{
    apr_size_t n = strlen(word);
    if ((apr_size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
        return 0;
    r->p += n;
    return 1;
}

static int read_value(jsonld_reader *r, value_role role, jsonld_node *node)
{
    json_span sp;

    skip_space(r);
    if (r->p >= r->end)
        return 0;
    switch (*r->p) {
    case '{':
        return read_object(r, role, node);
    case '[':
        /* a repeated "@type" key replaces the earlier values */
        if (role == ROLE_TYPE) {
            node->n_types = 0;
            node->is_article = 0;
        }
        return read_array(r, role, node);
    case '"':
        if (!scan_string(r, &sp))
            return 0;
        if (role == ROLE_TYPE) {
            node->n_types = 0;
            node->is_article = 0;
        }
        if (node != NULL)
            record_string(role, node, sp);
        return 1;
    case 't':
        return read_literal(r, "true");
    case 'f':
        return read_literal(r, "false");
    case 'n':
        return read_literal(r, "null");
    default:
        return read_number(r);
    }
}

static int has_prefix(const unsigned char *s, const unsigned char *e,
                      const char *prefix)
{
    apr_size_t n = strlen(prefix);
    return (apr_size_t)(e - s) >= n && memcmp(s, prefix, n) == 0;
}

static int has_suffix(const unsigned char *s, const unsigned char *e,
                      const char *suffix)
{
    apr_size_t n = strlen(suffix);
    return (apr_size_t)(e - s) >= n && memcmp(e - n, suffix, n) == 0;
}

static int is_html_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/*
 * Strips the wrappers old templates put around script content (an HTML
 * comment, a CDATA section, either hidden from JavaScript behind a line or
 * block comment: see heads[] and tails[]) and the whitespace around them.  None of them can begin or end valid JSON, so
 * stripping never changes how a valid block reads.
 */
static void strip_wrappers(const unsigned char **sp, const unsigned char **ep)
{
    static const char *const heads[] = {
        "<!--", "/*<![CDATA[*/", "//<![CDATA[", "<![CDATA["
    };
    static const char *const tails[] = {"-->", "/*]]>*/", "]]>", "//"};
    const unsigned char *s = *sp, *e = *ep;
    int round, i, stripped;

    for (round = 0; round < 4; round++) {
        while (s < e && is_html_space(*s))
            s++;
        stripped = 0;
        for (i = 0; i < (int)(sizeof(heads) / sizeof(heads[0])); i++) {
            if (has_prefix(s, e, heads[i])) {
                s += strlen(heads[i]);
                stripped = 1;
                break;
            }
        }
        if (!stripped)
            break;
    }
    for (round = 0; round < 4; round++) {
        while (e > s && is_html_space(e[-1]))
            e--;
        stripped = 0;
        for (i = 0; i < (int)(sizeof(tails) / sizeof(tails[0])); i++) {
            if (has_suffix(s, e, tails[i])) {
                e -= strlen(tails[i]);
                stripped = 1;
                break;
            }
        }
        if (!stripped)
            break;
    }
    *sp = s;
    *ep = e;
}

/*
 * Merges one article node.  The facts describe the article whose @id we
 * will reuse: the first node with an @id, or else the first node at all.
 * Its @id and @type go together (the writer copies both verbatim, so a
 * merge adds nothing but about/mentions).  Headline, mainEntityOfPage and
 * inLanguage already set are kept; missing ones are filled from later
 * article nodes, which on real pages describe the same article again.
 */
static void merge_article(apr_pool_t *pool, geotag_page_facts *facts,
                          const jsonld_article *a)
{
    int i;

    if (!facts->found_article ||
        (facts->article_id == NULL && a->id != NULL)) {
        facts->found_article = 1;
        facts->article_id = a->id;
        if (facts->article_types == NULL)
            facts->article_types = apr_array_make(pool, a->types->nelts,
                                                  sizeof(const char *));
        apr_array_clear(facts->article_types);
        for (i = 0; i < a->types->nelts; i++)
            *(const char **)apr_array_push(facts->article_types) =
                ((const char **)a->types->elts)[i];
    }
    if (facts->main_entity_of_page == NULL)
        facts->main_entity_of_page = a->main_entity_of_page;
    if (facts->headline == NULL)
        facts->headline = a->headline;
    if (facts->in_language == NULL)
        facts->in_language = a->in_language;
}

int geotag_jsonld_scan(apr_pool_t *pool, const char *json, apr_size_t len,
                       geotag_page_facts *facts)
{
    jsonld_reader r;
    int i;

    if (json == NULL || facts == NULL)
        return 0;
    memset(&r, 0, sizeof(r));
    r.p = (const unsigned char *)json;
    r.end = r.p + len;
    r.pool = pool;
    strip_wrappers(&r.p, &r.end);
    if (!read_value(&r, ROLE_TOP, NULL))
        return 0;
    skip_space(&r);
    if (r.p != r.end)
        return 0;
    for (i = 0; r.articles != NULL && i < r.articles->nelts; i++)
        merge_article(pool, facts,
                      &((const jsonld_article *)r.articles->elts)[i]);
    return 1;
}

/* ------------------------------------------------------------------ */
/* Writer                                                              */
/* ------------------------------------------------------------------ */

/* The buffer is a char array; grown here in one step per append rather
 * than a byte at a time through apr_array_push. */
static void buf_put(apr_array_header_t *buf, const char *s, apr_size_t n)
{
    if ((apr_size_t)buf->nelts + n > (apr_size_t)buf->nalloc) {
        apr_size_t want = (apr_size_t)buf->nalloc * 2;
        char *grown;
        if (want < (apr_size_t)buf->nelts + n)
            want = (apr_size_t)buf->nelts + n;
        if (want < 64)
            want = 64;
        grown = apr_palloc(buf->pool, want);
        if (buf->nelts > 0)
            memcpy(grown, buf->elts, (apr_size_t)buf->nelts);
        buf->elts = grown;
        buf->nalloc = (int)want;
    }
    memcpy(buf->elts + buf->nelts, s, n);
    buf->nelts += (int)n;
}

static void buf_puts(apr_array_header_t *buf, const char *s)
{
    buf_put(buf, s, strlen(s));
}

static void buf_putc(apr_array_header_t *buf, char c)
{
    buf_put(buf, &c, 1);
}

static void put_u_escape(apr_array_header_t *buf, unsigned v)
{
    static const char hex[] = "0123456789abcdef";
    char e[6];
    e[0] = '\\';
    e[1] = 'u';
    e[2] = hex[(v >> 12) & 0xF];
    e[3] = hex[(v >> 8) & 0xF];
    e[4] = hex[(v >> 4) & 0xF];
    e[5] = hex[v & 0xF];
    buf_put(buf, e, 6);
}

/* A byte that goes out as itself: printable ASCII that neither JSON nor
 * the HTML tokenizer treats specially. */
static int is_plain_byte(unsigned char c)
{
    return c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '<' &&
           c != '>' && c != '&';
}

/* The body of a JSON string, quotes excluded. */
static void json_append_escaped(apr_array_header_t *buf, const char *s,
                                apr_size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    apr_size_t i = 0, run, used;
    apr_uint32_t cp;

    while (i < len) {
        for (run = i; run < len && is_plain_byte(u[run]); run++)
            ;
        if (run > i) {
            buf_put(buf, s + i, run - i);
            i = run;
            continue;
        }
        switch (u[i]) {
        case '"': buf_puts(buf, "\\\""); i++; continue;
        case '\\': buf_puts(buf, "\\\\"); i++; continue;
        case '\b': buf_puts(buf, "\\b"); i++; continue;
        case '\f': buf_puts(buf, "\\f"); i++; continue;
        case '\n': buf_puts(buf, "\\n"); i++; continue;
        case '\r': buf_puts(buf, "\\r"); i++; continue;
        case '\t': buf_puts(buf, "\\t"); i++; continue;
        default: break;
        }
        /* an invalid byte is U+FFFD, which the decoder puts in cp */
        used = geotag_utf8_decode(u + i, len - i, &cp);
        i += used ? used : 1;
        if (cp > 0xFFFF) {
            cp -= 0x10000;
            put_u_escape(buf, 0xD800 | (unsigned)(cp >> 10));
            put_u_escape(buf, 0xDC00 | (unsigned)(cp & 0x3FF));
        }
        else {
            put_u_escape(buf, (unsigned)cp);
        }
    }
}

void geotag_json_append_string(apr_array_header_t *buf, const char *s,
                               apr_size_t len)
{
    buf_putc(buf, '"');
    if (s != NULL)
        json_append_escaped(buf, s, len);
    buf_putc(buf, '"');
}

static void put_string(apr_array_header_t *buf, const char *s)
{
    geotag_json_append_string(buf, s, s ? strlen(s) : 0);
}

/* "key": — keys are our own ASCII literals. */
static void put_key(apr_array_header_t *buf, const char *key)
{
    buf_putc(buf, '"');
    buf_puts(buf, key);
    buf_puts(buf, "\":");
}

/* A string made of a fixed ASCII prefix and an escaped tail. */
static void put_prefixed(apr_array_header_t *buf, const char *prefix,
                         const char *tail)
{
    buf_putc(buf, '"');
    buf_puts(buf, prefix);
    json_append_escaped(buf, tail, strlen(tail));
    buf_putc(buf, '"');
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
            if (e->labels[i].lang && geotag_same_primary_subtag(e->labels[i].lang,
                                                         lang))
                return &e->labels[i];
    }
    for (i = 0; i < e->n_labels; i++)
        if (e->labels[i].lang == NULL)
            return &e->labels[i];
    for (i = 0; i < e->n_labels; i++)
        if (e->labels[i].lang && geotag_same_primary_subtag(e->labels[i].lang, "en"))
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
 * ("Who's_Afraid_of_Virginia_Woolf%3F").  ' ( ) , stay.  The result is ASCII
 * and goes through the JSON escaper like any string (so '&' -> \u0026).
 */
static void put_wikipedia_url(apr_array_header_t *buf, const char *host,
                              const char *title)
{
    static const char hex[] = "0123456789ABCDEF";
    apr_array_header_t *url = apr_array_make(buf->pool, 64, 1);
    const unsigned char *t = (const unsigned char *)title;

    buf_puts(url, "https://");
    buf_puts(url, host);
    buf_puts(url, ".wikipedia.org/wiki/");
    for (; *t; t++) {
        if (*t == ' ') {
            buf_putc(url, '_');
        }
        else if (*t < 0x20 || *t >= 0x7F || *t == '"' || *t == '<' ||
                 *t == '>' || *t == '\\' || *t == '^' || *t == '`' ||
                 *t == '{' || *t == '|' || *t == '}' || *t == '%' || *t == '?') {
            char e[3];
            e[0] = '%';
            e[1] = hex[*t >> 4];
            e[2] = hex[*t & 0xF];
            buf_put(url, e, 3);
        }
        else {
            buf_putc(url, (char)*t);
        }
    }
    geotag_json_append_string(buf, url->elts, (apr_size_t)url->nelts);
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
 * we can copy verbatim. */
static int is_plain_decimal(const char *v)
{
    const char *end = memchr(v, '\0', GEOTAG_FIGURE_VALUE_MAX);
    const char *p = v;

    if (end == NULL || p == end)
        return 0;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    else
        return 0;
    if (p < end && *p == '.') {
        p++;
        if (p == end)
            return 0;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    }
    return p == end;
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
        buf_putc(buf, ',');
    buf_puts(buf, f->kind == GEOTAG_FIGURE_MONEY
                      ? "{\"@type\":\"MonetaryAmount\",\"value\":"
                      : "{\"@type\":\"QuantitativeValue\",\"value\":");
    buf_puts(buf, f->value);
    if (f->kind == GEOTAG_FIGURE_NUMBER) {
        buf_puts(buf, ",\"unitText\":");
        put_string(buf, f->unit_text);
    }
    else if (f->kind == GEOTAG_FIGURE_PERCENT) {
        buf_puts(buf, ",\"unitCode\":\"P1\",\"unitText\":\"%\"");
    }
    else {
        buf_puts(buf, ",\"currency\":");
        put_string(buf, f->currency);
    }
    buf_putc(buf, '}');
    return 1;
}

/* {"@id":"http://www.wikidata.org/entity/Q..."}: an entity in about or
 * mentions (geotag_jsonld_prepare keeps it in the entity). */
static void render_reference(apr_array_header_t *buf, const geotag_entity *e)
{
    buf_puts(buf, "{\"@id\":");
    put_prefixed(buf, "http://www.wikidata.org/entity/", e->id);
    buf_putc(buf, '}');
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
            buf_putc(buf, ',');
            put_key(buf, key);
            buf_putc(buf, '[');
        }
        else {
            buf_putc(buf, ',');
        }
        e = entity_at(g, reference_at(doc, k));
        if (e->jsonld_ref != NULL)
            buf_put(buf, e->jsonld_ref, e->jsonld_ref_len);
        else
            render_reference(buf, e);
    }
    for (k = 0; with_figures && doc->figures != NULL && k < doc->n_figures &&
                figures < GEOTAG_JSONLD_MAX_FIGURES; k++) {
        apr_size_t mark = (apr_size_t)buf->nelts;
        if (written == 0) {
            buf_putc(buf, ',');
            put_key(buf, key);
            buf_putc(buf, '[');
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
        buf_putc(buf, ']');
}

static void put_subject(apr_array_header_t *buf, const geotag_gazetteer *g,
                        const geotag_document *doc, const unsigned char *first)
{
    int i, n_types = 0, written = 0;

    for (i = 0; doc->subject_types != NULL && i < doc->n_subject_types; i++)
        if (doc->subject_types[i] != NULL && doc->subject_types[i][0] != '\0')
            n_types++;
    buf_putc(buf, '{');
    if (doc->subject_id != NULL) {
        put_key(buf, "@id");
        put_string(buf, doc->subject_id);
        buf_putc(buf, ',');
    }
    put_key(buf, "@type");
    if (n_types == 0) {
        buf_puts(buf, "\"WebPage\"");
    }
    else {
        if (n_types > 1)
            buf_putc(buf, '[');
        for (i = 0; i < doc->n_subject_types; i++) {
            const char *t = doc->subject_types[i];
            if (t == NULL || t[0] == '\0')
                continue;
            if (written++ > 0)
                buf_putc(buf, ',');
            put_string(buf, t);
        }
        if (n_types > 1)
            buf_putc(buf, ']');
    }
    put_reference_list(buf, g, doc, first, "about", 0, doc->n_about, 0);
    put_reference_list(buf, g, doc, first, "mentions", doc->n_about,
                       doc->n_about + doc->n_mentions, 1);
    buf_putc(buf, '}');
}

static void render_entity(apr_array_header_t *buf, const geotag_entity *e,
                          const geotag_label *label, const char *page_lang)
{
    int treaty = e->kind == GEOTAG_KIND_TREATY;
    char host[16];

    buf_puts(buf, "{\"@id\":");
    put_prefixed(buf, "http://www.wikidata.org/entity/", e->id);
    buf_puts(buf, ",\"@type\":");
    put_string(buf, treaty ? "Legislation"
                    : e->type != NULL && e->type[0] != '\0' ? e->type
                    : "Thing");
    if (label != NULL && label->text != NULL) {
        buf_puts(buf, ",\"name\":");
        put_string(buf, label->text);
    }
    if (treaty && e->legislation_type != NULL &&
        e->legislation_type[0] != '\0') {
        buf_puts(buf, ",\"legislationType\":");
        put_string(buf, e->legislation_type);
    }
    if (treaty && e->date != NULL && e->date[0] != '\0') {
        buf_puts(buf, ",\"legislationDate\":");
        put_string(buf, e->date);
    }
    buf_puts(buf, ",\"sameAs\":[");
    put_prefixed(buf, "https://www.wikidata.org/wiki/", e->id);
    if (label != NULL && label->wikipedia != NULL &&
        label->wikipedia[0] != '\0' &&
        wikipedia_host(label->lang ? label->lang : page_lang, host,
                       sizeof(host))) {
        buf_putc(buf, ',');
        put_wikipedia_url(buf, host, label->wikipedia);
    }
    buf_puts(buf, "]}");
}

static void put_entity(apr_array_header_t *buf, const geotag_entity *e,
                       const char *page_lang)
{
    const geotag_label *label = label_for(e, page_lang);
    if (label != NULL && label->jsonld != NULL)
        buf_put(buf, label->jsonld, label->jsonld_len);
    else
        render_entity(buf, e, label, page_lang);
}

void geotag_jsonld_prepare(apr_pool_t *pool, geotag_gazetteer *g)
{
    apr_array_header_t *buf = apr_array_make(pool, 512, 1);
    int i, l;

    if (g == NULL || g->entities == NULL)
        return;
    for (i = 0; i < g->entities->nelts; i++) {
        geotag_entity *e = (geotag_entity *)entity_at(g, i);
        if (e == NULL)
            continue;
        buf->nelts = 0;
        render_reference(buf, e);
        e->jsonld_ref = apr_pstrmemdup(pool, buf->elts, (apr_size_t)buf->nelts);
        e->jsonld_ref_len = (apr_size_t)buf->nelts;
        if (e->labels == NULL)
            continue;
        for (l = 0; l < e->n_labels; l++) {
            geotag_label *label = (geotag_label *)&e->labels[l];
            if (label->lang == NULL)
                continue;
            buf->nelts = 0;
            render_entity(buf, e, label, label->lang);
            label->jsonld = apr_pstrmemdup(pool, buf->elts, (apr_size_t)buf->nelts);
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

    buf_puts(buf, "<script type=\"application/ld+json\" id=\"geotag-jsonld\" "
                  "data-geotag=\"jsonld\">"
                  "{\"@context\":\"https://schema.org\",\"@graph\":[");
    first = first_references(pool, g, doc, total);
    put_subject(buf, g, doc, first);
    for (k = 0; k < total; k++) {
        if (!first[k])
            continue;
        buf_putc(buf, ',');
        put_entity(buf, entity_at(g, reference_at(doc, k)), doc->lang);
    }
    buf_puts(buf, "]}</script>");
    buf_putc(buf, '\0');
    buf->nelts--;
    if (len != NULL)
        *len = (apr_size_t)buf->nelts;
    return buf->elts;
}
