/*
 * test_figures.c: figures and dates in normalized keys (src/figures.c).
 *
 * The lexicon is built by hand, so these checks do not depend on the
 * gazetteer loader.  Every figure is checked for its kind, value, unit,
 * currency and the exact key bytes its markup would wrap.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <apr_general.h>
#include <apr_tables.h>

#include "figures.h"
#include "tap.h"

#define MAX_OUT 32

static geotag_figures *figs;
static geotag_figures_scratch *scratch;
static geotag_figure out[MAX_OUT];
static const char *last_key;

static const geotag_unit test_units[] = {
    {"it", "soldati", NULL},
    {"it", "proiettili", NULL},
    {"it", "dollari", "USD"},
    {"it", "carri armati", NULL},
    {"it", "unità", NULL},
    {"en", "shells", NULL},
    {"en", "troops", NULL},
    {"en", "dollars", "USD"},
    {"en", "artillery shells", NULL},
    {NULL, "euro", "EUR"},
};

static const char *kind_name(geotag_figure_kind k)
{
    switch (k) {
    case GEOTAG_FIGURE_NUMBER:
        return "NUMBER";
    case GEOTAG_FIGURE_PERCENT:
        return "PERCENT";
    case GEOTAG_FIGURE_MONEY:
        return "MONEY";
    case GEOTAG_FIGURE_DATE:
        return "DATE";
    }
    return "?";
}

static int find(const char *key, const char *lang)
{
    last_key = key;
    return geotag_figures_find(figs, scratch, key, strlen(key), lang, out,
                               MAX_OUT);
}

/* One check per figure, so a failure prints everything that differs. */
static void check_figure(int i, geotag_figure_kind kind, const char *value,
                         const char *wrapped, const char *unit,
                         const char *currency, const char *name)
{
    const geotag_figure *f = &out[i];
    size_t n = f->end - f->start;
    int good = f->kind == kind && strcmp(f->value, value) == 0 &&
               n == strlen(wrapped) &&
               memcmp(last_key + f->start, wrapped, n) == 0 &&
               ((!unit && !f->unit) ||
                (unit && f->unit && strcmp(f->unit->text, unit) == 0)) &&
               ((!currency && !f->currency) ||
                (currency && f->currency &&
                 strcmp(f->currency, currency) == 0));
    ok(good, "%s", name);
    if (!good) {
        tap_diag("got:  %s %s [%.*s] unit=%s currency=%s",
                 kind_name(f->kind), f->value, (int)n, last_key + f->start,
                 f->unit ? f->unit->text : "-",
                 f->currency ? f->currency : "-");
        tap_diag("want: %s %s [%s] unit=%s currency=%s", kind_name(kind),
                 value, wrapped, unit ? unit : "-", currency ? currency : "-");
    }
}

/* A key with exactly one figure. */
static void one(const char *key, const char *lang, geotag_figure_kind kind,
                const char *value, const char *wrapped, const char *unit,
                const char *currency)
{
    int n = find(key, lang);
    char name[200];
    snprintf(name, sizeof(name), "one figure: %s", key);
    if (!is_int(n, 1, name)) {
        int i;
        for (i = 0; i < n; i++)
            tap_diag("figure %d: %s %s [%.*s]", i, kind_name(out[i].kind),
                     out[i].value, (int)(out[i].end - out[i].start),
                     key + out[i].start);
        return;
    }
    check_figure(0, kind, value, wrapped, unit, currency, key);
}

static void none(const char *key, const char *lang)
{
    int n = find(key, lang);
    char name[200];
    snprintf(name, sizeof(name), "no figure: %s", key);
    is_int(n, 0, name);
    if (n > 0)
        tap_diag("first: %s %s [%.*s]", kind_name(out[0].kind), out[0].value,
                 (int)(out[0].end - out[0].start), key + out[0].start);
}

static void test_article(void)
{
    static const char spedizioni[] =
        "le spedizioni nordcoreane, iniziate gia alla fine del 2022, "
        "avrebbero raggiunto i 2,8 milioni di proiettili all'anno, appena "
        "100.000 in meno rispetto alla produzione annuale della russia, che "
        "si attesta sui 2,9 milioni di proiettili.";
    static const char soldati[] =
        "si parla ormai di qualcosa come 10mila, forse di piu, soldati "
        "nordcoreani che potrebbero essere schierati in russia entro la fine "
        "del 2024.";

    is_int(find(spedizioni, "it"), 4, "spedizioni: four figures");
    check_figure(0, GEOTAG_FIGURE_DATE, "2022", "fine del 2022", NULL, NULL,
                 "spedizioni: fine del 2022");
    check_figure(1, GEOTAG_FIGURE_NUMBER, "2800000", "2,8 milioni",
                 "proiettili", NULL, "spedizioni: 2,8 milioni di proiettili");
    check_figure(2, GEOTAG_FIGURE_NUMBER, "100000", "100.000", NULL, NULL,
                 "spedizioni: 100.000 in meno has no unit");
    check_figure(3, GEOTAG_FIGURE_NUMBER, "2900000", "2,9 milioni",
                 "proiettili", NULL, "spedizioni: 2,9 milioni di proiettili");
    is_int(find(spedizioni, NULL), 4, "spedizioni, no language: four");
    check_figure(1, GEOTAG_FIGURE_NUMBER, "2800000", "2,8 milioni",
                 "proiettili", NULL, "no language: 2,8 milioni");
    check_figure(2, GEOTAG_FIGURE_NUMBER, "100000", "100.000", NULL, NULL,
                 "no language: '.' + 3 digits groups thousands");

    is_int(find(soldati, "it"), 2, "soldati: two figures");
    check_figure(0, GEOTAG_FIGURE_NUMBER, "10000", "10mila", "soldati", NULL,
                 "10mila, forse di piu, soldati");
    check_figure(1, GEOTAG_FIGURE_DATE, "2024", "fine del 2024", NULL, NULL,
                 "entro la fine del 2024");

    one("un accordo di difesa firmato a giugno 2024 tra", "it",
        GEOTAG_FIGURE_DATE, "2024-06", "giugno 2024", NULL, NULL);
    one("in siria nel 2018, quando", "it", GEOTAG_FIGURE_DATE, "2018",
        "2018", NULL, NULL);
    one("north korea may have sent 10,000 troops", "en",
        GEOTAG_FIGURE_NUMBER, "10000", "10,000", "troops", NULL);
}

static void test_numbers(void)
{
    one("2.8 million shells", "en", GEOTAG_FIGURE_NUMBER, "2800000",
        "2.8 million", "shells", NULL);
    one("2.8 million artillery shells", "en", GEOTAG_FIGURE_NUMBER, "2800000",
        "2.8 million", "artillery shells", NULL);
    one("qualcosa come 10 mila soldati", "it", GEOTAG_FIGURE_NUMBER, "10000",
        "10 mila", "soldati", NULL);
    one("1,25 miliardi", "it", GEOTAG_FIGURE_NUMBER, "1250000000",
        "1,25 miliardi", NULL, NULL);
    one("1 milione", "it", GEOTAG_FIGURE_NUMBER, "1000000", "1 milione", NULL,
        NULL);
    one("4,5 mln", "it", GEOTAG_FIGURE_NUMBER, "4500000", "4,5 mln", NULL,
        NULL);
    one("3 mld", "it", GEOTAG_FIGURE_NUMBER, "3000000000", "3 mld", NULL,
        NULL);
    one("1.5 trillion", "en", GEOTAG_FIGURE_NUMBER, "1500000000000",
        "1.5 trillion", NULL, NULL);
    one("about 10k of them", "en", GEOTAG_FIGURE_NUMBER, "10000", "10k", NULL,
        NULL);
    one("10 thousand troops", "en", GEOTAG_FIGURE_NUMBER, "10000",
        "10 thousand", "troops", NULL);
    one("10.000 soldati", "it", GEOTAG_FIGURE_NUMBER, "10000", "10.000",
        "soldati", NULL);
    one("10.5 and more", "en", GEOTAG_FIGURE_NUMBER, "10.5", "10.5", NULL,
        NULL);
    one("1,5 volte", "it", GEOTAG_FIGURE_NUMBER, "1.5", "1,5", NULL, NULL);
    one("0,5 punti", "it", GEOTAG_FIGURE_NUMBER, "0.5", "0,5", NULL, NULL);
    one("i 2.8 milioni", "it", GEOTAG_FIGURE_NUMBER, "2800000",
        "2.8 milioni", NULL, NULL);
    one("1.234.567,89 euro", "it", GEOTAG_FIGURE_MONEY, "1234567.89",
        "1.234.567,89", "euro", "EUR");
    one("150 000 soldati", "it", GEOTAG_FIGURE_NUMBER, "150000", "150 000",
        "soldati", NULL);
    one("10 carri armati", "it", GEOTAG_FIGURE_NUMBER, "10", "10",
        "carri armati", NULL);
    one("3 unita di fanteria", "it", GEOTAG_FIGURE_NUMBER, "3", "3", "unità",
        NULL);
    one("007 agenti", "it", GEOTAG_FIGURE_NUMBER, "7", "007", NULL, NULL);
    one("10,000 troops", "it", GEOTAG_FIGURE_NUMBER, "10", "10,000", NULL,
        NULL);   /* Italian reading; "troops" is no Italian unit */
    one("10,000 troops", NULL, GEOTAG_FIGURE_NUMBER, "10000", "10,000",
        "troops", NULL);

    is_int(find("2-3 milioni di soldati", "it"), 2, "a range: two numbers");
    check_figure(0, GEOTAG_FIGURE_NUMBER, "2", "2", NULL, NULL, "range low");
    check_figure(1, GEOTAG_FIGURE_NUMBER, "3000000", "3 milioni", "soldati",
                 NULL, "range high");
}

static void test_percent_money(void)
{
    one("30%", "it", GEOTAG_FIGURE_PERCENT, "30", "30%", NULL, NULL);
    one("un calo del 30 % annuo", "it", GEOTAG_FIGURE_PERCENT, "30", "30 %",
        NULL, NULL);
    one("il 30 per cento", "it", GEOTAG_FIGURE_PERCENT, "30", "30 per cento",
        NULL, NULL);
    one("2,5 per cento", "it", GEOTAG_FIGURE_PERCENT, "2.5", "2,5 per cento",
        NULL, NULL);
    one("30 percent", "en", GEOTAG_FIGURE_PERCENT, "30", "30 percent", NULL,
        NULL);
    one("30 per cent", "en", GEOTAG_FIGURE_PERCENT, "30", "30 per cent", NULL,
        NULL);

    one("$60bn", "en", GEOTAG_FIGURE_MONEY, "60000000000", "$60bn", NULL,
        "USD");
    one("a $ 60 billion loan", "en", GEOTAG_FIGURE_MONEY, "60000000000",
        "$ 60 billion", NULL, "USD");
    one("60 miliardi di dollari", "it", GEOTAG_FIGURE_MONEY, "60000000000",
        "60 miliardi", "dollari", "USD");
    one("5 million dollars", "en", GEOTAG_FIGURE_MONEY, "5000000",
        "5 million", "dollars", "USD");
    one("\xe2\x82\xac" "5", "it", GEOTAG_FIGURE_MONEY, "5", "\xe2\x82\xac" "5",
        NULL, "EUR");
    one("costa 5 euro", "it", GEOTAG_FIGURE_MONEY, "5", "5", "euro", "EUR");
    one("5 \xe2\x82\xac al mese", "it", GEOTAG_FIGURE_MONEY, "5",
        "5 \xe2\x82\xac", NULL, "EUR");
    one("\xc2\xa3" "3m", "en", GEOTAG_FIGURE_MONEY, "3000000",
        "\xc2\xa3" "3m", NULL, "GBP");
    one("\xc2\xa5" "100", "en", GEOTAG_FIGURE_MONEY, "100",
        "\xc2\xa5" "100", NULL, "JPY");
    one("us$ 5 million", "en", GEOTAG_FIGURE_MONEY, "5000000",
        "us$ 5 million", NULL, "USD");

    is_int(find("\xe2\x82\xac" "5 \xe2\x82\xac" "6", "it"), 2,
           "adjacent euro amounts stay apart");
    check_figure(1, GEOTAG_FIGURE_MONEY, "6", "\xe2\x82\xac" "6", NULL, "EUR",
                 "the second symbol belongs to the second amount");
}

static void test_dates(void)
{
    one("19 giugno 2024", "it", GEOTAG_FIGURE_DATE, "2024-06-19",
        "19 giugno 2024", NULL, NULL);
    one("il 1\xc2\xb0 giugno 2024", "it", GEOTAG_FIGURE_DATE, "2024-06-01",
        "1\xc2\xb0 giugno 2024", NULL, NULL);
    one("19 june 2024", "en", GEOTAG_FIGURE_DATE, "2024-06-19",
        "19 june 2024", NULL, NULL);
    one("on june 19, 2024 the", "en", GEOTAG_FIGURE_DATE, "2024-06-19",
        "june 19, 2024", NULL, NULL);
    one("june 19th, 2024", "en", GEOTAG_FIGURE_DATE, "2024-06-19",
        "june 19th, 2024", NULL, NULL);
    one("sept. 3, 2024", "en", GEOTAG_FIGURE_DATE, "2024-09-03",
        "sept. 3, 2024", NULL, NULL);
    one("june 2024", "en", GEOTAG_FIGURE_DATE, "2024-06", "june 2024", NULL,
        NULL);
    one("nel giugno del 2024", "it", GEOTAG_FIGURE_DATE, "2024-06",
        "giugno del 2024", NULL, NULL);
    one("il 19/06/2024", "it", GEOTAG_FIGURE_DATE, "2024-06-19", "19/06/2024",
        NULL, NULL);
    one("on 06/19/2024", "en", GEOTAG_FIGURE_DATE, "2024-06-19", "06/19/2024",
        NULL, NULL);
    one("on 03/04/2024", "en", GEOTAG_FIGURE_DATE, "2024-03-04", "03/04/2024",
        NULL, NULL);
    one("il 03/04/2024", "it", GEOTAG_FIGURE_DATE, "2024-04-03", "03/04/2024",
        NULL, NULL);
    one("il 19.06.2024", "it", GEOTAG_FIGURE_DATE, "2024-06-19", "19.06.2024",
        NULL, NULL);
    one("2024-06-19", NULL, GEOTAG_FIGURE_DATE, "2024-06-19", "2024-06-19",
        NULL, NULL);
    one("entro il 2025", "it", GEOTAG_FIGURE_DATE, "2025", "2025", NULL, NULL);
    one("dell'anno 2023 e", "it", GEOTAG_FIGURE_DATE, "2023", "2023", NULL,
        NULL);
    one("a meta 2023", "it", GEOTAG_FIGURE_DATE, "2023", "meta 2023", NULL,
        NULL);
    one("all'inizio del 2023", "it", GEOTAG_FIGURE_DATE, "2023",
        "inizio del 2023", NULL, NULL);
    one("since 2014", "en", GEOTAG_FIGURE_DATE, "2014", "2014", NULL, NULL);
    one("in early 2023", "en", GEOTAG_FIGURE_DATE, "2023", "early 2023", NULL,
        NULL);
    one("by the end of 2024", "en", GEOTAG_FIGURE_DATE, "2024",
        "end of 2024", NULL, NULL);
    one("in mid-2024", "en", GEOTAG_FIGURE_DATE, "2024", "mid-2024", NULL,
        NULL);
    one("a total of 2000 troops", "en", GEOTAG_FIGURE_NUMBER, "2000", "2000",
        "troops", NULL);

    is_int(find("dal 2014 al 2022", "it"), 2, "dal 2014 al 2022: two years");
    check_figure(1, GEOTAG_FIGURE_DATE, "2022", "2022", NULL, NULL,
                 "al 2022");
}

static void test_negatives(void)
{
    none("il vertice del g20 a roma", "it");
    none("gli f-16 promessi", "it");
    none("durante la pandemia di covid-19", "it");
    none("il 2024 e stato un anno", "it");
    none("e arrivato 2\xc2\xb0 in classifica", "it");
    none("the 1st and the 3rd", "en");
    none("a marzo la russia", "it");
    none("il 19 giugno, a roma", "it");
    none("file mp3, reti 5g e h2o", "it");
    none("numero 12345678901234567890 di serie", "it");
    none("in the 1990s", "en");
    none("alle 10:30 e 24/7", "it");
    none("una rete 5m piu lunga", "it");
    one("ha 2000 soldati", "it", GEOTAG_FIGURE_NUMBER, "2000", "2000",
        "soldati", NULL);   /* year-like, but counting something */
    none("2026", "it");
    one("may 5 ships", "en", GEOTAG_FIGURE_NUMBER, "5", "5", NULL, NULL);
}

static void test_limits(void)
{
    static const char many[] = "1 soldato, 2 soldati, 3 soldati, 4 soldati";
    char *big;
    size_t n = 1 << 20, i;
    clock_t t0;
    int calls, found = 0;
    double secs;

    is_int(geotag_figures_find(figs, scratch, many, strlen(many), "it", out,
                               2), 2, "at most 'max' figures");
    is_int(geotag_figures_find(figs, scratch, many, strlen(many), "it", out,
                               0), 0, "max 0: nothing");
    is_int(geotag_figures_find(figs, scratch, many, 0, "it", out, MAX_OUT), 0,
           "empty key");

    big = malloc(n);
    for (i = 0; i < n; i++)
        big[i] = "abc def, ghi. \xc3\xa8"[i % 16];
    t0 = clock();
    for (calls = 0; calls < 50; calls++)
        found += geotag_figures_find(figs, scratch, big, n, "it", out,
                                     MAX_OUT);
    secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    is_int(found, 0, "no digit, no figure");
    ok(secs < 2.0, "50 MB without a digit in %.3f s", secs);
    free(big);
}

/* A tiny deterministic generator, so a failure reproduces. */
static unsigned long fuzz_state = 20241019UL;

static unsigned fuzz_next(unsigned n)
{
    fuzz_state = fuzz_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((fuzz_state >> 33) % n);
}

static void test_fuzz(void)
{
    static const char *const pieces[] = {
        "0", "1", "2", "19", "2024", "100", "000", "12345678", ".", ",", " ",
        "  ", "-", "/", ":", "%", "'", "mila", " milioni", " miliardi", "bn",
        "k", "m", "giugno", "june", "sept.", "may", "nel ", "fine del ",
        "mid-", "in ", "entro il ", "\xe2\x82\xac", "$", "us$", "\xc2\xa3",
        "\xc2\xb0", "\xc3", "\xe2\x82", "per cento", " percent", " soldati",
        " di dollari", "troops", "th", "st", "g", "f-", "covid-", "abc",
        "x", ";", "(", "\"", "2,8", "10.000", "1 000", "of ", "del ",
    };
    const char *const langs[] = {"it", "en", NULL};
    int round, bad_range = 0, bad_value = 0, bad_count = 0;

    for (round = 0; round < 3000; round++) {
        char text[256], *key;
        size_t len = 0;
        int parts = 1 + (int)fuzz_next(24), i, n, max;
        apr_size_t prev = 0;

        for (i = 0; i < parts; i++) {
            const char *p = pieces[fuzz_next(sizeof(pieces) /
                                             sizeof(pieces[0]))];
            size_t pl = strlen(p);
            if (len + pl >= sizeof(text))
                break;
            memcpy(text + len, p, pl);
            len += pl;
        }
        /* exactly len bytes, no NUL: reading past the end shows under ASan */
        key = malloc(len ? len : 1);
        memcpy(key, text, len);
        max = round % 7 == 0 ? 2 : MAX_OUT;
        n = geotag_figures_find(figs, scratch, key, len, langs[round % 3], out,
                                max);
        if (n < 0 || n > max)
            bad_count++;
        for (i = 0; i < n; i++) {
            const char *v = out[i].value;
            size_t vl = strnlen(v, GEOTAG_FIGURE_VALUE_MAX);
            if (out[i].start < prev || out[i].end <= out[i].start ||
                out[i].end > len)
                bad_range++;
            prev = out[i].end;
            if (vl == 0 || vl == GEOTAG_FIGURE_VALUE_MAX ||
                strspn(v, "0123456789.-") != vl)
                bad_value++;
        }
        free(key);
    }
    is_int(bad_count, 0, "fuzz: counts within max");
    is_int(bad_range, 0, "fuzz: ranges sorted, disjoint, within the key");
    is_int(bad_value, 0, "fuzz: values are [0-9.-], NUL-terminated");
}

int main(void)
{
    apr_pool_t *pool;
    geotag_gazetteer g;
    const geotag_gazetteer *packs;
    const char *error = NULL;
    size_t i;

    apr_initialize();
    apr_pool_create(&pool, NULL);
    memset(&g, 0, sizeof(g));
    g.fold_accents = 1;
    /* the words of the shipped language packs, the units of this test */
    packs = geotag_gazetteer_load(pool, "conf/gazetteer.rng", "conf/lang",
                                  NULL, 0, &error);
    if (!ok(packs != NULL, "language packs load")) {
        tap_diag("%s", error ? error : "(no message)");
        return tap_done();
    }
    g.lexicon = packs->lexicon;
    g.units = apr_array_make(pool, 16, sizeof(geotag_unit));
    for (i = 0; i < sizeof(test_units) / sizeof(test_units[0]); i++)
        APR_ARRAY_PUSH(g.units, geotag_unit) = test_units[i];

    figs = geotag_figures_compile(pool, &g, &error);
    if (!ok(figs != NULL, "compile")) {
        tap_diag("%s", error ? error : "(no message)");
        return tap_done();
    }
    scratch = geotag_figures_scratch_create(pool, figs);
    if (!ok(scratch != NULL, "scratch"))
        return tap_done();

    test_article();
    test_numbers();
    test_percent_money();
    test_dates();
    test_negatives();
    test_limits();
    test_fuzz();

    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
