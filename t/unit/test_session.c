/*
 * test_session.c: what a session costs when it has nothing to do.
 *
 * Logging: a message is formatted only when the consumer says it would
 * write it (log_is_level), so a server at warn pays nothing for the debug
 * lines; every message carries its own number.
 *
 * Bail-out: once the session gives up on a page (here an opt-out), feed()
 * returns at once: 10 MB more cost no lexing, and everything fed is stable
 * (the consumer may pass it on).
 *
 * The mention cap ends the markup, not the page: the JSON-LD block still
 * goes at </body> with the entities found (the 500 KB bench page lost it).
 *
 * The entity cap met in text while a role phrase is held: the same page
 * gives the same edits however it arrives (a chunk that ended past the
 * hold budget inside text not matched yet released the phrase first).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "annotator.h"
#include "tap.h"

#define SCHEMA "conf/gazetteer.rng"
#define DICTIONARY "conf/gazetteer.xml"

static apr_pool_t *pool;
static const geotag_engine *engine;

typedef struct {
    int threshold;    /* levels above it are not logged */
    int asked;        /* log_is_level calls */
    int formatted;    /* log calls: messages formatted */
    char last[512];
    const char *file;
    int line;
} log_counter;

static int count_is_level(void *baton, int level)
{
    log_counter *c = baton;
    c->asked++;
    return level <= c->threshold;
}

static void count_log(void *baton, int level, const char *file, int line,
                      const char *message)
{
    log_counter *c = baton;
    c->formatted++;
    apr_cpystrn(c->last, message, sizeof(c->last));
    c->file = file;
    c->line = line;
}

static geotag_session *session_for(log_counter *c)
{
    geotag_options o;
    geotag_options_default(&o);
    o.log = count_log;
    o.log_is_level = count_is_level;
    o.log_baton = c;
    return geotag_session_create(pool, engine, &o);
}

static const char opted_out[] =
    "<!doctype html><html lang=\"en\"><head><title>t</title>"
    "<meta name=\"geotag\" content=\"off\"></head><body><article>"
    "<p>Vladimir Putin met NATO leaders.</p></article></body></html>";

static void test_log_level(void)
{
    log_counter off = {GEOTAG_LOG_WARNING, 0, 0, "", NULL, 0};
    log_counter on = {GEOTAG_LOG_DEBUG, 0, 0, "", NULL, 0};
    geotag_session *s;

    s = session_for(&off);
    geotag_session_feed(s, opted_out, sizeof(opted_out) - 1);
    geotag_session_finish(s);
    ok(off.asked >= 1, "the engine asks before logging (%d)", off.asked);
    is_int(off.formatted, 0, "debug disabled: no message formatted");

    s = session_for(&on);
    geotag_session_feed(s, opted_out, sizeof(opted_out) - 1);
    geotag_session_finish(s);
    is_int(on.formatted, 1, "debug enabled: the opt-out is logged once");
    ok(strncmp(on.last, "GT204: ", 7) == 0, "with its own number: %s",
       on.last);
    ok(on.file && strstr(on.file, "annotator.c") && on.line > 0,
       "and the engine's file and line (%s:%d)", on.file ? on.file : "-",
       on.line);
}

static void test_bail_out(void)
{
    log_counter quiet = {GEOTAG_LOG_WARNING, 0, 0, "", NULL, 0};
    geotag_session *s = session_for(&quiet);
    apr_size_t big = 10 * 1024 * 1024, i;
    char *rest = malloc(big);
    apr_off_t lexed;
    geotag_edit e;

    /* the article's text, over and over: what the lexer and the matcher
     * would have worked through */
    for (i = 0; i < big; i++)
        rest[i] = "<p>Vladimir Putin met NATO leaders in 2024.</p>\n"[i % 48];
    geotag_session_feed(s, opted_out, 120);
    ok(geotag_session_stopped(s), "an opt-out stops the session");
    is_int(geotag_session_status(s), GEOTAG_STATUS_OPTED_OUT, "status opted-out");
    lexed = geotag_session_lexed(s);
    geotag_session_feed(s, rest, big);
    is_int(geotag_session_lexed(s), lexed,
           "a further 10 MB are not lexed (the lexer's offset stays)");
    is_int(geotag_session_stable(s), 120 + (apr_off_t)big,
           "everything fed is stable: the consumer passes it on");
    geotag_session_finish(s);
    ok(!geotag_session_next_edit(s, &e), "no edit");
    is_int(geotag_session_stable(s), 120 + (apr_off_t)big, "nor after finish");
    is_int(geotag_session_status(s), GEOTAG_STATUS_OPTED_OUT,
           "status stays opted-out");
    free(rest);
}

static char *slurp(const char *path, apr_size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *data;
    long n;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    data = apr_palloc(pool, (apr_size_t)n + 1);
    *len = fread(data, 1, (size_t)n, f);
    fclose(f);
    return data;
}

static void test_mention_cap(void)
{
    apr_size_t len = 0;
    char *page = slurp("t/htdocs/samples/en-analysis.html", &len);
    geotag_options o;
    geotag_session *s;
    geotag_edit e;
    int inline_edits = 0, jsonld = 0;

    if (!ok(page != NULL, "the English sample reads"))
        return;
    geotag_options_default(&o);
    o.limits.mentions = 3;
    s = geotag_session_create(pool, engine, &o);
    geotag_session_feed(s, page, len);
    geotag_session_finish(s);
    while (geotag_session_next_edit(s, &e)) {
        if (e.kind == GEOTAG_EDIT_JSONLD)
            jsonld++;
        else
            inline_edits++;
    }
    is_int(geotag_session_status(s), GEOTAG_STATUS_LIMIT, "the cap: status limit");
    is_int(geotag_session_mentions(s), 3, "3 mentions marked up");
    is_int(inline_edits, 6, "so 3 open and 3 close edits");
    is_int(jsonld, 1, "and the JSON-LD block is still written");
    ok(!geotag_session_stopped(s), "the page was read to its end");
}

/* The entity and open-edit counts of a page fed in chunks of 'size'
 * bytes (0: whole). */
static void feed_counts(const geotag_options *o, const char *page,
                        apr_size_t len, apr_size_t size, int *mentions,
                        int *opens, int *status)
{
    geotag_session *s = geotag_session_create(pool, engine, o);
    apr_size_t at = 0;
    geotag_edit e;

    *opens = 0;
    while (at < len) {
        apr_size_t n = size && size < len - at ? size : len - at;
        geotag_session_feed(s, page + at, n);
        at += n;
        while (geotag_session_next_edit(s, &e))
            *opens += e.kind == GEOTAG_EDIT_OPEN_ENTITY;
    }
    geotag_session_finish(s);
    while (geotag_session_next_edit(s, &e))
        *opens += e.kind == GEOTAG_EDIT_OPEN_ENTITY;
    *mentions = geotag_session_mentions(s);
    *status = geotag_session_status(s);
}

static void test_held_phrase_cap(void)
{
    static const char page[] =
        "<div itemprop=\"articleBody\">\n"
        "<p>But this time, Netanyahu was not hurt by his conflicts with the "
        "US president.</p>\n<p>\nWhile the United States is loved in Israel, "
        "President Obama is not, said Robert, a senior fellow.</p>\n</div>\n";
    geotag_options o;
    int m0, o0, s0, size, differ = 0;

    geotag_options_default(&o);
    o.lang = "en";
    o.limits.entities = 2;
    o.limits.hold = 100;
    feed_counts(&o, page, sizeof(page) - 1, 0, &m0, &o0, &s0);
    is_int(s0, GEOTAG_STATUS_LIMIT, "held phrase, entity cap: status limit");
    is_int(m0, 1,
           "the cap stops the page while \"the US president\" is "
           "held: only Netanyahu is marked up");
    for (size = 1; size <= 64; size++) {
        int m, op, st;
        feed_counts(&o, page, sizeof(page) - 1, (apr_size_t)size, &m, &op, &st);
        if (m != m0 || op != o0 || st != s0) {
            if (!differ)
                tap_diag("chunks of %d bytes: %d mentions, %d opens, status "
                         "%d (whole: %d, %d, %d)",
                         size, m, op, st, m0, o0, s0);
            differ++;
        }
    }
    is_int(differ, 0, "the same edits in chunks of 1 to 64 bytes");
}

int main(void)
{
    const char *files[] = {DICTIONARY};
    const char *error = NULL;

    apr_initialize();
    apr_pool_create(&pool, NULL);
    engine = geotag_engine_load(pool, SCHEMA, "conf/lang", files, 1, &error);
    if (!ok(engine != NULL, "engine loads from %s", DICTIONARY)) {
        tap_diag("%s", error ? error : "(no message)");
        return tap_done();
    }
    test_log_level();
    test_bail_out();
    test_mention_cap();
    test_held_phrase_cap();
    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
