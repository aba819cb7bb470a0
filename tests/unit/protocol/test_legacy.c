/* Unit tests for protocol/legacy.c: each legacy operator's translation, checked by
 * evaluating the resulting AST against an item, and the validation messages
 * (DynamoDB Local 3.3.1, protocol/MESSAGES-legacy.md). */
#include "harness.h"
#include "protocol/legacy.h"
#include "protocol/value_json.h"

static struct ddb_json *js(struct ddb_arena *a, const char *text)
{
    struct ddb_json *j = NULL;
    struct ddb_json_error je;
    if (ddb_json_parse(a, text, strlen(text), &j, &je) != 0)
        printf("#   bad test JSON: %s\n", text);
    return j;
}

static const char item_text[] =
    "{\"pk\":{\"S\":\"a\"},\"n\":{\"N\":\"5\"},\"s\":{\"S\":\"hello\"},\"ss\":{\"SS\":[\"x\",\"y\"]},"
    "\"l\":{\"L\":[{\"S\":\"x\"},{\"N\":\"1\"}]},\"nu\":{\"NULL\":true},\"m\":{\"M\":{}}}";

/* Translates map (an Expected object) and evaluates it on the item: 1 true,
 * 0 false, -1 a validation error whose message is want_msg (-3 when it is
 * another message). */
static int expected(const char *map, const char *want_msg)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_item item;
    struct ddb_error err;
    int rc = -2;
    struct ddb_expr_node *n;
    if (ddb_item_from_json(&a, js(&a, item_text), &item, &err) != 0)
        goto out;
    if (ddb_legacy_conditions(&a, DDB_LEGACY_EXPECTED, js(&a, map), false, &n, &err) != 0) {
        rc = want_msg != NULL && strcmp(err.message, want_msg) == 0 ? -1 : -3;
        if (rc == -3)
            printf("#   %s: got \"%s\"\n", map, err.message);
        goto out;
    }
    bool r = true;
    if (n != NULL && ddb_expr_eval_condition(n, &item, &r, &a, &err) != 0)
        goto out;
    rc = r;
out:
    ddb_arena_release(&a);
    return rc;
}

#define EXPECT(map, want) CHECK_EQ_INT(expected(map, NULL), want)
#define EXPECT_ERR(map, text) CHECK_EQ_INT(expected(map, text), -1)
#define C(attr, op, avl) "{\"" attr "\":{\"ComparisonOperator\":\"" op "\",\"AttributeValueList\":[" avl "]}}"
#define NV(x) "{\"N\":\"" x "\"}"
#define SV(x) "{\"S\":\"" x "\"}"
#define INV "One or more parameter values were invalid: "

TEST(each_operator_translates)
{
    EXPECT(C("n", "EQ", NV("5")), 1);
    EXPECT(C("zz", "EQ", NV("5")), 0);
    EXPECT(C("n", "NE", NV("5")), 0);
    EXPECT(C("zz", "NE", NV("5")), 1); /* absent: not equal */
    EXPECT(C("n", "LE", NV("5")), 1);
    EXPECT(C("n", "LT", NV("5")), 0);
    EXPECT(C("n", "GE", NV("6")), 0);
    EXPECT(C("s", "GT", SV("a")), 1);
    EXPECT(C("s", "GT", NV("1")), 0);
    EXPECT(C("n", "NOT_NULL", ""), 1);
    EXPECT(C("zz", "NOT_NULL", ""), 0);
    EXPECT(C("zz", "NULL", ""), 1);
    EXPECT(C("nu", "NULL", ""), 0);
    EXPECT(C("ss", "CONTAINS", SV("x")), 1);
    EXPECT(C("s", "CONTAINS", SV("ell")), 1);
    EXPECT(C("l", "CONTAINS", NV("1")), 1);
    EXPECT(C("m", "CONTAINS", SV("x")), 0);
    EXPECT(C("ss", "NOT_CONTAINS", SV("x")), 0);
    EXPECT(C("ss", "NOT_CONTAINS", SV("q")), 1);
    EXPECT(C("zz", "NOT_CONTAINS", SV("q")), 0); /* absent: false */
    EXPECT(C("s", "BEGINS_WITH", SV("he")), 1);
    EXPECT(C("ss", "BEGINS_WITH", SV("x")), 0);
    EXPECT(C("n", "IN", NV("1") "," NV("5")), 1);
    EXPECT(C("n", "IN", NV("1")), 0);
    EXPECT(C("n", "BETWEEN", NV("1") "," NV("5")), 1);
    EXPECT(C("n", "BETWEEN", NV("6") "," NV("9")), 0);
}

TEST(legacy_forms_and_conditional_operator)
{
    EXPECT("{\"n\":{\"Value\":" NV("5") "}}", 1);
    EXPECT("{\"n\":{\"Exists\":true,\"Value\":" NV("6") "}}", 0);
    EXPECT("{\"zz\":{\"Exists\":false}}", 1);
    EXPECT("{\"n\":{\"Exists\":false}}", 0);
    EXPECT("{\"n\":{\"ComparisonOperator\":\"IN\",\"Value\":" NV("5") "}}", 1);
    EXPECT("{}", 1);
    EXPECT("{\"n\":{\"Value\":" NV("6") "},\"s\":{\"Value\":" SV("hello") "}}", 0); /* AND */
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_error err;
    bool use_or = false;
    struct ddb_json *body = js(&a, "{\"ConditionalOperator\":\"OR\",\"Expected\":{\"a\":{},\"b\":{}}}");
    CHECK_EQ_INT(ddb_legacy_conditional_operator(&a, body, ddb_json_get(body, "Expected"), &use_or, &err), 0);
    CHECK(use_or);
    body = js(&a, "{\"ConditionalOperator\":\"OR\",\"Expected\":{\"a\":{}}}");
    CHECK_EQ_INT(ddb_legacy_conditional_operator(&a, body, ddb_json_get(body, "Expected"), &use_or, &err), -1);
    CHECK_EQ_STR(err.message, "ConditionalOperator can only be used when Filter or Expected has two or more elements");
    body = js(&a, "{\"ConditionalOperator\":\"AND\"}");
    CHECK_EQ_INT(ddb_legacy_conditional_operator(&a, body, NULL, &use_or, &err), -1);
    CHECK_EQ_STR(err.message, "ConditionalOperator cannot be used without Filter or Expected");
    ddb_arena_release(&a);
}

TEST(condition_errors)
{
    EXPECT_ERR(C("n", "EQ", ""), INV "Invalid number of argument(s) for the EQ ComparisonOperator");
    EXPECT_ERR(C("n", "NULL", NV("1")), INV "Invalid number of argument(s) for the NULL ComparisonOperator");
    EXPECT_ERR(C("n", "BETWEEN", NV("1")), INV "Invalid number of argument(s) for the BETWEEN ComparisonOperator");
    EXPECT_ERR(C("n", "IN", ""), INV "Invalid number of argument(s) for the IN ComparisonOperator");
    EXPECT_ERR(C("n", "LT", "{\"BOOL\":true}"), INV "ComparisonOperator LT is not valid for BOOL AttributeValue type");
    EXPECT_ERR(C("n", "CONTAINS", "{\"SS\":[\"a\"]}"), INV "ComparisonOperator CONTAINS is not valid for SS AttributeValue type");
    EXPECT_ERR(C("n", "BEGINS_WITH", NV("1")), INV "ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type");
    EXPECT_ERR(C("n", "IN", SV("a") "," NV("1")), INV "AttributeValues inside AttributeValueList must be of same type");
    EXPECT_ERR(C("n", "BETWEEN", NV("3") "," NV("1")),
               "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound");
    EXPECT_ERR(C("n", "XX", NV("1")), "Comparison type does not exist in DynamoDB");
    EXPECT_ERR("{\"n\":{\"ComparisonOperator\":\"XX\"}}",
               INV "Value or AttributeValueList must be used with ComparisonOperator: XX for Attribute: n");
    EXPECT_ERR("{\"n\":{\"Exists\":true}}", INV "Value must be provided when Exists is true for Attribute: n");
    EXPECT_ERR("{\"n\":{}}", INV "Value must be provided when Exists is null for Attribute: n");
    EXPECT_ERR("{\"n\":{\"Exists\":false,\"Value\":" NV("1") "}}", INV "Value cannot be used when Exists is false for Attribute: n");
    EXPECT_ERR("{\"n\":{\"Exists\":true,\"ComparisonOperator\":\"NULL\"}}",
               INV "Exists and ComparisonOperator cannot be used together for Attribute: n");
    EXPECT_ERR("{\"n\":{\"Value\":" NV("1") ",\"ComparisonOperator\":\"EQ\",\"AttributeValueList\":[]}}",
               INV "Value and AttributeValueList cannot be used together for Attribute: n");
    EXPECT_ERR("{\"n\":{\"AttributeValueList\":[]}}",
               INV "AttributeValueList can only be used with a ComparisonOperator for Attribute: n");
}

/* Applies AttributeUpdates text to the item: 0 with *out, or -1 with *msg. */
static int updates(struct ddb_arena *a, const char *map, struct ddb_item *out, const char **msg)
{
    struct ddb_item item;
    struct ddb_error err;
    if (ddb_item_from_json(a, js(a, item_text), &item, &err) != 0)
        return -2;
    struct ddb_update *u;
    ddb_slice keys[] = {DDB_SLICE_LIT("pk")};
    if (ddb_legacy_attribute_updates(a, js(a, map), &u, &err) != 0 ||
        ddb_legacy_update_check_types(u, &item, &err) != 0 ||
        ddb_expr_update_apply(u, &item, keys, 1, a, out, &err) != 0) {
        *msg = err.message;
        return -1;
    }
    return 0;
}

TEST(attribute_updates)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_item out;
    const char *msg = NULL;
    CHECK_EQ_INT(updates(&a, "{\"n\":{\"Action\":\"ADD\",\"Value\":" NV("2") "},\"new\":{\"Action\":\"ADD\",\"Value\":" NV("3") "}}", &out, &msg), 0);
    const struct ddb_value *v = ddb_item_get(&out, DDB_SLICE_LIT("n"));
    CHECK(v != NULL && v->type == DDB_T_N && ddb_decimal_cmp(&v->u.num, &(struct ddb_decimal){0}) > 0);
    CHECK(ddb_item_get(&out, DDB_SLICE_LIT("new")) != NULL);
    CHECK_EQ_INT(updates(&a, "{\"l\":{\"Action\":\"ADD\",\"Value\":{\"L\":[" SV("x") "]}},\"l2\":{\"Action\":\"ADD\",\"Value\":{\"L\":[" SV("q") "]}}}", &out, &msg), 0);
    v = ddb_item_get(&out, DDB_SLICE_LIT("l"));
    CHECK(v != NULL && v->type == DDB_T_L && v->count == 3); /* appended, duplicates kept */
    v = ddb_item_get(&out, DDB_SLICE_LIT("l2"));
    CHECK(v != NULL && v->count == 1);
    CHECK_EQ_INT(updates(&a, "{\"n\":{\"Action\":\"DELETE\"},\"s\":{\"Value\":" SV("v") "},"
                             "\"ss\":{\"Action\":\"DELETE\",\"Value\":{\"SS\":[\"x\",\"y\"]}}}", &out, &msg), 0);
    CHECK(ddb_item_get(&out, DDB_SLICE_LIT("n")) == NULL);
    CHECK(ddb_item_get(&out, DDB_SLICE_LIT("ss")) == NULL);
    v = ddb_item_get(&out, DDB_SLICE_LIT("s"));
    CHECK(v != NULL && ddb_slice_eq_cstr(v->u.str, "v"));
    CHECK_EQ_INT(updates(&a, "{\"n\":{\"Action\":\"PUT\"}}", &out, &msg), -1);
    CHECK_EQ_STR(msg, INV "Only DELETE action is allowed when no attribute value is specified");
    CHECK_EQ_INT(updates(&a, "{\"n\":{\"Action\":\"ADD\",\"Value\":" SV("x") "}}", &out, &msg), -1);
    CHECK_EQ_STR(msg, INV "ADD action is not supported for the type STRING");
    CHECK_EQ_INT(updates(&a, "{\"n\":{\"Action\":\"DELETE\",\"Value\":{\"BOOL\":true}}}", &out, &msg), -1);
    CHECK_EQ_STR(msg, INV "DELETE action with value is not supported for the type BOOLEAN");
    CHECK_EQ_INT(updates(&a, "{\"s\":{\"Action\":\"ADD\",\"Value\":{\"L\":[]}}}", &out, &msg), -1);
    CHECK_EQ_STR(msg, "Type mismatch for attribute to update");
    CHECK_EQ_INT(updates(&a, "{\"n\":{\"Action\":\"XX\",\"Value\":" NV("1") "}}", &out, &msg), -1);
    CHECK_EQ_STR(msg, "Member must satisfy enum value set: [ADD, DELETE, PUT]");
    CHECK_EQ_INT(updates(&a, "{\"pk\":{\"Action\":\"DELETE\"}}", &out, &msg), -1);
    CHECK_EQ_STR(msg, INV "Cannot update attribute pk. This attribute is part of the key");
    ddb_arena_release(&a);
}

TEST(attributes_to_get)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_error err;
    struct ddb_projection *p;
    CHECK_EQ_INT(ddb_legacy_attributes_to_get(&a, js(&a, "[\"a.b\",\"c\"]"), &p, &err), 0);
    CHECK(p != NULL && p->count == 2 && p->paths[0].count == 1 && ddb_slice_eq_cstr(p->paths[0].elems[0].name, "a.b"));
    CHECK_EQ_INT(ddb_legacy_attributes_to_get(&a, js(&a, "[]"), &p, &err), 0);
    CHECK(p == NULL);
    CHECK_EQ_INT(ddb_legacy_attributes_to_get(&a, js(&a, "[\"a\",\"a\"]"), &p, &err), -1);
    CHECK_EQ_STR(err.message, "Cannot have two attributes with the same name");
    CHECK_EQ_INT(ddb_legacy_attributes_to_get(&a, js(&a, "[\"\"]"), &p, &err), -1);
    CHECK_EQ_STR(err.message, "Empty attribute name");
    ddb_arena_release(&a);
}

static int keycond(struct ddb_arena *a, const char *map, struct ddb_key_condition *kc, const char **msg)
{
    struct ddb_key_schema ks = {DDB_SLICE_LIT("pk"), DDB_T_S, true, DDB_SLICE_LIT("sk"), DDB_T_N};
    struct ddb_error err;
    if (ddb_legacy_key_conditions(a, js(a, map), &ks, kc, &err) != 0) {
        *msg = err.message;
        return -1;
    }
    return 0;
}

TEST(key_conditions)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_key_condition kc;
    const char *msg = NULL;
#define H "\"pk\":{\"ComparisonOperator\":\"EQ\",\"AttributeValueList\":[" SV("a") "]}"
    CHECK_EQ_INT(keycond(&a, "{" H "}", &kc, &msg), 0);
    CHECK(kc.range_op == DDB_RANGE_NONE && kc.hash_value->type == DDB_T_S);
    static const struct { const char *op; enum ddb_range_op want; } ops[] = {
        {"EQ", DDB_RANGE_EQ}, {"LT", DDB_RANGE_LT}, {"LE", DDB_RANGE_LE}, {"GT", DDB_RANGE_GT}, {"GE", DDB_RANGE_GE},
    };
    for (size_t i = 0; i < DDB_ARRAY_LEN(ops); i++) {
        char buf[256];
        snprintf(buf, sizeof buf, "{\"sk\":{\"ComparisonOperator\":\"%s\",\"AttributeValueList\":[" NV("1") "]}," H "}", ops[i].op);
        CHECK_EQ_INT(keycond(&a, buf, &kc, &msg), 0);
        CHECK_EQ_INT(kc.range_op, ops[i].want);
    }
    CHECK_EQ_INT(keycond(&a, "{" H ",\"sk\":{\"ComparisonOperator\":\"BETWEEN\",\"AttributeValueList\":[" NV("1") "," NV("2") "]}}", &kc, &msg), 0);
    CHECK(kc.range_op == DDB_RANGE_BETWEEN && kc.v2 != NULL);
    CHECK_EQ_INT(keycond(&a, "{}", &kc, &msg), -1);
    CHECK_EQ_STR(msg, "Conditions must be at least length 1");
    CHECK_EQ_INT(keycond(&a, "{" H ",\"sk\":{\"ComparisonOperator\":\"IN\",\"AttributeValueList\":[" NV("1") "]}}", &kc, &msg), -1);
    CHECK_EQ_STR(msg, "Attempted conditional constraint is not an indexable operation");
    CHECK_EQ_INT(keycond(&a, "{" H ",\"sk\":{\"ComparisonOperator\":\"NULL\"}}", &kc, &msg), -1);
    CHECK_EQ_STR(msg, "Only scalar types can be used as Range Key values");
    CHECK_EQ_INT(keycond(&a, "{\"sk\":{\"ComparisonOperator\":\"EQ\",\"AttributeValueList\":[" NV("1") "]}}", &kc, &msg), -1);
    CHECK_EQ_STR(msg, "Query condition missed key schema element: pk");
    CHECK_EQ_INT(keycond(&a, "{" H ",\"v\":{\"ComparisonOperator\":\"EQ\",\"AttributeValueList\":[" NV("1") "]}}", &kc, &msg), -1);
    CHECK_EQ_STR(msg, "Query condition missed key schema element: sk");
    CHECK_EQ_INT(keycond(&a, "{\"pk\":{\"ComparisonOperator\":\"GT\",\"AttributeValueList\":[" SV("a") "]}}", &kc, &msg), -1);
    CHECK_EQ_STR(msg, "Query key condition not supported");
    CHECK_EQ_INT(keycond(&a, "{\"pk\":{\"ComparisonOperator\":\"EQ\",\"AttributeValueList\":[" NV("1") "]}}", &kc, &msg), -1);
    CHECK_EQ_STR(msg, INV "Condition parameter type does not match schema type");
#undef H
    ddb_arena_release(&a);
}

TEST(mixing)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_error err;
    struct ddb_json *body = js(&a, "{\"Expected\":{},\"ConditionExpression\":\"x\",\"ConditionalOperator\":\"OR\"}");
    CHECK_EQ_INT(ddb_legacy_check_mixing(&a, body, DDB_LEGACY_PUT, &err), -1);
    CHECK_EQ_STR(err.message, "Can not use both expression and non-expression parameters in the same request: "
                              "Non-expression parameters: {Expected, ConditionalOperator} Expression parameters: "
                              "{ConditionExpression}");
    body = js(&a, "{\"KeyConditions\":{},\"FilterExpression\":\"x\"}");
    CHECK_EQ_INT(ddb_legacy_check_mixing(&a, body, DDB_LEGACY_QUERY, &err), 0);
    body = js(&a, "{\"Expected\":null,\"ConditionExpression\":\"x\"}");
    CHECK_EQ_INT(ddb_legacy_check_mixing(&a, body, DDB_LEGACY_PUT, &err), 0);
    ddb_arena_release(&a);
}
