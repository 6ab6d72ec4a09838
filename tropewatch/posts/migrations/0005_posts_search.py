"""The index that search.py reads, filled from the posts already stored, and the triggers
that keep it: a post inserted, changed or deleted, or its author renamed. On SQLite an FTS5
table; on PostgreSQL a table of two text vectors per post (the text alone, and the text with
the URL and the author's handle and name), each with a GIN index. No foreign key on
PostgreSQL: Django's flush truncates posts_post, which a reference would refuse; a trigger
deletes instead."""

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
# Every character that is not a letter or digit becomes a space first: PostgreSQL's parser
# would keep URLs, e-mail addresses and paths whole, and FTS5 and search.words cut them.
_PG_VECTOR = ("to_tsvector('simple', regexp_replace(concat_ws(' ', {fields}), "
              "'[^[:alnum:]]+', ' ', 'g'))")
_PG_UPSERT = (
    "INSERT INTO posts_search (post_id, org_id, text_vector, people_vector) "
    "SELECT p.id, p.org_id, " + _PG_VECTOR.format(fields="p.text") + ", "
    + _PG_VECTOR.format(fields="p.text, p.url, a.handle, a.display_name")
    + " FROM posts_post p LEFT JOIN posts_author a ON a.id = p.author_id WHERE {where} "
    "ON CONFLICT (post_id) DO UPDATE SET text_vector = EXCLUDED.text_vector, "
    "people_vector = EXCLUDED.people_vector"
)
CREATE_POSTGRESQL = [
    "CREATE TABLE posts_search (post_id bigint PRIMARY KEY, org_id bigint NOT NULL, "
    "text_vector tsvector NOT NULL, people_vector tsvector NOT NULL)",
    "CREATE INDEX posts_search_text ON posts_search USING gin (text_vector)",
    "CREATE INDEX posts_search_people ON posts_search USING gin (people_vector)",
    _PG_UPSERT.format(where="true"),
    "CREATE FUNCTION posts_search_post() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP = 'DELETE' THEN DELETE FROM posts_search WHERE post_id = OLD.id; RETURN OLD; "
    "END IF; " + _PG_UPSERT.format(where="p.id = NEW.id") + "; RETURN NEW; END $$",
    "CREATE TRIGGER posts_search_post AFTER INSERT OR DELETE OR UPDATE OF text, url, author_id "
    "ON posts_post FOR EACH ROW EXECUTE FUNCTION posts_search_post()",
    "CREATE FUNCTION posts_search_author() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    + _PG_UPSERT.format(where="p.author_id = NEW.id") + "; RETURN NEW; END $$",
    "CREATE TRIGGER posts_search_author AFTER UPDATE OF handle, display_name ON posts_author "
    "FOR EACH ROW EXECUTE FUNCTION posts_search_author()",
]
DROP_POSTGRESQL = [
    "DROP TRIGGER IF EXISTS posts_search_author ON posts_author",
    "DROP TRIGGER IF EXISTS posts_search_post ON posts_post",
    "DROP FUNCTION IF EXISTS posts_search_author()",
    "DROP FUNCTION IF EXISTS posts_search_post()",
    "DROP TABLE IF EXISTS posts_search",
]
DROP = [
    "DROP TRIGGER IF EXISTS posts_search_author",
    "DROP TRIGGER IF EXISTS posts_search_delete",
    "DROP TRIGGER IF EXISTS posts_search_update",
    "DROP TRIGGER IF EXISTS posts_search_insert",
    "DROP TABLE IF EXISTS posts_search",
]


def _run(by_vendor):
    def run(apps, schema_editor):
        for statement in by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("posts", "0004_post_parent_url"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": CREATE, "postgresql": CREATE_POSTGRESQL}),
            _run({"sqlite": DROP, "postgresql": DROP_POSTGRESQL}),
        )
    ]
