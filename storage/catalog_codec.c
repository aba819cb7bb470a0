/* catalog_codec.c: one table definition to and from its stored JSON form
 * (catalog_codec.h). The bytes read are untrusted: every member is checked. */
#include "catalog_codec.h"

#include <assert.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "protocol/json.h"

/* ---- serialisation of a definition (JSON in the meta family) ---- */

static const char *type_code(enum ddb_type t)
{
    return t == DDB_T_N ? "N" : t == DDB_T_B ? "B" : "S";
}

/* d is finite (the decoder rejects the rest); "%.6f" of the largest double
 * takes 309 digits before the point. */
static void write_double(struct ddb_json_writer *w, double d)
{
    char buf[DBL_MAX_10_EXP + 32];
    int n = snprintf(buf, sizeof buf, "%.6f", d);
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

/* Decoding helpers: bytes from disk are untrusted, so every field is checked. */
static bool get_str(const struct ddb_json *o, const char *k, ddb_slice *out)
{
    const struct ddb_json *v = ddb_json_get(o, k);
    if (v == NULL || v->type != DDB_JSON_STRING)
        return false;
    *out = v->u.str;
    return true;
}

static bool get_num(struct ddb_arena *a, const struct ddb_json *o, const char *k, double *out)
{
    const struct ddb_json *v = ddb_json_get(o, k);
    if (v == NULL || v->type != DDB_JSON_NUMBER)
        return false;
    char *s = ddb_arena_memdup(a, v->u.str.ptr, v->u.str.len);
    char *end;
    *out = strtod(s, &end);
    return *end == '\0';
}

/* d can be converted to int64_t (and to uint64_t when d >= 0) without
 * undefined behaviour: a stored number out of range is corruption. */
static bool in_i64(double d)
{
    return d >= -9223372036854775808.0 && d < 9223372036854775808.0;
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

static bool index_decode(struct ddb_arena *a, const struct ddb_json *o, struct ddb_index_def *x)
{
    double id, proj, rcu, wcu, mr = -1, mw = -1, status;
    if (o->type != DDB_JSON_OBJECT || !get_str(o, "name", &x->name) || !get_num(a, o, "id", &id) ||
        id < 1 || !get_str(o, "hash", &x->key.hash_name) ||
        !get_type(o, "hash_type", &x->key.hash_type) || !get_num(a, o, "proj", &proj) ||
        proj < 0 || proj > 2 || !get_num(a, o, "rcu", &rcu) || !get_num(a, o, "wcu", &wcu) ||
        !get_num(a, o, "status", &status))
        return false;
    (void)get_num(a, o, "mr", &mr);
    (void)get_num(a, o, "mw", &mw);
    if (!in_i64(id) || !in_i64(rcu) || !in_i64(wcu) || !in_i64(mr) || !in_i64(mw))
        return false;
    if (ddb_json_get(o, "range") != NULL) {
        x->key.has_range = true;
        if (!get_str(o, "range", &x->key.range_name) ||
            !get_type(o, "range_type", &x->key.range_type))
            return false;
    }
    const struct ddb_json *local = ddb_json_get(o, "local");
    const struct ddb_json *tp = ddb_json_get(o, "tp");
    const struct ddb_json *nka = ddb_json_get(o, "nka");
    if (local == NULL || (local->type != DDB_JSON_TRUE && local->type != DDB_JSON_FALSE) ||
        nka == NULL || nka->type != DDB_JSON_ARRAY)
        return false;
    ddb_slice *nk = ddb_arena_calloc(a, nka->count + 1, sizeof *nk);
    for (uint32_t k = 0; k < nka->count; k++) {
        if (nka->u.items[k].type != DDB_JSON_STRING)
            return false;
        nk[k] = nka->u.items[k].u.str;
    }
    x->local = local->type == DDB_JSON_TRUE;
    x->has_throughput = tp != NULL && tp->type == DDB_JSON_TRUE;
    x->id = (uint64_t)id;
    x->projection = (enum ddb_projection_type)(int)proj;
    x->non_key = nk;
    x->non_key_count = nka->count;
    x->read_capacity = (int64_t)rcu;
    x->write_capacity = (int64_t)wcu;
    x->max_read_units = (int64_t)mr;
    x->max_write_units = (int64_t)mw;
    x->status = status == 1 ? DDB_INDEX_CREATING : DDB_INDEX_ACTIVE;
    return true;
}

struct ddb_table *ddb_catalog_table_decode(struct ddb_arena *a, ddb_slice bytes)
{
    struct ddb_json *root;
    struct ddb_json_error jerr;
    if (ddb_json_parse(a, bytes.ptr, bytes.len, &root, &jerr) != 0 ||
        root->type != DDB_JSON_OBJECT)
        return NULL;
    struct ddb_table_def def = {0};
    double v, id, billing, rcu, wcu, created, bu = 0, ti = 0, td = 0;
    ddb_slice uuid;
    if (!get_num(a, root, "v", &v) || v != 1 || !get_num(a, root, "id", &id) ||
        !get_str(root, "uuid", &uuid) || uuid.len != 36 || !get_str(root, "name", &def.name) ||
        !get_num(a, root, "created", &created) || !get_str(root, "hash", &def.key.hash_name) ||
        !get_type(root, "hash_type", &def.key.hash_type) || !get_num(a, root, "billing", &billing) ||
        !get_num(a, root, "rcu", &rcu) || !get_num(a, root, "wcu", &wcu) || id < 1 ||
        !in_i64(id) || !in_i64(rcu) || !in_i64(wcu))
        return NULL;
    (void)get_num(a, root, "billing_updated", &bu);
    (void)get_num(a, root, "tp_inc", &ti);
    (void)get_num(a, root, "tp_dec", &td);
    if (!isfinite(created) || !isfinite(bu) || !isfinite(ti) || !isfinite(td))
        return NULL; /* written back with %f, which has no JSON form for them */
    if (ddb_json_get(root, "range") != NULL) {
        def.key.has_range = true;
        if (!get_str(root, "range", &def.key.range_name) ||
            !get_type(root, "range_type", &def.key.range_type))
            return NULL;
    }
    const struct ddb_json *attrs = ddb_json_get(root, "attrs");
    const struct ddb_json *tags = ddb_json_get(root, "tags");
    if (attrs == NULL || attrs->type != DDB_JSON_ARRAY || tags == NULL ||
        tags->type != DDB_JSON_ARRAY)
        return NULL;
    struct ddb_attr_def *ad = ddb_arena_calloc(a, attrs->count, sizeof *ad);
    for (uint32_t i = 0; i < attrs->count; i++) {
        const struct ddb_json *p = &attrs->u.items[i];
        if (p->type != DDB_JSON_ARRAY || p->count != 2 || p->u.items[0].type != DDB_JSON_STRING ||
            !slice_type(&p->u.items[1], &ad[i].type))
            return NULL;
        ad[i].name = p->u.items[0].u.str;
    }
    struct ddb_tag *tg = ddb_arena_calloc(a, tags->count, sizeof *tg);
    for (uint32_t i = 0; i < tags->count; i++) {
        const struct ddb_json *p = &tags->u.items[i];
        if (p->type != DDB_JSON_ARRAY || p->count != 2 || p->u.items[0].type != DDB_JSON_STRING ||
            p->u.items[1].type != DDB_JSON_STRING)
            return NULL;
        tg[i].key = p->u.items[0].u.str;
        tg[i].value = p->u.items[1].u.str;
    }
    const struct ddb_json *ixs = ddb_json_get(root, "indexes");
    if (ixs != NULL) {
        if (ixs->type != DDB_JSON_ARRAY)
            return NULL;
        struct ddb_index_def *ix = ddb_arena_calloc(a, ixs->count + 1, sizeof *ix);
        for (uint32_t i = 0; i < ixs->count; i++)
            if (!index_decode(a, &ixs->u.items[i], &ix[i]))
                return NULL;
        def.indexes = ix;
        def.index_count = ixs->count;
    }
    def.attr_defs = ad;
    def.attr_def_count = attrs->count;
    def.tags = tg;
    def.tag_count = tags->count;
    const struct ddb_json *be = ddb_json_get(root, "billing_explicit");
    def.billing_explicit = be != NULL && be->type == DDB_JSON_TRUE;
    def.billing = billing == 1 ? DDB_BILLING_PAY_PER_REQUEST : DDB_BILLING_PROVISIONED;
    def.read_capacity = (int64_t)rcu;
    def.write_capacity = (int64_t)wcu;
    struct ddb_table *t = ddb_catalog_table_new(&def);
    t->id = (uint64_t)id;
    memcpy(t->uuid, uuid.ptr, 36);
    t->uuid[36] = '\0';
    t->created = created;
    t->billing_updated = bu;
    t->throughput_increased = ti;
    t->throughput_decreased = td;
    return t;
}
