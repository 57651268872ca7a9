/*
 * xmlfile.h: one configuration XML file, read, parsed and validated.
 *
 * The dictionary files and the language packs (gazetteer.h, langpack.h)
 * go through the same gates, and the first failure anywhere is one
 * "file:line: reason" message:
 *
 *   1. the bytes are read once with APR; they feed the caller's SHA-1
 *      digest and libxml2 parses exactly those bytes from memory, so the
 *      digest always describes what was loaded;
 *   2. well-formedness: no network, no entity expansion, and no DOCTYPE at
 *      all;
 *   3. the RelaxNG schema, so that the tree walk of the caller does not
 *      re-check element names, attribute shapes and non-empty text.
 *
 * libxml2 reports errors through a global handler that prints to stderr by
 * default; inside httpd that would bypass the error log, so between
 * geotag_xml_open and geotag_xml_close the handlers are replaced by one
 * that keeps the first error, and the previous ones are put back after.
 *
 * Element lines are exact past 65535 (libxml2 keeps them in an unsigned
 * short): geotag_xml_line.
 */
#ifndef GEOTAG_XMLFILE_H
#define GEOTAG_XMLFILE_H

#include <apr_pools.h>
#include <apr_sha1.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

typedef struct geotag_xml_errors geotag_xml_errors;

typedef struct {
    apr_pool_t *pool;    /* messages and copied strings */
    apr_pool_t *scratch; /* file bytes; dies with the load */
    const char *file;    /* the file being read or walked */
    const char *error;   /* the first failure, "file:line: reason" */
    /* private */
    geotag_xml_errors *errors;
    xmlRelaxNGPtr schema;
    xmlParserCtxtPtr parser; /* of the file last read */
    xmlStructuredErrorFunc saved_structured;
    void *saved_structured_data;
    xmlGenericErrorFunc saved_generic;
    void *saved_generic_data;
    int handlers_set;
} geotag_xml_reader;

/* Sets up 'r' and loads the RelaxNG schema: the file 'schema', or the one
 * built in (builtin.h) when 'schema' is NULL; 0 and r->error on failure
 * (geotag_xml_close must still be called). */
int geotag_xml_open(geotag_xml_reader *r, apr_pool_t *pool, apr_pool_t *scratch,
                    const char *schema);

/* Reads, parses and validates 'file' (its bytes also go into 'sha1' when
 * not NULL); the document lives until geotag_xml_release.  NULL and
 * r->error on failure. */
xmlDocPtr geotag_xml_read(geotag_xml_reader *r, const char *file,
                          apr_sha1_ctx_t *sha1);

/* Frees the document of the last geotag_xml_read. */
void geotag_xml_release(geotag_xml_reader *r);

/* Frees the schema and puts libxml2's handlers back. */
void geotag_xml_close(geotag_xml_reader *r);

/* Records "file:line: reason" unless an error is already there; returns 0
 * so that callers can write `return geotag_xml_fail(...)`. */
int geotag_xml_fail(geotag_xml_reader *r, long line, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* The element's line, exact past 65535; 0 when unknown. */
int geotag_xml_line(xmlNodePtr node);

int geotag_xml_is(xmlNodePtr node, const char *name);

/* An attribute copied into pool, or NULL. */
const char *geotag_xml_attr(apr_pool_t *pool, xmlNodePtr node,
                            const char *name);

/* The element's text with white space runs made one space, ends trimmed. */
const char *geotag_xml_text(apr_pool_t *pool, xmlNodePtr node);

/* The same for any string. */
const char *geotag_xml_collapse(apr_pool_t *pool, const char *s);

/* XML's white space (the S production: space, tab, CR, LF). */
static inline int geotag_xml_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

#endif
