#include "harness.h"
#include "storage/catalog_codec.h"

/* A stored definition with every member; RCU, WCU, CREATED and INDEX_RCU
 * are spliced in as text. */
static ddb_slice def_json(struct ddb_arena *a, const char *rcu, const char *wcu,
                          const char *created, const char *index_rcu)
{
    struct ddb_buf b;
    ddb_buf_init(&b, a);
    char text[2048];
    int n = snprintf(
        text, sizeof text,
        "{\"v\":1,\"id\":7,\"uuid\":\"0123456789abcdef0123456789abcdef0123\",\"name\":\"t\","
        "\"created\":%s,\"hash\":\"pk\",\"hash_type\":\"S\",\"attrs\":[[\"pk\",\"S\"],[\"g\",\"N\"]],"
        "\"billing\":0,\"billing_explicit\":true,\"rcu\":%s,\"wcu\":%s,\"billing_updated\":0,"
        "\"tp_inc\":0,\"tp_dec\":0,\"tags\":[],\"indexes\":[{\"name\":\"gi\",\"id\":8,"
        "\"local\":false,\"hash\":\"g\",\"hash_type\":\"N\",\"proj\":0,\"nka\":[],\"tp\":true,"
        "\"rcu\":%s,\"wcu\":1,\"mr\":-1,\"mw\":-1,\"status\":0}]}",
        created, rcu, wcu, index_rcu);
    ddb_buf_append(&b, text, (size_t)n);
    return ddb_buf_slice(&b);
}

static struct ddb_table *decode(struct ddb_arena *a, ddb_slice s, struct ddb_error *e)
{
    *e = (struct ddb_error){0};
    return ddb_catalog_table_decode(a, s, e);
}

TEST(integers_above_2_pow_53_are_exact)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_error e;
    struct ddb_table *t = decode(
        &a, def_json(&a, "9007199254740993", "9223372036854775807", "1.5", "9007199254740995"),
        &e);
    CHECK(t != NULL);
    if (t != NULL) {
        CHECK(t->def.read_capacity == INT64_C(9007199254740993));
        CHECK(t->def.write_capacity == INT64_MAX);
        CHECK(t->def.index_count == 1 &&
              t->def.indexes[0].read_capacity == INT64_C(9007199254740995));
        CHECK(t->id == 7 && t->def.indexes[0].id == 8);
        struct ddb_buf out;
        ddb_buf_init(&out, &a);
        ddb_catalog_table_encode(t, &out);
        ddb_slice s = ddb_buf_slice(&out);
        CHECK(memmem(s.ptr, s.len, "\"rcu\":9007199254740993,", 23) != NULL);
        CHECK(memmem(s.ptr, s.len, "\"rcu\":9007199254740995,", 23) != NULL);
        struct ddb_table *u = decode(&a, s, &e);
        CHECK(u != NULL && u->def.read_capacity == INT64_C(9007199254740993) &&
              u->def.indexes[0].read_capacity == INT64_C(9007199254740995));
        if (u != NULL)
            ddb_table_unref(u);
        ddb_table_unref(t);
    }
    ddb_arena_release(&a);
}

TEST(times_survive_a_roundtrip_exactly)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_error e;
    struct ddb_table *t = decode(&a, def_json(&a, "1", "1", "1764872345.1234567", "1"), &e);
    CHECK(t != NULL);
    if (t != NULL) {
        struct ddb_buf out;
        ddb_buf_init(&out, &a);
        ddb_catalog_table_encode(t, &out);
        struct ddb_table *u = decode(&a, ddb_buf_slice(&out), &e);
        CHECK(u != NULL && u->created == t->created && t->created == 1764872345.1234567);
        if (u != NULL)
            ddb_table_unref(u);
        ddb_table_unref(t);
    }
    ddb_arena_release(&a);
}

TEST(out_of_range_and_non_integers_are_rejected_with_the_member)
{
    static const struct {
        const char *rcu, *index_rcu, *message;
    } cases[] = {
        {"9223372036854775808", "1",
         "corrupt catalog: table definition: member \"rcu\" is missing or not an integer in "
         "[INT64_MIN, INT64_MAX]"},
        {"-9223372036854775809", "1", NULL},
        {"100000000000000000000", "1", NULL},
        {"1.0", "1", NULL},
        {"1e3", "1", NULL},
        {"\"5\"", "1", NULL},
        {"1", "18446744073709551616", "corrupt catalog: table definition: member \"rcu\" is "
                                      "missing or not an integer in [INT64_MIN, INT64_MAX]"},
    };
    struct ddb_arena a;
    ddb_arena_init(&a);
    for (size_t i = 0; i < DDB_ARRAY_LEN(cases); i++) {
        struct ddb_error e;
        struct ddb_table *t = decode(&a, def_json(&a, cases[i].rcu, "1", "0", cases[i].index_rcu), &e);
        CHECK(t == NULL);
        CHECK(e.code == DDB_ERR_INTERNAL && e.message != NULL &&
              strstr(e.message, "member \"rcu\"") != NULL);
        if (cases[i].message != NULL)
            CHECK_EQ_STR(e.message, cases[i].message);
        if (t != NULL)
            ddb_table_unref(t);
    }
    struct ddb_error e;
    struct ddb_table *t = decode(&a, def_json(&a, "-9223372036854775808", "1", "0", "1"), &e);
    CHECK(t != NULL && t->def.read_capacity == INT64_MIN);
    if (t != NULL)
        ddb_table_unref(t);
    ddb_arena_release(&a);
}

TEST(other_failures_name_their_reason)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_error e;
    CHECK(decode(&a, DDB_SLICE_LIT("{"), &e) == NULL);
    CHECK_EQ_STR(e.message, "corrupt catalog: table definition: not JSON");
    CHECK(decode(&a, DDB_SLICE_LIT("[]"), &e) == NULL);
    CHECK_EQ_STR(e.message, "corrupt catalog: table definition: not a JSON object");
    CHECK(decode(&a, DDB_SLICE_LIT("{\"v\":2}"), &e) == NULL);
    CHECK_EQ_STR(e.message,
                 "corrupt catalog: table definition: member \"v\" is missing or not an integer "
                 "in [1, 1]");
    CHECK(decode(&a, def_json(&a, "1", "1", "1e999", "1"), &e) == NULL);
    CHECK_EQ_STR(e.message,
                 "corrupt catalog: table definition: member \"created\" is missing or not a "
                 "finite number");
    ddb_arena_release(&a);
}
