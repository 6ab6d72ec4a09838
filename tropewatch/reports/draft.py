"""The report a platform needs for one confirmed post, built without Django.

The draft says which of the platform's own rules the post breaks (platform_rules), what any
coded words in it mean (the lexicon's meanings for the detection's spans), the evidence hash,
and where to report it; with an organisation notifying under the Digital Services Act, and a
category that can be illegal content, it adds the text of an Article 16 notice (exact URL,
the explanation, the notifier's name and email, the good-faith statement).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from tropewatch.detector.lexicon import Lexicon, load_lexicon
from tropewatch.detector.taxonomy import load_taxonomy

from .platform_rules import PlatformRules, Rule, legal_grounds, load_platform_rules

# Mastodon refuses a report comment longer than this (its Report model's limit).
SHORT_TEXT_LIMIT = 1000
QUOTE_LIMIT = 500

GOOD_FAITH = (
    "I confirm my bona fide belief that the information and allegations in this notice are "
    "accurate and complete."
)


@dataclass(frozen=True, slots=True)
class PostFacts:
    platform: str
    url: str
    text: str
    author_handle: str


@dataclass(frozen=True, slots=True)
class Notifier:
    """The organisation reporting, from its reporting settings."""

    org_name: str
    name: str = ""
    email: str = ""
    dsa_notices: bool = False  # the organisation sends Article 16 notices
    legal_basis_note: str = ""  # its own member state's law, added to the explanation


@dataclass(frozen=True, slots=True)
class InstanceRule:
    """One rule of a Mastodon server, as its /api/v1/instance lists it."""

    id: str
    text: str


@dataclass(frozen=True, slots=True)
class CodedTerm:
    term: str
    meaning: str


@dataclass(frozen=True, slots=True)
class Draft:
    platform: str
    rules_version: str
    rules: tuple[Rule, ...]
    instance_rules: tuple[InstanceRule, ...]
    text: str  # the full report, for a form
    short_text: str  # at most SHORT_TEXT_LIMIT characters, for an API comment
    form_url: str
    how_to_report: str
    dsa_notice: str | None
    dsa_notice_url: str
    dsa_skipped_because: str  # why there is no notice, when there is none
    warnings: tuple[str, ...]


def coded_terms(spans: Iterable[Mapping], lexicon: Lexicon | None = None) -> list[CodedTerm]:
    """The matched words of a detection with the lexicon's meaning of each, once per entry."""
    lexicon = lexicon or load_lexicon()
    out: dict[str, CodedTerm] = {}
    for span in spans:
        entry_id = span.get("entry", "")
        if entry_id in out:
            continue
        try:
            meaning = lexicon.entry(entry_id).meaning
        except KeyError:
            continue  # an entry a later lexicon dropped: nothing to explain
        out[entry_id] = CodedTerm(term=str(span.get("term", "")), meaning=meaning)
    return list(out.values())


def matching_instance_rules(
    rules: Sequence[InstanceRule], words: Sequence[str]
) -> list[InstanceRule]:
    """The server rules whose text names racism, hate, violence and the like."""
    return [rule for rule in rules if any(word in rule.text.lower() for word in words)]


def draft_report(
    post: PostFacts,
    categories: Sequence[str],
    spans: Iterable[Mapping],
    evidence_sha256: str | None,
    notifier: Notifier,
    *,
    instance: str = "",
    instance_rules: Sequence[InstanceRule] = (),
    rules: PlatformRules | None = None,
) -> Draft:
    """``categories``: the taxonomy ids a moderator confirmed. ``instance``: for Mastodon, the
    server the report goes to, whose ``instance_rules`` are cited."""
    rules = rules or load_platform_rules(post.platform)
    taxonomy = load_taxonomy()
    names = [taxonomy.category(c).name for c in categories]
    cited = rules.rules_for(list(categories))
    server_rules = matching_instance_rules(instance_rules, rules.instance_rule_words) if cited \
        else []
    coded = coded_terms(spans)
    warnings = []
    if not cited:
        warnings.append(f"No rule of {rules.service} plainly covers "
                        f"{', '.join(names) or 'these categories'}: report with the context "
                        "that makes it antisemitic, or not at all.")
    if post.platform == "mastodon" and instance_rules and not server_rules:
        warnings.append(f"None of {instance}'s rules names hate or racism; tick the closest one.")
    evidence = evidence_sha256 or "not captured"

    lines = [
        f"Report to {rules.service}: antisemitic content",
        f"Post: {post.url or '(no address imported)'}",
        f"Posted by: {post.author_handle or '(unknown)'}",
        f"What it is: {'; '.join(names)}.",
        "",
        "Rules it breaks:",
        *[f"- {rule.name}: {rule.paraphrase} ({rule.policy_url})" for rule in cited],
        *[f"- Server rule {rule.id}: {rule.text}" for rule in server_rules],
    ]
    if coded:
        lines += ["", "What the words mean:",
                  *[f'- "{c.term}": {c.meaning}' for c in coded]]
    lines += [
        "",
        f"Text as captured: \"{_clip(post.text, QUOTE_LIMIT)}\"",
        f"Evidence hash (SHA-256 of the captured record): {evidence}",
        f"Reported by: {notifier.org_name}",
    ]
    short = [
        f"Antisemitic content ({'; '.join(names)}).",
        "Breaks: " + "; ".join([r.name for r in cited] + [r.text for r in server_rules]) + ".",
        *[f'"{c.term}": {c.meaning}' for c in coded],
        f"Evidence SHA-256: {evidence}. Reported by {notifier.org_name}.",
    ]
    notice, skipped = _dsa_notice(post, categories, rules, notifier)
    return Draft(
        platform=post.platform, rules_version=rules.version, rules=tuple(cited),
        instance_rules=tuple(server_rules), text="\n".join(lines),
        short_text=_clip(" ".join(short), SHORT_TEXT_LIMIT),
        form_url=rules.form_url.format(instance=instance), how_to_report=rules.how_to_report,
        dsa_notice=notice, dsa_notice_url=rules.dsa_notice_url.format(instance=instance),
        dsa_skipped_because=skipped, warnings=tuple(warnings),
    )


def _dsa_notice(
    post: PostFacts, categories: Sequence[str], rules: PlatformRules, notifier: Notifier
) -> tuple[str | None, str]:
    if not notifier.dsa_notices:
        return None, "The organisation does not send notices under the Digital Services Act."
    if not rules.eu_service:
        return None, f"{rules.service} is not offered in the EU."
    grounds = legal_grounds()
    reasons = list(dict.fromkeys(grounds[c] for c in categories if c in grounds))
    if not reasons:
        return None, ("None of the confirmed categories is listed as illegal content; report it "
                      "under the platform's own rules.")
    if not (notifier.name and notifier.email):
        return None, "Add the notifier's name and email in the reporting settings."
    if not post.url:
        return None, "The post has no exact URL, which a notice must give."
    explanation = "The content is illegal because it amounts to " + "; and ".join(reasons) + "."
    if notifier.legal_basis_note:
        explanation += f" {notifier.legal_basis_note.strip()}"
    notice = "\n".join([
        "Notice under Article 16 of Regulation (EU) 2022/2065 (Digital Services Act)",
        "",
        f"Exact location of the content: {post.url}",
        "",
        f"Explanation of why it is illegal content: {explanation}",
        f"Text as captured: \"{_clip(post.text, QUOTE_LIMIT)}\"",
        "",
        f"Submitted by: {notifier.name} <{notifier.email}>, for {notifier.org_name}",
        "",
        GOOD_FAITH,
    ])
    return notice, ""


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
