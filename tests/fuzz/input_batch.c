/*
 * input_batch: bytes -> JSON DOM -> BatchGetItem's and BatchWriteItem's
 * validation (protocol/input_batch.c), then the key-schema checks of every
 * table against a hash-only and a hash+range schema. Every failure must carry
 * a message; every success must hold what the limits promise (at most 100
 * keys / 25 requests, non-empty keys, put items within 400 KB).
 */
#include <stdio.h>
#include <stdlib.h>

#include "protocol/input_batch.h"
#include "protocol/limits.h"

static void must(int cond, const char *what)
{
    if (!cond) {
        fprintf(stderr, "input_batch: %s\n", what);
        abort();
    }
}

static const struct ddb_key_schema schemas[2] = {
    {.hash_name = {"pk", 2}, .hash_type = DDB_T_S},
    {.hash_name = {"pk", 2}, .hash_type = DDB_T_S, .has_range = true, .range_name = {"sk", 2},
     .range_type = DDB_T_N},
};

static void fuzz_get(struct ddb_arena *a, const struct ddb_json *j)
{
    struct ddb_batch_get_input in;
    struct ddb_error e = {0};
    if (ddb_input_batch_get(a, j, &in, &e) != 0) {
        must(e.message != NULL, "get: error without a message");
        return;
    }
    must(in.key_count <= DDB_BATCH_GET_MAX_KEYS, "get: too many keys accepted");
    const struct ddb_value *pk[DDB_BATCH_GET_MAX_KEYS], *sk[DDB_BATCH_GET_MAX_KEYS];
    for (uint32_t i = 0; i < in.table_count; i++) {
        must(in.tables[i].key_count > 0, "get: empty key list accepted");
        for (uint32_t k = 0; k < in.tables[i].key_count; k++)
            must(in.tables[i].keys[k].count > 0, "get: empty key accepted");
        for (int s = 0; s < 2; s++) {
            e = (struct ddb_error){0};
            if (ddb_batch_get_check_keys(a, &schemas[s], &in.tables[i], pk, sk, &e) != 0)
                must(e.message != NULL, "get keys: error without a message");
        }
    }
    e = (struct ddb_error){0};
    if (ddb_batch_get_parse_projections(&in, &e) != 0)
        must(e.message != NULL, "projections: error without a message");
}

static void fuzz_write(struct ddb_arena *a, const struct ddb_json *j)
{
    struct ddb_batch_write_input in;
    struct ddb_error e = {0};
    if (ddb_input_batch_write(a, j, &in, &e) != 0) {
        must(e.message != NULL, "write: error without a message");
        return;
    }
    must(in.request_count <= DDB_BATCH_WRITE_MAX_REQUESTS, "write: too many requests accepted");
    const struct ddb_value *pk[DDB_BATCH_WRITE_MAX_REQUESTS], *sk[DDB_BATCH_WRITE_MAX_REQUESTS];
    for (uint32_t i = 0; i < in.table_count; i++) {
        for (uint32_t k = 0; k < in.tables[i].count; k++)
            must(!in.tables[i].reqs[k].is_put ||
                     ddb_item_size(&in.tables[i].reqs[k].item) <= DDB_MAX_ITEM_SIZE,
                 "write: item over 400 KB accepted");
        for (int s = 0; s < 2; s++) {
            e = (struct ddb_error){0};
            if (ddb_batch_write_check_table(a, &schemas[s], &in.tables[i], pk, sk, &e) != 0)
                must(e.message != NULL, "write keys: error without a message");
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_json *j;
    struct ddb_json_error je;
    if (ddb_json_parse(&a, (const char *)data, size, &j, &je) == 0 &&
        j->type == DDB_JSON_OBJECT) {
        fuzz_get(&a, j);
        fuzz_write(&a, j);
    }
    ddb_arena_release(&a);
    return 0;
}
