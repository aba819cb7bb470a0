"""Legacy (pre-expression) parameters: Expected, ConditionalOperator, AttributesToGet,
AttributeUpdates, KeyConditions, QueryFilter, ScanFilter, and the errors for mixing them with
expressions. Messages: protocol/MESSAGES-legacy.md (DynamoDB Local 3.3.1)."""
import pytest

import json

from ddbconf import ACCESS_KEY, expect_error, key_schema, raw_request, reference_differs, unique_name

V = "ValidationException"
INV = "One or more parameter values were invalid: "
S = lambda x: {"S": x}
N = lambda x: {"N": str(x)}
ITEM = {"pk": S("a"), "n": N(5), "s": S("hello"), "ss": {"SS": ["x", "y"]}, "ns": {"NS": ["1", "2"]},
        "l": {"L": [S("x"), N(1)]}, "b": {"B": b"\x00\x01"}, "bo": {"BOOL": True}, "nu": {"NULL": True},
        "m": {"M": {"x": S("x")}}}


@pytest.fixture(scope="module")
def tables(ddb):
    names = {}
    for label, rng in (("h", None), ("r", "N")):
        name = unique_name("legacy")
        ks, ad = key_schema("pk", "S", "sk" if rng else None, rng)
        ddb.create_table(TableName=name, KeySchema=ks, AttributeDefinitions=ad, BillingMode="PAY_PER_REQUEST")
        names[label] = name
    for i in range(5):
        ddb.put_item(TableName=names["r"], Item={"pk": S("a"), "sk": N(i), "v": N(i * 10), "s": S("x%d" % i)})
    ddb.put_item(TableName=names["r"], Item={"pk": S("b"), "sk": N(0)})
    yield names
    for n in names.values():
        try:
            ddb.delete_table(TableName=n)
        except Exception:
            pass


def put(ddb, t, **kw):
    ddb.put_item(TableName=t["h"], Item=ITEM)
    return ddb.put_item(TableName=t["h"], Item=ITEM, **kw)


def holds(ddb, t, expected, **kw):
    """Whether PutItem with Expected succeeds on ITEM (False: ConditionalCheckFailed)."""
    try:
        put(ddb, t, Expected=expected, **kw)
        return True
    except ddb.exceptions.ConditionalCheckFailedException:
        return False


# ---- Expected: every operator against every attribute kind ----

CASES = [  # attribute, operator, arguments, result on ITEM
    ("n", "EQ", [N(5)], True), ("n", "EQ", [S("5")], False), ("ss", "EQ", [{"SS": ["y", "x"]}], True),
    ("zz", "EQ", [N(5)], False),
    ("n", "NE", [N(6)], True), ("n", "NE", [N(5)], False), ("zz", "NE", [S("x")], True),
    ("n", "LE", [N(5)], True), ("n", "LT", [N(5)], False), ("s", "LT", [S("z")], True),
    ("n", "GE", [N(5)], True), ("n", "GT", [N(5)], False), ("b", "GT", [{"B": b"\x00"}], True),
    ("s", "GT", [N(1)], False), ("zz", "GT", [N(1)], False),
    ("n", "NOT_NULL", [], True), ("zz", "NOT_NULL", [], False), ("nu", "NOT_NULL", [], True),
    ("zz", "NULL", [], True), ("nu", "NULL", [], False),
    ("ss", "CONTAINS", [S("x")], True), ("ss", "CONTAINS", [N(1)], False), ("ns", "CONTAINS", [N(1)], True),
    ("s", "CONTAINS", [S("ell")], True), ("s", "CONTAINS", [S("x")], False), ("l", "CONTAINS", [N(1)], True),
    ("b", "CONTAINS", [{"B": b"\x01"}], True), ("m", "CONTAINS", [S("x")], False), ("zz", "CONTAINS", [S("x")], False),
    ("ss", "NOT_CONTAINS", [S("x")], False), ("ss", "NOT_CONTAINS", [S("q")], True),
    ("s", "NOT_CONTAINS", [S("x")], True), ("n", "NOT_CONTAINS", [N(1)], True), ("zz", "NOT_CONTAINS", [S("x")], False),
    ("s", "BEGINS_WITH", [S("he")], True), ("s", "BEGINS_WITH", [S("x")], False), ("ss", "BEGINS_WITH", [S("x")], False),
    ("b", "BEGINS_WITH", [{"B": b"\x00"}], True), ("zz", "BEGINS_WITH", [S("x")], False),
    ("n", "IN", [N(1), N(5)], True), ("n", "IN", [N(1)], False), ("s", "IN", [S("hello")], True),
    ("zz", "IN", [N(1)], False),
    ("n", "BETWEEN", [N(1), N(5)], True), ("n", "BETWEEN", [N(6), N(9)], False), ("s", "BETWEEN", [S("a"), S("z")], True),
    ("s", "BETWEEN", [N(1), N(9)], False), ("zz", "BETWEEN", [N(1), N(9)], False),
]


@pytest.mark.parametrize("attr,op,args,want", CASES)
def test_expected_operator(ddb, tables, attr, op, args, want):
    assert holds(ddb, tables, {attr: {"ComparisonOperator": op, "AttributeValueList": args}}) == want


def test_expected_legacy_forms(ddb, tables):
    assert holds(ddb, tables, {"n": {"Value": N(5)}})
    assert not holds(ddb, tables, {"n": {"Value": N(6)}})
    assert not holds(ddb, tables, {"zz": {"Value": N(6)}})
    assert holds(ddb, tables, {"n": {"Exists": True, "Value": N(5)}})
    assert holds(ddb, tables, {"zz": {"Exists": False}})
    assert not holds(ddb, tables, {"n": {"Exists": False}})
    # Value stands for the one argument of an operator
    assert holds(ddb, tables, {"n": {"ComparisonOperator": "IN", "Value": N(5)}})
    assert holds(ddb, tables, {"zz": {"ComparisonOperator": "NULL"}})
    assert holds(ddb, tables, {})


def test_expected_conditional_operator(ddb, tables):
    two = {"n": {"Value": N(6)}, "s": {"Value": S("hello")}}
    assert holds(ddb, tables, two, ConditionalOperator="OR")
    assert not holds(ddb, tables, two, ConditionalOperator="AND")
    assert not holds(ddb, tables, two)


def test_expected_on_update_and_delete(ddb, tables):
    t = tables["h"]
    ddb.put_item(TableName=t, Item=ITEM)
    r = ddb.update_item(TableName=t, Key={"pk": S("a")}, Expected={"n": {"Value": N(5)}},
                        AttributeUpdates={"n": {"Action": "ADD", "Value": N(1)}}, ReturnValues="UPDATED_NEW")
    assert r["Attributes"] == {"n": N(6)}
    expect_error(ddb.update_item, "ConditionalCheckFailedException", "The conditional request failed",
                 TableName=t, Key={"pk": S("a")}, Expected={"n": {"Value": N(5)}},
                 AttributeUpdates={"n": {"Action": "ADD", "Value": N(1)}})
    expect_error(ddb.delete_item, "ConditionalCheckFailedException", "The conditional request failed",
                 TableName=t, Key={"pk": S("a")}, Expected={"n": {"ComparisonOperator": "LT", "AttributeValueList": [N(1)]}})
    ddb.delete_item(TableName=t, Key={"pk": S("a")}, Expected={"n": {"ComparisonOperator": "GT", "AttributeValueList": [N(1)]}})
    assert "Item" not in ddb.get_item(TableName=t, Key={"pk": S("a")})


COUNT_ERRORS = [("EQ", []), ("EQ", [N(1), N(2)]), ("NE", []), ("LE", []), ("LT", [N(1), N(2)]), ("GE", []),
                ("GT", []), ("NOT_NULL", [N(1)]), ("NULL", [N(1)]), ("CONTAINS", []), ("NOT_CONTAINS", [N(1), N(2)]),
                ("BEGINS_WITH", []), ("IN", []), ("BETWEEN", [N(1)]), ("BETWEEN", [N(1), N(2), N(3)])]


@pytest.mark.parametrize("op,args", COUNT_ERRORS)
def test_expected_argument_count(ddb, tables, op, args):
    expect_error(put, V, INV + "Invalid number of argument(s) for the %s ComparisonOperator" % op,
                 ddb=ddb, t=tables, Expected={"n": {"ComparisonOperator": op, "AttributeValueList": args}})


TYPE_ERRORS = [(op, ty) for op in ("LE", "LT", "GE", "GT", "IN") for ty in ("SS", "NS", "BS", "L", "M", "NULL", "BOOL")] + \
    [(op, ty) for op in ("CONTAINS", "NOT_CONTAINS") for ty in ("SS", "NS", "BS", "L", "M")] + \
    [("BEGINS_WITH", ty) for ty in ("SS", "NS", "BS", "L", "M", "NULL", "BOOL", "N")]
SAMPLE = {"SS": {"SS": ["x"]}, "NS": {"NS": ["1"]}, "BS": {"BS": [b"\x00"]}, "L": {"L": []}, "M": {"M": {}},
          "NULL": {"NULL": True}, "BOOL": {"BOOL": True}, "N": N(1)}


@pytest.mark.parametrize("op,ty", TYPE_ERRORS)
def test_expected_argument_type(ddb, tables, op, ty):
    expect_error(put, V, INV + "ComparisonOperator %s is not valid for %s AttributeValue type" % (op, ty),
                 ddb=ddb, t=tables, Expected={"n": {"ComparisonOperator": op, "AttributeValueList": [SAMPLE[ty]]}})


@pytest.mark.parametrize("expected,message", [
    ({"n": {"Exists": True}}, INV + "Value must be provided when Exists is true for Attribute: n"),
    ({"n": {}}, INV + "Value must be provided when Exists is null for Attribute: n"),
    ({"n": {"Exists": False, "Value": N(5)}}, INV + "Value cannot be used when Exists is false for Attribute: n"),
    ({"n": {"Value": N(5), "ComparisonOperator": "EQ", "AttributeValueList": [N(5)]}},
     INV + "Value and AttributeValueList cannot be used together for Attribute: n"),
    ({"n": {"Exists": True, "ComparisonOperator": "EQ", "AttributeValueList": [N(5)]}},
     INV + "Exists and ComparisonOperator cannot be used together for Attribute: n"),
    ({"n": {"AttributeValueList": [N(5)]}}, INV + "AttributeValueList can only be used with a ComparisonOperator for Attribute: n"),
    ({"n": {"ComparisonOperator": "EQ"}}, INV + "Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: n"),
    ({"n": {"ComparisonOperator": "XX"}}, INV + "Value or AttributeValueList must be used with ComparisonOperator: XX for Attribute: n"),
    ({"n": {"ComparisonOperator": "XX", "AttributeValueList": [N(5)]}}, "Comparison type does not exist in DynamoDB"),
    ({"n": {"ComparisonOperator": "eq", "AttributeValueList": [N(5)]}}, "Comparison type does not exist in DynamoDB"),
    ({"n": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [N(1), S("a")]}},
     INV + "AttributeValues inside AttributeValueList must be of same type"),
    ({"n": {"ComparisonOperator": "IN", "AttributeValueList": [S("a"), N(1)]}},
     INV + "AttributeValues inside AttributeValueList must be of same type"),
    ({"n": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [N(3), N(1)]}},
     "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound"),
    ({"n": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [S("b"), S("a")]}},
     "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound"),
    ({"n": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "x"}]}}, "A value provided cannot be converted into a number"),
    ({"n": {"Value": {"N": "x"}}}, "A value provided cannot be converted into a number"),
    # the first entry in document order is reported
    ({"a2": {"ComparisonOperator": "EQ"}, "a1": {"ComparisonOperator": "LT", "AttributeValueList": [{"BOOL": True}]}},
     INV + "Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: a2"),
])
def test_expected_errors(ddb, tables, expected, message):
    expect_error(put, V, message, ddb=ddb, t=tables, Expected=expected)


def test_conditional_operator_errors(ddb, tables):
    expect_error(put, V, "ConditionalOperator cannot be used without Filter or Expected", ddb=ddb, t=tables,
                 ConditionalOperator="AND")
    expect_error(put, V, "ConditionalOperator can only be used when Filter or Expected has two or more elements",
                 ddb=ddb, t=tables, ConditionalOperator="XOR", Expected={"n": {"Value": N(5)}})


@reference_differs
def test_conditional_operator_invalid(ddb, tables):
    # DynamoDB Local answers InternalFailure
    expect_error(put, V, "1 validation error detected: Value 'XOR' at 'conditionalOperator' failed to satisfy "
                 "constraint: Member must satisfy enum value set: [AND, OR]", ddb=ddb, t=tables,
                 ConditionalOperator="XOR", Expected={"n": {"Value": N(5)}, "s": {"Value": S("x")}})


# ---- mixing legacy and expression parameters ----

MIX = "Can not use both expression and non-expression parameters in the same request: "


@pytest.mark.parametrize("op,kw,lists", [
    ("put", dict(Expected={"n": {"Value": N(5)}}, ConditionExpression="attribute_exists(pk)"),
     "{Expected} Expression parameters: {ConditionExpression}"),
    ("put", dict(ConditionalOperator="AND", ConditionExpression="attribute_exists(pk)"),
     "{ConditionalOperator} Expression parameters: {ConditionExpression}"),
    ("delete", dict(Expected={"n": {"Value": N(5)}}, ConditionExpression="attribute_exists(n)"),
     "{Expected} Expression parameters: {ConditionExpression}"),
    ("update", dict(AttributeUpdates={"n": {"Value": N(1)}}, UpdateExpression="SET s = :v",
                    ExpressionAttributeValues={":v": S("q")}),
     "{AttributeUpdates} Expression parameters: {UpdateExpression}"),
    ("update", dict(AttributeUpdates={"n": {"Value": N(1)}}, ConditionExpression="attribute_exists(pk)"),
     "{AttributeUpdates} Expression parameters: {ConditionExpression}"),
    ("update", dict(Expected={"n": {"Value": N(5)}}, AttributeUpdates={"n": {"Value": N(1)}}, ConditionalOperator="AND",
                    UpdateExpression="SET s = :v", ConditionExpression="attribute_exists(pk)",
                    ExpressionAttributeValues={":v": S("q")}),
     "{AttributeUpdates, Expected, ConditionalOperator} Expression parameters: {UpdateExpression, ConditionExpression}"),
    ("get", dict(AttributesToGet=["n"], ProjectionExpression="s"), "{AttributesToGet} Expression parameters: {ProjectionExpression}"),
    ("query", dict(KeyConditions={"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [S("a")]}},
                   KeyConditionExpression="pk = :v", ExpressionAttributeValues={":v": S("a")}),
     "{KeyConditions} Expression parameters: {KeyConditionExpression}"),
    ("query", dict(KeyConditionExpression="pk = :v", ExpressionAttributeValues={":v": S("a")},
                   QueryFilter={"v": {"ComparisonOperator": "NULL"}}),
     "{QueryFilter} Expression parameters: {KeyConditionExpression}"),
    ("query", dict(KeyConditions={"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [S("a")]}},
                   AttributesToGet=["v"], FilterExpression="v > :v", ExpressionAttributeValues={":v": N(1)}),
     "{AttributesToGet} Expression parameters: {FilterExpression}"),
    ("query", dict(KeyConditions={"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [S("a")]}},
                   QueryFilter={"v": {"ComparisonOperator": "NULL"}}, AttributesToGet=["v"], ConditionalOperator="OR",
                   KeyConditionExpression="pk = :v", FilterExpression="v > :v", ProjectionExpression="v",
                   ExpressionAttributeValues={":v": S("a")}),
     "{AttributesToGet, QueryFilter, ConditionalOperator, KeyConditions} Expression parameters: "
     "{ProjectionExpression, FilterExpression, KeyConditionExpression}"),
    ("scan", dict(ScanFilter={"v": {"ComparisonOperator": "NULL"}}, FilterExpression="attribute_exists(v)"),
     "{ScanFilter} Expression parameters: {FilterExpression}"),
    ("scan", dict(ScanFilter={"v": {"ComparisonOperator": "NULL"}}, AttributesToGet=["v"], ConditionalOperator="OR",
                  FilterExpression="attribute_exists(v)", ProjectionExpression="v"),
     "{AttributesToGet, ScanFilter, ConditionalOperator} Expression parameters: {ProjectionExpression, FilterExpression}"),
])
def test_mixing(ddb, tables, op, kw, lists):
    if op in ("query", "scan"):
        fn = getattr(ddb, op)
        kw = dict(kw, TableName=tables["r"])
    else:
        fn = getattr(ddb, op + "_item")
        kw = dict(kw, TableName=tables["h"])
        kw["Item" if op == "put" else "Key"] = ITEM if op == "put" else {"pk": S("a")}
    expect_error(fn, V, MIX + "Non-expression parameters: " + lists, **kw)


def test_legacy_with_expression_maps(ddb, tables):
    expect_error(put, V, "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null",
                 ddb=ddb, t=tables, Expected={"n": {"ComparisonOperator": "EQ"}}, ExpressionAttributeValues={":a": N(1)})
    expect_error(put, V, "ExpressionAttributeNames can only be specified when using expressions",
                 ddb=ddb, t=tables, Expected={"n": {"Value": N(5)}}, ExpressionAttributeNames={"#a": "n"})
    H = {"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [S("a")]}}
    expect_error(ddb.query, V, "ExpressionAttributeValues can only be specified when using expressions: "
                 "FilterExpression and KeyConditionExpression are null", TableName=tables["r"], KeyConditions=H,
                 ExpressionAttributeValues={":a": N(1)})


# ---- AttributesToGet ----

def test_attributes_to_get(ddb, tables):
    t = tables["h"]
    ddb.put_item(TableName=t, Item=ITEM)
    r = ddb.get_item(TableName=t, Key={"pk": S("a")}, AttributesToGet=["n", "s", "zz"])
    assert r["Item"] == {"n": N(5), "s": S("hello")}
    assert ddb.get_item(TableName=t, Key={"pk": S("a")}, AttributesToGet=["m.x"])["Item"] == {}
    assert len(ddb.get_item(TableName=t, Key={"pk": S("a")}, AttributesToGet=[])["Item"]) == len(ITEM)
    expect_error(ddb.get_item, V, "Cannot have two attributes with the same name", TableName=t, Key={"pk": S("a")},
                 AttributesToGet=["n", "s", "n"])
    expect_error(ddb.get_item, V, "Empty attribute name", TableName=t, Key={"pk": S("a")}, AttributesToGet=[""])


# ---- AttributeUpdates ----

def update(ddb, t, updates, key="a", **kw):
    ddb.put_item(TableName=t["h"], Item=ITEM)
    return ddb.update_item(TableName=t["h"], Key={"pk": S(key)}, AttributeUpdates=updates, ReturnValues="ALL_NEW",
                           **kw).get("Attributes")


def test_attribute_updates_put_delete(ddb, tables):
    new = update(ddb, tables, {"n": {"Action": "PUT", "Value": N(7)}, "e": {"Action": "PUT", "Value": S("")}})
    assert new["n"] == N(7) and new["e"] == S("")
    new = update(ddb, tables, {"n": {"Action": "DELETE"}, "zz": {"Action": "DELETE"}})
    assert "n" not in new and "zz" not in new
    new = update(ddb, tables, {"ss": {"Action": "DELETE", "Value": {"SS": ["x", "q"]}},
                               "ns": {"Action": "DELETE", "Value": {"NS": ["1", "2"]}},
                               "zz": {"Action": "DELETE", "Value": {"SS": ["x"]}}})
    assert new["ss"] == {"SS": ["y"]} and "ns" not in new and "zz" not in new
    assert update(ddb, tables, {})["n"] == N(5)


@reference_differs  # DynamoDB Local creates the key-only item (protocol/MESSAGES-expr.md)
def test_attribute_updates_delete_on_missing_item_creates_nothing(ddb, tables):
    assert update(ddb, tables, {"n": {"Action": "DELETE"}}, key="fresh") is None
    assert "Item" not in ddb.get_item(TableName=tables["h"], Key={"pk": S("fresh")}, ConsistentRead=True)


@reference_differs
def test_attribute_updates_default_action_is_put(ddb, tables):
    # AWS documents PUT as the default Action; DynamoDB Local ignores such an entry
    assert update(ddb, tables, {"new": {"Value": S("v")}})["new"] == S("v")


def test_attribute_updates_add(ddb, tables):
    new = update(ddb, tables, {"n": {"Action": "ADD", "Value": N(2)}, "newn": {"Action": "ADD", "Value": N(3)}})
    assert new["n"] == N(7) and new["newn"] == N(3)
    new = update(ddb, tables, {"ss": {"Action": "ADD", "Value": {"SS": ["z", "x"]}},
                               "news": {"Action": "ADD", "Value": {"NS": ["3"]}}})
    assert sorted(new["ss"]["SS"]) == ["x", "y", "z"] and new["news"] == {"NS": ["3"]}
    new = update(ddb, tables, {"l": {"Action": "ADD", "Value": {"L": [S("x"), N(9)]}},
                               "newl": {"Action": "ADD", "Value": {"L": [S("q")]}}})
    assert new["l"] == {"L": [S("x"), N(1), S("x"), N(9)]} and new["newl"] == {"L": [S("q")]}


@pytest.mark.parametrize("updates,message", [
    ({"n": {"Action": "PUT"}}, INV + "Only DELETE action is allowed when no attribute value is specified"),
    ({"n": {"Action": "ADD"}}, INV + "Only DELETE action is allowed when no attribute value is specified"),
    ({"n": {}}, INV + "Only DELETE action is allowed when no attribute value is specified"),
    ({"n": {"Action": "XX", "Value": N(1)}}, "Member must satisfy enum value set: [ADD, DELETE, PUT]"),
    ({"zz": {"Action": "ADD", "Value": S("x")}}, INV + "ADD action is not supported for the type STRING"),
    ({"zz": {"Action": "ADD", "Value": {"B": b"\x00"}}}, INV + "ADD action is not supported for the type BINARY"),
    ({"zz": {"Action": "ADD", "Value": {"BOOL": True}}}, INV + "ADD action is not supported for the type BOOLEAN"),
    ({"zz": {"Action": "ADD", "Value": {"NULL": True}}}, INV + "ADD action is not supported for the type NULL"),
    ({"zz": {"Action": "ADD", "Value": {"M": {}}}}, INV + "ADD action is not supported for the type MAP"),
    ({"n": {"Action": "DELETE", "Value": N(5)}}, INV + "DELETE action with value is not supported for the type NUMBER"),
    ({"zz": {"Action": "DELETE", "Value": S("a")}}, INV + "DELETE action with value is not supported for the type STRING"),
    ({"zz": {"Action": "DELETE", "Value": {"B": b"\x00"}}}, INV + "DELETE action with value is not supported for the type BINARY"),
    ({"zz": {"Action": "DELETE", "Value": {"BOOL": True}}}, INV + "DELETE action with value is not supported for the type BOOLEAN"),
    ({"zz": {"Action": "DELETE", "Value": {"NULL": True}}}, INV + "DELETE action with value is not supported for the type NULL"),
    ({"zz": {"Action": "DELETE", "Value": {"M": {}}}}, INV + "DELETE action with value is not supported for the type MAP"),
    ({"zz": {"Action": "DELETE", "Value": {"L": []}}}, INV + "DELETE action with value is not supported for the type LIST"),
    ({"ss": {"Action": "DELETE", "Value": {"NS": ["1"]}}}, "Type mismatch for attribute to update"),
    ({"n": {"Action": "ADD", "Value": {"SS": ["a"]}}}, "Type mismatch for attribute to update"),
    ({"ss": {"Action": "ADD", "Value": N(1)}}, "Type mismatch for attribute to update"),
    ({"s": {"Action": "ADD", "Value": {"L": []}}}, "Type mismatch for attribute to update"),
    ({"pk": {"Action": "PUT", "Value": S("b")}}, INV + "Cannot update attribute pk. This attribute is part of the key"),
    ({"pk": {"Action": "DELETE"}}, INV + "Cannot update attribute pk. This attribute is part of the key"),
    ({"n": {"Action": "PUT", "Value": {"N": "x"}}}, "A value provided cannot be converted into a number"),
    ({"n": {"Action": "ADD", "Value": N("9.9999999999999999999999999999999999999E+125")}},
     "DynamoDB only supports precision up to 38 digits"),
])
def test_attribute_updates_errors(ddb, tables, updates, message):
    expect_error(update, V, message, ddb=ddb, t=tables, updates=updates)


# ---- KeyConditions ----

def kquery(ddb, t, kc, **kw):
    r = ddb.query(TableName=t["r"], KeyConditions=kc, **kw)
    return [int(i["sk"]["N"]) for i in r["Items"]] if r.get("Items") and "sk" in r["Items"][0] else r


H = {"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [S("a")]}}


@pytest.mark.parametrize("op,args,want", [
    (None, None, [0, 1, 2, 3, 4]), ("EQ", [N(2)], [2]), ("LT", [N(2)], [0, 1]), ("LE", [N(2)], [0, 1, 2]),
    ("GT", [N(2)], [3, 4]), ("GE", [N(2)], [2, 3, 4]), ("BETWEEN", [N(1), N(3)], [1, 2, 3]),
])
def test_key_conditions(ddb, tables, op, args, want):
    kc = dict(H) if op is None else dict(H, sk={"ComparisonOperator": op, "AttributeValueList": args})
    assert kquery(ddb, tables, kc) == want


def test_key_conditions_paging_and_order(ddb, tables):
    r = ddb.query(TableName=tables["r"], KeyConditions=H, ScanIndexForward=False, Limit=2)
    assert [i["sk"] for i in r["Items"]] == [N(4), N(3)] and r["LastEvaluatedKey"] == {"pk": S("a"), "sk": N(3)}
    r = ddb.query(TableName=tables["r"], KeyConditions=H, ExclusiveStartKey={"pk": S("a"), "sk": N(2)})
    assert [i["sk"] for i in r["Items"]] == [N(3), N(4)]
    expect_error(ddb.query, V, "The provided starting key does not match the range key predicate", TableName=tables["r"],
                 KeyConditions=H, ExclusiveStartKey={"pk": S("b"), "sk": N(2)})
    # KeyConditions go with a FilterExpression and a ProjectionExpression
    r = ddb.query(TableName=tables["r"], KeyConditions=H, FilterExpression="v > :v", ExpressionAttributeValues={":v": N(10)},
                  ProjectionExpression="v")
    assert r["Items"] == [{"v": N(20)}, {"v": N(30)}, {"v": N(40)}] and r["ScannedCount"] == 5


def test_key_conditions_begins_with(ddb, make_table):
    t = make_table("S", "S")
    for s in ("apple", "apricot", "banana"):
        ddb.put_item(TableName=t, Item={"pk": S("p"), "sk": S(s)})
    r = ddb.query(TableName=t, KeyConditions={"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [S("p")]},
                                              "sk": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [S("ap")]}})
    assert [i["sk"]["S"] for i in r["Items"]] == ["apple", "apricot"]


def sk(op, args):
    return dict(H, sk={"ComparisonOperator": op, "AttributeValueList": args})


@pytest.mark.parametrize("kc,message", [
    ({}, "Conditions must be at least length 1"),
    (dict(sk("GT", [N(1)]), v={"ComparisonOperator": "GT", "AttributeValueList": [N(1)]}), "Conditions can be of length 1 or 2 only"),
    (sk("BEGINS_WITH", [N(1)]), INV + "ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type"),
    (sk("IN", [N(2)]), "Attempted conditional constraint is not an indexable operation"),
    (sk("CONTAINS", [N(2)]), "Attempted conditional constraint is not an indexable operation"),
    (sk("NOT_CONTAINS", [N(2)]), "Attempted conditional constraint is not an indexable operation"),
    (sk("NULL", []), "Only scalar types can be used as Range Key values"),
    (sk("NOT_NULL", []), "Only scalar types can be used as Range Key values"),
    (sk("EQ", [S("x")]), INV + "Condition parameter type does not match schema type"),
    (sk("EQ", [{"BOOL": True}]), INV + "Condition parameter type does not match schema type"),
    (sk("GT", [{"BOOL": True}]), INV + "ComparisonOperator GT is not valid for BOOL AttributeValue type"),
    (sk("EQ", []), INV + "Invalid number of argument(s) for the EQ ComparisonOperator"),
    (sk("BETWEEN", [N(3), N(1)]), "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound"),
    (sk("BETWEEN", [N(1), S("x")]), INV + "AttributeValues inside AttributeValueList must be of same type"),
    ({"pk": {"ComparisonOperator": "LT", "AttributeValueList": [S("a")]}}, "Query key condition not supported"),
    ({"pk": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [S("a")]}}, "Query key condition not supported"),
    ({"pk": {"ComparisonOperator": "NE", "AttributeValueList": [S("a")]}}, "Query key condition not supported"),
    ({"pk": {"ComparisonOperator": "IN", "AttributeValueList": [S("a")]}}, "Query key condition not supported"),
    ({"pk": {"ComparisonOperator": "NULL"}}, "Only scalar types can be used as Hash Key values"),
    ({"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [N(1)]}}, INV + "Condition parameter type does not match schema type"),
    ({"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"SS": ["a"]}]}}, INV + "Condition parameter type does not match schema type"),
    ({"pk": {"ComparisonOperator": "EQ"}}, INV + "Invalid number of argument(s) for the EQ ComparisonOperator"),
    ({"pk": {"ComparisonOperator": "XX", "AttributeValueList": [S("a")]}}, "Comparison type does not exist in DynamoDB"),
    ({"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [S("")]}},
     "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"),
    ({"sk": {"ComparisonOperator": "EQ", "AttributeValueList": [N(1)]}}, "Query condition missed key schema element: pk"),
    ({"sk": {"ComparisonOperator": "IN", "AttributeValueList": [N(1)]}}, "Query condition missed key schema element: pk"),
    (dict(H, v={"ComparisonOperator": "EQ", "AttributeValueList": [N(1)]}), "Query condition missed key schema element: sk"),
    ({"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [N(1)]}, "sk": {"ComparisonOperator": "GT", "AttributeValueList": []}},
     INV + "Invalid number of argument(s) for the GT ComparisonOperator"),
])
def test_key_conditions_errors(ddb, tables, kc, message):
    # DynamoDB Local names no key in "Query condition missed key schema element" (MESSAGES-expr.md)
    local = message.split(": ")[0] if message.startswith("Query condition missed") else None
    expect_error(ddb.query, V, message, local, TableName=tables["r"], KeyConditions=kc)


def raw_error(op, body):
    # signed as the boto3 client's key: DynamoDB Local keeps tables per access key
    auth = ("AWS4-HMAC-SHA256 Credential=%s/20260101/us-east-1/dynamodb/aws4_request, "
            "SignedHeaders=host;x-amz-date, Signature=abc" % ACCESS_KEY)
    r = raw_request(json.dumps(body), target="DynamoDB_20120810." + op, auth=False,
                    extra_headers={"Authorization": auth})
    d = r.json()
    return r.status, d["__type"].split("#")[-1], d.get("message", d.get("Message"))


def test_condition_forms_without_operator(tables):
    # boto3 cannot send Value/Exists in a Condition: raw requests
    bad = (400, V, "Comparison type does not exist in DynamoDB")
    assert raw_error("Query", {"TableName": tables["r"], "KeyConditions": {"pk": {"Value": S("a")}}}) == bad
    for entry in ({"Value": N(10)}, {"Exists": True, "Value": N(10)}):
        assert raw_error("Query", {"TableName": tables["r"], "KeyConditions": H, "QueryFilter": {"v": entry}}) == bad
        assert raw_error("Scan", {"TableName": tables["r"], "ScanFilter": {"v": entry}}) == bad


@reference_differs
def test_key_conditions_range_ne(ddb, tables):
    # DynamoDB Local answers InternalFailure
    expect_error(ddb.query, V, "Attempted conditional constraint is not an indexable operation",
                 TableName=tables["r"], KeyConditions=sk("NE", [N(2)]))


# ---- QueryFilter, ScanFilter, AttributesToGet in reads ----

def test_query_filter(ddb, tables):
    t = tables["r"]
    qf = {"v": {"ComparisonOperator": "GT", "AttributeValueList": [N(30)]}, "s": {"ComparisonOperator": "EQ", "AttributeValueList": [S("x0")]}}
    assert kquery(ddb, tables, H, QueryFilter={"v": {"ComparisonOperator": "GT", "AttributeValueList": [N(10)]}}) == [2, 3, 4]
    assert kquery(ddb, tables, H, QueryFilter=qf, ConditionalOperator="OR") == [0, 4]
    r = ddb.query(TableName=t, KeyConditions=H, QueryFilter=qf, ConditionalOperator="AND")
    assert r["Count"] == 0 and r["ScannedCount"] == 5
    assert kquery(ddb, tables, H, QueryFilter={"zz": {"ComparisonOperator": "NE", "AttributeValueList": [N(1)]}}) == [0, 1, 2, 3, 4]
    r = ddb.query(TableName=t, KeyConditions=H, QueryFilter={"zz": {"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [N(1)]}})
    assert r["Count"] == 0
    # with a KeyConditionExpression's sibling expressions absent, QueryFilter also pairs with Select COUNT
    r = ddb.query(TableName=t, KeyConditions=H, QueryFilter={"v": {"ComparisonOperator": "NOT_NULL"}}, Select="COUNT")
    assert r["Count"] == 5


@pytest.mark.parametrize("qf,message", [
    ({"sk": {"ComparisonOperator": "GT", "AttributeValueList": [N(1)]}},
     "QueryFilter can only contain non-primary key attributes: Primary key attribute: sk"),
    ({"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [S("a")]}},
     "QueryFilter can only contain non-primary key attributes: Primary key attribute: pk"),
    ({"sk": {"ComparisonOperator": "NULL"}, "v": {"ComparisonOperator": "EQ"}},
     INV + "Invalid number of argument(s) for the EQ ComparisonOperator"),
    ({"v": {"ComparisonOperator": "EQ", "AttributeValueList": []}}, INV + "Invalid number of argument(s) for the EQ ComparisonOperator"),
    ({"v": {"ComparisonOperator": "LT", "AttributeValueList": [{"BOOL": True}]}},
     INV + "ComparisonOperator LT is not valid for BOOL AttributeValue type"),
])
def test_query_filter_errors(ddb, tables, qf, message):
    expect_error(ddb.query, V, message, TableName=tables["r"], KeyConditions=H, QueryFilter=qf)


def test_read_conditional_operator_errors(ddb, tables):
    t = tables["r"]
    one = {"v": {"ComparisonOperator": "NULL"}}
    expect_error(ddb.query, V, "ConditionalOperator cannot be used without Filter or Expected", TableName=t,
                 KeyConditions=sk("GT", [N(1)]), ConditionalOperator="OR")
    expect_error(ddb.query, V, "ConditionalOperator can only be used when Filter or Expected has two or more elements",
                 TableName=t, KeyConditions=H, QueryFilter=one, ConditionalOperator="OR")
    expect_error(ddb.scan, V, "ConditionalOperator cannot be used without Filter or Expected", TableName=t,
                 ConditionalOperator="OR")
    expect_error(ddb.scan, V, "ConditionalOperator can only be used when Filter or Expected has two or more elements",
                 TableName=t, ScanFilter=one, ConditionalOperator="OR")


def test_scan_filter(ddb, tables):
    t = tables["r"]
    def sks(**kw):
        r = ddb.scan(TableName=t, **kw)
        return sorted((i["pk"]["S"], int(i["sk"]["N"])) for i in r["Items"])
    assert sks(ScanFilter={"v": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [N(10), N(20)]}}) == [("a", 1), ("a", 2)]
    assert sks(ScanFilter={"sk": {"ComparisonOperator": "IN", "AttributeValueList": [N(1), N(3)]}}) == [("a", 1), ("a", 3)]
    assert sks(ScanFilter={"v": {"ComparisonOperator": "EQ", "AttributeValueList": [N(10)]},
                           "s": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [S("x4")]}},
               ConditionalOperator="OR") == [("a", 1), ("a", 4)]
    assert sks(ScanFilter={"v": {"ComparisonOperator": "NULL"}}) == [("b", 0)]
    assert len(sks(ScanFilter={})) == 6
    expect_error(ddb.scan, V, INV + "Invalid number of argument(s) for the NULL ComparisonOperator", TableName=t,
                 ScanFilter={"v": {"ComparisonOperator": "NULL", "AttributeValueList": [N(1)]}})
    expect_error(ddb.scan, V, "Comparison type does not exist in DynamoDB", TableName=t,
                 ScanFilter={"v": {"ComparisonOperator": "XX", "AttributeValueList": [N(1)]}})
    expect_error(ddb.scan, V, "ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null",
                 TableName=t, ScanFilter={"v": {"ComparisonOperator": "NULL"}}, ExpressionAttributeValues={":a": N(1)})


def test_read_attributes_to_get(ddb, tables):
    t = tables["r"]
    r = ddb.query(TableName=t, KeyConditions=H, AttributesToGet=["v", "sk"])
    assert r["Items"][0] == {"sk": N(0), "v": N(0)}
    r = ddb.query(TableName=t, KeyConditions=H, AttributesToGet=["v"], Select="SPECIFIC_ATTRIBUTES", Limit=1)
    assert r["Items"] == [{"v": N(0)}]
    r = ddb.scan(TableName=t, AttributesToGet=["s"], ScanFilter={"v": {"ComparisonOperator": "EQ", "AttributeValueList": [N(20)]}})
    assert r["Items"] == [{"s": S("x2")}]
    expect_error(ddb.query, V, "Cannot specify the AttributesToGet when choosing to get ALL_ATTRIBUTES", TableName=t,
                 KeyConditions=H, AttributesToGet=["v"], Select="ALL_ATTRIBUTES")
    expect_error(ddb.query, V, "Cannot specify the AttributesToGet when choosing to get only the Count", TableName=t,
                 KeyConditions=H, AttributesToGet=["v"], Select="COUNT")
    expect_error(ddb.scan, V, "Cannot have two attributes with the same name", TableName=t, AttributesToGet=["v", "v"])
