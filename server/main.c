/*
 * main.c: ddbd's start-up and shutdown.
 *
 * Parse the flags, bind the listening sockets, open the engine, say so once,
 * run the event-loop threads, and on SIGINT or SIGTERM stop accepting, let
 * the loops finish, close the engine (so RocksDB closes cleanly) and exit 0.
 * Signals are blocked in every thread and taken by sigwait() here, so no
 * signal handler ever runs inside h2o or RocksDB.
 */
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "config.h"
#include "listen.h"
#include "log.h"
#include "protocol/limits.h"
#include "router.h"
#include "idempotency.h"
#include "storage/backfill.h"
#include "storage/catalog.h"
#include "storage/index.h"
#include "storage/engine.h"

static struct ddb_server server;
static h2o_globalconf_t h2o_conf;

int main(int argc, char **argv)
{
    ddb_config_init(&server.cfg);
    switch (ddb_config_parse(&server.cfg, argc, argv, stdout, stderr)) {
    case DDB_CONFIG_RUN:
        break;
    case DDB_CONFIG_EXIT:
        return 0;
    case DDB_CONFIG_USAGE:
        return 2;
    }
    const struct ddb_config *cfg = &server.cfg;
    ddb_log_set_level(cfg->log_level);
    /* A fixed threshold (glibc raises its own after each large free): large
     * arena blocks and h2o buffers are mapped and unmapped, so the memory of
     * a burst of big requests goes back to the kernel when they end. */
    mallopt(M_MMAP_THRESHOLD, DDB_MALLOC_MMAP_THRESHOLD);

    /* Before any thread exists, so every thread inherits the mask. */
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    signal(SIGPIPE, SIG_IGN);

    /* Bind first: a taken port fails before the data folder is touched.
     * Connections that arrive meanwhile wait in the listen backlog. */
    h2o_config_init(&h2o_conf);
    ddb_router_register(&h2o_conf, &server);
    struct ddb_listen *listen = NULL;
    if (ddb_listen_bind(cfg, &h2o_conf, &listen) != 0)
        return 1;

    struct ddb_engine_options eo = {
        .data_dir = cfg->data_dir,
        .in_memory = cfg->in_memory,
        .sync = false,
    };
    struct ddb_error err = {0};
    if (ddb_engine_open(&eo, &server.engine, &err) != 0) {
        ddb_log(DDB_LOG_ERROR, "cannot open the data in %s: %s", cfg->data_dir,
                err.message ? err.message : "unknown error");
        ddb_listen_stop(listen);
        return 1;
    }
    if (ddb_catalog_open(server.engine, &server.catalog, &err) != 0) {
        ddb_log(DDB_LOG_ERROR, "cannot read the tables in %s: %s", cfg->data_dir,
                err.message ? err.message : "unknown error");
        ddb_listen_stop(listen);
        ddb_engine_close(server.engine);
        return 1;
    }

    server.idempotency =
        ddb_idempotency_new(server.engine, (int64_t)cfg->token_ttl_seconds * 1000);
    ddb_index_set_collection_limit(cfg->item_collection_limit);
    server.backfill = ddb_backfill_new(server.catalog, (unsigned)cfg->backfill_pause_ms);
    ddb_backfill_resume(server.backfill);
    if (cfg->in_memory)
        ddb_log(DDB_LOG_INFO, "ddbd %s listening on http://%s:%d, data in memory (%d threads)",
                DDB_VERSION, cfg->host, cfg->port, cfg->threads);
    else
        ddb_log(DDB_LOG_INFO, "ddbd %s listening on http://%s:%d, data in %s (%d threads)",
                DDB_VERSION, cfg->host, cfg->port, cfg->data_dir, cfg->threads);
    if (ddb_listen_start(listen) != 0) {
        ddb_backfill_stop(server.backfill);
        ddb_engine_close(server.engine);
        return 1;
    }

    int sig = 0;
    while (sigwait(&stop_signals, &sig) != 0)
        ;
    ddb_log(DDB_LOG_INFO, "%s received, shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
    ddb_listen_stop(listen);
    ddb_backfill_stop(server.backfill);
    ddb_catalog_close(server.catalog);
    ddb_engine_close(server.engine);
    server.engine = NULL;
    ddb_idempotency_free(server.idempotency);
    ddb_log(DDB_LOG_INFO, "stopped");
    return 0;
}
