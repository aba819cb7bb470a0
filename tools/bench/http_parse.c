/*
 * http_parse.c: the HTTP/1.1 response parser (contract in http_parse.h).
 *
 * Stateless by design: the bench re-parses from the start of its buffer
 * after every read. Responses are small and the header block is capped, so
 * the repeated work is cheap, and there is no state machine to get wrong.
 */
#include "http_parse.h"

#include <string.h>

#define CHUNK_LINE_MAX 4096 /* a chunk-size line with its extensions */

/* A line is [start, end) without its terminator; next is past the LF. */
struct line {
    const char *start;
    const char *end;
    const char *next;
};

/* Finds the line starting at p. Returns false when no LF occurs before end. */
static bool line_get(const char *p, const char *end, struct line *l)
{
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (nl == NULL)
        return false;
    l->start = p;
    l->end = nl;
    l->next = nl + 1;
    if (l->end > l->start && l->end[-1] == '\r')
        l->end--;
    return true;
}

static bool is_tchar(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Field content: visible characters, obs-text, SP and HTAB; no other CTLs
 * (a bare CR inside a line is one of them). */
static bool is_field_char(unsigned char c)
{
    return c == '\t' || (c >= 0x20 && c != 0x7f);
}

static bool name_is(const char *p, size_t n, const char *lower)
{
    size_t m = strlen(lower);
    if (n != m)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if (c != (unsigned char)lower[i])
            return false;
    }
    return true;
}

/* Parses a non-empty run of decimal digits that is the whole of [p, end),
 * refusing values above max. */
static bool parse_decimal(const char *p, const char *end, uint64_t max, uint64_t *out)
{
    if (p == end)
        return false;
    uint64_t v = 0;
    for (; p < end; p++) {
        if (*p < '0' || *p > '9')
            return false;
        unsigned d = (unsigned)(*p - '0');
        if (v > (max - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

struct header_state {
    bool conn_close;
    bool conn_keep_alive;
    int chunked_tokens;
    bool other_coding;
    bool has_te;
};

/* Calls fn for each comma-separated token of a list value, trimmed of OWS. */
static void list_each(const char *p, const char *end, struct header_state *hs,
                      void (*fn)(const char *, size_t, struct header_state *))
{
    while (p < end) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *tok_end = comma ? comma : end;
        const char *a = p, *b = tok_end;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        if (b > a)
            fn(a, (size_t)(b - a), hs);
        p = comma ? comma + 1 : end;
    }
}

static void connection_token(const char *p, size_t n, struct header_state *hs)
{
    if (name_is(p, n, "close"))
        hs->conn_close = true;
    else if (name_is(p, n, "keep-alive"))
        hs->conn_keep_alive = true;
}

static void te_token(const char *p, size_t n, struct header_state *hs)
{
    if (name_is(p, n, "chunked"))
        hs->chunked_tokens++;
    else
        hs->other_coding = true;
}

/* Parses the status line; returns false when it is not HTTP/1.x NNN. */
static bool parse_status_line(const struct line *l, struct ddb_bench_http_resp *out)
{
    const char *p = l->start;
    size_t n = (size_t)(l->end - p);
    if (n < 12 || memcmp(p, "HTTP/1.", 7) != 0 || (p[7] != '0' && p[7] != '1') || p[8] != ' ')
        return false;
    out->minor_version = p[7] - '0';
    for (int i = 9; i < 12; i++)
        if (p[i] < '0' || p[i] > '9')
            return false;
    out->status = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
    if (out->status < 100)
        return false;
    if (n > 12 && p[12] != ' ')
        return false;
    for (size_t i = 13; i < n; i++)
        if (!is_field_char((unsigned char)p[i]))
            return false;
    return true;
}

/* Parses one header line into *out / *hs. Returns false when malformed. */
static bool parse_header(const struct line *l, struct ddb_bench_http_resp *out,
                         struct header_state *hs)
{
    const char *p = l->start, *end = l->end;
    const char *colon = memchr(p, ':', (size_t)(end - p));
    if (colon == NULL || colon == p)
        return false;
    for (const char *q = p; q < colon; q++)
        if (!is_tchar((unsigned char)*q))
            return false; /* also refuses obs-fold and space before the colon */
    const char *v = colon + 1, *ve = end;
    for (const char *q = v; q < ve; q++)
        if (!is_field_char((unsigned char)*q))
            return false;
    while (v < ve && (*v == ' ' || *v == '\t'))
        v++;
    while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
        ve--;
    size_t nlen = (size_t)(colon - p);

    if (name_is(p, nlen, "content-length")) {
        uint64_t cl;
        if (!parse_decimal(v, ve, UINT64_MAX / 2, &cl))
            return false;
        if (out->has_content_length && out->content_length != cl)
            return false;
        out->has_content_length = true;
        out->content_length = cl;
    } else if (name_is(p, nlen, "transfer-encoding")) {
        hs->has_te = true;
        list_each(v, ve, hs, te_token);
    } else if (name_is(p, nlen, "connection")) {
        list_each(v, ve, hs, connection_token);
    } else if (name_is(p, nlen, "x-amz-crc32")) {
        uint64_t crc;
        if (out->has_crc32 || !parse_decimal(v, ve, UINT32_MAX, &crc))
            return false;
        out->has_crc32 = true;
        out->crc32 = (uint32_t)crc;
    }
    return true;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes a chunked body starting at p. Returns the end of the message, NULL
 * when incomplete, or sets *bad when malformed or over a cap. */
static const char *parse_chunked(const char *p, const char *end, size_t max_body,
                                 char *scratch, size_t scratch_cap, size_t *body_len, bool *bad)
{
    size_t total = 0;
    for (;;) {
        struct line l;
        if (!line_get(p, end, &l)) {
            if ((size_t)(end - p) > CHUNK_LINE_MAX)
                *bad = true;
            return NULL;
        }
        if (l.end - l.start > CHUNK_LINE_MAX) {
            *bad = true;
            return NULL;
        }
        const char *q = l.start;
        uint64_t size = 0;
        int digits = 0;
        for (; q < l.end && hex_value(*q) >= 0; q++) {
            if (++digits > 15) { /* 2^60: far above any cap, cannot overflow */
                *bad = true;
                return NULL;
            }
            size = size * 16 + (uint64_t)hex_value(*q);
        }
        if (digits == 0) {
            *bad = true;
            return NULL;
        }
        while (q < l.end && (*q == ' ' || *q == '\t'))
            q++;
        if (q < l.end && *q != ';') {
            *bad = true;
            return NULL;
        }
        for (; q < l.end; q++) {
            if (!is_field_char((unsigned char)*q)) {
                *bad = true;
                return NULL;
            }
        }
        p = l.next;
        if (size == 0)
            break;
        if (size > max_body - total || size > scratch_cap - total) {
            *bad = true;
            return NULL;
        }
        if ((uint64_t)(end - p) < size)
            return NULL;
        memcpy(scratch + total, p, (size_t)size);
        total += (size_t)size;
        p += size;
        /* The chunk's data ends with CRLF (or a bare LF). */
        if (p == end)
            return NULL;
        if (*p == '\r') {
            if (p + 1 == end)
                return NULL;
            if (p[1] != '\n') {
                *bad = true;
                return NULL;
            }
            p += 2;
        } else if (*p == '\n') {
            p++;
        } else {
            *bad = true;
            return NULL;
        }
    }
    /* Trailer section: header lines up to an empty line, capped. */
    const char *trailer_start = p;
    for (;;) {
        struct line l;
        if (!line_get(p, end, &l)) {
            if ((size_t)(end - trailer_start) > DDB_BENCH_HTTP_MAX_HEADER)
                *bad = true;
            return NULL;
        }
        if ((size_t)(l.next - trailer_start) > DDB_BENCH_HTTP_MAX_HEADER) {
            *bad = true;
            return NULL;
        }
        p = l.next;
        if (l.start == l.end)
            break;
        const char *colon = memchr(l.start, ':', (size_t)(l.end - l.start));
        if (colon == NULL || colon == l.start) {
            *bad = true;
            return NULL;
        }
        for (const char *c = l.start; c < colon; c++) {
            if (!is_tchar((unsigned char)*c)) {
                *bad = true;
                return NULL;
            }
        }
    }
    *body_len = total;
    return p;
}

ssize_t ddb_bench_http_parse(const char *buf, size_t len, size_t max_body, char *scratch,
                             size_t scratch_cap, bool eof, struct ddb_bench_http_resp *out)
{
    const char *p = buf, *end = buf + len;
    struct header_state hs = {0};
    struct line l;

    memset(out, 0, sizeof *out);
    if (scratch == NULL)
        scratch_cap = 0;

    /* Find the whole header block first, so a partial block costs one scan. */
    const char *scan = p;
    bool blank = false;
    while (!blank) {
        if (!line_get(scan, end, &l)) {
            if (len > DDB_BENCH_HTTP_MAX_HEADER || eof)
                return DDB_BENCH_HTTP_ERROR;
            return DDB_BENCH_HTTP_INCOMPLETE;
        }
        if ((size_t)(l.next - buf) > DDB_BENCH_HTTP_MAX_HEADER)
            return DDB_BENCH_HTTP_ERROR;
        blank = l.start == l.end && scan != buf;
        if (l.start == l.end && scan == buf)
            return DDB_BENCH_HTTP_ERROR; /* no status line */
        scan = l.next;
    }
    out->header_len = (size_t)(scan - buf);

    if (!line_get(p, end, &l) || !parse_status_line(&l, out))
        return DDB_BENCH_HTTP_ERROR;
    p = l.next;
    while (p < scan) {
        if (!line_get(p, end, &l))
            return DDB_BENCH_HTTP_ERROR; /* cannot happen: the block was scanned */
        p = l.next;
        if (l.start == l.end)
            break;
        if (!parse_header(&l, out, &hs))
            return DDB_BENCH_HTTP_ERROR;
    }

    if (out->minor_version == 1)
        out->keep_alive = !hs.conn_close;
    else
        out->keep_alive = hs.conn_keep_alive && !hs.conn_close;

    const char *body = scan;
    if ((out->status >= 100 && out->status < 200) || out->status == 204 || out->status == 304) {
        out->body = ddb_slice_make(body, 0);
        return (ssize_t)(body - buf);
    }
    if (hs.has_te) {
        /* Only chunked, applied once, is decodable; with Content-Length as
         * well it is a smuggling pattern that RFC 9112 says to treat as an
         * error. */
        if (hs.other_coding || hs.chunked_tokens != 1 || out->has_content_length)
            return DDB_BENCH_HTTP_ERROR;
        out->chunked = true;
        bool bad = false;
        size_t body_len = 0;
        const char *stop =
            parse_chunked(body, end, max_body, scratch, scratch_cap, &body_len, &bad);
        if (bad)
            return DDB_BENCH_HTTP_ERROR;
        if (stop == NULL)
            return eof ? DDB_BENCH_HTTP_ERROR : DDB_BENCH_HTTP_INCOMPLETE;
        out->body = ddb_slice_make(scratch, body_len);
        return (ssize_t)(stop - buf);
    }
    if (out->has_content_length) {
        if (out->content_length > max_body)
            return DDB_BENCH_HTTP_ERROR;
        size_t have = (size_t)(end - body);
        if (have < out->content_length)
            return eof ? DDB_BENCH_HTTP_ERROR : DDB_BENCH_HTTP_INCOMPLETE;
        out->body = ddb_slice_make(body, (size_t)out->content_length);
        return (ssize_t)(body - buf + (ptrdiff_t)out->content_length);
    }
    /* Delimited by the end of the stream. */
    if ((size_t)(end - body) > max_body)
        return DDB_BENCH_HTTP_ERROR;
    if (!eof)
        return DDB_BENCH_HTTP_INCOMPLETE;
    out->keep_alive = false;
    out->body = ddb_slice_make(body, (size_t)(end - body));
    return (ssize_t)len;
}
