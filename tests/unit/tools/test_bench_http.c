/*
 * test_bench_http.c: ddbd-bench's HTTP/1.1 response parser.
 */
#include "tools/bench/http_parse.h"

#include "../harness.h"

#define MAXB (1024 * 1024)

static char scratch[2 * MAXB];

static ssize_t parse_n(const char *s, size_t n, bool eof, struct ddb_bench_http_resp *r)
{
    return ddb_bench_http_parse(s, n, MAXB, scratch, sizeof scratch, eof, r);
}

static ssize_t parse(const char *s, struct ddb_bench_http_resp *r)
{
    return parse_n(s, strlen(s), false, r);
}

static bool body_is(const struct ddb_bench_http_resp *r, const char *s)
{
    return ddb_slice_eq_cstr(r->body, s);
}

/* Every proper prefix of a complete response is INCOMPLETE, the whole is
 * complete with the same result. */
static void check_every_split(const char *s, const char *body)
{
    size_t n = strlen(s);
    struct ddb_bench_http_resp r;
    for (size_t i = 0; i < n; i++) {
        ssize_t got = parse_n(s, i, false, &r);
        if (got != DDB_BENCH_HTTP_INCOMPLETE) {
            printf("#   prefix %zu of %zu gave %zd\n", i, n, got);
            CHECK(got == DDB_BENCH_HTTP_INCOMPLETE);
            return;
        }
    }
    CHECK_EQ_INT(parse_n(s, n, false, &r), n);
    CHECK(body_is(&r, body));
}

TEST(content_length_response)
{
    const char *s = "HTTP/1.1 200 OK\r\n"
                    "x-amzn-RequestId: abc\r\n"
                    "x-amz-crc32: 2745614147\r\n"
                    "Content-Type: application/x-amz-json-1.0\r\n"
                    "Content-Length: 2\r\n"
                    "\r\n"
                    "{}";
    struct ddb_bench_http_resp r;
    CHECK_EQ_INT(parse(s, &r), strlen(s));
    CHECK_EQ_INT(r.status, 200);
    CHECK_EQ_INT(r.minor_version, 1);
    CHECK(r.keep_alive);
    CHECK(!r.chunked);
    CHECK(r.has_crc32);
    CHECK_EQ_INT(r.crc32, 2745614147u);
    CHECK(r.has_content_length);
    CHECK_EQ_INT(r.content_length, 2);
    CHECK_EQ_INT(r.header_len, strlen(s) - 2);
    CHECK(body_is(&r, "{}"));
    check_every_split(s, "{}");
}

TEST(chunked_response_with_extensions_and_trailers)
{
    const char *s = "HTTP/1.1 200 OK\r\n"
                    "Transfer-Encoding: chunked\r\n"
                    "\r\n"
                    "5\r\nhello\r\n"
                    "7;name=value\r\n, world\r\n"
                    "A \r\n0123456789\r\n"
                    "0\r\n"
                    "X-Trailer: yes\r\n"
                    "\r\n";
    struct ddb_bench_http_resp r;
    CHECK_EQ_INT(parse(s, &r), strlen(s));
    CHECK(r.chunked);
    CHECK(r.keep_alive);
    CHECK(body_is(&r, "hello, world0123456789"));
    CHECK(r.body.ptr == scratch);
    check_every_split(s, "hello, world0123456789");
}

TEST(chunked_empty_body)
{
    const char *s = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
    struct ddb_bench_http_resp r;
    CHECK_EQ_INT(parse(s, &r), strlen(s));
    CHECK_EQ_INT(r.body.len, 0);
    check_every_split(s, "");
}

TEST(transfer_encoding_is_case_insensitive_and_listed)
{
    const char *s = "HTTP/1.1 200 OK\r\nTRANSFER-ENCODING:  Chunked \r\n\r\n1\r\nx\r\n0\r\n\r\n";
    struct ddb_bench_http_resp r;
    CHECK_EQ_INT(parse(s, &r), strlen(s));
    CHECK(body_is(&r, "x"));
}

TEST(bare_lf_line_endings)
{
    const char *s = "HTTP/1.1 200 OK\nContent-Length: 3\n\nabc";
    struct ddb_bench_http_resp r;
    CHECK_EQ_INT(parse(s, &r), strlen(s));
    CHECK(body_is(&r, "abc"));
    const char *c = "HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n3\nabc\n0\n\n";
    CHECK_EQ_INT(parse(c, &r), strlen(c));
    CHECK(body_is(&r, "abc"));
}

TEST(pipelined_responses_parse_one_at_a_time)
{
    const char *one = "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na";
    const char *two = "HTTP/1.1 400 Bad Request\r\nContent-Length: 2\r\n\r\nbc";
    char buf[256];
    snprintf(buf, sizeof buf, "%s%s", one, two);
    struct ddb_bench_http_resp r;
    CHECK_EQ_INT(parse(buf, &r), strlen(one));
    CHECK(body_is(&r, "a"));
    CHECK_EQ_INT(parse(buf + strlen(one), &r), strlen(two));
    CHECK_EQ_INT(r.status, 400);
    CHECK(body_is(&r, "bc"));
}

TEST(connection_semantics)
{
    struct ddb_bench_http_resp r;
    CHECK(parse("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", &r) > 0);
    CHECK(!r.keep_alive);
    CHECK(parse("HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 0\r\n\r\n",
                &r) > 0);
    CHECK(!r.keep_alive);
    CHECK(parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", &r) > 0);
    CHECK(!r.keep_alive);
    CHECK(parse("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n", &r) > 0);
    CHECK(r.keep_alive);
    CHECK(parse("HTTP/1.1 200 OK\r\nConnection: upgrade\r\nContent-Length: 0\r\n\r\n", &r) > 0);
    CHECK(r.keep_alive);
}

TEST(responses_without_a_body)
{
    struct ddb_bench_http_resp r;
    const char *s = "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n";
    CHECK_EQ_INT(parse(s, &r), strlen(s));
    CHECK_EQ_INT(r.body.len, 0);
    s = "HTTP/1.1 304 Not Modified\r\n\r\n";
    CHECK_EQ_INT(parse(s, &r), strlen(s));
    s = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n";
    CHECK_EQ_INT(parse(s, &r), strlen("HTTP/1.1 100 Continue\r\n\r\n"));
    CHECK_EQ_INT(r.status, 100);
}

TEST(body_until_eof)
{
    const char *s = "HTTP/1.1 200 OK\r\n\r\nhealthy: x";
    struct ddb_bench_http_resp r;
    CHECK_EQ_INT(parse_n(s, strlen(s), false, &r), DDB_BENCH_HTTP_INCOMPLETE);
    CHECK_EQ_INT(parse_n(s, strlen(s), true, &r), strlen(s));
    CHECK(body_is(&r, "healthy: x"));
    CHECK(!r.keep_alive);
}

TEST(eof_before_the_end_is_an_error)
{
    struct ddb_bench_http_resp r;
    const char *s = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc";
    CHECK_EQ_INT(parse_n(s, strlen(s), true, &r), DDB_BENCH_HTTP_ERROR);
    s = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab";
    CHECK_EQ_INT(parse_n(s, strlen(s), true, &r), DDB_BENCH_HTTP_ERROR);
    s = "HTTP/1.1 200 OK\r\nContent-";
    CHECK_EQ_INT(parse_n(s, strlen(s), true, &r), DDB_BENCH_HTTP_ERROR);
    CHECK_EQ_INT(parse_n("", 0, true, &r), DDB_BENCH_HTTP_ERROR);
    CHECK_EQ_INT(parse_n("", 0, false, &r), DDB_BENCH_HTTP_INCOMPLETE);
}

TEST(status_line_forms)
{
    struct ddb_bench_http_resp r;
    CHECK(parse("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", &r) > 0);
    CHECK_EQ_INT(r.status, 200);
    CHECK(parse("HTTP/1.1 503 \r\nContent-Length: 0\r\n\r\n", &r) > 0);
    CHECK_EQ_INT(r.status, 503);
    static const char *const bad[] = {
        "HTTP/2.0 200 OK\r\n\r\n",
        "HTTP/1.2 200 OK\r\n\r\n",
        "HTTP/1.1 20 OK\r\n\r\n",
        "HTTP/1.1 2000 OK\r\n\r\n",
        "HTTP/1.1 099 OK\r\n\r\n",
        "HTTP/1.1  200 OK\r\n\r\n",
        "HTTP/1.1 2x0 OK\r\n\r\n",
        "http/1.1 200 OK\r\n\r\n",
        "HTTP/1.1 200 O\001K\r\n\r\n",
        "\r\nHTTP/1.1 200 OK\r\n\r\n",
        "garbage\r\n\r\n",
    };
    for (size_t i = 0; i < DDB_ARRAY_LEN(bad); i++) {
        ssize_t got = parse(bad[i], &r);
        if (got != DDB_BENCH_HTTP_ERROR)
            printf("#   case %zu gave %zd\n", i, got);
        CHECK_EQ_INT(got, DDB_BENCH_HTTP_ERROR);
    }
}

TEST(malformed_headers)
{
    static const char *const bad[] = {
        "HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n",          /* space before colon */
        "HTTP/1.1 200 OK\r\nX: a\r\n folded\r\nContent-Length: 0\r\n\r\n", /* obs-fold */
        "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
        "HTTP/1.1 200 OK\r\n: empty name\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX: a\001b\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX: a\rb\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1, 1\r\n\r\nx",
        "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxy",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nx-amz-crc32: 4294967296\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nx-amz-crc32: 12ab\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nx-amz-crc32: \r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nx-amz-crc32: 1\r\nX-Amz-Crc32: 1\r\nContent-Length: 0\r\n\r\n",
    };
    struct ddb_bench_http_resp r;
    for (size_t i = 0; i < DDB_ARRAY_LEN(bad); i++) {
        ssize_t got = parse(bad[i], &r);
        if (got != DDB_BENCH_HTTP_ERROR)
            printf("#   case %zu gave %zd\n", i, got);
        CHECK_EQ_INT(got, DDB_BENCH_HTTP_ERROR);
    }
}

TEST(header_values_are_trimmed_and_names_case_insensitive)
{
    const char *s = "HTTP/1.1 200 OK\r\nCONTENT-LENGTH:\t3 \r\nX-AMZ-CRC32:  891568578\t\r\n"
                    "Content-Length: 3\r\n\r\nabc";
    struct ddb_bench_http_resp r;
    CHECK_EQ_INT(parse(s, &r), strlen(s));
    CHECK(r.has_crc32);
    CHECK_EQ_INT(r.crc32, 891568578u);
    CHECK(body_is(&r, "abc"));
}

TEST(malformed_chunks)
{
    static const char *const bad[] = {
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nz\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3x\r\nabc\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\rX0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;\001\r\na\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nbad trailer\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n: x\r\n\r\n",
    };
    struct ddb_bench_http_resp r;
    for (size_t i = 0; i < DDB_ARRAY_LEN(bad); i++) {
        ssize_t got = parse(bad[i], &r);
        if (got != DDB_BENCH_HTTP_ERROR)
            printf("#   case %zu gave %zd\n", i, got);
        CHECK_EQ_INT(got, DDB_BENCH_HTTP_ERROR);
    }
}

TEST(body_caps)
{
    struct ddb_bench_http_resp r;
    char small[8];
    const char *s = "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n123456789";
    CHECK_EQ_INT(ddb_bench_http_parse(s, strlen(s), 8, small, sizeof small, false, &r),
                 DDB_BENCH_HTTP_ERROR);
    CHECK_EQ_INT(ddb_bench_http_parse(s, strlen(s), 9, small, sizeof small, false, &r),
                 strlen(s));
    /* A chunked body over the scratch or over max_body. */
    s = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n12345\r\n5\r\n67890\r\n0\r\n\r\n";
    CHECK_EQ_INT(ddb_bench_http_parse(s, strlen(s), 100, small, sizeof small, false, &r),
                 DDB_BENCH_HTTP_ERROR);
    CHECK_EQ_INT(ddb_bench_http_parse(s, strlen(s), 8, scratch, sizeof scratch, false, &r),
                 DDB_BENCH_HTTP_ERROR);
    CHECK_EQ_INT(ddb_bench_http_parse(s, strlen(s), 10, scratch, sizeof scratch, false, &r),
                 strlen(s));
    CHECK_EQ_INT(ddb_bench_http_parse(s, strlen(s), 10, NULL, 0, false, &r),
                 DDB_BENCH_HTTP_ERROR);
    /* An end-of-stream body over max_body fails before EOF. */
    s = "HTTP/1.1 200 OK\r\n\r\n123456789";
    CHECK_EQ_INT(ddb_bench_http_parse(s, strlen(s), 8, NULL, 0, false, &r),
                 DDB_BENCH_HTTP_ERROR);
}

TEST(header_block_cap)
{
    size_t n = DDB_BENCH_HTTP_MAX_HEADER + 100;
    char *buf = malloc(n);
    CHECK(buf != NULL);
    if (buf == NULL)
        return;
    const char *start = "HTTP/1.1 200 OK\r\nX-Big: ";
    memcpy(buf, start, strlen(start));
    memset(buf + strlen(start), 'a', n - strlen(start));
    struct ddb_bench_http_resp r;
    /* Still under the cap: more bytes could finish it. */
    CHECK_EQ_INT(parse_n(buf, DDB_BENCH_HTTP_MAX_HEADER, false, &r), DDB_BENCH_HTTP_INCOMPLETE);
    CHECK_EQ_INT(parse_n(buf, n, false, &r), DDB_BENCH_HTTP_ERROR);
    /* A complete header block that ends past the cap. */
    memcpy(buf + n - 4, "\r\n\r\n", 4);
    CHECK_EQ_INT(parse_n(buf, n, false, &r), DDB_BENCH_HTTP_ERROR);
    free(buf);
}

TEST(dynamodb_error_response)
{
    const char *s =
        "HTTP/1.1 400 Bad Request\r\n"
        "Server: Jetty(12.1.11)\r\n"
        "x-amzn-RequestId: 5d405100-427b-4a4a-a47e-de72fdcf8639\r\n"
        "Content-Type: application/x-amz-json-1.0\r\n"
        "Content-Length: 40\r\n"
        "\r\n"
        "{\"__type\":\"x#ResourceNotFoundException\"}";
    struct ddb_bench_http_resp r;
    CHECK_EQ_INT(parse(s, &r), strlen(s));
    CHECK_EQ_INT(r.status, 400);
    CHECK(!r.has_crc32);
    CHECK_EQ_INT(r.body.len, 40);
}
