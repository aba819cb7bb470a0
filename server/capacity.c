/* capacity.c: ReturnConsumedCapacity / ReturnItemCollectionMetrics in and out. */
#include "capacity.h"

#include <stdio.h>
#include <string.h>

#include "protocol/value_json.h"
#include "storage/index.h"

int ddb_capacity_input(struct ddb_arena *a, const struct ddb_json *body, bool takes_metrics,
                       struct ddb_vlist *v, struct ddb_capacity_req *out, struct ddb_error *err)
{
    memset(out, 0, sizeof *out);
    struct ddb_vlist own;
    if (v == NULL) {
        ddb_vlist_init(&own, a);
        v = &own;
    }
    ddb_slice s;
    bool present;
    if (ddb_in_string(a, body, "ReturnConsumedCapacity", &s, &present, err) != 0)
        return -1;
    if (present && ddb_capacity_mode_parse(s, &out->mode) != 0)
        ddb_vlist_add(v, ddb_vlist_quote(a, s), "returnConsumedCapacity",
                      "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]");
    if (takes_metrics) {
        if (ddb_in_string(a, body, "ReturnItemCollectionMetrics", &s, &present, err) != 0)
            return -1;
        if (present && ddb_capacity_metrics_parse(s, &out->item_metrics) != 0)
            ddb_vlist_add(v, ddb_vlist_quote(a, s), "returnItemCollectionMetrics",
                          "Member must satisfy enum value set: [SIZE, NONE]");
    }
    if (v == &own)
        return ddb_vlist_finish(&own, err);
    return 0;
}

static void units_member(struct ddb_json_writer *w, double units)
{
    char buf[48];
    size_t n = ddb_capacity_format(units, buf);
    ddb_jw_key_cstr(w, "CapacityUnits");
    ddb_jw_raw(w, buf, n);
}

void ddb_capacity_units_init(struct ddb_capacity_units *u, struct ddb_arena *a,
                             const struct ddb_table_def *d)
{
    memset(u, 0, sizeof *u);
    if (d == NULL || d->index_count == 0)
        return;
    u->index_count = d->index_count;
    u->indexes = d->indexes;
    u->index = ddb_arena_calloc(a, d->index_count, sizeof *u->index);
    u->index_used = ddb_arena_calloc(a, d->index_count, sizeof *u->index_used);
}

double ddb_capacity_units_total(const struct ddb_capacity_units *u)
{
    double sum = u->table;
    for (uint32_t i = 0; i < u->index_count; i++)
        sum += u->index[i];
    return sum;
}

static bool items_equal(const struct ddb_item *x, const struct ddb_item *y)
{
    struct ddb_value vx = {.type = DDB_T_M, .count = x->count, .u.members = x->attrs};
    struct ddb_value vy = {.type = DDB_T_M, .count = y->count, .u.members = y->attrs};
    return ddb_value_equal(&vx, &vy);
}

/* The write units of one index's change (0: nothing written). */
static double index_write(struct ddb_arena *a, const struct ddb_table_def *d,
                          const struct ddb_index_def *x, const struct ddb_item *old,
                          const struct ddb_item *new_item)
{
    struct ddb_buf ko, kn;
    ddb_buf_init(&ko, a);
    ddb_buf_init(&kn, a);
    bool has_old = old != NULL && ddb_index_entry_key(&ko, d, x, old);
    bool has_new = new_item != NULL && ddb_index_entry_key(&kn, d, x, new_item);
    if (!has_old && !has_new)
        return 0;
    struct ddb_item po = {0}, pn = {0};
    if (has_old)
        ddb_index_project(a, d, x, old, &po);
    if (has_new)
        ddb_index_project(a, d, x, new_item, &pn);
    uint64_t so = has_old ? ddb_item_size(&po) : 0, sn = has_new ? ddb_item_size(&pn) : 0;
    if (!has_old)
        return ddb_capacity_item_write(0, sn);
    if (!has_new)
        return ddb_capacity_item_write(so, 0);
    if (!ddb_slice_eq(ddb_buf_slice(&ko), ddb_buf_slice(&kn)))
        return ddb_capacity_item_write(so, 0) + ddb_capacity_item_write(0, sn);
    if (items_equal(&po, &pn))
        return 0;
    return ddb_capacity_item_write(so, sn);
}

void ddb_capacity_index_writes(struct ddb_capacity_units *u, struct ddb_arena *a,
                               const struct ddb_table_def *d, const struct ddb_item *old,
                               const struct ddb_item *new_item, bool transactional)
{
    for (uint32_t i = 0; i < u->index_count && i < d->index_count; i++) {
        double units = index_write(a, d, &d->indexes[i], old, new_item);
        if (units == 0)
            continue;
        u->index[i] += transactional ? ddb_capacity_transactional(units) : units;
        u->index_used[i] = true;
    }
}

void ddb_capacity_index_read(struct ddb_capacity_units *u, uint32_t i, double units)
{
    if (i >= u->index_count)
        return;
    u->index[i] += units;
    u->index_used[i] = true;
}

/* "LocalSecondaryIndexes" or "GlobalSecondaryIndexes": the used ones. */
static void index_map(struct ddb_json_writer *w, const struct ddb_capacity_units *u, bool local)
{
    bool any = false;
    for (uint32_t i = 0; i < u->index_count; i++) {
        if (!u->index_used[i] || u->indexes[i].local != local)
            continue;
        if (!any) {
            ddb_jw_key_cstr(w, local ? "LocalSecondaryIndexes" : "GlobalSecondaryIndexes");
            ddb_jw_object_begin(w);
            any = true;
        }
        ddb_jw_key(w, u->indexes[i].name.ptr, u->indexes[i].name.len);
        ddb_jw_object_begin(w);
        units_member(w, u->index[i]);
        ddb_jw_object_end(w);
    }
    if (any)
        ddb_jw_object_end(w);
}

static void units_object(struct ddb_json_writer *w, enum ddb_capacity_mode mode, ddb_slice table,
                         const struct ddb_capacity_units *u)
{
    ddb_jw_object_begin(w);
    ddb_jw_key_cstr(w, "TableName");
    ddb_jw_string(w, table.ptr, table.len);
    units_member(w, ddb_capacity_units_total(u));
    if (mode == DDB_CAPACITY_INDEXES) {
        ddb_jw_key_cstr(w, "Table");
        ddb_jw_object_begin(w);
        units_member(w, u->table);
        ddb_jw_object_end(w);
        index_map(w, u, true);
        index_map(w, u, false);
    }
    ddb_jw_object_end(w);
}

void ddb_capacity_object(struct ddb_json_writer *w, enum ddb_capacity_mode mode, ddb_slice table,
                         double units)
{
    struct ddb_capacity_units u = {.table = units};
    units_object(w, mode, table, &u);
}

void ddb_capacity_member(struct ddb_json_writer *w, const struct ddb_capacity_req *req,
                         ddb_slice table, double units)
{
    if (req->mode == DDB_CAPACITY_NONE)
        return;
    ddb_jw_key_cstr(w, "ConsumedCapacity");
    ddb_capacity_object(w, req->mode, table, units);
}

void ddb_capacity_member_units(struct ddb_json_writer *w, const struct ddb_capacity_req *req,
                               ddb_slice table, const struct ddb_capacity_units *u)
{
    if (req->mode == DDB_CAPACITY_NONE)
        return;
    ddb_jw_key_cstr(w, "ConsumedCapacity");
    units_object(w, req->mode, table, u);
}

void ddb_capacity_list_init(struct ddb_capacity_list *l, struct ddb_arena *a)
{
    memset(l, 0, sizeof *l);
    l->arena = a;
}

struct ddb_capacity_units *ddb_capacity_list_table(struct ddb_capacity_list *l, ddb_slice table,
                                                   const struct ddb_table_def *d)
{
    for (uint32_t i = 0; i < l->count; i++)
        if (ddb_slice_eq(l->entries[i].table, table))
            return &l->entries[i].u;
    if (l->count == l->cap) {
        uint32_t ncap = l->cap ? l->cap * 2 : 8;
        struct ddb_capacity_entry *e = ddb_arena_alloc(l->arena, ncap * sizeof *e);
        if (l->count)
            memcpy(e, l->entries, l->count * sizeof *e);
        l->entries = e;
        l->cap = ncap;
    }
    struct ddb_capacity_entry *e = &l->entries[l->count++];
    e->table = table;
    ddb_capacity_units_init(&e->u, l->arena, d);
    return &e->u;
}

void ddb_capacity_list_add(struct ddb_capacity_list *l, ddb_slice table, double units)
{
    ddb_capacity_list_table(l, table, NULL)->table += units;
}

void ddb_capacity_list_member(struct ddb_json_writer *w, const struct ddb_capacity_req *req,
                              const struct ddb_capacity_list *l)
{
    if (req->mode == DDB_CAPACITY_NONE)
        return;
    ddb_jw_key_cstr(w, "ConsumedCapacity");
    ddb_jw_array_begin(w);
    for (uint32_t i = 0; i < l->count; i++)
        units_object(w, req->mode, l->entries[i].table, &l->entries[i].u);
    ddb_jw_array_end(w);
}

/* ---- ItemCollectionMetrics ---- */

void ddb_capacity_collection_object(struct ddb_json_writer *w, ddb_slice hash_name,
                                    const struct ddb_value *pk, int64_t bytes)
{
    ddb_jw_object_begin(w);
    ddb_jw_key_cstr(w, "ItemCollectionKey");
    struct ddb_attr at = {hash_name, *pk};
    struct ddb_item key = {1, &at};
    ddb_item_to_json(w, &key);
    ddb_jw_key_cstr(w, "SizeEstimateRangeGB");
    ddb_jw_array_begin(w);
    int64_t gb = bytes / (1024LL * 1024 * 1024);
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%lld.0", (long long)gb);
    ddb_jw_raw(w, buf, (size_t)n);
    n = snprintf(buf, sizeof buf, "%lld.0", (long long)gb + 1);
    ddb_jw_raw(w, buf, (size_t)n);
    ddb_jw_array_end(w);
    ddb_jw_object_end(w);
}

void ddb_collection_list_init(struct ddb_collection_list *l, struct ddb_arena *a)
{
    memset(l, 0, sizeof *l);
    l->arena = a;
}

void ddb_collection_list_add(struct ddb_collection_list *l, ddb_slice table, ddb_slice hash_name,
                             const struct ddb_value *pk, int64_t bytes)
{
    if (l->count == l->cap) {
        uint32_t ncap = l->cap ? l->cap * 2 : 8;
        struct ddb_collection_entry *e = ddb_arena_alloc(l->arena, ncap * sizeof *e);
        if (l->count)
            memcpy(e, l->entries, l->count * sizeof *e);
        l->entries = e;
        l->cap = ncap;
    }
    l->entries[l->count++] = (struct ddb_collection_entry){table, hash_name, pk, bytes};
}

void ddb_collection_list_member(struct ddb_json_writer *w, const struct ddb_collection_list *l)
{
    if (l->count == 0)
        return;
    ddb_jw_key_cstr(w, "ItemCollectionMetrics");
    ddb_jw_object_begin(w);
    for (uint32_t i = 0; i < l->count; i++) {
        bool seen = false;
        for (uint32_t j = 0; j < i && !seen; j++)
            seen = ddb_slice_eq(l->entries[j].table, l->entries[i].table);
        if (seen)
            continue;
        ddb_jw_key(w, l->entries[i].table.ptr, l->entries[i].table.len);
        ddb_jw_array_begin(w);
        for (uint32_t j = i; j < l->count; j++) {
            const struct ddb_collection_entry *e = &l->entries[j];
            if (ddb_slice_eq(e->table, l->entries[i].table))
                ddb_capacity_collection_object(w, e->hash_name, e->pk, e->bytes);
        }
        ddb_jw_array_end(w);
    }
    ddb_jw_object_end(w);
}
