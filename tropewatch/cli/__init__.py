"""The command line, one module per group of commands:

- ``scan``: scan and explain (the detector on posts);
- ``model``: eval, train, temporal-check, model-card;
- ``service``: import, serve, worker, rescan, demo;
- ``follow``: follow live sources;
- ``labels``: export-labels, adapt;
- ``evidence``: verify, verify-bundle, export-evidence;
- ``members``: members import;
- ``privacy``: erase, purge;

``main`` builds the app from them; ``support`` is what they share, and ``scan_results``
classifies and writes what ``scan`` reads.
"""

from tropewatch.cli.main import app

__all__ = ["app"]
