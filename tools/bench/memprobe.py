#!/usr/bin/python3
"""memprobe.py: what hostile clients cost a running ddbd (memory, CPU), and
whether other clients are still served meanwhile. Raw sockets, no SDK.

Every scenario is bounded in connections, bytes and seconds, samples the
server's RSS (VmRSS) and peak (VmHWM) from /proc/PID/status, and times a
`GET /` on a fresh connection once a second ("probe"). Figures go to stdout.

  stuck   CONNS connections (default 250) each pipeline requests and never
          read an answer, for SECONDS (one the server closes is reopened at
          once); then they close and the idle RSS is taken after IDLE seconds.
  bigjson CONNS connections (default 32) each send one BODY_MIB MiB
          adversarial body (nested arrays of zeros, the JSON reader's worst
          case per byte, inside a PutItem) and read the answer; the answers'
          __type are counted.
  idle    CONNS idle connections (default 1100; run ddbd under
          `ulimit -n 1024` to see EMFILE), then ddbd's CPU over SECONDS from
          /proc/PID/stat.

Commands behind the README's figures (ddbd from build/, --threads 8):
  build/server/ddbd --in-memory --port 8123 --threads 8 &
  /usr/bin/python3 tools/bench/memprobe.py stuck   --port 8123 --pid $!
  /usr/bin/python3 tools/bench/memprobe.py bigjson --port 8123 --pid $!
  (ulimit -n 1024; build/server/ddbd --in-memory --port 8123 --threads 8 &
   /usr/bin/python3 tools/bench/memprobe.py idle --port 8123 --pid $!)
"""
import argparse
import os
import resource
import select
import socket
import sys
import time


def rss_kib(pid, key="VmRSS"):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def mib(kib):
    return "gone" if kib is None else f"{kib / 1024:.0f} MiB"


def request(target, body):
    head = (f"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: application/x-amz-json-1.0\r\n"
            f"X-Amz-Target: DynamoDB_20120810.{target}\r\n"
            f"Authorization: AWS4-HMAC-SHA256 Credential=k/20240101/us-east-1/dynamodb/aws4_request, "
            f"SignedHeaders=host, Signature=00\r\nX-Amz-Date: 20240101T000000Z\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


def probe(port, timeout=5.0):
    """GET / on a fresh connection: (status line or error, seconds)."""
    t0 = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            data = b""
            while b"\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
            line = data.split(b"\r\n", 1)[0].decode(errors="replace") or "closed"
    except OSError as e:
        line = f"error: {e}"
    return line, time.monotonic() - t0


class Watch:
    """RSS samples and one probe a second."""

    probe_timeout = 5.0

    def __init__(self, pid, port):
        self.pid, self.port = pid, port
        self.peak = 0
        self.next_probe = 0.0
        self.probes = []

    def tick(self):
        r = rss_kib(self.pid)
        if r is not None:
            self.peak = max(self.peak, r)
        now = time.monotonic()
        if now >= self.next_probe:
            self.probes.append(probe(self.port, self.probe_timeout))
            self.next_probe = time.monotonic() + 1.0

    def report(self):
        ok = [t for line, t in self.probes if " 200 " in line]
        bad = [line for line, t in self.probes if " 200 " not in line]
        print(f"peak RSS sampled {mib(self.peak)}; VmHWM {mib(rss_kib(self.pid, 'VmHWM'))}")
        if ok:
            print(f"probes: {len(ok)}/{len(self.probes)} answered 200, latency "
                  f"max {max(ok) * 1000:.1f} ms, median {sorted(ok)[len(ok) // 2] * 1000:.1f} ms")
        else:
            print(f"probes: none of {len(self.probes)} answered")
        for line in bad[:3]:
            print(f"  failed probe: {line}")


def connect_many(port, n):
    socks = []
    for _ in range(n):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
        except OSError as e:
            print(f"connect {len(socks)}: {e}")
            break
        s.setblocking(False)
        socks.append(s)
    return socks


def idle_rss(w, seconds):
    time.sleep(seconds)
    print(f"idle RSS after {seconds:.0f} s: {mib(rss_kib(w.pid))}")


def call(port, target, body):
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(request(target, body))
        answer = b""
        while not complete(answer):
            chunk = s.recv(65536)
            if not chunk:
                break
            answer += chunk
    return answer.split(b"\r\n", 1)[0].decode(errors="replace")


def stuck(a):
    w = Watch(a.pid, a.port)
    if a.item_kib:
        call(a.port, "CreateTable", b'{"TableName":"memprobe","BillingMode":"PAY_PER_REQUEST",'
             b'"AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"}],'
             b'"KeySchema":[{"AttributeName":"k","KeyType":"HASH"}]}')
        item = b'{"TableName":"memprobe","Item":{"k":{"S":"k"},"v":{"S":"' + \
            b"v" * (a.item_kib * 1024 - 16) + b'"}}}'
        print(f"PutItem of a {a.item_kib} KiB item: {call(a.port, 'PutItem', item)}")
    print(f"start RSS {mib(rss_kib(a.pid))}")
    key = b"k" if a.item_kib else b"x" * a.key_bytes
    body = b'{"TableName":"memprobe","Key":{"k":{"S":"' + key + b'"}}}'
    one = request("GetItem", body)
    burst = one * max(1, (1 << 20) // len(one))
    socks = connect_many(a.port, a.conns)
    sent = [0] * len(socks)
    closed = 0
    end = time.monotonic() + a.seconds
    while time.monotonic() < end and socks:
        _, writable, _ = select.select([], socks, [], 0.2)
        for s in writable:
            i = socks.index(s)
            try:
                sent[i] += s.send(burst)
            except BlockingIOError:
                pass
            except OSError:
                # closed by the server: a hostile client comes straight back
                closed += 1
                s.close()
                fresh = connect_many(a.port, 1)
                if fresh:
                    socks[i] = fresh[0]
                else:
                    del socks[i], sent[i]
        w.tick()
    total = sum(sent)
    print(f"{a.conns} never-reading connections sent {total / 2**20:.0f} MiB "
          f"({total // len(one)} requests) in {a.seconds} s; the server closed {closed} "
          f"(each reopened at once)")
    w.report()
    for s in socks:
        s.close()
    idle_rss(w, a.idle)


def complete(answer):
    head, sep, body = answer.partition(b"\r\n\r\n")
    if not sep:
        return False
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":")[1])
    return False


def bigjson(a):
    w = Watch(a.pid, a.port)
    print(f"start RSS {mib(rss_kib(a.pid))}")
    n = a.body_mib * 2**20
    inner = b"[" + b"0," * 49999 + b"0]"  # 100,000 zeros: the member cap
    prefix, suffix = b'{"TableName":"memprobe","Item":{"x":{"L":[', b"]}}}"
    count = max(1, (n - len(prefix) - len(suffix)) // (len(inner) + 1))
    body = prefix + b",".join([inner] * count) + suffix
    msg = request("PutItem", body)
    socks = connect_many(a.port, a.conns)
    out = {s: memoryview(msg) for s in socks}
    answers = {s: b"" for s in socks}
    done = set()
    end = time.monotonic() + a.seconds
    while time.monotonic() < end and len(done) < len(socks):
        pending_w = [s for s in socks if out[s] and s not in done]
        pending_r = [s for s in socks if s not in done]
        readable, writable, _ = select.select(pending_r, pending_w, [], 0.2)
        for s in writable:
            try:
                out[s] = out[s][s.send(out[s][:1 << 20]):]
            except BlockingIOError:
                pass
            except OSError:
                out[s] = b""
        for s in readable:
            try:
                chunk = s.recv(65536)
            except OSError:
                chunk = b""
            answers[s] += chunk
            if not chunk or complete(answers[s]):
                done.add(s)
        w.tick()
    types = {}
    for v in answers.values():
        t = v.split(b'"__type":"', 1)[1].split(b'"', 1)[0].decode() if b"__type" in v else \
            (v.split(b"\r\n", 1)[0].decode(errors="replace") or "no answer (closed)")
        types[t] = types.get(t, 0) + 1
    print(f"{a.conns} x {len(body) / 2**20:.1f} MiB bodies ({count} arrays of 100,000 zeros): {types}")
    w.report()
    for s in socks:
        s.close()
    idle_rss(w, a.idle)


def idle(a):
    w = Watch(a.pid, a.port)
    socks = connect_many(a.port, a.conns)
    time.sleep(1)
    t0, c0 = time.monotonic(), cpu_ticks(a.pid)
    while time.monotonic() - t0 < a.seconds:
        w.tick()
        time.sleep(0.2)
    used = (cpu_ticks(a.pid) - c0) / os.sysconf("SC_CLK_TCK")
    wall = time.monotonic() - t0
    print(f"{len(socks)} idle connections: ddbd used {used:.2f} s CPU in {wall:.1f} s "
          f"({100 * used / wall:.0f}% of a core)")
    w.report()
    for s in socks:
        s.close()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("scenario", choices=["stuck", "bigjson", "idle"])
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--pid", type=int, required=True, help="ddbd's process id")
    p.add_argument("--conns", type=int, help="connections (250 / 32 / 1100)")
    p.add_argument("--seconds", type=float, default=10.0, help="load duration (default 10)")
    p.add_argument("--idle", type=float, default=5.0, help="wait before the idle RSS (default 5)")
    p.add_argument("--body-mib", type=int, default=16, help="bigjson body size (default 16)")
    p.add_argument("--key-bytes", type=int, default=16, help="stuck: key size per request")
    p.add_argument("--item-kib", type=int, default=0,
                   help="stuck: create table memprobe with one item of this size and pipeline "
                        "GetItem of it (large answers; default 0: GetItem of a missing table)")
    p.add_argument("--probe-timeout", type=float, default=5.0,
                   help="seconds a probe waits for its answer (default 5)")
    a = p.parse_args()
    Watch.probe_timeout = min(a.probe_timeout, 60.0)
    a.conns = a.conns or {"stuck": 250, "bigjson": 32, "idle": 1100}[a.scenario]
    a.conns = min(a.conns, 5000)
    a.seconds = min(a.seconds, 120.0)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < min(hard, a.conns + 64):
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, a.conns + 64), hard))
    {"stuck": stuck, "bigjson": bigjson, "idle": idle}[a.scenario](a)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
