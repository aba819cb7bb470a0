/* backfill.c: index backfill and purge jobs; the protocol is in backfill.h. */
#include "backfill.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "index.h"
#include "itemcodec.h"
#include "items.h"
#include "keycodec.h"

struct job {
    struct ddb_backfill *bf;
    bool purge;
    char *table; /* malloc'd copy */
    size_t table_len;
    uint64_t table_id, index_id;
};

struct ddb_backfill {
    struct ddb_catalog *catalog;
    unsigned pause_ms;
    _Atomic bool stop;
    pthread_mutex_t mu;
    pthread_t *threads;
    uint32_t count, cap;
};

struct ddb_backfill *ddb_backfill_new(struct ddb_catalog *c, unsigned pause_ms)
{
    struct ddb_backfill *bf = calloc(1, sizeof *bf);
    if (bf == NULL)
        abort();
    bf->catalog = c;
    bf->pause_ms = pause_ms;
    pthread_mutex_init(&bf->mu, NULL);
    return bf;
}

static int cmp_unsigned(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return x < y ? -1 : x > y;
}

int ddb_backfill_batch(struct ddb_catalog *c, struct ddb_arena *a, const struct ddb_table *t,
                       const struct ddb_index_def *x, ddb_slice after, ddb_slice *next,
                       bool *done, struct ddb_error *err)
{
    struct ddb_engine *e = ddb_catalog_engine(c);
    struct ddb_buf lo, hi;
    ddb_buf_init(&lo, a);
    ddb_buf_init(&hi, a);
    ddb_keycodec_table_prefix(&lo, t->id);
    ddb_keycodec_table_prefix(&hi, t->id);
    ddb_keycodec_prefix_end(&hi);

    /* 1. the batch's keys, from a scan (their images are re-read below) */
    ddb_slice keys[DDB_BACKFILL_BATCH];
    uint32_t n = 0;
    struct ddb_iter *it = ddb_iter_new(e, DDB_CF_ITEMS, ddb_buf_slice(&lo), ddb_buf_slice(&hi));
    if (after.ptr != NULL) {
        ddb_iter_seek(it, after);
        if (ddb_iter_valid(it) && ddb_slice_eq(ddb_iter_key(it), after))
            ddb_iter_next(it);
    } else {
        ddb_iter_seek_first(it);
    }
    for (; n < DDB_BACKFILL_BATCH && ddb_iter_valid(it); ddb_iter_next(it)) {
        ddb_slice k = ddb_iter_key(it);
        keys[n++] = (ddb_slice){ddb_arena_memdup(a, k.ptr, k.len), k.len};
    }
    bool more = ddb_iter_valid(it);
    int rc = ddb_iter_status(it, a, err);
    ddb_iter_free(it);
    if (rc != 0)
        return -1;
    *done = !more;
    if (n == 0) {
        *done = true;
        *next = after;
        return 0;
    }
    *next = keys[n - 1];

    /* 2. their stripes, ascending and each once */
    unsigned stripes[DDB_BACKFILL_BATCH];
    for (uint32_t i = 0; i < n; i++)
        stripes[i] = ddb_engine_stripe_of_key(keys[i]);
    qsort(stripes, n, sizeof *stripes, cmp_unsigned);
    uint32_t ns = 0;
    for (uint32_t i = 0; i < n; i++)
        if (ns == 0 || stripes[ns - 1] != stripes[i])
            stripes[ns++] = stripes[i];
    for (uint32_t i = 0; i < ns; i++)
        ddb_engine_lock_stripe(e, stripes[i]);

    /* 3. current images, missing entries */
    rc = -1;
    struct ddb_batch *b = ddb_batch_new(e);
    int64_t dcount = 0, dbytes = 0;
    for (uint32_t i = 0; i < n; i++) {
        ddb_slice v;
        if (ddb_engine_get(e, DDB_CF_ITEMS, keys[i], a, &v, err) != 0)
            goto out;
        if (v.ptr == NULL)
            continue; /* deleted since the scan */
        struct ddb_item item;
        if (ddb_itemcodec_decode(a, v.ptr, v.len, &item, err) != 0)
            goto out;
        struct ddb_buf ik;
        ddb_buf_init(&ik, a);
        if (!ddb_index_entry_key(&ik, &t->def, x, &item))
            continue; /* sparse, or an index key violation */
        ddb_slice have;
        if (ddb_engine_get(e, DDB_CF_INDEX, ddb_buf_slice(&ik), a, &have, err) != 0)
            goto out;
        if (have.ptr != NULL)
            continue; /* a writer put it */
        struct ddb_item p;
        ddb_index_project(a, &t->def, x, &item, &p);
        struct ddb_buf val;
        ddb_buf_init(&val, a);
        if (ddb_itemcodec_encode(&val, &p, err) != 0)
            goto out;
        ddb_batch_put(b, DDB_CF_INDEX, ddb_buf_slice(&ik), ddb_buf_slice(&val));
        dcount++;
        dbytes += (int64_t)ddb_item_size(&p);
    }
    if (dcount != 0) {
        char ck[9];
        ddb_catalog_counter_key(x->id, ck);
        ddb_batch_add_counter(b, ddb_slice_make(ck, 9), dcount, dbytes);
        if (ddb_engine_write(e, b, err) != 0)
            goto out;
    }
    rc = 0;
out:
    ddb_batch_free(b);
    for (uint32_t i = ns; i-- > 0;)
        ddb_engine_unlock_stripe(e, stripes[i]);
    return rc;
}

static const struct ddb_index_def *find_creating(const struct ddb_table *t, uint64_t index_id)
{
    for (uint32_t i = 0; i < t->def.index_count; i++)
        if (t->def.indexes[i].id == index_id && t->def.indexes[i].status == DDB_INDEX_CREATING)
            return &t->def.indexes[i];
    return NULL;
}

static void pause_ms(unsigned ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void run_backfill(struct job *j)
{
    struct ddb_backfill *bf = j->bf;
    ddb_slice name = {j->table, j->table_len};
    if (!ddb_catalog_wait_quiescent(bf->catalog, &bf->stop))
        return;
    struct ddb_arena a, keep;
    ddb_arena_init(&a);
    ddb_arena_init(&keep);
    ddb_slice after = {NULL, 0};
    struct ddb_error err = {0};
    bool done = false;
    while (!done && !atomic_load(&bf->stop)) {
        struct ddb_table *t = ddb_catalog_get(bf->catalog, name);
        const struct ddb_index_def *x =
            t != NULL && t->id == j->table_id ? find_creating(t, j->index_id) : NULL;
        if (x == NULL) { /* table or index dropped meanwhile */
            ddb_table_unref(t);
            goto out;
        }
        ddb_slice next;
        int rc = ddb_backfill_batch(bf->catalog, &a, t, x, after, &next, &done, &err);
        ddb_table_unref(t);
        if (rc != 0)
            goto out; /* I/O error: the index stays CREATING; a restart resumes it */
        ddb_arena_reset(&keep);
        after = (ddb_slice){ddb_arena_memdup(&keep, next.ptr, next.len), next.len};
        ddb_arena_reset(&a);
        if (bf->pause_ms > 0 && !done)
            pause_ms(bf->pause_ms);
    }
    if (done)
        if (ddb_catalog_index_ready(bf->catalog, &a, name, j->table_id, j->index_id, &err) != 0) {
            /* dropped meanwhile, or I/O: a restart resumes a CREATING index */
        }
out:
    ddb_arena_release(&a);
    ddb_arena_release(&keep);
}

static void *job_main(void *arg)
{
    struct job *j = arg;
    if (j->purge) {
        struct ddb_error err = {0};
        if (ddb_catalog_wait_quiescent(j->bf->catalog, &j->bf->stop))
            if (ddb_catalog_purge_index(j->bf->catalog, j->index_id, &err) != 0) {
                /* leftovers stay under a dead id: invisible, ddbd-inspect reports them */
            }
    } else {
        run_backfill(j);
    }
    free(j->table);
    free(j);
    return NULL;
}

static void spawn(struct ddb_backfill *bf, struct job *j)
{
    pthread_mutex_lock(&bf->mu);
    if (bf->count == bf->cap) {
        bf->cap = bf->cap ? bf->cap * 2 : 8;
        bf->threads = realloc(bf->threads, bf->cap * sizeof *bf->threads);
        if (bf->threads == NULL)
            abort();
    }
    if (pthread_create(&bf->threads[bf->count], NULL, job_main, j) != 0)
        abort();
    bf->count++;
    pthread_mutex_unlock(&bf->mu);
}

static struct job *job_new(struct ddb_backfill *bf, ddb_slice table)
{
    struct job *j = calloc(1, sizeof *j);
    if (j == NULL)
        abort();
    j->bf = bf;
    j->table = malloc(table.len + 1);
    if (j->table == NULL)
        abort();
    memcpy(j->table, table.ptr, table.len);
    j->table[table.len] = '\0';
    j->table_len = table.len;
    return j;
}

void ddb_backfill_start(struct ddb_backfill *bf, ddb_slice table, uint64_t table_id,
                        uint64_t index_id)
{
    struct job *j = job_new(bf, table);
    j->table_id = table_id;
    j->index_id = index_id;
    spawn(bf, j);
}

void ddb_backfill_purge(struct ddb_backfill *bf, uint64_t index_id)
{
    struct job *j = job_new(bf, (ddb_slice){"", 0});
    j->purge = true;
    j->index_id = index_id;
    spawn(bf, j);
}

void ddb_backfill_resume(struct ddb_backfill *bf)
{
    struct ddb_arena a;
    ddb_arena_init(&a);
    ddb_slice start = {NULL, 0};
    for (;;) {
        ddb_slice *names;
        uint32_t n;
        bool more;
        if (ddb_catalog_list(bf->catalog, &a, start, 100, &names, &n, &more) != 0)
            break;
        for (uint32_t i = 0; i < n; i++) {
            struct ddb_table *t = ddb_catalog_get(bf->catalog, names[i]);
            if (t == NULL)
                continue;
            for (uint32_t k = 0; k < t->def.index_count; k++)
                if (t->def.indexes[k].status == DDB_INDEX_CREATING)
                    ddb_backfill_start(bf, t->def.name, t->id, t->def.indexes[k].id);
            ddb_table_unref(t);
        }
        if (!more || n == 0)
            break;
        start = names[n - 1];
    }
    ddb_arena_release(&a);
}

void ddb_backfill_stop(struct ddb_backfill *bf)
{
    if (bf == NULL)
        return;
    atomic_store(&bf->stop, true);
    pthread_mutex_lock(&bf->mu);
    uint32_t n = bf->count;
    pthread_mutex_unlock(&bf->mu);
    /* no job is started once stop is set (handlers are gone by then) */
    for (uint32_t i = 0; i < n; i++)
        pthread_join(bf->threads[i], NULL);
    free(bf->threads);
    pthread_mutex_destroy(&bf->mu);
    free(bf);
}
