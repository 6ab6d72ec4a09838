"""Member, not a member, or unknown: "not a member" only where the list could have named them."""

from __future__ import annotations

import pytest

from tropewatch.members.importing import import_member_list
from tropewatch.members.lookup import author_identifiers, membership_of
from tropewatch.members.models import MemberKey, MembershipResult
from tropewatch.posts.models import Author

LIST = "email,x,name,postcode\nada@example.org,@AdaL,Ada Lovelace,SW1A 1AA\n"


@pytest.fixture
def author(org):
    def make(handle: str, platform: str = "x", in_org=None) -> Author:
        return Author.objects.create(org=in_org or org, platform=platform,
                                     platform_id=f"id-{handle}", handle=handle)
    return make


def answer_for(org, author: Author):
    return membership_of(org, author_identifiers(author))


def test_an_author_whose_handle_is_on_the_list_however_written_is_a_member(
    org, author, write_list
):
    import_member_list(org, write_list(LIST))

    answer = answer_for(org, author("adal"))

    assert answer.result == MembershipResult.MEMBER
    assert answer.matched == "x handle"


def test_an_author_the_list_could_have_named_but_does_not_is_not_a_member(
    org, author, write_list
):
    import_member_list(org, write_list(LIST))

    answer = answer_for(org, author("someone_else"))

    assert answer.result == MembershipResult.NOT_MEMBER
    assert answer.reason == "checked: x handle"


def test_an_author_on_a_platform_the_list_has_no_handles_for_is_unknown(
    org, author, write_list
):
    import_member_list(org, write_list(LIST))

    answer = answer_for(org, author("adal.bsky.social", platform="bluesky"))

    assert answer.result == MembershipResult.UNKNOWN
    assert answer.reason == "the member list has no bluesky handles"


@pytest.mark.parametrize("platform", ["csv", "jsonl"])
def test_an_author_from_a_spreadsheet_has_no_platform_handle_and_is_unknown(
    org, author, write_list, platform
):
    import_member_list(org, write_list(LIST))

    answer = answer_for(org, author("adal", platform=platform))

    assert answer.result == MembershipResult.UNKNOWN


def test_without_a_list_everyone_is_unknown(org, author):
    answer = answer_for(org, author("adal"))

    assert answer.result == MembershipResult.UNKNOWN
    assert answer.reason == "no member list has been imported"


def test_a_list_imported_under_another_key_says_so_instead_of_not_a_member(
    org, author, write_list, settings
):
    import_member_list(org, write_list(LIST))
    settings.MEMBERS_KEY = "another-key-of-enough-length-0123456789"

    answer = answer_for(org, author("adal"))

    assert answer.result == MembershipResult.UNKNOWN
    assert "another key" in answer.reason


def test_without_the_key_nothing_can_be_matched_and_the_answer_is_unknown(
    org, author, write_list, settings
):
    import_member_list(org, write_list(LIST))
    settings.MEMBERS_KEY = ""

    assert answer_for(org, author("adal")).result == MembershipResult.UNKNOWN


def test_one_organisations_list_says_nothing_about_another_and_shares_no_digest(
    org, other_org, author, write_list
):
    import_member_list(org, write_list(LIST))
    import_member_list(other_org, write_list(LIST.replace("@AdaL", "@someone_else")))

    answer = answer_for(other_org, author("adal", in_org=other_org))

    assert answer.result == MembershipResult.NOT_MEMBER
    digests = [set(MemberKey.objects.for_org(o).filter(kind="email").values_list("digest"))
               for o in (org, other_org)]
    assert digests[0] and digests[1] and not digests[0] & digests[1]  # same email, two orgs
