/* op_txn.c: TransactWriteItems and TransactGetItems.
 *
 * Every action is validated (input_txn.c, then each table's key schema)
 * before anything is locked; storage/txn.c then runs every action's mutator
 * (item_write.c, the same as the single-item operations) under all the
 * items' lock stripes and writes one batch, or nothing.
 *
 * Conflicts: DynamoDB cancels a transaction that races another write on the
 * same item (TransactionConflictException). ddbd serialises on its lock
 * stripes instead: the later writer waits and then runs against the
 * committed state, so ddbd never answers TransactionConflictException.
 *
 * ConsumedCapacity (protocol/MESSAGES-query-capacity.md, test_capacity_more.py):
 * one object per table, every figure doubled: Put, Update and Delete like the
 * single-item writes (index writes included), a ConditionCheck and a Get
 * like a consistent GetItem (at least one unit, found or not). A cancelled transaction answers the
 * error only. A ClientRequestToken replay answers the read units stored with the token
 * (server/idempotency.h, MESSAGES-txn.md). ItemCollectionMetrics (SIZE): one object per Put, Update or
 * Delete on a table with local secondary indexes, grouped by table.
 */
#include "capacity.h"
#include "idempotency.h"
#include "item_write.h"
#include "protocol/input_txn.h"
#include "protocol/limits.h"
#include "protocol/value_json.h"
#include "reqctx.h"
#include "storage/index.h"
#include "storage/tokens.h"
#include "storage/txn.h"

static const char idempotent_mismatch_msg[] =
    "DynamoDB rejected the request because you retried a request with a different payload but "
    "with an idempotent token that was already used.";
static const char in_progress_msg[] = "Transaction from previous request is still in progress";

/* The tables of the n actions (one reference each, released by
 * release_tables), or -1 with ResourceNotFoundException. */
static int find_tables(struct ddb_reqctx *rc, const struct ddb_txn_input *in,
                       struct ddb_table **tables)
{
    for (uint32_t i = 0; i < in->count; i++) {
        tables[i] = ddb_catalog_find(rc->server->catalog, in->actions[i].in.table, &rc->err);
        if (tables[i] == NULL)
            return -1;
    }
    return 0;
}

static void release_tables(struct ddb_table **tables, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (tables[i] != NULL)
            ddb_table_unref(tables[i]);
}

/* The key checks of one write action against its table, as the matching
 * single-item operation makes them (test_transactions.py: *_key_*). */
static int check_action(struct ddb_reqctx *rc, const struct ddb_txn_action *act,
                        const struct ddb_table *t, const struct ddb_value **pk,
                        const struct ddb_value **sk)
{
    const struct ddb_key_schema *ks = &t->def.key;
    if (act->kind == DDB_TXN_PUT) {
        if (ddb_check_item_key(rc->arena, ks, &act->in.item, pk, sk, &rc->err) != 0)
            return -1;
        if (ddb_item_size(&act->in.item) > DDB_MAX_ITEM_SIZE)
            return ddb_error_set(&rc->err, NULL, DDB_ERR_VALIDATION,
                                 "Item size has exceeded the maximum allowed size");
        /* every Put's index keys before anything is locked, even when
         * another action's condition fails (DynamoDB Local 3.3.1) */
        return ddb_index_check_item(rc->arena, &t->def, &act->in.item, false, &rc->err);
    }
    if (ddb_check_key(rc->arena, ks, &act->in.key, pk, sk, &rc->err) != 0)
        return -1;
    ddb_slice keys[2] = {ks->hash_name, ks->range_name};
    if (act->kind == DDB_TXN_UPDATE && act->in.update != NULL &&
        ddb_expr_update_check_keys(act->in.update, keys, ks->has_range ? 2 : 1, rc->arena,
                                   &rc->err) != 0)
        return -1;
    return 0;
}

static ddb_items_mutator mutator_of(enum ddb_txn_kind kind)
{
    switch (kind) {
    case DDB_TXN_PUT:
        return ddb_item_write_put;
    case DDB_TXN_DELETE:
        return ddb_item_write_delete;
    case DDB_TXN_UPDATE:
        return ddb_item_write_update;
    default:
        return ddb_item_write_check;
    }
}

/* Whether a failed action is a cancellation reason (the transaction is
 * cancelled) rather than an error of the whole request. */
static bool is_reason(const struct ddb_error *e)
{
    return e->code == DDB_ERR_CONDITIONAL_CHECK_FAILED ||
           (e->code == DDB_ERR_VALIDATION && e->message == ddb_item_write_update_too_large);
}

/* TransactionCanceledException with one reason per action. */
static int cancelled(struct ddb_reqctx *rc, const struct ddb_txn_write *w, uint32_t n)
{
    struct ddb_cancel_reason *r = ddb_arena_calloc(rc->arena, n, sizeof *r);
    struct ddb_buf msg;
    ddb_buf_init(&msg, rc->arena);
    ddb_buf_puts(&msg, "Transaction cancelled, please refer cancellation reasons for "
                              "specific reasons [");
    for (uint32_t i = 0; i < n; i++) {
        if (!w[i].failed) {
            r[i].code = "None";
        } else if (w[i].err.code == DDB_ERR_CONDITIONAL_CHECK_FAILED) {
            r[i].code = "ConditionalCheckFailed";
            r[i].message = w[i].err.message;
            r[i].item = w[i].err.item;
        } else {
            r[i].code = "ValidationError";
            r[i].message = w[i].err.message;
        }
        if (i > 0)
            ddb_buf_puts(&msg, ", ");
        ddb_buf_puts(&msg, r[i].code);
    }
    ddb_buf_puts(&msg, "]");
    ddb_error_set(&rc->err, rc->arena, DDB_ERR_TRANSACTION_CANCELED, "%.*s", (int)msg.len,
                  msg.ptr);
    rc->err.reasons = r;
    rc->err.reason_count = n;
    return -1;
}

/* The applied transaction's ConsumedCapacity and ItemCollectionMetrics. */
static void write_answer(struct ddb_reqctx *rc, const struct ddb_txn_input *in,
                         const struct ddb_capacity_req *cap, struct ddb_table **tables,
                         const struct ddb_txn_write *w, const struct ddb_item_write *ctx)
{
    struct ddb_capacity_list used;
    struct ddb_collection_list metrics;
    ddb_capacity_list_init(&used, rc->arena);
    ddb_collection_list_init(&metrics, rc->arena);
    for (uint32_t i = 0; i < in->count; i++) {
        const struct ddb_txn_action *act = &in->actions[i];
        const struct ddb_table_def *d = &tables[i]->def;
        struct ddb_capacity_units *u = ddb_capacity_list_table(&used, act->in.table, d);
        const struct ddb_item *old = ctx[i].had_old ? &ctx[i].old : NULL;
        uint64_t old_size = old ? ddb_item_size(old) : 0;
        if (act->kind == DDB_TXN_CHECK) {
            u->table += ddb_capacity_transactional(ddb_capacity_item_read(old_size, true));
            continue;
        }
        const struct ddb_item *new_item =
            act->kind == DDB_TXN_PUT                           ? &act->in.item
            : act->kind == DDB_TXN_UPDATE && !ctx[i].no_write ? &ctx[i].new_item
                                                               : NULL;
        u->table += ddb_capacity_transactional(
            ddb_capacity_item_write(old_size, new_item ? ddb_item_size(new_item) : 0));
        ddb_capacity_index_writes(u, rc->arena, d, old, new_item, true);
        if (cap->item_metrics && w[i].info.has_collection)
            ddb_collection_list_add(&metrics, act->in.table, d->key.hash_name, w[i].pk,
                                    w[i].info.collection_bytes);
    }
    ddb_jw_object_begin(rc->w);
    ddb_capacity_list_member(rc->w, cap, &used);
    ddb_collection_list_member(rc->w, &metrics);
    ddb_jw_object_end(rc->w);
}

/* The size a replay's read units are counted on: the larger of the images
 * before and after the action (a ConditionCheck or a Delete: the old one). */
static uint64_t replay_size(const struct ddb_txn_action *act, const struct ddb_item_write *ctx)
{
    uint64_t old_size = ctx->had_old ? ddb_item_size(&ctx->old) : 0;
    uint64_t new_size = act->kind == DDB_TXN_PUT      ? ddb_item_size(&act->in.item)
                        : act->kind == DDB_TXN_UPDATE ? ddb_item_size(&ctx->new_item)
                                                      : 0;
    return old_size > new_size ? old_size : new_size;
}

/* The ClientRequestToken's record, added to the transaction's own batch
 * (ddb_txn_hook) once every action succeeded: a crash keeps both or neither. */
struct token_hook {
    ddb_slice token;
    const unsigned char *fp;
    const struct ddb_txn_input *in;
    const struct ddb_item_write *ctx; /* the actions' images, filled by the mutators */
};

static int put_token(void *p, struct ddb_batch *b, struct ddb_arena *a, struct ddb_error *err)
{
    (void)err;
    const struct token_hook *h = p;
    struct ddb_tokens_record r = {.completed_ms = ddb_idempotency_now_ms()};
    memcpy(r.fp, h->fp, sizeof r.fp);
    /* a replay reports a transactional read of each item (idempotency.h),
     * summed per table as every answer's ConsumedCapacity is */
    struct ddb_capacity_list per_table;
    ddb_capacity_list_init(&per_table, a);
    for (uint32_t i = 0; i < h->in->count; i++)
        ddb_capacity_list_add(&per_table, h->in->actions[i].in.table,
                              ddb_capacity_transactional(ddb_capacity_item_read(
                                  replay_size(&h->in->actions[i], &h->ctx[i]), true)));
    r.table_count = per_table.count;
    r.tables = ddb_arena_calloc(a, per_table.count, sizeof *r.tables);
    for (uint32_t k = 0; k < per_table.count; k++)
        r.tables[k] = (struct ddb_tokens_table){.name = per_table.entries[k].table,
                                                .units = (uint32_t)per_table.entries[k].u.table};
    ddb_tokens_put(b, a, h->token, &r);
    return 0;
}

/* A replay's answer: nothing applied; ConsumedCapacity is the read units the
 * first call recorded (protocol/MESSAGES-txn.md). */
static void replay_answer(struct ddb_reqctx *rc, const struct ddb_capacity_req *cap,
                          const struct ddb_tokens_record *rec)
{
    struct ddb_capacity_list used;
    ddb_capacity_list_init(&used, rc->arena);
    for (uint32_t i = 0; i < rec->table_count; i++)
        ddb_capacity_list_add(&used, rec->tables[i].name, rec->tables[i].units);
    ddb_jw_object_begin(rc->w);
    ddb_capacity_list_member(rc->w, cap, &used);
    ddb_jw_object_end(rc->w);
}

/* Runs the validated transaction and answers; 0 when it was applied. With a
 * token (NULL fp: none), its record is written in the same batch. */
static int run_write(struct ddb_reqctx *rc, const struct ddb_txn_input *in,
                     const struct ddb_capacity_req *cap, const unsigned char *fp)
{
    uint32_t n = in->count;
    struct ddb_table **tables = ddb_arena_calloc(rc->arena, n, sizeof *tables);
    struct ddb_txn_write *w = ddb_arena_calloc(rc->arena, n, sizeof *w);
    struct ddb_item_write *ctx = ddb_arena_calloc(rc->arena, n, sizeof *ctx);
    int ret = -1;
    if (find_tables(rc, in, tables) != 0)
        goto out;
    for (uint32_t i = 0; i < n; i++) {
        const struct ddb_txn_action *act = &in->actions[i];
        if (check_action(rc, act, tables[i], &w[i].pk, &w[i].sk) != 0)
            goto out;
        ctx[i] = (struct ddb_item_write){.in = &act->in, .table = tables[i]};
        w[i].table = tables[i];
        w[i].fn = mutator_of(act->kind);
        w[i].ctx = &ctx[i];
    }
    struct token_hook th = {.token = in->token, .fp = fp, .in = in, .ctx = ctx};
    struct ddb_txn_hook hook = {.fn = put_token, .ctx = &th};
    uint32_t nfailed;
    if (ddb_txn_write_hooked(rc->server->engine, rc->arena, w, n, fp ? &hook : NULL, &nfailed,
                             &rc->err) != 0)
        goto out;
    if (nfailed > 0) {
        for (uint32_t i = 0; i < n; i++) {
            if (w[i].failed && !is_reason(&w[i].err)) {
                rc->err = w[i].err;
                goto out;
            }
        }
        cancelled(rc, w, n);
        goto out;
    }
    write_answer(rc, in, cap, tables, w, ctx);
    ret = 0;
out:
    release_tables(tables, n);
    return ret;
}

int ddb_op_transact_write_items(struct ddb_reqctx *rc)
{
    struct ddb_txn_input in;
    if (ddb_input_txn_write(rc->arena, rc->body, &in, &rc->err) != 0)
        return -1;
    struct ddb_capacity_req cap;
    if (ddb_capacity_input(rc->arena, rc->body, true, NULL, &cap, &rc->err) != 0)
        return -1;
    struct ddb_idempotency *idem = rc->server->idempotency;
    if (!in.has_token || idem == NULL)
        return run_write(rc, &in, &cap, NULL);
    unsigned char fp[32];
    ddb_idempotency_fingerprint(in.items, rc->arena, fp);
    enum ddb_idem_result r;
    struct ddb_tokens_record rec;
    if (ddb_idempotency_begin(idem, in.token, fp, rc->arena, &r, &rec, &rc->err) != 0)
        return -1;
    switch (r) {
    case DDB_IDEM_REPLAY:
        replay_answer(rc, &cap, &rec);
        return 0;
    case DDB_IDEM_MISMATCH:
        /* DynamoDB's description of the error (Local's message is empty;
         * protocol/MESSAGES-txn.md; test_idempotency.py) */
        return ddb_error_set(&rc->err, NULL, DDB_ERR_IDEMPOTENT_PARAMETER_MISMATCH,
                             idempotent_mismatch_msg);
    case DDB_IDEM_IN_PROGRESS:
        return ddb_error_set(&rc->err, NULL, DDB_ERR_TRANSACTION_IN_PROGRESS, in_progress_msg);
    case DDB_IDEM_RUN:
        break;
    }
    int ret = run_write(rc, &in, &cap, fp);
    ddb_idempotency_end(idem, in.token);
    return ret;
}

int ddb_op_transact_get_items(struct ddb_reqctx *rc)
{
    struct ddb_txn_input in;
    if (ddb_input_txn_get(rc->arena, rc->body, &in, &rc->err) != 0)
        return -1;
    struct ddb_capacity_req cap;
    if (ddb_capacity_input(rc->arena, rc->body, false, NULL, &cap, &rc->err) != 0)
        return -1;
    uint32_t n = in.count;
    struct ddb_table **tables = ddb_arena_calloc(rc->arena, n, sizeof *tables);
    struct ddb_txn_get *g = ddb_arena_calloc(rc->arena, n, sizeof *g);
    int ret = -1;
    if (find_tables(rc, &in, tables) != 0)
        goto out;
    for (uint32_t i = 0; i < n; i++) {
        if (ddb_check_key(rc->arena, &tables[i]->def.key, &in.actions[i].in.key, &g[i].pk,
                          &g[i].sk, &rc->err) != 0)
            goto out;
        g[i].table = tables[i];
    }
    if (ddb_txn_get(rc->server->engine, rc->arena, g, n, &rc->err) != 0)
        goto out;
    ddb_jw_object_begin(rc->w);
    ddb_jw_key_cstr(rc->w, "Responses");
    ddb_jw_array_begin(rc->w);
    for (uint32_t i = 0; i < n; i++) {
        ddb_jw_object_begin(rc->w);
        if (g[i].found) {
            struct ddb_item item = g[i].item;
            if (in.actions[i].in.projection != NULL)
                ddb_projection_apply(in.actions[i].in.projection, &g[i].item, rc->arena, &item);
            ddb_jw_key_cstr(rc->w, "Item");
            ddb_item_to_json(rc->w, &item);
        }
        ddb_jw_object_end(rc->w);
    }
    ddb_jw_array_end(rc->w);
    struct ddb_capacity_list used;
    ddb_capacity_list_init(&used, rc->arena);
    for (uint32_t i = 0; i < n; i++) /* transactional reads are consistent */
        ddb_capacity_list_table(&used, in.actions[i].in.table, &tables[i]->def)->table +=
            ddb_capacity_transactional(
                ddb_capacity_item_read(g[i].found ? ddb_item_size(&g[i].item) : 0, true));
    ddb_capacity_list_member(rc->w, &cap, &used);
    ddb_jw_object_end(rc->w);
    ret = 0;
out:
    release_tables(tables, n);
    return ret;
}
