/*
 * value_json.h: AttributeValues and items between the wire JSON and the value
 * model (value.h), with DynamoDB's validation and its exact messages.
 *
 * Reading runs in two passes, as DynamoDB does:
 *  1. Deserialization (ddb_value_json_check): the JSON shape of every
 *     AttributeValue in the tree: {"S": 5}, {"SS": "x"}, {"BOOL": "true"},
 *     {"M": []}, an AttributeValue that is a string or array, bad base64 ...
 *     Failures are DDB_ERR_SERIALIZATION with the service's messages
 *     ("NUMBER_VALUE cannot be converted to String", "Unexpected field type",
 *     "Start of structure or map found where not expected", ...). In DynamoDB
 *     this pass covers the whole request before any validation, so an op
 *     whose request holds several AttributeValue trees (Key, Item,
 *     ExpressionAttributeValues, Expected, ...) should run
 *     ddb_value_json_check / ddb_item_json_check over all of them first; the
 *     from_json functions also run it on their own input.
 *  2. Validation, attribute by attribute in input order, first error wins:
 *     exactly one type key (JSON null counts as absent; unknown keys are
 *     ignored), numbers (decimal.h), NULL must be true, sets non-empty and
 *     without duplicates (NS compared numerically, BS by decoded bytes),
 *     null members, empty attribute names, nesting. Failures are
 *     DDB_ERR_VALIDATION.
 * See protocol/MESSAGES-values.md for every message and the request that
 * produced it.
 *
 * Error context: the message in *err is the core message DynamoDB uses when
 * the value is in Item, Key, Expected, AttributeUpdates, KeyConditions or
 * BatchWrite/TransactWrite items (no prefix). Inside ExpressionAttributeValues
 * DynamoDB wraps validation messages; call ddb_value_error_in_eav() there.
 *
 * Nesting: an item counts as one level and DynamoDB allows 32, so a value
 * inside an item may hold 31 nested M/L levels and a standalone value (an
 * ExpressionAttributeValues entry) 32. (An update that then nests a 32-level
 * value one level deeper fails in the op layer with the bare "Nesting Levels
 * have exceeded supported limits".)
 *
 * Ownership: results live in arena a; S values and names point into the JSON
 * DOM (so into the request body), B values into decoded copies in a.
 * Thread safety: none needed; no global state.
 */
#ifndef DDB_VALUE_JSON_H
#define DDB_VALUE_JSON_H

#include "error.h"
#include "json.h"
#include "value.h"

/* Pass 1 alone over one AttributeValue position (a value in an Item, M,
 * L or ExpressionAttributeValues) / over an item object. 0 or -1 with a
 * DDB_ERR_SERIALIZATION error (message in a). */
int ddb_value_json_check(struct ddb_arena *a, const struct ddb_json *j, struct ddb_error *err)
    DDB_MUST_CHECK;
int ddb_item_json_check(struct ddb_arena *a, const struct ddb_json *obj, struct ddb_error *err)
    DDB_MUST_CHECK;

/* A standalone AttributeValue (up to 32 nested M/L levels). */
int ddb_value_from_json(struct ddb_arena *a, const struct ddb_json *j, struct ddb_value *out,
                        struct ddb_error *err) DDB_MUST_CHECK;

/* A map of attribute name to AttributeValue (Item, Key, ...), each value up
 * to 31 nested levels. Does no key-schema checks (op layer). */
int ddb_item_from_json(struct ddb_arena *a, const struct ddb_json *obj, struct ddb_item *out,
                       struct ddb_error *err) DDB_MUST_CHECK;

/* Rewrites a DDB_ERR_VALIDATION error from the functions above for a value
 * at ExpressionAttributeValues[placeholder]:
 * "ExpressionAttributeValues contains invalid value: <msg> for key <placeholder>".
 * Serialization errors are left as they are. Returns -1. */
int ddb_value_error_in_eav(struct ddb_arena *a, struct ddb_error *err, ddb_slice placeholder);

/* Writers: {"S":"..."}, {"N":"<normal text>"}, {"B":"<base64>"}, ... and an
 * item as an object of those. Scratch space comes from the writer's arena. */
void ddb_value_to_json(struct ddb_json_writer *w, const struct ddb_value *v);
void ddb_item_to_json(struct ddb_json_writer *w, const struct ddb_item *item);

#endif
