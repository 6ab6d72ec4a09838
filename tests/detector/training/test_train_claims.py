"""Choosing the trope × stance stage: the written posts it learns from, held out by writer."""

import numpy as np
import pytest

from tropewatch.detector.training.dataset import dedup_key
from tropewatch.detector.training.train_claims import held_out_by_writer, load_written_train

HEADER = "set,text,label,kind,trope\n"


def test_written_posts_are_read_per_writer_without_duplicates_or_report_posts(tmp_path):
    (tmp_path / "ann.csv").write_text(
        HEADER + "ann-001,They run the banks.,1,assertion,power_control\n"
        "ann-001,No they don't.,0,refutation,power_control\n"
        "ann-002,they run the banks!,1,assertion,power_control\n", encoding="utf-8")
    (tmp_path / "bob.csv").write_text(
        HEADER + "bob-001,A post in the dev set.,0,adjacent,power_control\n", encoding="utf-8")

    posts = load_written_train(tmp_path, frozenset({dedup_key("A post in the dev set.")}))

    assert [(p.writer, p.text, p.kind) for p in posts] == [
        ("ann", "They run the banks.", "assertion"), ("ann", "No they don't.", "refutation")]


def test_an_unknown_kind_names_the_file_and_line(tmp_path):
    (tmp_path / "ann.csv").write_text(
        HEADER + "ann-001,Fine.,0,adjacent,power_control\nann-001,Hm.,0,sarcasm,x\n",
        encoding="utf-8")

    with pytest.raises(ValueError, match=r"ann.csv: line 3: kind 'sarcasm'"):
        load_written_train(tmp_path)


def test_a_writers_held_out_scores_do_not_depend_on_that_writers_own_labels():
    rng = np.random.default_rng(0)
    features = rng.normal(size=(90, 4))
    writers = np.repeat(["a", "b", "c"], 30)
    stances = np.where(features[:, 0] > 0, "endorse", "reject")
    flipped = stances.copy()
    flipped[writers == "a"] = np.where(stances[writers == "a"] == "endorse", "reject",
                                       "endorse")

    original = held_out_by_writer(features, stances, writers, 1.0)
    changed = held_out_by_writer(features, flipped, writers, 1.0)

    assert np.array_equal(original[writers == "a"], changed[writers == "a"])
    assert not np.array_equal(original[writers == "b"], changed[writers == "b"])
    # Learned from the other writers, the rule (feature 0 decides) still holds out of sample.
    assert np.mean((original > 0.5) == (stances == "endorse")) > 0.9
