# Fixtures live in ddbconf.py (test modules import helpers from there; a module named
# "conftest" would clash with conformance/cli/conftest.py when both suites run together).
from ddbconf import ddb, make_table, raw  # noqa: F401  (pytest fixtures)


def pytest_configure(config):
    config.addinivalue_line("markers", "aws_differs(reason): ddbd's answer knowingly differs from AWS's "
                            "(recorded in protocol/MESSAGES-*.md)")
