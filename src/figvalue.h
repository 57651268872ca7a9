/*
 * figvalue.h: what a figure says, read from the normalized key: the value
 * of a number as a plain digit string, ISO 8601 dates, and the currency a
 * symbol or code stands for; and the byte classes of the key that the
 * figure search (figures.c) shares with these readers.
 *
 * Values are built as digit strings (the decimal point is shifted by the
 * multiplier's exponent), never through a double, so "2,8 milioni" is
 * exactly "2800000".
 */
#ifndef GEOTAG_FIGVALUE_H
#define GEOTAG_FIGVALUE_H

#include <apr.h>

static inline int geotag_is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* [0-9a-zA-Z_], the class of the pattern's first look-behind */
static inline int geotag_is_word_ascii(unsigned char c)
{
    return geotag_is_digit(c) || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z') || c == '_';
}

/* Letters of the key: ASCII, and every byte >= 0x80 (normalize.h: those
 * all belong to letters or other non-punctuation characters). */
static inline int geotag_is_letter(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static inline int geotag_is_word(unsigned char c)
{
    return geotag_is_letter(c) || geotag_is_digit(c) || c == '_';
}

/*
 * The word of letters that ends at 'end' (exclusive), after skipping the
 * spaces before 'end' when 'spaces' is set (at least one must be there).
 * A word glued to a digit ("f16x") is no word.  Returns 0 when there is
 * none.
 */
int geotag_word_before(const char *key, apr_size_t end, int spaces,
                       apr_size_t *ws, apr_size_t *we);

/*
 * The value of the number s[0..n) times 10^shift, as a plain decimal
 * string in out (GEOTAG_FIGURE_VALUE_MAX).  'point' is the page
 * language's decimal mark (',' or '.'), or 0 to guess per number.
 * Returns -1 for what is not a readable number or does not fit.
 */
int geotag_number_value(const char *s, apr_size_t n, char point, int shift,
                        char *out);

/* "YYYY", "YYYY-MM" or "YYYY-MM-DD" (month, day 0: left out) into out[16]. */
void geotag_iso_date(char *out, int year, int month, int day);

int geotag_atoi(const char *s, apr_size_t n);

/* A day the calendar has, in a year of four digits. */
int geotag_day_valid(int y, int m, int d);

/* 1000-2099: what a bare four-digit number must be to be a year. */
int geotag_year_plausible(int y);

/* The currency symbol or code just before p ("$", "us$", "€ ", "usd "),
 * as ISO 4217, with *start where it begins; or NULL. */
const char *geotag_currency_before(const char *key, apr_size_t p,
                                   apr_size_t *start);

/* The currency of the symbol at s ("$", "€", "£", "¥"). */
const char *geotag_currency_symbol(const char *s);

#endif
