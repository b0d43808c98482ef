"""Sign-in cards: the QR code of a learner's personal link, as inline SVG (segno)."""

from __future__ import annotations

import io

import segno


def qr_svg(url: str) -> str:
    """An SVG QR code of the URL, with a title for screen readers, no XML declaration."""
    out = io.BytesIO()
    segno.make(url, error="m").save(
        out, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, title="QR code"
    )
    return out.getvalue().decode("utf-8")
