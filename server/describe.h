/*
 * describe.h: the TableDescription object that CreateTable, DescribeTable,
 * UpdateTable and DeleteTable answer with.
 */
#ifndef DDB_DESCRIBE_H
#define DDB_DESCRIBE_H

#include "protocol/json.h"
#include "server.h"
#include "storage/catalog.h"

/* Writes the description of t as one JSON object value (the caller writes
 * the key, "Table" or "TableDescription"). status is "ACTIVE", "CREATING",
 * "UPDATING" or "DELETING"; items/bytes are the table's counters. */
void ddb_write_table_description(struct ddb_json_writer *w, const struct ddb_server *srv,
                                 const struct ddb_table *t, const char *status, int64_t items,
                                 int64_t bytes);

/* The same, listing `deleting` (an index of an older snapshot that
 * UpdateTable just dropped) among the GSIs with IndexStatus DELETING. */
void ddb_write_table_description_ex(struct ddb_json_writer *w, const struct ddb_server *srv,
                                    const struct ddb_table *t, const char *status, int64_t items,
                                    int64_t bytes, const struct ddb_index_def *deleting);

/* "arn:aws:dynamodb:<region>:<account>:table/<name>" into arena a. */
const char *ddb_table_arn(struct ddb_arena *a, const struct ddb_server *srv,
                          const struct ddb_table *t);

#endif
