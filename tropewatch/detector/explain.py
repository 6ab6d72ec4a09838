"""One plain sentence saying why the detector decided what it did."""

from __future__ import annotations

from .policy import GENERAL_CATEGORY, POLICY_NAMES
from .verdict import CategoryScore, Span

# Above this the post reads as calling antisemitism out; said so in the sentence
# because it is the most common reason a post full of slurs is not flagged.
COUNTER_SPEECH_NOTE = 0.5


def explanation(flagged: bool, over_threshold: bool, score: float,
                categories: list[CategoryScore], spans: list[Span], counter_speech: float,
                policy: str) -> str:
    terms = ", ".join(dict.fromkeys(f"“{s.term}”" for s in spans[:3]))
    named = [c for c in categories if c.id != GENERAL_CATEGORY]
    what = "; ".join(
        c.name + (f" (IHRA example {c.ihra_example})" if c.ihra_example else "") for c in named[:2]
    )
    if flagged:
        if not named:
            return (f"Likely antisemitic (score {score:.2f}) by the model's reading of the whole "
                    f"post; no specific trope term was found.")
        return f"Likely antisemitic (score {score:.2f}): {what}" + (
            f", from {terms}." if terms else ".")
    if named and counter_speech >= COUNTER_SPEECH_NOTE:
        return (f"Not flagged (score {score:.2f}): mentions {terms or what} but reads as calling "
                f"antisemitism out or reporting it (counter-speech {counter_speech:.2f}).")
    if named and over_threshold:
        return (f"Not flagged under {POLICY_NAMES[policy]} (score {score:.2f}): {what} "
                f"does not count under this policy.")
    if named:
        return (f"Not flagged (score {score:.2f}): {terms or what} appears, but the post as a "
                f"whole does not read as antisemitic.")
    return f"Not flagged (score {score:.2f}): nothing antisemitic found."
