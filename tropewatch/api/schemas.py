"""What the API takes and gives (docs/api.md): pydantic models that ninja turns into the
OpenAPI schema. Lengths here are the contract's limits."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

Platform = Literal["facebook", "x", "bluesky", "mastodon", "other"]


class SubmissionIn(Schema):
    platform: Platform
    url: str = Field(min_length=1, max_length=2000,
                     description="The post's permalink; never fetched.")
    text: str = Field("", max_length=20000, description="The post's text, or the selected part.")
    author_handle: str = Field("", max_length=300)
    author_name: str = Field("", max_length=300)
    platform_id: str = Field("", max_length=512)
    posted_at: datetime | None = None
    seen_at: datetime
    note: str = Field("", max_length=2000)
    category: str | None = Field(None, max_length=100, description="A taxonomy category id.")
    screenshot: str | None = Field(None, description="Base64 PNG or JPEG, at most 5 MB decoded.")


class Verdict(Schema):
    antisemitic: bool
    score: float
    categories: list[str]
    explanation: str


class Explainer(Schema):
    category: str
    title: str
    text: str


class SubmissionOut(Schema):
    item_id: int
    merged: bool
    reporters: int
    verdict: Verdict | None
    explainer: Explainer | None
    status_url: str


class Author(Schema):
    handle: str
    name: str


class ItemOut(Schema):
    id: int
    platform: str
    text: str
    created_at: datetime
    status: str
    verdict: Verdict | None
    reporters: int
    # Personal data: only for the roles that see it (moderators, leads, admins).
    url: str | None = None
    author: Author | None = None


class DecisionIn(Schema):
    action: Literal["confirm", "dismiss", "escalate", "reopen", "note"]
    categories: list[str] = Field(default_factory=list, max_length=50)
    reason: str = Field("", max_length=30)
    note: str = Field("", max_length=5000)


class DecisionOut(Schema):
    item_id: int
    status: str


class Error(Schema):
    detail: str
