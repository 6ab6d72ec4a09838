"""``{% queue_row item %}`` writes what the queue's row template wrote, for any post."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.template import engines
from hypothesis import given, settings
from hypothesis import strategies as st

# The row as queue_rows.html wrote it before the tag, kept here as the reference.
TEMPLATE_ROW = engines["django"].from_string("""{% load times excerpts %}
        <tr>
          <td>{% if access.can_decide and item.copies == 1 %}<input type="checkbox" name="posts" value="{{ item.post_id }}" data-select-item aria-label="Select {{ item.post.label }}">{% endif %}</td>
          <td class="excerpt"><a href="{% url 'review:item' org.slug item.post_id %}?queue={{ query|urlencode }}" data-row-link dir="auto">{{ item.post.text|excerpt:240 }}</a>{% if item.copies > 1 %}{% include "clusters/queue_copies.html" %}{% endif %}</td>
          <td>{% for category in item.categories %}<span class="tag">{{ category.name }}</span> {% endfor %}</td>
          <td>{{ item.score|floatformat:2 }}{% if item.reporters %}<br><span class="tag flagged-by-person">flagged by {{ item.reporters }} {{ item.reporters|pluralize:"person,people" }}</span>{% endif %}</td>
          <td>{{ item.post.reach.likes|default:0 }} likes, {{ item.post.reach.shares|default:0 }} shares</td>
          <td><span class="platform">{{ item.post.get_platform_display }}</span>, <bdi>{{ item.post.source.name }}</bdi><br>{{ item.post.created_at|time_tag }}</td>
          <td><span class="status status-{{ item.status }}">{{ item.status }}</span></td>
        </tr>
        """)  # noqa: E501
TAG_ROW = engines["django"].from_string("{% load queue_row %}{% queue_row item %}")

HOSTILE = ['<script>alert("x")</script>', "Tom & Jerry's \"quote\"", "{{ item }}{% now %}",
           "e\u0301\u0301" * 130, "\u202eevil", ""]


WHEN = datetime(2026, 12, 7, 17, 46, tzinfo=UTC)


def item(text="A post", *, copies=1, reporters=0, categories=None, reach=None, score=0.875,
         status="open", source="Group <b>one</b>", created=WHEN):
    post = SimpleNamespace(text=text, reach={} if reach is None else reach, label="Post 7",
                           get_platform_display=lambda: "X (Twitter)",
                           source=SimpleNamespace(name=source), created_at=created)
    return SimpleNamespace(
        post=post, post_id=7, cluster_id=3, copies=copies, reporters=reporters, score=score,
        status=status,
        categories=[{"id": "c", "name": "Power & control"}] if categories is None else categories)


def both(row, can_decide=True, query="status=open&q=<jews>"):
    context = {"item": row, "org": SimpleNamespace(slug="campaign"), "query": query,
               "access": SimpleNamespace(can_decide=can_decide)}
    return TAG_ROW.render(context), TEMPLATE_ROW.render(context)


@pytest.mark.parametrize("row", [
    item(),
    item(copies=12, reporters=1),
    item(reporters=3, score=0.865),
    item(score=0.125, status="escalated"),
    item(reach={"likes": 12, "shares": 0}),
    item(reach={"likes": "<b>9</b>", "shares": None}),
    item(reach=[1, 2]),
    item(reach="likes"),
    item(categories=[{"id": "a"}, {"id": "b", "name": None}, {"name": "<i>x</i>"}]),
    item(categories=[]),
    item(created=None),
    item(source=""),
], ids=lambda row: repr(vars(row))[:40])
@pytest.mark.parametrize("can_decide", [True, False])
def test_the_row_is_the_templates(row, can_decide):
    ours, template = both(row, can_decide)
    assert ours == template


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=300)),
       st.lists(st.text(max_size=20), max_size=3), st.text(max_size=30),
       st.floats(min_value=0, max_value=1))
def test_any_text_names_and_score_read_as_the_template_wrote_them(text, names, query, score):
    row = item(text, categories=[{"name": name} for name in names], source=text[:50],
               score=score)
    ours, template = both(row, query=query)
    assert ours == template
