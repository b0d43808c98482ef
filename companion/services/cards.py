"""QR codes as inline SVG (segno): a learner's sign-in cards, a staff member's TOTP enrolment."""

from __future__ import annotations

import io

import segno


def qr_svg(url: str, title: str = "QR code") -> str:
    """An SVG QR code of the URL, with a title for screen readers, no XML declaration."""
    out = io.BytesIO()
    segno.make(url, error="m").save(
        out, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, title=title
    )
    return out.getvalue().decode("utf-8")
