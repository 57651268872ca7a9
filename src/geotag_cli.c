/*
 * geotag_cli.c: the `geotag` command, the engine on stdin -> stdout.
 *
 *   geotag [--dict FILE]... [--lang LANG] [--url URL] < page.html > out.html
 *   geotag --jsonld ...      only the JSON-LD (the JSON text itself)
 *   geotag --mentions ...    one TSV line per mention: offset, length, kind,
 *                            id, text
 *   geotag --check FILE...   validate dictionaries (before a reload)
 *
 * It streams exactly as the Apache filter does: input is fed in chunks
 * (--chunk N, default 8192), each final edit is written between the
 * original bytes, and bytes are written as soon as the engine says no edit
 * can come before them; so its memory does not grow with the page.
 * Exit status: 0 done, 1 I/O error, 2 bad options or a bad dictionary.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "annotator.h"

#ifndef GEOTAG_CONF_DIR
#define GEOTAG_CONF_DIR "conf"
#endif

typedef enum { MODE_PAGE, MODE_JSONLD, MODE_MENTIONS } cli_mode;

typedef struct {
    char *data;        /* input bytes not yet written, from 'base' on */
    apr_size_t len, cap;
    apr_off_t base;    /* absolute offset of data[0] */
    FILE *out;         /* page output, or NULL */
    cli_mode mode;
    int failed;
} cli_stream;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: geotag [options] < page.html > tagged.html\n"
            "       geotag --check FILE...\n"
            "options:\n"
            "  --dict FILE       gazetteer file (repeatable; default %s/gazetteer.xml)\n"
            "  --schema FILE     RelaxNG schema (default %s/gazetteer.rng)\n"
            "  --lang LANG       page language (default: from <html lang>)\n"
            "  --url URL         the page's URL (for the JSON-LD WebPage node)\n"
            "  --charset NAME    charset from the Content-Type header\n"
            "  --types LIST      what to tag: actors,treaties,figures,dates (default all)\n"
            "  --scope RULES     scope rules (default \"article main [role=main] "
            "[itemprop=articleBody]\")\n"
            "  --markup MODE     data (default), microdata or none\n"
            "  --first-only      mark up only the first mention of each entity\n"
            "  --no-jsonld       do not append the JSON-LD block\n"
            "  --jsonld          print only the JSON-LD (the JSON text)\n"
            "  --mentions        print one TSV line per mention instead of the page\n"
            "  --chunk N         feed the engine N bytes at a time (default 8192)\n"
            "  --chunk-seed S    feed random chunk sizes from 1 to 2N (seeded)\n"
            "  --status          print the outcome on stderr\n"
            "  -v, --verbose     log why a page is left alone (-v -v: and debug)\n"
            "  --check FILE...   validate dictionary files and exit\n",
            GEOTAG_CONF_DIR, GEOTAG_CONF_DIR);
}

static void write_out(cli_stream *st, const char *p, apr_size_t n)
{
    if (st->out && n && fwrite(p, 1, n, st->out) != n)
        st->failed = 1;
}

/* Writes the input up to absolute offset 'upto' and drops it. */
static void pass_until(cli_stream *st, apr_off_t upto)
{
    apr_size_t n;
    if (upto <= st->base)
        return;
    n = (apr_size_t)(upto - st->base);
    if (n > st->len)
        n = st->len;
    write_out(st, st->data, n);
    memmove(st->data, st->data + n, st->len - n);
    st->len -= n;
    st->base += (apr_off_t)n;
}

static void drain(geotag_session *s, cli_stream *st, apr_pool_t *scratch)
{
    geotag_edit e;
    while (geotag_session_next_edit(s, &e)) {
        apr_size_t len;
        const char *bytes;
        pass_until(st, e.offset);
        if (e.kind == GEOTAG_EDIT_JSONLD && st->mode == MODE_JSONLD) {
            const char *open, *close;
            bytes = geotag_session_render(s, &e, scratch, &len);
            open = strchr(bytes, '>');
            close = strstr(bytes, "</script>");
            if (open && close && close > open) {
                fwrite(open + 1, 1, (apr_size_t)(close - open - 1), stdout);
                fputc('\n', stdout);
            }
            continue;
        }
        if (st->mode != MODE_PAGE)
            continue;
        bytes = geotag_session_render(s, &e, scratch, &len);
        write_out(st, bytes, len);
        apr_pool_clear(scratch);
    }
}

/* The engine's messages on stderr: warnings and errors by default, info
 * with -v, debug (with the engine's file and line) with -v -v. */
static int cli_log_is_level(void *baton, int level)
{
    return level <= *(const int *)baton;
}

static void cli_log(void *baton, int level, const char *file, int line,
                    const char *message)
{
    if (level >= GEOTAG_LOG_DEBUG)
        fprintf(stderr, "geotag: %s [%s:%d]\n", message, file, line);
    else
        fprintf(stderr, "geotag: %s\n", message);
}

static void print_mention(void *baton, const geotag_mention *m)
{
    cli_stream *st = baton;
    apr_size_t i, at = (apr_size_t)(m->offset - st->base);
    printf("%" APR_OFF_T_FMT "\t%" APR_SIZE_T_FMT "\t%s\t%s\t", m->offset,
           m->length, m->kind, m->id);
    for (i = 0; i < m->length && at + i < st->len; i++) {
        char c = st->data[at + i];
        putchar(c == '\t' || c == '\n' || c == '\r' ? ' ' : c);
    }
    putchar('\n');
}

static int check_files(apr_pool_t *pool, const char *schema, char **files,
                       int n)
{
    const char *error = NULL;
    geotag_engine *engine = geotag_engine_load(pool, schema,
                                               (const char *const *)files, n,
                                               &error);
    if (!engine) {
        fprintf(stderr, "geotag: %s\n", error);
        return 2;
    }
    printf("%d entities, %d aliases, %d forms: OK\n",
           engine->gazetteer->entities->nelts,
           engine->gazetteer->aliases->nelts,
           geotag_matcher_forms(engine->matcher));
    return 0;
}

/* VmHWM of this process, for the bounded-memory tests. */
static long peak_rss_kb(void)
{
    char line[256];
    long kb = -1;
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f))
        if (sscanf(line, "VmHWM: %ld", &kb) == 1)
            break;
    fclose(f);
    return kb;
}

static unsigned parse_types(const char *list)
{
    unsigned t = 0;
    char *copy = strdup(list), *tok, *save = NULL;
    for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (!strcmp(tok, "actors"))
            t |= GEOTAG_TYPE_ACTORS;
        else if (!strcmp(tok, "treaties"))
            t |= GEOTAG_TYPE_TREATIES;
        else if (!strcmp(tok, "figures"))
            t |= GEOTAG_TYPE_FIGURES;
        else if (!strcmp(tok, "dates"))
            t |= GEOTAG_TYPE_DATES;
        else if (!strcmp(tok, "all"))
            t |= GEOTAG_TYPE_ALL;
        else {
            free(copy);
            return 0;
        }
    }
    free(copy);
    return t;
}

int main(int argc, char **argv)
{
    apr_pool_t *pool, *scratch;
    const char *schema = GEOTAG_CONF_DIR "/gazetteer.rng", *error = NULL;
    char **dicts, **checks;
    int n_dicts = 0, n_checks = 0, i, status_flag = 0, check = 0;
    int verbosity = GEOTAG_LOG_WARNING;
    apr_size_t chunk = 8192;
    unsigned long chunk_seed = 0;
    geotag_options opt;
    geotag_engine *engine;
    geotag_session *s;
    cli_stream st;
    char *buf;

    apr_app_initialize(&argc, (const char *const **)&argv, NULL);
    apr_pool_create(&pool, NULL);
    apr_pool_create(&scratch, pool);
    geotag_options_default(&opt);
    memset(&st, 0, sizeof(st));
    st.mode = MODE_PAGE;
    dicts = apr_pcalloc(pool, sizeof(char *) * (argc + 1));
    checks = apr_pcalloc(pool, sizeof(char *) * (argc + 1));

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has_value = i + 1 < argc;
#define VALUE()                                                              \
    (has_value ? argv[++i]                                                   \
               : (fprintf(stderr, "geotag: %s needs a value\n", a), exit(2), \
                  (char *)NULL))
        if (!strcmp(a, "--dict"))
            dicts[n_dicts++] = VALUE();
        else if (!strcmp(a, "--schema"))
            schema = VALUE();
        else if (!strcmp(a, "--lang"))
            opt.lang = VALUE();
        else if (!strcmp(a, "--url"))
            opt.url = VALUE();
        else if (!strcmp(a, "--charset"))
            opt.charset = VALUE();
        else if (!strcmp(a, "--types")) {
            const char *v = VALUE();
            if (!(opt.types = parse_types(v))) {
                fprintf(stderr, "geotag: bad --types \"%s\" (use actors,"
                        "treaties,figures,dates)\n", v);
                return 2;
            }
        }
        else if (!strcmp(a, "--scope")) {
            const char *v = VALUE();
            geotag_scope_rule *rules = geotag_scope_parse(pool, v, &opt.n_scope,
                                                          &error);
            if (!rules) {
                fprintf(stderr, "geotag: --scope: %s\n", error);
                return 2;
            }
            opt.scope = rules;
        }
        else if (!strcmp(a, "--markup")) {
            const char *v = VALUE();
            if (!strcmp(v, "data"))
                opt.markup = GEOTAG_MARKUP_DATA;
            else if (!strcmp(v, "microdata"))
                opt.markup = GEOTAG_MARKUP_MICRODATA;
            else if (!strcmp(v, "none"))
                opt.markup = GEOTAG_MARKUP_NONE;
            else {
                fprintf(stderr, "geotag: bad --markup \"%s\" (data, microdata "
                        "or none)\n", v);
                return 2;
            }
        }
        else if (!strcmp(a, "--first-only"))
            opt.first_only = 1;
        else if (!strcmp(a, "--no-jsonld"))
            opt.jsonld = 0;
        else if (!strcmp(a, "--jsonld"))
            st.mode = MODE_JSONLD;
        else if (!strcmp(a, "--mentions"))
            st.mode = MODE_MENTIONS;
        else if (!strcmp(a, "--status"))
            status_flag = 1;
        else if (!strcmp(a, "--verbose") || !strcmp(a, "-v"))
            verbosity = verbosity < GEOTAG_LOG_INFO ? GEOTAG_LOG_INFO
                                                    : GEOTAG_LOG_DEBUG;
        else if (!strcmp(a, "--chunk")) {
            const char *v = VALUE();
            char *end;
            long n = strtol(v, &end, 10);
            if (*end || n < 1 || n > (1L << 30)) {
                fprintf(stderr, "geotag: bad --chunk \"%s\"\n", v);
                return 2;
            }
            chunk = (apr_size_t)n;
        }
        else if (!strcmp(a, "--chunk-seed")) {
            const char *v = VALUE();
            chunk_seed = strtoul(v, NULL, 10) | 1;
        }
        else if (!strcmp(a, "--check")) {
            check = 1;
            while (i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0)
                checks[n_checks++] = argv[++i];
        }
        else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        }
        else {
            fprintf(stderr, "geotag: unknown option \"%s\"\n", a);
            usage(stderr);
            return 2;
        }
#undef VALUE
    }

    if (check) {
        if (n_checks == 0) {
            fprintf(stderr, "geotag: --check needs at least one file\n");
            return 2;
        }
        i = check_files(pool, schema, checks, n_checks);
        apr_pool_destroy(pool); /* runs the cleanups: the compiled pattern */
        apr_terminate();
        return i;
    }
    if (n_dicts == 0)
        dicts[n_dicts++] = GEOTAG_CONF_DIR "/gazetteer.xml";
    engine = geotag_engine_load(pool, schema, (const char *const *)dicts,
                                n_dicts, &error);
    if (!engine) {
        fprintf(stderr, "geotag: %s\n", error);
        return 2;
    }

    st.out = st.mode == MODE_PAGE ? stdout : NULL;
    if (st.mode == MODE_MENTIONS) {
        opt.mention = print_mention;
        opt.mention_baton = &st;
    }
    opt.log = cli_log;
    opt.log_is_level = cli_log_is_level;
    opt.log_baton = &verbosity;
    s = geotag_session_create(pool, engine, &opt);
    buf = malloc(chunk * 2 + 1);
    st.cap = chunk * 2 + 65536;
    st.data = malloc(st.cap);
    if (!buf || !st.data) {
        fprintf(stderr, "geotag: out of memory\n");
        return 1;
    }
    for (;;) {
        apr_size_t want = chunk;
        ssize_t n;
        if (chunk_seed) {
            /* xorshift: reproducible random splits for the invariant tests */
            chunk_seed ^= chunk_seed << 13;
            chunk_seed ^= chunk_seed >> 7;
            chunk_seed ^= chunk_seed << 17;
            want = 1 + (apr_size_t)(chunk_seed % (chunk * 2));
        }
        n = read(0, buf, want);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            perror("geotag: read");
            return 1;
        }
        if (n == 0)
            break;
        if (st.len + (apr_size_t)n > st.cap) {
            st.cap = (st.len + (apr_size_t)n) * 2;
            st.data = realloc(st.data, st.cap);
            if (!st.data) {
                fprintf(stderr, "geotag: out of memory\n");
                return 1;
            }
        }
        memcpy(st.data + st.len, buf, (apr_size_t)n);
        st.len += (apr_size_t)n;
        geotag_session_feed(s, buf, (apr_size_t)n);
        drain(s, &st, scratch);
        pass_until(&st, geotag_session_stable(s));
    }
    geotag_session_finish(s);
    drain(s, &st, scratch);
    pass_until(&st, st.base + (apr_off_t)st.len);
    if (status_flag)
        fprintf(stderr, "geotag: %s, %d mentions, %d entities, peak-rss-kb %ld\n",
                geotag_status_name(geotag_session_status(s)),
                geotag_session_mentions(s), geotag_session_entities(s),
                peak_rss_kb());
    if (fflush(stdout) != 0 || st.failed) {
        perror("geotag: write");
        return 1;
    }
    free(buf);
    free(st.data);
    apr_pool_destroy(pool);
    apr_terminate();
    return 0;
}
