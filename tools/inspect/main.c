/*
 * ddbd-inspect: checks a ddbd data folder.
 *
 *   ddbd-inspect DATA_DIR --verify-indexes
 *
 * Opens the folder read-only (RocksDB's read-only mode: it sees what was
 * written when it opened; stop the server for a settled answer), recomputes
 * every secondary index of every table from the table's items
 * (storage/index.h: entry key and projected image; an item whose index key
 * value a write would refuse has no entry, as a backfill skips it), and
 * compares them entry for entry with the `index` column family (verify.h),
 * and each index's counters (entry count and bytes) with the recomputed
 * ones. Entries under an id that belongs to no index are reported too.
 * Prints one line per difference and a summary; exits 0 when everything
 * matches, 1 on any difference, 2 on usage or I/O errors. An index still
 * CREATING is skipped (its backfill resumes when the server starts).
 *
 * Memory: the entries of one index are held at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/catalog.h"
#include "storage/index.h"
#include "storage/itemcodec.h"
#include "storage/keycodec.h"
#include "verify.h"

struct list {
    struct ddb_inspect_entry *e;
    size_t n, cap;
};

static void push(struct list *l, struct ddb_arena *a, ddb_slice k, ddb_slice v)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 1024;
        l->e = realloc(l->e, l->cap * sizeof *l->e);
        if (l->e == NULL)
            abort();
    }
    l->e[l->n].key = (ddb_slice){ddb_arena_memdup(a, k.ptr, k.len), k.len};
    l->e[l->n].value = (ddb_slice){ddb_arena_memdup(a, v.ptr, v.len), v.len};
    l->n++;
}

struct report_ctx {
    const struct ddb_table *t;
    const struct ddb_index_def *x;
};

static void report(void *ctx, enum ddb_inspect_diff what, ddb_slice key)
{
    struct report_ctx *r = ctx;
    static const char *names[] = {"missing", "extra", "stale"};
    printf("table %.*s index %.*s: %s entry, key ", (int)r->t->def.name.len, r->t->def.name.ptr,
           (int)r->x->name.len, r->x->name.ptr, names[what]);
    for (size_t i = 0; i < key.len; i++)
        printf("%02x", (unsigned char)key.ptr[i]);
    printf("\n");
}

static void id_range(uint64_t id, char lo[8], char hi[8])
{
    for (int k = 0; k < 8; k++) {
        lo[k] = (char)(id >> (56 - 8 * k));
        hi[k] = (char)((id + 1) >> (56 - 8 * k));
    }
}

/* Returns the number of differences of one index, or -1 on I/O errors. */
static long verify_index(struct ddb_engine *e, struct ddb_catalog *c, const struct ddb_table *t,
                         const struct ddb_index_def *x)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct list want = {0}, have = {0};
    struct ddb_error err = {0};
    long rc = -1;
    int64_t want_count = 0, want_bytes = 0;
    char lo[8], hi[8];

    id_range(t->id, lo, hi);
    struct ddb_iter *it = ddb_iter_new(e, DDB_CF_ITEMS, ddb_slice_make(lo, 8), ddb_slice_make(hi, 8));
    for (ddb_iter_seek_first(it); ddb_iter_valid(it); ddb_iter_next(it)) {
        ddb_slice v = ddb_iter_value(it);
        char *copy = ddb_arena_memdup(&a, v.ptr, v.len);
        struct ddb_item item;
        if (ddb_itemcodec_decode(&a, copy, v.len, &item, &err) != 0) {
            fprintf(stderr, "ddbd-inspect: table %.*s: %s\n", (int)t->def.name.len,
                    t->def.name.ptr, err.message);
            ddb_iter_free(it);
            goto out;
        }
        struct ddb_buf k, val;
        ddb_buf_init(&k, &a);
        ddb_buf_init(&val, &a);
        if (!ddb_index_entry_key(&k, &t->def, x, &item))
            continue;
        struct ddb_item p;
        ddb_index_project(&a, &t->def, x, &item, &p);
        if (ddb_itemcodec_encode(&val, &p, &err) != 0) {
            ddb_iter_free(it);
            goto out;
        }
        want_count++;
        want_bytes += (int64_t)ddb_item_size(&p);
        push(&want, &a, ddb_buf_slice(&k), ddb_buf_slice(&val));
    }
    int st = ddb_iter_status(it, &a, &err);
    ddb_iter_free(it);
    if (st != 0)
        goto out;

    id_range(x->id, lo, hi);
    it = ddb_iter_new(e, DDB_CF_INDEX, ddb_slice_make(lo, 8), ddb_slice_make(hi, 8));
    for (ddb_iter_seek_first(it); ddb_iter_valid(it); ddb_iter_next(it))
        push(&have, &a, ddb_iter_key(it), ddb_iter_value(it));
    st = ddb_iter_status(it, &a, &err);
    ddb_iter_free(it);
    if (st != 0)
        goto out;

    ddb_inspect_sort(want.e, want.n);
    struct report_ctx rctx = {t, x};
    long diffs = (long)ddb_inspect_compare(want.e, want.n, have.e, have.n, report, &rctx);
    int64_t count = 0, bytes = 0;
    if (ddb_catalog_index_stats(c, x->id, &count, &bytes, &err) != 0)
        goto out;
    if (count != want_count || bytes != want_bytes) {
        printf("table %.*s index %.*s: counters say %lld entries, %lld bytes; recomputed %lld, "
               "%lld\n",
               (int)t->def.name.len, t->def.name.ptr, (int)x->name.len, x->name.ptr,
               (long long)count, (long long)bytes, (long long)want_count,
               (long long)want_bytes);
        diffs++;
    }
    printf("table %.*s index %.*s: %zu entries, %ld difference%s\n", (int)t->def.name.len,
           t->def.name.ptr, (int)x->name.len, x->name.ptr, want.n, diffs, diffs == 1 ? "" : "s");
    rc = diffs;
out:
    if (rc < 0 && err.message != NULL)
        fprintf(stderr, "ddbd-inspect: %s\n", err.message);
    free(want.e);
    free(have.e);
    ddb_arena_release(&a);
    return rc;
}

static bool id_live(const uint64_t *ids, size_t n, uint64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

int main(int argc, char **argv)
{
    if (argc != 3 || strcmp(argv[2], "--verify-indexes") != 0) {
        fprintf(stderr, "usage: ddbd-inspect DATA_DIR --verify-indexes\n");
        return 2;
    }
    struct ddb_engine_options eo = {.data_dir = argv[1], .read_only = true};
    struct ddb_engine *e;
    struct ddb_catalog *c;
    struct ddb_error err = {0};
    if (ddb_engine_open(&eo, &e, &err) != 0) {
        fprintf(stderr, "ddbd-inspect: %s\n", err.message ? err.message : "cannot open");
        return 2;
    }
    if (ddb_catalog_open(e, &c, &err) != 0) {
        fprintf(stderr, "ddbd-inspect: %s\n", err.message ? err.message : "bad catalog");
        ddb_engine_close(e);
        return 2;
    }
    struct ddb_arena a;
    ddb_arena_init(&a);
    long diffs = 0;
    int status = 0;
    size_t nids = 0, cap = 64;
    uint64_t *ids = malloc(cap * sizeof *ids);
    ddb_slice start = {NULL, 0};
    for (;;) {
        ddb_slice *names;
        uint32_t n;
        bool more;
        if (ddb_catalog_list(c, &a, start, 100, &names, &n, &more) != 0)
            break;
        for (uint32_t i = 0; i < n; i++) {
            struct ddb_table *t = ddb_catalog_get(c, names[i]);
            if (t == NULL)
                continue;
            for (uint32_t k = 0; k < t->def.index_count; k++) {
                const struct ddb_index_def *x = &t->def.indexes[k];
                if (nids == cap) {
                    cap *= 2;
                    ids = realloc(ids, cap * sizeof *ids);
                }
                if (ids == NULL)
                    abort();
                ids[nids++] = x->id;
                if (x->status == DDB_INDEX_CREATING) {
                    printf("table %.*s index %.*s: CREATING, skipped\n", (int)t->def.name.len,
                           t->def.name.ptr, (int)x->name.len, x->name.ptr);
                    continue;
                }
                long d = verify_index(e, c, t, x);
                if (d < 0)
                    status = 2;
                else
                    diffs += d;
            }
            ddb_table_unref(t);
        }
        if (!more || n == 0)
            break;
        start = names[n - 1];
    }
    /* entries under ids that belong to no index */
    struct ddb_iter *it = ddb_iter_new(e, DDB_CF_INDEX, (ddb_slice){NULL, 0}, (ddb_slice){NULL, 0});
    for (ddb_iter_seek_first(it); ddb_iter_valid(it); ddb_iter_next(it)) {
        ddb_slice k = ddb_iter_key(it);
        uint64_t id = 0;
        for (size_t i = 0; i < 8 && i < k.len; i++)
            id = (id << 8) | (unsigned char)k.ptr[i];
        if (!id_live(ids, nids, id)) {
            printf("index id %llu: entry of no index\n", (unsigned long long)id);
            diffs++;
        }
    }
    ddb_iter_free(it);
    printf("%ld difference%s\n", diffs, diffs == 1 ? "" : "s");
    free(ids);
    ddb_arena_release(&a);
    ddb_catalog_close(c);
    ddb_engine_close(e);
    if (status != 0)
        return status;
    return diffs == 0 ? 0 : 1;
}
