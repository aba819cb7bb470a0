"""ProjectionExpression with nested paths and list indexes on GetItem, Query and Scan."""
import pytest

from ddbconf import expect_error, key_schema, unique_name

N = lambda x: {"N": str(x)}  # noqa: E731
S = lambda x: {"S": x}  # noqa: E731
L = lambda *xs: {"L": list(xs)}  # noqa: E731
M = lambda **kw: {"M": kw}  # noqa: E731

ITEM = {
    "pk": S("p"), "sk": N(1),
    "a": S("top"),
    "l": L(N(0), M(x=N(1), y=N(2)), L(S("i0"), S("i1"), S("i2")), N(3)),
    "m": M(b=M(c=L(N(10), N(11), M(d=S("deep"), e=S("other")))), f=S("f")),
    "ss": {"SS": ["s1"]},
}


@pytest.fixture(scope="module")
def ptable(ddb):
    name = unique_name("proj")
    ks, ad = key_schema(range_name="sk", range_type="N")
    ddb.create_table(TableName=name, KeySchema=ks, AttributeDefinitions=ad, BillingMode="PAY_PER_REQUEST")
    ddb.put_item(TableName=name, Item=ITEM)
    ddb.put_item(TableName=name, Item={"pk": S("p"), "sk": N(2), "l": L(N(5))})
    yield name
    ddb.delete_table(TableName=name)


CASES = [
    ("a", {"a": S("top")}),
    ("a, pk", {"a": S("top"), "pk": S("p")}),
    ("l[0]", {"l": L(N(0))}),
    ("l[1].y", {"l": L(M(y=N(2)))}),
    ("l[2][1]", {"l": L(L(S("i1")))}),
    ("l[3], l[0]", {"l": L(N(0), N(3))}),
    ("l[1].x, l[2][2], l[2][0]", {"l": L(M(x=N(1)), L(S("i0"), S("i2")))}),
    ("l[9]", {}),
    ("l[0].x", {}),
    ("m.b.c[2].d", {"m": M(b=M(c=L(M(d=S("deep")))))}),
    ("m.b.c[2].d, m.f", {"m": M(b=M(c=L(M(d=S("deep")))), f=S("f"))}),
    ("m.b.c[0], m.b.c[2].e", {"m": M(b=M(c=L(N(10), M(e=S("other")))))}),
    ("m.nope, a", {"a": S("top")}),
    ("a.b", {}),
    ("ss", {"ss": {"SS": ["s1"]}}),
    ("#m.#b.c[1]", {"m": M(b=M(c=L(N(11))))}),
]

NAMES = {"#m": "m", "#b": "b"}


def _kw(expr):
    kw = {"ProjectionExpression": expr}
    if "#" in expr:
        kw["ExpressionAttributeNames"] = NAMES
    return kw


@pytest.mark.parametrize("expr,expected", CASES, ids=[c[0] for c in CASES])
def test_get_item_projection(ddb, ptable, expr, expected):
    r = ddb.get_item(TableName=ptable, Key={"pk": S("p"), "sk": N(1)}, **_kw(expr))
    assert r["Item"] == expected


@pytest.mark.parametrize("expr,expected", CASES, ids=[c[0] for c in CASES])
def test_query_projection(ddb, ptable, expr, expected):
    kw = _kw(expr)
    r = ddb.query(TableName=ptable, KeyConditionExpression="pk = :p AND sk = :s",
                  ExpressionAttributeValues={":p": S("p"), ":s": N(1)}, **kw)
    assert r["Items"] == [expected]


@pytest.mark.parametrize("expr,expected", CASES, ids=[c[0] for c in CASES])
def test_scan_projection(ddb, ptable, expr, expected):
    kw = _kw(expr)
    r = ddb.scan(TableName=ptable, FilterExpression="sk = :s", ExpressionAttributeValues={":s": N(1)}, **kw)
    assert r["Items"] == [expected]


def test_scan_projection_all_items(ddb, ptable):
    r = ddb.scan(TableName=ptable, ProjectionExpression="l[0], sk")
    got = sorted(r["Items"], key=lambda i: int(i["sk"]["N"]))
    assert got == [{"sk": N(1), "l": L(N(0))}, {"sk": N(2), "l": L(N(5))}]


def test_query_projection_with_filter_on_unprojected(ddb, ptable):
    r = ddb.query(TableName=ptable, KeyConditionExpression="pk = :p", FilterExpression="m.f = :f",
                  ProjectionExpression="a", ExpressionAttributeValues={":p": S("p"), ":f": S("f")})
    assert r["Items"] == [{"a": S("top")}]


@pytest.mark.parametrize("expr,message", [
    ("l[0], l[0]", "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [l, [0]], path two: [l, [0]]"),
    ("m.b, m.b.c", "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [m, b], path two: [m, b, c]"),
    ("l[0] , ", 'Invalid ProjectionExpression: Syntax error; token: "<EOF>", near: ", "'),
    ("a[", 'Invalid ProjectionExpression: Syntax error; token: "<EOF>", near: "["'),
    ("m.b.c[2].d" + ".z" * 30, "Invalid ProjectionExpression: The document path has too many nesting levels; nesting levels: 35"),
    ("size(a)", 'Invalid ProjectionExpression: Syntax error; token: "(", near: "size(a"'),
])
def test_projection_errors(ddb, ptable, expr, message):
    expect_error(ddb.get_item, "ValidationException", message, TableName=ptable,
                 Key={"pk": S("p"), "sk": N(1)}, ProjectionExpression=expr)
