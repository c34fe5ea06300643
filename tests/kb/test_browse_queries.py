"""The store's filtered, sorted and paged reads for the browsing pages (issue 18) give what filtering every
row in Python gives: events by date range, role, modality and reporting document; entities by type, name
words and sort; quotes and figures a page at a time. Checked against a plain reference on a small store."""

from __future__ import annotations

import itertools

import pytest

from storyline.kb import codec, normalize_name, open_store
from storyline.model import Entity, Event, EventReport, Resolution, Span, When

pytestmark = pytest.mark.issue(18)

WHENS = [When("2031-06-09", "2031-06-09", "2031-06-09"), When("2031-06", "2031-06-01", "2031-06-30"),
         When(None, "2031-05-20", None), When("2030", "2030-01-01", "2030-12-31"), None,
         When("2031-07-02", "2031-07-02", "2031-07-02")]
ROLES = [None, "news", "background", "headline", "reaction"]
MODALITIES = ["asserted", "planned", "negated"]
NAMES = [("Ana Álvarez", "PERSON"), ("ana alvarez jr", "PERSON"), ("Orlund Ferries", "ORG"), ("Zed Co", "ORG"),
         ("Émile Zola", "PERSON"), ("Orlund", "GPE"), ("Bram Ivers", "PERSON")]


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def store(request, tmp_path_factory):
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("kb") / "browse.db"
    else:
        path = request.getfixturevalue("pg_server").create_db()
    events = []
    for i in range(30):
        docs = [f"d{(i + k) % 5}" for k in range(1 + i % 3)]
        reps = tuple(EventReport(Span(d, 0, 4, "text"), f"v{i}") for d in docs)
        events.append(Event(f"evt_{i:03d}", "MEET", f"event {i}", (), WHENS[i % len(WHENS)], reps,
                            modality=MODALITIES[i % 3], role=ROLES[i % len(ROLES)]))
    ents = [Entity(f"ent_{i}", n, t, (f"alias {i}",) if i == 3 else (), (),
                   tuple(Span(f"d{k}", 0, 4, "text") for k in range(i % 4 + 1) for _ in range(1 + i % 2)), ())
            for i, (n, t) in enumerate(NAMES)]
    with open_store(path) as s:
        s.save_resolution(Resolution(tuple(ents), tuple(events), (), (), (), {}))
    with open_store(path, readonly=True) as s:
        yield s


def _lo_hi(ev: Event) -> tuple[str | None, str | None]:
    w = ev.when or When()
    lo = w.earliest or w.value
    return lo, w.latest or w.value or lo


def _reference(events: list[Event], *, date_from=None, date_to=None, roles=None, modalities=None, docs=None):
    out = []
    for ev in events:
        lo, hi = _lo_hi(ev)
        if date_from and hi and hi < date_from:
            continue
        if date_to and lo and lo[: len(date_to)] > date_to:
            continue
        if roles is not None and ev.role not in roles:
            continue
        if modalities is not None and ev.modality not in modalities:
            continue
        if docs is not None and not {m.span.doc for m in ev.mentions} & set(docs):
            continue
        out.append(ev.id)
    return out


FILTERS = [{}, {"date_from": "2031-06-10"}, {"date_to": "2031-06"}, {"date_from": "2031", "date_to": "2031-06-30"},
           {"roles": ["news", "headline"]}, {"modalities": ["planned", "negated"]}, {"docs": ["d1"]},
           {"docs": ["d0", "d4"], "roles": ["news"], "date_from": "2030-06"}, {"roles": []}]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f) or "none")
def test_event_filters_match_a_plain_filter(store, filters):
    dated = store.events(dated=True)
    want = _reference(dated, **filters)
    assert [e.id for e in store.events(dated=True, **filters)] == want
    assert store.count_events(dated=True, **filters) == len(want)
    for offset, limit in itertools.product((0, 2, 7), (1, 3, 50)):
        assert [e.id for e in store.events(dated=True, **filters, limit=limit, offset=offset)] == \
            want[offset: offset + limit]


def test_undated_events_come_last_and_modalities_are_listed(store):
    every = store.events()
    assert [e.when is None or not (e.when.earliest or e.when.value) for e in every] == sorted(
        e.when is None or not (e.when.earliest or e.when.value) for e in every)
    assert sorted(m for m in store.event_modalities(dated=True) if m) == sorted(MODALITIES)


@pytest.mark.parametrize("sort", ["mentions", "sources", "name"])
@pytest.mark.parametrize("type,words", [(None, None), ("PERSON", None), (None, ["ana"]), ("ORG", ["orlund"]),
                                        (None, ["alias"]), (None, ["zola", "emile"]), (None, ["%"])])
def test_entity_filters_and_sorts_match_a_plain_sort(store, type, words, sort):
    every = store.entity_rows()
    names = {e["id"]: {normalize_name(e["name"])} for e in every}
    names["ent_3"].add("alias 3")
    keep = [e for e in every if (type is None or e["type"] == type)
            and (not words or any(all(w in n for w in words) for n in names[e["id"]]))]
    if sort == "sources":
        keep.sort(key=lambda e: -e["documents"])
    elif sort == "name":
        keep.sort(key=lambda e: normalize_name(e["name"]))
    want = [e["id"] for e in keep]
    assert [e["id"] for e in store.entity_rows(type=type, words=words, sort=sort)] == want
    assert [e["id"] for e in store.entity_rows(type=type, words=words, sort=sort, limit=2, offset=1)] == want[1:3]
    assert store.count_entities(type=type, words=words) == len(want)


def test_entity_documents_are_counted_once(store):
    rows = {e["id"]: e for e in store.entity_rows()}
    assert rows["ent_1"]["documents"] == 2 and rows["ent_1"]["mentions"] == 4  # two mentions in each of 2 docs


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def test_migration_fills_the_new_columns_from_a_stored_resolution(backend, tmp_path, request):
    """A store resolved before 0008_browse gets each event's role and modality and each entity's
    documents from what it stored, on either backend."""
    from storyline.kb.migrations import MIGRATIONS, migrate

    ev = Event("evt_1", "MEET", "a meeting", (), When("2031-06-09", "2031-06-09", "2031-06-09"),
               (EventReport(Span("d1", 0, 4, "text"), "v1"),), modality="planned", role="background")
    ent = Entity("ent_1", "Ana", "PERSON", (), (), (Span("d1", 0, 3, "Ana"), Span("d1", 5, 8, "Ana"),
                                                   Span("d2", 0, 3, "Ana")), ())
    if backend == "sqlite":
        import sqlite3

        from storyline.kb.migrations import SQLITE
        from storyline.kb.sqlite import SqliteConnection

        url = str(tmp_path / "old.db")
        conn = SqliteConnection(sqlite3.connect(url, isolation_level=None), url)
        dialect = SQLITE
    else:
        from storyline.kb.postgres import POSTGRES, PgConnection, _psycopg

        url = request.getfixturevalue("pg_server").create_db()
        conn = PgConnection(_psycopg().connect(url, autocommit=True), url)
        dialect = POSTGRES
    old = tuple(m for m in MIGRATIONS if m.name < "0008")
    migrate(conn, old, dialect)
    conn.execute("INSERT INTO events (id, ord, type, label, date, earliest, latest, sources, data) "
                 "VALUES (?, 0, 'MEET', 'a meeting', '2031-06-09', '2031-06-09', '2031-06-09', 1, ?)",
                 (ev.id, codec.dumps(ev)))
    conn.execute("INSERT INTO entities (id, ord, name, type, mentions, data) VALUES (?, 0, 'Ana', 'PERSON', 3, ?)",
                 (ent.id, codec.dumps(ent)))
    for sp in ent.mentions:
        conn.execute("INSERT INTO entity_mentions (entity, doc, start, \"end\") VALUES (?, ?, ?, ?)",
                     (ent.id, sp.doc, sp.start, sp.end))
    conn.close()
    with open_store(url) as s:  # migrates
        assert [e.id for e in s.events(dated=True, roles=["background"], modalities=["planned"])] == ["evt_1"]
        assert s.count_events(dated=True, roles=["news"]) == 0
        assert [(e["id"], e["documents"]) for e in s.entity_rows(sort="sources")] == [("ent_1", 2)]
