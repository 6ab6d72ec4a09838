"""Appending decisions: the log, the status projection, claims and bulk actions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tropewatch.review.claims import take_claim
from tropewatch.review.decisions import ClaimedByOther, Decision, record, record_many
from tropewatch.review.models import AppendOnlyError, Claim, ReviewEvent, ReviewState
from tropewatch.review.status import Action, InvalidTransition, Status, status_from_events


def _status(post) -> str:
    state = ReviewState.objects.filter(post=post).first()
    return state.status if state else Status.OPEN


def test_a_decision_is_logged_with_who_and_in_which_role(org, members, make_post):
    post = make_post()

    record(org, post.pk, members["moderator"], "moderator",
           Decision(Action.CONFIRM, categories=["rothschild_soros"], note="classic trope"))

    event = ReviewEvent.objects.get()
    assert (event.actor_name, event.actor_role, event.action) == ("moderator", "moderator",
                                                                  "confirm")
    assert event.categories == ["rothschild_soros"]
    assert _status(post) == Status.CONFIRMED


def test_the_stored_status_is_always_the_fold_of_the_log(org, members, make_post):
    post = make_post()
    steps = [("triage", Action.ESCALATE), ("lead", Action.NOTE), ("lead", Action.DISMISS),
             ("admin", Action.REOPEN), ("moderator", Action.CONFIRM)]

    for role, action in steps:
        record(org, post.pk, members[role], role, Decision(action, reason="news", note="n"))
        log = ReviewEvent.objects.filter(post=post)
        assert _status(post) == status_from_events(log)
    assert _status(post) == Status.CONFIRMED


def test_a_refused_decision_leaves_no_trace(org, members, make_post):
    post = make_post()
    record(org, post.pk, members["triage"], "triage", Decision(Action.ESCALATE))

    with pytest.raises(InvalidTransition):
        record(org, post.pk, members["moderator"], "moderator",
               Decision(Action.DISMISS, reason="news"))

    assert ReviewEvent.objects.count() == 1
    assert _status(post) == Status.ESCALATED


def test_events_can_be_neither_changed_nor_deleted(org, members, make_post):
    post = make_post()
    event = record(org, post.pk, members["lead"], "lead", Decision(Action.NOTE, note="x"))

    event.note = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        ReviewEvent.objects.filter(pk=event.pk).update(note="rewritten")
    with pytest.raises(AppendOnlyError):
        ReviewEvent.objects.all().delete()
    assert ReviewEvent.objects.get().note == "x"


def test_someone_elses_claim_blocks_decisions_but_not_notes(org, members, make_post):
    post = make_post()
    assert take_claim(org, post.pk, members["lead"])

    with pytest.raises(ClaimedByOther, match="lead is reviewing"):
        record(org, post.pk, members["moderator"], "moderator",
               Decision(Action.CONFIRM, categories=["x"]))
    record(org, post.pk, members["moderator"], "moderator", Decision(Action.NOTE, note="hm"))

    assert _status(post) == Status.OPEN


def test_a_decision_releases_the_deciders_claim(org, members, make_post):
    post = make_post()
    take_claim(org, post.pk, members["moderator"])

    record(org, post.pk, members["moderator"], "moderator",
           Decision(Action.DISMISS, reason="calls_out"))

    assert not Claim.objects.filter(post=post).exists()


def test_an_expired_claim_blocks_nobody(org, members, make_post):
    post = make_post()
    Claim.objects.create(org=org, post=post, user=members["lead"],
                         expires_at=timezone.now() - timedelta(seconds=1))

    record(org, post.pk, members["moderator"], "moderator",
           Decision(Action.DISMISS, reason="news"))

    assert _status(post) == Status.DISMISSED


def test_bulk_decisions_apply_where_allowed_and_count_the_rest(org, members, make_post):
    open_post, escalated, decided = make_post(), make_post(), make_post()
    record(org, escalated.pk, members["triage"], "triage", Decision(Action.ESCALATE))
    record(org, decided.pk, members["lead"], "lead", Decision(Action.DISMISS, reason="news"))
    dismiss = Decision(Action.DISMISS, reason="not_antisemitic")

    result = record_many(
        org, [(p.pk, dismiss) for p in (open_post, escalated, decided)],
        members["moderator"], "moderator",
    )

    assert (result.done, result.refused) == (1, 2)
    assert [_status(p) for p in (open_post, escalated, decided)] == [
        Status.DISMISSED, Status.ESCALATED, Status.DISMISSED]


def test_a_post_of_another_organisation_cannot_be_decided(org, other_org, members, make_post):
    post = make_post()

    result = record_many(other_org, [(post.pk, Decision(Action.ESCALATE))], members["admin"],
                         "admin")

    assert result.refused == 1
    assert not ReviewEvent.objects.exists()


def test_an_undo_appends_an_event_and_restores_the_status_before(org, members, make_post):
    post = make_post()
    confirmed = record(org, post.pk, members["moderator"], "moderator",
                       Decision(Action.CONFIRM, categories=["rothschild_soros"]))

    record(org, post.pk, members["moderator"], "moderator",
           Decision(Action.UNDO, undoes=confirmed.pk))

    assert list(ReviewEvent.objects.filter(post=post).values_list("action", flat=True)) == [
        "confirm", "undo"
    ]
    assert _status(post) == Status.OPEN == status_from_events(ReviewEvent.objects.filter(post=post))


def test_only_the_moderator_who_decided_undoes_and_only_while_it_is_the_latest(
    org, members, make_post
):
    post = make_post()
    dismissed = record(org, post.pk, members["moderator"], "moderator",
                       Decision(Action.DISMISS, reason="news"))

    with pytest.raises(InvalidTransition, match="only whoever took"):
        record(org, post.pk, members["lead"], "lead", Decision(Action.UNDO, undoes=dismissed.pk))
    record(org, post.pk, members["admin"], "admin", Decision(Action.REOPEN))
    with pytest.raises(InvalidTransition, match="decided again"):
        record(org, post.pk, members["moderator"], "moderator",
               Decision(Action.UNDO, undoes=dismissed.pk))
    assert ReviewEvent.objects.filter(post=post, action=Action.UNDO).count() == 0
    assert _status(post) == Status.OPEN
