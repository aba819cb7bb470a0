/* op_item.c: PutItem, GetItem, DeleteItem, UpdateItem. */
#include <stdio.h>

#include "protocol/input_item.h"
#include "protocol/value_json.h"
#include "reqctx.h"
#include "storage/index.h"
#include "storage/items.h"

static struct ddb_table *find_table(struct ddb_reqctx *rc, ddb_slice name)
{
    struct ddb_table *t = ddb_catalog_get(rc->server->catalog, name);
    if (t == NULL)
        ddb_error_set(&rc->err, NULL, DDB_ERR_RESOURCE_NOT_FOUND, "Requested resource not found");
    return t;
}

static int condition_failed(struct ddb_arena *a, const struct ddb_item_input *in,
                            const struct ddb_item *old, struct ddb_error *err)
{
    ddb_error_set(err, NULL, DDB_ERR_CONDITIONAL_CHECK_FAILED, "The conditional request failed");
    if (in->return_old_on_condition_failure && old != NULL) {
        struct ddb_item *copy = ddb_arena_alloc(a, sizeof *copy);
        *copy = *old;
        err->item = copy;
    }
    return -1;
}

/* Evaluates the request's ConditionExpression (if any) against old. */
static int check_condition(struct ddb_arena *a, const struct ddb_item_input *in,
                           const struct ddb_item *old, struct ddb_error *err)
{
    if (in->condition == NULL)
        return 0;
    bool ok;
    if (ddb_expr_eval_condition(in->condition, old, &ok, a, err) != 0)
        return -1;
    return ok ? 0 : condition_failed(a, in, old, err);
}

/* What every write's mutator shares. */
struct write_ctx {
    const struct ddb_item_input *in;
    const struct ddb_table *table;
    struct ddb_item old;
    bool had_old;
    struct ddb_item new_item;
};

static void remember_old(struct write_ctx *w, const struct ddb_item *old)
{
    w->had_old = old != NULL;
    if (old != NULL)
        w->old = *old;
}

/* ReturnItemCollectionMetrics: SIZE or NONE (read after the rest of the
 * request validated). */
static int read_collection_metrics(struct ddb_reqctx *rc, bool *size)
{
    ddb_slice s;
    bool present;
    *size = false;
    if (ddb_in_string(rc->arena, rc->body, "ReturnItemCollectionMetrics", &s, &present,
                      &rc->err) != 0)
        return -1;
    if (!present || ddb_slice_eq_cstr(s, "NONE"))
        return 0;
    if (ddb_slice_eq_cstr(s, "SIZE")) {
        *size = true;
        return 0;
    }
    struct ddb_vlist v;
    ddb_vlist_init(&v, rc->arena);
    ddb_vlist_add(&v, ddb_vlist_quote(rc->arena, s), "returnItemCollectionMetrics",
                  "Member must satisfy enum value set: [SIZE, NONE]");
    return ddb_vlist_finish(&v, &rc->err);
}

/* What the write's answer may add after Attributes. */
struct write_extra {
    bool metrics;                      /* ReturnItemCollectionMetrics SIZE */
    struct ddb_index_write_info info;  /* filled by the write */
    const struct ddb_table *table;
    const struct ddb_value *pk;
};

/* ItemCollectionMetrics for tables with local secondary indexes:
 * SizeEstimateRangeGB brackets the collection's size in whole GB
 * (conformance: test_indexes.py test_item_collection_metrics). */
static void write_collection_metrics(struct ddb_reqctx *rc, const struct write_extra *x)
{
    if (x == NULL || !x->metrics || !x->info.has_collection)
        return;
    struct ddb_json_writer *w = rc->w;
    ddb_jw_key_cstr(w, "ItemCollectionMetrics");
    ddb_jw_object_begin(w);
    ddb_jw_key_cstr(w, "ItemCollectionKey");
    struct ddb_attr a = {x->table->def.key.hash_name, *x->pk};
    struct ddb_item key = {1, &a};
    ddb_item_to_json(w, &key);
    ddb_jw_key_cstr(w, "SizeEstimateRangeGB");
    ddb_jw_array_begin(w);
    int64_t gb = x->info.collection_bytes / (1024LL * 1024 * 1024);
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%lld.0", (long long)gb);
    ddb_jw_raw(w, buf, (size_t)n);
    n = snprintf(buf, sizeof buf, "%lld.0", (long long)gb + 1);
    ddb_jw_raw(w, buf, (size_t)n);
    ddb_jw_array_end(w);
    ddb_jw_object_end(w);
}

static void answer_attributes_ex(struct ddb_reqctx *rc, const struct ddb_item *item,
                                 const struct write_extra *x)
{
    ddb_jw_object_begin(rc->w);
    if (item != NULL && item->count > 0) {
        ddb_jw_key_cstr(rc->w, "Attributes");
        ddb_item_to_json(rc->w, item);
    }
    write_collection_metrics(rc, x);
    ddb_jw_object_end(rc->w);
}


/* ---- PutItem ---- */

static int put_mutator(void *ctx, struct ddb_arena *a, const struct ddb_item *old,
                       enum ddb_write_action *action, struct ddb_item *new_item,
                       struct ddb_error *err)
{
    struct write_ctx *w = ctx;
    remember_old(w, old);
    if (check_condition(a, w->in, old, err) != 0)
        return -1;
    *new_item = w->in->item;
    *action = DDB_WRITE_PUT;
    return 0;
}

int ddb_op_put_item(struct ddb_reqctx *rc)
{
    struct ddb_item_input in;
    if (ddb_input_item(rc->arena, DDB_ITEM_PUT, rc->body, &in, &rc->err) != 0)
        return -1;
    struct ddb_table *t = find_table(rc, in.table);
    if (t == NULL)
        return -1;
    int ret = -1;
    const struct ddb_value *pk, *sk;
    if (ddb_check_item_key(rc->arena, &t->def.key, &in.item, &pk, &sk, &rc->err) != 0)
        goto out;
    if (ddb_item_size(&in.item) > DDB_MAX_ITEM_SIZE) {
        ddb_error_set(&rc->err, NULL, DDB_ERR_VALIDATION,
                      "Item size has exceeded the maximum allowed size");
        goto out;
    }
    struct write_extra x = {.table = t, .pk = pk};
    if (ddb_index_check_item(rc->arena, &t->def, &in.item, false, &rc->err) != 0 ||
        read_collection_metrics(rc, &x.metrics) != 0)
        goto out;
    struct write_ctx w = {.in = &in, .table = t};
    if (ddb_items_write_ex(rc->server->engine, t, rc->arena, pk, sk, put_mutator, &w, &x.info,
                           &rc->err) != 0)
        goto out;
    answer_attributes_ex(rc, in.return_values == DDB_RV_ALL_OLD && w.had_old ? &w.old : NULL,
                         &x);
    ret = 0;
out:
    ddb_table_unref(t);
    return ret;
}

/* ---- DeleteItem ---- */

static int delete_mutator(void *ctx, struct ddb_arena *a, const struct ddb_item *old,
                          enum ddb_write_action *action, struct ddb_item *new_item,
                          struct ddb_error *err)
{
    (void)new_item;
    struct write_ctx *w = ctx;
    remember_old(w, old);
    if (check_condition(a, w->in, old, err) != 0)
        return -1;
    *action = DDB_WRITE_DELETE;
    return 0;
}

int ddb_op_delete_item(struct ddb_reqctx *rc)
{
    struct ddb_item_input in;
    if (ddb_input_item(rc->arena, DDB_ITEM_DELETE, rc->body, &in, &rc->err) != 0)
        return -1;
    struct ddb_table *t = find_table(rc, in.table);
    if (t == NULL)
        return -1;
    int ret = -1;
    const struct ddb_value *pk, *sk;
    if (ddb_check_key(rc->arena, &t->def.key, &in.key, &pk, &sk, &rc->err) != 0)
        goto out;
    struct write_extra x = {.table = t, .pk = pk};
    if (read_collection_metrics(rc, &x.metrics) != 0)
        goto out;
    struct write_ctx w = {.in = &in, .table = t};
    if (ddb_items_write_ex(rc->server->engine, t, rc->arena, pk, sk, delete_mutator, &w, &x.info,
                           &rc->err) != 0)
        goto out;
    answer_attributes_ex(rc, in.return_values == DDB_RV_ALL_OLD && w.had_old ? &w.old : NULL,
                         &x);
    ret = 0;
out:
    ddb_table_unref(t);
    return ret;
}

/* ---- UpdateItem ---- */

static int update_mutator(void *ctx, struct ddb_arena *a, const struct ddb_item *old,
                          enum ddb_write_action *action, struct ddb_item *new_item,
                          struct ddb_error *err)
{
    struct write_ctx *w = ctx;
    remember_old(w, old);
    if (check_condition(a, w->in, old, err) != 0)
        return -1;
    const struct ddb_key_schema *ks = &w->table->def.key;
    ddb_slice keys[2] = {ks->hash_name, ks->range_name};
    struct ddb_item base;
    if (old != NULL) {
        base = *old;
    } else {
        base = w->in->key; /* a new item starts as its key */
    }
    if (w->in->update != NULL) {
        if (ddb_expr_update_apply(w->in->update, &base, keys, ks->has_range ? 2 : 1, a, new_item,
                                  err) != 0)
            return -1;
    } else {
        *new_item = base;
    }
    if (ddb_item_size(new_item) > DDB_MAX_ITEM_SIZE)
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                             "Item size to update has exceeded the maximum allowed size");
    if (ddb_index_check_item(a, &w->table->def, new_item, true, err) != 0)
        return -1;
    w->new_item = *new_item;
    *action = DDB_WRITE_PUT;
    return 0;
}

/* UPDATED_OLD / UPDATED_NEW: the updated paths of the old or new image. */
static void project_updated(struct ddb_arena *a, const struct ddb_update *u,
                            const struct ddb_item *item, struct ddb_item *out)
{
    struct ddb_projection p = {.count = u ? u->count : 0};
    p.paths = ddb_arena_calloc(a, p.count ? p.count : 1, sizeof *p.paths);
    for (uint32_t i = 0; i < p.count; i++)
        p.paths[i] = u->clauses[i].path;
    ddb_projection_apply(&p, item, a, out);
}

int ddb_op_update_item(struct ddb_reqctx *rc)
{
    struct ddb_item_input in;
    if (ddb_input_item(rc->arena, DDB_ITEM_UPDATE, rc->body, &in, &rc->err) != 0)
        return -1;
    struct ddb_table *t = find_table(rc, in.table);
    if (t == NULL)
        return -1;
    int ret = -1;
    const struct ddb_value *pk, *sk;
    if (ddb_check_key(rc->arena, &t->def.key, &in.key, &pk, &sk, &rc->err) != 0)
        goto out;
    const struct ddb_key_schema *ks = &t->def.key;
    ddb_slice keys[2] = {ks->hash_name, ks->range_name};
    if (in.update != NULL && ddb_expr_update_check_keys(in.update, keys, ks->has_range ? 2 : 1,
                                                        rc->arena, &rc->err) != 0)
        goto out;
    struct write_extra x = {.table = t, .pk = pk};
    if (read_collection_metrics(rc, &x.metrics) != 0)
        goto out;
    struct write_ctx w = {.in = &in, .table = t};
    if (ddb_items_write_ex(rc->server->engine, t, rc->arena, pk, sk, update_mutator, &w, &x.info,
                           &rc->err) != 0)
        goto out;
    struct ddb_item shown;
    const struct ddb_item *answer = NULL;
    switch (in.return_values) {
    case DDB_RV_NONE:
        break;
    case DDB_RV_ALL_OLD:
        answer = w.had_old ? &w.old : NULL;
        break;
    case DDB_RV_ALL_NEW:
        answer = &w.new_item;
        break;
    case DDB_RV_UPDATED_OLD:
        if (w.had_old) {
            project_updated(rc->arena, in.update, &w.old, &shown);
            answer = &shown;
        }
        break;
    case DDB_RV_UPDATED_NEW:
        project_updated(rc->arena, in.update, &w.new_item, &shown);
        answer = &shown;
        break;
    }
    answer_attributes_ex(rc, answer, &x);
    ret = 0;
out:
    ddb_table_unref(t);
    return ret;
}

/* ---- GetItem ---- */

int ddb_op_get_item(struct ddb_reqctx *rc)
{
    struct ddb_item_input in;
    if (ddb_input_item(rc->arena, DDB_ITEM_GET, rc->body, &in, &rc->err) != 0)
        return -1;
    struct ddb_table *t = find_table(rc, in.table);
    if (t == NULL)
        return -1;
    int ret = -1;
    const struct ddb_value *pk, *sk;
    if (ddb_check_key(rc->arena, &t->def.key, &in.key, &pk, &sk, &rc->err) != 0)
        goto out;
    struct ddb_item item;
    bool found;
    if (ddb_items_get(rc->server->engine, t, rc->arena, pk, sk, &item, &found, &rc->err) != 0)
        goto out;
    ddb_jw_object_begin(rc->w);
    if (found) {
        if (in.projection != NULL) {
            struct ddb_item projected;
            ddb_projection_apply(in.projection, &item, rc->arena, &projected);
            item = projected;
        }
        ddb_jw_key_cstr(rc->w, "Item");
        ddb_item_to_json(rc->w, &item);
    }
    ddb_jw_object_end(rc->w);
    ret = 0;
out:
    ddb_table_unref(t);
    return ret;
}
