/* read_index.c: Query and Scan with IndexName (read.h). */
#include "read.h"

#include "protocol/legacy.h"
#include "protocol/limits.h"
#include "protocol/value_json.h"
#include "storage/keycodec.h"

/* ---- secondary indexes (IndexName): conformance test_indexes.py ---- */

/* Collects the distinct top-level attribute names a filter reads. The AST's
 * depth is bounded by the parser's operator cap; depth is checked anyway. */
static void filter_names(const struct ddb_expr_node *n, ddb_slice *names, uint32_t *count,
                         uint32_t cap, int depth)
{
    if (n == NULL || depth > 1000)
        return;
    if (n->op == DDB_OP_PATH) {
        ddb_slice name = n->u.path.elems[0].name;
        for (uint32_t i = 0; i < *count; i++)
            if (ddb_slice_eq(names[i], name))
                return;
        if (*count < cap)
            names[(*count)++] = name;
        return;
    }
    for (uint32_t i = 0; i < n->nargs; i++)
        filter_names(n->args[i], names, count, cap, depth + 1);
}

/* What reading an index needs beyond the page. */
struct index_read {
    struct ddb_reqctx *rc;
    struct page *p;
    const struct ddb_table *t;
    bool fetch; /* LSI: answer from the base item */
};

static int index_item(void *ctx, const struct ddb_item *entry, struct ddb_error *err)
{
    struct index_read *ir = ctx;
    if (!ir->fetch)
        return ddb_read_page_item(ir->p, entry, err);
    const struct ddb_key_schema *k = &ir->t->def.key;
    const struct ddb_value *pk = ddb_item_get(entry, k->hash_name);
    const struct ddb_value *sk = k->has_range ? ddb_item_get(entry, k->range_name) : NULL;
    struct ddb_item base;
    bool found = false;
    if (pk != NULL && ddb_items_get(ir->rc->server->engine, ir->t, ir->rc->arena, pk, sk, &base,
                                    &found, err) != 0)
        return -1;
    /* an entry whose item was deleted after the iterator's snapshot: its
     * projection is what the snapshot saw */
    return ddb_read_page_item(ir->p, found ? &base : entry, err);
}

/* The rules of reading an index, in DynamoDB's words; decides whether an
 * LSI read must fetch base items. */
static int check_index_read(struct ddb_reqctx *rc, const struct read_input *in,
                            const struct ddb_table *t, const struct ddb_index_def *x,
                            const struct page *p, bool *fetch)
{
    struct ddb_arena *a = rc->arena;
    *fetch = false;
    int nl = (int)x->name.len;
    if (!x->local && in->consistent_read)
        return ddb_error_set(&rc->err, NULL, DDB_ERR_VALIDATION,
                             "Consistent reads are not supported on global secondary indexes");
    if (!x->local && x->status == DDB_INDEX_CREATING)
        return ddb_error_set(&rc->err, a, DDB_ERR_VALIDATION,
                             "Cannot read from backfilling global secondary index: %.*s", nl,
                             x->name.ptr);
    if (in->has_select && in->select == SELECT_ALL && x->projection != DDB_PROJ_ALL) {
        if (!x->local)
            return ddb_error_set(&rc->err, a, DDB_ERR_VALIDATION,
                                 "One or more parameter values were invalid: Select type "
                                 "ALL_ATTRIBUTES is not supported for global secondary index "
                                 "%.*s because its projection type is not ALL",
                                 nl, x->name.ptr);
        *fetch = true;
    }
    if (p->projection != NULL) {
        ddb_slice *missing = ddb_arena_calloc(a, p->projection->count + 1, sizeof *missing);
        uint32_t n = 0;
        for (uint32_t i = 0; i < p->projection->count; i++) {
            ddb_slice name = p->projection->paths[i].elems[0].name;
            bool dup = false;
            for (uint32_t j = 0; j < n && !dup; j++)
                dup = ddb_slice_eq(missing[j], name);
            if (!dup && !ddb_index_projects(&t->def, x, name))
                missing[n++] = name;
        }
        if (n > 0 && !x->local)
            return ddb_error_set(&rc->err, a, DDB_ERR_VALIDATION,
                                 "One or more parameter values were invalid: Global secondary "
                                 "index %.*s does not project %s",
                                 nl, x->name.ptr, ddb_input_name_list(a, missing, n));
        *fetch |= n > 0;
    }
    if (p->filter != NULL) {
        ddb_slice names[64];
        uint32_t n = 0, m = 0;
        filter_names(p->filter, names, &n, 64, 0);
        ddb_slice *missing = ddb_arena_calloc(a, n + 1, sizeof *missing);
        for (uint32_t i = 0; i < n; i++) {
            if (in->has_key_condition &&
                (ddb_slice_eq(names[i], x->key.hash_name) ||
                 (x->key.has_range && ddb_slice_eq(names[i], x->key.range_name))))
                return ddb_error_set(&rc->err, a, DDB_ERR_VALIDATION,
                                     "Filter Expression can only contain non-primary key "
                                     "attributes: Primary key attribute: %.*s",
                                     (int)names[i].len, names[i].ptr);
            if (!ddb_index_projects(&t->def, x, names[i]))
                missing[m++] = names[i];
        }
        if (m > 0 && !x->local)
            return ddb_error_set(&rc->err, a, DDB_ERR_VALIDATION,
                                 "One or more parameter values were invalid: Secondary index "
                                 "%.*s does not project one or more filter attributes: %s",
                                 nl, x->name.ptr, ddb_input_name_list(a, missing, m));
        *fetch |= m > 0;
    }
    return 0;
}

/* ExclusiveStartKey of an index read: exactly the table's and the index's
 * key attributes, encoded as an index key. */
static int index_start_key(struct ddb_reqctx *rc, const struct ddb_table *t,
                           const struct ddb_index_def *x, const struct read_input *in,
                           struct ddb_buf *out, const struct ddb_value **ipk)
{
    struct ddb_item key;
    if (ddb_item_from_json(rc->arena, in->exclusive_start, &key, &rc->err) != 0)
        return -1;
    const struct ddb_key_schema *ks[2] = {&t->def.key, &x->key};
    const struct ddb_value *v[4] = {NULL, NULL, NULL, NULL};
    ddb_slice names[4];
    uint32_t distinct = 0;
    bool ok = true;
    for (int i = 0; i < 2; i++) {
        for (int r = 0; r < (ks[i]->has_range ? 2 : 1); r++) {
            ddb_slice name = r ? ks[i]->range_name : ks[i]->hash_name;
            enum ddb_type type = r ? ks[i]->range_type : ks[i]->hash_type;
            const struct ddb_value *val = ddb_item_get(&key, name);
            ok &= val != NULL && val->type == type;
            v[i * 2 + r] = val;
            bool seen = false;
            for (uint32_t j = 0; j < distinct && !seen; j++)
                seen = ddb_slice_eq(names[j], name);
            if (!seen)
                names[distinct++] = name;
        }
    }
    if (!ok || key.count != distinct)
        return ddb_error_set(&rc->err, NULL, DDB_ERR_VALIDATION,
                             "The provided starting key is invalid: The provided key element "
                             "does not match the schema");
    ddb_keycodec_index_key(out, x->id, v[2], x->key.has_range ? v[3] : NULL, v[0],
                           t->def.key.has_range ? v[1] : NULL);
    *ipk = v[2];
    return 0;
}

/* Runs an index range read and writes the answer; LastEvaluatedKey holds
 * the table's and the index's keys. */
static int answer_index_page(struct ddb_reqctx *rc, const struct ddb_table *t,
                             const struct ddb_index_def *x, const struct read_input *in,
                             const struct ddb_range_read *r, struct page *p, bool fetch)
{
    struct index_read ir = {.rc = rc, .p = p, .t = t, .fetch = fetch};
    ddb_read_page_open(rc, p);
    bool stopped;
    if (ddb_index_read_range(rc->server->engine, rc->arena, r, index_item, &ir, &stopped,
                             &rc->err) != 0)
        return -1;
    ddb_read_page_counts(rc, p);
    if (stopped && p->last != NULL) {
        struct ddb_item tk, xk;
        ddb_item_key_of(rc->arena, &t->def.key, p->last, &tk);
        ddb_item_key_of(rc->arena, &x->key, p->last, &xk);
        struct ddb_attr *attrs = ddb_arena_calloc(rc->arena, 4, sizeof *attrs);
        struct ddb_item key = {0, attrs};
        for (uint32_t i = 0; i < tk.count + xk.count; i++) {
            const struct ddb_attr *at = i < tk.count ? &tk.attrs[i] : &xk.attrs[i - tk.count];
            if (ddb_item_get(&key, at->name) == NULL)
                attrs[key.count++] = *at;
        }
        ddb_jw_key_cstr(rc->w, "LastEvaluatedKey");
        ddb_item_to_json(rc->w, &key);
    }
    struct ddb_capacity_units u; /* an index read: the table's part is 0 */
    ddb_capacity_units_init(&u, rc->arena, &t->def);
    ddb_capacity_index_read(&u, (uint32_t)(x - t->def.indexes),
                            ddb_capacity_range_read(p->bytes_read, in->consistent_read));
    ddb_capacity_member_units(rc->w, &in->cap, in->table, &u);
    ddb_jw_object_end(rc->w);
    return 0;
}


int ddb_read_query_index(struct ddb_reqctx *rc, const struct read_input *in,
                       struct ddb_expr_ctx *cx, const struct ddb_table *t,
                       const struct ddb_index_def *x)
{
    struct ddb_keycond_schema kcs = {
        .hash_name = x->key.hash_name,
        .hash_type = x->key.hash_type,
        .range_name = x->key.has_range ? x->key.range_name : (ddb_slice){NULL, 0},
        .range_type = x->key.range_type,
    };
    struct ddb_key_condition kc;
    if (in->has_key_condition &&
        ddb_expr_parse_key_condition(cx, in->key_condition_text, &kcs, &kc, &rc->err) != 0)
        return -1;
    struct page p = {.rc = rc};
    if (ddb_read_filter_projection(rc, in, cx, &p) != 0)
        return -1;
    /* KeyConditions, QueryFilter, AttributesToGet (legacy.h) against the
     * index's key schema */
    bool legacy_kc;
    struct ddb_key_condition lkc;
    if (ddb_legacy_read_input(rc->arena, rc->body, true, &x->key, &p.filter, &p.projection, &lkc,
                              &legacy_kc, &rc->err) != 0)
        return -1;
    if (legacy_kc)
        kc = lkc;
    bool fetch;
    if (check_index_read(rc, in, t, x, &p, &fetch) != 0)
        return -1;
    struct ddb_range_read r;
    if (ddb_read_query_range(rc, in, x->id, &kc, &r) != 0)
        return -1;
    struct ddb_buf esk;
    ddb_buf_init(&esk, rc->arena);
    if (in->exclusive_start != NULL) {
        const struct ddb_value *ipk;
        if (index_start_key(rc, t, x, in, &esk, &ipk) != 0)
            return -1;
        if (!ddb_value_equal(ipk, kc.hash_value))
            return ddb_error_set(&rc->err, NULL, DDB_ERR_VALIDATION,
                                 "The provided starting key does not match the range key "
                                 "predicate");
        r.exclusive_start = ddb_buf_slice(&esk);
    }
    return answer_index_page(rc, t, x, in, &r, &p, fetch);
}

int ddb_read_scan_index(struct ddb_reqctx *rc, const struct read_input *in,
                      const struct ddb_table *t, const struct ddb_index_def *x, struct page *p)
{
    bool fetch;
    if (check_index_read(rc, in, t, x, p, &fetch) != 0)
        return -1;
    struct ddb_range_read r;
    ddb_read_scan_range(rc, in, x->id, &r);
    struct ddb_buf esk;
    ddb_buf_init(&esk, rc->arena);
    if (in->exclusive_start != NULL) {
        const struct ddb_value *ipk;
        if (index_start_key(rc, t, x, in, &esk, &ipk) != 0)
            return -1;
        r.exclusive_start = ddb_buf_slice(&esk);
    }
    return answer_index_page(rc, t, x, in, &r, p, fetch);
}
