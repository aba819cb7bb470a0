"""ReturnConsumedCapacity (NONE, TOTAL, INDEXES) and ReturnItemCollectionMetrics on the item
operations, Query and Scan: DynamoDB's arithmetic and JSON shape. Figures recorded from
DynamoDB Local in protocol/MESSAGES-query-capacity.md."""
import json

import pytest

from ddbconf import ACCESS_KEY, expect_error, raw_request, reference_differs

V = "ValidationException"
# the client's access key: DynamoDB Local keeps one database per access key
SAME_KEY = {"Authorization": "AWS4-HMAC-SHA256 Credential=%s/20260101/us-east-1/dynamodb/aws4_request, "
            "SignedHeaders=host;x-amz-date, Signature=abc" % ACCESS_KEY}


def it(pk, sk, size):
    # DynamoDB item size: "pk"+pk + "sk"+sk + "d"+data
    return {"pk": {"S": pk}, "sk": {"S": sk}, "d": {"S": "x" * (size - 5 - len(pk) - len(sk))}}


def key(pk, sk):
    return {"pk": {"S": pk}, "sk": {"S": sk}}


@pytest.fixture
def tab(make_table):
    return make_table("S", "S")


def cu(resp):
    return resp["ConsumedCapacity"]["CapacityUnits"]


def test_shapes_total_indexes_none(ddb, tab):
    r = ddb.put_item(TableName=tab, Item=it("a", "a", 10), ReturnConsumedCapacity="TOTAL")
    assert r["ConsumedCapacity"] == {"TableName": tab, "CapacityUnits": 1.0}
    r = ddb.put_item(TableName=tab, Item=it("a", "a", 10), ReturnConsumedCapacity="INDEXES")
    assert r["ConsumedCapacity"] == {"TableName": tab, "CapacityUnits": 1.0, "Table": {"CapacityUnits": 1.0}}
    r = ddb.put_item(TableName=tab, Item=it("a", "a", 10), ReturnConsumedCapacity="NONE")
    assert "ConsumedCapacity" not in r
    r = ddb.put_item(TableName=tab, Item=it("a", "a", 10))
    assert "ConsumedCapacity" not in r


@pytest.mark.parametrize("op", ["PutItem", "GetItem", "Query", "Scan"])
def test_raw_json_numbers(tab, ddb, op):
    ddb.put_item(TableName=tab, Item=it("a", "a", 10))
    body = {"TableName": tab, "ReturnConsumedCapacity": "INDEXES"}
    if op == "PutItem":
        body["Item"] = it("a", "a", 10)
    elif op == "GetItem":
        body["Key"] = key("a", "a")
    elif op == "Query":
        body.update(KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "a"}})
    r = raw_request(json.dumps(body), target="DynamoDB_20120810." + op, extra_headers=SAME_KEY)
    assert r.status == 200
    want = 1.0 if op == "PutItem" else 0.5
    text = r.body.decode()
    assert '"CapacityUnits":%.1f' % want in text.replace(" ", ""), text
    assert r.json()["ConsumedCapacity"] == {"TableName": tab, "CapacityUnits": want,
                                            "Table": {"CapacityUnits": want}}


@pytest.mark.parametrize("size,units", [(1, 1.0), (1024, 1.0), (1025, 2.0), (2048, 2.0), (2049, 3.0),
                                        (400 * 1024, 400.0)])
def test_put_new_item_1kb_units(ddb, tab, size, units):
    r = ddb.put_item(TableName=tab, Item=it("s", "s", max(size, 7)), ReturnConsumedCapacity="TOTAL")
    assert cu(r) == units


def test_writes_use_the_larger_of_old_and_new(ddb, tab):
    ddb.put_item(TableName=tab, Item=it("o", "o", 3007))
    assert cu(ddb.put_item(TableName=tab, Item=it("o", "o", 17), ReturnConsumedCapacity="TOTAL")) == 3.0
    assert cu(ddb.put_item(TableName=tab, Item=it("o", "o", 2507), ReturnConsumedCapacity="TOTAL")) == 3.0
    assert cu(ddb.delete_item(TableName=tab, Key=key("o", "o"), ReturnConsumedCapacity="TOTAL")) == 3.0
    # a delete of a missing item still costs one unit
    r = ddb.delete_item(TableName=tab, Key=key("o", "o"), ReturnConsumedCapacity="INDEXES")
    assert r["ConsumedCapacity"] == {"TableName": tab, "CapacityUnits": 1.0, "Table": {"CapacityUnits": 1.0}}


def test_update_capacity(ddb, tab):
    ddb.put_item(TableName=tab, Item=it("u", "u", 3007))
    r = ddb.update_item(TableName=tab, Key=key("u", "u"), UpdateExpression="REMOVE d", ReturnConsumedCapacity="TOTAL")
    assert cu(r) == 3.0
    # new item: pk u2 (4) + sk u (3) + d (1 + 5000) = 5008 bytes
    r = ddb.update_item(TableName=tab, Key=key("u2", "u"), UpdateExpression="SET d = :d",
                        ExpressionAttributeValues={":d": {"S": "x" * 5000}}, ReturnConsumedCapacity="INDEXES",
                        ReturnValues="UPDATED_NEW")
    assert r["ConsumedCapacity"] == {"TableName": tab, "CapacityUnits": 5.0, "Table": {"CapacityUnits": 5.0}}
    assert r["Attributes"] == {"d": {"S": "x" * 5000}}


def test_failed_condition_has_no_capacity(ddb, tab):
    ddb.put_item(TableName=tab, Item=it("c", "c", 10))
    r = expect_error(ddb.put_item, "ConditionalCheckFailedException", "The conditional request failed",
                     TableName=tab, Item=it("c", "c", 10), ConditionExpression="attribute_not_exists(pk)",
                     ReturnConsumedCapacity="TOTAL")
    assert "ConsumedCapacity" not in r


@pytest.mark.parametrize("size,eventual,strong", [(4096, 0.5, 1.0), (4097, 1.0, 2.0), (9007, 1.5, 3.0), (None, 0.5, 1.0)])
def test_get_item_4kb_units(ddb, tab, size, eventual, strong):
    if size is not None:
        ddb.put_item(TableName=tab, Item=it("g", "g", size))
    for consistent, want in ((False, eventual), (True, strong)):
        r = ddb.get_item(TableName=tab, Key=key("g", "g"), ConsistentRead=consistent, ReturnConsumedCapacity="TOTAL")
        assert r["ConsumedCapacity"] == {"TableName": tab, "CapacityUnits": want}


def test_get_item_projection_costs_the_whole_item(ddb, tab):
    ddb.put_item(TableName=tab, Item=it("g", "g", 9007))
    r = ddb.get_item(TableName=tab, Key=key("g", "g"), ProjectionExpression="pk", ReturnConsumedCapacity="TOTAL")
    assert r["Item"] == {"pk": {"S": "g"}}
    assert cu(r) == 1.5


@pytest.fixture
def q10(ddb, tab):
    # ten items of exactly 1000 bytes in partition q, two of 2000 bytes in partition r
    for j in range(10):
        ddb.put_item(TableName=tab, Item=it("q", str(j), 1000))
    for j in range(2):
        ddb.put_item(TableName=tab, Item=it("r", str(j), 2000))
    return tab


def qq(ddb, tab, **kw):
    ev = dict({":p": {"S": "q"}}, **kw.pop("values", {}))
    return ddb.query(TableName=tab, KeyConditionExpression="pk = :p", ExpressionAttributeValues=ev, **kw)


@pytest.mark.parametrize("kw,units", [
    ({}, 1.5),                                   # 10000 bytes: 3 units, halved
    ({"ConsistentRead": True}, 3.0),
    ({"ConsistentRead": True, "Limit": 4}, 1.0),  # 4000 bytes
    ({"ConsistentRead": True, "Limit": 5}, 2.0),  # 5000 bytes
    ({"ConsistentRead": True, "Select": "COUNT"}, 3.0),
    ({"ConsistentRead": True, "ProjectionExpression": "pk"}, 3.0),
    ({"ConsistentRead": True, "FilterExpression": "d = :z", "values": {":z": {"S": "no"}}}, 3.0),
])
def test_query_sums_items_read(ddb, q10, kw, units):
    r = qq(ddb, q10, ReturnConsumedCapacity="TOTAL", **kw)
    assert r["ConsumedCapacity"] == {"TableName": q10, "CapacityUnits": units}


def test_query_nothing_read_costs_zero(ddb, q10):
    r = qq(ddb, q10, values={":p": {"S": "none"}}, ReturnConsumedCapacity="INDEXES")
    assert r["ConsumedCapacity"] == {"TableName": q10, "CapacityUnits": 0.0, "Table": {"CapacityUnits": 0.0}}


def test_scan_sums_items_read(ddb, q10):
    # 10 x 1000 + 2 x 2000 = 14000 bytes: 4 units
    r = ddb.scan(TableName=q10, ReturnConsumedCapacity="TOTAL")
    assert r["ConsumedCapacity"] == {"TableName": q10, "CapacityUnits": 2.0}
    r = ddb.scan(TableName=q10, ReturnConsumedCapacity="INDEXES", ConsistentRead=True)
    assert r["ConsumedCapacity"] == {"TableName": q10, "CapacityUnits": 4.0, "Table": {"CapacityUnits": 4.0}}
    r = ddb.scan(TableName=q10, ReturnConsumedCapacity="NONE")
    assert "ConsumedCapacity" not in r


def test_item_collection_metrics_without_lsi_is_absent(ddb, tab):
    r = ddb.put_item(TableName=tab, Item=it("m", "m", 10), ReturnItemCollectionMetrics="SIZE")
    assert "ItemCollectionMetrics" not in r
    r = ddb.update_item(TableName=tab, Key=key("m", "m"), UpdateExpression="SET e = :e",
                        ExpressionAttributeValues={":e": {"S": "x"}}, ReturnItemCollectionMetrics="SIZE",
                        ReturnConsumedCapacity="TOTAL")
    assert "ItemCollectionMetrics" not in r and cu(r) == 1.0
    r = ddb.delete_item(TableName=tab, Key=key("m", "m"), ReturnItemCollectionMetrics="NONE")
    assert "ItemCollectionMetrics" not in r


RCC_MSG = ("1 validation error detected: Value '%s' at 'returnConsumedCapacity' failed to satisfy constraint: "
           "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]")
RICM_MSG = ("1 validation error detected: Value '%s' at 'returnItemCollectionMetrics' failed to satisfy "
            "constraint: Member must satisfy enum value set: [SIZE, NONE]")


@reference_differs  # DynamoDB Local accepts any value here
@pytest.mark.parametrize("op", ["put_item", "get_item", "update_item", "delete_item", "query", "scan"])
def test_bad_return_consumed_capacity(ddb, tab, op):
    params = {"TableName": tab, "ReturnConsumedCapacity": "total"}
    if op == "put_item":
        params["Item"] = it("a", "a", 10)
    elif op == "query":
        params.update(KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "a"}})
    elif op != "scan":
        params["Key"] = key("a", "a")
    expect_error(getattr(ddb, op), V, RCC_MSG % "total", **params)


@reference_differs  # DynamoDB Local accepts any value here
@pytest.mark.parametrize("op", ["put_item", "update_item", "delete_item"])
def test_bad_return_item_collection_metrics(ddb, tab, op):
    params = {"TableName": tab, "ReturnItemCollectionMetrics": "ALL"}
    if op == "put_item":
        params["Item"] = it("a", "a", 10)
    else:
        params["Key"] = key("a", "a")
    expect_error(getattr(ddb, op), V, RICM_MSG % "ALL", **params)


@reference_differs  # DynamoDB Local ignores it and answers 200
def test_return_consumed_capacity_not_a_string(ddb, tab):
    r = raw_request(json.dumps({"TableName": tab, "Key": key("a", "a"), "ReturnConsumedCapacity": 5}),
                    target="DynamoDB_20120810.GetItem", extra_headers=SAME_KEY)
    assert r.status == 400
    body = r.json()
    assert body["__type"] == "com.amazon.coral.service#SerializationException"
    assert body["Message"] == "NUMBER_VALUE cannot be converted to String"
