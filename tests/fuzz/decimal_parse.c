/*
 * decimal_parse: any bytes through ddb_decimal_parse; what parses must format
 * to text that parses back to the same value, compares equal to it, and
 * formats identically (format is a fixed point). Sums with a constant check
 * that add/sub never leave normal form.
 */
#include <stdio.h>
#include <stdlib.h>

#include "protocol/decimal.h"

static void must(int cond, const char *what)
{
    if (!cond) {
        fprintf(stderr, "decimal_parse: %s\n", what);
        abort();
    }
}

static void check_normal(const struct ddb_decimal *d)
{
    char buf[DDB_DECIMAL_TEXT_MAX];
    if (d->coef == 0) {
        must(d->exp == 0 && !d->neg, "zero not normal");
        return;
    }
    must(d->coef % 10 != 0, "trailing zero in coefficient");
    size_t n = ddb_decimal_format(d, buf);
    must(n < DDB_DECIMAL_TEXT_MAX && buf[n] == '\0', "format length");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ddb_decimal d, back;
    if (ddb_decimal_parse((const char *)data, size, &d) != DDB_DEC_OK)
        return 0;
    check_normal(&d);
    char t1[DDB_DECIMAL_TEXT_MAX], t2[DDB_DECIMAL_TEXT_MAX];
    size_t n1 = ddb_decimal_format(&d, t1);
    must(ddb_decimal_parse(t1, n1, &back) == DDB_DEC_OK, "formatted text does not parse");
    must(back.coef == d.coef && back.exp == d.exp && back.neg == d.neg, "round trip changed value");
    must(ddb_decimal_cmp(&d, &back) == 0, "cmp of equal values");
    size_t n2 = ddb_decimal_format(&back, t2);
    must(n1 == n2 && memcmp(t1, t2, n1) == 0, "format not a fixed point");

    /* d - d == 0, d + 0 == d, and (d + k) - k == d when both steps succeed. */
    struct ddb_decimal r, k, r2;
    must(ddb_decimal_sub(&d, &d, &r) == DDB_DEC_OK && r.coef == 0, "d - d");
    check_normal(&r);
    ddb_decimal_from_i64(7, &k);
    if (ddb_decimal_add(&d, &k, &r) == DDB_DEC_OK) {
        check_normal(&r);
        must(ddb_decimal_cmp(&r, &d) > 0, "d + 7 > d");
        must(ddb_decimal_sub(&r, &k, &r2) == DDB_DEC_OK, "(d + 7) - 7 fails");
        must(ddb_decimal_cmp(&r2, &d) == 0, "(d + 7) - 7 != d");
    }
    return 0;
}
