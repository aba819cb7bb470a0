/*
 * reqctx.h: what an operation handler gets for one request.
 *
 * The router (server/router.c) has already checked the method, path, headers,
 * body size and X-Amz-Target, and parsed the body into a JSON object (the
 * root is always an OBJECT). A handler validates its input, runs it against
 * storage and either writes its whole JSON answer object through rc->w and
 * returns 0, or fills rc->err and returns -1 (nothing written through rc->w
 * is sent then). reply.c adds x-amzn-RequestId, x-amz-crc32 and the
 * Content-Type.
 *
 * Lifetime: everything in rc, and everything a handler allocates from
 * rc->arena, lives until the response has been sent.
 * Thread safety: a reqctx belongs to one request on one thread.
 */
#ifndef DDB_REQCTX_H
#define DDB_REQCTX_H

#include "protocol/error.h"
#include "protocol/json.h"
#include "server.h"

struct ddb_reqctx {
    struct ddb_arena *arena;
    const struct ddb_server *server;
    const struct ddb_json *body;   /* request root object */
    struct ddb_json_writer *w;     /* the answer, on success */
    struct ddb_error err;          /* the answer, on failure */
    const char *request_id;
};

typedef int (*ddb_op_fn)(struct ddb_reqctx *rc);

/* The handlers, one per row of ops.def. */
#define DDB_OP(prefix, name, fn) int fn(struct ddb_reqctx *rc) DDB_MUST_CHECK;
#include "ops.def"
#undef DDB_OP

#endif
