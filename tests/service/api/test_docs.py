"""The schema and its docs page are served from this site, under the strict CSP."""

from __future__ import annotations


def test_the_openapi_schema_names_every_operation(client):
    schema = client.get("/api/v1/openapi.json").json()

    assert set(schema["paths"]) == {"/api/v1/submissions", "/api/v1/items",
                                    "/api/v1/items/{item_id}", "/api/v1/items/{item_id}/decisions"}
    assert "BearerToken" in schema["components"]["securitySchemes"]


def test_the_docs_page_loads_only_this_sites_scripts(client):
    response = client.get("/api/v1/docs")
    page = response.content.decode()

    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "cdn" not in page.lower()
    assert '<script src="/static/ninja/swagger-ui-bundle.js">' in page
