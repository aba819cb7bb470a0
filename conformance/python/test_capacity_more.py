"""ReturnConsumedCapacity and ReturnItemCollectionMetrics on BatchGetItem, BatchWriteItem,
TransactGetItems and TransactWriteItems, and the per-index figures (INDEXES) of writes to and
reads of tables with secondary indexes. Figures recorded from DynamoDB Local in
protocol/MESSAGES-query-capacity.md ("Batches, transactions and indexes")."""
import pytest

from ddbconf import expect_error, reference_differs

V = "ValidationException"
RCC_MSG = ("1 validation error detected: Value '%s' at 'returnConsumedCapacity' failed to satisfy "
           "constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]")
RICM_MSG = ("1 validation error detected: Value '%s' at 'returnItemCollectionMetrics' failed to "
            "satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]")


def it(pk, sk, size, **extra):
    """An item of exactly `size` DynamoDB bytes (names + string values)."""
    item = {"pk": {"S": pk}, "sk": {"S": sk}}
    used = 2 + len(pk) + 2 + len(sk) + 1
    for k, v in extra.items():
        item[k] = {"S": v}
        used += len(k) + len(v)
    item["d"] = {"S": "x" * (size - used)}
    return item


def key(pk, sk):
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def by_table(resp):
    return {c["TableName"]: c for c in resp["ConsumedCapacity"]}


@pytest.fixture
def two(make_table):
    return make_table("S", "S"), make_table("S", "S")


IDX_ATTRS = [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"},
             {"AttributeName": "g", "AttributeType": "S"}, {"AttributeName": "h", "AttributeType": "S"}]


@pytest.fixture
def gsi_table(make_table):
    # gk: KEYS_ONLY on g; gi: INCLUDE y on h
    return make_table("S", "S", AttributeDefinitions=IDX_ATTRS, GlobalSecondaryIndexes=[
        {"IndexName": "gkx", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
         "Projection": {"ProjectionType": "KEYS_ONLY"}},
        {"IndexName": "gix", "KeySchema": [{"AttributeName": "h", "KeyType": "HASH"}],
         "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["y"]}}])


@pytest.fixture
def all_tables(make_table):
    """(table with a GSI projecting ALL on g, table with an LSI projecting ALL on g)."""
    ad = IDX_ATTRS[:3]
    g = make_table("S", "S", AttributeDefinitions=ad, GlobalSecondaryIndexes=[
        {"IndexName": "gax", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
         "Projection": {"ProjectionType": "ALL"}}])
    l = make_table("S", "S", AttributeDefinitions=ad, LocalSecondaryIndexes=[
        {"IndexName": "lax", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                          {"AttributeName": "g", "KeyType": "RANGE"}],
         "Projection": {"ProjectionType": "ALL"}}])
    return g, l


# ---- BatchWriteItem ----

def test_batch_write_shapes(ddb, two):
    a, b = two
    reqs = lambda: {a: [{"PutRequest": {"Item": it("p", "1", 1500)}}, {"PutRequest": {"Item": it("p", "2", 10)}}],
                    b: [{"PutRequest": {"Item": it("p", "1", 3000)}}]}
    r = ddb.batch_write_item(RequestItems=reqs(), ReturnConsumedCapacity="TOTAL")
    assert sorted(r["ConsumedCapacity"], key=lambda c: c["TableName"]) == sorted(
        [{"TableName": a, "CapacityUnits": 3.0}, {"TableName": b, "CapacityUnits": 3.0}],
        key=lambda c: c["TableName"])
    r = ddb.batch_write_item(RequestItems=reqs(), ReturnConsumedCapacity="INDEXES")
    assert by_table(r) == {a: {"TableName": a, "CapacityUnits": 3.0, "Table": {"CapacityUnits": 3.0}},
                           b: {"TableName": b, "CapacityUnits": 3.0, "Table": {"CapacityUnits": 3.0}}}
    r = ddb.batch_write_item(RequestItems=reqs(), ReturnConsumedCapacity="NONE")
    assert "ConsumedCapacity" not in r
    r = ddb.batch_write_item(RequestItems=reqs())
    assert "ConsumedCapacity" not in r and "ItemCollectionMetrics" not in r


def test_batch_write_figures(ddb, two):
    a, _ = two
    ddb.put_item(TableName=a, Item=it("e", "1", 3000))

    def units(req):
        return ddb.batch_write_item(RequestItems={a: [req]}, ReturnConsumedCapacity="TOTAL")[
            "ConsumedCapacity"][0]["CapacityUnits"]

    assert units({"PutRequest": {"Item": it("e", "1", 10)}}) == 3.0       # the larger image
    assert units({"PutRequest": {"Item": it("e", "1", 2049)}}) == 3.0
    assert units({"DeleteRequest": {"Key": key("e", "1")}}) == 3.0       # the deleted item
    assert units({"PutRequest": {"Item": it("n", "1", 1024)}}) == 1.0
    assert units({"PutRequest": {"Item": it("n", "2", 1025)}}) == 2.0
    ddb.put_item(TableName=a, Item=it("s", "1", 10))
    assert units({"DeleteRequest": {"Key": key("s", "1")}}) == 1.0


@reference_differs  # DynamoDB Local charges 2.0 for a batched delete of a missing item
def test_batch_write_delete_missing(ddb, two):
    a, _ = two
    r = ddb.batch_write_item(RequestItems={a: [{"DeleteRequest": {"Key": key("m", "1")}},
                                               {"DeleteRequest": {"Key": key("m", "2")}}]},
                             ReturnConsumedCapacity="TOTAL")
    assert r["ConsumedCapacity"] == [{"TableName": a, "CapacityUnits": 2.0}]  # 1.0 each, as DeleteItem


# ---- BatchGetItem ----

def test_batch_get_figures(ddb, two):
    a, b = two
    ddb.put_item(TableName=a, Item=it("e", "1", 9007))
    ddb.put_item(TableName=a, Item=it("e", "2", 4096))
    ddb.put_item(TableName=b, Item=it("e", "1", 4097))
    r = ddb.batch_get_item(RequestItems={a: {"Keys": [key("e", "1"), key("e", "2"), key("e", "9")]},
                                         b: {"Keys": [key("e", "1"), key("x", "1")], "ConsistentRead": True}},
                           ReturnConsumedCapacity="TOTAL")
    # a: 1.5 + 0.5 + missing 0; b: 2.0 + missing 0
    assert by_table(r) == {a: {"TableName": a, "CapacityUnits": 2.0}, b: {"TableName": b, "CapacityUnits": 2.0}}
    r = ddb.batch_get_item(RequestItems={a: {"Keys": [key("e", "1")], "ProjectionExpression": "pk"},
                                         b: {"Keys": [key("x", "1")], "ConsistentRead": True}},
                           ReturnConsumedCapacity="INDEXES")
    assert by_table(r) == {a: {"TableName": a, "CapacityUnits": 1.5, "Table": {"CapacityUnits": 1.5}},
                           b: {"TableName": b, "CapacityUnits": 0.0, "Table": {"CapacityUnits": 0.0}}}
    r = ddb.batch_get_item(RequestItems={a: {"Keys": [key("e", "1")]}}, ReturnConsumedCapacity="NONE")
    assert "ConsumedCapacity" not in r


# ---- TransactGetItems ----

def test_transact_get_figures(ddb, two):
    a, b = two
    ddb.put_item(TableName=a, Item=it("e", "1", 9007))
    ddb.put_item(TableName=a, Item=it("e", "2", 1500))
    items = [{"Get": {"TableName": a, "Key": key("e", "1")}},
             {"Get": {"TableName": a, "Key": key("e", "2"), "ProjectionExpression": "pk"}},
             {"Get": {"TableName": b, "Key": key("e", "9")}}]
    r = ddb.transact_get_items(TransactItems=items, ReturnConsumedCapacity="TOTAL")
    # twice a consistent read: 6 + 2, and 2 for the missing item
    assert by_table(r) == {a: {"TableName": a, "CapacityUnits": 8.0}, b: {"TableName": b, "CapacityUnits": 2.0}}
    r = ddb.transact_get_items(TransactItems=items, ReturnConsumedCapacity="INDEXES")
    assert by_table(r)[a] == {"TableName": a, "CapacityUnits": 8.0, "Table": {"CapacityUnits": 8.0}}
    r = ddb.transact_get_items(TransactItems=items, ReturnConsumedCapacity="NONE")
    assert "ConsumedCapacity" not in r


# ---- TransactWriteItems ----

def test_transact_write_figures(ddb, two):
    a, b = two
    ddb.put_item(TableName=a, Item=it("e", "1", 9007))
    ddb.put_item(TableName=b, Item=it("e", "1", 3000))
    ddb.put_item(TableName=b, Item=it("e", "2", 5000))
    # (no two actions on one table cost the same: DynamoDB Local sums a table's distinct
    # per-action figures only, so two equal ones count once there)
    r = ddb.transact_write_items(TransactItems=[
        {"ConditionCheck": {"TableName": a, "Key": key("e", "1"), "ConditionExpression": "attribute_exists(pk)"}},
        {"ConditionCheck": {"TableName": a, "Key": key("e", "9"), "ConditionExpression": "attribute_not_exists(pk)"}},
        {"Put": {"TableName": a, "Item": it("n", "1", 1500)}},
        {"Put": {"TableName": b, "Item": it("e", "1", 10)}},
        {"Delete": {"TableName": b, "Key": key("e", "2")}},
        {"Update": {"TableName": b, "Key": key("u", "1"), "UpdateExpression": "SET y = :v",
                    "ExpressionAttributeValues": {":v": {"S": "hi"}}}}],
        ReturnConsumedCapacity="TOTAL")
    # a: check 2 x 3 (read units of 9007 bytes) + missing check 2 x 1 + put 2 x 2 = 12
    # b: 2 x 3 (the larger image) + 2 x 5 + 2 x 1 = 18
    assert by_table(r) == {a: {"TableName": a, "CapacityUnits": 12.0}, b: {"TableName": b, "CapacityUnits": 18.0}}
    r = ddb.transact_write_items(TransactItems=[
        {"Update": {"TableName": a, "Key": key("e", "1"), "UpdateExpression": "REMOVE d"}}],
        ReturnConsumedCapacity="INDEXES")
    assert r["ConsumedCapacity"] == [{"TableName": a, "CapacityUnits": 18.0, "Table": {"CapacityUnits": 18.0}}]
    r = ddb.transact_write_items(TransactItems=[{"Put": {"TableName": a, "Item": it("z", "1", 10)}}],
                                 ReturnConsumedCapacity="NONE")
    assert "ConsumedCapacity" not in r


def test_transact_write_cancelled_has_no_capacity(ddb, two):
    a, _ = two
    r = expect_error(ddb.transact_write_items, "TransactionCanceledException", None,
                     TransactItems=[{"ConditionCheck": {"TableName": a, "Key": key("e", "1"),
                                                        "ConditionExpression": "attribute_exists(pk)"}}],
                     ReturnConsumedCapacity="TOTAL")
    assert "ConsumedCapacity" not in r


@reference_differs  # DynamoDB Local charges 1.0 (not doubled) for a transactional delete of a missing item
def test_transact_write_delete_missing(ddb, two):
    a, _ = two
    r = ddb.transact_write_items(TransactItems=[{"Delete": {"TableName": a, "Key": key("m", "1")}}],
                                 ReturnConsumedCapacity="TOTAL")
    assert r["ConsumedCapacity"] == [{"TableName": a, "CapacityUnits": 2.0}]


# ---- secondary indexes ----

def test_index_writes_put_update_delete(ddb, gsi_table):
    t = gsi_table

    def put(item):
        return ddb.put_item(TableName=t, Item=item, ReturnConsumedCapacity="INDEXES")["ConsumedCapacity"]

    # a new item in both indexes: each entry is small (keys only / keys + absent y)
    assert put(it("a", "1", 3000, g="x", h="y")) == {
        "TableName": t, "CapacityUnits": 5.0, "Table": {"CapacityUnits": 3.0},
        "GlobalSecondaryIndexes": {"gkx": {"CapacityUnits": 1.0}, "gix": {"CapacityUnits": 1.0}}}
    # only an attribute neither index projects changes: no index write
    assert put(it("a", "1", 2000, g="x", h="y")) == {"TableName": t, "CapacityUnits": 3.0,
                                                      "Table": {"CapacityUnits": 3.0}}
    # y (projected into gi) appears: gi's entry grows to ~1.5 KB
    r = ddb.update_item(TableName=t, Key=key("a", "1"), UpdateExpression="SET y = :v",
                        ExpressionAttributeValues={":v": {"S": "b" * 1500}}, ReturnConsumedCapacity="INDEXES")
    assert r["ConsumedCapacity"] == {"TableName": t, "CapacityUnits": 6.0, "Table": {"CapacityUnits": 4.0},
                                     "GlobalSecondaryIndexes": {"gix": {"CapacityUnits": 2.0}}}
    # h removed: gi's entry is deleted
    r = ddb.update_item(TableName=t, Key=key("a", "1"), UpdateExpression="REMOVE h",
                        ReturnConsumedCapacity="INDEXES")
    assert r["ConsumedCapacity"] == {"TableName": t, "CapacityUnits": 6.0, "Table": {"CapacityUnits": 4.0},
                                     "GlobalSecondaryIndexes": {"gix": {"CapacityUnits": 2.0}}}
    # TOTAL sums the table and the indexes
    r = ddb.delete_item(TableName=t, Key=key("a", "1"), ReturnConsumedCapacity="TOTAL")
    assert r["ConsumedCapacity"] == {"TableName": t, "CapacityUnits": 5.0}
    # an item in no index
    assert put(it("a", "2", 10)) == {"TableName": t, "CapacityUnits": 1.0, "Table": {"CapacityUnits": 1.0}}


def test_index_key_change_costs_delete_and_put(ddb, all_tables):
    g, l = all_tables

    def put(t, item):
        return ddb.put_item(TableName=t, Item=item, ReturnConsumedCapacity="INDEXES")["ConsumedCapacity"]

    assert put(g, it("a", "1", 1500, g="x")) == {"TableName": g, "CapacityUnits": 4.0, "Table": {"CapacityUnits": 2.0},
                                                  "GlobalSecondaryIndexes": {"gax": {"CapacityUnits": 2.0}}}
    # the same item again: the entry does not change
    assert put(g, it("a", "1", 1500, g="x")) == {"TableName": g, "CapacityUnits": 2.0, "Table": {"CapacityUnits": 2.0}}
    # the index key changes: delete the old entry and put the new one
    assert put(g, it("a", "1", 1500, g="y")) == {"TableName": g, "CapacityUnits": 6.0, "Table": {"CapacityUnits": 2.0},
                                                  "GlobalSecondaryIndexes": {"gax": {"CapacityUnits": 4.0}}}
    # same key, projection shrinks: the larger of the two entries
    assert put(g, it("a", "1", 100, g="y")) == {"TableName": g, "CapacityUnits": 4.0, "Table": {"CapacityUnits": 2.0},
                                                 "GlobalSecondaryIndexes": {"gax": {"CapacityUnits": 2.0}}}
    assert put(l, it("a", "1", 1500, g="x")) == {"TableName": l, "CapacityUnits": 4.0, "Table": {"CapacityUnits": 2.0},
                                                  "LocalSecondaryIndexes": {"lax": {"CapacityUnits": 2.0}}}
    assert put(l, it("a", "1", 1500, g="z")) == {"TableName": l, "CapacityUnits": 6.0, "Table": {"CapacityUnits": 2.0},
                                                  "LocalSecondaryIndexes": {"lax": {"CapacityUnits": 4.0}}}


def test_index_writes_in_batch_and_transaction(ddb, all_tables, gsi_table):
    g, l = all_tables
    r = ddb.batch_write_item(RequestItems={g: [{"PutRequest": {"Item": it("b", "1", 1500, g="y")}}],
                                           l: [{"PutRequest": {"Item": it("b", "1", 10, g="y")}}]},
                             ReturnConsumedCapacity="INDEXES")
    assert by_table(r) == {
        g: {"TableName": g, "CapacityUnits": 4.0, "Table": {"CapacityUnits": 2.0},
            "GlobalSecondaryIndexes": {"gax": {"CapacityUnits": 2.0}}},
        l: {"TableName": l, "CapacityUnits": 2.0, "Table": {"CapacityUnits": 1.0},
            "LocalSecondaryIndexes": {"lax": {"CapacityUnits": 1.0}}}}
    # transactions double the index writes too
    t = gsi_table
    r = ddb.transact_write_items(TransactItems=[{"Put": {"TableName": t, "Item": it("d", "1", 1500, g="x", h="y")}}],
                                 ReturnConsumedCapacity="INDEXES")
    assert r["ConsumedCapacity"] == [{"TableName": t, "CapacityUnits": 8.0, "Table": {"CapacityUnits": 4.0},
                                      "GlobalSecondaryIndexes": {"gkx": {"CapacityUnits": 2.0},
                                                                 "gix": {"CapacityUnits": 2.0}}}]
    r = ddb.transact_write_items(TransactItems=[
        {"ConditionCheck": {"TableName": t, "Key": key("d", "1"), "ConditionExpression": "attribute_exists(pk)"}},
        {"Put": {"TableName": t, "Item": it("e", "1", 10, g="x")}}], ReturnConsumedCapacity="INDEXES")
    assert r["ConsumedCapacity"] == [{"TableName": t, "CapacityUnits": 6.0, "Table": {"CapacityUnits": 4.0},
                                      "GlobalSecondaryIndexes": {"gkx": {"CapacityUnits": 2.0}}}]
    r = ddb.transact_write_items(TransactItems=[{"Delete": {"TableName": t, "Key": key("d", "1")}}],
                                 ReturnConsumedCapacity="INDEXES")
    assert r["ConsumedCapacity"] == [{"TableName": t, "CapacityUnits": 8.0, "Table": {"CapacityUnits": 4.0},
                                      "GlobalSecondaryIndexes": {"gkx": {"CapacityUnits": 2.0},
                                                                 "gix": {"CapacityUnits": 2.0}}}]


def test_index_reads(ddb, all_tables):
    g, l = all_tables
    ddb.put_item(TableName=g, Item=it("a", "1", 1500, g="y"))
    ddb.put_item(TableName=l, Item=it("a", "1", 1500, g="y"))
    r = ddb.query(TableName=g, IndexName="gax", KeyConditionExpression="g = :g",
                  ExpressionAttributeValues={":g": {"S": "y"}}, ReturnConsumedCapacity="INDEXES")
    assert r["ConsumedCapacity"] == {"TableName": g, "CapacityUnits": 0.5, "Table": {"CapacityUnits": 0.0},
                                     "GlobalSecondaryIndexes": {"gax": {"CapacityUnits": 0.5}}}
    r = ddb.query(TableName=l, IndexName="lax", KeyConditionExpression="pk = :p",
                  ExpressionAttributeValues={":p": {"S": "a"}}, ReturnConsumedCapacity="INDEXES")
    assert r["ConsumedCapacity"] == {"TableName": l, "CapacityUnits": 0.5, "Table": {"CapacityUnits": 0.0},
                                     "LocalSecondaryIndexes": {"lax": {"CapacityUnits": 0.5}}}
    r = ddb.scan(TableName=g, IndexName="gax", ReturnConsumedCapacity="INDEXES")
    assert r["ConsumedCapacity"] == {"TableName": g, "CapacityUnits": 0.5, "Table": {"CapacityUnits": 0.0},
                                     "GlobalSecondaryIndexes": {"gax": {"CapacityUnits": 0.5}}}
    r = ddb.scan(TableName=g, IndexName="gax", ReturnConsumedCapacity="TOTAL")
    assert r["ConsumedCapacity"] == {"TableName": g, "CapacityUnits": 0.5}
    # reads of the table itself list the table only
    r = ddb.get_item(TableName=g, Key=key("a", "1"), ReturnConsumedCapacity="INDEXES")
    assert r["ConsumedCapacity"] == {"TableName": g, "CapacityUnits": 0.5, "Table": {"CapacityUnits": 0.5}}
    r = ddb.transact_get_items(TransactItems=[{"Get": {"TableName": g, "Key": key("a", "1")}}],
                               ReturnConsumedCapacity="INDEXES")
    assert r["ConsumedCapacity"] == [{"TableName": g, "CapacityUnits": 2.0, "Table": {"CapacityUnits": 2.0}}]


# ---- ItemCollectionMetrics ----

def test_no_item_collection_metrics_without_lsi(ddb, two, all_tables):
    a, _ = two
    g, _ = all_tables
    r = ddb.batch_write_item(RequestItems={a: [{"PutRequest": {"Item": it("a", "1", 10)}}],
                                           g: [{"PutRequest": {"Item": it("a", "1", 10, g="x")}}]},
                             ReturnItemCollectionMetrics="SIZE")
    assert "ItemCollectionMetrics" not in r
    r = ddb.transact_write_items(TransactItems=[{"Put": {"TableName": a, "Item": it("b", "1", 10)}}],
                                 ReturnItemCollectionMetrics="SIZE")
    assert "ItemCollectionMetrics" not in r


@reference_differs  # DynamoDB Local never returns ItemCollectionMetrics
def test_item_collection_metrics_batch_and_transaction(ddb, two, all_tables):
    a, _ = two
    g, l = all_tables
    ddb.put_item(TableName=l, Item=it("p", "9", 10))
    r = ddb.batch_write_item(RequestItems={
        a: [{"PutRequest": {"Item": it("a", "1", 10)}}],
        l: [{"PutRequest": {"Item": it("p", "1", 10, g="x")}}, {"PutRequest": {"Item": it("q", "1", 10)}},
            {"DeleteRequest": {"Key": key("p", "9")}}]},
        ReturnItemCollectionMetrics="SIZE")
    want = lambda pk: {"ItemCollectionKey": {"pk": {"S": pk}}, "SizeEstimateRangeGB": [0.0, 1.0]}
    assert r["ItemCollectionMetrics"] == {l: [want("p"), want("q"), want("p")]}
    r = ddb.batch_write_item(RequestItems={l: [{"PutRequest": {"Item": it("p", "2", 10)}}]},
                             ReturnItemCollectionMetrics="NONE")
    assert "ItemCollectionMetrics" not in r
    r = ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": l, "Item": it("r", "1", 10, g="x")}},
        {"ConditionCheck": {"TableName": l, "Key": key("p", "1"), "ConditionExpression": "attribute_exists(pk)"}},
        {"Update": {"TableName": l, "Key": key("s", "1"), "UpdateExpression": "SET y = :v",
                    "ExpressionAttributeValues": {":v": {"S": "v"}}}},
        {"Put": {"TableName": g, "Item": it("r", "1", 10, g="x")}}],
        ReturnItemCollectionMetrics="SIZE", ReturnConsumedCapacity="TOTAL")
    assert r["ItemCollectionMetrics"] == {l: [want("r"), want("s")]}
    assert by_table(r)[l]["CapacityUnits"] == 8.0  # put 2 + index 2, check 2, update 2


# ---- invalid values ----

OPS = {
    "batch_get_item": lambda t: {"RequestItems": {t: {"Keys": [key("a", "1")]}}},
    "batch_write_item": lambda t: {"RequestItems": {t: [{"DeleteRequest": {"Key": key("a", "1")}}]}},
    "transact_get_items": lambda t: {"TransactItems": [{"Get": {"TableName": t, "Key": key("a", "1")}}]},
    "transact_write_items": lambda t: {"TransactItems": [{"Delete": {"TableName": t, "Key": key("a", "1")}}]},
}


@reference_differs  # DynamoDB Local accepts any value here
@pytest.mark.parametrize("op", sorted(OPS))
def test_bad_return_consumed_capacity(ddb, two, op):
    params = OPS[op](two[0])
    expect_error(getattr(ddb, op), V, RCC_MSG % "total", ReturnConsumedCapacity="total", **params)
    expect_error(getattr(ddb, op), "SerializationException", None, ReturnConsumedCapacity=5, **params)


@reference_differs  # DynamoDB Local accepts any value here
@pytest.mark.parametrize("op", ["batch_write_item", "transact_write_items"])
def test_bad_return_item_collection_metrics(ddb, two, op):
    params = OPS[op](two[0])
    expect_error(getattr(ddb, op), V, RICM_MSG % "ALL", ReturnItemCollectionMetrics="ALL", **params)
