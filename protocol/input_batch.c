#include "input_batch.h"

#include "input_item.h"
#include "input_table.h"
#include "legacy.h"
#include "limits.h"
#include "value_json.h"

/* A ValidationException with a static message (no format string). */
static int validation(struct ddb_error *err, const char *msg)
{
    *err = (struct ddb_error){.code = DDB_ERR_VALIDATION, .message = msg};
    return -1;
}

/* Two keys as the client wrote them: DynamoDB looks for duplicate keys of a
 * BatchGetItem before it validates their values, comparing them as
 * written (members in any order; numbers by their text, so "1" and "1.0"
 * are different keys there). Depth is bounded by the JSON reader's cap. */
static bool json_equal(const struct ddb_json *x, const struct ddb_json *y)
{
    if (x->type != y->type || x->count != y->count)
        return false;
    switch (x->type) {
    case DDB_JSON_STRING:
    case DDB_JSON_NUMBER:
        return ddb_slice_eq(x->u.str, y->u.str);
    case DDB_JSON_ARRAY:
        for (uint32_t i = 0; i < x->count; i++)
            if (!json_equal(&x->u.items[i], &y->u.items[i]))
                return false;
        return true;
    case DDB_JSON_OBJECT:
        for (uint32_t i = 0; i < x->count; i++) {
            const struct ddb_json_member *m = &x->u.members[i];
            const struct ddb_json *other = NULL;
            for (uint32_t j = 0; j < y->count && other == NULL; j++)
                if (ddb_slice_eq(y->u.members[j].key, m->key))
                    other = &y->u.members[j].value;
            if (other == NULL || !json_equal(&m->value, other))
                return false;
        }
        return true;
    default:
        return true;
    }
}

static bool values_equal(const struct ddb_value *x, const struct ddb_value *y)
{
    if (x == NULL || y == NULL)
        return x == y;
    return ddb_value_equal(x, y);
}

static const char DUPLICATES[] = "Provided list of item keys contains duplicates";

/* ---- BatchGetItem ---------------------------------------------------- */

/* Phase 0: the JSON shapes of every table's KeysAndAttributes. */
static int get_shapes(struct ddb_arena *a, const struct ddb_json *items, struct ddb_error *err)
{
    for (uint32_t i = 0; i < items->count; i++) {
        const struct ddb_json *ka = &items->u.members[i].value;
        if (ka->type == DDB_JSON_NULL)
            continue;
        if (ddb_in_expect(a, ka, DDB_JSON_OBJECT, "Structure", err) != 0)
            return -1;
        const struct ddb_json *keys, *atg, *names;
        ddb_slice s;
        bool present, b;
        if (ddb_in_array(a, ka, "Keys", &keys, err) != 0 ||
            ddb_in_array(a, ka, "AttributesToGet", &atg, err) != 0 ||
            ddb_in_object(a, ka, "ExpressionAttributeNames", &names, err) != 0 ||
            ddb_in_string(a, ka, "ProjectionExpression", &s, &present, err) != 0 ||
            ddb_in_bool(a, ka, "ConsistentRead", &b, &present, err) != 0)
            return -1;
        for (uint32_t k = 0; keys != NULL && k < keys->count; k++) {
            const struct ddb_json *key = &keys->u.items[k];
            if (key->type == DDB_JSON_NULL)
                continue;
            if (ddb_in_expect(a, key, DDB_JSON_OBJECT, "Map", err) != 0 ||
                ddb_item_json_check(a, key, err) != 0)
                return -1;
        }
        for (uint32_t k = 0; atg != NULL && k < atg->count; k++)
            if (ddb_in_expect(a, &atg->u.items[k], DDB_JSON_STRING, "String", err) != 0)
                return -1;
    }
    return 0;
}

/* Phase 1 for one table: empty list, duplicates, the running count, each
 * key (empty, values). */
static int get_keys(struct ddb_arena *a, struct ddb_batch_get_table *t, uint32_t *total,
                    struct ddb_error *err)
{
    const struct ddb_json *keys = t->json ? ddb_json_get(t->json, "Keys") : NULL;
    if (keys == NULL || keys->type != DDB_JSON_ARRAY || keys->count == 0)
        return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                             "The list of keys in RequestItems for BatchGetItem is required: %.*s "
                             "has empty list",
                             (int)t->table.len, t->table.ptr);
    /* duplicates first, then the count, then each key (test_batch.py:
     * test_get_duplicates_before_count, test_get_count_before_values) */
    for (uint32_t k = 1; k < keys->count; k++)
        for (uint32_t p = 0; p < k; p++)
            if (json_equal(&keys->u.items[p], &keys->u.items[k]))
                return validation(err, DUPLICATES);
    *total += keys->count;
    if (*total > DDB_BATCH_GET_MAX_KEYS)
        return validation(err, "Too many items requested for the BatchGetItem call");
    t->key_count = keys->count;
    t->keys = ddb_arena_calloc(a, keys->count, sizeof *t->keys);
    for (uint32_t k = 0; k < keys->count; k++) {
        const struct ddb_json *key = &keys->u.items[k];
        if (key->type == DDB_JSON_NULL || key->count == 0)
            return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                 "The list of keys in RequestItems for BatchGetItem may not "
                                 "contain null or empty values: %.*s has one or more empty keys",
                                 (int)t->table.len, t->table.ptr);
        if (ddb_item_from_json(a, key, &t->keys[k], err) != 0)
            return -1;
    }
    return 0;
}

/* AttributesToGet through legacy.c, which words a repeated name as GetItem
 * does; in a batch DynamoDB says "Duplicate value in attribute name" (found
 * in list order, an empty name before it left to legacy.c). */
static int get_attributes_to_get(struct ddb_arena *a, const struct ddb_json *atg,
                                 struct ddb_projection **out, struct ddb_error *err)
{
    for (uint32_t i = 0; i < atg->count; i++) {
        ddb_slice name = atg->u.items[i].u.str; /* strings: checked in phase 0 */
        if (name.len == 0)
            break;
        for (uint32_t j = 0; j < i; j++)
            if (ddb_slice_eq(atg->u.items[j].u.str, name))
                return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                     "One or more parameter values were invalid: Duplicate value "
                                     "in attribute name: %.*s",
                                     (int)name.len, name.ptr);
    }
    return ddb_legacy_attributes_to_get(a, atg, out, err);
}

/* Phase 2 for one table. */
static int get_table_rules(struct ddb_arena *a, struct ddb_batch_get_table *t,
                           struct ddb_error *err)
{
    if (ddb_check_table_name(t->table, err) != 0)
        return -1;
    bool present;
    if (ddb_in_bool(a, t->json, "ConsistentRead", &t->consistent_read, &present, err) != 0 ||
        ddb_in_string(a, t->json, "ProjectionExpression", &t->projection_text,
                      &t->has_projection_text, err) != 0)
        return -1;
    const struct ddb_json *atg;
    if (ddb_in_array(a, t->json, "AttributesToGet", &atg, err) != 0)
        return -1;
    /* an empty AttributesToGet answers whole items (legacy.c) */
    if (ddb_legacy_check_mixing(a, t->json, DDB_LEGACY_GET, err) != 0 ||
        (atg != NULL && get_attributes_to_get(a, atg, &t->projection, err) != 0))
        return -1;
    /* KeysAndAttributes has no ExpressionAttributeValues (an unknown member
     * is ignored): the names alone go through the shared reader. */
    struct ddb_json names_only = {.type = DDB_JSON_OBJECT};
    const struct ddb_json *names = ddb_json_get(t->json, "ExpressionAttributeNames");
    if (names != NULL) {
        struct ddb_json_member *m = ddb_arena_calloc(a, 1, sizeof *m);
        m->key = DDB_SLICE_LIT("ExpressionAttributeNames");
        m->value = *names;
        names_only.count = 1;
        names_only.u.members = m;
    }
    return ddb_input_expr_maps(a, &names_only, t->has_projection_text,
                               "ProjectionExpression is null", &t->cx, err);
}

int ddb_input_batch_get(struct ddb_arena *a, const struct ddb_json *body,
                        struct ddb_batch_get_input *out, struct ddb_error *err)
{
    memset(out, 0, sizeof *out);
    const struct ddb_json *items;
    if (ddb_in_object(a, body, "RequestItems", &items, err) != 0)
        return -1;
    if (items == NULL || items->count == 0)
        return validation(err, "BatchGetItem must have some requests set");
    if (get_shapes(a, items, err) != 0)
        return -1;
    out->table_count = items->count;
    out->tables = ddb_arena_calloc(a, items->count, sizeof *out->tables);
    for (uint32_t i = 0; i < items->count; i++) {
        struct ddb_batch_get_table *t = &out->tables[i];
        t->table = items->u.members[i].key;
        const struct ddb_json *ka = &items->u.members[i].value;
        t->json = ka->type == DDB_JSON_OBJECT ? ka : NULL;
        if (get_keys(a, t, &out->key_count, err) != 0)
            return -1;
    }
    for (uint32_t i = 0; i < out->table_count; i++)
        if (get_table_rules(a, &out->tables[i], err) != 0)
            return -1;
    return 0;
}

int ddb_batch_get_check_keys(struct ddb_arena *a, const struct ddb_key_schema *ks,
                             const struct ddb_batch_get_table *t, const struct ddb_value **pks,
                             const struct ddb_value **sks, struct ddb_error *err)
{
    for (uint32_t k = 0; k < t->key_count; k++)
        if (ddb_check_key(a, ks, &t->keys[k], &pks[k], &sks[k], err) != 0)
            return -1;
    return 0;
}

int ddb_batch_get_parse_projections(struct ddb_batch_get_input *in, struct ddb_error *err)
{
    for (uint32_t i = 0; i < in->table_count; i++) {
        struct ddb_batch_get_table *t = &in->tables[i];
        if (t->has_projection_text &&
            ddb_expr_parse_projection(&t->cx, t->projection_text, &t->projection, err) != 0)
            return -1;
        if (ddb_expr_ctx_check_unused(&t->cx, err) != 0)
            return -1;
    }
    return 0;
}

/* ---- BatchWriteItem -------------------------------------------------- */

/* Phase 0: the JSON shapes of every WriteRequest. */
static int write_shapes(struct ddb_arena *a, const struct ddb_json *items, struct ddb_error *err)
{
    for (uint32_t i = 0; i < items->count; i++) {
        const struct ddb_json *list = &items->u.members[i].value;
        if (list->type == DDB_JSON_NULL)
            continue;
        if (ddb_in_expect(a, list, DDB_JSON_ARRAY, "List", err) != 0)
            return -1;
        for (uint32_t k = 0; k < list->count; k++) {
            const struct ddb_json *wr = &list->u.items[k];
            if (wr->type == DDB_JSON_NULL)
                continue;
            if (ddb_in_expect(a, wr, DDB_JSON_OBJECT, "Structure", err) != 0)
                return -1;
            static const char *const kinds[2][2] = {{"PutRequest", "Item"},
                                                    {"DeleteRequest", "Key"}};
            for (int kind = 0; kind < 2; kind++) {
                const struct ddb_json *req, *item;
                if (ddb_in_object(a, wr, kinds[kind][0], &req, err) != 0)
                    return -1;
                if (req == NULL)
                    continue;
                if (ddb_in_object(a, req, kinds[kind][1], &item, err) != 0)
                    return -1;
                if (item != NULL && ddb_item_json_check(a, item, err) != 0)
                    return -1;
            }
        }
    }
    return 0;
}

static const struct ddb_json *present_member(const struct ddb_json *obj, const char *key)
{
    const struct ddb_json *v = obj != NULL && obj->type == DDB_JSON_OBJECT ? ddb_json_get(obj, key)
                                                                            : NULL;
    return v == NULL || v->type == DDB_JSON_NULL ? NULL : v;
}

/* Phase 1 for one WriteRequest. */
static int write_request(struct ddb_arena *a, const struct ddb_json *wr,
                         struct ddb_batch_write_req *out, struct ddb_error *err)
{
    const struct ddb_json *put = present_member(wr, "PutRequest");
    const struct ddb_json *del = present_member(wr, "DeleteRequest");
    /* DynamoDB Local's words for neither and for both (test_batch.py:
     * test_write_request_neither / _both) */
    if ((put == NULL) == (del == NULL))
        return validation(err, "Supplied AttributeValue has more than one datatypes set, must "
                               "contain exactly one of the supported datatypes");
    out->is_put = put != NULL;
    const struct ddb_json *item = present_member(put ? put : del, put ? "Item" : "Key");
    if (item == NULL)
        return validation(err, "The supplied Item contains a null AttributeValue");
    if (ddb_item_from_json(a, item, &out->item, err) != 0)
        return -1;
    if (out->is_put && ddb_item_size(&out->item) > DDB_MAX_ITEM_SIZE)
        return validation(err, "Item size has exceeded the maximum allowed size");
    return 0;
}

int ddb_input_batch_write(struct ddb_arena *a, const struct ddb_json *body,
                          struct ddb_batch_write_input *out, struct ddb_error *err)
{
    memset(out, 0, sizeof *out);
    const struct ddb_json *items;
    if (ddb_in_object(a, body, "RequestItems", &items, err) != 0)
        return -1;
    if (items == NULL || items->count == 0)
        return validation(err, "BatchWriteItem cannot have a null or no requests set");
    if (write_shapes(a, items, err) != 0)
        return -1;
    out->table_count = items->count;
    out->tables = ddb_arena_calloc(a, items->count, sizeof *out->tables);
    for (uint32_t i = 0; i < items->count; i++) {
        struct ddb_batch_write_table *t = &out->tables[i];
        t->table = items->u.members[i].key;
        const struct ddb_json *list = &items->u.members[i].value;
        if (list->type != DDB_JSON_ARRAY || list->count == 0)
            return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                 "The batch write request list for a table cannot be null or "
                                 "empty: %.*s",
                                 (int)t->table.len, t->table.ptr);
        t->count = list->count;
        t->reqs = ddb_arena_calloc(a, list->count, sizeof *t->reqs);
        for (uint32_t k = 0; k < list->count; k++) {
            /* counted request by request: a fault in the 26th request is
             * reported as too many (test_batch.py: test_write_too_many_*) */
            if (++out->request_count > DDB_BATCH_WRITE_MAX_REQUESTS)
                return validation(err, "Too many items requested for the BatchWriteItem call");
            if (write_request(a, &list->u.items[k], &t->reqs[k], err) != 0)
                return -1;
        }
    }
    for (uint32_t i = 0; i < out->table_count; i++)
        if (ddb_check_table_name(out->tables[i].table, err) != 0)
            return -1;
    return 0;
}

/* A PutRequest's Item: the key attributes present (else DynamoDB's "One of
 * the required keys was not given a value"), then the key alone checked as a
 * Key, which gives the batch's words for a type mismatch ("The provided key
 * element does not match the schema", unlike PutItem's). */
static int check_put_key(struct ddb_arena *a, const struct ddb_key_schema *ks,
                         const struct ddb_item *item, const struct ddb_value **pk,
                         const struct ddb_value **sk, struct ddb_error *err)
{
    if (item->count == 0)
        return validation(err, "Item to put in PutItem cannot be null");
    struct ddb_item key;
    ddb_item_key_of(a, ks, item, &key);
    if (key.count != (ks->has_range ? 2u : 1u))
        return validation(err, "One of the required keys was not given a value");
    return ddb_check_key(a, ks, &key, pk, sk, err);
}

int ddb_batch_write_check_table(struct ddb_arena *a, const struct ddb_key_schema *ks,
                                const struct ddb_batch_write_table *t,
                                const struct ddb_value **pks, const struct ddb_value **sks,
                                struct ddb_error *err)
{
    for (uint32_t k = 0; k < t->count; k++) {
        const struct ddb_batch_write_req *r = &t->reqs[k];
        int rc = r->is_put ? check_put_key(a, ks, &r->item, &pks[k], &sks[k], err)
                           : ddb_check_key(a, ks, &r->item, &pks[k], &sks[k], err);
        if (rc != 0)
            return -1;
        for (uint32_t p = 0; p < k; p++)
            if (ddb_value_equal(pks[p], pks[k]) && values_equal(sks[p], sks[k]))
                return validation(err, DUPLICATES);
    }
    return 0;
}
