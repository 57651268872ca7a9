/*
 * xmlfile.c: one configuration XML file through its gates (see xmlfile.h).
 *
 * Here's the concept: read the bytes once, parse those bytes with the
 * start-element callback wrapped (for exact lines), refuse a DOCTYPE,
 * validate with RelaxNG, and keep only the first libxml2 error, formatted
 * as "file:line: reason".  The tree walk is the caller's.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include <apr_file_io.h>
#include <apr_strings.h>

#include <libxml/globals.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/relaxng.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "builtin.h"
#include "xmlfile.h"

/* libxml2 2.12 made the structured error argument const. */
#if LIBXML_VERSION >= 21200
typedef const xmlError *geotag_xml_error_ptr;
#else
typedef xmlErrorPtr geotag_xml_error_ptr;
#endif

#define GEOTAG_PARSE_OPTIONS \
    (XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOBLANKS)

/* The first libxml2 error of the load, already formatted. */
struct geotag_xml_errors {
    apr_pool_t *pool;
    const char *file;    /* named when libxml2's error carries no file */
    const char *message; /* "file:line: reason", or NULL */
    const char *reason;  /* the message without "file:line: " */
    int has_line;        /* message names a line; else a later error may */
};

/*
 * Element lines.  libxml2 keeps an element's line in an unsigned short:
 * XML_PARSE_BIG_LINES only rescues text nodes, xmlGetLineNo() guesses from
 * the children past 65535, and the parser's node info (record_info) has no
 * usable begin_line in 2.9.  So the start-element callback is wrapped to
 * store the parser's line, uncapped, in the node's _private field, which
 * libxml2 leaves to the application.  It is the line libxml2 itself would
 * give (where the start tag ends).
 */
static void start_element(void *data, const xmlChar *localname,
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

static long line_of(xmlNodePtr node)
{
    if (node->type == XML_ELEMENT_NODE && node->_private != NULL &&
        node->doc != NULL && node->doc->_private == &geotag_lines_recorded)
        return (long)(intptr_t)node->_private;
    return xmlGetLineNo(node);
}

/* ---- libxml2 errors ---------------------------------------------------- */

static void xml_error(void *data, geotag_xml_error_ptr err)
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
    while (len > 0 && geotag_xml_space((unsigned char)message[len - 1]))
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
        node_line = line_of(node);
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
static const char *xml_failure(geotag_xml_reader *r, long line,
                                      const char *fallback)
{
    const geotag_xml_errors *errors = r->errors;

    if (line <= 0)
        line = 1;
    if (errors->message == NULL)
        return apr_psprintf(r->pool, "%s:%ld: %s", r->file, line, fallback);
    if (errors->has_line)
        return errors->message;
    return apr_psprintf(r->pool, "%s:%ld: %s", r->file, line, errors->reason);
}

/* For the few libxml2 paths that still call the generic handler directly. */
static void xml_silent(void *data, const char *format, ...)
{
}

/* ---- small helpers ----------------------------------------------------- */

int geotag_xml_fail(geotag_xml_reader *r, long line, const char *format, ...)
{
    va_list ap;
    const char *reason;

    va_start(ap, format);
    reason = apr_pvsprintf(r->pool, format, ap);
    va_end(ap);
    if (r->error == NULL)
        r->error = apr_psprintf(r->pool, "%s:%ld: %s", r->file, line, reason);
    return 0;
}

int geotag_xml_is(xmlNodePtr node, const char *name)
{
    return node->type == XML_ELEMENT_NODE &&
           xmlStrEqual(node->name, (const xmlChar *)name);
}

/* Copies 's' with white space runs made one space and the ends trimmed:
 * the schema validates element text as a token, and labels are shown. */
const char *geotag_xml_collapse(apr_pool_t *pool, const char *s)
{
    char *out = apr_palloc(pool, strlen(s) + 1);
    char *o = out;

    while (geotag_xml_space((unsigned char)*s))
        s++;
    while (*s != '\0') {
        if (geotag_xml_space((unsigned char)*s)) {
            while (geotag_xml_space((unsigned char)*s))
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

const char *geotag_xml_attr(apr_pool_t *pool, xmlNodePtr node,
                            const char *name)
{
    xmlChar *value = xmlGetNoNsProp(node, (const xmlChar *)name);
    const char *copy;

    if (value == NULL)
        return NULL;
    copy = apr_pstrdup(pool, (const char *)value);
    xmlFree(value);
    return copy;
}

const char *geotag_xml_text(apr_pool_t *pool, xmlNodePtr node)
{
    xmlChar *value = xmlNodeGetContent(node);
    const char *copy;

    if (value == NULL)
        return "";
    copy = geotag_xml_collapse(pool, (const char *)value);
    xmlFree(value);
    return copy;
}

int geotag_xml_line(xmlNodePtr node)
{
    long line = line_of(node);

    return line > 0 && line <= INT_MAX ? (int)line : 0;
}

/* ---- one file ---------------------------------------------------------- */

/* Reads the whole file into scratch memory. */
static int read_file(geotag_xml_reader *r, const char **bytes,
                            apr_size_t *len)
{
    apr_file_t *file;
    apr_finfo_t info;
    apr_status_t rv;
    apr_size_t capacity = 8192, used = 0;
    char *buffer;
    char reason[256];

    rv = apr_file_open(&file, r->file, APR_FOPEN_READ | APR_FOPEN_BINARY,
                       APR_OS_DEFAULT, r->scratch);
    if (rv != APR_SUCCESS)
        goto failed;
    /* The size is only a hint: the file may not be a regular one. */
    if (apr_file_info_get(&info, APR_FINFO_SIZE, file) == APR_SUCCESS &&
        info.filetype == APR_REG && info.size >= 0 &&
        (apr_uint64_t)info.size < INT_MAX)
        capacity = (apr_size_t)info.size + 1;
    buffer = apr_palloc(r->scratch, capacity);
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
                r->error = apr_psprintf(r->pool, "%s: the file is too large",
                                        r->file);
                return 0;
            }
            bigger = apr_palloc(r->scratch, capacity * 2);
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
    r->error = apr_psprintf(r->pool, "%s: cannot read: %s", r->file,
                            apr_strerror(rv, reason, sizeof(reason)));
    return 0;
}

/* The line of the DOCTYPE, for the message that refuses it. */
static int doctype_line(const char *bytes, apr_size_t len)
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
static xmlDocPtr check_file(geotag_xml_reader *r, const char *bytes,
                                   apr_size_t len)
{
    geotag_xml_errors *errors = r->errors;
    xmlDocPtr doc;
    xmlRelaxNGValidCtxtPtr valid;
    int rc;

    /* Not xmlReadMemory(): the SAX handler must be reached first. */
    r->parser = xmlCreateMemoryParserCtxt(bytes, (int)len);
    if (r->parser == NULL) {
        r->error = apr_psprintf(r->pool, "%s: out of memory", r->file);
        return NULL;
    }
    xmlCtxtUseOptions(r->parser, GEOTAG_PARSE_OPTIONS);
    r->parser->sax->startElementNs = start_element;
    errors->file = r->file;
    xmlParseDocument(r->parser);
    doc = r->parser->myDoc;
    if (doc != NULL)
        doc->_private = &geotag_lines_recorded;
    /* Namespace errors leave wellFormed set; they still fail the file. */
    if (doc == NULL || !r->parser->wellFormed || errors->message != NULL) {
        r->error = xml_failure(
            r, r->parser->input != NULL ? r->parser->input->line : 1,
            "not well-formed XML");
        return NULL;
    }
    if (doc->intSubset != NULL || doc->extSubset != NULL) {
        r->error = apr_psprintf(r->pool, "%s:%d: a DOCTYPE is not allowed "
                                "(a gazetteer declares no entities)", r->file,
                                doctype_line(bytes, len));
        return NULL;
    }

    valid = xmlRelaxNGNewValidCtxt(r->schema);
    if (valid == NULL) {
        r->error = apr_psprintf(r->pool, "%s: out of memory", r->file);
        return NULL;
    }
    xmlRelaxNGSetValidStructuredErrors(valid, xml_error, errors);
    rc = xmlRelaxNGValidateDoc(valid, doc);
    xmlRelaxNGFreeValidCtxt(valid);
    if (rc != 0) {
        /* Without a better clue, the element where validation began. */
        r->error = xml_failure(
            r, line_of(xmlDocGetRootElement(doc)),
            "does not match the schema");
        return NULL;
    }
    return doc;
}

xmlDocPtr geotag_xml_read(geotag_xml_reader *r, const char *file,
                          apr_sha1_ctx_t *sha1)
{
    const char *bytes;
    apr_size_t len;

    r->file = file;
    if (!read_file(r, &bytes, &len))
        return NULL;
    if (sha1 != NULL)
        apr_sha1_update_binary(sha1, (const unsigned char *)bytes,
                               (unsigned int)len);
    if (len == 0) {
        r->error = apr_psprintf(r->pool, "%s:1: the file is empty", r->file);
        return NULL;
    }
    return check_file(r, bytes, len);
}

void geotag_xml_release(geotag_xml_reader *r)
{
    if (r->parser != NULL) {
        if (r->parser->myDoc != NULL)
            xmlFreeDoc(r->parser->myDoc);
        r->parser->myDoc = NULL;
        xmlFreeParserCtxt(r->parser);
        r->parser = NULL;
    }
}

int geotag_xml_open(geotag_xml_reader *r, apr_pool_t *pool,
                    apr_pool_t *scratch, const char *schema)
{
    xmlRelaxNGParserCtxtPtr schema_parser;

    memset(r, 0, sizeof(*r));
    r->pool = pool;
    r->scratch = scratch;
    r->errors = apr_pcalloc(pool, sizeof(*r->errors));
    r->errors->pool = pool;
    r->errors->file = schema != NULL ? schema : GEOTAG_BUILTIN_SCHEMA_NAME;
    r->saved_structured = xmlStructuredError;
    r->saved_structured_data = xmlStructuredErrorContext;
    r->saved_generic = xmlGenericError;
    r->saved_generic_data = xmlGenericErrorContext;
    r->handlers_set = 1;
    xmlSetStructuredErrorFunc(r->errors, xml_error);
    xmlSetGenericErrorFunc(NULL, xml_silent);

    schema_parser =
        schema != NULL
            ? xmlRelaxNGNewParserCtxt(schema)
            : xmlRelaxNGNewMemParserCtxt((const char *)geotag_builtin_schema,
                                         (int)geotag_builtin_schema_len);
    if (schema_parser != NULL) {
        xmlRelaxNGSetParserStructuredErrors(schema_parser, xml_error,
                                            r->errors);
        r->schema = xmlRelaxNGParse(schema_parser);
        xmlRelaxNGFreeParserCtxt(schema_parser);
    }
    if (r->schema == NULL) {
        r->error = r->errors->message != NULL
                       ? r->errors->message
                       : apr_psprintf(pool, "%s: cannot load the RelaxNG "
                                      "schema", r->errors->file);
        return 0;
    }
    return 1;
}

void geotag_xml_close(geotag_xml_reader *r)
{
    geotag_xml_release(r);
    if (r->schema != NULL)
        xmlRelaxNGFree(r->schema);
    r->schema = NULL;
    if (r->handlers_set) {
        xmlSetStructuredErrorFunc(r->saved_structured_data,
                                  r->saved_structured);
        xmlSetGenericErrorFunc(r->saved_generic_data, r->saved_generic);
        r->handlers_set = 0;
    }
}
