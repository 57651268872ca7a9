/*
 * bench_engine.c: engine throughput on whole pages, as the filter sees
 * them: one fresh session per page, 8 KB chunks, every edit rendered.
 *
 *   bench_engine [--dict FILE]... [--scope RULES] [--label NAME] PAGE...
 *   bench_engine --once [--dict FILE]... [--scope RULES] PAGE...
 *
 * Prints MB/s of input HTML per core (median of 5 rounds; each round runs
 * the page set repeatedly for at least 0.3 s), the mentions marked per page
 * (more entities in a dictionary mean more mentions, and more work), and
 * the dictionary's load: time and resident memory added.  Pages are read
 * into memory first, so the figure is CPU only.  --scope gives the scope
 * rules (GeoTagScope; "body" puts the whole body in scope).
 *
 * A second line sets the engine against two references run over the same
 * pages in the same process, each round of the engine followed by a round
 * of each, so that they share the machine's state of the moment:
 *   - the byte loop: every byte read and looked up in a class table, a
 *     flag kept for "inside a tag" and the letters outside tags counted;
 *     the least a tokenizer that steps through every byte does;
 *   - memchr: every '<' found with memchr, the way past bytes that need
 *     no look.
 * The engine's rate is printed as a fraction of each ("0.25x the byte
 * loop"): a ratio measured in one run, which a shared machine's noise
 * moves far less than the rates themselves.
 *
 * --once tags each page once, in order, and prints its size and mentions:
 * what t/bench/callgrind.sh counts instructions of, one call of tag_page()
 * per page (callgrind --toggle-collect=tag_page --dump-after=tag_page).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "annotator.h"

#ifndef GEOTAG_CONF_DIR
#define GEOTAG_CONF_DIR "conf"
#endif

typedef struct {
    char *data;
    apr_size_t len;
} page;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int read_page(const char *path, page *p)
{
    FILE *f = fopen(path, "rb");
    long n;
    if (!f)
        return 0;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    p->data = malloc(n + 1);
    p->len = fread(p->data, 1, n, f);
    fclose(f);
    return 1;
}

/* Resident set size of this process, in KB (Linux /proc), or 0. */
static long rss_kb(void)
{
    char line[256];
    long kb = 0;
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return 0;
    while (fgets(line, sizeof(line), f))
        if (!strncmp(line, "VmRSS:", 6))
            kb = strtol(line + 6, NULL, 10);
    fclose(f);
    return kb;
}

/* --scope, for every session */
static const geotag_scope_rule *engine_scope;
static int engine_n_scope;

/* One page through a fresh session.  Never inlined: t/bench/callgrind.sh
 * counts the instructions of each call. */
static __attribute__((noinline)) apr_size_t
tag_page(const geotag_engine *engine, const page *p, apr_pool_t *pool,
         int *mentions)
{
    geotag_options opt;
    geotag_session *s;
    geotag_edit e;
    char markup[GEOTAG_EDIT_RENDER_MAX];
    apr_size_t off, out = 0, len;
    geotag_options_default(&opt);
    if (engine_scope) {
        opt.scope = engine_scope;
        opt.n_scope = engine_n_scope;
    }
    s = geotag_session_create(pool, engine, &opt);
    for (off = 0; off < p->len; off += 8192) {
        apr_size_t n = p->len - off < 8192 ? p->len - off : 8192;
        geotag_session_feed(s, p->data + off, n);
        while (geotag_session_next_edit(s, &e)) {
            geotag_session_render(s, &e, pool, markup, &len);
            out += len;
            *mentions += e.kind == GEOTAG_EDIT_OPEN_ENTITY ||
                         e.kind == GEOTAG_EDIT_OPEN_FIGURE ||
                         e.kind == GEOTAG_EDIT_OPEN_DATE;
        }
    }
    geotag_session_finish(s);
    while (geotag_session_next_edit(s, &e)) {
        geotag_session_render(s, &e, pool, markup, &len);
        out += len;
        *mentions += e.kind == GEOTAG_EDIT_OPEN_ENTITY ||
                     e.kind == GEOTAG_EDIT_OPEN_FIGURE ||
                     e.kind == GEOTAG_EDIT_OPEN_DATE;
    }
    return out;
}

/* The references (see the top).  Their results go to a volatile, so that
 * the compiler cannot drop the loops. */
static volatile apr_size_t reference_sink;

enum { REF_LT = 1, REF_GT = 2, REF_LETTER = 4 };

static unsigned char ref_class[256];

static void ref_class_init(void)
{
    int c;

    for (c = 'a'; c <= 'z'; c++)
        ref_class[c] = ref_class[c - 'a' + 'A'] = REF_LETTER;
    ref_class['<'] = REF_LT;
    ref_class['>'] = REF_GT;
}

static apr_size_t byte_loop(const page *p)
{
    const unsigned char *s = (const unsigned char *)p->data;
    apr_size_t i, letters = 0;
    unsigned in_tag = 0;

    for (i = 0; i < p->len; i++) {
        unsigned c = ref_class[s[i]];
        letters += (c >> 2) & (in_tag ^ 1);
        in_tag = in_tag ? !(c & REF_GT) : (c & REF_LT);
    }
    return letters;
}

static apr_size_t memchr_loop(const page *p)
{
    const char *s = p->data, *end = p->data + p->len;
    apr_size_t n = 0;

    while ((s = memchr(s, '<', (apr_size_t)(end - s))) != NULL) {
        n++;
        s++;
    }
    return n;
}

typedef enum { RUN_ENGINE, RUN_BYTE_LOOP, RUN_MEMCHR } run_kind;

/* One round: the page set, again and again for at least 0.3 s; MB/s. */
static double round_rate(run_kind kind, const geotag_engine *engine,
                         const page *pages, int n_pages, apr_pool_t *request)
{
    apr_size_t bytes = 0, sink = 0;
    double start = now(), elapsed;
    int i, scratch = 0;

    do {
        for (i = 0; i < n_pages; i++) {
            if (kind == RUN_ENGINE) {
                sink += tag_page(engine, &pages[i], request, &scratch);
                apr_pool_clear(request);
            } else if (kind == RUN_BYTE_LOOP) {
                sink += byte_loop(&pages[i]);
            } else {
                sink += memchr_loop(&pages[i]);
            }
            bytes += pages[i].len;
        }
        elapsed = now() - start;
    } while (elapsed < 0.3);
    reference_sink += sink;
    return bytes / elapsed / 1e6;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, const char *const *argv)
{
    apr_pool_t *pool, *request;
    const char *dicts[64], *label = "pages", *error = NULL;
    const geotag_scope_rule *scope = NULL;
    int n_dicts = 0, n_pages = 0, n_scope = 0, i, round, mentions = 0;
    int once = 0;
    long rss0, rss1;
    page *pages = calloc(argc, sizeof(page));
    const char **names = calloc(argc, sizeof(char *));
    apr_size_t total = 0, inserted = 0;
    double rates[5], byte_rates[5], memchr_rates[5], t0, t1;
    geotag_engine *engine;

    apr_app_initialize(&argc, &argv, NULL);
    apr_pool_create(&pool, NULL);
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--dict") && i + 1 < argc)
            dicts[n_dicts++] = argv[++i];
        else if (!strcmp(argv[i], "--label") && i + 1 < argc)
            label = argv[++i];
        else if (!strcmp(argv[i], "--once"))
            once = 1;
        else if (!strcmp(argv[i], "--scope") && i + 1 < argc) {
            if (!(scope = geotag_scope_parse(pool, argv[++i], &n_scope,
                                             &error))) {
                fprintf(stderr, "bench_engine: --scope: %s\n", error);
                return 2;
            }
        }
        else if (read_page(argv[i], &pages[n_pages])) {
            names[n_pages] = argv[i];
            total += pages[n_pages++].len;
        }
        else
            fprintf(stderr, "bench_engine: cannot read %s\n", argv[i]);
    }
    if (n_dicts == 0)
        dicts[n_dicts++] = GEOTAG_CONF_DIR "/gazetteer.xml";
    rss0 = rss_kb();
    t0 = now();
    engine = geotag_engine_load(pool, GEOTAG_CONF_DIR "/gazetteer.rng",
                                GEOTAG_CONF_DIR "/lang", dicts, n_dicts,
                                &error);
    t1 = now();
    rss1 = rss_kb();
    if (!engine) {
        fprintf(stderr, "bench_engine: %s\n", error);
        return 2;
    }
    if (n_pages == 0) {
        fprintf(stderr, "bench_engine: no pages\n");
        return 2;
    }
    engine_scope = scope;
    engine_n_scope = n_scope;
    ref_class_init();
    apr_pool_create(&request, pool);
    if (once) {
        for (i = 0; i < n_pages; i++) {
            int page_mentions = 0;
            inserted += tag_page(engine, &pages[i], request, &page_mentions);
            apr_pool_clear(request);
            printf("%s\t%lu bytes\t%d mentions\n", names[i],
                   (unsigned long)pages[i].len, page_mentions);
        }
        return 0;
    }
    for (i = 0; i < n_pages; i++) {
        inserted += tag_page(engine, &pages[i], request, &mentions);
        apr_pool_clear(request);
    }
    for (round = 0; round < 5; round++) {
        rates[round] = round_rate(RUN_ENGINE, engine, pages, n_pages, request);
        byte_rates[round] =
            round_rate(RUN_BYTE_LOOP, engine, pages, n_pages, request);
        memchr_rates[round] =
            round_rate(RUN_MEMCHR, engine, pages, n_pages, request);
    }
    qsort(rates, 5, sizeof(double), compare_double);
    qsort(byte_rates, 5, sizeof(double), compare_double);
    qsort(memchr_rates, 5, sizeof(double), compare_double);
    printf("%-40s %4d pages %8.1f KB  %8.1f MB/s  %6.1f mentions/page  "
           "(dictionary: %d entities, %d forms, loaded in %.0f ms, "
           "+%.1f MB resident)\n",
           label, n_pages, total / 1e3, rates[2], (double)mentions / n_pages,
           engine->gazetteer->entities->nelts,
           geotag_matcher_forms(engine->matcher), (t1 - t0) * 1e3,
           (rss1 - rss0) / 1024.0);
    printf("    %.3fx the byte loop (%.0f MB/s in this run), "
           "%.4fx memchr for '<' (%.0f MB/s)\n",
           rates[2] / byte_rates[2], byte_rates[2], rates[2] / memchr_rates[2],
           memchr_rates[2]);
    (void)inserted;
    return 0;
}
