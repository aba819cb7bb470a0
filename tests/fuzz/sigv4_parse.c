/*
 * sigv4_parse: the Authorization header parser on arbitrary bytes. The first
 * byte's low bit is has_date, the rest is the header (copied into a buffer of
 * exactly that size so ASan sees any over-read). On success every slice must
 * lie inside the header and the credential parts must be non-empty and free
 * of '/'; on failure the error must be one of the two the parser documents,
 * with a message. abort() otherwise, so libFuzzer reports it.
 */
#include <stdlib.h>

#include "server/sigv4.c" /* parser only; no HTTP stack linked */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_inside(ddb_slice s, const char *h, size_t n)
{
    if (s.len == 0)
        return;
    if (s.ptr < h || s.ptr + s.len > h + n)
        abort();
}

static void check_part(ddb_slice s, const char *h, size_t n)
{
    check_inside(s, h, n);
    if (s.len == 0 || memchr(s.ptr, '/', s.len) != NULL)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    bool has_date = data[0] & 1;
    size_t n = size - 1;
    char *h = malloc(n ? n : 1);
    if (h == NULL)
        abort();
    memcpy(h, data + 1, n);

    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_sigv4 s;
    struct ddb_error err = {0};
    if (ddb_sigv4_parse(ddb_slice_make(h, n), has_date, &a, &s, &err) == 0) {
        if (!has_date || !ddb_slice_eq_cstr(s.algorithm, "AWS4-HMAC-SHA256"))
            abort();
        check_inside(s.algorithm, h, n);
        check_inside(s.credential, h, n);
        check_inside(s.signed_headers, h, n);
        check_inside(s.signature, h, n);
        if (s.signature.len == 0)
            abort();
        check_part(s.access_key_id, h, n);
        check_part(s.date, h, n);
        check_part(s.region, h, n);
        check_part(s.service, h, n);
        check_part(s.terminator, h, n);
    } else {
        if (err.code != DDB_ERR_MISSING_AUTH_TOKEN && err.code != DDB_ERR_INCOMPLETE_SIGNATURE)
            abort();
        if (err.message == NULL)
            abort();
        (void)strlen(err.message);
    }
    ddb_arena_release(&a);
    free(h);
    return 0;
}
