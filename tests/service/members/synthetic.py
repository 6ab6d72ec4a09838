"""A synthetic member list and the people later looked up against it, with the truth known.

Every identifier has a canonical form (what the person *is*: lower-case ASCII, a national
phone number), from which the list and the lookups each write their own spelling: other case,
spaces, ``@``, profile addresses, other phone formats, accents. Some lookups carry a typo
(one character changed or two swapped). Strangers include near misses: someone whose handle
is one character away from a member's. Whether two people are the same is decided on the
canonical forms, never by the code under test; a stranger whose identifier is a member's
(a namesake at a member's postcode) is left out, as nothing could tell them apart.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

MEMBERS = 300
STRANGERS = 300
NEAR_MISSES = 150
TYPO_SHARE = 0.2
SEED = 16

FIRST = ["Ada", "Zoë", "Siobhán", "José", "Anne-Marie", "Seán", "Miriam", "Yusuf", "Priya",
         "Chloé", "Dov", "Grace", "Kwame", "Léa", "Tomás", "Rachel"]
LAST = ["O'Neill", "Smith-Jones", "Lovelace", "Cohen", "Levi", "Khan", "Nowak", "Müller",
        "Okafor", "Ní Bhriain", "Abrahams", "García"]
POSTCODES = ["SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "EC1A 1BB", "W1A 0AX",
             "LS1 4AP", "G2 3JD", "CF10 1EP"]
KINDS = ["email", "phone", "x", "bluesky", "mastodon", "facebook", "name_postcode"]
COLUMNS = ["email", "phone", "x", "bluesky", "mastodon", "facebook", "name", "postcode"]

_ASCII = str.maketrans("ëáéíóúüñ", "eaeiouun")


def _ascii(text: str) -> str:
    return "".join(c for c in text.lower().translate(_ASCII) if c.isalnum())


@dataclass(frozen=True)
class Person:
    number: int
    display_name: str  # with accents and punctuation, as people write it
    canon: dict[str, str]  # kind -> canonical identifier


@dataclass(frozen=True)
class Query:
    kind: str
    text: str  # as the lookup spells it
    is_member: bool
    typo: bool = False
    near_miss: bool = False


def make_person(number: int, rng: random.Random, kinds: list[str]) -> Person:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    core = f"{_ascii(first)[:5]}_{_ascii(last)[:5]}{number}"  # <= 15 characters, as X wants
    canon = {
        "email": f"{_ascii(first)}.{_ascii(last)}{number}@example.org",
        "phone": f"07700{number:06d}",
        "x": core,
        "bluesky": f"{core.replace('_', '-')}.bsky.social",
        "mastodon": f"{core}@mastodon.social",
        "facebook": f"{_ascii(first)}{_ascii(last)}{number}",
        "name_postcode": f"{_ascii(first)}{_ascii(last)}|{rng.choice(POSTCODES).replace(' ', '')}",
    }
    name = f"{first} {last}"
    return Person(number, name, {kind: canon[kind] for kind in kinds})


def _random_kinds(rng: random.Random) -> list[str]:
    kinds = [kind for kind in KINDS if rng.random() < 0.6]
    return kinds or [rng.choice(KINDS)]


def _cased(text: str, rng: random.Random) -> str:
    return rng.choice([text, text.upper(), text.title(), text.capitalize()])


def spelled(kind: str, canon: str, display_name: str, rng: random.Random) -> str | tuple[str, str]:
    """One of the ways a person or a platform writes the identifier."""
    if kind == "email":
        return rng.choice([_cased(canon, rng), f"  {canon} ", f"mailto:{canon}"])
    if kind == "phone":
        national = canon[1:]
        return rng.choice([
            f"0{national[:4]} {national[4:]}", f"+44 {national[:4]} {national[4:]}",
            f"+44 (0){national}", f"0044 {national[:4]} {national[4:7]} {national[7:]}",
            f"(0{national[:4]}) {national[4:7]}-{national[7:]}", f"44{national}",
        ])
    if kind == "x":
        return rng.choice([f"@{_cased(canon, rng)}", canon.upper(), f" {canon} ",
                           f"https://x.com/{canon}", f"twitter.com/{_cased(canon, rng)}"])
    if kind == "bluesky":
        return rng.choice([f"@{canon}", _cased(canon, rng),
                           f"https://bsky.app/profile/{canon}", canon.removesuffix(".bsky.social")])
    if kind == "mastodon":
        user, server = canon.split("@")
        return rng.choice([f"@{_cased(canon, rng)}", canon, f"https://{server}/@{user}"])
    if kind == "facebook":
        dotted = f"{canon[:3]}.{canon[3:]}"
        return rng.choice([dotted, _cased(canon, rng), f"https://www.facebook.com/{dotted}"])
    name, postcode = canon.split("|")
    written_name = display_name if _ascii(display_name) == name else name
    written_postcode = f"{postcode[:-3]} {postcode[-3:]}"
    return (rng.choice([written_name, written_name.upper(), f" {written_name.lower()} "]),
            rng.choice([written_postcode, written_postcode.lower(), postcode]))


def with_typo(kind: str, canon: str, rng: random.Random) -> str:
    """The canonical identifier with one letter or digit of its personal part changed, or two
    neighbours swapped; the rest (domain, server, country code) is left alone."""
    separator = {"email": "@", "mastodon": "@", "bluesky": ".", "name_postcode": "|"}.get(kind)
    end = canon.index(separator) if separator else len(canon)
    start = 5 if kind == "phone" else 0  # 07700 is the range
    while True:
        chars = list(canon)
        at = rng.randrange(start, end)
        if not chars[at].isalnum():
            continue
        if rng.random() < 0.5 and at + 1 < end and chars[at + 1].isalnum():
            chars[at], chars[at + 1] = chars[at + 1], chars[at]
        else:
            pool = "0123456789" if chars[at].isdigit() else "abcdefghijklmnopqrstuvwxyz"
            chars[at] = rng.choice(pool.replace(chars[at], ""))
        typo = "".join(chars)
        if typo != canon:
            return typo


@dataclass(frozen=True)
class Synthetic:
    members: list[Person]
    queries: list[Query]

    def write_list(self, path: Path, rng: random.Random) -> None:
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, COLUMNS)
            writer.writeheader()
            for person in self.members:
                row = {}
                for kind, canon in person.canon.items():
                    written = spelled(kind, canon, person.display_name, rng)
                    if kind == "name_postcode":
                        row["name"], row["postcode"] = written
                    else:
                        row[kind] = written
                writer.writerow(row)


def _query(kind: str, canon: str, display_name: str, rng: random.Random, **truth) -> Query:
    written = spelled(kind, canon, display_name, rng)
    text = "|".join(written) if isinstance(written, tuple) else written
    return Query(kind, text, **truth)


def build(seed: int = SEED) -> Synthetic:
    rng = random.Random(seed)
    members = [make_person(n, rng, _random_kinds(rng)) for n in range(1, MEMBERS + 1)]
    taken = {(kind, canon) for person in members for kind, canon in person.canon.items()}

    def unused_typo(kind: str, canon: str) -> str:
        while True:
            typo = with_typo(kind, canon, rng)
            if (kind, typo) not in taken:  # one character from one member, not another's
                return typo

    queries = []
    for person in members:
        kind = rng.choice(sorted(person.canon))
        if rng.random() < TYPO_SHARE:
            canon = unused_typo(kind, person.canon[kind])
            queries.append(_query(kind, canon, "", rng, is_member=True, typo=True))
        else:
            queries.append(_query(kind, person.canon[kind], person.display_name, rng,
                                  is_member=True))
    for number in range(MEMBERS + 1, MEMBERS + STRANGERS + 1):
        stranger = make_person(number, rng, KINDS)
        kind = rng.choice(KINDS)
        if (kind, stranger.canon[kind]) in taken:
            continue  # a namesake at a member's postcode: the same identifier, not a stranger
        queries.append(_query(kind, stranger.canon[kind], stranger.display_name, rng,
                              is_member=False))
    for _ in range(NEAR_MISSES):
        person = rng.choice(members)
        kind = rng.choice(sorted(person.canon))
        queries.append(_query(kind, unused_typo(kind, person.canon[kind]), "", rng,
                              is_member=False, near_miss=True))
    return Synthetic(members, queries)
