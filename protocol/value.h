/*
 * value.h: the AttributeValue model (all ten DynamoDB types) and items.
 *
 * A value is a tagged union. Strings (S) are UTF-8 bytes; binaries (B) are the
 * decoded bytes (base64 lives only on the wire); numbers (N) are exact
 * decimals in normal form. Sets (SS, NS, BS) and lists (L) hold an array of
 * element values (set elements carry their scalar type: S, N or B); maps (M)
 * and items hold an array of name/value attributes with unique names.
 *
 * Ownership: values do not own their bytes; builders allocate them in the
 * request arena (or point into the request body / a decoded storage image
 * in the arena). Nothing here frees.
 *
 * Thread safety: all functions are pure or write only to their out params.
 */
#ifndef DDB_VALUE_H
#define DDB_VALUE_H

#include "arena.h"
#include "decimal.h"

enum ddb_type {
    DDB_T_S = 0,
    DDB_T_N,
    DDB_T_B,
    DDB_T_SS,
    DDB_T_NS,
    DDB_T_BS,
    DDB_T_M,
    DDB_T_L,
    DDB_T_NULL,
    DDB_T_BOOL,
};

struct ddb_attr;

struct ddb_value {
    enum ddb_type type;
    uint32_t count; /* SS/NS/BS/L: elements; M: members; else 0 */
    union {
        ddb_slice str;            /* S (UTF-8), B (raw bytes) */
        struct ddb_decimal num;   /* N */
        bool boolean;             /* BOOL (NULL carries no payload) */
        struct ddb_value *elems;  /* SS, NS, BS, L */
        struct ddb_attr *members; /* M */
    } u;
};

struct ddb_attr {
    ddb_slice name;
    struct ddb_value value;
};

/* An item is a map at top level. */
struct ddb_item {
    uint32_t count;
    struct ddb_attr *attrs;
};

/* DynamoDB's type descriptor ("S", "N", ..., "NULL", "BOOL"). */
const char *ddb_type_name(enum ddb_type t);

/* The attribute called name, or NULL. Linear. */
const struct ddb_value *ddb_item_get(const struct ddb_item *item, ddb_slice name);

/* Deep equality as DynamoDB compares values: same type and same contents;
 * numbers numerically; sets regardless of element order. */
bool ddb_value_equal(const struct ddb_value *a, const struct ddb_value *b);

/* Size in bytes as DynamoDB computes it for the 400 KB item limit and for
 * capacity units (attribute names count, numbers by their significant
 * digits, overheads for M, L, NULL and BOOL, ...). */
size_t ddb_value_size(const struct ddb_value *v);
size_t ddb_item_size(const struct ddb_item *item);

/* A deep copy of v / item into arena a (used to detach values from a buffer
 * that is about to go away). */
void ddb_value_copy(struct ddb_arena *a, const struct ddb_value *src, struct ddb_value *dst);
void ddb_item_copy(struct ddb_arena *a, const struct ddb_item *src, struct ddb_item *dst);

#endif
