/*
 * annotator.c: a page through the engine (a session).
 *
 * Here's the concept.  The lexer turns bytes into events; this file hands
 * each to the room that owns it, buffers the current text run while it is
 * in scope, and turns what the run names into edits:
 *
 *   page.c      the page's facts: charset, language, canonical link,
 *               title, its own JSON-LD, the opt-outs in its head
 *   scope.c     where we are: the scope, the excluded regions, the no-go
 *               and opted-out elements, the headline, listing detection
 *   window.c    a run (or a window of a long one) normalized and matched:
 *               gazetteer forms, figures and dates, treaty words (which
 *               treaty.c resolves); its spans come back in text order
 *   document.c  what the page names (entity slots, figures), and the
 *               finished document the JSON-LD is rendered from
 *   here        the spans become edits, held while the page may still be
 *               a listing; the caps; the JSON-LD edit at </body>
 *
 * A run longer than the buffer is processed in windows cut at white space,
 * keeping a tail as long as the longest surface form, so memory stays
 * bounded whatever the page.
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

#include "annotator.h"
#include "office.h"
#include "document.h"
#include "jsonld.h"
#include "lexer.h"
#include "normalize.h"
#include "page.h"
#include "preview.h"
#include "scope.h"
#include "treaty.h"
#include "window.h"

#define DEFAULT_TEXT_BUFFER (64 * 1024)
#define DEFAULT_PAGE_JSONLD (64 * 1024)
#define DEFAULT_ENTITIES 500
#define DEFAULT_MENTIONS 2000
#define DEFAULT_ABOUT 5
#define DEFAULT_JSONLD_MENTIONS 50
#define DEFAULT_JSONLD_FIGURES 10
#define DEFAULT_HOLD (32 * 1024)
/* role phrases held at once; later ones, while the page's date is still
 * unknown, are not tagged */
#define GEOTAG_PENDING_MAX 16
#define DEFAULT_TITLE 1024
#define DEFAULT_URL 2048
#define DEFAULT_FIGURES_WINDOW 256
#define DEFAULT_TREATY_FAMILIES 8

struct geotag_session {
    apr_pool_t *pool;
    const geotag_engine *engine;
    geotag_options opt;
    geotag_lexer *lexer;

    geotag_page page;      /* what the page says about itself */
    geotag_scope scope;    /* where we are */
    geotag_findings found; /* what the page names; its document */
    geotag_treaty_resolver *treaties;

    /* the text run in scope being buffered, and its window */
    char *text;
    apr_size_t text_len, text_cap;
    apr_off_t text_start;
    int text_headline;
    apr_size_t keep; /* tail kept when a run is cut */
    /* what the text before the run leaves it (geotag_window_context):
     * reset at each block boundary; a run cut in windows continues */
    int ctx_initial;
    char ctx_prev[GEOTAG_WINDOW_PREV_MAX];
    apr_size_t ctx_prev_len;
    int text_cut; /* the buffered run's start was matched in a window */
    geotag_window *window;
    const geotag_entity *entities; /* the gazetteer's, hoisted */
    int n_mentions;

    /* edits not yet taken (held while the scope is undecided: a sibling
     * top-level <article>, or teasers on a page that declares no article,
     * then withdraw them all, so a listing is left untouched) */
    geotag_edit *edits;
    int edits_head, edits_len, edits_cap;
    int edits_total;
    int jsonld_done;
    geotag_preview *preview; /* the editor preview's mentions, or NULL */
    int preview_queued;      /* its edit is queued (not a finding) */

    /* role phrases met before the page told its date (GEOTAG_SPAN_PENDING):
     * edits from the first one on are held until the page tells it, the
     * page ends, or it goes the hold budget past the first; their edits'
     * entity is pending_code(k, 0) meanwhile, and that of the state or
     * body the phrase names (the mention if it resolves to nobody, "the US
     * president" on a day nobody held the office) pending_code(k, 1) */
    struct {
        apr_off_t from, to, state_from, state_to;
        int office, state, marked, headline;
    } pending[GEOTAG_PENDING_MAX];
    int n_pending;
    const char *fallback; /* the day for a page that tells none, or NULL */

    geotag_status status;
    int stopped;   /* no further edits (status says why): nothing more is
                      read, the rest of the page is the consumer's */
    int saturated; /* the mention cap is reached: no further markup, but
                      the page is read on for the JSON-LD's place */
    int finished;
    apr_off_t fed; /* bytes given to geotag_session_feed() */
    /* the first bytes, held until there are three (or the page ends): a
     * byte order mark decides the charset however the page is chunked */
    unsigned char head[3];
    apr_size_t head_len;
    int head_done;
};

/* ------------------------------------------------------------------ */
/* small helpers                                                       */

static void decide_listing(geotag_session *s, int listing);
static void resolve_pending(geotag_session *s, const char *day);

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
    resolve_pending(s, NULL);
    decide_listing(s, 0);
}

/* An event of the page's facts: an unreadable charset or an opt-out stops
 * the page. */
static void page_event(geotag_session *s, geotag_page_event ev)
{
    switch (ev) {
    case GEOTAG_PAGE_CHARSET: {
        apr_size_t len = s->page.refused_len;
        session_log(s, GEOTAG_LOG_MARK, GEOTAG_LOG_INFO,
                    GEOTAG_LOGNO(203) "charset \"%.*s\" is not one the "
                    "engine reads: page passed through untouched",
                    (int)(len > 40 ? 40 : len), s->page.refused);
        stop(s, GEOTAG_STATUS_CHARSET);
        break;
    }
    case GEOTAG_PAGE_OPTED_OUT:
        session_log(s, GEOTAG_LOG_MARK, GEOTAG_LOG_DEBUG,
                    GEOTAG_LOGNO(204) "page opts out with <meta "
                    "name=\"geotag\" content=\"off\">");
        stop(s, GEOTAG_STATUS_OPTED_OUT);
        break;
    case GEOTAG_PAGE_ALREADY:
        session_log(s, GEOTAG_LOG_MARK, GEOTAG_LOG_DEBUG,
                    GEOTAG_LOGNO(207) "page already carries a geotag "
                    "JSON-LD block: left as is");
        stop(s, GEOTAG_STATUS_ALREADY);
        break;
    default:
        break;
    }
}

/* ------------------------------------------------------------------ */
/* entities seen on this page                                          */

/* The entity cap is reached: the rest of the page is left as it is. */
static void entity_cap(geotag_session *s)
{
    session_log(s, GEOTAG_LOG_MARK, GEOTAG_LOG_INFO,
                GEOTAG_LOGNO(201) "more than %d distinct "
                "entities: the rest of the page is left untagged",
                s->opt.limits.entities);
    stop(s, GEOTAG_STATUS_LIMIT);
}

/* The entity's slot, made if need be; past the entity cap the page stops
 * (NULL). */
static geotag_slot *slot_get(geotag_session *s, int entity)
{
    geotag_slot *slot = geotag_findings_add(&s->found, entity);
    if (!slot)
        entity_cap(s);
    return slot;
}


static const geotag_entity *entity_at(const geotag_session *s, int i)
{
    return &s->entities[i];
}

/* ------------------------------------------------------------------ */
/* edits                                                               */

/* The entity of a held role phrase's edits (k its index in s->pending),
 * or of its state's (state = 1). */
static int pending_code(int k, int state)
{
    return -2 - 2 * k - state;
}

/* And back: the k of an edit's entity (its pair in *state), or -1 for an
 * edit of no held phrase. */
static int pending_of(int entity, int *state)
{
    if (entity > -2)
        return -1;
    *state = (-2 - entity) % 2;
    return (-2 - entity) / 2;
}

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
    geotag_scope_hold(&s->scope, offset);
    e->offset = offset;
    e->kind = (unsigned char)kind;
    e->entity = -1;
    s->edits_total++;
    return e;
}

/* ------------------------------------------------------------------ */
/* a window of text: its spans become edits                            */

static void report(geotag_session *s, apr_off_t offset, apr_size_t length,
                   const char *kind, const char *id, int marked, int entity,
                   int figure_kind)
{
    geotag_mention m;
    if (!s->opt.mention && !s->preview)
        return;
    m.offset = offset;
    m.length = length;
    m.kind = kind;
    m.id = id;
    m.marked = marked;
    m.entity = entity;
    m.figure_kind = figure_kind;
    if (s->preview)
        geotag_preview_add(s->preview, &m);
    if (s->opt.mention)
        s->opt.mention(s->opt.mention_baton, &m);
}

/* Source offset (absolute) of key offset i / of the end of key range. */
static apr_off_t source_at(const geotag_session *s, apr_size_t i)
{
    return s->text_start +
           (apr_off_t)geotag_window_norm(s->window)->from[i];
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

static void emit_span(geotag_session *s, const geotag_span *sp, int headline)
{
    apr_off_t from = source_at(s, sp->start), to = source_at(s, sp->end);
    int may_mark = s->opt.markup != GEOTAG_MARKUP_NONE;

    if (s->stopped || s->saturated)
        return;
    if (sp->type == GEOTAG_SPAN_ENTITY) {
        const geotag_entity *e = entity_at(s, sp->entity);
        geotag_slot *slot = slot_get(s, sp->entity);
        int mark;
        if (!slot)
            return;
        slot->flags |= GEOTAG_SLOT_FULL;
        if (headline)
            slot->flags |= GEOTAG_SLOT_HEADLINE;
        mark = may_mark && !(s->opt.first_only && (slot->flags & GEOTAG_SLOT_MARKED));
        if (mark && s->n_mentions >= s->opt.limits.mentions) {
            saturate(s);
            return;
        }
        if (mark) {
            geotag_edit *open = edit_push(s, from, GEOTAG_EDIT_OPEN_ENTITY);
            open->entity = sp->entity;
            edit_push(s, to, GEOTAG_EDIT_CLOSE_ENTITY);
            slot->flags |= GEOTAG_SLOT_MARKED;
            s->n_mentions++;
        }
        report(s, from, (apr_size_t)(to - from),
               e->kind == GEOTAG_KIND_TREATY ? "treaty" : "entity", e->id,
               mark, sp->entity, 0);
        return;
    }
    if (sp->type == GEOTAG_SPAN_PENDING) {
        int k = s->n_pending;
        if (k == GEOTAG_PENDING_MAX)
            return; /* too many held at once: not tagged */
        if (may_mark && s->n_mentions >= s->opt.limits.mentions) {
            saturate(s);
            return;
        }
        s->pending[k].from = from;
        s->pending[k].to = to;
        s->pending[k].office = sp->entity;
        s->pending[k].state = -1;
        if (sp->state_end > sp->state_start) {
            s->pending[k].state = sp->state;
            s->pending[k].state_from = source_at(s, sp->state_start);
            s->pending[k].state_to = source_at(s, sp->state_end);
        }
        s->pending[k].marked = may_mark;
        s->pending[k].headline = headline;
        s->n_pending++;
        if (may_mark) { /* one mention, counted now: the person's or the
                           state's */
            edit_push(s, from, GEOTAG_EDIT_OPEN_ENTITY)->entity =
                pending_code(k, 0);
            if (s->pending[k].state >= 0) {
                edit_push(s, s->pending[k].state_from,
                          GEOTAG_EDIT_OPEN_ENTITY)->entity = pending_code(k, 1);
                edit_push(s, s->pending[k].state_to,
                          GEOTAG_EDIT_CLOSE_ENTITY)->entity = pending_code(k, 1);
            }
            edit_push(s, to, GEOTAG_EDIT_CLOSE_ENTITY)->entity =
                pending_code(k, 0);
            s->n_mentions++;
        }
        return;
    }
    if (sp->type == GEOTAG_SPAN_FIGURE) {
        const geotag_figure *f = geotag_window_figure(s->window, sp->figure);
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
            geotag_findings_add_figure(&s->found, f);
        report(s, from, (apr_size_t)(to - from), date ? "date" : "figure",
               f->value, mark, -1, f->kind);
    }
}

/* The held role phrases are resolved on 'day' (NULL: dropped): each
 * becomes the person who held its office that day, or else the state or
 * body it names, or nothing. */
static void resolve_pending(geotag_session *s, const char *day)
{
    /* per held phrase: the entity its kept edits name (-1: none kept),
     * and which of its pairs they are (0 the phrase's, 1 the state's) */
    int entity[GEOTAG_PENDING_MAX], keep[GEOTAG_PENDING_MAX];
    int k, i, j;

    if (s->n_pending == 0)
        return;
    for (k = 0; k < s->n_pending; k++) {
        int who = -1, mark = 0;
        geotag_slot *slot = NULL;
        apr_off_t from = s->pending[k].from, to = s->pending[k].to;

        keep[k] = 0;
        if (day != NULL && !s->stopped)
            who = geotag_office_holder(s->engine->gazetteer,
                                       s->pending[k].office, day);
        if (who < 0 && !s->stopped && s->pending[k].state >= 0) {
            who = s->pending[k].state; /* "the US president": the US */
            keep[k] = 1;
            from = s->pending[k].state_from;
            to = s->pending[k].state_to;
        }
        if (who >= 0)
            slot = slot_get(s, who);
        if (slot != NULL) {
            slot->flags |= GEOTAG_SLOT_FULL;
            if (s->pending[k].headline)
                slot->flags |= GEOTAG_SLOT_HEADLINE;
            mark = s->pending[k].marked &&
                   !(s->opt.first_only && (slot->flags & GEOTAG_SLOT_MARKED));
            if (mark)
                slot->flags |= GEOTAG_SLOT_MARKED;
            report(s, from, (apr_size_t)(to - from), "entity",
                   entity_at(s, who)->id, mark, who, 0);
        }
        if (s->pending[k].marked && !mark)
            s->n_mentions--;
        entity[k] = mark ? who : -1;
    }
    /* their edits, in one pass: the kept pair names its entity, the
     * others leave the queue */
    for (i = j = s->edits_head; i < s->edits_len; i++) {
        geotag_edit *e = &s->edits[i];
        int state = 0;
        if ((e->kind == GEOTAG_EDIT_OPEN_ENTITY ||
             e->kind == GEOTAG_EDIT_CLOSE_ENTITY) &&
            (k = pending_of(e->entity, &state)) >= 0 && k < s->n_pending) {
            if (entity[k] < 0 || state != keep[k]) {
                s->edits_total--;
                continue;
            }
            e->entity = e->kind == GEOTAG_EDIT_OPEN_ENTITY ? entity[k] : -1;
        }
        s->edits[j++] = *e;
    }
    s->edits_len = j;
    s->n_pending = 0;
}

/* The page's date is known (or the page is past the hold budget after the
 * first held phrase, or 'end'): the held role phrases are resolved.  The
 * page is past 'at' only as far as its text has been matched: text still
 * buffered, which a chunk may end inside, is not (an entity cap in it
 * must stop the page while the phrases are held, however the page
 * arrives). */
static void settle_pending(geotag_session *s, apr_off_t at, int end)
{
    const char *day;

    if (s->n_pending == 0)
        return;
    if (s->text_len > 0 && at > s->text_start)
        at = s->text_start;
    day = geotag_page_date(&s->page);
    if (day[0])
        resolve_pending(s, day);
    else if (end || at - s->pending[0].from > (apr_off_t)s->opt.limits.hold)
        resolve_pending(s, s->fallback);
}

/* Match the window; its spans become edits.  Returns the key offset up to
 * which the window is done. */
static apr_size_t match_window(geotag_session *s, apr_size_t limit)
{
    apr_size_t done;
    int headline = s->text_headline, i;
    int n = geotag_window_match(s->window, limit, headline, &done);
    const geotag_span *spans = geotag_window_spans(s->window);

    if (geotag_window_full(s->window))
        entity_cap(s);
    for (i = 0; i < n; i++)
        if (spans[i].type != GEOTAG_SPAN_NONE)
            emit_span(s, &spans[i], headline);
    return done;
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
                                          geotag_page_charset(&s->page));
        cut = c;
    }
    if (!s->stopped && !s->saturated) {
        const geotag_normalized *n;
        if (s->text_cut)
            geotag_window_context(s->window, 0, NULL, 0);
        else
            geotag_window_context(s->window, s->ctx_initial, s->ctx_prev,
                                  s->ctx_prev_len);
        n = geotag_window_normalize(s->window, s->text, s->text_len,
                                    geotag_page_charset(&s->page));
        if (cut >= s->text_len) {
            limit = n->len;
        }
        else { /* first key byte from at or after the cut: from[] is sorted */
            apr_size_t lo = 0, hi = n->len;
            while (lo < hi) {
                apr_size_t mid = lo + (hi - lo) / 2;
                if (n->from[mid] < cut)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            limit = lo;
        }
        done = match_window(s, limit);
        if (final) {
            s->ctx_initial =
                geotag_window_tail(s->window, s->ctx_prev, &s->ctx_prev_len);
        }
        consumed = done >= n->len ? s->text_len : n->from[done];
        if (consumed < cut)
            consumed = cut;
    }
    else {
        consumed = cut;
    }
    if (final || consumed >= s->text_len) {
        s->text_start += s->text_len;
        s->text_len = 0;
        s->text_cut = 0;
        return;
    }
    s->text_cut = 1;
    memmove(s->text, s->text + consumed, s->text_len - consumed);
    s->text_len -= consumed;
    s->text_start += consumed;
}

/* The page is (listing = 1) or is not (0) a listing: release or withdraw
 * the edits kept back.  Teasers after the first article leave it an
 * article page only when it declares one by now (its JSON-LD or og:type);
 * else they make it a listing like siblings.  Once released, edits stay:
 * a later article changes nothing (on_tag), and the JSON-LD is written. */
static void decide_listing(geotag_session *s, int listing)
{
    if (!geotag_scope_undecided(&s->scope))
        return;
    if (!listing && geotag_scope_teasers(&s->scope) > 0 &&
        !geotag_page_declares_article(&s->page)) {
        session_log(s, GEOTAG_LOG_MARK, GEOTAG_LOG_DEBUG,
                    GEOTAG_LOGNO(208) "teaser <article> elements after the "
                    "first, and the page declares no article: a listing, "
                    "left untagged");
        listing = 1;
    }
    geotag_scope_decide(&s->scope);
    if (listing) {
        s->edits_total -= s->edits_len - s->edits_head;
        s->edits_head = s->edits_len = 0;
        s->n_mentions = 0;
        s->n_pending = 0;
        stop(s, GEOTAG_STATUS_LISTING);
    }
}

/* The hold ends when the page reaches hold_from + hold.  That point must
 * not depend on the chunking (the same page gives the same edits however
 * it arrives), so it is judged where the page is, not where a chunk ends:
 * by the start of each tag (on_tag) and, after a chunk, by the start of
 * the token still in progress.  A second top-level <article> starting
 * within the hold is then always seen while the edits are still held. */
static void hold_expire(geotag_session *s, apr_off_t at)
{
    if (geotag_scope_hold_expired(&s->scope, at))
        decide_listing(s, 0);
    settle_pending(s, at, 0);
}

/* ------------------------------------------------------------------ */
/* lexer events                                                        */

static int taggable(const geotag_session *s)
{
    return !s->stopped && !s->saturated && geotag_scope_taggable(&s->scope);
}

static void emit_jsonld(geotag_session *s, apr_off_t offset);

/* Phrasing elements a sentence runs through ("a <a>Mosca</a>",
 * "<em>Nato</em> nel 1950"); every other tag ends one, for the forms'
 * context rules.  Names of up to 6 letters, looked up by their first. */
static int inside_sentence(const geotag_tag *tag)
{
    static const char *const phrasing[26] = {
        ['a' - 'a'] = " a abbr ",
        ['b' - 'a'] = " b bdi bdo ",
        ['c' - 'a'] = " cite code ",
        ['d' - 'a'] = " data del dfn ",
        ['e' - 'a'] = " em ",
        ['f' - 'a'] = " font ",
        ['i' - 'a'] = " i ins ",
        ['k' - 'a'] = " kbd ",
        ['m' - 'a'] = " mark ",
        ['q' - 'a'] = " q ",
        ['s' - 'a'] = " s samp small span strong sub sup ",
        ['t' - 'a'] = " time ",
        ['u' - 'a'] = " u ",
        ['v' - 'a'] = " var ",
        ['w' - 'a'] = " wbr ",
    };
    unsigned char c = (unsigned char)tag->name[0];
    char key[GEOTAG_TAG_NAME_MAX + 3];
    apr_size_t n = strlen(tag->name);

    if (c < 'a' || c > 'z' || !phrasing[c - 'a'] || n > 6)
        return 0;
    key[0] = ' ';
    memcpy(key + 1, tag->name, n);
    key[n + 1] = ' ';
    key[n + 2] = '\0';
    return strstr(phrasing[c - 'a'], key) != NULL;
}

static void on_tag(void *baton, const geotag_tag *tag)
{
    geotag_session *s = baton;
    geotag_element el = tag->element;

    hold_expire(s, tag->start);
    if (el == GEOTAG_EL_TIME && !tag->is_end && taggable(s))
        geotag_page_article_time(&s->page, tag);
    if ((!s->ctx_initial || s->ctx_prev_len) && !inside_sentence(tag)) {
        s->ctx_initial = 1;
        s->ctx_prev_len = 0;
    }
    if (!tag->is_end) {
        page_event(s, geotag_page_tag(&s->page, tag));
        if (geotag_scope_optout_open(&s->scope, tag)) {
            session_log(s, GEOTAG_LOG_MARK, GEOTAG_LOG_DEBUG,
                        GEOTAG_LOGNO(205) "page already carries geotag "
                        "markup: left as is");
            stop(s, GEOTAG_STATUS_ALREADY);
        }
        /* a later top-level article: after the decision it changes
         * nothing (it is not tagged: geotag_scope_taggable); before it, a
         * sibling makes a listing, a teaser waits for the decision */
        if (geotag_scope_article(&s->scope, tag) == GEOTAG_SCOPE_SIBLING &&
            !s->stopped && !geotag_scope_decided(&s->scope)) {
            session_log(s, GEOTAG_LOG_MARK, GEOTAG_LOG_DEBUG,
                        GEOTAG_LOGNO(206) "several top-level <article> "
                        "elements: a listing, left untagged");
            process_text(s, 1);
            decide_listing(s, 1);
            stop(s, GEOTAG_STATUS_LISTING);
        }
    }
    else {
        geotag_scope_optout_close(&s->scope, tag);
        geotag_page_end_tag(&s->page, tag);
        if (el == GEOTAG_EL_BODY || el == GEOTAG_EL_HTML)
            emit_jsonld(s, tag->start);
    }
    if (geotag_scope_tag(&s->scope, tag, !s->stopped && !s->saturated) ==
        GEOTAG_SCOPE_DECIDED)
        decide_listing(s, 0);
    settle_pending(s, tag->start, 0);
}

static void on_text(void *baton, apr_off_t offset, const char *data,
                    apr_size_t len, geotag_text_kind kind,
                    geotag_element container)
{
    geotag_session *s = baton;

    if (kind == GEOTAG_TEXT_RAWTEXT || kind == GEOTAG_TEXT_RCDATA) {
        geotag_page_text(&s->page, data, len, kind, container);
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
            s->text_headline = geotag_scope_in_headline(&s->scope);
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
/* the document                                                        */

/* The document, built once: when the JSON-LD edit is queued (the block is
 * final from then on, whenever the consumer renders it: facts that come
 * after </body> must not change it with the chunking), or at the end of
 * the page.  The headline is matched here when the article had no <h1>. */
static void build_document(geotag_session *s)
{
    geotag_document subject;
    const char *headline;
    apr_size_t len;

    if (geotag_findings_document(&s->found))
        return;
    if (!geotag_scope_headline_done(&s->scope) &&
        geotag_page_headline(&s->page, &headline, &len))
        geotag_window_headline(s->window, headline, len,
                               geotag_page_charset(&s->page));
    memset(&subject, 0, sizeof(subject));
    geotag_page_subject(&s->page, s->pool, s->opt.url, &subject);
    geotag_findings_build(&s->found, s->pool, &subject);
}

/* ------------------------------------------------------------------ */
/* the JSON-LD                                                         */

/* The page's end (</body>, </html> or the end of the stream) is reached:
 * the JSON-LD goes at 'offset', or nowhere when offset is -1. */
static void emit_jsonld(geotag_session *s, apr_off_t offset)
{
    if (s->jsonld_done)
        return;
    /* a </body> before the article (pages with several): the block goes at
     * a later one, or at the end of the document */
    if (offset >= 0 && !s->finished && !s->stopped &&
        !geotag_scope_seen(&s->scope))
        return;
    s->jsonld_done = 1;
    process_text(s, 1);
    settle_pending(s, 0, 1);
    decide_listing(s, 0);
    if (s->stopped || !geotag_scope_seen(&s->scope) || offset < 0)
        return;
    if (s->opt.jsonld && (geotag_findings_entities(&s->found) > 0 ||
                          geotag_findings_figures(&s->found) > 0)) {
        edit_push(s, offset, GEOTAG_EDIT_JSONLD);
        build_document(s);
    }
    /* the preview's panel follows the block, on every page in scope */
    if (s->preview) {
        edit_push(s, offset, GEOTAG_EDIT_PREVIEW);
        s->preview_queued = 1;
    }
}

const geotag_document *geotag_session_doc(const geotag_session *s)
{
    return geotag_findings_document(&s->found);
}

const char *geotag_session_jsonld(const geotag_session *s, apr_pool_t *pool,
                                  apr_size_t *len)
{
    const geotag_document *doc = geotag_session_doc(s);
    if (!doc) {
        *len = 0;
        return NULL;
    }
    return geotag_jsonld_write(pool, s->engine->gazetteer, doc, len);
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

/* Every pack's related-stories cues, once each (scope.h). */
static void related_cues(apr_pool_t *pool, geotag_engine *e)
{
    const apr_array_header_t *words = e->gazetteer->lexicon->words;
    apr_array_header_t *cues = apr_array_make(pool, 16, sizeof(const char *));
    int i, j;

    for (i = 0; i < words->nelts; i++) {
        const geotag_word *w = &APR_ARRAY_IDX(words, i, geotag_word);
        if (w->kind != GEOTAG_WORD_RELATED_CUE)
            continue;
        for (j = 0; j < cues->nelts; j++)
            if (strcmp(APR_ARRAY_IDX(cues, j, const char *), w->text) == 0)
                break;
        if (j == cues->nelts)
            APR_ARRAY_PUSH(cues, const char *) = w->text;
    }
    e->related_cues = (const char *const *)cues->elts;
    e->n_related_cues = cues->nelts;
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
    e->treaty_words = geotag_treaty_words_compile(pool, g);
    related_cues(pool, e);
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
    const geotag_limits *l;
    apr_size_t i;

    s->pool = pool;
    s->engine = engine;
    s->entities = (const geotag_entity *)engine->gazetteer->entities->elts;
    s->opt = *options;
    limits_default(&s->opt.limits);
    l = &s->opt.limits;
    geotag_scope_init(&s->scope, pool, s->opt.scope, s->opt.n_scope, l->hold,
                      engine->related_cues, engine->n_related_cues);
    s->lexer = geotag_lexer_create(pool, &session_handler, s);
    for (i = 0; i < sizeof(session_attributes) / sizeof(session_attributes[0]);
         i++)
        geotag_lexer_keep(s->lexer, session_attributes[i]);
    /* A rule's attribute past the lexer's table shares the tag's budget. */
    for (i = 0; i < (apr_size_t)s->scope.n_rules; i++) {
        if (s->scope.rules[i].attribute)
            geotag_lexer_keep(s->lexer, s->scope.rules[i].attribute);
    }
    geotag_page_init(&s->page, pool, options->lang, l->title, l->page_jsonld,
                     l->url);
    geotag_findings_init(&s->found, pool, l->entities, l->about,
                         l->jsonld_mentions, l->jsonld_figures);
    s->treaties = geotag_treaty_resolver_create(pool, engine->treaty_words,
                                                engine->gazetteer,
                                                l->treaty_families);
    s->edits_cap = 64;
    s->edits = apr_palloc(pool, sizeof(geotag_edit) * s->edits_cap);
    if (options->preview)
        s->preview = geotag_preview_create(pool, engine->gazetteer,
                                           options->preview_nonce);
    s->status = GEOTAG_STATUS_TAGGED;
    if (options->charset)
        page_event(s, geotag_page_set_charset(&s->page, options->charset,
                                              strlen(options->charset)));

    s->text_cap = l->text_buffer;
    s->text = apr_palloc(pool, s->text_cap);
    s->window = geotag_window_create(pool, engine, &s->found, s->treaties,
                                     geotag_page_lang(&s->page),
                                     s->opt.types, l->figures_window,
                                     s->text_cap);
    {
        const char *date = geotag_page_date(&s->page);
        char *day;
        if (options->date != NULL) {
            day = apr_pcalloc(pool, 11);
            if (geotag_utc_day(options->date, strlen(options->date), day))
                date = day;
        }
        if (options->fallback_date != NULL) {
            day = apr_pcalloc(pool, 11);
            if (geotag_utc_day(options->fallback_date,
                               strlen(options->fallback_date), day))
                s->fallback = day;
        }
        geotag_window_offices(s->window, date,
                              options->country
                                  ? geotag_gazetteer_find(engine->gazetteer,
                                                          options->country)
                                  : -1);
    }
    s->ctx_initial = 1;
    s->keep = geotag_matcher_max_form(engine->matcher) * 4 + 256;
    if (s->keep > s->text_cap / 2)
        s->keep = s->text_cap / 2;
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
        page_event(s, geotag_page_set_charset(&s->page, "utf-8", 5));
    else if (s->head_len >= 2 &&
             ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
        page_event(s, geotag_page_set_charset(&s->page, "utf-16", 6));
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
        build_document(s);
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
    build_document(s);
    if (!s->stopped && !s->saturated) {
        if (!geotag_scope_seen(&s->scope))
            s->status = GEOTAG_STATUS_NO_SCOPE;
        else if (s->edits_total - s->preview_queued == 0)
            s->status = GEOTAG_STATUS_NOTHING;
        else
            s->status = GEOTAG_STATUS_TAGGED;
    }
}

int geotag_session_next_edit(geotag_session *s, geotag_edit *edit)
{
    if (s->edits_head >= s->edits_len || geotag_scope_undecided(&s->scope) ||
        (s->n_pending > 0 && s->edits[s->edits_head].offset >= s->pending[0].from))
        return 0;
    *edit = s->edits[s->edits_head++];
    return 1;
}

apr_off_t geotag_session_stable(const geotag_session *s)
{
    apr_off_t stable, held;
    if (s->finished || s->stopped)
        return s->fed;
    stable = s->text_len > 0 ? s->text_start
                             : geotag_lexer_pending_start(s->lexer);
    held = geotag_scope_held_from(&s->scope);
    if (held >= 0 && held < stable)
        stable = held;
    if (s->n_pending > 0 && s->pending[0].from < stable)
        stable = s->pending[0].from;
    return stable;
}

const char *geotag_session_render(const geotag_session *s,
                                  const geotag_edit *edit, apr_pool_t *pool,
                                  char *buf, apr_size_t *len)
{
    const char *bytes, *tip;
    apr_size_t tip_len;
    char *both;

    if (s->preview && edit->kind == GEOTAG_EDIT_PREVIEW)
        return geotag_preview_panel(s->preview, geotag_page_lang(&s->page),
                                    pool, len);
    /* a JSON-LD edit is queued with its document built */
    bytes = geotag_edit_render_any(edit, s->engine->gazetteer, s->opt.markup,
                                   geotag_session_doc(s), pool, buf, len);
    if (!s->preview || *len == 0 ||
        (tip = geotag_preview_tip(s->preview, edit, geotag_page_lang(&s->page),
                                  pool, &tip_len)) == NULL)
        return bytes;
    both = apr_palloc(pool, *len + tip_len);
    memcpy(both, bytes, *len);
    memcpy(both + *len, tip, tip_len);
    *len += tip_len;
    return both;
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
    return geotag_findings_entities(&s->found);
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
