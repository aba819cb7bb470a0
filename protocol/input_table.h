/*
 * input_table.h: the table operations' requests, validated.
 *
 * Each function reads the request DOM, applies DynamoDB's checks in
 * DynamoDB's order and wording (shape errors first, then constraint
 * violations collected in one message, then the operation's own rules), and
 * fills a typed request whose slices point into the DOM or the arena.
 *
 * Errors: SERIALIZATION or VALIDATION with DynamoDB's message; the
 * conformance suite (conformance/python/test_tables.py) checks each text.
 */
#ifndef DDB_INPUT_TABLE_H
#define DDB_INPUT_TABLE_H

#include "input.h"
#include "input_index.h"
#include "schema.h"

int ddb_input_create_table(struct ddb_arena *a, const struct ddb_json *body,
                           struct ddb_table_def *out, struct ddb_error *err) DDB_MUST_CHECK;

/* A table name that is not a member of its own (the keys of a batch's
 * RequestItems): 3..255 characters of [a-zA-Z0-9_.-], or -1 with
 * ValidationException "Invalid table/index name.  Table/index names must be
 * between 3 and 255 characters long, ..." as DynamoDB answers there. */
int ddb_check_table_name(ddb_slice name, struct ddb_error *err) DDB_MUST_CHECK;

/* DescribeTable, DeleteTable: just the table name. */
int ddb_input_table_name(struct ddb_arena *a, const struct ddb_json *body, ddb_slice *name,
                         struct ddb_error *err) DDB_MUST_CHECK;

struct ddb_list_tables_input {
    ddb_slice start; /* ptr NULL when absent */
    uint32_t limit;  /* 100 when absent */
};

int ddb_input_list_tables(struct ddb_arena *a, const struct ddb_json *body,
                          struct ddb_list_tables_input *out, struct ddb_error *err) DDB_MUST_CHECK;

enum ddb_gsi_action { DDB_GSI_CREATE, DDB_GSI_UPDATE, DDB_GSI_DELETE };

/* One element of GlobalSecondaryIndexUpdates. */
struct ddb_gsi_update {
    enum ddb_gsi_action action;
    ddb_slice name;
    struct ddb_index_input create;         /* DDB_GSI_CREATE */
    bool has_throughput;                    /* DDB_GSI_UPDATE */
    int64_t read_capacity, write_capacity;
};

struct ddb_update_table_input {
    ddb_slice name;
    bool has_billing;
    enum ddb_billing_mode billing;
    bool has_throughput;
    int64_t read_capacity, write_capacity;
    bool has_attr_defs;
    uint32_t attr_def_count;
    const struct ddb_attr_def *attr_defs;
    bool has_gsi_updates;
    uint32_t gsi_update_count;
    struct ddb_gsi_update *gsi_updates;
};

/* Only the shape and constraints; the rules that depend on the table's
 * current state are ddb_check_update_table(). */
int ddb_input_update_table(struct ddb_arena *a, const struct ddb_json *body,
                           struct ddb_update_table_input *out, struct ddb_error *err) DDB_MUST_CHECK;

/* Applies in to the current definition: fills the new billing mode and
 * throughput, or fails as DynamoDB does (nothing to change, throughput that
 * would not change, PROVISIONED without throughput, ...). */
int ddb_check_update_table(struct ddb_arena *a, const struct ddb_table_def *cur,
                           const struct ddb_update_table_input *in, enum ddb_billing_mode *billing,
                           int64_t *rcu, int64_t *wcu, struct ddb_error *err) DDB_MUST_CHECK;

/* GlobalSecondaryIndexUpdates against the current definition: fills *next
 * with the new definition (indexes created with status CREATING and id 0,
 * deleted ones removed, throughput updated, AttributeDefinitions merged and
 * pruned to the key attributes still used) in arena a. Errors as DynamoDB:
 * VALIDATION, LIMIT_EXCEEDED (one online create or delete at a time),
 * RESOURCE_NOT_FOUND (no such index). *created / *deleted point at the
 * created index in next / the deleted one in cur (NULL when none). */
int ddb_check_update_indexes(struct ddb_arena *a, const struct ddb_table_def *cur,
                             const struct ddb_update_table_input *in, struct ddb_table_def *next,
                             const struct ddb_index_def **created,
                             const struct ddb_index_def **deleted,
                             struct ddb_error *err) DDB_MUST_CHECK;

#endif
