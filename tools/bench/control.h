/*
 * control.h: ddbd-bench's one-shot blocking requests (the --prepare step's
 * DescribeTable and CreateTable, and --wait-ready's GET /).
 *
 * Each call opens a fresh connection, sends one request, reads one response
 * (with the same parser as the load loop), checks x-amz-crc32 when present
 * and closes. Not for the measured path.
 *
 * Thread safety: reentrant.
 */
#ifndef DDB_BENCH_CONTROL_H
#define DDB_BENCH_CONTROL_H

#include <sys/socket.h>

#include "request.h"

#define DDB_BENCH_CONTROL_BODY_MAX (256u * 1024)

struct ddb_bench_control_reply {
    int status;
    size_t body_len;
    char body[DDB_BENCH_CONTROL_BODY_MAX + 1]; /* NUL-terminated copy */
};

/* Sends op (key 0) and fills *reply. Returns 0, or -1 with a description in
 * err (err_cap bytes) when the connection, the I/O (timeout_ms per step) or
 * the response (malformed, wrong x-amz-crc32) fails. */
int ddb_bench_control_call(const struct sockaddr *addr, socklen_t addr_len,
                           const struct ddb_bench_reqctx *rc, enum ddb_bench_op op,
                           int timeout_ms, struct ddb_bench_control_reply *reply, char *err,
                           size_t err_cap) DDB_MUST_CHECK;

#endif
