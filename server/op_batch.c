/*
 * op_batch.c: BatchGetItem and BatchWriteItem.
 *
 * Validation is protocol/input_batch.c's, in DynamoDB's phases; here the
 * catalog part (key schemas, missing tables) and the execution.
 *
 * BatchWriteItem is not atomic as a whole, as in DynamoDB: each request is
 * its own single-item write (ddb_items_write), in request order. Everything
 * is validated before the first write, index keys included (the one check
 * of storage/index.h that PutItem and TransactWriteItems make), so a request
 * DynamoDB rejects writes nothing.
 *
 * Across tables, key-schema errors of existing tables are reported before a
 * missing table (DynamoDB Local visits the tables in its hash map's order,
 * so which of the two it reports varies with the names; ddbd's order is
 * fixed). UnprocessedItems is always empty: ddbd has no throughput limits,
 * and the size limits (25 requests, 400 KB items, the 16 MB body cap of
 * server/router.c) reject a request instead of deferring part of it. A
 * storage failure in the middle of a batch answers InternalServerError;
 * the writes before it stay done, as they would in DynamoDB.
 *
 * BatchGetItem stops reading once the items read would pass 16 MB
 * (ddb_item_size of each whole item, before any projection, as DynamoDB
 * Local counts): the key that
 * does not fit and every key after it go to UnprocessedKeys with their
 * table's other parameters, as DynamoDB does (test_batch.py:
 * test_get_16mb_unprocessed).
 *
 * ConsumedCapacity (protocol/MESSAGES-query-capacity.md, test_capacity_more.py)
 * is a list of one object per table of the request: BatchGetItem counts each
 * item read like GetItem (4 KB units of the whole item, halved unless
 * ConsistentRead) but a missing key costs nothing; BatchWriteItem counts each
 * request like PutItem / DeleteItem, index writes included. Keys left in
 * UnprocessedKeys cost nothing. ItemCollectionMetrics (SIZE): one object per
 * write to a table with local secondary indexes, grouped by table.
 */
#include "capacity.h"
#include "item_write.h"
#include "protocol/input_batch.h"
#include "protocol/value_json.h"
#include "reqctx.h"
#include "storage/index.h"
#include "storage/items.h"

/* The key values of one table's keys or requests, filled by the key checks. */
struct get_keys {
    const struct ddb_value **pk, **sk;
};

/* The catalog lookups of a batch (NULL where a table does not exist) and
 * room for each table's key values (counts[i] of them). */
static struct ddb_table **open_tables(struct ddb_reqctx *rc, uint32_t n, const ddb_slice *names,
                                      const uint32_t *counts, struct get_keys **keys)
{
    struct ddb_table **t = ddb_arena_calloc(rc->arena, n, sizeof *t);
    *keys = ddb_arena_calloc(rc->arena, n, sizeof **keys);
    for (uint32_t i = 0; i < n; i++) {
        t[i] = ddb_catalog_get(rc->server->catalog, names[i]);
        (*keys)[i].pk = ddb_arena_calloc(rc->arena, counts[i], sizeof *(*keys)[i].pk);
        (*keys)[i].sk = ddb_arena_calloc(rc->arena, counts[i], sizeof *(*keys)[i].sk);
    }
    return t;
}

static void unref_tables(struct ddb_table **t, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (t[i] != NULL)
            ddb_table_unref(t[i]);
}

static int not_found_if_missing(struct ddb_reqctx *rc, struct ddb_table **t, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (t[i] == NULL)
            return ddb_error_set(&rc->err, NULL, DDB_ERR_RESOURCE_NOT_FOUND,
                                 "Requested resource not found");
    return 0;
}

/* ---- BatchGetItem ---- */

/* One table's remaining keys (from `from`) with its other parameters, as
 * UnprocessedKeys lists them. */
static void write_unprocessed(struct ddb_json_writer *w, const struct ddb_batch_get_table *t,
                              uint32_t from)
{
    ddb_jw_key(w, t->table.ptr, t->table.len);
    ddb_jw_object_begin(w);
    ddb_jw_key_cstr(w, "Keys");
    ddb_jw_array_begin(w);
    for (uint32_t k = from; k < t->key_count; k++)
        ddb_item_to_json(w, &t->keys[k]);
    ddb_jw_array_end(w);
    for (uint32_t m = 0; m < t->json->count; m++) {
        const struct ddb_json_member *mem = &t->json->u.members[m];
        static const char *const echoed[] = {"AttributesToGet", "ProjectionExpression",
                                             "ExpressionAttributeNames", "ConsistentRead"};
        for (size_t e = 0; e < DDB_ARRAY_LEN(echoed); e++) {
            if (ddb_slice_eq_cstr(mem->key, echoed[e]) && mem->value.type != DDB_JSON_NULL) {
                ddb_jw_key(w, mem->key.ptr, mem->key.len);
                ddb_jw_value(w, &mem->value);
            }
        }
    }
    ddb_jw_object_end(w);
}

static int batch_get_run(struct ddb_reqctx *rc, const struct ddb_batch_get_input *in,
                         struct ddb_table **tables, const struct get_keys *keys,
                         const struct ddb_capacity_req *cap)
{
    struct ddb_json_writer *w = rc->w;
    struct ddb_capacity_list used;
    ddb_capacity_list_init(&used, rc->arena);
    for (uint32_t i = 0; i < in->table_count; i++)
        ddb_capacity_list_table(&used, in->tables[i].table, &tables[i]->def);
    size_t bytes = 0;
    bool full = false;
    uint32_t stop_table = in->table_count, stop_key = 0;
    ddb_jw_object_begin(w);
    ddb_jw_key_cstr(w, "Responses");
    ddb_jw_object_begin(w);
    for (uint32_t i = 0; i < in->table_count; i++) {
        const struct ddb_batch_get_table *t = &in->tables[i];
        ddb_jw_key(w, t->table.ptr, t->table.len);
        ddb_jw_array_begin(w);
        for (uint32_t k = 0; k < t->key_count && !full; k++) {
            struct ddb_item item;
            bool found;
            if (ddb_items_get(rc->server->engine, tables[i], rc->arena, keys[i].pk[k],
                              keys[i].sk[k], &item, &found, &rc->err) != 0)
                return -1;
            if (!found)
                continue;
            size_t size = ddb_item_size(&item);
            if (bytes + size > DDB_BATCH_GET_MAX_RESPONSE_BYTES) {
                full = true;
                stop_table = i;
                stop_key = k;
                break;
            }
            bytes += size;
            ddb_capacity_list_add(&used, t->table, ddb_capacity_item_read(size, t->consistent_read));
            if (t->projection != NULL) {
                struct ddb_item projected;
                ddb_projection_apply(t->projection, &item, rc->arena, &projected);
                item = projected;
            }
            ddb_item_to_json(w, &item);
        }
        ddb_jw_array_end(w);
    }
    ddb_jw_object_end(w);
    ddb_jw_key_cstr(w, "UnprocessedKeys");
    ddb_jw_object_begin(w);
    for (uint32_t i = stop_table; i < in->table_count; i++)
        write_unprocessed(w, &in->tables[i], i == stop_table ? stop_key : 0);
    ddb_jw_object_end(w);
    ddb_capacity_list_member(w, cap, &used);
    ddb_jw_object_end(w);
    return 0;
}

int ddb_op_batch_get_item(struct ddb_reqctx *rc)
{
    struct ddb_batch_get_input in;
    if (ddb_input_batch_get(rc->arena, rc->body, &in, &rc->err) != 0)
        return -1;
    struct ddb_capacity_req cap;
    if (ddb_capacity_input(rc->arena, rc->body, false, NULL, &cap, &rc->err) != 0)
        return -1;
    ddb_slice *names = ddb_arena_calloc(rc->arena, in.table_count, sizeof *names);
    uint32_t *counts = ddb_arena_calloc(rc->arena, in.table_count, sizeof *counts);
    for (uint32_t i = 0; i < in.table_count; i++) {
        names[i] = in.tables[i].table;
        counts[i] = in.tables[i].key_count;
    }
    struct get_keys *keys;
    struct ddb_table **tables = open_tables(rc, in.table_count, names, counts, &keys);
    int ret = -1;
    for (uint32_t i = 0; i < in.table_count; i++)
        if (tables[i] != NULL &&
            ddb_batch_get_check_keys(rc->arena, &tables[i]->def.key, &in.tables[i], keys[i].pk,
                                     keys[i].sk, &rc->err) != 0)
            goto out;
    if (not_found_if_missing(rc, tables, in.table_count) != 0 ||
        ddb_batch_get_parse_projections(&in, &rc->err) != 0)
        goto out;
    ret = batch_get_run(rc, &in, tables, keys, &cap);
out:
    unref_tables(tables, in.table_count);
    return ret;
}

/* ---- BatchWriteItem ---- */

/* The index keys every put carries, checked as PutItem checks them, all
 * before the first write (test_atomic_writes.py: test_batch_*_index_key). */
static int check_index_keys(struct ddb_reqctx *rc, const struct ddb_batch_write_input *in,
                            struct ddb_table **tables)
{
    for (uint32_t i = 0; i < in->table_count; i++)
        for (uint32_t k = 0; k < in->tables[i].count; k++)
            if (in->tables[i].reqs[k].is_put &&
                ddb_index_check_item(rc->arena, &tables[i]->def, &in->tables[i].reqs[k].item,
                                     false, &rc->err) != 0)
                return -1;
    return 0;
}

int ddb_op_batch_write_item(struct ddb_reqctx *rc)
{
    struct ddb_batch_write_input in;
    if (ddb_input_batch_write(rc->arena, rc->body, &in, &rc->err) != 0)
        return -1;
    struct ddb_capacity_req cap;
    if (ddb_capacity_input(rc->arena, rc->body, true, NULL, &cap, &rc->err) != 0)
        return -1;
    ddb_slice *names = ddb_arena_calloc(rc->arena, in.table_count, sizeof *names);
    uint32_t *counts = ddb_arena_calloc(rc->arena, in.table_count, sizeof *counts);
    for (uint32_t i = 0; i < in.table_count; i++) {
        names[i] = in.tables[i].table;
        counts[i] = in.tables[i].count;
    }
    struct get_keys *keys;
    struct ddb_table **tables = open_tables(rc, in.table_count, names, counts, &keys);
    int ret = -1;
    for (uint32_t i = 0; i < in.table_count; i++)
        if (tables[i] != NULL &&
            ddb_batch_write_check_table(rc->arena, &tables[i]->def.key, &in.tables[i],
                                        keys[i].pk, keys[i].sk, &rc->err) != 0)
            goto out;
    if (not_found_if_missing(rc, tables, in.table_count) != 0 ||
        check_index_keys(rc, &in, tables) != 0)
        goto out;
    struct ddb_capacity_list used;
    struct ddb_collection_list metrics;
    ddb_capacity_list_init(&used, rc->arena);
    ddb_collection_list_init(&metrics, rc->arena);
    for (uint32_t i = 0; i < in.table_count; i++) {
        const struct ddb_batch_write_table *t = &in.tables[i];
        for (uint32_t k = 0; k < t->count; k++) {
            /* PutItem's and DeleteItem's mutators, with no condition */
            struct ddb_item_input one = {.table = t->table};
            if (t->reqs[k].is_put)
                one.item = t->reqs[k].item;
            else
                one.key = t->reqs[k].item;
            struct ddb_item_write w = {.in = &one, .table = tables[i]};
            struct ddb_index_write_info info = {0};
            if (ddb_items_write_ex(rc->server->engine, tables[i], rc->arena, keys[i].pk[k],
                                   keys[i].sk[k],
                                   t->reqs[k].is_put ? ddb_item_write_put : ddb_item_write_delete,
                                   &w, &info, &rc->err) != 0)
                goto out;
            const struct ddb_item *old = w.had_old ? &w.old : NULL;
            const struct ddb_item *new_item = t->reqs[k].is_put ? &one.item : NULL;
            struct ddb_capacity_units *u =
                ddb_capacity_list_table(&used, t->table, &tables[i]->def);
            u->table += ddb_capacity_item_write(old ? ddb_item_size(old) : 0,
                                                new_item ? ddb_item_size(new_item) : 0);
            ddb_capacity_index_writes(u, rc->arena, &tables[i]->def, old, new_item, false);
            if (cap.item_metrics && info.has_collection)
                ddb_collection_list_add(&metrics, t->table, tables[i]->def.key.hash_name,
                                        keys[i].pk[k], info.collection_bytes);
        }
    }
    ddb_jw_object_begin(rc->w);
    ddb_jw_key_cstr(rc->w, "UnprocessedItems");
    ddb_jw_object_begin(rc->w);
    ddb_jw_object_end(rc->w);
    ddb_capacity_list_member(rc->w, &cap, &used);
    ddb_collection_list_member(rc->w, &metrics);
    ddb_jw_object_end(rc->w);
    ret = 0;
out:
    unref_tables(tables, in.table_count);
    return ret;
}
