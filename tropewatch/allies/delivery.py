"""Queueing a call to action for allies, and sending what is due.

A lead's request only writes rows: one delivery per ally and channel, due at once, at the
ally's digest hour, or after their quiet hours. ``send_due`` (a Celery task, and each
worker's sweep) sends every ally what is due to them as one message per channel, so a
digest holds every call of the day. A failed send is tried again after 1, 2, 4... times
ALLIES_RETRY_SECONDS, until ALLIES_MAX_ATTEMPTS.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F
from django.utils import timezone

from . import messages
from .content import call_content, for_ally
from .links import unsubscribe_path
from .models import Ally, CallToAction, Delivery
from .schedule import end_of_quiet_hours, first_moment
from .webhooks import WebhookError, post_json

logger = logging.getLogger(__name__)

# How long a sender holds the deliveries it took: another worker's sweep leaves them alone.
LEASE = timedelta(minutes=5)


def channels(ally: Ally) -> list[str]:
    found = []
    if ally.email:
        found.append(Delivery.Channel.EMAIL)
    if ally.webhook_url:
        found.append(Delivery.Channel.WEBHOOK)
    return found


def queue_call(call: CallToAction, allies: Iterable[Ally], now: datetime) -> int:
    """A delivery per subscribed ally and channel; returns how many."""
    rows = []
    for ally in allies:
        if not ally.subscribed:
            continue
        digest_hour = (settings.ALLIES_DIGEST_HOUR
                       if ally.frequency == Ally.Frequency.DIGEST else None)
        due = first_moment(now, ally.time_zone, ally.quiet_from, ally.quiet_until,
                           digest_hour)
        rows += [Delivery(org=call.org, call=call, ally=ally, channel=channel, due_at=due)
                 for channel in channels(ally)]
    Delivery.objects.bulk_create(rows)
    return len(rows)


def send_due(now: datetime | None = None) -> int:
    """Send every pending delivery that is due; returns how many went."""
    now = now or timezone.now()
    due = (Delivery.objects.filter(status=Delivery.Status.PENDING, due_at__lte=now)
           .select_related("ally", "call", "call__post", "call__org")
           .order_by("call__created_at", "pk"))
    groups: dict[tuple[int, str], list[Delivery]] = defaultdict(list)
    for delivery in due:
        groups[(delivery.ally_id, delivery.channel)].append(delivery)
    sent = 0
    for group in groups.values():
        ally = group[0].ally
        quiet_end = end_of_quiet_hours(now, ally.time_zone, ally.quiet_from, ally.quiet_until)
        if quiet_end is not None:
            # The ally's quiet hours began since the call was queued: wait for their end.
            Delivery.objects.filter(pk__in=[d.pk for d in group]).update(due_at=quiet_end)
            continue
        taken = _take(group, now)
        if taken:
            sent += _send(ally, taken, now)
    return sent


def _take(group: list[Delivery], now: datetime) -> list[Delivery]:
    """The deliveries this sender won, each in one conditional UPDATE: two workers sweeping
    at once never send the same call twice."""
    taken = []
    for delivery in group:
        if Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.PENDING,
                                   due_at=delivery.due_at).update(due_at=now + LEASE):
            taken.append(delivery)
    return taken


def _send(ally: Ally, group: list[Delivery], now: datetime) -> int:
    org = group[0].call.org
    calls = [for_ally(call_content(d.call), ally.pk, d.call.site_url) for d in group]
    unsubscribe = group[-1].call.site_url.rstrip("/") + unsubscribe_path(ally.pk)
    body = messages.text(org.name, calls, unsubscribe)
    try:
        if group[0].channel == Delivery.Channel.EMAIL:
            message = EmailMessage(messages.subject(org.name, calls), body,
                                   to=[ally.email], headers={
                                       "List-Unsubscribe": f"<{unsubscribe}>",
                                       "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
            message.send()
        else:
            post_json(ally.webhook_url, messages.webhook_payload(ally.webhook_format, body))
    except (WebhookError, OSError) as error:
        _failed(group, now, str(error))
        return 0
    Delivery.objects.filter(pk__in=[d.pk for d in group]).update(
        status=Delivery.Status.SENT, sent_at=now, last_error="", attempts=F("attempts") + 1)
    return len(group)


def _failed(group: list[Delivery], now: datetime, error: str) -> None:
    for delivery in group:
        attempts = delivery.attempts + 1
        gave_up = attempts >= settings.ALLIES_MAX_ATTEMPTS
        retry_in = timedelta(seconds=settings.ALLIES_RETRY_SECONDS * 2 ** (attempts - 1))
        Delivery.objects.filter(pk=delivery.pk).update(
            attempts=attempts, last_error=error[:300], due_at=now + retry_in,
            status=Delivery.Status.FAILED if gave_up else Delivery.Status.PENDING)
    logger.warning("allies: sending to ally %s failed (%s)", group[0].ally_id, error)
