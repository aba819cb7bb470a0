#include "http_head.h"

#include <string.h>

static bool name_is(const char *p, size_t n, const char *lname)
{
    size_t ln = strlen(lname);
    if (n != ln)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != lname[i])
            return false;
    }
    return true;
}

static uint64_t parse_digits(const char *p, size_t n)
{
    if (n == 0)
        return UINT64_MAX;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return UINT64_MAX;
        unsigned d = (unsigned)(p[i] - '0');
        if (v > (UINT64_MAX - 1 - d) / 10)
            return UINT64_MAX;
        v = v * 10 + d;
    }
    return v;
}

int ddb_http_head_scan(const char *buf, size_t len, struct ddb_http_head *out)
{
    *out = (struct ddb_http_head){.content_length = UINT64_MAX};
    const char *end = buf + len;
    const char *nl = memchr(buf, '\n', len);
    if (nl == NULL)
        return -1;
    const char *p = nl + 1; /* past the request line */
    bool prev_framing = false;
    for (;;) {
        nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL)
            return -1;
        const char *le = nl;
        if (le > p && le[-1] == '\r')
            le--;
        size_t n = (size_t)(le - p);
        if (n == 0) {
            out->len = (size_t)(nl + 1 - buf);
            return 0;
        }
        if (p[0] == ' ' || p[0] == '\t') { /* obs-fold: continues the previous line */
            if (prev_framing)
                out->folded = true;
        } else {
            const char *colon = memchr(p, ':', n);
            prev_framing = false;
            if (colon != NULL) {
                size_t nn = (size_t)(colon - p);
                const char *v = colon + 1;
                while (v < le && (*v == ' ' || *v == '\t'))
                    v++;
                const char *ve = le;
                while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
                    ve--;
                if (name_is(p, nn, "content-length")) {
                    if (out->content_lengths++ == 0)
                        out->content_length = parse_digits(v, (size_t)(ve - v));
                    prev_framing = true;
                } else if (name_is(p, nn, "transfer-encoding")) {
                    out->transfer_encodings++;
                    prev_framing = true;
                }
            }
        }
        p = nl + 1;
    }
}

const char *ddb_http_head_conflict(const struct ddb_http_head *h)
{
    if (h->content_lengths > 1)
        return "more than one Content-Length";
    if (h->content_lengths > 0 && h->transfer_encodings > 0)
        return "Content-Length with Transfer-Encoding";
    if (h->transfer_encodings > 1)
        return "more than one Transfer-Encoding";
    if (h->folded)
        return "a folded Content-Length or Transfer-Encoding line";
    return NULL;
}
