"""The dashboard's before-and-after section: one plain-words estimate per group, read from
the daily roll-ups, with the caveats the series carries. (The statistics themselves are
tested over many seeds in tests/trends/.)

The roll-ups are written directly, drawn from known rates: the roll-ups' own counting is
tested against raw rows in test_dashboard.py."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from tropewatch.impact.models import DailyRollup
from tropewatch.posts.models import Source

CHANGE = date(2026, 6, 1)
WEEKS = 8


def _seed(org, source, days, rate_before, rate_after, *, posts=400, seed=7, version_on=None):
    rng = np.random.default_rng(seed)
    rows = []
    for n in range(-days, days):
        day = CHANGE + timedelta(days=n)
        rate = rate_before if day < CHANGE else rate_after
        version = "2026.1.1" if version_on is None or day < version_on else "2026.2.1"
        rows.append(DailyRollup(org=org, day=day, source=source, platform="facebook",
                                posts=posts, confirmed=int(rng.poisson(posts * rate)),
                                model_versions={version: posts}))
    DailyRollup.objects.bulk_create(rows)


@pytest.fixture
def groups(org, source):
    falling = Source.objects.create(org=org, platform="facebook", name="Falling group")
    short = Source.objects.create(org=org, platform="facebook", name="New group")
    _seed(org, falling, 7 * WEEKS, 4.0 / 1000, 1.5 / 1000)
    _seed(org, short, 5, 4.0 / 1000, 4.0 / 1000)
    _seed(org, source, 7 * WEEKS, 3.0 / 1000, 3.0 / 1000, seed=11,
          version_on=CHANGE + timedelta(days=10))
    return falling, short, source


def _section(client, org, **query):
    page = client.get(f"/o/{org.slug}/dashboard/", query).content.decode()
    return page.split('id="before-after"')[1].split("</section>")[0] if \
        'id="before-after"' in page else ""


def _part(section: str, name: str) -> str:
    return section.split(f'<h3 dir="auto">{name}</h3>')[1].split("<h3")[0]


def test_each_group_gets_its_estimate_in_plain_words_with_its_caveats(client_as, org,
                                                                       groups):
    falling, short, steady = groups
    section = _section(client_as("lead"), org, change=CHANGE.isoformat())

    assert section.index(falling.name) < section.index(short.name)  # by name
    falling_part = _part(section, falling.name)
    assert "confirmed antisemitic posts fell from" in falling_part
    assert "per 1,000 posts after 1 June 2026; 95% interval" in falling_part
    assert "unlikely to be chance." in falling_part
    short_part = _part(section, short.name)
    assert "too little data to say" in short_part
    steady_part = _part(section, steady.name)
    assert "could well be chance" in steady_part
    assert "The detector changed on 11 June 2026" in steady_part


def test_the_period_and_source_filters_narrow_what_is_compared(client_as, org, groups):
    falling, short, steady = groups
    client = client_as("lead")

    only_one = _section(client, org, change=CHANGE.isoformat(), source=falling.pk)
    too_short = _section(client, org, change=CHANGE.isoformat(), source=falling.pk,
                         since=(CHANGE - timedelta(days=3)).isoformat())

    assert falling.name in only_one and short.name not in only_one
    assert "too little data to say" in too_short


def test_without_a_date_there_is_no_comparison(client_as, org, groups):
    assert _section(client_as("lead"), org) == ""
