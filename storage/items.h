/*
 * items.h: reading and writing a table's items.
 *
 * A single-item write (PutItem, UpdateItem, DeleteItem) is one call to
 * ddb_items_write(): it takes the item's lock stripe, reads the old image,
 * lets the caller's mutator decide (condition, update expression), builds ONE
 * WriteBatch with the new image and the table's counter change, writes it
 * and releases the stripe (DESIGN.md "A request's way through", step 6). So
 * concurrent writers of one item are serialised and the counters always
 * agree with the items.
 *
 * Reads (GetItem, Query, Scan) need no lock: RocksDB gives each read or
 * iterator a consistent snapshot.
 *
 * Key values passed in are already validated against the table's key schema
 * (types, sizes). Items handed out are decoded into the caller's arena.
 * Thread safety: all functions are thread-safe.
 */
#ifndef DDB_ITEMS_H
#define DDB_ITEMS_H

#include "catalog.h"

/* GetItem: *found false when the item does not exist. */
int ddb_items_get(struct ddb_engine *e, const struct ddb_table *t, struct ddb_arena *a,
                  const struct ddb_value *pk, const struct ddb_value *sk, struct ddb_item *out,
                  bool *found, struct ddb_error *err) DDB_MUST_CHECK;

enum ddb_write_action { DDB_WRITE_NOTHING, DDB_WRITE_PUT, DDB_WRITE_DELETE };

/* Called under the item's lock with the current image (NULL when the item
 * does not exist). Sets *action and, for DDB_WRITE_PUT, *new_item (which must
 * carry the same key). Returning -1 (with err filled, e.g. a failed
 * condition) aborts the write. */
typedef int (*ddb_items_mutator)(void *ctx, struct ddb_arena *a, const struct ddb_item *old,
                                 enum ddb_write_action *action, struct ddb_item *new_item,
                                 struct ddb_error *err);

int ddb_items_write(struct ddb_engine *e, const struct ddb_table *t, struct ddb_arena *a,
                    const struct ddb_value *pk, const struct ddb_value *sk, ddb_items_mutator fn,
                    void *ctx, struct ddb_error *err) DDB_MUST_CHECK;

/* A range read over item keys [start, end) (from keycodec), forward or in
 * reverse, resuming strictly after exclusive_start (an encoded item key, or
 * ptr NULL), stopping after `limit` items (0: no limit) or once the items
 * read add up to max_bytes (DynamoDB's 1 MB page, counted with
 * ddb_item_size). */
struct ddb_range_read {
    ddb_slice start, end;
    bool reverse;
    ddb_slice exclusive_start;
    uint32_t limit;
    size_t max_bytes;
};

/* Called for each item read, in order. Return -1 to stop with an error. */
typedef int (*ddb_range_fn)(void *ctx, const struct ddb_item *item, struct ddb_error *err);

/* *stopped_early is set when the read stopped because of limit (whether or
 * not more items follow) or max_bytes (only when more items follow; the item
 * that reaches max_bytes is the page's last), as DynamoDB does: the caller
 * then answers a LastEvaluatedKey, the key of the last item passed to fn. */
int ddb_items_read_range(struct ddb_engine *e, const struct ddb_table *t, struct ddb_arena *a,
                         const struct ddb_range_read *r, ddb_range_fn fn, void *ctx,
                         bool *stopped_early, struct ddb_error *err) DDB_MUST_CHECK;

#endif
