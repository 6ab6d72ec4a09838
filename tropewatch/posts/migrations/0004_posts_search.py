"""The FTS5 index that search.py reads on SQLite, filled from the posts already stored, and
the triggers that keep it: a post inserted, changed or deleted, or its author renamed.
(PostgreSQL computes its text vectors when searching: nothing to create there.)"""

from django.db import migrations

_AUTHOR = "(SELECT {field} FROM posts_author WHERE id = {post}.author_id)"
_ROW = (
    "{post}.id, {post}.org_id, {post}.text, {post}.url, "
    + _AUTHOR.format(field="handle", post="{post}") + ", "
    + _AUTHOR.format(field="display_name", post="{post}")
)

CREATE = [
    "CREATE VIRTUAL TABLE posts_search USING fts5("
    "org_id UNINDEXED, text, url, handle, display_name, "
    "tokenize = 'unicode61 remove_diacritics 2')",
    "INSERT INTO posts_search (rowid, org_id, text, url, handle, display_name) "
    f"SELECT {_ROW.format(post='posts_post')} FROM posts_post",
    "CREATE TRIGGER posts_search_insert AFTER INSERT ON posts_post BEGIN "
    "INSERT INTO posts_search (rowid, org_id, text, url, handle, display_name) "
    f"VALUES ({_ROW.format(post='new')}); END",
    # save() writes every column: only a change to an indexed one re-indexes the post.
    "CREATE TRIGGER posts_search_update AFTER UPDATE OF text, url, author_id ON posts_post "
    "WHEN old.text IS NOT new.text OR old.url IS NOT new.url "
    "OR old.author_id IS NOT new.author_id BEGIN "
    "DELETE FROM posts_search WHERE rowid = old.id; "
    "INSERT INTO posts_search (rowid, org_id, text, url, handle, display_name) "
    f"VALUES ({_ROW.format(post='new')}); END",
    "CREATE TRIGGER posts_search_delete AFTER DELETE ON posts_post BEGIN "
    "DELETE FROM posts_search WHERE rowid = old.id; END",
    "CREATE TRIGGER posts_search_author AFTER UPDATE OF handle, display_name ON posts_author "
    "BEGIN "
    "DELETE FROM posts_search WHERE rowid IN (SELECT id FROM posts_post WHERE author_id = new.id); "
    "INSERT INTO posts_search (rowid, org_id, text, url, handle, display_name) "
    f"SELECT {_ROW.format(post='posts_post')} FROM posts_post WHERE author_id = new.id; END",
]
DROP = [
    "DROP TRIGGER IF EXISTS posts_search_author",
    "DROP TRIGGER IF EXISTS posts_search_delete",
    "DROP TRIGGER IF EXISTS posts_search_update",
    "DROP TRIGGER IF EXISTS posts_search_insert",
    "DROP TABLE IF EXISTS posts_search",
]


def _on_sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("posts", "0003_alter_author_platform_alter_post_platform_and_more"),
    ]

    operations = [migrations.RunPython(_on_sqlite(CREATE), _on_sqlite(DROP))]
