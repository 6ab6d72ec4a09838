"""What a call to action says: the post's link, why its trope is antisemitic (the education
library's explainers), the replies moderators approved, and how to report it to the platform
(the reports app's rules for that platform). Built from the database once per message.

The post's text and the author's details are left out on purpose: allies follow the link,
and a message forwarded or leaked does not repeat the slur (the link itself may still name
the poster's account, as platforms' addresses do).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from django.conf import settings

from tropewatch.detector.taxonomy import load_taxonomy
from tropewatch.education.models import CallOut
from tropewatch.education.suggestions import reply_categories
from tropewatch.posts.models import Post
from tropewatch.reports.platform_rules import PLATFORMS, load_platform_rules

from .links import answer_path
from .models import AllyResponse, CallToAction


@dataclass(frozen=True, slots=True)
class Explainer:
    name: str
    text: str
    href: str  # the page in the group's published library; "" where none is published


@dataclass(frozen=True, slots=True)
class Report:
    service: str
    how: str
    url: str


@dataclass(frozen=True, slots=True)
class CallContent:
    call_id: int
    post_url: str
    explainers: tuple[Explainer, ...]
    replies: tuple[str, ...]
    report: Report | None  # None for a site tropewatch has no rules for
    answer_urls: dict[str, str]  # answer -> the ally's signed link; filled per ally


def is_public(post: Post) -> bool:
    """A post allies can open: it has a web address and was not read from a group, whose
    posts only its members see."""
    return post.url.startswith("https://") and post.source.kind != "group"


def _explainers(post: Post) -> tuple[Explainer, ...]:
    taxonomy = load_taxonomy()
    library = settings.ALLIES_EDUCATION_URL.rstrip("/")
    shown = []
    for category_id in dict.fromkeys(reply_categories(post)):
        try:
            category = taxonomy.category(category_id)
        except KeyError:
            continue  # a category a later taxonomy dropped: nothing to explain
        # The static export writes one <id>.html per category (education/export.py).
        href = f"{library}/{category.id}.html" if library else ""
        shown.append(Explainer(category.name, " ".join(category.explainer.split()), href))
    return tuple(shown)


def _report(post: Post) -> Report | None:
    if post.platform not in PLATFORMS:
        return None
    rules = load_platform_rules(post.platform)
    # Mastodon: the poster's own server takes reports about its posts.
    url = rules.form_url.format(instance=urlsplit(post.url).hostname or "")
    return Report(rules.service, rules.how_to_report, url)


def call_content(call: CallToAction) -> CallContent:
    """The call as every ally gets it, without their own answer links."""
    post = call.post
    replies = CallOut.objects.filter(org=call.org, post=post, action=CallOut.Action.APPROVED)
    return CallContent(call.pk, post.url, _explainers(post),
                       tuple(replies.values_list("text", flat=True)), _report(post), {})


def for_ally(content: CallContent, ally_id: int, site_url: str) -> CallContent:
    """The call with the ally's own signed answer links."""
    base = site_url.rstrip("/")
    urls = {answer: base + answer_path(ally_id, content.call_id, answer)
            for answer in AllyResponse.Answer.values}
    return replace(content, answer_urls=urls)
