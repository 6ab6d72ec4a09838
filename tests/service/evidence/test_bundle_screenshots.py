"""Supporters' screenshots of a post go into its evidence bundle: the pixels as stored, each
hashed in the evidence record captured after it (so in the chain), without who sent it."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from service.submissions.flags import flag
from tropewatch.evidence.bundle import NotAsChained, build_bundle
from tropewatch.evidence.bundle_check import check_bundle
from tropewatch.evidence.canonical import canonical_json, sha256_hex
from tropewatch.evidence.models import EvidenceRecord
from tropewatch.review.decisions import Decision, record
from tropewatch.review.status import Action
from tropewatch.submissions.models import Screenshot


@pytest.fixture
def flagged_then_confirmed(org, members, make_post):
    """A post a supporter flagged with a screenshot, then a moderator confirmed."""
    post = make_post("The Rothschilds control the banks.")
    submission = flag(org, post, members["reporter"], screenshot=True, note="in our group")
    record(org, post.pk, members["moderator"], "moderator", Decision(Action.CONFIRM))
    return post, submission


def _open(tmp_path: Path, data: bytes) -> tuple[Path, dict[str, bytes]]:
    path = tmp_path / "bundle.zip"
    path.write_bytes(data)
    with zipfile.ZipFile(path) as archive:
        return path, {name: archive.read(name) for name in archive.namelist()}


def _repack(path: Path, members: dict[str, bytes]) -> Path:
    """``members`` zipped again with the manifest's file hashes and the sums made to fit:
    what anyone can redo, unlike the chain's hashes."""
    manifest = json.loads(members["manifest.json"])
    manifest["files"] |= {name: sha256_hex(data) for name, data in members.items()
                          if name in manifest["files"]}
    members["manifest.json"] = canonical_json(manifest)
    members["SHA256SUMS"] = "".join(f"{sha256_hex(data)}  {name}\n"
                                    for name, data in members.items()
                                    if name != "SHA256SUMS").encode()
    out = path.with_name("tampered.zip")
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out


def test_a_screenshot_is_in_the_bundle_hashed_in_the_chain(org, tmp_path,
                                                          flagged_then_confirmed):
    post, submission = flagged_then_confirmed
    stored = Screenshot.objects.get()
    evidence = EvidenceRecord.objects.get()

    path, members = _open(tmp_path, build_bundle(org, [post.pk]))

    name = f"screenshots/submission-{submission.pk}.png"
    snapshot = json.loads(evidence.snapshot)
    assert members[name] == bytes(stored.data)
    assert snapshot["screenshots"] == [{
        "submission": submission.pk, "sha256": sha256_hex(bytes(stored.data)),
        "content_type": "image/png", "width": 40, "height": 30}]
    assert f"{sha256_hex(members[name])}  {name}\n" in members["SHA256SUMS"].decode()
    assert json.loads(members["manifest.json"])["screenshots"] == [{
        "post": post.pk, "submission": submission.pk, "file": name,
        "sha256": stored.sha256, "evidence": f"records/evidence-{evidence.pk}.json"}]
    assert name in members["item.html"].decode()
    pdf = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(members["item.pdf"])).pages)
    assert stored.sha256 in pdf.replace("\n", "")
    assert check_bundle(path) == []


def test_who_sent_a_screenshot_stays_out_of_the_bundle(org, members, tmp_path,
                                                      flagged_then_confirmed):
    post, _ = flagged_then_confirmed
    members["reporter"].username = "ada.supporter"
    members["reporter"].save()

    _, files = _open(tmp_path, build_bundle(org, [post.pk]))

    for name, data in files.items():
        if not name.startswith("screenshots/"):
            assert b"ada.supporter" not in data and b"in our group" not in data, name


def test_a_screenshot_sent_after_the_capture_is_bundled_outside_the_chain(
    org, members, tmp_path, flagged_then_confirmed
):
    post, _ = flagged_then_confirmed
    later = flag(org, post, members["viewer"], screenshot=True)

    path, files = _open(tmp_path, build_bundle(org, [post.pk]))

    entry = json.loads(files["manifest.json"])["screenshots"][-1]
    assert entry["submission"] == later.pk and entry["evidence"] is None
    assert files[entry["file"]] == bytes(later.screenshot.data)
    assert "sent after the evidence was captured" in files["item.html"].decode()
    assert check_bundle(path) == []


@pytest.mark.parametrize("listed_hash_rewritten", [True, False])
def test_a_screenshot_swapped_with_its_sums_and_manifest_is_named(
    org, tmp_path, flagged_then_confirmed, listed_hash_rewritten
):
    post, submission = flagged_then_confirmed
    path, files = _open(tmp_path, build_bundle(org, [post.pk]))
    name = f"screenshots/submission-{submission.pk}.png"
    files[name] = files[name] + b"forged"
    manifest = json.loads(files["manifest.json"])
    if listed_hash_rewritten:
        manifest["screenshots"][0]["sha256"] = sha256_hex(files[name])
    files["manifest.json"] = canonical_json(manifest)

    problems = [str(problem) for problem in check_bundle(_repack(path, files))]

    record_name = manifest["screenshots"][0]["evidence"]
    assert problems == ([f"{record_name}: its screenshot of submission {submission.pk} is not "
                         "in manifest.json as it hashed it"] if listed_hash_rewritten
                        else [f"{name}: not the screenshot {record_name} hashed"])


def test_a_screenshot_left_out_of_the_bundle_is_named(org, tmp_path, flagged_then_confirmed):
    post, submission = flagged_then_confirmed
    path, files = _open(tmp_path, build_bundle(org, [post.pk]))
    name = f"screenshots/submission-{submission.pk}.png"
    del files[name]
    manifest = json.loads(files["manifest.json"])
    del manifest["files"][name]
    manifest["screenshots"] = []
    files["manifest.json"] = canonical_json(manifest)

    problems = [str(problem) for problem in check_bundle(_repack(path, files))]

    assert len(problems) == 1 and f"screenshot of submission {submission.pk}" in problems[0]


def test_a_stored_screenshot_changed_after_the_capture_makes_no_bundle(
    org, flagged_then_confirmed
):
    post, submission = flagged_then_confirmed
    Screenshot.objects.filter(pk=submission.pk).update(data=b"other pixels")

    with pytest.raises(NotAsChained, match=f"screenshot of submission {submission.pk}"):
        build_bundle(org, [post.pk])


def test_a_screenshot_no_longer_stored_is_listed_with_its_recorded_hash(
    org, tmp_path, flagged_then_confirmed
):
    post, submission = flagged_then_confirmed
    recorded = Screenshot.objects.get().sha256
    Screenshot.objects.all().delete()

    path, files = _open(tmp_path, build_bundle(org, [post.pk]))

    assert json.loads(files["manifest.json"])["screenshots"][0] | {"evidence": None} == {
        "post": post.pk, "submission": submission.pk, "file": None, "sha256": recorded,
        "evidence": None}
    assert "no longer stored" in files["item.html"].decode()
    assert check_bundle(path) == []
