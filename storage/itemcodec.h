/*
 * itemcodec.h: the binary encoding of an item image (the RocksDB value of an
 * `items` entry, and the images in index and stream records).
 *
 * THE FORMAT IS ON DISK: change it only by adding a new version byte and
 * keeping the decoder of every old one.
 *
 * Item image, version 1:
 *
 *   offset  size  field
 *   0       1     format version: 0x01
 *   1       var   attribute count n (varint)
 *   ...     var   n attributes, each: name length (varint), name bytes,
 *                 value (below)
 *   (the image ends exactly after the last attribute)
 *
 * varint: unsigned LEB128 of a value below 2^32, 1 to 5 bytes, low 7 bits
 * first, bit 7 set on every byte but the last; shortest form only (a
 * multi-byte varint does not end in 0x00).
 *
 * value: one tag byte, then its payload:
 *
 *   tag   type  payload
 *   0x01  S     length (varint), UTF-8 bytes
 *   0x02  N     number (below)
 *   0x03  B     length (varint), bytes
 *   0x04  SS    size (varint), count >= 1 (varint), count x (length, bytes)
 *   0x05  NS    size (varint), count >= 1 (varint), count x number
 *   0x06  BS    size (varint), count >= 1 (varint), count x (length, bytes)
 *   0x07  M     size (varint), count (varint), count x (name length, name, value)
 *   0x08  L     size (varint), count (varint), count x value
 *   0x09  NULL  none
 *   0x0A  BOOL  1 byte: 0x00 false, 0x01 true
 *
 * size is the number of bytes after the size varint up to the end of the
 * container (count included), so a reader can skip a container without
 * walking it. M and L nest up to DDB_ITEMCODEC_MAX_DEPTH levels (DynamoDB
 * allows 32).
 *
 * number:
 *   1 byte  head: 0x00 is zero and nothing follows; otherwise bit 7 is the
 *           sign (1 negative), bits 0-4 the coefficient length L (1..16),
 *           bits 5-6 zero
 *   var     exponent, zigzag-encoded varint ((e << 1) ^ (e >> 31))
 *   L bytes coefficient, unsigned big-endian, first byte non-zero
 *   value = sign * coefficient * 10^exponent, in decimal.h's normal form:
 *   coefficient < 10^38, not a multiple of 10, exponent of the first digit
 *   in -130..125.
 *
 * The decoder treats the bytes as hostile: every length is checked against
 * the end, counts are bounded by the bytes left before anything is
 * allocated, nesting is capped, numbers and BOOL bytes are validated, and
 * anything else (unknown version or tag, trailing bytes) is corruption. An
 * accepted image re-encodes to the same bytes. Not checked: UTF-8 validity
 * of S, uniqueness of names and set elements.
 *
 * Thread safety: pure functions; buffers and arenas belong to the caller.
 */
#ifndef DDB_ITEMCODEC_H
#define DDB_ITEMCODEC_H

#include "protocol/buf.h"
#include "protocol/error.h"
#include "protocol/value.h"

#define DDB_ITEMCODEC_VERSION 1
#define DDB_ITEMCODEC_MAX_DEPTH (DDB_MAX_NESTING_DEPTH + 8) /* M/L levels below an attribute */

/* Appends the image of item to b. Items are trusted (validated input or
 * decoded images); as a "cannot happen" check, returns -1 with
 * DDB_ERR_INTERNAL (message in b's arena) for what the decoder would refuse:
 * nesting deeper than DDB_ITEMCODEC_MAX_DEPTH, an empty set, a number not in
 * normal form or out of range, an unknown type. b may then hold a partial
 * image. */
int ddb_itemcodec_encode(struct ddb_buf *b, const struct ddb_item *item,
                         struct ddb_error *e) DDB_MUST_CHECK;

/* Decodes the image p[0..n) into *out, allocating the attribute and element
 * arrays in a. ZERO-COPY: names and S/B bytes of the result point into p, so
 * p must live as long as the item (copy the RocksDB value into the arena
 * first). Returns 0, or -1 with DDB_ERR_INTERNAL and the message
 * "corrupt item at offset N: ..." (in a). */
int ddb_itemcodec_decode(struct ddb_arena *a, const char *p, size_t n, struct ddb_item *out,
                         struct ddb_error *e) DDB_MUST_CHECK;

/* Decodes only the top-level attribute called name, skipping the others
 * (containers by their size field, without validating their insides).
 * Returns 1 and fills *out if found, 0 if the image has no such attribute,
 * -1 on corruption (as ddb_itemcodec_decode). Same zero-copy rule. */
int ddb_itemcodec_get(struct ddb_arena *a, const char *p, size_t n, ddb_slice name,
                      struct ddb_value *out, struct ddb_error *e) DDB_MUST_CHECK;

#endif
