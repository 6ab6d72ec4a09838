"""An author's membership on the item page: for leads and admins, looked up only on a click,
each look written to the access log, which nobody can change."""

from __future__ import annotations

import pytest

from tropewatch.members.importing import import_member_list
from tropewatch.members.models import MembershipLook
from tropewatch.posts.models import Author
from tropewatch.review.models import AppendOnlyError


@pytest.fixture
def post(org, make_post, write_list):
    import_member_list(org, write_list("x\n@AdaL\n"))
    author = Author.objects.create(org=org, platform="x", platform_id="1", handle="AdaL")
    return make_post(author=author)


def membership_url(post) -> str:
    return f"/o/{post.org.slug}/posts/{post.pk}/membership/"


@pytest.mark.parametrize("role", ["admin", "lead"])
def test_leads_and_admins_see_the_author_is_a_member_and_the_look_is_logged(
    client_as, post, role, members
):
    response = client_as(role).get(membership_url(post), headers={"HX-Request": "true"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Member</strong>: their x handle is on the member list" in page
    assert "<html" not in page  # the fragment alone, for htmx to swap in
    look = MembershipLook.objects.get()
    assert (look.author, look.actor, look.actor_role, look.result, look.matched) == (
        post.author, members[role], role, "member", "x handle"
    )


def test_each_look_is_logged_again(client_as, post):
    client = client_as("lead")

    client.get(membership_url(post))
    client.get(membership_url(post))

    assert MembershipLook.objects.count() == 2


def test_without_htmx_the_result_is_a_page_of_its_own(client_as, post):
    page = client_as("admin").get(membership_url(post)).content.decode()

    assert "<html" in page and "<strong>Member</strong>" in page


def test_an_author_not_on_the_list_is_not_a_member(client_as, post, write_list, org):
    import_member_list(org, write_list("x\n@someone_else\n"))

    page = client_as("admin").get(membership_url(post)).content.decode()

    assert "<strong>Not a member</strong>" in page and "checked: x handle" in page
    assert MembershipLook.objects.get().result == "not_member"


def test_a_post_without_an_author_has_nobody_to_look_up(client_as, make_post):
    post = make_post()

    assert client_as("admin").get(membership_url(post)).status_code == 404
    assert not MembershipLook.objects.exists()


@pytest.mark.parametrize(("role", "shown"), [
    ("admin", True), ("lead", True), ("moderator", False), ("triage", False), ("viewer", False),
])
def test_the_item_page_offers_the_check_to_leads_and_admins_only_and_looks_nothing_up(
    client_as, post, role, shown
):
    page = client_as(role).get(f"/o/{post.org.slug}/posts/{post.pk}/").content.decode()

    assert (f'hx-get="{membership_url(post)}"' in page) == shown
    assert not MembershipLook.objects.exists()


def test_the_access_log_cannot_be_changed_or_deleted(client_as, post):
    client_as("admin").get(membership_url(post))
    look = MembershipLook.objects.get()

    for change in (look.save, look.delete, MembershipLook.objects.all().delete,
                   lambda: MembershipLook.objects.update(result="unknown")):
        with pytest.raises(AppendOnlyError):
            change()
    assert MembershipLook.objects.get().result == "member"


def test_the_access_log_page_lists_each_look_newest_first_and_is_not_a_look(client_as, post):
    client_as("lead").get(membership_url(post))
    client_as("admin").get(membership_url(post))
    looks = MembershipLook.objects.count()

    response = client_as("admin").get(f"/o/{post.org.slug}/membership/looks/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "2 looks" in page
    rows = page.split("<tbody>")[1]
    assert rows.index("(admin)") < rows.index("(lead)")  # newest first
    assert rows.count("AdaL") == 2 and rows.count("x handle") == 2
    assert MembershipLook.objects.count() == looks  # reading the log looks nobody up
