"""``detect(text) -> Verdict``: the one call every part of tropewatch makes.

Stages, cheapest first: normalise (undo evasions, keep offsets), match the
lexicon (categories and spans), count counter-speech cues, score with the n-gram
model and the transformer, then combine everything into one calibrated score.
The policy turns score and categories into the yes/no.

It is a cascade: posts that touch nothing relevant stop after the lexicon
(``relevance.py``), and relevant posts the cheap stages already score plainly
harmless never reach the transformer (``triage.py``).

Beside it, trope × stance (``trope_stance.py``): the claim of the taxonomy each relevant post
comes closest to, sentence by sentence, and whether the post endorses it. It reads posts the
relevance gate cleared too when they share claim words with the bank, so that posts saying
"they" instead of naming anyone are read. A bundle without it still names the claim of a
post it flags with no lexicon term (``naming.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import islice
from pathlib import Path

import numpy as np

from .bundle import (
    DETECTOR_DIR,
    BundleMismatchError,
    check_data_versions,
    read_meta,
    shipped_version,
)
from .claims import ClaimBank, ClaimMatch, load_claim_bank
from .classifier import NgramClassifier
from .combiner import Combiner, stage_features, transformer_feature
from .counter_speech import load_cues
from .encoder import load_encoder
from .explain import explanation
from .floors import apply_floor, quoted_flags, uncontested_entries
from .hostility import slurs_beside_jews
from .lexicon import Lexicon, Match, load_lexicon
from .naming import ClaimNaming
from .normalize import NormalizedText, mask_identifiers, normalize
from .policy import GENERAL_CATEGORY, check_policy, decide
from .relevance import is_relevant
from .stage_clock import UNCLOCKED, StageClock
from .stance import StanceModel
from .taxonomy import Taxonomy, load_taxonomy
from .transformer import load_transformer
from .triage import TransformerGate, needs_transformer
from .trope_stance import ClaimReading, ClaimRule, claim_inputs, read_claims, with_claims
from .verdict import CategoryScore, ClaimFound, Span, Verdict

# The detector reads at most this many characters of a post: more than any platform allows in
# one post (Facebook's limit is 63,206), and it keeps one hostile 13 MB "post" from taking
# gigabytes: the stages together still hold about 240 bytes per character they read (the
# offset maps of normalisation 8 of them). A verdict on a longer post says so.
MAX_TEXT_CHARS = 100_000

# A contextual lexicon match ("globalist", "Rothschild") is weaker evidence for its
# category than an explicit one: its category score is discounted by this factor.
CONTEXTUAL_DISCOUNT = 0.7


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything the stages found in one post, before the policy decides."""

    normalized: NormalizedText
    prepared: str  # what the n-gram model and the transformer read (prepare_for_ngrams)
    matches: list[Match]
    cues: dict[str, float]
    counter_speech: float
    uncontested: frozenset[str]  # explicit entries used in earnest (see floors.py)
    relevant: bool  # passes the cascade's first stage (see relevance.py)
    features: dict[str, float]


def prepare_for_ngrams(normalized: NormalizedText) -> str:
    """What the n-gram model and the transformer read: ``transformer.model_text`` of the
    post, from the normalisation the detector has already made."""
    return mask_identifiers(normalized.text)


def analyse(texts: Sequence[str], ngram: NgramClassifier, transformer, lexicon: Lexicon
            ) -> list[Analysis]:
    """Run every stage, the transformer on every post, on a batch of texts. Training
    uses this; the detector shares its parts but skips what its cascade allows."""
    normalized = [normalize(text) for text in texts]
    analyses = analyse_normalized(normalized, [lexicon.find(n) for n in normalized], ngram)
    if transformer is None:
        return analyses
    return with_transformer(analyses, transformer)


def with_transformer(analyses: Sequence[Analysis], transformer) -> list[Analysis]:
    """The analyses with the transformer's feature added."""
    return _with_logits(analyses, transformer.predict_logits(
        [a.normalized.original for a in analyses]))


def _with_logits(analyses: Sequence[Analysis], logits: np.ndarray) -> list[Analysis]:
    return [replace(a, features=a.features | transformer_feature(float(logit)))
            for a, logit in zip(analyses, logits, strict=True)]


def analyse_normalized(normalized: Sequence[NormalizedText], matches: Sequence[list[Match]],
                       ngram: NgramClassifier) -> list[Analysis]:
    """Every stage but the transformer."""
    if not normalized:  # the whole batch was cleared by the relevance gate
        return []
    prepared = [prepare_for_ngrams(n) for n in normalized]
    ngram_logits = ngram.logits(prepared)
    out = []
    for norm, text, found, ngram_logit in zip(normalized, prepared, matches, ngram_logits,
                                              strict=True):
        cues = load_cues().features(norm)
        counter_speech = load_cues().score(cues)
        explicit = [m for m in found if m.entry.strength == "explicit"]
        explicit_quoted = quoted_flags(norm.original, explicit)
        features = stage_features(float(ngram_logit), len(explicit), sum(explicit_quoted),
                                  len(found) - len(explicit), cues, counter_speech,
                                  slurs_beside_jews(norm.text))
        uncontested = uncontested_entries(explicit, explicit_quoted, counter_speech)
        out.append(Analysis(norm, text, found, cues, counter_speech, uncontested,
                            is_relevant(norm, found), features))
    return out


def cascade_scores(analyses: Sequence[Analysis], combiner: Combiner,
                   gate: TransformerGate | None, transformer) -> np.ndarray:
    """Combined scores of cheap analyses; the transformer sees only the posts the gate
    cannot settle. The shipped detector and training's held-out reports both score here."""
    return start_cascade(analyses, combiner, gate, transformer)()


def start_cascade(analyses: Sequence[Analysis], combiner: Combiner,
                  gate: TransformerGate | None, transformer) -> Callable[[], np.ndarray]:
    """``cascade_scores`` in two steps: this call starts the transformer on the posts that
    need it, in the background, and returns a function that waits for it and gives the
    scores. In between the caller's thread is free for the cheap stages of other posts."""
    if gate is None:
        scores = combiner.probabilities([a.features for a in analyses])
        return lambda: scores
    scores = gate.cheap_scores([a.features for a in analyses])
    hard_rows = np.flatnonzero(needs_transformer(scores, gate.skip_below))
    hard = [analyses[i] for i in hard_rows]
    pending = (transformer.submit_logits([a.normalized.original for a in hard],
                                         [a.prepared for a in hard]) if hard else None)

    def finish() -> np.ndarray:
        if pending is not None:
            scored = _with_logits(hard, pending.result())
            scores[hard_rows] = combiner.probabilities([a.features for a in scored])
        return scores

    return finish


class Detector:
    """A loaded model bundle: the stages' weights, the combiner and the threshold."""

    def __init__(self, model_dir: Path) -> None:
        self.meta = read_meta(model_dir)
        self.lexicon: Lexicon = load_lexicon()
        self.taxonomy: Taxonomy = load_taxonomy()
        check_data_versions(model_dir, self.meta, self.lexicon.version, self.taxonomy.version)
        self.version: str = self.meta["version"]
        self.threshold: float = self.meta["threshold"]
        self.ngram = NgramClassifier.load(model_dir / "ngram.npz")
        self.combiner = Combiner.from_json(self.meta["combiner"])
        self.floors: dict[str, float] = self.meta["explicit_floors"]
        self.cleared_score: float = self.meta["relevance_gate"]["cleared_score"]
        self.transformer = None
        self.gate: TransformerGate | None = None
        if self.meta.get("transformer"):
            self.transformer = load_transformer(model_dir.parent / self.meta["transformer"])
            self.gate = TransformerGate.from_json(self.meta["transformer_gate"])
        self.claims: ClaimStage | None = None
        if self.meta.get("claims"):
            self.claims = ClaimStage.load(model_dir, self.meta["claims"])
        self.naming: ClaimNaming | None = None
        if self.meta.get("claim_naming"):
            self.naming = ClaimNaming.load(model_dir, self.meta["claim_naming"])

    def verdicts(self, texts: Sequence[str], policy: str = "ihra") -> list[Verdict]:
        """Posts that touch nothing relevant are cleared after normalisation and the
        lexicon; only the rest go through the models (the cascade)."""
        return self.start(texts, policy)()

    def start(self, texts: Sequence[str], policy: str = "ihra",
              clock: StageClock = UNCLOCKED) -> Callable[[], list[Verdict]]:
        """``verdicts`` in two steps: run the cheap stages now and start the transformer in
        the background; the function returned waits for it and gives the verdicts. ``clock``
        times each stage (benchmarks)."""
        counted = self.taxonomy.counts_under(check_policy(policy))
        cut = [i for i, text in enumerate(texts) if len(text) > MAX_TEXT_CHARS]
        with clock.stage("normalise", len(texts)):
            texts = [text[:MAX_TEXT_CHARS] for text in texts]  # spans index the prefix as the post
            normalized = [normalize(text) for text in texts]
        with clock.stage("lexicon and relevance gate", len(texts)):
            matches = [self.lexicon.find(n) for n in normalized]
            relevant = [is_relevant(n, m) for n, m in zip(normalized, matches, strict=True)]
            # Past the relevance gate, or (for the claim stage only) sharing claim words.
            read = [i for i, n in enumerate(normalized) if relevant[i]
                    or (self.claims is not None and self.claims.reader.reads(n, relevant[i]))]
        with clock.stage("n-gram and cues", len(read)):
            analyses = analyse_normalized([normalized[i] for i in read],
                                          [matches[i] for i in read], self.ngram)
        cascaded = [j for j, i in enumerate(read) if relevant[i]]
        with clock.stage("combiner, triage, tokenising for the transformer", len(cascaded)):
            scores = start_cascade([analyses[j] for j in cascaded], self.combiner, self.gate,
                                   self.transformer)
        with clock.stage("claims", len(read) if self.claims is not None else 0):
            readings = (self.claims.read(analyses) if self.claims is not None
                        else [None] * len(read))

        def finish() -> list[Verdict]:
            # Posts counted once, where the verdicts are written.
            with clock.stage("verdicts and explanations", 0):
                base = dict(zip(cascaded, scores(), strict=True))
                judged: dict[int, float] = {}  # index in read: the post's final score
                for j, (i, analysis, reading) in enumerate(zip(read, analyses, readings,
                                                               strict=True)):
                    score = (apply_floor(float(base[j]), analysis.uncontested, self.floors)
                             if relevant[i] else self.cleared_score)
                    if self.claims is not None:
                        score = with_claims(score, reading, relevant[i], self.claims.rule)
                    if relevant[i] or score != self.cleared_score:
                        judged[j] = score
            unnamed = [j for j, score in judged.items()
                       if self._needs_naming(analyses[j], score, readings[j])]
            with clock.stage("naming claims", len(unnamed)):
                named = dict(zip(unnamed, self.naming.name(
                    [analyses[j].normalized.original for j in unnamed]) if unnamed else [],
                    strict=True))
            with clock.stage("verdicts and explanations", len(texts)):
                verdicts = [self._cleared(policy)] * len(texts)
                for j, score in judged.items():
                    verdicts[read[j]] = self._verdict(analyses[j], score, policy, counted,
                                                      readings[j], named.get(j))
                for i in cut:
                    verdicts[i] = replace(verdicts[i], read_chars=MAX_TEXT_CHARS, explanation=(
                        f"{verdicts[i].explanation} Only the first {MAX_TEXT_CHARS:,} "
                        "characters were read."))
            return verdicts

        return finish

    def _cleared(self, policy: str) -> Verdict:
        return Verdict(
            antisemitic=False, score=self.cleared_score, policy=policy,
            model_version=self.version,
            explanation="Not flagged: the post mentions nothing about Jews, Judaism, Israel or "
                        "the Holocaust, and no known antisemitic code.",
        )

    def _needs_naming(self, analysis: Analysis, score: float,
                      reading: ClaimReading | None) -> bool:
        """A post the models flag with nothing else to name its trope (see naming.py)."""
        return (self.naming is not None and score >= self.threshold and not analysis.matches
                and not (self.claims is not None and self.claims.rule.discusses(reading)))

    def _verdict(self, analysis: Analysis, score: float, policy: str,
                 counted: frozenset[str], reading: ClaimReading | None = None,
                 named: ClaimMatch | None = None) -> Verdict:
        claim = self._claim(analysis, reading) or self._named(score, named)
        categories = self._categories(analysis.matches, score, claim)
        spans = [Span(m.start, m.end, m.term, m.entry.category, m.entry.id)
                 for m in analysis.matches]
        if claim is not None:
            spans.append(Span(claim.start, claim.end, analysis.normalized.original[
                claim.start:claim.end], claim.category, "claim"))
        counter = analysis.counter_speech
        flagged = decide(score, self.threshold, (c.id for c in categories), counted)
        return Verdict(
            antisemitic=flagged, score=round(score, 4), categories=categories, spans=spans,
            counter_speech=round(counter, 4),
            explanation=explanation(flagged, score >= self.threshold, score, categories, spans,
                                    counter, policy, claim, self.taxonomy),
            policy=policy, model_version=self.version, claim=claim,
        )

    def _claim(self, analysis: Analysis, reading: ClaimReading | None) -> ClaimFound | None:
        """The claim the post discusses, where it comes close enough to one to name it."""
        if self.claims is None or not self.claims.rule.discusses(reading):
            return None
        match = reading.match
        return ClaimFound(match.category, match.claim, round(match.similarity, 4),
                          reading.stance, round(reading.endorse, 4), match.start, match.end)

    @staticmethod
    def _named(score: float, named: ClaimMatch | None) -> ClaimFound | None:
        """The claim a flagged post was named by (naming.py): the models' score stands for
        its endorsement, as they read the post as asserting something antisemitic."""
        if named is None:
            return None
        return ClaimFound(named.category, named.claim, round(named.similarity, 4), "endorse",
                          round(score, 4), named.start, named.end)

    def _categories(self, matches: Iterable[Match], score: float,
                    claim: ClaimFound | None = None) -> list[CategoryScore]:
        best: dict[str, float] = {}
        for match in matches:
            weight = 1.0 if match.entry.strength == "explicit" else CONTEXTUAL_DISCOUNT
            best[match.entry.category] = max(best.get(match.entry.category, 0.0), score * weight)
        if claim is not None and claim.stance == "endorse":
            best[claim.category] = max(best.get(claim.category, 0.0), score)
        if not best and score >= self.threshold:
            best[GENERAL_CATEGORY] = score
        out = []
        for category_id, category_score in sorted(best.items(), key=lambda kv: -kv[1]):
            category = self.taxonomy.category(category_id)
            out.append(CategoryScore(category_id, category.name, round(category_score, 4),
                                     category.ihra_example))
        return out


@dataclass(frozen=True)
class ClaimReader:
    """The sentence encoder and the claim bank: which posts the claim stage reads, and the
    stance model's inputs for them. Training uses it before any stance model exists."""

    encoder: object
    bank: ClaimBank

    @classmethod
    def load(cls) -> ClaimReader:
        encoder = load_encoder()
        return cls(encoder, load_claim_bank(encoder))

    def reads(self, normalized: NormalizedText, relevant: bool) -> bool:
        """Whether the claim stage reads a post: past the relevance gate, or sharing claim
        words with the bank."""
        return relevant or self.bank.mentions_claim_words(normalized.text)

    def inputs(self, analyses: Sequence[Analysis]) -> list:
        """``claim_inputs`` of the posts it reads, in order; None for the others."""
        read = [i for i, a in enumerate(analyses) if self.reads(a.normalized, a.relevant)]
        found = claim_inputs([analyses[i].normalized.original for i in read],
                             [analyses[i].cues for i in read],
                             [analyses[i].features for i in read], self.encoder, self.bank)
        out: list = [None] * len(analyses)
        for i, item in zip(read, found, strict=True):
            out[i] = item
        return out


@dataclass(frozen=True)
class ClaimStage:
    """A bundle's claim reader, stance model and rule."""

    reader: ClaimReader
    stance: StanceModel
    rule: ClaimRule

    @classmethod
    def load(cls, model_dir: Path, meta: dict) -> ClaimStage:
        reader = ClaimReader.load()
        if reader.bank.version != meta["bank_version"]:
            raise BundleMismatchError(
                f"{model_dir} was trained with claim bank {meta['bank_version']}, but "
                f"data/claims.yaml is {reader.bank.version}: retrain it (tropewatch train) "
                "or use the claim bank it was trained with")
        return cls(reader, StanceModel.load(model_dir / "stance.npz"),
                   ClaimRule.from_json(meta["rule"]))

    def read(self, analyses: Sequence[Analysis]) -> list[ClaimReading | None]:
        """Each post's claim and stance; None for a post the stage does not read."""
        return read_claims(self.reader.inputs(analyses), self.stance)


@lru_cache(maxsize=4)
def load_detector(model_dir: Path | None = None) -> Detector:
    return Detector(model_dir or DETECTOR_DIR)


def model_version() -> str:
    """The shipped bundle's version, read without loading any model (web views ask for it
    on every request to find current detections)."""
    return shipped_version()


def detect(text: str, policy: str = "ihra") -> Verdict:
    return load_detector().verdicts([text], policy)[0]


def detect_batch(texts: Iterable[str], policy: str = "ihra", batch_size: int = 256,
                 clock: StageClock = UNCLOCKED) -> Iterator[Verdict]:
    """Verdicts in input order, scoring ``batch_size`` texts at a time (constant memory);
    ``clock`` times the stages (benchmarks).

    While the transformer works through one batch on its threads, this thread runs the
    cheap stages of the next: the cheap stages are single-threaded Python, so on their own
    they would leave a core idle."""
    detector = load_detector()
    check_policy(policy)
    iterator = iter(texts)
    previous = None
    while True:
        try:
            batch = list(islice(iterator, batch_size))
        except BaseException:
            # The input failed while the next batch was read (a strict reader stopping at a
            # bad row): the posts read before that batch still get their verdicts.
            if previous is not None:
                yield from previous()
            raise
        if not batch:
            break
        current = detector.start(batch, policy, clock)
        if previous is not None:
            yield from previous()
        previous = current
    if previous is not None:
        yield from previous()
