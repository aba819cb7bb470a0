/*
 * key_decode: storage/keycodec.c's item-key decoder on arbitrary bytes. The
 * first input byte picks the key schema (bits 0-1: partition key type S/N/B,
 * bits 2-3: sort key type, bit 4: has a sort key); the rest is the key. An
 * accepted key must re-encode to exactly the same bytes.
 */
#include <stdlib.h>

#include "storage/keycodec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    static const enum ddb_type types[4] = {DDB_T_S, DDB_T_N, DDB_T_B, DDB_T_S};
    struct ddb_keycodec_schema schema = {types[data[0] & 3], types[(data[0] >> 2) & 3],
                                         (data[0] & 0x10) != 0};
    const char *key = (const char *)data + 1;
    size_t len = size - 1;
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_keycodec_item_key k;
    struct ddb_error e;
    if (ddb_keycodec_decode_item_key(&a, key, len, &schema, &k, &e) == 0) {
        struct ddb_buf b;
        ddb_buf_init(&b, &a);
        ddb_keycodec_item_key(&b, k.table_id, &k.pk, k.has_sk ? &k.sk : NULL);
        if (b.len != len || memcmp(b.ptr, key, len) != 0)
            abort();
    }
    ddb_arena_release(&a);
    return 0;
}
