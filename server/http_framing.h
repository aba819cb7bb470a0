/*
 * http_framing.h: the HTTP/1.1 framing answers h2o 2.2.5 does not give the
 * way ddbd wants them, and the drain that lets a client read them.
 *
 * 1. Ambiguous framing (http_head.h has the rule: two Content-Length lines,
 *    Content-Length with Transfer-Encoding, ...). h2o frames such a request
 *    by one header and hands it to the handler; ddb_http_framing_check(),
 *    the handler's first step, reads the raw head again from the
 *    connection's input buffer and refuses it: 400, the envelope DynamoDB
 *    sends for a body it cannot read
 *    ({"__type":"com.amazon.coral.service#SerializationException"}), and
 *    "Connection: close" (RFC 9112 section 6.3). protocol/MESSAGES-http.md
 *    records why this answer.
 *
 * 2. Answers h2o gives itself before any handler, on the host's fallback
 *    path: 413 for a body over max_request_entity_size (a Content-Length
 *    over it, at once and before any "100 Continue"; a chunked body as soon
 *    as the decoded bytes reach it, after buffering that much), and 400 for
 *    a broken Content-Length value, a Transfer-Encoding other than chunked
 *    or broken chunked encoding. The filter registered by
 *    ddb_http_framing_register() gives them DynamoDB's headers and body:
 *    RequestEntityTooLargeException (413) and the same SerializationException
 *    envelope as in 1 (400). h2o closes the connection after each.
 *
 * 3. The drain. A server that closes a connection while the client is still
 *    sending makes the kernel answer the client's next segments with a
 *    reset, and a client that writes its whole body before reading (Python's
 *    http.client, hence requests and botocore; raw sockets) sees "connection
 *    reset" instead of the answer. So every answer above that closes the
 *    connection early also starts a drain: a duplicate of the socket's fd,
 *    registered in the same event loop, reads and discards what the client
 *    still sends while h2o writes the answer and closes its own fd. Once the
 *    answer is written (h2o then disposes the request's memory pool, where
 *    the drain left a callback) the drain half-closes the socket
 *    (shutdown SHUT_WR: the client reading to end of stream sees it after
 *    the answer) and goes on reading: the socket's last close, the
 *    drain's, then finds nothing unread, so no reset. A drain ends at the
 *    first of: the declared rest of the body
 *    read (one Content-Length and no Transfer-Encoding: its value minus the
 *    body bytes h2o already read), end of stream or a read error,
 *    DDB_HTTP_DRAIN_MAX_BYTES read, DDB_HTTP_DRAIN_MAX_MS elapsed. No drain is
 *    started when the declared rest is over DDB_HTTP_DRAIN_MAX_BYTES or when
 *    DDB_HTTP_DRAIN_MAX_PER_THREAD drains are open on this thread (such a
 *    client gets the reset, as before). A drain reads into a stack buffer:
 *    its memory is one small struct.
 *
 * Dependency on h2o internals (checked by the conformance tests in
 * conformance/python/test_http_framing.py): while a request is handled or
 * answered, h2o's HTTP/1 connection still holds the request's raw head at
 * the start of its socket's input buffer (it consumes it only after the
 * answer is written); h2o lowercases header names there and decodes a
 * chunked body in place after the head. A head that does not start with the
 * request's method is not checked (the defensive case; it cannot happen
 * with h2o 2.2.5).
 *
 * Thread safety: call on the request's event-loop thread; each thread keeps
 * its own drains and their timer.
 */
#ifndef DDB_HTTP_FRAMING_H
#define DDB_HTTP_FRAMING_H

#include <h2o.h>

#include "protocol/arena.h"

/* Registers the filter of 2 on host's fallback path. */
void ddb_http_framing_register(h2o_hostconf_t *host);

/* 1: returns 0 when req's framing is unambiguous; else sends the 400 (with
 * request_id, its body built in a), starts a drain and returns -1. */
int ddb_http_framing_check(h2o_req_t *req, struct ddb_arena *a, const char *request_id);

#endif
