"""Query and Scan, the rest: FilterExpression vs Limit (Count/ScannedCount), Select and its
conflicts, ConsistentRead, the 1 MB page, ExclusiveStartKey checks, parallel Scan segments.
DynamoDB Local's texts and figures: protocol/MESSAGES-query-capacity.md."""
from concurrent.futures import ThreadPoolExecutor

import pytest

from ddbconf import REFERENCE, expect_error, reference_differs

V = "ValidationException"


def _put_all(ddb, table, items, workers=8):
    with ThreadPoolExecutor(workers) as ex:
        list(ex.map(lambda it: ddb.put_item(TableName=table, Item=it), items))


@pytest.fixture(scope="module")
def tables(ddb):
    from ddbconf import key_schema, unique_name
    made = []

    def make(hash_type="S", range_type=None):
        name = unique_name("qs")
        ks, ad = key_schema("pk", hash_type, "sk" if range_type else None, range_type)
        ddb.create_table(TableName=name, KeySchema=ks, AttributeDefinitions=ad, BillingMode="PAY_PER_REQUEST")
        made.append(name)
        return name

    yield make
    for n in made:
        try:
            ddb.delete_table(TableName=n)
        except Exception:
            pass


# partitions a, b with sort keys 0..9; v = sk % 3
@pytest.fixture(scope="module")
def t(ddb, tables):
    name = tables("S", "N")
    _put_all(ddb, name, [{"pk": {"S": p}, "sk": {"N": str(i)}, "v": {"N": str(i % 3)}}
                         for p in ("a", "b") for i in range(10)])
    return name


# hash-only, 40 items
@pytest.fixture(scope="module")
def h(ddb, tables):
    name = tables("S")
    _put_all(ddb, name, [{"pk": {"S": "k%d" % i}, "n": {"N": str(i)}} for i in range(40)])
    return name


def qa(ddb, table, **kw):
    ev = dict({":p": {"S": "a"}}, **kw.pop("values", {}))
    return ddb.query(TableName=table, KeyConditionExpression=kw.pop("kce", "pk = :p"),
                     ExpressionAttributeValues=ev, **kw)


def qa_params(table, **kw):
    ev = dict({":p": {"S": "a"}}, **kw.pop("values", {}))
    return dict(TableName=table, KeyConditionExpression=kw.pop("kce", "pk = :p"),
                ExpressionAttributeValues=ev, **kw)


# ---------- filter after the key condition; Limit before the filter ----------

def test_query_filter_limit_counts(ddb, t):
    r = qa(ddb, t, FilterExpression="v = :z", values={":z": {"N": "0"}}, Limit=5)
    assert (r["Count"], r["ScannedCount"]) == (2, 5)
    assert [i["sk"]["N"] for i in r["Items"]] == ["0", "3"]
    assert r["LastEvaluatedKey"] == {"pk": {"S": "a"}, "sk": {"N": "4"}}


def test_query_filter_count_select(ddb, t):
    r = qa(ddb, t, FilterExpression="v = :z", values={":z": {"N": "0"}}, Select="COUNT", Limit=5)
    assert "Items" not in r
    assert (r["Count"], r["ScannedCount"]) == (2, 5)
    r = qa(ddb, t, FilterExpression="v = :z", values={":z": {"N": "0"}}, Select="COUNT")
    assert (r["Count"], r["ScannedCount"]) == (4, 10)
    assert "LastEvaluatedKey" not in r


def test_scan_filter_limit_counts(ddb, t):
    r = ddb.scan(TableName=t, FilterExpression="v = :z", ExpressionAttributeValues={":z": {"N": "0"}}, Limit=5)
    assert r["ScannedCount"] == 5
    assert r["Count"] == sum(1 for i in r["Items"] if i["v"]["N"] == "0") == len(r["Items"])
    assert "LastEvaluatedKey" in r


def test_scan_filter_pages_cover_all(ddb, t):
    seen, start = [], None
    for _ in range(30):
        kw = {"ExclusiveStartKey": start} if start else {}
        r = ddb.scan(TableName=t, FilterExpression="v = :z", ExpressionAttributeValues={":z": {"N": "0"}},
                     Limit=3, **kw)
        assert r["ScannedCount"] <= 3
        seen += [(i["pk"]["S"], i["sk"]["N"]) for i in r["Items"]]
        start = r.get("LastEvaluatedKey")
        if not start:
            break
    assert sorted(seen) == sorted((p, str(i)) for p in "ab" for i in range(10) if i % 3 == 0)


# ---------- Limit and LastEvaluatedKey ----------

def test_limit_equal_to_remaining_still_has_last_key(ddb, t):
    r = qa(ddb, t, Limit=10)
    assert r["Count"] == 10
    assert r["LastEvaluatedKey"] == {"pk": {"S": "a"}, "sk": {"N": "9"}}
    r = qa(ddb, t, Limit=11)
    assert r["Count"] == 10 and "LastEvaluatedKey" not in r
    r = ddb.scan(TableName=t, Limit=20)
    assert r["Count"] == 20 and "LastEvaluatedKey" in r
    r = ddb.scan(TableName=t, Limit=21)
    assert r["Count"] == 20 and "LastEvaluatedKey" not in r


@pytest.mark.parametrize("op", ["query", "scan"])
@pytest.mark.parametrize("limit", [0, -1])
def test_limit_below_one(ddb, t, op, limit):
    fn = ddb.query if op == "query" else ddb.scan
    params = qa_params(t, Limit=limit) if op == "query" else dict(TableName=t, Limit=limit)
    expect_error(fn, V, "1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: "
                 "Member must have value greater than or equal to 1" % limit,
                 "Limit must be greater than or equal to 1", **params)


# ---------- Select ----------

def _both(t, **kw):
    return [("query", qa_params(t, **kw)), ("scan", dict(TableName=t, **kw))]


def _call(ddb, op):
    return ddb.query if op == "query" else ddb.scan


@pytest.mark.parametrize("op", ["query", "scan"])
def test_select_bad_value(ddb, t, op):
    params = dict(_both(t, Select="count"))[op]
    expect_error(_call(ddb, op), V,
                 "1 validation error detected: Value 'count' at 'select' failed to satisfy constraint: Member "
                 "must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]",
                 "Select must be ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES, COUNT, or SPECIFIC_ATTRIBUTES", **params)


@pytest.mark.parametrize("op", ["query", "scan"])
@pytest.mark.parametrize("select,extra,message", [
    ("SPECIFIC_ATTRIBUTES", {}, "Must specify the AttributesToGet or ProjectionExpression when choosing to get "
     "SPECIFIC_ATTRIBUTES"),
    ("ALL_ATTRIBUTES", {"ProjectionExpression": "v"},
     "Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES"),
    ("COUNT", {"ProjectionExpression": "v"}, "Cannot specify the ProjectionExpression when choosing to get only the Count"),
    ("ALL_PROJECTED_ATTRIBUTES", {"ProjectionExpression": "v"},
     "Cannot specify the ProjectionExpression when choosing to get ALL_PROJECTED_ATTRIBUTES"),
    ("ALL_PROJECTED_ATTRIBUTES", {}, "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName"),
])
def test_select_conflicts(ddb, t, op, select, extra, message):
    params = dict(_both(t, Select=select, **extra))[op]
    expect_error(_call(ddb, op), V, message, **params)


@pytest.mark.parametrize("select,message", [
    ("ALL_ATTRIBUTES", "Cannot specify the AttributesToGet when choosing to get ALL_ATTRIBUTES"),
    ("COUNT", "Cannot specify the AttributesToGet when choosing to get only the Count"),
])
def test_scan_select_with_attributes_to_get(ddb, t, select, message):
    expect_error(ddb.scan, V, message, TableName=t, Select=select, AttributesToGet=["v"])


@pytest.mark.parametrize("op", ["query", "scan"])
def test_select_specific_with_projection(ddb, t, op):
    params = dict(_both(t, Select="SPECIFIC_ATTRIBUTES", ProjectionExpression="v", Limit=2))[op]
    r = _call(ddb, op)(**params)
    assert r["Count"] == 2
    assert all(set(i) == {"v"} for i in r["Items"])


@pytest.mark.parametrize("op", ["query", "scan"])
def test_select_all_attributes(ddb, t, op):
    params = dict(_both(t, Select="ALL_ATTRIBUTES", Limit=1))[op]
    r = _call(ddb, op)(**params)
    assert set(r["Items"][0]) == {"pk", "sk", "v"}


@pytest.mark.parametrize("op", ["query", "scan"])
def test_select_count_has_no_items(ddb, t, op):
    params = dict(_both(t, Select="COUNT", Limit=3))[op]
    r = _call(ddb, op)(**params)
    assert "Items" not in r
    assert (r["Count"], r["ScannedCount"]) == (3, 3)
    assert "LastEvaluatedKey" in r


@pytest.mark.parametrize("op", ["query", "scan"])
@pytest.mark.parametrize("consistent", [True, False])
def test_consistent_read(ddb, t, op, consistent):
    params = dict(_both(t, ConsistentRead=consistent))[op]
    r = _call(ddb, op)(**params)
    assert r["Count"] == (10 if op == "query" else 20)


# ---------- the 1 MB page ----------

def _sized_items(pk, sizes):
    # item size = len("pk") + len(pk) + len("sk") + 1 + len("d") + L (pk of 5 characters)
    return [{"pk": {"S": pk}, "sk": {"S": chr(97 + i)}, "d": {"S": "x" * (s - 11)}} for i, s in enumerate(sizes)]


MB = 1048576


@pytest.mark.parametrize("sizes,count,last", [
    ([400000, 400000, MB - 800000, 10], 3, "c"),       # reaches exactly 1 MB: that item ends the page
    ([400000, 400000, MB - 800000 - 1, 10], 4, None),  # one byte short: the page goes on
    ([400000, 400000, MB - 800000 + 1, 10], 3, "c"),   # crosses 1 MB: that item is still in the page
    ([400000, 400000, MB - 800000], 3, None),          # exactly 1 MB and nothing after: no LastEvaluatedKey
    ([400000, 400000, 200000, 100000, 10], 4, "d"),
])
def test_query_page_ends_at_the_item_reaching_1mb(ddb, tables, sizes, count, last):
    name = tables("S", "S")
    _put_all(ddb, name, _sized_items("p0001", sizes), workers=4)
    r = ddb.query(TableName=name, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p0001"}},
                  Select="COUNT")
    assert (r["Count"], r["ScannedCount"]) == (count, count)
    assert r.get("LastEvaluatedKey", {}).get("sk") == ({"S": last} if last else None)
    r = ddb.scan(TableName=name, Select="COUNT")
    assert r["ScannedCount"] == count
    assert r.get("LastEvaluatedKey", {}).get("sk") == ({"S": last} if last else None)


@reference_differs  # DynamoDB Local counts only the items that pass the filter towards 1 MB
def test_query_1mb_counts_items_read_before_the_filter(ddb, tables):
    name = tables("S", "S")
    _put_all(ddb, name, _sized_items("p0001", [400000, 400000, MB - 800000, 10]), workers=4)
    r = ddb.query(TableName=name, KeyConditionExpression="pk = :p", FilterExpression="d = :z",
                  ExpressionAttributeValues={":p": {"S": "p0001"}, ":z": {"S": "none"}})
    assert (r["Count"], r["ScannedCount"]) == (0, 3)
    assert r["LastEvaluatedKey"]["sk"] == {"S": "c"}


# ---------- ExclusiveStartKey ----------

@pytest.mark.parametrize("op", ["query", "scan"])
@pytest.mark.parametrize("esk,local", [
    ({"pk": {"S": "a"}}, "Exclusive Start Key must have same size as table's key schema"),
    ({"sk": {"N": "1"}}, "Exclusive Start Key must have same size as table's key schema"),
    ({"pk": {"S": "a"}, "sk": {"N": "1"}, "x": {"S": "y"}}, "Exclusive Start Key must have same size as table's key schema"),
    ({"pk": {"N": "1"}, "sk": {"N": "1"}}, "Type mismatch for attribute to update"),
    ({"pk": {"S": "a"}, "sk": {"S": "1"}}, "Type mismatch for attribute to update"),
])
def test_exclusive_start_key_wrong_shape(ddb, t, op, esk, local):
    params = dict(_both(t, ExclusiveStartKey=esk))[op]
    expect_error(_call(ddb, op), V, "The provided starting key is invalid: The provided key element does not match "
                 "the schema", local, **params)


@pytest.mark.parametrize("pk", ["b", "zz"])
def test_query_exclusive_start_key_other_partition(ddb, t, pk):
    expect_error(ddb.query, V, "The provided starting key does not match the range key predicate",
                 **qa_params(t, ExclusiveStartKey={"pk": {"S": pk}, "sk": {"N": "1"}}))


# (condition, forward) -> sort keys accepted as ExclusiveStartKey (others are rejected), count after it
ESK_CASES = [
    ("sk BETWEEN :lo AND :hi", True, {"3": 3, "3.5": 3, "4": 2}, ["2", "2.5", "6", "6.5", "7"]),
    ("sk BETWEEN :lo AND :hi", False, {"3.5": 1, "4": 1, "6": 3}, ["2", "3", "6.5", "7"]),
    ("sk >= :lo", True, {"3": 6, "4": 5, "7": 2}, ["2", "2.5"]),
    ("sk >= :lo", False, {"3.5": 1, "6.5": 4, "7": 4}, ["2", "3"]),
    ("sk > :lo", True, {"3.5": 6, "7": 2}, ["2", "3"]),
    ("sk > :lo", False, {"4": 0, "7": 3}, ["3", "2.5"]),
    ("sk <= :lo", True, {"2": 1, "2.5": 1}, ["3", "3.5", "7"]),
    ("sk <= :lo", False, {"2": 2, "3": 3}, ["3.5", "7"]),
    ("sk < :lo", True, {"2": 0}, ["3", "4"]),
    ("sk < :lo", False, {"2.5": 3}, ["3", "4"]),
    ("sk = :lo", True, {"3": 0}, ["2", "3.5"]),
    ("sk = :lo", False, {"3": 0}, ["2", "3.5"]),
]


@pytest.mark.parametrize("cond,forward,ok,bad", ESK_CASES)
def test_query_exclusive_start_key_against_the_sort_condition(ddb, t, cond, forward, ok, bad):
    values = {":lo": {"N": "3"}}
    if ":hi" in cond:
        values[":hi"] = {"N": "6"}
    for sk, count in ok.items():
        r = qa(ddb, t, kce="pk = :p AND " + cond, values=values, ScanIndexForward=forward,
               ExclusiveStartKey={"pk": {"S": "a"}, "sk": {"N": sk}})
        assert r["Count"] == count, (sk, r["Count"])
    for sk in bad:
        expect_error(ddb.query, V, "The provided starting key does not match the range key predicate",
                     **qa_params(t, kce="pk = :p AND " + cond, values=values, ScanIndexForward=forward,
                                 ExclusiveStartKey={"pk": {"S": "a"}, "sk": {"N": sk}}))


def test_scan_exclusive_start_key_must_lie_within_the_segment(ddb, h):
    owner = {}
    for seg in range(4):
        for it in ddb.scan(TableName=h, Segment=seg, TotalSegments=4)["Items"]:
            owner[it["pk"]["S"]] = seg
    assert len(owner) == 40
    for pk, seg in list(owner.items())[:6]:
        r = ddb.scan(TableName=h, Segment=seg, TotalSegments=4, ExclusiveStartKey={"pk": {"S": pk}})
        assert all(owner[i["pk"]["S"]] == seg for i in r["Items"])
        other = (seg + 1) % 4
        expect_error(ddb.scan, V, "Exclusive start key must lie within the segment",
                     TableName=h, Segment=other, TotalSegments=4, ExclusiveStartKey={"pk": {"S": pk}})
        r = ddb.scan(TableName=h, Segment=0, TotalSegments=1, ExclusiveStartKey={"pk": {"S": pk}})
        assert r["Count"] < 40


def test_scan_exclusive_start_key_of_a_missing_item(ddb, t):
    r = ddb.scan(TableName=t, ExclusiveStartKey={"pk": {"S": "zz"}, "sk": {"N": "1"}})
    assert r["Count"] <= 20


# ---------- parallel Scan ----------

@pytest.mark.parametrize("total", [1, 2, 3, 7, 13, 40, 41, 1000])
def test_parallel_scan_every_item_once(ddb, h, total):
    segs = range(total) if total <= 41 else list(range(0, total, 97)) + [total - 1]
    got = []
    for seg in segs:
        start = None
        while True:
            kw = {"ExclusiveStartKey": start} if start else {}
            r = ddb.scan(TableName=h, Segment=seg, TotalSegments=total, Limit=7, **kw)
            got += [i["pk"]["S"] for i in r["Items"]]
            start = r.get("LastEvaluatedKey")
            if not start:
                break
    assert len(got) == len(set(got))
    if total <= 41:
        assert sorted(got) == sorted("k%d" % i for i in range(40))


def test_parallel_scan_one_million_segments(ddb, h):
    r = ddb.scan(TableName=h, Segment=999999, TotalSegments=1000000)
    assert r["Count"] <= 1
    r = ddb.scan(TableName=h, Segment=0, TotalSegments=1000000)
    assert r["Count"] <= 1


def test_segment_negative(ddb, h):
    expect_error(ddb.scan, V, "1 validation error detected: Value '-1' at 'segment' failed to satisfy constraint: "
                 "Member must have value greater than or equal to 0",
                 "1 validation error detected: Value '-1' at 'segment' failed to satisfy constraint: "
                 "Member must have value less than or equal to 3",
                 TableName=h, Segment=-1, TotalSegments=4)


def test_total_segments_zero(ddb, h):
    expect_error(ddb.scan, V, "1 validation error detected: Value '0' at 'totalSegments' failed to satisfy "
                 "constraint: Member must have value greater than or equal to 1",
                 "1 validation error detected: Value '0' at 'segment' failed to satisfy constraint: "
                 "Member must have value less than or equal to -1",
                 TableName=h, Segment=0, TotalSegments=0)


def test_limit_checked_before_segments(ddb, h):
    r = expect_error(ddb.scan, V, None, TableName=h, Segment=5, TotalSegments=4, Limit=0)
    msg = r["Error"]["Message"]
    if REFERENCE:
        assert msg == "Limit must be greater than or equal to 1"
    else:
        assert "at 'limit'" in msg
