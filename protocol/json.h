/*
 * json.h: ddbd's own JSON reader and writer (see DESIGN.md, "JSON").
 *
 * Reader: one pass over the request body into a DOM allocated in the request
 * arena. Strict RFC 8259: UTF-8 is validated (overlongs, surrogates and
 * code points above U+10FFFF rejected, in raw bytes and in \u escapes, where
 * a lone surrogate escape is an error too), duplicate keys in one object are
 * rejected, nesting is capped at DDB_JSON_MAX_DEPTH, members per container at
 * DDB_JSON_MAX_MEMBERS, and nothing but whitespace may follow the value.
 * Strings are slices: they point into the input when the string has no
 * escapes (zero-copy), otherwise into an unescaped copy in the arena; they
 * may contain NUL bytes. Numbers keep their raw text (the caller parses them:
 * DynamoDB numbers are decimals, never doubles).
 *
 * Writer: appends compact JSON to a ddb_buf. Strings are escaped ('"', '\\',
 * and control bytes below 0x20 as \uXXXX or the short forms); other bytes are
 * copied as they are (the writer trusts that its input is valid UTF-8).
 *
 * Lifetime: the DOM lives as long as the arena and the input buffer.
 * Thread safety: none needed; no global state.
 */
#ifndef DDB_JSON_H
#define DDB_JSON_H

#include "arena.h"
#include "buf.h"
#include "limits.h"

enum ddb_json_type {
    DDB_JSON_NULL,
    DDB_JSON_FALSE,
    DDB_JSON_TRUE,
    DDB_JSON_NUMBER,
    DDB_JSON_STRING,
    DDB_JSON_ARRAY,
    DDB_JSON_OBJECT,
};

struct ddb_json_member;

struct ddb_json {
    enum ddb_json_type type;
    uint32_t count;  /* ARRAY: items; OBJECT: members; else 0 */
    uint32_t offset; /* byte offset of the value's first byte in the input */
    union {
        ddb_slice str;                   /* STRING: decoded bytes; NUMBER: raw text */
        struct ddb_json *items;          /* ARRAY */
        struct ddb_json_member *members; /* OBJECT, in input order */
    } u;
};

struct ddb_json_member {
    ddb_slice key; /* decoded */
    struct ddb_json value;
};

struct ddb_json_error {
    size_t offset;      /* byte offset where the input went wrong */
    const char *reason; /* static English text, e.g. "invalid UTF-8" */
};

/*
 * Parses len bytes at buf. On success returns 0 and sets *out to the root
 * (allocated in a). On failure returns -1 and fills *err; *out is untouched.
 * buf must stay alive and unchanged as long as the DOM is used.
 * The parse takes at most ddb_json_memory_bound(len) bytes of a; input that
 * would need more fails ("too much memory for the input's size"): no valid
 * DynamoDB request comes near it (limits.h).
 */
int ddb_json_parse(struct ddb_arena *a, const char *buf, size_t len, struct ddb_json **out,
                   struct ddb_json_error *err) DDB_MUST_CHECK;

/* The most arena bytes ddb_json_parse() takes for len bytes of input:
 * DDB_JSON_MEMORY_PER_BYTE * len + DDB_JSON_MEMORY_BASE (SIZE_MAX on
 * overflow). */
size_t ddb_json_memory_bound(size_t len);

/* The value of member `key` of an OBJECT, or NULL if absent or obj is not an
 * object. Linear in the member count. */
const struct ddb_json *ddb_json_get(const struct ddb_json *obj, const char *key);

/* Writer. Commas and nesting are tracked; calls must form valid JSON (keys
 * only directly inside objects, each followed by one value). Depth is capped
 * at DDB_JSON_MAX_DEPTH (abort beyond: a writer bug, not client input). */
struct ddb_json_writer {
    struct ddb_buf *buf;
    int depth;
    bool need_comma[DDB_JSON_MAX_DEPTH + 1];
};

void ddb_jw_init(struct ddb_json_writer *w, struct ddb_buf *buf);
void ddb_jw_object_begin(struct ddb_json_writer *w);
void ddb_jw_object_end(struct ddb_json_writer *w);
void ddb_jw_array_begin(struct ddb_json_writer *w);
void ddb_jw_array_end(struct ddb_json_writer *w);
void ddb_jw_key(struct ddb_json_writer *w, const char *p, size_t n);
void ddb_jw_key_cstr(struct ddb_json_writer *w, const char *s);
void ddb_jw_string(struct ddb_json_writer *w, const char *p, size_t n);
void ddb_jw_string_cstr(struct ddb_json_writer *w, const char *s);
void ddb_jw_int(struct ddb_json_writer *w, int64_t v);
void ddb_jw_bool(struct ddb_json_writer *w, bool v);
void ddb_jw_null(struct ddb_json_writer *w);
/* Writes n bytes verbatim as one value (a number's text, or pre-built JSON). */
void ddb_jw_raw(struct ddb_json_writer *w, const char *p, size_t n);
/* Writes a DOM value (numbers as their raw text, members in order); parsing
 * the output gives an equal DOM. Aborts if v nests deeper than the cap. */
void ddb_jw_value(struct ddb_json_writer *w, const struct ddb_json *v);

#endif
