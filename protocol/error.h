/*
 * error.h: how every layer reports a DynamoDB error.
 *
 * A fallible function returns int: 0 on success, -1 on failure after filling
 * the caller's struct ddb_error. The message is built where the context is
 * known (DynamoDB's exact wording), from the request's arena; the code picks
 * the row of errors.def that gives __type and HTTP status.
 *
 * Thread safety: the lookup functions are pure.
 */
#ifndef DDB_ERROR_H
#define DDB_ERROR_H

#include "arena.h"

enum ddb_error_code {
    DDB_OK = 0,
#define DDB_ERROR(code, type, status, retryable) DDB_ERR_##code,
#include "errors.def"
#undef DDB_ERROR
    DDB_ERR__COUNT
};

struct ddb_item; /* value.h */

/* One entry of TransactionCanceledException's CancellationReasons. */
struct ddb_cancel_reason {
    const char *code;            /* "None", "ConditionalCheckFailed", "ValidationError" */
    const char *message;         /* NULL: no Message member */
    const struct ddb_item *item; /* NULL: no Item member */
};

struct ddb_error {
    enum ddb_error_code code;
    const char *message;    /* NUL-terminated; static or in the request arena */
    struct ddb_item *item;  /* ConditionalCheckFailed with ReturnValuesOnConditionCheckFailure */
    /* TRANSACTION_CANCELED: one reason per action, in request order (in the
     * request arena); 0 / NULL otherwise */
    uint32_t reason_count;
    const struct ddb_cancel_reason *reasons;
};

/* Fills *e (message formatted into arena a, or taken as a static string when
 * a is NULL and fmt has no conversions) and returns -1, so callers can write
 * `return ddb_error_set(e, a, DDB_ERR_VALIDATION, "...");`. */
int ddb_error_set(struct ddb_error *e, struct ddb_arena *a, enum ddb_error_code code,
                  const char *fmt, ...) DDB_PRINTF(4, 5);

/* The __type string of a code ("com.amazonaws.dynamodb.v20120810#..."). */
const char *ddb_error_type(enum ddb_error_code code);

/* The part of __type after '#' ("ValidationException"). */
const char *ddb_error_name(enum ddb_error_code code);

int ddb_error_status(enum ddb_error_code code);
bool ddb_error_retryable(enum ddb_error_code code);

#endif
