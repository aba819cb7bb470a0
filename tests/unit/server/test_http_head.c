#include "harness.h"
#include "server/http_head.c"

static int scan(const char *s, struct ddb_http_head *h)
{
    return ddb_http_head_scan(s, strlen(s), h);
}

#define REQ "POST / HTTP/1.1\r\nHost: x\r\n"

TEST(http_head_plain_content_length)
{
    struct ddb_http_head h;
    const char *s = REQ "Content-Length: 12\r\n\r\nbody";
    CHECK_EQ_INT(scan(s, &h), 0);
    CHECK_EQ_INT(h.len, strlen(s) - 4);
    CHECK_EQ_INT(h.content_lengths, 1);
    CHECK_EQ_INT(h.transfer_encodings, 0);
    CHECK(h.content_length == 12);
    CHECK(!h.folded);
    CHECK(ddb_http_head_conflict(&h) == NULL);
}

TEST(http_head_no_body_headers)
{
    struct ddb_http_head h;
    CHECK_EQ_INT(scan("GET / HTTP/1.1\r\n\r\n", &h), 0);
    CHECK_EQ_INT(h.len, 18);
    CHECK_EQ_INT(h.content_lengths, 0);
    CHECK(h.content_length == UINT64_MAX);
    CHECK(ddb_http_head_conflict(&h) == NULL);
}

TEST(http_head_bare_lf_and_case)
{
    struct ddb_http_head h;
    CHECK_EQ_INT(scan("POST / HTTP/1.1\ncOnTeNt-LeNgTh:\t 7 \t\n\n", &h), 0);
    CHECK_EQ_INT(h.content_lengths, 1);
    CHECK(h.content_length == 7);
    CHECK_EQ_INT(h.len, 38);
}

TEST(http_head_incomplete)
{
    struct ddb_http_head h;
    CHECK_EQ_INT(scan("", &h), -1);
    CHECK_EQ_INT(scan("POST / HTTP/1.1", &h), -1);
    CHECK_EQ_INT(scan(REQ "Content-Length: 2\r\n", &h), -1);
    CHECK_EQ_INT(scan(REQ "Content-Length: 2\r\n\r", &h), -1);
}

TEST(http_head_duplicate_content_length)
{
    struct ddb_http_head h;
    CHECK_EQ_INT(scan(REQ "Content-Length: 2\r\nContent-Length: 3\r\n\r\n", &h), 0);
    CHECK_EQ_INT(h.content_lengths, 2);
    CHECK(h.content_length == 2); /* the first, as h2o frames it */
    CHECK_EQ_STR(ddb_http_head_conflict(&h), "more than one Content-Length");
    /* equal values are refused too (ddbd's choice, see http_head.h) */
    CHECK_EQ_INT(scan(REQ "Content-Length: 2\r\ncontent-length: 2\r\n\r\n", &h), 0);
    CHECK_EQ_STR(ddb_http_head_conflict(&h), "more than one Content-Length");
}

TEST(http_head_content_length_and_chunked)
{
    struct ddb_http_head h;
    CHECK_EQ_INT(scan(REQ "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", &h), 0);
    CHECK_EQ_INT(h.transfer_encodings, 1);
    CHECK_EQ_STR(ddb_http_head_conflict(&h), "Content-Length with Transfer-Encoding");
    CHECK_EQ_INT(scan(REQ "Transfer-Encoding: chunked\r\n\r\n", &h), 0);
    CHECK(ddb_http_head_conflict(&h) == NULL);
    CHECK_EQ_INT(scan(REQ "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", &h),
                 0);
    CHECK_EQ_STR(ddb_http_head_conflict(&h), "more than one Transfer-Encoding");
}

TEST(http_head_folded_framing_header)
{
    struct ddb_http_head h;
    CHECK_EQ_INT(scan(REQ "Content-Length: 2\r\n 3\r\n\r\n", &h), 0);
    CHECK(h.folded);
    CHECK_EQ_STR(ddb_http_head_conflict(&h), "a folded Content-Length or Transfer-Encoding line");
    /* a fold continuing another header is not a framing matter */
    CHECK_EQ_INT(scan(REQ "X-A: 1\r\n\t2\r\nContent-Length: 2\r\n\r\n", &h), 0);
    CHECK(!h.folded);
    CHECK(ddb_http_head_conflict(&h) == NULL);
}

TEST(http_head_names_must_match_exactly)
{
    struct ddb_http_head h;
    CHECK_EQ_INT(scan(REQ "Content-Lengthx: 2\r\nX-Content-Length: 3\r\nContent-Length: 4\r\n\r\n",
                      &h),
                 0);
    CHECK_EQ_INT(h.content_lengths, 1);
    CHECK(h.content_length == 4);
    /* the head ends at the first empty line: the body is not read */
    CHECK_EQ_INT(scan(REQ "\r\nContent-Length: 2\r\n\r\n", &h), 0);
    CHECK_EQ_INT(h.content_lengths, 0);
}

TEST(http_head_content_length_values)
{
    struct ddb_http_head h;
    CHECK_EQ_INT(scan(REQ "Content-Length: 18446744073709551614\r\n\r\n", &h), 0);
    CHECK(h.content_length == UINT64_MAX - 1);
    CHECK_EQ_INT(scan(REQ "Content-Length: 18446744073709551615\r\n\r\n", &h), 0);
    CHECK(h.content_length == UINT64_MAX);
    CHECK_EQ_INT(scan(REQ "Content-Length: 99999999999999999999999\r\n\r\n", &h), 0);
    CHECK(h.content_length == UINT64_MAX);
    CHECK_EQ_INT(scan(REQ "Content-Length: 1, 1\r\n\r\n", &h), 0);
    CHECK(h.content_length == UINT64_MAX);
    CHECK_EQ_INT(scan(REQ "Content-Length:\r\n\r\n", &h), 0);
    CHECK(h.content_length == UINT64_MAX);
    CHECK_EQ_INT(h.content_lengths, 1);
}
