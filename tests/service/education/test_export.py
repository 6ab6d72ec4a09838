from html.parser import HTMLParser
from pathlib import Path

from typer.testing import CliRunner

from tropewatch.cli.main import app
from tropewatch.detector.taxonomy import load_taxonomy


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        self.scripts += tag == "script"
        self.hrefs += [value for name, value in attrs if name in ("href", "src")]


def _parse(path: Path) -> _Links:
    links = _Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


def test_the_export_has_one_page_per_category_and_no_broken_links(tmp_path):
    site = tmp_path / "site"

    result = CliRunner().invoke(app, ["export-education", str(site)])

    assert result.exit_code == 0, result.output
    pages = sorted(site.glob("*.html"))
    assert {p.name for p in pages} == {f"{i}.html" for i in load_taxonomy().ids} | {"index.html"}
    checked = 0
    for page in pages:
        links = _parse(page)
        assert links.scripts == 0, page.name
        for href in links.hrefs:
            assert "://" not in href and not href.startswith("/"), (page.name, href)
            assert (site / href).is_file(), (page.name, href)
            checked += 1
    # Each category page links to the index and the stylesheet; the index to every page too.
    categories = len(pages) - 1
    assert checked == categories * 2 + categories + 1


def test_exporting_again_replaces_the_pages(tmp_path):
    stale = tmp_path / "index.html"
    stale.write_text("old", encoding="utf-8")

    CliRunner().invoke(app, ["export-education", str(tmp_path)])

    assert "power_control.html" in stale.read_text(encoding="utf-8")
