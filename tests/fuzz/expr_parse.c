/*
 * Fuzz target: arbitrary text as each kind of expression (the first byte
 * picks the kind), with a fixed set of #names and :values; whatever parses
 * is also evaluated against a fixed item, applied as an update or a
 * projection, so the evaluators see every shape the parser accepts.
 */
#include <stdint.h>
#include <stdlib.h>

#include "protocol/expr.h"
#include "tests/unit/protocol/test_expr_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned kind = data[0] % 5;
    ddb_slice text = ddb_slice_make((const char *)data + 1, size - 1);
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_expr_ctx cx;
    t_ctx(&cx, &a);
    struct ddb_error err;
    /* the item: every fixture value under its name without the ':' */
    struct ddb_attr attrs[DDB_ARRAY_LEN(t_values)];
    for (size_t i = 0; i < DDB_ARRAY_LEN(t_values); i++) {
        attrs[i] = t_values[i];
        attrs[i].name.ptr++;
        attrs[i].name.len--;
    }
    struct ddb_item item = {DDB_ARRAY_LEN(attrs), attrs}, out;
    switch (kind) {
    case 0:
    case 1: {
        struct ddb_expr_node *n;
        if (ddb_expr_parse_condition(&cx, kind ? DDB_EXPR_FILTER : DDB_EXPR_CONDITION, text, &n, &err) == 0) {
            bool r;
            if (ddb_expr_eval_condition(n, &item, &r, &a, &err) != 0 ||
                ddb_expr_eval_condition(n, NULL, &r, &a, &err) != 0)
                abort();
        }
        break;
    }
    case 2: {
        struct ddb_update *u;
        ddb_slice keys[] = {DDB_SLICE_LIT("v")};
        if (ddb_expr_parse_update(&cx, text, &u, &err) == 0) {
            if (ddb_expr_update_apply(u, &item, keys, 1, &a, &out, &err) == 0) {
                struct ddb_item again;
                if (ddb_expr_update_apply(u, &out, keys, 1, &a, &again, &err) != 0 && err.message == NULL)
                    abort();
            }
            if (ddb_expr_update_apply(u, NULL, keys, 0, &a, &out, &err) != 0 && err.message == NULL)
                abort();
        }
        break;
    }
    case 3: {
        struct ddb_projection *p;
        if (ddb_expr_parse_projection(&cx, text, &p, &err) == 0)
            ddb_projection_apply(p, &item, &a, &out);
        break;
    }
    default: {
        struct ddb_keycond_schema ks = {DDB_SLICE_LIT("pk"), DDB_T_S, DDB_SLICE_LIT("sk"), DDB_T_N};
        struct ddb_key_condition kc;
        if (ddb_expr_parse_key_condition(&cx, text, &ks, &kc, &err) == 0 &&
            (kc.hash_value == NULL || (kc.range_op != DDB_RANGE_NONE && kc.v1 == NULL)))
            abort();
        break;
    }
    }
    if (ddb_expr_ctx_check_unused(&cx, &err) != 0 && err.message == NULL)
        abort();
    ddb_arena_release(&a);
    return 0;
}
