"""The X account archive: data/tweets.js, with data/account.js (and profile.js) for the author.

Each file is JavaScript, not JSON: ``window.YTD.tweets.part0 = [ ... ]``. The prefix is checked
and skipped and the array behind it streamed, so a large archive is never loaded whole. The
archive is read from the zip X hands out, from the folder it unpacks to (or its data folder),
or from data/tweets.js with account.js beside it; all three give the same records.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..convert import convert_items
from ..errors import IngestError, InvalidRecord
from ..fields import dig, required_id
from ..inputs import Limits, TextStream, ZipInput, is_zip, open_text
from ..jsonstream import JsonReader
from ..records import AuthorRecord, PostRecord, RecordError
from .tweets import PLATFORM, archive_tweet_to_record

_YTD_PREFIX = re.compile(r"window\.YTD\.(?P<name>\w+)\.part(?P<part>\d+)\s*=\s*")
# tweets.js since 2022 (tweets-part1.js ... when split), tweet.js in older archives
_TWEET_NAME = r"tweets?(?:-part\d+)?\.js"
_TWEET_FILE = re.compile(rf"(?:^|/)data/{_TWEET_NAME}$")
_TWEET_NAMES = ("tweets", "tweet")


def parse_archive(path: Path, limits: Limits) -> Iterator[PostRecord | RecordError]:
    if not path.is_dir() and is_zip(path):
        yield from _parse_zip(path, limits)
        return
    files = ArchiveFiles.of(path)
    profile = files.profile.name if files.profile else None
    author = _read_author(lambda name: open_text(files.data / name), "account.js", profile,
                          limits)
    for tweets in files.tweets:
        with open_text(tweets) as stream:
            yield from _tweets(stream, author, limits)


@dataclass(frozen=True)
class ArchiveFiles:
    """What is read from an unpacked archive: the tweet files, and account.js and profile.js
    in the same folder."""

    data: Path
    tweets: list[Path]
    profile: Path | None

    @property
    def all(self) -> list[Path]:
        return [*self.tweets, self.data / "account.js", *([self.profile] if self.profile else [])]

    @classmethod
    def of(cls, path: Path) -> ArchiveFiles:
        """``path``: the archive's folder, its data folder, or one tweet file."""
        if path.is_dir():
            data = path / "data" if (path / "data").is_dir() else path
            tweets = sorted(
                file for file in data.iterdir()
                if re.fullmatch(_TWEET_NAME, file.name) and file.is_file()
            )
            if not tweets:
                raise IngestError(f"{path}: no data/tweets.js in this folder; is it an X archive?")
        else:
            data, tweets = path.parent, [path]
        if not (data / "account.js").is_file():
            raise IngestError(
                f"{path}: no account.js beside {tweets[0].name}, so the author of these posts "
                "is unknown; import the whole archive (zip or folder), or put data/account.js "
                "there"
            )
        profile = data / "profile.js"
        return cls(data, tweets, profile if profile.is_file() else None)


def _parse_zip(path: Path, limits: Limits) -> Iterator[PostRecord | RecordError]:
    with ZipInput(path, limits) as archive:
        names = archive.find(_TWEET_FILE.search)
        if not names:
            raise IngestError(f"{path}: no data/tweets.js in this zip; is it an X archive?")
        account = archive.find(lambda name: name.endswith("data/account.js"))
        if not account:
            raise IngestError(f"{path}: no data/account.js in this zip, so the author is unknown")
        profile = archive.find(lambda name: name.endswith("data/profile.js"))
        author = _read_author(
            archive.open_text, account[0], profile[0] if profile else None, limits
        )
        for name in names:
            with archive.open_text(name) as stream:
                yield from _tweets(stream, author, limits)


def _read_author(
    open_file: Callable[[str], AbstractContextManager[TextStream]],
    account_name: str,
    profile_name: str | None,
    limits: Limits,
) -> AuthorRecord:
    """The archive's owner from account.js, with the bio from profile.js where there is one."""
    with open_file(account_name) as stream:
        account = _first_entry(stream, "account", limits)
        source = stream.source
    bio = None
    if profile_name is not None:
        with open_file(profile_name) as stream:
            bio = dig(_first_entry(stream, "profile", limits), "description", "bio")
    try:
        account_id = required_id(dig(account, "accountId"), "accountId")
    except InvalidRecord as exc:
        raise IngestError(f"{source}: {exc.message}") from None
    handle = dig(account, "username")
    name = dig(account, "accountDisplayName")
    return AuthorRecord(
        platform=PLATFORM,
        platform_id=account_id,
        handle=handle if isinstance(handle, str) else None,
        display_name=name if isinstance(name, str) else None,
        bio=bio if isinstance(bio, str) else None,
    )


def _first_entry(stream: TextStream, name: str, limits: Limits) -> Any:
    """The object inside the first element of window.YTD.<name>.part0 = [{"<name>": {...}}]."""
    for _, _, entry in _ytd_array(stream, (name,), limits):
        return dig(entry, name)
    raise IngestError(f"{stream.source}: the {name} list is empty")


def _tweets(
    stream: TextStream, author: AuthorRecord, limits: Limits
) -> Iterator[PostRecord | RecordError]:
    yield from convert_items(
        stream.source,
        _ytd_array(stream, _TWEET_NAMES, limits),
        lambda item, line: archive_tweet_to_record(item, author, source_line=line),
    )


def _ytd_array(
    stream: TextStream, names: tuple[str, ...], limits: Limits
) -> Iterator[tuple[int, int, Any]]:
    reader = JsonReader(stream, limits.max_record_chars)
    reader.peek()  # skip leading whitespace
    prefix = reader.match_prefix(_YTD_PREFIX)
    if prefix is None or prefix["name"] not in names:
        raise IngestError(
            f"{stream.source}: not an X archive file: it should start with"
            f" 'window.YTD.{names[0]}.part0 = ['"
        )
    yield from reader.iter_array()
    reader.expect_end(allow_semicolon=True)
