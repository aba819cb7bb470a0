/*
 * legacy.h: DynamoDB's pre-expression ("legacy") parameters, validated with
 * DynamoDB's messages and translated into the expression AST of expr.h, so
 * that evaluation reuses the condition evaluator, the update applier and the
 * projection:
 *
 *   Expected (+ ConditionalOperator)     -> a condition    (struct ddb_expr_node)
 *   QueryFilter / ScanFilter (+ ditto)   -> a filter       (struct ddb_expr_node)
 *   AttributesToGet                      -> a projection   (struct ddb_projection)
 *   AttributeUpdates                     -> an update      (struct ddb_update)
 *   KeyConditions                        -> a key condition (struct ddb_key_condition)
 *
 * Every message was measured on DynamoDB Local 3.3.1: protocol/MESSAGES-legacy.md.
 * Conformance: conformance/python/test_legacy.py; unit: tests/unit/protocol/test_legacy.c.
 *
 * Translation of one condition on attribute `a` (legacy names are literal
 * top-level attribute names, never document paths):
 *   EQ NE LT LE GT GE       a = v, a <> v, ...  (NE is true when a is absent)
 *   NULL / NOT_NULL         attribute_not_exists(a) / attribute_exists(a)
 *   CONTAINS                contains(a, v)
 *   NOT_CONTAINS            attribute_exists(a) AND NOT contains(a, v)
 *                           (false when a is absent, unlike NOT(contains))
 *   BEGINS_WITH             begins_with(a, v)
 *   IN / BETWEEN            a IN (v1, ...), a BETWEEN v1 AND v2
 *   {Value: v} / {Exists: true, Value: v}   a = v
 *   {Exists: false}                         attribute_not_exists(a)
 * The conditions of one map are joined with AND, or OR with ConditionalOperator OR.
 *
 * AttributeUpdates, per attribute (Action defaults to PUT):
 *   PUT v       SET a = v
 *   DELETE      REMOVE a
 *   DELETE set  DELETE a set
 *   ADD N/set   ADD a v          (a missing number or set is created)
 *   ADD list    SET a = list_append(if_not_exists(a, []), v)   (appends)
 * At write time ddb_legacy_update_check_types() must run before
 * ddb_expr_update_apply(): legacy ADD/DELETE against an attribute of another
 * type fail with DynamoDB's legacy message ("Type mismatch for attribute to
 * update"), not the expression one.
 *
 * Ownership: everything is built in arena a; values are parsed from the
 * JSON DOM (S values point into it), so the DOM must outlive the results.
 * Errors: -1 with DDB_ERR_VALIDATION (or SERIALIZATION for wrong JSON types)
 * and DynamoDB's text. Thread safety: none needed; no global state.
 */
#ifndef DDB_LEGACY_H
#define DDB_LEGACY_H

#include "expr.h"
#include "input_item.h"
#include "json.h"
#include "schema.h"

enum ddb_legacy_op {
    DDB_LEGACY_PUT,
    DDB_LEGACY_GET,
    DDB_LEGACY_DELETE,
    DDB_LEGACY_UPDATE,
    DDB_LEGACY_QUERY,
    DDB_LEGACY_SCAN,
};

/* Which condition map is read: Expected takes the Exists/Value forms too;
 * the filters need a ComparisonOperator on every entry. */
enum ddb_legacy_cond_kind {
    DDB_LEGACY_EXPECTED,
    DDB_LEGACY_QUERY_FILTER,
    DDB_LEGACY_SCAN_FILTER,
};

/* "Can not use both expression and non-expression parameters in the same
 * request: Non-expression parameters: {Expected} Expression parameters:
 * {ConditionExpression}" when body holds members of both kinds for op
 * (listed in DynamoDB's order; in a Query, KeyConditions only counts
 * against KeyConditionExpression). A JSON null member counts as absent.
 * Call before ExpressionAttributeNames/Values are read. */
int ddb_legacy_check_mixing(struct ddb_arena *a, const struct ddb_json *body,
                            enum ddb_legacy_op op, struct ddb_error *err) DDB_MUST_CHECK;

/* The ConditionalOperator member of body, checked against its map (Expected,
 * QueryFilter or ScanFilter; NULL when absent): *use_or is true for OR. */
int ddb_legacy_conditional_operator(struct ddb_arena *a, const struct ddb_json *body,
                                    const struct ddb_json *map, bool *use_or,
                                    struct ddb_error *err) DDB_MUST_CHECK;

/* One condition map into one condition; *out is NULL when map is NULL or
 * empty. Entries are checked in document order, each completely (forms,
 * ComparisonOperator, argument count, argument types, BETWEEN bounds). */
int ddb_legacy_conditions(struct ddb_arena *a, enum ddb_legacy_cond_kind kind,
                          const struct ddb_json *map, bool use_or, struct ddb_expr_node **out,
                          struct ddb_error *err) DDB_MUST_CHECK;

/* AttributesToGet (a JSON array, NULL when absent): *out NULL when absent
 * or empty (DynamoDB then returns every attribute). */
int ddb_legacy_attributes_to_get(struct ddb_arena *a, const struct ddb_json *list,
                                 struct ddb_projection **out, struct ddb_error *err)
    DDB_MUST_CHECK;

/* AttributeUpdates (a JSON object, NULL when absent): *out NULL when absent;
 * an empty map is an update with no clauses. */
int ddb_legacy_attribute_updates(struct ddb_arena *a, const struct ddb_json *map,
                                 struct ddb_update **out, struct ddb_error *err) DDB_MUST_CHECK;

/* The write-time type rule of legacy ADD and DELETE against the old image
 * (NULL = no item): "Type mismatch for attribute to update". */
int ddb_legacy_update_check_types(const struct ddb_update *u, const struct ddb_item *old,
                                  struct ddb_error *err) DDB_MUST_CHECK;

/* KeyConditions against the key schema of the table queried: one EQ on the
 * hash key and at most one EQ/LT/LE/GT/GE/BETWEEN/BEGINS_WITH on the range
 * key. map must not be NULL. */
int ddb_legacy_key_conditions(struct ddb_arena *a, const struct ddb_json *map,
                              const struct ddb_key_schema *ks, struct ddb_key_condition *out,
                              struct ddb_error *err) DDB_MUST_CHECK;

/* Glue for ddb_input_item(), called after the expressions were parsed:
 * Expected + ConditionalOperator (Put/Update/DeleteItem; GetItem ignores
 * them, as DynamoDB does), AttributesToGet (GetItem) and AttributeUpdates
 * (UpdateItem) into out->condition / projection / update. Sets
 * out->legacy_update when the update came from AttributeUpdates. */
int ddb_legacy_item_input(struct ddb_arena *a, enum ddb_item_op op, const struct ddb_json *body,
                          struct ddb_item_input *out, struct ddb_error *err) DDB_MUST_CHECK;

/* Glue for Query and Scan (after the table is known; ks is its key schema):
 * QueryFilter/ScanFilter + ConditionalOperator into *filter, AttributesToGet
 * into *projection (with DynamoDB's rules against Select ALL_ATTRIBUTES and
 * COUNT), and for a Query with KeyConditions the key condition into *kc with
 * *has_kc true. Outputs are left untouched when their parameter is absent. */
int ddb_legacy_read_input(struct ddb_arena *a, const struct ddb_json *body, bool is_query,
                          const struct ddb_key_schema *ks, const struct ddb_expr_node **filter,
                          const struct ddb_projection **projection, struct ddb_key_condition *kc,
                          bool *has_kc, struct ddb_error *err) DDB_MUST_CHECK;

#endif
