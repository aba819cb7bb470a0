/*
 * config.h: ddbd's command-line flags into struct ddb_config (server.h).
 *
 *   --host ADDR        address to listen on (default 127.0.0.1)
 *   --port N           TCP port, 1..65535 (default 8000)
 *   --data-dir DIR     data folder (default ./ddbd-data)
 *   --in-memory        keep everything in memory; nothing touches disk
 *   --threads N        event-loop threads, 1..DDB_CONFIG_MAX_THREADS
 *                      (default: the number of online cores)
 *   --region R         region in ARNs (default us-east-1)
 *   --account-id ID    12-digit account id in ARNs (default 000000000000)
 *   --log-level L      error|warn|info|debug (default info)
 *   --token-ttl-seconds N  ClientRequestToken window, 1..600 (default 600)
 *   --help, --version
 *
 * Every flag taking a value accepts "--flag value" and "--flag=value".
 *
 * Lifetime: the strings in the config point into argv (or are literals), so
 * they live as long as the process.
 * Thread safety: none needed (called once, by main(), before threads start).
 */
#ifndef DDB_CONFIG_H
#define DDB_CONFIG_H

#include <stdio.h>

#include "server.h"

#define DDB_CONFIG_MAX_THREADS 256

enum ddb_config_result {
    DDB_CONFIG_RUN = 0,   /* start the server */
    DDB_CONFIG_EXIT = 1,  /* --help or --version was printed to out: exit 0 */
    DDB_CONFIG_USAGE = 2, /* a bad flag; a message and the usage went to err: exit 2 */
};

/* The defaults (threads from sysconf(_SC_NPROCESSORS_ONLN)). */
void ddb_config_init(struct ddb_config *cfg);

/* Parses argv[1..argc-1] over the defaults already in *cfg. Help and version
 * text go to out, errors and the usage to err. */
enum ddb_config_result ddb_config_parse(struct ddb_config *cfg, int argc, char **argv,
                                        FILE *out, FILE *err);

/* Prints the usage text. */
void ddb_config_usage(FILE *f);

#endif
