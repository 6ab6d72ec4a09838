"""Bluesky ingestion from saved JSON; the converters are shared with the live connectors."""

from .parser import parse
from .posts import (
    feed_view_to_record,
    item_to_record,
    jetstream_event_to_record,
    post_view_to_record,
    repo_record_to_record,
)

__all__ = [
    "feed_view_to_record",
    "item_to_record",
    "jetstream_event_to_record",
    "parse",
    "post_view_to_record",
    "repo_record_to_record",
]
