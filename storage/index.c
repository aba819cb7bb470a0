/* index.c: secondary-index entries and their counters (index.h). */
#include "index.h"

#include <stdatomic.h>

#include "itemcodec.h"
#include "keycodec.h"
#include "protocol/limits.h"

static _Atomic uint64_t collection_limit = DDB_ITEM_COLLECTION_LIMIT;

void ddb_index_set_collection_limit(uint64_t bytes)
{
    atomic_store(&collection_limit, bytes);
}

uint64_t ddb_index_collection_limit(void)
{
    return atomic_load(&collection_limit);
}

/* The length an index key value is measured by (2048 / 1024 bytes). */
static size_t key_len(const struct ddb_value *v)
{
    return v->type == DDB_T_N ? ddb_value_size(v) : v->u.str.len;
}

static size_t key_max(bool is_range)
{
    return is_range ? DDB_MAX_RANGE_KEY_BYTES : DDB_MAX_HASH_KEY_BYTES;
}

/* The item's value of an index key attribute, or NULL when it has none a
 * write could store: absent, of another type, empty, too long. */
static const struct ddb_value *key_attr(const struct ddb_item *item, ddb_slice name,
                                        enum ddb_type type, bool is_range)
{
    const struct ddb_value *v = ddb_item_get(item, name);
    if (v == NULL || v->type != type)
        return NULL;
    size_t len = key_len(v);
    return (v->type == DDB_T_N || len > 0) && len <= key_max(is_range) ? v : NULL;
}

bool ddb_index_entry_key(struct ddb_buf *b, const struct ddb_table_def *d,
                         const struct ddb_index_def *x, const struct ddb_item *item)
{
    const struct ddb_value *ipk = key_attr(item, x->key.hash_name, x->key.hash_type, false);
    const struct ddb_value *isk =
        x->key.has_range ? key_attr(item, x->key.range_name, x->key.range_type, true) : NULL;
    const struct ddb_value *bpk = ddb_item_get(item, d->key.hash_name);
    const struct ddb_value *bsk = d->key.has_range ? ddb_item_get(item, d->key.range_name) : NULL;
    if (ipk == NULL || (x->key.has_range && isk == NULL) || bpk == NULL ||
        (d->key.has_range && bsk == NULL))
        return false;
    ddb_keycodec_index_key(b, x->id, ipk, isk, bpk, bsk);
    return true;
}

static bool key_named(const struct ddb_key_schema *k, ddb_slice name)
{
    return ddb_slice_eq(k->hash_name, name) || (k->has_range && ddb_slice_eq(k->range_name, name));
}

bool ddb_index_projects(const struct ddb_table_def *d, const struct ddb_index_def *x,
                        ddb_slice name)
{
    if (x->projection == DDB_PROJ_ALL || key_named(&d->key, name) || key_named(&x->key, name))
        return true;
    if (x->projection == DDB_PROJ_INCLUDE)
        for (uint32_t i = 0; i < x->non_key_count; i++)
            if (ddb_slice_eq(x->non_key[i], name))
                return true;
    return false;
}

void ddb_index_project(struct ddb_arena *a, const struct ddb_table_def *d,
                       const struct ddb_index_def *x, const struct ddb_item *item,
                       struct ddb_item *out)
{
    if (x->projection == DDB_PROJ_ALL) {
        *out = *item;
        return;
    }
    struct ddb_attr *attrs = ddb_arena_calloc(a, item->count + 1, sizeof *attrs);
    uint32_t n = 0;
    for (uint32_t i = 0; i < item->count; i++)
        if (ddb_index_projects(d, x, item->attrs[i].name))
            attrs[n++] = item->attrs[i];
    out->attrs = attrs;
    out->count = n;
}

static const char *type_code(enum ddb_type t)
{
    return ddb_type_name(t);
}

static int check_value(struct ddb_arena *a, const struct ddb_index_def *x, ddb_slice name,
                       const struct ddb_value *v, enum ddb_type want, bool is_range, bool update,
                       struct ddb_error *err)
{
    /* conformance: test_indexes.py test_write_index_key_type_mismatch / _empty */
    if (v->type != want)
        return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                             "One or more parameter values were invalid: Type mismatch for Index "
                             "Key %.*s Expected: %s Actual: %s IndexName: %.*s",
                             (int)name.len, name.ptr, type_code(want), type_code(v->type),
                             (int)x->name.len, x->name.ptr);
    size_t len = key_len(v);
    if (v->type != DDB_T_N && len == 0) {
        const char *kind = v->type == DDB_T_S ? "string" : "binary";
        if (update)
            return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                 "One or more parameter values are not valid. The update "
                                 "expression attempted to update a secondary index key to a "
                                 "value that is not supported. The AttributeValue for a key "
                                 "attribute cannot contain an empty %s value.",
                                 kind);
        return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                             "One or more parameter values are not valid. A value specified for a "
                             "secondary index key is not supported. The AttributeValue for a key "
                             "attribute cannot contain an empty %s value. IndexName: %.*s, "
                             "IndexKey: %.*s",
                             kind, (int)x->name.len, x->name.ptr, (int)name.len, name.ptr);
    }
    if (len <= key_max(is_range))
        return 0;
    if (!is_range)
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                             "One or more parameter values were invalid: Size of hashkey has "
                             "exceeded the maximum size limit of 2048 bytes");
    return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                         "One or more parameter values were invalid: Aggregated size of all "
                         "range keys has exceeded the size limit of 1024 bytes");
}

int ddb_index_check_item(struct ddb_arena *a, const struct ddb_table_def *d,
                         const struct ddb_item *item, bool update, struct ddb_error *err)
{
    for (uint32_t i = 0; i < d->index_count; i++) {
        const struct ddb_index_def *x = &d->indexes[i];
        const struct ddb_value *h = ddb_item_get(item, x->key.hash_name);
        if (h != NULL &&
            check_value(a, x, x->key.hash_name, h, x->key.hash_type, false, update, err) != 0)
            return -1;
        if (!x->key.has_range)
            continue;
        const struct ddb_value *r = ddb_item_get(item, x->key.range_name);
        if (r != NULL &&
            check_value(a, x, x->key.range_name, r, x->key.range_type, true, update, err) != 0)
            return -1;
    }
    return 0;
}

void ddb_index_collection_key(struct ddb_buf *b, uint64_t table_id, const struct ddb_value *pk)
{
    ddb_buf_putc(b, 'K');
    ddb_keycodec_partition_prefix(b, table_id, pk);
}

/* One index's part of a write. */
static int maintain_one(struct ddb_engine *e, struct ddb_batch *b, struct ddb_arena *a,
                        const struct ddb_table_def *d, const struct ddb_index_def *x,
                        const struct ddb_item *old, const struct ddb_item *new_item,
                        int64_t *collection_delta, struct ddb_error *err)
{
    struct ddb_buf ko, kn, vo, vn;
    ddb_buf_init(&ko, a);
    ddb_buf_init(&kn, a);
    ddb_buf_init(&vo, a);
    ddb_buf_init(&vn, a);
    bool has_old = old != NULL && ddb_index_entry_key(&ko, d, x, old);
    bool has_new = new_item != NULL && ddb_index_entry_key(&kn, d, x, new_item);
    if (!has_old && !has_new)
        return 0;
    int64_t size_old = 0, size_new = 0;
    if (has_old) {
        struct ddb_item p;
        ddb_index_project(a, d, x, old, &p);
        size_old = (int64_t)ddb_item_size(&p);
        if (ddb_itemcodec_encode(&vo, &p, err) != 0)
            return -1;
    }
    if (has_new) {
        struct ddb_item p;
        ddb_index_project(a, d, x, new_item, &p);
        size_new = (int64_t)ddb_item_size(&p);
        if (ddb_itemcodec_encode(&vn, &p, err) != 0)
            return -1;
    }
    bool old_exists = has_old;
    if (has_old && x->status == DDB_INDEX_CREATING) {
        /* the backfill may not have written it yet (index.h) */
        ddb_slice cur;
        if (ddb_engine_get(e, DDB_CF_INDEX, ddb_buf_slice(&ko), a, &cur, err) != 0)
            return -1;
        old_exists = cur.ptr != NULL;
    }
    bool same_key = has_old && has_new && ddb_slice_eq(ddb_buf_slice(&ko), ddb_buf_slice(&kn));
    if (same_key && old_exists && ddb_slice_eq(ddb_buf_slice(&vo), ddb_buf_slice(&vn)))
        return 0; /* nothing projected changed */
    if (old_exists && !same_key)
        ddb_batch_delete(b, DDB_CF_INDEX, ddb_buf_slice(&ko));
    if (has_new)
        ddb_batch_put(b, DDB_CF_INDEX, ddb_buf_slice(&kn), ddb_buf_slice(&vn));
    int64_t dcount = (has_new ? 1 : 0) - (old_exists ? 1 : 0);
    int64_t dbytes = (has_new ? size_new : 0) - (old_exists ? size_old : 0);
    if (dcount != 0 || dbytes != 0) {
        char ck[9];
        ddb_catalog_counter_key(x->id, ck);
        ddb_batch_add_counter(b, ddb_slice_make(ck, 9), dcount, dbytes);
    }
    if (x->local)
        *collection_delta += dbytes;
    return 0;
}

int ddb_index_maintain(struct ddb_engine *e, struct ddb_batch *b, struct ddb_arena *a,
                       const struct ddb_table *t, const struct ddb_item *old,
                       const struct ddb_item *new_item, struct ddb_index_write_info *info,
                       struct ddb_error *err)
{
    const struct ddb_table_def *d = &t->def;
    if (info != NULL) {
        info->has_collection = false;
        info->collection_bytes = 0;
    }
    if (d->index_count == 0)
        return 0;
    if (new_item != NULL && ddb_index_check_item(a, d, new_item, false, err) != 0)
        return -1;
    bool has_lsi = false;
    int64_t delta = 0;
    for (uint32_t i = 0; i < d->index_count; i++) {
        has_lsi |= d->indexes[i].local;
        if (maintain_one(e, b, a, d, &d->indexes[i], old, new_item, &delta, err) != 0)
            return -1;
    }
    if (!has_lsi)
        return 0;
    /* the item collection: base item bytes plus LSI entry bytes */
    const struct ddb_item *any = new_item != NULL ? new_item : old;
    if (any == NULL)
        return 0;
    const struct ddb_value *pk = ddb_item_get(any, d->key.hash_name);
    if (pk == NULL)
        return 0; /* cannot happen: items carry their key */
    int64_t dcount = (new_item != NULL ? 1 : 0) - (old != NULL ? 1 : 0);
    delta += (new_item != NULL ? (int64_t)ddb_item_size(new_item) : 0) -
             (old != NULL ? (int64_t)ddb_item_size(old) : 0);
    struct ddb_buf ck;
    ddb_buf_init(&ck, a);
    ddb_index_collection_key(&ck, t->id, pk);
    int64_t count = 0, bytes = 0;
    if (ddb_engine_get_counter(e, ddb_buf_slice(&ck), &count, &bytes, err) != 0)
        return -1;
    /* conformance: test_indexes.py test_item_collection_limit */
    if (delta > 0 && (uint64_t)(bytes + delta) > ddb_index_collection_limit())
        return ddb_error_set(err, NULL, DDB_ERR_ITEM_COLLECTION_SIZE_LIMIT,
                             "Collection size exceeded.");
    if (dcount != 0 || delta != 0)
        ddb_batch_add_counter(b, ddb_buf_slice(&ck), dcount, delta);
    if (info != NULL) {
        info->has_collection = true;
        info->collection_bytes = bytes + delta;
    }
    return 0;
}
