"""Invitations emailed one by one or in bulk from a CSV: every line checked before anything is
sent, bad lines named, repeats, members and open invitations left out and listed."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from tropewatch.accounts.models import AdminEvent, Invitation, Membership


def _upload(client, text: str | bytes, role: str = "reporter"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return client.post("/o/campaign/invitations/bulk/", {
        "addresses": SimpleUploadedFile("supporters.csv", data, content_type="text/csv"),
        "role": role,
    })


def _link(message) -> str:
    return re.search(r"http://testserver/invite/[\w-]+/", message.body).group(0)


def test_an_invitation_is_emailed_and_the_account_made_from_it_keeps_the_address(
    client_as, org, client, django_user_model
):
    page = client_as("admin").post("/o/campaign/invitations/", {
        "role": "triage", "email": "sam@example.org"}).content.decode()

    assert "emailed to sam@example.org" in page
    [message] = mail.outbox
    assert message.to == ["sam@example.org"] and "Campaign group" in message.subject
    link = _link(message)
    assert link in page  # the same link, for the admin to send another way
    client.post(link, {"username": "sam", "email": "sam@example.org",
                       "password1": "a-long-passphrase-42", "password2": "a-long-passphrase-42"})
    sam = django_user_model.objects.get(username="sam")
    assert sam.email == "sam@example.org"
    assert Membership.objects.get(user=sam).role == "triage"
    assert AdminEvent.objects.get().detail == "Triage, by email"


def test_a_refused_email_revokes_the_invitation_and_says_so(client_as, settings, org):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there

    page = client_as("admin").post("/o/campaign/invitations/", {
        "role": "viewer", "email": "sam@example.org"}).content.decode()

    assert "Not sent, and the invitation was revoked" in page
    assert "sam@example.org: the mail server refused it" in page
    assert not Invitation.objects.get().usable
    assert not AdminEvent.objects.exists()


def test_a_csv_with_a_header_invites_each_address_once(client_as, members):
    members["viewer"].email = "viewer@example.org"
    members["viewer"].save()
    text = ("name,email\nAda,ada@example.org\nBen,BEN@Example.org\nAda again,ada@example.org\n"
            "Vi,viewer@example.org\n")

    page = _upload(client_as("admin"), text).content.decode()

    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.org", "ben@example.org"]
    assert "2 invitations emailed" in page
    assert "line 4: ada@example.org is on line 2 already" in page
    assert "line 5: viewer@example.org is a member already (viewer)" in page
    assert set(Invitation.objects.values_list("role", flat=True)) == {"reporter"}
    assert AdminEvent.objects.filter(action="invited").count() == 2


def test_a_list_without_a_header_works_and_open_invitations_are_left_out(client_as):
    _upload(client_as("admin"), "ada@example.org\n")
    mail.outbox.clear()

    page = _upload(client_as("admin"), "ada@example.org\n\nben@example.org\n").content.decode()

    assert [m.to for m in mail.outbox] == [["ben@example.org"]]
    assert "line 1: ada@example.org has an open invitation until" in page


@pytest.mark.parametrize("text, problem", [
    ("email\nada@example.org\nnot-an-address\n",
     "line 3: &#x27;not-an-address&#x27; is not an email address"),
    ("email,name\nada@example.org,Ada\n,Ben\n", "line 3: no email address in column 1"),
    ("name\nAda\n", "line 1: no email column"),
    (b"email\nada@example.org\n\xff\xfe\n", "UTF-8"),
    ("\n\n", "the file is empty"),
    ('email\n"ada@example.org\n', "unreadable CSV"),
])
def test_a_file_with_any_bad_line_invites_nobody_and_names_the_line(client_as, text, problem):
    page = _upload(client_as("admin"), text).content.decode()

    assert "Nobody was invited" in page
    assert problem in page
    assert mail.outbox == []
    assert not Invitation.objects.exists()


def test_an_empty_upload_is_refused_beside_its_field(client_as):
    page = _upload(client_as("admin"), "").content.decode()

    assert "The submitted file is empty" in page
    assert not Invitation.objects.exists()


def test_too_many_addresses_are_refused_whole(client_as):
    text = "email\n" + "".join(f"person{n}@example.org\n" for n in range(501))

    page = _upload(client_as("admin"), text).content.decode()

    assert "501 addresses; send at most 500" in page
    assert not Invitation.objects.exists()
