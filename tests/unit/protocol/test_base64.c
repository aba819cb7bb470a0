#include "harness.h"
#include "protocol/base64.h"

static const char *dec(struct ddb_arena *a, const char *s, size_t *outlen, struct ddb_error *e)
{
    ddb_slice out = {"untouched", 9};
    if (ddb_base64_decode(a, s, strlen(s), &out, e) != 0) {
        CHECK(out.len == 9);
        return NULL;
    }
    *outlen = out.len;
    return out.ptr;
}

TEST(round_trip_all_lengths)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    unsigned char in[64];
    for (size_t i = 0; i < sizeof in; i++)
        in[i] = (unsigned char)(i * 37 + 11);
    for (size_t n = 0; n <= sizeof in; n++) {
        char enc[100];
        size_t m = ddb_base64_encode(in, n, enc);
        CHECK_EQ_INT(m, ddb_base64_encoded_len(n));
        ddb_slice out;
        struct ddb_error e;
        CHECK(ddb_base64_decode(&a, enc, m, &out, &e) == 0);
        CHECK(out.len == n && (n == 0 || memcmp(out.ptr, in, n) == 0));
    }
    ddb_arena_release(&a);
}

TEST(known_vectors)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    char out[16];
    CHECK_EQ_INT(ddb_base64_encode("ABC", 3, out), 4);
    CHECK(memcmp(out, "QUJD", 4) == 0);
    CHECK_EQ_INT(ddb_base64_encode("AB", 2, out), 4);
    CHECK(memcmp(out, "QUI=", 4) == 0);
    CHECK_EQ_INT(ddb_base64_encode("\xfb\xff", 2, out), 4);
    CHECK(memcmp(out, "+/8=", 4) == 0);
    size_t n;
    struct ddb_error e;
    const char *p = dec(&a, "QUJDRA==", &n, &e);
    CHECK(p && n == 4 && memcmp(p, "ABCD", 4) == 0);
    p = dec(&a, "", &n, &e);
    CHECK(p && n == 0);
    ddb_arena_release(&a);
}

TEST(rejects_like_the_service)
{
    static const struct {
        const char *in, *msg;
    } cases[] = {
        {"23456", "Base64 encoded length is expected a multiple of 4 bytes but found: 5"},
        {"AA=", "Base64 encoded length is expected a multiple of 4 bytes but found: 3"},
        {"AA", "Base64 encoded length is expected a multiple of 4 bytes but found: 2"},
        {"QUJD\n", "Base64 encoded length is expected a multiple of 4 bytes but found: 5"},
        {"=+/=", "Invalid last non-pad Base64 character dectected"},
        {"+/+=", "Invalid last non-pad Base64 character dectected"},
        {"QR==", "Invalid last non-pad Base64 character dectected"},
        {"QUJ=", "Invalid last non-pad Base64 character dectected"},
        {"Q===", "Invalid last non-pad Base64 character dectected"},
        {"====", "Invalid last non-pad Base64 character dectected"},
        {"-_8=", "Invalid Base64 character: '-'"},
        {"QU J", "Invalid Base64 character: ' '"},
        {"AA==AA==", "Invalid Base64 character: '='"},
        {"QUJ*", "Invalid Base64 character: '*'"},
        {"QUJ\n", "Invalid Base64 character: '\\u000a'"},
    };
    struct ddb_arena a;
    ddb_arena_init(&a);
    for (size_t i = 0; i < DDB_ARRAY_LEN(cases); i++) {
        size_t n;
        struct ddb_error e = {0};
        CHECK(dec(&a, cases[i].in, &n, &e) == NULL);
        CHECK_EQ_INT(e.code, DDB_ERR_SERIALIZATION);
        CHECK_EQ_STR(e.message, cases[i].msg);
    }
    ddb_arena_release(&a);
}

TEST(every_single_quad_decodes_only_if_canonical)
{
    /* Exhaustive over two-character groups with "==": accepted exactly when
     * the second character's low 4 bits are zero, and re-encoding gives the
     * same text. */
    static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    struct ddb_arena a;
    ddb_arena_init(&a);
    int accepted = 0;
    for (int i = 0; i < 64; i++) {
        for (int k = 0; k < 64; k++) {
            char s[5] = {al[i], al[k], '=', '=', 0};
            ddb_slice out;
            struct ddb_error e;
            int rc = ddb_base64_decode(&a, s, 4, &out, &e);
            CHECK((rc == 0) == ((k & 15) == 0));
            if (rc == 0) {
                char back[4];
                ddb_base64_encode(out.ptr, out.len, back);
                CHECK(memcmp(back, s, 4) == 0);
                accepted++;
            }
        }
    }
    CHECK_EQ_INT(accepted, 256);
    ddb_arena_release(&a);
}
