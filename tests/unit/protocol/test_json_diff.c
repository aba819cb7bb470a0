/*
 * test_json_diff.c: differential test of ddbd's JSON reader (protocol/json.c)
 * against jansson (a test-only oracle, DESIGN.md "JSON").
 *
 * Seeds are the real request bodies of the fuzz corpora json_parse/ and
 * input_requests/ (read at run time from DDB_JSON_DIFF_CORPUS, set by meson),
 * each checked as it is and then mutated: a fixed-seed generator applies one
 * to four mutations per mutant (bit flips, random bytes, deletions,
 * truncation, splices, inserted JSON punctuation and whitespace, escapes,
 * \u escapes with paired and lone surrogates, valid and invalid UTF-8,
 * literals, numbers at the edges of int64 and double and long digit runs,
 * deep nesting around the 256 cap, duplicate keys, plain and escaped,
 * characters rewritten as \u escapes, slices of other seeds).
 * DDB_JSON_DIFF_MUTANTS overrides the mutant count (default 20,000) and
 * DDB_JSON_DIFF_SEED the generator's seed.
 *
 * jansson runs with JSON_DECODE_ANY (ddbd reads any value at the top),
 * JSON_REJECT_DUPLICATES (ddbd rejects duplicate keys, compared after
 * unescaping) and JSON_ALLOW_NUL (ddbd's strings may hold NUL). Both
 * validate UTF-8 the same way (no overlongs, no encoded surrogates, nothing
 * above U+10FFFF, no lone surrogate escapes) and allow the same whitespace.
 * For every mutant the two must give the same verdict, and when both
 * accept, the same value: same types; strings and keys byte for byte;
 * arrays item by item; objects member by member in input order (jansson
 * keeps insertion order). Numbers are compared by value, since ddbd keeps a
 * number's text and jansson converts it: an integer's text must give
 * jansson's json_int_t (strtoll), any other number's text jansson's double
 * (strtod, bit for bit).
 *
 * The verdicts legitimately differ in three cases, each ddbd's documented
 * choice (protocol/json.h), each recognised by a specific test below and
 * counted, never skipped wholesale:
 *   BIG_NUMBER  ddbd accepts numbers of any size (it keeps the text; DynamoDB
 *               numbers are decimals); jansson refuses an integer beyond
 *               int64 or a real beyond double (json_error_numeric_overflow).
 *   NUL_KEY     ddbd's keys may hold NUL (\u0000) like its strings; jansson
 *               refuses them in keys (json_error_null_byte_in_key).
 *   DEPTH       ddbd caps nesting at DDB_JSON_MAX_DEPTH (256); jansson at
 *               JSON_PARSER_MAX_DEPTH (2048).
 * For BIG_NUMBER and NUL_KEY the rest of the document is still compared:
 * the offending numbers are overwritten with "0" and blanks and each
 * "\u0000" with "\u0001", and the two readers must then agree as above.
 * One more difference is jansson's defect, not a choice of either reader:
 *   JANSSON_NUL jansson 2.14 skips a raw NUL byte that directly follows a
 *               number or a literal ("[1\0]" and "[false\0]" load as [1]
 *               and [false]: its lexer pushes the NUL back, and its stream
 *               takes a NUL in its buffer for "read the next byte"); ddbd
 *               refuses the NUL. Recognised when ddbd's error is at that
 *               NUL, and compared again with the NUL deleted.
 *
 * Runs on 2026-12-04 (`DDB_JSON_DIFF_MUTANTS=1000000 build/tests/unit/protocol_test_json_diff`):
 * 1,000,000 mutants, 265,669 both accept, 699,921 both reject, BIG_NUMBER
 * 219, NUL_KEY 1,011, DEPTH 33,175, JANSSON_NUL 5, no mismatch; seeds 1, 2
 * and 3 at 1M and seed 7 at 3M: no mismatch either.
 */
#include "harness.h"
#include "protocol/json.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>

#ifndef DDB_JSON_DIFF_CORPUS
#error "meson sets DDB_JSON_DIFF_CORPUS to tests/fuzz/corpus"
#endif

#define JANSSON_FLAGS (JSON_DECODE_ANY | JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL)
#define DEFAULT_MUTANTS 20000
#define MUTANT_ROOM 8192 /* bytes a mutant may grow beyond its seed */
#define REPORT_MAX 8     /* differences printed in full */
#define SEED_MAX (1 << 20) /* bytes read of a seed file */

/* ---- the comparison ---- */

enum outcome {
    BOTH_ACCEPT,
    BOTH_REJECT,
    BIG_NUMBER,
    NUL_KEY,
    DEPTH,
    JANSSON_NUL,
    MISMATCH, /* a difference no documented choice explains */
    OUTCOMES,
};

static const char *const outcome_name[OUTCOMES] = {
    "both accept", "both reject", "big number", "NUL in key", "depth", "jansson skips NUL",
    "MISMATCH",
};

static bool is_integer_text(ddb_slice t)
{
    return memchr(t.ptr, '.', t.len) == NULL && memchr(t.ptr, 'e', t.len) == NULL &&
           memchr(t.ptr, 'E', t.len) == NULL;
}

/* strtoll or strtod of a number's text (not NUL-terminated in the DOM).
 * Returns false when jansson would refuse the number as out of range. */
static bool number_value(ddb_slice t, long long *ival, double *dval)
{
    char local[128];
    char *s = t.len < sizeof local ? local : malloc(t.len + 1);
    if (s == NULL)
        abort();
    memcpy(s, t.ptr, t.len);
    s[t.len] = '\0';
    bool ok;
    errno = 0;
    if (is_integer_text(t)) {
        *ival = strtoll(s, NULL, 10);
        ok = errno != ERANGE;
    } else {
        *dval = strtod(s, NULL);
        ok = !((*dval == HUGE_VAL || *dval == -HUGE_VAL) && errno == ERANGE);
    }
    if (s != local)
        free(s);
    return ok;
}

/* Same value in both trees; on a difference, *why says what. */
static bool same_value(const struct ddb_json *d, json_t *j, const char **why)
{
    switch (d->type) {
    case DDB_JSON_NULL:
        *why = "null";
        return json_is_null(j);
    case DDB_JSON_TRUE:
        *why = "true";
        return json_is_true(j);
    case DDB_JSON_FALSE:
        *why = "false";
        return json_is_false(j);
    case DDB_JSON_NUMBER: {
        long long iv = 0;
        double dv = 0;
        *why = "number";
        if (!number_value(d->u.str, &iv, &dv))
            return false;
        if (is_integer_text(d->u.str))
            return json_is_integer(j) && json_integer_value(j) == iv;
        double jv = json_is_real(j) ? json_real_value(j) : NAN;
        return json_is_real(j) && memcmp(&jv, &dv, sizeof dv) == 0;
    }
    case DDB_JSON_STRING:
        *why = "string";
        return json_is_string(j) && json_string_length(j) == d->u.str.len &&
               memcmp(json_string_value(j), d->u.str.ptr, d->u.str.len) == 0;
    case DDB_JSON_ARRAY:
        *why = "array size";
        if (!json_is_array(j) || json_array_size(j) != d->count)
            return false;
        for (uint32_t i = 0; i < d->count; i++)
            if (!same_value(&d->u.items[i], json_array_get(j, i), why))
                return false;
        return true;
    case DDB_JSON_OBJECT: {
        *why = "object size";
        if (!json_is_object(j) || json_object_size(j) != d->count)
            return false;
        void *it = json_object_iter(j);
        for (uint32_t i = 0; i < d->count; i++, it = json_object_iter_next(j, it)) {
            const struct ddb_json_member *m = &d->u.members[i];
            *why = "object key or order";
            if (it == NULL || json_object_iter_key_len(it) != m->key.len ||
                memcmp(json_object_iter_key(it), m->key.ptr, m->key.len) != 0)
                return false;
            if (!same_value(&m->value, json_object_iter_value(it), why))
                return false;
        }
        return true;
    }
    }
    *why = "type";
    return false;
}

static int jansson_depth(json_t *j)
{
    int deepest = 0;
    if (json_is_array(j)) {
        for (size_t i = 0; i < json_array_size(j); i++) {
            int k = jansson_depth(json_array_get(j, i));
            deepest = k > deepest ? k : deepest;
        }
        return deepest + 1;
    }
    if (json_is_object(j)) {
        for (void *it = json_object_iter(j); it; it = json_object_iter_next(j, it)) {
            int k = jansson_depth(json_object_iter_value(it));
            deepest = k > deepest ? k : deepest;
        }
        return deepest + 1;
    }
    return 0;
}

/* What ddbd accepted and jansson may refuse: numbers out of jansson's range
 * (overwritten in nbuf when it is not NULL) and keys holding NUL. */
static void scan_choices(const struct ddb_json *d, char *nbuf, int *big, int *nul_key)
{
    long long iv;
    double dv;
    switch (d->type) {
    case DDB_JSON_NUMBER:
        if (!number_value(d->u.str, &iv, &dv)) {
            (*big)++;
            if (nbuf != NULL) {
                memset(nbuf + d->offset, ' ', d->u.str.len);
                nbuf[d->offset] = '0';
            }
        }
        break;
    case DDB_JSON_ARRAY:
        for (uint32_t i = 0; i < d->count; i++)
            scan_choices(&d->u.items[i], nbuf, big, nul_key);
        break;
    case DDB_JSON_OBJECT:
        for (uint32_t i = 0; i < d->count; i++) {
            if (memchr(d->u.members[i].key.ptr, '\0', d->u.members[i].key.len) != NULL)
                (*nul_key)++;
            scan_choices(&d->u.members[i].value, nbuf, big, nul_key);
        }
        break;
    default:
        break;
    }
}

struct verdicts {
    struct ddb_arena arena;
    struct ddb_json *dom;        /* ddbd's value, NULL if refused */
    struct ddb_json_error derr;  /* ddbd's error */
    json_t *jv;                  /* jansson's value, NULL if refused */
    json_error_t jerr;           /* jansson's error */
};

static void read_both(struct verdicts *v, const char *buf, size_t len)
{
    ddb_arena_init(&v->arena);
    v->dom = NULL;
    v->derr.reason = NULL;
    if (ddb_json_parse(&v->arena, buf, len, &v->dom, &v->derr) != 0)
        v->dom = NULL;
    v->jv = json_loadb(buf, len, JANSSON_FLAGS, &v->jerr);
}

static void drop_both(struct verdicts *v)
{
    json_decref(v->jv);
    ddb_arena_release(&v->arena);
}

/* Both accept with equal values, or both refuse. */
static bool agree(const struct verdicts *v, const char **why)
{
    if ((v->dom == NULL) != (v->jv == NULL)) {
        *why = v->dom ? "ddbd accepts, jansson refuses" : "ddbd refuses, jansson accepts";
        return false;
    }
    return v->dom == NULL || same_value(v->dom, v->jv, why);
}

/* Where ddbd accepts and jansson refuses for one of ddbd's documented
 * choices, neutralises those parts and compares the rest. */
static enum outcome accepted_by_ddbd_only(const struct verdicts *v, const char *buf, size_t len,
                                          const char **why)
{
    int big = 0, nul_key = 0;
    enum json_error_code code = json_error_code(&v->jerr);
    scan_choices(v->dom, NULL, &big, &nul_key);
    if (!(big > 0 && code == json_error_numeric_overflow) &&
        !(nul_key > 0 && code == json_error_null_byte_in_key)) {
        static char text[sizeof v->jerr.text + 64];
        snprintf(text, sizeof text, "ddbd accepts, jansson refuses: %s", v->jerr.text);
        *why = text;
        return MISMATCH;
    }
    char *nbuf = malloc(len ? len : 1);
    if (nbuf == NULL)
        abort();
    memcpy(nbuf, buf, len);
    big = nul_key = 0;
    scan_choices(v->dom, nbuf, &big, &nul_key);
    if (nul_key > 0)
        for (size_t i = 0; i + 6 <= len; i++)
            if (memcmp(nbuf + i, "\\u0000", 6) == 0)
                nbuf[i + 5] = '1';
    struct verdicts n;
    read_both(&n, nbuf, len);
    bool ok = agree(&n, why);
    /* "\u0001" may make two keys equal: then both must call it a duplicate */
    if (ok && n.dom == NULL)
        ok = nul_key > 0 && strcmp(n.derr.reason, "duplicate key") == 0 &&
             json_error_code(&n.jerr) == json_error_duplicate_key;
    if (!ok && n.dom != NULL && n.jv != NULL)
        *why = "values differ once neutralised";
    else if (!ok)
        *why = "verdicts differ once neutralised";
    drop_both(&n);
    free(nbuf);
    if (!ok)
        return MISMATCH;
    return big > 0 ? BIG_NUMBER : NUL_KEY;
}

static enum outcome compare(const char *buf, size_t len, const char **why);

/* ddbd refuses a raw NUL after a number or a literal that jansson skips:
 * the two must agree once it is deleted. */
static enum outcome accepted_by_jansson_only(const struct verdicts *v, const char *buf,
                                             size_t len, const char **why)
{
    size_t at = v->derr.offset;
    if (at == 0 || at >= len || buf[at] != '\0' ||
        strchr("0123456789aelsu", buf[at - 1]) == NULL || buf[at - 1] == '\0') {
        *why = v->derr.reason;
        return MISMATCH;
    }
    char *nbuf = malloc(len);
    if (nbuf == NULL)
        abort();
    memcpy(nbuf, buf, at);
    memcpy(nbuf + at, buf + at + 1, len - at - 1);
    enum outcome r = compare(nbuf, len - 1, why);
    free(nbuf);
    if (r == BOTH_REJECT)
        *why = "both refuse once the NUL is deleted";
    return r == MISMATCH || r == BOTH_REJECT ? MISMATCH : JANSSON_NUL;
}

static enum outcome compare(const char *buf, size_t len, const char **why)
{
    struct verdicts v;
    enum outcome r;
    read_both(&v, buf, len);
    *why = "";
    if (v.dom != NULL && v.jv != NULL)
        r = same_value(v.dom, v.jv, why) ? BOTH_ACCEPT : MISMATCH;
    else if (v.dom == NULL && v.jv == NULL)
        r = BOTH_REJECT;
    else if (v.dom != NULL)
        r = accepted_by_ddbd_only(&v, buf, len, why);
    else if (strcmp(v.derr.reason, "nesting too deep") == 0 &&
             jansson_depth(v.jv) > DDB_JSON_MAX_DEPTH)
        r = DEPTH;
    else
        r = accepted_by_jansson_only(&v, buf, len, why);
    drop_both(&v);
    return r;
}

/* ---- seeds and mutations ---- */

struct seed {
    char *p;
    size_t len;
};

static struct seed *seeds;
static size_t nseeds;

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends the files of one corpus folder, in name order (deterministic). */
static void load_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        printf("#   cannot open %s\n", dir);
        return;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        names = realloc(names, (n + 1) * sizeof *names);
        if (names == NULL || (names[n++] = strdup(e->d_name)) == NULL)
            abort();
    }
    closedir(d);
    if (n > 1)
        qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        free(names[i]);
        FILE *f = fopen(path, "rb");
        if (f == NULL)
            continue;
        char *p = malloc(SEED_MAX);
        size_t len = p ? fread(p, 1, SEED_MAX, f) : 0;
        fclose(f);
        p = p ? realloc(p, len ? len : 1) : NULL;
        seeds = realloc(seeds, (nseeds + 1) * sizeof *seeds);
        if (p == NULL || seeds == NULL)
            abort();
        seeds[nseeds++] = (struct seed){p, len};
    }
    free(names);
}

static void load_seeds(void)
{
    if (nseeds > 0)
        return;
    load_dir(DDB_JSON_DIFF_CORPUS "/json_parse");
    load_dir(DDB_JSON_DIFF_CORPUS "/input_requests");
}

static uint64_t rng_state;

static uint64_t rnd(void) /* splitmix64 */
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static size_t below(size_t n)
{
    return n ? (size_t)(rnd() % n) : 0;
}

struct mutant {
    char *p;
    size_t len, cap;
};

static void insert(struct mutant *m, size_t at, const char *s, size_t n)
{
    if (at > m->len || m->len + n > m->cap)
        return;
    memmove(m->p + at + n, m->p + at, m->len - at);
    memcpy(m->p + at, s, n);
    m->len += n;
}

static void erase(struct mutant *m, size_t at, size_t n)
{
    if (at >= m->len)
        return;
    if (n > m->len - at)
        n = m->len - at;
    memmove(m->p + at, m->p + at + n, m->len - at - n);
    m->len -= n;
}

#define S(x) {x, sizeof(x) - 1}
static const struct {
    const char *s;
    size_t n;
} tokens[] = {
    /* punctuation and whitespace, valid and not */
    S("{"), S("}"), S("["), S("]"), S(","), S(":"), S("\""), S(" "), S("\t"), S("\n"),
    S("\r"), S("\f"), S("\v"), S("\\"), S("\0"), S("/"), S("/*"), S("{}"), S("[]"),
    S("\"\":"), S(",\"k\":1"), S("\"a\":"), S(",,"),
    /* escapes */
    S("\\\""), S("\\\\"), S("\\/"), S("\\b"), S("\\f"), S("\\n"), S("\\r"), S("\\t"),
    S("\\a"), S("\\x41"), S("\\'"), S("\\0"), S("\\u0000"), S("\\u001f"), S("\\u0041"),
    S("\\u00e9"), S("\\u00E9"), S("\\u20ac"), S("\\uFFFF"), S("\\uFEFF"), S("\\u0800"),
    S("\\ud83d\\ude00"), S("\\uD83D\\uDE00"), S("\\ud83d"), S("\\ude00"), S("\\uDBFF\\uDFFF"),
    S("\\ud800\\udc00"), S("\\ud800\\u0041"), S("\\ud800\\ud800"), S("\\udc00\\ud800"),
    S("\\ud800\\"), S("\\ud800\\u"), S("\\u12"), S("\\u12g4"), S("\\U0041"), S("\\u"),
    /* UTF-8, valid and not */
    S("\xc3\xa9"), S("\xe2\x82\xac"), S("\xf0\x9f\x98\x80"), S("\xf4\x8f\xbf\xbf"),
    S("\xef\xbf\xbf"), S("\xc0\x80"), S("\xc1\xbf"), S("\xe0\x80\xaf"), S("\xe0\x9f\xbf"),
    S("\xed\xa0\x80"), S("\xed\xbf\xbf"), S("\xed\x9f\xbf"), S("\xf0\x8f\xbf\xbf"),
    S("\xf4\x90\x80\x80"), S("\xf5\x80\x80\x80"), S("\x80"), S("\xbf"), S("\xff"), S("\xfe"),
    S("\xc3"), S("\xe2\x82"), S("\xf0\x9f\x98"), S("\xef\xbb\xbf"), S("\x7f"),
    /* literals */
    S("true"), S("false"), S("null"), S("tru"), S("nul"), S("True"), S("NaN"),
    S("Infinity"), S("-Infinity"),
    /* numbers */
    S("0"), S("-0"), S("-"), S("1"), S("-1"), S("01"), S("-01"), S("00"), S("1."), S(".5"),
    S("1.5"), S("-0.0"), S("1e"), S("1e+"), S("1E-"), S("1e5"), S("1E+5"), S("2.5e-3"),
    S("0e0"), S("1e400"), S("-1e400"), S("1e-400"), S("1e308"), S("1.7976931348623157e308"),
    S("1.7976931348623159e308"), S("4.9e-324"), S("2.4e-324"), S("9223372036854775807"),
    S("9223372036854775808"), S("-9223372036854775808"), S("-9223372036854775809"),
    S("18446744073709551616"), S("123456789012345678901234567890"), S("0x10"), S("+1"),
    S("1_000"), S("0.000000000000000000000000001"), S("1e0000000000000000000000000000001"),
};

/* Edge numbers that replace a number of the seed. */
static const char *const numbers[] = {
    "0", "-0", "1", "-1", "0.0", "-0.0", "1e5", "1E-5", "2.5e+3", "9223372036854775807",
    "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
    "99999999999999999999999999999999999999", "1e308", "1.7976931348623157e308",
    "1.7976931348623159e308", "1e309", "-1e309", "1e-324", "4.9e-324", "1e-400",
    "0.1e1", "123.456e-78", "01", "1.", "-", "1e", ".1", "1ee1",
};

/* The next position at or after at whose previous byte is one of set (so an
 * insertion lands inside a string or after a separator), or at. */
static size_t after_one_of(const struct mutant *m, size_t at, const char *set)
{
    for (size_t i = at; i < m->len; i++)
        if (strchr(set, m->p[i]) != NULL && m->p[i] != '\0')
            return i + 1;
    return at;
}

static void mutate_number(struct mutant *m)
{
    size_t i = below(m->len);
    while (i < m->len && !(m->p[i] >= '0' && m->p[i] <= '9'))
        i++;
    if (i >= m->len)
        return;
    size_t s = i > 0 && m->p[i - 1] == '-' ? i - 1 : i, e = i;
    while (e < m->len && strchr("0123456789.eE+-", m->p[e]) != NULL && m->p[e] != '\0')
        e++;
    erase(m, s, e - s);
    if (below(3) == 0) {
        /* a digit run, optionally with a fraction and an exponent */
        char run[700];
        size_t n = 0, digits = 1 + below(below(2) ? 20 : 400);
        if (below(2))
            run[n++] = '-';
        for (size_t k = 0; k < digits; k++)
            run[n++] = (char)('0' + below(10));
        if (below(2)) {
            run[n++] = '.';
            for (size_t k = 0, f = 1 + below(30); k < f; k++)
                run[n++] = (char)('0' + below(10));
        }
        if (below(2))
            n += (size_t)snprintf(run + n, sizeof run - n, "e%s%zu", below(2) ? "-" : "",
                                  below(below(2) ? 400 : 20));
        insert(m, s, run, n);
    } else {
        const char *x = numbers[below(sizeof numbers / sizeof *numbers)];
        insert(m, s, x, strlen(x));
    }
}

/* Wraps the document (or the value after a ':' or '[') in k arrays or
 * objects, k near the depth cap or small. */
static void mutate_nest(struct mutant *m)
{
    static const size_t depths[] = {1, 2, 5, 254, 255, 256, 257, 300};
    size_t k = depths[below(sizeof depths / sizeof *depths)];
    bool object = below(2);
    const char *open = object ? "{\"a\":" : "[", *close = object ? "}" : "]";
    size_t open_n = strlen(open);
    for (size_t i = 0; i < k; i++) {
        insert(m, 0, open, open_n);
        insert(m, m->len, close, 1);
    }
}

/* Copies an object's first key in front of its members, as it is or with
 * its first byte escaped, so the object holds the key twice. */
static void mutate_dup_key(struct mutant *m)
{
    size_t i = below(m->len);
    while (i + 1 < m->len && !(m->p[i] == '{' && m->p[i + 1] == '"'))
        i++;
    if (i + 1 >= m->len)
        return;
    size_t k = i + 2;
    while (k < m->len && m->p[k] != '"')
        k += m->p[k] == '\\' ? 2 : 1;
    if (k >= m->len || k - (i + 1) > 200)
        return;
    char key[256];
    size_t n = 0;
    key[n++] = '"';
    if (k > i + 2 && m->p[i + 2] != '\\' && (unsigned char)m->p[i + 2] < 0x80 && below(2)) {
        n += (size_t)snprintf(key + n, sizeof key - n, "\\u%04x", (unsigned char)m->p[i + 2]);
        memcpy(key + n, m->p + i + 3, k - (i + 3));
        n += k - (i + 3);
    } else {
        memcpy(key + n, m->p + i + 2, k - (i + 2));
        n += k - (i + 2);
    }
    memcpy(key + n, "\":0,", 4);
    n += 4;
    insert(m, i + 1, key, n);
}

/* Writes a character (ASCII or a UTF-8 sequence) of a string as \u
 * escapes, a surrogate pair above U+FFFF, in either case of hex. */
static void mutate_escape(struct mutant *m)
{
    /* the k-th byte of string content (quotes and escapes excluded) */
    size_t inside = 0, k, i = 0;
    for (int pass = 0; pass < 2; pass++) {
        bool in_str = false;
        k = pass ? below(inside) : 0;
        for (i = 0; i < m->len; i++) {
            if (m->p[i] == '"') {
                in_str = !in_str;
            } else if (in_str && m->p[i] == '\\') {
                i++;
            } else if (in_str && pass == 0) {
                inside++;
            } else if (in_str && k-- == 0) {
                break;
            }
        }
        if (inside == 0)
            return;
    }
    while (i > 0 && ((unsigned char)m->p[i] & 0xc0) == 0x80)
        i--;
    if (i >= m->len || m->p[i] == '"' || m->p[i] == '\\' || (i > 0 && m->p[i - 1] == '\\'))
        return;
    const unsigned char *u = (const unsigned char *)m->p + i;
    size_t n = m->len - i;
    unsigned cp, len;
    if (u[0] < 0x80)
        cp = u[0], len = 1;
    else if (u[0] >= 0xc2 && u[0] < 0xe0 && n >= 2)
        cp = (u[0] & 0x1fu) << 6 | (u[1] & 0x3fu), len = 2;
    else if (u[0] >= 0xe0 && u[0] < 0xf0 && n >= 3)
        cp = (u[0] & 0x0fu) << 12 | (u[1] & 0x3fu) << 6 | (u[2] & 0x3fu), len = 3;
    else if (u[0] >= 0xf0 && u[0] < 0xf5 && n >= 4)
        cp = (u[0] & 0x07u) << 18 | (u[1] & 0x3fu) << 12 | (u[2] & 0x3fu) << 6 | (u[3] & 0x3fu),
        len = 4;
    else
        return;
    bool upper = below(2);
    char esc[16];
    int w;
    if (cp < 0x10000)
        w = snprintf(esc, sizeof esc, upper ? "\\u%04X" : "\\u%04x", cp);
    else
        w = snprintf(esc, sizeof esc, upper ? "\\u%04X\\u%04X" : "\\u%04x\\u%04x",
                     0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + (cp & 0x3ff));
    erase(m, i, len);
    insert(m, i, esc, (size_t)w);
}

/* A slice of another seed, inserted anywhere. */
static void mutate_crossover(struct mutant *m)
{
    const struct seed *s = &seeds[below(nseeds)];
    size_t from = below(s->len), n = 1 + below(128);
    if (from + n > s->len)
        n = s->len - from;
    insert(m, below(m->len + 1), s->p + from, n);
}

static void mutate(struct mutant *m)
{
    for (size_t rounds = 1 + below(below(2) ? 1 : 4), r = 0; r < rounds; r++) {
        size_t at = below(m->len + 1);
        switch (below(14)) {
        case 0:
            if (m->len)
                m->p[below(m->len)] ^= (char)(1u << below(8));
            break;
        case 1:
            if (m->len)
                m->p[below(m->len)] = (char)below(256);
            break;
        case 2:
            erase(m, at, 1 + below(8));
            break;
        case 3:
            if (below(4) == 0)
                m->len = at;
            else
                erase(m, at, 1);
            break;
        case 4: { /* splice: a copy of a slice elsewhere */
            size_t from = below(m->len), n = 1 + below(64);
            if (from + n > m->len)
                n = m->len - from;
            char tmp[64];
            memcpy(tmp, m->p + from, n);
            insert(m, below(m->len + 1), tmp, n);
            break;
        }
        case 5:
        case 6: {
            size_t t = below(sizeof tokens / sizeof *tokens);
            insert(m, at, tokens[t].s, tokens[t].n);
            break;
        }
        case 7:
        case 8: { /* a token inside a string or after a separator */
            size_t t = below(sizeof tokens / sizeof *tokens);
            insert(m, after_one_of(m, at, "\":,[{"), tokens[t].s, tokens[t].n);
            break;
        }
        case 9:
            mutate_number(m);
            break;
        case 10:
            mutate_nest(m);
            break;
        case 11:
            mutate_dup_key(m);
            break;
        case 12:
            mutate_escape(m);
            break;
        default:
            mutate_crossover(m);
            break;
        }
    }
}

/* ---- reporting and the tests ---- */

static void print_input(const char *p, size_t len)
{
    printf("#     \"");
    for (size_t i = 0; i < len && i < 400; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c >= 0x20 && c < 0x7f)
            putchar(c);
        else
            printf("\\x%02x\"\"", c);
    }
    printf("\"%s (%zu bytes)\n", len > 400 ? "..." : "", len);
}

/* Runs one input; counts its outcome; prints the first differences. */
static void run_one(const char *p, size_t len, unsigned long long counts[OUTCOMES])
{
    const char *why;
    enum outcome o = compare(p, len, &why);
    counts[o]++;
    if (o == MISMATCH && counts[o] <= REPORT_MAX) {
        printf("#   readers differ: %s\n", why);
        print_input(p, len);
    }
}

static unsigned long long env_count(const char *name, unsigned long long dflt)
{
    const char *s = getenv(name);
    return s && *s ? strtoull(s, NULL, 0) : dflt;
}

static void print_counts(const char *what, const unsigned long long counts[OUTCOMES])
{
    printf("# %s:", what);
    for (int i = 0; i < OUTCOMES; i++)
        printf(" %s %llu%s", outcome_name[i], counts[i], i + 1 < OUTCOMES ? "," : "\n");
}

/* Each documented difference is recognised as such, with the rest of the
 * document still compared. */
TEST(documented_differences)
{
    const char *why;
    CHECK_EQ_INT(compare("{\"a\":[1e400,2]}", 15, &why), BIG_NUMBER);
    CHECK_EQ_INT(compare("[9223372036854775808]", 21, &why), BIG_NUMBER);
    CHECK_EQ_INT(compare("-9223372036854775809", 20, &why), BIG_NUMBER);
    CHECK_EQ_INT(compare("9223372036854775807", 19, &why), BOTH_ACCEPT);
    CHECK_EQ_INT(compare("1e-400", 6, &why), BOTH_ACCEPT); /* underflow is no error */
    CHECK_EQ_INT(compare("{\"a\\u0000\":1}", 13, &why), NUL_KEY);
    CHECK_EQ_INT(compare("{\"a\":\"\\u0000\"}", 14, &why), BOTH_ACCEPT);
    /* neutralised, the two keys become equal: both call it a duplicate */
    CHECK_EQ_INT(compare("{\"\\u0000\":1,\"\\u0001\":2}", 23, &why), NUL_KEY);
    char deep[2 * 300 + 1];
    memset(deep, '[', 300);
    memset(deep + 300, ']', 300);
    CHECK_EQ_INT(compare(deep, 600, &why), DEPTH);
    CHECK_EQ_INT(compare(deep + 300 - 256, 2 * 256, &why), BOTH_ACCEPT);
    CHECK_EQ_INT(compare(deep + 300 - 257, 2 * 257, &why), DEPTH);
    CHECK_EQ_INT(compare("[false\0,1]", 10, &why), JANSSON_NUL);
    CHECK_EQ_INT(compare("[-1.5e3\0]", 9, &why), JANSSON_NUL);
    CHECK_EQ_INT(compare("[\"a\"\0]", 6, &why), BOTH_REJECT);
    CHECK_EQ_INT(compare("[1\0\0]", 5, &why), BOTH_REJECT);
}

/* The classification is no blanket excuse: a difference elsewhere in a
 * document with a big number, a NUL key or deep nesting still counts. */
TEST(differences_not_excused)
{
    const char *why;
    /* jansson refuses the big number; ddbd refuses the duplicate */
    CHECK_EQ_INT(compare("{\"a\":1e400,\"a\":1}", 17, &why), BOTH_REJECT);
    /* too deep for ddbd, but invalid for both anyway */
    char deep[2 * 300 + 2];
    memset(deep, '[', 300);
    memset(deep + 300, ']', 300);
    deep[600] = ',';
    CHECK_EQ_INT(compare(deep, 601, &why), BOTH_REJECT);
    /* jansson skips the NUL; excused only where ddbd's error is that NUL */
    struct verdicts v;
    read_both(&v, "[1\0]", 4);
    CHECK(v.dom == NULL && v.jv != NULL);
    CHECK_EQ_INT(accepted_by_jansson_only(&v, "[1\0]", 4, &why), JANSSON_NUL);
    v.derr.offset = 1;
    CHECK_EQ_INT(accepted_by_jansson_only(&v, "[1\0]", 4, &why), MISMATCH);
    drop_both(&v);
    /* the tree walk catches a different value */
    read_both(&v, "{\"a\":[1,\"x\"]}", 13);
    json_t *other = json_loads("{\"a\":[1,\"y\"]}", JANSSON_FLAGS, NULL);
    json_t *order = json_loads("{\"b\":1,\"a\":[1,\"x\"]}", JANSSON_FLAGS, NULL);
    json_t *shorter = json_loads("{\"a\":[1]}", JANSSON_FLAGS, NULL);
    json_t *real = json_loads("{\"a\":[1.0,\"x\"]}", JANSSON_FLAGS, NULL);
    CHECK(v.dom != NULL && v.jv != NULL && same_value(v.dom, v.jv, &why));
    CHECK(v.dom != NULL && !same_value(v.dom, other, &why));
    CHECK(v.dom != NULL && !same_value(v.dom, order, &why));
    CHECK(v.dom != NULL && !same_value(v.dom, shorter, &why));
    CHECK(v.dom != NULL && !same_value(v.dom, real, &why));
    json_decref(other);
    json_decref(order);
    json_decref(shorter);
    json_decref(real);
    drop_both(&v);
    /* keys in another order are not equal */
    read_both(&v, "{\"a\":1,\"b\":2}", 13);
    json_t *swapped = json_loads("{\"b\":2,\"a\":1}", JANSSON_FLAGS, NULL);
    CHECK(v.dom != NULL && !same_value(v.dom, swapped, &why));
    json_decref(swapped);
    drop_both(&v);
}

TEST(seeds_agree)
{
    unsigned long long counts[OUTCOMES] = {0};
    load_seeds();
    CHECK(nseeds >= 200);
    for (size_t i = 0; i < nseeds; i++)
        run_one(seeds[i].p, seeds[i].len, counts);
    print_counts("seeds", counts);
    CHECK_EQ_INT(counts[MISMATCH], 0);
    CHECK(counts[BOTH_ACCEPT] >= 100);
}

TEST(mutants_agree)
{
    unsigned long long counts[OUTCOMES] = {0};
    unsigned long long total = env_count("DDB_JSON_DIFF_MUTANTS", DEFAULT_MUTANTS);
    rng_state = env_count("DDB_JSON_DIFF_SEED", 0x6464626a736f6e31ull);
    load_seeds();
    if (nseeds == 0) {
        CHECK(nseeds > 0);
        return;
    }
    size_t biggest = 0;
    for (size_t i = 0; i < nseeds; i++)
        biggest = seeds[i].len > biggest ? seeds[i].len : biggest;
    struct mutant m = {malloc(biggest + MUTANT_ROOM), 0, biggest + MUTANT_ROOM};
    for (unsigned long long n = 0; n < total; n++) {
        const struct seed *s = &seeds[below(nseeds)];
        memcpy(m.p, s->p, s->len);
        m.len = s->len;
        mutate(&m);
        run_one(m.p, m.len, counts);
    }
    free(m.p);
    print_counts("mutants", counts);
    CHECK_EQ_INT(counts[MISMATCH], 0);
    /* the mutants must exercise both verdicts and every documented
     * difference, or the test proves little */
    if (total >= DEFAULT_MUTANTS) {
        CHECK(counts[BOTH_ACCEPT] >= total / 20);
        CHECK(counts[BOTH_REJECT] >= total / 20);
        CHECK(counts[BIG_NUMBER] > 0);
        CHECK(counts[NUL_KEY] > 0);
        CHECK(counts[DEPTH] > 0);
    }
}
