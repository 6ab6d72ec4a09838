"""An evidence bundle verifies on its own: with ``tropewatch verify-bundle`` and with
``sha256sum -c``, and any change to any file in it is named."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from service.browser.xss_corpus import POSTS
from service.processes import REPO
from tropewatch.evidence.bundle import NoEvidence, build_bundle
from tropewatch.evidence.bundle_check import check_bundle
from tropewatch.evidence.models import ChainLink, EvidenceRecord
from tropewatch.review.decisions import Decision, record
from tropewatch.review.models import ReviewEvent
from tropewatch.review.status import Action

# The only elements the bundle's page is built from: nothing that runs or fetches.
PAGE_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "code",
             "section", "dl", "dt", "dd", "bdi", "span", "div", "table", "tr", "th", "td"}


def _tags(page: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    tags = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append((tag, attrs))

    Collector().feed(page)
    return tags


def _write(tmp_path: Path, data: bytes, name: str = "bundle.zip") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _rewrite(bundle: Path, name: str, change) -> Path:
    """A copy of ``bundle`` with member ``name`` passed through ``change``."""
    with zipfile.ZipFile(bundle) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    members[name] = change(members[name])
    out = bundle.with_name(f"tampered-{bundle.name}")
    with zipfile.ZipFile(out, "w") as target:
        for member, data in members.items():
            target.writestr(member, data)
    return out


@pytest.fixture
def bundle(tmp_path, org, confirmed_post) -> Path:
    return _write(tmp_path, build_bundle(org, [confirmed_post.pk]))


def test_a_bundle_holds_the_records_pages_manifest_and_sums(org, bundle):
    with zipfile.ZipFile(bundle) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
        evidence = EvidenceRecord.objects.get()
        assert archive.read(f"records/evidence-{evidence.pk}.json") == (
            evidence.snapshot.encode())

    events = ReviewEvent.objects.order_by("pk")
    assert names == {"manifest.json", "SHA256SUMS", "item.html", "item.pdf",
                     f"records/evidence-{evidence.pk}.json",
                     *(f"records/event-{event.pk}.json" for event in events)}
    links = ChainLink.objects.filter(org=org).order_by("seq")
    assert [(entry["seq"], entry["link_hash"]) for entry in manifest["chain"]] == [
        (link.seq, link.link_hash) for link in links]
    assert manifest["chain_head"] == {"seq": 3, "link_hash": links.last().link_hash}


def test_verify_bundle_accepts_an_untouched_bundle(cli, bundle):
    result = cli("verify-bundle", bundle)

    assert result.exit_code == 0, result.output
    assert f"{bundle}: verified" in result.stderr


def test_sha256sum_checks_an_unzipped_bundle(bundle, tmp_path):
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(folder)

    checked = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder,
                             capture_output=True, text=True)

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count(": OK") == 6

    (folder / "item.html").write_text("<p>nothing happened</p>")
    assert subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=folder,
                          capture_output=True).returncode == 1


@pytest.mark.parametrize("member", ["item.html", "item.pdf", "manifest.json", "SHA256SUMS"])
def test_a_changed_file_is_named(cli, bundle, member):
    tampered = _rewrite(bundle, member, lambda data: data + b"\n")

    result = cli("verify-bundle", tampered)

    assert result.exit_code == 1
    assert f"{tampered}: {member}: its SHA-256 differs" in result.stderr or (
        member == "SHA256SUMS" and "SHA256SUMS: line" in result.stderr)


def test_a_record_changed_with_its_sums_and_manifest_is_named_by_its_chain_link(
    bundle, confirmed_post
):
    """The sums and the manifest are easy to rewrite; the chain's hashes are not."""
    from tropewatch.evidence.canonical import canonical_json, sha256_hex

    name = f"records/event-{ReviewEvent.objects.order_by('pk').first().pk}.json"
    forged = {}

    def edit_record(data: bytes) -> bytes:
        forged[name] = data.replace(b"see this", b"harmless")
        return forged[name]

    tampered = _rewrite(bundle, name, edit_record)

    def refresh_manifest(data: bytes) -> bytes:
        manifest = json.loads(data)
        manifest["files"][name] = sha256_hex(forged[name])
        return canonical_json(manifest)

    tampered = _rewrite(tampered, "manifest.json", refresh_manifest)
    with zipfile.ZipFile(tampered) as archive:
        members = {n: archive.read(n) for n in archive.namelist() if n != "SHA256SUMS"}
    sums = "".join(f"{sha256_hex(d)}  {n}\n" for n, d in members.items()).encode()
    tampered = _rewrite(tampered, "SHA256SUMS", lambda _: sums)

    problems = [str(p) for p in check_bundle(tampered)]

    assert problems == [f"{name}: its SHA-256 differs from chain link 1"]


def test_a_missing_file_and_an_extra_file_are_named(bundle, tmp_path):
    with zipfile.ZipFile(bundle) as source:
        members = {n: source.read(n) for n in source.namelist() if n != "item.pdf"}
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(broken, "w") as target:
        for name, data in members.items():
            target.writestr(name, data)
        target.writestr("extra.txt", b"added later")

    problems = {str(p) for p in check_bundle(broken)}

    assert "item.pdf: listed in SHA256SUMS but not in the bundle" in problems
    assert "extra.txt: not listed in SHA256SUMS" in problems


def test_a_file_that_is_not_a_zip_is_named(cli, tmp_path):
    path = _write(tmp_path, b"not a zip", "fake.zip")

    result = cli("verify-bundle", path)

    assert result.exit_code == 1
    assert f"{path}: not a readable ZIP archive" in result.stderr


def test_a_post_never_confirmed_or_escalated_has_no_bundle(org, make_post, cli, tmp_path):
    post = make_post()
    with pytest.raises(NoEvidence):
        build_bundle(org, [post.pk])

    result = cli("export-evidence", post.pk, "--org", org.slug, "--output", tmp_path / "b.zip")

    assert result.exit_code == 2
    assert f"post {post.pk} has no evidence" in result.stderr
    assert not (tmp_path / "b.zip").exists()


def test_hostile_text_is_escaped_in_the_page_and_written_in_the_pdf(
    tmp_path, org, members, make_post
):
    """Any character at all: markup, bidi overrides, CJK, emoji, NUL-like controls."""
    text = "\n".join(POSTS) + "\n\u202eevil\u202c 中文 😀 שלום \x07 " + "x" * 500
    post = make_post(text)
    record(org, post.pk, members["triage"], "triage", Decision(Action.ESCALATE, note=POSTS[0]))

    bundle = _write(tmp_path, build_bundle(org, [post.pk]))

    assert check_bundle(bundle) == []
    with zipfile.ZipFile(bundle) as archive:
        page = archive.read("item.html").decode()
        pdf = archive.read("item.pdf")
    assert "<script>window.__xss" not in page and "<img src=x" not in page
    assert "&lt;script&gt;window.__xss" in page
    assert "\u202e" not in page and "[U+202E]" in page
    tags = _tags(page)
    assert {tag for tag, _ in tags} <= PAGE_TAGS  # no script, img, link, iframe, form...
    assert [tag for tag, _ in tags].count("style") == 1  # the page's own
    assert not [(tag, name) for tag, attrs in tags for name, _ in attrs
                if name in ("src", "href", "action", "data") or name.startswith("on")]
    assert pdf.startswith(b"%PDF-") and len(pdf) > 1000


def test_a_case_of_several_posts_is_one_bundle(tmp_path, org, members, make_post, cli):
    posts = [make_post(), make_post()]
    for post in posts:
        record(org, post.pk, members["lead"], "lead", Decision(Action.CONFIRM))
    out = tmp_path / "case.zip"

    result = cli("export-evidence", *(p.pk for p in posts), "--org", org.slug,
                 "--output", out)

    assert result.exit_code == 0, result.output
    assert check_bundle(out) == []
    with zipfile.ZipFile(out) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert [item["post"] for item in manifest["items"]] == [p.pk for p in posts]
    assert [entry["seq"] for entry in manifest["chain"]] == [1, 2, 3, 4]


def test_verify_bundle_needs_no_django(bundle):
    """Whoever receives a bundle has tropewatch, not its database or settings."""
    script = (
        "import sys; from typer.testing import CliRunner; from tropewatch.cli import app; "
        f"result = CliRunner().invoke(app, ['verify-bundle', {str(bundle)!r}]); "
        "print(result.exit_code, sorted(m for m in sys.modules if m.startswith('django')))"
    )
    env = {key: value for key, value in os.environ.items()
           if key not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env={**env, "PYTHONPATH": str(REPO)}, check=True)

    assert done.stdout.split("\n")[0] == "0 []", done.stdout + done.stderr
