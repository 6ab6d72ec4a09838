"""Evidence commands of ``tropewatch``: verify (the chain in the database).

``register(app)`` adds them to the main Typer app; Django is set up inside the command.
"""

from __future__ import annotations

from typing import Annotated

import typer

from tropewatch.cli.support import find_organisation, say, setup_django

EXIT_BROKEN = 1


def register(app: typer.Typer) -> None:
    app.command("verify")(verify_cli)


def verify_cli(
    org: Annotated[
        str | None, typer.Option(help="Only this organisation's chain (its slug); default: all.")
    ] = None,
) -> None:
    """Check that each organisation's review log and evidence are as they were written.

    Recomputes the hash of every review event and evidence record and walks the chain of
    links between them. Exits 0 when every chain is intact (printing its last link's hash,
    worth keeping elsewhere), 1 naming the first broken record otherwise.
    """
    setup_django()
    from tropewatch.evidence.verify import Broken, verify_chain
    from tropewatch.orgs.models import Organisation

    organisations = ([find_organisation(org, create=False)] if org
                     else list(Organisation.objects.order_by("slug")))
    broken = False
    for organisation in organisations:
        result = verify_chain(organisation)
        if isinstance(result, Broken):
            broken = True
            say(f"{organisation.slug}: BROKEN at {result}")
        else:
            say(f"{organisation.slug}: intact, {result.links} links, head {result.head}")
    if broken:
        raise typer.Exit(EXIT_BROKEN)
