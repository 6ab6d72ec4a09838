"""Facebook ingestion: "Download Your Information" JSON and Meta Content Library CSV."""

from .content_library import row_to_record
from .dyi import entry_to_record
from .mojibake import fix_text
from .parser import parse

__all__ = ["entry_to_record", "fix_text", "parse", "row_to_record"]
