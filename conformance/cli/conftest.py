# Fixtures live in cliconf.py (see conformance/python/conftest.py for why).
from cliconf import aws, cli_table, seed  # noqa: F401  (pytest fixtures)
