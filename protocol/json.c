#include "json.h"

#include <stdlib.h>

/*
 * Reader design (why, not what):
 * - One pass, no recursion: open containers live in frames[], capped at
 *   DDB_JSON_MAX_DEPTH, so hostile nesting costs a bounded stack.
 * - A container's element count is only known at its end, so its elements
 *   are collected on two shared stacks (values; keys for objects, so array
 *   elements cost no key room) and copied into an exactly sized arena array
 *   when it closes; each value is copied twice at most, so the work stays
 *   linear in the input. The stacks are malloc'd and freed at the end, not
 *   left in the arena, and with the DOM they stay within a cap proportional
 *   to the input (ddb_json_memory_bound), so no input can take more.
 * - Duplicate keys are found when an object closes: pairwise for small
 *   objects (the common case), by a stable merge sort of the keys for large
 *   ones, so a hostile object costs O(n log n) whatever its keys are (no
 *   hash table an attacker could flood).
 */

/* Byte classes inside a string. */
enum {
    SC_PLAIN = 0, /* ASCII copied as is */
    SC_QUOTE,
    SC_BACKSLASH,
    SC_CONTROL, /* below 0x20: must be escaped */
    SC_HIGH,    /* 0x80 and up: start (or stray part) of a UTF-8 sequence */
};

static const uint8_t str_class[256] = {
    [0x00 ... 0x1f] = SC_CONTROL,
    ['"'] = SC_QUOTE,
    ['\\'] = SC_BACKSLASH,
    [0x80 ... 0xff] = SC_HIGH,
};

struct key_entry {
    ddb_slice key;   /* decoded */
    uint32_t offset; /* offset of the key's opening quote */
};

struct frame {
    size_t vbase;    /* first value-stack entry of this container */
    size_t kbase;    /* objects: first key-stack entry */
    uint32_t offset; /* offset of '{' or '[' */
    bool object;
};

#define VALS_LOCAL 64
#define KEYS_LOCAL 32
#define DUP_PAIRWISE_MAX 16

/* The open containers' elements wait on two stacks, values and (for
 * objects) keys, that live outside the arena: malloc'd once they outgrow the
 * local arrays, freed when the parse ends, and counted against the parse's
 * memory cap while they exist. */
struct parser {
    struct ddb_arena *a;
    size_t arena_start; /* a->total when the parse began */
    size_t mem_limit;   /* bytes this parse may take: arena and stacks */
    size_t stack_bytes; /* malloc'd bytes of the two stacks */
    const char *buf;
    struct ddb_json_error *err;
    struct ddb_json *vals;
    size_t vtop, vcap;
    struct key_entry *keys;
    size_t ktop, kcap;
    int depth;
    struct frame frames[DDB_JSON_MAX_DEPTH];
    struct ddb_json vlocal[VALS_LOCAL];
    struct key_entry klocal[KEYS_LOCAL];
};

static int fail(struct parser *P, const char *at, const char *reason)
{
    P->err->offset = (size_t)(at - P->buf);
    P->err->reason = reason;
    return -1;
}

/* Arena memory within the parse's cap (limits.h), or NULL after filling
 * the error. */
static void *palloc(struct parser *P, const char *at, size_t n)
{
    size_t used = P->a->total - P->arena_start + P->stack_bytes;
    if (n > P->mem_limit || used > P->mem_limit - n) {
        fail(P, at, "too much memory for the input's size");
        return NULL;
    }
    return ddb_arena_alloc(P->a, n);
}

static inline const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
        p++;
    return p;
}

/* Length of the well-formed UTF-8 sequence at p (Unicode Table 3-7), or 0.
 * Rejects overlongs, encoded surrogates and code points above U+10FFFF. */
static inline size_t utf8_seq(const unsigned char *p, const unsigned char *end)
{
    unsigned c = p[0];
    size_t left = (size_t)(end - p);
    if (c >= 0xc2 && c <= 0xdf)
        return left >= 2 && (p[1] & 0xc0) == 0x80 ? 2 : 0;
    if (c >= 0xe0 && c <= 0xef) {
        if (left < 3)
            return 0;
        unsigned lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
        if (p[1] < lo || p[1] > hi || (p[2] & 0xc0) != 0x80)
            return 0;
        return 3;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        if (left < 4)
            return 0;
        unsigned lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
        if (p[1] < lo || p[1] > hi || (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
            return 0;
        return 4;
    }
    return 0; /* 0x80..0xc1 (continuation or overlong lead), 0xf5..0xff */
}

static inline int hex4(const unsigned char *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned c = p[i];
        int d;
        if (c >= '0' && c <= '9')
            d = (int)(c - '0');
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
            d = (int)((c | 0x20) - 'a' + 10);
        else
            return -1;
        v = v * 16 + d;
    }
    return v;
}

static inline char *put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        *o++ = (char)cp;
    } else if (cp < 0x800) {
        *o++ = (char)(0xc0 | (cp >> 6));
        *o++ = (char)(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        *o++ = (char)(0xe0 | (cp >> 12));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
        *o++ = (char)(0x80 | (cp & 0x3f));
    } else {
        *o++ = (char)(0xf0 | (cp >> 18));
        *o++ = (char)(0x80 | ((cp >> 12) & 0x3f));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
        *o++ = (char)(0x80 | (cp & 0x3f));
    }
    return o;
}

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* True if any of the 8 bytes in x needs a look: '"', '\\', < 0x20, >= 0x80. */
static inline bool word_special(uint64_t x)
{
    uint64_t q = x ^ (ONES * '"'), b = x ^ (ONES * '\\');
    uint64_t t = ((x - ONES * 0x20) & ~x) | ((q - ONES) & ~q) | ((b - ONES) & ~b) | x;
    return (t & HIGHS) != 0;
}

/* The string escape path: s is the first content byte, p the first
 * backslash (everything in [s, p) is already validated plain text). */
static const char *parse_string_escaped(struct parser *P, const char *s, const char *p,
                                        const char *end, ddb_slice *out)
{
    /* The decoded text is never longer than the raw text, so find the
     * closing quote (or the input's end) to size the copy. */
    const char *q = p;
    while (q < end && *q != '"')
        q += *q == '\\' && end - q >= 2 ? 2 : 1;
    size_t cap = (size_t)(q - s);
    char *dst = palloc(P, p, cap);
    if (dst == NULL)
        return NULL;
    memcpy(dst, s, (size_t)(p - s));
    char *o = dst + (p - s);
    for (;;) {
        if (p >= end) {
            fail(P, p, "unterminated string");
            return NULL;
        }
        const unsigned char *u = (const unsigned char *)p;
        switch (str_class[*u]) {
        case SC_PLAIN: {
            const char *r = p + 1;
            while (r < end && str_class[(unsigned char)*r] == SC_PLAIN)
                r++;
            memcpy(o, p, (size_t)(r - p));
            o += r - p;
            p = r;
            break;
        }
        case SC_QUOTE:
            *out = ddb_slice_make(dst, (size_t)(o - dst));
            return p + 1;
        case SC_CONTROL:
            fail(P, p, "control character in string");
            return NULL;
        case SC_HIGH: {
            size_t n = utf8_seq(u, (const unsigned char *)end);
            if (n == 0) {
                fail(P, p, "invalid UTF-8");
                return NULL;
            }
            memcpy(o, p, n);
            o += n;
            p += n;
            break;
        }
        default: /* SC_BACKSLASH */
            if (end - p < 2) {
                fail(P, p, "unterminated string");
                return NULL;
            }
            switch (p[1]) {
            case '"': *o++ = '"'; break;
            case '\\': *o++ = '\\'; break;
            case '/': *o++ = '/'; break;
            case 'b': *o++ = '\b'; break;
            case 'f': *o++ = '\f'; break;
            case 'n': *o++ = '\n'; break;
            case 'r': *o++ = '\r'; break;
            case 't': *o++ = '\t'; break;
            case 'u': {
                int cp = end - p >= 6 ? hex4(u + 2) : -1;
                if (cp < 0) {
                    fail(P, p, "invalid \\u escape");
                    return NULL;
                }
                if (cp >= 0xdc00 && cp <= 0xdfff) {
                    fail(P, p, "lone surrogate escape");
                    return NULL;
                }
                if (cp >= 0xd800 && cp <= 0xdbff) {
                    int lo = end - p >= 12 && p[6] == '\\' && p[7] == 'u' ? hex4(u + 8) : -1;
                    if (lo < 0xdc00 || lo > 0xdfff) {
                        fail(P, p, "lone surrogate escape");
                        return NULL;
                    }
                    cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                    p += 6;
                }
                o = put_utf8(o, (unsigned)cp);
                p += 4;
                break;
            }
            default:
                fail(P, p, "invalid escape");
                return NULL;
            }
            p += 2;
            break;
        }
    }
}

/* p is the first byte after the opening quote. Returns the byte after the
 * closing quote, or NULL after filling the error. */
static inline const char *parse_string(struct parser *P, const char *p, const char *end,
                                       ddb_slice *out)
{
    const char *s = p;
    for (;;) {
        while (end - p >= 8) {
            uint64_t x;
            memcpy(&x, p, 8);
            if (word_special(x))
                break;
            p += 8;
        }
        while (p < end && str_class[(unsigned char)*p] == SC_PLAIN)
            p++;
        if (p >= end) {
            fail(P, p, "unterminated string");
            return NULL;
        }
        switch (str_class[(unsigned char)*p]) {
        case SC_QUOTE:
            *out = ddb_slice_make(s, (size_t)(p - s));
            return p + 1;
        case SC_HIGH: {
            size_t n = utf8_seq((const unsigned char *)p, (const unsigned char *)end);
            if (n == 0) {
                fail(P, p, "invalid UTF-8");
                return NULL;
            }
            p += n;
            break;
        }
        case SC_CONTROL:
            fail(P, p, "control character in string");
            return NULL;
        default: /* SC_BACKSLASH */
            return parse_string_escaped(P, s, p, end, out);
        }
    }
}

static inline bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* RFC 8259 number grammar: -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)? */
static inline const char *parse_number(struct parser *P, const char *p, const char *end,
                                       ddb_slice *out)
{
    const char *s = p;
    if (*p == '-')
        p++;
    if (p < end && *p == '0') {
        p++;
    } else if (p < end && *p >= '1' && *p <= '9') {
        p++;
        while (p < end && is_digit(*p))
            p++;
    } else {
        goto bad;
    }
    if (p < end && *p == '.') {
        p++;
        if (p >= end || !is_digit(*p))
            goto bad;
        while (p < end && is_digit(*p))
            p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (p >= end || !is_digit(*p))
            goto bad;
        while (p < end && is_digit(*p))
            p++;
    }
    *out = ddb_slice_make(s, (size_t)(p - s));
    return p;
bad:
    fail(P, p, "invalid number");
    return NULL;
}

/* Doubles a stack (*base with *cap elements of size, local while it is
 * the parser's own array) within the memory cap; false after filling the
 * error. */
static bool stack_grow(struct parser *P, const char *at, void **base, size_t *cap, size_t size,
                       const void *local)
{
    size_t old_bytes = *base == local ? 0 : *cap * size;
    size_t new_bytes = *cap * 2 * size;
    size_t used = P->a->total - P->arena_start + P->stack_bytes - old_bytes;
    if (new_bytes > P->mem_limit || used > P->mem_limit - new_bytes) {
        fail(P, at, "too much memory for the input's size");
        return false;
    }
    void *n = *base == local ? malloc(new_bytes) : realloc(*base, new_bytes);
    if (n == NULL) {
        fail(P, at, "out of memory");
        return false;
    }
    if (*base == local)
        memcpy(n, local, *cap * size);
    *base = n;
    *cap *= 2;
    P->stack_bytes += new_bytes - old_bytes;
    return true;
}

/* NULL after filling the error (over the memory cap). */
static inline struct ddb_json *push_value(struct parser *P, const char *at)
{
    if (P->vtop == P->vcap &&
        !stack_grow(P, at, (void **)&P->vals, &P->vcap, sizeof *P->vals, P->vlocal))
        return NULL;
    return &P->vals[P->vtop++];
}

static inline struct key_entry *push_key(struct parser *P, const char *at)
{
    if (P->ktop == P->kcap &&
        !stack_grow(P, at, (void **)&P->keys, &P->kcap, sizeof *P->keys, P->klocal))
        return NULL;
    return &P->keys[P->ktop++];
}

/* Stable bottom-up merge sort of idx[0..n) by key, using tmp (room for n);
 * returns whichever of the two arrays holds the sorted order. */
static uint32_t *sort_by_key(const struct key_entry *e, uint32_t *idx, uint32_t *tmp, size_t n)
{
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = ddb_slice_cmp(e[idx[j]].key, e[idx[i]].key) < 0 ? idx[j++] : idx[i++];
            while (i < mid)
                tmp[k++] = idx[i++];
            while (j < hi)
                tmp[k++] = idx[j++];
        }
        uint32_t *t = idx;
        idx = tmp;
        tmp = t;
    }
    return idx;
}

/* Fails at the first key (in input order) that repeats an earlier one. */
static int check_duplicates(struct parser *P, const struct key_entry *e, size_t n)
{
    size_t first_dup = SIZE_MAX;
    if (n < 2)
        return 0;
    if (n <= DUP_PAIRWISE_MAX) {
        for (size_t j = 1; j < n && first_dup == SIZE_MAX; j++)
            for (size_t i = 0; i < j; i++)
                if (ddb_slice_eq(e[i].key, e[j].key)) {
                    first_dup = j;
                    break;
                }
    } else {
        uint32_t *idx = palloc(P, P->buf + e[0].offset, 2 * n * sizeof(*idx));
        if (idx == NULL)
            return -1;
        uint32_t *tmp = idx + n;
        for (size_t i = 0; i < n; i++)
            idx[i] = (uint32_t)i;
        const uint32_t *sorted = sort_by_key(e, idx, tmp, n);
        /* stable: within a run of equal keys, indices ascend, so the run's
         * second element is the first repeat of that key */
        for (size_t i = 1; i < n; i++)
            if (ddb_slice_eq(e[sorted[i]].key, e[sorted[i - 1]].key) &&
                (i < 2 || !ddb_slice_eq(e[sorted[i - 1]].key, e[sorted[i - 2]].key)) &&
                sorted[i] < first_dup)
                first_dup = sorted[i];
    }
    if (first_dup == SIZE_MAX)
        return 0;
    return fail(P, P->buf + e[first_dup].offset, "duplicate key");
}

size_t ddb_json_memory_bound(size_t len)
{
    if (len > (SIZE_MAX - DDB_JSON_MEMORY_BASE) / DDB_JSON_MEMORY_PER_BYTE)
        return SIZE_MAX;
    return len * DDB_JSON_MEMORY_PER_BYTE + DDB_JSON_MEMORY_BASE;
}

static int parse(struct parser *P, const char *buf, size_t len, struct ddb_json **out)
{
    struct ddb_arena *a = P->a;
    const char *p = buf, *end = buf + len;
    struct ddb_json v;
    struct frame *f;

value:
    p = skip_ws(p, end);
    if (p == end)
        return fail(P, p, "unexpected end of input");
    v.offset = (uint32_t)(p - buf);
    v.count = 0;
    switch (*p) {
    case '"':
        v.type = DDB_JSON_STRING;
        p = parse_string(P, p + 1, end, &v.u.str);
        if (p == NULL)
            return -1;
        break;
    case '{':
    case '[':
        if (P->depth == DDB_JSON_MAX_DEPTH)
            return fail(P, p, "nesting too deep");
        f = &P->frames[P->depth++];
        f->vbase = P->vtop;
        f->kbase = P->ktop;
        f->offset = v.offset;
        f->object = *p == '{';
        p = skip_ws(p + 1, end);
        if (p < end && *p == (f->object ? '}' : ']')) {
            p++;
            goto close;
        }
        if (f->object)
            goto key;
        goto value;
    case '-':
    case '0' ... '9':
        v.type = DDB_JSON_NUMBER;
        p = parse_number(P, p, end, &v.u.str);
        if (p == NULL)
            return -1;
        break;
    case 't':
        if (end - p < 4 || memcmp(p, "true", 4) != 0)
            return fail(P, p, "invalid literal");
        v.type = DDB_JSON_TRUE;
        v.u.str = ddb_slice_make(NULL, 0);
        p += 4;
        break;
    case 'f':
        if (end - p < 5 || memcmp(p, "false", 5) != 0)
            return fail(P, p, "invalid literal");
        v.type = DDB_JSON_FALSE;
        v.u.str = ddb_slice_make(NULL, 0);
        p += 5;
        break;
    case 'n':
        if (end - p < 4 || memcmp(p, "null", 4) != 0)
            return fail(P, p, "invalid literal");
        v.type = DDB_JSON_NULL;
        v.u.str = ddb_slice_make(NULL, 0);
        p += 4;
        break;
    default:
        return fail(P, p, "expected a value");
    }

done: /* v is complete and p is just after it */
    if (P->depth == 0)
        goto finish;
    f = &P->frames[P->depth - 1];
    if (!f->object && P->vtop - f->vbase >= DDB_JSON_MAX_MEMBERS)
        return fail(P, buf + v.offset, "too many members");
    struct ddb_json *slot = push_value(P, p);
    if (slot == NULL)
        return -1;
    *slot = v;
    p = skip_ws(p, end);
    if (p == end)
        return fail(P, p, "unexpected end of input");
    if (*p == ',') {
        p++;
        if (f->object)
            goto key;
        goto value;
    }
    if (*p == (f->object ? '}' : ']')) {
        p++;
        goto close;
    }
    return fail(P, p, f->object ? "expected ',' or '}'" : "expected ',' or ']'");

key: { /* f is the innermost frame, an object */
    p = skip_ws(p, end);
    if (p == end)
        return fail(P, p, "unexpected end of input");
    if (*p != '"')
        return fail(P, p, "expected a string key");
    if (P->ktop - f->kbase >= DDB_JSON_MAX_MEMBERS)
        return fail(P, p, "too many members");
    struct key_entry *e = push_key(P, p);
    if (e == NULL)
        return -1;
    e->offset = (uint32_t)(p - buf);
    p = parse_string(P, p + 1, end, &e->key);
    if (p == NULL)
        return -1;
    p = skip_ws(p, end);
    if (p == end)
        return fail(P, p, "unexpected end of input");
    if (*p != ':')
        return fail(P, p, "expected ':'");
    p++;
    goto value;
}

close: { /* p is after the closing bracket of the innermost frame */
    f = &P->frames[--P->depth];
    size_t n = P->vtop - f->vbase;
    const struct ddb_json *vals = P->vals + f->vbase;
    v.offset = f->offset;
    v.count = (uint32_t)n;
    if (f->object) {
        const struct key_entry *keys = P->keys + f->kbase;
        if (check_duplicates(P, keys, n) != 0)
            return -1;
        v.type = DDB_JSON_OBJECT;
        struct ddb_json_member *m = NULL;
        if (n) {
            m = palloc(P, p, n * sizeof(*m));
            if (m == NULL)
                return -1;
            for (size_t i = 0; i < n; i++) {
                m[i].key = keys[i].key;
                m[i].value = vals[i];
            }
        }
        v.u.members = m;
    } else {
        v.type = DDB_JSON_ARRAY;
        struct ddb_json *items = NULL;
        if (n) {
            items = palloc(P, p, n * sizeof(*items));
            if (items == NULL)
                return -1;
            for (size_t i = 0; i < n; i++)
                items[i] = vals[i];
        }
        v.u.items = items;
    }
    P->vtop = f->vbase;
    P->ktop = f->kbase;
    goto done;
}

finish:
    p = skip_ws(p, end);
    if (p != end)
        return fail(P, p, "unexpected data after the value");
    struct ddb_json *root = ddb_arena_alloc(a, sizeof(*root));
    *root = v;
    *out = root;
    return 0;
}

int ddb_json_parse(struct ddb_arena *a, const char *buf, size_t len, struct ddb_json **out,
                   struct ddb_json_error *err)
{
    struct parser P;
    P.a = a;
    P.arena_start = a->total;
    P.mem_limit = ddb_json_memory_bound(len);
    P.stack_bytes = 0;
    P.buf = buf;
    P.err = err;
    P.vals = P.vlocal;
    P.vtop = 0;
    P.vcap = VALS_LOCAL;
    P.keys = P.klocal;
    P.ktop = 0;
    P.kcap = KEYS_LOCAL;
    P.depth = 0;
    if (len > UINT32_MAX)
        return fail(&P, buf, "input too large");
    int rc = parse(&P, buf, len, out);
    if (P.vals != P.vlocal)
        free(P.vals);
    if (P.keys != P.klocal)
        free(P.keys);
    return rc;
}

const struct ddb_json *ddb_json_get(const struct ddb_json *obj, const char *key)
{
    if (obj == NULL || obj->type != DDB_JSON_OBJECT)
        return NULL;
    ddb_slice k = ddb_slice_cstr(key);
    for (uint32_t i = 0; i < obj->count; i++)
        if (ddb_slice_eq(obj->u.members[i].key, k))
            return &obj->u.members[i].value;
    return NULL;
}

/* ---- writer ---- */

void ddb_jw_init(struct ddb_json_writer *w, struct ddb_buf *buf)
{
    w->buf = buf;
    w->depth = 0;
    w->need_comma[0] = false;
}

/* Before any value: a comma if a sibling came first. After a key,
 * need_comma is false (the key cleared it), so no comma goes out. */
static inline void jw_sep(struct ddb_json_writer *w)
{
    if (w->need_comma[w->depth])
        ddb_buf_putc(w->buf, ',');
    w->need_comma[w->depth] = true;
}

static void jw_open(struct ddb_json_writer *w, char c)
{
    jw_sep(w);
    if (w->depth >= DDB_JSON_MAX_DEPTH)
        abort(); /* writer bug: nesting beyond the cap */
    ddb_buf_putc(w->buf, c);
    w->need_comma[++w->depth] = false;
}

static void jw_close(struct ddb_json_writer *w, char c)
{
    if (w->depth <= 0)
        abort(); /* writer bug: unbalanced end */
    w->depth--;
    ddb_buf_putc(w->buf, c);
}

void ddb_jw_object_begin(struct ddb_json_writer *w)
{
    jw_open(w, '{');
}

void ddb_jw_object_end(struct ddb_json_writer *w)
{
    jw_close(w, '}');
}

void ddb_jw_array_begin(struct ddb_json_writer *w)
{
    jw_open(w, '[');
}

void ddb_jw_array_end(struct ddb_json_writer *w)
{
    jw_close(w, ']');
}

/* 0: copy; otherwise the short escape letter, or 'u' for \u00XX. */
static const char esc_class[256] = {
    'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'b', 't', 'n', 'u', 'f', 'r', 'u', 'u',
    'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
    ['"'] = '"', ['\\'] = '\\',
};

static void jw_quoted(struct ddb_buf *b, const char *p, size_t n)
{
    size_t i = 0;
    while (i < n && esc_class[(unsigned char)p[i]] == 0)
        i++;
    if (i == n) { /* the common case: nothing to escape */
        char *d = ddb_buf_reserve(b, n + 2);
        d[0] = '"';
        memcpy(d + 1, p, n);
        d[n + 1] = '"';
        ddb_buf_commit(b, n + 2);
        return;
    }
    static const char hex[] = "0123456789abcdef";
    ddb_buf_putc(b, '"');
    size_t run = 0;
    for (; i <= n; i++) {
        char e = i < n ? esc_class[(unsigned char)p[i]] : 1;
        if (e == 0)
            continue;
        ddb_buf_append(b, p + run, i - run);
        run = i + 1;
        if (i == n)
            break;
        if (e == 'u') {
            unsigned char c = (unsigned char)p[i];
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            ddb_buf_append(b, u, 6);
        } else {
            char s[2] = {'\\', e};
            ddb_buf_append(b, s, 2);
        }
    }
    ddb_buf_putc(b, '"');
}

void ddb_jw_key(struct ddb_json_writer *w, const char *p, size_t n)
{
    if (w->need_comma[w->depth])
        ddb_buf_putc(w->buf, ',');
    jw_quoted(w->buf, p, n);
    ddb_buf_putc(w->buf, ':');
    w->need_comma[w->depth] = false; /* the value follows without a comma */
}

void ddb_jw_key_cstr(struct ddb_json_writer *w, const char *s)
{
    ddb_jw_key(w, s, strlen(s));
}

void ddb_jw_string(struct ddb_json_writer *w, const char *p, size_t n)
{
    jw_sep(w);
    jw_quoted(w->buf, p, n);
}

void ddb_jw_string_cstr(struct ddb_json_writer *w, const char *s)
{
    ddb_jw_string(w, s, strlen(s));
}

void ddb_jw_int(struct ddb_json_writer *w, int64_t v)
{
    char tmp[24], *e = tmp + sizeof(tmp), *s = e;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        *--s = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--s = '-';
    jw_sep(w);
    ddb_buf_append(w->buf, s, (size_t)(e - s));
}

void ddb_jw_bool(struct ddb_json_writer *w, bool v)
{
    jw_sep(w);
    if (v)
        ddb_buf_append(w->buf, "true", 4);
    else
        ddb_buf_append(w->buf, "false", 5);
}

void ddb_jw_null(struct ddb_json_writer *w)
{
    jw_sep(w);
    ddb_buf_append(w->buf, "null", 4);
}

void ddb_jw_raw(struct ddb_json_writer *w, const char *p, size_t n)
{
    jw_sep(w);
    ddb_buf_append(w->buf, p, n);
}

void ddb_jw_value(struct ddb_json_writer *w, const struct ddb_json *v)
{
    switch (v->type) {
    case DDB_JSON_NULL:
        ddb_jw_null(w);
        break;
    case DDB_JSON_FALSE:
    case DDB_JSON_TRUE:
        ddb_jw_bool(w, v->type == DDB_JSON_TRUE);
        break;
    case DDB_JSON_NUMBER:
        ddb_jw_raw(w, v->u.str.ptr, v->u.str.len);
        break;
    case DDB_JSON_STRING:
        ddb_jw_string(w, v->u.str.ptr, v->u.str.len);
        break;
    case DDB_JSON_ARRAY:
        /* recursion is bounded: jw_open aborts beyond DDB_JSON_MAX_DEPTH */
        ddb_jw_array_begin(w);
        for (uint32_t i = 0; i < v->count; i++)
            ddb_jw_value(w, &v->u.items[i]);
        ddb_jw_array_end(w);
        break;
    case DDB_JSON_OBJECT:
        ddb_jw_object_begin(w);
        for (uint32_t i = 0; i < v->count; i++) {
            ddb_jw_key(w, v->u.members[i].key.ptr, v->u.members[i].key.len);
            ddb_jw_value(w, &v->u.members[i].value);
        }
        ddb_jw_object_end(w);
        break;
    }
}
