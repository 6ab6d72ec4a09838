"""The shipped fine-tuned transformer: integrity, deterministic scores, torch-free inference."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from tropewatch.detector.bundle import TRANSFORMER_DIR
from tropewatch.detector.training.dataset import Example, dedup_key
from tropewatch.detector.training.train_transformer import (
    HATEXPLAIN_SAMPLE,
    WEIGHT_BITS,
    quantize,
    training_examples,
)
from tropewatch.detector.transformer import TransformerScorer, load_transformer

# Mixed lengths, so sorting into batches actually reorders them.
POSTS = [
    "Happy Hanukkah to all our Jewish neighbours!",
    "The Jews control the banks and the media, wake up.",
    "Israel's government announced new settlement construction today, drawing criticism.",
    "",
    "I was called a kike at school today and nobody said anything. This has to stop.",
    "Zionists run every government, the ZOG must be exposed",
    "Shabbat shalom",
    "Read the report on the rise of antisemitic incidents: https://example.org/report",
    "lol",
    "Jewish communities across Europe are worried about security after the attack on a "
    "synagogue; leaders met with police to discuss protection for the high holidays.",
]


@pytest.fixture(scope="module")
def scorer():
    return load_transformer()


def test_meta_sha256_matches_the_shipped_model(scorer) -> None:
    digest = hashlib.sha256((TRANSFORMER_DIR / "model.onnx").read_bytes()).hexdigest()
    assert scorer.meta["model_sha256"] == digest


def test_artifact_fits_the_size_budget() -> None:
    size = sum(p.stat().st_size for p in TRANSFORMER_DIR.iterdir())
    assert size <= 30 * 1024 * 1024


def test_artifact_carries_its_licence_notices(scorer) -> None:
    notice = (TRANSFORMER_DIR / "LICENSE-NOTICE.txt").read_text(encoding="utf-8")
    assert "Apache License" in notice and "Attribution 4.0" in notice and "Jikeli" in notice
    assert scorer.meta["base_model"]["licence"] == "Apache-2.0"


def _integer_weights(model_path) -> list[np.ndarray]:
    """The weight matrices that the model's integer matrix products multiply by."""
    model = onnx.load(str(model_path))
    initializers = {i.name: i for i in model.graph.initializer}
    return [numpy_helper.to_array(initializers[node.input[1]]) for node in model.graph.node
            if node.op_type == "MatMulInteger" and node.input[1] in initializers]


def _one_node_model(op: str, weight: np.ndarray, input_type: int,
                    output_type: int) -> onnx.ModelProto:
    """A model of a single node, ``y = op(x, w)``, with the weight stored in the graph."""
    rows, columns = weight.shape
    graph = helper.make_graph(
        [helper.make_node(op, ["x", "w"], ["y"])], op,
        [helper.make_tensor_value_info("x", input_type, [None, rows])],
        [helper.make_tensor_value_info("y", output_type, [None, columns])],
        initializer=[numpy_helper.from_array(weight, "w")])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def test_shipped_weights_fit_in_seven_bits_so_every_cpu_scores_alike() -> None:
    weights = _integer_weights(TRANSFORMER_DIR / "model.onnx")
    assert weights and all(w.dtype == np.int8 for w in weights)
    limit = 2 ** (WEIGHT_BITS - 1)  # symmetric: -64..64
    assert max(int(np.abs(w.astype(np.int16)).max()) for w in weights) <= limit


def test_quantize_writes_seven_bit_per_channel_weights(tmp_path) -> None:
    rng = np.random.default_rng(0)
    weight = rng.normal(size=(64, 16)).astype(np.float32)
    weight[:, 0] *= 100  # one column far wider than the rest: per-channel scales
    onnx.save(_one_node_model("MatMul", weight, TensorProto.FLOAT, TensorProto.FLOAT),
              str(tmp_path / "fp32.onnx"))

    quantize(tmp_path / "fp32.onnx", tmp_path / "int8.onnx")

    (quantized,) = _integer_weights(tmp_path / "int8.onnx")
    magnitude = np.abs(quantized.astype(np.int16)).max(axis=0)
    assert magnitude.max() <= 2 ** (WEIGHT_BITS - 1)
    # per channel: the narrow columns reach the top of the range as the wide one does
    assert (magnitude >= 2 ** (WEIGHT_BITS - 1) - 1).all()


def test_onnxruntime_multiplies_seven_bit_weights_exactly() -> None:
    """The platform fact behind WEIGHT_BITS: the largest activations times the largest
    7-bit weights come out exact on this CPU, whether or not it has VNNI."""
    rng = np.random.default_rng(0)
    limit = 2 ** (WEIGHT_BITS - 1)
    weights = rng.integers(-limit, limit + 1, size=(384, 32)).astype(np.int8)
    weights[:, 0], weights[:, 1] = limit, -limit
    model = _one_node_model("MatMulInteger", weights, TensorProto.UINT8, TensorProto.INT32)
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    activations = np.vstack([np.full((1, 384), 255, np.uint8),
                             rng.integers(0, 256, size=(20, 384)).astype(np.uint8)])

    (product,) = session.run(None, {"x": activations})

    exact = activations.astype(np.int64) @ weights.astype(np.int64)
    assert np.array_equal(product, exact)


def test_tokenizer_truncates_at_the_trained_length_and_does_not_pad(scorer) -> None:
    config = json.loads((TRANSFORMER_DIR / "tokenizer.json").read_text(encoding="utf-8"))
    assert config["padding"] is None
    assert config["truncation"]["max_length"] == scorer.meta["training"]["max_length"]


def test_scores_are_probabilities_in_input_order(scorer) -> None:
    scores = scorer.predict_proba(POSTS)
    assert scores.shape == (len(POSTS),)
    assert np.all((scores > 0) & (scores < 1))
    one_by_one = [scorer.predict_proba([post])[0] for post in POSTS]
    np.testing.assert_allclose(scores, one_by_one, atol=1e-5)


def test_a_score_does_not_depend_on_the_other_posts_or_their_order(scorer) -> None:
    reference = scorer.predict_proba(POSTS)
    permutation = np.random.default_rng(0).permutation(len(POSTS))
    shuffled = scorer.predict_proba([POSTS[i] for i in permutation])
    np.testing.assert_allclose(shuffled, reference[permutation], atol=1e-5)
    with_others = scorer.predict_proba(POSTS[:2] + ["x " * 200] + POSTS[2:])
    np.testing.assert_allclose(np.delete(with_others, 2), reference, atol=1e-5)


def test_thread_count_does_not_change_scores(scorer) -> None:
    single = TransformerScorer(TRANSFORMER_DIR, threads=1)
    np.testing.assert_allclose(single.predict_proba(POSTS), scorer.predict_proba(POSTS),
                               atol=1e-5)


def test_repeated_calls_give_identical_scores(scorer) -> None:
    np.testing.assert_array_equal(scorer.predict_proba(POSTS), scorer.predict_proba(POSTS))


def test_the_model_reads_a_disguised_word_as_the_word_it_disguises(scorer) -> None:
    plain, *disguised = scorer.predict_logits([
        "The Jews own the media", "The J.e.w.s own the m3dia", "The Jеws own the mеdia"])
    assert disguised == [plain, plain]  # the second hides Cyrillic "е"s


def test_who_posted_or_was_addressed_does_not_change_the_score(scorer) -> None:
    post = "{} the Jews control the banks, look it up {}"
    scores = scorer.predict_proba([post.format("@alice", "https://a.example/1"),
                                   post.format("@GoodCitizen42", "http://b.example/xyz")])
    assert scores[0] == pytest.approx(scores[1], abs=1e-6)


def test_a_clearly_antisemitic_post_outscores_a_holiday_greeting(scorer) -> None:
    hateful, greeting = scorer.predict_proba([
        "The Jews are parasites who control the banks and the media and should be removed.",
        "Happy Hanukkah and chag sameach to everyone celebrating tonight!",
    ])
    assert hateful > greeting


def test_empty_input_gives_no_scores(scorer) -> None:
    assert scorer.predict_proba([]).shape == (0,)


def test_rejects_fewer_than_one_thread() -> None:
    with pytest.raises(ValueError, match="threads"):
        TransformerScorer(TRANSFORMER_DIR, threads=0)


def test_inference_does_not_import_torch() -> None:
    code = (
        "import sys\n"
        "from tropewatch.detector.transformer import load_transformer\n"
        "load_transformer().predict_proba(['Shabbat shalom'])\n"
        "heavy = sorted(m for m in ('torch', 'transformers') if m in sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _examples(group: str, label: int, count: int) -> list[Example]:
    texts = [f"{group} post number {i}" for i in range(count)]
    return [Example(text, label, group, "", dedup_key(text)) for text in texts]


def test_training_uses_only_train_rows_and_caps_the_large_hatexplain_groups() -> None:
    isca = _examples("Jews", 0, 300)
    hatexplain = (_examples("hatexplain-jewish", 1, 500)
                  + _examples("hatexplain-other", 0, 4000))
    chosen = training_examples(isca, hatexplain, seed=13)
    assert all(e.split == "train" for e in chosen)
    by_group = {g: sum(e.group == g for e in chosen) for g in {e.group for e in chosen}}
    assert by_group["Jews"] == sum(e.split == "train" for e in isca)
    assert by_group["hatexplain-jewish"] == sum(
        e.split == "train" and e.group == "hatexplain-jewish" for e in hatexplain)
    assert by_group["hatexplain-other"] == HATEXPLAIN_SAMPLE["hatexplain-other"]
    assert chosen == training_examples(isca, hatexplain, seed=13)
    assert chosen != training_examples(isca, hatexplain, seed=14)
