"""The aws CLI (v2) against the server: every command the first milestone supports."""
import json
import re
import uuid

from cliconf import REFERENCE


def assert_cli_error(res, code, op, message):
    """aws CLI v2 prints: An error occurred (Code) when calling the Op operation[ (reached max retries: N)]: Msg"""
    assert res.returncode == 254, (res.returncode, res.stderr)
    m = re.search(r"An error occurred \((\w+)\) when calling the (\w+) operation(?: \(reached max retries: \d+\))?: (.*)",
                  res.stderr)
    assert m, res.stderr
    assert m.group(1) == code
    assert m.group(2) == op
    if message is not None:
        assert m.group(3).strip() == message


def item(pk, sk, **extra):
    it = {"pk": {"S": pk}, "sk": {"N": str(sk)}}
    it.update(extra)
    return json.dumps(it)


def test_create_table_and_wait(aws):
    name = "cli-" + uuid.uuid4().hex[:12]
    try:
        r = aws("create-table", "--table-name", name,
                "--attribute-definitions", "AttributeName=id,AttributeType=S",
                "--key-schema", "AttributeName=id,KeyType=HASH",
                "--billing-mode", "PAY_PER_REQUEST").json()
        assert r["TableDescription"]["TableName"] == name
        assert r["TableDescription"]["TableStatus"] == ("ACTIVE" if REFERENCE else "CREATING")
        aws("wait", "table-exists", "--table-name", name)
        d = aws("describe-table", "--table-name", name).json()
        assert d["Table"]["TableStatus"] == "ACTIVE"
    finally:
        aws("delete-table", "--table-name", name, check=False)


def test_describe_table(aws, cli_table):
    t = aws("describe-table", "--table-name", cli_table).json()["Table"]
    assert t["TableName"] == cli_table
    assert t["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"},
                              {"AttributeName": "sk", "KeyType": "RANGE"}]
    assert t["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert isinstance(t["ItemCount"], int)


def test_list_tables(aws, cli_table):
    names = aws("list-tables").json()["TableNames"]
    assert cli_table in names
    assert names == sorted(names)


def test_list_tables_paginates_automatically(aws, cli_table):
    names = aws("list-tables", "--page-size", "1").json()["TableNames"]
    assert cli_table in names
    assert names == sorted(names)


def test_put_and_get_item(aws, cli_table):
    aws("put-item", "--table-name", cli_table, "--item",
        item("a", 1, s={"S": "hello"}, n={"N": "1.50"}, l={"L": [{"BOOL": True}, {"NULL": True}]}))
    r = aws("get-item", "--table-name", cli_table, "--key", json.dumps({"pk": {"S": "a"}, "sk": {"N": "1"}})).json()
    assert r["Item"] == {"pk": {"S": "a"}, "sk": {"N": "1"}, "s": {"S": "hello"}, "n": {"N": "1.5"},
                         "l": {"L": [{"BOOL": True}, {"NULL": True}]}}


def test_get_missing_item_prints_nothing(aws, cli_table):
    r = aws("get-item", "--table-name", cli_table, "--key", json.dumps({"pk": {"S": "none"}, "sk": {"N": "0"}}))
    assert "Item" not in r.json()


def test_put_item_return_values(aws, cli_table):
    aws("put-item", "--table-name", cli_table, "--item", item("rv", 1, v={"S": "old"}))
    r = aws("put-item", "--table-name", cli_table, "--item", item("rv", 1, v={"S": "new"}),
            "--return-values", "ALL_OLD").json()
    assert r["Attributes"]["v"] == {"S": "old"}


def test_query(aws, cli_table, seed):
    seed(cli_table, "q", 5)
    r = aws("query", "--table-name", cli_table,
            "--key-condition-expression", "pk = :p AND sk >= :s",
            "--expression-attribute-values", json.dumps({":p": {"S": "q"}, ":s": {"N": "2"}})).json()
    assert [x["sk"]["N"] for x in r["Items"]] == ["2", "3", "4"]
    assert r["Count"] == 3


def test_query_descending_with_page_size(aws, cli_table, seed):
    seed(cli_table, "qd", 7)
    r = aws("query", "--table-name", cli_table, "--key-condition-expression", "pk = :p",
            "--expression-attribute-values", json.dumps({":p": {"S": "qd"}}),
            "--no-scan-index-forward", "--page-size", "2").json()
    assert [x["sk"]["N"] for x in r["Items"]] == ["6", "5", "4", "3", "2", "1", "0"]


def test_scan(aws, cli_table, seed):
    for i in range(4):
        seed(cli_table, "s%d" % i, 1)
    r = aws("scan", "--table-name", cli_table).json()
    assert sorted(x["pk"]["S"] for x in r["Items"]) == ["s0", "s1", "s2", "s3"]
    assert r["Count"] == 4


def test_scan_automatic_pagination(aws, cli_table, seed):
    seed(cli_table, "p", 9)
    r = aws("scan", "--table-name", cli_table, "--page-size", "2").json()
    assert sorted(int(x["sk"]["N"]) for x in r["Items"]) == list(range(9))
    assert r["Count"] == 9
    assert "NextToken" not in r


def test_scan_max_items_gives_next_token(aws, cli_table, seed):
    seed(cli_table, "m", 5)
    r = aws("scan", "--table-name", cli_table, "--page-size", "2", "--max-items", "3").json()
    assert len(r["Items"]) == 3
    assert r["NextToken"]
    rest = aws("scan", "--table-name", cli_table, "--page-size", "2",
               "--starting-token", r["NextToken"]).json()
    assert sorted(int(x["sk"]["N"]) for x in r["Items"] + rest["Items"]) == list(range(5))


def test_update_item(aws, cli_table):
    aws("update-item", "--table-name", cli_table, "--key", json.dumps({"pk": {"S": "u"}, "sk": {"N": "1"}}),
        "--update-expression", "SET a = :a, b = :b",
        "--expression-attribute-values", json.dumps({":a": {"S": "x"}, ":b": {"N": "1"}}))
    r = aws("update-item", "--table-name", cli_table, "--key", json.dumps({"pk": {"S": "u"}, "sk": {"N": "1"}}),
            "--update-expression", "SET a = :a REMOVE b",
            "--expression-attribute-values", json.dumps({":a": {"S": "y"}}),
            "--return-values", "ALL_NEW").json()
    assert r["Attributes"] == {"pk": {"S": "u"}, "sk": {"N": "1"}, "a": {"S": "y"}}


def test_delete_item(aws, cli_table, seed):
    key = json.dumps({"pk": {"S": "d"}, "sk": {"N": "1"}})
    seed(cli_table, "d", 2)
    aws("delete-item", "--table-name", cli_table, "--key", key)
    assert "Item" not in aws("get-item", "--table-name", cli_table, "--key", key).json()


def test_delete_table(aws):
    name = "cli-" + uuid.uuid4().hex[:12]
    aws("create-table", "--table-name", name,
        "--attribute-definitions", "AttributeName=id,AttributeType=S",
        "--key-schema", "AttributeName=id,KeyType=HASH", "--billing-mode", "PAY_PER_REQUEST")
    r = aws("delete-table", "--table-name", name).json()
    assert r["TableDescription"]["TableName"] == name
    aws("wait", "table-not-exists", "--table-name", name)
    assert name not in aws("list-tables").json()["TableNames"]


def test_conditional_check_failed_error(aws, cli_table, seed):
    seed(cli_table, "c", 2)
    r = aws("put-item", "--table-name", cli_table, "--item", item("c", 1),
            "--condition-expression", "attribute_not_exists(pk)", check=False)
    assert_cli_error(r, "ConditionalCheckFailedException", "PutItem", "The conditional request failed")


def test_validation_error(aws, cli_table):
    r = aws("get-item", "--table-name", cli_table, "--key", json.dumps({"pk": {"S": "x"}}), check=False)
    assert_cli_error(r, "ValidationException", "GetItem",
                     "The number of conditions on the keys is invalid" if REFERENCE
                     else "The provided key element does not match the schema")


def test_missing_table_error(aws):
    name = "cli-missing-" + uuid.uuid4().hex[:8]
    r = aws("describe-table", "--table-name", name, check=False)
    assert_cli_error(r, "ResourceNotFoundException", "DescribeTable",
                     "Cannot do operations on a non-existent table" if REFERENCE
                     else "Requested resource not found: Table: %s not found" % name)


def test_bad_number_error(aws, cli_table):
    r = aws("put-item", "--table-name", cli_table, "--item", item("bad", 1, v={"N": "1.2.3"}), check=False)
    assert_cli_error(r, "ValidationException", "PutItem", "A value provided cannot be converted into a number")
