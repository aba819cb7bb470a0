/* op_item.c: PutItem, GetItem, DeleteItem, UpdateItem. */
#include "protocol/input_item.h"
#include "protocol/value_json.h"
#include "reqctx.h"
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

static void answer_attributes(struct ddb_reqctx *rc, const struct ddb_item *item)
{
    ddb_jw_object_begin(rc->w);
    if (item != NULL && item->count > 0) {
        ddb_jw_key_cstr(rc->w, "Attributes");
        ddb_item_to_json(rc->w, item);
    }
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
    struct write_ctx w = {.in = &in, .table = t};
    if (ddb_items_write(rc->server->engine, t, rc->arena, pk, sk, put_mutator, &w, &rc->err) != 0)
        goto out;
    answer_attributes(rc, in.return_values == DDB_RV_ALL_OLD && w.had_old ? &w.old : NULL);
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
    struct write_ctx w = {.in = &in, .table = t};
    if (ddb_items_write(rc->server->engine, t, rc->arena, pk, sk, delete_mutator, &w, &rc->err) !=
        0)
        goto out;
    answer_attributes(rc, in.return_values == DDB_RV_ALL_OLD && w.had_old ? &w.old : NULL);
    ret = 0;
out:
    ddb_table_unref(t);
    return ret;
}

/* ---- UpdateItem ---- */

/* Containers (M, L) on the deepest chain below v, counting stops past limit. */
static uint32_t nesting(const struct ddb_value *v, uint32_t limit)
{
    if (v->type != DDB_T_M && v->type != DDB_T_L)
        return 0;
    uint32_t best = 0;
    for (uint32_t i = 0; i < v->count && best < limit; i++) {
        const struct ddb_value *c = v->type == DDB_T_M ? &v->u.members[i].value : &v->u.elems[i];
        uint32_t d = nesting(c, limit - 1);
        best = d > best ? d : best;
    }
    return best + 1;
}

/* An updated item may nest at most 32 levels, the item itself being the
 * first (DynamoDB Local 3.3.1: M^31 holding N passes, M^31 holding {} not). */
static bool too_deep(const struct ddb_item *item)
{
    for (uint32_t i = 0; i < item->count; i++)
        if (nesting(&item->attrs[i].value, DDB_EXPR_MAX_PATH_DEPTH) > DDB_EXPR_MAX_PATH_DEPTH - 1)
            return true;
    return false;
}

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
    if (too_deep(new_item))
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                             "Nesting Levels have exceeded supported limits");
    if (ddb_item_size(new_item) > DDB_MAX_ITEM_SIZE)
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                             "Item size to update has exceeded the maximum allowed size");
    w->new_item = *new_item;
    *action = DDB_WRITE_PUT;
    return 0;
}

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
    struct write_ctx w = {.in = &in, .table = t};
    if (ddb_items_write(rc->server->engine, t, rc->arena, pk, sk, update_mutator, &w, &rc->err) !=
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
            project_updated(rc->arena, in.update, false, &w.old, &shown);
            answer = &shown;
        }
        break;
    case DDB_RV_UPDATED_NEW:
        project_updated(rc->arena, in.update, true, &w.new_item, &shown);
        answer = &shown;
        break;
    }
    answer_attributes(rc, answer);
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
