"""HTTP/1.1 framing: ambiguous Content-Length / Transfer-Encoding, and bodies over the cap.

RFC 9112 section 6.3: a request with two Content-Length lines, or Content-Length together with
Transfer-Encoding, has no single body boundary (request smuggling); the server answers 400 and
closes the connection. AWS does not document what its front end answers; DynamoDB Local (Jetty)
answers 400 with an HTML page; ddbd answers 400 with DynamoDB's headers and the envelope it sends
for a body it cannot read (protocol/MESSAGES-http.md). A body over 16 MiB gets DynamoDB's 413,
and the client must be able to read it even when it sends the whole body before reading (Python's
http.client, botocore), so the server reads and discards the rest instead of resetting the
connection (server/http_framing.h).

Raw sockets throughout: every socket has a timeout and every loop a bound.
"""
import json
import socket
import time
import zlib
from urllib.parse import urlparse

import botocore.exceptions
import pytest

from ddbconf import AUTH, ENDPOINT, REFERENCE, make_client, reference_differs

CAP = 16 * 1024 * 1024
SER = "com.amazon.coral.service#SerializationException"
TOO_LARGE = "com.amazon.coral.service#RequestEntityTooLargeException"
_u = urlparse(ENDPOINT)
HOST, PORT = _u.hostname, _u.port or 80


def head(*extra, target="DynamoDB_20120810.ListTables"):
    lines = ["POST / HTTP/1.1", "Host: %s:%d" % (HOST, PORT),
             "Content-Type: application/x-amz-json-1.0", "X-Amz-Target: " + target,
             "X-Amz-Date: 20260101T000000Z", "Authorization: " + AUTH]
    return ("\r\n".join(lines + list(extra)) + "\r\n\r\n").encode()


_unread = {}  # id(socket) -> bytes read past the last answer (pipelined answers)


def connect():
    s = socket.create_connection((HOST, PORT), timeout=10)
    s.settimeout(10)
    _unread.pop(id(s), None)  # left by a closed socket that had the same id
    return s


class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def header(self, name):
        return self.headers.get(name.lower())


def read_answer(s, deadline_s=20):
    """Reads one HTTP/1.1 answer (Content-Length framed) from s; skips a 100 Continue."""
    data = _unread.pop(id(s), b"")
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        while b"\r\n\r\n" in data:
            top, _, rest = data.partition(b"\r\n\r\n")
            lines = top.decode("latin-1").split("\r\n")
            status = int(lines[0].split()[1])
            if status == 100:
                data = rest
                continue
            headers = {}
            for ln in lines[1:]:
                k, _, v = ln.partition(":")
                headers[k.strip().lower()] = v.strip()
            n = int(headers.get("content-length", "0"))
            while len(rest) < n and time.monotonic() < end:
                d = s.recv(65536)
                if not d:
                    break
                rest += d
            assert len(rest) >= n, (status, headers, rest)
            if len(rest) > n:
                _unread[id(s)] = rest[n:]
            return Answer(status, headers, rest[:n])
        d = s.recv(65536)
        if not d:
            break
        data += d
    raise AssertionError("no complete answer: %r" % data[:300])


def closed_by_server(s, deadline_s=10):
    """True when the server closes s (EOF or reset) within deadline_s, reading at most 1 MiB."""
    end = time.monotonic() + deadline_s
    got = 0
    while time.monotonic() < end and got < (1 << 20):
        try:
            d = s.recv(65536)
        except ConnectionResetError:
            return True
        except socket.timeout:
            return False
        if not d:
            return True
        got += len(d)
    return False


def exchange(raw):
    s = connect()
    try:
        s.sendall(raw)
        a = read_answer(s)
        a.closed = closed_by_server(s)
        return a
    finally:
        s.close()


def send_body(s, total, chunked=False, piece=1 << 16):
    """Sends total bytes of body (chunked: in chunks of piece, then the last chunk); returns the
    bytes sent before the server refused more (a reset), so callers can assert it is all."""
    sent = 0
    blob = b"x" * piece
    try:
        while sent < total:
            n = min(piece, total - sent)
            s.sendall(b"%x\r\n%s\r\n" % (n, blob[:n]) if chunked else blob[:n])
            sent += n
        if chunked:
            s.sendall(b"0\r\n\r\n")
    except (ConnectionResetError, BrokenPipeError):
        pass
    return sent


def assert_envelope(a, type_):
    """DynamoDB's answer: its headers, a CRC-32 of the body, the envelope without a message."""
    assert a.header("content-type") == "application/x-amz-json-1.0"
    assert a.header("x-amzn-requestid") and len(a.header("x-amzn-requestid")) == 52
    assert int(a.header("x-amz-crc32")) == zlib.crc32(a.body) & 0xFFFFFFFF
    assert json.loads(a.body) == {"__type": type_}


def still_serving():
    s = connect()
    try:
        s.sendall(head("Content-Length: 2") + b"{}")
        a = read_answer(s)
        assert a.status == 200, a.body
        assert "TableNames" in json.loads(a.body)
    finally:
        s.close()


# ---- ambiguous framing: 400 and close ----

AMBIGUOUS = {
    "two different Content-Length": (("Content-Length: 2", "Content-Length: 3"), b"{} "),
    # RFC 9110 8.6 allows a server to accept equal repeats; ddbd refuses them like nginx,
    # Node and DynamoDB Local's Jetty (server/http_head.h).
    "two equal Content-Length": (("Content-Length: 2", "Content-Length: 2"), b"{}"),
    "Content-Length then chunked": (("Content-Length: 2", "Transfer-Encoding: chunked"),
                                    b"2\r\n{}\r\n0\r\n\r\n"),
    "chunked then Content-Length": (("Transfer-Encoding: chunked", "Content-Length: 13"),
                                    b"2\r\n{}\r\n0\r\n\r\n"),
    "chunked twice": (("Transfer-Encoding: chunked", "Transfer-Encoding: chunked"),
                      b"2\r\n{}\r\n0\r\n\r\n"),
}


@pytest.mark.parametrize("case", sorted(AMBIGUOUS))
def test_ambiguous_framing_is_400_and_closes(case):
    lines, body = AMBIGUOUS[case]
    a = exchange(head(*lines) + body)
    assert a.status == 400, (a.headers, a.body)
    assert a.header("connection") == "close"
    assert a.closed
    still_serving()


@reference_differs  # Local (Jetty) answers an HTML page
@pytest.mark.parametrize("case", sorted(AMBIGUOUS))
def test_ambiguous_framing_answer_is_dynamodbs(case):
    lines, body = AMBIGUOUS[case]
    assert_envelope(exchange(head(*lines) + body), SER)


def test_one_content_length_or_chunked_alone_is_fine():
    for raw in (head("Content-Length: 2") + b"{}",
                head("Transfer-Encoding: chunked") + b"2\r\n{}\r\n0\r\n\r\n"):
        s = connect()
        try:
            s.sendall(raw)
            a = read_answer(s)
            assert a.status == 200, a.body
            assert a.header("connection") != "close"
        finally:
            s.close()


def test_pipelined_requests_are_each_checked():
    """Three requests in one write: the framing check reads each request's own head."""
    ok = head("Content-Length: 2") + b"{}"
    bad = head("Content-Length: 2", "Content-Length: 3") + b"{} "
    s = connect()
    try:
        s.sendall(ok + ok + bad)
        assert [read_answer(s).status for _ in range(3)] == [200, 200, 400]
    finally:
        s.close()


def test_smuggled_request_is_never_answered():
    """Content-Length 0 frames an empty body; chunked framing would read the second request as
    this one's body. The server answers once (400) and closes: the second is never run."""
    inner = head("Content-Length: 2", target="DynamoDB_20120810.DescribeLimits") + b"{}"
    s = connect()
    try:
        s.sendall(head("Content-Length: 0", "Transfer-Encoding: chunked") +
                  b"0\r\n\r\n" + inner)
        data = b""
        end = time.monotonic() + 10
        while time.monotonic() < end and len(data) < (1 << 20):
            try:
                d = s.recv(65536)
            except ConnectionResetError:
                break
            if not d:
                break
            data += d
    finally:
        s.close()
    assert data.startswith(b"HTTP/1.1 400 "), data[:200]
    assert data.count(b"HTTP/1.1 ") == 1, data


@reference_differs  # Local (Jetty) answers these with an HTML page
@pytest.mark.parametrize("lines,body", [
    (("Content-Length: 2, 2",), b"{}"),                    # not a number
    (("Transfer-Encoding: gzip",), b"{}"),                 # not chunked
    (("Transfer-Encoding: chunked",), b"zz\r\n{}\r\n0\r\n\r\n"),  # broken chunk size
    (("Content-Length: 2", " 3"), b"{}"),                  # a folded Content-Length
])
def test_other_framing_errors_get_the_same_400(lines, body):
    a = exchange(head(*lines) + body)
    assert a.status == 400, (a.headers, a.body)
    assert a.header("connection") == "close"
    assert_envelope(a, SER)
    still_serving()


# ---- bodies over the cap: 413 the client can read ----

def test_body_over_cap_without_expect_reads_413():
    """The client sends all 17 MiB before reading (no Expect): no reset, the 413 is there, and
    the server closes once the declared body is in (not at the drain's time bound)."""
    total = CAP + (1 << 20)
    s = connect()
    try:
        s.sendall(head("Content-Length: %d" % total))
        assert send_body(s, total) == total
        a = read_answer(s)
        assert a.status == 413, (a.headers, a.body)
        if not REFERENCE:  # Local reads the whole body and keeps the connection
            assert a.header("connection") == "close"
            assert_envelope(a, TOO_LARGE)
            assert closed_by_server(s, deadline_s=10)
    finally:
        s.close()
    still_serving()


@reference_differs  # Local sends 100 Continue and reads the body first
def test_body_over_cap_with_expect_gets_413_before_100():
    total = CAP + 1
    s = connect()
    try:
        s.sendall(head("Content-Length: %d" % total, "Expect: 100-continue"))
        a = read_answer(s)  # would skip a 100 Continue: a server that sent one fails below
        assert a.status == 413, (a.headers, a.body)
        if not REFERENCE:
            assert_envelope(a, TOO_LARGE)
    finally:
        s.close()
    still_serving()


def test_body_at_cap_is_read():
    """16 MiB exactly is not over the cap: the body is read (and is not JSON)."""
    s = connect()
    try:
        s.sendall(head("Content-Length: %d" % CAP))
        assert send_body(s, CAP) == CAP
        a = read_answer(s)
        assert a.status != 413, (a.headers, a.body)
        if not REFERENCE:  # Local answers 500 InternalFailure to this body
            assert a.status == 400, (a.headers, a.body)
            assert json.loads(a.body)["__type"] == SER
    finally:
        s.close()


def test_chunked_body_growing_past_cap_reads_413():
    """A chunked body has no declared size: the 413 comes once the decoded bytes reach the cap;
    the rest is drained until the client closes (bounded), so the client can read it."""
    total = CAP + (1 << 20)
    s = connect()
    try:
        s.sendall(head("Transfer-Encoding: chunked"))
        assert send_body(s, total, chunked=True) == total
        a = read_answer(s)
        assert a.status == 413, (a.headers, a.body)
        if not REFERENCE:  # Local: 413 {"Message":""}, connection kept
            assert a.header("connection") == "close"
            assert_envelope(a, TOO_LARGE)
    finally:
        s.close()
    still_serving()


def test_botocore_reads_413_for_an_over_cap_request():
    ddb = make_client()
    with pytest.raises(botocore.exceptions.ClientError) as ei:
        ddb.put_item(TableName="framing-over-cap", Item={"pk": {"S": "x" * (CAP + 1024)}})
    assert ei.value.response["ResponseMetadata"]["HTTPStatusCode"] == 413
    if not REFERENCE:
        assert ei.value.response["Error"]["Code"] == "RequestEntityTooLargeException"


@reference_differs  # Local sends 100 Continue for an over-cap body
def test_many_refused_connections_then_normal_service():
    """Twenty framing refusals and over-cap refusals in a row (bounded), then normal answers."""
    for i in range(10):
        a = exchange(head("Content-Length: 2", "Content-Length: 3") + b"{} ")
        assert a.status == 400
        s = connect()
        try:
            s.sendall(head("Content-Length: %d" % (CAP + 1), "Expect: 100-continue"))
            assert read_answer(s).status == 413
        finally:
            s.close()
    for i in range(5):
        still_serving()
