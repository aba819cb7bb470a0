/*
 * input_item.h: the single-item operations' requests (PutItem, GetItem,
 * DeleteItem, UpdateItem), validated up to the point where the table is
 * needed.
 *
 * ddb_input_item() reads every member an item operation may carry, checks
 * shapes and constraints, validates the AttributeValues (Item, Key,
 * ExpressionAttributeValues) and the rules about expression parameters, and
 * parses the expressions with one placeholder context, reporting unused
 * placeholders as DynamoDB does. What depends on the table (key schema) is
 * ddb_check_key() / ddb_check_item_key().
 *
 * Errors: SERIALIZATION or VALIDATION with DynamoDB's words (conformance
 * tests: conformance/python/test_items.py, test_values.py).
 */
#ifndef DDB_INPUT_ITEM_H
#define DDB_INPUT_ITEM_H

#include "expr.h"
#include "input.h"
#include "schema.h"
#include "value.h"

enum ddb_item_op { DDB_ITEM_PUT, DDB_ITEM_GET, DDB_ITEM_DELETE, DDB_ITEM_UPDATE };

enum ddb_return_values {
    DDB_RV_NONE = 0,
    DDB_RV_ALL_OLD,
    DDB_RV_UPDATED_OLD,
    DDB_RV_ALL_NEW,
    DDB_RV_UPDATED_NEW,
};

struct ddb_item_input {
    ddb_slice table;
    struct ddb_item item; /* PutItem */
    struct ddb_item key;  /* the others */
    struct ddb_expr_ctx cx;
    struct ddb_expr_node *condition;   /* NULL when absent */
    struct ddb_update *update;         /* NULL when absent */
    struct ddb_projection *projection; /* NULL when absent */
    enum ddb_return_values return_values;
    bool return_old_on_condition_failure; /* ReturnValuesOnConditionCheckFailure ALL_OLD */
    bool consistent_read;
    bool legacy_update; /* update came from AttributeUpdates (legacy.h) */
};

int ddb_input_item(struct ddb_arena *a, enum ddb_item_op op, const struct ddb_json *body,
                   struct ddb_item_input *out, struct ddb_error *err) DDB_MUST_CHECK;

/* The Key parameter of Get/Delete/UpdateItem against the table's schema:
 * exactly the key attributes, of the right types, non-empty, within the
 * key size limits. Sets *pk and *sk (NULL without a sort key). */
int ddb_check_key(struct ddb_arena *a, const struct ddb_key_schema *ks,
                  const struct ddb_item *key, const struct ddb_value **pk,
                  const struct ddb_value **sk, struct ddb_error *err) DDB_MUST_CHECK;

/* PutItem's Item carries the key (other attributes are free). */
int ddb_check_item_key(struct ddb_arena *a, const struct ddb_key_schema *ks,
                       const struct ddb_item *item, const struct ddb_value **pk,
                       const struct ddb_value **sk, struct ddb_error *err) DDB_MUST_CHECK;

/* The item of only the key attributes of item (LastEvaluatedKey). */
void ddb_item_key_of(struct ddb_arena *a, const struct ddb_key_schema *ks,
                     const struct ddb_item *item, struct ddb_item *out);

/* Reads ExpressionAttributeNames / ExpressionAttributeValues into a
 * placeholder context (shared with Query and Scan). */
int ddb_input_expr_maps(struct ddb_arena *a, const struct ddb_json *body, bool have_expressions,
                        const char *values_null_msg, struct ddb_expr_ctx *cx,
                        struct ddb_error *err) DDB_MUST_CHECK;

/* An optional expression member: *present false when absent. */
int ddb_input_expr_text(struct ddb_arena *a, const struct ddb_json *body, const char *member,
                        ddb_slice *text, bool *present, struct ddb_error *err) DDB_MUST_CHECK;

#endif
