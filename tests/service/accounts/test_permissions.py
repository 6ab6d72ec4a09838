"""Every console view, asked by each role: allowed roles succeed, the rest are refused and
change nothing. Outsiders get 404; anonymous people are sent to log in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.utils import timezone

from service.conftest import ROLES, verified_client
from service.submissions.flags import flag
from tropewatch.accounts.invitations import create_invitation
from tropewatch.accounts.models import AdminEvent, Membership
from tropewatch.accounts.signup_links import create_signup_link
from tropewatch.allies.models import Ally, CallToAction
from tropewatch.cases.models import CaseEvent
from tropewatch.cases.services import open_case
from tropewatch.clusters.assign import assign as assign_clusters
from tropewatch.clusters.models import ClusterMember
from tropewatch.education.models import CallOut
from tropewatch.members.models import MembershipLook
from tropewatch.people.models import LinkEvent
from tropewatch.posts.models import Author
from tropewatch.reports.models import PlatformReportEvent
from tropewatch.review.decisions import Decision, record
from tropewatch.review.models import ReviewEvent
from tropewatch.review.status import Action
from tropewatch.submissions.models import Submission

DECIDERS = {"admin", "lead", "moderator"}
LEADS = {"admin", "lead"}
EVERYONE = set(ROLES)
CONSOLE = EVERYONE - {"reporter"}  # reporters see only their own submissions


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str  # {org}, {post}, {confirmed}, {case}, {author}... are filled in (targets)
    allowed: set[str]
    data: dict = field(default_factory=dict)
    writes: type | None = None  # the log an allowed request appends one event to
    headers: dict = field(default_factory=dict)


CASES = [
    Case("queue", "get", "/o/{org}/queue/", CONSOLE),
    Case("queue rows (htmx)", "get", "/o/{org}/queue/", CONSOLE, {"status": "all"},
         headers={"HX-Request": "true"}),
    Case("queue search, sort and author", "get", "/o/{org}/queue/", CONSOLE,
         {"q": "rothschild", "sort": "score", "author": "poster"}),
    Case("start reviewing", "post", "/o/{org}/queue/next/", DECIDERS),
    Case("bulk", "post", "/o/{org}/queue/bulk/", DECIDERS,
         {"posts": ["{post}"], "action": "escalate", "confirmed": "1"}, writes=ReviewEvent),
    Case("undo last bulk decision", "post", "/o/{org}/queue/undo/", DECIDERS),
    Case("cluster", "get", "/o/{org}/clusters/{cluster}/", CONSOLE),
    Case("decide a cluster", "post", "/o/{org}/clusters/{cluster}/decide/", DECIDERS,
         {"action": "escalate", "confirmed": "1", "count": "1"}, writes=ReviewEvent),
    Case("split out of a cluster", "post", "/o/{org}/clusters/{cluster}/posts/{post}/split/",
         DECIDERS),
    Case("item", "get", "/o/{org}/posts/{post}/", CONSOLE),
    Case("flagged item", "get", "/o/{org}/posts/{flagged}/", CONSOLE),
    Case("confirm", "post", "/o/{org}/posts/{post}/decide/", DECIDERS,
         {"action": "confirm", "categories": ["rothschild_soros"]}, writes=ReviewEvent),
    Case("dismiss", "post", "/o/{org}/posts/{post}/decide/", DECIDERS,
         {"action": "dismiss", "reason": "news"}, writes=ReviewEvent),
    Case("escalate", "post", "/o/{org}/posts/{post}/decide/", DECIDERS | {"triage"},
         {"action": "escalate"}, writes=ReviewEvent),
    Case("note", "post", "/o/{org}/posts/{post}/notes/", DECIDERS | {"triage"},
         {"note": "context"}, writes=ReviewEvent),
    Case("skip", "post", "/o/{org}/posts/{post}/skip/", DECIDERS),
    Case("images", "get", "/o/{org}/posts/{post}/images/", DECIDERS),
    Case("evidence bundle", "get", "/o/{org}/posts/{evidenced}/evidence.zip",
         {"admin", "lead"}),
    Case("audit", "get", "/o/{org}/audit/", {"admin", "lead"}),
    Case("audit csv", "get", "/o/{org}/audit.csv", {"admin", "lead"}),
    Case("audit search", "get", "/o/{org}/audit/", {"admin", "lead"}, {"q": "poster"}),
    Case("invitations", "get", "/o/{org}/invitations/", {"admin"}),
    Case("invite", "post", "/o/{org}/invitations/", {"admin"}, {"role": "viewer"},
         writes=AdminEvent),
    Case("revoke", "post", "/o/{org}/invitations/{invitation}/revoke/", {"admin"}),
    Case("bulk invite", "post", "/o/{org}/invitations/bulk/", {"admin"}, {"role": "reporter"}),
    Case("make a signup link", "post", "/o/{org}/signup-links/", {"admin"},
         {"role": "reporter", "max_uses": "5",
          "expires_on": (date.today() + timedelta(days=7)).isoformat()}, writes=AdminEvent),
    Case("revoke a signup link", "post", "/o/{org}/signup-links/{signup_link}/revoke/",
         {"admin"}, writes=AdminEvent),
    Case("members", "get", "/o/{org}/team/", {"admin"}),
    Case("change a role", "post", "/o/{org}/team/{teammate}/role/", {"admin"},
         {"role": "triage"}, writes=AdminEvent),
    Case("ask before removing a member", "post", "/o/{org}/team/{teammate}/remove/",
         {"admin"}),
    Case("remove a member", "post", "/o/{org}/team/{teammate}/remove/", {"admin"},
         {"confirmed": "1"}, writes=AdminEvent),
    Case("reset a second factor", "post", "/o/{org}/team/{teammate}/second-factor/",
         {"admin"}, writes=AdminEvent),
    Case("erasure and retention", "get", "/o/{org}/privacy/", {"admin"}),
    Case("find an author to erase", "post", "/o/{org}/privacy/erase/", {"admin"},
         {"platform": "x", "author": "@leaving"}),
    Case("erase an author", "post", "/o/{org}/privacy/erase/", {"admin"},
         {"platform": "x", "author": "@leaving", "confirm": "leaving"}, writes=AdminEvent),
    Case("purge dismissed posts", "post", "/o/{org}/privacy/purge/", {"admin"},
         {"confirm": "0"}),
    Case("cases", "get", "/o/{org}/cases/", {"admin", "lead"}),
    Case("case", "get", "/o/{org}/cases/{case}/", {"admin", "lead"}),
    Case("case action", "post", "/o/{org}/cases/{case}/act/", {"admin", "lead"},
         {"action": "investigate"}, writes=CaseEvent),
    Case("open case", "post", "/o/{org}/posts/{confirmed}/case/", {"admin", "lead"}),
    Case("case file", "get", "/o/{org}/cases/{case}/file.pdf", {"admin", "lead"},
         writes=MembershipLook),  # the file looks up the account's membership
    Case("case evidence", "get", "/o/{org}/cases/{case}/evidence.zip", {"admin", "lead"}),
    Case("author", "get", "/o/{org}/authors/{author}/", DECIDERS),
    Case("author, finding accounts to link", "get", "/o/{org}/authors/{author}/", DECIDERS,
         {"find": "a2"}),
    Case("link accounts", "post", "/o/{org}/authors/{author}/link/", {"admin", "lead"},
         {"other": ["{other_author}"]}, writes=LinkEvent),
    Case("unlink account", "post", "/o/{org}/authors/{author}/unlink/", {"admin", "lead"}),
    Case("repeat offenders", "get", "/o/{org}/offenders/", {"admin", "lead"}),
    Case("membership looks", "get", "/o/{org}/membership/looks/", {"admin", "lead"}),
    Case("author membership", "get", "/o/{org}/posts/{confirmed}/membership/",
         {"admin", "lead"}, writes=MembershipLook),
    Case("platform report", "get", "/o/{org}/posts/{confirmed}/report/", LEADS),
    Case("record report step", "post", "/o/{org}/posts/{confirmed}/report/", LEADS,
         {"action": "draft"}, writes=PlatformReportEvent),
    Case("send report via API", "post", "/o/{org}/posts/{confirmed}/report/send/", LEADS),
    Case("reporting settings", "get", "/o/{org}/reporting/", {"admin"}),
    Case("save reporting settings", "post", "/o/{org}/reporting/", {"admin"},
         {"notifier_name": "A", "bluesky_service": "https://bsky.social"}),
    Case("dashboard", "get", "/o/{org}/dashboard/", LEADS),
    Case("dashboard chart data", "get", "/o/{org}/dashboard/over-time.csv", LEADS),
    Case("dashboard chart picture", "get", "/o/{org}/dashboard/by-source.svg", LEADS),
    Case("dashboard membership data", "get", "/o/{org}/dashboard/membership.csv", LEADS),
    Case("weekly summary", "get", "/o/{org}/dashboard/weekly.pdf", LEADS),
    Case("my submissions", "get", "/o/{org}/submissions/", EVERYONE),
    Case("submit a link form", "get", "/o/{org}/submit/", EVERYONE),
    Case("submit a link", "post", "/o/{org}/submit/", EVERYONE,
         {"platform": "x", "url": "https://x.com/someone/status/1"}, writes=Submission),
    # Each member's own tokens (revoking another's is a 404: tests/service/api/test_tokens.py).
    Case("api tokens", "get", "/o/{org}/api-tokens/", EVERYONE),
    Case("make api token", "post", "/o/{org}/api-tokens/", EVERYONE, {"name": "extension"}),
    # The reporter took it; the others who may see it are those who see personal data.
    Case("screenshot", "get", "/o/{org}/screenshots/{screenshot}/", DECIDERS | {"reporter"}),
    Case("education library", "get", "/o/{org}/learn/", EVERYONE),
    Case("education page", "get", "/o/{org}/learn/holocaust_denial/", EVERYONE),
    Case("suggested replies", "get", "/o/{org}/posts/{confirmed}/replies/", DECIDERS),
    Case("approve a reply", "post", "/o/{org}/posts/{confirmed}/replies/approve/", DECIDERS,
         {"tone": "explain", "text": "Please stop."}, writes=CallOut),
    Case("mark a reply posted", "post", "/o/{org}/posts/{confirmed}/replies/{approval}/posted/",
         DECIDERS, {"url": "https://x.com/group/status/1"}, writes=CallOut),
    # Allies answer and unsubscribe without an account, through signed links:
    # tests/service/allies/test_answers.py.
    Case("allies", "get", "/o/{org}/allies/", LEADS),
    Case("add an ally", "post", "/o/{org}/allies/", LEADS,
         {"name": "Ruth", "email": "ruth@example.org", "frequency": "immediate",
          "time_zone": "Europe/London"}),
    Case("an ally", "get", "/o/{org}/allies/{ally}/", LEADS),
    Case("edit an ally", "post", "/o/{org}/allies/{ally}/", LEADS,
         {"name": "Ruth", "email": "ruth@example.org", "frequency": "digest",
          "time_zone": "Europe/London"}),
    Case("erase an ally", "post", "/o/{org}/allies/{ally}/erase/", LEADS),
    Case("call to action", "get", "/o/{org}/posts/{public}/call/", LEADS),
    Case("send a call to action", "post", "/o/{org}/posts/{public}/call/", LEADS,
         {"allies": ["{ally}"]}, writes=CallToAction),
]
LOGS = (ReviewEvent, CaseEvent, MembershipLook, PlatformReportEvent, LinkEvent, CallOut,
        CallToAction, AdminEvent, Submission)


@pytest.fixture
def targets(org, members, make_post, django_user_model):
    post = make_post()
    assign_clusters(org, [(post.pk, post.text)])
    teammate = Membership.objects.create(
        org=org, user=django_user_model.objects.create_user("teammate"), role="viewer")
    flagged = make_post(score=0.1, flagged=False)
    screenshot = flag(org, flagged, members["reporter"], screenshot=True)
    # Confirmed, so it has evidence: one review event exists before any request.
    evidenced = make_post()
    record(org, evidenced.pk, members["admin"], "admin", Decision(Action.CONFIRM))
    invitation, _ = create_invitation(org, "viewer", members["admin"])
    signup_link, _ = create_signup_link(org, "reporter", members["admin"],
                                        timezone.now() + timedelta(days=1), 10)
    author = Author.objects.create(org=org, platform="x", platform_id="a1", handle="poster")
    confirmed = make_post(author=author)
    record(org, confirmed.pk, members["lead"], "lead", Decision(Action.CONFIRM))
    case = open_case(org, [author], members["lead"], "lead")
    other_author = Author.objects.create(org=org, platform="bluesky", platform_id="a2")
    Author.objects.create(org=org, platform="x", platform_id="e1", handle="leaving")
    approval = CallOut.objects.create(org=org, post=confirmed, actor_name="lead",
                                      actor_role="lead", action="approved", tone="explain",
                                      text="Please stop.")
    public = make_post(url="https://x.com/poster/status/1")
    record(org, public.pk, members["lead"], "lead", Decision(Action.CONFIRM))
    ally = Ally.objects.create(org=org, name="Ruth", email="ruth@example.org")
    return {"org": org.slug, "post": str(post.pk), "invitation": str(invitation.pk),
            "evidenced": str(evidenced.pk), "confirmed": str(confirmed.pk),
            "case": str(case.pk), "author": str(author.pk), "other_author": str(other_author.pk),
            "flagged": str(flagged.pk), "screenshot": str(screenshot.pk),
            "approval": str(approval.pk), "public": str(public.pk), "ally": str(ally.pk),
            "cluster": str(ClusterMember.objects.get(post=post).cluster_id),
            "teammate": str(teammate.pk), "signup_link": str(signup_link.pk)}


def _log_sizes() -> dict[type, int]:
    return {log: log.objects.count() for log in LOGS}


def _request(client, case: Case, targets: dict[str, str]):
    path = case.path.format(**targets)
    data = {key: [v.format(**targets) for v in value] if isinstance(value, list) else value
            for key, value in case.data.items()}
    return getattr(client, case.method)(path, data, headers=case.headers)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_each_view_allows_exactly_the_roles_it_should(client_as, targets, case, role):
    before = _log_sizes()

    response = _request(client_as(role), case, targets)

    if role in case.allowed:
        assert response.status_code in (200, 302), response.content[:500]
        assert _log_sizes() == {log: n + (log is case.writes) for log, n in before.items()}
    else:
        assert response.status_code == 403
        assert _log_sizes() == before


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_members_of_another_organisation_get_not_found(
    other_org, targets, case, django_user_model
):
    outsider = django_user_model.objects.create_user("outsider")
    Membership.objects.create(user=outsider, org=other_org, role="viewer")
    before = _log_sizes()

    response = _request(verified_client(outsider), case, targets)

    assert response.status_code == 404
    assert _log_sizes() == before


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_anonymous_visitors_are_sent_to_log_in(client, targets, case):
    before = _log_sizes()
    response = _request(client, case, targets)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert _log_sizes() == before


@pytest.mark.parametrize("role", ["admin", "lead", "moderator"])
def test_roles_that_see_personal_data_need_the_second_factor_first(members, targets, role,
                                                                   client):
    client.force_login(members[role])  # password only: no verified device in this session

    response = client.get(f"/o/{targets['org']}/posts/{targets['post']}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/two-factor/?next=")


@pytest.mark.parametrize("role", ["triage", "viewer"])
def test_roles_without_personal_data_work_with_a_password_alone(members, targets, role,
                                                                 client):
    client.force_login(members[role])

    assert client.get(f"/o/{targets['org']}/posts/{targets['post']}/").status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_a_flag_s_result_page_is_for_the_supporter_who_sent_it_alone(client_as, targets,
                                                                    role):
    """The screenshot flag in ``targets`` is the reporter's: for anyone else it does not
    exist (404, as a reporter's own item page), whatever their role."""
    path = f"/o/{targets['org']}/submit/sent/{targets['screenshot']}/"

    response = client_as(role).get(path)

    assert response.status_code == (200 if role == "reporter" else 404)
