/*
 * json_eq.h: DOM equality for the JSON tests and fuzz target (test-only).
 * Same type; numbers by raw text; strings and keys byte for byte; arrays
 * item by item; objects member by member in input order. Recursion is
 * bounded by the reader's depth cap.
 */
#ifndef DDB_TEST_JSON_EQ_H
#define DDB_TEST_JSON_EQ_H

#include "protocol/json.h"

static inline bool json_dom_equal(const struct ddb_json *a, const struct ddb_json *b)
{
    if (a->type != b->type || a->count != b->count)
        return false;
    switch (a->type) {
    case DDB_JSON_NUMBER:
    case DDB_JSON_STRING:
        return ddb_slice_eq(a->u.str, b->u.str);
    case DDB_JSON_ARRAY:
        for (uint32_t i = 0; i < a->count; i++)
            if (!json_dom_equal(&a->u.items[i], &b->u.items[i]))
                return false;
        return true;
    case DDB_JSON_OBJECT:
        for (uint32_t i = 0; i < a->count; i++)
            if (!ddb_slice_eq(a->u.members[i].key, b->u.members[i].key) ||
                !json_dom_equal(&a->u.members[i].value, &b->u.members[i].value))
                return false;
        return true;
    default:
        return true;
    }
}

#endif
