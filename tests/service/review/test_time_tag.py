"""The console's ``time_tag`` filter says what Django's ``date`` filter says."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import engines
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

DATE_FILTERS = engines["django"].from_string(
    "<time datetime=\"{{ value|date:'c' }}\">{{ value|date:\"j M Y H:i\" }}</time>")
TIME_TAG = engines["django"].from_string("{% load times %}{{ value|time_tag }}")


def both(value) -> tuple[str, str]:
    return TIME_TAG.render({"value": value}), DATE_FILTERS.render({"value": value})


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31),
                    timezones=st.just(UTC)))
def test_it_reads_as_the_date_filters_in_utc(value):
    ours, django_s = both(value)
    assert ours == django_s


@pytest.mark.parametrize("zone", ["Europe/London", "Asia/Kolkata", "America/St_Johns"])
def test_it_shows_the_current_time_zone_as_the_date_filters_do(zone):
    summer = datetime(2026, 7, 1, 23, 30, 5, 120, tzinfo=UTC)
    with timezone.override(ZoneInfo(zone)):
        ours, django_s = both(summer)
    assert ours == django_s
    assert ours != both(summer)[0]  # shown in that zone, not in UTC


def test_a_missing_time_shows_nothing():
    assert TIME_TAG.render({"value": None}) == ""
    assert TIME_TAG.render({}) == ""


def test_the_time_is_escaped_html_and_the_label_is_for_people():
    assert TIME_TAG.render({"value": datetime(2026, 12, 7, 9, 5, tzinfo=UTC)}) == (
        '<time datetime="2026-12-07T09:05:00+00:00">7 Dec 2026 09:05</time>')
