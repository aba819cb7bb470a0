"""Protocol-level behaviour over raw HTTP (no SDK): targets, bodies, auth, headers.

Error body shapes recorded from AWS (the reference, DynamoDB Local, capitalises
every message key as "Message"):
  com.amazon.coral.service#UnknownOperationException        (no message)
  com.amazon.coral.service#SerializationException           "Message"
  com.amazon.coral.service#MissingAuthenticationTokenException "message"
  com.amazon.coral.validate#ValidationException             "message"
  com.amazonaws.dynamodb.v20120810#ResourceNotFoundException "message"
  com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException "message"
"""
import json
import zlib
from urllib.parse import urlparse

import pytest

from ddbconf import ENDPOINT, REFERENCE, reference_differs, unique_name

V = "com.amazonaws.dynamodb.v20120810#"


def message_of(body, aws_key):
    """The message, read from the key AWS uses (DynamoDB Local always says "Message")."""
    key = "Message" if REFERENCE else aws_key
    assert key in body, body
    return body[key]


def test_unknown_operation(raw):
    r = raw(b"{}", target="DynamoDB_20120810.FrobnicateTable")
    assert r.status == 400
    if REFERENCE:
        assert r.json()["__type"] == V + "UnknownOperationException"
    else:
        assert r.json() == {"__type": "com.amazon.coral.service#UnknownOperationException"}


def test_unknown_operation_type_suffix(raw):
    r = raw(b"{}", target="DynamoDB_20120810.NoSuchThing")
    assert r.status == 400
    assert r.json()["__type"].endswith("#UnknownOperationException")


@reference_differs  # DynamoDB Local answers 500 InternalFailure
def test_missing_target_header(raw):
    r = raw(b"{}", target=None)
    assert r.status == 400
    assert r.json() == {"__type": "com.amazon.coral.service#UnknownOperationException"}


@reference_differs  # DynamoDB Local answers 500 InternalFailure
def test_malformed_json_body(raw):
    r = raw(b'{"TableName": ', target="DynamoDB_20120810.DescribeTable")
    assert r.status == 400
    assert r.json()["__type"] == "com.amazon.coral.service#SerializationException"


@reference_differs  # DynamoDB Local answers 500 InternalFailure
def test_json_array_body(raw):
    r = raw(b"[]", target="DynamoDB_20120810.ListTables")
    assert r.status == 400
    assert r.json()["__type"] == "com.amazon.coral.service#SerializationException"


@reference_differs  # DynamoDB Local answers a ValidationException about the table name
def test_table_name_wrong_json_type(raw):
    r = raw(b'{"TableName": 5}', target="DynamoDB_20120810.DescribeTable")
    assert r.status == 400
    body = r.json()
    assert body["__type"] == "com.amazon.coral.service#SerializationException"
    assert body["Message"] == "NUMBER_VALUE cannot be converted to String"


@reference_differs  # DynamoDB Local answers 500 InternalFailure
def test_limit_wrong_json_type(raw):
    r = raw(b'{"Limit": "5"}', target="DynamoDB_20120810.ListTables")
    assert r.status == 400
    body = r.json()
    assert body["__type"] == "com.amazon.coral.service#SerializationException"
    assert body["Message"] == "STRING_VALUE cannot be converted to Integer"


@reference_differs  # DynamoDB Local answers MissingAuthenticationToken with another text
def test_missing_authorization(raw):
    r = raw(b"{}", auth=False)
    assert r.status == 400
    body = r.json()
    assert body["__type"] == "com.amazon.coral.service#MissingAuthenticationTokenException"
    assert body["message"] == "Request is missing Authentication Token"


def test_missing_authorization_rejected(raw):
    r = raw(b"{}", auth=False)
    assert r.status == 400
    assert "MissingAuthenticationToken" in r.json()["__type"]


def test_missing_table_name_validation(raw):
    r = raw(b"{}", target="DynamoDB_20120810.DescribeTable")
    assert r.status == 400
    body = r.json()
    assert body["__type"] == "com.amazon.coral.validate#ValidationException"
    msg = message_of(body, "message")
    if REFERENCE:
        assert msg == "Value null at 'tableName' failed to satisfy constraint: Member must not be null"
    else:
        assert msg == ("1 validation error detected: Value null at 'tableName' failed to satisfy constraint: "
                       "Member must not be null")


def test_resource_not_found_shape(raw):
    name = unique_name("missing")
    r = raw(json.dumps({"TableName": name}), target="DynamoDB_20120810.DescribeTable")
    assert r.status == 400
    body = r.json()
    assert body["__type"] == V + "ResourceNotFoundException"
    msg = message_of(body, "message")
    if not REFERENCE:
        assert msg == "Requested resource not found: Table: %s not found" % name


def test_successful_response_headers(raw):
    r = raw(b"{}", target="DynamoDB_20120810.ListTables")
    assert r.status == 200
    assert r.header("Content-Type") == "application/x-amz-json-1.0"
    assert r.header("x-amzn-RequestId")
    assert "TableNames" in r.json()


def test_crc32_header_matches_body(raw):
    r = raw(b"{}", target="DynamoDB_20120810.ListTables")
    assert r.status == 200
    crc = r.header("x-amz-crc32")
    assert crc is not None and crc.isdigit()
    assert int(crc) == zlib.crc32(r.body) & 0xFFFFFFFF


def test_crc32_on_larger_body(raw):
    name = unique_name("crc")
    body = {"TableName": name, "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]}
    r = raw(json.dumps(body), target="DynamoDB_20120810.CreateTable")
    try:
        assert r.status == 200, r.body
        assert len(r.body) > 200
        assert int(r.header("x-amz-crc32")) == zlib.crc32(r.body) & 0xFFFFFFFF
    finally:
        raw(json.dumps({"TableName": name}), target="DynamoDB_20120810.DeleteTable")


def test_request_ids_differ(raw):
    a = raw(b"{}").header("x-amzn-RequestId")
    b = raw(b"{}").header("x-amzn-RequestId")
    assert a and b and a != b


def test_error_response_headers(raw):
    r = raw(json.dumps({"TableName": unique_name("missing")}), target="DynamoDB_20120810.DescribeTable")
    assert r.status == 400
    assert r.header("Content-Type") == "application/x-amz-json-1.0"
    assert r.header("x-amzn-RequestId")


@reference_differs  # DynamoDB Local sends no x-amz-crc32 on errors
def test_error_response_crc32(raw):
    r = raw(json.dumps({"TableName": unique_name("missing")}), target="DynamoDB_20120810.DescribeTable")
    assert int(r.header("x-amz-crc32")) == zlib.crc32(r.body) & 0xFFFFFFFF


def test_json_content_type_accepted(raw):
    r = raw(b"{}", content_type="application/json")
    assert r.status == 200
    assert "TableNames" in r.json()


@reference_differs  # DynamoDB Local answers 400 MissingAuthenticationToken
def test_health_check(raw):
    r = raw(method="GET", target=None, auth=False, content_type=None)
    u = urlparse(ENDPOINT)
    assert r.status == 200
    assert r.body.decode().strip() == "healthy: %s:%d" % (u.hostname, u.port)


# ---------- the router's edge paths ----------

UNKNOWN_OP_XML = b"<UnknownOperationException/>\n"


@reference_differs  # DynamoDB Local answers 400 MissingAuthenticationToken
def test_health_check_without_host_header():
    """HTTP/1.0 without Host: the answer names the address ddbd listens on."""
    import socket
    u = urlparse(ENDPOINT)
    with socket.create_connection((u.hostname, u.port), timeout=10) as s:
        s.sendall(b"GET / HTTP/1.0\r\n\r\n")
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.split(b"\r\n")[0].split(b" ")[1] == b"200", head
    assert body.decode().strip() == "healthy: %s:%d" % (u.hostname, u.port)


@reference_differs  # DynamoDB Local answers 400 MissingAuthenticationToken
@pytest.mark.parametrize("method,path", [("PUT", "/"), ("DELETE", "/"), ("GET", "/other"), ("PATCH", "/")])
def test_other_methods_and_paths_are_404(raw, method, path):
    r = raw(b"{}", method=method, path=path)
    assert r.status == 404
    assert r.body == UNKNOWN_OP_XML


@reference_differs  # DynamoDB Local accepts any Content-Type
@pytest.mark.parametrize("ctype", ["text/plain", "application/xml", None])
def test_wrong_content_type_is_404(raw, ctype):
    r = raw(b"{}", content_type=ctype)
    assert r.status == 404
    assert r.body == UNKNOWN_OP_XML


@reference_differs  # DynamoDB Local answers 500 InternalFailure
def test_empty_body_is_serialization_exception(raw):
    r = raw(b"", target="DynamoDB_20120810.ListTables")
    assert r.status == 400
    assert r.json() == {"__type": "com.amazon.coral.service#SerializationException"}


@reference_differs  # DynamoDB Local does not check the signature's shape
@pytest.mark.parametrize("auth,message", [
    ("AWS4-HMAC-SHA256 Credential=k/20260101/us-east-1/dynamodb/aws4_request",
     "Authorization header requires 'Signature' parameter. Authorization header requires "
     "'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256 "
     "Credential=k/20260101/us-east-1/dynamodb/aws4_request"),
    ("AWS4-HMAC-SHA256 Credential=k/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Sig",
     "'Sig' not a valid key=value pair (missing equal-sign) in Authorization header: "
     "'AWS4-HMAC-SHA256 Credential=k/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Sig'."),
    ("AWS4-HMAC-SHA256 Credential=k/us-east-1, SignedHeaders=host, Signature=abc",
     "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, "
     "got 'k/us-east-1'"),
])
def test_malformed_authorization(raw, auth, message):
    r = raw(b"{}", auth=False, extra_headers={"Authorization": auth})
    assert r.status == 400
    assert r.json() == {"__type": "com.amazon.coral.service#IncompleteSignatureException", "message": message}


@reference_differs  # DynamoDB Local answers MissingAuthenticationToken with another text
def test_authorization_of_another_scheme_is_missing_token(raw):
    r = raw(b"{}", auth=False, extra_headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert r.status == 400
    assert r.json() == {"__type": "com.amazon.coral.service#MissingAuthenticationTokenException",
                        "message": "Request is missing Authentication Token"}
