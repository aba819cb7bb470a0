#include "verify.h"

#include <stdlib.h>

static int entry_cmp(const void *a, const void *b)
{
    const struct ddb_inspect_entry *x = a, *y = b;
    return ddb_slice_cmp(x->key, y->key);
}

void ddb_inspect_sort(struct ddb_inspect_entry *e, size_t n)
{
    if (n > 1)
        qsort(e, n, sizeof *e, entry_cmp);
}

size_t ddb_inspect_compare(const struct ddb_inspect_entry *want, size_t nw,
                           const struct ddb_inspect_entry *have, size_t nh,
                           ddb_inspect_report report, void *ctx)
{
    size_t i = 0, j = 0, diffs = 0;
    while (i < nw || j < nh) {
        int c = i == nw ? 1 : j == nh ? -1 : ddb_slice_cmp(want[i].key, have[j].key);
        enum ddb_inspect_diff what;
        ddb_slice key;
        if (c < 0) {
            what = DDB_DIFF_MISSING;
            key = want[i++].key;
        } else if (c > 0) {
            what = DDB_DIFF_EXTRA;
            key = have[j++].key;
        } else {
            bool same = ddb_slice_eq(want[i].value, have[j].value);
            key = want[i].key;
            i++;
            j++;
            if (same)
                continue;
            what = DDB_DIFF_STALE;
        }
        diffs++;
        if (report != NULL)
            report(ctx, what, key);
    }
    return diffs;
}
