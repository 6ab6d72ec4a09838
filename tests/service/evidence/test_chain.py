"""Every review event and evidence record goes into the organisation's chain as it is
written; confirming or escalating captures the evidence."""

from __future__ import annotations

import json

import pytest

from tropewatch.accounts.models import Membership
from tropewatch.evidence.models import ChainHead, ChainLink, EvidenceRecord
from tropewatch.evidence.verify import Intact, verify_chain
from tropewatch.posts.models import Author, Post, Source
from tropewatch.review.decisions import Decision, record
from tropewatch.review.models import AppendOnlyError
from tropewatch.review.status import Action


def test_events_and_evidence_are_chained_in_the_order_written(org, confirmed_post):
    links = list(ChainLink.objects.filter(org=org).order_by("seq"))
    evidence = EvidenceRecord.objects.get()

    assert [(link.seq, link.kind) for link in links] == [
        (1, "event"), (2, "event"), (3, "evidence")]
    assert links[2].object_id == evidence.pk
    assert [link.prev_hash for link in links[1:]] == [link.link_hash for link in links[:2]]
    head = ChainHead.objects.get(org=org)
    assert (head.seq, head.link_hash) == (3, links[2].link_hash)
    assert verify_chain(org) == Intact(3, links[2].link_hash)


def test_the_snapshot_holds_the_post_its_author_source_verdict_and_decision(
    org, members, make_post
):
    author = Author.objects.create(org=org, platform="x", platform_id="u1", handle="someone",
                                   display_name="Some One", bio="bio <b>text</b>")
    post = make_post("Hidden hand \u202e text", author=author, url="https://x.com/p/1",
                     raw={"id": "p1", "lat": 51.5}, score=0.875)

    record(org, post.pk, members["triage"], "triage", Decision(Action.ESCALATE))

    evidence = EvidenceRecord.objects.get(post=post)
    snapshot = json.loads(evidence.snapshot)
    assert snapshot["post"]["text"] == "Hidden hand \u202e text"
    assert snapshot["post"]["raw"] == {"id": "p1", "lat": "51.5"}  # no floats: strings
    assert snapshot["author"]["bio"] == "bio <b>text</b>"
    assert snapshot["source"]["name"] == "#topic"
    assert snapshot["detection"]["score"] == "0.875"
    assert snapshot["detection"]["model_version"] and snapshot["detection"]["policy"] == "ihra"
    assert snapshot["decision"]["status"] == "escalated"
    assert snapshot["decision"]["actor_role"] == "triage"


def test_notes_dismissals_and_reopening_capture_no_evidence(org, members, make_post):
    post = make_post()

    for role, action in [("lead", Action.NOTE), ("lead", Action.DISMISS),
                         ("lead", Action.REOPEN)]:
        record(org, post.pk, members[role], role, Decision(action, reason="news"))

    assert not EvidenceRecord.objects.exists()
    assert ChainLink.objects.filter(org=org, kind="event").count() == 3


def test_each_organisation_has_its_own_chain(org, other_org, members, make_post):
    record(org, make_post().pk, members["lead"], "lead", Decision(Action.NOTE, note="a"))
    Membership.objects.create(user=members["lead"], org=other_org, role="lead")
    source = Source.objects.create(org=other_org, platform="x", name="elsewhere")
    other_post = Post.objects.create(org=other_org, source=source, platform="x",
                                     platform_id="o1", text="t", created_at=source.created_at,
                                     content_sha256="0")

    record(other_org, other_post.pk, members["lead"], "lead", Decision(Action.NOTE, note="b"))

    assert ChainLink.objects.get(org=other_org).seq == 1
    assert isinstance(verify_chain(org), Intact) and isinstance(verify_chain(other_org), Intact)


def test_evidence_and_links_can_be_neither_changed_nor_deleted(org, confirmed_post):
    evidence = EvidenceRecord.objects.get()
    link = ChainLink.objects.first()

    for row in (evidence, link):
        with pytest.raises(AppendOnlyError):
            row.save()
        with pytest.raises(AppendOnlyError):
            row.delete()
    with pytest.raises(AppendOnlyError):
        ChainLink.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        EvidenceRecord.objects.update(snapshot="{}")


def test_evidence_outlives_the_post(org, confirmed_post):
    evidence = EvidenceRecord.objects.get()

    Post.objects.filter(pk=confirmed_post.pk).delete()

    evidence = EvidenceRecord.objects.get(pk=evidence.pk)
    assert evidence.post_id is None
    assert json.loads(evidence.snapshot)["post"]["text"] == "The Rothschilds control the banks."
