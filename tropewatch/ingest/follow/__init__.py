"""Live connectors: Bluesky (atproto SDK and Jetstream) and Mastodon (REST), resumable through
a ``CursorStore``. Import the platform module you need; each pulls in its own client library.

Every connector yields what the file parsers yield, ``PostRecord`` or ``RecordError``, so the
importer treats live and file input alike.
"""
