"""Mastodon ingestion; ``status_to_record`` is shared with the live REST connector."""

from .html_text import html_to_text
from .parser import parse
from .statuses import account_to_author, activity_to_record, status_to_record

__all__ = ["account_to_author", "activity_to_record", "html_to_text", "parse", "status_to_record"]
