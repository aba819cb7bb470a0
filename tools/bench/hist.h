/*
 * hist.h: ddbd-bench's latency histogram (HdrHistogram's idea, log buckets).
 *
 * Values (nanoseconds) below 2^(DDB_BENCH_HIST_SUB_BITS + 1) are counted
 * exactly; above, each power-of-two range is split into 2^SUB_BITS equal
 * buckets, so a bucket is at most 1/64 (1.6 %) of its value wide. Values
 * above DDB_BENCH_HIST_MAX_VALUE are counted in the last bucket. The exact
 * minimum and maximum are kept besides.
 *
 * Each load-generator thread owns one histogram and records without locks;
 * the main thread merges them after the threads have been joined.
 *
 * Memory: the struct is about 30 KB and allocates nothing.
 * Thread safety: none; one owner at a time.
 */
#ifndef DDB_BENCH_HIST_H
#define DDB_BENCH_HIST_H

#include <stdint.h>

#define DDB_BENCH_HIST_SUB_BITS 6
#define DDB_BENCH_HIST_MAX_BITS 42 /* 2^42 ns: about 73 minutes */
#define DDB_BENCH_HIST_MAX_VALUE ((UINT64_C(1) << DDB_BENCH_HIST_MAX_BITS) - 1)
#define DDB_BENCH_HIST_BUCKETS \
    ((DDB_BENCH_HIST_MAX_BITS - DDB_BENCH_HIST_SUB_BITS + 1) << DDB_BENCH_HIST_SUB_BITS)

struct ddb_bench_hist {
    uint64_t count;
    uint64_t min;
    uint64_t max;
    uint64_t sum;
    uint64_t buckets[DDB_BENCH_HIST_BUCKETS];
};

/* Empties h. */
void ddb_bench_hist_init(struct ddb_bench_hist *h);

/* Counts one value. */
void ddb_bench_hist_record(struct ddb_bench_hist *h, uint64_t value);

/* Adds src's counts into dst. */
void ddb_bench_hist_merge(struct ddb_bench_hist *dst, const struct ddb_bench_hist *src);

/* The value at quantile q (0..1): the highest value equivalent to the bucket
 * holding the ceil(q * count)-th smallest value, clamped to [min, max].
 * Returns 0 for an empty histogram. */
uint64_t ddb_bench_hist_quantile(const struct ddb_bench_hist *h, double q);

/* Bucket arithmetic, exposed for the unit tests. */
unsigned ddb_bench_hist_index(uint64_t value);
uint64_t ddb_bench_hist_bucket_high(unsigned index);

#endif
