#include "arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* Blocks start at 4 KiB and double up to 1 MiB; a request larger than the
 * block size gets a block of its own. */
#define ARENA_FIRST_BLOCK 4096
#define ARENA_MAX_BLOCK (1024 * 1024)
#define ARENA_ALIGN 16

struct ddb_arena_block {
    struct ddb_arena_block *next;
    size_t size; /* usable bytes after the header */
    _Alignas(ARENA_ALIGN) char data[];
};

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (p == NULL) {
        fputs("ddbd: out of memory\n", stderr);
        abort();
    }
    return p;
}

void ddb_arena_init(struct ddb_arena *a)
{
    a->blocks = NULL;
    a->cur = NULL;
    a->end = NULL;
    a->total = 0;
}

static void arena_grow(struct ddb_arena *a, size_t need)
{
    size_t size = a->blocks ? a->blocks->size * 2 : ARENA_FIRST_BLOCK;
    if (size > ARENA_MAX_BLOCK)
        size = ARENA_MAX_BLOCK;
    if (size < need)
        size = need;
    if (size > SIZE_MAX - sizeof(struct ddb_arena_block))
        abort();
    struct ddb_arena_block *b = xmalloc(sizeof(*b) + size);
    b->size = size;
    b->next = a->blocks;
    a->blocks = b;
    a->cur = b->data;
    a->end = b->data + size;
}

void *ddb_arena_alloc(struct ddb_arena *a, size_t n)
{
    if (n > SIZE_MAX - ARENA_ALIGN)
        abort();
    size_t rounded = (n + (ARENA_ALIGN - 1)) & ~(size_t)(ARENA_ALIGN - 1);
    if (rounded == 0)
        rounded = ARENA_ALIGN;
    if (a->cur == NULL || (size_t)(a->end - a->cur) < rounded)
        arena_grow(a, rounded);
    void *p = a->cur;
    a->cur += rounded;
    a->total += rounded;
    return p;
}

void *ddb_arena_calloc(struct ddb_arena *a, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        abort();
    void *p = ddb_arena_alloc(a, count * size);
    memset(p, 0, count * size);
    return p;
}

char *ddb_arena_memdup(struct ddb_arena *a, const void *p, size_t n)
{
    if (n == SIZE_MAX)
        abort();
    char *d = ddb_arena_alloc(a, n + 1);
    if (n)
        memcpy(d, p, n);
    d[n] = '\0';
    return d;
}

char *ddb_arena_vprintf(struct ddb_arena *a, const char *fmt, va_list ap)
{
    /* most messages fit the stack buffer: format once, copy once */
    char small[256];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    if (n < 0)
        n = 0;
    char *s = ddb_arena_alloc(a, (size_t)n + 1);
    if ((size_t)n < sizeof small)
        memcpy(s, small, (size_t)n + 1);
    else
        vsnprintf(s, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return s;
}

char *ddb_arena_printf(struct ddb_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = ddb_arena_vprintf(a, fmt, ap);
    va_end(ap);
    return s;
}

void ddb_arena_reset(struct ddb_arena *a)
{
    struct ddb_arena_block *b = a->blocks;
    if (b == NULL)
        return;
    /* keep the oldest block (the smallest), free the rest */
    struct ddb_arena_block *keep = b;
    while (keep->next)
        keep = keep->next;
    while (b != keep) {
        struct ddb_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->blocks = keep;
    a->cur = keep->data;
    a->end = keep->data + keep->size;
    a->total = 0;
}

void ddb_arena_release(struct ddb_arena *a)
{
    struct ddb_arena_block *b = a->blocks;
    while (b) {
        struct ddb_arena_block *next = b->next;
        free(b);
        b = next;
    }
    ddb_arena_init(a);
}
