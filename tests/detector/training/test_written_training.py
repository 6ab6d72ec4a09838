"""The written training posts join the n-gram model's and the transformer's training, never
with a post of a report set, and never in the floors (shares of a term's uses as found)."""

from tropewatch.detector.training.dataset import Example, dedup_key
from tropewatch.detector.training.train import (
    WRITTEN_GROUP,
    report_set_keys,
    written_examples,
)
from tropewatch.detector.training.train_transformer import training_examples


def test_written_examples_are_labelled_both_ways_and_share_no_key_with_a_report_set():
    examples = written_examples()

    assert len(examples) > 2500
    assert {e.group for e in examples} == {WRITTEN_GROUP}
    assert {e.label for e in examples} == {0, 1}
    assert not {e.key for e in examples} & report_set_keys()


def test_the_transformer_trains_on_them_beside_the_shared_data():
    isca = [Example(f"isca post {i}", i % 2, "Jews", "", dedup_key(f"isca post {i}"))
            for i in range(200)]
    written = written_examples()[:10]

    chosen = training_examples(isca, [], seed=13, written=written)

    assert chosen[-10:] == written
    assert chosen[:-10] == training_examples(isca, [], seed=13)
