"""Generic CSV and JSON Lines ingestion with a column mapping."""

from .mapping import ColumnMapping
from .parser import mapped_to_record, parse_csv, parse_jsonl

__all__ = ["ColumnMapping", "mapped_to_record", "parse_csv", "parse_jsonl"]
