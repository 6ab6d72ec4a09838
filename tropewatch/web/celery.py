"""The Celery app that workers (``tropewatch worker``) run.

Its configuration is the ``CELERY_*`` part of the Django settings; tasks are found in each
app's ``tasks.py``. Each worker also sweeps for imports whose worker died
(tropewatch/imports/recovery.py), erases dismissed posts past each organisation's
retention period (tropewatch/people/erasure.py), rolls up the days marked stale for the
dashboard (tropewatch/impact/rollups.py) and sends allies the calls to action now due
(tropewatch/allies/delivery.py).
"""

from __future__ import annotations

import logging
import os

from celery import Celery, bootsteps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tropewatch.web.settings")

logger = logging.getLogger(__name__)


class ImportSweep(bootsteps.StartStopStep):
    """Re-queue imports whose worker died, when this worker starts and then every
    IMPORT_SWEEP_SECONDS, in the worker's main process.

    A timer in every worker rather than one Celery beat: nothing else has to be run and kept
    single, and several workers sweeping at once are safe (each run changes hands in one
    conditional UPDATE)."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs) -> None:
        super().__init__(worker, **kwargs)
        self.timer_entry = None

    def start(self, worker) -> None:
        from django.conf import settings

        self.sweep()
        self.timer_entry = worker.timer.call_repeatedly(
            settings.IMPORT_SWEEP_SECONDS, self.sweep
        )

    def stop(self, worker) -> None:
        if self.timer_entry is not None:
            self.timer_entry.cancel()

    @staticmethod
    def sweep() -> None:
        from django.db import connections

        from tropewatch.allies.delivery import send_due
        from tropewatch.impact.rollups import refresh_all
        from tropewatch.imports.recovery import requeue_stalled
        from tropewatch.people.erasure import purge_all_dismissed

        try:
            requeue_stalled()
            # Each organisation's retention policy rides on the same timer: it is idempotent,
            # and a deployment with workers then needs no cron job for it.
            purge_all_dismissed()
            # Today's posts and decisions (and any other day marked stale) reach the leads'
            # dashboard within a sweep.
            refresh_all()
            # Digests at their hour, calls held through quiet hours, and retries.
            send_due()
        except Exception:
            # A database that is down for a moment must not stop the worker; the next sweep
            # tries again.
            logger.exception(
                "the workers' sweep (dead imports, retention, roll-ups, allies) failed")
        finally:
            # The pool forks its processes from this one; they must not share its connection.
            connections.close_all()


app = Celery("tropewatch")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.steps["worker"].add(ImportSweep)
app.autodiscover_tasks()
