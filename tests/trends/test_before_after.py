"""The before/after estimate, checked against synthetic series whose truth is known.

Each series is drawn as real counts are: posts per day with a weekend rhythm, events
overdispersed around posts × rate (gamma-Poisson), and in places a pile-on that lasts days.
Seeds are fixed, so each rate asserted below is the same on every run; the bounds leave room
for the sampling error of 200 seeds (a 95% interval covering in 0.85 or more of them)."""

import datetime
import subprocess
import sys

import numpy as np
import pytest

from tropewatch.trends.before_after import Day, Estimate, TooLittleData, _rate, estimate

CHANGE = datetime.date(2026, 3, 2)
SEEDS = range(200)


def series(seed, *, before=4.0, after=4.0, weeks=8, posts=800, dispersion=0.1,
           trend=0.0, pile_on=0.0, volume_after=1.0):
    """Days around CHANGE, ``weeks`` a side, with the rate per 1,000 posts stepping from
    ``before`` to ``after`` and sloping by ``trend`` (log per day) throughout. Returns the days
    and the true mean rate over the days after, as the estimate defines it."""
    rng = np.random.default_rng(seed)
    t = np.arange(-7 * weeks, 7 * weeks)
    dates = [CHANGE + datetime.timedelta(days=int(day)) for day in t]
    weekend = np.array([date.weekday() >= 5 for date in dates])
    volume = np.where(t >= 0, volume_after, 1.0) * posts * np.where(weekend, 1.3, 1.0)
    n_posts = rng.poisson(volume)
    rate = np.where(t >= 0, after, before) * np.exp(trend * t) / 1000
    # A pile-on: log-rate noise carried from day to day (AR(1)), mean one on the rate scale.
    noise, carried = np.empty(len(t)), 0.0
    for i in range(len(t)):
        carried = 0.6 * carried + rng.normal(0, pile_on)
        noise[i] = carried
    noise -= pile_on**2 / (1 - 0.36) / 2
    mean = n_posts * rate * np.exp(noise)
    events = rng.poisson(rng.gamma(1 / dispersion, mean * dispersion))
    days = [Day(date, int(p), int(min(p, e)))
            for date, p, e in zip(dates, n_posts, events, strict=True)]
    return days, float(np.mean(rate[t >= 0]) * 1000)


def estimates(seeds=SEEDS, **planted):
    for seed in seeds:
        days, truth = series(seed, **planted)
        result = estimate(days, CHANGE)
        assert isinstance(result, Estimate), result
        yield result, truth


def test_a_planted_fall_is_recovered_within_the_interval():
    results = list(estimates(before=4.0, after=2.3))

    covered = np.mean([r.after_interval[0] <= truth <= r.after_interval[1]
                       for r, truth in results])
    ratio_covered = np.mean([r.ratio_interval[0] <= 2.3 / 4.0 <= r.ratio_interval[1]
                             for r, _ in results])
    assert covered >= 0.85, covered
    assert ratio_covered >= 0.85, ratio_covered
    assert np.median([r.rate_before for r, _ in results]) == pytest.approx(4.0, rel=0.1)
    assert np.median([r.rate_after for r, _ in results]) == pytest.approx(2.3, rel=0.1)


def test_a_planted_change_on_a_trend_is_measured_against_the_trend():
    # The rate was falling 1% a day anyway and rises by half at the change: against the rate
    # before (about 4), the after-rate is lower, but against the trend it is a rise.
    results = list(estimates(before=4.0, after=6.0, trend=-0.01, weeks=12))

    covered = np.mean([r.after_interval[0] <= truth <= r.after_interval[1]
                       for r, truth in results])
    ratio_covered = np.mean([r.ratio_interval[0] <= 1.5 <= r.ratio_interval[1]
                             for r, _ in results])
    assert covered >= 0.85, covered
    assert ratio_covered >= 0.85, ratio_covered
    assert np.median([r.ratio for r, _ in results]) == pytest.approx(1.5, rel=0.1)
    assert np.mean([r.trend_before_clear for r, _ in results]) >= 0.85


def test_a_large_fall_over_twelve_weeks_is_called_clear_in_most_series():
    called = np.mean([r.clear and r.ratio < 1
                      for r, _ in estimates(range(100), before=4.0, after=1.5, weeks=12)])
    assert called >= 0.85, called


@pytest.mark.parametrize("planted", [
    {},  # overdispersed days
    {"pile_on": 0.2},  # and dependent from day to day
    {"trend": -0.01},  # falling all along: the trend carried on is no change
])
def test_no_planted_change_is_rarely_called_a_change(planted):
    results = list(estimates(**planted))

    false_alarms = np.mean([r.clear for r, _ in results])
    assert false_alarms <= 0.10, false_alarms
    assert np.mean([r.p_value < 0.05 for r, _ in results]) == false_alarms


def test_too_few_days_with_posts_on_a_side_gives_no_number():
    days, _ = series(0)
    # Three weeks after the change; earlier days have posts, later ones are silent.
    silent = [Day(d.date, 0, 0) if d.date >= CHANGE + datetime.timedelta(days=21) else d
              for d in days]

    result = estimate(silent, CHANGE)

    assert isinstance(result, TooLittleData)
    assert result.reason == "21 days with posts after 2 March 2026, and at least 28 are needed"
    assert result.sentence("Group X") == (
        "In Group X, there is too little data to say whether confirmed antisemitic posts "
        "changed after 2 March 2026: 21 days with posts after 2 March 2026, and at least 28 "
        "are needed.")
    assert result.caveats() == ()


def test_too_few_events_before_gives_no_number():
    days, _ = series(0, before=0.1, after=4.0)  # about 0.08 a day: 4 or 5 in eight weeks

    result = estimate(days, CHANGE)

    assert isinstance(result, TooLittleData)
    counted = sum(d.events for d in days if d.date < CHANGE)
    assert result.reason == f"{counted} counted before 2 March 2026, and at least 10 are needed"


def test_a_detector_change_inside_the_window_is_named():
    days, _ = series(1, after=2.3)
    inside, outside = CHANGE + datetime.timedelta(days=10), datetime.date(2025, 6, 1)

    result = estimate(days, CHANGE, breaks=[outside, inside, inside])

    assert result.breaks == (inside,)
    assert ("The detector changed on 12 March 2026, inside the period compared: posts before "
            "and after it were judged differently, so part of the change may be the "
            "detector's.") in result.caveats()
    assert estimate(days, CHANGE, breaks=[outside]).caveats() == ()


def test_falling_volume_is_named_and_a_small_dip_is_not():
    days, _ = series(2, volume_after=0.5)
    dipped, _ = series(2, volume_after=0.85)

    fallen = estimate(days, CHANGE)

    assert fallen.volume_change == pytest.approx(-0.5, abs=0.03)
    assert (f"Posts overall fell by {-fallen.volume_change:.0%} after 2 March 2026; the people "
            "still posting may not be those who posted before.") in fallen.caveats()
    assert estimate(dipped, CHANGE).caveats() == ()


def test_days_falling_silent_count_as_falling_volume():
    days, _ = series(2, weeks=12)
    # After the change, only Mondays to Thursdays have posts: as busy as before, but 3 days
    # in 7 are silent (given as 0 posts on some, left out on others).
    silent = [Day(d.date, 0, 0) if d.date >= CHANGE and d.date.weekday() >= 4 else d
              for d in days]
    silent = [d for d in silent if d.posts or d.date.weekday() != 6]

    result = estimate(silent, CHANGE)

    assert result.volume_change == pytest.approx(-0.47, abs=0.03)  # weekends were busier
    assert result.caveats()[0].startswith("Posts overall fell by ")


def test_a_trend_before_the_change_is_named():
    days, _ = series(3, trend=-0.01, weeks=12)

    caveats = estimate(days, CHANGE).caveats()

    assert len(caveats) == 1
    assert caveats[0].startswith("The rate was already falling before 2 March 2026 (about ")
    assert "a month); the 'before' figure carries that trend on" in caveats[0]


@pytest.mark.filterwarnings("ignore:Perfect separation")  # statsmodels, on a perfect fit
def test_the_sentence_of_an_exact_series():
    # Every day 1,000 posts; 4 counted each day before and 2 after: no noise at all.
    days = [Day(CHANGE + datetime.timedelta(days=i), 1000, 4 if i < 0 else 2)
            for i in range(-35, 35)]

    result = estimate(days, CHANGE)

    assert result.sentence("Group X") == (
        "In Group X, confirmed antisemitic posts fell from 4.0 to 2.0 per 1,000 posts after "
        "2 March 2026; 95% interval 2.0 to 2.0. That is a fall of 50% (95% interval: a fall "
        "of 50% to 50%), unlikely to be chance.")
    assert result.p_value < 1e-10
    assert result.caveats() == ()


def test_the_sentence_of_no_clear_change_says_it_could_be_chance():
    days, _ = series(1)  # no change planted, and seed 1 shows none clearly
    result = estimate(days, CHANGE, per=100, level=0.9)

    text = result.sentence("Group Y", what="flagged posts")

    assert text == (
        "In Group Y, flagged posts fell from 0.52 to 0.49 per 100 posts after 2 March 2026; "
        "90% interval 0.45 to 0.53. That is a fall of 5%, but it could well be chance (90% "
        f"interval: a fall of {1 - result.ratio_interval[0]:.0%} to a rise of "
        f"{result.ratio_interval[1] - 1:.0%}).")
    per_thousand = estimate(days, CHANGE)
    assert result.rate_after * 10 == pytest.approx(per_thousand.rate_after)
    assert result.after_interval[1] < per_thousand.after_interval[1] / 10  # 90% is narrower


def test_a_clear_rise_is_worded_as_a_rise():
    days, _ = series(5, before=2.0, after=5.0)

    text = estimate(days, CHANGE).sentence("Group Z")

    assert text.startswith("In Group Z, confirmed antisemitic posts rose from ")
    assert "That is a rise of " in text and "(95% interval: a rise of " in text
    assert text.endswith("), unlikely to be chance.")


@pytest.mark.parametrize("value, text", [
    (1234.5, "1,234"), (12.4, "12"), (4.06, "4.1"), (0.374, "0.37"), (0.0412, "0.041"),
    (0.0, "0"),
])
def test_rates_are_written_with_two_significant_figures(value, text):
    assert _rate(value) == text


def test_days_that_repeat_or_count_more_events_than_posts_are_refused():
    days, _ = series(0)
    with pytest.raises(ValueError, match="each date may appear once"):
        estimate(days + days[:1], CHANGE)
    with pytest.raises(ValueError, match="events must be between 0 and the posts"):
        estimate(days[1:] + [Day(days[0].date, 3, 4)], CHANGE)
    with pytest.raises(ValueError, match="each date may appear once"):
        estimate(days + [Day(days[0].date, 0, 0)], CHANGE)  # even a day without posts
    with pytest.raises(ValueError, match="no days given"):
        estimate([], CHANGE)


def test_it_runs_without_django_and_imports_statsmodels_and_scipy_only_when_asked():
    code = (
        "import sys, datetime; from tropewatch.trends.before_after import Day, estimate; "
        "lazy = not {'statsmodels', 'scipy.stats'} & set(sys.modules); "
        "c = datetime.date(2026, 3, 2); "
        "days = [Day(c + datetime.timedelta(days=i), 1000, 3 + i % 3) for i in range(-40, 40)]; "
        "estimate(days, c); "
        "sys.exit(0 if lazy and 'django' not in sys.modules else 1)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
