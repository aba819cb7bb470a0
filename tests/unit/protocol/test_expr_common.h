/* Shared fixtures for the expression tests: one request context with a
 * fixed set of #names and :values (the same set the fuzz target uses). */
#ifndef TEST_EXPR_COMMON_H
#define TEST_EXPR_COMMON_H

#include "protocol/expr.h"

static struct ddb_value tv_num(const char *text)
{
    struct ddb_value v = {.type = DDB_T_N};
    if (ddb_decimal_parse(text, strlen(text), &v.u.num) != DDB_DEC_OK)
        abort();
    return v;
}

static struct ddb_value tv_str(const char *s)
{
    struct ddb_value v = {.type = DDB_T_S};
    v.u.str = ddb_slice_cstr(s);
    return v;
}

static struct ddb_value tv_bool(bool b)
{
    struct ddb_value v = {.type = DDB_T_BOOL};
    v.u.boolean = b;
    return v;
}

static struct ddb_expr_name t_names[] = {
    {DDB_SLICE_LIT("#a"), DDB_SLICE_LIT("a")},
    {DDB_SLICE_LIT("#n"), DDB_SLICE_LIT("name")},
    {DDB_SLICE_LIT("#pk"), DDB_SLICE_LIT("pk")},
    {DDB_SLICE_LIT("#b"), DDB_SLICE_LIT("b")},
    {DDB_SLICE_LIT("#a2"), DDB_SLICE_LIT("a")},
};

static struct ddb_value t_list_elems[2];
static struct ddb_value t_ss_elems[2];
static struct ddb_attr t_values[11];

static void t_values_init(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    t_list_elems[0] = tv_str("q");
    t_list_elems[1] = tv_num("7");
    t_ss_elems[0] = tv_str("c");
    t_ss_elems[1] = tv_str("d");
    struct ddb_value l = {.type = DDB_T_L, .count = 2};
    l.u.elems = t_list_elems;
    struct ddb_value ss = {.type = DDB_T_SS, .count = 2};
    ss.u.elems = t_ss_elems;
    struct ddb_value null = {.type = DDB_T_NULL};
    t_values[0] = (struct ddb_attr){DDB_SLICE_LIT(":v"), tv_str("x")};
    t_values[1] = (struct ddb_attr){DDB_SLICE_LIT(":n"), tv_num("1")};
    t_values[2] = (struct ddb_attr){DDB_SLICE_LIT(":m"), tv_num("5")};
    t_values[3] = (struct ddb_attr){DDB_SLICE_LIT(":s"), tv_str("1")};
    t_values[4] = (struct ddb_attr){DDB_SLICE_LIT(":l"), l};
    t_values[5] = (struct ddb_attr){DDB_SLICE_LIT(":t"), tv_bool(true)};
    t_values[6] = (struct ddb_attr){DDB_SLICE_LIT(":ss"), ss};
    t_values[7] = (struct ddb_attr){DDB_SLICE_LIT(":ty"), tv_str("BOOL")};
    t_values[8] = (struct ddb_attr){DDB_SLICE_LIT(":x"), tv_str("xyz")};
    t_values[9] = (struct ddb_attr){DDB_SLICE_LIT(":nul"), null};
    t_values[10] = (struct ddb_attr){DDB_SLICE_LIT(":e"), tv_str("")};
}

static void t_ctx(struct ddb_expr_ctx *cx, struct ddb_arena *a)
{
    t_values_init();
    ddb_expr_ctx_init(cx, a, t_names, DDB_ARRAY_LEN(t_names), t_values, DDB_ARRAY_LEN(t_values));
}

#endif
