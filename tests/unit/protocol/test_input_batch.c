#include "harness.h"
#include "protocol/input_batch.h"

/* Test JSON is written with ' for " (no test text needs a real '). */
static struct ddb_json *parse(struct ddb_arena *a, const char *text)
{
    char *s = ddb_arena_memdup(a, text, strlen(text));
    for (char *p = s; *p; p++)
        if (*p == '\'')
            *p = '"';
    struct ddb_json *j;
    struct ddb_json_error je;
    if (ddb_json_parse(a, s, strlen(s), &j, &je) != 0) {
        printf("#   bad test JSON: %s\n", text);
        abort();
    }
    return j;
}

/* The message of a failed validation, or "ok". */
static const char *get_msg(struct ddb_arena *a, const char *text, struct ddb_batch_get_input *in)
{
    struct ddb_error e = {0};
    if (ddb_input_batch_get(a, parse(a, text), in, &e) != 0)
        return e.message;
    if (ddb_batch_get_parse_projections(in, &e) != 0)
        return e.message;
    return "ok";
}

static const char *write_msg(struct ddb_arena *a, const char *text,
                             struct ddb_batch_write_input *in)
{
    struct ddb_error e = {0};
    return ddb_input_batch_write(a, parse(a, text), in, &e) != 0 ? e.message : "ok";
}

/* n keys {'pk':{'S':'k<i>'}} (distinct) as a JSON list body. */
static const char *keys_json(struct ddb_arena *a, int n, const char *extra)
{
    struct ddb_buf b;
    ddb_buf_init(&b, a);
    ddb_buf_puts(&b, "[");
    for (int i = 0; i < n; i++) {
        char one[64];
        snprintf(one, sizeof one, "%s{'pk':{'S':'k%d'}}", i ? "," : "", i);
        ddb_buf_puts(&b, one);
    }
    ddb_buf_puts(&b, extra);
    ddb_buf_puts(&b, "]");
    return ddb_arena_memdup(a, b.ptr, b.len);
}

static const char *puts_json(struct ddb_arena *a, int n, const char *extra)
{
    struct ddb_buf b;
    ddb_buf_init(&b, a);
    ddb_buf_puts(&b, "[");
    for (int i = 0; i < n; i++) {
        char one[80];
        snprintf(one, sizeof one, "%s{'PutRequest':{'Item':{'pk':{'S':'k%d'}}}}", i ? "," : "",
                 i);
        ddb_buf_puts(&b, one);
    }
    ddb_buf_puts(&b, extra);
    ddb_buf_puts(&b, "]");
    return ddb_arena_memdup(a, b.ptr, b.len);
}

static const char TOO_MANY_GET[] = "Too many items requested for the BatchGetItem call";
static const char TOO_MANY_WRITE[] = "Too many items requested for the BatchWriteItem call";
static const char DUPS[] = "Provided list of item keys contains duplicates";
static const char ONE_OF[] = "Supplied AttributeValue has more than one datatypes set, must "
                             "contain exactly one of the supported datatypes";

TEST(get_valid_request)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_batch_get_input in;
    CHECK_EQ_STR(get_msg(&a, "{'RequestItems':{'tbl':{'Keys':[{'pk':{'S':'a'}},{'pk':{'S':'b'}}],"
                             "'ProjectionExpression':'#x','ExpressionAttributeNames':{'#x':'y'},"
                             "'ConsistentRead':true},'t2x':{'Keys':[{'pk':{'N':'1'}}],"
                             "'AttributesToGet':['a','b']}}}", &in), "ok");
    CHECK_EQ_INT(in.table_count, 2);
    CHECK_EQ_INT(in.key_count, 3);
    CHECK(in.tables[0].consistent_read && in.tables[0].projection != NULL);
    CHECK_EQ_INT(in.tables[0].projection->count, 1);
    CHECK(ddb_slice_eq_cstr(in.tables[0].projection->paths[0].elems[0].name, "y"));
    CHECK(in.tables[1].projection != NULL && in.tables[1].projection->count == 2);
    CHECK(ddb_slice_eq_cstr(in.tables[1].table, "t2x"));
    ddb_arena_release(&a);
}

TEST(get_errors_in_dynamodbs_order)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_batch_get_input in;
    char buf[8192];
    static const struct {
        const char *body, *msg;
    } cases[] = {
        {"{}", "BatchGetItem must have some requests set"},
        {"{'RequestItems':{}}", "BatchGetItem must have some requests set"},
        {"{'RequestItems':{'tbl':{}}}",
         "The list of keys in RequestItems for BatchGetItem is required: tbl has empty list"},
        {"{'RequestItems':{'tbl':null}}",
         "The list of keys in RequestItems for BatchGetItem is required: tbl has empty list"},
        {"{'RequestItems':{'tbl':{'Keys':[]}}}",
         "The list of keys in RequestItems for BatchGetItem is required: tbl has empty list"},
        {"{'RequestItems':{'tbl':{'Keys':[{}]}}}",
         "The list of keys in RequestItems for BatchGetItem may not contain null or empty "
         "values: tbl has one or more empty keys"},
        {"{'RequestItems':{'tbl':{'Keys':[null]}}}",
         "The list of keys in RequestItems for BatchGetItem may not contain null or empty "
         "values: tbl has one or more empty keys"},
        {"{'RequestItems':{'tbl':{'Keys':[{'pk':{'S':'a'}},{'pk':{'S':'a'}}]}}}", DUPS},
        /* compared as written: members in any order; "1" and "1.0" differ */
        {"{'RequestItems':{'tbl':{'Keys':[{'a':{'S':'1'},'b':{'N':'2'}},"
         "{'b':{'N':'2'},'a':{'S':'1'}}]}}}", DUPS},
        {"{'RequestItems':{'tbl':{'Keys':[{'a':{'N':'1'}},{'a':{'N':'1.0'}}]}}}", "ok"},
        {"{'RequestItems':{'tbl':{'Keys':[{'pk':{'S':'a'}},{'pk':{'S':'a'}},{'pk':{'N':'x'}}]}}}",
         DUPS},
        {"{'RequestItems':{'tbl':{'Keys':[{'pk':{'N':'x'}}]},'t2x':{'Keys':[]}}}",
         "A value provided cannot be converted into a number"},
        {"{'RequestItems':{'ab':{'Keys':[{'pk':{'S':'a'}}]}}}",
         "Invalid table/index name.  Table/index names must be between 3 and 255 characters "
         "long, and may contain only the characters a-z, A-Z, 0-9, '_', '-', and '.'"},
        {"{'RequestItems':{'ab':{'Keys':[{'pk':{'S':'a'}},{'pk':{'S':'a'}}]}}}", DUPS},
        {"{'RequestItems':{'tbl':{'Keys':[{'pk':{'S':'a'}}],'AttributesToGet':['x','x']}}}",
         "One or more parameter values were invalid: Duplicate value in attribute name: x"},
        {"{'RequestItems':{'tbl':{'Keys':[{'pk':{'S':'a'}}],'AttributesToGet':['']}}}",
         "Empty attribute name"},
        {"{'RequestItems':{'tbl':{'Keys':[{'pk':{'S':'a'}}],'AttributesToGet':[]}}}", "ok"},
        {"{'RequestItems':{'tbl':{'Keys':[{'pk':{'S':'a'}}],'AttributesToGet':['x'],"
         "'ProjectionExpression':'x'}}}",
         "Can not use both expression and non-expression parameters in the same request: "
         "Non-expression parameters: {AttributesToGet} Expression parameters: "
         "{ProjectionExpression}"},
        {"{'RequestItems':{'tbl':{'Keys':[{'pk':{'S':'a'}}],'ExpressionAttributeNames':{'#a':'b'}}}}",
         "ExpressionAttributeNames can only be specified when using expressions"},
        {"{'RequestItems':{'tbl':{'Keys':[{'pk':{'S':'a'}}],'ProjectionExpression':'x',"
         "'ExpressionAttributeNames':{'#a':'b'}}}}",
         "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a}"},
        /* KeysAndAttributes has no ExpressionAttributeValues: ignored */
        {"{'RequestItems':{'tbl':{'Keys':[{'pk':{'S':'a'}}],'ProjectionExpression':'x',"
         "'ExpressionAttributeValues':{':a':{'S':'b'}}}}}", "ok"},
        {"{'RequestItems':{'tbl':{'Keys':[{'pk':{'S':'a'}}],'ProjectionExpression':''}}}",
         "Invalid ProjectionExpression: The expression can not be empty;"},
        /* shapes */
        {"{'RequestItems':'x'}", "Unexpected token received from parser"},
        {"{'RequestItems':{'tbl':{'Keys':'x'}}}", "Unexpected token received from parser"},
        {"{'RequestItems':{'tbl':{'Keys':[{'pk':{'S':5}}]}}}",
         "NUMBER_VALUE cannot be converted to String"},
        {"{'RequestItems':{'tbl':{'Keys':[{'pk':{'S':'a'}}],'ConsistentRead':'x'}}}",
         "STRING_VALUE cannot be converted to Boolean"},
    };
    for (size_t i = 0; i < DDB_ARRAY_LEN(cases); i++) {
        snprintf(buf, sizeof buf, "%s", cases[i].body);
        CHECK_EQ_STR(get_msg(&a, buf, &in), cases[i].msg);
    }
    ddb_arena_release(&a);
}

TEST(get_counts_keys_across_tables)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_batch_get_input in;
    char *body = ddb_arena_printf(&a, "{'RequestItems':{'tbl':{'Keys':%s}}}",
                                  keys_json(&a, 100, ""));
    CHECK_EQ_STR(get_msg(&a, body, &in), "ok");
    CHECK_EQ_INT(in.key_count, 100);
    body = ddb_arena_printf(&a, "{'RequestItems':{'tbl':{'Keys':%s}}}", keys_json(&a, 101, ""));
    CHECK_EQ_STR(get_msg(&a, body, &in), TOO_MANY_GET);
    body = ddb_arena_printf(&a, "{'RequestItems':{'tbl':{'Keys':%s},'t2x':{'Keys':%s}}}",
                            keys_json(&a, 60, ""), keys_json(&a, 41, ""));
    CHECK_EQ_STR(get_msg(&a, body, &in), TOO_MANY_GET);
    /* the count comes before each key's own checks, and before the name */
    body = ddb_arena_printf(&a, "{'RequestItems':{'ab':{'Keys':%s}}}",
                            keys_json(&a, 101, ",{}"));
    CHECK_EQ_STR(get_msg(&a, body, &in), TOO_MANY_GET);
    /* an empty list of an earlier table first */
    body = ddb_arena_printf(&a, "{'RequestItems':{'t2x':{'Keys':[]},'tbl':{'Keys':%s}}}",
                            keys_json(&a, 101, ""));
    CHECK_EQ_STR(get_msg(&a, body, &in),
                 "The list of keys in RequestItems for BatchGetItem is required: t2x has empty "
                 "list");
    ddb_arena_release(&a);
}

static const struct ddb_key_schema hash_only = {.hash_name = {"pk", 2}, .hash_type = DDB_T_S};
static const struct ddb_key_schema hash_range = {
    .hash_name = {"pk", 2}, .hash_type = DDB_T_S, .has_range = true, .range_name = {"sk", 2},
    .range_type = DDB_T_N};

TEST(get_keys_against_the_schema)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_batch_get_input in;
    struct ddb_error e = {0};
    const struct ddb_value *pk[4], *sk[4];
    CHECK_EQ_STR(get_msg(&a, "{'RequestItems':{'tbl':{'Keys':[{'pk':{'S':'a'},'sk':{'N':'1'}},"
                             "{'pk':{'S':'a'},'sk':{'N':'2'}}]}}}", &in), "ok");
    CHECK_EQ_INT(ddb_batch_get_check_keys(&a, &hash_range, &in.tables[0], pk, sk, &e), 0);
    CHECK(pk[1]->type == DDB_T_S && sk[1]->type == DDB_T_N);
    CHECK_EQ_INT(ddb_batch_get_check_keys(&a, &hash_only, &in.tables[0], pk, sk, &e), -1);
    CHECK_EQ_STR(e.message, "The provided key element does not match the schema");
    ddb_arena_release(&a);
}

TEST(write_valid_request)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_batch_write_input in;
    CHECK_EQ_STR(write_msg(&a, "{'RequestItems':{'tbl':[{'PutRequest':{'Item':{'pk':{'S':'a'},"
                               "'v':{'N':'1'}}}},{'DeleteRequest':{'Key':{'pk':{'S':'b'}}}}],"
                               "'t2x':[{'PutRequest':{'Item':{'pk':{'S':'a'}}}}]}}", &in), "ok");
    CHECK_EQ_INT(in.table_count, 2);
    CHECK_EQ_INT(in.request_count, 3);
    CHECK(in.tables[0].reqs[0].is_put && !in.tables[0].reqs[1].is_put);
    CHECK_EQ_INT(in.tables[0].reqs[0].item.count, 2);
    ddb_arena_release(&a);
}

TEST(write_errors_in_dynamodbs_order)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_batch_write_input in;
    static const struct {
        const char *body, *msg;
    } cases[] = {
        {"{}", "BatchWriteItem cannot have a null or no requests set"},
        {"{'RequestItems':{}}", "BatchWriteItem cannot have a null or no requests set"},
        {"{'RequestItems':{'tbl':[]}}",
         "The batch write request list for a table cannot be null or empty: tbl"},
        {"{'RequestItems':{'tbl':null}}",
         "The batch write request list for a table cannot be null or empty: tbl"},
        {"{'RequestItems':{'tbl':[{}]}}", ONE_OF},
        {"{'RequestItems':{'tbl':[null]}}", ONE_OF},
        {"{'RequestItems':{'tbl':[{'PutRequest':{'Item':{'pk':{'S':'a'}}},"
         "'DeleteRequest':{'Key':{'pk':{'S':'a'}}}}]}}", ONE_OF},
        {"{'RequestItems':{'tbl':[{'PutRequest':{}}]}}",
         "The supplied Item contains a null AttributeValue"},
        {"{'RequestItems':{'tbl':[{'DeleteRequest':{'Key':null}}]}}",
         "The supplied Item contains a null AttributeValue"},
        {"{'RequestItems':{'tbl':[{'PutRequest':{'Item':{'pk':{'S':'a'},'n':{'N':'x'}}}},{}]}}",
         "A value provided cannot be converted into a number"},
        {"{'RequestItems':{'tbl':[{},{'PutRequest':{'Item':{'pk':{'S':'a'},'n':{'N':'x'}}}}]}}",
         ONE_OF},
        {"{'RequestItems':{'ab':[{'PutRequest':{'Item':{'pk':{'S':'a'}}}}]}}",
         "Invalid table/index name.  Table/index names must be between 3 and 255 characters "
         "long, and may contain only the characters a-z, A-Z, 0-9, '_', '-', and '.'"},
        {"{'RequestItems':{'ab':[{}]}}", ONE_OF},
        /* shapes */
        {"{'RequestItems':{'tbl':{}}}", "Unexpected token received from parser"},
        {"{'RequestItems':{'tbl':['x']}}", "Unexpected token received from parser"},
        {"{'RequestItems':{'tbl':[{'PutRequest':{'Item':{'pk':{'S':5}}}}]}}",
         "NUMBER_VALUE cannot be converted to String"},
    };
    for (size_t i = 0; i < DDB_ARRAY_LEN(cases); i++)
        CHECK_EQ_STR(write_msg(&a, cases[i].body, &in), cases[i].msg);
    ddb_arena_release(&a);
}

TEST(write_counts_requests_one_by_one)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_batch_write_input in;
    char *body = ddb_arena_printf(&a, "{'RequestItems':{'tbl':%s}}", puts_json(&a, 25, ""));
    CHECK_EQ_STR(write_msg(&a, body, &in), "ok");
    body = ddb_arena_printf(&a, "{'RequestItems':{'tbl':%s}}", puts_json(&a, 26, ""));
    CHECK_EQ_STR(write_msg(&a, body, &in), TOO_MANY_WRITE);
    body = ddb_arena_printf(&a, "{'RequestItems':{'tbl':%s,'t2x':%s}}", puts_json(&a, 13, ""),
                            puts_json(&a, 13, ""));
    CHECK_EQ_STR(write_msg(&a, body, &in), TOO_MANY_WRITE);
    /* the 26th request's own fault is not reached */
    body = ddb_arena_printf(&a, "{'RequestItems':{'tbl':%s}}", puts_json(&a, 25, ",{}"));
    CHECK_EQ_STR(write_msg(&a, body, &in), TOO_MANY_WRITE);
    body = ddb_arena_printf(&a, "{'RequestItems':{'ab':%s}}", puts_json(&a, 26, ""));
    CHECK_EQ_STR(write_msg(&a, body, &in), TOO_MANY_WRITE);
    ddb_arena_release(&a);
}

TEST(write_item_size_limit)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_batch_write_input in;
    size_t n = 400 * 1024;
    char *big = ddb_arena_alloc(&a, n + 1);
    memset(big, 'x', n);
    big[n] = '\0';
    /* no key at all: the size is checked before the key schema */
    char *body = ddb_arena_printf(
        &a, "{'RequestItems':{'tbl':[{'PutRequest':{'Item':{'d':{'S':'%s'}}}}]}}", big);
    CHECK_EQ_STR(write_msg(&a, body, &in), "Item size has exceeded the maximum allowed size");
    big[n - 10] = '\0'; /* 400 KB minus a little: fits with the names */
    body = ddb_arena_printf(
        &a, "{'RequestItems':{'tbl':[{'PutRequest':{'Item':{'pk':{'S':'a'},'d':{'S':'%s'}}}}]}}",
        big);
    CHECK_EQ_STR(write_msg(&a, body, &in), "ok");
    ddb_arena_release(&a);
}

static const char *check_table(struct ddb_arena *a, const struct ddb_key_schema *ks,
                               const char *list)
{
    struct ddb_batch_write_input in;
    const char *m = write_msg(a, ddb_arena_printf(a, "{'RequestItems':{'tbl':%s}}", list), &in);
    if (strcmp(m, "ok") != 0)
        return m;
    const struct ddb_value *pk[25], *sk[25];
    struct ddb_error e = {0};
    return ddb_batch_write_check_table(a, ks, &in.tables[0], pk, sk, &e) != 0 ? e.message : "ok";
}

TEST(write_keys_and_duplicates)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    static const char MISMATCH[] = "The provided key element does not match the schema";
    static const char MISSING[] = "One of the required keys was not given a value";
    CHECK_EQ_STR(check_table(&a, &hash_only, "[{'PutRequest':{'Item':{'pk':{'S':'a'}}}},"
                                             "{'DeleteRequest':{'Key':{'pk':{'S':'b'}}}}]"), "ok");
    CHECK_EQ_STR(check_table(&a, &hash_only, "[{'PutRequest':{'Item':{'pk':{'S':'a'}}}},"
                                             "{'DeleteRequest':{'Key':{'pk':{'S':'a'}}}}]"), DUPS);
    CHECK_EQ_STR(check_table(&a, &hash_range,
                             "[{'PutRequest':{'Item':{'pk':{'S':'a'},'sk':{'N':'1'}}}},"
                             "{'PutRequest':{'Item':{'pk':{'S':'a'},'sk':{'N':'1.00'}}}}]"), DUPS);
    CHECK_EQ_STR(check_table(&a, &hash_range,
                             "[{'PutRequest':{'Item':{'pk':{'S':'a'},'sk':{'N':'1'}}}},"
                             "{'PutRequest':{'Item':{'pk':{'S':'a'},'sk':{'N':'2'}}}}]"), "ok");
    CHECK_EQ_STR(check_table(&a, &hash_only, "[{'PutRequest':{'Item':{'x':{'S':'a'}}}}]"), MISSING);
    CHECK_EQ_STR(check_table(&a, &hash_range, "[{'PutRequest':{'Item':{'pk':{'S':'a'}}}}]"), MISSING);
    CHECK_EQ_STR(check_table(&a, &hash_only, "[{'PutRequest':{'Item':{'pk':{'N':'1'}}}}]"), MISMATCH);
    CHECK_EQ_STR(check_table(&a, &hash_only, "[{'PutRequest':{'Item':{}}}]"),
                 "Item to put in PutItem cannot be null");
    CHECK_EQ_STR(check_table(&a, &hash_only, "[{'DeleteRequest':{'Key':{'pk':{'S':'a'},"
                                             "'x':{'S':'1'}}}}]"), MISMATCH);
    CHECK_EQ_STR(check_table(&a, &hash_only, "[{'DeleteRequest':{'Key':{}}}]"), MISMATCH);
    CHECK_EQ_STR(check_table(&a, &hash_only, "[{'PutRequest':{'Item':{'pk':{'S':''}}}}]"),
                 "One or more parameter values are not valid. The AttributeValue for a key "
                 "attribute cannot contain an empty string value. Key: pk");
    /* a mismatch before a later duplicate, a duplicate before a later mismatch */
    CHECK_EQ_STR(check_table(&a, &hash_only, "[{'DeleteRequest':{'Key':{'x':{'S':'1'}}}},"
                                             "{'PutRequest':{'Item':{'pk':{'S':'a'}}}},"
                                             "{'PutRequest':{'Item':{'pk':{'S':'a'}}}}]"), MISMATCH);
    CHECK_EQ_STR(check_table(&a, &hash_only, "[{'PutRequest':{'Item':{'pk':{'S':'a'}}}},"
                                             "{'PutRequest':{'Item':{'pk':{'S':'a'}}}},"
                                             "{'DeleteRequest':{'Key':{'x':{'S':'1'}}}}]"), DUPS);
    ddb_arena_release(&a);
}
