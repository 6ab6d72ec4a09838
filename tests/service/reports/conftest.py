from __future__ import annotations

import pytest
from ingest.follow.fake_servers import LocalHTTPServer

from tropewatch.review.decisions import Decision, record
from tropewatch.review.status import Action


@pytest.fixture
def confirm(org, members):
    """Confirm a post as a moderator, with the categories given."""

    def confirm_post(post, categories=("power_control",)):
        record(org, post.pk, members["moderator"], "moderator",
               Decision(Action.CONFIRM, categories=list(categories)))
        return post

    return confirm_post


@pytest.fixture
def replay_server():
    running = LocalHTTPServer()
    running.start()
    yield running
    running.stop()
