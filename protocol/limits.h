/*
 * limits.h: every limit ddbd enforces, in one place (SQLite's sqliteLimit.h).
 *
 * DDB_* values that mirror a DynamoDB limit say where DynamoDB documents it
 * ("Service, account, and table quotas" / "Constraints" in the developer
 * guide). The rest are ddbd's own caps on client-controlled sizes, chosen so
 * that no request can make the server allocate without bound.
 */
#ifndef DDB_LIMITS_H
#define DDB_LIMITS_H

/* HTTP */
#define DDB_MAX_REQUEST_BODY (16u * 1024 * 1024) /* body cap; larger answers 413 */
/* After an answer that closes the connection before the body is read (413, a
 * framing 400), the rest is read and discarded so that the client can read
 * the answer (server/http_framing.h); ddbd's own caps on that drain. */
#define DDB_HTTP_DRAIN_MAX_BYTES (64u * 1024 * 1024) /* per connection */
#define DDB_HTTP_DRAIN_MAX_MS 20000                  /* per connection */
#define DDB_HTTP_DRAIN_MAX_PER_THREAD 64             /* open at once, per event loop */

/* JSON reader (ddbd's own caps) */
#define DDB_JSON_MAX_DEPTH 256     /* nesting of arrays/objects in a request */
#define DDB_JSON_MAX_MEMBERS 100000 /* members of one object or array */

/* Items and attribute values (DynamoDB "Constraints") */
#define DDB_MAX_ITEM_SIZE (400u * 1024)  /* item size as DynamoDB computes it */
#define DDB_MAX_HASH_KEY_BYTES 2048      /* partition key value */
#define DDB_MAX_RANGE_KEY_BYTES 1024     /* sort key value */
#define DDB_MAX_NESTING_DEPTH 32         /* nested M/L levels in one value */
#define DDB_MAX_ATTR_NAME_BYTES 65535    /* attribute name length */
#define DDB_MAX_KEY_ATTR_NAME_BYTES 255  /* key attribute names */

/* Numbers: 38 significant digits, magnitude 1E-130 .. 9.99..E+125 */
#define DDB_NUMBER_MAX_DIGITS 38
#define DDB_NUMBER_MAX_EXP 125  /* largest decimal exponent of the first digit */
#define DDB_NUMBER_MIN_EXP (-130)
#define DDB_NUMBER_MAX_TEXT 200 /* longest number text accepted from a client */

/* Expressions (DynamoDB "Expression parameters") */
#define DDB_MAX_EXPRESSION_BYTES 4096
#define DDB_MAX_EXPRESSION_ATTR_NAMES_BYTES (2u * 1024 * 1024)
#define DDB_MAX_EXPRESSION_ATTR_VALUES_BYTES (2u * 1024 * 1024)
#define DDB_MAX_EXPRESSION_OPERATORS 300
#define DDB_MAX_IN_OPERANDS 100

/* Tables (DynamoDB "Naming rules", ListTables) */
#define DDB_TABLE_NAME_MIN 3
#define DDB_TABLE_NAME_MAX 255
#define DDB_LIST_TABLES_MAX 100

/* Secondary indexes (DynamoDB "Secondary indexes" quotas) */
#define DDB_MAX_LSI 5
#define DDB_MAX_GSI 20
#define DDB_MAX_PROJECTED_ATTRS 100 /* NonKeyAttributes summed over every index */
#define DDB_ITEM_COLLECTION_LIMIT (10ull * 1024 * 1024 * 1024) /* bytes per LSI item collection */

/* Query and Scan */
#define DDB_MAX_PAGE_BYTES (1024u * 1024) /* 1 MB of data read per page */
#define DDB_MAX_TOTAL_SEGMENTS 1000000

/* Transactions (DynamoDB "Transactions" quotas: the aggregate size of a
 * TransactWriteItems request; input_txn.h says what counts) */
#define DDB_TXN_MAX_PAYLOAD_BYTES (4u * 1024 * 1024)

/* Storage (ddbd's own) */
#define DDB_LOCK_STRIPES 4096 /* per-item lock stripes */

#endif
