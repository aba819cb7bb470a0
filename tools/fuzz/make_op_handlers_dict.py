#!/usr/bin/env python3
"""Writes tests/fuzz/op_handlers.dict from botocore's DynamoDB model (run from the repository root:
/usr/bin/python3 tools/fuzz/make_op_handlers_dict.py)."""
import json, os, botocore
d = os.path.join(os.path.dirname(botocore.__file__), "data/dynamodb/2012-08-10/service-2.json")
m = json.load(open(d))
names = set()
seen = set()
def walk(s):
    if s in seen: return
    seen.add(s)
    sh = m["shapes"][s]
    for k, v in sh.get("members", {}).items():
        names.add(k); walk(v["shape"])
    for key in ("member", "key", "value"):
        if key in sh: walk(sh[key]["shape"])
    for e in sh.get("enum", []): names.add(e)
names.update(m["operations"])  # the operation names, for the first line
for op in m["operations"].values():
    if "input" in op: walk(op["input"]["shape"])
toks = ["AND", "OR", "NOT", "BETWEEN", "IN", "SET", "REMOVE", "ADD", "DELETE", "attribute_exists(", "attribute_not_exists(",
        "attribute_type(", "begins_with(", "contains(", "size(", "if_not_exists(", "list_append(", " = ", " <> ", " < ", " <= ", " > ", " >= ",
        ":v", "#n", "pk", "sk", "hh1", "hhr", "idx", "lsi", "gsi", '"S"', '"N"', '"B"', '"SS"', '"NS"', '"BS"',
        '"M"', '"L"', '"NULL"', '"BOOL"', "[0]", ".a", "1E+125", "-1E-130", "0.0000000000000000000000000000000000001"]
with open("tests/fuzz/op_handlers.dict", "w") as f:
    f.write("# libFuzzer dictionary for op_handlers (tools/fuzz.sh passes it): the request members and\n"
            "# enum values of botocore's DynamoDB model, the fuzz tables' names, expression tokens.\n")
    for w in sorted(names) + toks:
        f.write('"%s"\n' % w.replace("\\", "\\\\").replace('"', '\\"'))
