"""Loading, de-duplicating and splitting the annotated training data.

The ISCA file holds retweets and copies of the same text, sometimes with
conflicting labels. Splitting before de-duplication would put copies of one
tweet on both sides and inflate dev scores, so every text is reduced to a
de-duplication key first and the split is a pure function of that key: the
same text always lands in the same split, on every machine, without storing
row ids.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tropewatch.safecsv import unescape_cell

from ..normalize import mask_identifiers

ISCA_RELATIVE = Path("isca-goldstandard-2024") / "tweets.csv"
HATEXPLAIN_RELATIVE = Path("hatexplain") / "posts.csv"
# Posts written for tropewatch as a dev set, shipped with it (data/written/README.md says
# how): training reports how the detector does on each kind.
WRITTEN_DEV = Path(__file__).parents[1] / "data" / "written" / "dev.csv"

# Percent buckets of the key hash: 70% train, 15% dev (threshold and
# calibration are tuned here), 15% test (reported, never tuned on).
SPLIT_BUCKETS = {"train": range(0, 70), "dev": range(70, 85), "test": range(85, 100)}

_NON_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    label: int  # 1 antisemitic, 0 not
    group: str  # the ISCA sampling keyword, or the source name
    date: str  # ISO date of the post where known, else ""
    key: str  # de-duplication key

    @property
    def split(self) -> str:
        return split_of(self.key)


def posted_by(example: Example, year: int) -> bool:
    """Whether the example is dated no later than ``year`` (undated ones are not)."""
    return example.date[:4].isdigit() and int(example.date[:4]) <= year


def dedup_key(text: str) -> str:
    """Texts that differ only by handles, links, case and punctuation share a key."""
    return _NON_WORD.sub(" ", mask_identifiers(text).casefold()).strip()


def split_of(key: str) -> str:
    bucket = int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:8], 16) % 100
    for name, buckets in SPLIT_BUCKETS.items():
        if bucket in buckets:
            return name
    raise AssertionError("buckets cover 0..99")


def deduplicate(rows: Iterable[tuple[str, int, str, str]]) -> tuple[list[Example], int]:
    """Collapse rows to one example per key; drop keys whose copies disagree.

    Returns the examples (first occurrence's text, group and date) and the number
    of keys dropped for conflicting labels.
    """
    first: dict[str, Example] = {}
    labels: dict[str, set[int]] = {}
    for text, label, group, date in rows:
        key = dedup_key(text)
        if not key:
            continue
        labels.setdefault(key, set()).add(label)
        first.setdefault(key, Example(text, label, group, date, key))
    conflicting = {k for k, seen in labels.items() if len(seen) > 1}
    return [ex for k, ex in first.items() if k not in conflicting], len(conflicting)


def read_labelled_csv(
    path: Path, text_column: str, label_column: str, group_column: str | None = None,
    date_column: str | None = None,
) -> Iterable[tuple[str, int, str, str]]:
    """Yield (text, label, group, date) rows; labels must be 0/1.

    Text and group cells that tropewatch's CSV writer escaped against spreadsheet formulas
    (``tropewatch export-labels``) are read back as they were before.
    """
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {c for c in (text_column, label_column, group_column, date_column) if c} - set(
            reader.fieldnames or []
        )
        if missing:
            raise ValueError(
                f"{path}: missing column(s) {sorted(missing)}; found {reader.fieldnames}"
            )
        for line_no, row in enumerate(reader, start=2):
            raw = (row[label_column] or "").strip()
            if raw not in {"0", "1"}:
                raise ValueError(f"{path}, line {line_no}: {label_column}={raw!r} is not 0 or 1")
            yield (
                unescape_cell(row[text_column] or ""),
                int(raw),
                unescape_cell(row[group_column] or "") if group_column else "",
                (row[date_column] or "")[:10] if date_column else "",
            )


# HateXplain labels generic hate toward a group, not an IHRA judgement, so its posts
# count less than ISCA's expert labels, in every stage's training. Except hate or offence
# aimed at Jews: that is antisemitism under any of the definitions, so those posts count
# fully. That raises recall on them without costing ISCA F1; the model card's notes from
# earlier measurements give the figures.
HATEXPLAIN_WEIGHT = 0.3
HATEXPLAIN_JEWISH_WEIGHT = 1.0


def training_weight(example: Example) -> float:
    """How much an example counts when a stage is fitted."""
    if example.group == "hatexplain-jewish":
        return HATEXPLAIN_JEWISH_WEIGHT
    return HATEXPLAIN_WEIGHT if example.group.startswith("hatexplain") else 1.0


def load_isca(data_dir: Path) -> tuple[list[Example], int]:
    """The ISCA gold-standard tweets, de-duplicated."""
    path = data_dir / ISCA_RELATIVE
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: pass --data-dir pointing at shared/data")
    return deduplicate(read_labelled_csv(path, "Text", "Biased", "Keyword", "CreateDate"))


def load_hatexplain(data_dir: Path) -> list[Example]:
    """HateXplain posts as extra, different-domain examples.

    HateXplain labels generic hate and offence with the group targeted, not an
    IHRA judgement. Hate or offence aimed at Jews is used as antisemitic; hate at
    other groups and normal posts as not antisemitic, so the model learns that
    hostility alone is not antisemitism. The official test split is not shipped.
    Groups are ``hatexplain-jewish`` / ``hatexplain-other`` / ``hatexplain-normal``.
    """
    path = data_dir / HATEXPLAIN_RELATIVE
    if not path.exists():
        return []
    out: list[Example] = []
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            label = row["majority_label"] or row["kaggle_label"]
            votes = float(row["jewish_target_votes"] or 0)
            jewish = row["kaggle_religion"] == "Jewish" or votes >= 2
            text = row["text"].replace("<user>", "@user").replace("<number>", "0")
            if label in {"hatespeech", "offensive"}:
                group, y = ("hatexplain-jewish", 1) if jewish else ("hatexplain-other", 0)
            elif label == "normal":
                group, y = "hatexplain-normal", 0
            else:
                continue
            out.append(Example(text, y, group, "", dedup_key(text)))
    return out


def load_written(path: Path) -> list[Example]:
    """Posts written for tropewatch, one group per kind (``written-assertion``,
    ``written-refutation``, ...). They are not split: the file is a dev set as a whole."""
    return [Example(text, label, f"written-{kind}", "", dedup_key(text))
            for text, label, kind, _ in read_labelled_csv(path, "text", "label", "kind")]
