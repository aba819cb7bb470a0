#include "http_framing.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http_head.h"
#include "log.h"
#include "protocol/buf.h"
#include "protocol/limits.h"
#include "reply.h"

/* ---- the drain ---------------------------------------------------------- */

struct drain {
    h2o_socket_t *sock; /* on a dup of the connection's fd, H2O_SOCKET_FLAG_DONT_READ */
    h2o_timeout_entry_t deadline;
    uint64_t left; /* bytes the client declared and has not sent yet; UINT64_MAX: unknown */
    uint64_t read;
    struct drain **link; /* the slot in the request's pool while the answer is being written */
};

/* Each event-loop thread runs one loop: its drains share one timer. */
static _Thread_local h2o_timeout_t drain_timer;
static _Thread_local h2o_loop_t *drain_timer_loop;
static _Thread_local unsigned drains_open;

static void drain_end(struct drain *d)
{
    if (d->link != NULL)
        *d->link = NULL;
    if (h2o_timeout_is_linked(&d->deadline))
        h2o_timeout_unlink(&d->deadline);
    h2o_socket_close(d->sock);
    free(d);
    drains_open--;
}

static void drain_on_deadline(h2o_timeout_entry_t *entry)
{
    drain_end(H2O_STRUCT_FROM_MEMBER(struct drain, deadline, entry));
}

/* Readable (the loop is level-triggered): a bounded number of reads per
 * wake-up, so one drain cannot hold the thread. */
static void drain_on_read(h2o_socket_t *sock, const char *err)
{
    struct drain *d = sock->data;
    if (err != NULL) {
        drain_end(d);
        return;
    }
    char buf[16384];
    int fd = h2o_socket_get_fd(sock);
    for (int i = 0; i < 16; i++) {
        size_t want = sizeof buf;
        if (d->left != UINT64_MAX && d->left < want)
            want = (size_t)d->left;
        ssize_t n = recv(fd, buf, want, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (n <= 0) { /* end of stream, or the client reset */
            drain_end(d);
            return;
        }
        d->read += (uint64_t)n;
        if (d->left != UINT64_MAX)
            d->left -= (uint64_t)n;
        if (d->left == 0 || d->read >= DDB_HTTP_DRAIN_MAX_BYTES) {
            drain_end(d);
            return;
        }
    }
}

/* The connection's socket and the raw head of req at the start of its input
 * buffer (see the header's "Dependency on h2o internals"); NULL when either
 * is not there. */
static h2o_socket_t *raw_head(h2o_req_t *req, struct ddb_http_head *h)
{
    if (req->conn == NULL || req->conn->callbacks->get_socket == NULL)
        return NULL;
    h2o_socket_t *sock = req->conn->callbacks->get_socket(req->conn);
    if (sock == NULL || sock->input == NULL)
        return NULL;
    const char *b = sock->input->bytes;
    size_t n = sock->input->size;
    h2o_iovec_t m = req->input.method;
    if (m.base == NULL || m.len == 0 || n <= m.len || memcmp(b, m.base, m.len) != 0 ||
        b[m.len] != ' ')
        return NULL; /* cannot happen with h2o 2.2.5 */
    if (ddb_http_head_scan(b, n < H2O_MAX_REQLEN ? n : H2O_MAX_REQLEN, h) != 0)
        return NULL;
    return sock;
}

/* h2o disposes the request's pool once it has written the answer, just
 * before it closes its own fd: the answer is in the kernel, so end the
 * stream after it (the client may read until then), and keep reading. */
static void on_answer_written(void *p)
{
    struct drain **slot = p;
    struct drain *d = *slot;
    if (d == NULL)
        return;
    d->link = NULL;
    shutdown(h2o_socket_get_fd(d->sock), SHUT_WR);
}

/* Starts a drain of the rest of req's body, if it is worth one and allowed. */
static void drain_start(h2o_req_t *req)
{
    struct ddb_http_head h;
    h2o_socket_t *sock = raw_head(req, &h);
    if (sock == NULL || drains_open >= DDB_HTTP_DRAIN_MAX_PER_THREAD)
        return;
    uint64_t left = UINT64_MAX;
    if (h.content_lengths == 1 && h.transfer_encodings == 0 && h.content_length != UINT64_MAX) {
        uint64_t have = sock->input->size - h.len; /* body bytes h2o has read */
        left = h.content_length > have ? h.content_length - have : 0;
        if (left == 0 || left > DDB_HTTP_DRAIN_MAX_BYTES)
            return;
    }
    int fd = fcntl(h2o_socket_get_fd(sock), F_DUPFD_CLOEXEC, 0);
    if (fd < 0) {
        ddb_log(DDB_LOG_WARN, "cannot drain a refused request: dup: %s", strerror(errno));
        return;
    }
    h2o_loop_t *loop = req->conn->ctx->loop;
    if (drain_timer_loop != loop) {
        h2o_timeout_init(loop, &drain_timer, DDB_HTTP_DRAIN_MAX_MS);
        drain_timer_loop = loop;
    }
    struct drain *d = calloc(1, sizeof *d);
    if (d == NULL)
        abort();
    d->left = left;
    d->link = h2o_mem_alloc_shared(&req->pool, sizeof *d->link, on_answer_written);
    *d->link = d;
    d->sock = h2o_evloop_socket_create(loop, fd, H2O_SOCKET_FLAG_DONT_READ);
    d->sock->data = d;
    d->deadline.cb = drain_on_deadline;
    h2o_timeout_link(loop, &drain_timer, &d->deadline);
    drains_open++;
    h2o_socket_read_start(d->sock, drain_on_read);
}

/* ---- 1: ambiguous framing ---------------------------------------------- */

int ddb_http_framing_check(h2o_req_t *req, struct ddb_arena *a, const char *request_id)
{
    struct ddb_http_head h;
    if (raw_head(req, &h) == NULL)
        return 0;
    const char *why = ddb_http_head_conflict(&h);
    if (why == NULL)
        return 0;
    ddb_log(DDB_LOG_DEBUG, "%s %.*s %.*s - 400 %s", request_id, (int)req->method.len,
            req->method.base, (int)req->path.len, req->path.base, why);
    req->http1_is_persistent = 0;
    drain_start(req);
    ddb_reply_error(req, a, request_id, DDB_ERR_SERIALIZATION, NULL);
    return -1;
}

/* ---- 2: h2o's own 400 and 413 ----------------------------------------- */

struct body_swap {
    h2o_ostream_t super;
    h2o_iovec_t body;
    bool sent;
};

static void body_swap_do_send(h2o_ostream_t *self, h2o_req_t *req, h2o_iovec_t *bufs,
                              size_t bufcnt, h2o_send_state_t state)
{
    struct body_swap *s = (struct body_swap *)self;
    (void)bufs;
    (void)bufcnt;
    if (!s->sent) {
        s->sent = true;
        h2o_ostream_send_next(&s->super, req, &s->body, 1, state);
    } else {
        h2o_ostream_send_next(&s->super, req, NULL, 0, state);
    }
}

static void fallback_on_setup_ostream(h2o_filter_t *self, h2o_req_t *req, h2o_ostream_t **slot)
{
    (void)self;
    int status = req->res.status;
    if (status == 413 || status == 400) {
        enum ddb_error_code code = status == 413 ? DDB_ERR_REQUEST_TOO_LARGE : DDB_ERR_SERIALIZATION;
        char id[DDB_REQUEST_ID_LEN + 1];
        ddb_reply_request_id(id);
        struct ddb_arena a;
        ddb_arena_init(&a);
        struct ddb_buf b;
        ddb_buf_init(&b, &a);
        ddb_reply_error_body(&b, code, NULL);
        h2o_iovec_t body = h2o_strdup(&req->pool, b.ptr, b.len);
        ddb_arena_release(&a);

        memset(&req->res.headers, 0, sizeof req->res.headers);
        ddb_reply_add_headers(req, id, body.base, body.len);
        struct body_swap *s = (struct body_swap *)h2o_add_ostream(req, sizeof *s, slot);
        s->super.do_send = body_swap_do_send;
        s->body = body;
        s->sent = false;
        slot = &s->super.next;
        ddb_log(DDB_LOG_DEBUG, "%s %.*s %.*s - %d %s", id, (int)req->method.len,
                req->method.base, (int)req->path.len, req->path.base, status, req->res.reason);
        if (!req->http1_is_persistent)
            drain_start(req);
    }
    h2o_setup_next_ostream(req, slot);
}

void ddb_http_framing_register(h2o_hostconf_t *host)
{
    h2o_filter_t *f = h2o_create_filter(&host->fallback_path, sizeof *f);
    f->on_setup_ostream = fallback_on_setup_ostream;
}
