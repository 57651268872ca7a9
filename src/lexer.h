/*
 * lexer.h: a streaming, byte-preserving HTML tokenizer.
 *
 * The lexer follows the WHATWG tokenizer states that matter for finding
 * text (data, tag open / tag name, attributes with every quoting style,
 * comments, bogus comments, doctype, CDATA in foreign content, raw-text and
 * RCDATA elements, <plaintext>).  It never copies or rewrites the page: it
 * reports *events* carrying absolute byte offsets into the input stream, and
 * the caller decides what to insert where.
 *
 * Input arrives in chunks of any size (one byte at a time is legal); every
 * piece of state needed to resume lives in the lexer, so the events are the
 * same whatever the chunking, except that a text run may be reported in
 * several consecutive pieces (one per chunk it spans).
 *
 * Memory is bounded: a tag's name is kept up to GEOTAG_TAG_NAME_MAX bytes and
 * its attributes up to GEOTAG_TAG_ATTR_MAX attributes and GEOTAG_TAG_ATTR_BYTES
 * bytes in all; what does not fit is dropped (and flagged), never allocated.
 * The few attribute names a caller reads are registered with
 * geotag_lexer_keep(): those are kept whatever precedes them in the tag (a
 * 5 KB hydration attribute, thirty others), each with a budget of its own.
 *
 * It must never: allocate per token, decode character references (the
 * normalizer does), or look at anything but bytes (it is charset-agnostic for
 * every ASCII-compatible encoding).
 */
#ifndef GEOTAG_LEXER_H
#define GEOTAG_LEXER_H

#include <string.h>

#include <apr_pools.h>

#define GEOTAG_TAG_NAME_MAX 32     /* tag names are kept lower-cased, truncated */
#define GEOTAG_TAG_ATTR_MAX 24     /* attributes kept per tag */
#define GEOTAG_TAG_ATTR_BYTES 4096 /* bytes of attribute names + values kept per tag */
#define GEOTAG_TAG_KEEP_MAX 16     /* names geotag_lexer_keep() takes */

/* The elements the annotator treats specially; everything else is OTHER. */
typedef enum {
    GEOTAG_EL_OTHER = 0,
    GEOTAG_EL_HTML, GEOTAG_EL_HEAD, GEOTAG_EL_BODY, GEOTAG_EL_TITLE,
    GEOTAG_EL_META, GEOTAG_EL_LINK, GEOTAG_EL_BASE,
    GEOTAG_EL_SCRIPT, GEOTAG_EL_STYLE, GEOTAG_EL_TEMPLATE, GEOTAG_EL_TEXTAREA,
    GEOTAG_EL_XMP, GEOTAG_EL_IFRAME, GEOTAG_EL_NOEMBED, GEOTAG_EL_NOFRAMES,
    GEOTAG_EL_NOSCRIPT, GEOTAG_EL_PLAINTEXT,
    GEOTAG_EL_SVG, GEOTAG_EL_MATH,
    GEOTAG_EL_CODE, GEOTAG_EL_PRE, GEOTAG_EL_KBD, GEOTAG_EL_SAMP,
    GEOTAG_EL_A, GEOTAG_EL_BUTTON, GEOTAG_EL_SELECT, GEOTAG_EL_OPTION,
    GEOTAG_EL_LABEL, GEOTAG_EL_TIME, GEOTAG_EL_DATA,
    GEOTAG_EL_ARTICLE, GEOTAG_EL_MAIN, GEOTAG_EL_NAV, GEOTAG_EL_ASIDE,
    GEOTAG_EL_FORM, GEOTAG_EL_HEADER, GEOTAG_EL_FOOTER,
    GEOTAG_EL_H1, GEOTAG_EL_H2, GEOTAG_EL_H3, GEOTAG_EL_H4, GEOTAG_EL_H5,
    GEOTAG_EL_H6,
    GEOTAG_EL_P, GEOTAG_EL_DIV, GEOTAG_EL_SECTION, GEOTAG_EL_LI,
    GEOTAG_EL_TD, GEOTAG_EL_TH, GEOTAG_EL_BLOCKQUOTE, GEOTAG_EL_FIGCAPTION,
    GEOTAG_EL_BR, GEOTAG_EL_SPAN,
    GEOTAG_EL_COUNT
} geotag_element;

typedef struct {
    const char *name;  /* lower-cased, NUL-terminated, not decoded */
    apr_size_t name_len;
    const char *value; /* raw bytes as written (char refs undecoded), NUL-terminated */
    apr_size_t value_len;
    int truncated;     /* value was cut at its byte budget */
} geotag_attr;

typedef struct {
    apr_off_t start;        /* offset of '<' */
    apr_off_t end;          /* offset one past '>' */
    geotag_element element;
    char name[GEOTAG_TAG_NAME_MAX + 1]; /* lower-cased, truncated */
    int is_end;             /* </name> */
    int self_closing;       /* <name ... /> */
    int n_attrs;
    geotag_attr attrs[GEOTAG_TAG_ATTR_MAX + GEOTAG_TAG_KEEP_MAX];
    int attrs_truncated;    /* some attributes were dropped or cut */
} geotag_tag;

/* What kind of character data a text event carries. */
typedef enum {
    GEOTAG_TEXT_DATA = 0, /* ordinary text: char refs allowed, may be tagged */
    GEOTAG_TEXT_RCDATA,   /* <title>, <textarea>: char refs allowed, never tagged */
    GEOTAG_TEXT_RAWTEXT,  /* <script>, <style>, <xmp>, <iframe>, <noembed>,
                             <noframes>, <noscript>: bytes only, never tagged */
    GEOTAG_TEXT_PLAINTEXT /* after <plaintext>: never tagged */
} geotag_text_kind;

typedef struct geotag_lexer_handler {
    /* A complete start or end tag.  'tag' is valid only during the call. */
    void (*tag)(void *baton, const geotag_tag *tag);
    /*
     * A piece of character data at absolute offset 'offset'.  Consecutive
     * calls with adjacent offsets and the same kind belong to the same text
     * run; a run ends when the next tag/comment/doctype starts, which the
     * caller sees as the next tag() call or run_end().
     * 'container' is the raw-text / RCDATA element for non-DATA kinds.
     */
    void (*text)(void *baton, apr_off_t offset, const char *data,
                 apr_size_t len, geotag_text_kind kind,
                 geotag_element container);
    /* The current text run (if any) ended at 'offset': a token starts there. */
    void (*run_end)(void *baton, apr_off_t offset);
} geotag_lexer_handler;

typedef struct geotag_lexer geotag_lexer;

geotag_lexer *geotag_lexer_create(apr_pool_t *pool,
                                  const geotag_lexer_handler *handler,
                                  void *baton);

/*
 * Keeps the attribute 'name' (lower case) of every tag whatever comes before
 * it: outside the shared budget of GEOTAG_TAG_ATTR_MAX attributes and
 * GEOTAG_TAG_ATTR_BYTES bytes, with GEOTAG_TAG_ATTR_BYTES bytes of its own
 * for name and value (a longer value is cut and flagged, as ever).  Costs
 * that much memory once, from the lexer's pool.  Call before the first
 * geotag_lexer_feed().  Returns 0 when the name cannot be kept (more than
 * GEOTAG_TAG_KEEP_MAX names, or longer than GEOTAG_TAG_NAME_MAX): it then
 * shares the budget like any other attribute.
 */
int geotag_lexer_keep(geotag_lexer *lexer, const char *name);

/* Feed the next chunk; events for everything that is complete are emitted. */
void geotag_lexer_feed(geotag_lexer *lexer, const char *data, apr_size_t len);

/* The consumer gives up on the page (called from an event handler): no
 * further event is emitted, in this chunk or any later one, and feed() and
 * finish() return at once from now on. */
void geotag_lexer_stop(geotag_lexer *lexer);

/* End of input: an unfinished text run is closed; an unfinished tag is
 * dropped (it was never complete, so nothing may be inserted inside it). */
void geotag_lexer_finish(geotag_lexer *lexer);

/* Absolute offset of the first byte not yet consumed (= bytes fed so far). */
apr_off_t geotag_lexer_offset(const geotag_lexer *lexer);

/* Start offset of a token still in progress (a tag, comment, doctype, or
 * a '<' that may begin one), or geotag_lexer_offset() when there is none.
 * No event will be emitted for a position before this offset except text
 * already reported. */
apr_off_t geotag_lexer_pending_start(const geotag_lexer *lexer);

/* Whether markup inserted at geotag_lexer_offset() would be read as markup:
 * the lexer is in the data state, not in raw text, RCDATA, plaintext, a
 * comment, a tag or any other token (a '<' at the very end still counts as
 * data: "<" + "<script" is the text "<" and a tag).  Valid after
 * geotag_lexer_finish() too. */
int geotag_lexer_in_data(const geotag_lexer *lexer);

/* Look up an attribute of a tag by lower-case name; NULL if absent. */
const geotag_attr *geotag_tag_attr_n(const geotag_tag *tag, const char *name,
                                     apr_size_t len);

/* The same for a NUL-terminated name (a literal's length is folded). */
static inline const geotag_attr *geotag_tag_attr(const geotag_tag *tag,
                                                 const char *name)
{
    return geotag_tag_attr_n(tag, name, strlen(name));
}

/* The element enum for a lower-case tag name (GEOTAG_EL_OTHER if none). */
geotag_element geotag_element_lookup(const char *name, apr_size_t len);

#endif
