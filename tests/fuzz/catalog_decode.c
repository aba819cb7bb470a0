/*
 * catalog_decode: storage/catalog_codec.c's table-definition decoder (the JSON
 * stored under "T" <name> in the meta family, read back at start-up) on
 * arbitrary bytes. A rejected input must come with a "corrupt catalog"
 * message. An accepted definition x must round-trip: dec(enc(x)) equals x
 * field by field (integers exactly, doubles bit for bit up to the sign of
 * zero), and the encoding is a fixed point (enc(dec(enc(x))) == enc(x)).
 * The first decode must also be exact: an integer member written in canonical
 * form (no leading zero, no "-0") decodes to the value its digits say, which
 * a detour through a double breaks above 2^53.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "protocol/json.h"
#include "storage/catalog_codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void must(int cond, const char *what)
{
    if (!cond) {
        fprintf(stderr, "catalog_decode: %s\n", what);
        abort();
    }
}

static void same_key(const struct ddb_key_schema *x, const struct ddb_key_schema *y)
{
    must(ddb_slice_eq(x->hash_name, y->hash_name) && x->hash_type == y->hash_type,
         "hash key changed");
    must(x->has_range == y->has_range, "has_range changed");
    if (x->has_range)
        must(ddb_slice_eq(x->range_name, y->range_name) && x->range_type == y->range_type,
             "range key changed");
}

static void same_index(const struct ddb_index_def *x, const struct ddb_index_def *y)
{
    must(ddb_slice_eq(x->name, y->name) && x->id == y->id && x->local == y->local,
         "index name, id or local changed");
    same_key(&x->key, &y->key);
    must(x->projection == y->projection && x->non_key_count == y->non_key_count,
         "index projection changed");
    for (uint32_t k = 0; k < x->non_key_count; k++)
        must(ddb_slice_eq(x->non_key[k], y->non_key[k]), "index NonKeyAttributes changed");
    must(x->has_throughput == y->has_throughput && x->read_capacity == y->read_capacity &&
             x->write_capacity == y->write_capacity && x->max_read_units == y->max_read_units &&
             x->max_write_units == y->max_write_units,
         "index throughput changed");
    must(x->status == y->status, "index status changed");
}

static void same_table(const struct ddb_table *t, const struct ddb_table *u)
{
    const struct ddb_table_def *x = &t->def, *y = &u->def;
    must(t->id == u->id && memcmp(t->uuid, u->uuid, sizeof t->uuid) == 0, "id or uuid changed");
    must(t->created == u->created && t->billing_updated == u->billing_updated &&
             t->throughput_increased == u->throughput_increased &&
             t->throughput_decreased == u->throughput_decreased,
         "a time changed");
    must(ddb_slice_eq(x->name, y->name), "name changed");
    same_key(&x->key, &y->key);
    must(x->attr_def_count == y->attr_def_count, "attribute definition count changed");
    for (uint32_t i = 0; i < x->attr_def_count; i++)
        must(ddb_slice_eq(x->attr_defs[i].name, y->attr_defs[i].name) &&
                 x->attr_defs[i].type == y->attr_defs[i].type,
             "attribute definition changed");
    must(x->billing == y->billing && x->billing_explicit == y->billing_explicit,
         "billing changed");
    must(x->read_capacity == y->read_capacity && x->write_capacity == y->write_capacity,
         "throughput changed");
    must(x->tag_count == y->tag_count, "tag count changed");
    for (uint32_t i = 0; i < x->tag_count; i++)
        must(ddb_slice_eq(x->tags[i].key, y->tags[i].key) &&
                 ddb_slice_eq(x->tags[i].value, y->tags[i].value),
             "tag changed");
    must(x->index_count == y->index_count, "index count changed");
    for (uint32_t i = 0; i < x->index_count; i++)
        same_index(&x->indexes[i], &y->indexes[i]);
}

/* Member k of o, when it is a canonical integer text, reads as v. */
static void exact(const struct ddb_json *o, const char *k, int64_t v)
{
    const struct ddb_json *m = ddb_json_get(o, k);
    if (m == NULL || m->type != DDB_JSON_NUMBER)
        return;
    ddb_slice t = m->u.str;
    size_t d = t.len > 0 && t.ptr[0] == '-';
    if (t.len > d + 1 && t.ptr[d] == '0')
        return; /* leading zero */
    if (t.len == 2 && d == 1 && t.ptr[1] == '0')
        return; /* -0 */
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%" PRId64, v);
    must(n > 0 && ddb_slice_eq(t, ddb_slice_make(buf, (size_t)n)),
         "an integer member did not decode to its digits");
}

static void exact_integers(struct ddb_arena *a, const uint8_t *data, size_t size,
                           const struct ddb_table *t)
{
    struct ddb_json *root;
    struct ddb_json_error jerr;
    must(ddb_json_parse(a, (const char *)data, size, &root, &jerr) == 0, "accepted non-JSON");
    exact(root, "id", (int64_t)t->id);
    exact(root, "rcu", t->def.read_capacity);
    exact(root, "wcu", t->def.write_capacity);
    const struct ddb_json *ixs = ddb_json_get(root, "indexes");
    for (uint32_t i = 0; i < t->def.index_count; i++) {
        const struct ddb_json *o = &ixs->u.items[i];
        const struct ddb_index_def *x = &t->def.indexes[i];
        exact(o, "id", (int64_t)x->id);
        exact(o, "rcu", x->read_capacity);
        exact(o, "wcu", x->write_capacity);
        exact(o, "mr", x->max_read_units);
        exact(o, "mw", x->max_write_units);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_error err = {0};
    struct ddb_table *t =
        ddb_catalog_table_decode(&a, ddb_slice_make((const char *)data, size), &err);
    if (t == NULL) {
        must(err.code == DDB_ERR_INTERNAL && err.message != NULL &&
                 strncmp(err.message, "corrupt catalog: ", 17) == 0,
             "a rejection without its reason");
    } else {
        exact_integers(&a, data, size, t);
        struct ddb_buf one, two;
        ddb_buf_init(&one, &a);
        ddb_buf_init(&two, &a);
        ddb_catalog_table_encode(t, &one);
        struct ddb_table *u = ddb_catalog_table_decode(&a, ddb_buf_slice(&one), &err);
        must(u != NULL, "its own encoding does not decode");
        same_table(t, u);
        ddb_catalog_table_encode(u, &two);
        must(ddb_slice_eq(ddb_buf_slice(&one), ddb_buf_slice(&two)), "encoding not stable");
        ddb_table_unref(u);
        ddb_table_unref(t);
    }
    ddb_arena_release(&a);
    return 0;
}
