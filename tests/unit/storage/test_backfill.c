/* storage/backfill.c: ddb_backfill_batch, the step that builds a new GSI's
 * entries from the base items (backfill.h, step 3): batches of
 * DDB_BACKFILL_BATCH keys until done, sparse items skipped, entries and
 * counters exact, a second pass adding nothing, entries a writer already
 * made (CREATING index) not doubled, index key values a write would refuse
 * (empty, wrong type, too long) skipped. */
#include <stdio.h>

#include "harness.h"
#include "storage/backfill.h"
#include "storage/engine.h"
#include "storage/index.h"
#include "storage/items.h"
#include "storage/keycodec.h"
#include "protocol/limits.h"

enum { TABLE_ID = 200, IX_ID = 201 };

static const struct ddb_index_def gsi = {
    .name = DDB_SLICE_LIT("byG"),
    .key = {.hash_name = DDB_SLICE_LIT("g"), .hash_type = DDB_T_S},
    .projection = DDB_PROJ_KEYS_ONLY,
    .id = IX_ID,
    .status = DDB_INDEX_CREATING,
};

/* with_index: the definition after UpdateTable added the index */
static struct ddb_table table(bool with_index)
{
    struct ddb_table t = {.id = TABLE_ID};
    t.def.name = DDB_SLICE_LIT("bf");
    t.def.key.hash_name = DDB_SLICE_LIT("pk");
    t.def.key.hash_type = DDB_T_S;
    t.def.index_count = with_index ? 1 : 0;
    t.def.indexes = &gsi;
    return t;
}

static struct ddb_value str(struct ddb_arena *a, const char *fmt, int i)
{
    struct ddb_value v = {.type = DDB_T_S};
    char *s = ddb_arena_printf(a, fmt, i);
    v.u.str = ddb_slice_make(s, strlen(s));
    return v;
}

struct put {
    struct ddb_item item;
};

static int put_mutator(void *ctx, struct ddb_arena *a, const struct ddb_item *old,
                       enum ddb_write_action *action, struct ddb_item *new_item,
                       struct ddb_error *err)
{
    (void)a;
    (void)old;
    (void)err;
    *new_item = ((struct put *)ctx)->item;
    *action = DDB_WRITE_PUT;
    return 0;
}

/* Item i: pk "k<i>", and g "g<i%7>" unless i is a multiple of 3 (sparse). */
static int put_item(struct ddb_engine *e, const struct ddb_table *t, struct ddb_arena *a, int i)
{
    struct ddb_attr *attrs = ddb_arena_calloc(a, 2, sizeof *attrs);
    attrs[0] = (struct ddb_attr){DDB_SLICE_LIT("pk"), str(a, "k%d", i)};
    attrs[1] = (struct ddb_attr){DDB_SLICE_LIT("g"), str(a, "g%d", i % 7)};
    struct put p = {{i % 3 == 0 ? 1 : 2, attrs}};
    struct ddb_error err;
    return ddb_items_write(e, t, a, &attrs[0].value, NULL, put_mutator, &p, &err);
}

static int64_t counter(struct ddb_engine *e, int which)
{
    char ck[9];
    int64_t c0 = -1, c1 = -1;
    struct ddb_error err;
    ddb_catalog_counter_key(IX_ID, ck);
    if (ddb_engine_get_counter(e, ddb_slice_make(ck, 9), &c0, &c1, &err) != 0)
        return -1;
    return which == 0 ? c0 : c1;
}

static int entries(struct ddb_engine *e, struct ddb_arena *a)
{
    struct ddb_buf lo, hi;
    ddb_buf_init(&lo, a);
    ddb_buf_init(&hi, a);
    ddb_keycodec_table_prefix(&lo, IX_ID);
    ddb_keycodec_table_prefix(&hi, IX_ID + 1);
    struct ddb_iter *it = ddb_iter_new(e, DDB_CF_INDEX, ddb_buf_slice(&lo), ddb_buf_slice(&hi));
    int n = 0;
    for (ddb_iter_seek_first(it); ddb_iter_valid(it); ddb_iter_next(it))
        n++;
    ddb_iter_free(it);
    return n;
}

/* Runs batches until done; returns how many, or -1. */
static int run(struct ddb_catalog *c, struct ddb_arena *a, const struct ddb_table *t)
{
    ddb_slice after = {NULL, 0}, next;
    bool done = false;
    int batches = 0;
    while (!done) {
        struct ddb_error err = {0};
        if (ddb_backfill_batch(c, a, t, &gsi, after, &next, &done, &err) != 0) {
            printf("# batch failed: %s\n", err.message);
            return -1;
        }
        after = next;
        if (++batches > 100)
            return -1;
    }
    return batches;
}

struct env {
    struct ddb_engine *e;
    struct ddb_catalog *c;
};

static bool env_open(struct env *v)
{
    struct ddb_engine_options o = {.in_memory = true, .data_dir = "/tmp/ddbd-test-backfill"};
    struct ddb_error err;
    v->e = NULL;
    v->c = NULL;
    if (ddb_engine_open(&o, &v->e, &err) != 0 || ddb_catalog_open(v->e, &v->c, &err) != 0) {
        printf("# open failed: %s\n", err.message);
        if (v->e != NULL)
            ddb_engine_close(v->e);
        return false;
    }
    return true;
}

static void env_close(struct env *v)
{
    ddb_catalog_close(v->c);
    ddb_engine_close(v->e);
}

/* the entry bytes of item i (KEYS_ONLY: pk and g) */
static int64_t entry_bytes(struct ddb_arena *a, int i)
{
    struct ddb_attr attrs[2] = {{DDB_SLICE_LIT("pk"), str(a, "k%d", i)},
                                {DDB_SLICE_LIT("g"), str(a, "g%d", i % 7)}};
    struct ddb_item it = {2, attrs};
    return (int64_t)ddb_item_size(&it);
}

TEST(builds_every_entry_in_batches)
{
    struct env v;
    CHECK(env_open(&v));
    if (v.e == NULL)
        return;
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_table before = table(false), after = table(true);
    int n = DDB_BACKFILL_BATCH + 44, want = 0;
    int64_t bytes = 0;
    for (int i = 0; i < n; i++) {
        CHECK_EQ_INT(put_item(v.e, &before, &a, i), 0);
        if (i % 3 != 0) {
            want++;
            bytes += entry_bytes(&a, i);
        }
    }
    CHECK_EQ_INT(entries(v.e, &a), 0);
    CHECK_EQ_INT(run(v.c, &a, &after), 2);
    CHECK_EQ_INT(entries(v.e, &a), want);
    CHECK_EQ_INT(counter(v.e, 0), want);
    CHECK_EQ_INT(counter(v.e, 1), bytes);
    /* step 3 is idempotent (a resumed job starts again from the beginning) */
    CHECK_EQ_INT(run(v.c, &a, &after), 2);
    CHECK_EQ_INT(entries(v.e, &a), want);
    CHECK_EQ_INT(counter(v.e, 0), want);
    CHECK_EQ_INT(counter(v.e, 1), bytes);
    ddb_arena_release(&a);
    env_close(&v);
}

/* An item whose g is the given value (NULL: a number). */
static int put_g(struct ddb_engine *e, const struct ddb_table *t, struct ddb_arena *a,
                 const char *pk, const char *g)
{
    struct ddb_attr *attrs = ddb_arena_calloc(a, 2, sizeof *attrs);
    attrs[0].name = DDB_SLICE_LIT("pk");
    attrs[0].value.type = DDB_T_S;
    attrs[0].value.u.str = ddb_slice_cstr(pk);
    attrs[1].name = DDB_SLICE_LIT("g");
    if (g != NULL) {
        attrs[1].value.type = DDB_T_S;
        attrs[1].value.u.str = ddb_slice_cstr(g);
    } else {
        attrs[1].value.type = DDB_T_N;
        if (ddb_decimal_parse("1", 1, &attrs[1].value.u.num) != DDB_DEC_OK)
            return -1;
    }
    struct put p = {{2, attrs}};
    struct ddb_error err;
    return ddb_items_write(e, t, a, &attrs[0].value, NULL, put_mutator, &p, &err);
}

TEST(index_key_violations_are_skipped)
{
    struct env v;
    CHECK(env_open(&v));
    if (v.e == NULL)
        return;
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_table before = table(false), after = table(true);
    char *longest = ddb_arena_alloc(&a, DDB_MAX_HASH_KEY_BYTES + 2);
    memset(longest, 'y', DDB_MAX_HASH_KEY_BYTES + 1);
    longest[DDB_MAX_HASH_KEY_BYTES + 1] = 0;
    char *fits = ddb_arena_memdup(&a, longest + 1, DDB_MAX_HASH_KEY_BYTES + 1);
    CHECK_EQ_INT(put_g(v.e, &before, &a, "empty", ""), 0);
    CHECK_EQ_INT(put_g(v.e, &before, &a, "number", NULL), 0);
    CHECK_EQ_INT(put_g(v.e, &before, &a, "long", longest), 0);
    CHECK_EQ_INT(put_g(v.e, &before, &a, "fits", fits), 0);
    CHECK_EQ_INT(put_g(v.e, &before, &a, "fine", "g"), 0);
    CHECK_EQ_INT(run(v.c, &a, &after), 1);
    CHECK_EQ_INT(entries(v.e, &a), 2); /* "fits" (2048 bytes) and "fine" */
    CHECK_EQ_INT(counter(v.e, 0), 2);
    ddb_arena_release(&a);
    env_close(&v);
}

TEST(writers_during_the_backfill_are_not_doubled)
{
    struct env v;
    CHECK(env_open(&v));
    if (v.e == NULL)
        return;
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_table before = table(false), after = table(true);
    for (int i = 0; i < 20; i++)
        CHECK_EQ_INT(put_item(v.e, &before, &a, i), 0);
    /* writers that know the CREATING index rewrite items 1 and 2 (the
     * entries do not exist yet: each write adds one) and create item 20 */
    CHECK_EQ_INT(put_item(v.e, &after, &a, 1), 0);
    CHECK_EQ_INT(put_item(v.e, &after, &a, 2), 0);
    CHECK_EQ_INT(put_item(v.e, &after, &a, 20), 0);
    CHECK_EQ_INT(counter(v.e, 0), 3);
    CHECK_EQ_INT(run(v.c, &a, &after), 1);
    int want = 0;
    int64_t bytes = 0;
    for (int i = 0; i <= 20; i++)
        if (i % 3 != 0) {
            want++;
            bytes += entry_bytes(&a, i);
        }
    CHECK_EQ_INT(entries(v.e, &a), want);
    CHECK_EQ_INT(counter(v.e, 0), want);
    CHECK_EQ_INT(counter(v.e, 1), bytes);
    ddb_arena_release(&a);
    env_close(&v);
}

TEST(empty_table_is_done_at_once)
{
    struct env v;
    CHECK(env_open(&v));
    if (v.e == NULL)
        return;
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_table after = table(true);
    ddb_slice next = {"x", 1};
    bool done = false;
    struct ddb_error err = {0};
    CHECK_EQ_INT(ddb_backfill_batch(v.c, &a, &after, &gsi, (ddb_slice){NULL, 0}, &next, &done,
                                    &err),
                 0);
    CHECK(done);
    CHECK(next.ptr == NULL);
    CHECK_EQ_INT(entries(v.e, &a), 0);
    ddb_arena_release(&a);
    env_close(&v);
}
