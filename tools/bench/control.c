/*
 * control.c: one-shot blocking requests (contract in control.h).
 */
#include "control.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "http_parse.h"

#define RAW_MAX (2 * DDB_BENCH_CONTROL_BODY_MAX + DDB_BENCH_HTTP_MAX_HEADER)

static int wait_fd(int fd, short events, int timeout_ms)
{
    struct pollfd p = {.fd = fd, .events = events};
    int n;
    do {
        n = poll(&p, 1, timeout_ms);
    } while (n < 0 && errno == EINTR);
    if (n == 0)
        errno = ETIMEDOUT;
    return n > 0 ? 0 : -1;
}

int ddb_bench_control_call(const struct sockaddr *addr, socklen_t addr_len,
                           const struct ddb_bench_reqctx *rc, enum ddb_bench_op op,
                           int timeout_ms, struct ddb_bench_control_reply *reply, char *err,
                           size_t err_cap)
{
    int rc_out = -1;
    int fd = -1;
    char *req = NULL, *raw = NULL, *scratch = NULL;
    size_t cap = ddb_bench_request_max(rc);
    char expect[DDB_BENCH_EXPECT_MAX];
    size_t expect_len;

    req = malloc(cap);
    raw = malloc(RAW_MAX);
    scratch = malloc(RAW_MAX);
    if (req == NULL || raw == NULL || scratch == NULL)
        abort();
    size_t req_len = ddb_bench_request_build(rc, op, 0, req, cap, expect, &expect_len);

    fd = socket(addr->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, err_cap, "socket: %s", strerror(errno));
        goto out;
    }
    int one = 1;
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, addr, addr_len) != 0) {
        int e = errno;
        if (e != EINPROGRESS) {
            snprintf(err, err_cap, "connect: %s", strerror(e));
            goto out;
        }
        if (wait_fd(fd, POLLOUT, timeout_ms) != 0) {
            snprintf(err, err_cap, "connect: %s", strerror(errno));
            goto out;
        }
        socklen_t len = sizeof e;
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) != 0 || e != 0) {
            snprintf(err, err_cap, "connect: %s", strerror(e ? e : errno));
            goto out;
        }
    }
    for (size_t off = 0; off < req_len;) {
        if (wait_fd(fd, POLLOUT, timeout_ms) != 0) {
            snprintf(err, err_cap, "send: %s", strerror(errno));
            goto out;
        }
        ssize_t n = send(fd, req + off, req_len - off, MSG_NOSIGNAL);
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        if (n <= 0) {
            snprintf(err, err_cap, "send: %s", strerror(errno));
            goto out;
        }
        off += (size_t)n;
    }
    size_t have = 0;
    for (;;) {
        struct ddb_bench_http_resp r;
        bool eof = false;
        if (have == RAW_MAX) {
            snprintf(err, err_cap, "response over %u bytes", (unsigned)RAW_MAX);
            goto out;
        }
        if (wait_fd(fd, POLLIN, timeout_ms) != 0) {
            snprintf(err, err_cap, "recv: %s", strerror(errno));
            goto out;
        }
        ssize_t n = recv(fd, raw + have, RAW_MAX - have, 0);
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        if (n < 0) {
            snprintf(err, err_cap, "recv: %s", strerror(errno));
            goto out;
        }
        if (n == 0)
            eof = true;
        have += (size_t)n;
        ssize_t used = ddb_bench_http_parse(raw, have, DDB_BENCH_CONTROL_BODY_MAX, scratch,
                                            RAW_MAX, eof, &r);
        if (used == DDB_BENCH_HTTP_INCOMPLETE)
            continue;
        if (used == DDB_BENCH_HTTP_ERROR) {
            snprintf(err, err_cap, have ? "malformed response" : "connection closed");
            goto out;
        }
        if (r.status < 200) { /* interim response */
            memmove(raw, raw + used, have - (size_t)used);
            have -= (size_t)used;
            continue;
        }
        if (r.has_crc32 &&
            crc32(0L, (const Bytef *)r.body.ptr, (uInt)r.body.len) != r.crc32) {
            snprintf(err, err_cap, "x-amz-crc32 does not match the body");
            goto out;
        }
        reply->status = r.status;
        reply->body_len = r.body.len;
        memcpy(reply->body, r.body.ptr, r.body.len);
        reply->body[r.body.len] = '\0';
        break;
    }
    rc_out = 0;
out:
    if (fd >= 0)
        close(fd);
    free(req);
    free(raw);
    free(scratch);
    return rc_out;
}
