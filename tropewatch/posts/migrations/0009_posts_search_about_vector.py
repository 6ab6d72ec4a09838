"""PostgreSQL's search index keeps each post's words once.

0005 stored two vectors a post: the text alone, and the text again with the URL and the
author's handle and name, each with its GIN index. Every word of every post went into both
indexes and was tokenised twice, on every insert. Now the second vector holds only the URL,
handle and name (``about_vector``, a few words), and a search that may see personal data asks
for each word in either vector (search.py), which finds the same posts: every word in the
text or in what is known about its author. SQLite's FTS5 table is unchanged.
"""

from django.db import migrations

# As 0005: every character that is not a letter or digit becomes a space first.
_VECTOR = ("to_tsvector('simple', regexp_replace(concat_ws(' ', {fields}), "
           "'[^[:alnum:]]+', ' ', 'g'))")
_TEXT = _VECTOR.format(fields="p.text")
_ABOUT = _VECTOR.format(fields="p.url, a.handle, a.display_name")
_UPSERT = (
    "INSERT INTO posts_search (post_id, org_id, text_vector, about_vector) "
    f"SELECT p.id, p.org_id, {_TEXT}, {_ABOUT} "
    "FROM posts_post p LEFT JOIN posts_author a ON a.id = p.author_id WHERE {where} "
    "ON CONFLICT (post_id) DO UPDATE SET text_vector = EXCLUDED.text_vector, "
    "about_vector = EXCLUDED.about_vector"
)
_POST_FUNCTION = (
    "CREATE OR REPLACE FUNCTION posts_search_post() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN IF TG_OP = 'DELETE' THEN DELETE FROM posts_search WHERE post_id = OLD.id; "
    "RETURN OLD; END IF; {upsert}; RETURN NEW; END $$"
)

FORWARD = [
    "ALTER TABLE posts_search ADD COLUMN about_vector tsvector",
    # Rows of posts no longer stored: a TRUNCATE of the posts (Django's flush) fires no
    # trigger. Their words should not be there at all, and they have no author to fill in.
    "DELETE FROM posts_search s WHERE NOT EXISTS "
    "(SELECT 1 FROM posts_post p WHERE p.id = s.post_id)",
    f"UPDATE posts_search s SET about_vector = {_ABOUT} "
    "FROM posts_post p LEFT JOIN posts_author a ON a.id = p.author_id WHERE p.id = s.post_id",
    "ALTER TABLE posts_search ALTER COLUMN about_vector SET NOT NULL",
    "ALTER TABLE posts_search DROP COLUMN people_vector",  # and its index
    "CREATE INDEX posts_search_about ON posts_search USING gin (about_vector)",
    _POST_FUNCTION.format(upsert=_UPSERT.format(where="p.id = NEW.id")),
    # A renamed author changes only what is known about their posts.
    "CREATE OR REPLACE FUNCTION posts_search_author() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN UPDATE posts_search s SET about_vector = {_ABOUT} FROM posts_post p "
    "LEFT JOIN posts_author a ON a.id = p.author_id "
    "WHERE p.author_id = NEW.id AND s.post_id = p.id; RETURN NEW; END $$",
]

# Back to 0005's two vectors, the second rebuilt from the first and the new one.
_OLD_UPSERT = (
    "INSERT INTO posts_search (post_id, org_id, text_vector, people_vector) "
    f"SELECT p.id, p.org_id, {_TEXT}, "
    + _VECTOR.format(fields="p.text, p.url, a.handle, a.display_name")
    + " FROM posts_post p LEFT JOIN posts_author a ON a.id = p.author_id WHERE {where} "
    "ON CONFLICT (post_id) DO UPDATE SET text_vector = EXCLUDED.text_vector, "
    "people_vector = EXCLUDED.people_vector"
)
BACKWARD = [
    "ALTER TABLE posts_search ADD COLUMN people_vector tsvector",
    "UPDATE posts_search SET people_vector = text_vector || about_vector",
    "ALTER TABLE posts_search ALTER COLUMN people_vector SET NOT NULL",
    "ALTER TABLE posts_search DROP COLUMN about_vector",
    "CREATE INDEX posts_search_people ON posts_search USING gin (people_vector)",
    _POST_FUNCTION.format(upsert=_OLD_UPSERT.format(where="p.id = NEW.id")),
    "CREATE OR REPLACE FUNCTION posts_search_author() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN " + _OLD_UPSERT.format(where="p.author_id = NEW.id") + "; RETURN NEW; END $$",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("posts", "0008_detection_decided"),
    ]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
