/*
 * op_handlers: one request through the real operation handler (everything
 * behind the router: server/ops.def's functions on a struct ddb_reqctx),
 * against an in-memory engine (RocksDB's memory environment, as
 * `ddbd --in-memory`).
 *
 * Input: the operation name (ops.def's second column, e.g. "Query"), a
 * newline, then the request body. As the router does, a body that is not a
 * JSON object or an unknown name ends the input there (SerializationException
 * / UnknownOperationException are the router's answers, not a handler's).
 *
 * Every input starts from the same state, so each corpus file replays alone:
 * the tables below with the items of setup[] (made once, then remembered
 * pair by pair), a catalog read afresh, a fresh ClientRequestToken table; a
 * backfill a handler started is stopped and everything the input wrote is
 * put back after it (state_reset). Memory per input is bounded by the body
 * limit, the request arena and that reset.
 *
 *   hh1  hash-only: pk S
 *   hhr  hash+range: pk S, sk N
 *   idx  pk S + sk N, LSI lsi (pk, l N; ALL), GSI gsi (g S, sk N; KEYS_ONLY)
 *
 * Properties checked (abort() when one fails): a handler that fails leaves a
 * catalogued error code other than InternalServerError (a 500 for a request
 * is a bug) and has changed nothing stored; one that succeeds writes one JSON
 * object; a read (Describe/List/Get/Query/Scan/BatchGet/TransactGet) changes
 * nothing stored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/buf.h"
#include "protocol/json.h"
#include "protocol/limits.h"
#include "server/config.h"
#include "server/idempotency.h"
#include "server/log.h"
#include "server/reqctx.h"
#include "storage/backfill.h"
#include "storage/catalog.h"
#include "storage/engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct op_name {
    const char *name;
    ddb_op_fn fn;
};

static bool is_read(ddb_op_fn fn)
{
    return fn == ddb_op_describe_table || fn == ddb_op_list_tables || fn == ddb_op_get_item ||
           fn == ddb_op_query || fn == ddb_op_scan || fn == ddb_op_batch_get_item ||
           fn == ddb_op_transact_get_items;
}

static const struct op_name ops[] = {
#define DDB_OP(prefix, name, fn) {#name, fn},
#include "server/ops.def"
#undef DDB_OP
};

#define KEY(n, t) "{\"AttributeName\":\"" n "\",\"KeyType\":\"" t "\"}"
#define ATTR(n, t) "{\"AttributeName\":\"" n "\",\"AttributeType\":\"" t "\"}"

static const char *const setup[][2] = {
    {"CreateTable", "{\"TableName\":\"hh1\",\"BillingMode\":\"PAY_PER_REQUEST\","
                    "\"KeySchema\":[" KEY("pk", "HASH") "],\"AttributeDefinitions\":[" ATTR("pk", "S") "]}"},
    {"CreateTable", "{\"TableName\":\"hhr\",\"BillingMode\":\"PAY_PER_REQUEST\","
                    "\"KeySchema\":[" KEY("pk", "HASH") "," KEY("sk", "RANGE") "],"
                    "\"AttributeDefinitions\":[" ATTR("pk", "S") "," ATTR("sk", "N") "]}"},
    {"CreateTable",
     "{\"TableName\":\"idx\",\"ProvisionedThroughput\":{\"ReadCapacityUnits\":5,\"WriteCapacityUnits\":5},"
     "\"KeySchema\":[" KEY("pk", "HASH") "," KEY("sk", "RANGE") "],"
     "\"AttributeDefinitions\":[" ATTR("pk", "S") "," ATTR("sk", "N") "," ATTR("l", "N") "," ATTR("g", "S") "],"
     "\"LocalSecondaryIndexes\":[{\"IndexName\":\"lsi\",\"KeySchema\":[" KEY("pk", "HASH") "," KEY("l", "RANGE") "],"
     "\"Projection\":{\"ProjectionType\":\"ALL\"}}],"
     "\"GlobalSecondaryIndexes\":[{\"IndexName\":\"gsi\",\"KeySchema\":[" KEY("g", "HASH") "," KEY("sk", "RANGE") "],"
     "\"Projection\":{\"ProjectionType\":\"KEYS_ONLY\"},"
     "\"ProvisionedThroughput\":{\"ReadCapacityUnits\":5,\"WriteCapacityUnits\":5}}]}"},
    {"BatchWriteItem",
     "{\"RequestItems\":{"
     "\"hh1\":[{\"PutRequest\":{\"Item\":{\"pk\":{\"S\":\"a\"},\"n\":{\"N\":\"1\"},\"s\":{\"SS\":[\"x\",\"y\"]}}}},"
     "{\"PutRequest\":{\"Item\":{\"pk\":{\"S\":\"b\"},\"m\":{\"M\":{\"l\":{\"L\":[{\"N\":\"1\"},{\"S\":\"z\"}]}}}}}}],"
     "\"hhr\":[{\"PutRequest\":{\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"},\"v\":{\"S\":\"one\"}}}},"
     "{\"PutRequest\":{\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"2\"},\"v\":{\"B\":\"AAE=\"}}}},"
     "{\"PutRequest\":{\"Item\":{\"pk\":{\"S\":\"b\"},\"sk\":{\"N\":\"-3.5\"},\"v\":{\"NULL\":true}}}}],"
     "\"idx\":[{\"PutRequest\":{\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"},\"l\":{\"N\":\"9\"},\"g\":{\"S\":\"G\"}}}},"
     "{\"PutRequest\":{\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"2\"},\"l\":{\"N\":\"8\"},\"g\":{\"S\":\"G\"},\"x\":{\"BOOL\":true}}}},"
     "{\"PutRequest\":{\"Item\":{\"pk\":{\"S\":\"b\"},\"sk\":{\"N\":\"3\"},\"g\":{\"S\":\"H\"}}}}]}}"},
};

static struct ddb_server server;
static char last_error[256]; /* the last handler error, for die() during setup */

static void die(const char *what, const struct ddb_error *err)
{
    fprintf(stderr, "op_handlers: %s: %s\n", what, err && err->message ? err->message : "");
    abort();
}

static ddb_op_fn find_op(const char *name, size_t len)
{
    for (size_t i = 0; i < DDB_ARRAY_LEN(ops); i++)
        if (strlen(ops[i].name) == len && memcmp(ops[i].name, name, len) == 0)
            return ops[i].fn;
    return NULL;
}

/* Runs one request as the router would; returns the handler's result.
 * Checks the properties above. */
static int run_op(ddb_op_fn fn, const struct ddb_json *body)
{
    struct ddb_arena arena;
    ddb_arena_init(&arena);
    struct ddb_buf out;
    ddb_buf_init(&out, &arena);
    struct ddb_json_writer w;
    ddb_jw_init(&w, &out);
    struct ddb_reqctx rc = {
        .arena = &arena,
        .server = &server,
        .body = body,
        .w = &w,
        .err = {0},
        .request_id = "FUZZ",
    };
    int ret = fn(&rc);
    if (ret != 0) {
        if (rc.err.code <= DDB_OK || rc.err.code >= DDB_ERR__COUNT)
            die("a handler failed without an error", NULL);
        if (rc.err.code == DDB_ERR_INTERNAL)
            die("a handler answered InternalServerError", &rc.err);
        snprintf(last_error, sizeof last_error, "%s", rc.err.message ? rc.err.message : "");
    } else {
        struct ddb_json *answer;
        struct ddb_json_error jerr;
        if (out.len == 0 || ddb_json_parse(&arena, out.ptr, out.len, &answer, &jerr) != 0 ||
            answer->type != DDB_JSON_OBJECT)
            die("a handler succeeded without writing one JSON object", NULL);
    }
    ddb_arena_release(&arena);
    return ret;
}

/* The state every input starts from: each family's pairs after setup. */
struct pair {
    char *key, *val;
    size_t klen, vlen;
};
static struct pair *baseline[DDB_CF__COUNT];
static size_t baseline_len[DDB_CF__COUNT];
static unsigned inputs_since_open;

static char *dup_bytes(ddb_slice s)
{
    char *p = malloc(s.len ? s.len : 1);
    if (p == NULL)
        abort();
    memcpy(p, s.ptr, s.len);
    return p;
}

static void services_open(void)
{
    struct ddb_error err = {0};
    if (ddb_catalog_open(server.engine, &server.catalog, &err) != 0)
        die("catalog", &err);
    server.idempotency = ddb_idempotency_new(server.engine, 600 * 1000);
    server.backfill = ddb_backfill_new(server.catalog, 0);
}

static void services_close(void)
{
    ddb_backfill_stop(server.backfill); /* first: its jobs read the catalog and write */
    ddb_catalog_close(server.catalog);
    ddb_idempotency_free(server.idempotency);
    server.backfill = NULL;
    server.catalog = NULL;
    server.idempotency = NULL;
}

static void baseline_free(void)
{
    for (int cf = 0; cf < DDB_CF__COUNT; cf++) {
        for (size_t i = 0; i < baseline_len[cf]; i++) {
            free(baseline[cf][i].key);
            free(baseline[cf][i].val);
        }
        free(baseline[cf]);
        baseline[cf] = NULL;
        baseline_len[cf] = 0;
    }
}

/* A fresh engine with the tables and items of setup[], remembered as the
 * baseline. */
static void state_open(void)
{
    struct ddb_engine_options eo = {.in_memory = true};
    struct ddb_error err = {0};
    if (ddb_engine_open(&eo, &server.engine, &err) != 0)
        die("engine", &err);
    services_open();
    for (size_t i = 0; i < DDB_ARRAY_LEN(setup); i++) {
        struct ddb_arena a;
        ddb_arena_init(&a);
        struct ddb_json *body;
        struct ddb_json_error jerr;
        if (ddb_json_parse(&a, setup[i][1], strlen(setup[i][1]), &body, &jerr) != 0 ||
            run_op(find_op(setup[i][0], strlen(setup[i][0])), body) != 0)
            die("setting up the tables", &(struct ddb_error){.message = last_error});
        ddb_arena_release(&a);
    }
    for (int cf = 0; cf < DDB_CF__COUNT; cf++) {
        size_t cap = 0;
        struct ddb_iter *it = ddb_iter_new(server.engine, (enum ddb_cf)cf, (ddb_slice){0}, (ddb_slice){0});
        for (ddb_iter_seek_first(it); ddb_iter_valid(it); ddb_iter_next(it)) {
            if (baseline_len[cf] == cap) {
                cap = cap ? 2 * cap : 16;
                baseline[cf] = realloc(baseline[cf], cap * sizeof *baseline[cf]);
                if (baseline[cf] == NULL)
                    abort();
            }
            ddb_slice k = ddb_iter_key(it), v = ddb_iter_value(it);
            baseline[cf][baseline_len[cf]++] =
                (struct pair){dup_bytes(k), dup_bytes(v), k.len, v.len};
        }
        ddb_iter_free(it);
    }
    inputs_since_open = 0;
}

static int cmp_key(const char *a, size_t alen, const char *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    return c != 0 ? c : (alen > blen) - (alen < blen);
}

/* The harness's own property: after a reset every family holds exactly the
 * baseline's pairs. */
static void check_baseline(void)
{
    for (int cf = 0; cf < DDB_CF__COUNT; cf++) {
        size_t i = 0;
        struct ddb_iter *it = ddb_iter_new(server.engine, (enum ddb_cf)cf, (ddb_slice){0}, (ddb_slice){0});
        for (ddb_iter_seek_first(it); ddb_iter_valid(it); ddb_iter_next(it), i++) {
            ddb_slice k = ddb_iter_key(it), v = ddb_iter_value(it);
            if (i >= baseline_len[cf] || cmp_key(baseline[cf][i].key, baseline[cf][i].klen, k.ptr, k.len) != 0 ||
                baseline[cf][i].vlen != v.len || memcmp(baseline[cf][i].val, v.ptr, v.len) != 0)
                die("the reset left a pair that is not the baseline's", NULL);
        }
        if (i != baseline_len[cf])
            die("the reset lost a pair of the baseline", NULL);
        ddb_iter_free(it);
    }
}

/* Back to the baseline: every pair an input added, changed or removed is
 * put back (one write batch), and the catalog is read afresh. The deletes
 * pile up in RocksDB, so every few thousand inputs the engine is replaced by
 * a fresh one instead (the same logical state either way). */
static size_t state_reset(void)
{
    services_close();
    size_t changed = 0;
    struct ddb_batch *b = ddb_batch_new(server.engine);
    for (int cf = 0; cf < DDB_CF__COUNT; cf++) {
        size_t i = 0;
        const struct pair *base = baseline[cf];
        struct ddb_iter *it = ddb_iter_new(server.engine, (enum ddb_cf)cf, (ddb_slice){0}, (ddb_slice){0});
        for (ddb_iter_seek_first(it); ddb_iter_valid(it); ddb_iter_next(it)) {
            ddb_slice k = ddb_iter_key(it), v = ddb_iter_value(it);
            for (; i < baseline_len[cf] && cmp_key(base[i].key, base[i].klen, k.ptr, k.len) < 0; i++, changed++)
                ddb_batch_put(b, (enum ddb_cf)cf, ddb_slice_make(base[i].key, base[i].klen),
                              ddb_slice_make(base[i].val, base[i].vlen));
            if (i < baseline_len[cf] && cmp_key(base[i].key, base[i].klen, k.ptr, k.len) == 0) {
                if (base[i].vlen != v.len || memcmp(base[i].val, v.ptr, v.len) != 0) {
                    ddb_batch_put(b, (enum ddb_cf)cf, k, ddb_slice_make(base[i].val, base[i].vlen));
                    changed++;
                }
                i++;
            } else {
                ddb_batch_delete(b, (enum ddb_cf)cf, k);
                changed++;
            }
        }
        for (; i < baseline_len[cf]; i++, changed++)
            ddb_batch_put(b, (enum ddb_cf)cf, ddb_slice_make(base[i].key, base[i].klen),
                          ddb_slice_make(base[i].val, base[i].vlen));
        ddb_iter_free(it);
    }
    struct ddb_error err = {0};
    if (ddb_engine_write(server.engine, b, &err) != 0)
        die("resetting the state", &err);
    ddb_batch_free(b);
    check_baseline();
    if (++inputs_since_open >= 2000) {
        ddb_engine_close(server.engine);
        server.engine = NULL;
        baseline_free();
        state_open();
    } else {
        services_open();
    }
    return changed;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool configured, verbose;
    if (!configured) {
        configured = true;
        verbose = getenv("OP_HANDLERS_VERBOSE") != NULL;
        ddb_config_init(&server.cfg);
        server.cfg.in_memory = true;
        server.cfg.log_level = DDB_LOG_ERROR;
        ddb_log_set_level(DDB_LOG_ERROR);
        state_open();
    }
    const char *text = (const char *)data;
    const char *nl = memchr(text, '\n', size);
    if (nl == NULL || size > DDB_MAX_REQUEST_BODY)
        return 0;
    ddb_op_fn fn = find_op(text, (size_t)(nl - text));
    if (fn == NULL)
        return 0;
    const char *body_text = nl + 1;
    size_t body_len = size - (size_t)(body_text - text);

    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_json *body;
    struct ddb_json_error jerr;
    if (body_len > 0 && ddb_json_parse(&a, body_text, body_len, &body, &jerr) == 0 &&
        body->type == DDB_JSON_OBJECT) {
        int ret = run_op(fn, body);
        if (verbose)
            fprintf(stderr, "op_handlers: %.*s: %s\n", (int)(nl - text), text,
                    ret == 0 ? "ok" : last_error);
        size_t changed = state_reset();
        if (changed > 0 && ret != 0)
            die("a request that failed changed what is stored", NULL);
        if (changed > 0 && is_read(fn))
            die("a read changed what is stored", NULL);
    }
    ddb_arena_release(&a);
    return 0;
}

#ifdef DDB_LIBFUZZER
/*
 * Structure-aware mutation (libFuzzer builds only; replay needs none): besides
 * libFuzzer's byte mutations, an input may get another operation name, or one
 * of its "...Expression" strings replaced by a random expression built from
 * the placeholders the body defines and the fuzz tables' attribute names.
 * OP_HANDLERS_PLAIN_MUTATION=1 turns it off (to compare).
 */
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);

struct gen {
    struct ddb_buf *b;
    unsigned seed;
    const char *values[8], *names[8];
    size_t value_len[8], name_len[8];
    unsigned nvalues, nnames;
};

static unsigned pick(struct gen *g, unsigned n)
{
    g->seed = g->seed * 1103515245u + 12345u;
    return (g->seed >> 16) % n;
}

static void gen_path(struct gen *g)
{
    static const char *const paths[] = {"pk", "sk", "g", "l", "a", "n", "s", "x.y", "l[0]", "m.l[1]", "v"};
    if (g->nnames > 0 && pick(g, 3) == 0) {
        unsigned i = pick(g, g->nnames);
        ddb_buf_append(g->b, g->names[i], g->name_len[i]);
    } else {
        ddb_buf_puts(g->b, paths[pick(g, DDB_ARRAY_LEN(paths))]);
    }
}

static void gen_operand(struct gen *g)
{
    unsigned k = pick(g, 8);
    if (k < 4 && g->nvalues > 0) {
        unsigned i = pick(g, g->nvalues);
        ddb_buf_append(g->b, g->values[i], g->value_len[i]);
    } else if (k == 4) {
        ddb_buf_puts(g->b, "size(");
        gen_path(g);
        ddb_buf_puts(g->b, ")");
    } else {
        gen_path(g);
    }
}

static void gen_condition(struct gen *g, unsigned depth)
{
    static const char *const cmp[] = {" = ", " <> ", " < ", " <= ", " > ", " >= "};
    static const char *const fn2[] = {"begins_with(", "contains(", "attribute_type("};
    unsigned k = pick(g, depth > 2 ? 5 : 9);
    switch (k) {
    case 0: case 1: case 2:
        gen_operand(g);
        ddb_buf_puts(g->b, cmp[pick(g, DDB_ARRAY_LEN(cmp))]);
        gen_operand(g);
        break;
    case 3:
        gen_operand(g);
        ddb_buf_puts(g->b, " BETWEEN ");
        gen_operand(g);
        ddb_buf_puts(g->b, " AND ");
        gen_operand(g);
        break;
    case 4:
        ddb_buf_puts(g->b, fn2[pick(g, DDB_ARRAY_LEN(fn2))]);
        gen_path(g);
        ddb_buf_puts(g->b, ", ");
        gen_operand(g);
        ddb_buf_puts(g->b, ")");
        break;
    case 5: case 6:
        gen_condition(g, depth + 1);
        ddb_buf_puts(g->b, k == 5 ? " AND " : " OR ");
        gen_condition(g, depth + 1);
        break;
    case 7:
        ddb_buf_puts(g->b, pick(g, 2) ? "NOT " : "(");
        gen_condition(g, depth + 1);
        if (g->b->ptr[g->b->len - 1] != ')' || pick(g, 2))
            ddb_buf_puts(g->b, ")");
        break;
    default:
        ddb_buf_puts(g->b, pick(g, 2) ? "attribute_exists(" : "attribute_not_exists(");
        gen_path(g);
        ddb_buf_puts(g->b, ")");
        break;
    }
}

static void gen_update(struct gen *g)
{
    unsigned clauses = 1 + pick(g, 2);
    for (unsigned c = 0; c < clauses; c++) {
        if (c > 0)
            ddb_buf_puts(g->b, " ");
        switch (pick(g, 4)) {
        case 0:
            ddb_buf_puts(g->b, "SET ");
            gen_path(g);
            ddb_buf_puts(g->b, " = ");
            switch (pick(g, 4)) {
            case 0:
                gen_operand(g);
                ddb_buf_puts(g->b, pick(g, 2) ? " + " : " - ");
                gen_operand(g);
                break;
            case 1:
                ddb_buf_puts(g->b, "if_not_exists(");
                gen_path(g);
                ddb_buf_puts(g->b, ", ");
                gen_operand(g);
                ddb_buf_puts(g->b, ")");
                break;
            case 2:
                ddb_buf_puts(g->b, "list_append(");
                gen_operand(g);
                ddb_buf_puts(g->b, ", ");
                gen_operand(g);
                ddb_buf_puts(g->b, ")");
                break;
            default:
                gen_operand(g);
            }
            break;
        case 1:
            ddb_buf_puts(g->b, "REMOVE ");
            gen_path(g);
            break;
        default:
            ddb_buf_puts(g->b, pick(g, 2) ? "ADD " : "DELETE ");
            gen_path(g);
            ddb_buf_puts(g->b, " ");
            gen_operand(g);
        }
    }
}

/* The placeholders the body names: strings ":x" / "#x" right before a ':'
 * (the keys of ExpressionAttributeValues / ExpressionAttributeNames). */
static void collect_placeholders(struct gen *g, const char *p, size_t n)
{
    for (size_t i = 0; i + 2 < n; i++) {
        if (p[i] != '"' || (p[i + 1] != ':' && p[i + 1] != '#'))
            continue;
        size_t j = i + 2;
        while (j < n && j - i < 32 && p[j] != '"' && p[j] != '\\')
            j++;
        if (j + 1 >= n || p[j] != '"' || p[j + 1] != ':')
            continue;
        bool value = p[i + 1] == ':';
        unsigned *count = value ? &g->nvalues : &g->nnames;
        if (*count < 8) {
            (value ? g->values : g->names)[*count] = p + i + 1;
            (value ? g->value_len : g->name_len)[*count] = j - i - 1;
            (*count)++;
        }
    }
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    static int plain = -1;
    if (plain < 0)
        plain = getenv("OP_HANDLERS_PLAIN_MUTATION") != NULL;
    struct gen g = {.seed = seed};
    unsigned k = plain ? 8 : pick(&g, 8);
    const char *text = (const char *)data;
    const char *nl = memchr(text, '\n', size);
    if (k > 1 || nl == NULL)
        return LLVMFuzzerMutate(data, size, max_size);
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_buf b;
    ddb_buf_init(&b, &a);
    g.b = &b;
    const char *body = nl + 1;
    size_t body_len = size - (size_t)(body - text);
    if (k == 0) { /* another operation, the same body */
        ddb_buf_puts(&b, ops[pick(&g, DDB_ARRAY_LEN(ops))].name);
        ddb_buf_append(&b, nl, body_len + 1);
    } else { /* one expression string replaced */
        static const char key[] = "Expression\":\"";
        const char *hits[16];
        unsigned nhits = 0;
        for (const char *p = body; nhits < 16 && (p = memmem(p, (size_t)(text + size - p), key, sizeof key - 1)) != NULL;
             p += sizeof key - 1)
            hits[nhits++] = p;
        if (nhits == 0) {
            ddb_arena_release(&a);
            return LLVMFuzzerMutate(data, size, max_size);
        }
        collect_placeholders(&g, body, body_len);
        const char *start = hits[pick(&g, nhits)] + sizeof key - 1;
        const char *end = start;
        while (end < text + size && *end != '"')
            end += *end == '\\' ? 2 : 1;
        if (end > text + size)
            end = text + size;
        ddb_buf_append(&b, text, (size_t)(start - text));
        bool update = start - text >= 19 && memcmp(start - 19, "UpdateExpression", 16) == 0;
        bool projection = start - text >= 23 && memcmp(start - 23, "ProjectionExpression", 20) == 0;
        if (update) {
            gen_update(&g);
        } else if (projection) {
            gen_path(&g);
            for (unsigned n = pick(&g, 3); n > 0; n--) {
                ddb_buf_puts(&b, ", ");
                gen_path(&g);
            }
        } else {
            gen_condition(&g, 0);
        }
        ddb_buf_append(&b, end, (size_t)(text + size - end));
    }
    size_t n = b.len <= max_size ? b.len : 0;
    if (n > 0)
        memcpy(data, b.ptr, n);
    ddb_arena_release(&a);
    return n > 0 ? n : LLVMFuzzerMutate(data, size, max_size);
}
#endif
