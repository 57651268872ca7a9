/*
 * annotator.c: a page through the engine.
 *
 * Here's the concept.  The lexer turns bytes into events; this file keeps a
 * handful of counters that say where we are in the page, and buffers only
 * the current text run while it is in scope:
 *
 *   head        charset (<meta>), language (<html lang>), canonical link,
 *               the page's JSON-LD (to reuse its article @id), opt-outs
 *   scope       the first element matching a scope rule (article, main,
 *               [role=main], [itemprop=articleBody]) opens it; inside it
 *               nav / aside / form and page-level header / footer are
 *               excluded, and a second top-level <article> means the page
 *               is a listing, which is left alone from there on
 *   no-go       a, code, pre, time, data, svg, math, button, label ...:
 *               counters per element, never a stack (a page cannot make us
 *               allocate by nesting)
 *   opt-out     data-geotag="off" / class="geotag-off": one counter for the
 *               element name that opened it
 *
 * A text run in scope is normalized (normalize.h) and matched as a window:
 * gazetteer matches, then figures and dates, then treaty words, which are
 * resolved by their sentence (the parties or the date of a treaty of the
 * gazetteer named around them) or, after a determiner ("il patto", "the
 * pact"), by the treaty last resolved.  The window's spans become edits in
 * offset order.  A run longer than the buffer is processed in windows cut
 * at white space, keeping a tail as long as the longest surface form, so
 * memory stays bounded whatever the page.
 *
 * Short forms ("Kim") are marked up only after a full form of their entity
 * appeared; for the JSON-LD, written at </body> when the article has been
 * seen, they count once a full form appears anywhere.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_strings.h>
#include <libxml/uri.h>

#include "annotator.h"
#include "jsonld.h"
#include "lexer.h"
#include "normalize.h"

#define DEFAULT_TEXT_BUFFER (64 * 1024)
#define DEFAULT_PAGE_JSONLD (64 * 1024)
#define DEFAULT_ENTITIES 500
#define DEFAULT_MENTIONS 2000
#define DEFAULT_ABOUT 5
#define DEFAULT_JSONLD_MENTIONS 50
#define DEFAULT_JSONLD_FIGURES 10
#define DEFAULT_HOLD (32 * 1024)
#define DEFAULT_TITLE 1024
#define DEFAULT_URL 2048
#define DEFAULT_FIGURES_WINDOW 256
#define DEFAULT_TREATY_FAMILIES 8
#define NORM_FIRST 4096          /* text bytes the first normalized copies fit */

/* Entity slot flags. */
#define F_FULL 0x01           /* an unambiguous form was seen in scope */
#define F_MARKED 0x02         /* markup was inserted at least once */
#define F_HEADLINE 0x04       /* named in the headline */
#define F_SHORT_PENDING 0x08  /* a short form came before any full form */
#define F_SHORT_HEADLINE 0x10 /* ... and it was in the headline */

typedef struct {
    int entity; /* -1 = empty */
    unsigned flags;
    int order;
} entity_slot;

enum { SPAN_ENTITY, SPAN_TREATY_WORD, SPAN_FIGURE };

typedef struct {
    apr_size_t start, end; /* key offsets */
    int type;
    int entity;            /* SPAN_ENTITY */
    int figure;            /* SPAN_FIGURE: index into the window's figures */
} span;

struct geotag_session {
    apr_pool_t *pool;
    const geotag_engine *engine;
    geotag_options opt;
    geotag_lexer *lexer;
    geotag_figures_scratch *scratch;

    /* what the page is */
    geotag_charset charset;
    int charset_locked;      /* from the header or a BOM: <meta> cannot change it */
    int body_seen;
    char lang[16];
    int lang_forced;
    char *canonical;
    char *title;
    apr_size_t title_len;

    /* its own JSON-LD */
    int in_page_jsonld;
    char *page_jsonld;
    apr_size_t page_jsonld_len;
    int page_jsonld_overflow;
    geotag_page_facts facts;

    /* where we are */
    int scope_active, scope_seen, scope_by_main;
    char scope_name[GEOTAG_TAG_NAME_MAX + 1];
    geotag_element scope_element;   /* of scope_name; OTHER: compare names */
    geotag_element *scope_rule_elements; /* per rule: its element, or OTHER */
    int scope_depth;
    int article_depth, top_articles;
    int nav_depth, aside_depth, form_depth;
    int page_header_depth, article_header_depth;
    int page_footer_depth, article_footer_depth;
    int nogo[GEOTAG_EL_COUNT];
    int nogo_total;
    char optout_name[GEOTAG_TAG_NAME_MAX + 1];
    int optout_depth;
    int h1_open, headline_done;

    /* the text run in scope being buffered */
    char *text;
    apr_size_t text_len, text_cap;
    apr_off_t text_start;
    int text_headline;
    geotag_normalized norm;
    span *spans;
    int spans_cap;
    span *spans_merge;           /* limits.figures_window, for sort_spans */
    const geotag_entity *entities;  /* the gazetteer's arrays, hoisted */
    const geotag_alias *aliases;
    apr_size_t norm_text_cap;    /* text bytes norm's buffers can take */
    /* the window's sentence ends, found at its first treaty word */
    int sentence_ends_ready;
    apr_size_t *sentence_ends;
    int n_sentence_ends, sentence_ends_cap;
    geotag_figure *figures;      /* limits.figures_window, filled per window */
    apr_size_t keep; /* tail kept when a run is cut */

    /* what we found */
    entity_slot *slots;
    apr_size_t slot_mask;
    int n_entities, next_order;
    int n_mentions;
    /* Back-references ("il patto", "the treaty"): the treaty last named
     * with the same treaty word (by its first four bytes: "patto"/"patti"),
     * else the treaty last resolved by description. */
    struct treaty_family {
        char family[5];
        int treaty;
    } *families;   /* limits.treaty_families */
    int n_families;
    int last_described;
    geotag_figure_fact *figure_facts;
    int n_figure_facts;

    /* edits not yet taken */
    geotag_edit *edits;
    int edits_head, edits_len, edits_cap;
    int edits_total;
    int jsonld_done;
    /* Until the page shows it is not a listing (its scope ends, or the
     * hold budget is spent), edits are kept back: a second top-level
     * <article> then withdraws them all, so a listing leaves untouched. */
    int undecided;
    apr_off_t hold_from; /* offset of the first edit kept back, or -1 */

    geotag_status status;
    int stopped;   /* no further edits (status says why): nothing more is
                      read, the rest of the page is the consumer's */
    int saturated; /* the mention cap is reached: no further markup, but
                      the page is read on for the JSON-LD's place */
    int finished;
    apr_off_t fed; /* bytes given to geotag_session_feed() */
    /* the JSON-LD's document, made when its edit is queued: the block is
     * final from then on, whenever the consumer renders it (facts that
     * come after </body> must not change it with the chunking) */
    geotag_document frozen_doc;
    int doc_frozen;
    /* the first bytes, held until there are three (or the page ends): a
     * byte order mark decides the charset however the page is chunked */
    unsigned char head[3];
    apr_size_t head_len;
    int head_done;
};

static const geotag_scope_rule default_scope[] = {
    {"article", NULL, NULL},
    {"main", NULL, NULL},
    {NULL, "role", "main"},
    {NULL, "itemprop", "articleBody"},
};

/* ------------------------------------------------------------------ */
/* small helpers                                                       */

static void decide_listing(geotag_session *s, int listing);

/* Formats only what the consumer will write: most messages are debug
 * lines, and a busy server runs at warn. */
static void session_log(geotag_session *s, const char *file, int line,
                        int level, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    if (!s->opt.log ||
        (s->opt.log_is_level && !s->opt.log_is_level(s->opt.log_baton, level)))
        return;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    s->opt.log(s->opt.log_baton, level, file, line, buf);
}

/* The page is given up on from here (lol-html's bail-out): feed() reads
 * nothing more, and the edits already found are final now, since nothing
 * that could withdraw them (a second article) will be seen. */
static void stop(geotag_session *s, geotag_status why)
{
    if (s->stopped)
        return;
    s->stopped = 1;
    s->status = why;
    /* whatever the chunking, nothing after the stop is read: not the rest
     * of this chunk either (a later <html lang> must not count) */
    geotag_lexer_stop(s->lexer);
    decide_listing(s, 0);
}

static void lower_ascii(char *p)
{
    for (; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
}

/* isspace() of the C locale, without the call */
static inline int is_space_byte(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Does the space-separated list 'value' contain 'word' (ASCII, any case)? */
static int has_word(const char *value, apr_size_t len, const char *word)
{
    apr_size_t wlen = strlen(word), i;
    unsigned char first = (unsigned char)word[0] | 0x20;

    if (wlen == 0 || len < wlen)
        return 0;
    /* a token equal to the word: its first byte (any case), white space or
     * nothing on both sides, then the whole word */
    for (i = 0; i + wlen <= len; i++) {
        if (len - i >= 8) {
            /* eight bytes none of which is the first byte: past them */
            const apr_uint64_t ones = UINT64_C(0x0101010101010101);
            apr_uint64_t x, y;
            memcpy(&x, value + i, 8);
            y = (x | (ones * 0x20)) ^ (ones * first);
            if (!((y - ones) & ~y & (ones * 0x80))) {
                i += 7;
                continue;
            }
        }
        if (((unsigned char)value[i] | 0x20) != first)
            continue;
        if ((i > 0 && !is_space_byte(value[i - 1])) ||
            (i + wlen < len && !is_space_byte(value[i + wlen])))
            continue;
        if (strncasecmp(value + i, word, wlen) == 0)
            return 1;
    }
    return 0;
}

static int attr_is(const geotag_tag *tag, const char *name, const char *word)
{
    const geotag_attr *a = geotag_tag_attr(tag, name);
    return a && has_word(a->value, a->value_len, word);
}

/* Decodes the few character references that occur in URLs (&amp; mostly). */
static char *decode_attr(apr_pool_t *pool, const geotag_attr *a)
{
    char *out = apr_palloc(pool, a->value_len + 1), ref[8];
    apr_size_t i = 0, n = 0, rlen, used;
    while (i < a->value_len) {
        if (a->value[i] == '&' &&
            (used = geotag_decode_charref(a->value + i, a->value_len - i, ref,
                                          &rlen)) > 0 &&
            rlen <= used) {
            memcpy(out + n, ref, rlen);
            n += rlen;
            i += used;
            continue;
        }
        out[n++] = a->value[i++];
    }
    out[n] = '\0';
    return out;
}

/* ------------------------------------------------------------------ */
/* entities seen on this page                                          */

static entity_slot *slot_get(geotag_session *s, int entity, int create)
{
    apr_size_t i = ((apr_uint32_t)entity * 2654435761u) & s->slot_mask;
    for (;;) {
        entity_slot *slot = &s->slots[i];
        if (slot->entity == entity)
            return slot;
        if (slot->entity < 0) {
            if (!create)
                return NULL;
            if (s->n_entities >= s->opt.limits.entities) {
                session_log(s, GEOTAG_LOG_MARK, GEOTAG_LOG_INFO,
                            GEOTAG_LOGNO(201) "more than %d distinct "
                            "entities: the rest of the page is left untagged",
                            s->opt.limits.entities);
                stop(s, GEOTAG_STATUS_LIMIT);
                return NULL;
            }
            slot->entity = entity;
            slot->flags = 0;
            slot->order = s->next_order++;
            s->n_entities++;
            return slot;
        }
        i = (i + 1) & s->slot_mask;
    }
}

static const geotag_entity *entity_at(const geotag_session *s, int i)
{
    return &s->entities[i];
}

static const geotag_alias *alias_at(const geotag_session *s, int i)
{
    return &s->aliases[i];
}

/* ------------------------------------------------------------------ */
/* edits                                                               */

static geotag_edit *edit_push(geotag_session *s, apr_off_t offset, int kind)
{
    geotag_edit *e;
    if (s->edits_head == s->edits_len)
        s->edits_head = s->edits_len = 0;
    if (s->edits_len == s->edits_cap) {
        /* The consumer did not drain: compact or grow (bounded by the
         * mention cap, which stops the page before this grows far). */
        if (s->edits_head > 0) {
            memmove(s->edits, s->edits + s->edits_head,
                    sizeof(geotag_edit) * (s->edits_len - s->edits_head));
            s->edits_len -= s->edits_head;
            s->edits_head = 0;
        }
        else {
            int cap = s->edits_cap * 2;
            geotag_edit *bigger = apr_palloc(s->pool, sizeof(geotag_edit) * cap);
            memcpy(bigger, s->edits, sizeof(geotag_edit) * s->edits_len);
            s->edits = bigger;
            s->edits_cap = cap;
        }
    }
    e = &s->edits[s->edits_len++];
    memset(e, 0, sizeof(*e));
    if (s->undecided && s->hold_from < 0)
        s->hold_from = offset;
    e->offset = offset;
    e->kind = (unsigned char)kind;
    e->entity = -1;
    s->edits_total++;
    return e;
}

/* ------------------------------------------------------------------ */
/* matching a window of text                                           */

/* First character of key/cased at i differs: the text has it upper case. */
static int starts_upper(const geotag_normalized *n, apr_size_t i)
{
    unsigned char c = (unsigned char)n->key[i];
    apr_size_t len = 1, k;
    if (c >= 0xF0)
        len = 4;
    else if (c >= 0xE0)
        len = 3;
    else if (c >= 0xC0)
        len = 2;
    for (k = 0; k < len && i + k < n->len; k++)
        if (n->key[i + k] != n->cased[i + k])
            return 1;
    return 0;
}

/* The cased text of [start, end) equals the alias's cased form, word bytes
 * compared exactly and separators skipped. */
static int same_case(const geotag_normalized *n, apr_size_t start,
                     apr_size_t end, const char *alias_cased)
{
    apr_size_t i = start, j = 0, alen = strlen(alias_cased);
    for (;;) {
        while (i < end && !geotag_is_word_byte(n->cased[i]))
            i++;
        while (j < alen && !geotag_is_word_byte(alias_cased[j]))
            j++;
        if (i >= end || j >= alen)
            return i >= end && j >= alen;
        if (n->cased[i] != alias_cased[j])
            return 0;
        i++;
        j++;
    }
}

static inline int lang_matches(const geotag_session *s, const char *lang)
{
    /* the alias's primary subtag is the page's language (s->lang holds
     * only the primary subtag, lower-cased) */
    if (!lang || !s->lang[0])
        return 1;
    return geotag_same_primary_subtag(s->lang, lang);
}

static int case_matches(const geotag_session *s, const geotag_match *m,
                        int alias)
{
    const geotag_alias *a = alias_at(s, alias);
    switch (a->case_rule) {
    case GEOTAG_CASE_CAPITALIZED:
        return starts_upper(&s->norm, m->start);
    case GEOTAG_CASE_EXACT:
        return same_case(&s->norm, m->start, m->end,
                         geotag_matcher_alias_cased(s->engine->matcher, alias));
    default:
        return 1;
    }
}

static int entity_allowed(const geotag_session *s, int entity)
{
    const geotag_entity *e = entity_at(s, entity);
    unsigned need = e->kind == GEOTAG_KIND_TREATY ? GEOTAG_TYPE_TREATIES
                                                  : GEOTAG_TYPE_ACTORS;
    return (s->opt.types & need) != 0;
}

static int entity_full_seen(geotag_session *s, int entity)
{
    entity_slot *slot = slot_get(s, entity, 0);
    return slot && (slot->flags & F_FULL);
}

/*
 * Decide what a match is.  Returns the entity index, -2 for a treaty word,
 * or -1 when nothing may be tagged there.
 */
static int resolve_match(geotag_session *s, const geotag_match *m,
                         int headline)
{
    int full = -1, full_count = 0, full_seen = -1, full_seen_count = 0;
    int shorts[8], n_shorts = 0, treaty_word = 0, i;

    for (i = 0; i < m->n_aliases; i++) {
        int a = m->aliases[i];
        const geotag_alias *al = alias_at(s, a);
        if (!lang_matches(s, al->lang) || !case_matches(s, m, a))
            continue;
        if (al->role == GEOTAG_ALIAS_TREATY_WORD) {
            treaty_word = 1;
            continue;
        }
        if (al->entity < 0 || !entity_allowed(s, al->entity))
            continue;
        if (al->role == GEOTAG_ALIAS_SHORT) {
            int k, dup = 0;
            for (k = 0; k < n_shorts; k++)
                dup |= shorts[k] == al->entity;
            if (!dup && n_shorts < 8)
                shorts[n_shorts++] = al->entity;
            continue;
        }
        if (full != al->entity) {
            /* changes of entity along the candidates: 1 = one entity */
            full_count++;
            if (entity_full_seen(s, al->entity) && full_seen != al->entity) {
                full_seen = al->entity;
                full_seen_count++;
            }
            full = al->entity;
        }
    }
    if (full >= 0) {
        if (full_count == 1)
            return full;
        /* One form, several entities: the one this page already named. */
        return full_seen_count == 1 ? full_seen : -1;
    }
    if (n_shorts > 0) {
        int seen = -1, seen_count = 0;
        for (i = 0; i < n_shorts; i++)
            if (entity_full_seen(s, shorts[i])) {
                seen = shorts[i];
                seen_count++;
            }
        if (seen_count == 1)
            return seen;
        /* Not yet resolvable: remember it for the JSON-LD. */
        for (i = 0; i < n_shorts; i++) {
            entity_slot *slot = slot_get(s, shorts[i], 1);
            if (!slot)
                return -1;
            slot->flags |= F_SHORT_PENDING;
            if (headline)
                slot->flags |= F_SHORT_HEADLINE;
        }
        return -1;
    }
    return treaty_word ? -2 : -1;
}

static inline int is_sentence_end(const char *key, apr_size_t len,
                                  apr_size_t i)
{
    char c = key[i];
    /* one test for the common case: no '!' (0x21), '.' (0x2e), ';' (0x3b)
     * nor '?' (0x3f) */
    if ((unsigned char)c < 0x21 || (unsigned char)c > 0x3f)
        return 0;
    if (c == '!' || c == '?' || c == ';')
        return 1;
    if (c != '.')
        return 0;
    /* "2.8" is not a sentence end; "U.S" neither */
    if (i + 1 < len && key[i + 1] != ' ' && key[i + 1] != '"')
        return 0;
    return 1;
}

/* Every sentence end of the window, in order (strpbrk runs to the key's
 * NUL sentinel; a NUL inside the text is stepped over). */
static void find_sentence_ends(geotag_session *s)
{
    const char *key = s->norm.key;
    apr_size_t len = s->norm.len, i = 0;

    s->n_sentence_ends = 0;
    while (i < len) {
        const char *p = strpbrk(key + i, ".!?;");
        if (p == NULL) {
            i += strlen(key + i) + 1;
            continue;
        }
        i = (apr_size_t)(p - key);
        if (i >= len)
            break;
        if (is_sentence_end(key, len, i)) {
            if (s->n_sentence_ends == s->sentence_ends_cap) {
                int cap = s->sentence_ends_cap ? s->sentence_ends_cap * 2 : 64;
                apr_size_t *bigger = apr_palloc(s->pool, sizeof(*bigger) * (apr_size_t)cap);
                if (s->n_sentence_ends)
                    memcpy(bigger, s->sentence_ends,
                           sizeof(*bigger) * (apr_size_t)s->n_sentence_ends);
                s->sentence_ends = bigger;
                s->sentence_ends_cap = cap;
            }
            s->sentence_ends[s->n_sentence_ends++] = i;
        }
        i++;
    }
    s->sentence_ends_ready = 1;
}

/* The previous word before key offset 'start', or length 0. */
static apr_size_t previous_word(const char *key, apr_size_t start,
                                apr_size_t *word_start)
{
    apr_size_t e = start, b;
    while (e > 0 && !geotag_is_word_byte(key[e - 1])) {
        if (key[e - 1] != ' ' && key[e - 1] != '\'')
            return 0; /* punctuation between: no determiner relation */
        e--;
    }
    b = e;
    while (b > 0 && geotag_is_word_byte(key[b - 1]))
        b--;
    *word_start = b;
    return e - b;
}

static int date_fits(const char *treaty_date, const char *value)
{
    apr_size_t a, b;
    if (!treaty_date || treaty_date[0] != value[0])
        return 0;
    a = strlen(treaty_date);
    b = strlen(value);
    /* "2024-06" fits "2024-06-19" and the other way round; a bare year
     * is too weak to name a treaty. */
    if (b < 7 || a < 7)
        return 0;
    return strncmp(treaty_date, value, a < b ? a : b) == 0;
}

static void word_family(const char *word, apr_size_t len, char *family)
{
    apr_size_t n = len < 4 ? len : 4;
    memcpy(family, word, n);
    family[n] = '\0';
}

static void family_set(geotag_session *s, const char *word, apr_size_t len,
                       int treaty)
{
    char family[5];
    int i;
    word_family(word, len, family);
    for (i = 0; i < s->n_families; i++)
        if (strcmp(s->families[i].family, family) == 0)
            break;
    if (i == s->n_families) {
        if (s->n_families == s->opt.limits.treaty_families)
            i = 0; /* table full: the first kind of word gives way */
        else
            s->n_families++;
        strcpy(s->families[i].family, family);
    }
    s->families[i].treaty = treaty;
}

static int family_get(const geotag_session *s, const char *word,
                      apr_size_t len)
{
    char family[5];
    int i;
    word_family(word, len, family);
    for (i = 0; i < s->n_families; i++)
        if (strcmp(s->families[i].family, family) == 0)
            return s->families[i].treaty;
    return -1;
}

/* A named treaty: remember the treaty words its name contains. */
static void named_treaty(geotag_session *s, const span *sp)
{
    const char *key = s->norm.key;
    apr_size_t i = sp->start;
    while (i < sp->end) {
        apr_size_t b;
        while (i < sp->end && !geotag_is_word_byte(key[i]))
            i++;
        b = i;
        while (i < sp->end && geotag_is_word_byte(key[i]))
            i++;
        if (i > b &&
            geotag_matcher_is_treaty_word(s->engine->matcher, key + b, i - b))
            family_set(s, key + b, i - b, sp->entity);
    }
}

/* Entities and dates of one sentence that can make a treaty's case. */
#define MAX_SENTENCE_SPANS 64

static int resolve_treaty(geotag_session *s, span *spans, int n_spans,
                          int which)
{
    const geotag_normalized *n = &s->norm;
    apr_size_t s0 = spans[which].start, s1 = spans[which].end, ws;
    const int *treaties;
    int n_treaties, t, best = -1, best_score = 0, tie = 0, i;
    int named[MAX_SENTENCE_SPANS], n_named = 0, n_dates = 0;
    const char *dates[MAX_SENTENCE_SPANS];

    /* the sentence: after the last sentence end before the word, up to
     * the first one at or after its end */
    {
        int lo = 0, hi;
        if (!s->sentence_ends_ready)
            find_sentence_ends(s);
        hi = s->n_sentence_ends;
        while (lo < hi) {
            int mid = lo + (hi - lo) / 2;
            if (s->sentence_ends[mid] < s0)
                lo = mid + 1;
            else
                hi = mid;
        }
        s0 = lo > 0 ? s->sentence_ends[lo - 1] + 1 : 0;
        while (lo < s->n_sentence_ends && s->sentence_ends[lo] < s1)
            lo++;
        s1 = lo < s->n_sentence_ends ? s->sentence_ends[lo] : n->len;
    }

    /* what the sentence names: its entities and its dates, once */
    for (i = 0; i < n_spans; i++) {
        if (spans[i].start < s0 || spans[i].end > s1)
            continue;
        if (spans[i].type == SPAN_ENTITY && n_named < MAX_SENTENCE_SPANS)
            named[n_named++] = spans[i].entity;
        else if (spans[i].type == SPAN_FIGURE && n_dates < MAX_SENTENCE_SPANS &&
                 s->figures[spans[i].figure].kind == GEOTAG_FIGURE_DATE)
            dates[n_dates++] = s->figures[spans[i].figure].value;
    }
    if (n_named == 0 && n_dates == 0)
        goto determiner;
    treaties = geotag_matcher_treaties(s->engine->matcher, &n_treaties);
    for (t = 0; t < n_treaties; t++) {
        const geotag_entity *e = entity_at(s, treaties[t]);
        int score = 0, p;
        for (p = 0; p < e->n_parties; p++)
            for (i = 0; i < n_named; i++)
                if (named[i] == e->parties[p]) {
                    score++;
                    break;
                }
        if (e->date)
            for (i = 0; i < n_dates; i++)
                if (date_fits(e->date, dates[i])) {
                    score++;
                    break;
                }
        if (score > best_score) {
            best_score = score;
            best = treaties[t];
            tie = 0;
        }
        else if (score == best_score && score > 0) {
            tie = 1;
        }
    }
    if (best >= 0 && best_score >= 2 && !tie) {
        s->last_described = best;
        family_set(s, n->key + spans[which].start,
                   spans[which].end - spans[which].start, best);
        return best;
    }
determiner:
    {
        apr_size_t wlen = previous_word(n->key, spans[which].start, &ws);
        if (wlen &&
            geotag_matcher_is_determiner(s->engine->matcher, n->key + ws, wlen)) {
            int t = family_get(s, n->key + spans[which].start,
                               spans[which].end - spans[which].start);
            return t >= 0 ? t : s->last_described;
        }
    }
    return -1;
}

/*
 * "Article 5", "risoluzione 1718", "n. 3": a number that names something
 * is not a figure the text quotes.
 */
static int names_a_number(const geotag_session *s, const char *key,
                          apr_size_t start)
{
    apr_size_t ws, e = start;
    while (e > 0 && (key[e - 1] == ' ' || key[e - 1] == '.'))
        e--;
    ws = e;
    while (ws > 0 && geotag_is_word_byte(key[ws - 1]))
        ws--;
    return geotag_lexicon_find(s->engine->gazetteer->lexicon,
                               GEOTAG_WORD_NUMBER_CUE, key + ws, e - ws,
                               -1) != NULL;
}

static int compare_span(const void *a, const void *b)
{
    const span *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return 0;
}

static void report(geotag_session *s, apr_off_t offset, apr_size_t length,
                   const char *kind, const char *id, int marked)
{
    geotag_mention m;
    if (!s->opt.mention)
        return;
    m.offset = offset;
    m.length = length;
    m.kind = kind;
    m.id = id;
    m.marked = marked;
    s->opt.mention(s->opt.mention_baton, &m);
}

static void add_figure_fact(geotag_session *s, const geotag_figure *f)
{
    geotag_figure_fact *fact;
    int i;
    if (f->kind == GEOTAG_FIGURE_DATE)
        return;
    if (f->kind == GEOTAG_FIGURE_NUMBER && !f->unit)
        return;
    if (f->kind == GEOTAG_FIGURE_MONEY && !f->currency)
        return;
    for (i = 0; i < s->n_figure_facts; i++) {
        fact = &s->figure_facts[i];
        if (fact->kind == f->kind && strcmp(fact->value, f->value) == 0 &&
            (fact->unit_text == NULL) == (f->unit == NULL) &&
            (!f->unit || strcmp(fact->unit_text, f->unit->text) == 0))
            return;
    }
    if (s->n_figure_facts >= s->opt.limits.jsonld_figures)
        return;
    fact = &s->figure_facts[s->n_figure_facts++];
    fact->kind = f->kind;
    apr_cpystrn(fact->value, f->value, sizeof(fact->value));
    fact->unit_text = f->unit ? f->unit->text : NULL;
    fact->currency = f->currency;
}

/* Source offset (absolute) of key offset i / of the end of key range. */
static apr_off_t source_at(const geotag_session *s, apr_size_t i)
{
    return s->text_start + (apr_off_t)s->norm.from[i];
}

/* The mention cap: the markup ends here, but what was found stays and
 * the JSON-LD still goes at </body> (a long page must not lose it).  So
 * unlike stop(), the page is read on, though no text is matched. */
static void saturate(geotag_session *s)
{
    if (s->saturated)
        return;
    session_log(s, GEOTAG_LOG_MARK, GEOTAG_LOG_INFO,
                GEOTAG_LOGNO(202) "more than %d mentions: no further markup "
                "on the page, the JSON-LD is still written",
                s->opt.limits.mentions);
    s->saturated = 1;
    s->status = GEOTAG_STATUS_LIMIT;
}

static void emit_span(geotag_session *s, const span *sp, int headline)
{
    apr_off_t from = source_at(s, sp->start), to = source_at(s, sp->end);
    int may_mark = s->opt.markup != GEOTAG_MARKUP_NONE;

    if (s->stopped || s->saturated)
        return;
    if (sp->type == SPAN_ENTITY) {
        const geotag_entity *e = entity_at(s, sp->entity);
        entity_slot *slot = slot_get(s, sp->entity, 1);
        int mark;
        if (!slot)
            return;
        slot->flags |= F_FULL;
        if (headline)
            slot->flags |= F_HEADLINE;
        mark = may_mark && !(s->opt.first_only && (slot->flags & F_MARKED));
        if (mark && s->n_mentions >= s->opt.limits.mentions) {
            saturate(s);
            return;
        }
        if (mark) {
            geotag_edit *open = edit_push(s, from, GEOTAG_EDIT_OPEN_ENTITY);
            open->entity = sp->entity;
            edit_push(s, to, GEOTAG_EDIT_CLOSE_ENTITY);
            slot->flags |= F_MARKED;
            s->n_mentions++;
        }
        report(s, from, (apr_size_t)(to - from),
               e->kind == GEOTAG_KIND_TREATY ? "treaty" : "entity", e->id,
               mark);
        return;
    }
    if (sp->type == SPAN_FIGURE) {
        const geotag_figure *f = &s->figures[sp->figure];
        int date = f->kind == GEOTAG_FIGURE_DATE;
        unsigned need = date ? GEOTAG_TYPE_DATES : GEOTAG_TYPE_FIGURES;
        int mark = may_mark && (s->opt.types & need);
        if (!(s->opt.types & need))
            return;
        if (mark && s->n_mentions >= s->opt.limits.mentions) {
            saturate(s);
            return;
        }
        if (mark) {
            geotag_edit *open = edit_push(s, from, date ? GEOTAG_EDIT_OPEN_DATE
                                                        : GEOTAG_EDIT_OPEN_FIGURE);
            open->figure_kind = (unsigned char)f->kind;
            apr_cpystrn(open->value, f->value, sizeof(open->value));
            edit_push(s, to, date ? GEOTAG_EDIT_CLOSE_DATE
                                  : GEOTAG_EDIT_CLOSE_FIGURE);
            s->n_mentions++;
        }
        if (!date)
            add_figure_fact(s, f);
        report(s, from, (apr_size_t)(to - from), date ? "date" : "figure",
               f->value, mark);
    }
}

/* Entity spans come in text order, and so do figures: merge the two runs
 * (stable: at one offset the entity first); qsort only if a run is out of
 * order. */
static void sort_spans(geotag_session *s, int n_entities, int n_spans)
{
    span *sp = s->spans, *figures = s->spans_merge;
    int i, a, b, o, n_figures = n_spans - n_entities;

    for (i = 1; i < n_spans; i++)
        if (i != n_entities && sp[i].start < sp[i - 1].start)
            break;
    if (i < n_spans || n_figures > s->opt.limits.figures_window) {
        qsort(sp, (size_t)n_spans, sizeof(span), compare_span);
        return;
    }
    if (n_entities == 0 || n_figures == 0 ||
        sp[n_entities - 1].start <= sp[n_entities].start)
        return;
    memcpy(figures, sp + n_entities, sizeof(span) * (size_t)n_figures);
    a = n_entities - 1;
    b = n_figures - 1;
    o = n_spans - 1;
    while (b >= 0) {
        if (a >= 0 && sp[a].start > figures[b].start)
            sp[o--] = sp[a--];
        else
            sp[o--] = figures[b--];
    }
}

static void grow_spans(geotag_session *s)
{
    int cap = s->spans_cap * 2;
    span *bigger = apr_palloc(s->pool, sizeof(span) * cap);
    memcpy(bigger, s->spans, sizeof(span) * s->spans_cap);
    s->spans = bigger;
    s->spans_cap = cap;
}

/*
 * Match the window key[0..len) of the buffered run; only spans starting
 * before 'limit' are taken.  Returns the key offset up to which the window
 * is done (the end of the last span taken, at least 'limit').
 */
static apr_size_t match_window(geotag_session *s, apr_size_t limit)
{
    const geotag_normalized *n = &s->norm;
    apr_size_t pos = 0, done = limit;
    geotag_match m;
    int n_spans = 0, n_entity_spans, n_figures = 0, i, headline = s->text_headline;

    s->sentence_ends_ready = 0;

    while (!s->stopped && !s->saturated &&
           geotag_matcher_next(s->engine->matcher, n->key, n->len, &pos, &m)) {
        int entity;
        if (m.start >= limit)
            break;
        entity = resolve_match(s, &m, headline);
        if (entity == -1) {
            pos = m.first_word_end;
            continue;
        }
        if (n_spans == s->spans_cap)
            grow_spans(s);
        s->spans[n_spans].start = m.start;
        s->spans[n_spans].end = m.end;
        s->spans[n_spans].type = entity == -2 ? SPAN_TREATY_WORD : SPAN_ENTITY;
        s->spans[n_spans].entity = entity;
        n_spans++;
        if (entity >= 0) {
            /* later short forms in this window may rely on it */
            entity_slot *slot = slot_get(s, entity, 1);
            if (slot)
                slot->flags |= F_FULL;
        }
    }

    n_entity_spans = n_spans;
    if (s->opt.types & (GEOTAG_TYPE_FIGURES | GEOTAG_TYPE_DATES |
                        GEOTAG_TYPE_TREATIES)) {
        n_figures = geotag_figures_find(s->engine->figures, s->scratch, n->key,
                                        n->len, s->lang[0] ? s->lang : NULL,
                                        s->figures,
                                        s->opt.limits.figures_window);
        for (i = 0; i < n_figures; i++) {
            int k, overlaps = 0;
            if (s->figures[i].start >= limit)
                break;
            for (k = 0; k < n_spans && !overlaps; k++)
                overlaps = s->spans[k].start < s->figures[i].end &&
                           s->figures[i].start < s->spans[k].end;
            if (overlaps)
                continue;
            if (s->figures[i].kind == GEOTAG_FIGURE_NUMBER &&
                !s->figures[i].unit &&
                names_a_number(s, n->key, s->figures[i].start))
                continue;
            if (n_spans == s->spans_cap)
                grow_spans(s);
            s->spans[n_spans].start = s->figures[i].start;
            s->spans[n_spans].end = s->figures[i].end;
            s->spans[n_spans].type = SPAN_FIGURE;
            s->spans[n_spans].figure = i;
            s->spans[n_spans].entity = -1;
            n_spans++;
        }
    }

    sort_spans(s, n_entity_spans, n_spans);
    for (i = 0; i < n_spans; i++) {
        span *sp = &s->spans[i];
        if (sp->type == SPAN_TREATY_WORD) {
            int t = (s->opt.types & GEOTAG_TYPE_TREATIES)
                        ? resolve_treaty(s, s->spans, n_spans, i)
                        : -1;
            if (t < 0)
                continue;
            sp->type = SPAN_ENTITY;
            sp->entity = t;
        }
        else if (sp->type == SPAN_ENTITY &&
                 entity_at(s, sp->entity)->kind == GEOTAG_KIND_TREATY) {
            named_treaty(s, sp);
        }
        emit_span(s, sp, headline);
        if (sp->end > done)
            done = sp->end;
    }
    return done;
}

/* The normalized copies are sized for the runs seen so far (most are a
 * paragraph), not for the largest run the text buffer allows: they grow,
 * doubling, up to that. */
static void norm_reserve(geotag_session *s, apr_size_t text_len)
{
    apr_size_t want, cap;

    if (text_len <= s->norm_text_cap && s->norm.key)
        return;
    want = s->norm_text_cap ? s->norm_text_cap : NORM_FIRST;
    while (want < text_len)
        want *= 2;
    if (want > s->text_cap)
        want = s->text_cap;
    cap = geotag_normalize_capacity(want);
    s->norm.key = apr_palloc(s->pool, cap);
    s->norm.cased = apr_palloc(s->pool, cap);
    s->norm.from = apr_palloc(s->pool, sizeof(apr_uint32_t) * (cap + 1));
    s->norm_text_cap = want;
}

/* Process the buffered run; 'final' when it has ended, else only a prefix
 * cut at white space, keeping a tail for matches that cross the cut. */
static void process_text(geotag_session *s, int final)
{
    apr_size_t cut = s->text_len, limit, done, consumed;

    if (s->text_len == 0)
        return;
    if (final && s->text_len < 64) {
        /* the white space between block tags: nothing to match */
        apr_size_t i = 0;
        while (i < s->text_len && (s->text[i] == ' ' || s->text[i] == '\n' ||
                                   s->text[i] == '\t' || s->text[i] == '\r'))
            i++;
        if (i == s->text_len) {
            s->text_start += s->text_len;
            s->text_len = 0;
            return;
        }
    }
    if (!final) {
        apr_size_t c = s->text_len > s->keep ? s->text_len - s->keep : 0;
        while (c > 0 && s->text[c] != ' ' && s->text[c] != '\n' &&
               s->text[c] != '\t' && s->text[c] != '\r')
            c--;
        if (c == 0) /* no white space: cut where no character is split */
            c = geotag_normalize_safe_end(s->text, s->text_len - s->keep / 2,
                                          s->charset);
        cut = c;
    }
    if (!s->stopped && !s->saturated) {
        norm_reserve(s, s->text_len);
        geotag_normalize(s->text, s->text_len, s->charset,
                         s->engine->gazetteer->fold_accents, &s->norm);
        if (cut >= s->text_len) {
            limit = s->norm.len;
        }
        else { /* first key byte from at or after the cut: from[] is sorted */
            apr_size_t lo = 0, hi = s->norm.len;
            while (lo < hi) {
                apr_size_t mid = lo + (hi - lo) / 2;
                if (s->norm.from[mid] < cut)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            limit = lo;
        }
        done = match_window(s, limit);
        consumed = done >= s->norm.len ? s->text_len : s->norm.from[done];
        if (consumed < cut)
            consumed = cut;
    }
    else {
        consumed = cut;
    }
    if (final || consumed >= s->text_len) {
        s->text_start += s->text_len;
        s->text_len = 0;
        return;
    }
    memmove(s->text, s->text + consumed, s->text_len - consumed);
    s->text_len -= consumed;
    s->text_start += consumed;
}

/* The page is (listing = 1) or is not (0) a listing: release or withdraw
 * the edits kept back. */
static void decide_listing(geotag_session *s, int listing)
{
    if (!s->undecided)
        return;
    s->undecided = 0;
    if (listing) {
        s->edits_total -= s->edits_len - s->edits_head;
        s->edits_head = s->edits_len = 0;
        s->n_mentions = 0;
    }
    s->hold_from = -1;
}

/* The hold ends when the page reaches hold_from + hold.  That point must
 * not depend on the chunking (the same page gives the same edits however
 * it arrives), so it is judged where the page is, not where a chunk ends:
 * by the start of each tag (on_tag) and, after a chunk, by the start of
 * the token still in progress.  A second top-level <article> starting
 * within the hold is then always seen while the edits are still held. */
static void hold_expire(geotag_session *s, apr_off_t at)
{
    if (s->undecided && s->hold_from >= 0 &&
        at - s->hold_from > (apr_off_t)s->opt.limits.hold)
        decide_listing(s, 0);
}

/* ------------------------------------------------------------------ */
/* lexer events                                                        */

static int taggable(const geotag_session *s)
{
    return s->scope_active && !s->stopped && !s->saturated &&
           s->nav_depth == 0 &&
           s->aside_depth == 0 && s->form_depth == 0 &&
           s->page_header_depth == 0 && s->page_footer_depth == 0 &&
           s->optout_depth == 0 && s->nogo_total == 0;
}

static int excluded(const geotag_session *s)
{
    return s->nav_depth || s->aside_depth || s->form_depth ||
           s->page_header_depth || s->page_footer_depth;
}

static void set_charset(geotag_session *s, const char *label, apr_size_t len)
{
    if (s->charset_locked || s->body_seen)
        return;
    s->charset = geotag_charset_lookup(label, len);
    s->charset_locked = 1;
    if (s->charset == GEOTAG_CHARSET_UNSUPPORTED) {
        session_log(s, GEOTAG_LOG_MARK, GEOTAG_LOG_INFO,
                    GEOTAG_LOGNO(203) "charset \"%.*s\" is not one the "
                    "engine reads: page passed through untouched", (int)(len > 40 ? 40 : len), label);
        stop(s, GEOTAG_STATUS_CHARSET);
    }
}

static void head_tag(geotag_session *s, const geotag_tag *tag)
{
    const geotag_attr *a;

    switch (tag->element) {
    case GEOTAG_EL_HTML:
        a = geotag_tag_attr(tag, "lang");
        if (a && !s->lang_forced && a->value_len > 0) {
            apr_size_t n = strcspn(a->value, "-_");
            if (n >= sizeof(s->lang))
                n = sizeof(s->lang) - 1;
            memcpy(s->lang, a->value, n);
            s->lang[n] = '\0';
            lower_ascii(s->lang);
        }
        break;
    case GEOTAG_EL_META:
        if ((a = geotag_tag_attr(tag, "charset")) != NULL) {
            set_charset(s, a->value, a->value_len);
        }
        else if (attr_is(tag, "http-equiv", "content-type") &&
                 (a = geotag_tag_attr(tag, "content")) != NULL) {
            const char *cs = strstr(a->value, "charset=");
            if (!cs)
                cs = strstr(a->value, "CHARSET=");
            if (cs) {
                cs += 8;
                set_charset(s, cs, strcspn(cs, "; \"'"));
            }
        }
        else if (attr_is(tag, "name", "geotag") &&
                 attr_is(tag, "content", "off")) {
            session_log(s, GEOTAG_LOG_MARK, GEOTAG_LOG_DEBUG,
                        GEOTAG_LOGNO(204) "page opts out with <meta "
                        "name=\"geotag\" content=\"off\">");
            stop(s, GEOTAG_STATUS_OPTED_OUT);
        }
        break;
    case GEOTAG_EL_LINK:
        if (!s->canonical && attr_is(tag, "rel", "canonical") &&
            (a = geotag_tag_attr(tag, "href")) != NULL && !a->truncated &&
            a->value_len < s->opt.limits.url)
            s->canonical = decode_attr(s->pool, a);
        break;
    case GEOTAG_EL_SCRIPT:
        if ((a = geotag_tag_attr(tag, "id")) != NULL &&
            strcmp(a->value, "geotag-jsonld") == 0) {
            session_log(s, GEOTAG_LOG_MARK, GEOTAG_LOG_DEBUG,
                        GEOTAG_LOGNO(207) "page already carries a geotag "
                        "JSON-LD block: left as is");
            stop(s, GEOTAG_STATUS_ALREADY);
        }
        else if ((a = geotag_tag_attr(tag, "type")) != NULL &&
                 strncasecmp(a->value, "application/ld+json", 19) == 0) {
            s->in_page_jsonld = 1;
            s->page_jsonld_len = 0;
            s->page_jsonld_overflow = 0;
        }
        break;
    default:
        break;
    }
}

static void page_jsonld_done(geotag_session *s)
{
    s->in_page_jsonld = 0;
    if (s->page_jsonld_overflow || s->page_jsonld_len == 0)
        return;
    if (s->charset == GEOTAG_CHARSET_WINDOWS_1252) {
        apr_size_t n;
        char *u = geotag_to_utf8(s->pool, s->page_jsonld, s->page_jsonld_len,
                                 s->charset, &n);
        geotag_jsonld_scan(s->pool, u, n, &s->facts);
        return;
    }
    geotag_jsonld_scan(s->pool, s->page_jsonld, s->page_jsonld_len, &s->facts);
}

/* The tag has the scope element's name (known elements by number). */
static int is_scope_tag(const geotag_session *s, const geotag_tag *tag)
{
    if (s->scope_element != GEOTAG_EL_OTHER)
        return tag->element == s->scope_element;
    return strcmp(tag->name, s->scope_name) == 0;
}

static int scope_rule_matches(const geotag_session *s, const geotag_tag *tag)
{
    int i;
    for (i = 0; i < s->opt.n_scope; i++) {
        const geotag_scope_rule *r = &s->opt.scope[i];
        if (r->element) {
            geotag_element want = s->scope_rule_elements[i];
            if (want != GEOTAG_EL_OTHER ? tag->element != want
                                        : strcmp(r->element, tag->name) != 0)
                continue;
        }
        if (r->attribute && !attr_is(tag, r->attribute, r->value))
            continue;
        return 1;
    }
    return 0;
}

static int is_nogo(geotag_element el)
{
    switch (el) {
    case GEOTAG_EL_TEMPLATE: case GEOTAG_EL_TEXTAREA: case GEOTAG_EL_SVG:
    case GEOTAG_EL_MATH: case GEOTAG_EL_CODE: case GEOTAG_EL_PRE:
    case GEOTAG_EL_KBD: case GEOTAG_EL_SAMP: case GEOTAG_EL_A:
    case GEOTAG_EL_BUTTON: case GEOTAG_EL_SELECT: case GEOTAG_EL_OPTION:
    case GEOTAG_EL_LABEL: case GEOTAG_EL_TIME: case GEOTAG_EL_DATA:
    case GEOTAG_EL_TITLE: case GEOTAG_EL_SCRIPT: case GEOTAG_EL_STYLE:
        return 1;
    default:
        return 0;
    }
}

static void emit_jsonld(geotag_session *s, apr_off_t offset);

static void on_tag(void *baton, const geotag_tag *tag)
{
    geotag_session *s = baton;
    const geotag_attr *a;
    geotag_element el = tag->element;

    hold_expire(s, tag->start);
    if (!tag->is_end) {
        if (!s->body_seen)
            head_tag(s, tag);
        else if (el == GEOTAG_EL_SCRIPT || el == GEOTAG_EL_META ||
                 el == GEOTAG_EL_LINK)
            head_tag(s, tag); /* JSON-LD and links in the body count too */
        if (el == GEOTAG_EL_BODY)
            s->body_seen = 1;
        if ((a = geotag_tag_attr(tag, "data-geotag")) != NULL) {
            if (has_word(a->value, a->value_len, "off")) {
                if (s->optout_depth == 0)
                    apr_cpystrn(s->optout_name, tag->name,
                                sizeof(s->optout_name));
            }
            else {
                session_log(s, GEOTAG_LOG_MARK, GEOTAG_LOG_DEBUG,
                            GEOTAG_LOGNO(205) "page already carries geotag "
                            "markup: left as is");
                stop(s, GEOTAG_STATUS_ALREADY);
            }
        }
        if (s->optout_depth == 0 && attr_is(tag, "class", "geotag-off"))
            apr_cpystrn(s->optout_name, tag->name, sizeof(s->optout_name));
        if (s->optout_name[0] && strcmp(s->optout_name, tag->name) == 0 &&
            !tag->self_closing)
            s->optout_depth++;
    }
    else {
        if (s->optout_depth > 0 && strcmp(s->optout_name, tag->name) == 0 &&
            --s->optout_depth == 0)
            s->optout_name[0] = '\0';
        if (el == GEOTAG_EL_SCRIPT && s->in_page_jsonld)
            page_jsonld_done(s);
        if (el == GEOTAG_EL_BODY || el == GEOTAG_EL_HTML)
            emit_jsonld(s, tag->start);
    }

    /* scope */
    if (!tag->is_end) {
        if (el == GEOTAG_EL_ARTICLE && s->article_depth == 0 && !excluded(s) &&
            ++s->top_articles > 1 && !s->stopped) {
            session_log(s, GEOTAG_LOG_MARK, GEOTAG_LOG_DEBUG,
                        GEOTAG_LOGNO(206) "several top-level <article> "
                        "elements: a listing, left untagged");
            process_text(s, 1);
            decide_listing(s, 1);
            stop(s, GEOTAG_STATUS_LISTING);
        }
        if (!s->scope_active && !s->scope_seen && !excluded(s) &&
            s->nogo_total == 0 && scope_rule_matches(s, tag)) {
            s->scope_active = s->scope_seen = 1;
            s->undecided = 1;
            s->scope_by_main = el == GEOTAG_EL_MAIN;
            apr_cpystrn(s->scope_name, tag->name, sizeof(s->scope_name));
            s->scope_element = el;
            s->scope_depth = 0;
        }
        if (s->scope_active && is_scope_tag(s, tag) &&
            !tag->self_closing)
            s->scope_depth++;
    }
    else if (s->scope_active && is_scope_tag(s, tag) &&
             --s->scope_depth <= 0) {
        s->scope_active = 0;
        /* an <article> scope decides when its parent's next sibling could
         * show up, i.e. it stays undecided until </body> or the budget */
        if (s->scope_element != GEOTAG_EL_ARTICLE)
            decide_listing(s, 0);
    }

    switch (el) {
    case GEOTAG_EL_ARTICLE:
        if (!tag->is_end)
            s->article_depth++;
        else if (s->article_depth > 0)
            s->article_depth--;
        break;
    case GEOTAG_EL_NAV:
        s->nav_depth += tag->is_end ? (s->nav_depth > 0 ? -1 : 0) : 1;
        break;
    case GEOTAG_EL_ASIDE:
        s->aside_depth += tag->is_end ? (s->aside_depth > 0 ? -1 : 0) : 1;
        break;
    case GEOTAG_EL_FORM:
        s->form_depth += tag->is_end ? (s->form_depth > 0 ? -1 : 0) : 1;
        break;
    case GEOTAG_EL_HEADER:
    case GEOTAG_EL_FOOTER: {
        int *page = el == GEOTAG_EL_HEADER ? &s->page_header_depth
                                           : &s->page_footer_depth;
        int *inner = el == GEOTAG_EL_HEADER ? &s->article_header_depth
                                            : &s->article_footer_depth;
        if (!tag->is_end) {
            /* page-level: outside every article, and not inside a scope
             * that is the article body itself ([itemprop=articleBody]) */
            if (*page > 0 ||
                (s->article_depth == 0 && (!s->scope_active || s->scope_by_main)))
                (*page)++;
            else
                (*inner)++;
        }
        else if (*inner > 0) {
            (*inner)--;
        }
        else if (*page > 0) {
            (*page)--;
        }
        break;
    }
    case GEOTAG_EL_H1:
        if (!tag->is_end && !s->headline_done && taggable(s))
            s->h1_open = 1;
        else if (tag->is_end && s->h1_open) {
            s->h1_open = 0;
            s->headline_done = 1;
        }
        break;
    default:
        break;
    }

    if (is_nogo(el)) {
        if (!tag->is_end) {
            if (!tag->self_closing || el == GEOTAG_EL_SCRIPT ||
                el == GEOTAG_EL_A) {
                s->nogo[el]++;
                s->nogo_total++;
            }
        }
        else if (s->nogo[el] > 0) {
            s->nogo[el]--;
            s->nogo_total--;
        }
        if (tag->is_end && el == GEOTAG_EL_SELECT && s->nogo[GEOTAG_EL_OPTION]) {
            s->nogo_total -= s->nogo[GEOTAG_EL_OPTION];
            s->nogo[GEOTAG_EL_OPTION] = 0;
        }
    }
}

static void on_text(void *baton, apr_off_t offset, const char *data,
                    apr_size_t len, geotag_text_kind kind,
                    geotag_element container)
{
    geotag_session *s = baton;

    if (kind == GEOTAG_TEXT_RAWTEXT) {
        if (container == GEOTAG_EL_SCRIPT && s->in_page_jsonld) {
            if (s->page_jsonld_len + len > s->opt.limits.page_jsonld) {
                s->page_jsonld_overflow = 1;
                return;
            }
            memcpy(s->page_jsonld + s->page_jsonld_len, data, len);
            s->page_jsonld_len += len;
        }
        return;
    }
    if (kind == GEOTAG_TEXT_RCDATA) {
        if (container == GEOTAG_EL_TITLE && !s->body_seen) {
            apr_size_t n = len;
            if (s->title_len + n > s->opt.limits.title)
                n = s->opt.limits.title - s->title_len;
            memcpy(s->title + s->title_len, data, n);
            s->title_len += n;
        }
        return;
    }
    if (kind != GEOTAG_TEXT_DATA || !taggable(s))
        return;
    if (s->text_len > 0 && s->text_start + (apr_off_t)s->text_len != offset)
        process_text(s, 1);
    while (len > 0) {
        apr_size_t n;
        if (s->text_len == 0) {
            s->text_start = offset;
            s->text_headline = s->h1_open;
        }
        n = s->text_cap - s->text_len;
        if (n > len)
            n = len;
        memcpy(s->text + s->text_len, data, n);
        s->text_len += n;
        offset += n;
        data += n;
        len -= n;
        if (s->text_len == s->text_cap)
            process_text(s, 0);
    }
}

static void on_run_end(void *baton, apr_off_t offset)
{
    process_text(baton, 1);
}

/* ------------------------------------------------------------------ */
/* the JSON-LD                                                         */

/* The page's end (</body>, </html> or the end of the stream) is reached:
 * the JSON-LD goes at 'offset', or nowhere when offset is -1. */
static void emit_jsonld(geotag_session *s, apr_off_t offset)
{
    if (s->jsonld_done)
        return;
    s->jsonld_done = 1;
    process_text(s, 1);
    decide_listing(s, 0);
    if (!s->opt.jsonld || s->stopped || !s->scope_seen || offset < 0)
        return;
    if (s->n_entities == 0 && s->n_figure_facts == 0)
        return;
    edit_push(s, offset, GEOTAG_EDIT_JSONLD);
    geotag_session_document(s, s->pool, &s->frozen_doc);
    s->doc_frozen = 1;
}

/*
 * Resolves a possibly relative IRI against base (RFC 3986 section 5.2, by
 * libxml2: dot segments removed, a query or fragment kept).  A base that is
 * no absolute URL resolves nothing, and an IRI libxml2 cannot parse (a
 * space, a raw non-ASCII character) is kept as the page wrote it rather
 * than guessed at.  Limit: libxml2 2.9 writes the resolved path anew, so
 * a ':' in a relative path comes out as %3A and an escape such as %2F is
 * decoded; an absolute IRI is always kept byte for byte.
 */
static const char *absolute_iri(apr_pool_t *pool, const char *iri,
                                const char *base)
{
    xmlChar *built;
    const char *out;

    if (!iri || !base || !strstr(base, "://"))
        return iri;
    built = xmlBuildURI((const xmlChar *)iri, (const xmlChar *)base);
    if (!built)
        return iri;
    out = apr_pstrdup(pool, (const char *)built);
    xmlFree(built);
    return out;
}

/* The headline when there was no <h1> in scope: mark entities it names. */
static void headline_from_text(geotag_session *s, const char *text,
                               apr_size_t len)
{
    geotag_normalized n;
    apr_size_t cap = geotag_normalize_capacity(len), pos = 0;
    geotag_match m;
    geotag_normalized saved = s->norm;

    n.key = apr_palloc(s->pool, cap);
    n.cased = apr_palloc(s->pool, cap);
    n.from = apr_palloc(s->pool, sizeof(apr_uint32_t) * (cap + 1));
    geotag_normalize(text, len, s->charset, s->engine->gazetteer->fold_accents,
                     &n);
    s->norm = n;
    while (geotag_matcher_next(s->engine->matcher, n.key, n.len, &pos, &m)) {
        int i, done = 0;
        for (i = 0; i < m.n_aliases && !done; i++) {
            const geotag_alias *a = alias_at(s, m.aliases[i]);
            entity_slot *slot;
            if (a->entity < 0 || !lang_matches(s, a->lang) ||
                !case_matches(s, &m, m.aliases[i]))
                continue;
            slot = slot_get(s, a->entity, 0);
            if (slot && (slot->flags & F_FULL)) {
                slot->flags |= F_HEADLINE;
                done = 1;
            }
        }
    }
    s->norm = saved;
}

void geotag_session_document(geotag_session *s, apr_pool_t *pool,
                             geotag_document *out)
{
    geotag_document doc;
    int *about, *mentions, n_about = 0, n_mentions = 0, i, order;
    entity_slot **by_order;
    const char *base = s->canonical ? s->canonical : s->opt.url;
    const char **types;

    if (s->doc_frozen) {
        *out = s->frozen_doc;
        return;
    }
    if (!s->headline_done) {
        if (s->facts.headline)
            headline_from_text(s, s->facts.headline, strlen(s->facts.headline));
        else if (s->title_len)
            headline_from_text(s, s->title, s->title_len);
    }
    about = apr_palloc(pool, sizeof(int) * (s->n_entities + 1));
    mentions = apr_palloc(pool, sizeof(int) * (s->n_entities + 1));
    /* slots in first-occurrence order: orders are dense from 0 */
    by_order = apr_pcalloc(pool, sizeof(entity_slot *) * (s->next_order + 1));
    for (i = 0; i <= (int)s->slot_mask; i++)
        if (s->slots[i].entity >= 0)
            by_order[s->slots[i].order] = &s->slots[i];
    for (order = 0; order < s->next_order; order++) {
        entity_slot *slot = by_order[order];
        if (!slot || !(slot->flags & F_FULL))
            continue;
        if ((slot->flags & (F_HEADLINE | F_SHORT_HEADLINE)) &&
            n_about < s->opt.limits.about)
            about[n_about++] = slot->entity;
        else if (n_mentions < s->opt.limits.jsonld_mentions)
            mentions[n_mentions++] = slot->entity;
    }

    memset(&doc, 0, sizeof(doc));
    /* a copy: a frozen document must not follow a later <html lang> */
    doc.lang = s->lang[0] ? apr_pstrdup(pool, s->lang) : "en";
    if (s->facts.article_id) {
        doc.subject_id = absolute_iri(pool, s->facts.article_id, base);
        doc.n_subject_types = s->facts.article_types
                                  ? s->facts.article_types->nelts : 0;
        doc.subject_types =
            doc.n_subject_types
                ? (const char *const *)s->facts.article_types->elts
                : NULL;
    }
    else {
        static const char *webpage[] = {"WebPage"};
        const char *id = s->facts.main_entity_of_page;
        if (!id)
            id = s->canonical;
        if (!id && s->opt.url)
            id = apr_pstrndup(pool, s->opt.url, strcspn(s->opt.url, "?#"));
        doc.subject_id = absolute_iri(pool, id, base);
        types = webpage;
        doc.subject_types = types;
        doc.n_subject_types = 1;
    }
    doc.about = about;
    doc.n_about = n_about;
    doc.mentions = mentions;
    doc.n_mentions = n_mentions;
    doc.figures = s->figure_facts;
    doc.n_figures = s->n_figure_facts;
    *out = doc;
}

const char *geotag_session_jsonld(geotag_session *s, apr_pool_t *pool,
                                  apr_size_t *len)
{
    geotag_document doc;
    geotag_session_document(s, pool, &doc);
    return geotag_jsonld_write(pool, s->engine->gazetteer, &doc, len);
}

/* ------------------------------------------------------------------ */
/* public API                                                          */

void geotag_options_default(geotag_options *o)
{
    memset(o, 0, sizeof(*o));
    o->types = GEOTAG_TYPE_ALL;
    o->jsonld = 1;
    o->markup = GEOTAG_MARKUP_DATA;
}

static void limits_default(geotag_limits *l)
{
    if (!l->text_buffer)
        l->text_buffer = DEFAULT_TEXT_BUFFER;
    if (l->text_buffer < 4096)
        l->text_buffer = 4096;
    if (!l->page_jsonld)
        l->page_jsonld = DEFAULT_PAGE_JSONLD;
    if (!l->entities)
        l->entities = DEFAULT_ENTITIES;
    if (!l->mentions)
        l->mentions = DEFAULT_MENTIONS;
    if (!l->about)
        l->about = DEFAULT_ABOUT;
    if (!l->jsonld_mentions)
        l->jsonld_mentions = DEFAULT_JSONLD_MENTIONS;
    if (!l->jsonld_figures)
        l->jsonld_figures = DEFAULT_JSONLD_FIGURES;
    if (!l->hold)
        l->hold = DEFAULT_HOLD;
    if (!l->title)
        l->title = DEFAULT_TITLE;
    if (!l->url)
        l->url = DEFAULT_URL;
    if (!l->figures_window)
        l->figures_window = DEFAULT_FIGURES_WINDOW;
    if (!l->treaty_families)
        l->treaty_families = DEFAULT_TREATY_FAMILIES;
}

geotag_scope_rule *geotag_scope_parse(apr_pool_t *pool, const char *spec,
                                      int *n, const char **error)
{
    apr_array_header_t *rules = apr_array_make(pool, 4, sizeof(geotag_scope_rule));
    const char *p = spec;

    while (*p) {
        geotag_scope_rule *r;
        const char *b;
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (!*p)
            break;
        r = apr_array_push(rules);
        memset(r, 0, sizeof(*r));
        b = p;
        while (*p && *p != '[' && *p != ' ' && *p != '\t' && *p != ',')
            p++;
        if (p > b) {
            char *name = apr_pstrndup(pool, b, p - b);
            lower_ascii(name);
            r->element = name;
        }
        if (*p == '[') {
            const char *eq = strchr(p, '='), *close = strchr(p, ']');
            char *attr;
            if (!eq || !close || eq > close || eq == p + 1 || close == eq + 1) {
                *error = apr_psprintf(pool, "bad scope rule \"%s\": expected "
                                      "name, [attribute=word] or "
                                      "name[attribute=word]", b);
                return NULL;
            }
            attr = apr_pstrndup(pool, p + 1, eq - p - 1);
            lower_ascii(attr);
            r->attribute = attr;
            r->value = apr_pstrndup(pool, eq + 1, close - eq - 1);
            if (r->value[0] == '"' || r->value[0] == '\'')
                r->value = apr_pstrndup(pool, r->value + 1,
                                        strlen(r->value) - 2);
            p = close + 1;
        }
        if (!r->element && !r->attribute) {
            *error = apr_psprintf(pool, "bad scope rule near \"%s\"", b);
            return NULL;
        }
    }
    if (rules->nelts == 0) {
        *error = "an empty scope would tag nothing";
        return NULL;
    }
    *n = rules->nelts;
    return (geotag_scope_rule *)rules->elts;
}

geotag_engine *geotag_engine_load(apr_pool_t *pool, const char *schema,
                                  const char *lang_packs,
                                  const char *const *files, int n_files,
                                  const char **error)
{
    geotag_engine *e = apr_pcalloc(pool, sizeof(*e));
    geotag_gazetteer *g = geotag_gazetteer_load(pool, schema, lang_packs,
                                                files, n_files, error);
    if (!g)
        return NULL;
    e->gazetteer = g;
    geotag_jsonld_prepare(pool, g);
    geotag_edits_prepare(pool, g);
    if (!(e->matcher = geotag_matcher_compile(pool, g, error)))
        return NULL;
    if (!(e->figures = geotag_figures_compile(pool, g, error)))
        return NULL;
    return e;
}

static const geotag_lexer_handler session_handler = {on_tag, on_text,
                                                     on_run_end};

/* Every attribute this file reads with geotag_tag_attr() or attr_is(),
 * besides the scope rules' own: the lexer keeps these whatever precedes
 * them in a tag, so that an opt-out or a language after a 5 KB hydration
 * attribute or thirty others is still seen. */
static const char *const session_attributes[] = {
    "lang", "charset", "http-equiv", "content", "name", "rel", "href", "id",
    "type", "data-geotag", "class"
};

geotag_session *geotag_session_create(apr_pool_t *pool,
                                      const geotag_engine *engine,
                                      const geotag_options *options)
{
    geotag_session *s = apr_pcalloc(pool, sizeof(*s));
    apr_size_t slots = 16, i;

    s->pool = pool;
    s->engine = engine;
    s->entities = (const geotag_entity *)engine->gazetteer->entities->elts;
    s->aliases = (const geotag_alias *)engine->gazetteer->aliases->elts;
    s->opt = *options;
    limits_default(&s->opt.limits);
    if (!s->opt.scope || s->opt.n_scope <= 0) {
        s->opt.scope = default_scope;
        s->opt.n_scope = sizeof(default_scope) / sizeof(default_scope[0]);
    }
    s->scope_rule_elements = apr_palloc(pool, sizeof(geotag_element) *
                                                  (apr_size_t)s->opt.n_scope);
    for (i = 0; i < (apr_size_t)s->opt.n_scope; i++) {
        const char *name = s->opt.scope[i].element;
        s->scope_rule_elements[i] =
            name ? geotag_element_lookup(name, strlen(name)) : GEOTAG_EL_OTHER;
    }
    s->lexer = geotag_lexer_create(pool, &session_handler, s);
    for (i = 0; i < sizeof(session_attributes) / sizeof(session_attributes[0]);
         i++)
        geotag_lexer_keep(s->lexer, session_attributes[i]);
    /* A rule's attribute past the lexer's table shares the tag's budget. */
    for (i = 0; i < (apr_size_t)s->opt.n_scope; i++) {
        if (s->opt.scope[i].attribute)
            geotag_lexer_keep(s->lexer, s->opt.scope[i].attribute);
    }
    s->scratch = geotag_figures_scratch_create(pool, engine->figures);
    s->charset = GEOTAG_CHARSET_UTF8;
    if (options->lang && options->lang[0]) {
        apr_size_t n = strcspn(options->lang, "-_");
        if (n >= sizeof(s->lang))
            n = sizeof(s->lang) - 1;
        memcpy(s->lang, options->lang, n);
        lower_ascii(s->lang);
        s->lang_forced = 1;
    }
    if (options->charset)
        set_charset(s, options->charset, strlen(options->charset));

    s->text_cap = s->opt.limits.text_buffer;
    s->text = apr_palloc(pool, s->text_cap);
    norm_reserve(s, s->text_cap < NORM_FIRST ? s->text_cap : NORM_FIRST);
    s->spans_cap = 256;
    s->spans = apr_palloc(pool, sizeof(span) * s->spans_cap);
    s->figures = apr_palloc(pool, sizeof(geotag_figure) *
                                      (apr_size_t)s->opt.limits.figures_window);
    s->spans_merge = apr_palloc(pool, sizeof(span) *
                                          (apr_size_t)s->opt.limits.figures_window);
    s->families = apr_palloc(pool, sizeof(struct treaty_family) *
                                       (apr_size_t)s->opt.limits.treaty_families);
    s->keep = geotag_matcher_max_form(engine->matcher) * 4 + 256;
    if (s->keep > s->text_cap / 2)
        s->keep = s->text_cap / 2;
    s->title = apr_palloc(pool, s->opt.limits.title);
    s->page_jsonld = apr_palloc(pool, s->opt.limits.page_jsonld);

    while (slots < (apr_size_t)s->opt.limits.entities * 2)
        slots <<= 1;
    s->slots = apr_palloc(pool, sizeof(entity_slot) * slots);
    for (i = 0; i < slots; i++)
        s->slots[i].entity = -1;
    s->slot_mask = slots - 1;
    s->figure_facts = apr_pcalloc(pool, sizeof(geotag_figure_fact) *
                                            (s->opt.limits.jsonld_figures + 1));
    s->last_described = -1;
    s->hold_from = -1;
    s->edits_cap = 64;
    s->edits = apr_palloc(pool, sizeof(geotag_edit) * s->edits_cap);
    s->status = GEOTAG_STATUS_TAGGED;
    return s;
}

static void lex(geotag_session *s, const char *data, apr_size_t len)
{
    geotag_lexer_feed(s->lexer, data, len);
    /* a token still in progress has not been reached yet (see hold_expire) */
    hold_expire(s, geotag_lexer_pending_start(s->lexer));
}

/* The page's first bytes are in s->head (all of them, or three): a byte
 * order mark sets the charset, then they are lexed. */
static void lex_head(geotag_session *s)
{
    const unsigned char *u = s->head;

    s->head_done = 1;
    if (s->head_len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
        set_charset(s, "utf-8", 5);
    else if (s->head_len >= 2 &&
             ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
        set_charset(s, "utf-16", 6);
    if (!s->stopped && s->head_len > 0)
        lex(s, (const char *)s->head, s->head_len);
}

void geotag_session_feed(geotag_session *s, const char *data, apr_size_t len)
{
    if (s->finished || len == 0)
        return;
    s->fed += (apr_off_t)len;
    if (s->stopped)
        return;
    if (!s->head_done) {
        apr_size_t take = sizeof(s->head) - s->head_len;
        if (take > len)
            take = len;
        memcpy(s->head + s->head_len, data, take);
        s->head_len += take;
        data += take;
        len -= take;
        if (s->head_len < sizeof(s->head))
            return;
        lex_head(s);
        if (s->stopped)
            return;
    }
    if (len > 0)
        lex(s, data, len);
}

void geotag_session_finish(geotag_session *s)
{
    if (s->finished)
        return;
    if (!s->head_done)
        lex_head(s);
    if (s->stopped) {
        s->finished = 1;
        return;
    }
    geotag_lexer_finish(s->lexer);
    process_text(s, 1);
    /* A page may end inside <plaintext>, an unclosed <script>, <textarea>,
     * a comment or a tag: there the block would be text shown on the page,
     * script, or part of the tag, so it is left out. */
    emit_jsonld(s, geotag_lexer_in_data(s->lexer) ? geotag_lexer_offset(s->lexer)
                                                 : -1);
    s->finished = 1;
    if (!s->stopped && !s->saturated) {
        if (!s->scope_seen)
            s->status = GEOTAG_STATUS_NO_SCOPE;
        else if (s->edits_total == 0)
            s->status = GEOTAG_STATUS_NOTHING;
        else
            s->status = GEOTAG_STATUS_TAGGED;
    }
}

int geotag_session_next_edit(geotag_session *s, geotag_edit *edit)
{
    if (s->edits_head >= s->edits_len || s->undecided)
        return 0;
    *edit = s->edits[s->edits_head++];
    return 1;
}

apr_off_t geotag_session_stable(const geotag_session *s)
{
    apr_off_t stable;
    if (s->finished || s->stopped)
        return s->fed;
    stable = s->text_len > 0 ? s->text_start
                             : geotag_lexer_pending_start(s->lexer);
    if (s->undecided && s->hold_from >= 0 && s->hold_from < stable)
        stable = s->hold_from;
    return stable;
}

const char *geotag_session_render(geotag_session *s, const geotag_edit *edit,
                                  apr_pool_t *pool, char *buf,
                                  apr_size_t *len)
{
    geotag_document doc, *d = NULL;

    if (geotag_edit_needs_document(edit)) {
        geotag_session_document(s, pool, &doc);
        d = &doc;
    }
    return geotag_edit_render_any(edit, s->engine->gazetteer, s->opt.markup,
                                  d, pool, buf, len);
}

geotag_status geotag_session_status(const geotag_session *s)
{
    return s->status;
}

int geotag_session_stopped(const geotag_session *s)
{
    return s->stopped;
}

apr_off_t geotag_session_lexed(const geotag_session *s)
{
    return geotag_lexer_offset(s->lexer);
}

int geotag_session_mentions(const geotag_session *s)
{
    return s->n_mentions;
}

int geotag_session_entities(const geotag_session *s)
{
    return s->n_entities;
}

const char *geotag_status_name(geotag_status status)
{
    switch (status) {
    case GEOTAG_STATUS_TAGGED: return "tagged";
    case GEOTAG_STATUS_NOTHING: return "nothing-found";
    case GEOTAG_STATUS_NO_SCOPE: return "no-scope";
    case GEOTAG_STATUS_LISTING: return "listing";
    case GEOTAG_STATUS_OPTED_OUT: return "opted-out";
    case GEOTAG_STATUS_ALREADY: return "already-tagged";
    case GEOTAG_STATUS_CHARSET: return "charset";
    case GEOTAG_STATUS_LIMIT: return "limit";
    }
    return "unknown";
}
