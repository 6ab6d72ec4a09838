"""Print every domain table of the database at DATABASE_URL as canonical JSON.

Rows are keyed by what the platforms call things (slugs, platform ids), never by database ids,
which differ between two databases holding the same data. Timestamps of when rows were
written are left out for the same reason. Run as a script, so each database gets its own
process and settings: ``DATABASE_URL=... python tests/service/snapshot.py``.
"""

from __future__ import annotations

import json
import os
import sys


def snapshot() -> dict[str, list]:
    from tropewatch.imports.models import ImportRun
    from tropewatch.orgs.models import Organisation
    from tropewatch.posts.models import Author, Detection, Post, Source

    tables = {
        "organisations": Organisation.objects.values_list("slug", "name", "policy"),
        "sources": Source.objects.values_list("org__slug", "platform", "kind", "name", "url"),
        "authors": Author.objects.values_list(
            "org__slug", "platform", "platform_id", "handle", "display_name", "bio"
        ),
        "posts": Post.objects.values_list(
            "org__slug", "platform", "platform_id", "source__name", "author__platform_id",
            "text", "created_at", "url", "parent__platform_id", "parent_platform_id",
            "thread_root_id", "reach", "raw", "content_sha256",
        ),
        "detections": Detection.objects.values_list(
            "org__slug", "post__platform", "post__platform_id", "policy", "model_version",
            "antisemitic", "score", "categories", "spans", "counter_speech", "explanation",
            "content_sha256",
        ),
        "import_runs": ImportRun.objects.values_list(
            "org__slug", "source__name", "platform", "options", "file_sha256", "file_size",
            "status", "message", "records_committed", "new_count", "updated_count",
            "skipped_count", "error_count", "error_list",
        ),
    }
    return {name: sorted(_canonical(rows)) for name, rows in tables.items()}


def _canonical(rows) -> list[str]:
    return [json.dumps(row, sort_keys=True, default=str) for row in rows]


if __name__ == "__main__":
    if not os.environ.get("DATABASE_URL"):
        sys.exit("set DATABASE_URL to the database to print")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tropewatch.web.settings")
    import django

    django.setup()
    json.dump(snapshot(), sys.stdout)
