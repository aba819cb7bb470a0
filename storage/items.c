#include "items.h"

#include "itemcodec.h"
#include "keycodec.h"

static const struct ddb_value *key_sk(const struct ddb_table *t, const struct ddb_value *sk)
{
    return t->def.key.has_range ? sk : NULL;
}

int ddb_items_get(struct ddb_engine *e, const struct ddb_table *t, struct ddb_arena *a,
                  const struct ddb_value *pk, const struct ddb_value *sk, struct ddb_item *out,
                  bool *found, struct ddb_error *err)
{
    struct ddb_buf key;
    ddb_buf_init(&key, a);
    ddb_keycodec_item_key(&key, t->id, pk, key_sk(t, sk));
    ddb_slice v;
    if (ddb_engine_get(e, DDB_CF_ITEMS, ddb_buf_slice(&key), a, &v, err) != 0)
        return -1;
    *found = v.ptr != NULL;
    if (!*found)
        return 0;
    return ddb_itemcodec_decode(a, v.ptr, v.len, out, err);
}

int ddb_items_write(struct ddb_engine *e, const struct ddb_table *t, struct ddb_arena *a,
                    const struct ddb_value *pk, const struct ddb_value *sk, ddb_items_mutator fn,
                    void *ctx, struct ddb_error *err)
{
    struct ddb_buf key;
    ddb_buf_init(&key, a);
    ddb_keycodec_item_key(&key, t->id, pk, key_sk(t, sk));
    unsigned stripe = ddb_engine_stripe_of_key(ddb_buf_slice(&key));
    int rc = -1;
    struct ddb_batch *b = NULL;

    ddb_engine_lock_stripe(e, stripe);
    ddb_slice v;
    if (ddb_engine_get(e, DDB_CF_ITEMS, ddb_buf_slice(&key), a, &v, err) != 0)
        goto out;
    struct ddb_item old_item;
    const struct ddb_item *old = NULL;
    if (v.ptr != NULL) {
        if (ddb_itemcodec_decode(a, v.ptr, v.len, &old_item, err) != 0)
            goto out;
        old = &old_item;
    }
    enum ddb_write_action action = DDB_WRITE_NOTHING;
    struct ddb_item new_item = {0};
    if (fn(ctx, a, old, &action, &new_item, err) != 0)
        goto out;

    int64_t old_size = old ? (int64_t)ddb_item_size(old) : 0;
    char ck[9];
    ddb_catalog_counter_key(t->id, ck);
    if (action == DDB_WRITE_PUT) {
        struct ddb_buf img;
        ddb_buf_init(&img, a);
        if (ddb_itemcodec_encode(&img, &new_item, err) != 0)
            goto out;
        b = ddb_batch_new(e);
        ddb_batch_put(b, DDB_CF_ITEMS, ddb_buf_slice(&key), ddb_buf_slice(&img));
        ddb_batch_add_counter(b, ddb_slice_make(ck, 9), old ? 0 : 1,
                              (int64_t)ddb_item_size(&new_item) - old_size);
    } else if (action == DDB_WRITE_DELETE && old != NULL) {
        b = ddb_batch_new(e);
        ddb_batch_delete(b, DDB_CF_ITEMS, ddb_buf_slice(&key));
        ddb_batch_add_counter(b, ddb_slice_make(ck, 9), -1, -old_size);
    }
    if (b != NULL && ddb_engine_write(e, b, err) != 0)
        goto out;
    rc = 0;
out:
    ddb_engine_unlock_stripe(e, stripe);
    ddb_batch_free(b);
    return rc;
}

int ddb_items_read_range(struct ddb_engine *e, const struct ddb_table *t, struct ddb_arena *a,
                         const struct ddb_range_read *r, ddb_range_fn fn, void *ctx,
                         bool *stopped_early, struct ddb_error *err)
{
    (void)t;
    *stopped_early = false;
    if (ddb_slice_cmp(r->start, r->end) >= 0 && r->end.len > 0)
        return 0; /* an empty range (e.g. BETWEEN with a > b) */
    struct ddb_iter *it = ddb_iter_new(e, DDB_CF_ITEMS, r->start, r->end);
    if (r->exclusive_start.ptr != NULL) {
        if (r->reverse) {
            ddb_iter_seek_for_prev(it, r->exclusive_start);
            if (ddb_iter_valid(it) && ddb_slice_eq(ddb_iter_key(it), r->exclusive_start))
                ddb_iter_prev(it);
        } else {
            ddb_iter_seek(it, r->exclusive_start);
            if (ddb_iter_valid(it) && ddb_slice_eq(ddb_iter_key(it), r->exclusive_start))
                ddb_iter_next(it);
        }
    } else if (r->reverse) {
        ddb_iter_seek_last(it);
    } else {
        ddb_iter_seek_first(it);
    }

    int rc = -1;
    uint32_t count = 0;
    size_t bytes = 0;
    while (ddb_iter_valid(it)) {
        ddb_slice v = ddb_iter_value(it);
        char *copy = ddb_arena_memdup(a, v.ptr, v.len);
        struct ddb_item item;
        if (ddb_itemcodec_decode(a, copy, v.len, &item, err) != 0)
            goto out;
        if (fn(ctx, &item, err) != 0)
            goto out;
        count++;
        bytes += ddb_item_size(&item);
        if (r->limit != 0 && count >= r->limit) {
            *stopped_early = true; /* even when nothing follows (DynamoDB does so) */
            break;
        }
        if (r->reverse)
            ddb_iter_prev(it);
        else
            ddb_iter_next(it);
        if (r->max_bytes != 0 && bytes >= r->max_bytes) {
            /* the item that reaches max_bytes ends the page; a page that ends
             * exactly at the end of the range has no LastEvaluatedKey */
            *stopped_early = ddb_iter_valid(it);
            break;
        }
    }
    if (ddb_iter_status(it, a, err) != 0)
        goto out;
    rc = 0;
out:
    ddb_iter_free(it);
    return rc;
}
