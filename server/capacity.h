/*
 * capacity.h: ReturnConsumedCapacity and ReturnItemCollectionMetrics for the
 * handlers (the arithmetic is protocol/capacity.h).
 *
 * Use in a handler:
 *   struct ddb_capacity_req cap;
 *   if (ddb_capacity_input(rc->arena, rc->body, true, NULL, &cap, &rc->err) != 0)
 *       return -1;                               // bad enum value
 *   ... do the work, compute units with protocol/capacity.h ...
 *   ddb_capacity_member(rc->w, &cap, table_name, units);   // inside the answer object
 *
 * For the multi-table answers (BatchGetItem, BatchWriteItem, TransactGetItems,
 * TransactWriteItems: "ConsumedCapacity" is a list of one object per table)
 * add each table's units to a struct ddb_capacity_list and write it with
 * ddb_capacity_list_member().
 *
 * The JSON written is exactly DynamoDB Local's (protocol/MESSAGES-query-capacity.md):
 *   TOTAL:   {"TableName": "t", "CapacityUnits": 1.5}
 *   INDEXES: {"TableName": "t", "CapacityUnits": 1.5, "Table": {"CapacityUnits": 1.5}}
 *            plus, when secondary indexes consumed capacity (a write that
 *            changed their entries, a Query or Scan of an index),
 *            "LocalSecondaryIndexes": {"i": {"CapacityUnits": 1.0}} and
 *            "GlobalSecondaryIndexes": {...}; CapacityUnits is then the sum of
 *            the table's part and every index's.
 *   NONE:    no member at all.
 * Units print as "%.1f" (1.0, 0.5, 0.0).
 *
 * Index writes (ddb_capacity_index_writes), as DynamoDB Local measures them:
 * each index whose entry a write changes costs the write units of its
 * projected entry (1 KB units, at least one): a new entry its size, a removed
 * one its old size, an entry whose key stays but whose projection changes the
 * larger of the two, an entry whose index key changes both (a delete and a
 * put); an unchanged entry, or none before and after, costs nothing.
 *
 * ReturnItemCollectionMetrics: validated (SIZE, NONE) wherever DynamoDB takes
 * it; written only for writes to tables with local secondary indexes.
 *
 * Memory: from the request's arena. Thread safety: per request.
 */
#ifndef DDB_SERVER_CAPACITY_H
#define DDB_SERVER_CAPACITY_H

#include "protocol/capacity.h"
#include "protocol/input.h"
#include "protocol/schema.h"
#include "protocol/value.h"

struct ddb_capacity_req {
    enum ddb_capacity_mode mode;
    bool item_metrics; /* ReturnItemCollectionMetrics SIZE */
};

/* Reads ReturnConsumedCapacity and, when takes_metrics, ReturnItemCollectionMetrics
 * from body. A non-string is SERIALIZATION; a value outside the enum is the
 * constraint message ("Value 'X' at 'returnConsumedCapacity' failed to satisfy
 * constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]",
 * "... 'returnItemCollectionMetrics' ... [SIZE, NONE]"): added to v when v is
 * not NULL (the caller finishes the list), otherwise returned as
 * "1 validation error detected: ...". */
int ddb_capacity_input(struct ddb_arena *a, const struct ddb_json *body, bool takes_metrics,
                       struct ddb_vlist *v, struct ddb_capacity_req *out,
                       struct ddb_error *err) DDB_MUST_CHECK;

/* Writes "ConsumedCapacity": {...} into the open answer object (nothing for NONE). */
void ddb_capacity_member(struct ddb_json_writer *w, const struct ddb_capacity_req *req,
                         ddb_slice table, double units);

/* Writes only the {...} object (the element of a list). mode must not be NONE. */
void ddb_capacity_object(struct ddb_json_writer *w, enum ddb_capacity_mode mode, ddb_slice table,
                         double units);

/* One table's figures: its own part and each secondary index's. The index
 * arrays follow the table definition's indexes (which, with their names,
 * must outlive the writing of the answer: keep the table referenced). */
struct ddb_capacity_units {
    double table;
    uint32_t index_count;
    const struct ddb_index_def *indexes;
    double *index;    /* index_count figures */
    bool *index_used; /* listed in an INDEXES answer */
};

/* Zero figures for a table with definition d (NULL: no indexes). */
void ddb_capacity_units_init(struct ddb_capacity_units *u, struct ddb_arena *a,
                             const struct ddb_table_def *d);

/* The table's part plus every index's. */
double ddb_capacity_units_total(const struct ddb_capacity_units *u);

/* Adds the index writes of old -> new_item (either NULL: no such image) of
 * the table u was made for; doubled when transactional. */
void ddb_capacity_index_writes(struct ddb_capacity_units *u, struct ddb_arena *a,
                               const struct ddb_table_def *d, const struct ddb_item *old,
                               const struct ddb_item *new_item, bool transactional);

/* Adds units read from index number i (a Query or Scan of it): listed even at 0. */
void ddb_capacity_index_read(struct ddb_capacity_units *u, uint32_t i, double units);

/* ddb_capacity_member with per-index figures. */
void ddb_capacity_member_units(struct ddb_json_writer *w, const struct ddb_capacity_req *req,
                               ddb_slice table, const struct ddb_capacity_units *u);

/* Per-table figures for the multi-table operations, in first-seen order. */
struct ddb_capacity_list {
    struct ddb_arena *arena;
    struct ddb_capacity_entry {
        ddb_slice table;
        struct ddb_capacity_units u;
    } *entries;
    uint32_t count, cap;
};

void ddb_capacity_list_init(struct ddb_capacity_list *l, struct ddb_arena *a);
/* table's figures, created (zero, for definition d, which may be NULL) on
 * first use (table's bytes must outlive the list). */
struct ddb_capacity_units *ddb_capacity_list_table(struct ddb_capacity_list *l, ddb_slice table,
                                                   const struct ddb_table_def *d);
/* Adds units to table's own part. */
void ddb_capacity_list_add(struct ddb_capacity_list *l, ddb_slice table, double units);
/* Writes "ConsumedCapacity": [{...}, ...] (nothing for NONE). */
void ddb_capacity_list_member(struct ddb_json_writer *w, const struct ddb_capacity_req *req,
                              const struct ddb_capacity_list *l);

/* ItemCollectionMetrics of writes to tables with local secondary indexes. */

/* Writes {"ItemCollectionKey": {hash: pk}, "SizeEstimateRangeGB": [lo, hi]}:
 * the collection's size (bytes) bracketed in whole GB. */
void ddb_capacity_collection_object(struct ddb_json_writer *w, ddb_slice hash_name,
                                    const struct ddb_value *pk, int64_t bytes);

/* The multi-table form: "ItemCollectionMetrics": {"t": [{...}, ...]}, one
 * object per write to a table with local indexes, grouped by table in
 * first-seen order. Entries' slices and values must outlive the list. */
struct ddb_collection_list {
    struct ddb_arena *arena;
    struct ddb_collection_entry {
        ddb_slice table, hash_name;
        const struct ddb_value *pk;
        int64_t bytes;
    } *entries;
    uint32_t count, cap;
};

void ddb_collection_list_init(struct ddb_collection_list *l, struct ddb_arena *a);
void ddb_collection_list_add(struct ddb_collection_list *l, ddb_slice table, ddb_slice hash_name,
                             const struct ddb_value *pk, int64_t bytes);
/* Writes the member; nothing when the list is empty. */
void ddb_collection_list_member(struct ddb_json_writer *w, const struct ddb_collection_list *l);

#endif
