/*
 * value.c: AttributeValue helpers: names, lookup, equality, DynamoDB's item
 * size, deep copies.
 */
#include "value.h"

static const char *const type_names[] = {
    [DDB_T_S] = "S",     [DDB_T_N] = "N",   [DDB_T_B] = "B",       [DDB_T_SS] = "SS",
    [DDB_T_NS] = "NS",   [DDB_T_BS] = "BS", [DDB_T_M] = "M",       [DDB_T_L] = "L",
    [DDB_T_NULL] = "NULL", [DDB_T_BOOL] = "BOOL",
};

const char *ddb_type_name(enum ddb_type t)
{
    if ((unsigned)t >= DDB_ARRAY_LEN(type_names))
        return "?"; /* cannot happen for a well-formed value */
    return type_names[t];
}

const struct ddb_value *ddb_item_get(const struct ddb_item *item, ddb_slice name)
{
    for (uint32_t i = 0; i < item->count; i++) {
        if (ddb_slice_eq(item->attrs[i].name, name))
            return &item->attrs[i].value;
    }
    return NULL;
}

static bool scalar_equal(const struct ddb_value *a, const struct ddb_value *b)
{
    if (a->type == DDB_T_N)
        return ddb_decimal_cmp(&a->u.num, &b->u.num) == 0;
    return ddb_slice_eq(a->u.str, b->u.str);
}

/* Is element x in set s? Checks position `hint` first: equal sets usually
 * list their elements in the same order. */
static bool set_has(const struct ddb_value *s, uint32_t hint, const struct ddb_value *x)
{
    if (hint < s->count && scalar_equal(&s->u.elems[hint], x))
        return true;
    for (uint32_t i = 0; i < s->count; i++) {
        if (scalar_equal(&s->u.elems[i], x))
            return true;
    }
    return false;
}

static const struct ddb_value *map_find(const struct ddb_attr *m, uint32_t count, uint32_t hint,
                                        ddb_slice name)
{
    if (hint < count && ddb_slice_eq(m[hint].name, name))
        return &m[hint].value;
    for (uint32_t i = 0; i < count; i++) {
        if (ddb_slice_eq(m[i].name, name))
            return &m[i].value;
    }
    return NULL;
}

/* Recursion depth is bounded by the nesting cap every builder enforces
 * (DDB_MAX_NESTING_DEPTH). */
bool ddb_value_equal(const struct ddb_value *a, const struct ddb_value *b)
{
    if (a->type != b->type)
        return false;
    switch (a->type) {
    case DDB_T_S:
    case DDB_T_B:
    case DDB_T_N:
        return scalar_equal(a, b);
    case DDB_T_NULL:
        return true;
    case DDB_T_BOOL:
        return a->u.boolean == b->u.boolean;
    case DDB_T_SS:
    case DDB_T_NS:
    case DDB_T_BS:
        /* Set elements are unique, so same size and inclusion is equality. */
        if (a->count != b->count)
            return false;
        for (uint32_t i = 0; i < a->count; i++) {
            if (!set_has(b, i, &a->u.elems[i]))
                return false;
        }
        return true;
    case DDB_T_L:
        if (a->count != b->count)
            return false;
        for (uint32_t i = 0; i < a->count; i++) {
            if (!ddb_value_equal(&a->u.elems[i], &b->u.elems[i]))
                return false;
        }
        return true;
    case DDB_T_M:
        if (a->count != b->count)
            return false;
        for (uint32_t i = 0; i < a->count; i++) {
            const struct ddb_value *bv = map_find(b->u.members, b->count, i, a->u.members[i].name);
            if (bv == NULL || !ddb_value_equal(&a->u.members[i].value, bv))
                return false;
        }
        return true;
    }
    return false;
}

/* DynamoDB sizes a number by its base-100 digits aligned on the decimal point
 * (its storage format): pairs from the one holding the first significant
 * digit to the one holding the last, plus one byte, plus one if negative.
 * Measured against DynamoDB Local by bisecting the 400 KB limit: "11000" is
 * 3 bytes (1|10|00), "1100" 2, "0.011" 3, "-0.5" 3, zero 1, 38 digits 20. */
static size_t number_size(const struct ddb_decimal *d)
{
    if (d->coef == 0)
        return 1;
    int nd = 1;
    for (unsigned __int128 c = d->coef; c >= 10; c /= 10)
        nd++;
    int64_t top = (int64_t)d->exp + nd - 1, bottom = d->exp;
    /* floor division by 2 for negative positions */
    int64_t ptop = top >= 0 ? top / 2 : -((-top + 1) / 2);
    int64_t pbot = bottom >= 0 ? bottom / 2 : -((-bottom + 1) / 2);
    return (size_t)(ptop - pbot + 1) + 1 + (d->neg ? 1 : 0);
}

size_t ddb_value_size(const struct ddb_value *v)
{
    size_t n = 0;
    switch (v->type) {
    case DDB_T_S:
    case DDB_T_B:
        return v->u.str.len;
    case DDB_T_N:
        return number_size(&v->u.num);
    case DDB_T_NULL:
    case DDB_T_BOOL:
        return 1;
    case DDB_T_SS:
    case DDB_T_NS:
    case DDB_T_BS:
        for (uint32_t i = 0; i < v->count; i++)
            n += ddb_value_size(&v->u.elems[i]);
        return n;
    case DDB_T_L:
        n = 3;
        for (uint32_t i = 0; i < v->count; i++)
            n += 1 + ddb_value_size(&v->u.elems[i]);
        return n;
    case DDB_T_M:
        n = 3;
        for (uint32_t i = 0; i < v->count; i++)
            n += 1 + v->u.members[i].name.len + ddb_value_size(&v->u.members[i].value);
        return n;
    }
    return 0;
}

size_t ddb_item_size(const struct ddb_item *item)
{
    size_t n = 0;
    for (uint32_t i = 0; i < item->count; i++)
        n += item->attrs[i].name.len + ddb_value_size(&item->attrs[i].value);
    return n;
}

static ddb_slice copy_bytes(struct ddb_arena *a, ddb_slice s)
{
    if (s.len == 0)
        return (ddb_slice){"", 0};
    return (ddb_slice){ddb_arena_memdup(a, s.ptr, s.len), s.len};
}

void ddb_value_copy(struct ddb_arena *a, const struct ddb_value *src, struct ddb_value *dst)
{
    struct ddb_value v = *src;
    switch (src->type) {
    case DDB_T_S:
    case DDB_T_B:
        v.u.str = copy_bytes(a, src->u.str);
        break;
    case DDB_T_SS:
    case DDB_T_NS:
    case DDB_T_BS:
    case DDB_T_L:
        v.u.elems = ddb_arena_calloc(a, src->count ? src->count : 1, sizeof *v.u.elems);
        for (uint32_t i = 0; i < src->count; i++)
            ddb_value_copy(a, &src->u.elems[i], &v.u.elems[i]);
        break;
    case DDB_T_M:
        v.u.members = ddb_arena_calloc(a, src->count ? src->count : 1, sizeof *v.u.members);
        for (uint32_t i = 0; i < src->count; i++) {
            v.u.members[i].name = copy_bytes(a, src->u.members[i].name);
            ddb_value_copy(a, &src->u.members[i].value, &v.u.members[i].value);
        }
        break;
    case DDB_T_N:
    case DDB_T_NULL:
    case DDB_T_BOOL:
        break;
    }
    *dst = v;
}

void ddb_item_copy(struct ddb_arena *a, const struct ddb_item *src, struct ddb_item *dst)
{
    struct ddb_item it;
    it.count = src->count;
    it.attrs = ddb_arena_calloc(a, src->count ? src->count : 1, sizeof *it.attrs);
    for (uint32_t i = 0; i < src->count; i++) {
        it.attrs[i].name = copy_bytes(a, src->attrs[i].name);
        ddb_value_copy(a, &src->attrs[i].value, &it.attrs[i].value);
    }
    *dst = it;
}
