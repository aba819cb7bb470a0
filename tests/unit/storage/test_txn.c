/* storage/txn.c: atomicity, nothing written on failure, stripe order with
 * colliding stripes, counters, duplicates, snapshot reads. */
#include <pthread.h>
#include <stdio.h>

#include "harness.h"
#include "storage/engine.h"
#include "storage/keycodec.h"
#include "storage/txn.h"

static struct ddb_engine *open_mem(void)
{
    struct ddb_engine_options o = {.in_memory = true, .data_dir = "/tmp/ddbd-test-txn"};
    struct ddb_engine *e = NULL;
    struct ddb_error err;
    if (ddb_engine_open(&o, &e, &err) != 0) {
        printf("# open failed: %s\n", err.message);
        return NULL;
    }
    return e;
}

static struct ddb_table table_with_id(uint64_t id)
{
    struct ddb_table t = {.id = id};
    t.def.key.hash_name = DDB_SLICE_LIT("pk");
    t.def.key.hash_type = DDB_T_S;
    return t;
}

static struct ddb_value str_value(struct ddb_arena *a, const char *s)
{
    struct ddb_value v = {.type = DDB_T_S};
    v.u.str = ddb_slice_make(ddb_arena_memdup(a, s, strlen(s)), strlen(s));
    return v;
}

/* The mutator's context: put an item {pk, v}, or fail, or delete, or check
 * that the item exists. */
enum what { PUT, FAIL, DELETE, EXISTS };
struct act {
    enum what what;
    const struct ddb_value *pk;
    const char *v;
    bool saw_old;
};

static int mutator(void *ctx, struct ddb_arena *a, const struct ddb_item *old,
                   enum ddb_write_action *action, struct ddb_item *new_item,
                   struct ddb_error *err)
{
    struct act *x = ctx;
    x->saw_old = old != NULL;
    switch (x->what) {
    case FAIL:
        return ddb_error_set(err, NULL, DDB_ERR_CONDITIONAL_CHECK_FAILED, "failed");
    case EXISTS:
        if (old == NULL)
            return ddb_error_set(err, NULL, DDB_ERR_CONDITIONAL_CHECK_FAILED, "absent");
        *action = DDB_WRITE_NOTHING;
        return 0;
    case DELETE:
        *action = DDB_WRITE_DELETE;
        return 0;
    case PUT:
        break;
    }
    struct ddb_attr *attrs = ddb_arena_calloc(a, 2, sizeof *attrs);
    attrs[0] = (struct ddb_attr){DDB_SLICE_LIT("pk"), *x->pk};
    attrs[1] = (struct ddb_attr){DDB_SLICE_LIT("v"), str_value(a, x->v)};
    *new_item = (struct ddb_item){2, attrs};
    *action = DDB_WRITE_PUT;
    return 0;
}

static bool item_has(struct ddb_engine *e, struct ddb_arena *a, const struct ddb_table *t,
                     const struct ddb_value *pk, const char *v)
{
    struct ddb_item it;
    bool found;
    struct ddb_error err;
    if (ddb_items_get(e, t, a, pk, NULL, &it, &found, &err) != 0 || !found)
        return false;
    if (v == NULL)
        return true;
    const struct ddb_value *got = ddb_item_get(&it, DDB_SLICE_LIT("v"));
    return got != NULL && ddb_slice_eq_cstr(got->u.str, v);
}

static bool item_absent(struct ddb_engine *e, struct ddb_arena *a, const struct ddb_table *t,
                        const struct ddb_value *pk)
{
    struct ddb_item it;
    bool found = true;
    struct ddb_error err;
    return ddb_items_get(e, t, a, pk, NULL, &it, &found, &err) == 0 && !found;
}

static void counters(struct ddb_engine *e, uint64_t id, int64_t *n, int64_t *bytes)
{
    char ck[9];
    ddb_catalog_counter_key(id, ck);
    struct ddb_error err;
    if (ddb_engine_get_counter(e, ddb_slice_make(ck, 9), n, bytes, &err) != 0)
        *n = *bytes = -1;
}

static int run(struct ddb_engine *e, struct ddb_arena *a, const struct ddb_table *const *tables,
               struct act *acts, uint32_t n, uint32_t *nfailed, struct ddb_txn_write *w,
               struct ddb_error *err)
{
    for (uint32_t i = 0; i < n; i++)
        w[i] = (struct ddb_txn_write){.table = tables[i], .pk = acts[i].pk, .fn = mutator,
                                      .ctx = &acts[i]};
    return ddb_txn_write(e, a, w, n, nfailed, err);
}

TEST(all_actions_apply_together_across_tables)
{
    struct ddb_engine *e = open_mem();
    CHECK(e != NULL);
    if (e == NULL)
        return;
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_table t1 = table_with_id(1), t2 = table_with_id(2);
    struct ddb_value k1 = str_value(&a, "a"), k2 = str_value(&a, "b");
    const struct ddb_table *tables[3] = {&t1, &t2, &t1};
    struct act acts[3] = {{PUT, &k1, "1", false}, {PUT, &k1, "2", false}, {PUT, &k2, "3", false}};
    struct ddb_txn_write w[3];
    uint32_t nf = 9;
    struct ddb_error err;
    CHECK_EQ_INT(run(e, &a, tables, acts, 3, &nf, w, &err), 0);
    CHECK_EQ_INT(nf, 0);
    CHECK(item_has(e, &a, &t1, &k1, "1"));
    CHECK(item_has(e, &a, &t2, &k1, "2"));
    CHECK(item_has(e, &a, &t1, &k2, "3"));
    int64_t n, bytes;
    counters(e, 1, &n, &bytes);
    CHECK_EQ_INT(n, 2);
    CHECK(bytes > 0);
    counters(e, 2, &n, &bytes);
    CHECK_EQ_INT(n, 1);

    /* replace one, delete one, check one: counters follow */
    struct act acts2[3] = {{PUT, &k1, "longer value", false},
                           {DELETE, &k1, NULL, false},
                           {EXISTS, &k2, NULL, false}};
    int64_t before_bytes;
    counters(e, 1, &n, &before_bytes);
    CHECK_EQ_INT(run(e, &a, tables, acts2, 3, &nf, w, &err), 0);
    CHECK_EQ_INT(nf, 0);
    CHECK(acts2[0].saw_old && acts2[1].saw_old && acts2[2].saw_old);
    CHECK(item_has(e, &a, &t1, &k1, "longer value"));
    CHECK(item_absent(e, &a, &t2, &k1));
    counters(e, 1, &n, &bytes);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(bytes, before_bytes + (int64_t)strlen("longer value") - 1);
    counters(e, 2, &n, &bytes);
    CHECK_EQ_INT(n, 0);
    CHECK_EQ_INT(bytes, 0);
    ddb_arena_release(&a);
    ddb_engine_close(e);
}

TEST(a_failing_action_writes_nothing)
{
    struct ddb_engine *e = open_mem();
    CHECK(e != NULL);
    if (e == NULL)
        return;
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_table t = table_with_id(7);
    struct ddb_value k1 = str_value(&a, "a"), k2 = str_value(&a, "b"), k3 = str_value(&a, "c");
    const struct ddb_table *tables[3] = {&t, &t, &t};
    struct act seed[1] = {{PUT, &k3, "keep", false}};
    struct ddb_txn_write w[3];
    uint32_t nf;
    struct ddb_error err;
    CHECK_EQ_INT(run(e, &a, tables, seed, 1, &nf, w, &err), 0);

    struct act acts[3] = {{PUT, &k1, "x", false}, {FAIL, &k2, NULL, false},
                          {DELETE, &k3, NULL, false}};
    CHECK_EQ_INT(run(e, &a, tables, acts, 3, &nf, w, &err), 0);
    CHECK_EQ_INT(nf, 1);
    CHECK(!w[0].failed && w[1].failed && !w[2].failed);
    CHECK_EQ_INT(w[1].err.code, DDB_ERR_CONDITIONAL_CHECK_FAILED);
    CHECK(acts[2].saw_old); /* every mutator ran, even after the failure */
    CHECK(item_absent(e, &a, &t, &k1));
    CHECK(item_has(e, &a, &t, &k3, "keep"));
    int64_t n, bytes;
    counters(e, 7, &n, &bytes);
    CHECK_EQ_INT(n, 1);

    /* two failures are both reported */
    struct act acts2[2] = {{EXISTS, &k1, NULL, false}, {EXISTS, &k2, NULL, false}};
    CHECK_EQ_INT(run(e, &a, tables, acts2, 2, &nf, w, &err), 0);
    CHECK_EQ_INT(nf, 2);
    CHECK(w[0].failed && w[1].failed);
    ddb_arena_release(&a);
    ddb_engine_close(e);
}

TEST(duplicate_items_are_refused)
{
    struct ddb_engine *e = open_mem();
    CHECK(e != NULL);
    if (e == NULL)
        return;
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_table t = table_with_id(3);
    struct ddb_value k1 = str_value(&a, "a"), k1b = str_value(&a, "a");
    const struct ddb_table *tables[2] = {&t, &t};
    struct act acts[2] = {{PUT, &k1, "x", false}, {DELETE, &k1b, NULL, false}};
    struct ddb_txn_write w[2];
    uint32_t nf;
    struct ddb_error err = {0};
    CHECK_EQ_INT(run(e, &a, tables, acts, 2, &nf, w, &err), -1);
    CHECK_EQ_INT(err.code, DDB_ERR_VALIDATION);
    CHECK_EQ_STR(err.message, "Transaction request cannot include multiple operations on one item");
    CHECK(item_absent(e, &a, &t, &k1));

    struct ddb_txn_get g[2] = {{.table = &t, .pk = &k1}, {.table = &t, .pk = &k1b}};
    CHECK_EQ_INT(ddb_txn_get(e, &a, g, 2, &err), -1);
    CHECK_EQ_INT(err.code, DDB_ERR_VALIDATION);
    ddb_arena_release(&a);
    ddb_engine_close(e);
}

/* Two keys of one table whose stripes collide (and one more that differs). */
static void colliding_keys(struct ddb_arena *a, const struct ddb_table *t, struct ddb_value *x,
                           struct ddb_value *y)
{
    char name[32];
    struct ddb_buf kb;
    ddb_buf_init(&kb, a);
    *x = str_value(a, "base");
    ddb_keycodec_item_key(&kb, t->id, x, NULL);
    unsigned want = ddb_engine_stripe_of_key(ddb_buf_slice(&kb));
    for (int i = 0; i < 1000000; i++) {
        snprintf(name, sizeof name, "k%d", i);
        struct ddb_value v = str_value(a, name);
        struct ddb_buf b;
        ddb_buf_init(&b, a);
        ddb_keycodec_item_key(&b, t->id, &v, NULL);
        if (ddb_engine_stripe_of_key(ddb_buf_slice(&b)) == want) {
            *y = v;
            return;
        }
    }
    *y = *x; /* cannot happen with 4096 stripes */
}

TEST(colliding_stripes_are_taken_once)
{
    struct ddb_engine *e = open_mem();
    CHECK(e != NULL);
    if (e == NULL)
        return;
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_table t = table_with_id(4);
    struct ddb_value x, y;
    colliding_keys(&a, &t, &x, &y);
    CHECK(!ddb_slice_eq(x.u.str, y.u.str));
    /* a non-recursive mutex taken twice would hang here */
    const struct ddb_table *tables[2] = {&t, &t};
    struct act acts[2] = {{PUT, &x, "1", false}, {PUT, &y, "2", false}};
    struct ddb_txn_write w[2];
    uint32_t nf;
    struct ddb_error err;
    CHECK_EQ_INT(run(e, &a, tables, acts, 2, &nf, w, &err), 0);
    CHECK_EQ_INT(nf, 0);
    CHECK_EQ_INT(w[0].stripe, w[1].stripe);
    CHECK(item_has(e, &a, &t, &x, "1"));
    CHECK(item_has(e, &a, &t, &y, "2"));
    /* and the single-item path still takes that stripe afterwards */
    CHECK_EQ_INT(ddb_items_write(e, &t, &a, &x, NULL, mutator, &acts[0], &err), 0);
    ddb_arena_release(&a);
    ddb_engine_close(e);
}

/* Threads running transactions over the same keys in opposite request
 * orders: ascending stripe order means none of them deadlocks, and the
 * counter item ends at exactly the number of increments. */
struct worker {
    struct ddb_engine *e;
    const struct ddb_table *t;
    bool reverse;
    int done;
};

#define WORKER_KEYS 6
#define WORKER_ROUNDS 300

static int incr_mutator(void *ctx, struct ddb_arena *a, const struct ddb_item *old,
                        enum ddb_write_action *action, struct ddb_item *new_item,
                        struct ddb_error *err)
{
    (void)err;
    const struct ddb_value *pk = ctx;
    long n = 0;
    if (old != NULL) {
        const struct ddb_value *v = ddb_item_get(old, DDB_SLICE_LIT("v"));
        if (v != NULL)
            n = strtol(ddb_arena_printf(a, "%.*s", (int)v->u.str.len, v->u.str.ptr), NULL, 10);
    }
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", n + 1);
    struct ddb_attr *attrs = ddb_arena_calloc(a, 2, sizeof *attrs);
    attrs[0] = (struct ddb_attr){DDB_SLICE_LIT("pk"), *pk};
    attrs[1] = (struct ddb_attr){DDB_SLICE_LIT("v"), str_value(a, buf)};
    *new_item = (struct ddb_item){2, attrs};
    *action = DDB_WRITE_PUT;
    return 0;
}

static void *worker_main(void *p)
{
    struct worker *wk = p;
    for (int r = 0; r < WORKER_ROUNDS; r++) {
        struct ddb_arena a;
        ddb_arena_init(&a);
        struct ddb_value keys[WORKER_KEYS];
        struct ddb_txn_write w[WORKER_KEYS];
        for (int i = 0; i < WORKER_KEYS; i++) {
            char name[8];
            snprintf(name, sizeof name, "w%d", wk->reverse ? WORKER_KEYS - 1 - i : i);
            keys[i] = str_value(&a, name);
            w[i] = (struct ddb_txn_write){.table = wk->t, .pk = &keys[i], .fn = incr_mutator,
                                          .ctx = &keys[i]};
        }
        uint32_t nf;
        struct ddb_error err;
        if (ddb_txn_write(wk->e, &a, w, WORKER_KEYS, &nf, &err) == 0 && nf == 0)
            wk->done++;
        ddb_arena_release(&a);
    }
    return NULL;
}

TEST(concurrent_transactions_do_not_deadlock_or_lose_updates)
{
    struct ddb_engine *e = open_mem();
    CHECK(e != NULL);
    if (e == NULL)
        return;
    struct ddb_table t = table_with_id(5);
    struct worker wk[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        wk[i] = (struct worker){e, &t, i % 2 == 1, 0};
        pthread_create(&th[i], NULL, worker_main, &wk[i]);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    struct ddb_arena a;
    ddb_arena_init(&a);
    for (int i = 0; i < 4; i++)
        CHECK_EQ_INT(wk[i].done, WORKER_ROUNDS);
    for (int i = 0; i < WORKER_KEYS; i++) {
        char name[8];
        snprintf(name, sizeof name, "w%d", i);
        struct ddb_value k = str_value(&a, name);
        CHECK(item_has(e, &a, &t, &k, "1200"));
    }
    int64_t n, bytes;
    counters(e, 5, &n, &bytes);
    CHECK_EQ_INT(n, WORKER_KEYS);
    ddb_arena_release(&a);
    ddb_engine_close(e);
}

TEST(get_reads_items_and_absences)
{
    struct ddb_engine *e = open_mem();
    CHECK(e != NULL);
    if (e == NULL)
        return;
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_table t1 = table_with_id(8), t2 = table_with_id(9);
    struct ddb_value k1 = str_value(&a, "a"), k2 = str_value(&a, "b");
    const struct ddb_table *tables[1] = {&t1};
    struct act acts[1] = {{PUT, &k1, "x", false}};
    struct ddb_txn_write w[1];
    uint32_t nf;
    struct ddb_error err;
    CHECK_EQ_INT(run(e, &a, tables, acts, 1, &nf, w, &err), 0);
    struct ddb_txn_get g[3] = {{.table = &t1, .pk = &k1}, {.table = &t1, .pk = &k2},
                               {.table = &t2, .pk = &k1}};
    CHECK_EQ_INT(ddb_txn_get(e, &a, g, 3, &err), 0);
    CHECK(g[0].found && !g[1].found && !g[2].found);
    CHECK_EQ_INT(g[0].item.count, 2);
    ddb_arena_release(&a);
    ddb_engine_close(e);
}
