/*
 * keycodec.h: the order-preserving, self-delimiting RocksDB key encoding.
 *
 * Every key in the `items` and `index` column families is built here, so that
 * RocksDB's bytewise (memcmp) order is DynamoDB's order and a Query or a
 * parallel-scan segment is one contiguous key range.
 *
 * THE FORMAT IS ON DISK: nothing below may change without a data migration.
 *
 * Item key (column family `items`):
 *
 *   offset  size  field
 *   0       8     table_id, unsigned, big-endian
 *   8       4     hash32 of the partition-key component (below), big-endian
 *   12      var   partition-key component
 *   ...     var   sort-key component (only if the table has a sort key)
 *
 * Index key (column family `index`), built from the same pieces:
 *
 *   index_id (8, BE) | hash32(index pk component) (4, BE) | index pk component
 *   | index sk component (if the index has one) | base pk component
 *   | base sk component (if the table has one)
 *
 * i.e. ddb_keycodec_partition_prefix(index_id, index pk) followed by
 * ddb_keycodec_append_component() for each of the remaining values.
 *
 * Components. A component is the encoding of one scalar key value (S, N or
 * B). The key schema says which type each component has, so no type tag is
 * stored. For two values x, y of the same type and any byte strings s, t:
 *
 *   sign(memcmp-order(enc(x) s, enc(y) t)) == sign(cmp(x, y))  when x != y
 *
 * (no encoding is a proper prefix of another: components are self-delimiting).
 *
 *   S and B: the bytes of the value (S: UTF-8 as is, so the order is UTF-8
 *            byte order, which is DynamoDB's; B: unsigned byte order), with
 *            every 0x00 byte written as 0x00 0xFF, then the terminator
 *            0x00 0x01. After a 0x00 only 0xFF or 0x01 may follow.
 *
 *   N:       one sign byte: 0x01 negative, 0x02 zero, 0x03 positive.
 *            Zero is that byte alone. Otherwise the magnitude is written as
 *            0.d1 d2 ... dn x 100^E with base-100 digits d1..dn, d1 != 0,
 *            dn != 0 (n <= 20 for 38 significant decimal digits) and
 *            E in -64..63 (DynamoDB's 1E-130 .. 9.99E+125):
 *              1 byte   E + 64                     (0..127)
 *              n bytes  2*di + 1 for i < n, 2*dn for the last digit
 *            so the digit bytes are odd until the last, which is even and
 *            ends the component (a shorter mantissa that is a prefix of a
 *            longer one sorts first because 2*d < 2*d + 1). For a negative
 *            number every byte after the sign byte is inverted (255 - b), so
 *            larger magnitudes sort first.
 *            Maximum length: 1 + 1 + 20 = 22 bytes (DDB_KEYCODEC_NUM_MAX).
 *
 * hash32 (fixed forever, it orders the keys on disk): over the bytes of the
 * partition-key component as encoded above,
 *   h = 0xcbf29ce484222325                    (64-bit FNV-1a offset basis)
 *   for each byte c: h ^= c; h *= 0x00000100000001b3   (mod 2^64)
 *   then the splitmix64 finalizer:
 *   h ^= h >> 30; h *= 0xbf58476d1ce4e5b9; h ^= h >> 27;
 *   h *= 0x94d049bb133111eb; h ^= h >> 31
 *   hash32 = h >> 32
 * e.g. the S value "" (component 00 01) hashes to 0x412ba104; more vectors in
 * tests/unit/storage/test_keycodec.c.
 *
 * Ranges are half-open [start, end) in memcmp order. An `end` buffer left
 * empty means "no upper bound" (only possible for id 2^64-1, which the catalog
 * never hands out).
 *
 * Values passed to the encoders are trusted (validated request input or
 * values decoded by the codecs): S/B/N only, numbers in normal form and in
 * range. Key bytes passed to the decoders are untrusted.
 *
 * Thread safety: all functions are pure or write only to their out params;
 * buffers and arenas belong to the caller.
 */
#ifndef DDB_KEYCODEC_H
#define DDB_KEYCODEC_H

#include "protocol/buf.h"
#include "protocol/error.h"
#include "protocol/value.h"

#define DDB_KEYCODEC_HEADER 12   /* table_id + hash32 */
#define DDB_KEYCODEC_NUM_MAX 22  /* longest N component */
#define DDB_KEYCODEC_MAX_COMPONENTS 4

/* Which key attributes a key holds, in order: the partition key type, and
 * the sort key type if has_sk. Types are DDB_T_S, DDB_T_N or DDB_T_B. */
struct ddb_keycodec_schema {
    enum ddb_type pk_type;
    enum ddb_type sk_type;
    bool has_sk;
};

/* A decoded item key. pk/sk S and B bytes are copies in the decoding arena. */
struct ddb_keycodec_item_key {
    uint64_t table_id;
    uint32_t hash;
    struct ddb_value pk;
    struct ddb_value sk; /* meaningful only if has_sk */
    bool has_sk;
};

/* Sort-key conditions of a KeyConditionExpression. */
enum ddb_keycodec_op {
    DDB_KEYOP_ALL = 0, /* no sort-key condition: the whole partition */
    DDB_KEYOP_EQ,
    DDB_KEYOP_LT,
    DDB_KEYOP_LE,
    DDB_KEYOP_GT,
    DDB_KEYOP_GE,
    DDB_KEYOP_BETWEEN,     /* a <= sk <= b */
    DDB_KEYOP_BEGINS_WITH, /* S or B only */
};

/* Appends the component encoding of v (S, N or B) to b. */
void ddb_keycodec_append_component(struct ddb_buf *b, const struct ddb_value *v);

/* Decodes one component of type t starting at key[*off] (key has len bytes,
 * untrusted) into *out, advancing *off past it. S/B bytes are copied into a
 * (NUL-terminated, not counted). Returns 0, or -1 with DDB_ERR_INTERNAL and a
 * message "corrupt key at offset N: ..." (message in a). */
int ddb_keycodec_decode_component(struct ddb_arena *a, const char *key, size_t len, size_t *off,
                                  enum ddb_type t, struct ddb_value *out,
                                  struct ddb_error *e) DDB_MUST_CHECK;

/* hash32 (see above) of an encoded partition-key component. */
uint32_t ddb_keycodec_hash(const char *component, size_t len);

/* Appends the 8-byte table (or index) prefix: the range of one table's keys
 * is [prefix, ddb_keycodec_prefix_end(prefix)). */
void ddb_keycodec_table_prefix(struct ddb_buf *b, uint64_t table_id);

/* Appends table_id | hash32(pk) | pk component: every key of one partition
 * starts with it (a Query's range, or the whole key of a table without a
 * sort key). */
void ddb_keycodec_partition_prefix(struct ddb_buf *b, uint64_t table_id,
                                   const struct ddb_value *pk);

/* Appends the item key: partition prefix, then the sort-key component if sk
 * is not NULL. */
void ddb_keycodec_item_key(struct ddb_buf *b, uint64_t table_id, const struct ddb_value *pk,
                           const struct ddb_value *sk);

/* Appends an index key: index_id | hash32(ipk) | ipk | isk (if not NULL) |
 * bpk | bsk (if not NULL), where ipk/isk are the index's key values and
 * bpk/bsk the base item's. Decode it with ddb_keycodec_decode_key(). */
void ddb_keycodec_index_key(struct ddb_buf *b, uint64_t index_id, const struct ddb_value *ipk,
                            const struct ddb_value *isk, const struct ddb_value *bpk,
                            const struct ddb_value *bsk);

/* Turns the prefix in b into the smallest byte string greater than every
 * string that starts with it: trailing 0xFF bytes are dropped and the last
 * remaining byte incremented. Returns false (and leaves b empty, meaning "no
 * upper bound") if b was empty or all 0xFF. */
bool ddb_keycodec_prefix_end(struct ddb_buf *b);

/* Appends 0x00: b becomes the smallest key strictly greater than b (a start
 * bound after an ExclusiveStartKey). */
void ddb_keycodec_key_successor(struct ddb_buf *b);

/* The hashes of parallel-scan segment `segment` of `total` (0 <= segment <
 * total <= DDB_MAX_TOTAL_SEGMENTS, checked by the caller):
 * [floor(segment * 2^32 / total), floor((segment + 1) * 2^32 / total)).
 * *hi may be 2^32. The segments of one total partition the hash space. */
void ddb_keycodec_segment_hashes(uint32_t segment, uint32_t total, uint64_t *lo, uint64_t *hi);

/* Appends to start/end (both empty on entry) the key range of the items of
 * table_id whose hash32 is in [lo, hi), lo <= hi <= 2^32. */
void ddb_keycodec_hash_range(struct ddb_buf *start, struct ddb_buf *end, uint64_t table_id,
                             uint64_t lo, uint64_t hi);

/* Appends to start/end (both empty on entry) the key range, within the
 * partition whose prefix is `partition` (from ddb_keycodec_partition_prefix),
 * of the keys whose next component (the sort key) satisfies `op` with operand
 * a (and b for BETWEEN; both unused for ALL). Keys may continue after the sort
 * key (index keys): the range covers them too.
 *   ALL          [P, end(P))
 *   EQ a         [P a, end(P a))
 *   LT a         [P, P a)
 *   LE a         [P, end(P a))
 *   GT a         [end(P a), end(P))
 *   GE a         [P a, end(P))
 *   BETWEEN a b  [P a, end(P b))      (empty, start >= end, if a > b)
 *   BEGINS_WITH  [P esc(a), end(P esc(a))) with esc(a) a's S/B component
 *                without its terminator (prefixes of escaped strings are
 *                escaped prefixes, since 0x00 0xFF and the other single
 *                bytes form a prefix-free code and 0x00 0x01 is not in it)
 * where end(x) is ddb_keycodec_prefix_end(x). Operands must have the sort
 * key's type (expr_keycond checks that and DynamoDB's other rules). Returns
 * -1 with DDB_ERR_VALIDATION only for BEGINS_WITH on a number (a "cannot
 * happen" check; the message is not DynamoDB's). */
int ddb_keycodec_sort_range(struct ddb_buf *start, struct ddb_buf *end, ddb_slice partition,
                            enum ddb_keycodec_op op, const struct ddb_value *a,
                            const struct ddb_value *b, struct ddb_error *e) DDB_MUST_CHECK;

/* Decodes an item key (untrusted bytes) of a table with the given schema:
 * header, partition key, sort key if schema->has_sk, and nothing after. The
 * stored hash must match the partition key. Returns 0, or -1 with
 * DDB_ERR_INTERNAL ("corrupt key at offset N: ..."). */
int ddb_keycodec_decode_item_key(struct ddb_arena *a, const char *key, size_t len,
                                 const struct ddb_keycodec_schema *schema,
                                 struct ddb_keycodec_item_key *out,
                                 struct ddb_error *e) DDB_MUST_CHECK;

/* The general form (index keys): decodes the header and exactly n components
 * of the given types (n <= DDB_KEYCODEC_MAX_COMPONENTS, the first being the
 * hashed partition key) into out[0..n-1]. */
int ddb_keycodec_decode_key(struct ddb_arena *a, const char *key, size_t len,
                            const enum ddb_type *types, size_t n, uint64_t *id, uint32_t *hash,
                            struct ddb_value *out, struct ddb_error *e) DDB_MUST_CHECK;

#endif
