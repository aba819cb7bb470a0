/*
 * index.h: secondary-index entries, kept in step with the base items.
 *
 * Layout (DESIGN.md "Storage layout"; keycodec.h has the byte format):
 *   `index` family:  index_id | hash(index pk) | index pk | index sk
 *                    | base pk | base sk   ->  itemcodec image of the
 *                    projected attributes (KEYS_ONLY: the index and table
 *                    keys; INCLUDE: those and NonKeyAttributes; ALL: the
 *                    whole item)
 *   `meta` family:   "C" <index id>  -> entry count, entry bytes (counter
 *                    merge; bytes are ddb_item_size of the projected item)
 *                    "K" <table id> <hash> <pk> -> for tables with local
 *                    indexes: item count and bytes of the item collection
 *                    (base items plus their LSI entries)
 * An item lacking an index key attribute has no entry in that index (sparse
 * indexes), nor does one whose value a write would refuse (only items that
 * predate a GSI can carry such a value: ddb_index_entry_key). An index entry
 * exists exactly when the base item has the index's key attributes with
 * such values, and holds the projection of the current base image.
 *
 * ddb_index_maintain() is the ONE function that changes index entries on a
 * write; every write path (storage/items.c single-item writes, transactions)
 * calls it under the item's lock stripe with the old and new images and puts
 * the result in the same WriteBatch as the base item, so an index can never
 * disagree with its table.
 *
 * Indexes in status CREATING are being backfilled (storage/backfill.h):
 * writers maintain them too, but cannot assume that the old image's entry
 * already exists (the backfill may not have reached it), so for those the
 * old entry's existence is read before it is counted as removed.
 *
 * Thread safety: all functions are thread-safe; ddb_index_maintain must be
 * called with the item's stripe held.
 */
#ifndef DDB_INDEX_H
#define DDB_INDEX_H

#include "catalog.h"

/* Appends the entry key of item in index x of table t and returns true, or
 * returns false (b unchanged) if the item lacks one of x's key attributes or
 * has one a write would refuse (ddb_index_check_item): of the wrong type,
 * empty, over the key size. Such items have no entry: a write refuses them,
 * and a GSI built on a live table (backfill.h) skips them, as DynamoDB does
 * with index key violations; ddbd-inspect --verify-indexes expects the same. */
bool ddb_index_entry_key(struct ddb_buf *b, const struct ddb_table_def *d,
                         const struct ddb_index_def *x, const struct ddb_item *item);

/* The projection of item into index x (attributes shared with item, arrays
 * in a). */
void ddb_index_project(struct ddb_arena *a, const struct ddb_table_def *d,
                       const struct ddb_index_def *x, const struct ddb_item *item,
                       struct ddb_item *out);

/* Whether attribute name is projected into x (keys always are). */
bool ddb_index_projects(const struct ddb_table_def *d, const struct ddb_index_def *x,
                        ddb_slice name);

/* Checks the index key attributes an item to be written carries: the type
 * the index declares, not empty, within the key sizes. update selects the
 * wording UpdateItem uses for an empty value. VALIDATION with DynamoDB's
 * messages. */
int ddb_index_check_item(struct ddb_arena *a, const struct ddb_table_def *d,
                         const struct ddb_item *item, bool update,
                         struct ddb_error *err) DDB_MUST_CHECK;

/* What a write did to the item collection (tables with local indexes). */
struct ddb_index_write_info {
    bool has_collection;      /* the table has local secondary indexes */
    int64_t collection_bytes; /* the collection's size after the write */
};

/* Adds to b every index change of the write old -> new_item (either may be
 * NULL: a put of a new item, a delete), with the index counters and the
 * item-collection counter. Called with the item's stripe held. Fails
 * (VALIDATION for a bad index key, ITEM_COLLECTION_SIZE_LIMIT when the
 * collection would outgrow the limit, INTERNAL on I/O) without the write
 * having happened. info may be NULL. */
int ddb_index_maintain(struct ddb_engine *e, struct ddb_batch *b, struct ddb_arena *a,
                       const struct ddb_table *t, const struct ddb_item *old,
                       const struct ddb_item *new_item, struct ddb_index_write_info *info,
                       struct ddb_error *err) DDB_MUST_CHECK;

/* The item-collection counter key of partition pk of table t ("K" +
 * partition prefix). */
void ddb_index_collection_key(struct ddb_buf *b, uint64_t table_id, const struct ddb_value *pk);

/* The item-collection size limit (DDB_ITEM_COLLECTION_LIMIT unless set, e.g.
 * by ddbd's --item-collection-limit). Set before serving. */
void ddb_index_set_collection_limit(uint64_t bytes);
uint64_t ddb_index_collection_limit(void);

#endif
