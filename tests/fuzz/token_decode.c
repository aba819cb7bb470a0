/*
 * token_decode: storage/tokens.c's decoders of what the meta family holds for
 * ClientRequestTokens, on arbitrary bytes: the record (value of "R" <token>)
 * and the expiry key ("E" <ms> <token>). The record format is canonical, so
 * an accepted record must encode back to exactly the input; likewise an
 * accepted expiry key.
 */
#include <stdio.h>
#include <stdlib.h>

#include "storage/tokens.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void must(int cond, const char *what)
{
    if (!cond) {
        fprintf(stderr, "token_decode: %s\n", what);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    /* a copy of exactly size bytes, so reading past the end is caught by ASan */
    char *p = malloc(size ? size : 1);
    if (p == NULL)
        abort();
    memcpy(p, data, size);
    struct ddb_tokens_record r;
    struct ddb_error err = {0};
    if (ddb_tokens_decode(&a, p, size, &r, &err) == 0) {
        struct ddb_buf b;
        ddb_buf_init(&b, &a);
        ddb_tokens_encode(&b, &r);
        must(b.len == size && memcmp(b.ptr, p, size) == 0, "record does not encode back");
    } else {
        must(err.code == DDB_ERR_INTERNAL && err.message != NULL, "refusal without a message");
    }
    int64_t ms;
    ddb_slice token;
    if (ddb_tokens_decode_expiry_key(ddb_slice_make(p, size), &ms, &token)) {
        must(ms >= 0 && token.len >= 1 && token.len <= DDB_TOKENS_MAX_LEN, "bad expiry fields");
        struct ddb_buf b;
        ddb_buf_init(&b, &a);
        ddb_tokens_expiry_key(&b, ms, token);
        must(b.len == size && memcmp(b.ptr, p, size) == 0, "expiry key does not encode back");
    }
    free(p);
    ddb_arena_release(&a);
    return 0;
}
