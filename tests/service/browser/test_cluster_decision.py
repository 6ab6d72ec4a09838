"""A moderator clears a copy-paste campaign from the queue with one decision, confirmed with
its count, and undoes it."""

from __future__ import annotations

import random

import pytest

from service.clusters.campaigns import CAMPAIGNS, variant
from tropewatch.clusters.assign import assign
from tropewatch.review.models import ReviewEvent, ReviewState

from .conftest import foreign_requests, log_in

pytestmark = pytest.mark.browser

COPIES = 12


def test_a_moderator_clears_a_campaign_with_one_confirmed_decision(
    live_server, open_page, member, flagged_post, org
):
    moderator = member("moderator")
    rng = random.Random(7)
    copies = [flagged_post(variant(CAMPAIGNS[1], rng, n), 0.9, n) for n in range(COPIES)]
    alone = flagged_post("Lovely challah at the bakery on the high street", 0.6, 99)
    assign(org, [(post.pk, post.text) for post in [*copies, alone]])
    page, seen = open_page()

    log_in(page, live_server.url, moderator, with_code=True)
    assert page.get_by_role("heading", name="2 items").is_visible()
    page.get_by_role("link", name=f"{COPIES} near-identical posts").click()
    page.get_by_role("button", name=f"Apply to {COPIES} posts").click()
    assert page.get_by_role("heading", name=f"Confirm {COPIES} posts?").is_visible()
    page.get_by_role("button", name=f"Yes, confirm {COPIES} posts").click()

    assert page.get_by_text(f"Confirm: {COPIES} done.").is_visible()
    assert page.get_by_text("No post of this cluster is open in the queue.").is_visible()
    confirmed = ReviewEvent.objects.filter(action="confirm", actor_name="moderator")
    assert sorted(confirmed.values_list("post_id", flat=True)) == [p.pk for p in copies]
    assert not ReviewState.objects.filter(post=alone).exists()

    page.get_by_role("button", name="Undo it").click()
    assert page.get_by_text(f"Undone: {COPIES}.").is_visible()
    assert ReviewEvent.objects.filter(action="undo").count() == COPIES
    assert set(ReviewState.objects.values_list("status", flat=True)) == {"open"}

    assert seen.errors == [] and seen.dialogs == []
    assert [m for m in seen.console if m.startswith("error")] == []
    assert page.evaluate("window.__violations") == []
    assert foreign_requests(seen, live_server.url) == []
