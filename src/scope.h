/*
 * scope.h: where in the page's elements the text is, and whether it may
 * be tagged there.
 *
 * The scope is the first element a scope rule matches (article, main,
 * [role=main], [itemprop=articleBody]); inside it, navigation, asides,
 * forms and page-level headers and footers are excluded, and so are the
 * no-go elements (a, code, pre, time, data, svg, button, label ...) and
 * opted-out ones (data-geotag="off", class="geotag-off").  All of it is
 * counters, never a stack: a page cannot make us allocate by nesting.
 *
 * A second top-level <article> means the page is a listing, unless it is
 * a teaser: inside a <section>, or an element whose class or id names a
 * related-stories cue (the packs' <related-cue> words), opened after the
 * first top-level article ended (so not one around the page's own
 * article).  Teasers leave the question to the session (the page is its
 * first article's when it declares an article) and are never taggable.
 * Until the page shows it is not a listing (its scope ends, the page ends,
 * or the hold budget is spent), the session holds its edits back: the
 * scope keeps that state (undecided, and where the first held edit is);
 * once decided, later articles change nothing.
 */
#ifndef GEOTAG_SCOPE_H
#define GEOTAG_SCOPE_H

#include <apr_pools.h>

#include "lexer.h"

/* One scope rule (GeoTagScope): an element name, or an attribute whose
 * space-separated value contains a word ("[role=main]"). */
typedef struct {
    const char *element;   /* lower case, or NULL */
    const char *attribute; /* lower case, or NULL */
    const char *value;     /* matched case-insensitively, word-wise */
} geotag_scope_rule;

/* Parse a GeoTagScope value ("article main [role=main]"); NULL + *error on
 * a syntax error. */
geotag_scope_rule *geotag_scope_parse(apr_pool_t *pool, const char *spec,
                                      int *n, const char **error);

/* The state; read it through the functions below. */
typedef struct {
    const geotag_scope_rule *rules;
    int n_rules;
    geotag_element *rule_elements; /* per rule: its element, or OTHER */
    int active, seen, by_main;
    char name[GEOTAG_TAG_NAME_MAX + 1];
    geotag_element element; /* of name; OTHER: compare names */
    int depth;
    int article_depth, top_articles;
    /* containers opened after the first top-level article ended: teasers
     * sit in them.  Open <section>s; the outermost open element whose class
     * or id names a cue, and the elements of its name open inside it. */
    const char *const *cues;
    int n_cues;
    int later_sections;
    char cue_name[GEOTAG_TAG_NAME_MAX + 1];
    int cue_depth;
    int teasers; /* later top-level articles that were teasers */
    int nav_depth, aside_depth, form_depth;
    int page_header_depth, article_header_depth;
    int page_footer_depth, article_footer_depth;
    int nogo[GEOTAG_EL_COUNT];
    int nogo_total;
    char optout_name[GEOTAG_TAG_NAME_MAX + 1];
    int optout_depth;
    int h1_open, headline_done;
    /* listing detection: edits are held while undecided */
    int undecided, decided;
    apr_off_t hold_from; /* offset of the first edit held, or -1 */
    apr_size_t hold;     /* bytes past hold_from that decide "no listing" */
} geotag_scope;

/* rules NULL or n_rules <= 0: the default rules.  cues: the related-
 * stories cues (lower case, kept by the caller), n_cues of them. */
void geotag_scope_init(geotag_scope *sc, apr_pool_t *pool,
                       const geotag_scope_rule *rules, int n_rules,
                       apr_size_t hold, const char *const *cues, int n_cues);

/* A start tag's opt-outs (data-geotag="off", class="geotag-off").
 * Returns 1 when the tag carries geotag markup of its own instead. */
int geotag_scope_optout_open(geotag_scope *sc, const geotag_tag *tag);
void geotag_scope_optout_close(geotag_scope *sc, const geotag_tag *tag);

/* A start tag: a top-level <article>, counted.  Returns 0 for any other
 * tag and for the first one; for a later one GEOTAG_SCOPE_TEASER when it
 * sits in a container opened after the first ended (a <section> or a cue's
 * element), else GEOTAG_SCOPE_SIBLING (beside the first: a listing). */
#define GEOTAG_SCOPE_TEASER 1
#define GEOTAG_SCOPE_SIBLING 2
int geotag_scope_article(geotag_scope *sc, const geotag_tag *tag);

/* Teasers counted so far. */
int geotag_scope_teasers(const geotag_scope *sc);

/* Then every tag: the scope, the excluded regions, the no-go contexts and
 * the headline.  may_tag: the session still tags (for the <h1>).  Returns
 * GEOTAG_SCOPE_DECIDED when the scope ended in a way that shows the page
 * is no listing (the caller then releases held edits). */
#define GEOTAG_SCOPE_DECIDED 1
int geotag_scope_tag(geotag_scope *sc, const geotag_tag *tag, int may_tag);

/* Text here may be tagged (in scope, nothing excluded, no opt-out or
 * no-go element open, not inside a later top-level article). */
int geotag_scope_taggable(const geotag_scope *sc);

/* A scope element was seen at all. */
int geotag_scope_seen(const geotag_scope *sc);

/* Inside the article's first <h1>; an <h1> was closed in scope. */
int geotag_scope_in_headline(const geotag_scope *sc);
int geotag_scope_headline_done(const geotag_scope *sc);

/* Listing: an edit is queued at offset (the first one opens the hold). */
void geotag_scope_hold(geotag_scope *sc, apr_off_t offset);
/* The page reached 'at': 1 when the hold budget is spent. */
int geotag_scope_hold_expired(const geotag_scope *sc, apr_off_t at);
/* Ends the doubt; 1 when it was open (the caller releases or withdraws). */
int geotag_scope_decide(geotag_scope *sc);
int geotag_scope_undecided(const geotag_scope *sc);
/* The doubt was open and has ended: what was held is out (or withdrawn). */
int geotag_scope_decided(const geotag_scope *sc);
/* Offset of the first edit held back, or -1. */
apr_off_t geotag_scope_held_from(const geotag_scope *sc);

/* Does the space-separated list value[0..len) contain 'word' (ASCII, any
 * case)?  And the same for a tag's attribute. */
int geotag_has_word(const char *value, apr_size_t len, const char *word);
int geotag_tag_has_word(const geotag_tag *tag, const char *name,
                        const char *word);

/* Does value[0..len) contain one of the n cues (lower case) anywhere,
 * ASCII case ignored ("related" in "post-Related-list")? */
int geotag_names_cue(const char *value, apr_size_t len,
                     const char *const *cues, int n);

#endif
