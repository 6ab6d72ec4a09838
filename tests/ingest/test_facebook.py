"""Facebook: "Download Your Information" JSON (with its mis-encoded UTF-8) and Meta Content
Library CSV exports."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from ingest_helpers import FIXTURES, split, zip_directory

from tropewatch.ingest import IngestError, parse_file
from tropewatch.ingest.facebook import fix_text

DYI = FIXTURES / "facebook" / "dyi"
GROUP_POSTS = DYI / "your_facebook_activity" / "groups" / "group_posts_and_comments.json"
GROUP_COMMENTS = DYI / "your_facebook_activity" / "groups" / "your_comments_in_groups.json"


def test_mojibake_fix_recovers_utf8_escaped_as_latin1() -> None:
    assert fix_text("It\u00e2\u0080\u0099s") == "It’s"
    assert fix_text("\u00f0\u009f\u0091\u0087") == "👇"


def test_mojibake_fix_leaves_correct_text_alone() -> None:
    for text in ("café", "It’s", "plain ascii", "Ã is a letter"):
        assert fix_text(text) == text


def test_it_reads_group_posts_with_mojibake_fixed() -> None:
    records, errors = split(parse_file(GROUP_POSTS, "facebook"))

    assert [record.text for record in records] == [
        "It’s worth reading the whole article before sharing 👇",
        "Meeting moved to Thursday 7pm — same room as last time.",
    ]
    first = records[0]
    assert first.platform == "facebook"
    assert first.created_at == datetime.fromtimestamp(1700000000, UTC)
    assert first.created_at.tzinfo == UTC
    assert first.author is not None
    assert first.author.display_name == "Ada Example"  # from the English title
    assert first.raw["title"] == "Ada Example posted in Neighbourhood Caf\u00c3\u00a9 Forum."
    assert first.source_line == 3


def test_a_photo_only_post_is_skipped_as_media_only() -> None:
    _, errors = split(parse_file(GROUP_POSTS, "facebook"))

    assert len(errors) == 1
    assert errors[0].kind == "media_only"
    assert errors[0].is_skip
    assert errors[0].record == 2
    assert errors[0].line == 23
    assert str(GROUP_POSTS) in str(errors[0])


def test_it_reads_group_comments_with_their_author() -> None:
    records, errors = split(parse_file(GROUP_COMMENTS, "facebook"))

    assert errors == []
    assert [record.text for record in records] == [
        "Thanks — I’ll bring the leaflets.",
        "Naïve question: who books the hall?",
    ]
    assert {record.author.display_name for record in records} == {"Ada Example"}


def test_synthetic_ids_are_stable_and_distinct() -> None:
    first, _ = split(parse_file(GROUP_POSTS, "facebook"))
    again, _ = split(parse_file(GROUP_POSTS, "facebook"))

    assert [r.platform_id for r in first] == [r.platform_id for r in again]
    assert len({r.platform_id for r in first}) == len(first)
    assert all(r.platform_id.startswith("dyi-") for r in first)


def test_it_reads_the_export_zip_with_the_profile_name_as_author(tmp_path: Path) -> None:
    archive = zip_directory(DYI, tmp_path / "facebook-ada.zip")

    records, errors = split(parse_file(archive, "facebook"))
    from_files = split(parse_file(GROUP_POSTS, "facebook"))[0]
    from_files += split(parse_file(GROUP_COMMENTS, "facebook"))[0]

    assert len(records) == 4
    assert [e.kind for e in errors] == ["media_only"]
    assert (
        errors[0].source == f"{archive}:your_facebook_activity/groups/group_posts_and_comments.json"
    )
    # the same posts get the same ids whichever way they are imported
    assert {r.platform_id for r in records} == {r.platform_id for r in from_files}


def test_a_zip_without_posts_is_refused(tmp_path: Path) -> None:
    (tmp_path / "export").mkdir()
    (tmp_path / "export" / "readme.txt").write_text("nothing here")
    archive = zip_directory(tmp_path / "export", tmp_path / "export.zip")

    with pytest.raises(IngestError, match="no posts or comments JSON"):
        list(parse_file(archive, "facebook"))


def test_truncated_export_names_the_file_and_position(tmp_path: Path) -> None:
    broken = tmp_path / "your_posts_in_groups.json"
    broken.write_bytes(GROUP_POSTS.read_bytes()[:700])

    with pytest.raises(IngestError) as caught:
        list(parse_file(broken, "facebook"))

    assert str(caught.value) == (
        f"{broken}: truncated JSON: the file ends at line 30, column 37"
        " inside group_posts_v2 entry 2, which starts at line 23"
    )


def test_a_repeated_entry_is_a_duplicate_naming_both_records(tmp_path: Path) -> None:
    data = json.loads(GROUP_COMMENTS.read_text())
    data["group_comments_v2"].append(data["group_comments_v2"][0])
    path = tmp_path / "your_comments_in_groups.json"
    path.write_text(json.dumps(data))

    records, errors = split(parse_file(path, "facebook"))

    assert len(records) == 2
    assert [(e.kind, e.record) for e in errors] == [("duplicate", 3)]
    assert "record 3 repeats record 1" in errors[0].message


def test_it_reads_content_library_posts() -> None:
    path = FIXTURES / "facebook" / "content_library_posts.csv"

    records, errors = split(parse_file(path, "facebook"))

    assert errors == []
    first, second = records
    assert first.platform_id == "1037442186345271"
    assert first.created_at == datetime(2024, 3, 5, 14, 22, 10, tzinfo=UTC)
    assert first.author.platform_id == "100064531234567"
    assert first.author.handle == "riversideinterfaith"
    assert first.author.display_name == "Riverside Interfaith Network"
    assert first.reach == {"likes": 134, "shares": 9, "replies": 18}  # no views: not a video
    assert first.url.endswith("/facebook/entity/1037442186345271")
    assert second.text == 'Two lines:\nfirst, "quoted", then the second.'
    assert second.source_line == 3
    assert second.created_at == datetime(2024, 3, 6, 9, 0, tzinfo=UTC)  # zone-less means UTC
    assert second.reach["views"] == 8812
    assert second.author.handle is None


def test_content_library_comments_link_to_their_post_and_parent_comment() -> None:
    path = FIXTURES / "facebook" / "content_library_comments.csv"

    (top, reply), errors = split(parse_file(path, "facebook"))

    assert errors == []
    assert (top.parent_platform_id, top.thread_root_id) == ("1037442186345271",) * 2
    assert reply.parent_platform_id == "7799001122334455"
    assert reply.thread_root_id == "1037442186345271"
    assert reply.author.display_name == "Dan Placeholder"


def test_the_format_is_told_from_the_content_not_the_name(tmp_path: Path) -> None:
    csv_named_json = tmp_path / "export.json"
    shutil.copy(FIXTURES / "facebook" / "content_library_posts.csv", csv_named_json)

    records, _ = split(parse_file(csv_named_json, "facebook"))

    assert len(records) == 2


def test_a_content_library_row_without_id_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("id,creation_time,text\n,2024-01-01T00:00:00,no id here\n7,2024-01-01,ok\n")

    records, errors = split(parse_file(path, "facebook"))

    assert [r.platform_id for r in records] == ["7"]
    assert [(e.kind, e.line) for e in errors] == [("missing_id", 2)]
