import json
import os
import subprocess
import uuid

import pytest

ENDPOINT = os.environ.get("DDB_ENDPOINT", "http://127.0.0.1:8000")
REFERENCE = os.environ.get("DDB_REFERENCE", "") not in ("", "0")
AWS = os.environ.get("AWS_CLI", "/usr/bin/aws")


class CliResult:
    def __init__(self, proc):
        self.returncode = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr

    def json(self):
        return json.loads(self.stdout) if self.stdout.strip() else {}


def run_aws(*args, check=True, timeout=60):
    env = dict(os.environ)
    env.update({
        "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_PAGER": "",
        "AWS_MAX_ATTEMPTS": "1",
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    })
    env.pop("AWS_PROFILE", None)
    cmd = [AWS, "dynamodb"] + [str(a) for a in args] + [
        "--endpoint-url", ENDPOINT, "--region", "us-east-1", "--output", "json"]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    res = CliResult(proc)
    if check:
        assert proc.returncode == 0, "aws %s failed (%d):\n%s" % (" ".join(map(str, args)), proc.returncode, proc.stderr)
    return res


@pytest.fixture
def aws():
    return run_aws


def sdk():
    import boto3
    from botocore.config import Config
    return boto3.client("dynamodb", endpoint_url=ENDPOINT, region_name="us-east-1",
                        aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
                        aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                        config=Config(retries={"max_attempts": 1}, connect_timeout=5, read_timeout=20))


@pytest.fixture
def cli_table():
    """A hash+range (pk S, sk N) table, deleted at teardown. Made with the SDK to keep the
    suite fast (the CLI costs about a second per call); create-table itself is tested
    through the CLI in test_create_table_and_wait."""
    name = "cli-" + uuid.uuid4().hex[:12]
    c = sdk()
    c.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                   AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                         {"AttributeName": "sk", "AttributeType": "N"}],
                   KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                              {"AttributeName": "sk", "KeyType": "RANGE"}])
    yield name
    try:
        c.delete_table(TableName=name)
    except Exception:
        pass


@pytest.fixture
def seed():
    """seed(table, pk, n): puts items (pk, 0..n-1) with the SDK."""
    c = sdk()

    def f(table, pk, n):
        for i in range(n):
            c.put_item(TableName=table, Item={"pk": {"S": pk}, "sk": {"N": str(i)}})
    return f
