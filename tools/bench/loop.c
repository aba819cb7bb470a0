/*
 * loop.c: the epoll loop of one load-generating thread (contract in loop.h).
 *
 * Level-triggered epoll: a connection always waits for EPOLLIN, and for
 * EPOLLOUT only while connecting or while a request is partly written. After
 * every read the whole receive buffer is handed to the stateless parser;
 * responses are small, so re-parsing a partial one costs little.
 */
#include "loop.h"

#include <errno.h>
#include <stdarg.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "http_parse.h"

#define RBUF_INITIAL (16u * 1024)
/* Raw bytes of one response: body cap, header cap, and room for chunk framing. */
#define RBUF_MAX (2u * DDB_BENCH_MAX_RESPONSE_BODY + DDB_BENCH_HTTP_MAX_HEADER)
#define CONNECT_RETRY_NS (100 * 1000000LL)
#define MAX_EVENTS 64

enum conn_state {
    C_BACKOFF,    /* closed; reopen at retry_at */
    C_CONNECTING, /* non-blocking connect in progress */
    C_SENDING,    /* request partly written */
    C_WAITING,    /* request written, response pending */
    C_DONE,       /* load mode: no keys left; closed */
};

struct ddb_bench_conn {
    int fd;
    enum conn_state state;
    bool want_out;    /* EPOLLOUT currently registered */
    bool outstanding; /* a request was sent and its response not yet parsed */
    enum ddb_bench_op op;
    int64_t t_send;
    int64_t retry_at;
    char *sbuf;
    size_t scap, slen, soff;
    char *rbuf;
    char *scratch; /* chunked bodies; same capacity as rbuf */
    size_t rcap, rlen;
    char expect[DDB_BENCH_EXPECT_MAX];
    size_t expect_len;
};

struct loop {
    struct ddb_bench_thread *t;
    int ep;
    unsigned active; /* connections not C_DONE */
    unsigned backoff; /* connections in C_BACKOFF */
};

int64_t ddb_bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static uint64_t rng_next(uint64_t *s)
{
    /* xorshift64* */
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static uint64_t rng_below(uint64_t *s, uint64_t n)
{
    return (uint64_t)(((unsigned __int128)rng_next(s) * n) >> 64);
}

static bool in_window(const struct ddb_bench_shared *sh, int64_t t)
{
    return t >= sh->measure_start_ns && t < sh->measure_end_ns;
}

static void note_error(struct ddb_bench_thread *t, enum ddb_bench_err kind, const char *fmt,
                       ...) DDB_PRINTF(3, 4);

static void note_error(struct ddb_bench_thread *t, enum ddb_bench_err kind, const char *fmt, ...)
{
    t->errors[kind]++;
    if (t->first_error[0] != '\0')
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->first_error, sizeof t->first_error, fmt, ap);
    va_end(ap);
}

static void set_events(struct loop *L, struct ddb_bench_conn *c, bool want_out)
{
    if (c->want_out == want_out)
        return;
    struct epoll_event ev = {.events = EPOLLIN | (want_out ? EPOLLOUT : 0), .data.ptr = c};
    if (epoll_ctl(L->ep, EPOLL_CTL_MOD, c->fd, &ev) != 0) {
        perror("ddbd-bench: epoll_ctl");
        abort(); /* cannot happen: fd is registered */
    }
    c->want_out = want_out;
}

static void conn_close(struct loop *L, struct ddb_bench_conn *c, enum conn_state next,
                       int64_t retry_at)
{
    if (c->fd >= 0) {
        close(c->fd); /* also leaves the epoll set */
        c->fd = -1;
    }
    c->rlen = 0;
    c->slen = c->soff = 0;
    c->outstanding = false;
    c->want_out = false;
    if (next == C_BACKOFF) {
        L->backoff++;
        c->retry_at = retry_at;
    } else if (next == C_DONE) {
        L->active--;
    }
    c->state = next;
}

static void conn_fail(struct loop *L, struct ddb_bench_conn *c, int64_t retry_at)
{
    conn_close(L, c, C_BACKOFF, retry_at);
}

static void conn_issue(struct loop *L, struct ddb_bench_conn *c);

static void conn_open(struct loop *L, struct ddb_bench_conn *c)
{
    struct ddb_bench_thread *t = L->t;
    const struct ddb_bench_shared *sh = t->sh;
    int64_t now = ddb_bench_now_ns();
    int fd = socket(sh->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        note_error(t, DDB_BENCH_ERR_IO, "socket: %s", strerror(errno));
        c->state = C_BACKOFF;
        c->retry_at = now + CONNECT_RETRY_NS;
        L->backoff++;
        return;
    }
    int one = 1;
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    c->fd = fd;
    c->rlen = 0;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
    if (epoll_ctl(L->ep, EPOLL_CTL_ADD, fd, &ev) != 0) {
        perror("ddbd-bench: epoll_ctl");
        abort(); /* cannot happen: a fresh fd */
    }
    c->want_out = true;
    if (connect(fd, (const struct sockaddr *)&sh->addr, sh->addr_len) == 0) {
        set_events(L, c, false);
        conn_issue(L, c);
        return;
    }
    if (errno != EINPROGRESS) {
        note_error(t, DDB_BENCH_ERR_IO, "connect: %s", strerror(errno));
        conn_fail(L, c, now + CONNECT_RETRY_NS);
        return;
    }
    c->state = C_CONNECTING;
}

static void conn_write(struct loop *L, struct ddb_bench_conn *c)
{
    while (c->soff < c->slen) {
        ssize_t n = send(c->fd, c->sbuf + c->soff, c->slen - c->soff, MSG_NOSIGNAL);
        if (n > 0) {
            c->soff += (size_t)n;
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            set_events(L, c, true);
            return;
        }
        if (n < 0 && errno == EINTR)
            continue;
        note_error(L->t, DDB_BENCH_ERR_IO, "send: %s", n < 0 ? strerror(errno) : "short");
        conn_fail(L, c, ddb_bench_now_ns());
        return;
    }
    c->state = C_WAITING;
    set_events(L, c, false);
}

static void conn_issue(struct loop *L, struct ddb_bench_conn *c)
{
    struct ddb_bench_thread *t = L->t;
    struct ddb_bench_shared *sh = t->sh;
    uint64_t key = 0;
    enum ddb_bench_op op = DDB_BENCH_OP_HEALTH;

    switch (sh->workload) {
    case DDB_BENCH_WL_HEALTH:
        op = DDB_BENCH_OP_HEALTH;
        break;
    case DDB_BENCH_WL_GET:
        op = DDB_BENCH_OP_GET;
        key = rng_below(&t->rng, sh->keys);
        break;
    case DDB_BENCH_WL_PUT:
        op = DDB_BENCH_OP_PUT;
        key = rng_below(&t->rng, sh->keys);
        break;
    case DDB_BENCH_WL_QUERY:
        op = DDB_BENCH_OP_QUERY;
        key = rng_below(&t->rng, sh->partitions);
        break;
    case DDB_BENCH_WL_BATCH_WRITE:
        op = DDB_BENCH_OP_BATCH_WRITE;
        key = rng_below(&t->rng, sh->keys);
        break;
    case DDB_BENCH_WL_MIXED:
        op = (double)(rng_next(&t->rng) >> 11) * 0x1.0p-53 < sh->read_ratio ? DDB_BENCH_OP_GET
                                                                             : DDB_BENCH_OP_PUT;
        key = rng_below(&t->rng, sh->keys);
        break;
    case DDB_BENCH_WL_LOAD:
    case DDB_BENCH_WL_LOAD_RANGE:
        op = sh->workload == DDB_BENCH_WL_LOAD ? DDB_BENCH_OP_PUT : DDB_BENCH_OP_PUT_RANGE;
        key = atomic_fetch_add(&sh->load_next, 1);
        if (key >= sh->keys) {
            conn_close(L, c, C_DONE, 0);
            return;
        }
        break;
    }
    ddb_bench_request_clock(&t->rc, time(NULL));
    c->op = op;
    c->slen = ddb_bench_request_build(&t->rc, op, key, c->sbuf, c->scap, c->expect,
                                      &c->expect_len);
    c->soff = 0;
    c->outstanding = true;
    c->state = C_SENDING;
    c->t_send = ddb_bench_now_ns();
    conn_write(L, c);
}

/* Checks a complete response; returns false (after counting the error) when
 * it is wrong. */
static bool verify(struct ddb_bench_thread *t, const struct ddb_bench_conn *c,
                   const struct ddb_bench_http_resp *r)
{
    const char *body = r->body.ptr;
    size_t len = r->body.len;
    int shown = (int)(len < 160 ? len : 160);
    if (r->status != 200) {
        note_error(t, DDB_BENCH_ERR_STATUS, "status %d: %.*s", r->status, shown, body);
        return false;
    }
    if (!r->has_crc32 && c->op != DDB_BENCH_OP_HEALTH) {
        note_error(t, DDB_BENCH_ERR_CRC, "no x-amz-crc32 header: %.*s", shown, body);
        return false;
    }
    if (r->has_crc32) {
        uint32_t crc = (uint32_t)crc32(0L, (const Bytef *)body, (uInt)len);
        if (crc != r->crc32) {
            note_error(t, DDB_BENCH_ERR_CRC, "x-amz-crc32 %u, body's crc32 %u", r->crc32, crc);
            return false;
        }
    }
    if (c->op == DDB_BENCH_OP_HEALTH && (len < 7 || memcmp(body, "healthy", 7) != 0)) {
        note_error(t, DDB_BENCH_ERR_BODY, "GET / answered: %.*s", shown, body);
        return false;
    }
    if (c->expect_len > 0 && memmem(body, len, c->expect, c->expect_len) == NULL) {
        note_error(t, DDB_BENCH_ERR_BODY, "answer lacks %.*s: %.*s", (int)c->expect_len,
                   c->expect, shown, body);
        return false;
    }
    return true;
}

/* Grows the receive buffer (and the chunk scratch with it); false at the cap. */
static bool rbuf_grow(struct ddb_bench_conn *c)
{
    if (c->rcap >= RBUF_MAX)
        return false;
    size_t cap = c->rcap * 2 > RBUF_MAX ? RBUF_MAX : c->rcap * 2;
    char *r = realloc(c->rbuf, cap);
    char *s = realloc(c->scratch, cap);
    if (r == NULL || s == NULL)
        abort();
    c->rbuf = r;
    c->scratch = s;
    c->rcap = cap;
    return true;
}

/* Parses what has arrived; eof says the peer closed. */
static void conn_on_data(struct loop *L, struct ddb_bench_conn *c, bool eof)
{
    struct ddb_bench_thread *t = L->t;
    for (;;) {
        struct ddb_bench_http_resp r;
        ssize_t n = ddb_bench_http_parse(c->rbuf, c->rlen, DDB_BENCH_MAX_RESPONSE_BODY,
                                         c->scratch, c->rcap, eof, &r);
        if (n == DDB_BENCH_HTTP_INCOMPLETE)
            return;
        if (n == DDB_BENCH_HTTP_ERROR) {
            if (eof && c->rlen == 0 && !c->outstanding) {
                t->reconnects++; /* an idle keep-alive connection was closed */
            } else if (eof && c->rlen == 0) {
                note_error(t, DDB_BENCH_ERR_IO, "connection closed with a request outstanding");
            } else {
                int shown = (int)(c->rlen < 160 ? c->rlen : 160);
                note_error(t, DDB_BENCH_ERR_HTTP, "malformed response: %.*s", shown, c->rbuf);
            }
            conn_fail(L, c, ddb_bench_now_ns());
            return;
        }
        if (!c->outstanding) {
            note_error(t, DDB_BENCH_ERR_HTTP, "response without a request");
            conn_fail(L, c, ddb_bench_now_ns());
            return;
        }
        if (r.status >= 100 && r.status < 200) { /* interim: the real answer follows */
            memmove(c->rbuf, c->rbuf + n, c->rlen - (size_t)n);
            c->rlen -= (size_t)n;
            continue;
        }
        int64_t done = ddb_bench_now_ns();
        if ((size_t)n < c->rlen) {
            /* One request, more than one answer (or a wrong length): the
             * connection cannot be trusted, and neither can this answer. */
            note_error(t, DDB_BENCH_ERR_HTTP, "%zu bytes after the response",
                       c->rlen - (size_t)n);
            conn_fail(L, c, done);
            return;
        }
        bool ok = verify(t, c, &r);
        if (in_window(t->sh, done)) {
            t->bytes_sent += c->slen;
            t->bytes_received += (uint64_t)n;
            if (ok) {
                t->ops++;
                ddb_bench_hist_record(&t->hist, (uint64_t)(done - c->t_send));
            }
        }
        c->outstanding = false;
        c->rlen = 0;
        if (!r.keep_alive || eof) {
            t->reconnects++;
            conn_close(L, c, C_BACKOFF, done);
            return;
        }
        if (c->state == C_SENDING) {
            /* The server answered before reading the whole request; its
             * connection state is unknown now. */
            note_error(t, DDB_BENCH_ERR_HTTP, "response before the request was sent");
            conn_fail(L, c, done);
            return;
        }
        conn_issue(L, c);
        return;
    }
}

static void conn_read(struct loop *L, struct ddb_bench_conn *c)
{
    if (c->rlen == c->rcap && !rbuf_grow(c)) {
        note_error(L->t, DDB_BENCH_ERR_HTTP, "response over %u bytes", RBUF_MAX);
        conn_fail(L, c, ddb_bench_now_ns());
        return;
    }
    ssize_t n = recv(c->fd, c->rbuf + c->rlen, c->rcap - c->rlen, 0);
    if (n > 0) {
        c->rlen += (size_t)n;
        conn_on_data(L, c, false);
        return;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    if (n < 0) {
        note_error(L->t, DDB_BENCH_ERR_IO, "recv: %s", strerror(errno));
        conn_fail(L, c, ddb_bench_now_ns());
        return;
    }
    conn_on_data(L, c, true);
    if (c->fd >= 0) {
        /* cannot happen: the parser ends every call with eof either way */
        note_error(L->t, DDB_BENCH_ERR_IO, "connection closed");
        conn_fail(L, c, ddb_bench_now_ns());
    }
}

static void conn_event(struct loop *L, struct ddb_bench_conn *c, uint32_t events)
{
    if (c->state == C_CONNECTING) {
        int err = 0;
        socklen_t len = sizeof err;
        if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
            err = errno;
        if (err != 0) {
            note_error(L->t, DDB_BENCH_ERR_IO, "connect: %s", strerror(err));
            conn_fail(L, c, ddb_bench_now_ns() + CONNECT_RETRY_NS);
            return;
        }
        if (!(events & EPOLLOUT))
            return;
        set_events(L, c, false);
        conn_issue(L, c);
        return;
    }
    if ((events & EPOLLOUT) && c->state == C_SENDING) {
        conn_write(L, c);
        if (c->fd < 0)
            return;
    }
    if (events & (EPOLLIN | EPOLLERR | EPOLLHUP))
        conn_read(L, c);
}

static void conns_setup(struct ddb_bench_thread *t)
{
    const struct ddb_bench_shared *sh = t->sh;
    t->nconns = 0;
    for (unsigned i = t->id; i < sh->connections; i += sh->threads)
        t->nconns++;
    t->conns = calloc(t->nconns ? t->nconns : 1, sizeof *t->conns);
    if (t->conns == NULL)
        abort();
    size_t scap = ddb_bench_request_max(&t->rc);
    for (unsigned i = 0; i < t->nconns; i++) {
        struct ddb_bench_conn *c = &t->conns[i];
        c->fd = -1;
        c->scap = scap;
        c->sbuf = malloc(scap);
        c->rcap = RBUF_INITIAL;
        c->rbuf = malloc(c->rcap);
        c->scratch = malloc(c->rcap);
        if (c->sbuf == NULL || c->rbuf == NULL || c->scratch == NULL)
            abort();
    }
}

static void conns_release(struct ddb_bench_thread *t)
{
    for (unsigned i = 0; i < t->nconns; i++) {
        struct ddb_bench_conn *c = &t->conns[i];
        if (c->fd >= 0)
            close(c->fd);
        free(c->sbuf);
        free(c->rbuf);
        free(c->scratch);
    }
    free(t->conns);
    t->conns = NULL;
}

void *ddb_bench_thread_main(void *arg)
{
    struct ddb_bench_thread *t = arg;
    struct ddb_bench_shared *sh = t->sh;
    struct loop L = {.t = t};

    t->rc = *sh->reqctx; /* the filler is shared read-only; the dates are per thread */
    t->rng = sh->seed ^ (0x9E3779B97F4A7C15ULL * (t->id + 1));
    if (t->rng == 0)
        t->rng = 1;
    ddb_bench_hist_init(&t->hist);
    conns_setup(t);
    L.ep = epoll_create1(EPOLL_CLOEXEC);
    if (L.ep < 0) {
        perror("ddbd-bench: epoll_create1");
        abort();
    }
    L.active = t->nconns;
    for (unsigned i = 0; i < t->nconns; i++)
        conn_open(&L, &t->conns[i]);

    struct epoll_event evs[MAX_EVENTS];
    for (;;) {
        int64_t now = ddb_bench_now_ns();
        if (now >= sh->measure_end_ns || L.active == 0)
            break;
        int64_t wait_ns = sh->measure_end_ns - now;
        if (wait_ns > 10 * 1000000LL)
            wait_ns = 10 * 1000000LL;
        int n = epoll_wait(L.ep, evs, MAX_EVENTS, (int)((wait_ns + 999999) / 1000000));
        if (n < 0 && errno != EINTR) {
            perror("ddbd-bench: epoll_wait");
            abort();
        }
        for (int i = 0; i < n; i++)
            conn_event(&L, evs[i].data.ptr, evs[i].events);
        if (L.backoff > 0) {
            now = ddb_bench_now_ns();
            for (unsigned i = 0; i < t->nconns; i++) {
                struct ddb_bench_conn *c = &t->conns[i];
                if (c->state == C_BACKOFF && c->retry_at <= now) {
                    L.backoff--;
                    conn_open(&L, c);
                }
            }
        }
    }
    conns_release(t);
    close(L.ep);
    return NULL;
}
