/*
 * langpack.h: the words of each language, as data.
 *
 * A language pack is one XML file per language (conf/lang/it.xml,
 * conf/lang/en.xml; format: docs/language-packs.md, schema: the
 * <language-pack> element of conf/gazetteer.rng).  It holds every word the
 * engine reads by language: month names, multipliers ("milioni", "bn"),
 * percent words, ordinal suffixes, the cues that make a year a date ("nel
 * 2018", "fine del 2022"), the words crossed between a number and its
 * counted noun, the words that make a number a name ("articolo 5"), the
 * class and id words of a related-stories box ("related", "correlati"),
 * and the treaty words, determiners and units of the dictionary's
 * <lexicon>.
 *
 * The packs of a directory are loaded whatever dictionary is named, before
 * it; a dictionary's <lexicon lang="..."> adds its words to the pack of
 * that language (one is made when there is none).  A new language is a new
 * file: the figure patterns are built from the words (figures.c).
 *
 * This file owns the model of the figure and cue words (geotag_lexicon),
 * reading them from XML, and finding the pack files; the gazetteer loader
 * (gazetteer.c) calls it for each pack and each <lexicon>, and keeps the
 * treaty words, determiners and units with the aliases they become.
 */
#ifndef GEOTAG_LANGPACK_H
#define GEOTAG_LANGPACK_H

#include <apr_hash.h>
#include <apr_pools.h>
#include <apr_tables.h>

#include "xmlfile.h"

typedef enum {
    GEOTAG_WORD_MONTH = 0,      /* value 1-12; flag: ambiguous ("may", "giu") */
    GEOTAG_WORD_MULTIPLIER,     /* value: power of ten; flag: glued ("5k") */
    GEOTAG_WORD_PERCENT,        /* "per cento", "percent" */
    GEOTAG_WORD_ORDINAL,        /* suffix of an ordinal day: "th" */
    GEOTAG_WORD_DAY_LINK,       /* between a day and its month: "of" */
    GEOTAG_WORD_YEAR_CUE,       /* "nel", "in" before a year */
    GEOTAG_WORD_YEAR_ELISION,   /* "nell'" before a year, kept as "nell" */
    GEOTAG_WORD_YEAR_ARTICLE,   /* "entro" in "entro il 2025"; article set */
    GEOTAG_WORD_ARTICLE,        /* that "il", made from the attribute */
    GEOTAG_WORD_YEAR_QUALIFIER, /* "fine", "early", "mid": wrapped with it */
    GEOTAG_WORD_YEAR_LINK,      /* "del", "of" after a month or qualifier */
    GEOTAG_WORD_FILLER,         /* crossed before a counted noun: "di" */
    GEOTAG_WORD_NUMBER_CUE,     /* makes a number a name: "articolo" */
    GEOTAG_WORD_PLACE_PREP,     /* before a place: "a", "in", "all'", "to" */
    GEOTAG_WORD_ROLE_LINK,      /* office to its state: "della", "of the", "'s" */
    GEOTAG_WORD_ROLE_QUALIFIER, /* not the holder: "ex", "former", "futuro" */
    GEOTAG_WORD_ROLE_OTHER,     /* after a role noun or an office's name, makes
                                   it another office: "regionale", "prosecutor" */
    GEOTAG_WORD_WEEKDAY,        /* "lunedi", "Monday": no part of a name */
    GEOTAG_WORD_RELATED_CUE,    /* "related", "correlati": in a class or id,
                                   a box of teasers (scope.h) */
    GEOTAG_WORD_PLACE_MODIFIER, /* a capitalized word that keeps the place
                                   after it: "Southern Italy" */
    GEOTAG_WORD_KINDS
} geotag_word_kind;

typedef struct {
    const char *lang;  /* language tag, as the pack or lexicon writes it */
    const char *file;  /* the pack file, or NULL (only dictionary words) */
    char decimal_mark; /* ',' or '.'; 0 = guess per number */
    int month_first;   /* numeric dates are m/d/y with '/' and '-' */
    unsigned kinds;    /* the word kinds it has, bit 1 << kind: made by
                          geotag_lexicon_index */
} geotag_langpack;

typedef struct {
    geotag_word_kind kind;
    int pack;            /* index into the lexicon's packs */
    const char *text;    /* as written, lower case */
    const char *article; /* GEOTAG_WORD_YEAR_ARTICLE: "il"; else NULL */
    int value;
    int flag;
} geotag_word;

typedef struct geotag_lexicon_s {
    apr_array_header_t *packs; /* geotag_langpack */
    apr_array_header_t *words; /* geotag_word, in file order */
    apr_hash_t *index;         /* private: kind + key -> entries */
} geotag_lexicon;

geotag_lexicon *geotag_lexicon_make(apr_pool_t *pool);

/* The pack of 'lang' (same primary subtag), or -1. */
int geotag_lexicon_pack_of(const geotag_lexicon *lex, const char *lang);

/* The pack of 'lang', made empty when there is none. */
int geotag_lexicon_pack(geotag_lexicon *lex, const char *lang);

/*
 * Reads the root of a pack file (<language-pack lang=...>) into a new
 * pack, or adds to the existing pack of its language; returns its index,
 * or -1 with r->error set.
 */
int geotag_lexicon_read_pack(geotag_lexicon *lex, geotag_xml_reader *r,
                             xmlNodePtr root);

/*
 * Adds the word element 'node' (a <month>, <year-cue> ...) to pack 'pack'.
 * Returns 1 when added, 0 with r->error set when it is bad, and -1 when
 * the element is not a word of this file (a treaty word, determiner or
 * unit: the gazetteer's).
 */
int geotag_lexicon_read_word(geotag_lexicon *lex, geotag_xml_reader *r,
                             xmlNodePtr node, int pack);

/* Builds the lookup index once every word is in; 'fold' = the dictionary
 * folds accents (each word is then found by both spellings). */
void geotag_lexicon_index(geotag_lexicon *lex, apr_pool_t *pool, int fold);

/*
 * The first word of 'kind' spelled s[0..n) in the key (lower case,
 * single spaces), of pack 'pack' or, when pack is -1, of any pack.
 */
const geotag_word *geotag_lexicon_find(const geotag_lexicon *lex,
                                       geotag_word_kind kind, const char *s,
                                       apr_size_t n, int pack);

/* Pack 'pack' (>= 0) has a word of 'kind' (once indexed). */
int geotag_lexicon_has(const geotag_lexicon *lex, geotag_word_kind kind,
                       int pack);

/*
 * A word or phrase as the normalized key spells it: lower case (ASCII and
 * Latin-1), single spaces, and accents of Latin-1 letters folded when
 * 'fold' is set.  *words is set to its number of words.
 */
char *geotag_lexicon_key(apr_pool_t *pool, const char *text, int fold,
                         int *words);

/*
 * The pack files of 'dir': every "*.xml" in it, sorted by name.  NULL and
 * *error ("dir: reason") when the directory cannot be read or holds none.
 */
apr_array_header_t *geotag_langpack_files(apr_pool_t *pool, const char *dir,
                                          const char **error);

#endif
