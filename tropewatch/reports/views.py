"""The report page of a confirmed post (draft, form link, sending through the API, and the
record of what happened) and the organisation's reporting settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tropewatch.posts.models import Post
from tropewatch.review.models import ReviewState
from tropewatch.review.status import Status

from . import tracking
from .access import get_post_to_report, get_settings_access
from .credentials import CredentialUnreadable, reveal
from .draft import Draft, InstanceRule
from .forms import RecordForm, SendForm, SettingsForm
from .models import PlatformReport
from .platform_rules import PLATFORMS
from .services import build_draft, cached_instance_rules, mastodon_server, reporting_settings
from .status import InvalidReportTransition, ReportAction, ReportStatus
from .submit import SubmissionError, bluesky_cid, submit_bluesky


def _report_url(post: Post) -> str:
    return reverse("reports:report", kwargs={"org_slug": post.org.slug, "post_id": post.pk})


def _is_confirmed(post: Post) -> bool:
    return ReviewState.objects.filter(post=post, status=Status.CONFIRMED).exists()


def _not_confirmed(request: HttpRequest, post: Post) -> HttpResponse:
    messages.error(request, "Only a confirmed item is reported to its platform.")
    return redirect("review:item", org_slug=post.org.slug, post_id=post.pk)


def _no_platform(request: HttpRequest, post: Post) -> HttpResponse:
    messages.error(request, f"Posts imported from a {post.get_platform_display()} file do not "
                   "say which platform they came from, so there is no report to draft: report "
                   "it on the platform by hand (the evidence bundle holds the record).")
    return redirect("review:item", org_slug=post.org.slug, post_id=post.pk)


def _draft_with_rules(request: HttpRequest, post: Post) -> tuple[Draft, list[InstanceRule]]:
    """The draft; for Mastodon, with the rules of the server the report goes to."""
    if post.platform != "mastodon":
        return build_draft(post), []
    try:
        server = mastodon_server(reporting_settings(post.org), post)
        rules = cached_instance_rules(server) if server.host else []
    except (SubmissionError, CredentialUnreadable) as problem:
        messages.warning(request, f"The server's rules could not be read: {problem}")
        server, rules = None, []
    return build_draft(post, rules, server.host if server else ""), rules


@login_required
def report_view(request: HttpRequest, org_slug: str, post_id: int) -> HttpResponse:
    post, access = get_post_to_report(request, org_slug, post_id)
    if not _is_confirmed(post):
        return _not_confirmed(request, post)
    if post.platform not in PLATFORMS:
        return _no_platform(request, post)
    if request.method == "POST":
        return _record(request, post, access.role)
    draft, server_rules = _draft_with_rules(request, post)
    settings = reporting_settings(post.org)
    report = PlatformReport.objects.filter(post=post).first()
    status = ReportStatus(report.status) if report else None
    can_send = status in (None, ReportStatus.DRAFTED) and (
        (post.platform == "bluesky" and settings.has_bluesky)
        or (post.platform == "mastodon" and settings.has_mastodon))
    suggested = {rule.id for rule in draft.instance_rules}
    return render(request, "reports/report.html", {
        "member": access, "org": post.org, "post": post, "draft": draft, "report": report,
        "status": status, "events": report.events.all() if report else [],
        "can_send": can_send, "outcomes": RecordForm().fields["outcome"].choices,
        "server_rules": [(rule, rule.id in suggested) for rule in server_rules],
    })


def _record(request: HttpRequest, post: Post, role: str) -> HttpResponse:
    form = RecordForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Not saved: " + "; ".join(
            f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()))
        return redirect(_report_url(post))
    data = form.cleaned_data
    action = ReportAction(data["action"])
    # Recording a submission made by hand saves the draft it was made from first.
    exists = PlatformReport.objects.filter(post=post).exists()
    draft = None if exists else _draft_with_rules(request, post)[0]
    try:
        if draft is not None and action != ReportAction.DRAFT:
            tracking.record(post, request.user, role, ReportAction.DRAFT, draft=draft)
        tracking.record(post, request.user, role, action, draft=draft,
                        outcome=data["outcome"], reference=data["reference"], note=data["note"])
    except InvalidReportTransition as refusal:
        messages.error(request, f"Not saved: {refusal}.")
        return redirect(_report_url(post))
    messages.success(request, f"Recorded: {action.value}.")
    return redirect(_report_url(post))


@require_POST
@login_required
def send_view(request: HttpRequest, org_slug: str, post_id: int) -> HttpResponse:
    """Submit through the platform's API with the organisation's credentials."""
    post, access = get_post_to_report(request, org_slug, post_id)
    if not _is_confirmed(post):
        return _not_confirmed(request, post)
    if post.platform not in PLATFORMS:
        return _no_platform(request, post)
    settings = reporting_settings(post.org)
    draft, server_rules = _draft_with_rules(request, post)
    try:
        if post.platform == "bluesky" and settings.has_bluesky:
            reference = submit_bluesky(
                service=settings.bluesky_service, handle=settings.bluesky_handle,
                app_password=reveal(settings.bluesky_app_password_sealed),
                uri=post.platform_id, cid=bluesky_cid(post.raw), draft=draft)
        elif post.platform == "mastodon" and settings.has_mastodon:
            form = SendForm(request.POST, rule_choices=[(r.id, r.text) for r in server_rules])
            if not form.is_valid():
                raise SubmissionError("choose the server's rules from the list")
            reference = mastodon_server(settings, post).report(
                post.url, draft, form.cleaned_data["rule_ids"])
        else:
            raise SubmissionError(f"no credentials to report to {post.get_platform_display()}")
        if not PlatformReport.objects.filter(post=post).exists():
            tracking.record(post, request.user, access.role, ReportAction.DRAFT, draft=draft)
        tracking.record(post, request.user, access.role, ReportAction.SUBMIT,
                        reference=reference, via_api=True)
    except (SubmissionError, CredentialUnreadable, InvalidReportTransition) as problem:
        messages.error(request, f"Not sent: {problem}")
        return redirect(_report_url(post))
    messages.success(request, f"Sent to {post.get_platform_display()}; reference {reference}.")
    return redirect(_report_url(post))


@login_required
def settings_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    access = get_settings_access(request, org_slug)
    row = reporting_settings(access.org)
    form = SettingsForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Reporting settings saved.")
        return redirect("reports:settings", org_slug=access.org.slug)
    return render(request, "reports/settings.html", {
        "member": access, "org": access.org, "form": form, "row": row})
