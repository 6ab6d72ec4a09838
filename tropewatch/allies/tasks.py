"""Background work for Celery workers, and handing it to them from a request.

With REDIS_URL a worker sends the call. Without it Celery would run the task eagerly inside
the request, which would then wait on every ally's mail server and webhook; a daemon thread
runs it instead, so a lead's request never waits on delivery either way. Retries and digests
fall due later: each worker's sweep (tropewatch/web/celery.py) sends them, or, without
workers, ``tropewatch send-allies`` run from cron.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.db import connections, transaction

from tropewatch.web.celery import app

from .delivery import send_due


@app.task(name="tropewatch.allies_send_due")
def send_due_task() -> int:
    return send_due()


def _send_in_thread() -> None:
    try:
        send_due()
    finally:
        connections.close_all()  # this thread's own connection


def dispatch_after_commit() -> None:
    """Send what is due once the current transaction has committed the deliveries."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        transaction.on_commit(lambda: threading.Thread(
            target=_send_in_thread, name="allies-send", daemon=True).start())
    else:
        # robust: a broker that is down is logged, not shown to the lead; the call is saved
        # and the workers' sweep sends it.
        transaction.on_commit(send_due_task.delay, robust=True)
