"""``tropewatch erase`` (everything about one author, for a data subject's request) and
``tropewatch purge`` (dismissed posts past the retention period).

``register(app)`` adds the command to the main Typer app; Django is set up inside it.
"""

from __future__ import annotations

from typing import Annotated

import typer

from tropewatch.cli.support import fail, find_organisation, say, setup_django


def register(app: typer.Typer) -> None:
    app.command("erase")(erase_cli)
    app.command("purge")(purge_cli)


def purge_cli() -> None:
    """Erase dismissed posts past each organisation's retention period (its "retain dismissed
    days" setting). Workers do this on their own; without workers, run it daily from cron."""
    setup_django()
    from tropewatch.people.erasure import purge_all_dismissed

    say(f"{purge_all_dismissed()} dismissed posts erased under the organisations' retention "
        "policies")


def erase_cli(
    author: Annotated[str, typer.Option(help="The account's handle (with or without @) or its "
                                        "platform id.")],
    platform: Annotated[str, typer.Option(help="The account's platform: facebook, x, "
                                          "bluesky, mastodon, csv or jsonl.")],
    org: Annotated[str, typer.Option(help="The organisation (its slug).")],
    yes: Annotated[bool, typer.Option("--yes", help="Erase without asking again.")] = False,
) -> None:
    """Erase one author: their posts, verdicts, decisions, evidence, reports, membership looks,
    account links, and the complaint cases about them alone.

    The hash chain keeps each erased record's hash as a tombstone, so `tropewatch verify`
    still passes. This cannot be undone.
    """
    setup_django()
    from tropewatch.people.erasure import NoSuchAuthor, author_to_erase, erase_author

    organisation = find_organisation(org, create=False)
    try:
        target = author_to_erase(organisation, platform, author)
    except NoSuchAuthor as exc:
        fail(str(exc))
    posts = target.posts.count()
    if not yes and not typer.confirm(f"Erase {target} ({platform}) and their {posts} posts from "
                                     f"'{org}'? This cannot be undone."):
        raise typer.Exit(1)
    erased = erase_author(target)
    say(f"erased the author: {erased.posts} posts, "
        f"{erased.chained_records} chained records kept as tombstones (hashes only), "
        f"{erased.cases} cases; `tropewatch verify --org {org}` still checks the chain")
