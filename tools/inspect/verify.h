/*
 * verify.h: ddbd-inspect's index check, the comparison part.
 *
 * ddbd-inspect recomputes every index of every table from the base items
 * (the entries a correct index must hold, `want`) and reads the index
 * column family (`have`); this module compares the two entry lists, each
 * sorted by key in memcmp order, entry for entry: a key only in want is a
 * missing entry, a key only in have an extra one, a key in both with other
 * value bytes a stale entry.
 *
 * Thread safety: pure; the caller owns the arrays.
 */
#ifndef DDB_INSPECT_VERIFY_H
#define DDB_INSPECT_VERIFY_H

#include "protocol/base.h"

struct ddb_inspect_entry {
    ddb_slice key, value;
};

enum ddb_inspect_diff { DDB_DIFF_MISSING, DDB_DIFF_EXTRA, DDB_DIFF_STALE };

/* Called for each difference, in key order. */
typedef void (*ddb_inspect_report)(void *ctx, enum ddb_inspect_diff what, ddb_slice key);

/* Sorts entries by key (memcmp order, shorter first on a common prefix). */
void ddb_inspect_sort(struct ddb_inspect_entry *e, size_t n);

/* The number of differences between want[0..nw) and have[0..nh), both
 * sorted by ddb_inspect_sort; report (may be NULL) hears each. */
size_t ddb_inspect_compare(const struct ddb_inspect_entry *want, size_t nw,
                           const struct ddb_inspect_entry *have, size_t nh,
                           ddb_inspect_report report, void *ctx);

#endif
