"""The ``tropewatch`` command line: thin wrappers around the detector and scan_io.

The detector, evaluation and training modules are imported inside each command, so
``tropewatch --help`` stays fast and never loads a model.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, NoReturn

import typer
from rich.console import Console
from rich.table import Column, Table
from rich.text import Text

from tropewatch.scan_io import (
    STDIN,
    InputFormat,
    InputRow,
    ScanInputError,
    classify_rows,
    read_posts,
    write_results,
)

if TYPE_CHECKING:
    from tropewatch.detector.evaluate import EvalReport
    from tropewatch.detector.verdict import Verdict

# The same names as tropewatch.detector.POLICIES, spelt out here so --help needs no detector
# import; tests/test_cli.py checks that the two agree.
Policy = Literal["ihra", "ihra-core", "jda"]
Split = Literal["auto", "all", "train", "dev", "test"]

EXIT_INPUT_ERROR = 2
EXIT_MALFORMED_ROW = 3
SCAN_SWITCH_INTERVAL = 0.0005  # seconds; see _switch_interval

app = typer.Typer(
    name="tropewatch",
    help="Find, explain and measure antisemitism in online posts.",
    no_args_is_help=True,
    add_completion=False,
    # Locals in a traceback would print hostile post text into terminals and logs.
    pretty_exceptions_show_locals=False,
)

PolicyOption = Annotated[
    Policy,
    typer.Option(
        help="Which definition decides 'antisemitic': ihra (the IHRA Working Definition with "
        "all 11 examples), ihra-core (without examples 7, 8 and 10) or jda (the Jerusalem "
        "Declaration on Antisemitism).",
    ),
]


@app.command("scan")
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
    ] = STDIN,
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
    2 usage or input error (missing file, missing column, unknown format);
    3 an unreadable row with --strict (the output is then incomplete).
    """
    stderr = Console(stderr=True)
    try:
        rows = read_posts(input_path, input_format, text_column, id_column)
    except ScanInputError as exc:
        _fail(stderr, str(exc))
    from tropewatch.detector import detect_batch  # after the input checks: they answer at once

    tally = _ScanTally(started=time.perf_counter())
    classify = partial(detect_batch, policy=policy, batch_size=batch_size)
    try:
        with (_switch_interval(SCAN_SWITCH_INTERVAL),
              _progress(stderr, shares_terminal=output == STDIN and sys.stdout.isatty())
              as advance):
            checked = _warn_about_bad_rows(rows, input_path, strict, stderr)
            results = tally.watch(classify_rows(checked, classify), advance)
            write_results(results, output)
    except ScanInputError as exc:
        _fail(stderr, str(exc))
    except _StrictStop as stop:
        _say(stderr, f"stopped at the first unreadable row (--strict): {stop}")
        raise typer.Exit(EXIT_MALFORMED_ROW) from None
    _say(stderr, tally.summary(input_path))


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
        self, results: Iterable[tuple[InputRow, Verdict | None]], advance: Callable[[], None]
    ) -> Iterator[tuple[InputRow, Verdict | None]]:
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


def _warn_about_bad_rows(
    rows: Iterable[InputRow], source: str, strict: bool, stderr: Console
) -> Iterator[InputRow]:
    for row in rows:
        if row.error is not None:
            if strict:
                raise _StrictStop(f"{source}: {row.error}")
            _say(stderr, f"warning: {source}: {row.error}")
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


def _say(console: Console, message: str) -> None:
    # Messages can quote file contents (column names, ids): never read them as rich markup.
    console.print(message, markup=False, highlight=False, soft_wrap=True)


def _fail(stderr: Console, message: str) -> NoReturn:
    _say(stderr, f"error: {message}")
    raise typer.Exit(EXIT_INPUT_ERROR)


@app.command("explain")
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


def _displayable(text: str) -> str:
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
    post = Text(_displayable(text))
    for span in verdict.spans:
        post.stylize("bold reverse", span.start, span.end)
    console.print(Text("\nPost, matched terms highlighted:", style="bold"))
    console.print(post)
    if verdict.spans:
        matches = Table("term", "category", "lexicon entry", title="Matched terms")
        for span in verdict.spans:
            matches.add_row(Text(_displayable(span.term)), Text(span.category), Text(span.entry))
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
        console.print(Text.assemble(("Explanation: ", "bold"), _displayable(verdict.explanation)))
    console.print(Text(f"Model: {verdict.model_version}", style="dim"))


@app.command("eval")
def eval_cli(
    data: Annotated[
        Path,
        typer.Argument(
            metavar="DATA", exists=True, dir_okay=False, help="CSV file of labelled posts."
        ),
    ],
    label_column: Annotated[
        str, typer.Option(help="Column holding the gold label: 1 antisemitic, 0 not.")
    ] = "Biased",
    text_column: Annotated[str, typer.Option(help="Column holding the post text.")] = "Text",
    group_column: Annotated[
        str,
        typer.Option(
            help="Column to break results down by (e.g. the keyword a post was sampled with); "
            "an empty string turns the breakdown off."
        ),
    ] = "Keyword",
    policy: PolicyOption = "ihra",
    split: Annotated[
        Split,
        typer.Option(
            help="Rows to score: all, or one split of the training data (train, dev, test). "
            "auto scores every row, or only the held-out test split when DATA is the file "
            "the model was trained on."
        ),
    ] = "auto",
) -> None:
    """Measure the detector on a labelled CSV: precision, recall, F1, per group.

    The defaults fit the ISCA gold-standard tweets (Text, Biased, Keyword columns).
    """
    from tropewatch.detector.evaluate import evaluate_file

    with _data_errors_exit():
        report = evaluate_file(data, text_column, label_column, group_column or None, policy, split)
    print_eval_report(Console(), report)


DataDirOption = Annotated[
    Path, typer.Option(exists=True, file_okay=False, help="Folder holding the training data.")]
SeedOption = Annotated[int, typer.Option(help="Random seed, for a reproducible result.")]


@app.command("train")
def train_cli(
    data_dir: DataDirOption = Path("../shared/data"),
    output_dir: Annotated[
        Path | None,
        typer.Option(help="Where to write the model; by default the packaged model folder."),
    ] = None,
    seed: SeedOption = 13,
    transformer: Annotated[
        Literal["reuse", "retrain", "none"],
        typer.Option(help="The fine-tuned transformer stage: reuse the shipped one, retrain it "
                     "first (needs torch==2.13.0 and transformers; about 15 minutes on 2 cores), "
                     "or build a bundle without it."),
    ] = "reuse",
) -> None:
    """Train the classifier; print its scores on the dev and the held-out test split."""
    from tropewatch.detector.train import train

    with _data_errors_exit():
        report = train(data_dir, output_dir, seed, transformer)
    console = Console()
    console.print(f"Model written to {report.artifact_dir}", markup=False, soft_wrap=True)
    console.print("Dev split (out-of-fold; the threshold was chosen here)")
    print_eval_report(console, report.dev_metrics)
    console.print("Test split (never trained or tuned on)")
    print_eval_report(console, report.test_metrics)


@app.command("temporal-check")
def temporal_check_cli(
    data_dir: DataDirOption = Path("../shared/data"),
    until: Annotated[int, typer.Option(help="Fit on tweets up to this year; test on the "
                                       "later ones.")] = 2021,
    seed: SeedOption = 13,
    transformer: Annotated[
        Literal["retrain", "none"],
        typer.Option(help="Fine-tune a transformer on the earlier tweets only (about 10 "
                     "minutes on 2 cores), or check without one."),
    ] = "retrain",
) -> None:
    """Fit every stage on earlier tweets, score every later one; record it for the card."""
    from tropewatch.detector.temporal import temporal_check

    with _data_errors_exit():
        result = temporal_check(data_dir, until, seed, transformer)
    console = Console()
    later = result["later"]["overall"]
    console.print(f"Fitted on tweets up to {until}; {result['sizes']['later_tweets']} later "
                  f"tweets: precision {later['precision']:.3f}, recall {later['recall']:.3f}, "
                  f"F1 {later['f1']:.3f}", markup=False, soft_wrap=True)


@app.command("model-card")
def model_card_cli(
    output: Annotated[
        Path | None,
        typer.Option(dir_okay=False, help="Write the card here (docs/model-card.md in the "
                     "repository); by default print it."),
    ] = None,
) -> None:
    """Render the shipped model's card (intended use, data, results) from its meta.json."""
    from tropewatch.detector.model_card import render

    card = render()
    if output is None:
        sys.stdout.write(card)
    else:
        output.write_text(card, encoding="utf-8")


@contextmanager
def _data_errors_exit() -> Iterator[None]:
    """Bad training or evaluation data (missing file or column, bad label): message, exit 2."""
    try:
        yield
    except (FileNotFoundError, ValueError) as exc:
        _fail(Console(stderr=True), str(exc))


def _interval_column() -> Column:
    return Column("F1 95%", min_width=9, no_wrap=True)


def print_eval_report(console: Console, report: EvalReport) -> None:
    """Overall scores, confusion matrix and the per-group breakdown of an evaluation."""
    from tropewatch.detector.evaluate import format_interval

    overall = report.overall
    scores = Table("precision", "recall", "F1", _interval_column(), "posts", title="Overall")
    scores.add_row(f"{overall.precision:.3f}", f"{overall.recall:.3f}", f"{overall.f1:.3f}",
                   format_interval(overall.f1_interval), str(overall.n))
    console.print(scores)
    matrix = Table("", "flagged", "not flagged", title="Confusion matrix")
    matrix.add_row("labelled antisemitic", str(overall.tp), str(overall.fn))
    matrix.add_row("labelled not antisemitic", str(overall.fp), str(overall.tn))
    console.print(matrix)
    if report.groups:
        groups = Table("group", "posts", "precision", "recall", "F1", _interval_column(),
                       "tp", "fp", "fn", "tn", title="By group", pad_edge=False)
        for name, metrics in report.groups.items():
            groups.add_row(
                Text(_displayable(name)),  # a value from the data file: never markup
                str(metrics.n),
                f"{metrics.precision:.3f}",
                f"{metrics.recall:.3f}",
                f"{metrics.f1:.3f}",
                format_interval(metrics.f1_interval),  # report fills it for every group
                *(str(count) for count in (metrics.tp, metrics.fp, metrics.fn, metrics.tn)),
            )
        console.print(groups)
    console.print(Text("F1 95%: bootstrap interval of F1 over the posts.", style="dim"))
    if report.note:
        console.print(Text(report.note, style="dim"))


def _register_service_commands() -> None:
    # import, serve, worker, rescan, demo, export-labels and `follow` live in their own
    # modules (they set up Django); registered last so --help lists the detector commands first.
    from tropewatch import live_cli, review_cli, service_cli

    service_cli.register(app)
    live_cli.register(app)
    review_cli.register(app)


_register_service_commands()
