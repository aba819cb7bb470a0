/*
 * legacy.c: the pre-expression parameters into the expression AST (legacy.h).
 * Messages: protocol/MESSAGES-legacy.md (DynamoDB Local 3.3.1, measured).
 */
#include "legacy.h"

#include "input.h"
#include "value_json.h"

#define MSG_INVALID "One or more parameter values were invalid: "

/* ---- request-level rules ---------------------------------------------------- */

static bool has_member(const struct ddb_json *body, const char *key)
{
    const struct ddb_json *j = ddb_json_get(body, key);
    return j != NULL && j->type != DDB_JSON_NULL;
}

/* Appends the present members of names to buf as "{A, B}". */
static int list_present(struct ddb_buf *b, const struct ddb_json *body, const char *const *names,
                        size_t n)
{
    int count = 0;
    ddb_buf_putc(b, '{');
    for (size_t i = 0; i < n; i++) {
        if (names[i] == NULL || !has_member(body, names[i]))
            continue;
        if (count++)
            ddb_buf_puts(b, ", ");
        ddb_buf_puts(b, names[i]);
    }
    ddb_buf_putc(b, '}');
    return count;
}

int ddb_legacy_check_mixing(struct ddb_arena *a, const struct ddb_json *body,
                            enum ddb_legacy_op op, struct ddb_error *err)
{
    /* DynamoDB's order of the lists (test_legacy.py: test_mixing_*) */
    static const char *const legacy[][4] = {
        [DDB_LEGACY_PUT] = {"Expected", "ConditionalOperator"},
        [DDB_LEGACY_GET] = {"AttributesToGet"},
        [DDB_LEGACY_DELETE] = {"Expected", "ConditionalOperator"},
        [DDB_LEGACY_UPDATE] = {"AttributeUpdates", "Expected", "ConditionalOperator"},
        [DDB_LEGACY_QUERY] = {"AttributesToGet", "QueryFilter", "ConditionalOperator",
                              "KeyConditions"},
        [DDB_LEGACY_SCAN] = {"AttributesToGet", "ScanFilter", "ConditionalOperator"},
    };
    static const char *const expr[][3] = {
        [DDB_LEGACY_PUT] = {"ConditionExpression"},
        [DDB_LEGACY_GET] = {"ProjectionExpression"},
        [DDB_LEGACY_DELETE] = {"ConditionExpression"},
        [DDB_LEGACY_UPDATE] = {"UpdateExpression", "ConditionExpression"},
        [DDB_LEGACY_QUERY] = {"ProjectionExpression", "FilterExpression",
                              "KeyConditionExpression"},
        [DDB_LEGACY_SCAN] = {"ProjectionExpression", "FilterExpression"},
    };
    struct ddb_buf lb, eb;
    ddb_buf_init(&lb, a);
    ddb_buf_init(&eb, a);
    const char *const *l = legacy[op];
    int nl = 0;
    ddb_buf_putc(&lb, '{');
    for (size_t i = 0; i < 4; i++) {
        if (l[i] == NULL || !has_member(body, l[i]))
            continue;
        /* a Query's KeyConditions go with a FilterExpression or a
         * ProjectionExpression; only KeyConditionExpression excludes them */
        if (op == DDB_LEGACY_QUERY && i == 3 && !has_member(body, "KeyConditionExpression"))
            continue;
        if (nl++)
            ddb_buf_puts(&lb, ", ");
        ddb_buf_puts(&lb, l[i]);
    }
    ddb_buf_putc(&lb, '}');
    int ne = list_present(&eb, body, expr[op], 3);
    if (nl == 0 || ne == 0)
        return 0;
    return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                         "Can not use both expression and non-expression parameters in the same "
                         "request: Non-expression parameters: %.*s Expression parameters: %.*s",
                         (int)lb.len, lb.ptr, (int)eb.len, eb.ptr);
}

int ddb_legacy_conditional_operator(struct ddb_arena *a, const struct ddb_json *body,
                                    const struct ddb_json *map, bool *use_or,
                                    struct ddb_error *err)
{
    ddb_slice s;
    bool present;
    *use_or = false;
    if (ddb_in_string(a, body, "ConditionalOperator", &s, &present, err) != 0)
        return -1;
    if (!present)
        return 0;
    if (map == NULL || map->count == 0)
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                             "ConditionalOperator cannot be used without Filter or Expected");
    if (map->count < 2)
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                             "ConditionalOperator can only be used when Filter or Expected has two "
                             "or more elements");
    if (ddb_slice_eq_cstr(s, "OR")) {
        *use_or = true;
        return 0;
    }
    if (ddb_slice_eq_cstr(s, "AND"))
        return 0;
    /* DynamoDB Local answers InternalFailure here; this is AWS's enum
     * constraint wording (test_legacy.py: test_conditional_operator_invalid) */
    struct ddb_vlist v;
    ddb_vlist_init(&v, a);
    ddb_vlist_add(&v, ddb_vlist_quote(a, s), "conditionalOperator",
                  "Member must satisfy enum value set: [AND, OR]");
    return ddb_vlist_finish(&v, err);
}

/* ---- AST building ---------------------------------------------------------------- */

static struct ddb_expr_node *node(struct ddb_arena *a, enum ddb_expr_op op, uint32_t nargs)
{
    struct ddb_expr_node *n = ddb_arena_calloc(a, 1, sizeof *n);
    n->op = op;
    n->nargs = nargs;
    if (nargs)
        n->args = ddb_arena_calloc(a, nargs, sizeof *n->args);
    return n;
}

static struct ddb_path name_path(struct ddb_arena *a, ddb_slice name)
{
    struct ddb_path p = {.count = 1, .elems = ddb_arena_calloc(a, 1, sizeof(struct ddb_path_elem))};
    p.elems[0].name = name;
    return p;
}

static struct ddb_expr_node *path_node(struct ddb_arena *a, ddb_slice name)
{
    struct ddb_expr_node *n = node(a, DDB_OP_PATH, 0);
    n->u.path = name_path(a, name);
    return n;
}

static struct ddb_expr_node *value_node(struct ddb_arena *a, const struct ddb_value *v)
{
    struct ddb_expr_node *n = node(a, DDB_OP_VALUE, 0);
    n->u.value = v;
    return n;
}

static struct ddb_expr_node *binary(struct ddb_arena *a, enum ddb_expr_op op,
                                    struct ddb_expr_node *x, struct ddb_expr_node *y)
{
    struct ddb_expr_node *n = node(a, op, 2);
    n->args[0] = x;
    n->args[1] = y;
    return n;
}

/* ---- one condition ----------------------------------------------------------- */

enum cmp_op {
    C_EQ, C_NE, C_LE, C_LT, C_GE, C_GT, C_NOT_NULL, C_NULL, C_CONTAINS, C_NOT_CONTAINS,
    C_BEGINS_WITH, C_IN, C_BETWEEN,
};

static const char *const cmp_names[] = {
    "EQ", "NE", "LE", "LT", "GE", "GT", "NOT_NULL", "NULL", "CONTAINS", "NOT_CONTAINS",
    "BEGINS_WITH", "IN", "BETWEEN",
};

static int parse_cmp(ddb_slice s, enum cmp_op *out)
{
    for (size_t i = 0; i < DDB_ARRAY_LEN(cmp_names); i++)
        if (ddb_slice_eq_cstr(s, cmp_names[i])) {
            *out = (enum cmp_op)i;
            return 0;
        }
    return -1;
}

static bool is_ordered(enum ddb_type t)
{
    return t == DDB_T_N || t == DDB_T_S || t == DDB_T_B;
}

static bool type_ok(enum cmp_op op, enum ddb_type t)
{
    switch (op) {
    case C_EQ:
    case C_NE:
        return true;
    case C_CONTAINS:
    case C_NOT_CONTAINS:
        return is_ordered(t) || t == DDB_T_BOOL || t == DDB_T_NULL;
    case C_BEGINS_WITH:
        return t == DDB_T_S || t == DDB_T_B;
    default:
        return is_ordered(t);
    }
}

static bool count_ok(enum cmp_op op, uint32_t n)
{
    switch (op) {
    case C_NULL:
    case C_NOT_NULL:
        return n == 0;
    case C_IN:
        return n >= 1;
    case C_BETWEEN:
        return n == 2;
    default:
        return n == 1;
    }
}

static int value_cmp(const struct ddb_value *x, const struct ddb_value *y)
{
    if (x->type == DDB_T_N)
        return ddb_decimal_cmp(&x->u.num, &y->u.num);
    return ddb_slice_cmp(x->u.str, y->u.str);
}

/* A parsed condition before translation. */
struct cond {
    ddb_slice name;
    enum cmp_op op;
    uint32_t nargs;
    struct ddb_value *args;
};

static int read_value(struct ddb_arena *a, const struct ddb_json *j, struct ddb_value *out,
                      struct ddb_error *err)
{
    if (ddb_in_expect(a, j, DDB_JSON_OBJECT, "AttributeValue", err) != 0)
        return -1;
    return ddb_value_from_json(a, j, out, err);
}

/* The operator and its arguments: count, per-operator types, one type for
 * all arguments, BETWEEN bounds (DynamoDB's order). */
static int check_args(struct ddb_arena *a, const struct cond *c, struct ddb_error *err)
{
    if (!count_ok(c->op, c->nargs))
        return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                             MSG_INVALID "Invalid number of argument(s) for the %s ComparisonOperator",
                             cmp_names[c->op]);
    for (uint32_t i = 0; i < c->nargs; i++)
        if (!type_ok(c->op, c->args[i].type))
            return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                 MSG_INVALID "ComparisonOperator %s is not valid for %s "
                                             "AttributeValue type",
                                 cmp_names[c->op], ddb_type_name(c->args[i].type));
    for (uint32_t i = 1; i < c->nargs; i++)
        if (c->args[i].type != c->args[0].type)
            return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                                 MSG_INVALID "AttributeValues inside AttributeValueList must be of "
                                             "same type");
    if (c->op == C_BETWEEN && value_cmp(&c->args[0], &c->args[1]) > 0)
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                             "The BETWEEN condition was provided a range where the lower bound is "
                             "greater than the upper bound");
    return 0;
}

static int read_value_list(struct ddb_arena *a, const struct ddb_json *avl, struct cond *c,
                           struct ddb_error *err)
{
    c->nargs = avl->count;
    c->args = ddb_arena_calloc(a, c->nargs ? c->nargs : 1, sizeof *c->args);
    for (uint32_t i = 0; i < avl->count; i++)
        if (read_value(a, &avl->u.items[i], &c->args[i], err) != 0)
            return -1;
    return 0;
}

static int bad_op(struct ddb_error *err)
{
    return ddb_error_set(err, NULL, DDB_ERR_VALIDATION, "Comparison type does not exist in DynamoDB");
}

/*
 * One entry {ComparisonOperator, AttributeValueList} (with_legacy_forms:
 * also Exists and Value) into *c. Sets *not_exists for {Exists: false}.
 */
static int read_cond(struct ddb_arena *a, const struct ddb_json_member *m, bool with_legacy_forms,
                     struct cond *c, bool *not_exists, struct ddb_error *err)
{
    const struct ddb_json *e = &m->value;
    memset(c, 0, sizeof *c);
    c->name = m->key;
    *not_exists = false;
    if (ddb_in_expect(a, e, DDB_JSON_OBJECT, "ExpectedAttributeValue", err) != 0)
        return -1;
    ddb_slice ops;
    bool has_op, has_exists, exists = true;
    const struct ddb_json *avl, *value;
    if (ddb_in_string(a, e, "ComparisonOperator", &ops, &has_op, err) != 0 ||
        ddb_in_array(a, e, "AttributeValueList", &avl, err) != 0 ||
        ddb_in_object(a, e, "Value", &value, err) != 0 ||
        ddb_in_bool(a, e, "Exists", &exists, &has_exists, err) != 0)
        return -1;
    if (!with_legacy_forms) {
        /* a filter entry without an operator, whatever else it holds */
        if (!has_op || parse_cmp(ops, &c->op) != 0)
            return bad_op(err);
        if (avl != NULL && read_value_list(a, avl, c, err) != 0)
            return -1;
        return check_args(a, c, err);
    }
    int nl = (int)m->key.len;
    const char *n = m->key.ptr;
    if (has_op) {
        if (has_exists)
            return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                 MSG_INVALID "Exists and ComparisonOperator cannot be used "
                                             "together for Attribute: %.*s",
                                 nl, n);
        if (value != NULL && avl != NULL)
            return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                 MSG_INVALID "Value and AttributeValueList cannot be used together "
                                             "for Attribute: %.*s",
                                 nl, n);
        /* checked on the operator's text, before it is known to exist */
        if (value == NULL && avl == NULL && !ddb_slice_eq_cstr(ops, "NULL") &&
            !ddb_slice_eq_cstr(ops, "NOT_NULL"))
            return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                 MSG_INVALID "Value or AttributeValueList must be used with "
                                             "ComparisonOperator: %.*s for Attribute: %.*s",
                                 (int)ops.len, ops.ptr, nl, n);
        if (parse_cmp(ops, &c->op) != 0)
            return bad_op(err);
        if (avl != NULL && read_value_list(a, avl, c, err) != 0)
            return -1;
        if (value != NULL) {
            c->nargs = 1;
            c->args = ddb_arena_calloc(a, 1, sizeof *c->args);
            if (read_value(a, value, &c->args[0], err) != 0)
                return -1;
        }
        return check_args(a, c, err);
    }
    if (avl != NULL)
        return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                             MSG_INVALID "AttributeValueList can only be used with a "
                                         "ComparisonOperator for Attribute: %.*s",
                             nl, n);
    if (has_exists && !exists) {
        if (value != NULL)
            return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                 MSG_INVALID "Value cannot be used when Exists is false for "
                                             "Attribute: %.*s",
                                 nl, n);
        *not_exists = true;
        return 0;
    }
    if (value == NULL)
        return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                             MSG_INVALID "Value must be provided when Exists is %s for "
                                         "Attribute: %.*s",
                             has_exists ? "true" : "null", nl, n);
    c->op = C_EQ;
    c->nargs = 1;
    c->args = ddb_arena_calloc(a, 1, sizeof *c->args);
    return read_value(a, value, &c->args[0], err);
}

static struct ddb_expr_node *translate(struct ddb_arena *a, const struct cond *c)
{
    static const enum ddb_expr_op simple[] = {
        [C_EQ] = DDB_OP_EQ, [C_NE] = DDB_OP_NE, [C_LE] = DDB_OP_LE, [C_LT] = DDB_OP_LT,
        [C_GE] = DDB_OP_GE, [C_GT] = DDB_OP_GT, [C_CONTAINS] = DDB_OP_CONTAINS,
        [C_BEGINS_WITH] = DDB_OP_BEGINS_WITH,
    };
    struct ddb_expr_node *n;
    switch (c->op) {
    case C_NULL:
    case C_NOT_NULL:
        n = node(a, c->op == C_NULL ? DDB_OP_ATTRIBUTE_NOT_EXISTS : DDB_OP_ATTRIBUTE_EXISTS, 1);
        n->args[0] = path_node(a, c->name);
        return n;
    case C_NOT_CONTAINS: {
        /* absent attribute: false (DynamoDB's legacy rule), hence the
         * attribute_exists in front of NOT contains */
        struct ddb_expr_node *ex = node(a, DDB_OP_ATTRIBUTE_EXISTS, 1);
        ex->args[0] = path_node(a, c->name);
        struct ddb_expr_node *no = node(a, DDB_OP_NOT, 1);
        no->args[0] = binary(a, DDB_OP_CONTAINS, path_node(a, c->name), value_node(a, &c->args[0]));
        return binary(a, DDB_OP_AND, ex, no);
    }
    case C_IN:
    case C_BETWEEN:
        n = node(a, c->op == C_IN ? DDB_OP_IN : DDB_OP_BETWEEN, c->nargs + 1);
        n->args[0] = path_node(a, c->name);
        for (uint32_t i = 0; i < c->nargs; i++)
            n->args[i + 1] = value_node(a, &c->args[i]);
        return n;
    default:
        return binary(a, simple[c->op], path_node(a, c->name), value_node(a, &c->args[0]));
    }
}

int ddb_legacy_conditions(struct ddb_arena *a, enum ddb_legacy_cond_kind kind,
                          const struct ddb_json *map, bool use_or, struct ddb_expr_node **out,
                          struct ddb_error *err)
{
    *out = NULL;
    if (map == NULL || map->count == 0)
        return 0;
    struct ddb_expr_node *all = NULL;
    for (uint32_t i = 0; i < map->count; i++) {
        struct cond c;
        bool not_exists;
        if (read_cond(a, &map->u.members[i], kind == DDB_LEGACY_EXPECTED, &c, &not_exists, err) !=
            0)
            return -1;
        struct ddb_expr_node *one;
        if (not_exists) {
            one = node(a, DDB_OP_ATTRIBUTE_NOT_EXISTS, 1);
            one->args[0] = path_node(a, c.name);
        } else {
            one = translate(a, &c);
        }
        all = all == NULL ? one : binary(a, use_or ? DDB_OP_OR : DDB_OP_AND, all, one);
    }
    *out = all;
    return 0;
}

/* ---- AttributesToGet ----------------------------------------------------------- */

int ddb_legacy_attributes_to_get(struct ddb_arena *a, const struct ddb_json *list,
                                 struct ddb_projection **out, struct ddb_error *err)
{
    *out = NULL;
    if (list == NULL || list->count == 0)
        return 0;
    struct ddb_projection *p = ddb_arena_calloc(a, 1, sizeof *p);
    p->paths = ddb_arena_calloc(a, list->count, sizeof *p->paths);
    for (uint32_t i = 0; i < list->count; i++) {
        const struct ddb_json *j = &list->u.items[i];
        if (ddb_in_expect(a, j, DDB_JSON_STRING, "String", err) != 0)
            return -1;
        if (j->u.str.len == 0)
            return ddb_error_set(err, NULL, DDB_ERR_VALIDATION, "Empty attribute name");
        for (uint32_t k = 0; k < p->count; k++)
            if (ddb_slice_eq(p->paths[k].elems[0].name, j->u.str))
                return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                                     "Cannot have two attributes with the same name");
        p->paths[p->count++] = name_path(a, j->u.str);
    }
    *out = p;
    return 0;
}

/* ---- AttributeUpdates -------------------------------------------------------------- */

/* DynamoDB's Java names of the types in the AttributeUpdates messages. */
static const char *java_type_name(enum ddb_type t)
{
    static const char *const names[] = {
        [DDB_T_S] = "STRING", [DDB_T_N] = "NUMBER", [DDB_T_B] = "BINARY",
        [DDB_T_SS] = "STRING_SET", [DDB_T_NS] = "NUMBER_SET", [DDB_T_BS] = "BINARY_SET",
        [DDB_T_M] = "MAP", [DDB_T_L] = "LIST", [DDB_T_NULL] = "NULL", [DDB_T_BOOL] = "BOOLEAN",
    };
    return (unsigned)t < DDB_ARRAY_LEN(names) && names[t] ? names[t] : "UNKNOWN";
}

static bool is_set(enum ddb_type t)
{
    return t == DDB_T_SS || t == DDB_T_NS || t == DDB_T_BS;
}

int ddb_legacy_attribute_updates(struct ddb_arena *a, const struct ddb_json *map,
                                 struct ddb_update **out, struct ddb_error *err)
{
    *out = NULL;
    if (map == NULL)
        return 0;
    struct ddb_update *u = ddb_arena_calloc(a, 1, sizeof *u);
    u->clauses = ddb_arena_calloc(a, map->count ? map->count : 1, sizeof *u->clauses);
    for (uint32_t i = 0; i < map->count; i++) {
        const struct ddb_json_member *m = &map->u.members[i];
        if (ddb_in_expect(a, &m->value, DDB_JSON_OBJECT, "AttributeValueUpdate", err) != 0)
            return -1;
        ddb_slice action = DDB_SLICE_LIT("PUT");
        bool present;
        const struct ddb_json *vj;
        if (ddb_in_string(a, &m->value, "Action", &action, &present, err) != 0 ||
            ddb_in_object(a, &m->value, "Value", &vj, err) != 0)
            return -1;
        if (!present)
            action = DDB_SLICE_LIT("PUT");
        enum ddb_update_action act;
        if (ddb_slice_eq_cstr(action, "PUT"))
            act = DDB_UPD_SET;
        else if (ddb_slice_eq_cstr(action, "ADD"))
            act = DDB_UPD_ADD;
        else if (ddb_slice_eq_cstr(action, "DELETE"))
            act = DDB_UPD_DELETE;
        else
            return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                                 "Member must satisfy enum value set: [ADD, DELETE, PUT]");
        struct ddb_value *v = NULL;
        if (vj != NULL) {
            v = ddb_arena_calloc(a, 1, sizeof *v);
            if (ddb_value_from_json(a, vj, v, err) != 0)
                return -1;
        }
        struct ddb_update_clause *c = &u->clauses[u->count++];
        c->path = name_path(a, m->key);
        c->action = act;
        if (v == NULL) {
            if (act != DDB_UPD_DELETE)
                return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                                     MSG_INVALID "Only DELETE action is allowed when no attribute "
                                                 "value is specified");
            c->action = DDB_UPD_REMOVE;
            continue;
        }
        if (act == DDB_UPD_DELETE && !is_set(v->type))
            return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                 MSG_INVALID "DELETE action with value is not supported for the "
                                             "type %s",
                                 java_type_name(v->type));
        if (act == DDB_UPD_ADD && v->type == DDB_T_L) {
            /* ADD appends to a list (creating it): list_append(if_not_exists(a, []), v) */
            struct ddb_value *empty = ddb_arena_calloc(a, 1, sizeof *empty);
            empty->type = DDB_T_L;
            struct ddb_expr_node *ine =
                binary(a, DDB_OP_IF_NOT_EXISTS, path_node(a, m->key), value_node(a, empty));
            c->action = DDB_UPD_SET;
            c->value = binary(a, DDB_OP_LIST_APPEND, ine, value_node(a, v));
            continue;
        }
        if (act == DDB_UPD_ADD && v->type != DDB_T_N && !is_set(v->type))
            return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                 MSG_INVALID "ADD action is not supported for the type %s",
                                 java_type_name(v->type));
        c->value = value_node(a, v);
    }
    *out = u;
    return 0;
}

int ddb_legacy_update_check_types(const struct ddb_update *u, const struct ddb_item *old,
                                  struct ddb_error *err)
{
    if (u == NULL)
        return 0;
    for (uint32_t i = 0; i < u->count; i++) {
        const struct ddb_update_clause *c = &u->clauses[i];
        const struct ddb_value *want;
        if ((c->action == DDB_UPD_ADD || c->action == DDB_UPD_DELETE) && c->value != NULL &&
            c->value->op == DDB_OP_VALUE)
            want = c->value->u.value;
        else if (c->action == DDB_UPD_SET && c->value != NULL &&
                 c->value->op == DDB_OP_LIST_APPEND)
            want = c->value->args[1]->u.value; /* legacy ADD of a list */
        else
            continue;
        const struct ddb_value *cur = ddb_path_get(old, &c->path);
        if (cur != NULL && cur->type != want->type)
            return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                                 "Type mismatch for attribute to update");
        /* legacy ADD words the 38-digit limit its own way */
        struct ddb_decimal sum;
        if (cur != NULL && cur->type == DDB_T_N && c->action == DDB_UPD_ADD &&
            ddb_decimal_add(&cur->u.num, &want->u.num, &sum) == DDB_DEC_PRECISION)
            return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                                 "DynamoDB only supports precision up to 38 digits");
    }
    return 0;
}

/* ---- KeyConditions --------------------------------------------------------------- */

static int key_type_mismatch(struct ddb_error *err)
{
    return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                         MSG_INVALID "Condition parameter type does not match schema type");
}

int ddb_legacy_key_conditions(struct ddb_arena *a, const struct ddb_json *map,
                              const struct ddb_key_schema *ks, struct ddb_key_condition *out,
                              struct ddb_error *err)
{
    memset(out, 0, sizeof *out);
    if (map->count == 0)
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION, "Conditions must be at least length 1");
    if (map->count > 2)
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                             "Conditions can be of length 1 or 2 only");
    /* 1. every condition on its own */
    struct cond cs[2];
    for (uint32_t i = 0; i < map->count; i++) {
        bool not_exists;
        if (read_cond(a, &map->u.members[i], false, &cs[i], &not_exists, err) != 0)
            return -1;
    }
    /* 2. against the key schema */
    const struct cond *h = NULL, *r = NULL;
    bool other = false;
    for (uint32_t i = 0; i < map->count; i++) {
        if (ddb_slice_eq(cs[i].name, ks->hash_name))
            h = &cs[i];
        else if (ks->has_range && ddb_slice_eq(cs[i].name, ks->range_name))
            r = &cs[i];
        else
            other = true;
    }
    if (h == NULL || other) { /* AWS names the hash key if missed, else the sort key */
        ddb_slice missed = h == NULL ? ks->hash_name : ks->range_name;
        return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                             "Query condition missed key schema element: %.*s",
                             (int)missed.len, missed.ptr);
    }
    if (h->op == C_NULL || h->op == C_NOT_NULL)
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                             "Only scalar types can be used as Hash Key values");
    if (h->op != C_EQ)
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION, "Query key condition not supported");
    if (h->args[0].type != ks->hash_type)
        return key_type_mismatch(err);
    if (h->args[0].type != DDB_T_N && h->args[0].u.str.len == 0)
        return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                             "One or more parameter values are not valid. The AttributeValue for a "
                             "key attribute cannot contain an empty %s value. Key: %.*s",
                             h->args[0].type == DDB_T_S ? "string" : "binary",
                             (int)ks->hash_name.len, ks->hash_name.ptr);
    out->hash_value = &h->args[0];
    out->range_op = DDB_RANGE_NONE;
    if (r == NULL)
        return 0;
    switch (r->op) {
    case C_NULL:
    case C_NOT_NULL:
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                             "Only scalar types can be used as Range Key values");
    case C_EQ: out->range_op = DDB_RANGE_EQ; break;
    case C_LT: out->range_op = DDB_RANGE_LT; break;
    case C_LE: out->range_op = DDB_RANGE_LE; break;
    case C_GT: out->range_op = DDB_RANGE_GT; break;
    case C_GE: out->range_op = DDB_RANGE_GE; break;
    case C_BETWEEN: out->range_op = DDB_RANGE_BETWEEN; break;
    case C_BEGINS_WITH: out->range_op = DDB_RANGE_BEGINS_WITH; break;
    default:
        /* NE: DynamoDB Local fails with InternalFailure; IN, CONTAINS and
         * NOT_CONTAINS answer this */
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                             "Attempted conditional constraint is not an indexable operation");
    }
    for (uint32_t i = 0; i < r->nargs; i++)
        if (r->args[i].type != ks->range_type)
            return key_type_mismatch(err);
    out->v1 = &r->args[0];
    out->v2 = r->nargs > 1 ? &r->args[1] : NULL;
    return 0;
}

/* ---- glue ------------------------------------------------------------------------ */

int ddb_legacy_item_input(struct ddb_arena *a, enum ddb_item_op op, const struct ddb_json *body,
                          struct ddb_item_input *out, struct ddb_error *err)
{
    if (op == DDB_ITEM_GET) {
        const struct ddb_json *atg;
        if (ddb_in_array(a, body, "AttributesToGet", &atg, err) != 0)
            return -1;
        if (atg == NULL)
            return 0;
        return ddb_legacy_attributes_to_get(a, atg, &out->projection, err);
    }
    const struct ddb_json *expected, *updates = NULL;
    if (ddb_in_object(a, body, "Expected", &expected, err) != 0)
        return -1;
    if (op == DDB_ITEM_UPDATE && ddb_in_object(a, body, "AttributeUpdates", &updates, err) != 0)
        return -1;
    if (updates != NULL) {
        if (ddb_legacy_attribute_updates(a, updates, &out->update, err) != 0)
            return -1;
        out->legacy_update = true;
    }
    bool use_or;
    if (ddb_legacy_conditional_operator(a, body, expected, &use_or, err) != 0)
        return -1;
    if (expected == NULL)
        return 0;
    return ddb_legacy_conditions(a, DDB_LEGACY_EXPECTED, expected, use_or, &out->condition, err);
}

int ddb_legacy_read_input(struct ddb_arena *a, const struct ddb_json *body, bool is_query,
                          const struct ddb_key_schema *ks, const struct ddb_expr_node **filter,
                          const struct ddb_projection **projection, struct ddb_key_condition *kc,
                          bool *has_kc, struct ddb_error *err)
{
    const struct ddb_json *kcs = NULL, *fmap, *atg;
    *has_kc = false;
    if (is_query && ddb_in_object(a, body, "KeyConditions", &kcs, err) != 0)
        return -1;
    if (ddb_in_object(a, body, is_query ? "QueryFilter" : "ScanFilter", &fmap, err) != 0 ||
        ddb_in_array(a, body, "AttributesToGet", &atg, err) != 0)
        return -1;
    if (kcs != NULL) {
        if (ddb_legacy_key_conditions(a, kcs, ks, kc, err) != 0)
            return -1;
        *has_kc = true;
    }
    bool use_or;
    if (ddb_legacy_conditional_operator(a, body, fmap, &use_or, err) != 0)
        return -1;
    if (fmap != NULL) {
        struct ddb_expr_node *f;
        if (ddb_legacy_conditions(a, is_query ? DDB_LEGACY_QUERY_FILTER : DDB_LEGACY_SCAN_FILTER,
                                  fmap, use_or, &f, err) != 0)
            return -1;
        /* QueryFilter: only non-key attributes, checked after every entry */
        for (uint32_t i = 0; is_query && i < fmap->count; i++) {
            ddb_slice n = fmap->u.members[i].key;
            if (ddb_slice_eq(n, ks->hash_name) || (ks->has_range && ddb_slice_eq(n, ks->range_name)))
                return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                     "QueryFilter can only contain non-primary key attributes: "
                                     "Primary key attribute: %.*s",
                                     (int)n.len, n.ptr);
        }
        if (f != NULL)
            *filter = f;
    }
    if (atg != NULL) {
        ddb_slice sel;
        bool present;
        if (ddb_in_string(a, body, "Select", &sel, &present, err) != 0)
            return -1;
        if (present && ddb_slice_eq_cstr(sel, "ALL_ATTRIBUTES"))
            return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                                 "Cannot specify the AttributesToGet when choosing to get "
                                 "ALL_ATTRIBUTES");
        if (present && ddb_slice_eq_cstr(sel, "COUNT"))
            return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                                 "Cannot specify the AttributesToGet when choosing to get only the "
                                 "Count");
        struct ddb_projection *p;
        if (ddb_legacy_attributes_to_get(a, atg, &p, err) != 0)
            return -1;
        if (p != NULL)
            *projection = p;
    }
    return 0;
}
