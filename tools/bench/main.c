/*
 * main.c: ddbd-bench, the load generator that measures ddbd's speed.
 *
 *   ddbd-bench [options] health|get|put|query|mixed
 *
 * Parses the options, resolves the target (loopback only unless
 * --allow-remote), optionally prepares the table (--prepare), runs the
 * workload over N keep-alive connections for a fixed time and prints the
 * report (human-readable; one JSON line with --json). See README.md.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "control.h"
#include "loop.h"

#define MAX_DURATION_S 3600.0
#define MAX_WARMUP_S 600.0
#define MAX_PREPARE_S 3600.0
#define MAX_CONNECTIONS 10000
#define MAX_THREADS 64
#define MAX_KEYS 100000000ULL
#define MIN_ITEM_SIZE 16
#define MAX_ITEM_SIZE (400 * 1024 - 64) /* under DynamoDB's 400 KB item limit */
#define ACTIVE_TIMEOUT_S 60.0
#define NS_PER_S 1000000000.0

struct options {
    const char *host;
    unsigned port;
    unsigned connections;
    unsigned threads;
    double duration;
    double warmup;
    uint64_t keys;
    size_t item_size;
    double read_ratio;
    unsigned query_limit;
    unsigned query_items;
    const char *table;
    bool prepare;
    double prepare_timeout;
    unsigned gsis; /* GSIs in --prepare's CreateTable */
    bool allow_remote;
    bool json;
    bool strict;
    uint64_t seed;
    double wait_ready;
    int64_t since_ns;
    enum ddb_bench_workload workload;
    const char *workload_name;
};

struct result {
    struct ddb_bench_hist hist;
    uint64_t ops;
    uint64_t errors[DDB_BENCH_ERR__COUNT];
    uint64_t error_total;
    uint64_t bytes_sent;
    uint64_t bytes_received;
    uint64_t reconnects;
    double seconds;
    char first_error[256];
};

static void usage(FILE *f)
{
    fprintf(f,
        "usage: ddbd-bench [options] WORKLOAD\n"
        "  WORKLOAD is one of:\n"
        "    health   GET / (the HTTP floor)\n"
        "    get      GetItem on random keys of the key set\n"
        "    put      PutItem of --item-size items on random keys of the key set\n"
        "    query    Query one random partition with Limit --query-limit\n"
        "    mixed    GetItem with probability --read-ratio, else PutItem\n"
        "    batchwrite  BatchWriteItem of 25 --item-size puts on consecutive keys\n"
        "options:\n"
        "  -H, --host ADDR         target address (default 127.0.0.1; loopback only)\n"
        "  -p, --port PORT         target port (default 8000)\n"
        "  -c, --connections N     keep-alive connections (default 32)\n"
        "  -t, --threads T         client threads (default 1)\n"
        "  -d, --duration S        measured seconds (default 10, at most 3600)\n"
        "  -w, --warmup S          unmeasured seconds first (default 0, at most 600)\n"
        "  -k, --keys N            size of the key set (default 100000)\n"
        "      --item-size B       bytes per item written (default 200)\n"
        "      --read-ratio R      mixed: share of reads, 0..1 (default 0.9)\n"
        "      --query-limit N     query: Limit (default 10)\n"
        "      --query-items N     query: items per partition (default 100)\n"
        "      --table NAME        table (default ddbd_bench; ddbd_bench_q for query)\n"
        "      --prepare           create the table if missing and load the key set\n"
        "      --prepare-timeout S bound on loading (default 600)\n"
        "      --gsis N            --prepare creates N GSIs (on pk, projecting ALL; 0-20)\n"
        "      --allow-remote      allow a non-loopback target\n"
        "      --json              print one JSON line on stdout (report to stderr)\n"
        "      --strict            exit 1 when any error was counted\n"
        "      --seed N            random seed (default 1)\n"
        "      --wait-ready S      poll GET / until it answers (at most S seconds),\n"
        "                          print the time it took in ms, and exit\n"
        "      --since-ns NS       with --wait-ready: count from this CLOCK_REALTIME\n"
        "                          instant in ns (e.g. `date +%%s%%N` before the start)\n"
        "  -h, --help              this text\n");
}

static int die_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "ddbd-bench: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n");
    usage(stderr);
    exit(2);
}

static uint64_t parse_u64(const char *s, const char *what, uint64_t lo, uint64_t hi)
{
    char *end;
    errno = 0;
    if (s[0] < '0' || s[0] > '9')
        die_usage("bad %s", what);
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < lo || v > hi)
        die_usage("%s out of range", what);
    return v;
}

static double parse_double(const char *s, const char *what, double lo, double hi)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno != 0 || end == s || *end != '\0' || !(v >= lo && v <= hi))
        die_usage("%s out of range", what);
    return v;
}

/* DynamoDB table names: 3..255 of [a-zA-Z0-9_.-]. */
static bool table_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 3 || n > DDB_BENCH_TABLE_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-'))
            return false;
    }
    return true;
}

static void parse_options(int argc, char **argv, struct options *o)
{
    enum {
        O_ITEM_SIZE = 256, O_READ_RATIO, O_QUERY_LIMIT, O_QUERY_ITEMS, O_TABLE, O_PREPARE,
        O_PREPARE_TIMEOUT, O_ALLOW_REMOTE, O_JSON, O_STRICT, O_SEED, O_WAIT_READY, O_SINCE_NS, O_GSIS,
    };
    static const struct option longopts[] = {
        {"host", required_argument, NULL, 'H'},
        {"port", required_argument, NULL, 'p'},
        {"connections", required_argument, NULL, 'c'},
        {"threads", required_argument, NULL, 't'},
        {"duration", required_argument, NULL, 'd'},
        {"warmup", required_argument, NULL, 'w'},
        {"keys", required_argument, NULL, 'k'},
        {"item-size", required_argument, NULL, O_ITEM_SIZE},
        {"read-ratio", required_argument, NULL, O_READ_RATIO},
        {"query-limit", required_argument, NULL, O_QUERY_LIMIT},
        {"query-items", required_argument, NULL, O_QUERY_ITEMS},
        {"table", required_argument, NULL, O_TABLE},
        {"prepare", no_argument, NULL, O_PREPARE},
        {"prepare-timeout", required_argument, NULL, O_PREPARE_TIMEOUT},
        {"allow-remote", no_argument, NULL, O_ALLOW_REMOTE},
        {"json", no_argument, NULL, O_JSON},
        {"strict", no_argument, NULL, O_STRICT},
        {"seed", required_argument, NULL, O_SEED},
        {"gsis", required_argument, NULL, O_GSIS},
        {"wait-ready", required_argument, NULL, O_WAIT_READY},
        {"since-ns", required_argument, NULL, O_SINCE_NS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *o = (struct options){
        .host = "127.0.0.1",
        .port = 8000,
        .connections = 32,
        .threads = 1,
        .duration = 10,
        .keys = 100000,
        .item_size = 200,
        .read_ratio = 0.9,
        .query_limit = 10,
        .query_items = 100,
        .prepare_timeout = 600,
        .seed = 1,
        .since_ns = -1,
    };
    int ch;
    while ((ch = getopt_long(argc, argv, "H:p:c:t:d:w:k:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'H': o->host = optarg; break;
        case 'p': o->port = (unsigned)parse_u64(optarg, "--port", 1, 65535); break;
        case 'c':
            o->connections = (unsigned)parse_u64(optarg, "--connections", 1, MAX_CONNECTIONS);
            break;
        case 't': o->threads = (unsigned)parse_u64(optarg, "--threads", 1, MAX_THREADS); break;
        case 'd': o->duration = parse_double(optarg, "--duration", 0.001, MAX_DURATION_S); break;
        case 'w': o->warmup = parse_double(optarg, "--warmup", 0, MAX_WARMUP_S); break;
        case 'k': o->keys = parse_u64(optarg, "--keys", 1, MAX_KEYS); break;
        case O_ITEM_SIZE:
            o->item_size = (size_t)parse_u64(optarg, "--item-size", MIN_ITEM_SIZE, MAX_ITEM_SIZE);
            break;
        case O_READ_RATIO: o->read_ratio = parse_double(optarg, "--read-ratio", 0, 1); break;
        case O_QUERY_LIMIT:
            o->query_limit = (unsigned)parse_u64(optarg, "--query-limit", 1, 1000);
            break;
        case O_QUERY_ITEMS:
            o->query_items = (unsigned)parse_u64(optarg, "--query-items", 1, 1000000);
            break;
        case O_TABLE: o->table = optarg; break;
        case O_PREPARE: o->prepare = true; break;
        case O_PREPARE_TIMEOUT:
            o->prepare_timeout = parse_double(optarg, "--prepare-timeout", 1, MAX_PREPARE_S);
            break;
        case O_ALLOW_REMOTE: o->allow_remote = true; break;
        case O_JSON: o->json = true; break;
        case O_STRICT: o->strict = true; break;
        case O_SEED: o->seed = parse_u64(optarg, "--seed", 0, UINT64_MAX); break;
        case O_GSIS: o->gsis = (unsigned)parse_u64(optarg, "--gsis", 0, 20); break;
        case O_WAIT_READY: o->wait_ready = parse_double(optarg, "--wait-ready", 0.001, 3600); break;
        case O_SINCE_NS: o->since_ns = (int64_t)parse_u64(optarg, "--since-ns", 0, INT64_MAX); break;
        case 'h': usage(stdout); exit(0);
        default: usage(stderr); exit(2);
        }
    }
    if (o->wait_ready > 0) {
        if (optind != argc)
            die_usage("%s", "--wait-ready takes no workload");
        o->workload = DDB_BENCH_WL_HEALTH;
        o->workload_name = "health";
        return;
    }
    if (optind + 1 != argc)
        die_usage("%s", "give exactly one workload");
    static const struct {
        const char *name;
        enum ddb_bench_workload wl;
    } names[] = {
        {"health", DDB_BENCH_WL_HEALTH}, {"get", DDB_BENCH_WL_GET},
        {"put", DDB_BENCH_WL_PUT},       {"query", DDB_BENCH_WL_QUERY},
        {"mixed", DDB_BENCH_WL_MIXED},   {"batchwrite", DDB_BENCH_WL_BATCH_WRITE},
    };
    o->workload_name = NULL;
    for (size_t i = 0; i < DDB_ARRAY_LEN(names); i++) {
        if (strcmp(argv[optind], names[i].name) == 0) {
            o->workload = names[i].wl;
            o->workload_name = names[i].name;
        }
    }
    if (o->workload_name == NULL)
        die_usage("unknown workload %s", argv[optind]);
    /* the 25 keys of one BatchWriteItem must differ (DynamoDB rejects duplicates) */
    if (o->workload == DDB_BENCH_WL_BATCH_WRITE && o->keys < DDB_BENCH_BATCH_PUTS)
        die_usage("%s", "batchwrite needs --keys of at least 25");
    if (o->table == NULL)
        o->table = o->workload == DDB_BENCH_WL_QUERY ? "ddbd_bench_q" : "ddbd_bench";
    if (!table_name_ok(o->table))
        die_usage("bad table name %s (3..255 of a-z A-Z 0-9 _ . -)", o->table);
    if (o->threads > o->connections)
        o->threads = o->connections;
}

static bool is_loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr))
            return true;
        return IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) && in6->sin6_addr.s6_addr[12] == 127;
    }
    return false;
}

/* Resolves the target and builds the Host header value. */
static void resolve(const struct options *o, struct ddb_bench_shared *sh, char *host_hdr,
                    size_t host_cap)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
    struct addrinfo *res = NULL;
    char port[16];
    snprintf(port, sizeof port, "%u", o->port);
    int e = getaddrinfo(o->host, port, &hints, &res);
    if (e != 0 || res == NULL) {
        fprintf(stderr, "ddbd-bench: cannot resolve %s: %s\n", o->host, gai_strerror(e));
        exit(2);
    }
    if (!is_loopback(res->ai_addr) && !o->allow_remote) {
        fprintf(stderr,
                "ddbd-bench: %s is not a loopback address; pass --allow-remote to load it\n",
                o->host);
        freeaddrinfo(res);
        exit(2);
    }
    memcpy(&sh->addr, res->ai_addr, res->ai_addrlen);
    sh->addr_len = res->ai_addrlen;
    bool v6 = res->ai_family == AF_INET6 && strchr(o->host, ':') != NULL;
    freeaddrinfo(res);
    int n = snprintf(host_hdr, host_cap, v6 ? "[%s]:%u" : "%s:%u", o->host, o->port);
    if (n < 0 || (size_t)n >= host_cap) {
        fprintf(stderr, "ddbd-bench: host name too long\n");
        exit(2);
    }
}

static int64_t realtime_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* --wait-ready: polls GET / every millisecond until it answers "healthy". */
static int wait_ready(const struct options *o, const struct ddb_bench_shared *sh,
                      const struct ddb_bench_reqctx *rc)
{
    int64_t t0_mono = ddb_bench_now_ns();
    int64_t deadline = t0_mono + (int64_t)(o->wait_ready * NS_PER_S);
    struct ddb_bench_control_reply *reply = malloc(sizeof *reply);
    char err[256] = "";
    if (reply == NULL)
        abort();
    for (;;) {
        if (ddb_bench_control_call((const struct sockaddr *)&sh->addr, sh->addr_len, rc,
                                   DDB_BENCH_OP_HEALTH, 1000, reply, err, sizeof err) == 0) {
            if (reply->status == 200 && strncmp(reply->body, "healthy", 7) == 0)
                break;
            snprintf(err, sizeof err, "status %d: %.100s", reply->status, reply->body);
        }
        if (ddb_bench_now_ns() >= deadline) {
            fprintf(stderr, "ddbd-bench: not ready after %.1f s (%s)\n", o->wait_ready, err);
            free(reply);
            return 1;
        }
        sleep_ms(1);
    }
    free(reply);
    double ms = o->since_ns >= 0 ? (double)(realtime_ns() - o->since_ns) / 1e6
                                 : (double)(ddb_bench_now_ns() - t0_mono) / 1e6;
    if (o->json)
        printf("{\"ready_ms\":%.3f}\n", ms);
    else
        printf("ready_ms %.3f\n", ms);
    return 0;
}

/* Runs one phase with the shared settings in *sh; fills *res. A positive
 * warmup delays the measured window. */
static void run_phase(struct ddb_bench_shared *sh, double warmup_s, double duration_s,
                      struct result *res)
{
    struct ddb_bench_thread *th = calloc(sh->threads, sizeof *th);
    if (th == NULL)
        abort();
    int64_t start = ddb_bench_now_ns();
    sh->measure_start_ns = start + (int64_t)(warmup_s * NS_PER_S);
    sh->measure_end_ns = sh->measure_start_ns + (int64_t)(duration_s * NS_PER_S);
    for (unsigned i = 0; i < sh->threads; i++) {
        th[i].id = i;
        th[i].sh = sh;
        int e = pthread_create(&th[i].tid, NULL, ddb_bench_thread_main, &th[i]);
        if (e != 0) {
            fprintf(stderr, "ddbd-bench: pthread_create: %s\n", strerror(e));
            exit(1);
        }
    }
    memset(res, 0, sizeof *res);
    ddb_bench_hist_init(&res->hist);
    for (unsigned i = 0; i < sh->threads; i++) {
        pthread_join(th[i].tid, NULL);
        ddb_bench_hist_merge(&res->hist, &th[i].hist);
        res->ops += th[i].ops;
        for (int k = 0; k < DDB_BENCH_ERR__COUNT; k++) {
            res->errors[k] += th[i].errors[k];
            res->error_total += th[i].errors[k];
        }
        res->bytes_sent += th[i].bytes_sent;
        res->bytes_received += th[i].bytes_received;
        res->reconnects += th[i].reconnects;
        if (res->first_error[0] == '\0' && th[i].first_error[0] != '\0')
            memcpy(res->first_error, th[i].first_error, sizeof res->first_error);
    }
    int64_t end = ddb_bench_now_ns();
    if (end > sh->measure_end_ns)
        end = sh->measure_end_ns;
    res->seconds = (double)(end - sh->measure_start_ns) / NS_PER_S;
    if (res->seconds <= 0)
        res->seconds = 1e-9;
    free(th);
}

static bool body_has(const struct ddb_bench_control_reply *r, const char *s)
{
    return strstr(r->body, s) != NULL;
}

/* --prepare: DescribeTable, CreateTable when missing, wait for ACTIVE, load
 * the key set. Returns 0, or 1 after printing why. */
static int prepare(const struct options *o, struct ddb_bench_shared *sh,
                   const struct ddb_bench_reqctx *rc, struct result *load)
{
    bool range = o->workload == DDB_BENCH_WL_QUERY;
    const struct sockaddr *sa = (const struct sockaddr *)&sh->addr;
    struct ddb_bench_control_reply *r = malloc(sizeof *r);
    char err[256];
    int rc_out = 1;
    bool created = false;
    if (r == NULL)
        abort();

    int64_t deadline = ddb_bench_now_ns() + (int64_t)(ACTIVE_TIMEOUT_S * NS_PER_S);
    for (;;) {
        if (ddb_bench_control_call(sa, sh->addr_len, rc, DDB_BENCH_OP_DESCRIBE_TABLE, 10000, r,
                                   err, sizeof err) != 0) {
            fprintf(stderr, "ddbd-bench: DescribeTable: %s\n", err);
            goto out;
        }
        if (r->status == 400 && body_has(r, "ResourceNotFoundException") && !created) {
            if (ddb_bench_control_call(sa, sh->addr_len, rc,
                                       range ? DDB_BENCH_OP_CREATE_TABLE_RANGE
                                             : DDB_BENCH_OP_CREATE_TABLE,
                                       10000, r, err, sizeof err) != 0) {
                fprintf(stderr, "ddbd-bench: CreateTable: %s\n", err);
                goto out;
            }
            if (r->status != 200 && !body_has(r, "ResourceInUseException")) {
                fprintf(stderr, "ddbd-bench: CreateTable: status %d: %.300s\n", r->status,
                        r->body);
                goto out;
            }
            created = true;
            continue;
        }
        if (r->status == 200) {
            if (body_has(r, "\"RANGE\"") != range) {
                fprintf(stderr,
                        "ddbd-bench: table %s exists with the wrong key schema (want %s)\n",
                        rc->table, range ? "pk HASH + sk RANGE" : "pk HASH only");
                goto out;
            }
            if (body_has(r, "\"TableStatus\":\"ACTIVE\""))
                break;
        } else if (!(r->status == 400 && body_has(r, "ResourceNotFoundException"))) {
            fprintf(stderr, "ddbd-bench: DescribeTable: status %d: %.300s\n", r->status,
                    r->body);
            goto out;
        }
        if (ddb_bench_now_ns() >= deadline) {
            fprintf(stderr, "ddbd-bench: table %s not ACTIVE after %.0f s\n", rc->table,
                    ACTIVE_TIMEOUT_S);
            goto out;
        }
        sleep_ms(50);
    }

    enum ddb_bench_workload wl = sh->workload;
    sh->workload = range ? DDB_BENCH_WL_LOAD_RANGE : DDB_BENCH_WL_LOAD;
    atomic_store(&sh->load_next, 0);
    run_phase(sh, 0, o->prepare_timeout, load);
    sh->workload = wl;
    fprintf(stderr, "ddbd-bench: prepared %s: %" PRIu64 " items in %.2f s (%.0f puts/s)%s\n",
            rc->table, load->ops, load->seconds, (double)load->ops / load->seconds,
            created ? ", table created" : "");
    if (load->error_total > 0 || load->ops != sh->keys) {
        fprintf(stderr, "ddbd-bench: loading failed: %" PRIu64 " of %" PRIu64
                        " items written, %" PRIu64 " errors%s%s\n",
                load->ops, sh->keys, load->error_total, load->first_error[0] ? "; first: " : "",
                load->first_error);
        goto out;
    }
    rc_out = 0;
out:
    free(r);
    return rc_out;
}

static double us(uint64_t ns)
{
    return (double)ns / 1000.0;
}

static void report_human(FILE *f, const struct options *o, const struct result *res)
{
    const struct ddb_bench_hist *h = &res->hist;
    fprintf(f, "ddbd-bench %s on %s:%u: %u connections, %u thread%s, %.1f s (warmup %.1f s)\n",
            o->workload_name, o->host, o->port, o->connections, o->threads,
            o->threads == 1 ? "" : "s", res->seconds, o->warmup);
    fprintf(f, "  ops        %" PRIu64 " (%.1f ops/s)\n", res->ops,
            (double)res->ops / res->seconds);
    fprintf(f,
            "  latency    p50 %.1f us  p90 %.1f us  p99 %.1f us  p99.9 %.1f us  max %.1f us"
            "  (mean %.1f us)\n",
            us(ddb_bench_hist_quantile(h, 0.5)), us(ddb_bench_hist_quantile(h, 0.9)),
            us(ddb_bench_hist_quantile(h, 0.99)), us(ddb_bench_hist_quantile(h, 0.999)),
            us(h->count ? h->max : 0), h->count ? us(h->sum / h->count) : 0.0);
    fprintf(f,
            "  errors     %" PRIu64 " (io %" PRIu64 ", http %" PRIu64 ", status %" PRIu64
            ", crc %" PRIu64 ", body %" PRIu64 ")\n",
            res->error_total, res->errors[DDB_BENCH_ERR_IO], res->errors[DDB_BENCH_ERR_HTTP],
            res->errors[DDB_BENCH_ERR_STATUS], res->errors[DDB_BENCH_ERR_CRC],
            res->errors[DDB_BENCH_ERR_BODY]);
    if (res->first_error[0])
        fprintf(f, "  first error: %s\n", res->first_error);
    fprintf(f, "  bytes      sent %" PRIu64 ", received %" PRIu64 "; reconnects %" PRIu64 "\n",
            res->bytes_sent, res->bytes_received, res->reconnects);
}

static void report_json(const struct options *o, const struct result *res,
                        const struct result *load)
{
    const struct ddb_bench_hist *h = &res->hist;
    printf("{\"workload\":\"%s\",\"host\":\"%s\",\"port\":%u,\"connections\":%u,\"threads\":%u,"
           "\"duration_s\":%.3f,\"warmup_s\":%.3f,\"keys\":%" PRIu64 ",\"item_size\":%zu,"
           "\"ops\":%" PRIu64 ",\"ops_per_s\":%.1f,"
           "\"p50_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f,\"p999_us\":%.1f,\"max_us\":%.1f,"
           "\"mean_us\":%.1f,\"errors\":%" PRIu64 ",\"errors_io\":%" PRIu64
           ",\"errors_http\":%" PRIu64 ",\"errors_status\":%" PRIu64 ",\"errors_crc\":%" PRIu64
           ",\"errors_body\":%" PRIu64 ",\"bytes_sent\":%" PRIu64 ",\"bytes_received\":%" PRIu64
           ",\"reconnects\":%" PRIu64,
           o->workload_name, o->host, o->port, o->connections, o->threads, res->seconds,
           o->warmup, o->keys, o->item_size, res->ops, (double)res->ops / res->seconds,
           us(ddb_bench_hist_quantile(h, 0.5)), us(ddb_bench_hist_quantile(h, 0.9)),
           us(ddb_bench_hist_quantile(h, 0.99)), us(ddb_bench_hist_quantile(h, 0.999)),
           us(h->count ? h->max : 0), h->count ? us(h->sum / h->count) : 0.0, res->error_total,
           res->errors[DDB_BENCH_ERR_IO], res->errors[DDB_BENCH_ERR_HTTP],
           res->errors[DDB_BENCH_ERR_STATUS], res->errors[DDB_BENCH_ERR_CRC],
           res->errors[DDB_BENCH_ERR_BODY], res->bytes_sent, res->bytes_received,
           res->reconnects);
    if (load != NULL)
        printf(",\"prepare_items\":%" PRIu64 ",\"prepare_s\":%.3f,\"prepare_ops_per_s\":%.1f",
               load->ops, load->seconds, (double)load->ops / load->seconds);
    printf("}\n");
}

int main(int argc, char **argv)
{
    struct options o;
    static struct ddb_bench_shared sh;
    static struct ddb_bench_reqctx rc;
    char host_hdr[DDB_BENCH_HOST_MAX];

    signal(SIGPIPE, SIG_IGN);
    parse_options(argc, argv, &o);
    resolve(&o, &sh, host_hdr, sizeof host_hdr);
    if (ddb_bench_request_init(&rc, host_hdr, o.table ? o.table : "ddbd_bench", o.item_size,
                               o.query_limit, o.query_items) != 0) {
        fprintf(stderr, "ddbd-bench: host or table name too long\n");
        return 2;
    }
    rc.gsis = o.gsis;
    rc.keys_total = o.keys;
    if (o.wait_ready > 0) {
        int e = wait_ready(&o, &sh, &rc);
        ddb_bench_request_release(&rc);
        return e;
    }

    sh.workload = o.workload;
    sh.connections = o.connections;
    sh.threads = o.threads;
    sh.keys = o.keys;
    sh.partitions = (o.keys + o.query_items - 1) / o.query_items;
    sh.read_ratio = o.read_ratio;
    sh.seed = o.seed;
    sh.reqctx = &rc;

    struct result *load = NULL;
    int status = 0;
    if (o.prepare && o.workload != DDB_BENCH_WL_HEALTH) {
        load = calloc(1, sizeof *load);
        if (load == NULL)
            abort();
        if (prepare(&o, &sh, &rc, load) != 0) {
            status = 1;
            goto out;
        }
    }

    struct result *res = calloc(1, sizeof *res);
    if (res == NULL)
        abort();
    run_phase(&sh, o.warmup, o.duration, res);
    report_human(o.json ? stderr : stdout, &o, res);
    if (o.json)
        report_json(&o, res, load);
    if (res->ops == 0) {
        fprintf(stderr, "ddbd-bench: no request succeeded\n");
        status = 1;
    } else if (o.strict && res->error_total > 0) {
        status = 1;
    }
    free(res);
out:
    free(load);
    ddb_bench_request_release(&rc);
    return status;
}
