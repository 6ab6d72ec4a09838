from __future__ import annotations

from collections.abc import Callable

import pytest
import typer
from typer.testing import CliRunner

from tropewatch.cli import evidence as evidence_cli
from tropewatch.review.decisions import Decision, record
from tropewatch.review.status import Action


@pytest.fixture
def cli() -> Callable[..., object]:
    """The evidence commands as the ``tropewatch`` entry point runs them."""
    app = typer.Typer()
    evidence_cli.register(app)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [str(arg) for arg in args])


@pytest.fixture
def confirmed_post(org, members, make_post):
    """A post a triager noted and a moderator confirmed: two events and one evidence record
    (links 1, 2 and 3)."""
    post = make_post("The Rothschilds control the banks.")
    record(org, post.pk, members["triage"], "triage", Decision(Action.NOTE, note="see this"))
    record(org, post.pk, members["moderator"], "moderator",
           Decision(Action.CONFIRM, categories=["rothschild_soros"], note="classic trope"))
    return post
