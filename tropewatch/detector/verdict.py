"""The detector's answer: what it found, where, and how sure it is.

Plain dataclasses so every consumer (CLI, web, workers) can serialise a verdict
with ``to_dict()`` and rebuild it with ``Verdict.from_dict()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the ORIGINAL text that matched a lexicon entry."""

    start: int  # offset of the first character in the original text
    end: int  # offset one past the last character (text[start:end] is the match)
    term: str  # the original text covered, exactly as posted
    category: str  # taxonomy id
    entry: str  # lexicon entry id that matched


@dataclass(frozen=True, slots=True)
class CategoryScore:
    """One taxonomy category the post touches, with its own confidence."""

    id: str
    name: str
    score: float
    ihra_example: int | None = None


@dataclass(frozen=True, slots=True)
class ClaimFound:
    """The claim of the taxonomy a post comes closest to, and its stance towards it."""

    category: str  # taxonomy id
    claim: str  # the canonical claim (data/claims.yaml) it comes closest to
    similarity: float  # cosine similarity of the sentence to that claim
    stance: str  # endorse, reject, quote, report or neutral
    endorse: float  # probability that the post endorses the claim
    start: int  # the sentence, as offsets into the original text
    end: int


@dataclass(frozen=True, slots=True)
class Verdict:
    antisemitic: bool  # decided by the policy, from score and categories
    score: float  # calibrated probability that the post is antisemitic
    categories: list[CategoryScore] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    counter_speech: float = 0.0  # probability the post calls antisemitism out
    explanation: str = ""
    policy: str = "ihra"
    model_version: str = ""
    claim: ClaimFound | None = None  # None where the claim stage did not read the post
    read_chars: int | None = None  # set where the post was longer than the detector reads

    def to_dict(self) -> dict:
        # Not dataclasses.asdict, which deep-copies every value: this runs once for every
        # post scanned, and JSON needs no more than these shallow copies (5x faster).
        data = _shallow_dict(self)
        data["categories"] = [_shallow_dict(c) for c in self.categories]
        data["spans"] = [_shallow_dict(s) for s in self.spans]
        data["claim"] = _shallow_dict(self.claim) if self.claim else None
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Verdict:
        return cls(
            antisemitic=data["antisemitic"],
            score=data["score"],
            categories=[CategoryScore(**c) for c in data.get("categories", [])],
            spans=[Span(**s) for s in data.get("spans", [])],
            counter_speech=data.get("counter_speech", 0.0),
            explanation=data.get("explanation", ""),
            policy=data.get("policy", "ihra"),
            model_version=data.get("model_version", ""),
            claim=ClaimFound(**data["claim"]) if data.get("claim") else None,
            read_chars=data.get("read_chars"),
        )


def _shallow_dict(instance) -> dict:
    return {f.name: getattr(instance, f.name) for f in fields(instance)}
