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
 *   NONE:    no member at all.
 * Units print as "%.1f" (1.0, 0.5, 0.0).
 *
 * ReturnItemCollectionMetrics: validated (SIZE, NONE) wherever DynamoDB takes
 * it; ddbd has no local secondary indexes, and DynamoDB returns no
 * ItemCollectionMetrics for a table without them, so nothing is ever written.
 *
 * Memory: from the request's arena. Thread safety: per request.
 */
#ifndef DDB_SERVER_CAPACITY_H
#define DDB_SERVER_CAPACITY_H

#include "protocol/capacity.h"
#include "protocol/input.h"

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

/* Per-table sums for the multi-table operations, in first-seen order. */
struct ddb_capacity_list {
    struct ddb_arena *arena;
    struct ddb_capacity_entry {
        ddb_slice table;
        double units;
    } *entries;
    uint32_t count, cap;
};

void ddb_capacity_list_init(struct ddb_capacity_list *l, struct ddb_arena *a);
/* Adds units to table's entry (table's bytes must outlive the list). */
void ddb_capacity_list_add(struct ddb_capacity_list *l, ddb_slice table, double units);
/* Writes "ConsumedCapacity": [{...}, ...] (nothing for NONE). */
void ddb_capacity_list_member(struct ddb_json_writer *w, const struct ddb_capacity_req *req,
                              const struct ddb_capacity_list *l);

#endif
