/* server/idempotency.c: a running token answers IN_PROGRESS to a second request; a stored
 * record answers REPLAY or MISMATCH until it expires; the sweep at the end of a request
 * deletes expired records but never a running token's; fingerprints ignore member order. */
#include "harness.h"
#include "protocol/json.h"
#include "server/idempotency.c"
#include "server/log.c"

static struct ddb_engine *open_mem(void)
{
    struct ddb_engine_options o = {.in_memory = true, .data_dir = "/tmp/ddbd-test-idem"};
    struct ddb_engine *e = NULL;
    struct ddb_error err;
    if (ddb_engine_open(&o, &e, &err) != 0) {
        printf("# open failed: %s\n", err.message);
        return NULL;
    }
    return e;
}

/* What op_txn.c's hook does when the transaction commits. */
static void commit(struct ddb_engine *e, struct ddb_arena *a, const char *tok,
                   const unsigned char fp[32], int64_t ms)
{
    struct ddb_tokens_record r = {.completed_ms = ms};
    memcpy(r.fp, fp, 32);
    struct ddb_batch *b = ddb_batch_new(e);
    ddb_tokens_put(b, a, ddb_slice_cstr(tok), &r);
    struct ddb_error err;
    CHECK_EQ_INT(ddb_engine_write(e, b, &err), 0);
    ddb_batch_free(b);
}

static enum ddb_idem_result begin(struct ddb_idempotency *t, struct ddb_arena *a, const char *tok,
                                  const unsigned char fp[32])
{
    enum ddb_idem_result r = (enum ddb_idem_result)-1;
    struct ddb_tokens_record rec;
    struct ddb_error err;
    CHECK_EQ_INT(ddb_idempotency_begin(t, ddb_slice_cstr(tok), fp, a, &r, &rec, &err), 0);
    return r;
}

TEST(running_replay_mismatch_expiry)
{
    struct ddb_engine *e = open_mem();
    CHECK(e != NULL);
    if (e == NULL)
        return;
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_idempotency *t = ddb_idempotency_new(e, 60 * 1000);
    unsigned char fp1[32] = {1}, fp2[32] = {2};

    CHECK_EQ_INT(begin(t, &a, "x", fp1), DDB_IDEM_RUN);
    CHECK_EQ_INT(begin(t, &a, "x", fp1), DDB_IDEM_IN_PROGRESS); /* while it runs */
    CHECK_EQ_INT(begin(t, &a, "y", fp1), DDB_IDEM_RUN);          /* other tokens run */
    commit(e, &a, "x", fp1, ddb_idempotency_now_ms());
    ddb_idempotency_end(t, DDB_SLICE_LIT("x"));
    ddb_idempotency_end(t, DDB_SLICE_LIT("y")); /* y did not apply: no record */
    CHECK_EQ_INT(begin(t, &a, "x", fp1), DDB_IDEM_REPLAY);
    CHECK_EQ_INT(begin(t, &a, "x", fp2), DDB_IDEM_MISMATCH);
    CHECK_EQ_INT(begin(t, &a, "x", fp1), DDB_IDEM_REPLAY); /* a replay leaves nothing running */
    CHECK_EQ_INT(begin(t, &a, "y", fp2), DDB_IDEM_RUN);
    ddb_idempotency_end(t, DDB_SLICE_LIT("y"));

    /* a record older than the window counts as absent */
    commit(e, &a, "old", fp1, ddb_idempotency_now_ms() - 61 * 1000);
    CHECK_EQ_INT(begin(t, &a, "old", fp2), DDB_IDEM_RUN);
    ddb_idempotency_end(t, DDB_SLICE_LIT("old"));

    ddb_idempotency_free(t);
    ddb_arena_release(&a);
    ddb_engine_close(e);
}

TEST(sweep_spares_running_tokens)
{
    struct ddb_engine *e = open_mem();
    CHECK(e != NULL);
    if (e == NULL)
        return;
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_idempotency *t = ddb_idempotency_new(e, 1000);
    unsigned char fp[32] = {7};
    int64_t long_ago = ddb_idempotency_now_ms() - 5000;
    commit(e, &a, "a", fp, long_ago);
    commit(e, &a, "b", fp, long_ago + 1);
    /* "a" expired and runs again; "b" expired; ending "z" sweeps "b" only */
    CHECK_EQ_INT(begin(t, &a, "a", fp), DDB_IDEM_RUN);
    CHECK_EQ_INT(begin(t, &a, "z", fp), DDB_IDEM_RUN);
    ddb_idempotency_end(t, DDB_SLICE_LIT("z"));
    bool found;
    struct ddb_tokens_record r;
    struct ddb_error err;
    CHECK_EQ_INT(ddb_tokens_get(e, DDB_SLICE_LIT("b"), &a, &found, &r, &err), 0);
    CHECK(!found);
    CHECK_EQ_INT(ddb_tokens_get(e, DDB_SLICE_LIT("a"), &a, &found, &r, &err), 0);
    CHECK(found);
    /* "a" commits anew and ends: its fresh record survives the sweep */
    commit(e, &a, "a", fp, ddb_idempotency_now_ms());
    ddb_idempotency_end(t, DDB_SLICE_LIT("a"));
    CHECK_EQ_INT(ddb_tokens_get(e, DDB_SLICE_LIT("a"), &a, &found, &r, &err), 0);
    CHECK(found);
    CHECK_EQ_INT(begin(t, &a, "a", fp), DDB_IDEM_REPLAY);
    ddb_idempotency_free(t);
    ddb_arena_release(&a);
    ddb_engine_close(e);
}

static void fingerprint_of(const char *json, unsigned char out[32])
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_json *v = NULL;
    struct ddb_json_error err;
    CHECK_EQ_INT(ddb_json_parse(&a, json, strlen(json), &v, &err), 0);
    if (v != NULL)
        ddb_idempotency_fingerprint(v, &a, out);
    ddb_arena_release(&a);
}

TEST(fingerprint_ignores_member_order_only)
{
    unsigned char x[32], y[32], z[32];
    fingerprint_of("[{\"Put\":{\"TableName\":\"t\",\"Item\":{\"pk\":{\"S\":\"a\"}}}}]", x);
    fingerprint_of("[{\"Put\":{\"Item\":{\"pk\":{\"S\":\"a\"}},\"TableName\":\"t\"}}]", y);
    fingerprint_of("[{\"Put\":{\"Item\":{\"pk\":{\"S\":\"b\"}},\"TableName\":\"t\"}}]", z);
    CHECK(memcmp(x, y, 32) == 0);
    CHECK(memcmp(x, z, 32) != 0);
}
