"""The glossary: hard words explained in place, checked like the modules (issue #15 item 8)."""

from __future__ import annotations

import pytest
from markupsafe import escape

from companion import ROOT
from companion.catalogue import load_content
from companion.catalogue.glossary import Glossary, Term, _Matcher, link_terms, used_terms

CONTENT = load_content(ROOT / "content", ROOT / "static" / "pictograms")

# The words the issue found unexplained, and a step of the modules that uses each.
NAMED = {
    "démarchage": ("dangers-internet", "cpf-call"),
    "organisme": ("dangers-internet", "after-click"),
    "prescripteur habilité": ("emploi-en-ligne", "inclusion"),
    "candidature spontanée": ("emploi-en-ligne", "other-sites"),
    "données mobiles": ("dangers-internet", "public-wifi"),
    "second œuvre": ("tableur-stock", "circular"),
}


def test_the_glossary_is_content_but_not_a_module() -> None:
    assert CONTENT.report.errors == []
    assert not [m for m in CONTENT.modules if m.startswith("_")]
    assert {"fr", "en", "ar"} <= set(CONTENT.glossary)
    assert CONTENT.glossary_missing == {"fr": [], "en": [], "ar": []}
    # No warning either: every entry is used by a step, in every language.
    assert not [w for w in CONTENT.report.warnings if "_glossary" in w]


def test_every_word_the_issue_names_is_explained_where_it_is_used() -> None:
    french = CONTENT.glossary["fr"]
    for word, (module_id, step_id) in NAMED.items():
        step = CONTENT.modules[module_id].step(step_id)
        assert step is not None, (module_id, step_id)
        found = used_terms(french, [str(step.model_dump())])
        assert word in {t.word for t in found}, (word, step_id)


def _glossary() -> Glossary:
    return Glossary(
        terms=[
            Term(
                id="prescripteur",
                word="prescripteur habilité",
                forms=["prescripteur habilité", "prescripteur"],
                definition="Une définition.",
                pictogram="person",
                pictogram_alt="Une personne",
            ),
            Term(
                id="organisme",
                word="organisme",
                forms=["organisme"],
                definition="Une autre.",
                pictogram="house",
                pictogram_alt="Une maison",
            ),
        ]
    )


def test_the_first_place_of_a_word_links_to_its_definition() -> None:
    html = (
        "<h2>Le prescripteur</h2>"
        '<p class="visually-hidden">Un prescripteur habilité</p>'
        "<p>Un Prescripteur habilité vous aide. Un prescripteur encore.</p>"
        '<label><input type="radio" name="c"> Contactez l&#39;organisme.</label>'
        '<button type="submit">organisme</button><div hidden>organisme</div>'
    )
    linked = link_terms(html, _glossary())
    out = str(linked.html)
    # The longest spelling wins, as typed (capital kept), once, outside headings and hidden text.
    assert out.count('class="glossary-term"') == 2
    assert (
        '<a class="glossary-term" href="#mot-prescripteur" id="mot-prescripteur-link" '
        'data-glossary="mot-prescripteur">Prescripteur habilité</a> vous aide' in out
    )
    assert "<h2>Le prescripteur</h2>" in out
    assert 'l&#39;<a class="glossary-term" href="#mot-organisme"' in out
    assert '<button type="submit">organisme</button>' in out
    assert [t.id for t in linked.terms] == ["prescripteur", "organisme"]


def test_a_word_only_in_a_heading_is_still_explained_below() -> None:
    linked = link_terms("<h3>Un organisme</h3><p>Rien.</p>", _glossary())
    assert "glossary-term" not in str(linked.html)
    assert [t.id for t in linked.terms] == ["organisme"]
    assert link_terms("<p>Rien du tout.</p>", _glossary()).terms == []


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list | tuple):
        return [s for item in value for s in _strings(item)]
    return []


def test_the_quick_look_changes_nothing_linked(monkeypatch: pytest.MonkeyPatch) -> None:
    """link_terms() and used_terms() first look for any entry at once and skip a text where
    there is none: on every text of every step, in every language, in the page's escaped
    form too, they give what searching entry by entry gives."""
    compared = 0
    for lang, glossary in CONTENT.glossary.items():
        texts = [
            text
            for module in CONTENT.modules.values()
            for step in module.steps
            for text in _strings(step.model_dump())
        ]
        texts += [str(escape(t)) for t in texts]  # ' written &#39; as in a page
        page = "".join(f"<p>{escape(t)}</p>" for t in texts)
        quick = ([link_terms(t, glossary).html for t in texts], link_terms(page, glossary))
        quick_used = [used_terms(glossary, [t]) for t in texts]
        with monkeypatch.context() as m:
            m.setattr(_Matcher, "absent", lambda self, text: False)
            slow = ([link_terms(t, glossary).html for t in texts], link_terms(page, glossary))
            slow_used = [used_terms(glossary, [t]) for t in texts]
        assert quick[0] == slow[0], lang
        assert quick[1] == slow[1], lang
        assert quick_used == slow_used, lang
        assert any(quick_used), lang  # not vacuous: words were found
        assert 'class="glossary-term"' in quick[1].html, lang
        compared += len(texts)
    assert compared > 1000
