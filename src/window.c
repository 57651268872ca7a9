/*
 * window.c: what one window of normalized text names (see window.h).
 */
#include <stdlib.h>
#include <string.h>

#include <apr_strings.h>

#include "office.h"
#include "window.h"

#define NORM_FIRST 4096 /* text bytes the first normalized copies fit */

struct geotag_window {
    apr_pool_t *pool;
    const geotag_engine *engine;
    geotag_findings *found;
    geotag_treaty_resolver *treaties;
    const char *lang; /* the page's language, as it is when matching */
    int lang_id;      /* its number (geotag_matcher_lang_id), per run */
    unsigned types;   /* GEOTAG_TYPE_* */
    const geotag_entity *entities; /* the gazetteer's arrays, hoisted */
    const geotag_alias *aliases;
    geotag_figures_scratch *scratch;
    geotag_normalized norm;
    apr_size_t norm_text_cap; /* text bytes norm's buffers can take */
    apr_size_t text_cap;      /* the most a window holds */
    geotag_span *spans;
    int spans_cap;
    geotag_span *spans_merge; /* figures_window, for sort_spans */
    geotag_figure *figures;   /* figures_window, filled per window */
    int figures_window;
    int full; /* the entity cap was reached */
    /* what comes before the window's text (geotag_window_context) */
    int ctx_initial;            /* it begins a sentence */
    char ctx_prev[GEOTAG_WINDOW_PREV_MAX];
    apr_size_t ctx_prev_len;    /* the word just before it, or 0 */
    int caps; /* -1 not yet known; 1 the window has no lower-case letter */
    int title; /* -1 not yet known; 1 its words are mostly capitalized */
    /* role phrases: the day they are resolved on ("" unknown: held; the
     * page's buffer, read when matching) and the state of a phrase
     * without one */
    const char *date;
    int default_country;
    /* short forms not yet resolvable in this window: tried again once its
     * role phrases have named their people ("il leader nordcoreano ...
     * Kim") */
    geotag_match deferred[16];
    int n_deferred;
    int n_roles; /* role and office spans of the window */
};

/* A slot for the entity; past the cap, none, and matching ends. */
static geotag_slot *add_slot(geotag_window *w, int entity)
{
    geotag_slot *slot = geotag_findings_add(w->found, entity);
    if (!slot)
        w->full = 1;
    return slot;
}

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

static inline int lang_matches(const geotag_window *w, int alias)
{
    /* the alias's primary subtag is the page's language (which holds
     * only the primary subtag, lower-cased), by number (matcher.h) */
    int id = geotag_matcher_alias_lang(w->engine->matcher, alias);
    if (id == 0 || !w->lang[0])
        return 1;
    if (id == GEOTAG_MATCHER_LANG_OTHER)
        return geotag_same_primary_subtag(w->lang, w->aliases[alias].lang);
    return id == w->lang_id;
}

static int case_matches(const geotag_window *w, const geotag_normalized *n,
                        const geotag_match *m, int alias)
{
    const geotag_alias *a = &w->aliases[alias];
    switch (a->case_rule) {
    case GEOTAG_CASE_CAPITALIZED:
        return starts_upper(n, m->start);
    case GEOTAG_CASE_EXACT:
        return same_case(n, m->start, m->end,
                         geotag_matcher_alias_cased(w->engine->matcher, alias));
    default:
        return 1;
    }
}

/* The pack of the page's language, or -1 (any) when it has none. */
static int page_pack(const geotag_window *w)
{
    return w->lang[0] ? geotag_lexicon_pack_of(w->engine->gazetteer->lexicon,
                                               w->lang)
                      : -1;
}

/* The form at 'at' comes right after a place preposition of the page's
 * language: "a Mosca", "all'Aia", "in Moscow" (the word before it, across
 * one run of spaces, or an elided word glued by its apostrophe; at the
 * start of the window, the word before the window). */
static int after_place_prep(const geotag_window *w, apr_size_t at)
{
    const char *k = w->norm.key;
    apr_size_t e = at, ws;

    if (e > 0 && k[e - 1] == '\'') {
        ws = e - 1;
    }
    else {
        while (e > 0 && k[e - 1] == ' ')
            e--;
        if (e == 0)
            return w->ctx_prev_len > 0 &&
                   geotag_lexicon_find(w->engine->gazetteer->lexicon,
                                       GEOTAG_WORD_PLACE_PREP, w->ctx_prev,
                                       w->ctx_prev_len, page_pack(w)) != NULL;
        if (e == at)
            return 0;
        ws = e;
    }
    while (ws > 0 && geotag_is_word_byte(k[ws - 1]))
        ws--;
    if (ws == e || (ws == e - 1 && k[ws] == '\''))
        return 0;
    return geotag_lexicon_find(w->engine->gazetteer->lexicon,
                               GEOTAG_WORD_PLACE_PREP, k + ws, e - ws,
                               page_pack(w)) != NULL;
}

/* The form at 'at' begins a sentence: nothing but spaces, opening quotes,
 * brackets and dashes between it and a '.', '!' or '?', or the start of a
 * block. */
static int sentence_initial(const geotag_window *w, apr_size_t at)
{
    const char *k = w->norm.key;
    apr_size_t i = at;

    while (i > 0) {
        unsigned char c = (unsigned char)k[i - 1];
        if (c == ' ' || c == '"' || c == '\'' || c == '(' || c == '[' ||
            c == '-' || c == '*') {
            i--;
            continue;
        }
        return c == '.' || c == '!' || c == '?';
    }
    return w->ctx_initial;
}

/* The window's text has no lower-case letter: a line of capitals. */
static int caps_line(geotag_window *w)
{
    if (w->caps < 0) {
        apr_size_t i;
        w->caps = 1;
        for (i = 0; i < w->norm.len; i++)
            if (w->norm.cased[i] >= 'a' && w->norm.cased[i] <= 'z') {
                w->caps = 0;
                break;
            }
    }
    return w->caps;
}

/* The context rules of the alias (GEOTAG_FORM_*) hold at the match. */
static int rules_hold(geotag_window *w, const geotag_match *m,
                      const geotag_alias *a)
{
    if ((a->rules & GEOTAG_FORM_PLACE) && !after_place_prep(w, m->start))
        return 0;
    if ((a->rules & GEOTAG_FORM_WORD) &&
        (sentence_initial(w, m->start) || caps_line(w)))
        return 0;
    return 1;
}

/* The window is a Title Case line ("Putin Meets Kim In Moscow"): three
 * words or more, and none of four letters or more in lower case (short
 * words, "of", "in", "the", may be), where a capital is no sign of a
 * longer name. */
static int title_case(geotag_window *w)
{
    if (w->title < 0) {
        apr_size_t i = 0, start;
        int words = 0, lower = 0;
        while (i < w->norm.len && !lower) {
            if (!geotag_is_word_byte(w->norm.key[i])) {
                i++;
                continue;
            }
            start = i;
            words++;
            while (i < w->norm.len && geotag_is_word_byte(w->norm.key[i]))
                i++;
            lower = i - start >= 4 &&
                    !(w->norm.key[start] >= '0' && w->norm.key[start] <= '9') &&
                    !starts_upper(&w->norm, start);
        }
        w->title = words >= 3 && !lower;
    }
    return w->title;
}

/* key[a, b) is a day of the week or a month of the page's language. */
static int day_or_month(geotag_window *w, apr_size_t a, apr_size_t b)
{
    const geotag_lexicon *lex = w->engine->gazetteer->lexicon;
    const char *k = w->norm.key;
    int pack = page_pack(w);

    return geotag_lexicon_find(lex, GEOTAG_WORD_WEEKDAY, k + a, b - a, pack) ||
           geotag_lexicon_find(lex, GEOTAG_WORD_MONTH, k + a, b - a, pack);
}

/*
 * A one-word form of a person ("Kim", "Trump") followed by a capitalized
 * word is the start of another name ("Kim Il Sung", "Trump Tower"), unless
 * that word is a day of the week ("Putin Monday said") or a month, or the
 * text is a Title Case headline ("Putin Meets Kim").
 */
static int starts_other_name(geotag_window *w, const geotag_match *m,
                             int entity)
{
    const char *k = w->norm.key;
    apr_size_t a = m->end, b;

    if (m->end != m->first_word_end || a + 1 >= w->norm.len || k[a] != ' ' ||
        !geotag_is_word_byte(k[a + 1]) || !starts_upper(&w->norm, a + 1) ||
        strcmp(w->entities[entity].type, "Person") != 0)
        return 0;
    a++;
    b = a;
    while (b < w->norm.len && geotag_is_word_byte(k[b]))
        b++;
    if (day_or_month(w, a, b))
        return 0;
    return !title_case(w);
}

/* A place: a state, a city, a region, a continent. */
static int place_type(const char *type)
{
    return !strcmp(type, "Country") || !strcmp(type, "City") ||
           !strcmp(type, "Place") || !strcmp(type, "AdministrativeArea") ||
           !strcmp(type, "State") || !strcmp(type, "Continent");
}

/* The match is a demonym of the entity ("Swedish", "russo"). */
static int demonym_match(const geotag_window *w, const geotag_match *m,
                         int entity)
{
    int i;
    for (i = 0; i < m->n_aliases; i++) {
        const geotag_alias *al = &w->aliases[m->aliases[i]];
        if (al->entity == entity && al->role == GEOTAG_ALIAS_DEMONYM)
            return 1;
    }
    return 0;
}

/*
 * A place's name right after a capitalized word in mid-sentence ("Valeska
 * Paris", "Hitwise UK", "Team Estonia", "Spring University Myanmar") is the
 * end of another name, unless that word is a <place-modifier> of the page's
 * language ("Southern Italy", "Greater London") or a place preposition ("Talks
 * In Moscow"), a day or a month, an acronym in capitals ("the US China
 * talks"), the second half of a compound ("post-Brexit Britain") or the
 * first word of a quotation ("says 'If Sweden is attacked"), or the text is
 * a Title Case line.  A demonym is left alone ("Sunni Iraqi").  The rule
 * holds only on a page whose language pack lists place modifiers: not in
 * Italian, which writes "il Senato Usa" (the Senate of the US), nor in
 * German, where every noun is capitalized ("Hauptstadt Nuuk").
 */
static int ends_other_name(geotag_window *w, const geotag_match *m, int entity)
{
    const geotag_normalized *n = &w->norm;
    const char *k = n->key;
    apr_size_t b = m->start, a, i;
    int lower = 0;

    if (b < 2 || k[b - 1] != ' ' || !geotag_is_word_byte(k[b - 2]))
        return 0;
    b--;
    a = b;
    while (a > 0 && geotag_is_word_byte(k[a - 1]))
        a--;
    /* the word before is capitalized (most are not) and this is a place */
    if (!starts_upper(n, a) || !place_type(w->entities[entity].type))
        return 0;
    for (i = a + 1; i < b && !lower; i++)
        lower = n->cased[i] >= 'a' && n->cased[i] <= 'z';
    if (a > 0 && (k[a - 1] == '-' || k[a - 1] == '"' || k[a - 1] == '\'' ||
                  k[a - 1] == '(' || k[a - 1] == '['))
        return 0;
    if (!lower || sentence_initial(w, a) || day_or_month(w, a, b) ||
        geotag_lexicon_find(w->engine->gazetteer->lexicon,
                            GEOTAG_WORD_PLACE_MODIFIER, k + a, b - a,
                            page_pack(w)) ||
        geotag_lexicon_find(w->engine->gazetteer->lexicon,
                            GEOTAG_WORD_PLACE_PREP, k + a, b - a,
                            page_pack(w)) ||
        demonym_match(w, m, entity) || title_case(w))
        return 0;
    return geotag_lexicon_has(w->engine->gazetteer->lexicon,
                              GEOTAG_WORD_PLACE_MODIFIER, page_pack(w));
}

/*
 * The match is part of another name: a person's surname starting one
 * (starts_other_name), a place's name ending one (ends_other_name), or a
 * state's code before a currency sign ("US$ 20,000", "HK$").
 */
static int other_name(geotag_window *w, const geotag_match *m, int entity)
{
    return w->norm.key[m->end] == '$' || starts_other_name(w, m, entity) ||
           ends_other_name(w, m, entity);
}

static int entity_allowed(const geotag_window *w, int entity)
{
    const geotag_entity *e = &w->entities[entity];
    unsigned need = e->kind == GEOTAG_KIND_TREATY ? GEOTAG_TYPE_TREATIES
                                                  : GEOTAG_TYPE_ACTORS;
    return (w->types & need) != 0;
}

static int entity_full_seen(const geotag_window *w, int entity)
{
    const geotag_slot *slot = geotag_findings_slot(w->found, entity);
    return slot && (slot->flags & GEOTAG_SLOT_FULL);
}

/*
 * A capital and a city of the same name ("Mosca" the metonym of Russia,
 * "Mosca" the city): after a place preposition the city, else the state.
 * Returns the role to leave out of the candidates, or -1 for none.
 */
static int capital_reading(geotag_window *w, const geotag_match *m)
{
    int metonym = -1, place = -1, i;

    for (i = 0; i < m->n_aliases; i++) {
        const geotag_alias *al = &w->aliases[m->aliases[i]];
        if (al->entity < 0 ||
            (al->role != GEOTAG_ALIAS_METONYM && al->role != GEOTAG_ALIAS_NAME))
            continue;
        if (!lang_matches(w, m->aliases[i]) ||
            !case_matches(w, &w->norm, m, m->aliases[i]) ||
            !rules_hold(w, m, al))
            continue;
        if (al->role == GEOTAG_ALIAS_METONYM)
            metonym = al->entity;
        else
            place = al->entity;
    }
    if (metonym < 0 || place < 0 || metonym == place)
        return -1;
    return after_place_prep(w, m->start) ? GEOTAG_ALIAS_METONYM
                                          : GEOTAG_ALIAS_NAME;
}

/*
 * Decide what a match is.  Returns the entity index, -2 for a treaty word,
 * -3 for a stop form (nothing inside it is tagged), -4 for a role noun
 * (*aux = its role key), -5 for a name of an office (*aux = the office), or
 * -1 when nothing may be tagged there.
 */
static int resolve_match(geotag_window *w, const geotag_match *m, int headline,
                         int *aux)
{
    int full = -1, full_count = 0, full_seen = -1, full_seen_count = 0;
    int shorts[8], n_shorts = 0, treaty_word = 0, i;
    int role_key = -1, office = -1;
    int left_out = m->n_aliases > 1 ? capital_reading(w, m) : -1;

    for (i = 0; i < m->n_aliases; i++) {
        int a = m->aliases[i];
        const geotag_alias *al = &w->aliases[a];
        if (!lang_matches(w, a) || !case_matches(w, &w->norm, m, a))
            continue;
        if (al->role == GEOTAG_ALIAS_STOP)
            return -3;
        if ((int)al->role == left_out || (al->rules && !rules_hold(w, m, al)))
            continue;
        if (al->role == GEOTAG_ALIAS_TREATY_WORD) {
            treaty_word = 1;
            continue;
        }
        if (al->role == GEOTAG_ALIAS_ROLE_NOUN) {
            if (role_key < 0 && (w->types & GEOTAG_TYPE_ACTORS))
                role_key = al->role_key;
            continue;
        }
        if (al->role == GEOTAG_ALIAS_OFFICE) {
            if (w->types & GEOTAG_TYPE_ACTORS)
                office = office < 0 || office == al->entity ? al->entity : -2;
            continue;
        }
        if (al->entity < 0 || !entity_allowed(w, al->entity))
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
            if (entity_full_seen(w, al->entity) && full_seen != al->entity) {
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
    if (office >= 0) {
        *aux = office;
        return -5;
    }
    if (role_key >= 0) {
        *aux = role_key;
        return -4;
    }
    if (n_shorts > 0) {
        int seen = -1, seen_count = 0;
        for (i = 0; i < n_shorts; i++)
            if (entity_full_seen(w, shorts[i])) {
                seen = shorts[i];
                seen_count++;
            }
        if (seen_count == 1)
            return seen;
        /* Not yet resolvable: remember it for the JSON-LD. */
        *aux = -6;
        for (i = 0; i < n_shorts; i++) {
            geotag_slot *slot = add_slot(w, shorts[i]);
            if (!slot)
                return -1;
            slot->flags |= GEOTAG_SLOT_SHORT_PENDING;
            if (headline)
                slot->flags |= GEOTAG_SLOT_SHORT_HEADLINE;
        }
        return -1;
    }
    return treaty_word ? -2 : -1;
}

/* ---- role phrases ("il presidente russo", "the US president") -------- */

static int only_spaces(const char *k, apr_size_t a, apr_size_t b)
{
    for (; a < b; a++)
        if (k[a] != ' ')
            return 0;
    return 1;
}

/* key[a..b), without its spaces, is a role link of the page's language:
 * "della", "dell'", "of the", "'s". */
static int role_link(const geotag_window *w, apr_size_t a, apr_size_t b)
{
    const char *k = w->norm.key;
    while (a < b && k[a] == ' ')
        a++;
    while (b > a && k[b - 1] == ' ')
        b--;
    return b > a && geotag_lexicon_find(w->engine->gazetteer->lexicon,
                                        GEOTAG_WORD_ROLE_LINK, k + a, b - a,
                                        page_pack(w)) != NULL;
}

/* The word ending at or before 'at' (spaces, hyphens and apostrophes before
 * it skipped): its start, or 'at' when there is none. */
static apr_size_t word_before(const char *k, apr_size_t at, apr_size_t *end)
{
    apr_size_t e = at, ws;
    while (e > 0 && (k[e - 1] == ' ' || k[e - 1] == '-' || k[e - 1] == '\''))
        e--;
    ws = e;
    while (ws > 0 && geotag_is_word_byte(k[ws - 1]))
        ws--;
    *end = e;
    return ws < e ? ws : at;
}

/* One of the two words before 'at' is a role qualifier: "l'ex presidente",
 * "the former US president", "il futuro premier". */
static int qualified(const geotag_window *w, apr_size_t at)
{
    const char *k = w->norm.key;
    int pack = page_pack(w), n;
    for (n = 0; n < 2; n++) {
        apr_size_t end, ws = word_before(k, at, &end);
        if (ws == at)
            return 0;
        if (geotag_lexicon_find(w->engine->gazetteer->lexicon,
                                GEOTAG_WORD_ROLE_QUALIFIER, k + ws, end - ws,
                                pack) != NULL)
            return 1;
        at = ws;
    }
    return 0;
}

static int is_person(const geotag_window *w, int entity)
{
    return strcmp(w->entities[entity].type, "Person") == 0;
}

/* key[a..b) is a comma between spaces: "il presidente russo, Putin," */
static int apposition(const char *k, apr_size_t a, apr_size_t b)
{
    while (a < b && k[a] == ' ')
        a++;
    if (a >= b || k[a] != ',')
        return 0;
    return only_spaces(k, a + 1, b);
}

/* The span after i, when it is an entity next to it: across spaces only,
 * or (link 1) across a role link too, or (link 2) across a comma. */
static int entity_after(const geotag_window *w, const geotag_span *spans,
                        int n_spans, int i, apr_size_t end, int link)
{
    int j = i + 1;
    while (j < n_spans && spans[j].type == GEOTAG_SPAN_NONE)
        j++;
    if (j >= n_spans || spans[j].type != GEOTAG_SPAN_ENTITY)
        return -1;
    if (only_spaces(w->norm.key, end, spans[j].start) ||
        (link == 1 && role_link(w, end, spans[j].start)) ||
        (link == 2 && apposition(w->norm.key, end, spans[j].start)))
        return j;
    return -1;
}

/* The word after 'end' (across spaces) starts with a capital. */
static int next_capitalized(const geotag_window *w, apr_size_t end)
{
    apr_size_t a = end;
    while (a < w->norm.len && w->norm.key[a] == ' ')
        a++;
    return a > end && a < w->norm.len &&
           geotag_is_word_byte(w->norm.key[a]) && starts_upper(&w->norm, a);
}

/* The word after 'end', across spaces: [*a, *b), an elided one with its
 * apostrophe ("dell'"); 0 when none follows. */
static int next_word(const geotag_window *w, apr_size_t end, apr_size_t *a,
                     apr_size_t *b)
{
    const char *k = w->norm.key;
    apr_size_t i = end, j;
    while (i < w->norm.len && k[i] == ' ')
        i++;
    if (i >= w->norm.len || !geotag_is_word_byte(k[i]))
        return 0;
    j = i;
    while (j < w->norm.len && geotag_is_word_byte(k[j]))
        j++;
    if (j < w->norm.len && k[j] == '\'')
        j++;
    *a = i;
    *b = j;
    return 1;
}

/* A role link ("della", "dell'", "of the", "for") right after 'end': the
 * offset past it, or 0 when none follows. */
static apr_size_t link_after(const geotag_window *w, apr_size_t end)
{
    apr_size_t a, b, c, d;
    if (!next_word(w, end, &a, &b))
        return 0;
    if (next_word(w, b, &c, &d) && role_link(w, a, d))
        return d;
    return role_link(w, a, b) ? b : 0;
}

/* The word after 'end' is a <role-other> word of the page's language. */
static int other_word_at(const geotag_window *w, apr_size_t end)
{
    apr_size_t a, b;
    return next_word(w, end, &a, &b) &&
           geotag_lexicon_find(w->engine->gazetteer->lexicon,
                               GEOTAG_WORD_ROLE_OTHER, w->norm.key + a, b - a,
                               page_pack(w)) != NULL;
}

/*
 * The words after a role noun or an office's name make it another office:
 * a <role-other> word right after it ("presidente del Consiglio regionale",
 * "presidente della Repubblica democratica", "IAEA chief inspector") or
 * after a role link ("presidente del Consiglio di amministrazione").
 */
static int other_office_follows(const geotag_window *w, apr_size_t end)
{
    apr_size_t l = link_after(w, end);
    return other_word_at(w, end) || (l && other_word_at(w, l));
}

/* One of the match's candidates is a form of an entity that may be tagged
 * here (a name, an alias, a demonym or a capital; no short form). */
static int names_an_entity(geotag_window *w, const geotag_match *m)
{
    int i;
    for (i = 0; i < m->n_aliases; i++) {
        const geotag_alias *al = &w->aliases[m->aliases[i]];
        if (al->entity < 0 ||
            (al->role != GEOTAG_ALIAS_NAME && al->role != GEOTAG_ALIAS_DEMONYM &&
             al->role != GEOTAG_ALIAS_METONYM))
            continue;
        if (!lang_matches(w, m->aliases[i]) ||
            !case_matches(w, &w->norm, m, m->aliases[i]) ||
            (al->rules && !rules_hold(w, m, al)) ||
            !entity_allowed(w, al->entity))
            continue;
        return 1;
    }
    return 0;
}

/*
 * An office's name at m is continued into another body: a <role-other> word
 * follows it, or an entity's form starts inside it (after its first word,
 * the noun) and runs past its end: "presidente della [Repubblica
 * democratica del Congo]", "presidente della [Repubblica di Corea]".  The
 * longer name wins, and matching resumes inside the office's name.
 */
static int office_name_continued(geotag_window *w, const geotag_match *m)
{
    apr_size_t pos = m->first_word_end;
    geotag_match o;

    if (other_office_follows(w, m->end))
        return 1;
    while (geotag_matcher_next_before(w->engine->matcher, w->norm.key,
                                      w->norm.len, m->end, &pos, &o)) {
        if (o.end > m->end && names_an_entity(w, &o))
            return 1;
        pos = o.first_word_end;
    }
    return 0;
}

/* The words after an office's name go on with another name: a capital
 * ("presidente del Consiglio Nazionale") or a role link and a capital
 * ("presidente del Consiglio di Sicurezza"). */
static int name_goes_on(const geotag_window *w, apr_size_t end)
{
    const char *k = w->norm.key;
    apr_size_t a = end, b;
    if (next_capitalized(w, end))
        return 1;
    while (a < w->norm.len && k[a] == ' ')
        a++;
    if (a == end || a >= w->norm.len)
        return 0;
    b = a;
    while (b < w->norm.len && geotag_is_word_byte(k[b]))
        b++;
    if (b < w->norm.len && k[b] == '\'')
        b++;
    if (!role_link(w, a, b))
        return 0;
    while (b < w->norm.len && k[b] == ' ')
        b++;
    return b < w->norm.len && starts_upper(&w->norm, b);
}

/* A resolved (or held) role phrase spans [start, end), the state or body
 * that completed it included (spans[attached], or -1). */
static void set_role_state(const geotag_window *w, geotag_span *spans,
                           geotag_span *sp, int attached, int office,
                           apr_size_t start, apr_size_t end)
{
    sp->state_start = sp->state_end = 0;
    if (attached >= 0) {
        spans[attached].type = GEOTAG_SPAN_NONE;
        sp->state = spans[attached].entity;
        sp->state_start = spans[attached].start;
        sp->state_end = spans[attached].end;
    }
    else {
        sp->state = w->entities[office].office_of;
    }
    sp->start = start;
    sp->end = end;
}

/*
 * A role noun or an office's name at spans[i]: the person it names on the
 * window's date, as one entity span over the whole phrase (the state or
 * body that completes it, and a name right after it, become part of it),
 * or GEOTAG_SPAN_NONE.  Returns 1 when it was an office's name that names
 * nobody here (what the name holds is then matched on its own: "l'ex
 * presidente della [Repubblica francese]"), 2 when it is an office's name
 * held until the page tells its date (what it holds is its state, the
 * mention if it names nobody then).  Docs: docs/gazetteer.md, "Offices".
 */
static int resolve_role(geotag_window *w, geotag_span *spans, int n_spans,
                        int i)
{
    geotag_span *sp = &spans[i];
    int office = -1, attached = -1, person, name, ambiguous = 0, named = 0;
    int office_name = sp->type == GEOTAG_SPAN_OFFICE;
    apr_size_t start = sp->start, end = sp->end;

    if (sp->type == GEOTAG_SPAN_ROLE) {
        int key = sp->entity, j = entity_after(w, spans, n_spans, i, end, 1);
        if (j >= 0 && is_person(w, spans[j].entity) &&
            only_spaces(w->norm.key, end, spans[j].start)) {
            sp->type = GEOTAG_SPAN_NONE; /* "il presidente Putin": the name */
            return 0;
        }
        /* another office: "il presidente regionale", "the IAEA chief
         * inspector"; a department or a body that is no state or body of
         * the dictionary: "Secretary of State for Health", "chief of
         * staff", "presidente della Camera" */
        if (other_office_follows(w, end) ||
            ((j < 0 || is_person(w, spans[j].entity)) && link_after(w, end))) {
            sp->type = GEOTAG_SPAN_NONE;
            return 0;
        }
        /* it: "presidente russo", "segretario generale della Nato" */
        if (j >= 0 && !is_person(w, spans[j].entity)) {
            named = 1;
            office = geotag_office_find(w->engine->gazetteer,
                                        spans[j].entity, key);
            ambiguous |= office == -2;
            if (office >= 0)
                attached = j;
        }
        /* en: "Russian president", "the US president", "Russia's president" */
        if (office < 0 && i > 0 && spans[i - 1].type == GEOTAG_SPAN_ENTITY &&
            !is_person(w, spans[i - 1].entity) &&
            (only_spaces(w->norm.key, spans[i - 1].end, start) ||
             role_link(w, spans[i - 1].end, start))) {
            named = 1;
            office = geotag_office_find(w->engine->gazetteer,
                                        spans[i - 1].entity, key);
            ambiguous |= office == -2;
            if (office >= 0)
                attached = i - 1;
        }
        /* "la premier": the site's own country, when it has set one and
         * the phrase names no other state or body ("il presidente
         * tanzaniano" is not the site's president) */
        if (office < 0 && !ambiguous && !named && w->default_country >= 0)
            office = geotag_office_find(w->engine->gazetteer,
                                        w->default_country, key);
    }
    else {
        /* "presidente del Consiglio" names its office, unless a state or
         * body goes on with it ("presidente del Consiglio europeo") */
        int j = entity_after(w, spans, n_spans, i, end, 0);
        office = sp->entity;
        if ((j >= 0 && !is_person(w, spans[j].entity)) ||
            (j < 0 && name_goes_on(w, end)) || other_office_follows(w, end))
            office = -1;
    }
    if (office < 0) {
        sp->type = GEOTAG_SPAN_NONE;
        return office_name;
    }
    if (attached >= 0 && spans[attached].start < start)
        start = spans[attached].start;
    if (attached >= 0 && spans[attached].end > end)
        end = spans[attached].end;
    if (qualified(w, start)) {
        sp->type = GEOTAG_SPAN_NONE;
        return office_name;
    }
    if (!(w->date && w->date[0])) {
        /* the page's date may come later ("<time>" at the end, JSON-LD in
         * the body): the session holds the phrase until it does.  Who it
         * is is not known yet, so a name after it is its own mention. */
        name = entity_after(w, spans, n_spans, attached > i ? attached : i,
                            end, 2);
        if ((name >= 0 && is_person(w, spans[name].entity)) ||
            next_capitalized(w, end)) {
            sp->type = GEOTAG_SPAN_NONE;
            return office_name;
        }
        sp->type = GEOTAG_SPAN_PENDING;
        sp->entity = office;
        set_role_state(w, spans, sp, attached, office, start, end);
        return office_name ? 2 : 0;
    }
    person = geotag_office_holder(w->engine->gazetteer, office, w->date);
    if (person < 0) {
        sp->type = GEOTAG_SPAN_NONE;
        return office_name;
    }
    /* "il presidente russo Vladimir Putin" is one mention; a different
     * name there is the one the text means */
    name = entity_after(w, spans, n_spans, attached > i ? attached : i, end, 2);
    if (name >= 0 && is_person(w, spans[name].entity)) {
        if (spans[name].entity != person) {
            sp->type = GEOTAG_SPAN_NONE;
            return office_name;
        }
        end = spans[name].end;
        spans[name].type = GEOTAG_SPAN_NONE;
    }
    else if (next_capitalized(w, end)) {
        /* "il presidente russo Boris Eltsin": a name the dictionary does
         * not know; the text says who it means */
        sp->type = GEOTAG_SPAN_NONE;
        return office_name;
    }
    sp->type = GEOTAG_SPAN_ENTITY;
    sp->entity = person;
    set_role_state(w, spans, sp, attached, office, start, end);
    {
        /* later short forms may rely on it ("... Kim") */
        geotag_slot *slot = add_slot(w, person);
        if (slot)
            slot->flags |= GEOTAG_SLOT_FULL;
    }
    return 0;
}

/* Entities and dates of one sentence that can make a treaty's case. */
#define MAX_SENTENCE_SPANS 64

/* The treaty word spans[which] means (treaty.h), given what its sentence
 * names; -1 for none. */
static int resolve_treaty(geotag_window *w, const geotag_span *spans,
                          int n_spans, int which)
{
    apr_size_t s0, s1;
    int named[MAX_SENTENCE_SPANS], n_named = 0, n_dates = 0, i;
    const char *dates[MAX_SENTENCE_SPANS];

    geotag_treaty_sentence(w->treaties, spans[which].start, spans[which].end,
                           &s0, &s1);
    /* what the sentence names: its entities and its dates, once */
    for (i = 0; i < n_spans; i++) {
        if (spans[i].start < s0 || spans[i].end > s1)
            continue;
        if (spans[i].type == GEOTAG_SPAN_ENTITY && n_named < MAX_SENTENCE_SPANS)
            named[n_named++] = spans[i].entity;
        /* "tra il presidente russo e il leader nordcoreano": their states */
        if ((spans[i].type == GEOTAG_SPAN_ENTITY ||
             spans[i].type == GEOTAG_SPAN_PENDING) && spans[i].state >= 0 &&
            n_named < MAX_SENTENCE_SPANS)
            named[n_named++] = spans[i].state;
        else if (spans[i].type == GEOTAG_SPAN_FIGURE &&
                 n_dates < MAX_SENTENCE_SPANS &&
                 w->figures[spans[i].figure].kind == GEOTAG_FIGURE_DATE)
            dates[n_dates++] = w->figures[spans[i].figure].value;
    }
    return geotag_treaty_resolve(w->treaties, spans[which].start,
                                 spans[which].end, named, n_named, dates,
                                 n_dates);
}

/*
 * "Article 5", "risoluzione 1718", "n. 3": a number that names something
 * is not a figure the text quotes.
 */
static int names_a_number(const geotag_window *w, const char *key,
                          apr_size_t start)
{
    apr_size_t ws, e = start;
    while (e > 0 && (key[e - 1] == ' ' || key[e - 1] == '.'))
        e--;
    ws = e;
    while (ws > 0 && geotag_is_word_byte(key[ws - 1]))
        ws--;
    return geotag_lexicon_find(w->engine->gazetteer->lexicon,
                               GEOTAG_WORD_NUMBER_CUE, key + ws, e - ws,
                               -1) != NULL;
}

static int compare_span(const void *a, const void *b)
{
    const geotag_span *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return 0;
}

/* Entity spans come in text order, and so do figures: merge the two runs
 * (stable: at one offset the entity first); qsort only if a run is out of
 * order. */
static void sort_spans(geotag_window *w, int n_entities, int n_spans)
{
    geotag_span *sp = w->spans, *figures = w->spans_merge;
    int i, a, b, o, n_figures = n_spans - n_entities;

    for (i = 1; i < n_spans; i++)
        if (i != n_entities && sp[i].start < sp[i - 1].start)
            break;
    if (i < n_spans || n_figures > w->figures_window) {
        qsort(sp, (size_t)n_spans, sizeof(geotag_span), compare_span);
        return;
    }
    if (n_entities == 0 || n_figures == 0 ||
        sp[n_entities - 1].start <= sp[n_entities].start)
        return;
    memcpy(figures, sp + n_entities, sizeof(geotag_span) * (size_t)n_figures);
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

static void grow_spans(geotag_window *w)
{
    int cap = w->spans_cap * 2;
    geotag_span *bigger = apr_palloc(w->pool, sizeof(geotag_span) * cap);
    memcpy(bigger, w->spans, sizeof(geotag_span) * w->spans_cap);
    w->spans = bigger;
    w->spans_cap = cap;
}

/* The normalized copies are sized for the runs seen so far (most are a
 * paragraph), not for the largest run the text buffer allows: they grow,
 * doubling, up to that. */
static void norm_reserve(geotag_window *w, apr_size_t text_len)
{
    apr_size_t want, cap;

    if (text_len <= w->norm_text_cap && w->norm.key)
        return;
    want = w->norm_text_cap ? w->norm_text_cap : NORM_FIRST;
    while (want < text_len)
        want *= 2;
    if (want > w->text_cap)
        want = w->text_cap;
    cap = geotag_normalize_capacity(want);
    w->norm.key = apr_palloc(w->pool, cap);
    w->norm.cased = apr_palloc(w->pool, cap);
    w->norm.from = apr_palloc(w->pool, sizeof(apr_uint32_t) * (cap + 1));
    w->norm_text_cap = want;
}

geotag_window *geotag_window_create(apr_pool_t *pool,
                                    const geotag_engine *engine,
                                    geotag_findings *found,
                                    geotag_treaty_resolver *treaties,
                                    const char *lang, unsigned types,
                                    int figures_window, apr_size_t text_cap)
{
    geotag_window *w = apr_pcalloc(pool, sizeof(*w));

    w->pool = pool;
    w->engine = engine;
    w->found = found;
    w->treaties = treaties;
    w->lang = lang;
    w->types = types;
    w->entities = (const geotag_entity *)engine->gazetteer->entities->elts;
    w->aliases = (const geotag_alias *)engine->gazetteer->aliases->elts;
    w->scratch = geotag_figures_scratch_create(pool, engine->figures);
    w->text_cap = text_cap;
    w->default_country = -1;
    norm_reserve(w, text_cap < NORM_FIRST ? text_cap : NORM_FIRST);
    w->spans_cap = 256;
    w->spans = apr_palloc(pool, sizeof(geotag_span) * w->spans_cap);
    w->figures_window = figures_window;
    w->figures =
        apr_palloc(pool, sizeof(geotag_figure) * (apr_size_t)figures_window);
    w->spans_merge =
        apr_palloc(pool, sizeof(geotag_span) * (apr_size_t)figures_window);
    return w;
}

const geotag_normalized *geotag_window_normalize(geotag_window *w,
                                                 const char *text,
                                                 apr_size_t len,
                                                 geotag_charset cs)
{
    norm_reserve(w, len);
    geotag_normalize(text, len, cs, w->engine->gazetteer->fold_accents,
                     &w->norm);
    w->caps = -1;
    w->title = -1;
    w->lang_id = geotag_matcher_lang_id(w->engine->matcher, w->lang);
    return &w->norm;
}

void geotag_window_offices(geotag_window *w, const char *date, int country)
{
    w->date = date;
    w->default_country = country;
}

void geotag_window_context(geotag_window *w, int initial, const char *prev,
                           apr_size_t prev_len)
{
    w->ctx_initial = initial;
    if (prev == NULL || prev_len >= sizeof(w->ctx_prev))
        prev_len = 0;
    if (prev_len > 0)
        memcpy(w->ctx_prev, prev, prev_len);
    w->ctx_prev_len = prev_len;
}

int geotag_window_tail(const geotag_window *w, char *prev, apr_size_t *prev_len)
{
    const char *k = w->norm.key;
    apr_size_t e = w->norm.len, ws;

    *prev_len = 0;
    while (e > 0 && k[e - 1] == ' ')
        e--;
    if (e == 0)
        return w->ctx_initial;
    if (k[e - 1] == '.' || k[e - 1] == '!' || k[e - 1] == '?')
        return 1;
    ws = e;
    if (k[e - 1] == '\'')
        ws--;
    while (ws > 0 && geotag_is_word_byte(k[ws - 1]))
        ws--;
    if (ws < e && e - ws < GEOTAG_WINDOW_PREV_MAX &&
        geotag_is_word_byte(k[ws])) {
        memcpy(prev, k + ws, e - ws);
        *prev_len = e - ws;
    }
    return 0;
}

/* The gazetteer's matches starting before limit, as spans; returns how
 * many. */
static int match_entities(geotag_window *w, apr_size_t limit, int headline)
{
    const geotag_normalized *n = &w->norm;
    apr_size_t pos = 0;
    geotag_match m;
    int n_spans = 0, aux = -1;

    w->n_deferred = 0;
    w->n_roles = 0;
    while (!w->full && geotag_matcher_next_before(w->engine->matcher, n->key,
                                                  n->len, limit, &pos, &m)) {
        int entity;
        aux = -1;
        entity = resolve_match(w, &m, headline, &aux);
        if (entity == -1) {
            if (aux == -6 && w->n_deferred < (int)(sizeof(w->deferred) /
                                                   sizeof(w->deferred[0])))
                w->deferred[w->n_deferred++] = m;
            pos = m.first_word_end;
            continue;
        }
        if (entity == -5 && office_name_continued(w, &m)) {
            pos = m.first_word_end;
            continue;
        }
        if (entity < -3)
            w->n_roles++;
        if (entity == -3) /* a stop form: pos is past it */
            continue;
        if (entity >= 0 && other_name(w, &m, entity)) {
            pos = m.end;
            continue;
        }
        if (n_spans == w->spans_cap)
            grow_spans(w);
        w->spans[n_spans].start = m.start;
        w->spans[n_spans].end = m.end;
        w->spans[n_spans].type = entity == -2   ? GEOTAG_SPAN_TREATY_WORD
                                 : entity == -4 ? GEOTAG_SPAN_ROLE
                                 : entity == -5 ? GEOTAG_SPAN_OFFICE
                                                : GEOTAG_SPAN_ENTITY;
        w->spans[n_spans].entity = entity < -3 ? aux : entity;
        w->spans[n_spans].state = -1;
        n_spans++;
        if (entity >= 0) {
            /* later short forms in this window may rely on it */
            geotag_slot *slot = add_slot(w, entity);
            if (slot)
                slot->flags |= GEOTAG_SLOT_FULL;
        }
    }
    return n_spans;
}

/* Then the figures and dates that overlap no entity; returns the number
 * of spans. */
static int match_figures(geotag_window *w, apr_size_t limit, int n_spans)
{
    const geotag_normalized *n = &w->norm;
    int n_figures, i;

    n_figures = geotag_figures_find(w->engine->figures, w->scratch, n->key,
                                    n->len, w->lang[0] ? w->lang : NULL,
                                    w->figures, w->figures_window);
    for (i = 0; i < n_figures; i++) {
        int k, overlaps = 0;
        if (w->figures[i].start >= limit)
            break;
        for (k = 0; k < n_spans && !overlaps; k++)
            overlaps = w->spans[k].start < w->figures[i].end &&
                       w->figures[i].start < w->spans[k].end;
        if (overlaps)
            continue;
        if (w->figures[i].kind == GEOTAG_FIGURE_NUMBER && !w->figures[i].unit &&
            names_a_number(w, n->key, w->figures[i].start))
            continue;
        if (n_spans == w->spans_cap)
            grow_spans(w);
        w->spans[n_spans].start = w->figures[i].start;
        w->spans[n_spans].end = w->figures[i].end;
        w->spans[n_spans].type = GEOTAG_SPAN_FIGURE;
        w->spans[n_spans].figure = i;
        w->spans[n_spans].entity = -1;
        w->spans[n_spans].state = -1;
        n_spans++;
    }
    return n_spans;
}

/* A span of entity for the match m, after the window's n_spans; returns
 * the number of spans. */
static int push_entity(geotag_window *w, int n_spans, const geotag_match *m,
                       int entity)
{
    if (n_spans == w->spans_cap)
        grow_spans(w);
    w->spans[n_spans].start = m->start;
    w->spans[n_spans].end = m->end;
    w->spans[n_spans].type = GEOTAG_SPAN_ENTITY;
    w->spans[n_spans].entity = entity;
    w->spans[n_spans].state = -1;
    return n_spans + 1;
}

/*
 * The entities named inside [start, end), an office's name that names
 * nobody here, after its first word (the noun): "l'ex presidente della
 * Repubblica francese" still names France, "the President of Russia" on a
 * page without a date still names Russia, as a role phrase's state stays
 * tagged.  Returns the number of spans.
 */
static int match_inside(geotag_window *w, apr_size_t start, apr_size_t end,
                        apr_size_t limit, int headline, int n_spans)
{
    apr_size_t pos = start;
    geotag_match m;

    while (pos < end && geotag_is_word_byte(w->norm.key[pos]))
        pos++;
    while (!w->full && geotag_matcher_next_before(
                           w->engine->matcher, w->norm.key, w->norm.len,
                           end < limit ? end : limit, &pos, &m)) {
        int aux = -1, entity;
        if (m.end > end)
            break;
        entity = resolve_match(w, &m, headline, &aux);
        if (entity == -3) /* a stop form: nothing inside it */
            continue;
        if (entity < 0 || other_name(w, &m, entity)) {
            pos = m.first_word_end;
            continue;
        }
        n_spans = push_entity(w, n_spans, &m, entity);
        {
            geotag_slot *slot = add_slot(w, entity);
            if (slot)
                slot->flags |= GEOTAG_SLOT_FULL;
        }
        pos = m.end;
    }
    return n_spans;
}

int geotag_window_match(geotag_window *w, apr_size_t limit, int headline,
                        apr_size_t *done)
{
    int n_spans, n_entity_spans, i;

    w->full = 0;
    *done = limit;
    geotag_treaty_window(w->treaties, w->norm.key, w->norm.len);
    n_spans = n_entity_spans = match_entities(w, limit, headline);
    if (w->types &
        (GEOTAG_TYPE_FIGURES | GEOTAG_TYPE_DATES | GEOTAG_TYPE_TREATIES))
        n_spans = match_figures(w, limit, n_spans);
    sort_spans(w, n_entity_spans, n_spans);

    if (w->n_roles > 0) {
        int k, r, n_roles = n_spans, n_dropped = 0;
        apr_size_t dropped[16][2];
        int held[16];
        for (i = 0; i < n_roles; i++)
            if ((w->spans[i].type == GEOTAG_SPAN_ROLE ||
                 w->spans[i].type == GEOTAG_SPAN_OFFICE) &&
                (r = resolve_role(w, w->spans, n_roles, i)) != 0 &&
                n_dropped < (int)(sizeof(dropped) / sizeof(dropped[0]))) {
                dropped[n_dropped][0] = w->spans[i].start;
                dropped[n_dropped][1] = w->spans[i].end;
                held[n_dropped++] = r == 2 ? i : -1;
            }
        /* what the names of offices that named nobody hold; a held one's
         * first entity is its state */
        for (k = 0; k < n_dropped; k++) {
            int from = n_spans;
            n_spans = match_inside(w, dropped[k][0], dropped[k][1], limit,
                                   headline, n_spans);
            if (held[k] >= 0 && n_spans > from &&
                !is_person(w, w->spans[from].entity)) {
                geotag_span *sp = &w->spans[held[k]];
                sp->state = w->spans[from].entity;
                sp->state_start = w->spans[from].start;
                sp->state_end = w->spans[from].end;
                w->spans[from].type = GEOTAG_SPAN_NONE;
            }
        }
        /* the people the phrases named make short forms resolvable */
        for (k = 0; k < w->n_deferred; k++) {
            const geotag_match *m = &w->deferred[k];
            int aux = -1, entity;
            if (m->start >= limit)
                continue;
            entity = resolve_match(w, m, headline, &aux);
            if (entity >= 0)
                n_spans = push_entity(w, n_spans, m, entity);
        }
        if (n_spans > n_roles)
            qsort(w->spans, (size_t)n_spans, sizeof(geotag_span), compare_span);
    }

    /* treaty words: the treaty each means, in text order (what a treaty
     * named in full says about its words counts from there on) */
    for (i = 0; i < n_spans; i++) {
        geotag_span *sp = &w->spans[i];
        if (sp->type == GEOTAG_SPAN_TREATY_WORD) {
            int t = (w->types & GEOTAG_TYPE_TREATIES)
                        ? resolve_treaty(w, w->spans, n_spans, i)
                        : -1;
            if (t < 0) {
                sp->type = GEOTAG_SPAN_NONE;
                continue;
            }
            sp->type = GEOTAG_SPAN_ENTITY;
            sp->entity = t;
        }
        else if (sp->type == GEOTAG_SPAN_ENTITY &&
                 w->entities[sp->entity].kind == GEOTAG_KIND_TREATY) {
            geotag_treaty_named(w->treaties, sp->start, sp->end, sp->entity);
        }
        if (sp->end > *done)
            *done = sp->end;
    }
    return n_spans;
}

const geotag_span *geotag_window_spans(const geotag_window *w)
{
    return w->spans;
}

const geotag_figure *geotag_window_figure(const geotag_window *w, int i)
{
    return &w->figures[i];
}

const geotag_normalized *geotag_window_norm(const geotag_window *w)
{
    return &w->norm;
}

int geotag_window_full(const geotag_window *w)
{
    return w->full;
}

void geotag_window_headline(geotag_window *w, const char *text, apr_size_t len,
                            geotag_charset cs)
{
    geotag_normalized n;
    apr_size_t cap = geotag_normalize_capacity(len), pos = 0;
    geotag_match m;

    n.key = apr_palloc(w->pool, cap);
    n.cased = apr_palloc(w->pool, cap);
    n.from = apr_palloc(w->pool, sizeof(apr_uint32_t) * (cap + 1));
    geotag_normalize(text, len, cs, w->engine->gazetteer->fold_accents, &n);
    w->lang_id = geotag_matcher_lang_id(w->engine->matcher, w->lang);
    while (geotag_matcher_next(w->engine->matcher, n.key, n.len, &pos, &m)) {
        int i, done = 0;
        for (i = 0; i < m.n_aliases && !done; i++) {
            const geotag_alias *a = &w->aliases[m.aliases[i]];
            geotag_slot *slot;
            if (a->entity < 0 || !lang_matches(w, m.aliases[i]) ||
                !case_matches(w, &n, &m, m.aliases[i]))
                continue;
            slot = geotag_findings_slot(w->found, a->entity);
            if (slot && (slot->flags & GEOTAG_SLOT_FULL)) {
                slot->flags |= GEOTAG_SLOT_HEADLINE;
                done = 1;
            }
        }
    }
}
