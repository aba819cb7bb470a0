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
/* Bytes one parse may take (its DOM in the arena and its stacks of open
 * containers' elements): PER_BYTE x body + BASE; beyond it the body is
 * refused like malformed JSON. A value costs 32 bytes of DOM (48 as an
 * object member) plus 32 on the stack while its container is open (the
 * stack doubles). The leanest valid DynamoDB shapes take about 14 bytes a
 * byte at their peak (a list of {"S":""}, 9 bytes a value: 8.9 of DOM, up
 * to 7 of stack; a set of distinct 3-character strings about 16); a flat
 * array of 100,000 zeros (the member cap) takes 7.4 MB, inside BASE. Hostile
 * shapes (a zero every 2 bytes held open at every depth) need 32 and more
 * and are refused. */
#define DDB_JSON_MEMORY_PER_BYTE 20
#define DDB_JSON_MEMORY_BASE (16u * 1024 * 1024)

/* Memory for requests in flight (ddbd's own). A request's parse may take
 * DDB_JSON_MEMORY_PER_BYTE x its body + BASE (352 MB for 16 MiB); the router reserves that much from
 * one server-wide budget before parsing, and answers ThrottlingException
 * (DynamoDB's answer to more than the service takes now) when it is spent.
 * Bodies up to FREE_BODY reserve nothing, so small requests are never
 * throttled; at most one request per event-loop thread is in flight. */
#define DDB_REQUEST_MEMORY_BUDGET (1024ull * 1024 * 1024) /* default --request-memory-budget */
#define DDB_REQUEST_MEMORY_FREE_BODY (64u * 1024)

/* malloc's mmap threshold, fixed at start (ddbd's own): blocks at least this
 * big (large arena blocks, h2o's buffers for large bodies) are mapped on
 * their own, so they go back to the kernel when freed. */
#define DDB_MALLOC_MMAP_THRESHOLD (128 * 1024)

/* Connections (ddbd's own) */
#define DDB_MAX_CONNECTIONS 10000 /* default --max-connections; the fd limit may lower it */
/* File descriptors kept for everything but connections (RocksDB's files,
 * the listening sockets, logs): ddbd raises its soft RLIMIT_NOFILE to the
 * hard limit and takes at most that minus this many connections. */
#define DDB_RESERVED_FDS 256
/* Input a client may pipeline beyond the request being answered. Requests
 * are answered one at a time per connection and reading stops while an
 * answer is unsent, but h2o reads whatever the kernel holds each time it
 * reads; a connection found holding more than this is closed after its
 * current answer (HTTP/1.1 lets a server do so; clients retry). */
#define DDB_MAX_PIPELINED_INPUT (64u * 1024)
/* Kernel buffers of each connection (SO_RCVBUF, SO_SNDBUF; the kernel
 * doubles them). Left alone, Linux grows them to tcp_rmem's and tcp_wmem's
 * maxima (32 MB and 4 MB here) for a client that never reads, and h2o keeps
 * writing answers into the room without returning to its event loop, so a
 * few such connections could hold megabytes each and starve new clients.
 * 256 KiB is still ample at LAN round trips (1.3 GB/s at 0.2 ms). */
#define DDB_SOCKET_RCVBUF (256 * 1024)
#define DDB_SOCKET_SNDBUF (256 * 1024)
/* An answer whose bytes the client has not acknowledged for this long
 * (its window stays shut: it does not read) closes the connection. */
#define DDB_WRITE_STALL_MS 10000
/* After accept() fails for lack of file descriptors (EMFILE/ENFILE), wait
 * this long before accepting again instead of spinning on the backlog. */
#define DDB_ACCEPT_BACKOFF_MS 100

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

/* ProvisionedThroughput ReadCapacityUnits and WriteCapacityUnits (the model's
 * PositiveLongObject, a long of at least 1; a number outside a long is a
 * SerializationException, input.c's ddb_in_int) */
#define DDB_MIN_CAPACITY_UNITS 1

/* Query and Scan */
#define DDB_MAX_PAGE_BYTES (1024u * 1024) /* 1 MB of data read per page */
#define DDB_MAX_TOTAL_SEGMENTS 1000000

/* Transactions (DynamoDB "Transactions" quotas: the aggregate size of a
 * TransactWriteItems request; input_txn.h says what counts) */
#define DDB_TXN_MAX_PAYLOAD_BYTES (4u * 1024 * 1024)

/* Storage (ddbd's own) */
#define DDB_LOCK_STRIPES 4096 /* per-item lock stripes */

#endif
