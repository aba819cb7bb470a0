"""Shared fixtures and helpers for the ddbd conformance suite (imported by conftest.py).

Environment:
  DDB_ENDPOINT   endpoint of the server under test (default http://127.0.0.1:8000)
  DDB_REFERENCE  set to 1 when the endpoint is DynamoDB Local; tests of behaviour where
                 DynamoDB Local is known to differ from AWS then skip (or check Local's
                 variant of the message, see expect_error).
  DDBD_BIN       path of the ddbd binary, for the server-control tests (test_durability.py).
  DDBD_LOG_DIR   folder where every ddbd the tests start writes its log (tools/dev.sh greps
                 them for sanitizer reports); the test's own temporary folder otherwise.
  DDB_DUMP_REQUESTS  a folder: every request a boto3 client of the suite sends is also
                 written there as one file, "<operation>\n<body>" (the input format of the
                 op_handlers fuzz target; tools/fuzz/seed_from_conformance.py).
"""
import http.client
import json
import os
import uuid
from urllib.parse import urlparse

import boto3
import botocore.exceptions
import pytest
from botocore.config import Config

ENDPOINT = os.environ.get("DDB_ENDPOINT", "http://127.0.0.1:8000")
REFERENCE = os.environ.get("DDB_REFERENCE", "") not in ("", "0")
REGION = "us-east-1"
ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

reference_differs = pytest.mark.skipif(
    REFERENCE, reason="DynamoDB Local differs from AWS here; the test encodes AWS behaviour")


def aws_differs(reason):
    """Marks a test that checks ddbd's answer where it knowingly differs from AWS's (the
    difference is recorded in protocol/MESSAGES-*.md); `pytest -m aws_differs` lists them."""
    return pytest.mark.aws_differs(reason=reason)
DUMP_DIR = os.environ.get("DDB_DUMP_REQUESTS")


def _dump_request(request, **kwargs):
    target = request.headers.get("X-Amz-Target", b"")
    if isinstance(target, bytes):
        target = target.decode()
    body = request.body or b""
    if isinstance(body, str):
        body = body.encode()
    op = target.rsplit(".", 1)[-1]
    with open(os.path.join(DUMP_DIR, uuid.uuid4().hex), "wb") as f:
        f.write(op.encode() + b"\n" + body)


def make_client(endpoint=ENDPOINT, read_timeout=20):
    # parameter_validation=False: the server, not botocore, must reject bad input.
    client = _make_client(endpoint, read_timeout)
    if DUMP_DIR:
        client.meta.events.register("before-send.dynamodb", _dump_request)
    return client


def _make_client(endpoint, read_timeout):
    return boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=Config(
            retries={"max_attempts": 1, "mode": "standard"},
            connect_timeout=5,
            read_timeout=read_timeout,
            parameter_validation=False,
            max_pool_connections=32,
        ),
    )


@pytest.fixture(scope="session")
def ddb():
    return make_client()


def unique_name(prefix="conf"):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:12])


def key_schema(hash_name="pk", hash_type="S", range_name=None, range_type=None):
    ks = [{"AttributeName": hash_name, "KeyType": "HASH"}]
    ad = [{"AttributeName": hash_name, "AttributeType": hash_type}]
    if range_name:
        ks.append({"AttributeName": range_name, "KeyType": "RANGE"})
        ad.append({"AttributeName": range_name, "AttributeType": range_type})
    return ks, ad


@pytest.fixture
def make_table(ddb):
    """Factory: make_table(hash_type='S', range_type=None, **extra) -> table name.

    Keys are named pk (and sk). Tables are deleted at teardown."""
    created = []

    def factory(hash_type="S", range_type=None, name=None, hash_name="pk", range_name="sk", **extra):
        name = name or unique_name()
        ks, ad = key_schema(hash_name, hash_type, range_name if range_type else None, range_type)
        params = dict(TableName=name, KeySchema=ks, AttributeDefinitions=ad)
        if "ProvisionedThroughput" not in extra and "BillingMode" not in extra:
            params["BillingMode"] = "PAY_PER_REQUEST"
        params.update(extra)
        ddb.create_table(**params)
        created.append(name)
        return name

    yield factory
    for name in created:
        try:
            ddb.delete_table(TableName=name)
        except botocore.exceptions.ClientError:
            pass


def expect_error(fn, code, message, local_message=None, **kwargs):
    """Call fn(**kwargs), assert it fails with error `code` and exact `message`.

    `message` is what AWS answers. When DynamoDB Local is known to word it differently,
    pass its wording as local_message: it is checked instead when DDB_REFERENCE is set."""
    with pytest.raises(botocore.exceptions.ClientError) as ei:
        fn(**kwargs)
    err = ei.value.response["Error"]
    assert err["Code"] == code, err
    want = local_message if (REFERENCE and local_message is not None) else message
    if want is not None:
        assert err["Message"] == want, err
    return ei.value.response


# ---- raw HTTP helpers (test_errors.py) ----

AUTH = ("AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=abc")


class RawResponse:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def json(self):
        return json.loads(self.body.decode("utf-8"))


def raw_request(body=b"{}", target="DynamoDB_20120810.ListTables", auth=True,
                content_type="application/x-amz-json-1.0", method="POST", path="/", extra_headers=None):
    u = urlparse(ENDPOINT)
    conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=10)
    headers = {"X-Amz-Date": "20260101T000000Z"}
    if target is not None:
        headers["X-Amz-Target"] = target
    if content_type is not None:
        headers["Content-Type"] = content_type
    if auth:
        headers["Authorization"] = AUTH
    if extra_headers:
        headers.update(extra_headers)
    if isinstance(body, str):
        body = body.encode("utf-8")
    try:
        conn.request(method, path, body=body if method == "POST" else None, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        return RawResponse(resp.status, resp.getheaders(), data)
    finally:
        conn.close()


@pytest.fixture
def raw():
    return raw_request
