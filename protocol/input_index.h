/*
 * input_index.h: secondary-index definitions in CreateTable and UpdateTable
 * requests (LocalSecondaryIndexes, GlobalSecondaryIndexes,
 * GlobalSecondaryIndexUpdates[].Create).
 *
 * Reading is two steps, as DynamoDB validates: ddb_input_index_read() checks
 * the shape (SerializationException at once) and adds the constraint
 * violations (name length and pattern, missing members) to the caller's
 * collector; ddb_input_index_check() applies the index rules afterwards, in
 * DynamoDB's order and words (messages in protocol/MESSAGES-index.md,
 * conformance tests in conformance/python/test_indexes.py).
 *
 * Lifetime: slices point into the DOM or the arena. Thread safety: none
 * needed.
 */
#ifndef DDB_INPUT_INDEX_H
#define DDB_INPUT_INDEX_H

#include "input.h"
#include "schema.h"

/* One index as the request states it, before the rules. */
struct ddb_index_input {
    struct ddb_index_def def;
    uint32_t nks;          /* KeySchema elements (0 when absent) */
    ddb_slice kn[2], kt[2]; /* their AttributeName and KeyType */
    bool has_ptype;        /* Projection.ProjectionType given */
    bool has_nka;          /* Projection.NonKeyAttributes given */
    bool has_projection;
};

/* Reads the index element e (an object) of list `list` ("localSecondaryIndexes",
 * "globalSecondaryIndexes", "globalSecondaryIndexUpdates.1.member.create")
 * at 1-based position pos (0: no position in the path). */
int ddb_input_index_read(struct ddb_arena *a, const struct ddb_json *e, bool global,
                         const char *path, struct ddb_vlist *v, struct ddb_index_input *out,
                         struct ddb_error *err) DDB_MUST_CHECK;

/* The rules of one index against the table: key attributes defined (types
 * filled in), key order, LSI hash key and range key, projection. table_key
 * is the table's key schema; billing the table's mode (GSI throughput). */
int ddb_input_index_check(struct ddb_arena *a, struct ddb_index_input *in,
                          const struct ddb_attr_def *ads, uint32_t nad,
                          const struct ddb_key_schema *table_key, struct ddb_error *err)
    DDB_MUST_CHECK;


/* The sum of NonKeyAttributes over the indexes, checked against
 * DDB_MAX_PROJECTED_ATTRS. */
int ddb_input_index_projected_limit(const struct ddb_index_def *ix, uint32_t n,
                                    struct ddb_arena *a, struct ddb_error *err) DDB_MUST_CHECK;

#endif
