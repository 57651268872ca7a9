/*
 * builtin.h: what the build compiles into the engine from outside the C
 * sources, so that the module and the geotag command need no file of it.
 *
 *   - the version: the first line of debian/changelog, the one place it is
 *     written (the package, `geotag --version` and the module's version
 *     component all read it from there);
 *   - the RelaxNG schema of the dictionaries and language packs
 *     (conf/gazetteer.rng): GeoTagSchema and `geotag --schema` only
 *     override it.
 *
 * The definitions are generated (tools/gen-builtin.sh, into
 * $(BUILD)/builtin.c); this header is their whole contract.  It must never
 * hold anything a user could want to change without rebuilding.
 */
#ifndef GEOTAG_BUILTIN_H
#define GEOTAG_BUILTIN_H

#include <apr.h>

extern const char geotag_version[];

/* The schema's bytes, NUL-terminated; its length without the NUL. */
extern const unsigned char geotag_builtin_schema[];
extern const apr_size_t geotag_builtin_schema_len;

/* The name messages give the built-in schema. */
#define GEOTAG_BUILTIN_SCHEMA_NAME "gazetteer.rng (built in)"

#endif
