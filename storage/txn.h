/*
 * txn.h: multi-item transactions (TransactWriteItems, TransactGetItems).
 *
 * ddb_txn_write() is ddb_items_write() for several items at once: it encodes
 * every action's item key, takes every involved lock stripe once, in
 * ascending stripe order (so two transactions, or a transaction and a
 * single-item write, can never deadlock, and two actions whose keys share a
 * stripe take it once), reads every old image, runs every action's mutator
 * (the ddb_items_mutator contract of items.h), and only if all of them
 * succeed writes ONE WriteBatch holding every new image, every delete and
 * every table-counter change. If any mutator fails nothing is written and
 * each action says whether it failed and why (DynamoDB's
 * CancellationReasons). Every mutator runs even after another failed, so
 * every reason is known.
 *
 * Conflicts: DynamoDB answers TransactionConflictException when a
 * transaction races another write on the same item. ddbd serialises on its
 * lock stripes instead: a conflicting writer waits for the stripe and then
 * runs against the committed state, so no conflict error is ever raised.
 *
 * ddb_txn_get() reads several items from one RocksDB snapshot, so a
 * transaction's writes are seen all or not at all.
 *
 * Both refuse two actions on the same item (same table and key) with
 * DynamoDB's ValidationException "Transaction request cannot include
 * multiple operations on one item", before locking or reading anything.
 *
 * Key values are already validated against each table's key schema. Images
 * are decoded into the caller's arena. Thread-safe.
 */
#ifndef DDB_TXN_H
#define DDB_TXN_H

#include "index.h"
#include "items.h"

struct ddb_txn_write {
    /* in */
    const struct ddb_table *table;
    const struct ddb_value *pk, *sk; /* sk ignored when the table has no sort key */
    ddb_items_mutator fn;
    void *ctx;
    /* out: set when fn returned -1 (err then holds what fn filled) */
    bool failed;
    struct ddb_error err;
    /* out: what a successful write did to its item collection (tables with
     * local indexes; ReturnItemCollectionMetrics), zero otherwise */
    struct ddb_index_write_info info;
    /* private to txn.c */
    ddb_slice key;
    unsigned stripe;
};

/* Runs n (>= 1) actions atomically. Returns 0 with *nfailed == 0 when every
 * mutator succeeded and the batch was written; 0 with *nfailed > 0 when at
 * least one mutator failed and nothing was written (see each w[i].failed);
 * -1 with err for a duplicate item (VALIDATION) or a storage failure
 * (INTERNAL), nothing written. */
int ddb_txn_write(struct ddb_engine *e, struct ddb_arena *a, struct ddb_txn_write *w, uint32_t n,
                  uint32_t *nfailed, struct ddb_error *err) DDB_MUST_CHECK;

/* What a caller adds to the transaction's WriteBatch (ClientRequestToken
 * records, storage/tokens.h): fn runs once every mutator has succeeded, with
 * the stripes still held, and adds its writes to b; its -1 (with err) writes
 * nothing and is the call's -1. */
struct ddb_txn_hook {
    int (*fn)(void *ctx, struct ddb_batch *b, struct ddb_arena *a, struct ddb_error *err);
    void *ctx;
};

/* ddb_txn_write, plus hook's writes in the same batch when the transaction
 * commits (also when no action changed an item). hook may be NULL. */
int ddb_txn_write_hooked(struct ddb_engine *e, struct ddb_arena *a, struct ddb_txn_write *w,
                         uint32_t n, const struct ddb_txn_hook *hook, uint32_t *nfailed,
                         struct ddb_error *err) DDB_MUST_CHECK;

struct ddb_txn_get {
    /* in */
    const struct ddb_table *table;
    const struct ddb_value *pk, *sk;
    /* out */
    bool found;
    struct ddb_item item;
};

/* Reads n items from one snapshot. -1 with err for a duplicate item
 * (VALIDATION) or a storage failure (INTERNAL, corrupt image). */
int ddb_txn_get(struct ddb_engine *e, struct ddb_arena *a, struct ddb_txn_get *g, uint32_t n,
                struct ddb_error *err) DDB_MUST_CHECK;

#endif
