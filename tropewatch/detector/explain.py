"""One plain sentence saying why the detector decided what it did."""

from __future__ import annotations

from .policy import GENERAL_CATEGORY, POLICY_NAMES
from .verdict import CategoryScore, ClaimFound, Span

# Above this the post reads as calling antisemitism out; said so in the sentence
# because it is the most common reason a post full of slurs is not flagged.
COUNTER_SPEECH_NOTE = 0.5
# Why a post that discusses a trope was not flagged, by its stance towards the claim.
_OTHER_STANCE = {
    "reject": "discusses {trope} in order to reject it",
    "quote": "quotes {trope} to call it out or report it",
    "report": "reports on {trope}",
    "neutral": "touches the topic of {trope} without asserting it",
}
_SENTENCE_CHARS = 120  # longer claim sentences are cut in the explanation


def _trope(claim: ClaimFound, taxonomy) -> str:
    category = taxonomy.category(claim.category)
    example = f", IHRA example {category.ihra_example}" if category.ihra_example else ""
    return f"a trope ({category.name}{example})"


def _quoted_sentence(text: str) -> str:
    sentence = " ".join(text.split())
    if len(sentence) > _SENTENCE_CHARS:
        sentence = sentence[: _SENTENCE_CHARS - 1].rstrip() + "…"
    return f"“{sentence}”"


def explanation(flagged: bool, over_threshold: bool, score: float,
                categories: list[CategoryScore], spans: list[Span], counter_speech: float,
                policy: str, claim: ClaimFound | None = None, taxonomy=None) -> str:
    claim_span = next((s for s in spans if s.entry == "claim"), None)
    spans = [s for s in spans if s.entry != "claim"]
    if claim is not None and claim_span is not None and taxonomy is not None:
        sentence = _quoted_sentence(claim_span.term)
        if flagged and claim.stance == "endorse":
            return (f"Likely antisemitic (score {score:.2f}): asserts "
                    f"{_trope(claim, taxonomy)}: {sentence}")
        if not flagged and claim.stance in _OTHER_STANCE:
            reason = _OTHER_STANCE[claim.stance].format(trope=_trope(claim, taxonomy))
            return f"Not flagged (score {score:.2f}): {reason}: {sentence}"
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
