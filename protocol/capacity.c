#include "capacity.h"

#include <stdio.h>

#define READ_UNIT 4096u
#define WRITE_UNIT 1024u

static uint64_t units_of(uint64_t bytes, uint64_t unit)
{
    return bytes / unit + (bytes % unit != 0);
}

double ddb_capacity_range_read(uint64_t bytes, bool consistent)
{
    double u = (double)units_of(bytes, READ_UNIT);
    return consistent ? u : u / 2;
}

double ddb_capacity_item_read(uint64_t item_size, bool consistent)
{
    uint64_t n = units_of(item_size, READ_UNIT);
    double u = (double)(n ? n : 1);
    return consistent ? u : u / 2;
}

double ddb_capacity_item_write(uint64_t old_size, uint64_t new_size)
{
    uint64_t n = units_of(old_size > new_size ? old_size : new_size, WRITE_UNIT);
    return (double)(n ? n : 1);
}

double ddb_capacity_transactional(double units)
{
    return units * 2;
}

int ddb_capacity_mode_parse(ddb_slice s, enum ddb_capacity_mode *out)
{
    if (ddb_slice_eq_cstr(s, "NONE"))
        *out = DDB_CAPACITY_NONE;
    else if (ddb_slice_eq_cstr(s, "TOTAL"))
        *out = DDB_CAPACITY_TOTAL;
    else if (ddb_slice_eq_cstr(s, "INDEXES"))
        *out = DDB_CAPACITY_INDEXES;
    else
        return -1;
    return 0;
}

int ddb_capacity_metrics_parse(ddb_slice s, bool *size)
{
    if (ddb_slice_eq_cstr(s, "NONE"))
        *size = false;
    else if (ddb_slice_eq_cstr(s, "SIZE"))
        *size = true;
    else
        return -1;
    return 0;
}

size_t ddb_capacity_format(double units, char buf[static 48])
{
    int n = snprintf(buf, 48, "%.1f", units);
    return n < 0 ? 0 : (size_t)(n < 48 ? n : 47);
}
