/*
 * test_lexer.c: the streaming HTML tokenizer, checked for what the
 * annotator relies on: exact offsets, the same events whatever the
 * chunking, an exact pending_start(), and every byte accounted for.
 *
 * A recorder turns the events into a log such as
 *   T(0,6,DATA)"hello " E@6 <p class="x">@6-19 T(19,20,DATA)"w" E@20
 * where adjacent text pieces of one run are merged, since only the run,
 * not its split into pieces, is part of the contract.  Each document is
 * fed whole, one byte at a time and in 200 pseudo-random chunkings; the
 * logs must be identical.
 */
#include <stdlib.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "lexer.h"
#include "tap.h"

/* ---- the recorder ----------------------------------------------------- */

typedef struct {
    char *data;
    size_t len, cap;
} test_buf;

static void buf_add(test_buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->data = realloc(b->data, b->cap);
        if (b->data == NULL)
            abort();
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void buf_str(test_buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

static void buf_printf(test_buf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    buf_add(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

/* Text shown in the log: escaped, and abbreviated when long. */
static void buf_quoted(test_buf *b, const char *s, size_t n)
{
    size_t i;

    if (n > 60) {
        buf_printf(b, "[%zu bytes]", n);
        return;
    }
    buf_str(b, "\"");
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n')
            buf_str(b, "\\n");
        else if (c == '"' || c == '\\')
            buf_printf(b, "\\%c", c);
        else if (c < 0x20 || c >= 0x7f)
            buf_printf(b, "\\x%02x", c);
        else
            buf_add(b, (const char *)&c, 1);
    }
    buf_str(b, "\"");
}

static const char *kind_name(geotag_text_kind kind)
{
    switch (kind) {
    case GEOTAG_TEXT_DATA:
        return "DATA";
    case GEOTAG_TEXT_RCDATA:
        return "RCDATA";
    case GEOTAG_TEXT_RAWTEXT:
        return "RAWTEXT";
    default:
        return "PLAINTEXT";
    }
}

static const char *element_name(geotag_element el)
{
    switch (el) {
    case GEOTAG_EL_OTHER:
        return "other";
    case GEOTAG_EL_SCRIPT:
        return "script";
    case GEOTAG_EL_STYLE:
        return "style";
    case GEOTAG_EL_TITLE:
        return "title";
    case GEOTAG_EL_TEXTAREA:
        return "textarea";
    case GEOTAG_EL_XMP:
        return "xmp";
    case GEOTAG_EL_IFRAME:
        return "iframe";
    case GEOTAG_EL_NOEMBED:
        return "noembed";
    case GEOTAG_EL_NOFRAMES:
        return "noframes";
    case GEOTAG_EL_NOSCRIPT:
        return "noscript";
    case GEOTAG_EL_PLAINTEXT:
        return "plaintext";
    default:
        return "?";
    }
}

typedef struct {
    const char *input;
    size_t input_len;
    test_buf log;
    /* the text run being merged */
    int have_text;
    apr_off_t text_start, text_end;
    geotag_text_kind text_kind;
    geotag_element text_container;
    test_buf text;
    /* checks made as events arrive */
    unsigned char *cover; /* per input byte: 0, 'T' (text) or 'G' (tag) */
    int run_has_text;     /* text since the last run_end */
    apr_off_t last_text_end;
    apr_off_t floor;      /* pending_start() before the current feed */
    int errors;
    char first_error[256];
    /* tag ranges, for the pending_start() checks */
    apr_off_t *tag_start, *tag_end;
    int n_tags, cap_tags;
    /* seed page counters */
    int p_start_tags;
    int data_has_datalayer, raw_has_datalayer;
} recorder;

static void rec_error(recorder *r, const char *fmt, ...)
{
    if (r->errors++ == 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->first_error, sizeof(r->first_error), fmt, ap);
        va_end(ap);
    }
}

static void rec_flush_text(recorder *r)
{
    if (!r->have_text)
        return;
    buf_printf(&r->log, "T(%lld,%lld,%s", (long long)r->text_start,
               (long long)r->text_end, kind_name(r->text_kind));
    if (r->text_kind != GEOTAG_TEXT_DATA)
        buf_printf(&r->log, ":%s", element_name(r->text_container));
    buf_str(&r->log, ")");
    buf_quoted(&r->log, r->text.data, r->text.len);
    buf_str(&r->log, " ");
    if (memmem(r->text.data, r->text.len, "window.dataLayer", 16)) {
        if (r->text_kind == GEOTAG_TEXT_DATA)
            r->data_has_datalayer = 1;
        else
            r->raw_has_datalayer = 1;
    }
    r->have_text = 0;
    r->text.len = 0;
}

static void rec_mark(recorder *r, apr_off_t from, apr_off_t to,
                     unsigned char what)
{
    apr_off_t i;

    if (from < 0 || to > (apr_off_t)r->input_len || from > to) {
        rec_error(r, "range %lld-%lld outside the input", (long long)from,
                  (long long)to);
        return;
    }
    for (i = from; i < to; i++) {
        if (r->cover[i])
            rec_error(r, "byte %lld reported twice (%c then %c)",
                      (long long)i, r->cover[i], what);
        r->cover[i] = what;
    }
}

static void rec_text(void *baton, apr_off_t offset, const char *data,
                     apr_size_t len, geotag_text_kind kind,
                     geotag_element container)
{
    recorder *r = baton;

    if (len == 0)
        rec_error(r, "empty text piece at %lld", (long long)offset);
    if (offset < r->floor)
        rec_error(r, "text at %lld before pending start %lld",
                  (long long)offset, (long long)r->floor);
    if (offset < r->last_text_end)
        rec_error(r, "text at %lld goes backwards", (long long)offset);
    if (offset >= 0 && offset + (apr_off_t)len <= (apr_off_t)r->input_len &&
        memcmp(r->input + offset, data, len) != 0)
        rec_error(r, "text at %lld differs from the input", (long long)offset);
    rec_mark(r, offset, offset + (apr_off_t)len, 'T');
    r->last_text_end = offset + (apr_off_t)len;
    r->run_has_text = 1;

    if (r->have_text && r->text_end == offset && r->text_kind == kind &&
        r->text_container == container) {
        buf_add(&r->text, data, len);
        r->text_end += (apr_off_t)len;
        return;
    }
    rec_flush_text(r);
    r->have_text = 1;
    r->text_start = offset;
    r->text_end = offset + (apr_off_t)len;
    r->text_kind = kind;
    r->text_container = container;
    buf_add(&r->text, data, len);
}

static void rec_run_end(void *baton, apr_off_t offset)
{
    recorder *r = baton;

    rec_flush_text(r);
    buf_printf(&r->log, "E@%lld ", (long long)offset);
    if (!r->run_has_text)
        rec_error(r, "run_end at %lld without a run", (long long)offset);
    if (offset < r->floor)
        rec_error(r, "run_end at %lld before pending start %lld",
                  (long long)offset, (long long)r->floor);
    if (offset != r->last_text_end)
        rec_error(r, "run_end at %lld, the run ended at %lld",
                  (long long)offset, (long long)r->last_text_end);
    if (offset < (apr_off_t)r->input_len && r->input[offset] != '<')
        rec_error(r, "run_end at %lld is not at a '<'", (long long)offset);
    r->run_has_text = 0;
}

static void rec_tag(void *baton, const geotag_tag *tag)
{
    recorder *r = baton;
    size_t skip = tag->is_end ? 2 : 1, name_len = strlen(tag->name);
    int a;

    rec_flush_text(r);
    buf_printf(&r->log, "<%s%s", tag->is_end ? "/" : "", tag->name);
    for (a = 0; a < tag->n_attrs; a++) {
        const geotag_attr *attr = &tag->attrs[a];
        buf_printf(&r->log, " %s=", attr->name);
        buf_quoted(&r->log, attr->value, attr->value_len);
        if (attr->truncated)
            buf_str(&r->log, "~");
        if (strlen(attr->value) != attr->value_len)
            rec_error(r, "attribute %s: value_len is not its length",
                      attr->name);
    }
    buf_printf(&r->log, "%s>%s@%lld-%lld ", tag->self_closing ? "/" : "",
               tag->attrs_truncated ? "!" : "", (long long)tag->start,
               (long long)tag->end);

    if (tag->start < r->floor)
        rec_error(r, "tag at %lld before pending start %lld",
                  (long long)tag->start, (long long)r->floor);
    if (r->run_has_text)
        rec_error(r, "tag at %lld while a text run is open",
                  (long long)tag->start);
    /* The bytes at [start, end) are exactly the tag. */
    if (tag->start < 0 || tag->end > (apr_off_t)r->input_len ||
        tag->end - tag->start < (apr_off_t)(skip + 1) ||
        r->input[tag->start] != '<' || r->input[tag->end - 1] != '>' ||
        (tag->is_end && r->input[tag->start + 1] != '/')) {
        rec_error(r, "tag %s at %lld-%lld is not '<...>' in the input",
                  tag->name, (long long)tag->start, (long long)tag->end);
    } else {
        size_t i;
        for (i = 0; i < name_len && tag->start + (apr_off_t)(skip + i) <
                                        tag->end; i++) {
            unsigned char c = (unsigned char)r->input[tag->start + skip + i];
            if (c >= 'A' && c <= 'Z')
                c |= 0x20;
            if (c != (unsigned char)tag->name[i]) {
                rec_error(r, "tag %s at %lld: name differs from the input",
                          tag->name, (long long)tag->start);
                break;
            }
        }
    }
    rec_mark(r, tag->start, tag->end, 'G');
    if (r->n_tags == r->cap_tags) {
        r->cap_tags = r->cap_tags ? r->cap_tags * 2 : 64;
        r->tag_start = realloc(r->tag_start,
                               (size_t)r->cap_tags * sizeof(apr_off_t));
        r->tag_end = realloc(r->tag_end,
                             (size_t)r->cap_tags * sizeof(apr_off_t));
        if (r->tag_start == NULL || r->tag_end == NULL)
            abort();
    }
    r->tag_start[r->n_tags] = tag->start;
    r->tag_end[r->n_tags++] = tag->end;
    if (!tag->is_end && tag->element == GEOTAG_EL_P)
        r->p_start_tags++;
}

static const geotag_lexer_handler rec_handler = {rec_tag, rec_text,
                                                 rec_run_end};

static void rec_init(recorder *r, const char *input, size_t len)
{
    memset(r, 0, sizeof(*r));
    r->input = input;
    r->input_len = len;
    r->cover = calloc(len + 1, 1);
    buf_str(&r->log, "");
    buf_str(&r->text, "");
}

static void rec_free(recorder *r)
{
    free(r->log.data);
    free(r->text.data);
    free(r->cover);
    free(r->tag_start);
    free(r->tag_end);
}

/* After the end: the bytes no event reported must be comments, doctypes,
 * bogus comments, CDATA sections or an unfinished tag at the end. */
static void rec_check_holes(recorder *r)
{
    size_t i = 0, n = r->input_len;

    while (i < n) {
        size_t j;
        if (r->cover[i]) {
            i++;
            continue;
        }
        for (j = i; j < n && !r->cover[j]; j++)
            ;
        if (r->input[i] != '<' || i + 1 >= n)
            rec_error(r, "unreported bytes at %zu do not start a token", i);
        else if (j < n && r->input[j - 1] != '>')
            rec_error(r, "unreported bytes at %zu-%zu do not end at '>'", i,
                      j);
        else if (j < n && r->input[i + 1] != '!' && r->input[i + 1] != '?' &&
                 r->input[i + 1] != '/')
            rec_error(r, "unreported bytes at %zu-%zu are not a comment", i,
                      j);
        i = j;
    }
}

/* ---- feeding ----------------------------------------------------------- */

static unsigned long long rng_state;

static unsigned rng_next(void)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)(rng_state >> 33);
}

/* pending_start() after 'fed' bytes, checked against the whole-feed run. */
static void check_pending(const recorder *ref, recorder *r,
                          const geotag_lexer *lexer, size_t fed)
{
    apr_off_t pending = geotag_lexer_pending_start(lexer);
    apr_off_t b = (apr_off_t)fed;
    size_t i, from;
    int t;

    if (geotag_lexer_offset(lexer) != b)
        rec_error(r, "offset %lld after %zu bytes",
                  (long long)geotag_lexer_offset(lexer), fed);
    if (pending > b || pending < 0) {
        rec_error(r, "pending %lld outside 0..%lld", (long long)pending,
                  (long long)b);
        return;
    }
    for (t = 0; t < ref->n_tags; t++) {
        if (ref->tag_start[t] < b && b < ref->tag_end[t]) {
            if (pending != ref->tag_start[t])
                rec_error(r, "pending %lld inside tag %lld-%lld",
                          (long long)pending, (long long)ref->tag_start[t],
                          (long long)ref->tag_end[t]);
            return;
        }
        if (ref->tag_end[t] == b) {
            if (pending != b)
                rec_error(r, "pending %lld right after a tag ending at %lld",
                          (long long)pending, (long long)b);
            return;
        }
    }
    if (fed == 0 || fed >= ref->input_len)
        return;
    if (!ref->cover[fed - 1]) {
        /* inside a comment, doctype ...: its '<' is pending; right after
         * its '>' (or a '>' inside it), possibly nothing */
        if (pending == b ? ref->input[fed - 1] != '>'
                         : ref->input[pending] != '<' || ref->cover[pending])
            rec_error(r, "pending %lld inside a comment at %zu",
                      (long long)pending, fed);
        return;
    }
    /* In plain text with no '<' nearby, nothing may be pending. */
    from = fed > 12 ? fed - 12 : 0;
    for (i = from; i < fed; i++) {
        if (ref->input[i] == '<')
            return;
    }
    if (ref->cover[fed - 1] == 'T' && pending != b)
        rec_error(r, "pending %lld in plain text at %zu", (long long)pending,
                  fed);
}

/*
 * Feeds 'input' in chunks: mode 0 whole, 1 one byte at a time, 2 random
 * sizes.  'ref' (the whole-feed recording) enables the pending checks.
 */
static void feed_doc(apr_pool_t *pool, recorder *r, const recorder *ref,
                     const char *input, size_t len, int mode)
{
    geotag_lexer *lexer = geotag_lexer_create(pool, &rec_handler, r);
    size_t fed = 0;
    unsigned max = 1 + (unsigned)(len / 3);

    if (ref)
        check_pending(ref, r, lexer, 0);
    while (fed < len) {
        size_t n = len - fed;
        if (mode == 1)
            n = 1;
        else if (mode == 2) {
            /* mostly tiny chunks, so that boundaries fall inside tokens */
            size_t want = (rng_next() % 4 == 0) ? 1 + rng_next() % max
                                                : 1 + rng_next() % 5;
            if (want < n)
                n = want;
        }
        r->floor = geotag_lexer_pending_start(lexer);
        geotag_lexer_feed(lexer, input + fed, n);
        fed += n;
        if (ref)
            check_pending(ref, r, lexer, fed);
    }
    r->floor = geotag_lexer_pending_start(lexer);
    geotag_lexer_finish(lexer);
    rec_flush_text(r);
    if (r->run_has_text)
        rec_error(r, "text run still open after finish");
    if (geotag_lexer_pending_start(lexer) != (apr_off_t)len)
        rec_error(r, "pending %lld after finish",
                  (long long)geotag_lexer_pending_start(lexer));
}

/*
 * The four standard checks on one document; 'want' (may be NULL) is the
 * expected log.  The recorder of the whole feed is left in 'whole' for
 * further checks when the caller passes one.
 */
static void check_doc(apr_pool_t *pool, const char *name, const char *input,
                      size_t len, const char *want, recorder *whole_out)
{
    recorder whole, other;
    int k, same = 1, errors = 0;
    char first[300] = "";

    rec_init(&whole, input, len);
    feed_doc(pool, &whole, NULL, input, len, 0);
    rec_check_holes(&whole);
    if (want)
        is_str(whole.log.data, want, name);
    if (!ok(whole.errors == 0, "%s: offsets exact, every byte accounted for",
            name))
        tap_diag("%d errors, first: %s", whole.errors, whole.first_error);

    rng_state = 20240601ULL + len;
    for (k = 0; k < 201; k++) {
        rec_init(&other, input, len);
        feed_doc(pool, &other, &whole, input, len, k == 0 ? 1 : 2);
        if (strcmp(other.log.data, whole.log.data) != 0) {
            if (same)
                tap_diag("chunking %d: %s", k, other.log.data);
            same = 0;
        }
        if (other.errors && errors++ == 0)
            snprintf(first, sizeof(first), "chunking %d: %s", k,
                     other.first_error);
        rec_free(&other);
    }
    ok(same, "%s: same events fed whole, by 1 byte, in 200 chunkings", name);
    if (!ok(errors == 0, "%s: pending_start exact at every boundary", name))
        tap_diag("%d chunkings with errors, %s", errors, first);

    if (whole_out)
        *whole_out = whole;
    else
        rec_free(&whole);
}

#define DOC(pool, name, input, want) \
    check_doc(pool, name, input, sizeof(input) - 1, want, NULL)

/* ---- documents --------------------------------------------------------- */

static void test_documents(apr_pool_t *pool)
{
    DOC(pool, "plain text and a paragraph", "hello <p class=\"x\">world</p>",
        "T(0,6,DATA)\"hello \" E@6 <p class=\"x\">@6-19 "
        "T(19,24,DATA)\"world\" E@24 </p>@24-28 ");

    DOC(pool, "every quoting, '>' inside quoted values",
        "<a href=\"x>y\" title='a\"b>' data-x=unq/ id = \"sp\" checked "
        "empty=\"\">t</a><img alt='a > b' src=c>d>",
        "<a href=\"x>y\" title=\"a\\\"b>\" data-x=\"unq/\" id=\"sp\" "
        "checked=\"\" empty=\"\">@0-66 T(66,67,DATA)\"t\" E@67 </a>@67-71 "
        "<img alt=\"a > b\" src=\"c\">@71-94 T(94,96,DATA)\"d>\" E@96 ");

    DOC(pool, "comments: --!>, <!-->, <!--->, dashes",
        "a<!-- x --!>b<!-->c<!--->d<!-- -- --->e<!-- a -- b -->f"
        "<!-- <!-- nested -->g<!--x--!-->h<!-x>i",
        "T(0,1,DATA)\"a\" E@1 T(12,13,DATA)\"b\" E@13 T(18,19,DATA)\"c\" "
        "E@19 T(25,26,DATA)\"d\" E@26 T(38,39,DATA)\"e\" E@39 "
        "T(54,55,DATA)\"f\" E@55 T(75,76,DATA)\"g\" E@76 "
        "T(87,88,DATA)\"h\" E@88 T(93,94,DATA)\"i\" E@94 ");

    DOC(pool, "doctype, ends at the first '>' even when quoted",
        "<!DoCtYpE html>x<!doctype html PUBLIC \"a>b\">y",
        "T(15,16,DATA)\"x\" E@16 T(41,45,DATA)\"b\\\">y\" E@45 ");

    DOC(pool, "script: </scr, \"</script\", <!--, then the end tag",
        "<script>if (a</scr) x=\"</script\"; s='<!--'; y = 1</script>z"
        "<SCRIPT type=x>a</SCRIPT\t>after</script >",
        "<script>@0-8 T(8,49,RAWTEXT:script)\"if (a</scr) x=\\\"</script\\\"; "
        "s='<!--'; y = 1\" E@49 </script>@49-58 T(58,59,DATA)\"z\" E@59 "
        "<script type=\"x\">@59-74 T(74,75,RAWTEXT:script)\"a\" E@75 "
        "</script>@75-85 T(85,90,DATA)\"after\" E@90 </script>@90-100 ");

    DOC(pool, "script: double-escaped <!--<script>...</script>-->",
        "<script><!--<script>x</script>y--></script>z<script><!-- a "
        "</script>b",
        "<script>@0-8 T(8,34,RAWTEXT:script)\"<!--<script>x</script>y-->\" "
        "E@34 </script>@34-43 T(43,44,DATA)\"z\" E@44 <script>@44-52 "
        "T(52,59,RAWTEXT:script)\"<!-- a \" E@59 </script>@59-68 "
        "T(68,69,DATA)\"b\" E@69 ");

    DOC(pool, "script: '<' runs, <</script>, </script/ and end tag "
        "with attributes",
        "<script><<</script/><script>a<b</scriptx></script foo=\"a>b\">c",
        "<script>@0-8 T(8,10,RAWTEXT:script)\"<<\" E@10 </script/>@10-20 "
        "<script>@20-28 T(28,41,RAWTEXT:script)\"a<b</scriptx>\" E@41 "
        "</script foo=\"a>b\">@41-60 T(60,61,DATA)\"c\" E@61 ");

    DOC(pool, "script: unterminated end tag at EOF is text",
        "<script>x</script",
        "<script>@0-8 T(8,17,RAWTEXT:script)\"x</script\" E@17 ");

    DOC(pool, "style, raw text with a spaced end tag",
        "<style>p>a{x:\"</p>\"}</style >x</STYLE>",
        "<style>@0-7 T(7,20,RAWTEXT:style)\"p>a{x:\\\"</p>\\\"}\" E@20 "
        "</style>@20-29 T(29,30,DATA)\"x\" E@30 </style>@30-38 ");

    DOC(pool, "title and textarea are RCDATA, char refs untouched",
        "<title>A &amp; <b>B</b></title><textarea name=t><p>x</textare"
        "</textarea>",
        "<title>@0-7 T(7,23,RCDATA:title)\"A &amp; <b>B</b>\" E@23 "
        "</title>@23-31 <textarea name=\"t\">@31-48 "
        "T(48,61,RCDATA:textarea)\"<p>x</textare\" E@61 </textarea>@61-72 ");

    DOC(pool, "xmp, iframe, noscript, noembed, noframes are raw text",
        "<xmp><b>x</b></xmp><iframe><p></iframe><noscript><i></noscript>"
        "<noembed><a></noembed><noframes><u></noframes>",
        "<xmp>@0-5 T(5,13,RAWTEXT:xmp)\"<b>x</b>\" E@13 </xmp>@13-19 "
        "<iframe>@19-27 T(27,30,RAWTEXT:iframe)\"<p>\" E@30 "
        "</iframe>@30-39 <noscript>@39-49 T(49,52,RAWTEXT:noscript)\"<i>\" "
        "E@52 </noscript>@52-63 <noembed>@63-72 "
        "T(72,75,RAWTEXT:noembed)\"<a>\" E@75 </noembed>@75-85 "
        "<noframes>@85-95 T(95,98,RAWTEXT:noframes)\"<u>\" E@98 "
        "</noframes>@98-109 ");

    DOC(pool, "CDATA only in svg/math, a bogus comment elsewhere",
        "<![CDATA[a>b]]>c<svg><![CDATA[x<y>]]>z]]></svg>d"
        "<math><![CDATA[]]]]>]]></math><![CDATA[e]]>",
        "T(11,16,DATA)\"b]]>c\" E@16 <svg>@16-21 T(37,41,DATA)\"z]]>\" "
        "E@41 </svg>@41-47 T(47,48,DATA)\"d\" E@48 <math>@48-54 "
        "T(68,71,DATA)\"]]>\" E@71 </math>@71-78 ");

    DOC(pool, "svg: style/script raw, title is not RCDATA",
        "<svg><style>a<b></style><title>t<b>u</b></title><svg/></svg>"
        "<title>x<b></title>",
        "<svg>@0-5 <style>@5-12 T(12,16,RAWTEXT:style)\"a<b>\" E@16 "
        "</style>@16-24 <title>@24-31 T(31,32,DATA)\"t\" E@32 <b>@32-35 "
        "T(35,36,DATA)\"u\" E@36 </b>@36-40 </title>@40-48 <svg/>@48-54 "
        "</svg>@54-60 <title>@60-67 T(67,71,RCDATA:title)\"x<b>\" E@71 "
        "</title>@71-79 ");

    DOC(pool, "plaintext runs to the end",
        "<p>a<plaintext>b</plaintext><p>c",
        "<p>@0-3 T(3,4,DATA)\"a\" E@4 <plaintext>@4-15 "
        "T(15,32,PLAINTEXT:plaintext)\"b</plaintext><p>c\" E@32 ");

    DOC(pool, "upper case tags and attribute names are lower-cased",
        "<P CLASS=X Data-Geotag='Off'>Y</P>",
        "<p class=\"X\" data-geotag=\"Off\">@0-29 T(29,30,DATA)\"Y\" E@30 "
        "</p>@30-34 ");

    DOC(pool, "unterminated tag at EOF produces no tag",
        "text <p class=\"x", "T(0,5,DATA)\"text \" E@5 ");

    DOC(pool, "'<' before space, digit, '=' or EOF is text",
        "a < b <3 c<=d <\xc3\xa9 e<",
        "T(0,20,DATA)\"a < b <3 c<=d <\\xc3\\xa9 e<\" E@20 ");

    DOC(pool, "</>, </ x>, <?pi?> and </ at EOF",
        "a</>b</ x>c<?xml y?>d</",
        "T(0,1,DATA)\"a\" E@1 T(4,5,DATA)\"b\" E@5 T(10,11,DATA)\"c\" E@11 "
        "T(20,23,DATA)\"d</\" E@23 ");

    DOC(pool, "odd attribute syntax: leading '=', quotes in names, "
        "missing spaces",
        "<a =b c\"d e='f'g <h / i=j/>",
        "<a =b=\"\" c\"d=\"\" e=\"f\" g=\"\" <h=\"\" i=\"j/\">@0-27 ");

    DOC(pool, "white space of every kind, self-closing",
        "<p\tclass\n=\r'x'\f><br/><a/b><p/ >",
        "<p class=\"x\">@0-16 <br/>@16-21 <a b=\"\">@21-26 <p>@26-31 ");

    DOC(pool, "duplicate attributes: the first one wins",
        "<p id=a ID=b id=c class=d>",
        "<p id=\"a\" class=\"d\">@0-26 ");

    DOC(pool, "self-closing <script/> still starts raw text",
        "<script/>x<b></script>y",
        "<script/>@0-9 T(9,13,RAWTEXT:script)\"x<b>\" E@13 "
        "</script>@13-22 T(22,23,DATA)\"y\" E@23 ");
}

/* ---- caps and the small API -------------------------------------------- */

typedef struct {
    int calls;
    geotag_tag first;
    char values[8][64];
    size_t value_len[8];
    int present[8];
    int truncated[8];
} capture;

static const char *const probe_names[8] = {"id", "class", "href", "a0",
                                           "a23", "a24", "data-long",
                                           "missing"};

static void capture_tag(void *baton, const geotag_tag *tag)
{
    capture *c = baton;
    int i;

    if (c->calls++ > 0)
        return;
    c->first = *tag;
    for (i = 0; i < 8; i++) {
        const geotag_attr *a = geotag_tag_attr(tag, probe_names[i]);
        c->present[i] = a != NULL;
        if (a) {
            snprintf(c->values[i], sizeof(c->values[i]), "%s", a->value);
            c->value_len[i] = a->value_len;
            c->truncated[i] = a->truncated;
        }
    }
}

static capture *capture_first(apr_pool_t *pool, const char *input,
                              size_t len, size_t chunk)
{
    static capture c;
    geotag_lexer_handler handler = {capture_tag, NULL, NULL};
    geotag_lexer *lexer;
    size_t fed = 0;

    memset(&c, 0, sizeof(c));
    lexer = geotag_lexer_create(pool, &handler, &c);
    while (fed < len) {
        size_t n = len - fed < chunk ? len - fed : chunk;
        geotag_lexer_feed(lexer, input + fed, n);
        fed += n;
    }
    geotag_lexer_finish(lexer);
    return &c;
}

static void test_caps(apr_pool_t *pool)
{
    char *doc = malloc(20000);
    size_t n;
    int i;
    capture *c;

    /* A value past the 4096-byte budget is cut, the tag still ends right. */
    n = (size_t)sprintf(doc, "<div data-long=\"");
    memset(doc + n, 'v', 5000);
    n += 5000;
    n += (size_t)sprintf(doc + n, "\" id=late>x</div>");
    check_doc(pool, "5000-byte attribute value", doc, n, NULL, NULL);
    c = capture_first(pool, doc, n, 7);
    ok(c->present[6] && c->value_len[6] == 4096 - 9 && c->truncated[6],
       "long value cut at the budget (4096 - name), flagged truncated");
    ok(c->first.attrs_truncated && !c->present[0],
       "the attribute after the budget is dropped, tag flagged");
    is_int(c->first.end, (long long)(n - 7), "long tag ends after its '>'");

    /* 30 attributes: 24 are kept. */
    n = (size_t)sprintf(doc, "<p");
    for (i = 0; i < 30; i++)
        n += (size_t)sprintf(doc + n, " a%d=%d", i, i);
    n += (size_t)sprintf(doc + n, ">x");
    check_doc(pool, "30 attributes", doc, n, NULL, NULL);
    c = capture_first(pool, doc, n, 3);
    ok(c->first.n_attrs == 24 && c->first.attrs_truncated,
       "24 attributes kept, tag flagged truncated");
    ok(c->present[3] && strcmp(c->values[3], "0") == 0 && c->present[4] &&
           strcmp(c->values[4], "23") == 0 && !c->present[5],
       "a0..a23 kept, a24 dropped");
    ok(!c->present[7], "geotag_tag_attr returns NULL for a missing name");

    /* A 100-byte tag name is cut to 32 and is no known element. */
    n = (size_t)sprintf(doc, "<");
    for (i = 0; i < 100; i++)
        doc[n++] = (char)('a' + i % 26);
    n += (size_t)sprintf(doc + n, " id=x>y</");
    for (i = 0; i < 100; i++)
        doc[n++] = (char)('A' + i % 26);
    doc[n++] = '>';
    check_doc(pool, "100-byte tag name", doc, n, NULL, NULL);
    c = capture_first(pool, doc, n, 5);
    ok(strlen(c->first.name) == GEOTAG_TAG_NAME_MAX &&
           memcmp(c->first.name, "abcdefghijklmnopqrstuvwxyzabcdef", 32) == 0,
       "long tag name truncated to %d bytes", GEOTAG_TAG_NAME_MAX);
    ok(c->first.element == GEOTAG_EL_OTHER && c->present[0] &&
           strcmp(c->values[0], "x") == 0 && c->first.end == 107,
       "long tag name: element OTHER, attributes and end offset intact");

    /* An attribute name cut at the budget is dropped, never shortened. */
    n = (size_t)sprintf(doc, "<p id=\"");
    memset(doc + n, 'v', 4090);
    n += 4090;
    n += (size_t)sprintf(doc + n, "\" classname=z>");
    c = capture_first(pool, doc, n, 4096);
    ok(c->first.n_attrs == 1 && c->first.attrs_truncated && !c->present[1],
       "an attribute name past the budget is dropped whole");

    /* One that ends right at the budget is kept, with its value cut to
     * nothing; whatever the chunking, with names read a run at a time. */
    {
        size_t k, chunks[] = {1, 3, 4095, 4096, 4097, 20000};
        int kept = 1;
        n = (size_t)sprintf(doc, "<p id=\"");
        memset(doc + n, 'v', 4096 - 2 - 5);
        n += 4096 - 2 - 5;
        n += (size_t)sprintf(doc + n, "\" CLASS=z>");
        check_doc(pool, "attribute name ending at the budget", doc, n, NULL,
                  NULL);
        for (k = 0; k < sizeof(chunks) / sizeof(chunks[0]); k++) {
            c = capture_first(pool, doc, n, chunks[k]);
            kept = kept && c->first.n_attrs == 2 && c->present[1] &&
                   c->value_len[1] == 0 && c->truncated[1];
        }
        ok(kept, "an attribute name ending at the budget is kept, lower-cased, "
                 "its value cut (chunks of 1 to 20000 bytes)");
    }
    free(doc);
}

/* ---- kept attributes ---------------------------------------------------- */

/* The first tag's attributes as "name=value_len[!]" (! = truncated), for a
 * lexer keeping 'keep' and fed in chunks of 'chunk' bytes. */
static const char *kept_first(apr_pool_t *pool, const char *input, size_t len,
                              size_t chunk, const char *const *keep,
                              const char *const *probe)
{
    static capture c;
    geotag_lexer_handler handler = {capture_tag, NULL, NULL};
    geotag_lexer *lexer;
    const char *out;
    size_t fed = 0;
    int i;

    memset(&c, 0, sizeof(c));
    lexer = geotag_lexer_create(pool, &handler, &c);
    for (i = 0; keep[i] != NULL; i++)
        geotag_lexer_keep(lexer, keep[i]);
    while (fed < len) {
        size_t n = len - fed < chunk ? len - fed : chunk;
        geotag_lexer_feed(lexer, input + fed, n);
        fed += n;
    }
    geotag_lexer_finish(lexer);
    out = apr_psprintf(pool, "n=%d%s", c.first.n_attrs,
                       c.first.attrs_truncated ? "!" : "");
    for (i = 0; probe[i] != NULL; i++) {
        const geotag_attr *a = geotag_tag_attr(&c.first, probe[i]);
        if (a == NULL)
            continue;
        out = apr_psprintf(pool, "%s %s=%.*s%s", out, probe[i],
                           a->value_len > 12 ? 0 : (int)a->value_len, a->value,
                           a->truncated ? "!" : "");
        if (a->value_len > 12)
            out = apr_psprintf(pool, "%s#%lu", out,
                               (unsigned long)a->value_len);
    }
    return out;
}

/* The same result at every chunking from 1 to 64 bytes, around the 4 KB
 * budget, and whole. */
static void kept_case(apr_pool_t *pool, const char *name, const char *doc,
                      size_t n, const char *const *keep,
                      const char *const *probe, const char *want)
{
    size_t chunks[70], k, nchunks = 0;
    const char *got = NULL;
    int same = 1;

    for (k = 1; k <= 64; k++)
        chunks[nchunks++] = k;
    chunks[nchunks++] = 4095;
    chunks[nchunks++] = 4096;
    chunks[nchunks++] = 4097;
    chunks[nchunks++] = n;
    for (k = 0; k < nchunks; k++) {
        got = kept_first(pool, doc, n, chunks[k], keep, probe);
        if (strcmp(got, want) != 0) {
            if (same)
                tap_diag("chunks of %lu: %s", (unsigned long)chunks[k], got);
            same = 0;
        }
    }
    ok(same, "%s: %s (chunks of 1 to %lu bytes)", name, want,
       (unsigned long)n);
}

static void test_keep(apr_pool_t *pool)
{
    static const char *const keep[] = {"data-geotag", "class", "lang",
                                       "content", NULL};
    static const char *const probe[] = {"data-props", "data-geotag", "class",
                                        "lang", "content", "id", "a23", "a24",
                                        NULL};
    static const char *const none[] = {NULL};
    char *doc = malloc(40000);
    size_t n;
    int i;

    /* A 5 KB hydration attribute, then the opt-outs. */
    n = (size_t)sprintf(doc, "<div data-props='{\"a\":\"");
    memset(doc + n, 'x', 5000);
    n += 5000;
    n += (size_t)sprintf(doc + n, "\"}' data-geotag=\"off\" ID=x "
                         "Class=\"a geotag-off\">t</div>");
    check_doc(pool, "kept names after a 5 KB attribute", doc, n, NULL, NULL);
    kept_case(pool, "after a 5 KB attribute", doc, n, keep, probe,
              "n=3! data-props=!#4086 data-geotag=off class=a geotag-off");
    kept_case(pool, "the same without kept names", doc, n, none, probe,
              "n=1! data-props=!#4086");

    /* Thirty small attributes, then the language and a duplicate. */
    n = (size_t)sprintf(doc, "<html");
    for (i = 0; i < 30; i++)
        n += (size_t)sprintf(doc + n, " a%d=%d", i, i);
    n += (size_t)sprintf(doc + n, " LANG=it lang=en class=geotag-off>");
    kept_case(pool, "after 30 attributes", doc, n, keep, probe,
              "n=26! class=geotag-off lang=it a23=23");
    kept_case(pool, "30 attributes without kept names", doc, n, none, probe,
              "n=24! a23=23");

    /* A kept name within the budget leaves it to the others; the first of
     * a name wins even when the second comes past the budget. */
    n = (size_t)sprintf(doc, "<p class=first");
    for (i = 0; i < 30; i++)
        n += (size_t)sprintf(doc + n, " a%d=%d", i, i);
    n += (size_t)sprintf(doc + n, " class=second>");
    kept_case(pool, "a kept name counts against no budget", doc, n, keep,
              probe, "n=25! class=first a23=23");

    /* A name that starts inside the budget and ends past it. */
    n = (size_t)sprintf(doc, "<p id=\"");
    memset(doc + n, 'v', 4086);
    n += 4086;
    n += (size_t)sprintf(doc + n, "\" data-geotag=off data-geotag-x=1>");
    kept_case(pool, "a kept name across the budget", doc, n, keep, probe,
              "n=2! data-geotag=off id=#4086");

    /* Each kept value has a budget of its own, cut and flagged. */
    n = (size_t)sprintf(doc, "<meta data-props=\"");
    memset(doc + n, 'x', 5000);
    n += 5000;
    n += (size_t)sprintf(doc + n, "\" content=\"");
    memset(doc + n, 'y', 5000);
    n += 5000;
    n += (size_t)sprintf(doc + n, "\" class=c>");
    kept_case(pool, "a kept value has its own budget", doc, n, keep, probe,
              "n=3! data-props=!#4086 class=c content=!#4089");

    /* Names longer than a tag name are never kept (nor registered). */
    {
        geotag_lexer *lexer = geotag_lexer_create(pool, NULL, NULL);
        ok(!geotag_lexer_keep(lexer, "a-very-long-attribute-name-past-32"),
           "a name longer than GEOTAG_TAG_NAME_MAX cannot be kept");
        for (i = 0; i < GEOTAG_TAG_KEEP_MAX; i++)
            geotag_lexer_keep(lexer, apr_psprintf(pool, "k%d", i));
        ok(geotag_lexer_keep(lexer, "k0") && !geotag_lexer_keep(lexer, "k99"),
           "the table holds GEOTAG_TAG_KEEP_MAX names; a repeat is no new one");
    }
    free(doc);
}

static void test_api(apr_pool_t *pool)
{
    static const struct {
        const char *name;
        geotag_element el;
    } names[] = {
        {"html", GEOTAG_EL_HTML}, {"head", GEOTAG_EL_HEAD},
        {"body", GEOTAG_EL_BODY}, {"title", GEOTAG_EL_TITLE},
        {"meta", GEOTAG_EL_META}, {"link", GEOTAG_EL_LINK},
        {"base", GEOTAG_EL_BASE}, {"script", GEOTAG_EL_SCRIPT},
        {"style", GEOTAG_EL_STYLE}, {"template", GEOTAG_EL_TEMPLATE},
        {"textarea", GEOTAG_EL_TEXTAREA}, {"xmp", GEOTAG_EL_XMP},
        {"iframe", GEOTAG_EL_IFRAME}, {"noembed", GEOTAG_EL_NOEMBED},
        {"noframes", GEOTAG_EL_NOFRAMES}, {"noscript", GEOTAG_EL_NOSCRIPT},
        {"plaintext", GEOTAG_EL_PLAINTEXT}, {"svg", GEOTAG_EL_SVG},
        {"math", GEOTAG_EL_MATH}, {"code", GEOTAG_EL_CODE},
        {"pre", GEOTAG_EL_PRE}, {"kbd", GEOTAG_EL_KBD},
        {"samp", GEOTAG_EL_SAMP}, {"a", GEOTAG_EL_A},
        {"button", GEOTAG_EL_BUTTON}, {"select", GEOTAG_EL_SELECT},
        {"option", GEOTAG_EL_OPTION}, {"label", GEOTAG_EL_LABEL},
        {"time", GEOTAG_EL_TIME}, {"data", GEOTAG_EL_DATA},
        {"article", GEOTAG_EL_ARTICLE}, {"main", GEOTAG_EL_MAIN},
        {"nav", GEOTAG_EL_NAV}, {"aside", GEOTAG_EL_ASIDE},
        {"form", GEOTAG_EL_FORM}, {"header", GEOTAG_EL_HEADER},
        {"footer", GEOTAG_EL_FOOTER}, {"h1", GEOTAG_EL_H1},
        {"h2", GEOTAG_EL_H2}, {"h3", GEOTAG_EL_H3}, {"h4", GEOTAG_EL_H4},
        {"h5", GEOTAG_EL_H5}, {"h6", GEOTAG_EL_H6}, {"p", GEOTAG_EL_P},
        {"div", GEOTAG_EL_DIV}, {"section", GEOTAG_EL_SECTION},
        {"li", GEOTAG_EL_LI}, {"td", GEOTAG_EL_TD}, {"th", GEOTAG_EL_TH},
        {"blockquote", GEOTAG_EL_BLOCKQUOTE},
        {"figcaption", GEOTAG_EL_FIGCAPTION}, {"br", GEOTAG_EL_BR},
        {"span", GEOTAG_EL_SPAN}};
    size_t i, bad = 0, count = sizeof(names) / sizeof(names[0]);
    int seen[GEOTAG_EL_COUNT] = {0};
    geotag_lexer *lexer;
    capture *c;
    static const char dup[] = "<A Href=one hRef=two CLASS=\"c d\">";

    for (i = 0; i < count; i++) {
        if (geotag_element_lookup(names[i].name, strlen(names[i].name)) !=
            names[i].el) {
            tap_diag("lookup(%s) wrong", names[i].name);
            bad++;
        }
        seen[names[i].el]++;
    }
    for (i = 1; i < GEOTAG_EL_COUNT; i++)
        bad += seen[i] != 1;
    ok(bad == 0 && count == GEOTAG_EL_COUNT - 1,
       "geotag_element_lookup maps all %zu element names", count);
    ok(geotag_element_lookup("h7", 2) == GEOTAG_EL_OTHER &&
           geotag_element_lookup("P", 1) == GEOTAG_EL_OTHER &&
           geotag_element_lookup("spa", 3) == GEOTAG_EL_OTHER &&
           geotag_element_lookup("spans", 5) == GEOTAG_EL_OTHER &&
           geotag_element_lookup("figcaption", 3) == GEOTAG_EL_OTHER &&
           geotag_element_lookup("", 0) == GEOTAG_EL_OTHER,
       "unknown, upper-case, prefixes and extensions are OTHER");

    c = capture_first(pool, dup, sizeof(dup) - 1, 1);
    ok(c->first.element == GEOTAG_EL_A && c->present[2] &&
           strcmp(c->values[2], "one") == 0 && c->present[1] &&
           strcmp(c->values[1], "c d") == 0 && c->value_len[1] == 3,
       "geotag_tag_attr: lower-case names, first duplicate wins");

    /* pending_start and offset between feeds */
    lexer = geotag_lexer_create(pool, NULL, NULL);
    geotag_lexer_feed(lexer, "abc <di", 7);
    is_int(geotag_lexer_pending_start(lexer), 4,
           "pending_start is the '<' of an unfinished tag");
    geotag_lexer_feed(lexer, "v>x <", 5);
    is_int(geotag_lexer_pending_start(lexer), 11,
           "pending_start is a lone '<' at the chunk end");
    geotag_lexer_feed(lexer, " y<!-- a ", 9);
    is_int(geotag_lexer_pending_start(lexer), 14,
           "pending_start is the '<' of an unfinished comment");
    geotag_lexer_feed(lexer, "-->z", 4);
    is_int(geotag_lexer_pending_start(lexer), 25,
           "pending_start is the offset after a complete comment");
    is_int(geotag_lexer_offset(lexer), 25, "offset counts every byte fed");
    geotag_lexer_finish(lexer);
    ok(geotag_lexer_offset(lexer) == 25 &&
           geotag_lexer_pending_start(lexer) == 25 &&
           geotag_lexer_in_data(lexer),
       "NULL handler callbacks: finish ends in data, nothing pending");
}

/* ---- the seed page ------------------------------------------------------ */

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *data;
    long size;

    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    data = malloc((size_t)size + 1);
    if (data == NULL || fread(data, 1, (size_t)size, f) != (size_t)size) {
        free(data);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *len = (size_t)size;
    return data;
}

static void test_seed(apr_pool_t *pool)
{
    const char *shared = getenv("GEOTAG_SHARED");
    char path[1024];
    char *page;
    size_t len = 0;
    recorder r;

    snprintf(path, sizeof(path), "%s/seed/article.html",
             shared && *shared ? shared : "../shared");
    page = read_file(path, &len);
    if (!ok(page != NULL, "seed article: %s can be read", path)) {
        tap_diag("the shared reference material is missing: %s/seed "
                 "(set GEOTAG_SHARED to the directory that holds seed/)",
                 shared && *shared ? shared : "../shared");
        return;
    }
    check_doc(pool, "seed article", page, len, NULL, &r);
    is_int(r.p_start_tags, 24, "seed article: 24 <p> start tags");
    ok(!r.data_has_datalayer && r.raw_has_datalayer,
       "seed article: window.dataLayer only in script text");
    rec_free(&r);
    free(page);
}

int main(void)
{
    apr_pool_t *pool;

    (void)tap_plan; /* the count is computed: see tap_done() */
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_documents(pool);
    test_caps(pool);
    test_keep(pool);
    test_api(pool);
    test_seed(pool);
    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
