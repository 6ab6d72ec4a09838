"""The file-backed cursor store used by the CLI and the connector tests."""

from __future__ import annotations

import json

import pytest

from tropewatch.ingest.follow import cursor as cursor_module
from tropewatch.ingest.follow.cursor import CursorFileError, FileCursorStore


def test_a_new_store_on_the_same_file_reads_what_the_last_one_wrote(tmp_path):
    path = tmp_path / "state" / "cursors.json"
    FileCursorStore(path).set("bluesky:jetstream", "1732817081000000")
    FileCursorStore(path).set("mastodon:tag:antisemitism", "113562417389125000")

    reopened = FileCursorStore(path)

    assert reopened.get("bluesky:jetstream") == "1732817081000000"
    assert reopened.get("mastodon:tag:antisemitism") == "113562417389125000"
    assert reopened.get("never-set") is None


def test_a_missing_file_means_no_cursors_yet(tmp_path):
    assert FileCursorStore(tmp_path / "absent.json").get("anything") is None


def test_a_corrupt_file_is_reported_with_its_path_and_line(tmp_path):
    path = tmp_path / "cursors.json"
    path.write_text('{\n "a": "1",\n "b": \n}', encoding="utf-8")

    with pytest.raises(CursorFileError, match=r"cursors\.json: line 4"):
        FileCursorStore(path).get("a")


def test_a_file_with_non_string_cursors_is_refused(tmp_path):
    path = tmp_path / "cursors.json"
    path.write_text(json.dumps({"a": 1}), encoding="utf-8")

    with pytest.raises(CursorFileError, match="object of strings"):
        FileCursorStore(path).get("a")


def test_only_strings_can_be_stored(tmp_path):
    with pytest.raises(TypeError, match="must be a string"):
        FileCursorStore(tmp_path / "cursors.json").set("a", 1)  # type: ignore[arg-type]


def test_a_write_that_fails_halfway_leaves_the_old_cursors_and_no_temporary_file(
    tmp_path, monkeypatch
):
    path = tmp_path / "cursors.json"
    store = FileCursorStore(path)
    store.set("a", "old")

    def dump_then_die(value, stream, **options):
        stream.write('{"a": "ne')
        raise OSError("disk full")

    monkeypatch.setattr(cursor_module.json, "dump", dump_then_die)
    with pytest.raises(OSError, match="disk full"):
        store.set("a", "new")
    monkeypatch.undo()

    assert FileCursorStore(path).get("a") == "old"
    assert [entry.name for entry in tmp_path.iterdir()] == ["cursors.json"]
