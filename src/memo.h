/*
 * memo.h: hot pages, fully tagged, kept in the memory of one process
 * (GeoTagCacheMemory; see memo.c for the concept).
 *
 * It must never: hand out an entry for a body of another length than the
 * one it was made from; hold its lock while copying or sending; grow past
 * its budget.  APR only (no httpd).
 */
#ifndef GEOTAG_MEMO_H
#define GEOTAG_MEMO_H

#include <apr_pools.h>
#include <apr_buckets.h>

typedef struct geotag_memo geotag_memo;

/* Entries are keyed by the cache key (a SHA-1). */
#define GEOTAG_MEMO_KEY_LEN 20

/* A memory of 'budget' bytes; 'threaded' when several threads use it (a
 * mutex guards it then); 'files' to keep each body in an in-memory file
 * (Linux memfd; elsewhere, or when one cannot be made, in plain memory).
 * NULL when the budget is 0 or no mutex could be made. */
geotag_memo *geotag_memo_create(apr_pool_t *p, apr_size_t budget,
                                int threaded, int files);

/* A key is replayed from the shared cache: 1 if it was replayed here
 * before (the page is hot: keep it), else remembers it and returns 0. */
int geotag_memo_admit(geotag_memo *m, const unsigned char *key);

/* The largest body an entry may hold: a quarter of the budget (0 without
 * a memory). */
apr_size_t geotag_memo_max_entry(const geotag_memo *m);

/* The tagged body stored under key for a source body of source_length
 * bytes, with *mentions set; NULL when there is none (or it expired, or
 * the lock failed).  With
 * 'sendfile' (pass it only when sendfile and mmap are both on: the FILE
 * bucket must never be read with seek + read) and the body in a file: a
 * FILE bucket on a duplicate descriptor, closed with pool; else one bucket
 * that holds the entry until it is destroyed. */
apr_bucket *geotag_memo_get(geotag_memo *m, const unsigned char *key,
                            apr_off_t source_length, int sendfile,
                            apr_pool_t *pool, apr_bucket_alloc_t *list,
                            int *mentions);

/* Keeps body (malloc'd; ownership passes, it is freed on failure too) as
 * the tagged form of a source_length-byte body for ttl; evicts the least
 * recently used entries to stay in budget.  1 if stored (0 also when the
 * lock failed: nothing is touched unlocked). */
int geotag_memo_put(geotag_memo *m, const unsigned char *key,
                    apr_interval_time_t ttl, apr_off_t source_length,
                    int mentions, char *body, apr_size_t length);

/* The budget, bytes held and entries (for tests and status); 0 without a
 * memory. */
apr_size_t geotag_memo_budget(const geotag_memo *m);
apr_size_t geotag_memo_used(const geotag_memo *m);
int geotag_memo_entries(const geotag_memo *m);

#endif
