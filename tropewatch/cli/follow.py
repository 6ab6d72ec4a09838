"""``tropewatch follow``: read a live source (Bluesky search, author feeds, Jetstream, Mastodon
hashtags and accounts) into an organisation's posts, scanning each one with the detector.

Each run carries on where the last run of the same stream stopped (the cursors are kept in
the database). Secrets are read from environment variables the options name, never from the
command line, where other users of the machine and the shell history would see them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer

from tropewatch.cli.support import (
    EXIT_INPUT_ERROR,
    fail,
    find_organisation,
    say,
    setup_django,
    skipped_text,
    source_to_store,
    status_line,
)

if TYPE_CHECKING:
    from atproto import Client

    from tropewatch.imports.follow import FollowReport, OpenStream
    from tropewatch.ingest.follow.cursor import CursorStore
    from tropewatch.ingest.follow.jetstream import JetstreamConsumer
    from tropewatch.ingest.follow.mastodon import MastodonClient
    from tropewatch.orgs.models import Organisation
    from tropewatch.posts.models import Source

# What a shell reports for a program stopped by Ctrl-C (128 + SIGINT).
EXIT_INTERRUPTED = 130
# Smaller than a file import's batches: live posts should show up while a follow runs, and
# a Jetstream filtered to a few accounts may take a long time to gather more.
DEFAULT_BATCH_SIZE = 100

follow_app = typer.Typer(
    help="Follow a live source: store its new posts, scanned, and carry on from there next "
    "time.",
    no_args_is_help=True,
)

OrgOption = Annotated[
    str | None,
    typer.Option(
        help="Slug of the organisation the posts belong to (needed when there are several)."
    ),
]
SourceOption = Annotated[
    str,
    typer.Option(help="Name to store the posts under (a source; created on first use)."),
]
CreateOrgOption = Annotated[
    bool, typer.Option(help="Create the organisation if it does not exist yet.")
]
LimitOption = Annotated[
    int | None, typer.Option(min=1, help="Stop after this many posts (default: all new ones).")
]
BatchSizeOption = Annotated[
    int, typer.Option(min=1, help="Posts stored and scanned per transaction.")
]
InstanceOption = Annotated[
    str, typer.Option(help="The Mastodon server, e.g. https://mastodon.social.")
]
TokenEnvOption = Annotated[
    str | None,
    typer.Option(
        metavar="VAR",
        help="Environment variable holding an access token for the server (needed where the "
        "server does not show its timelines to anonymous readers).",
    ),
]
HandleOption = Annotated[
    str | None,
    typer.Option(help="Log in as this Bluesky account (e.g. you.bsky.social)."),
]
AppPasswordEnvOption = Annotated[
    str,
    typer.Option(
        metavar="VAR",
        help="Environment variable holding the app password for --handle "
        "(Settings > Privacy and security > App passwords).",
    ),
]
SinceOption = Annotated[
    str | None,
    typer.Option(
        metavar="ISO",
        help="Only posts from this time on, e.g. 2024-11-28T00:00:00Z (default: from where "
        "the last run stopped).",
    ),
]
BaseUrlOption = Annotated[
    str | None,
    typer.Option(
        help="XRPC server (default: the public AppView, or bsky.social with --handle)."
    ),
]


def register(app: typer.Typer) -> None:
    app.add_typer(follow_app, name="follow")


@follow_app.command("bluesky-search")
def bluesky_search_cli(
    query: Annotated[str, typer.Argument(help="Bluesky search query (words, from:, #tag...).")],
    source: SourceOption,
    org: OrgOption = None,
    create_org: CreateOrgOption = False,
    since: SinceOption = None,
    limit: LimitOption = None,
    handle: HandleOption = None,
    app_password_env: AppPasswordEnvOption = "BLUESKY_APP_PASSWORD",
    base_url: BaseUrlOption = None,
    batch_size: BatchSizeOption = DEFAULT_BATCH_SIZE,
) -> None:
    """Posts matching a Bluesky search, newest first."""
    since_time = _parse_since(since)
    password = _app_password(handle, app_password_env)
    setup_django()
    from tropewatch.ingest.follow.bluesky import search_posts

    organisation = find_organisation(org, create_org)
    client = _bluesky_client(base_url, handle, password)
    watched = source_to_store(organisation, "bluesky", source, "feed", None)
    _follow_and_report(
        organisation,
        watched,
        lambda cursors: nullcontext(
            search_posts(client, query, since=since_time, limit=limit, cursor_store=cursors)
        ),
        f"Bluesky search {query!r}",
        batch_size,
    )


@follow_app.command("bluesky-feed")
def bluesky_feed_cli(
    actor: Annotated[str, typer.Argument(help="The account: a handle or a DID.")],
    source: SourceOption,
    org: OrgOption = None,
    create_org: CreateOrgOption = False,
    since: SinceOption = None,
    limit: LimitOption = None,
    include_reposts: Annotated[
        bool, typer.Option(help="Also store the posts the account reposted.")
    ] = False,
    handle: HandleOption = None,
    app_password_env: AppPasswordEnvOption = "BLUESKY_APP_PASSWORD",
    base_url: BaseUrlOption = None,
    batch_size: BatchSizeOption = DEFAULT_BATCH_SIZE,
) -> None:
    """Posts of one Bluesky account, newest first."""
    since_time = _parse_since(since)
    password = _app_password(handle, app_password_env)
    setup_django()
    from tropewatch.ingest.follow.bluesky import author_feed

    organisation = find_organisation(org, create_org)
    client = _bluesky_client(base_url, handle, password)
    profile = f"https://bsky.app/profile/{actor}"
    watched = source_to_store(organisation, "bluesky", source, "account", profile)
    _follow_and_report(
        organisation,
        watched,
        lambda cursors: nullcontext(
            author_feed(
                client, actor, since=since_time, limit=limit,
                include_reposts=include_reposts, cursor_store=cursors,
            )
        ),
        f"Bluesky feed of {actor}",
        batch_size,
    )


@follow_app.command("jetstream")
def jetstream_cli(
    source: SourceOption,
    org: OrgOption = None,
    create_org: CreateOrgOption = False,
    url: Annotated[
        str | None,
        typer.Option(help="Jetstream instance, ws(s)://host/subscribe (default: Bluesky's)."),
    ] = None,
    dids: Annotated[
        str | None,
        typer.Option(metavar="DID,...", help="Only posts of these accounts (comma-separated)."),
    ] = None,
    max_events: Annotated[
        int | None,
        typer.Option(min=1, help="Stop after this many events of any kind (default: never)."),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(min=0, metavar="SECONDS", help="Stop after this long (default: never)."),
    ] = None,
    batch_size: BatchSizeOption = DEFAULT_BATCH_SIZE,
) -> None:
    """New Bluesky posts as they are written, from a Jetstream instance. Runs until
    --max-events or --timeout, or Ctrl-C, which stores what was read before stopping."""
    wanted = _parse_dids(dids)
    setup_django()
    from tropewatch.ingest.follow.jetstream import JetstreamConsumer

    options = {"url": url} if url else {}
    # Each set of accounts is its own stream: a cursor for some accounts says nothing about
    # how far the posts of others were read.
    key = "bluesky:jetstream" + (":" + ",".join(sorted(wanted)) if wanted else "")
    organisation = find_organisation(org, create_org)
    watched = source_to_store(organisation, "bluesky", source, "feed", None)

    def open_stream(cursors: CursorStore) -> JetstreamConsumer:
        return JetstreamConsumer(
            **options, cursor_store=cursors, cursor_key=key, wanted_dids=wanted,
            max_events=max_events, timeout=timeout,
        )

    _follow_and_report(organisation, watched, open_stream, "Jetstream", batch_size)


@follow_app.command("mastodon-tag")
def mastodon_tag_cli(
    tag: Annotated[str, typer.Argument(help="The hashtag, with or without #.")],
    source: SourceOption,
    instance: InstanceOption,
    org: OrgOption = None,
    create_org: CreateOrgOption = False,
    token_env: TokenEnvOption = None,
    limit: LimitOption = None,
    local_only: Annotated[
        bool, typer.Option(help="Only posts written on this server.")
    ] = False,
    batch_size: BatchSizeOption = DEFAULT_BATCH_SIZE,
) -> None:
    """Public posts with a hashtag on a Mastodon server, newest first."""
    token = _token(token_env)
    setup_django()
    from tropewatch.ingest.follow.mastodon import tag_timeline

    organisation = find_organisation(org, create_org)
    with _mastodon_client(instance, token) as client:
        tag_url = client.url(f"/tags/{tag.removeprefix('#')}")
        watched = source_to_store(organisation, "mastodon", source, "hashtag", tag_url)
        _follow_and_report(
            organisation,
            watched,
            lambda cursors: nullcontext(
                tag_timeline(
                    client, tag, limit=limit, local_only=local_only, cursor_store=cursors
                )
            ),
            f"Mastodon #{tag.removeprefix('#')} on {client.base_url}",
            batch_size,
        )


@follow_app.command("mastodon-account")
def mastodon_account_cli(
    acct: Annotated[str, typer.Argument(help="The account: user or user@server.")],
    source: SourceOption,
    instance: InstanceOption,
    org: OrgOption = None,
    create_org: CreateOrgOption = False,
    token_env: TokenEnvOption = None,
    limit: LimitOption = None,
    include_boosts: Annotated[
        bool, typer.Option(help="Also store the posts the account boosted.")
    ] = False,
    batch_size: BatchSizeOption = DEFAULT_BATCH_SIZE,
) -> None:
    """Posts of one Mastodon account, newest first."""
    token = _token(token_env)
    setup_django()
    from tropewatch.ingest.errors import IngestError
    from tropewatch.ingest.follow.mastodon import account_statuses, lookup_account_id

    organisation = find_organisation(org, create_org)
    with _mastodon_client(instance, token) as client:
        try:
            account_id = lookup_account_id(client, acct)
        except IngestError as exc:
            fail(str(exc))
        profile = client.url(f"/@{acct.removeprefix('@')}")
        watched = source_to_store(organisation, "mastodon", source, "account", profile)
        _follow_and_report(
            organisation,
            watched,
            lambda cursors: nullcontext(
                account_statuses(
                    client, account_id, limit=limit, exclude_reblogs=not include_boosts,
                    cursor_store=cursors,
                )
            ),
            f"Mastodon account {acct} on {client.base_url}",
            batch_size,
        )


def _follow_and_report(
    organisation: Organisation,
    watched: Source,
    open_stream: OpenStream,
    what: str,
    batch_size: int,
) -> None:
    from tropewatch.imports.follow import follow
    from tropewatch.ingest.errors import IngestError

    try:
        with status_line() as show:
            report = follow(
                organisation, watched, open_stream, batch_size=batch_size,
                progress=lambda r: show(_tally(r)),
            )
    except (IngestError, ValueError) as exc:
        # Raised before anything was read: a stored cursor that cannot be used, a query the
        # server's own checks refuse.
        fail(str(exc))
    for error in report.errors:
        say(f"error: {error}")
    unlisted = report.error_count - len(report.errors)
    if unlisted:
        say(f"... and {unlisted} more errors (only the first {len(report.errors)} are kept)")
    say(f"{what} into '{watched}': {_tally(report)}")
    if report.failure:
        say(f"error: {report.failure}")
        say("the posts read before the fault are stored; the next run carries on from them")
        raise typer.Exit(EXIT_INPUT_ERROR)
    if report.interrupted:
        say("stopped by Ctrl-C; the posts read so far are stored and the next run carries on")
        raise typer.Exit(EXIT_INTERRUPTED)


def _tally(report: FollowReport) -> str:
    return (
        f"{report.records} records: {report.new} new, {report.updated} updated, "
        f"{skipped_text(report.skipped, report.skip_reasons)}, {report.error_count} errors"
    )


def _parse_since(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        fail(f"--since {value!r} is not an ISO 8601 time, e.g. 2024-11-28T00:00:00Z")
    if moment.tzinfo is None:
        fail(f"--since {value!r} needs a time zone, e.g. 2024-11-28T00:00:00Z")
    return moment


def _parse_dids(value: str | None) -> list[str]:
    dids = [did.strip() for did in (value or "").split(",") if did.strip()]
    for did in dids:
        if not did.startswith("did:"):
            fail(f"--dids: {did!r} is not a DID (did:plc:... or did:web:...)")
    return dids


def _secret(variable: str, what: str) -> str:
    value = os.environ.get(variable, "")
    if not value:
        fail(f"environment variable {variable} is not set; put {what} there")
    return value


def _app_password(handle: str | None, variable: str) -> str | None:
    return _secret(variable, f"the app password of {handle}") if handle else None


def _token(variable: str | None) -> str | None:
    # Only on request: a token sent to a server it was not made for is given away.
    return _secret(variable, "the access token") if variable else None


def _bluesky_client(base_url: str | None, handle: str | None, password: str | None) -> Client:
    from tropewatch.ingest.errors import IngestError
    from tropewatch.ingest.follow.bluesky import make_client

    try:
        return make_client(base_url, handle, password)
    except IngestError as exc:
        fail(str(exc))


@contextmanager
def _mastodon_client(instance: str, token: str | None) -> Iterator[MastodonClient]:
    from tropewatch.ingest.follow.mastodon import MastodonClient

    try:
        client = MastodonClient(instance, token)
    except ValueError as exc:
        fail(f"--instance: {exc}")
    with client:
        yield client
