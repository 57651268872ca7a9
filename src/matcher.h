/*
 * matcher.h: the gazetteer compiled for matching, whole-word and
 * leftmost-longest, on normalized text.
 *
 * Every surface form of the gazetteer (names, aliases, demonyms, capitals,
 * treaty words) is split into words; the forms become paths in a trie whose
 * edges are *words*, stored as (parent node, 64-bit word hash) in one open
 * addressing table.  Matching walks the text word by word: at each word
 * start it follows the longest path it can, and the last node on that path
 * that ends a form is the match.  So the cost per word is one hash and, for
 * the few words that begin some form, one probe per further word; it does
 * not grow with the size of the dictionary (no automaton to build, no
 * state explosion), and a 1-bit-per-bucket filter on first words keeps
 * the common case (a word that begins nothing) inside L1.
 *
 * Word = a maximal run of word bytes (ASCII alphanumerics and every byte
 * >= 0x80, see normalize.h).  Between the words of a form, any run of
 * spaces, hyphens and apostrophes in the text matches ("Kim Jong-un" =
 * "Kim Jong Un"), up to four bytes.  A form that holds punctuation between
 * its words or after its last one (, . ( ) & /: "Virgin Islands, British",
 * "Cocos (Keeling) Islands", "George W. Bush", "U.S.") matches only text
 * with the same marks in the same places, spaces, hyphens and apostrophes
 * around them free; any other character ends the form.
 *
 * The matcher only finds candidates: case rules, language and ambiguity
 * are decided by the annotator, which knows the page.
 *
 * It must never: allocate while matching, or read outside [key, key+len).
 */
#ifndef GEOTAG_MATCHER_H
#define GEOTAG_MATCHER_H

#include <apr_pools.h>
#include "gazetteer.h"

typedef struct geotag_matcher geotag_matcher;

typedef struct {
    apr_size_t start;            /* first byte of the first word (key offset) */
    apr_size_t end;              /* one past the last byte of the last word */
    apr_size_t first_word_end;   /* end of the first word: where to resume when
                                    the caller rejects every candidate */
    const int *aliases;          /* candidate alias indices (gazetteer->aliases) */
    int n_aliases;
} geotag_match;

geotag_matcher *geotag_matcher_compile(apr_pool_t *pool,
                                       const geotag_gazetteer *g,
                                       const char **error);

/*
 * Find the leftmost-longest match in key[0..len) that starts at a word
 * start at or after *pos; key[len] must be a non-word byte (geotag_normalize
 * writes a '\0' there).  Returns 1 and fills 'out' (the caller sets *pos
 * to out->end to go on, or to out->first_word_end to look for shorter or
 * later matches), or 0 when there is none (then *pos = len).
 */
int geotag_matcher_next(const geotag_matcher *m, const char *key,
                        apr_size_t len, apr_size_t *pos, geotag_match *out);

/* The same, for a match that starts before 'before' only: the words from
 * there on are not read (0 then, *pos = len).  For the callers that take
 * a match only inside a range. */
int geotag_matcher_next_before(const geotag_matcher *m, const char *key,
                               apr_size_t len, apr_size_t before,
                               apr_size_t *pos, geotag_match *out);

/* The normalized key and cased form of an alias (for case checks). */
const char *geotag_matcher_alias_cased(const geotag_matcher *m, int alias);

/*
 * Languages by number, so that a page's language is compared with an
 * alias's by one byte, not by string, once per candidate: the number of
 * an alias's language (its primary subtag); 0 for an alias valid in every
 * language; GEOTAG_MATCHER_LANG_OTHER for one the table could not hold
 * (compare its strings then).  geotag_matcher_lang_id() gives a page
 * language's number: 0 when no alias is in that language.
 */
#define GEOTAG_MATCHER_LANGS 254
#define GEOTAG_MATCHER_LANG_OTHER 255
int geotag_matcher_alias_lang(const geotag_matcher *m, int alias);
int geotag_matcher_lang_id(const geotag_matcher *m, const char *lang);

/* Longest surface form, in key bytes: the carry-over a stream needs. */
apr_size_t geotag_matcher_max_form(const geotag_matcher *m);

/* Number of distinct forms compiled (after de-duplication). */
int geotag_matcher_forms(const geotag_matcher *m);

#endif
