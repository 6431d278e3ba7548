"""Full-text search over documents: SQLite FTS5 (external-content table kept in sync by
triggers) or PostgreSQL `to_tsvector('simple', …)` with a GIN index.

The index objects live outside the table metadata (FTS5 shadow tables and a functional index
cannot be declared there), so `ensure_fts` creates them on first use; it is idempotent.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy.engine import Connection

FTS_SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(title, text, content='documents', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS documents_fts_ai AFTER INSERT ON documents BEGIN "
    "INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS documents_fts_ad AFTER DELETE ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER IF NOT EXISTS documents_fts_au AFTER UPDATE ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
]
PG_VECTOR = "to_tsvector('simple', coalesce(title, '') || ' ' || text)"
FTS_POSTGRES = [f"CREATE INDEX IF NOT EXISTS ix_documents_fts ON documents USING GIN ({PG_VECTOR})"]

_WORD = re.compile(r"\w+", re.UNICODE)


def ensure_fts(conn: Connection) -> None:
    """Create the full-text index if it is missing (and fill it from the stored documents)."""
    if conn.dialect.name == "sqlite":
        exists = conn.execute(sa.text(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'documents_fts'")).first()
        if exists:
            return
        for stmt in FTS_SQLITE:
            conn.execute(sa.text(stmt))
        conn.execute(sa.text("INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')"))
    elif conn.dialect.name == "postgresql":
        for stmt in FTS_POSTGRES:
            conn.execute(sa.text(stmt))


def match_documents(conn: Connection, text: str, limit: int | None = 50) -> list[tuple[int, float]]:
    """(document id, rank) for documents containing every word of `text` (prefixes on SQLite), best first."""
    words = _WORD.findall(text)
    if not words:
        return []
    if conn.dialect.name == "sqlite":
        query = " ".join('"' + w.replace('"', "") + '"*' for w in words)
        sql = "SELECT rowid, bm25(documents_fts) AS r FROM documents_fts WHERE documents_fts MATCH :q ORDER BY r"
        params: dict[str, object] = {"q": query}
        if limit:
            sql += " LIMIT :n"
            params["n"] = limit
        return [(int(i), float(-r)) for i, r in conn.execute(sa.text(sql), params)]
    sql = (f"SELECT id, ts_rank({PG_VECTOR}, q) AS r FROM documents, plainto_tsquery('simple', :q) q "
           f"WHERE {PG_VECTOR} @@ q ORDER BY r DESC, id")
    params = {"q": " ".join(words)}
    if limit:
        sql += " LIMIT :n"
        params["n"] = limit
    return [(int(i), float(r)) for i, r in conn.execute(sa.text(sql), params)]
