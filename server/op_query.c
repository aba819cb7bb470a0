/* op_query.c: Query and Scan. */
#include "protocol/input_item.h"
#include "protocol/legacy.h"
#include "protocol/limits.h"
#include "protocol/value_json.h"
#include "capacity.h"
#include "read.h"
#include "reqctx.h"
#include "storage/items.h"
#include "storage/keycodec.h"

/* Select against ProjectionExpression / AttributesToGet / IndexName, with
 * DynamoDB's messages (protocol/MESSAGES-query-capacity.md). */
static int check_select(struct ddb_arena *a, const struct read_input *in, struct ddb_error *err)
{
    if (in->select == SELECT_SPECIFIC) {
        if (!in->has_projection && !in->has_attributes_to_get)
            return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                                 "Must specify the AttributesToGet or ProjectionExpression when "
                                 "choosing to get SPECIFIC_ATTRIBUTES");
        return 0;
    }
    if (!in->has_select)
        return 0;
    const char *what = in->select == SELECT_ALL     ? "ALL_ATTRIBUTES"
                       : in->select == SELECT_COUNT ? "only the Count"
                                                    : "ALL_PROJECTED_ATTRIBUTES";
    if (in->has_projection || in->has_attributes_to_get)
        return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                             "Cannot specify the %s when choosing to get %s",
                             in->has_projection ? "ProjectionExpression" : "AttributesToGet",
                             what);
    if (in->select == SELECT_PROJECTED && !in->has_index)
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                             "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an "
                             "IndexName");
    return 0;
}

static int read_common(struct ddb_reqctx *rc, bool is_query, struct read_input *in)
{
    struct ddb_arena *a = rc->arena;
    const struct ddb_json *body = rc->body;
    struct ddb_error *err = &rc->err;
    memset(in, 0, sizeof *in);
    in->forward = true;
    struct ddb_vlist v;
    ddb_vlist_init(&v, a);
    bool present;
    if (ddb_in_string(a, body, "TableName", &in->table, &present, err) != 0)
        return -1;
    if (!present)
        ddb_vlist_add(&v, "null", "tableName", "Member must not be null");
    if (ddb_in_int(a, body, "Limit", &in->limit, &in->has_limit, err) != 0)
        return -1;
    if (in->has_limit && in->limit < 1)
        ddb_vlist_add(&v, ddb_vlist_quote_int(a, in->limit), "limit",
                      "Member must have value greater than or equal to 1");
    ddb_slice sel;
    if (ddb_in_string(a, body, "Select", &sel, &present, err) != 0)
        return -1;
    in->has_select = present;
    if (present) {
        if (ddb_slice_eq_cstr(sel, "ALL_ATTRIBUTES"))
            in->select = SELECT_ALL;
        else if (ddb_slice_eq_cstr(sel, "COUNT"))
            in->select = SELECT_COUNT;
        else if (ddb_slice_eq_cstr(sel, "SPECIFIC_ATTRIBUTES"))
            in->select = SELECT_SPECIFIC;
        else if (ddb_slice_eq_cstr(sel, "ALL_PROJECTED_ATTRIBUTES"))
            in->select = SELECT_PROJECTED;
        else
            ddb_vlist_add(&v, ddb_vlist_quote(a, sel), "select",
                          "Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, "
                          "ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]");
    }
    if (ddb_in_bool(a, body, "ConsistentRead", &in->consistent_read, &present, err) != 0)
        return -1;
    if (is_query && ddb_in_bool(a, body, "ScanIndexForward", &in->forward, &present, err) != 0)
        return -1;
    if (ddb_in_object(a, body, "ExclusiveStartKey", &in->exclusive_start, err) != 0)
        return -1;
    if (ddb_in_string(a, body, "IndexName", &in->index_name, &in->has_index, err) != 0)
        return -1;
    if (!is_query) {
        if (ddb_in_int(a, body, "Segment", &in->segment, &in->has_segment, err) != 0 ||
            ddb_in_int(a, body, "TotalSegments", &in->total_segments, &in->has_total, err) != 0)
            return -1;
        if (in->has_segment && in->segment < 0)
            ddb_vlist_add(&v, ddb_vlist_quote_int(a, in->segment), "segment",
                          "Member must have value greater than or equal to 0");
        if (in->has_segment && in->segment > DDB_MAX_TOTAL_SEGMENTS - 1)
            ddb_vlist_add(&v, ddb_vlist_quote_int(a, in->segment), "segment",
                          "Member must have value less than or equal to 999999");
        if (in->has_total && in->total_segments < 1)
            ddb_vlist_add(&v, ddb_vlist_quote_int(a, in->total_segments), "totalSegments",
                          "Member must have value greater than or equal to 1");
        if (in->has_total && in->total_segments > DDB_MAX_TOTAL_SEGMENTS)
            ddb_vlist_add(&v, ddb_vlist_quote_int(a, in->total_segments), "totalSegments",
                          "Member must have value less than or equal to 1000000");
    }
    if (ddb_capacity_input(a, body, false, &v, &in->cap, err) != 0)
        return -1;
    if (ddb_vlist_finish(&v, err) != 0)
        return -1;
    if (!is_query) {
        if (in->has_segment && !in->has_total)
            return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                                 "The TotalSegments parameter is required but was not present in "
                                 "the request when Segment parameter is present");
        if (in->has_total && !in->has_segment)
            return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                                 "The Segment parameter is required but was not present in the "
                                 "request when parameter TotalSegments is present");
        if (in->has_segment && in->segment >= in->total_segments)
            return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                 "The Segment parameter is zero-based and must be less than "
                                 "parameter TotalSegments: Segment: %lld is not less than "
                                 "TotalSegments: %lld",
                                 (long long)in->segment, (long long)in->total_segments);
    }
    if (ddb_input_expr_text(a, body, "FilterExpression", &in->filter_text, &in->has_filter,
                            err) != 0 ||
        ddb_input_expr_text(a, body, "ProjectionExpression", &in->projection_text,
                            &in->has_projection, err) != 0)
        return -1;
    if (is_query && ddb_input_expr_text(a, body, "KeyConditionExpression",
                                        &in->key_condition_text, &in->has_key_condition,
                                        err) != 0)
        return -1;
    if (is_query && !in->has_key_condition && ddb_json_get(body, "KeyConditions") == NULL)
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                             "Either the KeyConditions or KeyConditionExpression parameter must be "
                             "specified in the request.");
    in->has_attributes_to_get = ddb_json_get(body, "AttributesToGet") != NULL;
    return check_select(a, in, err);
}

int ddb_read_page_item(void *ctx, const struct ddb_item *item, struct ddb_error *err)
{
    struct page *p = ctx;
    struct ddb_arena *a = p->rc->arena;
    p->scanned++;
    p->bytes_read += ddb_item_size(item);
    struct ddb_item *keep = ddb_arena_alloc(a, sizeof *keep);
    *keep = *item;
    p->last = keep;
    if (p->filter != NULL) {
        bool ok;
        if (ddb_expr_eval_condition(p->filter, item, &ok, a, err) != 0)
            return -1;
        if (!ok)
            return 0;
    }
    p->count++;
    if (p->count_only)
        return 0;
    if (p->projection != NULL) {
        struct ddb_item projected;
        ddb_projection_apply(p->projection, item, a, &projected);
        ddb_item_to_json(p->rc->w, &projected);
    } else {
        ddb_item_to_json(p->rc->w, item);
    }
    return 0;
}

/* The answer's opening: the Items array unless only counting. */
void ddb_read_page_open(struct ddb_reqctx *rc, const struct page *p)
{
    ddb_jw_object_begin(rc->w);
    if (!p->count_only) {
        ddb_jw_key_cstr(rc->w, "Items");
        ddb_jw_array_begin(rc->w);
    }
}

/* Closes Items and writes Count and ScannedCount. */
void ddb_read_page_counts(struct ddb_reqctx *rc, const struct page *p)
{
    if (!p->count_only)
        ddb_jw_array_end(rc->w);
    ddb_jw_key_cstr(rc->w, "Count");
    ddb_jw_int(rc->w, p->count);
    ddb_jw_key_cstr(rc->w, "ScannedCount");
    ddb_jw_int(rc->w, p->scanned);
}

/* Runs the range read and writes the whole answer. */
static int answer_page(struct ddb_reqctx *rc, const struct ddb_table *t,
                       const struct read_input *in, const struct ddb_range_read *r,
                       struct page *p)
{
    ddb_read_page_open(rc, p);
    bool stopped;
    if (ddb_items_read_range(rc->server->engine, t, rc->arena, r, ddb_read_page_item, p, &stopped,
                             &rc->err) != 0)
        return -1;
    ddb_read_page_counts(rc, p);
    if (stopped && p->last != NULL) {
        struct ddb_item key;
        ddb_item_key_of(rc->arena, &t->def.key, p->last, &key);
        ddb_jw_key_cstr(rc->w, "LastEvaluatedKey");
        ddb_item_to_json(rc->w, &key);
    }
    ddb_capacity_member(rc->w, &in->cap, in->table,
                        ddb_capacity_range_read(p->bytes_read, in->consistent_read));
    ddb_jw_object_end(rc->w);
    return 0;
}

/* ExclusiveStartKey: a full key of the table, encoded as an item key. */
static int start_key(struct ddb_reqctx *rc, const struct ddb_table *t, const struct read_input *in,
                     struct ddb_buf *out, const struct ddb_value **pk)
{
    struct ddb_item key;
    if (ddb_item_from_json(rc->arena, in->exclusive_start, &key, &rc->err) != 0)
        return -1;
    const struct ddb_value *sk;
    if (ddb_check_key(rc->arena, &t->def.key, &key, pk, &sk, &rc->err) != 0) {
        rc->err.message =
            ddb_arena_printf(rc->arena, "The provided starting key is invalid: %s", rc->err.message);
        return -1;
    }
    ddb_keycodec_item_key(out, t->id, *pk, t->def.key.has_range ? sk : NULL);
    return 0;
}

/* An encoded key inside a read's [start, end) (an empty end: no bound). */
static bool key_in_range(ddb_slice key, const struct ddb_range_read *r)
{
    return ddb_slice_cmp(key, r->start) >= 0 &&
           (r->end.len == 0 || ddb_slice_cmp(key, r->end) < 0);
}

/* Query's ExclusiveStartKey (already a valid key of the table, encoded as
 * esk) against the key condition, as DynamoDB checks it: the same partition,
 * a sort key inside the condition's range, and not the range's last key in
 * the direction of the read (an inclusive upper bound going forward, an
 * inclusive lower bound going backward), except for sk = :v. */
static int check_query_start(struct ddb_reqctx *rc, const struct ddb_table *t,
                             const struct read_input *in, const struct ddb_key_condition *kc,
                             const struct ddb_range_read *r, const struct ddb_value *pk,
                             ddb_slice esk)
{
    bool ok = ddb_value_equal(pk, kc->hash_value) && key_in_range(esk, r);
    const struct ddb_value *last = NULL; /* the inclusive bound read last */
    if (in->forward && kc->range_op == DDB_RANGE_LE)
        last = kc->v1;
    else if (in->forward && kc->range_op == DDB_RANGE_BETWEEN)
        last = kc->v2;
    else if (!in->forward && (kc->range_op == DDB_RANGE_GE || kc->range_op == DDB_RANGE_BETWEEN))
        last = kc->v1;
    if (ok && last != NULL) {
        struct ddb_buf b;
        ddb_buf_init(&b, rc->arena);
        ddb_keycodec_item_key(&b, t->id, pk, last);
        ok = !ddb_slice_eq(ddb_buf_slice(&b), esk);
    }
    if (!ok)
        return ddb_error_set(&rc->err, NULL, DDB_ERR_VALIDATION,
                             "The provided starting key does not match the range key predicate");
    return 0;
}

/* The table, and in *ix the index named by IndexName (NULL without one). */
static struct ddb_table *find_table(struct ddb_reqctx *rc, const struct read_input *in,
                                    const struct ddb_index_def **ix)
{
    *ix = NULL;
    struct ddb_table *t = ddb_catalog_find(rc->server->catalog, in->table, &rc->err);
    if (t == NULL)
        return NULL;
    if (in->has_index) {
        for (uint32_t i = 0; i < t->def.index_count; i++)
            if (ddb_slice_eq(t->def.indexes[i].name, in->index_name))
                *ix = &t->def.indexes[i];
        if (*ix == NULL) {
            ddb_error_set(&rc->err, rc->arena, DDB_ERR_VALIDATION,
                          "The table does not have the specified index: %.*s",
                          (int)in->index_name.len, in->index_name.ptr);
            ddb_table_unref(t);
            return NULL;
        }
    }
    return t;
}

/* Filter and projection, then the unused-placeholder check. */
int ddb_read_filter_projection(struct ddb_reqctx *rc, const struct read_input *in,
                                   struct ddb_expr_ctx *cx, struct page *p)
{
    struct ddb_expr_node *filter = NULL;
    struct ddb_projection *proj = NULL;
    if (in->has_filter &&
        ddb_expr_parse_condition(cx, DDB_EXPR_FILTER, in->filter_text, &filter, &rc->err) != 0)
        return -1;
    if (in->has_projection &&
        ddb_expr_parse_projection(cx, in->projection_text, &proj, &rc->err) != 0)
        return -1;
    if (ddb_expr_ctx_check_unused(cx, &rc->err) != 0)
        return -1;
    p->filter = filter;
    p->projection = proj;
    p->count_only = in->select == SELECT_COUNT;
    return 0;
}

/* Query: "Filter Expression can only contain non-primary key attributes". */
static const ddb_slice *filter_key_attr(const struct ddb_expr_node *n, const ddb_slice *keys,
                                        uint32_t n_keys)
{
    if (n == NULL)
        return NULL;
    if (n->op == DDB_OP_PATH) {
        for (uint32_t k = 0; k < n_keys; k++)
            if (ddb_slice_eq(n->u.path.elems[0].name, keys[k]))
                return &keys[k];
        return NULL;
    }
    if (n->op == DDB_OP_VALUE)
        return NULL;
    for (uint32_t i = 0; i < n->nargs; i++) {
        const ddb_slice *hit = filter_key_attr(n->args[i], keys, n_keys);
        if (hit != NULL)
            return hit;
    }
    return NULL;
}

static enum ddb_keycodec_op keycodec_op(enum ddb_range_op op)
{
    switch (op) {
    case DDB_RANGE_NONE:
        break;
    case DDB_RANGE_EQ:
        return DDB_KEYOP_EQ;
    case DDB_RANGE_LT:
        return DDB_KEYOP_LT;
    case DDB_RANGE_LE:
        return DDB_KEYOP_LE;
    case DDB_RANGE_GT:
        return DDB_KEYOP_GT;
    case DDB_RANGE_GE:
        return DDB_KEYOP_GE;
    case DDB_RANGE_BETWEEN:
        return DDB_KEYOP_BETWEEN;
    case DDB_RANGE_BEGINS_WITH:
        return DDB_KEYOP_BEGINS_WITH;
    }
    return DDB_KEYOP_ALL;
}

static uint32_t page_limit(const struct read_input *in)
{
    return in->has_limit ? (uint32_t)(in->limit > UINT32_MAX ? UINT32_MAX : in->limit) : 0;
}

int ddb_read_query_range(struct ddb_reqctx *rc, const struct read_input *in, uint64_t id,
                         const struct ddb_key_condition *kc, struct ddb_range_read *r)
{
    struct ddb_buf partition, start, end;
    ddb_buf_init(&partition, rc->arena);
    ddb_buf_init(&start, rc->arena);
    ddb_buf_init(&end, rc->arena);
    ddb_keycodec_partition_prefix(&partition, id, kc->hash_value);
    if (ddb_keycodec_sort_range(&start, &end, ddb_buf_slice(&partition),
                                keycodec_op(kc->range_op), kc->v1, kc->v2,
                                &rc->err) != 0)
        return -1;
    *r = (struct ddb_range_read){
        .start = ddb_buf_slice(&start),
        .end = ddb_buf_slice(&end),
        .reverse = !in->forward,
        .limit = page_limit(in),
        .max_bytes = DDB_MAX_PAGE_BYTES,
    };
    return 0;
}

void ddb_read_scan_range(struct ddb_reqctx *rc, const struct read_input *in, uint64_t id,
                         struct ddb_range_read *r)
{
    struct ddb_buf start, end;
    ddb_buf_init(&start, rc->arena);
    ddb_buf_init(&end, rc->arena);
    uint64_t lo = 0, hi = (uint64_t)1 << 32;
    if (in->has_segment)
        ddb_keycodec_segment_hashes((uint32_t)in->segment, (uint32_t)in->total_segments, &lo, &hi);
    ddb_keycodec_hash_range(&start, &end, id, lo, hi);
    *r = (struct ddb_range_read){
        .start = ddb_buf_slice(&start),
        .end = ddb_buf_slice(&end),
        .limit = page_limit(in),
        .max_bytes = DDB_MAX_PAGE_BYTES,
    };
}

int ddb_op_query(struct ddb_reqctx *rc)
{
    struct read_input in;
    if (read_common(rc, true, &in) != 0)
        return -1;
    if (ddb_legacy_check_mixing(rc->arena, rc->body, DDB_LEGACY_QUERY, &rc->err) != 0)
        return -1;
    struct ddb_expr_ctx cx;
    if (ddb_input_expr_maps(rc->arena, rc->body,
                            in.has_key_condition || in.has_filter || in.has_projection,
                            "FilterExpression and KeyConditionExpression are null", &cx,
                            &rc->err) != 0)
        return -1;
    const struct ddb_index_def *ix;
    struct ddb_table *t = find_table(rc, &in, &ix);
    if (t == NULL)
        return -1;
    int ret = -1;
    if (ix != NULL) {
        ret = ddb_read_query_index(rc, &in, &cx, t, ix);
        goto out;
    }
    const struct ddb_key_schema *ks = &t->def.key;
    struct ddb_keycond_schema kcs = {
        .hash_name = ks->hash_name,
        .hash_type = ks->hash_type,
        .range_name = ks->has_range ? ks->range_name : (ddb_slice){NULL, 0},
        .range_type = ks->range_type,
    };
    struct ddb_key_condition kc;
    if (in.has_key_condition &&
        ddb_expr_parse_key_condition(&cx, in.key_condition_text, &kcs, &kc, &rc->err) != 0)
        goto out;
    struct page p = {.rc = rc};
    if (ddb_read_filter_projection(rc, &in, &cx, &p) != 0)
        goto out;
    ddb_slice keys[2] = {ks->hash_name, ks->range_name};
    const ddb_slice *key_hit = filter_key_attr(p.filter, keys, ks->has_range ? 2 : 1);
    if (key_hit != NULL) {
        ddb_error_set(&rc->err, rc->arena, DDB_ERR_VALIDATION,
                      "Filter Expression can only contain non-primary key attributes: Primary key attribute: %.*s",
                      (int)key_hit->len, key_hit->ptr);
        goto out;
    }
    /* KeyConditions, QueryFilter, AttributesToGet (legacy.h) */
    bool legacy_kc;
    struct ddb_key_condition lkc;
    if (ddb_legacy_read_input(rc->arena, rc->body, true, ks, &p.filter,
                              &p.projection, &lkc, &legacy_kc,
                              &rc->err) != 0)
        goto out;
    if (legacy_kc)
        kc = lkc;

    struct ddb_range_read r;
    if (ddb_read_query_range(rc, &in, t->id, &kc, &r) != 0)
        goto out;
    struct ddb_buf esk;
    ddb_buf_init(&esk, rc->arena);
    if (in.exclusive_start != NULL) {
        const struct ddb_value *pk;
        if (start_key(rc, t, &in, &esk, &pk) != 0)
            goto out;
        if (check_query_start(rc, t, &in, &kc, &r, pk, ddb_buf_slice(&esk)) != 0)
            goto out;
        r.exclusive_start = ddb_buf_slice(&esk);
    }
    ret = answer_page(rc, t, &in, &r, &p);
out:
    ddb_table_unref(t);
    return ret;
}

int ddb_op_scan(struct ddb_reqctx *rc)
{
    struct read_input in;
    if (read_common(rc, false, &in) != 0)
        return -1;
    if (ddb_legacy_check_mixing(rc->arena, rc->body, DDB_LEGACY_SCAN, &rc->err) != 0)
        return -1;
    struct ddb_expr_ctx cx;
    if (ddb_input_expr_maps(rc->arena, rc->body, in.has_filter || in.has_projection,
                            in.has_filter ? "" : "FilterExpression is null", &cx, &rc->err) != 0)
        return -1;
    struct page p = {.rc = rc};
    if (ddb_read_filter_projection(rc, &in, &cx, &p) != 0)
        return -1;
    /* ScanFilter, AttributesToGet (legacy.h) */
    bool no_kc;
    struct ddb_key_condition no_key;
    if (ddb_legacy_read_input(rc->arena, rc->body, false, NULL, &p.filter,
                              &p.projection, &no_key, &no_kc,
                              &rc->err) != 0)
        return -1;
    const struct ddb_index_def *ix;
    struct ddb_table *t = find_table(rc, &in, &ix);
    if (t == NULL)
        return -1;
    int ret = -1;
    if (ix != NULL) {
        ret = ddb_read_scan_index(rc, &in, t, ix, &p);
        goto out;
    }
    struct ddb_range_read r;
    ddb_read_scan_range(rc, &in, t->id, &r);
    struct ddb_buf esk;
    ddb_buf_init(&esk, rc->arena);
    if (in.exclusive_start != NULL) {
        const struct ddb_value *pk;
        if (start_key(rc, t, &in, &esk, &pk) != 0)
            goto out;
        if (!key_in_range(ddb_buf_slice(&esk), &r)) {
            ddb_error_set(&rc->err, NULL, DDB_ERR_VALIDATION,
                          "Exclusive start key must lie within the segment");
            goto out;
        }
        r.exclusive_start = ddb_buf_slice(&esk);
    }
    ret = answer_page(rc, t, &in, &r, &p);
out:
    ddb_table_unref(t);
    return ret;
}
