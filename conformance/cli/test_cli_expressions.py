"""The aws CLI (v2) with every expression kind: condition, filter, key condition, update,
projection, and an expression error as the CLI prints it."""
import json

from test_cli import assert_cli_error


def put(aws, table, pk, sk, **extra):
    it = {"pk": {"S": pk}, "sk": {"N": str(sk)}}
    it.update(extra)
    aws("put-item", "--table-name", table, "--item", json.dumps(it))


def test_cli_condition_expression(aws, cli_table):
    put(aws, cli_table, "c", 1, n={"N": "5"})
    key = json.dumps({"pk": {"S": "c"}, "sk": {"N": "1"}})
    aws("put-item", "--table-name", cli_table, "--item", json.dumps({"pk": {"S": "c"}, "sk": {"N": "1"}, "n": {"N": "6"}}),
        "--condition-expression", "n BETWEEN :a AND :b AND attribute_exists(#n)",
        "--expression-attribute-names", json.dumps({"#n": "n"}),
        "--expression-attribute-values", json.dumps({":a": {"N": "1"}, ":b": {"N": "5"}}))
    res = aws("delete-item", "--table-name", cli_table, "--key", key, "--condition-expression", "n < :a",
              "--expression-attribute-values", json.dumps({":a": {"N": "6"}}), check=False)
    assert_cli_error(res, "ConditionalCheckFailedException", "DeleteItem", "The conditional request failed")


def test_cli_update_expression(aws, cli_table):
    put(aws, cli_table, "u", 1, m={"M": {"l": {"L": [{"N": "1"}, {"N": "2"}]}}}, n={"N": "1"}, ss={"SS": ["a"]})
    key = json.dumps({"pk": {"S": "u"}, "sk": {"N": "1"}})
    r = aws("update-item", "--table-name", cli_table, "--key", key,
            "--update-expression", "SET m.l[5] = :v, n = n + :one REMOVE m.l[0] ADD ss :s",
            "--expression-attribute-values", json.dumps({":v": {"S": "x"}, ":one": {"N": "0.5"}, ":s": {"SS": ["b"]}}),
            "--return-values", "ALL_NEW").json()
    a = r["Attributes"]
    assert a["m"] == {"M": {"l": {"L": [{"N": "2"}, {"S": "x"}]}}}
    assert a["n"] == {"N": "1.5"}
    assert sorted(a["ss"]["SS"]) == ["a", "b"]


def test_cli_update_expression_error(aws, cli_table):
    key = json.dumps({"pk": {"S": "e"}, "sk": {"N": "1"}})
    res = aws("update-item", "--table-name", cli_table, "--key", key, "--update-expression", "SET a = :v, a = :v",
              "--expression-attribute-values", json.dumps({":v": {"N": "1"}}), check=False)
    assert_cli_error(res, "ValidationException", "UpdateItem",
                     "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite "
                     "one of these paths; path one: [a], path two: [a]")


def test_cli_query_key_condition_filter_projection(aws, cli_table):
    for i in range(5):
        put(aws, cli_table, "q", i, v={"N": str(i % 2)}, d={"M": {"x": {"L": [{"N": str(i)}, {"N": "9"}]}}})
    r = aws("query", "--table-name", cli_table,
            "--key-condition-expression", "pk = :p AND sk >= :lo",
            "--filter-expression", "v = :one",
            "--projection-expression", "sk, d.x[0]",
            "--expression-attribute-values", json.dumps({":p": {"S": "q"}, ":lo": {"N": "1"}, ":one": {"N": "1"}})).json()
    assert r["Items"] == [{"sk": {"N": "1"}, "d": {"M": {"x": {"L": [{"N": "1"}]}}}},
                          {"sk": {"N": "3"}, "d": {"M": {"x": {"L": [{"N": "3"}]}}}}]
    assert r["Count"] == 2 and r["ScannedCount"] == 4


def test_cli_scan_filter_and_get_projection(aws, cli_table):
    put(aws, cli_table, "s", 1, tags={"SS": ["red", "blue"]}, name={"S": "n1"})
    put(aws, cli_table, "s", 2, tags={"SS": ["green"]}, name={"S": "n2"})
    r = aws("scan", "--table-name", cli_table, "--filter-expression", "contains(tags, :t) AND size(tags) > :one",
            "--expression-attribute-values", json.dumps({":t": {"S": "red"}, ":one": {"N": "1"}})).json()
    assert [i["sk"]["N"] for i in r["Items"]] == ["1"]
    g = aws("get-item", "--table-name", cli_table, "--key", json.dumps({"pk": {"S": "s"}, "sk": {"N": "2"}}),
            "--projection-expression", "#nm", "--expression-attribute-names", json.dumps({"#nm": "name"})).json()
    assert g["Item"] == {"name": {"S": "n2"}}
