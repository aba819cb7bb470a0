/*
 * engine.h: the storage engine (RocksDB), the only owner of the database.
 *
 * One engine per process, shared by every event-loop thread. storage/engine.c
 * is the only file that includes rocksdb/c.h. Column families by kind (meta,
 * items, index, stream, ttl; DESIGN.md "Storage layout").
 *
 * Thread safety: every function is safe to call from any thread; per-item
 * writes are serialised by the engine's lock stripes.
 */
#ifndef DDB_ENGINE_H
#define DDB_ENGINE_H

#include "protocol/error.h"

struct ddb_engine;

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

/* Flushes nothing extra (the WAL already holds every acknowledged write),
 * closes the database and frees the engine. Call once no request runs. */
void ddb_engine_close(struct ddb_engine *e);

#endif
