/*
 * sigv4.h: the AWS Signature Version 4 Authorization header, parsed.
 *
 *   AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/dynamodb/aws4_request,
 *       SignedHeaders=content-type;host;x-amz-date, Signature=0123abcd...
 *
 * Parsing only: the signature is not verified here (verification, once
 * credentials are configured, is a later module). The checks and their order
 * follow DynamoDB's front end:
 *   1. a header that does not start with "AWS4-" is no SigV4 header at all:
 *      MISSING_AUTH_TOKEN "Request is missing Authentication Token";
 *   2. a parameter without '=':  INCOMPLETE_SIGNATURE
 *      "'<param>' not a valid key=value pair (missing equal-sign) in
 *       Authorization header: '<header>'.";
 *   3. Credential, Signature or SignedHeaders missing (Credential and
 *      Signature also when empty), or the request has neither X-Amz-Date nor
 *      Date: INCOMPLETE_SIGNATURE, one sentence per problem, then
 *      "Authorization=<header>";
 *   4. an algorithm other than AWS4-HMAC-SHA256: INCOMPLETE_SIGNATURE
 *      "Unsupported AWS 'algorithm': '<alg>' (only AWS4-HMAC-SHA256 for now). ";
 *   5. a Credential (trailing slashes ignored) that is not five non-empty
 *      slash-separated parts: INCOMPLETE_SIGNATURE "Credential must have
 *      exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term,
 *      got '<credential>'".
 * Parameters are separated by ',' with optional spaces; unknown parameters
 * are ignored and a repeated one keeps its last value.
 *
 * Lifetime: the slices in struct ddb_sigv4 point into the header bytes; error
 * messages are allocated from the arena.
 * Thread safety: pure; no global state.
 */
#ifndef DDB_SIGV4_H
#define DDB_SIGV4_H

#include "protocol/error.h"

/* The longest Authorization header we parse (longer answers
 * INCOMPLETE_SIGNATURE "Authorization header too long"). */
#define DDB_SIGV4_MAX_HEADER 8192

struct ddb_sigv4 {
    ddb_slice algorithm;      /* "AWS4-HMAC-SHA256" */
    ddb_slice credential;     /* the whole Credential value, trailing '/' removed */
    ddb_slice access_key_id;  /* credential part 1 */
    ddb_slice date;           /* part 2, YYYYMMDD (not checked here) */
    ddb_slice region;         /* part 3 */
    ddb_slice service;        /* part 4, "dynamodb" */
    ddb_slice terminator;     /* part 5, "aws4_request" */
    ddb_slice signed_headers; /* "content-type;host;..." (may be empty) */
    ddb_slice signature;      /* hex digits (not checked here) */
};

/* Parses the value of an Authorization header. has_date says whether the
 * request carries an X-Amz-Date or Date header. Returns 0 and fills *out, or
 * -1 with *err set as listed above (messages from arena a). */
int ddb_sigv4_parse(ddb_slice header, bool has_date, struct ddb_arena *a,
                    struct ddb_sigv4 *out, struct ddb_error *err) DDB_MUST_CHECK;

#endif
