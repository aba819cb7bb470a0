/*
 * tokens.h: TransactWriteItems' ClientRequestTokens on disk.
 *
 * A token is stored in the `meta` family in the same WriteBatch as the
 * transaction it names (ddb_txn_write_token, txn.h), so a crash keeps both or
 * neither: a transaction that was acknowledged cannot apply again after a
 * restart. Two keys per token (byte tables in catalog.h, "On disk"):
 *
 *   "R" <token>                     -> the record below
 *   "E" <completed_ms, 8 BE> <token> -> empty: the expiry index, in time order
 *
 * Record (value of "R"; version 1; every integer big-endian):
 *
 *   offset  size  field
 *   0       1     version, 1
 *   1       8     completed_ms: when the transaction committed, ms since the
 *                 epoch (wall clock, so it means the same after a restart)
 *   9       32    fingerprint: SHA-256 of the request (server/idempotency.h)
 *   41      2     n: tables in the replay's ConsumedCapacity, 0..100
 *   43      var   n times: name length L (1 byte, 3..255), L bytes of name,
 *                 units (4 bytes): the replay's read units for that table
 *   end           nothing after the last table
 *
 * The record is untrusted on reading: ddb_tokens_decode checks every length
 * against the end and answers INTERNAL ("corrupt token record ...") for
 * anything else. An "E" key of the wrong length is garbage and the sweep
 * deletes it.
 *
 * Expiry: a record older than the window is treated as absent by its reader
 * (server/idempotency.c); ddb_tokens_sweep deletes expired ones, a bounded
 * number per call, oldest first. The sweep deletes an "R" only when its
 * completed_ms equals the "E" key's (a token reused after expiry has a newer
 * "R" and "E"; the old "E" goes alone).
 *
 * Thread safety: the functions are thread-safe as the engine is; keeping a
 * sweep from deleting a record that a running request is rewriting is the
 * caller's job (the sweep's skip callback, server/idempotency.c).
 */
#ifndef DDB_TOKENS_H
#define DDB_TOKENS_H

#include "engine.h"
#include "protocol/buf.h"

#define DDB_TOKENS_MAX_LEN 36      /* ClientRequestToken: 1..36 characters */
#define DDB_TOKENS_MAX_TABLES 100  /* one table per action at most */
#define DDB_TOKENS_VERSION 1

struct ddb_tokens_table {
    ddb_slice name; /* 3..255 bytes */
    uint32_t units; /* read units a replay reports for this table */
};

struct ddb_tokens_record {
    int64_t completed_ms;
    unsigned char fp[32];
    uint32_t table_count; /* <= DDB_TOKENS_MAX_TABLES */
    struct ddb_tokens_table *tables;
};

/* Appends the "R" key of token (1..DDB_TOKENS_MAX_LEN bytes) to b. */
void ddb_tokens_key(struct ddb_buf *b, ddb_slice token);

/* Appends the "E" key of (completed_ms, token) to b. */
void ddb_tokens_expiry_key(struct ddb_buf *b, int64_t completed_ms, ddb_slice token);

/* Appends the record r (valid: table names 3..255 bytes, at most
 * DDB_TOKENS_MAX_TABLES tables) to b. */
void ddb_tokens_encode(struct ddb_buf *b, const struct ddb_tokens_record *r);

/* Decodes n untrusted bytes. The table names point into p (which must
 * outlive *out); the table array is allocated in a. 0, or -1 with INTERNAL
 * ("corrupt token record at offset N: why", message in a). */
int ddb_tokens_decode(struct ddb_arena *a, const char *p, size_t n, struct ddb_tokens_record *out,
                      struct ddb_error *err) DDB_MUST_CHECK;

/* Decodes an "E" key (untrusted): false unless it is "E", 8 bytes, then
 * 1..DDB_TOKENS_MAX_LEN bytes of token (*token points into key). */
bool ddb_tokens_decode_expiry_key(ddb_slice key, int64_t *completed_ms, ddb_slice *token);

/* Reads token's record. 0 with *found false when there is none; 0 with
 * *found and *out (bytes in a) when there is; -1 with INTERNAL on I/O failure
 * or a corrupt record. */
int ddb_tokens_get(struct ddb_engine *e, ddb_slice token, struct ddb_arena *a, bool *found,
                   struct ddb_tokens_record *out, struct ddb_error *err) DDB_MUST_CHECK;

/* Adds token's two keys to the batch (r->completed_ms names the "E" key). */
void ddb_tokens_put(struct ddb_batch *b, struct ddb_arena *a, ddb_slice token,
                    const struct ddb_tokens_record *r);

/* Deletes at most max expired tokens (completed_ms <= cutoff_ms), oldest
 * first, in one batch; tokens for which skip(ctx, token) is true are left
 * for a later sweep. *from_ms is where the scan starts and is advanced past
 * what was removed (start with 0; keeping it across calls keeps the scan off
 * the tombstones of earlier sweeps). *removed gets the count of expiry keys
 * deleted. -1 with INTERNAL on I/O failure. */
int ddb_tokens_sweep(struct ddb_engine *e, int64_t cutoff_ms, unsigned max, int64_t *from_ms,
                     bool (*skip)(void *ctx, ddb_slice token), void *ctx, unsigned *removed,
                     struct ddb_error *err) DDB_MUST_CHECK;

#endif
