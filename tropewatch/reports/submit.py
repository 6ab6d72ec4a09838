"""Sending a report through the platform's own API: Bluesky with the atproto SDK
(``com.atproto.moderation.createReport``), Mastodon over REST (``POST /api/v1/reports``).
Both return the platform's reference for the report; failures raise ``SubmissionError``
naming the endpoint and what the server said."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from atproto import Client, models
from atproto.exceptions import AtProtocolError

from .draft import Draft, InstanceRule

USER_AGENT = "tropewatch (reports to the platforms)"
BLUESKY_FALLBACK_REASON = "com.atproto.moderation.defs#reasonViolation"
TIMEOUT = 30.0


class SubmissionError(Exception):
    """The platform refused or could not be reached; nothing was recorded as submitted."""


def bluesky_cid(raw: Mapping[str, Any]) -> str:
    """The post's CID as imported: a post view or listRecords entry, a feed item, or a
    Jetstream commit."""
    for holder in (raw, raw.get("post") or {}, raw.get("commit") or {}):
        if isinstance(holder, Mapping) and isinstance(holder.get("cid"), str):
            return holder["cid"]
    return ""


def submit_bluesky(
    *, service: str, handle: str, app_password: str, uri: str, cid: str, draft: Draft
) -> str:
    if not cid:
        raise SubmissionError("the post's CID was not imported, so it cannot be named for "
                              "createReport; report it in the app instead")
    reason_type = next((r.api_reason for r in draft.rules if r.api_reason),
                       BLUESKY_FALLBACK_REASON)
    client = Client(service)
    try:
        # The report is all this login is for: no profile lookup.
        client.login(handle, app_password, fetch_bsky_profile=False)
        response = client.com.atproto.moderation.create_report(
            models.ComAtprotoModerationCreateReport.Data(
                reason_type=reason_type,
                subject=models.ComAtprotoRepoStrongRef.Main(uri=uri, cid=cid),
                reason=draft.text,
            )
        )
    except AtProtocolError as exc:
        raise SubmissionError(f"Bluesky at {service}: {_describe(exc)}") from exc
    return str(response.id)


def _describe(exc: AtProtocolError) -> str:
    response = getattr(exc, "response", None)
    content = getattr(response, "content", None)
    if response is not None:
        detail = getattr(content, "message", None) or getattr(content, "error", None) or ""
        return f"HTTP {response.status_code} {detail}".strip()
    return str(exc) or type(exc).__name__


@dataclass(frozen=True, slots=True)
class MastodonServer:
    """The organisation's account's server: reports go there, forwarded to the poster's."""

    base_url: str
    token: str = ""

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc

    def _client(self) -> httpx.Client:
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return httpx.Client(base_url=self.base_url.rstrip("/"), headers=headers,
                            timeout=TIMEOUT, follow_redirects=False)

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            with self._client() as http:
                response = http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise SubmissionError(f"{method} {self.base_url}{path}: {exc}") from exc
        if response.status_code != 200:
            detail = response.text[:300]
            raise SubmissionError(
                f"{method} {self.base_url}{path}: HTTP {response.status_code} {detail}")
        try:
            return response.json()
        except ValueError as exc:
            raise SubmissionError(f"{method} {self.base_url}{path}: answer is not JSON") from exc

    def rules(self) -> list[InstanceRule]:
        """The server's rules from ``GET /api/v1/instance`` (Mastodon 3.4 and later)."""
        data = self._call("GET", "/api/v1/instance")
        rules = data.get("rules") if isinstance(data, Mapping) else None
        if not isinstance(rules, list):
            raise SubmissionError(f"GET {self.base_url}/api/v1/instance: no rules list")
        return [InstanceRule(id=str(rule["id"]), text=str(rule.get("text", "")))
                for rule in rules if isinstance(rule, Mapping) and "id" in rule]

    def report(self, post_url: str, draft: Draft, rule_ids: Sequence[str]) -> str:
        """Find the post on this server by its URL (it may live on another), then report it
        with the rules it breaks, forwarded to the poster's server."""
        found = self._call("GET", "/api/v2/search", params={
            "q": post_url, "type": "statuses", "resolve": "true", "limit": "1"})
        statuses = found.get("statuses") if isinstance(found, Mapping) else None
        if not statuses:
            raise SubmissionError(f"{self.host} cannot find the post {post_url}")
        status = statuses[0]
        body = {
            "account_id": str(status["account"]["id"]),
            "status_ids": [str(status["id"])],
            "comment": draft.short_text,
            # "violation" must name the rules; without any, the report is "other".
            "category": "violation" if rule_ids else "other",
            "rule_ids": list(rule_ids),
            "forward": True,
        }
        report = self._call("POST", "/api/v1/reports", json=body)
        return str(report.get("id", "")) if isinstance(report, Mapping) else ""
