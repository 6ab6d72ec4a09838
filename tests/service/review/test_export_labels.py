"""`tropewatch export-labels`: decisions become training rows the detector's loaders read."""

from __future__ import annotations

import csv

import pytest
import typer
from typer.testing import CliRunner

from tropewatch.cli import labels
from tropewatch.detector.training.dataset import read_labelled_csv
from tropewatch.review.decisions import Decision, record
from tropewatch.review.status import Action


@pytest.fixture
def cli():
    app = typer.Typer()
    labels.register(app)
    app.command("unused")(lambda: None)  # two commands, so the name is part of the call
    return app


@pytest.mark.django_db(transaction=True)
def test_confirmed_and_dismissed_posts_are_written_with_their_labels(
    cli, org, members, make_post, tmp_path
):
    confirmed = make_post("The Rothschilds own the banks, wake up")
    dismissed = make_post('Reporting on "Rothschild" conspiracy theories, with a line,\nbreak')
    make_post("still open")
    escalated = make_post("escalated, undecided")
    record(org, confirmed.pk, members["moderator"], "moderator",
           Decision(Action.CONFIRM, ["rothschild_soros"]))
    record(org, dismissed.pk, members["moderator"], "moderator",
           Decision(Action.DISMISS, reason="news"))
    record(org, escalated.pk, members["triage"], "triage", Decision(Action.ESCALATE))
    out = tmp_path / "labels.csv"

    result = CliRunner().invoke(cli, ["export-labels", str(out)])

    assert result.exit_code == 0, result.output
    assert "wrote 2 labelled posts" in result.output
    rows = list(read_labelled_csv(out, "Text", "Biased", "Keyword", "CreateDate"))
    assert sorted((text, label, group) for text, label, group, _ in rows) == sorted([
        (confirmed.text, 1, "#topic"), (dismissed.text, 0, "#topic")])
    with out.open(encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == ["Text", "Biased", "Keyword", "CreateDate"]


@pytest.mark.django_db(transaction=True)
def test_an_unknown_organisation_is_refused_by_name(cli, org, tmp_path):
    result = CliRunner().invoke(cli, ["export-labels", str(tmp_path / "x.csv"), "--org", "nope"])

    assert result.exit_code == 2
    assert "no organisation 'nope'" in result.output


FORMULA_TEXTS = ["=HYPERLINK(\"http://evil\",\"click\")", "+1+1", "-2+3", "@SUM(A1:A9)",
                 "\t=1+1", "\r=1+1", "'=already quoted"]


@pytest.mark.django_db(transaction=True)
def test_cells_a_spreadsheet_would_run_are_neutralised_and_read_back_unchanged(
    cli, org, members, make_post, tmp_path
):
    from tropewatch.posts.models import Source

    formula_source = Source.objects.create(org=org, name="=cmd|' /C calc'!A0",
                                           platform="x", kind="hashtag")
    posts = [make_post(text) for text in FORMULA_TEXTS]
    posts.append(make_post("plain text", post_source=formula_source))
    for post in posts:
        record(org, post.pk, members["moderator"], "moderator",
               Decision(Action.CONFIRM, ["rothschild_soros"]))
    out = tmp_path / "labels.csv"

    result = CliRunner().invoke(cli, ["export-labels", str(out)])

    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as handle:
        cells = [cell for row in list(csv.reader(handle))[1:] for cell in row]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert "'=HYPERLINK(\"http://evil\",\"click\")" in cells
    assert "''=already quoted" in cells
    rows = list(read_labelled_csv(out, "Text", "Biased", "Keyword", "CreateDate"))
    assert sorted((text, group) for text, _, group, _ in rows) == sorted(
        [(text, "#topic") for text in FORMULA_TEXTS] + [("plain text", formula_source.name)])
