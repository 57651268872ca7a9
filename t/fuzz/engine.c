/*
 * engine.c: a whole engine session per input (libFuzzer target).
 *
 * The input is the page.  It is tagged twice with the same options: fed
 * whole, then fed in chunks whose sizes come from a hash of the input (so
 * mutations explore chunkings while a seed stays a plain page).  Checked:
 *
 *   - both runs give the same edits, status, mention count and JSON-LD;
 *   - edits come in offset order within [0, page length], never below an
 *     offset geotag_session_stable() already released, and the stable
 *     offset itself never goes back nor past the bytes fed;
 *   - opens and closes pair up, properly nested, each wrapping at least
 *     one byte; at most one JSON-LD edit, outside every span;
 *   - every rendered insertion is ASCII, one element (or the JSON-LD
 *     script), carries data-geotag; the output with the insertions taken
 *     out is the page, byte for byte;
 *   - no insertion lands inside a tag, comment, doctype, CDATA section or
 *     raw-text / RCDATA / plaintext element, according to the scanner
 *     below, written from the WHATWG tokenizer independently of lexer.c.
 *
 * The scanner follows lexer.c's documented choices where WHATWG needs the
 * tree builder (foreign content as a depth counter of <svg>/<math>;
 * <script>/<style> raw even there; <noscript> raw).  It must be exact,
 * not merely cautious: a scanner that leaves a token early goes on
 * reading its inside as markup and loses step with the page (script data
 * ended at the first "</script", escaped or not, was such a shortcut).
 */
#include <string.h>

#include <apr_strings.h>

#include "fuzz.h"
#include "result.h"

/* ------------------------------------------------------------------ */
/* the independent scanner: where may markup be inserted?              */

enum {
    S_DATA, S_TAG_OPEN, S_END_TAG_OPEN, S_TAG_NAME, S_BEFORE_ATTR_NAME,
    S_ATTR_NAME, S_AFTER_ATTR_NAME, S_BEFORE_ATTR_VALUE, S_VALUE_DQ,
    S_VALUE_SQ, S_VALUE_UNQ, S_AFTER_VALUE_QUOTED, S_SELF_CLOSING,
    S_BOGUS_COMMENT, S_COMMENT_START, S_COMMENT_START_DASH, S_COMMENT,
    S_COMMENT_END_DASH, S_COMMENT_END, S_COMMENT_END_BANG, S_DOCTYPE,
    S_CDATA, S_RAW, S_SCRIPT, S_PLAINTEXT
};

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static int is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int starts_with_ci(const unsigned char *p, size_t left, const char *s)
{
    size_t n = strlen(s);
    return left >= n && strncasecmp((const char *)p, s, n) == 0;
}

/* "script" (any case) at p[i], followed by white space, '/' or '>'. */
static int script_name_at(const unsigned char *p, size_t len, size_t i)
{
    return len - i > 6 && !strncasecmp((const char *)p + i, "script", 6) &&
           (is_space(p[i + 6]) || p[i + 6] == '/' || p[i + 6] == '>');
}

/* Where script data that starts at i ends: the '<' of the "</script"
 * that closes it, or len.  WHATWG's script data states: "<!--" escapes,
 * "<script" inside an escape double-escapes, where "</script" only goes
 * back to escaped; "-->" (two dashes or more, then '>') unescapes. */
static size_t script_data_end(const unsigned char *p, size_t len, size_t i)
{
    enum { PLAIN, ESCAPED, DOUBLE } mode = PLAIN;
    size_t dashes = 0;
    while (i < len) {
        unsigned char c = p[i];
        if (mode == PLAIN) {
            if (c == '<' && len - i > 1 && p[i + 1] == '/' &&
                script_name_at(p, len, i + 2))
                return i;
            if (c == '<' && len - i >= 4 && !memcmp(p + i, "<!--", 4)) {
                mode = ESCAPED;
                dashes = 2; /* "<!-->" unescapes at once */
                i += 4;
                continue;
            }
            i++;
            continue;
        }
        if (c == '-') {
            dashes++;
            i++;
            continue;
        }
        if (c == '>' && dashes >= 2) {
            mode = PLAIN;
            dashes = 0;
            i++;
            continue;
        }
        dashes = 0;
        if (c == '<' && mode == ESCAPED) {
            if (len - i > 1 && p[i + 1] == '/' && script_name_at(p, len, i + 2))
                return i;
            if (script_name_at(p, len, i + 1)) {
                mode = DOUBLE;
                i += 7;
                continue;
            }
        }
        else if (c == '<' && mode == DOUBLE && len - i > 1 &&
                 p[i + 1] == '/' && script_name_at(p, len, i + 2)) {
            mode = ESCAPED;
            i += 8;
            continue;
        }
        i++;
    }
    return len;
}

/* Which raw-text kind a start tag switches to: 0 none, 1 raw text or
 * RCDATA (ends at its own end tag), 2 plaintext (never ends). */
static int raw_kind(const char *name, int foreign)
{
    static const char *const raw[] = { "title", "textarea", "xmp", "iframe",
                                       "noembed", "noframes", "noscript" };
    size_t i;
    if (!strcmp(name, "script") || !strcmp(name, "style"))
        return 1;
    if (foreign)
        return 0;
    for (i = 0; i < sizeof(raw) / sizeof(raw[0]); i++)
        if (!strcmp(name, raw[i]))
            return 1;
    return !strcmp(name, "plaintext") ? 2 : 0;
}

/* allowed[o] = 1 when inserting before byte o (o == len: at the end)
 * leaves every token of the page as it was: the scanner is in the data
 * state there, between two tokens. */
static void scan_allowed(const unsigned char *p, size_t len,
                         unsigned char *allowed)
{
    int state = S_DATA, is_end = 0, foreign = 0;
    char name[16], raw_name[16] = "";
    size_t name_len = 0, i = 0, raw_end = 0;

    while (i < len) {
        unsigned char c = p[i];
        allowed[i] = state == S_DATA;
        switch (state) {
        case S_DATA:
            if (c == '<')
                state = S_TAG_OPEN;
            i++;
            break;
        case S_TAG_OPEN:
            if (is_alpha(c)) {
                is_end = 0;
                name_len = 0;
                state = S_TAG_NAME;
                continue;
            }
            if (c == '/') {
                state = S_END_TAG_OPEN;
                i++;
            }
            else if (c == '!') {
                const unsigned char *q = p + i + 1;
                size_t left = len - i - 1;
                if (left >= 2 && q[0] == '-' && q[1] == '-') {
                    state = S_COMMENT_START;
                    i += 3;
                }
                else if (starts_with_ci(q, left, "doctype")) {
                    state = S_DOCTYPE;
                    i += 8;
                }
                else if (foreign && left >= 7 && !memcmp(q, "[CDATA[", 7)) {
                    state = S_CDATA;
                    i += 8;
                }
                else {
                    state = S_BOGUS_COMMENT;
                    i++;
                }
            }
            else if (c == '?') {
                state = S_BOGUS_COMMENT; /* the '?' is in the comment */
            }
            else {
                /* a lone '<' is text; the byte after it is data again */
                allowed[i] = 1;
                state = S_DATA;
            }
            break;
        case S_END_TAG_OPEN:
            if (is_alpha(c)) {
                is_end = 1;
                name_len = 0;
                state = S_TAG_NAME;
                continue;
            }
            state = c == '>' ? S_DATA : S_BOGUS_COMMENT;
            if (c == '>')
                i++;
            break;
        case S_TAG_NAME:
            if (is_space(c))
                state = S_BEFORE_ATTR_NAME;
            else if (c == '/')
                state = S_SELF_CLOSING;
            else if (c == '>')
                goto emit;
            else if (name_len < sizeof(name) - 1)
                /* WHATWG: a NUL in a tag name is U+FFFD, so "script\0"
                 * names no raw-text element (a C string would stop at
                 * the NUL and read "script") */
                name[name_len++] = (char)(c == 0 ? 0xFF
                                          : c >= 'A' && c <= 'Z' ? c + 32 : c);
            else
                name_len = sizeof(name); /* too long for any name we know */
            i++;
            break;
        case S_BEFORE_ATTR_NAME:
            if (is_space(c))
                i++;
            else if (c == '/' || c == '>')
                state = S_AFTER_ATTR_NAME;
            else {
                state = S_ATTR_NAME; /* '=' here starts a name */
                i++;
            }
            break;
        case S_ATTR_NAME:
            if (is_space(c) || c == '/' || c == '>')
                state = S_AFTER_ATTR_NAME;
            else {
                if (c == '=')
                    state = S_BEFORE_ATTR_VALUE;
                i++;
            }
            break;
        case S_AFTER_ATTR_NAME:
            if (is_space(c))
                i++;
            else if (c == '/') {
                state = S_SELF_CLOSING;
                i++;
            }
            else if (c == '=') {
                state = S_BEFORE_ATTR_VALUE;
                i++;
            }
            else if (c == '>')
                goto emit;
            else
                state = S_ATTR_NAME;
            break;
        case S_BEFORE_ATTR_VALUE:
            if (is_space(c))
                i++;
            else if (c == '"' || c == '\'') {
                state = c == '"' ? S_VALUE_DQ : S_VALUE_SQ;
                i++;
            }
            else if (c == '>')
                goto emit;
            else
                state = S_VALUE_UNQ;
            break;
        case S_VALUE_DQ:
        case S_VALUE_SQ:
            if (c == (state == S_VALUE_DQ ? '"' : '\''))
                state = S_AFTER_VALUE_QUOTED;
            i++;
            break;
        case S_VALUE_UNQ:
            if (is_space(c))
                state = S_BEFORE_ATTR_NAME;
            else if (c == '>')
                goto emit;
            i++;
            break;
        case S_AFTER_VALUE_QUOTED:
            if (is_space(c))
                state = S_BEFORE_ATTR_NAME;
            else if (c == '/')
                state = S_SELF_CLOSING;
            else if (c == '>')
                goto emit;
            else {
                state = S_BEFORE_ATTR_NAME;
                continue;
            }
            i++;
            break;
        case S_SELF_CLOSING:
            if (c == '>')
                goto emit;
            state = S_BEFORE_ATTR_NAME;
            break;
        case S_BOGUS_COMMENT:
        case S_DOCTYPE:
            if (c == '>')
                state = S_DATA;
            i++;
            break;
        case S_COMMENT_START:
        case S_COMMENT_START_DASH:
            if (c == '>') {
                state = S_DATA;
                i++;
            }
            else if (c == '-') {
                state = state == S_COMMENT_START ? S_COMMENT_START_DASH
                                                 : S_COMMENT_END;
                i++;
            }
            else
                state = S_COMMENT;
            break;
        case S_COMMENT:
            if (c == '-')
                state = S_COMMENT_END_DASH;
            i++;
            break;
        case S_COMMENT_END_DASH:
            if (c == '-') {
                state = S_COMMENT_END;
                i++;
            }
            else
                state = S_COMMENT;
            break;
        case S_COMMENT_END:
            if (c == '>')
                state = S_DATA;
            else if (c == '!')
                state = S_COMMENT_END_BANG;
            else if (c != '-') {
                state = S_COMMENT;
                continue;
            }
            i++;
            break;
        case S_COMMENT_END_BANG:
            if (c == '-') {
                state = S_COMMENT_END_DASH;
                i++;
            }
            else if (c == '>') {
                state = S_DATA;
                i++;
            }
            else
                state = S_COMMENT;
            break;
        case S_CDATA:
            if (c == ']' && len - i >= 3 && p[i + 1] == ']' && p[i + 2] == '>') {
                allowed[i + 1] = allowed[i + 2] = 0;
                i += 3;
                state = S_DATA;
            }
            else
                i++;
            break;
        case S_RAW: {
            size_t n = strlen(raw_name);
            if (c == '<' && len - i > n + 2 && p[i + 1] == '/' &&
                !strncasecmp((const char *)p + i + 2, raw_name, n) &&
                (is_space(p[i + 2 + n]) || p[i + 2 + n] == '/' ||
                 p[i + 2 + n] == '>')) {
                state = S_END_TAG_OPEN;
                i += 2;
                allowed[i - 1] = 0;
                raw_name[0] = '\0';
                break;
            }
            i++;
            break;
        }
        case S_SCRIPT:
            if (i == raw_end) {
                state = S_END_TAG_OPEN;
                i += 2;
                allowed[i - 1] = 0;
                break;
            }
            i++;
            break;
        case S_PLAINTEXT:
            i++;
            break;
        }
        continue;
    emit:
        /* c == '>' ends the tag at i */
        i++;
        state = S_DATA;
        if (name_len < sizeof(name)) {
            int self_closing = p[i - 2] == '/';
            name[name_len] = '\0';
            if (!strcmp(name, "svg") || !strcmp(name, "math")) {
                if (is_end && foreign > 0)
                    foreign--;
                else if (!is_end && !self_closing)
                    foreign++;
            }
            else if (!is_end) {
                int kind = raw_kind(name, foreign);
                if (!strcmp(name, "script")) {
                    state = S_SCRIPT;
                    raw_end = script_data_end(p, len, i);
                }
                else if (kind == 1) {
                    state = S_RAW;
                    strcpy(raw_name, name);
                }
                else if (kind == 2)
                    state = S_PLAINTEXT;
            }
        }
    }
    /* At the end: a dangling '<' is text; anything else unfinished (a tag,
     * a comment) is not a place to append to. */
    allowed[len] = state == S_DATA || state == S_TAG_OPEN;
}

/* ------------------------------------------------------------------ */
/* one run of the engine                                               */

typedef struct {
    apr_array_header_t *edits; /* geotag_edit */
    const char *jsonld;        /* rendered JSON-LD element, or NULL */
    apr_size_t jsonld_len;
    geotag_status status;
    int mentions;
    geotag_session *session;
} run_result;

static void drain(geotag_session *s, run_result *r, apr_off_t stable,
                  apr_off_t fed)
{
    geotag_edit e;
    while (geotag_session_next_edit(s, &e)) {
        fuzz_check(e.offset >= stable,
                   "edit at %" APR_OFF_T_FMT " below the stable offset %"
                   APR_OFF_T_FMT, e.offset, stable);
        fuzz_check(e.offset <= fed, "edit at %" APR_OFF_T_FMT " past the %"
                   APR_OFF_T_FMT " bytes fed", e.offset, fed);
        *(geotag_edit *)apr_array_push(r->edits) = e;
    }
}

static void run(apr_pool_t *pool, const geotag_options *opt,
                const uint8_t *page, size_t len, uint64_t chunk_seed,
                size_t chunk_scale, run_result *r)
{
    geotag_session *s = geotag_session_create(pool, fuzz_engine(), opt);
    apr_off_t stable = 0, fed = 0;
    size_t at = 0;
    int i;

    memset(r, 0, sizeof(*r));
    r->edits = apr_array_make(pool, 16, sizeof(geotag_edit));
    r->session = s;
    while (at < len) {
        size_t n = len - at;
        apr_off_t now;
        if (chunk_seed)
            n = 1 + (size_t)(fuzz_xorshift(&chunk_seed) % chunk_scale);
        if (n > len - at)
            n = len - at;
        geotag_session_feed(s, (const char *)page + at, n);
        at += n;
        fed += (apr_off_t)n;
        drain(s, r, stable, fed);
        now = geotag_session_stable(s);
        fuzz_check(now >= stable && now <= fed,
                   "stable offset went from %" APR_OFF_T_FMT " to %"
                   APR_OFF_T_FMT " with %" APR_OFF_T_FMT " bytes fed",
                   stable, now, fed);
        stable = now;
    }
    geotag_session_finish(s);
    drain(s, r, stable, fed);
    r->status = geotag_session_status(s);
    r->mentions = geotag_session_mentions(s);
    for (i = 0; i < r->edits->nelts; i++) {
        geotag_edit *e = &APR_ARRAY_IDX(r->edits, i, geotag_edit);
        char unused[GEOTAG_EDIT_RENDER_MAX]; /* the JSON-LD is pool memory */
        if (e->kind == GEOTAG_EDIT_JSONLD)
            r->jsonld = geotag_session_render(s, e, pool, unused,
                                              &r->jsonld_len);
    }
}

static int same_edit(const geotag_edit *a, const geotag_edit *b)
{
    if (a->offset != b->offset || a->kind != b->kind)
        return 0;
    if (a->kind == GEOTAG_EDIT_OPEN_ENTITY)
        return a->entity == b->entity;
    if (a->kind == GEOTAG_EDIT_OPEN_FIGURE || a->kind == GEOTAG_EDIT_OPEN_DATE)
        return a->figure_kind == b->figure_kind &&
               !strncmp(a->value, b->value, sizeof(a->value));
    return 1;
}

/* What a rendered insertion may look like: one ASCII element, or the
 * JSON-LD script with nothing but JSON (no '<') inside. */
static void check_rendering(const geotag_edit *e, const char *bytes,
                            apr_size_t len)
{
    apr_size_t i, lts = 0;
    fuzz_check(len >= 3 && bytes[0] == '<' && bytes[len - 1] == '>',
               "edit kind %d renders as no element", e->kind);
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)bytes[i];
        fuzz_check(c >= 0x20 && c < 0x7f, "edit kind %d renders byte 0x%02x",
                   e->kind, c);
        lts += c == '<';
    }
    if (e->kind == GEOTAG_EDIT_JSONLD) {
        static const char close[] = "</script>";
        fuzz_check(lts == 2 && len > sizeof(close) &&
                   !memcmp(bytes + len - (sizeof(close) - 1), close,
                           sizeof(close) - 1),
                   "the JSON-LD element is not one script: %.*s", (int)len,
                   bytes);
    }
    else
        fuzz_check(lts == 1, "edit kind %d renders several elements",
                   e->kind);
    if (bytes[1] != '/')
        fuzz_check(memmem(bytes, len, "data-geotag=", 12) != NULL,
                   "an inserted element without data-geotag: %.*s", (int)len,
                   bytes);
}

static void check_edits(apr_pool_t *pool, const run_result *r,
                        const uint8_t *page, size_t len,
                        const unsigned char *allowed)
{
    unsigned char open[64];
    apr_off_t opened_at[64], last = 0;
    int depth = 0, jsonld = 0, i;
    char *out, *back;
    apr_size_t out_len = 0, back_len = 0, at = 0;

    /* offsets, pairing, positions */
    for (i = 0; i < r->edits->nelts; i++) {
        const geotag_edit *e = &APR_ARRAY_IDX(r->edits, i, geotag_edit);
        fuzz_check(e->offset >= last && e->offset <= (apr_off_t)len,
                   "edit %d at %" APR_OFF_T_FMT " after %" APR_OFF_T_FMT
                   " (page of %zu bytes)", i, e->offset, last, len);
        last = e->offset;
        fuzz_check(allowed[e->offset],
                   "edit %d (kind %d) at %" APR_OFF_T_FMT
                   " is inside a tag, comment or raw-text element", i,
                   e->kind, e->offset);
        switch (e->kind) {
        case GEOTAG_EDIT_OPEN_ENTITY:
        case GEOTAG_EDIT_OPEN_FIGURE:
        case GEOTAG_EDIT_OPEN_DATE:
            fuzz_check(depth < 64, "spans nested too deep");
            fuzz_check(e->kind != GEOTAG_EDIT_OPEN_ENTITY ||
                       (e->entity >= 0 &&
                        e->entity < fuzz_engine()->gazetteer->entities->nelts),
                       "entity index %d out of range", (int)e->entity);
            open[depth] = e->kind;
            opened_at[depth++] = e->offset;
            break;
        case GEOTAG_EDIT_CLOSE_ENTITY:
        case GEOTAG_EDIT_CLOSE_FIGURE:
        case GEOTAG_EDIT_CLOSE_DATE:
            fuzz_check(depth > 0 && open[depth - 1] == e->kind - 1,
                       "edit %d closes kind %d, open: %d", i, e->kind,
                       depth ? open[depth - 1] : 0);
            depth--;
            fuzz_check(e->offset > opened_at[depth],
                       "edit %d closes an empty span at %" APR_OFF_T_FMT, i,
                       e->offset);
            break;
        case GEOTAG_EDIT_JSONLD:
            fuzz_check(!jsonld++ && depth == 0,
                       "a second JSON-LD edit, or one inside a span");
            break;
        default:
            fuzz_fail("edit %d of unknown kind %d", i, e->kind);
        }
    }
    fuzz_check(depth == 0, "%d spans left open", depth);

    /* the output as a consumer writes it... */
    for (i = 0; i < r->edits->nelts; i++) {
        const geotag_edit *e = &APR_ARRAY_IDX(r->edits, i, geotag_edit);
        apr_size_t n;
        char buf[GEOTAG_EDIT_RENDER_MAX];
        const char *bytes = geotag_session_render(r->session, e, pool, buf,
                                                  &n);
        check_rendering(e, bytes, n);
        out_len += n;
    }
    out = apr_palloc(pool, out_len + len + 1);
    out_len = 0;
    for (i = 0; i < r->edits->nelts; i++) {
        const geotag_edit *e = &APR_ARRAY_IDX(r->edits, i, geotag_edit);
        apr_size_t n;
        char buf[GEOTAG_EDIT_RENDER_MAX];
        const char *bytes = geotag_session_render(r->session, e, pool, buf,
                                                  &n);
        memcpy(out + out_len, page + at, (apr_size_t)e->offset - at);
        out_len += (apr_size_t)e->offset - at;
        at = (apr_size_t)e->offset;
        memcpy(out + out_len, bytes, n);
        out_len += n;
    }
    memcpy(out + out_len, page + at, len - at);
    out_len += len - at;

    /* ...and unwrapped as a reader who knows only where the insertions
     * start would do it: one of our elements there, up to its '>' (the
     * JSON-LD script up to its "</script>"), then the page again */
    back = apr_palloc(pool, len + 1);
    at = 0;
    for (i = 0; i < r->edits->nelts; i++) {
        const geotag_edit *e = &APR_ARRAY_IDX(r->edits, i, geotag_edit);
        apr_size_t upto = at + ((apr_size_t)e->offset - back_len);
        const char *end;
        fuzz_check(upto <= out_len, "edit %d past the output", i);
        memcpy(back + back_len, out + at, upto - at);
        back_len += upto - at;
        if (e->kind == GEOTAG_EDIT_JSONLD) {
            static const char open[] = "<script type=\"application/ld+json\" "
                                       "id=\"geotag-jsonld\" "
                                       "data-geotag=\"jsonld\">";
            fuzz_check(out_len - upto > sizeof(open) &&
                       !memcmp(out + upto, open, sizeof(open) - 1),
                       "the JSON-LD insertion does not start as it should");
            end = memmem(out + upto, out_len - upto, "</script>", 9);
            fuzz_check(end != NULL, "the JSON-LD script is not closed");
            end += 8;
        }
        else {
            static const char *const names[] = { "", "<span ", "</span>",
                                                 "<data ", "</data>",
                                                 "<time ", "</time>" };
            const char *want = names[e->kind];
            fuzz_check(!strncmp(out + upto, want, strlen(want)),
                       "edit %d (kind %d) is not a %s element", i, e->kind,
                       want);
            end = memchr(out + upto, '>', out_len - upto);
            fuzz_check(end != NULL, "edit %d is not closed by '>'", i);
        }
        at = (apr_size_t)(end + 1 - out);
    }
    fuzz_check(back_len + (out_len - at) == len,
               "the unwrapped output has %zu bytes, the page %zu",
               back_len + (out_len - at), len);
    memcpy(back + back_len, out + at, out_len - at);
    fuzz_check(!memcmp(back, page, len),
               "the output without its insertions is not the page");
}

/* What the cache would store for this run must read back. */
static void check_cache_entry(apr_pool_t *pool, run_result *r)
{
    geotag_result res, back;
    unsigned char *bytes;
    apr_size_t n;
    memset(&res, 0, sizeof(res));
    res.edits = r->edits;
    res.doc = *geotag_session_doc(r->session);
    res.status = (int)r->status;
    res.mentions = r->mentions;
    if (geotag_result_serialize(pool, &res, &bytes, &n) != APR_SUCCESS)
        return; /* not representable (a long string): not cached */
    fuzz_check(geotag_result_parse(pool, bytes, n, fuzz_engine()->gazetteer,
                                   &back) == APR_SUCCESS,
               "the cache entry of this page does not parse back");
    fuzz_check(back.edits->nelts == res.edits->nelts,
               "the cache entry has %d edits, the page %d", back.edits->nelts,
               res.edits->nelts);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *pool;
    geotag_options opt;
    run_result whole, chunked;
    uint64_t h = fuzz_hash(data, size);
    static const size_t scales[] = { 1, 3, 16, 200, 4096 };
    unsigned char *allowed;
    int i;

    fuzz_engine();
    apr_pool_create(&pool, fuzz_root_pool());
    geotag_options_default(&opt);
    /* options from the hash too: mostly the defaults (what a server
     * runs), sometimes every other mode and tiny caps */
    if ((h >> 8) % 4 == 0) {
        opt.markup = (geotag_markup_mode)((h >> 12) % 3);
        opt.first_only = (int)((h >> 14) & 1);
        opt.types = (unsigned)((h >> 15) % 15) + 1;
        opt.lang = (h >> 19) & 1 ? ((h >> 20) & 1 ? "it" : "en") : NULL;
        if ((h >> 21) & 1) {
            opt.limits.text_buffer = 1;
            opt.limits.page_jsonld = 64;
            opt.limits.entities = 2;
            opt.limits.mentions = 3;
            opt.limits.about = 1;
            opt.limits.jsonld_mentions = 1;
            opt.limits.jsonld_figures = 1;
            opt.limits.hold = 100;
        }
    }

    run(pool, &opt, data, size, 0, 0, &whole);
    allowed = apr_palloc(pool, size + 1);
    scan_allowed(data, size, allowed);
    check_edits(pool, &whole, data, size, allowed);
    check_cache_entry(pool, &whole);

    run(pool, &opt, data, size, h, scales[(h >> 4) % 5], &chunked);
    fuzz_check(chunked.status == whole.status &&
                   chunked.mentions == whole.mentions,
               "chunked: status %d, %d mentions; whole: status %d, %d "
               "mentions", chunked.status, chunked.mentions, whole.status,
               whole.mentions);
    fuzz_check(chunked.edits->nelts == whole.edits->nelts,
               "chunked: %d edits; whole: %d", chunked.edits->nelts,
               whole.edits->nelts);
    for (i = 0; i < whole.edits->nelts; i++)
        fuzz_check(same_edit(&APR_ARRAY_IDX(whole.edits, i, geotag_edit),
                             &APR_ARRAY_IDX(chunked.edits, i, geotag_edit)),
                   "edit %d differs between whole and chunked input", i);
    fuzz_check(chunked.jsonld_len == whole.jsonld_len &&
                   (!whole.jsonld ||
                    !memcmp(chunked.jsonld, whole.jsonld, whole.jsonld_len)),
               "the JSON-LD differs between whole and chunked input");

    apr_pool_destroy(pool);
    return 0;
}
