"""Exports: storyline/1 JSON (the schema is the contract), JSON lines and CSV to a stream;
Parquet (one file per table) to a directory."""

from __future__ import annotations

import json as _json
from collections.abc import Callable
from pathlib import Path
from typing import IO

from .json import FORMAT, export_json
from .parquet import write_parquet
from .tables import write_csv, write_jsonl

__all__ = [
    "FORMAT", "FORMATS", "DIRECTORY_FORMATS", "SCHEMA_PATH", "export_json", "write_export", "write_parquet",
    "load_schema",
]

SCHEMA_PATH = Path(__file__).with_name("storyline-export.schema.json")


def _write_json(data: dict, fp: IO[str]) -> None:
    _json.dump(data, fp, ensure_ascii=False, indent=2)
    fp.write("\n")


_WRITERS: dict[str, Callable[[dict, IO[str]], None]] = {"json": _write_json, "jsonl": write_jsonl, "csv": write_csv}
FORMATS = tuple(_WRITERS)
# formats written as a directory of files (``-o DIR``), not to a stream
DIRECTORY_FORMATS = ("parquet",)


def write_export(store, fmt: str, fp: IO[str]) -> None:
    """Write the whole store to ``fp`` as ``json`` (storyline/1), ``jsonl`` or ``csv``."""
    try:
        writer = _WRITERS[fmt]
    except KeyError:
        from ..errors import ConfigError

        raise ConfigError(f"export format must be one of {', '.join(FORMATS)}, not {fmt!r}") from None
    writer(export_json(store), fp)


def load_schema() -> dict:
    """The storyline/1 JSON schema this version writes."""
    return _json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
