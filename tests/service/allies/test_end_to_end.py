"""Issue 19's done-when, through the views: a moderator confirms a post, edits and approves a
suggested reply and marks it posted; a lead sends a call to action; the worker delivers it
(an email in the outbox, a webhook on a local server); an ally answers with the link in the
email; the counts show it."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core import mail
from django.test import Client

from tropewatch.allies.models import Ally, Delivery
from tropewatch.allies.tasks import send_due_task
from tropewatch.education.models import CallOut

POST_URL = "https://x.com/poster/status/77"
SPAN = {"start": 13, "end": 21, "term": "holohoax", "category": "holocaust_denial",
        "entry": "holohoax"}


def test_confirm_reply_call_deliver_answer_count(client_as, make_post, org, webhook_server,
                                                 django_capture_on_commit_callbacks):
    post = make_post("Wake up: the holohoax is the biggest lie ever told.", url=POST_URL,
                     categories=["holocaust_denial"], spans=[SPAN])
    moderator, lead = client_as("moderator"), client_as("lead")
    base = f"/o/{org.slug}/posts/{post.pk}"

    moderator.post(f"{base}/decide/", {"action": "confirm", "categories": ["holocaust_denial"]})
    [draft, *_] = moderator.get(f"{base}/replies/").context["drafts"]
    moderator.post(f"{base}/replies/approve/", {"tone": draft.tone,
                                                 "text": draft.text + " Please stop."})
    approval = CallOut.objects.get(action="approved")
    moderator.post(f"{base}/replies/{approval.pk}/posted/", {"url": "https://x.com/us/1"})

    lead.post(f"/o/{org.slug}/allies/", {
        "name": "Ruth", "email": "ruth@example.org", "webhook_url": webhook_server.url,
        "webhook_format": "slack", "frequency": "immediate", "time_zone": "Europe/London"})
    ally = Ally.objects.get()
    with django_capture_on_commit_callbacks():
        assert lead.post(f"{base}/call/", {"allies": [ally.pk]}).status_code == 302

    send_due_task.apply()  # what the worker does with the queued task

    [email] = mail.outbox
    [(_, hook)] = webhook_server.received
    for text in (email.body, hook["text"]):
        assert POST_URL in text and draft.text in text and "Report it too" in text
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}

    replied = re.search(r"I replied: (\S+)", email.body).group(1)
    assert Client().post(urlsplit(replied).path).status_code == 200

    dashboard = lead.get(f"/o/{org.slug}/dashboard/").context
    assert list(dashboard["call_outs"].values()) == [1]
    assert [answers for answers in dashboard["ally_answers"].values()] == [{"replied": 1}]
    calls = lead.get(f"{base}/call/").context["calls"]
    assert [(c.sent, c.replied, c.reported) for c in calls] == [(2, 1, 0)]
