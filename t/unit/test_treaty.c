/*
 * test_treaty.c: the treaty resolver alone, over conf/gazetteer.xml.
 *
 * Its word sets come from the dictionary's lexicons; a treaty word is
 * resolved by what its sentence names (two points or more: parties, a
 * date that fits), else after a determiner by memory: the treaty last
 * named with a word of the same family, else the one last described.
 */
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "annotator.h"
#include "normalize.h"
#include "tap.h"
#include "treaty.h"

#define SCHEMA "conf/gazetteer.rng"
#define DICTIONARY "conf/gazetteer.xml"

static apr_pool_t *pool;
static const geotag_engine *engine;

static int entity(const char *id)
{
    return geotag_gazetteer_find(engine->gazetteer, id);
}

/* The normalized key of a text (the window the resolver reads). */
static const char *key_of(const char *text, apr_size_t *len)
{
    const char *key = geotag_normalize_string(
        pool, text, engine->gazetteer->fold_accents, NULL);
    *len = strlen(key);
    return key;
}

/* Offsets of the first occurrence of word in key. */
static void find(const char *key, const char *word, apr_size_t *start,
                 apr_size_t *end)
{
    const char *p = strstr(key, word);
    *start = p ? (apr_size_t)(p - key) : 0;
    *end = *start + strlen(word);
}

static void test_words(void)
{
    const geotag_treaty_words *w = engine->treaty_words;

    ok(geotag_treaty_is_word(w, "patto", 5), "patto is a treaty word");
    ok(geotag_treaty_is_word(w, "patti", 5), "...and its plural");
    ok(geotag_treaty_is_word(w, "treaty", 6), "treaty (en)");
    ok(!geotag_treaty_is_word(w, "pat", 3), "not a prefix of one");
    ok(!geotag_treaty_is_word(w, "russia", 6), "not any word");
    ok(geotag_treaty_is_determiner(w, "il", 2), "il is a determiner");
    ok(geotag_treaty_is_determiner(w, "the", 3), "the (en)");
    ok(geotag_treaty_is_determiner(w, "nell", 4), "nell' (its word)");
    ok(!geotag_treaty_is_determiner(w, "treaty", 6), "treaty is none");
    ok(!geotag_treaty_is_determiner(w, "", 0), "the empty word is none");
}

static void test_sentence(void)
{
    geotag_treaty_resolver *r = geotag_treaty_resolver_create(
        pool, engine->treaty_words, engine->gazetteer, 8);
    apr_size_t len, a, b, s0, s1;
    const char *key = key_of("Uno. Due 2.8 il patto; tre! Quattro", &len);

    geotag_treaty_window(r, key, len);
    find(key, "patto", &a, &b);
    geotag_treaty_sentence(r, a, b, &s0, &s1);
    ok(s0 == (apr_size_t)(strstr(key, ". due") - key) + 1 &&
           s1 == (apr_size_t)(strchr(key, ';') - key),
       "the sentence: after the previous end, to the next ('2.8' is none)");
    find(key, "quattro", &a, &b);
    geotag_treaty_sentence(r, a, b, &s0, &s1);
    is_int((long long)s1, (long long)len, "the last sentence ends the window");
}

static void test_resolve(void)
{
    geotag_treaty_resolver *r = geotag_treaty_resolver_create(
        pool, engine->treaty_words, engine->gazetteer, 2);
    int russia = entity("Q159"), dprk = entity("Q423");
    int partnership = entity("Q126896555"), nato = entity("Q877399");
    int both[2], one[1];
    const char *june[] = {"2024-06"}, *year[] = {"2024"};
    apr_size_t len, a, b;
    const char *key;

    if (!ok(russia >= 0 && dprk >= 0 && partnership >= 0 && nato >= 0,
            "the dictionary has the entities the test names"))
        return;
    both[0] = russia;
    both[1] = dprk;
    one[0] = russia;

    key = key_of("un patto firmato", &len);
    geotag_treaty_window(r, key, len);
    find(key, "patto", &a, &b);
    is_int(geotag_treaty_resolve(r, a, b, one, 1, NULL, 0), -1,
           "one party is not enough, and no determiner: nothing");
    is_int(geotag_treaty_resolve(r, a, b, one, 1, year, 1), -1,
           "a bare year does not fit a date");
    is_int(geotag_treaty_resolve(r, a, b, one, 1, june, 1), partnership,
           "a party and a date that fits: the treaty");
    is_int(geotag_treaty_resolve(r, a, b, both, 2, NULL, 0), partnership,
           "two parties: the treaty");

    key = key_of("poi il patto e l'accordo e un patto", &len);
    geotag_treaty_window(r, key, len);
    find(key, "patto", &a, &b);
    is_int(geotag_treaty_resolve(r, a, b, NULL, 0, NULL, 0), partnership,
           "after a determiner: the treaty of the same family");
    find(key, "accordo", &a, &b);
    is_int(geotag_treaty_resolve(r, a, b, NULL, 0, NULL, 0), partnership,
           "another family: the treaty last described");
    find(key, "un patto", &a, &b);
    a += 3;
    is_int(geotag_treaty_resolve(r, a, b, NULL, 0, NULL, 0), -1,
           "no determiner before it: nothing");

    /* naming a treaty in full ties its treaty words to it */
    key = key_of("il Patto Atlantico, il patto, il trattato", &len);
    geotag_treaty_window(r, key, len);
    find(key, "patto atlantico", &a, &b);
    geotag_treaty_named(r, a, b, nato);
    find(key, ", il patto", &a, &b);
    a += 5;
    is_int(geotag_treaty_resolve(r, a, b, NULL, 0, NULL, 0), nato,
           "the patto named last was the Atlantic one");
    find(key, "trattato", &a, &b);
    is_int(geotag_treaty_resolve(r, a, b, NULL, 0, NULL, 0), partnership,
           "the trattato family was never named: the one last described");
}

int main(void)
{
    const char *files[] = {DICTIONARY};
    const char *error = NULL;

    apr_initialize();
    apr_pool_create(&pool, NULL);
    engine = geotag_engine_load(pool, SCHEMA, "conf/lang", files, 1, &error);
    if (!engine) {
        ok(0, "the dictionary loads: %s", error ? error : "?");
        return tap_done();
    }
    test_words();
    test_sentence();
    test_resolve();
    return tap_done();
}
