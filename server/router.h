/*
 * router.h: the one h2o handler in front of every operation.
 *
 * For each request, in DynamoDB's order:
 *   framing        two Content-Length lines, Content-Length with
 *                  Transfer-Encoding, ...: 400 SerializationException (no
 *                  message) and the connection closed (RFC 9112 6.3;
 *                  http_framing.h, which h2o's own 400s share)
 *   GET /          200 "healthy: <Host header>" (DynamoDB's health answer)
 *   other methods  404 "<UnknownOperationException/>\n" (DynamoDB's answer
 *                  to anything but POST; the path of a POST is ignored, as
 *                  DynamoDB does)
 *   Content-Type   a non-empty body must be application/x-amz-json-1.0 (or
 *                  -1.1, or application/json; parameters ignored), else 404
 *                  as above
 *   body           over DDB_MAX_REQUEST_BODY: 413 RequestEntityTooLargeException
 *                  (h2o refuses it before the handler, without reading it;
 *                  http_framing.h's filter gives that answer DynamoDB's
 *                  headers, and drains the rest of the body so that a client
 *                  still sending reads the 413 instead of a reset);
 *                  not JSON, or not an object: SerializationException
 *   X-Amz-Target   "<prefix>.<Op>" found in ops.def, else
 *                  UnknownOperationException (no message)
 *   Authorization  missing: MissingAuthenticationTokenException "Request is
 *                  missing Authentication Token"; parsed by sigv4.h (which
 *                  answers IncompleteSignatureException when malformed)
 *   empty body     SerializationException (no message)
 * then the handler runs with a struct ddb_reqctx (reqctx.h) whose arena is
 * released as soon as the answer has been handed to h2o.
 *
 * Thread safety: the handler runs on each event-loop thread; the server state
 * it reads is read-only.
 */
#ifndef DDB_ROUTER_H
#define DDB_ROUTER_H

#include <h2o.h>

#include "server.h"

/* Registers the host, the "/" path, the handler and http_framing.h's filter
 * in conf (after h2o_config_init), and sets conf's body limit to
 * DDB_MAX_REQUEST_BODY. server must outlive conf. */
void ddb_router_register(h2o_globalconf_t *conf, const struct ddb_server *server);

#endif
