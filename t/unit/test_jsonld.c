/*
 * test_jsonld.c: the JSON-LD reader (page blocks -> facts) and writer
 * (document -> our script element).
 *
 * The writer's output is checked three ways: exact bytes for small
 * documents (so any change to the shape is a deliberate one), our own
 * strict reader, and node's JSON.parse as an independent strict parser,
 * which also proves that hostile names come back unchanged.  node is
 * optional: without it those checks are reported as skipped.
 *
 * The subject's @id as a session builds it from the page (its article @id
 * resolved against the page URL, RFC 3986) is checked on a real engine.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "annotator.h"
#include "jsonld.h"
#include "tap.h"

static apr_pool_t *pool;
static int have_node;

#define SEED_BLOCK \
    "{\"@context\":\"https://schema.org\",\"@graph\":[{\"@type\":\"NewsArticle\"," \
    "\"@id\":\"https://example.org/approfondimenti/putin-kim-convergenza-antidemocratica/#article\"," \
    "\"headline\":\"Putin e Kim, la convergenza antidemocratica tra Ucraina e Indo Pacifico\"," \
    "\"author\":{\"@type\":\"Person\",\"name\":\"Emanuele Rossi\"},\"inLanguage\":\"it-IT\"," \
    "\"mainEntityOfPage\":\"https://example.org/approfondimenti/putin-kim-convergenza-antidemocratica/\"}," \
    "{\"@type\":\"Organization\",\"@id\":\"https://example.org/#organization\",\"name\":\"Example Analisi\"}]}"

#define SCRIPT_OPEN \
    "<script type=\"application/ld+json\" id=\"geotag-jsonld\" data-geotag=\"jsonld\">"

/* ------------------------------------------------------------------ */
/* helpers                                                             */
/* ------------------------------------------------------------------ */

static int scan(const char *json, geotag_page_facts *facts)
{
    return geotag_jsonld_scan(pool, json, strlen(json), facts);
}

static const char *type_at(const geotag_page_facts *f, int i)
{
    if (f->article_types == NULL || i >= f->article_types->nelts)
        return NULL;
    return ((const char **)f->article_types->elts)[i];
}

static int n_types(const geotag_page_facts *f)
{
    return f->article_types ? f->article_types->nelts : 0;
}

static int is_ascii(const char *s, apr_size_t len)
{
    apr_size_t i;
    for (i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80 || (unsigned char)s[i] < 0x20)
            return 0;
    return 1;
}

static int count_of(const char *hay, const char *needle)
{
    int n = 0;
    const char *p = hay;
    while ((p = strstr(p, needle)) != NULL) {
        n++;
        p += strlen(needle);
    }
    return n;
}

/* The JSON between the opening tag's '>' and the last "</script>". */
static char *inner_json(const char *out, apr_size_t *len)
{
    const char *open = strchr(out, '>');
    const char *close = NULL, *p = out;
    while ((p = strstr(p, "</script>")) != NULL)
        close = p++;
    if (open == NULL || close == NULL || close < open) {
        *len = 0;
        return apr_pstrdup(pool, "");
    }
    *len = (apr_size_t)(close - open - 1);
    return apr_pstrmemdup(pool, open + 1, *len);
}

static void push_bytes(apr_array_header_t *buf, const void *s, apr_size_t n)
{
    apr_size_t i;
    for (i = 0; i < n; i++)
        *(char *)apr_array_push(buf) = ((const char *)s)[i];
}

/* Exit status of node's JSON.parse on the text, or -1 if node is absent. */
static int node_parse(const char *json, apr_size_t len)
{
    FILE *f;
    int status;

    if (!have_node)
        return -1;
    f = popen("node -e 'JSON.parse(require(\"fs\").readFileSync(0,\"utf8\"))'"
              " >/dev/null 2>&1", "w");
    if (f == NULL)
        return -1;
    fwrite(json, 1, len, f);
    status = pclose(f);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* The "name" of every @graph node after the subject, one a line, as node
 * decodes them (raw UTF-8).  NULL if node is absent or failed. */
static char *node_names(const char *json, apr_size_t len)
{
    char path[] = "/tmp/test_jsonld_XXXXXX";
    char cmd[256], chunk[4096];
    apr_array_header_t *got = apr_array_make(pool, 1024, 1);
    FILE *f;
    int fd, status;
    size_t n;

    if (!have_node)
        return NULL;
    fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    if (write(fd, json, len) != (ssize_t)len) {
        close(fd);
        unlink(path);
        return NULL;
    }
    close(fd);
    snprintf(cmd, sizeof(cmd),
             "node -e 'const g=JSON.parse(require(\"fs\").readFileSync("
             "process.argv[1],\"utf8\"))[\"@graph\"];"
             "for(const n of g.slice(1))process.stdout.write(n.name+\"\\n\")' %s",
             path);
    f = popen(cmd, "r");
    if (f == NULL) {
        unlink(path);
        return NULL;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        push_bytes(got, chunk, n);
    status = pclose(f);
    unlink(path);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return NULL;
    *(char *)apr_array_push(got) = '\0';
    return got->elts;
}

/* A JSON string literal for s, through the function under test. */
static char *json_literal(const char *s, apr_size_t len)
{
    apr_array_header_t *buf = apr_array_make(pool, 16, 1);
    geotag_json_append_string(buf, s, len);
    *(char *)apr_array_push(buf) = '\0';
    return buf->elts;
}

/* ------------------------------------------------------------------ */
/* a hand-made gazetteer                                               */
/* ------------------------------------------------------------------ */

#define TREATY_NAME \
    "Russia\xe2\x80\x93North Korea Comprehensive Strategic Partnership Treaty"
#define NASTY_NAME \
    "</script><!--<script>\xe2\x80\xa8|\xe2\x80\xa9 \xf0\x9f\x98\x80 & \"q\" \\ \x01\t"
#define NASTY_TITLE "A b\"<>?&%^`{|}\x01"

static const geotag_label putin_labels[] = {
    {"it", "Vladimir Putin", "Vladimir_Putin"},
    {"en", "Vladimir Putin", "Vladimir_Putin"},
};
static const geotag_label usa_labels[] = {
    {"en", "United States", "United_States"},
    {"IT", "Stati Uniti", "Stati_Uniti_d'America"},
};
static const geotag_label treaty_labels[] = {
    {"en", TREATY_NAME, NULL},
};
static const geotag_label curacao_labels[] = {
    {"it", "Cura\xc3\xa7" "ao", "Cura\xc3\xa7" "ao"},
};
static const geotag_label kim_labels[] = {
    {"en", "Kim Jong-un", "Kim_Jong_Un"},
};
static const geotag_label nasty_labels[] = {
    {"it", NASTY_NAME, NASTY_TITLE},
};
static const geotag_label invalid_labels[] = {
    {"it", "bad \xff\xc0\xaf end", NULL},
};
static const geotag_label paris_labels[] = {
    {"fr", "Paris", "Paris"},
    {"de", "Paris (Stadt)", "Paris"},
};
static const geotag_label nato_labels[] = {
    {NULL, "NATO", "NATO"},
    {"en", "North Atlantic Treaty Organization", "NATO"},
};

enum {
    E_PUTIN, E_USA, E_TREATY, E_CURACAO, E_KIM, E_NASTY, E_INVALID, E_PARIS,
    E_NATO, E_NO_ID
};

static geotag_gazetteer *make_gazetteer(void)
{
    geotag_gazetteer *g = apr_pcalloc(pool, sizeof(*g));
    static const struct {
        const char *id, *type;
        geotag_entity_kind kind;
        const geotag_label *labels;
        int n_labels;
    } rows[] = {
        {"Q7747", "Person", GEOTAG_KIND_ACTOR, putin_labels, 2},
        {"Q30", "Country", GEOTAG_KIND_ACTOR, usa_labels, 2},
        {"Q000001", "Legislation", GEOTAG_KIND_TREATY, treaty_labels, 1},
        {"Q25279", "Country", GEOTAG_KIND_ACTOR, curacao_labels, 1},
        {"Q56226", "Person", GEOTAG_KIND_ACTOR, kim_labels, 1},
        {"Q1", "Organization", GEOTAG_KIND_ACTOR, nasty_labels, 1},
        {"Q2", "Person", GEOTAG_KIND_ACTOR, invalid_labels, 1},
        {"Q90", "City", GEOTAG_KIND_ACTOR, paris_labels, 2},
        {"Q7184", "Organization", GEOTAG_KIND_ACTOR, nato_labels, 2},
        {NULL, "Person", GEOTAG_KIND_ACTOR, kim_labels, 1},
    };
    size_t i;

    g->entities = apr_array_make(pool, 16, sizeof(geotag_entity));
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        geotag_entity *e = apr_array_push(g->entities);
        memset(e, 0, sizeof(*e));
        e->id = rows[i].id;
        e->type = rows[i].type;
        e->kind = rows[i].kind;
        e->verified = 1;
        e->labels = rows[i].labels;
        e->n_labels = rows[i].n_labels;
        if (e->kind == GEOTAG_KIND_TREATY) {
            e->date = "2024-06-19";
            e->legislation_type = "trattato";
        }
    }
    return g;
}

static geotag_figure_fact figure(geotag_figure_kind kind, const char *value,
                                 const char *unit, const char *currency)
{
    geotag_figure_fact f;
    memset(&f, 0, sizeof(f));
    f.kind = kind;
    strncpy(f.value, value, sizeof(f.value) - 1);
    f.unit_text = unit;
    f.currency = currency;
    return f;
}

/* ------------------------------------------------------------------ */
/* reader                                                              */
/* ------------------------------------------------------------------ */

static void test_reader_seed(void)
{
    geotag_page_facts f = {0};

    is_int(scan(SEED_BLOCK, &f), 1, "seed block parses");
    is_int(f.found_article, 1, "seed: article found");
    is_str(f.article_id,
           "https://example.org/approfondimenti/putin-kim-convergenza-antidemocratica/#article",
           "seed: article @id byte for byte");
    is_int(n_types(&f), 1, "seed: one @type");
    is_str(type_at(&f, 0), "NewsArticle", "seed: @type NewsArticle");
    is_str(f.headline,
           "Putin e Kim, la convergenza antidemocratica tra Ucraina e Indo Pacifico",
           "seed: headline");
    is_str(f.in_language, "it-IT", "seed: inLanguage");
    is_str(f.main_entity_of_page,
           "https://example.org/approfondimenti/putin-kim-convergenza-antidemocratica/",
           "seed: mainEntityOfPage string");

    memset(&f, 0, sizeof(f));
    is_int(geotag_jsonld_scan(pool, SEED_BLOCK, strlen(SEED_BLOCK) - 1, &f),
           0, "seed block cut by one byte (len respected) is invalid");
    is_int(f.found_article, 0, "truncated seed: nothing found");
    is_int(geotag_jsonld_scan(pool, "{}garbage", 2, &f), 1,
           "bytes past len are not read");
}

static void test_reader_shapes(void)
{
    geotag_page_facts f = {0};

    is_int(scan("[{\"@context\":\"http://schema.org\",\"@type\":\"WebSite\","
                "\"url\":\"https://e.org/\"},"
                "{\"@context\":\"http://schema.org\",\"@type\":\"BlogPosting\","
                "\"@id\":\"https://e.org/p#post\",\"mainEntityOfPage\":"
                "{\"@type\":\"WebPage\",\"@id\":\"https://e.org/p\","
                "\"url\":\"https://e.org/p?x\"}}]", &f), 1,
           "top-level array parses");
    is_str(f.article_id, "https://e.org/p#post", "array: BlogPosting @id");
    is_str(f.main_entity_of_page, "https://e.org/p",
           "array: mainEntityOfPage object's @id preferred to url");

    memset(&f, 0, sizeof(f));
    is_int(scan("{\"@context\":\"https://schema.org\",\"@type\":\"NewsArticle\","
                "\"headline\":\"Senza id\",\"mainEntityOfPage\":"
                "{\"@type\":\"WebPage\",\"url\":\"https://e.org/q\"},"
                "\"inLanguage\":{\"@type\":\"Language\",\"name\":\"Italian\","
                "\"alternateName\":\"it\"}}", &f), 1,
           "single node parses");
    is_int(f.found_article, 1, "single NewsArticle found");
    ok(f.article_id == NULL, "single NewsArticle: no @id, none invented");
    is_str(f.headline, "Senza id", "single NewsArticle: headline");
    is_str(f.main_entity_of_page, "https://e.org/q",
           "mainEntityOfPage object with url only");
    is_str(f.in_language, "it", "inLanguage object: alternateName");

    memset(&f, 0, sizeof(f));
    scan("{\"@type\":[\"NewsArticle\",\"ReportageNewsArticle\"],\"@id\":\"a\"}",
         &f);
    is_int(n_types(&f), 2, "@type array: both values kept");
    ok(type_at(&f, 0) && type_at(&f, 1) &&
       strcmp(type_at(&f, 0), "NewsArticle") == 0 &&
       strcmp(type_at(&f, 1), "ReportageNewsArticle") == 0,
       "@type array: values as written, in order");

    memset(&f, 0, sizeof(f));
    scan("{\"@type\":[\"WebPage\",\"ItemPage\"],\"@id\":\"a\"}", &f);
    is_int(f.found_article, 0, "@type array without Article family: no article");

    memset(&f, 0, sizeof(f));
    scan("{\"@graph\":[{\"@type\":\"Person\",\"@id\":\"p\"},"
         "{\"@type\":\"schema:NewsArticle\",\"@id\":\"x\"}]}", &f);
    is_str(f.article_id, "x", "prefixed type schema:NewsArticle recognized");
    is_str(type_at(&f, 0), "schema:NewsArticle", "prefixed type kept as written");

    memset(&f, 0, sizeof(f));
    scan("[{\"@type\":\"http://schema.org/AnalysisNewsArticle\",\"@id\":\"y\"}]",
         &f);
    is_str(f.article_id, "y", "http://schema.org/AnalysisNewsArticle recognized");

    memset(&f, 0, sizeof(f));
    scan("{\"@type\":\"https://schema.org/Report\",\"@id\":\"z\"}", &f);
    is_str(f.article_id, "z", "https://schema.org/Report recognized");

    memset(&f, 0, sizeof(f));
    scan("[{\"@type\":\"schema:Person\"},{\"@type\":\"NewsArticleX\"},"
         "{\"@type\":\"article\"},{\"@type\":\"WebPage\","
         "\"mainEntity\":{\"@type\":\"NewsArticle\",\"@id\":\"nested\"}}]", &f);
    is_int(f.found_article, 0,
           "near misses and nodes nested in properties are not articles");

    memset(&f, 0, sizeof(f));
    scan("{\"@type\":\"NewsArticle\",\"@type\":\"WebPage\"}", &f);
    is_int(f.found_article, 0, "repeated @type key: the last wins (JSON.parse)");

    memset(&f, 0, sizeof(f));
    scan("{\"\\u0040type\":\"News\\u0041rticle\",\"\\u0040id\":\"e\"}", &f);
    is_str(f.article_id, "e", "escaped keys and type values are decoded first");

    memset(&f, 0, sizeof(f));
    is_int(scan("  \"just a string\"  ", &f), 1, "a scalar block is valid JSON");
    is_int(f.found_article, 0, "a scalar block has no article");
}

static void test_reader_invalid(void)
{
    static const char *const bad[] = {
        "{\"@type\":\"NewsArticle\",\"@id\":\"a\",}",          /* trailing comma */
        "{'@type':'NewsArticle','@id':'a'}",                   /* single quotes */
        "{\"@type\":\"NewsArticle\",\"@id\":\"a\"",            /* truncated */
        "{\"@type\":\"NewsArticle\",\"@id\":\"a\",\"wordCount\":NaN}",
        "{\"@type\":\"NewsArticle\",\"@id\":\"a\",\"x\":Infinity}",
        "{\"@type\":\"NewsArticle\",\"headline\":\"raw\nnewline\"}",
        "{\"@type\":\"NewsArticle\",\"@id\":\"a\",\"n\":01}",
        "{\"@type\":\"NewsArticle\",\"@id\":\"a\",\"n\":1.}",
        "{\"@type\":\"NewsArticle\",\"@id\":\"a\",\"n\":-}",
        "{\"@type\":\"NewsArticle\",\"@id\":\"\\x41\"}",        /* bad escape */
        "{\"@type\":\"NewsArticle\",\"@id\":\"\\u12G4\"}",
        "{\"@type\":\"NewsArticle\",\"@id\":\"a\"} {}",       /* two values */
        "{\"@type\":\"NewsArticle\" \"@id\":\"a\"}",           /* no comma */
        "[{\"@type\":\"NewsArticle\",\"@id\":\"a\"},]",
        "{\"@type\":\"NewsArticle\",\"@id\":\"a\"} // comment",
        "{\"@type\":\"NewsArticle\",\"@id\":\"a\",\"b\":tru}",
        "",
        "   \n ",
        "<!-- -->",
    };
    apr_array_header_t *types = apr_array_make(pool, 1, sizeof(const char *));
    geotag_page_facts f;
    size_t i;
    int all_zero = 1, untouched = 1;

    *(const char **)apr_array_push(types) = "Sentinel";
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        f.found_article = 0;
        f.article_id = NULL;
        f.article_types = types;
        f.main_entity_of_page = NULL;
        f.headline = NULL;
        f.in_language = NULL;
        if (scan(bad[i], &f) != 0) {
            all_zero = 0;
            tap_diag("accepted: %s", bad[i]);
        }
        if (f.found_article || f.article_id || f.article_types != types ||
            types->nelts != 1 || f.headline || f.main_entity_of_page ||
            f.in_language)
            untouched = 0;
    }
    ok(all_zero, "%d invalid blocks (trailing comma, single quotes, truncated, "
                 "NaN, raw control char, ...) return 0", (int)i);
    ok(untouched, "invalid blocks leave the facts untouched");

    /* NUL inside the given length is a raw control character */
    memset(&f, 0, sizeof(f));
    is_int(geotag_jsonld_scan(pool, "{\"a\":\"x\0y\"}", 11, &f), 0,
           "a NUL byte inside a string is rejected");
}

static void test_reader_wrappers(void)
{
    geotag_page_facts f = {0};

    is_int(scan("/*<![CDATA[*/ {\"@type\":\"NewsArticle\",\"@id\":\"c1\"} /*]]>*/",
                &f), 1, "CDATA wrapper in block comments accepted");
    is_str(f.article_id, "c1", "CDATA-wrapped article read");

    memset(&f, 0, sizeof(f));
    is_int(scan("\n  <!--\n{\"@type\":\"NewsArticle\",\"@id\":\"c2\"}\n-->\n", &f),
           1, "HTML comment wrapper accepted");
    is_str(f.article_id, "c2", "comment-wrapped article read");

    memset(&f, 0, sizeof(f));
    is_int(scan("//<![CDATA[\n[{\"@type\":\"Article\",\"@id\":\"c3\"}]\n//]]>",
                &f), 1, "CDATA wrapper behind line comments accepted");
    is_str(f.article_id, "c3", "line-comment CDATA article read");

    memset(&f, 0, sizeof(f));
    is_int(scan("<!--//--><![CDATA[//><!--\n{\"@type\":\"Article\"}\n//--><!]]>",
                &f), 0, "Drupal-style mixed wrapper is not guessed at");
}

static void test_reader_escapes(void)
{
    geotag_page_facts f = {0};

    scan("{\"@type\":\"NewsArticle\",\"headline\":"
         "\"\\u00e8 \\ud83d\\ude00 \\\"q\\\" \\\\ \\/ \\b\\f\\n\\r\\t\"}", &f);
    is_str(f.headline,
           "\xc3\xa8 \xf0\x9f\x98\x80 \"q\" \\ / \b\f\n\r\t",
           "escapes and a surrogate pair decoded to UTF-8");

    memset(&f, 0, sizeof(f));
    scan("{\"@type\":\"NewsArticle\",\"headline\":"
         "\"a\\ud800b\\udc00c\\ud800\\u0041\\ud83d\"}", &f);
    is_str(f.headline,
           "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd" "A\xef\xbf\xbd",
           "lone and unpaired surrogates become U+FFFD");

    memset(&f, 0, sizeof(f));
    scan("{\"@type\":\"NewsArticle\",\"headline\":\"x\xff\xc3(y \xe2\x82\xac\"}",
         &f);
    is_str(f.headline, "x\xef\xbf\xbd\xef\xbf\xbd(y \xe2\x82\xac",
           "invalid UTF-8 in the block becomes U+FFFD, valid kept");
}

/* The reader crosses plain stretches of a string eight bytes at a time:
 * a quote, a backslash or a control character is still seen at every
 * position of a long string, and a plain run is copied as it is. */
static void test_reader_long_strings(void)
{
    const char *plain = "Una lunga analisi sulla guerra in Ucraina e la Nato";
    apr_size_t n = strlen(plain), at;
    char json[256], want[128];
    int ok_escape = 1, ok_control = 1, ok_del = 1;

    for (at = 0; at < n; at++) {
        geotag_page_facts f = {0};
        /* an escaped quote at 'at' */
        snprintf(json, sizeof(json),
                 "{\"@type\":\"NewsArticle\",\"headline\":\"%.*s\\\"%s\"}",
                 (int)at, plain, plain + at);
        snprintf(want, sizeof(want), "%.*s\"%s", (int)at, plain, plain + at);
        if (!scan(json, &f) || !f.headline || strcmp(f.headline, want) != 0)
            ok_escape = 0;
        /* a raw control character at 'at': not JSON */
        memset(&f, 0, sizeof(f));
        snprintf(json, sizeof(json),
                 "{\"@type\":\"NewsArticle\",\"headline\":\"%.*s\x1f%s\"}",
                 (int)at, plain, plain + at);
        if (scan(json, &f))
            ok_control = 0;
        /* DEL and bytes >= 0x80 are plain string bytes */
        memset(&f, 0, sizeof(f));
        snprintf(json, sizeof(json),
                 "{\"@type\":\"NewsArticle\",\"headline\":\"%.*s\x7f\xc3\xa8%s\"}",
                 (int)at, plain, plain + at);
        snprintf(want, sizeof(want), "%.*s\x7f\xc3\xa8%s", (int)at, plain,
                 plain + at);
        if (!scan(json, &f) || !f.headline || strcmp(f.headline, want) != 0)
            ok_del = 0;
    }
    ok(ok_escape, "an escaped quote at any position of a long string is read");
    ok(ok_control, "a raw control character at any position is refused");
    ok(ok_del, "DEL and UTF-8 at any position are kept as they are");
}

static void test_reader_depth(void)
{
    geotag_page_facts f = {0};
    char *deep = apr_palloc(pool, 2001 + 64);
    int i;

    for (i = 0; i < 1000; i++) {
        deep[i] = '[';
        deep[1000 + i] = ']';
    }
    deep[2000] = '\0';
    is_int(scan(deep, &f), 0, "1000 nested arrays rejected without a crash");

    for (i = 0; i < 64; i++) {
        deep[i] = '[';
        deep[64 + i] = ']';
    }
    deep[128] = '\0';
    is_int(scan(deep, &f), 1, "64 levels accepted");

    for (i = 0; i < 65; i++) {
        deep[i] = '[';
        deep[65 + i] = ']';
    }
    deep[130] = '\0';
    is_int(scan(deep, &f), 0, "65 levels rejected");

    {
        apr_array_header_t *b = apr_array_make(pool, 8192, 1);
        const char *head = "{\"@type\":\"NewsArticle\",\"@id\":\"deep\",\"x\":";
        push_bytes(b, head, strlen(head));
        for (i = 0; i < 1000; i++)
            push_bytes(b, "{\"a\":", 5);
        *(char *)apr_array_push(b) = '1';
        for (i = 0; i < 1001; i++)
            *(char *)apr_array_push(b) = '}';
        memset(&f, 0, sizeof(f));
        is_int(geotag_jsonld_scan(pool, b->elts, (apr_size_t)b->nelts, &f), 0,
               "article with 1000 nested objects in a property rejected");
        is_int(f.found_article, 0, "... and nothing merged");
    }
}

static void test_reader_merge(void)
{
    geotag_page_facts f = {0};

    scan("{\"@type\":\"NewsArticle\",\"headline\":\"First\","
         "\"mainEntityOfPage\":\"https://e.org/a\"}", &f);
    is_int(f.found_article, 1, "merge: block 1 article without @id");
    ok(f.article_id == NULL, "merge: no @id yet");
    scan("{\"@graph\":[{\"@type\":\"WebPage\",\"@id\":\"https://e.org/a\"},"
         "{\"@type\":\"Article\",\"@id\":\"https://e.org/a#article\","
         "\"headline\":\"Second\",\"inLanguage\":\"en\"}]}", &f);
    is_str(f.article_id, "https://e.org/a#article",
           "merge: an article with @id wins over one without");
    ok(n_types(&f) == 1 && strcmp(type_at(&f, 0), "Article") == 0,
       "merge: its @type replaces the id-less one's");
    is_str(f.headline, "First", "merge: headline already set is kept");
    is_str(f.in_language, "en", "merge: missing inLanguage filled");
    scan("{\"@type\":\"NewsArticle\",\"@id\":\"https://e.org/other#article\"}",
         &f);
    is_str(f.article_id, "https://e.org/a#article",
           "merge: the first article with @id stays");
    is_str(type_at(&f, 0), "Article", "merge: and so do its types");

    memset(&f, 0, sizeof(f));
    scan("{\"@graph\":[{\"@type\":\"Article\"},"
         "{\"@type\":\"NewsArticle\",\"@id\":\"X\"},"
         "{\"@type\":\"NewsArticle\",\"@id\":\"Y\"}]}", &f);
    is_str(f.article_id, "X", "one block: first article with @id wins");
}

/* ------------------------------------------------------------------ */
/* writer                                                              */
/* ------------------------------------------------------------------ */

static void test_append_string(void)
{
    is_str(json_literal("a\"b\\c\n\r\t\b\f\x01\x1f\x7f", 13),
           "\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u001f\\u007f\"",
           "append_string: quotes, backslash, controls, DEL");
    is_str(json_literal("</script><!--&", 14),
           "\"\\u003c/script\\u003e\\u003c!--\\u0026\"",
           "append_string: < > & always escaped");
    is_str(json_literal("\xe2\x80\xa8\xe2\x80\xa9", 6), "\"\\u2028\\u2029\"",
           "append_string: U+2028 U+2029");
    is_str(json_literal("\xc3\xa7\xf0\x9f\x98\x80", 6),
           "\"\\u00e7\\ud83d\\ude00\"",
           "append_string: BMP and astral (surrogate pair)");
    is_str(json_literal("a\xff" "b\xc0\xaf\xed\xa0\x80\xe2\x82", 10),
           "\"a\\ufffdb\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"",
           "append_string: invalid, overlong, surrogate, truncated UTF-8");
    is_str(json_literal("x\0y", 3), "\"x\\u0000y\"",
           "append_string: embedded NUL within len");
    is_str(json_literal(NULL, 0), "\"\"", "append_string: empty");
}

static void test_writer_exact(const geotag_gazetteer *g)
{
    static const char *const article[] = {"NewsArticle"};
    static const char *const two[] = {"NewsArticle", "AnalysisNewsArticle"};
    static const int about[] = {E_PUTIN};
    static const int mentions[] = {E_USA};
    static const int treaty_mentions[] = {E_TREATY, E_CURACAO};
    geotag_figure_fact figs[3];
    geotag_document d;
    apr_size_t len;
    char *out;

    memset(&d, 0, sizeof(d));
    d.lang = "it";
    d.subject_id = "https://example.org/a/#article";
    d.subject_types = article;
    d.n_subject_types = 1;
    d.about = about;
    d.n_about = 1;
    d.mentions = mentions;
    d.n_mentions = 1;
    figs[0] = figure(GEOTAG_FIGURE_PERCENT, "30", NULL, NULL);
    d.figures = figs;
    d.n_figures = 1;
    out = geotag_jsonld_write(pool, g, &d, &len);
    is_str(out,
           SCRIPT_OPEN
           "{\"@context\":\"https://schema.org\",\"@graph\":["
           "{\"@id\":\"https://example.org/a/#article\",\"@type\":\"NewsArticle\","
           "\"about\":[{\"@id\":\"http://www.wikidata.org/entity/Q7747\"}],"
           "\"mentions\":[{\"@id\":\"http://www.wikidata.org/entity/Q30\"},"
           "{\"@type\":\"QuantitativeValue\",\"value\":30,\"unitCode\":\"P1\","
           "\"unitText\":\"%\"}]},"
           "{\"@id\":\"http://www.wikidata.org/entity/Q7747\",\"@type\":\"Person\","
           "\"name\":\"Vladimir Putin\",\"sameAs\":["
           "\"https://www.wikidata.org/wiki/Q7747\","
           "\"https://it.wikipedia.org/wiki/Vladimir_Putin\"]},"
           "{\"@id\":\"http://www.wikidata.org/entity/Q30\",\"@type\":\"Country\","
           "\"name\":\"Stati Uniti\",\"sameAs\":["
           "\"https://www.wikidata.org/wiki/Q30\","
           "\"https://it.wikipedia.org/wiki/Stati_Uniti_d'America\"]}"
           "]}</script>",
           "exact bytes: article subject, about, mentions, percent figure");
    is_int((long long)len, (long long)strlen(out), "*len is the length");
    is_str(geotag_jsonld_write(pool, g, &d, NULL), out,
           "deterministic: same document, same bytes (len may be NULL)");

    memset(&d, 0, sizeof(d));
    d.lang = "it-IT";
    d.subject_id = "https://example.org/b/";
    d.mentions = treaty_mentions;
    d.n_mentions = 2;
    figs[0] = figure(GEOTAG_FIGURE_MONEY, "60000000000", NULL, "USD");
    figs[1] = figure(GEOTAG_FIGURE_NUMBER, "2800000", "proiettili", NULL);
    figs[2] = figure(GEOTAG_FIGURE_DATE, "2024", NULL, NULL);
    d.figures = figs;
    d.n_figures = 3;
    out = geotag_jsonld_write(pool, g, &d, &len);
    is_str(out,
           SCRIPT_OPEN
           "{\"@context\":\"https://schema.org\",\"@graph\":["
           "{\"@id\":\"https://example.org/b/\",\"@type\":\"WebPage\","
           "\"mentions\":[{\"@id\":\"http://www.wikidata.org/entity/Q000001\"},"
           "{\"@id\":\"http://www.wikidata.org/entity/Q25279\"},"
           "{\"@type\":\"MonetaryAmount\",\"value\":60000000000,\"currency\":\"USD\"},"
           "{\"@type\":\"QuantitativeValue\",\"value\":2800000,"
           "\"unitText\":\"proiettili\"}]},"
           "{\"@id\":\"http://www.wikidata.org/entity/Q000001\","
           "\"@type\":\"Legislation\",\"name\":\"Russia\\u2013North Korea "
           "Comprehensive Strategic Partnership Treaty\","
           "\"legislationType\":\"trattato\",\"legislationDate\":\"2024-06-19\","
           "\"sameAs\":[\"https://www.wikidata.org/wiki/Q000001\"]},"
           "{\"@id\":\"http://www.wikidata.org/entity/Q25279\",\"@type\":\"Country\","
           "\"name\":\"Cura\\u00e7ao\",\"sameAs\":["
           "\"https://www.wikidata.org/wiki/Q25279\","
           "\"https://it.wikipedia.org/wiki/Cura%C3%A7ao\"]}"
           "]}</script>",
           "exact bytes: WebPage fallback, treaty, money and number, date skipped");

    memset(&d, 0, sizeof(d));
    d.lang = "en";
    d.subject_id = "https://e.org/x#a";
    d.subject_types = two;
    d.n_subject_types = 2;
    out = geotag_jsonld_write(pool, g, &d, &len);
    is_str(out,
           SCRIPT_OPEN
           "{\"@context\":\"https://schema.org\",\"@graph\":["
           "{\"@id\":\"https://e.org/x#a\","
           "\"@type\":[\"NewsArticle\",\"AnalysisNewsArticle\"]}]}</script>",
           "exact bytes: type array, empty about and mentions omitted");
}

static void test_writer_figures(const geotag_gazetteer *g)
{
    geotag_figure_fact figs[20];
    geotag_document d;
    char *out;
    int i;

    memset(&d, 0, sizeof(d));
    d.lang = "it";
    d.subject_id = "https://e.org/f";
    figs[0] = figure(GEOTAG_FIGURE_NUMBER, "100000", NULL, NULL);      /* no unit */
    figs[1] = figure(GEOTAG_FIGURE_MONEY, "5", NULL, NULL);            /* no currency */
    figs[2] = figure(GEOTAG_FIGURE_MONEY, "5", NULL, "usd");           /* not ISO */
    figs[3] = figure(GEOTAG_FIGURE_PERCENT, "1,5", NULL, NULL);
    figs[4] = figure(GEOTAG_FIGURE_PERCENT, "007", NULL, NULL);
    figs[5] = figure(GEOTAG_FIGURE_PERCENT, "1e5", NULL, NULL);
    figs[6] = figure(GEOTAG_FIGURE_PERCENT, "", NULL, NULL);
    figs[7] = figure(GEOTAG_FIGURE_PERCENT, "2.", NULL, NULL);
    figs[8] = figure(GEOTAG_FIGURE_DATE, "2024-06-19", NULL, NULL);
    d.figures = figs;
    d.n_figures = 9;
    out = geotag_jsonld_write(pool, g, &d, NULL);
    ok(strstr(out, "mentions") == NULL,
       "figures without clear unit/currency or plain value: none written");

    figs[0] = figure(GEOTAG_FIGURE_PERCENT, "0.5", NULL, NULL);
    figs[1] = figure(GEOTAG_FIGURE_NUMBER, "10000", "soldati nordcoreani", NULL);
    d.n_figures = 2;
    out = geotag_jsonld_write(pool, g, &d, NULL);
    ok(strstr(out, "\"mentions\":[{\"@type\":\"QuantitativeValue\",\"value\":0.5,"
                   "\"unitCode\":\"P1\",\"unitText\":\"%\"},"
                   "{\"@type\":\"QuantitativeValue\",\"value\":10000,"
                   "\"unitText\":\"soldati nordcoreani\"}]") != NULL,
       "figures only: mentions holds the figure nodes");

    for (i = 0; i < 20; i++)
        figs[i] = figure(GEOTAG_FIGURE_PERCENT, i % 2 ? "12" : "bad", NULL, NULL);
    d.n_figures = 20;
    out = geotag_jsonld_write(pool, g, &d, NULL);
    is_int(count_of(out, "QuantitativeValue"), 10, "valid figures: at most 10");
}

static void test_writer_hostile(const geotag_gazetteer *g)
{
    static const char *const types[] = {"NewsArticle", NULL, ""};
    static const int about[] = {E_PUTIN, E_KIM, E_PUTIN};
    static const int mentions[] = {E_USA, E_TREATY, E_CURACAO, E_NASTY,
                                   E_INVALID, E_PARIS, E_NATO, E_NO_ID, 42,
                                   -1, E_USA, E_PUTIN, E_KIM};
    geotag_figure_fact figs[1];
    geotag_document d;
    geotag_page_facts f = {0};
    apr_size_t len, ilen;
    char *out, *json, *names;
    const char *after_open;

    memset(&d, 0, sizeof(d));
    d.lang = "it";
    d.subject_id = "https://e.org/h/#article";
    d.subject_types = types;
    d.n_subject_types = 3;
    d.about = about;
    d.n_about = 3;
    d.mentions = mentions;
    d.n_mentions = (int)(sizeof(mentions) / sizeof(mentions[0]));
    figs[0] = figure(GEOTAG_FIGURE_NUMBER, "3", "<b>\xe2\x80\xa8</b>", NULL);
    d.figures = figs;
    d.n_figures = 1;
    out = geotag_jsonld_write(pool, g, &d, &len);
    json = inner_json(out, &ilen);

    ok(is_ascii(out, len), "output is printable ASCII only");
    ok(strncmp(out, SCRIPT_OPEN, strlen(SCRIPT_OPEN)) == 0,
       "output opens with our script tag");
    after_open = out + strlen(SCRIPT_OPEN);
    ok(strchr(after_open, '<') == after_open + ilen &&
       strcmp(after_open + ilen, "</script>") == 0,
       "no '<' in the JSON: the only one left is our closing tag");
    ok(strstr(out, "\\u003c/script\\u003e\\u003c!--\\u003cscript\\u003e\\u2028")
           != NULL, "hostile name escaped as \\u003c... \\u2028");
    is_str(json_literal(NASTY_NAME, strlen(NASTY_NAME)),
           "\"\\u003c/script\\u003e\\u003c!--\\u003cscript\\u003e\\u2028|\\u2029 "
           "\\ud83d\\ude00 \\u0026 \\\"q\\\" \\\\ \\u0001\\t\"",
           "hostile name: exact escaping");

    is_int(count_of(out, "\"@id\":\"http://www.wikidata.org/entity/Q7747\""), 2,
           "repeated index: one reference, one node");
    is_int(count_of(out, "\"@id\":\"http://www.wikidata.org/entity/Q30\""), 2,
           "repeated mention: one reference, one node");
    is_int(count_of(out, "\"@id\":\"http://www.wikidata.org/entity/Q56226\""), 2,
           "about entity repeated in mentions: only in about");
    ok(strstr(out, "\"about\":[{\"@id\":\"http://www.wikidata.org/entity/Q7747\"},"
                   "{\"@id\":\"http://www.wikidata.org/entity/Q56226\"}],") != NULL,
       "about: first-occurrence order, no duplicates");
    ok(strstr(out, "\"@type\":\"NewsArticle\",\"about\"") != NULL,
       "NULL and empty subject types dropped: single string");
    ok(strstr(out, "\"name\":\"Kim Jong-un\",\"sameAs\":["
                   "\"https://www.wikidata.org/wiki/Q56226\","
                   "\"https://en.wikipedia.org/wiki/Kim_Jong_Un\"]") != NULL,
       "no Italian label: English name and en.wikipedia");
    ok(strstr(out, "\"name\":\"Paris\",\"sameAs\":["
                   "\"https://www.wikidata.org/wiki/Q90\","
                   "\"https://fr.wikipedia.org/wiki/Paris\"]") != NULL,
       "neither it nor en: the first label and its language's Wikipedia");
    ok(strstr(out, "\"name\":\"NATO\",\"sameAs\":["
                   "\"https://www.wikidata.org/wiki/Q7184\","
                   "\"https://it.wikipedia.org/wiki/NATO\"]") != NULL,
       "label without language: page language's Wikipedia");
    ok(strstr(out, "\"https://it.wikipedia.org/wiki/"
                   "A_b%22%3C%3E%3F\\u0026%25%5E%60%7B%7C%7D%01\"") != NULL,
       "Wikipedia title percent-encoded; '&' JSON-escaped");
    ok(strstr(out, "\"name\":\"bad \\ufffd\\ufffd\\ufffd end\"") != NULL,
       "invalid UTF-8 name: U+FFFD per bad byte");
    ok(strstr(out, "entity/\"") == NULL && count_of(out, "Kim Jong-un") == 1 &&
       count_of(out, "\"@type\":\"Person\"") == 3,
       "out-of-range index and entity without id skipped");
    ok(strstr(out, "\"unitText\":\"\\u003cb\\u003e\\u2028\\u003c/b\\u003e\"")
           != NULL, "unit text escaped too");

    is_int(geotag_jsonld_scan(pool, json, ilen, &f), 1,
           "own strict reader parses the output back");
    is_str(f.article_id, "https://e.org/h/#article",
           "read back: subject @id");
    is_str(type_at(&f, 0), "NewsArticle", "read back: subject @type");

    /* without node these fail (node_parse -1, node_names NULL) */
    is_int(node_parse(json, ilen), 0, "node JSON.parse accepts the output");
    is_int(node_parse("{\"a\":1,}", 8), 1,
           "node JSON.parse check itself rejects invalid JSON");
    names = node_names(json, ilen);
    is_str(names,
           "Vladimir Putin\nKim Jong-un\nStati Uniti\n" TREATY_NAME "\n"
           "Cura\xc3\xa7" "ao\n" NASTY_NAME "\n"
           "bad \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd end\nParis\nNATO\n",
           "node decodes every name back to the gazetteer's UTF-8");
}

static void test_round_trip(void)
{
    static const char *const samples[] = {
        NASTY_NAME,
        "Stati Uniti d'America",
        "\xe2\x80\xa8\xe2\x80\xa9\xf0\x9f\x87\xae\xf0\x9f\x87\xb9 Cura\xc3\xa7\x61o",
        "</SCRIPT ><!-- -->\x7f",
    };
    size_t i;
    int ok_all = 1, node_ok = 1;

    for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
        const char *lit = json_literal(samples[i], strlen(samples[i]));
        const char *block = apr_pstrcat(pool, "{\"@type\":\"NewsArticle\","
                                        "\"headline\":", lit, "}", NULL);
        geotag_page_facts f = {0};
        if (geotag_jsonld_scan(pool, block, strlen(block), &f) != 1 ||
            f.headline == NULL || strcmp(f.headline, samples[i]) != 0) {
            ok_all = 0;
            tap_diag("round trip failed: %s", lit);
        }
        if (strchr(lit, '<') || !is_ascii(lit, strlen(lit)))
            ok_all = 0;
        if (node_parse(block, strlen(block)) != 0)
            node_ok = 0;
    }
    ok(ok_all, "escaped strings are ASCII without '<' and read back unchanged");
    ok(node_ok, "node accepts every escaped sample");
}

/* The nodes rendered once at load (geotag_jsonld_prepare) are the nodes
 * rendered per page: the same block for every page language, including
 * one no label has and a label without a language. */
static void test_writer_prepared(const geotag_gazetteer *g)
{
    static const char *const article[] = {"NewsArticle"};
    static const char *const langs[] = {"it", "en", "it-IT", "fr", "", NULL};
    geotag_gazetteer *copy = apr_pcalloc(pool, sizeof(*copy));
    int *all = apr_palloc(pool, sizeof(int) * (size_t)g->entities->nelts);
    int i, l, prepared = 0;
    geotag_document d;

    copy->entities = apr_array_copy(pool, g->entities);
    for (i = 0; i < copy->entities->nelts; i++) {
        geotag_entity *e = &((geotag_entity *)copy->entities->elts)[i];
        geotag_label *labels = apr_pmemdup(pool, e->labels,
                                           sizeof(*labels) * (size_t)e->n_labels);
        e->labels = labels;
        all[i] = i;
    }
    geotag_jsonld_prepare(pool, copy);
    for (i = 0; i < copy->entities->nelts; i++) {
        const geotag_entity *e = &((const geotag_entity *)copy->entities->elts)[i];
        for (l = 0; l < e->n_labels; l++)
            prepared += e->labels[l].jsonld != NULL;
    }
    ok(prepared > 5, "prepare rendered the labels with a language (%d)", prepared);

    memset(&d, 0, sizeof(d));
    d.subject_id = "https://example.org/a/#article";
    d.subject_types = article;
    d.n_subject_types = 1;
    d.mentions = all;
    d.n_mentions = g->entities->nelts;
    for (l = 0; l < (int)(sizeof(langs) / sizeof(langs[0])); l++) {
        char *want, *got;
        d.lang = langs[l];
        want = geotag_jsonld_write(pool, g, &d, NULL);
        got = geotag_jsonld_write(pool, copy, &d, NULL);
        is_str(got, want, "prepared nodes = rendered nodes");
    }
}

/* The subject @id a session writes for a page whose article node has
 * the @id article_id, served at url. */
static const char *subject_of(const geotag_engine *engine,
                              const char *article_id, const char *url)
{
    geotag_options options;
    geotag_session *s;
    geotag_document doc;
    const char *page = apr_psprintf(pool,
        "<html><head><script type=\"application/ld+json\">"
        "{\"@type\":\"NewsArticle\",\"@id\":\"%s\"}</script></head>"
        "<body><article><p>Russia</p></article></body></html>", article_id);

    geotag_options_default(&options);
    options.url = url;
    s = geotag_session_create(pool, engine, &options);
    geotag_session_feed(s, page, strlen(page));
    geotag_session_finish(s);
    doc = *geotag_session_doc(s);
    return doc.subject_id;
}

static void test_subject_iri(void)
{
    static const char *const cases[][2] = {
        /* dot segments removed (RFC 3986 5.2.4) */
        {"../a/./b", "https://example.org/x/a/b"},
        {"./c/../d", "https://example.org/x/y/d"},
        {"e", "https://example.org/x/y/e"},
        {"/f", "https://example.org/f"},
        {"//other.example/g", "https://other.example/g"},
        {"#h", "https://example.org/x/y/z#h"},
        {"https://example.net/i/../j", "https://example.net/i/../j"},
        {"urn:uuid:1", "urn:uuid:1"},
    };
    const char *files[] = {"conf/gazetteer.xml"};
    const char *error = NULL;
    geotag_engine *engine = geotag_engine_load(pool, "conf/gazetteer.rng", "conf/lang",
                                               files, 1, &error);
    apr_size_t i;

    if (!ok(engine != NULL, "engine loads (%s)", error ? error : "ok"))
        return;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        is_str(subject_of(engine, cases[i][0], "https://example.org/x/y/z"),
               cases[i][1], apr_psprintf(pool, "@id \"%s\" against "
                                         "https://example.org/x/y/z",
                                         cases[i][0]));
    is_str(subject_of(engine, "../k", NULL), "../k",
           "without a page URL a relative @id stays as written");
}

int main(void)
{
    geotag_gazetteer *g;

    apr_initialize();
    apr_pool_create(&pool, NULL);
    signal(SIGPIPE, SIG_IGN);
    (void)tap_plan; /* the count is computed: tap_done() prints the plan */
    /* node checks the JSON-LD as a browser would read it: without it
     * those checks fail (make test installs Debian's nodejs, t/deps.sh) */
    have_node = system("command -v node >/dev/null 2>&1") == 0;
    if (!have_node)
        tap_diag("node not found: its checks fail (apt-get install nodejs, "
                 "or run make test as root: t/deps.sh test installs it)");

    test_reader_seed();
    test_reader_shapes();
    test_reader_invalid();
    test_reader_wrappers();
    test_reader_escapes();
    test_reader_long_strings();
    test_reader_depth();
    test_reader_merge();

    g = make_gazetteer();
    test_append_string();
    test_writer_exact(g);
    test_writer_figures(g);
    test_writer_hostile(g);
    test_writer_prepared(g);
    test_round_trip();
    test_subject_iri();

    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
