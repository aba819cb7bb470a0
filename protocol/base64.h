/*
 * base64.h: the base64 of B and BS values on the wire (RFC 4648 section 4,
 * standard alphabet, '=' padding).
 *
 * Decoding is strict, as DynamoDB's own deserializer is: the length must be a
 * multiple of 4, only A-Z a-z 0-9 + / appear before at most two '=' at the
 * end, and the unused low bits of the last character before the padding must
 * be zero (so every byte string has exactly one accepted encoding). No
 * whitespace, no URL-safe alphabet, no missing padding. Failures are
 * DDB_ERR_SERIALIZATION with DynamoDB's messages (protocol/MESSAGES-values.md):
 *   "Base64 encoded length is expected a multiple of 4 bytes but found: 5"
 *   "Invalid last non-pad Base64 character dectected"   (sic)
 *   "Invalid Base64 character: '*'"                     (wording unverified)
 * DynamoDB Local 3.3.1 is laxer (it trims bytes <= 0x20 around quads, accepts
 * non-zero trailing bits and padding in the middle) and answers a 500
 * InternalFailure to what it refuses; ddbd follows the service.
 *
 * Thread safety: pure functions.
 */
#ifndef DDB_BASE64_H
#define DDB_BASE64_H

#include "arena.h"
#include "error.h"

/* Length of the encoding of n bytes (with padding, no NUL). */
static inline size_t ddb_base64_encoded_len(size_t n)
{
    return (n + 2) / 3 * 4;
}

/* Writes the encoding of n bytes at in to out (ddb_base64_encoded_len(n)
 * bytes, no NUL); returns that length. */
size_t ddb_base64_encode(const void *in, size_t n, char *out);

/* Decodes n characters at p into bytes allocated in arena a (*out points to
 * them; out->len may be 0). On failure returns -1 with *err filled (message in
 * a) and *out untouched. */
int ddb_base64_decode(struct ddb_arena *a, const char *p, size_t n, ddb_slice *out,
                      struct ddb_error *err) DDB_MUST_CHECK;

#endif
