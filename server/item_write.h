/*
 * item_write.h: what a PutItem, UpdateItem, DeleteItem or ConditionCheck
 * does to one item, as ddb_items_mutator functions (storage/items.h), shared
 * by the single-item operations (op_item.c) and TransactWriteItems
 * (op_txn.c).
 *
 * Each mutator takes a struct ddb_item_write as its context, evaluates the
 * request's ConditionExpression against the old image (failing with
 * ConditionalCheckFailed, carrying the old image in err->item when
 * ReturnValuesOnConditionCheckFailure is ALL_OLD), then decides the write.
 * It records the old image (and, for updates, the new one) for ReturnValues.
 * An update of a missing item whose clauses only take away (REMOVE, DELETE
 * from a set, AttributeUpdates DELETE) writes nothing and sets no_write, as
 * AWS does: no item, no Attributes whatever ReturnValues asks.
 *
 * Lifetime: images live in the arena the mutator was given (the request's).
 * Thread safety: a context belongs to one request.
 */
#ifndef DDB_ITEM_WRITE_H
#define DDB_ITEM_WRITE_H

#include "protocol/input_item.h"
#include "storage/items.h"

struct ddb_item_write {
    const struct ddb_item_input *in;
    const struct ddb_table *table;
    struct ddb_item old; /* valid when had_old */
    bool had_old;
    struct ddb_item new_item; /* UpdateItem's result */
    bool no_write; /* an update of a missing item that only removes: nothing
                      was written, new_item is empty */
};

/* The message of an update whose result is larger than an item may be
 * (compare by pointer: TransactWriteItems reports it as a ValidationError
 * cancellation reason, as DynamoDB does). */
extern const char ddb_item_write_update_too_large[];

int ddb_item_write_put(void *ctx, struct ddb_arena *a, const struct ddb_item *old,
                       enum ddb_write_action *action, struct ddb_item *new_item,
                       struct ddb_error *err);
int ddb_item_write_delete(void *ctx, struct ddb_arena *a, const struct ddb_item *old,
                          enum ddb_write_action *action, struct ddb_item *new_item,
                          struct ddb_error *err);
int ddb_item_write_update(void *ctx, struct ddb_arena *a, const struct ddb_item *old,
                          enum ddb_write_action *action, struct ddb_item *new_item,
                          struct ddb_error *err);
/* ConditionCheck: the condition only; never writes. */
int ddb_item_write_check(void *ctx, struct ddb_arena *a, const struct ddb_item *old,
                         enum ddb_write_action *action, struct ddb_item *new_item,
                         struct ddb_error *err);

#endif
