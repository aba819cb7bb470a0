#include "input_table.h"

#include "limits.h"

static const char TABLE_NAME_MSG[] =
    "Invalid table/index name.  Table/index names must be between 3 and 255 characters long, "
    "and may contain only the characters a-z, A-Z, 0-9, '_', '-', and '.'";

static bool name_char_ok(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || c == '.';
}

static bool table_name_ok(ddb_slice s)
{
    if (s.len < DDB_TABLE_NAME_MIN || s.len > DDB_TABLE_NAME_MAX)
        return false;
    for (size_t i = 0; i < s.len; i++)
        if (!name_char_ok(s.ptr[i]))
            return false;
    return true;
}

int ddb_check_table_name(ddb_slice name, struct ddb_error *err)
{
    return table_name_ok(name) ? 0 : ddb_error_set(err, NULL, DDB_ERR_VALIDATION, TABLE_NAME_MSG);
}

/* TableName as every table operation checks it: constraint violations are
 * added to v (null, length, pattern). */
static int read_table_name(struct ddb_arena *a, const struct ddb_json *body, struct ddb_vlist *v,
                           ddb_slice *name, struct ddb_error *err)
{
    bool present;
    if (ddb_in_string(a, body, "TableName", name, &present, err) != 0)
        return -1;
    if (!present) {
        ddb_vlist_add(v, "null", "tableName", "Member must not be null");
        return 0;
    }
    const char *q = ddb_vlist_quote(a, *name);
    if (name->len < DDB_TABLE_NAME_MIN)
        ddb_vlist_add(v, q, "tableName", "Member must have length greater than or equal to 3");
    if (name->len > DDB_TABLE_NAME_MAX)
        ddb_vlist_add(v, q, "tableName", "Member must have length less than or equal to 255");
    for (size_t i = 0; i < name->len; i++) {
        if (!name_char_ok(name->ptr[i])) {
            ddb_vlist_add(v, q, "tableName",
                          "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
            break;
        }
    }
    return 0;
}

int ddb_input_table_name(struct ddb_arena *a, const struct ddb_json *body, ddb_slice *name,
                         struct ddb_error *err)
{
    struct ddb_vlist v;
    ddb_vlist_init(&v, a);
    if (read_table_name(a, body, &v, name, err) != 0)
        return -1;
    return ddb_vlist_finish(&v, err);
}

static bool scalar_type(ddb_slice s, enum ddb_type *t)
{
    if (ddb_slice_eq_cstr(s, "S"))
        *t = DDB_T_S;
    else if (ddb_slice_eq_cstr(s, "N"))
        *t = DDB_T_N;
    else if (ddb_slice_eq_cstr(s, "B"))
        *t = DDB_T_B;
    else
        return false;
    return true;
}

static bool billing_mode(ddb_slice s, enum ddb_billing_mode *m)
{
    if (ddb_slice_eq_cstr(s, "PROVISIONED"))
        *m = DDB_BILLING_PROVISIONED;
    else if (ddb_slice_eq_cstr(s, "PAY_PER_REQUEST"))
        *m = DDB_BILLING_PAY_PER_REQUEST;
    else
        return false;
    return true;
}

/* ProvisionedThroughput {ReadCapacityUnits, WriteCapacityUnits}: both
 * required and at least 1 once the structure is present. */
static int read_throughput(struct ddb_arena *a, const struct ddb_json *body, struct ddb_vlist *v,
                           bool *present, int64_t *rcu, int64_t *wcu, struct ddb_error *err)
{
    const struct ddb_json *pt;
    if (ddb_in_object(a, body, "ProvisionedThroughput", &pt, err) != 0)
        return -1;
    *present = pt != NULL;
    if (pt == NULL)
        return 0;
    bool has_r, has_w;
    if (ddb_in_int(a, pt, "ReadCapacityUnits", rcu, &has_r, err) != 0 ||
        ddb_in_int(a, pt, "WriteCapacityUnits", wcu, &has_w, err) != 0)
        return -1;
    if (!has_w)
        ddb_vlist_add(v, "null", "provisionedThroughput.writeCapacityUnits",
                      "Member must not be null");
    else if (*wcu < 1)
        ddb_vlist_add(v, ddb_vlist_quote_int(a, *wcu), "provisionedThroughput.writeCapacityUnits",
                      "Member must have value greater than or equal to 1");
    if (!has_r)
        ddb_vlist_add(v, "null", "provisionedThroughput.readCapacityUnits",
                      "Member must not be null");
    else if (*rcu < 1)
        ddb_vlist_add(v, ddb_vlist_quote_int(a, *rcu), "provisionedThroughput.readCapacityUnits",
                      "Member must have value greater than or equal to 1");
    return 0;
}

static int read_billing(struct ddb_arena *a, const struct ddb_json *body, struct ddb_vlist *v,
                        bool *present, enum ddb_billing_mode *mode, struct ddb_error *err)
{
    ddb_slice s;
    if (ddb_in_string(a, body, "BillingMode", &s, present, err) != 0)
        return -1;
    if (*present && !billing_mode(s, mode))
        ddb_vlist_add(v, ddb_vlist_quote(a, s), "billingMode",
                      "Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]");
    return 0;
}

static const char *name_list(struct ddb_arena *a, const ddb_slice *names, uint32_t n)
{
    struct ddb_buf b;
    ddb_buf_init(&b, a);
    ddb_buf_putc(&b, '[');
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            ddb_buf_puts(&b, ", ");
        ddb_buf_append(&b, names[i].ptr, names[i].len);
    }
    ddb_buf_putc(&b, ']');
    return b.ptr;
}

int ddb_input_create_table(struct ddb_arena *a, const struct ddb_json *body,
                           struct ddb_table_def *out, struct ddb_error *err)
{
    memset(out, 0, sizeof *out);
    struct ddb_vlist v;
    ddb_vlist_init(&v, a);

    const struct ddb_json *ads, *ks, *tags;
    if (ddb_in_array(a, body, "AttributeDefinitions", &ads, err) != 0 ||
        ddb_in_array(a, body, "KeySchema", &ks, err) != 0 ||
        ddb_in_array(a, body, "Tags", &tags, err) != 0)
        return -1;
    bool name_present;
    if (ddb_in_string(a, body, "TableName", &out->name, &name_present, err) != 0)
        return -1;

    /* AttributeDefinitions */
    uint32_t nad = ads ? ads->count : 0;
    struct ddb_attr_def *ad = ddb_arena_calloc(a, nad ? nad : 1, sizeof *ad);
    bool ad_ok = true;
    if (ads == NULL)
        ddb_vlist_add(&v, "null", "attributeDefinitions", "Member must not be null");
    for (uint32_t i = 0; i < nad; i++) {
        const struct ddb_json *e = &ads->u.items[i];
        if (ddb_in_expect(a, e, DDB_JSON_OBJECT, "Structure", err) != 0)
            return -1;
        ddb_slice n, t;
        bool hn, ht;
        if (ddb_in_string(a, e, "AttributeName", &n, &hn, err) != 0 ||
            ddb_in_string(a, e, "AttributeType", &t, &ht, err) != 0)
            return -1;
        char *path = ddb_arena_printf(a, "attributeDefinitions.%u.member.attributeType", i + 1);
        if (!ht) {
            ddb_vlist_add(&v, "null", path, "Member must not be null");
            ad_ok = false;
        } else if (!scalar_type(t, &ad[i].type)) {
            ddb_vlist_add(&v, ddb_vlist_quote(a, t), path,
                          "Member must satisfy enum value set: [B, N, S]");
            ad_ok = false;
        }
        path = ddb_arena_printf(a, "attributeDefinitions.%u.member.attributeName", i + 1);
        if (!hn) {
            ddb_vlist_add(&v, "null", path, "Member must not be null");
            ad_ok = false;
        } else if (n.len < 1 || n.len > DDB_MAX_KEY_ATTR_NAME_BYTES) {
            ddb_vlist_add(&v, ddb_vlist_quote(a, n), path,
                          n.len < 1 ? "Member must have length greater than or equal to 1"
                                    : "Member must have length less than or equal to 255");
            ad_ok = false;
        }
        ad[i].name = n;
    }

    /* TableName: DynamoDB reports it among the constraints, in its own words */
    if (!name_present)
        ddb_vlist_add(&v, "null", "tableName", "Member must not be null");

    /* KeySchema */
    uint32_t nks = ks ? ks->count : 0;
    ddb_slice kn[2] = {{0}};
    ddb_slice kt[2] = {{0}};
    if (ks == NULL) {
        ddb_vlist_add(&v, "null", "keySchema", "Member must not be null");
    } else if (nks < 1) {
        ddb_vlist_add(&v, "'[]'", "keySchema", "Member must have length greater than or equal to 1");
    } else if (nks > 2) {
        ddb_vlist_add(&v, "'[...]'", "keySchema", "Member must have length less than or equal to 2");
    }
    for (uint32_t i = 0; i < nks; i++) {
        const struct ddb_json *e = &ks->u.items[i];
        if (ddb_in_expect(a, e, DDB_JSON_OBJECT, "Structure", err) != 0)
            return -1;
        ddb_slice n, t;
        bool hn, ht;
        if (ddb_in_string(a, e, "AttributeName", &n, &hn, err) != 0 ||
            ddb_in_string(a, e, "KeyType", &t, &ht, err) != 0)
            return -1;
        char *path = ddb_arena_printf(a, "keySchema.%u.member.keyType", i + 1);
        if (!ht)
            ddb_vlist_add(&v, "null", path, "Member must not be null");
        else if (!ddb_slice_eq_cstr(t, "HASH") && !ddb_slice_eq_cstr(t, "RANGE"))
            ddb_vlist_add(&v, ddb_vlist_quote(a, t), path,
                          "Member must satisfy enum value set: [HASH, RANGE]");
        path = ddb_arena_printf(a, "keySchema.%u.member.attributeName", i + 1);
        if (!hn)
            ddb_vlist_add(&v, "null", path, "Member must not be null");
        else if (n.len < 1 || n.len > DDB_MAX_KEY_ATTR_NAME_BYTES)
            ddb_vlist_add(&v, ddb_vlist_quote(a, n), path,
                          n.len < 1 ? "Member must have length greater than or equal to 1"
                                    : "Member must have length less than or equal to 255");
        if (i < 2) {
            kn[i] = n;
            kt[i] = t;
        }
    }

    bool has_billing, has_tp;
    if (read_billing(a, body, &v, &has_billing, &out->billing, err) != 0 ||
        read_throughput(a, body, &v, &has_tp, &out->read_capacity, &out->write_capacity, err) != 0)
        return -1;

    /* Tags: Key 1..128, Value 0..256 */
    uint32_t ntags = tags ? tags->count : 0;
    struct ddb_tag *tg = ddb_arena_calloc(a, ntags ? ntags : 1, sizeof *tg);
    for (uint32_t i = 0; i < ntags; i++) {
        const struct ddb_json *e = &tags->u.items[i];
        if (ddb_in_expect(a, e, DDB_JSON_OBJECT, "Structure", err) != 0)
            return -1;
        bool hk, hv;
        if (ddb_in_string(a, e, "Key", &tg[i].key, &hk, err) != 0 ||
            ddb_in_string(a, e, "Value", &tg[i].value, &hv, err) != 0)
            return -1;
        if (!hk)
            ddb_vlist_add(&v, "null", ddb_arena_printf(a, "tags.%u.member.key", i + 1),
                          "Member must not be null");
        if (!hv)
            ddb_vlist_add(&v, "null", ddb_arena_printf(a, "tags.%u.member.value", i + 1),
                          "Member must not be null");
    }

    if (ddb_vlist_finish(&v, err) != 0)
        return -1;

    if (!table_name_ok(out->name))
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION, TABLE_NAME_MSG);

    /* the key schema's own rules */
    if (!ddb_slice_eq_cstr(kt[0], "HASH"))
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                             "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
    if (nks == 2) {
        if (!ddb_slice_eq_cstr(kt[1], "RANGE"))
            return ddb_error_set(
                err, NULL, DDB_ERR_VALIDATION,
                "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
        if (ddb_slice_eq(kn[0], kn[1]))
            return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                                 "Both the Hash Key and the Range Key element in the KeySchema "
                                 "have the same name");
    }
    (void)ad_ok;
    for (uint32_t i = 0; i < nad; i++)
        for (uint32_t j = 0; j < i; j++)
            if (ddb_slice_eq(ad[i].name, ad[j].name))
                return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                                     "Cannot have two attributes with the same name");

    /* every key attribute defined, and nothing else defined */
    ddb_slice *adn = ddb_arena_calloc(a, nad ? nad : 1, sizeof *adn);
    for (uint32_t i = 0; i < nad; i++)
        adn[i] = ad[i].name;
    for (uint32_t k = 0; k < nks; k++) {
        bool found = false;
        for (uint32_t i = 0; i < nad; i++) {
            if (ddb_slice_eq(kn[k], ad[i].name)) {
                found = true;
                if (k == 0)
                    out->key.hash_type = ad[i].type;
                else
                    out->key.range_type = ad[i].type;
            }
        }
        if (!found)
            return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                 "One or more parameter values were invalid: Some index key "
                                 "attributes are not defined in AttributeDefinitions. Keys: %s, "
                                 "AttributeDefinitions: %s",
                                 name_list(a, kn, nks), name_list(a, adn, nad));
    }
    if (nad != nks)
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                             "One or more parameter values were invalid: Number of attributes in "
                             "KeySchema does not exactly match number of attributes defined in "
                             "AttributeDefinitions");

    /* billing mode and throughput */
    out->billing_explicit = has_billing;
    if (!has_billing)
        out->billing = DDB_BILLING_PROVISIONED;
    if (out->billing == DDB_BILLING_PAY_PER_REQUEST) {
        if (has_tp)
            return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                                 "One or more parameter values were invalid: Neither "
                                 "ReadCapacityUnits nor WriteCapacityUnits can be specified when "
                                 "BillingMode is PAY_PER_REQUEST");
        out->read_capacity = out->write_capacity = 0;
    } else if (!has_tp) {
        if (has_billing)
            return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                                 "One or more parameter values were invalid: ReadCapacityUnits "
                                 "and WriteCapacityUnits must both be specified when BillingMode "
                                 "is PROVISIONED");
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                             "No provisioned throughput specified for the table");
    }

    out->key.hash_name = kn[0];
    out->key.has_range = nks == 2;
    if (out->key.has_range)
        out->key.range_name = kn[1];
    out->attr_defs = ad;
    out->attr_def_count = nad;
    out->tags = tg;
    out->tag_count = ntags;
    return 0;
}

int ddb_input_list_tables(struct ddb_arena *a, const struct ddb_json *body,
                          struct ddb_list_tables_input *out, struct ddb_error *err)
{
    struct ddb_vlist v;
    ddb_vlist_init(&v, a);
    bool has_start, has_limit;
    int64_t limit = DDB_LIST_TABLES_MAX;
    out->start = (ddb_slice){NULL, 0};
    if (ddb_in_string(a, body, "ExclusiveStartTableName", &out->start, &has_start, err) != 0 ||
        ddb_in_int(a, body, "Limit", &limit, &has_limit, err) != 0)
        return -1;
    if (has_start) {
        const char *q = ddb_vlist_quote(a, out->start);
        if (out->start.len < DDB_TABLE_NAME_MIN)
            ddb_vlist_add(&v, q, "exclusiveStartTableName",
                          "Member must have length greater than or equal to 3");
        if (out->start.len > DDB_TABLE_NAME_MAX)
            ddb_vlist_add(&v, q, "exclusiveStartTableName",
                          "Member must have length less than or equal to 255");
        for (size_t i = 0; i < out->start.len; i++) {
            if (!name_char_ok(out->start.ptr[i])) {
                ddb_vlist_add(&v, q, "exclusiveStartTableName",
                              "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
                break;
            }
        }
    }
    if (has_limit && limit < 1)
        ddb_vlist_add(&v, ddb_vlist_quote_int(a, limit), "limit",
                      "Member must have value greater than or equal to 1");
    if (has_limit && limit > DDB_LIST_TABLES_MAX)
        ddb_vlist_add(&v, ddb_vlist_quote_int(a, limit), "limit",
                      "Member must have value less than or equal to 100");
    if (ddb_vlist_finish(&v, err) != 0)
        return -1;
    out->limit = (uint32_t)limit;
    return 0;
}

int ddb_input_update_table(struct ddb_arena *a, const struct ddb_json *body,
                           struct ddb_update_table_input *out, struct ddb_error *err)
{
    memset(out, 0, sizeof *out);
    struct ddb_vlist v;
    ddb_vlist_init(&v, a);
    if (read_table_name(a, body, &v, &out->name, err) != 0 ||
        read_billing(a, body, &v, &out->has_billing, &out->billing, err) != 0 ||
        read_throughput(a, body, &v, &out->has_throughput, &out->read_capacity,
                        &out->write_capacity, err) != 0)
        return -1;
    return ddb_vlist_finish(&v, err);
}

int ddb_check_update_table(struct ddb_arena *a, const struct ddb_table_def *cur,
                           const struct ddb_update_table_input *in, enum ddb_billing_mode *billing,
                           int64_t *rcu, int64_t *wcu, struct ddb_error *err)
{
    if (!in->has_billing && !in->has_throughput)
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                             "At least one of ProvisionedThroughput, BillingMode, "
                             "UpdateStreamEnabled, GlobalSecondaryIndexUpdates or "
                             "SSESpecification or ReplicaUpdates is required");
    *billing = in->has_billing ? in->billing : cur->billing;
    if (*billing == DDB_BILLING_PAY_PER_REQUEST) {
        if (in->has_throughput)
            return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                                 "One or more parameter values were invalid: Neither "
                                 "ReadCapacityUnits nor WriteCapacityUnits can be specified when "
                                 "BillingMode is PAY_PER_REQUEST");
        *rcu = *wcu = 0;
        return 0;
    }
    if (!in->has_throughput) {
        if (cur->billing == DDB_BILLING_PAY_PER_REQUEST)
            return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                                 "One or more parameter values were invalid: ProvisionedThroughput "
                                 "must be specified when BillingMode is PROVISIONED");
        *rcu = cur->read_capacity;
        *wcu = cur->write_capacity;
        return 0;
    }
    if (cur->billing == DDB_BILLING_PROVISIONED && in->read_capacity == cur->read_capacity &&
        in->write_capacity == cur->write_capacity && !in->has_billing)
        return ddb_error_set(
            err, a, DDB_ERR_VALIDATION,
            "The provisioned throughput for the table will not change. The requested value equals "
            "the current value. Current ReadCapacityUnits provisioned for the table: %lld. "
            "Requested ReadCapacityUnits: %lld. Current WriteCapacityUnits provisioned for the "
            "table: %lld. Requested WriteCapacityUnits: %lld. Refer to the Amazon DynamoDB "
            "Developer Guide for current limits and how to request higher limits.",
            (long long)cur->read_capacity, (long long)in->read_capacity,
            (long long)cur->write_capacity, (long long)in->write_capacity);
    *rcu = in->read_capacity;
    *wcu = in->write_capacity;
    return 0;
}
