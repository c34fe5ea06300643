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
from itertools import islice
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
    if name.isascii():  # nothing to fold but case and spacing (most names: a sort reads thousands)
        return " ".join(name.casefold().split())
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

    def document_state(self) -> tuple[int, int]:
        """(documents stored, documents annotated): changes whenever a document is stored or annotated
        (a key for what a reader keeps about the documents)."""
        row = self._conn.execute("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM annotated)").fetchone()
        return int(row[0]), int(row[1])

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
        docs: Sequence[str] | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        roles: Sequence[str] | None = None,
        modalities: Sequence[str | None] | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Event]:
        """Resolved events in date order (undated last), filtered in SQL (:meth:`count_events` counts them).

        ``ids``, participants ``entity_ids``, ``story``; ``dated`` keeps events with a date or range;
        ``docs`` keeps those a report of one of these documents gives; ``date_from``/``date_to`` (ISO, any
        precision) keep events whose date or range can fall inside; ``roles`` and ``modalities`` keep
        those values (None in ``modalities`` stands for no modality).
        """
        where, params = _event_filter(ids, entity_ids, story, dated, docs, date_from, date_to, roles, modalities)
        cond = " WHERE " + " AND ".join(where) if where else ""
        # dated rows need no "undated last" key: the order is then the events_when index's own
        order = (" ORDER BY " if dated else " ORDER BY COALESCE(e.earliest, e.date) IS NULL, ") + _EVENT_ORDER
        if limit is None and not offset:
            sql = "SELECT e.data FROM events e" + cond + order
        else:  # a page: the ids are sorted and cut first, so only the page's rows are read whole
            sql = (f"SELECT e.data FROM events e WHERE e.id IN (SELECT e.id FROM events e{cond}{order}"
                   f"{_page(limit, offset)}){order}")
        return [codec.loads(Event, r[0]) for r in self._conn.execute(sql, params)]

    def count_events(
        self,
        *,
        entity_ids: Sequence[str] | None = None,
        story: str | None = None,
        dated: bool = False,
        docs: Sequence[str] | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        roles: Sequence[str] | None = None,
        modalities: Sequence[str | None] | None = None,
    ) -> int:
        """How many events :meth:`events` gives for the same filters."""
        where, params = _event_filter(None, entity_ids, story, dated, docs, date_from, date_to, roles, modalities)
        sql = "SELECT count(*) FROM events e" + (" WHERE " + " AND ".join(where) if where else "")
        return int(self._conn.execute(sql, params).fetchone()[0])

    def event_modalities(self, dated: bool = False) -> list[str | None]:
        """The modalities resolved events (``dated``: those with a date or range) have (None for none), each once."""
        sql = "SELECT DISTINCT modality FROM events" + (" WHERE COALESCE(earliest, date) IS NOT NULL" if dated else "")
        return [r[0] for r in self._conn.execute(sql)]

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

    def entity_rows(self, limit: int | None = None, offset: int = 0, *, type: str | None = None,
                    words: Sequence[str] | None = None, sort: str = "mentions",
                    ids: Sequence[str] | None = None) -> list[dict]:
        """Resolved entities: id, name, type, mentions, documents; most mentioned first, or ``sort`` by
        ``sources`` (documents) or ``name`` (case- and accent-insensitive, :meth:`entity_order`). ``type``
        keeps one type; ``words`` (normalised, see :func:`normalize_name`) keeps entities one of whose
        names (canonical or alias) holds every word; ``ids`` gives these entities in this order. A page
        with ``limit``."""
        sql = "SELECT e.id, e.name, e.type, e.mentions, e.docs AS documents FROM entities e"
        if ids is not None:
            found: dict[str, dict] = {}
            for chunk in chunks(list(ids)):
                found.update((r[0], dict(r)) for r in self._conn.execute(
                    sql + f" WHERE e.id IN ({_marks(len(chunk))})", list(chunk)))
            return [found[i] for i in ids if i in found]
        if sort == "name":
            return self.entity_rows(ids=self.entity_order(type=type, words=words)[offset: None if limit is None
                                                                                    else offset + limit])
        order = {"mentions": "e.mentions DESC, e.ord", "sources": "e.docs DESC, e.mentions DESC, e.ord"}.get(sort)
        if order is None:
            raise ValueError(f"cannot sort entities by {sort!r}")
        where, params = _entity_filter(type, words)
        cond = " WHERE " + " AND ".join(where) if where else ""
        return [dict(r) for r in self._conn.execute(sql + cond + " ORDER BY " + order + _page(limit, offset), params)]

    def entity_order(self, *, type: str | None = None, words: Sequence[str] | None = None) -> list[str]:
        """The ids :meth:`entity_rows` filters to, by folded name (then most mentioned first): names sort
        in Python, as SQL's lower() folds neither accents nor most scripts."""
        where, params = _entity_filter(type, words)
        cond = " WHERE " + " AND ".join(where) if where else ""
        rows = [(r[0], r[1]) for r in self._conn.execute(
            "SELECT e.id, e.name FROM entities e" + cond + " ORDER BY e.mentions DESC, e.ord", params)]
        rows.sort(key=lambda r: normalize_name(r[1]))
        return [i for i, _ in rows]

    def resolution_state(self) -> tuple[int, ...]:
        """How many entities, names, events and stories are stored: changes with (nearly) every resolution
        (a key for what a reader keeps about it)."""
        row = self._conn.execute("""SELECT (SELECT count(*) FROM entities), (SELECT count(*) FROM entity_names),
                                           (SELECT count(*) FROM events), (SELECT count(*) FROM stories)""").fetchone()
        return tuple(int(x) for x in row)

    def count_entities(self, *, type: str | None = None, words: Sequence[str] | None = None) -> int:
        """How many entities :meth:`entity_rows` gives for the same filters."""
        where, params = _entity_filter(type, words)
        sql = "SELECT count(*) FROM entities e" + (" WHERE " + " AND ".join(where) if where else "")
        return int(self._conn.execute(sql, params).fetchone()[0])

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
        offset: int = 0,
    ) -> list[tuple[Quote, str | None, str | None]]:
        """(quote, speaker entity id, speaker name) in document order.

        All quotes; or those whose speaker is one of ``entity_ids`` or a local
        entity named ``name``; or those of ``docs``; a page with ``limit`` and ``offset``.
        """
        rows = _filtered(self._conn, _QUOTES_SQL, "q", ("speaker",), entity_ids, name, docs, limit, offset)
        return [(codec.loads(Quote, r["data"]), r["eid"], r["name"]) for r in rows]

    def figure_rows(
        self,
        *,
        about: str | None = None,
        entity_ids: Sequence[str] | None = None,
        name: str | None = None,
        docs: Sequence[str] | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[tuple[Figure, dict]]:
        """(figure, names) where names = {subject_id, subject, speaker_id, speaker}.

        ``about`` keeps figures whose ``about`` holds it (case- and accent-insensitive);
        ``entity_ids``/``name`` keep those whose subject or speaker is that entity;
        a page with ``limit`` and ``offset``.
        """
        abouts = self._abouts(about) if about and entity_ids is None and name is None and docs is None else None
        if not about:
            rows = _filtered(self._conn, _FIGURES_SQL, "f", ("subject", "speaker"), entity_ids, name, docs, limit, offset)
        elif abouts is not None and len(abouts) <= _SQL_PARAMS:  # the figures about these words, a page in SQL
            if not abouts:
                return []
            rows = self._conn.execute(_FIGURES_SQL + f" WHERE f.about IN ({_marks(len(abouts))}) ORDER BY d.rowid, f.ord"
                                      + _page(limit, offset), abouts).fetchall()
        else:
            needle = normalize_name(about)
            found = (r for r in _filtered(self._conn, _FIGURES_SQL, "f", ("subject", "speaker"), entity_ids, name, docs,
                                          None, 0, lazy=True)
                     if needle in normalize_name(json.loads(r["data"]).get("about")))
            rows = list(islice(found, offset, None if limit is None else offset + limit))
        return [(codec.loads(Figure, r["data"]),
                 {"subject_id": r["sid"], "subject": r["sname"], "speaker_id": r["pid"], "speaker": r["pname"]})
                for r in rows]

    def count_figures(self, about: str | None = None) -> int:
        """How many figures :meth:`figure_rows` gives (all, or those about ``about``)."""
        if not about:
            return self.count_of("figures")
        abouts = self._abouts(about)
        n = 0
        for chunk in chunks(abouts):
            n += int(self._conn.execute(f"SELECT count(*) FROM figures WHERE about IN ({_marks(len(chunk))})",
                                        list(chunk)).fetchone()[0])
        return n

    def _abouts(self, about: str) -> list[str]:
        """The stored ``about`` values that hold ``about`` (case- and accent-insensitive), each once."""
        needle = normalize_name(about)
        return [r[0] for r in self._conn.execute("SELECT DISTINCT about FROM figures WHERE about IS NOT NULL")
                if needle in normalize_name(r[0])]


_COUNTS = {
    "documents": "SELECT count(*) FROM documents",
    "entities": "SELECT count(*) FROM entities",
    "stories": "SELECT count(*) FROM stories",
    "conflicts": "SELECT count(*) FROM conflicts",
    "dated_events": "SELECT count(*) FROM events WHERE COALESCE(earliest, date) IS NOT NULL",
    "figures": "SELECT count(*) FROM figures",
    "quotes": "SELECT count(*) FROM quotes",
}


_EVENT_ORDER = "COALESCE(e.earliest, e.date), e.date, e.ord"
_SQL_PARAMS = 30_000  # the most values one IN list takes (SQLite allows 32,766 parameters, PostgreSQL 65,535)


def _event_filter(ids, entity_ids, story, dated, docs, date_from, date_to, roles, modalities) -> tuple[list[str], list]:
    """The WHERE terms and parameters of :meth:`Queries.events`."""
    where: list[str] = []
    params: list = []

    def among(expr: str, values: Sequence) -> None:
        if len(values) > _SQL_PARAMS:
            raise ValueError(f"at most {_SQL_PARAMS} values in one filter, not {len(values)}")
        where.append(f"{expr} IN ({_marks(len(values))})" if values else "0 = 1")
        params.extend(values)

    if ids is not None:
        among("e.id", list(ids))
    if entity_ids is not None:
        where.append(f"e.id IN (SELECT event FROM event_participants WHERE entity IN ({_marks(len(entity_ids))}))"
                     if entity_ids else "0 = 1")
        params.extend(entity_ids)
    if story is not None:
        where.append("e.id IN (SELECT event FROM story_events WHERE story = ?)")
        params.append(story)
    if dated:
        where.append("COALESCE(e.earliest, e.date) IS NOT NULL")
    if docs is not None:
        docs = list(docs)
        if len(docs) > _SQL_PARAMS:
            raise ValueError(f"at most {_SQL_PARAMS} documents in one filter, not {len(docs)}")
        where.append(f"e.id IN (SELECT event FROM event_reports WHERE doc IN ({_marks(len(docs))}))" if docs else "0 = 1")
        params.extend(docs)
    if date_from:  # the latest day it can be is not before date_from
        where.append("(COALESCE(e.latest, e.date, e.earliest) IS NULL OR COALESCE(e.latest, e.date, e.earliest) >= ?)")
        params.append(date_from)
    if date_to:  # the earliest day it can be is not after date_to (at date_to's precision)
        where.append(f"(COALESCE(e.earliest, e.date) IS NULL OR substr(COALESCE(e.earliest, e.date), 1, {len(date_to)}) <= ?)")
        params.append(date_to)
    if roles is not None:
        among("e.role", list(roles))
    if modalities is not None:
        given = [m for m in modalities if m is not None]
        none = len(given) < len(list(modalities))
        if given:
            among("e.modality", given)
            if none:
                where[-1] = f"({where[-1]} OR e.modality IS NULL)"
        else:
            where.append("e.modality IS NULL" if none else "0 = 1")
    return where, params


def _like(word: str) -> str:
    """A LIKE pattern that finds ``word`` anywhere (its own ``%``, ``_`` and ``\\`` escaped)."""
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _entity_filter(type: str | None, words: Sequence[str] | None) -> tuple[list[str], list]:
    where: list[str] = []
    params: list = []
    if type is not None:
        where.append("e.type = ?")
        params.append(type)
    if words:
        likes = " AND ".join("n.name_norm LIKE ? ESCAPE '\\'" for _ in words)
        where.append(f"e.id IN (SELECT n.entity FROM entity_names n WHERE {likes})")
        params.extend(_like(w) for w in words)
    return where, params


def _page(limit: int | None, offset: int = 0) -> str:
    """`` LIMIT n OFFSET m`` for a page of rows ('' for all)."""
    if limit is None and not offset:
        return ""
    # no LIMIT -1: PostgreSQL wants a number, and SQLite wants a LIMIT before any OFFSET; both stop at 2**63 - 1
    top = 2**63 - 1
    return f" LIMIT {top if limit is None else min(max(0, int(limit)), top)} OFFSET {min(max(0, int(offset)), top)}"


_TABLE_OF = {"q": "quotes", "f": "figures"}


def _filtered(conn, base, alias, key_cols, entity_ids, name, docs, limit, offset=0, lazy=False):
    """Run ``base`` for everything, or through the indexes for entities, a local name or documents;
    a page with ``limit`` and ``offset`` (``lazy``: the rows as the cursor gives them, everything only).

    Entities go entity_of(entity) -> item(doc, key); a local name goes
    entities_local(name_norm) -> item(doc, key); documents go item(doc).
    """
    order = f" ORDER BY d.rowid, {alias}.ord"
    if entity_ids is None and name is None and docs is None:
        if limit is None and not offset:
            cur = conn.execute(base + order)
        else:  # a page: its keys first, from the (doc, ord, id) index, then only its rows whole
            table = _TABLE_OF[alias]
            cur = conn.execute(base + f" WHERE ({alias}.doc, {alias}.id) IN (SELECT x.doc, x.id FROM documents d"
                               f" JOIN {table} x ON x.doc = d.id ORDER BY d.rowid, x.ord{_page(limit, offset)})" + order)
        return cur if lazy else cur.fetchall()
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
    keys = sorted(seen)[max(0, int(offset)):]
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
