#include "keycodec.h"

#include <assert.h>
#include <stdlib.h>

#define SIGN_NEG 0x01
#define SIGN_ZERO 0x02
#define SIGN_POS 0x03
#define EXP_BIAS 64
#define EXP_MIN (-64)
#define EXP_MAX 63
#define MAX_PAIRS 20

static int corrupt(struct ddb_error *e, struct ddb_arena *a, size_t off, const char *why)
{
    return ddb_error_set(e, a, DDB_ERR_INTERNAL, "corrupt key at offset %zu: %s", off, why);
}

static void put_be(char *p, uint64_t v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        p[i] = (char)(v & 0xff);
        v >>= 8;
    }
}

static uint64_t get_be(const char *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = (v << 8) | (unsigned char)p[i];
    return v;
}

static void append_bytes(struct ddb_buf *b, ddb_slice s)
{
    /* Worst case every byte is 0x00 and doubles. */
    char *d = ddb_buf_reserve(b, 2 * s.len + 2);
    size_t n = 0;
    for (size_t i = 0; i < s.len; i++) {
        d[n++] = s.ptr[i];
        if (s.ptr[i] == 0)
            d[n++] = (char)0xff;
    }
    d[n++] = 0x00;
    d[n++] = 0x01;
    ddb_buf_commit(b, n);
}

static void append_number(struct ddb_buf *b, const struct ddb_decimal *num)
{
    char *d = ddb_buf_reserve(b, DDB_KEYCODEC_NUM_MAX);
    if (num->coef == 0) {
        d[0] = SIGN_ZERO;
        ddb_buf_commit(b, 1);
        return;
    }
    /* Decimal digits of the coefficient, most significant first, with room
     * for one leading and one trailing 0 that align them to base-100 pairs. */
    unsigned char dig[DDB_NUMBER_MAX_DIGITS + 2];
    unsigned char rev[DDB_NUMBER_MAX_DIGITS + 1];
    int nd = 0;
    unsigned __int128 c = num->coef;
    while (c != 0 && nd < DDB_NUMBER_MAX_DIGITS + 1) {
        rev[nd++] = (unsigned char)(c % 10);
        c /= 10;
    }
    assert(c == 0 && nd <= DDB_NUMBER_MAX_DIGITS);
    /* value = 0.D x 10^p with p = (exponent of the first digit) + 1 */
    int p = num->exp + nd;
    int n = 0;
    if (p & 1) {
        dig[n++] = 0;
        p++;
    }
    for (int i = nd - 1; i >= 0; i--)
        dig[n++] = rev[i];
    if (n & 1)
        dig[n++] = 0;
    int e100 = p / 2;
    assert(e100 >= EXP_MIN && e100 <= EXP_MAX);
    int pairs = n / 2;
    unsigned char inv = num->neg ? 0xff : 0x00;
    size_t k = 0;
    d[k++] = num->neg ? SIGN_NEG : SIGN_POS;
    d[k++] = (char)((unsigned char)(e100 + EXP_BIAS) ^ inv);
    for (int i = 0; i < pairs; i++) {
        unsigned v = dig[2 * i] * 10u + dig[2 * i + 1];
        unsigned byte = i + 1 < pairs ? 2 * v + 1 : 2 * v;
        d[k++] = (char)((unsigned char)byte ^ inv);
    }
    ddb_buf_commit(b, k);
}

void ddb_keycodec_append_component(struct ddb_buf *b, const struct ddb_value *v)
{
    switch (v->type) {
    case DDB_T_S:
    case DDB_T_B:
        append_bytes(b, v->u.str);
        break;
    case DDB_T_N:
        append_number(b, &v->u.num);
        break;
    default:
        assert(!"key component must be S, N or B");
        abort();
    }
}

static int decode_bytes(struct ddb_arena *a, const char *key, size_t len, size_t *off,
                        struct ddb_value *out, struct ddb_error *e)
{
    /* First pass: find the terminator and validate the escapes. */
    size_t i = *off, n = 0;
    for (;;) {
        if (i >= len)
            return corrupt(e, a, i, "unterminated string component");
        if (key[i] != 0) {
            i++;
            n++;
            continue;
        }
        if (i + 1 >= len)
            return corrupt(e, a, i, "truncated escape in string component");
        unsigned char next = (unsigned char)key[i + 1];
        if (next == 0x01)
            break;
        if (next != 0xff)
            return corrupt(e, a, i + 1, "bad escape in string component");
        i += 2;
        n++;
    }
    char *dst = ddb_arena_alloc(a, n + 1);
    size_t k = 0;
    for (size_t j = *off; j < i; j++) {
        dst[k++] = key[j];
        if (key[j] == 0)
            j++; /* skip the 0xFF */
    }
    dst[k] = '\0';
    out->u.str = ddb_slice_make(dst, n);
    *off = i + 2;
    return 0;
}

static int decode_number(struct ddb_arena *a, const char *key, size_t len, size_t *off,
                         struct ddb_value *out, struct ddb_error *e)
{
    size_t i = *off;
    if (i >= len)
        return corrupt(e, a, i, "missing number component");
    unsigned char sign = (unsigned char)key[i++];
    struct ddb_decimal *num = &out->u.num;
    num->coef = 0;
    num->exp = 0;
    num->neg = false;
    if (sign == SIGN_ZERO) {
        *off = i;
        return 0;
    }
    if (sign != SIGN_NEG && sign != SIGN_POS)
        return corrupt(e, a, i - 1, "bad number sign byte");
    unsigned char inv = sign == SIGN_NEG ? 0xff : 0x00;
    if (i >= len)
        return corrupt(e, a, i, "truncated number component");
    unsigned eb = (unsigned char)key[i++] ^ inv;
    if (eb > EXP_MAX + EXP_BIAS)
        return corrupt(e, a, i - 1, "number exponent out of range");
    int e100 = (int)eb - EXP_BIAS;
    unsigned pairs[MAX_PAIRS];
    int n = 0;
    for (;;) {
        if (i >= len)
            return corrupt(e, a, i, "unterminated number component");
        unsigned byte = (unsigned char)key[i] ^ inv;
        if (byte > 2 * 99 + 1)
            return corrupt(e, a, i, "bad number digit byte");
        if (n == MAX_PAIRS)
            return corrupt(e, a, i, "too many number digits");
        pairs[n++] = byte >> 1;
        i++;
        if ((byte & 1) == 0)
            break;
    }
    if (pairs[0] == 0)
        return corrupt(e, a, *off + 2, "number has a leading zero digit");
    if (pairs[n - 1] == 0)
        return corrupt(e, a, i - 1, "number has a trailing zero digit");
    int nsig = 2 * n - (pairs[0] < 10) - (pairs[n - 1] % 10 == 0);
    if (nsig > DDB_NUMBER_MAX_DIGITS)
        return corrupt(e, a, i - 1, "number has more than 38 digits");
    /* At most 38 digits once the padding zeros at both ends are left out, so
     * the coefficient fits (40 digits would overflow 128 bits). */
    unsigned __int128 coef = 0;
    for (int k = 0; k + 1 < n; k++)
        coef = coef * 100 + pairs[k];
    int exp = 2 * e100 - 2 * n;
    if (pairs[n - 1] % 10 == 0) {
        coef = coef * 10 + pairs[n - 1] / 10;
        exp++;
    } else {
        coef = coef * 100 + pairs[n - 1];
    }
    int x = exp + nsig - 1;
    if (x < DDB_NUMBER_MIN_EXP || x > DDB_NUMBER_MAX_EXP) /* cannot happen: E is in range */
        return corrupt(e, a, *off, "number out of range");
    num->coef = coef;
    num->exp = exp;
    num->neg = sign == SIGN_NEG;
    *off = i;
    return 0;
}

int ddb_keycodec_decode_component(struct ddb_arena *a, const char *key, size_t len, size_t *off,
                                  enum ddb_type t, struct ddb_value *out, struct ddb_error *e)
{
    memset(out, 0, sizeof *out);
    out->type = t;
    switch (t) {
    case DDB_T_S:
    case DDB_T_B:
        return decode_bytes(a, key, len, off, out, e);
    case DDB_T_N:
        return decode_number(a, key, len, off, out, e);
    default:
        return ddb_error_set(e, a, DDB_ERR_INTERNAL, "key schema type %d is not S, N or B",
                             (int)t);
    }
}

uint32_t ddb_keycodec_hash(const char *component, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)component[i];
        h *= 0x00000100000001b3ull;
    }
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebull;
    h ^= h >> 31;
    return (uint32_t)(h >> 32);
}

void ddb_keycodec_table_prefix(struct ddb_buf *b, uint64_t table_id)
{
    char *d = ddb_buf_reserve(b, 8);
    put_be(d, table_id, 8);
    ddb_buf_commit(b, 8);
}

void ddb_keycodec_partition_prefix(struct ddb_buf *b, uint64_t table_id,
                                   const struct ddb_value *pk)
{
    ddb_keycodec_table_prefix(b, table_id);
    size_t hash_at = b->len;
    ddb_buf_reserve(b, 4);
    ddb_buf_commit(b, 4);
    size_t pk_at = b->len;
    ddb_keycodec_append_component(b, pk);
    uint32_t h = ddb_keycodec_hash(b->ptr + pk_at, b->len - pk_at);
    put_be(b->ptr + hash_at, h, 4);
}

void ddb_keycodec_item_key(struct ddb_buf *b, uint64_t table_id, const struct ddb_value *pk,
                           const struct ddb_value *sk)
{
    ddb_keycodec_partition_prefix(b, table_id, pk);
    if (sk != NULL)
        ddb_keycodec_append_component(b, sk);
}

void ddb_keycodec_index_key(struct ddb_buf *b, uint64_t index_id, const struct ddb_value *ipk,
                            const struct ddb_value *isk, const struct ddb_value *bpk,
                            const struct ddb_value *bsk)
{
    ddb_keycodec_partition_prefix(b, index_id, ipk);
    if (isk != NULL)
        ddb_keycodec_append_component(b, isk);
    ddb_keycodec_append_component(b, bpk);
    if (bsk != NULL)
        ddb_keycodec_append_component(b, bsk);
}

bool ddb_keycodec_prefix_end(struct ddb_buf *b)
{
    while (b->len > 0 && (unsigned char)b->ptr[b->len - 1] == 0xff)
        b->len--;
    if (b->len == 0) {
        ddb_buf_clear(b);
        return false;
    }
    b->ptr[b->len - 1] = (char)((unsigned char)b->ptr[b->len - 1] + 1);
    b->ptr[b->len] = '\0';
    return true;
}

void ddb_keycodec_key_successor(struct ddb_buf *b)
{
    ddb_buf_putc(b, 0x00);
}

void ddb_keycodec_segment_hashes(uint32_t segment, uint32_t total, uint64_t *lo, uint64_t *hi)
{
    assert(total > 0 && segment < total);
    *lo = ((uint64_t)segment << 32) / total;
    *hi = ((uint64_t)segment + 1) * (UINT64_C(1) << 32) / total;
}

void ddb_keycodec_hash_range(struct ddb_buf *start, struct ddb_buf *end, uint64_t table_id,
                             uint64_t lo, uint64_t hi)
{
    assert(lo <= hi && hi <= (UINT64_C(1) << 32));
    char *d = ddb_buf_reserve(start, DDB_KEYCODEC_HEADER);
    put_be(d, table_id, 8);
    put_be(d + 8, lo, 4);
    ddb_buf_commit(start, DDB_KEYCODEC_HEADER);
    if (hi < (UINT64_C(1) << 32)) {
        d = ddb_buf_reserve(end, DDB_KEYCODEC_HEADER);
        put_be(d, table_id, 8);
        put_be(d + 8, hi, 4);
        ddb_buf_commit(end, DDB_KEYCODEC_HEADER);
    } else {
        ddb_keycodec_table_prefix(end, table_id);
        ddb_keycodec_prefix_end(end);
    }
}

/* start/end = P, then the component of v (without its terminator if
 * `prefix_only`), for the bounds of ddb_keycodec_sort_range(). */
static void prefix_plus(struct ddb_buf *b, ddb_slice partition, const struct ddb_value *v,
                        bool prefix_only)
{
    ddb_buf_append(b, partition.ptr, partition.len);
    if (v == NULL)
        return;
    ddb_keycodec_append_component(b, v);
    if (prefix_only) {
        b->len -= 2; /* drop the S/B terminator 0x00 0x01 */
        b->ptr[b->len] = '\0';
    }
}

int ddb_keycodec_sort_range(struct ddb_buf *start, struct ddb_buf *end, ddb_slice partition,
                            enum ddb_keycodec_op op, const struct ddb_value *a,
                            const struct ddb_value *b, struct ddb_error *e)
{
    switch (op) {
    case DDB_KEYOP_ALL:
        prefix_plus(start, partition, NULL, false);
        prefix_plus(end, partition, NULL, false);
        ddb_keycodec_prefix_end(end);
        break;
    case DDB_KEYOP_EQ:
        prefix_plus(start, partition, a, false);
        prefix_plus(end, partition, a, false);
        ddb_keycodec_prefix_end(end);
        break;
    case DDB_KEYOP_LT:
        prefix_plus(start, partition, NULL, false);
        prefix_plus(end, partition, a, false);
        break;
    case DDB_KEYOP_LE:
        prefix_plus(start, partition, NULL, false);
        prefix_plus(end, partition, a, false);
        ddb_keycodec_prefix_end(end);
        break;
    case DDB_KEYOP_GT:
        prefix_plus(start, partition, a, false);
        ddb_keycodec_prefix_end(start);
        prefix_plus(end, partition, NULL, false);
        ddb_keycodec_prefix_end(end);
        break;
    case DDB_KEYOP_GE:
        prefix_plus(start, partition, a, false);
        prefix_plus(end, partition, NULL, false);
        ddb_keycodec_prefix_end(end);
        break;
    case DDB_KEYOP_BETWEEN:
        prefix_plus(start, partition, a, false);
        prefix_plus(end, partition, b, false);
        ddb_keycodec_prefix_end(end);
        break;
    case DDB_KEYOP_BEGINS_WITH:
        if (a->type != DDB_T_S && a->type != DDB_T_B)
            return ddb_error_set(e, start->arena, DDB_ERR_VALIDATION,
                                 "begins_with needs an S or B sort key operand");
        prefix_plus(start, partition, a, true);
        prefix_plus(end, partition, a, true);
        ddb_keycodec_prefix_end(end);
        break;
    }
    return 0;
}

int ddb_keycodec_decode_key(struct ddb_arena *a, const char *key, size_t len,
                            const enum ddb_type *types, size_t n, uint64_t *id, uint32_t *hash,
                            struct ddb_value *out, struct ddb_error *e)
{
    if (n == 0 || n > DDB_KEYCODEC_MAX_COMPONENTS)
        return ddb_error_set(e, a, DDB_ERR_INTERNAL, "key schema with %zu components", n);
    if (len < DDB_KEYCODEC_HEADER)
        return corrupt(e, a, len, "key shorter than its header");
    *id = get_be(key, 8);
    *hash = (uint32_t)get_be(key + 8, 4);
    size_t off = DDB_KEYCODEC_HEADER;
    for (size_t i = 0; i < n; i++) {
        size_t at = off;
        if (ddb_keycodec_decode_component(a, key, len, &off, types[i], &out[i], e) != 0)
            return -1;
        if (i == 0 && ddb_keycodec_hash(key + at, off - at) != *hash)
            return corrupt(e, a, 8, "hash does not match the partition key");
    }
    if (off != len)
        return corrupt(e, a, off, "trailing bytes after the key");
    return 0;
}

int ddb_keycodec_decode_item_key(struct ddb_arena *a, const char *key, size_t len,
                                 const struct ddb_keycodec_schema *schema,
                                 struct ddb_keycodec_item_key *out, struct ddb_error *e)
{
    enum ddb_type types[2] = {schema->pk_type, schema->sk_type};
    struct ddb_value vals[2];
    size_t n = schema->has_sk ? 2 : 1;
    if (ddb_keycodec_decode_key(a, key, len, types, n, &out->table_id, &out->hash, vals, e) != 0)
        return -1;
    out->pk = vals[0];
    out->has_sk = schema->has_sk;
    if (schema->has_sk)
        out->sk = vals[1];
    else
        memset(&out->sk, 0, sizeof out->sk);
    return 0;
}
