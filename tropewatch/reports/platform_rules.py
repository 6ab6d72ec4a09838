"""Each platform's own rules, read from ``data/platforms/<platform>.yaml``, and which of them a
confirmed taxonomy category breaks. Plain Python: the draft is built without Django.

Loading checks what the schema cannot: that every taxonomy category is mapped (a new
category must be placed on every platform before reports cite it) and that a mapping names
only rules the file defines. Errors name the file and the field.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tropewatch.detector.datafile import DataFileError, load_validated_yaml
from tropewatch.detector.taxonomy import load_taxonomy

DATA_DIR = Path(__file__).parent / "data"
PLATFORMS = ("facebook", "x", "bluesky", "mastodon")

_URL = {"type": "string", "pattern": "^https://"}
_ID = {"type": "string", "pattern": "^[a-z0-9_]+$"}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["version", "platform", "service", "eu_service", "report", "rules", "categories"],
    "properties": {
        "version": {"type": "string"},
        "platform": {"enum": list(PLATFORMS)},
        "service": {"type": "string", "minLength": 1},
        "eu_service": {"type": "boolean"},
        "report": {
            "type": "object",
            "additionalProperties": False,
            "required": ["how", "form_url", "dsa_notice_url"],
            "properties": {"how": {"type": "string"}, "form_url": _URL, "dsa_notice_url": _URL},
        },
        "instance_rule_words": {"type": "array", "items": {"type": "string", "minLength": 3}},
        "rules": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "name", "policy_url", "paraphrase"],
                "properties": {
                    "id": _ID,
                    "name": {"type": "string", "minLength": 1},
                    "policy_url": _URL,
                    # Short on purpose: a paraphrase, never a copy of the policy.
                    "paraphrase": {"type": "string", "minLength": 20, "maxLength": 400},
                    "api_reason": {"type": "string", "pattern": r"^[a-z.]+#[A-Za-z]+$"},
                },
            },
        },
        "categories": {"type": "object", "additionalProperties": {"type": "array", "items": _ID}},
    },
}


class PlatformRulesError(DataFileError):
    """A platform rules file is unreadable or invalid; names the file and the field."""


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    name: str
    policy_url: str
    paraphrase: str
    api_reason: str = ""


@dataclass(frozen=True, slots=True)
class PlatformRules:
    version: str
    platform: str
    service: str
    eu_service: bool
    how_to_report: str
    form_url: str  # may hold {instance} (Mastodon)
    dsa_notice_url: str
    rules: dict[str, Rule]
    categories: dict[str, tuple[str, ...]]
    instance_rule_words: tuple[str, ...] = ()

    def rules_for(self, category_ids: list[str]) -> list[Rule]:
        """The rules the categories break, each once, in the order first cited."""
        ids = dict.fromkeys(r for c in category_ids for r in self.categories.get(c, ()))
        return [self.rules[rule_id] for rule_id in ids]


def load_platform_rules(platform: str, path: Path | None = None) -> PlatformRules:
    if path is not None:
        return _load(path)
    if platform not in PLATFORMS:
        raise KeyError(f"no rules for platform {platform!r}; known: {', '.join(PLATFORMS)}")
    return _load_shipped(platform)


@functools.cache
def _load_shipped(platform: str) -> PlatformRules:
    return _load(DATA_DIR / "platforms" / f"{platform}.yaml")


def _load(path: Path) -> PlatformRules:
    data = load_validated_yaml(path, SCHEMA, PlatformRulesError)
    rules = {r["id"]: Rule(**r) for r in data["rules"]}
    if len(rules) != len(data["rules"]):
        raise PlatformRulesError(path, "rules", "two rules share an id")
    taxonomy_ids = set(load_taxonomy().ids)
    missing = taxonomy_ids - set(data["categories"])
    if missing:
        raise PlatformRulesError(path, "categories", f"taxonomy categories not mapped: "
                                 f"{', '.join(sorted(missing))}")
    for category, rule_ids in data["categories"].items():
        if category not in taxonomy_ids:
            raise PlatformRulesError(path, f"categories.{category}", "not a taxonomy category")
        unknown = [r for r in rule_ids if r not in rules]
        if unknown:
            raise PlatformRulesError(path, f"categories.{category}",
                                     f"unknown rule {', '.join(unknown)}")
    return PlatformRules(
        version=data["version"], platform=data["platform"], service=data["service"],
        eu_service=data["eu_service"], how_to_report=data["report"]["how"],
        form_url=data["report"]["form_url"], dsa_notice_url=data["report"]["dsa_notice_url"],
        rules=rules, categories={c: tuple(r) for c, r in data["categories"].items()},
        instance_rule_words=tuple(data.get("instance_rule_words", ())),
    )


DSA_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["version", "categories"],
    "properties": {
        "version": {"type": "string"},
        "categories": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}


@functools.cache
def legal_grounds() -> dict[str, str]:
    """Taxonomy category -> why it can be illegal content under EU law (data/dsa.yaml)."""
    path = DATA_DIR / "dsa.yaml"
    data = load_validated_yaml(path, DSA_SCHEMA, PlatformRulesError)
    unknown = set(data["categories"]) - set(load_taxonomy().ids)
    if unknown:
        raise PlatformRulesError(path, "categories", f"not taxonomy categories: {sorted(unknown)}")
    return {c: " ".join(text.split()) for c, text in data["categories"].items()}
