/*
 * annotator.h: one page through the engine (a session).
 *
 * A session is fed the response body chunk by chunk and yields edits
 * (edits.h) in offset order as soon as they are final:
 *
 *   s = geotag_session_create(pool, &engine, &options);
 *   for each chunk:
 *       geotag_session_feed(s, data, len);
 *       while (geotag_session_next_edit(s, &edit)) insert edit
 *       bytes before geotag_session_stable(s) may now be passed on
 *   geotag_session_finish(s); drain the remaining edits; pass the rest
 *
 * Inside, the lexer's events drive: the charset and language of the page,
 * its scope (the article, never navigation, teasers or footers), the
 * contexts where nothing may be inserted, the page's own JSON-LD (for the
 * article @id), and the text runs in scope, which are normalized and
 * matched (gazetteer + figures).  Memory is bounded by the caps in
 * geotag_limits whatever the page size; past a cap the rest of the page is
 * left untouched (status says why), never an unbounded allocation.
 *
 * It must never: emit an edit inside a tag, comment, raw-text element or
 * any no-go context; emit an edit at an offset lower than one it already
 * emitted; let page text into the markup.
 */
#ifndef GEOTAG_ANNOTATOR_H
#define GEOTAG_ANNOTATOR_H

#include <apr_pools.h>
#include <apr_tables.h>

#include "edits.h"
#include "figures.h"
#include "gazetteer.h"
#include "jsonld.h"
#include "langpack.h"
#include "matcher.h"
#include "preview.h"
#include "scope.h"
#include "treaty.h"

/* What a session may tag (GeoTagTypes). */
#define GEOTAG_TYPE_ACTORS   0x1
#define GEOTAG_TYPE_TREATIES 0x2
#define GEOTAG_TYPE_FIGURES  0x4
#define GEOTAG_TYPE_DATES    0x8
#define GEOTAG_TYPE_ALL      0xf

/* The compiled, read-only parts shared by every session (and thread). */
typedef struct {
    const geotag_gazetteer *gazetteer;
    const geotag_matcher *matcher;
    const geotag_figures *figures;
    const geotag_treaty_words *treaty_words;
    const char *const *related_cues; /* every pack's <related-cue> words */
    int n_related_cues;
} geotag_engine;

/* Build an engine from the language packs of the directory 'lang_packs'
 * and dictionary files (gazetteer.h), validated against the RelaxNG file
 * 'schema' (NULL: the built-in schema); NULL and *error ("file:line:
 * reason") on failure. */
geotag_engine *geotag_engine_load(apr_pool_t *pool, const char *schema,
                                  const char *lang_packs,
                                  const char *const *files, int n_files,
                                  const char **error);

typedef struct {
    apr_size_t text_buffer;   /* bytes of one text run kept for matching */
    apr_size_t page_jsonld;   /* bytes of the page's own JSON-LD kept */
    int entities;             /* distinct entities per page */
    int mentions;             /* marked-up mentions per page */
    int about;                /* entities in "about" */
    int jsonld_mentions;      /* entities in "mentions" */
    int jsonld_figures;       /* figures in "mentions" */
    apr_size_t hold;          /* bytes edits may be held back while it is not
                                 yet known whether the page is a listing */
    apr_size_t title;         /* bytes of <title> kept (the headline's
                                 fallback) */
    apr_size_t url;           /* longest <link rel=canonical> taken */
    int figures_window;       /* figures matched in one window of text */
    int treaty_families;      /* treaty words remembered for "the treaty" */
} geotag_limits;

/* A mention, as reported to an observer (geotag --mentions, tests):
 * geotag_mention, defined in preview.h, whose panel lists them too. */

/* Logging, as mod_md's core does it: the consumer is asked first whether
 * it would log at a level (log_is_level), so a message is formatted only
 * when it will be written; then handed over with the engine's file and
 * line.  Every message begins with its own number (GEOTAG_LOGNO, the
 * GT2xx series; docs/directives.md lists them) for operators to grep. */
typedef void geotag_log_fn(void *baton, int level, const char *file, int line,
                           const char *message);
typedef int geotag_log_is_level_fn(void *baton, int level);
#define GEOTAG_LOG_ERROR 3
#define GEOTAG_LOG_WARNING 4
#define GEOTAG_LOG_INFO 6
#define GEOTAG_LOG_DEBUG 7
#define GEOTAG_LOGNO(n) "GT" #n ": "
#define GEOTAG_LOG_MARK __FILE__, __LINE__

typedef struct {
    const char *lang;       /* forced page language, or NULL = from the page */
    const char *url;        /* absolute request URL (WebPage fallback), or NULL */
    const char *charset;    /* from Content-Type, or NULL = from the page */
    unsigned types;         /* GEOTAG_TYPE_* mask */
    int first_only;         /* markup on the first mention of an entity only */
    int jsonld;             /* write the JSON-LD block */
    geotag_markup_mode markup;
    const geotag_scope_rule *scope; /* NULL = the default rules (scope.h) */
    int n_scope;
    geotag_limits limits;   /* zeros = defaults (annotator.c, DEFAULT_*) */
    geotag_log_fn *log;     /* may be NULL */
    geotag_log_is_level_fn *log_is_level; /* NULL: every level is logged */
    void *log_baton;        /* for both */
    void (*mention)(void *baton, const geotag_mention *m); /* may be NULL */
    void *mention_baton;
    /* role phrases ("il presidente russo", docs/gazetteer.md "Offices") */
    const char *date;       /* the day to resolve them on ("YYYY-MM-DD"),
                               or NULL = the article's date from the page */
    const char *country;    /* entity id of the state a phrase without one
                               means ("la premier"), or NULL = none */
    const char *fallback_date; /* the day for a page that tells none (the
                               request's: GeoTagRequestDate), or NULL */
    /* the editor preview (preview.h): tooltips after the mentions' opening
     * tags, a stylesheet and a panel where the JSON-LD goes */
    int preview;
    const char *preview_nonce; /* the <style>'s CSP nonce, or NULL */
} geotag_options;

/* Defaults: every type, JSON-LD on, data markup, default scope and limits. */
void geotag_options_default(geotag_options *o);

typedef enum {
    GEOTAG_STATUS_TAGGED = 0,   /* at least one edit */
    GEOTAG_STATUS_NOTHING,      /* in scope, but nothing found */
    GEOTAG_STATUS_NO_SCOPE,     /* no article / main element */
    GEOTAG_STATUS_LISTING,      /* several sibling articles */
    GEOTAG_STATUS_OPTED_OUT,    /* <meta name="geotag" content="off"> */
    GEOTAG_STATUS_ALREADY,      /* carries our markup already */
    GEOTAG_STATUS_CHARSET,      /* a charset the engine cannot read */
    GEOTAG_STATUS_LIMIT         /* a cap was reached; the rest is untouched */
} geotag_status;

const char *geotag_status_name(geotag_status status);

typedef struct geotag_session geotag_session;

geotag_session *geotag_session_create(apr_pool_t *pool,
                                      const geotag_engine *engine,
                                      const geotag_options *options);

void geotag_session_feed(geotag_session *s, const char *data, apr_size_t len);

/* End of input: final text is matched, the JSON-LD edit is queued (at the
 * end when the page had no </body>; not at all when it ends inside a tag,
 * comment or raw-text element, where it would become part of that). */
void geotag_session_finish(geotag_session *s);

/* Pops the next final edit; 0 when there is none right now. */
int geotag_session_next_edit(geotag_session *s, geotag_edit *edit);

/* Bytes before this offset will get no further edits. */
apr_off_t geotag_session_stable(const geotag_session *s);

/* The finished document (what the JSON-LD says, as data: the cache
 * stores it and rebuilds the JSON-LD from it and the gazetteer).  Built
 * once, when the JSON-LD edit is queued or at geotag_session_finish(),
 * whichever comes first, and read-only from then on; NULL before.  Lives
 * as long as the session's pool. */
const geotag_document *geotag_session_doc(const geotag_session *s);

/* The JSON-LD element of the finished document (from pool); NULL and
 * *len 0 before it is built. */
const char *geotag_session_jsonld(const geotag_session *s, apr_pool_t *pool,
                                  apr_size_t *len);

/* Render any edit of this page (geotag_edit_render_any with the session's
 * document): inline markup into buf (GEOTAG_EDIT_RENDER_MAX bytes), the
 * JSON-LD element into pool memory.  Returns the bytes, sets *len.  With
 * the preview on, an opening tag comes with its tooltip and the preview
 * edit is the stylesheet and the panel, in pool memory. */
const char *geotag_session_render(const geotag_session *s,
                                  const geotag_edit *edit, apr_pool_t *pool,
                                  char *buf, apr_size_t *len);

geotag_status geotag_session_status(const geotag_session *s);

/* The session has given up on the page (a listing, an opt-out, markup of
 * its own, an unreadable charset, a cap): no further edit will come, and
 * geotag_session_feed() returns at once, reading nothing, so the consumer
 * may pass the rest of the body on without handing it over at all. */
int geotag_session_stopped(const geotag_session *s);

/* Bytes the lexer has read (for tests and benchmarks). */
apr_off_t geotag_session_lexed(const geotag_session *s);

/* Mentions marked up so far, and distinct entities seen. */
int geotag_session_mentions(const geotag_session *s);
int geotag_session_entities(const geotag_session *s);

#endif
