/*
 * base.h: the few definitions every layer shares.
 *
 * ddb_slice is a pointer+length view of bytes it does not own (h2o's iovec
 * idea). Slices are never assumed to be NUL-terminated; whoever hands one out
 * says how long the bytes live (usually: as long as the request's arena).
 *
 * Thread safety: everything here is pure and reentrant.
 */
#ifndef DDB_BASE_H
#define DDB_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define DDB_MUST_CHECK __attribute__((warn_unused_result))
#define DDB_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define DDB_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

typedef struct ddb_slice {
    const char *ptr;
    size_t len;
} ddb_slice;

/* A slice of a string literal, without its NUL. */
#define DDB_SLICE_LIT(s) ((ddb_slice){(s), sizeof(s) - 1})

static inline ddb_slice ddb_slice_make(const char *p, size_t n)
{
    return (ddb_slice){p, n};
}

static inline ddb_slice ddb_slice_cstr(const char *s)
{
    return (ddb_slice){s, strlen(s)};
}

static inline bool ddb_slice_eq(ddb_slice a, ddb_slice b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static inline bool ddb_slice_eq_cstr(ddb_slice a, const char *s)
{
    return ddb_slice_eq(a, ddb_slice_cstr(s));
}

/* Byte-wise (memcmp) order; a proper prefix sorts first. Returns <0, 0, >0. */
static inline int ddb_slice_cmp(ddb_slice a, ddb_slice b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
    if (c != 0)
        return c;
    return (a.len > b.len) - (a.len < b.len);
}

#endif
