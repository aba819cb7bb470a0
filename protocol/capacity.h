/*
 * capacity.h: DynamoDB's consumed-capacity arithmetic (pure C).
 *
 * Units are doubles that are always multiples of 0.5, so they are exact in
 * binary floating point and print exactly with "%.1f" (ddb_capacity_format).
 *
 * - Reads: 4 KB (4096-byte) units, rounded up; an eventually consistent read
 *   costs half. GetItem (and each item of BatchGetItem) costs at least one
 *   unit, found or not (DynamoDB Local: a missing item is 0.5 / 1.0).
 * - Query and Scan: the sizes of all the items READ (before the filter and
 *   projection, not just those returned) are summed and the sum is rounded
 *   up to 4 KB as a whole; an empty page costs 0 (DynamoDB Local: 0.0).
 * - Writes: 1 KB (1024-byte) units, rounded up, of the LARGER of the old and
 *   the new image (an absent image has size 0); at least one unit, even for
 *   a delete of a missing item.
 * - Transactions (TransactWriteItems / TransactGetItems): double.
 * Sizes are DynamoDB's item size (ddb_item_size in value.h).
 *
 * Thread safety: all functions are pure.
 */
#ifndef DDB_CAPACITY_H
#define DDB_CAPACITY_H

#include "base.h"

/* ReturnConsumedCapacity. */
enum ddb_capacity_mode { DDB_CAPACITY_NONE = 0, DDB_CAPACITY_TOTAL, DDB_CAPACITY_INDEXES };

/* Query/Scan: ceil(bytes / 4096) units, halved when !consistent. */
double ddb_capacity_range_read(uint64_t bytes, bool consistent);

/* GetItem / one BatchGetItem key: like range_read, but at least one unit. */
double ddb_capacity_item_read(uint64_t item_size, bool consistent);

/* PutItem / UpdateItem / DeleteItem: max(1, ceil(max(old, new) / 1024)). */
double ddb_capacity_item_write(uint64_t old_size, uint64_t new_size);

/* TransactWriteItems / TransactGetItems: twice the plain units. */
double ddb_capacity_transactional(double units);

/* Parses a ReturnConsumedCapacity value; -1 when it is not one of
 * INDEXES, TOTAL, NONE (case-sensitive). */
int ddb_capacity_mode_parse(ddb_slice s, enum ddb_capacity_mode *out) DDB_MUST_CHECK;

/* Parses a ReturnItemCollectionMetrics value (SIZE, NONE); *size set for SIZE. */
int ddb_capacity_metrics_parse(ddb_slice s, bool *size) DDB_MUST_CHECK;

/* Writes units as DynamoDB prints them ("0.0", "0.5", "12.0") into buf
 * (NUL-terminated); returns the length. */
size_t ddb_capacity_format(double units, char buf[static 48]);

#endif
