/*
 * read.h: what Query and Scan share between server/op_query.c (the requests,
 * the base table) and server/read_index.c (reads with IndexName). Internal
 * to those two files.
 *
 * A page is one answer: items are read in key order from a range, each goes
 * through the filter and the projection and is written to the answer as it
 * comes (ddb_read_page_item), and the counts, LastEvaluatedKey and
 * ConsumedCapacity close it.
 */
#ifndef DDB_SERVER_READ_H
#define DDB_SERVER_READ_H

#include "capacity.h"
#include "protocol/expr.h"
#include "reqctx.h"
#include "storage/index.h"
#include "storage/items.h"

enum select_kind { SELECT_ALL, SELECT_COUNT, SELECT_SPECIFIC, SELECT_PROJECTED };

/* The members Query and Scan share. */
struct read_input {
    ddb_slice table;
    int64_t limit; /* 0: none */
    bool has_limit;
    enum select_kind select;
    bool has_select;
    bool forward;
    bool consistent_read;
    const struct ddb_json *exclusive_start; /* ExclusiveStartKey, NULL when absent */
    ddb_slice filter_text, projection_text, key_condition_text;
    bool has_filter, has_projection, has_key_condition;
    ddb_slice index_name;
    bool has_index;
    int64_t segment, total_segments;
    bool has_segment, has_total;
    bool has_attributes_to_get; /* the legacy AttributesToGet member is present */
    struct ddb_capacity_req cap;
};

/* What the per-item callback needs. */
struct page {
    struct ddb_reqctx *rc;
    const struct ddb_expr_node *filter;
    const struct ddb_projection *projection;
    bool count_only;
    uint32_t count, scanned;
    uint64_t bytes_read; /* every item read, before the filter: the capacity */
    const struct ddb_item *last; /* last item read, for LastEvaluatedKey */
};

/* The range-read callback: counts, filters, projects and writes one item. */
int ddb_read_page_item(void *ctx, const struct ddb_item *item, struct ddb_error *err);

/* The answer's opening (Items unless only counting), and its counts. */
void ddb_read_page_open(struct ddb_reqctx *rc, const struct page *p);
void ddb_read_page_counts(struct ddb_reqctx *rc, const struct page *p);

/* FilterExpression and ProjectionExpression, then the unused-placeholder
 * check; fills p's filter, projection and count_only. */
int ddb_read_filter_projection(struct ddb_reqctx *rc, const struct read_input *in,
                               struct ddb_expr_ctx *cx, struct page *p);

/* The range a Query reads in keyspace id (a table's or an index's): the
 * partition of kc's hash value narrowed by its sort-key condition, with in's
 * direction, Limit and the 1 MB page. -1 only for a "cannot happen" range. */
int ddb_read_query_range(struct ddb_reqctx *rc, const struct read_input *in, uint64_t id,
                         const struct ddb_key_condition *kc, struct ddb_range_read *r);

/* The range a Scan reads: all of keyspace id, or in's segment of it. */
void ddb_read_scan_range(struct ddb_reqctx *rc, const struct read_input *in, uint64_t id,
                         struct ddb_range_read *r);

/* Query and Scan of index x of table t (read_index.c): the whole answer. */
int ddb_read_query_index(struct ddb_reqctx *rc, const struct read_input *in,
                         struct ddb_expr_ctx *cx, const struct ddb_table *t,
                         const struct ddb_index_def *x);
int ddb_read_scan_index(struct ddb_reqctx *rc, const struct read_input *in,
                        const struct ddb_table *t, const struct ddb_index_def *x, struct page *p);

#endif
