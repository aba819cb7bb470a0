/*
 * Fuzz target: arbitrary bytes as a JSON request body carrying legacy
 * parameters. Whatever parses goes through every translation in
 * protocol/legacy.c (mixing check, Expected and the filters, ConditionalOperator,
 * AttributesToGet, AttributeUpdates, KeyConditions against a fixed schema), and
 * every AST produced is evaluated, applied or projected against a fixed item,
 * with and without an old image.
 */
#include <stdint.h>
#include <stdlib.h>

#include "protocol/legacy.h"
#include "protocol/value_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char item_text[] =
    "{\"pk\":{\"S\":\"a\"},\"n\":{\"N\":\"5\"},\"s\":{\"S\":\"hello\"},\"ss\":{\"SS\":[\"x\",\"y\"]},"
    "\"ns\":{\"NS\":[\"1\"]},\"l\":{\"L\":[{\"S\":\"x\"}]},\"b\":{\"B\":\"AAE=\"},\"nu\":{\"NULL\":true},"
    "\"m\":{\"M\":{\"x\":{\"S\":\"x\"}}}}";

static void conditions(struct ddb_arena *a, const struct ddb_json *body, const char *member,
                       enum ddb_legacy_cond_kind kind, const struct ddb_item *item)
{
    struct ddb_error err;
    const struct ddb_json *map = ddb_json_get(body, member);
    if (map == NULL || map->type != DDB_JSON_OBJECT)
        return;
    bool use_or = false, r;
    if (ddb_legacy_conditional_operator(a, body, map, &use_or, &err) != 0)
        use_or = false;
    struct ddb_expr_node *n;
    if (ddb_legacy_conditions(a, kind, map, use_or, &n, &err) == 0 && n != NULL) {
        if (ddb_expr_eval_condition(n, item, &r, a, &err) != 0 ||
            ddb_expr_eval_condition(n, NULL, &r, a, &err) != 0)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_json *body, *ij;
    struct ddb_json_error je;
    struct ddb_error err;
    struct ddb_item item, out;
    if (ddb_json_parse(&a, item_text, sizeof item_text - 1, &ij, &je) != 0 ||
        ddb_item_from_json(&a, ij, &item, &err) != 0)
        abort();
    if (ddb_json_parse(&a, (const char *)data, size, &body, &je) != 0 ||
        body->type != DDB_JSON_OBJECT)
        goto out;
    for (int op = DDB_LEGACY_PUT; op <= DDB_LEGACY_SCAN; op++)
        (void)!ddb_legacy_check_mixing(&a, body, (enum ddb_legacy_op)op, &err);
    conditions(&a, body, "Expected", DDB_LEGACY_EXPECTED, &item);
    conditions(&a, body, "QueryFilter", DDB_LEGACY_QUERY_FILTER, &item);
    conditions(&a, body, "ScanFilter", DDB_LEGACY_SCAN_FILTER, &item);
    const struct ddb_json *j = ddb_json_get(body, "AttributesToGet");
    struct ddb_projection *p;
    if (j != NULL && j->type == DDB_JSON_ARRAY && ddb_legacy_attributes_to_get(&a, j, &p, &err) == 0 &&
        p != NULL)
        ddb_projection_apply(p, &item, &a, &out);
    j = ddb_json_get(body, "AttributeUpdates");
    struct ddb_update *u;
    ddb_slice keys[] = {DDB_SLICE_LIT("pk")};
    if (j != NULL && j->type == DDB_JSON_OBJECT && ddb_legacy_attribute_updates(&a, j, &u, &err) == 0 &&
        u != NULL) {
        struct ddb_item key = {1, item.attrs};
        for (int k = 0; k < 2; k++) {
            const struct ddb_item *old = k ? &key : &item;
            if (ddb_legacy_update_check_types(u, old, &err) == 0)
                (void)!ddb_expr_update_apply(u, old, keys, 1, &a, &out, &err);
        }
    }
    j = ddb_json_get(body, "KeyConditions");
    if (j != NULL && j->type == DDB_JSON_OBJECT) {
        struct ddb_key_schema ks[2] = {
            {DDB_SLICE_LIT("pk"), DDB_T_S, false, {NULL, 0}, DDB_T_S},
            {DDB_SLICE_LIT("pk"), DDB_T_S, true, DDB_SLICE_LIT("sk"), DDB_T_N},
        };
        struct ddb_key_condition kc;
        for (int k = 0; k < 2; k++)
            if (ddb_legacy_key_conditions(&a, j, &ks[k], &kc, &err) == 0 && kc.hash_value == NULL)
                abort();
    }
    struct ddb_item_input in;
    memset(&in, 0, sizeof in);
    for (int op = DDB_ITEM_PUT; op <= DDB_ITEM_UPDATE; op++)
        (void)!ddb_legacy_item_input(&a, (enum ddb_item_op)op, body, &in, &err);
out:
    ddb_arena_release(&a);
    return 0;
}
