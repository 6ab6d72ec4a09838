"""Allies' answers counted per organisation and week, for the impact dashboard to show beside
the call-outs made."""

from __future__ import annotations

from datetime import date

from django.db.models import Count
from django.db.models.functions import TruncWeek

from tropewatch.orgs.models import Organisation

from .models import AllyResponse


def answers_per_week(org: Organisation, since: date, until: date) -> dict[date, dict[str, int]]:
    """Answers given from ``since`` to ``until`` (inclusive, UTC days), by the Monday that
    starts their week, then by answer ("replied", "reported"); weeks without any are absent."""
    rows = (AllyResponse.objects.filter(org=org, created_at__date__gte=since,
                                        created_at__date__lte=until)
            .annotate(week=TruncWeek("created_at")).values("week", "answer")
            .annotate(count=Count("pk")).order_by("week"))
    weeks: dict[date, dict[str, int]] = {}
    for row in rows:
        weeks.setdefault(row["week"].date(), {})[row["answer"]] = row["count"]
    return weeks
