/*
 * office.h: who held an office on a day.
 *
 * An office (<office> in the dictionary, docs/gazetteer.md "Offices") is a
 * position of a state or body with its holders and their dates.  A role
 * phrase ("il presidente russo", "the US president") names a role key and
 * a state or body; the office is the one of that state or body with that
 * key, and the person is its holder on the article's date.  When that
 * cannot be told for sure, the answer is "none": no office or two of them,
 * no holder known that day, or the day the holder changed.
 *
 * It must never: guess.  A wrong person is worse than no tag.
 */
#ifndef GEOTAG_OFFICE_H
#define GEOTAG_OFFICE_H

#include <apr_time.h>

#include "gazetteer.h"

/* The office of entity 'of' with role key 'key': its entity index, -1 when
 * none has it, -2 when several do. */
int geotag_office_find(const geotag_gazetteer *g, int of, int key);

/* The person who held office 'office' on 'date' ("YYYY-MM-DD"): the entity
 * index, or -1 when no holder is known for that day, or the day is within
 * the precision of a change of holder (the day itself, or the month or year
 * of a change known only to that precision). */
int geotag_office_holder(const geotag_gazetteer *g, int office,
                         const char *date);

/* The last change of holder of any office on or before 'day' ("YYYY-MM-DD"),
 * as its dictionary date ("2025-01-20", "2011-12"), or "" when there is
 * none: two days with the same answer have the same holders in force. */
const char *geotag_office_epoch(const geotag_gazetteer *g, const char *day);

/*
 * The UTC calendar day of an ISO 8601 date or date-time ("2024-10-05",
 * "2024-10-05T23:30:00-05:00", "2024-10-05T08:00Z") into out[11]
 * ("2024-10-06" for the second).  A date-time without a zone is taken as
 * written.  Returns 0 for anything else (a year or month alone, a day the
 * month does not have, trailing text).
 */
int geotag_utc_day(const char *text, apr_size_t len, char out[11]);

#endif
