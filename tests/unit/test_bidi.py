"""Numbers, formulas and codes keep their order inside right-to-left text (catalogue/bidi.py).

Seen on the Arabic screenshots at 360 px: the card-blocking number "0 892 705 705" read
"705 705 892 0", "=SOMME(B2:B6)" read "(SOMME(B2:B6=" and "#NOM?" read "?NOM#"."""

from __future__ import annotations

import pytest

from companion import ROOT
from companion.catalogue import load_catalogue
from companion.catalogue.bidi import LRI, PDI, is_rtl, isolate_ltr, isolate_overlay
from companion.catalogue.loader import load_content


@pytest.mark.parametrize(
    ("text", "isolated"),
    [
        ("اتصل بالرقم 0 892 705 705.", f"اتصل بالرقم {LRI}0\u00a0892\u00a0705\u00a0705{PDI}."),
        ("الصيغة =SOMME(B2:B6) تجمع", f"الصيغة {LRI}=SOMME(B2:B6){PDI} تجمع"),
        ("مثال: =SOMM(B2:B4) تعطي #NOM?.", f"مثال: {LRI}=SOMM(B2:B4){PDI} تعطي {LRI}#NOM?{PDI}."),
        ("في D2 و D3، اكتب", f"في {LRI}D2{PDI} و {LRI}D3{PDI}، اكتب"),
        ("مثل Err:522 في LibreOffice.", f"مثل {LRI}Err:522{PDI} في LibreOffice."),
        ("France Travail", "France Travail"),  # Latin words alone are left to right already
    ],
)
def test_left_to_right_runs_are_isolated(text: str, isolated: str) -> None:
    assert isolate_ltr(text) == isolated
    assert isolate_ltr(isolated) == isolated  # once only


def test_answers_and_data_are_left_alone() -> None:
    overlay = {"s1": {"question": "كم 12 ؟", "accepted": ["12 رمزًا"], "A2": "=B2-C2"}}
    done = isolate_overlay(overlay)
    assert done["s1"]["question"] == f"كم {LRI}12{PDI} ؟"
    assert done["s1"]["accepted"] == ["12 رمزًا"]
    assert done["s1"]["A2"] == "=B2-C2"


def test_the_direction_comes_from_babel() -> None:
    assert [is_rtl(lang) for lang in ("ar", "fa", "fr", "en", "xx-unknown")] == [
        True,
        True,
        False,
        False,
        False,
    ]


def test_the_arabic_card_blocking_number_reads_as_written() -> None:
    content = load_content(ROOT / "content", ROOT / "static" / "pictograms")
    arabic = content.translations["ar"]["dangers-internet"].module
    texts = [str(v) for step in arabic.steps for v in step.model_dump().values()]
    assert any(f"{LRI}0\u00a0892\u00a0705\u00a0705{PDI}" in t for t in texts)
    # French and English are left as written.
    french, _report = load_catalogue(ROOT / "content", ROOT / "static" / "pictograms")
    assert LRI not in str(french["dangers-internet"].model_dump())
