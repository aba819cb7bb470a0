/*
 * input.h: reading typed request members out of the JSON DOM.
 *
 * Two layers of DynamoDB's request validation live here:
 *
 * 1. Shape (SerializationException): a member present with the wrong JSON
 *    type is rejected before anything else, with DynamoDB's message, e.g.
 *    "NUMBER_VALUE cannot be converted to String". JSON null counts as absent,
 *    as in DynamoDB.
 *
 * 2. Constraints (ValidationException "N validation error(s) detected: ..."):
 *    DynamoDB checks every member's declared constraints (required, length,
 *    range, enum) and reports all failures in one message, joined by "; ".
 *    struct ddb_vlist collects them; ddb_vlist_finish() turns them into the
 *    error.
 *
 * Lifetime: slices point into the DOM (hence the request); messages into the
 * arena. Thread safety: none needed.
 */
#ifndef DDB_INPUT_H
#define DDB_INPUT_H

#include "buf.h"
#include "error.h"
#include "json.h"

/* The member `key` of obj as a string. Returns 0 with *present false when
 * absent (or null), 0 with *out set when a string, -1 (SERIALIZATION) for
 * any other type. */
int ddb_in_string(struct ddb_arena *a, const struct ddb_json *obj, const char *key,
                  ddb_slice *out, bool *present, struct ddb_error *err) DDB_MUST_CHECK;

/* An integer member (DynamoDB Integer/Long): a JSON number with no fraction
 * and no exponent beyond int64 range is rejected as DynamoDB does. */
int ddb_in_int(struct ddb_arena *a, const struct ddb_json *obj, const char *key, int64_t *out,
               bool *present, struct ddb_error *err) DDB_MUST_CHECK;

int ddb_in_bool(struct ddb_arena *a, const struct ddb_json *obj, const char *key, bool *out,
                bool *present, struct ddb_error *err) DDB_MUST_CHECK;

/* Structure, list and map members: *out is NULL when absent. */
int ddb_in_object(struct ddb_arena *a, const struct ddb_json *obj, const char *key,
                  const struct ddb_json **out, struct ddb_error *err) DDB_MUST_CHECK;
int ddb_in_array(struct ddb_arena *a, const struct ddb_json *obj, const char *key,
                 const struct ddb_json **out, struct ddb_error *err) DDB_MUST_CHECK;

/* The shape check for one value already in hand (list elements, map values):
 * want is the JSON type wanted ("String", "Long", "Boolean", "Structure",
 * "List", "Map" name the DynamoDB type in the message). */
int ddb_in_expect(struct ddb_arena *a, const struct ddb_json *v, enum ddb_json_type want,
                  const char *type_name, struct ddb_error *err) DDB_MUST_CHECK;

/* Constraint violations, collected in DynamoDB's order. */
struct ddb_vlist {
    struct ddb_buf buf;
    int count;
};

void ddb_vlist_init(struct ddb_vlist *v, struct ddb_arena *a);

/* Adds "Value <shown> at '<path>' failed to satisfy constraint: <what>".
 * shown is the value as DynamoDB quotes it: "null" for a missing member, or
 * '<text>' (the caller includes the quotes). */
void ddb_vlist_add(struct ddb_vlist *v, const char *shown, const char *path, const char *what);

/* Formats shown as '<value>' for a slice, an int or a string list. */
const char *ddb_vlist_quote(struct ddb_arena *a, ddb_slice s);
const char *ddb_vlist_quote_int(struct ddb_arena *a, int64_t n);

/* A ProvisionedThroughput member of obj ({ReadCapacityUnits,
 * WriteCapacityUnits}): *present says whether it was given; once given, both
 * are required and at least DDB_MIN_CAPACITY_UNITS, and violations are added
 * to v at "<prefix>.provisionedThroughput.<member>" ("provisionedThroughput.
 * <member>" when prefix is NULL) in DynamoDB's order (write, then read). -1
 * with err set only for a shape error (SerializationException). */
int ddb_in_throughput(struct ddb_arena *a, const struct ddb_json *obj, const char *prefix,
                      struct ddb_vlist *v, bool *present, int64_t *rcu, int64_t *wcu,
                      struct ddb_error *err) DDB_MUST_CHECK;

/* Table and index names (TableName, ExclusiveStartTableName, IndexName):
 * adds the length (3..255) and pattern ([a-zA-Z0-9_.-]+) violations of name
 * at path, in DynamoDB's order. */
void ddb_vlist_check_name(struct ddb_vlist *v, ddb_slice name, const char *path);

/* Whether name satisfies those constraints. */
bool ddb_name_valid(ddb_slice name);

/* "[a, b, c]": names as DynamoDB lists them in messages, in arena a. */
const char *ddb_input_name_list(struct ddb_arena *a, const ddb_slice *names, uint32_t n);

/* 0 when nothing was added; otherwise -1 with the VALIDATION error
 * "1 validation error detected: ..." / "N validation errors detected: ...". */
int ddb_vlist_finish(struct ddb_vlist *v, struct ddb_error *err) DDB_MUST_CHECK;

#endif
