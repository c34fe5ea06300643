"""Shared fixtures: the user's seed articles (read only, never copied) and our own fixture files."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = (ROOT / ".." / "shared" / "seeds").resolve()
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """``../shared/seeds`` beside the repository, or skip when this checkout has none."""
    if not SEEDS.is_dir() or not any(SEEDS.iterdir()):
        pytest.skip("../shared/seeds not present (only in CI and developer checkouts)")
    return SEEDS


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """``tests/fixtures``: our own small articles and malformed files."""
    return FIXTURES


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server started in a temporary directory for this test run (skips without one)."""
    from pgserver import PgServer, find_bin

    bindir, why = find_bin()
    if bindir is None:
        pytest.skip(why)
    server = PgServer(bindir)
    try:
        server.start()
    except Exception as exc:  # a broken local install is a skip with its reason, not a failure of ours
        server.stop()
        pytest.skip(f"could not start PostgreSQL: {getattr(exc, 'stderr', '') or exc}")
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server):
    """The URL of a fresh, empty database on the test server (dropped afterwards)."""
    url = pg_server.create_db()
    yield url
    pg_server.drop_db(url)


SLOW_FIXTURES = frozenset({"pg_server", "pg_url"})


def pytest_collection_modifyitems(config, items):
    """Tests that start a server or a browser are slow by nature: mark them so `make check` leaves them out."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())) or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)
