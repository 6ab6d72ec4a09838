from tropewatch.detector.training.dataset import (
    HATEXPLAIN_WEIGHT,
    Example,
    dedup_key,
    deduplicate,
    split_of,
    training_weight,
)


def test_copies_differing_in_handles_links_case_and_punctuation_share_a_dedup_key():
    assert dedup_key("RT @a: The Jews!! https://t.co/x") == dedup_key("rt @b the jews http://t.co/y")
    assert dedup_key("the Jews") != dedup_key("the Jews are")


def test_split_is_a_pure_function_of_the_key():
    keys = [f"post number {i}" for i in range(2000)]
    first = [split_of(k) for k in keys]
    assert first == [split_of(k) for k in keys]
    share = {name: first.count(name) / len(keys) for name in ("train", "dev", "test")}
    assert 0.65 < share["train"] < 0.75 and 0.11 < share["dev"] < 0.19


def test_it_drops_texts_whose_copies_disagree_and_keeps_one_copy_of_the_rest():
    rows = [("same text", 1, "Jews", ""), ("Same text!", 1, "Jews", ""),
            ("torn", 1, "Israel", ""), ("TORN", 0, "Israel", ""), ("alone", 0, "Jews", "")]
    examples, conflicting = deduplicate(rows)
    assert conflicting == 1
    assert sorted(e.text for e in examples) == ["alone", "same text"]


def test_generic_hatexplain_rows_weigh_less_than_expert_labels_and_hate_at_jews() -> None:
    def example(group: str, label: int) -> Example:
        return Example(f"a post in {group}", label, group, "", dedup_key(f"a post in {group}"))

    isca, jewish = example("Israel", 1), example("hatexplain-jewish", 1)
    other, normal = example("hatexplain-other", 0), example("hatexplain-normal", 0)
    assert training_weight(isca) == training_weight(jewish) == 1.0
    assert training_weight(other) == training_weight(normal) == HATEXPLAIN_WEIGHT < 1.0
