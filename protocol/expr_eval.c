/*
 * expr_eval.c: document paths and condition evaluation with DynamoDB's type
 * rules (expr.h).
 */
#include "expr_int.h"
#include "buf.h"

/* ---- paths ------------------------------------------------------------------ */

static const struct ddb_value *map_get(const struct ddb_attr *m, uint32_t n, ddb_slice name)
{
    for (uint32_t i = 0; i < n; i++)
        if (ddb_slice_eq(m[i].name, name))
            return &m[i].value;
    return NULL;
}

const struct ddb_value *ddb_path_get(const struct ddb_item *item, const struct ddb_path *path)
{
    if (item == NULL || path->count == 0)
        return NULL;
    const struct ddb_value *v = map_get(item->attrs, item->count, path->elems[0].name);
    for (uint32_t i = 1; v != NULL && i < path->count; i++) {
        const struct ddb_path_elem *e = &path->elems[i];
        if (e->is_index)
            v = v->type == DDB_T_L && e->index < v->count ? &v->u.elems[e->index] : NULL;
        else
            v = v->type == DDB_T_M ? map_get(v->u.members, v->count, e->name) : NULL;
    }
    return v;
}

const char *ddb_path_format(struct ddb_arena *a, const struct ddb_path *p)
{
    struct ddb_buf b;
    ddb_buf_init(&b, a);
    ddb_buf_putc(&b, '[');
    for (uint32_t i = 0; i < p->count; i++) {
        if (i)
            ddb_buf_puts(&b, ", ");
        if (p->elems[i].is_index)
            ddb_buf_printf(&b, "[%u]", p->elems[i].index);
        else
            ddb_buf_append(&b, p->elems[i].name.ptr, p->elems[i].name.len);
    }
    ddb_buf_putc(&b, ']');
    return b.ptr;
}

bool ddb_path_overlap(const struct ddb_path *x, const struct ddb_path *y)
{
    uint32_t n = x->count < y->count ? x->count : y->count;
    for (uint32_t i = 0; i < n; i++) {
        const struct ddb_path_elem *a = &x->elems[i], *b = &y->elems[i];
        if (a->is_index != b->is_index)
            return false;
        if (a->is_index ? a->index != b->index : !ddb_slice_eq(a->name, b->name))
            return false;
    }
    return true;
}

/* ---- values -------------------------------------------------------------------- */

/* Equality is value.c's ddb_value_equal (DynamoDB's: sets regardless of
 * order, numbers numerically). */

int ddb_expr_order(const struct ddb_value *x, const struct ddb_value *y, bool *ok)
{
    *ok = false;
    if (x->type != y->type)
        return 0;
    switch (x->type) {
    case DDB_T_N: {
        *ok = true;
        int c = ddb_decimal_cmp(&x->u.num, &y->u.num);
        return (c > 0) - (c < 0);
    }
    case DDB_T_S:
    case DDB_T_B: {
        *ok = true;
        int c = ddb_slice_cmp(x->u.str, y->u.str);
        return (c > 0) - (c < 0);
    }
    default:
        return 0;
    }
}

const char *ddb_expr_value_text(struct ddb_arena *a, const struct ddb_value *v)
{
    static const char *const tn[] = {"S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"};
    switch (v->type) {
    case DDB_T_N: {
        char num[DDB_DECIMAL_TEXT_MAX];
        ddb_decimal_format(&v->u.num, num);
        return ddb_arena_printf(a, "AttributeValue: {N:%s}", num);
    }
    case DDB_T_S:
        return ddb_arena_printf(a, "AttributeValue: {S:%.*s}", (int)v->u.str.len, v->u.str.ptr);
    default:
        /* not ordered types never reach the BETWEEN messages; B is printed
         * by type only (DynamoDB Local prints a Java buffer object) */
        return ddb_arena_printf(a, "AttributeValue: {%s}", tn[v->type]);
    }
}

/* ---- evaluation ------------------------------------------------------------------ */

/* An operand's value, or NULL when it is missing. size() builds a number in
 * the arena. */
static const struct ddb_value *operand(const struct ddb_expr_node *n, const struct ddb_item *item,
                                       struct ddb_arena *a)
{
    switch (n->op) {
    case DDB_OP_PATH:
        return ddb_path_get(item, &n->u.path);
    case DDB_OP_VALUE:
        return n->u.value;
    case DDB_OP_SIZE: {
        const struct ddb_value *v = operand(n->args[0], item, a);
        if (v == NULL)
            return NULL;
        int64_t size;
        switch (v->type) {
        case DDB_T_S:
        case DDB_T_B:
            size = (int64_t)v->u.str.len;
            break;
        case DDB_T_SS:
        case DDB_T_NS:
        case DDB_T_BS:
        case DDB_T_L:
        case DDB_T_M:
            size = v->count;
            break;
        default:
            return NULL; /* size() of N, BOOL, NULL: the condition is false */
        }
        struct ddb_value *r = ddb_arena_calloc(a, 1, sizeof(*r));
        r->type = DDB_T_N;
        ddb_decimal_from_i64(size, &r->u.num);
        return r;
    }
    default:
        return NULL; /* rejected by the parser */
    }
}

static bool eq(const struct ddb_value *x, const struct ddb_value *y)
{
    return x != NULL && y != NULL && ddb_value_equal(x, y);
}

static bool contains(const struct ddb_value *hay, const struct ddb_value *needle)
{
    if (hay == NULL || needle == NULL)
        return false;
    switch (hay->type) {
    case DDB_T_S:
    case DDB_T_B:
        if (needle->type != hay->type)
            return false;
        if (needle->u.str.len == 0)
            return true;
        if (needle->u.str.len > hay->u.str.len)
            return false;
        return memmem(hay->u.str.ptr, hay->u.str.len, needle->u.str.ptr, needle->u.str.len) != NULL;
    case DDB_T_SS:
    case DDB_T_NS:
    case DDB_T_BS:
    case DDB_T_L:
        for (uint32_t i = 0; i < hay->count; i++)
            if (ddb_value_equal(&hay->u.elems[i], needle))
                return true;
        return false;
    default:
        return false;
    }
}

static bool eval(const struct ddb_expr_node *n, const struct ddb_item *item, struct ddb_arena *a)
{
    const struct ddb_value *x, *y, *z;
    bool ok;
    int c;
    switch (n->op) {
    case DDB_OP_AND:
        return eval(n->args[0], item, a) && eval(n->args[1], item, a);
    case DDB_OP_OR:
        return eval(n->args[0], item, a) || eval(n->args[1], item, a);
    case DDB_OP_NOT:
        return !eval(n->args[0], item, a);
    case DDB_OP_EQ:
        return eq(operand(n->args[0], item, a), operand(n->args[1], item, a));
    case DDB_OP_NE:
        /* a missing operand is "not equal" (MESSAGES-expr.md, eval) */
        x = operand(n->args[0], item, a);
        y = operand(n->args[1], item, a);
        return !(x != NULL && y != NULL && ddb_value_equal(x, y));
    case DDB_OP_LT:
    case DDB_OP_LE:
    case DDB_OP_GT:
    case DDB_OP_GE:
        x = operand(n->args[0], item, a);
        y = operand(n->args[1], item, a);
        if (x == NULL || y == NULL)
            return false;
        c = ddb_expr_order(x, y, &ok);
        if (!ok)
            return false;
        return n->op == DDB_OP_LT ? c < 0 : n->op == DDB_OP_LE ? c <= 0 : n->op == DDB_OP_GT ? c > 0 : c >= 0;
    case DDB_OP_BETWEEN: {
        x = operand(n->args[0], item, a);
        y = operand(n->args[1], item, a);
        z = operand(n->args[2], item, a);
        if (x == NULL || y == NULL || z == NULL)
            return false;
        bool ok2;
        int lo = ddb_expr_order(x, y, &ok), hi = ddb_expr_order(x, z, &ok2);
        return ok && ok2 && lo >= 0 && hi <= 0;
    }
    case DDB_OP_IN:
        x = operand(n->args[0], item, a);
        for (uint32_t i = 1; i < n->nargs; i++)
            if (eq(x, operand(n->args[i], item, a)))
                return true;
        return false;
    case DDB_OP_ATTRIBUTE_EXISTS:
        return ddb_path_get(item, &n->args[0]->u.path) != NULL;
    case DDB_OP_ATTRIBUTE_NOT_EXISTS:
        return ddb_path_get(item, &n->args[0]->u.path) == NULL;
    case DDB_OP_ATTRIBUTE_TYPE: {
        static const char *const tn[] = {"S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"};
        x = ddb_path_get(item, &n->args[0]->u.path);
        y = operand(n->args[1], item, a);
        return x != NULL && y != NULL && y->type == DDB_T_S && ddb_slice_eq_cstr(y->u.str, tn[x->type]);
    }
    case DDB_OP_BEGINS_WITH:
        x = operand(n->args[0], item, a);
        y = operand(n->args[1], item, a);
        if (x == NULL || y == NULL || x->type != y->type || (x->type != DDB_T_S && x->type != DDB_T_B))
            return false;
        return x->u.str.len >= y->u.str.len &&
               (y->u.str.len == 0 || memcmp(x->u.str.ptr, y->u.str.ptr, y->u.str.len) == 0);
    case DDB_OP_CONTAINS:
        return contains(operand(n->args[0], item, a), operand(n->args[1], item, a));
    default:
        return false; /* operands are not conditions; the parser refused them */
    }
}

int ddb_expr_eval_condition(const struct ddb_expr_node *cond, const struct ddb_item *item,
                            bool *result, struct ddb_arena *a, struct ddb_error *err)
{
    (void)err;
    *result = eval(cond, item, a);
    return 0;
}
