/*
 * item_decode: storage/itemcodec.c's decoder on arbitrary bytes. An accepted
 * image must re-encode to exactly the same bytes (the format is canonical),
 * and ddb_itemcodec_get must find the same first "a" attribute as the full
 * decode (compared through their encodings).
 */
#include <stdlib.h>

#include "storage/itemcodec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ddb_slice encode_one(struct ddb_arena *a, const struct ddb_value *v)
{
    struct ddb_attr attr = {DDB_SLICE_LIT("a"), *v};
    struct ddb_item item = {1, &attr};
    struct ddb_buf b;
    struct ddb_error e;
    ddb_buf_init(&b, a);
    if (ddb_itemcodec_encode(&b, &item, &e) != 0)
        abort();
    return ddb_buf_slice(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_item item;
    struct ddb_error e;
    const char *p = (const char *)data;
    int rc = ddb_itemcodec_decode(&a, p, size, &item, &e);
    struct ddb_value got;
    int grc = ddb_itemcodec_get(&a, p, size, DDB_SLICE_LIT("a"), &got, &e);
    if (rc == 0) {
        struct ddb_buf b;
        ddb_buf_init(&b, &a);
        if (ddb_itemcodec_encode(&b, &item, &e) != 0 || b.len != size ||
            (size && memcmp(b.ptr, data, size) != 0))
            abort();
        const struct ddb_value *first = NULL;
        for (uint32_t i = 0; i < item.count && first == NULL; i++)
            if (ddb_slice_eq(item.attrs[i].name, DDB_SLICE_LIT("a")))
                first = &item.attrs[i].value;
        if (grc != (first ? 1 : 0))
            abort();
        if (first && !ddb_slice_eq(encode_one(&a, first), encode_one(&a, &got)))
            abort();
    }
    ddb_arena_release(&a);
    return 0;
}
