/* op_item.c: PutItem, GetItem, DeleteItem, UpdateItem. */
#include "item_write.h"
#include "protocol/input_item.h"
#include "protocol/value_json.h"
#include "capacity.h"
#include "reqctx.h"
#include "storage/index.h"
#include "storage/items.h"

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

/* ---- what the four operations share ---- */

/* One single-item request: its input, the table (a reference held until
 * request_done) and its validated key. */
struct item_request {
    struct ddb_item_input in;
    struct ddb_capacity_req cap;
    struct ddb_table *t;
    const struct ddb_value *pk, *sk;
};

/* Reads and validates the request, finds the table and checks the key (the
 * Item's for PutItem, the Key's otherwise). On failure nothing is held. */
static int request_begin(struct ddb_reqctx *rc, enum ddb_item_op op, struct item_request *r)
{
    if (ddb_input_item(rc->arena, op, rc->body, &r->in, &rc->err) != 0 ||
        ddb_capacity_input(rc->arena, rc->body, op != DDB_ITEM_GET, NULL, &r->cap, &rc->err) != 0)
        return -1;
    r->t = ddb_catalog_find(rc->server->catalog, r->in.table, &rc->err);
    if (r->t == NULL)
        return -1;
    int ret = op == DDB_ITEM_PUT
                  ? ddb_check_item_key(rc->arena, &r->t->def.key, &r->in.item, &r->pk, &r->sk,
                                       &rc->err)
                  : ddb_check_key(rc->arena, &r->t->def.key, &r->in.key, &r->pk, &r->sk,
                                  &rc->err);
    if (ret != 0) {
        ddb_table_unref(r->t);
        return -1;
    }
    return 0;
}

/* The write itself: fn decides under the item's lock (item_write.h). */
static int request_write(struct ddb_reqctx *rc, struct item_request *r, ddb_items_mutator fn,
                         struct ddb_item_write *w, struct write_extra *x)
{
    *x = (struct write_extra){.table = r->t, .pk = r->pk, .metrics = r->cap.item_metrics};
    *w = (struct ddb_item_write){.in = &r->in, .table = r->t};
    return ddb_items_write_ex(rc->server->engine, r->t, rc->arena, r->pk, r->sk, fn, w, &x->info,
                              &rc->err);
}

/* Answers Attributes (when asked), ConsumedCapacity and
 * ItemCollectionMetrics of a write. */
static void request_answer_write(struct ddb_reqctx *rc, struct item_request *r,
                                 const struct ddb_item_write *w, const struct ddb_item *new_image,
                                 const struct ddb_item *attributes, const struct write_extra *x)
{
    struct ddb_capacity_units u;
    write_capacity(rc, r->t, w, new_image, &u);
    answer_attributes(rc, attributes, &r->cap, r->in.table, &u, x);
}

static int request_done(struct item_request *r, int ret)
{
    ddb_table_unref(r->t);
    return ret;
}

/* ---- PutItem ---- */

int ddb_op_put_item(struct ddb_reqctx *rc)
{
    struct item_request r;
    if (request_begin(rc, DDB_ITEM_PUT, &r) != 0)
        return -1;
    if (ddb_item_size(&r.in.item) > DDB_MAX_ITEM_SIZE)
        return request_done(&r, ddb_error_set(&rc->err, NULL, DDB_ERR_VALIDATION,
                                              "Item size has exceeded the maximum allowed size"));
    if (ddb_index_check_item(rc->arena, &r.t->def, &r.in.item, false, &rc->err) != 0)
        return request_done(&r, -1);
    struct ddb_item_write w;
    struct write_extra x;
    if (request_write(rc, &r, ddb_item_write_put, &w, &x) != 0)
        return request_done(&r, -1);
    request_answer_write(rc, &r, &w, &r.in.item,
                         r.in.return_values == DDB_RV_ALL_OLD && w.had_old ? &w.old : NULL, &x);
    return request_done(&r, 0);
}

/* ---- DeleteItem ---- */

int ddb_op_delete_item(struct ddb_reqctx *rc)
{
    struct item_request r;
    if (request_begin(rc, DDB_ITEM_DELETE, &r) != 0)
        return -1;
    struct ddb_item_write w;
    struct write_extra x;
    if (request_write(rc, &r, ddb_item_write_delete, &w, &x) != 0)
        return request_done(&r, -1);
    request_answer_write(rc, &r, &w, NULL,
                         r.in.return_values == DDB_RV_ALL_OLD && w.had_old ? &w.old : NULL, &x);
    return request_done(&r, 0);
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
    struct item_request r;
    if (request_begin(rc, DDB_ITEM_UPDATE, &r) != 0)
        return -1;
    const struct ddb_key_schema *ks = &r.t->def.key;
    ddb_slice keys[2] = {ks->hash_name, ks->range_name};
    if (r.in.update != NULL && ddb_expr_update_check_keys(r.in.update, keys, ks->has_range ? 2 : 1,
                                                          rc->arena, &rc->err) != 0)
        return request_done(&r, -1);
    struct ddb_item_write w;
    struct write_extra x;
    if (request_write(rc, &r, ddb_item_write_update, &w, &x) != 0)
        return request_done(&r, -1);
    struct ddb_item shown;
    const struct ddb_item *answer = NULL;
    switch (r.in.return_values) {
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
            project_updated(rc->arena, r.in.update, false, &w.old, &shown);
            answer = &shown;
        }
        break;
    case DDB_RV_UPDATED_NEW:
        project_updated(rc->arena, r.in.update, true, &w.new_item, &shown);
        answer = &shown;
        break;
    }
    request_answer_write(rc, &r, &w, w.no_write ? NULL : &w.new_item, answer, &x);
    return request_done(&r, 0);
}

/* ---- GetItem ---- */

int ddb_op_get_item(struct ddb_reqctx *rc)
{
    struct item_request r;
    if (request_begin(rc, DDB_ITEM_GET, &r) != 0)
        return -1;
    struct ddb_item item;
    bool found;
    if (ddb_items_get(rc->server->engine, r.t, rc->arena, r.pk, r.sk, &item, &found, &rc->err) !=
        0)
        return request_done(&r, -1);
    size_t read_size = found ? ddb_item_size(&item) : 0; /* before the projection */
    ddb_jw_object_begin(rc->w);
    if (found) {
        if (r.in.projection != NULL) {
            struct ddb_item projected;
            ddb_projection_apply(r.in.projection, &item, rc->arena, &projected);
            item = projected;
        }
        ddb_jw_key_cstr(rc->w, "Item");
        ddb_item_to_json(rc->w, &item);
    }
    ddb_capacity_member(rc->w, &r.cap, r.in.table,
                        ddb_capacity_item_read(read_size, r.in.consistent_read));
    ddb_jw_object_end(rc->w);
    return request_done(&r, 0);
}
