"""The console installs as a web app: its manifest and share target, its service worker, and
a share that lands on the pre-filled "Submit a link" form, through the login if need be."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.contrib.staticfiles import finders
from PIL import Image

from service.conftest import verified_client

SHARED = {"title": "Post in Friends of the Park",
          "text": "Have you seen this? https://www.facebook.com/groups/9/posts/7/?mibextid=abc"}


def test_the_manifest_names_a_get_share_target_and_png_icons(client):
    response = client.get("/manifest.webmanifest")

    manifest = json.loads(response.content)
    assert response["Content-Type"] == "application/manifest+json"
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert manifest["share_target"] == {
        "action": "/share/", "method": "GET",
        "params": {"title": "title", "text": "text", "url": "url"},
    }
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert sizes == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        with Image.open(path) as picture:
            assert picture.format == "PNG"
            assert f"{picture.width}x{picture.height}" == icon["sizes"]


def test_every_page_links_the_manifest_and_the_csp_allows_it(client):
    response = client.get("/login/")

    assert '<link rel="manifest" href="/manifest.webmanifest">' in response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "manifest-src 'self'" in policy and "worker-src 'self'" in policy
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy


def test_the_service_worker_is_served_from_the_root_as_javascript(client):
    response = client.get("/service-worker.js")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-cache"  # a new version is fetched on each visit
    assert "default-src 'none'" in response["Content-Security-Policy"]
    worker = response.content.decode()
    # Pages go to the network untouched; only static files are ever put in the cache.
    assert worker.count("respondWith(") == 1 and "if (isStatic(event.request))" in worker


def test_a_share_lands_on_the_form_filled_in(org, members, client_as):
    client = client_as("reporter")

    shared = client.get("/share/?" + urlencode(SHARED))
    form_page = client.get(shared["Location"])

    assert shared.status_code == 302
    assert shared["Location"].startswith(f"/o/{org.slug}/submit/?")
    initial = form_page.context["form"].initial
    assert initial == {"platform": "facebook",
                       "url": "https://www.facebook.com/groups/9/posts/7/?mibextid=abc",
                       "text": "Have you seen this?"}
    assert 'value="https://www.facebook.com/groups/9/posts/7/?mibextid=abc"' in \
        form_page.content.decode()


def test_a_shared_url_field_is_taken_as_it_is(org, members, client_as):
    query = urlencode({"title": "A post", "text": "look", "url": "https://bsky.app/profile/a/post/b"})

    page = client_as("reporter").get(f"/o/{org.slug}/submit/?{query}")

    assert page.context["form"].initial == {
        "platform": "bluesky", "url": "https://bsky.app/profile/a/post/b", "text": "look"}


def test_a_signed_out_supporter_logs_in_and_comes_back_to_the_filled_form(org, members,
                                                                         client):
    share = "/share/?" + urlencode(SHARED)

    to_login = client.get(share)
    login_page = client.get(to_login["Location"])
    logged_in = client.post(to_login["Location"], {
        "username": "reporter", "password": "pw-reporter",
        "next": login_page.context["next"],
    })
    landed = client.get(client.get(logged_in["Location"])["Location"])

    assert to_login.status_code == 302 and to_login["Location"].startswith("/login/?next=")
    assert logged_in["Location"] == share
    assert landed.context["form"].initial["url"] == \
        "https://www.facebook.com/groups/9/posts/7/?mibextid=abc"


def test_a_member_of_two_organisations_chooses_where_to_share(org, other_org, members):
    from tropewatch.accounts.models import Membership

    Membership.objects.create(user=members["reporter"], org=other_org, role="reporter")

    page = verified_client(members["reporter"]).get("/share/?" + urlencode(SHARED))

    html = page.content.decode()
    assert page.status_code == 200
    assert f"/o/{org.slug}/submit/?title=" in html and f"/o/{other_org.slug}/submit/?title=" in html


def test_someone_in_no_organisation_is_told_so(django_user_model):
    lonely = django_user_model.objects.create_user("lonely")

    page = verified_client(lonely).get("/share/?" + urlencode(SHARED))

    assert page.status_code == 200 and "not in any group yet" in page.content.decode()
