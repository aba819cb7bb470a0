"""Adds up the test cases of a meson testlog.json: each unit test prints
"N passed, N failed"; a test that printed no such line counts as one case,
passed or failed by its result. Prints one line per failing test and the
total as "N passed, N failed"."""
import json
import re
import sys

passed = failed = 0
with open(sys.argv[1]) as f:
    for line in f:
        t = json.loads(line)
        m = None
        for m in re.finditer(r"^(\d+) passed, (\d+) failed$", t.get("stdout", ""), re.M):
            pass
        ok = t.get("result") == "OK"
        if m:
            p, fl = int(m.group(1)), int(m.group(2))
            if not ok and fl == 0:
                fl = 1  # it crashed after printing its summary
        else:
            p, fl = (1, 0) if ok else (0, 1)
        passed += p
        failed += fl
        if not ok:
            print("FAILED %s (%s)" % (t.get("name"), t.get("result")))
            for l in t.get("stdout", "").splitlines():
                if l.startswith(("not ok", "#")):
                    print("   ", l)
            print("   ", t.get("stderr", "")[-2000:])
print("%d passed, %d failed" % (passed, failed))
