/*
 * http_head.h: the framing headers of an HTTP/1.x request head, read from
 * its raw bytes (pure C: no h2o, no I/O).
 *
 * h2o 2.2.5 keeps Content-Length and Transfer-Encoding out of req->headers
 * and frames the body by the first Content-Length, or by Transfer-Encoding
 * when one is present, without complaint about the others. RFC 9112 section
 * 6.3 asks a server to refuse such requests (400, then close the connection):
 * a front end that frames the body by the other header would see a different
 * request boundary (request smuggling). http_framing.c applies the rule below
 * to the raw head that h2o still holds in the connection's input buffer.
 *
 * The rule, ddbd's choice where RFC 9110 section 8.6 leaves one (it MAY
 * accept a repeated identical Content-Length): more than one Content-Length
 * line, even with equal values (as nginx, Node and DynamoDB Local's Jetty
 * do); Content-Length together with Transfer-Encoding; more than one
 * Transfer-Encoding line; an obsolete line folding (a line starting with SP
 * or HTAB) continuing either header. Values themselves are h2o's business:
 * it answers 400 for a Content-Length that is not digits and for any
 * Transfer-Encoding other than "chunked".
 *
 * Thread safety: pure functions of their arguments.
 */
#ifndef DDB_HTTP_HEAD_H
#define DDB_HTTP_HEAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ddb_http_head {
    size_t len;                  /* bytes from the request line to the blank line, inclusive */
    unsigned content_lengths;    /* Content-Length lines */
    unsigned transfer_encodings; /* Transfer-Encoding lines */
    bool folded;                 /* a continuation line after one of them */
    uint64_t content_length;     /* the first Content-Length value; UINT64_MAX when absent,
                                    not all digits or over UINT64_MAX - 1 */
};

/* Reads the head at the start of buf[0..len): the request line, then header
 * lines up to the first empty line. Lines end with LF, an optional CR before
 * it is dropped (picohttpparser, h2o's parser, accepts both). Header names
 * compare case-insensitively; values lose surrounding spaces and tabs.
 * Returns 0 and fills out, or -1 when buf holds no complete head (out is
 * then unspecified). Reads no byte past buf + len. */
int ddb_http_head_scan(const char *buf, size_t len, struct ddb_http_head *out);

/* The rule in the comment above: NULL when h frames the body unambiguously,
 * else a static English reason (for the log, not for the client). */
const char *ddb_http_head_conflict(const struct ddb_http_head *h);

#endif
