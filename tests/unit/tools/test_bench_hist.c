/*
 * test_bench_hist.c: ddbd-bench's log-bucket latency histogram.
 */
#include "tools/bench/hist.h"

#include "protocol/base.h"

#include "../harness.h"

static struct ddb_bench_hist h, h2;

TEST(small_values_are_exact)
{
    for (uint64_t v = 0; v < 128; v++) {
        CHECK_EQ_INT(ddb_bench_hist_index(v), v);
        CHECK_EQ_INT(ddb_bench_hist_bucket_high((unsigned)v), v);
    }
}

TEST(buckets_are_contiguous_and_tight)
{
    /* Every bucket's high + 1 lands in the next bucket, and a bucket is at
     * most 1/64 of its values wide. */
    for (unsigned i = 0; i + 1 < DDB_BENCH_HIST_BUCKETS; i++) {
        uint64_t hi = ddb_bench_hist_bucket_high(i);
        CHECK_EQ_INT(ddb_bench_hist_index(hi), i);
        CHECK_EQ_INT(ddb_bench_hist_index(hi + 1), i + 1);
        uint64_t lo = i == 0 ? 0 : ddb_bench_hist_bucket_high(i - 1) + 1;
        CHECK(hi - lo <= lo / 64);
    }
    CHECK_EQ_INT(ddb_bench_hist_index(DDB_BENCH_HIST_MAX_VALUE), DDB_BENCH_HIST_BUCKETS - 1);
    CHECK_EQ_INT(ddb_bench_hist_index(UINT64_MAX), DDB_BENCH_HIST_BUCKETS - 1);
}

TEST(quantiles_of_a_uniform_run)
{
    ddb_bench_hist_init(&h);
    CHECK_EQ_INT(ddb_bench_hist_quantile(&h, 0.5), 0);
    for (uint64_t v = 1; v <= 100000; v++)
        ddb_bench_hist_record(&h, v * 1000); /* 1 us .. 100 ms */
    CHECK_EQ_INT(h.count, 100000);
    CHECK_EQ_INT(h.min, 1000);
    CHECK_EQ_INT(h.max, 100000000);
    double q[] = {0.5, 0.9, 0.99, 0.999};
    for (size_t i = 0; i < DDB_ARRAY_LEN(q); i++) {
        double want = q[i] * 100000000.0;
        double got = (double)ddb_bench_hist_quantile(&h, q[i]);
        CHECK(got >= want && got <= want * 1.016);
    }
    CHECK_EQ_INT(ddb_bench_hist_quantile(&h, 1.0), 100000000);
    CHECK(ddb_bench_hist_quantile(&h, 0.0) >= 1000 && ddb_bench_hist_quantile(&h, 0.0) <= 1016);
}

TEST(merge_adds_counts)
{
    ddb_bench_hist_init(&h);
    ddb_bench_hist_init(&h2);
    for (int i = 0; i < 90; i++)
        ddb_bench_hist_record(&h, 100);
    for (int i = 0; i < 10; i++)
        ddb_bench_hist_record(&h2, 1000000);
    ddb_bench_hist_merge(&h, &h2);
    CHECK_EQ_INT(h.count, 100);
    CHECK_EQ_INT(h.min, 100);
    CHECK_EQ_INT(h.max, 1000000);
    CHECK_EQ_INT(ddb_bench_hist_quantile(&h, 0.9), 100);
    CHECK(ddb_bench_hist_quantile(&h, 0.91) >= 1000000);
    CHECK_EQ_INT(ddb_bench_hist_quantile(&h, 0.99), 1000000);
}
