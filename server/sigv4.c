#include "sigv4.h"

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

static ddb_slice trim(const char *p, const char *end)
{
    while (p < end && is_space(*p))
        p++;
    while (end > p && is_space(end[-1]))
        end--;
    return ddb_slice_make(p, (size_t)(end - p));
}

static const char *find(const char *p, const char *end, char c)
{
    const void *q = memchr(p, c, (size_t)(end - p));
    return q ? q : end;
}

/* Splits the Credential into its five parts; false unless exactly five,
 * all non-empty. */
static bool split_credential(ddb_slice cred, struct ddb_sigv4 *out)
{
    ddb_slice *parts[5] = {&out->access_key_id, &out->date, &out->region, &out->service,
                           &out->terminator};
    const char *p = cred.ptr, *end = cred.ptr + cred.len;
    for (int i = 0; i < 5; i++) {
        const char *slash = find(p, end, '/');
        if (slash == p)
            return false;
        *parts[i] = ddb_slice_make(p, (size_t)(slash - p));
        if (i < 4) {
            if (slash == end)
                return false;
            p = slash + 1;
        } else if (slash != end) {
            return false;
        }
    }
    return true;
}

int ddb_sigv4_parse(ddb_slice header, bool has_date, struct ddb_arena *a,
                    struct ddb_sigv4 *out, struct ddb_error *err)
{
    struct ddb_sigv4 s = {0};
    if (header.len > DDB_SIGV4_MAX_HEADER)
        return ddb_error_set(err, NULL, DDB_ERR_INCOMPLETE_SIGNATURE,
                             "Authorization header too long");
    ddb_slice h = trim(header.ptr, header.ptr + header.len);
    const char *p = h.ptr, *end = h.ptr + h.len;
    if (h.len < 5 || memcmp(p, "AWS4-", 5) != 0)
        return ddb_error_set(err, NULL, DDB_ERR_MISSING_AUTH_TOKEN,
                             "Request is missing Authentication Token");
    int hl = (int)h.len;

    const char *alg_end = p;
    while (alg_end < end && !is_space(*alg_end) && *alg_end != ',')
        alg_end++;
    s.algorithm = ddb_slice_make(p, (size_t)(alg_end - p));

    bool have_cred = false, have_sig = false, have_signed = false;
    for (p = alg_end; p < end;) {
        const char *comma = find(p, end, ',');
        ddb_slice param = trim(p, comma);
        p = comma < end ? comma + 1 : end;
        if (param.len == 0)
            continue;
        const char *eq = find(param.ptr, param.ptr + param.len, '=');
        if (eq == param.ptr + param.len)
            return ddb_error_set(err, a, DDB_ERR_INCOMPLETE_SIGNATURE,
                                 "'%.*s' not a valid key=value pair (missing equal-sign) in "
                                 "Authorization header: '%.*s'.",
                                 (int)param.len, param.ptr, hl, h.ptr);
        ddb_slice key = ddb_slice_make(param.ptr, (size_t)(eq - param.ptr));
        ddb_slice value = ddb_slice_make(eq + 1, (size_t)(param.ptr + param.len - eq - 1));
        if (ddb_slice_eq_cstr(key, "Credential")) {
            s.credential = value;
            have_cred = value.len > 0;
        } else if (ddb_slice_eq_cstr(key, "Signature")) {
            s.signature = value;
            have_sig = value.len > 0;
        } else if (ddb_slice_eq_cstr(key, "SignedHeaders")) {
            s.signed_headers = value;
            have_signed = true;
        }
    }

    if (!have_cred || !have_sig || !have_signed || !has_date)
        return ddb_error_set(err, a, DDB_ERR_INCOMPLETE_SIGNATURE, "%s%s%s%sAuthorization=%.*s",
                             have_cred ? "" : "Authorization header requires 'Credential' parameter. ",
                             have_sig ? "" : "Authorization header requires 'Signature' parameter. ",
                             have_signed ? "" : "Authorization header requires 'SignedHeaders' parameter. ",
                             has_date ? "" : "Authorization header requires existence of either a "
                                             "'X-Amz-Date' or a 'Date' header. ",
                             hl, h.ptr);

    if (!ddb_slice_eq_cstr(s.algorithm, "AWS4-HMAC-SHA256"))
        return ddb_error_set(err, a, DDB_ERR_INCOMPLETE_SIGNATURE,
                             "Unsupported AWS 'algorithm': '%.*s' (only AWS4-HMAC-SHA256 for now). ",
                             (int)s.algorithm.len, s.algorithm.ptr);

    while (s.credential.len > 0 && s.credential.ptr[s.credential.len - 1] == '/')
        s.credential.len--;
    if (!split_credential(s.credential, &s))
        return ddb_error_set(err, a, DDB_ERR_INCOMPLETE_SIGNATURE,
                             "Credential must have exactly 5 slash-delimited elements, e.g. "
                             "keyid/date/region/service/term, got '%.*s'",
                             (int)s.credential.len, s.credential.ptr);
    *out = s;
    return 0;
}
