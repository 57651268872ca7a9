/*
 * jsonld_read.c: reading the page's own JSON-LD blocks (jsonld_read.h).
 *
 * A page block is parsed by a strict JSON grammar (RFC 8259, as
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
 */
#include <string.h>

#include <apr_strings.h>

#include "json.h"
#include "jsonld_read.h"
#include "utf8.h"

#define GEOTAG_JSONLD_MAX_DEPTH 64

/* @type values kept per node; more are still checked for the article
 * family but not recorded (real pages carry one to three). */
#define GEOTAG_JSONLD_MAX_TYPES 8

/* Room to decode a key or an @type value for comparison; longer ones
 * cannot be any of the names we look for. */
#define GEOTAG_JSONLD_NAME_MAX 512

#define UNICODE_REPLACEMENT GEOTAG_UTF8_REPLACEMENT

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
    json_span date_published;
    json_span language_string, language_code, language_name; /* inLanguage */
} jsonld_node;

/* An article node, decoded. */
typedef struct {
    const char *id;
    apr_array_header_t *types;
    const char *main_entity_of_page;
    const char *headline;
    const char *date_published;
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
    ROLE_DATE_PUBLISHED,
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
    KEY_DATE_PUBLISHED,
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
    KNOWN_KEY("datePublished", KEY_DATE_PUBLISHED),
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
        case KEY_DATE_PUBLISHED: return ROLE_DATE_PUBLISHED;
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
    case ROLE_DATE_PUBLISHED:
        node->date_published = sp;
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
    a->date_published = span_string(r->pool, node->date_published);
    a->in_language = span_string(r->pool,
        first_span(node->language_string, node->language_code,
                   node->language_name));
}

/*
 * An object's or an array's punctuation.  list_open consumes the opening
 * bracket, list_next what follows an item; r->depth counts the lists open.
 * Both return 1 when the list has ended (its closing bracket consumed), 0
 * when an item follows, -1 when the input is not JSON (or nests too deep).
 */
static int list_open(jsonld_reader *r, unsigned char close)
{
    if (++r->depth > GEOTAG_JSONLD_MAX_DEPTH)
        return -1;
    r->p++;
    skip_space(r);
    if (r->p < r->end && *r->p == close) {
        r->p++;
        r->depth--;
        return 1;
    }
    return 0;
}

static int list_next(jsonld_reader *r, unsigned char close)
{
    skip_space(r);
    if (r->p >= r->end)
        return -1;
    if (*r->p == close) {
        r->p++;
        r->depth--;
        return 1;
    }
    if (*r->p != ',')
        return -1;
    r->p++;
    return 0;
}

static int read_object(jsonld_reader *r, value_role role, jsonld_node *node)
{
    jsonld_node own;
    int is_node = role == ROLE_TOP || role == ROLE_NODES || role == ROLE_NODE;
    int ended = list_open(r, '}');
    json_span key;

    if (ended < 0)
        return 0;
    if (is_node) {
        memset(&own, 0, sizeof(own));
        node = &own;
    }
    while (!ended) {
        skip_space(r);
        if (r->p >= r->end || *r->p != '"' || !scan_string(r, &key))
            return 0;
        skip_space(r);
        if (r->p >= r->end || *r->p != ':')
            return 0;
        r->p++;
        if (!read_value(r, child_role(role, key_of(key)), node))
            return 0;
        if ((ended = list_next(r, '}')) < 0)
            return 0;
    }
    if (is_node)
        finish_node(r, &own);
    return 1;
}

static int read_array(jsonld_reader *r, value_role role, jsonld_node *node)
{
    value_role item = role == ROLE_TOP || role == ROLE_NODES ? ROLE_NODE
                    : role == ROLE_TYPE ? ROLE_TYPE_ITEM : ROLE_SKIP;
    int ended = list_open(r, ']');

    if (ended < 0)
        return 0;
    while (!ended) {
        if (!read_value(r, item, node))
            return 0;
        if ((ended = list_next(r, ']')) < 0)
            return 0;
    }
    return 1;
}

static int read_number(jsonld_reader *r)
{
    const char *end = geotag_json_number_end((const char *)r->p,
                                             (const char *)r->end);
    if (end == NULL)
        return 0;
    r->p = (const unsigned char *)end;
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
    if (facts->date_published == NULL)
        facts->date_published = a->date_published;
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
