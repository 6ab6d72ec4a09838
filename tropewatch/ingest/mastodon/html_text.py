"""Mastodon's HTML post content (and profile notes) as plain text.

Mastodon sends content as sanitised HTML: paragraphs, line breaks, links whose visible text is
split into spans. The text a reader sees is what we scan: paragraphs become blank lines,
``<br>`` a newline, links their text, entities are unescaped, and no markup survives.

The standard library's tokenizer does the parsing. It takes quadratic time on some malformed
input (``"<a" * 20000`` alone takes seconds) and asserts on a few declarations, so a linear
pre-pass first escapes every ``<`` that does not open a complete, well-quoted tag. Mastodon's
sanitiser never emits such a ``<``, so real content is unchanged.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_STRAY_LT = re.compile(
    r"""<(?!/?[a-zA-Z][^<>"']*(?:(?:"[^"<>]*"|'[^'<>]*')[^<>"']*)*>|!--[^<>]*-->)"""
)
_BLOCKS = frozenset(
    {"p", "div", "blockquote", "pre", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6"}
)
_HIDDEN = frozenset({"script", "style", "template", "head", "title"})  # never visible text
_PARAGRAPH_BREAK = "\n\n"


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden_depth = 0
        self._after_block = True  # whitespace right after a block boundary is not content

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden_depth += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCKS:
            self._break_paragraph()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden_depth = max(0, self._hidden_depth - 1)
        elif tag in _BLOCKS:
            self._break_paragraph()

    def handle_data(self, data: str) -> None:
        if self._hidden_depth:
            return
        if self._after_block:
            data = data.lstrip()
            if not data:
                return
            self._after_block = False
        self.parts.append(data)

    def _break_paragraph(self) -> None:
        if self._after_block:
            return  # several tags in a row (</p><p>, </li></ul>) make one break
        # Trailing whitespace of the block goes; only whole whitespace parts are popped and the
        # last part is trimmed once, so this stays linear however many blocks there are.
        while self.parts and not self.parts[-1].strip():
            self.parts.pop()
        if self.parts:
            self.parts[-1] = self.parts[-1].rstrip()
            self.parts.append(_PARAGRAPH_BREAK)
        self._after_block = True


def html_to_text(html: str) -> str:
    collector = _TextCollector()
    collector.feed(_STRAY_LT.sub("&lt;", html))
    collector.close()
    return "".join(collector.parts).strip()
