/*
 * base64.c: strict standard base64 (see base64.h for the rules and why).
 */
#include "base64.h"

static const char enc_alphabet[64] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* 0..63, or -1 for anything else (including '='). */
static int dec_char(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

size_t ddb_base64_encode(const void *in, size_t n, char *out)
{
    const unsigned char *s = in;
    char *o = out;
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
        *o++ = enc_alphabet[v >> 18];
        *o++ = enc_alphabet[(v >> 12) & 63];
        *o++ = enc_alphabet[(v >> 6) & 63];
        *o++ = enc_alphabet[v & 63];
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)s[i] << 16;
        *o++ = enc_alphabet[v >> 18];
        *o++ = enc_alphabet[(v >> 12) & 63];
        *o++ = '=';
        *o++ = '=';
    } else if (n - i == 2) {
        uint32_t v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8;
        *o++ = enc_alphabet[v >> 18];
        *o++ = enc_alphabet[(v >> 12) & 63];
        *o++ = enc_alphabet[(v >> 6) & 63];
        *o++ = '=';
    }
    return (size_t)(o - out);
}

/* The character for an error message: printable ASCII as itself, else \uXXXX
 * of the byte (the service would show the UTF-16 unit; close enough). */
static int bad_char(struct ddb_error *err, struct ddb_arena *a, unsigned char c)
{
    if (c >= 0x20 && c < 0x7f)
        return ddb_error_set(err, a, DDB_ERR_SERIALIZATION, "Invalid Base64 character: '%c'", c);
    return ddb_error_set(err, a, DDB_ERR_SERIALIZATION, "Invalid Base64 character: '\\u%04x'", c);
}

int ddb_base64_decode(struct ddb_arena *a, const char *p, size_t n, ddb_slice *out,
                      struct ddb_error *err)
{
    const unsigned char *s = (const unsigned char *)p;
    if (n % 4 != 0)
        return ddb_error_set(err, a, DDB_ERR_SERIALIZATION,
                             "Base64 encoded length is expected a multiple of 4 bytes but found: %zu",
                             n);
    size_t body = n;
    int pad = 0;
    while (pad < 2 && body > 0 && s[body - 1] == '=') {
        body--;
        pad++;
    }
    /* The service checks the character before the padding first: its unused
     * low bits must be zero (4 of them before "==", 2 before "="). */
    if (pad > 0 && body > 0) {
        int v = dec_char(s[body - 1]);
        int mask = pad == 2 ? 15 : 3;
        if (v < 0 || (v & mask) != 0)
            return ddb_error_set(err, NULL, DDB_ERR_SERIALIZATION,
                                 "Invalid last non-pad Base64 character dectected");
    }
    for (size_t i = 0; i < body; i++) {
        if (dec_char(s[i]) < 0)
            return bad_char(err, a, s[i]);
    }
    if (pad > 0 && body % 4 < 2) /* "A===" or "====": cannot happen past the loop above */
        return bad_char(err, a, '=');
    size_t outlen = body / 4 * 3 + (pad ? (size_t)(3 - pad) : 0);
    unsigned char *o = ddb_arena_alloc(a, outlen);
    size_t k = 0;
    size_t i = 0;
    for (; i + 4 <= body; i += 4) {
        uint32_t v = (uint32_t)dec_char(s[i]) << 18 | (uint32_t)dec_char(s[i + 1]) << 12 |
                     (uint32_t)dec_char(s[i + 2]) << 6 | (uint32_t)dec_char(s[i + 3]);
        o[k++] = (unsigned char)(v >> 16);
        o[k++] = (unsigned char)(v >> 8);
        o[k++] = (unsigned char)v;
    }
    if (pad == 2) {
        uint32_t v = (uint32_t)dec_char(s[i]) << 18 | (uint32_t)dec_char(s[i + 1]) << 12;
        o[k++] = (unsigned char)(v >> 16);
    } else if (pad == 1) {
        uint32_t v = (uint32_t)dec_char(s[i]) << 18 | (uint32_t)dec_char(s[i + 1]) << 12 |
                     (uint32_t)dec_char(s[i + 2]) << 6;
        o[k++] = (unsigned char)(v >> 16);
        o[k++] = (unsigned char)(v >> 8);
    }
    out->ptr = (const char *)o;
    out->len = k;
    return 0;
}
