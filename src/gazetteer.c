/*
 * gazetteer.c: loads the dictionary files into the model of gazetteer.h.
 *
 * Here's the concept.  Each file goes through four gates, and the first
 * failure anywhere ends the load with one "file:line: reason" message:
 *
 *   1. its bytes are read once with APR; they feed the SHA-1 digest and
 *      libxml2 parses exactly those bytes from memory, so the digest always
 *      describes what was loaded even if the file is replaced meanwhile;
 *   2. well-formedness: no network, no entity expansion, and no DOCTYPE at
 *      all (the format declares no entities, and refusing the DTD removes
 *      every entity question at once);
 *   3. the RelaxNG schema (conf/gazetteer.rng), which guarantees element
 *      names, attribute shapes and non-empty text, so the tree walk below
 *      does not re-check them;
 *   4. what a schema cannot say, checked while the tree is copied into the
 *      pool: duplicate ids across files, real calendar dates, inflection
 *      notation, forms that can never match, and, once every file is in,
 *      party refs that name no entity.
 *
 * libxml2 reports errors through a global handler that prints to stderr
 * by default; inside httpd that would bypass the error log, so for the
 * whole load the handlers are replaced by one that keeps the first error,
 * and the previous ones are put back before returning.
 *
 * Everything the model holds is copied into the caller's pool; the libxml2
 * documents, the schema and the scratch pool die before returning.
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include <apr_file_io.h>
#include <apr_hash.h>
#include <apr_lib.h>
#include <apr_sha1.h>
#include <apr_strings.h>

#include <libxml/globals.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/relaxng.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "gazetteer.h"

/* libxml2 2.12 made the structured error argument const. */
#if LIBXML_VERSION >= 21200
typedef const xmlError *geotag_xml_error_ptr;
#else
typedef xmlErrorPtr geotag_xml_error_ptr;
#endif

#define GEOTAG_PARSE_OPTIONS \
    (XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOBLANKS)

/* The first libxml2 error of the load, already formatted. */
typedef struct {
    apr_pool_t *pool;
    const char *file;    /* named when libxml2's error carries no file */
    const char *message; /* "file:line: reason", or NULL */
    const char *reason;  /* the message without "file:line: " */
    int has_line;        /* message names a line; else a later error may */
} geotag_xml_errors;

/* A <party ref>, resolved when every file is in (a party may be defined
 * in a later file than its treaty). */
typedef struct {
    int *slot;
    const char *ref;
    const char *file;
    int line;
    int treaty;
} geotag_pending_party;

typedef struct {
    apr_pool_t *pool;             /* the model's */
    apr_pool_t *scratch;          /* dies with the load */
    geotag_gazetteer *g;
    apr_hash_t *seen_forms;       /* de-duplication keys */
    apr_array_header_t *parties;  /* geotag_pending_party */
    const char *file;             /* the file being walked */
    xmlParserCtxtPtr parser;      /* its parser, while it is checked */
    const char *error;
} geotag_loader;

static int geotag_is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Element lines.  libxml2 keeps an element's line in an unsigned short:
 * XML_PARSE_BIG_LINES only rescues text nodes, xmlGetLineNo() guesses from
 * the children past 65535, and the parser's node info (record_info) has no
 * usable begin_line in 2.9.  So the start-element callback is wrapped to
 * store the parser's line, uncapped, in the node's _private field, which
 * libxml2 leaves to the application.  It is the line libxml2 itself would
 * give (where the start tag ends).
 */
static void geotag_start_element(void *data, const xmlChar *localname,
                                 const xmlChar *prefix, const xmlChar *uri,
                                 int n_namespaces, const xmlChar **namespaces,
                                 int n_attributes, int n_defaulted,
                                 const xmlChar **attributes)
{
    xmlParserCtxtPtr parser = data;

    xmlSAX2StartElementNs(parser, localname, prefix, uri, n_namespaces,
                          namespaces, n_attributes, n_defaulted, attributes);
    if (parser->node != NULL && parser->node->_private == NULL &&
        parser->input != NULL && parser->input->line > 0)
        parser->node->_private = (void *)(intptr_t)parser->input->line;
}

/* Set as the _private of documents whose elements carry their lines, so
 * that nodes of other documents (the schema's) are never misread. */
static char geotag_lines_recorded;

static long geotag_node_line(xmlNodePtr node)
{
    if (node->type == XML_ELEMENT_NODE && node->_private != NULL &&
        node->doc != NULL && node->doc->_private == &geotag_lines_recorded)
        return (long)(intptr_t)node->_private;
    return xmlGetLineNo(node);
}

/* ---- libxml2 errors ---------------------------------------------------- */

static void geotag_xml_error(void *data, geotag_xml_error_ptr err)
{
    geotag_xml_errors *errors = data;
    const char *file;
    const char *where = "";
    char *message;
    size_t len;
    long line;

    /*
     * Warnings do not fail a load; only the first error is worth showing,
     * later ones are mostly its consequences.  Except that libxml2's RelaxNG
     * validator reports some failures first without a node or a line
     * ("Element name failed to validate attributes", for a bad attribute of
     * an element that has others) and right after that the precise error
     * with its line ("Invalid attribute lang for element name").  The
     * promise is "file:line: reason", so an error without a line is kept
     * only until one with a line comes.
     */
    if (errors->has_line || err == NULL || err->level < XML_ERR_ERROR)
        return;

    file = err->file != NULL ? err->file : errors->file;
    line = err->line;
    message = apr_pstrdup(errors->pool,
                          err->message != NULL ? err->message : "error");
    len = strlen(message);
    while (len > 0 && geotag_is_space((unsigned char)message[len - 1]))
        message[--len] = '\0';
    if (err->node != NULL) {
        xmlNodePtr node = err->node;
        long node_line;

        /* For bad attributes libxml2 points at the element's first child;
         * the attributes are on the line of the element the message names. */
        if (err->domain == XML_FROM_RELAXNGV &&
            err->code == XML_RELAXNG_ERR_ATTRVALID && err->str1 != NULL &&
            node->parent != NULL && node->parent->type == XML_ELEMENT_NODE &&
            !xmlStrEqual(node->name, (const xmlChar *)err->str1) &&
            xmlStrEqual(node->parent->name, (const xmlChar *)err->str1))
            node = node->parent;
        node_line = geotag_node_line(node);
        if (node_line > 0)
            line = node_line;
        /* Some RelaxNG messages ("Error validating datatype string") do
         * not say which element they are about. */
        if (err->domain == XML_FROM_RELAXNGV &&
            node->type == XML_ELEMENT_NODE &&
            strstr(message, (const char *)node->name) == NULL)
            where = apr_psprintf(errors->pool, "element %s: ",
                                 (const char *)node->name);
    }

    if (line > 0) {
        errors->message = apr_psprintf(errors->pool, "%s:%ld: %s%s",
                                       file ? file : "?", line, where, message);
        errors->has_line = 1;
    }
    else if (errors->message == NULL) {
        errors->reason = apr_pstrcat(errors->pool, where, message, NULL);
        errors->message = apr_psprintf(errors->pool, "%s: %s",
                                       file ? file : "?", errors->reason);
    }
}

/* The message of a failed file: libxml2's first error, given 'line' when it
 * came without one (no error with a line followed), or 'fallback' when
 * libxml2 said nothing. */
static const char *geotag_xml_failure(geotag_loader *l,
                                      const geotag_xml_errors *errors,
                                      long line, const char *fallback)
{
    if (line <= 0)
        line = 1;
    if (errors->message == NULL)
        return apr_psprintf(l->pool, "%s:%ld: %s", l->file, line, fallback);
    if (errors->has_line)
        return errors->message;
    return apr_psprintf(l->pool, "%s:%ld: %s", l->file, line, errors->reason);
}

/* For the few libxml2 paths that still call the generic handler directly. */
static void geotag_xml_silent(void *data, const char *format, ...)
{
}

/* ---- small helpers ----------------------------------------------------- */

static int geotag_fail(geotag_loader *l, long line, const char *format, ...)
{
    va_list ap;
    const char *reason;

    va_start(ap, format);
    reason = apr_pvsprintf(l->pool, format, ap);
    va_end(ap);
    if (l->error == NULL)
        l->error = apr_psprintf(l->pool, "%s:%ld: %s", l->file, line, reason);
    return 0;
}

static int geotag_is_element(xmlNodePtr node, const char *name)
{
    return node->type == XML_ELEMENT_NODE &&
           xmlStrEqual(node->name, (const xmlChar *)name);
}

/* Copies 's' with white space runs made one space and the ends trimmed:
 * the schema validates element text as a token, and labels are shown. */
static const char *geotag_collapse(apr_pool_t *pool, const char *s)
{
    char *out = apr_palloc(pool, strlen(s) + 1);
    char *o = out;

    while (geotag_is_space((unsigned char)*s))
        s++;
    while (*s != '\0') {
        if (geotag_is_space((unsigned char)*s)) {
            while (geotag_is_space((unsigned char)*s))
                s++;
            if (*s != '\0')
                *o++ = ' ';
        }
        else {
            *o++ = *s++;
        }
    }
    *o = '\0';
    return out;
}

static const char *geotag_attr(geotag_loader *l, xmlNodePtr node,
                               const char *name)
{
    xmlChar *value = xmlGetNoNsProp(node, (const xmlChar *)name);
    const char *copy;

    if (value == NULL)
        return NULL;
    copy = apr_pstrdup(l->pool, (const char *)value);
    xmlFree(value);
    return copy;
}

static const char *geotag_text(geotag_loader *l, xmlNodePtr node)
{
    xmlChar *value = xmlNodeGetContent(node);
    const char *copy;

    if (value == NULL)
        return "";
    copy = geotag_collapse(l->pool, (const char *)value);
    xmlFree(value);
    return copy;
}

static int geotag_line(geotag_loader *l, xmlNodePtr node)
{
    long line = geotag_node_line(node);

    return line > 0 && line <= INT_MAX ? (int)line : 0;
}

/*
 * Whether a form keeps at least one word character after normalization
 * (normalize.h: ASCII alphanumerics and what is >= 0x80 once punctuation
 * is unified).  Decoding here rather than calling the normalizer keeps
 * this file independent of it; the code points skipped are those the
 * normalizer turns into ASCII punctuation or removes: Latin-1 signs,
 * combining accents, general punctuation, CJK punctuation, BOM.
 */
static int geotag_has_word(const char *text)
{
    const unsigned char *s = (const unsigned char *)text;

    while (*s != '\0') {
        unsigned long cp;
        int extra, i;

        if (*s < 0x80) {
            if (apr_isalnum(*s))
                return 1;
            s++;
            continue;
        }
        if ((*s & 0xE0) == 0xC0) {
            cp = *s & 0x1F;
            extra = 1;
        }
        else if ((*s & 0xF0) == 0xE0) {
            cp = *s & 0x0F;
            extra = 2;
        }
        else if ((*s & 0xF8) == 0xF0) {
            cp = *s & 0x07;
            extra = 3;
        }
        else {
            s++; /* libxml2 hands out valid UTF-8; be safe anyway */
            continue;
        }
        s++;
        for (i = 0; i < extra && (*s & 0xC0) == 0x80; i++, s++)
            cp = (cp << 6) | (*s & 0x3F);
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
static int geotag_date_valid(const char *date)
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
static const char *geotag_lower(apr_pool_t *pool, const char *text)
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

/* ---- inflection notation ----------------------------------------------- */

/* Why a notation is malformed, or NULL when it is fine. */
static const char *geotag_notation_problem(const char *notation)
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
        if (geotag_is_space((unsigned char)slash[-1]))
            return "white space before '/'";
        for (p = slash; *p != '\0'; p++) {
            if (geotag_is_space((unsigned char)*p))
                return "white space in a suffix";
        }
    }
    return NULL;
}

/* Bytes of the final vowel that a suffix replaces, 0 when there is none. */
static size_t geotag_final_vowel_len(const char *form, size_t len)
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

    if (notation == NULL || geotag_notation_problem(notation) != NULL)
        return NULL;
    forms = apr_array_make(pool, 4, sizeof(const char *));
    slash = strchr(notation, '/');
    if (slash == NULL) {
        APR_ARRAY_PUSH(forms, const char *) = apr_pstrdup(pool, notation);
        return forms;
    }
    first_len = (size_t)(slash - notation);
    first = apr_pstrmemdup(pool, notation, first_len);
    stem_len = first_len - geotag_final_vowel_len(first, first_len);
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

static geotag_case_rule geotag_case_attr(geotag_loader *l, xmlNodePtr node,
                                         geotag_case_rule fallback)
{
    const char *value = geotag_attr(l, node, "case");

    if (value == NULL)
        return fallback;
    if (strcmp(value, "fold") == 0)
        return GEOTAG_CASE_FOLD;
    if (strcmp(value, "capitalized") == 0)
        return GEOTAG_CASE_CAPITALIZED;
    return GEOTAG_CASE_EXACT; /* the schema allows nothing else */
}

/*
 * Adds the surface form(s) of 'text' to 'target' (aliases or determiners),
 * expanding the inflection notation when 'expand' is set.  A form repeated
 * with the same entity, language, role and case rule is kept once: the
 * same name in two languages' files is common and means nothing more.
 */
static int geotag_add_forms(geotag_loader *l, xmlNodePtr node,
                            apr_array_header_t *target, const char *text,
                            int entity, const char *lang,
                            geotag_case_rule case_rule, geotag_alias_role role,
                            int expand)
{
    apr_array_header_t *forms;
    int i;

    if (expand) {
        const char *problem = geotag_notation_problem(text);

        if (problem != NULL)
            return geotag_fail(l, geotag_line(l, node),
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

        if (!geotag_has_word(form))
            return geotag_fail(l, geotag_line(l, node),
                               "<%s> '%s' has no letter or digit, so it can "
                               "never match", (const char *)node->name, form);
        key = apr_psprintf(l->scratch, "%c\x1f%d\x1f%d\x1f%d\x1f%s\x1f%s",
                           target == l->g->determiners ? 'd' : 'a',
                           entity, (int)role, (int)case_rule,
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
    }
    return 1;
}

static int geotag_load_lexicon(geotag_loader *l, xmlNodePtr lexicon)
{
    const char *lang = geotag_attr(l, lexicon, "lang");
    xmlNodePtr node;

    for (node = lexicon->children; node != NULL; node = node->next) {
        if (geotag_is_element(node, "treaty-word")) {
            if (!geotag_add_forms(l, node, l->g->aliases, geotag_text(l, node),
                                  -1, lang,
                                  geotag_case_attr(l, node, GEOTAG_CASE_FOLD),
                                  GEOTAG_ALIAS_TREATY_WORD, 1))
                return 0;
        }
        else if (geotag_is_element(node, "determiner")) {
            if (!geotag_add_forms(l, node, l->g->determiners,
                                  geotag_text(l, node), -1, lang,
                                  geotag_case_attr(l, node, GEOTAG_CASE_FOLD),
                                  GEOTAG_ALIAS_NAME, 1))
                return 0;
        }
        else if (geotag_is_element(node, "unit")) {
            geotag_unit *unit;
            const char *text = geotag_text(l, node);

            if (!geotag_has_word(text))
                return geotag_fail(l, geotag_line(l, node),
                                   "<unit> '%s' has no letter or digit, so it "
                                   "can never match", text);
            unit = apr_array_push(l->g->units);
            unit->lang = lang;
            unit->text = geotag_lower(l->pool, text);
            unit->currency = geotag_attr(l, node, "currency");
        }
    }
    return 1;
}

/* Rejects treaty-only children on an actor: a party on a person is a
 * dictionary mistake the matcher would silently ignore. */
static int geotag_treaty_only(geotag_loader *l, xmlNodePtr node,
                              const geotag_entity *e)
{
    if (e->kind == GEOTAG_KIND_TREATY)
        return 1;
    return geotag_fail(l, geotag_line(l, node),
                       "<%s> in %s, which is not a treaty (that needs "
                       "type=\"Legislation\" or kind=\"treaty\")",
                       (const char *)node->name, e->id);
}

static int geotag_load_entity(geotag_loader *l, xmlNodePtr entity)
{
    geotag_gazetteer *g = l->g;
    geotag_entity e;
    apr_array_header_t *labels;
    const char *kind, *verified, *type_lang = NULL;
    int *index_slot, *parties = NULL;
    int index = g->entities->nelts;
    int n_party_elements = 0;
    xmlNodePtr node;

    memset(&e, 0, sizeof(e));
    e.id = geotag_attr(l, entity, "id");
    e.type = geotag_attr(l, entity, "type");
    kind = geotag_attr(l, entity, "kind");
    verified = geotag_attr(l, entity, "verified");
    e.kind = (strcmp(e.type, "Legislation") == 0 ||
              (kind != NULL && strcmp(kind, "treaty") == 0))
                 ? GEOTAG_KIND_TREATY : GEOTAG_KIND_ACTOR;
    e.verified = !(verified != NULL && strcmp(verified, "no") == 0);
    e.source_file = l->file;
    e.source_line = geotag_line(l, entity);

    index_slot = apr_hash_get(g->by_id, e.id, APR_HASH_KEY_STRING);
    if (index_slot != NULL) {
        const geotag_entity *first =
            &APR_ARRAY_IDX(g->entities, *index_slot, geotag_entity);

        return geotag_fail(l, e.source_line,
                           "duplicate entity id %s (first defined at %s:%d)",
                           e.id, first->source_file, first->source_line);
    }

    for (node = entity->children; node != NULL; node = node->next) {
        if (geotag_is_element(node, "party"))
            n_party_elements++;
    }
    if (n_party_elements > 0)
        parties = apr_pcalloc(l->pool, n_party_elements * sizeof(int));
    labels = apr_array_make(l->pool, 2, sizeof(geotag_label));

    for (node = entity->children; node != NULL; node = node->next) {
        int ok = 1;

        if (node->type != XML_ELEMENT_NODE)
            continue;
        if (geotag_is_element(node, "name")) {
            geotag_label *label = apr_array_push(labels);

            label->lang = geotag_attr(l, node, "lang");
            label->text = geotag_text(l, node);
            label->wikipedia = geotag_attr(l, node, "wikipedia");
            if (label->wikipedia != NULL)
                label->wikipedia = geotag_collapse(l->pool, label->wikipedia);
            ok = geotag_add_forms(l, node, g->aliases, label->text, index,
                                  label->lang,
                                  geotag_case_attr(l, node,
                                                   GEOTAG_CASE_CAPITALIZED),
                                  GEOTAG_ALIAS_NAME, 0);
        }
        else if (geotag_is_element(node, "alias")) {
            const char *is_short = geotag_attr(l, node, "short");

            ok = geotag_add_forms(l, node, g->aliases, geotag_text(l, node),
                                  index, geotag_attr(l, node, "lang"),
                                  geotag_case_attr(l, node,
                                                   GEOTAG_CASE_CAPITALIZED),
                                  is_short != NULL &&
                                          strcmp(is_short, "yes") == 0
                                      ? GEOTAG_ALIAS_SHORT : GEOTAG_ALIAS_NAME,
                                  0);
        }
        else if (geotag_is_element(node, "demonym")) {
            ok = geotag_add_forms(l, node, g->aliases, geotag_text(l, node),
                                  index, geotag_attr(l, node, "lang"),
                                  geotag_case_attr(l, node, GEOTAG_CASE_FOLD),
                                  GEOTAG_ALIAS_DEMONYM, 1);
        }
        else if (geotag_is_element(node, "capital")) {
            ok = geotag_add_forms(l, node, g->aliases, geotag_text(l, node),
                                  index, geotag_attr(l, node, "lang"),
                                  geotag_case_attr(l, node,
                                                   GEOTAG_CASE_CAPITALIZED),
                                  GEOTAG_ALIAS_METONYM, 0);
        }
        else if (geotag_is_element(node, "party")) {
            const char *ref = geotag_attr(l, node, "ref");
            geotag_pending_party *pending;
            int i;

            if (!geotag_treaty_only(l, node, &e))
                return 0;
            for (i = 0; i < e.n_parties; i++) {
                const geotag_pending_party *earlier = &APR_ARRAY_IDX(
                    l->parties, l->parties->nelts - e.n_parties + i,
                    geotag_pending_party);

                if (strcmp(earlier->ref, ref) == 0)
                    return geotag_fail(l, geotag_line(l, node),
                                       "party %s listed twice in %s", ref,
                                       e.id);
            }
            pending = apr_array_push(l->parties);
            pending->slot = &parties[e.n_parties++];
            pending->ref = ref;
            pending->file = l->file;
            pending->line = geotag_line(l, node);
            pending->treaty = index;
        }
        else if (geotag_is_element(node, "date")) {
            if (!geotag_treaty_only(l, node, &e))
                return 0;
            e.date = geotag_text(l, node);
            if (!geotag_date_valid(e.date))
                return geotag_fail(l, geotag_line(l, node),
                                   "invalid date '%s' (no such day)", e.date);
        }
        else if (geotag_is_element(node, "legislation-type")) {
            const char *lang = geotag_attr(l, node, "lang");

            if (!geotag_treaty_only(l, node, &e))
                return 0;
            /* English is the JSON-LD's neutral choice; else the first. */
            if (e.legislation_type == NULL ||
                (lang != NULL && geotag_same_primary_subtag(lang, "en") &&
                 (type_lang == NULL || !geotag_same_primary_subtag(type_lang, "en")))) {
                e.legislation_type = geotag_text(l, node);
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

    e.labels = (const geotag_label *)labels->elts;
    e.n_labels = labels->nelts;
    e.parties = parties;
    *(geotag_entity *)apr_array_push(g->entities) = e;
    index_slot = apr_palloc(l->pool, sizeof(*index_slot));
    *index_slot = index;
    apr_hash_set(g->by_id, e.id, APR_HASH_KEY_STRING, index_slot);
    return 1;
}

static int geotag_load_tree(geotag_loader *l, xmlDocPtr doc, int first_file)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlNodePtr node;

    if (first_file) {
        const char *fold = geotag_attr(l, root, "fold-accents");

        l->g->fold_accents = !(fold != NULL && strcmp(fold, "no") == 0);
    }
    for (node = root->children; node != NULL; node = node->next) {
        if (geotag_is_element(node, "lexicon")) {
            if (!geotag_load_lexicon(l, node))
                return 0;
        }
        else if (geotag_is_element(node, "entity")) {
            if (!geotag_load_entity(l, node))
                return 0;
        }
    }
    return 1;
}

static int geotag_resolve_parties(geotag_loader *l)
{
    int i;

    for (i = 0; i < l->parties->nelts; i++) {
        const geotag_pending_party *p =
            &APR_ARRAY_IDX(l->parties, i, geotag_pending_party);
        int index = geotag_gazetteer_find(l->g, p->ref);

        l->file = p->file;
        if (index < 0)
            return geotag_fail(l, p->line,
                               "party %s is not an entity of any gazetteer "
                               "file", p->ref);
        if (index == p->treaty)
            return geotag_fail(l, p->line, "treaty %s is its own party",
                               p->ref);
        *p->slot = index;
    }
    return 1;
}

/* ---- one file ---------------------------------------------------------- */

/* Reads the whole file into scratch memory. */
static int geotag_read_file(geotag_loader *l, const char **bytes,
                            apr_size_t *len)
{
    apr_file_t *file;
    apr_finfo_t info;
    apr_status_t rv;
    apr_size_t capacity = 8192, used = 0;
    char *buffer;
    char reason[256];

    rv = apr_file_open(&file, l->file, APR_FOPEN_READ | APR_FOPEN_BINARY,
                       APR_OS_DEFAULT, l->scratch);
    if (rv != APR_SUCCESS)
        goto failed;
    /* The size is only a hint: the file may not be a regular one. */
    if (apr_file_info_get(&info, APR_FINFO_SIZE, file) == APR_SUCCESS &&
        info.filetype == APR_REG && info.size >= 0 &&
        (apr_uint64_t)info.size < INT_MAX)
        capacity = (apr_size_t)info.size + 1;
    buffer = apr_palloc(l->scratch, capacity);
    for (;;) {
        apr_size_t n = capacity - used;

        rv = apr_file_read(file, buffer + used, &n);
        used += n;
        if (rv == APR_EOF)
            break;
        if (rv != APR_SUCCESS) {
            apr_file_close(file);
            goto failed;
        }
        if (used == capacity) {
            char *bigger;

            /* libxml2 takes an int length. */
            if (capacity >= INT_MAX / 2) {
                apr_file_close(file);
                l->error = apr_psprintf(l->pool, "%s: the file is too large",
                                        l->file);
                return 0;
            }
            bigger = apr_palloc(l->scratch, capacity * 2);
            memcpy(bigger, buffer, used);
            buffer = bigger;
            capacity *= 2;
        }
    }
    apr_file_close(file);
    *bytes = buffer;
    *len = used;
    return 1;

failed:
    l->error = apr_psprintf(l->pool, "%s: cannot read: %s", l->file,
                            apr_strerror(rv, reason, sizeof(reason)));
    return 0;
}

/* The line of the DOCTYPE, for the message that refuses it. */
static int geotag_doctype_line(const char *bytes, apr_size_t len)
{
    const char *doctype = memmem(bytes, len, "<!DOCTYPE", 9);
    const char *p;
    int line = 1;

    if (doctype == NULL)
        return 1;
    for (p = bytes; p < doctype; p++) {
        if (*p == '\n')
            line++;
    }
    return line;
}

/* Parses, validates and walks one file whose bytes are read. */
static int geotag_check_file(geotag_loader *l, xmlRelaxNGPtr schema,
                             geotag_xml_errors *errors, const char *bytes,
                             apr_size_t len, int first_file)
{
    xmlDocPtr doc;
    xmlRelaxNGValidCtxtPtr valid;
    int rc;

    /* Not xmlReadMemory(): the SAX handler must be reached first. */
    l->parser = xmlCreateMemoryParserCtxt(bytes, (int)len);
    if (l->parser == NULL) {
        l->error = apr_psprintf(l->pool, "%s: out of memory", l->file);
        return 0;
    }
    xmlCtxtUseOptions(l->parser, GEOTAG_PARSE_OPTIONS);
    l->parser->sax->startElementNs = geotag_start_element;
    errors->file = l->file;
    xmlParseDocument(l->parser);
    doc = l->parser->myDoc;
    if (doc != NULL)
        doc->_private = &geotag_lines_recorded;
    /* Namespace errors leave wellFormed set; they still fail the file. */
    if (doc == NULL || !l->parser->wellFormed || errors->message != NULL) {
        l->error = geotag_xml_failure(l, errors,
                                      l->parser->input != NULL
                                          ? l->parser->input->line : 1,
                                      "not well-formed XML");
        return 0;
    }
    if (doc->intSubset != NULL || doc->extSubset != NULL) {
        l->error = apr_psprintf(l->pool, "%s:%d: a DOCTYPE is not allowed "
                                "(a gazetteer declares no entities)", l->file,
                                geotag_doctype_line(bytes, len));
        return 0;
    }

    valid = xmlRelaxNGNewValidCtxt(schema);
    if (valid == NULL) {
        l->error = apr_psprintf(l->pool, "%s: out of memory", l->file);
        return 0;
    }
    xmlRelaxNGSetValidStructuredErrors(valid, geotag_xml_error, errors);
    rc = xmlRelaxNGValidateDoc(valid, doc);
    xmlRelaxNGFreeValidCtxt(valid);
    if (rc != 0) {
        /* Without a better clue, the element where validation began. */
        l->error = geotag_xml_failure(
            l, errors, geotag_node_line(xmlDocGetRootElement(doc)),
            "does not match the schema");
        return 0;
    }
    return geotag_load_tree(l, doc, first_file);
}

static int geotag_load_file(geotag_loader *l, xmlRelaxNGPtr schema,
                            geotag_xml_errors *errors, apr_sha1_ctx_t *sha1,
                            int first_file)
{
    const char *bytes;
    apr_size_t len;
    int ok;

    if (!geotag_read_file(l, &bytes, &len))
        return 0;
    apr_sha1_update_binary(sha1, (const unsigned char *)bytes,
                           (unsigned int)len);
    if (len == 0) {
        l->error = apr_psprintf(l->pool, "%s:1: the file is empty", l->file);
        return 0;
    }
    ok = geotag_check_file(l, schema, errors, bytes, len, first_file);
    if (l->parser != NULL) {
        if (l->parser->myDoc != NULL)
            xmlFreeDoc(l->parser->myDoc);
        l->parser->myDoc = NULL;
        xmlFreeParserCtxt(l->parser);
        l->parser = NULL;
    }
    return ok;
}

/* ---- the API ----------------------------------------------------------- */

geotag_gazetteer *geotag_gazetteer_load(apr_pool_t *pool, const char *schema,
                                        const char *const *files, int n_files,
                                        const char **error)
{
    xmlStructuredErrorFunc saved_structured = xmlStructuredError;
    void *saved_structured_data = xmlStructuredErrorContext;
    xmlGenericErrorFunc saved_generic = xmlGenericError;
    void *saved_generic_data = xmlGenericErrorContext;
    geotag_xml_errors errors;
    xmlRelaxNGParserCtxtPtr schema_parser;
    xmlRelaxNGPtr rng = NULL;
    apr_sha1_ctx_t sha1;
    geotag_loader l;
    geotag_gazetteer *g;
    int i;

    if (error != NULL)
        *error = NULL;
    if (files == NULL || n_files <= 0) {
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
    g = apr_pcalloc(pool, sizeof(*g));
    g->entities = apr_array_make(pool, 64, sizeof(geotag_entity));
    g->aliases = apr_array_make(pool, 256, sizeof(geotag_alias));
    g->units = apr_array_make(pool, 16, sizeof(geotag_unit));
    g->determiners = apr_array_make(pool, 16, sizeof(geotag_alias));
    g->fold_accents = 1;
    g->by_id = apr_hash_make(pool);
    l.g = g;
    l.seen_forms = apr_hash_make(l.scratch);
    l.parties = apr_array_make(l.scratch, 16, sizeof(geotag_pending_party));

    memset(&errors, 0, sizeof(errors));
    errors.pool = pool;
    errors.file = schema;
    xmlSetStructuredErrorFunc(&errors, geotag_xml_error);
    xmlSetGenericErrorFunc(NULL, geotag_xml_silent);

    schema_parser = xmlRelaxNGNewParserCtxt(schema);
    if (schema_parser != NULL) {
        xmlRelaxNGSetParserStructuredErrors(schema_parser, geotag_xml_error,
                                            &errors);
        rng = xmlRelaxNGParse(schema_parser);
        xmlRelaxNGFreeParserCtxt(schema_parser);
    }
    if (rng == NULL) {
        l.error = errors.message != NULL
                      ? errors.message
                      : apr_psprintf(pool, "%s: cannot load the RelaxNG schema",
                                     schema);
        goto done;
    }

    apr_sha1_init(&sha1);
    for (i = 0; i < n_files; i++) {
        l.file = apr_pstrdup(pool, files[i]);
        if (!geotag_load_file(&l, rng, &errors, &sha1, i == 0))
            goto done;
    }
    if (!geotag_resolve_parties(&l))
        goto done;
    apr_sha1_final(g->digest, &sha1);

    g->files = "";
    for (i = 0; i < n_files; i++)
        g->files = i == 0 ? apr_pstrdup(pool, files[i])
                          : apr_pstrcat(pool, g->files, ", ", files[i], NULL);

done:
    if (rng != NULL)
        xmlRelaxNGFree(rng);
    xmlSetStructuredErrorFunc(saved_structured_data, saved_structured);
    xmlSetGenericErrorFunc(saved_generic_data, saved_generic);
    apr_pool_destroy(l.scratch);
    if (l.error != NULL) {
        if (error != NULL)
            *error = l.error;
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
