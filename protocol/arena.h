/*
 * arena.h: the per-request memory pool.
 *
 * Every request owns one arena. The JSON DOM, the typed input, expression
 * ASTs, item images copied out of storage and the response body are all
 * allocated from it, and everything goes at once with ddb_arena_release().
 * Code that allocates from an arena never frees individual allocations.
 *
 * Out of memory aborts the process (like Redis, h2o and git): client-sized
 * allocations are capped in limits.h before they reach an arena.
 *
 * Lifetime: a pointer returned by an arena is valid until ddb_arena_release()
 * or ddb_arena_reset() on that arena.
 * Thread safety: none; an arena belongs to one request on one thread.
 */
#ifndef DDB_ARENA_H
#define DDB_ARENA_H

#include <stdarg.h>

#include "base.h"

struct ddb_arena_block;

struct ddb_arena {
    struct ddb_arena_block *blocks; /* newest first */
    char *cur;                      /* next free byte in blocks */
    char *end;                      /* end of blocks' space */
    size_t total;                   /* bytes handed out, for statistics */
};

/* Sets up an empty arena; allocates nothing. */
void ddb_arena_init(struct ddb_arena *a);

/* n bytes, 16-byte aligned, uninitialised. n == 0 returns a valid pointer. */
void *ddb_arena_alloc(struct ddb_arena *a, size_t n);

/* count * size zeroed bytes; aborts if the product overflows. */
void *ddb_arena_calloc(struct ddb_arena *a, size_t count, size_t size);

/* A copy of n bytes with a NUL appended (the NUL is not counted in n). */
char *ddb_arena_memdup(struct ddb_arena *a, const void *p, size_t n);

/* printf into the arena; returns the NUL-terminated result. */
char *ddb_arena_printf(struct ddb_arena *a, const char *fmt, ...) DDB_PRINTF(2, 3);

/* The same with a va_list. */
char *ddb_arena_vprintf(struct ddb_arena *a, const char *fmt, va_list ap);

/* Frees everything but keeps the first block for reuse (for loops that
 * handle one batch per iteration). */
void ddb_arena_reset(struct ddb_arena *a);

/* Frees everything; the arena may be used again after ddb_arena_init(). */
void ddb_arena_release(struct ddb_arena *a);

#endif
