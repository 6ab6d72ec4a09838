"""``tropewatch scan`` and ``tropewatch explain``: the detector on a file of posts, or on one.

The detector is imported inside each command, so ``tropewatch --help`` never loads a model.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, get_args

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tropewatch.cli.scan_results import (
    STDOUT,
    UnwritableOutput,
    classify_rows,
    row_problem,
    write_results,
)
from tropewatch.cli.support import PolicyOption, fail, say

if TYPE_CHECKING:
    from tropewatch.detector.verdict import Verdict
    from tropewatch.ingest.generic import TextRow
    from tropewatch.ingest.inputs import TextStream

STDIN = "-"
# The formats of tropewatch.ingest.generic.TEXT_FORMATS, spelled out for Typer's choices so
# that --help needs no ingest code.
InputFormat = Literal["csv", "jsonl", "txt"]
FORMAT_BY_EXTENSION: dict[str, InputFormat] = {
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".txt": "txt",
}
EXIT_MALFORMED_ROW = 3
SCAN_SWITCH_INTERVAL = 0.0005  # seconds; see _switch_interval


def register(app: typer.Typer) -> None:
    app.command("scan")(scan_cli)
    app.command("explain")(explain_cli)


def scan_cli(
    input_path: Annotated[
        str,
        typer.Argument(
            metavar="INPUT",
            help="File of posts: .csv, .jsonl/.ndjson or .txt (one post per line); "
            "- reads standard input (then give --format).",
        ),
    ],
    text_column: Annotated[
        str, typer.Option(help="CSV column, or JSON field, holding the post text.")
    ] = "text",
    id_column: Annotated[
        str | None,
        typer.Option(
            help="CSV column, or JSON field, holding each post's id. Without it the id is "
            "the row number, counting from 1 after the CSV header."
        ),
    ] = None,
    input_format: Annotated[
        InputFormat | None,
        typer.Option("--format", help="Input format, when the extension does not say it."),
    ] = None,
    policy: PolicyOption = "ihra",
    output: Annotated[
        str, typer.Option(help="Where to write the JSON Lines results; - is standard output.")
    ] = STDOUT,
    strict: Annotated[
        bool,
        typer.Option(help="Stop at the first unreadable row (exit code 3) instead of warning."),
    ] = False,
    batch_size: Annotated[
        int,
        typer.Option(min=1, help="Posts classified together; larger is faster, uses more memory."),
    ] = 256,
) -> None:
    """Scan a file of posts and write one JSON verdict per post (JSON Lines).

    Each output line holds id, antisemitic, score, categories, spans, counter_speech,
    explanation, policy and model_version, in input order. A row that cannot be read
    becomes a line with id, error and line, and a warning naming its line on stderr.
    Progress, warnings and the summary go to stderr, so stdout carries only JSON Lines.

    Exit codes: 0 finished (also when unreadable rows were warned about);
    2 usage or input error (missing file, an empty or blank file, missing column, unknown
    format, or a file that cannot be read: not UTF-8, a line over the size limit; the
    output then stops where the fault is);
    3 an unreadable row with --strict (the output is then incomplete).
    """
    stderr = Console(stderr=True)
    input_format = input_format or _format_from_extension(input_path)
    from tropewatch.ingest import IngestError
    from tropewatch.ingest.generic import read_text_rows

    try:
        with _open_input(input_path) as stream:
            rows = read_text_rows(stream, input_format, text_column, id_column)
            # after the checks of the file as a whole: they answer at once
            from tropewatch.detector import detect_batch

            tally = _ScanTally(started=time.perf_counter())
            classify = partial(detect_batch, policy=policy, batch_size=batch_size)
            shares_terminal = output == STDOUT and sys.stdout.isatty()
            with (
                _switch_interval(SCAN_SWITCH_INTERVAL),
                _progress(stderr, shares_terminal) as advance,
            ):
                checked = _warn_about_bad_rows(rows, input_path, strict)
                results = tally.watch(classify_rows(checked, classify), advance)
                write_results(results, output)
    except (IngestError, UnwritableOutput) as exc:
        fail(str(exc))
    except _StrictStop as stop:
        say(f"stopped at the first unreadable row (--strict): {stop}")
        raise typer.Exit(EXIT_MALFORMED_ROW) from None
    say(tally.summary(input_path))


def _format_from_extension(path: str) -> InputFormat:
    choices = "|".join(get_args(InputFormat))
    if path == STDIN:
        fail(f"cannot guess the format of standard input; pass --format {choices}")
    suffix = Path(path).suffix.lower()
    if suffix not in FORMAT_BY_EXTENSION:
        known = ", ".join(FORMAT_BY_EXTENSION)
        fail(
            f"{path}: cannot tell the format from the extension {suffix or '(none)'!r} "
            f"(known: {known}); pass --format {choices}"
        )
    return FORMAT_BY_EXTENSION[suffix]


def _open_input(path: str) -> AbstractContextManager[TextStream]:
    from tropewatch.ingest.inputs import open_stdin, open_text

    return open_stdin() if path == STDIN else open_text(Path(path))


@contextmanager
def _switch_interval(seconds: float) -> Iterator[None]:
    """Python's GIL switch interval set to ``seconds`` for a while, then restored.

    detect_batch runs the cheap stages of one batch on the scan's thread while the
    transformer's threads score the last; they need the GIL back after every post, and at
    Python's default 5 ms interval they wait that long for it. At 0.5 ms a scan of 5,000
    relevant posts took 0.93 of the time it took at 5 ms (README, "Speed and memory")."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(seconds)
    try:
        yield
    finally:
        sys.setswitchinterval(previous)


@dataclass
class _ScanTally:
    started: float
    rows: int = 0
    flagged: int = 0
    errors: int = 0

    def watch(
        self, results: Iterable[tuple[TextRow, Verdict | None]], advance: Callable[[], None]
    ) -> Iterator[tuple[TextRow, Verdict | None]]:
        for row, verdict in results:
            self.rows += 1
            self.errors += verdict is None
            self.flagged += verdict is not None and verdict.antisemitic
            advance()
            yield row, verdict

    def summary(self, source: str) -> str:
        if not self.rows:
            return f"no posts found in {source}"
        seconds = max(time.perf_counter() - self.started, 1e-9)
        posts = self.rows - self.errors
        return (
            f"{self.rows} rows: {self.flagged} flagged, {self.errors} unreadable; "
            f"{posts / seconds:.1f} posts/s"
        )


class _StrictStop(Exception):
    """Raised at the first unreadable row under --strict; the message names its line."""


def _warn_about_bad_rows(rows: Iterable[TextRow], source: str, strict: bool) -> Iterator[TextRow]:
    for row in rows:
        if row.error is not None:
            if strict:
                raise _StrictStop(f"{source}: {row_problem(row)}")
            say(f"warning: {source}: {row_problem(row)}")
        yield row


@contextmanager
def _progress(stderr: Console, shares_terminal: bool) -> Iterator[Callable[[], None]]:
    """A live count of scanned posts on a terminal; nothing when stderr is redirected, or when
    the results themselves are printed on the terminal (``shares_terminal``) and it would garble
    them."""
    if shares_terminal or not stderr.is_terminal:
        yield lambda: None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.completed} posts"), TimeElapsedColumn())
    # No stdout redirection: the results are written straight to stdout's byte buffer.
    progress = Progress(*columns, console=stderr, transient=True, redirect_stdout=False)
    with progress:
        task = progress.add_task("scan", total=None)
        yield lambda: progress.advance(task)


def explain_cli(
    text: Annotated[
        str, typer.Argument(metavar="TEXT", help="The post to explain; quote it for the shell.")
    ],
    policy: PolicyOption = "ihra",
) -> None:
    """Show why one post is or is not flagged: matched terms, categories and what they mean."""
    from tropewatch.detector import detect
    from tropewatch.detector.taxonomy import load_taxonomy

    verdict = detect(text, policy=policy)
    taxonomy = load_taxonomy()
    print_verdict(Console(), text, verdict, lambda category: taxonomy.category(category).explainer)


# Characters that would let a hostile post drive the terminal (escape sequences) or reorder
# what the moderator sees (bidirectional overrides). Each becomes one U+FFFD, so span offsets
# into the original text still line up.
_UNDISPLAYABLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def displayable(text: str) -> str:
    return _UNDISPLAYABLE.sub("\ufffd", text)


def print_verdict(
    console: Console, text: str, verdict: Verdict, explainer: Callable[[str], str]
) -> None:
    """Render a verdict for a person; ``explainer`` gives a category's taxonomy explainer.

    Post text only ever enters rich as ``Text`` (never parsed as markup): it is hostile.
    """
    decision = "ANTISEMITIC" if verdict.antisemitic else "not flagged"
    console.print(
        Text.assemble(
            (decision, "bold red" if verdict.antisemitic else "bold green"),
            f"  score {verdict.score:.2f} under the {verdict.policy} policy",
        )
    )
    post = Text(displayable(text))
    for span in verdict.spans:
        post.stylize("bold reverse", span.start, span.end)
    console.print(Text("\nPost, matched terms highlighted:", style="bold"))
    console.print(post)
    if verdict.spans:
        matches = Table("term", "category", "lexicon entry", title="Matched terms")
        for span in verdict.spans:
            matches.add_row(Text(displayable(span.term)), Text(span.category), Text(span.entry))
        console.print(matches)
    if verdict.categories:
        categories = Table("category", "score", "IHRA example", title="Categories")
        for category in verdict.categories:
            example = "-" if category.ihra_example is None else str(category.ihra_example)
            name = Text(f"{category.name} ({category.id})")
            categories.add_row(name, f"{category.score:.2f}", example)
        console.print(categories)
        console.print(Text("\nWhat these categories mean", style="bold"))
        for category in verdict.categories:
            console.print(Text.assemble((f"{category.name}: ", "bold"), explainer(category.id)))
    console.print(
        f"\nCounter-speech: {verdict.counter_speech:.2f} "
        "(how likely it is that the post calls antisemitism out)",
        markup=False,
    )
    if verdict.explanation:
        # The explanation may quote the post, so it gets the same cleaning as the post.
        console.print(Text.assemble(("Explanation: ", "bold"), displayable(verdict.explanation)))
    console.print(Text(f"Model: {verdict.model_version}", style="dim"))
