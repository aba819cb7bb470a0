"""Server-control tests: ddbd is started by the tests themselves, stopped with SIGTERM or
killed with SIGKILL, restarted on the same data dir, and every acknowledged write must
still be there. Needs DDBD_BIN (path of the ddbd binary); skipped otherwise."""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request

import pytest

from ddbconf import key_schema, make_client, unique_name

DDBD_BIN = os.environ.get("DDBD_BIN")
pytestmark = pytest.mark.skipif(not DDBD_BIN, reason="DDBD_BIN is not set")

START_TIMEOUT = 30.0
STOP_TIMEOUT = 30.0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, data_dir, log_dir, extra_args=()):
        self.data_dir = data_dir
        self.extra_args = list(extra_args)
        self.proc = None
        self.port = None
        self.log = None
        # tools/dev.sh names DDBD_LOG_DIR and greps every log there for sanitizer reports
        shared = os.environ.get("DDBD_LOG_DIR")
        if shared:
            fd, self.log_path = tempfile.mkstemp(prefix="ddbd-", suffix=".log", dir=shared)
            os.close(fd)
        else:
            self.log_path = os.path.join(log_dir, "ddbd-%d.log" % id(self))

    @property
    def endpoint(self):
        return "http://127.0.0.1:%d" % self.port

    def start(self):
        self.port = free_port()
        args = [DDBD_BIN, "--host", "127.0.0.1", "--port", str(self.port)]
        if self.data_dir is not None:
            args += ["--data-dir", self.data_dir]
        args += self.extra_args
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("ddbd exited with %s during start-up:\n%s" % (self.proc.returncode, self.output()))
            try:
                with urllib.request.urlopen(self.endpoint + "/", timeout=1) as r:
                    body = r.read().decode()
                    if r.status == 200 and body.startswith("healthy"):
                        assert body.strip() == "healthy: 127.0.0.1:%d" % self.port, body
                        return self
            except (OSError, ValueError):
                pass
            time.sleep(0.05)
        self.kill()
        raise AssertionError("ddbd did not become healthy in %ss:\n%s" % (START_TIMEOUT, self.output()))

    def output(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode(errors="replace")
        except OSError:
            return ""

    def client(self):
        return make_client(self.endpoint)

    def stop(self, sig=signal.SIGTERM):
        """Sends sig (SIGTERM) and waits; returns the exit status."""
        self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
            raise AssertionError("ddbd did not exit within %ss of signal %d" % (STOP_TIMEOUT, sig))
        finally:
            self.log.close()
        return rc

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        if self.log:
            self.log.close()

    def restart(self):
        return self.start()


@pytest.fixture
def workdir():
    d = tempfile.mkdtemp(prefix="ddbd-conf-")
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture
def server(workdir):
    data = os.path.join(workdir, "data")
    os.makedirs(data)
    s = Server(data, workdir)
    s.start()
    yield s
    s.kill()


def create_table(c, range_type=None):
    name = unique_name("dur")
    ks, ad = key_schema("pk", "S", "sk" if range_type else None, range_type)
    c.create_table(TableName=name, KeySchema=ks, AttributeDefinitions=ad, BillingMode="PAY_PER_REQUEST")
    return name


def put_many(c, table, n, prefix="k", size=0):
    for i in range(n):
        item = {"pk": {"S": "%s%05d" % (prefix, i)}, "v": {"N": str(i)}}
        if size:
            item["blob"] = {"B": bytes([i % 256]) * size}
        c.put_item(TableName=table, Item=item)


def all_items(c, table):
    out, start = {}, None
    for _ in range(100000):
        kw = {"ExclusiveStartKey": start} if start else {}
        r = c.scan(TableName=table, **kw)
        for it in r["Items"]:
            out[it["pk"]["S"]] = it
        start = r.get("LastEvaluatedKey")
        if not start:
            return out
    raise AssertionError("scan did not end")


def test_start_prints_a_line_and_is_healthy(server):
    assert server.output().strip() != ""
    assert server.client().list_tables()["TableNames"] == []


def test_sigterm_exits_cleanly(server):
    assert server.stop() == 0


def test_items_survive_sigterm_restart(server):
    c = server.client()
    t = create_table(c)
    put_many(c, t, 300)
    assert server.stop() == 0
    server.restart()
    items = all_items(server.client(), t)
    assert len(items) == 300
    assert all(items["k%05d" % i]["v"] == {"N": str(i)} for i in range(300))


def test_sigint_exits_cleanly_and_items_survive(server):
    """SIGINT (Ctrl-C) shuts down as SIGTERM does: exit 0, promptly, nothing lost."""
    c = server.client()
    t = create_table(c)
    put_many(c, t, 100)
    started = time.monotonic()
    assert server.stop(signal.SIGINT) == 0
    assert time.monotonic() - started < 10, "ddbd took over 10 s to exit on SIGINT"
    server.restart()
    items = all_items(server.client(), t)
    assert len(items) == 100
    assert all(items["k%05d" % i]["v"] == {"N": str(i)} for i in range(100))


def test_items_survive_kill9(server):
    c = server.client()
    t = create_table(c)
    put_many(c, t, 300)
    server.kill()
    server.restart()
    items = all_items(server.client(), t)
    assert len(items) == 300
    assert all(items["k%05d" % i]["v"] == {"N": str(i)} for i in range(300))


def test_table_schema_survives_restart(server):
    c = server.client()
    t = create_table(c, range_type="N")
    before = c.describe_table(TableName=t)["Table"]
    server.kill()
    server.restart()
    after = server.client().describe_table(TableName=t)["Table"]
    for k in ("TableName", "KeySchema", "AttributeDefinitions", "TableArn", "CreationDateTime"):
        assert after[k] == before[k], k
    assert after["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert after["TableStatus"] == "ACTIVE"


def test_provisioned_throughput_survives_restart(server):
    c = server.client()
    name = unique_name("dur")
    ks, ad = key_schema()
    c.create_table(TableName=name, KeySchema=ks, AttributeDefinitions=ad,
                   ProvisionedThroughput={"ReadCapacityUnits": 3, "WriteCapacityUnits": 4})
    c.update_table(TableName=name, ProvisionedThroughput={"ReadCapacityUnits": 9, "WriteCapacityUnits": 8})
    server.stop()
    server.restart()
    pt = server.client().describe_table(TableName=name)["Table"]["ProvisionedThroughput"]
    assert (pt["ReadCapacityUnits"], pt["WriteCapacityUnits"]) == (9, 8)


def test_throughput_above_2_pow_53_survives_restart_exactly(server):
    """The catalog stores 9007199254740993 as an integer: read through a double it would
    come back as 9007199254740992 (issue 17 item 3)."""
    c = server.client()
    name = unique_name("dur")
    ks, ad = key_schema()
    c.create_table(TableName=name, KeySchema=ks, AttributeDefinitions=ad,
                   ProvisionedThroughput={"ReadCapacityUnits": 9007199254740993, "WriteCapacityUnits": 1})
    before = c.describe_table(TableName=name)["Table"]
    server.stop()
    server.restart()
    after = server.client().describe_table(TableName=name)["Table"]
    assert after["ProvisionedThroughput"]["ReadCapacityUnits"] == 9007199254740993
    assert after["CreationDateTime"] == before["CreationDateTime"]


def test_deleted_table_stays_deleted(server):
    c = server.client()
    keep = create_table(c)
    gone = create_table(c)
    c.put_item(TableName=gone, Item={"pk": {"S": "x"}})
    c.delete_table(TableName=gone)
    server.kill()
    server.restart()
    names = server.client().list_tables()["TableNames"]
    assert keep in names and gone not in names


def test_recreated_table_starts_empty_after_restart(server):
    c = server.client()
    t = create_table(c)
    c.put_item(TableName=t, Item={"pk": {"S": "old"}})
    c.delete_table(TableName=t)
    ks, ad = key_schema()
    c.create_table(TableName=t, KeySchema=ks, AttributeDefinitions=ad, BillingMode="PAY_PER_REQUEST")
    c.put_item(TableName=t, Item={"pk": {"S": "new"}})
    server.kill()
    server.restart()
    assert set(all_items(server.client(), t)) == {"new"}


def test_updates_and_deletes_survive_kill9(server):
    c = server.client()
    t = create_table(c)
    put_many(c, t, 100)
    for i in range(0, 100, 2):
        c.delete_item(TableName=t, Key={"pk": {"S": "k%05d" % i}})
    for i in range(1, 100, 2):
        c.update_item(TableName=t, Key={"pk": {"S": "k%05d" % i}}, UpdateExpression="SET v = :v, w = :w",
                      ExpressionAttributeValues={":v": {"N": str(i * 2)}, ":w": {"S": "upd"}})
    server.kill()
    server.restart()
    items = all_items(server.client(), t)
    assert sorted(items) == ["k%05d" % i for i in range(1, 100, 2)]
    for i in range(1, 100, 2):
        assert items["k%05d" % i]["v"] == {"N": str(i * 2)}
        assert items["k%05d" % i]["w"] == {"S": "upd"}


def test_large_items_survive_kill9(server):
    c = server.client()
    t = create_table(c)
    put_many(c, t, 20, size=300 * 1024)
    server.kill()
    server.restart()
    items = all_items(server.client(), t)
    assert len(items) == 20
    for i in range(20):
        assert items["k%05d" % i]["blob"]["B"] == bytes([i % 256]) * (300 * 1024)


def test_acknowledged_concurrent_writes_survive_kill9(server):
    c = server.client()
    t = create_table(c)
    acked = {}
    lock = threading.Lock()
    stop = threading.Event()

    def writer(w):
        cl = server.client()
        for i in range(100000):
            if stop.is_set():
                return
            key = "w%d-%06d" % (w, i)
            try:
                cl.put_item(TableName=t, Item={"pk": {"S": key}, "v": {"N": str(i)}})
            except Exception:
                return  # server gone: this write was not acknowledged
            with lock:
                acked[key] = i

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(8)]
    for th in threads:
        th.start()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with lock:
            if len(acked) >= 400:
                break
        time.sleep(0.01)
    server.kill()
    stop.set()
    for th in threads:
        th.join(30)
    assert len(acked) >= 50, "too few writes acknowledged before the kill"
    server.restart()
    items = all_items(server.client(), t)
    missing = [k for k in acked if k not in items]
    assert not missing, "%d acknowledged writes lost, e.g. %s" % (len(missing), missing[:5])
    for k, i in acked.items():
        assert items[k]["v"] == {"N": str(i)}


def test_several_restarts_accumulate(server):
    for gen in range(3):
        c = server.client()
        if gen == 0:
            t = create_table(c)
        put_many(c, t, 50, prefix="g%d-" % gen)
        if gen % 2:
            server.stop()
        else:
            server.kill()
        server.restart()
    items = all_items(server.client(), t)
    assert len(items) == 150


def test_writes_after_restart_survive_next_kill(server):
    c = server.client()
    t = create_table(c)
    put_many(c, t, 10, prefix="a")
    server.kill()
    server.restart()
    put_many(server.client(), t, 10, prefix="b")
    server.kill()
    server.restart()
    assert len(all_items(server.client(), t)) == 20


def test_in_memory_mode_serves_requests(workdir):
    s = Server(None, workdir, ["--in-memory"])
    s.start()
    try:
        c = s.client()
        t = create_table(c)
        c.put_item(TableName=t, Item={"pk": {"S": "m"}})
        assert c.get_item(TableName=t, Key={"pk": {"S": "m"}})["Item"] == {"pk": {"S": "m"}}
    finally:
        s.kill()
