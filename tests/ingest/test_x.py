"""X/Twitter: account archives (tweets.js + account.js) and API v2 pages."""

from __future__ import annotations

import json
import shutil
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from ingest_helpers import FIXTURES, split, zip_directory

from tropewatch.ingest import IngestError, Limits, input_files, parse_file
from tropewatch.ingest.inputs import metered

ARCHIVE = FIXTURES / "x" / "archive"
TWEETS_JS = ARCHIVE / "data" / "tweets.js"


def _archive_copy(tmp_path: Path, tweets_js: str) -> Path:
    data = tmp_path / "data"
    shutil.copytree(ARCHIVE / "data", data)
    (data / "tweets.js").write_text(tweets_js)
    return data / "tweets.js"


def test_it_reads_archive_tweets_with_their_author() -> None:
    records, errors = split(parse_file(TWEETS_JS, "x"))

    assert errors == []
    first, reply = records
    assert first.platform_id == "1723456789012345678"
    # X escapes &, < and > in tweet text; the record holds what was typed
    assert first.text == "Volunteers & staff: training on Tuesday. Bring questions <3 🕯️"
    assert first.created_at == datetime(2023, 11, 11, 22, 6, 40, tzinfo=UTC)
    assert first.reach == {"likes": 12, "shares": 3}
    assert first.url == "https://x.com/tropewatch_demo/status/1723456789012345678"
    assert first.author.platform_id == "1234567890"
    assert first.author.handle == "tropewatch_demo"
    assert first.author.display_name == "Trope Watch Demo"
    assert first.author.bio.startswith("Volunteer moderators.")
    assert reply.parent_platform_id == "1723450000000000000"
    assert reply.parent_url == "https://x.com/bensample/status/1723450000000000000"
    assert first.parent_url is None
    assert reply.source_line == 37
    assert reply.raw["tweet"]["in_reply_to_screen_name"] == "bensample"


def test_the_archive_zip_gives_the_same_records_as_its_files(tmp_path: Path) -> None:
    archive = zip_directory(ARCHIVE, tmp_path / "twitter-2023-11-12.zip")

    from_zip, errors = split(parse_file(archive, "x"))

    assert errors == []
    assert from_zip == split(parse_file(TWEETS_JS, "x"))[0]


def test_older_archives_name_the_file_tweet_js(tmp_path: Path) -> None:
    old = TWEETS_JS.read_text().replace("window.YTD.tweets.part0", "window.YTD.tweet.part0", 1)
    path = _archive_copy(tmp_path, old).rename(tmp_path / "data" / "tweet.js")

    records, _ = split(parse_file(path, "x"))

    assert len(records) == 2


def test_tweets_js_without_the_ytd_prefix_is_refused(tmp_path: Path) -> None:
    path = _archive_copy(tmp_path, TWEETS_JS.read_text().split("=", 1)[1])

    with pytest.raises(IngestError, match="not an X archive file.*window.YTD.tweets.part0"):
        list(parse_file(path, "x"))


def test_tweets_js_without_account_js_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tweets.js"
    shutil.copy(TWEETS_JS, path)

    with pytest.raises(IngestError, match="account.js"):
        list(parse_file(path, "x"))


def test_truncated_tweets_js_names_the_file_and_line(tmp_path: Path) -> None:
    text = TWEETS_JS.read_text()
    path = _archive_copy(tmp_path, text[: text.index('"full_text"', 2000)])

    with pytest.raises(IngestError) as caught:
        list(parse_file(path, "x"))

    assert str(caught.value).startswith(
        f"{path}: truncated JSON: the file ends at line 82, column 7"
    )
    assert "inside record 2, which starts at line 37" in str(caught.value)


def test_a_tweet_without_id_is_skipped_and_the_rest_kept(tmp_path: Path) -> None:
    text = TWEETS_JS.read_text()
    text = text.replace('"id_str" : "1723456789012345678"', '"id_str" : ""')
    text = text.replace('"id" : "1723456789012345678"', '"id" : ""')
    path = _archive_copy(tmp_path, text)

    records, errors = split(parse_file(path, "x"))

    assert [r.platform_id for r in records] == ["1723460000000000001"]
    assert [(e.kind, e.record, e.line) for e in errors] == [("missing_id", 1, 2)]


def test_it_reads_an_api_v2_page() -> None:
    records, errors = split(parse_file(FIXTURES / "x" / "api_search_recent.json", "x"))

    assert errors == []
    post, reply = records
    assert post.text == "Reminder: our reading group meets tonight & everyone is welcome."
    assert post.created_at == datetime(2024, 5, 31, 18, 30, tzinfo=UTC)
    assert post.reach == {"likes": 25, "shares": 4, "replies": 1, "views": 1830}
    assert post.thread_root_id is None
    assert (post.author.handle, post.author.bio) == (
        "readinggroup",
        "Weekly history reading group.",
    )
    assert reply.author.handle == "carla_demo"
    assert reply.parent_platform_id == "1796500000000000001"
    assert reply.thread_root_id == "1796500000000000001"
    assert reply.url == "https://x.com/carla_demo/status/1796500000000000002"


def test_it_reads_pages_saved_one_per_line() -> None:
    records, errors = split(parse_file(FIXTURES / "x" / "api_pages.jsonl", "x"))

    assert errors == []
    long_post, no_includes = records
    assert long_post.text == long_post.raw["note_tweet"]["text"]  # not the cut "text"
    assert len(long_post.text) > 280
    assert no_includes.source_line == 2
    assert no_includes.author.platform_id == "4455667788"
    assert no_includes.author.handle is None
    assert no_includes.url == "https://x.com/i/web/status/1796600000000000002"


def test_the_same_tweet_on_two_pages_is_a_duplicate(tmp_path: Path) -> None:
    page = json.loads((FIXTURES / "x" / "api_search_recent.json").read_text())
    path = tmp_path / "pages.jsonl"
    path.write_text(json.dumps(page) + "\n" + json.dumps(page) + "\n")

    records, errors = split(parse_file(path, "x"))

    assert len(records) == 2
    assert [(e.kind, e.record, e.line) for e in errors] == [
        ("duplicate", 3, 2),
        ("duplicate", 4, 2),
    ]
    assert "record 3 repeats record 1" in errors[0].message


def test_an_archive_split_into_parts_is_read_whole(tmp_path: Path) -> None:
    part1 = TWEETS_JS.read_text().replace("window.YTD.tweets.part0", "window.YTD.tweets.part1")
    part1 = part1.replace("1723456789012345678", "1723456789012399999")
    _archive_copy(tmp_path, TWEETS_JS.read_text())
    (tmp_path / "data" / "tweets-part1.js").write_text(part1.replace("1723460000000000001", "17"))
    archive = zip_directory(tmp_path, tmp_path.parent / f"{tmp_path.name}.zip")

    records, errors = split(parse_file(archive, "x"))

    assert errors == []
    assert {r.platform_id for r in records} == {
        "1723456789012345678",
        "1723460000000000001",
        "1723456789012399999",
        "17",
    }


def test_an_account_js_without_account_id_is_refused(tmp_path: Path) -> None:
    path = _archive_copy(tmp_path, TWEETS_JS.read_text())
    account = path.parent / "account.js"
    account.write_text(account.read_text().replace('"accountId" : "1234567890",', ""))

    with pytest.raises(IngestError, match=f"{account}: missing id: accountId"):
        list(parse_file(path, "x"))


def test_an_api_page_over_the_size_limit_is_skipped_and_the_next_page_read(
    tmp_path: Path,
) -> None:
    first, second = (FIXTURES / "x" / "api_pages.jsonl").read_text().splitlines()
    path = tmp_path / "pages.jsonl"
    path.write_text(f"{first}\n{second}\n")
    limit = len(first) - 1  # the first page is one character too long

    records, errors = split(parse_file(path, "x", limits=Limits(max_record_chars=limit)))

    assert [r.platform_id for r in records] == ["1796600000000000002"]
    assert [str(e) for e in errors] == [
        f"{path}, line 1, record 1: record 1 starting at line 1 is larger than {limit:,} "
        "characters, the most one record may hold; it was skipped unread"]


@pytest.mark.parametrize("given", ["archive folder", "data folder"])
def test_the_archive_as_a_folder_gives_the_same_records_as_tweets_js(given: str) -> None:
    folder = ARCHIVE if given == "archive folder" else ARCHIVE / "data"

    from_folder, errors = split(parse_file(folder, "x"))

    assert errors == []
    assert from_folder == split(parse_file(TWEETS_JS, "x"))[0]
    assert input_files(folder, "x") == [TWEETS_JS, ARCHIVE / "data" / "account.js",
                                        ARCHIVE / "data" / "profile.js"]


def test_a_folder_reads_every_part_of_a_split_archive(tmp_path: Path) -> None:
    tweets = _archive_copy(tmp_path, TWEETS_JS.read_text())
    second = TWEETS_JS.read_text().replace("window.YTD.tweets.part0", "window.YTD.tweets.part1")
    second = second.replace("1723456789012345678", "1723456789012345999")
    second = second.replace("1723460000000000001", "1723460000000000999")
    (tweets.parent / "tweets-part1.js").write_text(second)

    records, errors = split(parse_file(tmp_path, "x"))

    assert errors == []
    assert len(records) == 4


def test_a_folder_without_tweets_js_is_refused_naming_it(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()

    with pytest.raises(IngestError, match="no data/tweets.js in this folder"):
        list(parse_file(tmp_path, "x"))


def test_only_an_x_archive_is_taken_as_a_folder(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="is a folder; give the export file or its zip"):
        input_files(tmp_path, "mastodon")


def test_a_zip_with_a_member_climbing_out_of_it_is_refused(tmp_path: Path) -> None:
    archive = zip_directory(ARCHIVE, tmp_path / "x.zip")
    with zipfile.ZipFile(archive, "a") as crafted:
        crafted.writestr("../../data/tweets.js", TWEETS_JS.read_text())

    with pytest.raises(IngestError, match=r"member '\.\./\.\./data/tweets\.js' has an unsafe"):
        list(parse_file(archive, "x"))
    assert not (tmp_path.parent / "data").exists()  # never extracted


def test_a_zip_member_over_the_size_limit_is_refused_before_inflating(tmp_path: Path) -> None:
    archive = zip_directory(ARCHIVE, tmp_path / "x.zip")
    size = zipfile.ZipFile(archive).getinfo("data/tweets.js").file_size

    with pytest.raises(IngestError, match=rf"data/tweets.js: refusing to inflate {size} bytes"):
        list(parse_file(archive, "x", limits=Limits(max_member_bytes=size - 1)))


def test_the_meter_counts_a_folder_to_the_byte(tmp_path: Path) -> None:
    with metered() as meter:
        list(parse_file(ARCHIVE, "x"))

    assert meter.done == sum(path.stat().st_size for path in input_files(ARCHIVE, "x"))


def test_the_meter_counts_zip_members_in_bytes_of_the_zip(tmp_path: Path) -> None:
    archive = zip_directory(ARCHIVE, tmp_path / "x.zip")

    with metered() as meter:
        list(parse_file(archive, "x"))

    # all of the zip but its headers and directory (large next to these small members)
    assert 0.5 * archive.stat().st_size < meter.done < archive.stat().st_size
