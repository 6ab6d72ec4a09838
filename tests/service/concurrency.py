"""Running moderators' work at once, each on its own thread and database connection."""

from __future__ import annotations

import threading

from django.db import close_old_connections


def as_concurrent_moderators(work, moderators) -> None:
    """Run ``work(user)`` for every moderator at once, each on its own thread and database
    connection, starting together. Fails if any of them raised (a "database is locked" would
    otherwise only end that moderator's thread, and the others could finish its work) or has
    not finished."""
    start = threading.Barrier(len(moderators))
    failures: list[str] = []

    def run(user) -> None:
        start.wait()
        try:
            work(user)
        except Exception as error:  # any at all: the assertion below names it
            failures.append(f"{user.username}: {error!r}")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(m,)) for m in moderators]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert [t.name for t in threads if t.is_alive()] == [], "moderators still working"
    assert failures == [], failures
