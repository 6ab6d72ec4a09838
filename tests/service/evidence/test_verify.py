"""``tropewatch verify`` finds whatever was done to the review log, the evidence or the
chain directly in the database (raw SQL, as someone with the database's password would),
and names the first broken record."""

from __future__ import annotations

from django.db import connection

from tropewatch.evidence.models import ChainLink, EvidenceRecord
from tropewatch.review.decisions import Decision, record
from tropewatch.review.models import ReviewEvent
from tropewatch.review.status import Action


def _sql(statement: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _event_ids() -> list[int]:
    return list(ReviewEvent.objects.order_by("pk").values_list("pk", flat=True))


def test_an_untouched_chain_verifies_and_prints_its_head(cli, org, confirmed_post):
    head = ChainLink.objects.get(org=org, seq=3).link_hash

    result = cli("verify", "--org", org.slug)

    assert result.exit_code == 0, result.output
    assert f"campaign: intact, 3 links, head {head}" in result.stderr


def test_an_edited_event_is_named(cli, org, confirmed_post):
    first, _ = _event_ids()
    _sql("UPDATE review_reviewevent SET note = %s WHERE id = %s", "nothing to see", first)

    result = cli("verify", "--org", org.slug)

    assert result.exit_code == 1
    assert (f"BROKEN at review event {first} (link 1): the record was changed after it was "
            "chained") in result.stderr


def test_an_edited_evidence_snapshot_is_named(cli, org, confirmed_post):
    evidence = EvidenceRecord.objects.get()
    edited = evidence.snapshot.replace("Rothschilds", "bankers")
    _sql("UPDATE evidence_evidencerecord SET snapshot = %s WHERE id = %s", edited, evidence.pk)

    result = cli("verify")

    assert result.exit_code == 1
    assert f"evidence record {evidence.pk} (link 3): the record was changed" in result.stderr


def test_an_evidence_edit_that_also_rewrites_its_hash_column_is_named(cli, org, confirmed_post):
    from tropewatch.evidence.canonical import sha256_hex

    evidence = EvidenceRecord.objects.get()
    edited = evidence.snapshot.replace("classic trope", "")
    _sql("UPDATE evidence_evidencerecord SET snapshot = %s, sha256 = %s WHERE id = %s",
         edited, sha256_hex(edited.encode()), evidence.pk)

    result = cli("verify")

    assert result.exit_code == 1
    assert f"evidence record {evidence.pk} (link 3): the record was changed after" in (
        result.stderr)


def test_a_deleted_event_is_named(cli, org, confirmed_post):
    _, second = _event_ids()
    _sql("DELETE FROM review_reviewevent WHERE id = %s", second)

    result = cli("verify")

    assert result.exit_code == 1
    assert f"review event {second} (link 2): the record was deleted" in result.stderr


def test_a_deleted_event_with_its_link_leaves_a_gap(cli, org, confirmed_post):
    _, second = _event_ids()
    _sql("DELETE FROM review_reviewevent WHERE id = %s", second)
    _sql("DELETE FROM evidence_chainlink WHERE org_id = %s AND seq = 2", org.pk)

    result = cli("verify")

    assert result.exit_code == 1
    assert "chain (link 2): missing: the chain goes from link 1 to link 3" in result.stderr


def test_removing_the_last_record_and_link_is_found_by_the_head(cli, org, confirmed_post):
    evidence = EvidenceRecord.objects.get()
    _sql("DELETE FROM evidence_evidencerecord WHERE id = %s", evidence.pk)
    _sql("DELETE FROM evidence_chainlink WHERE org_id = %s AND seq = 3", org.pk)

    result = cli("verify")

    assert result.exit_code == 1
    assert "the chain ends at link 2 but its head is at link 3" in result.stderr


def test_an_inserted_event_is_named(cli, org, members, confirmed_post):
    event = ReviewEvent.objects.order_by("pk").last()
    _sql("INSERT INTO review_reviewevent (org_id, post_id, actor_id, actor_name, actor_role, "
         "action, categories, reason, note, created_at) "
         "SELECT org_id, post_id, actor_id, actor_name, actor_role, 'dismiss', categories, "
         "'news', '', created_at FROM review_reviewevent WHERE id = %s", event.pk)
    inserted = ReviewEvent.objects.order_by("pk").last().pk

    result = cli("verify")

    assert result.exit_code == 1
    assert (f"review event {inserted} (no link): the record is not in the chain"
            in result.stderr)


def test_a_link_rewritten_to_match_an_edited_event_breaks_the_next_link(
    cli, org, confirmed_post
):
    from tropewatch.evidence.canonical import link_hash
    from tropewatch.evidence.records import event_hash

    first, _ = _event_ids()
    _sql("UPDATE review_reviewevent SET note = 'rewritten' WHERE id = %s", first)
    link = ChainLink.objects.get(org=org, seq=1)
    record_hash = event_hash(ReviewEvent.objects.get(pk=first))
    _sql("UPDATE evidence_chainlink SET record_hash = %s, link_hash = %s WHERE id = %s",
         record_hash, link_hash(org.pk, 1, "event", first, record_hash, link.prev_hash), link.pk)

    result = cli("verify")

    assert result.exit_code == 1
    assert "(link 2): does not follow the link before it" in result.stderr


def test_only_the_broken_organisation_fails_but_the_exit_code_says_so(
    cli, org, other_org, confirmed_post
):
    first, _ = _event_ids()
    _sql("UPDATE review_reviewevent SET action = 'escalate' WHERE id = %s", first)

    result = cli("verify")

    assert result.exit_code == 1
    assert "campaign: BROKEN at review event" in result.stderr
    assert "other: intact, 0 links" in result.stderr


def test_an_unknown_organisation_is_an_input_error(cli, org):
    result = cli("verify", "--org", "nobody")

    assert result.exit_code == 2
    assert "no organisation 'nobody'" in result.stderr


def test_a_chain_longer_than_a_batch_verifies(cli, org, members, make_post, monkeypatch):
    from tropewatch.evidence import verify

    monkeypatch.setattr(verify, "BATCH", 7)  # links and records are read 7 at a time
    for number in range(30):
        post = make_post()
        role = ("moderator", "triage", "lead")[number % 3]
        action = (Action.CONFIRM, Action.ESCALATE, Action.NOTE)[number % 3]
        record(org, post.pk, members[role], role, Decision(action, note=f"n{number}"))

    result = cli("verify")

    assert result.exit_code == 0, result.output
    assert "campaign: intact, 50 links" in result.stderr
