"""Whether someone is on an organisation's member list: member, not a member, or unknown.

"Not a member" is said only when the list could have named them: it holds the kind of
identifier we know for them (an X handle for an X author, say) and none matched. When it
holds no such kind, when there is no list, or the key is missing or not the list's, the
answer is "unknown", with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser

from tropewatch.orgs.models import Organisation
from tropewatch.posts.models import Author

from .keys import KeyProblem, checked_key, digest, fingerprint
from .models import MemberKey, MemberList, MembershipLook, MembershipResult
from .normalize import PLATFORMS, BadIdentifier, Identifier, handle


@dataclass(frozen=True, slots=True)
class Answer:
    result: MembershipResult
    matched: str = ""  # the kind of identifier that matched, as people read it
    reason: str = ""  # what was checked, or why the answer is unknown


def membership_of(org: Organisation, identifiers: Iterable[Identifier]) -> Answer:
    identifiers = sorted(set(identifiers))
    try:
        key = checked_key(settings.MEMBERS_KEY)
    except KeyProblem:
        return _unknown("the member list key is not set on this server")
    member_list = MemberList.objects.filter(org=org).first()
    if member_list is None:
        return _unknown("no member list has been imported")
    if member_list.key_fingerprint != fingerprint(key):
        return _unknown("the member list was imported under another key; import it again")
    if not identifiers:
        return _unknown("we know no identifier of theirs that a member list can hold")
    for identifier in identifiers:
        if MemberKey.objects.filter(
            org=org, kind=identifier.kind, platform=identifier.platform,
            digest=digest(key, org.pk, identifier),
        ).exists():
            return Answer(MembershipResult.MEMBER, matched=identifier.label)
    checked = [i.label for i in identifiers if i.scope in member_list.covers]
    if checked:
        return Answer(MembershipResult.NOT_MEMBER,
                      reason=f"checked: {', '.join(checked)}")
    missing = ", ".join(f"{i.label}s" for i in identifiers)
    return _unknown(f"the member list has no {missing}")


def _unknown(reason: str) -> Answer:
    return Answer(MembershipResult.UNKNOWN, reason=reason)


def author_identifiers(author: Author) -> list[Identifier]:
    """What the platforms tell us about an author that a member list can hold: their handle.
    (Display names are not used: a name alone matches too many people.)"""
    if author.platform not in PLATFORMS or not author.handle:
        return []
    try:
        return [handle(author.handle, author.platform)]
    except BadIdentifier:
        return []


def look_up_author(
    org: Organisation, author: Author, user: AbstractBaseUser, role: str
) -> Answer:
    """The author's membership, with the look written to the access log."""
    answer = membership_of(org, author_identifiers(author))
    MembershipLook.objects.create(
        org=org, author=author, actor=user, actor_name=user.get_username(), actor_role=role,
        result=answer.result, matched=answer.matched,
    )
    return answer
