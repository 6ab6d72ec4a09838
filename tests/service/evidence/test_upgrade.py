"""A database that held review events before evidence existed: migrating chains them, in
the order they were written, and ``verify`` passes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from tropewatch.evidence.models import ChainLink
from tropewatch.evidence.verify import Intact, verify_chain
from tropewatch.review.decisions import Decision, record
from tropewatch.review.models import ReviewEvent
from tropewatch.review.status import Action


@pytest.mark.django_db(transaction=True)
def test_migrating_chains_the_events_already_stored(org, other_org, members, make_post, cli,
                                                     restores_schema):
    call_command("migrate", "evidence", "zero", verbosity=0)
    post = make_post()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    # Written out of id order on purpose: the chain follows the time they were written.
    for minutes, action in [(5, "confirm"), (1, "escalate"), (3, "note")]:
        ReviewEvent.objects.create(org=org, post=post, actor=members["lead"],
                                   actor_name="lead", actor_role="lead", action=action,
                                   note=f"at {minutes}",
                                   created_at=start + timedelta(minutes=minutes))

    call_command("migrate", "evidence", verbosity=0)

    chained = [ReviewEvent.objects.get(pk=link.object_id).note
               for link in ChainLink.objects.filter(org=org).order_by("seq")]
    assert chained == ["at 1", "at 3", "at 5"]
    assert isinstance(verify_chain(org), Intact)
    assert verify_chain(other_org) == Intact(0, "0" * 64)

    record(org, post.pk, members["lead"], "lead", Decision(Action.NOTE, note="after"))
    result = cli("verify")
    assert result.exit_code == 0, result.output
    assert "campaign: intact, 4 links" in result.stderr
