"""``tropewatch export-education DIR``: the education library as a static site.

``register(app)`` adds the command to the main Typer app; Django is set up inside it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tropewatch.cli.support import say, setup_django


def register(app: typer.Typer) -> None:
    app.command("export-education")(export_education_cli)


def export_education_cli(
    directory: Annotated[Path, typer.Argument(help="Folder to write the site into (created "
                                              "if missing; files of the same name are "
                                              "replaced).", file_okay=False)],
) -> None:
    """Write the education library (a page per taxonomy category, an index and a stylesheet)
    as plain HTML with relative links and no scripts, for a group to publish as it is."""
    setup_django(migrate=False)  # templates only: no database
    from tropewatch.education.export import export_education

    written = export_education(directory)
    say(f"wrote {len(written)} files to {directory}")
