/*
 * treaty.h: which treaty of the gazetteer a treaty word means.
 *
 * A treaty word ("il patto", "the treaty") names a treaty by its sentence:
 * the one whose parties and date the sentence names, at least two of them
 * and more than for any other treaty.  Failing that, after a determiner
 * ("il patto", "the pact"), it names the treaty last named with the same
 * kind of word (its first four bytes: "patto"/"patti"), else the treaty
 * last resolved by description.
 *
 * The word sets (one-word treaty words, determiners) and the list of
 * treaties are compiled once per engine (geotag_treaty_words, read-only,
 * shared); the memory of one page is a resolver, bounded by
 * limits.treaty_families.
 */
#ifndef GEOTAG_TREATY_H
#define GEOTAG_TREATY_H

#include <apr_pools.h>

#include "gazetteer.h"

typedef struct geotag_treaty_words geotag_treaty_words;

geotag_treaty_words *geotag_treaty_words_compile(apr_pool_t *pool,
                                                 const geotag_gazetteer *g);

/* Whether the normalized word[0..len) is a one-word treaty word; a
 * determiner of the lexicon. */
int geotag_treaty_is_word(const geotag_treaty_words *w, const char *word,
                          apr_size_t len);
int geotag_treaty_is_determiner(const geotag_treaty_words *w, const char *word,
                                apr_size_t len);

typedef struct geotag_treaty_resolver geotag_treaty_resolver;

geotag_treaty_resolver *
geotag_treaty_resolver_create(apr_pool_t *pool, const geotag_treaty_words *w,
                              const geotag_gazetteer *g, int families);

/* A new window of normalized text, key[0..len) (kept, not copied): its
 * sentence ends are found when first needed. */
void geotag_treaty_window(geotag_treaty_resolver *r, const char *key,
                          apr_size_t len);

/* The sentence around key[start, end) of the window: [*s0, *s1). */
void geotag_treaty_sentence(geotag_treaty_resolver *r, apr_size_t start,
                            apr_size_t end, apr_size_t *s0, apr_size_t *s1);

/* The treaty (entity index) named in full at key[start, end): the treaty
 * words of its name now refer to it. */
void geotag_treaty_named(geotag_treaty_resolver *r, apr_size_t start,
                         apr_size_t end, int treaty);

/* The treaty word at key[start, end), whose sentence names the entities
 * named[] and the dates dates[] (ISO values): the treaty it means (entity
 * index), or -1. */
int geotag_treaty_resolve(geotag_treaty_resolver *r, apr_size_t start,
                          apr_size_t end, const int *named, int n_named,
                          const char *const *dates, int n_dates);

#endif
