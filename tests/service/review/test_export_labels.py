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
