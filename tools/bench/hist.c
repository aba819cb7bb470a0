/*
 * hist.c: the log-bucket latency histogram (contract in hist.h).
 */
#include "hist.h"

#include <math.h>
#include <string.h>

#define SUB (UINT64_C(1) << DDB_BENCH_HIST_SUB_BITS)

void ddb_bench_hist_init(struct ddb_bench_hist *h)
{
    memset(h, 0, sizeof *h);
    h->min = UINT64_MAX;
}

unsigned ddb_bench_hist_index(uint64_t v)
{
    if (v > DDB_BENCH_HIST_MAX_VALUE)
        v = DDB_BENCH_HIST_MAX_VALUE;
    if (v < SUB)
        return (unsigned)v;
    unsigned msb = 63u - (unsigned)__builtin_clzll(v);
    unsigned shift = msb - DDB_BENCH_HIST_SUB_BITS;
    uint64_t m = v >> shift; /* in [SUB, 2 * SUB) */
    return (unsigned)((shift + 1) * SUB + (m - SUB));
}

uint64_t ddb_bench_hist_bucket_high(unsigned index)
{
    if (index < SUB)
        return index;
    unsigned shift = (unsigned)(index / SUB) - 1;
    uint64_t m = SUB + index % SUB;
    return ((m + 1) << shift) - 1;
}

void ddb_bench_hist_record(struct ddb_bench_hist *h, uint64_t v)
{
    h->buckets[ddb_bench_hist_index(v)]++;
    h->count++;
    h->sum += v;
    if (v < h->min)
        h->min = v;
    if (v > h->max)
        h->max = v;
}

void ddb_bench_hist_merge(struct ddb_bench_hist *dst, const struct ddb_bench_hist *src)
{
    for (unsigned i = 0; i < DDB_BENCH_HIST_BUCKETS; i++)
        dst->buckets[i] += src->buckets[i];
    dst->count += src->count;
    dst->sum += src->sum;
    if (src->min < dst->min)
        dst->min = src->min;
    if (src->max > dst->max)
        dst->max = src->max;
}

uint64_t ddb_bench_hist_quantile(const struct ddb_bench_hist *h, double q)
{
    if (h->count == 0)
        return 0;
    if (q < 0)
        q = 0;
    if (q > 1)
        q = 1;
    uint64_t rank = (uint64_t)ceil(q * (double)h->count);
    if (rank == 0)
        rank = 1;
    uint64_t seen = 0;
    for (unsigned i = 0; i < DDB_BENCH_HIST_BUCKETS; i++) {
        seen += h->buckets[i];
        if (seen >= rank) {
            uint64_t v = ddb_bench_hist_bucket_high(i);
            if (v > h->max)
                v = h->max;
            if (v < h->min)
                v = h->min;
            return v;
        }
    }
    return h->max; /* cannot happen: the buckets add up to count */
}
