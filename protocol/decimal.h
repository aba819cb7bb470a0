/*
 * decimal.h: DynamoDB numbers, exactly (no doubles anywhere).
 *
 * A DynamoDB number has at most 38 significant digits and a magnitude of
 * 1E-130 to 9.9999999999999999999999999999999999999E+125 (or zero). It is
 * held as sign, an integer coefficient below 10^38 and a power of ten.
 *
 * Normal form (every function returns it, and equality of normal forms is
 * numeric equality): zero is {coef 0, exp 0, neg false}; otherwise coef has no
 * trailing decimal zero (coef % 10 != 0).
 *
 * Thread safety: all functions are pure.
 */
#ifndef DDB_DECIMAL_H
#define DDB_DECIMAL_H

#include "base.h"
#include "limits.h"

struct ddb_decimal {
    unsigned __int128 coef; /* < 10^38 */
    int32_t exp;            /* value = (neg ? -1 : 1) * coef * 10^exp */
    bool neg;               /* never true for zero */
};

enum ddb_decimal_status {
    DDB_DEC_OK = 0,
    DDB_DEC_SYNTAX,    /* not a number: DynamoDB's "cannot be converted to a numeric value" */
    DDB_DEC_PRECISION, /* more than 38 significant digits */
    DDB_DEC_OVERFLOW,  /* magnitude above the range */
    DDB_DEC_UNDERFLOW, /* non-zero magnitude below the range */
};

/* Longest text ddb_decimal_format() writes, including its NUL. */
#define DDB_DECIMAL_TEXT_MAX 176

/* Parses DynamoDB number text (optional sign, digits, optional fraction,
 * optional exponent, as DynamoDB accepts them) into normal form. The text
 * need not be NUL-terminated and may be any length (nothing is allocated).
 * Accepted: "+1", "01", ".5", "5.", "1e2", "1E+02", "-0" (zero); any Unicode
 * decimal digit of the BMP, as Java reads it ("\u0661" is 1). Refused
 * (DDB_DEC_SYNTAX): "", whitespace anywhere, hex, "NaN", "Infinity", a lone
 * sign or '.', "1e", more than ten exponent digits after its leading zeros,
 * an exponent or (fraction digits - exponent) outside 32 bits. Trailing zeros
 * are not significant ("1" followed by 40 zeros is fine). Checks run in
 * DynamoDB's order: syntax, then precision, then overflow/underflow. On
 * failure *out is untouched. */
enum ddb_decimal_status ddb_decimal_parse(const char *p, size_t n, struct ddb_decimal *out)
    DDB_MUST_CHECK;

/* Writes the text DynamoDB returns for d (e.g. 1.50 -> "1.5", 1E+2 -> "100")
 * into out (at least DDB_DECIMAL_TEXT_MAX bytes), NUL-terminated; returns the
 * length without the NUL. */
size_t ddb_decimal_format(const struct ddb_decimal *d, char *out);

/* Numeric order: <0, 0, >0. */
int ddb_decimal_cmp(const struct ddb_decimal *a, const struct ddb_decimal *b);

/* out = a + b and out = a - b, exactly, with DynamoDB's rules for results that
 * need more than 38 digits or leave the range: such results are refused, never
 * rounded (DDB_DEC_PRECISION, then DDB_DEC_OVERFLOW / DDB_DEC_UNDERFLOW, in
 * that order of checking, as DynamoDB does). On failure *out is untouched.
 * out may alias a or b. */
enum ddb_decimal_status ddb_decimal_add(const struct ddb_decimal *a, const struct ddb_decimal *b,
                                        struct ddb_decimal *out) DDB_MUST_CHECK;
enum ddb_decimal_status ddb_decimal_sub(const struct ddb_decimal *a, const struct ddb_decimal *b,
                                        struct ddb_decimal *out) DDB_MUST_CHECK;

/* DynamoDB's message for a failed status, as DynamoDB Local 3.3.1 words it
 * (static text; "" for DDB_DEC_OK). The message stands alone for values in
 * Item, Key, Expected and AttributeUpdates; inside ExpressionAttributeValues
 * DynamoDB wraps it: "ExpressionAttributeValues contains invalid value: "
 * + message + " for key " + placeholder. The same messages serve results of
 * ddb_decimal_add/sub (UpdateItem SET a = a + :v, ADD). See
 * protocol/MESSAGES-values.md. */
const char *ddb_decimal_message(enum ddb_decimal_status st);

/* A decimal from a machine integer (for counts and tests). */
void ddb_decimal_from_i64(int64_t v, struct ddb_decimal *out);

#endif
