"""The model commands: ``tropewatch eval``, ``train``, ``temporal-check`` and ``model-card``.

Evaluation and training modules are imported inside each command, so ``tropewatch --help``
never loads them.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from rich.console import Console
from rich.table import Column, Table
from rich.text import Text

from tropewatch.cli.scan import displayable
from tropewatch.cli.support import PolicyOption, fail

if TYPE_CHECKING:
    from tropewatch.detector.training.evaluate import EvalReport

Split = Literal["auto", "all", "train", "dev", "test"]


def register(app: typer.Typer) -> None:
    app.command("eval")(eval_cli)
    app.command("train")(train_cli)
    app.command("temporal-check")(temporal_check_cli)
    app.command("model-card")(model_card_cli)


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
    from tropewatch.detector.training.evaluate import evaluate_file

    with _data_errors_exit():
        report = evaluate_file(data, text_column, label_column, group_column or None, policy, split)
    print_eval_report(Console(), report)


DataDirOption = Annotated[
    Path, typer.Option(exists=True, file_okay=False, help="Folder holding the training data.")]
SeedOption = Annotated[int, typer.Option(help="Random seed, for a reproducible result.")]


def train_cli(
    data_dir: DataDirOption = Path("../shared/data"),
    output_dir: Annotated[
        Path | None,
        typer.Option(help="Folder to write the model into (it gets detector/ and transformer/); "
                     "by default var/models/VERSION. tropewatch/detector/data/models replaces "
                     "the shipped model, and needs a --version other than the shipped one."),
    ] = None,
    version: Annotated[
        str | None,
        typer.Option(help="Version to give the model (YEAR.MONTH.N); by default the one after "
                     "the shipped model's."),
    ] = None,
    seed: SeedOption = 13,
    transformer: Annotated[
        Literal["reuse", "retrain", "none"],
        typer.Option(help="The fine-tuned transformer stage: reuse the shipped one, retrain it "
                     "first (needs torch==2.13.0 and transformers; about 15 minutes on 2 cores), "
                     "or build a bundle without it."),
    ] = "reuse",
    claims: Annotated[
        bool,
        typer.Option(help="Add trope × stance (the claim bank and the stance model, fitted on "
                     "the written training posts). Not in the shipped model yet: see "
                     "docs/model-card.md."),
    ] = False,
) -> None:
    """Train the classifier; print its scores on the dev and the held-out test split."""
    from tropewatch.detector.training.train import train

    with _data_errors_exit():
        report = train(data_dir, output_dir, seed, transformer, version, claims=claims)
    console = Console()
    console.print(f"Model written to {report.artifact_dir}", markup=False, soft_wrap=True)
    console.print("Dev split (out-of-fold; the threshold was chosen here)")
    print_eval_report(console, report.dev_metrics)
    console.print("Test split (never trained or tuned on)")
    print_eval_report(console, report.test_metrics)


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
    from tropewatch.detector.training.temporal import temporal_check

    with _data_errors_exit():
        result = temporal_check(data_dir, until, seed, transformer)
    console = Console()
    later = result["later"]["overall"]
    console.print(f"Fitted on tweets up to {until}; {result['sizes']['later_tweets']} later "
                  f"tweets: precision {later['precision']:.3f}, recall {later['recall']:.3f}, "
                  f"F1 {later['f1']:.3f}", markup=False, soft_wrap=True)


def model_card_cli(
    output: Annotated[
        Path | None,
        typer.Option(dir_okay=False, help="Write the card here (docs/model-card.md in the "
                     "repository); by default print it."),
    ] = None,
) -> None:
    """Render the shipped model's card (intended use, data, results) from its meta.json."""
    from tropewatch.detector.training.model_card import render

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
        fail(str(exc))


def _interval_column() -> Column:
    return Column("F1 95%", min_width=9, no_wrap=True)


def print_eval_report(console: Console, report: EvalReport) -> None:
    """Overall scores, confusion matrix and the per-group breakdown of an evaluation."""
    from tropewatch.detector.training.evaluate import format_interval

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
                Text(displayable(name)),  # a value from the data file: never markup
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
