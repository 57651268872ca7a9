/*
 * test_page.c: the page-facts module, driven by the lexer over small
 * pages (no gazetteer): charset, language, canonical link, title, the
 * page's own JSON-LD, the opt-outs of its head, the headline fallback, the
 * subject of the JSON-LD, and whether the page declares an article.
 */
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "lexer.h"
#include "page.h"
#include "tap.h"

static apr_pool_t *pool;

typedef struct {
    geotag_page page;
    geotag_page_event last; /* the last event other than OK */
} reader;

static void on_tag(void *baton, const geotag_tag *tag)
{
    reader *r = baton;
    geotag_page_event ev = GEOTAG_PAGE_OK;
    if (!tag->is_end)
        ev = geotag_page_tag(&r->page, tag);
    else
        geotag_page_end_tag(&r->page, tag);
    if (ev != GEOTAG_PAGE_OK)
        r->last = ev;
}

static void on_text(void *baton, apr_off_t offset, const char *data,
                    apr_size_t len, geotag_text_kind kind,
                    geotag_element container)
{
    reader *r = baton;
    geotag_page_text(&r->page, data, len, kind, container);
}

static void on_run_end(void *baton, apr_off_t offset)
{
}

static const geotag_lexer_handler handler = {on_tag, on_text, on_run_end};

/* Reads the page in chunks of 'chunk' bytes (0: whole). */
static reader *read_page(const char *html, const char *lang, apr_size_t chunk)
{
    static const char *const keep[] = {"lang",    "charset", "http-equiv",
                                       "content", "name",    "rel",
                                       "href",    "id",      "type"};
    reader *r = apr_pcalloc(pool, sizeof(*r));
    geotag_lexer *lx = geotag_lexer_create(pool, &handler, r);
    apr_size_t len = strlen(html), at, i;

    for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
        geotag_lexer_keep(lx, keep[i]);
    geotag_page_init(&r->page, pool, lang, 16, 4096, 64);
    if (!chunk)
        chunk = len;
    for (at = 0; at < len; at += chunk)
        geotag_lexer_feed(lx, html + at, len - at < chunk ? len - at : chunk);
    geotag_lexer_finish(lx);
    return r;
}

static void test_head(void)
{
    const char *html =
        "<html lang=\"it-IT\"><head><meta charset=\"windows-1252\">"
        "<title>Il vertice &amp; la Russia: un titolo lungo</title>"
        "<link rel=\"alternate canonical\" href=\"https://ex.org/a?b=1&amp;c=2\">"
        "<link rel=\"canonical\" href=\"https://ex.org/second\">"
        "</head><body><meta charset=\"utf-8\"><title>not this</title>"
        "<p>x</p></body></html>";
    reader *r = read_page(html, NULL, 5);
    const char *h;
    apr_size_t n;

    is_str(geotag_page_lang(&r->page), "it", "the language: primary subtag");
    ok(geotag_page_charset(&r->page) == GEOTAG_CHARSET_WINDOWS_1252,
       "the first <meta charset> decides, not one in the body");
    is_str(r->page.canonical, "https://ex.org/a?b=1&c=2",
           "the first canonical link, its &amp; decoded");
    ok(geotag_page_headline(&r->page, &h, &n), "a title: a headline");
    is_int((long long)n, 16, "the title is kept up to its cap");
    ok(n == 16 && memcmp(h, "Il vertice &amp;", 16) == 0,
       "...as written, from the head only");
    is_int(r->last, GEOTAG_PAGE_OK, "no event");

    r = read_page("<html lang=en><title>x</title></html>", "fr_CA", 0);
    is_str(geotag_page_lang(&r->page), "fr", "a forced language wins");
    r = read_page("<p>nothing</p>", NULL, 0);
    is_str(geotag_page_lang(&r->page), "", "no language: empty");
    ok(!geotag_page_headline(&r->page, &h, &n), "no title: no headline");
}

static void test_events(void)
{
    reader *r;

    r = read_page("<head><meta http-equiv=Content-Type "
                  "content=\"text/html; charset=koi8-r\"></head>",
                  NULL, 3);
    is_int(r->last, GEOTAG_PAGE_CHARSET, "an unreadable charset is an event");
    ok(r->page.refused_len == 6 && !memcmp(r->page.refused, "koi8-r", 6),
       "...naming the label");
    r = read_page("<head><meta name=geotag content=\"off\"></head>", NULL, 0);
    is_int(r->last, GEOTAG_PAGE_OPTED_OUT, "<meta name=geotag content=off>");
    r = read_page("<body><p>x</p><script id=\"geotag-jsonld\" "
                  "type=\"application/ld+json\">{}</script></body>",
                  NULL, 0);
    is_int(r->last, GEOTAG_PAGE_ALREADY, "our own block, even in the body");

    {
        geotag_page p;
        geotag_page_init(&p, pool, NULL, 16, 16, 16);
        is_int(geotag_page_set_charset(&p, "ISO-8859-1", 10), GEOTAG_PAGE_OK,
               "a header charset is read");
        ok(geotag_page_charset(&p) == GEOTAG_CHARSET_WINDOWS_1252,
           "latin-1 is read as windows-1252");
        is_int(geotag_page_set_charset(&p, "koi8-r", 6), GEOTAG_PAGE_OK,
               "a later label changes nothing");
    }
}

static void test_jsonld_and_subject(void)
{
    const char *html =
        "<html lang=en><head><link rel=canonical href=\"https://ex.org/news/a\">"
        "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\","
        "\"@id\":\"../a#article\",\"headline\":\"Putin meets Kim\"}</script>"
        "</head><body></body></html>";
    reader *r = read_page(html, NULL, 4);
    geotag_document doc;
    const char *h;
    apr_size_t n;

    ok(geotag_page_headline(&r->page, &h, &n) &&
           n == strlen("Putin meets Kim") && !memcmp(h, "Putin meets Kim", n),
       "the JSON-LD headline comes before the title");
    memset(&doc, 0, sizeof(doc));
    geotag_page_subject(&r->page, pool, "https://other.org/x", &doc);
    is_str(doc.subject_id, "https://ex.org/a#article",
           "the article @id, resolved against the canonical link");
    ok(doc.n_subject_types == 1 && !strcmp(doc.subject_types[0], "NewsArticle"),
       "its types");
    is_str(doc.lang, "en", "the language");

    r = read_page("<title>t</title><p>x</p>", NULL, 0);
    memset(&doc, 0, sizeof(doc));
    geotag_page_subject(&r->page, pool, "https://ex.org/p?q=1#f", &doc);
    is_str(doc.subject_id, "https://ex.org/p",
           "no article node: a WebPage at the url without query");
    ok(doc.n_subject_types == 1 && !strcmp(doc.subject_types[0], "WebPage"),
       "typed WebPage");
    is_str(doc.lang, "en", "no language: en");

    r = read_page("<script type=application/ld+json>{\"@type\":\"NewsArticle\","
                  "\"@id\":\"https://ex.org/b\", \"x\": \"" /* too long */
                  "0123456789012345678901234567890123456789012345678901234567"
                  "0123456789012345678901234567890123456789012345678901234567"
                  "\"}</script>",
                  NULL, 0);
    memset(&doc, 0, sizeof(doc));
    {
        geotag_page p;
        /* the same page, with a JSON-LD budget too small for the block */
        geotag_page_init(&p, pool, NULL, 16, 32, 64);
        p.in_jsonld = 1;
        geotag_page_text(
            &p, "{\"@type\":\"NewsArticle\",\"@id\":\"https://ex.org/b\"}", 49,
            GEOTAG_TEXT_RAWTEXT, GEOTAG_EL_SCRIPT);
        ok(p.jsonld_overflow, "a block over its budget is dropped");
    }
    geotag_page_subject(&r->page, pool, NULL, &doc);
    is_str(doc.subject_id, "https://ex.org/b", "a block within it is read");

    r = read_page("<link rel=canonical href=\"/news/c?x=1\"><p>x</p>", NULL, 0);
    memset(&doc, 0, sizeof(doc));
    geotag_page_subject(&r->page, pool, "https://ex.org/a/b", &doc);
    is_str(doc.subject_id, "https://ex.org/news/c?x=1",
           "a relative canonical link, made absolute against the url");
    r = read_page("<link rel=canonical href=\"c\"><meta property=og:url "
                  "content=\"https://og.org/d/e\">", NULL, 0);
    memset(&doc, 0, sizeof(doc));
    geotag_page_subject(&r->page, pool, "https://ex.org/a/b", &doc);
    is_str(doc.subject_id, "https://og.org/d/c", "...against og:url first");
}

static void test_declares_article(void)
{
    reader *r;

    r = read_page("<head><meta property=\"og:type\" content=\"article\">"
                  "</head>", NULL, 0);
    ok(geotag_page_declares_article(&r->page), "og:type article declares one");
    r = read_page("<meta name=og:type content=Article>", NULL, 0);
    ok(geotag_page_declares_article(&r->page),
       "...written with name=, in any case");
    r = read_page("<meta property=og:type content=website><script type="
                  "application/ld+json>{\"@type\":\"WebPage\"}</script>",
                  NULL, 0);
    ok(!geotag_page_declares_article(&r->page),
       "og:type website and a WebPage node do not");
    r = read_page("<body><p>x</p><script type=application/ld+json>"
                  "{\"@graph\":[{\"@type\":\"NewsArticle\"}]}</script>",
                  NULL, 3);
    ok(geotag_page_declares_article(&r->page),
       "an article node of its JSON-LD does, in the body too");
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_head();
    test_events();
    test_jsonld_and_subject();
    test_declares_article();
    return tap_done();
}
