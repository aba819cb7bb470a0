/*
 * input_batch.h: BatchGetItem and BatchWriteItem requests, validated in
 * DynamoDB's order and words (DynamoDB Local 3.3.1 measured; every message
 * and the request that produced it: protocol/MESSAGES-batch.md; conformance
 * tests: conformance/python/test_batch.py).
 *
 * DynamoDB checks a batch in phases, and which error a request with several
 * faults gets depends on them:
 *
 *   0. shapes (SerializationException): RequestItems a map, each table's
 *      entry a structure (get) or list (write), keys and items maps, every
 *      AttributeValue's JSON shape;
 *   1. per table in request order, per key/write request in order
 *      (ddb_input_batch_get / ddb_input_batch_write): an empty list, the
 *      running count against 100 keys / 25 writes, the AttributeValues, empty
 *      keys and duplicate keys (get), Put-xor-Delete, null items and the
 *      400 KB item size (write);
 *   2. per table: the table name, then (get) AttributesToGet (legacy.h),
 *      ProjectionExpression and ExpressionAttributeNames' static rules;
 *   3. per existing table, per key in order: the key schema
 *      (ddb_batch_get_check_keys / ddb_batch_write_check_table), and for
 *      writes the duplicates (they need the key);
 *   4. missing tables: ResourceNotFoundException (after phase 3 of every
 *      other table: DynamoDB reports a key mismatch of any table first);
 *   5. (get) the projections are parsed and unused #names reported
 *      (ddb_batch_get_parse_projections).
 * Phases 3 and 4 need the catalog and run in server/op_batch.c.
 *
 * Ownership: everything lives in the arena; slices point into the DOM.
 * Thread safety: none needed; no global state.
 */
#ifndef DDB_INPUT_BATCH_H
#define DDB_INPUT_BATCH_H

#include "expr.h"
#include "input.h"
#include "schema.h"
#include "value.h"

/* DynamoDB's batch limits (API reference, BatchGetItem / BatchWriteItem). */
#define DDB_BATCH_GET_MAX_KEYS 100
#define DDB_BATCH_WRITE_MAX_REQUESTS 25
#define DDB_BATCH_GET_MAX_RESPONSE_BYTES (16u * 1024 * 1024)

/* One table of BatchGetItem's RequestItems (a KeysAndAttributes). */
struct ddb_batch_get_table {
    ddb_slice table;
    const struct ddb_json *json; /* the KeysAndAttributes object (echoed in UnprocessedKeys) */
    uint32_t key_count;
    struct ddb_item *keys;
    bool consistent_read;
    bool has_projection_text; /* ProjectionExpression given */
    ddb_slice projection_text;
    struct ddb_expr_ctx cx;   /* its ExpressionAttributeNames (no values) */
    /* NULL: whole items. Set by ddb_input_batch_get for AttributesToGet and
     * by ddb_batch_get_parse_projections for ProjectionExpression. */
    struct ddb_projection *projection;
};

struct ddb_batch_get_input {
    uint32_t table_count;
    struct ddb_batch_get_table *tables; /* in request order */
    uint32_t key_count;                 /* over all tables */
};

/* Phases 0-2 of BatchGetItem. */
int ddb_input_batch_get(struct ddb_arena *a, const struct ddb_json *body,
                        struct ddb_batch_get_input *out, struct ddb_error *err) DDB_MUST_CHECK;

/* Phase 3 for one table: every key against the table's key schema
 * (input_item.h's ddb_check_key). pks/sks (key_count entries each, sks
 * entries NULL without a sort key) receive the key values. */
int ddb_batch_get_check_keys(struct ddb_arena *a, const struct ddb_key_schema *ks,
                             const struct ddb_batch_get_table *t, const struct ddb_value **pks,
                             const struct ddb_value **sks, struct ddb_error *err) DDB_MUST_CHECK;

/* Phase 5: every table's ProjectionExpression parsed, unused #names
 * reported. */
int ddb_batch_get_parse_projections(struct ddb_batch_get_input *in, struct ddb_error *err)
    DDB_MUST_CHECK;

/* One WriteRequest: a PutRequest's Item or a DeleteRequest's Key. */
struct ddb_batch_write_req {
    bool is_put;
    struct ddb_item item;
};

struct ddb_batch_write_table {
    ddb_slice table;
    uint32_t count;
    struct ddb_batch_write_req *reqs; /* in request order */
};

struct ddb_batch_write_input {
    uint32_t table_count;
    struct ddb_batch_write_table *tables; /* in request order */
    uint32_t request_count;               /* over all tables */
};

/* Phases 0-2 of BatchWriteItem. */
int ddb_input_batch_write(struct ddb_arena *a, const struct ddb_json *body,
                          struct ddb_batch_write_input *out, struct ddb_error *err) DDB_MUST_CHECK;

/* Phase 3 for one table: each request's key against the schema (a Put's
 * Item must carry the key attributes; a Delete's Key must be exactly the
 * key), then duplicates among the table's requests ("Provided list of item
 * keys contains duplicates"). pks/sks as for ddb_batch_get_check_keys. */
int ddb_batch_write_check_table(struct ddb_arena *a, const struct ddb_key_schema *ks,
                                const struct ddb_batch_write_table *t,
                                const struct ddb_value **pks, const struct ddb_value **sks,
                                struct ddb_error *err) DDB_MUST_CHECK;

#endif
