/* catalog_codec.c: one table definition to and from its stored JSON form
 * (catalog_codec.h). The bytes read are untrusted: every member is checked. */
#include "catalog_codec.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "protocol/json.h"

/* ---- serialisation of a definition (JSON in the meta family) ---- */

static const char *type_code(enum ddb_type t)
{
    return t == DDB_T_N ? "N" : t == DDB_T_B ? "B" : "S";
}

/* d is finite (the decoder rejects the rest); 17 significant digits read back
 * as the same double, so a definition survives a restart exactly. */
static void write_double(struct ddb_json_writer *w, double d)
{
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%.17g", d);
    assert(n > 0 && (size_t)n < sizeof buf);
    ddb_jw_raw(w, buf, (size_t)n);
}

/* One index: {"name", "id", "local", "hash", "hash_type", ["range",
 * "range_type"], "proj" (0 ALL, 1 KEYS_ONLY, 2 INCLUDE), "nka": [...], "tp",
 * "rcu", "wcu", "mr", "mw", "status" (0 ACTIVE, 1 CREATING)}. Definitions
 * written before indexes existed have no "indexes" member. */
static void index_encode(struct ddb_json_writer *w, const struct ddb_index_def *x)
{
    ddb_jw_object_begin(w);
    ddb_jw_key_cstr(w, "name");
    ddb_jw_string(w, x->name.ptr, x->name.len);
    ddb_jw_key_cstr(w, "id");
    ddb_jw_int(w, (int64_t)x->id);
    ddb_jw_key_cstr(w, "local");
    ddb_jw_bool(w, x->local);
    ddb_jw_key_cstr(w, "hash");
    ddb_jw_string(w, x->key.hash_name.ptr, x->key.hash_name.len);
    ddb_jw_key_cstr(w, "hash_type");
    ddb_jw_string_cstr(w, type_code(x->key.hash_type));
    if (x->key.has_range) {
        ddb_jw_key_cstr(w, "range");
        ddb_jw_string(w, x->key.range_name.ptr, x->key.range_name.len);
        ddb_jw_key_cstr(w, "range_type");
        ddb_jw_string_cstr(w, type_code(x->key.range_type));
    }
    ddb_jw_key_cstr(w, "proj");
    ddb_jw_int(w, x->projection);
    ddb_jw_key_cstr(w, "nka");
    ddb_jw_array_begin(w);
    for (uint32_t k = 0; k < x->non_key_count; k++)
        ddb_jw_string(w, x->non_key[k].ptr, x->non_key[k].len);
    ddb_jw_array_end(w);
    ddb_jw_key_cstr(w, "tp");
    ddb_jw_bool(w, x->has_throughput);
    ddb_jw_key_cstr(w, "rcu");
    ddb_jw_int(w, x->read_capacity);
    ddb_jw_key_cstr(w, "wcu");
    ddb_jw_int(w, x->write_capacity);
    ddb_jw_key_cstr(w, "mr");
    ddb_jw_int(w, x->max_read_units);
    ddb_jw_key_cstr(w, "mw");
    ddb_jw_int(w, x->max_write_units);
    ddb_jw_key_cstr(w, "status");
    ddb_jw_int(w, x->status == DDB_INDEX_CREATING ? 1 : 0);
    ddb_jw_object_end(w);
}

void ddb_catalog_table_encode(const struct ddb_table *t, struct ddb_buf *out)
{
    struct ddb_json_writer w;
    ddb_jw_init(&w, out);
    ddb_jw_object_begin(&w);
    ddb_jw_key_cstr(&w, "v");
    ddb_jw_int(&w, 1);
    ddb_jw_key_cstr(&w, "id");
    ddb_jw_int(&w, (int64_t)t->id);
    ddb_jw_key_cstr(&w, "uuid");
    ddb_jw_string_cstr(&w, t->uuid);
    ddb_jw_key_cstr(&w, "name");
    ddb_jw_string(&w, t->def.name.ptr, t->def.name.len);
    ddb_jw_key_cstr(&w, "created");
    write_double(&w, t->created);
    ddb_jw_key_cstr(&w, "hash");
    ddb_jw_string(&w, t->def.key.hash_name.ptr, t->def.key.hash_name.len);
    ddb_jw_key_cstr(&w, "hash_type");
    ddb_jw_string_cstr(&w, type_code(t->def.key.hash_type));
    if (t->def.key.has_range) {
        ddb_jw_key_cstr(&w, "range");
        ddb_jw_string(&w, t->def.key.range_name.ptr, t->def.key.range_name.len);
        ddb_jw_key_cstr(&w, "range_type");
        ddb_jw_string_cstr(&w, type_code(t->def.key.range_type));
    }
    ddb_jw_key_cstr(&w, "attrs");
    ddb_jw_array_begin(&w);
    for (uint32_t i = 0; i < t->def.attr_def_count; i++) {
        ddb_jw_array_begin(&w);
        ddb_jw_string(&w, t->def.attr_defs[i].name.ptr, t->def.attr_defs[i].name.len);
        ddb_jw_string_cstr(&w, type_code(t->def.attr_defs[i].type));
        ddb_jw_array_end(&w);
    }
    ddb_jw_array_end(&w);
    ddb_jw_key_cstr(&w, "billing");
    ddb_jw_int(&w, t->def.billing);
    ddb_jw_key_cstr(&w, "billing_explicit");
    ddb_jw_bool(&w, t->def.billing_explicit);
    ddb_jw_key_cstr(&w, "rcu");
    ddb_jw_int(&w, t->def.read_capacity);
    ddb_jw_key_cstr(&w, "wcu");
    ddb_jw_int(&w, t->def.write_capacity);
    ddb_jw_key_cstr(&w, "billing_updated");
    write_double(&w, t->billing_updated);
    ddb_jw_key_cstr(&w, "tp_inc");
    write_double(&w, t->throughput_increased);
    ddb_jw_key_cstr(&w, "tp_dec");
    write_double(&w, t->throughput_decreased);
    ddb_jw_key_cstr(&w, "tags");
    ddb_jw_array_begin(&w);
    for (uint32_t i = 0; i < t->def.tag_count; i++) {
        ddb_jw_array_begin(&w);
        ddb_jw_string(&w, t->def.tags[i].key.ptr, t->def.tags[i].key.len);
        ddb_jw_string(&w, t->def.tags[i].value.ptr, t->def.tags[i].value.len);
        ddb_jw_array_end(&w);
    }
    ddb_jw_array_end(&w);
    ddb_jw_key_cstr(&w, "indexes");
    ddb_jw_array_begin(&w);
    for (uint32_t i = 0; i < t->def.index_count; i++)
        index_encode(&w, &t->def.indexes[i]);
    ddb_jw_array_end(&w);
    ddb_jw_object_end(&w);
}

/* Decoding helpers: bytes from disk are untrusted, so every field is checked.
 * A failure sets *err to a static message naming the member and the reason. */
#define BAD(m, why) "corrupt catalog: table definition: member \"" m "\" " why

/* msg is a literal without conversions: ddb_error_set keeps it as is. */
#define bad(err, msg) ddb_error_set(err, NULL, DDB_ERR_INTERNAL, msg)

static bool get_str(const struct ddb_json *o, const char *k, ddb_slice *out)
{
    const struct ddb_json *v = ddb_json_get(o, k);
    if (v == NULL || v->type != DDB_JSON_STRING)
        return false;
    *out = v->u.str;
    return true;
}

/* An integer member read exactly (never through a double, which loses
 * integers above 2^53): optional '-', then digits, within [lo, hi]. */
static bool get_int(const struct ddb_json *o, const char *k, int64_t lo, int64_t hi, int64_t *out)
{
    const struct ddb_json *v = ddb_json_get(o, k);
    if (v == NULL || v->type != DDB_JSON_NUMBER)
        return false;
    const char *p = v->u.str.ptr;
    size_t n = v->u.str.len, i = 0;
    bool neg = n > 0 && p[0] == '-';
    i = neg ? 1 : 0;
    if (i == n)
        return false;
    uint64_t mag = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        unsigned d = (unsigned)(p[i] - '0');
        if (mag > (limit - d) / 10)
            return false;
        mag = mag * 10 + d;
    }
    int64_t x = neg ? (mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag) : (int64_t)mag;
    if (x < lo || x > hi)
        return false;
    *out = x;
    return true;
}

/* A member that is absent takes dflt; one that is present must be valid. */
static bool get_int_opt(const struct ddb_json *o, const char *k, int64_t dflt, int64_t *out)
{
    if (ddb_json_get(o, k) == NULL) {
        *out = dflt;
        return true;
    }
    return get_int(o, k, INT64_MIN, INT64_MAX, out);
}

/* A finite number (times in seconds); absent optional members take 0. */
static bool get_num(struct ddb_arena *a, const struct ddb_json *o, const char *k, bool optional,
                    double *out)
{
    const struct ddb_json *v = ddb_json_get(o, k);
    if (v == NULL && optional) {
        *out = 0;
        return true;
    }
    if (v == NULL || v->type != DDB_JSON_NUMBER)
        return false;
    char *s = ddb_arena_memdup(a, v->u.str.ptr, v->u.str.len);
    char *end;
    *out = strtod(s, &end);
    return *end == '\0' && isfinite(*out); /* the encoder has no form for the rest */
}

static bool get_type(const struct ddb_json *o, const char *k, enum ddb_type *out)
{
    ddb_slice s;
    return get_str(o, k, &s) && ddb_key_type_parse(s, out);
}

static bool slice_type(const struct ddb_json *v, enum ddb_type *out)
{
    if (v->type != DDB_JSON_STRING)
        return false;
    struct ddb_json o = {.type = DDB_JSON_OBJECT, .count = 1};
    struct ddb_json_member m = {.key = DDB_SLICE_LIT("t"), .value = *v};
    o.u.members = &m;
    return get_type(&o, "t", out);
}

#define INT_OR_BAD(o, k, lo, hi, out)                                                      \
    if (!get_int(o, k, lo, hi, out))                                                       \
        return bad(err, BAD(k, "is missing or not an integer in [" #lo ", " #hi "]"))
#define STR_OR_BAD(o, k, out)                                                              \
    if (!get_str(o, k, out))                                                               \
        return bad(err, BAD(k, "is missing or not a string"))
#define TYPE_OR_BAD(o, k, out)                                                             \
    if (!get_type(o, k, out))                                                              \
        return bad(err, BAD(k, "is missing or not \"S\", \"N\" or \"B\""))

static int index_decode(struct ddb_arena *a, const struct ddb_json *o, struct ddb_index_def *x,
                        struct ddb_error *err)
{
    int64_t id, proj, rcu, wcu, mr, mw, status;
    if (o->type != DDB_JSON_OBJECT)
        return bad(err, "corrupt catalog: table definition: an index is not an object");
    STR_OR_BAD(o, "name", &x->name);
    INT_OR_BAD(o, "id", 1, INT64_MAX, &id);
    STR_OR_BAD(o, "hash", &x->key.hash_name);
    TYPE_OR_BAD(o, "hash_type", &x->key.hash_type);
    INT_OR_BAD(o, "proj", 0, 2, &proj);
    INT_OR_BAD(o, "rcu", INT64_MIN, INT64_MAX, &rcu);
    INT_OR_BAD(o, "wcu", INT64_MIN, INT64_MAX, &wcu);
    INT_OR_BAD(o, "status", INT64_MIN, INT64_MAX, &status);
    if (!get_int_opt(o, "mr", -1, &mr))
        return bad(err, BAD("mr", "is not an integer"));
    if (!get_int_opt(o, "mw", -1, &mw))
        return bad(err, BAD("mw", "is not an integer"));
    if (ddb_json_get(o, "range") != NULL) {
        x->key.has_range = true;
        STR_OR_BAD(o, "range", &x->key.range_name);
        TYPE_OR_BAD(o, "range_type", &x->key.range_type);
    }
    const struct ddb_json *local = ddb_json_get(o, "local");
    const struct ddb_json *tp = ddb_json_get(o, "tp");
    const struct ddb_json *nka = ddb_json_get(o, "nka");
    if (local == NULL || (local->type != DDB_JSON_TRUE && local->type != DDB_JSON_FALSE))
        return bad(err, BAD("local", "is missing or not a boolean"));
    if (nka == NULL || nka->type != DDB_JSON_ARRAY)
        return bad(err, BAD("nka", "is missing or not an array"));
    ddb_slice *nk = ddb_arena_calloc(a, nka->count + 1, sizeof *nk);
    for (uint32_t k = 0; k < nka->count; k++) {
        if (nka->u.items[k].type != DDB_JSON_STRING)
            return bad(err, BAD("nka", "holds something other than strings"));
        nk[k] = nka->u.items[k].u.str;
    }
    x->local = local->type == DDB_JSON_TRUE;
    x->has_throughput = tp != NULL && tp->type == DDB_JSON_TRUE;
    x->id = (uint64_t)id;
    x->projection = (enum ddb_projection_type)(int)proj;
    x->non_key = nk;
    x->non_key_count = nka->count;
    x->read_capacity = rcu;
    x->write_capacity = wcu;
    x->max_read_units = mr;
    x->max_write_units = mw;
    x->status = status == 1 ? DDB_INDEX_CREATING : DDB_INDEX_ACTIVE;
    return 0;
}

/* The body of ddb_catalog_table_decode: 0 with *def and *t filled (t: id,
 * uuid and the times), or -1 with err set. */
static int table_decode(struct ddb_arena *a, ddb_slice bytes, struct ddb_table_def *def,
                        struct ddb_table *t, struct ddb_error *err)
{
    struct ddb_json *root;
    struct ddb_json_error jerr;
    if (ddb_json_parse(a, bytes.ptr, bytes.len, &root, &jerr) != 0)
        return bad(err, "corrupt catalog: table definition: not JSON");
    if (root->type != DDB_JSON_OBJECT)
        return bad(err, "corrupt catalog: table definition: not a JSON object");
    int64_t v, id, billing, rcu, wcu;
    ddb_slice uuid;
    INT_OR_BAD(root, "v", 1, 1, &v);
    INT_OR_BAD(root, "id", 1, INT64_MAX, &id);
    if (!get_str(root, "uuid", &uuid) || uuid.len != 36)
        return bad(err, BAD("uuid", "is missing or not a string of 36 bytes"));
    STR_OR_BAD(root, "name", &def->name);
    if (!get_num(a, root, "created", false, &t->created))
        return bad(err, BAD("created", "is missing or not a finite number"));
    STR_OR_BAD(root, "hash", &def->key.hash_name);
    TYPE_OR_BAD(root, "hash_type", &def->key.hash_type);
    INT_OR_BAD(root, "billing", INT64_MIN, INT64_MAX, &billing);
    INT_OR_BAD(root, "rcu", INT64_MIN, INT64_MAX, &rcu);
    INT_OR_BAD(root, "wcu", INT64_MIN, INT64_MAX, &wcu);
    if (!get_num(a, root, "billing_updated", true, &t->billing_updated))
        return bad(err, BAD("billing_updated", "is not a finite number"));
    if (!get_num(a, root, "tp_inc", true, &t->throughput_increased))
        return bad(err, BAD("tp_inc", "is not a finite number"));
    if (!get_num(a, root, "tp_dec", true, &t->throughput_decreased))
        return bad(err, BAD("tp_dec", "is not a finite number"));
    if (ddb_json_get(root, "range") != NULL) {
        def->key.has_range = true;
        STR_OR_BAD(root, "range", &def->key.range_name);
        TYPE_OR_BAD(root, "range_type", &def->key.range_type);
    }
    const struct ddb_json *attrs = ddb_json_get(root, "attrs");
    const struct ddb_json *tags = ddb_json_get(root, "tags");
    if (attrs == NULL || attrs->type != DDB_JSON_ARRAY)
        return bad(err, BAD("attrs", "is missing or not an array"));
    if (tags == NULL || tags->type != DDB_JSON_ARRAY)
        return bad(err, BAD("tags", "is missing or not an array"));
    struct ddb_attr_def *ad = ddb_arena_calloc(a, attrs->count, sizeof *ad);
    for (uint32_t i = 0; i < attrs->count; i++) {
        const struct ddb_json *p = &attrs->u.items[i];
        if (p->type != DDB_JSON_ARRAY || p->count != 2 || p->u.items[0].type != DDB_JSON_STRING ||
            !slice_type(&p->u.items[1], &ad[i].type))
            return bad(err, BAD("attrs", "holds something other than [name, type] pairs"));
        ad[i].name = p->u.items[0].u.str;
    }
    struct ddb_tag *tg = ddb_arena_calloc(a, tags->count, sizeof *tg);
    for (uint32_t i = 0; i < tags->count; i++) {
        const struct ddb_json *p = &tags->u.items[i];
        if (p->type != DDB_JSON_ARRAY || p->count != 2 || p->u.items[0].type != DDB_JSON_STRING ||
            p->u.items[1].type != DDB_JSON_STRING)
            return bad(err, BAD("tags", "holds something other than [key, value] pairs"));
        tg[i].key = p->u.items[0].u.str;
        tg[i].value = p->u.items[1].u.str;
    }
    const struct ddb_json *ixs = ddb_json_get(root, "indexes");
    if (ixs != NULL) {
        if (ixs->type != DDB_JSON_ARRAY)
            return bad(err, BAD("indexes", "is not an array"));
        struct ddb_index_def *ix = ddb_arena_calloc(a, ixs->count + 1, sizeof *ix);
        for (uint32_t i = 0; i < ixs->count; i++)
            if (index_decode(a, &ixs->u.items[i], &ix[i], err) != 0)
                return -1;
        def->indexes = ix;
        def->index_count = ixs->count;
    }
    def->attr_defs = ad;
    def->attr_def_count = attrs->count;
    def->tags = tg;
    def->tag_count = tags->count;
    const struct ddb_json *be = ddb_json_get(root, "billing_explicit");
    def->billing_explicit = be != NULL && be->type == DDB_JSON_TRUE;
    def->billing = billing == 1 ? DDB_BILLING_PAY_PER_REQUEST : DDB_BILLING_PROVISIONED;
    def->read_capacity = rcu;
    def->write_capacity = wcu;
    t->id = (uint64_t)id;
    memcpy(t->uuid, uuid.ptr, 36);
    t->uuid[36] = '\0';
    return 0;
}

struct ddb_table *ddb_catalog_table_decode(struct ddb_arena *a, ddb_slice bytes,
                                           struct ddb_error *err)
{
    struct ddb_table_def def = {0};
    struct ddb_table fields = {0};
    if (table_decode(a, bytes, &def, &fields, err) != 0)
        return NULL;
    struct ddb_table *t = ddb_catalog_table_new(&def);
    t->id = fields.id;
    memcpy(t->uuid, fields.uuid, sizeof t->uuid);
    t->created = fields.created;
    t->billing_updated = fields.billing_updated;
    t->throughput_increased = fields.throughput_increased;
    t->throughput_decreased = fields.throughput_decreased;
    return t;
}
