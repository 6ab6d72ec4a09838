"""The members page: an admin changes roles, removes people and resets a lost second factor,
each logged; the organisation never loses its last admin."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from service.concurrency import as_concurrent_moderators
from service.conftest import verified_client
from tropewatch.accounts import recovery
from tropewatch.accounts.access import OrgAccess
from tropewatch.accounts.models import AdminEvent, Membership
from tropewatch.accounts.team import LastAdmin, change_role


def _membership(members, role):
    return Membership.objects.get(user=members[role])


def test_the_page_lists_members_roles_and_second_factors(client_as, members):
    recovery.regenerate(members["lead"])

    page = client_as("admin").get("/o/campaign/team/").content.decode()

    assert all(f'data-member="{role}"' in page for role in members)
    assert "App, 10 recovery codes" in page


def test_an_admin_changes_a_role_and_it_is_logged(client_as, members):
    viewer = _membership(members, "viewer")

    response = client_as("admin").post(f"/o/campaign/team/{viewer.pk}/role/", {"role": "lead"})

    viewer.refresh_from_db()
    assert viewer.role == "lead"
    assert response["Location"] == "/o/campaign/team/"
    event = AdminEvent.objects.get()
    assert (event.actor_name, event.action, event.subject, event.detail) == (
        "admin", "role_changed", "viewer", "Viewer → Lead")


def test_an_unknown_role_changes_nothing_and_says_so(client_as, members):
    viewer = _membership(members, "viewer")
    client = client_as("admin")

    client.post(f"/o/campaign/team/{viewer.pk}/role/", {"role": "owner"})

    viewer.refresh_from_db()
    assert viewer.role == "viewer"
    assert "role: Select a valid choice" in client.get("/o/campaign/team/").content.decode()
    assert not AdminEvent.objects.exists()


def test_the_last_admin_can_neither_leave_nor_be_demoted(client_as, members):
    admin = _membership(members, "admin")
    client = client_as("admin")

    client.post(f"/o/campaign/team/{admin.pk}/role/", {"role": "viewer"})
    client.post(f"/o/campaign/team/{admin.pk}/remove/", {"confirmed": "1"})

    admin.refresh_from_db()
    assert admin.role == "admin"
    assert "at least one admin" in client.get("/o/campaign/team/").content.decode()
    assert not AdminEvent.objects.exists()


def test_an_admin_who_steps_down_is_sent_away_from_the_page(client_as, members):
    Membership.objects.filter(user=members["lead"]).update(role="admin")
    admin = _membership(members, "admin")

    response = client_as("admin").post(f"/o/campaign/team/{admin.pk}/role/",
                                       {"role": "moderator"})

    assert response["Location"] == "/"
    assert _membership(members, "admin").role == "moderator"


def test_removing_a_member_keeps_their_account(client_as, members, django_user_model):
    moderator = _membership(members, "moderator")

    client_as("admin").post(f"/o/campaign/team/{moderator.pk}/remove/", {"confirmed": "1"})

    assert not Membership.objects.filter(pk=moderator.pk).exists()
    assert django_user_model.objects.filter(username="moderator").exists()
    assert verified_client(members["moderator"]).get("/o/campaign/queue/").status_code == 404


def test_remove_asks_first_naming_the_member_and_removes_nobody(client_as, members):
    moderator = _membership(members, "moderator")

    response = client_as("admin").post(f"/o/campaign/team/{moderator.pk}/remove/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Remove moderator from Campaign group?" in page
    assert 'name="confirmed" value="1"' in page
    assert Membership.objects.filter(pk=moderator.pk).exists()
    assert not AdminEvent.objects.exists()


def test_resetting_a_second_factor_forgets_the_app_and_the_codes(client_as, members):
    user = members["moderator"]
    recovery.regenerate(user)
    their_session = verified_client(user)

    client_as("admin").post(f"/o/campaign/team/{_membership(members, 'moderator').pk}"
                            "/second-factor/")

    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    # The session verified by the forgotten app must set up a new one.
    detour = their_session.get("/o/campaign/queue/")
    assert detour.status_code == 302 and detour["Location"].startswith("/two-factor/")
    assert AdminEvent.objects.get().action == "2fa_reset"


def test_members_of_another_organisation_cannot_be_changed(client_as, other_org,
                                                           django_user_model):
    elsewhere = Membership.objects.create(
        org=other_org, user=django_user_model.objects.create_user("elsewhere"), role="viewer")

    response = client_as("admin").post(f"/o/campaign/team/{elsewhere.pk}/role/",
                                       {"role": "admin"})

    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.role == "viewer"


@pytest.mark.django_db(transaction=True)
def test_two_admins_demoting_each_other_at_once_leave_one_admin(org, members):
    Membership.objects.filter(user=members["lead"]).update(role="admin")
    pair = [members["admin"], members["lead"]]
    refused = []

    def demote_the_other(user) -> None:
        other = next(u for u in pair if u != user)
        access = OrgAccess(org=org, role="admin", user=user)
        try:
            change_role(Membership.objects.get(user=other), "viewer", access)
        except LastAdmin:
            refused.append(user.username)

    as_concurrent_moderators(demote_the_other, pair)

    assert Membership.objects.filter(org=org, role="admin").count() == 1
    assert len(refused) == 1
