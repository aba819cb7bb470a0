/*
 * buf.h: a growable byte buffer whose storage comes from an arena.
 *
 * Growing copies the contents into a larger arena allocation (doubling), so
 * the waste is bounded by the final size. The contents are always followed by
 * a NUL byte that is not counted in len, so ptr can be printed for debugging.
 *
 * Lifetime: ptr is valid until the next append or the arena's release.
 * Thread safety: none.
 */
#ifndef DDB_BUF_H
#define DDB_BUF_H

#include <stdarg.h>

#include "arena.h"

struct ddb_buf {
    char *ptr;
    size_t len;
    size_t cap; /* usable bytes, not counting the trailing NUL */
    struct ddb_arena *arena;
};

/* An empty buffer; allocates nothing. */
void ddb_buf_init(struct ddb_buf *b, struct ddb_arena *a);

/* Makes room for n more bytes; returns a pointer to where they go. Call
 * ddb_buf_commit() with the number actually written. */
char *ddb_buf_reserve(struct ddb_buf *b, size_t n);
void ddb_buf_commit(struct ddb_buf *b, size_t n);

void ddb_buf_append(struct ddb_buf *b, const void *p, size_t n);
void ddb_buf_putc(struct ddb_buf *b, char c);
void ddb_buf_puts(struct ddb_buf *b, const char *s);
void ddb_buf_printf(struct ddb_buf *b, const char *fmt, ...) DDB_PRINTF(2, 3);

/* Drops the contents, keeps the storage. */
static inline void ddb_buf_clear(struct ddb_buf *b)
{
    b->len = 0;
    if (b->ptr)
        b->ptr[0] = '\0';
}

static inline ddb_slice ddb_buf_slice(const struct ddb_buf *b)
{
    return (ddb_slice){b->ptr, b->len};
}

#endif
