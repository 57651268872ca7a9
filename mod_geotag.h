/*
 * mod_geotag.h: the module record and what every glue file shares.
 *
 * The glue is the engine's (src/) only contact with httpd, one concept a
 * file, each with its own header:
 *
 *   mod_geotag.c            the hooks and the module record
 *   mod_geotag_config.c     configurations, directives, dictionaries, the
 *                           config digest
 *   mod_geotag_filter.c     the GEOTAG filter: first call, one function
 *                           per mode
 *   mod_geotag_replay.c     a response's cache side: look-up, replay of
 *                           stored edits, store, the child's memory
 *   mod_geotag_splice.c     the splicer: held buckets, the copy buffer,
 *                           release / insert / pass (no httpd)
 *   mod_geotag_etag.c       our ETags and the conditional requests
 *   mod_geotag_cacheable.c  what may be cached (RFC 9111) and the key
 *   mod_geotag_cache.c      the edit cache over ap_socache
 *   mod_geotag_status.c     the counters and the status pages
 */
#ifndef MOD_GEOTAG_H
#define MOD_GEOTAG_H

#include "httpd.h"
#include "http_config.h"

extern module AP_MODULE_DECLARE_DATA geotag_module;

/* Log message numbers of our own (httpd's AH numbers belong to httpd). */
#define GTLOGNO(n) "GT" #n ": "

#endif
