"""Parquet out, for the data people: one file per table, spans as columns.

Built from the storyline/1 object like every other format, so Parquet says the
same thing as JSON: ``documents``, ``entities``, ``mentions`` (entity mention
spans), ``events``, ``event_mentions``, ``quotes``, ``times``, ``figures``,
``stories``, ``conflicts`` and ``conflict_claims``. Every span row carries
``doc, start, end, text`` with ``documents.text[start:end] == text``; ids are
the export ids, so ``quotes.speaker`` joins ``entities.id`` and
``mentions.entity`` joins ``entities.id``.

pyarrow is an optional extra (``pip install 'storyline[parquet]'``); without it
:func:`write_parquet` raises ConfigError E401 with that hint. Each file is
written beside its final name and renamed into place, so a crash never leaves
a half-written ``.parquet`` file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import ConfigError, StoreError
from .json import export_json

__all__ = ["write_parquet", "TABLES", "INSTALL_HINT"]

INSTALL_HINT = "pip install 'storyline[parquet]'"

_S, _I, _F = "string", "int64", "float64"
_SPAN = (("doc", _S), ("start", _I), ("end", _I), ("text", _S))
_WHEN = (("date", _S), ("earliest", _S), ("latest", _S))

# table -> ((column, arrow type name), ...); "list<string>" and "participants" are nested
TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "documents": (
        ("id", _S), ("source", _S), ("title", _S), ("byline", _S), ("text", _S),
        ("published", _S), ("published_earliest", _S), ("published_latest", _S), ("published_basis", _S),
        ("duplicate_of", _S),
    ),
    "entities": (
        ("id", _S), ("name", _S), ("type", _S), ("aliases", "list<string>"), ("descriptions", "list<string>"),
        ("mentions", _I),
    ),
    "mentions": (("entity", _S), *_SPAN),
    "events": (
        ("id", _S), ("type", _S), ("label", _S), ("where", _S), *_WHEN, ("mode", _S), ("sources", _I),
        ("participants", "participants"),
    ),
    "event_mentions": (("event", _S), *_SPAN, *_WHEN),
    "quotes": (("id", _S), *_SPAN, ("kind", _S), ("speaker", _S), ("speaker_text", _S), ("cue", _S), *_WHEN),
    "times": (("id", _S), *_SPAN, ("type", _S), *_WHEN, ("anchor", _S)),
    "figures": (
        ("id", _S), *_SPAN, ("value", _F), ("unit", _S), ("about", _S), ("subject", _S), ("period", _S),
        ("qualifier", _S), ("status", _S), ("speaker", _S),
    ),
    "stories": (
        ("id", _S), ("label", _S), ("earliest", _S), ("latest", _S), ("documents", "list<string>"),
        ("events", "list<string>"),
    ),
    "conflicts": (("id", _S), ("kind", _S), ("about", _S), ("summary", _S), ("status", _S), ("claims", _I)),
    "conflict_claims": (("conflict", _S), *_SPAN, ("value", _S)),
}


def _when(w: dict | None) -> dict:
    w = w or {}
    return {"date": w.get("value"), "earliest": w.get("earliest"), "latest": w.get("latest")}


def _span(s: dict) -> dict:
    return {k: s[k] for k in ("doc", "start", "end", "text")}


def _rows(data: dict) -> dict[str, Callable[[], Iterator[dict]]]:
    """Each table's rows, from the storyline/1 object."""

    def documents():
        for d in data["documents"]:
            p = d["published"]
            yield {
                **{k: d[k] for k in ("id", "source", "title", "byline", "text", "duplicate_of")},
                "published": p.get("value"), "published_earliest": p.get("earliest"),
                "published_latest": p.get("latest"), "published_basis": p.get("basis"),
            }

    def entities():
        for e in data["entities"]:
            yield {**{k: e[k] for k in ("id", "name", "type", "aliases", "descriptions")}, "mentions": len(e["mentions"])}

    def mentions():
        for e in data["entities"]:
            for m in e["mentions"]:
                yield {"entity": e["id"], **_span(m)}

    def events():
        for ev in data["events"]:
            yield {
                **{k: ev[k] for k in ("id", "type", "label", "where", "mode", "sources", "participants")},
                **_when(ev["when"]),
            }

    def event_mentions():
        for ev in data["events"]:
            for m in ev["mentions"]:
                yield {"event": ev["id"], **_span(m), **_when(m.get("when"))}

    def quotes():
        for q in data["quotes"]:
            yield {**q, **_when(q.get("when"))}

    def times():
        for t in data["times"]:
            yield {**t, **_when(t.get("when"))}

    def figures():
        for f in data["figures"]:
            yield {**f, "value": None if f.get("value") is None else float(f["value"])}

    def stories():
        yield from data["stories"]

    def conflicts():
        for c in data["conflicts"]:
            yield {**{k: c[k] for k in ("id", "kind", "about", "summary", "status")}, "claims": len(c["claims"])}

    def conflict_claims():
        for c in data["conflicts"]:
            for cl in c["claims"]:
                yield {"conflict": c["id"], **_span(cl), "value": None if cl["value"] is None else str(cl["value"])}

    return {
        "documents": documents, "entities": entities, "mentions": mentions, "events": events,
        "event_mentions": event_mentions, "quotes": quotes, "times": times, "figures": figures,
        "stories": stories, "conflicts": conflicts, "conflict_claims": conflict_claims,
    }


def _pyarrow():
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise ConfigError(f"Parquet export needs pyarrow: {INSTALL_HINT}", code="E401") from None
    return pyarrow


def _schema(pa, columns: tuple[tuple[str, str], ...]):
    kinds = {
        _S: pa.string(), _I: pa.int64(), _F: pa.float64(), "list<string>": pa.list_(pa.string()),
        "participants": pa.list_(pa.struct([("entity", pa.string()), ("role", pa.string())])),
    }
    return pa.schema([(name, kinds[kind]) for name, kind in columns])


def write_parquet(store, directory: str | Path) -> dict[str, int]:
    """Write one ``TABLE.parquet`` per table into ``directory`` (created); returns rows per table.

    ConfigError E401 when pyarrow is missing; StoreError E300 when the
    directory cannot be written.
    """
    pa = _pyarrow()
    import pyarrow.parquet as pq

    out = Path(directory)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create {out}: {exc.strerror or exc}", code="E300", path=str(out)) from exc
    data = export_json(store)
    counts: dict[str, int] = {}
    for table, rows in _rows(data).items():
        schema = _schema(pa, TABLES[table])
        columns: dict[str, list] = {name: [] for name in schema.names}
        n = 0
        for row in rows():
            for name in schema.names:
                columns[name].append(row.get(name))
            n += 1
        arrow = pa.Table.from_pydict(columns, schema=schema)
        final = out / f"{table}.parquet"
        tmp = out / f".{table}.parquet.part"
        try:
            pq.write_table(arrow, tmp, compression="zstd")
            os.replace(tmp, final)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise StoreError(f"cannot write {final}: {exc.strerror or exc}", code="E300", path=str(final)) from exc
        counts[table] = n
    return counts
