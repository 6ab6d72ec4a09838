"""When a delivery may go: after the ally's quiet hours, and for a digest at the ally's
digest hour. Times are read in the ally's own time zone; plain functions, no database."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo


def end_of_quiet_hours(now: datetime, zone: str, start: time | None,
                       end: time | None) -> datetime | None:
    """The end of the quiet hours (``start`` to ``end``, local clock) that ``now`` falls in,
    as an aware datetime; None when ``now`` is not in them. They may run over midnight."""
    if start is None or end is None or start == end:
        return None
    tz = ZoneInfo(zone)
    local = now.astimezone(tz)
    clock = local.time().replace(tzinfo=None)
    if start < end:
        quiet, end_day = start <= clock < end, local.date()
    elif clock >= start:  # over midnight, before it
        quiet, end_day = True, local.date() + timedelta(days=1)
    else:  # over midnight, after it
        quiet, end_day = clock < end, local.date()
    return datetime.combine(end_day, end, tzinfo=tz) if quiet else None


def next_digest(now: datetime, zone: str, hour: int) -> datetime:
    """The next time it is ``hour`` o'clock where the ally lives (today's, if still to come)."""
    tz = ZoneInfo(zone)
    local = now.astimezone(tz)
    today = datetime.combine(local.date(), time(hour), tzinfo=tz)
    return today if today > local else datetime.combine(
        local.date() + timedelta(days=1), time(hour), tzinfo=tz)


def first_moment(now: datetime, zone: str, start: time | None, end: time | None,
                 digest_hour: int | None) -> datetime:
    """When a call queued at ``now`` may first go: at once, or at the next digest hour when
    ``digest_hour`` is given; moved to the end of the quiet hours when it falls in them."""
    at = now if digest_hour is None else next_digest(now, zone, digest_hour)
    return end_of_quiet_hours(at, zone, start, end) or at
