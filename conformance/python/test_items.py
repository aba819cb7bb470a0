"""PutItem / GetItem / DeleteItem / UpdateItem, keys, ReturnValues, projections,
condition and update expressions."""
import pytest

from ddbconf import expect_error, reference_differs, unique_name

NOT_FOUND_LOCAL = "Cannot do operations on a non-existent table"
COND_FAILED = "The conditional request failed"


@pytest.fixture
def table(make_table):
    return make_table()


@pytest.fixture
def table_hr(make_table):
    return make_table(range_type="N")


def get(ddb, t, key, **kw):
    return ddb.get_item(TableName=t, Key=key, **kw).get("Item")


# ---------- basic CRUD ----------

def test_put_then_get(ddb, table):
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "v": {"S": "1"}})
    assert get(ddb, table, {"pk": {"S": "a"}}) == {"pk": {"S": "a"}, "v": {"S": "1"}}


def test_get_missing_item_has_no_item_key(ddb, table):
    r = ddb.get_item(TableName=table, Key={"pk": {"S": "nothing"}})
    assert "Item" not in r


def test_put_replaces_whole_item(ddb, table):
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "x": {"S": "1"}, "y": {"S": "2"}})
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "z": {"S": "3"}})
    assert get(ddb, table, {"pk": {"S": "a"}}) == {"pk": {"S": "a"}, "z": {"S": "3"}}


def test_put_returns_empty_response(ddb, table):
    r = ddb.put_item(TableName=table, Item={"pk": {"S": "a"}})
    r.pop("ResponseMetadata")
    assert "Attributes" not in r


def test_delete_item(ddb, table):
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}})
    ddb.delete_item(TableName=table, Key={"pk": {"S": "a"}})
    assert get(ddb, table, {"pk": {"S": "a"}}) is None


def test_delete_missing_item_succeeds(ddb, table):
    r = ddb.delete_item(TableName=table, Key={"pk": {"S": "never"}})
    assert "Attributes" not in r


def test_hash_range_items_are_distinct(ddb, table_hr):
    for i in range(3):
        ddb.put_item(TableName=table_hr, Item={"pk": {"S": "a"}, "sk": {"N": str(i)}, "v": {"N": str(i * 10)}})
    for i in range(3):
        assert get(ddb, table_hr, {"pk": {"S": "a"}, "sk": {"N": str(i)}})["v"] == {"N": str(i * 10)}


def test_binary_key_item(ddb, make_table):
    t = make_table(hash_type="B", range_type="B")
    key = {"pk": {"B": b"\x00\x01"}, "sk": {"B": b"\xff"}}
    ddb.put_item(TableName=t, Item=dict(key, v={"S": "x"}))
    assert get(ddb, t, key)["v"] == {"S": "x"}


def test_consistent_read_accepted(ddb, table):
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}})
    assert get(ddb, table, {"pk": {"S": "a"}}, ConsistentRead=True) == {"pk": {"S": "a"}}


def test_item_just_under_400kb_accepted(ddb, table):
    # item size = attribute name lengths + value lengths
    ddb.put_item(TableName=table, Item={"pk": {"S": "big"}, "v": {"S": "x" * (400 * 1024 - 10)}})
    assert len(get(ddb, table, {"pk": {"S": "big"}})["v"]["S"]) == 400 * 1024 - 10


def test_item_over_400kb_rejected(ddb, table):
    expect_error(ddb.put_item, "ValidationException", "Item size has exceeded the maximum allowed size",
                 TableName=table, Item={"pk": {"S": "big"}, "v": {"S": "x" * (400 * 1024)}})


def test_update_item_over_400kb_rejected(ddb, table):
    ddb.put_item(TableName=table, Item={"pk": {"S": "big"}, "a": {"S": "x" * (300 * 1024)}})
    expect_error(ddb.update_item, "ValidationException",
                 "Item size to update has exceeded the maximum allowed size",
                 TableName=table, Key={"pk": {"S": "big"}}, UpdateExpression="SET b = :v",
                 ExpressionAttributeValues={":v": {"S": "y" * (200 * 1024)}})


# ---------- missing table ----------

def test_put_missing_table(ddb):
    expect_error(ddb.put_item, "ResourceNotFoundException", "Requested resource not found", NOT_FOUND_LOCAL,
                 TableName=unique_name("missing"), Item={"pk": {"S": "a"}})


def test_get_missing_table(ddb):
    expect_error(ddb.get_item, "ResourceNotFoundException", "Requested resource not found", NOT_FOUND_LOCAL,
                 TableName=unique_name("missing"), Key={"pk": {"S": "a"}})


def test_delete_item_missing_table(ddb):
    expect_error(ddb.delete_item, "ResourceNotFoundException", "Requested resource not found", NOT_FOUND_LOCAL,
                 TableName=unique_name("missing"), Key={"pk": {"S": "a"}})


def test_update_item_missing_table(ddb):
    expect_error(ddb.update_item, "ResourceNotFoundException", "Requested resource not found", NOT_FOUND_LOCAL,
                 TableName=unique_name("missing"), Key={"pk": {"S": "a"}}, UpdateExpression="SET a = :v",
                 ExpressionAttributeValues={":v": {"S": "x"}})


# ---------- key validation ----------

def test_put_missing_hash_key(ddb, table):
    expect_error(ddb.put_item, "ValidationException", "One of the required keys was not given a value",
                 TableName=table, Item={"other": {"S": "a"}})


def test_put_missing_range_key(ddb, table_hr):
    expect_error(ddb.put_item, "ValidationException", "One of the required keys was not given a value",
                 TableName=table_hr, Item={"pk": {"S": "a"}})


def test_put_wrong_key_type(ddb, table):
    expect_error(ddb.put_item, "ValidationException",
                 "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N",
                 "One or more parameter values were invalid: Type mismatch for key",
                 TableName=table, Item={"pk": {"N": "1"}})


def test_get_wrong_key_type(ddb, table):
    expect_error(ddb.get_item, "ValidationException", "The provided key element does not match the schema",
                 "One or more parameter values were invalid: Type mismatch for key",
                 TableName=table, Key={"pk": {"N": "1"}})


def test_get_missing_key_attribute(ddb, table):
    expect_error(ddb.get_item, "ValidationException", "The provided key element does not match the schema",
                 "One of the required keys was not given a value",
                 TableName=table, Key={"other": {"S": "a"}})


def test_get_extra_key_attribute(ddb, table):
    expect_error(ddb.get_item, "ValidationException", "The provided key element does not match the schema",
                 "The number of conditions on the keys is invalid",
                 TableName=table, Key={"pk": {"S": "a"}, "x": {"S": "b"}})


def test_get_only_hash_of_hash_range_table(ddb, table_hr):
    expect_error(ddb.get_item, "ValidationException", "The provided key element does not match the schema",
                 "The number of conditions on the keys is invalid",
                 TableName=table_hr, Key={"pk": {"S": "a"}})


def test_delete_wrong_key_type(ddb, table):
    expect_error(ddb.delete_item, "ValidationException", "The provided key element does not match the schema",
                 "One or more parameter values were invalid: Type mismatch for key",
                 TableName=table, Key={"pk": {"N": "1"}})


def test_put_extra_attributes_besides_key_fine(ddb, table_hr):
    item = {"pk": {"S": "a"}, "sk": {"N": "1"}, "a": {"S": "x"}, "b": {"N": "2"}}
    ddb.put_item(TableName=table_hr, Item=item)
    assert get(ddb, table_hr, {"pk": {"S": "a"}, "sk": {"N": "1"}}) == item


# ---------- ReturnValues ----------

def test_put_return_all_old(ddb, table):
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "v": {"S": "old"}})
    r = ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "v": {"S": "new"}}, ReturnValues="ALL_OLD")
    assert r["Attributes"] == {"pk": {"S": "a"}, "v": {"S": "old"}}


def test_put_return_all_old_when_absent(ddb, table):
    r = ddb.put_item(TableName=table, Item={"pk": {"S": "a"}}, ReturnValues="ALL_OLD")
    assert "Attributes" not in r


def test_put_return_none(ddb, table):
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "v": {"S": "old"}})
    r = ddb.put_item(TableName=table, Item={"pk": {"S": "a"}}, ReturnValues="NONE")
    assert "Attributes" not in r


def test_delete_return_all_old(ddb, table):
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "v": {"N": "5"}})
    r = ddb.delete_item(TableName=table, Key={"pk": {"S": "a"}}, ReturnValues="ALL_OLD")
    assert r["Attributes"] == {"pk": {"S": "a"}, "v": {"N": "5"}}


def test_delete_return_all_old_when_absent(ddb, table):
    r = ddb.delete_item(TableName=table, Key={"pk": {"S": "a"}}, ReturnValues="ALL_OLD")
    assert "Attributes" not in r


@pytest.mark.parametrize("rv", ["ALL_NEW", "UPDATED_OLD", "UPDATED_NEW", "FOO"])
def test_put_invalid_return_values(ddb, table, rv):
    expect_error(ddb.put_item, "ValidationException", "Return values set to invalid value",
                 TableName=table, Item={"pk": {"S": "a"}}, ReturnValues=rv)


def test_delete_invalid_return_values(ddb, table):
    expect_error(ddb.delete_item, "ValidationException", "Return values set to invalid value",
                 TableName=table, Key={"pk": {"S": "a"}}, ReturnValues="UPDATED_NEW")


# ---------- GetItem ProjectionExpression ----------

@pytest.fixture
def proj_item(ddb, table):
    ddb.put_item(TableName=table, Item={"pk": {"S": "p"}, "a": {"S": "1"}, "b": {"N": "2"},
                                        "name": {"S": "n"}, "c": {"BOOL": True}})
    return table


def test_projection_top_level(ddb, proj_item):
    assert get(ddb, proj_item, {"pk": {"S": "p"}}, ProjectionExpression="a, c") == {"a": {"S": "1"}, "c": {"BOOL": True}}


def test_projection_with_name_placeholder(ddb, proj_item):
    item = get(ddb, proj_item, {"pk": {"S": "p"}}, ProjectionExpression="#n, b",
               ExpressionAttributeNames={"#n": "name"})
    assert item == {"name": {"S": "n"}, "b": {"N": "2"}}


def test_projection_missing_attribute_omitted(ddb, proj_item):
    assert get(ddb, proj_item, {"pk": {"S": "p"}}, ProjectionExpression="a, zz") == {"a": {"S": "1"}}


def test_projection_only_missing_attributes_gives_empty_item(ddb, proj_item):
    r = ddb.get_item(TableName=proj_item, Key={"pk": {"S": "p"}}, ProjectionExpression="zz")
    assert r["Item"] == {}


def test_projection_reserved_word_rejected(ddb, proj_item):
    expect_error(ddb.get_item, "ValidationException",
                 "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name",
                 TableName=proj_item, Key={"pk": {"S": "p"}}, ProjectionExpression="name")


def test_projection_undefined_name(ddb, proj_item):
    expect_error(ddb.get_item, "ValidationException",
                 "Invalid ProjectionExpression: An expression attribute name used in the document path is not "
                 "defined; attribute name: #c",
                 TableName=proj_item, Key={"pk": {"S": "p"}}, ProjectionExpression="#c")


def test_projection_unused_name(ddb, proj_item):
    expect_error(ddb.get_item, "ValidationException",
                 "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}",
                 TableName=proj_item, Key={"pk": {"S": "p"}}, ProjectionExpression="b",
                 ExpressionAttributeNames={"#b": "b"})


def test_projection_duplicate_path(ddb, proj_item):
    expect_error(ddb.get_item, "ValidationException",
                 "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or "
                 "rewrite one of these paths; path one: [b], path two: [b]",
                 TableName=proj_item, Key={"pk": {"S": "p"}}, ProjectionExpression="b, b")


# ---------- ConditionExpression ----------

@pytest.fixture
def cond_item(ddb, table):
    ddb.put_item(TableName=table, Item={"pk": {"S": "c"}, "n": {"N": "5"}, "s": {"S": "abc"},
                                        "flag": {"BOOL": True}})
    return table


VALS = {":five": {"N": "5"}, ":four": {"N": "4"}, ":six": {"N": "6"}, ":abc": {"S": "abc"},
        ":abd": {"S": "abd"}, ":t": {"BOOL": True}}

PASSING = [
    "n = :five", "n <> :four", "n < :six", "n <= :five", "n > :four", "n >= :five",
    "s = :abc", "s < :abd", "flag = :t",
    "n = :five AND s = :abc", "n = :four OR s = :abc", "NOT n = :four",
    "(n = :four OR n = :five) AND s = :abc", "NOT (n = :four AND s = :abc)",
    "attribute_exists(n)", "attribute_not_exists(zz)", "attribute_exists(pk)",
    "n = :five AND (attribute_exists(s) OR attribute_exists(zz))",
]

FAILING = [
    "n = :four", "n <> :five", "n < :five", "n <= :four", "n > :five", "n >= :six",
    "s = :abd", "s > :abd",
    "n = :five AND s = :abd", "n = :four OR s = :abd", "NOT n = :five",
    "(n = :four OR n = :six) AND s = :abc",
    "attribute_not_exists(n)", "attribute_exists(zz)", "attribute_not_exists(pk)",
    "zz = :five", "n = :abc",
]


def _used(expr):
    return {k: v for k, v in VALS.items() if k in expr.replace(",", " ").replace(")", " ").split()}


@pytest.mark.parametrize("expr", PASSING)
def test_condition_passes(ddb, cond_item, expr):
    kw = {"ExpressionAttributeValues": _used(expr)} if _used(expr) else {}
    ddb.put_item(TableName=cond_item, Item={"pk": {"S": "c"}, "written": {"S": "yes"}},
                 ConditionExpression=expr, **kw)
    assert get(ddb, cond_item, {"pk": {"S": "c"}}) == {"pk": {"S": "c"}, "written": {"S": "yes"}}


@pytest.mark.parametrize("expr", FAILING)
def test_condition_fails(ddb, cond_item, expr):
    kw = {"ExpressionAttributeValues": _used(expr)} if _used(expr) else {}
    expect_error(ddb.put_item, "ConditionalCheckFailedException", COND_FAILED,
                 TableName=cond_item, Item={"pk": {"S": "c"}, "written": {"S": "yes"}},
                 ConditionExpression=expr, **kw)
    assert "written" not in get(ddb, cond_item, {"pk": {"S": "c"}})


def test_condition_attribute_not_exists_on_new_item(ddb, table):
    ddb.put_item(TableName=table, Item={"pk": {"S": "new"}}, ConditionExpression="attribute_not_exists(pk)")
    expect_error(ddb.put_item, "ConditionalCheckFailedException", COND_FAILED,
                 TableName=table, Item={"pk": {"S": "new"}}, ConditionExpression="attribute_not_exists(pk)")


def test_condition_with_name_placeholder(ddb, cond_item):
    ddb.put_item(TableName=cond_item, Item={"pk": {"S": "c"}}, ConditionExpression="#n = :five",
                 ExpressionAttributeNames={"#n": "n"}, ExpressionAttributeValues={":five": {"N": "5"}})


def test_condition_on_delete(ddb, cond_item):
    expect_error(ddb.delete_item, "ConditionalCheckFailedException", COND_FAILED,
                 TableName=cond_item, Key={"pk": {"S": "c"}}, ConditionExpression="n = :six",
                 ExpressionAttributeValues={":six": {"N": "6"}})
    ddb.delete_item(TableName=cond_item, Key={"pk": {"S": "c"}}, ConditionExpression="n = :five",
                    ExpressionAttributeValues={":five": {"N": "5"}})
    assert get(ddb, cond_item, {"pk": {"S": "c"}}) is None


def test_condition_on_delete_missing_item(ddb, table):
    expect_error(ddb.delete_item, "ConditionalCheckFailedException", COND_FAILED,
                 TableName=table, Key={"pk": {"S": "absent"}}, ConditionExpression="attribute_exists(pk)")


def test_condition_on_update(ddb, cond_item):
    expect_error(ddb.update_item, "ConditionalCheckFailedException", COND_FAILED,
                 TableName=cond_item, Key={"pk": {"S": "c"}}, UpdateExpression="SET x = :five",
                 ConditionExpression="n > :five", ExpressionAttributeValues={":five": {"N": "5"}})
    assert "x" not in get(ddb, cond_item, {"pk": {"S": "c"}})


def test_condition_on_update_missing_item_does_not_create(ddb, table):
    expect_error(ddb.update_item, "ConditionalCheckFailedException", COND_FAILED,
                 TableName=table, Key={"pk": {"S": "absent"}}, UpdateExpression="SET a = :v",
                 ConditionExpression="attribute_exists(pk)", ExpressionAttributeValues={":v": {"S": "x"}})
    assert get(ddb, table, {"pk": {"S": "absent"}}) is None


def test_condition_unused_value(ddb, cond_item):
    expect_error(ddb.put_item, "ValidationException",
                 "Value provided in ExpressionAttributeValues unused in expressions: keys: {:a}",
                 TableName=cond_item, Item={"pk": {"S": "c"}}, ConditionExpression="attribute_exists(pk)",
                 ExpressionAttributeValues={":a": {"S": "x"}})


def test_condition_unused_name(ddb, cond_item):
    expect_error(ddb.put_item, "ValidationException",
                 "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a}",
                 TableName=cond_item, Item={"pk": {"S": "c"}}, ConditionExpression="attribute_exists(pk)",
                 ExpressionAttributeNames={"#a": "x"})


def test_condition_undefined_value(ddb, cond_item):
    expect_error(ddb.put_item, "ValidationException",
                 "Invalid ConditionExpression: An expression attribute value used in expression is not "
                 "defined; attribute value: :b",
                 TableName=cond_item, Item={"pk": {"S": "c"}}, ConditionExpression="a = :b")


def test_condition_undefined_name(ddb, cond_item):
    expect_error(ddb.put_item, "ValidationException",
                 "Invalid ConditionExpression: An expression attribute name used in the document path is not "
                 "defined; attribute name: #a",
                 TableName=cond_item, Item={"pk": {"S": "c"}}, ConditionExpression="#a = :b",
                 ExpressionAttributeValues={":b": {"S": "x"}})


def test_condition_syntax_error(ddb, cond_item):
    expect_error(ddb.put_item, "ValidationException",
                 'Invalid ConditionExpression: Syntax error; token: "=", near: "= = :b"',
                 TableName=cond_item, Item={"pk": {"S": "c"}}, ConditionExpression="a = = :b",
                 ExpressionAttributeValues={":b": {"S": "x"}})


def test_condition_syntax_error_at_end(ddb, cond_item):
    expect_error(ddb.put_item, "ValidationException",
                 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "="',
                 TableName=cond_item, Item={"pk": {"S": "c"}}, ConditionExpression="a =")


def test_condition_empty_expression(ddb, cond_item):
    expect_error(ddb.put_item, "ValidationException",
                 "Invalid ConditionExpression: The expression can not be empty;",
                 TableName=cond_item, Item={"pk": {"S": "c"}}, ConditionExpression="")


def test_condition_reserved_word(ddb, cond_item):
    expect_error(ddb.put_item, "ValidationException",
                 "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name",
                 TableName=cond_item, Item={"pk": {"S": "c"}}, ConditionExpression="name = :b",
                 ExpressionAttributeValues={":b": {"S": "x"}})


def test_empty_expression_attribute_values(ddb, cond_item):
    expect_error(ddb.put_item, "ValidationException", "ExpressionAttributeValues must not be empty",
                 TableName=cond_item, Item={"pk": {"S": "c"}}, ConditionExpression="a = :b",
                 ExpressionAttributeValues={})


def test_empty_expression_attribute_names(ddb, cond_item):
    expect_error(ddb.put_item, "ValidationException", "ExpressionAttributeNames must not be empty",
                 TableName=cond_item, Item={"pk": {"S": "c"}}, ConditionExpression="attribute_exists(pk)",
                 ExpressionAttributeNames={})


# ---------- UpdateItem ----------

def test_update_creates_item(ddb, table):
    r = ddb.update_item(TableName=table, Key={"pk": {"S": "u"}}, UpdateExpression="SET a = :v, b = :w",
                        ExpressionAttributeValues={":v": {"S": "x"}, ":w": {"N": "1"}}, ReturnValues="ALL_NEW")
    assert r["Attributes"] == {"pk": {"S": "u"}, "a": {"S": "x"}, "b": {"N": "1"}}
    assert get(ddb, table, {"pk": {"S": "u"}}) == {"pk": {"S": "u"}, "a": {"S": "x"}, "b": {"N": "1"}}


def test_update_set_overwrites_and_keeps_others(ddb, table):
    ddb.put_item(TableName=table, Item={"pk": {"S": "u"}, "a": {"S": "old"}, "keep": {"N": "1"}})
    ddb.update_item(TableName=table, Key={"pk": {"S": "u"}}, UpdateExpression="SET a = :v",
                    ExpressionAttributeValues={":v": {"L": [{"S": "new"}]}})
    assert get(ddb, table, {"pk": {"S": "u"}}) == {"pk": {"S": "u"}, "a": {"L": [{"S": "new"}]}, "keep": {"N": "1"}}


def test_update_remove(ddb, table):
    ddb.put_item(TableName=table, Item={"pk": {"S": "u"}, "a": {"S": "x"}, "b": {"S": "y"}})
    ddb.update_item(TableName=table, Key={"pk": {"S": "u"}}, UpdateExpression="REMOVE a")
    assert get(ddb, table, {"pk": {"S": "u"}}) == {"pk": {"S": "u"}, "b": {"S": "y"}}


def test_update_set_and_remove_together(ddb, table):
    ddb.put_item(TableName=table, Item={"pk": {"S": "u"}, "a": {"S": "x"}})
    ddb.update_item(TableName=table, Key={"pk": {"S": "u"}}, UpdateExpression="SET b = :v REMOVE a",
                    ExpressionAttributeValues={":v": {"BOOL": False}})
    assert get(ddb, table, {"pk": {"S": "u"}}) == {"pk": {"S": "u"}, "b": {"BOOL": False}}


@reference_differs  # DynamoDB Local creates the key-only item (protocol/MESSAGES-expr.md)
def test_update_remove_on_absent_item_creates_nothing(ddb, table):
    ddb.update_item(TableName=table, Key={"pk": {"S": "ghost"}}, UpdateExpression="REMOVE a")
    assert get(ddb, table, {"pk": {"S": "ghost"}}) is None


def test_update_with_name_placeholder(ddb, table):
    ddb.update_item(TableName=table, Key={"pk": {"S": "u"}}, UpdateExpression="SET #n = :v",
                    ExpressionAttributeNames={"#n": "name"}, ExpressionAttributeValues={":v": {"S": "x"}})
    assert get(ddb, table, {"pk": {"S": "u"}})["name"] == {"S": "x"}


def test_update_hash_range_table(ddb, table_hr):
    key = {"pk": {"S": "u"}, "sk": {"N": "7"}}
    ddb.update_item(TableName=table_hr, Key=key, UpdateExpression="SET a = :v",
                    ExpressionAttributeValues={":v": {"S": "x"}})
    assert get(ddb, table_hr, key) == dict(key, a={"S": "x"})


def test_update_return_all_old(ddb, table):
    ddb.put_item(TableName=table, Item={"pk": {"S": "u"}, "a": {"S": "old"}})
    r = ddb.update_item(TableName=table, Key={"pk": {"S": "u"}}, UpdateExpression="SET a = :v",
                        ExpressionAttributeValues={":v": {"S": "new"}}, ReturnValues="ALL_OLD")
    assert r["Attributes"] == {"pk": {"S": "u"}, "a": {"S": "old"}}


def test_update_return_none_has_no_attributes(ddb, table):
    r = ddb.update_item(TableName=table, Key={"pk": {"S": "u"}}, UpdateExpression="SET a = :v",
                        ExpressionAttributeValues={":v": {"S": "new"}})
    assert "Attributes" not in r


def test_update_hash_key_rejected(ddb, table):
    expect_error(ddb.update_item, "ValidationException",
                 "One or more parameter values were invalid: Cannot update attribute pk. This attribute is "
                 "part of the key",
                 TableName=table, Key={"pk": {"S": "u"}}, UpdateExpression="SET pk = :v",
                 ExpressionAttributeValues={":v": {"S": "x"}})


def test_remove_range_key_rejected(ddb, table_hr):
    expect_error(ddb.update_item, "ValidationException",
                 "One or more parameter values were invalid: Cannot update attribute sk. This attribute is "
                 "part of the key",
                 TableName=table_hr, Key={"pk": {"S": "u"}, "sk": {"N": "1"}}, UpdateExpression="REMOVE sk")


def test_update_syntax_error(ddb, table):
    expect_error(ddb.update_item, "ValidationException",
                 'Invalid UpdateExpression: Syntax error; token: ":v", near: "a :v"',
                 TableName=table, Key={"pk": {"S": "u"}}, UpdateExpression="SET a :v",
                 ExpressionAttributeValues={":v": {"S": "x"}})


def test_update_unknown_clause(ddb, table):
    expect_error(ddb.update_item, "ValidationException",
                 'Invalid UpdateExpression: Syntax error; token: "FOO", near: "FOO a"',
                 TableName=table, Key={"pk": {"S": "u"}}, UpdateExpression="FOO a")


def test_update_overlapping_paths(ddb, table):
    expect_error(ddb.update_item, "ValidationException",
                 "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite "
                 "one of these paths; path one: [a], path two: [a]",
                 TableName=table, Key={"pk": {"S": "u"}}, UpdateExpression="SET a = :v REMOVE a",
                 ExpressionAttributeValues={":v": {"S": "x"}})


def test_update_undefined_value(ddb, table):
    expect_error(ddb.update_item, "ValidationException",
                 "Invalid UpdateExpression: An expression attribute value used in expression is not defined; "
                 "attribute value: :v",
                 TableName=table, Key={"pk": {"S": "u"}}, UpdateExpression="SET a = :v")


def test_update_undefined_name(ddb, table):
    expect_error(ddb.update_item, "ValidationException",
                 "Invalid UpdateExpression: An expression attribute name used in the document path is not "
                 "defined; attribute name: #a",
                 TableName=table, Key={"pk": {"S": "u"}}, UpdateExpression="SET #a = :v",
                 ExpressionAttributeValues={":v": {"S": "x"}})


def test_update_unused_value(ddb, table):
    expect_error(ddb.update_item, "ValidationException",
                 "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}",
                 TableName=table, Key={"pk": {"S": "u"}}, UpdateExpression="SET a = :v",
                 ExpressionAttributeValues={":v": {"S": "x"}, ":w": {"S": "y"}})


def test_update_invalid_return_values(ddb, table):
    expect_error(ddb.update_item, "ValidationException", "Return values set to invalid value",
                 TableName=table, Key={"pk": {"S": "u"}}, UpdateExpression="SET a = :v",
                 ExpressionAttributeValues={":v": {"S": "x"}}, ReturnValues="FOO")


def test_update_set_empty_set_value_rejected(ddb, table):
    expect_error(ddb.update_item, "ValidationException",
                 "ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: "
                 "An string set  may not be empty for key :v",
                 TableName=table, Key={"pk": {"S": "u"}}, UpdateExpression="SET a = :v",
                 ExpressionAttributeValues={":v": {"SS": []}})
