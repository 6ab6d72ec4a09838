"""Call-outs counted per organisation and week, for the impact dashboard to show beside the
flag counts."""

from __future__ import annotations

from datetime import date

from django.db.models import Count
from django.db.models.functions import TruncWeek

from tropewatch.orgs.models import Organisation

from .models import CallOut


def call_outs_per_week(org: Organisation, since: date, until: date) -> dict[date, int]:
    """Replies posted from ``since`` to ``until`` (inclusive, UTC days), by the Monday that
    starts their week; weeks without any are absent."""
    rows = (CallOut.objects.filter(org=org, action=CallOut.Action.POSTED,
                                   created_at__date__gte=since, created_at__date__lte=until)
            .annotate(week=TruncWeek("created_at")).values("week")
            .annotate(count=Count("pk")).order_by("week"))
    return {row["week"].date(): row["count"] for row in rows}
