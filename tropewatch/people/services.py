"""Linking accounts, reading a person's confirmed posts, and ranking repeat offenders."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from tropewatch.orgs.models import Organisation
from tropewatch.posts.models import Author, Post
from tropewatch.review.models import ReviewEvent, ReviewState
from tropewatch.review.status import Action, Status

from .models import LinkedAccount, LinkEvent, Person
from .strikes import Confirmed, is_repeat_offender, strikes

# How alike two handles or names must be for the author page to suggest a link.
SUGGEST_SIMILARITY = 0.8
SUGGESTIONS = 5


def link_history(accounts: list[Author]) -> list[LinkEvent]:
    return list(LinkEvent.objects.filter(author__in=accounts).select_related("author", "other"))


def accounts_of(author: Author) -> list[Author]:
    """The accounts linked to ``author`` as one person, itself included."""
    link = LinkedAccount.objects.filter(author=author).first()
    if link is None:
        return [author]
    return list(Author.objects.filter(link__person_id=link.person_id).order_by("platform", "pk"))


def link(first: Author, second: Author, linked_by: str, role: str) -> Person:
    """Link two accounts of one organisation as one person (merging their people)."""
    if first.org_id != second.org_id:
        raise ValueError("accounts of two organisations cannot be linked")
    with transaction.atomic():
        LinkEvent.objects.create(org_id=first.org_id, author=first, other=second,
                                 action="link", actor_name=linked_by, actor_role=role)
        people = {lk.person_id for lk in LinkedAccount.objects.select_for_update()
                  .filter(author__in=[first, second])}
        person = (Person.objects.get(pk=min(people)) if people
                  else Person.objects.create(org_id=first.org_id))
        LinkedAccount.objects.filter(person_id__in=people - {person.pk}).update(person=person)
        Person.objects.filter(pk__in=people - {person.pk}).delete()
        for author in (first, second):
            LinkedAccount.objects.get_or_create(
                author=author, defaults={"org_id": author.org_id, "person": person,
                                         "linked_by": linked_by})
    return person


def unlink(author: Author, unlinked_by: str, role: str) -> None:
    """Make the account a person of its own again."""
    with transaction.atomic():
        link = LinkedAccount.objects.select_for_update().filter(author=author).first()
        if link is None:
            return
        LinkEvent.objects.create(org_id=author.org_id, author=author, action="unlink",
                                 actor_name=unlinked_by, actor_role=role)
        person_id = link.person_id
        link.delete()
        left = LinkedAccount.objects.filter(person_id=person_id)
        if left.count() < 2:  # one account alone is no link
            left.delete()
            Person.objects.filter(pk=person_id).delete()


def confirmed_of(authors: list[Author]) -> list[Confirmed]:
    """The confirmed posts of these accounts, with when and as what they were confirmed."""
    post_ids = list(ReviewState.objects.filter(status=Status.CONFIRMED,
                                               post__author__in=authors)
                    .values_list("post_id", flat=True))
    latest: dict[int, tuple] = {}
    for post_id, created_at, categories in (
            ReviewEvent.objects.filter(post_id__in=post_ids, action=Action.CONFIRM)
            .order_by("created_at", "pk").values_list("post_id", "created_at", "categories")):
        latest[post_id] = (created_at, categories)
    detected = _detected_categories(post_ids)
    return [Confirmed(post_id, at, categories or detected.get(post_id, []))
            for post_id, (at, categories) in latest.items()]


def _detected_categories(post_ids: list[int]) -> dict[int, list[str]]:
    from tropewatch.posts.models import Detection

    out: dict[int, list[str]] = {}
    for post_id, categories in (Detection.objects.filter(post_id__in=post_ids, antisemitic=True)
                                .order_by("created_at").values_list("post_id", "categories")):
        out[post_id] = [c.get("id") for c in categories]
    return out


@dataclass(frozen=True)
class Offender:
    accounts: list[Author]
    confirmed: int
    strikes: int


def repeat_offenders(org: Organisation, limit: int = 100) -> list[Offender]:
    """People with more than one confirmed post in the window, most strikes first."""
    now = timezone.now()
    authors = Author.objects.for_org(org).filter(posts__review_state__status=Status.CONFIRMED)
    out = [Offender(accounts, len(items), strikes(items, now))
           for accounts, items in confirmed_by_person(authors)
           if is_repeat_offender(items, now)]
    return sorted(out, key=lambda o: (-o.strikes, -o.confirmed))[:limit]


def confirmed_by_person(authors: QuerySet[Author]) -> list[tuple[list[Author], list[Confirmed]]]:
    """Each person among ``authors`` (linked accounts as one), with the confirmed posts of
    those of their accounts that are in ``authors``."""
    authors = list(authors.distinct())
    confirmed = {item.post_id: item for item in confirmed_of(authors)}
    by_author: dict[int, list[Confirmed]] = defaultdict(list)
    for post_id, author_id in Post.objects.filter(pk__in=list(confirmed)).values_list(
            "pk", "author_id"):
        by_author[author_id].append(confirmed[post_id])
    people: dict[object, list[Author]] = defaultdict(list)
    person_of = dict(LinkedAccount.objects.filter(author__in=authors)
                     .values_list("author_id", "person_id"))
    for author in authors:
        people[("person", person_of[author.pk]) if author.pk in person_of
               else ("author", author.pk)].append(author)
    return [(accounts, [c for a in accounts for c in by_author[a.pk]])
            for accounts in people.values()]


def suggestions(author: Author) -> list[tuple[Author, float]]:
    """Accounts of the organisation, not yet linked to this one, whose handle or name is much
    like its own; only accounts with a confirmed post are considered, which keeps it cheap."""
    linked = {a.pk for a in accounts_of(author)}
    mine = [_handle(author.handle), _name(author.display_name)]
    candidates = (Author.objects.for_org(author.org)
                  .filter(posts__review_state__status=Status.CONFIRMED)
                  .exclude(pk__in=linked).distinct())
    scored = []
    for other in candidates:
        theirs = [_handle(other.handle), _name(other.display_name)]
        best = max((SequenceMatcher(None, a, b).ratio() for a in mine for b in theirs
                    if a and b), default=0.0)
        if best >= SUGGEST_SIMILARITY:
            scored.append((other, round(best, 2)))
    return sorted(scored, key=lambda pair: -pair[1])[:SUGGESTIONS]


def find_accounts(author: Author, text: str) -> list[Author]:
    """Accounts of the organisation, not yet linked to this one, whose handle, name or
    platform id contains ``text``: for linking by hand what the suggestions do not offer."""
    text = text.strip().lstrip("@")
    if not text:
        return []
    linked = {a.pk for a in accounts_of(author)}
    return list(Author.objects.for_org(author.org)
                .filter(Q(handle__icontains=text) | Q(display_name__icontains=text)
                        | Q(platform_id=text))
                .exclude(pk__in=linked).order_by("handle", "pk")[:SUGGESTIONS * 2])


def _handle(handle: str) -> str:
    """One person's handles differ across platforms by case, an @, the instance
    (``@name@instance``) or domain (``name.bsky.social``), and punctuation."""
    return _name(handle.lower().lstrip("@").split("@")[0].split(".")[0])


def _name(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())
