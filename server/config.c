#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "protocol/limits.h"

#ifndef DDB_VERSION
#define DDB_VERSION "unknown"
#endif

void ddb_config_init(struct ddb_config *cfg)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (cores < 1)
        cores = 1;
    if (cores > DDB_CONFIG_MAX_THREADS)
        cores = DDB_CONFIG_MAX_THREADS;
    *cfg = (struct ddb_config){
        .host = "127.0.0.1",
        .port = 8000,
        .data_dir = "./ddbd-data",
        .in_memory = false,
        .threads = (int)cores,
        .region = "us-east-1",
        .account_id = "000000000000",
        .log_level = DDB_LOG_INFO,
        .item_collection_limit = 10ull * 1024 * 1024 * 1024,
        .backfill_pause_ms = 0,
        .token_ttl_seconds = 600,
        .max_connections = DDB_MAX_CONNECTIONS,
        .request_memory_budget = DDB_REQUEST_MEMORY_BUDGET,
    };
}

void ddb_config_usage(FILE *f)
{
    fputs("usage: ddbd [options]\n"
          "  --host ADDR       address to listen on (default 127.0.0.1)\n"
          "  --port N          TCP port (default 8000)\n"
          "  --data-dir DIR    data folder (default ./ddbd-data)\n"
          "  --in-memory       keep all data in memory (nothing is written to disk)\n"
          "  --threads N       event-loop threads (default: number of cores)\n"
          "  --region R        region used in ARNs (default us-east-1)\n"
          "  --account-id ID   12-digit account id used in ARNs (default 000000000000)\n"
          "  --log-level L     error, warn, info or debug (default info)\n"
          "  --item-collection-limit BYTES\n"
          "                    size limit of an item collection of a table with local\n"
          "                    secondary indexes (default and maximum 10 GB, DynamoDB's)\n"
          "  --backfill-pause-ms N\n"
          "                    pause between the batches of a new index's backfill\n"
          "                    (default 0; for tests that watch the CREATING state)\n"
          "  --token-ttl-seconds N\n"
          "                    how long a ClientRequestToken lasts (default and\n"
          "                    maximum 600, DynamoDB's; shorter for tests of expiry)\n"
          "  --max-connections N\n"
          "                    open client connections at most (default 10000, and\n"
          "                    no more than the file descriptor limit allows); more\n"
          "                    wait in the listen backlog\n"
          "  --request-memory-budget BYTES\n"
          "                    memory all requests in flight may reserve for their\n"
          "                    bodies' JSON (default 1 GiB); a request over it is\n"
          "                    answered ThrottlingException\n"
          "  --help            print this help and exit\n"
          "  --version         print the version and exit\n",
          f);
}

/* A decimal integer in [min, max] (64-bit), nothing else. */
static bool parse_u64(const char *s, unsigned long long min, unsigned long long max,
                      unsigned long long *out)
{
    if (*s < '0' || *s > '9')
        return false;
    unsigned long long v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > max / 10)
            return false;
        v = v * 10 + (unsigned long long)(*s - '0');
        if (v > max)
            return false;
    }
    if (v < min)
        return false;
    *out = v;
    return true;
}

/* A decimal integer in [min, max], nothing else (no sign, no spaces). */
static bool parse_int(const char *s, int min, int max, int *out)
{
    if (*s < '0' || *s > '9')
        return false;
    long v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        v = v * 10 + (*s - '0');
        if (v > max)
            return false;
    }
    if (v < min)
        return false;
    *out = (int)v;
    return true;
}

static bool parse_level(const char *s, enum ddb_log_level *out)
{
    static const enum ddb_log_level levels[] = {DDB_LOG_ERROR, DDB_LOG_WARN, DDB_LOG_INFO,
                                                DDB_LOG_DEBUG};
    for (size_t i = 0; i < DDB_ARRAY_LEN(levels); i++) {
        if (strcmp(s, ddb_log_level_name(levels[i])) == 0) {
            *out = levels[i];
            return true;
        }
    }
    return false;
}

static bool is_account_id(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (s[n] < '0' || s[n] > '9')
            return false;
    return n == 12;
}

enum ddb_config_result ddb_config_parse(struct ddb_config *cfg, int argc, char **argv,
                                        FILE *out, FILE *err)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strncmp(arg, "--", 2) != 0) {
            fprintf(err, "ddbd: unexpected argument '%s'\n", arg);
            goto usage;
        }
        const char *name = arg + 2;
        const char *eq = strchr(name, '=');
        size_t name_len = eq ? (size_t)(eq - name) : strlen(name);
        const char *value = eq ? eq + 1 : NULL;

#define IS(flag) (name_len == sizeof(flag) - 1 && memcmp(name, flag, name_len) == 0)
        bool takes_value = IS("host") || IS("port") || IS("data-dir") || IS("threads") ||
                           IS("region") || IS("account-id") || IS("log-level") ||
                           IS("item-collection-limit") || IS("backfill-pause-ms") ||
                           IS("token-ttl-seconds") || IS("max-connections") ||
                           IS("request-memory-budget");
        if (!takes_value) {
            if (value != NULL && (IS("in-memory") || IS("help") || IS("version"))) {
                fprintf(err, "ddbd: --%.*s takes no value\n", (int)name_len, name);
                goto usage;
            }
            if (IS("in-memory")) {
                cfg->in_memory = true;
            } else if (IS("help")) {
                ddb_config_usage(out);
                return DDB_CONFIG_EXIT;
            } else if (IS("version")) {
                fprintf(out, "ddbd %s\n", DDB_VERSION);
                return DDB_CONFIG_EXIT;
            } else {
                fprintf(err, "ddbd: unknown option '%s'\n", arg);
                goto usage;
            }
            continue;
        }
        if (value == NULL) {
            if (i + 1 >= argc) {
                fprintf(err, "ddbd: --%.*s needs a value\n", (int)name_len, name);
                goto usage;
            }
            value = argv[++i];
        }
        if (IS("host")) {
            if (*value == '\0') {
                fprintf(err, "ddbd: --host must not be empty\n");
                goto usage;
            }
            cfg->host = value;
        } else if (IS("port")) {
            if (!parse_int(value, 1, 65535, &cfg->port)) {
                fprintf(err, "ddbd: --port must be a number from 1 to 65535, not '%s'\n", value);
                goto usage;
            }
        } else if (IS("data-dir")) {
            if (*value == '\0') {
                fprintf(err, "ddbd: --data-dir must not be empty\n");
                goto usage;
            }
            cfg->data_dir = value;
        } else if (IS("threads")) {
            if (!parse_int(value, 1, DDB_CONFIG_MAX_THREADS, &cfg->threads)) {
                fprintf(err, "ddbd: --threads must be a number from 1 to %d, not '%s'\n",
                        DDB_CONFIG_MAX_THREADS, value);
                goto usage;
            }
        } else if (IS("region")) {
            if (*value == '\0') {
                fprintf(err, "ddbd: --region must not be empty\n");
                goto usage;
            }
            cfg->region = value;
        } else if (IS("account-id")) {
            if (!is_account_id(value)) {
                fprintf(err, "ddbd: --account-id must be 12 digits, not '%s'\n", value);
                goto usage;
            }
            cfg->account_id = value;
        } else if (IS("item-collection-limit")) {
            if (!parse_u64(value, 1, 10ull * 1024 * 1024 * 1024, &cfg->item_collection_limit)) {
                fprintf(err, "ddbd: --item-collection-limit must be a number of bytes from 1 to "
                             "10737418240, not '%s'\n",
                        value);
                goto usage;
            }
        } else if (IS("backfill-pause-ms")) {
            if (!parse_int(value, 0, 10000, &cfg->backfill_pause_ms)) {
                fprintf(err, "ddbd: --backfill-pause-ms must be a number from 0 to 10000, not "
                             "'%s'\n",
                        value);
                goto usage;
            }
        } else if (IS("token-ttl-seconds")) {
            if (!parse_int(value, 1, 600, &cfg->token_ttl_seconds)) {
                fprintf(err, "ddbd: --token-ttl-seconds must be a number from 1 to 600, not "
                             "'%s'\n",
                        value);
                goto usage;
            }
        } else if (IS("max-connections")) {
            if (!parse_int(value, 1, 1000000, &cfg->max_connections)) {
                fprintf(err, "ddbd: --max-connections must be a number from 1 to 1000000, not "
                             "'%s'\n",
                        value);
                goto usage;
            }
        } else if (IS("request-memory-budget")) {
            if (!parse_u64(value, 1, 1ull << 48, &cfg->request_memory_budget)) {
                fprintf(err, "ddbd: --request-memory-budget must be a number of bytes from 1 to "
                             "281474976710656, not '%s'\n",
                        value);
                goto usage;
            }
        } else if (IS("log-level")) {
            if (!parse_level(value, &cfg->log_level)) {
                fprintf(err, "ddbd: --log-level must be error, warn, info or debug, not '%s'\n",
                        value);
                goto usage;
            }
        }
#undef IS
    }
    return DDB_CONFIG_RUN;
usage:
    ddb_config_usage(err);
    return DDB_CONFIG_USAGE;
}
