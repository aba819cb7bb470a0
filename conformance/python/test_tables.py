"""CreateTable / DescribeTable / DeleteTable / ListTables / UpdateTable."""
import datetime
import re

import pytest

from ddbconf import REFERENCE, expect_error, key_schema, reference_differs, unique_name

KS, AD = key_schema()
PPR = {"BillingMode": "PAY_PER_REQUEST"}
NAME_MSG = ("Invalid table/index name.  Table/index names must be between 3 and 255 characters long, "
            "and may contain only the characters a-z, A-Z, 0-9, '_', '-', and '.'")


@pytest.fixture
def cleanup(ddb):
    names = []
    yield names
    for n in names:
        try:
            ddb.delete_table(TableName=n)
        except Exception:
            pass


# ---------- successful creation ----------

@pytest.mark.parametrize("typ", ["S", "N", "B"])
def test_create_table_hash_key_types(ddb, make_table, typ):
    name = make_table(hash_type=typ)
    t = ddb.describe_table(TableName=name)["Table"]
    assert t["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]
    assert t["AttributeDefinitions"] == [{"AttributeName": "pk", "AttributeType": typ}]


@pytest.mark.parametrize("typ", ["S", "N", "B"])
def test_create_table_hash_and_range(ddb, make_table, typ):
    name = make_table(hash_type="S", range_type=typ)
    t = ddb.describe_table(TableName=name)["Table"]
    assert t["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"},
                              {"AttributeName": "sk", "KeyType": "RANGE"}]
    assert sorted(t["AttributeDefinitions"], key=lambda a: a["AttributeName"]) == [
        {"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": typ}]


def test_create_table_response_shape(ddb, cleanup):
    name = unique_name()
    cleanup.append(name)
    before = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5)
    t = ddb.create_table(TableName=name, KeySchema=KS, AttributeDefinitions=AD, **PPR)["TableDescription"]
    assert t["TableName"] == name
    assert t["KeySchema"] == KS
    assert t["AttributeDefinitions"] == AD
    # DynamoDB answers CREATING (README); DynamoDB Local creates at once and says ACTIVE
    assert t["TableStatus"] == ("ACTIVE" if REFERENCE else "CREATING")
    assert isinstance(t["CreationDateTime"], datetime.datetime)
    assert t["CreationDateTime"] > before
    assert t["ItemCount"] == 0
    assert t["TableSizeBytes"] == 0
    assert t["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert t["ProvisionedThroughput"]["ReadCapacityUnits"] == 0
    assert t["ProvisionedThroughput"]["WriteCapacityUnits"] == 0
    assert t["ProvisionedThroughput"]["NumberOfDecreasesToday"] == 0
    assert isinstance(t["TableArn"], str) and t["TableArn"].endswith(":table/" + name)


@reference_differs
def test_table_arn_shape(ddb, make_table):
    name = make_table()
    arn = ddb.describe_table(TableName=name)["Table"]["TableArn"]
    assert re.fullmatch(r"arn:aws:dynamodb:us-east-1:\d{12}:table/" + re.escape(name), arn), arn


@reference_differs  # DynamoDB Local omits TableId
def test_table_id_is_uuid(ddb, make_table):
    name = make_table()
    tid = ddb.describe_table(TableName=name)["Table"]["TableId"]
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", tid), tid


def test_table_is_usable_after_create(ddb, make_table):
    name = make_table()
    ddb.put_item(TableName=name, Item={"pk": {"S": "a"}})
    assert ddb.get_item(TableName=name, Key={"pk": {"S": "a"}})["Item"] == {"pk": {"S": "a"}}


def test_describe_table_status_active(ddb, make_table):
    name = make_table()
    t = ddb.describe_table(TableName=name)["Table"]
    assert t["TableStatus"] == "ACTIVE"
    assert t["TableName"] == name


def test_create_table_provisioned(ddb, make_table):
    name = make_table(ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 3})
    t = ddb.describe_table(TableName=name)["Table"]
    assert t["ProvisionedThroughput"]["ReadCapacityUnits"] == 5
    assert t["ProvisionedThroughput"]["WriteCapacityUnits"] == 3
    # BillingModeSummary is absent for tables created PROVISIONED without BillingMode,
    # or says PROVISIONED.
    assert t.get("BillingModeSummary", {"BillingMode": "PROVISIONED"})["BillingMode"] == "PROVISIONED"


def test_create_table_explicit_provisioned(ddb, make_table):
    name = make_table(BillingMode="PROVISIONED",
                      ProvisionedThroughput={"ReadCapacityUnits": 2, "WriteCapacityUnits": 4})
    t = ddb.describe_table(TableName=name)["Table"]
    assert t["ProvisionedThroughput"]["ReadCapacityUnits"] == 2
    assert t["ProvisionedThroughput"]["WriteCapacityUnits"] == 4


def test_create_table_with_tags_accepted(ddb, make_table):
    name = make_table(Tags=[{"Key": "team", "Value": "db"}, {"Key": "env", "Value": "test"}])
    assert ddb.describe_table(TableName=name)["Table"]["TableName"] == name


def test_table_name_valid_characters(ddb, make_table):
    name = make_table(name="a-b_c.D9" + unique_name("x").replace("-", "_"))
    assert ddb.describe_table(TableName=name)["Table"]["TableName"] == name


def test_table_name_max_length_255(ddb, make_table):
    name = make_table(name=("n" + unique_name("")).ljust(255, "z"))
    assert len(name) == 255
    assert ddb.describe_table(TableName=name)["Table"]["TableName"] == name


def item_size(item):
    """DynamoDB's size of an item of string attributes: name bytes plus value bytes."""
    return sum(len(k.encode()) + len(v["S"].encode()) for k, v in item.items())


def counts(ddb, name):
    t = ddb.describe_table(TableName=name)["Table"]
    return t["ItemCount"], t["TableSizeBytes"]


def test_item_count_and_size_are_exact(ddb, make_table):
    """ddbd keeps exact counts: ItemCount and TableSizeBytes follow every put, overwrite and delete."""
    name = make_table()
    items = {}
    for i in range(6):
        item = {"pk": {"S": "k%d" % i}, "val": {"S": "x" * (10 * i)}, "é": {"S": "ü" * i}}
        ddb.put_item(TableName=name, Item=item)
        items[item["pk"]["S"]] = item
    assert counts(ddb, name) == (6, sum(item_size(it) for it in items.values()))
    # an overwrite changes the size, not the count
    items["k3"] = {"pk": {"S": "k3"}, "val": {"S": "short"}}
    ddb.put_item(TableName=name, Item=items["k3"])
    assert counts(ddb, name) == (6, sum(item_size(it) for it in items.values()))
    for k in ("k0", "k5"):
        ddb.delete_item(TableName=name, Key={"pk": {"S": k}})
        del items[k]
    # deleting a missing item changes nothing
    ddb.delete_item(TableName=name, Key={"pk": {"S": "absent"}})
    assert counts(ddb, name) == (4, sum(item_size(it) for it in items.values()))
    for k in list(items):
        ddb.delete_item(TableName=name, Key={"pk": {"S": k}})
    assert counts(ddb, name) == (0, 0)


# ---------- CreateTable errors ----------

def test_create_existing_table(ddb, make_table):
    name = make_table()
    expect_error(ddb.create_table, "ResourceInUseException",
                 "Table already exists: " + name, "Cannot create preexisting table",
                 TableName=name, KeySchema=KS, AttributeDefinitions=AD, **PPR)


def test_create_table_missing_key_schema(ddb):
    expect_error(ddb.create_table, "ValidationException",
                 "1 validation error detected: Value null at 'keySchema' failed to satisfy constraint: "
                 "Member must not be null",
                 "No defined key schema.  A key schema containing at least a hash key must be defined for all tables",
                 TableName=unique_name(), AttributeDefinitions=AD, **PPR)


def test_create_table_attribute_definition_not_matching_key(ddb):
    expect_error(ddb.create_table, "ValidationException",
                 "One or more parameter values were invalid: Some index key attributes are not defined in "
                 "AttributeDefinitions. Keys: [pk], AttributeDefinitions: [other]",
                 "Hash Key not specified in Attribute Definitions.  Type unknown.",
                 TableName=unique_name(), KeySchema=KS,
                 AttributeDefinitions=[{"AttributeName": "other", "AttributeType": "S"}], **PPR)


def test_create_table_extra_attribute_definition(ddb):
    expect_error(ddb.create_table, "ValidationException",
                 "One or more parameter values were invalid: Number of attributes in KeySchema does not "
                 "exactly match number of attributes defined in AttributeDefinitions",
                 "The number of attributes in key schema must match the number of attributes defined in "
                 "attribute definitions.",
                 TableName=unique_name(), KeySchema=KS,
                 AttributeDefinitions=AD + [{"AttributeName": "x", "AttributeType": "S"}], **PPR)


@pytest.mark.parametrize("bad", ["X", "BOOL", "SS"])
def test_create_table_bad_attribute_type(ddb, bad):
    expect_error(ddb.create_table, "ValidationException",
                 "1 validation error detected: Value '%s' at 'attributeDefinitions.1.member.attributeType' "
                 "failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]" % bad,
                 "Member must satisfy enum value set: [B, N, S]",
                 TableName=unique_name(), KeySchema=KS,
                 AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": bad}], **PPR)


def test_create_table_two_hash_keys(ddb):
    expect_error(ddb.create_table, "ValidationException",
                 "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type",
                 "Too many hash keys specified.  All Dynamo DB tables must have exactly one hash key",
                 TableName=unique_name(),
                 KeySchema=[{"AttributeName": "a", "KeyType": "HASH"}, {"AttributeName": "b", "KeyType": "HASH"}],
                 AttributeDefinitions=[{"AttributeName": "a", "AttributeType": "S"},
                                       {"AttributeName": "b", "AttributeType": "S"}], **PPR)


def test_create_table_range_key_first(ddb):
    expect_error(ddb.create_table, "ValidationException",
                 "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
                 "Invalid key order. Hash Key must be specified first in key schema, "
                 "Range Key must be specifed second",
                 TableName=unique_name(),
                 KeySchema=[{"AttributeName": "b", "KeyType": "RANGE"}, {"AttributeName": "a", "KeyType": "HASH"}],
                 AttributeDefinitions=[{"AttributeName": "a", "AttributeType": "S"},
                                       {"AttributeName": "b", "AttributeType": "S"}], **PPR)


def test_create_table_only_range_key(ddb):
    expect_error(ddb.create_table, "ValidationException",
                 "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
                 "No Hash Key specified in schema.  All Dynamo DB tables must have exactly one hash key",
                 TableName=unique_name(), KeySchema=[{"AttributeName": "pk", "KeyType": "RANGE"}],
                 AttributeDefinitions=AD, **PPR)


@pytest.mark.parametrize("name", ["ab", "x", "a" * 256, "bad$name", "has space", "caf\u00e9s"])
def test_create_table_invalid_name(ddb, name):
    expect_error(ddb.create_table, "ValidationException", NAME_MSG,
                 TableName=name, KeySchema=KS, AttributeDefinitions=AD, **PPR)


@reference_differs
def test_create_table_pay_per_request_with_throughput(ddb, cleanup):
    name = unique_name()
    cleanup.append(name)
    expect_error(ddb.create_table, "ValidationException",
                 "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits "
                 "can be specified when BillingMode is PAY_PER_REQUEST",
                 TableName=name, KeySchema=KS, AttributeDefinitions=AD, BillingMode="PAY_PER_REQUEST",
                 ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})


def test_create_table_provisioned_without_throughput(ddb):
    expect_error(ddb.create_table, "ValidationException",
                 "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must "
                 "both be specified when BillingMode is PROVISIONED",
                 "No provisioned throughput specified for the table",
                 TableName=unique_name(), KeySchema=KS, AttributeDefinitions=AD, BillingMode="PROVISIONED")


def test_create_table_no_billing_mode_no_throughput(ddb):
    expect_error(ddb.create_table, "ValidationException",
                 "No provisioned throughput specified for the table",
                 TableName=unique_name(), KeySchema=KS, AttributeDefinitions=AD)


def test_create_table_zero_read_capacity(ddb):
    expect_error(ddb.create_table, "ValidationException",
                 "1 validation error detected: Value '0' at 'provisionedThroughput.readCapacityUnits' failed to "
                 "satisfy constraint: Member must have value greater than or equal to 1",
                 "Table read and write throughput must be at least 1, and cannot be null",
                 TableName=unique_name(), KeySchema=KS, AttributeDefinitions=AD,
                 ProvisionedThroughput={"ReadCapacityUnits": 0, "WriteCapacityUnits": 1})


def test_create_table_negative_write_capacity(ddb):
    expect_error(ddb.create_table, "ValidationException",
                 "1 validation error detected: Value '-1' at 'provisionedThroughput.writeCapacityUnits' failed to "
                 "satisfy constraint: Member must have value greater than or equal to 1",
                 "Table read and write throughput must be at least 1, and cannot be null",
                 TableName=unique_name(), KeySchema=KS, AttributeDefinitions=AD,
                 ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": -1})


# ---------- Describe / Delete ----------

def test_describe_missing_table(ddb):
    name = unique_name("missing")
    expect_error(ddb.describe_table, "ResourceNotFoundException",
                 "Requested resource not found: Table: %s not found" % name,
                 "Cannot do operations on a non-existent table", TableName=name)


def test_delete_missing_table(ddb):
    name = unique_name("missing")
    expect_error(ddb.delete_table, "ResourceNotFoundException",
                 "Requested resource not found: Table: %s not found" % name,
                 "Cannot do operations on a non-existent table", TableName=name)


def test_delete_table_returns_description(ddb, cleanup):
    name = unique_name()
    ddb.create_table(TableName=name, KeySchema=KS, AttributeDefinitions=AD, **PPR)
    t = ddb.delete_table(TableName=name)["TableDescription"]
    assert t["TableName"] == name
    # DynamoDB answers DELETING (README); DynamoDB Local says ACTIVE
    assert t["TableStatus"] == ("ACTIVE" if REFERENCE else "DELETING")


def test_deleted_table_is_gone(ddb):
    name = unique_name()
    ddb.create_table(TableName=name, KeySchema=KS, AttributeDefinitions=AD, **PPR)
    ddb.delete_table(TableName=name)
    expect_error(ddb.describe_table, "ResourceNotFoundException",
                 "Requested resource not found: Table: %s not found" % name,
                 "Cannot do operations on a non-existent table", TableName=name)
    assert name not in ddb.list_tables(Limit=100, ExclusiveStartTableName=name[:-1])["TableNames"]


# ---------- ListTables ----------

def _list_all(ddb, limit, start=None):
    names, pages = [], 0
    kwargs = {"Limit": limit}
    if start:
        kwargs["ExclusiveStartTableName"] = start
    for _ in range(1000):
        r = ddb.list_tables(**kwargs)
        pages += 1
        names.extend(r["TableNames"])
        if "LastEvaluatedTableName" not in r:
            return names, pages
        assert r["LastEvaluatedTableName"] == r["TableNames"][-1]
        kwargs["ExclusiveStartTableName"] = r["LastEvaluatedTableName"]
    raise AssertionError("ListTables paging did not end")


def test_list_tables_contains_created(ddb, make_table):
    name = make_table()
    names, _ = _list_all(ddb, 100)
    assert name in names


def test_list_tables_sorted(ddb, make_table):
    for _ in range(3):
        make_table()
    names, _ = _list_all(ddb, 100)
    assert names == sorted(names)
    assert len(names) == len(set(names))


def test_list_tables_paging_with_limit(ddb, make_table):
    prefix = "lt" + unique_name("").strip("-")[:8]
    mine = sorted(make_table(name="%s-%d" % (prefix, i)) for i in range(5))
    names, pages = _list_all(ddb, 2, start=prefix)
    got = [n for n in names if n.startswith(prefix)]
    assert got == mine
    assert pages >= 3


def test_list_tables_limit_page_has_last_evaluated(ddb, make_table):
    make_table()
    make_table()
    r = ddb.list_tables(Limit=1)
    assert len(r["TableNames"]) == 1
    assert r["LastEvaluatedTableName"] == r["TableNames"][0]


def test_list_tables_exclusive_start(ddb, make_table):
    prefix = "ls" + unique_name("").strip("-")[:8]
    a = make_table(name=prefix + "-a")
    b = make_table(name=prefix + "-b")
    r = ddb.list_tables(ExclusiveStartTableName=a, Limit=100)
    assert a not in r["TableNames"]
    assert b in r["TableNames"]
    assert all(n > a for n in r["TableNames"])


def test_list_tables_limit_zero(ddb):
    expect_error(ddb.list_tables, "ValidationException",
                 "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: "
                 "Member must have value greater than or equal to 1",
                 "Limit must be greater than or equal to 1", Limit=0)


def test_list_tables_limit_101(ddb):
    expect_error(ddb.list_tables, "ValidationException",
                 "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: "
                 "Member must have value less than or equal to 100",
                 "Limit in ListTables must be <= 100", Limit=101)


def test_list_tables_limit_100_accepted(ddb):
    r = ddb.list_tables(Limit=100)
    assert isinstance(r["TableNames"], list)


# ---------- UpdateTable ----------

def test_update_table_to_pay_per_request(ddb, make_table):
    name = make_table(ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
    t = ddb.update_table(TableName=name, BillingMode="PAY_PER_REQUEST")["TableDescription"]
    assert t["TableName"] == name
    t = ddb.describe_table(TableName=name)["Table"]
    assert t["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert t["ProvisionedThroughput"]["ReadCapacityUnits"] == 0
    assert t["ProvisionedThroughput"]["WriteCapacityUnits"] == 0


def test_update_table_to_provisioned(ddb, make_table):
    name = make_table()
    ddb.update_table(TableName=name, BillingMode="PROVISIONED",
                     ProvisionedThroughput={"ReadCapacityUnits": 7, "WriteCapacityUnits": 8})
    t = ddb.describe_table(TableName=name)["Table"]
    assert t["BillingModeSummary"]["BillingMode"] == "PROVISIONED"
    assert t["ProvisionedThroughput"]["ReadCapacityUnits"] == 7
    assert t["ProvisionedThroughput"]["WriteCapacityUnits"] == 8


def test_update_table_throughput(ddb, make_table):
    name = make_table(ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
    ddb.update_table(TableName=name, ProvisionedThroughput={"ReadCapacityUnits": 10, "WriteCapacityUnits": 6})
    t = ddb.describe_table(TableName=name)["Table"]
    assert t["ProvisionedThroughput"]["ReadCapacityUnits"] == 10
    assert t["ProvisionedThroughput"]["WriteCapacityUnits"] == 6


def test_update_table_keeps_data(ddb, make_table):
    name = make_table()
    ddb.put_item(TableName=name, Item={"pk": {"S": "k"}, "v": {"N": "1"}})
    ddb.update_table(TableName=name, BillingMode="PROVISIONED",
                     ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
    assert ddb.get_item(TableName=name, Key={"pk": {"S": "k"}})["Item"]["v"] == {"N": "1"}


def test_update_missing_table(ddb):
    name = unique_name("missing")
    expect_error(ddb.update_table, "ResourceNotFoundException",
                 "Requested resource not found: Table: %s not found" % name,
                 "Cannot do operations on a non-existent table",
                 TableName=name, BillingMode="PAY_PER_REQUEST")
