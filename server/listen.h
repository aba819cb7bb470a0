/*
 * listen.h: the event-loop threads.
 *
 * One h2o event loop per thread, each with its own listening socket on
 * host:port (SO_REUSEPORT, so the kernel spreads connections evenly; one
 * shared socket sometimes gives every connection to one thread). HTTP/1.1
 * with keep-alive.
 *
 * Lifecycle: ddb_listen_bind() creates and binds every socket (so the caller
 * can report "listening" only once that worked), ddb_listen_start() starts
 * the threads, ddb_listen_stop() stops accepting, lets each loop finish what
 * it is doing and joins the threads. After stop, no request runs.
 * What one client can take (limits in protocol/limits.h): the soft
 * RLIMIT_NOFILE is raised to the hard limit at bind; at most --max-connections
 * connections are open (fewer if the fd limit says so), beyond which the
 * listener pauses and an idle keep-alive connection is closed to admit a
 * waiting client; accept() failing for lack of descriptors backs off
 * DDB_ACCEPT_BACKOFF_MS; each connection's kernel buffers are bounded; a
 * once-a-second tick per loop shuts down connections whose client has
 * acknowledged nothing of a pending answer for DDB_WRITE_STALL_MS.
 * Thread safety: bind, start and stop are called from the main thread only.
 */
#ifndef DDB_LISTEN_H
#define DDB_LISTEN_H

#include <h2o.h>

#include "server.h"

struct ddb_listen;

/* Creates cfg->threads event loops with their h2o contexts over conf and
 * binds one listening socket per loop. On failure returns -1 after printing
 * why (via log.h) and frees what it made. */
int ddb_listen_bind(const struct ddb_config *cfg, h2o_globalconf_t *conf,
                    struct ddb_listen **out) DDB_MUST_CHECK;

/* Starts the threads; -1 if one could not be created (the ones started are
 * stopped again). */
int ddb_listen_start(struct ddb_listen *l) DDB_MUST_CHECK;

/* Stops accepting, asks each loop to finish and close its connections, joins
 * the threads and frees l. */
void ddb_listen_stop(struct ddb_listen *l);

/* Called by the router for each request, on its loop thread: a connection
 * holding more than DDB_MAX_PIPELINED_INPUT bytes of requests beyond this one
 * is closed after this answer (Connection: close). */
void ddb_listen_limit_pipelining(h2o_req_t *req);

/* Tells the loops that a large request's memory was freed; the next
 * housekeeping tick (1 s) gives free memory back to the kernel
 * (malloc_trim). Any thread. */
void ddb_listen_note_large_release(void);

#endif
