/*
 * matcher.c: the word trie (see matcher.h for the idea).
 *
 * Layout, all built once in geotag_matcher_compile and read-only after:
 *
 *   edges[]     open addressing table of (parent node, word hash) -> child,
 *               a power of two at most half full; node 0 is the root, so a
 *               child of 0 marks an empty slot.
 *   first_bits  one bit per bucket of the root's children, indexed by the
 *               top bits of the word hash: most words of a page begin no
 *               form, and this answers "no" from 8 KB that stay in L1.
 *   terminal    for each node, the range of candidate aliases ending there
 *               (node_first[node] .. node_first[node + 1]).
 *
 * Word hashes are 64-bit; two different words of one dictionary colliding
 * is as likely as a 64-bit hash collision, which we accept rather than
 * storing every word.
 */
#include <stdlib.h>
#include <string.h>

#include <apr_strings.h>

#include "matcher.h"
#include "normalize.h"

#define FIRST_BITS_LOG2 16
#define MAX_SEPARATOR_RUN 4

typedef struct {
    apr_uint64_t hash;
    apr_uint32_t parent;
    apr_uint32_t child; /* 0 = empty */
} matcher_edge;

struct geotag_matcher {
    matcher_edge *edges;
    apr_size_t edge_mask;
    apr_uint64_t *first_bits;
    apr_uint32_t first_shape[32 * 32]; /* see shape_index() */
    apr_uint32_t *node_first; /* n_nodes + 1 entries */
    int *terminal_aliases;
    apr_uint32_t n_nodes;
    const char **alias_cased;
    unsigned char *alias_lang;           /* see geotag_matcher_alias_lang() */
    char langs[GEOTAG_MATCHER_LANGS][8]; /* primary subtags, lower case */
    int n_langs;
    apr_size_t max_form;
    int n_forms;
    int punct_forms; /* some form has punctuation between or after words */
};

static inline int is_joinable(unsigned char c)
{
    return c == ' ' || c == '-' || c == '\'';
}

/* The punctuation a form may hold between its words or after its last one
 * ("Virgin Islands, British", "Cocos (Keeling) Islands", "U.S."): the text
 * must then hold the same marks there, in the same order. */
static inline int is_form_punct(unsigned char c)
{
    return c == ',' || c == '.' || c == '(' || c == ')' || c == '&' || c == '/';
}

/* A word's edge after a run of separators whose punctuation marks are
 * 'marks' (one byte each, at most four, packed in order; 0 for none) is
 * keyed by the word's hash mixed with the marks, so that "Islands,
 * British" and "Islands British" are different paths and a form without
 * punctuation keeps its hashes.  Marks after a form's last word lead, by
 * the same mixing, to the hash of no word (MARKS_END). */
#define MARKS_END 0x243F6A8885A308D3ULL
static inline apr_uint64_t marks_mix(apr_uint32_t marks)
{
    apr_uint64_t x =
        ((apr_uint64_t)marks << 32 | marks) ^ 0x13198A2E03707344ULL;
    x *= 0xBF58476D1CE4E5B9ULL;
    return x ^ (x >> 31);
}

/*
 * Word hashing runs on every candidate word of every article, so it reads
 * a word eight bytes at a time: the bytes as a little-endian number, the
 * first eight with the length in the top byte, the later ones mixed in by
 * a multiply each, then one multiply for the whole word (hash_final,
 * which is a bijection).  A word of up to eight bytes is thus hashed
 * without any loss: two different ones never collide.  (For a word of
 * eight bytes the top byte is its last byte xor 8; that equals the length
 * 1-7 of a shorter word only for bytes 9-15, which are no word bytes.)
 */
static inline apr_uint64_t hash_final(apr_uint64_t h)
{
    h *= 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 29);
}

/* key[p .. p + n), 1 <= n <= 8, as a little-endian number; 'readable'
 * bytes from key[0] may be read (an eight-byte load where it fits). */
static inline apr_uint64_t chunk_at(const char *key, apr_size_t p, apr_size_t n,
                                    apr_size_t readable)
{
    apr_uint64_t v = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (p + 8 <= readable) {
        memcpy(&v, key + p, 8);
        return n >= 8 ? v : v & ((UINT64_C(1) << (8 * n)) - 1);
    }
#endif
    while (n-- > 0)
        v = (v << 8) | (unsigned char)key[p + n];
    return v;
}

/* Hash of key[start..end), a word whose end is known. */
static inline apr_uint64_t range_hash(const char *key, apr_size_t start,
                                      apr_size_t end, apr_size_t readable)
{
    apr_size_t n = end - start, p;
    apr_uint64_t h =
        chunk_at(key, start, n < 8 ? n : 8, readable) ^ ((apr_uint64_t)n << 56);

    for (p = start + 8; p < end; p += 8) {
        h *= 0xC2B2AE3D27D4EB4FULL;
        h ^= (h >> 31) ^ chunk_at(key, p, end - p < 8 ? end - p : 8, readable);
    }
    return hash_final(h);
}

/* geotag_is_word_byte as a table: one load per byte in the hot loops */
static const unsigned char word_byte[256] = {
#define W16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x
    W16(0), W16(0),
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* ' '..'/' */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, /* '0'..'?' */
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* '@'..'O' */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, /* 'P'..'_' */
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* '`'..'o' */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, /* 'p'..DEL */
    W16(1), W16(1), W16(1), W16(1), W16(1), W16(1), W16(1), W16(1)
#undef W16
};
#define IS_WORD(c) (word_byte[(unsigned char)(c)])

static inline apr_size_t edge_slot(apr_uint64_t hash, apr_uint32_t parent,
                                   apr_size_t mask)
{
    apr_uint64_t x = hash ^ ((apr_uint64_t)parent * 0x9E3779B97F4A7C15ULL);
    x ^= x >> 29;
    return (apr_size_t)x & mask;
}

static apr_uint32_t edge_find(const geotag_matcher *m, apr_uint32_t parent,
                              apr_uint64_t hash)
{
    apr_size_t i = edge_slot(hash, parent, m->edge_mask);
    for (;;) {
        const matcher_edge *e = &m->edges[i];
        if (e->child == 0)
            return 0;
        if (e->hash == hash && e->parent == parent)
            return e->child;
        i = (i + 1) & m->edge_mask;
    }
}

static apr_uint32_t edge_insert(geotag_matcher *m, apr_uint32_t parent,
                                apr_uint64_t hash)
{
    apr_size_t i = edge_slot(hash, parent, m->edge_mask);
    for (;;) {
        matcher_edge *e = &m->edges[i];
        if (e->child == 0) {
            e->hash = hash;
            e->parent = parent;
            e->child = m->n_nodes++;
            if (parent == 0)
                m->first_bits[(hash >> (64 - FIRST_BITS_LOG2)) >> 6] |=
                    1ULL << ((hash >> (64 - FIRST_BITS_LOG2)) & 63);
            return e->child;
        }
        if (e->hash == hash && e->parent == parent)
            return e->child;
        i = (i + 1) & m->edge_mask;
    }
}

/*
 * The cheapest "no": before hashing a word, look up its shape (low five
 * bits of its first two bytes, which tell ASCII letters apart) and its
 * length among the shapes of the first words of all forms.  Most words of
 * running text ("di", "the", "che") fail here with two table loads.
 */
static inline apr_size_t shape_index(const char *word, apr_size_t len)
{
    unsigned b0 = (unsigned char)word[0] & 31;
    unsigned b1 = len > 1 ? ((unsigned char)word[1] & 31) : 0;
    return b0 * 32 + b1;
}

static inline apr_uint32_t shape_bit(apr_size_t len)
{
    return 1u << (len > 31 ? 31 : len);
}

static inline int first_word_possible(const geotag_matcher *m,
                                      apr_uint64_t hash)
{
    apr_uint64_t bit = hash >> (64 - FIRST_BITS_LOG2);
    return (m->first_bits[bit >> 6] >> (bit & 63)) & 1;
}

/* The end of the word starting at key[i]. */
static inline apr_size_t word_end(const char *key, apr_size_t len,
                                  apr_size_t i)
{
    while (i < len && IS_WORD(key[i]))
        i++;
    return i;
}

/* Hash of the word starting at key[i] (key[0 .. len] readable); sets *end
 * to its end. */
static inline apr_uint64_t word_hash(const char *key, apr_size_t len,
                                     apr_size_t i, apr_size_t *end)
{
    *end = word_end(key, len, i);
    return range_hash(key, i, *end, len + 1);
}

static int count_words(const char *key)
{
    int n = 0;
    apr_size_t i = 0, len = strlen(key);
    while (i < len) {
        if (!geotag_is_word_byte(key[i])) {
            i++;
            continue;
        }
        i = word_end(key, len, i);
        n++;
    }
    return n;
}

typedef struct {
    apr_uint32_t node;
    int alias;
} terminal_pair;

static int compare_terminal(const void *a, const void *b)
{
    const terminal_pair *x = a, *y = b;
    if (x->node != y->node)
        return x->node < y->node ? -1 : 1;
    return x->alias - y->alias;
}

/* The primary subtag of lang, lower case, in out[8]: its length, or 0
 * when there is none or it is too long to keep. */
static apr_size_t primary_subtag(const char *lang, char *out)
{
    apr_size_t n = geotag_primary_subtag(lang, out, 8);
    return n < 8 ? n : 0;
}

static int lang_find(const geotag_matcher *m, const char *key)
{
    int i;
    for (i = 0; i < m->n_langs; i++)
        if (strcmp(m->langs[i], key) == 0)
            return i + 1;
    return 0;
}

/* The alias language's number (geotag_matcher_alias_lang), added to the
 * table if new. */
static int lang_intern(geotag_matcher *m, const char *lang)
{
    char key[8];
    int id;

    if (lang == NULL || lang[0] == '\0')
        return 0;
    if (primary_subtag(lang, key) == 0)
        return GEOTAG_MATCHER_LANG_OTHER;
    if ((id = lang_find(m, key)) != 0)
        return id;
    if (m->n_langs == GEOTAG_MATCHER_LANGS)
        return GEOTAG_MATCHER_LANG_OTHER;
    strcpy(m->langs[m->n_langs++], key);
    return m->n_langs;
}

int geotag_matcher_lang_id(const geotag_matcher *m, const char *lang)
{
    char key[8];
    if (lang == NULL || primary_subtag(lang, key) == 0)
        return 0;
    return lang_find(m, key);
}

int geotag_matcher_alias_lang(const geotag_matcher *m, int alias)
{
    return m->alias_lang[alias];
}

geotag_matcher *geotag_matcher_compile(apr_pool_t *pool,
                                       const geotag_gazetteer *g,
                                       const char **error)
{
    geotag_matcher *m = apr_pcalloc(pool, sizeof(*m));
    const geotag_alias *aliases = (const geotag_alias *)g->aliases->elts;
    int n_aliases = g->aliases->nelts;
    const char **keys = apr_pcalloc(pool, sizeof(char *) * (n_aliases + 1));
    terminal_pair *pairs;
    apr_size_t total_words = 0, cap = 16;
    int i, n_pairs = 0;

    m->alias_cased = apr_pcalloc(pool, sizeof(char *) * (n_aliases + 1));
    m->alias_lang = apr_pcalloc(pool, (apr_size_t)n_aliases + 1);
    for (i = 0; i < n_aliases; i++)
        m->alias_lang[i] = (unsigned char)lang_intern(m, aliases[i].lang);
    for (i = 0; i < n_aliases; i++) {
        keys[i] = geotag_normalize_string(pool, aliases[i].text,
                                          g->fold_accents,
                                          &m->alias_cased[i]);
        total_words += count_words(keys[i]);
    }
    while (cap < total_words * 2 + 2)
        cap <<= 1;
    m->edges = apr_pcalloc(pool, sizeof(matcher_edge) * cap);
    m->edge_mask = cap - 1;
    m->first_bits = apr_pcalloc(pool, (1 << FIRST_BITS_LOG2) / 8);
    m->n_nodes = 1;
    pairs = apr_palloc(pool, sizeof(*pairs) * (n_aliases + 1));

    for (i = 0; i < n_aliases; i++) {
        const char *key = keys[i];
        apr_size_t len = strlen(key), p = 0, end;
        apr_uint32_t node = 0, marks = 0;
        int words = 0;
        while (p < len) {
            apr_uint64_t h;
            if (!geotag_is_word_byte(key[p])) {
                if (words > 0 && is_form_punct((unsigned char)key[p]))
                    marks = marks << 8 | (unsigned char)key[p];
                p++;
                continue;
            }
            h = word_hash(key, len, p, &end);
            if (words == 0)
                m->first_shape[shape_index(key + p, end - p)] |=
                    shape_bit(end - p);
            if (marks) {
                h ^= marks_mix(marks);
                m->punct_forms = 1;
            }
            node = edge_insert(m, node, h);
            p = end;
            marks = 0;
            words++;
        }
        if (marks && words > 0) {
            node = edge_insert(m, node, MARKS_END ^ marks_mix(marks));
            m->punct_forms = 1;
        }
        if (words == 0) {
            *error = apr_psprintf(pool, "%s:%d: the form \"%s\" has no letters "
                                  "or digits to match",
                                  aliases[i].entity >= 0
                                      ? ((const geotag_entity *)g->entities->elts)
                                            [aliases[i].entity].source_file
                                      : "lexicon",
                                  aliases[i].entity >= 0
                                      ? ((const geotag_entity *)g->entities->elts)
                                            [aliases[i].entity].source_line
                                      : 0,
                                  aliases[i].text);
            return NULL;
        }
        if (len > m->max_form)
            m->max_form = len;
        pairs[n_pairs].node = node;
        pairs[n_pairs].alias = i;
        n_pairs++;
    }

    qsort(pairs, n_pairs, sizeof(*pairs), compare_terminal);
    m->node_first = apr_pcalloc(pool, sizeof(apr_uint32_t) * (m->n_nodes + 1));
    m->terminal_aliases = apr_palloc(pool, sizeof(int) * (n_pairs + 1));
    {
        apr_uint32_t node = 0;
        int k = 0;
        for (node = 0; node < m->n_nodes; node++) {
            m->node_first[node] = k;
            while (k < n_pairs && pairs[k].node == node) {
                m->terminal_aliases[k] = pairs[k].alias;
                k++;
            }
        }
        m->node_first[m->n_nodes] = k;
        for (node = 1; node < m->n_nodes; node++)
            if (m->node_first[node + 1] > m->node_first[node])
                m->n_forms++;
    }

    return m;
}

/* geotag_matcher_next and geotag_matcher_next_before: matches that start
 * before 'before' (<= len). */
static APR_INLINE int matcher_next(const geotag_matcher *m, const char *key,
                                   apr_size_t len, apr_size_t before,
                                   apr_size_t *pos, geotag_match *out)
{
    apr_size_t i = *pos;

    while (i < len) {
        apr_size_t start, end, j;
        apr_uint64_t h;
        apr_uint32_t node, best = 0;
        apr_size_t best_end = 0;

        while (i < before && !IS_WORD(key[i]))
            i++;
        if (i >= before)
            break;
        start = i;
        end = i + 1;
        while (IS_WORD(key[end])) /* key[len] is '\0' (normalize.h) */
            end++;
        i = end;
        if (!(m->first_shape[shape_index(key + start, end - start)] &
              shape_bit(end - start)))
            continue;
        h = range_hash(key, start, end, len + 1);
        if (!first_word_possible(m, h))
            continue;
        node = edge_find(m, 0, h);
        if (node == 0)
            continue;
        if (m->node_first[node + 1] > m->node_first[node]) {
            best = node;
            best_end = end;
        }
        /* Extend over joinable separators as far as the trie goes, and
         * over punctuation where a form has the same marks. */
        j = end;
        for (;;) {
            apr_size_t k = j, next_end;
            apr_uint32_t next, marks = 0;
            while (k < len && k - j < MAX_SEPARATOR_RUN) {
                unsigned char c = (unsigned char)key[k];
                if (is_joinable(c)) {
                    k++;
                    continue;
                }
                if (!m->punct_forms || !is_form_punct(c))
                    break;
                marks = marks << 8 | c;
                k++;
                /* a form that ends with these marks ("U.S.") */
                if (!IS_WORD(key[k]) &&
                    (next = edge_find(m, node, MARKS_END ^ marks_mix(marks))) &&
                    m->node_first[next + 1] > m->node_first[next]) {
                    best = next;
                    best_end = k;
                }
            }
            if (k == j || k >= len || !IS_WORD(key[k]))
                break;
            h = word_hash(key, len, k, &next_end);
            if (marks)
                h ^= marks_mix(marks);
            next = edge_find(m, node, h);
            if (next == 0)
                break;
            node = next;
            j = next_end;
            if (m->node_first[node + 1] > m->node_first[node]) {
                best = node;
                best_end = next_end;
            }
        }
        if (best) {
            out->start = start;
            out->end = best_end;
            out->first_word_end = end;
            out->aliases = m->terminal_aliases + m->node_first[best];
            out->n_aliases = (int)(m->node_first[best + 1] - m->node_first[best]);
            *pos = best_end;
            return 1;
        }
    }
    *pos = len;
    return 0;
}

int geotag_matcher_next(const geotag_matcher *m, const char *key,
                        apr_size_t len, apr_size_t *pos, geotag_match *out)
{
    return matcher_next(m, key, len, len, pos, out);
}

int geotag_matcher_next_before(const geotag_matcher *m, const char *key,
                               apr_size_t len, apr_size_t before,
                               apr_size_t *pos, geotag_match *out)
{
    return matcher_next(m, key, len, before < len ? before : len, pos, out);
}

const char *geotag_matcher_alias_cased(const geotag_matcher *m, int alias)
{
    return m->alias_cased[alias];
}

apr_size_t geotag_matcher_max_form(const geotag_matcher *m)
{
    return m->max_form;
}

int geotag_matcher_forms(const geotag_matcher *m)
{
    return m->n_forms;
}
