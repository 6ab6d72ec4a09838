"""Before and after a date: did the rate of (say) confirmed posts per 1,000 posts change?

An interrupted time series: a segmented regression of weekly counts with the post volume
as the exposure. Why this model, decided once here:

* **Weekly counts.** ``log E[events] = log(posts) + a + b·t + c·after + d·t·after``, fitted
  to the events and posts of each week, weeks counted from the change day: the offset makes
  the coefficients rates per post, ``b`` is the trend before, ``c`` the jump at the change and
  ``d`` the change of trend. Days were tried first; summing a week removes the weekday rhythm
  and most of the day-to-day dependence (a pile-on lasting days) that daily errors cannot
  carry at these sample sizes. Over 200 synthetic series with no change, eight weeks a side,
  days with Newey-West (HAC, 7 lags) errors called a change in 11.5% (nominal 5%) and, with
  dependent days, 14.5%; weeks called 3 to 6.5%, at the price of a little power.
* **Quasi-Poisson.** Real counts are overdispersed (a pile-on gives twenty posts in a day),
  so the Poisson model is used only for its mean; the variance is the Pearson estimate from
  the weeks, and with so few weeks the intervals use Student's t on the residual degrees of
  freedom.

What is reported is what a reader can compare: over the days after the change, the fitted rate
(``rate_after``) against the rate the trend before would have given on those same days
(``rate_before``, the counterfactual), and their ratio with its interval. Where there was no
trend before, ``rate_before`` is simply the rate before the change; where there was one, a
caveat says so, since carrying a trend on is an assumption.

Plain library: no Django. statsmodels and scipy.stats take seconds to import, so they are
loaded on the first estimate, never on import of this module (bench/bench_before_after.py
prints both costs).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

# Fewer than this many days with posts, or events, on either side, and the fit says nothing
# that a reader should act on: four weeks give the weekly rhythm four repeats to average out.
MIN_DAYS = 28
MIN_EVENTS = 10
# Posts per day falling by more than this share after the change is named as a caveat: the
# people still posting may not be the people who posted before.
VOLUME_DROP = 0.3


@dataclass(frozen=True)
class Day:
    date: datetime.date
    posts: int  # every post seen that day (the exposure)
    events: int  # those counted, e.g. confirmed antisemitic


@dataclass(frozen=True)
class TooLittleData:
    """No estimate: ``reason`` says why in plain words."""

    change: datetime.date
    reason: str

    def sentence(self, group_name: str, what: str = "confirmed antisemitic posts") -> str:
        return (f"In {group_name}, there is too little data to say whether {what} changed "
                f"after {_day(self.change)}: {self.reason}.")

    def caveats(self) -> tuple[str, ...]:
        return ()


@dataclass(frozen=True)
class Estimate:
    change: datetime.date
    per: int
    level: float
    rate_before: float  # per `per` posts, the trend before carried over the days after
    rate_after: float  # per `per` posts, fitted over the days after
    after_interval: tuple[float, float]
    ratio: float  # rate_after / rate_before
    ratio_interval: tuple[float, float]
    p_value: float  # two-sided, for "no change" (ratio 1)
    days_before: int
    days_after: int
    trend_before: float  # fitted change of the rate per 30 days before the change, as a share
    trend_before_clear: bool  # its interval excludes no trend
    volume_change: float  # posts per calendar day after / before, minus 1
    breaks: tuple[datetime.date, ...]  # detector changes inside the window

    @property
    def clear(self) -> bool:
        """Whether the interval of the change excludes no change."""
        low, high = self.ratio_interval
        return high < 1 or low > 1

    def sentence(self, group_name: str, what: str = "confirmed antisemitic posts") -> str:
        verb = "fell" if self.rate_after < self.rate_before else "rose"
        low, high = self.after_interval
        text = (f"In {group_name}, {what} {verb} from {_rate(self.rate_before)} to "
                f"{_rate(self.rate_after)} per {self.per:,} posts after {_day(self.change)}; "
                f"{self.level:.0%} interval {_rate(low)} to {_rate(high)}.")
        # The before-rate is uncertain too (more so where a trend is carried on), so the
        # change gets its own interval: the after-rate's alone would overstate the certainty.
        interval = f"{self.level:.0%} interval: {_changes(*self.ratio_interval)}"
        if self.clear:
            return text + f" That is {_change(self.ratio)} ({interval}), unlikely to be chance."
        return text + f" That is {_change(self.ratio)}, but it could well be chance ({interval})."

    def caveats(self) -> tuple[str, ...]:
        found = []
        for day in self.breaks:
            found.append(f"The detector changed on {_day(day)}, inside the period compared: "
                         "posts before and after it were judged differently, so part of the "
                         "change may be the detector's.")
        if self.volume_change < -VOLUME_DROP:
            found.append(f"Posts overall fell by {-self.volume_change:.0%} after "
                         f"{_day(self.change)}; the people still posting may not be those who "
                         "posted before.")
        if self.trend_before_clear:
            direction = "falling" if self.trend_before < 0 else "rising"
            found.append(f"The rate was already {direction} before {_day(self.change)} (about "
                         f"{abs(self.trend_before):.0%} a month); the 'before' figure carries "
                         "that trend on, which assumes it would have continued.")
        return tuple(found)


def estimate(days: Sequence[Day], change: datetime.date, *,
             breaks: Sequence[datetime.date] = (), per: int = 1000,
             level: float = 0.95) -> Estimate | TooLittleData:
    """The change in ``events`` per ``per`` posts from ``change`` on (that day counts as
    after). Days without posts carry no information and are left out; missing days are fine."""
    _check(days)
    span = min(day.date for day in days), max(day.date for day in days)
    days = sorted((day for day in days if day.posts > 0), key=lambda day: day.date)
    before = [day for day in days if day.date < change]
    after = [day for day in days if day.date >= change]
    for side, name in ((before, "before"), (after, "after")):
        if len(side) < MIN_DAYS:
            return TooLittleData(change, f"{len(side)} days with posts {name} "
                                         f"{_day(change)}, and at least {MIN_DAYS} are needed")
        events = sum(day.events for day in side)
        if events < MIN_EVENTS:
            return TooLittleData(change, f"{events} counted {name} {_day(change)}, "
                                         f"and at least {MIN_EVENTS} are needed")
    fit = _fit(days, change)
    start, end = days[0].date, days[-1].date
    return Estimate(
        change=change, per=per, level=level,
        rate_before=fit.mean(fit.counterfactual) * per,
        rate_after=fit.mean(fit.factual) * per,
        after_interval=_scaled(fit.interval(fit.factual, None, level), per),
        ratio=fit.mean(fit.factual) / fit.mean(fit.counterfactual),
        ratio_interval=fit.interval(fit.factual, fit.counterfactual, level),
        p_value=fit.p_value(fit.factual, fit.counterfactual),
        days_before=len(before), days_after=len(after),
        trend_before=math.expm1(fit.params[1] * 30),
        trend_before_clear=bool(_excludes_zero(fit, np.array([0.0, 1.0, 0.0, 0.0]), level)),
        volume_change=_volume_change(before, after, change, span),
        breaks=tuple(sorted(day for day in set(breaks) if start <= day <= end)),
    )


def _check(days: Sequence[Day]) -> None:
    if not days:
        raise ValueError("no days given")
    dates = [day.date for day in days]
    if len(set(dates)) != len(dates):
        raise ValueError("each date may appear once")
    bad = next((day for day in days if not 0 <= day.events <= day.posts), None)
    if bad is not None:
        raise ValueError(f"{bad.date}: events must be between 0 and the posts")


def _volume_change(before: list[Day], after: list[Day], change: datetime.date,
                   span: tuple[datetime.date, datetime.date]) -> float:
    """Posts per calendar day after the change against before, minus 1. Per calendar day, not
    per day with posts: a group that falls silent on most days has fallen, even if its
    remaining days are as busy as before."""
    per_day_before = sum(day.posts for day in before) / (change - span[0]).days
    per_day_after = sum(day.posts for day in after) / ((span[1] - change).days + 1)
    return per_day_after / per_day_before - 1


@dataclass(frozen=True)
class _Fit:
    params: np.ndarray
    cov: np.ndarray
    t: Any  # Student's t on the residual degrees of freedom (a frozen scipy distribution)
    factual: np.ndarray  # design rows of the days after, as they were
    counterfactual: np.ndarray  # the same days, had nothing changed

    def mean(self, rows: np.ndarray) -> float:
        return float(np.mean(np.exp(rows @ self.params)))

    def _log_ratio(self, top: np.ndarray, bottom: np.ndarray | None) -> tuple[float, float]:
        """log(mean rate of ``top`` / mean rate of ``bottom``) and its standard error, by the
        delta method (the gradient of log-mean-exp is the rows weighted by their rates)."""
        def grad(rows):
            weights = np.exp(rows @ self.params)
            return weights @ rows / weights.sum()

        value = math.log(self.mean(top))
        gradient = grad(top)
        if bottom is not None:
            value -= math.log(self.mean(bottom))
            gradient = gradient - grad(bottom)
        return value, math.sqrt(gradient @ self.cov @ gradient)

    def interval(self, top, bottom, level: float) -> tuple[float, float]:
        value, se = self._log_ratio(top, bottom)
        half = self.t.ppf(0.5 + level / 2) * se
        return math.exp(value - half), math.exp(value + half)

    def p_value(self, top, bottom) -> float:
        value, se = self._log_ratio(top, bottom)
        if se == 0:  # a perfect fit: only a test of exact equality is left
            return 1.0 if value == 0 else 0.0
        return float(2 * self.t.sf(abs(value / se)))


def _fit(days: list[Day], change: datetime.date) -> _Fit:
    from scipy import stats
    from statsmodels.genmod import families
    from statsmodels.genmod.generalized_linear_model import GLM

    # Time in days from the change, so the intercept is the level at the change. Weeks are
    # counted from the change day, so no week straddles it; a week is placed at its days'
    # mean, so a short week at either end sits where its days are.
    t = np.array([(day.date - change).days for day in days], dtype=float)
    weeks, week = np.unique(np.floor(t / 7), return_inverse=True)
    size = np.bincount(week)
    week_t = np.bincount(week, weights=t) / size
    posts = np.bincount(week, weights=[day.posts for day in days])
    events = np.bincount(week, weights=[day.events for day in days])
    # scale="X2": the Pearson estimate of the overdispersion (quasi-Poisson).
    result = GLM(events, _design(week_t), family=families.Poisson(),
                 offset=np.log(posts)).fit(scale="X2")
    # The rates are read off day by day (the coefficients are per day and per post), so each
    # day after the change weighs the same, whichever week it fell in.
    rows = _design(t[t >= 0])
    return _Fit(params=np.asarray(result.params), cov=np.asarray(result.cov_params()),
                t=stats.t(result.df_resid), factual=rows,
                counterfactual=rows * np.array([1.0, 1.0, 0.0, 0.0]))


def _design(t: np.ndarray) -> np.ndarray:
    """Intercept, trend, level change, change of trend."""
    after = (t >= 0).astype(float)
    return np.column_stack([np.ones_like(t), t, after, t * after])


def _excludes_zero(fit: _Fit, contrast: np.ndarray, level: float) -> bool:
    se = math.sqrt(contrast @ fit.cov @ contrast)
    return abs(contrast @ fit.params) > fit.t.ppf(0.5 + level / 2) * se


def _scaled(interval: tuple[float, float], per: int) -> tuple[float, float]:
    return interval[0] * per, interval[1] * per


def _rate(value: float) -> str:
    """Two significant figures, never in e-notation: 12, 4.1, 0.37, 0.041."""
    if value >= 10:
        return f"{value:,.0f}"
    if value <= 0:
        return "0"
    decimals = max(1, 1 - math.floor(math.log10(value)))
    return f"{value:.{decimals}f}"


def _change(ratio: float) -> str:
    return f"a fall of {1 - ratio:.0%}" if ratio < 1 else f"a rise of {ratio - 1:.0%}"


def _changes(low: float, high: float) -> str:
    if high < 1:
        return f"a fall of {1 - high:.0%} to {1 - low:.0%}"
    if low > 1:
        return f"a rise of {low - 1:.0%} to {high - 1:.0%}"
    return f"{_change(low)} to {_change(high)}"


def _day(date: datetime.date) -> str:
    return f"{date.day} {date:%B %Y}"
