"""UpdateExpression (SET, REMOVE, ADD, DELETE), its errors, ReturnValues on every write
and ReturnValuesOnConditionCheckFailure, exact number arithmetic."""
import botocore.exceptions
import pytest

from decimal import Decimal

from ddbconf import REFERENCE, expect_error, raw_request, reference_differs

N = lambda x: {"N": str(x)}  # noqa: E731
S = lambda x: {"S": x}  # noqa: E731
L = lambda *xs: {"L": list(xs)}  # noqa: E731
M = lambda **kw: {"M": kw}  # noqa: E731
KEY = {"pk": S("u")}

BASE = {
    "pk": S("u"),
    "n": N(5),
    "s": S("str"),
    "l": L(N(0), N(1), N(2), N(3)),
    "m": M(a=M(b=L(N(10), M(c=N(3))), x=S("y"))),
    "ss": {"SS": ["a", "b"]},
    "ns": {"NS": ["1", "2"]},
    "bs": {"BS": [b"\x01"]},
}


@pytest.fixture
def t(ddb, make_table):
    name = make_table()
    ddb.put_item(TableName=name, Item=BASE)
    return name


def upd(ddb, t, expr, values=None, names=None, **kw):
    if values:
        kw["ExpressionAttributeValues"] = values
    if names:
        kw["ExpressionAttributeNames"] = names
    return ddb.update_item(TableName=t, Key=KEY, UpdateExpression=expr, **kw)


def item(ddb, t):
    return ddb.get_item(TableName=t, Key=KEY, ConsistentRead=True).get("Item")


def sets_sorted(v):
    """Set order is not defined: compare sets sorted."""
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            if k in ("SS", "NS", "BS"):
                out[k] = sorted(x)
            else:
                out[k] = sets_sorted(x)
        return out
    if isinstance(v, list):
        return [sets_sorted(x) for x in v]
    return v


# (expression, values, attribute name, expected value or None for "absent")
OK_CASES = [
    ("SET n = n + :v", {":v": N(2)}, "n", N(7)),
    ("SET n = n - :v", {":v": N(7)}, "n", N(-2)),
    ("SET n = :v - n", {":v": N("0.5")}, "n", N("-4.5")),
    ("SET n = n + m.a.b[1].c", None, "n", N(8)),
    ("SET x = if_not_exists(x, :v)", {":v": N(1)}, "x", N(1)),
    ("SET n = if_not_exists(n, :v)", {":v": N(1)}, "n", N(5)),
    ("SET x = if_not_exists(m.a.x, :v)", {":v": N(1)}, "x", S("y")),
    ("SET n = if_not_exists(n, :z) + :v", {":z": N(0), ":v": N(1)}, "n", N(6)),
    ("SET x = if_not_exists(x, :z) + :v", {":z": N(10), ":v": N(1)}, "x", N(11)),
    ("SET l = list_append(l, :v)", {":v": L(S("e"))}, "l", L(N(0), N(1), N(2), N(3), S("e"))),
    ("SET l = list_append(:v, l)", {":v": L(S("e"))}, "l", L(S("e"), N(0), N(1), N(2), N(3))),
    ("SET x = list_append(:a, :b)", {":a": L(), ":b": L(N(1))}, "x", L(N(1))),
    ("SET x = list_append(if_not_exists(x, :e), :v)", {":e": L(), ":v": L(N(1))}, "x", L(N(1))),
    ("SET l[1] = :v", {":v": S("one")}, "l", L(N(0), S("one"), N(2), N(3))),
    ("SET l[4] = :v", {":v": S("new")}, "l", L(N(0), N(1), N(2), N(3), S("new"))),
    ("SET l[100] = :v", {":v": S("new")}, "l", L(N(0), N(1), N(2), N(3), S("new"))),
    ("SET l[10] = :a, l[11] = :b", {":a": S("a"), ":b": S("b")}, "l",
     L(N(0), N(1), N(2), N(3), S("a"), S("b"))),
    ("SET m.a.b[1].c = :v", {":v": N(4)}, "m", M(a=M(b=L(N(10), M(c=N(4))), x=S("y")))),
    ("SET m.a.z = :v", {":v": N(4)}, "m", M(a=M(b=L(N(10), M(c=N(3))), x=S("y"), z=N(4)))),
    ("SET m.a.b[1].d = m.a.b[0]", None, "m", M(a=M(b=L(N(10), M(c=N(3), d=N(10))), x=S("y")))),
    ("SET #a = :v", {":v": M()}, "a.b", M()),
    ("SET s = :v", {":v": {"NULL": True}}, "s", {"NULL": True}),
    ("REMOVE s", None, "s", None),
    ("REMOVE nothere", None, "nothere", None),
    ("REMOVE m.a.x", None, "m", M(a=M(b=L(N(10), M(c=N(3)))))),
    ("REMOVE m.a.b[0]", None, "m", M(a=M(b=L(M(c=N(3))), x=S("y")))),
    ("REMOVE l[1], l[2]", None, "l", L(N(0), N(3))),
    ("REMOVE l[2], l[0]", None, "l", L(N(1), N(3))),
    ("REMOVE l[9]", None, "l", L(N(0), N(1), N(2), N(3))),
    ("ADD l[0] :v", {":v": N(1)}, "l", L(N(1), N(1), N(2), N(3))),
    ("SET l[0] = :v REMOVE l[1]", {":v": S("z")}, "l", L(S("z"), N(2), N(3))),
    ("REMOVE l[0] SET l[1] = :v", {":v": S("z")}, "l", L(S("z"), N(2), N(3))),
    ("ADD n :v", {":v": N(-5)}, "n", N(0)),
    ("ADD x :v", {":v": N(3)}, "x", N(3)),
    ("ADD ss :v", {":v": {"SS": ["b", "c"]}}, "ss", {"SS": ["a", "b", "c"]}),
    ("ADD ns :v", {":v": {"NS": ["2.0", "3"]}}, "ns", {"NS": ["1", "2", "3"]}),
    ("ADD bs :v", {":v": {"BS": [b"\x02"]}}, "bs", {"BS": [b"\x01", b"\x02"]}),
    ("ADD x :v", {":v": {"SS": ["q"]}}, "x", {"SS": ["q"]}),
    ("ADD m.a.cnt :v", {":v": N(1)}, "m", M(a=M(b=L(N(10), M(c=N(3))), x=S("y"), cnt=N(1)))),
    ("DELETE ss :v", {":v": {"SS": ["a", "zz"]}}, "ss", {"SS": ["b"]}),
    ("DELETE ss :v", {":v": {"SS": ["a", "b"]}}, "ss", None),
    ("DELETE ns :v", {":v": {"NS": ["1.00"]}}, "ns", {"NS": ["2"]}),
    ("DELETE bs :v", {":v": {"BS": [b"\x01"]}}, "bs", None),
    ("DELETE nothere :v", {":v": {"SS": ["a"]}}, "nothere", None),
    ("SET a1 = :v, a2 = :v REMOVE s ADD n :one DELETE ss :d",
     {":v": N(1), ":one": N(1), ":d": {"SS": ["a"]}}, "ss", {"SS": ["b"]}),
    ("set x = :v", {":v": N(1)}, "x", N(1)),
]


@pytest.mark.parametrize("expr,values,attr,expected", OK_CASES,
                         ids=["%d:%s" % (i, c[0]) for i, c in enumerate(OK_CASES)])
def test_update(ddb, t, expr, values, attr, expected):
    names = {"#a": "a.b"} if "#a" in expr else None
    upd(ddb, t, expr, values, names)
    got = item(ddb, t)
    if expected is None:
        assert attr not in got
    else:
        assert sets_sorted(got.get(attr)) == sets_sorted(expected)


def test_update_leaves_other_attributes(ddb, t):
    upd(ddb, t, "SET m.a.x = :v REMOVE l[0]", {":v": S("z")})
    got = item(ddb, t)
    for k in ("n", "s", "ss", "ns", "bs"):
        assert sets_sorted(got[k]) == sets_sorted(BASE[k])


def test_update_values_come_from_the_old_item(ddb, t):
    upd(ddb, t, "SET n = :v, x = n", {":v": N(1)})
    got = item(ddb, t)
    assert got["n"] == N(1) and got["x"] == N(5)


def test_update_new_item_from_add_and_set(ddb, make_table):
    t = make_table()
    upd(ddb, t, "ADD c :one SET l = list_append(if_not_exists(l, :e), :v)",
        {":one": N(1), ":e": L(), ":v": L(S("a"))})
    upd(ddb, t, "ADD c :one SET l = list_append(if_not_exists(l, :e), :v)",
        {":one": N(1), ":e": L(), ":v": L(S("b"))})
    assert item(ddb, t) == {"pk": S("u"), "c": N(2), "l": L(S("a"), S("b"))}


@reference_differs  # DynamoDB Local creates the key-only item (protocol/MESSAGES-expr.md)
def test_delete_on_new_item_creates_nothing(ddb, make_table):
    t = make_table()
    r = upd(ddb, t, "DELETE ss :v", {":v": {"SS": ["a"]}}, ReturnValues="ALL_NEW")
    assert "Attributes" not in r
    assert item(ddb, t) is None


# ---------- errors ----------

BAD_PATH = "The document path provided in the update expression is invalid for update"
MISSING = "The provided expression refers to an attribute that does not exist in the item"
BAD_TYPE = "An operand in the update expression has an incorrect data type"
PRECISION = "DynamoDB only supports precision up to 38 digits"
OVERFLOW = "Number overflow. Attempting to store a number with magnitude larger than supported range"
UNDERFLOW = "Number underflow. Attempting to store a number with magnitude smaller than supported range"
OVERLAP = ("Invalid UpdateExpression: Two document paths overlap with each other; must remove or "
           "rewrite one of these paths; path one: %s, path two: %s")


ERROR_CASES = [
    ("SET n = :v, n = :w", {":v": N(1), ":w": N(2)}, OVERLAP % ("[n]", "[n]")),
    ("SET m.a = :v REMOVE m", {":v": N(1)}, OVERLAP % ("[m, a]", "[m]")),
    ("SET l[1] = :v REMOVE l[1]", {":v": N(1)}, OVERLAP % ("[l, [1]]", "[l, [1]]")),
    ("ADD n :v DELETE n :w", {":v": N(1), ":w": {"NS": ["1"]}}, OVERLAP % ("[n]", "[n]")),
    ("SET m.a.b = :v, m.a.b[0] = :v", {":v": N(1)}, OVERLAP % ("[m, a, b]", "[m, a, b, [0]]")),
    ("SET pk = :v", {":v": S("x")},
     "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key"),
    ("REMOVE pk", None,
     "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key"),
    ("SET n = s + :v", {":v": N(1)}, BAD_TYPE),
    ("SET n = :v - s", {":v": N(1)}, BAD_TYPE),
    ("SET x = list_append(s, :v)", {":v": L()}, BAD_TYPE),
    ("SET x = list_append(:v, m)", {":v": L()}, BAD_TYPE),
    ("ADD s :v", {":v": N(1)}, BAD_TYPE),
    ("ADD ss :v", {":v": {"NS": ["1"]}}, BAD_TYPE),
    ("ADD l :v", {":v": N(1)}, BAD_TYPE),
    ("DELETE ss :v", {":v": {"NS": ["1"]}}, BAD_TYPE),
    ("DELETE n :v", {":v": {"NS": ["1"]}}, BAD_TYPE),
    ("SET x = nothere + :v", {":v": N(1)}, MISSING),
    ("SET x = nothere", None, MISSING),
    ("SET x = m.a.nothere", None, MISSING),
    ("SET x = l[10]", None, MISSING),
    ("SET x = list_append(nothere, :v)", {":v": L()}, MISSING),
    ("SET nothere.a = :v", {":v": N(1)}, BAD_PATH),
    ("SET m.nope.a = :v", {":v": N(1)}, BAD_PATH),
    ("SET s.a = :v", {":v": N(1)}, BAD_PATH),
    ("SET n[0] = :v", {":v": N(1)}, BAD_PATH),
    ("SET m[0] = :v", {":v": N(1)}, BAD_PATH),
    ("SET l.a = :v", {":v": N(1)}, BAD_PATH),
    ("SET l[10].a = :v", {":v": N(1)}, BAD_PATH),
    ("REMOVE nothere.a", None, BAD_PATH),
    ("REMOVE s.a", None, BAD_PATH),
    ("REMOVE l[0].a", None, BAD_PATH),
    ("ADD m.nope.a :v", {":v": N(1)}, BAD_PATH),
    ("REMOVE m.nope.deeper", None, BAD_PATH),
    ("DELETE m.nope.a :v", {":v": {"SS": ["a"]}}, BAD_PATH),
    ("SET n = n + :v", {":v": N("9.9999999999999999999999999999999999999E+125")}, PRECISION),
    ("SET n = :a + :b", {":a": N("9.9999999999999999999999999999999999999E+125"), ":b": N("1E+88")}, OVERFLOW),
    ("SET n = :a - :b", {":a": N("-9.9999999999999999999999999999999999999E+125"), ":b": N("1E+88")}, OVERFLOW),
    ("ADD n :a", {":a": N("9.9999999999999999999999999999999999999E+125")}, PRECISION),
    ("SET n = :a - :b", {":a": N("2E-130"), ":b": N("1.5E-130")}, UNDERFLOW),
    ("SET n = :a + :b", {":a": N("1E+30"), ":b": N("1E-30")}, PRECISION),
    ("SET n = :a + :b", {":a": N("12345678901234567890123456789012345678"), ":b": N("0.1")}, PRECISION),
]


@pytest.mark.parametrize("expr,values,message", ERROR_CASES,
                         ids=["%d:%s" % (i, c[0]) for i, c in enumerate(ERROR_CASES)])
def test_update_error(ddb, t, expr, values, message):
    kw = {"ExpressionAttributeValues": values} if values else {}
    r = expect_error(ddb.update_item, "ValidationException", message, TableName=t, Key=KEY,
                     UpdateExpression=expr, **kw)
    print(r["Error"]["Message"])
    assert sets_sorted(item(ddb, t)) == sets_sorted(BASE)


def test_update_error_on_new_item_creates_nothing(ddb, make_table):
    t = make_table()
    expect_error(ddb.update_item, "ValidationException", BAD_PATH, TableName=t, Key=KEY,
                 UpdateExpression="SET a.b = :v", ExpressionAttributeValues={":v": N(1)})
    assert item(ddb, t) is None


def test_update_range_key_rejected(ddb, make_table):
    t = make_table(range_type="S")
    expect_error(ddb.update_item, "ValidationException",
                 "One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key",
                 TableName=t, Key={"pk": S("a"), "sk": S("b")}, UpdateExpression="SET sk.x = :v",
                 ExpressionAttributeValues={":v": N(1)})


@pytest.mark.parametrize("expr,values,message", [
    ("ADD n :v", {":v": S("x")},
     "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND"),
    ("ADD n :v", {":v": M()},
     "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: MAP, typeSet: ALLOWED_FOR_ADD_OPERAND"),
    ("DELETE ss :v", {":v": S("a")},
     "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: STRING, typeSet: ALLOWED_FOR_DELETE_OPERAND"),
    ("SET n = :v + :w", {":v": N(1), ":w": S("a")},
     "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S"),
    ("SET l = list_append(l, :v)", {":v": N(1)},
     "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: N"),
    ("SET x = if_not_exists(:v, :v)", {":v": N(1)},
     "Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists"),
    ("SET x = size(l)", None,
     "Invalid UpdateExpression: The function is not allowed in an update expression; function: size"),
    ("SET x = :v REMOVE y SET z = :v", {":v": N(1)},
     'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;'),
])
def test_update_static_errors(ddb, t, expr, values, message):
    kw = {"ExpressionAttributeValues": values} if values else {}
    expect_error(ddb.update_item, "ValidationException", message, TableName=t, Key=KEY,
                 UpdateExpression=expr, **kw)


# ---------- numbers ----------

def same_number(got, want):
    """ddbd returns results normalised (as DynamoDB does); DynamoDB Local keeps Java
    BigDecimal's scale ("3.30", "0.000"), so against it only the value is compared."""
    if REFERENCE:
        return Decimal(got) == Decimal(want)
    return got == want


@pytest.mark.parametrize("a,b,op,expected", [
    ("0.1", "0.2", "+", "0.3"),
    ("1.25", "0.75", "+", "2"),
    ("1.10", "2.20", "+", "3.3"),
    ("1", "1", "-", "0"),
    ("-0.5", "0.5", "+", "0"),
    ("0.001", "0.001", "-", "0"),
    ("1E+10", "1", "+", "10000000001"),
    ("1E-10", "1", "+", "1.0000000001"),
    ("1.5E+3", "0", "+", "1500"),
    ("99999999999999999999999999999999999999", "1", "-", "99999999999999999999999999999999999998"),
    ("99999999999999999999999999999999999999", "1", "+", "1" + "0" * 38),
    ("9.9999999999999999999999999999999999999E+125", "0", "+", "9" * 38 + "0" * 88),
    ("1E+125", "1E+125", "+", "2" + "0" * 125),
    ("1E-130", "1E-130", "+", "0." + "0" * 129 + "2"),
    ("1.1E-129", "1E-129", "-", "0." + "0" * 129 + "1"),
    ("12345678901234567890123456789012345678", "0", "+", "12345678901234567890123456789012345678"),
    ("5", "7.50", "-", "-2.5"),
])
def test_exact_arithmetic(ddb, t, a, b, op, expected):
    r = upd(ddb, t, "SET r = :a %s :b" % op, {":a": N(a), ":b": N(b)}, ReturnValues="UPDATED_NEW")
    assert list(r["Attributes"]) == ["r"]
    assert same_number(r["Attributes"]["r"]["N"], expected), r


def test_add_exact(ddb, t):
    upd(ddb, t, "SET f = :a", {":a": N("0.1")})
    for _ in range(3):
        upd(ddb, t, "ADD f :a", {":a": N("0.1")})
    assert same_number(item(ddb, t)["f"]["N"], "0.4")
    upd(ddb, t, "ADD f :a", {":a": N("-0.4")})
    assert same_number(item(ddb, t)["f"]["N"], "0")


@pytest.mark.parametrize("a,b,message", [
    ("9.9999999999999999999999999999999999999E+125", "1E+88", OVERFLOW),
    ("1E+125", "9.9999999999999999999999999999999999999E+125", PRECISION),
    ("2E-130", "-1.5E-130", UNDERFLOW),
    ("1", "1E-40", PRECISION),
])
def test_arithmetic_errors(ddb, t, a, b, message):
    expect_error(ddb.update_item, "ValidationException", message, TableName=t, Key=KEY,
                 UpdateExpression="SET r = :a + :b", ExpressionAttributeValues={":a": N(a), ":b": N(b)})
    upd(ddb, t, "SET r2 = :a", {":a": N(a)})
    expect_error(ddb.update_item, "ValidationException", message, TableName=t, Key=KEY,
                 UpdateExpression="ADD r2 :b", ExpressionAttributeValues={":b": N(b)})


# ---------- ReturnValues ----------

RV_BASE = {"pk": S("u"), "n": N(5), "m": M(a=L(N(1), N(2), N(3)), b=S("x")), "ss": {"SS": ["a"]}}

# (expression, values, {ReturnValues: expected Attributes or None}) on top-level paths,
# where DynamoDB Local and AWS agree
RV_CASES = [
    ("SET n = n + :one, x = :s", {":one": N(1), ":s": S("s")}, {
        "UPDATED_OLD": {"n": N(5)},
        "UPDATED_NEW": {"n": N(6), "x": S("s")},
    }),
    ("REMOVE n, zz", None, {"UPDATED_OLD": {"n": N(5)}, "UPDATED_NEW": None}),
    ("ADD ss :s, c :one", {":s": {"SS": ["b"]}, ":one": N(1)}, {
        "UPDATED_OLD": {"ss": {"SS": ["a"]}},
        "UPDATED_NEW": {"ss": {"SS": ["a", "b"]}, "c": N(1)},
    }),
    ("DELETE ss :s", {":s": {"SS": ["a"]}}, {"UPDATED_OLD": {"ss": {"SS": ["a"]}}, "UPDATED_NEW": None}),
    ("SET m = :s", {":s": S("s")}, {"UPDATED_OLD": {"m": RV_BASE["m"]}, "UPDATED_NEW": {"m": S("s")}}),
]


@pytest.mark.parametrize("rv", ["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"])
@pytest.mark.parametrize("expr,values,want", RV_CASES, ids=[c[0] for c in RV_CASES])
def test_update_return_values(ddb, make_table, rv, expr, values, want):
    t = make_table()
    ddb.put_item(TableName=t, Item=RV_BASE)
    r = upd(ddb, t, expr, values, ReturnValues=rv)
    after = item(ddb, t)
    expected = {"NONE": None, "ALL_OLD": RV_BASE, "ALL_NEW": after}.get(rv, want.get(rv))
    assert sets_sorted(r.get("Attributes")) == sets_sorted(expected)


@pytest.mark.parametrize("rv,expected", [
    ("NONE", None), ("ALL_OLD", None), ("UPDATED_OLD", None),
    ("ALL_NEW", {"pk": S("new"), "a": N(1)}), ("UPDATED_NEW", {"a": N(1)}),
])
def test_update_return_values_new_item(ddb, make_table, rv, expected):
    t = make_table()
    r = ddb.update_item(TableName=t, Key={"pk": S("new")}, UpdateExpression="SET a = :v",
                        ExpressionAttributeValues={":v": N(1)}, ReturnValues=rv)
    assert r.get("Attributes") == expected


# AWS returns only the updated fragment of a nested path (UPDATED_OLD/UPDATED_NEW);
# DynamoDB Local returns the whole top-level attribute.
@reference_differs
@pytest.mark.parametrize("expr,values,rv,expected", [
    ("SET m.a[1] = :v", {":v": S("z")}, "UPDATED_NEW", {"m": M(a=L(S("z")))}),
    ("SET m.a[1] = :v", {":v": S("z")}, "UPDATED_OLD", {"m": M(a=L(N(2)))}),
    ("SET m.q = :v", {":v": S("z")}, "UPDATED_NEW", {"m": M(q=S("z"))}),
    ("SET m.q = :v", {":v": S("z")}, "UPDATED_OLD", None),
    ("REMOVE m.b", None, "UPDATED_OLD", {"m": M(b=S("x"))}),
    ("REMOVE m.b", None, "UPDATED_NEW", None),
    ("ADD m.c :v", {":v": N(2)}, "UPDATED_NEW", {"m": M(c=N(2))}),
])
def test_update_return_values_nested_fragment(ddb, make_table, expr, values, rv, expected):
    t = make_table()
    ddb.put_item(TableName=t, Item=RV_BASE)
    r = upd(ddb, t, expr, values, ReturnValues=rv)
    assert r.get("Attributes") == expected


@pytest.mark.parametrize("op,kw", [
    ("put_item", {"Item": {"pk": S("u")}}),
    ("delete_item", {"Key": {"pk": S("u")}}),
])
@pytest.mark.parametrize("rv", ["UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"])
def test_return_values_not_allowed(ddb, make_table, op, kw, rv):
    t = make_table()
    expect_error(getattr(ddb, op), "ValidationException", "Return values set to invalid value",
                 TableName=t, ReturnValues=rv, **kw)


# ---------- ReturnValuesOnConditionCheckFailure (raw HTTP: the botocore shipped with
# Debian 12 predates the parameter) ----------

def raw_table(ddb_unused=None):
    """A table made through raw requests (their credentials differ from boto3's, and
    DynamoDB Local keeps tables per access key)."""
    import json
    from ddbconf import unique_name
    name = unique_name("rvc")
    r = raw_request(json.dumps({"TableName": name, "BillingMode": "PAY_PER_REQUEST",
                                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]}),
                    target="DynamoDB_20120810.CreateTable")
    assert r.status == 200, r.body
    return name


def raw(op, body):
    import json
    return raw_request(json.dumps(body), target="DynamoDB_20120810." + op)


@pytest.fixture
def rtable():
    name = raw_table()
    r = raw("PutItem", {"TableName": name, "Item": RV_BASE_JSON})
    assert r.status == 200, r.body
    yield name
    raw("DeleteTable", {"TableName": name})


RV_BASE_JSON = {"pk": {"S": "u"}, "n": {"N": "5"}, "m": {"M": {"a": {"L": [{"N": "1"}]}}}}
FAILING = {"ConditionExpression": "n = :v", "ExpressionAttributeValues": {":v": {"N": "6"}}}


def _msg(body):
    return body.get("message", body.get("Message"))


@pytest.mark.parametrize("op,extra", [
    ("PutItem", {"Item": {"pk": {"S": "u"}}}),
    ("DeleteItem", {"Key": {"pk": {"S": "u"}}}),
    ("UpdateItem", {"Key": {"pk": {"S": "u"}}, "UpdateExpression": "SET x = :v"}),
])
def test_condition_failure_returns_old_item(rtable, op, extra):
    r = raw(op, dict(FAILING, TableName=rtable, ReturnValuesOnConditionCheckFailure="ALL_OLD", **extra))
    assert r.status == 400
    body = r.json()
    assert body["__type"] == "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException"
    assert _msg(body) == "The conditional request failed"
    assert body["Item"] == RV_BASE_JSON
    assert len(body) == 3


@pytest.mark.parametrize("rvc", ["NONE", None])
def test_condition_failure_without_all_old_has_no_item(rtable, rvc):
    body = dict(FAILING, TableName=rtable, Key={"pk": {"S": "u"}}, UpdateExpression="SET x = :v")
    if rvc:
        body["ReturnValuesOnConditionCheckFailure"] = rvc
    r = raw("UpdateItem", body)
    assert r.status == 400 and "Item" not in r.json()


def test_condition_failure_on_missing_item_has_no_item(rtable):
    r = raw("UpdateItem", dict(FAILING, TableName=rtable, Key={"pk": {"S": "nope"}},
                               UpdateExpression="SET x = :v", ReturnValuesOnConditionCheckFailure="ALL_OLD"))
    assert r.status == 400
    body = r.json()
    assert body["__type"].endswith("#ConditionalCheckFailedException") and "Item" not in body


@pytest.mark.parametrize("rvc", ["ALL_NEW", "all_old"])
def test_condition_failure_invalid_value(rtable, rvc):
    r = raw("PutItem", dict(FAILING, TableName=rtable, Item={"pk": {"S": "u"}},
                            ReturnValuesOnConditionCheckFailure=rvc))
    assert r.status == 400
    body = r.json()
    assert body["__type"] == "com.amazon.coral.validate#ValidationException"
    assert _msg(body) == ("1 validation error detected: Value '%s' at 'returnValuesOnConditionCheckFailure' "
                          "failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]" % rvc)


def test_condition_success_with_all_old_answers_normally(rtable):
    r = raw("DeleteItem", {"TableName": rtable, "Key": {"pk": {"S": "u"}},
                           "ReturnValuesOnConditionCheckFailure": "ALL_OLD", "ConditionExpression": "n = :v",
                           "ExpressionAttributeValues": {":v": {"N": "5"}}})
    assert r.status == 200 and r.json() == {}
