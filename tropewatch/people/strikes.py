"""Strikes: how much confirmed antisemitism one person has posted lately, weighted by severity.

Pure functions, so that the weights and the window can be read and tested in one place.

Each confirmed post counts once, by the most severe category the moderator confirmed (the
detector's categories where the moderator named none). Posts confirmed longer ago than the
window no longer count: people change, and the organisation's process should be able to say
so. The weights are a judgement, written down so that it can be argued with:
  3  calls for violence, dehumanisation and slurs, Holocaust denial, blood libel;
  2  conspiracy tropes (power, Rothschild/Soros, dual loyalty, collective blame), Nazi
     analogies, coded language, holding Jews responsible for Israel, minimising the Holocaust;
  1  the contested or context-dependent ones, and antisemitism without a named trope.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

SEVERITY: dict[str, int] = {
    "incitement_violence": 3, "dehumanisation_slurs": 3, "holocaust_denial": 3,
    "blood_libel_deicide": 3,
    "power_control": 2, "rothschild_soros": 2, "dual_loyalty": 2, "collective_blame": 2,
    "nazi_analogy": 2, "coded_language": 2, "collective_responsibility_israel": 2,
    "holocaust_exaggeration": 2,
    "denial_self_determination": 1, "double_standards": 1, "smear_dismissal": 1,
    "general_antisemitism": 1,
}
DEFAULT_WINDOW = timedelta(days=365)
# A repeat offender has more than one confirmed post in the window, or one of weight 3 and
# another of any weight: strikes of at least this.
REPEAT_OFFENDER = 2


@dataclass(frozen=True, slots=True)
class Confirmed:
    """One confirmed post, as strikes need it."""

    post_id: int
    confirmed_at: datetime
    categories: Sequence[str]


def weight(categories: Iterable[str]) -> int:
    return max((SEVERITY.get(c, 1) for c in categories), default=1)


def strikes(confirmed: Iterable[Confirmed], now: datetime,
            window: timedelta = DEFAULT_WINDOW) -> int:
    return sum(weight(c.categories) for c in confirmed if now - c.confirmed_at <= window)


def is_repeat_offender(confirmed: Sequence[Confirmed], now: datetime,
                       window: timedelta = DEFAULT_WINDOW) -> bool:
    recent = [c for c in confirmed if now - c.confirmed_at <= window]
    return len(recent) > 1 and strikes(recent, now, window) >= REPEAT_OFFENDER
