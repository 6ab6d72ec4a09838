"""The weekly summary: its figures equal counts made here from the raw rows, the PDF renders
and says the same as the email, it names no one, and the CLI mails it to the leads."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
import typer
from django.core import mail
from pypdf import PdfReader
from typer.testing import CliRunner

from tropewatch.cli import impact as impact_cli
from tropewatch.impact.rollups import rebuild
from tropewatch.impact.weekly import last_full_week, weekly_summary
from tropewatch.posts.models import Author, Detection
from tropewatch.review.decisions import Decision, record
from tropewatch.review.status import Action

TODAY = datetime.now(UTC).date()
SECRET = "Words only this poster wrote, Zebrawick"


@pytest.fixture
def weeks(org, members, make_post):
    """This week (ending today): 8 posts, 4 flagged, 2 confirmed (one of them unflagged).
    The week before: 5 posts, 2 flagged, 1 confirmed."""
    poster = Author.objects.create(org=org, platform="x", platform_id="9", handle="zebrawick")
    this_week = [make_post(SECRET, age=timedelta(days=1), author=poster,
                           flagged=n < 3, categories=["dual_loyalty"] if n < 3 else [])
                 for n in range(7)]
    this_week.append(make_post(age=timedelta(days=2), flagged=True))
    before = [make_post(age=timedelta(days=9), flagged=n < 2) for n in range(5)]
    moderator = members["moderator"]
    for post, categories in ((this_week[0], ["dual_loyalty"]), (this_week[5], ["dual_loyalty"]),
                             (before[0], ["rothschild_soros"])):
        record(org, post.pk, moderator, "moderator", Decision(Action.CONFIRM, categories))
    record(org, this_week[1].pk, moderator, "moderator", Decision(Action.DISMISS,
                                                                  reason="news"))
    rebuild(org)
    return this_week, before


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_figures_are_the_raw_counts_and_the_pdf_says_what_the_email_says(org, weeks):
    summary = weekly_summary(org, TODAY)

    assert (summary.this_week.posts, summary.this_week.flagged,
            summary.this_week.confirmed) == (8, 4, 2)
    assert (summary.week_before.posts, summary.week_before.flagged,
            summary.week_before.confirmed) == (5, 2, 1)
    text = summary.text()
    assert "Posts gathered: 8 (the week before: 5)." in text
    assert "Flagged by the detector: 4 (500.0 per 1,000 posts; the week before: 400.0)." in text
    assert ("Confirmed antisemitic by moderators: 2 (250.0 per 1,000 posts; the week before: "
            "200.0).") in text
    assert "- Dual loyalty" in text
    assert "First review: median" in text
    pdf = summary.pdf()
    assert pdf.startswith(b"%PDF")
    pdf_text = " ".join(_pdf_text(pdf).split())
    for line in summary.lines():
        if line:
            assert " ".join(line.split()) in pdf_text
    for trace in ("Zebrawick", "zebrawick"):
        assert trace not in text and trace not in pdf_text


def test_a_detector_change_during_the_week_is_a_caveat(org, weeks):
    this_week, _ = weeks
    Detection.objects.filter(post=this_week[-1]).update(model_version="2099.1.1")
    rebuild(org)

    text = weekly_summary(org, TODAY).text()

    assert "Caution: the detector changed during the week" in text
    assert "2099.1.1" in text


def test_last_full_week_ends_on_the_sunday_before_today():
    monday = datetime(2026, 11, 30).date()
    assert last_full_week(monday) == datetime(2026, 11, 29).date()
    assert last_full_week(monday + timedelta(days=6)) == datetime(2026, 11, 29).date()
    assert last_full_week(monday + timedelta(days=7)) == datetime(2026, 12, 6).date()


@pytest.fixture
def cli():
    app = typer.Typer()
    app.callback()(lambda: None)
    impact_cli.register(app)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [str(arg) for arg in args])


def test_the_command_mails_the_pdf_to_the_admins_and_leads(cli, org, members, weeks):
    for role in ("admin", "lead", "moderator"):
        members[role].email = f"{role}@example.org"
        members[role].save()

    result = cli("weekly", "--org", org.slug, "--week-ending", TODAY.isoformat(), "--email")

    assert result.exit_code == 0, result.output
    [message] = mail.outbox
    assert message.to == ["admin@example.org", "lead@example.org"]
    assert message.body == weekly_summary(org, TODAY).text()
    [(name, content, kind)] = message.attachments
    assert (name, kind) == (f"tropewatch-week-{TODAY.isoformat()}.pdf", "application/pdf")
    assert content.startswith(b"%PDF")


def test_the_command_needs_somewhere_to_send_it(cli, org):
    result = cli("weekly", "--org", org.slug)
    assert result.exit_code != 0
    assert "--output FILE.pdf, --email" in result.output


def test_leads_download_the_pdf_and_a_bad_date_is_named(client_as, org, weeks):
    client = client_as("lead")

    response = client.get(f"/o/{org.slug}/dashboard/weekly.pdf",
                          {"week_ending": TODAY.isoformat()})
    bad = client.get(f"/o/{org.slug}/dashboard/weekly.pdf", {"week_ending": "last week"})

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Posts gathered: 8" in _pdf_text(response.content)
    assert bad.status_code == 400 and "week_ending" in bad.content.decode()
