"""Evidence commands of ``tropewatch``: verify (the chain in the database), verify-bundle
(an exported bundle, with no database) and export-evidence (write a bundle).

``register(app)`` adds them to the main Typer app. Only verify and export-evidence set up
Django, inside the command; verify-bundle never loads it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tropewatch.cli.support import fail, find_organisation, say, setup_django

EXIT_BROKEN = 1


def register(app: typer.Typer) -> None:
    app.command("verify")(verify_cli)
    app.command("verify-bundle")(verify_bundle_cli)
    app.command("export-evidence")(export_evidence_cli)


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


def verify_bundle_cli(
    bundle: Annotated[
        Path, typer.Argument(metavar="FILE.zip", dir_okay=False,
                             help="An evidence bundle from the console or export-evidence.")
    ],
) -> None:
    """Check an evidence bundle on its own: every file against SHA256SUMS and the manifest,
    and every record against its chain link. Exits 0 when it verifies, 1 naming each broken
    file otherwise. Needs no database."""
    from tropewatch.evidence.bundle_check import check_bundle

    problems = check_bundle(bundle)
    for problem in problems:
        say(f"{bundle}: {problem}")
    if problems:
        raise typer.Exit(EXIT_BROKEN)
    say(f"{bundle}: verified")


def export_evidence_cli(
    posts: Annotated[
        list[int], typer.Argument(metavar="POST_ID...", help="The posts (their ids in the "
                                  "console's addresses) whose evidence goes in the bundle.")
    ],
    output: Annotated[Path, typer.Option(dir_okay=False, help="The ZIP file to write.")],
    org: Annotated[str, typer.Option(help="The organisation the posts belong to (slug).")],
) -> None:
    """Write one evidence bundle for one post or several (a case), for posts that were
    confirmed or escalated. Check it with verify-bundle."""
    setup_django()
    from tropewatch.evidence.bundle import NoEvidence, NotAsChained, build_bundle

    organisation = find_organisation(org, create=False)
    try:
        data = build_bundle(organisation, posts)
    except (NoEvidence, NotAsChained) as exc:
        fail(str(exc))
    try:
        output.write_bytes(data)
    except OSError as exc:
        fail(f"{output}: cannot write: {exc.strerror}")
    say(f"wrote {output} ({len(data)} bytes, {len(posts)} post{'s' * (len(posts) > 1)})")
