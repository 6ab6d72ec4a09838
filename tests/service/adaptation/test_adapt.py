"""``tropewatch adapt``: an organisation's head fitted from its moderators' decisions, in force
for its detections, reversible, and never touching the shipped model."""

from __future__ import annotations

import csv
import hashlib

import pytest
import typer
from typer.testing import CliRunner

from service.processes import REPO
from tropewatch.adaptation.models import AdaptedHead
from tropewatch.adaptation.services import active_head
from tropewatch.cli import labels as labels_cli
from tropewatch.detector import model_version
from tropewatch.detector.bundle import DETECTOR_DIR
from tropewatch.imports.services import run_import
from tropewatch.posts.models import Detection, Post
from tropewatch.posts.scanning import current_model_version
from tropewatch.review.decisions import Decision, record
from tropewatch.review.queue import flagged
from tropewatch.review.status import Action

# Probes the shipped model reads, as the moderators would decide them (the probes' labels).
DECIDED = 36  # of each label


@pytest.fixture
def cli():
    app = typer.Typer()
    labels_cli.register(app)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [str(arg) for arg in args])


@pytest.fixture
def probe_posts(org, source, tmp_path):
    """Probes imported as the organisation's posts, scanned by the shipped model: returns the
    stored posts with each probe's label."""
    with (REPO / "probes" / "probes.csv").open(encoding="utf-8") as f:
        probes = list(csv.DictReader(f))
    chosen = ([p for p in probes if p["label"] == "1"][:DECIDED + 4]
              + [p for p in probes if p["label"] == "0" and p["kind"] != "neutral"][:DECIDED + 4])
    export = tmp_path / "posts.csv"
    with export.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "text", "platform", "created_at"])
        for probe in chosen:
            writer.writerow([probe["id"], probe["text"], "x", "2026-11-01T10:00:00Z"])
    assert run_import(org, source, export, "csv").status == "finished"
    label = {p["id"]: int(p["label"]) for p in chosen}
    return [(post, label[post.platform_id]) for post in Post.objects.for_org(org)]


def decide(org, members, posts, count: int) -> None:
    """A moderator confirms ``count`` antisemitic probes and dismisses ``count`` others."""
    taken = {0: 0, 1: 0}
    for post, label in posts:
        if taken[label] == count:
            continue
        taken[label] += 1
        action = Action.CONFIRM if label else Action.DISMISS
        record(org, post.pk, members["moderator"], "moderator",
               Decision(action, reason="" if label else "not_antisemitic"))


def shipped_bundle_digest() -> str:
    return hashlib.sha256(b"".join(p.read_bytes() for p in sorted(DETECTOR_DIR.iterdir())
                                   if p.is_file())).hexdigest()


def test_adapt_puts_a_versioned_head_in_force_for_every_detection(cli, org, members,
                                                                   probe_posts):
    decide(org, members, probe_posts, DECIDED)
    before = shipped_bundle_digest()

    result = cli("adapt", "--org", org.slug, "--force")

    assert result.exit_code == 0, result.output
    version = f"{model_version()}+{org.slug}.1"
    assert f"'{org.slug}' now uses {version}, fitted on" in result.stderr
    head = AdaptedHead.objects.for_org(org).get()
    assert (head.version, head.active) == (version, True)
    assert head.report["confirmed"] + head.report["dismissed"] == head.report["decisions"]
    assert current_model_version(org) == version
    # Every post has a detection from the head, and the queue reads those.
    assert Detection.objects.for_org(org).filter(model_version=version).count() == len(
        probe_posts)
    assert set(flagged(org).values_list("model_version", flat=True)) <= {version}
    assert shipped_bundle_digest() == before


def test_adapting_again_makes_a_new_version_and_reset_returns_to_the_shipped_model(
        cli, org, members, probe_posts):
    decide(org, members, probe_posts, DECIDED)
    cli("adapt", "--org", org.slug, "--force")

    assert cli("adapt", "--org", org.slug, "--force").exit_code == 0
    heads = list(AdaptedHead.objects.for_org(org).values_list("number", "active"))
    assert heads == [(1, False), (2, True)]

    result = cli("adapt", "--org", org.slug, "--reset")

    assert result.exit_code == 0, result.output
    assert "no longer uses its head" in result.stderr
    assert not AdaptedHead.objects.for_org(org).filter(active=True).exists()
    assert current_model_version(org) == model_version()
    assert Detection.objects.for_org(org).filter(model_version=model_version()).count() == len(
        probe_posts)


def test_a_head_no_better_than_the_shipped_model_is_kept_out_of_force(cli, org, members,
                                                                      probe_posts):
    """Moderators who decide exactly as the shipped model did: no head can beat it."""
    for post, _ in probe_posts:
        shipped = Detection.objects.get(post=post, model_version=model_version())
        record(org, post.pk, members["moderator"], "moderator",
               Decision(Action.CONFIRM if shipped.antisemitic else Action.DISMISS,
                        reason="" if shipped.antisemitic else "not_antisemitic"))

    result = cli("adapt", "--org", org.slug)

    assert result.exit_code == 0, result.output
    assert "is not put in force" in result.stderr and "against 1.000" in result.stderr
    head = AdaptedHead.objects.for_org(org).get()
    assert not head.active
    assert current_model_version(org) == model_version()


def test_adapt_refuses_too_few_decisions_and_changes_nothing(cli, org, members, probe_posts):
    decide(org, members, probe_posts, 8)

    result = cli("adapt", "--org", org.slug, "--force")

    assert result.exit_code == 2
    assert "not enough decisions to adapt yet" in result.stderr
    assert "at least 50" in result.stderr
    assert not AdaptedHead.objects.exists()
    assert current_model_version(org) == model_version()


def test_a_head_only_serves_its_own_organisation(cli, org, other_org, members, probe_posts):
    decide(org, members, probe_posts, DECIDED)
    cli("adapt", "--org", org.slug, "--force")

    assert current_model_version(other_org) == model_version()
    assert active_head(other_org) is None


def test_a_head_fitted_on_an_earlier_model_is_not_used(cli, org, members, probe_posts):
    decide(org, members, probe_posts, DECIDED)
    cli("adapt", "--org", org.slug, "--force")
    AdaptedHead.objects.for_org(org).filter(active=True).update(base_version="2025.1.1")

    assert active_head(org) is None
    assert current_model_version(org) == model_version()
