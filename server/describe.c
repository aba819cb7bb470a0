#include "describe.h"

#include <stdio.h>

static const char *scalar_type_code(enum ddb_type t)
{
    return t == DDB_T_N ? "N" : t == DDB_T_B ? "B" : "S";
}

static void write_time(struct ddb_json_writer *w, const char *key, double t)
{
    char buf[64];
    int n = snprintf(buf, sizeof buf, "%.3f", t);
    ddb_jw_key_cstr(w, key);
    ddb_jw_raw(w, buf, (size_t)n);
}

static void write_key_element(struct ddb_json_writer *w, ddb_slice name, const char *type)
{
    ddb_jw_object_begin(w);
    ddb_jw_key_cstr(w, "AttributeName");
    ddb_jw_string(w, name.ptr, name.len);
    ddb_jw_key_cstr(w, "KeyType");
    ddb_jw_string_cstr(w, type);
    ddb_jw_object_end(w);
}

const char *ddb_table_arn(struct ddb_arena *a, const struct ddb_server *srv,
                          const struct ddb_table *t)
{
    return ddb_arena_printf(a, "arn:aws:dynamodb:%s:%s:table/%.*s", srv->cfg.region,
                            srv->cfg.account_id, (int)t->def.name.len, t->def.name.ptr);
}

static void write_index(struct ddb_json_writer *w, const struct ddb_server *srv,
                        const struct ddb_table *t, const struct ddb_index_def *x,
                        const char *arn, bool deleting)
{
    ddb_jw_object_begin(w);
    ddb_jw_key_cstr(w, "IndexName");
    ddb_jw_string(w, x->name.ptr, x->name.len);
    ddb_jw_key_cstr(w, "KeySchema");
    ddb_jw_array_begin(w);
    write_key_element(w, x->key.hash_name, "HASH");
    if (x->key.has_range)
        write_key_element(w, x->key.range_name, "RANGE");
    ddb_jw_array_end(w);
    ddb_jw_key_cstr(w, "Projection");
    ddb_jw_object_begin(w);
    ddb_jw_key_cstr(w, "ProjectionType");
    ddb_jw_string_cstr(w, x->projection == DDB_PROJ_ALL         ? "ALL"
                          : x->projection == DDB_PROJ_KEYS_ONLY ? "KEYS_ONLY"
                                                                : "INCLUDE");
    if (x->projection == DDB_PROJ_INCLUDE) {
        ddb_jw_key_cstr(w, "NonKeyAttributes");
        ddb_jw_array_begin(w);
        for (uint32_t k = 0; k < x->non_key_count; k++)
            ddb_jw_string(w, x->non_key[k].ptr, x->non_key[k].len);
        ddb_jw_array_end(w);
    }
    ddb_jw_object_end(w);
    if (!x->local) {
        ddb_jw_key_cstr(w, "IndexStatus");
        ddb_jw_string_cstr(w, deleting                             ? "DELETING"
                              : x->status == DDB_INDEX_CREATING ? "CREATING"
                                                                : "ACTIVE");
        if (x->status == DDB_INDEX_CREATING && !deleting) {
            ddb_jw_key_cstr(w, "Backfilling");
            ddb_jw_bool(w, true);
        }
        ddb_jw_key_cstr(w, "ProvisionedThroughput");
        ddb_jw_object_begin(w);
        ddb_jw_key_cstr(w, "NumberOfDecreasesToday");
        ddb_jw_int(w, 0);
        ddb_jw_key_cstr(w, "ReadCapacityUnits");
        ddb_jw_int(w, t->def.billing == DDB_BILLING_PAY_PER_REQUEST ? 0 : x->read_capacity);
        ddb_jw_key_cstr(w, "WriteCapacityUnits");
        ddb_jw_int(w, t->def.billing == DDB_BILLING_PAY_PER_REQUEST ? 0 : x->write_capacity);
        ddb_jw_object_end(w);
        if (x->max_read_units != -1 || x->max_write_units != -1) {
            ddb_jw_key_cstr(w, "OnDemandThroughput");
            ddb_jw_object_begin(w);
            ddb_jw_key_cstr(w, "MaxReadRequestUnits");
            ddb_jw_int(w, x->max_read_units);
            ddb_jw_key_cstr(w, "MaxWriteRequestUnits");
            ddb_jw_int(w, x->max_write_units);
            ddb_jw_object_end(w);
        }
    }
    int64_t items = 0, bytes = 0;
    struct ddb_error err = {0};
    if (deleting || ddb_catalog_index_stats(srv->catalog, x->id, &items, &bytes, &err) != 0)
        items = bytes = 0;
    ddb_jw_key_cstr(w, "IndexSizeBytes");
    ddb_jw_int(w, bytes < 0 ? 0 : bytes);
    ddb_jw_key_cstr(w, "ItemCount");
    ddb_jw_int(w, items < 0 ? 0 : items);
    ddb_jw_key_cstr(w, "IndexArn");
    ddb_jw_string_cstr(w, ddb_arena_printf(w->buf->arena, "%s/index/%.*s", arn, (int)x->name.len,
                                           x->name.ptr));
    ddb_jw_object_end(w);
}

static void write_indexes(struct ddb_json_writer *w, const struct ddb_server *srv,
                          const struct ddb_table *t, const char *arn,
                          const struct ddb_index_def *deleting)
{
    const struct ddb_table_def *d = &t->def;
    uint32_t nl = 0, ng = 0;
    for (uint32_t i = 0; i < d->index_count; i++) {
        nl += d->indexes[i].local;
        ng += !d->indexes[i].local;
    }
    if (nl > 0) {
        ddb_jw_key_cstr(w, "LocalSecondaryIndexes");
        ddb_jw_array_begin(w);
        for (uint32_t i = 0; i < d->index_count; i++)
            if (d->indexes[i].local)
                write_index(w, srv, t, &d->indexes[i], arn, false);
        ddb_jw_array_end(w);
    }
    if (ng > 0 || deleting != NULL) {
        ddb_jw_key_cstr(w, "GlobalSecondaryIndexes");
        ddb_jw_array_begin(w);
        for (uint32_t i = 0; i < d->index_count; i++)
            if (!d->indexes[i].local)
                write_index(w, srv, t, &d->indexes[i], arn, false);
        if (deleting != NULL)
            write_index(w, srv, t, deleting, arn, true);
        ddb_jw_array_end(w);
    }
}

void ddb_write_table_description(struct ddb_json_writer *w, const struct ddb_server *srv,
                                 const struct ddb_table *t, const char *status, int64_t items,
                                 int64_t bytes)
{
    ddb_write_table_description_ex(w, srv, t, status, items, bytes, NULL);
}

void ddb_write_table_description_ex(struct ddb_json_writer *w, const struct ddb_server *srv,
                                    const struct ddb_table *t, const char *status, int64_t items,
                                    int64_t bytes, const struct ddb_index_def *deleting)
{
    const struct ddb_table_def *d = &t->def;
    ddb_jw_object_begin(w);

    ddb_jw_key_cstr(w, "AttributeDefinitions");
    ddb_jw_array_begin(w);
    for (uint32_t i = 0; i < d->attr_def_count; i++) {
        ddb_jw_object_begin(w);
        ddb_jw_key_cstr(w, "AttributeName");
        ddb_jw_string(w, d->attr_defs[i].name.ptr, d->attr_defs[i].name.len);
        ddb_jw_key_cstr(w, "AttributeType");
        ddb_jw_string_cstr(w, scalar_type_code(d->attr_defs[i].type));
        ddb_jw_object_end(w);
    }
    ddb_jw_array_end(w);

    ddb_jw_key_cstr(w, "TableName");
    ddb_jw_string(w, d->name.ptr, d->name.len);

    ddb_jw_key_cstr(w, "KeySchema");
    ddb_jw_array_begin(w);
    write_key_element(w, d->key.hash_name, "HASH");
    if (d->key.has_range)
        write_key_element(w, d->key.range_name, "RANGE");
    ddb_jw_array_end(w);

    ddb_jw_key_cstr(w, "TableStatus");
    ddb_jw_string_cstr(w, status);
    write_time(w, "CreationDateTime", t->created);

    ddb_jw_key_cstr(w, "ProvisionedThroughput");
    ddb_jw_object_begin(w);
    if (t->throughput_increased > 0)
        write_time(w, "LastIncreaseDateTime", t->throughput_increased);
    if (t->throughput_decreased > 0)
        write_time(w, "LastDecreaseDateTime", t->throughput_decreased);
    ddb_jw_key_cstr(w, "NumberOfDecreasesToday");
    ddb_jw_int(w, t->decreases_today);
    ddb_jw_key_cstr(w, "ReadCapacityUnits");
    ddb_jw_int(w, d->read_capacity);
    ddb_jw_key_cstr(w, "WriteCapacityUnits");
    ddb_jw_int(w, d->write_capacity);
    ddb_jw_object_end(w);

    ddb_jw_key_cstr(w, "TableSizeBytes");
    ddb_jw_int(w, bytes < 0 ? 0 : bytes);
    ddb_jw_key_cstr(w, "ItemCount");
    ddb_jw_int(w, items < 0 ? 0 : items);

    /* the ARN is built on the writer's own buffer arena */
    const char *arn = ddb_table_arn(w->buf->arena, srv, t);
    ddb_jw_key_cstr(w, "TableArn");
    ddb_jw_string_cstr(w, arn);
    ddb_jw_key_cstr(w, "TableId");
    ddb_jw_string_cstr(w, t->uuid);

    if (d->billing_explicit || d->billing == DDB_BILLING_PAY_PER_REQUEST) {
        ddb_jw_key_cstr(w, "BillingModeSummary");
        ddb_jw_object_begin(w);
        ddb_jw_key_cstr(w, "BillingMode");
        ddb_jw_string_cstr(w, d->billing == DDB_BILLING_PAY_PER_REQUEST ? "PAY_PER_REQUEST"
                                                                        : "PROVISIONED");
        if (t->billing_updated > 0)
            write_time(w, "LastUpdateToPayPerRequestDateTime", t->billing_updated);
        ddb_jw_object_end(w);
    }
    write_indexes(w, srv, t, arn, deleting);
    ddb_jw_key_cstr(w, "DeletionProtectionEnabled");
    ddb_jw_bool(w, false);
    ddb_jw_object_end(w);
}
