#include "idempotency.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum slot_state { SLOT_FREE, SLOT_RUNNING, SLOT_DONE };

struct slot {
    enum slot_state state;
    unsigned char len;
    char token[36];
    unsigned char fp[32];
    int64_t done_ms;
};

struct ddb_idempotency {
    pthread_mutex_t mu;
    pthread_cond_t changed;
    struct slot slots[DDB_IDEMPOTENCY_SLOTS];
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct ddb_idempotency *ddb_idempotency_new(void)
{
    struct ddb_idempotency *t = calloc(1, sizeof *t);
    if (t == NULL)
        abort();
    pthread_mutex_init(&t->mu, NULL);
    pthread_cond_init(&t->changed, NULL);
    return t;
}

void ddb_idempotency_free(struct ddb_idempotency *t)
{
    if (t == NULL)
        return;
    pthread_cond_destroy(&t->changed);
    pthread_mutex_destroy(&t->mu);
    free(t);
}

/* ---- fingerprint: a canonical form of the DOM, hashed ---- */

/* A tag and a length, then (for strings) the bytes: unambiguous. */
static void put_bytes(EVP_MD_CTX *c, char tag, const char *p, size_t n)
{
    uint64_t len = n;
    EVP_DigestUpdate(c, &tag, 1);
    EVP_DigestUpdate(c, &len, sizeof len);
    if (p != NULL && n > 0)
        EVP_DigestUpdate(c, p, n);
}

static int cmp_member_ptr(const void *x, const void *y)
{
    const struct ddb_json_member *a = *(const struct ddb_json_member *const *)x;
    const struct ddb_json_member *b = *(const struct ddb_json_member *const *)y;
    return ddb_slice_cmp(a->key, b->key);
}

/* Recursion is bounded by the reader's depth cap (DDB_JSON_MAX_DEPTH). */
static void canon(EVP_MD_CTX *c, const struct ddb_json *v)
{
    switch (v->type) {
    case DDB_JSON_OBJECT: {
        put_bytes(c, '{', NULL, v->count);
        const struct ddb_json_member **m = malloc((v->count ? v->count : 1) * sizeof *m);
        if (m == NULL)
            abort();
        for (uint32_t i = 0; i < v->count; i++)
            m[i] = &v->u.members[i];
        qsort(m, v->count, sizeof *m, cmp_member_ptr);
        for (uint32_t i = 0; i < v->count; i++) {
            put_bytes(c, 'k', m[i]->key.ptr, m[i]->key.len);
            canon(c, &m[i]->value);
        }
        free(m);
        break;
    }
    case DDB_JSON_ARRAY:
        put_bytes(c, '[', NULL, v->count);
        for (uint32_t i = 0; i < v->count; i++)
            canon(c, &v->u.items[i]);
        break;
    case DDB_JSON_STRING:
        put_bytes(c, 's', v->u.str.ptr, v->u.str.len);
        break;
    case DDB_JSON_NUMBER:
        put_bytes(c, 'n', v->u.str.ptr, v->u.str.len);
        break;
    case DDB_JSON_TRUE:
        put_bytes(c, 't', NULL, 0);
        break;
    case DDB_JSON_FALSE:
        put_bytes(c, 'f', NULL, 0);
        break;
    case DDB_JSON_NULL:
        put_bytes(c, 'z', NULL, 0);
        break;
    }
}

void ddb_idempotency_fingerprint(const struct ddb_json *items, unsigned char out[32])
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    if (c == NULL)
        abort();
    EVP_DigestInit_ex(c, EVP_sha256(), NULL);
    canon(c, items);
    unsigned n = 32;
    EVP_DigestFinal_ex(c, out, &n);
    EVP_MD_CTX_free(c);
}

/* ---- the table ---- */

static bool expired(const struct slot *s, int64_t now)
{
    return s->state == SLOT_DONE && now - s->done_ms > DDB_IDEMPOTENCY_TTL_MS;
}

static struct slot *find(struct ddb_idempotency *t, ddb_slice token)
{
    for (size_t i = 0; i < DDB_IDEMPOTENCY_SLOTS; i++) {
        struct slot *s = &t->slots[i];
        if (s->state != SLOT_FREE && s->len == token.len &&
            memcmp(s->token, token.ptr, token.len) == 0)
            return s;
    }
    return NULL;
}

/* A free slot, else an expired one, else the oldest completed one; NULL
 * when every slot is running. */
static struct slot *claim(struct ddb_idempotency *t, int64_t now)
{
    struct slot *oldest = NULL;
    for (size_t i = 0; i < DDB_IDEMPOTENCY_SLOTS; i++) {
        struct slot *s = &t->slots[i];
        if (s->state == SLOT_FREE || expired(s, now))
            return s;
        if (s->state == SLOT_DONE && (oldest == NULL || s->done_ms < oldest->done_ms))
            oldest = s;
    }
    return oldest;
}

enum ddb_idem_result ddb_idempotency_begin(struct ddb_idempotency *t, ddb_slice token,
                                           const unsigned char fp[32])
{
    enum ddb_idem_result r = DDB_IDEM_RUN;
    if (token.len == 0 || token.len > sizeof t->slots[0].token)
        return r; /* cannot happen: input_txn.c checks 1..36 */
    pthread_mutex_lock(&t->mu);
    struct slot *s;
    while ((s = find(t, token)) != NULL && s->state == SLOT_RUNNING)
        pthread_cond_wait(&t->changed, &t->mu);
    int64_t now = now_ms();
    if (s != NULL && expired(s, now)) {
        s->state = SLOT_FREE;
        s = NULL;
    }
    if (s != NULL) {
        r = memcmp(s->fp, fp, 32) == 0 ? DDB_IDEM_REPLAY : DDB_IDEM_MISMATCH;
    } else if ((s = claim(t, now)) != NULL) {
        s->state = SLOT_RUNNING;
        s->len = (unsigned char)token.len;
        memcpy(s->token, token.ptr, token.len);
        memcpy(s->fp, fp, 32);
    }
    pthread_mutex_unlock(&t->mu);
    return r;
}

void ddb_idempotency_end(struct ddb_idempotency *t, ddb_slice token, bool succeeded)
{
    pthread_mutex_lock(&t->mu);
    struct slot *s = find(t, token);
    if (s != NULL && s->state == SLOT_RUNNING) {
        s->state = succeeded ? SLOT_DONE : SLOT_FREE;
        s->done_ms = now_ms();
    }
    pthread_cond_broadcast(&t->changed);
    pthread_mutex_unlock(&t->mu);
}
