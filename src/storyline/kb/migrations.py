"""Named, transactional schema migrations recorded in a ``migrations`` table.

Each migration is a name and a list of SQL statements. On open, every
migration not yet recorded runs inside its own transaction together with the
row that records it, so a crash leaves the schema either before or after a
migration, never half way. ``PRAGMA user_version`` mirrors the number of
migrations applied; a store that has applied migrations this code does not
know was written by a newer storyline and is refused (E301).

A new column or table is a new migration appended to :data:`MIGRATIONS`;
never edit one that has shipped.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone

from ..errors import StoreError
from .reliability import RELIABILITY_SCHEMA

__all__ = ["Migration", "MIGRATIONS", "migrate", "applied"]


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
)

_LEDGER = "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"


def applied(conn: sqlite3.Connection) -> list[str]:
    """Names of the migrations this store has recorded, in the order applied."""
    return [r[0] for r in conn.execute("SELECT name FROM migrations ORDER BY rowid")]


def migrate(conn: sqlite3.Connection, migrations: tuple[Migration, ...] = MIGRATIONS) -> list[str]:
    """Apply every unrecorded migration, each in its own transaction; returns the names run.

    ``conn`` must be in autocommit mode (``isolation_level=None``) so that the
    explicit BEGIN/COMMIT here are the only transactions.
    """
    known = {m.name for m in migrations}
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.execute(_LEDGER)
    done = applied(conn)
    unknown = [n for n in done if n not in known]
    if unknown or version > len(migrations):
        raise StoreError(
            f"store has migrations this version does not know ({', '.join(unknown) or f'user_version {version}'})",
            code="E301",
        )
    ran = []
    for m in migrations:
        if m.name in done:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            if m.name in applied(conn):  # another process ran it while we waited for the lock
                conn.execute("ROLLBACK")
                continue
            for stmt in m.statements:
                conn.execute(stmt)
            conn.execute(
                "INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
                (m.name, datetime.now(timezone.utc).isoformat(timespec="seconds")),
            )
            conn.execute(f"PRAGMA user_version = {len(applied(conn))}")
            conn.execute("COMMIT")
        except sqlite3.Error:
            conn.execute("ROLLBACK")
            raise
        ran.append(m.name)
    return ran
