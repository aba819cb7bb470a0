#include "item_write.h"

#include "protocol/legacy.h"

#include "protocol/limits.h"
#include "storage/index.h"

const char ddb_item_write_update_too_large[] =
    "Item size to update has exceeded the maximum allowed size";

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

/* Records the old image and checks the condition: every mutator's start. */
static int begin(struct ddb_item_write *w, struct ddb_arena *a, const struct ddb_item *old,
                 struct ddb_error *err)
{
    w->had_old = old != NULL;
    if (old != NULL)
        w->old = *old;
    return check_condition(a, w->in, old, err);
}

int ddb_item_write_put(void *ctx, struct ddb_arena *a, const struct ddb_item *old,
                       enum ddb_write_action *action, struct ddb_item *new_item,
                       struct ddb_error *err)
{
    struct ddb_item_write *w = ctx;
    if (begin(w, a, old, err) != 0)
        return -1;
    *new_item = w->in->item;
    *action = DDB_WRITE_PUT;
    return 0;
}

int ddb_item_write_delete(void *ctx, struct ddb_arena *a, const struct ddb_item *old,
                          enum ddb_write_action *action, struct ddb_item *new_item,
                          struct ddb_error *err)
{
    (void)new_item;
    struct ddb_item_write *w = ctx;
    if (begin(w, a, old, err) != 0)
        return -1;
    *action = DDB_WRITE_DELETE;
    return 0;
}

int ddb_item_write_check(void *ctx, struct ddb_arena *a, const struct ddb_item *old,
                         enum ddb_write_action *action, struct ddb_item *new_item,
                         struct ddb_error *err)
{
    (void)new_item;
    struct ddb_item_write *w = ctx;
    if (begin(w, a, old, err) != 0)
        return -1;
    *action = DDB_WRITE_NOTHING;
    return 0;
}

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

int ddb_item_write_update(void *ctx, struct ddb_arena *a, const struct ddb_item *old,
                          enum ddb_write_action *action, struct ddb_item *new_item,
                          struct ddb_error *err)
{
    struct ddb_item_write *w = ctx;
    if (begin(w, a, old, err) != 0)
        return -1;
    const struct ddb_key_schema *ks = &w->table->def.key;
    ddb_slice keys[2] = {ks->hash_name, ks->range_name};
    struct ddb_item base;
    if (old != NULL) {
        base = *old;
    } else {
        base = w->in->key; /* a new item starts as its key */
    }
    /* AttributeUpdates ADD/DELETE against another type: the legacy wording */
    if (w->in->legacy_update && ddb_legacy_update_check_types(w->in->update, &base, err) != 0)
        return -1;
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
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION, ddb_item_write_update_too_large);
    if (old == NULL && ddb_expr_update_only_removes(w->in->update)) {
        /* taking away from nothing creates nothing (AWS; DynamoDB Local
         * creates the key-only item: protocol/MESSAGES-expr.md) */
        w->no_write = true;
        *new_item = (struct ddb_item){0};
        w->new_item = *new_item;
        *action = DDB_WRITE_NOTHING;
        return 0;
    }
    if (ddb_index_check_item(a, &w->table->def, new_item, true, err) != 0)
        return -1;
    w->new_item = *new_item;
    *action = DDB_WRITE_PUT;
    return 0;
}
