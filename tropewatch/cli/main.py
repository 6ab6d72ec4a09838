"""The ``tropewatch`` command: one Typer app, its commands registered from one module per group.

Each group's module imports only Typer, rich and the cheap parts of the package at the top;
what a command needs (the detector, Django) is imported inside it, so ``tropewatch --help``
loads neither a model nor Django.
"""

from __future__ import annotations

import typer

from tropewatch.cli import (
    allies,
    education,
    evidence,
    follow,
    impact,
    labels,
    members,
    model,
    privacy,
    scan,
    service,
)

app = typer.Typer(
    name="tropewatch",
    help="Find, explain and measure antisemitism in online posts.",
    no_args_is_help=True,
    add_completion=False,
    # Locals in a traceback would print hostile post text into terminals and logs.
    pretty_exceptions_show_locals=False,
)

# In the order --help lists them: the detector's commands first, then the service's.
for group in (scan, model, service, follow, labels, evidence, members, privacy, impact,
              education, allies):
    group.register(app)
