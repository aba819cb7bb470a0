/*
 * backfill.h: background jobs that build a new global secondary index from
 * the base items while writes continue, and that finish deleting a dropped
 * index.
 *
 * Why a backfill is neither lost nor doubled by racing writes:
 *
 * 1. UpdateTable publishes the table's new definition with the index in
 *    status CREATING (catalog.c). From then on every write that holds the
 *    new snapshot maintains the index (storage/index.c), under the item's
 *    lock stripe, in the same WriteBatch as the base item.
 * 2. A write that started earlier may still hold the old snapshot, which
 *    does not know the index. So the job first waits until no replaced
 *    snapshot is referenced any more (ddb_catalog_wait_quiescent): after
 *    that, every write in flight knows the index.
 * 3. The job then walks the base items in key order, in batches of
 *    DDB_BACKFILL_BATCH keys. For a batch it takes the keys' lock stripes
 *    (ascending, each once), and for each key reads the CURRENT image
 *    (a point read under the stripe, not the scan's possibly older copy);
 *    if the item still exists and has the index key (a value a write would
 *    accept: ddb_index_entry_key skips DynamoDB's index key violations, an
 *    empty, wrong-typed or too long value), and the entry is not already
 *    there, it puts the entry and counts it; the batch is one
 *    WriteBatch; then the stripes are released.
 * 4. A writer of a CREATING index cannot assume that the entry of the old
 *    image exists (the job may not have reached the item): it reads it
 *    before deleting and counting it (index.h).
 * So for each item, whichever of the job and the writers comes later under
 * the item's stripe sees the other's result: an entry written by a writer
 * is found and skipped by the job (not doubled); an entry written by the
 * job is found, deleted and counted by a later writer (not stale); a write
 * between the job's scan and its batch is seen by the point read (not
 * lost). Items created after the scan passed their key are written by
 * writers that know the index. The entry count and bytes move only with an
 * entry's existence, so the counters stay exact.
 * 5. At the end the job marks the index ACTIVE (catalog). A job interrupted
 * by shutdown is restarted from the beginning at the next start-up
 * (ddb_backfill_resume): step 3 is idempotent.
 *
 * Deleting an index removes it from the definition and its entries by
 * DeleteRange at once (catalog.c); a purge job then waits for step 2's
 * quiescence and deletes the range again, for entries a writer with the old
 * definition added meanwhile.
 *
 * Thread safety: all functions are thread-safe. Jobs run on their own
 * threads; ddb_backfill_stop() joins them (call it before closing the
 * catalog and the engine).
 */
#ifndef DDB_BACKFILL_H
#define DDB_BACKFILL_H

#include "catalog.h"

#define DDB_BACKFILL_BATCH 256

struct ddb_backfill;

/* pause_ms: a pause between batches (0 in production; a test may slow a
 * backfill down to watch the CREATING state). */
struct ddb_backfill *ddb_backfill_new(struct ddb_catalog *c, unsigned pause_ms);

/* Starts building index index_id of table (name, table_id). */
void ddb_backfill_start(struct ddb_backfill *bf, ddb_slice table, uint64_t table_id,
                        uint64_t index_id);

/* Starts the purge job of a deleted index. */
void ddb_backfill_purge(struct ddb_backfill *bf, uint64_t index_id);

/* Starts a job for every index still CREATING (after a restart). */
void ddb_backfill_resume(struct ddb_backfill *bf);

/* Asks every job to stop, waits for them, and frees bf. */
void ddb_backfill_stop(struct ddb_backfill *bf);

/* One backfill batch, for tests: the keys of the batch after `after`
 * (exclusive; ptr NULL for the first), entries written as step 3 says.
 * Sets *next to the last key handled (in a) and *done when the table has no
 * further items. */
int ddb_backfill_batch(struct ddb_catalog *c, struct ddb_arena *a, const struct ddb_table *t,
                       const struct ddb_index_def *x, ddb_slice after, ddb_slice *next,
                       bool *done, struct ddb_error *err) DDB_MUST_CHECK;

#endif
