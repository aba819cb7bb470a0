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

void ddb_write_table_description(struct ddb_json_writer *w, const struct ddb_server *srv,
                                 const struct ddb_table *t, const char *status, int64_t items,
                                 int64_t bytes)
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
    ddb_jw_key_cstr(w, "DeletionProtectionEnabled");
    ddb_jw_bool(w, false);
    ddb_jw_object_end(w);
}
