"""A streaming JSON reader: big arrays are read one element at a time, with exact positions.

Exports can be gigabytes of one JSON array (tweets.js, outbox.json) so the whole document is
never loaded. The reader keeps a bounded text buffer, decodes one value at a time with the
standard library's C decoder, and turns every problem into an ``IngestError`` that names the
file, line and column (and the record, where the caller says which one it is reading).
A record over the size limit (an element of an array, or a top-level value) is stepped over
without being held and stands as an ``OverlongValue``, so the records after it are still read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .errors import IngestError, InvalidRecord, empty_file
from .inputs import CHUNK_BYTES, TextStream
from .sanitize import UNSAFE_JSON_ESCAPE, scrub_value

_WHITESPACE = re.compile(r"[ \t\n\r]*")
# How close to the end of the buffer a decode error has to be before it could just mean
# "this value continues in the next chunk". Errors further back are real syntax errors.
_TRUNCATION_MARGIN = 16
# What ends or nests a value being skipped: inside a string, its end or an escape; outside, a
# string, a bracket or a brace; after a bare number or literal, whatever follows it.
_STRING_STOP = re.compile(r'["\\]')
_STRUCTURE_STOP = re.compile(r'["\[\]{}]')
_SCALAR_END = re.compile(r"[\s,\]}]")


@dataclass(frozen=True, slots=True)
class OverlongValue:
    """Stands for a record over the size limit, which was skipped unread. Converters never see
    it: ``convert.convert_items`` reports it as a bad record."""

    label: str  # "record 2", "activity 7"
    line: int  # where it starts
    max_chars: int

    @property
    def problem(self) -> str:
        return (f"{self.label} starting at line {self.line} is larger than {self.max_chars:,} "
                "characters, the most one record may hold; it was skipped unread")


class _TooLarge(Exception):
    """The value being read is over the size limit."""


def _reject_constant(name: str) -> None:
    # NaN and Infinity are not JSON; accepting them would store values no database takes.
    raise ValueError(f"{name} is not valid JSON")


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


def decode_record(text: str) -> Any:
    """One JSON value from one line of JSON Lines; a bad line is a bad record, not a bad file."""
    text = text.rstrip("\r\n")  # so error columns count within the line
    try:
        value = _DECODER.decode(text)
        return scrub_value(value) if UNSAFE_JSON_ESCAPE.search(text) else value
    except json.JSONDecodeError as exc:
        raise InvalidRecord(f"invalid JSON at column {exc.colno}: {exc.msg}") from None
    except ValueError as exc:  # NaN, or an integer with thousands of digits
        raise InvalidRecord(f"invalid JSON: {exc}") from None
    except RecursionError:
        raise InvalidRecord("JSON nested too deeply") from None


class JsonReader:
    def __init__(self, stream: TextStream, max_value_chars: int) -> None:
        self.source = stream.source
        self._stream = stream
        self._max_value_chars = max_value_chars
        self._buf = ""
        self._pos = 0
        self._eof = False
        self._dropped = 0  # characters already discarded from the front of the buffer
        # Line counting is incremental: lines up to _line_mark are counted in _line.
        self._line = 1
        self._line_mark = 0
        self._last_newline = -1  # absolute offset of the last newline before _line_mark

    # -- structure ---------------------------------------------------------------------------

    def iter_documents(self) -> Iterator[tuple[int, int, Any]]:
        """(number, line, value) for each JSON value in the file in turn (one document, or JSON
        Lines), where a top-level array stands for its elements, streamed one by one. A file
        with no value at all, only whitespace, is refused as empty."""
        if not self.peek():
            raise empty_file(self.source)
        number = 0
        while char := self.peek():
            if char == "[":
                elements = self.iter_array(first_number=number + 1)
                for number, line, value in elements:  # number carries on from here
                    yield number, line, value
            else:
                number += 1
                line, value = self.read_record(f"record {number}")
                yield number, line, value

    def iter_array(
        self, label: str = "record", first_number: int = 1
    ) -> Iterator[tuple[int, int, Any]]:
        """(number, line, value) for each element of the array that starts here."""
        self.expect("[")
        number = first_number - 1
        while True:
            char = self.peek()
            if char == "]":
                self._pos += 1
                return
            if number >= first_number:
                if char != ",":
                    raise self._unexpected(char, "',' or ']'", f"after {label} {number}")
                self._pos += 1
            number += 1
            line, value = self.read_record(f"{label} {number}")
            yield number, line, value

    def iter_object_keys(self) -> Iterator[str]:
        """Each key of the object that starts here. The caller MUST consume the key's value
        (``read_value``, ``iter_array`` ...) before asking for the next key."""
        self.expect("{")
        first = True
        while True:
            char = self.peek()
            if char == "}":
                self._pos += 1
                return
            if not first:
                if char != ",":
                    raise self._unexpected(char, "',' or '}'")
                self._pos += 1
            first = False
            line, key = self.read_value("an object key")
            if not isinstance(key, str):
                raise IngestError(f"{self.source}: line {line}: an object key is not a string")
            self.expect(":")
            yield key

    def read_record(self, label: str) -> tuple[int, Any]:
        """(line, value) like ``read_value``, but a value over the size limit is stepped over
        unread and comes as an ``OverlongValue``."""
        self._skip_whitespace()
        line = self._line_at(self._pos)
        try:
            return self._read_value(label)
        except _TooLarge:
            self._skip_value(label, line)
            return line, OverlongValue(label, line, self._max_value_chars)

    def read_value(self, label: str = "value") -> tuple[int, Any]:
        """(line, value) of the complete JSON value that starts here."""
        try:
            return self._read_value(label)
        except _TooLarge:
            line = self._line_at(self._pos)
            raise IngestError(
                f"{self.source}: {label} starting at line {line} is larger than"
                f" {self._max_value_chars} characters"
            ) from None

    def _read_value(self, label: str) -> tuple[int, Any]:
        """``read_value``, raising _TooLarge with the position still at the value's start."""
        self._skip_whitespace()
        line = self._line_at(self._pos)
        while True:
            try:
                value, end = _DECODER.raw_decode(self._buf, self._pos)
            except json.JSONDecodeError as exc:
                if self._eof or self._is_real_syntax_error(exc):
                    raise self._syntax_error(exc, label, line) from None
                self._grow()
                continue
            except ValueError as exc:  # NaN, or an integer with thousands of digits
                raise IngestError(f"{self.source}: {label} at line {line}: {exc}") from None
            except RecursionError:
                raise IngestError(
                    f"{self.source}: {label} at line {line} is nested too deeply"
                ) from None
            if end == len(self._buf) and not self._eof:
                self._grow()  # a number at the buffer's end may have more digits
                continue
            break
        if end - self._pos > self._max_value_chars:
            raise _TooLarge
        if UNSAFE_JSON_ESCAPE.search(self._buf, self._pos, end):
            try:
                value = scrub_value(value)
            except RecursionError:
                raise IngestError(
                    f"{self.source}: {label} at line {line} is nested too deeply"
                ) from None
        self._pos = end
        return line, value

    def peek(self) -> str:
        """The next non-whitespace character, or "" at the end of the input."""
        self._skip_whitespace()
        return self._buf[self._pos] if self._pos < len(self._buf) else ""

    def expect(self, char: str) -> None:
        found = self.peek()
        if found != char:
            raise self._unexpected(found, repr(char))
        self._pos += 1

    def expect_end(self, allow_semicolon: bool = False) -> None:
        found = self.peek()
        if allow_semicolon and found == ";":
            self._pos += 1
            found = self.peek()
        if found:
            raise self._unexpected(found, "the end of the file")

    def match_prefix(self, pattern: re.Pattern[str], max_chars: int = 512) -> re.Match[str] | None:
        """Match ``pattern`` at the current position (within max_chars) and step past it."""
        while len(self._buf) - self._pos < max_chars and self._fill(max_chars):
            pass
        match = pattern.match(self._buf, self._pos, self._pos + max_chars)
        if match:
            self._pos = match.end()
        return match

    # -- buffer ------------------------------------------------------------------------------

    def _skip_whitespace(self) -> None:
        while True:
            self._pos = _WHITESPACE.match(self._buf, self._pos).end()
            if self._pos < len(self._buf) or not self._fill(CHUNK_BYTES):
                return

    def _grow(self) -> None:
        held = len(self._buf) - self._pos
        if held > self._max_value_chars:
            raise _TooLarge
        # Doubling keeps re-decoding a large value from the start linear overall.
        self._fill(max(held, CHUNK_BYTES))

    def _fill(self, wanted: int) -> bool:
        """Append at least ``wanted`` characters (fewer at the end); False if none came."""
        if self._eof:
            return False
        if self._pos:
            self._line_at(self._pos)
            self._dropped += self._pos
            self._buf = self._buf[self._pos :]
            self._line_mark -= self._pos
            self._pos = 0
        parts = [self._buf]
        got = 0
        while got < wanted:
            text = self._stream.read(max(wanted - got, CHUNK_BYTES))
            if not text:
                self._eof = True
                break
            parts.append(text)
            got += len(text)
        self._buf = "".join(parts)
        return got > 0

    # -- positions and errors ----------------------------------------------------------------

    def _line_at(self, index: int) -> int:
        """Line number at buffer index ``index`` (indices must not go backwards)."""
        if index > self._line_mark:
            newlines = self._buf.count("\n", self._line_mark, index)
            if newlines:
                self._line += newlines
                self._last_newline = self._dropped + self._buf.rfind("\n", self._line_mark, index)
            self._line_mark = index
        return self._line

    def _line_column(self, index: int) -> tuple[int, int]:
        index = max(index, self._line_mark)
        line = self._line_at(index)
        return line, self._dropped + index - self._last_newline

    def _skip_value(self, label: str, line: int) -> None:
        """Step over the value that starts here, holding no more than a chunk of it."""
        scalar = self._buf[self._pos] not in '[{"'
        depth = 0
        in_string = False
        while True:
            stop = _SCALAR_END if scalar else _STRING_STOP if in_string else _STRUCTURE_STOP
            found = stop.search(self._buf, self._pos)
            if found is None or (found.group() == "\\" and found.end() == len(self._buf)):
                self._pos = len(self._buf) if found is None else found.start()
                if not self._fill(CHUNK_BYTES):
                    if scalar:
                        return
                    raise IngestError(f"{self.source}: truncated JSON: the file ends inside "
                                      f"{label}, which starts at line {line}")
                continue
            if scalar:
                self._pos = found.start()
                return
            self._pos = found.end()
            char = found.group()
            if char == "\\":
                self._pos += 1  # the escaped character, which may be a quote
            elif char == '"':
                in_string = not in_string
                if not in_string and depth == 0:
                    return
            else:
                depth += 1 if char in "[{" else -1
                if depth == 0:
                    return

    def _is_real_syntax_error(self, exc: json.JSONDecodeError) -> bool:
        continues_later = exc.msg.startswith("Unterminated string")
        return not continues_later and exc.pos < len(self._buf) - _TRUNCATION_MARGIN

    def _syntax_error(self, exc: json.JSONDecodeError, label: str, start: int) -> IngestError:
        truncated = self._eof and (
            exc.msg.startswith("Unterminated string") or exc.pos >= len(self._buf.rstrip())
        )
        line, column = self._line_column(len(self._buf) if truncated else exc.pos)
        if truncated:
            return IngestError(
                f"{self.source}: truncated JSON: the file ends at line {line}, column {column}"
                f" inside {label}, which starts at line {start}"
            )
        return IngestError(
            f"{self.source}: invalid JSON at line {line}, column {column} in {label}: {exc.msg}"
        )

    def _unexpected(self, found: str, expected: str, context: str = "") -> IngestError:
        line, column = self._line_column(self._pos)
        where = f"line {line}, column {column}" + (f" ({context})" if context else "")
        if not found:
            return IngestError(
                f"{self.source}: truncated JSON: the file ends at {where}; expected {expected}"
            )
        return IngestError(
            f"{self.source}: invalid JSON at {where}: expected {expected}, found {found!r}"
        )
