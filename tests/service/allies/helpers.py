from __future__ import annotations

from tropewatch.allies.models import Ally, CallToAction


def make_ally(org, name="Ruth", **fields) -> Ally:
    fields.setdefault("email", "" if "webhook_url" in fields else f"{name.lower()}@example.org")
    fields.setdefault("time_zone", "Europe/London")
    return Ally.objects.create(org=org, name=name, **fields)


def make_call(post, user) -> CallToAction:
    return CallToAction.objects.create(org=post.org, post=post, sent_by=user,
                                       sent_by_name=user.get_username(),
                                       site_url="http://testserver/")
