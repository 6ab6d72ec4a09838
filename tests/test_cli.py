"""The `tropewatch` command line, run through Typer's CliRunner against the real detector."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import typer.main
from shared_data import require_shared_data
from typer.testing import CliRunner

from tropewatch.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "posts.csv"
EVALUATION_KEYS = [
    "id",
    "antisemitic",
    "score",
    "categories",
    "spans",
    "counter_speech",
    "explanation",
    "policy",
    "model_version",
]

runner = CliRunner()


def _json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def _csv(tmp_path: Path, content: str, name: str = "posts.csv") -> str:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return str(path)


def _flat(text: str) -> str:
    """Rich wraps long lines; compare text with all runs of whitespace made single spaces."""
    return " ".join(text.split())


# --- scan --------------------------------------------------------------------------------


def test_scan_writes_the_detectors_verdict_for_each_row_to_the_output_file(tmp_path):
    from tropewatch.detector import detect

    posts = {
        "a7": "Shabbat shalom to everyone at the shul!",
        "b9": "The Rothschilds own the banks.",
    }
    rows = "".join(f'{post_id},"{text}"\n' for post_id, text in posts.items())
    source = _csv(tmp_path, "id,text\n" + rows)
    output = tmp_path / "out.jsonl"

    args = ["scan", source, "--text-column", "text", "--id-column", "id", "--output", str(output)]
    result = runner.invoke(app, args)

    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    records = _json_lines(output.read_text(encoding="utf-8"))
    assert [record["id"] for record in records] == list(posts)
    for record, text in zip(records, posts.values(), strict=True):
        assert list(record) == EVALUATION_KEYS
        expected = detect(text)
        assert record["antisemitic"] == expected.antisemitic
        assert record["score"] == pytest.approx(expected.score)


def test_scan_writes_only_json_lines_to_stdout_and_the_summary_to_stderr(tmp_path):
    source = _csv(tmp_path, "text\nHappy Purim!\nChag Pesach sameach\n")

    result = runner.invoke(app, ["scan", source])

    assert result.exit_code == 0, result.output
    assert [record["id"] for record in _json_lines(result.stdout)] == ["1", "2"]
    assert "2 rows" in result.stderr and "posts/s" in result.stderr


def test_scan_reads_standard_input_with_an_explicit_format():
    lines = '{"id": "s1", "text": "Shana tova"}\n{"id": "s2", "text": "Good morning"}\n'

    result = runner.invoke(
        app, ["scan", "-", "--format", "jsonl", "--id-column", "id"], input=lines
    )

    assert result.exit_code == 0, result.output
    assert [record["id"] for record in _json_lines(result.stdout)] == ["s1", "s2"]


def test_scan_policy_is_recorded_in_each_verdict(tmp_path):
    source = _csv(tmp_path, "text\nIsrael has no right to exist.\n")

    result = runner.invoke(app, ["scan", source, "--policy", "jda"])

    assert result.exit_code == 0, result.output
    assert _json_lines(result.stdout)[0]["policy"] == "jda"


def test_scan_warns_about_a_malformed_row_and_keeps_its_place(tmp_path):
    source = _csv(tmp_path, "id,text\n1,first\n2,too,many\n3,third\n")

    result = runner.invoke(app, ["scan", source, "--id-column", "id", "--batch-size", "2"])

    assert result.exit_code == 0, result.output
    records = _json_lines(result.stdout)
    assert [record["id"] for record in records] == ["1", "2", "3"]
    assert set(records[1]) == {"id", "error", "line"}
    assert records[1]["line"] == 3 and records[1]["error"].startswith("line 3:")
    assert f"{source}: line 3:" in result.stderr
    assert "1 unreadable" in result.stderr


def test_scan_strict_stops_at_the_first_malformed_row_with_exit_code_3(tmp_path):
    source = _csv(tmp_path, 'text\nfine\n"broken"quote\nnever reached\n')

    result = runner.invoke(app, ["scan", source, "--strict", "--batch-size", "1"])

    assert result.exit_code == 3
    assert f"{source}: line 3:" in result.stderr
    assert [record["id"] for record in _json_lines(result.stdout)] == ["1"]


def test_scan_gives_back_the_gil_switch_interval_it_lowered(tmp_path):
    source = _csv(tmp_path, 'text\nfine\n"broken"quote\n')
    before = sys.getswitchinterval()

    finished = runner.invoke(app, ["scan", source])
    stopped = runner.invoke(app, ["scan", source, "--strict"])

    assert (finished.exit_code, stopped.exit_code) == (0, 3)
    assert sys.getswitchinterval() == before


def test_scan_exits_2_naming_a_missing_column(tmp_path):
    source = _csv(tmp_path, "id,body\n1,hello\n")

    result = runner.invoke(app, ["scan", source, "--text-column", "text"])

    assert result.exit_code == 2
    assert "'text'" in result.stderr and "'body'" in result.stderr
    assert result.stdout == ""


def test_scan_exits_2_for_an_unknown_extension(tmp_path):
    source = _csv(tmp_path, "text\nhello\n", name="posts.xls")

    result = runner.invoke(app, ["scan", source])

    assert result.exit_code == 2
    assert "--format" in result.stderr


def test_scan_exits_2_for_a_missing_file(tmp_path):
    result = runner.invoke(app, ["scan", str(tmp_path / "absent.csv")])

    assert result.exit_code == 2
    assert "absent.csv" in result.stderr


def test_scan_of_an_empty_file_says_so_and_writes_nothing(tmp_path):
    source = _csv(tmp_path, "", name="posts.jsonl")

    result = runner.invoke(app, ["scan", source])

    assert result.exit_code == 0
    assert result.stdout == ""
    assert "no posts found" in result.stderr


def test_scan_of_the_bundled_examples_reads_every_row(tmp_path):
    output = tmp_path / "examples.jsonl"
    args = ["scan", str(EXAMPLES), "--text-column", "text", "--id-column", "id"]

    result = runner.invoke(app, [*args, "--output", str(output)])

    assert result.exit_code == 0, result.output
    records = _json_lines(output.read_text(encoding="utf-8"))
    with EXAMPLES.open(encoding="utf-8") as handle:
        expected_ids = [line.split(",", 1)[0] for line in handle.readlines()[1:]]
    assert [record["id"] for record in records] == expected_ids
    assert not [record for record in records if "error" in record]


# --- explain -----------------------------------------------------------------------------


def test_explain_shows_the_taxonomy_explainer_of_every_category_found():
    from tropewatch.detector import detect
    from tropewatch.detector.taxonomy import load_taxonomy

    text = "The Rothschilds control the banks and the media."
    verdict = detect(text)

    result = runner.invoke(app, ["explain", text])

    assert result.exit_code == 0, result.output
    assert verdict.categories, "this post should touch at least one category"
    for category in verdict.categories:
        assert _flat(load_taxonomy().category(category.id).explainer) in _flat(result.stdout)
    assert ("ANTISEMITIC" in result.stdout) == verdict.antisemitic


def test_explain_prints_markup_in_a_post_literally():
    text = "[bold red]Soros[/bold red] is the puppet master [link=http://x.test]click[/link]"

    result = runner.invoke(app, ["explain", text])

    assert result.exit_code == 0, result.output
    assert "[bold red]Soros[/bold red]" in result.stdout
    assert "[link=http://x.test]click[/link]" in result.stdout


def test_explain_does_not_pass_terminal_escape_sequences_through():
    result = runner.invoke(app, ["explain", "hello \x1b]0;pwned\x07 \x1b[2J world \u202e"])

    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "hello" in result.stdout and "world" in result.stdout


# --- eval and train ----------------------------------------------------------------------


# Eight posts whose verdicts are not in doubt (the shipped model scores the flagged ones 0.80
# or more and the others 0.03 or less; its threshold is 0.36), three of them labelled against
# their verdict on purpose so that every cell of the confusion matrix is filled.
LABELLED = [  # (text, label, group); the verdict and the cell it makes
    ("Hitler was right about the Jews.", 1, "Jews"),  # flagged: tp
    ("The Holocaust never happened, the six million is a lie.", 1, "Jews"),  # flagged: tp
    ("Good morning", 1, "Jews"),  # not flagged: fn
    ("Shabbat shalom to everyone at the shul!", 0, "Jews"),  # not flagged: tn
    ("Get the kikes out", 1, "[red]Slur"),  # flagged: tp
    ("Zionists control the media and the government.", 0, "[red]Slur"),  # flagged: fp
    ("The weather is lovely today.", 1, "[red]Slur"),  # not flagged: fn
    ("Chag Pesach sameach", 0, "[red]Slur"),  # not flagged: tn
]


def _tables(output: str) -> dict[str, list[list[str]]]:
    """The body rows of each Rich table in ``output``, by the title above the table."""
    tables: dict[str, list[list[str]]] = {}
    title = ""
    for line in output.splitlines():
        if line.startswith("│"):
            tables[title].append([cell.strip() for cell in line.strip("│").split("│")])
        elif line.strip() and line.strip()[0] not in "┏┃┡└":
            title = line.strip()
            tables[title] = []
    return tables


def test_eval_prints_hand_counted_metrics_overall_and_per_group(tmp_path):
    from tropewatch.detector import detect

    rows = "".join(f'"{text}",{label},{group}\n' for text, label, group in LABELLED)
    data = _csv(tmp_path, "Text,Biased,Keyword\n" + rows, name="labelled.csv")
    flagged = [detect(text).antisemitic for text, _, _ in LABELLED]
    assert flagged == [True, True, False, False, True, True, False, False], "precondition"

    result = runner.invoke(app, ["eval", data, "--split", "all"], env={"COLUMNS": "200"})

    assert result.exit_code == 0, result.output
    tables = _tables(result.stdout)
    # tp 3, fp 1, fn 2, tn 2: precision 3/4, recall 3/5, F1 2 * 0.75 * 0.6 / 1.35 = 2/3
    overall = [row[:3] + row[4:] for row in tables["Overall"]]  # without the F1 interval
    assert overall == [["0.750", "0.600", "0.667", "8"]]
    assert tables["Confusion matrix"] == [
        ["labelled antisemitic", "3", "2"],
        ["labelled not antisemitic", "1", "2"],
    ]
    # Jews: tp 2, fp 0, fn 1, tn 1: precision 1, recall 2/3, F1 2 * (2/3) / (5/3) = 0.8.
    # [red]Slur (shown literally, not as markup): one of each cell, so 1/2 throughout.
    by_group = {row[0]: row[1:5] + row[6:] for row in tables["By group"]}
    assert by_group == {
        "Jews": ["4", "1.000", "0.667", "0.800", "2", "0", "1", "1"],
        "[red]Slur": ["4", "0.500", "0.500", "0.500", "1", "1", "1", "1"],
    }


def test_eval_exits_2_when_the_label_column_is_missing(tmp_path):
    data = _csv(tmp_path, "Text,Keyword\nhello,Jews\n", name="labelled.csv")

    result = runner.invoke(app, ["eval", data, "--label-column", "Biased"])

    assert result.exit_code == 2
    assert "Biased" in result.stderr


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


def test_train_refuses_to_overwrite_the_shipped_model_with_its_own_version(tmp_path):
    from tropewatch.detector.bundle import DETECTOR_DIR, shipped_version

    before = (DETECTOR_DIR / "meta.json").read_bytes()
    args = ["train", "--data-dir", str(tmp_path), "--output-dir", str(DETECTOR_DIR.parent),
            "--version", shipped_version()]

    result = runner.invoke(app, args, env={"COLUMNS": "200"})

    assert result.exit_code == 2
    assert "shipped model" in _flat(result.stderr)
    assert (DETECTOR_DIR / "meta.json").read_bytes() == before


def test_train_refuses_a_version_of_another_form(tmp_path):
    args = ["train", "--data-dir", str(tmp_path), "--version", "v2"]

    result = runner.invoke(app, args, env={"COLUMNS": "200"})

    assert result.exit_code == 2
    assert "YEAR.MONTH.N" in _flat(result.stderr)


@pytest.mark.slow
@pytest.mark.data
def test_train_rebuilds_the_shipped_model(trained):
    """The shipped bundle is what the committed code and data train. Tolerances, not
    equality: float rounding may differ in the last places between CPUs."""
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


# --- the interface itself ----------------------------------------------------------------


def test_help_documents_every_command_and_option():
    cli = typer.main.get_command(app)

    assert cli.commands
    for name, command in cli.commands.items():
        assert command.help, f"command {name} has no help text"
        for param in command.params:
            assert param.help, f"{name} {param.name} has no help text"


def test_scan_help_documents_the_exit_codes():
    result = runner.invoke(app, ["scan", "--help"], env={"COLUMNS": "200"})

    help_text = _flat(result.stdout)
    assert "Exit codes: 0" in help_text and "2 usage or input error" in help_text
    assert "3 an unreadable row with --strict" in help_text


def test_an_unknown_policy_is_refused_naming_the_choices():
    result = runner.invoke(app, ["explain", "hello", "--policy", "ihra-lite"],
                           env={"COLUMNS": "200"})

    assert result.exit_code == 2
    assert all(name in _flat(result.stderr) for name in ("'ihra'", "'ihra-core'", "'jda'"))
