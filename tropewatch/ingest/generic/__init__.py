"""Generic files: CSV and JSON Lines imported through a ``ColumnMapping``, and CSV, JSON Lines
and plain text read as (id, text) rows for scanning."""

from .lines import txt_posts
from .mapping import ColumnMapping
from .parser import mapped_to_record, parse_csv, parse_jsonl
from .texts import TEXT_FORMATS, TextRow, read_text_rows

__all__ = [
    "TEXT_FORMATS",
    "ColumnMapping",
    "TextRow",
    "mapped_to_record",
    "parse_csv",
    "parse_jsonl",
    "read_text_rows",
    "txt_posts",
]
