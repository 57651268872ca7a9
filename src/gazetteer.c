/*
 * gazetteer.c: loads the dictionary files into the model of gazetteer.h.
 *
 * Here's the concept.  The language packs come first, then each dictionary
 * file; every file goes through the gates of xmlfile.h (read once into the
 * digest, well-formed without DOCTYPE, valid against conf/gazetteer.rng),
 * and the first failure anywhere ends the load with one "file:line:
 * reason" message.  What a schema cannot say is checked here while the
 * tree is copied into the pool: duplicate ids across files, real calendar
 * dates, inflection notation, forms that can never match, and, once every
 * file is in, party refs that name no entity.
 *
 * A pack's words and a dictionary's <lexicon> are read alike: treaty words,
 * determiners and units here (they become aliases and units), the figure
 * and cue words by langpack.c.
 *
 * Everything the model holds is copied into the caller's pool; the libxml2
 * documents, the schema and the scratch pool die before returning.
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include <apr_hash.h>
#include <apr_lib.h>
#include <apr_sha1.h>
#include <apr_strings.h>

#include "gazetteer.h"
#include "utf8.h"
#include "langpack.h"
#include "xmlfile.h"

/* A <party ref>, an office's of= or a <holder ref>, resolved when every
 * file is in (the entity named may be defined in a later file). */
typedef struct {
    int *slot;
    const char *ref;
    const char *file;
    int line;
    int treaty;  /* the entity that refers */
    char what;   /* 'p' party, 'o' an office's state or body, 'h' holder */
} geotag_pending_party;

typedef struct {
    apr_pool_t *pool;             /* the model's */
    apr_pool_t *scratch;          /* dies with the load */
    geotag_gazetteer *g;
    apr_hash_t *seen_forms;       /* de-duplication keys */
    apr_array_header_t *parties;  /* geotag_pending_party */
    apr_hash_t *local_ids;        /* the local ids given so far */
    geotag_xml_reader x;          /* the file being walked, the error */
} geotag_loader;

#define geotag_fail(l, ...) geotag_xml_fail(&(l)->x, __VA_ARGS__)

static int is_element(xmlNodePtr node, const char *name)
{
    return geotag_xml_is(node, name);
}

static const char *attr(geotag_loader *l, xmlNodePtr node,
                               const char *name)
{
    return geotag_xml_attr(l->pool, node, name);
}

static const char *node_text(geotag_loader *l, xmlNodePtr node)
{
    return geotag_xml_text(l->pool, node);
}

static int node_line(geotag_loader *l, xmlNodePtr node)
{
    return geotag_xml_line(node);
}


/*
 * Whether a form keeps at least one word character after normalization
 * (normalize.h: ASCII alphanumerics and what is >= 0x80 once punctuation
 * is unified).  Decoding here rather than calling the normalizer keeps
 * this file independent of it; the code points skipped are those the
 * normalizer turns into ASCII punctuation or removes: Latin-1 signs,
 * combining accents, general punctuation, CJK punctuation, BOM.
 */
static int has_word(const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    apr_size_t left = strlen(text);

    while (left > 0) {
        apr_uint32_t cp;
        apr_size_t n = geotag_utf8_decode(s, left, &cp);

        if (n == 0) {
            s++; /* libxml2 hands out valid UTF-8; be safe anyway */
            left--;
            continue;
        }
        s += n;
        left -= n;
        if (cp < 0x80) {
            if (apr_isalnum(cp))
                return 1;
            continue;
        }
        if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7)
            continue;
        if (cp >= 0x300 && cp <= 0x36F)
            continue;
        if ((cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F) ||
            cp == 0xFEFF)
            continue;
        return 1;
    }
    return 0;
}

/* ISO 8601 YYYY, YYYY-MM or YYYY-MM-DD naming a day the calendar has. */
static int date_valid(const char *date)
{
    static const int days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    size_t len = strlen(date);
    int year, month, day, i;

    if (len != 4 && len != 7 && len != 10)
        return 0;
    for (i = 0; i < (int)len; i++) {
        if (i == 4 || i == 7) {
            if (date[i] != '-')
                return 0;
        }
        else if (!apr_isdigit(date[i])) {
            return 0;
        }
    }
    year = (date[0] - '0') * 1000 + (date[1] - '0') * 100 +
           (date[2] - '0') * 10 + (date[3] - '0');
    if (len == 4)
        return 1;
    month = (date[5] - '0') * 10 + (date[6] - '0');
    if (month < 1 || month > 12)
        return 0;
    if (len == 7)
        return 1;
    day = (date[8] - '0') * 10 + (date[9] - '0');
    if (day < 1 || day > days[month - 1])
        return 0;
    if (month == 2 && day == 29)
        return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return 1;
}

/* Lower-cases ASCII and the Latin-1 capitals (UTF-8 C3 80..9E but the
 * multiplication sign): units are compared with the folded key. */
static const char *lower_copy(apr_pool_t *pool, const char *text)
{
    unsigned char *out = (unsigned char *)apr_pstrdup(pool, text);
    unsigned char *p;

    for (p = out; *p != '\0'; p++) {
        if (*p < 0x80) {
            *p = (unsigned char)apr_tolower(*p);
        }
        else if (*p == 0xC3 && p[1] >= 0x80 && p[1] <= 0x9E && p[1] != 0x97) {
            p[1] += 0x20;
            p++;
        }
    }
    return (const char *)out;
}

int geotag_same_primary_subtag(const char *a, const char *b)
{
    /* ASCII folding by hand, not strncasecmp: a tag is ASCII and the
     * answer must not depend on the process's locale */
    for (;; a++, b++) {
        int end_a = *a == '\0' || *a == '-' || *a == '_';
        int end_b = *b == '\0' || *b == '-' || *b == '_';
        char ca, cb;
        if (end_a || end_b)
            return end_a && end_b;
        ca = (char)((*a >= 'A' && *a <= 'Z') ? *a + 32 : *a);
        cb = (char)((*b >= 'A' && *b <= 'Z') ? *b + 32 : *b);
        if (ca != cb)
            return 0;
    }
}

apr_size_t geotag_primary_subtag(const char *tag, char *out, apr_size_t cap)
{
    apr_size_t n = strcspn(tag, "-_"), i;

    for (i = 0; i < n && i + 1 < cap; i++)
        out[i] = tag[i] >= 'A' && tag[i] <= 'Z' ? (char)(tag[i] - 'A' + 'a')
                                                : tag[i];
    if (cap > 0)
        out[i] = '\0';
    return n;
}

/* ---- inflection notation ----------------------------------------------- */

/* Why a notation is malformed, or NULL when it is fine. */
static const char *notation_problem(const char *notation)
{
    const char *slash;
    size_t len = strlen(notation);

    if (len == 0)
        return "it is empty";
    if (notation[0] == '/')
        return "it starts with '/'";
    if (strstr(notation, "//") != NULL)
        return "it has an empty suffix (\"//\")";
    if (notation[len - 1] == '/')
        return "it ends with '/' (an empty suffix)";
    slash = strchr(notation, '/');
    if (slash != NULL) {
        const char *p;

        /* "Russian /s" or "russo/ a" would silently make wrong forms. */
        if (geotag_xml_space((unsigned char)slash[-1]))
            return "white space before '/'";
        for (p = slash; *p != '\0'; p++) {
            if (geotag_xml_space((unsigned char)*p))
                return "white space in a suffix";
        }
    }
    return NULL;
}

/* Bytes of the final vowel that a suffix replaces, 0 when there is none. */
static size_t final_vowel_len(const char *form, size_t len)
{
    static const char *const accented[] = {
        "\xC3\xA0", "\xC3\xA8", "\xC3\xA9", "\xC3\xAC", "\xC3\xB2", "\xC3\xB9"
    };

    if (len >= 1 && memchr("aeiou", form[len - 1], 5) != NULL)
        return 1;
    if (len >= 2) {
        size_t i;

        for (i = 0; i < sizeof(accented) / sizeof(accented[0]); i++) {
            if (memcmp(form + len - 2, accented[i], 2) == 0)
                return 2;
        }
    }
    return 0;
}

apr_array_header_t *geotag_expand_forms(apr_pool_t *pool, const char *notation)
{
    apr_array_header_t *forms;
    const char *slash, *suffix;
    const char *first;
    size_t first_len, stem_len;

    if (notation == NULL || notation_problem(notation) != NULL)
        return NULL;
    forms = apr_array_make(pool, 4, sizeof(const char *));
    slash = strchr(notation, '/');
    if (slash == NULL) {
        APR_ARRAY_PUSH(forms, const char *) = apr_pstrdup(pool, notation);
        return forms;
    }
    first_len = (size_t)(slash - notation);
    first = apr_pstrmemdup(pool, notation, first_len);
    stem_len = first_len - final_vowel_len(first, first_len);
    APR_ARRAY_PUSH(forms, const char *) = first;
    for (suffix = slash + 1; suffix != NULL; ) {
        const char *next = strchr(suffix, '/');
        size_t suffix_len = next ? (size_t)(next - suffix) : strlen(suffix);
        char *form = apr_palloc(pool, stem_len + suffix_len + 1);

        memcpy(form, first, stem_len);
        memcpy(form + stem_len, suffix, suffix_len);
        form[stem_len + suffix_len] = '\0';
        APR_ARRAY_PUSH(forms, const char *) = form;
        suffix = next ? next + 1 : NULL;
    }
    return forms;
}

/* ---- the tree walk ----------------------------------------------------- */

static geotag_case_rule case_attr(geotag_loader *l, xmlNodePtr node,
                                         geotag_case_rule fallback)
{
    const char *value = attr(l, node, "case");

    if (value == NULL)
        return fallback;
    if (strcmp(value, "fold") == 0)
        return GEOTAG_CASE_FOLD;
    if (strcmp(value, "capitalized") == 0)
        return GEOTAG_CASE_CAPITALIZED;
    return GEOTAG_CASE_EXACT; /* the schema allows nothing else */
}

/* The context rules a form element declares (word="yes", context="place"). */
static unsigned form_rules(geotag_loader *l, xmlNodePtr node)
{
    const char *word = attr(l, node, "word");
    const char *context = attr(l, node, "context");
    unsigned rules = 0;

    if (word != NULL && strcmp(word, "yes") == 0)
        rules |= GEOTAG_FORM_WORD;
    if (context != NULL && strcmp(context, "place") == 0)
        rules |= GEOTAG_FORM_PLACE;
    return rules;
}

/*
 * Adds the surface form(s) of 'text' to 'target' (aliases or determiners),
 * expanding the inflection notation when 'expand' is set.  A form repeated
 * with the same entity, language, role and case rule is kept once: the
 * same name in two languages' files is common and means nothing more.
 */
static int add_forms(geotag_loader *l, xmlNodePtr node,
                            apr_array_header_t *target, const char *text,
                            int entity, const char *lang,
                            geotag_case_rule case_rule, geotag_alias_role role,
                            int expand)
{
    apr_array_header_t *forms;
    unsigned rules = form_rules(l, node);
    int i;

    if (expand) {
        const char *problem = notation_problem(text);

        if (problem != NULL)
            return geotag_fail(l, node_line(l, node),
                               "bad inflection notation '%s': %s", text,
                               problem);
        forms = geotag_expand_forms(l->pool, text);
    }
    else {
        forms = apr_array_make(l->scratch, 1, sizeof(const char *));
        APR_ARRAY_PUSH(forms, const char *) = text;
    }
    for (i = 0; i < forms->nelts; i++) {
        const char *form = APR_ARRAY_IDX(forms, i, const char *);
        const char *key;
        geotag_alias *alias;

        if (!has_word(form))
            return geotag_fail(l, node_line(l, node),
                               "<%s> '%s' has no letter or digit, so it can "
                               "never match", (const char *)node->name, form);
        key = apr_psprintf(l->scratch,
                           "%c\x1f%d\x1f%d\x1f%d\x1f%u\x1f%s\x1f%s",
                           target == l->g->determiners ? 'd' : 'a',
                           entity, (int)role, (int)case_rule, rules,
                           lang ? lang : "*", form);
        if (apr_hash_get(l->seen_forms, key, APR_HASH_KEY_STRING) != NULL)
            continue;
        apr_hash_set(l->seen_forms, key, APR_HASH_KEY_STRING, "");
        alias = apr_array_push(target);
        alias->text = form;
        alias->entity = entity;
        alias->lang = lang;
        alias->case_rule = case_rule;
        alias->role = role;
        alias->rules = rules;
        alias->role_key = -1;
    }
    return 1;
}

/* The index of role key 'key' ("president"), added when new. */
static int role_key(geotag_loader *l, const char *key)
{
    int i;

    for (i = 0; i < l->g->role_keys->nelts; i++)
        if (strcmp(APR_ARRAY_IDX(l->g->role_keys, i, const char *), key) == 0)
            return i;
    APR_ARRAY_PUSH(l->g->role_keys, const char *) = apr_pstrdup(l->pool, key);
    return l->g->role_keys->nelts - 1;
}

/* The words of a <lexicon> or of a pack's root: treaty words, determiners
 * and units here, the figure and cue words in the lexicon (langpack.h). */
static int load_lexicon(geotag_loader *l, xmlNodePtr lexicon)
{
    const char *lang = attr(l, lexicon, "lang");
    int pack = geotag_lexicon_pack(l->g->lexicon, lang);
    xmlNodePtr node;

    for (node = lexicon->children; node != NULL; node = node->next) {
        if (node->type != XML_ELEMENT_NODE)
            continue;
        if (is_element(node, "treaty-word")) {
            if (!add_forms(l, node, l->g->aliases, node_text(l, node),
                                  -1, lang,
                                  case_attr(l, node, GEOTAG_CASE_FOLD),
                                  GEOTAG_ALIAS_TREATY_WORD, 1))
                return 0;
        }
        else if (is_element(node, "role-noun")) {
            int first = l->g->aliases->nelts, k,
                key = role_key(l, attr(l, node, "role"));
            if (!add_forms(l, node, l->g->aliases, node_text(l, node), -1,
                           lang, case_attr(l, node, GEOTAG_CASE_FOLD),
                           GEOTAG_ALIAS_ROLE_NOUN, 1))
                return 0;
            for (k = first; k < l->g->aliases->nelts; k++)
                APR_ARRAY_IDX(l->g->aliases, k, geotag_alias).role_key = key;
        }
        else if (is_element(node, "determiner")) {
            if (!add_forms(l, node, l->g->determiners,
                                  node_text(l, node), -1, lang,
                                  case_attr(l, node, GEOTAG_CASE_FOLD),
                                  GEOTAG_ALIAS_NAME, 1))
                return 0;
        }
        else if (is_element(node, "unit")) {
            geotag_unit *unit;
            const char *text = node_text(l, node);
            const char *currency = attr(l, node, "currency");
            const char *key;

            if (!has_word(text))
                return geotag_fail(l, node_line(l, node),
                                   "<unit> '%s' has no letter or digit, so it "
                                   "can never match", text);
            text = lower_copy(l->pool, text);
            /* a dictionary may repeat a unit of its language's pack */
            key = apr_psprintf(l->scratch, "u\x1f%s\x1f%s\x1f%s", lang, text,
                               currency ? currency : "");
            if (apr_hash_get(l->seen_forms, key, APR_HASH_KEY_STRING) != NULL)
                continue;
            apr_hash_set(l->seen_forms, key, APR_HASH_KEY_STRING, "");
            unit = apr_array_push(l->g->units);
            unit->lang = lang;
            unit->text = text;
            unit->currency = currency;
        }
        else if (geotag_lexicon_read_word(l->g->lexicon, &l->x, node, pack) ==
                 0) {
            return 0;
        }
    }
    return 1;
}

static void pending_ref(geotag_loader *l, xmlNodePtr node, int *slot,
                        const char *ref, int from, char what)
{
    geotag_pending_party *pending = apr_array_push(l->parties);
    pending->slot = slot;
    pending->ref = ref;
    pending->file = l->x.file;
    pending->line = node_line(l, node);
    pending->treaty = from;
    pending->what = what;
}

/* Rejects office-only children elsewhere. */
static int office_only(geotag_loader *l, xmlNodePtr node,
                       const geotag_entity *e)
{
    if (e->kind == GEOTAG_KIND_OFFICE)
        return 1;
    return geotag_fail(l, node_line(l, node), "<%s> in %s, which is not an "
                       "<office>", (const char *)node->name, e->id);
}

/* Rejects treaty-only children on an actor: a party on a person is a
 * dictionary mistake the matcher would silently ignore. */
static int treaty_only(geotag_loader *l, xmlNodePtr node,
                              const geotag_entity *e)
{
    if (e->kind == GEOTAG_KIND_TREATY)
        return 1;
    return geotag_fail(l, node_line(l, node),
                       "<%s> in %s, which is not a treaty (that needs "
                       "type=\"Legislation\" or kind=\"treaty\")",
                       (const char *)node->name, e->id);
}

/* The longest slug of a local id (the markup's buffers hold twice that). */
#define LOCAL_SLUG_MAX 48

/*
 * An entity whose id may not be published (not a verified QID) gets a local
 * id: "geotag-" and the slug of "local:slug", else a slug of its first
 * English name (else its first name): ASCII letters and digits lower-cased,
 * any other run of bytes one hyphen.  A slug already given gets "-2", "-3"
 * ... in the order the dictionary defines them, so ids are stable as long as
 * the dictionary is.
 */
static const char *make_local_id(geotag_loader *l, const geotag_entity *e,
                                   const apr_array_header_t *labels)
{
    const char *from = NULL;
    char slug[LOCAL_SLUG_MAX + 1], *id;
    apr_size_t n = 0;
    int i, dash = 0, suffix;

    if (strncmp(e->id, "local:", 6) == 0)
        from = e->id + 6;
    for (i = 0; from == NULL && i < labels->nelts; i++) {
        const geotag_label *label = &APR_ARRAY_IDX(labels, i, geotag_label);
        if (label->lang != NULL && geotag_same_primary_subtag(label->lang, "en"))
            from = label->text;
    }
    if (from == NULL && labels->nelts > 0)
        from = APR_ARRAY_IDX(labels, 0, geotag_label).text;
    for (; from != NULL && *from != '\0' && n < LOCAL_SLUG_MAX; from++) {
        char c = *from;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (dash && n > 0 && n < LOCAL_SLUG_MAX - 1)
                slug[n++] = '-';
            slug[n++] = c;
            dash = 0;
        }
        else {
            dash = 1;
        }
    }
    if (n == 0)
        slug[n++] = 'x';
    slug[n] = '\0';
    id = apr_pstrcat(l->pool, "geotag-", slug, NULL);
    for (suffix = 2; apr_hash_get(l->local_ids, id, APR_HASH_KEY_STRING);
         suffix++)
        id = apr_psprintf(l->pool, "geotag-%s-%d", slug, suffix);
    apr_hash_set(l->local_ids, id, APR_HASH_KEY_STRING, id);
    return id;
}

/* 0 (and the message) when the entity's id was defined before. */
static int id_new(geotag_loader *l, const geotag_entity *e)
{
    const int *index_slot =
        apr_hash_get(l->g->by_id, e->id, APR_HASH_KEY_STRING);
    const geotag_entity *first;

    if (index_slot == NULL)
        return 1;
    first = &APR_ARRAY_IDX(l->g->entities, *index_slot, geotag_entity);
    return geotag_fail(l, e->source_line,
                       "duplicate entity id %s (first defined at %s:%d)",
                       e->id, first->source_file, first->source_line);
}

static int load_entity(geotag_loader *l, xmlNodePtr entity)
{
    geotag_gazetteer *g = l->g;
    geotag_entity e;
    apr_array_header_t *labels;
    const char *kind, *verified, *type_lang = NULL;
    int *index_slot, *parties = NULL, *role_keys = NULL;
    geotag_holder *holders = NULL;
    int index = g->entities->nelts;
    int n_party_elements = 0, n_holder_elements = 0, n_role_elements = 0;
    xmlNodePtr node;

    memset(&e, 0, sizeof(e));
    e.id = attr(l, entity, "id");
    e.type = attr(l, entity, "type");
    kind = attr(l, entity, "kind");
    verified = attr(l, entity, "verified");
    if (is_element(entity, "office")) {
        e.type = "Role";
        e.kind = GEOTAG_KIND_OFFICE;
    }
    else {
        e.kind = (strcmp(e.type, "Legislation") == 0 ||
                  (kind != NULL && strcmp(kind, "treaty") == 0))
                     ? GEOTAG_KIND_TREATY : GEOTAG_KIND_ACTOR;
    }
    e.office_of = -1;
    e.verified = !(verified != NULL && strcmp(verified, "no") == 0);
    e.source_file = l->x.file;
    e.source_line = node_line(l, entity);

    if (!id_new(l, &e))
        return 0;

    for (node = entity->children; node != NULL; node = node->next) {
        if (is_element(node, "party"))
            n_party_elements++;
        else if (is_element(node, "holder"))
            n_holder_elements++;
        else if (is_element(node, "role"))
            n_role_elements++;
    }
    if (n_party_elements > 0)
        parties = apr_pcalloc(l->pool, n_party_elements * sizeof(int));
    if (n_holder_elements > 0)
        holders = apr_pcalloc(l->pool,
                              n_holder_elements * sizeof(geotag_holder));
    if (n_role_elements > 0)
        role_keys = apr_pcalloc(l->pool, n_role_elements * sizeof(int));
    if (e.kind == GEOTAG_KIND_OFFICE) /* sets e.office_of once all is in */
        pending_ref(l, entity, apr_palloc(l->scratch, sizeof(int)),
                    attr(l, entity, "of"), index, 'o');
    labels = apr_array_make(l->pool, 2, sizeof(geotag_label));

    for (node = entity->children; node != NULL; node = node->next) {
        int ok = 1;

        if (node->type != XML_ELEMENT_NODE)
            continue;
        if (is_element(node, "name")) {
            geotag_label *label = apr_array_push(labels);

            label->lang = attr(l, node, "lang");
            label->text = node_text(l, node);
            label->wikipedia = attr(l, node, "wikipedia");
            if (label->wikipedia != NULL)
                label->wikipedia = geotag_xml_collapse(l->pool, label->wikipedia);
            ok = add_forms(l, node, g->aliases, label->text, index,
                                  label->lang,
                                  case_attr(l, node,
                                            e.kind == GEOTAG_KIND_OFFICE
                                                ? GEOTAG_CASE_FOLD
                                                : GEOTAG_CASE_CAPITALIZED),
                                  e.kind == GEOTAG_KIND_OFFICE
                                      ? GEOTAG_ALIAS_OFFICE : GEOTAG_ALIAS_NAME,
                                  0);
        }
        else if (is_element(node, "alias")) {
            const char *is_short = attr(l, node, "short");

            ok = add_forms(l, node, g->aliases, node_text(l, node),
                                  index, attr(l, node, "lang"),
                                  case_attr(l, node,
                                            e.kind == GEOTAG_KIND_OFFICE
                                                ? GEOTAG_CASE_FOLD
                                                : GEOTAG_CASE_CAPITALIZED),
                                  e.kind == GEOTAG_KIND_OFFICE
                                      ? GEOTAG_ALIAS_OFFICE
                                  : is_short != NULL &&
                                          strcmp(is_short, "yes") == 0
                                      ? GEOTAG_ALIAS_SHORT : GEOTAG_ALIAS_NAME,
                                  0);
        }
        else if (is_element(node, "demonym")) {
            ok = add_forms(l, node, g->aliases, node_text(l, node),
                                  index, attr(l, node, "lang"),
                                  case_attr(l, node, GEOTAG_CASE_FOLD),
                                  GEOTAG_ALIAS_DEMONYM, 1);
        }
        else if (is_element(node, "role")) {
            if (!office_only(l, node, &e))
                return 0;
            role_keys[e.n_role_keys++] = role_key(l, node_text(l, node));
        }
        else if (is_element(node, "holder")) {
            geotag_holder *h = &holders[e.n_holders];
            if (!office_only(l, node, &e))
                return 0;
            h->person = -1;
            h->from = attr(l, node, "from");
            h->to = attr(l, node, "to");
            if (!date_valid(h->from) || (h->to != NULL && !date_valid(h->to)))
                return geotag_fail(l, node_line(l, node),
                                   "invalid date in <holder> (no such day)");
            if (h->to != NULL && strcmp(h->to, h->from) < 0)
                return geotag_fail(l, node_line(l, node),
                                   "<holder> ends (%s) before it starts (%s)",
                                   h->to, h->from);
            pending_ref(l, node, &h->person, attr(l, node, "ref"), index, 'h');
            e.n_holders++;
        }
        else if (is_element(node, "capital")) {
            ok = add_forms(l, node, g->aliases, node_text(l, node),
                                  index, attr(l, node, "lang"),
                                  case_attr(l, node,
                                                   GEOTAG_CASE_CAPITALIZED),
                                  GEOTAG_ALIAS_METONYM, 0);
        }
        else if (is_element(node, "party")) {
            const char *ref = attr(l, node, "ref");
            int i;

            if (!treaty_only(l, node, &e))
                return 0;
            for (i = 0; i < e.n_parties; i++) {
                const geotag_pending_party *earlier = &APR_ARRAY_IDX(
                    l->parties, l->parties->nelts - e.n_parties + i,
                    geotag_pending_party);

                if (strcmp(earlier->ref, ref) == 0)
                    return geotag_fail(l, node_line(l, node),
                                       "party %s listed twice in %s", ref,
                                       e.id);
            }
            pending_ref(l, node, &parties[e.n_parties++], ref, index, 'p');
        }
        else if (is_element(node, "date")) {
            if (!treaty_only(l, node, &e))
                return 0;
            e.date = node_text(l, node);
            if (!date_valid(e.date))
                return geotag_fail(l, node_line(l, node),
                                   "invalid date '%s' (no such day)", e.date);
        }
        else if (is_element(node, "legislation-type")) {
            const char *lang = attr(l, node, "lang");

            if (!treaty_only(l, node, &e))
                return 0;
            /* English is the JSON-LD's neutral choice; else the first. */
            if (e.legislation_type == NULL ||
                (lang != NULL && geotag_same_primary_subtag(lang, "en") &&
                 (type_lang == NULL || !geotag_same_primary_subtag(type_lang, "en")))) {
                e.legislation_type = node_text(l, node);
                type_lang = lang;
            }
        }
        if (!ok)
            return 0;
    }

    if (e.kind == GEOTAG_KIND_TREATY && e.n_parties == 0 && e.date == NULL)
        return geotag_fail(l, e.source_line,
                           "treaty %s has neither a <party> nor a <date>, so "
                           "a description can never resolve to it", e.id);

    /* an id confirmed nowhere is never published: not as a Wikidata IRI,
     * not in sameAs, not in the markup */
    e.unpublished = !e.verified || e.id[0] != 'Q';
    if (e.unpublished)
        e.local_id = make_local_id(l, &e, labels);
    e.labels = (const geotag_label *)labels->elts;
    e.n_labels = labels->nelts;
    e.parties = parties;
    e.holders = holders;
    e.role_keys = role_keys;
    if (e.kind == GEOTAG_KIND_OFFICE)
        APR_ARRAY_PUSH(g->offices, int) = index;
    *(geotag_entity *)apr_array_push(g->entities) = e;
    index_slot = apr_palloc(l->pool, sizeof(*index_slot));
    *index_slot = index;
    apr_hash_set(g->by_id, e.id, APR_HASH_KEY_STRING, index_slot);
    return 1;
}

static int load_tree(geotag_loader *l, xmlDocPtr doc, int first_file)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlNodePtr node;

    if (!is_element(root, "gazetteer"))
        return geotag_fail(l, node_line(l, root),
                           "a <%s> is not a dictionary (a language pack is "
                           "found in the language packs directory)",
                           (const char *)root->name);
    if (first_file) {
        const char *fold = attr(l, root, "fold-accents");

        l->g->fold_accents = !(fold != NULL && strcmp(fold, "no") == 0);
    }
    for (node = root->children; node != NULL; node = node->next) {
        if (is_element(node, "lexicon")) {
            if (!load_lexicon(l, node))
                return 0;
        }
        else if (is_element(node, "entity")) {
            if (!load_entity(l, node))
                return 0;
        }
        else if (is_element(node, "office")) {
            if (!load_entity(l, node))
                return 0;
        }
        else if (is_element(node, "stop")) {
            if (!add_forms(l, node, l->g->aliases, node_text(l, node), -1,
                           attr(l, node, "lang"),
                           case_attr(l, node, GEOTAG_CASE_CAPITALIZED),
                           GEOTAG_ALIAS_STOP, 0))
                return 0;
        }
    }
    return 1;
}

static int resolve_parties(geotag_loader *l)
{
    geotag_entity *entities = (geotag_entity *)l->g->entities->elts;
    int i;

    for (i = 0; i < l->parties->nelts; i++) {
        const geotag_pending_party *p =
            &APR_ARRAY_IDX(l->parties, i, geotag_pending_party);
        int index = geotag_gazetteer_find(l->g, p->ref);
        const char *what = p->what == 'p' ? "party"
                           : p->what == 'h' ? "holder" : "the office's of=";

        l->x.file = p->file;
        if (index < 0)
            return geotag_fail(l, p->line,
                               "%s %s is not an entity of any gazetteer "
                               "file", what, p->ref);
        if (index == p->treaty)
            return geotag_fail(l, p->line, "%s is its own %s", p->ref, what);
        if (p->what == 'h' && strcmp(entities[index].type, "Person") != 0)
            return geotag_fail(l, p->line, "holder %s is a %s, not a Person",
                               p->ref, entities[index].type);
        if (p->what != 'p' && entities[index].kind != GEOTAG_KIND_ACTOR)
            return geotag_fail(l, p->line, "%s %s is not a person, state or "
                               "body", what, p->ref);
        *p->slot = index;
        if (p->what == 'o')
            entities[p->treaty].office_of = index;
    }
    return 1;
}

/* ---- the API ----------------------------------------------------------- */

/* The packs of 'dir', in name order, before any dictionary. */
static int load_packs(geotag_loader *l, const char *dir,
                             apr_sha1_ctx_t *sha1)
{
    apr_array_header_t *files;
    const char *error = NULL;
    int i;

    files = geotag_langpack_files(l->pool, dir, &error);
    if (files == NULL) {
        l->x.error = error;
        return 0;
    }
    for (i = 0; i < files->nelts; i++) {
        xmlDocPtr doc = geotag_xml_read(
            &l->x, APR_ARRAY_IDX(files, i, const char *), sha1);
        int ok = doc != NULL &&
                 geotag_lexicon_read_pack(l->g->lexicon, &l->x,
                                          xmlDocGetRootElement(doc)) >= 0 &&
                 load_lexicon(l, xmlDocGetRootElement(doc));

        geotag_xml_release(&l->x);
        if (!ok)
            return 0;
    }
    return 1;
}

static geotag_gazetteer *gazetteer_make(apr_pool_t *pool)
{
    geotag_gazetteer *g = apr_pcalloc(pool, sizeof(*g));

    g->entities = apr_array_make(pool, 64, sizeof(geotag_entity));
    g->aliases = apr_array_make(pool, 256, sizeof(geotag_alias));
    g->units = apr_array_make(pool, 16, sizeof(geotag_unit));
    g->determiners = apr_array_make(pool, 16, sizeof(geotag_alias));
    g->lexicon = geotag_lexicon_make(pool);
    g->fold_accents = 1;
    g->by_id = apr_hash_make(pool);
    g->role_keys = apr_array_make(pool, 8, sizeof(const char *));
    g->offices = apr_array_make(pool, 8, sizeof(int));
    return g;
}

geotag_gazetteer *geotag_gazetteer_load(apr_pool_t *pool, const char *schema,
                                        const char *lang_packs,
                                        const char *const *files, int n_files,
                                        const char **error)
{
    apr_sha1_ctx_t sha1;
    geotag_loader l;
    geotag_gazetteer *g;
    int i;

    if (error != NULL)
        *error = NULL;
    if ((files == NULL && n_files > 0) || n_files < 0 ||
        (n_files == 0 && lang_packs == NULL)) {
        if (error != NULL)
            *error = "no gazetteer file given";
        return NULL;
    }

    memset(&l, 0, sizeof(l));
    l.pool = pool;
    if (apr_pool_create(&l.scratch, pool) != APR_SUCCESS) {
        if (error != NULL)
            *error = "out of memory";
        return NULL;
    }
    g = gazetteer_make(pool);
    l.g = g;
    l.seen_forms = apr_hash_make(l.scratch);
    l.parties = apr_array_make(l.scratch, 16, sizeof(geotag_pending_party));
    l.local_ids = apr_hash_make(l.scratch);

    apr_sha1_init(&sha1);
    if (!geotag_xml_open(&l.x, pool, l.scratch, schema))
        goto done;
    if (lang_packs != NULL && !load_packs(&l, lang_packs, &sha1))
        goto done;
    for (i = 0; i < n_files; i++) {
        xmlDocPtr doc = geotag_xml_read(&l.x, apr_pstrdup(pool, files[i]),
                                        &sha1);
        int ok = doc != NULL && load_tree(&l, doc, i == 0);

        geotag_xml_release(&l.x);
        if (!ok)
            goto done;
    }
    if (!resolve_parties(&l))
        goto done;
    geotag_lexicon_index(g->lexicon, pool, g->fold_accents);
    apr_sha1_final(g->digest, &sha1);

    g->files = "";
    for (i = 0; i < n_files; i++)
        g->files = i == 0 ? apr_pstrdup(pool, files[i])
                          : apr_pstrcat(pool, g->files, ", ", files[i], NULL);

done:
    geotag_xml_close(&l.x);
    apr_pool_destroy(l.scratch);
    if (l.x.error != NULL) {
        if (error != NULL)
            *error = l.x.error;
        return NULL;
    }
    return g;
}

int geotag_gazetteer_find(const geotag_gazetteer *g, const char *id)
{
    const int *index;

    if (g == NULL || g->by_id == NULL || id == NULL)
        return -1;
    index = apr_hash_get(g->by_id, id, APR_HASH_KEY_STRING);
    return index != NULL ? *index : -1;
}

const geotag_label *geotag_entity_label(const geotag_entity *e,
                                        const char *lang)
{
    int i;

    if (e == NULL || e->n_labels <= 0)
        return NULL;
    if (lang != NULL && *lang != '\0') {
        /* The full tag first, so "pt-BR" prefers a pt-BR name to pt-PT. */
        for (i = 0; i < e->n_labels; i++) {
            if (e->labels[i].lang != NULL &&
                strcasecmp(e->labels[i].lang, lang) == 0)
                return &e->labels[i];
        }
        for (i = 0; i < e->n_labels; i++) {
            if (e->labels[i].lang != NULL &&
                geotag_same_primary_subtag(e->labels[i].lang, lang))
                return &e->labels[i];
        }
    }
    for (i = 0; i < e->n_labels; i++) {
        if (e->labels[i].lang != NULL &&
            geotag_same_primary_subtag(e->labels[i].lang, "en"))
            return &e->labels[i];
    }
    return &e->labels[0];
}
