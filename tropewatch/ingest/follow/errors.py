"""The one error live connectors raise for a source they cannot use."""

from __future__ import annotations

from ..errors import IngestError


class LiveSourceError(IngestError):
    """A live endpoint failed or answered outside its documented format.

    The message starts with the endpoint (``GET https://host/api/v1/...`` or the XRPC method),
    so an operator can tell which call to which server went wrong.
    """
