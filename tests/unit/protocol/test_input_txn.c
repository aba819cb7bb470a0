/* protocol/input_txn.c: the TransactWriteItems payload (4 MB): what each
 * action counts (DynamoDB Local 3.3.1 measured, input_txn.h) and the
 * refusal at the first action past the limit, with the sum so far. */
#include "harness.h"
#include "protocol/input_txn.h"
#include "protocol/limits.h"

static struct ddb_arena A;

/* Test JSON is written with ' for " (no test text needs a real '). */
static struct ddb_json *parse(const char *text)
{
    char *s = ddb_arena_memdup(&A, text, strlen(text) + 1);
    for (char *p = s; *p; p++)
        if (*p == '\'')
            *p = '"';
    struct ddb_json *j;
    struct ddb_json_error je;
    if (ddb_json_parse(&A, s, strlen(s), &j, &je) != 0) {
        printf("#   bad test JSON: %s\n", text);
        abort();
    }
    return j;
}

/* The payload of the single action of body (TransactItems of one). */
static uint64_t payload(const char *body)
{
    struct ddb_txn_input in;
    struct ddb_error err = {0};
    struct ddb_json *j = parse(body);
    if (ddb_input_txn_write(&A, j, &in, &err) != 0) {
        printf("#   %s\n", err.message);
        return 0;
    }
    const struct ddb_json *el = &in.items->u.items[0];
    return ddb_txn_action_payload(&el->u.members[0].value, &in.actions[0]);
}

TEST(what_an_action_counts)
{
    ddb_arena_init(&A);
    /* Put: the item's size (pk+k1 = 4, n+123 = 1+3) */
    CHECK_EQ_INT(payload("{'TransactItems':[{'Put':{'TableName':'tab','Item':{'pk':{'S':'k1'},"
                         "'n':{'N':'123'}}}}]}"),
                 8);
    /* ConditionExpression text and the name #n stands for */
    CHECK_EQ_INT(payload("{'TransactItems':[{'Put':{'TableName':'tab','Item':{'pk':{'S':'k1'}},"
                         "'ConditionExpression':'attribute_not_exists(#n)',"
                         "'ExpressionAttributeNames':{'#n':'zzzz'}}}]}"),
                 4 + 24 + 4);
    /* a value's size (12345: 4 bytes) */
    CHECK_EQ_INT(payload("{'TransactItems':[{'Put':{'TableName':'tab','Item':{'pk':{'S':'k1'}},"
                         "'ConditionExpression':'b = :v','ExpressionAttributeValues':"
                         "{':v':{'N':'12345'}}}}]}"),
                 4 + 6 + 4);
    /* Update: key, both expressions, the value */
    CHECK_EQ_INT(payload("{'TransactItems':[{'Update':{'TableName':'tab','Key':{'pk':{'S':'k1'}},"
                         "'UpdateExpression':'SET w = :w','ConditionExpression':"
                         "'attribute_not_exists(a)','ExpressionAttributeValues':"
                         "{':w':{'S':'hello'}}}}]}"),
                 42);
    /* Delete and ConditionCheck: key and condition */
    CHECK_EQ_INT(payload("{'TransactItems':[{'Delete':{'TableName':'tab','Key':{'pk':{'S':'k1'}},"
                         "'ConditionExpression':'attribute_not_exists(a)'}}]}"),
                 27);
    CHECK_EQ_INT(payload("{'TransactItems':[{'ConditionCheck':{'TableName':'tab','Key':"
                         "{'pk':{'S':'k1'}},'ConditionExpression':'attribute_not_exists(a)'}}]}"),
                 27);
    ddb_arena_release(&A);
}

/* A TransactWriteItems body of n Puts, item i of sizes[i] bytes (pk
 * "p<i>", v filling the rest). */
static const char *puts_body(const size_t *sizes, int n)
{
    struct ddb_buf b;
    ddb_buf_init(&b, &A);
    ddb_buf_puts(&b, "{\"TransactItems\":[");
    for (int i = 0; i < n; i++) {
        char pk[16];
        snprintf(pk, sizeof pk, "p%d", i);
        size_t fill = sizes[i] - 2 - strlen(pk) - 1;
        ddb_buf_puts(&b, i ? "," : "");
        ddb_buf_puts(&b, "{\"Put\":{\"TableName\":\"tab\",\"Item\":{\"pk\":{\"S\":\"");
        ddb_buf_puts(&b, pk);
        ddb_buf_puts(&b, "\"},\"v\":{\"S\":\"");
        for (size_t k = 0; k < fill; k++)
            ddb_buf_putc(&b, 'x');
        ddb_buf_puts(&b, "\"}}}}");
    }
    ddb_buf_puts(&b, "]}");
    ddb_buf_putc(&b, 0);
    return b.ptr;
}

static const char *write_msg(const char *body)
{
    struct ddb_txn_input in;
    struct ddb_error err = {0};
    return ddb_input_txn_write(&A, parse(body), &in, &err) != 0 ? err.message : "ok";
}

TEST(four_megabytes)
{
    ddb_arena_init(&A);
    size_t sizes[12];
    for (int i = 0; i < 10; i++)
        sizes[i] = DDB_MAX_ITEM_SIZE;
    sizes[10] = DDB_TXN_MAX_PAYLOAD_BYTES - 10 * DDB_MAX_ITEM_SIZE; /* exactly 4 MB */
    sizes[11] = 100;
    CHECK_EQ_STR(write_msg(puts_body(sizes, 11)), "ok");
    sizes[10]++;
    CHECK_EQ_STR(write_msg(puts_body(sizes, 11)),
                 "Transaction payload size cannot exceed 4MB. Payload Size: : Transaction "
                 "payload size cannot exceed 4MB. Payload Size: 4194305");
    /* the sum stops at the first action past the limit */
    CHECK_EQ_STR(write_msg(puts_body(sizes, 12)),
                 "Transaction payload size cannot exceed 4MB. Payload Size: : Transaction "
                 "payload size cannot exceed 4MB. Payload Size: 4194305");
    ddb_arena_release(&A);
}
