#include "txn.h"

#include <stdlib.h>

#include "index.h"
#include "itemcodec.h"
#include "keycodec.h"

static const char duplicate_msg[] =
    "Transaction request cannot include multiple operations on one item";

static ddb_slice encode_key(struct ddb_arena *a, const struct ddb_table *t,
                            const struct ddb_value *pk, const struct ddb_value *sk)
{
    struct ddb_buf key;
    ddb_buf_init(&key, a);
    ddb_keycodec_item_key(&key, t->id, pk, t->def.key.has_range ? sk : NULL);
    return ddb_buf_slice(&key);
}

static int cmp_slice_ptr(const void *x, const void *y)
{
    return ddb_slice_cmp(**(const ddb_slice *const *)x, **(const ddb_slice *const *)y);
}

/* -1 (VALIDATION) when two of the n keys are equal. Keys embed the table id,
 * so equal keys mean the same item of the same table. */
static int check_duplicates(const ddb_slice **keys, uint32_t n, struct ddb_error *err)
{
    qsort(keys, n, sizeof *keys, cmp_slice_ptr);
    for (uint32_t i = 1; i < n; i++)
        if (ddb_slice_eq(*keys[i - 1], *keys[i]))
            return ddb_error_set(err, NULL, DDB_ERR_VALIDATION, duplicate_msg);
    return 0;
}

static int cmp_unsigned(const void *x, const void *y)
{
    unsigned a = *(const unsigned *)x, b = *(const unsigned *)y;
    return (a > b) - (a < b);
}

/* Sorts the n stripes and drops repeats; returns how many remain. */
static uint32_t unique_stripes(unsigned *s, uint32_t n)
{
    qsort(s, n, sizeof *s, cmp_unsigned);
    uint32_t m = 0;
    for (uint32_t i = 0; i < n; i++)
        if (m == 0 || s[m - 1] != s[i])
            s[m++] = s[i];
    return m;
}

/* Runs one action's mutator against its current image and, on success, adds
 * its change to b (created on first use). */
static int run_action(struct ddb_engine *e, struct ddb_arena *a, struct ddb_txn_write *w,
                      struct ddb_batch **b, struct ddb_error *err)
{
    ddb_slice v;
    if (ddb_engine_get(e, DDB_CF_ITEMS, w->key, a, &v, err) != 0)
        return -1;
    struct ddb_item old_item;
    const struct ddb_item *old = NULL;
    if (v.ptr != NULL) {
        if (ddb_itemcodec_decode(a, v.ptr, v.len, &old_item, err) != 0)
            return -1;
        old = &old_item;
    }
    enum ddb_write_action action = DDB_WRITE_NOTHING;
    struct ddb_item new_item = {0};
    if (w->fn(w->ctx, a, old, &action, &new_item, &w->err) != 0) {
        w->failed = true;
        return 0;
    }
    int64_t old_size = old ? (int64_t)ddb_item_size(old) : 0;
    char ck[9];
    ddb_catalog_counter_key(w->table->id, ck);
    if (action == DDB_WRITE_PUT) {
        struct ddb_buf img;
        ddb_buf_init(&img, a);
        if (ddb_itemcodec_encode(&img, &new_item, err) != 0)
            return -1;
        if (*b == NULL)
            *b = ddb_batch_new(e);
        ddb_batch_put(*b, DDB_CF_ITEMS, w->key, ddb_buf_slice(&img));
        ddb_batch_add_counter(*b, ddb_slice_make(ck, 9), old ? 0 : 1,
                              (int64_t)ddb_item_size(&new_item) - old_size);
        /* the one index-maintenance function every write path shares */
        if (ddb_index_maintain(e, *b, a, w->table, old, &new_item, &w->info, err) != 0)
            return -1;
    } else if (action == DDB_WRITE_DELETE && old != NULL) {
        if (*b == NULL)
            *b = ddb_batch_new(e);
        ddb_batch_delete(*b, DDB_CF_ITEMS, w->key);
        ddb_batch_add_counter(*b, ddb_slice_make(ck, 9), -1, -old_size);
        if (ddb_index_maintain(e, *b, a, w->table, old, NULL, &w->info, err) != 0)
            return -1;
    }
    return 0;
}

int ddb_txn_write(struct ddb_engine *e, struct ddb_arena *a, struct ddb_txn_write *w, uint32_t n,
                  uint32_t *nfailed, struct ddb_error *err)
{
    return ddb_txn_write_hooked(e, a, w, n, NULL, nfailed, err);
}

int ddb_txn_write_hooked(struct ddb_engine *e, struct ddb_arena *a, struct ddb_txn_write *w,
                         uint32_t n, const struct ddb_txn_hook *hook, uint32_t *nfailed,
                         struct ddb_error *err)
{
    *nfailed = 0;
    const ddb_slice **keys = ddb_arena_calloc(a, n ? n : 1, sizeof *keys);
    unsigned *stripes = ddb_arena_calloc(a, n ? n : 1, sizeof *stripes);
    for (uint32_t i = 0; i < n; i++) {
        w[i].failed = false;
        w[i].err = (struct ddb_error){0};
        w[i].info = (struct ddb_index_write_info){0};
        w[i].key = encode_key(a, w[i].table, w[i].pk, w[i].sk);
        w[i].stripe = ddb_engine_stripe_of_key(w[i].key);
        keys[i] = &w[i].key;
        stripes[i] = w[i].stripe;
    }
    if (check_duplicates(keys, n, err) != 0)
        return -1;
    /* ascending order, each stripe once: no deadlock with any other writer */
    uint32_t ns = unique_stripes(stripes, n);
    for (uint32_t i = 0; i < ns; i++)
        ddb_engine_lock_stripe(e, stripes[i]);

    int rc = -1;
    struct ddb_batch *b = NULL;
    for (uint32_t i = 0; i < n; i++) {
        if (run_action(e, a, &w[i], &b, err) != 0)
            goto out;
        if (w[i].failed)
            (*nfailed)++;
    }
    if (*nfailed == 0 && hook != NULL) {
        if (b == NULL)
            b = ddb_batch_new(e);
        if (hook->fn(hook->ctx, b, a, err) != 0)
            goto out;
    }
    if (*nfailed == 0 && b != NULL && ddb_engine_write(e, b, err) != 0)
        goto out;
    rc = 0;
out:
    for (uint32_t i = ns; i > 0; i--)
        ddb_engine_unlock_stripe(e, stripes[i - 1]);
    ddb_batch_free(b);
    return rc;
}

int ddb_txn_get(struct ddb_engine *e, struct ddb_arena *a, struct ddb_txn_get *g, uint32_t n,
                struct ddb_error *err)
{
    const ddb_slice **keys = ddb_arena_calloc(a, n ? n : 1, sizeof *keys);
    ddb_slice *enc = ddb_arena_calloc(a, n ? n : 1, sizeof *enc);
    for (uint32_t i = 0; i < n; i++) {
        g[i].found = false;
        enc[i] = encode_key(a, g[i].table, g[i].pk, g[i].sk);
        keys[i] = &enc[i];
    }
    if (check_duplicates(keys, n, err) != 0)
        return -1;
    int rc = -1;
    struct ddb_snapshot *s = ddb_snapshot_new(e);
    for (uint32_t i = 0; i < n; i++) {
        ddb_slice v;
        if (ddb_snapshot_get(s, DDB_CF_ITEMS, enc[i], a, &v, err) != 0)
            goto out;
        g[i].found = v.ptr != NULL;
        if (g[i].found && ddb_itemcodec_decode(a, v.ptr, v.len, &g[i].item, err) != 0)
            goto out;
    }
    rc = 0;
out:
    ddb_snapshot_free(s);
    return rc;
}
