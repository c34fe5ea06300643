"""A store whose resolution was written before 0010_lean_resolution (entity mentions one row each, link
tables with a rowid) reads back, after the migration, exactly as one written by this version: the same
rows in every resolution table, the same resolution, the same answers to the queries that read them."""

from __future__ import annotations

import pytest

from storyline.kb import codec, open_store
from storyline.kb.migrations import MIGRATIONS, migrate
from storyline.kb.queries import normalize_name
from storyline.kb.writes import when_cols
from storyline.model import Entity, Event, EventReport, Participant, Resolution, Span, Story, Support, When

_TABLES = ("entities", "entity_names", "entity_docs", "entity_of", "events", "event_participants", "event_reports",
           "stories", "story_docs", "story_events", "conflicts", "conflict_docs", "support")


def _resolution() -> Resolution:
    ana = Entity("ent_a", "Ana", "PERSON", ("Ana A.",), (),
                 (Span("d1", 0, 3, "Ana"), Span("d1", 9, 12, "Ana"), Span("d2", 0, 3, "Ana")), (("d1", "e1"), ("d2", "e1")))
    port = Entity("ent_p", "Lakeport", "GPE", (), (), (Span("d2", 5, 13, "Lakeport"),), (("d2", "e2"),))
    met = Event("evt_1", "MEET", "Ana — meet", (Participant("ent_a", "actor"),), When("2031-06-09", "2031-06-09", "2031-06-09"),
                (EventReport(Span("d1", 0, 20, "Ana met in Lakeport."), "v1", None, Span("d1", 4, 7, "met")),
                 EventReport(Span("d2", 0, 20, "Ana met in Lakeport."), "v2")), sources=2, role="headline")
    said = Event("evt_2", "STATEMENT", "Ana — say", (Participant("ent_a", "actor"), Participant("ent_p", "with")), None,
                 (EventReport(Span("d2", 21, 30, "She said."), "v1"),), role="reaction")
    story = Story("sty_1", "Ana meets", ("d1", "d2"), ("evt_1", "evt_2"), "2031-06-09", "2031-06-09", headline="evt_1")
    support = (Support("d1:q1", "quote", ("d1",), 1), Support("evt_1", "event", ("d1", "d2"), 2),
               Support("evt_2", "event", ("d2",), 1))
    return Resolution((ana, port), (met, said), (story,), (), support,
                      {("d1", "e1"): "ent_a", ("d2", "e1"): "ent_a", ("d2", "e2"): "ent_p"})


def _insert_before_0010(conn, res: Resolution) -> None:
    """The resolution's rows as storyline wrote them before 0010 (its ``_insert_resolution``)."""
    for i, e in enumerate(res.entities):
        conn.execute("INSERT INTO entities (id, ord, name, type, mentions, docs, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (e.id, i, e.name, e.type, len(e.mentions), len({s.doc for s in e.mentions}), codec.dumps(e)))
        for n in sorted({normalize_name(n) for n in (e.name, *e.aliases)} - {""}):
            conn.execute("INSERT INTO entity_names (name_norm, entity) VALUES (?, ?)", (n, e.id))
        for s in e.mentions:
            conn.execute("INSERT INTO entity_mentions (entity, doc, start, end) VALUES (?, ?, ?, ?)", (e.id, s.doc, s.start, s.end))
    for i, ((d, k), ent) in enumerate(res.entity_of.items()):
        conn.execute("INSERT INTO entity_of (doc, key, entity, ord) VALUES (?, ?, ?, ?)", (d, k, ent, i))
    for i, ev in enumerate(res.events):
        conn.execute("""INSERT INTO events (id, ord, type, label, date, earliest, latest, sources, role, modality, data)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                     (ev.id, i, ev.type, ev.label, *when_cols(ev.when), ev.sources, ev.role, ev.modality, codec.dumps(ev)))
        for p in ev.participants:
            conn.execute("INSERT INTO event_participants (event, entity, role) VALUES (?, ?, ?)", (ev.id, p.entity, p.role))
        for m in ev.mentions:
            conn.execute("INSERT INTO event_reports (event, doc, mention) VALUES (?, ?, ?)", (ev.id, m.span.doc, m.mention))
    for i, st in enumerate(res.stories):
        conn.execute("""INSERT INTO stories (id, ord, label, earliest, latest, documents, events, data)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                     (st.id, i, st.label, st.earliest, st.latest, len(st.documents), len(st.events), codec.dumps(st)))
        for j, d in enumerate(st.documents):
            conn.execute("INSERT INTO story_docs (story, doc, ord) VALUES (?, ?, ?)", (st.id, d, j))
        for j, ev in enumerate(st.events):
            conn.execute("INSERT INTO story_events (story, event, ord) VALUES (?, ?, ?)", (st.id, ev, j))
    for i, s in enumerate(res.support):
        conn.execute("INSERT INTO support (item, ord, kind, sources, data) VALUES (?, ?, ?, ?, ?)",
                     (s.item, i, s.kind, s.sources, codec.dumps(s)))


def _rows(store) -> dict:
    dump = store.dump()
    return {t: dump[t] for t in _TABLES}


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def test_a_resolution_stored_before_0010_reads_back_as_one_stored_now(backend, tmp_path, request):
    res = _resolution()
    if backend == "sqlite":
        import sqlite3

        from storyline.kb.migrations import SQLITE
        from storyline.kb.sqlite import SqliteConnection

        old, new = str(tmp_path / "old.db"), str(tmp_path / "new.db")
        conn = SqliteConnection(sqlite3.connect(old, isolation_level=None), old)
        dialect = SQLITE
    else:
        from storyline.kb.postgres import POSTGRES, PgConnection, _psycopg

        server = request.getfixturevalue("pg_server")
        old, new = server.create_db(), server.create_db()
        conn = PgConnection(_psycopg().connect(old, autocommit=True), old)
        dialect = POSTGRES
    migrate(conn, tuple(m for m in MIGRATIONS if m.name < "0010"), dialect)
    _insert_before_0010(conn, res)
    conn.close()
    with open_store(new) as fresh:
        fresh.save_resolution(res)
        want = _rows(fresh)
    with open_store(old) as s:  # migrates
        assert _rows(s) == want
        assert s.resolution() == res
        assert [e.id for e in s.events(docs=["d2"])] == ["evt_1", "evt_2"]
        assert s.stories_of_events(["evt_2"]) == {"evt_2": ("sty_1", "Ana meets")}
        assert s.entity_map("d2") == {"e1": ("ent_a", "Ana"), "e2": ("ent_p", "Lakeport")}
        # a partial resolution finds the entities of its documents through entity_docs
        s.replace_resolution_part(["d2"], Resolution())
        assert [e.id for e in s.resolution().entities] == []
