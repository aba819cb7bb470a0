/*
 * input_requests: arbitrary bytes as a request body, fed through the request
 * validation of every operation whose reader lives in protocol/:
 * CreateTable, DescribeTable/DeleteTable, ListTables, UpdateTable (with the
 * state-dependent checks against two fixed current definitions),
 * PutItem/GetItem/DeleteItem/UpdateItem (then the key checks against a
 * hash-only and a hash+range schema), BatchGetItem, BatchWriteItem,
 * TransactWriteItems and TransactGetItems (then each action's key checks).
 * Whatever a reader accepts or rejects, a failure must carry a message and
 * an accepted request must hold what the limits promise.
 * (Query and Scan are read in server/op_query.c; legacy parameters have
 * their own target, legacy.c; BatchGetItem/BatchWriteItem are also
 * input_batch.c's, with deeper checks.)
 */
#include <stdio.h>
#include <stdlib.h>

#include "protocol/input_batch.h"
#include "protocol/input_table.h"
#include "protocol/input_txn.h"
#include "protocol/limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void must(int cond, const char *what)
{
    if (!cond) {
        fprintf(stderr, "input_requests: %s\n", what);
        abort();
    }
}

/* A failed reader must say why. */
static void failed(const struct ddb_error *e, const char *what)
{
    if (e->message == NULL) {
        fprintf(stderr, "input_requests: %s failed without a message\n", what);
        abort();
    }
}

static const struct ddb_key_schema schemas[2] = {
    {.hash_name = {"pk", 2}, .hash_type = DDB_T_S},
    {.hash_name = {"pk", 2}, .hash_type = DDB_T_S, .has_range = true, .range_name = {"sk", 2},
     .range_type = DDB_T_N},
};

/* The current definitions UpdateTable is checked against: a PROVISIONED
 * hash+range table with an LSI and a GSI, and an on-demand hash-only one. */
static const char *const current_text[2] = {
    "{\"TableName\":\"cur1\",\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},"
    "{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}],\"AttributeDefinitions\":["
    "{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"},{\"AttributeName\":\"sk\","
    "\"AttributeType\":\"N\"},{\"AttributeName\":\"g\",\"AttributeType\":\"S\"},"
    "{\"AttributeName\":\"l\",\"AttributeType\":\"B\"}],\"ProvisionedThroughput\":"
    "{\"ReadCapacityUnits\":5,\"WriteCapacityUnits\":5},\"LocalSecondaryIndexes\":[{"
    "\"IndexName\":\"lsi\",\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},"
    "{\"AttributeName\":\"l\",\"KeyType\":\"RANGE\"}],\"Projection\":{\"ProjectionType\":"
    "\"INCLUDE\",\"NonKeyAttributes\":[\"x\"]}}],\"GlobalSecondaryIndexes\":[{\"IndexName\":"
    "\"gsi\",\"KeySchema\":[{\"AttributeName\":\"g\",\"KeyType\":\"HASH\"}],\"Projection\":"
    "{\"ProjectionType\":\"KEYS_ONLY\"},\"ProvisionedThroughput\":{\"ReadCapacityUnits\":1,"
    "\"WriteCapacityUnits\":1}}]}",
    "{\"TableName\":\"cur2\",\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}],"
    "\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"}],"
    "\"BillingMode\":\"PAY_PER_REQUEST\"}",
};

static void table_ops(struct ddb_arena *a, const struct ddb_json *body,
                      const struct ddb_table_def cur[2])
{
    struct ddb_error e = {0};
    struct ddb_table_def def;
    if (ddb_input_create_table(a, body, &def, &e) != 0)
        failed(&e, "CreateTable");
    else
        must(def.name.len >= 3 && def.name.len <= 255 && def.index_count <= 25 &&
                 def.attr_def_count > 0,
             "CreateTable: accepted a definition out of bounds");

    ddb_slice name;
    e = (struct ddb_error){0};
    if (ddb_input_table_name(a, body, &name, &e) != 0)
        failed(&e, "DescribeTable");
    else
        must(name.len >= 3 && name.len <= 255, "DescribeTable: accepted a bad name");

    struct ddb_list_tables_input lt;
    e = (struct ddb_error){0};
    if (ddb_input_list_tables(a, body, &lt, &e) != 0)
        failed(&e, "ListTables");
    else
        must(lt.limit >= 1 && lt.limit <= 100, "ListTables: Limit out of bounds");

    struct ddb_update_table_input up;
    e = (struct ddb_error){0};
    if (ddb_input_update_table(a, body, &up, &e) != 0) {
        failed(&e, "UpdateTable");
        return;
    }
    for (int i = 0; i < 2; i++) {
        enum ddb_billing_mode billing;
        int64_t rcu, wcu;
        e = (struct ddb_error){0};
        if (ddb_check_update_table(a, &cur[i], &up, &billing, &rcu, &wcu, &e) != 0)
            failed(&e, "UpdateTable check");
        if (!up.has_gsi_updates)
            continue;
        struct ddb_table_def next;
        const struct ddb_index_def *created, *deleted;
        e = (struct ddb_error){0};
        if (ddb_check_update_indexes(a, &cur[i], &up, &next, &created, &deleted, &e) != 0)
            failed(&e, "UpdateTable indexes");
        else
            must(next.index_count <= cur[i].index_count + 1, "UpdateTable: indexes appeared");
    }
}

static void check_keys(struct ddb_arena *a, const struct ddb_item_input *in, bool put)
{
    for (int s = 0; s < 2; s++) {
        const struct ddb_value *pk, *sk;
        struct ddb_error e = {0};
        int rc = put ? ddb_check_item_key(a, &schemas[s], &in->item, &pk, &sk, &e)
                     : ddb_check_key(a, &schemas[s], &in->key, &pk, &sk, &e);
        if (rc != 0)
            failed(&e, "key check");
        else
            must(pk != NULL && (sk != NULL) == schemas[s].has_range, "key check: no key");
    }
}

static void item_ops(struct ddb_arena *a, const struct ddb_json *body)
{
    for (int op = DDB_ITEM_PUT; op <= DDB_ITEM_UPDATE; op++) {
        struct ddb_item_input in;
        struct ddb_error e = {0};
        if (ddb_input_item(a, (enum ddb_item_op)op, body, &in, &e) != 0) {
            failed(&e, "item operation");
            continue;
        }
        if (op == DDB_ITEM_PUT)
            must(ddb_item_size(&in.item) <= DDB_MAX_ITEM_SIZE, "PutItem: item over 400 KB");
        check_keys(a, &in, op == DDB_ITEM_PUT);
    }
}

static void batch_ops(struct ddb_arena *a, const struct ddb_json *body)
{
    struct ddb_batch_get_input g;
    struct ddb_error e = {0};
    if (ddb_input_batch_get(a, body, &g, &e) != 0)
        failed(&e, "BatchGetItem");
    else
        must(g.key_count <= DDB_BATCH_GET_MAX_KEYS, "BatchGetItem: too many keys");
    struct ddb_batch_write_input w;
    e = (struct ddb_error){0};
    if (ddb_input_batch_write(a, body, &w, &e) != 0)
        failed(&e, "BatchWriteItem");
    else
        must(w.request_count <= DDB_BATCH_WRITE_MAX_REQUESTS, "BatchWriteItem: too many");
}

static void txn_ops(struct ddb_arena *a, const struct ddb_json *body)
{
    for (int get = 0; get < 2; get++) {
        struct ddb_txn_input in;
        struct ddb_error e = {0};
        int rc = get ? ddb_input_txn_get(a, body, &in, &e) : ddb_input_txn_write(a, body, &in, &e);
        if (rc != 0) {
            failed(&e, get ? "TransactGetItems" : "TransactWriteItems");
            continue;
        }
        must(in.count >= 1 && in.count <= DDB_TXN_MAX_ACTIONS, "transaction: action count");
        must(!in.has_token || (in.token.len >= 1 && in.token.len <= DDB_TXN_TOKEN_MAX),
             "transaction: token length");
        for (uint32_t i = 0; i < in.count; i++)
            check_keys(a, &in.actions[i].in, in.actions[i].kind == DDB_TXN_PUT);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_table_def cur[2];
    for (int i = 0; i < 2; i++) {
        struct ddb_json *j;
        struct ddb_json_error je;
        struct ddb_error e = {0};
        if (ddb_json_parse(&a, current_text[i], strlen(current_text[i]), &j, &je) != 0 ||
            ddb_input_create_table(&a, j, &cur[i], &e) != 0) {
            fprintf(stderr, "input_requests: fixed table %d: %s\n", i,
                    e.message ? e.message : "JSON");
            abort();
        }
    }
    struct ddb_json *body;
    struct ddb_json_error je;
    if (ddb_json_parse(&a, (const char *)data, size, &body, &je) == 0 &&
        body->type == DDB_JSON_OBJECT) {
        table_ops(&a, body, cur);
        item_ops(&a, body);
        batch_ops(&a, body);
        txn_ops(&a, body);
    }
    ddb_arena_release(&a);
    return 0;
}
