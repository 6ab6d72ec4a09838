"""``tropewatch members``: an organisation's member list, stored only as keyed hashes.

``register(app)`` adds the group to the main Typer app; Django is set up inside each command.
Nothing here prints an identifier from the list: messages name lines and columns only.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tropewatch.cli.support import fail, find_organisation, say, setup_django

if TYPE_CHECKING:
    from tropewatch.members.reading import RowError

members_app = typer.Typer(
    name="members",
    help="Member lists, for telling whether an author is a member (see docs/members.md).",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(members_app)


@members_app.command("import")
def import_members_cli(
    input_path: Annotated[
        Path,
        typer.Argument(
            metavar="FILE.csv", exists=True, dir_okay=False,
            help="The member list: a UTF-8 CSV with a header naming any of the columns email, "
            "phone, x, bluesky, mastodon, facebook, and name with postcode.",
        ),
    ],
    org: Annotated[
        str | None,
        typer.Option(
            help="Slug of the organisation whose member list this is (needed when there are "
            "several)."
        ),
    ] = None,
) -> None:
    """Replace the organisation's member list with FILE.csv, keeping only keyed hashes.

    Each identifier is normalised (case, spaces, phone numbers to +44..., handles without @),
    then stored as an HMAC-SHA256 under TROPEWATCH_MEMBERS_KEY, which must be set; the raw
    list is stored nowhere. Rows that cannot be read are reported by line and left out. A
    file that cannot be read at all, or has no readable row, changes nothing (exit code 2).
    """
    setup_django()
    from tropewatch.ingest.errors import IngestError
    from tropewatch.members.importing import NothingToImport, import_member_list
    from tropewatch.members.keys import KeyProblem

    organisation = find_organisation(org, create=False)
    try:
        summary = import_member_list(organisation, input_path)
    except NothingToImport as exc:
        _report_rows(input_path, exc.errors)
        fail(str(exc))
    except (KeyProblem, IngestError) as exc:
        fail(str(exc))
    _report_rows(input_path, summary.errors)
    if summary.unused_columns:
        say(f"columns not read: {', '.join(summary.unused_columns)}")
    say(f"member list of '{organisation.slug}' replaced: {summary.rows} rows, {summary.keys} "
        f"identifiers ({', '.join(summary.covers)}); rows with errors: {len(summary.errors)}")


def _report_rows(path: Path, errors: list[RowError]) -> None:
    for error in errors:
        say(f"error: {path}, line {error.line}: {error.message}")
