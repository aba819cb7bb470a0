#include "itemcodec.h"

enum {
    TAG_S = 0x01,
    TAG_N = 0x02,
    TAG_B = 0x03,
    TAG_SS = 0x04,
    TAG_NS = 0x05,
    TAG_BS = 0x06,
    TAG_M = 0x07,
    TAG_L = 0x08,
    TAG_NULL = 0x09,
    TAG_BOOL = 0x0a,
};

/* Tags indexed by enum ddb_type, and back. */
static const unsigned char type_tag[] = {
    [DDB_T_S] = TAG_S,   [DDB_T_N] = TAG_N,   [DDB_T_B] = TAG_B,       [DDB_T_SS] = TAG_SS,
    [DDB_T_NS] = TAG_NS, [DDB_T_BS] = TAG_BS, [DDB_T_M] = TAG_M,       [DDB_T_L] = TAG_L,
    [DDB_T_NULL] = TAG_NULL, [DDB_T_BOOL] = TAG_BOOL,
};
static const enum ddb_type tag_type[] = {
    [TAG_S] = DDB_T_S,   [TAG_N] = DDB_T_N,   [TAG_B] = DDB_T_B,       [TAG_SS] = DDB_T_SS,
    [TAG_NS] = DDB_T_NS, [TAG_BS] = DDB_T_BS, [TAG_M] = DDB_T_M,       [TAG_L] = DDB_T_L,
    [TAG_NULL] = DDB_T_NULL, [TAG_BOOL] = DDB_T_BOOL,
};

#define U128_10E38 ((unsigned __int128)10000000000000000000ull * 10000000000000000000ull) /* 10^19 * 10^19 */

/* Number of decimal digits of c (c < 10^39). */
static int digits(unsigned __int128 c)
{
    int n = 1;
    while (c >= 10) {
        c /= 10;
        n++;
    }
    return n;
}

/* 0 if d is a number in normal form and in range. */
static int number_check(const struct ddb_decimal *d, const char **why)
{
    if (d->coef == 0) {
        if (d->exp != 0 || d->neg) {
            *why = "zero not in normal form";
            return -1;
        }
        return 0;
    }
    if (d->coef >= U128_10E38) {
        *why = "number has more than 38 digits";
        return -1;
    }
    if (d->coef % 10 == 0) {
        *why = "number coefficient has a trailing zero";
        return -1;
    }
    int64_t x = (int64_t)d->exp + digits(d->coef) - 1;
    if (x < DDB_NUMBER_MIN_EXP || x > DDB_NUMBER_MAX_EXP) {
        *why = "number out of range";
        return -1;
    }
    return 0;
}

/* ---- encoder ---- */

static void put_varint(struct ddb_buf *b, uint32_t v)
{
    char *d = ddb_buf_reserve(b, 5);
    size_t n = 0;
    while (v >= 0x80) {
        d[n++] = (char)(0x80 | (v & 0x7f));
        v >>= 7;
    }
    d[n++] = (char)v;
    ddb_buf_commit(b, n);
}

static void put_bytes(struct ddb_buf *b, ddb_slice s)
{
    put_varint(b, (uint32_t)s.len);
    ddb_buf_append(b, s.ptr, s.len);
}

static void put_number(struct ddb_buf *b, const struct ddb_decimal *d)
{
    if (d->coef == 0) {
        ddb_buf_putc(b, 0x00);
        return;
    }
    unsigned char coef[16];
    int len = 0;
    for (unsigned __int128 c = d->coef; c != 0; c >>= 8)
        coef[15 - len++] = (unsigned char)(c & 0xff);
    ddb_buf_putc(b, (char)((d->neg ? 0x80 : 0x00) | len));
    uint32_t ex = (uint32_t)d->exp;
    put_varint(b, (ex << 1) ^ (uint32_t)(d->exp >> 31));
    ddb_buf_append(b, coef + 16 - len, (size_t)len);
}

static int enc_error(struct ddb_buf *b, struct ddb_error *e, const char *why)
{
    return ddb_error_set(e, b->arena, DDB_ERR_INTERNAL, "cannot encode item: %s", why);
}

static int put_value(struct ddb_buf *b, const struct ddb_value *v, int depth, struct ddb_error *e);

/* Writes the size varint in front of the container payload that starts at
 * `at` and ends at the buffer's end. */
static void close_container(struct ddb_buf *b, size_t at)
{
    size_t size = b->len - at;
    char tmp[5];
    size_t n = 0;
    uint32_t v = (uint32_t)size;
    while (v >= 0x80) {
        tmp[n++] = (char)(0x80 | (v & 0x7f));
        v >>= 7;
    }
    tmp[n++] = (char)v;
    ddb_buf_reserve(b, n);
    memmove(b->ptr + at + n, b->ptr + at, size);
    memcpy(b->ptr + at, tmp, n);
    ddb_buf_commit(b, n);
}

static int put_attrs(struct ddb_buf *b, const struct ddb_attr *attrs, uint32_t count, int depth,
                     struct ddb_error *e)
{
    put_varint(b, count);
    for (uint32_t i = 0; i < count; i++) {
        put_bytes(b, attrs[i].name);
        if (put_value(b, &attrs[i].value, depth, e) != 0)
            return -1;
    }
    return 0;
}

static int put_value(struct ddb_buf *b, const struct ddb_value *v, int depth, struct ddb_error *e)
{
    const char *why;
    if ((unsigned)v->type >= DDB_ARRAY_LEN(type_tag))
        return enc_error(b, e, "unknown type");
    ddb_buf_putc(b, (char)type_tag[v->type]);
    switch (v->type) {
    case DDB_T_S:
    case DDB_T_B:
        put_bytes(b, v->u.str);
        return 0;
    case DDB_T_N:
        if (number_check(&v->u.num, &why) != 0)
            return enc_error(b, e, why);
        put_number(b, &v->u.num);
        return 0;
    case DDB_T_NULL:
        return 0;
    case DDB_T_BOOL:
        ddb_buf_putc(b, v->u.boolean ? 1 : 0);
        return 0;
    case DDB_T_SS:
    case DDB_T_NS:
    case DDB_T_BS: {
        if (v->count == 0)
            return enc_error(b, e, "empty set");
        size_t at = b->len;
        put_varint(b, v->count);
        for (uint32_t i = 0; i < v->count; i++) {
            const struct ddb_value *el = &v->u.elems[i];
            if (v->type == DDB_T_NS) {
                if (number_check(&el->u.num, &why) != 0)
                    return enc_error(b, e, why);
                put_number(b, &el->u.num);
            } else {
                put_bytes(b, el->u.str);
            }
        }
        close_container(b, at);
        return 0;
    }
    case DDB_T_M:
    case DDB_T_L: {
        if (depth >= DDB_ITEMCODEC_MAX_DEPTH)
            return enc_error(b, e, "nesting too deep");
        size_t at = b->len;
        if (v->type == DDB_T_M) {
            if (put_attrs(b, v->u.members, v->count, depth + 1, e) != 0)
                return -1;
        } else {
            put_varint(b, v->count);
            for (uint32_t i = 0; i < v->count; i++)
                if (put_value(b, &v->u.elems[i], depth + 1, e) != 0)
                    return -1;
        }
        close_container(b, at);
        return 0;
    }
    }
    return enc_error(b, e, "unknown type");
}

int ddb_itemcodec_encode(struct ddb_buf *b, const struct ddb_item *item, struct ddb_error *e)
{
    ddb_buf_putc(b, DDB_ITEMCODEC_VERSION);
    return put_attrs(b, item->attrs, item->count, 0, e);
}

/* ---- decoder ---- */

struct reader {
    const unsigned char *base; /* start of the image, for offsets */
    const unsigned char *p;
    const unsigned char *end;  /* end of the current container */
    struct ddb_arena *a;
    struct ddb_error *e;
};

/* Always -1, visibly: the readers return it with their out parameters unset,
 * and the compiler (after inlining) must see that no caller then reads them. */
static int corrupt(struct reader *r, const unsigned char *at, const char *why)
{
    (void)ddb_error_set(r->e, r->a, DDB_ERR_INTERNAL, "corrupt item at offset %zu: %s",
                        (size_t)(at - r->base), why);
    return -1;
}

static size_t left(const struct reader *r)
{
    return (size_t)(r->end - r->p);
}

static int get_varint(struct reader *r, uint32_t *out)
{
    const unsigned char *start = r->p;
    uint64_t v = 0;
    for (int i = 0; i < 5; i++) {
        if (r->p >= r->end)
            return corrupt(r, r->p, "truncated varint");
        unsigned char c = *r->p++;
        v |= (uint64_t)(c & 0x7f) << (7 * i);
        if ((c & 0x80) == 0) {
            if (c == 0 && i > 0)
                return corrupt(r, start, "overlong varint");
            if (v > UINT32_MAX)
                return corrupt(r, start, "varint too large");
            *out = (uint32_t)v;
            return 0;
        }
    }
    return corrupt(r, start, "varint too long");
}

static int get_bytes(struct reader *r, ddb_slice *out)
{
    uint32_t len;
    if (get_varint(r, &len) != 0)
        return -1;
    if (len > left(r))
        return corrupt(r, r->p, "length past the end");
    if (out != NULL)
        *out = ddb_slice_make((const char *)r->p, len);
    r->p += len;
    return 0;
}

static int get_number(struct reader *r, struct ddb_decimal *out)
{
    const unsigned char *start = r->p;
    if (r->p >= r->end)
        return corrupt(r, r->p, "truncated number");
    unsigned char head = *r->p++;
    struct ddb_decimal d = {0, 0, false};
    if (head != 0x00) {
        int len = head & 0x1f;
        if ((head & 0x60) != 0 || len == 0 || len > 16)
            return corrupt(r, start, "bad number header");
        uint32_t zz;
        if (get_varint(r, &zz) != 0)
            return -1;
        int64_t ex = (int64_t)(zz >> 1) ^ -(int64_t)(zz & 1);
        if (ex < -1000 || ex > 1000)
            return corrupt(r, start, "number out of range");
        if ((size_t)len > left(r))
            return corrupt(r, r->p, "truncated number coefficient");
        if (r->p[0] == 0)
            return corrupt(r, r->p, "number coefficient has a leading zero byte");
        for (int i = 0; i < len; i++)
            d.coef = (d.coef << 8) | r->p[i];
        r->p += len;
        d.exp = (int32_t)ex;
        d.neg = (head & 0x80) != 0;
        const char *why;
        if (number_check(&d, &why) != 0)
            return corrupt(r, start, why);
    }
    if (out != NULL)
        *out = d;
    return 0;
}

static int get_value(struct reader *r, struct ddb_value *out, int depth);

/* Reads a container's size and narrows r->end to it; *saved gets the old end. */
static int open_container(struct reader *r, const unsigned char **saved)
{
    uint32_t size;
    if (get_varint(r, &size) != 0)
        return -1;
    if (size > left(r))
        return corrupt(r, r->p, "container size past the end");
    *saved = r->end;
    r->end = r->p + size;
    return 0;
}

static int close_reader_container(struct reader *r, const unsigned char *saved)
{
    if (r->p != r->end)
        return corrupt(r, r->p, "trailing bytes in container");
    r->end = saved;
    return 0;
}

/* A count, checked against the bytes left at min_bytes per element. */
static int get_count(struct reader *r, size_t min_bytes, uint32_t *count)
{
    const unsigned char *at = r->p;
    if (get_varint(r, count) != 0)
        return -1;
    if (*count > left(r) / min_bytes)
        return corrupt(r, at, "count larger than the bytes left");
    return 0;
}

static int get_attrs(struct reader *r, struct ddb_attr **attrs, uint32_t *count, int depth)
{
    if (get_count(r, 2, count) != 0) /* name length + tag at least */
        return -1;
    struct ddb_attr *at = ddb_arena_alloc(r->a, (size_t)*count * sizeof *at);
    for (uint32_t i = 0; i < *count; i++) {
        if (get_bytes(r, &at[i].name) != 0)
            return -1;
        if (get_value(r, &at[i].value, depth) != 0)
            return -1;
    }
    *attrs = at;
    return 0;
}

static int get_value(struct reader *r, struct ddb_value *out, int depth)
{
    const unsigned char *start = r->p;
    if (r->p >= r->end)
        return corrupt(r, r->p, "truncated value");
    unsigned char tag = *r->p++;
    if (tag == 0 || tag >= DDB_ARRAY_LEN(tag_type))
        return corrupt(r, start, "unknown value type");
    memset(out, 0, sizeof *out);
    out->type = tag_type[tag];
    const unsigned char *saved;
    switch (out->type) {
    case DDB_T_S:
    case DDB_T_B:
        return get_bytes(r, &out->u.str);
    case DDB_T_N:
        return get_number(r, &out->u.num);
    case DDB_T_NULL:
        return 0;
    case DDB_T_BOOL:
        if (r->p >= r->end)
            return corrupt(r, r->p, "truncated BOOL");
        if (*r->p > 1)
            return corrupt(r, r->p, "BOOL byte not 0 or 1");
        out->u.boolean = *r->p++ == 1;
        return 0;
    case DDB_T_SS:
    case DDB_T_NS:
    case DDB_T_BS: {
        if (open_container(r, &saved) != 0)
            return -1;
        const unsigned char *at = r->p;
        if (get_count(r, 1, &out->count) != 0)
            return -1;
        if (out->count == 0)
            return corrupt(r, at, "empty set");
        enum ddb_type et = out->type == DDB_T_SS ? DDB_T_S
                           : out->type == DDB_T_NS ? DDB_T_N
                                                   : DDB_T_B;
        struct ddb_value *el = ddb_arena_calloc(r->a, out->count, sizeof *el);
        for (uint32_t i = 0; i < out->count; i++) {
            el[i].type = et;
            int rc = et == DDB_T_N ? get_number(r, &el[i].u.num) : get_bytes(r, &el[i].u.str);
            if (rc != 0)
                return -1;
        }
        out->u.elems = el;
        return close_reader_container(r, saved);
    }
    case DDB_T_M:
    case DDB_T_L:
        if (depth >= DDB_ITEMCODEC_MAX_DEPTH)
            return corrupt(r, start, "nesting too deep");
        if (open_container(r, &saved) != 0)
            return -1;
        if (out->type == DDB_T_M) {
            if (get_attrs(r, &out->u.members, &out->count, depth + 1) != 0)
                return -1;
        } else {
            if (get_count(r, 1, &out->count) != 0)
                return -1;
            struct ddb_value *el = ddb_arena_alloc(r->a, (size_t)out->count * sizeof *el);
            for (uint32_t i = 0; i < out->count; i++)
                if (get_value(r, &el[i], depth + 1) != 0)
                    return -1;
            out->u.elems = el;
        }
        return close_reader_container(r, saved);
    }
    return corrupt(r, start, "unknown value type"); /* cannot happen */
}

static int open_image(struct reader *r, struct ddb_arena *a, const char *p, size_t n,
                      struct ddb_error *e)
{
    r->base = r->p = (const unsigned char *)p;
    r->end = r->p + n;
    r->a = a;
    r->e = e;
    if (n == 0)
        return corrupt(r, r->p, "empty image");
    if (*r->p != DDB_ITEMCODEC_VERSION)
        return corrupt(r, r->p, "unknown format version");
    r->p++;
    return 0;
}

int ddb_itemcodec_decode(struct ddb_arena *a, const char *p, size_t n, struct ddb_item *out,
                         struct ddb_error *e)
{
    struct reader r;
    if (open_image(&r, a, p, n, e) != 0)
        return -1;
    if (get_attrs(&r, &out->attrs, &out->count, 0) != 0)
        return -1;
    if (r.p != r.end)
        return corrupt(&r, r.p, "trailing bytes after the item");
    return 0;
}

/* Skips one value: scalars are read, containers skipped by their size. */
static int skip_value(struct reader *r)
{
    const unsigned char *start = r->p;
    if (r->p >= r->end)
        return corrupt(r, r->p, "truncated value");
    unsigned char tag = *r->p++;
    uint32_t size;
    switch (tag) {
    case TAG_S:
    case TAG_B:
        return get_bytes(r, NULL);
    case TAG_N:
        return get_number(r, NULL);
    case TAG_NULL:
        return 0;
    case TAG_BOOL:
        if (r->p >= r->end)
            return corrupt(r, r->p, "truncated BOOL");
        if (*r->p > 1)
            return corrupt(r, r->p, "BOOL byte not 0 or 1");
        r->p++;
        return 0;
    case TAG_SS:
    case TAG_NS:
    case TAG_BS:
    case TAG_M:
    case TAG_L:
        if (get_varint(r, &size) != 0)
            return -1;
        if (size > left(r))
            return corrupt(r, r->p, "container size past the end");
        r->p += size;
        return 0;
    }
    return corrupt(r, start, "unknown value type");
}

int ddb_itemcodec_get(struct ddb_arena *a, const char *p, size_t n, ddb_slice name,
                      struct ddb_value *out, struct ddb_error *e)
{
    struct reader r;
    if (open_image(&r, a, p, n, e) != 0)
        return -1;
    uint32_t count;
    if (get_count(&r, 2, &count) != 0)
        return -1;
    for (uint32_t i = 0; i < count; i++) {
        ddb_slice s;
        if (get_bytes(&r, &s) != 0)
            return -1;
        if (ddb_slice_eq(s, name))
            return get_value(&r, out, 0) != 0 ? -1 : 1;
        if (skip_value(&r) != 0)
            return -1;
    }
    if (r.p != r.end)
        return corrupt(&r, r.p, "trailing bytes after the item");
    return 0;
}
