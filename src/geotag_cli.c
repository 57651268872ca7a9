/*
 * geotag_cli.c: the `geotag` command, the engine on stdin -> stdout.
 *
 *   geotag [--dict FILE]... [--lang LANG] [--url URL] < page.html > out.html
 *   geotag --jsonld ...      only the JSON-LD (the JSON text itself)
 *   geotag --mentions ...    one TSV line per mention: offset, length, kind,
 *                            id, text
 *   geotag --preview ...     the page as an editor previews it (preview.h)
 *   geotag --check FILE...   validate dictionaries (before a reload)
 *   geotag --lang-packs DIR  the language packs (default CONF/lang)
 *   geotag --version         the version (debian/changelog's, builtin.h)
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
#include <apr_getopt.h>
#include <apr_strings.h>

#include "annotator.h"
#include "builtin.h"
#include "office.h"

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
    /* --mentions: the lines, printed in page order at the end (a role
     * phrase held until the page tells its date is reported late) */
    apr_array_header_t *mentions;
} cli_stream;

typedef struct {
    apr_off_t offset;
    int seq;
    char *line;
} cli_mention;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: geotag [options] < page.html > tagged.html\n"
            "       geotag --check FILE...\n"
            "options:\n"
            "  --dict FILE       gazetteer file (repeatable; default %s/gazetteer.xml)\n"
            "  --schema FILE     RelaxNG schema instead of the built-in one\n"
            "  --lang-packs DIR  language packs directory (default %s/lang)\n"
            "  --lang LANG       page language (default: from <html lang>)\n"
            "  --url URL         the page's URL (for the JSON-LD WebPage node)\n"
            "  --date YYYY-MM-DD resolve role phrases (\"il presidente russo\") on this\n"
            "                    day instead of the article's date\n"
            "  --country ID      the state a role phrase without one means (\"la premier\")\n"
            "  --charset NAME    charset from the Content-Type header\n"
            "  --types LIST      what to tag: actors,treaties,figures,dates (default all)\n"
            "  --scope RULES     scope rules (default \"article main [role=main] "
            "[itemprop=articleBody]\")\n"
            "  --markup MODE     data (default), microdata or none\n"
            "  --first-only      mark up only the first mention of each entity\n"
            "  --no-jsonld       do not append the JSON-LD block\n"
            "  --jsonld          print only the JSON-LD (the JSON text)\n"
            "  --mentions        print one TSV line per mention instead of the page\n"
            "  --preview         the editor preview: tooltips, a stylesheet and a\n"
            "                    panel listing what was tagged\n"
            "  --preview-nonce N the CSP nonce for the preview's <style>\n"
            "  --chunk N         feed the engine N bytes at a time (default 8192)\n"
            "  --chunk-seed S    feed random chunk sizes from 1 to 2N (seeded)\n"
            "  --status          print the outcome on stderr\n"
            "  -v, --verbose     log why a page is left alone (-v -v: and debug)\n"
            "  --check FILE...   validate dictionary files and exit\n"
            "  --version         print the version and exit\n",
            GEOTAG_CONF_DIR, GEOTAG_CONF_DIR);
}

/* Option codes above any character, but 'h' (-h is --help). */
enum {
    OPT_DICT = 256, OPT_SCHEMA, OPT_LANG, OPT_URL, OPT_CHARSET, OPT_TYPES,
    OPT_SCOPE, OPT_MARKUP, OPT_FIRST_ONLY, OPT_NO_JSONLD, OPT_JSONLD,
    OPT_MENTIONS, OPT_STATUS, OPT_CHUNK, OPT_CHUNK_SEED, OPT_CHECK,
    OPT_LANG_PACKS, OPT_DATE, OPT_COUNTRY, OPT_VERSION, OPT_PREVIEW,
    OPT_PREVIEW_NONCE
};

static const apr_getopt_option_t cli_options[] = {
    {"dict", OPT_DICT, 1, "gazetteer file"},
    {"schema", OPT_SCHEMA, 1, "RelaxNG schema"},
    {"lang-packs", OPT_LANG_PACKS, 1, "language packs directory"},
    {"lang", OPT_LANG, 1, "page language"},
    {"url", OPT_URL, 1, "the page's URL"},
    {"date", OPT_DATE, 1, "the day role phrases are resolved on"},
    {"country", OPT_COUNTRY, 1, "the state of a role phrase without one"},
    {"charset", OPT_CHARSET, 1, "charset from the Content-Type header"},
    {"types", OPT_TYPES, 1, "what to tag"},
    {"scope", OPT_SCOPE, 1, "scope rules"},
    {"markup", OPT_MARKUP, 1, "data, microdata or none"},
    {"first-only", OPT_FIRST_ONLY, 0, "only the first mention of each entity"},
    {"no-jsonld", OPT_NO_JSONLD, 0, "no JSON-LD block"},
    {"jsonld", OPT_JSONLD, 0, "print only the JSON-LD"},
    {"mentions", OPT_MENTIONS, 0, "print one TSV line per mention"},
    {"preview", OPT_PREVIEW, 0, "the editor preview"},
    {"preview-nonce", OPT_PREVIEW_NONCE, 1, "the preview's CSP nonce"},
    {"status", OPT_STATUS, 0, "print the outcome on stderr"},
    {"chunk", OPT_CHUNK, 1, "bytes fed at a time"},
    {"chunk-seed", OPT_CHUNK_SEED, 1, "random chunk sizes"},
    {"check", OPT_CHECK, 0, "validate dictionary files"},
    {"verbose", 'v', 0, "log why a page is left alone"},
    {"version", OPT_VERSION, 0, "the version"},
    {"help", 'h', 0, "this text"},
    {NULL, 0, 0, NULL}
};

static void bad_option(const char *arg)
{
    fprintf(stderr, "geotag: unknown option \"%s\"\n", arg);
    usage(stderr);
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
    char markup[GEOTAG_EDIT_RENDER_MAX];
    while (geotag_session_next_edit(s, &e)) {
        apr_size_t len;
        const char *bytes;
        pass_until(st, e.offset);
        if (e.kind == GEOTAG_EDIT_JSONLD && st->mode == MODE_JSONLD) {
            const char *open, *close;
            bytes = geotag_session_render(s, &e, scratch, markup, &len);
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
        bytes = geotag_session_render(s, &e, scratch, markup, &len);
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

static void keep_mention(void *baton, const geotag_mention *m)
{
    cli_stream *st = baton;
    apr_pool_t *pool = st->mentions->pool;
    apr_size_t i, at = (apr_size_t)(m->offset - st->base), n = 0;
    cli_mention *c = apr_array_push(st->mentions);
    char *text = apr_palloc(pool, m->length + 1);

    for (i = 0; i < m->length && at + i < st->len; i++) {
        char ch = st->data[at + i];
        text[n++] = ch == '\t' || ch == '\n' || ch == '\r' ? ' ' : ch;
    }
    text[n] = '\0';
    c->offset = m->offset;
    c->seq = st->mentions->nelts;
    c->line = apr_psprintf(pool, "%" APR_OFF_T_FMT "\t%" APR_SIZE_T_FMT
                           "\t%s\t%s\t%s\n", m->offset, m->length, m->kind,
                           m->id, text);
}

static int mention_order(const void *a, const void *b)
{
    const cli_mention *x = a, *y = b;
    if (x->offset != y->offset)
        return x->offset < y->offset ? -1 : 1;
    return x->seq - y->seq;
}

static void print_mentions(cli_stream *st)
{
    int i;
    cli_mention *m = (cli_mention *)st->mentions->elts;
    qsort(m, (size_t)st->mentions->nelts, sizeof(*m), mention_order);
    for (i = 0; i < st->mentions->nelts; i++)
        fputs(m[i].line, stdout);
}

static int check_files(apr_pool_t *pool, const char *schema,
                       const char *lang_packs, const char *const *files,
                       int n)
{
    const char *error = NULL;
    geotag_engine *engine = geotag_engine_load(pool, schema, lang_packs, files,
                                               n, &error);
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

/* What the command line asks for, besides the engine's options. */
typedef struct {
    const char *schema;           /* --schema, NULL: the built-in one */
    const char *lang_packs;       /* --lang-packs */
    const char **dicts, **checks; /* --dict files, --check files */
    int n_dicts, n_checks;
    int check;                    /* --check given */
    int status_flag;              /* --status */
    int verbosity;                /* GEOTAG_LOG_* level logged */
    apr_size_t chunk;             /* --chunk */
    unsigned long chunk_seed;     /* --chunk-seed, 0 for fixed chunks */
} cli_args;

/* One option and its value.  Returns -1 to go on, else the exit status. */
static int take_option(apr_pool_t *pool, apr_getopt_t *os, int optch,
                       const char *v, cli_args *a, geotag_options *opt,
                       cli_stream *st)
{
    const char *error = NULL;

    switch (optch) {
    case OPT_DICT:
        a->dicts[a->n_dicts++] = v;
        break;
    case OPT_SCHEMA:
        a->schema = v;
        break;
    case OPT_LANG_PACKS:
        a->lang_packs = v;
        break;
    case OPT_LANG:
        opt->lang = v;
        break;
    case OPT_URL:
        opt->url = v;
        break;
    case OPT_DATE: {
        char day[11];
        if (strlen(v) != 10 || !geotag_utc_day(v, strlen(v), day)) {
            fprintf(stderr, "geotag: bad --date \"%s\" (a day: YYYY-MM-DD)\n",
                    v);
            return 2;
        }
        opt->date = v;
        break;
    }
    case OPT_COUNTRY:
        opt->country = v;
        break;
    case OPT_CHARSET:
        opt->charset = v;
        break;
    case OPT_TYPES:
        if (!(opt->types = parse_types(v))) {
            fprintf(stderr, "geotag: bad --types \"%s\" (use actors,"
                    "treaties,figures,dates)\n", v);
            return 2;
        }
        break;
    case OPT_SCOPE: {
        geotag_scope_rule *rules = geotag_scope_parse(pool, v, &opt->n_scope,
                                                      &error);
        if (!rules) {
            fprintf(stderr, "geotag: --scope: %s\n", error);
            return 2;
        }
        opt->scope = rules;
        break;
    }
    case OPT_MARKUP:
        if (!strcmp(v, "data"))
            opt->markup = GEOTAG_MARKUP_DATA;
        else if (!strcmp(v, "microdata"))
            opt->markup = GEOTAG_MARKUP_MICRODATA;
        else if (!strcmp(v, "none"))
            opt->markup = GEOTAG_MARKUP_NONE;
        else {
            fprintf(stderr, "geotag: bad --markup \"%s\" (data, microdata "
                    "or none)\n", v);
            return 2;
        }
        break;
    case OPT_FIRST_ONLY:
        opt->first_only = 1;
        break;
    case OPT_NO_JSONLD:
        opt->jsonld = 0;
        break;
    case OPT_JSONLD:
        st->mode = MODE_JSONLD;
        break;
    case OPT_MENTIONS:
        st->mode = MODE_MENTIONS;
        break;
    case OPT_PREVIEW:
        opt->preview = 1;
        break;
    case OPT_PREVIEW_NONCE:
        opt->preview_nonce = v;
        break;
    case OPT_STATUS:
        a->status_flag = 1;
        break;
    case 'v':
        a->verbosity = a->verbosity < GEOTAG_LOG_INFO ? GEOTAG_LOG_INFO
                                                      : GEOTAG_LOG_DEBUG;
        break;
    case OPT_CHUNK: {
        char *end;
        long n = strtol(v, &end, 10);
        if (*end || n < 1 || n > (1L << 30)) {
            fprintf(stderr, "geotag: bad --chunk \"%s\"\n", v);
            return 2;
        }
        a->chunk = (apr_size_t)n;
        break;
    }
    case OPT_CHUNK_SEED:
        a->chunk_seed = strtoul(v, NULL, 10) | 1;
        break;
    case OPT_CHECK:
        /* the files are the arguments up to the next option */
        a->check = 1;
        while (os->ind < os->argc &&
               strncmp(os->argv[os->ind], "--", 2) != 0)
            a->checks[a->n_checks++] = os->argv[os->ind++];
        break;
    case 'h':
        usage(stdout);
        return 0;
    case OPT_VERSION:
        printf("geotag %s\n", geotag_version);
        return 0;
    }
    return -1;
}

/* The command line.  Returns -1 to go on, else the exit status. */
static int parse_args(apr_pool_t *pool, int argc, char **argv, cli_args *a,
                      geotag_options *opt, cli_stream *st)
{
    apr_getopt_t *os;

    apr_getopt_init(&os, pool, argc, (const char *const *)argv);
    os->errfn = NULL;   /* our own messages, below */
    while (os->ind < argc) {
        const char *v, *arg = os->argv[os->ind];
        int optch, done;
        apr_status_t rv;

        /* the page comes on stdin: an argument that is no option (or a
         * bare "--", which APR would take as the end of the options) is
         * an error; so is "--name=value", which the command never took */
        if (arg[0] != '-' || strcmp(arg, "--") == 0 || strchr(arg, '=')) {
            bad_option(arg);
            return 2;
        }
        rv = apr_getopt_long(os, cli_options, &optch, &v);
        if (rv == APR_BADARG) {
            fprintf(stderr, "geotag: %s needs a value\n", arg);
            return 2;
        }
        /* "-h" in a run of letters ("-hx") is no option of ours */
        if (rv != APR_SUCCESS || *os->place) {
            bad_option(arg);
            return 2;
        }
        done = take_option(pool, os, optch, v, a, opt, st);
        if (done >= 0)
            return done;
    }
    return -1;
}

/* Feeds stdin to the session chunk by chunk, writing as it goes.  Returns
 * 0, or 1 on a read error or out of memory. */
static int tag_stdin(geotag_session *s, cli_stream *st, apr_pool_t *scratch,
                     const cli_args *a)
{
    apr_size_t chunk = a->chunk;
    unsigned long chunk_seed = a->chunk_seed;
    char *buf = malloc(chunk * 2 + 1);

    st->cap = chunk * 2 + 65536;
    st->data = malloc(st->cap);
    if (!buf || !st->data) {
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
        if (st->len + (apr_size_t)n > st->cap) {
            st->cap = (st->len + (apr_size_t)n) * 2;
            st->data = realloc(st->data, st->cap);
            if (!st->data) {
                fprintf(stderr, "geotag: out of memory\n");
                return 1;
            }
        }
        memcpy(st->data + st->len, buf, (apr_size_t)n);
        st->len += (apr_size_t)n;
        geotag_session_feed(s, buf, (apr_size_t)n);
        drain(s, st, scratch);
        pass_until(st, geotag_session_stable(s));
    }
    free(buf);
    return 0;
}

int main(int argc, char **argv)
{
    apr_pool_t *pool, *scratch;
    const char *error = NULL;
    cli_args a;
    geotag_options opt;
    geotag_engine *engine;
    geotag_session *s;
    cli_stream st;
    int rc;

    apr_app_initialize(&argc, (const char *const **)&argv, NULL);
    apr_pool_create(&pool, NULL);
    apr_pool_create(&scratch, pool);
    geotag_options_default(&opt);
    memset(&st, 0, sizeof(st));
    st.mode = MODE_PAGE;
    memset(&a, 0, sizeof(a));
    a.lang_packs = GEOTAG_CONF_DIR "/lang";
    a.verbosity = GEOTAG_LOG_WARNING;
    a.chunk = 8192;
    a.dicts = apr_pcalloc(pool, sizeof(char *) * (argc + 1));
    a.checks = apr_pcalloc(pool, sizeof(char *) * (argc + 1));
    rc = parse_args(pool, argc, argv, &a, &opt, &st);
    if (rc >= 0)
        return rc;

    if (a.check) {
        if (a.n_checks == 0) {
            fprintf(stderr, "geotag: --check needs at least one file\n");
            return 2;
        }
        rc = check_files(pool, a.schema, a.lang_packs, a.checks, a.n_checks);
        apr_pool_destroy(pool); /* runs the cleanups: the compiled pattern */
        apr_terminate();
        return rc;
    }
    if (a.n_dicts == 0)
        a.dicts[a.n_dicts++] = GEOTAG_CONF_DIR "/gazetteer.xml";
    engine = geotag_engine_load(pool, a.schema, a.lang_packs,
                                (const char *const *)a.dicts,
                                a.n_dicts, &error);
    if (!engine) {
        fprintf(stderr, "geotag: %s\n", error);
        return 2;
    }
    if (opt.country &&
        geotag_gazetteer_find(engine->gazetteer, opt.country) < 0) {
        fprintf(stderr, "geotag: --country %s is not an entity of the "
                "dictionary\n", opt.country);
        return 2;
    }

    st.out = st.mode == MODE_PAGE ? stdout : NULL;
    if (st.mode == MODE_MENTIONS) {
        st.mentions = apr_array_make(pool, 64, sizeof(cli_mention));
        opt.mention = keep_mention;
        opt.mention_baton = &st;
    }
    opt.log = cli_log;
    opt.log_is_level = cli_log_is_level;
    opt.log_baton = &a.verbosity;
    s = geotag_session_create(pool, engine, &opt);
    if (tag_stdin(s, &st, scratch, &a) != 0)
        return 1;
    geotag_session_finish(s);
    drain(s, &st, scratch);
    pass_until(&st, st.base + (apr_off_t)st.len);
    if (st.mentions)
        print_mentions(&st);
    if (a.status_flag)
        fprintf(stderr, "geotag: %s, %d mentions, %d entities, peak-rss-kb %ld\n",
                geotag_status_name(geotag_session_status(s)),
                geotag_session_mentions(s), geotag_session_entities(s),
                peak_rss_kb());
    if (fflush(stdout) != 0 || st.failed) {
        perror("geotag: write");
        return 1;
    }
    free(st.data);
    apr_pool_destroy(pool);
    apr_terminate();
    return 0;
}
