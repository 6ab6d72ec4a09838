"""In real Chromium, a new team's whole first run without a shell: the setup link from the
server log makes the organisation and its admin, the admin sets up two-factor login, invites
a member by email, and the member joins from the emailed link."""

from __future__ import annotations

import re
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tropewatch.accounts import first_run
from tropewatch.accounts.models import Membership

pytestmark = pytest.mark.browser

PASSWORD = "a-long-passphrase-42"


def _pending_code(username: str) -> str:
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_a_new_team_sets_itself_up_and_invites_a_member(
    transactional_db, live_server, open_page, mailoutbox
):
    site = live_server.url
    line = first_run.announcement(site)
    link = re.search(r"open (\S+) to create", line).group(1)
    page, seen = open_page()

    page.goto(link)
    page.get_by_label("Organisation's name").fill("Campaign group")
    page.get_by_label("Short name for addresses").fill("campaign")
    page.get_by_label("Username").fill("founder")
    page.get_by_label("Your email").fill("founder@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create the organisation and my account").click()

    page.get_by_role("heading", name="Set up two-factor login").wait_for()
    page.get_by_label("6-digit code from your authenticator app").fill(_pending_code("founder"))
    page.get_by_role("button", name="Turn on two-factor login").click()
    page.get_by_role("link", name="I have kept them: continue").click()
    page.wait_for_url("**/o/campaign/queue/")
    assert first_run.announcement(site) is None
    assert page.goto(link).status == 404

    page.goto(site + "/o/campaign/team/")
    page.get_by_role("link", name="Invite people").click()
    page.get_by_label("Email it to (optional)").fill("newcomer@example.org")
    page.get_by_role("button", name="Make an invitation").click()
    page.get_by_text("The invitation was emailed to newcomer@example.org.").wait_for()

    [message] = mailoutbox
    invitation = re.search(r"http://\S+/invite/\S+/", message.body).group(0)
    newcomer, newcomer_seen = open_page()
    newcomer.goto(invitation)
    newcomer.get_by_label("Username").fill("newcomer")
    newcomer.get_by_label("Password", exact=True).fill(PASSWORD)
    newcomer.get_by_label("Password confirmation").fill(PASSWORD)
    newcomer.get_by_role("button", name="Create my account and join").click()
    # A moderator sees personal data too: their first stop is their own second factor.
    newcomer.get_by_role("heading", name="Set up two-factor login").wait_for()

    member = Membership.objects.get(user__username="newcomer")
    assert (member.org.slug, member.role, member.user.email) == (
        "campaign", "moderator", "newcomer@example.org")
    page.goto(site + "/o/campaign/team/")
    assert page.locator('[data-member="newcomer"]').count() == 1
    for watched, browser_page in ((seen, page), (newcomer_seen, newcomer)):
        assert not watched.errors and browser_page.evaluate("window.__violations") == []
