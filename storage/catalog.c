/* catalog.c: table definitions in the meta family, cached in a sorted array.
 * See catalog.h for the on-disk layout. */
#include "catalog.h"
#include "catalog_codec.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>

struct ddb_catalog {
    struct ddb_engine *engine;
    pthread_rwlock_t lock;  /* guards tables/count; writers also serialise DDL */
    struct ddb_table **tables; /* sorted by name (byte order) */
    uint32_t count, cap;
    uint64_t next_id;       /* tables and indexes share the id space */
    _Atomic int stale;      /* superseded snapshots still referenced */
};

static const char TABLE_PREFIX = 'T';
static const char NEXT_ID_KEY[] = "I";

void ddb_catalog_counter_key(uint64_t table_id, char buf[9])
{
    buf[0] = 'C';
    for (int i = 0; i < 8; i++)
        buf[1 + i] = (char)(table_id >> (56 - 8 * i));
}

void ddb_table_ref(struct ddb_table *t)
{
    atomic_fetch_add_explicit((_Atomic int *)&t->refs, 1, memory_order_relaxed);
}

void ddb_table_unref(struct ddb_table *t)
{
    if (t == NULL)
        return;
    if (atomic_fetch_sub_explicit((_Atomic int *)&t->refs, 1, memory_order_acq_rel) == 1) {
        if (t->stale != NULL)
            atomic_fetch_sub_explicit(t->stale, 1, memory_order_acq_rel);
        ddb_arena_release(&t->mem);
        free(t);
    }
}

static ddb_slice copy_slice(struct ddb_arena *a, ddb_slice s)
{
    return (ddb_slice){ddb_arena_memdup(a, s.ptr, s.len), s.len};
}

/* A new table snapshot owning a deep copy of def (catalog_codec.h). */
struct ddb_table *ddb_catalog_table_new(const struct ddb_table_def *def)
{
    struct ddb_table *t = calloc(1, sizeof *t);
    if (t == NULL)
        abort();
    t->refs = 1;
    ddb_arena_init(&t->mem);
    struct ddb_arena *a = &t->mem;
    t->def = *def;
    t->def.name = copy_slice(a, def->name);
    t->def.key.hash_name = copy_slice(a, def->key.hash_name);
    t->def.key.range_name = def->key.has_range ? copy_slice(a, def->key.range_name)
                                               : (ddb_slice){NULL, 0};
    struct ddb_attr_def *ad = ddb_arena_calloc(a, def->attr_def_count, sizeof *ad);
    for (uint32_t i = 0; i < def->attr_def_count; i++) {
        ad[i].name = copy_slice(a, def->attr_defs[i].name);
        ad[i].type = def->attr_defs[i].type;
    }
    t->def.attr_defs = ad;
    struct ddb_tag *tg = ddb_arena_calloc(a, def->tag_count, sizeof *tg);
    for (uint32_t i = 0; i < def->tag_count; i++) {
        tg[i].key = copy_slice(a, def->tags[i].key);
        tg[i].value = copy_slice(a, def->tags[i].value);
    }
    t->def.tags = tg;
    struct ddb_index_def *ix = ddb_arena_calloc(a, def->index_count + 1, sizeof *ix);
    for (uint32_t i = 0; i < def->index_count; i++) {
        const struct ddb_index_def *s = &def->indexes[i];
        ix[i] = *s;
        ix[i].name = copy_slice(a, s->name);
        ix[i].key.hash_name = copy_slice(a, s->key.hash_name);
        ix[i].key.range_name = s->key.has_range ? copy_slice(a, s->key.range_name)
                                                : (ddb_slice){NULL, 0};
        ddb_slice *nk = ddb_arena_calloc(a, s->non_key_count + 1, sizeof *nk);
        for (uint32_t k = 0; k < s->non_key_count; k++)
            nk[k] = copy_slice(a, s->non_key[k]);
        ix[i].non_key = nk;
    }
    t->def.indexes = ix;
    return t;
}

/* Marks the catalog's snapshot old as replaced, then drops the catalog's
 * reference: ddb_catalog_wait_quiescent() waits for such snapshots to go. */
static void supersede(struct ddb_catalog *c, struct ddb_table *old)
{
    atomic_fetch_add_explicit(&c->stale, 1, memory_order_acq_rel);
    old->stale = &c->stale;
    ddb_table_unref(old);
}

/* Puts t in slot i in place of the snapshot there, which is superseded.
 * The catalog's reference passes from the old snapshot to t. Call with the
 * write lock held. */
static void publish(struct ddb_catalog *c, uint32_t i, struct ddb_table *t)
{
    struct ddb_table *old = c->tables[i];
    c->tables[i] = t;
    supersede(c, old);
}

/* A copy of t's definition and state, to be changed and published. */
static struct ddb_table *table_clone(const struct ddb_table *old)
{
    struct ddb_table *t = ddb_catalog_table_new(&old->def);
    t->id = old->id;
    memcpy(t->uuid, old->uuid, sizeof t->uuid);
    t->created = old->created;
    t->billing_updated = old->billing_updated;
    t->throughput_increased = old->throughput_increased;
    t->throughput_decreased = old->throughput_decreased;
    t->decreases_today = old->decreases_today;
    return t;
}

static void table_key(struct ddb_buf *k, ddb_slice name)
{
    ddb_buf_putc(k, TABLE_PREFIX);
    ddb_buf_append(k, name.ptr, name.len);
}

/* ---- the sorted array ---- */

/* Index of the first table whose name is >= name. */
static uint32_t lower_bound(const struct ddb_catalog *c, ddb_slice name)
{
    uint32_t lo = 0, hi = c->count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ddb_slice_cmp(c->tables[mid]->def.name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void insert_at(struct ddb_catalog *c, uint32_t i, struct ddb_table *t)
{
    if (c->count == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        c->tables = realloc(c->tables, c->cap * sizeof *c->tables);
        if (c->tables == NULL)
            abort();
    }
    memmove(&c->tables[i + 1], &c->tables[i], (c->count - i) * sizeof *c->tables);
    c->tables[i] = t;
    c->count++;
}

static void remove_at(struct ddb_catalog *c, uint32_t i)
{
    memmove(&c->tables[i], &c->tables[i + 1], (c->count - i - 1) * sizeof *c->tables);
    c->count--;
}

/* ---- public functions ---- */

int ddb_catalog_open(struct ddb_engine *e, struct ddb_catalog **out, struct ddb_error *err)
{
    struct ddb_catalog *c = calloc(1, sizeof *c);
    if (c == NULL)
        abort();
    c->engine = e;
    pthread_rwlock_init(&c->lock, NULL);
    c->next_id = 1;
    struct ddb_arena a;
    ddb_arena_init(&a);
    int rc = -1;

    ddb_slice v;
    if (ddb_engine_get(e, DDB_CF_META, DDB_SLICE_LIT(NEXT_ID_KEY), &a, &v, err) != 0)
        goto out;
    if (v.ptr != NULL) {
        if (v.len != 8) {
            ddb_error_set(err, NULL, DDB_ERR_INTERNAL, "corrupt catalog: next table id");
            goto out;
        }
        uint64_t id = 0;
        for (int i = 0; i < 8; i++)
            id = (id << 8) | (unsigned char)v.ptr[i];
        c->next_id = id;
    }
    char lo = TABLE_PREFIX, hi = TABLE_PREFIX + 1;
    struct ddb_iter *it = ddb_iter_new(e, DDB_CF_META, ddb_slice_make(&lo, 1),
                                       ddb_slice_make(&hi, 1));
    for (ddb_iter_seek_first(it); ddb_iter_valid(it); ddb_iter_next(it)) {
        ddb_slice val = ddb_iter_value(it);
        struct ddb_table *t = ddb_catalog_table_decode(
            &a, (ddb_slice){ddb_arena_memdup(&a, val.ptr, val.len), val.len}, err);
        if (t == NULL) {
            ddb_iter_free(it);
            goto out;
        }
        insert_at(c, lower_bound(c, t->def.name), t);
        if (t->id >= c->next_id)
            c->next_id = t->id + 1;
        for (uint32_t k = 0; k < t->def.index_count; k++)
            if (t->def.indexes[k].id >= c->next_id)
                c->next_id = t->def.indexes[k].id + 1;
        ddb_arena_reset(&a);
    }
    if (ddb_iter_status(it, NULL, err) != 0) {
        ddb_iter_free(it);
        goto out;
    }
    ddb_iter_free(it);
    rc = 0;
    *out = c;
out:
    ddb_arena_release(&a);
    if (rc != 0)
        ddb_catalog_close(c);
    return rc;
}

void ddb_catalog_close(struct ddb_catalog *c)
{
    if (c == NULL)
        return;
    for (uint32_t i = 0; i < c->count; i++)
        ddb_table_unref(c->tables[i]);
    free(c->tables);
    pthread_rwlock_destroy(&c->lock);
    free(c);
}

struct ddb_table *ddb_catalog_get(struct ddb_catalog *c, ddb_slice name)
{
    struct ddb_table *t = NULL;
    pthread_rwlock_rdlock(&c->lock);
    uint32_t i = lower_bound(c, name);
    if (i < c->count && ddb_slice_eq(c->tables[i]->def.name, name)) {
        t = c->tables[i];
        ddb_table_ref(t);
    }
    pthread_rwlock_unlock(&c->lock);
    return t;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)(ts.tv_nsec / 1000000) / 1000.0;
}

static void make_uuid(char out[37])
{
    unsigned char r[16];
    if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
        for (size_t i = 0; i < sizeof r; i++)
            r[i] = (unsigned char)rand();
    }
    r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
    r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
    static const char hex[] = "0123456789abcdef";
    int o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[r[i] >> 4];
        out[o++] = hex[r[i] & 15];
    }
    out[o] = '\0';
}

/* A batch that writes t's definition (and, when bump_id, the next id); the
 * caller may add to it, writes it and frees it. */
static struct ddb_batch *definition_batch(struct ddb_catalog *c, struct ddb_arena *a,
                                          const struct ddb_table *t, bool bump_id)
{
    struct ddb_buf key, val;
    ddb_buf_init(&key, a);
    ddb_buf_init(&val, a);
    table_key(&key, t->def.name);
    ddb_catalog_table_encode(t, &val);
    struct ddb_batch *b = ddb_batch_new(c->engine);
    ddb_batch_put(b, DDB_CF_META, ddb_buf_slice(&key), ddb_buf_slice(&val));
    if (bump_id) {
        char idb[8];
        for (int i = 0; i < 8; i++)
            idb[i] = (char)(c->next_id >> (56 - 8 * i));
        ddb_batch_put(b, DDB_CF_META, DDB_SLICE_LIT(NEXT_ID_KEY), ddb_slice_make(idb, 8));
    }
    return b;
}

/* Writes t's definition (and, when bump_id, the next id) in one batch. */
static int persist(struct ddb_catalog *c, struct ddb_arena *a, const struct ddb_table *t,
                   bool bump_id, struct ddb_error *err)
{
    struct ddb_batch *b = definition_batch(c, a, t, bump_id);
    int rc = ddb_engine_write(c->engine, b, err);
    ddb_batch_free(b);
    return rc;
}

int ddb_catalog_create(struct ddb_catalog *c, struct ddb_arena *a, const struct ddb_table_def *def,
                       struct ddb_table **out, struct ddb_error *err)
{
    int rc = -1;
    pthread_rwlock_wrlock(&c->lock);
    uint32_t i = lower_bound(c, def->name);
    if (i < c->count && ddb_slice_eq(c->tables[i]->def.name, def->name)) {
        ddb_error_set(err, a, DDB_ERR_RESOURCE_IN_USE, "Table already exists: %.*s",
                      (int)def->name.len, def->name.ptr);
        goto out;
    }
    struct ddb_table *t = ddb_catalog_table_new(def);
    t->id = c->next_id++;
    for (uint32_t k = 0; k < t->def.index_count; k++) {
        struct ddb_index_def *x = (struct ddb_index_def *)&t->def.indexes[k];
        x->id = c->next_id++;
        x->status = DDB_INDEX_ACTIVE;
    }
    make_uuid(t->uuid);
    t->created = now_seconds();
    if (def->billing == DDB_BILLING_PAY_PER_REQUEST)
        t->billing_updated = t->created;
    if (persist(c, a, t, true, err) != 0) {
        c->next_id -= 1 + t->def.index_count;
        ddb_table_unref(t);
        goto out;
    }
    insert_at(c, i, t);
    ddb_table_ref(t);
    *out = t;
    rc = 0;
out:
    pthread_rwlock_unlock(&c->lock);
    return rc;
}

struct ddb_table *ddb_catalog_find(struct ddb_catalog *c, ddb_slice name, struct ddb_error *err)
{
    struct ddb_table *t = ddb_catalog_get(c, name);
    if (t == NULL)
        ddb_error_set(err, NULL, DDB_ERR_RESOURCE_NOT_FOUND, "Requested resource not found");
    return t;
}

int ddb_catalog_not_found(struct ddb_error *err, struct ddb_arena *a, ddb_slice name)
{
    return ddb_error_set(err, a, DDB_ERR_RESOURCE_NOT_FOUND,
                         "Requested resource not found: Table: %.*s not found", (int)name.len,
                         name.ptr);
}

int ddb_catalog_update_billing(struct ddb_catalog *c, struct ddb_arena *a, ddb_slice name,
                               enum ddb_billing_mode billing, int64_t rcu, int64_t wcu,
                               struct ddb_table **out, struct ddb_error *err)
{
    int rc = -1;
    pthread_rwlock_wrlock(&c->lock);
    uint32_t i = lower_bound(c, name);
    if (i >= c->count || !ddb_slice_eq(c->tables[i]->def.name, name)) {
        ddb_catalog_not_found(err, a, name);
        goto out;
    }
    struct ddb_table *old = c->tables[i];
    struct ddb_table *t = table_clone(old);
    double now = now_seconds();
    if (billing == DDB_BILLING_PAY_PER_REQUEST && old->def.billing != billing)
        t->billing_updated = now;
    if (billing == DDB_BILLING_PROVISIONED) {
        if (rcu > old->def.read_capacity || wcu > old->def.write_capacity)
            t->throughput_increased = now;
        if ((rcu < old->def.read_capacity || wcu < old->def.write_capacity) &&
            old->def.billing == DDB_BILLING_PROVISIONED) {
            t->throughput_decreased = now;
            t->decreases_today++;
        }
    }
    t->def.billing = billing;
    t->def.read_capacity = rcu;
    t->def.write_capacity = wcu;
    if (persist(c, a, t, false, err) != 0) {
        ddb_table_unref(t);
        goto out;
    }
    publish(c, i, t);
    ddb_table_ref(t);
    *out = t;
    rc = 0;
out:
    pthread_rwlock_unlock(&c->lock);
    return rc;
}

/* The entries and counters of index id (one DeleteRange: no scan). */
static void delete_index_data(struct ddb_batch *b, uint64_t id)
{
    char lo[8], hi[8], ck[9];
    for (int k = 0; k < 8; k++) {
        lo[k] = (char)(id >> (56 - 8 * k));
        hi[k] = (char)((id + 1) >> (56 - 8 * k));
    }
    ddb_catalog_counter_key(id, ck);
    ddb_batch_delete_range(b, DDB_CF_INDEX, ddb_slice_make(lo, 8), ddb_slice_make(hi, 8));
    ddb_batch_delete(b, DDB_CF_META, ddb_slice_make(ck, 9));
}

int ddb_catalog_delete(struct ddb_catalog *c, struct ddb_arena *a, ddb_slice name,
                       struct ddb_table **out, struct ddb_error *err)
{
    int rc = -1;
    pthread_rwlock_wrlock(&c->lock);
    uint32_t i = lower_bound(c, name);
    if (i >= c->count || !ddb_slice_eq(c->tables[i]->def.name, name)) {
        ddb_catalog_not_found(err, a, name);
        goto out;
    }
    struct ddb_table *t = c->tables[i];
    struct ddb_buf key;
    ddb_buf_init(&key, a);
    table_key(&key, t->def.name);
    /* items of this table: every key starting with its 8-byte big-endian id */
    char lo[8], hi[8];
    for (int k = 0; k < 8; k++) {
        lo[k] = (char)(t->id >> (56 - 8 * k));
        hi[k] = (char)((t->id + 1) >> (56 - 8 * k));
    }
    char ck[9];
    ddb_catalog_counter_key(t->id, ck);
    struct ddb_batch *b = ddb_batch_new(c->engine);
    ddb_batch_delete(b, DDB_CF_META, ddb_buf_slice(&key));
    ddb_batch_delete(b, DDB_CF_META, ddb_slice_make(ck, 9));
    ddb_batch_delete_range(b, DDB_CF_ITEMS, ddb_slice_make(lo, 8), ddb_slice_make(hi, 8));
    for (uint32_t k = 0; k < t->def.index_count; k++)
        delete_index_data(b, t->def.indexes[k].id);
    char klo[9], khi[9]; /* item-collection counters: "K" <table id> ... (index.h) */
    klo[0] = khi[0] = 'K';
    memcpy(klo + 1, lo, 8);
    memcpy(khi + 1, hi, 8);
    ddb_batch_delete_range(b, DDB_CF_META, ddb_slice_make(klo, 9), ddb_slice_make(khi, 9));
    int wrc = ddb_engine_write(c->engine, b, err);
    ddb_batch_free(b);
    if (wrc != 0)
        goto out;
    remove_at(c, i);
    *out = t; /* the catalog's reference passes to the caller */
    rc = 0;
out:
    pthread_rwlock_unlock(&c->lock);
    return rc;
}

int ddb_catalog_list(struct ddb_catalog *c, struct ddb_arena *a, ddb_slice start, uint32_t limit,
                     ddb_slice **names, uint32_t *count, bool *more)
{
    pthread_rwlock_rdlock(&c->lock);
    uint32_t i = 0;
    if (start.ptr != NULL) {
        i = lower_bound(c, start);
        if (i < c->count && ddb_slice_eq(c->tables[i]->def.name, start))
            i++;
    }
    uint32_t n = c->count - i < limit ? c->count - i : limit;
    ddb_slice *out = ddb_arena_calloc(a, n ? n : 1, sizeof *out);
    for (uint32_t k = 0; k < n; k++) {
        ddb_slice s = c->tables[i + k]->def.name;
        out[k] = (ddb_slice){ddb_arena_memdup(a, s.ptr, s.len), s.len};
    }
    *more = i + n < c->count;
    pthread_rwlock_unlock(&c->lock);
    *names = out;
    *count = n;
    return 0;
}

int ddb_catalog_table_stats(struct ddb_catalog *c, const struct ddb_table *t, int64_t *items,
                            int64_t *bytes, struct ddb_error *err)
{
    char ck[9];
    ddb_catalog_counter_key(t->id, ck);
    return ddb_engine_get_counter(c->engine, ddb_slice_make(ck, 9), items, bytes, err);
}

int ddb_catalog_update_indexes(struct ddb_catalog *c, struct ddb_arena *a,
                               const struct ddb_update_table_input *in, struct ddb_table **out,
                               uint64_t *created_id, uint64_t *deleted_id, struct ddb_error *err)
{
    int rc = -1;
    *created_id = *deleted_id = 0;
    pthread_rwlock_wrlock(&c->lock);
    uint32_t i = lower_bound(c, in->name);
    if (i >= c->count || !ddb_slice_eq(c->tables[i]->def.name, in->name)) {
        ddb_catalog_not_found(err, a, in->name);
        goto out;
    }
    struct ddb_table *old = c->tables[i];
    struct ddb_table_def next;
    const struct ddb_index_def *created, *deleted;
    if (ddb_check_update_indexes(a, &old->def, in, &next, &created, &deleted, err) != 0)
        goto out;
    struct ddb_table *t = ddb_catalog_table_new(&next);
    t->id = old->id;
    memcpy(t->uuid, old->uuid, sizeof t->uuid);
    t->created = old->created;
    t->billing_updated = old->billing_updated;
    t->throughput_increased = old->throughput_increased;
    t->throughput_decreased = old->throughput_decreased;
    t->decreases_today = old->decreases_today;
    bool bump = false;
    for (uint32_t k = 0; k < t->def.index_count; k++) {
        struct ddb_index_def *x = (struct ddb_index_def *)&t->def.indexes[k];
        if (x->id == 0) {
            x->id = c->next_id++;
            *created_id = x->id;
            bump = true;
        }
    }
    struct ddb_batch *b = definition_batch(c, a, t, bump);
    if (deleted != NULL) {
        delete_index_data(b, deleted->id);
        *deleted_id = deleted->id;
    }
    int wrc = ddb_engine_write(c->engine, b, err);
    ddb_batch_free(b);
    if (wrc != 0) {
        if (bump)
            c->next_id--;
        ddb_table_unref(t);
        goto out;
    }
    publish(c, i, t);
    ddb_table_ref(t);
    *out = t;
    rc = 0;
out:
    pthread_rwlock_unlock(&c->lock);
    return rc;
}

int ddb_catalog_index_ready(struct ddb_catalog *c, struct ddb_arena *a, ddb_slice table,
                            uint64_t table_id, uint64_t index_id, struct ddb_error *err)
{
    int rc = -1;
    pthread_rwlock_wrlock(&c->lock);
    uint32_t i = lower_bound(c, table);
    if (i >= c->count || c->tables[i]->id != table_id ||
        !ddb_slice_eq(c->tables[i]->def.name, table)) {
        ddb_error_set(err, NULL, DDB_ERR_RESOURCE_NOT_FOUND, "table gone");
        goto out;
    }
    struct ddb_table *old = c->tables[i];
    struct ddb_table *t = table_clone(old);
    bool found = false;
    for (uint32_t k = 0; k < t->def.index_count; k++) {
        struct ddb_index_def *x = (struct ddb_index_def *)&t->def.indexes[k];
        if (x->id == index_id) {
            x->status = DDB_INDEX_ACTIVE;
            found = true;
        }
    }
    if (!found) {
        ddb_table_unref(t);
        ddb_error_set(err, NULL, DDB_ERR_RESOURCE_NOT_FOUND, "index gone");
        goto out;
    }
    if (persist(c, a, t, false, err) != 0) {
        ddb_table_unref(t);
        goto out;
    }
    publish(c, i, t);
    rc = 0;
out:
    pthread_rwlock_unlock(&c->lock);
    return rc;
}

int ddb_catalog_purge_index(struct ddb_catalog *c, uint64_t index_id, struct ddb_error *err)
{
    struct ddb_batch *b = ddb_batch_new(c->engine);
    delete_index_data(b, index_id);
    int rc = ddb_engine_write(c->engine, b, err);
    ddb_batch_free(b);
    return rc;
}

bool ddb_catalog_wait_quiescent(struct ddb_catalog *c, const _Atomic bool *stop)
{
    /* Snapshots replaced after this call started are newer than what we wait
     * for, but counting them too only waits longer, never shorter. */
    while (atomic_load_explicit(&c->stale, memory_order_acquire) > 0) {
        if (stop != NULL && atomic_load(stop))
            return false;
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    return true;
}

int ddb_catalog_index_stats(struct ddb_catalog *c, uint64_t index_id, int64_t *items,
                            int64_t *bytes, struct ddb_error *err)
{
    char ck[9];
    ddb_catalog_counter_key(index_id, ck);
    return ddb_engine_get_counter(c->engine, ddb_slice_make(ck, 9), items, bytes, err);
}

struct ddb_engine *ddb_catalog_engine(struct ddb_catalog *c)
{
    return c->engine;
}
