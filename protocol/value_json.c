/*
 * value_json.c: AttributeValue JSON <-> value model (see value_json.h).
 */
#include "value_json.h"

#include <stdlib.h>

#include "base64.h"

/* ---- names of the ten type keys ---- */

static const struct {
    const char *key;
    enum ddb_type type;
} type_keys[] = {
    {"S", DDB_T_S},   {"N", DDB_T_N},   {"B", DDB_T_B}, {"SS", DDB_T_SS}, {"NS", DDB_T_NS},
    {"BS", DDB_T_BS}, {"M", DDB_T_M},   {"L", DDB_T_L}, {"NULL", DDB_T_NULL},
    {"BOOL", DDB_T_BOOL},
};

static int type_of_key(ddb_slice key)
{
    for (size_t i = 0; i < DDB_ARRAY_LEN(type_keys); i++) {
        if (ddb_slice_eq_cstr(key, type_keys[i].key))
            return (int)type_keys[i].type;
    }
    return -1;
}

/* ---- pass 1: deserialization (the service's SerializationException) ---- */

#define MSG_START_MAP "Start of structure or map found where not expected"
#define MSG_FIELD_TYPE "Unexpected field type"
#define MSG_VALUE_TYPE "Unexpected value type in payload"
#define MSG_AV_COLLECTION "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue"
#define MSG_MAP_COLLECTION                                                                         \
    "Unrecognized collection type java.util.Map<java.lang.String, "                               \
    "com.amazonaws.dynamodb.v20120810.AttributeValue>"

/* Static messages go in as they are (no printf-style formatting). */
static int fail_static(struct ddb_error *err, enum ddb_error_code code, const char *msg)
{
    err->code = code;
    err->message = msg;
    err->item = NULL;
    return -1;
}

static int ser(struct ddb_error *err, const char *msg)
{
    return fail_static(err, DDB_ERR_SERIALIZATION, msg);
}

static bool json_number_is_integer(const struct ddb_json *j)
{
    for (size_t i = 0; i < j->u.str.len; i++) {
        char c = j->u.str.ptr[i];
        if (c == '.' || c == 'e' || c == 'E')
            return false;
    }
    return true;
}

/* A String member (S, N, SS and NS elements). null is left to validation. */
static int check_string(const struct ddb_json *j, struct ddb_error *err)
{
    switch (j->type) {
    case DDB_JSON_NULL:
    case DDB_JSON_STRING:
        return 0;
    case DDB_JSON_TRUE:
        return ser(err, "TRUE_VALUE cannot be converted to String");
    case DDB_JSON_FALSE:
        return ser(err, "FALSE_VALUE cannot be converted to String");
    case DDB_JSON_NUMBER:
        return ser(err, json_number_is_integer(j) ? "NUMBER_VALUE cannot be converted to String"
                                                  : "DECIMAL_VALUE cannot be converted to String");
    case DDB_JSON_ARRAY:
        return ser(err, "Unrecognized collection type class java.lang.String");
    case DDB_JSON_OBJECT:
        return ser(err, MSG_START_MAP);
    }
    return 0;
}

/* A Blob member (B, BS elements): a string that is valid base64. */
static int check_blob(struct ddb_arena *a, const struct ddb_json *j, struct ddb_error *err)
{
    switch (j->type) {
    case DDB_JSON_NULL:
        return 0;
    case DDB_JSON_STRING: {
        ddb_slice out;
        return ddb_base64_decode(a, j->u.str.ptr, j->u.str.len, &out, err);
    }
    case DDB_JSON_TRUE:
    case DDB_JSON_FALSE:
    case DDB_JSON_NUMBER:
        return ser(err, "only base-64-encoded strings are convertible to bytes");
    case DDB_JSON_ARRAY:
        return ser(err, "Unrecognized collection type class java.nio.ByteBuffer");
    case DDB_JSON_OBJECT:
        return ser(err, MSG_START_MAP);
    }
    return 0;
}

/* A Boolean member (BOOL, NULL). */
static int check_boolean(const struct ddb_json *j, struct ddb_error *err)
{
    switch (j->type) {
    case DDB_JSON_NULL:
    case DDB_JSON_TRUE:
    case DDB_JSON_FALSE:
        return 0;
    case DDB_JSON_STRING:
        return ser(err, "Unexpected token received from parser");
    case DDB_JSON_NUMBER:
        return ser(err, json_number_is_integer(j) ? "NUMBER_VALUE cannot be converted to Boolean"
                                                  : "DECIMAL_VALUE cannot be converted to Boolean");
    case DDB_JSON_ARRAY:
        return ser(err, "Unrecognized collection type class java.lang.Boolean");
    case DDB_JSON_OBJECT:
        return ser(err, MSG_START_MAP);
    }
    return 0;
}

static int check_av(struct ddb_arena *a, const struct ddb_json *j, int depth, struct ddb_error *err);

/* A List member (SS, NS, BS, L). */
static int check_list(struct ddb_arena *a, const struct ddb_json *j, enum ddb_type t, int depth,
                      struct ddb_error *err)
{
    if (j->type == DDB_JSON_NULL)
        return 0;
    if (j->type == DDB_JSON_OBJECT)
        return ser(err, MSG_START_MAP);
    if (j->type != DDB_JSON_ARRAY)
        return ser(err, MSG_FIELD_TYPE);
    for (uint32_t i = 0; i < j->count; i++) {
        const struct ddb_json *e = &j->u.items[i];
        int rc = t == DDB_T_BS   ? check_blob(a, e, err)
                 : t == DDB_T_L ? check_av(a, e, depth + 1, err)
                                : check_string(e, err);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int check_map(struct ddb_arena *a, const struct ddb_json *j, int depth, struct ddb_error *err)
{
    if (j->type == DDB_JSON_NULL)
        return 0;
    if (j->type == DDB_JSON_ARRAY)
        return ser(err, MSG_MAP_COLLECTION);
    if (j->type != DDB_JSON_OBJECT)
        return ser(err, MSG_FIELD_TYPE);
    for (uint32_t i = 0; i < j->count; i++) {
        if (check_av(a, &j->u.members[i].value, depth + 1, err) != 0)
            return -1;
    }
    return 0;
}

/* An AttributeValue position. depth guards the recursion (the JSON reader
 * caps nesting too, but DOMs may be built by hand). */
static int check_av(struct ddb_arena *a, const struct ddb_json *j, int depth, struct ddb_error *err)
{
    if (depth > DDB_JSON_MAX_DEPTH)
        return 0; /* deeper than any request the reader accepts; pass 2 refuses it */
    switch (j->type) {
    case DDB_JSON_NULL:
        return 0;
    case DDB_JSON_ARRAY:
        return ser(err, MSG_AV_COLLECTION);
    case DDB_JSON_OBJECT:
        break;
    default:
        return ser(err, MSG_VALUE_TYPE);
    }
    for (uint32_t i = 0; i < j->count; i++) {
        const struct ddb_json *v = &j->u.members[i].value;
        int rc = 0;
        switch (type_of_key(j->u.members[i].key)) {
        case DDB_T_S:
        case DDB_T_N:
            rc = check_string(v, err);
            break;
        case DDB_T_B:
            rc = check_blob(a, v, err);
            break;
        case DDB_T_BOOL:
        case DDB_T_NULL:
            rc = check_boolean(v, err);
            break;
        case DDB_T_SS:
        case DDB_T_NS:
        case DDB_T_BS:
        case DDB_T_L:
            rc = check_list(a, v, (enum ddb_type)type_of_key(j->u.members[i].key), depth, err);
            break;
        case DDB_T_M:
            rc = check_map(a, v, depth, err);
            break;
        default:
            break; /* unknown members are ignored, as the service does */
        }
        if (rc != 0)
            return rc;
    }
    return 0;
}

int ddb_value_json_check(struct ddb_arena *a, const struct ddb_json *j, struct ddb_error *err)
{
    return check_av(a, j, 0, err);
}

int ddb_item_json_check(struct ddb_arena *a, const struct ddb_json *obj, struct ddb_error *err)
{
    return check_map(a, obj, 0, err);
}

/* ---- pass 2: validation and conversion ---- */

#define MSG_NESTING                                                                                \
    "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels "    \
    "beyond supported limit"

static int inval(struct ddb_error *err, const char *msg)
{
    return fail_static(err, DDB_ERR_VALIDATION, msg);
}

/* Nested M/L levels of an AttributeValue, counting stops past limit. */
static int json_nesting(const struct ddb_json *j, int limit)
{
    if (j->type != DDB_JSON_OBJECT || limit < 0)
        return 0;
    int best = 0;
    for (uint32_t i = 0; i < j->count && best <= limit; i++) {
        const struct ddb_json *v = &j->u.members[i].value;
        int t = type_of_key(j->u.members[i].key);
        int d = 0;
        if (t == DDB_T_L && v->type == DDB_JSON_ARRAY) {
            d = 1;
            for (uint32_t k = 0; k < v->count && d <= limit; k++) {
                int s = 1 + json_nesting(&v->u.items[k], limit - 1);
                d = s > d ? s : d;
            }
        } else if (t == DDB_T_M && v->type == DDB_JSON_OBJECT) {
            d = 1;
            for (uint32_t k = 0; k < v->count && d <= limit; k++) {
                int s = 1 + json_nesting(&v->u.members[k].value, limit - 1);
                d = s > d ? s : d;
            }
        }
        best = d > best ? d : best;
    }
    return best;
}

static int convert(struct ddb_arena *a, const struct ddb_json *j, const ddb_slice *name,
                   struct ddb_value *out, struct ddb_error *err);

static int null_value(struct ddb_arena *a, const ddb_slice *name, struct ddb_error *err)
{
    if (name == NULL)
        return inval(err, "The supplied Item contains a null AttributeValue");
    return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                         "The supplied Item contains a null AttributeValue: %.*s is null",
                         (int)name->len, name->ptr);
}

struct sort_ctx {
    const struct ddb_value *elems;
};

static int cmp_bytes_idx(const void *x, const void *y, void *ctx)
{
    const struct ddb_value *e = ((struct sort_ctx *)ctx)->elems;
    uint32_t i = *(const uint32_t *)x, k = *(const uint32_t *)y;
    int c = ddb_slice_cmp(e[i].u.str, e[k].u.str);
    return c ? c : (i > k) - (i < k);
}

static int cmp_num_idx(const void *x, const void *y, void *ctx)
{
    const struct ddb_value *e = ((struct sort_ctx *)ctx)->elems;
    uint32_t i = *(const uint32_t *)x, k = *(const uint32_t *)y;
    int c = ddb_decimal_cmp(&e[i].u.num, &e[k].u.num);
    return c ? c : (i > k) - (i < k);
}

/* The smallest index k < n such that elems[k] equals an earlier element, or
 * n if none: the first duplicate a one-by-one insertion would meet. */
static uint32_t first_duplicate(struct ddb_arena *a, const struct ddb_value *elems, uint32_t n,
                                bool numeric)
{
    if (n < 2)
        return n;
    uint32_t *idx = ddb_arena_alloc(a, (size_t)n * sizeof *idx);
    for (uint32_t i = 0; i < n; i++)
        idx[i] = i;
    struct sort_ctx ctx = {elems};
    qsort_r(idx, n, sizeof *idx, numeric ? cmp_num_idx : cmp_bytes_idx, &ctx);
    uint32_t best = n;
    for (uint32_t i = 1; i < n; i++) {
        const struct ddb_value *p = &elems[idx[i - 1]], *q = &elems[idx[i]];
        bool same = numeric ? ddb_decimal_cmp(&p->u.num, &q->u.num) == 0
                            : ddb_slice_eq(p->u.str, q->u.str);
        if (same && idx[i] < best)
            best = idx[i];
    }
    return best;
}

static int string_set(struct ddb_arena *a, const struct ddb_json *j, struct ddb_value *out,
                      struct ddb_error *err)
{
    if (j->count == 0)
        return inval(err, "One or more parameter values were invalid: An string set  may not be empty");
    out->u.elems = ddb_arena_calloc(a, j->count, sizeof *out->u.elems);
    for (uint32_t i = 0; i < j->count; i++) {
        const struct ddb_json *e = &j->u.items[i];
        if (e->type == DDB_JSON_NULL)
            return inval(err, "One or more parameter values were invalid: An string set may not "
                              "have a null string as a member");
        out->u.elems[i].type = DDB_T_S;
        out->u.elems[i].u.str = e->u.str;
    }
    out->count = j->count;
    if (first_duplicate(a, out->u.elems, j->count, false) < j->count) {
        /* Java's List.toString of the input: "[a, b, a]" */
        struct ddb_buf b;
        ddb_buf_init(&b, a);
        ddb_buf_puts(&b, "One or more parameter values were invalid: Input collection [");
        for (uint32_t i = 0; i < j->count; i++) {
            if (i)
                ddb_buf_puts(&b, ", ");
            ddb_buf_append(&b, j->u.items[i].u.str.ptr, j->u.items[i].u.str.len);
        }
        ddb_buf_puts(&b, "] contains duplicates");
        err->code = DDB_ERR_VALIDATION;
        err->message = b.ptr;
        err->item = NULL;
        return -1;
    }
    return 0;
}

static int number_set(struct ddb_arena *a, const struct ddb_json *j, struct ddb_value *out,
                      struct ddb_error *err)
{
    if (j->count == 0)
        return inval(err, "One or more parameter values were invalid: An number set  may not be empty");
    out->u.elems = ddb_arena_calloc(a, j->count, sizeof *out->u.elems);
    /* The service parses members one by one and meets a duplicate when it
     * inserts it: report whichever comes first. */
    uint32_t bad = j->count;
    enum ddb_decimal_status bad_st = DDB_DEC_OK;
    for (uint32_t i = 0; i < j->count; i++) {
        const struct ddb_json *e = &j->u.items[i];
        enum ddb_decimal_status st = DDB_DEC_SYNTAX; /* a null member is not a number */
        out->u.elems[i].type = DDB_T_N;
        if (e->type == DDB_JSON_STRING)
            st = ddb_decimal_parse(e->u.str.ptr, e->u.str.len, &out->u.elems[i].u.num);
        if (st != DDB_DEC_OK) {
            bad = i;
            bad_st = st;
            break;
        }
    }
    if (first_duplicate(a, out->u.elems, bad, true) < bad)
        return inval(err, "Input collection contains duplicates");
    if (bad < j->count)
        return inval(err, ddb_decimal_message(bad_st));
    out->count = j->count;
    return 0;
}

static int binary_set(struct ddb_arena *a, const struct ddb_json *j, struct ddb_value *out,
                      struct ddb_error *err)
{
    if (j->count == 0)
        return inval(err, "One or more parameter values were invalid: Binary sets should not be empty");
    out->u.elems = ddb_arena_calloc(a, j->count, sizeof *out->u.elems);
    for (uint32_t i = 0; i < j->count; i++) {
        const struct ddb_json *e = &j->u.items[i];
        if (e->type != DDB_JSON_STRING) /* wording unverified: DynamoDB Local answers 500 */
            return inval(err, "One or more parameter values were invalid: A binary set may not "
                              "have a null binary as a member");
        out->u.elems[i].type = DDB_T_B;
        if (ddb_base64_decode(a, e->u.str.ptr, e->u.str.len, &out->u.elems[i].u.str, err) != 0)
            return -1;
    }
    if (first_duplicate(a, out->u.elems, j->count, false) < j->count)
        return inval(err, "One or more parameter values were invalid: Input collection of type BS "
                          "contains duplicates.");
    out->count = j->count;
    return 0;
}

static int convert_map(struct ddb_arena *a, const struct ddb_json *j, struct ddb_attr **members,
                       uint32_t *count, struct ddb_error *err)
{
    struct ddb_attr *m = ddb_arena_calloc(a, j->count ? j->count : 1, sizeof *m);
    for (uint32_t i = 0; i < j->count; i++) {
        const struct ddb_json_member *jm = &j->u.members[i];
        if (jm->key.len == 0)
            return inval(err, "Empty attribute name");
        m[i].name = jm->key;
        if (convert(a, &jm->value, &jm->key, &m[i].value, err) != 0)
            return -1;
    }
    *members = m;
    *count = j->count;
    return 0;
}

/* One AttributeValue position; name is the attribute or member name when the
 * position is a map member (for the null message), NULL in lists. Nesting was
 * checked by the caller for the whole value. */
static int convert(struct ddb_arena *a, const struct ddb_json *j, const ddb_slice *name,
                   struct ddb_value *out, struct ddb_error *err)
{
    if (j->type == DDB_JSON_NULL)
        return null_value(a, name, err);
    /* pass 1 guarantees an object here, and the members' JSON types */
    const struct ddb_json *val = NULL;
    int type = -1, found = 0;
    for (uint32_t i = 0; i < j->count; i++) {
        int t = type_of_key(j->u.members[i].key);
        if (t < 0 || j->u.members[i].value.type == DDB_JSON_NULL)
            continue;
        found++;
        type = t;
        val = &j->u.members[i].value;
    }
    if (found == 0)
        return inval(err, "Supplied AttributeValue is empty, must contain exactly one of the "
                          "supported datatypes");
    if (found > 1)
        return inval(err, "Supplied AttributeValue has more than one datatypes set, must contain "
                          "exactly one of the supported datatypes");
    memset(out, 0, sizeof *out);
    out->type = (enum ddb_type)type;
    switch (out->type) {
    case DDB_T_S:
        out->u.str = val->u.str;
        return 0;
    case DDB_T_N: {
        enum ddb_decimal_status st = ddb_decimal_parse(val->u.str.ptr, val->u.str.len, &out->u.num);
        return st == DDB_DEC_OK ? 0 : inval(err, ddb_decimal_message(st));
    }
    case DDB_T_B:
        return ddb_base64_decode(a, val->u.str.ptr, val->u.str.len, &out->u.str, err);
    case DDB_T_BOOL:
        out->u.boolean = val->type == DDB_JSON_TRUE;
        return 0;
    case DDB_T_NULL:
        if (val->type != DDB_JSON_TRUE)
            return inval(err, "One or more parameter values were invalid: Null attribute value "
                              "types must have the value of true");
        return 0;
    case DDB_T_SS:
        return string_set(a, val, out, err);
    case DDB_T_NS:
        return number_set(a, val, out, err);
    case DDB_T_BS:
        return binary_set(a, val, out, err);
    case DDB_T_L:
        out->u.elems = ddb_arena_calloc(a, val->count ? val->count : 1, sizeof *out->u.elems);
        for (uint32_t i = 0; i < val->count; i++) {
            if (convert(a, &val->u.items[i], NULL, &out->u.elems[i], err) != 0)
                return -1;
        }
        out->count = val->count;
        return 0;
    case DDB_T_M:
        return convert_map(a, val, &out->u.members, &out->count, err);
    }
    return 0;
}

static int convert_top(struct ddb_arena *a, const struct ddb_json *j, const ddb_slice *name,
                       int max_nesting, struct ddb_value *out, struct ddb_error *err)
{
    if (json_nesting(j, max_nesting) > max_nesting)
        return inval(err, MSG_NESTING);
    return convert(a, j, name, out, err);
}

int ddb_value_from_json(struct ddb_arena *a, const struct ddb_json *j, struct ddb_value *out,
                        struct ddb_error *err)
{
    if (ddb_value_json_check(a, j, err) != 0)
        return -1;
    return convert_top(a, j, NULL, DDB_MAX_NESTING_DEPTH, out, err);
}

int ddb_item_from_json(struct ddb_arena *a, const struct ddb_json *obj, struct ddb_item *out,
                       struct ddb_error *err)
{
    if (obj->type == DDB_JSON_NULL) {
        out->count = 0;
        out->attrs = NULL;
        return 0;
    }
    if (ddb_item_json_check(a, obj, err) != 0)
        return -1;
    struct ddb_attr *attrs = ddb_arena_calloc(a, obj->count ? obj->count : 1, sizeof *attrs);
    for (uint32_t i = 0; i < obj->count; i++) {
        const struct ddb_json_member *m = &obj->u.members[i];
        if (m->key.len == 0)
            return inval(err, "Empty attribute name");
        attrs[i].name = m->key;
        /* the item itself is one of the 32 levels */
        if (convert_top(a, &m->value, &m->key, DDB_MAX_NESTING_DEPTH - 1, &attrs[i].value, err) != 0)
            return -1;
    }
    out->count = obj->count;
    out->attrs = attrs;
    return 0;
}

int ddb_value_error_in_eav(struct ddb_arena *a, struct ddb_error *err, ddb_slice placeholder)
{
    if (err->code != DDB_ERR_VALIDATION)
        return -1;
    const char *core = err->message;
    return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                         "ExpressionAttributeValues contains invalid value: %s for key %.*s", core,
                         (int)placeholder.len, placeholder.ptr);
}

/* ---- writer ---- */

static void write_scalar_elem(struct ddb_json_writer *w, const struct ddb_value *v)
{
    if (v->type == DDB_T_N) {
        char buf[DDB_DECIMAL_TEXT_MAX];
        size_t n = ddb_decimal_format(&v->u.num, buf);
        ddb_jw_string(w, buf, n);
    } else if (v->type == DDB_T_B) {
        size_t n = ddb_base64_encoded_len(v->u.str.len);
        char *tmp = ddb_arena_alloc(w->buf->arena, n);
        ddb_base64_encode(v->u.str.ptr, v->u.str.len, tmp);
        ddb_jw_string(w, tmp, n);
    } else {
        ddb_jw_string(w, v->u.str.ptr, v->u.str.len);
    }
}

void ddb_value_to_json(struct ddb_json_writer *w, const struct ddb_value *v)
{
    ddb_jw_object_begin(w);
    ddb_jw_key_cstr(w, ddb_type_name(v->type));
    switch (v->type) {
    case DDB_T_S:
    case DDB_T_N:
    case DDB_T_B:
        write_scalar_elem(w, v);
        break;
    case DDB_T_NULL:
        ddb_jw_bool(w, true);
        break;
    case DDB_T_BOOL:
        ddb_jw_bool(w, v->u.boolean);
        break;
    case DDB_T_SS:
    case DDB_T_NS:
    case DDB_T_BS:
        ddb_jw_array_begin(w);
        for (uint32_t i = 0; i < v->count; i++)
            write_scalar_elem(w, &v->u.elems[i]);
        ddb_jw_array_end(w);
        break;
    case DDB_T_L:
        ddb_jw_array_begin(w);
        for (uint32_t i = 0; i < v->count; i++)
            ddb_value_to_json(w, &v->u.elems[i]);
        ddb_jw_array_end(w);
        break;
    case DDB_T_M:
        ddb_jw_object_begin(w);
        for (uint32_t i = 0; i < v->count; i++) {
            ddb_jw_key(w, v->u.members[i].name.ptr, v->u.members[i].name.len);
            ddb_value_to_json(w, &v->u.members[i].value);
        }
        ddb_jw_object_end(w);
        break;
    }
    ddb_jw_object_end(w);
}

void ddb_item_to_json(struct ddb_json_writer *w, const struct ddb_item *item)
{
    ddb_jw_object_begin(w);
    for (uint32_t i = 0; i < item->count; i++) {
        ddb_jw_key(w, item->attrs[i].name.ptr, item->attrs[i].name.len);
        ddb_value_to_json(w, &item->attrs[i].value);
    }
    ddb_jw_object_end(w);
}
