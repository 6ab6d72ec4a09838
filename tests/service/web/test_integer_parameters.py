"""Every integer a console view reads from a request (query string, form, path), given any
value at all: huge, negative, 22 digits and more, not a number. No request may end in a
server error; an out-of-range value is refused (400) or treated as absent.

Ids are 64-bit on every database (BigAutoField); Python's ints are not, and SQLite refuses
to bind one past 2**63 - 1, so such a value must never reach a query."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tropewatch.clusters.assign import assign as assign_clusters
from tropewatch.clusters.models import ClusterMember
from tropewatch.review.models import ReviewEvent

# The values that broke the console once, and their neighbours at the edges of 64 bits.
EDGES = [
    "999999999999999999", "9" * 22, "9" * 23, str(2**63 - 1), str(2**63), str(-(2**63) - 1),
    "-1", "0", "1e400", "NaN", "inf", "", " 7 ", "٣", "0x10", "1.0", "9" * 5000,
]

values = st.one_of(
    st.sampled_from(EDGES),
    st.integers().map(str),
    st.integers(min_value=10**17, max_value=10**60).map(str),
    st.integers(min_value=-(10**60), max_value=-1).map(str),
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=30),
)
# A path's <int:...> matches digits only; anything else is a 404 before any view runs.
digits = st.one_of(
    st.sampled_from(["0", "9" * 22, "9" * 23, str(2**63 - 1), str(2**63)]),
    st.integers(min_value=0, max_value=10**60).map(str),
)


@dataclass(frozen=True)
class Case:
    """One parameter of one view: how to send ``value`` in it."""

    name: str
    send: Callable[[Client, str, dict], object]
    path_only: bool = False


def _get(url: str, param: str, **extra: str) -> Callable[[Client, str, dict], object]:
    return lambda client, value, ids: client.get(url.format(**ids), {param: value, **extra})


def _post(url: str, build: Callable[[str], dict]) -> Callable[[Client, str, dict], object]:
    return lambda client, value, ids: client.post(url.format(**ids), build(value))


def _path(method: str, url: str) -> Callable[[Client, str, dict], object]:
    return lambda client, value, ids: getattr(client, method)(url.format(value=value, **ids))


CASES = [
    # review: the queue, its fragment, starting work and bulk actions
    Case("queue page", _get("/o/campaign/queue/", "page")),
    Case("queue source", _get("/o/campaign/queue/", "source")),
    Case("queue rows page", lambda c, v, ids: c.get(
        "/o/campaign/queue/", {"page": v, "source": v}, headers={"HX-Request": "true"})),
    Case("next: queue source", _post("/o/campaign/queue/next/",
                                     lambda v: {"queue": f"source={v}&page={v}"})),
    Case("bulk confirm posts", _post("/o/campaign/queue/bulk/",
                                     lambda v: {"posts": [v], "action": "confirm"})),
    Case("bulk escalate posts", _post("/o/campaign/queue/bulk/",
                                      lambda v: {"posts": [v, "1"], "action": "escalate"})),
    Case("bulk dismiss posts", _post("/o/campaign/queue/bulk/", lambda v: {
        "posts": [v], "action": "dismiss", "reason": "news"})),
    # review: the audit log and its CSV
    Case("audit post", _get("/o/campaign/audit/", "post")),
    Case("audit page", _get("/o/campaign/audit/", "page")),
    Case("audit csv post", _get("/o/campaign/audit.csv", "post")),
    Case("audit csv page", _get("/o/campaign/audit.csv", "page", post="1")),
    # review: one item (its id in the path; its queue's filters in the query)
    Case("item queue", _get("/o/campaign/posts/{post}/", "queue")),
    Case("skip queue", _post("/o/campaign/posts/{post}/skip/",
                             lambda v: {"queue": f"source={v}&page={v}"})),
    Case("item id", _path("get", "/o/campaign/posts/{value}/"), path_only=True),
    Case("images id", _path("get", "/o/campaign/posts/{value}/images/"), path_only=True),
    Case("decide id", _path("post", "/o/campaign/posts/{value}/decide/"), path_only=True),
    Case("note id", _path("post", "/o/campaign/posts/{value}/notes/"), path_only=True),
    Case("skip id", _path("post", "/o/campaign/posts/{value}/skip/"), path_only=True),
    # clusters: the cluster and member in the path, the confirmed count in the form
    Case("cluster id", _path("get", "/o/campaign/clusters/{value}/"), path_only=True),
    Case("decide cluster id", _path("post", "/o/campaign/clusters/{value}/decide/"),
         path_only=True),
    Case("split member id", _path("post", "/o/campaign/clusters/{value}/posts/{value}/split/"),
         path_only=True),
    Case("cluster count", _post("/o/campaign/clusters/{cluster}/decide/", lambda v: {
        "action": "escalate", "confirmed": "1", "count": v})),
    # accounts: invitations
    Case("revoke invitation id", _path("post", "/o/campaign/invitations/{value}/revoke/"),
         path_only=True),
]


def _body(response) -> bytes:
    """All of the body: a streamed CSV that fails half-way is a truncated download."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_no_integer_parameter_makes_a_server_error(case, client_as, make_post):
    post = make_post()
    assign_clusters(post.org, [(post.pk, post.text)])
    cluster = ClusterMember.objects.get(post=post).cluster_id
    client = client_as("admin")  # every page and action is open to an admin
    client.raise_request_exception = False  # a crash comes back as the 500 a user sees

    @settings(max_examples=40, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(value=digits if case.path_only else values)
    @example(value="9" * 22)
    @example(value="999999999999999999")
    def check(value: str) -> None:
        response = case.send(client, value, {"post": post.pk, "cluster": cluster})
        _body(response)
        assert response.status_code < 500, (case.name, value, response.status_code)

    check()


def test_a_page_past_any_database_integer_is_the_first_page(client_as, make_post):
    make_post("the only flagged post")

    response = client_as("viewer").get("/o/campaign/queue/", {"page": "999999999999999999"})

    assert response.status_code == 200
    assert "the only flagged post" in response.content.decode()


def test_an_audit_post_number_out_of_range_is_refused(client_as):
    client = client_as("lead")

    page = client.get("/o/campaign/audit/", {"post": "9" * 22})
    download = client.get("/o/campaign/audit.csv", {"post": "9" * 22})

    assert page.status_code == 200
    assert "Ensure this value is less than or equal to" in page.content.decode()
    # A download cannot show the error beside the field: it is refused, not half-written
    # and not silently unfiltered.
    assert download.status_code == 400


def test_bulk_ids_out_of_range_change_nothing(client_as, make_post):
    post = make_post()
    client = client_as("moderator")

    response = client.post("/o/campaign/queue/bulk/",
                           {"posts": [str(post.pk), "9" * 23], "action": "confirm"},
                           follow=True)

    assert response.status_code == 200
    assert "Not a list of post ids." in response.content.decode()
    assert not ReviewEvent.objects.exists()
