/*
 * request.h: builds the HTTP requests ddbd-bench sends.
 *
 * Each request carries what the AWS SDKs send to DynamoDB: Host,
 * Content-Type application/x-amz-json-1.0, X-Amz-Target
 * DynamoDB_20120810.<Op>, X-Amz-Date and a well-formed SigV4 Authorization
 * header. The signature is NOT computed (a fixed 64-hex string): ddbd does
 * not verify signatures yet, and hashing every request would spend the CPU
 * the server shares with the bench. Content-Length always; no chunked bodies.
 *
 * Keys: the key set is the integers 0..keys-1. A hash-only table ("get"
 * shape) stores item i under pk "k%010u". A query table stores item i under
 * pk "p%08u" (i / per_partition) and sk "s%08u" (i % per_partition).
 *
 * Thread safety: a ddb_bench_reqctx belongs to one thread.
 */
#ifndef DDB_BENCH_REQUEST_H
#define DDB_BENCH_REQUEST_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "protocol/base.h"

enum ddb_bench_op {
    DDB_BENCH_OP_HEALTH,         /* GET / */
    DDB_BENCH_OP_GET,            /* GetItem on a hash-only table */
    DDB_BENCH_OP_PUT,            /* PutItem on a hash-only table */
    DDB_BENCH_OP_QUERY,          /* Query one partition with a Limit */
    DDB_BENCH_OP_PUT_RANGE,      /* PutItem on a query (hash + range) table */
    DDB_BENCH_OP_CREATE_TABLE,   /* hash-only table */
    DDB_BENCH_OP_CREATE_TABLE_RANGE, /* hash + range table */
    DDB_BENCH_OP_DESCRIBE_TABLE,
    DDB_BENCH_OP_BATCH_WRITE,    /* BatchWriteItem: DDB_BENCH_BATCH_PUTS puts on a hash-only table */
    DDB_BENCH_OP__COUNT
};

#define DDB_BENCH_TABLE_MAX 255
#define DDB_BENCH_HOST_MAX 300
#define DDB_BENCH_EXPECT_MAX 32
/* Puts per BatchWriteItem request (DynamoDB's maximum). */
#define DDB_BENCH_BATCH_PUTS 25
/* Bytes of a request besides the item filler: headers and JSON framing. */
#define DDB_BENCH_REQUEST_OVERHEAD 2048

struct ddb_bench_reqctx {
    char host[DDB_BENCH_HOST_MAX];    /* Host header value, "host:port" */
    char table[DDB_BENCH_TABLE_MAX + 1];
    size_t item_size;                 /* approximate DynamoDB item size of puts */
    unsigned query_limit;
    unsigned per_partition;
    unsigned gsis;                    /* --gsis: GSIs in --prepare's CreateTable (<= 20) */
    time_t clock_sec;                 /* second the date headers were built for */
    /* Per op: the request line and headers up to, not including,
     * Content-Length. Rebuilt by ddb_bench_request_clock() each second. */
    char prefix[DDB_BENCH_OP__COUNT][1024];
    size_t prefix_len[DDB_BENCH_OP__COUNT];
    const char *filler;               /* item_size bytes of filler, owned */
    uint64_t keys_total;              /* key set size (BATCH_WRITE wraps here); 0: no wrap */
};

/* Sets up ctx. table must be a valid DynamoDB table name (checked by the
 * caller); host is the Host header value. Returns -1 when a value does not
 * fit. Allocates the filler; release with ddb_bench_request_release(). */
int ddb_bench_request_init(struct ddb_bench_reqctx *ctx, const char *host, const char *table,
                           size_t item_size, unsigned query_limit, unsigned per_partition)
    DDB_MUST_CHECK;
void ddb_bench_request_release(struct ddb_bench_reqctx *ctx);

/* Brings the X-Amz-Date and credential-scope date up to `now` (cheap when
 * the second has not changed). */
void ddb_bench_request_clock(struct ddb_bench_reqctx *ctx, time_t now);

/* The most bytes one request of ctx can take. */
size_t ddb_bench_request_max(const struct ddb_bench_reqctx *ctx);

/*
 * Writes the request for op on key index key into buf (cap bytes, at least
 * ddb_bench_request_max()). For QUERY, key is a partition number; for
 * BATCH_WRITE the first of DDB_BENCH_BATCH_PUTS consecutive key indexes
 * (wrapping at keys_total). Fills expect with text a correct answer contains
 * (GetItem: the item's quoted pk; Query: the partition's quoted pk;
 * BatchWriteItem: an empty "UnprocessedItems":{}), or sets *expect_len to 0.
 * Returns the request's length.
 */
size_t ddb_bench_request_build(const struct ddb_bench_reqctx *ctx, enum ddb_bench_op op,
                               uint64_t key, char *buf, size_t cap,
                               char expect[DDB_BENCH_EXPECT_MAX], size_t *expect_len);

/* Formats key index i the way items are stored: "k%010u" into out (at
 * least 24 bytes); returns the length. Exposed for the tests. */
size_t ddb_bench_key_hash_only(uint64_t i, char *out);

#endif
