"""The language model loaded from the user's cache folder answers as py3langid's own loader does.

:func:`storyline.readers.langmodel.identifier` unpacks py3langid's model once into the cache
folder (``STORYLINE_CACHE``, here a temporary folder) and maps it afterwards. These tests compare
its answers, probabilities included, with py3langid's on the other-language paragraphs of
``test_language`` and on real articles (``../shared/realdata``, read at test time), and check that
a missing or damaged cache is unpacked again, and that an unwritable cache or a model file of
another layout falls back to py3langid's loader.
"""

from __future__ import annotations

import json
import shutil
from functools import lru_cache
from pathlib import Path

import pytest

from storyline.readers import langmodel

REALDATA = Path(__file__).resolve().parents[2].parent / "shared" / "realdata"
OTHER = (
    "Le conseil municipal a voté mardi soir un budget en hausse, malgré l'opposition de plusieurs élus.",
    "Der Stadtrat hat am Dienstagabend einen Haushalt beschlossen, der höher ausfällt als im Vorjahr.",
    "El ayuntamiento aprobó el martes por la noche un presupuesto mayor que el del año pasado.",
    "Городской совет во вторник вечером утвердил бюджет, который больше прошлогоднего.",
    "市议会星期二晚上通过了一项比去年高出百分之三的预算。",
    "The council approved the budget on Tuesday. THE MAYOR SAID THE BRIDGE WOULD OPEN.",
    "\n".join(f"{2000 + i} {i * 37 % 101} {i * 13 % 17}.{i % 10}" for i in range(40)),
    "", "1 2 3", "Le maire a dit",
)


@lru_cache(maxsize=1)
def _reference():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _samples() -> list[str]:
    texts = list(OTHER)
    if REALDATA.is_dir():
        for name in ("ecbplus.jsonl", "newswcl50.jsonl", "polnear.jsonl"):
            lines = (REALDATA / name).read_text(encoding="utf-8").splitlines()
            for line in lines[::6]:
                text = json.loads(line).get("text")
                if isinstance(text, str):
                    texts += [text[:5000], text[:300], text[:5000].upper()]
    return texts


def _same_answers(identifier, texts: tuple | list = OTHER) -> None:
    reference = _reference()
    for text in texts:
        assert identifier.classify(text) == reference.classify(text), text[:80]


def _unpacked(monkeypatch):
    """Make py3langid's own loader fail: an identifier built now came from the cache."""
    import py3langid.modelio

    def refuse(path):
        raise AssertionError("py3langid's loader was called: the cache was not used")

    monkeypatch.setattr(py3langid.modelio, "load_model", refuse)


def _counted(monkeypatch) -> list:
    """Count the calls of py3langid's own loader (one a model unpacked)."""
    import py3langid.modelio

    calls: list = []
    load = py3langid.modelio.load_model

    def counting(path):
        calls.append(path)
        return load(path)

    monkeypatch.setattr(py3langid.modelio, "load_model", counting)
    return calls


def _unpacks(monkeypatch) -> list:
    """Count the model files unpacked into the cache (langmodel._unpack)."""
    calls: list = []
    unpack = langmodel._unpack

    def counting(model, temp):
        calls.append(model)
        return unpack(model, temp)

    monkeypatch.setattr(langmodel, "_unpack", counting)
    return calls


def test_the_cached_model_answers_as_py3langid(tmp_path, monkeypatch):
    monkeypatch.setenv("STORYLINE_CACHE", str(tmp_path))
    _unpacked(monkeypatch)  # the model file's arrays are copied out as they are: py3langid's loader is not called
    first = langmodel.identifier()  # unpacks and writes the cache
    folders = list(tmp_path.iterdir())
    assert [f.name for f in folders] == [langmodel.model_folder(_model()).name]
    _same_answers(first, _samples())
    _unpacked(monkeypatch)
    _same_answers(langmodel.identifier(), _samples())


def test_a_damaged_or_missing_cache_falls_back_and_is_rewritten(tmp_path, monkeypatch):
    monkeypatch.setenv("STORYLINE_CACHE", str(tmp_path))
    calls = _unpacks(monkeypatch)
    langmodel.identifier()
    folder = langmodel.model_folder(_model())
    (folder / "ptc.npy").write_bytes((folder / "ptc.npy").read_bytes()[:1000])  # cut short
    _same_answers(langmodel.identifier())
    (folder / "classes.npy").unlink()
    _same_answers(langmodel.identifier())
    (folder / "pc.npy").write_bytes(b"not an array")
    _same_answers(langmodel.identifier())
    assert len(calls) == 4  # each damage noticed (and the copy written again)
    shutil.rmtree(folder)
    (tmp_path / "langid-old-1-2").mkdir()  # another model's folder: removed once the new one is written
    (tmp_path / "unrelated").mkdir()
    _same_answers(langmodel.identifier())
    assert sorted(f.name for f in tmp_path.iterdir()) == sorted([folder.name, "unrelated"])
    _unpacked(monkeypatch)
    _same_answers(langmodel.identifier())


def test_a_model_file_of_another_layout_is_cached_from_py3langids_loader(tmp_path, monkeypatch):
    """A model file whose arrays are not the members unpacking expects is read by py3langid's
    loader, and its arrays are saved into the cache, which later processes map."""
    monkeypatch.setenv("STORYLINE_CACHE", str(tmp_path))
    monkeypatch.setattr(langmodel, "_RENAMED", {})  # its arrays copied out under their own names only
    calls = _counted(monkeypatch)
    _same_answers(langmodel.identifier())
    assert len(calls) == 1 and [f.name for f in tmp_path.iterdir()] == [langmodel.model_folder(_model()).name]
    _unpacked(monkeypatch)
    _same_answers(langmodel.identifier(), _samples())


def test_an_unwritable_cache_or_none_still_classifies(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("STORYLINE_CACHE", str(blocked / "storyline"))
    _same_answers(langmodel.identifier())
    monkeypatch.setenv("STORYLINE_CACHE", "off")
    assert langmodel.cache_root() is None
    _same_answers(langmodel.identifier())


def test_the_default_cache_folder_follows_the_platform(monkeypatch, tmp_path):
    monkeypatch.delenv("STORYLINE_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(langmodel.sys, "platform", "linux")
    assert langmodel.cache_root() == tmp_path / "storyline"


def _model():
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    return MODEL_DIR / MODEL_FILE


@pytest.fixture(autouse=True)
def _no_stray_cache(monkeypatch, tmp_path):
    """No test here writes to the user's own cache folder."""
    monkeypatch.setenv("STORYLINE_CACHE", str(tmp_path / "cache"))
