/*
 * expr_parse.c: the recursive-descent parser for every expression kind, with
 * placeholder resolution and DynamoDB's static checks (expr.h, "order").
 *
 * One pass builds the AST. Semantic problems found on the way are not
 * reported at once: each is filed under its phase (parentheses, names,
 * checks, final) and only the first of each phase is kept, so that after the
 * parse the earliest phase's first problem wins, as with DynamoDB's separate
 * tree walks. A syntax error stops the parse at once and wins over all.
 */
#include "expr_int.h"
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>

enum phase { PH_PARENS, PH_NAMES, PH_CHECK, PH_FINAL, PH__COUNT };

struct parser {
    struct ddb_expr_ctx *cx;
    struct ddb_arena *a;
    enum ddb_expr_kind kind;
    ddb_slice text;
    struct ddb_token *toks;
    uint32_t ntok, pos;
    unsigned depth;
    unsigned operators;
    bool failed; /* syntax error (or depth) recorded in syntax_msg */
    const char *syntax_msg;
    const char *phase_msg[PH__COUNT];
};

static const char *const kind_names[] = {
    [DDB_EXPR_CONDITION] = "ConditionExpression",
    [DDB_EXPR_FILTER] = "FilterExpression",
    [DDB_EXPR_KEY_CONDITION] = "KeyConditionExpression",
    [DDB_EXPR_UPDATE] = "UpdateExpression",
    [DDB_EXPR_PROJECTION] = "ProjectionExpression",
};

const char *ddb_expr_kind_name(enum ddb_expr_kind k)
{
    return kind_names[k];
}

/* ---- errors ------------------------------------------------------------ */

static const struct ddb_token *cur(const struct parser *p)
{
    return &p->toks[p->pos];
}

static bool at(const struct parser *p, enum ddb_tok k)
{
    return p->toks[p->pos].kind == k;
}

static void syntax_error(struct parser *p)
{
    if (p->failed)
        return;
    p->failed = true;
    uint32_t i = p->pos;
    const struct ddb_token *t = &p->toks[i];
    uint32_t from = i > 0 ? p->toks[i - 1].start : 0;
    uint32_t to = t->kind == TK_EOF || p->toks[i + 1].kind == TK_EOF
                      ? (uint32_t)p->text.len
                      : p->toks[i + 1].start + p->toks[i + 1].len;
    if (t->kind == TK_EOF)
        p->syntax_msg = ddb_arena_printf(p->a, "Invalid %s: Syntax error; token: \"<EOF>\", near: \"%.*s\"",
                                         kind_names[p->kind], (int)(to - from), p->text.ptr + from);
    else
        p->syntax_msg = ddb_arena_printf(
            p->a, "Invalid %s: Syntax error; token: \"%.*s\", near: \"%.*s\"", kind_names[p->kind],
            (int)t->len, p->text.ptr + t->start, (int)(to - from), p->text.ptr + from);
}

/* Files a semantic problem; only the first of each phase is kept. The
 * message gets the "Invalid <Kind>: " prefix unless raw. */
static void DDB_PRINTF(4, 5) note(struct parser *p, enum phase ph, bool raw, const char *fmt, ...)
{
    if (p->phase_msg[ph] != NULL)
        return;
    va_list ap;
    va_start(ap, fmt);
    char tmp[1024];
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    p->phase_msg[ph] = raw ? ddb_arena_printf(p->a, "%s", tmp)
                           : ddb_arena_printf(p->a, "Invalid %s: %s", kind_names[p->kind], tmp);
}

static bool expect(struct parser *p, enum ddb_tok k)
{
    if (!at(p, k)) {
        syntax_error(p);
        return false;
    }
    p->pos++;
    return true;
}

static bool enter(struct parser *p)
{
    if (++p->depth > DDB_EXPR_MAX_DEPTH) {
        if (!p->failed) {
            p->failed = true;
            /* past the operator limit already: DynamoDB's message for it */
            if (p->operators > DDB_MAX_EXPRESSION_OPERATORS)
                p->syntax_msg = ddb_arena_printf(p->a, "Invalid %s: The expression contains too many operators; operator count: %u",
                                                 kind_names[p->kind], DDB_MAX_EXPRESSION_OPERATORS + 1);
            else
                p->syntax_msg = ddb_arena_printf(p->a, "Invalid %s: The expression is nested too deeply; nesting levels: %u",
                                                 kind_names[p->kind], p->depth);
        }
        return false;
    }
    return true;
}

/* ---- placeholders ------------------------------------------------------ */

static ddb_slice tok_text(const struct parser *p, const struct ddb_token *t)
{
    return ddb_slice_make(p->text.ptr + t->start, t->len);
}

static const struct ddb_value *resolve_value(struct parser *p, ddb_slice key)
{
    struct ddb_expr_ctx *cx = p->cx;
    for (uint32_t i = 0; i < cx->n_values; i++)
        if (ddb_slice_eq(cx->values[i].name, key)) {
            cx->value_used[i] = true;
            return &cx->values[i].value;
        }
    note(p, PH_CHECK, false,
         "An expression attribute value used in expression is not defined; attribute value: %.*s",
         (int)key.len, key.ptr);
    return NULL;
}

static bool resolve_name(struct parser *p, ddb_slice key, ddb_slice *out)
{
    struct ddb_expr_ctx *cx = p->cx;
    for (uint32_t i = 0; i < cx->n_names; i++)
        if (ddb_slice_eq(cx->names[i].key, key)) {
            cx->name_used[i] = true;
            *out = cx->names[i].name;
            return true;
        }
    note(p, PH_CHECK, false,
         "An expression attribute name used in the document path is not defined; attribute name: %.*s",
         (int)key.len, key.ptr);
    return false;
}

/* ---- nodes --------------------------------------------------------------- */

static struct ddb_expr_node *node_new(struct parser *p, enum ddb_expr_op op, uint32_t nargs,
                                      uint32_t start)
{
    struct ddb_expr_node *n = ddb_arena_calloc(p->a, 1, sizeof(*n));
    n->op = op;
    n->nargs = nargs;
    n->args = nargs ? ddb_arena_calloc(p->a, nargs, sizeof(*n->args)) : NULL;
    n->start = start;
    return n;
}

static void finish(struct parser *p, struct ddb_expr_node *n)
{
    n->end = p->pos > 0 ? p->toks[p->pos - 1].start + p->toks[p->pos - 1].len : 0;
}

/* Type names as DynamoDB prints them in operand-type messages. */
static const char *type_short(enum ddb_type t)
{
    static const char *const n[] = {"S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"};
    return n[t];
}

static const char *type_long(enum ddb_type t)
{
    static const char *const n[] = {"STRING", "NUMBER", "BINARY", "STRING_SET", "NUMBER_SET",
                                    "BINARY_SET", "MAP", "LIST", "NULL", "BOOLEAN"};
    return n[t];
}

/* ---- paths --------------------------------------------------------------- */

static bool parse_path(struct parser *p, struct ddb_path *path)
{
    /* count first (the token shape is regular), then fill */
    uint32_t save = p->pos, count = 1;
    if (!at(p, TK_NAME) && !at(p, TK_HNAME)) {
        syntax_error(p);
        return false;
    }
    p->pos++;
    for (;;) {
        if (at(p, TK_DOT)) {
            p->pos++;
            if (!at(p, TK_NAME) && !at(p, TK_HNAME)) {
                syntax_error(p);
                return false;
            }
            p->pos++;
        } else if (at(p, TK_LBRACKET)) {
            p->pos++;
            if (!expect(p, TK_NUMBER) || !expect(p, TK_RBRACKET))
                return false;
        } else {
            break;
        }
        count++;
    }
    uint32_t end = p->pos;
    p->pos = save;
    path->count = count;
    path->elems = ddb_arena_calloc(p->a, count, sizeof(*path->elems));
    bool ok = true;
    for (uint32_t i = 0; p->pos < end; i++) {
        if (at(p, TK_DOT))
            p->pos++;
        struct ddb_path_elem *e = &path->elems[i];
        const struct ddb_token *t = cur(p);
        if (t->kind == TK_LBRACKET) {
            const struct ddb_token *num = &p->toks[p->pos + 1];
            uint64_t v = 0;
            bool big = false;
            for (uint32_t k = 0; k < num->len; k++) {
                v = v * 10 + (uint64_t)(p->text.ptr[num->start + k] - '0');
                if (v > INT32_MAX) {
                    big = true;
                    break;
                }
            }
            if (big)
                note(p, PH_CHECK, false,
                     "List index is not within the allowable range; index: [%.*s]", (int)num->len,
                     p->text.ptr + num->start);
            e->is_index = true;
            e->index = big ? 0 : (uint32_t)v;
            p->pos += 3;
        } else {
            ddb_slice s = tok_text(p, t);
            if (t->kind == TK_HNAME) {
                if (!resolve_name(p, s, &e->name))
                    ok = false;
            } else {
                if (ddb_expr_is_reserved(s))
                    note(p, PH_NAMES, false,
                         "Attribute name is a reserved keyword; reserved keyword: %.*s",
                         (int)s.len, s.ptr);
                e->name = s;
            }
            p->pos++;
        }
    }
    if (count > DDB_EXPR_MAX_PATH_DEPTH)
        note(p, PH_CHECK, false, "The document path has too many nesting levels; nesting levels: %u",
             count);
    (void)ok;
    return true;
}

/* ---- operands ------------------------------------------------------------ */

enum fn {
    FN_UNKNOWN,
    FN_ATTRIBUTE_EXISTS,
    FN_ATTRIBUTE_NOT_EXISTS,
    FN_ATTRIBUTE_TYPE,
    FN_BEGINS_WITH,
    FN_CONTAINS,
    FN_SIZE,
    FN_IF_NOT_EXISTS,
    FN_LIST_APPEND,
};

static const struct {
    const char *name;
    enum ddb_expr_op op;
    uint32_t arity;
    bool in_condition; /* else update only */
    bool boolean;      /* a condition, not an operand */
} fns[] = {
    [FN_UNKNOWN] = {"", DDB_OP_PATH, 0, false, false},
    [FN_ATTRIBUTE_EXISTS] = {"attribute_exists", DDB_OP_ATTRIBUTE_EXISTS, 1, true, true},
    [FN_ATTRIBUTE_NOT_EXISTS] = {"attribute_not_exists", DDB_OP_ATTRIBUTE_NOT_EXISTS, 1, true, true},
    [FN_ATTRIBUTE_TYPE] = {"attribute_type", DDB_OP_ATTRIBUTE_TYPE, 2, true, true},
    [FN_BEGINS_WITH] = {"begins_with", DDB_OP_BEGINS_WITH, 2, true, true},
    [FN_CONTAINS] = {"contains", DDB_OP_CONTAINS, 2, true, true},
    [FN_SIZE] = {"size", DDB_OP_SIZE, 1, true, false},
    [FN_IF_NOT_EXISTS] = {"if_not_exists", DDB_OP_IF_NOT_EXISTS, 2, false, false},
    [FN_LIST_APPEND] = {"list_append", DDB_OP_LIST_APPEND, 2, false, false},
};

static const char *fn_name_of(enum ddb_expr_op op)
{
    for (size_t i = 1; i < DDB_ARRAY_LEN(fns); i++)
        if (fns[i].op == op)
            return fns[i].name;
    return NULL;
}

static bool is_boolean_fn(const struct ddb_expr_node *n)
{
    return n->op == DDB_OP_ATTRIBUTE_EXISTS || n->op == DDB_OP_ATTRIBUTE_NOT_EXISTS ||
           n->op == DDB_OP_ATTRIBUTE_TYPE || n->op == DDB_OP_BEGINS_WITH ||
           n->op == DDB_OP_CONTAINS;
}

static bool is_function(const struct ddb_expr_node *n)
{
    return fn_name_of(n->op) != NULL;
}

/* The type an operand certainly has before evaluation, if any. */
static bool static_type(const struct ddb_expr_node *n, enum ddb_type *t)
{
    if (n->op == DDB_OP_VALUE && n->u.value) {
        *t = n->u.value->type;
        return true;
    }
    if (n->op == DDB_OP_SIZE) {
        *t = DDB_T_N;
        return true;
    }
    return false;
}

static void check_operand_type(struct parser *p, const char *opname, const struct ddb_expr_node *n,
                               uint32_t allowed_mask)
{
    enum ddb_type t;
    if (static_type(n, &t) && !(allowed_mask & (1u << t)))
        note(p, PH_CHECK, false,
             "Incorrect operand type for operator or function; operator or function: %s, operand type: %s",
             opname, type_short(t));
}

#define M(t) (1u << (t))
#define ORDERED (M(DDB_T_N) | M(DDB_T_S) | M(DDB_T_B))

/* An operand used where a value is expected must not be a condition
 * function, and a condition must not be size(). */
static void check_used_as_operand(struct parser *p, const struct ddb_expr_node *n)
{
    if (is_boolean_fn(n))
        note(p, PH_CHECK, false,
             "The function is not allowed to be used this way in an expression; function: %s",
             fn_name_of(n->op));
}

static struct ddb_expr_node *parse_update_value(struct parser *p);
static struct ddb_expr_node *parse_operand(struct parser *p, bool update);

static struct ddb_expr_node *parse_call(struct parser *p, bool update)
{
    const struct ddb_token *nt = cur(p);
    ddb_slice name = tok_text(p, nt);
    uint32_t start = nt->start;
    p->pos += 2; /* name ( */
    p->operators++; /* a function call is an operator (DynamoDB Local 3.3.1 measured) */
    enum fn f = FN_UNKNOWN;
    for (size_t i = 1; i < DDB_ARRAY_LEN(fns); i++)
        if (ddb_slice_eq_cstr(name, fns[i].name))
            f = (enum fn)i;
    if (f == FN_UNKNOWN)
        note(p, PH_NAMES, false, "Invalid function name; function: %.*s", (int)name.len, name.ptr);
    /* arguments: at least one; no function takes more than 2, so beyond 4
     * they are only counted (for the operand-count message), which keeps
     * this frame small under deep nesting */
    struct ddb_expr_node *argv[4];
    uint32_t argc = 0;
    for (;;) {
        struct ddb_expr_node *a = update ? parse_update_value(p) : parse_operand(p, false);
        if (a == NULL)
            return NULL;
        if (argc < DDB_ARRAY_LEN(argv))
            argv[argc] = a;
        argc++;
        if (at(p, TK_COMMA)) {
            p->pos++;
            continue;
        }
        if (!expect(p, TK_RPAREN))
            return NULL;
        break;
    }
    struct ddb_expr_node *n = node_new(p, f ? fns[f].op : DDB_OP_SIZE, 0, start);
    uint32_t kept = argc < DDB_ARRAY_LEN(argv) ? argc : (uint32_t)DDB_ARRAY_LEN(argv);
    n->nargs = kept;
    n->args = ddb_arena_calloc(p->a, kept, sizeof(*n->args));
    memcpy(n->args, argv, kept * sizeof(*argv));
    finish(p, n);
    if (f == FN_UNKNOWN) {
        n->op = DDB_OP_SIZE; /* placeholder op; the parse fails in PH_NAMES */
        return n;
    }
    const char *fname = fns[f].name;
    if (update && fns[f].in_condition) {
        note(p, PH_CHECK, false, "The function is not allowed in an update expression; function: %s", fname);
        return n;
    }
    if (!update && !fns[f].in_condition) {
        note(p, PH_CHECK, false, "The function is not allowed in a condition expression; function: %s", fname);
        return n;
    }
    if (argc != fns[f].arity) {
        note(p, PH_CHECK, false,
             "Incorrect number of operands for operator or function; operator or function: %s, number of operands: %u",
             fname, argc);
        return n;
    }
    switch (f) {
    case FN_ATTRIBUTE_EXISTS:
    case FN_ATTRIBUTE_NOT_EXISTS:
    case FN_ATTRIBUTE_TYPE:
    case FN_IF_NOT_EXISTS:
        if (n->args[0]->op != DDB_OP_PATH)
            note(p, PH_CHECK, false,
                 "Operator or function requires a document path; operator or function: %s", fname);
        break;
    default:
        break;
    }
    for (uint32_t i = 0; i < n->nargs; i++)
        check_used_as_operand(p, n->args[i]);
    switch (f) {
    case FN_SIZE:
        check_operand_type(p, fname, n->args[0],
                           M(DDB_T_S) | M(DDB_T_B) | M(DDB_T_SS) | M(DDB_T_NS) | M(DDB_T_BS) |
                               M(DDB_T_L) | M(DDB_T_M));
        break;
    case FN_BEGINS_WITH:
        check_operand_type(p, fname, n->args[0], M(DDB_T_S) | M(DDB_T_B));
        check_operand_type(p, fname, n->args[1], M(DDB_T_S) | M(DDB_T_B));
        break;
    case FN_ATTRIBUTE_TYPE: {
        check_operand_type(p, fname, n->args[1], M(DDB_T_S));
        enum ddb_type t;
        if (static_type(n->args[1], &t) && t == DDB_T_S) {
            ddb_slice s = n->args[1]->u.value->u.str;
            static const char *const names[] = {"S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"};
            bool ok = false;
            for (size_t i = 0; i < DDB_ARRAY_LEN(names); i++)
                ok = ok || ddb_slice_eq_cstr(s, names[i]);
            if (!ok)
                note(p, PH_CHECK, false,
                     "Invalid attribute type name found; type: %.*s, valid types: {N,BS,L,B,NULL,M,S,SS,NS,BOOL}",
                     (int)s.len, s.ptr);
        }
        break;
    }
    case FN_LIST_APPEND:
        check_operand_type(p, fname, n->args[0], M(DDB_T_L));
        check_operand_type(p, fname, n->args[1], M(DDB_T_L));
        break;
    default:
        break;
    }
    return n;
}

/* path | :value | function call | ( operand ) */
static struct ddb_expr_node *parse_operand(struct parser *p, bool update)
{
    if (!enter(p))
        return NULL;
    struct ddb_expr_node *n = NULL;
    const struct ddb_token *t = cur(p);
    if (t->kind == TK_NAME && p->toks[p->pos + 1].kind == TK_LPAREN) {
        n = parse_call(p, update);
    } else if (t->kind == TK_NAME || t->kind == TK_HNAME) {
        n = node_new(p, DDB_OP_PATH, 0, t->start);
        if (!parse_path(p, &n->u.path))
            n = NULL;
        else
            finish(p, n);
    } else if (t->kind == TK_VALUE) {
        n = node_new(p, DDB_OP_VALUE, 0, t->start);
        n->u.value = resolve_value(p, tok_text(p, t));
        p->pos++;
        finish(p, n);
    } else if (t->kind == TK_LPAREN) {
        p->pos++;
        n = update ? parse_update_value(p) : parse_operand(p, false);
        if (n != NULL && !expect(p, TK_RPAREN))
            n = NULL;
        if (n != NULL && ++n->parens >= 2)
            note(p, PH_PARENS, false, "The expression has redundant parentheses;");
    } else {
        syntax_error(p);
    }
    p->depth--;
    return n;
}

/* ---- conditions ----------------------------------------------------------- */

static bool is_comparator(enum ddb_tok k)
{
    return k == TK_EQ || k == TK_NE || k == TK_LT || k == TK_LE || k == TK_GT || k == TK_GE ||
           k == TK_BETWEEN || k == TK_IN;
}

static bool same_path(const struct ddb_expr_node *x, const struct ddb_expr_node *y)
{
    if (x->op != DDB_OP_PATH || y->op != DDB_OP_PATH || x->u.path.count != y->u.path.count)
        return false;
    for (uint32_t i = 0; i < x->u.path.count; i++) {
        const struct ddb_path_elem *a = &x->u.path.elems[i], *b = &y->u.path.elems[i];
        if (a->is_index != b->is_index || (a->is_index ? a->index != b->index : !ddb_slice_eq(a->name, b->name)))
            return false;
    }
    return true;
}

static void check_distinct(struct parser *p, const char *op, const struct ddb_expr_node *first,
                           struct ddb_expr_node *const *rest, uint32_t n_rest)
{
    for (uint32_t i = 0; i < n_rest; i++)
        if (same_path(first, rest[i])) {
            note(p, PH_CHECK, false,
                 "The first operand must be distinct from the remaining operands for this operator or function; operator: %s, first operand: %s",
                 op, ddb_path_format(p->a, &first->u.path));
            return;
        }
}

/* left is parsed; the current token is a comparator, BETWEEN or IN. */
static struct ddb_expr_node *parse_comparison(struct parser *p, struct ddb_expr_node *left)
{
    enum ddb_tok k = cur(p)->kind;
    p->pos++;
    p->operators++;
    struct ddb_expr_node *n;
    check_used_as_operand(p, left);
    if (k == TK_BETWEEN) {
        n = node_new(p, DDB_OP_BETWEEN, 3, left->start);
        n->args[0] = left;
        if ((n->args[1] = parse_operand(p, false)) == NULL || !expect(p, TK_AND) ||
            (n->args[2] = parse_operand(p, false)) == NULL)
            return NULL;
        check_used_as_operand(p, n->args[1]);
        check_used_as_operand(p, n->args[2]);
        check_distinct(p, "BETWEEN", left, n->args + 1, 2);
        for (int i = 0; i < 3; i++)
            check_operand_type(p, "BETWEEN", n->args[i], ORDERED);
        enum ddb_type lt, ht;
        if (static_type(n->args[1], &lt) && static_type(n->args[2], &ht) && n->args[1]->op == DDB_OP_VALUE &&
            n->args[2]->op == DDB_OP_VALUE && (ORDERED & M(lt)) && (ORDERED & M(ht))) {
            const struct ddb_value *lo = n->args[1]->u.value, *hi = n->args[2]->u.value;
            bool ok;
            if (lt != ht)
                note(p, PH_CHECK, false,
                     "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: %s, upper bound operand: %s",
                     ddb_expr_value_text(p->a, lo), ddb_expr_value_text(p->a, hi));
            else if (ddb_expr_order(lo, hi, &ok) > 0 && ok)
                note(p, PH_CHECK, false,
                     "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: %s, upper bound operand: %s",
                     ddb_expr_value_text(p->a, lo), ddb_expr_value_text(p->a, hi));
        }
    } else if (k == TK_IN) {
        if (!expect(p, TK_LPAREN))
            return NULL;
        struct ddb_expr_node *list[DDB_MAX_IN_OPERANDS];
        uint32_t count = 0;
        for (;;) {
            struct ddb_expr_node *e = parse_operand(p, false);
            if (e == NULL)
                return NULL;
            check_used_as_operand(p, e);
            if (count < DDB_MAX_IN_OPERANDS)
                list[count] = e;
            count++;
            if (at(p, TK_COMMA)) {
                p->pos++;
                continue;
            }
            if (!expect(p, TK_RPAREN))
                return NULL;
            break;
        }
        if (count > DDB_MAX_IN_OPERANDS)
            note(p, PH_CHECK, false,
                 "The IN operator is provided with too many operands; number of operands: %u", count);
        uint32_t kept = count < DDB_MAX_IN_OPERANDS ? count : DDB_MAX_IN_OPERANDS;
        n = node_new(p, DDB_OP_IN, kept + 1, left->start);
        n->args[0] = left;
        memcpy(n->args + 1, list, kept * sizeof(*list));
        check_distinct(p, "IN", left, n->args + 1, kept);
    } else {
        static const struct {
            enum ddb_tok tok;
            enum ddb_expr_op op;
            const char *text;
        } cmp[] = {{TK_EQ, DDB_OP_EQ, "="}, {TK_NE, DDB_OP_NE, "<>"}, {TK_LT, DDB_OP_LT, "<"},
                   {TK_LE, DDB_OP_LE, "<="}, {TK_GT, DDB_OP_GT, ">"},  {TK_GE, DDB_OP_GE, ">="}};
        size_t i = 0;
        while (cmp[i].tok != k)
            i++;
        n = node_new(p, cmp[i].op, 2, left->start);
        n->args[0] = left;
        if ((n->args[1] = parse_operand(p, false)) == NULL)
            return NULL;
        check_used_as_operand(p, n->args[1]);
        check_distinct(p, cmp[i].text, left, n->args + 1, 1);
        if (cmp[i].op != DDB_OP_EQ && cmp[i].op != DDB_OP_NE) {
            check_operand_type(p, cmp[i].text, left, ORDERED);
            check_operand_type(p, cmp[i].text, n->args[1], ORDERED);
        }
    }
    finish(p, n);
    return n;
}

static struct ddb_expr_node *parse_or(struct parser *p, bool allow_bare);

/* A condition primary. Returns a bare operand (marked by *bare) only when
 * allow_bare and a ')' follows: the caller then decides whether the
 * parenthesised thing was an operand. */
static struct ddb_expr_node *parse_primary(struct parser *p, bool allow_bare, bool *bare)
{
    *bare = false;
    struct ddb_expr_node *n;
    if (at(p, TK_LPAREN)) {
        p->pos++;
        if (!enter(p))
            return NULL;
        n = parse_or(p, true);
        p->depth--;
        if (n == NULL)
            return NULL;
        if (!expect(p, TK_RPAREN))
            return NULL;
        if (++n->parens >= 2)
            note(p, PH_PARENS, false, "The expression has redundant parentheses;");
        bool operand_like = n->op == DDB_OP_PATH || n->op == DDB_OP_VALUE || is_function(n);
        if (operand_like && is_comparator(cur(p)->kind))
            return parse_comparison(p, n);
        if (n->op == DDB_OP_PATH || n->op == DDB_OP_VALUE || n->op == DDB_OP_SIZE) {
            if (allow_bare && at(p, TK_RPAREN)) {
                *bare = true;
                return n;
            }
            if (n->op != DDB_OP_SIZE) {
                syntax_error(p);
                return NULL;
            }
            note(p, PH_CHECK, false,
                 "The function is not allowed to be used this way in an expression; function: size");
        }
        return n;
    }
    n = parse_operand(p, false);
    if (n == NULL)
        return NULL;
    if (is_comparator(cur(p)->kind))
        return parse_comparison(p, n);
    if (is_function(n)) {
        if (n->op == DDB_OP_SIZE) {
            if (allow_bare && at(p, TK_RPAREN)) {
                *bare = true;
                return n;
            }
            note(p, PH_CHECK, false,
                 "The function is not allowed to be used this way in an expression; function: size");
        }
        return n;
    }
    if (allow_bare && at(p, TK_RPAREN)) {
        *bare = true;
        return n;
    }
    syntax_error(p);
    return NULL;
}

static struct ddb_expr_node *parse_not(struct parser *p, bool allow_bare, bool *bare)
{
    if (at(p, TK_NOT)) {
        uint32_t start = cur(p)->start;
        p->pos++;
        p->operators++;
        if (!enter(p))
            return NULL;
        bool b;
        struct ddb_expr_node *inner = parse_not(p, false, &b);
        p->depth--;
        if (inner == NULL)
            return NULL;
        struct ddb_expr_node *n = node_new(p, DDB_OP_NOT, 1, start);
        n->args[0] = inner;
        finish(p, n);
        *bare = false;
        return n;
    }
    return parse_primary(p, allow_bare, bare);
}

/* left OP right, spanning both (AND, OR, + and -). */
static struct ddb_expr_node *binary(struct parser *p, enum ddb_expr_op op,
                                    struct ddb_expr_node *left, struct ddb_expr_node *right)
{
    struct ddb_expr_node *n = node_new(p, op, 2, left->start);
    n->args[0] = left;
    n->args[1] = right;
    finish(p, n);
    return n;
}

static struct ddb_expr_node *parse_and(struct parser *p, bool allow_bare, bool *bare)
{
    struct ddb_expr_node *left = parse_not(p, allow_bare, bare);
    if (left == NULL || *bare)
        return left;
    while (at(p, TK_AND)) {
        p->pos++;
        p->operators++;
        bool b;
        struct ddb_expr_node *right = parse_not(p, false, &b);
        if (right == NULL)
            return NULL;
        left = binary(p, DDB_OP_AND, left, right);
    }
    return left;
}

static struct ddb_expr_node *parse_or(struct parser *p, bool allow_bare)
{
    bool bare;
    struct ddb_expr_node *left = parse_and(p, allow_bare, &bare);
    if (left == NULL || bare)
        return left;
    while (at(p, TK_OR)) {
        p->pos++;
        p->operators++;
        struct ddb_expr_node *right = parse_and(p, false, &bare);
        if (right == NULL)
            return NULL;
        left = binary(p, DDB_OP_OR, left, right);
    }
    return left;
}

/* ---- update values ---------------------------------------------------------- */

/* operand [ (+|-) operand ] */
static struct ddb_expr_node *parse_update_value(struct parser *p)
{
    if (!enter(p))
        return NULL;
    struct ddb_expr_node *left = parse_operand(p, true);
    if (left != NULL && (at(p, TK_PLUS) || at(p, TK_MINUS))) {
        bool plus = at(p, TK_PLUS);
        p->pos++;
        p->operators++; /* + and - count; SET's = does not (DynamoDB Local 3.3.1) */
        struct ddb_expr_node *right = parse_operand(p, true);
        if (right == NULL) {
            left = NULL;
        } else {
            struct ddb_expr_node *n = binary(p, plus ? DDB_OP_PLUS : DDB_OP_MINUS, left, right);
            check_operand_type(p, plus ? "+" : "-", left, M(DDB_T_N));
            check_operand_type(p, plus ? "+" : "-", right, M(DDB_T_N));
            left = n;
        }
    }
    p->depth--;
    return left;
}

/* ---- drivers ------------------------------------------------------------------ */

static int begin(struct parser *p, struct ddb_expr_ctx *cx, enum ddb_expr_kind kind, ddb_slice text,
                 struct ddb_error *err)
{
    memset(p, 0, sizeof(*p));
    p->cx = cx;
    p->a = cx->arena;
    p->kind = kind;
    p->text = text;
    if (text.len == 0)
        return ddb_error_set(err, p->a, DDB_ERR_VALIDATION, "Invalid %s: The expression can not be empty;",
                             kind_names[kind]);
    /* DynamoDB names the size for conditions, filters and key conditions
     * only (DynamoDB Local 3.3.1 measured) */
    if (text.len > DDB_MAX_EXPRESSION_BYTES && (kind == DDB_EXPR_UPDATE || kind == DDB_EXPR_PROJECTION))
        return ddb_error_set(err, p->a, DDB_ERR_VALIDATION,
                             "Invalid %s: Expression size has exceeded the maximum allowed size;",
                             kind_names[kind]);
    if (text.len > DDB_MAX_EXPRESSION_BYTES)
        return ddb_error_set(err, p->a, DDB_ERR_VALIDATION,
                             "Invalid %s: Expression size has exceeded the maximum allowed size; expression size: %zu",
                             kind_names[kind], text.len);
    p->toks = ddb_expr_lex(p->a, text, &p->ntok);
    return 0;
}

static int end(struct parser *p, struct ddb_error *err)
{
    if (!p->failed && !at(p, TK_EOF))
        syntax_error(p);
    if (p->failed)
        return ddb_error_set(err, p->a, DDB_ERR_VALIDATION, "%s", p->syntax_msg);
    if (p->operators > DDB_MAX_EXPRESSION_OPERATORS)
        /* DynamoDB stops counting at the first operator past the limit */
        note(p, PH_FINAL, false, "The expression contains too many operators; operator count: %u",
             DDB_MAX_EXPRESSION_OPERATORS + 1);
    for (int i = 0; i < PH__COUNT; i++)
        if (p->phase_msg[i] != NULL)
            return ddb_error_set(err, p->a, DDB_ERR_VALIDATION, "%s", p->phase_msg[i]);
    return 0;
}

int ddb_expr_parse_condition(struct ddb_expr_ctx *cx, enum ddb_expr_kind kind, ddb_slice text,
                             struct ddb_expr_node **out, struct ddb_error *err)
{
    struct parser p;
    if (begin(&p, cx, kind, text, err) != 0)
        return -1;
    struct ddb_expr_node *n = parse_or(&p, false);
    if (n != NULL && (n->op == DDB_OP_IF_NOT_EXISTS || n->op == DDB_OP_LIST_APPEND))
        (void)0; /* refused in parse_call */
    if (end(&p, err) != 0)
        return -1;
    *out = n;
    return 0;
}

/* "Two document paths overlap ..." between any two paths, first pair in
 * text order. */
static void check_overlaps(struct parser *p, const struct ddb_path *paths, uint32_t n, size_t stride)
{
    for (uint32_t i = 0; i < n; i++) {
        const struct ddb_path *x = (const struct ddb_path *)((const char *)paths + i * stride);
        for (uint32_t j = 0; j < i; j++) {
            const struct ddb_path *y = (const struct ddb_path *)((const char *)paths + j * stride);
            if (ddb_path_overlap(x, y)) {
                note(p, PH_FINAL, false,
                     "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: %s, path two: %s",
                     ddb_path_format(p->a, y), ddb_path_format(p->a, x));
                return;
            }
        }
    }
}

int ddb_expr_parse_projection(struct ddb_expr_ctx *cx, ddb_slice text, struct ddb_projection **out,
                              struct ddb_error *err)
{
    struct parser p;
    if (begin(&p, cx, DDB_EXPR_PROJECTION, text, err) != 0)
        return -1;
    /* at most one path per two tokens */
    struct ddb_projection *pr = ddb_arena_calloc(p.a, 1, sizeof(*pr));
    pr->paths = ddb_arena_calloc(p.a, p.ntok / 2 + 1, sizeof(*pr->paths));
    for (;;) {
        if (!parse_path(&p, &pr->paths[pr->count]))
            break;
        pr->count++;
        if (!at(&p, TK_COMMA))
            break;
        p.pos++;
    }
    if (!p.failed)
        check_overlaps(&p, pr->paths, pr->count, sizeof(struct ddb_path));
    if (end(&p, err) != 0)
        return -1;
    *out = pr;
    return 0;
}

int ddb_expr_parse_update(struct ddb_expr_ctx *cx, ddb_slice text, struct ddb_update **out,
                          struct ddb_error *err)
{
    struct parser p;
    if (begin(&p, cx, DDB_EXPR_UPDATE, text, err) != 0)
        return -1;
    struct ddb_update *u = ddb_arena_calloc(p.a, 1, sizeof(*u));
    u->clauses = ddb_arena_calloc(p.a, p.ntok / 2 + 1, sizeof(*u->clauses));
    bool seen[4] = {false, false, false, false};
    static const char *const section[] = {"SET", "REMOVE", "ADD", "DELETE"};
    do {
        enum ddb_update_action act;
        switch (cur(&p)->kind) {
        case TK_SET: act = DDB_UPD_SET; break;
        case TK_REMOVE: act = DDB_UPD_REMOVE; break;
        case TK_ADD: act = DDB_UPD_ADD; break;
        case TK_DELETE: act = DDB_UPD_DELETE; break;
        default:
            syntax_error(&p);
            goto done;
        }
        p.pos++;
        if (seen[act])
            note(&p, PH_CHECK, false, "The \"%s\" section can only be used once in an update expression;",
                 section[act]);
        seen[act] = true;
        for (;;) {
            struct ddb_update_clause *c = &u->clauses[u->count];
            c->action = act;
            if (!parse_path(&p, &c->path))
                goto done;
            if (act == DDB_UPD_SET) {
                if (!expect(&p, TK_EQ) || (c->value = parse_update_value(&p)) == NULL)
                    goto done;
                check_used_as_operand(&p, c->value);
            } else if (act != DDB_UPD_REMOVE) {
                /* ADD/DELETE take one :value */
                if (!at(&p, TK_VALUE)) {
                    syntax_error(&p);
                    goto done;
                }
                c->value = node_new(&p, DDB_OP_VALUE, 0, cur(&p)->start);
                c->value->u.value = resolve_value(&p, tok_text(&p, cur(&p)));
                p.pos++;
                finish(&p, c->value);
                const struct ddb_value *v = c->value->u.value;
                uint32_t allowed = act == DDB_UPD_ADD
                                       ? M(DDB_T_N) | M(DDB_T_SS) | M(DDB_T_NS) | M(DDB_T_BS)
                                       : M(DDB_T_SS) | M(DDB_T_NS) | M(DDB_T_BS);
                if (v && !(allowed & M(v->type)))
                    note(&p, PH_CHECK, false,
                         "Incorrect operand type for operator or function; operator: %s, operand type: %s, typeSet: %s",
                         section[act], type_long(v->type),
                         act == DDB_UPD_ADD ? "ALLOWED_FOR_ADD_OPERAND" : "ALLOWED_FOR_DELETE_OPERAND");
            }
            u->count++;
            if (!at(&p, TK_COMMA))
                break;
            p.pos++;
        }
    } while (!at(&p, TK_EOF));
    check_overlaps(&p, &u->clauses[0].path, u->count, sizeof(struct ddb_update_clause));
done:
    if (end(&p, err) != 0)
        return -1;
    *out = u;
    return 0;
}

/* ---- the request context ------------------------------------------------------ */

void ddb_expr_ctx_init(struct ddb_expr_ctx *cx, struct ddb_arena *a,
                       const struct ddb_expr_name *names, uint32_t n_names,
                       const struct ddb_attr *values, uint32_t n_values)
{
    cx->arena = a;
    cx->names = names;
    cx->n_names = n_names;
    cx->values = values;
    cx->n_values = n_values;
    cx->name_used = ddb_arena_calloc(a, n_names, sizeof(bool));
    cx->value_used = ddb_arena_calloc(a, n_values, sizeof(bool));
}

static bool valid_key(ddb_slice k, char prefix)
{
    if (k.len < 2 || k.ptr[0] != prefix)
        return false;
    for (size_t i = 1; i < k.len; i++) {
        unsigned char c = (unsigned char)k.ptr[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
            return false;
    }
    return true;
}

int ddb_expr_ctx_check_keys(const struct ddb_expr_ctx *cx, struct ddb_error *err)
{
    for (uint32_t i = 0; i < cx->n_names; i++) {
        ddb_slice k = cx->names[i].key;
        if (!valid_key(k, '#'))
            return ddb_error_set(err, cx->arena, DDB_ERR_VALIDATION,
                                 "ExpressionAttributeNames contains invalid key: Syntax error; key: \"%.*s\"",
                                 (int)k.len, k.ptr);
        if (cx->names[i].name.len == 0)
            return ddb_error_set(err, cx->arena, DDB_ERR_VALIDATION,
                                 "ExpressionAttributeNames contains invalid value: Empty attribute name for key %.*s",
                                 (int)k.len, k.ptr);
    }
    for (uint32_t i = 0; i < cx->n_values; i++) {
        ddb_slice k = cx->values[i].name;
        if (!valid_key(k, ':'))
            return ddb_error_set(err, cx->arena, DDB_ERR_VALIDATION,
                                 "ExpressionAttributeValues contains invalid key: Syntax error; key: \"%.*s\"",
                                 (int)k.len, k.ptr);
    }
    return 0;
}

/* The bucket java.util.HashMap puts a String key in (String.hashCode over
 * UTF-16 units; keys here are ASCII, so bytes are units), to list unused keys
 * in the order DynamoDB's HashSet iterates them. */
static uint32_t java_bucket(ddb_slice s, uint32_t cap)
{
    uint32_t h = 0;
    for (size_t i = 0; i < s.len; i++)
        h = 31 * h + (unsigned char)s.ptr[i];
    h ^= h >> 16;
    return h & (cap - 1);
}

static int report_unused(const struct ddb_expr_ctx *cx, const char *what, const ddb_slice *keys,
                         const bool *used, uint32_t n, struct ddb_error *err)
{
    uint32_t unused = 0;
    for (uint32_t i = 0; i < n; i++)
        unused += !used[i];
    if (unused == 0)
        return 0;
    uint32_t cap = 16;
    while ((uint64_t)unused * 4 > (uint64_t)cap * 3)
        cap *= 2;
    struct ddb_buf b;
    ddb_buf_init(&b, cx->arena);
    bool first = true;
    /* buckets in order, insertion order within a bucket */
    for (uint32_t bucket = 0; bucket < cap; bucket++)
        for (uint32_t i = 0; i < n; i++) {
            if (used[i] || java_bucket(keys[i], cap) != bucket)
                continue;
            if (!first)
                ddb_buf_puts(&b, ", ");
            ddb_buf_append(&b, keys[i].ptr, keys[i].len);
            first = false;
        }
    return ddb_error_set(err, cx->arena, DDB_ERR_VALIDATION,
                         "Value provided in %s unused in expressions: keys: {%s}", what, b.ptr);
}

int ddb_expr_ctx_check_unused(const struct ddb_expr_ctx *cx, struct ddb_error *err)
{
    ddb_slice *keys = ddb_arena_calloc(cx->arena, cx->n_names, sizeof(*keys));
    for (uint32_t i = 0; i < cx->n_names; i++)
        keys[i] = cx->names[i].key;
    if (report_unused(cx, "ExpressionAttributeNames", keys, cx->name_used, cx->n_names, err) != 0)
        return -1;
    keys = ddb_arena_calloc(cx->arena, cx->n_values, sizeof(*keys));
    for (uint32_t i = 0; i < cx->n_values; i++)
        keys[i] = cx->values[i].name;
    return report_unused(cx, "ExpressionAttributeValues", keys, cx->value_used, cx->n_values, err);
}
