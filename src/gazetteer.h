/*
 * gazetteer.h: the dictionary of entities, loaded from XML.
 *
 * A gazetteer is one or more XML files (format: docs/gazetteer.md, schema:
 * conf/gazetteer.rng, built in), each validated against the RelaxNG schema
 * with libxml2 and then checked for what a schema cannot say (duplicate ids,
 * treaty parties that name no entity, malformed dates, bad inflection
 * notation).  Errors name the file and line.  Files are merged in the order
 * given; an entity id may appear in only one file.  The language packs
 * (langpack.h) are loaded first, through the same gates: their words and
 * those of the files' <lexicon>s make the treaty words, determiners, units
 * and the lexicon of figure and cue words.
 *
 * The loaded model is read-only and lives in the pool it was loaded into;
 * the matcher (matcher.h) is compiled from it, the JSON-LD writer reads
 * names, types and links from it.  Nothing here touches a page.
 *
 * It must never: accept a file the schema rejects, fetch anything over the
 * network (XML_PARSE_NONET), or expand external entities.
 */
#ifndef GEOTAG_GAZETTEER_H
#define GEOTAG_GAZETTEER_H

#include <apr_hash.h>
#include <apr_pools.h>
#include <apr_tables.h>

/* What an entity is, for tagging and for GeoTagTypes. */
typedef enum {
    GEOTAG_KIND_ACTOR = 0, /* person, state, organization, government body */
    GEOTAG_KIND_TREATY,    /* treaty, pact, agreement, sanctions regime */
    GEOTAG_KIND_OFFICE     /* an <office>: never tagged itself; a role phrase
                              that names it is tagged as its holder */
} geotag_entity_kind;

/* One holder of an office, from a day to a day (ISO 8601 dates, "YYYY",
 * "YYYY-MM" or "YYYY-MM-DD"; to NULL while in office). */
typedef struct {
    int person;       /* entity index */
    const char *from;
    const char *to;
} geotag_holder;

typedef struct {
    const char *lang;      /* "it", "en", ...; NULL = any language */
    const char *text;      /* the label as written (UTF-8) */
    const char *wikipedia; /* article title in that language's Wikipedia, or NULL */
    /* the entity's JSON-LD node as written for a page in this label's
     * language, rendered once at load (geotag_jsonld_prepare); NULL for a
     * label without a language, whose node depends on the page's */
    const char *jsonld;
    apr_size_t jsonld_len;
} geotag_label;

typedef struct {
    const char *id;          /* Wikidata QID, "Q7747", or "local:slug" */
    const char *type;        /* schema.org type: Person, Country, Organization,
                                GovernmentOrganization, PoliticalParty, Legislation ... */
    geotag_entity_kind kind;
    int verified;            /* 0 when the file marks the QID as not verified */
    /* 1 when the id may not be published (not a verified QID): not as a
     * Wikidata IRI, not in sameAs, not in the markup.  The entity is
     * written under local_id ("geotag-slug", unique in the dictionary)
     * instead: the fragment of its JSON-LD @id on the page, and its id in
     * the markup. */
    int unpublished;
    const char *local_id;
    const geotag_label *labels; /* <name> elements, at least one */
    int n_labels;
    /* treaties only */
    const int *parties;      /* entity indices */
    int n_parties;
    const char *date;        /* ISO 8601 signing date, or NULL */
    const char *legislation_type; /* free text ("treaty"), or NULL */
    /* offices only */
    int office_of;           /* entity index of its state or body */
    const int *role_keys;    /* indices into gazetteer->role_keys */
    int n_role_keys;
    const geotag_holder *holders; /* in file order */
    int n_holders;
    const char *source_file; /* for messages */
    int source_line;
    /* the opening tag of a mention, per geotag_markup_mode (data,
     * microdata), rendered once at load (geotag_edits_prepare), or NULL */
    const char *open_markup[2];
    apr_size_t open_markup_len[2];
    /* {"@id":"http://www.wikidata.org/entity/Q..."} as written in about and
     * mentions, rendered once at load (geotag_jsonld_prepare), or NULL */
    const char *jsonld_ref;
    apr_size_t jsonld_ref_len;
} geotag_entity;

/* How an alias's case must look in the text for it to match. */
typedef enum {
    GEOTAG_CASE_FOLD = 0,     /* any case: demonyms ("russo", "Russo") */
    GEOTAG_CASE_CAPITALIZED,  /* first letter upper case, rest any: "Nato", "NATO" */
    GEOTAG_CASE_EXACT         /* exactly as written (accents folded): "US", "Ue" */
} geotag_case_rule;

/* How an alias refers to its entity. */
typedef enum {
    GEOTAG_ALIAS_NAME = 0,   /* a name or unambiguous alias */
    GEOTAG_ALIAS_SHORT,      /* ambiguous short form ("Kim"): marked up only
                                after an unambiguous form of the entity */
    GEOTAG_ALIAS_DEMONYM,    /* "russo", "nordcoreane", "Russian" */
    GEOTAG_ALIAS_METONYM,    /* a capital standing for the state: "Mosca" */
    GEOTAG_ALIAS_TREATY_WORD, /* "accordo", "patto", "treaty": resolved by context */
    GEOTAG_ALIAS_STOP,       /* a <stop> form ("Washington Post"): matched,
                                never tagged, and nothing inside it is */
    GEOTAG_ALIAS_ROLE_NOUN,  /* "presidente", "prime minister": entity -1,
                                role_key set; makes a role phrase */
    GEOTAG_ALIAS_OFFICE      /* a name of an office ("presidente del
                                Consiglio"): entity is the office */
} geotag_alias_role;

/* Context rules of a form (geotag_alias.rules). */
#define GEOTAG_FORM_WORD 1  /* word="yes": also an ordinary word; a capital
                               at a sentence start or in a line of capitals
                               is no evidence of the name */
#define GEOTAG_FORM_PLACE 2 /* context="place": only right after a place
                               preposition ("a Sofia", "in Victoria") */

typedef struct {
    const char *text;        /* one surface form, expanded (UTF-8) */
    int entity;              /* index into entities; -1 for treaty words */
    const char *lang;        /* NULL = any language */
    geotag_case_rule case_rule;
    geotag_alias_role role;
    unsigned rules;          /* GEOTAG_FORM_* */
    int role_key;            /* GEOTAG_ALIAS_ROLE_NOUN: index into
                                gazetteer->role_keys; else -1 */
} geotag_alias;

/* A counted noun that can follow a figure ("soldati", "shells"). */
typedef struct {
    const char *lang;
    const char *text;        /* surface form, lower case */
    const char *currency;    /* ISO 4217 when the noun is money ("dollari"), or NULL */
} geotag_unit;

typedef struct {
    apr_array_header_t *entities;    /* geotag_entity */
    apr_array_header_t *aliases;     /* geotag_alias (names included) */
    apr_array_header_t *units;       /* geotag_unit */
    apr_array_header_t *determiners; /* geotag_alias with entity -1: "il", "this" */
    struct geotag_lexicon_s *lexicon; /* figure and cue words (langpack.h) */
    int fold_accents;                /* from the first file; default 1 */
    unsigned char digest[20];        /* SHA-1 (apr_sha1) of all file contents, in order:
                                        the cache and ETag key part */
    const char *files;               /* the files loaded, ", "-separated */
    apr_hash_t *by_id;               /* private: id -> int * index, for
                                        geotag_gazetteer_find() */
    apr_array_header_t *role_keys;   /* const char *: "president", "pm" ... */
    apr_array_header_t *offices;     /* int: the entity indices of offices */
} geotag_gazetteer;

/*
 * Load and validate the language packs of the directory 'lang_packs'
 * (langpack.h; NULL: none), then 'n_files' dictionary files, which add to
 * them.  'schema' is the RelaxNG file to validate both against, NULL for
 * the one built in (conf/gazetteer.rng, builtin.h).  With packs, no
 * dictionary file is needed.  On error returns NULL and sets *error to
 * "file:line: reason" (allocated from pool).  The digest covers the packs'
 * bytes first.
 */
geotag_gazetteer *geotag_gazetteer_load(apr_pool_t *pool, const char *schema,
                                        const char *lang_packs,
                                        const char *const *files, int n_files,
                                        const char **error);

/* Index of the entity with this id, or -1. */
int geotag_gazetteer_find(const geotag_gazetteer *g, const char *id);

/* Whether two language tags ("it", "it-CH", "en_GB") share their primary
 * subtag, the part before the first '-' or '_', in any ASCII case: the one
 * rule by which names, labels and the page language are matched. */
int geotag_same_primary_subtag(const char *a, const char *b);

/* The primary subtag of 'tag' by the same rule, ASCII lower case, in
 * out[0 .. cap) (cut to cap - 1 bytes, NUL-terminated); returns its whole
 * length, so a result >= cap says it was cut. */
apr_size_t geotag_primary_subtag(const char *tag, char *out, apr_size_t cap);

/* The label to show for 'lang' (falls back to "en", then the first). */
const geotag_label *geotag_entity_label(const geotag_entity *e,
                                        const char *lang);

/*
 * Expand the inflection notation of a demonym: "nordcoreano/a/i/e" ->
 * nordcoreano, nordcoreana, nordcoreani, nordcoreane.  Each suffix replaces
 * the final vowel of the first form when it ends in a vowel, else it is
 * appended ("Russian/s" -> Russian, Russians; "tedesco/a/hi/he" -> tedesco,
 * tedesca, tedeschi, tedesche).  Returns an array of const char *, the
 * first form first; a form without '/' gives itself.  Returns NULL when the
 * notation is malformed: empty, a leading or trailing '/', "//", or white
 * space next to a '/'.
 */
apr_array_header_t *geotag_expand_forms(apr_pool_t *pool, const char *notation);

#endif
