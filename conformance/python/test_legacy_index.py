"""The legacy parameters (KeyConditions, QueryFilter, AttributesToGet) on Query with
IndexName: the key conditions name the index's keys."""
import pytest

from ddbconf import expect_error, unique_name

PPR = {"BillingMode": "PAY_PER_REQUEST"}


@pytest.fixture(scope="module")
def itable(ddb):
    name = unique_name("lix")
    ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in ("pk", "sk", "g", "l")],
        GlobalSecondaryIndexes=[{"IndexName": "byG", "Projection": {"ProjectionType": "ALL"},
                                 "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"},
                                               {"AttributeName": "sk", "KeyType": "RANGE"}]}],
        LocalSecondaryIndexes=[{"IndexName": "byL", "Projection": {"ProjectionType": "ALL"},
                                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                              {"AttributeName": "l", "KeyType": "RANGE"}]}],
        **PPR)
    for i in range(6):
        ddb.put_item(TableName=name, Item={"pk": {"S": "p"}, "sk": {"S": "s%d" % i}, "g": {"S": "G"},
                                           "l": {"S": "l%d" % (5 - i)}, "n": {"N": str(i)}})
    yield name
    ddb.delete_table(TableName=name)


def eq(v):
    return {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": v}]}


def test_key_conditions_on_gsi(ddb, itable):
    r = ddb.query(TableName=itable, IndexName="byG",
                  KeyConditions={"g": eq("G"), "sk": {"ComparisonOperator": "BEGINS_WITH",
                                                      "AttributeValueList": [{"S": "s"}]}})
    assert [i["sk"]["S"] for i in r["Items"]] == ["s%d" % i for i in range(6)]


def test_key_conditions_on_lsi_with_query_filter(ddb, itable):
    r = ddb.query(TableName=itable, IndexName="byL",
                  KeyConditions={"pk": eq("p"), "l": {"ComparisonOperator": "GE",
                                                      "AttributeValueList": [{"S": "l3"}]}},
                  QueryFilter={"n": {"ComparisonOperator": "LT", "AttributeValueList": [{"N": "2"}]}})
    assert [i["l"]["S"] for i in r["Items"]] == ["l4", "l5"]
    assert r["ScannedCount"] == 3


def test_key_conditions_on_gsi_with_attributes_to_get(ddb, itable):
    r = ddb.query(TableName=itable, IndexName="byG", KeyConditions={"g": eq("G")},
                  AttributesToGet=["n"], Limit=2)
    assert r["Items"] == [{"n": {"N": "0"}}, {"n": {"N": "1"}}]


def test_key_conditions_naming_the_table_key_on_gsi(ddb, itable):
    # AWS names the index's hash key; DynamoDB Local names none (protocol/MESSAGES-expr.md)
    expect_error(ddb.query, "ValidationException", "Query condition missed key schema element: g",
                 "Query condition missed key schema element", TableName=itable, IndexName="byG", KeyConditions={"pk": eq("p")})
