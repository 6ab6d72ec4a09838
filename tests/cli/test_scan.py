"""`tropewatch scan` and `explain`, and the command line's own interface, run through Typer's
CliRunner against the real detector."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import typer.main

from cli.helpers import VERDICT_RECORD_KEYS, flat, json_lines, runner, write_csv
from tropewatch.cli import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "posts.csv"


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
    source = write_csv(tmp_path, "id,text\n" + rows)
    output = tmp_path / "out.jsonl"

    args = ["scan", source, "--text-column", "text", "--id-column", "id", "--output", str(output)]
    result = runner.invoke(app, args)

    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    records = json_lines(output.read_text(encoding="utf-8"))
    assert _verdicts(records) == [("a7", False), ("b9", True), ("c3", True), ("d4", False)]
    assert all(list(record) == VERDICT_RECORD_KEYS for record in records)
    assert {record["policy"] for record in records} == {"ihra"}
    myth = records[1]
    assert [category["id"] for category in myth["categories"]] == ["rothschild_soros"]
    assert [(span["start"], span["end"]) for span in myth["spans"]] == [(0, 29)]
    assert records[0]["categories"] == [] and records[0]["spans"] == []
    assert "4 rows: 2 flagged, 0 unreadable" in result.stderr


def test_scan_writes_only_json_lines_to_stdout_and_the_summary_to_stderr(tmp_path):
    source = write_csv(tmp_path, "text\nHappy Purim!\nChag Pesach sameach\n")

    result = runner.invoke(app, ["scan", source])

    assert result.exit_code == 0, result.output
    assert _verdicts(json_lines(result.stdout)) == [("1", False), ("2", False)]
    assert "2 rows: 0 flagged, 0 unreadable" in result.stderr and "posts/s" in result.stderr


def test_scan_reads_json_lines_from_standard_input_with_an_explicit_format():
    lines = f'{{"id": "s1", "text": "Shana tova"}}\n{{"id": "s2", "text": "{ROTHSCHILD_MYTH}"}}\n'

    result = runner.invoke(
        app, ["scan", "-", "--format", "jsonl", "--id-column", "id"], input=lines
    )

    assert result.exit_code == 0, result.output
    assert _verdicts(json_lines(result.stdout)) == [("s1", False), ("s2", True)]


def test_scan_reads_plain_text_from_standard_input_one_post_per_line():
    posts = f"\ufeff{GREETING}\r\n\n{ROTHSCHILD_MYTH}\n"

    result = runner.invoke(app, ["scan", "-", "--format", "txt"], input=posts.encode())

    assert result.exit_code == 0, result.output
    assert _verdicts(json_lines(result.stdout)) == [("1", False), ("2", True)]


def test_scan_policy_decides_and_is_recorded_in_each_verdict(tmp_path):
    source = write_csv(tmp_path, f"text\n{NO_RIGHT_TO_EXIST}\n{ROTHSCHILD_MYTH}\n")

    ihra = json_lines(runner.invoke(app, ["scan", source]).stdout)
    jda = json_lines(runner.invoke(app, ["scan", source, "--policy", "jda"]).stdout)

    assert _verdicts(ihra) == [("1", True), ("2", True)]
    assert _verdicts(jda) == [("1", False), ("2", True)]
    assert {record["policy"] for record in jda} == {"jda"}


def test_scan_warns_about_a_malformed_row_and_keeps_its_place(tmp_path):
    source = write_csv(tmp_path, f"id,text\n1,first\n2,too,many\n3,{ROTHSCHILD_MYTH}\n")

    result = runner.invoke(app, ["scan", source, "--id-column", "id", "--batch-size", "2"])

    assert result.exit_code == 0, result.output
    first, broken, third = json_lines(result.stdout)
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
    source = write_csv(tmp_path, '{"text": "Shalom"}\n\n{"text": "cut off\n', name="posts.jsonl")

    result = runner.invoke(app, ["scan", source])

    assert result.exit_code == 0, result.output
    good, broken = json_lines(result.stdout)
    assert (good["id"], good["antisemitic"]) == ("1", False)
    assert broken == {
        "id": "2",
        "error": "line 3: invalid JSON at column 10: Unterminated string starting at",
        "line": 3,
    }


def test_scan_strict_stops_at_the_first_malformed_row_with_exit_code_3(tmp_path):
    source = write_csv(tmp_path, 'text\nfine\n"broken"quote\nnever reached\n')

    result = runner.invoke(app, ["scan", source, "--strict", "--batch-size", "1"])

    assert result.exit_code == 3
    assert (
        "stopped at the first unreadable row (--strict): "
        f"{source}: line 3: malformed CSV: ',' expected after '\"'"
    ) in flat(result.stderr)
    assert _verdicts(json_lines(result.stdout)) == [("1", False)]


def test_scan_gives_back_the_gil_switch_interval_it_lowered(tmp_path):
    source = write_csv(tmp_path, 'text\nfine\n"broken"quote\n')
    before = sys.getswitchinterval()

    finished = runner.invoke(app, ["scan", source])
    stopped = runner.invoke(app, ["scan", source, "--strict"])

    assert (finished.exit_code, stopped.exit_code) == (0, 3)
    assert sys.getswitchinterval() == before


def test_scan_exits_2_naming_a_missing_column_and_the_columns_found(tmp_path):
    source = write_csv(tmp_path, "id,body\n1,hello\n")
    output = tmp_path / "out.jsonl"

    result = runner.invoke(app, ["scan", source, "--output", str(output)])

    assert result.exit_code == 2
    assert flat(result.stderr) == (
        f"error: {source}: line 1: the header has no column 'text' (for text);"
        " its columns are 'id', 'body'"
    )
    assert not output.exists()  # refused before anything was written


def test_scan_exits_2_for_a_file_that_is_not_utf8_naming_the_line(tmp_path):
    source = tmp_path / "posts.txt"
    source.write_bytes(b"fine\ncaf\xe9\n")

    result = runner.invoke(app, ["scan", str(source)])

    assert result.exit_code == 2
    assert flat(result.stderr) == (
        f"error: {source}: not UTF-8 text: invalid byte at offset 8 (line 2);"
        " export the file as UTF-8"
    )


def test_scan_exits_2_for_an_unknown_extension(tmp_path):
    source = write_csv(tmp_path, "text\nhello\n", name="posts.xls")

    result = runner.invoke(app, ["scan", source])

    assert result.exit_code == 2
    assert f"{source}: cannot tell the format from the extension '.xls'" in flat(result.stderr)
    assert "pass --format csv|jsonl|txt" in flat(result.stderr)


def test_scan_exits_2_for_standard_input_without_a_format():
    result = runner.invoke(app, ["scan", "-"], input="hello\n")

    assert result.exit_code == 2
    assert "cannot guess the format of standard input; pass --format" in result.stderr


def test_scan_exits_2_for_an_id_column_in_plain_text(tmp_path):
    source = write_csv(tmp_path, "hello\n", name="posts.txt")

    result = runner.invoke(app, ["scan", source, "--id-column", "id"])

    assert result.exit_code == 2
    assert "plain text has no id column" in result.stderr


def test_scan_exits_2_for_a_missing_file(tmp_path):
    missing = tmp_path / "absent.csv"

    result = runner.invoke(app, ["scan", str(missing)])

    assert result.exit_code == 2
    assert f"{missing}: cannot open: No such file or directory" in flat(result.stderr)


@pytest.mark.parametrize("content", ["", "\n  \n"], ids=["empty", "blank lines"])
@pytest.mark.parametrize("name", ["posts.jsonl", "posts.csv", "posts.txt"])
def test_scan_of_an_empty_file_exits_2_naming_it_and_writes_nothing(tmp_path, name, content):
    source = write_csv(tmp_path, content, name=name)

    result = runner.invoke(app, ["scan", source])

    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"{source}: the file is empty" in flat(result.stderr)


def test_scan_of_a_header_only_csv_finds_no_posts(tmp_path):
    source = write_csv(tmp_path, "id,text\n")

    result = runner.invoke(app, ["scan", source])

    assert result.exit_code == 0
    assert result.stdout == ""
    assert f"no posts found in {source}" in flat(result.stderr)


def test_scan_of_the_bundled_examples_reads_every_row(tmp_path):
    output = tmp_path / "examples.jsonl"
    args = ["scan", str(EXAMPLES), "--text-column", "text", "--id-column", "id"]

    result = runner.invoke(app, [*args, "--output", str(output)])

    assert result.exit_code == 0, result.output
    records = json_lines(output.read_text(encoding="utf-8"))
    assert [record["id"] for record in records] == [f"ex{n:03}" for n in range(1, 41)]
    assert not [record for record in records if "error" in record]


# --- explain -----------------------------------------------------------------------------


def test_explain_shows_the_verdict_the_matched_words_and_the_category_explainer():
    text = "The Rothschilds control the banks and the media."

    result = runner.invoke(app, ["explain", text], env={"COLUMNS": "200"})

    assert result.exit_code == 0, result.output
    shown = flat(result.stdout)
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

    help_text = flat(result.stdout)
    assert "Exit codes: 0" in help_text and "2 usage or input error" in help_text
    assert "3 an unreadable row with --strict" in help_text


def test_an_unknown_policy_is_refused_naming_the_choices():
    result = runner.invoke(app, ["explain", "hello", "--policy", "ihra-lite"],
                           env={"COLUMNS": "200"})

    assert result.exit_code == 2
    assert all(name in flat(result.stderr) for name in ("'ihra'", "'ihra-core'", "'jda'"))
