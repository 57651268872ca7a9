/*
 * test_scope.c: the scope module alone, fed tags by hand.
 *
 * The scope opens at the first element a rule matches and closes with it;
 * page-level headers, navigation and no-go elements inside it are not
 * taggable; opt-outs count by element name; a second top-level <article>
 * is a listing, unless it is a teaser (in a <section> or a cue's element
 * opened after the first ended); the hold budget and the decision on held
 * edits.
 */
#include <stdarg.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "scope.h"
#include "tap.h"

static apr_pool_t *pool;

/* A tag as the lexer reports it: name, end or not, attributes as
 * "name", "value" pairs (NULL-terminated). */
static geotag_tag *tag_of(const char *name, int is_end, ...)
{
    geotag_tag *t = apr_pcalloc(pool, sizeof(*t));
    va_list ap;
    const char *a;

    apr_cpystrn(t->name, name, sizeof(t->name));
    t->element = geotag_element_lookup(name, strlen(name));
    t->is_end = is_end;
    va_start(ap, is_end);
    while ((a = va_arg(ap, const char *)) != NULL &&
           t->n_attrs < GEOTAG_TAG_ATTR_MAX) {
        const char *v = va_arg(ap, const char *);
        geotag_attr *at = &t->attrs[t->n_attrs++];
        at->name = a;
        at->name_len = strlen(a);
        at->value = v;
        at->value_len = strlen(v);
    }
    va_end(ap);
    return t;
}

#define OPEN(n, ...) tag_of(n, 0, ##__VA_ARGS__, NULL)
#define CLOSE(n) tag_of(n, 1, NULL)

static int feed(geotag_scope *sc, const geotag_tag *t)
{
    return geotag_scope_tag(sc, t, 1);
}

static void test_default_rules(void)
{
    geotag_scope sc;

    geotag_scope_init(&sc, pool, NULL, 0, 1000, NULL, 0);
    feed(&sc, OPEN("body"));
    ok(!geotag_scope_taggable(&sc) && !geotag_scope_seen(&sc),
       "before the article: nothing is taggable");
    feed(&sc, OPEN("article"));
    ok(geotag_scope_taggable(&sc) && geotag_scope_seen(&sc),
       "<article> opens the scope");
    ok(geotag_scope_undecided(&sc), "...and the listing question");
    feed(&sc, OPEN("nav"));
    ok(!geotag_scope_taggable(&sc), "<nav> inside it is excluded");
    feed(&sc, CLOSE("nav"));
    ok(geotag_scope_taggable(&sc), "after </nav> the scope is back");
    feed(&sc, OPEN("a", "href", "/x"));
    ok(!geotag_scope_taggable(&sc), "<a> is a no-go element");
    feed(&sc, CLOSE("a"));
    feed(&sc, OPEN("h1"));
    ok(geotag_scope_in_headline(&sc),
       "the first <h1> in scope is the headline");
    feed(&sc, CLOSE("h1"));
    ok(!geotag_scope_in_headline(&sc) && geotag_scope_headline_done(&sc),
       "</h1> ends it, once");
    feed(&sc, OPEN("h1"));
    ok(!geotag_scope_in_headline(&sc), "a second <h1> is no headline");
    feed(&sc, CLOSE("h1"));
    is_int(feed(&sc, CLOSE("article")), 0,
           "an <article> scope ending does not decide the listing question");
    ok(!geotag_scope_taggable(&sc) && geotag_scope_seen(&sc),
       "</article> closes the scope; it was seen");
    feed(&sc, OPEN("article"));
    ok(!geotag_scope_taggable(&sc), "the scope opens only once");
}

static void test_main_decides(void)
{
    geotag_scope sc;

    geotag_scope_init(&sc, pool, NULL, 0, 1000, NULL, 0);
    feed(&sc, OPEN("header"));
    feed(&sc, OPEN("main"));
    ok(!geotag_scope_taggable(&sc), "no scope opens inside a page header");
    feed(&sc, CLOSE("main"));
    feed(&sc, CLOSE("header"));
    feed(&sc, OPEN("div", "role", "banner main"));
    ok(geotag_scope_taggable(&sc), "[role=main] matches a word of the value");
    feed(&sc, OPEN("div"));
    feed(&sc, CLOSE("div"));
    ok(geotag_scope_taggable(&sc), "a nested element of the same name nests");
    feed(&sc, OPEN("footer"));
    ok(geotag_scope_taggable(&sc),
       "a footer in a [role=main] scope is the article's own");
    feed(&sc, CLOSE("footer"));
    is_int(feed(&sc, CLOSE("div")), GEOTAG_SCOPE_DECIDED,
           "the end of a non-article scope decides: no listing");

    geotag_scope_init(&sc, pool, NULL, 0, 1000, NULL, 0);
    feed(&sc, OPEN("main"));
    feed(&sc, OPEN("footer"));
    ok(!geotag_scope_taggable(&sc), "a footer in a <main> scope is page-level");
}

static void test_rules_and_optout(void)
{
    geotag_scope sc;
    int n;
    const char *error = NULL;
    geotag_scope_rule *rules =
        geotag_scope_parse(pool, "Section[data-kind=Story]", &n, &error);

    if (!ok(rules != NULL && n == 1, "a rule parses"))
        return;
    is_str(rules[0].element, "section", "its element, lower case");
    is_str(rules[0].attribute, "data-kind", "its attribute");
    ok(geotag_scope_parse(pool, "[role", &n, &error) == NULL && error,
       "an unclosed rule is an error");
    ok(geotag_scope_parse(pool, "  ", &n, &error) == NULL,
       "an empty scope is an error");

    geotag_scope_init(&sc, pool, rules, n, 1000, NULL, 0);
    feed(&sc, OPEN("article"));
    ok(!geotag_scope_taggable(&sc), "custom rules replace the defaults");
    feed(&sc, OPEN("section", "data-kind", "brief"));
    ok(!geotag_scope_taggable(&sc), "the attribute must hold the word");
    feed(&sc, OPEN("section", "data-kind", "story"));
    ok(geotag_scope_taggable(&sc), "...any case");

    is_int(geotag_scope_optout_open(&sc, OPEN("div", "class", "x geotag-off")),
           0, "class=geotag-off is an opt-out, not our markup");
    feed(&sc, OPEN("div"));
    ok(!geotag_scope_taggable(&sc), "inside it nothing is taggable");
    geotag_scope_optout_open(&sc, OPEN("div"));
    geotag_scope_optout_close(&sc, CLOSE("div"));
    ok(!geotag_scope_taggable(&sc), "an inner element of the name nests");
    geotag_scope_optout_close(&sc, CLOSE("div"));
    ok(geotag_scope_taggable(&sc), "the opt-out ends with its element");
    is_int(geotag_scope_optout_open(&sc, OPEN("span", "data-geotag", "Q1")), 1,
           "data-geotag other than off: the page carries our markup");
}

static void test_listing_and_hold(void)
{
    geotag_scope sc;

    geotag_scope_init(&sc, pool, NULL, 0, 100, NULL, 0);
    is_int(geotag_scope_held_from(&sc), -1, "nothing held before the scope");
    is_int(geotag_scope_article(&sc, OPEN("article")), 0,
           "the first top-level article is no listing");
    feed(&sc, OPEN("article"));
    geotag_scope_hold(&sc, 50);
    geotag_scope_hold(&sc, 70);
    is_int(geotag_scope_held_from(&sc), 50,
           "the hold starts at the first edit");
    ok(!geotag_scope_hold_expired(&sc, 150), "100 bytes on: still held");
    ok(geotag_scope_hold_expired(&sc, 151), "past the budget: expired");
    is_int(geotag_scope_article(&sc, OPEN("article")), 0,
           "a nested article is no listing");
    feed(&sc, OPEN("article"));
    feed(&sc, CLOSE("article"));
    feed(&sc, CLOSE("article"));
    is_int(geotag_scope_article(&sc, OPEN("article")), GEOTAG_SCOPE_SIBLING,
           "a second top-level article beside the first: a listing");
    is_int(geotag_scope_decide(&sc), 1, "deciding ends the doubt");
    is_int(geotag_scope_decide(&sc), 0, "...once");
    ok(!geotag_scope_undecided(&sc) && geotag_scope_held_from(&sc) == -1,
       "nothing is held after the decision");

    geotag_scope_init(&sc, pool, NULL, 0, 100, NULL, 0);
    feed(&sc, OPEN("nav"));
    is_int(geotag_scope_article(&sc, OPEN("article")), 0,
           "articles in navigation are not counted");
    is_int(geotag_scope_article(&sc, OPEN("article")), 0, "(teasers)");
}

/* Feeds a whole element: start tag, end tag. */
static void element(geotag_scope *sc, const char *name)
{
    geotag_scope_article(sc, OPEN(name));
    feed(sc, OPEN(name));
    feed(sc, CLOSE(name));
}

/* A later top-level article: what geotag_scope_article says, then it is
 * opened (and left open). */
static int later(geotag_scope *sc, const geotag_tag *tag)
{
    int kind = geotag_scope_article(sc, tag);
    feed(sc, tag);
    return kind;
}

static const char *const cues[] = {"related", "leggi-anche"};

static void test_teasers(void)
{
    geotag_scope sc;
    int n;
    const char *error = NULL;
    geotag_scope_rule *rules = geotag_scope_parse(pool, "main", &n, &error);

    geotag_scope_init(&sc, pool, NULL, 0, 100, cues, 2);
    element(&sc, "article");
    feed(&sc, OPEN("section"));
    is_int(later(&sc, OPEN("article")), GEOTAG_SCOPE_TEASER,
           "an article in a <section> opened after the first: a teaser");
    feed(&sc, CLOSE("article"));
    is_int(later(&sc, OPEN("article")), GEOTAG_SCOPE_TEASER,
           "...and the next one in it");
    feed(&sc, CLOSE("article"));
    feed(&sc, CLOSE("section"));
    is_int(geotag_scope_teasers(&sc), 2, "teasers are counted");
    is_int(later(&sc, OPEN("article")), GEOTAG_SCOPE_SIBLING,
           "after </section>: a sibling");

    geotag_scope_init(&sc, pool, NULL, 0, 100, cues, 2);
    feed(&sc, OPEN("section"));
    element(&sc, "article");
    is_int(later(&sc, OPEN("article")), GEOTAG_SCOPE_SIBLING,
           "in the <section> around the first article too: a sibling");

    geotag_scope_init(&sc, pool, NULL, 0, 100, cues, 2);
    feed(&sc, OPEN("section"));
    element(&sc, "article");
    feed(&sc, CLOSE("section"));
    feed(&sc, OPEN("section"));
    feed(&sc, OPEN("section"));
    feed(&sc, CLOSE("section"));
    is_int(later(&sc, OPEN("article")), GEOTAG_SCOPE_TEASER,
           "in a later <section>, its inner ones closed: a teaser");
    feed(&sc, OPEN("section"));
    feed(&sc, CLOSE("section"));
    feed(&sc, CLOSE("article"));
    feed(&sc, CLOSE("section"));
    is_int(later(&sc, OPEN("article")), GEOTAG_SCOPE_SIBLING,
           "a section inside the teaser nests; after the later one ends: a "
           "sibling");

    geotag_scope_init(&sc, pool, NULL, 0, 100, cues, 2);
    element(&sc, "article");
    feed(&sc, OPEN("div", "class", "box post-Related-list"));
    feed(&sc, OPEN("div"));
    feed(&sc, CLOSE("div"));
    is_int(later(&sc, OPEN("article")), GEOTAG_SCOPE_TEASER,
           "in an element whose class holds a cue (any case): a teaser");
    feed(&sc, CLOSE("article"));
    feed(&sc, CLOSE("div"));
    is_int(later(&sc, OPEN("article")), GEOTAG_SCOPE_SIBLING,
           "the cue's element ends with its own end tag");
    feed(&sc, CLOSE("article"));
    feed(&sc, OPEN("ul", "id", "leggi-anche"));
    is_int(later(&sc, OPEN("article")), GEOTAG_SCOPE_TEASER, "an id too");
    feed(&sc, CLOSE("article"));
    feed(&sc, CLOSE("ul"));
    feed(&sc, OPEN("li", "class", "related"));
    feed(&sc, OPEN("img", "class", "related"));
    is_int(later(&sc, OPEN("article")), GEOTAG_SCOPE_SIBLING,
           "not in an element that may stay open (<li>, a void element)");

    geotag_scope_init(&sc, pool, NULL, 0, 100, cues, 2);
    feed(&sc, OPEN("div", "class", "related"));
    element(&sc, "article");
    is_int(later(&sc, OPEN("article")), GEOTAG_SCOPE_SIBLING,
           "a cue's element around the first article: a sibling");

    geotag_scope_init(&sc, pool, NULL, 0, 100, NULL, 0);
    element(&sc, "article");
    feed(&sc, OPEN("div", "class", "related"));
    is_int(later(&sc, OPEN("article")), GEOTAG_SCOPE_SIBLING,
           "no cues: a sibling");

    geotag_scope_init(&sc, pool, rules, n, 100, cues, 2);
    feed(&sc, OPEN("main"));
    element(&sc, "article");
    feed(&sc, OPEN("section"));
    later(&sc, OPEN("article"));
    ok(!geotag_scope_taggable(&sc), "a teaser in the scope is not taggable");
    feed(&sc, CLOSE("article"));
    ok(geotag_scope_taggable(&sc), "...after it the scope is");
    is_int(later(&sc, OPEN("article")), GEOTAG_SCOPE_TEASER, "(teaser)");
    ok(!geotag_scope_decided(&sc) && geotag_scope_decide(&sc) &&
           geotag_scope_decided(&sc),
       "undecided until decided");
    feed(&sc, CLOSE("article"));
    feed(&sc, CLOSE("section"));
    feed(&sc, OPEN("section"));
    is_int(later(&sc, OPEN("article")), GEOTAG_SCOPE_SIBLING,
           "once decided, no container is followed");
    ok(!geotag_scope_taggable(&sc), "...and later articles stay untaggable");
}

static void test_names_cue(void)
{
    ok(geotag_names_cue("post RELATED-posts", 18, cues, 2),
       "a cue in a word, any case");
    ok(geotag_names_cue("x box-leggi-anche", 17, cues, 2), "the second cue");
    ok(!geotag_names_cue("relate", 6, cues, 2), "not a part of the cue");
    ok(!geotag_names_cue("related", 7, cues, 0), "no cues, no match");
}

static void test_has_word(void)
{
    ok(geotag_has_word("a  MAIN\tb", 9, "main"), "a word among others");
    ok(!geotag_has_word("mainly", 6, "main"), "not a prefix");
    ok(!geotag_has_word("xmain", 5, "main"), "not a suffix");
    ok(geotag_has_word("aaaaaaaaaaaaaaaa main", 21, "main"),
       "after a long run of other bytes");
    ok(!geotag_has_word("", 0, "main"), "not in nothing");
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_default_rules();
    test_main_decides();
    test_rules_and_optout();
    test_listing_and_hold();
    test_teasers();
    test_names_cue();
    test_has_word();
    return tap_done();
}
