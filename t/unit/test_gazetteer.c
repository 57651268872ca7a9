/*
 * test_gazetteer.c: the gazetteer loader against small fixtures
 * (t/unit/data/): the model it builds from a valid file and from two merged
 * files, the inflection notation, the label fallbacks, the digest, and one
 * broken fixture per kind of error, each of which must be refused with its
 * own file and line.  Runs from the repository root.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include <libxml/globals.h>
#include <libxml/xmlversion.h>
#include <libxml/xmlerror.h>

#include "builtin.h"
#include "gazetteer.h"
#include "tap.h"

#define SCHEMA "conf/gazetteer.rng"
#define DATA "t/unit/data/"
#define SMALL DATA "gazetteer-small.xml"
#define EXTRA DATA "gazetteer-extra.xml"

static apr_pool_t *pool;

/* The line of 'path' holding 'needle' (0 when none): expected line numbers
 * come from the fixture itself, so editing a fixture cannot silently
 * leave a test asserting a stale number. */
static int line_of(const char *path, const char *needle)
{
    FILE *f = fopen(path, "r");
    char buffer[1024];
    int line = 0;

    if (f == NULL)
        return 0;
    while (fgets(buffer, sizeof(buffer), f) != NULL) {
        line++;
        if (strstr(buffer, needle) != NULL) {
            fclose(f);
            return line;
        }
    }
    fclose(f);
    return 0;
}

static geotag_gazetteer *load(const char *a, const char *b, const char **error)
{
    const char *files[2];

    files[0] = a;
    files[1] = b;
    /* the built-in schema, as the module and the command use it */
    return geotag_gazetteer_load(pool, NULL, NULL, files, b ? 2 : 1, error);
}

static const geotag_entity *entity(const geotag_gazetteer *g, const char *id)
{
    int i = geotag_gazetteer_find(g, id);

    return i < 0 ? NULL : &APR_ARRAY_IDX(g->entities, i, geotag_entity);
}

/* The first alias (or determiner) with this text and language. */
static const geotag_alias *form(const apr_array_header_t *forms,
                                const char *text, const char *lang)
{
    int i;

    for (i = 0; i < forms->nelts; i++) {
        const geotag_alias *a = &APR_ARRAY_IDX(forms, i, geotag_alias);

        if (strcmp(a->text, text) == 0 &&
            ((lang == NULL && a->lang == NULL) ||
             (lang != NULL && a->lang != NULL && strcmp(a->lang, lang) == 0)))
            return a;
    }
    return NULL;
}

static int count_text(const apr_array_header_t *forms, const char *text)
{
    int i, n = 0;

    for (i = 0; i < forms->nelts; i++) {
        if (strcmp(APR_ARRAY_IDX(forms, i, geotag_alias).text, text) == 0)
            n++;
    }
    return n;
}

/* "role/case/entity" of a form, or "missing", for one readable check. */
static const char *describe(const geotag_alias *a)
{
    static const char *const roles[] = {
        "name", "short", "demonym", "metonym", "treaty-word"
    };
    static const char *const cases[] = {"fold", "capitalized", "exact"};

    if (a == NULL)
        return "missing";
    return apr_psprintf(pool, "%s/%s/%d", roles[a->role], cases[a->case_rule],
                        a->entity);
}

static const char *label(const geotag_entity *e, const char *lang)
{
    const geotag_label *l = e ? geotag_entity_label(e, lang) : NULL;

    return l ? apr_pstrcat(pool, l->lang, ":", l->text, NULL) : NULL;
}

static const char *joined(const apr_array_header_t *forms)
{
    const char *out = NULL;
    int i;

    if (forms == NULL)
        return NULL;
    for (i = 0; i < forms->nelts; i++) {
        const char *f = APR_ARRAY_IDX(forms, i, const char *);

        out = out ? apr_pstrcat(pool, out, ",", f, NULL) : f;
    }
    return out;
}

/*
 * Loads (a, b), which must fail with "FILE:LINE: ..." where LINE is the
 * line of 'where' holding 'needle', and with 'reason' in the message.
 */
static void refused(const char *a, const char *b, const char *where,
                    const char *needle, const char *reason, const char *name)
{
    const char *error = NULL;
    geotag_gazetteer *g = load(a, b, &error);
    const char *prefix = apr_psprintf(pool, "%s:%d: ", where,
                                      line_of(where, needle));

    ok(g == NULL && error != NULL &&
           strncmp(error, prefix, strlen(prefix)) == 0,
       "%s: refused at %s", name, prefix);
    if (!(error != NULL && strncmp(error, prefix, strlen(prefix)) == 0))
        tap_diag("got: %s", error ? error : "(no error)");
    ok(error != NULL && strstr(error, reason) != NULL, "%s: says '%s'", name,
       reason);
    if (error != NULL && strstr(error, reason) == NULL)
        tap_diag("got: %s", error);
}

static void test_small(void)
{
    const char *error = NULL;
    geotag_gazetteer *g = load(SMALL, NULL, &error);
    const geotag_entity *putin, *korea, *russia, *treaty;

    if (!ok(g != NULL && error == NULL, "the small fixture loads"))
        tap_diag("error: %s", error ? error : "(none)");
    if (g == NULL)
        exit(tap_done());

    is_int(g->entities->nelts, 5, "5 entities");
    is_int(g->aliases->nelts, 30, "30 aliases (names, expanded forms, "
           "treaty words; the repeated Putin once)");
    is_int(g->determiners->nelts, 4, "4 determiners (questo/a expanded)");
    is_int(g->units->nelts, 3, "3 units");
    is_int(g->fold_accents, 0, "fold-accents=\"no\" read from the root");
    is_str(g->files, SMALL, "files names the file");

    is_int(geotag_gazetteer_find(g, "Q423"), 2, "find: Q423 is entity 2");
    is_int(geotag_gazetteer_find(g, "Q999"), -1, "find: unknown id is -1");
    is_int(geotag_gazetteer_find(g, NULL), -1, "find: NULL id is -1");

    putin = entity(g, "Q7747");
    korea = entity(g, "Q423");
    russia = entity(g, "Q159");
    treaty = entity(g, "Q123456789");
    ok(putin && putin->kind == GEOTAG_KIND_ACTOR && putin->verified == 1 &&
           strcmp(putin->type, "Person") == 0 && putin->n_labels == 2,
       "Q7747: Person, actor, verified, two labels");
    is_str(label(putin, "en"), "en:Vladimir Putin",
           "label text has its white space collapsed");
    is_str(putin->labels[0].wikipedia, "Vladimir_Putin", "wikipedia title kept");
    is_int(korea->source_line, line_of(SMALL, "id=\"Q423\""),
           "source_line is the <entity> line");

    is_str(label(russia, "it"), "it:Russia", "label: exact language");
    is_str(label(russia, "en"), "en-GB:Russia (UK)",
           "label: primary subtag matches en-GB");
    is_str(label(russia, "EN-gb"), "en-GB:Russia (UK)",
           "label: language compared case-insensitively");
    is_str(label(russia, "fr"), "en-GB:Russia (UK)",
           "label: unknown language falls back to English");
    is_str(label(russia, NULL), "en-GB:Russia (UK)",
           "label: no language falls back to English");
    is_str(label(korea, "it-CH"), "it:Corea del Nord",
           "label: it-CH matches an it name");

    is_str(describe(form(g->aliases, "Vladimir Putin", "it")), "name/capitalized/0",
           "a name is an alias with its language, capitalized by default");
    is_int(count_text(g->aliases, "Putin"), 1, "a repeated alias is kept once");
    is_str(describe(form(g->aliases, "Putin", NULL)), "name/capitalized/0",
           "alias: name role, capitalized, no language");
    is_str(describe(form(g->aliases, "Kim", NULL)), "short/capitalized/1",
           "short=\"yes\" gives the short role");
    is_str(describe(form(g->aliases, "DPRK", NULL)), "name/exact/2",
           "case=\"exact\" kept");
    is_str(describe(form(g->aliases, "nordcoreane", "it")), "demonym/fold/2",
           "demonym expanded, fold by default");
    is_str(describe(form(g->aliases, "North Koreans", "en")), "demonym/fold/2",
           "English demonym: suffix appended");
    is_str(describe(form(g->aliases, "russe", "it")), "demonym/capitalized/3",
           "demonym case=\"capitalized\" overrides the default");
    is_str(describe(form(g->aliases, "Pyongyang", "it")), "metonym/capitalized/2",
           "capital: metonym, capitalized by default");
    is_str(describe(form(g->aliases, "Mosca", "it")), "metonym/fold/3",
           "capital case=\"fold\" overrides the default");
    is_str(describe(form(g->aliases, "accordi", "it")), "treaty-word/fold/-1",
           "treaty word: expanded, lexicon language, no entity, fold");
    is_str(describe(form(g->aliases, "pacts", "en")), "treaty-word/fold/-1",
           "treaty word of the second lexicon");
    is_str(describe(form(g->determiners, "questa", "it")), "name/fold/-1",
           "determiner: expanded, fold, no entity");
    is_str(describe(form(g->determiners, "This", "en")), "name/exact/-1",
           "determiner case=\"exact\" kept");
    ok(form(g->aliases, "il", "it") == NULL,
       "determiners are not among the aliases");

    ok(strcmp(APR_ARRAY_IDX(g->units, 0, geotag_unit).text, "soldati") == 0 &&
           APR_ARRAY_IDX(g->units, 0, geotag_unit).currency == NULL &&
           strcmp(APR_ARRAY_IDX(g->units, 0, geotag_unit).lang, "it") == 0,
       "unit: lower-cased, lexicon language, no currency");
    is_str(APR_ARRAY_IDX(g->units, 1, geotag_unit).currency, "USD",
           "unit: currency");

    ok(treaty && treaty->kind == GEOTAG_KIND_TREATY && treaty->verified == 0,
       "type=\"Legislation\" is a treaty; verified=\"no\" read");
    ok(treaty && treaty->n_parties == 2 && treaty->parties[0] == 3 &&
           treaty->parties[1] == 2,
       "treaty parties resolved to entity indices, in order");
    is_str(treaty ? treaty->date : NULL, "2024-06-19", "treaty date");
    is_str(treaty ? treaty->legislation_type : NULL, "treaty",
           "legislation-type prefers English over the first");
    ok(korea->n_parties == 0 && korea->parties == NULL && korea->date == NULL &&
           korea->legislation_type == NULL,
       "an actor has no parties, date or legislation type");
}

static void test_merged(void)
{
    const char *error = NULL;
    geotag_gazetteer *small = load(SMALL, NULL, &error);
    geotag_gazetteer *g = load(SMALL, EXTRA, &error);
    const geotag_entity *minsk, *ukraine;

    if (!ok(g != NULL, "two files load together"))
        tap_diag("error: %s", error ? error : "(none)");
    if (g == NULL || small == NULL)
        return;
    is_int(g->entities->nelts, 7, "entities of both files");
    is_str(g->files, SMALL ", " EXTRA, "files: ', '-joined");
    is_int(g->fold_accents, 0, "the first file decides fold-accents");
    minsk = entity(g, "Q98765");
    ukraine = entity(g, "Q212");
    ok(minsk && minsk->kind == GEOTAG_KIND_TREATY && minsk->n_parties == 2 &&
           minsk->parties[0] == geotag_gazetteer_find(g, "Q159") &&
           minsk->parties[1] == geotag_gazetteer_find(g, "Q212"),
       "kind=\"treaty\"; parties from the other file and from later resolved");
    is_str(label(ukraine, "fr"), "uk:Україна",
           "label: no English falls back to the first");
    is_str(describe(form(g->aliases, "ucraine", "it")), "demonym/fold/6",
           "aliases of the second file index its entities");
    ok(memcmp(g->digest, small->digest, 20) != 0,
       "digest covers the second file");
}

static int copy_file(const char *from, const char *to, int flip_at)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    int c, n = 0;

    if (in == NULL || out == NULL) {
        if (in)
            fclose(in);
        if (out)
            fclose(out);
        return 0;
    }
    while ((c = getc(in)) != EOF) {
        if (n++ == flip_at)
            c = c == 'A' ? 'B' : 'A';
        putc(c, out);
    }
    fclose(in);
    fclose(out);
    return 1;
}

static void test_digest(void)
{
    char path[] = "/tmp/test_gazetteer_XXXXXX";
    const char *copy;
    const char *error = NULL;
    geotag_gazetteer *a, *b, *c;
    int fd = mkstemp(path);
    /* A byte inside the first comment: the file stays valid. */
    int comment_byte = 50;

    if (fd >= 0)
        close(fd);
    copy = apr_pstrcat(pool, path, ".xml", NULL);
    copy_file(SMALL, copy, -1);
    a = load(copy, NULL, &error);
    b = load(copy, NULL, &error);
    copy_file(SMALL, copy, comment_byte);
    c = load(copy, NULL, &error);
    ok(a && b && memcmp(a->digest, b->digest, 20) == 0,
       "digest: the same bytes give the same digest");
    ok(a && c && memcmp(a->digest, c->digest, 20) != 0,
       "digest: one changed byte changes it");
    unlink(copy);
    unlink(path);
}

static void test_expand(void)
{
    is_str(joined(geotag_expand_forms(pool, "nordcoreano/a/i/e")),
           "nordcoreano,nordcoreana,nordcoreani,nordcoreane",
           "expand: suffixes replace the final vowel");
    is_str(joined(geotag_expand_forms(pool, "Russian/s")), "Russian,Russians",
           "expand: appended after a consonant");
    is_str(joined(geotag_expand_forms(pool, "tedesco/a/hi/he")),
           "tedesco,tedesca,tedeschi,tedesche",
           "expand: multi-letter suffixes");
    is_str(joined(geotag_expand_forms(pool, "statunitense/i")),
           "statunitense,statunitensi", "expand: final e replaced");
    is_str(joined(geotag_expand_forms(pool, "fal\xC3\xB2/i")), "fal\xC3\xB2,fali",
           "expand: an accented final vowel is one character");
    is_str(joined(geotag_expand_forms(pool, "russo")), "russo",
           "expand: a single form gives itself");
    is_str(joined(geotag_expand_forms(pool, "North Korean/s")),
           "North Korean,North Koreans", "expand: multi-word first form");
    ok(geotag_expand_forms(pool, "russo//a") == NULL,
       "expand: '//' is malformed");
    ok(geotag_expand_forms(pool, "/a") == NULL,
       "expand: a leading '/' is malformed");
    ok(geotag_expand_forms(pool, "russo/") == NULL,
       "expand: a trailing '/' is malformed");
    ok(geotag_expand_forms(pool, "") == NULL, "expand: empty is malformed");
    ok(geotag_expand_forms(pool, "Russian /s") == NULL,
       "expand: white space before '/' is malformed");
}

/*
 * Past line 65535 libxml2 loses element lines (they are unsigned short);
 * the loader must still name the right one, for a schema error and for a
 * semantic one.
 */
static void test_big_lines(void)
{
    char path[] = "/tmp/test_gazetteer_big_XXXXXX";
    const char *error = NULL;
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    int line = 2, i;

    if (!ok(f != NULL, "big file: %s created", path))
        return;
    fputs("<?xml version=\"1.0\"?>\n"
          "<gazetteer xmlns=\"urn:mod-geotag:gazetteer:1\">\n", f);
    for (i = 1; line < 70000; i++, line += 3)
        fprintf(f, "  <entity id=\"Q%d\" type=\"Person\">\n"
                   "    <name lang=\"en\">Person %d</name>\n"
                   "  </entity>\n", i, i);
    /* line + 1: the duplicate's <entity>; line + 6: the unknown element. */
    fputs("  <entity id=\"Q1\" type=\"Person\">\n"
          "    <name lang=\"en\">Again</name>\n"
          "  </entity>\n"
          "  <entity id=\"Q999999\" type=\"Person\">\n"
          "    <name lang=\"en\">Other</name>\n"
          "    <bogus/>\n"
          "  </entity>\n"
          "</gazetteer>\n", f);
    fclose(f);

    load(path, NULL, &error);
    if (!ok(error != NULL &&
                strstr(error, apr_psprintf(pool, "%s:%d: Element entity has "
                                           "extra content: bogus", path,
                                           line + 6)) == error,
            "big file: schema error at line %d", line + 6))
        tap_diag("got: %s", error ? error : "(no error)");
    error = NULL;
    {
        /* The same file without the bad element: now the duplicate shows. */
        FILE *in = fopen(path, "r+");

        if (in != NULL) {
            long size;

            fseek(in, 0, SEEK_END);
            size = ftell(in);
            /* Overwrite "<bogus/>" with spaces: same length, same lines. */
            fseek(in, size - (long)strlen("<bogus/>\n  </entity>\n"
                                          "</gazetteer>\n"), SEEK_SET);
            fputs("        ", in);
            fclose(in);
        }
    }
    load(path, NULL, &error);
    if (!ok(error != NULL &&
                strstr(error, apr_psprintf(pool, "%s:%d: duplicate entity id "
                                           "Q1 (first defined at %s:3)", path,
                                           line + 1, path)) == error,
            "big file: semantic error at line %d", line + 1))
        tap_diag("got: %s", error ? error : "(no error)");
    unlink(path);
}

static int restored_marker;

#if LIBXML_VERSION >= 21200
static void marker_handler(void *data, const xmlError *err)
#else
static void marker_handler(void *data, xmlErrorPtr err)
#endif
{
}

static void test_errors(void)
{
    const char *error = NULL;
    int saved_stderr, devnull_fd;
    char stderr_path[] = "/tmp/test_gazetteer_stderr_XXXXXX";
    FILE *captured;
    long captured_len;

    refused(DATA "bad-wellformed.xml", NULL, DATA "bad-wellformed.xml",
            "</alias>", "Opening and ending tag mismatch",
            "not well-formed");
    refused(DATA "bad-element.xml", NULL, DATA "bad-element.xml",
            "<nickname>", "nickname", "unknown element");
    refused(DATA "bad-id.xml", NULL, DATA "bad-id.xml", "X12",
            "entity", "bad id X12");
    refused(DATA "bad-case.xml", NULL, DATA "bad-case.xml", "upper",
            "case", "bad case value");
    refused(DATA "bad-noname.xml", NULL, DATA "bad-noname.xml", "<entity",
            "name", "entity without a name");
    refused(DATA "bad-date-shape.xml", NULL, DATA "bad-date-shape.xml",
            "<date>", "date", "date not ISO 8601 (schema)");
    refused(DATA "bad-date.xml", NULL, DATA "bad-date.xml", "<date>",
            "invalid date '2023-02-29'", "date that does not exist");
    refused(SMALL, DATA "bad-duplicate.xml", DATA "bad-duplicate.xml",
            "id=\"Q423\"",
            apr_psprintf(pool, "duplicate entity id Q423 (first defined at "
                         "%s:%d)", SMALL, line_of(SMALL, "id=\"Q423\"")),
            "duplicate id across files");
    refused(DATA "bad-party.xml", NULL, DATA "bad-party.xml", "Q999",
            "party Q999 is not an entity", "unknown party ref");
    refused(DATA "bad-notation.xml", NULL, DATA "bad-notation.xml",
            "russo//a", "bad inflection notation 'russo//a'", "bad notation");
    refused(DATA "bad-nothing.xml", NULL, DATA "bad-nothing.xml", "<alias>",
            "no letter or digit", "alias that normalizes to nothing");
    refused(DATA "bad-treaty.xml", NULL, DATA "bad-treaty.xml",
            "kind=\"treaty\"", "neither a <party> nor a <date>",
            "treaty without party or date");
    refused(DATA "bad-actor-party.xml", NULL, DATA "bad-actor-party.xml",
            "<party", "not a treaty", "party on an actor");
    refused(DATA "bad-doctype.xml", NULL, DATA "bad-doctype.xml",
            "<!DOCTYPE", "DOCTYPE", "a DOCTYPE (entity declarations)");
    /* libxml2 reports a bad attribute of an element that has others first
     * without a line, then with it: the message must still carry one. */
    refused(DATA "bad-lang.xml", NULL, DATA "bad-lang.xml", "it_IT",
            "Invalid attribute lang for element name",
            "bad lang beside another attribute");
    refused(DATA "bad-lang-lexicon.xml", NULL, DATA "bad-lang-lexicon.xml",
            "english", "lexicon", "bad lexicon lang");

    ok(load(DATA "no-such-file.xml", NULL, &error) == NULL && error != NULL &&
           strstr(error, DATA "no-such-file.xml: cannot read") == error,
       "a missing file is named");
    error = NULL;
    {
        const char *files[1] = {SMALL};

        ok(geotag_gazetteer_load(pool, "conf/no-such.rng", NULL, files, 1,
                                 &error) == NULL && error != NULL &&
               strstr(error, "conf/no-such.rng") != NULL,
           "a missing schema is named");
        ok(geotag_gazetteer_load(pool, SCHEMA, NULL, files, 0, &error) == NULL &&
               error != NULL,
           "no files is an error");
    }

    /* libxml2 must print nothing, and the caller's handler comes back. */
    fflush(stderr);
    saved_stderr = dup(2);
    devnull_fd = mkstemp(stderr_path);
    dup2(devnull_fd, 2);
    xmlSetStructuredErrorFunc(&restored_marker, marker_handler);
    load(DATA "bad-wellformed.xml", NULL, &error);
    load(DATA "bad-element.xml", NULL, &error);
    load(DATA "bad-party.xml", NULL, &error);
    ok(xmlStructuredError == marker_handler &&
           xmlStructuredErrorContext == &restored_marker,
       "the caller's libxml2 error handler is restored");
    xmlSetStructuredErrorFunc(NULL, NULL);
    fflush(stderr);
    dup2(saved_stderr, 2);
    close(saved_stderr);
    close(devnull_fd);
    captured = fopen(stderr_path, "rb");
    captured_len = -1;
    if (captured != NULL) {
        fseek(captured, 0, SEEK_END);
        captured_len = ftell(captured);
        fclose(captured);
    }
    is_int(captured_len, 0, "nothing printed to stderr by broken files");
    unlink(stderr_path);
}

/* The schema compiled in is conf/gazetteer.rng, and a schema file given
 * instead is used: no dictionary needs the file, GeoTagSchema and --schema
 * still override it. */
static void test_builtin_schema(void)
{
    const char *files[1] = {SMALL};
    const char *error = NULL;
    char *rng = NULL;
    apr_size_t rng_len = 0;
    geotag_gazetteer *builtin, *given;
    FILE *f = fopen(SCHEMA, "rb");

    if (f != NULL) {
        rng = malloc(geotag_builtin_schema_len + 2);
        rng_len = fread(rng, 1, geotag_builtin_schema_len + 1, f);
        fclose(f);
    }
    ok(rng != NULL && rng_len == geotag_builtin_schema_len &&
           memcmp(rng, geotag_builtin_schema, rng_len) == 0 &&
           geotag_builtin_schema[rng_len] == '\0',
       "the built-in schema is " SCHEMA " byte for byte");
    free(rng);

    builtin = geotag_gazetteer_load(pool, NULL, NULL, files, 1, &error);
    given = geotag_gazetteer_load(pool, SCHEMA, NULL, files, 1, &error);
    ok(builtin != NULL && given != NULL &&
           memcmp(builtin->digest, given->digest, 20) == 0 &&
           builtin->entities->nelts == given->entities->nelts,
       "built in or given as a file, the same dictionary loads");

    /* a schema of the site's that allows only language packs refuses a
     * dictionary the built-in one accepts */
    {
        const char *path = "build/t/packs-only.rng";
        const char *cut = "<ref name=\"gazetteer\"/>";
        const char *at = strstr((const char *)geotag_builtin_schema, cut);
        FILE *out = fopen(path, "wb");

        if (out != NULL && at != NULL) {
            size_t head = (size_t)(at - (const char *)geotag_builtin_schema);
            fwrite(geotag_builtin_schema, 1, head, out);
            fputs(at + strlen(cut), out);
        }
        if (out != NULL)
            fclose(out);
        error = NULL;
        ok(at != NULL &&
               geotag_gazetteer_load(pool, path, NULL, files, 1, &error) ==
                   NULL &&
               error != NULL && strstr(error, SMALL ":") == error &&
               strstr(error, "element gazetteer") != NULL,
           "a schema given instead is the one used");
        unlink(path);
    }
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    tap_plan(107);

    test_small();
    test_merged();
    test_digest();
    test_expand();
    test_errors();
    test_big_lines();
    test_builtin_schema();

    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
