/*
 * expr_lex.c: the expression lexer and DynamoDB's reserved words.
 *
 * The token set mirrors DynamoDB's grammar as observed on DynamoDB Local
 * (MESSAGES-expr.md): names start with a letter, placeholders take
 * [A-Za-z0-9_]+ after '#' or ':', list indexes are unsigned decimals without
 * leading zeros ("01" is "0" then "1"), and a byte that starts no token is a
 * token of its own that the parser reports as `token: "@"`.
 */
#include "expr_int.h"

#include <stdlib.h>

static bool is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static bool is_word(unsigned char c)
{
    return is_alpha(c) || is_digit(c) || c == '_';
}

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool ieq(const char *p, size_t n, const char *kw)
{
    size_t i = 0;
    for (; i < n && kw[i]; i++) {
        char c = p[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (c != kw[i])
            return false;
    }
    return i == n && kw[i] == '\0';
}

static enum ddb_tok keyword(const char *p, size_t n)
{
    static const struct {
        const char *word;
        enum ddb_tok tok;
    } kws[] = {
        {"AND", TK_AND},   {"OR", TK_OR},         {"NOT", TK_NOT}, {"BETWEEN", TK_BETWEEN},
        {"IN", TK_IN},     {"SET", TK_SET},       {"REMOVE", TK_REMOVE},
        {"ADD", TK_ADD},   {"DELETE", TK_DELETE},
    };
    for (size_t i = 0; i < DDB_ARRAY_LEN(kws); i++)
        if (ieq(p, n, kws[i].word))
            return kws[i].tok;
    return TK_NAME;
}

/* Length of the UTF-8 sequence starting at p (1 for invalid bytes), so an
 * unknown character is quoted whole in messages. */
static uint32_t utf8_len(const unsigned char *p, const unsigned char *end)
{
    unsigned need = p[0] >= 0xF0 && p[0] < 0xF5 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC2 ? 2 : 1;
    if (p[0] < 0x80 || need == 1)
        return 1;
    if ((size_t)(end - p) < need)
        return 1;
    for (unsigned i = 1; i < need; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 1;
    return need;
}

struct ddb_token *ddb_expr_lex(struct ddb_arena *a, ddb_slice text, uint32_t *count)
{
    /* at most one token per byte, plus EOF */
    struct ddb_token *toks = ddb_arena_alloc(a, (text.len + 1) * sizeof(*toks));
    const unsigned char *s = (const unsigned char *)text.ptr;
    size_t n = text.len, i = 0;
    uint32_t k = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (is_space(c)) {
            i++;
            continue;
        }
        struct ddb_token t = {TK_ERROR, (uint32_t)i, 1};
        if (is_alpha(c)) {
            size_t j = i + 1;
            while (j < n && is_word(s[j]))
                j++;
            t.len = (uint32_t)(j - i);
            t.kind = keyword(text.ptr + i, j - i);
        } else if (c == '#' || c == ':') {
            size_t j = i + 1;
            while (j < n && is_word(s[j]))
                j++;
            if (j > i + 1) {
                t.kind = c == '#' ? TK_HNAME : TK_VALUE;
                t.len = (uint32_t)(j - i);
            }
        } else if (is_digit(c)) {
            size_t j = i + 1;
            if (c != '0')
                while (j < n && is_digit(s[j]))
                    j++;
            t.kind = TK_NUMBER;
            t.len = (uint32_t)(j - i);
        } else {
            switch (c) {
            case '.': t.kind = TK_DOT; break;
            case '[': t.kind = TK_LBRACKET; break;
            case ']': t.kind = TK_RBRACKET; break;
            case '(': t.kind = TK_LPAREN; break;
            case ')': t.kind = TK_RPAREN; break;
            case ',': t.kind = TK_COMMA; break;
            case '+': t.kind = TK_PLUS; break;
            case '-': t.kind = TK_MINUS; break;
            case '=': t.kind = TK_EQ; break;
            case '<':
                if (i + 1 < n && s[i + 1] == '>') {
                    t.kind = TK_NE;
                    t.len = 2;
                } else if (i + 1 < n && s[i + 1] == '=') {
                    t.kind = TK_LE;
                    t.len = 2;
                } else {
                    t.kind = TK_LT;
                }
                break;
            case '>':
                if (i + 1 < n && s[i + 1] == '=') {
                    t.kind = TK_GE;
                    t.len = 2;
                } else {
                    t.kind = TK_GT;
                }
                break;
            default:
                t.len = utf8_len(s + i, s + n);
                break;
            }
        }
        toks[k++] = t;
        i += t.len;
    }
    toks[k++] = (struct ddb_token){TK_EOF, (uint32_t)n, 0};
    *count = k;
    return toks;
}

/* DynamoDB's reserved words ("Reserved words in DynamoDB" in the developer
 * guide), sorted. The guide also lists CONVERT and SIZE, which DynamoDB Local
 * accepts as bare names (MESSAGES-expr.md), so they are left out; AND, OR,
 * NOT, BETWEEN, IN, SET, ADD and DELETE are keywords of the grammar and fail
 * as syntax errors before this list is consulted. */
static const char *const reserved[] = {
#include "expr_reserved.inc"
};

static int reserved_cmp(const void *key, const void *elem)
{
    const ddb_slice *k = key;
    const char *w = *(const char *const *)elem;
    size_t i = 0;
    for (; i < k->len && w[i]; i++) {
        unsigned char c = (unsigned char)k->ptr[i];
        if (c >= 'a' && c <= 'z')
            c = (unsigned char)(c - 'a' + 'A');
        if (c != (unsigned char)w[i])
            return c < (unsigned char)w[i] ? -1 : 1;
    }
    if (i == k->len)
        return w[i] ? -1 : 0;
    return 1;
}

bool ddb_expr_is_reserved(ddb_slice name)
{
    return bsearch(&name, reserved, DDB_ARRAY_LEN(reserved), sizeof(reserved[0]),
                   reserved_cmp) != NULL;
}
