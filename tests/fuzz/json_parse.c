/*
 * json_parse: the JSON reader on arbitrary bytes. When the reader accepts,
 * the DOM is written back with the writer and parsed again; the second DOM
 * must equal the first and writing it must give the same bytes (abort()
 * otherwise, so libFuzzer reports it).
 */
#include <stdio.h>
#include <stdlib.h>

#include "protocol/json.h"
#include "tests/fuzz/json_eq.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ddb_slice write_dom(struct ddb_arena *a, const struct ddb_json *v)
{
    struct ddb_buf b;
    struct ddb_json_writer w;
    ddb_buf_init(&b, a);
    ddb_jw_init(&w, &b);
    ddb_jw_value(&w, v);
    if (w.depth != 0)
        abort();
    return ddb_buf_slice(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ddb_arena a;
    struct ddb_json *v1 = NULL, *v2 = NULL;
    struct ddb_json_error err = {0, NULL};
    ddb_arena_init(&a);
    if (ddb_json_parse(&a, (const char *)data, size, &v1, &err) != 0) {
        if (err.reason == NULL || err.offset > size)
            abort();
        goto out;
    }
    ddb_slice out = write_dom(&a, v1);
    if (ddb_json_parse(&a, out.ptr, out.len, &v2, &err) != 0) {
        fprintf(stderr, "re-parse failed at %zu: %s\n", err.offset, err.reason);
        abort();
    }
    if (!json_dom_equal(v1, v2))
        abort();
    ddb_slice out2 = write_dom(&a, v2);
    if (!ddb_slice_eq(out, out2))
        abort();
out:
    ddb_arena_release(&a);
    return 0;
}
