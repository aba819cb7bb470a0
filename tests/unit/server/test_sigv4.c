#include "harness.h"
#include "server/sigv4.c"

#define GOOD "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/dynamodb/aws4_request, " \
             "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0123456789abcdef"

static int parse(const char *h, bool has_date, struct ddb_arena *a, struct ddb_sigv4 *s,
                 struct ddb_error *e)
{
    memset(s, 0x5a, sizeof *s);
    *e = (struct ddb_error){0};
    return ddb_sigv4_parse(ddb_slice_cstr(h), has_date, a, s, e);
}

#define CHECK_SLICE(sl, str) CHECK(ddb_slice_eq_cstr((sl), (str)))

TEST(sigv4_well_formed_header)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_sigv4 s;
    struct ddb_error e;
    CHECK_EQ_INT(parse(GOOD, true, &a, &s, &e), 0);
    CHECK_SLICE(s.algorithm, "AWS4-HMAC-SHA256");
    CHECK_SLICE(s.credential, "AKIDEXAMPLE/20240101/us-east-1/dynamodb/aws4_request");
    CHECK_SLICE(s.access_key_id, "AKIDEXAMPLE");
    CHECK_SLICE(s.date, "20240101");
    CHECK_SLICE(s.region, "us-east-1");
    CHECK_SLICE(s.service, "dynamodb");
    CHECK_SLICE(s.terminator, "aws4_request");
    CHECK_SLICE(s.signed_headers, "content-type;host;x-amz-date;x-amz-target");
    CHECK_SLICE(s.signature, "0123456789abcdef");
    ddb_arena_release(&a);
}

TEST(sigv4_spacing_order_and_extras)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_sigv4 s;
    struct ddb_error e;
    /* no spaces after commas, other order, unknown parameter, trailing comma */
    CHECK_EQ_INT(parse("  AWS4-HMAC-SHA256   Signature=ff,SignedHeaders=host,Foo=bar,"
                       "Credential=K/20240101/eu-west-1/dynamodb/aws4_request/,  ",
                       true, &a, &s, &e), 0);
    CHECK_SLICE(s.signature, "ff");
    CHECK_SLICE(s.signed_headers, "host");
    CHECK_SLICE(s.credential, "K/20240101/eu-west-1/dynamodb/aws4_request"); /* trailing '/' dropped */
    CHECK_SLICE(s.region, "eu-west-1");
    /* a repeated parameter keeps its last value */
    CHECK_EQ_INT(parse(GOOD ", Signature=beef", true, &a, &s, &e), 0);
    CHECK_SLICE(s.signature, "beef");
    /* SignedHeaders may be empty */
    CHECK_EQ_INT(parse("AWS4-HMAC-SHA256 Credential=K/d/r/s/t, SignedHeaders=, Signature=1",
                       true, &a, &s, &e), 0);
    CHECK_EQ_INT(s.signed_headers.len, 0);
    ddb_arena_release(&a);
}

TEST(sigv4_not_sigv4_is_missing_token)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_sigv4 s;
    struct ddb_error e;
    const char *bad[] = {"", " ", "garbage", "AWS AKID:sig", "Bearer x", "AWS4", "aws4-hmac-sha256 Credential=x"};
    for (size_t i = 0; i < DDB_ARRAY_LEN(bad); i++) {
        CHECK_EQ_INT(parse(bad[i], true, &a, &s, &e), -1);
        CHECK_EQ_INT(e.code, DDB_ERR_MISSING_AUTH_TOKEN);
        CHECK_EQ_STR(e.message, "Request is missing Authentication Token");
    }
    ddb_arena_release(&a);
}

TEST(sigv4_missing_parameters)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_sigv4 s;
    struct ddb_error e;
    CHECK_EQ_INT(parse("AWS4-HMAC-SHA256", true, &a, &s, &e), -1);
    CHECK_EQ_INT(e.code, DDB_ERR_INCOMPLETE_SIGNATURE);
    CHECK_EQ_STR(e.message, "Authorization header requires 'Credential' parameter. "
                            "Authorization header requires 'Signature' parameter. "
                            "Authorization header requires 'SignedHeaders' parameter. "
                            "Authorization=AWS4-HMAC-SHA256");
    CHECK_EQ_INT(parse("AWS4-HMAC-SHA256 Credential=K/d/r/s/t, SignedHeaders=host", false, &a, &s, &e), -1);
    CHECK_EQ_INT(e.code, DDB_ERR_INCOMPLETE_SIGNATURE);
    CHECK_EQ_STR(e.message, "Authorization header requires 'Signature' parameter. "
                            "Authorization header requires existence of either a 'X-Amz-Date' "
                            "or a 'Date' header. "
                            "Authorization=AWS4-HMAC-SHA256 Credential=K/d/r/s/t, SignedHeaders=host");
    /* empty Credential / Signature count as missing */
    CHECK_EQ_INT(parse("AWS4-HMAC-SHA256 Credential=, SignedHeaders=host, Signature=", true, &a, &s, &e), -1);
    CHECK_EQ_STR(e.message, "Authorization header requires 'Credential' parameter. "
                            "Authorization header requires 'Signature' parameter. "
                            "Authorization=AWS4-HMAC-SHA256 Credential=, SignedHeaders=host, Signature=");
    /* only the date is missing */
    CHECK_EQ_INT(parse(GOOD, false, &a, &s, &e), -1);
    CHECK_EQ_STR(e.message, "Authorization header requires existence of either a 'X-Amz-Date' or a "
                            "'Date' header. Authorization=" GOOD);
    ddb_arena_release(&a);
}

TEST(sigv4_missing_equal_sign)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_sigv4 s;
    struct ddb_error e;
    CHECK_EQ_INT(parse("AWS4-HMAC-SHA256 Signature=b,    Credential,    SignedHeaders", true, &a, &s, &e), -1);
    CHECK_EQ_INT(e.code, DDB_ERR_INCOMPLETE_SIGNATURE);
    CHECK_EQ_STR(e.message, "'Credential' not a valid key=value pair (missing equal-sign) in "
                            "Authorization header: 'AWS4-HMAC-SHA256 Signature=b,    Credential,    SignedHeaders'.");
    ddb_arena_release(&a);
}

TEST(sigv4_algorithm)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_sigv4 s;
    struct ddb_error e;
    CHECK_EQ_INT(parse("AWS4-HMAC-SHA25 Credential=K/d/r/s/t, SignedHeaders=host, Signature=1", true, &a, &s, &e), -1);
    CHECK_EQ_INT(e.code, DDB_ERR_INCOMPLETE_SIGNATURE);
    CHECK_EQ_STR(e.message, "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA25' (only AWS4-HMAC-SHA256 for now). ");
    /* the missing-parameter check comes first */
    CHECK_EQ_INT(parse("AWS4-HMAC-SHA1 Credential=K/d/r/s/t", true, &a, &s, &e), -1);
    CHECK(strncmp(e.message, "Authorization header requires 'Signature'", 41) == 0);
    ddb_arena_release(&a);
}

TEST(sigv4_credential_parts)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_sigv4 s;
    struct ddb_error e;
    const char *creds[] = {"a/b/c/d", "AKID", "a/b/c/d/e/f", "/b/c/d/e", "a//c/d/e", "a/b/c/d/e//x"};
    const char *got[] = {"a/b/c/d", "AKID", "a/b/c/d/e/f", "/b/c/d/e", "a//c/d/e", "a/b/c/d/e//x"};
    for (size_t i = 0; i < DDB_ARRAY_LEN(creds); i++) {
        char h[256], want[256];
        snprintf(h, sizeof h, "AWS4-HMAC-SHA256 Credential=%s, SignedHeaders=host, Signature=1", creds[i]);
        snprintf(want, sizeof want, "Credential must have exactly 5 slash-delimited elements, e.g. "
                 "keyid/date/region/service/term, got '%s'", got[i]);
        CHECK_EQ_INT(parse(h, true, &a, &s, &e), -1);
        CHECK_EQ_INT(e.code, DDB_ERR_INCOMPLETE_SIGNATURE);
        CHECK_EQ_STR(e.message, want);
    }
    /* trailing slashes are ignored */
    CHECK_EQ_INT(parse("AWS4-HMAC-SHA256 Credential=a/b/c/d///, SignedHeaders=host, Signature=1", true, &a, &s, &e), -1);
    CHECK_EQ_STR(e.message, "Credential must have exactly 5 slash-delimited elements, e.g. "
                            "keyid/date/region/service/term, got 'a/b/c/d'");
    ddb_arena_release(&a);
}

TEST(sigv4_never_reads_past_the_slice)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_sigv4 s;
    struct ddb_error e;
    /* the slice ends before the NUL: bytes after it must not count */
    const char *h = GOOD "XYZ";
    ddb_slice sl = ddb_slice_make(h, strlen(GOOD));
    CHECK_EQ_INT(ddb_sigv4_parse(sl, true, &a, &s, &e), 0);
    CHECK_SLICE(s.signature, "0123456789abcdef");
    /* a header longer than the cap */
    char *big = ddb_arena_alloc(&a, DDB_SIGV4_MAX_HEADER + 2);
    memset(big, 'a', DDB_SIGV4_MAX_HEADER + 1);
    memcpy(big, "AWS4-", 5);
    CHECK_EQ_INT(ddb_sigv4_parse(ddb_slice_make(big, DDB_SIGV4_MAX_HEADER + 1), true, &a, &s, &e), -1);
    CHECK_EQ_INT(e.code, DDB_ERR_INCOMPLETE_SIGNATURE);
    ddb_arena_release(&a);
}
