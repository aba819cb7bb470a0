#include "harness.h"
#include "protocol/json.h"
#include "tests/fuzz/json_eq.h"

#include <stdarg.h>

/* Parses n bytes; returns the root or NULL (error in *err). */
static struct ddb_json *parse_n(struct ddb_arena *a, const char *s, size_t n,
                                struct ddb_json_error *err)
{
    struct ddb_json *root = NULL;
    err->offset = (size_t)-1;
    err->reason = NULL;
    if (ddb_json_parse(a, s, n, &root, err) != 0)
        return NULL;
    return root;
}

static struct ddb_json *parse(struct ddb_arena *a, const char *s, struct ddb_json_error *err)
{
    return parse_n(a, s, strlen(s), err);
}

/* 1 if s (n bytes) is accepted. */
static int accepts_n(const char *s, size_t n)
{
    struct ddb_arena a;
    struct ddb_json_error err;
    ddb_arena_init(&a);
    int ok = parse_n(&a, s, n, &err) != NULL;
    ddb_arena_release(&a);
    return ok;
}

static int accepts(const char *s)
{
    return accepts_n(s, strlen(s));
}

/* The error offset when s is rejected, or -1 if accepted. */
static long reject_offset_n(const char *s, size_t n, const char **reason)
{
    struct ddb_arena a;
    struct ddb_json_error err;
    ddb_arena_init(&a);
    struct ddb_json *r = parse_n(&a, s, n, &err);
    ddb_arena_release(&a);
    if (reason)
        *reason = err.reason;
    return r ? -1 : (long)err.offset;
}

static long reject_offset(const char *s, const char **reason)
{
    return reject_offset_n(s, strlen(s), reason);
}

/* Writes v with the writer into an arena string. */
static ddb_slice write_dom(struct ddb_arena *a, const struct ddb_json *v)
{
    struct ddb_buf b;
    struct ddb_json_writer w;
    ddb_buf_init(&b, a);
    ddb_jw_init(&w, &b);
    ddb_jw_value(&w, v);
    return ddb_buf_slice(&b);
}

TEST(scalars)
{
    struct ddb_arena a;
    struct ddb_json_error err;
    ddb_arena_init(&a);
    struct ddb_json *v = parse(&a, "null", &err);
    CHECK(v && v->type == DDB_JSON_NULL);
    v = parse(&a, " true ", &err);
    CHECK(v && v->type == DDB_JSON_TRUE && v->offset == 1);
    v = parse(&a, "false", &err);
    CHECK(v && v->type == DDB_JSON_FALSE);
    v = parse(&a, "\"hi\"", &err);
    CHECK(v && v->type == DDB_JSON_STRING && ddb_slice_eq_cstr(v->u.str, "hi"));
    v = parse(&a, "\"\"", &err);
    CHECK(v && v->type == DDB_JSON_STRING && v->u.str.len == 0);
    ddb_arena_release(&a);
}

TEST(numbers_valid_keep_raw_text)
{
    static const char *ok[] = {"0", "-0", "1", "-1", "123456789012345678901234567890123456789",
                               "0.5", "-0.0", "1e5", "1E5", "1e+5", "1e-5", "1.25E-0010",
                               "9.99e125", "0e0", "10"};
    for (size_t i = 0; i < DDB_ARRAY_LEN(ok); i++) {
        struct ddb_arena a;
        struct ddb_json_error err;
        ddb_arena_init(&a);
        struct ddb_json *v = parse(&a, ok[i], &err);
        CHECK(v && v->type == DDB_JSON_NUMBER && ddb_slice_eq_cstr(v->u.str, ok[i]));
        if (!v)
            printf("#   rejected %s\n", ok[i]);
        ddb_arena_release(&a);
    }
    struct ddb_arena a;
    struct ddb_json_error err;
    ddb_arena_init(&a);
    struct ddb_json *v = parse(&a, "[1.5,-2]", &err);
    CHECK(v && v->count == 2 && ddb_slice_eq_cstr(v->u.items[0].u.str, "1.5") &&
          ddb_slice_eq_cstr(v->u.items[1].u.str, "-2"));
    ddb_arena_release(&a);
}

TEST(numbers_invalid)
{
    static const char *bad[] = {"01", "-", "1.", ".5", "1e", "1e+", "+1", "0x10", "--1",
                                "1.e5", "Infinity", "NaN", "-Infinity", "1.5.", "00",
                                "-01", "[01]", "1e5e", "0.", "- 1", "1_000"};
    for (size_t i = 0; i < DDB_ARRAY_LEN(bad); i++) {
        CHECK(!accepts(bad[i]));
        if (accepts(bad[i]))
            printf("#   accepted %s\n", bad[i]);
    }
    const char *reason;
    CHECK_EQ_INT(reject_offset("1.", &reason), 2);
    CHECK_EQ_STR(reason, "invalid number");
    CHECK_EQ_INT(reject_offset("[1,-x]", &reason), 4);
    CHECK_EQ_STR(reason, "invalid number");
}

TEST(containers_and_get)
{
    struct ddb_arena a;
    struct ddb_json_error err;
    ddb_arena_init(&a);
    const char *doc = "{\"TableName\":\"T\",\"Item\":{\"pk\":{\"S\":\"a\"},\"n\":{\"N\":\"1\"},"
                      "\"l\":{\"L\":[{\"S\":\"x\"},{\"BOOL\":true},{\"NULL\":true}]}},"
                      "\"e\":{},\"f\":[]}";
    struct ddb_json *v = parse(&a, doc, &err);
    CHECK(v && v->type == DDB_JSON_OBJECT && v->count == 4 && v->offset == 0);
    if (v) {
        const struct ddb_json *t = ddb_json_get(v, "TableName");
        CHECK(t && t->type == DDB_JSON_STRING && ddb_slice_eq_cstr(t->u.str, "T"));
        CHECK(t && t->offset == 13);
        const struct ddb_json *item = ddb_json_get(v, "Item");
        CHECK(item && item->type == DDB_JSON_OBJECT && item->count == 3);
        const struct ddb_json *l = ddb_json_get(ddb_json_get(item, "l"), "L");
        CHECK(l && l->type == DDB_JSON_ARRAY && l->count == 3);
        CHECK(l && l->u.items[1].type == DDB_JSON_OBJECT &&
              ddb_json_get(&l->u.items[1], "BOOL")->type == DDB_JSON_TRUE);
        CHECK(l && doc[l->offset] == '[');
        const struct ddb_json *e = ddb_json_get(v, "e");
        CHECK(e && e->type == DDB_JSON_OBJECT && e->count == 0);
        const struct ddb_json *f = ddb_json_get(v, "f");
        CHECK(f && f->type == DDB_JSON_ARRAY && f->count == 0);
        CHECK(ddb_json_get(v, "missing") == NULL);
        CHECK(ddb_json_get(t, "x") == NULL); /* not an object */
        CHECK(ddb_json_get(NULL, "x") == NULL);
        CHECK_EQ_STR(v->u.members[0].key.ptr == doc + 2 ? "zero-copy" : "copy", "zero-copy");
    }
    ddb_arena_release(&a);
}

TEST(whitespace_everywhere)
{
    struct ddb_arena a;
    struct ddb_json_error err;
    ddb_arena_init(&a);
    struct ddb_json *v = parse(&a, " \t\r\n{ \"a\" : [ 1 , \"x\" , { } , [ ] ] , \"b\"\n:\tnull }\r\n ",
                               &err);
    CHECK(v && v->count == 2 && ddb_json_get(v, "a")->count == 4);
    ddb_arena_release(&a);
    CHECK(!accepts(""));
    CHECK(!accepts("   "));
    CHECK(!accepts("\f{}"));       /* form feed is not JSON whitespace */
    CHECK(!accepts("{}\v"));
    CHECK(!accepts("\xc2\xa0{}")); /* nor is NBSP */
}

TEST(syntax_errors_with_offsets)
{
    static const struct {
        const char *doc;
        long offset;
        const char *reason;
    } cases[] = {
        {"", 0, "unexpected end of input"},
        {"{", 1, "unexpected end of input"},
        {"[1,", 3, "unexpected end of input"},
        {"[1,]", 3, "expected a value"},
        {"{\"a\":1,}", 7, "expected a string key"},
        {"{\"a\" 1}", 5, "expected ':'"},
        {"{a:1}", 1, "expected a string key"},
        {"{'a':1}", 1, "expected a string key"},
        {"[1 2]", 3, "expected ',' or ']'"},
        {"{\"a\":1 \"b\":2}", 7, "expected ',' or '}'"},
        {"[}", 1, "expected a value"},
        {"{]", 1, "expected a string key"},
        {"{} x", 3, "unexpected data after the value"},
        {"1 2", 2, "unexpected data after the value"},
        {"[]]", 2, "unexpected data after the value"},
        {"{}{}", 2, "unexpected data after the value"},
        {"tru", 0, "invalid literal"},
        {"nul", 0, "invalid literal"},
        {"[True]", 1, "expected a value"},
        {"[fals]", 1, "invalid literal"},
        {"truex", 4, "unexpected data after the value"},
        {"/* c */ 1", 0, "expected a value"},
        {"\"abc", 4, "unterminated string"},
        {"\"ab\\", 3, "unterminated string"},
        {"\"a\tb\"", 2, "control character in string"},
        {"\"a\nb\"", 2, "control character in string"},
        {"[\"x\",\xff]", 5, "expected a value"},
    };
    for (size_t i = 0; i < DDB_ARRAY_LEN(cases); i++) {
        const char *reason = NULL;
        long off = reject_offset(cases[i].doc, &reason);
        if (off != cases[i].offset || reason == NULL || strcmp(reason, cases[i].reason) != 0) {
            printf("#   case %zu: %s\n", i, cases[i].doc);
            CHECK_EQ_INT(off, cases[i].offset);
            CHECK_EQ_STR(reason, cases[i].reason);
        }
    }
    /* embedded NUL outside a string is garbage, inside a raw string a control byte */
    CHECK_EQ_INT(reject_offset_n("{}\0", 3, NULL), 2);
    CHECK_EQ_INT(reject_offset_n("\"a\0\"", 4, NULL), 2);
}

TEST(escapes)
{
    struct ddb_arena a;
    struct ddb_json_error err;
    ddb_arena_init(&a);
    static const struct {
        const char *doc;
        const char *want;
        size_t want_len;
    } cases[] = {
        {"\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t", 8},
        {"\"\\u0041\\u00e9\\u20AC\"", "A\xc3\xa9\xe2\x82\xac", 6},
        {"\"x\\ud83d\\ude00y\"", "x\xf0\x9f\x98\x80y", 6},
        {"\"\\uD800\\uDC00\\uDBFF\\uDFFF\"", "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf", 8},
        {"\"a\\u0000b\"", "a\0b", 3},
        {"\"\\u0000\"", "\0", 1},
        {"\"\\u007f\\u0080\\u07ff\\u0800\\uffff\"", "\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf", 11},
        {"\"caf\xc3\xa9 \\n \xe2\x82\xac\"", "caf\xc3\xa9 \n \xe2\x82\xac", 11},
    };
    for (size_t i = 0; i < DDB_ARRAY_LEN(cases); i++) {
        struct ddb_json *v = parse(&a, cases[i].doc, &err);
        CHECK(v && v->type == DDB_JSON_STRING && v->u.str.len == cases[i].want_len &&
              memcmp(v->u.str.ptr, cases[i].want, cases[i].want_len) == 0);
        if (!v)
            printf("#   case %zu rejected at %zu: %s\n", i, err.offset, err.reason);
        /* decoded strings are copies, not slices of the input */
        CHECK(v && (v->u.str.ptr < cases[i].doc ||
                    v->u.str.ptr >= cases[i].doc + strlen(cases[i].doc)));
    }
    /* escaped keys compare decoded */
    struct ddb_json *v = parse(&a, "{\"\\u0061b\":1}", &err);
    CHECK(v && ddb_json_get(v, "ab") != NULL);
    ddb_arena_release(&a);
}

TEST(bad_escapes_and_lone_surrogates)
{
    static const struct {
        const char *doc;
        long offset;
        const char *reason;
    } cases[] = {
        {"\"\\x\"", 1, "invalid escape"},
        {"\"\\U0041\"", 1, "invalid escape"},
        {"\"\\'\"", 1, "invalid escape"},
        {"\"ab\\u12\"", 3, "invalid \\u escape"},
        {"\"\\u12G4\"", 1, "invalid \\u escape"},
        {"\"\\u123", 1, "invalid \\u escape"},
        {"\"\\ud800\"", 1, "lone surrogate escape"},
        {"\"\\udc00\"", 1, "lone surrogate escape"},
        {"\"\\udfff\\ud800\"", 1, "lone surrogate escape"},
        {"\"a\\ud800\\u0041\"", 2, "lone surrogate escape"},
        {"\"\\ud800x\"", 1, "lone surrogate escape"},
        {"\"\\ud800\\ud800\"", 1, "lone surrogate escape"},
        {"\"\\ud800\\\"", 1, "lone surrogate escape"},
        {"\"\\ud800\\uDBFF\\uDC00\"", 1, "lone surrogate escape"},
        {"\"\\n\\ud83d\"", 3, "lone surrogate escape"},
        {"\"\\n\\ud83d\\ude0\"", 3, "lone surrogate escape"},
        {"\"\\n\x01\"", 3, "control character in string"},
        {"\"\\n\\", 3, "unterminated string"},
        {"\"\\n", 3, "unterminated string"},
    };
    for (size_t i = 0; i < DDB_ARRAY_LEN(cases); i++) {
        const char *reason = NULL;
        long off = reject_offset(cases[i].doc, &reason);
        if (off != cases[i].offset || reason == NULL || strcmp(reason, cases[i].reason) != 0) {
            printf("#   case %zu: %s\n", i, cases[i].doc);
            CHECK_EQ_INT(off, cases[i].offset);
            CHECK_EQ_STR(reason, cases[i].reason);
        }
    }
}

/* Wraps raw bytes in quotes (and optionally behind an escape, to test the
 * copying path too) and checks the verdict. */
static void check_utf8(const char *bytes, size_t n, bool valid)
{
    char doc[64];
    for (int escaped = 0; escaped < 2; escaped++) {
        size_t k = 0;
        doc[k++] = '"';
        if (escaped) {
            doc[k++] = '\\';
            doc[k++] = 'n';
        }
        memcpy(doc + k, bytes, n);
        k += n;
        doc[k++] = '"';
        struct ddb_arena a;
        struct ddb_json_error err;
        ddb_arena_init(&a);
        struct ddb_json *v = parse_n(&a, doc, k, &err);
        if ((v != NULL) != valid) {
            CHECK((v != NULL) == valid);
            printf("#   utf8 case (escaped=%d):", escaped);
            for (size_t i = 0; i < n; i++)
                printf(" %02x", (unsigned char)bytes[i]);
            printf("\n");
        } else if (valid) {
            CHECK(v->u.str.len == n + (escaped ? 1 : 0) &&
                  memcmp(v->u.str.ptr + (escaped ? 1 : 0), bytes, n) == 0);
        } else {
            CHECK_EQ_STR(err.reason, "invalid UTF-8");
            CHECK_EQ_INT(err.offset, 1 + (escaped ? 2 : 0) + (bytes[0] == 'a' ? 1 : 0));
        }
        ddb_arena_release(&a);
    }
}

#define UTF8_OK(s) check_utf8(s, sizeof(s) - 1, true)
#define UTF8_BAD(s) check_utf8(s, sizeof(s) - 1, false)

TEST(utf8_valid_boundaries)
{
    UTF8_OK("\x7f");
    UTF8_OK("\xc2\x80");         /* U+0080 */
    UTF8_OK("\xdf\xbf");         /* U+07FF */
    UTF8_OK("\xe0\xa0\x80");     /* U+0800 */
    UTF8_OK("\xed\x9f\xbf");     /* U+D7FF */
    UTF8_OK("\xee\x80\x80");     /* U+E000 */
    UTF8_OK("\xef\xbf\xbf");     /* U+FFFF */
    UTF8_OK("\xf0\x90\x80\x80"); /* U+10000 */
    UTF8_OK("\xf4\x8f\xbf\xbf"); /* U+10FFFF */
    UTF8_OK("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xf0\x9f\x98\x80 abcdefghijklmnop");
}

TEST(utf8_invalid_classes)
{
    /* stray continuation bytes */
    UTF8_BAD("\x80");
    UTF8_BAD("\xbf");
    UTF8_BAD("a\x80");
    /* overlong encodings */
    UTF8_BAD("\xc0\x80");
    UTF8_BAD("\xc1\xbf");
    UTF8_BAD("\xe0\x80\x80");
    UTF8_BAD("\xe0\x9f\xbf");
    UTF8_BAD("\xf0\x80\x80\x80");
    UTF8_BAD("\xf0\x8f\xbf\xbf");
    /* UTF-16 surrogates encoded in UTF-8 */
    UTF8_BAD("\xed\xa0\x80");
    UTF8_BAD("\xed\xbf\xbf");
    UTF8_BAD("\xed\xa0\xbd\xed\xb8\x80");
    /* above U+10FFFF */
    UTF8_BAD("\xf4\x90\x80\x80");
    UTF8_BAD("\xf5\x80\x80\x80");
    UTF8_BAD("\xf7\xbf\xbf\xbf");
    UTF8_BAD("\xf8\x88\x80\x80\x80");
    UTF8_BAD("\xfc\x84\x80\x80\x80\x80");
    UTF8_BAD("\xfe");
    UTF8_BAD("\xff");
    /* invalid continuation bytes */
    UTF8_BAD("\xc2\x41");
    UTF8_BAD("\xc2\xc2\x80");
    UTF8_BAD("\xe2\x28\xa1");
    UTF8_BAD("\xe2\x82\x28");
    UTF8_BAD("\xf0\x9f\x98\x28");
    UTF8_BAD("\xf0\x28\x98\x80");
    /* truncated sequences (the closing quote comes too early) */
    UTF8_BAD("\xc2");
    UTF8_BAD("\xe2\x82");
    UTF8_BAD("\xf0\x9f\x98");
    /* truncated at the end of the input */
    CHECK_EQ_INT(reject_offset_n("\"\xe2\x82", 3, NULL), 1);
    CHECK_EQ_INT(reject_offset_n("\"\xf0", 2, NULL), 1);
    /* invalid bytes deep in a long ASCII run (the 8-byte scanner) */
    CHECK_EQ_INT(reject_offset("\"abcdefghijklmnopqrstuvwxyz\xc0\xaf\"", NULL), 27);
    CHECK_EQ_INT(reject_offset("\"abcdefghijklmnopqrstuvwxyz\x1f\"", NULL), 27);
    /* non-ASCII outside strings */
    CHECK_EQ_INT(reject_offset("[\xc3\xa9]", NULL), 1);
}

TEST(depth_cap)
{
    char doc[2 * (DDB_JSON_MAX_DEPTH + 1) + 1];
    for (int d = DDB_JSON_MAX_DEPTH; d <= DDB_JSON_MAX_DEPTH + 1; d++) {
        memset(doc, '[', (size_t)d);
        memset(doc + d, ']', (size_t)d);
        const char *reason = NULL;
        long off = reject_offset_n(doc, 2 * (size_t)d, &reason);
        if (d == DDB_JSON_MAX_DEPTH) {
            CHECK_EQ_INT(off, -1);
        } else {
            CHECK_EQ_INT(off, DDB_JSON_MAX_DEPTH);
            CHECK_EQ_STR(reason, "nesting too deep");
        }
    }
    /* objects count too; an unclosed deep prefix fails at the cap, not at EOF */
    struct ddb_buf b;
    struct ddb_arena a;
    ddb_arena_init(&a);
    ddb_buf_init(&b, &a);
    for (int i = 0; i < 10000; i++)
        ddb_buf_puts(&b, "{\"a\":[");
    const char *reason = NULL;
    CHECK_EQ_INT(reject_offset_n(b.ptr, b.len, &reason), 6 * (DDB_JSON_MAX_DEPTH / 2));
    CHECK_EQ_STR(reason, "nesting too deep");
    ddb_arena_release(&a);
}

TEST(duplicate_keys)
{
    const char *reason = NULL;
    CHECK_EQ_INT(reject_offset("{\"a\":1,\"b\":2,\"a\":3}", &reason), 13);
    CHECK_EQ_STR(reason, "duplicate key");
    /* equal once decoded */
    CHECK_EQ_INT(reject_offset("{\"ab\":1,\"\\u0061b\":2}", &reason), 8);
    CHECK_EQ_STR(reason, "duplicate key");
    /* the empty key, and NUL-containing keys */
    CHECK(!accepts("{\"\":1,\"\":2}"));
    CHECK(accepts("{\"a\\u0000\":1,\"a\":2}"));
    CHECK(!accepts("{\"a\\u0000\":1,\"a\\u0000\":2}"));
    /* same key in different objects, and prefixes, are fine */
    CHECK(accepts("{\"a\":{\"a\":1},\"b\":[{\"a\":1},{\"a\":2}],\"ab\":0,\"abc\":1}"));
    /* large objects (the sorting path): the first repeat in input order */
    struct ddb_arena a;
    struct ddb_buf b;
    ddb_arena_init(&a);
    ddb_buf_init(&b, &a);
    ddb_buf_putc(&b, '{');
    for (int i = 0; i < 1000; i++)
        ddb_buf_printf(&b, "%s\"k%d\":%d", i ? "," : "", i, i);
    ddb_buf_putc(&b, '}');
    CHECK_EQ_INT(reject_offset_n(b.ptr, b.len, NULL), -1);
    b.len--;
    size_t dup1 = b.len + 1;
    ddb_buf_puts(&b, ",\"k500\":1");
    ddb_buf_puts(&b, ",\"k7\":1,\"k7\":1,\"k999\":0}");
    CHECK_EQ_INT(reject_offset_n(b.ptr, b.len, &reason), (long)dup1);
    CHECK_EQ_STR(reason, "duplicate key");
    /* a key repeated three times: the second occurrence is reported */
    ddb_buf_clear(&b);
    ddb_buf_putc(&b, '{');
    for (int i = 0; i < 40; i++)
        ddb_buf_printf(&b, "%s\"k%d\":%d", i ? "," : "", i % 20 == 0 ? 0 : i, i);
    ddb_buf_putc(&b, '}');
    CHECK_EQ_INT(reject_offset_n(b.ptr, b.len, NULL), (long)(strstr(b.ptr, ",\"k0\":20") - b.ptr + 1));
    ddb_arena_release(&a);
}

TEST(member_cap)
{
    struct ddb_arena a;
    struct ddb_buf b;
    ddb_arena_init(&a);
    ddb_buf_init(&b, &a);
    ddb_buf_putc(&b, '[');
    for (int i = 0; i < DDB_JSON_MAX_MEMBERS; i++)
        ddb_buf_puts(&b, i ? ",0" : "0");
    ddb_buf_putc(&b, ']');
    struct ddb_json_error err;
    struct ddb_arena pa;
    ddb_arena_init(&pa);
    struct ddb_json *v = parse_n(&pa, b.ptr, b.len, &err);
    CHECK(v && v->count == DDB_JSON_MAX_MEMBERS);
    ddb_arena_release(&pa);
    b.len--;
    ddb_buf_puts(&b, ",1]");
    const char *reason = NULL;
    CHECK_EQ_INT(reject_offset_n(b.ptr, b.len, &reason), (long)b.len - 2);
    CHECK_EQ_STR(reason, "too many members");

    ddb_buf_clear(&b);
    ddb_buf_putc(&b, '{');
    for (int i = 0; i <= DDB_JSON_MAX_MEMBERS; i++)
        ddb_buf_printf(&b, "%s\"%d\":0", i ? "," : "", i);
    ddb_buf_putc(&b, '}');
    CHECK_EQ_INT(reject_offset_n(b.ptr, b.len, &reason),
                 (long)(strstr(b.ptr, ",\"100000\"") - b.ptr + 1));
    CHECK_EQ_STR(reason, "too many members");
    ddb_arena_release(&a);
}

TEST(scratch_growth_with_nesting)
{
    /* many elements at several levels at once, so inner containers close
     * while outer ones still have entries on the scratch stack */
    struct ddb_arena a;
    struct ddb_buf b;
    ddb_arena_init(&a);
    ddb_buf_init(&b, &a);
    ddb_buf_putc(&b, '[');
    for (int i = 0; i < 50; i++) {
        ddb_buf_printf(&b, "%s{\"i\":%d,\"l\":[", i ? "," : "", i);
        for (int j = 0; j < 100; j++)
            ddb_buf_printf(&b, "%s[%d,\"s%d\"]", j ? "," : "", j, j);
        ddb_buf_puts(&b, "]}");
    }
    ddb_buf_putc(&b, ']');
    struct ddb_json_error err;
    struct ddb_json *v = parse_n(&a, b.ptr, b.len, &err);
    CHECK(v && v->count == 50);
    bool good = v != NULL;
    for (int i = 0; good && i < 50; i++) {
        const struct ddb_json *o = &v->u.items[i];
        const struct ddb_json *n = ddb_json_get(o, "i");
        const struct ddb_json *l = ddb_json_get(o, "l");
        char want[16];
        snprintf(want, sizeof want, "%d", i);
        good = n && ddb_slice_eq_cstr(n->u.str, want) && l && l->count == 100;
        for (int j = 0; good && j < 100; j++) {
            char s[16];
            snprintf(want, sizeof want, "%d", j);
            snprintf(s, sizeof s, "s%d", j);
            const struct ddb_json *p = &l->u.items[j];
            good = p->count == 2 && ddb_slice_eq_cstr(p->u.items[0].u.str, want) &&
                   ddb_slice_eq_cstr(p->u.items[1].u.str, s);
        }
    }
    CHECK(good);
    ddb_arena_release(&a);
}

TEST(memory_cap_admits_lean_valid_items)
{
    /* The leanest valid DynamoDB value per byte, a list of {"S":""} (9
     * bytes each), at an item's 400 KB and at 100,000 entries, parses within
     * the cap, and the cap is the bound the router reserves. */
    static const int counts[] = {1, 1000, 44000, 100000};
    for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++) {
        struct ddb_arena a;
        struct ddb_buf b;
        ddb_arena_init(&a);
        struct ddb_arena in;
        ddb_arena_init(&in);
        ddb_buf_init(&b, &in);
        ddb_buf_puts(&b, "{\"TableName\":\"t\",\"Item\":{\"x\":{\"L\":[");
        for (int i = 0; i < counts[k]; i++)
            ddb_buf_puts(&b, i ? ",{\"S\":\"\"}" : "{\"S\":\"\"}");
        ddb_buf_puts(&b, "]}}}");
        struct ddb_json_error err;
        struct ddb_json *v = parse_n(&a, b.ptr, b.len, &err);
        CHECK(v != NULL);
        CHECK(a.total <= ddb_json_memory_bound(b.len));
        /* the per-byte cost stays under the per-byte factor on its own */
        if (counts[k] >= 44000)
            CHECK(a.total < (size_t)DDB_JSON_MEMORY_PER_BYTE * b.len);
        ddb_arena_release(&a);
        ddb_arena_release(&in);
    }
    CHECK_EQ_INT(ddb_json_memory_bound(0), DDB_JSON_MEMORY_BASE);
    CHECK_EQ_INT(ddb_json_memory_bound(10), 10 * DDB_JSON_MEMORY_PER_BYTE + DDB_JSON_MEMORY_BASE);
    CHECK(ddb_json_memory_bound(SIZE_MAX / 2) == SIZE_MAX);
}

TEST(memory_cap_refuses_hostile_shapes)
{
    /* Zeros kept open at every depth: [0,0,...,[0,0,...,[...]]]: every value
     * waits on the stack at once (16 bytes a byte, up to 32 with its
     * doubling) and is then copied into the DOM (16 more), beyond the cap's
     * 20, so the parse must stop at the cap and say why, having taken no
     * more arena than the cap. */
    struct ddb_arena in;
    struct ddb_buf b;
    ddb_arena_init(&in);
    ddb_buf_init(&b, &in);
    for (int d = 0; d < 64; d++) {
        ddb_buf_putc(&b, '[');
        for (int i = 0; i < 60000; i++)
            ddb_buf_puts(&b, "0,");
    }
    ddb_buf_putc(&b, '0');
    for (int d = 0; d < 64; d++)
        ddb_buf_putc(&b, ']');
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_json_error err;
    CHECK(parse_n(&a, b.ptr, b.len, &err) == NULL);
    CHECK(err.reason != NULL && strcmp(err.reason, "too much memory for the input's size") == 0);
    CHECK(a.total <= ddb_json_memory_bound(b.len));
    ddb_arena_release(&a);
    ddb_arena_release(&in);
}

TEST(writer_escaping)
{
    struct ddb_arena a;
    struct ddb_buf b;
    struct ddb_json_writer w;
    ddb_arena_init(&a);
    ddb_buf_init(&b, &a);
    ddb_jw_init(&w, &b);
    char all[40];
    for (int i = 0; i < 32; i++)
        all[i] = (char)i;
    memcpy(all + 32, "\"\\/\x7f\xc3\xa9", 6);
    ddb_jw_string(&w, all, 38);
    CHECK_EQ_STR(b.ptr, "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n"
                        "\\u000b\\f\\r\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015"
                        "\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f"
                        "\\\"\\\\/\x7f\xc3\xa9\"");
    /* escapes at the start and end, and plain text between */
    ddb_buf_clear(&b);
    ddb_jw_init(&w, &b);
    ddb_jw_string_cstr(&w, "\"a b\"");
    CHECK_EQ_STR(b.ptr, "\"\\\"a b\\\"\"");
    ddb_buf_clear(&b);
    ddb_jw_init(&w, &b);
    ddb_jw_string_cstr(&w, "");
    CHECK_EQ_STR(b.ptr, "\"\"");
    ddb_arena_release(&a);
}

TEST(writer_structure_and_commas)
{
    struct ddb_arena a;
    struct ddb_buf b;
    struct ddb_json_writer w;
    ddb_arena_init(&a);
    ddb_buf_init(&b, &a);
    ddb_jw_init(&w, &b);
    ddb_jw_object_begin(&w);
    ddb_jw_key_cstr(&w, "a\"b");
    ddb_jw_int(&w, 0);
    ddb_jw_key_cstr(&w, "ints");
    ddb_jw_array_begin(&w);
    ddb_jw_int(&w, INT64_MIN);
    ddb_jw_int(&w, INT64_MAX);
    ddb_jw_int(&w, -7);
    ddb_jw_array_end(&w);
    ddb_jw_key(&w, "e", 1);
    ddb_jw_object_begin(&w);
    ddb_jw_object_end(&w);
    ddb_jw_key_cstr(&w, "l");
    ddb_jw_array_begin(&w);
    ddb_jw_array_begin(&w);
    ddb_jw_array_end(&w);
    ddb_jw_object_begin(&w);
    ddb_jw_key_cstr(&w, "x");
    ddb_jw_null(&w);
    ddb_jw_object_end(&w);
    ddb_jw_bool(&w, true);
    ddb_jw_bool(&w, false);
    ddb_jw_raw(&w, "1.5E+3", 6);
    ddb_jw_raw(&w, "{\"pre\":[1]}", 11);
    ddb_jw_string(&w, "s", 1);
    ddb_jw_array_end(&w);
    ddb_jw_key_cstr(&w, "z");
    ddb_jw_string_cstr(&w, "end");
    ddb_jw_object_end(&w);
    CHECK_EQ_INT(w.depth, 0);
    CHECK_EQ_STR(b.ptr, "{\"a\\\"b\":0,\"ints\":[-9223372036854775808,9223372036854775807,-7],"
                        "\"e\":{},\"l\":[[],{\"x\":null},true,false,1.5E+3,{\"pre\":[1]},\"s\"],"
                        "\"z\":\"end\"}");
    CHECK(accepts(b.ptr));
    ddb_arena_release(&a);
}

static const char *roundtrip_docs[] = {
    "{\"TableName\":\"Music\",\"Item\":{\"Artist\":{\"S\":\"No One You Know\"},"
    "\"SongTitle\":{\"S\":\"Call Me Today\"},\"Year\":{\"N\":\"2015\"},"
    "\"Tags\":{\"SS\":[\"a\",\"b\"]},\"Nested\":{\"M\":{\"l\":{\"L\":[{\"N\":\"-1.5e10\"},"
    "{\"B\":\"AAEC\"},{\"NULL\":true},{\"BOOL\":false}]}}}},\"ReturnValues\":\"ALL_OLD\"}",
    " [ 1 , -0.5e-3 , \"\\u0000\\u001f\\\"\\\\\\/\\b\\f\\n\\r\\t\" , { } , [ ] , null ] ",
    "\"\\ud83d\\ude00 caf\xc3\xa9 \xe2\x82\xac \\u00e9\"",
    "{\"\":{\"\":[[[[{}]]]]},\"k\\u0000\":\"v\\u0000\"}",
    "12345678901234567890123456789012345678901234567890",
    "true",
};

TEST(roundtrip_parse_write_parse)
{
    for (size_t i = 0; i < DDB_ARRAY_LEN(roundtrip_docs); i++) {
        struct ddb_arena a;
        struct ddb_json_error err;
        ddb_arena_init(&a);
        struct ddb_json *v1 = parse(&a, roundtrip_docs[i], &err);
        CHECK(v1 != NULL);
        if (v1) {
            ddb_slice out = write_dom(&a, v1);
            struct ddb_json *v2 = parse_n(&a, out.ptr, out.len, &err);
            CHECK(v2 != NULL && json_dom_equal(v1, v2));
            /* writing again gives the same bytes (the output is canonical) */
            if (v2) {
                ddb_slice out2 = write_dom(&a, v2);
                CHECK(ddb_slice_eq(out, out2));
            }
        }
        ddb_arena_release(&a);
    }
    /* the compact form of a whitespace-laden document */
    struct ddb_arena a;
    struct ddb_json_error err;
    ddb_arena_init(&a);
    struct ddb_json *v = parse(&a, " { \"a\" : [ 1 , { \"b\" : null } ] } ", &err);
    CHECK(v != NULL);
    if (v) {
        ddb_slice out = write_dom(&a, v);
        CHECK(ddb_slice_eq_cstr(out, "{\"a\":[1,{\"b\":null}]}"));
    }
    ddb_arena_release(&a);
}

TEST(dom_equal_detects_differences)
{
    /* the round-trip check above is only as good as json_dom_equal */
    static const char *pairs[][2] = {
        {"[1]", "[1.0]"}, {"{\"a\":1}", "{\"b\":1}"}, {"[1,2]", "[2,1]"},
        {"\"a\"", "\"b\""}, {"[true]", "[false]"}, {"{}", "[]"}, {"[[]]", "[[1]]"},
        {"{\"a\":1,\"b\":2}", "{\"b\":2,\"a\":1}"},
    };
    for (size_t i = 0; i < DDB_ARRAY_LEN(pairs); i++) {
        struct ddb_arena a;
        struct ddb_json_error err;
        ddb_arena_init(&a);
        struct ddb_json *x = parse(&a, pairs[i][0], &err), *y = parse(&a, pairs[i][1], &err);
        CHECK(x && y && !json_dom_equal(x, y) && json_dom_equal(x, x));
        ddb_arena_release(&a);
    }
}
