"""Every `tropewatch ...` command line in README.md and docs/*.md (and the Markdown files in
probes/ and tropewatch/) names a command and options that exist: each is run with its subcommand
path plus --help (in-process, so neither Django nor the model loads), and every --option on the
line must appear in that command's help.

Command lines are found in fenced code blocks (lines joined at a trailing backslash) and in
inline code, wherever `tropewatch` (or a path ending in it, such as .venv/bin/tropewatch)
stands where a shell would run it: first on the line, after |, ;, &&, $ or ( , after
VAR=value assignments, or after `docker compose exec|run SERVICE`, and followed by a word.
So `createdb -O tropewatch tropewatch`, `from tropewatch import ...` and a bare `tropewatch`
(a queue name, say) are not command lines.
"""

from __future__ import annotations

import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from tropewatch.cli import app

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")),
             *sorted((ROOT / "probes").glob("*.md")), *sorted((ROOT / "tropewatch").rglob("*.md"))]

# Where a shell runs a program: the start, a separator or prompt, environment assignments,
# or a container's exec/run; then the program, by bare name or by a path ending in it.
_COMMAND = re.compile(
    r"(?:^|[|;&($]\s*|\bdocker[ -]compose\s+(?:exec|run)\s+(?:-\S+\s+)*[\w.-]+\s+)"
    r"(?:[A-Z_][A-Z0-9_]*=\S*\s+)*"
    r"(?P<program>(?<![\w.-])(?:[\w.~/-]*/)?tropewatch)"
    r"(?P<rest>\s+\S.*)$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_INLINE = re.compile(r"(?<!`)`([^`]+?)`(?!`)")
_OPTION = re.compile(r"^--[a-z][a-z0-9-]*")
_WORD = re.compile(r"^[a-z][a-z0-9-]*$")
_PLACEHOLDERS = {"...", "…"}
_SHELL_SEPARATORS = set("|;&<>()")


@dataclass(frozen=True)
class CommandLine:
    where: str  # file:line
    text: str  # from `tropewatch` to the end of the command

    def __str__(self) -> str:
        return f"{self.where}: {self.text}"


def _fenced_lines(lines: list[str]) -> list[tuple[int, str]]:
    """(line number, text) of the lines in fenced code blocks, backslash continuations joined."""
    out: list[tuple[int, str]] = []
    inside, pending, start = False, "", 0
    for number, line in enumerate(lines, 1):
        if _FENCE.match(line):
            inside, pending = not inside, ""
            continue
        if not inside:
            continue
        if not pending:
            start = number
        if line.rstrip().endswith("\\"):
            pending += (line.strip() if pending else line.rstrip())[:-1].rstrip() + " "
            continue
        out.append((start, pending + (line.strip() if pending else line)))
        pending = ""
    return out


def _inline_spans(lines: list[str]) -> list[tuple[int, str]]:
    """(line number, text) of inline code outside fenced blocks; a span may wrap a line."""
    prose, inside = [], False
    for line in lines:
        if _FENCE.match(line):
            inside = not inside
            prose.append("")
        else:
            prose.append("" if inside else line)
    text = "\n".join(prose)
    out = []
    for paragraph_match in re.finditer(r"(?:[^\n]+\n?)+", text):
        paragraph = paragraph_match.group(0)
        for span in _INLINE.finditer(paragraph):
            number = text.count("\n", 0, paragraph_match.start() + span.start()) + 1
            out.append((number, " ".join(span.group(1).split())))
    return out


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name


def command_lines(path: Path, text: str | None = None) -> list[CommandLine]:
    lines = (path.read_text(encoding="utf-8") if text is None else text).splitlines()
    found = []
    for number, code in _fenced_lines(lines) + _inline_spans(lines):
        match = _COMMAND.search(code)
        if match:
            found.append(CommandLine(f"{_relative(path)}:{number}",
                                     "tropewatch" + match.group("rest").rstrip()))
    return found


def _arguments(command: CommandLine) -> list[str]:
    """The words after `tropewatch`, up to a shell separator or a comment."""
    lexer = shlex.shlex(command.text, posix=True, punctuation_chars=True)
    lexer.whitespace_split, lexer.commenters = True, "#"
    try:
        words = list(lexer)
    except ValueError as error:  # unbalanced quotes: a broken line, say where
        pytest.fail(f"{command}: cannot be read as a shell command ({error})")
    out = []
    for word in words[1:]:
        if word and set(word) <= _SHELL_SEPARATORS:
            break
        out.append(word)
    return out


def _subcommand_path(arguments: list[str]) -> list[str]:
    """The leading words that name (sub)commands. A word where a group expects a command is
    kept even when no command has that name, so that --help fails on it."""
    path, command = [], typer.main.get_command(app)
    for word in arguments:
        subcommands = getattr(command, "commands", None)  # a group's (Typer's own click)
        if subcommands is None or word in _PLACEHOLDERS or not _WORD.match(word):
            break
        path.append(word)
        command = subcommands.get(word)
        if command is None:
            break
    return path


def check(command: CommandLine) -> None:
    arguments = _arguments(command)
    path = _subcommand_path(arguments)
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, (
        f"{command}\n`tropewatch {' '.join([*path, '--help'])}` exited {result.exit_code}:\n"
        f"{result.output}")
    help_text = " ".join(result.output.split())
    for word in arguments:
        option = _OPTION.match(word)
        if option is None:
            continue
        named = option.group(0)
        assert re.search(rf"(?<![\w-]){re.escape(named)}(?![\w-])", help_text), (
            f"{command}\n`tropewatch {' '.join(path)}` has no option {named}:\n{result.output}")


ALL = [line for document in DOCUMENTS for line in command_lines(document)]


@pytest.mark.parametrize("command", ALL, ids=str)
def test_every_documented_command_and_option_exists(command):
    heavy = ("django", "onnxruntime", "sklearn", "tropewatch.detector.pipeline")
    before = set(sys.modules)
    check(command)
    loaded = {name for name in set(sys.modules) - before if name.startswith(heavy)}
    assert not loaded, f"--help loaded {sorted(loaded)}"


def test_the_readme_and_docs_hold_command_lines():
    readme = [line for line in ALL if line.where.startswith("README.md:")]
    assert len(readme) >= 10, "the command-line finder no longer sees the README's commands"
    assert any(line.text.startswith("tropewatch import") and "--created-column" in line.text
               for line in readme), "a backslash-continued command line was not joined"


SAMPLE = """\
Run `tropewatch scan posts.csv --text-column text`, and `createdb -O tropewatch tropewatch`.

```sh
cat posts.txt | .venv/bin/tropewatch scan - --format txt   # --not-an-option in a comment
docker compose exec web tropewatch import x.zip \\
    --platform facebook --source "#topic"
tropewatch follow bluesky-search "#topic" --limit 10
pg_dump --format=custom tropewatch > tropewatch.dump
```

```python
from tropewatch import detector
```
"""


def test_the_finder_reads_inline_fenced_and_continued_lines_and_skips_other_programs():
    found = [line.text for line in command_lines(Path("sample.md"), SAMPLE)]
    assert found == [
        "tropewatch scan - --format txt   # --not-an-option in a comment",
        'tropewatch import x.zip --platform facebook --source "#topic"',
        'tropewatch follow bluesky-search "#topic" --limit 10',
        "tropewatch scan posts.csv --text-column text",
    ]
    for line in command_lines(Path("sample.md"), SAMPLE):
        check(line)


@pytest.mark.parametrize("text", [
    "`tropewatch scna posts.csv`",
    "`tropewatch scan posts.csv --no-such-option`",
    "`tropewatch follow bluesky-serch x`",
    "```sh\n.venv/bin/tropewatch import a.zip --platform x \\\n    --text-colum text\n```",
])
def test_a_command_or_option_that_does_not_exist_fails_the_check(text):
    (line,) = command_lines(Path("wrong.md"), text)
    with pytest.raises(AssertionError):
        check(line)
