#!/usr/bin/env python3
"""Seeds the op_handlers fuzz target with every request the Python conformance suite sends.

    /usr/bin/python3 tools/fuzz/seed_from_conformance.py OUT_DIR [pytest args...]

Starts build/server/ddbd on a free 127.0.0.1 port with an empty data folder, runs
conformance/python (or the pytest args given) against it with DDB_DUMP_REQUESTS set
(conformance/python/ddbconf.py writes each request as "<operation>\\n<body>"), then writes
into OUT_DIR one input per request, plus, for a request naming tables other than
CreateTable, one copy per fuzz table (hh1, hhr, idx; tests/fuzz/op_handlers.c) with every
table name replaced, since the suite's own tables do not exist in the fuzz target. Inputs
are named by their SHA-1, so duplicates collapse. Then minimise into the corpus with
libFuzzer: build-fuzz/tests/fuzz/libfuzzer_op_handlers -merge=1 tests/fuzz/corpus/op_handlers OUT_DIR
"""
import hashlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FUZZ_TABLES = ("hh1", "hhr", "idx")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rename_tables(op, body, name):
    """body with every table name replaced by name (None when it names none)."""
    try:
        doc = json.loads(body)
    except ValueError:
        return None
    if not isinstance(doc, dict):
        return None
    found = False

    def fix(d):
        nonlocal found
        if isinstance(d, dict):
            for k, v in list(d.items()):
                if k == "TableName" and isinstance(v, str):
                    d[k] = name
                    found = True
                elif k == "RequestItems" and isinstance(v, dict):
                    d[k] = {name: fix(x) for x in v.values()} if v else v
                    found = found or bool(v)
                else:
                    fix(v)
        elif isinstance(d, list):
            for x in d:
                fix(x)
        return d

    fix(doc)
    return json.dumps(doc, separators=(",", ":")).encode() if found else None


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = os.path.abspath(sys.argv[1])
    os.makedirs(out, exist_ok=True)
    args = sys.argv[2:] or [os.path.join(ROOT, "conformance", "python")]
    port = free_port()
    data = tempfile.mkdtemp()
    dump = tempfile.mkdtemp()
    server = subprocess.Popen([os.path.join(ROOT, "build", "server", "ddbd"), "--host", "127.0.0.1",
                               "--port", str(port), "--data-dir", data], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), 1).close()
                break
            except OSError:
                time.sleep(0.1)
        env = dict(os.environ, DDB_ENDPOINT="http://127.0.0.1:%d" % port, DDB_DUMP_REQUESTS=dump,
                   DDBD_BIN=os.path.join(ROOT, "build", "server", "ddbd"))
        subprocess.call([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--no-header"]
                        + args, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    finally:
        server.terminate()
        server.wait()
    count = 0
    for f in os.listdir(dump):
        with open(os.path.join(dump, f), "rb") as fh:
            raw = fh.read()
        op, _, body = raw.partition(b"\n")
        inputs = [raw]
        if op != b"CreateTable":
            for name in FUZZ_TABLES:
                renamed = rename_tables(op, body, name)
                if renamed is not None:
                    inputs.append(op + b"\n" + renamed)
        for x in inputs:
            with open(os.path.join(out, hashlib.sha1(x).hexdigest()), "wb") as fh:
                fh.write(x)
            count += 1
    print("%d requests dumped, %d inputs written, %d distinct in %s"
          % (len(os.listdir(dump)), count, len(os.listdir(out)), out))


if __name__ == "__main__":
    main()
