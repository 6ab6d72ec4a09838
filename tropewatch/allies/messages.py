"""One message to one ally holding one call or a digest of several: the email's plain text,
and the JSON each chat service's incoming webhook expects."""

from __future__ import annotations

from collections.abc import Sequence

from .content import CallContent

ANSWER_LABELS = {"replied": "I replied", "reported": "I reported it"}


def subject(org_name: str, calls: Sequence[CallContent]) -> str:
    if len(calls) == 1:
        return f"{org_name}: a call to action"
    return f"{org_name}: {len(calls)} calls to action"


def _call_lines(call: CallContent, number: int) -> list[str]:
    lines = [f"{number}. The post: {call.post_url}", ""]
    for explainer in call.explainers:
        lines.append(f"Why it is antisemitic ({explainer.name}): {explainer.text}")
        if explainer.href:
            lines.append(f"Read more: {explainer.href}")
    if call.replies:
        lines += ["", "Replies the group approved (copy one, or write your own):"]
        lines += [f'  "{reply}"' for reply in call.replies]
    if call.report:
        lines += ["", f"Report it too, on {call.report.service}: {call.report.how}",
                  f"  {call.report.url}"]
    lines += ["", "Tell us what you did:"]
    lines += [f"  {ANSWER_LABELS[answer]}: {url}" for answer, url in call.answer_urls.items()]
    return lines


def text(org_name: str, calls: Sequence[CallContent], unsubscribe_url: str) -> str:
    intro = (f"{org_name} asks its allies to answer this antisemitic post in public."
             if len(calls) == 1 else
             f"{org_name} asks its allies to answer these antisemitic posts in public.")
    lines = [intro, "Stay calm, don't share the post itself, and never answer abuse with "
                    "abuse.", ""]
    for number, call in enumerate(calls, start=1):
        lines += [*_call_lines(call, number), ""]
    lines.append(f"Stop receiving these: {unsubscribe_url}")
    return "\n".join(lines)


def _slack_escape(value: str) -> str:
    # Slack reads <...> as links and mentions (<!channel>); escaped, the text stays text.
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def webhook_payload(fmt: str, body: str) -> dict:
    """The JSON body for a Slack, Matrix (hookshot) or Discord incoming webhook."""
    if fmt == "slack":
        return {"text": _slack_escape(body)}
    if fmt == "discord":
        # Discord caps a message's content at 2000 characters and an embed's description at
        # 4096, so the text goes as an embed; no mention in it may ping anyone.
        return {"content": "", "embeds": [{"description": body[:4096]}],
                "allowed_mentions": {"parse": []}}
    if fmt == "matrix":
        return {"text": body, "username": "tropewatch"}
    raise ValueError(f"webhook format {fmt!r}: expected slack, matrix or discord")
