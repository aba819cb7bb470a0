/* Parsing and static checks of every expression kind, with DynamoDB Local's
 * exact messages (protocol/MESSAGES-expr.md). */
#include "tests/unit/harness.h"
#include "tests/unit/protocol/test_expr_common.h"

#include "protocol/buf.h"
#include "protocol/expr_int.h"

static const char *const reserved[] = {
#include "protocol/expr_reserved.inc"
};

enum { C = DDB_EXPR_CONDITION, U = DDB_EXPR_UPDATE, P = DDB_EXPR_PROJECTION, K = DDB_EXPR_KEY_CONDITION,
       F = DDB_EXPR_FILTER };

/* Parses text as kind; returns "OK" or the error message (static buffer). */
static const char *parse(int kind, const char *text)
{
    static char msg[2048];
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_expr_ctx cx;
    t_ctx(&cx, &a);
    struct ddb_error err = {0};
    int rc;
    ddb_slice s = ddb_slice_cstr(text);
    if (kind == U) {
        struct ddb_update *u;
        rc = ddb_expr_parse_update(&cx, s, &u, &err);
    } else if (kind == P) {
        struct ddb_projection *p;
        rc = ddb_expr_parse_projection(&cx, s, &p, &err);
    } else if (kind == K) {
        struct ddb_keycond_schema ks = {DDB_SLICE_LIT("pk"), DDB_T_S, DDB_SLICE_LIT("sk"), DDB_T_N};
        struct ddb_key_condition kc;
        rc = ddb_expr_parse_key_condition(&cx, s, &ks, &kc, &err);
    } else {
        struct ddb_expr_node *n;
        rc = ddb_expr_parse_condition(&cx, (enum ddb_expr_kind)kind, s, &n, &err);
    }
    if (rc == 0)
        snprintf(msg, sizeof msg, "OK");
    else {
        snprintf(msg, sizeof msg, "%s", err.message);
        if (err.code != DDB_ERR_VALIDATION)
            snprintf(msg, sizeof msg, "wrong code");
    }
    ddb_arena_release(&a);
    return msg;
}

struct row {
    int kind;
    const char *text;
    const char *want;
};

#define SYN(k, tok, near) "Invalid " k ": Syntax error; token: \"" tok "\", near: \"" near "\""
#define CE "ConditionExpression"
#define UE "UpdateExpression"
#define PE "ProjectionExpression"
#define KE "KeyConditionExpression"

static const struct row syntax_rows[] = {
    {C, "a = = :v", SYN(CE, "=", "= = :v")},
    {C, "a =", SYN(CE, "<EOF>", "=")},
    {C, "= :v", SYN(CE, "=", "= :v")},
    {C, "a = :v AND", SYN(CE, "<EOF>", "AND")},
    {C, "a = :v AND AND b = :v", SYN(CE, "AND", "AND AND b")},
    {C, "(a = :v", SYN(CE, "<EOF>", ":v")},
    {C, "a = :v)", SYN(CE, ")", ":v)")},
    {C, "((a = :v)", SYN(CE, "<EOF>", ")")},
    {C, "a = :v b", SYN(CE, "b", ":v b")},
    {C, "a b", SYN(CE, "b", "a b")},
    {C, "a = :v,", SYN(CE, ",", ":v,")},
    {C, "a", SYN(CE, "<EOF>", "a")},
    {C, "a.b", SYN(CE, "<EOF>", "b")},
    {C, ":v", SYN(CE, "<EOF>", ":v")},
    {C, "NOT", SYN(CE, "<EOF>", "NOT")},
    {C, "NOT a", SYN(CE, "<EOF>", "a")},
    {C, "a = @", SYN(CE, "@", "= @")},
    {C, "a = :v @ b", SYN(CE, "@", ":v @ b")},
    {C, "@", SYN(CE, "@", "@")},
    {C, "a = $x", SYN(CE, "$", "= $x")},
    {C, "a = \"x\"", SYN(CE, "\"", "= \"x")},
    {C, "a = 1", SYN(CE, "1", "= 1")},
    {C, "a = -1", SYN(CE, "-", "= -1")},
    {C, "a = :v+:v", SYN(CE, "+", ":v+:v")},
    {C, "a.1 = :v", SYN(CE, "1", ".1 =")},
    {C, "a[x] = :v", SYN(CE, "x", "[x]")},
    {C, "a[1 = :v", SYN(CE, "=", "1 = :v")},
    {C, "a[-1] = :v", SYN(CE, "-", "[-1")},
    {C, "a[01] = :v", SYN(CE, "1", "01]")},
    {C, "a..b = :v", SYN(CE, ".", "..b")},
    {C, ".a = :v", SYN(CE, ".", ".a")},
    {C, "a. = :v", SYN(CE, "=", ". = :v")},
    {C, "1a = :v", SYN(CE, "1", "1a")},
    {C, "_a = :v", SYN(CE, "_", "_a")},
    {C, "a-b = :v", SYN(CE, "-", "a-b")},
    {C, "\xc3\xa9 = :v", SYN(CE, "\xc3\xa9", "\xc3\xa9 =")},
    {C, "a!=:v", SYN(CE, "!", "a!=")},
    {C, "a==:v", SYN(CE, "=", "==:v")},
    {C, "a=>:v", SYN(CE, ">", "=>:v")},
    {C, "a =< :v", SYN(CE, "<", "=< :v")},
    {C, "a < > :v", SYN(CE, ">", "< > :v")},
    {C, "#", SYN(CE, "#", "#")},
    {C, "# = :v", SYN(CE, "#", "# =")},
    {C, ":", SYN(CE, ":", ":")},
    {C, "a = :", SYN(CE, ":", "= :")},
    {C, "a = :v:n", SYN(CE, ":n", ":v:n")},
    {C, "a = ::v", SYN(CE, ":", "= ::v")},
    {C, "a IN :v", SYN(CE, ":v", "IN :v")},
    {C, "a IN ()", SYN(CE, ")", "()")},
    {C, "a IN (:v,)", SYN(CE, ")", ",)")},
    {C, "a BETWEEN :v", SYN(CE, "<EOF>", ":v")},
    {C, "a BETWEEN :v AND", SYN(CE, "<EOF>", "AND")},
    {C, "a BETWEEN :v OR :n", SYN(CE, "OR", ":v OR :n")},
    {C, "attribute_exists()", SYN(CE, ")", "()")},
    {C, "(a)", SYN(CE, "<EOF>", ")")},
    {C, "(a) AND b = :v", SYN(CE, "AND", ") AND b")},
    {C, "  ", SYN(CE, "<EOF>", "  ")},
    {C, "name = :v AND = ", SYN(CE, "=", "AND = ")},
    {P, "x,", SYN(PE, "<EOF>", ",")},
    {P, ",f", SYN(PE, ",", ",f")},
    {P, "(f)", SYN(PE, "(", "(f")},
    {P, "size(f)", SYN(PE, "(", "size(f")},
    {P, "#a, :v", SYN(PE, ":v", ", :v")},
    {P, "ADD", SYN(PE, "ADD", "ADD")},
    {P, "add", SYN(PE, "add", "add")},
    {P, "REMOVE", SYN(PE, "REMOVE", "REMOVE")},
    {U, "SET x1 = :n + :n + :n", SYN(UE, "+", ":n + :n")},
    {U, "SET x1 = :n - :n + :n", SYN(UE, "+", ":n + :n")},
    {U, "SET x1 :n", SYN(UE, ":n", "x1 :n")},
    {U, "SET x1 = :n,", SYN(UE, "<EOF>", ",")},
    {U, "SET", SYN(UE, "<EOF>", "SET")},
    {U, "REMOVE", SYN(UE, "<EOF>", "REMOVE")},
    {U, "SET x1 = :n x2 = :n", SYN(UE, "x2", ":n x2 =")},
    {U, "SET x1 += :n", SYN(UE, "+", "x1 +=")},
    {U, "SET x1 = - :n", SYN(UE, "-", "= - :n")},
    {U, "SET :n = x1", SYN(UE, ":n", "SET :n =")},
    {U, "SET x1 = :n AND x2 = :n", SYN(UE, "AND", ":n AND x2")},
    {U, "REMOVE x1 = :n", SYN(UE, "=", "x1 = :n")},
    {U, "ADD x1", SYN(UE, "<EOF>", "x1")},
    {U, "ADD x1 = :n", SYN(UE, "=", "x1 = :n")},
    {U, "DELETE x1", SYN(UE, "<EOF>", "x1")},
};

static const struct row semantic_rows[] = {
    {C, "", "Invalid ConditionExpression: The expression can not be empty;"},
    {P, "", "Invalid ProjectionExpression: The expression can not be empty;"},
    {C, "a[99999999999999999999] = :v",
     "Invalid ConditionExpression: List index is not within the allowable range; index: [99999999999999999999]"},
    {C, "foo(a)", "Invalid ConditionExpression: Invalid function name; function: foo"},
    {C, "ATTRIBUTE_EXISTS(a)", "Invalid ConditionExpression: Invalid function name; function: ATTRIBUTE_EXISTS"},
    {C, "attribute_exists(a, b)",
     "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2"},
    {C, "attribute_exists(:v)",
     "Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists"},
    {C, "attribute_exists(a) = :v",
     "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: attribute_exists"},
    {C, "size(a)", "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size"},
    {C, "begins_with(a)",
     "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1"},
    {C, "attribute_type(a, :v)",
     "Invalid ConditionExpression: Invalid attribute type name found; type: x, valid types: {N,BS,L,B,NULL,M,S,SS,NS,BOOL}"},
    {C, "attribute_type(a, :n)",
     "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N"},
    {C, "if_not_exists(a, :v) = :v",
     "Invalid ConditionExpression: The function is not allowed in a condition expression; function: if_not_exists"},
    {C, "list_append(a, :v) = :v",
     "Invalid ConditionExpression: The function is not allowed in a condition expression; function: list_append"},
    {C, "size(size(a)) = :v",
     "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: N"},
    {C, "begins_with(a, :n)",
     "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"},
    {C, "a < :t", "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: <, operand type: BOOL"},
    {C, "a < :l", "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: <, operand type: L"},
    {C, "a BETWEEN :m AND :n",
     "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}"},
    {C, "a BETWEEN :m AND :s",
     "Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {S:1}"},
    {C, "a BETWEEN :t AND :t",
     "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: BOOL"},
    {C, "((a = :v))", "Invalid ConditionExpression: The expression has redundant parentheses;"},
    {C, "((a)) = :v", "Invalid ConditionExpression: The expression has redundant parentheses;"},
    {C, "(a = :v) AND ((b = :v))", "Invalid ConditionExpression: The expression has redundant parentheses;"},
    {C, "NOT ((a = :v))", "Invalid ConditionExpression: The expression has redundant parentheses;"},
    {C, "((attribute_exists(a)))", "Invalid ConditionExpression: The expression has redundant parentheses;"},
    {C, "a IN (((:v)))", "Invalid ConditionExpression: The expression has redundant parentheses;"},
    {C, "a = ((:v))", "Invalid ConditionExpression: The expression has redundant parentheses;"},
    {C, "size(((a))) = :v", "Invalid ConditionExpression: The expression has redundant parentheses;"},
    {C, "a BETWEEN ((:v)) AND :v", "Invalid ConditionExpression: The expression has redundant parentheses;"},
    {C, "foo(a) AND ((b = :v))", "Invalid ConditionExpression: The expression has redundant parentheses;"},
    {C, "name = :v", "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name"},
    {C, "#zz = :v", "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #zz"},
    {C, "a = :zz", "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :zz"},
    {C, "a = :zz AND #zz = :v", "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :zz"},
    {C, "#zz = :zz", "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #zz"},
    {C, "#zz = :v AND name = :v", "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name"},
    {C, "foo(#zz) AND name = :v", "Invalid ConditionExpression: Invalid function name; function: foo"},
    {C, "name = :v AND foo(#zz)", "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name"},
    {C, "#zz = :v AND attribute_exists(:v)", "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #zz"},
    {C, "attribute_exists(:v) AND #zz = :v", "Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists"},
    {C, "attribute_exists(a, b) AND foo(a)", "Invalid ConditionExpression: Invalid function name; function: foo"},
    {C, "a = a", "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]"},
    {C, "a" ".b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b = :v",
     "Invalid ConditionExpression: The document path has too many nesting levels; nesting levels: 33"},
    {F, "a = :v AND", SYN("FilterExpression", "<EOF>", "AND")},
    {P, "name", "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name"},
    {P, "a, a", "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"},
    {P, "a, a.b", "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]"},
    {P, "a.b, a", "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]"},
    {P, "a.b[1], a.b[1].c", "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b, [1]], path two: [a, b, [1], c]"},
    {P, "#a, #a2", "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"},
    {P, "#zz", "Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #zz"},
    {U, "SET name = :n", "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name"},
    {U, "ADD name :n", "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name"},
    {U, "SET x = :q", "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :q"},
    {U, "SET a = :v, a = :v", "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"},
    {U, "SET x1 = :n REMOVE x1", "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [x1], path two: [x1]"},
    {U, "SET a.b = :n, a = :n", "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]"},
    {U, "SET a.b[1].c = :n, a.b[1] = :n", "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b, [1], c], path two: [a, b, [1]]"},
    {U, "DELETE ss :ss, ss :ss", "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [ss], path two: [ss]"},
    {U, "SET x1 = :n + :s", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S"},
    {U, "SET x1 = :n - :s", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: -, operand type: S"},
    {U, "SET x1 = if_not_exists(:n, :s)", "Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists"},
    {U, "SET x1 = list_append(l, :s)", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: S"},
    {U, "SET x1 = size(l)", "Invalid UpdateExpression: The function is not allowed in an update expression; function: size"},
    {U, "SET x1 = foo(l)", "Invalid UpdateExpression: Invalid function name; function: foo"},
    {U, "SET x1 = attribute_exists(l)", "Invalid UpdateExpression: The function is not allowed in an update expression; function: attribute_exists"},
    {U, "SET x1 = :n SET x2 = :s", "Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;"},
    {U, "REMOVE x2 REMOVE x3", "Invalid UpdateExpression: The \"REMOVE\" section can only be used once in an update expression;"},
    {U, "ADD n :s", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND"},
    {U, "ADD x5 :l", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: LIST, typeSet: ALLOWED_FOR_ADD_OPERAND"},
    {U, "DELETE n :n", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER, typeSet: ALLOWED_FOR_DELETE_OPERAND"},
    {U, "SET x1 = if_not_exists(zz)", "Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 1"},
    {U, "SET x1 = list_append(:l)", "Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1"},
    {U, "SET x1 = if_not_exists(zz, :n, :n)", "Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 3"},
    {U, "SET x1 = ((:n))", "Invalid UpdateExpression: The expression has redundant parentheses;"},
    {K, "pk = :v AND sk <> :n", "Invalid operator used in KeyConditionExpression: <>"},
    {K, "pk <> :v", "Invalid operator used in KeyConditionExpression: <>"},
    {K, "pk < :v", "Query key condition not supported"},
    {K, "sk = :n", "Query condition missed key schema element: pk"},
    {K, "pk = :v OR sk = :n", "Invalid operator used in KeyConditionExpression: OR"},
    {K, "NOT pk = :v", "Invalid operator used in KeyConditionExpression: NOT"},
    {K, "pk = :v AND pk = :v", "KeyConditionExpressions must only contain one condition per key"},
    {K, "pk = :v AND sk = :n AND sk = :n", "KeyConditionExpressions must only contain one condition per key"},
    {K, "pk = :v AND x = :n", "Query condition missed key schema element: sk"},
    {K, "x = :n AND pk = :v", "Query condition missed key schema element: sk"},
    {K, "x = :v", "Query condition missed key schema element: pk"},
    {K, "pk = :v AND sk IN (:n)", "Invalid operator used in KeyConditionExpression: IN"},
    {K, "attribute_exists(pk)", "Invalid operator used in KeyConditionExpression: attribute_exists"},
    {K, "pk = :v AND contains(sk, :n)", "Invalid operator used in KeyConditionExpression: contains"},
    {K, "pk = pk", "Invalid KeyConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [pk]"},
    {K, "pk.x = :v", "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: pk"},
    {K, "pk[0] = :v", "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: pk"},
    {K, "pk = :v AND sk.x = :n", "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: sk"},
    {K, "pk = :n", "One or more parameter values were invalid: Condition parameter type does not match schema type"},
    {K, "pk = :v AND sk = :v", "One or more parameter values were invalid: Condition parameter type does not match schema type"},
    {K, "pk = :v AND sk BETWEEN :m AND :n",
     "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}"},
    {K, "pk BETWEEN :v AND :v", "Query key condition not supported"},
    {K, "pk = :v AND size(sk) = :n", "KeyConditionExpressions cannot contain nested operations"},
    {K, "begins_with(pk, :v)", "Query key condition not supported"},
    {K, "((pk = :v)) AND sk = :n", "Invalid KeyConditionExpression: The expression has redundant parentheses;"},
    {K, "pk = :v AND sk = :n AND x = :n", "Conditions can be of length 1 or 2 only"},
    {K, "pk = :v AND (sk = :n AND x = :n)", "Conditions can be of length 1 or 2 only"},
    {K, "pk = :v AND NOT sk = :n", "Invalid operator used in KeyConditionExpression: NOT"},
    {K, "pk = :v AND begins_with(sk, :n)",
     "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"},
    /* every operand that reaches storage is a value: exactly one attribute name per leaf */
    {K, "pk = sk", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"},
    {K, "pk = a", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"},
    {K, "pk = #a", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"},
    {K, "a = pk", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"},
    {K, "pk = :v AND sk = a", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"},
    {K, "pk = :v AND sk < a", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"},
    {K, "pk = :v AND sk BETWEEN a AND :n", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"},
    {K, "pk = :v AND sk BETWEEN :n AND a", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"},
    {K, "pk = :v AND begins_with(sk, a)", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"},
    {K, "pk = :v AND sk = :n AND pk = a", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"},
    {K, "pk = :v AND sk = :n AND sk = :n AND sk = a", "KeyConditionExpressions must only contain one condition per key"},
    {K, "pk = :v AND pk = :v AND size(sk) = :n", "KeyConditionExpressions must only contain one condition per key"},
    {K, "pk = :v AND size(sk) = a", "KeyConditionExpressions cannot contain nested operations"},
    {K, "pk = a AND sk.x = :n", "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: sk"},
    {K, ":v = :v", "Invalid condition in KeyConditionExpression: No key attribute specified"},
    {K, "pk = :v AND :n = :n", "Invalid condition in KeyConditionExpression: No key attribute specified"},
    {K, "pk = :v AND :n = :n AND size(sk) = :n", "Invalid condition in KeyConditionExpression: No key attribute specified"},
    {K, "name = :v", "Invalid KeyConditionExpression: Attribute name is a reserved keyword; reserved keyword: name"},
};

static const char *const valid[][2] = {
    {"C", "a = :v"}, {"C", "a<>:v"}, {"C", "a[ 1 ] = :v"}, {"C", "a . b = :v"}, {"C", "a_1 = :v"},
    {"C", "a = :v\n"}, {"C", "\ta\t=\t:v"}, {"C", "#a = :v"}, {"C", ":v = a"}, {"C", "a IN (:v)"},
    {"C", "a between :v and :v"}, {"C", "attribute_exists(a)"}, {"C", "attribute_exists (a)"},
    {"C", "size(a) = :v"}, {"C", "size(:v) = :v"}, {"C", "begins_with(a, :v)"}, {"C", "begins_with(:v, a)"},
    {"C", "contains(a, :v)"}, {"C", "a = size(b)"}, {"C", "a = :v AND b = :v OR c = :v"},
    {"C", "NOT NOT a = :v"}, {"C", "NOT (a = :v)"}, {"C", "(a) = :v"}, {"C", "a = (:v)"},
    {"C", "((a = :v) AND b = :v)"}, {"C", "(:v) = a"}, {"C", "(size(a)) = :v"}, {"C", "size((a)) = :v"},
    {"C", "attribute_exists((a))"}, {"C", "(attribute_exists(a))"}, {"C", "a IN ((:v))"},
    {"C", "a IN ((:v), :n)"}, {"C", "(a) IN (:v)"}, {"C", "((a = :v) OR b = :v)"}, {"C", "attribute_type(a, :ty)"},
    {"C", "contains(a, :n)"}, {"C", ":n < :s"}, {"C", "#a2 = :v"}, {"C", "a.attribute_exists = :v"},
    {"C", "a" ".b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b = :v"}, {"C", "#n = :v"},
    {"C", "a = :v OR NOT b = :v AND (c = :v OR d < :n)"},
    {"P", "a.b[1].c, f"}, {"P", "a.e, a.b[0]"}, {"P", "a.b[0], a.b[1]"}, {"P", " f "}, {"P", "#a.#a"},
    {"P", "attribute_exists"}, {"P", "size"}, {"P", "CONVERT"}, {"P", "a.b[1]. c"},
    {"U", "SET x1 = :n"}, {"U", "SET x1 = :n + :n"}, {"U", "SET x1 = n - :n"}, {"U", "SET x1 = (:n + :n)"},
    {"U", "SET x1 = :n + (:n)"}, {"U", "SET x1 = if_not_exists(zz, :n)"}, {"U", "SET x1 = list_append(l, :l)"},
    {"U", "SET x1 = if_not_exists(zz, :n) + :n"}, {"U", "SET x1 = :n, x2 = :s"}, {"U", "SET x1 = :n REMOVE x2"},
    {"U", "REMOVE x2 SET x1 = :n"}, {"U", "REMOVE x2, x3"}, {"U", "ADD n :n, zz2 :n"}, {"U", "DELETE ss :ss"},
    {"U", "set x1 = :n"}, {"U", "SET a.b[0] = :n, a.b[1] = :n"}, {"U", "SET x1 = (if_not_exists(zz, :n))"},
    {"U", "SET a.b[0] = :n REMOVE a.b[1]"}, {"U", "SET #pk = :v"},
    {"K", "pk = :v"}, {"K", "pk = :v AND sk = :n"}, {"K", "sk = :n AND pk = :v"}, {"K", "(pk = :v) AND (sk = :n)"},
    {"K", "(pk = :v AND sk = :n)"}, {"K", "pk = :v AND sk BETWEEN :n AND :m"}, {"K", ":v = pk"},
    {"K", "pk = :v AND :n = sk"}, {"K", "pk = :v AND (sk = :n)"}, {"K", "#pk = :v"},
};

static int kind_of(const char *k)
{
    return k[0] == 'C' ? C : k[0] == 'P' ? P : k[0] == 'U' ? U : K;
}

TEST(syntax_errors)
{
    for (size_t i = 0; i < DDB_ARRAY_LEN(syntax_rows); i++) {
        const char *got = parse(syntax_rows[i].kind, syntax_rows[i].text);
        if (strcmp(got, syntax_rows[i].want) != 0)
            printf("#   input: %s\n", syntax_rows[i].text);
        CHECK_EQ_STR(got, syntax_rows[i].want);
    }
}

TEST(semantic_errors)
{
    for (size_t i = 0; i < DDB_ARRAY_LEN(semantic_rows); i++) {
        const char *got = parse(semantic_rows[i].kind, semantic_rows[i].text);
        if (strcmp(got, semantic_rows[i].want) != 0)
            printf("#   input: %s\n", semantic_rows[i].text);
        CHECK_EQ_STR(got, semantic_rows[i].want);
    }
}

TEST(valid_expressions)
{
    for (size_t i = 0; i < DDB_ARRAY_LEN(valid); i++) {
        const char *got = parse(kind_of(valid[i][0]), valid[i][1]);
        if (strcmp(got, "OK") != 0)
            printf("#   input: %s\n", valid[i][1]);
        CHECK_EQ_STR(got, "OK");
    }
}

TEST(reserved_words)
{
    /* every word of the list, any case, as a bare name; keywords are syntax */
    for (size_t i = 0; i < DDB_ARRAY_LEN(reserved); i++) {
        char want[256];
        snprintf(want, sizeof want, "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: %s",
                 reserved[i]);
        const char *got = parse(P, reserved[i]);
        if (strstr(got, "Syntax error") == NULL)
            CHECK_EQ_STR(got, want);
    }
    CHECK_EQ_INT(DDB_ARRAY_LEN(reserved), 571);
    CHECK(ddb_expr_is_reserved(DDB_SLICE_LIT("zone")));
    CHECK(ddb_expr_is_reserved(DDB_SLICE_LIT("Abort")));
    CHECK(!ddb_expr_is_reserved(DDB_SLICE_LIT("size")));
    CHECK(!ddb_expr_is_reserved(DDB_SLICE_LIT("convert")));
    CHECK(!ddb_expr_is_reserved(DDB_SLICE_LIT("zones")));
    CHECK(!ddb_expr_is_reserved(DDB_SLICE_LIT("ABORT_")));
    CHECK(!ddb_expr_is_reserved(DDB_SLICE_LIT("")));
    CHECK_EQ_STR(parse(P, "abort"), "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: abort");
    CHECK_EQ_STR(parse(P, "AND"), SYN(PE, "AND", "AND"));
    CHECK_EQ_STR(parse(C, "a.zone = :v"), "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: zone");
    for (size_t i = 1; i < DDB_ARRAY_LEN(reserved); i++)
        CHECK(strcmp(reserved[i - 1], reserved[i]) < 0);
}

/* The AST shape: precedence NOT > AND > OR, comparisons bind tightest. */
static struct ddb_expr_node *tree(struct ddb_arena *a, const char *text)
{
    struct ddb_expr_ctx cx;
    t_ctx(&cx, a);
    struct ddb_error err;
    struct ddb_expr_node *n = NULL;
    if (ddb_expr_parse_condition(&cx, DDB_EXPR_CONDITION, ddb_slice_cstr(text), &n, &err) != 0)
        return NULL;
    return n;
}

TEST(precedence)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_expr_node *n = tree(&a, "a = :v OR b = :v AND c = :v");
    CHECK(n && n->op == DDB_OP_OR && n->args[1]->op == DDB_OP_AND && n->args[0]->op == DDB_OP_EQ);
    n = tree(&a, "NOT a = :v AND b = :v");
    CHECK(n && n->op == DDB_OP_AND && n->args[0]->op == DDB_OP_NOT && n->args[0]->args[0]->op == DDB_OP_EQ);
    n = tree(&a, "(a = :v OR b = :v) AND c = :v");
    CHECK(n && n->op == DDB_OP_AND && n->args[0]->op == DDB_OP_OR);
    n = tree(&a, "a = :v AND b = :v AND c = :v");
    CHECK(n && n->op == DDB_OP_AND && n->args[0]->op == DDB_OP_AND); /* left-associative */
    n = tree(&a, "a BETWEEN :n AND :m AND b IN (:v, :n)");
    CHECK(n && n->op == DDB_OP_AND && n->args[0]->op == DDB_OP_BETWEEN && n->args[1]->op == DDB_OP_IN &&
          n->args[1]->nargs == 3);
    n = tree(&a, "a.b[2].#a = :v");
    CHECK(n && n->args[0]->op == DDB_OP_PATH && n->args[0]->u.path.count == 4);
    if (n) {
        const struct ddb_path *p = &n->args[0]->u.path;
        CHECK(ddb_slice_eq_cstr(p->elems[0].name, "a") && ddb_slice_eq_cstr(p->elems[1].name, "b"));
        CHECK(p->elems[2].is_index && p->elems[2].index == 2);
        CHECK(ddb_slice_eq_cstr(p->elems[3].name, "a")); /* #a resolved */
    }
    ddb_arena_release(&a);
}

TEST(placeholders_used_and_unused)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_value v = tv_str("x");
    struct ddb_attr vals[] = {{DDB_SLICE_LIT(":v"), v}, {DDB_SLICE_LIT(":w"), v}, {DDB_SLICE_LIT(":a"), v}};
    struct ddb_expr_name names[] = {{DDB_SLICE_LIT("#a"), DDB_SLICE_LIT("a")},
                                    {DDB_SLICE_LIT("#b"), DDB_SLICE_LIT("b")},
                                    {DDB_SLICE_LIT("#c"), DDB_SLICE_LIT("c")}};
    struct ddb_expr_ctx cx;
    struct ddb_error err;
    ddb_expr_ctx_init(&cx, &a, names, 3, vals, 3);
    CHECK(ddb_expr_ctx_check_keys(&cx, &err) == 0);
    struct ddb_expr_node *n;
    CHECK(ddb_expr_parse_condition(&cx, DDB_EXPR_CONDITION, DDB_SLICE_LIT("#a = :v"), &n, &err) == 0);
    CHECK(ddb_expr_ctx_check_unused(&cx, &err) == -1);
    /* names first; Java HashSet order: #c before #b */
    CHECK_EQ_STR(err.message, "Value provided in ExpressionAttributeNames unused in expressions: keys: {#c, #b}");
    struct ddb_update *u;
    CHECK(ddb_expr_parse_update(&cx, DDB_SLICE_LIT("SET #b = :v, #c = :v"), &u, &err) == 0);
    CHECK(ddb_expr_ctx_check_unused(&cx, &err) == -1);
    CHECK_EQ_STR(err.message, "Value provided in ExpressionAttributeValues unused in expressions: keys: {:a, :w}");
    /* used by an expression that then fails still counts as used */
    struct ddb_projection *p;
    CHECK(ddb_expr_parse_projection(&cx, DDB_SLICE_LIT("x, :w"), &p, &err) == -1);
    CHECK(ddb_expr_parse_condition(&cx, DDB_EXPR_FILTER, DDB_SLICE_LIT(":w = :a AND foo(a)"), &n, &err) == -1);
    CHECK_EQ_STR(err.message, "Invalid FilterExpression: Invalid function name; function: foo");
    CHECK(ddb_expr_ctx_check_unused(&cx, &err) == 0);

    struct ddb_expr_name bad_names[] = {{DDB_SLICE_LIT("a"), DDB_SLICE_LIT("a")}};
    ddb_expr_ctx_init(&cx, &a, bad_names, 1, NULL, 0);
    CHECK(ddb_expr_ctx_check_keys(&cx, &err) == -1);
    CHECK_EQ_STR(err.message, "ExpressionAttributeNames contains invalid key: Syntax error; key: \"a\"");
    struct ddb_expr_name empty_name[] = {{DDB_SLICE_LIT("#a"), DDB_SLICE_LIT("")}};
    ddb_expr_ctx_init(&cx, &a, empty_name, 1, NULL, 0);
    CHECK(ddb_expr_ctx_check_keys(&cx, &err) == -1);
    CHECK_EQ_STR(err.message, "ExpressionAttributeNames contains invalid value: Empty attribute name for key #a");
    struct ddb_attr bad_vals[] = {{DDB_SLICE_LIT("v"), v}};
    ddb_expr_ctx_init(&cx, &a, NULL, 0, bad_vals, 1);
    CHECK(ddb_expr_ctx_check_keys(&cx, &err) == -1);
    CHECK_EQ_STR(err.message, "ExpressionAttributeValues contains invalid key: Syntax error; key: \"v\"");
    ddb_arena_release(&a);
}

TEST(limits)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_buf b;
    ddb_buf_init(&b, &a);
    /* 151 comparisons and 150 ANDs: 301 operators */
    for (int i = 0; i < 151; i++)
        ddb_buf_puts(&b, i ? " AND a = :v" : "a = :v");
    CHECK_EQ_STR(parse(C, b.ptr), "Invalid ConditionExpression: The expression contains too many operators; operator count: 301");
    ddb_buf_clear(&b);
    for (int i = 0; i < 150; i++)
        ddb_buf_puts(&b, i ? " AND a = :v" : "a = :v");
    CHECK_EQ_STR(parse(C, b.ptr), "OK");
    ddb_buf_clear(&b);
    for (int i = 0; i < 300; i++)
        ddb_buf_puts(&b, "NOT ");
    ddb_buf_puts(&b, "a = :v");
    CHECK_EQ_STR(parse(C, b.ptr), "Invalid ConditionExpression: The expression contains too many operators; operator count: 301");
    /* DynamoDB reports the first operator past the limit, however many follow */
    ddb_buf_clear(&b);
    for (int i = 0; i < 1000; i++)
        ddb_buf_puts(&b, "NOT ");
    ddb_buf_puts(&b, "a = :v");
    CHECK_EQ_STR(parse(C, b.ptr), "Invalid ConditionExpression: The expression contains too many operators; operator count: 301");
    /* a function call is an operator: 149 comparisons, 148 ORs, OR, NOT, NOT, call */
    ddb_buf_clear(&b);
    for (int i = 0; i < 149; i++)
        ddb_buf_puts(&b, i ? " OR a = :v" : "a = :v");
    ddb_buf_puts(&b, " OR NOT attribute_exists(a)");
    CHECK_EQ_STR(parse(C, b.ptr), "OK");
    ddb_buf_puts(&b, " OR attribute_exists(a)");
    CHECK_EQ_STR(parse(C, b.ptr), "Invalid ConditionExpression: The expression contains too many operators; operator count: 301");
    /* the distinct-operand rule covers BETWEEN and IN */
    CHECK_EQ_STR(parse(C, "a BETWEEN a AND :v"), "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: BETWEEN, first operand: [a]");
    CHECK_EQ_STR(parse(C, "a.b[1] IN (:v, a.b[1])"), "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: IN, first operand: [a, b, [1]]");
    ddb_buf_clear(&b);
    ddb_buf_puts(&b, "a IN (:v");
    for (int i = 0; i < 100; i++)
        ddb_buf_puts(&b, ", :v");
    ddb_buf_puts(&b, ")");
    CHECK_EQ_STR(parse(C, b.ptr), "Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101");
    ddb_buf_clear(&b);
    for (int i = 0; i < 300; i++)
        ddb_buf_putc(&b, '(');
    ddb_buf_puts(&b, "a = :v");
    for (int i = 0; i < 300; i++)
        ddb_buf_putc(&b, ')');
    CHECK_EQ_STR(parse(C, b.ptr), "Invalid ConditionExpression: The expression has redundant parentheses;");
    ddb_buf_clear(&b);
    ddb_buf_puts(&b, "a = :v");
    for (int i = 0; i < 5001; i++)
        ddb_buf_putc(&b, ' ');
    CHECK_EQ_STR(parse(C, b.ptr), "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 5007");
    /* deep nesting without redundancy stays bounded (the depth cap) */
    ddb_buf_clear(&b);
    for (int i = 0; i < 800; i++)
        ddb_buf_puts(&b, "NOT (");
    CHECK(strncmp(parse(C, b.ptr), "Invalid ConditionExpression: ", 29) == 0);
    ddb_buf_clear(&b);
    for (int i = 0; i < 800; i++)
        ddb_buf_puts(&b, "size(");
    CHECK(strncmp(parse(C, b.ptr), "Invalid ConditionExpression: ", 29) == 0);
    ddb_arena_release(&a);
}

TEST(key_condition_result)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_expr_ctx cx;
    t_ctx(&cx, &a);
    struct ddb_keycond_schema ks = {DDB_SLICE_LIT("pk"), DDB_T_S, DDB_SLICE_LIT("sk"), DDB_T_N};
    struct ddb_key_condition kc;
    struct ddb_error err;
    CHECK(ddb_expr_parse_key_condition(&cx, DDB_SLICE_LIT("pk = :v"), &ks, &kc, &err) == 0);
    CHECK(kc.hash_value == &t_values[0].value && kc.range_op == DDB_RANGE_NONE);
    CHECK(ddb_expr_parse_key_condition(&cx, DDB_SLICE_LIT(":n < sk AND :v = pk"), &ks, &kc, &err) == 0);
    CHECK(kc.hash_value == &t_values[0].value && kc.range_op == DDB_RANGE_GT && kc.v1 == &t_values[1].value);
    CHECK(ddb_expr_parse_key_condition(&cx, DDB_SLICE_LIT("pk = :v AND (sk BETWEEN :n AND :m)"), &ks, &kc, &err) == 0);
    CHECK(kc.range_op == DDB_RANGE_BETWEEN && kc.v1 == &t_values[1].value && kc.v2 == &t_values[2].value);
    const char *ops[] = {"sk = :n", "sk < :n", "sk <= :n", "sk > :n", "sk >= :n"};
    enum ddb_range_op want[] = {DDB_RANGE_EQ, DDB_RANGE_LT, DDB_RANGE_LE, DDB_RANGE_GT, DDB_RANGE_GE};
    for (int i = 0; i < 5; i++) {
        char text[64];
        snprintf(text, sizeof text, "%s AND pk = :v", ops[i]);
        CHECK(ddb_expr_parse_key_condition(&cx, ddb_slice_cstr(text), &ks, &kc, &err) == 0);
        CHECK(kc.range_op == want[i]);
    }
    struct ddb_keycond_schema ks_s = {DDB_SLICE_LIT("pk"), DDB_T_S, DDB_SLICE_LIT("sk"), DDB_T_S};
    CHECK(ddb_expr_parse_key_condition(&cx, DDB_SLICE_LIT("pk = :v AND begins_with(sk, :x)"), &ks_s, &kc, &err) == 0);
    CHECK(kc.range_op == DDB_RANGE_BEGINS_WITH && kc.v1 == &t_values[8].value);
    struct ddb_keycond_schema hash_only = {DDB_SLICE_LIT("pk"), DDB_T_S, {NULL, 0}, DDB_T_S};
    CHECK(ddb_expr_parse_key_condition(&cx, DDB_SLICE_LIT("pk = :v AND sk = :n"), &hash_only, &kc, &err) == -1);
    CHECK_EQ_STR(err.message, "Query key condition not supported");
    CHECK(ddb_expr_parse_key_condition(&cx, DDB_SLICE_LIT("x = :v"), &hash_only, &kc, &err) == -1);
    CHECK_EQ_STR(err.message, "Query condition missed key schema element: pk");
    CHECK(ddb_expr_parse_key_condition(&cx, DDB_SLICE_LIT("pk = a"), &hash_only, &kc, &err) == -1);
    CHECK_EQ_STR(err.message, "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
    ddb_arena_release(&a);
}
