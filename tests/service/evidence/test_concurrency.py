"""Decisions committed at the same moment take places in the chain one after another: the
chain never forks (two links with one predecessor) and never skips a place."""

from __future__ import annotations

import pytest

from service.concurrency import as_concurrent_moderators
from tropewatch.evidence.models import ChainLink
from tropewatch.evidence.verify import Intact, verify_chain
from tropewatch.review.decisions import Decision, record
from tropewatch.review.status import Action


@pytest.mark.django_db(transaction=True)
def test_concurrent_confirmations_make_one_unbroken_chain(org, make_post):
    from django.contrib.auth import get_user_model

    from tropewatch.accounts.models import Membership

    moderators = []
    for number in range(6):
        user = get_user_model().objects.create_user(f"mod{number}", password="pw")
        Membership.objects.create(user=user, org=org, role="moderator")
        moderators.append(user)
    posts = {user.pk: [make_post().pk for _ in range(5)] for user in moderators}

    def work(user) -> None:
        for post_id in posts[user.pk]:
            record(org, post_id, user, "moderator", Decision(Action.CONFIRM))

    as_concurrent_moderators(work, moderators)

    links = list(ChainLink.objects.filter(org=org).order_by("seq"))
    assert [link.seq for link in links] == list(range(1, 61))  # 30 events, 30 evidence
    assert len({link.prev_hash for link in links}) == 60
    assert verify_chain(org) == Intact(60, links[-1].link_hash)
