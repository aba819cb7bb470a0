/* tokens.c: ClientRequestToken records and their expiry index. See tokens.h. */
#include "tokens.h"

#define RECORD_KEY 'R'
#define EXPIRY_KEY 'E'
#define HEADER_LEN 43 /* version, completed_ms, fingerprint, table count */

static void put_be(struct ddb_buf *b, uint64_t v, int bytes)
{
    for (int i = bytes - 1; i >= 0; i--)
        ddb_buf_putc(b, (char)(v >> (8 * i)));
}

static uint64_t get_be(const unsigned char *p, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v = (v << 8) | p[i];
    return v;
}

void ddb_tokens_key(struct ddb_buf *b, ddb_slice token)
{
    ddb_buf_putc(b, RECORD_KEY);
    ddb_buf_append(b, token.ptr, token.len);
}

void ddb_tokens_expiry_key(struct ddb_buf *b, int64_t completed_ms, ddb_slice token)
{
    ddb_buf_putc(b, EXPIRY_KEY);
    put_be(b, (uint64_t)completed_ms, 8);
    ddb_buf_append(b, token.ptr, token.len);
}

void ddb_tokens_encode(struct ddb_buf *b, const struct ddb_tokens_record *r)
{
    ddb_buf_putc(b, DDB_TOKENS_VERSION);
    put_be(b, (uint64_t)r->completed_ms, 8);
    ddb_buf_append(b, r->fp, 32);
    put_be(b, r->table_count, 2);
    for (uint32_t i = 0; i < r->table_count; i++) {
        ddb_buf_putc(b, (char)r->tables[i].name.len);
        ddb_buf_append(b, r->tables[i].name.ptr, r->tables[i].name.len);
        put_be(b, r->tables[i].units, 4);
    }
}

static int corrupt(struct ddb_error *err, struct ddb_arena *a, size_t at, const char *why)
{
    (void)ddb_error_set(err, a, DDB_ERR_INTERNAL, "corrupt token record at offset %zu: %s", at,
                        why);
    return -1;
}

int ddb_tokens_decode(struct ddb_arena *a, const char *p, size_t n, struct ddb_tokens_record *out,
                      struct ddb_error *err)
{
    const unsigned char *u = (const unsigned char *)p;
    if (n < HEADER_LEN)
        return corrupt(err, a, n, "shorter than its header");
    if (u[0] != DDB_TOKENS_VERSION)
        return corrupt(err, a, 0, "unknown version");
    uint64_t ms = get_be(u + 1, 8);
    if (ms > INT64_MAX)
        return corrupt(err, a, 1, "time out of range");
    uint32_t count = (uint32_t)get_be(u + 41, 2);
    if (count > DDB_TOKENS_MAX_TABLES)
        return corrupt(err, a, 41, "too many tables");
    struct ddb_tokens_record r = {.completed_ms = (int64_t)ms, .table_count = count};
    memcpy(r.fp, u + 9, 32);
    r.tables = ddb_arena_calloc(a, count ? count : 1, sizeof *r.tables);
    size_t off = HEADER_LEN;
    for (uint32_t i = 0; i < count; i++) {
        if (off >= n)
            return corrupt(err, a, off, "truncated table");
        size_t len = u[off];
        if (len < 3)
            return corrupt(err, a, off, "table name too short");
        if (len + 4 > n - off - 1)
            return corrupt(err, a, off, "table past the end");
        r.tables[i].name = ddb_slice_make(p + off + 1, len);
        r.tables[i].units = (uint32_t)get_be(u + off + 1 + len, 4);
        off += 1 + len + 4;
    }
    if (off != n)
        return corrupt(err, a, off, "trailing bytes");
    *out = r;
    return 0;
}

bool ddb_tokens_decode_expiry_key(ddb_slice key, int64_t *completed_ms, ddb_slice *token)
{
    if (key.len < 10 || key.len > 9 + DDB_TOKENS_MAX_LEN || key.ptr[0] != EXPIRY_KEY)
        return false;
    uint64_t ms = get_be((const unsigned char *)key.ptr + 1, 8);
    if (ms > INT64_MAX)
        return false;
    *completed_ms = (int64_t)ms;
    *token = ddb_slice_make(key.ptr + 9, key.len - 9);
    return true;
}

int ddb_tokens_get(struct ddb_engine *e, ddb_slice token, struct ddb_arena *a, bool *found,
                   struct ddb_tokens_record *out, struct ddb_error *err)
{
    *found = false;
    struct ddb_buf key;
    ddb_buf_init(&key, a);
    ddb_tokens_key(&key, token);
    ddb_slice v;
    if (ddb_engine_get(e, DDB_CF_META, ddb_buf_slice(&key), a, &v, err) != 0)
        return -1;
    if (v.ptr == NULL)
        return 0;
    if (ddb_tokens_decode(a, v.ptr, v.len, out, err) != 0)
        return -1;
    *found = true;
    return 0;
}

void ddb_tokens_put(struct ddb_batch *b, struct ddb_arena *a, ddb_slice token,
                    const struct ddb_tokens_record *r)
{
    struct ddb_buf key, val;
    ddb_buf_init(&key, a);
    ddb_buf_init(&val, a);
    ddb_tokens_key(&key, token);
    ddb_tokens_encode(&val, r);
    ddb_batch_put(b, DDB_CF_META, ddb_buf_slice(&key), ddb_buf_slice(&val));
    ddb_buf_init(&key, a);
    ddb_tokens_expiry_key(&key, r->completed_ms, token);
    ddb_batch_put(b, DDB_CF_META, ddb_buf_slice(&key), DDB_SLICE_LIT(""));
}

/* Adds the deletion of one expiry entry to b and, when its record is the
 * one that entry was made for (or is unreadable), of the record too. */
static int drop_entry(struct ddb_engine *e, struct ddb_batch *b, struct ddb_arena *a,
                      ddb_slice ekey, bool valid, int64_t ms, ddb_slice token,
                      struct ddb_error *err)
{
    ddb_batch_delete(b, DDB_CF_META, ekey);
    if (!valid)
        return 0;
    struct ddb_buf rkey;
    ddb_buf_init(&rkey, a);
    ddb_tokens_key(&rkey, token);
    ddb_slice v;
    if (ddb_engine_get(e, DDB_CF_META, ddb_buf_slice(&rkey), a, &v, err) != 0)
        return -1;
    if (v.ptr == NULL)
        return 0;
    struct ddb_tokens_record r;
    struct ddb_error ignored;
    if (ddb_tokens_decode(a, v.ptr, v.len, &r, &ignored) != 0 || r.completed_ms == ms)
        ddb_batch_delete(b, DDB_CF_META, ddb_buf_slice(&rkey));
    return 0;
}

int ddb_tokens_sweep(struct ddb_engine *e, int64_t cutoff_ms, unsigned max, int64_t *from_ms,
                     bool (*skip)(void *ctx, ddb_slice token), void *ctx, unsigned *removed,
                     struct ddb_error *err)
{
    *removed = 0;
    if (cutoff_ms < *from_ms)
        return 0;
    struct ddb_arena a;
    ddb_arena_init(&a);
    struct ddb_buf lo, hi;
    ddb_buf_init(&lo, &a);
    ddb_buf_init(&hi, &a);
    if (*from_ms > 0)
        ddb_tokens_expiry_key(&lo, *from_ms, DDB_SLICE_LIT(""));
    else /* from the very first "E" key, malformed short ones included */
        ddb_buf_putc(&lo, EXPIRY_KEY);
    /* every key of a time <= cutoff_ms sorts before "E" <cutoff_ms + 1> */
    ddb_tokens_expiry_key(&hi, cutoff_ms + 1, DDB_SLICE_LIT(""));
    struct ddb_iter *it = ddb_iter_new(e, DDB_CF_META, ddb_buf_slice(&lo), ddb_buf_slice(&hi));
    struct ddb_batch *b = NULL;
    int64_t next_from = *from_ms;
    bool advancing = true; /* every entry so far was removed */
    int rc = -1;
    for (ddb_iter_seek_first(it); ddb_iter_valid(it) && *removed < max; ddb_iter_next(it)) {
        ddb_slice k = ddb_iter_key(it);
        int64_t ms = 0;
        ddb_slice token = {0};
        bool valid = ddb_tokens_decode_expiry_key(k, &ms, &token);
        if (valid && skip != NULL && skip(ctx, token)) {
            advancing = false;
            continue;
        }
        ddb_slice ekey = ddb_slice_make(ddb_arena_memdup(&a, k.ptr, k.len), k.len);
        if (valid) /* the iterator's bytes change on the next move: use the copy */
            token = ddb_slice_make(ekey.ptr + 9, token.len);
        if (b == NULL)
            b = ddb_batch_new(e);
        if (drop_entry(e, b, &a, ekey, valid, ms, token, err) != 0)
            goto out;
        (*removed)++;
        if (advancing && valid)
            next_from = ms;
    }
    if (ddb_iter_status(it, &a, err) != 0)
        goto out;
    if (b != NULL && ddb_engine_write(e, b, err) != 0)
        goto out;
    *from_ms = next_from;
    rc = 0;
out:
    if (rc != 0)
        *removed = 0;
    ddb_batch_free(b);
    ddb_iter_free(it);
    if (rc != 0) /* the message may live in a, released below */
        err->message = "cannot sweep expired client request tokens";
    ddb_arena_release(&a);
    return rc;
}
