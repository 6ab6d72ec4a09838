"""What the command modules share: messages and exit codes, the --policy option, a status
line, Django set-up, and finding an organisation or source named on the command line.
Django and the detector's models are imported inside each function, so importing this
module stays cheap.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Literal, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from tropewatch.detector.policy import POLICIES

if TYPE_CHECKING:
    from tropewatch.orgs.models import Organisation
    from tropewatch.posts.models import Source

EXIT_INPUT_ERROR = 2

# The detector's own names (its policy module loads nothing heavy), as a choice for Typer.
Policy = Literal[POLICIES]  # type: ignore[valid-type]
PolicyOption = Annotated[
    Policy,
    typer.Option(
        help="Which definition decides 'antisemitic': ihra (the IHRA Working Definition with "
        "all 11 examples), ihra-core (without examples 7, 8 and 10) or jda (the Jerusalem "
        "Declaration on Antisemitism).",
    ),
]


def say(message: str) -> None:
    # Messages quote file names and file contents: never read them as rich markup.
    Console(stderr=True).print(message, markup=False, highlight=False, soft_wrap=True)


def fail(message: str) -> NoReturn:
    say(f"error: {message}")
    raise typer.Exit(EXIT_INPUT_ERROR)


Show = Callable[..., None]  # show(status text, done=None): done counts towards the total


@contextmanager
def status_line(total: float | None = None) -> Iterator[Show]:
    """A spinner and a status line on a terminal; nothing when stderr is redirected (logs).
    With a ``total`` (bytes), a bar instead of the spinner, with what is done and the time
    left."""
    stderr = Console(stderr=True)
    if not stderr.is_terminal:
        yield lambda text, done=None: None
        return
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
        if total is None
        else (BarColumn(), DownloadColumn(), TimeRemainingColumn(),
              TextColumn("{task.description}"))
    )
    with Progress(*columns, console=stderr, transient=True) as progress:
        task = progress.add_task("starting", total=total)

        def show(text: str, done: float | None = None) -> None:
            # escaped: a status may quote a file name, which must not be read as rich markup
            progress.update(task, description=escape(text), completed=done)

        yield show


def skipped_text(total: int, reasons: Mapping[str, int]) -> str:
    """"N skipped", saying why when some records were passed over on purpose (boosts, posts
    of media only) rather than already stored unchanged."""
    if not reasons:
        return f"{total} skipped"
    why = [f"unchanged: {total - sum(reasons.values())}"]
    why += [f"{reason.replace('_', ' ')}: {count}" for reason, count in sorted(reasons.items())]
    return f"{total} skipped ({', '.join(why)})"


def setup_django(migrate: bool = True) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tropewatch.web.settings")
    import django

    django.setup()
    if migrate:
        _migrate()


def _migrate() -> None:
    """Bring the database schema up to date; a no-op when it is."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        say(f"setting up the database ({_describe_database()})")
        call_command("migrate", interactive=False, verbosity=0)


def _describe_database() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        return f"SQLite file {connection.settings_dict['NAME']}"
    return f"{connection.vendor} database {connection.settings_dict['NAME']}"


def find_organisation(slug: str | None, create: bool) -> Organisation:
    """The organisation named by --org. Without one, the only organisation there is: posts
    must never land in an organisation nobody chose, so with none or several it fails,
    listing the choices."""
    from tropewatch.orgs.models import Organisation

    if slug is None:
        if create:
            fail("--create-org needs --org SLUG, the organisation to create")
        found = list(Organisation.objects.all()[:2])
        if len(found) == 1:
            return found[0]
        if not found:
            fail("--org is required: there is no organisation yet; create one with "
                 "--org SLUG --create-org")
        fail(f"--org is required when there are several organisations ({_existing()})")
    if create:
        organisation, created = Organisation.objects.get_or_create(
            slug=slug, defaults={"name": slug}
        )
        if created:
            say(f"created organisation '{slug}'")
        return organisation
    try:
        return Organisation.objects.get(slug=slug)
    except Organisation.DoesNotExist:
        fail(f"no organisation '{slug}' ({_existing()}); add --create-org to create it")


def _existing() -> str:
    from tropewatch.orgs.models import Organisation

    known = ", ".join(Organisation.objects.order_by("slug").values_list("slug", flat=True))
    return f"existing: {known or 'none yet'}"


def find_or_create_source(
    org: Organisation, platform: str, name: str, kind: str | None, url: str | None
) -> Source:
    source = source_to_store(org, platform, name, kind, url)
    source.save()
    return source


def source_to_store(
    org: Organisation, platform: str, name: str, kind: str | None, url: str | None
) -> Source:
    """The source named on the command line, checked but not saved: a live source is saved
    only once its server has answered, so that a failed first run leaves no empty source."""
    from django.core.exceptions import ValidationError

    from tropewatch.posts.models import Source

    source = (
        Source.objects.for_org(org).filter(platform=platform, name=name).first()
        or Source(org=org, platform=platform, name=name)
    )
    if kind is not None:
        source.kind = kind
    if url is not None:
        source.url = url
    try:
        source.full_clean()
    except ValidationError as exc:
        problems = "; ".join(f"{key}: {' '.join(msgs)}" for key, msgs in exc.message_dict.items())
        fail(f"source '{name}': {problems}")
    return source
