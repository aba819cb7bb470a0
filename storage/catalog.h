/*
 * catalog.h: the tables that exist, their definitions, and their counters.
 *
 * A struct ddb_table is an immutable, reference-counted snapshot of one
 * table's definition. Handlers take a reference for the length of a request
 * (ddb_catalog_get) and drop it at the end (ddb_table_unref); UpdateTable and
 * DeleteTable publish a new snapshot or remove the name without disturbing
 * requests that hold the old one.
 *
 * On disk (meta column family):
 *   "T" <name>          -> the table definition as a JSON object (written
 *                          and read by catalog_codec.c; treated as untrusted)
 *   "I"                 -> the next table id, 8 bytes big-endian
 *   "C" <id, 8 bytes BE> -> counters: item count, item bytes (engine merge);
 *                          for an index id: entry count, entry bytes
 *   "K" <table id> ...   -> item-collection counters (index.h)
 *   "R" <token>          -> a TransactWriteItems ClientRequestToken's record
 *                          (storage/tokens.h has the value's byte table)
 *   "E" <ms> <token>     -> the tokens' expiry index, empty values
 * The token keys, byte by byte:
 *
 *   key  offset  size   field
 *   R    0       1      'R' (0x52)
 *        1       1..36  the token's bytes (ClientRequestToken, as sent)
 *   E    0       1      'E' (0x45)
 *        1       8      completed_ms, unsigned big-endian (ms since the epoch;
 *                       so the keys sort oldest first)
 *        9       1..36  the token's bytes
 * A table's secondary indexes are part of its definition ("indexes" in the
 * JSON; definitions written before indexes existed have none) and take their
 * ids from the same never-reused sequence as tables, so an index's entries
 * (`index` family, keys starting with its id) are removed by one DeleteRange.
 * Table ids are never reused, so the data of a dropped table can be deleted
 * by range in the background while a new table of the same name starts
 * empty.
 *
 * Thread safety: all functions are thread-safe. Creating, updating and
 * deleting tables are serialised by the catalog's lock.
 */
#ifndef DDB_CATALOG_H
#define DDB_CATALOG_H

#include "engine.h"
#include "protocol/input_table.h"
#include "protocol/schema.h"

struct ddb_table {
    int refs; /* atomic */
    _Atomic int *stale; /* set once a newer snapshot replaced this one (catalog.c) */
    uint64_t id;
    char uuid[37];          /* TableId */
    double created;         /* CreationDateTime, seconds since the epoch */
    double billing_updated; /* BillingModeSummary.LastUpdateToPayPerRequestDateTime (0: never) */
    double throughput_increased, throughput_decreased; /* 0: never */
    int64_t decreases_today;
    struct ddb_table_def def; /* slices point into mem */
    struct ddb_arena mem;     /* owns every byte of def; freed with the last reference */
};

struct ddb_catalog;

/* Loads every table definition from the engine. -1 (INTERNAL) if the meta
 * family holds something that does not decode. */
int ddb_catalog_open(struct ddb_engine *e, struct ddb_catalog **out, struct ddb_error *err)
    DDB_MUST_CHECK;
void ddb_catalog_close(struct ddb_catalog *c);

/* The table called name with a reference taken, or NULL. */
struct ddb_table *ddb_catalog_get(struct ddb_catalog *c, ddb_slice name);
void ddb_table_ref(struct ddb_table *t);
void ddb_table_unref(struct ddb_table *t);

/* Creates a table (definition already validated by the caller). Sets *out
 * to the new table with a reference taken. Errors: RESOURCE_IN_USE when the
 * name exists ("Table already exists: NAME"), INTERNAL on I/O failure. */
int ddb_catalog_create(struct ddb_catalog *c, struct ddb_arena *a, const struct ddb_table_def *def,
                       struct ddb_table **out, struct ddb_error *err) DDB_MUST_CHECK;

/* Replaces the billing mode and throughput of table name (validated by the
 * caller); *out gets the new snapshot with a reference taken.
 * RESOURCE_NOT_FOUND when the table does not exist. */
int ddb_catalog_update_billing(struct ddb_catalog *c, struct ddb_arena *a, ddb_slice name,
                               enum ddb_billing_mode billing, int64_t rcu, int64_t wcu,
                               struct ddb_table **out, struct ddb_error *err) DDB_MUST_CHECK;

/* Removes table name from the catalog and deletes its items (by range: no
 * scan). *out gets the last snapshot with a reference taken (for the
 * response). RESOURCE_NOT_FOUND when the table does not exist. */
int ddb_catalog_delete(struct ddb_catalog *c, struct ddb_arena *a, ddb_slice name,
                       struct ddb_table **out, struct ddb_error *err) DDB_MUST_CHECK;

/* UpdateTable's GlobalSecondaryIndexUpdates (checked here, under the
 * catalog's lock, by ddb_check_update_indexes): publishes the new
 * definition. A created index gets a fresh id and status CREATING (the
 * caller starts its backfill: *created_id); a deleted index leaves the
 * definition at once and its entries and counters are removed by
 * DeleteRange in the same write (*deleted_id; run ddb_catalog_purge_index
 * once writers holding older snapshots are gone). *out: the new snapshot,
 * with a reference. */
int ddb_catalog_update_indexes(struct ddb_catalog *c, struct ddb_arena *a,
                               const struct ddb_update_table_input *in, struct ddb_table **out,
                               uint64_t *created_id, uint64_t *deleted_id,
                               struct ddb_error *err) DDB_MUST_CHECK;

/* Marks index index_id of table table_id (called table) ACTIVE. Returns 0,
 * or -1 if the table or index no longer exists (nothing to do) or on I/O
 * failure. */
int ddb_catalog_index_ready(struct ddb_catalog *c, struct ddb_arena *a, ddb_slice table,
                            uint64_t table_id, uint64_t index_id, struct ddb_error *err)
    DDB_MUST_CHECK;

/* Deletes the entries and counters of a dropped index again (a writer that
 * still held the old definition may have added some after the first
 * DeleteRange). */
int ddb_catalog_purge_index(struct ddb_catalog *c, uint64_t index_id, struct ddb_error *err)
    DDB_MUST_CHECK;

/* Waits until no snapshot replaced before this call is still referenced,
 * i.e. until every request that started with an older definition of any
 * table has finished; gives up (returning false) when *stop becomes true.
 * Polls; never call it on an event-loop thread. */
bool ddb_catalog_wait_quiescent(struct ddb_catalog *c, const _Atomic bool *stop);

/* The entry count and bytes of an index. */
int ddb_catalog_index_stats(struct ddb_catalog *c, uint64_t index_id, int64_t *items,
                            int64_t *bytes, struct ddb_error *err) DDB_MUST_CHECK;

struct ddb_engine *ddb_catalog_engine(struct ddb_catalog *c);

/* ddb_catalog_get for the data operations (items, queries, batches,
 * transactions): NULL with err set to DynamoDB's RESOURCE_NOT_FOUND
 * "Requested resource not found" when the table does not exist. */
struct ddb_table *ddb_catalog_find(struct ddb_catalog *c, ddb_slice name, struct ddb_error *err);

/* Fills err with DynamoDB's RESOURCE_NOT_FOUND for table name ("Requested
 * resource not found: Table: NAME not found", the table operations' wording)
 * and returns -1. */
int ddb_catalog_not_found(struct ddb_error *err, struct ddb_arena *a, ddb_slice name);

/* Table names in byte order, after `start` (exclusive; {NULL,0} for the
 * beginning), at most limit of them, copied into arena a. *more is set when
 * further names follow. */
int ddb_catalog_list(struct ddb_catalog *c, struct ddb_arena *a, ddb_slice start, uint32_t limit,
                     ddb_slice **names, uint32_t *count, bool *more);

/* The counters key of a table ("C" + id) into buf (9 bytes). */
void ddb_catalog_counter_key(uint64_t table_id, char buf[9]);

/* Item count and total item bytes of a table, exact. */
int ddb_catalog_table_stats(struct ddb_catalog *c, const struct ddb_table *t, int64_t *items,
                            int64_t *bytes, struct ddb_error *err) DDB_MUST_CHECK;

#endif
