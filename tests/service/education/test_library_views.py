import re

import pytest

from tropewatch.detector.taxonomy import load_taxonomy

TAXONOMY = load_taxonomy()


def _get(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_the_index_links_to_a_page_for_every_category(client_as, org):
    page = _get(client_as("viewer"), f"/o/{org.slug}/learn/")

    linked = set(re.findall(rf'href="/o/{org.slug}/learn/([a-z_]+)/"', page))
    assert linked == set(TAXONOMY.ids)


@pytest.mark.parametrize("category", TAXONOMY.categories, ids=lambda c: c.id)
def test_each_category_page_has_every_section(client_as, org, category):
    page = _get(client_as("triage"), f"/o/{org.slug}/learn/{category.id}/")

    for heading in ("What it claims", "Why it is antisemitic", "History",
                    "How it shows up today", "Invented examples", "The definitions", "Sources"):
        assert f"<h2>{heading}</h2>" in page
    assert page.count("Invented example:") == len(category.invented_examples)
    if category.ihra_example:
        assert f"IHRA example {category.ihra_example}:" in page
    assert "Jerusalem Declaration" in page


def test_an_unknown_category_is_not_found(client_as, org):
    assert client_as("viewer").get(f"/o/{org.slug}/learn/no_such_trope/").status_code == 404


def test_the_pages_fit_a_phone_and_keep_the_strict_csp(client_as, org):
    client = client_as("admin")
    for path in (f"/o/{org.slug}/learn/", f"/o/{org.slug}/learn/nazi_analogy/"):
        response = client.get(path)
        page = response.content.decode()
        assert 'name="viewport" content="width=device-width' in page
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), path
        assert " style=" not in page and "<style" not in page, path


def test_every_detected_category_on_the_item_page_links_to_its_page(client_as, make_post):
    post = make_post(categories=["holocaust_denial", "dual_loyalty"])

    page = _get(client_as("viewer"), f"/o/{post.org.slug}/posts/{post.pk}/")

    assert f'href="/o/{post.org.slug}/learn/holocaust_denial/"' in page
    assert f'href="/o/{post.org.slug}/learn/dual_loyalty/"' in page
