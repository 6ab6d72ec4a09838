"""Reading a test database directly, without Django."""

from __future__ import annotations


def query(database_url: str, sql: str) -> list[tuple]:
    """Rows of ``sql``, or [] while the table does not exist yet."""
    import psycopg

    with psycopg.connect(database_url) as connection:
        try:
            return connection.execute(sql).fetchall()
        except psycopg.errors.UndefinedTable:
            return []
