"""TransactWriteItems and TransactGetItems: every rule and error, exact __type, message
and CancellationReasons (protocol/MESSAGES-txn.md records DynamoDB Local's answers)."""
import uuid

import pytest

from ddbconf import ACCESS_KEY, REFERENCE, aws_differs, expect_error, raw_request, reference_differs

COND = "The conditional request failed"
# DynamoDB Local ends the reason's message with a period; the service does not.
COND_REASON = COND + "." if REFERENCE else COND
NOT_FOUND_LOCAL = "Cannot do operations on a non-existent table"
DUP = "Transaction request cannot include multiple operations on one item"


def cancelled_message(*codes):
    return ("Transaction cancelled, please refer cancellation reasons for specific reasons [%s]"
            % ", ".join(codes))


@pytest.fixture
def t1(make_table):
    return make_table()


@pytest.fixture
def t2(make_table):
    return make_table(range_type="N")


def put(t, k, **kw):
    return {"Put": dict({"TableName": t, "Item": {"pk": {"S": k}}}, **kw)}


def check(t, k, cond="attribute_exists(pk)", **kw):
    return {"ConditionCheck": dict({"TableName": t, "Key": {"pk": {"S": k}},
                                    "ConditionExpression": cond}, **kw)}


def get(ddb, t, k):
    return ddb.get_item(TableName=t, Key={"pk": {"S": k}}).get("Item")


def reasons(resp):
    return resp["CancellationReasons"]


def test_write_all_four_kinds_apply(ddb, t1):
    ddb.put_item(TableName=t1, Item={"pk": {"S": "c"}})
    ddb.put_item(TableName=t1, Item={"pk": {"S": "d"}})
    r = ddb.transact_write_items(TransactItems=[
        put(t1, "p", ConditionExpression="attribute_not_exists(pk)"),
        {"Update": {"TableName": t1, "Key": {"pk": {"S": "u"}}, "UpdateExpression": "SET v = :v",
                    "ExpressionAttributeValues": {":v": {"N": "1"}}}},
        {"Delete": {"TableName": t1, "Key": {"pk": {"S": "d"}}}},
        check(t1, "c"),
    ])
    r.pop("ResponseMetadata")
    assert r == {}
    assert get(ddb, t1, "p") == {"pk": {"S": "p"}}
    assert get(ddb, t1, "u") == {"pk": {"S": "u"}, "v": {"N": "1"}}
    assert get(ddb, t1, "d") is None


def test_write_is_atomic_across_tables(ddb, t1, t2):
    ddb.transact_write_items(TransactItems=[
        put(t1, "a"), {"Put": {"TableName": t2, "Item": {"pk": {"S": "a"}, "sk": {"N": "1"}}}}])
    assert get(ddb, t1, "a") is not None
    assert ddb.get_item(TableName=t2, Key={"pk": {"S": "a"}, "sk": {"N": "1"}}).get("Item")


def test_condition_failure_cancels_everything(ddb, t1):
    resp = expect_error(ddb.transact_write_items, "TransactionCanceledException",
                        cancelled_message("ConditionalCheckFailed", "None"),
                        TransactItems=[check(t1, "missing"), put(t1, "p")])
    assert reasons(resp) == [{"Code": "ConditionalCheckFailed", "Message": COND_REASON},
                             {"Code": "None"}]
    assert get(ddb, t1, "p") is None


def test_every_failed_condition_is_reported(ddb, t1):
    resp = expect_error(ddb.transact_write_items, "TransactionCanceledException",
                        cancelled_message("ConditionalCheckFailed", "ConditionalCheckFailed",
                                          "None"),
                        TransactItems=[check(t1, "x1"), check(t1, "x2"), put(t1, "p")])
    assert [r["Code"] for r in reasons(resp)] == ["ConditionalCheckFailed",
                                                   "ConditionalCheckFailed", "None"]


def test_cancellation_reasons_raw_shape(t1, ddb):
    ddb.put_item(TableName=t1, Item={"pk": {"S": "a"}, "bal": {"N": "10"}})
    import json
    r = raw_request(json.dumps({"TransactItems": [
        put(t1, "p"),
        check(t1, "a", cond="bal < :z", ExpressionAttributeValues={":z": {"N": "0"}},
              ReturnValuesOnConditionCheckFailure="ALL_OLD")]}),
        target="DynamoDB_20120810.TransactWriteItems",
        # the boto3 client's access key: DynamoDB Local keeps tables per key
        extra_headers={"Authorization": "AWS4-HMAC-SHA256 Credential=%s/20260101/us-east-1/"
                       "dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc"
                       % ACCESS_KEY})
    assert r.status == 400
    body = r.json()
    assert body["__type"] == "com.amazonaws.dynamodb.v20120810#TransactionCanceledException"
    assert body["Message"] == cancelled_message("None", "ConditionalCheckFailed")
    assert body["CancellationReasons"] == [
        {"Code": "None"},
        {"Item": {"pk": {"S": "a"}, "bal": {"N": "10"}}, "Code": "ConditionalCheckFailed",
         "Message": COND_REASON}]


def test_all_old_on_missing_item_has_no_item(ddb, t1):
    resp = expect_error(ddb.transact_write_items, "TransactionCanceledException",
                        cancelled_message("ConditionalCheckFailed"),
                        TransactItems=[check(t1, "nope", ReturnValuesOnConditionCheckFailure="ALL_OLD")])
    assert reasons(resp) == [{"Code": "ConditionalCheckFailed", "Message": COND_REASON}]


def test_update_too_large_is_a_validation_reason(ddb, t1):
    ddb.put_item(TableName=t1, Item={"pk": {"S": "big"}, "d": {"S": "x" * 300000}})
    resp = expect_error(ddb.transact_write_items, "TransactionCanceledException",
                        cancelled_message("ValidationError"),
                        TransactItems=[{"Update": {
                            "TableName": t1, "Key": {"pk": {"S": "big"}},
                            "UpdateExpression": "SET e = :v",
                            "ExpressionAttributeValues": {":v": {"S": "x" * 200000}}}}])
    assert reasons(resp) == [{"Code": "ValidationError",
                              "Message": "Item size to update has exceeded the maximum allowed size"}]


def test_same_item_twice(ddb, t1):
    expect_error(ddb.transact_write_items, "ValidationException", DUP,
                 TransactItems=[put(t1, "a"), {"Delete": {"TableName": t1, "Key": {"pk": {"S": "a"}}}}])


def test_same_key_in_two_tables_is_fine(ddb, t1, make_table):
    other = make_table()
    ddb.transact_write_items(TransactItems=[put(t1, "a"), put(other, "a")])


def test_empty_list(ddb):
    expect_error(ddb.transact_write_items, "ValidationException",
                 "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy "
                 "constraint: Member must have length greater than or equal to 1",
                 local_message="Value [] at 'transactItems' failed to satisfy constraint: "
                 "Member must have length greater than or equal to 1",
                 TransactItems=[])


def test_missing_list(ddb):
    expect_error(ddb.transact_write_items, "ValidationException",
                 "1 validation error detected: Value null at 'transactItems' failed to satisfy "
                 "constraint: Member must not be null",
                 local_message="Value null at 'transactItems' failed to satisfy constraint: "
                 "Member must not be null")


@aws_differs("101 actions: AWS says '1 validation error detected: Value '[<Java objects>]' at 'transactItems' "
             "failed to satisfy constraint: Member must have length less than or equal to 100', which cannot "
             "be reproduced; ddbd answers Local's text (MESSAGES-txn.md)")
def test_100_actions_ok_101_refused(ddb, t1):
    ddb.transact_write_items(TransactItems=[put(t1, "k%d" % i) for i in range(100)])
    expect_error(ddb.transact_write_items, "ValidationException", "Member must have length less than or equal to 100",
                 TransactItems=[put(t1, "k%d" % i) for i in range(101)])


def test_action_without_kind(ddb):
    expect_error(ddb.transact_write_items, "ValidationException",
                 "Invalid Request: TransactWriteRequest should contain Delete or Put or Update request",
                 TransactItems=[{}])


def test_action_with_two_kinds(ddb, t1):
    expect_error(ddb.transact_write_items, "ValidationException",
                 "TransactItems can only contain one of Check, Put, Update or Delete",
                 TransactItems=[{"Put": put(t1, "a")["Put"],
                                 "Delete": {"TableName": t1, "Key": {"pk": {"S": "b"}}}}])


@pytest.mark.parametrize("action,path", [
    ({"Put": {"Item": {"pk": {"S": "q"}}}}, "put.tableName"),
    ({"Put": {"TableName": "TBL"}}, "put.item"),
    ({"Delete": {"TableName": "TBL"}}, "delete.key"),
    ({"Update": {"TableName": "TBL", "UpdateExpression": "SET a = :v",
                 "ExpressionAttributeValues": {":v": {"N": "1"}}}}, "update.key"),
    ({"ConditionCheck": {"TableName": "TBL", "Key": {"pk": {"S": "a"}}}},
     "conditionCheck.conditionExpression"),
])
def test_required_members(ddb, t1, action, path):
    import json
    action = json.loads(json.dumps(action).replace("TBL", t1))
    msg = ("Value null at 'transactItems.1.member.%s' failed to satisfy constraint: "
           "Member must not be null" % path)
    expect_error(ddb.transact_write_items, "ValidationException",
                 "1 validation error detected: " + msg, local_message=msg, TransactItems=[action])


@reference_differs  # DynamoDB Local accepts an Update without UpdateExpression
def test_update_requires_update_expression(ddb, t1):
    expect_error(ddb.transact_write_items, "ValidationException",
                 "1 validation error detected: Value null at 'transactItems.1.member.update."
                 "updateExpression' failed to satisfy constraint: Member must not be null",
                 TransactItems=[{"Update": {"TableName": t1, "Key": {"pk": {"S": "a"}}}}])


def test_missing_table(ddb, t1):
    expect_error(ddb.transact_write_items, "ResourceNotFoundException",
                 "Requested resource not found", local_message=NOT_FOUND_LOCAL,
                 TransactItems=[put(t1, "a"), put("no-such-table-" + uuid.uuid4().hex, "a")])


def test_put_without_key_attribute(ddb, t1):
    expect_error(ddb.transact_write_items, "ValidationException",
                 "One of the required keys was not given a value",
                 TransactItems=[{"Put": {"TableName": t1, "Item": {"x": {"N": "1"}}}}])


def test_put_too_large(ddb, t1):
    expect_error(ddb.transact_write_items, "ValidationException",
                 "Item size has exceeded the maximum allowed size",
                 TransactItems=[{"Put": {"TableName": t1,
                                         "Item": {"pk": {"S": "a"}, "d": {"S": "x" * 410000}}}}])


def test_key_empty_string(ddb, t1):
    expect_error(ddb.transact_write_items, "ValidationException",
                 "One or more parameter values are not valid. The AttributeValue for a key "
                 "attribute cannot contain an empty string value. Key: pk",
                 TransactItems=[{"Delete": {"TableName": t1, "Key": {"pk": {"S": ""}}}}])


@reference_differs  # Local: TransactionCanceledException with a ValidationError reason
def test_key_type_mismatch(ddb, t1):
    expect_error(ddb.transact_write_items, "ValidationException",
                 "The provided key element does not match the schema",
                 TransactItems=[{"Delete": {"TableName": t1, "Key": {"pk": {"N": "1"}}}}])


def test_expression_errors_per_action(ddb, t1):
    expect_error(ddb.transact_write_items, "ValidationException",
                 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("',
                 TransactItems=[check(t1, "a", cond="attribute_exists(")])
    expect_error(ddb.transact_write_items, "ValidationException",
                 "Value provided in ExpressionAttributeValues unused in expressions: keys: {:q}",
                 TransactItems=[check(t1, "a", ExpressionAttributeValues={":q": {"N": "1"}})])
    expect_error(ddb.transact_write_items, "ValidationException",
                 "Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}",
                 TransactItems=[check(t1, "a", ExpressionAttributeNames={"#x": "y"})])
    expect_error(ddb.transact_write_items, "ValidationException",
                 "ExpressionAttributeValues can only be specified when using expressions: "
                 "ConditionExpression is null",
                 TransactItems=[put(t1, "a", ExpressionAttributeValues={":x": {"S": "y"}})])


def test_update_expression_runtime_error(ddb, t1):
    ddb.put_item(TableName=t1, Item={"pk": {"S": "a"}, "bal": {"N": "1"}})
    expect_error(ddb.transact_write_items, "ValidationException",
                 "The document path provided in the update expression is invalid for update",
                 TransactItems=[{"Update": {"TableName": t1, "Key": {"pk": {"S": "a"}},
                                            "UpdateExpression": "SET bal.x = :v",
                                            "ExpressionAttributeValues": {":v": {"S": "x"}}}}])


def test_client_request_token(ddb, t1):
    tok = uuid.uuid4().hex
    items = [{"Update": {"TableName": t1, "Key": {"pk": {"S": "n"}},
                         "UpdateExpression": "ADD c :one",
                         "ExpressionAttributeValues": {":one": {"N": "1"}}}}]
    ddb.transact_write_items(TransactItems=items, ClientRequestToken=tok)
    ddb.transact_write_items(TransactItems=items, ClientRequestToken=tok)
    assert get(ddb, t1, "n")["c"] == {"N": "1"}  # applied once
    expect_error(ddb.transact_write_items, "IdempotentParameterMismatchException",
                 "DynamoDB rejected the request because you retried a request with a different "
                 "payload but with an idempotent token that was already used.", local_message="",
                 TransactItems=[put(t1, "other")], ClientRequestToken=tok)
    assert get(ddb, t1, "other") is None


def test_failed_request_leaves_no_token(ddb, t1):
    tok = uuid.uuid4().hex
    expect_error(ddb.transact_write_items, "TransactionCanceledException",
                 cancelled_message("ConditionalCheckFailed"),
                 TransactItems=[check(t1, "zz")], ClientRequestToken=tok)
    ddb.transact_write_items(TransactItems=[put(t1, "zz")], ClientRequestToken=tok)
    assert get(ddb, t1, "zz") is not None


def test_token_too_long(ddb, t1):
    tok = "x" * 37
    msg = ("Value %s at 'clientRequestToken' failed to satisfy constraint: Member must have "
           "length less than or equal to 36")
    expect_error(ddb.transact_write_items, "ValidationException",
                 "1 validation error detected: " + msg % ("'%s'" % tok), local_message=msg % tok,
                 TransactItems=[put(t1, "a")], ClientRequestToken=tok)


# ---------- TransactGetItems ----------

def test_get_items_in_order(ddb, t1):
    ddb.put_item(TableName=t1, Item={"pk": {"S": "a"}, "bal": {"N": "10"}, "x": {"S": "y"}})
    r = ddb.transact_get_items(TransactItems=[
        {"Get": {"TableName": t1, "Key": {"pk": {"S": "none"}}}},
        {"Get": {"TableName": t1, "Key": {"pk": {"S": "a"}}, "ProjectionExpression": "#b",
                 "ExpressionAttributeNames": {"#b": "bal"}}},
    ])
    assert r["Responses"] == [{}, {"Item": {"bal": {"N": "10"}}}]


def test_get_duplicate(ddb, t1):
    g = {"Get": {"TableName": t1, "Key": {"pk": {"S": "a"}}}}
    expect_error(ddb.transact_get_items, "ValidationException", DUP, TransactItems=[g, g])


def test_get_missing_table(ddb):
    expect_error(ddb.transact_get_items, "ResourceNotFoundException",
                 "Requested resource not found", local_message=NOT_FOUND_LOCAL,
                 TransactItems=[{"Get": {"TableName": "no-such-" + uuid.uuid4().hex,
                                         "Key": {"pk": {"S": "a"}}}}])


@aws_differs("101 actions: AWS says '1 validation error detected: Value '[<Java objects>]' at 'transactItems' "
             "failed to satisfy constraint: Member must have length less than or equal to 100', which cannot "
             "be reproduced; ddbd answers Local's text (MESSAGES-txn.md)")
def test_get_101(ddb, t1):
    expect_error(ddb.transact_get_items, "ValidationException", "Member must have length less than or equal to 100",
                 TransactItems=[{"Get": {"TableName": t1, "Key": {"pk": {"S": "k%d" % i}}}}
                                for i in range(101)])


def test_get_expression_errors(ddb, t1):
    expect_error(ddb.transact_get_items, "ValidationException",
                 "ExpressionAttributeNames can only be specified when using expressions",
                 TransactItems=[{"Get": {"TableName": t1, "Key": {"pk": {"S": "a"}},
                                         "ExpressionAttributeNames": {"#b": "bal"}}}])
    expect_error(ddb.transact_get_items, "ValidationException",
                 'Invalid ProjectionExpression: Syntax error; token: "<EOF>", near: ","',
                 TransactItems=[{"Get": {"TableName": t1, "Key": {"pk": {"S": "a"}},
                                         "ProjectionExpression": "bal,"}}])
