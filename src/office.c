/*
 * office.c: who held an office on a day (see office.h).
 */
#include <string.h>

#include <apr_strings.h>

#include "office.h"

int geotag_office_find(const geotag_gazetteer *g, int of, int key)
{
    const geotag_entity *entities = (const geotag_entity *)g->entities->elts;
    const int *offices = (const int *)g->offices->elts;
    int i, k, found = -1;

    for (i = 0; i < g->offices->nelts; i++) {
        const geotag_entity *o = &entities[offices[i]];
        if (o->office_of != of)
            continue;
        for (k = 0; k < o->n_role_keys; k++) {
            if (o->role_keys[k] != key)
                continue;
            if (found >= 0)
                return -2;
            found = offices[i];
            break;
        }
    }
    return found;
}

/* 'day' ("YYYY-MM-DD") falls within the precision of 'when' ("YYYY",
 * "YYYY-MM" or a day): the same day, month or year. */
static int same_within(const char *day, const char *when)
{
    return strncmp(day, when, strlen(when)) == 0;
}

int geotag_office_holder(const geotag_gazetteer *g, int office,
                         const char *date)
{
    const geotag_entity *o =
        &((const geotag_entity *)g->entities->elts)[office];
    int i, found = -1;

    if (date == NULL || strlen(date) != 10)
        return -1;
    for (i = 0; i < o->n_holders; i++) {
        const geotag_holder *h = &o->holders[i];
        /* the day of a change (to its precision) is nobody's for sure */
        if (same_within(date, h->from) ||
            (h->to != NULL && same_within(date, h->to)))
            return -1;
        if (strcmp(date, h->from) < 0)
            continue;
        if (h->to != NULL && strcmp(date, h->to) > 0)
            continue;
        if (found >= 0 && found != h->person)
            return -1; /* two holders that day: the file overlaps */
        found = h->person;
    }
    return found;
}

const char *geotag_office_epoch(const geotag_gazetteer *g, const char *day)
{
    const geotag_entity *entities = (const geotag_entity *)g->entities->elts;
    const char *epoch = "";
    int i, k;

    for (i = 0; i < g->offices->nelts; i++) {
        const geotag_entity *o =
            &entities[((const int *)g->offices->elts)[i]];
        for (k = 0; k < o->n_holders; k++) {
            const char *when[2] = {o->holders[k].from, o->holders[k].to};
            int j;
            for (j = 0; j < 2; j++)
                if (when[j] != NULL && strcmp(when[j], day) <= 0 &&
                    strcmp(when[j], epoch) > 0)
                    epoch = when[j];
        }
    }
    return epoch;
}

static int digits(const char *s, int n, int *value)
{
    int i, v = 0;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *value = v;
    return 1;
}

static int days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

int geotag_utc_day(const char *text, apr_size_t len, char out[11])
{
    int year, month, day, hour = 0, minute = 0, offset = 0;
    apr_size_t i = 10;

    while (len > 0 && (*text == ' ' || *text == '\t' || *text == '\n' ||
                       *text == '\r')) {
        text++;
        len--;
    }
    while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t' ||
                       text[len - 1] == '\n' || text[len - 1] == '\r'))
        len--;
    if (len < 10 || text[4] != '-' || text[7] != '-' ||
        !digits(text, 4, &year) || !digits(text + 5, 2, &month) ||
        !digits(text + 8, 2, &day) || month < 1 || month > 12 || day < 1 ||
        day > days_in_month(year, month))
        return 0;
    if (len > 10) {
        if (text[10] != 'T' && text[10] != 't' && text[10] != ' ')
            return 0;
        if (len < 16 || !digits(text + 11, 2, &hour) || text[13] != ':' ||
            !digits(text + 14, 2, &minute) || hour > 23 || minute > 59)
            return 0;
        i = 16;
        if (i < len && text[i] == ':') { /* seconds, and a fraction */
            int sec;
            if (i + 3 > len || !digits(text + i + 1, 2, &sec) || sec > 60)
                return 0;
            i += 3;
            if (i < len && (text[i] == '.' || text[i] == ',')) {
                i++;
                while (i < len && text[i] >= '0' && text[i] <= '9')
                    i++;
            }
        }
        if (i < len && (text[i] == 'Z' || text[i] == 'z')) {
            i++;
        }
        else if (i < len && (text[i] == '+' || text[i] == '-')) {
            int oh, om = 0, sign = text[i] == '-' ? -1 : 1;
            if (i + 3 > len || !digits(text + i + 1, 2, &oh) || oh > 23)
                return 0;
            i += 3;
            if (i < len && text[i] == ':')
                i++;
            if (i + 2 <= len && digits(text + i, 2, &om)) {
                if (om > 59)
                    return 0;
                i += 2;
            }
            offset = sign * (oh * 60 + om);
        }
        if (i != len)
            return 0;
    }
    /* local time minus the offset is UTC: move the day when it crosses */
    {
        int minutes = hour * 60 + minute - offset;
        if (minutes < 0) {
            if (--day < 1) {
                if (--month < 1) {
                    month = 12;
                    year--;
                }
                day = days_in_month(year, month);
            }
        }
        else if (minutes >= 24 * 60) {
            if (++day > days_in_month(year, month)) {
                day = 1;
                if (++month > 12) {
                    month = 1;
                    year++;
                }
            }
        }
    }
    if (year < 0 || year > 9999)
        return 0;
    apr_snprintf(out, 11, "%04d-%02d-%02d", year, month, day);
    return 1;
}
