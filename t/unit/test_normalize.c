/*
 * test_normalize.c: the normalizer's contract (normalize.h) and the entity
 * table, checked by prove.
 */
#include <stdlib.h>

#include <apr_general.h>
#include <apr_pools.h>

#include "entities.h"
#include "normalize.h"
#include "tap.h"

#define TEST_COUNT 73 /* the ok() calls below */
#define MAX_SOURCE 4096

static char key_buf[4 * MAX_SOURCE + 16], cased_buf[4 * MAX_SOURCE + 16];
static apr_uint32_t from_buf[4 * MAX_SOURCE + 17];
static char key_str[4 * MAX_SOURCE + 16], cased_str[4 * MAX_SOURCE + 16];

/* Every result of run() goes through these, so that each case is also a
 * check of the invariants (valid UTF-8, aligned characters, sane offsets). */
static int invariant_failures;

/* Length of the valid UTF-8 sequence at s, 0 if invalid. */
static apr_size_t utf8_sequence(const unsigned char *s, apr_size_t len)
{
    apr_size_t need, i;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        need = 2;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        need = 3;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        need = 4;
    else
        return 0;
    if (len < need)
        return 0;
    for (i = 1; i < need; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] > 0x9F) ||
        (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] > 0x8F))
        return 0;
    return need;
}

static int valid_utf8(const char *s, apr_size_t len)
{
    apr_size_t i = 0, n;

    while (i < len) {
        n = utf8_sequence((const unsigned char *)s + i, len - i);
        if (n == 0)
            return 0;
        i += n;
    }
    return 1;
}

/* key and cased valid, with their characters starting at the same bytes,
 * from[] non-decreasing inside the source, and from[len] == source length. */
static int check_invariants(const geotag_normalized *out, apr_size_t src_len)
{
    apr_size_t i = 0, nk, nc;

    if (out->len > geotag_normalize_capacity(src_len))
        return 0;
    if (out->from[out->len] != src_len)
        return 0;
    while (i < out->len) {
        nk = utf8_sequence((const unsigned char *)out->key + i, out->len - i);
        nc = utf8_sequence((const unsigned char *)out->cased + i,
                           out->len - i);
        if (nk == 0 || nk != nc)
            return 0;
        i += nk;
    }
    for (i = 0; i < out->len; i++) {
        if (out->from[i] >= src_len || out->from[i] > out->from[i + 1])
            return 0;
    }
    return 1;
}

static geotag_normalized run_len(const char *src, apr_size_t len,
                                 geotag_charset cs, int fold)
{
    geotag_normalized out;

    out.key = key_buf;
    out.cased = cased_buf;
    out.from = from_buf;
    geotag_normalize(src, len, cs, fold, &out);
    if (!check_invariants(&out, len)) {
        invariant_failures++;
        tap_diag("invariant broken for '%s'", src);
    }
    memcpy(key_str, out.key, out.len);
    key_str[out.len] = '\0';
    memcpy(cased_str, out.cased, out.len);
    cased_str[out.len] = '\0';
    return out;
}

static geotag_normalized run(const char *src, geotag_charset cs, int fold)
{
    return run_len(src, strlen(src), cs, fold);
}

/* key of a UTF-8 source with accents folded */
static const char *key_of(const char *src)
{
    run(src, GEOTAG_CHARSET_UTF8, 1);
    return key_str;
}

static const char *key_nofold(const char *src)
{
    run(src, GEOTAG_CHARSET_UTF8, 0);
    return key_str;
}

/* Each of the NULL-terminated chars, put into pattern at its %s, gives want. */
static void all_become(const char *const *chars, const char *pattern,
                       const char *want, const char *name)
{
    char src[64];
    int i, good = 1;

    for (i = 0; chars[i]; i++) {
        snprintf(src, sizeof(src), pattern, chars[i]);
        if (strcmp(key_of(src), want) != 0) {
            tap_diag("'%s' gave '%s'", src, key_str);
            good = 0;
        }
    }
    ok(good, "%s", name);
}

static void test_punctuation(void)
{
    static const char *const apostrophes[] = {
        "\xe2\x80\x99", "\xe2\x80\x98", "\xca\xbc", "\xe2\x80\xb2", "`",
        "\xc2\xb4", "&rsquo;", "&#8217;", "&#x2019;", NULL
    };
    static const char *const dashes[] = {
        "\xe2\x80\x90", "\xe2\x80\x91", "\xe2\x80\x92", "\xe2\x80\x93",
        "\xe2\x80\x94", "\xe2\x80\x95", "\xe2\x88\x92", "&ndash;", NULL
    };
    static const char *const spaces[] = {
        "\xc2\xa0", "\xe2\x80\x80", "\xe2\x80\x82", "\xe2\x80\x83",
        "\xe2\x80\x89", "\xe2\x80\x8a", "\xe2\x80\xaf", "\xe2\x81\x9f",
        "\xe3\x80\x80", "\t", "\r", "\n", "\f", "&nbsp;", "&nbsp", NULL
    };
    static const char *const quotes[] = {
        "\xe2\x80\x9c", "\xe2\x80\x9d", "\xe2\x80\x9e", "\xc2\xab",
        "\xc2\xbb", "&laquo;", "&ldquo;", NULL
    };
    static const char *const invisible[] = {
        "\xc2\xad", "\xe2\x80\x8b", "\xe2\x80\x8c", "\xe2\x80\x8d",
        "\xe2\x81\xa0", "\xef\xbb\xbf", "&shy;", "&#8203;", NULL
    };
    all_become(apostrophes, "L%sItalia", "l'italia", "every apostrophe becomes '");
    all_become(dashes, "Kim%sun", "kim-un", "every dash becomes -");
    all_become(spaces, "Kim%sJong", "kim jong", "every space becomes ' '");
    all_become(quotes, "%sPatto", "\"patto", "every quote becomes \"");
    all_become(invisible, "Pu%stin", "putin",
               "soft hyphen and zero-width characters vanish");
    is_str(key_of("Ma\xe2\x80\xa6 poi"), "ma... poi", "ellipsis becomes ...");
    is_str(key_of("ma&hellip;"), "ma...", "&hellip; becomes ...");
}

static void test_entities(void)
{
    geotag_normalized out;
    char buf[8];
    apr_size_t n, blen;

    is_int((long long)geotag_entity_count(), 2231, "all 2231 HTML5 names");
    {
        apr_size_t i, found = 0;
        const char *name, *utf8;
        for (i = 0; (name = geotag_entity_name(i)) != NULL; i++)
            found += geotag_entity_lookup(name, strlen(name), &utf8, &blen) == 1;
        is_int((long long)found, 2231, "every name of the table is found by lookup");
    }
    out = run("L&rsquo;Unione &egrave; a Bruxelles", GEOTAG_CHARSET_UTF8, 1);
    is_str(key_str, "l'unione e a bruxelles", "header example: key");
    is_str(cased_str, "L'Unione e a Bruxelles", "header example: cased");
    is_str(key_of("Tom &amp; Jerry"), "tom & jerry", "&amp;");
    is_str(key_of("&AMP;&amp&lt&gt;"), "&&<>", "legacy and upper-case names");
    is_str(key_nofold("&notit;"), "\xc2\xacit;", "&notit; is the legacy &not + it;");
    is_str(key_nofold("&notin;"), "\xe2\x88\x89", "&notin; is the longer name");
    is_str(key_nofold("&notin"), "\xc2\xacin", "&notin without ; is &not + in");
    is_str(key_of("Citt&agrave Citt&Agrave;"), "citta citta",
           "legacy &agrave and &Agrave;");
    is_str(key_of("&#8217;&#x2019;&#X2019"), "'''",
           "decimal, hex, ';' optional");
    is_str(key_of("1&#150;2"), "1-2", "&#150; is windows-1252 en dash");
    is_str(key_of("&#128;"), "\xe2\x82\xac", "&#128; is the euro sign");
    is_str(key_of("&#129;"), "\xc2\x81", "&#129; (a windows-1252 hole) stays U+0081");
    is_str(key_of("&#0;&#xD800;&#x110000;&#99999999999999999999;"),
           "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
           "invalid code points become U+FFFD");
    is_str(key_of("&#x1F600;"), "\xf0\x9f\x98\x80", "astral reference");
    is_str(key_of("a &foo; b & c &; &#; &#x; &#xg"), "a &foo; b & c &; &#; &#x; &#xg",
           "what is no reference stays literal");
    is_str(key_of("&CounterClockwiseContourIntegral;"), "\xe2\x88\xb3",
           "the longest name");
    is_str(key_nofold("&nvlt;"), "<\xe2\x83\x92", "a two code point name");

    n = geotag_decode_charref("&eacute;x", 9, buf, &blen);
    ok(n == 8 && blen == 2 && memcmp(buf, "\xc3\xa9", 2) == 0,
       "decode_charref: span and bytes of &eacute;");
    n = geotag_decode_charref("&#65x", 5, buf, &blen);
    ok(n == 4 && blen == 1 && buf[0] == 'A', "decode_charref: &#65 without ';'");
    ok(geotag_decode_charref("&zzz;", 5, buf, &blen) == 0 &&
       geotag_decode_charref("&", 1, buf, &blen) == 0,
       "decode_charref: 0 for no reference");

    out = run("L&rsquo;U", GEOTAG_CHARSET_UTF8, 1);
    ok(out.len == 3 && out.from[0] == 0 && out.from[1] == 1 &&
       out.from[2] == 8 && out.from[3] == 9,
       "offset map of a reference points at its '&'");
}

/* The main loop copies ASCII eight bytes at a time: put the character that
 * stops it at every position of the word. */
static void test_ascii_blocks(void)
{
    char src[64], want[64];
    int k, v, good = 1;

    for (v = 0; v < 2; v++) {
        for (k = 0; k < 17; k++) {
            geotag_normalized out;
            const char *special = v ? "\xc3\x88" : "&Egrave;";
            apr_size_t at = (apr_size_t)k + strlen(special), i;

            memset(src, 'A', (size_t)k);
            strcpy(src + k, special);
            strcat(src, "BBBBBBBBBBBBBBBBBBBB");
            memset(want, 'a', (size_t)k);
            strcpy(want + k, "ebbbbbbbbbbbbbbbbbbbb");
            out = run(src, GEOTAG_CHARSET_UTF8, 1);
            good &= strcmp(key_str, want) == 0 && out.from[k] == (apr_uint32_t)k;
            for (i = 0; i < (apr_size_t)k; i++)
                good &= out.from[i] == i;
            for (i = 0; i < 20; i++)
                good &= out.from[k + 1 + i] == at + i;
        }
    }
    ok(good, "ASCII runs around a reference or a UTF-8 letter at every offset");
}

/* The eight-byte path (SWAR) gives every ASCII byte what the one-byte path
 * gives it, in key and in cased, at every position of a block. */
static void test_ascii_swar(void)
{
    int c, pos, good = 1;

    for (c = 1; c < 0x80; c++) {
        char one_key, one_cased, src[17];
        geotag_normalized out;
        if (c == '&')
            continue;
        src[0] = (char)c;
        out = run_len(src, 1, GEOTAG_CHARSET_UTF8, 0);
        if (out.len != 1) {
            good = 0;
            continue;
        }
        one_key = out.key[0];
        one_cased = out.cased[0];
        for (pos = 0; pos < 16; pos++) {
            apr_size_t i;
            memset(src, 'x', 16);
            src[pos] = (char)c;
            out = run_len(src, 16, GEOTAG_CHARSET_UTF8, 0);
            good &= out.len == 16;
            for (i = 0; i < 16 && i < out.len; i++) {
                good &= out.key[i] == ((int)i == pos ? one_key : 'x');
                good &= out.cased[i] == ((int)i == pos ? one_cased : 'x');
                good &= out.from[i] == i;
            }
        }
    }
    ok(good, "eight bytes at a time: every ASCII byte as one at a time, at every position");
}

static void test_windows_1252(void)
{
    geotag_normalized out;

    out = run("L\x92Unione \xe8 Citt\xe0", GEOTAG_CHARSET_WINDOWS_1252, 1);
    is_str(key_str, "l'unione e citta", "windows-1252: 0x92 and Latin-1 letters");
    ok(out.from[1] == 1 && out.from[2] == 2 && out.from[out.len] == 16,
       "windows-1252: one source byte per character");
    run("\x80 \x85 \x96 \x81", GEOTAG_CHARSET_WINDOWS_1252, 1);
    is_str(key_str, "\xe2\x82\xac ... - \xc2\x81", "windows-1252: 0x80-0x9F");
    run("\xc8", GEOTAG_CHARSET_WINDOWS_1252, 0);
    ok(strcmp(key_str, "\xc3\xa8") == 0 && strcmp(cased_str, "\xc3\x88") == 0,
       "windows-1252 without folding: \xc3\x88 -> \xc3\xa8 in key, kept in cased");
    run("&egrave;\xe8", GEOTAG_CHARSET_WINDOWS_1252, 0);
    is_str(key_str, "\xc3\xa8\xc3\xa8", "references decode to the same UTF-8");

    ok(geotag_charset_lookup("UTF-8", 5) == GEOTAG_CHARSET_UTF8 &&
       geotag_charset_lookup(" \"utf8\" ", 8) == GEOTAG_CHARSET_UTF8,
       "charset: utf-8 labels, trimmed");
    ok(geotag_charset_lookup("ISO-8859-1", 10) == GEOTAG_CHARSET_WINDOWS_1252 &&
       geotag_charset_lookup("windows-1252", 12) == GEOTAG_CHARSET_WINDOWS_1252 &&
       geotag_charset_lookup("'Latin1'", 8) == GEOTAG_CHARSET_WINDOWS_1252 &&
       geotag_charset_lookup("US-ASCII", 8) == GEOTAG_CHARSET_WINDOWS_1252 &&
       geotag_charset_lookup("cp1252", 6) == GEOTAG_CHARSET_WINDOWS_1252,
       "charset: windows-1252, ISO-8859-1 and ASCII labels");
    ok(geotag_charset_lookup("iso-8859-2", 10) == GEOTAG_CHARSET_UNSUPPORTED &&
       geotag_charset_lookup("utf-16", 6) == GEOTAG_CHARSET_UNSUPPORTED &&
       geotag_charset_lookup("", 0) == GEOTAG_CHARSET_UNSUPPORTED &&
       geotag_charset_lookup("utf-8x", 6) == GEOTAG_CHARSET_UNSUPPORTED,
       "charset: anything else is unsupported");
}

static void test_invalid_utf8(void)
{
    geotag_normalized out;

    out = run("a\xffz", GEOTAG_CHARSET_UTF8, 1);
    ok(out.len == 5 && memcmp(key_str, "a\xef\xbf\xbdz", 5) == 0 &&
       out.from[1] == 1 && out.from[3] == 1 && out.from[4] == 2,
       "invalid byte: U+FFFD from one byte");
    is_str(key_of("\xe0\x80\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
           "overlong sequence: one U+FFFD per byte");
    is_str(key_of("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
           "encoded surrogate: one U+FFFD per byte");
    is_str(key_of("ab\xc3"), "ab\xef\xbf\xbd", "sequence cut by the end of the buffer");
    is_str(key_of("\xf4\x90\x80\x80"),
           "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", "above U+10FFFF");
}

static void test_folding(void)
{
    geotag_normalized out;

    is_str(key_of("\xc3\x88 PERCH\xc3\x89 Citt\xc3\xa0 cos\xc3\xac"),
           "e perche citta cosi", "Italian");
    out = run("Stra\xc3\x9f" "e \xc3\x84rger \xc3\x9c", GEOTAG_CHARSET_UTF8, 1);
    ok(strcmp(key_str, "strasse arger u") == 0 &&
       strcmp(cased_str, "Strasse Arger U") == 0, "German: \xc3\x9f -> ss, umlauts");
    is_str(key_of("\xc5\x81\xc3\xb3" "d\xc5\xba \xc5\x9awi\xc4\x99tokrzyskie Gda\xc5\x84sk"),
           "lodz swietokrzyskie gdansk", "Polish");
    is_str(key_of("\xc4\xb0stanbul Diyarbak\xc4\xb1r"), "istanbul diyarbakir",
           "Turkish dotted and dotless i, folded");
    is_str(key_nofold("\xc4\xb0stanbul Diyarbak\xc4\xb1r"),
           "\xc4\xb0stanbul diyarbak\xc4\xb1r",
           "Turkish without folding: \xc4\xb0 kept (its lower case is longer)");
    is_str(key_of("\xce\x91\xce\x98\xce\x97\xce\x9d\xce\x91 \xce\x91\xce\xb8\xce\xae\xce\xbd\xce\xb1 "
                  "\xce\x9f\xce\xb4\xcf\x85\xcf\x83\xcf\x83\xce\xad\xce\xb1\xcf\x82"),
           "\xce\xb1\xce\xb8\xce\xb7\xce\xbd\xce\xb1 \xce\xb1\xce\xb8\xce\xb7\xce\xbd\xce\xb1 "
           "\xce\xbf\xce\xb4\xcf\x85\xcf\x83\xcf\x83\xce\xb5\xce\xb1\xcf\x83",
           "Greek: case, tonos, final sigma");
    is_str(key_nofold("\xce\x86\xce\xb8\xce\xb7\xce\xbd\xce\xb1"),
           "\xce\xac\xce\xb8\xce\xb7\xce\xbd\xce\xb1", "Greek without folding keeps tonos");
    is_str(key_of("\xd0\x9c\xd0\x9e\xd0\xa1\xd0\x9a\xd0\x92\xd0\x90 \xd0\x81\xd0\xbb\xd0\xba\xd0\xb0 "
                  "\xd0\x82\xd0\xbe\xd0\xba\xd0\xbe\xd0\xb2\xd0\xb8\xd1\x9b"),
           "\xd0\xbc\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0 \xd0\xb5\xd0\xbb\xd0\xba\xd0\xb0 "
           "\xd1\x92\xd0\xbe\xd0\xba\xd0\xbe\xd0\xb2\xd0\xb8\xd1\x9b",
           "Cyrillic: case, \xd0\x81 -> \xd0\xb5, \xd0\x82 -> \xd1\x92");
    is_str(key_nofold("\xd0\x81\xd0\xbb\xd0\xba\xd0\xb0"), "\xd1\x91\xd0\xbb\xd0\xba\xd0\xb0",
           "Cyrillic without folding keeps \xd1\x91");
    out = run("\xc3\x86on \xc5\x92uvre \xc3\x98resund \xc4\x90ukanovi\xc4\x87 Pa\xc5\x80la",
              GEOTAG_CHARSET_UTF8, 1);
    ok(strcmp(key_str, "aeon oeuvre oresund dukanovic palla") == 0 &&
       strcmp(cased_str, "AEon OEuvre Oresund Dukanovic Palla") == 0,
       "ligatures and letters without decomposition");
    is_str(key_of("Ia\xc8\x99i \xc8\x9airiac"), "iasi tiriac", "Romanian comma-below letters");
    is_str(key_of("GRO\xe1\xba\x9e"), "gross", "capital sharp s");

    out = run("Citt\xc3\xa0 \xc3\x88 \xc3\x9f", GEOTAG_CHARSET_UTF8, 0);
    ok(strcmp(key_str, "citt\xc3\xa0 \xc3\xa8 \xc3\x9f") == 0 &&
       strcmp(cased_str, "Citt\xc3\xa0 \xc3\x88 \xc3\x9f") == 0,
       "fold_accents=0: accents kept, case folded in key only");
    ok(out.from[4] == 4 && out.from[5] == 4 && out.from[6] == 6 &&
       out.from[out.len] == 12, "fold_accents=0: offset map over 2-byte letters");
    out = run("\xc3\x80\xc3\x86x", GEOTAG_CHARSET_UTF8, 1);
    ok(out.len == 4 && out.from[0] == 0 && out.from[1] == 2 && out.from[2] == 2 &&
       out.from[3] == 4 && out.from[4] == 5,
       "folded offset map: \xc3\x80 -> A from 0, \xc3\x86 -> AE both from 2");
    out = run("a\xe2\x80\xa6" "b", GEOTAG_CHARSET_UTF8, 1);
    ok(out.len == 5 && out.from[1] == 1 && out.from[2] == 1 && out.from[3] == 1 &&
       out.from[4] == 4 && out.from[5] == 5, "ellipsis offset map");
    out = run("ab\xc2\xad", GEOTAG_CHARSET_UTF8, 1);
    ok(out.len == 2 && out.from[2] == 4, "a trailing vanished character: from[len] is the source length");
    ok(strcmp(key_of("\xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80"),
              "\xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80") == 0,
       "other scripts pass through unchanged");
}

static void test_safe_end(void)
{
    struct {
        const char *src;
        geotag_charset cs;
        apr_size_t want;
    } cases[] = {
        { "abc&amp", GEOTAG_CHARSET_UTF8, 3 },
        { "abc&amp;", GEOTAG_CHARSET_UTF8, 8 },
        { "abc&", GEOTAG_CHARSET_UTF8, 3 },
        { "abc&#", GEOTAG_CHARSET_UTF8, 3 },
        { "abc&#x1F", GEOTAG_CHARSET_UTF8, 3 },
        { "abc&#x10FFFF", GEOTAG_CHARSET_UTF8, 3 },
        { "abc& x", GEOTAG_CHARSET_UTF8, 6 },
        { "abc&amp x", GEOTAG_CHARSET_UTF8, 9 },
        { "x&CounterClockwiseContourIntegral", GEOTAG_CHARSET_UTF8, 1 },
        { "x&CounterClockwiseContourIntegralXX", GEOTAG_CHARSET_UTF8, 35 },
        { "abc\xc3", GEOTAG_CHARSET_UTF8, 3 },
        { "abc\xe2\x80", GEOTAG_CHARSET_UTF8, 3 },
        { "abc\xe2\x80\x99", GEOTAG_CHARSET_UTF8, 6 },
        { "abc\xf0\x9f\x98", GEOTAG_CHARSET_UTF8, 3 },
        { "abc\xe0\x80", GEOTAG_CHARSET_UTF8, 5 },
        { "abc\xff", GEOTAG_CHARSET_UTF8, 4 },
        { "abc\xc3", GEOTAG_CHARSET_WINDOWS_1252, 4 },
        { "abc&eacute", GEOTAG_CHARSET_WINDOWS_1252, 3 },
        { "", GEOTAG_CHARSET_UTF8, 0 },
    };
    size_t i;
    int good = 1;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        apr_size_t got = geotag_normalize_safe_end(cases[i].src,
                                                   strlen(cases[i].src),
                                                   cases[i].cs);
        if (got != cases[i].want) {
            tap_diag("safe_end('%s') = %lu, want %lu", cases[i].src,
                     (unsigned long)got, (unsigned long)cases[i].want);
            good = 0;
        }
    }
    ok(good, "safe_end: references and UTF-8 sequences are never cut (%d cases)",
       (int)(sizeof(cases) / sizeof(cases[0])));
}

static void test_string(apr_pool_t *pool)
{
    const char *cased = NULL, *key;
    char *long_alias;
    int i;

    key = geotag_normalize_string(pool, "Kim Jong\xe2\x80\x91un", 1, &cased);
    ok(strcmp(key, "kim jong-un") == 0 && strcmp(cased, "Kim Jong-un") == 0,
       "normalize_string: key and cased");
    is_str(geotag_normalize_string(pool, "L&rsquo;Aia", 1, NULL), "l'aia",
           "normalize_string: references decoded, cased optional");
    is_str(geotag_normalize_string(pool, "Citt\xc3\xa0", 0, NULL), "citt\xc3\xa0",
           "normalize_string: fold_accents=0");
    long_alias = apr_palloc(pool, 1001);
    for (i = 0; i < 1000; i++)
        long_alias[i] = (char)('A' + i % 26);
    long_alias[1000] = '\0';
    key = geotag_normalize_string(pool, long_alias, 1, &cased);
    ok(strlen(key) == 1000 && key[0] == 'a' && key[999] == 'l' && cased[999] == 'L',
       "normalize_string: a string longer than the stack buffers");
}

/* Random bytes rich in the characters that matter: references, UTF-8 lead
 * and continuation bytes, invisible and expanding characters. */
static apr_size_t random_source(char *buf, apr_size_t max)
{
    static const char *const pieces[] = {
        "&", "#", ";", "x", "amp", "not", "in", "eacute", "1", "9", "F",
        "\xc3", "\xa0", "\x80", "\xe2\x80\xa6", "\xe2\x80", "\xc2\xad", " ",
        "a", "Z", "\xf0\x9f", "\xce\x86", "\xd0\x81",
    };
    apr_size_t len = (apr_size_t)(rand() % (int)max), i = 0;

    while (i < len) {
        int r = rand() % 4;

        if (r == 0) {
            buf[i++] = (char)(rand() % 256);
        }
        else {
            const char *p = pieces[rand() % (int)(sizeof(pieces) / sizeof(pieces[0]))];
            apr_size_t n = strlen(p);

            if (i + n > len)
                n = len - i;
            memcpy(buf + i, p, n);
            i += n;
        }
    }
    return len;
}

static void test_fuzz(void)
{
    static char src[MAX_SOURCE], whole_key[4 * MAX_SOURCE + 16];
    static apr_uint32_t whole_from[4 * MAX_SOURCE + 17];
    int iter, broken_before = invariant_failures, split_mismatch = 0;

    srand(20240619);
    for (iter = 0; iter < 2000; iter++) {
        apr_size_t len = random_source(src, 300), cut, safe, whole_len, i;
        geotag_charset cs = iter % 3 == 2 ? GEOTAG_CHARSET_WINDOWS_1252
                                          : GEOTAG_CHARSET_UTF8;
        int fold = iter % 2;
        geotag_normalized out;

        out = run_len(src, len, cs, fold);
        if (!valid_utf8(out.key, out.len) || !valid_utf8(out.cased, out.len))
            invariant_failures++;

        /* Streaming: normalizing up to safe_end and then the rest gives
         * what normalizing the whole gives. */
        whole_len = out.len;
        memcpy(whole_key, out.key, whole_len);
        memcpy(whole_from, out.from, (whole_len + 1) * sizeof(*whole_from));
        cut = len ? (apr_size_t)rand() % (len + 1) : 0;
        safe = geotag_normalize_safe_end(src, cut, cs);
        if (safe > cut) {
            split_mismatch++;
            continue;
        }
        out = run_len(src, safe, cs, fold);
        if (out.len > whole_len || memcmp(out.key, whole_key, out.len) != 0) {
            split_mismatch++;
            continue;
        }
        for (i = 0; i < out.len; i++)
            if (out.from[i] != whole_from[i])
                split_mismatch++;
        {
            apr_size_t first = out.len;

            out = run_len(src + safe, len - safe, cs, fold);
            if (first + out.len != whole_len ||
                memcmp(out.key, whole_key + first, out.len) != 0)
                split_mismatch++;
            for (i = 0; i < out.len; i++)
                if (out.from[i] + safe != whole_from[first + i])
                    split_mismatch++;
        }
    }
    is_int(invariant_failures - broken_before, 0,
           "fuzz: 2000 random inputs, no crash, len <= capacity, from[] "
           "monotonic, key and cased valid and aligned UTF-8");
    is_int(split_mismatch, 0,
           "fuzz: cutting at safe_end and resuming gives the same result");
}

static void test_capacity(void)
{
    /* the worst per-byte expansions, repeated */
    static const char *const worst[] = { "\xff", "\x85", "&#x1F600;", "&nGt;", "&lt", "\xe2\x80\xa6" };
    char src[256];
    size_t i;
    int good = 1;

    for (i = 0; i < sizeof(worst) / sizeof(worst[0]); i++) {
        apr_size_t n = strlen(worst[i]), len = 0;
        geotag_normalized out;

        while (len + n <= sizeof(src)) {
            memcpy(src + len, worst[i], n);
            len += n;
        }
        out = run_len(src, len, i == 1 ? GEOTAG_CHARSET_WINDOWS_1252
                                       : GEOTAG_CHARSET_UTF8, 1);
        if (out.len > 3 * len)
            good = 0;
    }
    ok(good, "worst-case inputs stay within 3 bytes per source byte");
    ok(geotag_normalize_capacity(0) >= 1 && geotag_normalize_capacity(100) >= 300,
       "capacity covers the proven bound");
}

int main(void)
{
    apr_pool_t *pool;

    apr_initialize();
    apr_pool_create(&pool, NULL);
    tap_plan(TEST_COUNT);

    test_punctuation();
    test_entities();
    test_ascii_blocks();
    test_ascii_swar();
    test_windows_1252();
    test_invalid_utf8();
    test_folding();
    test_safe_end();
    test_string(pool);
    test_capacity();
    test_fuzz();
    is_int(invariant_failures, 0, "invariants held in every case above");

    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
