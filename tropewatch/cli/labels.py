"""``tropewatch export-labels``: moderators' decisions as training data.

``register(app)`` adds the command to the main Typer app; Django is set up inside it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tropewatch.cli.support import fail, find_organisation, say, setup_django


def register(app: typer.Typer) -> None:
    app.command("export-labels")(export_labels_cli)


def export_labels_cli(
    output: Annotated[
        Path,
        typer.Argument(metavar="OUT.csv", dir_okay=False,
                       help="CSV file to write (replaced if it exists)."),
    ],
    org: Annotated[
        str | None,
        typer.Option(help="Only this organisation's decisions (its slug); default: all."),
    ] = None,
) -> None:
    """Write confirmed (label 1) and dismissed (label 0) posts as a labelled CSV.

    The columns are Text, Biased, Keyword (the post's source) and CreateDate, the layout
    that `tropewatch eval` and `tropewatch train` read. Open or escalated posts are left out.
    """
    setup_django()
    from tropewatch.review.labels import write_labels

    organisation = find_organisation(org, create=False) if org else None
    try:
        with output.open("w", encoding="utf-8", newline="") as out:
            counts = write_labels(out, organisation)
    except OSError as exc:
        fail(f"{output}: cannot write: {exc.strerror}")
    say(f"wrote {counts.confirmed + counts.dismissed} labelled posts to {output} "
         f"({counts.confirmed} confirmed, {counts.dismissed} dismissed)")
