/* op_item.c: PutItem, GetItem, DeleteItem, UpdateItem. */
#include "item_write.h"
#include "protocol/input_item.h"
#include "protocol/value_json.h"
#include "capacity.h"
#include "reqctx.h"
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

static void answer_attributes(struct ddb_reqctx *rc, const struct ddb_item *item,
                              const struct ddb_capacity_req *cap, ddb_slice table, double units)
{
    ddb_jw_object_begin(rc->w);
    if (item != NULL && item->count > 0) {
        ddb_jw_key_cstr(rc->w, "Attributes");
        ddb_item_to_json(rc->w, item);
    }
    ddb_capacity_member(rc->w, cap, table, units);
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
    struct ddb_item_write w = {.in = &in, .table = t};
    if (ddb_items_write(rc->server->engine, t, rc->arena, pk, sk, ddb_item_write_put, &w, &rc->err) != 0)
        goto out;
    answer_attributes(rc, in.return_values == DDB_RV_ALL_OLD && w.had_old ? &w.old : NULL, &cap,
                      in.table, write_units(&w, &in.item));
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
    struct ddb_item_write w = {.in = &in, .table = t};
    if (ddb_items_write(rc->server->engine, t, rc->arena, pk, sk, ddb_item_write_delete, &w, &rc->err) !=
        0)
        goto out;
    answer_attributes(rc, in.return_values == DDB_RV_ALL_OLD && w.had_old ? &w.old : NULL, &cap,
                      in.table, write_units(&w, NULL));
    ret = 0;
out:
    ddb_table_unref(t);
    return ret;
}

/* ---- UpdateItem ---- */

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
    struct ddb_item_write w = {.in = &in, .table = t};
    if (ddb_items_write(rc->server->engine, t, rc->arena, pk, sk, ddb_item_write_update, &w, &rc->err) !=
        0)
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
    answer_attributes(rc, answer, &cap, in.table, write_units(&w, &w.new_item));
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
