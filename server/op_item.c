/* op_item.c: PutItem, GetItem, DeleteItem, UpdateItem. */
#include "item_write.h"
#include "protocol/input_item.h"
#include "protocol/value_json.h"
#include "capacity.h"
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

/* The write's capacity: the larger of the old and new images (capacity.h). */
static double write_units(const struct ddb_item_write *w, const struct ddb_item *new_item)
{
    return ddb_capacity_item_write(w->had_old ? ddb_item_size(&w->old) : 0,
                                   new_item ? ddb_item_size(new_item) : 0);
}

/* What a write's answer may add: ItemCollectionMetrics. */
struct write_extra {
    bool metrics;                     /* ReturnItemCollectionMetrics SIZE */
    struct ddb_index_write_info info; /* filled by the write */
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
    ddb_jw_key_cstr(rc->w, "ItemCollectionMetrics");
    ddb_capacity_collection_object(rc->w, x->table->def.key.hash_name, x->pk,
                                   x->info.collection_bytes);
}

/* The write's figures: the table's part and each index entry it changed. */
static void write_capacity(struct ddb_reqctx *rc, const struct ddb_table *t,
                           const struct ddb_item_write *w, const struct ddb_item *new_item,
                           struct ddb_capacity_units *u)
{
    ddb_capacity_units_init(u, rc->arena, &t->def);
    u->table = write_units(w, new_item);
    ddb_capacity_index_writes(u, rc->arena, &t->def, w->had_old ? &w->old : NULL, new_item,
                              false);
}

static void answer_attributes(struct ddb_reqctx *rc, const struct ddb_item *item,
                              const struct ddb_capacity_req *cap, ddb_slice table,
                              const struct ddb_capacity_units *u, const struct write_extra *x)
{
    ddb_jw_object_begin(rc->w);
    if (item != NULL && item->count > 0) {
        ddb_jw_key_cstr(rc->w, "Attributes");
        ddb_item_to_json(rc->w, item);
    }
    ddb_capacity_member_units(rc->w, cap, table, u);
    write_collection_metrics(rc, x);
    ddb_jw_object_end(rc->w);
}

/* ---- PutItem ---- */

int ddb_op_put_item(struct ddb_reqctx *rc)
{
    struct ddb_item_input in;
    if (ddb_input_item(rc->arena, DDB_ITEM_PUT, rc->body, &in, &rc->err) != 0)
        return -1;
    struct ddb_capacity_req cap;
    if (ddb_capacity_input(rc->arena, rc->body, true, NULL, &cap, &rc->err) != 0)
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
    struct write_extra x = {.table = t, .pk = pk, .metrics = cap.item_metrics};
    if (ddb_index_check_item(rc->arena, &t->def, &in.item, false, &rc->err) != 0)
        goto out;
    struct ddb_item_write w = {.in = &in, .table = t};
    if (ddb_items_write_ex(rc->server->engine, t, rc->arena, pk, sk, ddb_item_write_put, &w,
                           &x.info, &rc->err) != 0)
        goto out;
    struct ddb_capacity_units u;
    write_capacity(rc, t, &w, &in.item, &u);
    answer_attributes(rc, in.return_values == DDB_RV_ALL_OLD && w.had_old ? &w.old : NULL, &cap,
                      in.table, &u, &x);
    ret = 0;
out:
    ddb_table_unref(t);
    return ret;
}

/* ---- DeleteItem ---- */

int ddb_op_delete_item(struct ddb_reqctx *rc)
{
    struct ddb_item_input in;
    if (ddb_input_item(rc->arena, DDB_ITEM_DELETE, rc->body, &in, &rc->err) != 0)
        return -1;
    struct ddb_capacity_req cap;
    if (ddb_capacity_input(rc->arena, rc->body, true, NULL, &cap, &rc->err) != 0)
        return -1;
    struct ddb_table *t = find_table(rc, in.table);
    if (t == NULL)
        return -1;
    int ret = -1;
    const struct ddb_value *pk, *sk;
    if (ddb_check_key(rc->arena, &t->def.key, &in.key, &pk, &sk, &rc->err) != 0)
        goto out;
    struct write_extra x = {.table = t, .pk = pk, .metrics = cap.item_metrics};
    struct ddb_item_write w = {.in = &in, .table = t};
    if (ddb_items_write_ex(rc->server->engine, t, rc->arena, pk, sk, ddb_item_write_delete, &w,
                           &x.info, &rc->err) != 0)
        goto out;
    struct ddb_capacity_units u;
    write_capacity(rc, t, &w, NULL, &u);
    answer_attributes(rc, in.return_values == DDB_RV_ALL_OLD && w.had_old ? &w.old : NULL, &cap,
                      in.table, &u, &x);
    ret = 0;
out:
    ddb_table_unref(t);
    return ret;
}

/* ---- UpdateItem ---- */

/* UPDATED_OLD / UPDATED_NEW: the updated paths of the old or new image
 * (only the updated fragment of a nested path, as AWS answers; DynamoDB
 * Local returns the whole top-level attribute). A REMOVE clause has no new
 * value: it counts for UPDATED_OLD only. */
static void project_updated(struct ddb_arena *a, const struct ddb_update *u, bool new_image,
                            const struct ddb_item *item, struct ddb_item *out)
{
    uint32_t n = u ? u->count : 0;
    struct ddb_projection p = {.count = 0};
    p.paths = ddb_arena_calloc(a, n ? n : 1, sizeof *p.paths);
    for (uint32_t i = 0; i < n; i++)
        if (!(new_image && u->clauses[i].action == DDB_UPD_REMOVE))
            p.paths[p.count++] = u->clauses[i].path;
    ddb_projection_apply(&p, item, a, out);
}

int ddb_op_update_item(struct ddb_reqctx *rc)
{
    struct ddb_item_input in;
    if (ddb_input_item(rc->arena, DDB_ITEM_UPDATE, rc->body, &in, &rc->err) != 0)
        return -1;
    struct ddb_capacity_req cap;
    if (ddb_capacity_input(rc->arena, rc->body, true, NULL, &cap, &rc->err) != 0)
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
    struct write_extra x = {.table = t, .pk = pk, .metrics = cap.item_metrics};
    struct ddb_item_write w = {.in = &in, .table = t};
    if (ddb_items_write_ex(rc->server->engine, t, rc->arena, pk, sk, ddb_item_write_update, &w,
                           &x.info, &rc->err) != 0)
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
            project_updated(rc->arena, in.update, false, &w.old, &shown);
            answer = &shown;
        }
        break;
    case DDB_RV_UPDATED_NEW:
        project_updated(rc->arena, in.update, true, &w.new_item, &shown);
        answer = &shown;
        break;
    }
    struct ddb_capacity_units u;
    write_capacity(rc, t, &w, &w.new_item, &u);
    answer_attributes(rc, answer, &cap, in.table, &u, &x);
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
    struct ddb_capacity_req cap;
    if (ddb_capacity_input(rc->arena, rc->body, false, NULL, &cap, &rc->err) != 0)
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
    size_t read_size = found ? ddb_item_size(&item) : 0; /* before the projection */
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
    ddb_capacity_member(rc->w, &cap, in.table,
                        ddb_capacity_item_read(found ? read_size : 0, in.consistent_read));
    ddb_jw_object_end(rc->w);
    ret = 0;
out:
    ddb_table_unref(t);
    return ret;
}
