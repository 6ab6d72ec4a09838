"""One spelling for each identifier, so that the same person written two ways gives one hash.

Pure functions, no Django: each takes what a person typed and returns the normal form, or
raises ``BadIdentifier`` with a reason that never quotes the value (reasons reach terminals
and logs, and the raw list must not).

What is absorbed: case, spaces, a leading ``@``, profile addresses instead of handles, phone
numbers in any national or international format, accents and punctuation in names, spaces in
postcodes, the dots Facebook ignores in usernames. What is not: typos. A keyed hash matches
only identical text, and guessing at near spellings would make different people match.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import parse_qs, urlsplit

import phonenumbers

from tropewatch.safecsv import unescape_cell


class Kind(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    HANDLE = "handle"
    NAME_POSTCODE = "name_postcode"  # one key: a name alone matches too many people


# The platforms whose handles a list may hold: those tropewatch imports authors from.
PLATFORMS = ("x", "bluesky", "mastodon", "facebook")


class BadIdentifier(ValueError):
    """An identifier that cannot be read; the message says why without quoting it."""


@dataclass(frozen=True, slots=True, order=True)
class Identifier:
    kind: Kind
    platform: str  # for handles; "" for the other kinds
    value: str  # the normal form

    @property
    def scope(self) -> str:
        """What a list must hold for this identifier to be checked: "email", "handle:x"."""
        return f"{self.kind}:{self.platform}" if self.platform else str(self.kind)

    @property
    def label(self) -> str:
        """The kind as people read it: "email", "x handle", "name and postcode"."""
        if self.kind == Kind.HANDLE:
            return f"{self.platform} handle"
        return "name and postcode" if self.kind == Kind.NAME_POSTCODE else str(self.kind)


def _plain(text: str) -> str:
    # NFKC folds full-width and compatibility characters (ａｌｉｃｅ) into ordinary ones; a
    # spreadsheet's formula guard (a leading ') is not part of what was typed.
    return unescape_cell(unicodedata.normalize("NFKC", text).strip())


_SPACES = re.compile(r"\s+")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


def email(text: str) -> Identifier:
    # Case-folded whole: the local part is case-sensitive on paper, never in practice.
    value = _SPACES.sub("", _plain(text)).removeprefix("mailto:").casefold()
    if not _EMAIL.fullmatch(value):
        raise BadIdentifier("not an email address (expected name@domain)")
    return Identifier(Kind.EMAIL, "", value)


def phone(text: str, region: str) -> Identifier:
    """E.164 (+447700900123). ``region`` says which country a number without a country code
    is from. Possible numbers are kept, not only valid ones: validity depends on numbering
    plans, which change, and a new range must not make a member's number unreadable."""
    try:
        number = phonenumbers.parse(_plain(text), region)
    except phonenumbers.NumberParseException:
        raise BadIdentifier("not a phone number") from None
    if not phonenumbers.is_possible_number(number):
        raise BadIdentifier(f"not a possible phone number (read with default region {region})")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return Identifier(Kind.PHONE, "", e164)


# What each platform allows in a handle, after the steps below.
_HANDLE_SHAPES = {
    "x": re.compile(r"[a-z0-9_]{1,15}"),
    "bluesky": re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+"),
    "mastodon": re.compile(r"[a-z0-9_.-]+@[a-z0-9-]+(\.[a-z0-9-]+)+"),
    "facebook": re.compile(r"[a-z0-9]{5,50}"),
}
_PROFILE_HOSTS = {
    "x": ("x.com", "twitter.com", "mobile.twitter.com", "www.x.com", "www.twitter.com"),
    "bluesky": ("bsky.app",),
    "facebook": ("facebook.com", "www.facebook.com", "m.facebook.com"),
}


def handle(text: str, platform: str) -> Identifier:
    """A platform's handle without ``@``, lower case; a profile address gives its handle.
    Bluesky's bare names get the default ``.bsky.social``; Mastodon handles need their server
    (``name@server``), as a name alone is a different account on each server; Facebook ignores
    dots in usernames, and so does this."""
    if platform not in _HANDLE_SHAPES:
        raise BadIdentifier(f"no handles for platform {platform!r}")
    value = _SPACES.sub("", _plain(text)).casefold()
    value = _from_profile_address(value, platform).removeprefix("@")
    if platform == "bluesky" and "." not in value:
        value = f"{value}.bsky.social"
    elif platform == "facebook":
        value = value.replace(".", "")
    if not _HANDLE_SHAPES[platform].fullmatch(value):
        expected = "name@server" if platform == "mastodon" else "a handle"
        raise BadIdentifier(f"not a {platform} handle (expected {expected})")
    return Identifier(Kind.HANDLE, platform, value)


def _from_profile_address(value: str, platform: str) -> str:
    if "/" not in value:
        return value
    parts = urlsplit(value if "://" in value else f"https://{value}")
    path = [segment for segment in parts.path.split("/") if segment]
    if not path:
        return value
    if platform == "mastodon" and path[0].startswith("@"):
        return f"{path[0]}@{parts.hostname}"  # https://server/@name
    if parts.hostname not in _PROFILE_HOSTS.get(platform, ()):
        return value
    if platform == "bluesky" and path[0] == "profile" and len(path) > 1:
        return path[1]  # https://bsky.app/profile/name.bsky.social
    if platform == "facebook" and path[0] == "profile.php":
        return parse_qs(parts.query).get("id", [""])[0]  # an account without a username
    return path[0]


def single(field: str, text: str, region: str) -> Identifier:
    """The identifier in one cell: ``field`` is "email", "phone" or a platform's name."""
    if field == "email":
        return email(text)
    if field == "phone":
        return phone(text, region)
    return handle(text, field)


def name_and_postcode(name: str, postcode: str) -> Identifier:
    """Names lose accents, punctuation and spaces (Zoë O'Neill-Smith, zoe oneill smith);
    postcodes lose spaces and case (sw1a 1aa, SW1A1AA)."""
    folded = unicodedata.normalize("NFKD", _plain(name).casefold())
    name_value = "".join(char for char in folded if char.isalnum())
    postcode_value = re.sub(r"[\s-]", "", _plain(postcode)).upper()
    if not name_value:
        raise BadIdentifier("name has no letters")
    if not postcode_value.isalnum():
        raise BadIdentifier("postcode has characters a postcode cannot have")
    # The unit separator cannot occur in either part once normalised.
    return Identifier(Kind.NAME_POSTCODE, "", f"{name_value}\x1f{postcode_value}")
