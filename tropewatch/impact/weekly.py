"""The weekly summary a lead forwards: last week's figures beside the week before's, as a PDF
and as the plain text of an email.

It holds counts and rates only, never a post's text or an author's name, so it can go to
people who may not read the console (a committee, the leadership). Both forms are written from
one list of lines, so the PDF and the email always say the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.mail import EmailMessage
from django.utils import timezone

from tropewatch.accounts.models import Membership
from tropewatch.accounts.roles import Role
from tropewatch.detector.taxonomy import load_taxonomy
from tropewatch.evidence.pdf import Document
from tropewatch.orgs.models import Organisation
from tropewatch.posts.models import Source

from .metrics import Filters, Rate, Wait, model_versions, rates_by, version_breaks, waits

TOP = 5  # sources and categories listed


@dataclass(frozen=True, slots=True)
class WeeklySummary:
    org_name: str
    start: date
    end: date
    this_week: Rate
    week_before: Rate
    sources: list[Rate]
    categories: list[Rate]
    waits: list[Wait]
    breaks: list[dict]

    def lines(self) -> list[str]:
        """The summary in plain sentences, one per line; blank lines separate sections."""
        now, before = self.this_week, self.week_before
        out = [f"{self.org_name}: the week of {_day(self.start)} to {_day(self.end)}", "",
               f"Posts gathered: {now.posts:,} (the week before: {before.posts:,}).",
               _rate_line("Flagged by the detector", now.flagged, now.flagged_per_1000,
                          before.flagged_per_1000),
               _rate_line("Confirmed antisemitic by moderators", now.confirmed,
                          now.confirmed_per_1000, before.confirmed_per_1000)]
        if self.sources:
            out += ["", "Where confirmed posts were most frequent (per 1,000 posts):"]
            out += [f"- {rate.label}: {_number(rate.confirmed_per_1000)} "
                    f"({rate.confirmed} of {rate.posts:,})" for rate in self.sources]
        if self.categories:
            out += ["", "The tropes confirmed most:"]
            out += [f"- {rate.label}: {rate.confirmed}" for rate in self.categories]
        out += ["", "How fast the group acted:"]
        out += [f"- {wait.label}: " + (f"median {wait.median_hours} hours over {wait.count}"
                                        if wait.median_hours is not None else "nothing measured")
                + (f"; {wait.waiting} still waiting" if wait.waiting else "")
                for wait in self.waits]
        if self.breaks:
            out += ["", "Caution: the detector changed during the week, so its figures on "
                    "either side of these days are not like for like:"]
            out += [f"- {_day(b['day'])}: {b['before']} became {b['after']}" for b in self.breaks]
        return out

    def text(self) -> str:
        return "\n".join(self.lines()) + "\n"

    def pdf(self) -> bytes:
        document = Document()
        first, *rest = self.lines()
        document.line(first, size=14, height=8)
        for line in rest:
            document.line(line) if line else document.gap(3)
        return document.output()


def last_full_week(today: date | None = None) -> date:
    """The Sunday that ended the last whole week (Monday to Sunday) before today."""
    today = today or timezone.now().date()
    return today - timedelta(days=today.weekday() + 1)


def weekly_summary(org: Organisation, week_ending: date) -> WeeklySummary:
    start = week_ending - timedelta(days=6)
    week = Filters(since=start, until=week_ending)
    before = Filters(since=start - timedelta(days=7), until=start - timedelta(days=1))
    sources = {s.pk: s.name for s in Source.objects.for_org(org)}
    taxonomy = load_taxonomy()
    categories = {c: taxonomy.category(c).name for c in taxonomy.ids}
    by_source = [r for r in rates_by(org, week, "source_id", sources) if r.confirmed]
    by_source.sort(key=lambda r: (-(r.confirmed_per_1000 or 0), r.label))
    # The day before the week too, so that a change on its first day shows as a break.
    versions = model_versions(org, Filters(since=start - timedelta(days=1), until=week_ending))
    return WeeklySummary(
        org.name, start, week_ending, _total(org, week), _total(org, before), by_source[:TOP],
        [r for r in rates_by(org, week, "category", categories) if r.confirmed][:TOP],
        waits(org, week), version_breaks(versions))


def send_weekly_summary(summary: WeeklySummary, recipients: list[str]) -> None:
    message = EmailMessage(
        subject=f"tropewatch weekly summary: {summary.org_name}, week ending "
                f"{_day(summary.end)}", body=summary.text(), to=recipients)
    message.attach(f"tropewatch-week-{summary.end.isoformat()}.pdf", summary.pdf(),
                   "application/pdf")
    message.send()


def leads_emails(org: Organisation) -> list[str]:
    """The organisation's admins and leads with an email address: the dashboard's readers."""
    return sorted(set(Membership.objects.for_org(org).filter(
        role__in=[Role.ADMIN, Role.LEAD]).exclude(user__email="")
        .values_list("user__email", flat=True)))


def _total(org: Organisation, filters: Filters) -> Rate:
    rates = rates_by(org, filters, "org", {org.pk: "all"})
    return rates[0] if rates else Rate("all", 0, 0, 0)


def _rate_line(what: str, count: int, rate: float | None, before: float | None) -> str:
    return (f"{what}: {count:,} ({_number(rate)} per 1,000 posts; "
            f"the week before: {_number(before)}).")


def _number(value: float | None) -> str:
    return "no posts" if value is None else f"{value:.1f}"


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
