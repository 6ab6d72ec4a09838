"""Checking an evidence bundle on its own, with nothing but the file: plain Python, no
Django and no database, so ``tropewatch verify-bundle`` runs on any machine.

A bundle holds ``SHA256SUMS`` (``sha256sum -c`` reads it), ``manifest.json``, the records
under ``records/`` byte for byte as they were hashed into the chain, supporters' screenshots
under ``screenshots/``, and ``item.html`` and ``item.pdf``. Each problem found names the file
it is in.
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .canonical import link_hash, sha256_hex

BUNDLE_FORMAT = "tropewatch-evidence-bundle/1"
SUMS = "SHA256SUMS"
MANIFEST = "manifest.json"
# Bundles are a few megabytes; a member claiming more is not one of ours (or a zip bomb).
MAX_MEMBER_BYTES = 200 * 1024 * 1024
_SUM_LINE = re.compile(r"([0-9a-f]{64}) [ *](.+)")


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.reason}"


def check_bundle(path: Path) -> list[Problem]:
    """Every problem with the bundle at ``path``; empty when it verifies."""
    try:
        with zipfile.ZipFile(path) as archive:
            members, problems = _read_members(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        return [Problem(str(path), f"not a readable ZIP archive ({exc})")]
    if SUMS not in members:
        return [*problems, Problem(SUMS, "missing")]
    sums, sum_problems = _parse_sums(members[SUMS])
    problems += sum_problems
    for name, digest in sums.items():
        if name not in members:
            problems.append(Problem(name, f"listed in {SUMS} but not in the bundle"))
        elif sha256_hex(members[name]) != digest:
            problems.append(Problem(name, f"its SHA-256 differs from {SUMS}"))
    problems += [Problem(name, f"not listed in {SUMS}")
                 for name in members if name != SUMS and name not in sums]
    if MANIFEST not in members:
        return [*problems, Problem(MANIFEST, "missing")]
    try:
        manifest = json.loads(members[MANIFEST])
        problems += _check_manifest(manifest, members)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        problems.append(Problem(MANIFEST, f"not a bundle manifest ({exc!r})"))
    return problems


def _read_members(archive: zipfile.ZipFile) -> tuple[dict[str, bytes], list[Problem]]:
    members: dict[str, bytes] = {}
    problems = []
    for info in archive.infolist():
        if info.is_dir():
            continue
        if info.filename in members:
            problems.append(Problem(info.filename, "appears twice in the archive"))
        elif info.file_size > MAX_MEMBER_BYTES:
            problems.append(Problem(info.filename, f"larger than {MAX_MEMBER_BYTES} bytes"))
        else:
            members[info.filename] = archive.read(info)
    return members, problems


def _parse_sums(data: bytes) -> tuple[dict[str, str], list[Problem]]:
    sums: dict[str, str] = {}
    problems = []
    for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
        match = _SUM_LINE.fullmatch(line)
        if match is None:
            problems.append(Problem(SUMS, f"line {number} is not '<sha256>  <file>'"))
        else:
            sums[match[2]] = match[1]
    return sums, problems


def _check_manifest(manifest: dict[str, Any], members: dict[str, bytes]) -> list[Problem]:
    if manifest.get("format") != BUNDLE_FORMAT:
        return [Problem(MANIFEST, f"format is {manifest.get('format')!r}, not {BUNDLE_FORMAT}")]
    problems = []
    for name, digest in manifest["files"].items():
        if name not in members:
            problems.append(Problem(name, f"listed in {MANIFEST} but not in the bundle"))
        elif sha256_hex(members[name]) != digest:
            problems.append(Problem(name, f"its SHA-256 differs from {MANIFEST}"))
    org_id = manifest["org"]["id"]
    previous: dict[str, Any] | None = None
    for entry in manifest["chain"]:
        problems += _check_link(org_id, entry, previous, members)
        previous = entry
    return problems + _check_screenshots(manifest, members)


def _check_screenshots(manifest: dict[str, Any], members: dict[str, bytes]) -> list[Problem]:
    """Each screenshot a chained evidence record names is listed, as that record hashed it:
    the record is in the chain, so its screenshots are too. (Bundles made before screenshots
    were bundled list none, and their records name none.)"""
    listed = {shot["submission"]: shot for shot in manifest.get("screenshots", [])}
    problems = []
    for entry in manifest["chain"]:
        record = entry["file"]
        if entry["kind"] != "evidence" or record not in members:
            continue  # a missing record is reported by its link
        for recorded in json.loads(members[record]).get("screenshots", []):
            shot = listed.get(recorded["submission"])
            if shot is None or shot["sha256"] != recorded["sha256"]:
                problems.append(Problem(record, f"its screenshot of submission "
                                                f"{recorded['submission']} is not in "
                                                f"{MANIFEST} as it hashed it"))
            elif shot["file"] is not None and (shot["file"] not in members or sha256_hex(
                    members[shot["file"]]) != recorded["sha256"]):
                problems.append(Problem(shot["file"], f"not the screenshot {record} hashed"))
    return problems


def _check_link(org_id: int, entry: dict[str, Any], previous: dict[str, Any] | None,
                members: dict[str, bytes]) -> list[Problem]:
    name = entry["file"]
    if name not in members:
        return [Problem(name, f"chain link {entry['seq']} names it, but it is missing")]
    problems = []
    record = members[name]
    if sha256_hex(record) != entry["record_hash"]:
        problems.append(Problem(name, f"its SHA-256 differs from chain link {entry['seq']}"))
    if json.loads(record).get("kind") != entry["kind"]:
        problems.append(Problem(name, f"not the {entry['kind']} record chain link "
                                      f"{entry['seq']} names"))
    expected = link_hash(org_id, entry["seq"], entry["kind"], entry["id"],
                         entry["record_hash"], entry["prev_hash"])
    if entry["link_hash"] != expected:
        problems.append(Problem(name, f"chain link {entry['seq']} does not match its fields"))
    if (previous is not None and entry["seq"] == previous["seq"] + 1
            and entry["prev_hash"] != previous["link_hash"]):
        problems.append(Problem(name, f"chain link {entry['seq']} does not follow link "
                                      f"{previous['seq']}"))
    return problems
