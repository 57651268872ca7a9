/*
 * figvalue.c: what a figure says (see figvalue.h): number values as digit
 * strings, ISO dates, currencies.  Pure functions of the key's bytes.
 */
#include <string.h>

#include "figures.h"
#include "figvalue.h"

/* Beyond this many digits a run is a phone number, an id or noise. */
#define GEOTAG_FIGURE_DIGITS_MAX 15

/*
 * The word of letters that ends at 'end' (exclusive), after skipping the
 * spaces before 'end' when 'spaces' is set (at least one must be there).
 * A word glued to a digit ("f16x") is no word.  Returns 0 when there is
 * none.
 */
int geotag_word_before(const char *key, apr_size_t end, int spaces,
                              apr_size_t *ws, apr_size_t *we)
{
    apr_size_t e = end, s;

    if (spaces) {
        while (e > 0 && key[e - 1] == ' ')
            e--;
        if (e == end)
            return 0;
    }
    s = e;
    while (s > 0 && geotag_is_letter((unsigned char)key[s - 1]))
        s--;
    if (s == e || (s > 0 && (geotag_is_digit((unsigned char)key[s - 1]) ||
                             key[s - 1] == '_')))
        return 0;
    *ws = s;
    *we = e;
    return 1;
}

/* Reads digits[0..n) as separated by 'group' or a space (thousands) and
 * 'point' (decimal).  Strict: groups after the first have three digits,
 * the first one to three, one decimal point at most and nothing after
 * it. */
static int number_read(const char *s, apr_size_t n, char group,
                              char point, char *ipart, apr_size_t *il,
                              char *fpart, apr_size_t *fl)
{
    apr_size_t i = 0, first = 0, run;
    int grouped = 0, decimal = 0;

    *il = *fl = 0;
    while (i < n && geotag_is_digit((unsigned char)s[i]))
        ipart[(*il)++] = s[i++];
    first = i;
    while (i < n) {
        char sep = s[i++];
        run = 0;
        while (i < n && geotag_is_digit((unsigned char)s[i])) {
            if (decimal || sep == point)
                fpart[(*fl)++] = s[i];
            else
                ipart[(*il)++] = s[i];
            i++;
            run++;
        }
        if (run == 0 || decimal)
            return -1;
        if (sep == point)
            decimal = 1;
        else if ((sep == group || sep == ' ') && run == 3)
            grouped = 1;
        else
            return -1;
    }
    if (grouped && (first == 0 || first > 3))
        return -1;
    return 0;
}

/*
 * The value of the number s[0..n) times 10^shift, as a plain decimal
 * string in out (GEOTAG_FIGURE_VALUE_MAX).  Returns -1 for what is not a
 * readable number or does not fit.
 */
int geotag_number_value(const char *s, apr_size_t n, char point_mark,
                        int shift, char *out)
{
    char ipart[64], fpart[64], group, point;
    apr_size_t il, fl, i, digits = 0, o = 0, lead;
    const char *dot = memchr(s, '.', n), *comma = memchr(s, ',', n);
    char value[96];
    apr_size_t vl = 0, vpoint;

    for (i = 0; i < n; i++)
        digits += geotag_is_digit((unsigned char)s[i]);
    if (digits > GEOTAG_FIGURE_DIGITS_MAX)
        return -1;

    if (point_mark == ',' || point_mark == '.') {
        point = point_mark;
        group = point_mark == ',' ? '.' : ',';
    }
    else if (dot && comma) {
        /* "1.234,5" / "1,234.5": the last one is the decimal point */
        const char *last = s + n;
        while (last > s && last[-1] != '.' && last[-1] != ',')
            last--;
        point = last[-1];
        group = point == '.' ? ',' : '.';
    }
    else if (dot || comma) {
        /* one kind: three digits after it, or more than one, say thousands */
        char c = dot ? '.' : ',';
        const char *p = dot ? dot : comma;
        apr_size_t after = 0, count = 0;
        for (i = 0; i < n; i++)
            count += s[i] == c;
        while (p + 1 + after < s + n &&
               geotag_is_digit((unsigned char)p[1 + after]))
            after++;
        if (count > 1 || after == 3) {
            group = c;
            point = c == '.' ? ',' : '.';
        }
        else {
            point = c;
            group = c == '.' ? ',' : '.';
        }
    }
    else {
        group = '.';
        point = ',';
    }
    if (number_read(s, n, group, point, ipart, &il, fpart, &fl) != 0 &&
        number_read(s, n, point, group, ipart, &il, fpart, &fl) != 0)
        return -1;

    /* shift the decimal point right by 'shift' */
    for (i = 0; i < il; i++)
        value[vl++] = ipart[i];
    for (i = 0; i < (apr_size_t)shift; i++)
        value[vl++] = i < fl ? fpart[i] : '0';
    vpoint = vl;
    for (i = (apr_size_t)shift; i < fl; i++)
        value[vl++] = fpart[i];
    while (vl > vpoint && value[vl - 1] == '0')
        vl--;
    lead = 0;
    while (lead + 1 < vpoint && value[lead] == '0')
        lead++;
    if (vpoint - lead + (vl > vpoint ? vl - vpoint + 1 : 0) >=
        GEOTAG_FIGURE_VALUE_MAX)
        return -1;
    for (i = lead; i < vpoint; i++)
        out[o++] = value[i];
    if (vl > vpoint) {
        out[o++] = '.';
        for (i = vpoint; i < vl; i++)
            out[o++] = value[i];
    }
    out[o] = '\0';
    return 0;
}

/* "YYYY", "YYYY-MM" or "YYYY-MM-DD" (month, day 0: left out) into out[16];
 * the year has four digits (geotag_year_plausible, geotag_day_valid) */
void geotag_iso_date(char *out, int year, int month, int day)
{
    char *o = out;
    o[0] = (char)('0' + year / 1000 % 10);
    o[1] = (char)('0' + year / 100 % 10);
    o[2] = (char)('0' + year / 10 % 10);
    o[3] = (char)('0' + year % 10);
    o += 4;
    if (month) {
        o[0] = '-';
        o[1] = (char)('0' + month / 10);
        o[2] = (char)('0' + month % 10);
        o += 3;
        if (day) {
            o[0] = '-';
            o[1] = (char)('0' + day / 10);
            o[2] = (char)('0' + day % 10);
            o += 3;
        }
    }
    *o = '\0';
}

int geotag_atoi(const char *s, apr_size_t n)
{
    int v = 0;
    apr_size_t i;
    for (i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

int geotag_day_valid(int y, int m, int d)
{
    static const int days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30,
                                 31};
    if (y < 1000 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return 0;
    if (m == 2 && d == 29)
        return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return 1;
}

int geotag_year_plausible(int y)
{
    return y >= 1000 && y <= 2099;
}

/* The currency symbol or code just before p ("$", "us$", "€ ", "usd "). */
const char *geotag_currency_before(const char *key, apr_size_t p,
                                          apr_size_t *start)
{
    static const struct {
        const char *prefix, *code;
    } dollars[] = {{"us", "USD"}, {"a", "AUD"}, {"au", "AUD"}, {"c", "CAD"},
                   {"ca", "CAD"}, {"hk", "HKD"}, {"nz", "NZD"},
                   {"s", "SGD"}, {NULL, NULL}};
    static const char *const codes[] = {"usd", "eur", "gbp", "jpy", "chf",
                                        NULL};
    apr_size_t q = p, ws, we;
    int i;

    if (q > 0 && key[q - 1] == ' ')
        q--;
    if (q >= 3 && memcmp(key + q - 3, "\xe2\x82\xac", 3) == 0) {
        *start = q - 3;
        return "EUR";
    }
    if (q >= 2 && memcmp(key + q - 2, "\xc2\xa3", 2) == 0) {
        *start = q - 2;
        return "GBP";
    }
    if (q >= 2 && memcmp(key + q - 2, "\xc2\xa5", 2) == 0) {
        *start = q - 2;
        return "JPY";
    }
    if (q >= 1 && key[q - 1] == '$') {
        *start = q - 1;
        if (geotag_word_before(key, q - 1, 0, &ws, &we))
            for (i = 0; dollars[i].prefix; i++)
                if (strlen(dollars[i].prefix) == we - ws &&
                    memcmp(key + ws, dollars[i].prefix, we - ws) == 0) {
                    *start = ws;
                    return dollars[i].code;
                }
        return "USD";
    }
    if (q < p && geotag_word_before(key, q, 0, &ws, &we) && we - ws == 3)
        for (i = 0; codes[i]; i++)
            if (memcmp(key + ws, codes[i], 3) == 0) {
                *start = ws;
                return i == 0 ? "USD" : i == 1 ? "EUR" : i == 2 ? "GBP"
                                      : i == 3 ? "JPY" : "CHF";
            }
    return NULL;
}

const char *geotag_currency_symbol(const char *s)
{
    if (s[0] == '$')
        return "USD";
    if ((unsigned char)s[0] == 0xe2)
        return "EUR";
    return (unsigned char)s[1] == 0xa3 ? "GBP" : "JPY";
}
