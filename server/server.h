/*
 * server.h: the process-wide state every request handler may read.
 *
 * Filled once by main() before the event loops start and read-only afterwards
 * (so any thread may read it without locking).
 */
#ifndef DDB_SERVER_H
#define DDB_SERVER_H

#include "protocol/base.h"

struct ddb_engine;
struct ddb_catalog;
struct ddb_backfill;
struct ddb_idempotency;

enum ddb_log_level { DDB_LOG_ERROR, DDB_LOG_WARN, DDB_LOG_INFO, DDB_LOG_DEBUG };

struct ddb_config {
    const char *host;       /* --host, default 127.0.0.1 */
    int port;               /* --port, default 8000 */
    const char *data_dir;   /* --data-dir, default ./ddbd-data */
    bool in_memory;         /* --in-memory */
    int threads;            /* --threads, default: number of cores */
    const char *region;     /* --region, default us-east-1 (ARNs) */
    const char *account_id; /* --account-id, default 000000000000 (ARNs) */
    enum ddb_log_level log_level; /* --log-level error|warn|info|debug, default info */
    unsigned long long item_collection_limit; /* --item-collection-limit, default 10 GB */
    int backfill_pause_ms;                    /* --backfill-pause-ms, default 0 */
    int token_ttl_seconds; /* --token-ttl-seconds, default 600 (ClientRequestToken) */
    int max_connections; /* --max-connections, default DDB_MAX_CONNECTIONS */
    unsigned long long request_memory_budget; /* --request-memory-budget, bytes */
};

struct ddb_server {
    struct ddb_config cfg;
    struct ddb_engine *engine;
    struct ddb_catalog *catalog; /* opened by main() right after the engine */
    struct ddb_backfill *backfill; /* index backfill jobs (storage/backfill.h) */
    struct ddb_idempotency *idempotency; /* ClientRequestTokens (server/idempotency.h) */
};

#endif
