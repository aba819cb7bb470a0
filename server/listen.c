#include "listen.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <netdb.h>
#include <netinet/in.h>
#include <linux/tcp.h> /* struct tcp_info with tcpi_bytes_acked */
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "protocol/limits.h"

/* Every open client connection, in its loop thread's list, for the stall
 * check; freed by the socket's on_close callback. */
struct conn {
    h2o_linklist_t link; /* oldest first */
    struct loop_thread *t;
    h2o_socket_t *sock;
    int fd;
    bool closing; /* shut down to make room for a new client */
    uint32_t acked;      /* tcpi_bytes_acked low bits at the last look */
    uint64_t stalled_at; /* loop time since when a write made no progress; 0: none */
};

struct loop_thread {
    struct ddb_listen *owner;
    pthread_t tid;
    bool started;
    bool accepting; /* the listener is read-started */
    int fd;
    h2o_evloop_t *loop;
    h2o_context_t ctx;
    h2o_accept_ctx_t accept_ctx;
    h2o_socket_t *listener;
    h2o_multithread_receiver_t wake; /* written to by ddb_listen_stop() */
    h2o_linklist_t conns;            /* struct conn */
    h2o_timeout_t tick_timeout;      /* 1 s: stalled writes, memory given back */
    h2o_timeout_entry_t tick;
    h2o_timeout_t backoff_timeout; /* DDB_ACCEPT_BACKOFF_MS: accepting again */
    h2o_timeout_entry_t backoff;
    uint64_t warned_at; /* loop time of the last "cannot accept" warning */
};

struct ddb_listen {
    int count;
    int max_conns; /* --max-connections, lowered to what the fd limit allows */
    atomic_int open_conns;
    atomic_bool stopping;
    struct loop_thread threads[];
};

/* Set when a large request's memory or a connection's buffers went back to
 * malloc: the next tick (once a second at most) returns free memory to the
 * kernel, which glibc would otherwise keep in its heaps. */
static atomic_bool trim_wanted;

void ddb_listen_note_large_release(void)
{
    atomic_store_explicit(&trim_wanted, true, memory_order_relaxed);
}

void ddb_listen_limit_pipelining(h2o_req_t *req)
{
    h2o_socket_t *sock =
        req->conn->callbacks->get_socket != NULL ? req->conn->callbacks->get_socket(req->conn) : NULL;
    size_t entity = req->entity.base != NULL ? req->entity.len : 0;
    if (sock != NULL && sock->input != NULL &&
        sock->input->size > DDB_MAX_PIPELINED_INPUT + entity + H2O_MAX_REQLEN)
        req->http1_is_persistent = 0;
}

static void on_accept(h2o_socket_t *listener, const char *err);

static void listener_start(struct loop_thread *t)
{
    if (!t->accepting && t->listener != NULL) {
        t->accepting = true;
        h2o_socket_read_start(t->listener, on_accept);
    }
}

/* Stops accepting; again after DDB_ACCEPT_BACKOFF_MS if timed, else when a
 * connection of this thread closes (and at the latest at the next backoff). */
static void listener_pause(struct loop_thread *t, bool timed)
{
    if (t->accepting) {
        t->accepting = false;
        h2o_socket_read_stop(t->listener);
    }
    if (timed && !h2o_timeout_is_linked(&t->backoff))
        h2o_timeout_link(t->loop, &t->backoff_timeout, &t->backoff);
}

/* At --max-connections, the oldest connection of this thread that waits
 * for a request with nothing unread and nothing to write is shut down
 * (HTTP/1.1 lets a server close an idle connection; clients reopen), so a
 * new client is not shut out by idle ones. False if there is none. */
static bool close_one_idle(struct loop_thread *t)
{
    for (h2o_linklist_t *n = t->conns.next; n != &t->conns; n = n->next) {
        struct conn *c = H2O_STRUCT_FROM_MEMBER(struct conn, link, n);
        if (!c->closing && h2o_socket_is_reading(c->sock) && !h2o_socket_is_writing(c->sock) &&
            (c->sock->input == NULL || c->sock->input->size == 0)) {
            c->closing = true;
            shutdown(c->fd, SHUT_RDWR);
            return true;
        }
    }
    return false;
}

/* True if a connection waits in t's listen backlog. */
static bool backlog_waiting(const struct loop_thread *t)
{
    struct pollfd p = {.fd = t->fd, .events = POLLIN};
    return poll(&p, 1, 0) == 1 && (p.revents & POLLIN) != 0;
}

/* At the limit, with a client waiting: makes room by closing an idle
 * connection, or pauses the listener for DDB_ACCEPT_BACKOFF_MS. */
static void at_limit(struct loop_thread *t)
{
    listener_pause(t, !(backlog_waiting(t) && close_one_idle(t)));
}

static void on_backoff(h2o_timeout_entry_t *entry)
{
    struct loop_thread *t = H2O_STRUCT_FROM_MEMBER(struct loop_thread, backoff, entry);
    if (atomic_load(&t->owner->open_conns) < t->owner->max_conns)
        listener_start(t);
    else
        at_limit(t);
}

static void on_conn_close(void *data)
{
    struct conn *c = data;
    struct loop_thread *t = c->t;
    h2o_linklist_unlink(&c->link);
    free(c);
    atomic_fetch_sub(&t->owner->open_conns, 1);
    ddb_listen_note_large_release(); /* its buffers may have been large */
    if (!t->accepting && !h2o_timeout_is_linked(&t->backoff))
        listener_start(t);
}

static void on_accept(h2o_socket_t *listener, const char *err)
{
    struct loop_thread *t = listener->data;
    if (err != NULL)
        return;
    /* A few per wake-up: the loop is level-triggered, more come next round. */
    for (int i = 0; i < 16; i++) {
        if (atomic_load(&t->owner->open_conns) >= t->owner->max_conns) {
            /* --max-connections: the rest wait in the backlog until a
             * connection closes */
            at_limit(t);
            return;
        }
        int fd = accept4(t->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                /* retrying at once would spin on the same pending connection */
                uint64_t now = h2o_now(t->loop);
                if (t->warned_at == 0 || now - t->warned_at >= 60000) {
                    t->warned_at = now; /* once a minute at most */
                    ddb_log(DDB_LOG_WARN,
                            "cannot accept a connection: %s; retrying every %d ms",
                            strerror(errno), DDB_ACCEPT_BACKOFF_MS);
                }
                listener_pause(t, true);
            }
            return; /* EAGAIN, or a connection aborted before it was taken */
        }
        int rcvbuf = DDB_SOCKET_RCVBUF, sndbuf = DDB_SOCKET_SNDBUF;
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
        struct conn *c = malloc(sizeof *c);
        if (c == NULL)
            abort();
        h2o_socket_t *sock =
            h2o_evloop_socket_create(t->loop, fd, H2O_SOCKET_FLAG_IS_ACCEPTED_CONNECTION);
        *c = (struct conn){.t = t, .sock = sock, .fd = fd};
        sock->on_close.cb = on_conn_close;
        sock->on_close.data = c;
        h2o_linklist_insert(&t->conns, &c->link); /* at the tail: newest last */
        atomic_fetch_add(&t->owner->open_conns, 1);
        h2o_accept(&t->accept_ctx, sock);
    }
}

/* A connection whose answer has waited DDB_WRITE_STALL_MS without the client
 * acknowledging a byte is shut down: h2o's pending write then fails and h2o
 * closes the connection (and frees its buffers) itself. */
static void check_stalled(struct loop_thread *t, uint64_t now)
{
    for (h2o_linklist_t *n = t->conns.next; n != &t->conns; n = n->next) {
        struct conn *c = H2O_STRUCT_FROM_MEMBER(struct conn, link, n);
        struct tcp_info ti;
        socklen_t len = sizeof ti;
        if (getsockopt(c->fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0 ||
            (ti.tcpi_unacked == 0 && ti.tcpi_notsent_bytes == 0)) {
            c->stalled_at = 0; /* nothing waits to go out */
            continue;
        }
        uint32_t acked = (uint32_t)ti.tcpi_bytes_acked;
        if (c->stalled_at == 0 || acked != c->acked) {
            c->acked = acked;
            c->stalled_at = now;
        } else if (now - c->stalled_at >= DDB_WRITE_STALL_MS) {
            ddb_log(DDB_LOG_DEBUG, "closing a connection whose client has read nothing for %d ms",
                    DDB_WRITE_STALL_MS);
            shutdown(c->fd, SHUT_RDWR);
            c->stalled_at = 0;
        }
    }
}

static void on_tick(h2o_timeout_entry_t *entry)
{
    struct loop_thread *t = H2O_STRUCT_FROM_MEMBER(struct loop_thread, tick, entry);
    check_stalled(t, h2o_now(t->loop));
    if (atomic_exchange_explicit(&trim_wanted, false, memory_order_relaxed))
        malloc_trim(0);
    h2o_timeout_link(t->loop, &t->tick_timeout, &t->tick);
}

static void on_wake(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
    /* Only wakes the loop; nothing is ever queued. */
    (void)receiver;
    (void)messages;
}

/* Every listening socket sets SO_REUSEPORT, and Linux lets any socket of the
 * same user with that option join the port: a second ddbd would silently
 * share the port with the first. So the first socket binds without it; if
 * that fails the port is taken. It is closed again before the real ones bind. */
static int open_socket(const struct ddb_config *cfg, bool reuseport)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *res = NULL;
    char port[16];
    snprintf(port, sizeof port, "%d", cfg->port);
    int rc = getaddrinfo(cfg->host, port, &hints, &res);
    if (rc != 0) {
        ddb_log(DDB_LOG_ERROR, "cannot resolve --host %s: %s", cfg->host, gai_strerror(rc));
        return -1;
    }
    int fd = -1, saved = 0;
    for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            saved = errno;
            continue;
        }
        int on = 1;
        if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) == 0 &&
            (!reuseport || setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) == 0) &&
            /* accepted sockets inherit TCP_NODELAY on Linux */
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) == 0 &&
            bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
            (!reuseport || listen(fd, SOMAXCONN) == 0))
            break;
        saved = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0)
        ddb_log(DDB_LOG_ERROR, "cannot listen on %s:%d: %s", cfg->host, cfg->port,
                strerror(saved));
    return fd;
}

static void free_listen(struct ddb_listen *l)
{
    for (int i = 0; i < l->count; i++) {
        struct loop_thread *t = &l->threads[i];
        if (t->listener != NULL) {
            h2o_socket_close(t->listener); /* closes t->fd */
        } else if (t->fd >= 0) {
            close(t->fd);
        }
        /* The loops and contexts are not disposed: h2o 2.2.5 cannot dispose a
         * context that still has connections, and the process is exiting. */
    }
    free(l);
}

/* Raises the soft RLIMIT_NOFILE to the hard limit and returns how many
 * connections fit under it (DDB_RESERVED_FDS kept for RocksDB and the rest),
 * at most max. */
static int connection_limit(int max)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return max;
    if (rl.rlim_cur < rl.rlim_max) {
        rlim_t want = rl.rlim_max;
        rl.rlim_cur = want;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
            getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= (rlim_t)max + DDB_RESERVED_FDS)
        return max;
    int fit = rl.rlim_cur > DDB_RESERVED_FDS + 16 ? (int)(rl.rlim_cur - DDB_RESERVED_FDS) : 16;
    ddb_log(DDB_LOG_WARN,
            "the file descriptor limit (%llu) allows %d connections, not --max-connections %d",
            (unsigned long long)rl.rlim_cur, fit, max);
    return fit;
}

int ddb_listen_bind(const struct ddb_config *cfg, h2o_globalconf_t *conf, struct ddb_listen **out)
{
    struct ddb_listen *l = calloc(1, sizeof *l + (size_t)cfg->threads * sizeof l->threads[0]);
    if (l == NULL)
        abort();
    atomic_init(&l->stopping, false);
    atomic_init(&l->open_conns, 0);
    l->max_conns = connection_limit(cfg->max_connections);
    for (int i = 0; i < cfg->threads; i++)
        l->threads[i].fd = -1;
    l->count = cfg->threads;
    int probe = open_socket(cfg, false);
    if (probe < 0) {
        free_listen(l);
        return -1;
    }
    close(probe);
    for (int i = 0; i < cfg->threads; i++) {
        struct loop_thread *t = &l->threads[i];
        t->fd = open_socket(cfg, true);
        if (t->fd < 0) {
            free_listen(l);
            return -1;
        }
        t->loop = h2o_evloop_create();
        h2o_context_init(&t->ctx, t->loop, conf);
        h2o_multithread_register_receiver(t->ctx.queue, &t->wake, on_wake);
        t->accept_ctx.ctx = &t->ctx;
        t->accept_ctx.hosts = conf->hosts;
        t->owner = l;
        h2o_linklist_init_anchor(&t->conns);
        h2o_timeout_init(t->loop, &t->tick_timeout, 1000);
        t->tick.cb = on_tick;
        h2o_timeout_link(t->loop, &t->tick_timeout, &t->tick);
        h2o_timeout_init(t->loop, &t->backoff_timeout, DDB_ACCEPT_BACKOFF_MS);
        t->backoff.cb = on_backoff;
        t->listener = h2o_evloop_socket_create(t->loop, t->fd, H2O_SOCKET_FLAG_DONT_READ);
        t->listener->data = t;
        h2o_socket_read_start(t->listener, on_accept);
        t->accepting = true;
    }
    *out = l;
    return 0;
}

static void *run_loop(void *arg)
{
    struct ddb_listen *l = ((void **)arg)[0];
    struct loop_thread *t = ((void **)arg)[1];
    free(arg);
    while (!atomic_load_explicit(&l->stopping, memory_order_acquire))
        h2o_evloop_run(t->loop, INT32_MAX);

    /* Stop accepting, then give the open connections up to 50 ms to finish
     * writing what has been answered (every handler runs to completion
     * within one loop iteration, so no request is half-processed here; idle
     * keep-alive connections are simply closed when the process exits). */
    if (t->accepting)
        h2o_socket_read_stop(t->listener);
    t->accepting = false;
    h2o_socket_close(t->listener);
    t->listener = NULL;
    if (h2o_timeout_is_linked(&t->backoff))
        h2o_timeout_unlink(&t->backoff);
    t->fd = -1;
    h2o_context_request_shutdown(&t->ctx);
    for (int i = 0; i < 5 && !h2o_linklist_is_empty(&t->ctx.http1._conns); i++)
        h2o_evloop_run(t->loop, 10);
    return NULL;
}

int ddb_listen_start(struct ddb_listen *l)
{
    for (int i = 0; i < l->count; i++) {
        void **arg = malloc(2 * sizeof *arg);
        if (arg == NULL)
            abort();
        arg[0] = l;
        arg[1] = &l->threads[i];
        int rc = pthread_create(&l->threads[i].tid, NULL, run_loop, arg);
        if (rc != 0) {
            free(arg);
            ddb_log(DDB_LOG_ERROR, "cannot start thread %d: %s", i, strerror(rc));
            ddb_listen_stop(l);
            return -1;
        }
        l->threads[i].started = true;
    }
    return 0;
}

void ddb_listen_stop(struct ddb_listen *l)
{
    atomic_store_explicit(&l->stopping, true, memory_order_release);
    for (int i = 0; i < l->count; i++)
        if (l->threads[i].started)
            h2o_multithread_send_message(&l->threads[i].wake, NULL);
    for (int i = 0; i < l->count; i++)
        if (l->threads[i].started)
            pthread_join(l->threads[i].tid, NULL);
    free_listen(l);
}
