/*
 * idempotency.h: TransactWriteItems' ClientRequestToken.
 *
 * DynamoDB: a token is valid for 10 minutes after the first request that
 * used it completed; the same token with the same request in that window
 * answers success without applying anything again (its ConsumedCapacity is
 * the read units of the items, not the first call's writes); the same token
 * with a different request answers IdempotentParameterMismatchException. A
 * request that failed (e.g. TransactionCanceledException) leaves no token
 * behind, so it may be retried or changed freely.
 *
 * Where tokens live: in RocksDB (storage/tokens.h), written by the
 * transaction's own WriteBatch (op_txn.c passes a hook to
 * ddb_txn_write_hooked), so no amount of other traffic and no restart or
 * crash can make an acknowledged transaction apply twice. Expired records
 * are ignored when read and deleted by a sweep of at most
 * DDB_IDEMPOTENCY_SWEEP of them at the end of each request with a token.
 *
 * "The same request" is compared by a SHA-256 fingerprint of TransactItems
 * with every object's members in sorted order (member order does not matter;
 * ReturnConsumedCapacity and ReturnItemCollectionMetrics may differ, as in
 * DynamoDB Local).
 *
 * Thread safety: every function is thread-safe. A token without a live
 * record is "running" in memory from ddb_idempotency_begin to
 * ddb_idempotency_end; another request with the same token meanwhile answers
 * TransactionInProgressException (as DynamoDB does), so one token never
 * applies twice; a token with a live record replays without claiming, so
 * replays never wait or fail on each other. The sweep never deletes the
 * record of a running token.
 */
#ifndef DDB_IDEMPOTENCY_H
#define DDB_IDEMPOTENCY_H

#include "protocol/json.h"
#include "storage/tokens.h"

#define DDB_IDEMPOTENCY_TTL_MS (10 * 60 * 1000)
#define DDB_IDEMPOTENCY_SWEEP 4 /* expired tokens deleted per request, at most */

struct ddb_idempotency;

/* ttl_ms: how long a token lasts (DDB_IDEMPOTENCY_TTL_MS; --token-ttl-seconds
 * for tests). The engine must outlive the table. */
struct ddb_idempotency *ddb_idempotency_new(struct ddb_engine *e, int64_t ttl_ms);
void ddb_idempotency_free(struct ddb_idempotency *t);

/* The wall clock in ms since the epoch: the completed_ms of a new record. */
int64_t ddb_idempotency_now_ms(void);

/* The fingerprint of a request's TransactItems (scratch memory from a, the
 * request's arena). */
void ddb_idempotency_fingerprint(const struct ddb_json *items, struct ddb_arena *a,
                                 unsigned char out[32]);

enum ddb_idem_result {
    DDB_IDEM_RUN,         /* new or expired token: run, then ddb_idempotency_end */
    DDB_IDEM_REPLAY,      /* same token, same request, applied: answer from *rec */
    DDB_IDEM_MISMATCH,    /* same token, different request */
    DDB_IDEM_IN_PROGRESS, /* a request with this token is running now */
};

/* token: 1..36 bytes. On REPLAY *rec holds the stored record (bytes in a).
 * -1 with INTERNAL when the record cannot be read (I/O, corrupt bytes): the
 * request must then fail, as nothing says whether it already applied. */
int ddb_idempotency_begin(struct ddb_idempotency *t, ddb_slice token, const unsigned char fp[32],
                          struct ddb_arena *a, enum ddb_idem_result *res,
                          struct ddb_tokens_record *rec, struct ddb_error *err) DDB_MUST_CHECK;

/* Ends a request that ddb_idempotency_begin answered DDB_IDEM_RUN, applied or
 * not (an applied one wrote its record in its own batch), then sweeps. */
void ddb_idempotency_end(struct ddb_idempotency *t, ddb_slice token);

#endif
