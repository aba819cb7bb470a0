#include "input_txn.h"

#include "limits.h"

/* The action kinds, in the order DynamoDB's model lists them. */
static const struct {
    const char *member; /* JSON member */
    const char *path;   /* in validation paths */
    enum ddb_txn_kind kind;
    enum ddb_item_op op; /* the single-item operation whose members it takes */
} kinds[] = {
    {"ConditionCheck", "conditionCheck", DDB_TXN_CHECK, DDB_ITEM_DELETE},
    {"Put", "put", DDB_TXN_PUT, DDB_ITEM_PUT},
    {"Delete", "delete", DDB_TXN_DELETE, DDB_ITEM_DELETE},
    {"Update", "update", DDB_TXN_UPDATE, DDB_ITEM_UPDATE},
};

/* Adds "Value null at '<prefix>.<member>'" when `member` is absent. */
static void require(struct ddb_arena *a, struct ddb_vlist *v, const struct ddb_json *obj,
                    const char *member, const char *prefix, const char *path)
{
    const struct ddb_json *m = ddb_json_get(obj, member);
    if (m == NULL || m->type == DDB_JSON_NULL)
        ddb_vlist_add(v, "null", ddb_arena_printf(a, "%s.%s", prefix, path),
                      "Member must not be null");
}

/* TableName's presence and length, at the action's path. */
static int check_table_name(struct ddb_arena *a, struct ddb_vlist *v, const struct ddb_json *obj,
                            const char *prefix, struct ddb_error *err)
{
    ddb_slice name;
    bool present;
    if (ddb_in_string(a, obj, "TableName", &name, &present, err) != 0)
        return -1;
    const char *path = ddb_arena_printf(a, "%s.tableName", prefix);
    if (!present)
        ddb_vlist_add(v, "null", path, "Member must not be null");
    else if (name.len < DDB_TABLE_NAME_MIN)
        ddb_vlist_add(v, ddb_vlist_quote(a, name), path,
                      "Member must have length greater than or equal to 3");
    else if (name.len > DDB_TABLE_NAME_MAX)
        ddb_vlist_add(v, ddb_vlist_quote(a, name), path,
                      "Member must have length less than or equal to 255");
    return 0;
}

/* TransactItems: present, 1..100 elements, each a structure. */
static int read_items(struct ddb_arena *a, const struct ddb_json *body, struct ddb_vlist *v,
                      const struct ddb_json **items, struct ddb_error *err)
{
    if (ddb_in_array(a, body, "TransactItems", items, err) != 0)
        return -1;
    if (*items == NULL) {
        ddb_vlist_add(v, "null", "transactItems", "Member must not be null");
        return 0;
    }
    if ((*items)->count == 0)
        ddb_vlist_add(v, "'[]'", "transactItems",
                      "Member must have length greater than or equal to 1");
    if ((*items)->count > DDB_TXN_MAX_ACTIONS)
        /* DynamoDB quotes the whole list as Java objects here; Local's text */
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                             "Member must have length less than or equal to 100");
    for (uint32_t i = 0; i < (*items)->count; i++)
        if (ddb_in_expect(a, &(*items)->u.items[i], DDB_JSON_OBJECT, "Structure", err) != 0)
            return -1;
    return 0;
}

static int read_token(struct ddb_arena *a, const struct ddb_json *body, struct ddb_vlist *v,
                      struct ddb_txn_input *out, struct ddb_error *err)
{
    if (ddb_in_string(a, body, "ClientRequestToken", &out->token, &out->has_token, err) != 0)
        return -1;
    if (!out->has_token)
        return 0;
    if (out->token.len < 1)
        ddb_vlist_add(v, "''", "clientRequestToken",
                      "Member must have length greater than or equal to 1");
    else if (out->token.len > DDB_TXN_TOKEN_MAX)
        ddb_vlist_add(v, ddb_vlist_quote(a, out->token), "clientRequestToken",
                      "Member must have length less than or equal to 36");
    return 0;
}

/* The length of an optional string member (0 when absent). */
static uint64_t text_len(const struct ddb_json *obj, const char *member)
{
    const struct ddb_json *m = ddb_json_get(obj, member);
    return m != NULL && m->type == DDB_JSON_STRING ? m->u.str.len : 0;
}

uint64_t ddb_txn_action_payload(const struct ddb_json *sub, const struct ddb_txn_action *act)
{
    const struct ddb_item_input *in = &act->in;
    uint64_t n = ddb_item_size(act->kind == DDB_TXN_PUT ? &in->item : &in->key);
    n += text_len(sub, "ConditionExpression") + text_len(sub, "UpdateExpression");
    for (uint32_t i = 0; i < in->cx.n_names; i++)
        n += in->cx.names[i].name.len;
    for (uint32_t i = 0; i < in->cx.n_values; i++)
        n += ddb_value_size(&in->cx.values[i].value);
    return n;
}

/* The 4 MB payload: summed in request order, refused at the first action
 * that takes it past the limit, with the sum so far. The service repeats its
 * sentence (a client library's recorded answer); DynamoDB Local 3.3.1 says
 * it once (protocol/MESSAGES-txn.md). */
static int check_payload(struct ddb_arena *a, const struct ddb_json **subs,
                         const struct ddb_txn_input *in, struct ddb_error *err)
{
    uint64_t total = 0;
    for (uint32_t i = 0; i < in->count; i++) {
        total += ddb_txn_action_payload(subs[i], &in->actions[i]);
        if (total > DDB_TXN_MAX_PAYLOAD_BYTES)
            return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                 "Transaction payload size cannot exceed 4MB. Payload Size: : "
                                 "Transaction payload size cannot exceed 4MB. Payload Size: %llu",
                                 (unsigned long long)total);
    }
    return 0;
}

int ddb_input_txn_write(struct ddb_arena *a, const struct ddb_json *body,
                        struct ddb_txn_input *out, struct ddb_error *err)
{
    memset(out, 0, sizeof *out);
    struct ddb_vlist v;
    ddb_vlist_init(&v, a);
    if (read_items(a, body, &v, &out->items, err) != 0 || read_token(a, body, &v, out, err) != 0)
        return -1;
    if (ddb_vlist_finish(&v, err) != 0)
        return -1;
    out->count = out->items->count;
    out->actions = ddb_arena_calloc(a, out->count, sizeof *out->actions);

    /* the kind of each action, then every required member of every action
     * in one list, then each action's own members */
    const struct ddb_json **subs = ddb_arena_calloc(a, out->count, sizeof *subs);
    int *which = ddb_arena_calloc(a, out->count, sizeof *which);
    for (uint32_t i = 0; i < out->count; i++) {
        const struct ddb_json *el = &out->items->u.items[i];
        int found = 0;
        for (int k = 0; k < (int)DDB_ARRAY_LEN(kinds); k++) {
            const struct ddb_json *sub;
            if (ddb_in_object(a, el, kinds[k].member, &sub, err) != 0)
                return -1;
            if (sub != NULL) {
                found++;
                subs[i] = sub;
                which[i] = k;
            }
        }
        if (found == 0)
            return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                                 "Invalid Request: TransactWriteRequest should contain Delete or "
                                 "Put or Update request");
        if (found > 1)
            return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                                 "TransactItems can only contain one of Check, Put, Update or "
                                 "Delete");
    }
    for (uint32_t i = 0; i < out->count; i++) {
        const char *prefix =
            ddb_arena_printf(a, "transactItems.%u.member.%s", i + 1, kinds[which[i]].path);
        const struct ddb_json *sub = subs[i];
        enum ddb_txn_kind kind = kinds[which[i]].kind;
        if (check_table_name(a, &v, sub, prefix, err) != 0)
            return -1;
        require(a, &v, sub, kind == DDB_TXN_PUT ? "Item" : "Key", prefix,
                kind == DDB_TXN_PUT ? "item" : "key");
        if (kind == DDB_TXN_CHECK)
            require(a, &v, sub, "ConditionExpression", prefix, "conditionExpression");
        if (kind == DDB_TXN_UPDATE)
            require(a, &v, sub, "UpdateExpression", prefix, "updateExpression");
    }
    if (ddb_vlist_finish(&v, err) != 0)
        return -1;
    for (uint32_t i = 0; i < out->count; i++) {
        out->actions[i].kind = kinds[which[i]].kind;
        if (ddb_input_item(a, kinds[which[i]].op, subs[i], &out->actions[i].in, err) != 0)
            return -1;
    }
    return check_payload(a, subs, out, err);
}

int ddb_input_txn_get(struct ddb_arena *a, const struct ddb_json *body,
                      struct ddb_txn_input *out, struct ddb_error *err)
{
    memset(out, 0, sizeof *out);
    struct ddb_vlist v;
    ddb_vlist_init(&v, a);
    if (read_items(a, body, &v, &out->items, err) != 0)
        return -1;
    if (ddb_vlist_finish(&v, err) != 0)
        return -1;
    out->count = out->items->count;
    out->actions = ddb_arena_calloc(a, out->count, sizeof *out->actions);
    const struct ddb_json **subs = ddb_arena_calloc(a, out->count, sizeof *subs);
    for (uint32_t i = 0; i < out->count; i++) {
        const char *prefix = ddb_arena_printf(a, "transactItems.%u.member", i + 1);
        if (ddb_in_object(a, &out->items->u.items[i], "Get", &subs[i], err) != 0)
            return -1;
        if (subs[i] == NULL) {
            ddb_vlist_add(&v, "null", ddb_arena_printf(a, "%s.get", prefix),
                          "Member must not be null");
            continue;
        }
        prefix = ddb_arena_printf(a, "%s.get", prefix);
        if (check_table_name(a, &v, subs[i], prefix, err) != 0)
            return -1;
        require(a, &v, subs[i], "Key", prefix, "key");
    }
    if (ddb_vlist_finish(&v, err) != 0)
        return -1;
    for (uint32_t i = 0; i < out->count; i++) {
        out->actions[i].kind = DDB_TXN_GET;
        if (ddb_input_item(a, DDB_ITEM_GET, subs[i], &out->actions[i].in, err) != 0)
            return -1;
    }
    return 0;
}
