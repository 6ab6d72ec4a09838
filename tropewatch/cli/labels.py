"""``tropewatch export-labels`` and ``adapt``: learning from moderators' decisions.

``register(app)`` adds the commands to the main Typer app; Django is set up inside them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tropewatch.cli.support import fail, find_organisation, say, setup_django, status_line


def register(app: typer.Typer) -> None:
    app.command("export-labels")(export_labels_cli)
    app.command("adapt")(adapt_cli)


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


def adapt_cli(
    org: Annotated[str, typer.Option(help="The organisation whose decisions to learn from "
                                     "(its slug).")],
    reset: Annotated[
        bool,
        typer.Option("--reset", help="Stop using the organisation's head: the shipped model "
                     "decides again."),
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Put the new head in force even if, held out, it does no "
                     "better on the organisation's decisions than the shipped model."),
    ] = False,
) -> None:
    """Fit the organisation's own head on the shipped model from its moderators' decisions.

    The head recalibrates the shipped model's verdicts to what this organisation's moderators
    confirm and dismiss, with its own threshold. It is versioned (each detection records it
    as its model version), never changes the shipped model, and needs at least 50 decisions,
    10 of them confirmed and 10 dismissed. The organisation's posts are scanned again
    afterwards, so the queue follows the new head.
    """
    setup_django()
    from tropewatch.adaptation.services import adapt
    from tropewatch.adaptation.services import reset as reset_head
    from tropewatch.detector.training.adapt import TooFewDecisions
    from tropewatch.posts.scanning import rescan

    organisation = find_organisation(org, create=False)
    if reset:
        if not reset_head(organisation):
            say(f"'{org}' has no head in force; the shipped model decides already")
            return
        say(f"'{org}' no longer uses its head; the shipped model decides again")
    else:
        try:
            with status_line() as show:
                show("scoring the decided posts with the shipped model")
                head = adapt(organisation, force=force)
        except TooFewDecisions as exc:
            fail(f"'{org}': not enough decisions to adapt yet: {exc}")
        shipped, adapted = head.report["shipped"], head.report["adapted_out_of_fold"]
        figures = (f"fitted on {head.report['decisions']} decisions ({head.report['confirmed']} "
                   f"confirmed, {head.report['dismissed']} dismissed). On those decisions, held "
                   f"out: F1 {adapted['f1']:.3f} (precision {adapted['precision']:.3f}, recall "
                   f"{adapted['recall']:.3f}), against {shipped['f1']:.3f} for the shipped "
                   "model's own decisions")
        if not head.active:
            say(f"'{org}': {head.version} is not put in force: it was {figures}. Decide more "
                "posts and adapt again, or use --force.")
            return
        say(f"'{org}' now uses {head.version}, {figures}.")
    with status_line() as show:
        scanned = rescan(organisation, progress=lambda n: show(f"{n} posts scanned"))
    say(f"{scanned} posts scanned again")
