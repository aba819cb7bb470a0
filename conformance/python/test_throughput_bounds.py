"""ProvisionedThroughput bounds (issue 17 item 3): ReadCapacityUnits and WriteCapacityUnits are
the model's PositiveLongObject (a long, min 1) in CreateTable and UpdateTable, for the table,
a GSI in CreateTable, a GSI created by UpdateTable and a GSI's throughput updated by UpdateTable.
0 and -1 are listed violations at the member's path; a number outside a long cannot be read
(SerializationException). DynamoDB Local words the violations its own way (checked with
local_message) and answers 500 InternalFailure for numbers outside a long (reference_differs)."""
import pytest

from ddbconf import expect_error, reference_differs, unique_name

KS = [{"AttributeName": "pk", "KeyType": "HASH"}]
AD = [{"AttributeName": "pk", "AttributeType": "S"}]
AD_G = AD + [{"AttributeName": "g", "AttributeType": "S"}]
ONE = {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}
GKS = [{"AttributeName": "g", "KeyType": "HASH"}]
PROJ = {"ProjectionType": "ALL"}
TABLE_LOCAL = "Table read and write throughput must be at least 1, and cannot be null"
GSI_LOCAL = "Global Secondary Index's read and write throughput must be at least 1, and cannot be null"
ABOVE_LONG = [9223372036854775808, 10 ** 20]


def violation(value, path):
    return (f"1 validation error detected: Value '{value}' at '{path}' failed to satisfy "
            "constraint: Member must have value greater than or equal to 1")


@pytest.fixture
def provisioned(ddb):
    """A PROVISIONED table with one GSI "gix" on g, deleted at teardown."""
    name = unique_name("tpb")
    ddb.create_table(TableName=name, KeySchema=KS, AttributeDefinitions=AD_G, ProvisionedThroughput=ONE,
                     GlobalSecondaryIndexes=[{"IndexName": "gix", "KeySchema": GKS, "Projection": PROJ,
                                              "ProvisionedThroughput": ONE}])
    yield name
    ddb.delete_table(TableName=name)


@pytest.fixture
def plain(ddb):
    name = unique_name("tpp")
    ddb.create_table(TableName=name, KeySchema=KS, AttributeDefinitions=AD, ProvisionedThroughput=ONE)
    yield name
    ddb.delete_table(TableName=name)


@pytest.mark.parametrize("value", [0, -1])
def test_create_table_write_below_one(ddb, value):
    expect_error(ddb.create_table, "ValidationException",
                 violation(value, "provisionedThroughput.writeCapacityUnits"), TABLE_LOCAL,
                 TableName=unique_name(), KeySchema=KS, AttributeDefinitions=AD,
                 ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": value})


@reference_differs
def test_create_table_both_zero_lists_write_then_read(ddb):
    expect_error(ddb.create_table, "ValidationException",
                 "2 validation errors detected: Value '0' at 'provisionedThroughput.writeCapacityUnits' "
                 "failed to satisfy constraint: Member must have value greater than or equal to 1; "
                 "Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: "
                 "Member must have value greater than or equal to 1",
                 TableName=unique_name(), KeySchema=KS, AttributeDefinitions=AD,
                 ProvisionedThroughput={"ReadCapacityUnits": 0, "WriteCapacityUnits": 0})


@reference_differs
@pytest.mark.parametrize("value", ABOVE_LONG)
def test_create_table_above_long(ddb, value):
    expect_error(ddb.create_table, "SerializationException",
                 f"Number ({value}) is out of range or not an integer",
                 TableName=unique_name(), KeySchema=KS, AttributeDefinitions=AD,
                 ProvisionedThroughput={"ReadCapacityUnits": value, "WriteCapacityUnits": 1})


def test_create_table_long_max_is_not_a_bounds_error(ddb):
    """9223372036854775807 is a long of at least 1: not a bounds error (AWS then applies the
    account's per-table quota, which ddbd does not model, and Local its 40,000 limit)."""
    name = unique_name()
    try:
        ddb.create_table(TableName=name, KeySchema=KS, AttributeDefinitions=AD,
                         ProvisionedThroughput={"ReadCapacityUnits": 9223372036854775807,
                                                "WriteCapacityUnits": 1})
    except ddb.exceptions.ClientError as e:
        assert "validation error" not in e.response["Error"]["Message"], e.response
        assert "Value '9223372036854775807'" not in e.response["Error"]["Message"], e.response
        return
    t = ddb.describe_table(TableName=name)["Table"]
    assert t["ProvisionedThroughput"]["ReadCapacityUnits"] == 9223372036854775807
    ddb.delete_table(TableName=name)


@pytest.mark.parametrize("value", [0, -1])
def test_update_table_below_one(ddb, plain, value):
    expect_error(ddb.update_table, "ValidationException",
                 violation(value, "provisionedThroughput.writeCapacityUnits"), TABLE_LOCAL,
                 TableName=plain, ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": value})


@reference_differs
@pytest.mark.parametrize("value", ABOVE_LONG)
def test_update_table_above_long(ddb, plain, value):
    expect_error(ddb.update_table, "SerializationException",
                 f"Number ({value}) is out of range or not an integer",
                 TableName=plain, ProvisionedThroughput={"ReadCapacityUnits": value, "WriteCapacityUnits": 1})


@reference_differs
@pytest.mark.parametrize("value", [0, -1])
def test_create_table_gsi_below_one(ddb, value):
    expect_error(ddb.create_table, "ValidationException",
                 violation(value, "globalSecondaryIndexes.1.member.provisionedThroughput.readCapacityUnits"),
                 TableName=unique_name(), KeySchema=KS, AttributeDefinitions=AD_G, ProvisionedThroughput=ONE,
                 GlobalSecondaryIndexes=[{"IndexName": "gix", "KeySchema": GKS, "Projection": PROJ,
                                          "ProvisionedThroughput": {"ReadCapacityUnits": value,
                                                                    "WriteCapacityUnits": 1}}])


@reference_differs
@pytest.mark.parametrize("value", ABOVE_LONG)
def test_create_table_gsi_above_long(ddb, value):
    expect_error(ddb.create_table, "SerializationException",
                 f"Number ({value}) is out of range or not an integer",
                 TableName=unique_name(), KeySchema=KS, AttributeDefinitions=AD_G, ProvisionedThroughput=ONE,
                 GlobalSecondaryIndexes=[{"IndexName": "gix", "KeySchema": GKS, "Projection": PROJ,
                                          "ProvisionedThroughput": {"ReadCapacityUnits": 1,
                                                                    "WriteCapacityUnits": value}}])


@pytest.mark.parametrize("value", [0, -1])
def test_update_table_create_gsi_below_one(ddb, plain, value):
    expect_error(ddb.update_table, "ValidationException",
                 violation(value, "globalSecondaryIndexUpdates.1.member.create.provisionedThroughput."
                                  "readCapacityUnits"), GSI_LOCAL,
                 TableName=plain, AttributeDefinitions=[{"AttributeName": "g", "AttributeType": "S"}],
                 GlobalSecondaryIndexUpdates=[{"Create": {
                     "IndexName": "gix", "KeySchema": GKS, "Projection": PROJ,
                     "ProvisionedThroughput": {"ReadCapacityUnits": value, "WriteCapacityUnits": 1}}}])


@reference_differs
@pytest.mark.parametrize("value", [0, -1])
def test_update_table_update_gsi_below_one(ddb, provisioned, value):
    """The path names the update action (it used to be the table's own path)."""
    expect_error(ddb.update_table, "ValidationException",
                 violation(value, "globalSecondaryIndexUpdates.1.member.update.provisionedThroughput."
                                  "writeCapacityUnits"),
                 TableName=provisioned, GlobalSecondaryIndexUpdates=[{"Update": {
                     "IndexName": "gix",
                     "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": value}}}])


@reference_differs
@pytest.mark.parametrize("value", ABOVE_LONG)
def test_update_table_update_gsi_above_long(ddb, provisioned, value):
    expect_error(ddb.update_table, "SerializationException",
                 f"Number ({value}) is out of range or not an integer",
                 TableName=provisioned, GlobalSecondaryIndexUpdates=[{"Update": {
                     "IndexName": "gix",
                     "ProvisionedThroughput": {"ReadCapacityUnits": value, "WriteCapacityUnits": 1}}}])
