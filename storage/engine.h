/*
 * engine.h: the storage engine (RocksDB), the only owner of the database.
 *
 * One engine per process, shared by every event-loop thread. storage/engine.c
 * is the only file that includes rocksdb/c.h; the rest of storage/ reaches
 * RocksDB through the small wrappers below (point reads, write batches,
 * bounded iterators), so the layout rules of DESIGN.md "Storage layout" live
 * in keycodec.c / catalog.c / table.c, not here.
 *
 * Column families by kind: meta (catalog, counters), items, index, stream,
 * ttl. The meta family has an "add two int64" merge operator for the
 * per-table counters (ddb_batch_add_counter), so item counts change in the
 * same WriteBatch as the items.
 *
 * Durability: the WAL is always on, so a killed process loses nothing that was
 * acknowledged; with opts.sync every write is also fsynced before returning.
 *
 * Thread safety: every function is safe from any thread, except that one
 * batch or iterator must be used by one thread at a time. Per-item write
 * serialisation is the caller's job, with ddb_engine_lock_stripe().
 */
#ifndef DDB_ENGINE_H
#define DDB_ENGINE_H

#include "protocol/error.h"

struct ddb_engine;
struct ddb_batch;
struct ddb_iter;

enum ddb_cf {
    DDB_CF_META = 0,
    DDB_CF_ITEMS,
    DDB_CF_INDEX,
    DDB_CF_STREAM,
    DDB_CF_TTL,
    DDB_CF__COUNT
};

struct ddb_engine_options {
    const char *data_dir; /* created if missing; ignored when in_memory */
    bool in_memory;       /* RocksDB's memory environment: nothing touches disk */
    bool sync;            /* fsync the WAL before acknowledging a write */
};

/* Opens (creating if needed) the database. On failure returns -1 with an
 * INTERNAL error whose message says why (e.g. the folder is locked by another
 * ddbd). The engine is freed by ddb_engine_close(). */
int ddb_engine_open(const struct ddb_engine_options *opts, struct ddb_engine **out,
                    struct ddb_error *err) DDB_MUST_CHECK;

/* Closes the database and frees the engine. Call once no request runs. */
void ddb_engine_close(struct ddb_engine *e);

/* Point read. On success returns 0 and sets *val to a copy in arena a, or to
 * {NULL, 0} when the key is absent. -1 with an INTERNAL error on I/O failure. */
int ddb_engine_get(struct ddb_engine *e, enum ddb_cf cf, ddb_slice key, struct ddb_arena *a,
                   ddb_slice *val, struct ddb_error *err) DDB_MUST_CHECK;

/* Write batches: build, then apply atomically with ddb_engine_write(). */
struct ddb_batch *ddb_batch_new(struct ddb_engine *e);
void ddb_batch_put(struct ddb_batch *b, enum ddb_cf cf, ddb_slice key, ddb_slice val);
void ddb_batch_delete(struct ddb_batch *b, enum ddb_cf cf, ddb_slice key);
void ddb_batch_delete_range(struct ddb_batch *b, enum ddb_cf cf, ddb_slice start, ddb_slice end);
/* Adds (d0, d1) to the two int64 counters stored at key in the meta family. */
void ddb_batch_add_counter(struct ddb_batch *b, ddb_slice key, int64_t d0, int64_t d1);
void ddb_batch_free(struct ddb_batch *b);
int ddb_engine_write(struct ddb_engine *e, struct ddb_batch *b, struct ddb_error *err)
    DDB_MUST_CHECK;

/* Reads the two counters at key in the meta family (0, 0 when absent). */
int ddb_engine_get_counter(struct ddb_engine *e, ddb_slice key, int64_t *c0, int64_t *c1,
                           struct ddb_error *err) DDB_MUST_CHECK;

/* Iterators over [lower, upper) of one family (either bound may be {NULL,0}
 * for unbounded). The bounds' bytes are copied. Reads see one consistent
 * point in time. key/value slices are valid until the next move or free. */
struct ddb_iter *ddb_iter_new(struct ddb_engine *e, enum ddb_cf cf, ddb_slice lower,
                              ddb_slice upper);
void ddb_iter_seek(struct ddb_iter *it, ddb_slice key);          /* first >= key */
void ddb_iter_seek_for_prev(struct ddb_iter *it, ddb_slice key); /* last <= key */
void ddb_iter_seek_first(struct ddb_iter *it);
void ddb_iter_seek_last(struct ddb_iter *it);
bool ddb_iter_valid(const struct ddb_iter *it);
void ddb_iter_next(struct ddb_iter *it);
void ddb_iter_prev(struct ddb_iter *it);
ddb_slice ddb_iter_key(const struct ddb_iter *it);
ddb_slice ddb_iter_value(const struct ddb_iter *it);
/* After iteration: -1 with an INTERNAL error if RocksDB reported one. */
int ddb_iter_status(const struct ddb_iter *it, struct ddb_arena *a, struct ddb_error *err)
    DDB_MUST_CHECK;
void ddb_iter_free(struct ddb_iter *it);

/* Snapshots: several point reads that see one consistent point in time
 * (TransactGetItems). ddb_snapshot_get behaves as ddb_engine_get, against
 * the state of the database when ddb_snapshot_new was called. One snapshot
 * is used by one thread at a time; free it with ddb_snapshot_free. */
struct ddb_snapshot;
struct ddb_snapshot *ddb_snapshot_new(struct ddb_engine *e);
int ddb_snapshot_get(struct ddb_snapshot *s, enum ddb_cf cf, ddb_slice key, struct ddb_arena *a,
                     ddb_slice *val, struct ddb_error *err) DDB_MUST_CHECK;
void ddb_snapshot_free(struct ddb_snapshot *s);

/* The mutex serialising writes to the items whose key hashes to `hash`
 * (DDB_LOCK_STRIPES stripes). Several stripes must be taken in ascending
 * stripe order (ddb_engine_stripe_of). */
unsigned ddb_engine_stripe_of(uint64_t hash);
/* The stripe of an encoded item key (FNV-1a over its bytes, then
 * ddb_engine_stripe_of): the one mapping every writer of items uses. */
unsigned ddb_engine_stripe_of_key(ddb_slice key);
void ddb_engine_lock_stripe(struct ddb_engine *e, unsigned stripe);
void ddb_engine_unlock_stripe(struct ddb_engine *e, unsigned stripe);

#endif
