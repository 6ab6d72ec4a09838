"""``tropewatch send-allies``: send the calls to action that are due (digests, retries).

Workers do this on their sweep; a deployment without workers runs it from cron.
``register(app)`` adds the command to the main Typer app; Django is set up inside it.
"""

from __future__ import annotations

import typer

from tropewatch.cli.support import say, setup_django


def register(app: typer.Typer) -> None:
    app.command("send-allies")(send_allies_cli)


def send_allies_cli() -> None:
    """Send allies every call to action now due: digests at their hour, messages held for
    quiet hours, and retries of failed webhooks and emails."""
    setup_django(migrate=False)
    from tropewatch.allies.delivery import send_due

    say(f"sent {send_due()} deliveries")
