"""Opening input files safely: strict UTF-8, positions for error messages, guarded zip archives.

Platform exports arrive as plain files or as the zip the platform hands out. Every byte read
goes through ``TextStream`` so that a file that is not UTF-8 fails with the byte offset and
line of the first bad byte, and every zip member is checked against ``Limits`` before it is
inflated, so a zip bomb is refused instead of filling memory or disk.
"""

from __future__ import annotations

import codecs
import contextvars
import lzma
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .errors import IngestError

MiB = 1024 * 1024
GiB = 1024 * MiB
CHUNK_BYTES = 256 * 1024

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")

# Everything that reading a damaged file or zip member can raise; all of it means "this file
# cannot be read", which callers must see as an IngestError naming the file.
_READ_FAILURES = (
    OSError,
    EOFError,
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    NotImplementedError,
    RuntimeError,
    ValueError,
)


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds that keep hostile or broken input from exhausting memory or disk."""

    max_record_chars: int = 16 * MiB  # one JSON record or page, one CSV/JSONL line
    max_member_bytes: int = 16 * GiB  # one file inside a zip, uncompressed
    max_archive_bytes: int = 64 * GiB  # all files read from one zip, uncompressed
    max_compression_ratio: float = 200.0  # real exports compress 5-20x; bombs 1000x and more
    ratio_applies_from_bytes: int = 1 * MiB  # tiny members may compress well and are harmless


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class OverlongLine:
    """Stands for a line over ``Limits.max_record_chars``, which was skipped unread. No post
    is that long; a line that is comes from a broken export or a hostile one, and the
    records on the other lines are still good."""

    number: int  # the line's number in its file
    max_chars: int

    @property
    def problem(self) -> str:
        return (f"line {self.number} is longer than {self.max_chars:,} characters, the most "
                "one record may hold; it was skipped unread")


@dataclass(slots=True)
class ReadMeter:
    """How many bytes of the input file have been read, for a progress bar. A zip member's
    bytes count at its compression ratio, so that the total is the size of the zip."""

    done: float = 0.0


# The meter of the import running in this context, if it shows progress. A context variable
# rather than a parameter: every parser opens its files through this module, and none of
# them has to carry the meter along.
_METER: contextvars.ContextVar[ReadMeter | None] = contextvars.ContextVar("meter", default=None)


@contextmanager
def metered() -> Iterator[ReadMeter]:
    """Count the bytes every ``TextStream`` opened within reads."""
    meter = ReadMeter()
    token = _METER.set(meter)
    try:
        yield meter
    finally:
        _METER.reset(token)


class TextStream:
    """Decodes a byte stream as strict UTF-8, remembering where it is for error messages."""

    def __init__(self, raw: BinaryIO, source: str, file_bytes_per_byte: float = 1.0) -> None:
        self.source = source
        self._raw = raw
        self._meter = _METER.get()
        self._file_bytes_per_byte = file_bytes_per_byte
        self._decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self._bytes_read = 0
        self._lines_decoded = 0  # newlines decoded so far
        self._at_start = True
        self._eof = False

    def read(self, size: int = CHUNK_BYTES) -> str:
        """Up to about ``size`` bytes of text; "" only at the end of the stream."""
        while not self._eof:
            chunk = self._read_raw(size)
            text = self._decode(chunk, final=not chunk)
            self._eof = not chunk
            if self._at_start and text:
                text = text.removeprefix("\ufeff")  # a byte-order mark is not content
                self._at_start = False
            if text:
                self._lines_decoded += text.count("\n")
                return text
        return ""

    def lines(self, max_chars: int) -> Iterator[tuple[int, str | OverlongLine]]:
        """(line number, line including its newline). A line longer than max_chars comes as
        an ``OverlongLine``: it is read past chunk by chunk, never held, so one 50 MB line
        costs no memory and the lines after it are still read."""
        number = 1
        head: list[str] = []  # the current line as read so far, in chunks
        held = 0  # characters in head
        overlong = False
        while text := self.read():
            start = 0
            while True:
                newline = text.find("\n", start)
                end = len(text) if newline < 0 else newline + 1
                if not overlong:
                    length = held + (end if newline < 0 else newline) - start  # no newline
                    if length > max_chars:
                        overlong, head, held = True, [], 0
                    else:
                        head.append(text[start:end])
                        held += end - start
                if newline < 0:
                    break
                yield number, OverlongLine(number, max_chars) if overlong else "".join(head)
                number += 1
                head, held, overlong = [], 0, False
                start = end
        if overlong:
            yield number, OverlongLine(number, max_chars)
        elif held:
            yield number, "".join(head)

    def _read_raw(self, size: int) -> bytes:
        try:
            chunk = self._raw.read(size)
        except _READ_FAILURES as exc:
            raise IngestError(
                f"{self.source}: cannot read past byte {self._bytes_read}: {exc}"
            ) from exc
        self._bytes_read += len(chunk)
        if self._meter is not None:
            self._meter.done += len(chunk) * self._file_bytes_per_byte
        return chunk

    def _decode(self, chunk: bytes, *, final: bool) -> str:
        pending = self._decoder.getstate()[0]
        try:
            return self._decoder.decode(chunk, final=final)
        except UnicodeDecodeError as exc:
            seen = pending + chunk
            offset = self._bytes_read - len(seen) + exc.start
            line = self._lines_decoded + 1 + seen[: exc.start].count(b"\n")
            raise IngestError(
                f"{self.source}: not UTF-8 text: invalid byte at offset {offset} (line {line});"
                " export the file as UTF-8"
            ) from exc


def is_zip(path: Path) -> bool:
    return read_prefix(path, 4) in ZIP_MAGIC


def read_prefix(path: Path, size: int) -> bytes:
    """The first bytes of a file, to sniff its format."""
    try:
        with open(path, "rb") as file:
            return file.read(size)
    except OSError as exc:
        raise IngestError(f"{path}: cannot open: {exc.strerror or exc}") from exc


def sniff_text(path: Path, size: int = 64 * 1024) -> str:
    """The start of a file as text, for format sniffing only: bad bytes are replaced here and
    reported properly by the real parse."""
    return read_prefix(path, size).decode("utf-8", "replace").lstrip("\ufeff \t\r\n")


@contextmanager
def open_text(path: Path) -> Iterator[TextStream]:
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise IngestError(f"{path}: cannot open: {exc.strerror or exc}") from exc
    with raw:
        yield TextStream(raw, str(path))


STDIN_SOURCE = "standard input"


@contextmanager
def open_stdin() -> Iterator[TextStream]:
    """Standard input as bytes, so it is decoded as strictly as a file is (not in the
    locale's encoding). It stays open: it belongs to the process, not to the reader."""
    yield TextStream(sys.stdin.buffer, STDIN_SOURCE)


class ZipInput:
    """A zip archive whose members are opened only within ``Limits``."""

    def __init__(self, path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
        self.path = path
        self._limits = limits
        self._bytes_allowed = limits.max_archive_bytes
        try:
            self._zip = zipfile.ZipFile(path)
            self._infos = {info.filename: info for info in self._zip.infolist()}
        except _READ_FAILURES as exc:
            raise IngestError(f"{path}: not a readable zip archive: {exc}") from exc
        # Members are only ever read, never extracted, but a name that climbs out of the
        # archive comes from a crafted zip, not from a platform: refuse the whole archive.
        unsafe = next((name for name in self._infos if _climbs_out(name)), None)
        if unsafe is not None:
            self._zip.close()
            raise IngestError(
                f"{path}: member {unsafe[:200]!r} has an unsafe path (absolute, or with '..');"
                " refusing the archive"
            )

    def __enter__(self) -> ZipInput:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._zip.close()

    def names(self) -> list[str]:
        return [name for name, info in self._infos.items() if not info.is_dir()]

    def find(self, matches: Callable[[str], bool]) -> list[str]:
        return sorted(name for name in self.names() if matches(name))

    def source(self, name: str) -> str:
        return f"{self.path}:{name}"

    @contextmanager
    def open_text(self, name: str) -> Iterator[TextStream]:
        info = self._infos[name]
        self._check(info)
        try:
            raw = self._zip.open(info)
        except _READ_FAILURES as exc:
            raise IngestError(f"{self.source(name)}: cannot open: {exc}") from exc
        with raw:
            # zipfile stops at the declared size, so the checks above bound what is inflated
            yield TextStream(raw, self.source(name), info.compress_size / max(info.file_size, 1))

    def _check(self, info: zipfile.ZipInfo) -> None:
        limits = self._limits
        source = self.source(info.filename)
        if info.flag_bits & 0x1:
            raise IngestError(f"{source}: encrypted zip members are not supported")
        if info.file_size > limits.max_member_bytes:
            raise IngestError(
                f"{source}: refusing to inflate {info.file_size} bytes"
                f" (limit {limits.max_member_bytes} bytes per file)"
            )
        ratio = info.file_size / max(info.compress_size, 1)
        large = info.file_size >= limits.ratio_applies_from_bytes
        if large and ratio > limits.max_compression_ratio:
            raise IngestError(
                f"{source}: compression ratio {ratio:.0f}:1 exceeds"
                f" {limits.max_compression_ratio:.0f}:1; refusing a likely zip bomb"
            )
        if info.file_size > self._bytes_allowed:
            raise IngestError(
                f"{source}: archive would inflate to more than {limits.max_archive_bytes} bytes"
            )
        self._bytes_allowed -= info.file_size


def _climbs_out(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return parts[0] == "" or ".." in parts or ":" in parts[0]
