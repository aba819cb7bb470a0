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

/* "S", "N" or "B" to the key type; false for anything else. */
static inline bool ddb_key_type_parse(ddb_slice s, enum ddb_type *t)
{
    if (s.len != 1)
        return false;
    switch (s.ptr[0]) {
    case 'S':
        *t = DDB_T_S;
        return true;
    case 'N':
        *t = DDB_T_N;
        return true;
    case 'B':
        *t = DDB_T_B;
        return true;
    }
    return false;
}

struct ddb_attr_def {
    ddb_slice name;
    enum ddb_type type; /* S, N or B */
};

struct ddb_tag {
    ddb_slice key;
    ddb_slice value;
};

enum ddb_projection_type { DDB_PROJ_ALL = 0, DDB_PROJ_KEYS_ONLY, DDB_PROJ_INCLUDE };

/* An index's lifecycle. CREATING: writes maintain it while a background job
 * backfills it from the base items (storage/backfill.h); it cannot be read.
 * DELETING appears only in the UpdateTable answer that deletes it: the
 * catalog drops the index at once. */
enum ddb_index_status { DDB_INDEX_ACTIVE = 0, DDB_INDEX_CREATING, DDB_INDEX_DELETING };

/* A local or global secondary index. */
struct ddb_index_def {
    ddb_slice name;
    bool local;                 /* LSI: same hash key as the table, sort key required */
    struct ddb_key_schema key;  /* types filled from AttributeDefinitions */
    enum ddb_projection_type projection;
    uint32_t non_key_count;     /* INCLUDE: NonKeyAttributes */
    const ddb_slice *non_key;
    bool has_throughput;        /* GSI ProvisionedThroughput given (PROVISIONED tables) */
    int64_t read_capacity, write_capacity;
    int64_t max_read_units, max_write_units; /* GSI OnDemandThroughput; -1 when unset */
    uint64_t id;                /* storage's never-reused index id (0 in parsed input) */
    enum ddb_index_status status;
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
    uint32_t index_count; /* LSIs first, then GSIs, each in request order */
    const struct ddb_index_def *indexes;
};

#endif
