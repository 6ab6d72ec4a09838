"""The case file: one PDF a complaints unit can file, with everything the decision rests on.

The posts, the categories and IHRA examples they were confirmed under (and the policy the
organisation enforces), each post's evidence hash and the organisation's chain head, the
membership answer for each account, and the case's history. It is written with fpdf2 and the
font the evidence bundles use, by the same rule for characters the font lacks.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from tropewatch.detector.policy import POLICY_NAMES
from tropewatch.detector.taxonomy import load_taxonomy
from tropewatch.evidence.models import ChainHead, EvidenceRecord
from tropewatch.evidence.pdf import Document
from tropewatch.members.lookup import look_up_author
from tropewatch.review.models import ReviewEvent
from tropewatch.review.status import Action

from .models import Case


@dataclass(frozen=True, slots=True)
class CasePost:
    post_id: int
    platform: str
    posted: str
    url: str
    text: str
    categories: list[str]  # "Dual loyalty accusations (IHRA example 6)"
    evidence_sha256: str


def case_posts(case: Case) -> list[CasePost]:
    taxonomy = load_taxonomy()
    out = []
    for post in case.posts.order_by("created_at"):
        confirmed = (ReviewEvent.objects.filter(post=post, action=Action.CONFIRM)
                     .order_by("-created_at", "-pk").values_list("categories", flat=True)
                     .first()) or []
        names = []
        for category_id in confirmed:
            if category_id in taxonomy.ids:
                category = taxonomy.category(category_id)
                example = f" (IHRA example {category.ihra_example})" if category.ihra_example \
                    else ""
                names.append(category.name + example)
        evidence = (EvidenceRecord.objects.filter(post=post).order_by("-pk")
                    .values_list("sha256", flat=True).first())
        out.append(CasePost(post.pk, post.get_platform_display(),
                            post.created_at.date().isoformat(), post.url, post.text,
                            names or ["confirmed without a category named"],
                            evidence or "none captured"))
    return out


def render_case_file(case: Case, user: AbstractBaseUser, role: str) -> bytes:
    """The PDF. Looking up the accounts' membership here writes each look to its access log,
    as any other look does."""
    org = case.org
    pdf = Document()
    line = pdf.line

    line(f"Case {case.pk}: {org.name}", size=16, height=8)
    line(f"State: {case.get_state_display()}; outcome: "
         f"{case.get_outcome_display() or 'not decided'}")
    line(f"Policy in force: {POLICY_NAMES[org.policy]}")
    line(f"File made {timezone.now().isoformat(timespec='seconds')} by {user.get_username()} "
         f"({role})")
    head = ChainHead.objects.filter(org=org).first()
    if head is not None:
        line(f"Chain head when made: link {head.seq}, {head.link_hash}", size=8, height=4)
    pdf.gap(3)
    line("Accounts", size=13, height=7)
    for author in case.authors.order_by("platform", "pk"):
        answer = look_up_author(org, author, user, role)
        membership = answer.result.label
        detail = answer.matched or answer.reason
        line(f"{author.display_name} @{author.handle or author.platform_id} "
             f"({author.get_platform_display()}): {membership}"
             + (f" ({detail})" if detail else ""))
    for item in case_posts(case):
        pdf.gap(3)
        line(f"Post {item.post_id} ({item.platform}, {item.posted})", size=12, height=6)
        if item.url:
            line(item.url, size=8, height=4)
        line(item.text, size=10, height=5)
        line("Confirmed as: " + "; ".join(item.categories), size=9, height=4.5)
        line(f"Evidence SHA-256: {item.evidence_sha256}", size=8, height=4)
    pdf.gap(3)
    line("History", size=13, height=7)
    for event in case.events.order_by("created_at", "pk"):
        outcome = f": {event.get_outcome_display()}" if event.outcome else ""
        line(f"{event.created_at.isoformat(timespec='minutes')}  {event.actor_name} "
             f"({event.actor_role}) {event.get_action_display()}{outcome}"
             + (f" — {event.note}" if event.note else ""), size=9, height=4.5)
    return pdf.output()
