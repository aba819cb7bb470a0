/*
 * http_head: the raw request-head scanner on arbitrary bytes (copied into a
 * buffer of exactly that size so ASan sees any over-read). On success the
 * head must end inside the input with an LF preceded by an empty line, and
 * the conflict rule must agree with the counts. abort() otherwise.
 */
#include <stdlib.h>
#include <string.h>

#include "server/http_head.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *b = malloc(size ? size : 1);
    if (b == NULL)
        abort();
    memcpy(b, data, size);
    struct ddb_http_head h;
    if (ddb_http_head_scan(b, size, &h) == 0) {
        if (h.len == 0 || h.len > size || b[h.len - 1] != '\n')
            abort();
        if (h.len < 2 || (b[h.len - 2] != '\n' && !(b[h.len - 2] == '\r' && h.len >= 3 &&
                                                     b[h.len - 3] == '\n')))
            abort();
        const char *why = ddb_http_head_conflict(&h);
        bool bad = h.content_lengths > 1 || h.transfer_encodings > 1 || h.folded ||
                   (h.content_lengths > 0 && h.transfer_encodings > 0);
        if ((why != NULL) != bad)
            abort();
        if (h.content_lengths == 0 && h.content_length != UINT64_MAX)
            abort();
    }
    free(b);
    return 0;
}
