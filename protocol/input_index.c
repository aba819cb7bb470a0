#include "input_index.h"

#include "limits.h"

static int read_key_schema(struct ddb_arena *a, const struct ddb_json *ks, const char *path,
                           struct ddb_vlist *v, struct ddb_index_input *out,
                           struct ddb_error *err)
{
    const char *p = ddb_arena_printf(a, "%s.keySchema", path);
    if (ks == NULL) {
        ddb_vlist_add(v, "null", p, "Member must not be null");
        return 0;
    }
    if (ks->count < 1)
        ddb_vlist_add(v, "'[]'", p, "Member must have length greater than or equal to 1");
    else if (ks->count > 2)
        ddb_vlist_add(v, "'[...]'", p, "Member must have length less than or equal to 2");
    out->nks = ks->count > 2 ? 2 : ks->count;
    for (uint32_t i = 0; i < ks->count; i++) {
        const struct ddb_json *e = &ks->u.items[i];
        if (ddb_in_expect(a, e, DDB_JSON_OBJECT, "Structure", err) != 0)
            return -1;
        ddb_slice n = {0}, t = {0};
        bool hn, ht;
        if (ddb_in_string(a, e, "AttributeName", &n, &hn, err) != 0 ||
            ddb_in_string(a, e, "KeyType", &t, &ht, err) != 0)
            return -1;
        const char *kp = ddb_arena_printf(a, "%s.%u.member.keyType", p, i + 1);
        if (!ht)
            ddb_vlist_add(v, "null", kp, "Member must not be null");
        else if (!ddb_slice_eq_cstr(t, "HASH") && !ddb_slice_eq_cstr(t, "RANGE"))
            ddb_vlist_add(v, ddb_vlist_quote(a, t), kp,
                          "Member must satisfy enum value set: [HASH, RANGE]");
        kp = ddb_arena_printf(a, "%s.%u.member.attributeName", p, i + 1);
        if (!hn)
            ddb_vlist_add(v, "null", kp, "Member must not be null");
        else if (n.len < 1 || n.len > DDB_MAX_KEY_ATTR_NAME_BYTES)
            ddb_vlist_add(v, ddb_vlist_quote(a, n), kp,
                          n.len < 1 ? "Member must have length greater than or equal to 1"
                                    : "Member must have length less than or equal to 255");
        if (i < 2) {
            out->kn[i] = n;
            out->kt[i] = t;
        }
    }
    return 0;
}

static int read_projection(struct ddb_arena *a, const struct ddb_json *pr, const char *path,
                           struct ddb_vlist *v, struct ddb_index_input *out,
                           struct ddb_error *err)
{
    const char *p = ddb_arena_printf(a, "%s.projection", path);
    out->has_projection = pr != NULL;
    if (pr == NULL) {
        ddb_vlist_add(v, "null", p, "Member must not be null");
        return 0;
    }
    ddb_slice t;
    const struct ddb_json *nka;
    if (ddb_in_string(a, pr, "ProjectionType", &t, &out->has_ptype, err) != 0 ||
        ddb_in_array(a, pr, "NonKeyAttributes", &nka, err) != 0)
        return -1;
    if (out->has_ptype) {
        if (ddb_slice_eq_cstr(t, "ALL"))
            out->def.projection = DDB_PROJ_ALL;
        else if (ddb_slice_eq_cstr(t, "KEYS_ONLY"))
            out->def.projection = DDB_PROJ_KEYS_ONLY;
        else if (ddb_slice_eq_cstr(t, "INCLUDE"))
            out->def.projection = DDB_PROJ_INCLUDE;
        else
            ddb_vlist_add(v, ddb_vlist_quote(a, t),
                          ddb_arena_printf(a, "%s.projectionType", p),
                          "Member must satisfy enum value set: [ALL, INCLUDE, KEYS_ONLY]");
    }
    out->has_nka = nka != NULL;
    if (nka != NULL) {
        if (nka->count < 1)
            ddb_vlist_add(v, "'[]'", ddb_arena_printf(a, "%s.nonKeyAttributes", p),
                          "Member must have length greater than or equal to 1");
        ddb_slice *names = ddb_arena_calloc(a, nka->count ? nka->count : 1, sizeof *names);
        for (uint32_t i = 0; i < nka->count; i++) {
            if (ddb_in_expect(a, &nka->u.items[i], DDB_JSON_STRING, "String", err) != 0)
                return -1;
            names[i] = nka->u.items[i].u.str;
            if (names[i].len < 1 || names[i].len > DDB_MAX_KEY_ATTR_NAME_BYTES)
                ddb_vlist_add(v, ddb_vlist_quote(a, names[i]),
                              ddb_arena_printf(a, "%s.nonKeyAttributes", p),
                              names[i].len < 1
                                  ? "Member must have length greater than or equal to 1"
                                  : "Member must have length less than or equal to 255");
        }
        out->def.non_key = names;
        out->def.non_key_count = nka->count;
    }
    return 0;
}

static int read_on_demand(struct ddb_arena *a, const struct ddb_json *e, struct ddb_index_def *d,
                          struct ddb_error *err)
{
    const struct ddb_json *od;
    d->max_read_units = d->max_write_units = -1;
    if (ddb_in_object(a, e, "OnDemandThroughput", &od, err) != 0)
        return -1;
    if (od == NULL)
        return 0;
    bool hr, hw;
    int64_t r = -1, w = -1;
    if (ddb_in_int(a, od, "MaxReadRequestUnits", &r, &hr, err) != 0 ||
        ddb_in_int(a, od, "MaxWriteRequestUnits", &w, &hw, err) != 0)
        return -1;
    d->max_read_units = hr ? r : -1;
    d->max_write_units = hw ? w : -1;
    return 0;
}

int ddb_input_index_read(struct ddb_arena *a, const struct ddb_json *e, bool global,
                         const char *path, struct ddb_vlist *v, struct ddb_index_input *out,
                         struct ddb_error *err)
{
    memset(out, 0, sizeof *out);
    out->def.local = !global;
    out->def.max_read_units = out->def.max_write_units = -1;
    if (ddb_in_expect(a, e, DDB_JSON_OBJECT, "Structure", err) != 0)
        return -1;
    const struct ddb_json *ks, *pr;
    bool hn;
    if (ddb_in_string(a, e, "IndexName", &out->def.name, &hn, err) != 0 ||
        ddb_in_array(a, e, "KeySchema", &ks, err) != 0 ||
        ddb_in_object(a, e, "Projection", &pr, err) != 0)
        return -1;
    const char *np = ddb_arena_printf(a, "%s.indexName", path);
    if (!hn) {
        ddb_vlist_add(v, "null", np, "Member must not be null");
    } else {
        ddb_vlist_check_name(v, out->def.name, np);
    }
    if (read_key_schema(a, ks, path, v, out, err) != 0 ||
        read_projection(a, pr, path, v, out, err) != 0)
        return -1;
    if (global &&
        (ddb_in_throughput(a, e, path, v, &out->def.has_throughput, &out->def.read_capacity,
                           &out->def.write_capacity, err) != 0 ||
         read_on_demand(a, e, &out->def, err) != 0))
        return -1;
    return 0;
}

static const char INVALID[] = "One or more parameter values were invalid: ";

int ddb_input_index_check(struct ddb_arena *a, struct ddb_index_input *in,
                          const struct ddb_attr_def *ads, uint32_t nad,
                          const struct ddb_key_schema *table_key, struct ddb_error *err)
{
    struct ddb_index_def *d = &in->def;
    /* every key attribute defined */
    enum ddb_type types[2] = {DDB_T_S, DDB_T_S};
    for (uint32_t k = 0; k < in->nks; k++) {
        bool found = false;
        for (uint32_t i = 0; i < nad && !found; i++) {
            if (ddb_slice_eq(in->kn[k], ads[i].name)) {
                found = true;
                types[k] = ads[i].type;
            }
        }
        if (!found) {
            ddb_slice *adn = ddb_arena_calloc(a, nad ? nad : 1, sizeof *adn);
            for (uint32_t i = 0; i < nad; i++)
                adn[i] = ads[i].name;
            return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                 "%sSome index key attributes are not defined in "
                                 "AttributeDefinitions. Keys: %s, AttributeDefinitions: %s",
                                 INVALID, ddb_input_name_list(a, in->kn, in->nks),
                                 ddb_input_name_list(a, adn, nad));
        }
    }
    if (in->nks == 2 && ddb_slice_eq(in->kn[0], in->kn[1]))
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                             "Both the Hash Key and the Range Key element in the KeySchema have "
                             "the same name");
    if (!ddb_slice_eq_cstr(in->kt[0], "HASH"))
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                             "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
    if (in->nks == 2 && !ddb_slice_eq_cstr(in->kt[1], "RANGE"))
        return ddb_error_set(err, NULL, DDB_ERR_VALIDATION,
                             "Invalid KeySchema: The second KeySchemaElement is not a RANGE key "
                             "type");
    if (d->local) {
        if (in->nks != 2)
            return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                 "%sIndex KeySchema does not have a range key for index: %.*s",
                                 INVALID, (int)d->name.len, d->name.ptr);
        if (!ddb_slice_eq(in->kn[0], table_key->hash_name))
            return ddb_error_set(
                err, a, DDB_ERR_VALIDATION,
                "%sIndex KeySchema does not have the same leading hash key as table KeySchema "
                "for index: %.*s. index hash key: %.*s, table hash key: %.*s",
                INVALID, (int)d->name.len, d->name.ptr, (int)in->kn[0].len, in->kn[0].ptr,
                (int)table_key->hash_name.len, table_key->hash_name.ptr);
    }
    if (!in->has_ptype)
        return ddb_error_set(err, a, DDB_ERR_VALIDATION, "%sUnknown ProjectionType: null",
                             INVALID);
    if (in->has_nka && d->projection != DDB_PROJ_INCLUDE)
        return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                             "%sProjectionType is %s, but NonKeyAttributes is specified", INVALID,
                             d->projection == DDB_PROJ_ALL ? "ALL" : "KEYS_ONLY");
    if (!in->has_nka && d->projection == DDB_PROJ_INCLUDE)
        return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                             "%sProjectionType is INCLUDE, but NonKeyAttributes is not specified",
                             INVALID);
    for (uint32_t i = 0; i < d->non_key_count; i++)
        for (uint32_t j = 0; j < i; j++)
            if (ddb_slice_eq(d->non_key[i], d->non_key[j]))
                return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                                     "%sDuplicate element in NonKeyAttributes: %.*s", INVALID,
                                     (int)d->non_key[i].len, d->non_key[i].ptr);
    d->key.hash_name = in->kn[0];
    d->key.hash_type = types[0];
    d->key.has_range = in->nks == 2;
    if (d->key.has_range) {
        d->key.range_name = in->kn[1];
        d->key.range_type = types[1];
    }
    return 0;
}

int ddb_input_index_projected_limit(const struct ddb_index_def *ix, uint32_t n,
                                    struct ddb_arena *a, struct ddb_error *err)
{
    uint32_t total = 0;
    for (uint32_t i = 0; i < n; i++)
        if (ix[i].projection == DDB_PROJ_INCLUDE)
            total += ix[i].non_key_count;
    if (total > DDB_MAX_PROJECTED_ATTRS)
        return ddb_error_set(err, a, DDB_ERR_VALIDATION,
                             "%sNumber of projected attributes in all indexes exceeds limit of "
                             "%d, number of projected attributes: %u",
                             INVALID, DDB_MAX_PROJECTED_ATTRS, total);
    return 0;
}
