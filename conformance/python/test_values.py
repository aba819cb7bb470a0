"""AttributeValue types: round trips and value validation."""
import pytest

from ddbconf import expect_error

ALL_TYPES = {
    "s": {"S": "hello \u00e9\u4e16\U0001F600"},
    "n": {"N": "42"},
    "b": {"B": b"\x00\x01\xffbinary"},
    "ss": {"SS": ["a", "b", "c"]},
    "ns": {"NS": ["1", "2.5", "-3"]},
    "bs": {"BS": [b"\x01", b"\x02\x03"]},
    "m": {"M": {"inner": {"S": "x"}, "num": {"N": "7"}, "deep": {"M": {"l": {"L": [{"BOOL": True}]}}}}},
    "l": {"L": [{"S": "a"}, {"N": "1"}, {"NULL": True}, {"L": []}, {"M": {}}]},
    "null": {"NULL": True},
    "t": {"BOOL": True},
    "f": {"BOOL": False},
}


def _canon(v):
    """Sets come back in any order."""
    (t, x), = v.items()
    if t in ("SS", "NS", "BS"):
        return {t: sorted(x)}
    if t == "M":
        return {t: {k: _canon(y) for k, y in x.items()}}
    if t == "L":
        return {t: [_canon(y) for y in x]}
    return v


@pytest.mark.parametrize("attr", sorted(ALL_TYPES))
def test_type_round_trip(ddb, make_table, attr):
    t = make_table()
    ddb.put_item(TableName=t, Item={"pk": {"S": "k"}, attr: ALL_TYPES[attr]})
    item = ddb.get_item(TableName=t, Key={"pk": {"S": "k"}})["Item"]
    assert _canon(item[attr]) == _canon(ALL_TYPES[attr])


def test_all_types_in_one_item(ddb, make_table):
    t = make_table()
    item = dict(ALL_TYPES, pk={"S": "k"})
    ddb.put_item(TableName=t, Item=item)
    got = ddb.get_item(TableName=t, Key={"pk": {"S": "k"}})["Item"]
    assert {k: _canon(v) for k, v in got.items()} == {k: _canon(v) for k, v in item.items()}


@pytest.mark.parametrize("typ,value", [("S", "key"), ("N", "-12.5"), ("B", b"\x00\xffk")])
def test_key_types_round_trip(ddb, make_table, typ, value):
    t = make_table(hash_type=typ)
    ddb.put_item(TableName=t, Item={"pk": {typ: value}, "v": {"S": "x"}})
    assert ddb.get_item(TableName=t, Key={"pk": {typ: value}})["Item"] == {"pk": {typ: value}, "v": {"S": "x"}}


def test_empty_list_and_map_allowed(ddb, make_table):
    t = make_table()
    ddb.put_item(TableName=t, Item={"pk": {"S": "k"}, "l": {"L": []}, "m": {"M": {}}})
    item = ddb.get_item(TableName=t, Key={"pk": {"S": "k"}})["Item"]
    assert item["l"] == {"L": []} and item["m"] == {"M": {}}


def test_empty_string_and_binary_as_non_key(ddb, make_table):
    t = make_table()
    ddb.put_item(TableName=t, Item={"pk": {"S": "k"}, "s": {"S": ""}, "b": {"B": b""}})
    item = ddb.get_item(TableName=t, Key={"pk": {"S": "k"}})["Item"]
    assert item["s"] == {"S": ""}
    assert item["b"] == {"B": b""}


def test_empty_string_in_set_allowed(ddb, make_table):
    t = make_table()
    ddb.put_item(TableName=t, Item={"pk": {"S": "k"}, "ss": {"SS": ["", "a"]}})
    item = ddb.get_item(TableName=t, Key={"pk": {"S": "k"}})["Item"]
    assert sorted(item["ss"]["SS"]) == ["", "a"]


def test_empty_string_as_hash_key_rejected(ddb, make_table):
    t = make_table()
    expect_error(ddb.put_item, "ValidationException",
                 "One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
                 "contain an empty string value. Key: pk",
                 TableName=t, Item={"pk": {"S": ""}})


def test_empty_string_as_range_key_rejected(ddb, make_table):
    t = make_table(range_type="S")
    expect_error(ddb.put_item, "ValidationException",
                 "One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
                 "contain an empty string value. Key: sk",
                 TableName=t, Item={"pk": {"S": "a"}, "sk": {"S": ""}})


def test_empty_binary_as_key_rejected(ddb, make_table):
    t = make_table(hash_type="B")
    expect_error(ddb.put_item, "ValidationException",
                 "One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
                 "contain an empty binary value. Key: pk",
                 TableName=t, Item={"pk": {"B": b""}})


def test_empty_string_key_in_get_rejected(ddb, make_table):
    t = make_table()
    expect_error(ddb.get_item, "ValidationException",
                 "One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
                 "contain an empty string value. Key: pk",
                 TableName=t, Key={"pk": {"S": ""}})


@pytest.mark.parametrize("value,message", [
    ({"SS": []}, "One or more parameter values were invalid: An string set  may not be empty"),
    ({"NS": []}, "One or more parameter values were invalid: An number set  may not be empty"),
    ({"BS": []}, "One or more parameter values were invalid: Binary sets should not be empty"),
])
def test_empty_set_rejected(ddb, make_table, value, message):
    t = make_table()
    expect_error(ddb.put_item, "ValidationException", message, TableName=t, Item={"pk": {"S": "k"}, "v": value})


def test_duplicate_string_set_rejected(ddb, make_table):
    t = make_table()
    expect_error(ddb.put_item, "ValidationException",
                 "One or more parameter values were invalid: Input collection [a, a] contains duplicates",
                 TableName=t, Item={"pk": {"S": "k"}, "v": {"SS": ["a", "b", "a"][0:1] * 2}})


def test_duplicate_number_set_rejected(ddb, make_table):
    t = make_table()
    expect_error(ddb.put_item, "ValidationException", "Input collection contains duplicates",
                 TableName=t, Item={"pk": {"S": "k"}, "v": {"NS": ["1", "1.0"]}})


def test_duplicate_binary_set_rejected(ddb, make_table):
    t = make_table()
    expect_error(ddb.put_item, "ValidationException",
                 "One or more parameter values were invalid: Input collection of type BS contains duplicates.",
                 TableName=t, Item={"pk": {"S": "k"}, "v": {"BS": [b"a", b"a"]}})


def test_null_false_rejected(ddb, make_table):
    t = make_table()
    expect_error(ddb.put_item, "ValidationException",
                 "One or more parameter values were invalid: Null attribute value types must have the value of true",
                 TableName=t, Item={"pk": {"S": "k"}, "v": {"NULL": False}})


def test_attribute_value_with_two_types_rejected(ddb, make_table):
    t = make_table()
    expect_error(ddb.put_item, "ValidationException",
                 "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
                 "supported datatypes",
                 TableName=t, Item={"pk": {"S": "k"}, "v": {"S": "a", "N": "1"}})


def test_attribute_value_with_no_type_rejected(ddb, make_table):
    t = make_table()
    expect_error(ddb.put_item, "ValidationException",
                 "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
                 TableName=t, Item={"pk": {"S": "k"}, "v": {}})


def test_hash_key_2048_bytes_accepted(ddb, make_table):
    t = make_table()
    ddb.put_item(TableName=t, Item={"pk": {"S": "x" * 2048}})
    assert "Item" in ddb.get_item(TableName=t, Key={"pk": {"S": "x" * 2048}})


def test_hash_key_over_2048_bytes_rejected(ddb, make_table):
    t = make_table()
    expect_error(ddb.put_item, "ValidationException",
                 "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size "
                 "limit of2048 bytes",  # sic: AWS's text has no space
                 "Hash primary key values must be under 2048 bytes, and range primary key values must be "
                 "under 1024 bytes",
                 TableName=t, Item={"pk": {"S": "x" * 2049}})


def test_range_key_over_1024_bytes_rejected(ddb, make_table):
    t = make_table(range_type="S")
    expect_error(ddb.put_item, "ValidationException",
                 "One or more parameter values were invalid: Aggregated size of all range keys has exceeded "
                 "the size limit of 1024 bytes",
                 "Hash primary key values must be under 2048 bytes, and range primary key values must be "
                 "under 1024 bytes",
                 TableName=t, Item={"pk": {"S": "a"}, "sk": {"S": "x" * 1025}})


def test_nested_map_round_trip(ddb, make_table):
    t = make_table()
    v = {"M": {"a": {"M": {"b": {"M": {"c": {"L": [{"S": "deep"}, {"NS": ["1"]}]}}}}}}}
    ddb.put_item(TableName=t, Item={"pk": {"S": "k"}, "v": v})
    assert ddb.get_item(TableName=t, Key={"pk": {"S": "k"}})["Item"]["v"] == v
