"""``tropewatch rollup``: rebuild the dashboard's daily roll-ups from the raw rows.

``register(app)`` adds the command to the main Typer app; Django is set up inside it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from tropewatch.cli.support import find_organisation, say, setup_django


def register(app: typer.Typer) -> None:
    app.command("rollup")(rollup_cli)


def rollup_cli(
    org: Annotated[
        str | None, typer.Option(help="Only this organisation (its slug); default: all.")
    ] = None,
    since: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="Only days from this one (YYYY-MM-DD, UTC)."),
    ] = None,
) -> None:
    """Rebuild the daily roll-ups the dashboard reads, day by day, from the posts, verdicts
    and decisions. Safe to run again: a day rebuilt twice has the same rows. Workers keep
    the roll-ups fresh on their own; run this after restoring a backup or changing the
    roll-up code."""
    setup_django()
    from tropewatch.impact.rollups import rebuild
    from tropewatch.orgs.models import Organisation

    orgs = ([find_organisation(org, create=False)] if org
            else list(Organisation.objects.order_by("slug")))
    for organisation in orgs:
        days, posts = rebuild(organisation, since.date() if since else None)
        say(f"{organisation.slug}: {days} days rolled up, {posts} posts")
