"""`tropewatch members import`: what it stores, what it reports, and what it refuses."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from tropewatch.cli import members as members_cli
from tropewatch.members.models import MemberKey, MemberList

LIST = (
    "Email,Phone,X,Name,Postcode,Notes\n"
    "ada@example.org,07700 900123,@AdaL,Ada Lovelace,SW1A 1AA,likes maths\n"
    "bob@example.org,not a phone,,,,\n"
    ",,,Carol Jones,,\n"
    '"grace@example.org,unclosed\n'
)


@pytest.fixture
def cli(db):
    app = typer.Typer()
    members_cli.register(app)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, ["members", *[str(arg) for arg in args]])


@pytest.fixture
def campaign(org):
    return org.slug


def stored_kinds() -> list[tuple[str, str]]:
    return sorted(MemberKey.objects.values_list("kind", "platform"))


def test_it_stores_one_key_per_identifier_and_reports_each_bad_row_by_line(
    cli, campaign, write_list
):
    path = write_list(LIST)

    result = cli("import", path, "--org", campaign)

    assert result.exit_code == 0, result.output
    assert f"error: {path}, line 3: column 'Phone': not a phone number; the row's other " \
        "identifiers are kept" in result.stderr
    assert f"error: {path}, line 4: no identifier (a name counts only with a postcode)" \
        in result.stderr
    assert f"error: {path}, line 5: malformed CSV" in result.stderr
    assert "columns not read: Notes" in result.stderr
    assert "2 rows, 5 identifiers (email, handle:x, name_postcode, phone); rows with errors: 3" \
        in result.stderr
    assert stored_kinds() == [("email", ""), ("email", ""), ("handle", "x"),
                              ("name_postcode", ""), ("phone", "")]
    assert MemberList.objects.get().covers == ["email", "handle:x", "name_postcode", "phone"]


def test_importing_again_replaces_the_list(cli, campaign, write_list):
    cli("import", write_list(LIST), "--org", campaign)

    result = cli("import", write_list("x\n@someone_else\n", "new.csv"), "--org", campaign)

    assert result.exit_code == 0, result.output
    assert stored_kinds() == [("handle", "x")]
    assert MemberList.objects.get().covers == ["handle:x"]


@pytest.mark.parametrize(("key", "says"), [
    ("", "TROPEWATCH_MEMBERS_KEY is not set"),
    ("short", "TROPEWATCH_MEMBERS_KEY is too short (5 characters)"),
])
def test_it_refuses_to_import_without_a_strong_key_and_keeps_the_list(
    cli, campaign, write_list, settings, key, says
):
    cli("import", write_list(LIST), "--org", campaign)
    settings.MEMBERS_KEY = key

    result = cli("import", write_list("x\n@someone_else\n", "new.csv"), "--org", campaign)

    assert result.exit_code == 2
    assert f"error: {says}" in result.stderr
    assert len(stored_kinds()) == 5


@pytest.mark.parametrize(("content", "says"), [
    ("Notes,Membership number\nhello,12\n", "the header names no column of identifiers"),
    ("Name,Notes\nAda,x\n", "the header names no column of identifiers"),  # no postcode
    ("email\nnot-an-email\n\nalso wrong\n", "line 4: column 'email': not an email address"),
    ("email,email\na@example.org,b@example.org\n", "repeated column names"),
    ("name,full name,postcode\nAda,Ada L,SW1A 1AA\n", "the header has more than one name column"),
    ("", "the file is empty"),
])
def test_a_file_without_a_readable_identifier_changes_nothing(
    cli, campaign, write_list, content, says
):
    cli("import", write_list(LIST), "--org", campaign)
    path = write_list(content, "bad.csv")

    result = cli("import", path, "--org", campaign)

    assert result.exit_code == 2
    assert str(path) in result.stderr and says in result.stderr
    assert len(stored_kinds()) == 5


@pytest.mark.parametrize("first_row", [
    "ada@example.org,07700 900123,@AdaL,notes",
    "Ada Lovelace,07700900123,email",
])
def test_a_file_without_a_header_is_refused_without_quoting_its_first_member(
    cli, campaign, write_list, first_row
):
    result = cli("import", write_list(f"{first_row}\nbob@example.org,,,\n"), "--org", campaign)

    assert result.exit_code == 2
    assert "add a header row naming the columns" in result.stderr
    assert "ada" not in result.stderr.lower() and "900123" not in result.stderr
    assert not MemberList.objects.exists()


def test_a_file_that_is_not_utf8_is_refused_by_name(cli, campaign, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("email\nzoë@example.org\n".encode("latin-1"))

    result = cli("import", path, "--org", campaign)

    assert result.exit_code == 2
    assert f"{path}: not UTF-8 text" in result.stderr
    assert not MemberList.objects.exists()


def test_an_unknown_organisation_is_refused(cli, write_list):
    result = cli("import", write_list(LIST), "--org", "nobody")

    assert result.exit_code == 2
    assert "no organisation 'nobody'" in result.stderr
