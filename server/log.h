/*
 * log.h: ddbd's log lines on stderr.
 *
 * One line per call, written with a single write(2) so lines from different
 * threads never interleave: "2026-11-21T07:22:03.123Z info  <message>".
 * Lines above the configured level are dropped before any formatting.
 *
 * Thread safety: ddb_log_set_level() is called once by main() before the
 * threads start; ddb_log() may be called from any thread.
 */
#ifndef DDB_LOG_H
#define DDB_LOG_H

#include "server.h"

void ddb_log_set_level(enum ddb_log_level level);

/* Formats and writes one line (a trailing newline is added; the message is
 * truncated at 4 KiB). */
void ddb_log(enum ddb_log_level level, const char *fmt, ...) DDB_PRINTF(2, 3);

/* The name of a level as --log-level spells it ("error", "warn", ...). */
const char *ddb_log_level_name(enum ddb_log_level level);

/* The current level (read-only after start-up; use ddb_log_enabled()). */
extern enum ddb_log_level ddb_log_level_current;

/* Whether a line at this level would be written (to skip costly arguments). */
static inline bool ddb_log_enabled(enum ddb_log_level level)
{
    return level <= ddb_log_level_current;
}

#endif
