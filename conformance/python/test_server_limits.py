"""What one client cannot take from the others: the in-flight memory budget
(ThrottlingException), --max-connections, and pipelining clients that never
read. ddbd is started by the tests (DDBD_BIN); skipped otherwise. Every loop is
bounded in count and time."""
import json
import os
import socket
import time
import urllib.request

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from ddbconf import make_client

DDBD_BIN = os.environ.get("DDBD_BIN")
pytestmark = pytest.mark.skipif(not DDBD_BIN, reason="DDBD_BIN is not set")

THROTTLE_TYPE = "com.amazon.coral.availability#ThrottlingException"
THROTTLE_MESSAGE = "Rate of requests exceeds the allowed throughput."


@pytest.fixture
def start(tmp_path):
    from test_durability import Server

    servers = []

    def run(*args):
        srv = Server(None, str(tmp_path), ["--in-memory", *args]).start()
        servers.append(srv)
        return srv

    yield run
    for srv in servers:
        srv.kill()


def raw_request(target, body):
    data = json.dumps(body).encode()
    head = ("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.0\r\n"
            "X-Amz-Target: DynamoDB_20120810.%s\r\n"
            "Authorization: AWS4-HMAC-SHA256 Credential=k/20240101/us-east-1/dynamodb/aws4_request, "
            "SignedHeaders=host, Signature=00\r\nX-Amz-Date: 20240101T000000Z\r\n"
            "Content-Length: %d\r\n\r\n" % (target, len(data)))
    return head.encode() + data


def post(endpoint, target, body):
    """(status, parsed body) of one request over urllib."""
    req = urllib.request.Request(endpoint + "/", data=raw_request(target, body).split(b"\r\n\r\n", 1)[1],
                                 headers={"Content-Type": "application/x-amz-json-1.0",
                                          "X-Amz-Target": "DynamoDB_20120810." + target,
                                          "Authorization": "AWS4-HMAC-SHA256 Credential=k/20240101/us-east-1/"
                                                           "dynamodb/aws4_request, SignedHeaders=host, Signature=00",
                                          "X-Amz-Date": "20240101T000000Z"})
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def make_table(client, name):
    client.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}])


def big_item(name):
    return {"TableName": name, "Item": {"k": {"S": "big"}, "v": {"S": "x" * 100000}}}


def test_throttling_when_the_request_memory_budget_is_spent(start):
    """A body over 64 KiB reserves 20 bytes a byte + 16 MiB before it is parsed; with a
    1 MB budget that never fits, and the answer is DynamoDB's throttling error (retryable),
    while small requests are never charged."""
    srv = start("--request-memory-budget", "1000000")
    client = make_client(srv.endpoint)
    make_table(client, "limits")
    client.put_item(TableName="limits", Item={"k": {"S": "small"}})
    status, body = post(srv.endpoint, "PutItem", big_item("limits"))
    assert status == 400
    assert body == {"__type": THROTTLE_TYPE, "message": THROTTLE_MESSAGE}
    c1 = boto3.client("dynamodb", endpoint_url=srv.endpoint, region_name="us-east-1",
                      aws_access_key_id="k", aws_secret_access_key="s",
                      config=Config(retries={"max_attempts": 1, "mode": "standard"}))
    with pytest.raises(ClientError) as e:
        c1.put_item(**big_item("limits"))
    assert e.value.response["Error"]["Code"] == "ThrottlingException"
    assert e.value.response["Error"]["Message"] == THROTTLE_MESSAGE
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    # the budget was given back: small requests still pass, and nothing was written
    assert "Item" not in client.get_item(TableName="limits", Key={"k": {"S": "big"}})
    assert client.get_item(TableName="limits", Key={"k": {"S": "small"}})["Item"] == {"k": {"S": "small"}}


def test_default_budget_admits_a_large_request(start):
    srv = start()
    client = make_client(srv.endpoint)
    make_table(client, "limits")
    client.put_item(**big_item("limits"))
    assert len(client.get_item(TableName="limits", Key={"k": {"S": "big"}})["Item"]["v"]["S"]) == 100000


def connect(port, timeout=5.0):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.settimeout(timeout)
    return s


class Answers:
    """Reads answers off a keep-alive connection, one at a time."""

    def __init__(self, sock):
        self.sock, self.buf = sock, b""

    def _more(self):
        try:
            chunk = self.sock.recv(65536)
        except ConnectionResetError:
            chunk = b""
        self.buf += chunk
        return bool(chunk)

    def next(self):
        """The status line of the next answer, or '' when the server closed."""
        while b"\r\n\r\n" not in self.buf:
            if not self._more():
                return ""
        head, _, rest = self.buf.partition(b"\r\n\r\n")
        length = int([h.split(b":")[1] for h in head.split(b"\r\n")
                      if h.lower().startswith(b"content-length:")][0])
        while len(rest) < length:
            if not self._more():
                return ""
            head, _, rest = self.buf.partition(b"\r\n\r\n")
        self.buf = rest[length:]
        return head.split(b"\r\n")[0].decode()


def read_answer(s):
    return Answers(s).next()


GET = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


def test_max_connections_waits_for_a_busy_slot_and_closes_an_idle_one(start):
    srv = start("--max-connections", "2", "--threads", "1")
    # two connections in the middle of a request: neither is idle
    a, b = connect(srv.port), connect(srv.port)
    for s in (a, b):
        s.sendall(b"GET / HTTP/1.1\r\n")
    time.sleep(0.2)
    c = connect(srv.port, timeout=1.0)
    c.sendall(GET)
    with pytest.raises(socket.timeout):
        c.recv(1)  # the third waits in the backlog
    # a finishes its request: it is answered, and then idle, so the waiting
    # client gets its place and a is closed
    a.sendall(b"Host: 127.0.0.1\r\n\r\n")
    assert read_answer(a) == "HTTP/1.1 200 OK"
    c.settimeout(10)
    assert read_answer(c) == "HTTP/1.1 200 OK"
    a.settimeout(10)
    assert a.recv(1) == b""
    b.sendall(b"Host: 127.0.0.1\r\n\r\n")
    b.settimeout(10)
    assert read_answer(b) == "HTTP/1.1 200 OK"
    for s in (a, b, c):
        s.close()


def test_a_client_that_pipelines_without_reading_is_closed_and_others_are_served(start):
    srv = start("--threads", "1")
    client = make_client(srv.endpoint)
    make_table(client, "limits")
    client.put_item(TableName="limits", Item={"k": {"S": "k"}, "v": {"S": "v" * 300000}})
    one = raw_request("GetItem", {"TableName": "limits", "Key": {"k": {"S": "k"}}})
    hogs = []
    for _ in range(8):
        s = connect(srv.port)
        s.setblocking(False)
        hogs.append(s)
    sent = [0] * len(hogs)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and min(sent) < 4 << 20:
        for i, s in enumerate(hogs):
            try:
                sent[i] += s.send(one * 64)
            except (BlockingIOError, OSError):
                pass
        # others are served meanwhile (within the client's read timeout; no timing asserted)
        assert client.get_item(TableName="limits", Key={"k": {"S": "k"}})["Item"]["k"] == {"S": "k"}
    # each hog was answered some requests, then closed: far fewer answers than requests
    for i, s in enumerate(hogs):
        s.setblocking(True)
        s.settimeout(10)
        answers, last, reader = 0, None, Answers(s)
        while answers < 100000:
            line = reader.next()
            if not line:
                break
            answers += 1
            last = line
        assert last == "HTTP/1.1 200 OK"
        assert answers < sent[i] // len(one)
        s.close()
