"""The service commands of ``tropewatch``: import, serve, worker, rescan and demo.

``register(app)`` adds them to the main Typer app. Django is set up inside each command, so
``tropewatch --help`` and the detector commands never load it.
"""

from __future__ import annotations

import os
import resource
import secrets
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer
from rich.console import Console

from tropewatch.cli.support import (
    EXIT_INPUT_ERROR,
    Policy,
    fail,
    find_or_create_source,
    find_organisation,
    say,
    setup_django,
    skipped_text,
    status_line,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from tropewatch.detector.stage_clock import StageClock
    from tropewatch.imports.models import ImportRun
    from tropewatch.orgs.models import Organisation

# The same names as the model choices, spelt out here so --help needs no Django import;
# tests/service/cli/test_service_commands.py checks that they agree.
Platform = Literal["facebook", "x", "bluesky", "mastodon", "csv", "jsonl"]
SourceKind = Literal["group", "page", "account", "hashtag", "feed"]

GENERIC_FORMATS = ("csv", "jsonl")
DEMO_ORG = "demo"
DEMO_ADMIN = "admin"

def register(app: typer.Typer) -> None:
    app.command("import")(import_cli)
    app.command("serve")(serve_cli)
    app.command("worker")(worker_cli)
    app.command("rescan")(rescan_cli)
    app.command("demo")(demo_cli)


def _column_option(what: str, default: str) -> typer.Option:
    return typer.Option(
        help=f"CSV/JSONL only: the column or key holding {what} (default: {default})."
    )


def import_cli(
    input_path: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", exists=True,
            help="The export to import, as the platform wrote it (a zip archive or a file; "
            "an X archive also as the folder it unpacks to).",
        ),
    ],
    platform: Annotated[Platform, typer.Option(help="Which platform's format FILE is in.")],
    source: Annotated[
        str,
        typer.Option(
            help="Name of the group, page, account, hashtag or feed the posts come from; "
            "created on first use."
        ),
    ],
    org: Annotated[
        str | None,
        typer.Option(
            help="Slug of the organisation the posts belong to (needed when there are several)."
        ),
    ] = None,
    create_org: Annotated[
        bool, typer.Option(help="Create the organisation if it does not exist yet.")
    ] = False,
    source_kind: Annotated[
        SourceKind | None, typer.Option(help="What the source is (set on the source).")
    ] = None,
    source_url: Annotated[
        str | None, typer.Option(help="The source's address (set on the source).")
    ] = None,
    id_column: Annotated[str | None, _column_option("the post id", "id")] = None,
    text_column: Annotated[str | None, _column_option("the post text", "text")] = None,
    created_column: Annotated[
        str | None, _column_option("when the post was made (ISO 8601 or epoch)", "created_at")
    ] = None,
    author_column: Annotated[str | None, _column_option("the author", "author")] = None,
    url_column: Annotated[str | None, _column_option("the post's address", "url")] = None,
    parent_column: Annotated[
        str | None, _column_option("the id of the post this one replies to", "parent")
    ] = None,
    source_platform: Annotated[
        Platform | None,
        typer.Option(
            help="CSV/JSONL only: the platform the posts were copied from, so that their ids "
            "meet the same posts imported from that platform's own export."
        ),
    ] = None,
    delimiter: Annotated[
        str | None, typer.Option(help="CSV only: the character between cells (default ,).")
    ] = None,
    batch_size: Annotated[
        int | None,
        typer.Option(min=1, help="Records per transaction (default 500, or IMPORT_BATCH_SIZE)."),
    ] = None,
    queue: Annotated[
        bool,
        typer.Option(help="Hand the import to a worker (needs REDIS_URL) instead of running it."),
    ] = False,
    timings: Annotated[
        bool,
        typer.Option(help="At the end, print the CPU time of each stage: reading, storing, "
                     "judging in this process and in the scanning workers."),
    ] = False,
) -> None:
    """Import posts from a platform export, scanning every post with the detector.

    Importing the same data again updates what changed and never duplicates a post. An
    import that was interrupted resumes where it stopped when run again with the same FILE.
    Bad records are reported with their line and skipped; a file that cannot be read at all
    stops the import (exit code 2) and keeps everything stored before the fault.
    """
    columns = {
        "id": id_column, "text": text_column, "created_at": created_column,
        "author": author_column, "url": url_column, "parent": parent_column,
    }
    options = _parser_options(platform, columns, source_platform, delimiter)
    setup_django()
    from django.conf import settings

    from tropewatch.imports.services import ImportConflict, prepare_import
    from tropewatch.ingest.errors import IngestError

    if queue and not settings.REDIS_URL:
        fail("--queue needs REDIS_URL, the Redis server the workers take tasks from")
    organisation = find_organisation(org, create_org)
    watched = find_or_create_source(organisation, platform, source, source_kind, source_url)
    try:
        run = prepare_import(organisation, watched, input_path, platform, options)
    except IngestError as exc:
        fail(str(exc))
    if run.records_committed:
        say(f"resuming import #{run.pk} of {input_path} after record {run.records_committed}")
    if queue:
        from tropewatch.imports.recovery import queue as queue_for_workers

        if not queue_for_workers(run):
            fail(
                f"import #{run.pk} of {input_path} is running in another process (it "
                f"committed a batch less than {settings.IMPORT_STALE_SECONDS} s ago, "
                "IMPORT_STALE_SECONDS); if that process has stopped, queue it again once that "
                "time has passed"
            )
        say(f"import #{run.pk} queued for a worker")
        return
    from tropewatch.detector.stage_clock import UNCLOCKED, StageClock

    clock = StageClock() if timings else UNCLOCKED
    started = _cpu_times()
    try:
        run = _run_with_progress(run, batch_size, clock)
    except ImportConflict as exc:
        fail(str(exc))
    _report(run)
    if timings:
        _report_timings(clock, started)
    if run.status != run.Status.FINISHED:
        raise typer.Exit(EXIT_INPUT_ERROR)


def _parser_options(
    platform: str,
    columns: dict[str, str | None],
    source_platform: str | None,
    delimiter: str | None,
) -> dict[str, Any]:
    """The generic parsers' options, from those given; refused for the platform formats,
    which have no columns to map."""
    options: dict[str, Any] = {}
    mapping = {field: column for field, column in columns.items() if column is not None}
    if mapping:
        options["mapping"] = mapping
    if source_platform is not None:
        options["source_platform"] = source_platform
    if delimiter is not None:
        if platform != "csv":
            fail("--delimiter applies to --platform csv only")
        options["delimiter"] = delimiter
    if options and platform not in GENERIC_FORMATS:
        fail("column options and --source-platform apply to --platform csv or jsonl only")
    return options


def _run_with_progress(run: ImportRun, batch_size: int | None, clock: StageClock
                       ) -> ImportRun:
    """Import with a bar of the bytes read out of the input's size (an ETA for big exports)."""
    from tropewatch.imports.services import execute_import
    from tropewatch.ingest.inputs import metered

    with metered() as meter, status_line(total=run.file_size) as show:
        return execute_import(
            run, batch_size=batch_size, progress=lambda r: show(_tally(r), meter.done),
            clock=clock,
        )


def _cpu_times() -> tuple[float, float, float]:
    """CPU seconds so far of this thread, this process, and its ended child processes."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.thread_time(), time.process_time(), children.ru_utime + children.ru_stime


def _report_timings(clock: StageClock, started: tuple[float, float, float]) -> None:
    """The stages' CPU seconds since ``started``, and the rest of the import's."""
    thread, process, children = (now - then for now, then in zip(_cpu_times(), started,
                                                                  strict=True))
    say("CPU seconds by stage:")
    say("\n".join(clock.table([
        ("the rest of the importing thread", thread - sum(clock.seconds.values())),
        ("the importing process's other threads (the transformer's)", process - thread),
        ("scanning worker processes", children),
    ])))


def _tally(run: ImportRun) -> str:
    return (
        f"{run.records_committed} records: {run.new_count} new, {run.updated_count} updated, "
        f"{skipped_text(run.skipped_count, run.skip_reasons)}, {run.error_count} errors"
    )


def _report(run: ImportRun) -> None:
    for error in run.error_list:
        where = ", ".join(
            [error["source"]]
            + [f"{name} {error[name]}" for name in ("line", "record") if error[name] is not None]
        )
        say(f"error: {where}: {error['message']}")
    unlisted = run.error_count - len(run.error_list)
    if unlisted:
        say(f"... and {unlisted} more errors (only the first {len(run.error_list)} are kept)")
    say(f"import #{run.pk} of {run.input_path}: {_tally(run)}")
    if run.status == run.Status.FAILED:
        say(f"error: {run.message}")
        say("the records before the fault are stored; fix the file and import it again")


def serve_cli(
    host: Annotated[
        str,
        typer.Option(
            help="Address to listen on. The development server listens on this machine only "
            "(127.0.0.1, ::1 or localhost); any other address needs --production."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    production: Annotated[
        bool,
        typer.Option(
            help="Serve with gunicorn (needs SECRET_KEY of 50+ random characters and "
            "ALLOWED_HOSTS; refuses DEBUG) instead of Django's development server."
        ),
    ] = False,
    workers: Annotated[int, typer.Option(min=1, help="gunicorn worker processes.")] = 2,
) -> None:
    """Serve the review console and the admin, setting up the database first if needed.

    Without --production this is Django's development server with DEBUG on, for one person
    on their own machine: it shows tracebacks and the site's URLs to whoever reaches it, so
    it listens on a loopback address only.
    """
    if production:
        _check_production_environment()
    else:
        if not _is_loopback(host):
            fail(
                f"--host {host}: the development server runs with DEBUG on, which shows "
                "tracebacks and settings to anyone who can reach it, so it listens on this "
                "machine only (127.0.0.1, ::1 or localhost). To serve other machines use "
                "--production (gunicorn; needs SECRET_KEY and ALLOWED_HOSTS, see docs/deploy.md)"
            )
        os.environ.setdefault("DEBUG", "1")
    setup_django()
    from django.core.management import call_command

    address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    _announce_first_run(site_url(address, production))
    if not production:
        say(f"open http://{address}/ (Ctrl-C stops the server)")
        call_command("runserver", address, use_reloader=False)
        return
    if not _importable("gunicorn"):
        fail("--production needs gunicorn: pip install gunicorn")
    call_command("collectstatic", interactive=False, verbosity=0)
    # exec: gunicorn replaces this process, so signals from a supervisor reach it directly.
    os.execv(
        sys.executable,
        [
            sys.executable, "-m", "gunicorn", "tropewatch.web.wsgi:application",
            "--bind", address, "--workers", str(workers),
            "--access-logfile", "-",
        ],
    )


def site_url(address: str, production: bool) -> str:
    """Where people reach this server: the development server's own address, or in
    production the first trusted origin (the proxy's https address), else the first host
    name it answers to, else the address it listens on."""
    if not production:
        return f"http://{address}"
    from django.conf import settings

    if settings.CSRF_TRUSTED_ORIGINS:
        return settings.CSRF_TRUSTED_ORIGINS[0]
    names = [h for h in settings.ALLOWED_HOSTS if h != "*" and not h.startswith(".")]
    return f"https://{names[0]}" if names else f"http://{address}"


def _announce_first_run(url: str) -> None:
    """The setup link, into the server's log only (compose, systemd and PaaS dashboards
    show it to whoever runs the server), while there is no organisation."""
    from tropewatch.accounts.first_run import announcement

    line = announcement(url)
    if line:
        say(line)


def _is_loopback(host: str) -> bool:
    """Whether HOST can be reached from this machine only. A name other than localhost may
    resolve anywhere, so only addresses count."""
    import ipaddress

    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _check_production_environment() -> None:
    """Refuse, before anything is set up, what gunicorn would otherwise serve to everyone: a
    debug page or a guessable signing key (the same checks wsgi.py makes, said plainly here
    instead of in a failed worker's traceback)."""
    from django.core.exceptions import ImproperlyConfigured

    from tropewatch.web.env import check_secret_key, envbool

    try:
        if envbool("DEBUG", False):
            fail(
                "DEBUG is on: --production serves other people, who must never see debug "
                "pages (tracebacks, settings, the site's URLs); unset DEBUG"
            )
        check_secret_key(os.environ.get("SECRET_KEY", ""))
    except ImproperlyConfigured as exc:
        fail(str(exc))


def worker_cli(
    concurrency: Annotated[
        int | None, typer.Option(min=1, help="Tasks run in parallel (default: one per CPU).")
    ] = None,
) -> None:
    """Run a Celery worker that carries out queued imports (needs REDIS_URL).

    Each worker also re-queues imports whose worker died (no batch committed for
    IMPORT_STALE_SECONDS), when it starts and every IMPORT_SWEEP_SECONDS, and sets aside an
    import whose same batch has killed two workers.
    """
    setup_django(migrate=False)
    from django.conf import settings

    if not settings.REDIS_URL:
        fail(
            "REDIS_URL is not set: a worker takes its tasks from Redis "
            "(e.g. REDIS_URL=redis://127.0.0.1:6379/0). Without it, imports run in the "
            "process that starts them and no worker is needed."
        )
    from tropewatch.web.celery import app

    argv = ["worker", "--loglevel=INFO"]
    if concurrency is not None:
        argv.append(f"--concurrency={concurrency}")
    app.worker_main(argv)


def rescan_cli(
    policy: Annotated[
        Policy | None,
        typer.Option(help="Scan under this policy instead of each organisation's own."),
    ] = None,
    org: Annotated[
        str | None, typer.Option(help="Only this organisation's posts (its slug).")
    ] = None,
    everything: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Scan every post again, even those whose detection is already current.",
        ),
    ] = False,
) -> None:
    """Run the detector again over stored posts, after a model or policy change.

    By default only posts without a detection from the current model and policy (or whose
    text changed since) are scanned, so an interrupted rescan carries on when run again.
    """
    setup_django()
    from tropewatch.posts.scanning import rescan

    organisation = find_organisation(org, create=False) if org else None
    with status_line() as show:
        scanned = rescan(
            organisation, policy, everything=everything,
            progress=lambda count: show(f"{count} posts scanned"),
        )
    say(f"{scanned} posts scanned")


def demo_cli() -> None:
    """Set up a demo organisation with the bundled example posts, and an admin login.

    Safe to run again: nothing is duplicated, and the admin password is printed only when
    the admin account is created.
    """
    setup_django()
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from tropewatch.imports.services import run_import
    from tropewatch.orgs.models import Organisation

    examples = Path(settings.BASE_DIR) / "examples" / "posts.csv"
    if not examples.is_file():
        fail(f"{examples}: the bundled example posts are missing; run demo from a checkout")
    organisation, _ = Organisation.objects.get_or_create(
        slug=DEMO_ORG, defaults={"name": "Demo campaign group"}
    )
    source = find_or_create_source(organisation, "csv", "Example posts", "feed", None)
    # Invented replies as if collected from X (a spreadsheet naming the platform, as
    # `import --source-platform x` reads it), so that the demo can draft a report to X.
    replies = find_or_create_source(organisation, "csv", "Example replies on X", "feed", None)
    for run in (run_import(organisation, source, examples, "csv"),
                run_import(organisation, replies, examples.with_name("x-replies.csv"), "csv",
                           {"source_platform": "x"})):
        _report(run)
        if run.status != run.Status.FINISHED:
            raise typer.Exit(EXIT_INPUT_ERROR)
    users = get_user_model()
    admin = users.objects.filter(username=DEMO_ADMIN).first()
    if admin is not None:
        say(
            f"the admin user '{DEMO_ADMIN}' exists already; its password was shown when it was "
            f"created (set a new one with: python manage.py changepassword {DEMO_ADMIN})"
        )
    else:
        password = secrets.token_urlsafe(12)
        admin = users.objects.create_superuser(DEMO_ADMIN, email="", password=password)
        Console().print(
            f"admin login (shown only this once): user {DEMO_ADMIN}, password {password}",
            markup=False, highlight=False,
        )
    _confirm_an_example(organisation, admin)
    history = _group_history(organisation, admin)
    from tropewatch.impact.rollups import rebuild

    days, posts = rebuild(organisation)
    say(f"the dashboard's roll-ups: {days} days, {posts} posts")
    if history is not None:
        source, change = history
        say(f"the dashboard compares '{source.name}' before and after its invented campaign: "
            f"/o/{DEMO_ORG}/dashboard/?source={source.pk}&change={change.isoformat()}")
    say("next: tropewatch serve, then open http://127.0.0.1:8000/ and log in; the first "
         "login sets up two-factor authentication with an authenticator app")


def _confirm_an_example(organisation: Organisation, admin: AbstractBaseUser) -> None:
    """Confirm the highest-scoring example once, so that the demo shows the whole path after
    a decision: evidence to download, a drafted report to the platform, an open complaint case
    about its (invented) author, and a chain for `tropewatch verify`."""
    from tropewatch.cases.services import open_case
    from tropewatch.people.services import accounts_of
    from tropewatch.posts.models import Post
    from tropewatch.reports import tracking
    from tropewatch.reports.platform_rules import PLATFORMS
    from tropewatch.reports.services import build_draft
    from tropewatch.reports.status import ReportAction
    from tropewatch.review.decisions import Decision, record
    from tropewatch.review.models import ReviewEvent
    from tropewatch.review.queue import flagged
    from tropewatch.review.status import Action

    # A post from a platform tropewatch can draft a report to, if one is flagged.
    candidates = flagged(organisation).order_by("-score", "post_id")
    top = candidates.filter(post__platform__in=PLATFORMS).first() or candidates.first()
    if top is None or ReviewEvent.objects.for_org(organisation).exists():
        return
    categories = [c["id"] for c in top.categories if isinstance(c, dict) and "id" in c]
    record(organisation, top.post_id, admin, "admin", Decision(
        Action.CONFIRM, categories, note="Confirmed by `tropewatch demo` as an example."))
    post = Post.objects.select_related("org", "author").get(pk=top.post_id)
    if post.platform in PLATFORMS:
        tracking.record(post, admin, "admin", ReportAction.DRAFT, draft=build_draft(post))
    if post.author is not None:
        open_case(organisation, accounts_of(post.author), admin, "admin",
                  note="Opened by `tropewatch demo` as an example.")
    say(f"confirmed example post {top.post_id}: its page offers the evidence bundle "
        "(Download evidence), a drafted report to the platform and a complaint case about "
        "its author; "
        "`tropewatch verify` checks the chain")


def _group_history(organisation: Organisation, admin: AbstractBaseUser):
    """Sixteen invented weeks of a Facebook group (tropewatch/cli/demo_history.py), ending
    yesterday, with the flagged posts decided as careful moderators would: a trend for the
    dashboard and a change for its before-and-after. Once only: the next run leaves the group
    as it is. Returns the source and the invented campaign's first day."""
    from django.conf import settings

    from tropewatch.cli.demo_history import HISTORY_SOURCE, change_day, is_trope, write_history
    from tropewatch.imports.services import run_import
    from tropewatch.review.decisions import Decision, record_many
    from tropewatch.review.queue import flagged
    from tropewatch.review.status import Action

    source = find_or_create_source(organisation, "csv", HISTORY_SOURCE, "group", None)
    if source.posts.exists():
        first = source.posts.order_by("created_at").values_list("created_at", flat=True)[0]
        return source, change_day(first.date())
    folder = Path(settings.VAR_DIR) / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    history = write_history(folder / "group-history.csv",
                            datetime.now(UTC).date() - timedelta(days=1))
    run = run_import(organisation, source, history.path, "csv", {"source_platform": "facebook"})
    _report(run)
    decisions = [
        (item.post_id, Decision(Action.CONFIRM, [c["id"] for c in item.categories])
         if is_trope(item.post.text) else Decision(Action.DISMISS, reason="not_antisemitic"))
        for item in flagged(organisation).filter(post__source=source).select_related("post")]
    done = record_many(organisation, decisions, admin, "admin")
    say(f"'{source.name}': {history.posts} invented posts, {done.done} flagged ones decided")
    return source, history.change


def _importable(module: str) -> bool:
    from importlib.util import find_spec

    return find_spec(module) is not None


