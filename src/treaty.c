/*
 * treaty.c: which treaty of the gazetteer a treaty word means (see
 * treaty.h).
 */
#include <string.h>

#include <apr_hash.h>
#include <apr_strings.h>

#include "normalize.h"
#include "treaty.h"

struct geotag_treaty_words {
    apr_hash_t *words;       /* one-word treaty words, normalized */
    apr_hash_t *determiners; /* the first word of each determiner */
    const int *treaties;     /* entity indices of kind TREATY */
    int n_treaties;
    /* the treaties each entity is a party to, once per time it is listed:
     * party_treaty[party_first[e] .. party_first[e + 1]) */
    const int *party_first;
    const int *party_treaty;
};

/* The back-reference memory: the treaty last named with a treaty word of
 * this family (its first four bytes). */
typedef struct {
    char family[5];
    int treaty;
} treaty_family;

struct geotag_treaty_resolver {
    apr_pool_t *pool;
    const geotag_treaty_words *w;
    const geotag_entity *entities;
    int n_entities;
    treaty_family *families;
    int n_families, max_families;
    int last_described; /* the treaty last resolved by description, or -1 */
    int *cand, *score;  /* described(): the treaties scored, their points */
    /* the window, and its sentence ends once found */
    const char *key;
    apr_size_t len;
    int sentence_ends_ready;
    apr_size_t *sentence_ends;
    int n_sentence_ends, sentence_ends_cap;
};

/* The first word of a normalized form: [*b, return value), or b == end. */
static apr_size_t first_word(const char *key, apr_size_t *b)
{
    apr_size_t len = strlen(key), p = 0;
    while (p < len && !geotag_is_word_byte(key[p]))
        p++;
    *b = p;
    while (p < len && geotag_is_word_byte(key[p]))
        p++;
    return p;
}

/* The treaties by party (counting sort over the entities' party lists). */
static void party_index(apr_pool_t *pool, geotag_treaty_words *w,
                        const geotag_entity *e, int n_entities)
{
    int *first = apr_pcalloc(pool, sizeof(int) * ((apr_size_t)n_entities + 2));
    int *fill, *party_treaty, t, p, total = 0;

    for (t = 0; t < w->n_treaties; t++) {
        const geotag_entity *treaty = &e[w->treaties[t]];
        for (p = 0; p < treaty->n_parties; p++)
            if (treaty->parties[p] >= 0 && treaty->parties[p] < n_entities) {
                first[treaty->parties[p] + 2]++;
                total++;
            }
    }
    for (p = 2; p < n_entities + 2; p++)
        first[p] += first[p - 1];
    /* first[e + 1] is now where e's list starts: filled up to first[e + 2] */
    party_treaty = apr_palloc(pool, sizeof(int) * ((apr_size_t)total + 1));
    fill = first + 1;
    for (t = 0; t < w->n_treaties; t++) {
        const geotag_entity *treaty = &e[w->treaties[t]];
        for (p = 0; p < treaty->n_parties; p++)
            if (treaty->parties[p] >= 0 && treaty->parties[p] < n_entities)
                party_treaty[fill[treaty->parties[p]]++] = w->treaties[t];
    }
    w->party_first = first;
    w->party_treaty = party_treaty;
}

geotag_treaty_words *geotag_treaty_words_compile(apr_pool_t *pool,
                                                 const geotag_gazetteer *g)
{
    geotag_treaty_words *w = apr_pcalloc(pool, sizeof(*w));
    const geotag_alias *a = (const geotag_alias *)g->aliases->elts;
    const geotag_alias *d = (const geotag_alias *)g->determiners->elts;
    const geotag_entity *e = (const geotag_entity *)g->entities->elts;
    int *treaties = apr_palloc(pool, sizeof(int) * (g->entities->nelts + 1));
    apr_size_t b, end;
    int i;

    w->words = apr_hash_make(pool);
    w->determiners = apr_hash_make(pool);
    for (i = 0; i < g->determiners->nelts; i++) {
        const char *key =
            geotag_normalize_string(pool, d[i].text, g->fold_accents, NULL);
        end = first_word(key, &b);
        if (end > b)
            apr_hash_set(w->determiners, key + b, end - b, "");
    }
    /* only one-word treaty words: they are looked for inside treaty names */
    for (i = 0; i < g->aliases->nelts; i++) {
        const char *key;
        if (a[i].role != GEOTAG_ALIAS_TREATY_WORD)
            continue;
        key = geotag_normalize_string(pool, a[i].text, g->fold_accents, NULL);
        end = first_word(key, &b);
        if (end > b && key[end] == '\0')
            apr_hash_set(w->words, key + b, end - b, "");
    }
    for (i = 0; i < g->entities->nelts; i++)
        if (e[i].kind == GEOTAG_KIND_TREATY)
            treaties[w->n_treaties++] = i;
    w->treaties = treaties;
    party_index(pool, w, e, g->entities->nelts);
    return w;
}

int geotag_treaty_is_word(const geotag_treaty_words *w, const char *word,
                          apr_size_t len)
{
    return len > 0 && apr_hash_get(w->words, word, (apr_ssize_t)len) != NULL;
}

int geotag_treaty_is_determiner(const geotag_treaty_words *w, const char *word,
                                apr_size_t len)
{
    return len > 0 &&
           apr_hash_get(w->determiners, word, (apr_ssize_t)len) != NULL;
}

geotag_treaty_resolver *
geotag_treaty_resolver_create(apr_pool_t *pool, const geotag_treaty_words *w,
                              const geotag_gazetteer *g, int families)
{
    geotag_treaty_resolver *r = apr_pcalloc(pool, sizeof(*r));
    r->pool = pool;
    r->w = w;
    r->entities = (const geotag_entity *)g->entities->elts;
    r->n_entities = g->entities->nelts;
    r->max_families = families;
    r->families =
        apr_palloc(pool, sizeof(treaty_family) * (apr_size_t)families);
    r->last_described = -1;
    return r;
}

void geotag_treaty_window(geotag_treaty_resolver *r, const char *key,
                          apr_size_t len)
{
    r->key = key;
    r->len = len;
    r->sentence_ends_ready = 0;
}

static inline int is_sentence_end(const char *key, apr_size_t len, apr_size_t i)
{
    char c = key[i];
    /* one test for the common case: no '!' (0x21), '.' (0x2e), ';' (0x3b)
     * nor '?' (0x3f) */
    if ((unsigned char)c < 0x21 || (unsigned char)c > 0x3f)
        return 0;
    if (c == '!' || c == '?' || c == ';')
        return 1;
    if (c != '.')
        return 0;
    /* "2.8" is not a sentence end; "U.S" neither */
    if (i + 1 < len && key[i + 1] != ' ' && key[i + 1] != '"')
        return 0;
    return 1;
}

/* Every sentence end of the window, in order (strpbrk runs to the key's
 * NUL sentinel; a NUL inside the text is stepped over). */
static void find_sentence_ends(geotag_treaty_resolver *r)
{
    const char *key = r->key;
    apr_size_t len = r->len, i = 0;

    r->n_sentence_ends = 0;
    while (i < len) {
        const char *p = strpbrk(key + i, ".!?;");
        if (p == NULL) {
            i += strlen(key + i) + 1;
            continue;
        }
        i = (apr_size_t)(p - key);
        if (i >= len)
            break;
        if (is_sentence_end(key, len, i)) {
            if (r->n_sentence_ends == r->sentence_ends_cap) {
                int cap = r->sentence_ends_cap ? r->sentence_ends_cap * 2 : 64;
                apr_size_t *bigger =
                    apr_palloc(r->pool, sizeof(*bigger) * (apr_size_t)cap);
                if (r->n_sentence_ends)
                    memcpy(bigger, r->sentence_ends,
                           sizeof(*bigger) * (apr_size_t)r->n_sentence_ends);
                r->sentence_ends = bigger;
                r->sentence_ends_cap = cap;
            }
            r->sentence_ends[r->n_sentence_ends++] = i;
        }
        i++;
    }
    r->sentence_ends_ready = 1;
}

void geotag_treaty_sentence(geotag_treaty_resolver *r, apr_size_t start,
                            apr_size_t end, apr_size_t *s0, apr_size_t *s1)
{
    /* after the last sentence end before the word, up to the first one at
     * or after its end */
    int lo = 0, hi;
    if (!r->sentence_ends_ready)
        find_sentence_ends(r);
    hi = r->n_sentence_ends;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (r->sentence_ends[mid] < start)
            lo = mid + 1;
        else
            hi = mid;
    }
    *s0 = lo > 0 ? r->sentence_ends[lo - 1] + 1 : 0;
    while (lo < r->n_sentence_ends && r->sentence_ends[lo] < end)
        lo++;
    *s1 = lo < r->n_sentence_ends ? r->sentence_ends[lo] : r->len;
}

/* The previous word before key offset 'start', or length 0. */
static apr_size_t previous_word(const char *key, apr_size_t start,
                                apr_size_t *word_start)
{
    apr_size_t e = start, b;
    while (e > 0 && !geotag_is_word_byte(key[e - 1])) {
        if (key[e - 1] != ' ' && key[e - 1] != '\'')
            return 0; /* punctuation between: no determiner relation */
        e--;
    }
    b = e;
    while (b > 0 && geotag_is_word_byte(key[b - 1]))
        b--;
    *word_start = b;
    return e - b;
}

static int date_fits(const char *treaty_date, const char *value)
{
    apr_size_t a, b;
    if (!treaty_date || treaty_date[0] != value[0])
        return 0;
    a = strlen(treaty_date);
    b = strlen(value);
    /* "2024-06" fits "2024-06-19" and the other way round; a bare year
     * is too weak to name a treaty. */
    if (b < 7 || a < 7)
        return 0;
    return strncmp(treaty_date, value, a < b ? a : b) == 0;
}

static void word_family(const char *word, apr_size_t len, char *family)
{
    apr_size_t n = len < 4 ? len : 4;
    memcpy(family, word, n);
    family[n] = '\0';
}

static void family_set(geotag_treaty_resolver *r, const char *word,
                       apr_size_t len, int treaty)
{
    char family[5];
    int i;
    word_family(word, len, family);
    for (i = 0; i < r->n_families; i++)
        if (strcmp(r->families[i].family, family) == 0)
            break;
    if (i == r->n_families) {
        if (r->n_families == r->max_families)
            i = 0; /* table full: the first kind of word gives way */
        else
            r->n_families++;
        strcpy(r->families[i].family, family);
    }
    r->families[i].treaty = treaty;
}

static int family_get(const geotag_treaty_resolver *r, const char *word,
                      apr_size_t len)
{
    char family[5];
    int i;
    word_family(word, len, family);
    for (i = 0; i < r->n_families; i++)
        if (strcmp(r->families[i].family, family) == 0)
            return r->families[i].treaty;
    return -1;
}

void geotag_treaty_named(geotag_treaty_resolver *r, apr_size_t start,
                         apr_size_t end, int treaty)
{
    const char *key = r->key;
    apr_size_t i = start;
    while (i < end) {
        apr_size_t b;
        while (i < end && !geotag_is_word_byte(key[i]))
            i++;
        b = i;
        while (i < end && geotag_is_word_byte(key[i]))
            i++;
        if (i > b && geotag_treaty_is_word(r->w, key + b, i - b))
            family_set(r, key + b, i - b, treaty);
    }
}

/* The treaty the sentence describes best (two points or more, no tie),
 * or -1: a point per party named, one for a date that fits.  A treaty none
 * of whose parties is named scores at most one, which neither wins nor
 * ties a winner, so only the treaties of the named parties are scored
 * (the party index), not every treaty of the dictionary. */
static int described(geotag_treaty_resolver *r, const int *named, int n_named,
                     const char *const *dates, int n_dates)
{
    const geotag_treaty_words *w = r->w;
    int *cand, *score, n_cand = 0;
    int c, i, j, k, best = -1, best_score = 0, tie = 0;

    if (r->cand == NULL) { /* each treaty a candidate at most once */
        r->cand =
            apr_palloc(r->pool, sizeof(int) * (apr_size_t)(w->n_treaties + 1));
        r->score =
            apr_palloc(r->pool, sizeof(int) * (apr_size_t)(w->n_treaties + 1));
    }
    cand = r->cand;
    score = r->score;

    for (i = 0; i < n_named; i++) {
        int x = named[i], dup = 0;
        if (x < 0 || x >= r->n_entities)
            continue;
        for (j = 0; j < i && !dup; j++)
            dup = named[j] == x;
        if (dup) /* a party counts once, however often it is named */
            continue;
        for (k = w->party_first[x]; k < w->party_first[x + 1]; k++) {
            int t = w->party_treaty[k];
            for (c = 0; c < n_cand && cand[c] != t; c++)
                ;
            if (c == n_cand) {
                cand[n_cand] = t;
                score[n_cand++] = 0;
            }
            score[c]++;
        }
    }
    for (c = 0; c < n_cand; c++) {
        const geotag_entity *e = &r->entities[cand[c]];
        if (e->date)
            for (i = 0; i < n_dates; i++)
                if (date_fits(e->date, dates[i])) {
                    score[c]++;
                    break;
                }
        if (score[c] > best_score) {
            best_score = score[c];
            best = cand[c];
            tie = 0;
        }
        else if (score[c] == best_score) {
            tie = 1;
        }
    }
    return best >= 0 && best_score >= 2 && !tie ? best : -1;
}

int geotag_treaty_resolve(geotag_treaty_resolver *r, apr_size_t start,
                          apr_size_t end, const int *named, int n_named,
                          const char *const *dates, int n_dates)
{
    apr_size_t ws, wlen;
    int t;

    if (n_named > 0 || n_dates > 0) {
        t = described(r, named, n_named, dates, n_dates);
        if (t >= 0) {
            r->last_described = t;
            family_set(r, r->key + start, end - start, t);
            return t;
        }
    }
    wlen = previous_word(r->key, start, &ws);
    if (wlen && geotag_treaty_is_determiner(r->w, r->key + ws, wlen)) {
        t = family_get(r, r->key + start, end - start);
        return t >= 0 ? t : r->last_described;
    }
    return -1;
}
