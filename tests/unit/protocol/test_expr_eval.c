/* Evaluation: conditions with DynamoDB's type rules, updates, projection. */
#include "tests/unit/harness.h"
#include "tests/unit/protocol/test_expr_common.h"

#include "protocol/expr_int.h"

static struct ddb_arena A;

/* The item used throughout:
 * {pk:"k", a:{b:[1, {c:"x", d:2}], e:"y"}, n:3, s:"str", l:[1], ss:{"a","b"}, t:true, z:NULL} */
static struct ddb_item item(void)
{
    static struct ddb_value l_b[2], l[1], ss[2];
    static struct ddb_attr inner[2], a_m[2], attrs[8];
    inner[0] = (struct ddb_attr){DDB_SLICE_LIT("c"), tv_str("x")};
    inner[1] = (struct ddb_attr){DDB_SLICE_LIT("d"), tv_num("2")};
    l_b[0] = tv_num("1");
    l_b[1] = (struct ddb_value){.type = DDB_T_M, .count = 2, .u.members = inner};
    a_m[0] = (struct ddb_attr){DDB_SLICE_LIT("b"), {.type = DDB_T_L, .count = 2, .u.elems = l_b}};
    a_m[1] = (struct ddb_attr){DDB_SLICE_LIT("e"), tv_str("y")};
    l[0] = tv_num("1");
    ss[0] = tv_str("a");
    ss[1] = tv_str("b");
    attrs[0] = (struct ddb_attr){DDB_SLICE_LIT("pk"), tv_str("k")};
    attrs[1] = (struct ddb_attr){DDB_SLICE_LIT("a"), {.type = DDB_T_M, .count = 2, .u.members = a_m}};
    attrs[2] = (struct ddb_attr){DDB_SLICE_LIT("n"), tv_num("3")};
    attrs[3] = (struct ddb_attr){DDB_SLICE_LIT("s"), tv_str("str")};
    attrs[4] = (struct ddb_attr){DDB_SLICE_LIT("l"), {.type = DDB_T_L, .count = 1, .u.elems = l}};
    attrs[5] = (struct ddb_attr){DDB_SLICE_LIT("ss"), {.type = DDB_T_SS, .count = 2, .u.elems = ss}};
    attrs[6] = (struct ddb_attr){DDB_SLICE_LIT("t"), tv_bool(true)};
    attrs[7] = (struct ddb_attr){DDB_SLICE_LIT("z"), {.type = DDB_T_NULL}};
    return (struct ddb_item){8, attrs};
}

/* 1 true, 0 false, -1 parse error */
static int cond(const char *text, const struct ddb_item *it)
{
    struct ddb_expr_ctx cx;
    t_ctx(&cx, &A);
    struct ddb_error err;
    struct ddb_expr_node *n;
    if (ddb_expr_parse_condition(&cx, DDB_EXPR_CONDITION, ddb_slice_cstr(text), &n, &err) != 0) {
        printf("#   parse: %s: %s\n", text, err.message);
        return -1;
    }
    bool r;
    if (ddb_expr_eval_condition(n, it, &r, &A, &err) != 0)
        return -1;
    return r;
}

#define T(text) CHECK_EQ_INT(cond(text, &it), 1)
#define F(text) CHECK_EQ_INT(cond(text, &it), 0)

TEST(comparisons_and_types)
{
    struct ddb_item it = item();
    T("n = :m OR n = n2 OR n < :m");
    T("n > :n");
    T("n >= :n");
    F("n <= :n");
    T("s = :s OR s > :v OR s < :v"); /* "str" < "x" */
    T("s < :v");
    F("s = :v");
    T("s <> :v");
    F("n = :s");  /* 3 vs "1": different types are never equal */
    T("n <> :s");
    F("n < :s");  /* and never ordered */
    F("n > :s");
    F(":n < :s");
    T(":n < :m");
    F("gone = :v");
    T("gone <> :v"); /* a gone operand is not equal */
    F("gone < :v");
    F("gone >= :v");
    T("a.b[0] = :n");
    T("a.b[1].c = :x OR a.b[1].c = :v");
    T("a.b[1].d > :n");
    F("a.b[2] = :n");
    F("a.e[0] = :n");
    F("s.x = :v");
    T("#a.e = :v OR #a.e <> :v");
    T("t = :t");
    F("t <> :t");
    T("z = :nul");
    T("l = l2 OR NOT l = l2");
}

TEST(logic_and_precedence)
{
    struct ddb_item it = item();
    T("n = :n OR n > :n AND s = :v OR n = :m OR s = :s OR n < :m");
    F("n = :n OR n > :n AND s = :v"); /* AND binds tighter: F OR (T AND F) */
    T("(n = :n OR n > :n) AND s <> :v");
    T("NOT n = :n");
    F("NOT n > :n");
    T("NOT NOT n > :n");
    F("NOT n > :n AND n > :n"); /* (NOT T) AND T */
    T("NOT (n > :n AND s = :v)");
    T("attribute_exists(n) AND attribute_not_exists(gone)");
    F("attribute_exists(gone)");
    T("attribute_exists(a.b[1].c) AND attribute_not_exists(a.b[1].q) AND attribute_not_exists(a.b[5])");
}

TEST(between_in_functions)
{
    struct ddb_item it = item();
    T("n BETWEEN :n AND :m");
    F("n BETWEEN :m AND :m");
    /* the first operand must differ from the others (DynamoDB Local measured) */
    CHECK_EQ_INT(cond("n BETWEEN n AND :m", &it), -1);
    T("n BETWEEN a.b[0] AND :m");
    F("n BETWEEN a.b[0] AND a.b[1].d");
    F("s BETWEEN :n AND :m");
    CHECK_EQ_INT(cond("n IN (:v, :m, :n, n)", &it), -1);
    F("n IN (:v, :m, :n, a.b[1].d)");
    T("a.b[0] IN (:v, n, :n)");
    F("a.b[1].d IN (n)");
    F("n IN (:v, :m, :n)");
    F("s IN (:v, :s, a.e)");
    CHECK_EQ_INT(cond("a.e IN (s, a.e)", &it), -1);
    T("begins_with(s, :e)");
    F("begins_with(s, :x)");
    T("begins_with(a.e, a.e)");
    F("begins_with(n, :v)");
    T("contains(s, :e)");
    T("contains(ss, s2) OR contains(ss, a.e) OR contains(l, :n)");
    F("contains(ss, :v)");
    F("contains(n, :n)");
    T("contains(l, :n)");
    T("attribute_type(t, :ty)");
    F("attribute_type(s, :ty)");
    T("size(s) = :m OR size(s) > :n");
    T("size(ss) > :n AND size(l) = :n AND size(a) > :n AND size(a.b) > :n");
    F("size(n) = :n");
    F("size(gone) = :n");
}

TEST(absent_item_is_empty)
{
    struct ddb_item empty = {0, NULL};
    CHECK_EQ_INT(cond("attribute_not_exists(pk)", NULL), 1);
    CHECK_EQ_INT(cond("attribute_exists(pk)", NULL), 0);
    CHECK_EQ_INT(cond("pk = :v", NULL), 0);
    CHECK_EQ_INT(cond("pk <> :v", &empty), 1);
    CHECK_EQ_INT(cond("NOT pk = :v", NULL), 1);
}

/* ---- updates ---- */

static int update(const char *text, const struct ddb_item *old, struct ddb_item *out, const char **msg)
{
    struct ddb_expr_ctx cx;
    t_ctx(&cx, &A);
    struct ddb_error err;
    struct ddb_update *u;
    *msg = NULL;
    if (ddb_expr_parse_update(&cx, ddb_slice_cstr(text), &u, &err) != 0) {
        *msg = err.message;
        return -1;
    }
    ddb_slice keys[] = {DDB_SLICE_LIT("pk")};
    if (ddb_expr_update_apply(u, old, keys, 1, &A, out, &err) != 0) {
        *msg = err.message;
        return -1;
    }
    return 0;
}

static const struct ddb_value *get(const struct ddb_item *it, const char *path_text)
{
    struct ddb_expr_ctx cx;
    t_ctx(&cx, &A);
    struct ddb_error err;
    struct ddb_projection *p;
    if (ddb_expr_parse_projection(&cx, ddb_slice_cstr(path_text), &p, &err) != 0)
        return NULL;
    return ddb_path_get(it, &p->paths[0]);
}

static bool is_num(const struct ddb_value *v, const char *text)
{
    struct ddb_value want = tv_num(text);
    return v != NULL && v->type == DDB_T_N && ddb_decimal_cmp(&v->u.num, &want.u.num) == 0;
}

static bool is_str(const struct ddb_value *v, const char *s)
{
    return v != NULL && v->type == DDB_T_S && ddb_slice_eq_cstr(v->u.str, s);
}

TEST(update_set_remove)
{
    struct ddb_item it = item(), out;
    const char *msg;
    CHECK(update("SET x1 = :n, s = :v REMOVE l, gone", &it, &out, &msg) == 0);
    CHECK(is_num(get(&out, "x1"), "1"));
    CHECK(is_str(get(&out, "s"), "x"));
    CHECK(get(&out, "l") == NULL);
    CHECK_EQ_INT(out.count, 8);
    CHECK(is_str(get(&it, "s"), "str")); /* the old image is untouched */
    CHECK(get(&it, "l") != NULL);

    CHECK(update("SET x1 = n + :m, x2 = n - :m, x3 = :n + :n", &it, &out, &msg) == 0);
    CHECK(is_num(get(&out, "x1"), "8"));
    CHECK(is_num(get(&out, "x2"), "-2"));
    CHECK(is_num(get(&out, "x3"), "2"));

    CHECK(update("SET n = n + :n, x = n", &it, &out, &msg) == 0); /* both from the old image */
    CHECK(is_num(get(&out, "n"), "4"));
    CHECK(is_num(get(&out, "x"), "3"));

    CHECK(update("SET x1 = if_not_exists(gone, :n), x2 = if_not_exists(s, :n)", &it, &out, &msg) == 0);
    CHECK(is_num(get(&out, "x1"), "1"));
    CHECK(is_str(get(&out, "x2"), "str"));
    CHECK(update("SET l = list_append(l, :l), x = list_append(:l, l)", &it, &out, &msg) == 0);
    CHECK(get(&out, "l") && get(&out, "l")->count == 3 && is_num(get(&out, "l[0]"), "1") && is_str(get(&out, "l[1]"), "q"));
    CHECK(is_str(get(&out, "x[0]"), "q") && is_num(get(&out, "x[2]"), "1"));

    /* nested paths */
    CHECK(update("SET a.b[1].c = :n, a.f = :v, a.b[9] = :m REMOVE a.e", &it, &out, &msg) == 0);
    CHECK(is_num(get(&out, "a.b[1].c"), "1"));
    CHECK(is_str(get(&out, "a.f"), "x"));
    CHECK(is_num(get(&out, "a.b[2]"), "5")); /* past the end: appended */
    CHECK(get(&out, "a.e") == NULL);
    CHECK(is_str(get(&it, "a.b[1].c"), "x"));
    CHECK(update("REMOVE a.b[0], a.b[1]", &it, &out, &msg) == 0);
    CHECK(get(&out, "a.b") && get(&out, "a.b")->count == 0);
    CHECK(update("SET a.b[0] = :m REMOVE a.b[1]", &it, &out, &msg) == 0);
    CHECK(get(&out, "a.b")->count == 1 && is_num(get(&out, "a.b[0]"), "5"));
    CHECK(update("REMOVE a.b[9]", &it, &out, &msg) == 0);
    CHECK(get(&out, "a.b")->count == 2);

    /* creating on an absent item */
    CHECK(update("SET x = :v", NULL, &out, &msg) == 0);
    CHECK(out.count == 1 && is_str(get(&out, "x"), "x"));
}

TEST(update_errors)
{
    struct ddb_item it = item(), out;
    const char *msg;
    CHECK(update("SET pk = :v", &it, &out, &msg) == -1);
    CHECK_EQ_STR(msg, "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key");
    CHECK(update("REMOVE #pk", &it, &out, &msg) == -1);
    CHECK_EQ_STR(msg, "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key");
    CHECK(update("SET pk.x = :v", &it, &out, &msg) == -1);
    CHECK(update("SET x1 = s + :n", &it, &out, &msg) == -1);
    CHECK_EQ_STR(msg, "An operand in the update expression has an incorrect data type");
    CHECK(update("SET x1 = gone + :n", &it, &out, &msg) == -1);
    CHECK_EQ_STR(msg, "The provided expression refers to an attribute that does not exist in the item");
    CHECK(update("SET x1 = list_append(gone, :l)", &it, &out, &msg) == -1);
    CHECK_EQ_STR(msg, "The provided expression refers to an attribute that does not exist in the item");
    CHECK(update("SET a.zz.y = :n", &it, &out, &msg) == -1);
    CHECK_EQ_STR(msg, "The document path provided in the update expression is invalid for update");
    CHECK(update("SET zz.y = :n", &it, &out, &msg) == -1);
    CHECK_EQ_STR(msg, "The document path provided in the update expression is invalid for update");
    CHECK(update("SET a.b[0].c = :n", &it, &out, &msg) == -1);
    CHECK_EQ_STR(msg, "The document path provided in the update expression is invalid for update");
    CHECK(update("SET a[0] = :n", &it, &out, &msg) == -1);
    CHECK_EQ_STR(msg, "The document path provided in the update expression is invalid for update");
    CHECK(update("REMOVE zz.y", &it, &out, &msg) == -1);
    CHECK_EQ_STR(msg, "The document path provided in the update expression is invalid for update");
    CHECK(update("ADD s :n", &it, &out, &msg) == -1);
    CHECK_EQ_STR(msg, "An operand in the update expression has an incorrect data type");
    /* DELETE of a missing attribute is a no-op only when its parent exists */
    CHECK(update("DELETE zz.y :ss", &it, &out, &msg) == -1);
    CHECK_EQ_STR(msg, "The document path provided in the update expression is invalid for update");
    CHECK(update("DELETE a.zz :ss", &it, &out, &msg) == 0);
    CHECK(update("DELETE s.zz :ss", &it, &out, &msg) == -1);
    CHECK(update("DELETE a.b[7] :ss", &it, &out, &msg) == 0);
    CHECK(update("DELETE a.e[0] :ss", &it, &out, &msg) == -1);
}

TEST(update_number_limits)
{
    struct ddb_item it = item(), out;
    const char *msg;
    /* a sum needing more than 38 digits: DynamoDB Local's words */
    struct ddb_value big = tv_num("12345678901234567890123456789012345678");
    struct ddb_attr attrs[1] = {{DDB_SLICE_LIT("big"), big}};
    struct ddb_item bi = {1, attrs};
    CHECK(update("SET x = big + :n", &bi, &out, &msg) == 0);
    CHECK(is_num(get(&out, "x"), "12345678901234567890123456789012345679"));
    CHECK(update("SET x = big + :e", &bi, &out, &msg) == -1); /* :e is S */
    CHECK(update("ADD big :n", &bi, &out, &msg) == 0);
    struct ddb_value tenth = tv_num("1E-1");
    struct ddb_attr a2[2] = {{DDB_SLICE_LIT("big"), big}, {DDB_SLICE_LIT("t"), tenth}};
    struct ddb_item bi2 = {2, a2};
    CHECK(update("SET x = big + t", &bi2, &out, &msg) == -1);
    CHECK_EQ_STR(msg, "DynamoDB only supports precision up to 38 digits");
    CHECK(update("ADD big :n", &it, &out, &msg) == 0);
}

TEST(update_add_delete)
{
    struct ddb_item it = item(), out;
    const char *msg;
    CHECK(update("ADD n :m, x :n, ss :ss", &it, &out, &msg) == 0);
    CHECK(is_num(get(&out, "n"), "8"));
    CHECK(is_num(get(&out, "x"), "1"));
    CHECK(get(&out, "ss")->count == 4);
    CHECK(update("DELETE ss :ss", &it, &out, &msg) == 0);
    CHECK(get(&out, "ss")->count == 2);
    CHECK(update("ADD ss :ss", &it, &out, &msg) == 0);
    struct ddb_item it2 = out;
    CHECK(update("DELETE ss :ss", &it2, &out, &msg) == 0);
    CHECK(get(&out, "ss")->count == 2);
    CHECK(update("DELETE gone :ss", &it, &out, &msg) == 0);
    CHECK(get(&out, "gone") == NULL);
}

TEST(update_delete_everything_removes)
{
    struct ddb_item out, it;
    const char *msg;
    CHECK(update("SET ss = :ss", NULL, &it, &msg) == 0);
    CHECK(update("DELETE ss :ss", &it, &out, &msg) == 0);
    CHECK_EQ_INT(out.count, 0);
}

TEST(update_list_appends_by_ascending_index)
{
    struct ddb_item it = item(), out;
    const char *msg;
    /* l is [1]: three writes past its end land in index order, not text order */
    CHECK(update("SET l[84] = :v, l[37] = :m, l[17] = :n", &it, &out, &msg) == 0);
    CHECK(get(&out, "l") && get(&out, "l")->count == 4);
    CHECK(is_num(get(&out, "l[0]"), "1"));
    CHECK(is_num(get(&out, "l[1]"), "1"));
    CHECK(is_num(get(&out, "l[2]"), "5"));
    CHECK(is_str(get(&out, "l[3]"), "x"));
    /* a replaced element keeps its place; appends still by index */
    CHECK(update("SET a.b[5] = :v, a.b[0] = :s, a.b[3] = :m", &it, &out, &msg) == 0);
    CHECK(get(&out, "a.b") && get(&out, "a.b")->count == 4);
    CHECK(is_str(get(&out, "a.b[0]"), "1"));
    CHECK(is_num(get(&out, "a.b[2]"), "5"));
    CHECK(is_str(get(&out, "a.b[3]"), "x"));
    /* removes come last, after the appends (DynamoDB Local 3.3.1) */
    CHECK(update("REMOVE l[0] SET l[9] = :v, l[4] = :m", &it, &out, &msg) == 0);
    CHECK(get(&out, "l") && get(&out, "l")->count == 2);
    CHECK(is_num(get(&out, "l[0]"), "5"));
    CHECK(is_str(get(&out, "l[1]"), "x"));
}

/* Whether text's update only removes. */
static bool only_removes(const char *text)
{
    struct ddb_expr_ctx cx;
    t_ctx(&cx, &A);
    struct ddb_error err;
    struct ddb_update *u;
    if (ddb_expr_parse_update(&cx, ddb_slice_cstr(text), &u, &err) != 0) {
        printf("#   %s\n", err.message);
        abort();
    }
    return ddb_expr_update_only_removes(u);
}

TEST(update_only_removes)
{
    CHECK(only_removes("REMOVE x"));
    CHECK(only_removes("REMOVE x, a.b[1]"));
    CHECK(only_removes("DELETE ss :ss"));
    CHECK(only_removes("REMOVE x DELETE ss :ss"));
    CHECK(!only_removes("REMOVE x SET y = :v"));
    CHECK(!only_removes("ADD n :m"));
    CHECK(!only_removes("SET y = :v"));
    CHECK(!only_removes("DELETE ss :ss ADD n :m"));
    CHECK(!ddb_expr_update_only_removes(NULL));
    struct ddb_update none = {0, NULL};
    CHECK(!ddb_expr_update_only_removes(&none));
}

/* ---- projection ---- */

static struct ddb_item project(const char *text, const struct ddb_item *it)
{
    struct ddb_expr_ctx cx;
    t_ctx(&cx, &A);
    struct ddb_error err;
    struct ddb_projection *p;
    struct ddb_item out = {0, NULL};
    if (ddb_expr_parse_projection(&cx, ddb_slice_cstr(text), &p, &err) != 0) {
        printf("#   %s\n", err.message);
        return out;
    }
    ddb_projection_apply(p, it, &A, &out);
    return out;
}

TEST(projection)
{
    struct ddb_item it = item();
    struct ddb_item o = project("n, s, gone", &it);
    CHECK_EQ_INT(o.count, 2);
    CHECK(is_num(get(&o, "n"), "3") && is_str(get(&o, "s"), "str"));
    o = project("a.b[1].c, n", &it);
    CHECK_EQ_INT(o.count, 2);
    CHECK(get(&o, "a")->count == 1 && get(&o, "a.b")->count == 1);
    CHECK(is_str(get(&o, "a.b[0].c"), "x"));
    CHECK(get(&o, "a.b[0]")->count == 1); /* only c */
    o = project("a.b[1], a.b[0]", &it);    /* list order kept */
    CHECK(get(&o, "a.b")->count == 2 && is_num(get(&o, "a.b[0]"), "1"));
    o = project("a.e, a.b[1].d", &it);
    CHECK(get(&o, "a")->count == 2 && is_str(get(&o, "a.e"), "y") && is_num(get(&o, "a.b[0].d"), "2"));
    o = project("n[0], a.b.c, a.b[5], s.x", &it);
    CHECK_EQ_INT(o.count, 0);
    o = project("#a.e", &it);
    CHECK(is_str(get(&o, "a.e"), "y"));
    o = project("n", NULL);
    CHECK_EQ_INT(o.count, 0);
}

TEST(value_equality)
{
    struct ddb_value x = tv_num("1.50"), y = tv_num("1.5");
    CHECK(ddb_value_equal(&x, &y));
    struct ddb_value e1[] = {tv_str("a"), tv_str("b")}, e2[] = {tv_str("b"), tv_str("a")};
    struct ddb_value s1 = {.type = DDB_T_SS, .count = 2, .u.elems = e1};
    struct ddb_value s2 = {.type = DDB_T_SS, .count = 2, .u.elems = e2};
    CHECK(ddb_value_equal(&s1, &s2));
    struct ddb_value l1 = {.type = DDB_T_L, .count = 2, .u.elems = e1};
    struct ddb_value l2 = {.type = DDB_T_L, .count = 2, .u.elems = e2};
    CHECK(!ddb_value_equal(&l1, &l2));
    CHECK(!ddb_value_equal(&s1, &l1));
}
