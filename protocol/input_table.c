#include "input_table.h"

#include "input_index.h"
#include "limits.h"

static const char TABLE_NAME_MSG[] =
    "Invalid table/index name.  Table/index names must be between 3 and 255 characters long, "
    "and may contain only the characters a-z, A-Z, 0-9, '_', '-', and '.'";

int ddb_check_table_name(ddb_slice name, struct ddb_error *err)
{
    return ddb_name_valid(name) ? 0 : ddb_error_set(err, NULL, DDB_ERR_VALIDATION, TABLE_NAME_MSG);
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
    ddb_vlist_check_name(v, *name, "tableName");
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

/* LocalSecondaryIndexes and GlobalSecondaryIndexes: shapes and constraints. */
static int read_index_lists(struct ddb_arena *a, const struct ddb_json *body, struct ddb_vlist *v,
                            struct ddb_index_input **out, uint32_t *nlsi, uint32_t *ngsi,
                            bool *has_lsi, bool *has_gsi, struct ddb_error *err)
{
    const struct ddb_json *lsi, *gsi;
    if (ddb_in_array(a, body, "LocalSecondaryIndexes", &lsi, err) != 0 ||
        ddb_in_array(a, body, "GlobalSecondaryIndexes", &gsi, err) != 0)
        return -1;
    *has_lsi = lsi != NULL;
    *has_gsi = gsi != NULL;
    *nlsi = lsi ? lsi->count : 0;
    *ngsi = gsi ? gsi->count : 0;
    struct ddb_index_input *ix = ddb_arena_calloc(a, *nlsi + *ngsi + 1, sizeof *ix);
    for (uint32_t i = 0; i < *nlsi; i++)
        if (ddb_input_index_read(a, &lsi->u.items[i], false,
                                 ddb_arena_printf(a, "localSecondaryIndexes.%u.member", i + 1), v,
                                 &ix[i], err) != 0)
            return -1;
    for (uint32_t i = 0; i < *ngsi; i++)
        if (ddb_input_index_read(a, &gsi->u.items[i], true,
                                 ddb_arena_printf(a, "globalSecondaryIndexes.%u.member", i + 1), v,
                                 &ix[*nlsi + i], err) != 0)
            return -1;
    *out = ix;
    return 0;
}

static const char INVALID[] = "One or more parameter values were invalid: ";

/* The index rules of CreateTable, LSIs first (conformance: test_indexes.py). */
static int check_indexes(struct ddb_arena *a, struct ddb_table_def *out,
                         struct ddb_index_input *ix, uint32_t nlsi, uint32_t ngsi, bool has_lsi,
                         bool has_gsi, const struct ddb_attr_def *ad, uint32_t nad,
                         struct ddb_error *err)
{
    if (has_lsi) {
        if (nlsi == 0)
            return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                 "%sList of LocalSecondaryIndexes is empty", INVALID);
        if (!out->key.has_range)
            return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                 "%sTable KeySchema does not have a range key, which is required "
                                 "when specifying a LocalSecondaryIndex",
                                 INVALID);
    }
    for (uint32_t i = 0; i < nlsi + ngsi; i++) {
        if (ddb_input_index_check(a, &ix[i], ad, nad, &out->key, err) != 0)
            return -1;
        for (uint32_t j = 0; j < i; j++)
            if (ddb_slice_eq(ix[i].def.name, ix[j].def.name))
                return ddb_error_set(err, a, DDB_ERR_VALIDATION, "%sDuplicate index name: %.*s",
                                     INVALID, (int)ix[i].def.name.len, ix[i].def.name.ptr);
        if (i + 1 == nlsi && nlsi > DDB_MAX_LSI)
            return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                 "%sNumber of LocalSecondaryIndexes exceeds per-table limit of %d",
                                 INVALID, DDB_MAX_LSI);
    }
    if (has_gsi && ngsi == 0)
        return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                             "%sList of GlobalSecondaryIndexes is empty", INVALID);
    if (ngsi > DDB_MAX_GSI)
        return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                             "%sGlobalSecondaryIndex count exceeds the per-table limit of %d",
                             INVALID, DDB_MAX_GSI);
    struct ddb_index_def *defs = ddb_arena_calloc(a, nlsi + ngsi + 1, sizeof *defs);
    for (uint32_t i = 0; i < nlsi + ngsi; i++)
        defs[i] = ix[i].def;
    if (ddb_input_index_projected_limit(defs, nlsi + ngsi, a, err) != 0)
        return -1;
    out->indexes = defs;
    out->index_count = nlsi + ngsi;
    return 0;
}

/* Distinct key attribute names of the table and its indexes. */
static uint32_t count_key_attrs(struct ddb_arena *a, const struct ddb_table_def *d, uint32_t nks)
{
    uint32_t cap = 2 + 2 * d->index_count, n = 0;
    ddb_slice *names = ddb_arena_calloc(a, cap, sizeof *names);
    for (uint32_t i = 0; i < cap; i++) {
        ddb_slice s;
        if (i < 2) {
            if (i >= nks)
                continue;
            s = i == 0 ? d->key.hash_name : d->key.range_name;
        } else {
            const struct ddb_index_def *x = &d->indexes[(i - 2) / 2];
            if ((i - 2) % 2 == 1 && !x->key.has_range)
                continue;
            s = (i - 2) % 2 == 0 ? x->key.hash_name : x->key.range_name;
        }
        bool seen = false;
        for (uint32_t j = 0; j < n && !seen; j++)
            seen = ddb_slice_eq(names[j], s);
        if (!seen)
            names[n++] = s;
    }
    return n;
}

/* A GSI's ProvisionedThroughput against the table's billing mode. */
static int check_gsi_throughput(struct ddb_arena *a, enum ddb_billing_mode billing,
                                struct ddb_index_def *ix, uint32_t n, struct ddb_error *err)
{
    for (uint32_t i = 0; i < n; i++) {
        struct ddb_index_def *d = &ix[i];
        if (d->local)
            continue;
        if (billing == DDB_BILLING_PAY_PER_REQUEST && d->has_throughput)
            return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                 "%sProvisionedThroughput should not be specified for index: %.*s "
                                 "when BillingMode is PAY_PER_REQUEST",
                                 INVALID, (int)d->name.len, d->name.ptr);
        if (billing == DDB_BILLING_PROVISIONED && !d->has_throughput)
            return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                 "%sProvisionedThroughput is not specified for index: %.*s",
                                 INVALID, (int)d->name.len, d->name.ptr);
        if (billing == DDB_BILLING_PAY_PER_REQUEST)
            d->read_capacity = d->write_capacity = 0;
    }
    return 0;
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
        } else if (!ddb_key_type_parse(t, &ad[i].type)) {
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
        ddb_in_throughput(a, body, NULL, &v, &has_tp, &out->read_capacity, &out->write_capacity,
                          err) != 0)
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

    struct ddb_index_input *ixin = NULL;
    uint32_t nlsi = 0, ngsi = 0;
    bool has_lsi = false, has_gsi = false;
    if (read_index_lists(a, body, &v, &ixin, &nlsi, &ngsi, &has_lsi, &has_gsi, err) != 0)
        return -1;

    if (ddb_vlist_finish(&v, err) != 0)
        return -1;

    if (!ddb_name_valid(out->name))
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
                                 ddb_input_name_list(a, kn, nks), ddb_input_name_list(a, adn, nad));
    }
    out->key.hash_name = kn[0];
    out->key.has_range = nks == 2;
    if (out->key.has_range)
        out->key.range_name = kn[1];
    if (check_indexes(a, out, ixin, nlsi, ngsi, has_lsi, has_gsi, ad, nad, err) != 0)
        return -1;
    if (nad != count_key_attrs(a, out, nks))
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
    if (check_gsi_throughput(a, out->billing, (struct ddb_index_def *)out->indexes,
                             out->index_count, err) != 0)
        return -1;

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
    if (has_start)
        ddb_vlist_check_name(&v, out->start, "exclusiveStartTableName");
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

/* UpdateTable's AttributeDefinitions (the new index keys' types). */
static int read_attr_defs(struct ddb_arena *a, const struct ddb_json *body, struct ddb_vlist *v,
                          struct ddb_update_table_input *out, struct ddb_error *err)
{
    const struct ddb_json *ads;
    if (ddb_in_array(a, body, "AttributeDefinitions", &ads, err) != 0)
        return -1;
    out->has_attr_defs = ads != NULL;
    if (ads == NULL)
        return 0;
    struct ddb_attr_def *ad = ddb_arena_calloc(a, ads->count + 1, sizeof *ad);
    for (uint32_t i = 0; i < ads->count; i++) {
        const struct ddb_json *e = &ads->u.items[i];
        if (ddb_in_expect(a, e, DDB_JSON_OBJECT, "Structure", err) != 0)
            return -1;
        ddb_slice n = {0}, t = {0};
        bool hn, ht;
        if (ddb_in_string(a, e, "AttributeName", &n, &hn, err) != 0 ||
            ddb_in_string(a, e, "AttributeType", &t, &ht, err) != 0)
            return -1;
        char *path = ddb_arena_printf(a, "attributeDefinitions.%u.member.attributeType", i + 1);
        if (!ht)
            ddb_vlist_add(v, "null", path, "Member must not be null");
        else if (!ddb_key_type_parse(t, &ad[i].type))
            ddb_vlist_add(v, ddb_vlist_quote(a, t), path,
                          "Member must satisfy enum value set: [B, N, S]");
        path = ddb_arena_printf(a, "attributeDefinitions.%u.member.attributeName", i + 1);
        if (!hn)
            ddb_vlist_add(v, "null", path, "Member must not be null");
        else if (n.len < 1 || n.len > DDB_MAX_KEY_ATTR_NAME_BYTES)
            ddb_vlist_add(v, ddb_vlist_quote(a, n), path,
                          n.len < 1 ? "Member must have length greater than or equal to 1"
                                    : "Member must have length less than or equal to 255");
        ad[i].name = n;
    }
    out->attr_defs = ad;
    out->attr_def_count = ads->count;
    return 0;
}

static int read_gsi_updates(struct ddb_arena *a, const struct ddb_json *body, struct ddb_vlist *v,
                            struct ddb_update_table_input *out, struct ddb_error *err)
{
    const struct ddb_json *list;
    if (ddb_in_array(a, body, "GlobalSecondaryIndexUpdates", &list, err) != 0)
        return -1;
    out->has_gsi_updates = list != NULL;
    if (list == NULL)
        return 0;
    struct ddb_gsi_update *u = ddb_arena_calloc(a, list->count + 1, sizeof *u);
    for (uint32_t i = 0; i < list->count; i++) {
        const struct ddb_json *e = &list->u.items[i];
        if (ddb_in_expect(a, e, DDB_JSON_OBJECT, "Structure", err) != 0)
            return -1;
        const struct ddb_json *cr, *up, *de;
        if (ddb_in_object(a, e, "Create", &cr, err) != 0 ||
            ddb_in_object(a, e, "Update", &up, err) != 0 ||
            ddb_in_object(a, e, "Delete", &de, err) != 0)
            return -1;
        int n = (cr != NULL) + (up != NULL) + (de != NULL);
        if (n != 1) {
            /* decided after the constraints, as DynamoDB does */
            u[i].action = (enum ddb_gsi_action)(n == 0 ? -1 : -2);
            continue;
        }
        const char *base = ddb_arena_printf(a, "globalSecondaryIndexUpdates.%u.member", i + 1);
        if (cr != NULL) {
            u[i].action = DDB_GSI_CREATE;
            if (ddb_input_index_read(a, cr, true, ddb_arena_printf(a, "%s.create", base), v,
                                     &u[i].create, err) != 0)
                return -1;
            u[i].name = u[i].create.def.name;
            continue;
        }
        const struct ddb_json *x = up != NULL ? up : de;
        u[i].action = up != NULL ? DDB_GSI_UPDATE : DDB_GSI_DELETE;
        const char *p = ddb_arena_printf(a, "%s.%s", base, up != NULL ? "update" : "delete");
        bool hn;
        if (ddb_in_string(a, x, "IndexName", &u[i].name, &hn, err) != 0)
            return -1;
        if (!hn)
            ddb_vlist_add(v, "null", ddb_arena_printf(a, "%s.indexName", p),
                          "Member must not be null");
        if (up != NULL) {
            bool present;
            if (ddb_in_throughput(a, up, p, v, &present, &u[i].read_capacity,
                                  &u[i].write_capacity, err) != 0)
                return -1;
            u[i].has_throughput = present;
        }
    }
    out->gsi_updates = u;
    out->gsi_update_count = list->count;
    return 0;
}

int ddb_input_update_table(struct ddb_arena *a, const struct ddb_json *body,
                           struct ddb_update_table_input *out, struct ddb_error *err)
{
    memset(out, 0, sizeof *out);
    struct ddb_vlist v;
    ddb_vlist_init(&v, a);
    if (read_attr_defs(a, body, &v, out, err) != 0 ||
        read_table_name(a, body, &v, &out->name, err) != 0 ||
        read_billing(a, body, &v, &out->has_billing, &out->billing, err) != 0 ||
        ddb_in_throughput(a, body, NULL, &v, &out->has_throughput, &out->read_capacity,
                          &out->write_capacity, err) != 0 ||
        read_gsi_updates(a, body, &v, out, err) != 0)
        return -1;
    if (ddb_vlist_finish(&v, err) != 0)
        return -1;
    for (uint32_t i = 0; i < out->gsi_update_count; i++) {
        int act = (int)out->gsi_updates[i].action;
        if (act == -1)
            return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                 "%sOne of GlobalSecondaryIndexUpdate.Update, "
                                 "GlobalSecondaryIndexUpdate.Create, "
                                 "GlobalSecondaryIndexUpdate.Delete must not be null",
                                 INVALID);
        if (act == -2)
            return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                 "%sOnly one global secondary index action is allowed per "
                                 "GlobalSecondaryIndexUpdate object",
                                 INVALID);
    }
    return 0;
}

int ddb_check_update_table(struct ddb_arena *a, const struct ddb_table_def *cur,
                           const struct ddb_update_table_input *in, enum ddb_billing_mode *billing,
                           int64_t *rcu, int64_t *wcu, struct ddb_error *err)
{
    if (!in->has_billing && !in->has_throughput && !in->has_gsi_updates)
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                             "At least one of ProvisionedThroughput, BillingMode, "
                             "UpdateStreamEnabled, GlobalSecondaryIndexUpdates or "
                             "SSESpecification or ReplicaUpdates is required");
    *billing = in->has_billing ? in->billing : cur->billing;
    if (!in->has_billing && !in->has_throughput) { /* only index updates */
        *rcu = cur->read_capacity;
        *wcu = cur->write_capacity;
        return 0;
    }
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

/* ---- UpdateTable GlobalSecondaryIndexUpdates (test_indexes.py) ---- */

static const struct ddb_index_def *find_index(const struct ddb_table_def *d, ddb_slice name)
{
    for (uint32_t i = 0; i < d->index_count; i++)
        if (ddb_slice_eq(d->indexes[i].name, name))
            return &d->indexes[i];
    return NULL;
}

static bool key_uses(const struct ddb_key_schema *k, ddb_slice name)
{
    return ddb_slice_eq(k->hash_name, name) || (k->has_range && ddb_slice_eq(k->range_name, name));
}

int ddb_check_update_indexes(struct ddb_arena *a, const struct ddb_table_def *cur,
                             const struct ddb_update_table_input *in, struct ddb_table_def *next,
                             const struct ddb_index_def **created,
                             const struct ddb_index_def **deleted, struct ddb_error *err)
{
    *next = *cur;
    *created = *deleted = NULL;
    if (in->gsi_update_count == 0)
        return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                             "%sList of GlobalSecondaryIndexUpdates is empty", INVALID);
    uint32_t online = 0;
    for (uint32_t i = 0; i < in->gsi_update_count; i++) {
        const struct ddb_gsi_update *u = &in->gsi_updates[i];
        for (uint32_t j = 0; j < i; j++)
            if (ddb_slice_eq(u->name, in->gsi_updates[j].name))
                return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                     "%sOnly one global secondary index update per index is "
                                     "allowed simultaneously. Index: %.*s",
                                     INVALID, (int)u->name.len, u->name.ptr);
        if (u->action != DDB_GSI_UPDATE)
            online++;
    }
    bool building = false;
    for (uint32_t i = 0; i < cur->index_count; i++)
        building |= cur->indexes[i].status == DDB_INDEX_CREATING;
    if (online > 1 || (online == 1 && building))
        return ddb_error_set(err, NULL, DDB_ERR_LIMIT_EXCEEDED,
                             "Subscriber limit exceeded: Only 1 online index can be created or "
                             "deleted simultaneously per table");

    /* the new index list: room for one more */
    struct ddb_index_def *ix = ddb_arena_calloc(a, cur->index_count + 1, sizeof *ix);
    uint32_t n = 0;
    for (uint32_t i = 0; i < cur->index_count; i++)
        ix[n++] = cur->indexes[i];
    struct ddb_attr_def *ad = ddb_arena_calloc(a, cur->attr_def_count + in->attr_def_count + 1,
                                               sizeof *ad);
    uint32_t nad = 0;
    for (uint32_t i = 0; i < cur->attr_def_count; i++)
        ad[nad++] = cur->attr_defs[i];
    for (uint32_t i = 0; i < in->attr_def_count; i++) {
        bool seen = false;
        for (uint32_t j = 0; j < nad && !seen; j++) {
            if (ddb_slice_eq(ad[j].name, in->attr_defs[i].name)) {
                seen = true;
                ad[j].type = in->attr_defs[i].type; /* key attributes keep theirs: checked below */
            }
        }
        if (!seen)
            ad[nad++] = in->attr_defs[i];
    }

    for (uint32_t i = 0; i < in->gsi_update_count; i++) {
        const struct ddb_gsi_update *u = &in->gsi_updates[i];
        const struct ddb_index_def *old = find_index(cur, u->name);
        if (u->action == DDB_GSI_CREATE) {
            if (old != NULL)
                return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                                     "Attempting to create an index which already exists");
            if (!in->has_attr_defs)
                return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                     "%sAttributeDefinitions is not specified for index: %.*s",
                                     INVALID, (int)u->name.len, u->name.ptr);
            struct ddb_index_input ci = u->create;
            if (ddb_input_index_check(a, &ci, ad, nad, &cur->key, err) != 0)
                return -1;
            uint32_t ngsi = 0;
            for (uint32_t k = 0; k < n; k++)
                ngsi += !ix[k].local;
            if (ngsi + 1 > DDB_MAX_GSI)
                return ddb_error_set(err, a, DDB_ERR_LIMIT_EXCEEDED,
                                     "%sGlobalSecondaryIndex count exceeds the per-table limit "
                                     "of %d",
                                     INVALID, DDB_MAX_GSI);
            if (cur->billing == DDB_BILLING_PAY_PER_REQUEST && ci.def.has_throughput)
                return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                     "%sNeither ReadCapacityUnits nor WriteCapacityUnits can be "
                                     "specified for index: %.*s when BillingMode is "
                                     "PAY_PER_REQUEST",
                                     INVALID, (int)u->name.len, u->name.ptr);
            if (cur->billing == DDB_BILLING_PROVISIONED && !ci.def.has_throughput)
                return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                     "%sProvisionedThroughput must be specified for index: %.*s",
                                     INVALID, (int)u->name.len, u->name.ptr);
            ci.def.status = DDB_INDEX_CREATING;
            ci.def.id = 0;
            ix[n] = ci.def;
            *created = &ix[n];
            n++;
            if (ddb_input_index_projected_limit(ix, n, a, err) != 0)
                return -1;
            continue;
        }
        if (old == NULL)
            return ddb_error_set(err, a, DDB_ERR_RESOURCE_NOT_FOUND,
                                 "Requested resource not found: Index: %.*s not found",
                                 (int)u->name.len, u->name.ptr);
        if (old->local)
            return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                 "Cannot %s an index that is not a GlobalSecondaryIndex: %.*s",
                                 u->action == DDB_GSI_DELETE ? "delete" : "update",
                                 (int)u->name.len, u->name.ptr);
        uint32_t k = (uint32_t)(old - cur->indexes);
        if (u->action == DDB_GSI_DELETE) {
            *deleted = old;
            memmove(&ix[k], &ix[k + 1], (n - k - 1) * sizeof *ix);
            n--;
            if (*created != NULL && *created > &ix[k])
                (*created)--;
            continue;
        }
        /* Update: throughput of a provisioned table's index */
        if (cur->billing == DDB_BILLING_PAY_PER_REQUEST)
            return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                 "%sThe only Updates for index: %.*s when TableThroughputMode is "
                                 "PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput",
                                 INVALID, (int)u->name.len, u->name.ptr);
        if (!u->has_throughput)
            return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                 "%sBoth ReadCapacityUnits and WriteCapacityUnits must be "
                                 "specified for index: %.*s",
                                 INVALID, (int)u->name.len, u->name.ptr);
        if (u->read_capacity == old->read_capacity && u->write_capacity == old->write_capacity)
            return ddb_error_set(
                err, a, DDB_ERR_VALIDATION,
                "The provisioned throughput for the index %.*s will not change. The requested "
                "value equals the current value. Current ReadCapacityUnits provisioned for the "
                "index: %lld. Requested ReadCapacityUnits: %lld. Current WriteCapacityUnits "
                "provisioned for the index: %lld. Requested WriteCapacityUnits: %lld. Refer to "
                "the Amazon DynamoDB Developer Guide for current limits and how to request "
                "higher limits.",
                (int)u->name.len, u->name.ptr, (long long)old->read_capacity,
                (long long)u->read_capacity, (long long)old->write_capacity,
                (long long)u->write_capacity);
        for (uint32_t j = 0; j < n; j++) {
            if (ddb_slice_eq(ix[j].name, u->name)) {
                ix[j].read_capacity = u->read_capacity;
                ix[j].write_capacity = u->write_capacity;
            }
        }
    }

    /* key attributes keep their type; then keep only the definitions in use */
    for (uint32_t i = 0; i < cur->attr_def_count; i++) {
        for (uint32_t j = 0; j < nad; j++) {
            if (ddb_slice_eq(ad[j].name, cur->attr_defs[i].name) &&
                ad[j].type != cur->attr_defs[i].type)
                return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                     "%sCannot change the type of attribute %.*s",
                                     INVALID, (int)ad[j].name.len, ad[j].name.ptr);
        }
    }
    uint32_t kept = 0;
    for (uint32_t j = 0; j < nad; j++) {
        bool used = key_uses(&cur->key, ad[j].name);
        for (uint32_t k = 0; k < n && !used; k++)
            used = key_uses(&ix[k].key, ad[j].name);
        if (used)
            ad[kept++] = ad[j];
    }
    next->attr_defs = ad;
    next->attr_def_count = kept;
    next->indexes = ix;
    next->index_count = n;
    return 0;
}
