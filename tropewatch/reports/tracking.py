"""Recording what happens to a report: each change is one appended event, checked by
``next_report_status`` first, and the report row updated in the same transaction."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from tropewatch.posts.models import Post

from .draft import Draft
from .models import PlatformReport, PlatformReportEvent
from .status import ReportAction, ReportStatus, next_report_status


def record(
    post: Post,
    user: AbstractBaseUser,
    role: str,
    action: ReportAction,
    *,
    draft: Draft | None = None,
    outcome: str = "",
    reference: str = "",
    note: str = "",
    via_api: bool = False,
) -> PlatformReport:
    """Append ``action`` to the post's report (a DRAFT creates it from ``draft``)."""
    with transaction.atomic():
        # Lock the post, as review decisions do: steps on one report apply one at a time, and
        # two first steps cannot both create it.
        Post.objects.select_for_update().filter(pk=post.pk).first()
        report = PlatformReport.objects.filter(post=post).first()
        status = ReportStatus(report.status) if report else None
        new_status = next_report_status(status, action, role, outcome)
        now = timezone.now()
        if report is None:
            if draft is None:
                raise ValueError("a report is created from its draft")
            report = PlatformReport(
                org=post.org, post=post, platform=post.platform, created_at=now,
                rules_version=draft.rules_version,
                rules_cited=[rule.id for rule in draft.rules]
                + [f"instance:{rule.id}" for rule in draft.instance_rules],
                report_text=draft.text,
            )
        report.status = new_status
        report.updated_at = now
        if action == ReportAction.SUBMIT:
            report.submitted_by, report.submitted_at = user, now
            report.reference = reference
        if action == ReportAction.RESPOND:
            report.response = note
        if outcome:
            report.outcome = outcome
        report.save()
        PlatformReportEvent.objects.create(
            org=post.org, report=report, actor=user, actor_name=user.get_username(),
            actor_role=role, action=action, outcome=outcome, via_api=via_api,
            reference=reference, note=note, created_at=now,
        )
    return report
