"""Locust users for bench_queue.py: moderators who read the queue and work through it.

Each user takes one of the pre-made, two-factor-verified sessions listed in BENCH_SESSIONS
(a JSON list of session keys) and the organisation in BENCH_ORG. Run by bench_queue.py.
"""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import HttpUser, between, task

SESSIONS = itertools.cycle(json.loads(os.environ["BENCH_SESSIONS"]))
ORG = os.environ["BENCH_ORG"]
CATEGORIES = ["power_control", "rothschild_soros", "holocaust_denial", "coded_language"]
REASONS = ["calls_out", "news", "israel_criticism", "not_antisemitic"]


class Moderator(HttpUser):
    wait_time = between(0.5, 2.0)  # reading time between pages, shortened

    def on_start(self) -> None:
        self.client.cookies.set("sessionid", next(SESSIONS))
        # The queue page sets the CSRF cookie that the decision forms need. Counted apart:
        # all the moderators arrive in the run's first second, so these first visits wait
        # behind each other, which the pages read while they work do not.
        self.client.get(f"/o/{ORG}/queue/", name="queue (first visit)")
        self.csrf = self.client.cookies.get("csrftoken", "")

    @task(5)
    def read_the_queue(self) -> None:
        self.client.get(f"/o/{ORG}/queue/", name="queue")

    @task(2)
    def filter_the_queue(self) -> None:
        self.client.get(f"/o/{ORG}/queue/", name="queue (filtered)", params={
            "category": random.choice(CATEGORIES), "min_score": "0.6", "status": "pending"})

    @task(3)
    def review_one(self) -> None:
        """Start (claim the top item and open it), then decide it, which opens the next."""
        headers = {"X-CSRFToken": self.csrf}
        opened = self.client.post(f"/o/{ORG}/queue/next/", headers=headers,
                                  name="claim next + item page")
        if "/posts/" not in opened.url:
            return  # nothing left to claim
        post_path = opened.url.split("?")[0].removeprefix(self.host)
        if random.random() < 0.5:
            data = {"action": "confirm", "categories": random.choice(CATEGORIES)}
        else:
            data = {"action": "dismiss", "reason": random.choice(REASONS)}
        self.client.post(f"{post_path}decide/", data=data, headers=headers,
                         name="decide + next item page")
