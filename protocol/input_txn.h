/*
 * input_txn.h: TransactWriteItems and TransactGetItems requests, validated up
 * to the point where the tables are needed.
 *
 * Each action's own members (TableName, Item/Key, the expressions and their
 * ExpressionAttributeNames/Values, ReturnValuesOnConditionCheckFailure) are
 * read by ddb_input_item() (input_item.h), exactly as for the single-item
 * operation it mirrors (Put: PutItem, Update: UpdateItem, Delete and
 * ConditionCheck: DeleteItem, Get: GetItem), after the transaction's own
 * rules: 1..100 actions, exactly one kind per action, the members each kind
 * requires (reported at DynamoDB's paths, e.g.
 * 'transactItems.1.member.put.tableName'), ClientRequestToken 1..36
 * characters.
 *
 * What needs the tables (key schemas, duplicates, existence) is the
 * handler's job (server/op_txn.c). Errors: SERIALIZATION or VALIDATION with
 * DynamoDB's words (protocol/MESSAGES-txn.md; conformance tests:
 * conformance/python/test_transactions.py). Lifetime: the request's arena
 * and DOM. Thread safety: none needed.
 */
#ifndef DDB_INPUT_TXN_H
#define DDB_INPUT_TXN_H

#include "input_item.h"

#define DDB_TXN_MAX_ACTIONS 100
#define DDB_TXN_TOKEN_MAX 36

enum ddb_txn_kind { DDB_TXN_CHECK, DDB_TXN_PUT, DDB_TXN_DELETE, DDB_TXN_UPDATE, DDB_TXN_GET };

struct ddb_txn_action {
    enum ddb_txn_kind kind;
    struct ddb_item_input in;
};

struct ddb_txn_input {
    uint32_t count; /* 1..DDB_TXN_MAX_ACTIONS */
    struct ddb_txn_action *actions;
    const struct ddb_json *items; /* the TransactItems array (idempotency fingerprint) */
    bool has_token;
    ddb_slice token; /* ClientRequestToken (TransactWriteItems only) */
};

/* What one write action adds to the transaction's payload, which may not
 * pass DDB_TXN_MAX_PAYLOAD_BYTES (ValidationException, checked after every
 * action's own members, before any table is looked up): a Put's item size,
 * else its key's, plus the lengths of ConditionExpression and
 * UpdateExpression, of each attribute name ExpressionAttributeNames stands
 * for, and the size of each ExpressionAttributeValues value (DynamoDB Local
 * 3.3.1 measured; the service documents only "the aggregate size of the
 * items"). sub is the action's object (the member under Put, Update...). */
uint64_t ddb_txn_action_payload(const struct ddb_json *sub, const struct ddb_txn_action *act);

int ddb_input_txn_write(struct ddb_arena *a, const struct ddb_json *body,
                        struct ddb_txn_input *out, struct ddb_error *err) DDB_MUST_CHECK;

int ddb_input_txn_get(struct ddb_arena *a, const struct ddb_json *body,
                      struct ddb_txn_input *out, struct ddb_error *err) DDB_MUST_CHECK;

#endif
