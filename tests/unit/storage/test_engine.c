#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "storage/engine.h"

static struct ddb_engine *open_tmp(char *dir, bool in_memory)
{
    struct ddb_engine_options o = {.data_dir = dir, .in_memory = in_memory};
    struct ddb_engine *e = NULL;
    struct ddb_error err;
    if (ddb_engine_open(&o, &e, &err) != 0) {
        printf("# open failed: %s\n", err.message);
        return NULL;
    }
    return e;
}

static void roundtrip(bool in_memory)
{
    char dir[] = "/tmp/ddbd-test-engine-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    struct ddb_engine *e = open_tmp(dir, in_memory);
    CHECK(e != NULL);
    if (e == NULL)
        return;
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_error err;
    struct ddb_batch *b = ddb_batch_new(e);
    ddb_batch_put(b, DDB_CF_ITEMS, DDB_SLICE_LIT("k1"), DDB_SLICE_LIT("v1"));
    ddb_batch_put(b, DDB_CF_ITEMS, DDB_SLICE_LIT("k2"), DDB_SLICE_LIT("v2"));
    ddb_batch_put(b, DDB_CF_ITEMS, DDB_SLICE_LIT("k3"), DDB_SLICE_LIT("v3"));
    ddb_batch_add_counter(b, DDB_SLICE_LIT("c"), 3, 100);
    ddb_batch_add_counter(b, DDB_SLICE_LIT("c"), -1, -10);
    CHECK_EQ_INT(ddb_engine_write(e, b, &err), 0);
    ddb_batch_free(b);

    ddb_slice v;
    CHECK_EQ_INT(ddb_engine_get(e, DDB_CF_ITEMS, DDB_SLICE_LIT("k2"), &a, &v, &err), 0);
    CHECK(ddb_slice_eq(v, DDB_SLICE_LIT("v2")));
    CHECK_EQ_INT(ddb_engine_get(e, DDB_CF_META, DDB_SLICE_LIT("k2"), &a, &v, &err), 0);
    CHECK(v.ptr == NULL);
    int64_t c0, c1;
    CHECK_EQ_INT(ddb_engine_get_counter(e, DDB_SLICE_LIT("c"), &c0, &c1, &err), 0);
    CHECK_EQ_INT(c0, 2);
    CHECK_EQ_INT(c1, 90);

    struct ddb_iter *it = ddb_iter_new(e, DDB_CF_ITEMS, DDB_SLICE_LIT("k2"), DDB_SLICE_LIT("k4"));
    int n = 0;
    for (ddb_iter_seek_first(it); ddb_iter_valid(it); ddb_iter_next(it))
        n++;
    CHECK_EQ_INT(n, 2);
    ddb_iter_seek_last(it);
    CHECK(ddb_iter_valid(it) && ddb_slice_eq(ddb_iter_key(it), DDB_SLICE_LIT("k3")));
    CHECK_EQ_INT(ddb_iter_status(it, &a, &err), 0);
    ddb_iter_free(it);
    ddb_engine_close(e);

    if (!in_memory) {
        e = open_tmp(dir, false);
        CHECK(e != NULL);
        if (e) {
            CHECK_EQ_INT(ddb_engine_get(e, DDB_CF_ITEMS, DDB_SLICE_LIT("k3"), &a, &v, &err), 0);
            CHECK(ddb_slice_eq(v, DDB_SLICE_LIT("v3")));
            CHECK_EQ_INT(ddb_engine_get_counter(e, DDB_SLICE_LIT("c"), &c0, &c1, &err), 0);
            CHECK_EQ_INT(c0, 2);
            ddb_engine_close(e);
        }
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        CHECK(system(cmd) == 0);
    } else {
        rmdir(dir);
    }
    ddb_arena_release(&a);
}

TEST(engine_on_disk_roundtrip_and_reopen)
{
    roundtrip(false);
}

TEST(engine_in_memory)
{
    roundtrip(true);
}

TEST(engine_second_open_of_same_folder_fails)
{
    char dir[] = "/tmp/ddbd-test-engine-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    struct ddb_engine *e = open_tmp(dir, false);
    CHECK(e != NULL);
    struct ddb_engine_options o = {.data_dir = dir};
    struct ddb_engine *e2 = NULL;
    struct ddb_error err;
    CHECK_EQ_INT(ddb_engine_open(&o, &e2, &err), -1);
    CHECK(err.code == DDB_ERR_INTERNAL && strstr(err.message, "cannot open") != NULL);
    ddb_engine_close(e);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
}
