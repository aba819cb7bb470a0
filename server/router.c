#include "router.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <time.h>

#include "http_framing.h"
#include "listen.h"
#include "log.h"
#include "protocol/json.h"
#include "protocol/limits.h"
#include "reply.h"
#include "reqctx.h"
#include "sigv4.h"

/* The one host entry: every Host header falls back to it. */
#define HOST_ENTRY "default"

struct router_handler {
    h2o_handler_t super;
    const struct ddb_server *server;
};

struct op_row {
    const char *target; /* "<prefix>.<name>" */
    size_t target_len;
    ddb_op_fn fn;
};

static const struct op_row op_table[] = {
#define DDB_OP(prefix, name, fn) {#prefix "." #name, sizeof(#prefix "." #name) - 1, fn},
#include "ops.def"
#undef DDB_OP
    {NULL, 0, NULL},
};

static const struct op_row *find_op(h2o_iovec_t target)
{
    for (const struct op_row *r = op_table; r->fn != NULL; r++)
        if (r->target_len == target.len && memcmp(r->target, target.base, target.len) == 0)
            return r;
    return NULL;
}

static h2o_iovec_t header_value(h2o_req_t *req, const h2o_token_t *token)
{
    ssize_t i = h2o_find_header(&req->headers, token, -1);
    if (i < 0)
        return h2o_iovec_init(NULL, 0);
    return req->headers.entries[i].value;
}

static h2o_iovec_t header_value_by_name(h2o_req_t *req, const char *lname, size_t len)
{
    ssize_t i = h2o_find_header_by_str(&req->headers, lname, len, -1);
    if (i < 0)
        return h2o_iovec_init(NULL, 0);
    return req->headers.entries[i].value;
}

static bool content_type_ok(h2o_iovec_t ct)
{
    size_t n = 0;
    while (n < ct.len && ct.base[n] != ';' && ct.base[n] != ' ' && ct.base[n] != '\t')
        n++;
    return h2o_lcstris(ct.base, n, H2O_STRLIT("application/x-amz-json-1.0")) ||
           h2o_lcstris(ct.base, n, H2O_STRLIT("application/x-amz-json-1.1")) ||
           h2o_lcstris(ct.base, n, H2O_STRLIT("application/json"));
}

static const char unknown_operation_xml[] = "<UnknownOperationException/>\n";

static uint64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Bytes the requests in flight have reserved for parsing their bodies, out
 * of cfg->request_memory_budget (limits.h, DDB_REQUEST_MEMORY_BUDGET). */
static atomic_ullong reserved_bytes;

/* Reserves what parsing len bytes may take; returns the amount (0 for a
 * small body), or -1 when the budget is spent. */
static long long reserve_parse(const struct ddb_config *cfg, size_t len)
{
    if (len <= DDB_REQUEST_MEMORY_FREE_BODY)
        return 0;
    unsigned long long need = ddb_json_memory_bound(len);
    unsigned long long before = atomic_fetch_add(&reserved_bytes, need);
    if (before + need > cfg->request_memory_budget) {
        atomic_fetch_sub(&reserved_bytes, need);
        return -1;
    }
    return (long long)need;
}

/* Checks everything before the operation, in DynamoDB's order; on failure
 * the answer has been sent and NULL is returned. *reserved is what the
 * caller gives back to the budget when the request is done. */
static const struct op_row *admit(h2o_req_t *req, const struct ddb_config *cfg,
                                  struct ddb_arena *a, const char *id, struct ddb_json **body,
                                  unsigned long long *reserved)
{
    if (ddb_http_framing_check(req, a, id) != 0)
        return NULL;
    bool is_get = h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET"));
    if (is_get && h2o_memis(req->path_normalized.base, req->path_normalized.len, H2O_STRLIT("/"))) {
        /* DynamoDB names the endpoint it was addressed as; without a Host
         * header (HTTP/1.0), where h2o puts our host entry's name instead,
         * the address we listen on. */
        h2o_iovec_t host = req->input.authority;
        bool named = host.len > 0 && !h2o_memis(host.base, host.len, H2O_STRLIT(HOST_ENTRY));
        char *health = named
                           ? ddb_arena_printf(a, "healthy: %.*s", (int)host.len, host.base)
                           : ddb_arena_printf(a, "healthy: %s:%d", cfg->host, cfg->port);
        ddb_reply_send(req, 200, id, health, strlen(health));
        return NULL;
    }
    if (!h2o_memis(req->method.base, req->method.len, H2O_STRLIT("POST"))) {
        ddb_reply_send(req, 404, id, unknown_operation_xml, sizeof unknown_operation_xml - 1);
        return NULL;
    }
    size_t len = req->entity.base != NULL ? req->entity.len : 0;
    if (len > 0 && !content_type_ok(header_value(req, H2O_TOKEN_CONTENT_TYPE))) {
        ddb_reply_send(req, 404, id, unknown_operation_xml, sizeof unknown_operation_xml - 1);
        return NULL;
    }
    if (len > DDB_MAX_REQUEST_BODY) { /* cannot happen: h2o's limit is the same */
        ddb_reply_error(req, a, id, DDB_ERR_REQUEST_TOO_LARGE, NULL);
        return NULL;
    }
    if (len > 0) {
        long long need = reserve_parse(cfg, len);
        if (need < 0) {
            ddb_reply_error(req, a, id, DDB_ERR_THROTTLING,
                            "Rate of requests exceeds the allowed throughput.");
            return NULL;
        }
        *reserved = (unsigned long long)need;
        struct ddb_json_error jerr;
        if (ddb_json_parse(a, req->entity.base, len, body, &jerr) != 0 ||
            (*body)->type != DDB_JSON_OBJECT) {
            ddb_reply_error(req, a, id, DDB_ERR_SERIALIZATION, NULL);
            return NULL;
        }
    }
    const struct op_row *op = find_op(header_value_by_name(req, H2O_STRLIT("x-amz-target")));
    if (op == NULL) {
        ddb_reply_error(req, a, id, DDB_ERR_UNKNOWN_OPERATION, NULL);
        return NULL;
    }
    h2o_iovec_t auth = header_value(req, H2O_TOKEN_AUTHORIZATION);
    struct ddb_error err = {0};
    if (auth.base == NULL) {
        ddb_reply_error(req, a, id, DDB_ERR_MISSING_AUTH_TOKEN,
                        "Request is missing Authentication Token");
        return NULL;
    }
    bool has_date = header_value_by_name(req, H2O_STRLIT("x-amz-date")).base != NULL ||
                    header_value(req, H2O_TOKEN_DATE).base != NULL;
    struct ddb_sigv4 sig;
    if (ddb_sigv4_parse(ddb_slice_make(auth.base, auth.len), has_date, a, &sig, &err) != 0) {
        ddb_reply_error(req, a, id, err.code, err.message);
        return NULL;
    }
    if (len == 0) {
        ddb_reply_error(req, a, id, DDB_ERR_SERIALIZATION, NULL);
        return NULL;
    }
    return op;
}

static int on_req(h2o_handler_t *self, h2o_req_t *req)
{
    const struct router_handler *h = (const struct router_handler *)self;
    uint64_t t0 = ddb_log_enabled(DDB_LOG_DEBUG) ? now_us() : 0;
    char id[DDB_REQUEST_ID_LEN + 1];
    ddb_reply_request_id(id);

    struct ddb_arena arena;
    ddb_arena_init(&arena);
    struct ddb_json *body = NULL;
    unsigned long long reserved = 0;
    ddb_listen_limit_pipelining(req);
    const struct op_row *op = admit(req, &h->server->cfg, &arena, id, &body, &reserved);
    if (op != NULL) {
        struct ddb_buf out;
        ddb_buf_init(&out, &arena);
        struct ddb_json_writer *w = ddb_arena_alloc(&arena, sizeof *w);
        ddb_jw_init(w, &out);
        struct ddb_reqctx rc = {
            .arena = &arena,
            .server = h->server,
            .body = body,
            .w = w,
            .err = {0},
            .request_id = id,
        };
        if (op->fn(&rc) == 0) {
            ddb_reply_send(req, 200, id, out.ptr != NULL ? out.ptr : "", out.len);
        } else {
            if (rc.err.code <= DDB_OK || rc.err.code >= DDB_ERR__COUNT) {
                /* cannot happen: a handler returned -1 without an error */
                rc.err.code = DDB_ERR_INTERNAL;
                rc.err.message = "The request processing has failed because of an unknown "
                                 "error, exception or failure.";
            }
            ddb_reply_error_of(req, &arena, id, &rc.err);
        }
    }
    if (ddb_log_enabled(DDB_LOG_DEBUG)) {
        h2o_iovec_t target = header_value_by_name(req, H2O_STRLIT("x-amz-target"));
        ddb_log(DDB_LOG_DEBUG, "%s %.*s %.*s %.*s %d %zu %zu %" PRIu64 "us", id,
                (int)req->method.len, req->method.base, (int)req->path.len, req->path.base,
                target.base ? (int)target.len : 1, target.base ? target.base : "-",
                req->res.status, req->entity.base ? req->entity.len : 0,
                req->res.content_length, now_us() - t0);
    }
    ddb_arena_release(&arena);
    if (reserved != 0) {
        atomic_fetch_sub(&reserved_bytes, reserved);
        ddb_listen_note_large_release();
    }
    return 0;
}

void ddb_router_register(h2o_globalconf_t *conf, const struct ddb_server *server)
{
    conf->max_request_entity_size = DDB_MAX_REQUEST_BODY;
    conf->server_name = h2o_iovec_init(H2O_STRLIT("Server")); /* DynamoDB's Server header */
    conf->http1.upgrade_to_http2 = 0;
    h2o_hostconf_t *host = h2o_config_register_host(conf, h2o_iovec_init(H2O_STRLIT(HOST_ENTRY)),
                                                    65535);
    h2o_pathconf_t *path = h2o_config_register_path(host, "/", 0);
    struct router_handler *h = (struct router_handler *)h2o_create_handler(path, sizeof *h);
    h->super.on_req = on_req;
    h->server = server;
    ddb_http_framing_register(host);
}
