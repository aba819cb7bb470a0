/*
 * value_json: bytes -> JSON DOM -> ddb_item_from_json -> ddb_item_to_json ->
 * parse again -> the two items must be equal attribute by attribute
 * (ddb_value_equal), and writing the second gives the same bytes. Also runs
 * the standalone reader and the size and copy helpers over what it built.
 */
#include <stdio.h>
#include <stdlib.h>

#include "protocol/value_json.h"

static void must(int cond, const char *what)
{
    if (!cond) {
        fprintf(stderr, "value_json: %s\n", what);
        abort();
    }
}

static ddb_slice write_item(struct ddb_arena *a, const struct ddb_item *it)
{
    struct ddb_buf b;
    ddb_buf_init(&b, a);
    struct ddb_json_writer *w = ddb_arena_alloc(a, sizeof *w);
    ddb_jw_init(w, &b);
    ddb_item_to_json(w, it);
    return ddb_buf_slice(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_json *j;
    struct ddb_json_error je;
    struct ddb_error e;
    if (ddb_json_parse(&a, (const char *)data, size, &j, &je) != 0)
        goto out;
    struct ddb_value v;
    if (ddb_value_from_json(&a, j, &v, &e) == 0)
        (void)ddb_value_size(&v);
    else
        must(e.message != NULL && (e.code == DDB_ERR_VALIDATION || e.code == DDB_ERR_SERIALIZATION),
             "value error without message");
    struct ddb_item it, back, copy;
    if (j->type != DDB_JSON_OBJECT || ddb_item_from_json(&a, j, &it, &e) != 0)
        goto out;
    ddb_slice text = write_item(&a, &it);
    struct ddb_json *j2;
    must(ddb_json_parse(&a, text.ptr, text.len, &j2, &je) == 0, "output is not JSON");
    must(ddb_item_from_json(&a, j2, &back, &e) == 0, "output does not read back");
    must(back.count == it.count, "attribute count changed");
    for (uint32_t i = 0; i < it.count; i++) {
        const struct ddb_value *bv = ddb_item_get(&back, it.attrs[i].name);
        must(bv != NULL && ddb_value_equal(&it.attrs[i].value, bv), "value changed");
    }
    ddb_slice text2 = write_item(&a, &back);
    must(ddb_slice_eq(text, text2), "second write differs");
    must(ddb_item_size(&it) == ddb_item_size(&back), "size changed");
    ddb_item_copy(&a, &it, &copy);
    for (uint32_t i = 0; i < it.count; i++)
        must(ddb_value_equal(&it.attrs[i].value, &copy.attrs[i].value), "copy differs");
out:
    ddb_arena_release(&a);
    return 0;
}
