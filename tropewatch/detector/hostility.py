"""Slurs for other groups in a post that also names Jews: hate rarely comes alone.

Posts that attack Jews often attack several groups at once ("women niggers spics jews arabs
... also vote"). In HateXplain's training posts, 111 of the 163 that name Jews beside a slur
for another group were judged by its annotators to be aimed at Jews; ISCA's tweets hold one
such post. The transformer, trained mostly on ISCA, scores many of these low, so the count
is handed to the combiner as a feature of its own, whose weight is learnt on dev.

The count is not a lexicon match: a slur for another group is not an antisemitic term, and
is never shown to a reviewer as a span of antisemitism.
"""

from __future__ import annotations

import re

MAX_COUNTED = 2

# Slurs for groups other than Jews, in normalised spelling (plural and possessive endings are
# allowed by the pattern below).
OTHER_GROUP_SLURS = (
    "nigger", "nigga", "niglet", "negroe", "neger", "coon", "spic", "beaner", "wetback",
    "chink", "gook", "paki", "towelhead", "raghead", "sand nigger", "muzzie", "mudslime",
    "shitskin", "faggot", "fag", "dyke", "tranny", "trannie", "retard",
)
_SLUR = re.compile(r"\b(?:" + "|".join(re.escape(s).replace(r"\ ", r"\s*")
                                        for s in OTHER_GROUP_SLURS) + r")(?:e?s)?\b")
# Stems, matched anywhere on purpose (as the relevance gate's are): "jewish", "yids", "goyim".
_JEWISH_REFERENCE = re.compile(r"jew|yid|kike|goy|heeb|hebe|hymie")


def slurs_beside_jews(normalized_text: str) -> int:
    """How many slurs for other groups the post holds (at most MAX_COUNTED), or 0 when it
    names no Jews."""
    if _JEWISH_REFERENCE.search(normalized_text) is None:
        return 0
    return min(len(_SLUR.findall(normalized_text)), MAX_COUNTED)
