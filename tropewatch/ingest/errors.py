"""The two ways ingestion reports bad input.

``IngestError`` is raised when a whole file cannot be read (truncated JSON, not UTF-8, not the
expected format, a zip bomb) or holds nothing (``empty_file``): the import stops and names the
file and the position.

``InvalidRecord`` is raised by the record converters when one record is unusable (no id, no
text, an unknown shape). Parsers catch it and yield a ``RecordError`` (see ``records.py``) so
the importer can report that record and carry on with the next one.
"""

from __future__ import annotations


class IngestError(Exception):
    """A file that cannot be ingested at all. The message names the file and the position."""


def empty_file(source: str) -> IngestError:
    """The refusal of a file with nothing in it but whitespace: no export is empty, so it is
    the wrong file or a failed download, not "0 records"."""
    return IngestError(f"{source}: the file is empty")


class InvalidRecord(Exception):
    """One record that cannot become a post. ``kind`` is one of ``records.RECORD_ERROR_KINDS``."""

    def __init__(self, message: str, kind: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind
