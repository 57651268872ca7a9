/*
 * tap.h: a minimal Test Anything Protocol emitter for the C unit tests,
 * which `prove` runs.  A test program calls tap_plan(n) (or tap_done() at
 * the end for a computed count), then ok()/is_str()/is_int() per check.
 * Exit status is the number of failures (capped), as prove expects.
 */
#ifndef GEOTAG_TAP_H
#define GEOTAG_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_count, tap_failed, tap_planned;

static inline void tap_plan(int n)
{
    tap_planned = n;
    printf("1..%d\n", n);
}

static inline int tap_vok(int cond, const char *fmt, va_list ap)
{
    tap_count++;
    printf("%sok %d - ", cond ? "" : "not ", tap_count);
    vprintf(fmt, ap);
    printf("\n");
    if (!cond)
        tap_failed++;
    fflush(stdout);
    return cond;
}

static inline int ok(int cond, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cond = tap_vok(cond, fmt, ap);
    va_end(ap);
    return cond;
}

static inline int is_str(const char *got, const char *want, const char *name)
{
    int cond = (got == NULL && want == NULL) ||
               (got != NULL && want != NULL && strcmp(got, want) == 0);
    ok(cond, "%s", name);
    if (!cond)
        printf("#   got:  '%s'\n#   want: '%s'\n", got ? got : "(null)",
               want ? want : "(null)");
    return cond;
}

static inline int is_int(long long got, long long want, const char *name)
{
    int cond = got == want;
    ok(cond, "%s", name);
    if (!cond)
        printf("#   got:  %lld\n#   want: %lld\n", got, want);
    return cond;
}

static inline void tap_diag(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("# ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
}

/* Ends the run: prints the plan if none was given; returns the exit status. */
static inline int tap_done(void)
{
    if (!tap_planned)
        printf("1..%d\n", tap_count);
    else if (tap_planned != tap_count)
        printf("# planned %d tests but ran %d\n", tap_planned, tap_count);
    if (tap_count == 0)
        return 255;
    return tap_failed > 254 ? 254 : tap_failed;
}

#endif
