"""``{% queue_row item %}``: one row of the review queue, built in Python.

Django's template engine resolves each of a row's 25 or so variables, 8 filters and its URL
through generic machinery: a queue page's 50 rows took 18 to 20 ms of a page of about 55 (in
process, medians, a 2-core Xeon). Built here from the same filters, with ``format_html``'s
escaping, they take 13 to 15: what is left is the filters and ``reverse`` themselves. The
markup stays in one piece below, laid out as the template was (its output is byte for byte
the template's; ``tests/service/review/test_queue_row.py`` keeps the template to check)"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import floatformat, pluralize, urlencode
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .excerpts import excerpt
from .times import time_tag

register = template.Library()

EXCERPT_CHARS = 240

ROW = """
        <tr>
          <td>{checkbox}</td>
          <td class="excerpt"><a href="{url}?queue={query}" data-row-link dir="auto">{text}</a>{copies}</td>
          <td>{categories}</td>
          <td>{score}{reporters}</td>
          <td>{likes} likes, {shares} shares</td>
          <td><span class="platform">{platform}</span>, <bdi>{source}</bdi><br>{created}</td>
          <td><span class="status status-{status}">{status}</span></td>
        </tr>
        """  # noqa: E501


@register.simple_tag(takes_context=True)
def queue_row(context: template.Context, item: Any) -> SafeString:
    """``item`` is a detection from ``review.queue.with_details`` with ``copies`` counted
    (``clusters.queue.count_copies``); the context is the queue page's."""
    post, org, query = item.post, context["org"], context["query"]
    checkbox = ""
    if context["access"].can_decide and item.copies == 1:
        checkbox = format_html('<input type="checkbox" name="posts" value="{}" '
                               'data-select-item aria-label="Select {}">', item.post_id,
                               post.label)
    copies = ""
    if item.copies > 1:
        copies = render_to_string("clusters/queue_copies.html",
                                  {"org": org, "item": item, "query": query})
    reporters = ""
    if item.reporters:
        reporters = format_html('<br><span class="tag flagged-by-person">flagged by {} {}'
                                '</span>', item.reporters,
                                pluralize(item.reporters, "person,people"))
    return format_html(
        ROW,
        checkbox=checkbox,
        url=reverse("review:item", args=(org.slug, item.post_id)),
        query=urlencode(query),
        text=excerpt(post.text, EXCERPT_CHARS),
        copies=copies,
        categories=format_html_join("", '<span class="tag">{}</span> ',
                                    ((_field(c, "name"),) for c in item.categories or ())),
        score=floatformat(item.score, 2),
        reporters=reporters,
        likes=_field(post.reach, "likes") or 0,
        shares=_field(post.reach, "shares") or 0,
        platform=post.get_platform_display(),
        source=post.source.name,
        created=time_tag(post.created_at),
        status=item.status,
    )


def _field(record: object, key: str) -> object:
    """``record[key]`` of a stored JSON object, "" when it is not one or lacks the key, as
    the template's ``{{ record.key }}`` gave."""
    return record.get(key, "") if isinstance(record, dict) else ""
