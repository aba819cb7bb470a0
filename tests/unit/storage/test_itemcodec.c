#include "harness.h"
#include "storage/itemcodec.h"

/* ---- random items ---- */

static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static unsigned rnd_below(unsigned n)
{
    return (unsigned)(rnd() % n);
}

static ddb_slice rnd_bytes(struct ddb_arena *a, size_t max)
{
    size_t n = rnd_below(4) == 0 ? rnd_below((unsigned)max + 1) : rnd_below(6);
    char *p = ddb_arena_alloc(a, n + 1);
    for (size_t i = 0; i < n; i++)
        p[i] = (char)rnd();
    return ddb_slice_make(p, n);
}

static struct ddb_decimal rnd_decimal(void)
{
    struct ddb_decimal d = {0, 0, false};
    if (rnd_below(8) == 0)
        return d;
    int nd = rnd_below(3) == 0 ? 38 : 1 + (int)rnd_below(38);
    for (int i = 0; i < nd; i++)
        d.coef = d.coef * 10 + (i == 0 ? 1 + rnd_below(9) : rnd_below(10));
    int x = rnd_below(3) == 0 ? (rnd_below(2) ? -130 : 125) : -130 + (int)rnd_below(256);
    int exp = x - nd + 1;
    while (d.coef % 10 == 0) {
        d.coef /= 10;
        exp++;
    }
    d.exp = exp;
    d.neg = rnd_below(2);
    return d;
}

static void rnd_value(struct ddb_arena *a, struct ddb_value *v, int depth)
{
    memset(v, 0, sizeof *v);
    unsigned t = rnd_below(depth >= 6 ? 6 : 10);
    static const enum ddb_type order[] = {DDB_T_S,  DDB_T_N,    DDB_T_B,  DDB_T_NULL, DDB_T_BOOL,
                                          DDB_T_SS, DDB_T_NS,   DDB_T_BS, DDB_T_M,    DDB_T_L};
    v->type = order[t];
    switch (v->type) {
    case DDB_T_S:
    case DDB_T_B:
        v->u.str = rnd_bytes(a, 300);
        break;
    case DDB_T_N:
        v->u.num = rnd_decimal();
        break;
    case DDB_T_NULL:
        break;
    case DDB_T_BOOL:
        v->u.boolean = rnd_below(2);
        break;
    case DDB_T_SS:
    case DDB_T_NS:
    case DDB_T_BS:
        v->count = 1 + rnd_below(rnd_below(8) == 0 ? 200 : 5);
        v->u.elems = ddb_arena_calloc(a, v->count, sizeof *v->u.elems);
        for (uint32_t i = 0; i < v->count; i++) {
            struct ddb_value *el = &v->u.elems[i];
            el->type = v->type == DDB_T_SS ? DDB_T_S : v->type == DDB_T_NS ? DDB_T_N : DDB_T_B;
            if (el->type == DDB_T_N)
                el->u.num = rnd_decimal();
            else
                el->u.str = rnd_bytes(a, 40);
        }
        break;
    case DDB_T_M:
        v->count = rnd_below(5);
        v->u.members = ddb_arena_calloc(a, v->count, sizeof *v->u.members);
        for (uint32_t i = 0; i < v->count; i++) {
            v->u.members[i].name = rnd_bytes(a, 20);
            rnd_value(a, &v->u.members[i].value, depth + 1);
        }
        break;
    case DDB_T_L:
        v->count = rnd_below(5);
        v->u.elems = ddb_arena_calloc(a, v->count, sizeof *v->u.elems);
        for (uint32_t i = 0; i < v->count; i++)
            rnd_value(a, &v->u.elems[i], depth + 1);
        break;
    }
}

static void rnd_item(struct ddb_arena *a, struct ddb_item *item)
{
    item->count = rnd_below(rnd_below(10) == 0 ? 60 : 6);
    item->attrs = ddb_arena_calloc(a, item->count, sizeof *item->attrs);
    for (uint32_t i = 0; i < item->count; i++) {
        item->attrs[i].name = rnd_bytes(a, 50);
        rnd_value(a, &item->attrs[i].value, 0);
    }
}

/* Exact structural equality, element order included (the codec keeps order;
 * this is stricter than ddb_value_equal). */
static bool same(const struct ddb_value *x, const struct ddb_value *y)
{
    if (x->type != y->type || x->count != y->count)
        return false;
    switch (x->type) {
    case DDB_T_S:
    case DDB_T_B:
        return ddb_slice_eq(x->u.str, y->u.str);
    case DDB_T_N:
        return x->u.num.coef == y->u.num.coef && x->u.num.exp == y->u.num.exp &&
               x->u.num.neg == y->u.num.neg;
    case DDB_T_NULL:
        return true;
    case DDB_T_BOOL:
        return x->u.boolean == y->u.boolean;
    case DDB_T_SS:
    case DDB_T_NS:
    case DDB_T_BS:
    case DDB_T_L:
        for (uint32_t i = 0; i < x->count; i++)
            if (!same(&x->u.elems[i], &y->u.elems[i]))
                return false;
        return true;
    case DDB_T_M:
        for (uint32_t i = 0; i < x->count; i++)
            if (!ddb_slice_eq(x->u.members[i].name, y->u.members[i].name) ||
                !same(&x->u.members[i].value, &y->u.members[i].value))
                return false;
        return true;
    }
    return false;
}

static bool same_item(const struct ddb_item *x, const struct ddb_item *y)
{
    struct ddb_value vx = {.type = DDB_T_M, .count = x->count, .u.members = x->attrs};
    struct ddb_value vy = {.type = DDB_T_M, .count = y->count, .u.members = y->attrs};
    return same(&vx, &vy);
}

static ddb_slice encode(struct ddb_arena *a, const struct ddb_item *item)
{
    struct ddb_buf b;
    ddb_buf_init(&b, a);
    struct ddb_error e;
    if (ddb_itemcodec_encode(&b, item, &e) != 0)
        return ddb_slice_make(NULL, 0);
    return ddb_buf_slice(&b);
}

/* ---- tests ---- */

TEST(format_is_pinned)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_value list[2] = {{.type = DDB_T_NULL}, {.type = DDB_T_BOOL, .u.boolean = true}};
    struct ddb_value ss[1] = {{.type = DDB_T_S, .u.str = DDB_SLICE_LIT("x")}};
    struct ddb_attr attrs[] = {
        {DDB_SLICE_LIT("s"), {.type = DDB_T_S, .u.str = DDB_SLICE_LIT("hi")}},
        {DDB_SLICE_LIT("n"), {.type = DDB_T_N, .u.num = {125, -1, true}}},
        {DDB_SLICE_LIT("z"), {.type = DDB_T_N}},
        {DDB_SLICE_LIT("l"), {.type = DDB_T_L, .count = 2, .u.elems = list}},
        {DDB_SLICE_LIT("ss"), {.type = DDB_T_SS, .count = 1, .u.elems = ss}},
    };
    struct ddb_item item = {DDB_ARRAY_LEN(attrs), attrs};
    ddb_slice s = encode(&a, &item);
    static const char want[] =
        "\x01\x05"                 /* version, 5 attributes */
        "\x01s\x01\x02hi"          /* s: S "hi" */
        "\x01n\x02\x81\x01\x7d"    /* n: N -12.5 = -(125 x 10^-1): head 0x81, zigzag(-1)=1 */
        "\x01z\x02\x00"            /* z: N 0 */
        "\x01l\x08\x04\x02\x09\x0a\x01" /* l: L size 4, count 2, NULL, BOOL true */
        "\x02ss\x04\x03\x01\x01x"; /* ss: SS size 3, count 1, "x" */
    CHECK_EQ_INT(s.len, sizeof want - 1);
    CHECK(s.len == sizeof want - 1 && memcmp(s.ptr, want, s.len) == 0);
    ddb_arena_release(&a);
}

TEST(random_items_round_trip)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    int bad = 0;
    for (int i = 0; i < 5000; i++) {
        struct ddb_item item, back;
        rnd_item(&a, &item);
        ddb_slice s = encode(&a, &item);
        struct ddb_error e;
        if (s.ptr == NULL || ddb_itemcodec_decode(&a, s.ptr, s.len, &back, &e) != 0 ||
            !same_item(&item, &back)) {
            bad++;
            continue;
        }
        ddb_slice again = encode(&a, &back);
        if (!ddb_slice_eq(s, again))
            bad++;
        /* single-attribute access agrees with the full decode */
        for (uint32_t k = 0; k < item.count; k++) {
            struct ddb_value v;
            int rc = ddb_itemcodec_get(&a, s.ptr, s.len, item.attrs[k].name, &v, &e);
            /* names may repeat in random items: get returns the first */
            const struct ddb_attr *first = NULL;
            for (uint32_t j = 0; j < item.count && first == NULL; j++)
                if (ddb_slice_eq(item.attrs[j].name, item.attrs[k].name))
                    first = &item.attrs[j];
            if (rc != 1 || !same(&v, &first->value))
                bad++;
        }
        struct ddb_value v;
        if (ddb_itemcodec_get(&a, s.ptr, s.len, DDB_SLICE_LIT("no such name, longer than 50 bytes..............."),
                              &v, &e) != 0)
            bad++;
        ddb_arena_reset(&a);
    }
    CHECK_EQ_INT(bad, 0);
    ddb_arena_release(&a);
}

TEST(every_truncation_is_rejected)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    int bad = 0, total = 0;
    for (int i = 0; i < 120; i++) {
        struct ddb_item item, back;
        rnd_item(&a, &item);
        ddb_slice s = encode(&a, &item);
        for (size_t n = 0; n < s.len; n++) {
            /* a copy of exactly n bytes, so ASan sees any read past the end */
            char *p = malloc(n ? n : 1);
            memcpy(p, s.ptr, n);
            struct ddb_error e = {0};
            if (ddb_itemcodec_decode(&a, p, n, &back, &e) != -1 || e.code != DDB_ERR_INTERNAL ||
                strncmp(e.message, "corrupt item at offset ", 23) != 0)
                bad++;
            free(p);
            total++;
        }
        ddb_arena_reset(&a);
    }
    CHECK(total > 10000);
    CHECK_EQ_INT(bad, 0);
    ddb_arena_release(&a);
}

TEST(mutations_are_rejected_or_canonical)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    int bad = 0, accepted = 0;
    for (int i = 0; i < 20000; i++) {
        struct ddb_item item, back;
        if ((i & 31) == 0)
            ddb_arena_reset(&a);
        rnd_item(&a, &item);
        ddb_slice s = encode(&a, &item);
        if (s.len < 2)
            continue;
        char *p = malloc(s.len);
        memcpy(p, s.ptr, s.len);
        int flips = 1 + rnd_below(3);
        for (int f = 0; f < flips; f++)
            p[rnd_below((unsigned)s.len)] ^= (char)(1u << rnd_below(8));
        struct ddb_error e;
        if (ddb_itemcodec_decode(&a, p, s.len, &back, &e) == 0) {
            accepted++;
            ddb_slice again = encode(&a, &back);
            if (!ddb_slice_eq(again, ddb_slice_make(p, s.len)))
                bad++;
        }
        free(p);
    }
    CHECK_EQ_INT(bad, 0);
    CHECK(accepted > 0); /* flips inside string bytes stay valid */
    ddb_arena_release(&a);
}

static struct ddb_value nest(struct ddb_arena *a, int levels)
{
    struct ddb_value v = {.type = DDB_T_S, .u.str = DDB_SLICE_LIT("leaf")};
    for (int i = 0; i < levels; i++) {
        struct ddb_value *inner = ddb_arena_alloc(a, sizeof *inner);
        *inner = v;
        if (i & 1) {
            struct ddb_attr *m = ddb_arena_alloc(a, sizeof *m);
            m->name = DDB_SLICE_LIT("k");
            m->value = *inner;
            v = (struct ddb_value){.type = DDB_T_M, .count = 1, .u.members = m};
        } else {
            v = (struct ddb_value){.type = DDB_T_L, .count = 1, .u.elems = inner};
        }
    }
    return v;
}

TEST(depth_is_capped)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_attr attr = {DDB_SLICE_LIT("a"), nest(&a, DDB_ITEMCODEC_MAX_DEPTH)};
    struct ddb_item item = {1, &attr}, back;
    ddb_slice s = encode(&a, &item);
    struct ddb_error e;
    CHECK(s.ptr != NULL);
    CHECK(ddb_itemcodec_decode(&a, s.ptr, s.len, &back, &e) == 0 && same_item(&item, &back));
    attr.value = nest(&a, DDB_ITEMCODEC_MAX_DEPTH + 1);
    struct ddb_buf b;
    ddb_buf_init(&b, &a);
    CHECK(ddb_itemcodec_encode(&b, &item, &e) == -1);
    CHECK(strstr(e.message, "nesting") != NULL);
    /* A hostile image nested 100000 deep: L tags with consistent sizes,
     * built from the inside out. */
    enum { DEEP = 100000 };
    size_t cap = DEEP * 8 + 16;
    unsigned char *img = malloc(cap);
    size_t start = cap;
    img[--start] = 0x09; /* NULL at the bottom */
    for (int i = 0; i < DEEP; i++) {
        uint32_t size = (uint32_t)(cap - start) + 1; /* count byte + inner */
        img[--start] = 0x01;                        /* count 1 */
        unsigned char v[5];
        int n = 0;
        while (size >= 0x80) {
            v[n++] = (unsigned char)(0x80 | (size & 0x7f));
            size >>= 7;
        }
        v[n++] = (unsigned char)size;
        for (int k = n - 1; k >= 0; k--)
            img[--start] = v[k];
        img[--start] = 0x08;
    }
    img[--start] = 'a';
    img[--start] = 0x01; /* name length */
    img[--start] = 0x01; /* one attribute */
    img[--start] = 0x01; /* version */
    CHECK(ddb_itemcodec_decode(&a, (char *)img + start, cap - start, &back, &e) == -1);
    CHECK(strstr(e.message, "nesting too deep") != NULL);
    free(img);
    ddb_arena_release(&a);
}

static bool rejects(const char *bytes, size_t n, const char *why)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_item item;
    struct ddb_error e = {0};
    char *p = malloc(n ? n : 1);
    memcpy(p, bytes, n);
    bool ok = ddb_itemcodec_decode(&a, p, n, &item, &e) == -1 && e.code == DDB_ERR_INTERNAL &&
              strstr(e.message, why) != NULL;
    if (!ok)
        printf("#   expected '%s', got '%s'\n", why, e.message ? e.message : "success");
    free(p);
    ddb_arena_release(&a);
    return ok;
}

#define REJECTS(lit, why) CHECK(rejects(lit, sizeof lit - 1, why))

TEST(hostile_images_are_rejected)
{
    REJECTS("", "offset 0: empty image");
    REJECTS("\x02\x00", "offset 0: unknown format version");
    REJECTS("\x01", "offset 1: truncated varint");
    REJECTS("\x01\x00\x00", "offset 2: trailing bytes after the item");
    REJECTS("\x01\x80\x00", "offset 1: overlong varint");
    REJECTS("\x01\xff\xff\xff\xff\x7f", "varint too large");
    REJECTS("\x01\xff\xff\xff\xff\x0f", "offset 1: count larger than the bytes left");
    REJECTS("\x01\x01\x01" "a\x0b", "offset 4: unknown value type");
    REJECTS("\x01\x01\x01" "a\x00", "offset 4: unknown value type");
    REJECTS("\x01\x01\x01" "a\x0a\x02", "offset 5: BOOL byte not 0 or 1");
    REJECTS("\x01\x01\x01" "a\x0a", "truncated BOOL");
    REJECTS("\x01\x01\x05" "a\x09", "length past the end");
    REJECTS("\x01\x01\x01" "a\x01\x03xy", "length past the end");
    /* numbers */
    REJECTS("\x01\x01\x01" "a\x02\x20\x00\x01", "bad number header");
    REJECTS("\x01\x01\x01" "a\x02\x11\x00\x01", "bad number header");
    REJECTS("\x01\x01\x01" "a\x02\x01\x00\x00", "leading zero byte");
    REJECTS("\x01\x01\x01" "a\x02\x01\x00\x0a", "trailing zero");
    REJECTS("\x01\x01\x01" "a\x02\x01\x00", "truncated number coefficient");
    REJECTS("\x01\x01\x01" "a\x02\x01\xfc\x01\x01", "number out of range");     /* 1E+126 */
    REJECTS("\x01\x01\x01" "a\x02\x01\x85\x02\x01", "number out of range");     /* 1E-131 */
    REJECTS("\x01\x01\x01" "a\x02\x01\xff\xff\xff\xff\x0f\x01", "number out of range");
    /* 10^38 + 1: 39 digits */
    REJECTS("\x01\x01\x01" "a\x02\x10\x00\x4b\x3b\x4c\xa8\x5a\x86\xc4\x7a\x09\x8a\x22\x40\x00\x00\x00\x01",
            "more than 38 digits");
    /* containers */
    REJECTS("\x01\x01\x01" "a\x08\x05\x00", "container size past the end");
    REJECTS("\x01\x01\x01" "a\x08\x02\x00\x09", "trailing bytes in container");
    REJECTS("\x01\x01\x01" "a\x08\x01\x02", "count larger than the bytes left");
    REJECTS("\x01\x01\x01" "a\x07\x02\x01\x00", "count larger than the bytes left");
    REJECTS("\x01\x01\x01" "a\x04\x01\x00", "empty set");
    REJECTS("\x01\x01\x01" "a\x05\x03\x02\x00\x01", "offset 9: truncated varint");
    REJECTS("\x01\x01\x01" "a\x08\x03\x01\x09\x09", "trailing bytes in container");
    REJECTS("\x01\x02\x01" "a\x09\x01", "offset 6: length past the end");
    /* and the valid neighbours of some of these are accepted */
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_item item;
    struct ddb_error e;
    CHECK(ddb_itemcodec_decode(&a, "\x01\x00", 2, &item, &e) == 0 && item.count == 0);
    CHECK(ddb_itemcodec_decode(&a, "\x01\x01\x01" "a\x08\x02\x01\x09", 8, &item, &e) == 0);
    CHECK(item.count == 1 && item.attrs[0].value.type == DDB_T_L &&
          item.attrs[0].value.count == 1 && item.attrs[0].value.u.elems[0].type == DDB_T_NULL);
    CHECK(ddb_itemcodec_decode(&a, "\x01\x01\x01" "a\x02\x01\xfa\x01\x01", 9, &item, &e) == 0);
    CHECK(item.attrs[0].value.u.num.exp == 125);
    CHECK(ddb_itemcodec_decode(&a, "\x01\x01\x01" "a\x02\x01\x83\x02\x01", 9, &item, &e) == 0);
    CHECK(item.attrs[0].value.u.num.exp == -130);
    ddb_arena_release(&a);
}

TEST(encoder_refuses_what_the_decoder_would)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_buf b;
    struct ddb_error e;
    struct ddb_attr attr = {DDB_SLICE_LIT("a"), {.type = DDB_T_SS, .count = 0}};
    struct ddb_item item = {1, &attr};
    ddb_buf_init(&b, &a);
    CHECK(ddb_itemcodec_encode(&b, &item, &e) == -1 && strstr(e.message, "empty set"));
    attr.value = (struct ddb_value){.type = DDB_T_N, .u.num = {10, 0, false}};
    ddb_buf_init(&b, &a);
    CHECK(ddb_itemcodec_encode(&b, &item, &e) == -1 && strstr(e.message, "trailing zero"));
    attr.value = (struct ddb_value){.type = DDB_T_N, .u.num = {1, 126, false}};
    ddb_buf_init(&b, &a);
    CHECK(ddb_itemcodec_encode(&b, &item, &e) == -1 && strstr(e.message, "range"));
    attr.value = (struct ddb_value){.type = DDB_T_N, .u.num = {0, 0, true}};
    ddb_buf_init(&b, &a);
    CHECK(ddb_itemcodec_encode(&b, &item, &e) == -1 && strstr(e.message, "zero"));
    attr.value = (struct ddb_value){.type = (enum ddb_type)77};
    ddb_buf_init(&b, &a);
    CHECK(ddb_itemcodec_encode(&b, &item, &e) == -1 && strstr(e.message, "unknown type"));
    ddb_arena_release(&a);
}
