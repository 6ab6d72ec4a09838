"""API callers: a bearer token per role of the organisation, and a client that uses it."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.test import Client

from tropewatch.api.tokens import create_token


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    # Throttles count in the cache, which outlives a test in this process.
    cache.clear()
    yield
    cache.clear()


class ApiClient:
    def __init__(self, secret: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def get(self, path: str, **params):
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path: str, body: dict | bytes, **headers):
        data = body if isinstance(body, bytes) else json.dumps(body)
        return self.client.post(f"/api/v1{path}", data, content_type="application/json",
                                headers={**self.headers, **headers})


@pytest.fixture
def api_as(org, members) -> Callable[[str], ApiClient]:
    def make(role: str) -> ApiClient:
        _, secret = create_token(org, members[role], f"{role}'s token")
        return ApiClient(secret)

    return make


def submission(**fields) -> dict:
    body = {
        "platform": "facebook", "url": "https://www.facebook.com/groups/7/posts/8/",
        "text": "The Rothschilds control the banks and the media.",
        "author_handle": "poster", "author_name": "A Poster",
        "seen_at": "2026-11-20T12:00:00Z", "note": "in our local group",
    }
    return {**body, **fields}
