/*
 * request.c: request builders for ddbd-bench (contract in request.h).
 *
 * The hot path (one request per response) only copies bytes: the header
 * block of each op is pre-formatted once a second, and bodies are assembled
 * with memcpy and a hand-rolled integer formatter.
 */
#include "request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Not a real signature: see request.h. */
static const char fake_signature[] =
    "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";

static const char *const op_target[DDB_BENCH_OP__COUNT] = {
    [DDB_BENCH_OP_HEALTH] = NULL,
    [DDB_BENCH_OP_GET] = "GetItem",
    [DDB_BENCH_OP_PUT] = "PutItem",
    [DDB_BENCH_OP_QUERY] = "Query",
    [DDB_BENCH_OP_PUT_RANGE] = "PutItem",
    [DDB_BENCH_OP_CREATE_TABLE] = "CreateTable",
    [DDB_BENCH_OP_CREATE_TABLE_RANGE] = "CreateTable",
    [DDB_BENCH_OP_DESCRIBE_TABLE] = "DescribeTable",
    [DDB_BENCH_OP_BATCH_WRITE] = "BatchWriteItem",
};

/* Zero-padded decimal of at least width digits; returns the length. */
static size_t put_padded(char *out, uint64_t v, int width)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n < width)
        tmp[n++] = '0';
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return (size_t)n;
}

size_t ddb_bench_key_hash_only(uint64_t i, char *out)
{
    out[0] = 'k';
    return 1 + put_padded(out + 1, i, 10);
}

static size_t key_partition(uint64_t p, char *out)
{
    out[0] = 'p';
    return 1 + put_padded(out + 1, p, 8);
}

static size_t key_sort(uint64_t s, char *out)
{
    out[0] = 's';
    return 1 + put_padded(out + 1, s, 8);
}

int ddb_bench_request_init(struct ddb_bench_reqctx *ctx, const char *host, const char *table,
                           size_t item_size, unsigned query_limit, unsigned per_partition)
{
    memset(ctx, 0, sizeof *ctx);
    if (strlen(host) >= sizeof ctx->host || strlen(table) >= sizeof ctx->table)
        return -1;
    strcpy(ctx->host, host);
    strcpy(ctx->table, table);
    ctx->item_size = item_size;
    ctx->query_limit = query_limit;
    ctx->per_partition = per_partition ? per_partition : 1;
    char *f = malloc(item_size + 1);
    if (f == NULL)
        abort();
    for (size_t i = 0; i < item_size; i++)
        f[i] = (char)('a' + i % 26);
    f[item_size] = '\0';
    ctx->filler = f;
    ctx->clock_sec = (time_t)-1;
    ddb_bench_request_clock(ctx, time(NULL));
    return 0;
}

void ddb_bench_request_release(struct ddb_bench_reqctx *ctx)
{
    free((void *)ctx->filler);
    ctx->filler = NULL;
}

void ddb_bench_request_clock(struct ddb_bench_reqctx *ctx, time_t now)
{
    if (now == ctx->clock_sec)
        return;
    ctx->clock_sec = now;
    struct tm tm;
    gmtime_r(&now, &tm);
    char amz_date[32], day[16];
    strftime(amz_date, sizeof amz_date, "%Y%m%dT%H%M%SZ", &tm);
    strftime(day, sizeof day, "%Y%m%d", &tm);
    for (int op = 0; op < DDB_BENCH_OP__COUNT; op++) {
        int n;
        if (op_target[op] == NULL) {
            n = snprintf(ctx->prefix[op], sizeof ctx->prefix[op],
                         "GET / HTTP/1.1\r\n"
                         "Host: %s\r\n"
                         "User-Agent: ddbd-bench/0.1\r\n"
                         "Accept-Encoding: identity\r\n",
                         ctx->host);
        } else {
            n = snprintf(ctx->prefix[op], sizeof ctx->prefix[op],
                         "POST / HTTP/1.1\r\n"
                         "Host: %s\r\n"
                         "User-Agent: ddbd-bench/0.1\r\n"
                         "Accept-Encoding: identity\r\n"
                         "Content-Type: application/x-amz-json-1.0\r\n"
                         "X-Amz-Date: %s\r\n"
                         "X-Amz-Target: DynamoDB_20120810.%s\r\n"
                         "Authorization: AWS4-HMAC-SHA256 "
                         "Credential=AKIDEXAMPLE/%s/us-east-1/dynamodb/aws4_request, "
                         "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
                         "Signature=%s\r\n",
                         ctx->host, amz_date, op_target[op], day, fake_signature);
        }
        /* cannot happen: host is capped well below the prefix size */
        if (n < 0 || (size_t)n >= sizeof ctx->prefix[op])
            abort();
        ctx->prefix_len[op] = (size_t)n;
    }
}

size_t ddb_bench_request_max(const struct ddb_bench_reqctx *ctx)
{
    /* a BatchWriteItem carries DDB_BENCH_BATCH_PUTS items and their framing */
    return sizeof ctx->prefix[0] + DDB_BENCH_REQUEST_OVERHEAD + 2 * DDB_BENCH_TABLE_MAX +
           DDB_BENCH_BATCH_PUTS * (ctx->item_size + 64) + 20 * 160 /* --gsis */;
}

/* A cursor that writes into a buffer sized by ddb_bench_request_max(). */
struct out {
    char *p;
    char *end;
};

static void put(struct out *o, const void *s, size_t n)
{
    if ((size_t)(o->end - o->p) < n)
        abort(); /* cannot happen: the caller sized the buffer with request_max */
    memcpy(o->p, s, n);
    o->p += n;
}

#define PUT_LIT(o, s) put((o), (s), sizeof(s) - 1)

static void put_str(struct out *o, const char *s)
{
    put(o, s, strlen(s));
}

/* {"S":"<v>"} */
static void put_s(struct out *o, const char *v, size_t n)
{
    PUT_LIT(o, "{\"S\":\"");
    put(o, v, n);
    PUT_LIT(o, "\"}");
}

/* DynamoDB's item size: attribute names plus value bytes. The filler
 * attribute "v" makes up the rest of item_size (at least one byte). */
static size_t filler_len(size_t item_size, size_t used)
{
    return item_size > used + 1 ? item_size - used : 1;
}

static void body_for(const struct ddb_bench_reqctx *ctx, enum ddb_bench_op op, uint64_t key,
                     struct out *o, char *expect, size_t *expect_len)
{
    char k1[24], k2[24];
    size_t n1, n2, fl;
    *expect_len = 0;
    switch (op) {
    case DDB_BENCH_OP_HEALTH:
    case DDB_BENCH_OP__COUNT:
        return;
    case DDB_BENCH_OP_GET:
    case DDB_BENCH_OP_PUT:
        n1 = ddb_bench_key_hash_only(key, k1);
        PUT_LIT(o, "{\"TableName\":\"");
        put_str(o, ctx->table);
        if (op == DDB_BENCH_OP_GET) {
            PUT_LIT(o, "\",\"Key\":{\"pk\":");
            put_s(o, k1, n1);
            PUT_LIT(o, "}}");
            expect[0] = '"';
            memcpy(expect + 1, k1, n1);
            expect[n1 + 1] = '"';
            *expect_len = n1 + 2;
        } else {
            PUT_LIT(o, "\",\"Item\":{\"pk\":");
            put_s(o, k1, n1);
            PUT_LIT(o, ",\"v\":");
            fl = filler_len(ctx->item_size, 2 + n1 + 1);
            put_s(o, ctx->filler, fl);
            PUT_LIT(o, "}}");
        }
        return;
    case DDB_BENCH_OP_BATCH_WRITE:
        PUT_LIT(o, "{\"RequestItems\":{\"");
        put_str(o, ctx->table);
        PUT_LIT(o, "\":[");
        for (uint64_t j = 0; j < DDB_BENCH_BATCH_PUTS; j++) {
            uint64_t k = key + j;
            if (ctx->keys_total > 0)
                k %= ctx->keys_total;
            n1 = ddb_bench_key_hash_only(k, k1);
            if (j > 0)
                PUT_LIT(o, ",");
            PUT_LIT(o, "{\"PutRequest\":{\"Item\":{\"pk\":");
            put_s(o, k1, n1);
            PUT_LIT(o, ",\"v\":");
            put_s(o, ctx->filler, filler_len(ctx->item_size, 2 + n1 + 1));
            PUT_LIT(o, "}}}");
        }
        PUT_LIT(o, "]}}");
        memcpy(expect, "\"UnprocessedItems\":{}", 21);
        *expect_len = 21;
        return;
    case DDB_BENCH_OP_PUT_RANGE:
        n1 = key_partition(key / ctx->per_partition, k1);
        n2 = key_sort(key % ctx->per_partition, k2);
        PUT_LIT(o, "{\"TableName\":\"");
        put_str(o, ctx->table);
        PUT_LIT(o, "\",\"Item\":{\"pk\":");
        put_s(o, k1, n1);
        PUT_LIT(o, ",\"sk\":");
        put_s(o, k2, n2);
        PUT_LIT(o, ",\"v\":");
        fl = filler_len(ctx->item_size, 2 + n1 + 2 + n2 + 1);
        put_s(o, ctx->filler, fl);
        PUT_LIT(o, "}}");
        return;
    case DDB_BENCH_OP_QUERY: {
        n1 = key_partition(key, k1);
        PUT_LIT(o, "{\"TableName\":\"");
        put_str(o, ctx->table);
        PUT_LIT(o, "\",\"KeyConditionExpression\":\"pk = :p\","
                   "\"ExpressionAttributeValues\":{\":p\":");
        put_s(o, k1, n1);
        PUT_LIT(o, "},\"Limit\":");
        char num[24];
        put(o, num, put_padded(num, ctx->query_limit, 1));
        PUT_LIT(o, "}");
        expect[0] = '"';
        memcpy(expect + 1, k1, n1);
        expect[n1 + 1] = '"';
        *expect_len = n1 + 2;
        return;
    }
    case DDB_BENCH_OP_CREATE_TABLE:
    case DDB_BENCH_OP_CREATE_TABLE_RANGE:
        PUT_LIT(o, "{\"TableName\":\"");
        put_str(o, ctx->table);
        PUT_LIT(o, "\",\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"}");
        if (op == DDB_BENCH_OP_CREATE_TABLE_RANGE)
            PUT_LIT(o, ",{\"AttributeName\":\"sk\",\"AttributeType\":\"S\"}");
        PUT_LIT(o, "],\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}");
        if (op == DDB_BENCH_OP_CREATE_TABLE_RANGE)
            PUT_LIT(o, ",{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}");
        PUT_LIT(o, "]");
        /* --gsis N: N indexes on the partition key projecting ALL, so every put
         * writes N full index entries besides the item */
        for (unsigned g = 0; g < ctx->gsis && g < 20; g++) {
            if (g == 0)
                PUT_LIT(o, ",\"GlobalSecondaryIndexes\":[");
            else
                PUT_LIT(o, ",");
            PUT_LIT(o, "{\"IndexName\":\"gsi");
            char num[24];
            put(o, num, put_padded(num, g, 2));
            PUT_LIT(o, "\",\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}],"
                       "\"Projection\":{\"ProjectionType\":\"ALL\"}}");
            if (g + 1 == ctx->gsis || g + 1 == 20)
                PUT_LIT(o, "]");
        }
        PUT_LIT(o, ",\"BillingMode\":\"PAY_PER_REQUEST\"}");
        return;
    case DDB_BENCH_OP_DESCRIBE_TABLE:
        PUT_LIT(o, "{\"TableName\":\"");
        put_str(o, ctx->table);
        PUT_LIT(o, "\"}");
        return;
    }
}

size_t ddb_bench_request_build(const struct ddb_bench_reqctx *ctx, enum ddb_bench_op op,
                               uint64_t key, char *buf, size_t cap,
                               char expect[DDB_BENCH_EXPECT_MAX], size_t *expect_len)
{
    struct out o = {buf, buf + cap};
    put(&o, ctx->prefix[op], ctx->prefix_len[op]);
    if (op == DDB_BENCH_OP_HEALTH) {
        *expect_len = 0;
        PUT_LIT(&o, "\r\n");
        return (size_t)(o.p - buf);
    }
    /* The body goes after room for the Content-Length line, then the line is
     * written in front of it and the body moved up against it. */
    char *cl_at = o.p;
    size_t cl_room = sizeof("Content-Length: 18446744073709551615\r\n\r\n") - 1;
    if ((size_t)(o.end - o.p) < cl_room)
        abort(); /* cannot happen: sized by request_max */
    o.p += cl_room;
    char *body = o.p;
    body_for(ctx, op, key, &o, expect, expect_len);
    size_t body_len = (size_t)(o.p - body);
    struct out h = {cl_at, cl_at + cl_room};
    char num[24];
    PUT_LIT(&h, "Content-Length: ");
    put(&h, num, put_padded(num, body_len, 1));
    PUT_LIT(&h, "\r\n\r\n");
    memmove(h.p, body, body_len);
    return (size_t)(h.p + body_len - buf);
}
