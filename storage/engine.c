/* engine.c: the only file that includes rocksdb/c.h. See engine.h. */
#include "engine.h"

#include <errno.h>
#include <pthread.h>
#include <rocksdb/c.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "protocol/limits.h"

static const char *const cf_names[DDB_CF__COUNT] = {
    [DDB_CF_META] = "meta",
    [DDB_CF_ITEMS] = "items",
    [DDB_CF_INDEX] = "index",
    [DDB_CF_STREAM] = "stream",
    [DDB_CF_TTL] = "ttl",
};

struct ddb_engine {
    rocksdb_t *db;
    rocksdb_options_t *db_opts;
    rocksdb_options_t *cf_opts[DDB_CF__COUNT + 1];
    rocksdb_column_family_handle_t *cf[DDB_CF__COUNT + 1]; /* [DDB_CF__COUNT] = default */
    rocksdb_mergeoperator_t *counter_merge;
    rocksdb_env_t *mem_env;
    rocksdb_cache_t *cache;
    rocksdb_block_based_table_options_t *table_opts;
    rocksdb_writeoptions_t *wopts;
    rocksdb_readoptions_t *ropts;
    pthread_mutex_t stripes[DDB_LOCK_STRIPES];
};

struct ddb_batch {
    rocksdb_writebatch_t *wb;
    struct ddb_engine *e;
};

struct ddb_iter {
    rocksdb_iterator_t *it;
    rocksdb_readoptions_t *ropts;
    const rocksdb_snapshot_t *snap;
    struct ddb_engine *e;
    char *lower, *upper;
};

/* ---- the counter merge operator: values are two little-endian int64 ---- */

#define COUNTER_LEN 16

static void counter_decode(const char *p, size_t n, int64_t *c0, int64_t *c1)
{
    /* bytes from disk are untrusted: anything but 16 bytes counts as zero */
    *c0 = 0;
    *c1 = 0;
    if (p == NULL || n != COUNTER_LEN)
        return;
    uint64_t a = 0, b = 0;
    for (int i = 7; i >= 0; i--) {
        a = (a << 8) | (unsigned char)p[i];
        b = (b << 8) | (unsigned char)p[8 + i];
    }
    *c0 = (int64_t)a;
    *c1 = (int64_t)b;
}

static void counter_encode(char *p, int64_t c0, int64_t c1)
{
    uint64_t a = (uint64_t)c0, b = (uint64_t)c1;
    for (int i = 0; i < 8; i++) {
        p[i] = (char)(a >> (8 * i));
        p[8 + i] = (char)(b >> (8 * i));
    }
}

static char *counter_sum(const char *existing, size_t existing_len, const char *const *ops,
                         const size_t *ops_len, int n, unsigned char *success, size_t *out_len)
{
    int64_t s0, s1;
    counter_decode(existing, existing_len, &s0, &s1);
    for (int i = 0; i < n; i++) {
        int64_t d0, d1;
        counter_decode(ops[i], ops_len[i], &d0, &d1);
        s0 = (int64_t)((uint64_t)s0 + (uint64_t)d0);
        s1 = (int64_t)((uint64_t)s1 + (uint64_t)d1);
    }
    char *out = malloc(COUNTER_LEN); /* RocksDB frees it through delete_value */
    if (out == NULL)
        abort();
    counter_encode(out, s0, s1);
    *success = 1;
    *out_len = COUNTER_LEN;
    return out;
}

static char *counter_full_merge(void *state, const char *key, size_t key_len, const char *existing,
                                size_t existing_len, const char *const *ops, const size_t *ops_len,
                                int n, unsigned char *success, size_t *out_len)
{
    (void)state;
    (void)key;
    (void)key_len;
    return counter_sum(existing, existing_len, ops, ops_len, n, success, out_len);
}

static char *counter_partial_merge(void *state, const char *key, size_t key_len,
                                   const char *const *ops, const size_t *ops_len, int n,
                                   unsigned char *success, size_t *out_len)
{
    (void)state;
    (void)key;
    (void)key_len;
    return counter_sum(NULL, 0, ops, ops_len, n, success, out_len);
}

static void counter_delete_value(void *state, const char *value, size_t len)
{
    (void)state;
    (void)len;
    free((void *)value);
}

static void counter_destroy(void *state)
{
    (void)state; /* stateless; RocksDB calls this when the last options go */
}

static const char *counter_name(void *state)
{
    (void)state;
    return "ddbd.counter.add2x64";
}

/* ---- open / close ---- */

static int fail_rocks(struct ddb_error *err, const char *what, char *rerr)
{
    /* No arena exists at open time: the message goes into a per-thread buffer
     * that lives until the next failed open on this thread. */
    static __thread char msg[512];
    snprintf(msg, sizeof msg, "%s: %s", what, rerr ? rerr : "unknown error");
    free(rerr);
    err->code = DDB_ERR_INTERNAL;
    err->message = msg;
    err->item = NULL;
    return -1;
}

static int make_dirs(const char *path)
{
    char tmp[4096];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof tmp)
        return -1;
    memcpy(tmp, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (tmp[i] == '/' || tmp[i] == '\0') {
            char c = tmp[i];
            tmp[i] = '\0';
            if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
                return -1;
            tmp[i] = c;
        }
    }
    return 0;
}

int ddb_engine_open(const struct ddb_engine_options *opts, struct ddb_engine **out,
                    struct ddb_error *err)
{
    struct ddb_engine *e = calloc(1, sizeof *e);
    if (e == NULL)
        abort();
    char *rerr = NULL;
    const char *path = opts->in_memory ? "/ddbd-memory" : opts->data_dir;

    if (!opts->in_memory && make_dirs(path) != 0) {
        free(e);
        return fail_rocks(err, "cannot create the data folder", strdup(strerror(errno)));
    }

    e->cache = rocksdb_cache_create_lru(64u * 1024 * 1024);
    e->table_opts = rocksdb_block_based_options_create();
    rocksdb_block_based_options_set_block_cache(e->table_opts, e->cache);
    rocksdb_block_based_options_set_cache_index_and_filter_blocks(e->table_opts, 1);
    rocksdb_block_based_options_set_filter_policy(e->table_opts,
                                                  rocksdb_filterpolicy_create_bloom_full(10));

    e->db_opts = rocksdb_options_create();
    rocksdb_options_set_create_if_missing(e->db_opts, 1);
    rocksdb_options_set_create_missing_column_families(e->db_opts, 1);
    rocksdb_options_set_max_background_jobs(e->db_opts, 2);
    rocksdb_options_set_keep_log_file_num(e->db_opts, 2);
    rocksdb_options_set_max_log_file_size(e->db_opts, 1024 * 1024);
    if (opts->in_memory) {
        e->mem_env = rocksdb_create_mem_env();
        rocksdb_options_set_env(e->db_opts, e->mem_env);
    }

    const char *names[DDB_CF__COUNT + 1];
    const rocksdb_options_t *cfo[DDB_CF__COUNT + 1];
    for (int i = 0; i <= DDB_CF__COUNT; i++) {
        e->cf_opts[i] = rocksdb_options_create_copy(e->db_opts);
        rocksdb_options_set_block_based_table_factory(e->cf_opts[i], e->table_opts);
        /* small memtables: idle memory matters more than bulk-load speed */
        rocksdb_options_set_write_buffer_size(e->cf_opts[i],
                                              i == DDB_CF_ITEMS ? 32u << 20 : 4u << 20);
        names[i] = i < DDB_CF__COUNT ? cf_names[i] : "default";
        cfo[i] = e->cf_opts[i];
    }
    e->counter_merge = rocksdb_mergeoperator_create(NULL, counter_destroy, counter_full_merge,
                                                    counter_partial_merge, counter_delete_value,
                                                    counter_name);
    rocksdb_options_set_merge_operator(e->cf_opts[DDB_CF_META], e->counter_merge);

    e->db = rocksdb_open_column_families(e->db_opts, path, DDB_CF__COUNT + 1, names, cfo, e->cf,
                                         &rerr);
    if (rerr != NULL) {
        ddb_engine_close(e);
        return fail_rocks(err, "cannot open the database", rerr);
    }
    e->wopts = rocksdb_writeoptions_create();
    rocksdb_writeoptions_set_sync(e->wopts, opts->sync ? 1 : 0);
    e->ropts = rocksdb_readoptions_create();
    for (int i = 0; i < DDB_LOCK_STRIPES; i++)
        pthread_mutex_init(&e->stripes[i], NULL);
    *out = e;
    return 0;
}

void ddb_engine_close(struct ddb_engine *e)
{
    if (e == NULL)
        return;
    if (e->db) {
        for (int i = 0; i <= DDB_CF__COUNT; i++)
            if (e->cf[i])
                rocksdb_column_family_handle_destroy(e->cf[i]);
        rocksdb_close(e->db);
        for (int i = 0; i < DDB_LOCK_STRIPES; i++)
            pthread_mutex_destroy(&e->stripes[i]);
    }
    if (e->wopts)
        rocksdb_writeoptions_destroy(e->wopts);
    if (e->ropts)
        rocksdb_readoptions_destroy(e->ropts);
    for (int i = 0; i <= DDB_CF__COUNT; i++)
        if (e->cf_opts[i])
            rocksdb_options_destroy(e->cf_opts[i]);
    /* destroying the options released the merge operator they held */
    rocksdb_options_destroy(e->db_opts);
    rocksdb_block_based_options_destroy(e->table_opts);
    rocksdb_cache_destroy(e->cache);
    if (e->mem_env)
        rocksdb_env_destroy(e->mem_env);
    free(e);
}

/* ---- reads and writes ---- */

/* RocksDB's own words go to the log line of the request (via the message);
 * without an arena the message is DynamoDB's generic one. */
static int rocks_error(struct ddb_error *err, struct ddb_arena *a, const char *what, char *rerr)
{
    if (a != NULL)
        ddb_error_set(err, a, DDB_ERR_INTERNAL, "%s: %s", what, rerr);
    else
        ddb_error_set(err, NULL, DDB_ERR_INTERNAL, "Internal server error");
    free(rerr);
    return -1;
}

static int get_with(struct ddb_engine *e, const rocksdb_readoptions_t *ro, enum ddb_cf cf,
                    ddb_slice key, struct ddb_arena *a, ddb_slice *val, struct ddb_error *err)
{
    char *rerr = NULL;
    rocksdb_pinnableslice_t *ps =
        rocksdb_get_pinned_cf(e->db, ro, e->cf[cf], key.ptr, key.len, &rerr);
    if (rerr != NULL)
        return rocks_error(err, a, "read failed", rerr);
    if (ps == NULL) {
        *val = (ddb_slice){NULL, 0};
        return 0;
    }
    size_t n;
    const char *p = rocksdb_pinnableslice_value(ps, &n);
    /* copy out before the pin is released (STYLE.md practice 6) */
    *val = (ddb_slice){ddb_arena_memdup(a, p, n), n};
    rocksdb_pinnableslice_destroy(ps);
    return 0;
}

int ddb_engine_get(struct ddb_engine *e, enum ddb_cf cf, ddb_slice key, struct ddb_arena *a,
                   ddb_slice *val, struct ddb_error *err)
{
    return get_with(e, e->ropts, cf, key, a, val, err);
}

/* ---- snapshots ---- */

struct ddb_snapshot {
    struct ddb_engine *e;
    const rocksdb_snapshot_t *snap;
    rocksdb_readoptions_t *ropts;
};

struct ddb_snapshot *ddb_snapshot_new(struct ddb_engine *e)
{
    struct ddb_snapshot *s = malloc(sizeof *s);
    if (s == NULL)
        abort();
    s->e = e;
    s->snap = rocksdb_create_snapshot(e->db);
    s->ropts = rocksdb_readoptions_create();
    rocksdb_readoptions_set_snapshot(s->ropts, s->snap);
    return s;
}

int ddb_snapshot_get(struct ddb_snapshot *s, enum ddb_cf cf, ddb_slice key, struct ddb_arena *a,
                     ddb_slice *val, struct ddb_error *err)
{
    return get_with(s->e, s->ropts, cf, key, a, val, err);
}

void ddb_snapshot_free(struct ddb_snapshot *s)
{
    if (s == NULL)
        return;
    rocksdb_readoptions_destroy(s->ropts);
    rocksdb_release_snapshot(s->e->db, s->snap);
    free(s);
}

struct ddb_batch *ddb_batch_new(struct ddb_engine *e)
{
    struct ddb_batch *b = malloc(sizeof *b);
    if (b == NULL)
        abort();
    b->wb = rocksdb_writebatch_create();
    b->e = e;
    return b;
}

void ddb_batch_put(struct ddb_batch *b, enum ddb_cf cf, ddb_slice key, ddb_slice val)
{
    rocksdb_writebatch_put_cf(b->wb, b->e->cf[cf], key.ptr, key.len, val.ptr, val.len);
}

void ddb_batch_delete(struct ddb_batch *b, enum ddb_cf cf, ddb_slice key)
{
    rocksdb_writebatch_delete_cf(b->wb, b->e->cf[cf], key.ptr, key.len);
}

void ddb_batch_delete_range(struct ddb_batch *b, enum ddb_cf cf, ddb_slice start, ddb_slice end)
{
    rocksdb_writebatch_delete_range_cf(b->wb, b->e->cf[cf], start.ptr, start.len, end.ptr,
                                       end.len);
}

void ddb_batch_add_counter(struct ddb_batch *b, ddb_slice key, int64_t d0, int64_t d1)
{
    char v[COUNTER_LEN];
    counter_encode(v, d0, d1);
    rocksdb_writebatch_merge_cf(b->wb, b->e->cf[DDB_CF_META], key.ptr, key.len, v,
                                sizeof v);
}

void ddb_batch_free(struct ddb_batch *b)
{
    if (b == NULL)
        return;
    rocksdb_writebatch_destroy(b->wb);
    free(b);
}

int ddb_engine_write(struct ddb_engine *e, struct ddb_batch *b, struct ddb_error *err)
{
    char *rerr = NULL;
    rocksdb_write(e->db, e->wopts, b->wb, &rerr);
    if (rerr != NULL)
        return rocks_error(err, NULL, "write failed", rerr);
    return 0;
}

int ddb_engine_get_counter(struct ddb_engine *e, ddb_slice key, int64_t *c0, int64_t *c1,
                           struct ddb_error *err)
{
    char *rerr = NULL;
    rocksdb_pinnableslice_t *ps =
        rocksdb_get_pinned_cf(e->db, e->ropts, e->cf[DDB_CF_META], key.ptr, key.len, &rerr);
    if (rerr != NULL)
        return rocks_error(err, NULL, "read failed", rerr);
    if (ps == NULL) {
        *c0 = *c1 = 0;
        return 0;
    }
    size_t n;
    const char *p = rocksdb_pinnableslice_value(ps, &n);
    counter_decode(p, n, c0, c1);
    rocksdb_pinnableslice_destroy(ps);
    return 0;
}

/* ---- iterators ---- */

struct ddb_iter *ddb_iter_new(struct ddb_engine *e, enum ddb_cf cf, ddb_slice lower,
                              ddb_slice upper)
{
    struct ddb_iter *it = calloc(1, sizeof *it);
    if (it == NULL)
        abort();
    it->e = e;
    it->ropts = rocksdb_readoptions_create();
    it->snap = rocksdb_create_snapshot(e->db);
    rocksdb_readoptions_set_snapshot(it->ropts, it->snap);
    if (lower.ptr != NULL) {
        it->lower = malloc(lower.len ? lower.len : 1);
        if (it->lower == NULL)
            abort();
        memcpy(it->lower, lower.ptr, lower.len);
        rocksdb_readoptions_set_iterate_lower_bound(it->ropts, it->lower, lower.len);
    }
    if (upper.ptr != NULL) {
        it->upper = malloc(upper.len ? upper.len : 1);
        if (it->upper == NULL)
            abort();
        memcpy(it->upper, upper.ptr, upper.len);
        rocksdb_readoptions_set_iterate_upper_bound(it->ropts, it->upper, upper.len);
    }
    it->it = rocksdb_create_iterator_cf(e->db, it->ropts, e->cf[cf]);
    return it;
}

void ddb_iter_seek(struct ddb_iter *it, ddb_slice key)
{
    rocksdb_iter_seek(it->it, key.ptr, key.len);
}

void ddb_iter_seek_for_prev(struct ddb_iter *it, ddb_slice key)
{
    rocksdb_iter_seek_for_prev(it->it, key.ptr, key.len);
}

void ddb_iter_seek_first(struct ddb_iter *it)
{
    rocksdb_iter_seek_to_first(it->it);
}

void ddb_iter_seek_last(struct ddb_iter *it)
{
    rocksdb_iter_seek_to_last(it->it);
}

bool ddb_iter_valid(const struct ddb_iter *it)
{
    return rocksdb_iter_valid(it->it) != 0;
}

void ddb_iter_next(struct ddb_iter *it)
{
    rocksdb_iter_next(it->it);
}

void ddb_iter_prev(struct ddb_iter *it)
{
    rocksdb_iter_prev(it->it);
}

ddb_slice ddb_iter_key(const struct ddb_iter *it)
{
    size_t n;
    const char *p = rocksdb_iter_key(it->it, &n);
    return (ddb_slice){p, n};
}

ddb_slice ddb_iter_value(const struct ddb_iter *it)
{
    size_t n;
    const char *p = rocksdb_iter_value(it->it, &n);
    return (ddb_slice){p, n};
}

int ddb_iter_status(const struct ddb_iter *it, struct ddb_arena *a, struct ddb_error *err)
{
    char *rerr = NULL;
    rocksdb_iter_get_error(it->it, &rerr);
    if (rerr != NULL)
        return rocks_error(err, a, "iteration failed", rerr);
    return 0;
}

void ddb_iter_free(struct ddb_iter *it)
{
    if (it == NULL)
        return;
    rocksdb_iter_destroy(it->it);
    rocksdb_release_snapshot(it->e->db, it->snap);
    rocksdb_readoptions_destroy(it->ropts);
    free(it->lower);
    free(it->upper);
    free(it);
}

/* ---- lock stripes ---- */

unsigned ddb_engine_stripe_of(uint64_t hash)
{
    return (unsigned)(hash % DDB_LOCK_STRIPES);
}

/* FNV-1a over the encoded key: any stable spread will do (stripes only
 * serialise writers, they are not stored). */
unsigned ddb_engine_stripe_of_key(ddb_slice key)
{
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < key.len; i++) {
        h ^= (unsigned char)key.ptr[i];
        h *= 1099511628211ull;
    }
    return ddb_engine_stripe_of(h);
}

void ddb_engine_lock_stripe(struct ddb_engine *e, unsigned stripe)
{
    pthread_mutex_lock(&e->stripes[stripe]);
}

void ddb_engine_unlock_stripe(struct ddb_engine *e, unsigned stripe)
{
    pthread_mutex_unlock(&e->stripes[stripe]);
}
