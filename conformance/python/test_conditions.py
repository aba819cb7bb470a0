"""ConditionExpression and FilterExpression: comparators with DynamoDB's type rules,
BETWEEN, IN, boolean precedence, every function, nested document paths."""
import botocore.exceptions
import pytest

from ddbconf import expect_error

COND_FAILED = "The conditional request failed"

ITEM = {
    "pk": {"S": "c"},
    "s": {"S": "hello"},
    "n": {"N": "5"},
    "b": {"B": b"\x01\x02\x03"},
    "ss": {"SS": ["a", "b"]},
    "ns": {"NS": ["1", "2"]},
    "bs": {"BS": [b"\x01", b"\x02"]},
    "l": {"L": [{"N": "1"}, {"S": "x"}, {"L": [{"N": "2"}]}, {"M": {"k": {"S": "v"}}}]},
    "m": {"M": {"a": {"M": {"b": {"L": [{"N": "10"}, {"N": "11"}, {"M": {"c": {"N": "3"}}}]}}}}},
    "t": {"BOOL": True},
    "z": {"NULL": True},
    "e": {"S": ""},
}


@pytest.fixture(scope="module")
def ctable(ddb):
    from ddbconf import key_schema, unique_name
    name = unique_name("cond")
    ks, ad = key_schema()
    ddb.create_table(TableName=name, KeySchema=ks, AttributeDefinitions=ad,
                     BillingMode="PAY_PER_REQUEST")
    ddb.put_item(TableName=name, Item=ITEM)
    yield name
    ddb.delete_table(TableName=name)


def holds(ddb, table, expr, values=None, names=None):
    """True when the condition holds on ITEM (the item is re-put unchanged)."""
    kw = {"ConditionExpression": expr}
    if values:
        kw["ExpressionAttributeValues"] = values
    if names:
        kw["ExpressionAttributeNames"] = names
    try:
        ddb.put_item(TableName=table, Item=ITEM, **kw)
        return True
    except botocore.exceptions.ClientError as e:
        err = e.response["Error"]
        assert err["Code"] == "ConditionalCheckFailedException", err
        assert err["Message"] == COND_FAILED
        return False


N = lambda x: {"N": str(x)}  # noqa: E731
S = lambda x: {"S": x}  # noqa: E731

# (expression, values, expected)
CASES = [
    # comparators on numbers, strings, binary
    ("n = :v", {":v": N(5)}, True),
    ("n = :v", {":v": N("5.00")}, True),
    ("n <> :v", {":v": N(5)}, False),
    ("n < :v", {":v": N(6)}, True),
    ("n <= :v", {":v": N(5)}, True),
    ("n > :v", {":v": N(5)}, False),
    ("n >= :v", {":v": N(5)}, True),
    ("n > :v", {":v": N("-1E+100")}, True),
    ("s < :v", {":v": S("help")}, True),
    ("s > :v", {":v": S("Hello")}, True),
    ("b < :v", {":v": {"B": b"\x01\x02\x04"}}, True),
    ("b > :v", {":v": {"B": b"\x01\x02"}}, True),
    # different types never compare, and are never equal
    ("n = :v", {":v": S("5")}, False),
    ("n <> :v", {":v": S("5")}, True),
    ("n < :v", {":v": S("6")}, False),
    ("n >= :v", {":v": S("6")}, False),
    ("s > :v", {":v": N(1)}, False),
    ("s < :v", {":v": {"B": b"z"}}, False),
    # sets, lists and maps: equality only
    ("ss = :v", {":v": {"SS": ["b", "a"]}}, True),
    ("ss = :v", {":v": {"SS": ["a"]}}, False),
    ("ns = :v", {":v": {"NS": ["2", "1.0"]}}, True),
    ("ss <> :v", {":v": {"SS": ["a"]}}, True),
    ("bs = :v", {":v": {"BS": [b"\x02", b"\x01"]}}, True),
    ("l[2] = :v", {":v": {"L": [N(2)]}}, True),
    ("l[3] = :v", {":v": {"M": {"k": S("v")}}}, True),
    ("m.a.b[2] = :v", {":v": {"M": {"c": N(3)}}}, True),
    ("t = :v", {":v": {"BOOL": True}}, True),
    ("t = :v", {":v": {"BOOL": False}}, False),
    ("z = :v", {":v": {"NULL": True}}, True),
    ("e = :v", {":v": S("")}, True),
    # comparing two paths of the item; a xmiss operand
    ("n < m.a.b[0]", None, True),
    ("s = l[1]", None, False),
    ("xmiss = :v", {":v": N(5)}, False),
    ("xmiss <> :v", {":v": N(5)}, True),
    ("xmiss < :v", {":v": N(5)}, False),
    ("NOT xmiss = :v", {":v": N(5)}, True),
    # BETWEEN
    ("n BETWEEN :a AND :b", {":a": N(1), ":b": N(5)}, True),
    ("n BETWEEN :a AND :b", {":a": N(5), ":b": N(5)}, True),
    ("n BETWEEN :a AND :b", {":a": N(6), ":b": N(9)}, False),
    ("s BETWEEN :a AND :b", {":a": S("h"), ":b": S("i")}, True),
    ("n BETWEEN :a AND :b", {":a": S("1"), ":b": S("9")}, False),
    ("xmiss BETWEEN :a AND :b", {":a": N(1), ":b": N(9)}, False),
    # IN
    ("n IN (:a, :b)", {":a": N(1), ":b": N(5)}, True),
    ("n IN (:a)", {":a": N(1)}, False),
    ("s IN (:a, :b)", {":a": N(1), ":b": S("hello")}, True),
    ("ss IN (:a)", {":a": {"SS": ["b", "a"]}}, True),
    ("xmiss IN (:a)", {":a": N(1)}, False),
    # AND / OR / NOT precedence and parentheses
    ("n = :a OR n = :b AND n = :c", {":a": N(5), ":b": N(1), ":c": N(2)}, True),
    ("(n = :a OR n = :b) AND n = :c", {":a": N(5), ":b": N(1), ":c": N(2)}, False),
    ("NOT n = :a AND n = :b", {":a": N(1), ":b": N(5)}, True),
    ("NOT (n = :a AND n = :b)", {":a": N(5), ":b": N(6)}, True),
    ("NOT n = :a OR n = :a", {":a": N(5)}, True),
    ("NOT NOT n = :a", {":a": N(5)}, True),
    ("n = :a and s = :b", {":a": N(5), ":b": S("hello")}, True),
    ("n = :a oR s = :b", {":a": N(4), ":b": S("hello")}, True),
    # attribute_exists / attribute_not_exists on nested paths
    ("attribute_exists(s)", None, True),
    ("attribute_exists(m.a.b[2].c)", None, True),
    ("attribute_exists(m.a.b[3])", None, False),
    ("attribute_exists(l[0].x)", None, False),
    ("attribute_exists(s.x)", None, False),
    ("attribute_not_exists(m.a.x)", None, True),
    ("attribute_not_exists(l[1])", None, False),
    ("attribute_exists(z)", None, True),
    # attribute_type, every type
    ("attribute_type(s, :t)", {":t": S("S")}, True),
    ("attribute_type(n, :t)", {":t": S("N")}, True),
    ("attribute_type(b, :t)", {":t": S("B")}, True),
    ("attribute_type(ss, :t)", {":t": S("SS")}, True),
    ("attribute_type(ns, :t)", {":t": S("NS")}, True),
    ("attribute_type(bs, :t)", {":t": S("BS")}, True),
    ("attribute_type(l, :t)", {":t": S("L")}, True),
    ("attribute_type(m, :t)", {":t": S("M")}, True),
    ("attribute_type(t, :t)", {":t": S("BOOL")}, True),
    ("attribute_type(z, :t)", {":t": S("NULL")}, True),
    ("attribute_type(s, :t)", {":t": S("N")}, False),
    ("attribute_type(m.a.b[2], :t)", {":t": S("M")}, True),
    ("attribute_type(xmiss, :t)", {":t": S("S")}, False),
    # begins_with
    ("begins_with(s, :p)", {":p": S("hel")}, True),
    ("begins_with(s, :p)", {":p": S("hello")}, True),
    ("begins_with(s, :p)", {":p": S("hello!")}, False),
    ("begins_with(s, :p)", {":p": S("")}, True),
    ("begins_with(b, :p)", {":p": {"B": b"\x01\x02"}}, True),
    ("begins_with(b, :p)", {":p": {"B": b"\x02"}}, False),
    ("begins_with(n, :p)", {":p": S("5")}, False),
    ("begins_with(l[1], :p)", {":p": S("x")}, True),
    # contains: strings, binary, sets, lists
    ("contains(s, :v)", {":v": S("ell")}, True),
    ("contains(s, :v)", {":v": S("elo")}, False),
    ("contains(b, :v)", {":v": {"B": b"\x02\x03"}}, True),
    ("contains(ss, :v)", {":v": S("a")}, True),
    ("contains(ss, :v)", {":v": S("c")}, False),
    ("contains(ns, :v)", {":v": N("2.0")}, True),
    ("contains(ns, :v)", {":v": S("2")}, False),
    ("contains(bs, :v)", {":v": {"B": b"\x02"}}, True),
    ("contains(l, :v)", {":v": N(1)}, True),
    ("contains(l, :v)", {":v": S("x")}, True),
    ("contains(l, :v)", {":v": {"L": [N(2)]}}, True),
    ("contains(l, :v)", {":v": {"M": {"k": S("v")}}}, True),
    ("contains(l, :v)", {":v": N(2)}, False),
    ("contains(n, :v)", {":v": N(5)}, False),
    ("contains(m, :v)", {":v": S("a")}, False),
    ("contains(s, l[1])", None, False),
    ("contains(:v, s)", {":v": N(1)}, False),
    ("contains(l, l[1])", None, True),
    # size: strings (bytes), binary, sets, lists, maps
    ("size(s) = :v", {":v": N(5)}, True),
    ("size(e) = :v", {":v": N(0)}, True),
    ("size(b) = :v", {":v": N(3)}, True),
    ("size(ss) = :v", {":v": N(2)}, True),
    ("size(ns) = :v", {":v": N(2)}, True),
    ("size(bs) = :v", {":v": N(2)}, True),
    ("size(l) = :v", {":v": N(4)}, True),
    ("size(m) = :v", {":v": N(1)}, True),
    ("size(m.a.b) > :v", {":v": N(2)}, True),
    ("size(l[2]) = :v", {":v": N(1)}, True),
    ("size(n) = :v", {":v": N(1)}, False),
    ("size(xmiss) = :v", {":v": N(0)}, False),
    ("size(xmiss) <> :v", {":v": N(0)}, True),
    ("size(s) BETWEEN :a AND :b", {":a": N(1), ":b": N(9)}, True),
    ("size(s) IN (:a, :b)", {":a": N(1), ":b": N(5)}, True),
    ("size(s) < size(l)", None, False),
    ("size(l) < size(s)", None, True),
    # nested paths with list indexes everywhere
    ("m.a.b[2].c = :v", {":v": N(3)}, True),
    ("m.a.b[0] < m.a.b[1]", None, True),
    ("l[2][0] = :v", {":v": N(2)}, True),
    ("l[3].k = :v", {":v": S("v")}, True),
    ("l[9] = :v", {":v": N(1)}, False),
    ("#m.#a.b[2].#c = :v", {":v": N(3)}, True),
]


@pytest.mark.parametrize("expr,values,expected", CASES,
                         ids=["%d:%s" % (i, c[0]) for i, c in enumerate(CASES)])
def test_condition(ddb, ctable, expr, values, expected):
    names = None
    if "#" in expr:
        names = {"#m": "m", "#a": "a", "#c": "c"}
    assert holds(ddb, ctable, expr, values, names) is expected


def test_names_with_dots_are_one_attribute(ddb, make_table):
    t = make_table()
    ddb.put_item(TableName=t, Item={"pk": S("k"), "a.b": N(1), "a": {"M": {"b": N(2)}}})
    # "#ab" stands for the top-level name "a.b", not a path
    ddb.put_item(TableName=t, Item={"pk": S("k"), "a.b": N(1), "a": {"M": {"b": N(2)}}},
                 ConditionExpression="#ab = :one AND a.b = :two",
                 ExpressionAttributeNames={"#ab": "a.b"},
                 ExpressionAttributeValues={":one": N(1), ":two": N(2)})


def test_in_with_100_operands(ddb, ctable):
    vals = {":v%d" % i: N(i) for i in range(100)}
    expr = "n IN (%s)" % ", ".join(sorted(vals))
    assert holds(ddb, ctable, expr, vals) is True


def test_in_with_101_operands(ddb, ctable):
    vals = {":v%d" % i: N(i) for i in range(101)}
    expect_error(ddb.put_item, "ValidationException",
                 "Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101",
                 TableName=ctable, Item=ITEM, ConditionExpression="n IN (%s)" % ", ".join(vals),
                 ExpressionAttributeValues=vals)


@pytest.mark.parametrize("expr,values,message", [
    ("ss < :v", {":v": {"SS": ["a"]}}, "operator or function: <, operand type: SS"),
    ("m > :v", {":v": {"M": {}}}, "operator or function: >, operand type: M"),
    ("l <= :v", {":v": {"L": []}}, "operator or function: <=, operand type: L"),
    ("t >= :v", {":v": {"BOOL": True}}, "operator or function: >=, operand type: BOOL"),
    ("z < :v", {":v": {"NULL": True}}, "operator or function: <, operand type: NULL"),
    ("n BETWEEN :a AND :b", {":a": {"NS": ["1"]}, ":b": {"NS": ["2"]}},
     "operator or function: BETWEEN, operand type: NS"),
    ("begins_with(s, :v)", {":v": {"SS": ["a"]}}, "operator or function: begins_with, operand type: SS"),
    ("size(:v) = :v", {":v": N(1)}, "operator or function: size, operand type: N"),
    ("attribute_type(s, :v)", {":v": S("X")},
     None),
])
def test_static_operand_type_errors(ddb, ctable, expr, values, message):
    full = "Invalid ConditionExpression: Incorrect operand type for operator or function; " + message \
        if message else None
    r = expect_error(ddb.put_item, "ValidationException", full, TableName=ctable, Item=ITEM,
                     ConditionExpression=expr, ExpressionAttributeValues=values)
    if message is None:
        assert r["Error"]["Message"].startswith("Invalid ConditionExpression: "), r["Error"]


def test_attribute_type_invalid_name(ddb, ctable):
    expect_error(ddb.put_item, "ValidationException",
                 "Invalid ConditionExpression: Invalid attribute type name found; type: X, valid types: {N,BS,L,B,NULL,M,S,SS,NS,BOOL}",
                 TableName=ctable, Item=ITEM, ConditionExpression="attribute_type(s, :v)",
                 ExpressionAttributeValues={":v": S("X")})


# ---------- FilterExpression through Query and Scan ----------

@pytest.fixture(scope="module")
def ftable(ddb):
    from ddbconf import key_schema, unique_name
    name = unique_name("filt")
    ks, ad = key_schema(range_name="sk", range_type="N")
    ddb.create_table(TableName=name, KeySchema=ks, AttributeDefinitions=ad,
                     BillingMode="PAY_PER_REQUEST")
    for i in range(10):
        item = {"pk": S("p"), "sk": N(i), "n": N(i % 4), "tags": {"SS": ["t%d" % (i % 3), "all"]},
                "doc": {"M": {"list": {"L": [N(i), {"M": {"deep": S("d%d" % (i % 2))}}]}}}}
        if i % 2:
            item["odd"] = {"BOOL": True}
        ddb.put_item(TableName=name, Item=item)
    yield name
    ddb.delete_table(TableName=name)


FILTERS = [
    ("n = :v", {":v": N(1)}, [1, 5, 9]),
    ("n BETWEEN :a AND :b", {":a": N(1), ":b": N(2)}, [1, 2, 5, 6, 9]),
    ("n IN (:a, :b)", {":a": N(0), ":b": N(3)}, [0, 3, 4, 7, 8]),
    ("attribute_exists(odd) AND n <> :v", {":v": N(1)}, [3, 7]),
    ("attribute_not_exists(odd) OR n = :v", {":v": N(3)}, [0, 2, 3, 4, 6, 7, 8]),
    ("contains(tags, :t)", {":t": S("t2")}, [2, 5, 8]),
    ("doc.#l[1].deep = :d", {":d": S("d1")}, [1, 3, 5, 7, 9]),
    ("doc.#l[0] >= :v AND NOT contains(tags, :t)", {":v": N(6), ":t": S("t0")}, [7, 8]),
    ("size(tags) = :two", {":two": N(2)}, list(range(10))),
    ("begins_with(doc.#l[1].deep, :p)", {":p": S("d0")}, [0, 2, 4, 6, 8]),
    ("doc.#l[0] > n", None, list(range(4, 10))),
]


def _names(expr):
    return {"#l": "list"} if "#l" in expr else None


def _kw(expr, values):
    kw = {"FilterExpression": expr}
    if values:
        kw["ExpressionAttributeValues"] = values
    if _names(expr):
        kw["ExpressionAttributeNames"] = _names(expr)
    return kw


@pytest.mark.parametrize("expr,values,expected", FILTERS, ids=[f[0] for f in FILTERS])
def test_scan_filter(ddb, ftable, expr, values, expected):
    r = ddb.scan(TableName=ftable, **_kw(expr, values))
    assert sorted(int(i["sk"]["N"]) for i in r["Items"]) == expected
    assert r["Count"] == len(expected)
    assert r["ScannedCount"] == 10


@pytest.mark.parametrize("expr,values,expected", FILTERS, ids=[f[0] for f in FILTERS])
def test_query_filter(ddb, ftable, expr, values, expected):
    kw = _kw(expr, values)
    kw["ExpressionAttributeValues"] = dict(kw.get("ExpressionAttributeValues", {}), **{":pk": S("p")})
    r = ddb.query(TableName=ftable, KeyConditionExpression="pk = :pk", **kw)
    assert [int(i["sk"]["N"]) for i in r["Items"]] == expected
    assert r["Count"] == len(expected)
    assert r["ScannedCount"] == 10


def test_filter_on_key_attribute_in_query_rejected(ddb, ftable):
    expect_error(ddb.query, "ValidationException",
                 "Filter Expression can only contain non-primary key attributes: Primary key attribute: sk",
                 TableName=ftable, KeyConditionExpression="pk = :pk", FilterExpression="sk > :v",
                 ExpressionAttributeValues={":pk": S("p"), ":v": N(1)})


def test_filter_with_limit_counts_scanned(ddb, ftable):
    r = ddb.scan(TableName=ftable, Limit=4, FilterExpression="attribute_exists(odd)")
    assert r["ScannedCount"] == 4
    assert r["Count"] <= 4
    assert "LastEvaluatedKey" in r


def test_filter_with_select_count(ddb, ftable):
    r = ddb.scan(TableName=ftable, Select="COUNT", FilterExpression="attribute_exists(odd)")
    assert r["Count"] == 5 and "Items" not in r


def test_condition_on_update_nested(ddb, make_table):
    t = make_table()
    ddb.put_item(TableName=t, Item={"pk": S("k"), "m": {"M": {"l": {"L": [N(1), N(2)]}}}})
    expect_error(ddb.update_item, "ConditionalCheckFailedException", COND_FAILED,
                 TableName=t, Key={"pk": S("k")}, UpdateExpression="SET x = :v",
                 ConditionExpression="m.l[1] = :one", ExpressionAttributeValues={":v": N(1), ":one": N(1)})
    ddb.update_item(TableName=t, Key={"pk": S("k")}, UpdateExpression="SET x = :v",
                    ConditionExpression="m.l[1] = :v", ExpressionAttributeValues={":v": N(2)})
    assert ddb.get_item(TableName=t, Key={"pk": S("k")})["Item"]["x"] == N(2)


@pytest.mark.parametrize("expr,op,first", [
    ("s = s", "=", "[s]"),
    ("l[1] <> l[1]", "<>", "[l, [1]]"),
    ("m.a.b[0] < m.a.b[0]", "<", "[m, a, b, [0]]"),
    ("n BETWEEN n AND :v", "BETWEEN", "[n]"),
    ("n IN (:v, n)", "IN", "[n]"),
])
def test_operands_must_be_distinct(ddb, ctable, expr, op, first):
    kw = {"ExpressionAttributeValues": {":v": N(1)}} if ":v" in expr else {}
    expect_error(ddb.put_item, "ValidationException",
                 "Invalid ConditionExpression: The first operand must be distinct from the remaining "
                 "operands for this operator or function; operator: %s, first operand: %s" % (op, first),
                 TableName=ctable, Item=ITEM, ConditionExpression=expr, **kw)
