"""Strikes weigh confirmed posts by severity and forget those outside the window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tropewatch.detector.taxonomy import load_taxonomy
from tropewatch.people.strikes import SEVERITY, Confirmed, is_repeat_offender, strikes, weight

NOW = datetime(2026, 12, 5, tzinfo=UTC)


def confirmed(days_ago: int, *categories: str) -> Confirmed:
    return Confirmed(days_ago, NOW - timedelta(days=days_ago), categories)


def test_every_category_of_the_taxonomy_has_a_weight():
    assert set(SEVERITY) == set(load_taxonomy().ids)


def test_a_post_counts_by_its_most_severe_category():
    assert weight(["smear_dismissal", "holocaust_denial"]) == 3
    assert weight([]) == 1


def test_posts_outside_the_window_do_not_count():
    posts = [confirmed(10, "incitement_violence"), confirmed(200, "dual_loyalty"),
             confirmed(400, "holocaust_denial")]

    assert strikes(posts, NOW) == 5
    assert strikes(posts, NOW, timedelta(days=30)) == 3


def test_one_post_however_severe_is_not_a_pattern():
    assert not is_repeat_offender([confirmed(1, "incitement_violence")], NOW)
    assert is_repeat_offender([confirmed(1, "smear_dismissal"), confirmed(2, "double_standards")],
                              NOW)
    assert not is_repeat_offender([confirmed(1, "smear_dismissal"),
                                   confirmed(500, "double_standards")], NOW)
