/* op_table.c: CreateTable, DescribeTable, ListTables, UpdateTable, DeleteTable. */
#include "describe.h"
#include "protocol/input_table.h"
#include "reqctx.h"
#include "storage/backfill.h"

/* Answers {"<key>": <description of t>} with the table's current counters. */
static int answer_description(struct ddb_reqctx *rc, const char *key, struct ddb_table *t,
                              const char *status)
{
    int64_t items = 0, bytes = 0;
    int ret = ddb_catalog_table_stats(rc->server->catalog, t, &items, &bytes, &rc->err);
    if (ret == 0) {
        ddb_jw_object_begin(rc->w);
        ddb_jw_key_cstr(rc->w, key);
        ddb_write_table_description(rc->w, rc->server, t, status, items, bytes);
        ddb_jw_object_end(rc->w);
    }
    ddb_table_unref(t);
    return ret;
}

int ddb_op_create_table(struct ddb_reqctx *rc)
{
    struct ddb_table_def def;
    if (ddb_input_create_table(rc->arena, rc->body, &def, &rc->err) != 0)
        return -1;
    struct ddb_table *t;
    if (ddb_catalog_create(rc->server->catalog, rc->arena, &def, &t, &rc->err) != 0)
        return -1;
    /* The table is usable at once; the answer says CREATING as DynamoDB's
     * does, and DescribeTable says ACTIVE from then on (README). */
    return answer_description(rc, "TableDescription", t, "CREATING");
}

/* The table the request's TableName names, with a reference taken; NULL
 * with the error set when the name is invalid or no such table exists. */
static struct ddb_table *named_table(struct ddb_reqctx *rc, ddb_slice *name)
{
    if (ddb_input_table_name(rc->arena, rc->body, name, &rc->err) != 0)
        return NULL;
    struct ddb_table *t = ddb_catalog_get(rc->server->catalog, *name);
    if (t == NULL)
        ddb_catalog_not_found(&rc->err, rc->arena, *name);
    return t;
}

int ddb_op_describe_table(struct ddb_reqctx *rc)
{
    ddb_slice name;
    struct ddb_table *t = named_table(rc, &name);
    if (t == NULL)
        return -1;
    return answer_description(rc, "Table", t, "ACTIVE");
}

int ddb_op_delete_table(struct ddb_reqctx *rc)
{
    ddb_slice name;
    /* counters first: the delete removes them with the items */
    struct ddb_table *t = named_table(rc, &name);
    if (t == NULL)
        return -1;
    int64_t items = 0, bytes = 0;
    int ret = ddb_catalog_table_stats(rc->server->catalog, t, &items, &bytes, &rc->err);
    ddb_table_unref(t);
    if (ret != 0)
        return -1;
    if (ddb_catalog_delete(rc->server->catalog, rc->arena, name, &t, &rc->err) != 0)
        return -1;
    ddb_jw_object_begin(rc->w);
    ddb_jw_key_cstr(rc->w, "TableDescription");
    ddb_write_table_description(rc->w, rc->server, t, "DELETING", items, bytes);
    ddb_jw_object_end(rc->w);
    ddb_table_unref(t);
    return 0;
}

int ddb_op_list_tables(struct ddb_reqctx *rc)
{
    struct ddb_list_tables_input in;
    if (ddb_input_list_tables(rc->arena, rc->body, &in, &rc->err) != 0)
        return -1;
    ddb_slice *names;
    uint32_t n;
    bool more;
    if (ddb_catalog_list(rc->server->catalog, rc->arena, in.start, in.limit, &names, &n, &more) !=
        0)
        return -1;
    ddb_jw_object_begin(rc->w);
    if (more && n > 0) {
        ddb_jw_key_cstr(rc->w, "LastEvaluatedTableName");
        ddb_jw_string(rc->w, names[n - 1].ptr, names[n - 1].len);
    }
    ddb_jw_key_cstr(rc->w, "TableNames");
    ddb_jw_array_begin(rc->w);
    for (uint32_t i = 0; i < n; i++)
        ddb_jw_string(rc->w, names[i].ptr, names[i].len);
    ddb_jw_array_end(rc->w);
    ddb_jw_object_end(rc->w);
    return 0;
}

/* GlobalSecondaryIndexUpdates (after any billing change): the catalog
 * publishes the new definition, a created index is backfilled in the
 * background, a deleted one purged (storage/backfill.h). */
static int update_indexes(struct ddb_reqctx *rc, const struct ddb_update_table_input *in,
                          struct ddb_table **out, const struct ddb_index_def **deleting,
                          struct ddb_table **old)
{
    *old = ddb_catalog_get(rc->server->catalog, in->name);
    if (*old == NULL)
        return ddb_catalog_not_found(&rc->err, rc->arena, in->name);
    uint64_t created, deleted;
    if (ddb_catalog_update_indexes(rc->server->catalog, rc->arena, in, out, &created, &deleted,
                                   &rc->err) != 0)
        return -1;
    if (created != 0)
        ddb_backfill_start(rc->server->backfill, (*out)->def.name, (*out)->id, created);
    if (deleted != 0) {
        ddb_backfill_purge(rc->server->backfill, deleted);
        for (uint32_t i = 0; i < (*old)->def.index_count; i++)
            if ((*old)->def.indexes[i].id == deleted)
                *deleting = &(*old)->def.indexes[i];
    }
    return 0;
}

int ddb_op_update_table(struct ddb_reqctx *rc)
{
    struct ddb_update_table_input in;
    if (ddb_input_update_table(rc->arena, rc->body, &in, &rc->err) != 0)
        return -1;
    struct ddb_table *cur = ddb_catalog_get(rc->server->catalog, in.name);
    if (cur == NULL)
        return ddb_catalog_not_found(&rc->err, rc->arena, in.name);
    enum ddb_billing_mode billing;
    int64_t rcu, wcu;
    int ret = ddb_check_update_table(rc->arena, &cur->def, &in, &billing, &rcu, &wcu, &rc->err);
    bool billing_change = in.has_billing || in.has_throughput;
    ddb_table_unref(cur);
    if (ret != 0)
        return -1;
    struct ddb_table *t = NULL;
    if (billing_change && ddb_catalog_update_billing(rc->server->catalog, rc->arena, in.name,
                                                     billing, rcu, wcu, &t, &rc->err) != 0)
        return -1;
    const struct ddb_index_def *deleting = NULL;
    struct ddb_table *old = NULL;
    if (in.has_gsi_updates) {
        ddb_table_unref(t);
        t = NULL;
        if (update_indexes(rc, &in, &t, &deleting, &old) != 0) {
            ddb_table_unref(old);
            return -1;
        }
    }
    /* the change is applied at once; the answer says UPDATING as DynamoDB's */
    int64_t items = 0, bytes = 0;
    ret = ddb_catalog_table_stats(rc->server->catalog, t, &items, &bytes, &rc->err);
    if (ret == 0) {
        ddb_jw_object_begin(rc->w);
        ddb_jw_key_cstr(rc->w, "TableDescription");
        ddb_write_table_description_ex(rc->w, rc->server, t, "UPDATING", items, bytes, deleting);
        ddb_jw_object_end(rc->w);
    }
    ddb_table_unref(t);
    ddb_table_unref(old);
    return ret;
}
