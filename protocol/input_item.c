#include "input_item.h"

#include "legacy.h"
#include "limits.h"
#include "value_json.h"

int ddb_input_expr_text(struct ddb_arena *a, const struct ddb_json *body, const char *member,
                        ddb_slice *text, bool *present, struct ddb_error *err)
{
    return ddb_in_string(a, body, member, text, present, err);
}

int ddb_input_expr_maps(struct ddb_arena *a, const struct ddb_json *body, bool have_expressions,
                        const char *values_null_msg, struct ddb_expr_ctx *cx,
                        struct ddb_error *err)
{
    const struct ddb_json *names, *values;
    if (ddb_in_object(a, body, "ExpressionAttributeNames", &names, err) != 0 ||
        ddb_in_object(a, body, "ExpressionAttributeValues", &values, err) != 0)
        return -1;
    if (names != NULL && !have_expressions)
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                             "ExpressionAttributeNames can only be specified when using "
                             "expressions");
    if (values != NULL && !have_expressions)
        return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                             "ExpressionAttributeValues can only be specified when using "
                             "expressions: %s",
                             values_null_msg);
    if (names != NULL && names->count == 0)
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                             "ExpressionAttributeNames must not be empty");
    if (values != NULL && values->count == 0)
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                             "ExpressionAttributeValues must not be empty");

    uint32_t nn = names ? names->count : 0, nv = values ? values->count : 0;
    struct ddb_expr_name *en = ddb_arena_calloc(a, nn ? nn : 1, sizeof *en);
    for (uint32_t i = 0; i < nn; i++) {
        const struct ddb_json_member *m = &names->u.members[i];
        if (ddb_in_expect(a, &m->value, DDB_JSON_STRING, "String", err) != 0)
            return -1;
        en[i].key = m->key;
        en[i].name = m->value.u.str;
    }
    struct ddb_attr *ev = ddb_arena_calloc(a, nv ? nv : 1, sizeof *ev);
    for (uint32_t i = 0; i < nv; i++) {
        const struct ddb_json_member *m = &values->u.members[i];
        ev[i].name = m->key;
        if (ddb_value_from_json(a, &m->value, &ev[i].value, err) != 0)
            return ddb_value_error_in_eav(a, err, m->key);
    }
    ddb_expr_ctx_init(cx, a, en, nn, ev, nv);
    return ddb_expr_ctx_check_keys(cx, err);
}

static int read_return_values(struct ddb_arena *a, const struct ddb_json *body,
                              enum ddb_item_op op, enum ddb_return_values *rv,
                              struct ddb_error *err)
{
    static const char *const names[] = {"NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW",
                                        "UPDATED_NEW"};
    ddb_slice s;
    bool present;
    *rv = DDB_RV_NONE;
    if (ddb_in_string(a, body, "ReturnValues", &s, &present, err) != 0)
        return -1;
    if (!present)
        return 0;
    int found = -1;
    for (int i = 0; i < (int)DDB_ARRAY_LEN(names); i++)
        if (ddb_slice_eq_cstr(s, names[i]))
            found = i;
    /* DynamoDB answers the same for an unknown value and for one the
     * operation does not take (test_items.py: *_invalid_return_values) */
    if (found < 0)
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION, "Return values set to invalid value");
    *rv = (enum ddb_return_values)found;
    if ((op == DDB_ITEM_PUT || op == DDB_ITEM_DELETE) && *rv != DDB_RV_NONE &&
        *rv != DDB_RV_ALL_OLD)
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION, "Return values set to invalid value");
    return 0;
}

static int read_item_member(struct ddb_arena *a, const struct ddb_json *body, const char *member,
                            struct ddb_item *out, struct ddb_error *err)
{
    const struct ddb_json *o;
    if (ddb_in_object(a, body, member, &o, err) != 0)
        return -1;
    if (o == NULL) {
        struct ddb_vlist v;
        ddb_vlist_init(&v, a);
        ddb_vlist_add(&v, "null", member[0] == 'I' ? "item" : "key", "Member must not be null");
        return ddb_vlist_finish(&v, err);
    }
    return ddb_item_from_json(a, o, out, err);
}

int ddb_input_item(struct ddb_arena *a, enum ddb_item_op op, const struct ddb_json *body,
                   struct ddb_item_input *out, struct ddb_error *err)
{
    memset(out, 0, sizeof *out);
    struct ddb_vlist v;
    ddb_vlist_init(&v, a);
    bool present;
    if (ddb_in_string(a, body, "TableName", &out->table, &present, err) != 0)
        return -1;
    if (!present) {
        ddb_vlist_add(&v, "null", "tableName", "Member must not be null");
    } else if (out->table.len < DDB_TABLE_NAME_MIN || out->table.len > DDB_TABLE_NAME_MAX) {
        ddb_vlist_add(&v, ddb_vlist_quote(a, out->table), "tableName",
                      out->table.len < DDB_TABLE_NAME_MIN
                          ? "Member must have length greater than or equal to 3"
                          : "Member must have length less than or equal to 255");
    }
    if (ddb_vlist_finish(&v, err) != 0)
        return -1;
    if (read_return_values(a, body, op, &out->return_values, err) != 0)
        return -1;
    ddb_slice rvc;
    if (ddb_in_string(a, body, "ReturnValuesOnConditionCheckFailure", &rvc, &present, err) != 0)
        return -1;
    out->return_old_on_condition_failure = present && ddb_slice_eq_cstr(rvc, "ALL_OLD");
    if (ddb_in_bool(a, body, "ConsistentRead", &out->consistent_read, &present, err) != 0)
        return -1;

    if (op == DDB_ITEM_PUT) {
        if (read_item_member(a, body, "Item", &out->item, err) != 0)
            return -1;
    } else if (read_item_member(a, body, "Key", &out->key, err) != 0) {
        return -1;
    }

    ddb_slice cond = {0}, upd = {0}, proj = {0};
    bool has_cond = false, has_upd = false, has_proj = false;
    if (op != DDB_ITEM_GET &&
        ddb_input_expr_text(a, body, "ConditionExpression", &cond, &has_cond, err) != 0)
        return -1;
    if (op == DDB_ITEM_UPDATE &&
        ddb_input_expr_text(a, body, "UpdateExpression", &upd, &has_upd, err) != 0)
        return -1;
    if (op == DDB_ITEM_GET &&
        ddb_input_expr_text(a, body, "ProjectionExpression", &proj, &has_proj, err) != 0)
        return -1;
    static const enum ddb_legacy_op legacy_op[] = {DDB_LEGACY_PUT, DDB_LEGACY_GET,
                                                   DDB_LEGACY_DELETE, DDB_LEGACY_UPDATE};
    if (ddb_legacy_check_mixing(a, body, legacy_op[op], err) != 0)
        return -1;
    const char *null_msg = op == DDB_ITEM_UPDATE ? "UpdateExpression and ConditionExpression are null"
                           : op == DDB_ITEM_GET  ? "ProjectionExpression is null"
                                                 : "ConditionExpression is null";
    if (ddb_input_expr_maps(a, body, has_cond || has_upd || has_proj, null_msg, &out->cx, err) !=
        0)
        return -1;
    if (has_upd && ddb_expr_parse_update(&out->cx, upd, &out->update, err) != 0)
        return -1;
    if (has_cond &&
        ddb_expr_parse_condition(&out->cx, DDB_EXPR_CONDITION, cond, &out->condition, err) != 0)
        return -1;
    if (has_proj && ddb_expr_parse_projection(&out->cx, proj, &out->projection, err) != 0)
        return -1;
    if (ddb_expr_ctx_check_unused(&out->cx, err) != 0)
        return -1;
    /* Expected, AttributesToGet, AttributeUpdates (never with expressions) */
    return ddb_legacy_item_input(a, op, body, out, err);
}

/* Empty-key and key-size checks shared by Key and Item. */
static int check_key_value(struct ddb_arena *a, ddb_slice name, const struct ddb_value *v,
                           bool is_range, struct ddb_error *err)
{
    size_t len = v->type == DDB_T_N ? ddb_value_size(v) : v->u.str.len;
    if (v->type != DDB_T_N && len == 0)
        return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                             "One or more parameter values are not valid. The AttributeValue for a "
                             "key attribute cannot contain an empty %s value. Key: %.*s",
                             v->type == DDB_T_S ? "string" : "binary", (int)name.len, name.ptr);
    if (!is_range && len > DDB_MAX_HASH_KEY_BYTES)
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                             "One or more parameter values were invalid: Size of hashkey has "
                             "exceeded the maximum size limit of 2048 bytes");
    if (is_range && len > DDB_MAX_RANGE_KEY_BYTES)
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                             "One or more parameter values were invalid: Aggregated size of all "
                             "range keys has exceeded the size limit of 1024 bytes");
    return 0;
}

int ddb_check_key(struct ddb_arena *a, const struct ddb_key_schema *ks,
                  const struct ddb_item *key, const struct ddb_value **pk,
                  const struct ddb_value **sk, struct ddb_error *err)
{
    static const char mismatch[] = "The provided key element does not match the schema";
    const struct ddb_value *h = ddb_item_get(key, ks->hash_name);
    const struct ddb_value *r = ks->has_range ? ddb_item_get(key, ks->range_name) : NULL;
    if (h == NULL || h->type != ks->hash_type || (ks->has_range && r == NULL) ||
        (r != NULL && r->type != ks->range_type) || key->count != (ks->has_range ? 2u : 1u))
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION, mismatch);
    if (check_key_value(a, ks->hash_name, h, false, err) != 0 ||
        (r != NULL && check_key_value(a, ks->range_name, r, true, err) != 0))
        return -1;
    *pk = h;
    *sk = r;
    return 0;
}

int ddb_check_item_key(struct ddb_arena *a, const struct ddb_key_schema *ks,
                       const struct ddb_item *item, const struct ddb_value **pk,
                       const struct ddb_value **sk, struct ddb_error *err)
{
    const struct ddb_value *h = ddb_item_get(item, ks->hash_name);
    const struct ddb_value *r = ks->has_range ? ddb_item_get(item, ks->range_name) : NULL;
    if (h == NULL || (ks->has_range && r == NULL))
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                             "One of the required keys was not given a value");
    const struct ddb_value *vals[2] = {h, r};
    const ddb_slice names[2] = {ks->hash_name, ks->range_name};
    const enum ddb_type types[2] = {ks->hash_type, ks->range_type};
    for (int i = 0; i < (ks->has_range ? 2 : 1); i++) {
        if (vals[i]->type != types[i])
            return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                 "One or more parameter values were invalid: Type mismatch for key "
                                 "%.*s expected: %s actual: %s",
                                 (int)names[i].len, names[i].ptr, ddb_type_name(types[i]),
                                 ddb_type_name(vals[i]->type));
        if (check_key_value(a, names[i], vals[i], i == 1, err) != 0)
            return -1;
    }
    *pk = h;
    *sk = r;
    return 0;
}

void ddb_item_key_of(struct ddb_arena *a, const struct ddb_key_schema *ks,
                     const struct ddb_item *item, struct ddb_item *out)
{
    struct ddb_attr *attrs = ddb_arena_calloc(a, 2, sizeof *attrs);
    uint32_t n = 0;
    const struct ddb_value *h = ddb_item_get(item, ks->hash_name);
    if (h != NULL)
        attrs[n++] = (struct ddb_attr){ks->hash_name, *h};
    if (ks->has_range) {
        const struct ddb_value *r = ddb_item_get(item, ks->range_name);
        if (r != NULL)
            attrs[n++] = (struct ddb_attr){ks->range_name, *r};
    }
    out->attrs = attrs;
    out->count = n;
}
