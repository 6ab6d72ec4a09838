"""The posts written for tropewatch as a dev set (tropewatch/detector/data/written): the
loader, and the shipped file's integrity. Like the probes, nothing here asserts detector
results."""

import csv
from pathlib import Path

import pytest

from tropewatch.detector.training.dataset import WRITTEN_DEV, dedup_key, load_written

PROBES = Path(__file__).resolve().parents[2] / "probes" / "probes.csv"
KIND_LABELS = {"assertion": 1, "refutation": 0, "supportive": 0, "israel_criticism": 0,
               "innocent_use": 0}


def test_each_kind_becomes_its_own_group(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("text,label,kind\nThey run the banks,1,assertion\n"
                    "'They run the banks' is an old lie,0,refutation\n", encoding="utf-8")
    posts = load_written(path)
    assert [(p.group, p.label) for p in posts] == [("written-assertion", 1),
                                                   ("written-refutation", 0)]
    assert posts[0].key != posts[1].key


@pytest.mark.parametrize(("content", "problem"), [
    ("text,label,kind\nfine,1,assertion\nbad,yes,assertion\n", "line 3: label='yes'"),
    ("text,label\nno kind,1\n", "missing column(s) ['kind']"),
])
def test_a_bad_file_is_named_with_its_problem(tmp_path: Path, content: str,
                                              problem: str) -> None:
    path = tmp_path / "posts.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=r"posts\.csv") as error:
        load_written(path)
    assert problem in str(error.value)


def test_shipped_labels_agree_with_kinds() -> None:
    posts = load_written(WRITTEN_DEV)
    assert [p.text for p in posts
            if KIND_LABELS[p.group.removeprefix("written-")] != p.label] == []


def test_shipped_file_shares_no_post_with_itself_or_the_probes() -> None:
    with PROBES.open(encoding="utf-8", newline="") as handle:
        probes = {dedup_key(row["text"]) for row in csv.DictReader(handle)}
    dev = [p.key for p in load_written(WRITTEN_DEV)]
    assert len(set(dev)) == len(dev)
    assert set(dev) & probes == set()
