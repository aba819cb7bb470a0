/*
 * bench_http.c: fuzz target for ddbd-bench's HTTP response parser
 * (tools/bench/http_parse.c).
 *
 * Input: one flag byte (bit 0: the peer closed; bit 1: a small body cap),
 * then the bytes received. Besides memory safety it checks the contract: a
 * complete response lies inside the input, its body inside the input or the
 * scratch and under the cap, and every proper prefix of it is INCOMPLETE
 * (so a response split anywhere parses the same as one read whole).
 */
#include <stdlib.h>
#include <string.h>

#include "tools/bench/http_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char scratch[1 << 20];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    bool eof = data[0] & 1;
    size_t max_body = (data[0] & 2) ? 16 : sizeof scratch;
    const char *buf = (const char *)data + 1;
    size_t len = size - 1;

    /* A private copy, so reads past the end are caught by ASan. */
    char *copy = malloc(len ? len : 1);
    if (copy == NULL)
        abort();
    memcpy(copy, buf, len);

    struct ddb_bench_http_resp r;
    ssize_t n = ddb_bench_http_parse(copy, len, max_body, scratch, sizeof scratch, eof, &r);
    if (n < DDB_BENCH_HTTP_ERROR || (size_t)(n > 0 ? n : 0) > len)
        abort();
    if (n > 0) {
        bool in_input = r.body.ptr >= copy && r.body.ptr + r.body.len <= copy + n;
        bool in_scratch = r.body.ptr >= scratch && r.body.ptr + r.body.len <= scratch + sizeof scratch;
        if (!(in_input || in_scratch) || r.body.len > max_body || r.header_len > (size_t)n)
            abort();
        if (r.status < 100 || r.status > 999)
            abort();
        if (!eof) {
            struct ddb_bench_http_resp p;
            ssize_t m = ddb_bench_http_parse(copy, (size_t)n - 1, max_body, scratch,
                                             sizeof scratch, false, &p);
            if (m != DDB_BENCH_HTTP_INCOMPLETE)
                abort();
        }
    }
    free(copy);
    return 0;
}
