/*
 * lexer.c: the streaming, byte-preserving HTML tokenizer (see lexer.h).
 *
 * Here's the concept.  The lexer is a WHATWG tokenizer cut down to what is
 * needed to tell text from markup, written so that it can stop after any
 * byte and resume with the next chunk.  It never copies the page: text is
 * reported as pointers into the chunk being fed, with absolute offsets.
 *
 * Text and candidates.  In the text states (data, RCDATA, RAWTEXT, script
 * data, plaintext) every byte is character data, except a '<' that may
 * begin a token.  Such a '<' opens a *candidate*: "<" in data (a tag,
 * comment, doctype ... if a letter, '/', '!' or '?' follows), "</title" in
 * RCDATA, "</script" in script data.  While a candidate is open, its bytes
 * are neither text nor markup yet:
 *   - if it fails (`a < b`, `</scr` + 'x'), its bytes were text after all:
 *     they stay part of the text run (or, when the candidate began in an
 *     earlier chunk, are reported from the small copy kept in cand[]);
 *   - if it is confirmed, the text run ends at its '<' (run_end) and the
 *     token begins there (token_start).
 * Within one chunk, the text up to the next confirmed token is therefore
 * reported in a single text() call; at the end of a chunk everything up
 * to an open candidate is reported, so the caller may act on it.  Only
 * the candidate itself (at most "</noframes": 10 bytes) is carried over.
 * geotag_lexer_pending_start() is the candidate's '<' or the token's '<'.
 *
 * Tokens.  A tag is built in lexer->tag: its name (truncated to
 * GEOTAG_TAG_NAME_MAX) and its attributes in one fixed buffer
 * (GEOTAG_TAG_ATTR_BYTES of names and values, plus room for their NUL
 * terminators).
 *
 * Kept attributes.  The names registered with geotag_lexer_keep() are the
 * ones the caller reads (opt-outs, lang, charset ...); they must be found
 * after a 5 KB attribute or thirty small ones, yet memory stays fixed.  So
 * a kept attribute never uses the shared buffer: each kept name has a
 * buffer of its own, and WHATWG keeps only the first of a name in a tag,
 * so one buffer per name is enough.  A name is known to be kept only once
 * it is complete: it is written into the shared buffer as any other and
 * moved out at its end; past the shared budget it is collected in spill[]
 * (a name longer than GEOTAG_TAG_NAME_MAX is never a kept one) and dropped
 * at its end unless it is kept.  Without kept names the lexer behaves as it
 * always did.  Comments, doctypes, bogus comments and CDATA sections need
 * no buffer at all: only the state that says how far the terminator has
 * been matched ("--", "--!", "]]").  Nothing is allocated after
 * geotag_lexer_create().
 *
 * Speed: each state consumes as many bytes as it can before returning to
 * the dispatch (memchr for '<' in text, for '-' in comments, for the quote
 * in attribute values; a table lookup per byte in names).
 *
 * Simplifications against WHATWG, all on the safe side for an annotator
 * that only ever inserts into DATA text:
 *   - Foreign content is a depth counter of <svg>/<math> start tags minus
 *     their end tags, not the tree builder's stack: it decides only
 *     whether <![CDATA[ opens a CDATA section (integration points such as
 *     <foreignObject> are not recognized).
 *   - Inside foreign content, <script> and <style> still switch to raw
 *     text (a browser tokenizes them as ordinary data there); the other
 *     raw-text, RCDATA and plaintext elements do not switch, as in a
 *     browser (an <svg><title> is ordinary data).
 *   - <noscript> is raw text, as in a browser with scripting enabled.
 *   - A self-closing start tag such as <script/> switches state as a
 *     browser does in HTML content (the slash is ignored there).
 *   - The input stream is not preprocessed: CR counts as white space in
 *     tags (as it would after newline normalization), NUL is kept as is.
 *   - End tags keep whatever attributes they carry (a browser drops them).
 */
#include <string.h>

#include "lexer.h"

typedef enum {
    /* Text states: bytes are text unless a candidate turns into a token. */
    LEXER_DATA = 0,
    LEXER_TAG_OPEN,        /* candidate "<" in data */
    LEXER_END_TAG_OPEN,    /* candidate "</" in data */
    LEXER_RAW,             /* RCDATA or RAWTEXT (text_kind says which) */
    LEXER_RAW_LT,          /* candidate "<" in RCDATA / RAWTEXT */
    LEXER_END_NAME,        /* candidate "</" + part of raw_name */
    LEXER_PLAINTEXT,
    LEXER_SCRIPT,          /* script data */
    LEXER_SCRIPT_LT,       /* candidate "<" in script data */
    LEXER_SCRIPT_ESCAPE_START,
    LEXER_SCRIPT_ESCAPE_START_DASH,
    LEXER_SCRIPT_ESCAPED,  /* after "<!--" inside a script */
    LEXER_SCRIPT_ESCAPED_DASH,
    LEXER_SCRIPT_ESCAPED_DASH_DASH,
    LEXER_SCRIPT_ESCAPED_LT, /* candidate "<" in escaped script data */
    LEXER_SCRIPT_DOUBLE_ESCAPE_START,
    LEXER_SCRIPT_DOUBLE_ESCAPED, /* after "<!--<script" */
    LEXER_SCRIPT_DOUBLE_ESCAPED_DASH,
    LEXER_SCRIPT_DOUBLE_ESCAPED_DASH_DASH,
    LEXER_SCRIPT_DOUBLE_ESCAPED_LT,
    LEXER_SCRIPT_DOUBLE_ESCAPE_END,
    LEXER_TEXT_STATES,     /* marker: the states above are text states */

    /* Token states: the bytes belong to the token begun at token_start. */
    LEXER_TAG_NAME,
    LEXER_BEFORE_ATTR_NAME,
    LEXER_ATTR_NAME,
    LEXER_AFTER_ATTR_NAME,
    LEXER_BEFORE_ATTR_VALUE,
    LEXER_ATTR_VALUE_DOUBLE,
    LEXER_ATTR_VALUE_SINGLE,
    LEXER_ATTR_VALUE_UNQUOTED,
    LEXER_AFTER_ATTR_VALUE,
    LEXER_SELF_CLOSING,
    LEXER_MARKUP_DECLARATION, /* after "<!": "--", "doctype" or "[CDATA[" */
    LEXER_COMMENT_START,
    LEXER_COMMENT_START_DASH,
    LEXER_COMMENT,
    LEXER_COMMENT_END_DASH,
    LEXER_COMMENT_END,
    LEXER_COMMENT_END_BANG,
    LEXER_BOGUS_COMMENT,
    LEXER_DOCTYPE,
    LEXER_CDATA,
    LEXER_CDATA_BRACKET,
    LEXER_CDATA_END
} lexer_state;

/* What a markup declaration ("<!") is being matched against. */
typedef enum {
    LEXER_DECL_NONE = 0,
    LEXER_DECL_COMMENT,
    LEXER_DECL_DOCTYPE,
    LEXER_DECL_CDATA
} lexer_declaration;

/* Longest candidate kept across chunks: "</" + the longest raw-text or
 * RCDATA element name (noframes, noscript, textarea: 8). */
#define LEXER_CANDIDATE_MAX 16

/* Foreign content deeper than this is not counted further; it only has to
 * stay positive, and the counter must not overflow on hostile input. */
#define LEXER_FOREIGN_DEPTH_MAX 1000000

struct geotag_lexer {
    geotag_lexer_handler handler; /* a copy, NULL callbacks replaced */
    void *baton;
    lexer_state state;
    int finished;
    apr_off_t offset;      /* bytes fed before the current chunk */
    apr_off_t token_start; /* '<' of the token in progress, -1 if none */

    /* Valid only during geotag_lexer_feed: the chunk, the first byte of
     * text in it not yet reported (NULL outside text states), and where a
     * candidate begun in this chunk starts. */
    const char *chunk;
    const char *mark;
    const char *cand_here;

    /* The current text mode and whether a run is open. */
    geotag_text_kind text_kind;
    geotag_element text_container;
    int run_open;

    /* The open candidate, its bytes copied so it survives the chunk. */
    int cand_active;
    apr_off_t cand_start;
    apr_size_t cand_len;
    char cand[LEXER_CANDIDATE_MAX];

    /* The element whose end tag closes the raw text, and the text state to
     * resume when a candidate turns out not to be that end tag. */
    char raw_name[GEOTAG_TAG_NAME_MAX + 1];
    apr_size_t raw_name_len;
    lexer_state end_fallback;

    /* "script" being matched in the double-escape start / end states. */
    apr_size_t script_matched;
    int script_ok;

    lexer_declaration declaration;
    apr_size_t declaration_matched;
    int foreign_depth;

    /* The tag being built. */
    geotag_tag tag;
    apr_size_t name_len;   /* may exceed GEOTAG_TAG_NAME_MAX (truncated) */
    geotag_attr *attr;     /* attribute being filled, NULL if dropped */
    apr_size_t attr_name_len;
    apr_size_t attr_used;  /* bytes of attr_buf in use, NULs included */
    apr_size_t attr_bytes; /* name and value bytes, counted against the cap */
    char attr_buf[GEOTAG_TAG_ATTR_BYTES + 2 * GEOTAG_TAG_ATTR_MAX];
    int n_shared;          /* attributes in attr_buf, against the cap */

    /* Kept names (see above) and a buffer each: name, NUL, value, NUL. */
    apr_pool_t *pool;
    int n_keep;
    apr_uint64_t keep_lengths; /* bit n set: some kept name has n bytes */
    apr_size_t keep_len[GEOTAG_TAG_KEEP_MAX];
    char *keep_buf[GEOTAG_TAG_KEEP_MAX];
    char *kept_value;      /* the kept attribute's value being built, or NULL */
    int spilling;          /* the name being read is collected in spill[] */
    apr_size_t spill_len;  /* GEOTAG_TAG_NAME_MAX + 1: too long to be kept */
    char spill[GEOTAG_TAG_NAME_MAX];
};

/* Byte classes for the tag states, looked up once per byte. */
enum {
    LEXER_CLASS_SPACE = 1, /* HTML white space (and CR, see above) */
    LEXER_CLASS_SLASH = 2,
    LEXER_CLASS_GT = 4,
    LEXER_CLASS_EQUALS = 8
};

static const unsigned char lexer_class[256] = {
    ['\t'] = LEXER_CLASS_SPACE, ['\n'] = LEXER_CLASS_SPACE,
    ['\f'] = LEXER_CLASS_SPACE, ['\r'] = LEXER_CLASS_SPACE,
    [' '] = LEXER_CLASS_SPACE, ['/'] = LEXER_CLASS_SLASH,
    ['>'] = LEXER_CLASS_GT, ['='] = LEXER_CLASS_EQUALS
};

#define LEXER_NAME_END (LEXER_CLASS_SPACE | LEXER_CLASS_SLASH | LEXER_CLASS_GT)
#define LEXER_ATTR_NAME_END (LEXER_NAME_END | LEXER_CLASS_EQUALS)
#define LEXER_UNQUOTED_END (LEXER_CLASS_SPACE | LEXER_CLASS_GT)

static inline int lexer_is_space(unsigned char c)
{
    return lexer_class[c] & LEXER_CLASS_SPACE;
}

static inline int lexer_is_alpha(unsigned char c)
{
    return (unsigned)((c | 0x20) - 'a') < 26;
}

static inline unsigned char lexer_lower(unsigned char c)
{
    return (unsigned)(c - 'A') < 26 ? (unsigned char)(c | 0x20) : c;
}

/* ---- element names ---------------------------------------------------- */

typedef struct {
    const char *name;
    apr_size_t len;
    geotag_element element;
} lexer_element_name;

/* Sorted by length, then name: the names of one length and first letter
 * are neighbours (lexer_first_of_len_letter). */
static const lexer_element_name lexer_elements[] = {
    {"a", 1, GEOTAG_EL_A},
    {"p", 1, GEOTAG_EL_P},
    {"br", 2, GEOTAG_EL_BR},
    {"h1", 2, GEOTAG_EL_H1},
    {"h2", 2, GEOTAG_EL_H2},
    {"h3", 2, GEOTAG_EL_H3},
    {"h4", 2, GEOTAG_EL_H4},
    {"h5", 2, GEOTAG_EL_H5},
    {"h6", 2, GEOTAG_EL_H6},
    {"li", 2, GEOTAG_EL_LI},
    {"td", 2, GEOTAG_EL_TD},
    {"th", 2, GEOTAG_EL_TH},
    {"div", 3, GEOTAG_EL_DIV},
    {"kbd", 3, GEOTAG_EL_KBD},
    {"nav", 3, GEOTAG_EL_NAV},
    {"pre", 3, GEOTAG_EL_PRE},
    {"svg", 3, GEOTAG_EL_SVG},
    {"xmp", 3, GEOTAG_EL_XMP},
    {"base", 4, GEOTAG_EL_BASE},
    {"body", 4, GEOTAG_EL_BODY},
    {"code", 4, GEOTAG_EL_CODE},
    {"data", 4, GEOTAG_EL_DATA},
    {"form", 4, GEOTAG_EL_FORM},
    {"head", 4, GEOTAG_EL_HEAD},
    {"html", 4, GEOTAG_EL_HTML},
    {"link", 4, GEOTAG_EL_LINK},
    {"main", 4, GEOTAG_EL_MAIN},
    {"math", 4, GEOTAG_EL_MATH},
    {"meta", 4, GEOTAG_EL_META},
    {"samp", 4, GEOTAG_EL_SAMP},
    {"span", 4, GEOTAG_EL_SPAN},
    {"time", 4, GEOTAG_EL_TIME},
    {"aside", 5, GEOTAG_EL_ASIDE},
    {"label", 5, GEOTAG_EL_LABEL},
    {"style", 5, GEOTAG_EL_STYLE},
    {"title", 5, GEOTAG_EL_TITLE},
    {"button", 6, GEOTAG_EL_BUTTON},
    {"footer", 6, GEOTAG_EL_FOOTER},
    {"header", 6, GEOTAG_EL_HEADER},
    {"iframe", 6, GEOTAG_EL_IFRAME},
    {"option", 6, GEOTAG_EL_OPTION},
    {"script", 6, GEOTAG_EL_SCRIPT},
    {"select", 6, GEOTAG_EL_SELECT},
    {"article", 7, GEOTAG_EL_ARTICLE},
    {"noembed", 7, GEOTAG_EL_NOEMBED},
    {"section", 7, GEOTAG_EL_SECTION},
    {"noframes", 8, GEOTAG_EL_NOFRAMES},
    {"noscript", 8, GEOTAG_EL_NOSCRIPT},
    {"template", 8, GEOTAG_EL_TEMPLATE},
    {"textarea", 8, GEOTAG_EL_TEXTAREA},
    {"plaintext", 9, GEOTAG_EL_PLAINTEXT},
    {"blockquote", 10, GEOTAG_EL_BLOCKQUOTE},
    {"figcaption", 10, GEOTAG_EL_FIGCAPTION},
};

/* For a name of length len starting with letter c: 8 * (index of the first
 * candidate in lexer_elements) + (how many there are), 0 for none.
 * Generated from the table above; test_lexer checks every name is found. */
static const apr_uint16_t lexer_first_of_len_letter[11][26] = {
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    {0, 17, 0, 0, 0, 0, 0, 30, 0, 0, 0, 73, 0, 0, 0, 0, 0, 0, 0, 82, 0, 0, 0, 0, 0, 0},
    {0, 0, 0, 97, 0, 0, 0, 0, 0, 0, 105, 0, 0, 113, 0, 121, 0, 0, 129, 0, 0, 0, 0, 137, 0, 0},
    {0, 146, 161, 169, 0, 177, 0, 186, 0, 0, 0, 201, 211, 0, 0, 0, 0, 0, 234, 249, 0, 0, 0, 0, 0, 0},
    {257, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 265, 0, 0, 0, 0, 0, 0, 273, 281, 0, 0, 0, 0, 0, 0},
    {0, 289, 0, 0, 0, 297, 0, 305, 313, 0, 0, 0, 0, 0, 321, 0, 0, 0, 330, 0, 0, 0, 0, 0, 0, 0},
    {345, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 353, 0, 0, 0, 0, 361, 0, 0, 0, 0, 0, 0, 0},
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 370, 0, 0, 0, 0, 0, 386, 0, 0, 0, 0, 0, 0},
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 401, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    {0, 409, 0, 0, 0, 417, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
};

geotag_element geotag_element_lookup(const char *name, apr_size_t len)
{
    unsigned packed, i, end;
    apr_size_t k;

    if (len == 0 || len >= sizeof(lexer_first_of_len_letter) /
                               sizeof(lexer_first_of_len_letter[0]) ||
        name[0] < 'a' || name[0] > 'z')
        return GEOTAG_EL_OTHER;
    packed = lexer_first_of_len_letter[len][name[0] - 'a'];
    for (i = packed >> 3, end = i + (packed & 7); i < end; i++) {
        const char *n = lexer_elements[i].name;
        for (k = 1; k < len && n[k] == name[k]; k++)
            ;
        if (k == len)
            return lexer_elements[i].element;
    }
    return GEOTAG_EL_OTHER;
}

const geotag_attr *geotag_tag_attr_n(const geotag_tag *tag, const char *name,
                                     apr_size_t len)
{
    int i;

    for (i = 0; i < tag->n_attrs; i++) {
        if (tag->attrs[i].name_len == len && tag->attrs[i].name[0] == name[0] &&
            memcmp(tag->attrs[i].name, name, len) == 0)
            return &tag->attrs[i];
    }
    return NULL;
}

/* ---- lifecycle -------------------------------------------------------- */

static void lexer_no_tag(void *baton, const geotag_tag *tag)
{
}

static void lexer_no_text(void *baton, apr_off_t offset, const char *data,
                          apr_size_t len, geotag_text_kind kind,
                          geotag_element container)
{
}

static void lexer_no_run_end(void *baton, apr_off_t offset)
{
}

geotag_lexer *geotag_lexer_create(apr_pool_t *pool,
                                  const geotag_lexer_handler *handler,
                                  void *baton)
{
    geotag_lexer *lexer = apr_pcalloc(pool, sizeof(*lexer));

    lexer->pool = pool;

    /* Callbacks are never NULL afterwards, so the hot paths need no test. */
    lexer->handler.tag = handler && handler->tag ? handler->tag : lexer_no_tag;
    lexer->handler.text =
        handler && handler->text ? handler->text : lexer_no_text;
    lexer->handler.run_end =
        handler && handler->run_end ? handler->run_end : lexer_no_run_end;
    lexer->baton = baton;
    lexer->state = LEXER_DATA;
    lexer->token_start = -1;
    lexer->text_kind = GEOTAG_TEXT_DATA;
    lexer->text_container = GEOTAG_EL_OTHER;
    return lexer;
}

int geotag_lexer_keep(geotag_lexer *lexer, const char *name)
{
    apr_size_t len = strlen(name);
    int i;

    if (len == 0 || len > GEOTAG_TAG_NAME_MAX)
        return 0;
    for (i = 0; i < lexer->n_keep; i++) {
        if (lexer->keep_len[i] == len &&
            memcmp(lexer->keep_buf[i], name, len) == 0)
            return 1;
    }
    if (lexer->n_keep == GEOTAG_TAG_KEEP_MAX)
        return 0;
    /* The name stays at the head of its buffer: a kept attribute's name is
     * written there only once, when it is registered. */
    lexer->keep_buf[i] = apr_palloc(lexer->pool, GEOTAG_TAG_ATTR_BYTES + 2);
    memcpy(lexer->keep_buf[i], name, len);
    lexer->keep_buf[i][len] = '\0';
    lexer->keep_len[i] = len;
    lexer->keep_lengths |= (apr_uint64_t)1 << len;
    lexer->n_keep++;
    return 1;
}

apr_off_t geotag_lexer_offset(const geotag_lexer *lexer)
{
    return lexer->offset;
}

apr_off_t geotag_lexer_pending_start(const geotag_lexer *lexer)
{
    if (lexer->cand_active)
        return lexer->cand_start;
    if (lexer->token_start >= 0)
        return lexer->token_start;
    return lexer->offset;
}

int geotag_lexer_in_data(const geotag_lexer *lexer)
{
    /* Not LEXER_END_TAG_OPEN: "</" + "<script" opens a bogus comment. */
    return lexer->state == LEXER_DATA || lexer->state == LEXER_TAG_OPEN;
}

/* ---- text and candidates ---------------------------------------------- */

static inline apr_off_t lexer_offset_of(const geotag_lexer *lexer,
                                        const char *p)
{
    return lexer->offset + (apr_off_t)(p - lexer->chunk);
}

static void lexer_emit_text(geotag_lexer *lexer, apr_off_t offset,
                            const char *data, apr_size_t len)
{
    if (len == 0)
        return;
    lexer->run_open = 1;
    lexer->handler.text(lexer->baton, offset, data, len, lexer->text_kind,
                        lexer->text_container);
}

/* Reports the text of this chunk from the mark up to 'to'. */
static void lexer_flush_text(geotag_lexer *lexer, const char *to)
{
    if (to > lexer->mark)
        lexer_emit_text(lexer, lexer_offset_of(lexer, lexer->mark),
                        lexer->mark, (apr_size_t)(to - lexer->mark));
    lexer->mark = to;
}

static void lexer_enter_text(geotag_lexer *lexer, lexer_state state,
                             geotag_text_kind kind, geotag_element container,
                             const char *from)
{
    lexer->state = state;
    lexer->text_kind = kind;
    lexer->text_container = container;
    lexer->mark = from;
}

static void lexer_enter_data(geotag_lexer *lexer, const char *from)
{
    lexer->token_start = -1;
    lexer_enter_text(lexer, LEXER_DATA, GEOTAG_TEXT_DATA, GEOTAG_EL_OTHER,
                     from);
}

/* Opens a candidate at the '<' at p. */
static void lexer_cand_begin(geotag_lexer *lexer, const char *p)
{
    lexer->cand_active = 1;
    lexer->cand_here = p;
    lexer->cand_start = lexer_offset_of(lexer, p);
    lexer->cand[0] = '<';
    lexer->cand_len = 1;
}

static inline void lexer_cand_push(geotag_lexer *lexer, char c)
{
    if (lexer->cand_len < LEXER_CANDIDATE_MAX)
        lexer->cand[lexer->cand_len++] = c;
}

/* The candidate is not a token: its bytes are text, and p (the byte that
 * decided it) is reprocessed in a text state. */
static void lexer_cand_fail(geotag_lexer *lexer, const char *p)
{
    if (lexer->cand_here == NULL) {
        /* Begun in an earlier chunk: the text before it is reported, so
         * its own bytes come next, from the copy. */
        lexer_emit_text(lexer, lexer->cand_start, lexer->cand,
                        lexer->cand_len);
        lexer->mark = p;
    }
    /* Otherwise its bytes lie between mark and p: still unreported text. */
    lexer->cand_here = NULL;
    lexer->cand_active = 0;
}

/* The candidate is a token: the text run ends at its '<'. */
static void lexer_cand_confirm(geotag_lexer *lexer)
{
    if (lexer->cand_here)
        lexer_flush_text(lexer, lexer->cand_here);
    lexer->mark = NULL;
    lexer->cand_here = NULL;
    lexer->cand_active = 0;
    lexer->token_start = lexer->cand_start;
    if (lexer->run_open) {
        lexer->run_open = 0;
        lexer->handler.run_end(lexer->baton, lexer->cand_start);
    }
}

/* ---- tags and attributes ---------------------------------------------- */

static void lexer_tag_begin(geotag_lexer *lexer, int is_end)
{
    geotag_tag *tag = &lexer->tag;

    tag->start = lexer->token_start;
    tag->end = -1;
    tag->element = GEOTAG_EL_OTHER;
    tag->is_end = is_end;
    tag->self_closing = 0;
    tag->n_attrs = 0;
    tag->attrs_truncated = 0;
    lexer->name_len = 0;
    lexer->attr = NULL;
    lexer->attr_used = 0;
    lexer->attr_bytes = 0;
    lexer->n_shared = 0;
    lexer->kept_value = NULL;
    lexer->spilling = 0;
}

static void lexer_attr_begin(geotag_lexer *lexer)
{
    geotag_tag *tag = &lexer->tag;
    geotag_attr *attr;

    lexer->kept_value = NULL;
    lexer->spilling = 0;
    if (lexer->n_shared >= GEOTAG_TAG_ATTR_MAX) {
        lexer->attr = NULL;
        if (lexer->n_keep > 0) {
            /* it may still be a kept one: decided at its name's end */
            lexer->spilling = 1;
            lexer->spill_len = 0;
        }
        else {
            tag->attrs_truncated = 1;
        }
        return;
    }
    lexer->n_shared++;
    attr = &tag->attrs[tag->n_attrs++];
    attr->name = lexer->attr_buf + lexer->attr_used;
    attr->name_len = 0;
    attr->value = "";
    attr->value_len = 0;
    attr->truncated = 0;
    lexer->attr = attr;
    lexer->attr_name_len = 0;
}

/* Forgets the attribute being built; it is always the last one, so the
 * buffer simply shrinks back to where its name began. */
static void lexer_attr_drop(geotag_lexer *lexer)
{
    lexer->attr_used = (apr_size_t)(lexer->attr->name - lexer->attr_buf);
    lexer->attr_bytes -= lexer->attr_name_len;
    lexer->tag.n_attrs--;
    lexer->n_shared--;
    lexer->attr = NULL;
}

/* The kept name's index for the lower-case name [name, name + len), or -1. */
static int lexer_keep_index(const geotag_lexer *lexer, const char *name,
                            apr_size_t len)
{
    int i;

    if (len > GEOTAG_TAG_NAME_MAX || !((lexer->keep_lengths >> len) & 1))
        return -1;
    for (i = 0; i < lexer->n_keep; i++) {
        if (lexer->keep_len[i] == len &&
            memcmp(lexer->keep_buf[i], name, len) == 0)
            return i;
    }
    return -1;
}

/* Collects more of a name read past the shared budget. */
static void lexer_spill_append(geotag_lexer *lexer, const char *p,
                               apr_size_t n)
{
    apr_size_t i;

    if (lexer->spill_len + n > GEOTAG_TAG_NAME_MAX) {
        lexer->spill_len = GEOTAG_TAG_NAME_MAX + 1; /* never a kept name */
        return;
    }
    for (i = 0; i < n; i++)
        lexer->spill[lexer->spill_len + i] = (char)lexer_lower((unsigned char)p[i]);
    lexer->spill_len += n;
}

/* Whether the tag already has an attribute of this name (the first wins). */
static int lexer_attr_seen(const geotag_tag *tag, int before, const char *name,
                           apr_size_t len)
{
    int i;

    for (i = 0; i < before; i++) {
        if (tag->attrs[i].name_len == len &&
            memcmp(tag->attrs[i].name, name, len) == 0)
            return 1;
    }
    return 0;
}

/* Makes 'attr' (the last slot) the kept attribute 'k', in its own buffer. */
static void lexer_attr_keep(geotag_lexer *lexer, geotag_attr *attr, int k)
{
    char *buf = lexer->keep_buf[k];

    attr->name = buf;
    attr->name_len = lexer->keep_len[k];
    attr->value = lexer->kept_value = buf + attr->name_len + 1;
    lexer->kept_value[0] = '\0';
    attr->value_len = 0;
    attr->truncated = 0;
    lexer->attr = attr;
}

/* The run [p, q) of a tag's name, lower-cased; a name longer than
 * GEOTAG_TAG_NAME_MAX is marked truncated (name_len MAX + 1). */
static inline void lexer_name_append(geotag_lexer *lexer, const char *p,
                                     const char *q)
{
    apr_size_t n = (apr_size_t)(q - p), room, i;

    if (n == 0)
        return;
    room = lexer->name_len < GEOTAG_TAG_NAME_MAX
               ? GEOTAG_TAG_NAME_MAX - lexer->name_len : 0;
    for (i = 0; i < n && i < room; i++)
        lexer->tag.name[lexer->name_len + i] = (char)lexer_lower((unsigned char)p[i]);
    if (n > room)
        lexer->name_len = GEOTAG_TAG_NAME_MAX + 1; /* truncated */
    else
        lexer->name_len += n;
}

/* The run [p, q) of an attribute's name, lower-cased; a name that would
 * pass the per-tag byte budget is dropped whole. */
static inline void lexer_attr_name_append(geotag_lexer *lexer, const char *p,
                                          const char *q)
{
    apr_size_t n = (apr_size_t)(q - p), i, used, bytes, name_len;
    char *out;

    if (n == 0)
        return;
    if (lexer->attr == NULL) {
        if (lexer->spilling)
            lexer_spill_append(lexer, p, n);
        return;
    }
    /* the counters are read once, before the copy, and written after it:
     * updated in place, the compiler pairs neighbouring ones into one wide
     * load that the narrower stores just before cannot forward to (perf
     * put 7 % of the engine's samples on a news page on that stall) */
    used = lexer->attr_used;
    bytes = lexer->attr_bytes;
    name_len = lexer->attr_name_len;
    if (bytes + n > GEOTAG_TAG_ATTR_BYTES) {
        /* A cut name could pass for another attribute: drop it whole,
         * unless it turns out to be a kept one. */
        if (lexer->n_keep > 0) {
            lexer->spilling = 1;
            lexer->spill_len = 0;
            lexer_spill_append(lexer, lexer->attr->name, name_len);
            lexer_spill_append(lexer, p, n);
            lexer_attr_drop(lexer);
            return;
        }
        lexer_attr_drop(lexer);
        lexer->tag.attrs_truncated = 1;
        return;
    }
    out = lexer->attr_buf + used;
    for (i = 0; i < n; i++)
        out[i] = (char)lexer_lower((unsigned char)p[i]);
    lexer->attr_used = used + n;
    lexer->attr_bytes = bytes + n;
    lexer->attr_name_len = name_len + n;
    lexer->attr->name_len = name_len + n;
}

static void lexer_attr_name_end(geotag_lexer *lexer)
{
    geotag_attr *attr = lexer->attr;
    geotag_tag *tag = &lexer->tag;
    int k;

    if (attr == NULL) {
        if (!lexer->spilling)
            return;
        /* Read past the shared budget: kept only if it is a kept name.
         * There is always a slot: GEOTAG_TAG_ATTR_MAX shared ones at most,
         * and one per kept name. */
        lexer->spilling = 0;
        k = lexer_keep_index(lexer, lexer->spill, lexer->spill_len);
        if (k < 0 || lexer_attr_seen(tag, tag->n_attrs, lexer->spill,
                                     lexer->spill_len)) {
            if (k < 0)
                tag->attrs_truncated = 1;
            return;
        }
        lexer_attr_keep(lexer, &tag->attrs[tag->n_attrs++], k);
        return;
    }
    lexer->attr_buf[lexer->attr_used] = '\0';
    attr->name_len = lexer->attr_name_len;
    if (lexer_attr_seen(tag, tag->n_attrs - 1, attr->name, attr->name_len)) {
        /* WHATWG: a duplicate attribute is dropped, the first wins. */
        lexer_attr_drop(lexer);
        return;
    }
    if (lexer->n_keep > 0 &&
        (k = lexer_keep_index(lexer, attr->name, attr->name_len)) >= 0) {
        /* Out of the shared buffer, into its own: the slot stays. */
        lexer->attr_used = (apr_size_t)(attr->name - lexer->attr_buf);
        lexer->attr_bytes -= attr->name_len;
        lexer->n_shared--;
        lexer_attr_keep(lexer, attr, k);
        return;
    }
    lexer->attr_used++;
    /* The value stays NUL-terminated as it grows: the NUL is always at
     * attr_used - 1. */
    attr->value = lexer->attr_buf + lexer->attr_used;
    lexer->attr_buf[lexer->attr_used++] = '\0';
}

static void lexer_attr_value_append(geotag_lexer *lexer, const char *data,
                                    apr_size_t len)
{
    geotag_attr *attr = lexer->attr;
    apr_size_t room, used, bytes;

    if (attr == NULL || len == 0)
        return;
    if (lexer->kept_value != NULL) {
        room = GEOTAG_TAG_ATTR_BYTES - attr->name_len - attr->value_len;
        if (len > room) {
            len = room;
            attr->truncated = 1;
            lexer->tag.attrs_truncated = 1;
        }
        memcpy(lexer->kept_value + attr->value_len, data, len);
        attr->value_len += len;
        lexer->kept_value[attr->value_len] = '\0';
        return;
    }
    used = lexer->attr_used;   /* read before the copy: see above */
    bytes = lexer->attr_bytes;
    room = GEOTAG_TAG_ATTR_BYTES - bytes;
    if (len > room) {
        len = room;
        attr->truncated = 1;
        lexer->tag.attrs_truncated = 1;
    }
    memcpy(lexer->attr_buf + used - 1, data, len);
    lexer->attr_buf[used + len - 1] = '\0';
    lexer->attr_used = used + len;
    lexer->attr_bytes = bytes + len;
    attr->value_len += len;
}

/* A quoted value from p, in its state: appended up to the closing quote
 * (then AFTER_ATTR_VALUE) or to the end of the chunk (the state stays).
 * Returns where the lexer goes on. */
static const char *lexer_quoted_value(geotag_lexer *lexer, const char *p,
                                      const char *end, char quote)
{
    const char *q = memchr(p, quote, (apr_size_t)(end - p));

    if (q == NULL) {
        lexer_attr_value_append(lexer, p, (apr_size_t)(end - p));
        return end;
    }
    lexer_attr_value_append(lexer, p, (apr_size_t)(q - p));
    lexer->state = LEXER_AFTER_ATTR_VALUE;
    return q + 1;
}

/* Switches to the raw text of the element just opened. */
static void lexer_enter_raw(geotag_lexer *lexer, lexer_state state,
                            geotag_text_kind kind, const char *from)
{
    const geotag_tag *tag = &lexer->tag;

    lexer->raw_name_len = lexer->name_len;
    memcpy(lexer->raw_name, tag->name, lexer->name_len);
    lexer->end_fallback = state;
    lexer_enter_text(lexer, state, kind, tag->element, from);
}

/* The tag ends with the '>' just before 'after'. */
static void lexer_tag_emit(geotag_lexer *lexer, const char *after)
{
    geotag_tag *tag = &lexer->tag;
    geotag_element element = GEOTAG_EL_OTHER;
    int foreign = lexer->foreign_depth > 0;

    if (lexer->name_len > GEOTAG_TAG_NAME_MAX) {
        tag->name[GEOTAG_TAG_NAME_MAX] = '\0';
    } else {
        tag->name[lexer->name_len] = '\0';
        element = geotag_element_lookup(tag->name, lexer->name_len);
    }
    tag->element = element;
    tag->end = lexer_offset_of(lexer, after);
    lexer->handler.tag(lexer->baton, tag);

    lexer_enter_data(lexer, after);
    if (tag->is_end) {
        if ((element == GEOTAG_EL_SVG || element == GEOTAG_EL_MATH) &&
            lexer->foreign_depth > 0)
            lexer->foreign_depth--;
        return;
    }
    /* The tree builder switches the tokenizer after these start tags. */
    switch (element) {
    case GEOTAG_EL_SCRIPT:
        lexer_enter_raw(lexer, LEXER_SCRIPT, GEOTAG_TEXT_RAWTEXT, after);
        break;
    case GEOTAG_EL_STYLE:
        lexer_enter_raw(lexer, LEXER_RAW, GEOTAG_TEXT_RAWTEXT, after);
        break;
    case GEOTAG_EL_XMP:
    case GEOTAG_EL_IFRAME:
    case GEOTAG_EL_NOEMBED:
    case GEOTAG_EL_NOFRAMES:
    case GEOTAG_EL_NOSCRIPT:
        if (!foreign)
            lexer_enter_raw(lexer, LEXER_RAW, GEOTAG_TEXT_RAWTEXT, after);
        break;
    case GEOTAG_EL_TITLE:
    case GEOTAG_EL_TEXTAREA:
        if (!foreign)
            lexer_enter_raw(lexer, LEXER_RAW, GEOTAG_TEXT_RCDATA, after);
        break;
    case GEOTAG_EL_PLAINTEXT:
        if (!foreign)
            lexer_enter_raw(lexer, LEXER_PLAINTEXT, GEOTAG_TEXT_PLAINTEXT,
                            after);
        break;
    case GEOTAG_EL_SVG:
    case GEOTAG_EL_MATH:
        if (!tag->self_closing &&
            lexer->foreign_depth < LEXER_FOREIGN_DEPTH_MAX)
            lexer->foreign_depth++;
        break;
    default:
        break;
    }
}

/* Matches one more letter of "script" in the double-escape states. */
static inline void lexer_script_match(geotag_lexer *lexer, unsigned char c)
{
    static const char script[] = "script";

    if (lexer->script_ok && lexer->script_matched < 6 &&
        lexer_lower(c) == (unsigned char)script[lexer->script_matched])
        lexer->script_matched++;
    else
        lexer->script_ok = 0;
}

static inline int lexer_script_matched(const geotag_lexer *lexer)
{
    return lexer->script_ok && lexer->script_matched == 6;
}

/* ---- the tokenizer ---------------------------------------------------- */

void geotag_lexer_feed(geotag_lexer *lexer, const char *data, apr_size_t len)
{
    const char *p = data;
    const char *end = data + len;

    if (lexer->finished || len == 0)
        return;
    lexer->chunk = data;
    lexer->mark = lexer->state < LEXER_TEXT_STATES ? data : NULL;
    lexer->cand_here = NULL;

    /* Each case consumes what it can and leaves p on the first byte it did
     * not consume ("reprocess" = change state without advancing). */
    while (p < end && !lexer->finished) {
        unsigned char c = (unsigned char)*p;
        const char *q;

        switch (lexer->state) {
        case LEXER_DATA:
            q = memchr(p, '<', (apr_size_t)(end - p));
            if (q == NULL) {
                p = end;
                break;
            }
            lexer_cand_begin(lexer, q);
            lexer->state = LEXER_TAG_OPEN;
            p = q + 1;
            break;

        case LEXER_TAG_OPEN:
            if (lexer_is_alpha(c)) {
                lexer_cand_confirm(lexer);
                lexer_tag_begin(lexer, 0);
                lexer->state = LEXER_TAG_NAME;
            } else if (c == '/') {
                lexer_cand_push(lexer, '/');
                lexer->state = LEXER_END_TAG_OPEN;
                p++;
            } else if (c == '!') {
                lexer_cand_confirm(lexer);
                lexer->declaration = LEXER_DECL_NONE;
                lexer->declaration_matched = 0;
                lexer->state = LEXER_MARKUP_DECLARATION;
                p++;
            } else if (c == '?') {
                lexer_cand_confirm(lexer);
                lexer->state = LEXER_BOGUS_COMMENT;
                p++;
            } else {
                lexer_cand_fail(lexer, p);
                lexer->state = LEXER_DATA;
            }
            break;

        case LEXER_END_TAG_OPEN:
            lexer_cand_confirm(lexer);
            if (lexer_is_alpha(c)) {
                lexer_tag_begin(lexer, 1);
                lexer->state = LEXER_TAG_NAME;
            } else if (c == '>') {
                /* "</>" is no token at all, and no text either. */
                p++;
                lexer_enter_data(lexer, p);
            } else {
                lexer->state = LEXER_BOGUS_COMMENT;
            }
            break;

        case LEXER_RAW:
            q = memchr(p, '<', (apr_size_t)(end - p));
            if (q == NULL) {
                p = end;
                break;
            }
            lexer_cand_begin(lexer, q);
            lexer->state = LEXER_RAW_LT;
            p = q + 1;
            break;

        case LEXER_RAW_LT:
            if (c == '/') {
                lexer_cand_push(lexer, '/');
                lexer->state = LEXER_END_NAME;
                p++;
            } else {
                lexer_cand_fail(lexer, p);
                lexer->state = LEXER_RAW;
            }
            break;

        case LEXER_END_NAME: {
            /* An end tag here only counts if it names the open element
             * ("appropriate end tag") and the name ends right there. */
            apr_size_t matched = lexer->cand_len - 2;
            if (matched < lexer->raw_name_len) {
                if (lexer_lower(c) == (unsigned char)lexer->raw_name[matched]) {
                    lexer_cand_push(lexer, (char)c);
                    p++;
                    break;
                }
            } else if (lexer_class[c] & LEXER_NAME_END) {
                lexer_cand_confirm(lexer);
                lexer_tag_begin(lexer, 1);
                memcpy(lexer->tag.name, lexer->raw_name, lexer->raw_name_len);
                lexer->name_len = lexer->raw_name_len;
                lexer->state = LEXER_TAG_NAME; /* ends the name at c */
                break;
            }
            lexer_cand_fail(lexer, p);
            lexer->state = lexer->end_fallback;
            break;
        }

        case LEXER_PLAINTEXT:
            p = end;
            break;

        case LEXER_SCRIPT:
            q = memchr(p, '<', (apr_size_t)(end - p));
            if (q == NULL) {
                p = end;
                break;
            }
            lexer_cand_begin(lexer, q);
            lexer->state = LEXER_SCRIPT_LT;
            p = q + 1;
            break;

        case LEXER_SCRIPT_LT:
            if (c == '/') {
                lexer_cand_push(lexer, '/');
                lexer->end_fallback = LEXER_SCRIPT;
                lexer->state = LEXER_END_NAME;
                p++;
            } else if (c == '!') {
                lexer_cand_fail(lexer, p);
                lexer->state = LEXER_SCRIPT_ESCAPE_START;
                p++;
            } else {
                lexer_cand_fail(lexer, p);
                lexer->state = LEXER_SCRIPT;
            }
            break;

        case LEXER_SCRIPT_ESCAPE_START:
            if (c == '-') {
                lexer->state = LEXER_SCRIPT_ESCAPE_START_DASH;
                p++;
            } else {
                lexer->state = LEXER_SCRIPT;
            }
            break;

        case LEXER_SCRIPT_ESCAPE_START_DASH:
            if (c == '-') {
                lexer->state = LEXER_SCRIPT_ESCAPED_DASH_DASH;
                p++;
            } else {
                lexer->state = LEXER_SCRIPT;
            }
            break;

        case LEXER_SCRIPT_ESCAPED:
            for (q = p; q < end && *q != '-' && *q != '<'; q++)
                ;
            if (q == end) {
                p = end;
            } else if (*q == '-') {
                lexer->state = LEXER_SCRIPT_ESCAPED_DASH;
                p = q + 1;
            } else {
                lexer_cand_begin(lexer, q);
                lexer->state = LEXER_SCRIPT_ESCAPED_LT;
                p = q + 1;
            }
            break;

        case LEXER_SCRIPT_ESCAPED_DASH:
        case LEXER_SCRIPT_ESCAPED_DASH_DASH:
            if (c == '-') {
                lexer->state = LEXER_SCRIPT_ESCAPED_DASH_DASH;
            } else if (c == '<') {
                lexer_cand_begin(lexer, p);
                lexer->state = LEXER_SCRIPT_ESCAPED_LT;
            } else if (c == '>' &&
                       lexer->state == LEXER_SCRIPT_ESCAPED_DASH_DASH) {
                lexer->state = LEXER_SCRIPT; /* "-->" */
            } else {
                lexer->state = LEXER_SCRIPT_ESCAPED;
            }
            p++;
            break;

        case LEXER_SCRIPT_ESCAPED_LT:
            if (c == '/') {
                lexer_cand_push(lexer, '/');
                lexer->end_fallback = LEXER_SCRIPT_ESCAPED;
                lexer->state = LEXER_END_NAME;
                p++;
            } else if (lexer_is_alpha(c)) {
                lexer_cand_fail(lexer, p);
                lexer->script_matched = 0;
                lexer->script_ok = 1;
                lexer->state = LEXER_SCRIPT_DOUBLE_ESCAPE_START;
            } else {
                lexer_cand_fail(lexer, p);
                lexer->state = LEXER_SCRIPT_ESCAPED;
            }
            break;

        case LEXER_SCRIPT_DOUBLE_ESCAPE_START:
            if (lexer_class[c] & LEXER_NAME_END) {
                lexer->state = lexer_script_matched(lexer)
                                   ? LEXER_SCRIPT_DOUBLE_ESCAPED
                                   : LEXER_SCRIPT_ESCAPED;
                p++;
            } else if (lexer_is_alpha(c)) {
                lexer_script_match(lexer, c);
                p++;
            } else {
                lexer->state = LEXER_SCRIPT_ESCAPED;
            }
            break;

        case LEXER_SCRIPT_DOUBLE_ESCAPED:
            for (q = p; q < end && *q != '-' && *q != '<'; q++)
                ;
            if (q == end) {
                p = end;
                break;
            }
            lexer->state = *q == '-' ? LEXER_SCRIPT_DOUBLE_ESCAPED_DASH
                                     : LEXER_SCRIPT_DOUBLE_ESCAPED_LT;
            p = q + 1;
            break;

        case LEXER_SCRIPT_DOUBLE_ESCAPED_DASH:
        case LEXER_SCRIPT_DOUBLE_ESCAPED_DASH_DASH:
            if (c == '-')
                lexer->state = LEXER_SCRIPT_DOUBLE_ESCAPED_DASH_DASH;
            else if (c == '<')
                lexer->state = LEXER_SCRIPT_DOUBLE_ESCAPED_LT;
            else if (c == '>' &&
                     lexer->state == LEXER_SCRIPT_DOUBLE_ESCAPED_DASH_DASH)
                lexer->state = LEXER_SCRIPT;
            else
                lexer->state = LEXER_SCRIPT_DOUBLE_ESCAPED;
            p++;
            break;

        case LEXER_SCRIPT_DOUBLE_ESCAPED_LT:
            if (c == '/') {
                lexer->script_matched = 0;
                lexer->script_ok = 1;
                lexer->state = LEXER_SCRIPT_DOUBLE_ESCAPE_END;
                p++;
            } else {
                lexer->state = LEXER_SCRIPT_DOUBLE_ESCAPED;
            }
            break;

        case LEXER_SCRIPT_DOUBLE_ESCAPE_END:
            if (lexer_class[c] & LEXER_NAME_END) {
                lexer->state = lexer_script_matched(lexer)
                                   ? LEXER_SCRIPT_ESCAPED
                                   : LEXER_SCRIPT_DOUBLE_ESCAPED;
                p++;
            } else if (lexer_is_alpha(c)) {
                lexer_script_match(lexer, c);
                p++;
            } else {
                lexer->state = LEXER_SCRIPT_DOUBLE_ESCAPED;
            }
            break;

        case LEXER_TEXT_STATES:
            /* not a state */
            p = end;
            break;

        case LEXER_TAG_NAME:
            for (q = p; q < end && !(lexer_class[(unsigned char)*q] &
                                     LEXER_NAME_END); q++)
                ;
            lexer_name_append(lexer, p, q);
            p = q;
            if (p == end)
                break;
            c = (unsigned char)*p++;
            if (c == '>')
                lexer_tag_emit(lexer, p);
            else if (c == '/')
                lexer->state = LEXER_SELF_CLOSING;
            else
                lexer->state = LEXER_BEFORE_ATTR_NAME;
            break;

        case LEXER_BEFORE_ATTR_NAME:
            while (p < end && lexer_is_space((unsigned char)*p))
                p++;
            if (p == end)
                break;
            c = (unsigned char)*p;
            if (c == '/' || c == '>') {
                lexer->state = LEXER_AFTER_ATTR_NAME;
                break;
            }
            lexer_attr_begin(lexer);
            if (c == '=') {
                /* WHATWG: a leading '=' is part of the name. */
                lexer_attr_name_append(lexer, p, p + 1);
                p++;
            }
            lexer->state = LEXER_ATTR_NAME;
            break;

        case LEXER_ATTR_NAME:
            for (q = p; q < end && !(lexer_class[(unsigned char)*q] &
                                     LEXER_ATTR_NAME_END); q++)
                ;
            lexer_attr_name_append(lexer, p, q);
            p = q;
            if (p == end)
                break;
            lexer_attr_name_end(lexer);
            if (*p != '=') {
                lexer->state = LEXER_AFTER_ATTR_NAME;
                break;
            }
            p++;
            if (p < end && *p == '"') {
                /* name="value", the usual shape: straight through the
                 * states before and in the value */
                lexer->state = LEXER_ATTR_VALUE_DOUBLE;
                p = lexer_quoted_value(lexer, p + 1, end, '"');
                break;
            }
            lexer->state = LEXER_BEFORE_ATTR_VALUE;
            break;

        case LEXER_AFTER_ATTR_NAME:
            while (p < end && lexer_is_space((unsigned char)*p))
                p++;
            if (p == end)
                break;
            c = (unsigned char)*p;
            if (c == '/') {
                lexer->state = LEXER_SELF_CLOSING;
                p++;
            } else if (c == '=') {
                lexer->state = LEXER_BEFORE_ATTR_VALUE;
                p++;
            } else if (c == '>') {
                p++;
                lexer_tag_emit(lexer, p);
            } else {
                lexer_attr_begin(lexer);
                lexer->state = LEXER_ATTR_NAME;
            }
            break;

        case LEXER_BEFORE_ATTR_VALUE:
            while (p < end && lexer_is_space((unsigned char)*p))
                p++;
            if (p == end)
                break;
            c = (unsigned char)*p;
            if (c == '"') {
                lexer->state = LEXER_ATTR_VALUE_DOUBLE;
                p++;
            } else if (c == '\'') {
                lexer->state = LEXER_ATTR_VALUE_SINGLE;
                p++;
            } else if (c == '>') {
                p++;
                lexer_tag_emit(lexer, p);
            } else {
                lexer->state = LEXER_ATTR_VALUE_UNQUOTED;
            }
            break;

        case LEXER_ATTR_VALUE_DOUBLE:
        case LEXER_ATTR_VALUE_SINGLE:
            p = lexer_quoted_value(lexer, p, end,
                                   lexer->state == LEXER_ATTR_VALUE_DOUBLE ? '"'
                                                                           : '\'');
            break;

        case LEXER_ATTR_VALUE_UNQUOTED:
            for (q = p; q < end && !(lexer_class[(unsigned char)*q] &
                                     LEXER_UNQUOTED_END); q++)
                ;
            lexer_attr_value_append(lexer, p, (apr_size_t)(q - p));
            p = q;
            if (p == end)
                break;
            if (*p++ == '>')
                lexer_tag_emit(lexer, p);
            else
                lexer->state = LEXER_BEFORE_ATTR_NAME;
            break;

        case LEXER_AFTER_ATTR_VALUE:
            if (c == '>') {
                p++;
                lexer_tag_emit(lexer, p);
            } else if (c == '/') {
                lexer->state = LEXER_SELF_CLOSING;
                p++;
            } else {
                /* white space is skipped there, anything else starts the
                 * next attribute (missing-whitespace parse error) */
                lexer->state = LEXER_BEFORE_ATTR_NAME;
            }
            break;

        case LEXER_SELF_CLOSING:
            if (c == '>') {
                lexer->tag.self_closing = 1;
                p++;
                lexer_tag_emit(lexer, p);
            } else {
                lexer->state = LEXER_BEFORE_ATTR_NAME;
            }
            break;

        case LEXER_MARKUP_DECLARATION: {
            static const char *const want[] = {"", "--", "doctype", "[CDATA["};
            if (lexer->declaration == LEXER_DECL_NONE) {
                if (c == '-')
                    lexer->declaration = LEXER_DECL_COMMENT;
                else if (lexer_lower(c) == 'd')
                    lexer->declaration = LEXER_DECL_DOCTYPE;
                else if (c == '[' && lexer->foreign_depth > 0)
                    lexer->declaration = LEXER_DECL_CDATA;
                else {
                    lexer->state = LEXER_BOGUS_COMMENT;
                    break;
                }
            } else {
                unsigned char w = (unsigned char)
                    want[lexer->declaration][lexer->declaration_matched];
                /* DOCTYPE is case-insensitive, "--" and "[CDATA[" are not */
                if ((lexer->declaration == LEXER_DECL_DOCTYPE ? lexer_lower(c)
                                                              : c) != w) {
                    /* the bytes matched so far hold no '>', so the bogus
                     * comment may start with this one */
                    lexer->state = LEXER_BOGUS_COMMENT;
                    break;
                }
            }
            p++;
            if (want[lexer->declaration][++lexer->declaration_matched] != '\0')
                break;
            if (lexer->declaration == LEXER_DECL_COMMENT)
                lexer->state = LEXER_COMMENT_START;
            else if (lexer->declaration == LEXER_DECL_DOCTYPE)
                lexer->state = LEXER_DOCTYPE;
            else
                lexer->state = LEXER_CDATA;
            break;
        }

        case LEXER_COMMENT_START:
        case LEXER_COMMENT_START_DASH:
            if (c == '>') {
                /* "<!-->" and "<!--->" are complete (empty) comments */
                p++;
                lexer_enter_data(lexer, p);
            } else if (c == '-') {
                lexer->state = lexer->state == LEXER_COMMENT_START
                                   ? LEXER_COMMENT_START_DASH
                                   : LEXER_COMMENT_END;
                p++;
            } else {
                lexer->state = LEXER_COMMENT;
            }
            break;

        case LEXER_COMMENT:
            q = memchr(p, '-', (apr_size_t)(end - p));
            if (q == NULL) {
                p = end;
                break;
            }
            lexer->state = LEXER_COMMENT_END_DASH;
            p = q + 1;
            break;

        case LEXER_COMMENT_END_DASH:
            if (c == '-') {
                lexer->state = LEXER_COMMENT_END;
                p++;
            } else {
                lexer->state = LEXER_COMMENT;
            }
            break;

        case LEXER_COMMENT_END:
            if (c == '>') {
                p++;
                lexer_enter_data(lexer, p);
            } else if (c == '!') {
                lexer->state = LEXER_COMMENT_END_BANG;
                p++;
            } else if (c == '-') {
                p++; /* "--->": still at the end */
            } else {
                lexer->state = LEXER_COMMENT;
            }
            break;

        case LEXER_COMMENT_END_BANG:
            if (c == '>') {
                p++; /* "--!>" */
                lexer_enter_data(lexer, p);
            } else if (c == '-') {
                lexer->state = LEXER_COMMENT_END_DASH;
                p++;
            } else {
                lexer->state = LEXER_COMMENT;
            }
            break;

        case LEXER_BOGUS_COMMENT:
        case LEXER_DOCTYPE:
            /* every doctype state ends at the first '>', quoted or not */
            q = memchr(p, '>', (apr_size_t)(end - p));
            if (q == NULL) {
                p = end;
                break;
            }
            p = q + 1;
            lexer_enter_data(lexer, p);
            break;

        case LEXER_CDATA:
            q = memchr(p, ']', (apr_size_t)(end - p));
            if (q == NULL) {
                p = end;
                break;
            }
            lexer->state = LEXER_CDATA_BRACKET;
            p = q + 1;
            break;

        case LEXER_CDATA_BRACKET:
            if (c == ']') {
                lexer->state = LEXER_CDATA_END;
                p++;
            } else {
                lexer->state = LEXER_CDATA;
            }
            break;

        case LEXER_CDATA_END:
            if (c == '>') {
                p++;
                lexer_enter_data(lexer, p);
            } else if (c == ']') {
                p++;
            } else {
                lexer->state = LEXER_CDATA;
            }
            break;
        }
    }

    /* Report the chunk's text now, so that the caller can act on it; only
     * an open candidate waits for the next chunk. */
    if (lexer->mark != NULL) {
        if (!lexer->cand_active)
            lexer_flush_text(lexer, end);
        else if (lexer->cand_here != NULL)
            lexer_flush_text(lexer, lexer->cand_here);
    }
    lexer->chunk = NULL;
    lexer->mark = NULL;
    lexer->cand_here = NULL;
    lexer->offset += (apr_off_t)len;
}

void geotag_lexer_stop(geotag_lexer *lexer)
{
    /* the rest of the chunk being lexed reaches no handler, and the loop
     * of geotag_lexer_feed() leaves at its next step */
    lexer->handler.tag = lexer_no_tag;
    lexer->handler.text = lexer_no_text;
    lexer->handler.run_end = lexer_no_run_end;
    lexer->finished = 1;
}

void geotag_lexer_finish(geotag_lexer *lexer)
{
    if (lexer->finished)
        return;
    /* A candidate never completed: "<", "</", "</scr" at EOF are text. */
    if (lexer->cand_active) {
        lexer_emit_text(lexer, lexer->cand_start, lexer->cand,
                        lexer->cand_len);
        lexer->cand_active = 0;
    }
    lexer->token_start = -1;
    if (lexer->run_open) {
        lexer->run_open = 0;
        lexer->handler.run_end(lexer->baton, lexer->offset);
    }
    lexer->finished = 1;
}
