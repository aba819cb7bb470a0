/*
 * catalog_decode: storage/catalog_codec.c's table-definition decoder (the JSON
 * stored under "T" <name> in the meta family, read back at start-up) on
 * arbitrary bytes. An accepted definition must encode, and that encoding
 * must decode again to a definition that encodes to the same bytes (the
 * encoder's output is a fixed point), with the name and TableId kept.
 */
#include <stdio.h>
#include <stdlib.h>

#include "storage/catalog_codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void must(int cond, const char *what)
{
    if (!cond) {
        fprintf(stderr, "catalog_decode: %s\n", what);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_table *t = ddb_catalog_table_decode(&a, ddb_slice_make((const char *)data, size));
    if (t != NULL) {
        struct ddb_buf one, two;
        ddb_buf_init(&one, &a);
        ddb_buf_init(&two, &a);
        ddb_catalog_table_encode(t, &one);
        struct ddb_table *u = ddb_catalog_table_decode(&a, ddb_buf_slice(&one));
        must(u != NULL, "its own encoding does not decode");
        ddb_catalog_table_encode(u, &two);
        must(ddb_slice_eq(ddb_buf_slice(&one), ddb_buf_slice(&two)), "encoding not stable");
        must(ddb_slice_eq(t->def.name, u->def.name), "name changed");
        must(memcmp(t->uuid, u->uuid, sizeof t->uuid) == 0, "uuid changed");
        must(t->def.index_count == u->def.index_count, "index count changed");
        ddb_table_unref(u);
        ddb_table_unref(t);
    }
    ddb_arena_release(&a);
    return 0;
}
