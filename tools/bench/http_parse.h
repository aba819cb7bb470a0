/*
 * http_parse.h: ddbd-bench's HTTP/1.1 response parser.
 *
 * The load generator keeps one request outstanding per connection and
 * appends whatever it reads to a per-connection buffer; after each read it
 * calls ddb_bench_http_parse() on the whole buffer. The parser either finds
 * one complete response at the start of the buffer (and says how many bytes
 * it used, so the caller can drop them) or says it needs more bytes. It never
 * keeps state between calls, so a response split anywhere is parsed the same
 * way as one that arrives whole (the unit tests check every split point).
 *
 * What it understands: the status line (HTTP/1.0 and HTTP/1.1), header lines
 * (CRLF or bare LF), Content-Length (repeated equal values allowed, differing
 * ones are an error), Transfer-Encoding: chunked (sizes in hex, extensions and
 * trailers skipped), Connection (close / keep-alive tokens), x-amz-crc32
 * (unsigned decimal), responses without a body (1xx, 204, 304) and, when the
 * caller says the peer closed, a body delimited by the end of the stream.
 *
 * Bytes from the network are untrusted: every step checks against the end of
 * the buffer, the header block is capped at DDB_BENCH_HTTP_MAX_HEADER bytes
 * and the body at the caller's max_body.
 *
 * Thread safety: pure and reentrant.
 */
#ifndef DDB_BENCH_HTTP_PARSE_H
#define DDB_BENCH_HTTP_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "protocol/base.h"

#define DDB_BENCH_HTTP_MAX_HEADER (64u * 1024) /* status line + headers */

enum {
    DDB_BENCH_HTTP_INCOMPLETE = 0, /* need more bytes */
    DDB_BENCH_HTTP_ERROR = -1,     /* malformed or over a cap; close the connection */
};

struct ddb_bench_http_resp {
    int minor_version;      /* 0 or 1 (HTTP/1.x) */
    int status;             /* 100..999 */
    bool keep_alive;        /* false: the server closes after this response */
    bool chunked;           /* the body came chunked (and was decoded) */
    bool has_content_length;
    bool has_crc32;
    uint32_t crc32;         /* x-amz-crc32, when has_crc32 */
    uint64_t content_length;
    size_t header_len;      /* bytes of status line + headers + blank line */
    /* The body, decoded. Points into the input buffer (Content-Length or
     * end-of-stream bodies) or into the caller's scratch (chunked bodies); it
     * lives as long as whichever it points into. */
    ddb_slice body;
};

/*
 * Parses one response at the start of [buf, buf + len).
 *
 * Returns the number of bytes the response occupies (> 0) when it is
 * complete and fills *out; DDB_BENCH_HTTP_INCOMPLETE when more bytes are
 * needed; DDB_BENCH_HTTP_ERROR when the bytes are not a valid response, the
 * header block exceeds DDB_BENCH_HTTP_MAX_HEADER, or the body exceeds
 * max_body. *out is only meaningful on a positive return.
 *
 * scratch (scratch_cap bytes, may be NULL when 0) receives a chunked body;
 * a chunked body larger than scratch_cap is an error, so pass
 * scratch_cap >= max_body. eof says the peer has closed the connection: a
 * response without Content-Length or chunking then ends at len, and a
 * response that is still incomplete becomes an error.
 */
ssize_t ddb_bench_http_parse(const char *buf, size_t len, size_t max_body, char *scratch,
                             size_t scratch_cap, bool eof, struct ddb_bench_http_resp *out)
    DDB_MUST_CHECK;

#endif
