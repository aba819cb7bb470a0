#include "harness.h"
#include "protocol/decimal.h"

#include <math.h>

/* Parse and format, as DynamoDB Local 3.3.1 answered a PutItem with
 * {"N": text} and the GetItem after it (NULL output: the PutItem failed with
 * the status's message). Generated from the probes recorded in
 * protocol/MESSAGES-values.md. */
static const struct {
    const char *text;
    size_t len;
    enum ddb_decimal_status status;
    const char *out;
} parse_cases[] = {
    {"0", 1, DDB_DEC_OK, "0"},
    {"1", 1, DDB_DEC_OK, "1"},
    {"-1", 2, DDB_DEC_OK, "-1"},
    {"+1", 2, DDB_DEC_OK, "1"},
    {"01", 2, DDB_DEC_OK, "1"},
    {"0001", 4, DDB_DEC_OK, "1"},
    {"-0", 2, DDB_DEC_OK, "0"},
    {"+0", 2, DDB_DEC_OK, "0"},
    {"0.0", 3, DDB_DEC_OK, "0"},
    {"-0.0", 4, DDB_DEC_OK, "0"},
    {"00.00", 5, DDB_DEC_OK, "0"},
    {".5", 2, DDB_DEC_OK, "0.5"},
    {"5.", 2, DDB_DEC_OK, "5"},
    {"-.5", 3, DDB_DEC_OK, "-0.5"},
    {"+.5", 3, DDB_DEC_OK, "0.5"},
    {"-5.", 3, DDB_DEC_OK, "-5"},
    {".", 1, DDB_DEC_SYNTAX, NULL},
    {"-", 1, DDB_DEC_SYNTAX, NULL},
    {"+", 1, DDB_DEC_SYNTAX, NULL},
    {"", 0, DDB_DEC_SYNTAX, NULL},
    {"  1", 3, DDB_DEC_SYNTAX, NULL},
    {"1 ", 2, DDB_DEC_SYNTAX, NULL},
    {"1\x09", 2, DDB_DEC_SYNTAX, NULL},
    {"\x0a" "1", 2, DDB_DEC_SYNTAX, NULL},
    {"1e2", 3, DDB_DEC_OK, "100"},
    {"1E2", 3, DDB_DEC_OK, "100"},
    {"1e+2", 4, DDB_DEC_OK, "100"},
    {"1E+2", 4, DDB_DEC_OK, "100"},
    {"1e-3", 4, DDB_DEC_OK, "0.001"},
    {"1E-3", 4, DDB_DEC_OK, "0.001"},
    {"1e02", 4, DDB_DEC_OK, "100"},
    {"1E+002", 6, DDB_DEC_OK, "100"},
    {"1.5e", 4, DDB_DEC_SYNTAX, NULL},
    {"1e", 2, DDB_DEC_SYNTAX, NULL},
    {"e5", 2, DDB_DEC_SYNTAX, NULL},
    {"E5", 2, DDB_DEC_SYNTAX, NULL},
    {"1e+", 3, DDB_DEC_SYNTAX, NULL},
    {"1e-", 3, DDB_DEC_SYNTAX, NULL},
    {"1.50", 4, DDB_DEC_OK, "1.5"},
    {"100", 3, DDB_DEC_OK, "100"},
    {"1.0", 3, DDB_DEC_OK, "1"},
    {"10.00", 5, DDB_DEC_OK, "10"},
    {"0x10", 4, DDB_DEC_SYNTAX, NULL},
    {"0X1F", 4, DDB_DEC_SYNTAX, NULL},
    {"NaN", 3, DDB_DEC_SYNTAX, NULL},
    {"nan", 3, DDB_DEC_SYNTAX, NULL},
    {"Infinity", 8, DDB_DEC_SYNTAX, NULL},
    {"-Infinity", 9, DDB_DEC_SYNTAX, NULL},
    {"inf", 3, DDB_DEC_SYNTAX, NULL},
    {"1_000", 5, DDB_DEC_SYNTAX, NULL},
    {"1,5", 3, DDB_DEC_SYNTAX, NULL},
    {"1..2", 4, DDB_DEC_SYNTAX, NULL},
    {"1.2.3", 5, DDB_DEC_SYNTAX, NULL},
    {"--1", 3, DDB_DEC_SYNTAX, NULL},
    {"+-1", 3, DDB_DEC_SYNTAX, NULL},
    {"1e1.5", 5, DDB_DEC_SYNTAX, NULL},
    {"1e2e3", 5, DDB_DEC_SYNTAX, NULL},
    {"\xd9\xa1", 2, DDB_DEC_OK, "1"},
    {"\xef\xbc\x91", 3, DDB_DEC_OK, "1"},
    {"0.000", 5, DDB_DEC_OK, "0"},
    {"0e5", 3, DDB_DEC_OK, "0"},
    {"0E-200", 6, DDB_DEC_OK, "0"},
    {"0e999999999999", 14, DDB_DEC_SYNTAX, NULL},
    {"1e999999999999", 14, DDB_DEC_SYNTAX, NULL},
    {"1e-999999999999", 15, DDB_DEC_SYNTAX, NULL},
    {"10000000000000000000000000000000000000000", 41, DDB_DEC_OK, "10000000000000000000000000000000000000000"},
    {"10000000000000000000000000000000000000", 38, DDB_DEC_OK, "10000000000000000000000000000000000000"},
    {"100000000000000000000000000000000000000", 39, DDB_DEC_OK, "100000000000000000000000000000000000000"},
    {"99999999999999999999999999999999999999", 38, DDB_DEC_OK, "99999999999999999999999999999999999999"},
    {"999999999999999999999999999999999999999", 39, DDB_DEC_PRECISION, NULL},
    {"100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", 126, DDB_DEC_OK, "100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"},
    {"1000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", 127, DDB_DEC_OVERFLOW, NULL},
    {"1E125", 5, DDB_DEC_OK, "100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"},
    {"1E126", 5, DDB_DEC_OVERFLOW, NULL},
    {"9.9999999999999999999999999999999999999E+125", 44, DDB_DEC_OK, "999999999999999999999999999999999999990000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"},
    {"9.99999999999999999999999999999999999999E+125", 45, DDB_DEC_PRECISION, NULL},
    {"1E-130", 6, DDB_DEC_OK, "0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001"},
    {"1E-131", 6, DDB_DEC_UNDERFLOW, NULL},
    {"0.1E-129", 8, DDB_DEC_OK, "0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001"},
    {"10E-131", 7, DDB_DEC_OK, "0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001"},
    {"1.5E-130", 8, DDB_DEC_OK, "0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000015"},
    {"0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001", 132, DDB_DEC_OK, "0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001"},
    {"0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001", 133, DDB_DEC_UNDERFLOW, NULL},
    {"0.00000000000000000000000000000000000001", 40, DDB_DEC_OK, "0.00000000000000000000000000000000000001"},
    {"0.000000000000000000000000000000000000000001234", 47, DDB_DEC_OK, "0.000000000000000000000000000000000000000001234"},
    {"1.0000000000000000000000000000000000000000", 42, DDB_DEC_OK, "1"},
    {"10000000000000000000000000000000000000000.5", 43, DDB_DEC_PRECISION, NULL},
    {"12345678901234567890123456789012345678", 38, DDB_DEC_OK, "12345678901234567890123456789012345678"},
    {"123456789012345678901234567890123456789", 39, DDB_DEC_PRECISION, NULL},
    {"1234567890123456789012345678901234567.8", 39, DDB_DEC_OK, "1234567890123456789012345678901234567.8"},
    {"1234567890123456789012345678901234567.89", 40, DDB_DEC_PRECISION, NULL},
    {"0.12345678901234567890123456789012345678", 40, DDB_DEC_OK, "0.12345678901234567890123456789012345678"},
    {"0.123456789012345678901234567890123456789", 41, DDB_DEC_PRECISION, NULL},
    {"123456789012345678901234567890123456780", 39, DDB_DEC_OK, "123456789012345678901234567890123456780"},
    {"12345678901234567890123456789012345678.0", 40, DDB_DEC_OK, "12345678901234567890123456789012345678"},
    {"1.000000000000000000000000000000000000000001", 44, DDB_DEC_PRECISION, NULL},
    {"1e-1", 4, DDB_DEC_OK, "0.1"},
    {"12.3e1", 6, DDB_DEC_OK, "123"},
    {"123e-1", 6, DDB_DEC_OK, "12.3"},
    {"0.1", 3, DDB_DEC_OK, "0.1"},
    {"100e-2", 6, DDB_DEC_OK, "1"},
    {"1e38", 4, DDB_DEC_OK, "100000000000000000000000000000000000000"},
    {"1e37", 4, DDB_DEC_OK, "10000000000000000000000000000000000000"},
    {"1.23e40", 7, DDB_DEC_OK, "12300000000000000000000000000000000000000"},
    {"-1e125", 6, DDB_DEC_OK, "-100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"},
    {"-1e126", 6, DDB_DEC_OVERFLOW, NULL},
    {"-1e-130", 7, DDB_DEC_OK, "-0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001"},
    {"-1e-131", 7, DDB_DEC_UNDERFLOW, NULL},
    {"1e-128", 6, DDB_DEC_OK, "0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001"},
    {"0.0001", 6, DDB_DEC_OK, "0.0001"},
    {"1e20", 4, DDB_DEC_OK, "100000000000000000000"},
    {"1e21", 4, DDB_DEC_OK, "1000000000000000000000"},
    {"1e-6", 4, DDB_DEC_OK, "0.000001"},
    {"1e-7", 4, DDB_DEC_OK, "0.0000001"},
    {"123456789e-20", 13, DDB_DEC_OK, "0.00000000000123456789"},
    {"5e+125", 6, DDB_DEC_OK, "500000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"},
    {"99999999999999999999999999999999999999e88", 41, DDB_DEC_OK, "999999999999999999999999999999999999990000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"},
    {"99999999999999999999999999999999999999e87", 41, DDB_DEC_OK, "99999999999999999999999999999999999999000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"},
    {"11111111111111111111111111111111111111e88", 41, DDB_DEC_OK, "111111111111111111111111111111111111110000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"},
    {"0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001", 301, DDB_DEC_OK, "1"},
    {"1000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", 301, DDB_DEC_OVERFLOW, NULL},
    {"11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111e-100", 205, DDB_DEC_PRECISION, NULL},
    {"1e000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001", 203, DDB_DEC_OK, "10"},
    {"abc", 3, DDB_DEC_SYNTAX, NULL},
    {"1674e\xd9\xa1", 7, DDB_DEC_OK, "16740"},
    {"\xd9\xa1.\xd9\xa5", 5, DDB_DEC_OK, "1.5"},
    {"1e\xd9\xa1", 4, DDB_DEC_OK, "10"},
    {"1.\xd9\xa1", 4, DDB_DEC_OK, "1.1"},
    {"\xd9\xa0", 2, DDB_DEC_OK, "0"},
    {"\xf0\x9d\x9f\x8f", 4, DDB_DEC_SYNTAX, NULL},
    {"\xf0\x9d\x9f\x8e.5", 6, DDB_DEC_SYNTAX, NULL},
    {"\xdf\x81", 2, DDB_DEC_OK, "1"},
    {"1e2147483647", 12, DDB_DEC_OVERFLOW, NULL},
    {"0e2147483647", 12, DDB_DEC_OK, "0"},
    {"0e2147483648", 12, DDB_DEC_SYNTAX, NULL},
    {"0e-2147483648", 13, DDB_DEC_SYNTAX, NULL},
    {"0e-2147483649", 13, DDB_DEC_SYNTAX, NULL},
    {"0.5e-2147483647", 15, DDB_DEC_SYNTAX, NULL},
    {"0.5e-2147483646", 15, DDB_DEC_UNDERFLOW, NULL},
    {"0.50e-2147483646", 16, DDB_DEC_SYNTAX, NULL},
    {"5e2147483647", 12, DDB_DEC_OVERFLOW, NULL},
    {"5e-2147483647", 13, DDB_DEC_UNDERFLOW, NULL},
    {"5e-2147483648", 13, DDB_DEC_SYNTAX, NULL},
    {"5e-2147483649", 13, DDB_DEC_SYNTAX, NULL},
    {"111111111111111111111111111111111111111e200", 43, DDB_DEC_PRECISION, NULL},
    {"111111111111111111111111111111111111111e-200", 44, DDB_DEC_PRECISION, NULL},
    {"1e00000000002", 13, DDB_DEC_OK, "100"},
    {"1e-00000000002", 14, DDB_DEC_OK, "0.01"},
    {"1e12345678901", 13, DDB_DEC_SYNTAX, NULL},
    {"1e0000000000012345678901", 24, DDB_DEC_SYNTAX, NULL},
    {"1e+0000000000000000000000000000000", 34, DDB_DEC_OK, "1"},
    {"1E+000000000000000001", 21, DDB_DEC_OK, "10"},
    {"\xd9\xa0" "e\xd9\xa0\xd9\xa0\xd9\xa0\xd9\xa0\xd9\xa0\xd9\xa0\xd9\xa0\xd9\xa0\xd9\xa0\xd9\xa0\xd9\xa0\xd9\xa0\xd9\xa0\xd9\xa0\xd9\xa1", 33, DDB_DEC_OK, "0"},
    {"1e9999999999", 12, DDB_DEC_SYNTAX, NULL},
    {"1e-9999999999", 13, DDB_DEC_SYNTAX, NULL},
    {"0e9999999999", 12, DDB_DEC_SYNTAX, NULL},
    {"0e-2147483647", 13, DDB_DEC_OK, "0"},
    {"1e-2147483647", 13, DDB_DEC_UNDERFLOW, NULL},
    {"1.e5", 4, DDB_DEC_OK, "100000"},
    {"-.e5", 4, DDB_DEC_SYNTAX, NULL},
    {".e5", 3, DDB_DEC_SYNTAX, NULL},
    {"1.5E+3", 6, DDB_DEC_OK, "1500"},
    {"-1.5e-3", 7, DDB_DEC_OK, "-0.0015"},
    {"1e+-1", 5, DDB_DEC_SYNTAX, NULL},
    {"1e--1", 5, DDB_DEC_SYNTAX, NULL},
    {"1e ", 3, DDB_DEC_SYNTAX, NULL},
    {"1 e1", 4, DDB_DEC_SYNTAX, NULL},
    {"\xd9\xa1" "e", 3, DDB_DEC_SYNTAX, NULL},
    {"-\xd9\xa1\xd9\xa2\xd9\xa3\xd9\xa4\xd9\xa5\xd9\xa6\xd9\xa7\xd9\xa8\xd9\xa9\xd9\xa0", 21, DDB_DEC_OK, "-1234567890"},
    {"1\xc2\xa0", 3, DDB_DEC_SYNTAX, NULL},
    {"\x00", 1, DDB_DEC_SYNTAX, NULL},
    {"1\x00", 2, DDB_DEC_SYNTAX, NULL},
    {"0.0e1", 5, DDB_DEC_OK, "0"},
    {"-0e-5", 5, DDB_DEC_OK, "0"},
    {"00000.00000e+10", 15, DDB_DEC_OK, "0"},
    {"+.0", 3, DDB_DEC_OK, "0"},
    {"\xd9\xa1\xd9\xa2\xd9\xa3\xd9\xa4\xd9\xa5\xd9\xa6\xd9\xa7\xd9\xa8\xd9\xa9\xd9\xa0\xd9\xa1\xd9\xa2\xd9\xa3\xd9\xa4\xd9\xa5\xd9\xa6\xd9\xa7\xd9\xa8\xd9\xa9\xd9\xa0\xd9\xa1\xd9\xa2\xd9\xa3\xd9\xa4\xd9\xa5\xd9\xa6\xd9\xa7\xd9\xa8\xd9\xa9\xd9\xa0\xd9\xa1\xd9\xa2\xd9\xa3\xd9\xa4\xd9\xa5\xd9\xa6\xd9\xa7\xd9\xa8", 76, DDB_DEC_OK, "12345678901234567890123456789012345678"},
    {"\xd9\xa1\xd9\xa2\xd9\xa3\xd9\xa4\xd9\xa5\xd9\xa6\xd9\xa7\xd9\xa8\xd9\xa9\xd9\xa0\xd9\xa1\xd9\xa2\xd9\xa3\xd9\xa4\xd9\xa5\xd9\xa6\xd9\xa7\xd9\xa8\xd9\xa9\xd9\xa0\xd9\xa1\xd9\xa2\xd9\xa3\xd9\xa4\xd9\xa5\xd9\xa6\xd9\xa7\xd9\xa8\xd9\xa9\xd9\xa0\xd9\xa1\xd9\xa2\xd9\xa3\xd9\xa4\xd9\xa5\xd9\xa6\xd9\xa7\xd9\xa8\xd9\xa9", 78, DDB_DEC_PRECISION, NULL},
    {"12345678901234567890123456789012345678e88", 41, DDB_DEC_OK, "123456789012345678901234567890123456780000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"},
    {"12345678901234567890123456789012345678e87", 41, DDB_DEC_OK, "12345678901234567890123456789012345678000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"},
    {"-12345678901234567890123456789012345678e-167", 44, DDB_DEC_OK, "-0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000012345678901234567890123456789012345678"},
    {"12345678901234567890123456789012345678e-168", 43, DDB_DEC_UNDERFLOW, NULL},
    {"1234567890123456789012345678901234567e-166", 42, DDB_DEC_OK, "0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001234567890123456789012345678901234567"},
    {"0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000012345678901234567890123456789012345678", 169, DDB_DEC_OK, "0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000012345678901234567890123456789012345678"},
    {"0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000012345678901234567890123456789012345678", 170, DDB_DEC_UNDERFLOW, NULL},
    {"9.9999999999999999999999999999999999999e125", 43, DDB_DEC_OK, "999999999999999999999999999999999999990000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"},
    {"-9.9999999999999999999999999999999999999e125", 44, DDB_DEC_OK, "-999999999999999999999999999999999999990000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"},
    {"10e125", 6, DDB_DEC_OVERFLOW, NULL},
    {"0.1e127", 7, DDB_DEC_OVERFLOW, NULL},
    {"0.01e127", 8, DDB_DEC_OK, "100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"},
    {"1E-999", 6, DDB_DEC_UNDERFLOW, NULL},
    {"0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001e1", 137, DDB_DEC_UNDERFLOW, NULL},
};

TEST(parse_and_format_match_dynamodb_local)
{
    for (size_t i = 0; i < DDB_ARRAY_LEN(parse_cases); i++) {
        struct ddb_decimal d = {12345, 7, true};
        enum ddb_decimal_status st = ddb_decimal_parse(parse_cases[i].text, parse_cases[i].len, &d);
        if (st != parse_cases[i].status) {
            printf("#   case %zu \"%.60s\": status %d, want %d\n", i, parse_cases[i].text, st,
                   parse_cases[i].status);
            CHECK(st == parse_cases[i].status);
            continue;
        }
        if (st != DDB_DEC_OK) {
            CHECK(d.coef == 12345 && d.exp == 7 && d.neg); /* untouched */
            continue;
        }
        char buf[DDB_DECIMAL_TEXT_MAX];
        size_t n = ddb_decimal_format(&d, buf);
        CHECK_EQ_INT(n, strlen(buf));
        CHECK_EQ_STR(buf, parse_cases[i].out);
        CHECK(d.coef == 0 ? (d.exp == 0 && !d.neg) : d.coef % 10 != 0);
    }
}

TEST(messages)
{
    CHECK_EQ_STR(ddb_decimal_message(DDB_DEC_SYNTAX), "A value provided cannot be converted into a number");
    CHECK_EQ_STR(ddb_decimal_message(DDB_DEC_PRECISION), "Attempting to store more than 38 significant digits in a Number");
    CHECK_EQ_STR(ddb_decimal_message(DDB_DEC_OVERFLOW),
                 "Number overflow. Attempting to store a number with magnitude larger than supported range");
    CHECK_EQ_STR(ddb_decimal_message(DDB_DEC_UNDERFLOW),
                 "Number underflow. Attempting to store a number with magnitude smaller than supported range");
    CHECK_EQ_STR(ddb_decimal_message(DDB_DEC_OK), "");
}

TEST(parse_long_texts)
{
    /* Text longer than any limit parses without trouble: 100000 leading
     * zeros, and 1 followed by 100000 zeros then e-100000. */
    static char big[200020];
    memset(big, '0', 100000);
    big[100000] = '7';
    struct ddb_decimal d;
    CHECK(ddb_decimal_parse(big, 100001, &d) == DDB_DEC_OK);
    CHECK(d.coef == 7 && d.exp == 0);
    big[0] = '1';
    memset(big + 1, '0', 100000);
    memcpy(big + 100001, "e-100000", 8);
    CHECK(ddb_decimal_parse(big, 100009, &d) == DDB_DEC_OK);
    CHECK(d.coef == 1 && d.exp == 0);
    /* 39 significant digits with garbage after them: syntax wins. */
    CHECK(ddb_decimal_parse("111111111111111111111111111111111111111x", 40, &d) == DDB_DEC_SYNTAX);
    /* The length is honoured: no reading past n. */
    CHECK(ddb_decimal_parse("12x", 2, &d) == DDB_DEC_OK && d.coef == 12);
    CHECK(ddb_decimal_parse("1e5", 2, &d) == DDB_DEC_SYNTAX);
    CHECK(ddb_decimal_parse("\xd9\xa1", 1, &d) == DDB_DEC_SYNTAX);
    CHECK(ddb_decimal_parse("\xe0\xa5", 2, &d) == DDB_DEC_SYNTAX);
    /* Overlong and surrogate encodings of digits are not digits. */
    CHECK(ddb_decimal_parse("\xc0\xb1", 2, &d) == DDB_DEC_SYNTAX);
    CHECK(ddb_decimal_parse("\xe0\x80\xb1", 3, &d) == DDB_DEC_SYNTAX);
    CHECK(ddb_decimal_parse("\xed\xa0\x80", 3, &d) == DDB_DEC_SYNTAX);
    CHECK(ddb_decimal_parse("\xef\xbc\x99", 3, &d) == DDB_DEC_OK && d.coef == 9); /* U+FF19 */
}

/* ---- random values ---- */

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* A random in-range decimal in normal form with 1..maxd digits and an
 * exponent drawn from [lo, hi] (clamped to the range). */
static struct ddb_decimal rnd_decimal(int maxd, int lo, int hi)
{
    struct ddb_decimal d;
    if (rnd() % 16 == 0) {
        d = (struct ddb_decimal){0, 0, false};
        return d;
    }
    int nd = 1 + (int)(rnd() % (uint64_t)maxd);
    unsigned __int128 c = 0;
    for (int i = 0; i < nd; i++)
        c = c * 10 + (unsigned)(i == 0 || i == nd - 1 ? 1 + rnd() % 9 : rnd() % 10);
    int e = lo + (int)(rnd() % (uint64_t)(hi - lo + 1));
    if (e + nd - 1 > DDB_NUMBER_MAX_EXP)
        e = DDB_NUMBER_MAX_EXP - nd + 1;
    if (e + nd - 1 < DDB_NUMBER_MIN_EXP)
        e = DDB_NUMBER_MIN_EXP - nd + 1;
    d.coef = c;
    d.exp = e;
    d.neg = rnd() & 1;
    return d;
}

static int sgn(int x)
{
    return (x > 0) - (x < 0);
}

static bool dec_same(const struct ddb_decimal *a, const struct ddb_decimal *b)
{
    return a->coef == b->coef && a->exp == b->exp && a->neg == b->neg;
}

TEST(format_parse_round_trip)
{
    for (int i = 0; i < 20000; i++) {
        struct ddb_decimal d = rnd_decimal(38, -170, 130), back;
        char buf[DDB_DECIMAL_TEXT_MAX];
        size_t n = ddb_decimal_format(&d, buf);
        CHECK(n < DDB_DECIMAL_TEXT_MAX);
        CHECK(ddb_decimal_parse(buf, n, &back) == DDB_DEC_OK);
        CHECK(dec_same(&d, &back));
    }
}

TEST(cmp_properties)
{
    for (int i = 0; i < 20000; i++) {
        int lo = (i & 1) ? -170 : -3, hi = (i & 1) ? 130 : 3;
        struct ddb_decimal a = rnd_decimal((i & 2) ? 38 : 3, lo, hi);
        struct ddb_decimal b = rnd_decimal((i & 2) ? 38 : 3, lo, hi);
        struct ddb_decimal c = rnd_decimal((i & 2) ? 38 : 3, lo, hi);
        int ab = ddb_decimal_cmp(&a, &b), ba = ddb_decimal_cmp(&b, &a);
        CHECK(sgn(ab) == -sgn(ba));
        CHECK(ddb_decimal_cmp(&a, &a) == 0);
        CHECK((ab == 0) == dec_same(&a, &b));
        int bc = ddb_decimal_cmp(&b, &c), ac = ddb_decimal_cmp(&a, &c);
        if (ab <= 0 && bc <= 0)
            CHECK(ac <= 0);
        if (ab >= 0 && bc >= 0)
            CHECK(ac >= 0);
    }
}

TEST(cmp_agrees_with_long_double)
{
    /* Up to 15 digits and exponents within +-20: long double tells them apart. */
    for (int i = 0; i < 20000; i++) {
        struct ddb_decimal a = rnd_decimal(15, -20, 20), b = rnd_decimal(15, -20, 20);
        if (i % 3 == 0 && a.coef > 10) { /* neighbours: differ in the last digit */
            b = a;
            b.coef += rnd() % 2;
            if (b.coef % 10 == 0)
                b.coef -= 1;
        }
        char ta[DDB_DECIMAL_TEXT_MAX], tb[DDB_DECIMAL_TEXT_MAX];
        ddb_decimal_format(&a, ta);
        ddb_decimal_format(&b, tb);
        long double la = strtold(ta, NULL), lb = strtold(tb, NULL);
        int want = (la > lb) - (la < lb);
        if (sgn(ddb_decimal_cmp(&a, &b)) != want) {
            printf("#   %s vs %s\n", ta, tb);
            CHECK(sgn(ddb_decimal_cmp(&a, &b)) == want);
        }
    }
}

TEST(cmp_edges)
{
    struct ddb_decimal zero, one, mone, tiny, huge, ntiny;
    CHECK(ddb_decimal_parse("0", 1, &zero) == DDB_DEC_OK);
    CHECK(ddb_decimal_parse("1", 1, &one) == DDB_DEC_OK);
    CHECK(ddb_decimal_parse("-1", 2, &mone) == DDB_DEC_OK);
    CHECK(ddb_decimal_parse("1e-130", 6, &tiny) == DDB_DEC_OK);
    CHECK(ddb_decimal_parse("-1e-130", 7, &ntiny) == DDB_DEC_OK);
    CHECK(ddb_decimal_parse("9.9999999999999999999999999999999999999e125", 43, &huge) == DDB_DEC_OK);
    CHECK(ddb_decimal_cmp(&zero, &tiny) < 0);
    CHECK(ddb_decimal_cmp(&ntiny, &zero) < 0);
    CHECK(ddb_decimal_cmp(&mone, &ntiny) < 0);
    CHECK(ddb_decimal_cmp(&one, &huge) < 0);
    CHECK(ddb_decimal_cmp(&tiny, &one) < 0);
    struct ddb_decimal a, b;
    CHECK(ddb_decimal_parse("10", 2, &a) == DDB_DEC_OK);
    CHECK(ddb_decimal_parse("9.9999999999999999999999999999999999999", 39, &b) == DDB_DEC_OK);
    CHECK(ddb_decimal_cmp(&a, &b) > 0);
    CHECK(ddb_decimal_parse("1.0000000000000000000000000000000000001", 39, &a) == DDB_DEC_OK);
    CHECK(ddb_decimal_cmp(&a, &one) > 0);
}

/* ---- an independent oracle for sums: schoolbook digit arithmetic on the
 * operands' digits, with the result's text parsed back (parse applies the
 * same precision-then-range checks DynamoDB applies to results) ---- */

#define ORC_DIGITS 700
#define ORC_BASE 350 /* index of 10^0 */

struct oracle {
    bool neg;
    signed char d[ORC_DIGITS]; /* d[ORC_BASE + k]: digit of 10^k */
};

static void oracle_from(const struct ddb_decimal *x, struct oracle *o)
{
    memset(o, 0, sizeof *o);
    o->neg = x->neg;
    unsigned __int128 c = x->coef;
    for (int k = x->exp; c != 0; k++) {
        o->d[ORC_BASE + k] = (signed char)(c % 10);
        c /= 10;
    }
}

static int oracle_cmp_mag(const struct oracle *a, const struct oracle *b)
{
    for (int k = ORC_DIGITS - 1; k >= 0; k--)
        if (a->d[k] != b->d[k])
            return a->d[k] > b->d[k] ? 1 : -1;
    return 0;
}

static void oracle_add(const struct oracle *a, const struct oracle *b, struct oracle *r)
{
    memset(r, 0, sizeof *r);
    if (a->neg == b->neg) {
        int carry = 0;
        for (int k = 0; k < ORC_DIGITS; k++) {
            int s = a->d[k] + b->d[k] + carry;
            r->d[k] = (signed char)(s % 10);
            carry = s / 10;
        }
        r->neg = a->neg;
        return;
    }
    const struct oracle *big = a, *small = b;
    if (oracle_cmp_mag(a, b) < 0) {
        big = b;
        small = a;
    }
    int borrow = 0;
    for (int k = 0; k < ORC_DIGITS; k++) {
        int s = big->d[k] - small->d[k] - borrow;
        borrow = s < 0;
        r->d[k] = (signed char)(s < 0 ? s + 10 : s);
    }
    r->neg = big->neg;
}

static size_t oracle_text(const struct oracle *o, char *out)
{
    size_t n = 0;
    if (o->neg)
        out[n++] = '-';
    for (int k = ORC_DIGITS - 1; k >= 0; k--) {
        out[n++] = (char)('0' + o->d[k]);
        if (k == ORC_BASE)
            out[n++] = '.';
    }
    out[n] = '\0';
    return n;
}

static void check_add(const struct ddb_decimal *a, const struct ddb_decimal *b, bool sub)
{
    struct oracle oa, ob, r;
    oracle_from(a, &oa);
    oracle_from(b, &ob);
    if (sub && b->coef != 0)
        ob.neg = !ob.neg;
    oracle_add(&oa, &ob, &r);
    char text[ORC_DIGITS + 4];
    size_t n = oracle_text(&r, text);
    struct ddb_decimal want = {0, 0, false}, got = {42, 42, true};
    enum ddb_decimal_status wst = ddb_decimal_parse(text, n, &want);
    enum ddb_decimal_status gst = sub ? ddb_decimal_sub(a, b, &got) : ddb_decimal_add(a, b, &got);
    if (gst != wst || (gst == DDB_DEC_OK && !dec_same(&got, &want))) {
        char ta[DDB_DECIMAL_TEXT_MAX], tb[DDB_DECIMAL_TEXT_MAX];
        ddb_decimal_format(a, ta);
        ddb_decimal_format(b, tb);
        printf("#   %s %c %s: status %d want %d\n", ta, sub ? '-' : '+', tb, gst, wst);
        CHECK(gst == wst);
        CHECK(gst != DDB_DEC_OK || dec_same(&got, &want));
    } else if (gst != DDB_DEC_OK) {
        CHECK(got.coef == 42 && got.exp == 42 && got.neg); /* untouched */
    }
}

TEST(add_sub_match_digit_oracle)
{
    int ok = 0, precision = 0, range = 0;
    for (int i = 0; i < 30000; i++) {
        int mode = i % 4;
        struct ddb_decimal a, b;
        if (mode == 0) { /* anything in range */
            a = rnd_decimal(38, -170, 130);
            b = rnd_decimal(38, -170, 130);
        } else if (mode == 1) { /* close exponents: carries and cancellation */
            a = rnd_decimal(38, -40, 0);
            b = rnd_decimal(38, -40, 0);
        } else if (mode == 2) { /* near the top and the bottom of the range */
            a = rnd_decimal(38, (i & 4) ? 80 : -170, (i & 4) ? 130 : -120);
            b = rnd_decimal(38, (i & 4) ? 80 : -170, (i & 4) ? 130 : -120);
        } else { /* short numbers */
            a = rnd_decimal(4, -5, 5);
            b = rnd_decimal(4, -5, 5);
        }
        check_add(&a, &b, false);
        check_add(&a, &b, true);
        check_add(&a, &a, true);
        struct ddb_decimal r;
        enum ddb_decimal_status st = ddb_decimal_add(&a, &b, &r);
        ok += st == DDB_DEC_OK;
        precision += st == DDB_DEC_PRECISION;
        range += st == DDB_DEC_OVERFLOW || st == DDB_DEC_UNDERFLOW;
    }
    /* The generator must reach every outcome, or the test proves little. */
    CHECK(ok > 1000 && precision > 1000 && range > 10);
}

/* UpdateItem SET n = n + :v, as DynamoDB Local 3.3.1 answered (ADD and
 * AttributeUpdates ADD answered the same). */
TEST(add_matches_dynamodb_local)
{
    static const struct {
        const char *a, *b;
        enum ddb_decimal_status st;
        const char *out;
    } cases[] = {
        {"1", "2", DDB_DEC_OK, "3"},
        {"99999999999999999999999999999999999999", "1", DDB_DEC_OK, "100000000000000000000000000000000000000"},
        {"99999999999999999999999999999999999999", "0.1", DDB_DEC_PRECISION, NULL},
        {"1", "1e-38", DDB_DEC_PRECISION, NULL},
        {"1", "1e-37", DDB_DEC_OK, "1.0000000000000000000000000000000000001"},
        {"1e38", "1", DDB_DEC_PRECISION, NULL},
        {"1e37", "1", DDB_DEC_OK, "10000000000000000000000000000000000001"},
        {"1e125", "9e125", DDB_DEC_OVERFLOW, NULL},
        {"9.9999999999999999999999999999999999999E+125", "1e88", DDB_DEC_OVERFLOW, NULL},
        {"9.9999999999999999999999999999999999999E+125", "1e87", DDB_DEC_PRECISION, NULL},
        {"1e-130", "-1e-130", DDB_DEC_OK, "0"},
        {"2e-130", "-1e-130", DDB_DEC_OK, "0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001"},
        {"1.1e-129", "-1e-129", DDB_DEC_OK, "0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001"},
        {"1E+100", "1E-100", DDB_DEC_PRECISION, NULL},
        {"12345678901234567890123456789012345678", "0.5", DDB_DEC_PRECISION, NULL},
        {"12345678901234567890123456789012345678", "-0.5", DDB_DEC_PRECISION, NULL},
        {"-12345678901234567890123456789012345678", "-0.5", DDB_DEC_PRECISION, NULL},
        {"12345678901234567890123456789012345677", "0.5", DDB_DEC_PRECISION, NULL},
        {"1", "-1", DDB_DEC_OK, "0"},
        {"0.1", "0.2", DDB_DEC_OK, "0.3"},
        {"-5", "3", DDB_DEC_OK, "-2"},
        {"1e-130", "1e-130", DDB_DEC_OK, "0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002"},
        /* DynamoDB Local keeps the scale of a sum ("1.5" + "1.5" reads back
         * as "3.0"); ddbd answers in normal form (see MESSAGES-values.md). */
        {"1.5", "1.5", DDB_DEC_OK, "3"},
        {"1.25", "-0.25", DDB_DEC_OK, "1"},
        /* Cancellation of operands 38 places apart is exact. */
        {"1e40", "-9.9999999999999999999999999999999999999e39", DDB_DEC_OK, "100"},
        {"1.2345678901234567890123456789012345678e-130", "-1.2e-130", DDB_DEC_UNDERFLOW, NULL},
    };
    for (size_t i = 0; i < DDB_ARRAY_LEN(cases); i++) {
        struct ddb_decimal a, b, r;
        CHECK(ddb_decimal_parse(cases[i].a, strlen(cases[i].a), &a) == DDB_DEC_OK);
        CHECK(ddb_decimal_parse(cases[i].b, strlen(cases[i].b), &b) == DDB_DEC_OK);
        enum ddb_decimal_status st = ddb_decimal_add(&a, &b, &r);
        if (st != cases[i].st) {
            printf("#   case %zu: %s + %s status %d\n", i, cases[i].a, cases[i].b, st);
            CHECK(st == cases[i].st);
            continue;
        }
        if (st == DDB_DEC_OK) {
            char buf[DDB_DECIMAL_TEXT_MAX];
            ddb_decimal_format(&r, buf);
            CHECK_EQ_STR(buf, cases[i].out);
        }
        /* Aliasing: out may be a. */
        struct ddb_decimal x = a;
        CHECK(ddb_decimal_add(&x, &b, &x) == st);
        if (st == DDB_DEC_OK)
            CHECK(dec_same(&x, &r));
    }
}

TEST(from_i64)
{
    static const int64_t vals[] = {0, 1, -1, 10, 1200, -1200, 9223372036854775807LL, INT64_MIN};
    static const char *texts[] = {"0", "1", "-1", "10", "1200", "-1200", "9223372036854775807",
                                  "-9223372036854775808"};
    for (size_t i = 0; i < DDB_ARRAY_LEN(vals); i++) {
        struct ddb_decimal d;
        ddb_decimal_from_i64(vals[i], &d);
        char buf[DDB_DECIMAL_TEXT_MAX];
        ddb_decimal_format(&d, buf);
        CHECK_EQ_STR(buf, texts[i]);
        CHECK(d.coef == 0 ? (d.exp == 0 && !d.neg) : d.coef % 10 != 0);
    }
}

TEST(longest_text_fits)
{
    struct ddb_decimal d;
    const char *t = "-1.2345678901234567890123456789012345678e-130";
    CHECK(ddb_decimal_parse(t, strlen(t), &d) == DDB_DEC_OK);
    char buf[DDB_DECIMAL_TEXT_MAX];
    size_t n = ddb_decimal_format(&d, buf);
    CHECK_EQ_INT(n, 1 + 2 + 129 + 38);
    CHECK(n < DDB_DECIMAL_TEXT_MAX);
}
