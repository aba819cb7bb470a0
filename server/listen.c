#include "listen.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"

struct loop_thread {
    pthread_t tid;
    bool started;
    int fd;
    h2o_evloop_t *loop;
    h2o_context_t ctx;
    h2o_accept_ctx_t accept_ctx;
    h2o_socket_t *listener;
    h2o_multithread_receiver_t wake; /* written to by ddb_listen_stop() */
};

struct ddb_listen {
    int count;
    atomic_bool stopping;
    struct loop_thread threads[];
};

static void on_accept(h2o_socket_t *listener, const char *err)
{
    struct loop_thread *t = listener->data;
    if (err != NULL)
        return;
    /* A few per wake-up: the loop is level-triggered, more come next round. */
    for (int i = 0; i < 16; i++) {
        h2o_socket_t *sock = h2o_evloop_socket_accept(listener);
        if (sock == NULL)
            return;
        h2o_accept(&t->accept_ctx, sock);
    }
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

int ddb_listen_bind(const struct ddb_config *cfg, h2o_globalconf_t *conf, struct ddb_listen **out)
{
    struct ddb_listen *l = calloc(1, sizeof *l + (size_t)cfg->threads * sizeof l->threads[0]);
    if (l == NULL)
        abort();
    atomic_init(&l->stopping, false);
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
        t->listener = h2o_evloop_socket_create(t->loop, t->fd, H2O_SOCKET_FLAG_DONT_READ);
        t->listener->data = t;
        h2o_socket_read_start(t->listener, on_accept);
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
    h2o_socket_read_stop(t->listener);
    h2o_socket_close(t->listener);
    t->listener = NULL;
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
