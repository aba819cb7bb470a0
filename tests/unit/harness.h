/*
 * harness.h: the unit-test harness (header-only; one test file = one program).
 *
 *   TEST(name) { CHECK(x == 1); CHECK_EQ_INT(a, b); CHECK_EQ_STR(s, "x"); }
 *
 * Tests register themselves; main() (defined here) runs them in file order,
 * prints "ok - name" or "not ok - name" with the failed checks, and ends with
 * the line "N passed, N failed" that the test command adds up. The exit code
 * is non-zero when a test failed. A test file may #include the .c it tests to
 * reach static functions (h2o's t/00unit style).
 */
#ifndef DDB_TEST_HARNESS_H
#define DDB_TEST_HARNESS_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DDB_TEST_MAX 512

static struct {
    const char *name;
    void (*fn)(void);
} ddb_tests[DDB_TEST_MAX];
static int ddb_test_count;
static int ddb_test_failed_checks;

__attribute__((unused)) static void ddb_test_register(const char *name, void (*fn)(void))
{
    if (ddb_test_count >= DDB_TEST_MAX) {
        fprintf(stderr, "harness: too many tests\n");
        exit(2);
    }
    ddb_tests[ddb_test_count].name = name;
    ddb_tests[ddb_test_count].fn = fn;
    ddb_test_count++;
}

#define TEST(name)                                                                 \
    static void name(void);                                                        \
    __attribute__((constructor)) static void ddb_test_reg_##name(void)             \
    {                                                                              \
        ddb_test_register(#name, name);                                            \
    }                                                                              \
    static void name(void)

#define CHECK(cond)                                                                \
    do {                                                                           \
        if (!(cond)) {                                                             \
            ddb_test_failed_checks++;                                              \
            printf("#   %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);    \
        }                                                                          \
    } while (0)

#define CHECK_EQ_INT(a, b)                                                         \
    do {                                                                           \
        long long ddb_a_ = (long long)(a), ddb_b_ = (long long)(b);                \
        if (ddb_a_ != ddb_b_) {                                                    \
            ddb_test_failed_checks++;                                              \
            printf("#   %s:%d: %s == %s failed: %lld != %lld\n", __FILE__, __LINE__, \
                   #a, #b, ddb_a_, ddb_b_);                                        \
        }                                                                          \
    } while (0)

#define CHECK_EQ_STR(a, b)                                                         \
    do {                                                                           \
        const char *ddb_a_ = (a), *ddb_b_ = (b);                                   \
        if (ddb_a_ == NULL || ddb_b_ == NULL || strcmp(ddb_a_, ddb_b_) != 0) {     \
            ddb_test_failed_checks++;                                              \
            printf("#   %s:%d: %s == %s failed: \"%s\" != \"%s\"\n", __FILE__,      \
                   __LINE__, #a, #b, ddb_a_ ? ddb_a_ : "(null)",                   \
                   ddb_b_ ? ddb_b_ : "(null)");                                    \
        }                                                                          \
    } while (0)

int main(void)
{
    int passed = 0, failed = 0;
    for (int i = 0; i < ddb_test_count; i++) {
        int before = ddb_test_failed_checks;
        ddb_tests[i].fn();
        if (ddb_test_failed_checks == before) {
            passed++;
            printf("ok - %s\n", ddb_tests[i].name);
        } else {
            failed++;
            printf("not ok - %s\n", ddb_tests[i].name);
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

#endif
