"""Policy profiles: which categories count towards calling a post antisemitic.

The detector reports what it sees (a score and taxonomy categories); the policy
an organisation enforces decides the yes/no. The taxonomy records, per category,
the policies under which it counts, so this module holds no list of its own.
"""

from __future__ import annotations

from collections.abc import Iterable

POLICIES = ("ihra", "ihra-core", "jda")
POLICY_NAMES = {
    "ihra": "IHRA Working Definition with all 11 examples",
    "ihra-core": "IHRA Working Definition without examples 7, 8 and 10",
    "jda": "Jerusalem Declaration on Antisemitism guidelines",
}

# Used when the model is confident but no lexicon entry explains why: the post is
# judged on the score alone under every policy, and says so in its explanation.
GENERAL_CATEGORY = "general_antisemitism"


class UnknownPolicyError(ValueError):
    def __init__(self, policy: str) -> None:
        super().__init__(f"unknown policy {policy!r}; choose one of {', '.join(POLICIES)}")


def check_policy(policy: str) -> str:
    if policy not in POLICIES:
        raise UnknownPolicyError(policy)
    return policy


def decide(score: float, threshold: float, category_ids: Iterable[str],
           counted: frozenset[str]) -> bool:
    """A post is antisemitic under a policy when the score clears the threshold and at
    least one category it touches counts under that policy. The pipeline always
    names a category for a post over the threshold (``GENERAL_CATEGORY`` at least)."""
    return score >= threshold and not counted.isdisjoint(category_ids)
