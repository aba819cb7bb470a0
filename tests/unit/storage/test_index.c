/* storage/index.c: ddb_index_maintain against a real (in-memory) engine:
 * sparse items, updates that move an item between index keys, deletes, the
 * KEYS_ONLY / INCLUDE / ALL projections, the index and item-collection
 * counters, CREATING indexes, and a bad index key failing the write. */
#include <stdio.h>

#include "harness.h"
#include "protocol/json.h"
#include "protocol/value_json.h"
#include "storage/engine.h"
#include "storage/index.h"
#include "storage/itemcodec.h"
#include "storage/keycodec.h"

enum { TABLE_ID = 100, G_ALL = 101, G_KEYS = 102, G_INC = 103, L_INC = 104 };

static struct ddb_engine *open_mem(void)
{
    struct ddb_engine_options o = {.in_memory = true, .data_dir = "/tmp/ddbd-test-index"};
    struct ddb_engine *e = NULL;
    struct ddb_error err;
    if (ddb_engine_open(&o, &e, &err) != 0) {
        printf("# open failed: %s\n", err.message);
        return NULL;
    }
    return e;
}

static const ddb_slice include_x[] = {DDB_SLICE_LIT("x")};

/* Table pk (S) with three GSIs: g_all (g S, ALL), g_keys (g S + r N,
 * KEYS_ONLY), g_inc (h S, INCLUDE x). */
static const struct ddb_index_def gsis[3] = {
    {.name = DDB_SLICE_LIT("g_all"), .key = {.hash_name = DDB_SLICE_LIT("g"), .hash_type = DDB_T_S},
     .projection = DDB_PROJ_ALL, .id = G_ALL},
    {.name = DDB_SLICE_LIT("g_keys"),
     .key = {.hash_name = DDB_SLICE_LIT("g"), .hash_type = DDB_T_S, .has_range = true,
             .range_name = DDB_SLICE_LIT("r"), .range_type = DDB_T_N},
     .projection = DDB_PROJ_KEYS_ONLY, .id = G_KEYS},
    {.name = DDB_SLICE_LIT("g_inc"), .key = {.hash_name = DDB_SLICE_LIT("h"), .hash_type = DDB_T_S},
     .projection = DDB_PROJ_INCLUDE, .non_key_count = 1, .non_key = include_x, .id = G_INC},
};

static struct ddb_table gsi_table(void)
{
    struct ddb_table t = {.id = TABLE_ID};
    t.def.name = DDB_SLICE_LIT("t");
    t.def.key.hash_name = DDB_SLICE_LIT("pk");
    t.def.key.hash_type = DDB_T_S;
    t.def.index_count = 3;
    t.def.indexes = gsis;
    return t;
}

/* Table pk (S) + sk (S) with one LSI l_inc (pk S + l S, INCLUDE x). */
static const struct ddb_index_def lsis[1] = {
    {.name = DDB_SLICE_LIT("l_inc"), .local = true,
     .key = {.hash_name = DDB_SLICE_LIT("pk"), .hash_type = DDB_T_S, .has_range = true,
             .range_name = DDB_SLICE_LIT("l"), .range_type = DDB_T_S},
     .projection = DDB_PROJ_INCLUDE, .non_key_count = 1, .non_key = include_x, .id = L_INC},
};

static struct ddb_table lsi_table(void)
{
    struct ddb_table t = {.id = TABLE_ID};
    t.def.name = DDB_SLICE_LIT("t");
    t.def.key = (struct ddb_key_schema){.hash_name = DDB_SLICE_LIT("pk"), .hash_type = DDB_T_S,
                                        .has_range = true, .range_name = DDB_SLICE_LIT("sk"),
                                        .range_type = DDB_T_S};
    t.def.index_count = 1;
    t.def.indexes = lsis;
    return t;
}

static struct ddb_item item(struct ddb_arena *a, const char *json)
{
    struct ddb_json *j;
    struct ddb_json_error je;
    struct ddb_error err;
    struct ddb_item it = {0};
    if (ddb_json_parse(a, json, strlen(json), &j, &je) != 0 ||
        ddb_item_from_json(a, j, &it, &err) != 0) {
        printf("# bad test item %s\n", json);
        abort();
    }
    return it;
}

/* One write old -> new_item through ddb_index_maintain and the engine. */
static int apply(struct ddb_engine *e, struct ddb_arena *a, const struct ddb_table *t,
                 const struct ddb_item *old, const struct ddb_item *new_item,
                 struct ddb_index_write_info *info, struct ddb_error *err)
{
    struct ddb_batch *b = ddb_batch_new(e);
    int rc = ddb_index_maintain(e, b, a, t, old, new_item, info, err);
    if (rc == 0)
        rc = ddb_engine_write(e, b, err);
    ddb_batch_free(b);
    return rc;
}

/* The entry of item in index x: 1 and its decoded value in *out, or 0. */
static int entry(struct ddb_engine *e, struct ddb_arena *a, const struct ddb_table *t, int ix,
                 const struct ddb_item *it, struct ddb_item *out)
{
    struct ddb_buf k;
    struct ddb_error err;
    ddb_buf_init(&k, a);
    if (!ddb_index_entry_key(&k, &t->def, &t->def.indexes[ix], it))
        return 0;
    ddb_slice v;
    if (ddb_engine_get(e, DDB_CF_INDEX, ddb_buf_slice(&k), a, &v, &err) != 0 || v.ptr == NULL)
        return 0;
    if (out != NULL && ddb_itemcodec_decode(a, v.ptr, v.len, out, &err) != 0)
        return -1;
    return 1;
}

/* Entries of index id in the index family. */
static int entries(struct ddb_engine *e, struct ddb_arena *a, uint64_t id)
{
    struct ddb_buf lo, hi;
    ddb_buf_init(&lo, a);
    ddb_buf_init(&hi, a);
    ddb_keycodec_table_prefix(&lo, id);
    ddb_keycodec_table_prefix(&hi, id + 1);
    struct ddb_iter *it = ddb_iter_new(e, DDB_CF_INDEX, ddb_buf_slice(&lo), ddb_buf_slice(&hi));
    int n = 0;
    for (ddb_iter_seek_first(it); ddb_iter_valid(it); ddb_iter_next(it))
        n++;
    ddb_iter_free(it);
    return n;
}

static int64_t counter(struct ddb_engine *e, uint64_t id, int which)
{
    char ck[9];
    int64_t c0 = -1, c1 = -1;
    struct ddb_error err;
    ddb_catalog_counter_key(id, ck);
    if (ddb_engine_get_counter(e, ddb_slice_make(ck, 9), &c0, &c1, &err) != 0)
        return -1;
    return which == 0 ? c0 : c1;
}

/* item holds exactly the attributes named in the comma-separated list. */
static bool has_exactly(const struct ddb_item *it, const char *names)
{
    uint32_t n = 0;
    for (const char *p = names; *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (ddb_item_get(it, ddb_slice_make(p, len)) == NULL)
            return false;
        n++;
        p += len + (end ? 1 : 0);
    }
    return n == it->count;
}

static bool same_value(const struct ddb_item *a, const struct ddb_item *b, const char *name)
{
    const struct ddb_value *x = ddb_item_get(a, ddb_slice_cstr(name));
    const struct ddb_value *y = ddb_item_get(b, ddb_slice_cstr(name));
    return x != NULL && y != NULL && ddb_value_equal(x, y);
}

TEST(sparse_items_are_not_indexed)
{
    struct ddb_engine *e = open_mem();
    CHECK(e != NULL);
    if (e == NULL)
        return;
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_table t = gsi_table();
    struct ddb_error err = {0};
    /* no index key at all; g without r (g_keys needs both); r of the wrong
     * type is checked, so only absence makes an item sparse */
    struct ddb_item i1 = item(&a, "{\"pk\":{\"S\":\"1\"},\"x\":{\"S\":\"v\"}}");
    struct ddb_item i2 = item(&a, "{\"pk\":{\"S\":\"2\"},\"g\":{\"S\":\"a\"}}");
    CHECK_EQ_INT(apply(e, &a, &t, NULL, &i1, NULL, &err), 0);
    CHECK_EQ_INT(apply(e, &a, &t, NULL, &i2, NULL, &err), 0);
    CHECK_EQ_INT(entries(e, &a, G_ALL), 1);
    CHECK_EQ_INT(entries(e, &a, G_KEYS), 0);
    CHECK_EQ_INT(entries(e, &a, G_INC), 0);
    CHECK_EQ_INT(entry(e, &a, &t, 0, &i1, NULL), 0);
    CHECK_EQ_INT(entry(e, &a, &t, 0, &i2, NULL), 1);
    CHECK_EQ_INT(counter(e, G_ALL, 0), 1);
    CHECK_EQ_INT(counter(e, G_ALL, 1), (int64_t)ddb_item_size(&i2));
    CHECK_EQ_INT(counter(e, G_KEYS, 0), 0);
    CHECK_EQ_INT(counter(e, G_INC, 0), 0);
    ddb_arena_release(&a);
    ddb_engine_close(e);
}

TEST(projections_keys_only_include_all)
{
    struct ddb_engine *e = open_mem();
    if (e == NULL) {
        CHECK(e != NULL);
        return;
    }
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_table t = gsi_table();
    struct ddb_error err = {0};
    struct ddb_item it = item(&a, "{\"pk\":{\"S\":\"1\"},\"g\":{\"S\":\"a\"},\"r\":{\"N\":\"7\"},"
                                  "\"h\":{\"S\":\"b\"},\"x\":{\"L\":[{\"N\":\"1\"}]},"
                                  "\"y\":{\"BOOL\":true}}");
    CHECK_EQ_INT(apply(e, &a, &t, NULL, &it, NULL, &err), 0);
    struct ddb_item all = {0}, keys = {0}, inc = {0};
    CHECK_EQ_INT(entry(e, &a, &t, 0, &it, &all), 1);
    CHECK_EQ_INT(entry(e, &a, &t, 1, &it, &keys), 1);
    CHECK_EQ_INT(entry(e, &a, &t, 2, &it, &inc), 1);
    CHECK(has_exactly(&all, "pk,g,r,h,x,y"));
    CHECK(same_value(&all, &it, "x") && same_value(&all, &it, "y"));
    CHECK(has_exactly(&keys, "pk,g,r")); /* index keys and table key only */
    CHECK(same_value(&keys, &it, "r"));
    CHECK(has_exactly(&inc, "pk,h,x"));
    CHECK(same_value(&inc, &it, "x"));
    /* the counters hold the projected sizes */
    CHECK_EQ_INT(counter(e, G_ALL, 1), (int64_t)ddb_item_size(&it));
    CHECK_EQ_INT(counter(e, G_KEYS, 1), (int64_t)ddb_item_size(&keys));
    CHECK_EQ_INT(counter(e, G_INC, 1), (int64_t)ddb_item_size(&inc));
    ddb_arena_release(&a);
    ddb_engine_close(e);
}

TEST(update_moves_entry_between_keys)
{
    struct ddb_engine *e = open_mem();
    if (e == NULL) {
        CHECK(e != NULL);
        return;
    }
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_table t = gsi_table();
    struct ddb_error err = {0};
    struct ddb_item v1 = item(&a, "{\"pk\":{\"S\":\"1\"},\"g\":{\"S\":\"a\"},\"r\":{\"N\":\"1\"}}");
    struct ddb_item v2 = item(&a, "{\"pk\":{\"S\":\"1\"},\"g\":{\"S\":\"b\"},\"r\":{\"N\":\"1\"}}");
    CHECK_EQ_INT(apply(e, &a, &t, NULL, &v1, NULL, &err), 0);
    CHECK_EQ_INT(apply(e, &a, &t, &v1, &v2, NULL, &err), 0);
    CHECK_EQ_INT(entry(e, &a, &t, 0, &v1, NULL), 0); /* old key gone */
    CHECK_EQ_INT(entry(e, &a, &t, 1, &v1, NULL), 0);
    struct ddb_item got = {0};
    CHECK_EQ_INT(entry(e, &a, &t, 0, &v2, &got), 1); /* new key written */
    CHECK(same_value(&got, &v2, "g"));
    CHECK_EQ_INT(entry(e, &a, &t, 1, &v2, NULL), 1);
    CHECK_EQ_INT(entries(e, &a, G_ALL), 1);
    CHECK_EQ_INT(entries(e, &a, G_KEYS), 1);
    CHECK_EQ_INT(counter(e, G_ALL, 0), 1);
    CHECK_EQ_INT(counter(e, G_ALL, 1), (int64_t)ddb_item_size(&v2));
    CHECK_EQ_INT(counter(e, G_KEYS, 0), 1);
    /* losing the sort key leaves g_keys (sparse), keeps g_all */
    struct ddb_item v3 = item(&a, "{\"pk\":{\"S\":\"1\"},\"g\":{\"S\":\"b\"},\"z\":{\"S\":\"zz\"}}");
    CHECK_EQ_INT(apply(e, &a, &t, &v2, &v3, NULL, &err), 0);
    CHECK_EQ_INT(entries(e, &a, G_KEYS), 0);
    CHECK_EQ_INT(counter(e, G_KEYS, 0), 0);
    CHECK_EQ_INT(counter(e, G_KEYS, 1), 0);
    CHECK_EQ_INT(entry(e, &a, &t, 0, &v3, &got), 1);
    CHECK(same_value(&got, &v3, "z"));
    CHECK_EQ_INT(counter(e, G_ALL, 0), 1);
    CHECK_EQ_INT(counter(e, G_ALL, 1), (int64_t)ddb_item_size(&v3));
    ddb_arena_release(&a);
    ddb_engine_close(e);
}

TEST(unprojected_change_writes_nothing)
{
    struct ddb_engine *e = open_mem();
    if (e == NULL) {
        CHECK(e != NULL);
        return;
    }
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_table t = gsi_table();
    struct ddb_error err = {0};
    struct ddb_item v1 = item(&a, "{\"pk\":{\"S\":\"1\"},\"h\":{\"S\":\"a\"},\"y\":{\"N\":\"1\"}}");
    struct ddb_item v2 = item(&a, "{\"pk\":{\"S\":\"1\"},\"h\":{\"S\":\"a\"},\"y\":{\"N\":\"2\"}}");
    CHECK_EQ_INT(apply(e, &a, &t, NULL, &v1, NULL, &err), 0);
    /* y is not projected into g_inc: no index change at all. Seen by
     * removing the entry behind ddb_index_maintain's back first: a rewrite
     * would bring it back. */
    struct ddb_buf k;
    ddb_buf_init(&k, &a);
    CHECK(ddb_index_entry_key(&k, &t.def, &t.def.indexes[2], &v1));
    struct ddb_batch *b = ddb_batch_new(e);
    ddb_batch_delete(b, DDB_CF_INDEX, ddb_buf_slice(&k));
    CHECK_EQ_INT(ddb_engine_write(e, b, &err), 0);
    ddb_batch_free(b);
    CHECK_EQ_INT(apply(e, &a, &t, &v1, &v2, NULL, &err), 0);
    CHECK_EQ_INT(entry(e, &a, &t, 2, &v2, NULL), 0);
    CHECK_EQ_INT(counter(e, G_INC, 0), 1);
    b = ddb_batch_new(e); /* put it back as it was */
    struct ddb_item p1;
    struct ddb_buf v;
    ddb_buf_init(&v, &a);
    ddb_index_project(&a, &t.def, &t.def.indexes[2], &v1, &p1);
    CHECK_EQ_INT(ddb_itemcodec_encode(&v, &p1, &err), 0);
    ddb_batch_put(b, DDB_CF_INDEX, ddb_buf_slice(&k), ddb_buf_slice(&v));
    CHECK_EQ_INT(ddb_engine_write(e, b, &err), 0);
    ddb_batch_free(b);
    /* x is: the entry is rewritten in place, the count unchanged */
    struct ddb_item v3 = item(&a, "{\"pk\":{\"S\":\"1\"},\"h\":{\"S\":\"a\"},\"x\":{\"S\":\"xyz\"}}");
    CHECK_EQ_INT(apply(e, &a, &t, &v1, &v3, NULL, &err), 0);
    struct ddb_item got = {0};
    CHECK_EQ_INT(entry(e, &a, &t, 2, &v3, &got), 1);
    CHECK(has_exactly(&got, "pk,h,x"));
    CHECK_EQ_INT(counter(e, G_INC, 0), 1);
    CHECK_EQ_INT(counter(e, G_INC, 1), (int64_t)ddb_item_size(&got));
    ddb_arena_release(&a);
    ddb_engine_close(e);
}

TEST(delete_removes_entries_and_counts)
{
    struct ddb_engine *e = open_mem();
    if (e == NULL) {
        CHECK(e != NULL);
        return;
    }
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_table t = gsi_table();
    struct ddb_error err = {0};
    struct ddb_item v1 = item(&a, "{\"pk\":{\"S\":\"1\"},\"g\":{\"S\":\"a\"},\"r\":{\"N\":\"1\"},"
                                  "\"h\":{\"S\":\"c\"}}");
    struct ddb_item v2 = item(&a, "{\"pk\":{\"S\":\"2\"},\"g\":{\"S\":\"a\"}}");
    CHECK_EQ_INT(apply(e, &a, &t, NULL, &v1, NULL, &err), 0);
    CHECK_EQ_INT(apply(e, &a, &t, NULL, &v2, NULL, &err), 0);
    CHECK_EQ_INT(counter(e, G_ALL, 0), 2);
    CHECK_EQ_INT(apply(e, &a, &t, &v1, NULL, NULL, &err), 0);
    CHECK_EQ_INT(entries(e, &a, G_ALL), 1);
    CHECK_EQ_INT(entries(e, &a, G_KEYS), 0);
    CHECK_EQ_INT(entries(e, &a, G_INC), 0);
    CHECK_EQ_INT(counter(e, G_ALL, 0), 1);
    CHECK_EQ_INT(counter(e, G_ALL, 1), (int64_t)ddb_item_size(&v2));
    CHECK_EQ_INT(counter(e, G_KEYS, 0), 0);
    CHECK_EQ_INT(counter(e, G_INC, 0), 0);
    CHECK_EQ_INT(counter(e, G_INC, 1), 0);
    CHECK_EQ_INT(apply(e, &a, &t, &v2, NULL, NULL, &err), 0);
    CHECK_EQ_INT(entries(e, &a, G_ALL), 0);
    CHECK_EQ_INT(counter(e, G_ALL, 0), 0);
    CHECK_EQ_INT(counter(e, G_ALL, 1), 0);
    ddb_arena_release(&a);
    ddb_engine_close(e);
}

TEST(bad_index_key_fails_the_write)
{
    struct ddb_engine *e = open_mem();
    if (e == NULL) {
        CHECK(e != NULL);
        return;
    }
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_table t = gsi_table();
    struct ddb_error err = {0};
    struct ddb_item bad = item(&a, "{\"pk\":{\"S\":\"1\"},\"g\":{\"N\":\"1\"}}");
    CHECK_EQ_INT(apply(e, &a, &t, NULL, &bad, NULL, &err), -1);
    CHECK_EQ_INT(err.code, DDB_ERR_VALIDATION);
    CHECK_EQ_STR(err.message, "One or more parameter values were invalid: Type mismatch for Index "
                              "Key g Expected: S Actual: N IndexName: g_all");
    struct ddb_item empty = item(&a, "{\"pk\":{\"S\":\"1\"},\"h\":{\"S\":\"\"}}");
    err = (struct ddb_error){0};
    CHECK_EQ_INT(apply(e, &a, &t, NULL, &empty, NULL, &err), -1);
    CHECK_EQ_INT(err.code, DDB_ERR_VALIDATION);
    CHECK(err.message != NULL && strstr(err.message, "IndexName: g_inc, IndexKey: h") != NULL);
    CHECK_EQ_INT(entries(e, &a, G_ALL) + entries(e, &a, G_INC), 0);
    CHECK_EQ_INT(counter(e, G_ALL, 0), 0);
    ddb_arena_release(&a);
    ddb_engine_close(e);
}

/* A JSON string of n copies of c. */
static const char *repeat(struct ddb_arena *a, char c, size_t n)
{
    char *s = ddb_arena_alloc(a, n + 1);
    memset(s, c, n);
    s[n] = 0;
    return s;
}

TEST(entry_key_only_for_values_a_write_accepts)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_table g = gsi_table(), l = lsi_table();
    struct ddb_buf k;
    ddb_buf_init(&k, &a);
    const char *hash_max = repeat(&a, 'h', DDB_MAX_HASH_KEY_BYTES);
    const char *range_max = repeat(&a, 'r', DDB_MAX_RANGE_KEY_BYTES);
    struct {
        const struct ddb_table *t;
        const char *json;
        bool indexed;
    } cases[] = {
        {&g, "{\"pk\":{\"S\":\"1\"},\"g\":{\"S\":\"a\"}}", true},
        {&g, "{\"pk\":{\"S\":\"1\"},\"g\":{\"S\":\"\"}}", false},
        {&g, "{\"pk\":{\"S\":\"1\"},\"g\":{\"N\":\"1\"}}", false},
        {&g, ddb_arena_printf(&a, "{\"pk\":{\"S\":\"1\"},\"g\":{\"S\":\"%s\"}}", hash_max),
         true},
        {&g, ddb_arena_printf(&a, "{\"pk\":{\"S\":\"1\"},\"g\":{\"S\":\"%sh\"}}", hash_max),
         false},
        {&l, ddb_arena_printf(&a, "{\"pk\":{\"S\":\"1\"},\"sk\":{\"S\":\"s\"},\"l\":{\"S\":\"%s\"}}",
                              range_max),
         true},
        {&l, ddb_arena_printf(&a, "{\"pk\":{\"S\":\"1\"},\"sk\":{\"S\":\"s\"},\"l\":{\"S\":\"%sr\"}}",
                              range_max),
         false},
    };
    for (size_t i = 0; i < DDB_ARRAY_LEN(cases); i++) {
        struct ddb_item it = item(&a, cases[i].json);
        struct ddb_error err = {0};
        bool accepted = ddb_index_check_item(&a, &cases[i].t->def, &it, false, &err) == 0;
        bool indexed = ddb_index_entry_key(&k, &cases[i].t->def, &cases[i].t->def.indexes[0], &it);
        if (indexed != cases[i].indexed || accepted != cases[i].indexed)
            printf("#   case %zu\n", i);
        CHECK(indexed == cases[i].indexed);
        CHECK(accepted == indexed); /* the write's check and the entry agree */
    }
    ddb_arena_release(&a);
}

TEST(creating_index_counts_only_existing_old_entries)
{
    struct ddb_engine *e = open_mem();
    if (e == NULL) {
        CHECK(e != NULL);
        return;
    }
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_index_def creating = gsis[0];
    creating.status = DDB_INDEX_CREATING;
    struct ddb_table t = gsi_table();
    t.def.index_count = 1;
    t.def.indexes = &creating;
    struct ddb_error err = {0};
    /* an item written before the index existed: the backfill has not
     * reached it, so the update must add one entry, not replace one */
    struct ddb_item v1 = item(&a, "{\"pk\":{\"S\":\"1\"},\"g\":{\"S\":\"a\"}}");
    struct ddb_item v2 = item(&a, "{\"pk\":{\"S\":\"1\"},\"g\":{\"S\":\"a\"},\"y\":{\"N\":\"1\"}}");
    CHECK_EQ_INT(apply(e, &a, &t, &v1, &v2, NULL, &err), 0);
    CHECK_EQ_INT(counter(e, G_ALL, 0), 1);
    CHECK_EQ_INT(counter(e, G_ALL, 1), (int64_t)ddb_item_size(&v2));
    /* a delete of an item whose entry was never written changes no count */
    struct ddb_item w = item(&a, "{\"pk\":{\"S\":\"2\"},\"g\":{\"S\":\"b\"}}");
    CHECK_EQ_INT(apply(e, &a, &t, &w, NULL, NULL, &err), 0);
    CHECK_EQ_INT(counter(e, G_ALL, 0), 1);
    CHECK_EQ_INT(apply(e, &a, &t, &v2, NULL, NULL, &err), 0);
    CHECK_EQ_INT(counter(e, G_ALL, 0), 0);
    CHECK_EQ_INT(counter(e, G_ALL, 1), 0);
    CHECK_EQ_INT(entries(e, &a, G_ALL), 0);
    ddb_arena_release(&a);
    ddb_engine_close(e);
}

TEST(local_index_item_collection)
{
    struct ddb_engine *e = open_mem();
    if (e == NULL) {
        CHECK(e != NULL);
        return;
    }
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_table t = lsi_table();
    struct ddb_error err = {0};
    struct ddb_index_write_info info = {0};
    struct ddb_item i1 = item(&a, "{\"pk\":{\"S\":\"p\"},\"sk\":{\"S\":\"1\"}}");
    struct ddb_item i2 = item(&a, "{\"pk\":{\"S\":\"p\"},\"sk\":{\"S\":\"2\"},\"l\":{\"S\":\"q\"},"
                                  "\"x\":{\"S\":\"xx\"},\"y\":{\"S\":\"yy\"}}");
    CHECK_EQ_INT(apply(e, &a, &t, NULL, &i1, &info, &err), 0);
    CHECK(info.has_collection);
    CHECK_EQ_INT(info.collection_bytes, (int64_t)ddb_item_size(&i1)); /* sparse in l_inc */
    CHECK_EQ_INT(apply(e, &a, &t, NULL, &i2, &info, &err), 0);
    struct ddb_item p = {0};
    CHECK_EQ_INT(entry(e, &a, &t, 0, &i2, &p), 1);
    CHECK(has_exactly(&p, "pk,sk,l,x"));
    int64_t want = (int64_t)(ddb_item_size(&i1) + ddb_item_size(&i2) + ddb_item_size(&p));
    CHECK_EQ_INT(info.collection_bytes, want);
    struct ddb_buf ck;
    ddb_buf_init(&ck, &a);
    ddb_index_collection_key(&ck, TABLE_ID, ddb_item_get(&i1, DDB_SLICE_LIT("pk")));
    int64_t count = 0, bytes = 0;
    CHECK_EQ_INT(ddb_engine_get_counter(e, ddb_buf_slice(&ck), &count, &bytes, &err), 0);
    CHECK_EQ_INT(count, 2);
    CHECK_EQ_INT(bytes, want);
    /* past the limit: the write fails and changes nothing */
    uint64_t saved = ddb_index_collection_limit();
    ddb_index_set_collection_limit((uint64_t)want + 5);
    struct ddb_item i3 = item(&a, "{\"pk\":{\"S\":\"p\"},\"sk\":{\"S\":\"3\"}}");
    CHECK_EQ_INT(apply(e, &a, &t, NULL, &i3, &info, &err), -1);
    CHECK_EQ_INT(err.code, DDB_ERR_ITEM_COLLECTION_SIZE_LIMIT);
    CHECK_EQ_STR(err.message, "Collection size exceeded.");
    /* shrinking writes are allowed whatever the size */
    err = (struct ddb_error){0};
    CHECK_EQ_INT(apply(e, &a, &t, &i2, NULL, &info, &err), 0);
    ddb_index_set_collection_limit(saved);
    CHECK_EQ_INT(info.collection_bytes, (int64_t)ddb_item_size(&i1));
    CHECK_EQ_INT(entries(e, &a, L_INC), 0);
    CHECK_EQ_INT(ddb_engine_get_counter(e, ddb_buf_slice(&ck), &count, &bytes, &err), 0);
    CHECK_EQ_INT(count, 1);
    CHECK_EQ_INT(bytes, (int64_t)ddb_item_size(&i1));
    ddb_arena_release(&a);
    ddb_engine_close(e);
}

TEST(table_without_indexes_changes_nothing)
{
    struct ddb_engine *e = open_mem();
    if (e == NULL) {
        CHECK(e != NULL);
        return;
    }
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_table t = gsi_table();
    t.def.index_count = 0;
    struct ddb_error err = {0};
    struct ddb_index_write_info info = {.has_collection = true, .collection_bytes = 9};
    struct ddb_item it = item(&a, "{\"pk\":{\"S\":\"1\"},\"g\":{\"N\":\"1\"}}"); /* not checked */
    CHECK_EQ_INT(apply(e, &a, &t, NULL, &it, &info, &err), 0);
    CHECK(!info.has_collection);
    CHECK_EQ_INT(info.collection_bytes, 0);
    CHECK_EQ_INT(entries(e, &a, G_ALL), 0);
    ddb_arena_release(&a);
    ddb_engine_close(e);
}
