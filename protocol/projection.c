/*
 * projection.c: ProjectionExpression applied to an item (expr.h).
 *
 * The projected paths are gathered into a small tree (one node per map key
 * or list index reached), then the tree is turned into values: maps keep
 * their keys in first-mention order, lists keep the projected elements in
 * their original order, compacted (a.b[3] alone gives a one-element list),
 * as DynamoDB returns them.
 */
#include "expr_int.h"

struct pnode {
    const struct ddb_value *src;  /* the value at this point of the item */
    bool whole;                   /* a projected path ends here */
    ddb_slice name;               /* key in the parent map */
    uint32_t index;               /* index in the parent list */
    struct pnode *child, *next;   /* children, in insertion order */
    uint32_t nchild;
};

static struct pnode *child_of(struct ddb_arena *a, struct pnode *parent, const struct ddb_path_elem *e,
                              const struct ddb_value *src)
{
    struct pnode **link = &parent->child;
    for (struct pnode *c = parent->child; c != NULL; c = c->next) {
        if (e->is_index ? c->index == e->index : ddb_slice_eq(c->name, e->name))
            return c;
        link = &c->next;
    }
    struct pnode *c = ddb_arena_calloc(a, 1, sizeof(*c));
    c->src = src;
    c->name = e->name;
    c->index = e->index;
    *link = c;
    parent->nchild++;
    return c;
}

static void build(struct ddb_arena *a, const struct pnode *n, struct ddb_value *out)
{
    if (n->whole) {
        *out = *n->src;
        return;
    }
    out->type = n->src->type;
    out->count = n->nchild;
    if (out->type == DDB_T_M) {
        out->u.members = ddb_arena_calloc(a, n->nchild, sizeof(*out->u.members));
        uint32_t i = 0;
        for (const struct pnode *c = n->child; c != NULL; c = c->next, i++) {
            out->u.members[i].name = c->name;
            build(a, c, &out->u.members[i].value);
        }
        return;
    }
    /* a list: children by ascending index (insertion sort; few children) */
    const struct pnode **order = ddb_arena_calloc(a, n->nchild, sizeof(*order));
    uint32_t k = 0;
    for (const struct pnode *c = n->child; c != NULL; c = c->next) {
        uint32_t j = k++;
        while (j > 0 && order[j - 1]->index > c->index) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = c;
    }
    out->u.elems = ddb_arena_calloc(a, n->nchild, sizeof(*out->u.elems));
    for (uint32_t i = 0; i < n->nchild; i++)
        build(a, order[i], &out->u.elems[i]);
}

void ddb_projection_apply(const struct ddb_projection *p, const struct ddb_item *item,
                          struct ddb_arena *a, struct ddb_item *out)
{
    struct pnode root = {0};
    struct ddb_value item_map = {.type = DDB_T_M};
    if (item != NULL) {
        item_map.count = item->count;
        item_map.u.members = item->attrs;
    }
    root.src = &item_map;
    for (uint32_t i = 0; i < p->count; i++) {
        const struct ddb_path *path = &p->paths[i];
        if (ddb_path_get(item, path) == NULL)
            continue;
        struct pnode *n = &root;
        const struct ddb_value *v = &item_map;
        for (uint32_t d = 0; d < path->count; d++) {
            const struct ddb_path_elem *e = &path->elems[d];
            const struct ddb_value *next = NULL;
            if (e->is_index) {
                next = &v->u.elems[e->index];
            } else {
                for (uint32_t k = 0; k < v->count; k++)
                    if (ddb_slice_eq(v->u.members[k].name, e->name))
                        next = &v->u.members[k].value;
            }
            n = child_of(a, n, e, next);
            v = next;
        }
        n->whole = true;
    }
    struct ddb_value res;
    build(a, &root, &res);
    out->count = res.count;
    out->attrs = res.u.members;
}
