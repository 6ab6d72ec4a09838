"""How often the shipped detector flags each kind of hand-written probe, per policy.

The probes in ``probes.csv`` are a reporting check only: nothing may train on them or
tune a threshold against them, or they stop measuring anything (see README.md).

    .venv/bin/python probes/evaluate_probes.py            # the table
    .venv/bin/python probes/evaluate_probes.py --errors   # plus every misjudged probe
    .venv/bin/python probes/evaluate_probes.py --model-dir var/models/2026.12.1/detector
"""

from __future__ import annotations

import argparse
import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tropewatch.detector import POLICIES
from tropewatch.detector.bundle import DETECTOR_DIR
from tropewatch.detector.pipeline import Detector

PROBES_CSV = Path(__file__).with_name("probes.csv")
COLUMNS = ("id", "kind", "label", "text")

# Each kind has exactly one correct label, so a kind's share flagged is its
# false-positive rate (label 0) or its recall (label 1). Table rows follow this order.
KIND_LABELS = {
    "callout": 0,
    "news": 0,
    "jewish_life": 0,
    "israel_criticism": 0,
    "israel_policy": 0,
    "other_hate": 0,
    "supportive": 0,
    "counter_narrative": 0,
    "generalisation": 0,
    "trope_counter": 0,
    "solidarity": 0,
    "antisemitic": 1,
    "trope_assertion": 1,
}


@dataclass(frozen=True, slots=True)
class Probe:
    id: str
    kind: str
    label: int
    text: str


class ProbeFileError(ValueError):
    def __init__(self, path: Path, line: int, problem: str) -> None:
        super().__init__(f"{path}, line {line}: {problem}")


def load_probes(path: Path = PROBES_CSV) -> list[Probe]:
    """Read and validate the probe file; any defect raises ``ProbeFileError`` naming its line."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None or tuple(header) != COLUMNS:
            raise ProbeFileError(path, 1, f"header must be {','.join(COLUMNS)}, got {header}")
        probes: list[Probe] = []
        seen_ids: set[str] = set()
        for row in reader:
            probe = _parse_row(row, path, reader.line_num)
            if probe.id in seen_ids:
                raise ProbeFileError(path, reader.line_num, f"duplicate id {probe.id!r}")
            seen_ids.add(probe.id)
            probes.append(probe)
    return probes


def _parse_row(row: list[str], path: Path, line: int) -> Probe:
    if len(row) != len(COLUMNS):
        raise ProbeFileError(path, line, f"expected {len(COLUMNS)} fields, got {len(row)}")
    probe_id, kind, label, text = row
    if not probe_id.strip():
        raise ProbeFileError(path, line, "id is empty")
    if kind not in KIND_LABELS:
        raise ProbeFileError(path, line, f"unknown kind {kind!r}; known: {', '.join(KIND_LABELS)}")
    expected = str(KIND_LABELS[kind])
    if label != expected:
        raise ProbeFileError(path, line,
                             f"label {label!r} contradicts kind {kind!r} (must be {expected})")
    if not text.strip():
        raise ProbeFileError(path, line, "text is empty")
    return Probe(probe_id, kind, int(label), text)


@dataclass(frozen=True, slots=True)
class KindRate:
    n: int
    flagged: int

    @property
    def share(self) -> float:
        return self.flagged / self.n


def flag_rates(probes: Sequence[Probe], flags: Sequence[bool]) -> dict[str, KindRate]:
    """Per kind (in ``KIND_LABELS`` order, kinds without probes left out): count and flagged."""
    if len(probes) != len(flags):
        raise ValueError(f"{len(probes)} probes but {len(flags)} verdicts")
    rates = {}
    for kind in KIND_LABELS:
        kind_flags = [flag for probe, flag in zip(probes, flags, strict=True) if probe.kind == kind]
        if kind_flags:
            rates[kind] = KindRate(len(kind_flags), sum(kind_flags))
    return rates


def format_table(rates_by_policy: dict[str, dict[str, KindRate]]) -> str:
    policies = list(rates_by_policy)
    kinds = list(next(iter(rates_by_policy.values())))
    header = ["kind", "n", "measure", *policies]
    rows = [header]
    for kind in kinds:
        measure = "recall" if KIND_LABELS[kind] == 1 else "flagged"
        first = rates_by_policy[policies[0]][kind]
        rows.append([kind, str(first.n), measure,
                     *(f"{rates_by_policy[p][kind].share:6.1%}" for p in policies)])
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) if i < 3 else cell.rjust(width)
                       for i, (cell, width) in enumerate(zip(row, widths, strict=True)))
             for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def misjudged(probes: Iterable[Probe], flags: Iterable[bool]) -> list[Probe]:
    return [probe for probe, flag in zip(probes, flags, strict=True) if flag != bool(probe.label)]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=PROBES_CSV, help="probe file to evaluate")
    parser.add_argument("--errors", action="store_true", help="list every misjudged probe")
    parser.add_argument("--model-dir", type=Path, default=DETECTOR_DIR,
                        help="a model bundle's detector folder (default: the shipped one), "
                             "e.g. a candidate `tropewatch train` wrote under var/models/")
    args = parser.parse_args(argv)
    detector = Detector(args.model_dir)

    probes = load_probes(args.csv)
    texts = [probe.text for probe in probes]
    rates_by_policy = {}
    for policy in POLICIES:
        flags = [verdict.antisemitic for verdict in detector.verdicts(texts, policy)]
        rates_by_policy[policy] = flag_rates(probes, flags)
        if args.errors:
            for probe in misjudged(probes, flags):
                print(f"[{policy}] {probe.id} (label {probe.label}): {probe.text}")
    print(f"model {detector.version}, {len(probes)} probes from {args.csv}\n")
    print(format_table(rates_by_policy))


if __name__ == "__main__":
    main()
