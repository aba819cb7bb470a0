#include "idempotency.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

#include "log.h"

/* A token being run: at most one per request in flight, so few. */
struct running {
    unsigned char len;
    char token[DDB_TOKENS_MAX_LEN];
};

struct ddb_idempotency {
    struct ddb_engine *engine;
    int64_t ttl_ms;
    pthread_mutex_t mu;  /* guards what follows */
    struct running *run; /* the running tokens, unordered */
    size_t run_count, run_cap;
    int64_t sweep_from_ms; /* ddb_tokens_sweep's resume point */
};

int64_t ddb_idempotency_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct ddb_idempotency *ddb_idempotency_new(struct ddb_engine *e, int64_t ttl_ms)
{
    struct ddb_idempotency *t = calloc(1, sizeof *t);
    if (t == NULL)
        abort();
    t->engine = e;
    t->ttl_ms = ttl_ms;
    pthread_mutex_init(&t->mu, NULL);
    return t;
}

void ddb_idempotency_free(struct ddb_idempotency *t)
{
    if (t == NULL)
        return;
    pthread_mutex_destroy(&t->mu);
    free(t->run);
    free(t);
}

/* ---- fingerprint: a canonical form of the DOM, hashed ---- */

/* A tag and a length, then (for strings) the bytes: unambiguous. */
static void put_bytes(EVP_MD_CTX *c, char tag, const char *p, size_t n)
{
    uint64_t len = n;
    EVP_DigestUpdate(c, &tag, 1);
    EVP_DigestUpdate(c, &len, sizeof len);
    if (p != NULL && n > 0)
        EVP_DigestUpdate(c, p, n);
}

static int cmp_member_ptr(const void *x, const void *y)
{
    const struct ddb_json_member *a = *(const struct ddb_json_member *const *)x;
    const struct ddb_json_member *b = *(const struct ddb_json_member *const *)y;
    return ddb_slice_cmp(a->key, b->key);
}

/* Recursion is bounded by the reader's depth cap (DDB_JSON_MAX_DEPTH). */
static void canon(EVP_MD_CTX *c, struct ddb_arena *a, const struct ddb_json *v)
{
    switch (v->type) {
    case DDB_JSON_OBJECT: {
        put_bytes(c, '{', NULL, v->count);
        const struct ddb_json_member **m = ddb_arena_calloc(a, v->count ? v->count : 1, sizeof *m);
        for (uint32_t i = 0; i < v->count; i++)
            m[i] = &v->u.members[i];
        qsort(m, v->count, sizeof *m, cmp_member_ptr);
        for (uint32_t i = 0; i < v->count; i++) {
            put_bytes(c, 'k', m[i]->key.ptr, m[i]->key.len);
            canon(c, a, &m[i]->value);
        }
        break;
    }
    case DDB_JSON_ARRAY:
        put_bytes(c, '[', NULL, v->count);
        for (uint32_t i = 0; i < v->count; i++)
            canon(c, a, &v->u.items[i]);
        break;
    case DDB_JSON_STRING:
        put_bytes(c, 's', v->u.str.ptr, v->u.str.len);
        break;
    case DDB_JSON_NUMBER:
        put_bytes(c, 'n', v->u.str.ptr, v->u.str.len);
        break;
    case DDB_JSON_TRUE:
        put_bytes(c, 't', NULL, 0);
        break;
    case DDB_JSON_FALSE:
        put_bytes(c, 'f', NULL, 0);
        break;
    case DDB_JSON_NULL:
        put_bytes(c, 'z', NULL, 0);
        break;
    }
}

void ddb_idempotency_fingerprint(const struct ddb_json *items, struct ddb_arena *a,
                                 unsigned char out[32])
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    if (c == NULL)
        abort();
    EVP_DigestInit_ex(c, EVP_sha256(), NULL);
    canon(c, a, items);
    unsigned n = 32;
    EVP_DigestFinal_ex(c, out, &n);
    EVP_MD_CTX_free(c);
}

/* ---- the running tokens and the stored records ---- */

/* The index of token among the running ones, or -1. Called with mu held. */
static ssize_t find_running(const struct ddb_idempotency *t, ddb_slice token)
{
    for (size_t i = 0; i < t->run_count; i++)
        if (t->run[i].len == token.len && memcmp(t->run[i].token, token.ptr, token.len) == 0)
            return (ssize_t)i;
    return -1;
}

static bool is_running(void *ctx, ddb_slice token)
{
    return find_running(ctx, token) >= 0;
}

/* Marks token running unless it already is; false if it was. */
static bool claim(struct ddb_idempotency *t, ddb_slice token)
{
    bool ok = false;
    pthread_mutex_lock(&t->mu);
    if (find_running(t, token) < 0) {
        if (t->run_count == t->run_cap) {
            t->run_cap = t->run_cap ? 2 * t->run_cap : 16;
            t->run = realloc(t->run, t->run_cap * sizeof *t->run);
            if (t->run == NULL)
                abort();
        }
        struct running *r = &t->run[t->run_count++];
        r->len = (unsigned char)token.len;
        memcpy(r->token, token.ptr, token.len);
        ok = true;
    }
    pthread_mutex_unlock(&t->mu);
    return ok;
}

/* Forgets a running token; then, with the lock still held so that no
 * request can claim a token between the check and the write, deletes a few
 * expired records of tokens that are not running. */
static void release(struct ddb_idempotency *t, ddb_slice token, bool sweep)
{
    pthread_mutex_lock(&t->mu);
    ssize_t i = find_running(t, token);
    if (i >= 0)
        t->run[i] = t->run[--t->run_count];
    if (sweep) {
        unsigned removed;
        struct ddb_error err = {0};
        if (ddb_tokens_sweep(t->engine, ddb_idempotency_now_ms() - t->ttl_ms,
                             DDB_IDEMPOTENCY_SWEEP, &t->sweep_from_ms, is_running, t, &removed,
                             &err) != 0)
            ddb_log(DDB_LOG_WARN, "%s", err.message);
    }
    pthread_mutex_unlock(&t->mu);
}

/* Reads token's record: *live when it is within the window, and then *res is
 * REPLAY or MISMATCH. -1 with err when it cannot be read. */
static int lookup(struct ddb_idempotency *t, ddb_slice token, const unsigned char fp[32],
                  struct ddb_arena *a, bool *live, enum ddb_idem_result *res,
                  struct ddb_tokens_record *rec, struct ddb_error *err)
{
    bool found;
    if (ddb_tokens_get(t->engine, token, a, &found, rec, err) != 0)
        return -1;
    *live = found && ddb_idempotency_now_ms() - rec->completed_ms <= t->ttl_ms;
    if (*live)
        *res = memcmp(rec->fp, fp, 32) == 0 ? DDB_IDEM_REPLAY : DDB_IDEM_MISMATCH;
    return 0;
}

int ddb_idempotency_begin(struct ddb_idempotency *t, ddb_slice token, const unsigned char fp[32],
                          struct ddb_arena *a, enum ddb_idem_result *res,
                          struct ddb_tokens_record *rec, struct ddb_error *err)
{
    *res = DDB_IDEM_RUN;
    if (token.len == 0 || token.len > DDB_TOKENS_MAX_LEN) /* cannot happen: input_txn.c checks */
        return ddb_error_set(err, NULL, DDB_ERR_INTERNAL, "bad client request token");
    /* A finished token replays (or mismatches) without claiming, so that two
     * replays at once both succeed. */
    bool live;
    if (lookup(t, token, fp, a, &live, res, rec, err) != 0)
        return -1;
    if (live)
        return 0;
    if (!claim(t, token)) {
        *res = DDB_IDEM_IN_PROGRESS;
        return 0;
    }
    /* Again after claiming: a request that ran this token between the two
     * reads wrote its record (in its transaction's batch) before it released
     * its claim. */
    int rc = lookup(t, token, fp, a, &live, res, rec, err);
    if (rc != 0 || live)
        release(t, token, false);
    return rc;
}

void ddb_idempotency_end(struct ddb_idempotency *t, ddb_slice token)
{
    release(t, token, true);
}
