/*
 * jsonld.h: the page's JSON-LD read (jsonld_read.h) and ours written
 * (jsonld_write.h), for the callers that need both.
 */
#ifndef GEOTAG_JSONLD_H
#define GEOTAG_JSONLD_H

#include "jsonld_read.h"
#include "jsonld_write.h"

#endif
