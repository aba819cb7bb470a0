/*
 * schema.h: a table's key schema and definition, as CreateTable states it.
 *
 * Shared by protocol/ (which validates CreateTable input into these) and
 * storage/ (whose catalog persists them). Slices point wherever their owner
 * says: into the request arena for parsed input, into the table snapshot's
 * own arena inside the catalog.
 */
#ifndef DDB_SCHEMA_H
#define DDB_SCHEMA_H

#include "value.h"

enum ddb_billing_mode { DDB_BILLING_PROVISIONED = 0, DDB_BILLING_PAY_PER_REQUEST };

struct ddb_key_schema {
    ddb_slice hash_name;
    enum ddb_type hash_type; /* DDB_T_S, DDB_T_N or DDB_T_B */
    bool has_range;
    ddb_slice range_name;
    enum ddb_type range_type;
};

struct ddb_attr_def {
    ddb_slice name;
    enum ddb_type type; /* S, N or B */
};

struct ddb_tag {
    ddb_slice key;
    ddb_slice value;
};

struct ddb_table_def {
    ddb_slice name;
    struct ddb_key_schema key;
    uint32_t attr_def_count;
    const struct ddb_attr_def *attr_defs;
    enum ddb_billing_mode billing;
    bool billing_explicit;                 /* BillingMode was given at creation */
    int64_t read_capacity, write_capacity; /* 0 with PAY_PER_REQUEST */
    uint32_t tag_count;
    const struct ddb_tag *tags;
};

#endif
