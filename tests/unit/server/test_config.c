#include "harness.h"
#include "server/config.c"
#include "server/log.c"

static char outbuf[8192], errbuf[8192];

static enum ddb_config_result run(struct ddb_config *cfg, int argc, const char **argv)
{
    ddb_config_init(cfg);
    FILE *out = fmemopen(outbuf, sizeof outbuf, "w");
    FILE *err = fmemopen(errbuf, sizeof errbuf, "w");
    memset(outbuf, 0, sizeof outbuf);
    memset(errbuf, 0, sizeof errbuf);
    enum ddb_config_result r = ddb_config_parse(cfg, argc, (char **)argv, out, err);
    fclose(out);
    fclose(err);
    return r;
}

#define RUN(cfg, ...)                                                          \
    ({                                                                         \
        const char *argv_[] = {"ddbd", __VA_ARGS__};                           \
        run((cfg), (int)DDB_ARRAY_LEN(argv_), argv_);                          \
    })

TEST(config_defaults)
{
    struct ddb_config c;
    const char *argv[] = {"ddbd"};
    CHECK_EQ_INT(run(&c, 1, argv), DDB_CONFIG_RUN);
    CHECK_EQ_STR(c.host, "127.0.0.1");
    CHECK_EQ_INT(c.port, 8000);
    CHECK_EQ_STR(c.data_dir, "./ddbd-data");
    CHECK(!c.in_memory);
    CHECK(c.threads >= 1);
    CHECK_EQ_INT(c.threads, sysconf(_SC_NPROCESSORS_ONLN) > DDB_CONFIG_MAX_THREADS ? DDB_CONFIG_MAX_THREADS : sysconf(_SC_NPROCESSORS_ONLN));
    CHECK_EQ_STR(c.region, "us-east-1");
    CHECK_EQ_STR(c.account_id, "000000000000");
    CHECK_EQ_INT(c.log_level, DDB_LOG_INFO);
}

TEST(config_every_flag_both_spellings)
{
    struct ddb_config c;
    CHECK_EQ_INT(RUN(&c, "--host", "0.0.0.0", "--port", "9000", "--data-dir", "/tmp/d",
                     "--in-memory", "--threads", "3", "--region", "eu-west-1",
                     "--account-id", "123456789012", "--log-level", "debug"), DDB_CONFIG_RUN);
    CHECK_EQ_STR(c.host, "0.0.0.0");
    CHECK_EQ_INT(c.port, 9000);
    CHECK_EQ_STR(c.data_dir, "/tmp/d");
    CHECK(c.in_memory);
    CHECK_EQ_INT(c.threads, 3);
    CHECK_EQ_STR(c.region, "eu-west-1");
    CHECK_EQ_STR(c.account_id, "123456789012");
    CHECK_EQ_INT(c.log_level, DDB_LOG_DEBUG);

    CHECK_EQ_INT(RUN(&c, "--host=::1", "--port=1", "--data-dir=x", "--threads=256",
                     "--region=ap-south-1", "--account-id=999999999999", "--log-level=warn"),
                 DDB_CONFIG_RUN);
    CHECK_EQ_STR(c.host, "::1");
    CHECK_EQ_INT(c.port, 1);
    CHECK_EQ_STR(c.data_dir, "x");
    CHECK_EQ_INT(c.threads, 256);
    CHECK_EQ_STR(c.region, "ap-south-1");
    CHECK_EQ_STR(c.account_id, "999999999999");
    CHECK_EQ_INT(c.log_level, DDB_LOG_WARN);

    CHECK_EQ_INT(RUN(&c, "--log-level", "error"), DDB_CONFIG_RUN);
    CHECK_EQ_INT(c.log_level, DDB_LOG_ERROR);
    CHECK_EQ_INT(RUN(&c, "--log-level", "info", "--port", "65535"), DDB_CONFIG_RUN);
    CHECK_EQ_INT(c.log_level, DDB_LOG_INFO);
    CHECK_EQ_INT(c.port, 65535);
}

TEST(config_help_and_version)
{
    struct ddb_config c;
    CHECK_EQ_INT(RUN(&c, "--help"), DDB_CONFIG_EXIT);
    CHECK(strstr(outbuf, "usage: ddbd") != NULL);
    CHECK(strstr(outbuf, "--in-memory") != NULL);
    CHECK_EQ_INT(RUN(&c, "--port", "9", "--version"), DDB_CONFIG_EXIT);
    CHECK(strncmp(outbuf, "ddbd ", 5) == 0);
    CHECK_EQ_STR(errbuf, "");
}

TEST(config_bad_flags_are_usage_errors)
{
    struct ddb_config c;
    CHECK_EQ_INT(RUN(&c, "--nope"), DDB_CONFIG_USAGE);
    CHECK(strstr(errbuf, "unknown option '--nope'") != NULL);
    CHECK(strstr(errbuf, "usage: ddbd") != NULL);
    CHECK_EQ_INT(RUN(&c, "stray"), DDB_CONFIG_USAGE);
    CHECK_EQ_INT(RUN(&c, "-p", "80"), DDB_CONFIG_USAGE);
    CHECK_EQ_INT(RUN(&c, "--port"), DDB_CONFIG_USAGE);
    CHECK(strstr(errbuf, "--port needs a value") != NULL);
    const char *bad_ports[] = {"0", "65536", "-1", "+80", "80x", "", " 80", "99999999999999999999"};
    for (size_t i = 0; i < DDB_ARRAY_LEN(bad_ports); i++)
        CHECK_EQ_INT(RUN(&c, "--port", bad_ports[i]), DDB_CONFIG_USAGE);
    CHECK_EQ_INT(RUN(&c, "--threads", "0"), DDB_CONFIG_USAGE);
    CHECK_EQ_INT(RUN(&c, "--threads", "257"), DDB_CONFIG_USAGE);
    CHECK_EQ_INT(RUN(&c, "--threads=two"), DDB_CONFIG_USAGE);
    CHECK_EQ_INT(RUN(&c, "--log-level", "trace"), DDB_CONFIG_USAGE);
    CHECK_EQ_INT(RUN(&c, "--log-level", "DEBUG"), DDB_CONFIG_USAGE);
    CHECK_EQ_INT(RUN(&c, "--account-id", "12345"), DDB_CONFIG_USAGE);
    CHECK_EQ_INT(RUN(&c, "--account-id", "12345678901a"), DDB_CONFIG_USAGE);
    CHECK_EQ_INT(RUN(&c, "--host", ""), DDB_CONFIG_USAGE);
    CHECK_EQ_INT(RUN(&c, "--data-dir="), DDB_CONFIG_USAGE);
    CHECK_EQ_INT(RUN(&c, "--region", ""), DDB_CONFIG_USAGE);
    CHECK_EQ_INT(RUN(&c, "--in-memory=yes"), DDB_CONFIG_USAGE);
    CHECK_EQ_INT(RUN(&c, "--help=1"), DDB_CONFIG_USAGE);
    CHECK_EQ_INT(RUN(&c, "--portx", "1"), DDB_CONFIG_USAGE);
    CHECK_EQ_INT(RUN(&c, "--"), DDB_CONFIG_USAGE);
    CHECK_EQ_STR(outbuf, "");
}

TEST(config_connection_and_memory_limits)
{
    struct ddb_config c;
    const char *argv[] = {"ddbd"};
    CHECK_EQ_INT(run(&c, 1, argv), DDB_CONFIG_RUN);
    CHECK_EQ_INT(c.max_connections, DDB_MAX_CONNECTIONS);
    CHECK(c.request_memory_budget == DDB_REQUEST_MEMORY_BUDGET);
    CHECK_EQ_INT(RUN(&c, "--max-connections", "2", "--request-memory-budget=1000000"),
                 DDB_CONFIG_RUN);
    CHECK_EQ_INT(c.max_connections, 2);
    CHECK(c.request_memory_budget == 1000000);
    CHECK_EQ_INT(RUN(&c, "--max-connections=1000000", "--request-memory-budget",
                     "281474976710656"),
                 DDB_CONFIG_RUN);
    CHECK_EQ_INT(c.max_connections, 1000000);
    CHECK(c.request_memory_budget == 1ull << 48);
    const char *bad[] = {"0", "-1", "1000001", "x", ""};
    for (size_t i = 0; i < DDB_ARRAY_LEN(bad); i++)
        CHECK_EQ_INT(RUN(&c, "--max-connections", bad[i]), DDB_CONFIG_USAGE);
    CHECK(strstr(errbuf, "--max-connections must be a number from 1 to 1000000") != NULL);
    const char *bad_budget[] = {"0", "281474976710657", "1k", ""};
    for (size_t i = 0; i < DDB_ARRAY_LEN(bad_budget); i++)
        CHECK_EQ_INT(RUN(&c, "--request-memory-budget", bad_budget[i]), DDB_CONFIG_USAGE);
    CHECK(strstr(errbuf, "--request-memory-budget must be a number of bytes") != NULL);
    CHECK_EQ_INT(RUN(&c, "--help"), DDB_CONFIG_EXIT);
    CHECK(strstr(outbuf, "--max-connections N") != NULL);
    CHECK(strstr(outbuf, "--request-memory-budget BYTES") != NULL);
}

TEST(config_value_may_look_like_a_flag)
{
    struct ddb_config c;
    /* "--flag value" takes the next argument as is */
    CHECK_EQ_INT(RUN(&c, "--data-dir", "--in-memory"), DDB_CONFIG_RUN);
    CHECK_EQ_STR(c.data_dir, "--in-memory");
    CHECK(!c.in_memory);
}
