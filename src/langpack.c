/*
 * langpack.c: the words of each language, as data (see langpack.h).
 *
 * Here's the concept.  Every word the figures and cues need is a
 * geotag_word of one kind and one pack, kept in file order; one hash finds
 * a word by kind and spelling (both spellings when accents are folded),
 * and its chain keeps the file order, so the first word of the page's
 * language wins as the compiled-in tables' order did.  The XML gates are
 * xmlfile.h's; the element names and their attributes are the schema's
 * (conf/gazetteer.rng), which the reading below trusts.
 */
#include <stdlib.h>
#include <string.h>

#include <apr_file_info.h>
#include <apr_strings.h>

#include "gazetteer.h"
#include "langpack.h"

/* Longest word or phrase found by geotag_lexicon_find. */
#define GEOTAG_WORD_KEY_MAX 128

typedef struct geotag_word_entry geotag_word_entry;
struct geotag_word_entry {
    const geotag_word *word;
    geotag_word_entry *next;
};

static const struct {
    const char *element;
    geotag_word_kind kind;
} geotag_word_elements[] = {
    {"month", GEOTAG_WORD_MONTH},
    {"multiplier", GEOTAG_WORD_MULTIPLIER},
    {"percent", GEOTAG_WORD_PERCENT},
    {"ordinal", GEOTAG_WORD_ORDINAL},
    {"day-link", GEOTAG_WORD_DAY_LINK},
    {"year-cue", GEOTAG_WORD_YEAR_CUE},
    {"year-qualifier", GEOTAG_WORD_YEAR_QUALIFIER},
    {"year-link", GEOTAG_WORD_YEAR_LINK},
    {"filler", GEOTAG_WORD_FILLER},
    {"number-cue", GEOTAG_WORD_NUMBER_CUE},
    {"place-preposition", GEOTAG_WORD_PLACE_PREP},
    {"role-link", GEOTAG_WORD_ROLE_LINK},
    {"role-qualifier", GEOTAG_WORD_ROLE_QUALIFIER},
    {"role-other", GEOTAG_WORD_ROLE_OTHER},
    {"weekday", GEOTAG_WORD_WEEKDAY},
    {"related-cue", GEOTAG_WORD_RELATED_CUE},
    {"place-modifier", GEOTAG_WORD_PLACE_MODIFIER},
};

geotag_lexicon *geotag_lexicon_make(apr_pool_t *pool)
{
    geotag_lexicon *lex = apr_pcalloc(pool, sizeof(*lex));

    lex->packs = apr_array_make(pool, 4, sizeof(geotag_langpack));
    lex->words = apr_array_make(pool, 256, sizeof(geotag_word));
    lex->index = apr_hash_make(pool);
    return lex;
}

int geotag_lexicon_pack_of(const geotag_lexicon *lex, const char *lang)
{
    int i;

    if (lex == NULL || lang == NULL || lang[0] == '\0')
        return -1;
    for (i = 0; i < lex->packs->nelts; i++) {
        if (geotag_same_primary_subtag(
                APR_ARRAY_IDX(lex->packs, i, geotag_langpack).lang, lang))
            return i;
    }
    return -1;
}

int geotag_lexicon_pack(geotag_lexicon *lex, const char *lang)
{
    int i = geotag_lexicon_pack_of(lex, lang);
    geotag_langpack *pack;

    if (i >= 0)
        return i;
    pack = apr_array_push(lex->packs);
    memset(pack, 0, sizeof(*pack));
    pack->lang = lang;
    return lex->packs->nelts - 1;
}

int geotag_lexicon_read_pack(geotag_lexicon *lex, geotag_xml_reader *r,
                             xmlNodePtr root)
{
    const char *lang, *mark, *month_first;
    geotag_langpack *pack;
    int i;

    if (!geotag_xml_is(root, "language-pack")) {
        geotag_xml_fail(r, geotag_xml_line(root),
                        "not a language pack (its root is <%s>, not "
                        "<language-pack>)",
                        (const char *)root->name);
        return -1;
    }
    lang = geotag_xml_attr(r->pool, root, "lang");
    i = geotag_lexicon_pack(lex, lang);
    pack = &APR_ARRAY_IDX(lex->packs, i, geotag_langpack);
    if (pack->file != NULL) {
        geotag_xml_fail(r, geotag_xml_line(root),
                        "a second language pack for '%s' (the first is %s)",
                        lang, pack->file);
        return -1;
    }
    pack->file = r->file;
    mark = geotag_xml_attr(r->pool, root, "decimal-mark");
    pack->decimal_mark = mark != NULL ? mark[0] : 0;
    month_first = geotag_xml_attr(r->pool, root, "month-first");
    pack->month_first = month_first != NULL && strcmp(month_first, "yes") == 0;
    return i;
}

static int attr_yes(apr_pool_t *pool, xmlNodePtr node, const char *name)
{
    const char *value = geotag_xml_attr(pool, node, name);

    return value != NULL && strcmp(value, "yes") == 0;
}

static int number_attr(apr_pool_t *pool, xmlNodePtr node,
                              const char *name)
{
    const char *value = geotag_xml_attr(pool, node, name);

    return value != NULL ? atoi(value) : 0;
}

static geotag_word *word_push(geotag_lexicon *lex, geotag_word_kind kind,
                                     int pack, const char *text)
{
    geotag_word *w = apr_array_push(lex->words);

    memset(w, 0, sizeof(*w));
    w->kind = kind;
    w->pack = pack;
    w->text = text;
    return w;
}

int geotag_lexicon_read_word(geotag_lexicon *lex, geotag_xml_reader *r,
                             xmlNodePtr node, int pack)
{
    apr_size_t i,
        n = sizeof(geotag_word_elements) / sizeof(geotag_word_elements[0]);
    const char *text;
    geotag_word *w;
    int words;

    for (i = 0; i < n; i++) {
        if (geotag_xml_is(node, geotag_word_elements[i].element))
            break;
    }
    if (i == n)
        return -1;
    text =
        geotag_lexicon_key(r->pool, geotag_xml_text(r->pool, node), 0, &words);
    if (strlen(text) >= GEOTAG_WORD_KEY_MAX - 1)
        return geotag_xml_fail(
            r, geotag_xml_line(node), "<%s> '%s' is longer than %d bytes",
            (const char *)node->name, text, GEOTAG_WORD_KEY_MAX - 2);
    w = word_push(lex, geotag_word_elements[i].kind, pack, text);
    switch (w->kind) {
    case GEOTAG_WORD_MONTH:
        w->value = number_attr(r->pool, node, "number");
        w->flag = attr_yes(r->pool, node, "ambiguous");
        break;
    case GEOTAG_WORD_MULTIPLIER:
        w->value = number_attr(r->pool, node, "power");
        w->flag = attr_yes(r->pool, node, "glued");
        if (w->flag && (words != 1 || strlen(text) != 1))
            return geotag_xml_fail(r, geotag_xml_line(node),
                                   "a glued <multiplier> is one letter, not "
                                   "'%s'",
                                   text);
        break;
    case GEOTAG_WORD_YEAR_CUE:
        w->article = geotag_xml_attr(r->pool, node, "article");
        if (w->article != NULL) {
            /* "entro il 2025": the article is a word of its own kind */
            w->kind = GEOTAG_WORD_YEAR_ARTICLE;
            w->article = geotag_lexicon_key(r->pool, w->article, 0, &words);
            word_push(lex, GEOTAG_WORD_ARTICLE, pack, w->article);
        }
        else if (strlen(text) > 1 && text[strlen(text) - 1] == '\'') {
            /* "nell'2018" reads as the word "nell" before an apostrophe */
            w->kind = GEOTAG_WORD_YEAR_ELISION;
            w->text = apr_pstrndup(r->pool, text, strlen(text) - 1);
        }
        break;
    default:
        break;
    }
    return 1;
}

/* Latin-1 letters (the second byte after 0xc3) without their accents, so
 * that the lexicon's "unità" meets the key's "unita"; 0 = keep. */
static const char geotag_latin1_fold[32] = {
    'a', 'a', 'a', 'a', 'a', 'a', 0,   'c', 'e', 'e', 'e',
    'e', 'i', 'i', 'i', 'i', 'd', 'n', 'o', 'o', 'o', 'o',
    'o', 0,   'o', 'u', 'u', 'u', 'u', 'y', 0,   0};

char *geotag_lexicon_key(apr_pool_t *pool, const char *text, int fold,
                         int *words)
{
    apr_size_t n = strlen(text), i, o = 0;
    char *out = apr_palloc(pool, n + 1);
    int space = 0;

    *words = 0;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = 1;
            continue;
        }
        if (space && o > 0)
            out[o++] = ' ';
        if (o == 0 || space)
            (*words)++;
        space = 0;
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c | 0x20);
        if (fold && c == 0xc3 && i + 1 < n &&
            ((unsigned char)text[i + 1] & 0xc0) == 0x80 &&
            geotag_latin1_fold[(unsigned char)text[i + 1] & 0x1f]) {
            out[o++] = geotag_latin1_fold[(unsigned char)text[i + 1] & 0x1f];
            i++;
            continue;
        }
        if (c == 0xc3 && i + 1 < n && (unsigned char)text[i + 1] >= 0x80 &&
            (unsigned char)text[i + 1] <= 0x9e &&
            (unsigned char)text[i + 1] != 0x97) {
            /* upper-case Latin-1 letter: lower it */
            out[o++] = (char)c;
            out[o++] = (char)((unsigned char)text[i + 1] + 0x20);
            i++;
            continue;
        }
        out[o++] = (char)c;
    }
    out[o] = '\0';
    return out;
}

static void index_add(geotag_lexicon *lex, apr_pool_t *pool,
                             const geotag_word *w, const char *key)
{
    geotag_word_entry *e = apr_pcalloc(pool, sizeof(*e)), *last;
    char *k = apr_psprintf(pool, "%c%s", 'a' + (int)w->kind, key);
    apr_ssize_t n = (apr_ssize_t)strlen(k);

    e->word = w;
    last = apr_hash_get(lex->index, k, n);
    if (last == NULL) {
        apr_hash_set(lex->index, k, n, e);
        return;
    }
    /* append: the file order decides between homographs */
    while (last->next != NULL)
        last = last->next;
    last->next = e;
}

void geotag_lexicon_index(geotag_lexicon *lex, apr_pool_t *pool, int fold)
{
    int i, words;

    lex->index = apr_hash_make(pool);
    for (i = 0; i < lex->packs->nelts; i++)
        APR_ARRAY_IDX(lex->packs, i, geotag_langpack).kinds = 0;
    for (i = 0; i < lex->words->nelts; i++) {
        const geotag_word *w = &APR_ARRAY_IDX(lex->words, i, geotag_word);
        const char *folded = geotag_lexicon_key(pool, w->text, 1, &words);

        if (w->pack >= 0 && w->pack < lex->packs->nelts)
            APR_ARRAY_IDX(lex->packs, w->pack, geotag_langpack).kinds |=
                1u << w->kind;
        index_add(lex, pool, w, w->text);
        if (fold && strcmp(folded, w->text) != 0)
            index_add(lex, pool, w, folded);
    }
}

const geotag_word *geotag_lexicon_find(const geotag_lexicon *lex,
                                       geotag_word_kind kind, const char *s,
                                       apr_size_t n, int pack)
{
    char key[GEOTAG_WORD_KEY_MAX];
    const geotag_word_entry *e;

    if (lex == NULL || n == 0 || n >= sizeof(key) - 1)
        return NULL;
    key[0] = (char)('a' + (int)kind);
    memcpy(key + 1, s, n);
    for (e = apr_hash_get(lex->index, key, (apr_ssize_t)n + 1); e != NULL;
         e = e->next) {
        if (pack < 0 || e->word->pack == pack)
            return e->word;
    }
    return NULL;
}

/* a pack's word kinds are bits of an unsigned (geotag_langpack.kinds) */
_Static_assert(GEOTAG_WORD_KINDS <= 32, "too many word kinds for the bits");

int geotag_lexicon_has(const geotag_lexicon *lex, geotag_word_kind kind,
                       int pack)
{
    if (lex == NULL || pack < 0 || pack >= lex->packs->nelts)
        return 0;
    return (APR_ARRAY_IDX(lex->packs, pack, geotag_langpack).kinds >> kind) & 1;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

apr_array_header_t *geotag_langpack_files(apr_pool_t *pool, const char *dir,
                                          const char **error)
{
    apr_array_header_t *files = apr_array_make(pool, 4, sizeof(const char *));
    apr_dir_t *d;
    apr_finfo_t info;
    apr_status_t rv;
    char reason[256];

    rv = apr_dir_open(&d, dir, pool);
    if (rv != APR_SUCCESS) {
        *error = apr_psprintf(pool,
                              "%s: cannot read the language packs "
                              "directory: %s",
                              dir, apr_strerror(rv, reason, sizeof(reason)));
        return NULL;
    }
    while (apr_dir_read(&info, APR_FINFO_NAME | APR_FINFO_TYPE, d) ==
           APR_SUCCESS) {
        apr_size_t len = strlen(info.name);

        if (info.name[0] == '.' || len < 5 ||
            strcmp(info.name + len - 4, ".xml") != 0 ||
            (info.filetype != APR_REG && info.filetype != APR_LNK))
            continue;
        APR_ARRAY_PUSH(files, const char *) =
            apr_pstrcat(pool, dir, "/", info.name, NULL);
    }
    apr_dir_close(d);
    if (files->nelts == 0) {
        *error = apr_psprintf(pool,
                              "%s: no language pack (*.xml) in the "
                              "language packs directory",
                              dir);
        return NULL;
    }
    qsort(files->elts, (size_t)files->nelts, sizeof(const char *),
          compare_names);
    return files;
}
