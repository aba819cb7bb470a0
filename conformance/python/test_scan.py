"""Scan: full scans, Limit paging, parallel scan segments, errors."""
from concurrent.futures import ThreadPoolExecutor

import pytest

from ddbconf import expect_error, key_schema, unique_name

N_ITEMS = 500


@pytest.fixture(scope="module")
def scan_table(ddb):
    name = unique_name("scan")
    ks, ad = key_schema("pk", "S", "sk", "N")
    ddb.create_table(TableName=name, KeySchema=ks, AttributeDefinitions=ad, BillingMode="PAY_PER_REQUEST")
    items = [{"pk": {"S": "p%03d" % (i % 97)}, "sk": {"N": str(i)}, "v": {"N": str(i)}} for i in range(N_ITEMS)]
    with ThreadPoolExecutor(16) as ex:
        list(ex.map(lambda it: ddb.put_item(TableName=name, Item=it), items))
    yield name
    ddb.delete_table(TableName=name)


def _ids(items):
    return [int(it["v"]["N"]) for it in items]


def _scan_all(ddb, table, **kw):
    got, pages, start = [], 0, None
    for _ in range(N_ITEMS + 10):
        args = dict(kw)
        if start:
            args["ExclusiveStartKey"] = start
        r = ddb.scan(TableName=table, **args)
        pages += 1
        got.extend(_ids(r["Items"]))
        start = r.get("LastEvaluatedKey")
        if not start:
            return got, pages
    raise AssertionError("scan paging did not end")


def test_scan_returns_all_items(ddb, scan_table):
    r = ddb.scan(TableName=scan_table)
    assert sorted(_ids(r["Items"])) == list(range(N_ITEMS))
    assert r["Count"] == N_ITEMS and r["ScannedCount"] == N_ITEMS
    assert "LastEvaluatedKey" not in r


def test_scan_empty_table(ddb, make_table):
    t = make_table()
    r = ddb.scan(TableName=t)
    assert r["Items"] == [] and r["Count"] == 0


def test_scan_limit(ddb, scan_table):
    r = ddb.scan(TableName=scan_table, Limit=10)
    assert len(r["Items"]) == 10 and r["Count"] == 10
    last = r["Items"][-1]
    assert r["LastEvaluatedKey"] == {"pk": last["pk"], "sk": last["sk"]}


def test_scan_pagination_returns_every_item_once(ddb, scan_table):
    got, pages = _scan_all(ddb, scan_table, Limit=23)
    assert sorted(got) == list(range(N_ITEMS))
    assert len(got) == N_ITEMS
    assert pages >= N_ITEMS // 23


def test_scan_select_count(ddb, scan_table):
    r = ddb.scan(TableName=scan_table, Select="COUNT")
    assert r["Count"] == N_ITEMS
    assert "Items" not in r


def test_scan_items_of_a_partition_are_in_range_order(ddb, scan_table):
    r = ddb.scan(TableName=scan_table)
    by_pk = {}
    for it in r["Items"]:
        by_pk.setdefault(it["pk"]["S"], []).append(int(it["sk"]["N"]))
    for pk, sks in by_pk.items():
        assert sks == sorted(sks), pk


@pytest.mark.parametrize("total", [1, 2, 4, 7])
def test_parallel_scan_segments_cover_table_once(ddb, scan_table, total):
    got = []
    for seg in range(total):
        items, _ = _scan_all(ddb, scan_table, Segment=seg, TotalSegments=total)
        got.extend(items)
    assert len(got) == N_ITEMS
    assert sorted(got) == list(range(N_ITEMS))


def test_parallel_scan_segments_with_limit(ddb, scan_table):
    got = []
    for seg in range(4):
        items, _ = _scan_all(ddb, scan_table, Segment=seg, TotalSegments=4, Limit=17)
        got.extend(items)
    assert sorted(got) == list(range(N_ITEMS))


def test_parallel_scan_keeps_partition_in_one_segment(ddb, scan_table):
    owner = {}
    for seg in range(4):
        r = ddb.scan(TableName=scan_table, Segment=seg, TotalSegments=4)
        for it in r["Items"]:
            assert owner.setdefault(it["pk"]["S"], seg) == seg


def test_segment_not_less_than_total(ddb, scan_table):
    expect_error(ddb.scan, "ValidationException",
                 "The Segment parameter is zero-based and must be less than parameter TotalSegments: "
                 "Segment: 2 is not less than TotalSegments: 2",
                 "1 validation error detected: Value '2' at 'segment' failed to satisfy constraint: "
                 "Member must have value less than or equal to 1",
                 TableName=scan_table, Segment=2, TotalSegments=2)


def test_segment_without_total_segments(ddb, scan_table):
    expect_error(ddb.scan, "ValidationException",
                 "The TotalSegments parameter is required but was not present in the request when Segment "
                 "parameter is present",
                 "If segment is specified, total segment must also be specified",
                 TableName=scan_table, Segment=0)


def test_total_segments_without_segment(ddb, scan_table):
    expect_error(ddb.scan, "ValidationException",
                 "The Segment parameter is required but was not present in the request when parameter "
                 "TotalSegments is present",
                 "If total segments is specified, a particular segment must also be specified for this request",
                 TableName=scan_table, TotalSegments=2)


def test_total_segments_too_large(ddb, scan_table):
    expect_error(ddb.scan, "ValidationException",
                 "1 validation error detected: Value '1000001' at 'totalSegments' failed to satisfy constraint: "
                 "Member must have value less than or equal to 1000000",
                 TableName=scan_table, Segment=0, TotalSegments=1000001)


def test_scan_missing_table(ddb):
    expect_error(ddb.scan, "ResourceNotFoundException", "Requested resource not found",
                 "Cannot do operations on a non-existent table", TableName=unique_name("missing"))
