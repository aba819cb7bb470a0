/*
 * catalog_codec.h: the on-disk form of one table definition (the JSON value
 * of a "T" <name> key in the meta family; layout in catalog.h and above
 * ddb_catalog_table_encode in catalog_codec.c). Internal to storage/: catalog.c uses it, and
 * tests/fuzz/catalog_decode.c feeds the decoder arbitrary bytes.
 *
 * Thread safety: none needed (no shared state).
 */
#ifndef DDB_CATALOG_CODEC_H
#define DDB_CATALOG_CODEC_H

#include "catalog.h"

/* A new snapshot (one reference) owning a deep copy of def; id, uuid and
 * times are zero. Defined in catalog.c. */
struct ddb_table *ddb_catalog_table_new(const struct ddb_table_def *def);

/* Decodes a stored definition. The bytes are untrusted: anything that is not
 * a well-formed version-1 definition gives NULL with *err set
 * (DDB_ERR_INTERNAL, a static message "corrupt catalog: table definition: ..."
 * naming the member and the reason). Integers are read exactly (no detour
 * through a double). Otherwise a new snapshot
 * with one reference (drop it with ddb_table_unref) that owns copies of
 * every string; a is scratch space for the parse and may be released at
 * once. bytes.ptr must stay valid during the call only. */
struct ddb_table *ddb_catalog_table_decode(struct ddb_arena *a, ddb_slice bytes,
                                           struct ddb_error *err);

/* Appends the stored form of t's definition and state to out. */
void ddb_catalog_table_encode(const struct ddb_table *t, struct ddb_buf *out);

#endif
