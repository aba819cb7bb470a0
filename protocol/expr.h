/*
 * expr.h: DynamoDB expressions (condition, filter, key condition, update,
 * projection): lexing, parsing into an AST in the request arena, placeholder
 * resolution, DynamoDB's static checks, and evaluation.
 *
 * A request's life with expressions:
 *
 *   struct ddb_expr_ctx cx;
 *   ddb_expr_ctx_init(&cx, arena, names, n_names, values, n_values);
 *   ddb_expr_parse_condition(&cx, DDB_EXPR_CONDITION, text, &cond, &err);  // per expression,
 *   ddb_expr_parse_update(&cx, text, &upd, &err);                          // in DynamoDB's
 *   ddb_expr_parse_projection(&cx, text, &proj, &err);                     // order for the op
 *   ddb_expr_ctx_check_unused(&cx, &err);       // after all of them: unused names, then values
 *   ...
 *   ddb_expr_eval_condition(cond, item, &ok, arena, &err);
 *   ddb_expr_update_apply(upd, old, keys, n_keys, arena, &new_item, &err);
 *   ddb_projection_apply(proj, item, arena, &out);
 *
 * Each parse function checks one expression completely, in DynamoDB's order
 * (DynamoDB Local 3.3.1 measured; see protocol/MESSAGES-expr.md):
 *   1. empty text ("The expression can not be empty;"), size above
 *      DDB_MAX_EXPRESSION_BYTES;
 *   2. syntax (the first token that cannot continue a valid expression is
 *      reported with its neighbours, as DynamoDB's ANTLR parser does);
 *   3. redundant parentheses (a node wrapped in two pairs or more);
 *   4. in document order: function names and reserved words used as bare
 *      names;
 *   5. in document order: operand counts, document-path requirements, #name
 *      and :value resolution, path nesting depth, static operand types (a
 *      :value whose type an operator refuses), BETWEEN bounds, IN operand
 *      count, operator count;
 *   6. per kind: overlapping paths (update, projection), key-condition shape.
 * The first failure fills *err (ValidationException, DynamoDB's text with the
 * "Invalid <Kind>Expression: " prefix where DynamoDB puts one) and returns -1.
 * Placeholders used by an expression are marked used in the context even
 * when a later check of that expression fails.
 *
 * Ownership and lifetime: ASTs, resolved names and messages live in the
 * context's arena. Resolved :values point at the caller's ddb_attr array
 * (they are not copied): the arrays given to ddb_expr_ctx_init must outlive
 * every AST parsed with the context. Items produced by evaluation share
 * unchanged sub-values with their inputs (no deep copies), so the input items
 * must outlive the outputs too; all of it is normally the request's arena.
 *
 * Thread safety: none needed; no global mutable state. A context belongs to
 * one request.
 */
#ifndef DDB_EXPR_H
#define DDB_EXPR_H

#include "error.h"
#include "limits.h"
#include "value.h"

/* ddbd's cap on the nesting of '(' / NOT while parsing (DynamoDB rejects
 * such inputs by its operator-count or size limits first; this keeps the
 * recursive-descent parser's stack bounded whatever the limits are). */
#define DDB_EXPR_MAX_DEPTH 400
/* DynamoDB: "The document path has too many nesting levels" above 32. */
#define DDB_EXPR_MAX_PATH_DEPTH 32

/* Which expression a text is: names the expression in messages and selects
 * the grammar's start rule. */
enum ddb_expr_kind {
    DDB_EXPR_CONDITION,     /* ConditionExpression */
    DDB_EXPR_FILTER,        /* FilterExpression */
    DDB_EXPR_KEY_CONDITION, /* KeyConditionExpression */
    DDB_EXPR_UPDATE,        /* UpdateExpression */
    DDB_EXPR_PROJECTION,    /* ProjectionExpression */
};

/* "ConditionExpression", ... */
const char *ddb_expr_kind_name(enum ddb_expr_kind k);

/* One ExpressionAttributeNames entry: "#n" -> "attr". */
struct ddb_expr_name {
    ddb_slice key;  /* with its '#' */
    ddb_slice name; /* the attribute name it stands for */
};

/*
 * Per-request placeholder maps and their use marks. names/values are the
 * request's ExpressionAttributeNames/Values (values already validated as
 * AttributeValues by the caller; each ddb_attr's name is the ":key"). Either
 * may be NULL with count 0. Keys are compared byte-wise; duplicate keys are
 * the JSON reader's business.
 */
struct ddb_expr_ctx {
    struct ddb_arena *arena;
    const struct ddb_expr_name *names;
    uint32_t n_names;
    const struct ddb_attr *values;
    uint32_t n_values;
    bool *name_used;  /* n_names flags */
    bool *value_used; /* n_values flags */
};

void ddb_expr_ctx_init(struct ddb_expr_ctx *cx, struct ddb_arena *a,
                       const struct ddb_expr_name *names, uint32_t n_names,
                       const struct ddb_attr *values, uint32_t n_values);

/* The request-level checks of the maps themselves (call before parsing):
 * a key that is not '#'/':' followed by [A-Za-z0-9_]+ ("ExpressionAttribute
 * Names contains invalid key: Syntax error; key: \"x\""), an empty name
 * ("... contains invalid value: Empty attribute name for key #a"). */
int ddb_expr_ctx_check_keys(const struct ddb_expr_ctx *cx, struct ddb_error *err) DDB_MUST_CHECK;

/* After every expression of the request was parsed: "Value provided in
 * ExpressionAttributeNames unused in expressions: keys: {#a, #b}" (names
 * first, then values; keys listed in the order DynamoDB's Java HashSet
 * iterates them). */
int ddb_expr_ctx_check_unused(const struct ddb_expr_ctx *cx, struct ddb_error *err) DDB_MUST_CHECK;

/* ---- the AST -------------------------------------------------------- */

/* One element of a document path: a map key (resolved from a bare name or a
 * #placeholder) or a list index. */
struct ddb_path_elem {
    bool is_index;
    uint32_t index; /* is_index */
    ddb_slice name; /* !is_index: the attribute name after resolution */
};

struct ddb_path {
    uint32_t count; /* >= 1; elems[0] is a top-level attribute name */
    struct ddb_path_elem *elems;
};

enum ddb_expr_op {
    /* operands */
    DDB_OP_PATH,  /* u.path */
    DDB_OP_VALUE, /* u.value: an ExpressionAttributeValues entry */
    DDB_OP_SIZE,  /* size(args[0]) */
    DDB_OP_IF_NOT_EXISTS, /* update only: if_not_exists(path, value) */
    DDB_OP_LIST_APPEND,   /* update only: list_append(a, b) */
    DDB_OP_PLUS,          /* update only: a + b */
    DDB_OP_MINUS,         /* update only: a - b */
    /* conditions */
    DDB_OP_EQ, DDB_OP_NE, DDB_OP_LT, DDB_OP_LE, DDB_OP_GT, DDB_OP_GE,
    DDB_OP_BETWEEN, /* args[0] BETWEEN args[1] AND args[2] */
    DDB_OP_IN,      /* args[0] IN (args[1..]) */
    DDB_OP_AND, DDB_OP_OR, DDB_OP_NOT,
    DDB_OP_ATTRIBUTE_EXISTS, DDB_OP_ATTRIBUTE_NOT_EXISTS, DDB_OP_ATTRIBUTE_TYPE,
    DDB_OP_BEGINS_WITH, DDB_OP_CONTAINS,
};

struct ddb_expr_node {
    enum ddb_expr_op op;
    uint32_t nargs;
    struct ddb_expr_node **args;
    union {
        struct ddb_path path;          /* DDB_OP_PATH */
        const struct ddb_value *value; /* DDB_OP_VALUE (points into the ctx's values) */
    } u;
    /* parser bookkeeping: source span, parentheses around the node */
    uint32_t start, end;
    uint32_t parens;
};

enum ddb_update_action {
    DDB_UPD_SET,
    DDB_UPD_REMOVE,
    DDB_UPD_ADD,
    DDB_UPD_DELETE,
};

struct ddb_update_clause {
    enum ddb_update_action action;
    struct ddb_path path;
    struct ddb_expr_node *value; /* SET: the value; ADD/DELETE: a DDB_OP_VALUE; REMOVE: NULL */
};

struct ddb_update {
    uint32_t count; /* clauses in text order (SET clauses of "REMOVE x SET y" after REMOVE's) */
    struct ddb_update_clause *clauses;
};

struct ddb_projection {
    uint32_t count;
    struct ddb_path *paths;
};

/* ---- parsing ---------------------------------------------------------- */

/* A ConditionExpression or FilterExpression (kind says which). */
int ddb_expr_parse_condition(struct ddb_expr_ctx *cx, enum ddb_expr_kind kind, ddb_slice text,
                             struct ddb_expr_node **out, struct ddb_error *err) DDB_MUST_CHECK;

int ddb_expr_parse_update(struct ddb_expr_ctx *cx, ddb_slice text, struct ddb_update **out,
                          struct ddb_error *err) DDB_MUST_CHECK;

int ddb_expr_parse_projection(struct ddb_expr_ctx *cx, ddb_slice text,
                              struct ddb_projection **out, struct ddb_error *err) DDB_MUST_CHECK;

/*
 * KeyConditionExpression. The caller passes the key schema of the table or
 * index queried (range_name.len == 0 when there is no sort key; the types are
 * DDB_T_S, DDB_T_N or DDB_T_B), and gets the hash-key value and at most one
 * sort-key condition, ready to become a key range. Accepted shapes: `hk = :v`
 * alone, or `AND`ed with one of `sk = < <= > >= :v`, `sk BETWEEN :a AND :b`,
 * `begins_with(sk, :v)`, in either order, operands on either side, with
 * single parentheses around any part; every leaf names exactly one key
 * attribute and its other operands are values, so out holds values only.
 * Everything else fails with DynamoDB's
 * messages ("Query condition missed key schema element: pk", "Invalid operator
 * used in KeyConditionExpression: OR", ...).
 */
struct ddb_keycond_schema {
    ddb_slice hash_name;
    enum ddb_type hash_type;
    ddb_slice range_name; /* len 0: hash-only */
    enum ddb_type range_type;
};

enum ddb_range_op {
    DDB_RANGE_NONE, /* no sort-key condition */
    DDB_RANGE_EQ,
    DDB_RANGE_LT,
    DDB_RANGE_LE,
    DDB_RANGE_GT,
    DDB_RANGE_GE,
    DDB_RANGE_BETWEEN,     /* v1 <= sk <= v2 (v1 <= v2 is checked) */
    DDB_RANGE_BEGINS_WITH, /* S or B prefix v1 */
};

struct ddb_key_condition {
    const struct ddb_value *hash_value;
    enum ddb_range_op range_op;
    const struct ddb_value *v1, *v2; /* v2: BETWEEN only */
};

int ddb_expr_parse_key_condition(struct ddb_expr_ctx *cx, ddb_slice text,
                                 const struct ddb_keycond_schema *schema,
                                 struct ddb_key_condition *out, struct ddb_error *err)
    DDB_MUST_CHECK;

/* ---- evaluation ------------------------------------------------------- */

/* The value at path in item, or NULL when any step is missing or of the
 * wrong kind (a name step on a non-map, an index step on a non-list or past
 * its end). */
const struct ddb_value *ddb_path_get(const struct ddb_item *item, const struct ddb_path *path);

/* Evaluates a condition against item (NULL = no item, which is an empty
 * item). DynamoDB's rules: a missing operand makes every comparison false
 * except <>; values of different types are never equal and never ordered;
 * < <= > >= BETWEEN order only N (numerically), S and B (byte-wise). Sets
 * compare regardless of order. Returns 0 with *result set; -1 only for the
 * errors DynamoDB raises at evaluation time. */
int ddb_expr_eval_condition(const struct ddb_expr_node *cond, const struct ddb_item *item,
                            bool *result, struct ddb_arena *a, struct ddb_error *err)
    DDB_MUST_CHECK;

/* Fails with "One or more parameter values were invalid: Cannot update
 * attribute pk. This attribute is part of the key" when a clause's path
 * starts at one of the key attributes. ddb_expr_update_apply calls it too. */
int ddb_expr_update_check_keys(const struct ddb_update *u, const ddb_slice *key_names,
                               uint32_t n_keys, struct ddb_arena *a, struct ddb_error *err)
    DDB_MUST_CHECK;

/* Computes the new image from old (NULL = no item yet). Every value is
 * evaluated against the old image, as DynamoDB does. Errors are DynamoDB's
 * (ValidationException): "The provided expression refers to an attribute
 * that does not exist in the item", "The document path provided in the
 * update expression is invalid for update", "An operand in the update
 * expression has an incorrect data type", number overflow. *out is built in
 * a; unchanged values are shared with old. */
int ddb_expr_update_apply(const struct ddb_update *u, const struct ddb_item *old,
                          const ddb_slice *key_names, uint32_t n_keys, struct ddb_arena *a,
                          struct ddb_item *out, struct ddb_error *err) DDB_MUST_CHECK;

/* Whether every clause of u only takes away (REMOVE, DELETE from a set; the
 * AttributeUpdates DELETE action becomes one of these): such an update of a
 * missing item creates nothing, as DynamoDB does. False for NULL or an
 * update without clauses. */
bool ddb_expr_update_only_removes(const struct ddb_update *u);

/* A new item holding only the projected paths of item (nested maps and lists
 * rebuilt around them; list elements keep their order and are compacted, as
 * DynamoDB returns them). Paths that are missing are left out. */
void ddb_projection_apply(const struct ddb_projection *p, const struct ddb_item *item,
                          struct ddb_arena *a, struct ddb_item *out);

#endif
