/*
 * test_bench_request.c: the requests ddbd-bench sends are well-formed HTTP
 * with the headers the AWS SDKs send.
 */
#include "tools/bench/request.h"

#include <stdlib.h>

#include "../harness.h"

static struct ddb_bench_reqctx rc;

/* The value of header name (with ": ") in the request's header block, as a
 * NUL-terminated copy in out, or false. */
static bool header(const char *req, const char *name, char *out, size_t cap)
{
    const char *end = strstr(req, "\r\n\r\n");
    size_t n = strlen(name);
    for (const char *p = strstr(req, "\r\n"); p && p < end; p = strstr(p + 2, "\r\n")) {
        if (strncasecmp(p + 2, name, n) == 0 && p[2 + n] == ':' && p[3 + n] == ' ') {
            const char *v = p + 4 + n, *e = strstr(v, "\r\n");
            if ((size_t)(e - v) >= cap)
                return false;
            memcpy(out, v, (size_t)(e - v));
            out[e - v] = '\0';
            return true;
        }
    }
    return false;
}

static char *build(enum ddb_bench_op op, uint64_t key, size_t *len, char *expect,
                   size_t *expect_len)
{
    size_t cap = ddb_bench_request_max(&rc);
    char *buf = malloc(cap + 1);
    *len = ddb_bench_request_build(&rc, op, key, buf, cap, expect, expect_len);
    buf[*len] = '\0';
    return buf;
}

static void check_api_request(enum ddb_bench_op op, const char *target)
{
    char expect[DDB_BENCH_EXPECT_MAX], v[512];
    size_t len, elen;
    char *req = build(op, 42, &len, expect, &elen);
    CHECK(strncmp(req, "POST / HTTP/1.1\r\n", 17) == 0);
    CHECK(header(req, "Host", v, sizeof v) && strcmp(v, "127.0.0.1:8000") == 0);
    CHECK(header(req, "Content-Type", v, sizeof v) &&
          strcmp(v, "application/x-amz-json-1.0") == 0);
    char want[64];
    snprintf(want, sizeof want, "DynamoDB_20120810.%s", target);
    CHECK(header(req, "X-Amz-Target", v, sizeof v) && strcmp(v, want) == 0);
    char date[64];
    CHECK(header(req, "X-Amz-Date", date, sizeof date) && strlen(date) == 16 &&
          date[8] == 'T' && date[15] == 'Z');
    CHECK(header(req, "Authorization", v, sizeof v));
    char prefix[200];
    snprintf(prefix, sizeof prefix,
             "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/%.8s/us-east-1/dynamodb/aws4_request, "
             "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=",
             date);
    CHECK(strncmp(v, prefix, strlen(prefix)) == 0);
    const char *sig = v + strlen(prefix);
    CHECK_EQ_INT(strspn(sig, "0123456789abcdef"), 64);
    CHECK_EQ_INT(strlen(sig), 64);
    CHECK(header(req, "Content-Length", v, sizeof v));
    const char *body = strstr(req, "\r\n\r\n") + 4;
    CHECK_EQ_INT(strtoul(v, NULL, 10), strlen(body));
    CHECK_EQ_INT(len, (size_t)(body - req) + strlen(body));
    CHECK(strncmp(body, "{\"TableName\":\"bench_t\"", 22) == 0);
    free(req);
}

TEST(api_requests_carry_sdk_headers)
{
    CHECK_EQ_INT(ddb_bench_request_init(&rc, "127.0.0.1:8000", "bench_t", 200, 10, 100), 0);
    check_api_request(DDB_BENCH_OP_GET, "GetItem");
    check_api_request(DDB_BENCH_OP_PUT, "PutItem");
    check_api_request(DDB_BENCH_OP_PUT_RANGE, "PutItem");
    check_api_request(DDB_BENCH_OP_QUERY, "Query");
    check_api_request(DDB_BENCH_OP_CREATE_TABLE, "CreateTable");
    check_api_request(DDB_BENCH_OP_CREATE_TABLE_RANGE, "CreateTable");
    check_api_request(DDB_BENCH_OP_DESCRIBE_TABLE, "DescribeTable");
    ddb_bench_request_release(&rc);
}

TEST(bodies_and_expectations)
{
    char expect[DDB_BENCH_EXPECT_MAX];
    size_t len, elen;
    CHECK_EQ_INT(ddb_bench_request_init(&rc, "h:1", "bench_t", 200, 7, 100), 0);
    char *req = build(DDB_BENCH_OP_GET, 123, &len, expect, &elen);
    CHECK(strstr(req, "\r\n\r\n{\"TableName\":\"bench_t\",\"Key\":{\"pk\":{\"S\":\"k0000000123\"}}}"));
    CHECK(elen == 13 && memcmp(expect, "\"k0000000123\"", 13) == 0);
    free(req);

    req = build(DDB_BENCH_OP_QUERY, 5, &len, expect, &elen);
    CHECK(strstr(req, "\"KeyConditionExpression\":\"pk = :p\","
                      "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"p00000005\"}},\"Limit\":7}"));
    CHECK(elen == 11 && memcmp(expect, "\"p00000005\"", 11) == 0);
    free(req);

    /* The item's DynamoDB size (names + values) is item_size. */
    req = build(DDB_BENCH_OP_PUT, 7, &len, expect, &elen);
    CHECK_EQ_INT(elen, 0);
    const char *v = strstr(req, "\"v\":{\"S\":\"");
    CHECK(v != NULL);
    if (v) {
        size_t fill = strcspn(v + 10, "\"");
        CHECK_EQ_INT(2 + 11 + 1 + fill, 200);
    }
    free(req);
    req = build(DDB_BENCH_OP_PUT_RANGE, 205, &len, expect, &elen);
    CHECK(strstr(req, "\"pk\":{\"S\":\"p00000002\"},\"sk\":{\"S\":\"s00000005\"}"));
    v = strstr(req, "\"v\":{\"S\":\"");
    if (v) {
        size_t fill = strcspn(v + 10, "\"");
        CHECK_EQ_INT(2 + 9 + 2 + 9 + 1 + fill, 200);
    }
    free(req);

    req = build(DDB_BENCH_OP_HEALTH, 0, &len, expect, &elen);
    CHECK(strncmp(req, "GET / HTTP/1.1\r\nHost: h:1\r\n", 27) == 0);
    CHECK_EQ_INT(len, strlen(req));
    CHECK(strcmp(req + len - 4, "\r\n\r\n") == 0);
    free(req);
    ddb_bench_request_release(&rc);
}

TEST(date_headers_follow_the_clock)
{
    char expect[DDB_BENCH_EXPECT_MAX];
    size_t len, elen;
    CHECK_EQ_INT(ddb_bench_request_init(&rc, "h:1", "bench_t", 200, 7, 100), 0);
    ddb_bench_request_clock(&rc, (time_t)1700000000); /* 2023-11-14T22:13:20Z */
    char *req = build(DDB_BENCH_OP_GET, 1, &len, expect, &elen);
    CHECK(strstr(req, "X-Amz-Date: 20231114T221320Z\r\n") != NULL);
    CHECK(strstr(req, "Credential=AKIDEXAMPLE/20231114/us-east-1/dynamodb/aws4_request") != NULL);
    free(req);
    ddb_bench_request_release(&rc);
}

TEST(names_that_do_not_fit_are_refused)
{
    char big[400];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    CHECK_EQ_INT(ddb_bench_request_init(&rc, big, "bench_t", 200, 7, 100), -1);
    CHECK_EQ_INT(ddb_bench_request_init(&rc, "h:1", big, 200, 7, 100), -1);
}

TEST(batch_write_carries_25_distinct_puts_and_expects_no_unprocessed_items)
{
    char expect[DDB_BENCH_EXPECT_MAX];
    size_t len, elen;
    CHECK_EQ_INT(ddb_bench_request_init(&rc, "h:1", "bench_t", 200, 7, 100), 0);
    rc.keys_total = 30;
    char *req = build(DDB_BENCH_OP_BATCH_WRITE, 20, &len, expect, &elen);
    CHECK(strstr(req, "X-Amz-Target: DynamoDB_20120810.BatchWriteItem\r\n") != NULL);
    const char *body = strstr(req, "\r\n\r\n") + 4;
    CHECK(strncmp(body, "{\"RequestItems\":{\"bench_t\":[{\"PutRequest\":{\"Item\":{\"pk\":"
                        "{\"S\":\"k0000000020\"}", 58) == 0);
    int puts = 0;
    for (const char *p = body; (p = strstr(p, "\"PutRequest\"")) != NULL; p++)
        puts++;
    CHECK_EQ_INT(puts, DDB_BENCH_BATCH_PUTS);
    /* keys wrap at keys_total: 20..29 then 0..14 */
    CHECK(strstr(body, "\"k0000000029\"") != NULL && strstr(body, "\"k0000000014\"") != NULL);
    CHECK(strstr(body, "\"k0000000015\"") == NULL && strstr(body, "\"k0000000030\"") == NULL);
    CHECK(strcmp(body + strlen(body) - 3, "]}}") == 0);
    CHECK(elen == 21 && memcmp(expect, "\"UnprocessedItems\":{}", 21) == 0);
    CHECK(len <= ddb_bench_request_max(&rc));
    free(req);
    ddb_bench_request_release(&rc);
}
