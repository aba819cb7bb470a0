#include "harness.h"
#include "protocol/capacity.h"

static const char *fmt(double u)
{
    static char buf[48];
    ddb_capacity_format(u, buf);
    return buf;
}

TEST(range_read_rounds_the_sum_up_to_4k)
{
    CHECK(ddb_capacity_range_read(0, true) == 0.0);
    CHECK(ddb_capacity_range_read(0, false) == 0.0);
    CHECK(ddb_capacity_range_read(1, true) == 1.0);
    CHECK(ddb_capacity_range_read(1, false) == 0.5);
    CHECK(ddb_capacity_range_read(4096, true) == 1.0);
    CHECK(ddb_capacity_range_read(4097, true) == 2.0);
    CHECK(ddb_capacity_range_read(4097, false) == 1.0);
    CHECK(ddb_capacity_range_read(10000, false) == 1.5); /* DynamoDB Local: 10 x 1000 bytes */
    CHECK(ddb_capacity_range_read(10000, true) == 3.0);
    CHECK(ddb_capacity_range_read(1048576, true) == 256.0);
    CHECK(ddb_capacity_range_read(1048577, false) == 128.5);
}

TEST(item_read_costs_at_least_one_unit)
{
    CHECK(ddb_capacity_item_read(0, false) == 0.5); /* a missing item */
    CHECK(ddb_capacity_item_read(0, true) == 1.0);
    CHECK(ddb_capacity_item_read(4096, false) == 0.5);
    CHECK(ddb_capacity_item_read(4097, false) == 1.0);
    CHECK(ddb_capacity_item_read(4097, true) == 2.0);
    CHECK(ddb_capacity_item_read(9007, true) == 3.0);
    CHECK(ddb_capacity_item_read(409600, false) == 50.0);
}

TEST(write_uses_the_larger_image_in_1k_units)
{
    CHECK(ddb_capacity_item_write(0, 0) == 1.0); /* delete of a missing item */
    CHECK(ddb_capacity_item_write(0, 1) == 1.0);
    CHECK(ddb_capacity_item_write(0, 1024) == 1.0);
    CHECK(ddb_capacity_item_write(0, 1025) == 2.0);
    CHECK(ddb_capacity_item_write(0, 2048) == 2.0);
    CHECK(ddb_capacity_item_write(0, 2049) == 3.0);
    CHECK(ddb_capacity_item_write(3007, 17) == 3.0);
    CHECK(ddb_capacity_item_write(17, 3007) == 3.0);
    CHECK(ddb_capacity_item_write(2507, 0) == 3.0);
    CHECK(ddb_capacity_item_write(0, 409600) == 400.0);
}

TEST(transactions_double)
{
    CHECK(ddb_capacity_transactional(ddb_capacity_item_write(0, 1)) == 2.0);
    CHECK(ddb_capacity_transactional(ddb_capacity_item_read(0, true)) == 2.0);
    CHECK(ddb_capacity_transactional(0.5) == 1.0);
}

TEST(format_like_dynamodb)
{
    CHECK_EQ_STR(fmt(0.0), "0.0");
    CHECK_EQ_STR(fmt(0.5), "0.5");
    CHECK_EQ_STR(fmt(1.0), "1.0");
    CHECK_EQ_STR(fmt(128.5), "128.5");
    CHECK_EQ_STR(fmt(1048576.0), "1048576.0");
}

TEST(mode_and_metrics_values)
{
    enum ddb_capacity_mode m = DDB_CAPACITY_NONE;
    CHECK(ddb_capacity_mode_parse((ddb_slice){"TOTAL", 5}, &m) == 0 && m == DDB_CAPACITY_TOTAL);
    CHECK(ddb_capacity_mode_parse((ddb_slice){"INDEXES", 7}, &m) == 0 &&
          m == DDB_CAPACITY_INDEXES);
    CHECK(ddb_capacity_mode_parse((ddb_slice){"NONE", 4}, &m) == 0 && m == DDB_CAPACITY_NONE);
    CHECK(ddb_capacity_mode_parse((ddb_slice){"total", 5}, &m) == -1);
    CHECK(ddb_capacity_mode_parse((ddb_slice){"TOTALX", 6}, &m) == -1);
    CHECK(ddb_capacity_mode_parse((ddb_slice){"", 0}, &m) == -1);
    bool size = false;
    CHECK(ddb_capacity_metrics_parse((ddb_slice){"SIZE", 4}, &size) == 0 && size);
    CHECK(ddb_capacity_metrics_parse((ddb_slice){"NONE", 4}, &size) == 0 && !size);
    CHECK(ddb_capacity_metrics_parse((ddb_slice){"ALL", 3}, &size) == -1);
}

