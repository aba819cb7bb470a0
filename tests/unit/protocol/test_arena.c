#include "harness.h"
#include "protocol/arena.h"
#include "protocol/buf.h"
#include "protocol/error.h"

TEST(arena_alignment_and_growth)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    for (int i = 1; i < 5000; i += 7) {
        char *p = ddb_arena_alloc(&a, (size_t)i);
        CHECK(((uintptr_t)p % 16) == 0);
        memset(p, 0xab, (size_t)i);
    }
    char *big = ddb_arena_alloc(&a, 3u * 1024 * 1024);
    memset(big, 1, 3u * 1024 * 1024);
    ddb_arena_reset(&a);
    CHECK(ddb_arena_alloc(&a, 10) != NULL);
    ddb_arena_release(&a);
}

TEST(arena_strings)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    CHECK_EQ_STR(ddb_arena_memdup(&a, "abc", 2), "ab");
    CHECK_EQ_STR(ddb_arena_printf(&a, "%d-%s", 42, "x"), "42-x");
    ddb_arena_release(&a);
}

TEST(buf_grows_and_stays_terminated)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_buf b;
    ddb_buf_init(&b, &a);
    for (int i = 0; i < 1000; i++)
        ddb_buf_printf(&b, "%d,", i % 10);
    CHECK_EQ_INT(b.len, 2000);
    CHECK_EQ_INT(b.ptr[b.len], 0);
    ddb_buf_clear(&b);
    ddb_buf_puts(&b, "x");
    CHECK_EQ_STR(b.ptr, "x");
    ddb_arena_release(&a);
}

TEST(error_catalogue)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_error e;
    CHECK_EQ_INT(ddb_error_set(&e, &a, DDB_ERR_RESOURCE_NOT_FOUND, "Requested resource not found: Table: %s not found", "t"), -1);
    CHECK_EQ_STR(e.message, "Requested resource not found: Table: t not found");
    CHECK_EQ_STR(ddb_error_name(e.code), "ResourceNotFoundException");
    CHECK_EQ_INT(ddb_error_status(DDB_ERR_INTERNAL), 500);
    CHECK_EQ_STR(ddb_error_type(DDB_ERR_UNKNOWN_OPERATION), "com.amazon.coral.service#UnknownOperationException");
    ddb_arena_release(&a);
}
