/*
 * window.h: what one window of text names.
 *
 * The session hands over a text run in scope (or a prefix of a long one,
 * cut at white space); it is normalized (normalize.h) and matched: the
 * gazetteer's forms, whose case rule, language and ambiguity are decided
 * here against what the page has named so far (a short form counts only
 * after a full form of its entity), then figures and dates that overlap
 * no entity (a number that names something, "Article 5", is none), then
 * treaty words, which the treaty resolver turns into treaties or drops.
 * The result is the window's spans in text order; the session makes them
 * edits.  The headline of a page without <h1> is matched here too, with
 * the same rules.  Buffers grow up to the text buffer's size, never more.
 */
#ifndef GEOTAG_WINDOW_H
#define GEOTAG_WINDOW_H

#include <apr_pools.h>

#include "annotator.h"
#include "document.h"
#include "normalize.h"
#include "treaty.h"

enum {
    GEOTAG_SPAN_ENTITY,      /* entity: the entity (or treaty) named */
    GEOTAG_SPAN_TREATY_WORD, /* (while matching only) */
    GEOTAG_SPAN_FIGURE,      /* figure: index into the window's figures */
    GEOTAG_SPAN_NONE,        /* a treaty word that names no treaty */
    GEOTAG_SPAN_ROLE,        /* (while matching only) a role noun: entity
                                is its role key */
    GEOTAG_SPAN_OFFICE,      /* (while matching only) a name of an office:
                                entity is the office */
    GEOTAG_SPAN_PENDING      /* a role phrase met before the page's date
                                is known: entity is the office, state its
                                state or body; the session holds it */
};

typedef struct {
    apr_size_t start, end; /* key offsets */
    int type;              /* GEOTAG_SPAN_* */
    int entity;
    int figure;
    int state;             /* a role phrase's state or body (it counts for
                              the treaties of its sentence), else -1 */
    apr_size_t state_start, state_end; /* PENDING: where the phrase names
                              its state or body (the mention it is if the
                              phrase resolves to nobody), or both 0 */
} geotag_span;

typedef struct geotag_window geotag_window;

/* The longest word kept as the context before a window. */
#define GEOTAG_WINDOW_PREV_MAX 24

/* lang: the page's language, read whenever a window is matched. */
geotag_window *geotag_window_create(apr_pool_t *pool,
                                    const geotag_engine *engine,
                                    geotag_findings *found,
                                    geotag_treaty_resolver *treaties,
                                    const char *lang, unsigned types,
                                    int figures_window, apr_size_t text_cap);

/* Normalize text[0..len) (len <= text_cap) as the next window. */
const geotag_normalized *geotag_window_normalize(geotag_window *w,
                                                 const char *text,
                                                 apr_size_t len,
                                                 geotag_charset cs);

/*
 * What comes before the next window's text, for the forms' context rules
 * (docs/gazetteer.md): 'initial' when it begins a sentence (a block starts
 * or the text before it ended one), 'prev' the key of the word just before
 * it in the same block ("a" in "a <a>Mosca</a>"), prev_len 0 for none.
 */
void geotag_window_context(geotag_window *w, int initial, const char *prev,
                           apr_size_t prev_len);

/* The context the window's text leaves to the next one: returns whether it
 * ended a sentence, and copies its last word to prev (at most
 * GEOTAG_WINDOW_PREV_MAX - 1 bytes; *prev_len 0 when it ends otherwise). */
int geotag_window_tail(const geotag_window *w, char *prev,
                       apr_size_t *prev_len);

/* Role phrases are resolved on 'date' ("YYYY-MM-DD", read at each match;
 * while it is "", they become GEOTAG_SPAN_PENDING for the session to
 * resolve when the page tells its date), and a phrase that names no state
 * or body means 'country' (an entity index, -1 for none). */
void geotag_window_offices(geotag_window *w, const char *date, int country);

/* Match the window; only spans starting before key offset 'limit' are
 * taken; headline: the text is the article's <h1>.  Returns the number of
 * spans (geotag_window_spans) and sets *done to the key offset up to which
 * the window is done (the end of the last span taken, at least limit). */
int geotag_window_match(geotag_window *w, apr_size_t limit, int headline,
                        apr_size_t *done);

const geotag_span *geotag_window_spans(const geotag_window *w);
const geotag_figure *geotag_window_figure(const geotag_window *w, int i);
const geotag_normalized *geotag_window_norm(const geotag_window *w);

/* The last match ran into the entity cap (the page then stops). */
int geotag_window_full(const geotag_window *w);

/* The headline (no <h1> in scope): the entities it names that the page
 * named in full get GEOTAG_SLOT_HEADLINE. */
void geotag_window_headline(geotag_window *w, const char *text, apr_size_t len,
                            geotag_charset cs);

#endif
