#include "reply.h"

#include <stdio.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "protocol/json.h"
#include "protocol/value_json.h"

/* xorshift128+ per thread: request ids need uniqueness, not secrecy. */
static __thread uint64_t rng_state[2];

static uint64_t rng_next(void)
{
    if (rng_state[0] == 0 && rng_state[1] == 0) {
        if (getrandom(rng_state, sizeof rng_state, 0) != (ssize_t)sizeof rng_state) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            rng_state[0] = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 32);
            rng_state[1] = (uint64_t)(uintptr_t)&ts ^ ((uint64_t)getpid() << 17);
        }
        rng_state[0] |= 1;
    }
    uint64_t s1 = rng_state[0];
    const uint64_t s0 = rng_state[1];
    rng_state[0] = s0;
    s1 ^= s1 << 23;
    rng_state[1] = s1 ^ s0 ^ (s1 >> 17) ^ (s0 >> 26);
    return rng_state[1] + s0;
}

void ddb_reply_request_id(char out[DDB_REQUEST_ID_LEN + 1])
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    int i = 0;
    while (i < DDB_REQUEST_ID_LEN) {
        /* 64 random bits give 12 base-36 digits (36^12 < 2^64). */
        uint64_t r = rng_next();
        for (int k = 0; k < 12 && i < DDB_REQUEST_ID_LEN; k++, i++) {
            out[i] = alphabet[r % 36];
            r /= 36;
        }
    }
    out[DDB_REQUEST_ID_LEN] = '\0';
}

static void add_header(h2o_req_t *req, const char *lname, const char *orig, const char *value,
                       size_t len)
{
    h2o_iovec_t v = h2o_strdup(&req->pool, value, len);
    h2o_add_header_by_str(&req->pool, &req->res.headers, lname, strlen(lname), 1, orig, v.base,
                          v.len);
}

void ddb_reply_add_headers(h2o_req_t *req, const char *request_id, const char *body, size_t len)
{
    char crc[16];
    unsigned long c = crc32(0L, (const Bytef *)body, (uInt)len);
    int n = snprintf(crc, sizeof crc, "%lu", c);
    add_header(req, "x-amzn-requestid", "x-amzn-RequestId", request_id, strlen(request_id));
    add_header(req, "x-amz-crc32", "x-amz-crc32", crc, (size_t)n);
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL,
                   H2O_STRLIT("application/x-amz-json-1.0"));
    req->res.content_length = len;
}

static const char *reason_of(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 413:
        return "Request Entity Too Large";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Error";
    }
}

void ddb_reply_send(h2o_req_t *req, int status, const char *request_id, const char *body,
                    size_t len)
{
    req->res.status = status;
    req->res.reason = reason_of(status);
    ddb_reply_add_headers(req, request_id, body, len);
    h2o_send_inline(req, body, len);
}

/* TransactionCanceledException's CancellationReasons, in request order,
 * members in DynamoDB's order (Item, Code, Message). */
static void cancellation_reasons(struct ddb_json_writer *w, const struct ddb_error *e)
{
    ddb_jw_key_cstr(w, "CancellationReasons");
    ddb_jw_array_begin(w);
    for (uint32_t i = 0; i < e->reason_count; i++) {
        const struct ddb_cancel_reason *r = &e->reasons[i];
        ddb_jw_object_begin(w);
        if (r->item != NULL) {
            ddb_jw_key_cstr(w, "Item");
            ddb_item_to_json(w, r->item);
        }
        ddb_jw_key_cstr(w, "Code");
        ddb_jw_string_cstr(w, r->code);
        if (r->message != NULL) {
            ddb_jw_key_cstr(w, "Message");
            ddb_jw_string_cstr(w, r->message);
        }
        ddb_jw_object_end(w);
    }
    ddb_jw_array_end(w);
}

static void error_body(struct ddb_buf *buf, enum ddb_error_code code, const char *message,
                       const struct ddb_error *e)
{
    struct ddb_json_writer w;
    ddb_jw_init(&w, buf);
    ddb_jw_object_begin(&w);
    ddb_jw_key_cstr(&w, "__type");
    ddb_jw_string_cstr(&w, ddb_error_type(code));
    if (e != NULL && e->reasons != NULL)
        cancellation_reasons(&w, e);
    if (message != NULL) {
        /* DynamoDB's own capitalisation, per error type. */
        bool capital = code == DDB_ERR_SERIALIZATION || code == DDB_ERR_TRANSACTION_CANCELED;
        ddb_jw_key_cstr(&w, capital ? "Message" : "message");
        ddb_jw_string_cstr(&w, message);
    }
    ddb_jw_object_end(&w);
}

void ddb_reply_error_body(struct ddb_buf *buf, enum ddb_error_code code, const char *message)
{
    error_body(buf, code, message, NULL);
}

void ddb_reply_error(h2o_req_t *req, struct ddb_arena *a, const char *request_id,
                     enum ddb_error_code code, const char *message)
{
    struct ddb_buf b;
    ddb_buf_init(&b, a);
    ddb_reply_error_body(&b, code, message);
    ddb_reply_send(req, ddb_error_status(code), request_id, b.ptr, b.len);
}

void ddb_reply_error_of(h2o_req_t *req, struct ddb_arena *a, const char *request_id,
                        const struct ddb_error *e)
{
    struct ddb_buf b;
    ddb_buf_init(&b, a);
    error_body(&b, e->code, e->message, e);
    ddb_reply_send(req, ddb_error_status(e->code), request_id, b.ptr, b.len);
}
