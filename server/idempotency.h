/*
 * idempotency.h: TransactWriteItems' ClientRequestToken, kept in memory.
 *
 * DynamoDB: a token is valid for 10 minutes after the first request that
 * used it completed; the same token with the same request in that window
 * answers as the first did without applying anything again; the same token
 * with a different request answers IdempotentParameterMismatchException. A
 * request that failed (e.g. TransactionCanceledException) leaves no token
 * behind, so it may be retried or changed freely.
 *
 * "The same request" is compared by a SHA-256 fingerprint of TransactItems
 * with every object's members in sorted order (member order does not matter;
 * ReturnConsumedCapacity and ReturnItemCollectionMetrics may differ, as in
 * DynamoDB Local).
 *
 * The table is bounded (DDB_IDEMPOTENCY_SLOTS tokens); when it is full the
 * oldest completed token is forgotten early. Tokens are not persisted: a
 * restart forgets them.
 *
 * Thread safety: every function is thread-safe. While a request with a
 * token runs, another request with the same token waits for it to finish
 * (then replays, mismatches or runs), so one token never applies twice.
 */
#ifndef DDB_IDEMPOTENCY_H
#define DDB_IDEMPOTENCY_H

#include "protocol/json.h"

#define DDB_IDEMPOTENCY_SLOTS 4096
#define DDB_IDEMPOTENCY_TTL_MS (10 * 60 * 1000)

struct ddb_idempotency;

struct ddb_idempotency *ddb_idempotency_new(void);
void ddb_idempotency_free(struct ddb_idempotency *t);

/* The fingerprint of a request's TransactItems. */
void ddb_idempotency_fingerprint(const struct ddb_json *items, unsigned char out[32]);

enum ddb_idem_result {
    DDB_IDEM_RUN,      /* new token: run, then call ddb_idempotency_end */
    DDB_IDEM_REPLAY,   /* same token, same request, succeeded: answer success */
    DDB_IDEM_MISMATCH, /* same token, different request */
};

/* token: 1..36 bytes. */
enum ddb_idem_result ddb_idempotency_begin(struct ddb_idempotency *t, ddb_slice token,
                                           const unsigned char fp[32]);

/* Ends a request that ddb_idempotency_begin answered DDB_IDEM_RUN:
 * succeeded keeps the token for 10 minutes, otherwise it is forgotten. */
void ddb_idempotency_end(struct ddb_idempotency *t, ddb_slice token, bool succeeded);

#endif
