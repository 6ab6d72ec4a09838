"""The item page offers a decided item's evidence to leads and admins, as a download."""

from __future__ import annotations

import pytest

from tropewatch.evidence.bundle_check import check_bundle


def _item(client, org, post):
    return client.get(f"/o/{org.slug}/posts/{post.pk}/")


@pytest.mark.parametrize("role", ["admin", "lead"])
def test_leads_and_admins_see_the_link_on_a_confirmed_item(client_as, org, confirmed_post,
                                                           role):
    page = _item(client_as(role), org, confirmed_post).content.decode()

    assert f'href="/o/{org.slug}/posts/{confirmed_post.pk}/evidence.zip"' in page
    assert "Download evidence" in page


@pytest.mark.parametrize("role", ["moderator", "triage", "viewer"])
def test_other_roles_see_no_link(client_as, org, confirmed_post, role):
    assert "Download evidence" not in _item(client_as(role), org, confirmed_post).content.decode()


def test_an_item_without_evidence_has_no_link_and_no_bundle(client_as, org, make_post):
    post = make_post()
    lead = client_as("lead")

    assert "Download evidence" not in _item(lead, org, post).content.decode()
    assert lead.get(f"/o/{org.slug}/posts/{post.pk}/evidence.zip").status_code == 404


def test_the_bundle_is_an_attachment_never_stored_by_the_browser(
    client_as, org, confirmed_post, tmp_path
):
    response = client_as("lead").get(f"/o/{org.slug}/posts/{confirmed_post.pk}/evidence.zip")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        f'attachment; filename="evidence-campaign-post-{confirmed_post.pk}.zip"')
    assert "no-store" in response["Cache-Control"]
    path = tmp_path / "download.zip"
    path.write_bytes(response.content)
    assert check_bundle(path) == []


def test_evidence_altered_in_the_database_is_refused_plainly(client_as, org, confirmed_post):
    from django.db import connection

    from tropewatch.evidence.models import EvidenceRecord

    evidence = EvidenceRecord.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE evidence_evidencerecord SET snapshot = %s WHERE id = %s",
                       [evidence.snapshot.replace("Rothschilds", "bankers"), evidence.pk])

    response = client_as("lead").get(f"/o/{org.slug}/posts/{confirmed_post.pk}/evidence.zip")

    assert response.status_code == 409
    assert f"evidence record {evidence.pk} does not match the chain" in response.content.decode()
