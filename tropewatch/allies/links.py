"""Signed links in what allies receive: an answer to one call, or unsubscribing.

Allies have no account, so the link is the credential. Each token signs exactly what it may
do (this ally, this call, this answer), and the view checks the URL asks for that and nothing
else: a link cannot be edited into another answer, another call or another ally. The salts
keep an unsubscribe token from being read as an answer token and the other way round.
"""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

_ANSWER_SALT = "tropewatch.allies.answer"
_UNSUBSCRIBE_SALT = "tropewatch.allies.unsubscribe"


def answer_path(ally_id: int, call_id: int, answer: str) -> str:
    token = signing.dumps([ally_id, call_id, answer], salt=_ANSWER_SALT, compress=True)
    return reverse("allies:answer", kwargs={"call_id": call_id, "answer": answer,
                                            "token": token})


def answer_ally(token: str, call_id: int, answer: str) -> int | None:
    """The ally a token was issued to, when it was issued for this call and answer."""
    try:
        ally_id, signed_call, signed_answer = signing.loads(token, salt=_ANSWER_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return ally_id if (signed_call, signed_answer) == (call_id, answer) else None


def unsubscribe_path(ally_id: int) -> str:
    token = signing.dumps(ally_id, salt=_UNSUBSCRIBE_SALT)
    return reverse("allies:unsubscribe", kwargs={"token": token})


def unsubscribe_ally(token: str) -> int | None:
    try:
        ally_id = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return ally_id if isinstance(ally_id, int) else None
