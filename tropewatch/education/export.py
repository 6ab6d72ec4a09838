"""The education library as a static site a group can publish anywhere: plain HTML files that
link to each other by relative paths, one stylesheet, no scripts."""

from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from tropewatch.detector.taxonomy import load_taxonomy

from .library import pages

INDEX = "index.html"
STYLESHEET = "learn.css"


def _file_name(category_id: str) -> str:
    return f"{category_id}.html"


def export_education(directory: Path) -> list[Path]:
    """Write the index, a page per taxonomy category and the stylesheet into ``directory``
    (created if need be); returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    version = load_taxonomy().version
    every = pages(_file_name)
    written = {INDEX: render_to_string("education/static_page.html",
                                       {"pages": every, "version": version})}
    for shown in every:
        written[shown.href] = render_to_string(
            "education/static_page.html",
            {"page": shown, "index_href": INDEX, "version": version})
    paths = []
    for name, html in written.items():
        path = directory / name
        path.write_text(html, encoding="utf-8")
        paths.append(path)
    stylesheet = directory / STYLESHEET
    stylesheet.write_bytes(Path(finders.find(f"education/{STYLESHEET}")).read_bytes())
    return [*paths, stylesheet]
