"""The bundle's PDF: the same facts as its HTML page, for people who print or file PDFs.

fpdf2 writes it with DejaVu Sans, which matplotlib ships (a pip install gives every machine
the same font: Latin, Greek, Cyrillic, Hebrew, Arabic and many symbols). A post may hold any
character: those the font lacks (CJK, emoji...) and invisible controls (bidi overrides,
zero-width characters) are written as [U+XXXX], and the PDF says so; the JSON records keep
the exact text. Right-to-left text appears in stored order, as the PDF has no text shaping.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from fpdf import FPDF

FONT = "dejavu"
NOTICE = (
    "Characters this PDF's font cannot show, and invisible control characters, appear as "
    "[U+XXXX]; right-to-left text appears in stored order. The JSON files under records/ "
    "hold the exact text, and SHA256SUMS the hash of every file."
)
# Unassigned, private-use, surrogates, controls and format characters (bidi and zero-width)
_HIDDEN = frozenset({"Cc", "Cf", "Cn", "Co", "Cs", "Zl", "Zp"})


@cache
def font_path() -> Path:
    spec = find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("evidence PDFs need matplotlib's DejaVu Sans: pip install matplotlib")
    return Path(spec.submodule_search_locations[0]) / "mpl-data/fonts/ttf/DejaVuSans.ttf"


class Document:
    """An A4 PDF of plain lines in DejaVu Sans, every line passed through ``printable``: the
    evidence bundles' PDF and the complaint case file are written with it."""

    def __init__(self, created: datetime | None = None) -> None:
        self.pdf = FPDF(format="A4")
        if created is not None:
            self.pdf.set_creation_date(created)
        self.pdf.add_font(FONT, fname=str(font_path()))
        self.cmap = self.pdf.fonts[FONT].cmap
        self.pdf.add_page()

    def line(self, text: str, size: float = 10, height: float = 5) -> None:
        self.pdf.set_font(FONT, size=size)
        self.pdf.multi_cell(0, height, printable(text, self.cmap), new_x="LMARGIN",
                            new_y="NEXT")

    def gap(self, millimetres: float) -> None:
        self.pdf.ln(millimetres)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def render_pdf(context: dict[str, Any]) -> bytes:
    pdf = Document(datetime.fromisoformat(context["created"]))
    line = pdf.line

    line(f"Evidence: {context['org'].name}", size=16, height=8)
    line(f"Bundle created {context['created']}")
    line(NOTICE, size=8, height=4)
    for item in context["items"]:
        pdf.gap(4)
        snapshot = item["snapshot"]
        post = snapshot["post"]
        line(f"Post {item['post_id']} ({post['platform']} {post['platform_id']})", size=13,
             height=7)
        for label, value in _facts(snapshot):
            line(f"{label}: {value}")
        pdf.gap(2)
        line(post["text"], size=11, height=6)
        pdf.gap(2)
        line("Review log", size=12, height=6)
        for record in item["events"]:
            event = record.fields
            line(f"{event['created_at']}  {event['actor_name']} ({event['actor_role']}) "
                 f"{event['action']} {' '.join(event['categories'])} {event['reason']} "
                 f"{event['note']}".rstrip(), size=9, height=4.5)
        if item["screenshots"]:
            pdf.gap(2)
            line("Supporters' screenshots (file, SHA-256)", size=12, height=6)
            for shot in item["screenshots"]:
                line(f"{shot.name or 'no longer stored'}  {shot.sha256}", size=7, height=3.5)
    pdf.gap(4)
    line("Chain links (seq, record, record SHA-256, link SHA-256)", size=12, height=6)
    for record in context["records"]:
        link = record.link
        line(f"{link.seq}  {record.name}  {link.record_hash}  {link.link_hash}", size=7,
             height=3.5)
    return pdf.output()


def printable(text: str, cmap: dict[int, int]) -> str:
    return "".join(
        char if char in "\n\t" or (ord(char) in cmap
                                   and unicodedata.category(char) not in _HIDDEN)
        else f"[U+{ord(char):04X}]"
        for char in text
    )


def _facts(snapshot: dict[str, Any]) -> list[tuple[str, str]]:
    post, source, author = snapshot["post"], snapshot["source"], snapshot["author"]
    detection, decision = snapshot["detection"], snapshot["decision"]
    facts = [
        ("Source", f"{source['name']} ({source['platform']}, {source['kind']})"),
        ("Posted", post["created_at"]),
        ("Address", post["url"] or "none given"),
        ("Author", f"{author['display_name']} @{author['handle'] or author['platform_id']}"
                   if author else "not recorded"),
    ]
    if detection:
        categories = ", ".join(str(c.get("id", "")) for c in detection["categories"])
        facts.append(("Detector", f"{'flagged' if detection['antisemitic'] else 'not flagged'}"
                                  f", score {detection['score']}, policy {detection['policy']},"
                                  f" model {detection['model_version']}; {categories}"))
    facts.append(("Decision", f"{decision['status']} by {decision['actor_name']} "
                              f"({decision['actor_role']}) at {decision['at']}"))
    facts.append(("Captured", snapshot["captured_at"]))
    return facts
