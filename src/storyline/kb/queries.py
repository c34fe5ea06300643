"""Indexed read queries behind the views (mixed into :class:`storyline.kb.Store`).

Each query touches only the rows it needs through an index (see
``migrations.py``): an entity by normalised name, its events through
``event_participants``, its quotes through ``entity_of`` -> ``quotes(doc,
speaker)``, a story's events through ``story_events``, and so on. Nothing
here loads the whole store for one entity or story.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from collections.abc import Sequence
from typing import Any

from ..errors import StoreError
from ..model import Conflict, Entity, Event, Figure, Quote, Story
from . import codec
from .parts import chunks

__all__ = ["Queries", "normalize_name"]


def normalize_name(name: str | None) -> str:
    """Case-, accent- and spacing-insensitive form of a name ("Á. Marín" -> "a. marin")."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("’", "'").casefold()
    return " ".join(text.split())


def _marks(n: int) -> str:
    return ",".join("?" * n)


_QUOTES_SQL = """SELECT q.data AS data, d.rowid AS drow, q.ord AS ord, e.id AS eid, COALESCE(e.name, l.name) AS name
    FROM quotes q JOIN documents d ON d.id = q.doc
    LEFT JOIN entity_of eo ON eo.doc = q.doc AND eo.key = q.speaker
    LEFT JOIN entities e ON e.id = eo.entity
    LEFT JOIN entities_local l ON l.doc = q.doc AND l.key = q.speaker"""

_FIGURES_SQL = """SELECT f.data AS data, d.rowid AS drow, f.ord AS ord,
        es.id AS sid, COALESCE(es.name, ls.name) AS sname, ep.id AS pid, COALESCE(ep.name, lp.name) AS pname
    FROM figures f JOIN documents d ON d.id = f.doc
    LEFT JOIN entity_of eos ON eos.doc = f.doc AND eos.key = f.subject
    LEFT JOIN entities es ON es.id = eos.entity
    LEFT JOIN entities_local ls ON ls.doc = f.doc AND ls.key = f.subject
    LEFT JOIN entity_of eop ON eop.doc = f.doc AND eop.key = f.speaker
    LEFT JOIN entities ep ON ep.id = eop.entity
    LEFT JOIN entities_local lp ON lp.doc = f.doc AND lp.key = f.speaker"""


class Queries:
    """Read queries for the views; expects ``self._conn`` (a sqlite3 connection with Row factory)."""

    _conn: Any  # the backend's connection adapter (kb.sqlite / kb.postgres)

    # ------------------------------------------------------------ documents

    def document_rows(self, ids: Sequence[str] | None = None, limit: int | None = None, offset: int = 0) -> list[dict]:
        """Document metadata without text: id, title, byline, effective published date, source, counts.

        ``lede`` holds the first 300 characters of the text when the document has no title (else None).
        """
        sql = """SELECT d.id, d.title, d.byline, d.source, d.words, d.duplicate_of,
                   CASE WHEN d.title IS NULL OR trim(d.title) = '' THEN substr(d.text, 1, 300) END AS lede,
                   d.published_value, d.published_earliest, d.published_latest, d.published_basis,
                   a.published_value AS a_value, a.published_earliest AS a_earliest,
                   a.published_latest AS a_latest, a.published_basis AS a_basis,
                   (SELECT count(*) FROM sources s WHERE s.doc = d.id) AS nsources,
                   f.code AS error_code, f.reason AS error_reason, d.data AS data
                 FROM documents d LEFT JOIN annotated a ON a.doc = d.id LEFT JOIN doc_errors f ON f.doc = d.id"""
        if ids is None:
            rows = self._conn.execute(sql + " ORDER BY d.rowid" + _page(limit, offset)).fetchall()
        else:
            rows = self._conn.execute(sql + f" WHERE d.id IN ({_marks(len(ids))}) ORDER BY d.rowid", list(ids)).fetchall()
        return [_doc_row(r) for r in rows]

    # ------------------------------------------------------------ entities

    def entity_ids(self, name: str) -> list[str]:
        """Resolved entities whose canonical name or an alias matches ``name`` (or whose id it is)."""
        norm = normalize_name(name)
        rows = self._conn.execute(
            """SELECT e.id FROM entity_names n JOIN entities e ON e.id = n.entity
               WHERE n.name_norm = ? ORDER BY e.mentions DESC, e.ord""",
            (norm,),
        ).fetchall()
        if not rows:
            rows = self._conn.execute("SELECT id FROM entities WHERE id = ?", (name,)).fetchall()
        return [r[0] for r in rows]

    def entity(self, entity_id: str) -> Entity | None:
        row = self._conn.execute("SELECT data FROM entities WHERE id = ?", (entity_id,)).fetchone()
        return codec.loads(Entity, row[0]) if row else None

    def entity_map(self, doc: str) -> dict[str, tuple[str, str]]:
        """A document's local keys -> (entity id, canonical name) of the resolved entity."""
        rows = self._conn.execute(
            "SELECT eo.key, e.id, e.name FROM entity_of eo JOIN entities e ON e.id = eo.entity WHERE eo.doc = ?", (doc,)
        )
        return {r[0]: (r[1], r[2]) for r in rows}

    # ------------------------------------------------------------ events

    def events(
        self,
        *,
        ids: Sequence[str] | None = None,
        entity_ids: Sequence[str] | None = None,
        story: str | None = None,
        dated: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Event]:
        """Resolved events in date order (undated last), filtered by id, participant or story."""
        where, params = [], []
        if ids is not None:
            where.append(f"e.id IN ({_marks(len(ids))})")
            params += list(ids)
        if entity_ids is not None:
            where.append(
                f"e.id IN (SELECT event FROM event_participants WHERE entity IN ({_marks(len(entity_ids))}))"
            )
            params += list(entity_ids)
        if story is not None:
            where.append("e.id IN (SELECT event FROM story_events WHERE story = ?)")
            params.append(story)
        if dated:
            where.append("(e.date IS NOT NULL OR e.earliest IS NOT NULL)")
        sql = "SELECT e.data FROM events e"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY COALESCE(e.earliest, e.date) IS NULL, COALESCE(e.earliest, e.date), e.date, e.ord"
        sql += _page(limit, offset)
        return [codec.loads(Event, r[0]) for r in self._conn.execute(sql, params)]

    def entity_events(self, entity_id: str, limit: int | None = None) -> list[tuple[Event, str]]:
        """Events an entity takes part in, with its role, in date order."""
        rows = self._conn.execute(
            """SELECT e.data, p.role FROM event_participants p JOIN events e ON e.id = p.event
               WHERE p.entity = ? ORDER BY COALESCE(e.earliest, e.date) IS NULL, COALESCE(e.earliest, e.date), e.ord
               LIMIT ?""",
            (entity_id, -1 if limit is None else int(limit)),
        )
        return [(codec.loads(Event, r[0]), r[1]) for r in rows]

    # ------------------------------------------------------------ conflicts and stories

    def open_conflicts_about(self, ids: Sequence[str]) -> set[str]:
        """Which of ``ids`` have an open conflict about them."""
        out: set[str] = set()
        for chunk in chunks(list(ids)):
            rows = self._conn.execute(
                f"SELECT about FROM conflicts WHERE status = 'open' AND about IN ({_marks(len(chunk))})", chunk
            )
            out.update(r[0] for r in rows)
        return out

    def conflict_list(self, story: str | None = None, limit: int | None = None, offset: int = 0) -> list[Conflict]:
        """Every conflict, or those whose claims cite a document of ``story``; a page of them with ``limit``."""
        if story is None:
            rows = self._conn.execute("SELECT data FROM conflicts ORDER BY ord" + _page(limit, offset))
        else:
            rows = self._conn.execute(
                """SELECT c.data FROM conflicts c WHERE c.id IN (SELECT cd.conflict FROM story_docs sd
                   JOIN conflict_docs cd ON cd.doc = sd.doc WHERE sd.story = ?) ORDER BY c.ord""",
                (story,),
            )
        return [codec.loads(Conflict, r[0]) for r in rows]

    def story_rows(self, limit: int | None = None, offset: int = 0) -> list[dict]:
        """Stories with date range, document and event counts and open conflicts."""
        rows = self._conn.execute(
            """SELECT s.id, s.label, s.earliest, s.latest, s.documents, s.events,
                 (SELECT count(DISTINCT c.id) FROM story_docs sd JOIN conflict_docs cd ON cd.doc = sd.doc
                  JOIN conflicts c ON c.id = cd.conflict WHERE sd.story = s.id AND c.status = 'open') AS conflicts
               FROM stories s ORDER BY s.ord""" + _page(limit, offset)
        )
        return [dict(r) for r in rows]

    def entity_rows(self, limit: int | None = None, offset: int = 0) -> list[dict]:
        """Resolved entities, most mentioned first: id, name, type, mentions, documents."""
        rows = self._conn.execute(
            """SELECT e.id, e.name, e.type, e.mentions,
                 (SELECT count(DISTINCT m.doc) FROM entity_mentions m WHERE m.entity = e.id) AS documents
               FROM entities e ORDER BY e.mentions DESC, e.ord""" + _page(limit, offset)
        )
        return [dict(r) for r in rows]

    def stories_of_events(self, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        """Event id -> (story id, story label) of the first story that holds it, for ``ids``."""
        out: dict[str, tuple[str, str]] = {}
        for chunk in chunks(list(ids)):
            rows = self._conn.execute(
                f"""SELECT se.event, s.id, s.label FROM story_events se JOIN stories s ON s.id = se.story
                    WHERE se.event IN ({_marks(len(chunk))}) ORDER BY s.ord""", chunk)
            for r in rows:
                out.setdefault(r[0], (r[1], r[2]))
        return out

    def entity_type_counts(self) -> list[tuple[str, int]]:
        """(type, how many resolved entities have it), most common first."""
        rows = self._conn.execute("SELECT type, count(*) AS n FROM entities GROUP BY type ORDER BY n DESC, type")
        return [(r[0] or "?", r[1]) for r in rows]

    def stories_of_docs(self, ids: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
        """Document id -> [(story id, story label)] of the stories that hold it, for ``ids``."""
        out: dict[str, list[tuple[str, str]]] = {}
        for chunk in chunks(list(ids)):
            rows = self._conn.execute(
                f"""SELECT sd.doc, s.id, s.label FROM story_docs sd JOIN stories s ON s.id = sd.story
                    WHERE sd.doc IN ({_marks(len(chunk))}) ORDER BY s.ord""", chunk)
            for r in rows:
                out.setdefault(r[0], []).append((r[1], r[2]))
        return out

    def count_of(self, what: str) -> int:
        """How many documents, entities, stories, conflicts or dated_events the store holds (for paging)."""
        sql = _COUNTS.get(what)
        if sql is None:
            raise ValueError(f"cannot count {what!r}; one of {', '.join(_COUNTS)}")
        return self._conn.execute(sql).fetchone()[0]

    def story_record(self, story_id: str) -> Story:
        row = self._conn.execute("SELECT data FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is None:
            raise StoreError(f"no story {story_id!r}", code="E302")
        return codec.loads(Story, row[0])

    # ------------------------------------------------------------ quotes and figures

    def quote_rows(
        self,
        *,
        entity_ids: Sequence[str] | None = None,
        name: str | None = None,
        docs: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> list[tuple[Quote, str | None, str | None]]:
        """(quote, speaker entity id, speaker name) in document order.

        All quotes; or those whose speaker is one of ``entity_ids`` or a local
        entity named ``name``; or those of ``docs``.
        """
        rows = _filtered(self._conn, _QUOTES_SQL, "q", ("speaker",), entity_ids, name, docs, limit)
        return [(codec.loads(Quote, r["data"]), r["eid"], r["name"]) for r in rows]

    def figure_rows(
        self,
        *,
        about: str | None = None,
        entity_ids: Sequence[str] | None = None,
        name: str | None = None,
        docs: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> list[tuple[Figure, dict]]:
        """(figure, names) where names = {subject_id, subject, speaker_id, speaker}.

        ``about`` keeps figures whose ``about`` holds it (case- and accent-insensitive);
        ``entity_ids``/``name`` keep those whose subject or speaker is that entity.
        """
        rows = _filtered(self._conn, _FIGURES_SQL, "f", ("subject", "speaker"), entity_ids, name, docs, None)
        out: list[tuple[Figure, dict]] = []
        needle = normalize_name(about) if about else ""
        for r in rows:
            if limit is not None and len(out) >= limit:
                break
            fig = codec.loads(Figure, r["data"])
            if needle and needle not in normalize_name(fig.about):
                continue
            names = {"subject_id": r["sid"], "subject": r["sname"], "speaker_id": r["pid"], "speaker": r["pname"]}
            out.append((fig, names))
        return out


_COUNTS = {
    "documents": "SELECT count(*) FROM documents",
    "entities": "SELECT count(*) FROM entities",
    "stories": "SELECT count(*) FROM stories",
    "conflicts": "SELECT count(*) FROM conflicts",
    "dated_events": "SELECT count(*) FROM events WHERE date IS NOT NULL OR earliest IS NOT NULL",
}


def _page(limit: int | None, offset: int = 0) -> str:
    """`` LIMIT n OFFSET m`` for a page of rows ('' for all)."""
    if limit is None and not offset:
        return ""
    # no LIMIT -1: PostgreSQL wants a number, and SQLite wants a LIMIT before any OFFSET; both stop at 2**63 - 1
    top = 2**63 - 1
    return f" LIMIT {top if limit is None else min(max(0, int(limit)), top)} OFFSET {min(max(0, int(offset)), top)}"


def _filtered(conn, base, alias, key_cols, entity_ids, name, docs, limit) -> list[sqlite3.Row]:
    """Run ``base`` for everything, or through the indexes for entities, a local name or documents.

    Entities go entity_of(entity) -> item(doc, key); a local name goes
    entities_local(name_norm) -> item(doc, key); documents go item(doc).
    """
    order = f" ORDER BY d.rowid, {alias}.ord"
    tail = f" LIMIT {min(max(0, int(limit)), 2**63 - 1)}" if limit is not None else ""
    if entity_ids is None and name is None and docs is None:
        return conn.execute(base + order + tail).fetchall()
    seen: dict[tuple, sqlite3.Row] = {}
    for col in key_cols:
        if entity_ids:
            sql = (base + f" JOIN entity_of x ON x.doc = {alias}.doc AND x.key = {alias}.{col}"
                   f" WHERE x.entity IN ({_marks(len(entity_ids))})")
            for r in conn.execute(sql, list(entity_ids)):
                seen[(r["drow"], r["ord"])] = r
        if name:
            sql = (base + f" JOIN entities_local y ON y.doc = {alias}.doc AND y.key = {alias}.{col}"
                   " WHERE y.name_norm = ?")
            for r in conn.execute(sql, (normalize_name(name),)):
                seen[(r["drow"], r["ord"])] = r
    if docs:
        sql = base + f" WHERE {alias}.doc = ?"
        for d in docs:
            for r in conn.execute(sql, (d,)):
                seen[(r["drow"], r["ord"])] = r
    keys = sorted(seen)
    if limit is not None:
        keys = keys[: int(limit)]
    return [seen[k] for k in keys]


def _doc_row(r: sqlite3.Row) -> dict:
    own = r["published_basis"]
    if own in ("stated", "metadata") or not r["a_basis"] or r["a_basis"] == "unknown" or not (
        r["a_value"] or r["a_earliest"] or r["a_latest"]
    ):
        value, earliest, latest, basis = r["published_value"], r["published_earliest"], r["published_latest"], own
        if basis != "unknown" and not (value or earliest or latest):
            basis = "unknown"
    else:
        value, earliest, latest, basis = r["a_value"], r["a_earliest"], r["a_latest"], r["a_basis"]
    return {
        "id": r["id"],
        "title": r["title"],
        "byline": r["byline"],
        "published": value,
        "earliest": earliest,
        "latest": latest,
        "basis": basis,
        "source": r["source"],
        "sources": r["nsources"],
        "words": r["words"],
        "duplicate_of": r["duplicate_of"],
        "lede": r["lede"],
        # annotation failed (flagged; `storyline reannotate` retries) and what ingest mended
        "error": {"code": r["error_code"], "reason": r["error_reason"]} if r["error_code"] else None,
        "repairs": (data := json.loads(r["data"])).get("repairs", []),
        "url": data.get("url"),
    }
