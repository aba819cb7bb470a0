"""Secondary indexes: CreateTable validation, DescribeTable, maintenance on writes (sparse,
moves, deletes, bad index keys), Query/Scan with IndexName, UpdateTable GSI create/update/
delete with backfill under concurrent writes, ItemCollectionMetrics and the collection limit.
Messages: protocol/MESSAGES-index.md (AWS wording; DynamoDB Local's where it differs)."""
import os
import subprocess
import threading
import time

import pytest

from ddbconf import REFERENCE, expect_error, unique_name

PPR = {"BillingMode": "PAY_PER_REQUEST"}
KS = [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]
AD = [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}]
INV = "One or more parameter values were invalid: "


def ad(*extra):
    return AD + [{"AttributeName": n, "AttributeType": t} for n, t in extra]


def gsi(name="byStatus", h="gpk", r=None, proj=None, **kw):
    ks = [{"AttributeName": h, "KeyType": "HASH"}]
    if r:
        ks.append({"AttributeName": r, "KeyType": "RANGE"})
    d = {"IndexName": name, "KeySchema": ks, "Projection": proj or {"ProjectionType": "ALL"}}
    d.update(kw)
    return d


def lsi(name="byL", r="lsk", proj=None):
    return {"IndexName": name, "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                             {"AttributeName": r, "KeyType": "RANGE"}],
            "Projection": proj or {"ProjectionType": "ALL"}}


def create_err(ddb, msg, local=None, **kw):
    params = dict(TableName=unique_name("ix"), KeySchema=KS, AttributeDefinitions=AD, **PPR)
    params.update(kw)
    expect_error(ddb.create_table, "ValidationException", msg, local, **params)


@pytest.fixture
def tables(ddb):
    made = []

    def make(**kw):
        name = unique_name("ix")
        params = dict(TableName=name, KeySchema=KS, AttributeDefinitions=AD, **PPR)
        params.update(kw)
        ddb.create_table(**params)
        made.append(name)
        return name

    yield make
    for n in made:
        try:
            ddb.delete_table(TableName=n)
        except Exception:
            pass


# ---- CreateTable ----

def test_create_duplicate_index_names(ddb):
    create_err(ddb, INV + "Duplicate index name: gix", "Two global secondary indices have the same name",
               AttributeDefinitions=ad(("gpk", "S")), GlobalSecondaryIndexes=[gsi("gix"), gsi("gix")])
    create_err(ddb, INV + "Duplicate index name: six", "Two local secondary indices have the same name",
               AttributeDefinitions=ad(("lsk", "S")), LocalSecondaryIndexes=[lsi("six"), lsi("six")])
    create_err(ddb, INV + "Duplicate index name: xix",
               "Local Secondary Indices AND Global Secondary Indices must have different names",
               AttributeDefinitions=ad(("gpk", "S"), ("lsk", "S")),
               GlobalSecondaryIndexes=[gsi("xix")], LocalSecondaryIndexes=[lsi("xix")])


def test_create_index_key_not_defined(ddb):
    create_err(ddb, INV + "Some index key attributes are not defined in AttributeDefinitions. "
               "Keys: [gpk], AttributeDefinitions: [pk, sk]", "Attribute gpk is not defined in AttributeDefinitions",
               GlobalSecondaryIndexes=[gsi()])


def test_create_unused_attribute_definition_counts_index_keys(ddb, tables):
    create_err(ddb, INV + "Number of attributes in KeySchema does not exactly match number of attributes "
               "defined in AttributeDefinitions",
               "The number of attributes in key schema must match the number of attributes defined in "
               "attribute definitions.",
               AttributeDefinitions=ad(("gpk", "S"), ("zz", "N")), GlobalSecondaryIndexes=[gsi()])
    # an attribute used only by an index key counts
    tables(AttributeDefinitions=ad(("gpk", "S")), GlobalSecondaryIndexes=[gsi()])


def test_create_lsi_rules(ddb):
    create_err(ddb, INV + "Index KeySchema does not have a range key for index: byL",
               "Local secondary indices must have a range key",
               AttributeDefinitions=ad(("lsk", "S")),
               LocalSecondaryIndexes=[{"IndexName": "byL", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                                       "Projection": {"ProjectionType": "ALL"}}])
    create_err(ddb, INV + "Index KeySchema does not have the same leading hash key as table KeySchema for "
               "index: byL. index hash key: lsk, table hash key: pk",
               "Local Secondary indices must have the same hash key as the main table",
               AttributeDefinitions=ad(("lsk", "S")),
               LocalSecondaryIndexes=[{"IndexName": "byL", "KeySchema": [
                   {"AttributeName": "lsk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                   "Projection": {"ProjectionType": "ALL"}}])
    create_err(ddb, INV + "Table KeySchema does not have a range key, which is required when specifying a "
               "LocalSecondaryIndex",
               "Local Secondary indices are not allowed on hash tables, only hash and range tables",
               KeySchema=KS[:1], AttributeDefinitions=[AD[0], {"AttributeName": "lsk", "AttributeType": "S"}],
               LocalSecondaryIndexes=[lsi()])
    create_err(ddb, INV + "Number of LocalSecondaryIndexes exceeds per-table limit of 5",
               "Cannot have more than 5 local secondary indexes per table",
               AttributeDefinitions=ad(("lsk", "S")), LocalSecondaryIndexes=[lsi("lix%d" % i) for i in range(6)])


def test_create_gsi_limit_and_empty_lists(ddb):
    create_err(ddb, INV + "GlobalSecondaryIndex count exceeds the per-table limit of 20",
               "GlobalSecondaryIndex count exceeds the per-table limit",
               AttributeDefinitions=ad(("gpk", "S")), GlobalSecondaryIndexes=[gsi("gix%d" % i) for i in range(21)])
    create_err(ddb, INV + "List of GlobalSecondaryIndexes is empty", "GSI list is empty/invalid",
               GlobalSecondaryIndexes=[])


def test_create_index_name_rules(ddb):
    create_err(ddb, "1 validation error detected: Value 'ab' at 'globalSecondaryIndexes.1.member.indexName' "
               "failed to satisfy constraint: Member must have length greater than or equal to 3",
               "Invalid table/index name.  Table/index names must be between 3 and 255 characters long, and may "
               "contain only the characters a-z, A-Z, 0-9, '_', '-', and '.'",
               AttributeDefinitions=ad(("gpk", "S")), GlobalSecondaryIndexes=[gsi("ab")])


def test_create_projection_rules(ddb):
    A = ad(("gpk", "S"))
    create_err(ddb, INV + "ProjectionType is KEYS_ONLY, but NonKeyAttributes is specified",
               "No attributes should be specified to be projected unless projection type is INCLUDE",
               AttributeDefinitions=A, GlobalSecondaryIndexes=[
                   gsi(proj={"ProjectionType": "KEYS_ONLY", "NonKeyAttributes": ["a"]})])
    create_err(ddb, INV + "ProjectionType is INCLUDE, but NonKeyAttributes is not specified",
               "If Projection type INCLUDE is specified, some non-key attributes to include in the projection "
               "must be specified as well",
               AttributeDefinitions=A, GlobalSecondaryIndexes=[gsi(proj={"ProjectionType": "INCLUDE"})])
    create_err(ddb, INV + "Unknown ProjectionType: null", "Indexes must have a projection specified",
               AttributeDefinitions=A, GlobalSecondaryIndexes=[gsi(proj={"NonKeyAttributes": ["a"]})])


@pytest.mark.skipif(REFERENCE, reason="DynamoDB Local still applies the old limit of 20 projected attributes")
def test_create_projected_attribute_limit(ddb):
    A = ad(("gpk", "S"))
    create_err(ddb, INV + "Number of projected attributes in all indexes exceeds limit of 100, number of "
               "projected attributes: 101",
               AttributeDefinitions=A, GlobalSecondaryIndexes=[
                   gsi(proj={"ProjectionType": "INCLUDE", "NonKeyAttributes": ["a%d" % i for i in range(101)]})])


@pytest.mark.skipif(REFERENCE, reason="DynamoDB Local ignores GSI throughput on PAY_PER_REQUEST tables")
def test_create_gsi_throughput_rules(ddb):
    A = ad(("gpk", "S"))
    tp = {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}
    create_err(ddb, INV + "ProvisionedThroughput should not be specified for index: byStatus when BillingMode "
               "is PAY_PER_REQUEST", AttributeDefinitions=A, GlobalSecondaryIndexes=[gsi(ProvisionedThroughput=tp)])
    expect_error(ddb.create_table, "ValidationException",
                 INV + "ProvisionedThroughput is not specified for index: byStatus",
                 TableName=unique_name(), KeySchema=KS, AttributeDefinitions=A, ProvisionedThroughput=tp,
                 GlobalSecondaryIndexes=[gsi()])


def test_describe_shows_indexes(ddb, tables):
    tp = {"ReadCapacityUnits": 2, "WriteCapacityUnits": 3}
    name = tables(AttributeDefinitions=ad(("gpk", "S"), ("lsk", "N")), BillingMode="PROVISIONED",
                  ProvisionedThroughput=tp,
                  GlobalSecondaryIndexes=[gsi(proj={"ProjectionType": "INCLUDE", "NonKeyAttributes": ["a"]},
                                              ProvisionedThroughput=tp)],
                  LocalSecondaryIndexes=[lsi(proj={"ProjectionType": "KEYS_ONLY"})])
    t = ddb.describe_table(TableName=name)["Table"]
    arn = t["TableArn"]
    (g,) = t["GlobalSecondaryIndexes"]
    assert g["IndexName"] == "byStatus" and g["IndexStatus"] == "ACTIVE"
    assert g["Projection"] == {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["a"]}
    assert g["KeySchema"] == [{"AttributeName": "gpk", "KeyType": "HASH"}]
    assert g["ProvisionedThroughput"]["ReadCapacityUnits"] == 2
    assert g["ProvisionedThroughput"]["WriteCapacityUnits"] == 3
    assert g["IndexArn"] == arn + "/index/byStatus"
    assert g["ItemCount"] == 0 and g["IndexSizeBytes"] == 0
    (l,) = t["LocalSecondaryIndexes"]
    assert l["IndexName"] == "byL" and l["Projection"] == {"ProjectionType": "KEYS_ONLY"}
    assert l["IndexArn"] == arn + "/index/byL"
    assert "IndexStatus" not in l


# ---- maintenance ----

@pytest.fixture
def itab(ddb, tables):
    return tables(AttributeDefinitions=ad(("gpk", "S"), ("gsk", "N"), ("lsk", "N")),
                  GlobalSecondaryIndexes=[gsi("byStatus", "gpk", "gsk", {"ProjectionType": "KEYS_ONLY"}),
                                          gsi("incl", "gpk", None, {"ProjectionType": "INCLUDE",
                                                                    "NonKeyAttributes": ["a"]})],
                  LocalSecondaryIndexes=[lsi("byL", "lsk", {"ProjectionType": "KEYS_ONLY"})])


def q(ddb, table, index, g="g", **kw):
    hk = "pk" if index == "byL" else "gpk"
    r = ddb.query(TableName=table, IndexName=index, KeyConditionExpression="%s = :g" % hk,
                  ExpressionAttributeValues={":g": {"S": g}}, **kw)
    return r["Items"]


def test_write_index_key_type_mismatch(ddb, itab):
    expect_error(ddb.put_item, "ValidationException",
                 INV + "Type mismatch for Index Key gpk Expected: S Actual: N IndexName: byStatus",
                 INV + "Type mismatch for Index Key",
                 TableName=itab, Item={"pk": {"S": "p"}, "sk": {"S": "s"}, "gpk": {"N": "1"}})
    expect_error(ddb.put_item, "ValidationException",
                 INV + "Type mismatch for Index Key lsk Expected: N Actual: S IndexName: byL",
                 INV + "Type mismatch for Index Key",
                 TableName=itab, Item={"pk": {"S": "p"}, "sk": {"S": "s"}, "lsk": {"S": "x"}})
    expect_error(ddb.update_item, "ValidationException",
                 INV + "Type mismatch for Index Key gpk Expected: S Actual: N IndexName: byStatus",
                 INV + "Type mismatch for Index Key",
                 TableName=itab, Key={"pk": {"S": "p"}, "sk": {"S": "s"}}, UpdateExpression="SET gpk = :v",
                 ExpressionAttributeValues={":v": {"N": "1"}})


def test_write_index_key_empty(ddb, itab):
    expect_error(ddb.put_item, "ValidationException",
                 "One or more parameter values are not valid. A value specified for a secondary index key is not "
                 "supported. The AttributeValue for a key attribute cannot contain an empty string value. "
                 "IndexName: byStatus, IndexKey: gpk",
                 TableName=itab, Item={"pk": {"S": "p"}, "sk": {"S": "s"}, "gpk": {"S": ""}})
    expect_error(ddb.update_item, "ValidationException",
                 "One or more parameter values are not valid. The update expression attempted to update a "
                 "secondary index key to a value that is not supported. The AttributeValue for a key attribute "
                 "cannot contain an empty string value.",
                 TableName=itab, Key={"pk": {"S": "p"}, "sk": {"S": "s"}}, UpdateExpression="SET gpk = :v",
                 ExpressionAttributeValues={":v": {"S": ""}})


def test_sparse_move_and_delete(ddb, itab):
    key = {"pk": {"S": "p"}, "sk": {"S": "s1"}}
    ddb.put_item(TableName=itab, Item=dict(key, a={"S": "x"}))  # no index key: not indexed
    assert q(ddb, itab, "incl") == []
    ddb.update_item(TableName=itab, Key=key, UpdateExpression="SET gpk = :g, gsk = :n",
                    ExpressionAttributeValues={":g": {"S": "g"}, ":n": {"N": "5"}})
    assert q(ddb, itab, "byStatus") == [{"pk": {"S": "p"}, "sk": {"S": "s1"}, "gpk": {"S": "g"}, "gsk": {"N": "5"}}]
    assert q(ddb, itab, "incl") == [{"pk": {"S": "p"}, "sk": {"S": "s1"}, "gpk": {"S": "g"}, "a": {"S": "x"}}]
    # move between index keys: the old entry goes
    ddb.update_item(TableName=itab, Key=key, UpdateExpression="SET gpk = :g",
                    ExpressionAttributeValues={":g": {"S": "h"}})
    assert q(ddb, itab, "byStatus") == [] and q(ddb, itab, "incl") == []
    assert len(q(ddb, itab, "byStatus", "h")) == 1
    # removing the sort key attribute of a GSI drops the item from it only
    ddb.update_item(TableName=itab, Key=key, UpdateExpression="REMOVE gsk")
    assert q(ddb, itab, "byStatus", "h") == [] and len(q(ddb, itab, "incl", "h")) == 1
    ddb.delete_item(TableName=itab, Key=key)
    assert q(ddb, itab, "incl", "h") == []
    t = ddb.describe_table(TableName=itab)["Table"]
    for ix in t["GlobalSecondaryIndexes"] + t["LocalSecondaryIndexes"]:
        assert ix["ItemCount"] == 0 and ix["IndexSizeBytes"] == 0, ix


def test_index_counters(ddb, itab):
    if REFERENCE:
        pytest.skip("DynamoDB Local reports the table's size for every index")
    for i in range(3):
        ddb.put_item(TableName=itab, Item={"pk": {"S": "p"}, "sk": {"S": "s%d" % i}, "gpk": {"S": "g"},
                                          "gsk": {"N": str(i)}, "b": {"S": "yyyy"}})
    t = ddb.describe_table(TableName=itab)["Table"]
    counts = {ix["IndexName"]: ix["ItemCount"] for ix in t["GlobalSecondaryIndexes"] + t["LocalSecondaryIndexes"]}
    assert counts == {"byStatus": 3, "incl": 3, "byL": 0}


# ---- Query and Scan ----

@pytest.fixture
def filled(ddb, itab):
    for i in range(5):
        ddb.put_item(TableName=itab, Item={"pk": {"S": "p"}, "sk": {"S": "s%d" % i}, "gpk": {"S": "g"},
                                          "gsk": {"N": str(i)}, "lsk": {"N": str(10 - i)},
                                          "a": {"S": "x"}, "b": {"S": "y"}})
    return itab


def test_query_projection_and_paging(ddb, filled):
    r = ddb.query(TableName=filled, IndexName="byStatus", KeyConditionExpression="gpk = :g",
                  ExpressionAttributeValues={":g": {"S": "g"}}, Limit=2)
    assert r["Items"] == [{"pk": {"S": "p"}, "sk": {"S": "s%d" % i}, "gpk": {"S": "g"}, "gsk": {"N": str(i)}}
                          for i in range(2)]
    assert r["LastEvaluatedKey"] == {"pk": {"S": "p"}, "sk": {"S": "s1"}, "gpk": {"S": "g"}, "gsk": {"N": "1"}}
    r2 = ddb.query(TableName=filled, IndexName="byStatus", KeyConditionExpression="gpk = :g",
                   ExpressionAttributeValues={":g": {"S": "g"}}, ExclusiveStartKey=r["LastEvaluatedKey"])
    assert [it["gsk"]["N"] for it in r2["Items"]] == ["2", "3", "4"] and "LastEvaluatedKey" not in r2
    r = ddb.query(TableName=filled, IndexName="incl", KeyConditionExpression="gpk = :g",
                  ExpressionAttributeValues={":g": {"S": "g"}}, Select="ALL_PROJECTED_ATTRIBUTES", Limit=1)
    assert r["Items"] == [{"pk": {"S": "p"}, "sk": {"S": "s0"}, "gpk": {"S": "g"}, "a": {"S": "x"}}]
    # an LSI answers ALL_ATTRIBUTES from the base table, in index order
    r = ddb.query(TableName=filled, IndexName="byL", KeyConditionExpression="pk = :g",
                  ExpressionAttributeValues={":g": {"S": "p"}}, Select="ALL_ATTRIBUTES", Limit=1)
    assert r["Items"][0]["sk"] == {"S": "s4"} and r["Items"][0]["b"] == {"S": "y"}
    assert r["LastEvaluatedKey"] == {"pk": {"S": "p"}, "sk": {"S": "s4"}, "lsk": {"N": "6"}}


def test_query_index_errors(ddb, filled):
    base = dict(TableName=filled, KeyConditionExpression="gpk = :g", ExpressionAttributeValues={":g": {"S": "g"}})
    expect_error(ddb.query, "ValidationException", "The table does not have the specified index: nope",
                 IndexName="nope", **base)
    expect_error(ddb.query, "ValidationException", "Consistent reads are not supported on global secondary indexes",
                 IndexName="byStatus", ConsistentRead=True, **base)
    expect_error(ddb.query, "ValidationException",
                 INV + "Select type ALL_ATTRIBUTES is not supported for global secondary index byStatus because "
                 "its projection type is not ALL", IndexName="byStatus", Select="ALL_ATTRIBUTES", **base)
    expect_error(ddb.query, "ValidationException", INV + "Global secondary index byStatus does not project [b]",
                 IndexName="byStatus", ProjectionExpression="b", **base)
    expect_error(ddb.query, "ValidationException",
                 INV + "Secondary index byStatus does not project one or more filter attributes: [a]",
                 IndexName="byStatus", FilterExpression="a = :a",
                 **dict(base, ExpressionAttributeValues={":g": {"S": "g"}, ":a": {"S": "x"}}))
    expect_error(ddb.query, "ValidationException",
                 "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName",
                 TableName=filled, KeyConditionExpression="pk = :g", ExpressionAttributeValues={":g": {"S": "p"}},
                 Select="ALL_PROJECTED_ATTRIBUTES")
    expect_error(ddb.query, "ValidationException",
                 "The provided starting key is invalid: The provided key element does not match the schema",
                 "The provided starting key is invalid",
                 IndexName="byStatus", ExclusiveStartKey={"pk": {"S": "p"}, "sk": {"S": "s1"}}, **base)
    expect_error(ddb.query, "ValidationException", "The provided starting key does not match the range key predicate",
                 IndexName="byStatus", **base,
                 ExclusiveStartKey={"gpk": {"S": "h"}, "gsk": {"N": "1"}, "pk": {"S": "p"}, "sk": {"S": "s1"}})


def test_query_filter_on_index(ddb, filled):
    r = ddb.query(TableName=filled, IndexName="incl", KeyConditionExpression="gpk = :g", FilterExpression="sk > :s",
                  ExpressionAttributeValues={":g": {"S": "g"}, ":s": {"S": "s2"}})
    assert sorted(it["sk"]["S"] for it in r["Items"]) == ["s3", "s4"]
    assert r["ScannedCount"] == 5 and r["Count"] == 2


def test_scan_index_and_segments(ddb, filled):
    items = ddb.scan(TableName=filled, IndexName="byStatus")["Items"]
    assert len(items) == 5 and all(set(it) == {"pk", "sk", "gpk", "gsk"} for it in items)
    seg = []
    for s in range(3):
        seg += ddb.scan(TableName=filled, IndexName="byStatus", Segment=s, TotalSegments=3)["Items"]
    assert sorted(it["sk"]["S"] for it in seg) == ["s%d" % i for i in range(5)]
    expect_error(ddb.scan, "ValidationException", "Consistent reads are not supported on global secondary indexes",
                 TableName=filled, IndexName="byStatus", ConsistentRead=True)


# ---- ItemCollectionMetrics ----

@pytest.mark.skipif(REFERENCE, reason="DynamoDB Local does not return ItemCollectionMetrics")
def test_item_collection_metrics(ddb, itab):
    r = ddb.put_item(TableName=itab, Item={"pk": {"S": "p"}, "sk": {"S": "s"}, "lsk": {"N": "1"}},
                     ReturnItemCollectionMetrics="SIZE")
    assert r["ItemCollectionMetrics"] == {"ItemCollectionKey": {"pk": {"S": "p"}}, "SizeEstimateRangeGB": [0.0, 1.0]}
    r = ddb.delete_item(TableName=itab, Key={"pk": {"S": "p"}, "sk": {"S": "s"}}, ReturnItemCollectionMetrics="SIZE")
    assert r["ItemCollectionMetrics"]["ItemCollectionKey"] == {"pk": {"S": "p"}}
    expect_error(ddb.put_item, "ValidationException",
                 "1 validation error detected: Value 'BAD' at 'returnItemCollectionMetrics' failed to satisfy "
                 "constraint: Member must satisfy enum value set: [SIZE, NONE]",
                 TableName=itab, Item={"pk": {"S": "p"}, "sk": {"S": "s"}}, ReturnItemCollectionMetrics="BAD")


# ---- UpdateTable ----

def wait_active(ddb, table, index, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        for g in ddb.describe_table(TableName=table)["Table"].get("GlobalSecondaryIndexes", []):
            if g["IndexName"] == index and g["IndexStatus"] == "ACTIVE":
                return
        time.sleep(0.05)
    raise AssertionError("index %s never became ACTIVE" % index)


def test_update_table_gsi_errors(ddb, tables):
    name = tables(AttributeDefinitions=ad(("gpk", "S")), GlobalSecondaryIndexes=[gsi()])
    A = ad(("gpk", "S"), ("g2", "S"))
    expect_error(ddb.update_table, "LimitExceededException",
                 "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table",
                 TableName=name, AttributeDefinitions=A,
                 GlobalSecondaryIndexUpdates=[{"Create": gsi("gix2", "g2")}, {"Create": gsi("gix3", "g2")}])
    expect_error(ddb.update_table, "ValidationException",
                 INV + "Only one global secondary index update per index is allowed simultaneously. Index: gix2",
                 "Only one global secondary index update per index is allowed simultaneously.",
                 TableName=name, AttributeDefinitions=A,
                 GlobalSecondaryIndexUpdates=[{"Create": gsi("gix2", "g2")}, {"Delete": {"IndexName": "gix2"}}])
    if not REFERENCE:  # Local answers "No Attribute Schema Defined" / "Nothing to update"
        expect_error(ddb.update_table, "ValidationException",
                     INV + "AttributeDefinitions is not specified for index: gix2",
                     TableName=name, GlobalSecondaryIndexUpdates=[{"Create": gsi("gix2", "g2")}])
        expect_error(ddb.update_table, "ValidationException", "Attempting to create an index which already exists",
                     TableName=name, AttributeDefinitions=A, GlobalSecondaryIndexUpdates=[{"Create": gsi()}])
        expect_error(ddb.update_table, "ValidationException", INV + "List of GlobalSecondaryIndexUpdates is empty",
                     TableName=name, GlobalSecondaryIndexUpdates=[])
        expect_error(ddb.update_table, "ValidationException",
                     INV + "One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, "
                     "GlobalSecondaryIndexUpdate.Delete must not be null",
                     TableName=name, GlobalSecondaryIndexUpdates=[{}])


def test_update_table_create_and_delete_gsi(ddb, tables):
    name = tables()
    for i in range(50):
        ddb.put_item(TableName=name, Item={"pk": {"S": "p%d" % (i % 7)}, "sk": {"S": "s%d" % i},
                                          "g": {"S": "g%d" % (i % 3)}})
    r = ddb.update_table(TableName=name, AttributeDefinitions=ad(("g", "S")),
                         GlobalSecondaryIndexUpdates=[{"Create": gsi("byG", "g")}])
    (g,) = r["TableDescription"]["GlobalSecondaryIndexes"]
    assert g["IndexStatus"] == "CREATING"
    wait_active(ddb, name, "byG")
    got = []
    for k in range(3):
        got += ddb.query(TableName=name, IndexName="byG", KeyConditionExpression="g = :g",
                         ExpressionAttributeValues={":g": {"S": "g%d" % k}})["Items"]
    assert len(got) == 50
    r = ddb.update_table(TableName=name, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "byG"}}])
    if not REFERENCE:
        (g,) = r["TableDescription"]["GlobalSecondaryIndexes"]
        assert g["IndexStatus"] == "DELETING"
        t = ddb.describe_table(TableName=name)["Table"]
        assert "GlobalSecondaryIndexes" not in t
        assert [a["AttributeName"] for a in t["AttributeDefinitions"]] == ["pk", "sk"]
        expect_error(ddb.query, "ValidationException", "The table does not have the specified index: byG",
                     TableName=name, IndexName="byG", KeyConditionExpression="g = :g",
                     ExpressionAttributeValues={":g": {"S": "g0"}})


def scan_all(ddb, **kw):
    items, kw = [], dict(kw)
    while True:
        r = ddb.scan(**kw)
        items += r["Items"]
        if "LastEvaluatedKey" not in r:
            return items
        kw["ExclusiveStartKey"] = r["LastEvaluatedKey"]


def backfill_race(ddb, name, writers=4, per_writer=300, seconds=20):
    """Writers update items while a GSI is created; afterwards the GSI must equal the index recomputed
    from a Scan of the base table, entry for entry."""
    for i in range(400):
        ddb.put_item(TableName=name, Item={"pk": {"S": "p%d" % i}, "sk": {"S": "s"}, "g": {"S": "g%d" % (i % 5)},
                                          "v": {"N": "0"}})
    stop = time.time() + seconds
    errors = []

    def writer(w):
        try:
            for n in range(per_writer):
                if time.time() > stop:
                    return
                i = (w * 7919 + n * 31) % 450
                key = {"pk": {"S": "p%d" % i}, "sk": {"S": "s"}}
                if n % 11 == 0:
                    ddb.delete_item(TableName=name, Key=key)
                elif n % 5 == 0:
                    ddb.update_item(TableName=name, Key=key, UpdateExpression="REMOVE g")
                else:
                    ddb.update_item(TableName=name, Key=key, UpdateExpression="SET g = :g, v = :v",
                                    ExpressionAttributeValues={":g": {"S": "g%d" % (n % 7)}, ":v": {"N": str(n)}})
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(writers)]
    for t in threads:
        t.start()
    time.sleep(0.05)
    ddb.update_table(TableName=name, AttributeDefinitions=ad(("g", "S")),
                     GlobalSecondaryIndexUpdates=[{"Create": gsi("byG", "g")}])
    for t in threads:
        t.join()
    assert not errors, errors
    wait_active(ddb, name, "byG")
    base = scan_all(ddb, TableName=name)
    want = sorted((it["g"]["S"], it["pk"]["S"], it["v"]["N"]) for it in base if "g" in it)
    have = sorted((it["g"]["S"], it["pk"]["S"], it["v"]["N"]) for it in scan_all(ddb, TableName=name, IndexName="byG"))
    assert have == want
    if not REFERENCE:
        g = ddb.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"][0]
        assert g["ItemCount"] == len(want)


@pytest.mark.skipif(REFERENCE, reason="DynamoDB Local fails racing writes with InternalFailure while an "
                    "index is created")
def test_backfill_race(ddb, tables):
    backfill_race(ddb, tables())


DDBD_BIN = os.environ.get("DDBD_BIN")


@pytest.mark.skipif(not DDBD_BIN, reason="DDBD_BIN is not set")
def test_backfill_race_then_inspect(tmp_path):
    """The race again on a server of our own, slowed to expose the CREATING state; then
    ddbd-inspect --verify-indexes on the stopped server's data folder must agree."""
    from test_durability import Server
    srv = Server(str(tmp_path / "data"), str(tmp_path), ["--backfill-pause-ms", "20"]).start()
    try:
        ddb = srv.client()
        name = unique_name("ix")
        ddb.create_table(TableName=name, KeySchema=KS, AttributeDefinitions=AD, **PPR)
        backfill_race(ddb, name)
    finally:
        assert srv.stop() == 0
    inspect_verify(str(tmp_path / "data"))


def put_batch(ddb, name, n):
    """n items pk=p<i>, sk=s, g=g<i%5>, written 25 to a BatchWriteItem."""
    for start in range(0, n, 25):
        reqs = [{"PutRequest": {"Item": {"pk": {"S": "p%d" % i}, "sk": {"S": "s"}, "g": {"S": "g%d" % (i % 5)}}}}
                for i in range(start, min(n, start + 25))]
        assert ddb.batch_write_item(RequestItems={name: reqs})["UnprocessedItems"] == {}


def index_entries(ddb, name):
    return sorted((it["g"]["S"], it["pk"]["S"]) for it in scan_all(ddb, TableName=name, IndexName="byG"))


def inspect_verify(data_dir):
    inspect = os.path.join(os.path.dirname(os.path.dirname(DDBD_BIN)), "tools", "ddbd-inspect")
    r = subprocess.run([inspect, data_dir, "--verify-indexes"], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "byG: " in r.stdout and r.stdout.strip().endswith("0 differences"), r.stdout


@pytest.mark.skipif(not DDBD_BIN, reason="DDBD_BIN is not set")
def test_backfilling_index_is_creating_and_unreadable(tmp_path):
    """While a GSI backfills (slowed by --backfill-pause-ms) DescribeTable says CREATING with
    Backfilling, and Query and Scan on it answer AWS's ValidationException; then it is ACTIVE
    and complete."""
    from test_durability import Server
    srv = Server(str(tmp_path / "data"), str(tmp_path), ["--backfill-pause-ms", "400"]).start()
    try:
        ddb = srv.client()
        name = unique_name("ix")
        ddb.create_table(TableName=name, KeySchema=KS, AttributeDefinitions=AD, **PPR)
        put_batch(ddb, name, 1000)  # 4 batches of 256: at least 1.2 s of CREATING
        r = ddb.update_table(TableName=name, AttributeDefinitions=ad(("g", "S")),
                             GlobalSecondaryIndexUpdates=[{"Create": gsi("byG", "g")}])
        (g,) = r["TableDescription"]["GlobalSecondaryIndexes"]
        assert (g["IndexStatus"], g["Backfilling"]) == ("CREATING", True)
        (g,) = ddb.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"]
        assert (g["IndexStatus"], g["Backfilling"]) == ("CREATING", True)
        msg = "Cannot read from backfilling global secondary index: byG"
        expect_error(ddb.query, "ValidationException", msg, TableName=name, IndexName="byG",
                     KeyConditionExpression="g = :g", ExpressionAttributeValues={":g": {"S": "g0"}})
        expect_error(ddb.scan, "ValidationException", msg, TableName=name, IndexName="byG")
        wait_active(ddb, name, "byG")
        (g,) = ddb.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"]
        assert "Backfilling" not in g or g["Backfilling"] is False
        assert g["ItemCount"] == 1000
        assert index_entries(ddb, name) == sorted(("g%d" % (i % 5), "p%d" % i) for i in range(1000))
    finally:
        assert srv.stop() == 0


@pytest.mark.skipif(not DDBD_BIN, reason="DDBD_BIN is not set")
def test_backfill_resumes_after_kill9(tmp_path):
    """kill -9 in the middle of a slowed backfill; the restarted server resumes it: the index
    becomes ACTIVE and complete, and ddbd-inspect --verify-indexes finds no difference."""
    from test_durability import Server
    data = str(tmp_path / "data")
    srv = Server(data, str(tmp_path), ["--backfill-pause-ms", "500"]).start()
    try:
        ddb = srv.client()
        name = unique_name("ix")
        ddb.create_table(TableName=name, KeySchema=KS, AttributeDefinitions=AD, **PPR)
        put_batch(ddb, name, 2000)  # 8 batches of 256: about 3.5 s of backfill
        ddb.update_table(TableName=name, AttributeDefinitions=ad(("g", "S")),
                         GlobalSecondaryIndexUpdates=[{"Create": gsi("byG", "g")}])
        time.sleep(0.8)  # a batch or two done
        (g,) = ddb.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"]
        assert g["IndexStatus"] == "CREATING"
        srv.kill()
        srv.extra_args = []
        srv.restart()
        ddb = srv.client()
        wait_active(ddb, name, "byG")
        (g,) = ddb.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"]
        assert g["ItemCount"] == 2000
        assert index_entries(ddb, name) == sorted(("g%d" % (i % 5), "p%d" % i) for i in range(2000))
    finally:
        if srv.proc.poll() is None:
            assert srv.stop() == 0
    inspect_verify(data)


def test_update_table_gsi_provisioned_throughput(ddb, tables):
    """GlobalSecondaryIndexUpdates Update sets a GSI's ProvisionedThroughput on a PROVISIONED table."""
    pt = {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}
    name = tables(AttributeDefinitions=ad(("g", "S")), BillingMode="PROVISIONED", ProvisionedThroughput=pt,
                  GlobalSecondaryIndexes=[gsi("byG", "g", ProvisionedThroughput=pt)])
    r = ddb.update_table(TableName=name, GlobalSecondaryIndexUpdates=[
        {"Update": {"IndexName": "byG", "ProvisionedThroughput": {"ReadCapacityUnits": 7, "WriteCapacityUnits": 9}}}])
    if not REFERENCE:
        assert r["TableDescription"]["TableStatus"] == "UPDATING"
    (g,) = r["TableDescription"]["GlobalSecondaryIndexes"]
    assert (g["ProvisionedThroughput"]["ReadCapacityUnits"], g["ProvisionedThroughput"]["WriteCapacityUnits"]) == (7, 9)
    (g,) = ddb.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"]
    assert g["IndexStatus"] == "ACTIVE"
    assert (g["ProvisionedThroughput"]["ReadCapacityUnits"], g["ProvisionedThroughput"]["WriteCapacityUnits"]) == (7, 9)
    # the table's own throughput is untouched
    t = ddb.describe_table(TableName=name)["Table"]
    assert (t["ProvisionedThroughput"]["ReadCapacityUnits"], t["ProvisionedThroughput"]["WriteCapacityUnits"]) == (1, 1)


@pytest.mark.skipif(not DDBD_BIN, reason="DDBD_BIN is not set")
def test_item_collection_limit(tmp_path):
    """--item-collection-limit lowers the 10 GB limit so that the check can be tested."""
    from test_durability import Server
    srv = Server(str(tmp_path / "data"), str(tmp_path), ["--item-collection-limit", "2000"]).start()
    try:
        ddb = srv.client()
        name = unique_name("ix")
        ddb.create_table(TableName=name, KeySchema=KS, AttributeDefinitions=ad(("lsk", "S")),
                         LocalSecondaryIndexes=[lsi("byL", "lsk")], **PPR)
        big = "x" * 600
        ddb.put_item(TableName=name, Item={"pk": {"S": "p"}, "sk": {"S": "1"}, "lsk": {"S": "a"}, "v": {"S": big}})
        expect_error(ddb.put_item, "ItemCollectionSizeLimitExceededException", "Collection size exceeded.",
                     TableName=name, Item={"pk": {"S": "p"}, "sk": {"S": "2"}, "lsk": {"S": "b"}, "v": {"S": big}})
        # another partition is another collection
        ddb.put_item(TableName=name, Item={"pk": {"S": "q"}, "sk": {"S": "2"}, "lsk": {"S": "b"}, "v": {"S": big}})
        # shrinking is always allowed
        ddb.delete_item(TableName=name, Key={"pk": {"S": "p"}, "sk": {"S": "1"}})
    finally:
        assert srv.stop() == 0
