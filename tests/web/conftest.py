"""Fixtures for the web tests: a store file built from the invented sample, and a client on it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient


def _load(name: str):
    """Load a helper module beside this file (test folders are not packages)."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).resolve().parent / f"{name}.py")
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return sys.modules[name]


web_sample = _load("web_sample")

from storyline.kb import open_store  # noqa: E402
from storyline.web import create_app  # noqa: E402


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("web") / "sample.db"
    with open_store(path) as store:
        web_sample.build(store)
    return path


@pytest.fixture(scope="session")
def client(sample_db):
    with TestClient(create_app(sample_db)) as c:
        yield c


@pytest.fixture
def store(sample_db):
    with open_store(sample_db) as s:
        yield s
