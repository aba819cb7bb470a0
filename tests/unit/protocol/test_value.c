#include "harness.h"
#include "protocol/value_json.h"

static struct ddb_item parse_item(struct ddb_arena *a, const char *text)
{
    struct ddb_json *j;
    struct ddb_json_error je;
    struct ddb_item it = {0, NULL};
    struct ddb_error e;
    if (ddb_json_parse(a, text, strlen(text), &j, &je) != 0 || ddb_item_from_json(a, j, &it, &e) != 0)
        printf("#   cannot build %s\n", text);
    return it;
}

TEST(type_names)
{
    CHECK_EQ_STR(ddb_type_name(DDB_T_S), "S");
    CHECK_EQ_STR(ddb_type_name(DDB_T_NS), "NS");
    CHECK_EQ_STR(ddb_type_name(DDB_T_NULL), "NULL");
    CHECK_EQ_STR(ddb_type_name(DDB_T_BOOL), "BOOL");
    CHECK_EQ_STR(ddb_type_name(DDB_T_M), "M");
}

/* Sizes measured against DynamoDB Local 3.3.1 by bisecting the largest
 * PutItem accepted with {"pk":{"S":"x"},"a":{"S":<n bytes>},"n":<value>}:
 * the value's size is 409600 - 4 - n_max - 1 (name "n"). */
TEST(sizes_match_dynamodb_local)
{
    static const struct {
        const char *av;
        size_t size;
    } cases[] = {
        {"{\"N\":\"1\"}", 2},      {"{\"N\":\"12\"}", 2},      {"{\"N\":\"123\"}", 3},
        {"{\"N\":\"-1\"}", 3},     {"{\"N\":\"1.5\"}", 3},     {"{\"N\":\"0.15\"}", 2},
        {"{\"N\":\"12.345\"}", 4}, {"{\"N\":\"1e100\"}", 2},   {"{\"N\":\"0\"}", 1},
        {"{\"N\":\"99999999999999999999999999999999999999\"}", 20},
        {"{\"N\":\"1e-130\"}", 2}, {"{\"N\":\"11000\"}", 3},   {"{\"N\":\"110\"}", 3},
        {"{\"N\":\"1100\"}", 2},   {"{\"N\":\"0.011\"}", 3},   {"{\"N\":\"0.0011\"}", 2},
        {"{\"N\":\"101.01\"}", 4}, {"{\"N\":\"-0.5\"}", 3},    {"{\"N\":\"9e125\"}", 2},
        {"{\"N\":\"1234567890123456789012345678901234567.8\"}", 21},
        {"{\"N\":\"1.1\"}", 3},    {"{\"N\":\"10.01\"}", 3},   {"{\"N\":\"100.001\"}", 5},
        {"{\"N\":\"0.1\"}", 2},    {"{\"N\":\"-12345678901234567890123456789012345678\"}", 21},
        {"{\"N\":\"-1e-130\"}", 3},
        {"{\"N\":\"1.2345678901234567890123456789012345678e-130\"}", 21},
        {"{\"NULL\":true}", 1},    {"{\"BOOL\":true}", 1},     {"{\"M\":{}}", 3},
        {"{\"L\":[]}", 3},         {"{\"M\":{\"b\":{\"S\":\"z\"}}}", 6},
        {"{\"L\":[{\"S\":\"z\"}]}", 5}, {"{\"L\":[{\"S\":\"z\"},{\"S\":\"z\"}]}", 7},
        {"{\"L\":[{\"NULL\":true}]}", 5}, {"{\"SS\":[\"z\",\"zz\"]}", 3},
        {"{\"NS\":[\"1\",\"12\"]}", 4}, {"{\"BS\":[\"AA==\"]}", 1}, {"{\"S\":\"\"}", 0},
        {"{\"S\":\"\\u00e9\"}", 2}, {"{\"M\":{\"b\":{\"M\":{}}}}", 8},
    };
    struct ddb_arena a;
    ddb_arena_init(&a);
    for (size_t i = 0; i < DDB_ARRAY_LEN(cases); i++) {
        struct ddb_item it = parse_item(&a, ddb_arena_printf(&a, "{\"n\":%s}", cases[i].av));
        if (it.count != 1) {
            CHECK(it.count == 1);
            continue;
        }
        size_t got = ddb_value_size(&it.attrs[0].value);
        if (got != cases[i].size) {
            printf("#   %s: size %zu, want %zu\n", cases[i].av, got, cases[i].size);
            CHECK(got == cases[i].size);
        }
        CHECK_EQ_INT(ddb_item_size(&it), 1 + cases[i].size);
    }
    /* the largest item Local accepts with a 1-byte name and key pk="x" */
    struct ddb_item big = parse_item(&a, "{\"pk\":{\"S\":\"x\"},\"abcde\":{\"S\":\"\"}}");
    CHECK_EQ_INT(ddb_item_size(&big), 2 + 1 + 5);
    ddb_arena_release(&a);
}

TEST(equality)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_item x = parse_item(&a, "{\"ss\":{\"SS\":[\"a\",\"b\",\"c\"]},\"ns\":{\"NS\":[\"1\",\"2.50\"]},"
                                       "\"m\":{\"M\":{\"p\":{\"N\":\"1\"},\"q\":{\"L\":[{\"S\":\"x\"},{\"NULL\":true}]}}},"
                                       "\"bs\":{\"BS\":[\"AA==\",\"AQ==\"]},\"b\":{\"B\":\"AA==\"},\"t\":{\"BOOL\":true}}");
    struct ddb_item y = parse_item(&a, "{\"ss\":{\"SS\":[\"c\",\"a\",\"b\"]},\"ns\":{\"NS\":[\"25e-1\",\"1.0\"]},"
                                       "\"m\":{\"M\":{\"q\":{\"L\":[{\"S\":\"x\"},{\"NULL\":true}]},\"p\":{\"N\":\"1e0\"}}},"
                                       "\"bs\":{\"BS\":[\"AQ==\",\"AA==\"]},\"b\":{\"B\":\"AA==\"},\"t\":{\"BOOL\":true}}");
    struct ddb_item z = parse_item(&a, "{\"ss\":{\"SS\":[\"a\",\"b\",\"d\"]},\"ns\":{\"NS\":[\"1\",\"2.5\",\"3\"]},"
                                       "\"m\":{\"M\":{\"p\":{\"N\":\"1\"},\"q\":{\"L\":[{\"NULL\":true},{\"S\":\"x\"}]}}},"
                                       "\"bs\":{\"BS\":[\"AA==\"]},\"b\":{\"S\":\"AA==\"},\"t\":{\"BOOL\":false}}");
    CHECK_EQ_INT(x.count, 6);
    for (uint32_t i = 0; i < x.count; i++) {
        const struct ddb_value *yv = ddb_item_get(&y, x.attrs[i].name);
        const struct ddb_value *zv = ddb_item_get(&z, x.attrs[i].name);
        CHECK(yv && ddb_value_equal(&x.attrs[i].value, yv));
        CHECK(zv && !ddb_value_equal(&x.attrs[i].value, zv));
        CHECK(ddb_value_equal(&x.attrs[i].value, &x.attrs[i].value));
    }
    CHECK(ddb_item_get(&x, DDB_SLICE_LIT("nope")) == NULL);
    ddb_arena_release(&a);
}

TEST(copy_is_deep)
{
    struct ddb_arena a, b;
    ddb_arena_init(&a);
    ddb_arena_init(&b);
    struct ddb_item x = parse_item(&a, "{\"s\":{\"S\":\"hello\"},\"m\":{\"M\":{\"k\":{\"SS\":[\"a\"]},\"l\":{\"L\":[{\"B\":\"AQ==\"}]}}},\"e\":{\"M\":{}}}");
    struct ddb_item c;
    ddb_item_copy(&b, &x, &c);
    CHECK_EQ_INT(c.count, x.count);
    for (uint32_t i = 0; i < x.count; i++) {
        CHECK(c.attrs[i].name.ptr != x.attrs[i].name.ptr);
        CHECK(ddb_slice_eq(c.attrs[i].name, x.attrs[i].name));
        CHECK(ddb_value_equal(&c.attrs[i].value, &x.attrs[i].value));
    }
    CHECK(c.attrs[0].value.u.str.ptr != x.attrs[0].value.u.str.ptr);
    /* the copy survives the source arena */
    struct ddb_item keep;
    ddb_item_copy(&b, &x, &keep);
    ddb_arena_release(&a);
    CHECK(ddb_value_equal(&keep.attrs[1].value, &c.attrs[1].value));
    CHECK(memcmp(keep.attrs[0].value.u.str.ptr, "hello", 5) == 0);
    ddb_arena_release(&b);
}
