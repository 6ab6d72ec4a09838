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
# Expectations are checked by hand: the Rothschild post is the puppet-master myth (IHRA
# example 2); "no right to exist" denies Jewish self-determination, an IHRA example (7) that
# the JDA does not count as antisemitic by itself; the greetings are Jewish life.

GREETING = "Shabbat shalom to everyone at the shul!"
ROTHSCHILD_MYTH = "The Rothschilds own the banks."
NO_RIGHT_TO_EXIST = "Israel has no right to exist."


def _verdicts(records: list[dict]) -> list[tuple[str, bool]]:
    return [(record["id"], record["antisemitic"]) for record in records]


def test_scan_writes_one_verdict_per_row_in_input_order_to_the_output_file(tmp_path):
    rows = f"a7,{GREETING}\nb9,{ROTHSCHILD_MYTH}\nc3,{NO_RIGHT_TO_EXIST}\nd4,Happy Purim!\n"
    source = _csv(tmp_path, "id,text\n" + rows)
    output = tmp_path / "out.jsonl"

    args = ["scan", source, "--text-column", "text", "--id-column", "id", "--output", str(output)]
    result = runner.invoke(app, args)

    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    records = _json_lines(output.read_text(encoding="utf-8"))
    assert _verdicts(records) == [("a7", False), ("b9", True), ("c3", True), ("d4", False)]
    assert all(list(record) == EVALUATION_KEYS for record in records)
    assert {record["policy"] for record in records} == {"ihra"}
    myth = records[1]
    assert [category["id"] for category in myth["categories"]] == ["rothschild_soros"]
    assert [(span["start"], span["end"]) for span in myth["spans"]] == [(0, 29)]
    assert records[0]["categories"] == [] and records[0]["spans"] == []
    assert "4 rows: 2 flagged, 0 unreadable" in result.stderr


def test_scan_writes_only_json_lines_to_stdout_and_the_summary_to_stderr(tmp_path):
    source = _csv(tmp_path, "text\nHappy Purim!\nChag Pesach sameach\n")

    result = runner.invoke(app, ["scan", source])

    assert result.exit_code == 0, result.output
    assert _verdicts(_json_lines(result.stdout)) == [("1", False), ("2", False)]
    assert "2 rows: 0 flagged, 0 unreadable" in result.stderr and "posts/s" in result.stderr


def test_scan_reads_json_lines_from_standard_input_with_an_explicit_format():
    lines = f'{{"id": "s1", "text": "Shana tova"}}\n{{"id": "s2", "text": "{ROTHSCHILD_MYTH}"}}\n'

    result = runner.invoke(
        app, ["scan", "-", "--format", "jsonl", "--id-column", "id"], input=lines
    )

    assert result.exit_code == 0, result.output
    assert _verdicts(_json_lines(result.stdout)) == [("s1", False), ("s2", True)]


def test_scan_reads_plain_text_from_standard_input_one_post_per_line():
    posts = f"\ufeff{GREETING}\r\n\n{ROTHSCHILD_MYTH}\n"

    result = runner.invoke(app, ["scan", "-", "--format", "txt"], input=posts.encode())

    assert result.exit_code == 0, result.output
    assert _verdicts(_json_lines(result.stdout)) == [("1", False), ("2", True)]


def test_scan_policy_decides_and_is_recorded_in_each_verdict(tmp_path):
    source = _csv(tmp_path, f"text\n{NO_RIGHT_TO_EXIST}\n{ROTHSCHILD_MYTH}\n")

    ihra = _json_lines(runner.invoke(app, ["scan", source]).stdout)
    jda = _json_lines(runner.invoke(app, ["scan", source, "--policy", "jda"]).stdout)

    assert _verdicts(ihra) == [("1", True), ("2", True)]
    assert _verdicts(jda) == [("1", False), ("2", True)]
    assert {record["policy"] for record in jda} == {"jda"}


def test_scan_warns_about_a_malformed_row_and_keeps_its_place(tmp_path):
    source = _csv(tmp_path, f"id,text\n1,first\n2,too,many\n3,{ROTHSCHILD_MYTH}\n")

    result = runner.invoke(app, ["scan", source, "--id-column", "id", "--batch-size", "2"])

    assert result.exit_code == 0, result.output
    first, broken, third = _json_lines(result.stdout)
    assert (first["id"], first["antisemitic"]) == ("1", False)
    assert broken == {
        "id": "2",
        "error": "line 3: row has 3 fields but the header has 2",
        "line": 3,
    }
    assert (third["id"], third["antisemitic"]) == ("3", True)
    assert f"warning: {source}: line 3: row has 3 fields but the header has 2" in result.stderr
    assert "3 rows: 1 flagged, 1 unreadable" in result.stderr


def test_scan_turns_a_line_that_is_not_json_into_an_error_row(tmp_path):
    source = _csv(tmp_path, '{"text": "Shalom"}\n\n{"text": "cut off\n', name="posts.jsonl")

    result = runner.invoke(app, ["scan", source])

    assert result.exit_code == 0, result.output
    good, broken = _json_lines(result.stdout)
    assert (good["id"], good["antisemitic"]) == ("1", False)
    assert broken == {
        "id": "2",
        "error": "line 3: invalid JSON at column 10: Unterminated string starting at",
        "line": 3,
    }


def test_scan_strict_stops_at_the_first_malformed_row_with_exit_code_3(tmp_path):
    source = _csv(tmp_path, 'text\nfine\n"broken"quote\nnever reached\n')

    result = runner.invoke(app, ["scan", source, "--strict", "--batch-size", "1"])

    assert result.exit_code == 3
    assert (
        "stopped at the first unreadable row (--strict): "
        f"{source}: line 3: malformed CSV: ',' expected after '\"'"
    ) in _flat(result.stderr)
    assert _verdicts(_json_lines(result.stdout)) == [("1", False)]


def test_scan_gives_back_the_gil_switch_interval_it_lowered(tmp_path):
    source = _csv(tmp_path, 'text\nfine\n"broken"quote\n')
    before = sys.getswitchinterval()

    finished = runner.invoke(app, ["scan", source])
    stopped = runner.invoke(app, ["scan", source, "--strict"])

    assert (finished.exit_code, stopped.exit_code) == (0, 3)
    assert sys.getswitchinterval() == before


def test_scan_exits_2_naming_a_missing_column_and_the_columns_found(tmp_path):
    source = _csv(tmp_path, "id,body\n1,hello\n")
    output = tmp_path / "out.jsonl"

    result = runner.invoke(app, ["scan", source, "--output", str(output)])

    assert result.exit_code == 2
    assert _flat(result.stderr) == (
        f"error: {source}: line 1: the header has no column 'text' (for text);"
        " its columns are 'id', 'body'"
    )
    assert not output.exists()  # refused before anything was written


def test_scan_exits_2_for_a_file_that_is_not_utf8_naming_the_line(tmp_path):
    source = tmp_path / "posts.txt"
    source.write_bytes(b"fine\ncaf\xe9\n")

    result = runner.invoke(app, ["scan", str(source)])

    assert result.exit_code == 2
    assert _flat(result.stderr) == (
        f"error: {source}: not UTF-8 text: invalid byte at offset 8 (line 2);"
        " export the file as UTF-8"
    )


def test_scan_exits_2_for_an_unknown_extension(tmp_path):
    source = _csv(tmp_path, "text\nhello\n", name="posts.xls")

    result = runner.invoke(app, ["scan", source])

    assert result.exit_code == 2
    assert f"{source}: cannot tell the format from the extension '.xls'" in _flat(result.stderr)
    assert "pass --format csv|jsonl|txt" in _flat(result.stderr)


def test_scan_exits_2_for_standard_input_without_a_format():
    result = runner.invoke(app, ["scan", "-"], input="hello\n")

    assert result.exit_code == 2
    assert "cannot guess the format of standard input; pass --format" in result.stderr


def test_scan_exits_2_for_an_id_column_in_plain_text(tmp_path):
    source = _csv(tmp_path, "hello\n", name="posts.txt")

    result = runner.invoke(app, ["scan", source, "--id-column", "id"])

    assert result.exit_code == 2
    assert "plain text has no id column" in result.stderr


def test_scan_exits_2_for_a_missing_file(tmp_path):
    missing = tmp_path / "absent.csv"

    result = runner.invoke(app, ["scan", str(missing)])

    assert result.exit_code == 2
    assert f"{missing}: cannot open: No such file or directory" in _flat(result.stderr)


@pytest.mark.parametrize("name", ["posts.jsonl", "posts.csv", "posts.txt"])
def test_scan_of_an_empty_file_says_so_and_writes_nothing(tmp_path, name):
    source = _csv(tmp_path, "", name=name)

    result = runner.invoke(app, ["scan", source])

    assert result.exit_code == 0
    assert result.stdout == ""
    assert f"no posts found in {source}" in _flat(result.stderr)


def test_scan_of_the_bundled_examples_reads_every_row(tmp_path):
    output = tmp_path / "examples.jsonl"
    args = ["scan", str(EXAMPLES), "--text-column", "text", "--id-column", "id"]

    result = runner.invoke(app, [*args, "--output", str(output)])

    assert result.exit_code == 0, result.output
    records = _json_lines(output.read_text(encoding="utf-8"))
    assert [record["id"] for record in records] == [f"ex{n:03}" for n in range(1, 41)]
    assert not [record for record in records if "error" in record]


# --- explain -----------------------------------------------------------------------------


def test_explain_shows_the_verdict_the_matched_words_and_the_category_explainer():
    text = "The Rothschilds control the banks and the media."

    result = runner.invoke(app, ["explain", text], env={"COLUMNS": "200"})

    assert result.exit_code == 0, result.output
    shown = _flat(result.stdout)
    assert "ANTISEMITIC" in shown and "under the ihra policy" in shown
    assert "The Rothschilds control the banks" in shown
    assert "Rothschild and Soros puppet-master myths (rothschild_soros)" in shown
    # the category's explainer, from the taxonomy
    assert "secretly pulls the strings of governments" in shown


def test_explain_says_not_flagged_for_jewish_life():
    result = runner.invoke(app, ["explain", GREETING])

    assert result.exit_code == 0, result.output
    assert "not flagged" in result.stdout and "ANTISEMITIC" not in result.stdout


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
