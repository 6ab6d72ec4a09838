"""Tamper-evident evidence: snapshots of decided items, one hash chain per organisation over
the snapshots and the review log, and self-verifying bundles (docs/evidence.md).

``canonical`` and ``bundle_check`` need no Django: a bundle is checked anywhere."""
