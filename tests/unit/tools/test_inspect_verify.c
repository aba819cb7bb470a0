/*
 * test_inspect_verify.c: ddbd-inspect's entry-for-entry index comparison.
 */
#include "tools/inspect/verify.h"

#include "../harness.h"

#define E(k, v) {{k, sizeof(k) - 1}, {v, sizeof(v) - 1}}

struct seen {
    int n;
    enum ddb_inspect_diff what[8];
    char first[8];
};

static void record(void *ctx, enum ddb_inspect_diff what, ddb_slice key)
{
    struct seen *s = ctx;
    if (s->n < 8) {
        s->what[s->n] = what;
        s->first[s->n] = key.len ? key.ptr[0] : 0;
    }
    s->n++;
}

TEST(equal_lists_have_no_difference)
{
    struct ddb_inspect_entry a[] = {E("a", "1"), E("b", "2"), E("c", "3")};
    struct ddb_inspect_entry b[] = {E("a", "1"), E("b", "2"), E("c", "3")};
    struct seen s = {0};
    CHECK_EQ_INT(ddb_inspect_compare(a, 3, b, 3, record, &s), 0);
    CHECK_EQ_INT(s.n, 0);
    CHECK_EQ_INT(ddb_inspect_compare(NULL, 0, NULL, 0, NULL, NULL), 0);
}

TEST(missing_extra_and_stale_entries_are_told_apart)
{
    struct ddb_inspect_entry want[] = {E("a", "1"), E("b", "2"), E("d", "4")};
    struct ddb_inspect_entry have[] = {E("b", "X"), E("c", "3"), E("d", "4")};
    struct seen s = {0};
    CHECK_EQ_INT(ddb_inspect_compare(want, 3, have, 3, record, &s), 3);
    CHECK_EQ_INT(s.n, 3);
    CHECK_EQ_INT(s.what[0], DDB_DIFF_MISSING);
    CHECK_EQ_INT(s.first[0], 'a');
    CHECK_EQ_INT(s.what[1], DDB_DIFF_STALE);
    CHECK_EQ_INT(s.first[1], 'b');
    CHECK_EQ_INT(s.what[2], DDB_DIFF_EXTRA);
    CHECK_EQ_INT(s.first[2], 'c');
}

TEST(one_side_empty)
{
    struct ddb_inspect_entry a[] = {E("a", "1"), E("b", "2")};
    struct seen s = {0};
    CHECK_EQ_INT(ddb_inspect_compare(a, 2, NULL, 0, record, &s), 2);
    CHECK_EQ_INT(s.what[0], DDB_DIFF_MISSING);
    struct seen s2 = {0};
    CHECK_EQ_INT(ddb_inspect_compare(NULL, 0, a, 2, record, &s2), 2);
    CHECK_EQ_INT(s2.what[1], DDB_DIFF_EXTRA);
}

TEST(sort_orders_by_memcmp_with_prefix_first)
{
    struct ddb_inspect_entry e[] = {E("b", ""), E("ab", ""), E("a", ""), E("\xff", ""),
                                    E("a\x00", "")};
    ddb_inspect_sort(e, 5);
    CHECK(ddb_slice_eq_cstr(e[0].key, "a"));
    CHECK_EQ_INT(e[1].key.len, 2);
    CHECK_EQ_INT(e[1].key.ptr[1], 0);
    CHECK(ddb_slice_eq_cstr(e[2].key, "ab"));
    CHECK(ddb_slice_eq_cstr(e[3].key, "b"));
    CHECK_EQ_INT((unsigned char)e[4].key.ptr[0], 0xff);
    /* a value difference alone counts once */
    struct ddb_inspect_entry w[] = {E("k", "v1")}, h[] = {E("k", "v2")};
    CHECK_EQ_INT(ddb_inspect_compare(w, 1, h, 1, NULL, NULL), 1);
}
