/* storage/tokens.c: the record codec (round trip, every malformed form refused), the
 * expiry keys, and the sweep (bounded, oldest first, skips running tokens, leaves a
 * reused token's newer record). */
#include "harness.h"
#include "storage/tokens.h"
#include "storage/txn.h"

static struct ddb_engine *open_mem(void)
{
    struct ddb_engine_options o = {.in_memory = true, .data_dir = "/tmp/ddbd-test-tokens"};
    struct ddb_engine *e = NULL;
    struct ddb_error err;
    if (ddb_engine_open(&o, &e, &err) != 0) {
        printf("# open failed: %s\n", err.message);
        return NULL;
    }
    return e;
}

static struct ddb_tokens_record sample(struct ddb_arena *a, int64_t ms)
{
    struct ddb_tokens_record r = {.completed_ms = ms, .table_count = 2};
    for (int i = 0; i < 32; i++)
        r.fp[i] = (unsigned char)(i * 7);
    r.tables = ddb_arena_calloc(a, 2, sizeof *r.tables);
    r.tables[0] = (struct ddb_tokens_table){DDB_SLICE_LIT("orders"), 6};
    r.tables[1] = (struct ddb_tokens_table){DDB_SLICE_LIT("abc"), 0xfffffffe};
    return r;
}

TEST(record_round_trip)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_tokens_record r = sample(&a, 1764860000123);
    struct ddb_buf b;
    ddb_buf_init(&b, &a);
    ddb_tokens_encode(&b, &r);
    CHECK_EQ_INT(b.len, 43 + (1 + 6 + 4) + (1 + 3 + 4));
    CHECK_EQ_INT((unsigned char)b.ptr[0], 1);
    struct ddb_tokens_record d;
    struct ddb_error err;
    CHECK_EQ_INT(ddb_tokens_decode(&a, b.ptr, b.len, &d, &err), 0);
    CHECK_EQ_INT(d.completed_ms, 1764860000123);
    CHECK(memcmp(d.fp, r.fp, 32) == 0);
    CHECK_EQ_INT(d.table_count, 2);
    CHECK(ddb_slice_eq_cstr(d.tables[0].name, "orders"));
    CHECK_EQ_INT(d.tables[0].units, 6);
    CHECK(ddb_slice_eq_cstr(d.tables[1].name, "abc"));
    CHECK_EQ_INT(d.tables[1].units, 0xfffffffe);

    struct ddb_tokens_record empty = {.completed_ms = 0};
    ddb_buf_init(&b, &a);
    ddb_tokens_encode(&b, &empty);
    CHECK_EQ_INT(b.len, 43);
    CHECK_EQ_INT(ddb_tokens_decode(&a, b.ptr, b.len, &d, &err), 0);
    CHECK_EQ_INT(d.table_count, 0);
    ddb_arena_release(&a);
}

static bool refused(struct ddb_arena *a, const char *p, size_t n, const char *why)
{
    struct ddb_tokens_record d;
    struct ddb_error err = {0};
    if (ddb_tokens_decode(a, p, n, &d, &err) == 0)
        return false;
    return err.code == DDB_ERR_INTERNAL && err.message != NULL &&
           strstr(err.message, "corrupt token record") != NULL &&
           (why == NULL || strstr(err.message, why) != NULL);
}

TEST(record_decode_refuses_malformed_bytes)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_tokens_record r = sample(&a, 5);
    struct ddb_buf b;
    ddb_buf_init(&b, &a);
    ddb_tokens_encode(&b, &r);
    char *p = ddb_arena_memdup(&a, b.ptr, b.len);
    size_t n = b.len;

    /* every proper prefix is refused, so is one byte more */
    for (size_t k = 0; k < n; k++)
        CHECK(refused(&a, p, k, NULL));
    char *longer = ddb_arena_alloc(&a, n + 1);
    memcpy(longer, p, n);
    longer[n] = 0;
    CHECK(refused(&a, longer, n + 1, "trailing bytes"));

    char *q = ddb_arena_memdup(&a, p, n);
    q[0] = 2;
    CHECK(refused(&a, q, n, "unknown version"));
    q = ddb_arena_memdup(&a, p, n);
    q[1] = (char)0x80; /* completed_ms with the top bit set */
    CHECK(refused(&a, q, n, "time out of range"));
    q = ddb_arena_memdup(&a, p, n);
    q[41] = 0;
    q[42] = 101;
    CHECK(refused(&a, q, n, "too many tables"));
    q = ddb_arena_memdup(&a, p, n);
    q[42] = 3; /* one table more than the bytes hold */
    CHECK(refused(&a, q, n, NULL));
    q = ddb_arena_memdup(&a, p, n);
    q[43] = 2; /* a name shorter than a table name can be */
    CHECK(refused(&a, q, n, "table name too short"));
    q = ddb_arena_memdup(&a, p, n);
    q[43] = (char)0xff; /* a name running past the end */
    CHECK(refused(&a, q, n, "table past the end"));
    ddb_arena_release(&a);
}

TEST(expiry_key_layout)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_buf b;
    ddb_buf_init(&b, &a);
    ddb_tokens_expiry_key(&b, 0x0102030405060708, DDB_SLICE_LIT("tok"));
    CHECK_EQ_INT(b.len, 12);
    CHECK(memcmp(b.ptr, "E\x01\x02\x03\x04\x05\x06\x07\x08tok", 12) == 0);
    int64_t ms;
    ddb_slice tok;
    CHECK(ddb_tokens_decode_expiry_key(ddb_buf_slice(&b), &ms, &tok));
    CHECK_EQ_INT(ms, 0x0102030405060708);
    CHECK(ddb_slice_eq_cstr(tok, "tok"));
    /* later times sort later (big-endian) */
    struct ddb_buf c;
    ddb_buf_init(&c, &a);
    ddb_tokens_expiry_key(&c, 0x0102030405060709, DDB_SLICE_LIT("a"));
    CHECK(ddb_slice_cmp(ddb_buf_slice(&b), ddb_buf_slice(&c)) < 0);

    CHECK(!ddb_tokens_decode_expiry_key(ddb_slice_make(b.ptr, 9), &ms, &tok)); /* no token */
    CHECK(!ddb_tokens_decode_expiry_key(DDB_SLICE_LIT("E"), &ms, &tok));
    CHECK(!ddb_tokens_decode_expiry_key(DDB_SLICE_LIT("R\x01\x02\x03\x04\x05\x06\x07\x08t"),
                                        &ms, &tok));
    char big[9 + 37];
    memset(big, 'x', sizeof big);
    big[0] = 'E';
    big[1] = 0;
    CHECK(!ddb_tokens_decode_expiry_key(ddb_slice_make(big, sizeof big), &ms, &tok));
    CHECK(ddb_tokens_decode_expiry_key(ddb_slice_make(big, sizeof big - 1), &ms, &tok));
    ddb_buf_init(&b, &a);
    ddb_tokens_key(&b, DDB_SLICE_LIT("tok"));
    CHECK(ddb_slice_eq_cstr(ddb_buf_slice(&b), "Rtok"));
    ddb_arena_release(&a);
}

static void put_token(struct ddb_engine *e, struct ddb_arena *a, const char *tok, int64_t ms)
{
    struct ddb_tokens_record r = sample(a, ms);
    struct ddb_batch *b = ddb_batch_new(e);
    ddb_tokens_put(b, a, ddb_slice_cstr(tok), &r);
    struct ddb_error err;
    CHECK_EQ_INT(ddb_engine_write(e, b, &err), 0);
    ddb_batch_free(b);
}

/* the stored record's time, or -1 when there is none */
static int64_t stored(struct ddb_engine *e, struct ddb_arena *a, const char *tok)
{
    bool found;
    struct ddb_tokens_record r;
    struct ddb_error err;
    if (ddb_tokens_get(e, ddb_slice_cstr(tok), a, &found, &r, &err) != 0)
        return -2;
    return found ? r.completed_ms : -1;
}

static unsigned expiry_keys(struct ddb_engine *e)
{
    struct ddb_iter *it = ddb_iter_new(e, DDB_CF_META, DDB_SLICE_LIT("E"), DDB_SLICE_LIT("F"));
    unsigned n = 0;
    for (ddb_iter_seek_first(it); ddb_iter_valid(it); ddb_iter_next(it))
        n++;
    ddb_iter_free(it);
    return n;
}

static bool skip_b(void *ctx, ddb_slice token)
{
    (void)ctx;
    return ddb_slice_eq_cstr(token, "b");
}

TEST(sweep_deletes_expired_oldest_first_bounded)
{
    struct ddb_engine *e = open_mem();
    CHECK(e != NULL);
    if (e == NULL)
        return;
    struct ddb_arena a;
    ddb_arena_init(&a);
    put_token(e, &a, "a", 100);
    put_token(e, &a, "b", 200);
    put_token(e, &a, "c", 300);
    put_token(e, &a, "d", 400);
    put_token(e, &a, "e", 1000);
    CHECK_EQ_INT(stored(e, &a, "a"), 100);
    CHECK_EQ_INT(stored(e, &a, "zz"), -1);
    CHECK_EQ_INT(expiry_keys(e), 5);

    int64_t from = 0;
    unsigned removed = 9;
    struct ddb_error err;
    /* at most 2 per call, oldest first */
    CHECK_EQ_INT(ddb_tokens_sweep(e, 500, 2, &from, NULL, NULL, &removed, &err), 0);
    CHECK_EQ_INT(removed, 2);
    CHECK_EQ_INT(stored(e, &a, "a"), -1);
    CHECK_EQ_INT(stored(e, &a, "b"), -1);
    CHECK_EQ_INT(stored(e, &a, "c"), 300);
    CHECK_EQ_INT(from, 200);
    /* the rest of the expired ones; the fresh one stays */
    CHECK_EQ_INT(ddb_tokens_sweep(e, 500, 10, &from, NULL, NULL, &removed, &err), 0);
    CHECK_EQ_INT(removed, 2);
    CHECK_EQ_INT(stored(e, &a, "d"), -1);
    CHECK_EQ_INT(stored(e, &a, "e"), 1000);
    CHECK_EQ_INT(expiry_keys(e), 1);
    CHECK_EQ_INT(ddb_tokens_sweep(e, 500, 10, &from, NULL, NULL, &removed, &err), 0);
    CHECK_EQ_INT(removed, 0);
    ddb_arena_release(&a);
    ddb_engine_close(e);
}

TEST(sweep_skips_running_tokens_and_keeps_a_reused_tokens_record)
{
    struct ddb_engine *e = open_mem();
    CHECK(e != NULL);
    if (e == NULL)
        return;
    struct ddb_arena a;
    ddb_arena_init(&a);
    put_token(e, &a, "a", 100);
    put_token(e, &a, "b", 200);
    put_token(e, &a, "c", 300);
    put_token(e, &a, "a", 900); /* "a" reused after it expired: a new record and expiry key */
    CHECK_EQ_INT(expiry_keys(e), 4);

    int64_t from = 0;
    unsigned removed;
    struct ddb_error err;
    CHECK_EQ_INT(ddb_tokens_sweep(e, 500, 10, &from, skip_b, NULL, &removed, &err), 0);
    CHECK_EQ_INT(removed, 2);             /* E(100, a) and c; b is running */
    CHECK_EQ_INT(stored(e, &a, "a"), 900); /* the newer record stays */
    CHECK_EQ_INT(stored(e, &a, "b"), 200);
    CHECK_EQ_INT(stored(e, &a, "c"), -1);
    CHECK_EQ_INT(from, 100); /* not past the skipped one */
    CHECK_EQ_INT(expiry_keys(e), 2);
    CHECK_EQ_INT(ddb_tokens_sweep(e, 500, 10, &from, NULL, NULL, &removed, &err), 0);
    CHECK_EQ_INT(removed, 1);
    CHECK_EQ_INT(stored(e, &a, "b"), -1);
    CHECK_EQ_INT(stored(e, &a, "a"), 900);
    ddb_arena_release(&a);
    ddb_engine_close(e);
}

TEST(sweep_removes_garbage_and_get_reports_corruption)
{
    struct ddb_engine *e = open_mem();
    CHECK(e != NULL);
    if (e == NULL)
        return;
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_batch *b = ddb_batch_new(e);
    ddb_batch_put(b, DDB_CF_META, DDB_SLICE_LIT("E\x00\x00"), DDB_SLICE_LIT("")); /* too short */
    ddb_batch_put(b, DDB_CF_META, DDB_SLICE_LIT("E\x00\x00\x00\x00\x00\x00\x00\x05t"),
                  DDB_SLICE_LIT(""));
    ddb_batch_put(b, DDB_CF_META, DDB_SLICE_LIT("Rt"), DDB_SLICE_LIT("\x01garbage"));
    struct ddb_error err;
    CHECK_EQ_INT(ddb_engine_write(e, b, &err), 0);
    ddb_batch_free(b);

    bool found;
    struct ddb_tokens_record r;
    err = (struct ddb_error){0};
    CHECK_EQ_INT(ddb_tokens_get(e, DDB_SLICE_LIT("t"), &a, &found, &r, &err), -1);
    CHECK_EQ_INT(err.code, DDB_ERR_INTERNAL);

    int64_t from = 0;
    unsigned removed;
    CHECK_EQ_INT(ddb_tokens_sweep(e, 10, 10, &from, NULL, NULL, &removed, &err), 0);
    CHECK_EQ_INT(removed, 2);
    CHECK_EQ_INT(expiry_keys(e), 0);
    CHECK_EQ_INT(stored(e, &a, "t"), -1); /* the unreadable record went with its key */
    ddb_arena_release(&a);
    ddb_engine_close(e);
}

/* ---- the record in the transaction's batch (txn.c's hook) ---- */

static int put_nothing(void *ctx, struct ddb_arena *a, const struct ddb_item *old,
                       enum ddb_write_action *action, struct ddb_item *new_item,
                       struct ddb_error *err)
{
    (void)a, (void)old, (void)new_item;
    if (ctx != NULL)
        return ddb_error_set(err, NULL, DDB_ERR_CONDITIONAL_CHECK_FAILED, "failed");
    *action = DDB_WRITE_NOTHING;
    return 0;
}

static int hook_put(void *ctx, struct ddb_batch *b, struct ddb_arena *a, struct ddb_error *err)
{
    (void)err;
    struct ddb_tokens_record r = {.completed_ms = *(int64_t *)ctx};
    ddb_tokens_put(b, a, DDB_SLICE_LIT("tx"), &r);
    return 0;
}

TEST(hooked_transaction_writes_the_token_only_when_it_commits)
{
    struct ddb_engine *e = open_mem();
    CHECK(e != NULL);
    if (e == NULL)
        return;
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_table t = {.id = 3};
    t.def.key.hash_name = DDB_SLICE_LIT("pk");
    t.def.key.hash_type = DDB_T_S;
    struct ddb_value pk = {.type = DDB_T_S, .u.str = DDB_SLICE_LIT("k")};
    int64_t ms = 77;
    struct ddb_txn_hook hook = {hook_put, &ms};
    int fail = 1;
    struct ddb_txn_write w = {.table = &t, .pk = &pk, .fn = put_nothing, .ctx = &fail};
    uint32_t nf;
    struct ddb_error err;
    CHECK_EQ_INT(ddb_txn_write_hooked(e, &a, &w, 1, &hook, &nf, &err), 0);
    CHECK_EQ_INT(nf, 1);
    CHECK_EQ_INT(stored(e, &a, "tx"), -1); /* cancelled: no token */
    w.ctx = NULL; /* a check that passes and changes no item still records the token */
    CHECK_EQ_INT(ddb_txn_write_hooked(e, &a, &w, 1, &hook, &nf, &err), 0);
    CHECK_EQ_INT(nf, 0);
    CHECK_EQ_INT(stored(e, &a, "tx"), 77);
    ddb_arena_release(&a);
    ddb_engine_close(e);
}
