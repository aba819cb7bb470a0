"""Query: key conditions, ordering, paging, 1 MB pages, Select COUNT, errors."""
from concurrent.futures import ThreadPoolExecutor

import pytest

from ddbconf import expect_error, key_schema, unique_name

N_MANY = 1100


def _create(ddb, hash_type, range_type):
    name = unique_name("q")
    ks, ad = key_schema("pk", hash_type, "sk" if range_type else None, range_type)
    ddb.create_table(TableName=name, KeySchema=ks, AttributeDefinitions=ad, BillingMode="PAY_PER_REQUEST")
    return name


@pytest.fixture(scope="module")
def module_tables(ddb):
    names = []

    def make(hash_type="S", range_type=None):
        n = _create(ddb, hash_type, range_type)
        names.append(n)
        return n

    yield make
    for n in names:
        try:
            ddb.delete_table(TableName=n)
        except Exception:
            pass


def _put_all(ddb, table, items, workers=16):
    with ThreadPoolExecutor(workers) as ex:
        list(ex.map(lambda it: ddb.put_item(TableName=table, Item=it), items))


# sort keys 0..9 in every partition, plus a few other partitions
@pytest.fixture(scope="module")
def n_table(ddb, module_tables):
    t = module_tables("S", "N")
    items = [{"pk": {"S": p}, "sk": {"N": str(i)}, "v": {"S": "%s%d" % (p, i)}}
             for p in ("a", "b") for i in range(10)]
    items.append({"pk": {"S": "c"}, "sk": {"N": "-1.5"}})
    _put_all(ddb, t, items)
    return t


@pytest.fixture(scope="module")
def s_table(ddb, module_tables):
    t = module_tables("S", "S")
    sks = ["apple", "apricot", "banana", "blueberry", "cherry", "b", "ba", "Zeta", "\u00e9clair"]
    _put_all(ddb, t, [{"pk": {"S": "p"}, "sk": {"S": s}} for s in sks])
    return t


@pytest.fixture(scope="module")
def b_table(ddb, module_tables):
    t = module_tables("S", "B")
    sks = [b"\x00", b"\x01", b"\x01\x02", b"\x01\xff", b"\x02", b"\x7f", b"\x80", b"\xff"]
    _put_all(ddb, t, [{"pk": {"S": "p"}, "sk": {"B": s}} for s in sks])
    return t


@pytest.fixture(scope="module")
def many_table(ddb, module_tables):
    t = module_tables("S", "N")
    _put_all(ddb, t, [{"pk": {"S": "m"}, "sk": {"N": str(i)}} for i in range(N_MANY)] +
             [{"pk": {"S": "other"}, "sk": {"N": str(i)}} for i in range(5)])
    return t


def q(ddb, table, kce, values, **kw):
    return ddb.query(TableName=table, KeyConditionExpression=kce, ExpressionAttributeValues=values, **kw)


def sks(resp, typ="N"):
    return [it["sk"][typ] for it in resp["Items"]]


# ---------- N range key ----------

def test_query_hash_only(ddb, n_table):
    r = q(ddb, n_table, "pk = :p", {":p": {"S": "a"}})
    assert sks(r) == [str(i) for i in range(10)]
    assert r["Count"] == 10 and r["ScannedCount"] == 10
    assert "LastEvaluatedKey" not in r


def test_query_returns_full_items(ddb, n_table):
    r = q(ddb, n_table, "pk = :p AND sk = :s", {":p": {"S": "b"}, ":s": {"N": "3"}})
    assert r["Items"] == [{"pk": {"S": "b"}, "sk": {"N": "3"}, "v": {"S": "b3"}}]


def test_query_no_match(ddb, n_table):
    r = q(ddb, n_table, "pk = :p", {":p": {"S": "nobody"}})
    assert r["Items"] == [] and r["Count"] == 0


@pytest.mark.parametrize("op,bound,expected", [
    ("=", "4", ["4"]),
    ("<", "3", ["0", "1", "2"]),
    ("<=", "3", ["0", "1", "2", "3"]),
    (">", "7", ["8", "9"]),
    (">=", "7", ["7", "8", "9"]),
    ("<", "-5", []),
    (">", "2.5", ["3", "4", "5", "6", "7", "8", "9"]),
])
def test_query_number_range_operators(ddb, n_table, op, bound, expected):
    r = q(ddb, n_table, "pk = :p AND sk %s :s" % op, {":p": {"S": "a"}, ":s": {"N": bound}})
    assert sks(r) == expected


def test_query_number_between(ddb, n_table):
    r = q(ddb, n_table, "pk = :p AND sk BETWEEN :lo AND :hi", {":p": {"S": "a"}, ":lo": {"N": "2"}, ":hi": {"N": "5"}})
    assert sks(r) == ["2", "3", "4", "5"]


def test_query_number_order_is_numeric(ddb, module_tables):
    t = module_tables("S", "N")
    vals = ["10", "9", "-1", "100", "1.5", "-20", "0"]
    for v in vals:
        ddb.put_item(TableName=t, Item={"pk": {"S": "x"}, "sk": {"N": v}})
    r = q(ddb, t, "pk = :p", {":p": {"S": "x"}})
    assert sks(r) == ["-20", "-1", "0", "1.5", "9", "10", "100"]


def test_query_descending(ddb, n_table):
    r = q(ddb, n_table, "pk = :p", {":p": {"S": "a"}}, ScanIndexForward=False)
    assert sks(r) == [str(i) for i in range(9, -1, -1)]


def test_query_descending_with_condition(ddb, n_table):
    r = q(ddb, n_table, "pk = :p AND sk >= :s", {":p": {"S": "a"}, ":s": {"N": "6"}}, ScanIndexForward=False)
    assert sks(r) == ["9", "8", "7", "6"]


def test_query_key_names_via_placeholders(ddb, n_table):
    r = ddb.query(TableName=n_table, KeyConditionExpression="#h = :p AND #r < :s",
                  ExpressionAttributeNames={"#h": "pk", "#r": "sk"},
                  ExpressionAttributeValues={":p": {"S": "a"}, ":s": {"N": "2"}})
    assert sks(r) == ["0", "1"]


def test_query_condition_operand_order_reversed(ddb, n_table):
    r = q(ddb, n_table, ":p = pk AND :s > sk", {":p": {"S": "a"}, ":s": {"N": "2"}})
    assert sks(r) == ["0", "1"]


def test_query_select_count(ddb, n_table):
    r = q(ddb, n_table, "pk = :p AND sk > :s", {":p": {"S": "a"}, ":s": {"N": "4"}}, Select="COUNT")
    assert r["Count"] == 5 and r["ScannedCount"] == 5
    assert "Items" not in r


def test_query_limit_sets_last_evaluated_key(ddb, n_table):
    r = q(ddb, n_table, "pk = :p", {":p": {"S": "a"}}, Limit=3)
    assert sks(r) == ["0", "1", "2"]
    assert r["LastEvaluatedKey"] == {"pk": {"S": "a"}, "sk": {"N": "2"}}


def test_query_exclusive_start_key(ddb, n_table):
    r = q(ddb, n_table, "pk = :p", {":p": {"S": "a"}}, ExclusiveStartKey={"pk": {"S": "a"}, "sk": {"N": "6"}})
    assert sks(r) == ["7", "8", "9"]


# ---------- S range key ----------

@pytest.mark.parametrize("kce,values,expected", [
    ("sk = :a", {":a": "banana"}, ["banana"]),
    ("sk < :a", {":a": "b"}, ["Zeta", "apple", "apricot"]),
    ("sk <= :a", {":a": "b"}, ["Zeta", "apple", "apricot", "b"]),
    ("sk > :a", {":a": "blueberry"}, ["cherry", "\u00e9clair"]),
    ("sk >= :a", {":a": "cherry"}, ["cherry", "\u00e9clair"]),
    ("sk BETWEEN :a AND :b", {":a": "apricot", ":b": "banana"}, ["apricot", "b", "ba", "banana"]),
    ("begins_with(sk, :a)", {":a": "ap"}, ["apple", "apricot"]),
    ("begins_with(sk, :a)", {":a": "b"}, ["b", "ba", "banana", "blueberry"]),
    ("begins_with(sk, :a)", {":a": "ba"}, ["ba", "banana"]),
    ("begins_with(sk, :a)", {":a": "zz"}, []),
])
def test_query_string_range_conditions(ddb, s_table, kce, values, expected):
    vals = {k: {"S": v} for k, v in values.items()}
    vals[":p"] = {"S": "p"}
    r = q(ddb, s_table, "pk = :p AND " + kce, vals)
    assert sks(r, "S") == expected


def test_query_string_order_is_bytewise(ddb, s_table):
    r = q(ddb, s_table, "pk = :p", {":p": {"S": "p"}})
    assert sks(r, "S") == ["Zeta", "apple", "apricot", "b", "ba", "banana", "blueberry", "cherry", "\u00e9clair"]


# ---------- B range key ----------

@pytest.mark.parametrize("kce,values,expected", [
    ("sk = :a", {":a": b"\x01\x02"}, [b"\x01\x02"]),
    ("sk < :a", {":a": b"\x01\x02"}, [b"\x00", b"\x01"]),
    ("sk <= :a", {":a": b"\x01\x02"}, [b"\x00", b"\x01", b"\x01\x02"]),
    ("sk > :a", {":a": b"\x7f"}, [b"\x80", b"\xff"]),
    ("sk >= :a", {":a": b"\x7f"}, [b"\x7f", b"\x80", b"\xff"]),
    ("sk BETWEEN :a AND :b", {":a": b"\x01", ":b": b"\x02"}, [b"\x01", b"\x01\x02", b"\x01\xff", b"\x02"]),
    ("begins_with(sk, :a)", {":a": b"\x01"}, [b"\x01", b"\x01\x02", b"\x01\xff"]),
])
def test_query_binary_range_conditions(ddb, b_table, kce, values, expected):
    vals = {k: {"B": v} for k, v in values.items()}
    vals[":p"] = {"S": "p"}
    r = q(ddb, b_table, "pk = :p AND " + kce, vals)
    assert sks(r, "B") == expected


def test_query_binary_order_unsigned(ddb, b_table):
    r = q(ddb, b_table, "pk = :p", {":p": {"S": "p"}}, ScanIndexForward=False)
    assert sks(r, "B") == [b"\xff", b"\x80", b"\x7f", b"\x02", b"\x01\xff", b"\x01\x02", b"\x01", b"\x00"]


# ---------- paging over many items ----------

def _page_all(ddb, table, limit, forward):
    got, pages, start = [], 0, None
    for _ in range(N_MANY + 10):
        kw = {"Limit": limit, "ScanIndexForward": forward}
        if start:
            kw["ExclusiveStartKey"] = start
        r = q(ddb, table, "pk = :p", {":p": {"S": "m"}}, **kw)
        pages += 1
        assert len(r["Items"]) <= limit
        got.extend(int(x) for x in sks(r))
        start = r.get("LastEvaluatedKey")
        if not start:
            return got, pages
        assert start == {"pk": {"S": "m"}, "sk": r["Items"][-1]["sk"]}
    raise AssertionError("paging did not end")


def test_query_paging_forward(ddb, many_table):
    got, pages = _page_all(ddb, many_table, 37, True)
    assert got == list(range(N_MANY))
    assert pages >= N_MANY // 37


def test_query_paging_backward(ddb, many_table):
    got, pages = _page_all(ddb, many_table, 50, False)
    assert got == list(range(N_MANY - 1, -1, -1))
    assert pages >= N_MANY // 50


def test_query_unlimited_returns_all(ddb, many_table):
    r = q(ddb, many_table, "pk = :p", {":p": {"S": "m"}})
    assert r["Count"] == N_MANY
    assert "LastEvaluatedKey" not in r


def test_query_count_over_many(ddb, many_table):
    r = q(ddb, many_table, "pk = :p AND sk >= :s", {":p": {"S": "m"}, ":s": {"N": "100"}}, Select="COUNT")
    assert r["Count"] == N_MANY - 100


# ---------- 1 MB pages ----------

def test_query_one_megabyte_pages(ddb, module_tables):
    t = module_tables("S", "N")
    blob = "x" * (100 * 1024)
    n = 30  # ~3 MB in one partition
    _put_all(ddb, t, [{"pk": {"S": "big"}, "sk": {"N": str(i)}, "data": {"S": blob}} for i in range(n)], workers=8)
    seen, pages, start = [], 0, None
    for _ in range(n + 1):
        kw = {"ExclusiveStartKey": start} if start else {}
        r = q(ddb, t, "pk = :p", {":p": {"S": "big"}}, **kw)
        pages += 1
        assert r["Count"] <= 11, r["Count"]  # at most ~1 MB of 100 KB items
        seen.extend(int(x) for x in sks(r))
        start = r.get("LastEvaluatedKey")
        if pages == 1:
            assert start is not None, "first page of 3 MB must stop at 1 MB"
        if not start:
            break
    assert seen == list(range(n))
    assert pages >= 3


def test_query_count_one_megabyte_limit(ddb, module_tables):
    t = module_tables("S", "N")
    blob = "y" * (100 * 1024)
    _put_all(ddb, t, [{"pk": {"S": "big"}, "sk": {"N": str(i)}, "data": {"S": blob}} for i in range(15)], workers=8)
    r = q(ddb, t, "pk = :p", {":p": {"S": "big"}}, Select="COUNT")
    assert r["Count"] < 15
    assert "LastEvaluatedKey" in r


# ---------- errors ----------

# AWS names the key missed (the hash key, or the sort key when the hash key is there);
# DynamoDB Local names none (protocol/MESSAGES-expr.md)
MISSED = "Query condition missed key schema element: %s"
MISSED_LOCAL = "Query condition missed key schema element"


def test_query_condition_on_non_key_attribute(ddb, n_table):
    expect_error(ddb.query, "ValidationException", MISSED % "sk", MISSED_LOCAL,
                 TableName=n_table, KeyConditionExpression="pk = :p AND v = :v",
                 ExpressionAttributeValues={":p": {"S": "a"}, ":v": {"S": "x"}})


def test_query_missing_hash_condition(ddb, n_table):
    expect_error(ddb.query, "ValidationException", MISSED % "pk", MISSED_LOCAL,
                 TableName=n_table, KeyConditionExpression="sk = :s",
                 ExpressionAttributeValues={":s": {"N": "1"}})


def test_query_only_non_key_condition(ddb, n_table):
    expect_error(ddb.query, "ValidationException", MISSED % "pk", MISSED_LOCAL,
                 TableName=n_table, KeyConditionExpression="v = :v",
                 ExpressionAttributeValues={":v": {"S": "x"}})


@pytest.mark.parametrize("kce,values", [
    ("pk < :p", {":p": {"S": "a"}}),
    ("pk >= :p", {":p": {"S": "a"}}),
    ("begins_with(pk, :p)", {":p": {"S": "a"}}),
    ("pk BETWEEN :p AND :q", {":p": {"S": "a"}, ":q": {"S": "b"}}),
])
def test_query_non_equality_on_hash_key(ddb, n_table, kce, values):
    expect_error(ddb.query, "ValidationException", "Query key condition not supported",
                 TableName=n_table, KeyConditionExpression=kce, ExpressionAttributeValues=values)


def test_query_or_in_key_condition(ddb, n_table):
    expect_error(ddb.query, "ValidationException", "Invalid operator used in KeyConditionExpression: OR",
                 TableName=n_table, KeyConditionExpression="pk = :p OR sk = :s",
                 ExpressionAttributeValues={":p": {"S": "a"}, ":s": {"N": "1"}})


def test_query_not_equal_in_key_condition(ddb, n_table):
    expect_error(ddb.query, "ValidationException", "Invalid operator used in KeyConditionExpression: <>",
                 TableName=n_table, KeyConditionExpression="pk = :p AND sk <> :s",
                 ExpressionAttributeValues={":p": {"S": "a"}, ":s": {"N": "1"}})


def test_query_begins_with_on_number_key(ddb, n_table):
    expect_error(ddb.query, "ValidationException",
                 "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or "
                 "function: begins_with, operand type: N",
                 TableName=n_table, KeyConditionExpression="pk = :p AND begins_with(sk, :s)",
                 ExpressionAttributeValues={":p": {"S": "a"}, ":s": {"N": "1"}})


def test_query_key_value_type_mismatch(ddb, n_table):
    expect_error(ddb.query, "ValidationException",
                 "One or more parameter values were invalid: Condition parameter type does not match schema type",
                 TableName=n_table, KeyConditionExpression="pk = :p AND sk = :s",
                 ExpressionAttributeValues={":p": {"S": "a"}, ":s": {"S": "x"}})


def test_query_between_bounds_reversed(ddb, n_table):
    expect_error(ddb.query, "ValidationException",
                 "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or "
                 "equal to lower bound; lower bound operand: AttributeValue: {N:3}, upper bound operand: "
                 "AttributeValue: {N:1}",
                 TableName=n_table, KeyConditionExpression="pk = :p AND sk BETWEEN :a AND :b",
                 ExpressionAttributeValues={":p": {"S": "a"}, ":a": {"N": "3"}, ":b": {"N": "1"}})


def test_query_without_key_condition(ddb, n_table):
    expect_error(ddb.query, "ValidationException",
                 "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.",
                 TableName=n_table)


def test_query_missing_table(ddb):
    expect_error(ddb.query, "ResourceNotFoundException", "Requested resource not found",
                 "Cannot do operations on a non-existent table",
                 TableName=unique_name("missing"), KeyConditionExpression="pk = :p",
                 ExpressionAttributeValues={":p": {"S": "a"}})


def test_query_exclusive_start_key_other_partition(ddb, n_table):
    expect_error(ddb.query, "ValidationException", "The provided starting key does not match the range key predicate",
                 TableName=n_table, KeyConditionExpression="pk = :p",
                 ExpressionAttributeValues={":p": {"S": "a"}},
                 ExclusiveStartKey={"pk": {"S": "b"}, "sk": {"N": "1"}})
