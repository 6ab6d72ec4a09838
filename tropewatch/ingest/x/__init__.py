"""X/Twitter ingestion: account archives and API v2 pages."""

from .archive import ArchiveFiles
from .parser import parse
from .tweets import api_tweet_to_record, archive_tweet_to_record

__all__ = ["ArchiveFiles", "api_tweet_to_record", "archive_tweet_to_record", "parse"]
