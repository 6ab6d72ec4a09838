"""`tropewatch train` on the shared data: it writes a full bundle where it says, and that
bundle is the shipped one. Minutes of training, so marked slow: `make test` leaves them out
and CI runs them (`make test-slow`)."""

from __future__ import annotations

import json

import pytest
from shared_data import require_shared_data
from typer.testing import CliRunner

from tropewatch.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """`tropewatch train` run once on the shared data, with its default output folder (under
    var/ of the directory it runs in): (its result, where it wrote)."""
    shared_data = require_shared_data()  # skipped where it is missing, failing under CI
    workdir = tmp_path_factory.mktemp("train")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(workdir)
        args = ["train", "--data-dir", str(shared_data), "--version", "2099.1.1"]
        result = runner.invoke(app, args, env={"COLUMNS": "200"})
    return result, workdir / "var" / "models" / "2099.1.1"


@pytest.mark.slow
@pytest.mark.data
def test_train_prints_where_the_model_went_and_its_dev_metrics(trained):
    result, output_dir = trained

    assert result.exit_code == 0, result.output
    assert "Model written to var/models/2099.1.1" in result.stdout
    meta = json.loads((output_dir / "detector" / "meta.json").read_text(encoding="utf-8"))
    assert meta["version"] == "2099.1.1" and meta["transformer"] == "transformer"
    assert (output_dir / "transformer" / "model.onnx").is_file()
    assert "Confusion matrix" in result.stdout and "By group" in result.stdout


@pytest.mark.slow
@pytest.mark.data
def test_train_rebuilds_the_shipped_model(trained):
    """The shipped bundle is what the committed code and data train, on any CPU: training
    replays the transformer's recorded logits (stored_logits.py), so the threshold must match
    exactly. Tolerances elsewhere only for the linear algebra's last places."""
    from tropewatch.detector.bundle import DETECTOR_DIR

    result, output_dir = trained
    assert result.exit_code == 0, result.output
    rebuilt = json.loads((output_dir / "detector" / "meta.json").read_text(encoding="utf-8"))
    shipped = json.loads((DETECTOR_DIR / "meta.json").read_text(encoding="utf-8"))

    assert rebuilt["threshold"] == shipped["threshold"]
    assert rebuilt["combiner"]["weights"].keys() == shipped["combiner"]["weights"].keys()
    for name, weight in shipped["combiner"]["weights"].items():
        assert rebuilt["combiner"]["weights"][name] == pytest.approx(weight, abs=0.005), name
    assert rebuilt["combiner"]["intercept"] == pytest.approx(
        shipped["combiner"]["intercept"], abs=0.005)
    for split in ("dev_out_of_fold", "test_isca", "test_hatexplain", "dev_written"):
        assert (rebuilt["metrics"][split]["overall"]["f1"]
                == pytest.approx(shipped["metrics"][split]["overall"]["f1"], abs=0.005)), split


