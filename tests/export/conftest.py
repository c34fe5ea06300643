import importlib.util
import sys
from pathlib import Path

import pytest

from storyline.kb import open_store


def _sample():
    name = "storyline_test_sample"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).resolve().parents[1] / "kb" / "kb_sample.py")
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return sys.modules[name]


@pytest.fixture(scope="session")
def sample():
    return _sample()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(sample, request):
    """The sample store on each backend: every export reads the same through SQLite and PostgreSQL."""
    db = ":memory:" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    with open_store(db) as s:
        yield sample.filled_store(s)
