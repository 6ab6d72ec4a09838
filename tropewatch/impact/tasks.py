"""Background work for Celery workers. Without REDIS_URL these run in the calling process."""

from __future__ import annotations

from tropewatch.orgs.models import Organisation
from tropewatch.web.celery import app

from .rollups import refresh, refresh_all


@app.task(name="tropewatch.refresh_rollups")
def refresh_rollups_task(org_id: int | None = None) -> int:
    """Roll up again the days marked stale, of one organisation or of all; returns the days."""
    if org_id is None:
        return refresh_all()
    org = Organisation.objects.filter(pk=org_id).first()
    return refresh(org) if org is not None else 0
