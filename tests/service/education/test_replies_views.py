import re
from datetime import UTC, date, datetime, timedelta

import pytest

from tropewatch.education.counts import call_outs_per_week
from tropewatch.education.models import CallOut
from tropewatch.review.decisions import Decision, record
from tropewatch.review.models import AppendOnlyError
from tropewatch.review.status import Action

POST = "Wake up: the holohoax is the biggest lie ever told."
SPAN = {"start": 13, "end": 21, "term": "holohoax", "category": "holocaust_denial",
        "entry": "holohoax"}


@pytest.fixture
def confirmed(make_post, members, org):
    post = make_post(POST, categories=["holocaust_denial"], spans=[SPAN])
    record(org, post.pk, members["moderator"], "moderator",
           Decision(Action.CONFIRM, categories=["holocaust_denial", "collective_blame"]))
    return post


def _url(post, rest=""):
    return f"/o/{post.org.slug}/posts/{post.pk}/replies/{rest}"


def test_a_confirmed_post_gets_three_drafts_without_its_slur(client_as, confirmed):
    page = client_as("moderator").get(_url(confirmed)).content.decode()

    for label in ("Explain the trope", "Challenge the poster", "Support the person targeted"):
        assert label in page
    assert "IHRA Working Definition of Antisemitism gives this as its example 4" in page
    assert "holohoax" not in page.casefold()


def test_an_open_post_gets_no_drafts(client_as, make_post):
    post = make_post(categories=["holocaust_denial"])

    page = client_as("moderator").get(_url(post)).content.decode()

    assert "once the post is confirmed" in page and "Approve this reply" not in page
    assert client_as("moderator").post(_url(post, "approve/"), {
        "tone": "explain", "text": "Hello."}).status_code == 400
    assert not CallOut.objects.exists()


def test_an_edited_reply_is_approved_posted_and_shown_on_the_history(client_as, confirmed):
    client = client_as("moderator")

    client.post(_url(confirmed, "approve/"), {"tone": "challenge", "text": "  Please stop. "})
    approval = CallOut.objects.get()
    client.post(_url(confirmed, f"{approval.pk}/posted/"), {"url": "https://x.com/us/status/9"})

    posted = CallOut.objects.get(action="posted")
    assert (approval.action, approval.text, approval.actor_role) == (
        "approved", "Please stop.", "moderator")
    assert (posted.approval, posted.url, posted.text) == (
        approval, "https://x.com/us/status/9", "Please stop.")
    item = client.get(f"/o/{confirmed.org.slug}/posts/{confirmed.pk}/").content.decode()
    assert "Call-outs" in item and "posted the reply" in item
    assert "https://x.com/us/status/9" in item
    assert f'href="{_url(confirmed)}"' in item  # the item page links to the drafts


def test_an_edit_that_puts_the_slur_back_is_refused(client_as, confirmed):
    response = client_as("lead").post(_url(confirmed, "approve/"), {
        "tone": "explain", "text": "Calling it a HOLO HOAX is wrong."})

    assert response.status_code == 302
    assert not CallOut.objects.exists()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "not a url", ""])
def test_only_a_web_address_is_recorded_as_posted(client_as, confirmed, url):
    client = client_as("moderator")
    client.post(_url(confirmed, "approve/"), {"tone": "support", "text": "We stand with you."})
    approval = CallOut.objects.get()

    response = client.post(_url(confirmed, f"{approval.pk}/posted/"), {"url": url})

    assert response.status_code == 400
    assert CallOut.objects.count() == 1


def test_a_reply_is_posted_once(client_as, confirmed):
    client = client_as("moderator")
    client.post(_url(confirmed, "approve/"), {"tone": "support", "text": "We stand with you."})
    approval = CallOut.objects.get()

    for n in range(2):
        client.post(_url(confirmed, f"{approval.pk}/posted/"), {"url": f"https://x.com/{n}"})

    assert list(CallOut.objects.filter(action="posted").values_list("url", flat=True)) == [
        "https://x.com/0"]


def test_call_outs_are_append_only(client_as, confirmed):
    client_as("moderator").post(_url(confirmed, "approve/"), {"tone": "explain", "text": "Hi."})
    call_out = CallOut.objects.get()

    call_out.text = "changed"
    with pytest.raises(AppendOnlyError):
        call_out.save()
    with pytest.raises(AppendOnlyError):
        CallOut.objects.all().delete()


def test_posted_call_outs_are_counted_per_week(confirmed, members, org, other_org, make_post):
    def log(action, when, on=confirmed, in_org=org):
        return CallOut.objects.create(org=in_org, post=on, actor_name="m",
                                      actor_role="moderator", action=action, tone="explain",
                                      text="t", created_at=when)

    monday = datetime(2026, 11, 30, 9, tzinfo=UTC)
    log("posted", monday)
    log("posted", monday + timedelta(days=6, hours=14))  # Sunday night: same week
    log("posted", monday + timedelta(days=7))
    log("approved", monday)  # approved but never posted: not a call-out made
    log("posted", monday - timedelta(days=30))  # before the range asked for

    counts = call_outs_per_week(org, date(2026, 11, 23), date(2026, 12, 13))

    assert counts == {date(2026, 11, 30): 2, date(2026, 12, 7): 1}
    assert call_outs_per_week(other_org, date(2026, 11, 1), date(2026, 12, 31)) == {}


def test_the_replies_page_has_no_inline_script_or_style(client_as, confirmed):
    client = client_as("moderator")
    client.post(_url(confirmed, "approve/"), {"tone": "explain", "text": "Hi."})

    page = client.get(_url(confirmed)).content.decode()

    assert 'data-copy="approved-' in page  # the copy button works from copy.js
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert " style=" not in page and "<style" not in page
    assert not re.search(r"\son[a-z]+=", page)
