/*
 * expr_keycond.c: KeyConditionExpression: a condition (parsed by
 * expr_parse.c) checked against the key schema and turned into the hash-key
 * value plus at most one sort-key condition (expr.h). The checks run in the
 * order DynamoDB Local reports them (MESSAGES-expr.md, "Key conditions").
 */
#include "expr_int.h"

/* How DynamoDB names an operator a key condition cannot have. */
static const char *op_text(enum ddb_expr_op op)
{
    switch (op) {
    case DDB_OP_NE: return "<>";
    case DDB_OP_OR: return "OR";
    case DDB_OP_NOT: return "NOT";
    case DDB_OP_IN: return "IN";
    case DDB_OP_ATTRIBUTE_EXISTS: return "attribute_exists";
    case DDB_OP_ATTRIBUTE_NOT_EXISTS: return "attribute_not_exists";
    case DDB_OP_ATTRIBUTE_TYPE: return "attribute_type";
    case DDB_OP_CONTAINS: return "contains";
    case DDB_OP_SIZE: return "size";
    default: return NULL;
    }
}

/* Walks the AND tree in text order: the first operator a key condition
 * cannot have, else the leaves (collected when leaves is not NULL). */
static const char *key_walk(const struct ddb_expr_node *n, const struct ddb_expr_node **leaves,
                            uint32_t *count)
{
    switch (n->op) {
    case DDB_OP_AND: {
        const char *e = key_walk(n->args[0], leaves, count);
        return e ? e : key_walk(n->args[1], leaves, count);
    }
    case DDB_OP_EQ: case DDB_OP_LT: case DDB_OP_LE: case DDB_OP_GT: case DDB_OP_GE:
    case DDB_OP_BETWEEN: case DDB_OP_BEGINS_WITH:
        if (leaves)
            leaves[*count] = n;
        (*count)++;
        return NULL;
    default:
        return op_text(n->op) ? op_text(n->op) : "?";
    }
}

static const struct ddb_expr_node *leaf_path(const struct ddb_expr_node *c)
{
    for (uint32_t k = 0; k < c->nargs; k++)
        if (c->args[k]->op == DDB_OP_PATH)
            return c->args[k];
    return NULL;
}

/* AWS names the element missed: the hash key when no condition names it,
 * else the sort key. */
static int missed_key(const struct ddb_expr_node **leaves, uint32_t count,
                      const struct ddb_keycond_schema *ks, struct ddb_arena *a, struct ddb_error *err)
{
    ddb_slice name = ks->hash_name;
    for (uint32_t i = 0; i < count; i++) {
        const struct ddb_expr_node *path = leaf_path(leaves[i]);
        if (path != NULL && ddb_slice_eq(path->u.path.elems[0].name, ks->hash_name))
            name = ks->range_name;
    }
    return ddb_error_set(err, a, DDB_ERR_VALIDATION, "Query condition missed key schema element: %.*s",
                         (int)name.len, name.ptr);
}

int ddb_expr_parse_key_condition(struct ddb_expr_ctx *cx, ddb_slice text,
                                 const struct ddb_keycond_schema *ks, struct ddb_key_condition *out,
                                 struct ddb_error *err)
{
    struct ddb_expr_node *root;
    struct ddb_arena *a = cx->arena;
    if (ddb_expr_parse_condition(cx, DDB_EXPR_KEY_CONDITION, text, &root, err) != 0)
        return -1;
    uint32_t count = 0;
    const char *bad = key_walk(root, NULL, &count);
    if (bad)
        return ddb_error_set(err, a, DDB_ERR_VALIDATION, "Invalid operator used in KeyConditionExpression: %s", bad);
    const struct ddb_expr_node **leaves = ddb_arena_calloc(a, count, sizeof(*leaves));
    count = 0;
    (void)key_walk(root, leaves, &count);
    /* First every key path is a plain name; then, leaf by leaf in text
     * order: plain operands, exactly one attribute name (so every other
     * operand is a value: storage only ever gets values), one leaf per key. */
    for (uint32_t i = 0; i < count; i++) {
        const struct ddb_expr_node *c = leaves[i];
        for (uint32_t k = 0; k < c->nargs; k++) {
            const struct ddb_expr_node *path = c->args[k];
            if (path->op == DDB_OP_PATH && path->u.path.count > 1)
                return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                     "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: %.*s",
                                     (int)path->u.path.elems[0].name.len, path->u.path.elems[0].name.ptr);
        }
    }
    for (uint32_t i = 0; i < count; i++) {
        const struct ddb_expr_node *c = leaves[i];
        uint32_t paths = 0;
        for (uint32_t k = 0; k < c->nargs; k++) {
            if (c->args[k]->op != DDB_OP_PATH && c->args[k]->op != DDB_OP_VALUE)
                return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                     "KeyConditionExpressions cannot contain nested operations");
            paths += c->args[k]->op == DDB_OP_PATH;
        }
        if (paths == 0)
            return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                 "Invalid condition in KeyConditionExpression: No key attribute specified");
        if (paths > 1)
            return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                 "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
        const struct ddb_expr_node *x = leaf_path(c);
        for (uint32_t j = 0; j < i; j++)
            if (ddb_slice_eq(x->u.path.elems[0].name, leaf_path(leaves[j])->u.path.elems[0].name))
                return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                     "KeyConditionExpressions must only contain one condition per key");
    }
    if (count > 2)
        return ddb_error_set(err, a, DDB_ERR_VALIDATION, "Conditions can be of length 1 or 2 only");
    memset(out, 0, sizeof(*out));
    bool have_hash = false;
    for (uint32_t i = 0; i < count; i++) {
        const struct ddb_expr_node *c = leaves[i];
        const struct ddb_expr_node *path = leaf_path(c);
        if (ks->range_name.len == 0 && count > 1)
            return ddb_error_set(err, a, DDB_ERR_VALIDATION, "Query key condition not supported");
        ddb_slice name = path->u.path.elems[0].name;
        bool is_hash = ddb_slice_eq(name, ks->hash_name);
        bool is_range = !is_hash && ks->range_name.len > 0 && ddb_slice_eq(name, ks->range_name);
        if (!is_hash && !is_range)
            return missed_key(leaves, count, ks, a, err);
        enum ddb_type want = is_hash ? ks->hash_type : ks->range_type;
        for (uint32_t k = 0; k < c->nargs; k++)
            if (c->args[k]->op == DDB_OP_VALUE && c->args[k]->u.value->type != want)
                return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                     "One or more parameter values were invalid: Condition parameter type does not match schema type");
        if (is_hash) {
            have_hash = true;
            if (c->op != DDB_OP_EQ)
                return ddb_error_set(err, a, DDB_ERR_VALIDATION, "Query key condition not supported");
            out->hash_value = c->args[0]->op == DDB_OP_VALUE ? c->args[0]->u.value : c->args[1]->u.value;
            continue;
        }
        bool swapped = c->args[0]->op == DDB_OP_VALUE; /* :v < sk means sk > :v */
        if ((c->op == DDB_OP_BETWEEN || c->op == DDB_OP_BEGINS_WITH) && swapped)
            return ddb_error_set(err, a, DDB_ERR_VALIDATION, "Query key condition not supported");
        switch (c->op) {
        case DDB_OP_EQ: out->range_op = DDB_RANGE_EQ; break;
        case DDB_OP_LT: out->range_op = swapped ? DDB_RANGE_GT : DDB_RANGE_LT; break;
        case DDB_OP_LE: out->range_op = swapped ? DDB_RANGE_GE : DDB_RANGE_LE; break;
        case DDB_OP_GT: out->range_op = swapped ? DDB_RANGE_LT : DDB_RANGE_GT; break;
        case DDB_OP_GE: out->range_op = swapped ? DDB_RANGE_LE : DDB_RANGE_GE; break;
        case DDB_OP_BETWEEN: out->range_op = DDB_RANGE_BETWEEN; break;
        default: out->range_op = DDB_RANGE_BEGINS_WITH; break;
        }
        out->v1 = swapped ? c->args[0]->u.value : c->args[1]->u.value;
        if (c->op == DDB_OP_BETWEEN)
            out->v2 = c->args[2]->u.value;
    }
    if (!have_hash)
        return missed_key(leaves, count, ks, a, err);
    return 0;
}

