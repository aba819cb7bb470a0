#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *type;
    int status;
    bool retryable;
} catalogue[] = {
    [DDB_OK] = {"", 200, false},
#define DDB_ERROR(code, type, status, retryable) [DDB_ERR_##code] = {type, status, retryable},
#include "errors.def"
#undef DDB_ERROR
};

int ddb_error_set(struct ddb_error *e, struct ddb_arena *a, enum ddb_error_code code,
                  const char *fmt, ...)
{
    e->code = code;
    e->item = NULL;
    if (a == NULL) {
        e->message = fmt;
        return -1;
    }
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *m = ddb_arena_alloc(a, (size_t)(n < 0 ? 0 : n) + 1);
    if (n >= 0)
        vsnprintf(m, (size_t)n + 1, fmt, ap2);
    else
        m[0] = '\0';
    va_end(ap2);
    e->message = m;
    return -1;
}

const char *ddb_error_type(enum ddb_error_code code)
{
    return catalogue[code].type;
}

const char *ddb_error_name(enum ddb_error_code code)
{
    const char *t = catalogue[code].type;
    const char *h = strchr(t, '#');
    return h ? h + 1 : t;
}

int ddb_error_status(enum ddb_error_code code)
{
    return catalogue[code].status;
}

bool ddb_error_retryable(enum ddb_error_code code)
{
    return catalogue[code].retryable;
}
