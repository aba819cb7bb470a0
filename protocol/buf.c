#include "buf.h"

#include <stdio.h>
#include <stdlib.h>

void ddb_buf_init(struct ddb_buf *b, struct ddb_arena *a)
{
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
    b->arena = a;
}

char *ddb_buf_reserve(struct ddb_buf *b, size_t n)
{
    if (n > SIZE_MAX / 4 - b->len)
        abort();
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        while (cap < b->len + n)
            cap *= 2;
        char *p = ddb_arena_alloc(b->arena, cap + 1);
        if (b->len)
            memcpy(p, b->ptr, b->len);
        p[b->len] = '\0';
        b->ptr = p;
        b->cap = cap;
    }
    return b->ptr + b->len;
}

void ddb_buf_commit(struct ddb_buf *b, size_t n)
{
    b->len += n;
    b->ptr[b->len] = '\0';
}

void ddb_buf_append(struct ddb_buf *b, const void *p, size_t n)
{
    char *d = ddb_buf_reserve(b, n);
    if (n)
        memcpy(d, p, n);
    ddb_buf_commit(b, n);
}

void ddb_buf_putc(struct ddb_buf *b, char c)
{
    char *d = ddb_buf_reserve(b, 1);
    *d = c;
    ddb_buf_commit(b, 1);
}

void ddb_buf_puts(struct ddb_buf *b, const char *s)
{
    ddb_buf_append(b, s, strlen(s));
}

void ddb_buf_printf(struct ddb_buf *b, const char *fmt, ...)
{
    /* formatted in the arena, then appended: simple, and rare enough */
    va_list ap;
    va_start(ap, fmt);
    char *s = ddb_arena_vprintf(b->arena, fmt, ap);
    va_end(ap);
    ddb_buf_puts(b, s);
}
