#include "harness.h"
#include "protocol/value_json.h"

/* Parses `text` (an Item's JSON object) and runs ddb_item_from_json. */
static int item_from(struct ddb_arena *a, const char *text, struct ddb_item *it, struct ddb_error *e)
{
    struct ddb_json *j;
    struct ddb_json_error je;
    if (ddb_json_parse(a, text, strlen(text), &j, &je) != 0) {
        printf("#   bad test JSON: %s\n", text);
        return -2;
    }
    return ddb_item_from_json(a, j, it, e);
}

/* Messages as DynamoDB Local 3.3.1 answered PutItem {"pk":{"S":"x"},"a":<v>}
 * (VALIDATION rows), or as the service answers (SERIALIZATION rows: Local
 * answers those with 500 InternalFailure or coerces; see MESSAGES-values.md). */
static const struct {
    const char *av;
    enum ddb_error_code code;
    const char *msg;
} bad_values[] = {
    {"{}", DDB_ERR_VALIDATION, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
    {"{\"X\":\"a\"}", DDB_ERR_VALIDATION, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
    {"{\"s\":\"a\"}", DDB_ERR_VALIDATION, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
    {"{\"S\":null}", DDB_ERR_VALIDATION, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
    {"{\"M\":null}", DDB_ERR_VALIDATION, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
    {"{\"S\":\"a\",\"N\":\"1\"}", DDB_ERR_VALIDATION, "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"},
    {"{\"NULL\":true,\"S\":\"a\"}", DDB_ERR_VALIDATION, "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"},
    {"{\"N\":\"abc\"}", DDB_ERR_VALIDATION, "A value provided cannot be converted into a number"},
    {"{\"N\":\"111111111111111111111111111111111111111\"}", DDB_ERR_VALIDATION, "Attempting to store more than 38 significant digits in a Number"},
    {"{\"N\":\"1e126\"}", DDB_ERR_VALIDATION, "Number overflow. Attempting to store a number with magnitude larger than supported range"},
    {"{\"N\":\"1e-131\"}", DDB_ERR_VALIDATION, "Number underflow. Attempting to store a number with magnitude smaller than supported range"},
    {"{\"NULL\":false}", DDB_ERR_VALIDATION, "One or more parameter values were invalid: Null attribute value types must have the value of true"},
    {"{\"SS\":[]}", DDB_ERR_VALIDATION, "One or more parameter values were invalid: An string set  may not be empty"},
    {"{\"NS\":[]}", DDB_ERR_VALIDATION, "One or more parameter values were invalid: An number set  may not be empty"},
    {"{\"BS\":[]}", DDB_ERR_VALIDATION, "One or more parameter values were invalid: Binary sets should not be empty"},
    {"{\"SS\":[null]}", DDB_ERR_VALIDATION, "One or more parameter values were invalid: An string set may not have a null string as a member"},
    {"{\"SS\":[\"b\",\"a\",\"b\",\"c\"]}", DDB_ERR_VALIDATION, "One or more parameter values were invalid: Input collection [b, a, b, c] contains duplicates"},
    {"{\"SS\":[\"a, b\",\"a, b\"]}", DDB_ERR_VALIDATION, "One or more parameter values were invalid: Input collection [a, b, a, b] contains duplicates"},
    {"{\"NS\":[\"1\",\"2\",\"1.0\"]}", DDB_ERR_VALIDATION, "Input collection contains duplicates"},
    {"{\"NS\":[\"01\",\"1\"]}", DDB_ERR_VALIDATION, "Input collection contains duplicates"},
    {"{\"NS\":[\"1\",\"1.0\",\"x\"]}", DDB_ERR_VALIDATION, "Input collection contains duplicates"},
    {"{\"NS\":[\"x\",\"x\"]}", DDB_ERR_VALIDATION, "A value provided cannot be converted into a number"},
    {"{\"NS\":[\"1\",\"x\",\"1.0\"]}", DDB_ERR_VALIDATION, "A value provided cannot be converted into a number"},
    {"{\"NS\":[\"1\",null]}", DDB_ERR_VALIDATION, "A value provided cannot be converted into a number"},
    {"{\"NS\":[\"1e126\"]}", DDB_ERR_VALIDATION, "Number overflow. Attempting to store a number with magnitude larger than supported range"},
    {"{\"BS\":[\"AA==\",\"AQ==\",\"AA==\"]}", DDB_ERR_VALIDATION, "One or more parameter values were invalid: Input collection of type BS contains duplicates."},
    {"{\"L\":[null]}", DDB_ERR_VALIDATION, "The supplied Item contains a null AttributeValue"},
    {"{\"L\":[{}]}", DDB_ERR_VALIDATION, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
    {"{\"L\":[{},{\"S\":\"a\",\"N\":\"1\"}]}", DDB_ERR_VALIDATION, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
    {"{\"M\":{\"q\":null}}", DDB_ERR_VALIDATION, "The supplied Item contains a null AttributeValue: q is null"},
    {"{\"M\":{\"\":{\"S\":\"x\"}}}", DDB_ERR_VALIDATION, "Empty attribute name"},
    {"{\"M\":{\"a\":{\"N\":\"x\"},\"\":{\"S\":\"y\"}}}", DDB_ERR_VALIDATION, "A value provided cannot be converted into a number"},
    {"{\"M\":{\"\":{\"S\":\"y\"},\"a\":{\"N\":\"x\"}}}", DDB_ERR_VALIDATION, "Empty attribute name"},
    {"{\"M\":{\"a\":{\"NS\":[]}}}", DDB_ERR_VALIDATION, "One or more parameter values were invalid: An number set  may not be empty"},
    {"null", DDB_ERR_VALIDATION, "The supplied Item contains a null AttributeValue: a is null"},
    /* deserialization: the service's SerializationException */
    {"{\"S\":5}", DDB_ERR_SERIALIZATION, "NUMBER_VALUE cannot be converted to String"},
    {"{\"S\":5.5}", DDB_ERR_SERIALIZATION, "DECIMAL_VALUE cannot be converted to String"},
    {"{\"N\":1e5}", DDB_ERR_SERIALIZATION, "DECIMAL_VALUE cannot be converted to String"},
    {"{\"S\":true}", DDB_ERR_SERIALIZATION, "TRUE_VALUE cannot be converted to String"},
    {"{\"N\":false}", DDB_ERR_SERIALIZATION, "FALSE_VALUE cannot be converted to String"},
    {"{\"S\":[\"a\"]}", DDB_ERR_SERIALIZATION, "Unrecognized collection type class java.lang.String"},
    {"{\"S\":{}}", DDB_ERR_SERIALIZATION, "Start of structure or map found where not expected"},
    {"{\"B\":5}", DDB_ERR_SERIALIZATION, "only base-64-encoded strings are convertible to bytes"},
    {"{\"B\":[]}", DDB_ERR_SERIALIZATION, "Unrecognized collection type class java.nio.ByteBuffer"},
    {"{\"B\":\"23456\"}", DDB_ERR_SERIALIZATION, "Base64 encoded length is expected a multiple of 4 bytes but found: 5"},
    {"{\"B\":\"+/+=\"}", DDB_ERR_SERIALIZATION, "Invalid last non-pad Base64 character dectected"},
    {"{\"BOOL\":\"true\"}", DDB_ERR_SERIALIZATION, "Unexpected token received from parser"},
    {"{\"BOOL\":1}", DDB_ERR_SERIALIZATION, "NUMBER_VALUE cannot be converted to Boolean"},
    {"{\"NULL\":1.5}", DDB_ERR_SERIALIZATION, "DECIMAL_VALUE cannot be converted to Boolean"},
    {"{\"NULL\":[]}", DDB_ERR_SERIALIZATION, "Unrecognized collection type class java.lang.Boolean"},
    {"{\"BOOL\":{}}", DDB_ERR_SERIALIZATION, "Start of structure or map found where not expected"},
    {"{\"SS\":\"x\"}", DDB_ERR_SERIALIZATION, "Unexpected field type"},
    {"{\"L\":5}", DDB_ERR_SERIALIZATION, "Unexpected field type"},
    {"{\"NS\":{}}", DDB_ERR_SERIALIZATION, "Start of structure or map found where not expected"},
    {"{\"SS\":[5]}", DDB_ERR_SERIALIZATION, "NUMBER_VALUE cannot be converted to String"},
    {"{\"BS\":[\"AA=\"]}", DDB_ERR_SERIALIZATION, "Base64 encoded length is expected a multiple of 4 bytes but found: 3"},
    {"{\"L\":[5]}", DDB_ERR_SERIALIZATION, "Unexpected value type in payload"},
    {"{\"L\":[[]]}", DDB_ERR_SERIALIZATION, "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue"},
    {"{\"M\":[]}", DDB_ERR_SERIALIZATION, "Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>"},
    {"{\"M\":\"x\"}", DDB_ERR_SERIALIZATION, "Unexpected field type"},
    {"{\"M\":{\"a\":5}}", DDB_ERR_SERIALIZATION, "Unexpected value type in payload"},
    {"5", DDB_ERR_SERIALIZATION, "Unexpected value type in payload"},
    {"\"x\"", DDB_ERR_SERIALIZATION, "Unexpected value type in payload"},
    {"[]", DDB_ERR_SERIALIZATION, "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue"},
};

TEST(bad_values_give_dynamodb_messages)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    for (size_t i = 0; i < DDB_ARRAY_LEN(bad_values); i++) {
        char *text = ddb_arena_printf(&a, "{\"pk\":{\"S\":\"x\"},\"a\":%s}", bad_values[i].av);
        struct ddb_item it;
        struct ddb_error e = {0};
        int rc = item_from(&a, text, &it, &e);
        if (rc != -1 || e.code != bad_values[i].code || strcmp(e.message, bad_values[i].msg) != 0) {
            printf("#   %s -> rc %d code %d \"%s\"\n", bad_values[i].av, rc, e.code,
                   e.message ? e.message : "");
            CHECK(0);
        }
    }
    ddb_arena_release(&a);
}

TEST(first_error_in_attribute_order)
{
    static const struct {
        const char *item, *msg;
    } cases[] = {
        {"{\"a\":{\"N\":\"x\"},\"b\":{\"SS\":[]}}", "A value provided cannot be converted into a number"},
        {"{\"b\":{\"SS\":[]},\"a\":{\"N\":\"x\"}}", "One or more parameter values were invalid: An string set  may not be empty"},
        {"{\"a\":{\"N\":\"x\"},\"b\":null}", "A value provided cannot be converted into a number"},
        {"{\"\":{\"S\":\"y\"},\"a\":{\"N\":\"x\"}}", "Empty attribute name"},
        {"{\"a\":{\"N\":\"x\"},\"\":{\"S\":\"y\"}}", "A value provided cannot be converted into a number"},
        /* a deserialization error anywhere beats validation errors */
        {"{\"a\":{\"N\":\"x\"},\"b\":{\"S\":5}}", "NUMBER_VALUE cannot be converted to String"},
    };
    struct ddb_arena a;
    ddb_arena_init(&a);
    for (size_t i = 0; i < DDB_ARRAY_LEN(cases); i++) {
        struct ddb_item it;
        struct ddb_error e = {0};
        CHECK(item_from(&a, cases[i].item, &it, &e) == -1);
        CHECK_EQ_STR(e.message, cases[i].msg);
    }
    ddb_arena_release(&a);
}

static char *nest(struct ddb_arena *a, int n, const char *kind, const char *inner)
{
    char *v = ddb_arena_printf(a, "%s", inner);
    for (int i = 0; i < n; i++)
        v = ddb_arena_printf(a, kind[0] == 'M' ? "{\"M\":{\"a\":%s}}" : "{\"L\":[%s]}", v);
    return v;
}

TEST(nesting_limit)
{
    /* DynamoDB Local: 31 wrappers around {"S":"x"} pass in an Item, 32 fail;
     * as an ExpressionAttributeValues entry, 32 pass and 33 fail. */
    const char *msg = "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit";
    struct ddb_arena a;
    ddb_arena_init(&a);
    for (int k = 0; k < 2; k++) {
        const char *kind = k ? "L" : "M";
        for (int n = 30; n <= 34; n++) {
            char *text = ddb_arena_printf(&a, "{\"a\":%s}", nest(&a, n, kind, "{\"S\":\"x\"}"));
            struct ddb_item it;
            struct ddb_error e = {0};
            int rc = item_from(&a, text, &it, &e);
            CHECK_EQ_INT(rc, n <= 31 ? 0 : -1);
            if (rc)
                CHECK_EQ_STR(e.message, msg);
            char *v = nest(&a, n, kind, "{\"S\":\"x\"}");
            struct ddb_json *j;
            struct ddb_json_error je;
            CHECK(ddb_json_parse(&a, v, strlen(v), &j, &je) == 0);
            struct ddb_value val;
            rc = ddb_value_from_json(&a, j, &val, &e);
            CHECK_EQ_INT(rc, n <= 32 ? 0 : -1);
            if (rc) {
                CHECK(ddb_value_error_in_eav(&a, &e, DDB_SLICE_LIT(":v")) == -1);
                CHECK_EQ_STR(e.message, "ExpressionAttributeValues contains invalid value: Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit for key :v");
            }
        }
    }
    /* the nesting check comes before the values inside */
    char *text = ddb_arena_printf(&a, "{\"a\":%s}", nest(&a, 33, "L", "{\"N\":\"x\"}"));
    struct ddb_item it;
    struct ddb_error e = {0};
    CHECK(item_from(&a, text, &it, &e) == -1);
    CHECK_EQ_STR(e.message, msg);
    /* empty containers count as a level */
    text = ddb_arena_printf(&a, "{\"a\":%s}", nest(&a, 31, "L", "{\"L\":[]}"));
    CHECK(item_from(&a, text, &it, &e) == -1);
    text = ddb_arena_printf(&a, "{\"a\":%s}", nest(&a, 30, "L", "{\"M\":{}}"));
    CHECK(item_from(&a, text, &it, &e) == 0);
    ddb_arena_release(&a);
}

TEST(eav_wrapping)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_json *j;
    struct ddb_json_error je;
    struct ddb_value v;
    struct ddb_error e = {0};
    CHECK(ddb_json_parse(&a, "{\"N\":\"abc\"}", 11, &j, &je) == 0);
    CHECK(ddb_value_from_json(&a, j, &v, &e) == -1);
    ddb_value_error_in_eav(&a, &e, DDB_SLICE_LIT(":v"));
    CHECK_EQ_STR(e.message, "ExpressionAttributeValues contains invalid value: A value provided cannot be converted into a number for key :v");
    CHECK(ddb_json_parse(&a, "null", 4, &j, &je) == 0);
    CHECK(ddb_value_from_json(&a, j, &v, &e) == -1);
    ddb_value_error_in_eav(&a, &e, DDB_SLICE_LIT(":v"));
    CHECK_EQ_STR(e.message, "ExpressionAttributeValues contains invalid value: The supplied Item contains a null AttributeValue for key :v");
    CHECK(ddb_json_parse(&a, "{\"S\":5}", 7, &j, &je) == 0);
    CHECK(ddb_value_from_json(&a, j, &v, &e) == -1);
    ddb_value_error_in_eav(&a, &e, DDB_SLICE_LIT(":v"));
    CHECK_EQ_INT(e.code, DDB_ERR_SERIALIZATION);
    CHECK_EQ_STR(e.message, "NUMBER_VALUE cannot be converted to String");
    ddb_arena_release(&a);
}

static const char *write_item(struct ddb_arena *a, const struct ddb_item *it)
{
    struct ddb_buf b;
    ddb_buf_init(&b, a);
    struct ddb_json_writer *w = ddb_arena_alloc(a, sizeof *w);
    ddb_jw_init(w, &b);
    ddb_item_to_json(w, it);
    return b.ptr;
}

TEST(accepted_values_and_output)
{
    /* Input as accepted by DynamoDB Local, output as GetItem returned it
     * (sets and maps in input order; Local also keeps set order). */
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"{\"a\":{\"S\":\"\"}}", "{\"a\":{\"S\":\"\"}}"},
        {"{\"a\":{\"N\":\"+01.50\"}}", "{\"a\":{\"N\":\"1.5\"}}"},
        {"{\"a\":{\"N\":\"1E+2\"}}", "{\"a\":{\"N\":\"100\"}}"},
        {"{\"a\":{\"B\":\"\"}}", "{\"a\":{\"B\":\"\"}}"},
        {"{\"a\":{\"B\":\"QUJD\"}}", "{\"a\":{\"B\":\"QUJD\"}}"},
        {"{\"a\":{\"BOOL\":false},\"b\":{\"NULL\":true}}", "{\"a\":{\"BOOL\":false},\"b\":{\"NULL\":true}}"},
        {"{\"a\":{\"SS\":[\"a\",\"\"]}}", "{\"a\":{\"SS\":[\"a\",\"\"]}}"},
        {"{\"a\":{\"NS\":[\"1\",\"1.5e1\"]}}", "{\"a\":{\"NS\":[\"1\",\"15\"]}}"},
        {"{\"a\":{\"BS\":[\"\",\"AA==\"]}}", "{\"a\":{\"BS\":[\"\",\"AA==\"]}}"},
        {"{\"a\":{\"M\":{}},\"b\":{\"L\":[]}}", "{\"a\":{\"M\":{}},\"b\":{\"L\":[]}}"},
        {"{\"a\":{\"S\":\"x\",\"X\":1,\"N\":null}}", "{\"a\":{\"S\":\"x\"}}"},
        {"{\"a\":{\"L\":[{\"S\":\"\\u0000\\\"\"},{\"M\":{\"k\":{\"N\":\"-0\"}}}]}}", "{\"a\":{\"L\":[{\"S\":\"\\u0000\\\"\"},{\"M\":{\"k\":{\"N\":\"0\"}}}]}}"},
        {"{}", "{}"},
    };
    struct ddb_arena a;
    ddb_arena_init(&a);
    for (size_t i = 0; i < DDB_ARRAY_LEN(cases); i++) {
        struct ddb_item it;
        struct ddb_error e = {0};
        int rc = item_from(&a, cases[i].in, &it, &e);
        if (rc != 0) {
            printf("#   %s: %s\n", cases[i].in, e.message);
            CHECK(rc == 0);
            continue;
        }
        CHECK_EQ_STR(write_item(&a, &it), cases[i].out);
    }
    ddb_arena_release(&a);
}

TEST(round_trip_equal)
{
    const char *text = "{\"pk\":{\"S\":\"k\"},\"n\":{\"N\":\"-12.5e-3\"},\"b\":{\"B\":\"/w==\"},"
                       "\"ss\":{\"SS\":[\"x\",\"y\"]},\"ns\":{\"NS\":[\"1\",\"2\"]},\"bs\":{\"BS\":[\"AA==\"]},"
                       "\"m\":{\"M\":{\"l\":{\"L\":[{\"NULL\":true},{\"BOOL\":true}]}}}}";
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_item it, back;
    struct ddb_error e;
    CHECK(item_from(&a, text, &it, &e) == 0);
    const char *out = write_item(&a, &it);
    CHECK(item_from(&a, out, &back, &e) == 0);
    CHECK_EQ_INT(back.count, it.count);
    for (uint32_t i = 0; i < it.count; i++) {
        const struct ddb_value *bv = ddb_item_get(&back, it.attrs[i].name);
        CHECK(bv != NULL && ddb_value_equal(&it.attrs[i].value, bv));
    }
    CHECK_EQ_STR(write_item(&a, &back), out);
    ddb_arena_release(&a);
}
