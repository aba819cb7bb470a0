"""A failed write writes nothing: BatchWriteItem checks every request's index keys before its
first write, TransactWriteItems every action's (and its 4 MB payload); an UpdateItem of a
missing item that only takes away creates nothing; a GSI created on a live table skips the
items a write could not have indexed; list elements written past the end land by ascending
index. Messages: protocol/MESSAGES-batch.md, MESSAGES-txn.md, MESSAGES-expr.md,
MESSAGES-index.md."""
import os
import subprocess
import time

import pytest

from ddbconf import REFERENCE, expect_error, reference_differs, unique_name

PPR = {"BillingMode": "PAY_PER_REQUEST"}
INV = "One or more parameter values were invalid: "
EMPTY_GK = ("One or more parameter values are not valid. A value specified for a secondary index key is "
            "not supported. The AttributeValue for a key attribute cannot contain an empty string value. "
            "IndexName: gix, IndexKey: gk")
EMPTY_UPDATE = ("One or more parameter values are not valid. The update expression attempted to update a "
                "secondary index key to a value that is not supported. The AttributeValue for a key "
                "attribute cannot contain an empty string value.")


@pytest.fixture
def tables(ddb):
    made = []

    def make(gsi=True, **kw):
        name = unique_name("aw")
        ad = [{"AttributeName": "pk", "AttributeType": "S"}]
        params = dict(TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], **PPR)
        if gsi:
            ad += [{"AttributeName": "gk", "AttributeType": "S"}, {"AttributeName": "gr", "AttributeType": "S"}]
            params["GlobalSecondaryIndexes"] = [{
                "IndexName": "gix", "Projection": {"ProjectionType": "ALL"},
                "KeySchema": [{"AttributeName": "gk", "KeyType": "HASH"},
                              {"AttributeName": "gr", "KeyType": "RANGE"}]}]
        params["AttributeDefinitions"] = ad
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


def keys_of(ddb, table):
    items, kw = [], {"TableName": table, "ConsistentRead": True}
    while True:
        r = ddb.scan(**kw)
        items += [it["pk"]["S"] for it in r["Items"]]
        if "LastEvaluatedKey" not in r:
            return sorted(items)
        kw["ExclusiveStartKey"] = r["LastEvaluatedKey"]


def item_count(ddb, table):
    return ddb.describe_table(TableName=table)["Table"]["ItemCount"]


def assert_absent(ddb, table, *pks):
    for pk in pks:
        r = ddb.get_item(TableName=table, Key={"pk": {"S": pk}}, ConsistentRead=True)
        assert "Item" not in r, r


# ---- BatchWriteItem: every index key before the first write ----

BAD_INDEX_VALUES = [
    ("empty", {"gk": {"S": ""}}, EMPTY_GK, None),
    ("type", {"gk": {"N": "1"}}, INV + "Type mismatch for Index Key gk Expected: S Actual: N IndexName: gix",
     INV + "Type mismatch for Index Key"),
    ("hash_size", {"gk": {"S": "h" * 2049}},
     INV + "Size of hashkey has exceeded the maximum size limit of 2048 bytes", INV + "Size limit exceeded"),
    ("range_size", {"gk": {"S": "g"}, "gr": {"S": "r" * 1025}},
     INV + "Aggregated size of all range keys has exceeded the size limit of 1024 bytes",
     INV + "Size limit exceeded"),
]


@pytest.mark.parametrize("case,bad,message,local", BAD_INDEX_VALUES, ids=[c[0] for c in BAD_INDEX_VALUES])
def test_batch_bad_index_key_writes_nothing(ddb, tables, case, bad, message, local):
    name, other = tables(), tables(gsi=False)
    ddb.put_item(TableName=name, Item={"pk": {"S": "old"}})
    good = {"PutRequest": {"Item": {"pk": {"S": "a"}, "gk": {"S": "ok"}, "gr": {"S": "r"}}}}
    expect_error(ddb.batch_write_item, "ValidationException", message, local, RequestItems={
        other: [{"PutRequest": {"Item": {"pk": {"S": "o"}}}}],
        name: [good, {"DeleteRequest": {"Key": {"pk": {"S": "old"}}}},
               {"PutRequest": {"Item": dict({"pk": {"S": "b"}}, **bad)}}],
    })
    assert keys_of(ddb, name) == ["old"]
    assert keys_of(ddb, other) == []
    assert_absent(ddb, name, "a", "b")
    assert item_count(ddb, name) == 1 and item_count(ddb, other) == 0
    assert ddb.scan(TableName=name, IndexName="gix")["Items"] == []


def test_batch_good_index_keys_still_write(ddb, tables):
    name = tables()
    ddb.batch_write_item(RequestItems={name: [
        {"PutRequest": {"Item": {"pk": {"S": "a"}, "gk": {"S": "g"}, "gr": {"S": "r" * 1024}}}},
        {"PutRequest": {"Item": {"pk": {"S": "b"}, "gk": {"S": "h" * 2048}}}},
    ]})
    assert keys_of(ddb, name) == ["a", "b"]
    assert len(ddb.scan(TableName=name, IndexName="gix")["Items"]) == 1  # b has no gr: sparse


# ---- TransactWriteItems: every index key before anything is written ----

def test_txn_bad_index_key_before_a_failed_condition(ddb, tables):
    name = tables()
    # a ValidationException for the request, not a cancellation, though the check fails too
    expect_error(ddb.transact_write_items, "ValidationException", EMPTY_GK, TransactItems=[
        {"ConditionCheck": {"TableName": name, "Key": {"pk": {"S": "zz"}},
                            "ConditionExpression": "attribute_exists(pk)"}},
        {"Put": {"TableName": name, "Item": {"pk": {"S": "a"}, "gk": {"S": "ok"}}}},
        {"Put": {"TableName": name, "Item": {"pk": {"S": "b"}, "gk": {"S": ""}}}},
    ])
    assert keys_of(ddb, name) == [] and item_count(ddb, name) == 0


def test_txn_update_to_empty_index_key_writes_nothing(ddb, tables):
    name = tables()
    expect_error(ddb.transact_write_items, "ValidationException", EMPTY_UPDATE, TransactItems=[
        {"Put": {"TableName": name, "Item": {"pk": {"S": "a"}, "gk": {"S": "ok"}}}},
        {"Update": {"TableName": name, "Key": {"pk": {"S": "b"}}, "UpdateExpression": "SET gk = :e",
                    "ExpressionAttributeValues": {":e": {"S": ""}}}},
    ])
    assert keys_of(ddb, name) == [] and item_count(ddb, name) == 0


# ---- UpdateItem that only takes away, on a missing item ----

REMOVE_ONLY = [
    ("remove", dict(UpdateExpression="REMOVE x, y")),
    ("delete_set", dict(UpdateExpression="DELETE s :v", ExpressionAttributeValues={":v": {"SS": ["a"]}})),
    ("remove_and_delete", dict(UpdateExpression="REMOVE x DELETE s :v",
                               ExpressionAttributeValues={":v": {"SS": ["a"]}})),
    ("legacy_delete", dict(AttributeUpdates={"x": {"Action": "DELETE"}})),
    ("legacy_delete_value", dict(AttributeUpdates={"s": {"Action": "DELETE", "Value": {"SS": ["a"]}}})),
]


@reference_differs  # DynamoDB Local creates the key-only item (protocol/MESSAGES-expr.md)
@pytest.mark.parametrize("rv", ["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"])
@pytest.mark.parametrize("case,params", REMOVE_ONLY, ids=[c[0] for c in REMOVE_ONLY])
def test_update_missing_item_remove_only_creates_nothing(ddb, tables, case, params, rv):
    name = tables(gsi=False)
    r = ddb.update_item(TableName=name, Key={"pk": {"S": "k"}}, ReturnValues=rv,
                        ReturnConsumedCapacity="TOTAL", **params)
    assert "Attributes" not in r, r
    assert r["ConsumedCapacity"] == {"TableName": name, "CapacityUnits": 1.0}
    assert_absent(ddb, name, "k")
    assert item_count(ddb, name) == 0


@reference_differs  # DynamoDB Local creates the key-only item
def test_update_missing_item_remove_only_conditions(ddb, tables):
    name = tables(gsi=False)
    expect_error(ddb.update_item, "ConditionalCheckFailedException", "The conditional request failed",
                 TableName=name, Key={"pk": {"S": "k"}}, UpdateExpression="REMOVE x",
                 ConditionExpression="attribute_exists(pk)")
    # a condition that holds on the missing item: still nothing created
    r = ddb.update_item(TableName=name, Key={"pk": {"S": "k"}}, UpdateExpression="REMOVE x",
                        ConditionExpression="attribute_not_exists(pk)", ReturnValues="ALL_NEW")
    assert "Attributes" not in r
    assert keys_of(ddb, name) == [] and item_count(ddb, name) == 0


def test_update_missing_item_that_sets_creates(ddb, tables):
    name = tables(gsi=False)
    r = ddb.update_item(TableName=name, Key={"pk": {"S": "a"}}, UpdateExpression="REMOVE x SET y = :v",
                        ExpressionAttributeValues={":v": {"S": "1"}}, ReturnValues="ALL_NEW")
    assert r["Attributes"] == {"pk": {"S": "a"}, "y": {"S": "1"}}
    r = ddb.update_item(TableName=name, Key={"pk": {"S": "b"}}, ReturnValues="ALL_NEW")  # no update at all
    assert r["Attributes"] == {"pk": {"S": "b"}}
    r = ddb.update_item(TableName=name, Key={"pk": {"S": "c"}}, UpdateExpression="ADD n :one",
                        ExpressionAttributeValues={":one": {"N": "1"}}, ReturnValues="UPDATED_NEW")
    assert r["Attributes"] == {"n": {"N": "1"}}
    assert keys_of(ddb, name) == ["a", "b", "c"]


def test_update_existing_item_remove_only(ddb, tables):
    name = tables(gsi=False)
    ddb.put_item(TableName=name, Item={"pk": {"S": "k"}, "x": {"S": "1"}})
    r = ddb.update_item(TableName=name, Key={"pk": {"S": "k"}}, UpdateExpression="REMOVE x", ReturnValues="ALL_NEW")
    assert r["Attributes"] == {"pk": {"S": "k"}}
    assert ddb.get_item(TableName=name, Key={"pk": {"S": "k"}})["Item"] == {"pk": {"S": "k"}}


@reference_differs  # DynamoDB Local creates the key-only item
def test_txn_update_missing_item_remove_only_creates_nothing(ddb, tables):
    name = tables(gsi=False)
    r = ddb.transact_write_items(ReturnConsumedCapacity="TOTAL", TransactItems=[
        {"Update": {"TableName": name, "Key": {"pk": {"S": "a"}}, "UpdateExpression": "REMOVE x"}},
        {"Update": {"TableName": name, "Key": {"pk": {"S": "b"}}, "UpdateExpression": "DELETE s :v",
                    "ExpressionAttributeValues": {":v": {"SS": ["a"]}}}},
        {"Put": {"TableName": name, "Item": {"pk": {"S": "c"}}}},
    ])
    assert r["ConsumedCapacity"] == [{"TableName": name, "CapacityUnits": 6.0}]
    assert keys_of(ddb, name) == ["c"] and item_count(ddb, name) == 1


# ---- a GSI created on a live table skips index key violations ----

VIOLATIONS = {"empty": {"S": ""}, "number": {"N": "1"}, "long": {"S": "y" * 2049}}


def put_violations(ddb, name):
    for pk, v in VIOLATIONS.items():
        ddb.put_item(TableName=name, Item={"pk": {"S": pk}, "gk": v})
    ddb.put_item(TableName=name, Item={"pk": {"S": "fits"}, "gk": {"S": "y" * 2048}})
    ddb.put_item(TableName=name, Item={"pk": {"S": "fine"}, "gk": {"S": "g"}})


def create_gsi(ddb, name):
    ddb.update_table(TableName=name, AttributeDefinitions=[{"AttributeName": "gk", "AttributeType": "S"}],
                     GlobalSecondaryIndexUpdates=[{"Create": {
                         "IndexName": "late", "KeySchema": [{"AttributeName": "gk", "KeyType": "HASH"}],
                         "Projection": {"ProjectionType": "KEYS_ONLY"}}}])
    deadline = time.time() + 60
    while time.time() < deadline:
        (g,) = ddb.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"]
        if g["IndexStatus"] == "ACTIVE":
            return g
        time.sleep(0.05)
    raise AssertionError("index never became ACTIVE")


@reference_differs  # DynamoDB Local indexes the wrong-typed and the too-long values
def test_backfill_skips_index_key_violations(ddb, tables):
    name = tables(gsi=False)
    put_violations(ddb, name)
    g = create_gsi(ddb, name)
    assert g["ItemCount"] == 2
    got = sorted(it["pk"]["S"] for it in ddb.scan(TableName=name, IndexName="late")["Items"])
    assert got == ["fine", "fits"]
    # the skipped items stay in the table and can be deleted
    assert item_count(ddb, name) == 5
    ddb.delete_item(TableName=name, Key={"pk": {"S": "empty"}})
    assert ddb.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"][0]["ItemCount"] == 2


DDBD_BIN = os.environ.get("DDBD_BIN")


@pytest.mark.skipif(not DDBD_BIN, reason="DDBD_BIN is not set")
def test_backfill_violations_then_inspect(tmp_path):
    """ddbd-inspect --verify-indexes recomputes the index by the same rule: no difference."""
    from test_durability import Server
    inspect = os.path.join(os.path.dirname(os.path.dirname(DDBD_BIN)), "tools", "ddbd-inspect")
    srv = Server(str(tmp_path / "data"), str(tmp_path)).start()
    try:
        ddb = srv.client()
        name = unique_name("aw")
        ddb.create_table(TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], **PPR)
        put_violations(ddb, name)
        create_gsi(ddb, name)
    finally:
        assert srv.stop() == 0
    r = subprocess.run([inspect, str(tmp_path / "data"), "--verify-indexes"], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "late: " in r.stdout and r.stdout.strip().endswith("0 differences"), r.stdout


# ---- TransactWriteItems: the 4 MB payload ----

def payload_msg(size):
    # the service repeats its sentence; DynamoDB Local says it once (protocol/MESSAGES-txn.md)
    return ("Transaction payload size cannot exceed 4MB. Payload Size: : "
            "Transaction payload size cannot exceed 4MB. Payload Size: %d" % size,
            "Transaction payload size cannot exceed 4MB. Payload Size: %d" % size)


def sized_puts(name, prefix, sizes):
    """Puts of items of exactly the given sizes (pk + v, DynamoDB's item size)."""
    out = []
    for i, size in enumerate(sizes):
        pk = "%s%d" % (prefix, i)
        out.append({"Put": {"TableName": name, "Item": {"pk": {"S": pk}, "v": {"S": "x" * (size - 3 - len(pk))}}}})
    return out


def test_txn_payload_over_4mb_writes_nothing(ddb, tables):
    name = tables(gsi=False)
    # 13 puts of 390 KB: refused at the 11th, with the sum so far
    big = [{"Put": {"TableName": name, "Item": {"pk": {"S": "p%d" % i}, "v": {"S": "x" * (390 * 1024)}}}}
           for i in range(13)]
    expect_error(ddb.transact_write_items, "ValidationException", *payload_msg(10 * 399365 + 399366),
                 TransactItems=big)
    assert keys_of(ddb, name) == [] and item_count(ddb, name) == 0


def test_txn_payload_limit_is_inclusive(ddb, tables):
    name = tables(gsi=False)
    sizes = [400 * 1024] * 10 + [4 * 1024 * 1024 - 10 * 400 * 1024]
    ddb.transact_write_items(TransactItems=sized_puts(name, "a", sizes))
    assert item_count(ddb, name) == 11
    sizes[-1] += 1
    expect_error(ddb.transact_write_items, "ValidationException", *payload_msg(4 * 1024 * 1024 + 1),
                 TransactItems=sized_puts(name, "b", sizes))
    assert item_count(ddb, name) == 11 and not any(k.startswith("b") for k in keys_of(ddb, name))


def test_txn_payload_counts_keys_and_expressions(ddb, tables):
    name = tables(gsi=False)
    base = sized_puts(name, "p", [400 * 1024] * 10)
    # key (4) + UpdateExpression (11) + the name #w stands for (8) + the value (5)
    upd = {"Update": {"TableName": name, "Key": {"pk": {"S": "k1"}}, "UpdateExpression": "SET #w = :w",
                      "ExpressionAttributeNames": {"#w": "wwwwwwww"},
                      "ExpressionAttributeValues": {":w": {"S": "hello"}}}}
    # key (4) + ConditionExpression (23)
    dele = {"Delete": {"TableName": name, "Key": {"pk": {"S": "k2"}},
                       "ConditionExpression": "attribute_not_exists(a)"}}
    rest = 4 * 1024 * 1024 - 10 * 400 * 1024 - 28 - 27
    last = sized_puts(name, "z", [rest + 1])
    expect_error(ddb.transact_write_items, "ValidationException", *payload_msg(4 * 1024 * 1024 + 1),
                 TransactItems=base + [upd, dele] + last)
    assert item_count(ddb, name) == 0
    ddb.transact_write_items(TransactItems=base + [upd, dele] + sized_puts(name, "z", [rest]))
    assert item_count(ddb, name) == 12


# ---- list elements past the end: ascending index ----

def test_list_appends_in_ascending_index_order(ddb, tables):
    name = tables(gsi=False)
    key = {"pk": {"S": "L"}}
    ddb.put_item(TableName=name, Item=dict(key, a={"L": [{"N": "0"}, {"N": "1"}]}))
    r = ddb.update_item(TableName=name, Key=key, UpdateExpression="SET a[84] = :x, a[37] = :y, a[17] = :z",
                        ExpressionAttributeValues={":x": {"S": "x"}, ":y": {"S": "y"}, ":z": {"S": "z"}},
                        ReturnValues="ALL_NEW")
    want = [{"N": "0"}, {"N": "1"}, {"S": "z"}, {"S": "y"}, {"S": "x"}]
    got = ddb.get_item(TableName=name, Key=key, ConsistentRead=True)["Item"]["a"]["L"]
    assert got == want and r["Attributes"]["a"]["L"] == want
    # a replaced element stays in place; a REMOVE comes after the appends
    r = ddb.update_item(TableName=name, Key=key, UpdateExpression="REMOVE a[0] SET a[9] = :x, a[1] = :y, a[7] = :z",
                        ExpressionAttributeValues={":x": {"S": "X"}, ":y": {"S": "Y"}, ":z": {"S": "Z"}},
                        ReturnValues="ALL_NEW")
    assert r["Attributes"]["a"]["L"] == [{"S": "Y"}, {"S": "z"}, {"S": "y"}, {"S": "x"}, {"S": "Z"}, {"S": "X"}]
