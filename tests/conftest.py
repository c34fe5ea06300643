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
