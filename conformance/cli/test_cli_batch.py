"""The aws CLI (v2): batch-write-item and batch-get-item."""
import json

from test_cli import assert_cli_error


def test_batch_write_then_batch_get(aws, cli_table):
    puts = [{"PutRequest": {"Item": {"pk": {"S": "b"}, "sk": {"N": str(i)}, "v": {"S": "x%d" % i}}}}
            for i in range(5)]
    r = aws("batch-write-item", "--request-items", json.dumps({cli_table: puts})).json()
    assert r["UnprocessedItems"] == {}
    r = aws("batch-write-item", "--request-items", json.dumps(
        {cli_table: [{"DeleteRequest": {"Key": {"pk": {"S": "b"}, "sk": {"N": "0"}}}}]})).json()
    assert r["UnprocessedItems"] == {}
    keys = [{"pk": {"S": "b"}, "sk": {"N": str(i)}} for i in range(3)]
    r = aws("batch-get-item", "--request-items", json.dumps(
        {cli_table: {"Keys": keys, "ProjectionExpression": "sk, v"}})).json()
    assert r["UnprocessedKeys"] == {}
    got = sorted(r["Responses"][cli_table], key=lambda i: int(i["sk"]["N"]))
    assert got == [{"sk": {"N": "1"}, "v": {"S": "x1"}}, {"sk": {"N": "2"}, "v": {"S": "x2"}}]


def test_batch_write_duplicates_error(aws, cli_table):
    put = {"PutRequest": {"Item": {"pk": {"S": "d"}, "sk": {"N": "1"}}}}
    res = aws("batch-write-item", "--request-items", json.dumps({cli_table: [put, put]}),
              check=False)
    assert_cli_error(res, "ValidationException", "BatchWriteItem",
                     "Provided list of item keys contains duplicates")


def test_batch_get_too_many_keys_error(aws, cli_table):
    keys = [{"pk": {"S": "t"}, "sk": {"N": str(i)}} for i in range(101)]
    res = aws("batch-get-item", "--request-items", json.dumps({cli_table: {"Keys": keys}}),
              check=False)
    assert_cli_error(res, "ValidationException", "BatchGetItem",
                     "Too many items requested for the BatchGetItem call")
