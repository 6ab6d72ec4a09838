from __future__ import annotations

import subprocess
import sys
from typing import get_args

import pytest
import typer
from cli.helpers import flat
from typer.testing import CliRunner

from service.exports import write_pages
from service.processes import REPO
from tropewatch.cli import service as service_cli
from tropewatch.imports.models import ImportRun
from tropewatch.orgs.models import Organisation
from tropewatch.posts.models import PLATFORM_CHOICES, SOURCE_KIND_CHOICES, Post, Source


@pytest.fixture
def cli():
    app = typer.Typer()
    service_cli.register(app)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [str(arg) for arg in args])


def test_import_prints_the_counts_and_each_error_with_its_line(cli, org, tmp_path):
    export = write_pages(tmp_path / "tweets.jsonl", 60, page_size=20, missing_id_every=30)

    result = cli("import", export, "--platform", "x", "--source", "#topic")

    assert result.exit_code == 0, result.output
    assert f"error: {export}, line 2, record 30: missing id" in result.stderr
    assert "60 records: 58 new, 0 updated, 0 skipped, 2 errors" in result.stderr
    assert Post.objects.for_org(org).count() == 58
    source = Source.objects.get()
    assert (source.name, source.platform, source.kind) == ("#topic", "x", "feed")


def test_import_timings_charge_each_stage_the_records_it_handled(cli, org, tmp_path):
    export = write_pages(tmp_path / "tweets.jsonl", 60, page_size=20, missing_id_every=30)

    result = cli("import", export, "--platform", "x", "--source", "#topic", "--timings")

    assert result.exit_code == 0, result.output
    table = result.stderr[result.stderr.index("CPU seconds by stage:"):].splitlines()
    rows = {line[:58].strip(): line[58:].split() for line in table[2:]}
    # Every record read, the bad ones too, reaches the store stage, which reports them.
    assert rows["read and parse the input"][1] == "60"
    assert rows["store, and judge what no worker judged"][1] == "60"
    assert float(rows["store, and judge what no worker judged"][0]) > 0
    assert "scanning worker processes" in rows


def test_importing_again_reports_everything_skipped(cli, org, tmp_path):
    export = write_pages(tmp_path / "tweets.jsonl", 30)
    cli("import", export, "--platform", "x", "--source", "#topic")

    result = cli("import", export, "--platform", "x", "--source", "#topic")

    assert "30 records: 0 new, 0 updated, 30 skipped, 0 errors" in result.stderr
    assert Post.objects.count() == 30


def test_a_broken_file_exits_2_and_says_the_earlier_records_are_kept(cli, org, tmp_path):
    export = write_pages(tmp_path / "tweets.jsonl", 40, page_size=10, truncate=True)

    result = cli("import", export, "--platform", "x", "--source", "#topic")

    assert result.exit_code == 2
    assert str(export) in result.stderr
    assert "the records before the fault are stored" in result.stderr
    assert Post.objects.count() == 30
    assert ImportRun.objects.get().status == "failed"


@pytest.mark.parametrize("content", ["", " \n\n"], ids=["empty", "blank lines"])
@pytest.mark.parametrize(
    ("platform", "name"),
    [("jsonl", "posts.jsonl"), ("bluesky", "feed.json"), ("mastodon", "statuses.json")],
)
def test_an_empty_file_exits_2_naming_it(cli, org, tmp_path, platform, name, content):
    export = tmp_path / name
    export.write_text(content, encoding="utf-8")

    result = cli("import", export, "--platform", platform, "--source", "feed")

    assert result.exit_code == 2
    assert f"error: {export}: the file is empty" in result.stderr
    assert ImportRun.objects.get().status == "failed"


def test_an_unknown_organisation_is_refused_naming_the_existing_ones(cli, org, tmp_path):
    export = write_pages(tmp_path / "tweets.jsonl", 5)

    result = cli("import", export, "--platform", "x", "--source", "s", "--org", "campain")

    assert result.exit_code == 2
    assert "no organisation 'campain' (existing: campaign)" in result.stderr
    assert not Organisation.objects.filter(slug="campain").exists()


def test_without_org_and_no_organisation_the_import_stops_and_creates_none(cli, db, tmp_path):
    export = write_pages(tmp_path / "tweets.jsonl", 5)

    result = cli("import", export, "--platform", "x", "--source", "s")

    assert result.exit_code == 2
    assert "--org is required: there is no organisation yet" in flat(result.stderr)
    assert not Organisation.objects.exists()
    assert not Post.objects.exists()


def test_without_org_and_several_organisations_the_import_lists_them(cli, org, tmp_path):
    Organisation.objects.create(name="Unit", slug="unit")
    export = write_pages(tmp_path / "tweets.jsonl", 5)

    result = cli("import", export, "--platform", "x", "--source", "s")

    assert result.exit_code == 2
    assert ("--org is required when there are several organisations (existing: campaign, "
            "unit)") in flat(result.stderr)
    assert Organisation.objects.count() == 2
    assert not Source.objects.exists()
    assert not Post.objects.exists()


def test_create_org_without_org_is_refused(cli, db, tmp_path):
    export = write_pages(tmp_path / "tweets.jsonl", 5)

    result = cli("import", export, "--platform", "x", "--source", "s", "--create-org")

    assert result.exit_code == 2
    assert "--create-org needs --org SLUG" in result.stderr
    assert not Organisation.objects.exists()


def test_create_org_creates_the_organisation(cli, db, tmp_path):
    export = write_pages(tmp_path / "tweets.jsonl", 5)

    result = cli("import", export, "--platform", "x", "--source", "s", "--org", "unit",
                 "--create-org", "--source-kind", "account", "--source-url", "https://x.com/a")

    assert result.exit_code == 0, result.output
    source = Source.objects.for_org(Organisation.objects.get(slug="unit")).get()
    assert (source.kind, source.url) == ("account", "https://x.com/a")


def test_column_options_are_refused_for_platform_formats(cli, db, tmp_path):
    export = write_pages(tmp_path / "tweets.jsonl", 5)

    result = cli("import", export, "--platform", "x", "--source", "s", "--text-column", "body")

    assert result.exit_code == 2
    assert "column options and --source-platform apply to --platform csv or jsonl only" in (
        result.stderr
    )


def test_queue_and_worker_need_redis(cli, db, tmp_path, settings):
    settings.REDIS_URL = ""
    export = write_pages(tmp_path / "tweets.jsonl", 5)

    queued = cli("import", export, "--platform", "x", "--source", "s", "--queue")
    worker = cli("worker")

    assert queued.exit_code == worker.exit_code == 2
    assert "--queue needs REDIS_URL" in queued.stderr
    assert "REDIS_URL is not set" in worker.stderr
    assert not Post.objects.exists()


def test_rescan_under_another_policy_adds_detections_for_that_policy(cli, org, source, tmp_path):
    from tropewatch.imports.services import run_import
    from tropewatch.posts.models import Detection

    run_import(org, source, write_pages(tmp_path / "tweets.jsonl", 20), "x")

    result = cli("rescan", "--policy", "jda")
    again = cli("rescan", "--policy", "jda")

    assert result.exit_code == 0, result.output
    assert "20 posts scanned" in result.stderr
    assert "0 posts scanned" in again.stderr  # already current
    assert Detection.objects.filter(policy="jda").count() == 20
    assert Detection.objects.filter(policy="ihra").count() == 20


def test_rescan_all_scans_current_posts_again(cli, org, source, tmp_path):
    from tropewatch.imports.services import run_import

    run_import(org, source, write_pages(tmp_path / "tweets.jsonl", 20), "x")

    result = cli("rescan", "--all", "--org", org.slug)

    assert "20 posts scanned" in result.stderr


def test_the_cli_choices_match_the_models():
    # "other" is for posts a supporter flags on a site tropewatch has no importer for.
    assert list(get_args(service_cli.Platform)) == [value for value, _ in PLATFORM_CHOICES
                                                     if value != "other"]
    assert list(get_args(service_cli.SourceKind)) == [value for value, _ in SOURCE_KIND_CHOICES]


def test_loading_the_cli_does_not_load_django():
    code = (
        "import sys, tropewatch.cli, tropewatch.cli.service; "
        "sys.exit('django' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True)

    assert result.returncode == 0, result.stderr


def test_a_csv_is_imported_through_its_column_mapping(cli, org, tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "post_id,body,posted,handle\n"
        '1790000000000000001,"Hello, world",2024-05-01T10:00:00Z,alice\n'
        "1790000000000000002,Second post,2024-05-01T11:00:00Z,bob\n",
        encoding="utf-8",
    )

    result = cli("import", sheet, "--platform", "csv", "--source", "sheet",
                 "--id-column", "post_id", "--text-column", "body", "--created-column", "posted",
                 "--author-column", "handle", "--source-platform", "x")

    assert result.exit_code == 0, result.output
    post = Post.objects.get(platform_id="1790000000000000001")
    assert (post.platform, post.text, post.author.handle) == ("x", "Hello, world", "alice")
    assert ImportRun.objects.get().options == {
        "mapping": {"id": "post_id", "text": "body", "created_at": "posted", "author": "handle"},
        "source_platform": "x",
    }


def test_a_csv_without_the_mapped_column_is_refused_naming_it(cli, org, tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("id,text,created_at\n1,hi,2024-05-01T10:00:00Z\n", encoding="utf-8")

    result = cli("import", sheet, "--platform", "csv", "--source", "sheet",
                 "--text-column", "body")

    assert result.exit_code == 2
    assert "'body' (for text)" in result.stderr
    assert not Post.objects.exists()


def test_an_x_archive_folder_and_its_zip_import_the_same_posts(cli, org, tmp_path):
    from ingest.ingest_helpers import FIXTURES, zip_directory

    folder = FIXTURES / "x" / "archive"
    archive = zip_directory(folder, tmp_path / "archive.zip")

    from_folder = cli("import", folder, "--platform", "x", "--source", "archive")
    from_zip = cli("import", archive, "--platform", "x", "--source", "archive")

    assert from_folder.exit_code == from_zip.exit_code == 0, from_folder.output
    assert "2 records: 2 new, 0 updated, 0 skipped, 0 errors" in from_folder.stderr
    assert "2 records: 0 new, 0 updated, 2 skipped" in from_zip.stderr
    folder_run = ImportRun.objects.get(input_path=str(folder))
    assert folder_run.file_size == sum(
        (folder / "data" / name).stat().st_size
        for name in ("tweets.js", "account.js", "profile.js"))


def test_a_folder_is_refused_for_other_platforms(cli, org, tmp_path):
    result = cli("import", tmp_path, "--platform", "mastodon", "--source", "s")

    assert result.exit_code == 2
    assert "is a folder; give the export file or its zip" in flat(result.stderr)
    assert not ImportRun.objects.exists()
