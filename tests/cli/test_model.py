"""`tropewatch eval` and `train`'s refusals, run through Typer's CliRunner. The training
rebuild itself is in tests/detector/training/test_rebuild.py."""

from __future__ import annotations

from cli.helpers import flat, runner, write_csv
from tropewatch.cli import app

# --- eval ----------------------------------------------------------------------


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
    data = write_csv(tmp_path, "Text,Biased,Keyword\n" + rows, name="labelled.csv")
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
    data = write_csv(tmp_path, "Text,Keyword\nhello,Jews\n", name="labelled.csv")

    result = runner.invoke(app, ["eval", data, "--label-column", "Biased"])

    assert result.exit_code == 2
    assert "Biased" in result.stderr



# --- train's refusals --------------------------------------------------------------------


def test_train_refuses_to_overwrite_the_shipped_model_with_its_own_version(tmp_path):
    from tropewatch.detector.bundle import DETECTOR_DIR, shipped_version

    before = (DETECTOR_DIR / "meta.json").read_bytes()
    args = ["train", "--data-dir", str(tmp_path), "--output-dir", str(DETECTOR_DIR.parent),
            "--version", shipped_version()]

    result = runner.invoke(app, args, env={"COLUMNS": "200"})

    assert result.exit_code == 2
    assert "shipped model" in flat(result.stderr)
    assert (DETECTOR_DIR / "meta.json").read_bytes() == before


def test_train_refuses_a_version_of_another_form(tmp_path):
    args = ["train", "--data-dir", str(tmp_path), "--version", "v2"]

    result = runner.invoke(app, args, env={"COLUMNS": "200"})

    assert result.exit_code == 2
    assert "YEAR.MONTH.N" in flat(result.stderr)


