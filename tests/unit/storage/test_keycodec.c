#include "harness.h"
#include "storage/keycodec.h"

/* ---- a deterministic generator of awkward key values ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

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

/* Bytes from a small alphabet rich in 0x00 and 0xFF, short, so that many
 * values are prefixes of each other. */
static ddb_slice rnd_bytes(struct ddb_arena *a)
{
    static const unsigned char alpha[] = {0x00, 0x01, 0xff, 0xfe, 'a', 0x80, 0x7f};
    size_t n = rnd_below(7);
    char *p = ddb_arena_alloc(a, n + 1);
    for (size_t i = 0; i < n; i++)
        p[i] = (char)(rnd_below(4) ? alpha[rnd_below(sizeof alpha)] : (unsigned char)rnd());
    return ddb_slice_make(p, n);
}

/* A decimal in normal form: digits chosen from {0,1,5,9} or at random,
 * exponents mostly near the extremes and near zero. */
static struct ddb_decimal rnd_decimal(void)
{
    struct ddb_decimal d = {0, 0, false};
    if (rnd_below(12) == 0)
        return d;
    int nd = rnd_below(3) == 0 ? 38 - (int)rnd_below(3) : 1 + (int)rnd_below(38);
    static const int xs[] = {-130, -129, -128, -2, -1, 0, 1, 2, 123, 124, 125};
    int x = rnd_below(2) ? xs[rnd_below(DDB_ARRAY_LEN(xs))] : -130 + (int)rnd_below(256);
    bool small = rnd_below(2);
    for (int i = 0; i < nd; i++) {
        static const unsigned sd[] = {0, 1, 5, 9};
        unsigned dig = small ? sd[rnd_below(4)] : rnd_below(10);
        if (i == 0 && dig == 0)
            dig = 1;
        d.coef = d.coef * 10 + dig;
    }
    int exp = x - nd + 1;
    while (d.coef % 10 == 0) {
        d.coef /= 10;
        exp++;
    }
    d.exp = exp;
    d.neg = rnd_below(2);
    return d;
}

static struct ddb_value rnd_value(struct ddb_arena *a, enum ddb_type t)
{
    struct ddb_value v;
    memset(&v, 0, sizeof v);
    v.type = t;
    if (t == DDB_T_N)
        v.u.num = rnd_decimal();
    else
        v.u.str = rnd_bytes(a);
    return v;
}

/* ---- reference order, independent of the codec ---- */

static int digits_of(unsigned __int128 c, char *out)
{
    char tmp[40];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + (int)(c % 10));
        c /= 10;
    } while (c != 0);
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

static int ref_cmp_mag(const struct ddb_decimal *a, const struct ddb_decimal *b)
{
    char da[40], db[40];
    int na = digits_of(a->coef, da), nb = digits_of(b->coef, db);
    int xa = a->exp + na - 1, xb = b->exp + nb - 1;
    if (xa != xb)
        return xa < xb ? -1 : 1;
    ddb_slice sa = {da, (size_t)na}, sb = {db, (size_t)nb};
    return ddb_slice_cmp(sa, sb); /* no trailing zeros: a prefix is smaller */
}

static int ref_cmp_num(const struct ddb_decimal *a, const struct ddb_decimal *b)
{
    int sa = a->coef == 0 ? 0 : a->neg ? -1 : 1;
    int sb = b->coef == 0 ? 0 : b->neg ? -1 : 1;
    if (sa != sb)
        return sa < sb ? -1 : 1;
    if (sa == 0)
        return 0;
    int m = ref_cmp_mag(a, b);
    return sa < 0 ? -m : m;
}

static int sgn(int x)
{
    return (x > 0) - (x < 0);
}

static int ref_cmp(const struct ddb_value *a, const struct ddb_value *b)
{
    if (a->type == DDB_T_N)
        return sgn(ref_cmp_num(&a->u.num, &b->u.num));
    return sgn(ddb_slice_cmp(a->u.str, b->u.str));
}

static bool same_value(const struct ddb_value *a, const struct ddb_value *b)
{
    if (a->type != b->type)
        return false;
    if (a->type == DDB_T_N)
        return a->u.num.coef == b->u.num.coef && a->u.num.exp == b->u.num.exp &&
               a->u.num.neg == b->u.num.neg;
    return ddb_slice_eq(a->u.str, b->u.str);
}

static ddb_slice enc(struct ddb_arena *a, const struct ddb_value *v, const struct ddb_value *next)
{
    struct ddb_buf b;
    ddb_buf_init(&b, a);
    ddb_keycodec_append_component(&b, v);
    if (next != NULL)
        ddb_keycodec_append_component(&b, next);
    return ddb_buf_slice(&b);
}

static struct ddb_value num_value(const char *digits, int exp, bool neg)
{
    struct ddb_value v;
    memset(&v, 0, sizeof v);
    v.type = DDB_T_N;
    for (const char *p = digits; *p; p++)
        v.u.num.coef = v.u.num.coef * 10 + (unsigned)(*p - '0');
    v.u.num.exp = exp;
    v.u.num.neg = neg;
    return v;
}

static struct ddb_value str_value(enum ddb_type t, const char *p, size_t n)
{
    struct ddb_value v;
    memset(&v, 0, sizeof v);
    v.type = t;
    v.u.str = ddb_slice_make(p, n);
    return v;
}

static bool enc_is(struct ddb_arena *a, struct ddb_value v, const char *bytes, size_t n)
{
    ddb_slice s = enc(a, &v, NULL);
    return s.len == n && memcmp(s.ptr, bytes, n) == 0;
}

/* ---- tests ---- */

TEST(number_encodings_are_pinned)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    CHECK(enc_is(&a, num_value("0", 0, false), "\x02", 1));
    CHECK(enc_is(&a, num_value("1", 0, false), "\x03\x41\x02", 3));
    CHECK(enc_is(&a, num_value("1", 0, true), "\x01\xbe\xfd", 3));
    CHECK(enc_is(&a, num_value("1", 2, false), "\x03\x42\x02", 3));
    CHECK(enc_is(&a, num_value("125", -1, false), "\x03\x41\x19\x64", 4));
    CHECK(enc_is(&a, num_value("1", -130, false), "\x03\x00\x02", 3));
    /* 38 nines E+125: exponent byte 127, 18 pairs 99 (odd 199), last 99 (198) */
    struct ddb_value max = num_value("99999999999999999999999999999999999999", 88, false);
    char want[21];
    want[0] = 0x03;
    want[1] = 0x7f;
    memset(want + 2, 0xc7, 18);
    want[20] = (char)0xc6;
    CHECK(enc_is(&a, max, want, sizeof want));
    /* 38 digits with an odd decimal point position use 20 pairs: 22 bytes */
    struct ddb_value wide = num_value("12345678901234567890123456789012345671", 1, false);
    CHECK_EQ_INT(enc(&a, &wide, NULL).len, DDB_KEYCODEC_NUM_MAX);
    ddb_arena_release(&a);
}

TEST(string_encodings_are_pinned)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    CHECK(enc_is(&a, str_value(DDB_T_S, "", 0), "\x00\x01", 2));
    CHECK(enc_is(&a, str_value(DDB_T_S, "ab", 2), "ab\x00\x01", 4));
    CHECK(enc_is(&a, str_value(DDB_T_B, "\x00\xff\x00", 3), "\x00\xff\xff\x00\xff\x00\x01", 7));
    ddb_arena_release(&a);
}

static void check_order(enum ddb_type t, int rounds)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    int bad_order = 0, bad_order2 = 0, bad_round = 0;
    for (int i = 0; i < rounds; i++) {
        struct ddb_value x = rnd_value(&a, t), y = rnd_value(&a, t);
        if (rnd_below(8) == 0)
            y = x; /* equal values too */
        struct ddb_value c1 = rnd_value(&a, (enum ddb_type)rnd_below(3));
        struct ddb_value c2 = rnd_value(&a, c1.type);
        int want = ref_cmp(&x, &y);
        /* the test's reference order agrees with protocol/decimal.c's */
        if (t == DDB_T_N && sgn(ddb_decimal_cmp(&x.u.num, &y.u.num)) != want)
            bad_order++;
        if (sgn(ddb_slice_cmp(enc(&a, &x, NULL), enc(&a, &y, NULL))) != want)
            bad_order++;
        int want2 = want != 0 ? want : ref_cmp(&c1, &c2);
        if (sgn(ddb_slice_cmp(enc(&a, &x, &c1), enc(&a, &y, &c2))) != want2)
            bad_order2++;
        /* decode(encode(x)) == x, consuming exactly the component */
        ddb_slice ex = enc(&a, &x, &c1);
        size_t off = 0;
        struct ddb_value back, back2;
        struct ddb_error e;
        if (ddb_keycodec_decode_component(&a, ex.ptr, ex.len, &off, t, &back, &e) != 0 ||
            !same_value(&x, &back) ||
            ddb_keycodec_decode_component(&a, ex.ptr, ex.len, &off, c1.type, &back2, &e) != 0 ||
            !same_value(&c1, &back2) || off != ex.len)
            bad_round++;
        if ((i & 1023) == 0)
            ddb_arena_reset(&a);
    }
    CHECK_EQ_INT(bad_order, 0);
    CHECK_EQ_INT(bad_order2, 0);
    CHECK_EQ_INT(bad_round, 0);
    ddb_arena_release(&a);
}

TEST(order_and_round_trip_numbers)
{
    check_order(DDB_T_N, 200000);
}

TEST(order_and_round_trip_strings)
{
    check_order(DDB_T_S, 100000);
}

TEST(order_and_round_trip_binaries)
{
    check_order(DDB_T_B, 100000);
}

/* Neighbours: a number and the next/previous ones at 38 digits sort right. */
TEST(order_of_close_numbers)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_value v[] = {
        num_value("99999999999999999999999999999999999999", 88, true),
        num_value("1", 0, true),
        num_value("99999999999999999999999999999999999999", -38, true),
        num_value("1", -130, true),
        num_value("0", 0, false),
        num_value("1", -130, false),
        num_value("11", -131, false),
        num_value("2", -130, false),
        num_value("1", -129, false),
        num_value("9999999999999999999999999999999999999", -37, false),
        num_value("1", 0, false),
        num_value("10000000000000000000000000000000000001", -37, false),
        num_value("11", -1, false),
        num_value("2", 0, false),
        num_value("1", 1, false),
        num_value("1", 125, false),
        num_value("99999999999999999999999999999999999999", 88, false),
    };
    for (size_t i = 0; i + 1 < DDB_ARRAY_LEN(v); i++) {
        CHECK(ref_cmp(&v[i], &v[i + 1]) < 0);
        CHECK(ddb_slice_cmp(enc(&a, &v[i], NULL), enc(&a, &v[i + 1], NULL)) < 0);
    }
    ddb_arena_release(&a);
}

TEST(hash_vectors_are_stable)
{
    /* Computed from the byte-by-byte description in keycodec.h by an
     * independent script; on disk forever. */
    CHECK_EQ_INT(ddb_keycodec_hash("", 0), 0xf52a15e9u);
    CHECK_EQ_INT(ddb_keycodec_hash("\x00\x01", 2), 0x412ba104u);
    CHECK_EQ_INT(ddb_keycodec_hash("a\x00\x01", 3), 0xe5b3ab3au);
    CHECK_EQ_INT(ddb_keycodec_hash("hello\x00\x01", 7), 0x74b65728u);
    CHECK_EQ_INT(ddb_keycodec_hash("\x02", 1), 0xa5ed1b2du);
    CHECK_EQ_INT(ddb_keycodec_hash("\x03\x41\x02", 3), 0xa3ae8e0bu);
    CHECK_EQ_INT(ddb_keycodec_hash("\x00\xff\x00\x01", 4), 0x3997fc3fu);
}

TEST(item_key_layout_and_decode)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_buf b;
    ddb_buf_init(&b, &a);
    struct ddb_value pk = str_value(DDB_T_S, "hello", 5);
    struct ddb_value sk = num_value("1", 0, false);
    ddb_keycodec_item_key(&b, 0x0102030405060708ull, &pk, &sk);
    CHECK(b.len == 12 + 7 + 3);
    CHECK(memcmp(b.ptr, "\x01\x02\x03\x04\x05\x06\x07\x08\x74\xb6\x57\x28hello\x00\x01\x03\x41\x02",
                 b.len) == 0);
    struct ddb_keycodec_schema schema = {DDB_T_S, DDB_T_N, true};
    struct ddb_keycodec_item_key k;
    struct ddb_error e;
    CHECK(ddb_keycodec_decode_item_key(&a, b.ptr, b.len, &schema, &k, &e) == 0);
    CHECK(k.table_id == 0x0102030405060708ull);
    CHECK(k.hash == 0x74b65728u);
    CHECK(same_value(&k.pk, &pk));
    CHECK(same_value(&k.sk, &sk));
    CHECK(k.has_sk);
    /* The same bytes under another schema are rejected, never misread. */
    struct ddb_keycodec_schema hash_only = {DDB_T_S, DDB_T_S, false};
    CHECK(ddb_keycodec_decode_item_key(&a, b.ptr, b.len, &hash_only, &k, &e) == -1);
    CHECK(e.code == DDB_ERR_INTERNAL);
    CHECK(strstr(e.message, "offset 19") != NULL);
    struct ddb_keycodec_schema wrong = {DDB_T_S, DDB_T_S, true};
    CHECK(ddb_keycodec_decode_item_key(&a, b.ptr, b.len, &wrong, &k, &e) == -1);

    /* Random keys of random schemas round-trip; every truncation fails. */
    int bad = 0;
    for (int i = 0; i < 20000; i++) {
        struct ddb_keycodec_schema s = {(enum ddb_type)rnd_below(3), (enum ddb_type)rnd_below(3),
                                        rnd_below(2)};
        struct ddb_value p = rnd_value(&a, s.pk_type), q = rnd_value(&a, s.sk_type);
        uint64_t id = rnd();
        ddb_buf_init(&b, &a);
        ddb_keycodec_item_key(&b, id, &p, s.has_sk ? &q : NULL);
        if (ddb_keycodec_decode_item_key(&a, b.ptr, b.len, &s, &k, &e) != 0 || k.table_id != id ||
            !same_value(&k.pk, &p) || (s.has_sk && !same_value(&k.sk, &q)) ||
            k.has_sk != s.has_sk)
            bad++;
        for (size_t n = 0; n < b.len; n++)
            if (ddb_keycodec_decode_item_key(&a, b.ptr, n, &s, &k, &e) != -1)
                bad++;
        if ((i & 255) == 0)
            ddb_arena_reset(&a);
    }
    CHECK_EQ_INT(bad, 0);
    ddb_arena_release(&a);
}

static bool rejects(const char *bytes, size_t n, enum ddb_type t, const char *why)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    size_t off = 0;
    struct ddb_value v;
    struct ddb_error e = {0};
    bool ok = ddb_keycodec_decode_component(&a, bytes, n, &off, t, &v, &e) == -1 &&
              e.code == DDB_ERR_INTERNAL && strstr(e.message, why) != NULL;
    if (!ok)
        printf("#   expected '%s', got '%s'\n", why, e.message ? e.message : "success");
    ddb_arena_release(&a);
    return ok;
}

TEST(corrupt_components_are_rejected)
{
    CHECK(rejects("ab", 2, DDB_T_S, "unterminated"));
    CHECK(rejects("ab\x00", 3, DDB_T_S, "truncated escape"));
    CHECK(rejects("ab\x00\x02", 4, DDB_T_B, "offset 3: bad escape"));
    CHECK(rejects("", 0, DDB_T_N, "missing"));
    CHECK(rejects("\x04", 1, DDB_T_N, "sign"));
    CHECK(rejects("\x03", 1, DDB_T_N, "truncated"));
    CHECK(rejects("\x03\x80\x02", 3, DDB_T_N, "exponent"));
    CHECK(rejects("\x03\x41", 2, DDB_T_N, "unterminated"));
    CHECK(rejects("\x03\x41\x03", 3, DDB_T_N, "unterminated"));
    CHECK(rejects("\x03\x41\xc8", 3, DDB_T_N, "digit byte"));
    CHECK(rejects("\x03\x41\x01\x02", 4, DDB_T_N, "leading zero"));
    CHECK(rejects("\x03\x41\x03\x00", 4, DDB_T_N, "trailing zero"));
    CHECK(rejects("\x01\xbe\xff", 3, DDB_T_N, "leading zero"));
    CHECK(rejects("\x01\xbe\xfc\xff", 4, DDB_T_N, "trailing zero"));
    /* 20 pairs with neither end padding: 40 digits */
    char many[22] = {0x03, 0x41};
    memset(many + 2, 2 * 11 + 1, 19);
    many[21] = 2 * 11;
    CHECK(rejects(many, sizeof many, DDB_T_N, "more than 38"));
    char toolong[24] = {0x03, 0x41};
    memset(toolong + 2, 2 * 11 + 1, 21);
    toolong[23] = 2;
    CHECK(rejects(toolong, sizeof toolong, DDB_T_N, "too many"));
    CHECK(rejects("a", 1, DDB_T_M, "not S, N or B"));

    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_error e;
    struct ddb_keycodec_schema s = {DDB_T_S, DDB_T_S, false};
    struct ddb_keycodec_item_key k;
    CHECK(ddb_keycodec_decode_item_key(&a, "\x00\x00\x00\x00\x00\x00\x00\x01\x41\x2b\xa1\x04\x00\x01",
                                       14, &s, &k, &e) == 0);
    CHECK(k.pk.u.str.len == 0 && k.table_id == 1);
    CHECK(ddb_keycodec_decode_item_key(&a, "\x00\x00\x00\x00\x00\x00\x00\x01\x41\x2b\xa1\x05\x00\x01",
                                       14, &s, &k, &e) == -1);
    CHECK(strstr(e.message, "hash") != NULL);
    CHECK(ddb_keycodec_decode_item_key(&a, "\x00\x00\x00\x00\x00\x00\x00\x01\x41\x2b\xa1\x04\x00\x01\x00",
                                       15, &s, &k, &e) == -1);
    CHECK(strstr(e.message, "offset 14: trailing") != NULL);
    ddb_arena_release(&a);
}

TEST(segments_cover_the_hash_space_once)
{
    static const uint32_t totals[] = {1, 2, 3, 7, 1000, 1000000};
    for (size_t t = 0; t < DDB_ARRAY_LEN(totals); t++) {
        uint32_t total = totals[t];
        uint64_t expect = 0;
        int bad = 0;
        for (uint32_t s = 0; s < total; s++) {
            uint64_t lo, hi;
            ddb_keycodec_segment_hashes(s, total, &lo, &hi);
            if (lo != expect || hi <= lo)
                bad++;
            expect = hi;
        }
        CHECK_EQ_INT(bad, 0);
        CHECK(expect == (UINT64_C(1) << 32));
    }
    /* A key belongs to exactly one segment's key range, and a key of the
     * neighbouring tables to none. */
    struct ddb_arena a;
    ddb_arena_init(&a);
    int bad = 0;
    for (int i = 0; i < 3000; i++) {
        struct ddb_buf key;
        ddb_buf_init(&key, &a);
        uint64_t id = 5 + rnd_below(3); /* tables 5, 6, 7; ranges of 6 */
        struct ddb_value pk = rnd_value(&a, (enum ddb_type)rnd_below(3));
        ddb_keycodec_item_key(&key, id, &pk, NULL);
        uint32_t total = rnd_below(2) ? 7 : 1 + rnd_below(50);
        int hits = 0;
        for (uint32_t s = 0; s < total; s++) {
            uint64_t lo, hi;
            struct ddb_buf st, en;
            ddb_buf_init(&st, &a);
            ddb_buf_init(&en, &a);
            ddb_keycodec_segment_hashes(s, total, &lo, &hi);
            ddb_keycodec_hash_range(&st, &en, 6, lo, hi);
            if (ddb_slice_cmp(ddb_buf_slice(&st), ddb_buf_slice(&key)) <= 0 &&
                ddb_slice_cmp(ddb_buf_slice(&key), ddb_buf_slice(&en)) < 0)
                hits++;
        }
        if (hits != (id == 6 ? 1 : 0))
            bad++;
        if ((i & 63) == 0)
            ddb_arena_reset(&a);
    }
    CHECK_EQ_INT(bad, 0);
    ddb_arena_release(&a);
}

TEST(prefix_end)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_buf b;
    ddb_buf_init(&b, &a);
    ddb_buf_append(&b, "a\x01\xff\xff", 4);
    CHECK(ddb_keycodec_prefix_end(&b));
    CHECK(b.len == 2 && memcmp(b.ptr, "a\x02", 2) == 0);
    ddb_buf_clear(&b);
    ddb_buf_append(&b, "\xff\xff", 2);
    CHECK(!ddb_keycodec_prefix_end(&b));
    CHECK(b.len == 0);
    ddb_buf_clear(&b);
    ddb_keycodec_table_prefix(&b, UINT64_MAX);
    CHECK(!ddb_keycodec_prefix_end(&b));
    ddb_arena_release(&a);
}

/* Does sk satisfy op? The reference, from the values alone. */
static bool ref_match(const struct ddb_value *sk, enum ddb_keycodec_op op,
                      const struct ddb_value *x, const struct ddb_value *y)
{
    switch (op) {
    case DDB_KEYOP_ALL:
        return true;
    case DDB_KEYOP_EQ:
        return ref_cmp(sk, x) == 0;
    case DDB_KEYOP_LT:
        return ref_cmp(sk, x) < 0;
    case DDB_KEYOP_LE:
        return ref_cmp(sk, x) <= 0;
    case DDB_KEYOP_GT:
        return ref_cmp(sk, x) > 0;
    case DDB_KEYOP_GE:
        return ref_cmp(sk, x) >= 0;
    case DDB_KEYOP_BETWEEN:
        return ref_cmp(sk, x) >= 0 && ref_cmp(sk, y) <= 0;
    case DDB_KEYOP_BEGINS_WITH:
        return sk->u.str.len >= x->u.str.len &&
               (x->u.str.len == 0 || memcmp(sk->u.str.ptr, x->u.str.ptr, x->u.str.len) == 0);
    }
    return false;
}

static void check_sort_ranges(enum ddb_type t)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_value pk = str_value(DDB_T_S, "p", 1);
    struct ddb_value other_pk = str_value(DDB_T_S, "p\x00", 2);
    struct ddb_buf part;
    ddb_buf_init(&part, &a);
    ddb_keycodec_partition_prefix(&part, 42, &pk);
    enum { NKEYS = 300 };
    struct ddb_value sks[NKEYS];
    ddb_slice keys[NKEYS], ikeys[NKEYS];
    for (int i = 0; i < NKEYS; i++) {
        sks[i] = rnd_value(&a, t);
        if (t == DDB_T_S && i < 8) { /* the extremes, explicitly */
            static const struct {
                const char *p;
                size_t n;
            } ex[] = {{"\x00", 1}, {"\xff", 1}, {"\xff\xff", 2}, {"\x00\x00", 2},
                      {"a\xff", 2}, {"a", 1},    {"a\x00", 2},     {"\x01", 1}};
            sks[i] = str_value(t, ex[i].p, ex[i].n);
        }
        struct ddb_buf b;
        ddb_buf_init(&b, &a);
        ddb_keycodec_item_key(&b, 42, &pk, &sks[i]);
        keys[i] = ddb_buf_slice(&b);
        /* an index-like key: the same prefix and sort key, then more */
        struct ddb_buf ib;
        ddb_buf_init(&ib, &a);
        ddb_buf_append(&ib, b.ptr, b.len);
        struct ddb_value extra = rnd_value(&a, DDB_T_B);
        ddb_keycodec_append_component(&ib, &extra);
        ikeys[i] = ddb_buf_slice(&ib);
    }
    /* keys of other partitions and tables that must never fall in a range */
    struct ddb_buf o1, o2, o3;
    ddb_buf_init(&o1, &a);
    ddb_buf_init(&o2, &a);
    ddb_buf_init(&o3, &a);
    ddb_keycodec_item_key(&o1, 42, &other_pk, &sks[0]);
    ddb_keycodec_item_key(&o2, 43, &pk, &sks[0]);
    ddb_keycodec_item_key(&o3, 41, &pk, &sks[0]);
    int bad = 0;
    for (int r = 0; r < 400; r++) {
        enum ddb_keycodec_op op = (enum ddb_keycodec_op)rnd_below(8);
        if (op == DDB_KEYOP_BEGINS_WITH && t == DDB_T_N)
            op = DDB_KEYOP_EQ;
        /* operands: existing sort keys half of the time (the edges), or new */
        struct ddb_value x = rnd_below(2) ? sks[rnd_below(NKEYS)] : rnd_value(&a, t);
        struct ddb_value y = rnd_below(2) ? sks[rnd_below(NKEYS)] : rnd_value(&a, t);
        if (op == DDB_KEYOP_BEGINS_WITH && rnd_below(3) == 0 && x.u.str.len > 0)
            x.u.str.len = rnd_below((unsigned)x.u.str.len);
        struct ddb_buf st, en;
        ddb_buf_init(&st, &a);
        ddb_buf_init(&en, &a);
        struct ddb_error e;
        if (ddb_keycodec_sort_range(&st, &en, ddb_buf_slice(&part), op, &x, &y, &e) != 0) {
            bad++;
            continue;
        }
        ddb_slice s = ddb_buf_slice(&st), n = ddb_buf_slice(&en);
        for (int i = 0; i < NKEYS; i++) {
            bool want = ref_match(&sks[i], op, &x, &y);
            bool in = ddb_slice_cmp(s, keys[i]) <= 0 && ddb_slice_cmp(keys[i], n) < 0;
            bool iin = ddb_slice_cmp(s, ikeys[i]) <= 0 && ddb_slice_cmp(ikeys[i], n) < 0;
            if (in != want || iin != want) {
                bad++;
                printf("#   op %d key %d want %d in %d iin %d\n", op, i, want, in, iin);
            }
        }
        const struct ddb_buf *others[] = {&o1, &o2, &o3};
        for (int i = 0; i < 3; i++) {
            ddb_slice k = ddb_buf_slice(others[i]);
            if (ddb_slice_cmp(s, k) <= 0 && ddb_slice_cmp(k, n) < 0)
                bad++;
        }
    }
    CHECK_EQ_INT(bad, 0);
    ddb_arena_release(&a);
}

TEST(sort_ranges_strings)
{
    check_sort_ranges(DDB_T_S);
}

TEST(sort_ranges_binaries)
{
    check_sort_ranges(DDB_T_B);
}

TEST(sort_ranges_numbers)
{
    check_sort_ranges(DDB_T_N);
}

TEST(sort_range_edges)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_buf part, st, en;
    ddb_buf_init(&part, &a);
    ddb_buf_append(&part, "P\x00\x01", 3);
    struct ddb_error e;
    /* begins_with "\xff": the end drops the 0xFF and steps the prefix */
    ddb_buf_init(&st, &a);
    ddb_buf_init(&en, &a);
    struct ddb_value ff = str_value(DDB_T_B, "\xff", 1);
    CHECK(ddb_keycodec_sort_range(&st, &en, ddb_buf_slice(&part), DDB_KEYOP_BEGINS_WITH, &ff,
                                  NULL, &e) == 0);
    CHECK(st.len == 4 && memcmp(st.ptr, "P\x00\x01\xff", 4) == 0);
    CHECK(en.len == 3 && memcmp(en.ptr, "P\x00\x02", 3) == 0);
    /* begins_with "\x00": escaped as 00 FF, end 01 */
    ddb_buf_init(&st, &a);
    ddb_buf_init(&en, &a);
    struct ddb_value z = str_value(DDB_T_S, "\x00", 1);
    CHECK(ddb_keycodec_sort_range(&st, &en, ddb_buf_slice(&part), DDB_KEYOP_BEGINS_WITH, &z,
                                  NULL, &e) == 0);
    CHECK(st.len == 5 && memcmp(st.ptr, "P\x00\x01\x00\xff", 5) == 0);
    CHECK(en.len == 4 && memcmp(en.ptr, "P\x00\x01\x01", 4) == 0);
    /* <= 'a': the successor of the encoding a 00 01 is a 00 02 */
    ddb_buf_init(&st, &a);
    ddb_buf_init(&en, &a);
    struct ddb_value sa = str_value(DDB_T_S, "a", 1);
    CHECK(ddb_keycodec_sort_range(&st, &en, ddb_buf_slice(&part), DDB_KEYOP_LE, &sa, NULL, &e) ==
          0);
    CHECK(st.len == 3 && en.len == 6 && memcmp(en.ptr, "P\x00\x01" "a\x00\x02", 6) == 0);
    /* BETWEEN with lower > upper is empty */
    ddb_buf_init(&st, &a);
    ddb_buf_init(&en, &a);
    struct ddb_value n1 = num_value("1", 0, false), n2 = num_value("2", 0, false);
    CHECK(ddb_keycodec_sort_range(&st, &en, ddb_buf_slice(&part), DDB_KEYOP_BETWEEN, &n2, &n1,
                                  &e) == 0);
    CHECK(ddb_slice_cmp(ddb_buf_slice(&st), ddb_buf_slice(&en)) >= 0);
    /* begins_with on a number is refused */
    ddb_buf_init(&st, &a);
    ddb_buf_init(&en, &a);
    CHECK(ddb_keycodec_sort_range(&st, &en, ddb_buf_slice(&part), DDB_KEYOP_BEGINS_WITH, &n1,
                                  NULL, &e) == -1);
    CHECK(e.code == DDB_ERR_VALIDATION);
    /* the successor of a key */
    ddb_buf_init(&st, &a);
    ddb_buf_append(&st, "k", 1);
    ddb_keycodec_key_successor(&st);
    CHECK(st.len == 2 && st.ptr[1] == 0);
    ddb_arena_release(&a);
}

TEST(index_keys_decode_and_order_by_index_key_first)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    int bad = 0;
    static const enum ddb_type types[4] = {DDB_T_N, DDB_T_S, DDB_T_B, DDB_T_N};
    for (int i = 0; i < 5000; i++) {
        struct ddb_value v[4], w[4], out[4];
        for (int k = 0; k < 4; k++) {
            v[k] = rnd_value(&a, types[k]);
            w[k] = rnd_value(&a, types[k]);
        }
        w[0] = v[0]; /* same index partition, so the hash ties */
        struct ddb_buf kv, kw;
        ddb_buf_init(&kv, &a);
        ddb_buf_init(&kw, &a);
        ddb_keycodec_index_key(&kv, 9, &v[0], &v[1], &v[2], &v[3]);
        ddb_keycodec_index_key(&kw, 9, &w[0], &w[1], &w[2], &w[3]);
        int want = 0;
        for (int k = 1; k < 4 && want == 0; k++)
            want = ref_cmp(&v[k], &w[k]);
        if (sgn(ddb_slice_cmp(ddb_buf_slice(&kv), ddb_buf_slice(&kw))) != want)
            bad++;
        uint64_t id;
        uint32_t h;
        struct ddb_error e;
        if (ddb_keycodec_decode_key(&a, kv.ptr, kv.len, types, 4, &id, &h, out, &e) != 0 ||
            id != 9)
            bad++;
        else
            for (int k = 0; k < 4; k++)
                if (!same_value(&out[k], &v[k]))
                    bad++;
        if ((i & 255) == 0)
            ddb_arena_reset(&a);
    }
    CHECK_EQ_INT(bad, 0);
    ddb_arena_release(&a);
}

/* Numbers as clients write them, parsed by protocol/decimal.c, in ascending
 * order (equal neighbours marked by writing them twice in other spellings). */
TEST(parsed_numbers_sort_numerically)
{
    static const char *const texts[] = {
        "-9.9999999999999999999999999999999999999E+125",
        "-1E+125",
        "-12345678901234567890123456789012345678",
        "-1000",
        "-999.99999999999999999999999999999999999",
        "-100.5",
        "-100.49",
        "-100",
        "-1.1",
        "-1.01",
        "-1.001",
        "-1",
        "-0.99",
        "-0.1",
        "-1E-129",
        "-1E-130",
        "0",
        "1E-130",
        "1.1E-130",
        "2E-130",
        "1E-129",
        "0.000000000000000000000000000000000000000001",
        "0.01",
        "0.01000000000000000000000000000000000001",
        "0.1",
        "1",
        "1.0000000000000000000000000000000000001",
        "1.01",
        "1.1",
        "9",
        "9.5",
        "10",
        "10.5",
        "99",
        "100",
        "101",
        "12345678901234567890123456789012345678",
        "1E+38",
        "1E+125",
        "9.9999999999999999999999999999999999999E+125",
    };
    static const char *const same[][2] = {
        {"-0", "0"}, {"1.50", "1.5"}, {"100", "1E2"}, {"0.001", "1e-3"}, {"-7.000", "-7"},
    };
    struct ddb_arena a;
    ddb_arena_init(&a);
    ddb_slice prev = {NULL, 0};
    for (size_t i = 0; i < DDB_ARRAY_LEN(texts); i++) {
        struct ddb_value v = {.type = DDB_T_N};
        CHECK(ddb_decimal_parse(texts[i], strlen(texts[i]), &v.u.num) == DDB_DEC_OK);
        ddb_slice s = enc(&a, &v, NULL);
        if (i > 0 && ddb_slice_cmp(prev, s) >= 0)
            printf("#   %s does not sort after %s\n", texts[i], texts[i - 1]);
        CHECK(i == 0 || ddb_slice_cmp(prev, s) < 0);
        size_t off = 0;
        struct ddb_value back;
        struct ddb_error e;
        CHECK(ddb_keycodec_decode_component(&a, s.ptr, s.len, &off, DDB_T_N, &back, &e) == 0);
        CHECK(off == s.len && ddb_decimal_cmp(&back.u.num, &v.u.num) == 0 && same_value(&back, &v));
        prev = s;
    }
    for (size_t i = 0; i < DDB_ARRAY_LEN(same); i++) {
        struct ddb_value x = {.type = DDB_T_N}, y = {.type = DDB_T_N};
        CHECK(ddb_decimal_parse(same[i][0], strlen(same[i][0]), &x.u.num) == DDB_DEC_OK);
        CHECK(ddb_decimal_parse(same[i][1], strlen(same[i][1]), &y.u.num) == DDB_DEC_OK);
        CHECK(ddb_slice_eq(enc(&a, &x, NULL), enc(&a, &y, NULL)));
    }
    ddb_arena_release(&a);
}
