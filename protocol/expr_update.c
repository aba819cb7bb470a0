/*
 * expr_update.c: applying an UpdateExpression to an item image (expr.h).
 *
 * The new image is built copy-on-write: containers on a clause's path are
 * copied shallowly before they change, everything else is shared with the
 * old image. Every value is computed from the old image first (DynamoDB
 * evaluates all operands before it changes anything), then the clauses are
 * applied: SET, ADD and DELETE in text order, then REMOVE with higher list
 * indexes first, so that indexes always mean positions in the old list.
 */
#include "expr_int.h"

#include <stdlib.h>

#define MSG_MISSING "The provided expression refers to an attribute that does not exist in the item"
#define MSG_BAD_PATH "The document path provided in the update expression is invalid for update"
#define MSG_BAD_TYPE "An operand in the update expression has an incorrect data type"

int ddb_expr_update_check_keys(const struct ddb_update *u, const ddb_slice *key_names,
                               uint32_t n_keys, struct ddb_arena *a, struct ddb_error *err)
{
    for (uint32_t i = 0; i < u->count; i++)
        for (uint32_t k = 0; k < n_keys; k++)
            if (ddb_slice_eq(u->clauses[i].path.elems[0].name, key_names[k]))
                return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                     "One or more parameter values were invalid: Cannot update attribute %.*s. This attribute is part of the key",
                                     (int)key_names[k].len, key_names[k].ptr);
    return 0;
}

/* ---- operands ------------------------------------------------------------- */

static int number_status(enum ddb_decimal_status st, struct ddb_arena *a, struct ddb_error *err)
{
    switch (st) {
    case DDB_DEC_OK:
        return 0;
    case DDB_DEC_UNDERFLOW:
        return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                             "Number underflow. Attempting to store a number with magnitude smaller than supported range");
    case DDB_DEC_PRECISION:
        /* DynamoDB Local 3.3.1's words for a sum that needs more than 38
         * digits (a stored number's text says "Attempting to store ...") */
        return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                             "DynamoDB only supports precision up to 38 digits");
    default:
        return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                             "Number overflow. Attempting to store a number with magnitude larger than supported range");
    }
}

static int value_of(const struct ddb_expr_node *n, const struct ddb_item *old, struct ddb_arena *a,
                    const struct ddb_value **out, struct ddb_error *err)
{
    const struct ddb_value *x, *y;
    switch (n->op) {
    case DDB_OP_PATH:
        *out = ddb_path_get(old, &n->u.path);
        if (*out == NULL)
            return ddb_error_set(err, a, DDB_ERR_VALIDATION, MSG_MISSING);
        return 0;
    case DDB_OP_VALUE:
        *out = n->u.value;
        return 0;
    case DDB_OP_IF_NOT_EXISTS:
        *out = ddb_path_get(old, &n->args[0]->u.path);
        return *out ? 0 : value_of(n->args[1], old, a, out, err);
    case DDB_OP_LIST_APPEND: {
        if (value_of(n->args[0], old, a, &x, err) != 0 || value_of(n->args[1], old, a, &y, err) != 0)
            return -1;
        if (x->type != DDB_T_L || y->type != DDB_T_L)
            return ddb_error_set(err, a, DDB_ERR_VALIDATION, MSG_BAD_TYPE);
        struct ddb_value *r = ddb_arena_calloc(a, 1, sizeof(*r));
        r->type = DDB_T_L;
        r->count = x->count + y->count;
        r->u.elems = ddb_arena_calloc(a, r->count, sizeof(*r->u.elems));
        if (x->count)
            memcpy(r->u.elems, x->u.elems, x->count * sizeof(*r->u.elems));
        if (y->count)
            memcpy(r->u.elems + x->count, y->u.elems, y->count * sizeof(*r->u.elems));
        *out = r;
        return 0;
    }
    case DDB_OP_PLUS:
    case DDB_OP_MINUS: {
        if (value_of(n->args[0], old, a, &x, err) != 0 || value_of(n->args[1], old, a, &y, err) != 0)
            return -1;
        if (x->type != DDB_T_N || y->type != DDB_T_N)
            return ddb_error_set(err, a, DDB_ERR_VALIDATION, MSG_BAD_TYPE);
        struct ddb_value *r = ddb_arena_calloc(a, 1, sizeof(*r));
        r->type = DDB_T_N;
        enum ddb_decimal_status st = n->op == DDB_OP_PLUS
                                         ? ddb_decimal_add(&x->u.num, &y->u.num, &r->u.num)
                                         : ddb_decimal_sub(&x->u.num, &y->u.num, &r->u.num);
        if (number_status(st, a, err) != 0)
            return -1;
        *out = r;
        return 0;
    }
    default:
        /* the parser refuses every other function in updates */
        return ddb_error_set(err, a, DDB_ERR_VALIDATION, "Invalid UpdateExpression: unsupported operand");
    }
}

/* ---- sets ----------------------------------------------------------------- */

static bool set_has(const struct ddb_value *s, const struct ddb_value *e)
{
    for (uint32_t i = 0; i < s->count; i++)
        if (ddb_value_equal(&s->u.elems[i], e))
            return true;
    return false;
}

static struct ddb_value *set_union(struct ddb_arena *a, const struct ddb_value *x, const struct ddb_value *y)
{
    struct ddb_value *r = ddb_arena_calloc(a, 1, sizeof(*r));
    r->type = x->type;
    r->u.elems = ddb_arena_calloc(a, (size_t)x->count + y->count, sizeof(*r->u.elems));
    for (uint32_t i = 0; i < x->count; i++)
        r->u.elems[r->count++] = x->u.elems[i];
    for (uint32_t i = 0; i < y->count; i++)
        if (!set_has(x, &y->u.elems[i]))
            r->u.elems[r->count++] = y->u.elems[i];
    return r;
}

/* NULL when nothing is left (the attribute goes away). */
static struct ddb_value *set_minus(struct ddb_arena *a, const struct ddb_value *x, const struct ddb_value *y)
{
    struct ddb_value *r = ddb_arena_calloc(a, 1, sizeof(*r));
    r->type = x->type;
    r->u.elems = ddb_arena_calloc(a, x->count, sizeof(*r->u.elems));
    for (uint32_t i = 0; i < x->count; i++)
        if (!set_has(y, &x->u.elems[i]))
            r->u.elems[r->count++] = x->u.elems[i];
    return r->count ? r : NULL;
}

/* ---- copy-on-write edits ----------------------------------------------------- */

/* A shallow copy of a container's element array with room for one more. */
static void own(struct ddb_arena *a, struct ddb_value *v)
{
    if (v->type == DDB_T_M) {
        struct ddb_attr *m = ddb_arena_calloc(a, (size_t)v->count + 1, sizeof(*m));
        if (v->count)
            memcpy(m, v->u.members, v->count * sizeof(*m));
        v->u.members = m;
    } else {
        struct ddb_value *l = ddb_arena_calloc(a, (size_t)v->count + 1, sizeof(*l));
        if (v->count)
            memcpy(l, v->u.elems, v->count * sizeof(*l));
        v->u.elems = l;
    }
}

enum edit { ED_SET, ED_REMOVE };

/* Applies one edit at path[depth..] inside container c (owned by us). */
static int edit(struct ddb_arena *a, struct ddb_value *c, const struct ddb_path *path, uint32_t depth,
                enum edit how, const struct ddb_value *val, struct ddb_error *err)
{
    const struct ddb_path_elem *e = &path->elems[depth];
    bool last = depth + 1 == path->count;
    struct ddb_value *slot = NULL;
    uint32_t pos = 0;
    if (e->is_index) {
        if (c->type != DDB_T_L)
            return ddb_error_set(err, a, DDB_ERR_VALIDATION, MSG_BAD_PATH);
        pos = e->index;
        if (pos < c->count)
            slot = &c->u.elems[pos];
    } else {
        if (c->type != DDB_T_M)
            return ddb_error_set(err, a, DDB_ERR_VALIDATION, MSG_BAD_PATH);
        for (pos = 0; pos < c->count; pos++)
            if (ddb_slice_eq(c->u.members[pos].name, e->name)) {
                slot = &c->u.members[pos].value;
                break;
            }
    }
    if (!last) {
        if (slot == NULL || (slot->type != DDB_T_M && slot->type != DDB_T_L))
            return ddb_error_set(err, a, DDB_ERR_VALIDATION, MSG_BAD_PATH);
        own(a, slot);
        return edit(a, slot, path, depth + 1, how, val, err);
    }
    if (how == ED_SET) {
        if (slot != NULL) {
            *slot = *val;
        } else if (e->is_index) {
            c->u.elems[c->count++] = *val; /* past the end: appended */
        } else {
            c->u.members[c->count].name = e->name;
            c->u.members[c->count].value = *val;
            c->count++;
        }
        return 0;
    }
    if (slot == NULL)
        return 0; /* removing what is not there is a no-op */
    if (e->is_index)
        memmove(&c->u.elems[pos], &c->u.elems[pos + 1], (c->count - pos - 1) * sizeof(*c->u.elems));
    else
        memmove(&c->u.members[pos], &c->u.members[pos + 1], (c->count - pos - 1) * sizeof(*c->u.members));
    c->count--;
    return 0;
}

/* Whether the container that would hold path's last element exists and
 * is of the kind that element needs (a map for a name, a list for an index). */
static bool parent_ok(const struct ddb_item *old, const struct ddb_path *path)
{
    if (path->count < 2)
        return true;
    struct ddb_path parent = {.count = path->count - 1, .elems = path->elems};
    const struct ddb_value *p = ddb_path_get(old, &parent);
    if (p == NULL)
        return false;
    return path->elems[path->count - 1].is_index ? p->type == DDB_T_L : p->type == DDB_T_M;
}

/* REMOVE order: by path, list indexes descending. */
static int remove_cmp(const void *pa, const void *pb)
{
    const struct ddb_update_clause *x = *(const struct ddb_update_clause *const *)pa;
    const struct ddb_update_clause *y = *(const struct ddb_update_clause *const *)pb;
    uint32_t n = x->path.count < y->path.count ? x->path.count : y->path.count;
    for (uint32_t i = 0; i < n; i++) {
        const struct ddb_path_elem *a = &x->path.elems[i], *b = &y->path.elems[i];
        if (a->is_index && b->is_index && a->index != b->index)
            return a->index > b->index ? -1 : 1;
        if (!a->is_index && !b->is_index) {
            int c = ddb_slice_cmp(a->name, b->name);
            if (c)
                return c;
        }
        if (a->is_index != b->is_index)
            return a->is_index ? 1 : -1;
    }
    return (x->path.count > y->path.count) - (x->path.count < y->path.count);
}

/* One SET, ADD or DELETE clause applied to root, its operand nv (from the
 * old image) and the value cur at its path in the old image. */
static int apply_clause(struct ddb_arena *a, struct ddb_value *root, const struct ddb_item *old,
                        const struct ddb_update_clause *c, const struct ddb_value *nv,
                        struct ddb_error *err)
{
    const struct ddb_value *cur = ddb_path_get(old, &c->path);
    switch (c->action) {
    case DDB_UPD_REMOVE: /* applied after every other clause */
        return 0;
    case DDB_UPD_SET:
        break;
    case DDB_UPD_ADD:
        if (cur != NULL) {
            if (cur->type != nv->type)
                return ddb_error_set(err, a, DDB_ERR_VALIDATION, MSG_BAD_TYPE);
            if (cur->type == DDB_T_N) {
                struct ddb_value *r = ddb_arena_calloc(a, 1, sizeof(*r));
                r->type = DDB_T_N;
                if (number_status(ddb_decimal_add(&cur->u.num, &nv->u.num, &r->u.num), a, err) != 0)
                    return -1;
                nv = r;
            } else {
                nv = set_union(a, cur, nv);
            }
        }
        break;
    case DDB_UPD_DELETE:
        if (cur == NULL) {
            /* nothing to delete from; the path up to it must exist */
            if (!parent_ok(old, &c->path))
                return ddb_error_set(err, a, DDB_ERR_VALIDATION, MSG_BAD_PATH);
            return 0;
        }
        if (cur->type != nv->type)
            return ddb_error_set(err, a, DDB_ERR_VALIDATION, MSG_BAD_TYPE);
        nv = set_minus(a, cur, nv);
        if (nv == NULL)
            return edit(a, root, &c->path, 0, ED_REMOVE, NULL, err);
        break;
    }
    return edit(a, root, &c->path, 0, ED_SET, nv, err);
}

/* Whether the clause writes a list element (its path ends in an index). */
static bool writes_element(const struct ddb_update_clause *c)
{
    return c->action != DDB_UPD_REMOVE && c->path.elems[c->path.count - 1].is_index;
}

/* List-element writes by index, ascending (then text order). */
static int element_cmp(const void *pa, const void *pb)
{
    const struct ddb_update_clause *x = *(const struct ddb_update_clause *const *)pa;
    const struct ddb_update_clause *y = *(const struct ddb_update_clause *const *)pb;
    uint32_t i = x->path.elems[x->path.count - 1].index, j = y->path.elems[y->path.count - 1].index;
    if (i != j)
        return i < j ? -1 : 1;
    return (x > y) - (x < y);
}

bool ddb_expr_update_only_removes(const struct ddb_update *u)
{
    if (u == NULL || u->count == 0)
        return false;
    for (uint32_t i = 0; i < u->count; i++)
        if (u->clauses[i].action != DDB_UPD_REMOVE && u->clauses[i].action != DDB_UPD_DELETE)
            return false;
    return true;
}

int ddb_expr_update_apply(const struct ddb_update *u, const struct ddb_item *old,
                          const ddb_slice *key_names, uint32_t n_keys, struct ddb_arena *a,
                          struct ddb_item *out, struct ddb_error *err)
{
    if (ddb_expr_update_check_keys(u, key_names, n_keys, a, err) != 0)
        return -1;
    /* 1. every operand from the old image */
    const struct ddb_value **vals = ddb_arena_calloc(a, u->count, sizeof(*vals));
    for (uint32_t i = 0; i < u->count; i++) {
        const struct ddb_update_clause *c = &u->clauses[i];
        if (c->value != NULL && value_of(c->value, old, a, &vals[i], err) != 0)
            return -1;
    }
    /* 2. the root as a map we own, with room for every clause */
    struct ddb_value root = {.type = DDB_T_M};
    uint32_t old_count = old ? old->count : 0;
    root.u.members = ddb_arena_calloc(a, (size_t)old_count + u->count + 1, sizeof(struct ddb_attr));
    if (old_count)
        memcpy(root.u.members, old->attrs, old_count * sizeof(struct ddb_attr));
    root.count = old_count;
    /* 3. the clauses in text order, except that list elements are written
     * last, by ascending index: `SET a[84] = :x, a[37] = :y` past the end of
     * a short list appends :y, then :x, as DynamoDB does (paths never
     * overlap, so no other clause sees the difference); then the removes */
    const struct ddb_update_clause **later = ddb_arena_calloc(a, u->count, sizeof(*later));
    uint32_t n_later = 0;
    for (uint32_t i = 0; i < u->count; i++) {
        const struct ddb_update_clause *c = &u->clauses[i];
        if (c->action == DDB_UPD_REMOVE || writes_element(c))
            continue;
        if (apply_clause(a, &root, old, c, vals[i], err) != 0)
            return -1;
    }
    for (uint32_t i = 0; i < u->count; i++)
        if (writes_element(&u->clauses[i]))
            later[n_later++] = &u->clauses[i];
    qsort(later, n_later, sizeof(*later), element_cmp);
    for (uint32_t i = 0; i < n_later; i++)
        if (apply_clause(a, &root, old, later[i], vals[later[i] - u->clauses], err) != 0)
            return -1;
    n_later = 0;
    for (uint32_t i = 0; i < u->count; i++)
        if (u->clauses[i].action == DDB_UPD_REMOVE)
            later[n_later++] = &u->clauses[i];
    qsort(later, n_later, sizeof(*later), remove_cmp);
    for (uint32_t i = 0; i < n_later; i++)
        if (edit(a, &root, &later[i]->path, 0, ED_REMOVE, NULL, err) != 0)
            return -1;
    out->count = root.count;
    out->attrs = root.u.members;
    return 0;
}
