#include "input.h"

#include "limits.h"

#include <errno.h>
#include <stdlib.h>

/* DynamoDB's names for the JSON token it found, in SerializationException
 * messages ("NUMBER_VALUE cannot be converted to String"). */
static const char *token_name(enum ddb_json_type t)
{
    switch (t) {
    case DDB_JSON_STRING:
        return "STRING_VALUE";
    case DDB_JSON_NUMBER:
        return "NUMBER_VALUE";
    case DDB_JSON_TRUE:
    case DDB_JSON_FALSE:
        return "BOOLEAN_VALUE";
    case DDB_JSON_ARRAY:
        return "START_ARRAY";
    case DDB_JSON_OBJECT:
        return "START_OBJECT";
    case DDB_JSON_NULL:
        break;
    }
    return "VALUE_NULL";
}

static bool type_matches(enum ddb_json_type have, enum ddb_json_type want)
{
    if (want == DDB_JSON_TRUE || want == DDB_JSON_FALSE)
        return have == DDB_JSON_TRUE || have == DDB_JSON_FALSE;
    return have == want;
}

int ddb_in_expect(struct ddb_arena *a, const struct ddb_json *v, enum ddb_json_type want,
                  const char *type_name, struct ddb_error *err)
{
    if (type_matches(v->type, want))
        return 0;
    if (want == DDB_JSON_OBJECT || want == DDB_JSON_ARRAY)
        return ddb_error_set(err, a, DDB_ERR_SERIALIZATION, "Unexpected token received from parser");
    return ddb_error_set(err, a, DDB_ERR_SERIALIZATION, "%s cannot be converted to %s",
                         token_name(v->type), type_name);
}

/* The member, or NULL when absent or JSON null. */
static const struct ddb_json *member(const struct ddb_json *obj, const char *key)
{
    const struct ddb_json *v = ddb_json_get(obj, key);
    return v == NULL || v->type == DDB_JSON_NULL ? NULL : v;
}

int ddb_in_string(struct ddb_arena *a, const struct ddb_json *obj, const char *key,
                  ddb_slice *out, bool *present, struct ddb_error *err)
{
    const struct ddb_json *v = member(obj, key);
    *present = v != NULL;
    if (v == NULL)
        return 0;
    if (ddb_in_expect(a, v, DDB_JSON_STRING, "String", err) != 0)
        return -1;
    *out = v->u.str;
    return 0;
}

int ddb_in_int(struct ddb_arena *a, const struct ddb_json *obj, const char *key, int64_t *out,
               bool *present, struct ddb_error *err)
{
    const struct ddb_json *v = member(obj, key);
    *present = v != NULL;
    if (v == NULL)
        return 0;
    if (ddb_in_expect(a, v, DDB_JSON_NUMBER, "Integer", err) != 0)
        return -1;
    char buf[32];
    ddb_slice s = v->u.str;
    bool integral = s.len < sizeof buf && memchr(s.ptr, '.', s.len) == NULL &&
                    memchr(s.ptr, 'e', s.len) == NULL && memchr(s.ptr, 'E', s.len) == NULL;
    if (integral) {
        memcpy(buf, s.ptr, s.len);
        buf[s.len] = '\0';
        errno = 0;
        char *end;
        long long n = strtoll(buf, &end, 10);
        if (errno == 0 && *end == '\0') {
            *out = n;
            return 0;
        }
    }
    /* a fraction, an exponent or out of range: DynamoDB cannot map it either */
    return ddb_error_set(err, a, DDB_ERR_SERIALIZATION,
                         "Number (%.*s) is out of range or not an integer", (int)s.len, s.ptr);
}

int ddb_in_bool(struct ddb_arena *a, const struct ddb_json *obj, const char *key, bool *out,
                bool *present, struct ddb_error *err)
{
    const struct ddb_json *v = member(obj, key);
    *present = v != NULL;
    if (v == NULL)
        return 0;
    if (ddb_in_expect(a, v, DDB_JSON_TRUE, "Boolean", err) != 0)
        return -1;
    *out = v->type == DDB_JSON_TRUE;
    return 0;
}

int ddb_in_object(struct ddb_arena *a, const struct ddb_json *obj, const char *key,
                  const struct ddb_json **out, struct ddb_error *err)
{
    const struct ddb_json *v = member(obj, key);
    *out = NULL;
    if (v == NULL)
        return 0;
    if (ddb_in_expect(a, v, DDB_JSON_OBJECT, "Structure", err) != 0)
        return -1;
    *out = v;
    return 0;
}

int ddb_in_array(struct ddb_arena *a, const struct ddb_json *obj, const char *key,
                 const struct ddb_json **out, struct ddb_error *err)
{
    const struct ddb_json *v = member(obj, key);
    *out = NULL;
    if (v == NULL)
        return 0;
    if (ddb_in_expect(a, v, DDB_JSON_ARRAY, "List", err) != 0)
        return -1;
    *out = v;
    return 0;
}

void ddb_vlist_init(struct ddb_vlist *v, struct ddb_arena *a)
{
    ddb_buf_init(&v->buf, a);
    v->count = 0;
}

void ddb_vlist_add(struct ddb_vlist *v, const char *shown, const char *path, const char *what)
{
    if (v->count > 0)
        ddb_buf_puts(&v->buf, "; ");
    ddb_buf_printf(&v->buf, "Value %s at '%s' failed to satisfy constraint: %s", shown, path,
                   what);
    v->count++;
}

const char *ddb_vlist_quote(struct ddb_arena *a, ddb_slice s)
{
    return ddb_arena_printf(a, "'%.*s'", (int)s.len, s.ptr);
}

const char *ddb_vlist_quote_int(struct ddb_arena *a, int64_t n)
{
    return ddb_arena_printf(a, "'%lld'", (long long)n);
}

/* One capacity member of ddb_in_throughput. */
static void check_capacity(struct ddb_arena *a, struct ddb_vlist *v, const char *pt, const char *m,
                           bool has, int64_t n)
{
    if (!has)
        ddb_vlist_add(v, "null", ddb_arena_printf(a, "%s.%s", pt, m), "Member must not be null");
    else if (n < DDB_MIN_CAPACITY_UNITS)
        ddb_vlist_add(v, ddb_vlist_quote_int(a, n), ddb_arena_printf(a, "%s.%s", pt, m),
                      ddb_arena_printf(a, "Member must have value greater than or equal to %d",
                                       DDB_MIN_CAPACITY_UNITS));
}

int ddb_in_throughput(struct ddb_arena *a, const struct ddb_json *obj, const char *prefix,
                      struct ddb_vlist *v, bool *present, int64_t *rcu, int64_t *wcu,
                      struct ddb_error *err)
{
    const struct ddb_json *pt;
    if (ddb_in_object(a, obj, "ProvisionedThroughput", &pt, err) != 0)
        return -1;
    *present = pt != NULL;
    if (pt == NULL)
        return 0;
    bool has_r, has_w;
    if (ddb_in_int(a, pt, "ReadCapacityUnits", rcu, &has_r, err) != 0 ||
        ddb_in_int(a, pt, "WriteCapacityUnits", wcu, &has_w, err) != 0)
        return -1;
    const char *p = prefix == NULL ? "provisionedThroughput"
                                   : ddb_arena_printf(a, "%s.provisionedThroughput", prefix);
    check_capacity(a, v, p, "writeCapacityUnits", has_w, *wcu);
    check_capacity(a, v, p, "readCapacityUnits", has_r, *rcu);
    return 0;
}

int ddb_vlist_finish(struct ddb_vlist *v, struct ddb_error *err)
{
    if (v->count == 0)
        return 0;
    return ddb_error_set(err, v->buf.arena, DDB_ERR_VALIDATION, "%d validation error%s detected: %s",
                         v->count, v->count == 1 ? "" : "s", v->buf.ptr);
}

static bool name_char_ok(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || c == '.';
}

static bool name_chars_ok(ddb_slice name)
{
    for (size_t i = 0; i < name.len; i++)
        if (!name_char_ok(name.ptr[i]))
            return false;
    return true;
}

bool ddb_name_valid(ddb_slice name)
{
    return name.len >= DDB_TABLE_NAME_MIN && name.len <= DDB_TABLE_NAME_MAX &&
           name_chars_ok(name);
}

void ddb_vlist_check_name(struct ddb_vlist *v, ddb_slice name, const char *path)
{
    const char *q = ddb_vlist_quote(v->buf.arena, name);
    if (name.len < DDB_TABLE_NAME_MIN)
        ddb_vlist_add(v, q, path, "Member must have length greater than or equal to 3");
    if (name.len > DDB_TABLE_NAME_MAX)
        ddb_vlist_add(v, q, path, "Member must have length less than or equal to 255");
    if (!name_chars_ok(name))
        ddb_vlist_add(v, q, path, "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
}

const char *ddb_input_name_list(struct ddb_arena *a, const ddb_slice *names, uint32_t n)
{
    struct ddb_buf b;
    ddb_buf_init(&b, a);
    ddb_buf_putc(&b, '[');
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            ddb_buf_puts(&b, ", ");
        ddb_buf_append(&b, names[i].ptr, names[i].len);
    }
    ddb_buf_putc(&b, ']');
    return b.ptr;
}
