"""Markdown from content files turned into sanitised HTML."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_ALLOWED_TAGS = {"p", "strong", "em", "ul", "ol", "li", "br", "code", "blockquote"}


def render_markdown(text: str) -> Markup:
    """Render Markdown and keep only harmless tags: content files may come from anyone."""
    html = _md.render(text)
    clean = nh3.clean(html, tags=_ALLOWED_TAGS, attributes={})
    return Markup(clean)  # noqa: S704 - sanitised by nh3 just above
