/*
 * decimal.c: DynamoDB numbers as sign, 128-bit coefficient and power of ten.
 *
 * The accepted text is what DynamoDB (a Java service) accepts: the grammar of
 * java.math.BigDecimal(String), probed against DynamoDB Local 3.3.1 (the
 * table in tests/unit/protocol/test_decimal.c, the messages in
 * protocol/MESSAGES-values.md). Notably: '+' or '-', digits with at most one
 * '.', digits on either side optional but at least one digit, 'e' or 'E' with
 * an optional sign and at least one digit; no whitespace, hex, NaN or
 * Infinity; any Unicode decimal digit of the Basic Multilingual Plane counts
 * as a digit (Java's Character.digit), so "١" is 1; an exponent has at most
 * ten digits after its leading zeros and must fit in 32 bits, and so must
 * (digits after the point - exponent), else the text is not a number.
 */
#include "decimal.h"

#define DEC_MAX_COEF_DIGITS 38

/* 10^0 .. 10^38 */
#define E19 ((unsigned __int128)10000000000000000000u)
static const unsigned __int128 pow10_table[DEC_MAX_COEF_DIGITS + 1] = {
    1u,
    10u,
    100u,
    1000u,
    10000u,
    100000u,
    1000000u,
    10000000u,
    100000000u,
    1000000000u,
    10000000000uLL,
    100000000000uLL,
    1000000000000uLL,
    10000000000000uLL,
    100000000000000uLL,
    1000000000000000uLL,
    10000000000000000uLL,
    100000000000000000uLL,
    1000000000000000000uLL,
    10000000000000000000u,
    E19 * 10uLL,
    E19 * 100uLL,
    E19 * 1000uLL,
    E19 * 10000uLL,
    E19 * 100000uLL,
    E19 * 1000000uLL,
    E19 * 10000000uLL,
    E19 * 100000000uLL,
    E19 * 1000000000uLL,
    E19 * 10000000000uLL,
    E19 * 100000000000uLL,
    E19 * 1000000000000uLL,
    E19 * 10000000000000uLL,
    E19 * 100000000000000uLL,
    E19 * 1000000000000000uLL,
    E19 * 10000000000000000uLL,
    E19 * 100000000000000000uLL,
    E19 * 1000000000000000000uLL,
    E19 * 10000000000000000000uLL,
};

static unsigned __int128 pow10_u128(int n)
{
    return pow10_table[n];
}

/* Number of decimal digits of c (c > 0, c < 10^39). */
static int coef_digits(unsigned __int128 c)
{
    int n = 1;
    while (n <= DEC_MAX_COEF_DIGITS && c >= pow10_u128(n))
        n++;
    return n;
}

/* Code points of the digit zero of every run of ten Unicode decimal digits
 * (general category Nd) in the Basic Multilingual Plane. Java counts these as
 * digits; characters outside the BMP are surrogate pairs to Java, not digits. */
static const uint16_t unicode_zeros[] = {
    0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66,
    0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810,
    0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0,
    0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
};

/* Reads one character at p[*i] (p[*i] < end). Returns its digit value 0..9,
 * -1 for any other character (*c set to the ASCII byte, or 0 when it was not
 * ASCII), and advances *i past it. Invalid UTF-8 is "another character". */
static int next_char(const unsigned char *p, size_t n, size_t *i, int *c)
{
    unsigned b = p[*i];
    if (b < 0x80) {
        (*i)++;
        *c = (int)b;
        return b >= '0' && b <= '9' ? (int)(b - '0') : -1;
    }
    *c = 0;
    uint32_t cp;
    size_t len;
    if (b >= 0xC2 && b <= 0xDF) {
        len = 2;
        cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
        len = 3;
        cp = b & 0x0F;
    } else {
        (*i)++;
        return -1;
    }
    if (n - *i < len) {
        *i = n;
        return -1;
    }
    for (size_t k = 1; k < len; k++) {
        unsigned cb = p[*i + k];
        if ((cb & 0xC0) != 0x80) {
            *i += k;
            return -1;
        }
        cp = (cp << 6) | (cb & 0x3F);
    }
    *i += len;
    if (len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)))
        return -1; /* overlong or surrogate */
    for (size_t k = 0; k < DDB_ARRAY_LEN(unicode_zeros); k++) {
        if (cp >= unicode_zeros[k] && cp < unicode_zeros[k] + 10u)
            return (int)(cp - unicode_zeros[k]);
    }
    return -1;
}

/* The exponent after 'e', as Java's BigDecimal.parseExp reads it: optional
 * sign, at least one digit, leading zeros skipped while more than ten
 * characters remain, then at most ten digits. */
static bool parse_exponent(const unsigned char *p, size_t n, size_t i, int64_t *out)
{
    bool neg = false;
    if (i < n && (p[i] == '+' || p[i] == '-')) {
        neg = p[i] == '-';
        i++;
    }
    if (i >= n)
        return false;
    /* Java counts UTF-16 units; every digit is one unit (all are in the BMP),
     * so counting characters is the same as long as all of them are digits. */
    int digits[11];
    size_t count = 0;
    bool leading = true;
    while (i < n) {
        int c;
        int d = next_char(p, n, &i, &c);
        if (d < 0)
            return false;
        if (leading && d == 0)
            continue; /* Java skips these only while > 10 remain; see below */
        leading = false;
        if (count == DDB_ARRAY_LEN(digits))
            return false; /* more than ten digits after the leading zeros */
        digits[count++] = d;
    }
    if (count > 10)
        return false;
    int64_t v = 0;
    for (size_t k = 0; k < count; k++)
        v = v * 10 + digits[k];
    *out = neg ? -v : v;
    /* "(int) exp != exp": Java rejects an exponent outside int. */
    return *out >= INT32_MIN && *out <= INT32_MAX;
}

static enum ddb_decimal_status check_range(int nd, int64_t exp)
{
    int64_t adjusted = exp + nd - 1;
    if (adjusted > DDB_NUMBER_MAX_EXP)
        return DDB_DEC_OVERFLOW;
    if (adjusted < DDB_NUMBER_MIN_EXP)
        return DDB_DEC_UNDERFLOW;
    return DDB_DEC_OK;
}

enum ddb_decimal_status ddb_decimal_parse(const char *text, size_t n, struct ddb_decimal *out)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t i = 0;
    bool neg = false;
    if (i < n && (p[i] == '+' || p[i] == '-')) {
        neg = p[i] == '-';
        i++;
    }
    bool any_digit = false, dot = false, too_many = false;
    int64_t frac_digits = 0; /* every digit after the point */
    unsigned __int128 coef = 0;
    int nsig = 0;            /* digits in coef (from the first non-zero digit) */
    int64_t pending = 0;     /* zeros after the last non-zero digit */
    int64_t exp = 0;
    while (i < n) {
        int c;
        int d = next_char(p, n, &i, &c);
        if (d >= 0) {
            any_digit = true;
            if (dot)
                frac_digits++;
            if (d == 0) {
                if (nsig > 0)
                    pending++;
            } else if (nsig == 0) {
                coef = (unsigned)d;
                nsig = 1;
            } else if (too_many || nsig + pending + 1 > DEC_MAX_COEF_DIGITS) {
                too_many = true;
            } else {
                coef = coef * pow10_u128((int)pending + 1) + (unsigned)d;
                nsig += (int)pending + 1;
                pending = 0;
            }
        } else if (c == '.' && !dot) {
            dot = true;
        } else if ((c == 'e' || c == 'E') && any_digit) {
            if (!parse_exponent(p, n, i, &exp))
                return DDB_DEC_SYNTAX;
            i = n;
        } else {
            return DDB_DEC_SYNTAX;
        }
    }
    if (!any_digit)
        return DDB_DEC_SYNTAX;
    /* Java's BigDecimal keeps scale = (digits after the point) - exponent in
     * an int; text whose scale does not fit is not a number. */
    if (exp != 0) {
        int64_t scale = frac_digits - exp;
        if (scale > INT32_MAX || scale < INT32_MIN)
            return DDB_DEC_SYNTAX;
    }
    if (too_many)
        return DDB_DEC_PRECISION;
    if (nsig == 0) {
        *out = (struct ddb_decimal){0, 0, false};
        return DDB_DEC_OK;
    }
    int64_t e = pending - frac_digits + exp;
    enum ddb_decimal_status st = check_range(nsig, e);
    if (st != DDB_DEC_OK)
        return st;
    out->coef = coef;
    out->exp = (int32_t)e;
    out->neg = neg;
    return DDB_DEC_OK;
}

/* Writes the nd digits of c into out (no NUL). */
static void coef_to_digits(unsigned __int128 c, int nd, char *out)
{
    /* Two 64-bit halves keep the divisions cheap. */
    uint64_t lo = (uint64_t)(c % 10000000000000000000u);
    uint64_t hi = (uint64_t)(c / 10000000000000000000u);
    for (int k = nd - 1; k >= 0; k--) {
        out[k] = (char)('0' + lo % 10);
        lo /= 10;
        if (k == nd - 19) {
            lo = hi;
        }
    }
}

size_t ddb_decimal_format(const struct ddb_decimal *d, char *out)
{
    char *o = out;
    if (d->coef == 0) {
        *o++ = '0';
        *o = '\0';
        return 1;
    }
    char digits[DEC_MAX_COEF_DIGITS];
    int nd = coef_digits(d->coef);
    coef_to_digits(d->coef, nd, digits);
    if (d->neg)
        *o++ = '-';
    if (d->exp >= 0) {
        memcpy(o, digits, (size_t)nd);
        o += nd;
        memset(o, '0', (size_t)d->exp);
        o += d->exp;
    } else {
        int point = nd + d->exp; /* digits before the point */
        if (point > 0) {
            memcpy(o, digits, (size_t)point);
            o += point;
            *o++ = '.';
            memcpy(o, digits + point, (size_t)(nd - point));
            o += nd - point;
        } else {
            *o++ = '0';
            *o++ = '.';
            memset(o, '0', (size_t)-point);
            o += -point;
            memcpy(o, digits, (size_t)nd);
            o += nd;
        }
    }
    *o = '\0';
    return (size_t)(o - out);
}

static int cmp_magnitude(const struct ddb_decimal *a, const struct ddb_decimal *b)
{
    int na = coef_digits(a->coef), nb = coef_digits(b->coef);
    int64_t adj_a = (int64_t)a->exp + na, adj_b = (int64_t)b->exp + nb;
    if (adj_a != adj_b)
        return adj_a < adj_b ? -1 : 1;
    /* Same leading position: scale the shorter coefficient up to the longer
     * one's length (stays below 10^38). */
    unsigned __int128 ca = a->coef, cb = b->coef;
    if (na < nb)
        ca *= pow10_u128(nb - na);
    else if (nb < na)
        cb *= pow10_u128(na - nb);
    return (ca > cb) - (ca < cb);
}

int ddb_decimal_cmp(const struct ddb_decimal *a, const struct ddb_decimal *b)
{
    bool za = a->coef == 0, zb = b->coef == 0;
    if (za || zb) {
        int sa = za ? 0 : (a->neg ? -1 : 1);
        int sb = zb ? 0 : (b->neg ? -1 : 1);
        return (sa > sb) - (sa < sb);
    }
    if (a->neg != b->neg)
        return a->neg ? -1 : 1;
    int m = cmp_magnitude(a, b);
    return a->neg ? -m : m;
}

/* 256-bit unsigned integers for exact sums (a 38-digit coefficient shifted by
 * up to 38 places needs 253 bits). Little-endian 64-bit limbs. */
struct u256 {
    uint64_t w[4];
};

static struct u256 u256_from(unsigned __int128 v)
{
    return (struct u256){{(uint64_t)v, (uint64_t)(v >> 64), 0, 0}};
}

static void u256_mul_small(struct u256 *x, uint64_t m)
{
    unsigned __int128 carry = 0;
    for (int k = 0; k < 4; k++) {
        unsigned __int128 t = (unsigned __int128)x->w[k] * m + carry;
        x->w[k] = (uint64_t)t;
        carry = t >> 64;
    }
}

/* x /= d; returns the remainder. */
static uint64_t u256_div_small(struct u256 *x, uint64_t d)
{
    unsigned __int128 rem = 0;
    for (int k = 3; k >= 0; k--) {
        unsigned __int128 cur = (rem << 64) | x->w[k];
        x->w[k] = (uint64_t)(cur / d);
        rem = cur % d;
    }
    return (uint64_t)rem;
}

static int u256_cmp(const struct u256 *a, const struct u256 *b)
{
    for (int k = 3; k >= 0; k--) {
        if (a->w[k] != b->w[k])
            return a->w[k] < b->w[k] ? -1 : 1;
    }
    return 0;
}

static void u256_add(struct u256 *a, const struct u256 *b)
{
    unsigned carry = 0;
    for (int k = 0; k < 4; k++) {
        unsigned __int128 t = (unsigned __int128)a->w[k] + b->w[k] + carry;
        a->w[k] = (uint64_t)t;
        carry = (unsigned)(t >> 64);
    }
}

/* a -= b, a >= b */
static void u256_sub(struct u256 *a, const struct u256 *b)
{
    unsigned borrow = 0;
    for (int k = 0; k < 4; k++) {
        uint64_t bw = b->w[k] + borrow;
        unsigned nb = (bw < b->w[k]) || (a->w[k] < bw);
        a->w[k] -= bw;
        borrow = nb;
    }
}

static bool u256_is_zero(const struct u256 *a)
{
    return (a->w[0] | a->w[1] | a->w[2] | a->w[3]) == 0;
}

enum ddb_decimal_status ddb_decimal_add(const struct ddb_decimal *a, const struct ddb_decimal *b,
                                        struct ddb_decimal *out)
{
    if (b->coef == 0) {
        *out = *a;
        return DDB_DEC_OK;
    }
    if (a->coef == 0) {
        *out = *b;
        return DDB_DEC_OK;
    }
    const struct ddb_decimal *hi = a, *lo = b; /* hi has the larger exponent */
    if (b->exp > a->exp) {
        hi = b;
        lo = a;
    }
    int64_t shift = (int64_t)hi->exp - lo->exp;
    /* lo's last digit is non-zero and sits `shift` places below every digit
     * of hi: the exact result then has a non-zero digit at lo's exponent and
     * a magnitude of at least 10^shift - 10^38, so more than 38 digits once
     * shift > 38. DynamoDB refuses such results rather than rounding them. */
    if (shift > DEC_MAX_COEF_DIGITS)
        return DDB_DEC_PRECISION;
    struct u256 x = u256_from(hi->coef), y = u256_from(lo->coef);
    for (int64_t k = 0; k < shift; k++)
        u256_mul_small(&x, 10);
    bool neg;
    if (hi->neg == lo->neg) {
        u256_add(&x, &y);
        neg = hi->neg;
    } else {
        int c = u256_cmp(&x, &y);
        if (c == 0) {
            *out = (struct ddb_decimal){0, 0, false};
            return DDB_DEC_OK;
        }
        if (c > 0) {
            u256_sub(&x, &y);
            neg = hi->neg;
        } else {
            u256_sub(&y, &x);
            x = y;
            neg = lo->neg;
        }
    }
    int64_t exp = lo->exp;
    for (;;) {
        struct u256 q = x;
        if (u256_div_small(&q, 10) != 0)
            break;
        x = q;
        exp++;
    }
    struct u256 limit = u256_from(pow10_u128(DEC_MAX_COEF_DIGITS));
    if (u256_cmp(&x, &limit) >= 0)
        return DDB_DEC_PRECISION;
    if (u256_is_zero(&x)) { /* cannot happen: equal magnitudes handled above */
        *out = (struct ddb_decimal){0, 0, false};
        return DDB_DEC_OK;
    }
    unsigned __int128 coef = ((unsigned __int128)x.w[1] << 64) | x.w[0];
    enum ddb_decimal_status st = check_range(coef_digits(coef), exp);
    if (st != DDB_DEC_OK)
        return st;
    out->coef = coef;
    out->exp = (int32_t)exp;
    out->neg = neg;
    return DDB_DEC_OK;
}

enum ddb_decimal_status ddb_decimal_sub(const struct ddb_decimal *a, const struct ddb_decimal *b,
                                        struct ddb_decimal *out)
{
    struct ddb_decimal nb = *b;
    if (nb.coef != 0)
        nb.neg = !nb.neg;
    return ddb_decimal_add(a, &nb, out);
}

void ddb_decimal_from_i64(int64_t v, struct ddb_decimal *out)
{
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    int32_t exp = 0;
    while (mag != 0 && mag % 10 == 0) {
        mag /= 10;
        exp++;
    }
    out->coef = mag;
    out->exp = mag ? exp : 0;
    out->neg = v < 0;
}

const char *ddb_decimal_message(enum ddb_decimal_status st)
{
    switch (st) {
    case DDB_DEC_OK:
        return "";
    case DDB_DEC_SYNTAX:
        return "A value provided cannot be converted into a number";
    case DDB_DEC_PRECISION:
        return "Attempting to store more than 38 significant digits in a Number";
    case DDB_DEC_OVERFLOW:
        return "Number overflow. Attempting to store a number with magnitude larger than "
               "supported range";
    case DDB_DEC_UNDERFLOW:
        return "Number underflow. Attempting to store a number with magnitude smaller than "
               "supported range";
    }
    return "A value provided cannot be converted into a number"; /* cannot happen */
}
