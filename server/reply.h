/*
 * reply.h: every HTTP answer ddbd sends, with DynamoDB's headers.
 *
 * Each answer carries x-amzn-RequestId, x-amz-crc32 (zlib CRC-32 of the exact
 * body bytes, unsigned decimal: the SDKs check it and retry on a mismatch),
 * Content-Type: application/x-amz-json-1.0 and a Content-Length (h2o would
 * otherwise answer HTTP/1.1 chunked), so keep-alive connections stay open.
 *
 * Error envelope: {"__type":"<ddb_error_type(code)>","message":"<text>"};
 * DynamoDB spells the key "Message" for SerializationException, and sends
 * no message at all for the front-end errors that have none (a NULL
 * message here).
 *
 * Lifetime: the body is copied into the h2o request's pool, so the caller may
 * release its arena as soon as a function here returns.
 * Thread safety: call on the request's event-loop thread only.
 */
#ifndef DDB_REPLY_H
#define DDB_REPLY_H

#include <h2o.h>

#include "protocol/buf.h"
#include "protocol/error.h"

/* DynamoDB's request ids: 52 characters from [A-Z0-9]. */
#define DDB_REQUEST_ID_LEN 52

/* Writes a fresh request id and a NUL into out (per-thread random state
 * seeded from getrandom(2); unique in practice, not a secret). */
void ddb_reply_request_id(char out[DDB_REQUEST_ID_LEN + 1]);

/* Sends status with body (len bytes) and DynamoDB's headers. */
void ddb_reply_send(h2o_req_t *req, int status, const char *request_id, const char *body,
                    size_t len);

/* Appends the error envelope of code with message (NULL: no message key) to
 * buf, JSON-escaped. */
void ddb_reply_error_body(struct ddb_buf *buf, enum ddb_error_code code, const char *message);

/* Sends the error envelope with ddb_error_status(code). a is scratch memory
 * for the body (the caller's request arena). */
void ddb_reply_error(h2o_req_t *req, struct ddb_arena *a, const char *request_id,
                     enum ddb_error_code code, const char *message);

/* Sends a handler's error: the envelope of e->code and e->message, plus
 * TransactionCanceledException's CancellationReasons when e carries them. */
void ddb_reply_error_of(h2o_req_t *req, struct ddb_arena *a, const char *request_id,
                        const struct ddb_error *e);

/* Adds DynamoDB's headers (request id, crc32, content type) for body to
 * req->res.headers and sets req->res.content_length; for answers whose body
 * is sent by other means (the body-too-large filter in router.c). */
void ddb_reply_add_headers(h2o_req_t *req, const char *request_id, const char *body, size_t len);

#endif
