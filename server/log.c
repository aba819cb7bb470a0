#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

enum ddb_log_level ddb_log_level_current = DDB_LOG_INFO;

void ddb_log_set_level(enum ddb_log_level level)
{
    ddb_log_level_current = level;
}

const char *ddb_log_level_name(enum ddb_log_level level)
{
    switch (level) {
    case DDB_LOG_ERROR:
        return "error";
    case DDB_LOG_WARN:
        return "warn";
    case DDB_LOG_INFO:
        return "info";
    case DDB_LOG_DEBUG:
        return "debug";
    }
    return "?";
}

void ddb_log(enum ddb_log_level level, const char *fmt, ...)
{
    if (!ddb_log_enabled(level))
        return;
    char line[4096 + 64];
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    int n = snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ %-5s ",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec, (int)(tv.tv_usec / 1000), ddb_log_level_name(level));
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
    if (len > sizeof line - 2)
        len = sizeof line - 2; /* truncated */
    line[len++] = '\n';
    /* One write per line: stderr lines from different threads stay whole. */
    ssize_t w = write(STDERR_FILENO, line, len);
    (void)w;
}
