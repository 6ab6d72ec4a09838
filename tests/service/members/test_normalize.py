"""One normal form per identifier, however it is written; refusals never quote the value."""

from __future__ import annotations

import pytest

from tropewatch.members.normalize import BadIdentifier, handle, name_and_postcode, single


@pytest.mark.parametrize(("field", "written", "normal"), [
    ("email", " Ada.Lovelace@Example.ORG ", "ada.lovelace@example.org"),
    ("email", "mailto:ada@example.org", "ada@example.org"),
    ("phone", "07700 900123", "+447700900123"),
    ("phone", "+44 (0)7700 900123", "+447700900123"),
    ("phone", "0044 7700-900-123", "+447700900123"),
    ("phone", "'+44 7700 900123", "+447700900123"),  # a spreadsheet's formula guard
    ("phone", "+1 (202) 555-0143", "+12025550143"),
    ("x", "@AdaL", "adal"),
    ("x", "https://x.com/AdaL/status/1", "adal"),
    ("x", "twitter.com/adal", "adal"),
    ("x", "ａｄａｌ", "adal"),  # full-width letters
    ("bluesky", "@Ada.bsky.social", "ada.bsky.social"),
    ("bluesky", "ada", "ada.bsky.social"),
    ("bluesky", "https://bsky.app/profile/ada.example.com", "ada.example.com"),
    ("mastodon", "@Ada@Mastodon.Social", "ada@mastodon.social"),
    ("mastodon", "https://mastodon.social/@ada", "ada@mastodon.social"),
    ("facebook", "Ada.Lovelace", "adalovelace"),
    ("facebook", "https://www.facebook.com/ada.lovelace", "adalovelace"),
    ("facebook", "https://www.facebook.com/profile.php?id=100012345678", "100012345678"),
])
def test_each_spelling_gives_the_normal_form(field, written, normal):
    assert single(field, written, "GB").value == normal


def test_phone_numbers_without_a_country_code_are_read_in_the_configured_region():
    assert single("phone", "(202) 555-0143", "US").value == "+12025550143"


def test_a_name_and_postcode_lose_accents_punctuation_spaces_and_case():
    written = name_and_postcode("Zoë O'Neill-Smith", "sw1a 1aa")

    assert written == name_and_postcode(" ZOE ONEILL SMITH ", "SW1A1AA")
    assert written != name_and_postcode("Zoe O'Neill-Smith", "SW1A 1AB")


@pytest.mark.parametrize(("field", "written"), [
    ("email", "ada-at-example.org"),
    ("phone", "12"),
    ("phone", "call me"),
    ("x", "this_handle_is_far_too_long_for_x"),
    ("mastodon", "ada"),  # a name alone is another account on every server
    ("facebook", "ada"),  # shorter than Facebook allows
])
def test_an_unreadable_identifier_is_refused_without_quoting_it(field, written):
    with pytest.raises(BadIdentifier) as refusal:
        single(field, written, "GB")

    assert written not in str(refusal.value)


def test_a_platform_without_handles_is_refused():
    with pytest.raises(BadIdentifier, match="no handles for platform"):
        handle("ada", "csv")
