"""The accuracy gate on real, human-annotated news: bench/real.py over ../shared/realdata with the
`real.*` floors of bench/floors.json. Skips, saying why, where the data is absent."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("bench_real", ROOT / "bench" / "real.py")
real = importlib.util.module_from_spec(spec)
spec.loader.exec_module(real)

pytestmark = [
    pytest.mark.skipif(
        not (real.REALDATA / "realbench.py").exists(), reason=f"{real.REALDATA} is absent (no ../shared beside the clone)"
    ),
    pytest.mark.slow,
    pytest.mark.timeout(3600),  # every dataset through the CLI: minutes, all in the first test's fixture
]


@pytest.fixture(scope="module")
def results():
    return real.evaluate()


@pytest.mark.parametrize("dataset", real.DATASETS)
def test_real_floors(results, dataset):
    floors = real.floors(f"real.{dataset}.")
    assert floors, f"no floors pinned for {dataset}"
    assert real.check(results, floors) == []


def test_check_reports_a_regression():
    fake = {"ecbplus": {"events": {"headline_recall": 0.5}, "conflicts_gold": {"false_alarms": 4}}}
    bad = real.check(fake, {"real.ecbplus.events.headline_recall": 0.8, "real.ecbplus.conflicts_gold.false_alarms": 1,
                            "real.polnear.scores.quote_f1": 0.5})
    assert len(bad) == 3
