"""Mastodon: REST statuses (HTML content to text) and the account archive's outbox."""

from __future__ import annotations

import json
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from ingest_helpers import FIXTURES, split, zip_directory

from tropewatch.ingest import IngestError, Limits, parse_file
from tropewatch.ingest.mastodon import html_to_text, status_to_record

MASTODON = FIXTURES / "mastodon"
OUTBOX = MASTODON / "archive" / "outbox.json"


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>one</p><p>two</p>", "one\n\ntwo"),
        ("<p>one</p>\n<p>two</p>", "one\n\ntwo"),
        ("<p>line<br>break<br />again</p>", "line\nbreak\nagain"),
        ('<p><a href="https://e.x/@a" class="u-url mention">@<span>a</span></a> hi</p>', "@a hi"),
        ("<p>&lt;b&gt; &amp; &quot;x&quot; &#39;y&#39;</p>", "<b> & \"x\" 'y'"),
        ("<p>a</p><script>alert(1)</script><style>p{}</style>", "a"),
        ("<p>x<br></p><ul><li>one</li><li>two</li></ul>", "x\n\none\n\ntwo"),
        ("a < b and c > d", "a < b and c > d"),
        ("<![ x ]>", "<![ x ]>"),
    ],
)
def test_html_becomes_the_text_a_reader_sees(html: str, text: str) -> None:
    assert html_to_text(html) == text


def test_no_markup_survives_html_to_text() -> None:
    text = html_to_text('<p>hi <img src=x onerror="alert(1)"><b>bold</b><!-- note --></p>')
    assert text == "hi bold"


def test_malformed_html_is_converted_in_linear_time() -> None:
    # html.parser alone takes seconds on each of these
    for hostile in ("<a" * 50_000, "<a href='" * 50_000, "<!--" * 50_000, "<a x='>'" * 20_000):
        started = time.perf_counter()
        html_to_text(hostile)
        assert time.perf_counter() - started < 2


def test_it_reads_rest_statuses() -> None:
    records, errors = split(parse_file(MASTODON / "statuses.json", "mastodon"))

    assert errors == []
    post, reply, boosted = records
    assert post.platform_id == "111400000000000001"
    assert post.text == (
        "Workshop notes are up & free to share.\n\n"
        "Read them here: https://example.org/notes/2023/workshop\nThanks @ben!"
    )
    assert post.created_at == datetime(2023, 11, 14, 22, 13, 20, 123000, tzinfo=UTC)
    assert post.url == "https://social.example/@ada/111400000000000001"
    assert post.reach == {"likes": 11, "shares": 6, "replies": 1}
    assert post.author.handle == "ada@social.example"  # local acct completed with the instance
    assert post.author.bio == "Community organiser.\nOpinions my own."
    # the content warning is part of what was said
    assert reply.text == "discussion of hate speech\n\n@ada The examples in part 2 are useful."
    assert reply.parent_platform_id == "111400000000000001"
    assert reply.parent_url is None  # a REST id is local to the server that answered
    assert reply.author.handle == "ben@other.example"
    # a boost stands for the boosted post, by its original author
    assert boosted.platform_id == reply.platform_id
    assert boosted.author == reply.author
    assert boosted.raw["reblog"]["id"] == reply.platform_id


def test_a_status_listed_twice_is_a_duplicate(tmp_path: Path) -> None:
    statuses = json.loads((MASTODON / "statuses.json").read_text())
    path = tmp_path / "statuses.jsonl"
    path.write_text("\n".join(json.dumps(page) for page in (statuses, statuses[:1])))

    records, errors = split(parse_file(path, "mastodon"))

    assert len(records) == 3
    assert [(e.kind, e.record, e.line) for e in errors] == [("duplicate", 4, 2)]


def test_statuses_without_id_or_text_are_skipped(tmp_path: Path) -> None:
    status = json.loads((MASTODON / "statuses.json").read_text())[0]
    path = tmp_path / "statuses.json"
    path.write_text(json.dumps([{**status, "id": None}, {**status, "content": "<p></p>"}]))

    records, errors = split(parse_file(path, "mastodon"))

    assert records == []
    assert [e.kind for e in errors] == ["missing_id", "missing_text"]


def test_statuses_convert_without_a_file_for_the_live_connector() -> None:
    status = json.loads((MASTODON / "statuses.json").read_text())[0]

    assert status_to_record(status).source_line is None


def test_it_reads_an_outbox_with_its_actor() -> None:
    records, errors = split(parse_file(OUTBOX, "mastodon"))

    post, reply = records
    assert post.platform_id == "https://social.example/users/ada/statuses/111400000000000001"
    assert post.text == "Workshop notes are up & free to share.\n\nThanks everyone who came!"
    assert post.url == "https://social.example/@ada/111400000000000001"
    assert post.author.platform_id == "https://social.example/users/ada"
    assert post.author.handle == "ada@social.example"
    assert post.author.display_name == "Ada Example"
    assert reply.text == "long thread\n\n@ben Glad they helped.\nPart 3 is next week."
    assert reply.parent_platform_id == "https://other.example/users/ben/statuses/111399999999999999"
    assert reply.parent_url == reply.parent_platform_id  # an ActivityPub id is its address
    assert reply.created_at == datetime(2023, 11, 15, 9, 30, tzinfo=UTC)
    # a boost in an archive has only a link to the boosted post
    assert [(e.kind, e.record) for e in errors] == [("boost", 3)]
    assert errors[0].is_skip


def test_the_archive_zip_gives_the_same_records(tmp_path: Path) -> None:
    archive = zip_directory(MASTODON / "archive", tmp_path / "archive-20231116.zip")

    records, _ = split(parse_file(archive, "mastodon"))

    assert records == split(parse_file(OUTBOX, "mastodon"))[0]


def test_without_actor_json_the_author_comes_from_the_actor_url(tmp_path: Path) -> None:
    alone = tmp_path / "outbox.json"
    shutil.copy(OUTBOX, alone)

    records, _ = split(parse_file(alone, "mastodon"))

    assert records[0].author.platform_id == "https://social.example/users/ada"
    assert records[0].author.handle == "ada@social.example"
    assert records[0].author.display_name is None


def test_a_truncated_outbox_names_the_file_and_activity(tmp_path: Path) -> None:
    broken = tmp_path / "outbox.json"
    broken.write_bytes(OUTBOX.read_bytes()[:3000])

    with pytest.raises(IngestError) as caught:
        list(parse_file(broken, "mastodon"))

    assert str(caught.value).startswith(f"{broken}: truncated JSON: the file ends at line")
    assert "inside activity 2, which starts at line 54" in str(caught.value)


def test_an_activity_whose_object_is_no_post_is_skipped(tmp_path: Path) -> None:
    outbox = json.loads(OUTBOX.read_text())
    outbox["orderedItems"][0]["object"]["type"] = ["Note"]  # any JSON can arrive here
    path = tmp_path / "outbox.json"
    path.write_text(json.dumps(outbox))

    records, errors = split(parse_file(path, "mastodon"))

    assert len(records) == 1
    assert (errors[0].kind, errors[0].record) == ("unsupported", 1)


def test_a_status_over_the_size_limit_is_skipped_and_the_next_read(tmp_path: Path) -> None:
    status = json.loads((MASTODON / "statuses.json").read_text())[0]
    long = {**status, "id": "2", "content": "<p>" + "x" * 5000 + "</p>"}
    path = tmp_path / "statuses.json"
    path.write_text(json.dumps([{**status, "id": "1"}, long, {**status, "id": "3"}]))

    records, errors = split(parse_file(path, "mastodon", limits=Limits(max_record_chars=5000)))

    assert [r.platform_id for r in records] == ["1", "3"]
    assert [(e.record, e.line, e.message) for e in errors] == [
        (2, 1, "record 2 starting at line 1 is larger than 5,000 characters, the most one "
               "record may hold; it was skipped unread")]
