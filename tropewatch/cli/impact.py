"""``tropewatch rollup`` (rebuild the dashboard's daily roll-ups from the raw rows) and
``tropewatch weekly`` (last week's summary, as a PDF or an email to the leads).

``register(app)`` adds the command to the main Typer app; Django is set up inside it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from tropewatch.cli.support import fail, find_organisation, say, setup_django


def register(app: typer.Typer) -> None:
    app.command("rollup")(rollup_cli)
    app.command("weekly")(weekly_cli)


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


def weekly_cli(
    org: Annotated[str, typer.Option(help="The organisation (its slug).")],
    week_ending: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"],
                     help="The week's last day (YYYY-MM-DD); default: last Sunday before today."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option(help="Write the PDF here.", dir_okay=False)
    ] = None,
    email: Annotated[
        bool, typer.Option("--email", help="Send it by email, the PDF attached, to the "
                           "organisation's admins and leads (or to --to).")
    ] = False,
    to: Annotated[
        list[str] | None, typer.Option(help="Send to this address instead; repeatable.")
    ] = None,
) -> None:
    """Last week's summary for a lead to forward: posts, flagged and confirmed per 1,000
    beside the week before, where and which tropes, how fast the group acted. Counts only,
    no posts or names. Run it from cron on Mondays with --email (settings: EMAIL_HOST...;
    without them the email is written to var/outbox/)."""
    setup_django()
    from tropewatch.impact.rollups import refresh
    from tropewatch.impact.weekly import (
        last_full_week,
        leads_emails,
        send_weekly_summary,
        weekly_summary,
    )

    organisation = find_organisation(org, create=False)
    if not output and not email:
        fail("say where the summary goes: --output FILE.pdf, --email, or both")
    refresh(organisation)
    summary = weekly_summary(organisation,
                             week_ending.date() if week_ending else last_full_week())
    if output:
        output.write_bytes(summary.pdf())
        say(f"wrote {output}")
    if email:
        recipients = to or leads_emails(organisation)
        if not recipients:
            fail(f"'{org}' has no admin or lead with an email address; give --to")
        send_weekly_summary(summary, recipients)
        say(f"sent the week ending {summary.end.isoformat()} to {len(recipients)} "
            "address(es)")
