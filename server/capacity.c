/* capacity.c: ReturnConsumedCapacity / ReturnItemCollectionMetrics in and out. */
#include "capacity.h"

#include <string.h>

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

void ddb_capacity_object(struct ddb_json_writer *w, enum ddb_capacity_mode mode, ddb_slice table,
                         double units)
{
    ddb_jw_object_begin(w);
    ddb_jw_key_cstr(w, "TableName");
    ddb_jw_string(w, table.ptr, table.len);
    units_member(w, units);
    if (mode == DDB_CAPACITY_INDEXES) {
        ddb_jw_key_cstr(w, "Table");
        ddb_jw_object_begin(w);
        units_member(w, units);
        ddb_jw_object_end(w);
    }
    ddb_jw_object_end(w);
}

void ddb_capacity_member(struct ddb_json_writer *w, const struct ddb_capacity_req *req,
                         ddb_slice table, double units)
{
    if (req->mode == DDB_CAPACITY_NONE)
        return;
    ddb_jw_key_cstr(w, "ConsumedCapacity");
    ddb_capacity_object(w, req->mode, table, units);
}

void ddb_capacity_list_init(struct ddb_capacity_list *l, struct ddb_arena *a)
{
    memset(l, 0, sizeof *l);
    l->arena = a;
}

void ddb_capacity_list_add(struct ddb_capacity_list *l, ddb_slice table, double units)
{
    for (uint32_t i = 0; i < l->count; i++) {
        if (ddb_slice_eq(l->entries[i].table, table)) {
            l->entries[i].units += units;
            return;
        }
    }
    if (l->count == l->cap) {
        uint32_t ncap = l->cap ? l->cap * 2 : 8;
        struct ddb_capacity_entry *e = ddb_arena_alloc(l->arena, ncap * sizeof *e);
        if (l->count)
            memcpy(e, l->entries, l->count * sizeof *e);
        l->entries = e;
        l->cap = ncap;
    }
    l->entries[l->count++] = (struct ddb_capacity_entry){table, units};
}

void ddb_capacity_list_member(struct ddb_json_writer *w, const struct ddb_capacity_req *req,
                              const struct ddb_capacity_list *l)
{
    if (req->mode == DDB_CAPACITY_NONE)
        return;
    ddb_jw_key_cstr(w, "ConsumedCapacity");
    ddb_jw_array_begin(w);
    for (uint32_t i = 0; i < l->count; i++)
        ddb_capacity_object(w, req->mode, l->entries[i].table, l->entries[i].units);
    ddb_jw_array_end(w);
}
