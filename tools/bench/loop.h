/*
 * loop.h: ddbd-bench's load-generating threads.
 *
 * Each thread owns an epoll instance and a share of the connections
 * (connection i belongs to thread i % threads). A connection is a
 * non-blocking, TCP_NODELAY, HTTP/1.1 keep-alive socket with exactly one
 * request outstanding: when its response is complete and verified, the next
 * request goes out at once (a closed loop). A connection the server closes
 * (Connection: close, EOF, reset) is reopened; a failed connect is retried
 * after 100 ms.
 *
 * Timing: latency runs from just before the request's first byte is written
 * to the parse of the response's last byte (CLOCK_MONOTONIC). A response is
 * counted (ops, histogram, bytes) when it completes inside
 * [measure_start_ns, measure_end_ns); the threads stop issuing at
 * measure_end_ns and drop what is in flight. Errors are counted over the
 * whole run, warmup included.
 *
 * Verification of every response: HTTP parses; status 200; x-amz-crc32
 * present (for DynamoDB operations; checked when present on GET /) and equal
 * to zlib's crc32 of the body; GetItem's and Query's body contains the quoted
 * key they asked for; GET /'s body starts with "healthy".
 *
 * Load mode (the --prepare step): connections take key indices 0..keys-1
 * from a shared counter and PutItem each once; a thread ends when the
 * counter is exhausted and its connections are idle, or at measure_end_ns.
 *
 * Thread safety: ddb_bench_shared is written by the main thread before the
 * workers start and read-only afterwards, except the atomics.
 */
#ifndef DDB_BENCH_LOOP_H
#define DDB_BENCH_LOOP_H

#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>

#include "hist.h"
#include "request.h"

enum ddb_bench_workload {
    DDB_BENCH_WL_HEALTH,
    DDB_BENCH_WL_GET,
    DDB_BENCH_WL_PUT,
    DDB_BENCH_WL_QUERY,
    DDB_BENCH_WL_MIXED,
    DDB_BENCH_WL_BATCH_WRITE, /* BatchWriteItem of 25 puts on random consecutive keys */
    DDB_BENCH_WL_LOAD,       /* PutItem each key once (hash-only table) */
    DDB_BENCH_WL_LOAD_RANGE, /* PutItem each key once (query table) */
};

enum ddb_bench_err {
    DDB_BENCH_ERR_IO,     /* connect failure, reset, EOF with a request outstanding */
    DDB_BENCH_ERR_HTTP,   /* unparseable response or a cap exceeded */
    DDB_BENCH_ERR_STATUS, /* status other than 200 */
    DDB_BENCH_ERR_CRC,    /* x-amz-crc32 missing or wrong */
    DDB_BENCH_ERR_BODY,   /* the body lacks the requested key */
    DDB_BENCH_ERR__COUNT
};

/* Largest response accepted (a 1 MB Query page plus JSON overhead). */
#define DDB_BENCH_MAX_RESPONSE_BODY (4u * 1024 * 1024)

struct ddb_bench_shared {
    struct sockaddr_storage addr;
    socklen_t addr_len;
    enum ddb_bench_workload workload;
    unsigned connections;
    unsigned threads;
    uint64_t keys;          /* key indices 0..keys-1 */
    uint64_t partitions;    /* query: partitions 0..partitions-1 */
    double read_ratio;      /* mixed: share of GetItem */
    uint64_t seed;
    int64_t measure_start_ns;
    int64_t measure_end_ns;
    _Atomic uint64_t load_next; /* load mode: next key index to write */
    /* Per-thread request contexts are copied from this template. */
    const struct ddb_bench_reqctx *reqctx;
};

struct ddb_bench_conn;

struct ddb_bench_thread {
    unsigned id;
    pthread_t tid;
    struct ddb_bench_shared *sh;
    struct ddb_bench_reqctx rc;
    struct ddb_bench_conn *conns;
    unsigned nconns;
    uint64_t rng;
    /* results */
    struct ddb_bench_hist hist;
    uint64_t ops;
    uint64_t errors[DDB_BENCH_ERR__COUNT];
    uint64_t bytes_sent;
    uint64_t bytes_received;
    uint64_t reconnects;
    char first_error[256]; /* the first error's description, for diagnosis */
};

/* Monotonic clock in nanoseconds. */
int64_t ddb_bench_now_ns(void);

/* Runs thread t to completion (the pthread entry point; arg is t). */
void *ddb_bench_thread_main(void *arg);

#endif
