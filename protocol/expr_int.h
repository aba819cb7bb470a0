/*
 * expr_int.h: what the expr_*.c files share and nothing else includes
 * (the token stream, the reserved-word table, message helpers).
 */
#ifndef DDB_EXPR_INT_H
#define DDB_EXPR_INT_H

#include "expr.h"

enum ddb_tok {
    TK_EOF = 0,
    TK_NAME,   /* [A-Za-z][A-Za-z0-9_]* that is not a keyword */
    TK_HNAME,  /* #[A-Za-z0-9_]+ */
    TK_VALUE,  /* :[A-Za-z0-9_]+ */
    TK_NUMBER, /* 0 | [1-9][0-9]* (list indexes) */
    TK_DOT, TK_LBRACKET, TK_RBRACKET, TK_LPAREN, TK_RPAREN, TK_COMMA,
    TK_EQ, TK_NE, TK_LT, TK_LE, TK_GT, TK_GE, TK_PLUS, TK_MINUS,
    /* keywords (case-insensitive) */
    TK_AND, TK_OR, TK_NOT, TK_BETWEEN, TK_IN, TK_SET, TK_REMOVE, TK_ADD, TK_DELETE,
    TK_ERROR, /* one character that starts no token (one UTF-8 sequence) */
};

struct ddb_token {
    enum ddb_tok kind;
    uint32_t start, len; /* byte span in the text; EOF: start = text length, len 0 */
};

/* Splits text (at most DDB_MAX_EXPRESSION_BYTES, checked by the caller) into
 * tokens in arena a; the last one is TK_EOF. Never fails: bytes that start
 * no token become TK_ERROR tokens, which the parser reports. */
struct ddb_token *ddb_expr_lex(struct ddb_arena *a, ddb_slice text, uint32_t *count);

/* Whether name (any case) is one of DynamoDB's reserved words. */
bool ddb_expr_is_reserved(ddb_slice name);

/* "[a, b, [1], c]" for the overlap messages. */
const char *ddb_path_format(struct ddb_arena *a, const struct ddb_path *p);

/* Whether one path is a prefix of the other (equal included). */
bool ddb_path_overlap(const struct ddb_path *x, const struct ddb_path *y);

/* -1/0/+1 for same-type N, S or B; sets *ok false for other pairs. */
int ddb_expr_order(const struct ddb_value *x, const struct ddb_value *y, bool *ok);


/* "AttributeValue: {N:5}" as DynamoDB prints a value in BETWEEN messages. */
const char *ddb_expr_value_text(struct ddb_arena *a, const struct ddb_value *v);

#endif
