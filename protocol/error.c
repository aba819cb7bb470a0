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
    char *m = ddb_arena_vprintf(a, fmt, ap);
    va_end(ap);
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
