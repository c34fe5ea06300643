"""Named, transactional schema migrations recorded in a ``migrations`` table: one runner, every backend.

Each migration is a name and a list of SQL statements written in SQLite's
dialect; a :class:`Dialect` says how a backend writes them (PostgreSQL's is in
:mod:`.postgres`), names its ledger table and lists its tables. On open,
:func:`migrate` runs every migration not yet recorded inside its own write
transaction together with the row that records it, so a crash leaves the
schema either before or after a migration, never half way (a second process
waiting for the write lock sees it done and skips it). On SQLite ``PRAGMA
user_version`` mirrors the number of migrations applied. A store that has
applied migrations this code does not know was written by a newer storyline
and is refused (E301); a database that holds tables but no storyline ledger
belongs to another application and is refused untouched (E300), by every
command, reading or writing. :func:`check_migrated` is the read-only twin
(the web app's store): it changes nothing and refuses a store that is not
fully migrated.

A new column or table is a new migration appended to :data:`MIGRATIONS`;
never edit one that has shipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from ..errors import StoreError
from .reliability import RELIABILITY_SCHEMA

__all__ = ["Migration", "MIGRATIONS", "Dialect", "SQLITE", "migrate", "applied", "check_migrated", "refuse_foreign"]


@dataclass(frozen=True)
class Migration:
    name: str
    statements: tuple[str, ...]


_DOCUMENTS = (
    # rowid is the storage order: "earliest stored" means the smallest rowid
    """CREATE TABLE documents (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        title TEXT,
        text TEXT NOT NULL,
        byline TEXT,
        source TEXT NOT NULL,
        words INTEGER NOT NULL,
        published_value TEXT,
        published_earliest TEXT,
        published_latest TEXT,
        published_basis TEXT NOT NULL,
        duplicate_of TEXT,
        fingerprint TEXT NOT NULL,
        data TEXT NOT NULL
    )""",
    "CREATE INDEX documents_duplicate_of ON documents(duplicate_of)",
    """CREATE TABLE sources (
        rowid INTEGER PRIMARY KEY,
        doc TEXT NOT NULL,
        source TEXT NOT NULL,
        UNIQUE (doc, source)
    )""",
    """CREATE VIRTUAL TABLE doc_fts USING fts5(
        title, text, content='documents', content_rowid='rowid',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    "CREATE TABLE doc_lsh (key TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (key, doc)) WITHOUT ROWID",
)

_ANNOTATIONS = (
    """CREATE TABLE annotated (
        doc TEXT PRIMARY KEY,
        published_value TEXT,
        published_earliest TEXT,
        published_latest TEXT,
        published_basis TEXT NOT NULL,
        published TEXT NOT NULL
    )""",
    """CREATE TABLE entities_local (
        doc TEXT NOT NULL, key TEXT NOT NULL, ord INTEGER NOT NULL,
        name TEXT NOT NULL, name_norm TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL,
        PRIMARY KEY (doc, key)
    )""",
    "CREATE INDEX entities_local_name ON entities_local(name_norm)",
    """CREATE TABLE times (
        doc TEXT NOT NULL, id TEXT NOT NULL, ord INTEGER NOT NULL, type TEXT NOT NULL,
        date TEXT, earliest TEXT, latest TEXT, start INTEGER NOT NULL, data TEXT NOT NULL,
        PRIMARY KEY (doc, id)
    )""",
    "CREATE INDEX times_date ON times(earliest)",
    """CREATE TABLE quotes (
        doc TEXT NOT NULL, id TEXT NOT NULL, ord INTEGER NOT NULL, kind TEXT NOT NULL,
        speaker TEXT, start INTEGER NOT NULL, data TEXT NOT NULL,
        PRIMARY KEY (doc, id)
    )""",
    "CREATE INDEX quotes_speaker ON quotes(doc, speaker)",
    """CREATE TABLE figures (
        doc TEXT NOT NULL, id TEXT NOT NULL, ord INTEGER NOT NULL, value REAL, unit TEXT,
        about TEXT, subject TEXT, speaker TEXT, start INTEGER NOT NULL, data TEXT NOT NULL,
        PRIMARY KEY (doc, id)
    )""",
    "CREATE INDEX figures_subject ON figures(doc, subject)",
    "CREATE INDEX figures_speaker ON figures(doc, speaker)",
    """CREATE TABLE event_mentions (
        doc TEXT NOT NULL, id TEXT NOT NULL, ord INTEGER NOT NULL, type TEXT NOT NULL,
        date TEXT, earliest TEXT, latest TEXT, start INTEGER NOT NULL, data TEXT NOT NULL,
        PRIMARY KEY (doc, id)
    )""",
    "CREATE INDEX event_mentions_date ON event_mentions(earliest)",
)

_RESOLUTION = (
    """CREATE TABLE entities (
        id TEXT PRIMARY KEY, ord INTEGER NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL,
        mentions INTEGER NOT NULL, data TEXT NOT NULL
    )""",
    "CREATE INDEX entities_ord ON entities(ord)",
    # canonical name and every alias, normalised (casefold, no accents)
    "CREATE TABLE entity_names (name_norm TEXT NOT NULL, entity TEXT NOT NULL, PRIMARY KEY (name_norm, entity)) WITHOUT ROWID",
    """CREATE TABLE entity_mentions (
        entity TEXT NOT NULL, doc TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL
    )""",
    "CREATE INDEX entity_mentions_entity ON entity_mentions(entity)",
    "CREATE INDEX entity_mentions_doc ON entity_mentions(doc)",
    "CREATE TABLE entity_of (doc TEXT NOT NULL, key TEXT NOT NULL, entity TEXT NOT NULL, ord INTEGER NOT NULL, PRIMARY KEY (doc, key))",
    "CREATE INDEX entity_of_entity ON entity_of(entity)",
    """CREATE TABLE events (
        id TEXT PRIMARY KEY, ord INTEGER NOT NULL, type TEXT NOT NULL, label TEXT NOT NULL,
        date TEXT, earliest TEXT, latest TEXT, sources INTEGER NOT NULL, data TEXT NOT NULL
    )""",
    "CREATE INDEX events_date ON events(earliest, date)",
    "CREATE TABLE event_participants (event TEXT NOT NULL, entity TEXT NOT NULL, role TEXT NOT NULL)",
    "CREATE INDEX event_participants_entity ON event_participants(entity)",
    "CREATE INDEX event_participants_event ON event_participants(event)",
    "CREATE TABLE event_reports (event TEXT NOT NULL, doc TEXT NOT NULL, mention TEXT NOT NULL)",
    "CREATE INDEX event_reports_event ON event_reports(event)",
    "CREATE INDEX event_reports_doc ON event_reports(doc, mention)",
    """CREATE TABLE stories (
        id TEXT PRIMARY KEY, ord INTEGER NOT NULL, label TEXT NOT NULL,
        earliest TEXT, latest TEXT, documents INTEGER NOT NULL, events INTEGER NOT NULL, data TEXT NOT NULL
    )""",
    "CREATE TABLE story_docs (story TEXT NOT NULL, doc TEXT NOT NULL, ord INTEGER NOT NULL, PRIMARY KEY (story, doc))",
    "CREATE INDEX story_docs_doc ON story_docs(doc)",
    "CREATE TABLE story_events (story TEXT NOT NULL, event TEXT NOT NULL, ord INTEGER NOT NULL, PRIMARY KEY (story, event))",
    "CREATE INDEX story_events_event ON story_events(event)",
    """CREATE TABLE conflicts (
        id TEXT PRIMARY KEY, ord INTEGER NOT NULL, kind TEXT NOT NULL, about TEXT NOT NULL,
        status TEXT NOT NULL, data TEXT NOT NULL
    )""",
    "CREATE INDEX conflicts_about ON conflicts(about)",
    "CREATE TABLE conflict_docs (conflict TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (conflict, doc))",
    "CREATE INDEX conflict_docs_doc ON conflict_docs(doc)",
    """CREATE TABLE support (
        item TEXT NOT NULL, ord INTEGER NOT NULL, kind TEXT NOT NULL, sources INTEGER NOT NULL, data TEXT NOT NULL
    )""",
    "CREATE INDEX support_item ON support(item)",
)

_DOC_KEYS = (
    # blocking keys per annotated document (storyline.resolve.keys): incremental resolution
    "CREATE TABLE doc_keys (key TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (key, doc)) WITHOUT ROWID",
    "CREATE INDEX doc_keys_doc ON doc_keys(doc)",
    "CREATE TABLE keyed (doc TEXT PRIMARY KEY, version INTEGER NOT NULL)",
)

# the resolution's link tables written for what their readers ask, each row in one b-tree less (saving the
# 772 ECB+ articles' resolution wrote 135,000 rows into 400,000 b-tree entries):
_LEAN_RESOLUTION = (
    # an entity's documents, each once: all that is asked of its mentions (their spans are in its data)
    "CREATE TABLE entity_docs (entity TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (entity, doc)) WITHOUT ROWID",
    "INSERT INTO entity_docs (entity, doc) SELECT DISTINCT entity, doc FROM entity_mentions",
    "DROP TABLE entity_mentions",
    "CREATE INDEX entity_docs_doc ON entity_docs(doc)",
    # keyed link tables without a rowid: the key is the table (an event's reports are each one mention)
    "CREATE TABLE reports_by_event (event TEXT NOT NULL, doc TEXT NOT NULL, mention TEXT NOT NULL, "
    "PRIMARY KEY (event, doc, mention)) WITHOUT ROWID",
    "INSERT INTO reports_by_event (event, doc, mention) SELECT DISTINCT event, doc, mention FROM event_reports",
    "DROP TABLE event_reports",
    "ALTER TABLE reports_by_event RENAME TO event_reports",
    "CREATE INDEX event_reports_doc ON event_reports(doc, mention)",
    "CREATE TABLE events_of_story (story TEXT NOT NULL, event TEXT NOT NULL, ord INTEGER NOT NULL, "
    "PRIMARY KEY (story, event)) WITHOUT ROWID",
    "INSERT INTO events_of_story (story, event, ord) SELECT story, event, ord FROM story_events",
    "DROP TABLE story_events",
    "ALTER TABLE events_of_story RENAME TO story_events",
    "CREATE INDEX story_events_event ON story_events(event)",
    "CREATE TABLE entity_of_key (doc TEXT NOT NULL, key TEXT NOT NULL, entity TEXT NOT NULL, ord INTEGER NOT NULL, "
    "PRIMARY KEY (doc, key)) WITHOUT ROWID",
    "INSERT INTO entity_of_key (doc, key, entity, ord) SELECT doc, key, entity, ord FROM entity_of",
    "DROP TABLE entity_of",
    "ALTER TABLE entity_of_key RENAME TO entity_of",
    "CREATE INDEX entity_of_entity ON entity_of(entity)",
    # no query orders or filters on these columns bare (the timeline reads events_when)
    "DROP INDEX events_date",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration("0001_documents", _DOCUMENTS),
    Migration("0002_annotations", _ANNOTATIONS),
    Migration("0003_resolution", _RESOLUTION),
    Migration("0004_doc_keys", _DOC_KEYS),
    Migration("0005_reliability", RELIABILITY_SCHEMA),
    # a document's content lemmas, for grouping stories by what they say
    Migration("0006_doc_terms", ("ALTER TABLE annotated ADD COLUMN terms TEXT",)),
    # document frequencies of content terms over the store (incremental story grouping)
    Migration("0007_term_df", (
        "CREATE TABLE term_df (term TEXT PRIMARY KEY, n INTEGER NOT NULL)",
        "CREATE TABLE df_docs (doc TEXT PRIMARY KEY)",
    )),
    # the web's filters and sorts in SQL on a large store (issue 18): an event's role in its story and
    # its modality as columns, an entity's documents counted once, and the orders the pages read in
    Migration("0008_browse", (
        "ALTER TABLE events ADD COLUMN role TEXT",
        "ALTER TABLE events ADD COLUMN modality TEXT",
        "UPDATE events SET role = json_extract(data, '$.role'), modality = json_extract(data, '$.modality')",
        # the timeline's order, covering what its filters and counts read (no table row is read to count;
        # no index on role or modality alone: the planner would walk one for "news" instead of this order)
        "CREATE INDEX events_when ON events(COALESCE(earliest, date), date, ord, earliest, latest, modality, role)",
        "ALTER TABLE entities ADD COLUMN docs INTEGER NOT NULL DEFAULT 0",
        "UPDATE entities SET docs = (SELECT count(DISTINCT m.doc) FROM entity_mentions m WHERE m.entity = entities.id)",
        # the entity list's orders, covering its columns (a page never reads an entity's data)
        "CREATE INDEX entities_mentions ON entities(mentions DESC, ord, id, name, type, docs)",
        "CREATE INDEX entities_docs ON entities(docs DESC, mentions DESC, ord, id, name, type)",
        "CREATE INDEX entities_type ON entities(type, mentions DESC, ord, id, name, docs)",
        # quotes and figures in document order, a page's keys read from the index alone
        "CREATE INDEX quotes_order ON quotes(doc, ord, id)",
        "CREATE INDEX figures_order ON figures(doc, ord, id)",
    )),
    # the KEY_VERSION of the blocking keys written with a document's annotations (NULL: none were)
    Migration("0009_annotation_keys", ("ALTER TABLE annotated ADD COLUMN key_version INTEGER",)),
    Migration("0010_lean_resolution", _LEAN_RESOLUTION),
)



@dataclass(frozen=True)
class Dialect:
    """How one backend runs the migrations: its ledger table, a query listing its tables,
    each migration statement in its own SQL, and whether ``PRAGMA user_version`` mirrors the count."""

    name: str
    ledger: str
    tables: str
    statements: Callable[[str], list[str]]
    user_version: bool = False


SQLITE = Dialect(
    "sqlite",
    ledger="CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)",
    tables="SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    statements=lambda stmt: [stmt],
    user_version=True,
)


def applied(conn) -> list[str]:
    """Names of the migrations this store has recorded, in the order applied."""
    return [r[0] for r in conn.execute("SELECT name FROM migrations ORDER BY rowid")]


def _refuse_unknown(done: list[str], migrations: tuple[Migration, ...], version: int = 0, path: str | None = None) -> None:
    known = {m.name for m in migrations}
    if done and migrations and done[0] != migrations[0].name:  # another application's "migrations" table
        raise StoreError(f"not a storyline store: its migrations table records {done[0]!r}; nothing was changed",
                         code="E300", path=path)
    unknown = [n for n in done if n not in known]
    if unknown or version > len(migrations):
        raise StoreError(
            f"store has migrations this version does not know ({', '.join(unknown) or f'user_version {version}'})",
            code="E301", path=path,
        )


def refuse_foreign(conn, dialect: Dialect, path: str | None = None) -> set[str]:
    """The database's tables; StoreError E300, changing nothing, when they are another
    application's: tables but no storyline ledger, or a ``migrations`` table that is not ours."""
    tables = {r[0] for r in conn.execute(dialect.tables)}
    if tables and "migrations" not in tables:
        shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
        raise StoreError(f"not a storyline store: it holds {len(tables)} other table(s) ({shown}) and no "
                         "storyline migrations; nothing was changed", code="E300", path=path)
    if "migrations" in tables:
        try:
            done = applied(conn)
        except StoreError as exc:  # a "migrations" table of another shape
            raise StoreError(f"not a storyline store: {exc.reason}; nothing was changed", code="E300", path=path) from exc
        if not done and len(tables) > 1:
            raise StoreError("not a storyline store: its migrations table is empty and it holds other tables; "
                             "nothing was changed", code="E300", path=path)
        _refuse_unknown(done[:1], MIGRATIONS, 0, path)
    return tables


def migrate(conn, migrations: tuple[Migration, ...] = MIGRATIONS, dialect: Dialect = SQLITE,
            path: str | None = None) -> list[str]:
    """Apply every unrecorded migration, each in its own write transaction; returns the names run.

    ``conn`` is a backend's connection adapter (autocommit: the BEGIN/COMMIT here are
    the only transactions). StoreError E300, with nothing changed, when the database
    holds tables but no storyline ledger (another application's); E301 when a newer
    storyline wrote it.
    """
    tables = refuse_foreign(conn, dialect, path)
    if "migrations" not in tables:  # a new database: create the ledger under the write lock
        conn.execute("BEGIN IMMEDIATE")
        try:
            if "migrations" not in refuse_foreign(conn, dialect, path):
                conn.execute(dialect.ledger)
        except BaseException:
            conn.rollback()
            raise
        conn.execute("COMMIT")
    version = conn.execute("PRAGMA user_version").fetchone()[0] if dialect.user_version else 0
    _refuse_unknown(applied(conn), migrations, version, path)
    ran = []
    for m in migrations:
        if m.name in applied(conn):
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            if m.name in applied(conn):  # another process ran it while we waited for the lock
                conn.rollback()
                continue
            for stmt in m.statements:
                for sql in dialect.statements(stmt):
                    conn.execute(sql)
            conn.execute(
                "INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
                (m.name, datetime.now(timezone.utc).isoformat(timespec="seconds")),
            )
            if dialect.user_version:
                conn.execute(f"PRAGMA user_version = {len(applied(conn))}")
        except BaseException:
            conn.rollback()
            raise
        conn.execute("COMMIT")
        ran.append(m.name)
    return ran


def check_migrated(conn, path: str | None = None, migrations: tuple[Migration, ...] = MIGRATIONS) -> None:
    """Refuse, changing nothing, a store that is not a fully migrated storyline store: E300 (not a
    store, or one that needs migrating), E301 (newer), E303 (damaged) as the adapter reports it."""
    try:
        done = applied(conn)
    except StoreError as exc:
        if exc.code != "E300":
            raise
        raise StoreError(f"{path or 'the database'} is not a storyline store: {exc.reason}", code="E300", path=path) from exc
    _refuse_unknown(done, migrations, 0, path)
    if {m.name for m in migrations} - set(done):
        raise StoreError("store needs migrating: open it once with a storyline command", code="E300", path=path)
