"""TransactWriteItems' ClientRequestToken: a replay within the window never applies twice,
whatever the traffic in between and across a restart; expiry; the mismatch and in-progress
errors; a replay's ConsumedCapacity (protocol/MESSAGES-txn.md, server/idempotency.h).
The restart and expiry tests start their own ddbd (DDBD_BIN, as test_durability.py)."""
import http.client
import json
import os
import threading
import time
import uuid
from urllib.parse import urlparse

import botocore.exceptions
import pytest

from ddbconf import AUTH, ENDPOINT, REFERENCE, expect_error, reference_differs
from test_durability import Server, create_table

DDBD_BIN = os.environ.get("DDBD_BIN")
needs_bin = pytest.mark.skipif(not DDBD_BIN, reason="DDBD_BIN is not set")

MISMATCH = ("DynamoDB rejected the request because you retried a request with a different "
            "payload but with an idempotent token that was already used.")
IN_PROGRESS = "Transaction from previous request is still in progress"


def add_one(table, k):
    return {"Update": {"TableName": table, "Key": {"pk": {"S": k}},
                       "UpdateExpression": "ADD c :one",
                       "ExpressionAttributeValues": {":one": {"N": "1"}}}}


def counter(c, table, k):
    item = c.get_item(TableName=table, Key={"pk": {"S": k}}, ConsistentRead=True).get("Item")
    return None if item is None else int(item["c"]["N"])


@pytest.fixture
def t1(make_table):
    return make_table()


class RawTxn:
    """TransactWriteItems over one keep-alive connection (thousands of requests in seconds)."""

    def __init__(self, endpoint=ENDPOINT):
        u = urlparse(endpoint)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=20)
        self.headers = {"X-Amz-Target": "DynamoDB_20120810.TransactWriteItems",
                        "Content-Type": "application/x-amz-json-1.0",
                        "X-Amz-Date": "20260101T000000Z", "Authorization": AUTH}

    def send(self, body):
        self.conn.request("POST", "/", body=json.dumps(body), headers=self.headers)
        r = self.conn.getresponse()
        return r.status, json.loads(r.read() or b"{}")

    def close(self):
        self.conn.close()


def test_replay_after_4100_other_tokens(ddb, t1):
    """More tokens than the old in-memory table held (4,096): the replay still finds its own."""
    tok = uuid.uuid4().hex
    ddb.transact_write_items(TransactItems=[add_one(t1, "n")], ClientRequestToken=tok)
    ddb.put_item(TableName=t1, Item={"pk": {"S": "base"}})
    raw = RawTxn()
    try:
        check = {"ConditionCheck": {"TableName": t1, "Key": {"pk": {"S": "base"}},
                                    "ConditionExpression": "attribute_exists(pk)"}}
        prefix = uuid.uuid4().hex[:8]
        for i in range(4100):
            status, body = raw.send({"TransactItems": [check],
                                     "ClientRequestToken": "%s-%d" % (prefix, i)})
            assert status == 200, body
    finally:
        raw.close()
    ddb.transact_write_items(TransactItems=[add_one(t1, "n")], ClientRequestToken=tok)
    assert counter(ddb, t1, "n") == 1  # applied once
    expect_error(ddb.transact_write_items, "IdempotentParameterMismatchException", MISMATCH,
                 local_message="", TransactItems=[add_one(t1, "other")], ClientRequestToken=tok)


@reference_differs  # DynamoDB Local answers a replay {} (no ConsumedCapacity)
def test_replay_consumed_capacity(ddb, t1):
    """The first call reports write units; a replay the transactional read units of each
    item, on the larger of its images before and after (9,000 bytes: 3 read units, x2)."""
    ddb.put_item(TableName=t1, Item={"pk": {"S": "big"}, "b": {"B": b"x" * 9000}})
    tok = uuid.uuid4().hex
    items = [{"Delete": {"TableName": t1, "Key": {"pk": {"S": "big"}}}}, add_one(t1, "n")]
    first = ddb.transact_write_items(TransactItems=items, ClientRequestToken=tok,
                                     ReturnConsumedCapacity="TOTAL")
    assert first["ConsumedCapacity"] == [{"TableName": t1, "CapacityUnits": 20.0}]
    again = ddb.transact_write_items(TransactItems=items, ClientRequestToken=tok,
                                     ReturnConsumedCapacity="TOTAL")
    assert again["ConsumedCapacity"] == [{"TableName": t1, "CapacityUnits": 8.0}]
    assert "ItemCollectionMetrics" not in again
    plain = ddb.transact_write_items(TransactItems=items, ClientRequestToken=tok)
    assert "ConsumedCapacity" not in plain
    assert counter(ddb, t1, "n") == 1


@reference_differs  # DynamoDB Local's message is empty
def test_mismatch_message(ddb, t1):
    tok = uuid.uuid4().hex
    ddb.transact_write_items(TransactItems=[add_one(t1, "n")], ClientRequestToken=tok)
    expect_error(ddb.transact_write_items, "IdempotentParameterMismatchException", MISMATCH,
                 TransactItems=[add_one(t1, "n"), add_one(t1, "m")], ClientRequestToken=tok)
    assert counter(ddb, t1, "m") is None


def test_concurrent_same_token(ddb, t1):
    """Eight clients send one transaction with one token at once: it applies once; each
    answer is success (it ran, or replayed) or TransactionInProgressException."""
    from ddbconf import make_client
    tok = uuid.uuid4().hex
    items = [add_one(t1, "k%02d" % i) for i in range(50)]
    clients = [make_client() for _ in range(8)]
    barrier = threading.Barrier(len(clients))
    answers = [None] * len(clients)

    def worker(i):
        barrier.wait(10)
        try:
            clients[i].transact_write_items(TransactItems=items, ClientRequestToken=tok)
            answers[i] = "ok"
        except botocore.exceptions.ClientError as e:
            answers[i] = (e.response["Error"]["Code"], e.response["Error"]["Message"])

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    for a in answers:
        assert a == "ok" or a == ("TransactionInProgressException", IN_PROGRESS), a
    assert "ok" in answers
    for i in range(50):
        assert counter(ddb, t1, "k%02d" % i) == 1
    # once the runs are over, the same request replays
    ddb.transact_write_items(TransactItems=items, ClientRequestToken=tok)
    assert counter(ddb, t1, "k00") == 1


@pytest.fixture
def workdir(tmp_path):
    return str(tmp_path)


@needs_bin
@pytest.mark.skipif(REFERENCE, reason="starts ddbd")
def test_replay_after_restart(workdir):
    """The token is in the transaction's own WriteBatch: a killed and restarted server still
    knows it."""
    data = os.path.join(workdir, "data")
    os.makedirs(data)
    s = Server(data, workdir).start()
    try:
        c = s.client()
        t = create_table(c)
        tok = uuid.uuid4().hex
        c.transact_write_items(TransactItems=[add_one(t, "n")], ClientRequestToken=tok)
        s.kill()  # SIGKILL: no orderly shutdown
        s.restart()
        c = s.client()
        c.transact_write_items(TransactItems=[add_one(t, "n")], ClientRequestToken=tok)
        assert counter(c, t, "n") == 1
        expect_error(c.transact_write_items, "IdempotentParameterMismatchException", MISMATCH,
                     TransactItems=[add_one(t, "m")], ClientRequestToken=tok)
        assert s.stop() == 0
        s.restart()
        c = s.client()
        c.transact_write_items(TransactItems=[add_one(t, "n")], ClientRequestToken=tok)
        assert counter(c, t, "n") == 1
    finally:
        s.kill()


@needs_bin
@pytest.mark.skipif(REFERENCE, reason="starts ddbd")
def test_token_expiry(workdir):
    """--token-ttl-seconds 1: within the window a replay does not apply; after it the
    token is new again (DynamoDB's window is 10 minutes)."""
    s = Server(None, workdir, ["--in-memory", "--token-ttl-seconds", "1"]).start()
    try:
        c = s.client()
        t = create_table(c)
        tok = uuid.uuid4().hex
        c.transact_write_items(TransactItems=[add_one(t, "n")], ClientRequestToken=tok)
        c.transact_write_items(TransactItems=[add_one(t, "n")], ClientRequestToken=tok)
        assert counter(c, t, "n") == 1
        time.sleep(1.2)
        c.transact_write_items(TransactItems=[add_one(t, "n")], ClientRequestToken=tok)
        assert counter(c, t, "n") == 2
        time.sleep(1.2)  # expired again: a different request with the token runs
        c.transact_write_items(TransactItems=[add_one(t, "m")], ClientRequestToken=tok)
        assert counter(c, t, "m") == 1
        expect_error(c.transact_write_items, "IdempotentParameterMismatchException", MISMATCH,
                     TransactItems=[add_one(t, "n")], ClientRequestToken=tok)
    finally:
        s.kill()


@needs_bin
@pytest.mark.skipif(REFERENCE, reason="starts ddbd")
@pytest.mark.parametrize("value", ["0", "601", "x"])
def test_token_ttl_flag_bounds(workdir, value):
    import subprocess
    r = subprocess.run([DDBD_BIN, "--token-ttl-seconds", value], capture_output=True, timeout=10)
    assert r.returncode == 2
    assert (b"--token-ttl-seconds must be a number from 1 to 600, not '%s'" % value.encode()
            in r.stderr)
