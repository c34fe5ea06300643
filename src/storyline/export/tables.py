"""Line formats: JSON lines (one typed object a line) and CSV (one row per extracted item).

Both are built from the storyline/1 object, so every format says the same
thing; JSONL keeps whole objects, CSV flattens each cited span to one row.
"""

from __future__ import annotations

import csv
import json
from typing import IO

__all__ = ["write_jsonl", "write_csv", "CSV_COLUMNS", "JSONL_TYPES"]

# storyline/1 key -> the "type" of each JSONL line
JSONL_TYPES = {
    "documents": "document",
    "entities": "entity",
    "events": "event",
    "quotes": "quote",
    "figures": "figure",
    "times": "time",
    "stories": "story",
    "conflicts": "conflict",
}

CSV_COLUMNS = [
    "type", "id", "doc", "start", "end", "text", "value", "unit", "about", "kind",
    "speaker", "subject", "label", "date", "earliest", "latest",
]


def write_jsonl(data: dict, fp: IO[str]) -> None:
    """One JSON object per line, each with a ``type`` field, documents first.

    An item's own ``type`` (entity PERSON, event CONSULT, time DATE) moves to
    ``<type>_type`` (``entity_type``, ``event_type``, ``time_type``).
    """
    for key, typ in JSONL_TYPES.items():
        for item in data[key]:
            obj = {"type": typ, **{k: v for k, v in item.items() if k != "type"}}
            if "type" in item:
                obj[f"{typ}_type"] = item["type"]
            fp.write(json.dumps(obj, ensure_ascii=False))
            fp.write("\n")


def _when(w: dict | None) -> dict:
    w = w or {}
    return {"date": w.get("value"), "earliest": w.get("earliest"), "latest": w.get("latest")}


def _rows(data: dict):
    for e in data["entities"]:
        for m in e["mentions"]:
            yield {"type": "entity", "id": e["id"], **m, "value": e["name"], "kind": e["type"]}
    for ev in data["events"]:
        for m in ev["mentions"]:
            yield {
                "type": "event", "id": ev["id"], **{k: m[k] for k in ("doc", "start", "end", "text")},
                "kind": ev["type"], "label": ev["label"], **_when(m.get("when")),
            }
    for q in data["quotes"]:
        yield {
            "type": "quote", **{k: q[k] for k in ("id", "doc", "start", "end", "text", "kind", "speaker")},
            "value": q.get("speaker_text"), **_when(q.get("when")),
        }
    for f in data["figures"]:
        yield {
            "type": "figure",
            **{k: f.get(k) for k in ("id", "doc", "start", "end", "text", "value", "unit", "about", "speaker", "subject")},
            "kind": f.get("status"), "label": " ".join(x for x in (f.get("qualifier"), f.get("period")) if x) or None,
        }
    for t in data["times"]:
        yield {"type": "time", **{k: t[k] for k in ("id", "doc", "start", "end", "text")}, "kind": t["type"], **_when(t["when"])}
    for c in data["conflicts"]:
        for cl in c["claims"]:
            yield {
                "type": "conflict", "id": c["id"], **{k: cl[k] for k in ("doc", "start", "end", "text", "value")},
                "kind": c["kind"], "about": c["about"], "label": c["summary"],
            }


def write_csv(data: dict, fp: IO[str]) -> None:
    """One row per cited span: entity mentions, event reports, quotes, figures, times, conflict claims."""
    w = csv.DictWriter(fp, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for row in _rows(data):
        w.writerow({k: ("" if v is None else v) for k, v in row.items()})
