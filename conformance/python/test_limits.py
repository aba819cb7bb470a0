"""Limits with DynamoDB's errors: item size (also after an update), key sizes, expression
size, operator and IN caps, document path and value nesting, number precision and range."""
import pytest

from ddbconf import expect_error

N = lambda x: {"N": str(x)}  # noqa: E731
S = lambda x: {"S": x}  # noqa: E731


@pytest.fixture(scope="module")
def ltable(ddb):
    from ddbconf import key_schema, unique_name
    name = unique_name("lim")
    ks, ad = key_schema(range_name="sk", range_type="S")
    ddb.create_table(TableName=name, KeySchema=ks, AttributeDefinitions=ad, BillingMode="PAY_PER_REQUEST")
    yield name
    ddb.delete_table(TableName=name)


KEY = {"pk": S("p"), "sk": S("s")}
# AWS's key-size messages (the hash one has no space in "of2048", as AWS writes it);
# DynamoDB Local words both differently
LOCAL_KEY_SIZE = ("Hash primary key values must be under 2048 bytes, and range primary key values "
                  "must be under 1024 bytes")


# ---------- item size ----------

def test_update_growing_item_past_400kb(ddb, ltable):
    ddb.put_item(TableName=ltable, Item=dict(KEY, a=S("x" * 300000)))
    expect_error(ddb.update_item, "ValidationException",
                 "Item size to update has exceeded the maximum allowed size",
                 TableName=ltable, Key=KEY, UpdateExpression="SET b = a")
    expect_error(ddb.update_item, "ValidationException",
                 "Item size to update has exceeded the maximum allowed size",
                 TableName=ltable, Key=KEY, UpdateExpression="SET l = list_append(:l, :l)",
                 ExpressionAttributeValues={":l": {"L": [S("y" * 60000)]}})
    got = ddb.get_item(TableName=ltable, Key=KEY)["Item"]
    assert set(got) == {"pk", "sk", "a"}


def test_update_to_just_under_400kb(ddb, ltable):
    ddb.put_item(TableName=ltable, Item=dict(KEY, a=S("x" * 200000)))
    # pk(2+1) + sk(2+1) + a(1+200000) + b(1+n) <= 409600
    n = 409600 - (3 + 3 + 200001 + 1)
    ddb.update_item(TableName=ltable, Key=KEY, UpdateExpression="SET b = :v",
                    ExpressionAttributeValues={":v": S("y" * n)})
    expect_error(ddb.update_item, "ValidationException",
                 "Item size to update has exceeded the maximum allowed size",
                 TableName=ltable, Key=KEY, UpdateExpression="SET c = :v",
                 ExpressionAttributeValues={":v": S("z")})


# ---------- key sizes ----------

def test_partition_key_2048_bytes(ddb, ltable):
    ddb.put_item(TableName=ltable, Item={"pk": S("k" * 2048), "sk": S("s")})
    expect_error(ddb.put_item, "ValidationException",
                 "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes",
                 LOCAL_KEY_SIZE, TableName=ltable, Item={"pk": S("k" * 2049), "sk": S("s")})


def test_sort_key_1024_bytes(ddb, ltable):
    ddb.put_item(TableName=ltable, Item={"pk": S("p"), "sk": S("s" * 1024)})
    expect_error(ddb.put_item, "ValidationException",
                 "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes",
                 LOCAL_KEY_SIZE, TableName=ltable, Item={"pk": S("p"), "sk": S("s" * 1025)})


def test_key_size_in_update(ddb, ltable):
    expect_error(ddb.update_item, "ValidationException",
                 "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes",
                 LOCAL_KEY_SIZE, TableName=ltable, Key={"pk": S("k" * 2049), "sk": S("s")}, UpdateExpression="SET a = :v",
                 ExpressionAttributeValues={":v": N(1)})


# ---------- expressions ----------

def test_expression_4kb(ddb, ltable):
    ok = "attribute_not_exists(zz)" + " " * (4096 - len("attribute_not_exists(zz)"))
    ddb.put_item(TableName=ltable, Item=KEY, ConditionExpression=ok)
    expect_error(ddb.put_item, "ValidationException",
                 "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4097",
                 TableName=ltable, Item=KEY, ConditionExpression=ok + " ")


@pytest.mark.parametrize("member,name", [("UpdateExpression", "UpdateExpression"),
                                         ("ProjectionExpression", "ProjectionExpression")])
def test_expression_size_other_kinds(ddb, ltable, member, name):
    text = ("SET a = :v" if member == "UpdateExpression" else "a") + " " * 5000
    kw = {"ExpressionAttributeValues": {":v": N(1)}} if member == "UpdateExpression" else {}
    call = ddb.update_item if member == "UpdateExpression" else ddb.get_item
    # DynamoDB gives the size for conditions, filters and key conditions only
    expect_error(call, "ValidationException",
                 "Invalid %s: Expression size has exceeded the maximum allowed size;" % name,
                 TableName=ltable, Key=KEY, **{member: text}, **kw)


@pytest.mark.parametrize("kind", ["FilterExpression", "KeyConditionExpression"])
def test_expression_size_reported(ddb, ltable, kind):
    text = ("a = :v" if kind == "FilterExpression" else "pk = :v") + " " * 5000
    call = ddb.scan if kind == "FilterExpression" else ddb.query
    expect_error(call, "ValidationException",
                 "Invalid %s: Expression size has exceeded the maximum allowed size; expression size: %d"
                 % (kind, len(text)), TableName=ltable, **{kind: text},
                 ExpressionAttributeValues={":v": S("p")})


OPS_297 = " OR ".join(["a = :v"] * 149)  # 149 comparisons and 148 ORs


@pytest.mark.parametrize("suffix,fails", [
    (" OR NOT a = :v", False),                     # 300
    (" OR a = :v OR a = :v", True),                # 301
    (" OR NOT size(a) = :v", True),                # a function counts as an operator
    (" OR NOT attribute_exists(a)", False),        # 300
    (" OR NOT NOT attribute_exists(a)", True),
    (" OR NOT NOT attribute_not_exists(a)", True),
    (" OR NOT NOT begins_with(a, :s)", True),
    (" OR NOT NOT contains(a, :s)", True),
    (" OR NOT a BETWEEN :v AND :v", False),        # BETWEEN is one operator
    (" OR NOT a IN (:v, :v, :v)", False),          # IN is one operator
    (" OR NOT (a = :v)", False),                   # parentheses are not
])
def test_operator_count_300(ddb, ltable, suffix, fails):
    vals = {":v": N(1)}
    if ":s" in suffix:
        vals[":s"] = S("x")
    kw = dict(TableName=ltable, FilterExpression=OPS_297 + suffix, ExpressionAttributeValues=vals)
    if fails:
        expect_error(ddb.scan, "ValidationException",
                     "Invalid FilterExpression: The expression contains too many operators; operator count: 301", **kw)
    else:
        ddb.scan(**kw)


@pytest.mark.parametrize("n_not", [300, 301, 1000])
def test_operator_count_reports_first_past_limit(ddb, ltable, n_not):
    # DynamoDB stops counting at the first operator past 300
    expect_error(ddb.scan, "ValidationException",
                 "Invalid FilterExpression: The expression contains too many operators; operator count: 301",
                 TableName=ltable, FilterExpression="NOT " * n_not + "a = :v", ExpressionAttributeValues={":v": N(1)})


def test_operator_count_in_update(ddb, ltable):
    text = "SET " + ",".join("a%d=:v+:v" % i for i in range(301))
    assert len(text) <= 4096
    expect_error(ddb.update_item, "ValidationException",
                 "Invalid UpdateExpression: The expression contains too many operators; operator count: 301",
                 TableName=ltable, Key=KEY, UpdateExpression=text, ExpressionAttributeValues={":v": N(1)})


def test_in_operands_100(ddb, ltable):
    vals = {":v%d" % i: N(i) for i in range(101)}
    ddb.scan(TableName=ltable, FilterExpression="a IN (%s)" % ", ".join(list(vals)[:100]),
             ExpressionAttributeValues={k: vals[k] for k in list(vals)[:100]})
    expect_error(ddb.scan, "ValidationException",
                 "Invalid FilterExpression: The IN operator is provided with too many operands; number of operands: 101",
                 TableName=ltable, FilterExpression="a IN (%s)" % ", ".join(vals), ExpressionAttributeValues=vals)


def test_document_path_depth_32(ddb, ltable):
    ok = "a" + ".b" * 31
    ddb.put_item(TableName=ltable, Item=KEY, ConditionExpression="attribute_not_exists(%s)" % ok)
    expect_error(ddb.put_item, "ValidationException",
                 "Invalid ConditionExpression: The document path has too many nesting levels; nesting levels: 33",
                 TableName=ltable, Item=KEY, ConditionExpression="attribute_not_exists(%s)" % (ok + ".c"))
    expect_error(ddb.update_item, "ValidationException",
                 "Invalid UpdateExpression: The document path has too many nesting levels; nesting levels: 33",
                 TableName=ltable, Key=KEY, UpdateExpression="REMOVE %s" % (ok + "[0]"))


def nested(depth, leaf):
    v = leaf
    for _ in range(depth):
        v = {"M": {"x": v}}
    return v


NESTING_PUT = ("Nesting Levels have exceeded supported limits: Attributes in the item have nested "
               "levels beyond supported limit")


def test_value_nesting_depth_32(ddb, ltable):
    # the item is the first level: 31 containers below it are fine, 32 are not
    ddb.put_item(TableName=ltable, Item=dict(KEY, a=nested(31, N(1))))
    ddb.put_item(TableName=ltable, Item=dict(KEY, a=nested(30, {"L": []})))
    expect_error(ddb.put_item, "ValidationException", NESTING_PUT,
                 TableName=ltable, Item=dict(KEY, a=nested(31, {"M": {}})))
    expect_error(ddb.put_item, "ValidationException", NESTING_PUT,
                 TableName=ltable, Item=dict(KEY, a={"L": [nested(31, N(1))]}))


def test_update_nesting_past_32(ddb, ltable):
    ddb.put_item(TableName=ltable, Item=dict(KEY, a=nested(30, N(1))))
    ddb.update_item(TableName=ltable, Key=KEY, UpdateExpression="SET a" + ".x" * 30 + " = :v",
                    ExpressionAttributeValues={":v": nested(1, N(1))})
    expect_error(ddb.update_item, "ValidationException",
                 "Nesting Levels have exceeded supported limits",
                 TableName=ltable, Key=KEY, UpdateExpression="SET a" + ".x" * 30 + " = :v",
                 ExpressionAttributeValues={":v": nested(2, N(1))})
    expect_error(ddb.update_item, "ValidationException",
                 "Nesting Levels have exceeded supported limits",
                 TableName=ltable, Key=KEY, UpdateExpression="SET b = :v",
                 ExpressionAttributeValues={":v": nested(32, N(1))})
    ddb.update_item(TableName=ltable, Key=KEY, UpdateExpression="SET b = :v",
                    ExpressionAttributeValues={":v": nested(31, N(1))})


# ---------- numbers in expression values ----------

@pytest.mark.parametrize("num,message", [
    ("1" * 39, "Attempting to store more than 38 significant digits in a Number"),
    ("1E+126", "Number overflow. Attempting to store a number with magnitude larger than supported range"),
    ("1E-131", "Number underflow. Attempting to store a number with magnitude smaller than supported range"),
    ("abc", None),
])
def test_number_in_expression_values(ddb, ltable, num, message):
    if message is None:
        r = expect_error(ddb.update_item, "ValidationException", None, TableName=ltable, Key=KEY,
                         UpdateExpression="SET a = :v", ExpressionAttributeValues={":v": N(num)})
        assert r["Error"]["Message"].startswith("ExpressionAttributeValues contains invalid value: ")
        return
    # DynamoDB Local words the 38-digit limit its own way (MESSAGES-values.md)
    local = message.replace("Attempting to store more than 38 significant digits in a Number",
                            "DynamoDB only supports precision up to 38 digits")
    expect_error(ddb.update_item, "ValidationException",
                 "ExpressionAttributeValues contains invalid value: %s for key :v" % message,
                 "ExpressionAttributeValues contains invalid value: %s for key :v" % local,
                 TableName=ltable, Key=KEY, UpdateExpression="SET a = :v", ExpressionAttributeValues={":v": N(num)})


@pytest.mark.parametrize("num", ["9.9999999999999999999999999999999999999E+125", "1E-130",
                                 "-9.9999999999999999999999999999999999999E+125", "1" * 38])
def test_number_range_edges_accepted(ddb, ltable, num):
    ddb.update_item(TableName=ltable, Key=KEY, UpdateExpression="SET a = :v", ExpressionAttributeValues={":v": N(num)})
    ddb.get_item(TableName=ltable, Key=KEY)
