"""Without a broker, a call goes out from a thread after the lead's request has committed and
returned, not inside the request."""

from __future__ import annotations

import threading

import pytest
from django.core import mail

from tropewatch.allies.models import Delivery

from .helpers import make_ally


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_a_thread_sends_the_call_after_the_commit(client_as, public_post,
                                                                   org, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    ally = make_ally(org)

    response = client_as("lead").post(f"/o/{org.slug}/posts/{public_post.pk}/call/",
                                      {"allies": [ally.pk]})

    assert response.status_code == 302
    for thread in threading.enumerate():
        if thread.name == "allies-send":
            thread.join(timeout=30)
    assert Delivery.objects.get().status == "sent"
    assert [message.to for message in mail.outbox] == [["ruth@example.org"]]
