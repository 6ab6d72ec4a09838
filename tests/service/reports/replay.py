"""Recorded-shape answers of the platforms' report endpoints, served by the local replay
server the live connectors' tests use (tests/ingest/follow/fake_servers.py)."""

from __future__ import annotations

import base64
import json
import time

from ingest.follow.fake_servers import Reply

DID = "did:plc:reporter0000000000000000"
POSTER_DID = "did:plc:poster00000000000000000"
POST_URI = f"at://{POSTER_DID}/app.bsky.feed.post/3kabc"
POST_CID = "bafyreig2fjxi3rptqdgylg7e5hmjl6mcke7rn2b6cugzlqq3i4zu6rq52q"


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def access_jwt() -> str:
    """Shaped like a PDS's access token: the SDK reads its expiry, never checks a signature."""
    now = int(time.time())
    header = {"typ": "at+jwt", "alg": "ES256K"}
    payload = {"scope": "com.atproto.appPass", "sub": DID, "iat": now, "exp": now + 7200,
               "aud": "did:web:pds.example"}
    return f"{_b64(header)}.{_b64(payload)}.c2lnbmF0dXJl"


def create_session() -> Reply:
    return Reply(body={"did": DID, "handle": "group.example", "email": "group@example.org",
                       "accessJwt": access_jwt(), "refreshJwt": access_jwt(), "active": True})


def create_report(reason_type: str) -> Reply:
    return Reply(body={
        "id": 4711, "reasonType": reason_type, "reportedBy": DID,
        "createdAt": "2026-12-05T18:00:00.000Z",
        "subject": {"$type": "com.atproto.repo.strongRef", "uri": POST_URI, "cid": POST_CID},
    })


MASTODON_INSTANCE = {
    "uri": "social.example", "title": "Social", "version": "4.3.0",
    "rules": [
        {"id": "1", "text": "No spam or advertising.", "hint": ""},
        {"id": "2", "text": "No racism, sexism, homophobia, transphobia or antisemitism.",
         "hint": "Including coded language."},
        {"id": "3", "text": "Be kind.", "hint": ""},
    ],
}


def mastodon_search(status_id: str = "110000000000000001", account_id: str = "109000000000000042"
                    ) -> Reply:
    return Reply(body={"accounts": [], "hashtags": [], "statuses": [{
        "id": status_id, "uri": "https://remote.example/users/poster/statuses/77",
        "url": "https://remote.example/@poster/77",
        "account": {"id": account_id, "acct": "poster@remote.example"},
    }]})


def mastodon_report(report_id: str = "5150") -> Reply:
    return Reply(body={"id": report_id, "action_taken": False, "category": "violation",
                       "comment": "", "forwarded": True, "rule_ids": ["2"],
                       "status_ids": ["110000000000000001"]})
