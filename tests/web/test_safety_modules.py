"""The safety modules through the server: content rules, the lab's no-trace promise, the phone."""

from __future__ import annotations

import logging
import re
import secrets
from html import unescape as html_unescape
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from companion.catalogue import Module
from companion.catalogue.loader import load_catalogue
from companion.catalogue.steps.password_lab import PasswordLabStep
from companion.catalogue.steps.phone import PhoneStep
from companion.extensions import db
from companion.models import ProgressEvent
from tests.conftest import AMINA_LINK, Auth, make_app, page
from tests.helpers import form_fields, right_answer, step_url, submit, wrong_answer

ROOT = Path(__file__).resolve().parents[2]
MODULES = ("mots-de-passe", "dangers-internet")
PASSWORDS = "mots-de-passe"
DANGERS = "dangers-internet"


def module_of(app: Flask, module_id: str) -> Module:
    module: Module = app.extensions["companion.catalogue"][module_id]
    return module


def reach(client: FlaskClient, module: Module, step_id: str) -> str:
    """Answer every step before step_id right; return the step's URL."""
    for step in module.steps:
        if step.id == step_id:
            return step_url(module.id, step.id)
        submit(client, step_url(module.id, step.id), right_answer(step))
    raise AssertionError(step_id)


def first_of(module: Module, kind: type) -> Any:
    return next(s for s in module.steps if isinstance(s, kind))


@pytest.mark.parametrize("module_id", MODULES)
def test_module_shape(app: Flask, module_id: str) -> None:
    module = module_of(app, module_id)
    steps = module.steps
    assert len(steps) >= 12
    assert sum(s.is_practice for s in steps) >= 6
    assert steps[0].type_name == "confidence"
    assert getattr(steps[0], "moment") == "start"  # noqa: B009
    assert [s.type_name for s in steps[-2:]] == ["summary", "confidence"]
    assert getattr(steps[-1], "moment") == "end"  # noqa: B009
    assert all(s.pictogram and s.pictogram_alt for s in steps)


def test_content_check_has_no_warning_for_these_modules() -> None:
    _modules, report = load_catalogue(ROOT / "content", ROOT / "static" / "pictograms")
    assert report.errors == []
    mine = [w for w in report.warnings if any(f"/{m}/" in w for m in MODULES)]
    assert mine == []


def test_old_password_step_ids_are_kept(app: Flask) -> None:
    ids = set(module_of(app, PASSWORDS).step_ids)
    old = {
        "confidence-start",
        "why",
        "strongest",
        "long-enough",
        "how-many",
        "one-per-account",
        "sms-code",
        "shared-computer",
        "summary",
        "confidence-end",
    }
    assert old <= ids


def test_topics_are_covered(app: Flask) -> None:
    passwords = " ".join(t for s in module_of(app, PASSWORDS).steps for t in s.texts())
    for topic in (
        "double vérification",
        "FranceConnect",
        "mot de passe oublié",
        "gestionnaire de mots de passe",
        "navigation privée",
        "J'ai fini",
        "7 mots",
        "12 signes",
        "14 signes",
        "France Travail",
        "question secrète",
    ):
        assert topic in passwords, topic
    dangers_module = module_of(app, DANGERS)
    dangers = " ".join(t for s in dangers_module.steps for t in s.texts())
    summary = dangers_module.step("summary")
    dangers += " ".join(getattr(summary, "contacts", []))
    for topic in (
        "33700",
        "17cyber.gouv.fr",
        "Pharos",
        "Perceval",
        "0 892 705 705",
        "Carte Vitale",
        "ANTAI",
        "amendes.gouv.fr",
        "compte formation",
        "wifi",
        "mise à jour",
        "SPAMVOCAL",
        "Thésée",
        "SignalConso",
    ):
        assert topic in dangers, topic
    phones = [s for s in dangers_module.steps if isinstance(s, PhoneStep)]
    ids = {m.id for s in phones for m in s.messages}
    assert {"parcel", "carte-vitale", "cpf", "antai", "bank-code", "france-travail", "job"} <= ids
    assert any(m.verdict == "safe" for s in phones for m in s.messages)


@pytest.mark.parametrize("module_id", MODULES)
def test_learner_completes_the_module(
    app: Flask, client: FlaskClient, auth: Auth, module_id: str
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = module_of(app, module_id)
    for step in module.steps:
        response = submit(client, step_url(module_id, step.id), right_answer(step))
        assert response.status_code in (200, 302), (step.id, response.status_code)
        if step.is_practice:
            assert "Bravo, c'est juste !" in page(response), step.id
    done = client.get(f"/learn/modules/{module_id}/")
    assert done.headers["Location"] == f"/learn/modules/{module_id}/done"


# --- the password lab --------------------------------------------------------------------


def test_lab_form_keeps_nothing(app: Flask, client: FlaskClient, auth: Auth) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = module_of(app, PASSWORDS)
    url = reach(client, module, first_of(module, PasswordLabStep).id)
    html = client.get(url).get_data(as_text=True)
    field = re.search(r"<input[^>]*name=\"lab_text\"[^>]*>", html)
    assert field, "no lab field"
    assert 'autocomplete="off"' in field.group(0)
    assert "value=" not in field.group(0)
    assert 'type="text"' in field.group(0)
    form = html[: field.start()].rsplit("<form", 1)[1]
    assert 'method="post"' in form
    assert "password_lab.js" in html
    assert "Ne tapez pas un vrai mot de passe" in page(client.get(url))


def test_lab_explains_a_weak_password_without_echoing_it(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = module_of(app, PASSWORDS)
    url = reach(client, module, first_of(module, PasswordLabStep).id)
    response = submit(client, url, {"lab_text": "Amina1990"})
    html = page(response)
    assert "Pas tout à fait." in html
    assert "Pas assez solide" in html
    assert "votre prénom" in html
    assert "une année" in html
    assert "Amina1990" not in html
    response = submit(client, url, {"lab_text": "azerty"})
    assert "très utilisé" in page(response)
    # The bundled lists are in the page for the script; outside them, no trace of it.
    body = re.sub(r'data-(words|leaked)="[^"]*"', "", response.get_data(as_text=True))
    assert "azerty" not in body


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x" * 10_000, "seulement les 100 premiers signes"),
        ("😀🔥🙂👍🎉", "Pas assez solide"),
        ("مرحبا بالعالم كيف حالك اليوم يا صديقي", "Le but est 80 points."),
        ("<b>gras</b><script>alert(1)</script>", "Le but est 80 points."),
        ("   ", "Choisissez ou tapez une réponse"),
        ("", "Choisissez ou tapez une réponse"),
    ],
)
def test_lab_bad_input_gets_a_sensible_answer(
    app: Flask, client: FlaskClient, auth: Auth, text: str, expected: str
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = module_of(app, PASSWORDS)
    url = reach(client, module, first_of(module, PasswordLabStep).id)
    response = submit(client, url, {"lab_text": text})
    assert response.status_code in (200, 422)
    body = response.get_data(as_text=True)
    assert expected in page(response)
    assert "<script>alert" not in body
    assert "Page introuvable" not in body
    if text.strip():
        assert text not in body


def test_lab_draws_words_without_recording(app: Flask, client: FlaskClient, auth: Auth) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = module_of(app, PASSWORDS)
    lab = next(s for s in module.steps if getattr(s, "mode", "") == "passphrase")
    url = reach(client, module, lab.id)
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(ProgressEvent))
    html = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert token
    response = client.post(url, data={"csrf_token": token.group(1), "action": "draw"})
    assert response.status_code == 200
    drawn = re.search(
        r'<ul class="lab-drawn" data-lab-drawn aria-live="polite">(.*?)</ul>',
        response.get_data(as_text=True),
        re.S,
    )
    assert drawn
    assert drawn.group(1).count("<li>") == 7
    with app.app_context():
        after = db.session.scalar(select(func.count()).select_from(ProgressEvent))
    assert after == before


def test_what_is_typed_leaves_no_trace(
    sqlite_db_path: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The database's own files are searched too: a SQLite database whatever the run's engine.
    db_path = sqlite_db_path
    app = make_app(db_path)
    client = app.test_client()
    auth = Auth(client)
    caplog.set_level(logging.DEBUG)
    secret = "Zq" + secrets.token_hex(8) + "!Vélo"
    auth.learner_link(AMINA_LINK, "2580")
    module = module_of(app, PASSWORDS)
    bodies: list[str] = []
    for lab in (s for s in module.steps if isinstance(s, PasswordLabStep)):
        url = reach(client, module, lab.id)
        for attempt in (secret[:6], secret, secret + " soleil"):
            shown = client.get(url)
            bodies.append(shown.get_data(as_text=True))
            posted = client.post(
                url, data={**form_fields(shown.get_data(as_text=True)), "lab_text": attempt}
            )
            bodies.append(posted.get_data(as_text=True))
            bodies.append(str(posted.headers))
        bodies.append(client.get(f"/learn/modules/{PASSWORDS}/").get_data(as_text=True))
    bodies.append(client.get("/learn/").get_data(as_text=True))
    assert any("points de force" in b for b in bodies)
    for body in bodies:
        assert secret not in body
        assert secret[:6] not in body
    assert secret not in caplog.text
    captured = capsys.readouterr()
    assert secret not in captured.out + captured.err
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    for path in db_path.parent.iterdir():
        if path.name.startswith(db_path.name):
            data = path.read_bytes()
            assert secret.encode() not in data, path
            assert secret.encode("utf-16-le") not in data, path


def _lab_lines(html: str) -> list[str]:
    """The lab's analyses shown by the server: verdict, time, every line (tags removed)."""
    found = re.findall(
        r'<p class="lab-(?:verdict|resist)[^"]*">(.*?)</p>|<li class="lab-reason[^"]*">(.*?)</li>',
        html,
        re.S,
    )
    return [" ".join((a or b).split()) for a, b in found]


# A password of 9 random signs: 60 bits, which a thief finds in 3 years (the unit whose text
# shared its key with the year line: "… le trouve en Il contient une année.").
YEARS_PASSWORD = "Xq7#mPz2L"
WHOLE = {
    "fr": ["Un voleur avec un ordinateur puissant le trouve en 3 ans."],
    "en": ["A thief with a powerful computer finds it in 3 years."],
    "ar": ["لص لديه حاسوب قوي يجدها في 3 سنوات."],
}


@pytest.mark.parametrize("lang", ["fr", "en", "ar"])
def test_every_lab_text_is_a_whole_sentence(
    app: Flask, client: FlaskClient, auth: Auth, lang: str
) -> None:
    from companion.catalogue.steps.password_lab import estimate

    assert estimate(YEARS_PASSWORD).resist_unit == "years"
    assert estimate(YEARS_PASSWORD).resist_count == 3
    client.set_cookie("companion_lang", lang)
    auth.learner_link(AMINA_LINK, "2580")
    module = module_of(app, PASSWORDS)
    url = reach(client, module, first_of(module, PasswordLabStep).id)
    lines = _lab_lines(page(submit(client, url, {"lab_text": YEARS_PASSWORD})))
    for sentence in WHOLE[lang]:
        assert sentence in lines, lines
    lines += _lab_lines(page(submit(client, url, {"lab_text": "Amina1990"})))
    assert len(lines) >= 8
    for line in lines:
        text = line.lstrip("✔✘ ")
        assert text[-1] in ".!", line  # each line ends as a sentence
        assert "{" not in text, line
        assert "%(" not in text, line
    # Each text the script writes is whole too, with "{n}" where its number goes.
    html = client.get(url).get_data(as_text=True)
    texts = re.findall(r'<span data-lab-text="([^"]+)"(?: data-plural="(\w+)")?>(.*?)</span>', html)
    keys = {key for key, _form, _text in texts}
    assert {"resist-years", "years", "strong", "weak", "tokens", "words"} <= keys
    for key, _form, text in texts:
        if key != "meter":
            assert text.rstrip()[-1] in ".!", (key, text)
    if lang == "ar":
        # Arabic has six plural forms: the script gets the ones that differ.
        forms = {form for key, form, _text in texts if key == "resist-years"}
        assert {"", "two", "few"} <= forms


def test_the_modules_seven_words_get_bravo_and_no_red_line(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = module_of(app, PASSWORDS)
    for lab in (s for s in module.steps if isinstance(s, PasswordLabStep)):
        url = reach(client, module, lab.id)
        html = page(submit(client, url, {"lab_text": "tulipe bus orange râteau nuage valise pain"}))
        assert "Bravo, c'est juste !" in html, lab.id
        lines = _lab_lines(html)
        assert lines[0].startswith("Solide :"), lines
        assert not [line for line in lines if line.startswith("✘")], (lab.id, lines)
        assert not [line for line in lines if "très utilisé" in line]


def test_the_taught_rule_passes_the_lab(app: Flask, client: FlaskClient, auth: Auth) -> None:
    """12 random signs of 4 kinds pass; Jardin#Bleu7 (the module's counter-example) does not,
    and the lab says why with the module's own words."""
    auth.learner_link(AMINA_LINK, "2580")
    module = module_of(app, PASSWORDS)
    url = reach(client, module, first_of(module, PasswordLabStep).id)
    weak = page(submit(client, url, {"lab_text": "Jardin#Bleu7"}))
    assert "Pas assez solide" in weak
    assert "Il contient 2 mots courants." in weak
    strong = page(submit(client, url, {"lab_text": "k8$Lp.2mQ!x9"}))
    assert "Bravo, c'est juste !" in strong
    assert "Solide : 80 points de force. Le but est 80 points." in strong


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_after_three_tries_the_lab_shows_an_example_that_reaches_the_target(
    app: Flask, client: FlaskClient, auth: Auth, lang: str
) -> None:
    from companion.catalogue.steps.password_lab import estimate

    client.set_cookie("companion_lang", lang)
    auth.learner_link(AMINA_LINK, "2580")
    module = module_of(app, PASSWORDS)
    for lab in (s for s in module.steps if isinstance(s, PasswordLabStep)):
        url = reach(client, module, lab.id)
        for _ in range(3):
            html = submit(client, url, {"lab_text": "Soleil2024"}).get_data(as_text=True)
        example = re.search(r'<p class="lab-example__text" dir="ltr">(.*?)</p>', html, re.S)
        assert example, lab.id
        # The example is drawn at random, and may hold a sign HTML escapes (&).
        shown = estimate(html_unescape(example.group(1).strip()))
        assert shown.strong
        block = html[example.end() :]
        verdicts = re.findall(r'<p class="lab-verdict lab-verdict--(\w+)">', block)
        assert verdicts[0] == "good"
        assert f">{shown.bits}<" not in block  # the number is inside a sentence
        # The learner's own try is still called weak, and the answer text claims nothing
        # about it: it says what a strong password reaches.
        assert 'lab-verdict--bad">' in html[: example.start()]
        if lang == "fr":
            assert "Votre mot de passe atteint" not in html
            assert "Voici un exemple qui atteint le but" in html
            assert f"Solide : {shown.bits} points de force. Le but est 80 points." in html


def test_lab_wrong_answer_is_recorded_as_a_try(app: Flask, client: FlaskClient, auth: Auth) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = module_of(app, PASSWORDS)
    lab = first_of(module, PasswordLabStep)
    url = reach(client, module, lab.id)
    html = page(submit(client, url, wrong_answer(lab)))
    assert "Essai 1 sur 3" in html


# --- the simulated phone -----------------------------------------------------------------


def test_phone_is_labelled_and_has_no_link(app: Flask, client: FlaskClient, auth: Auth) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = module_of(app, DANGERS)
    phone = first_of(module, PhoneStep)
    url = reach(client, module, phone.id)
    html = page(client.get(url))
    assert "Simulation : ce téléphone n'est pas vrai." in html
    section = html.split('<section class="phone"', 1)[1].split("</section>", 1)[0]
    assert "<a " not in section
    assert "href" not in section
    for message in phone.messages:
        assert f'name="verdict-{message.id}"' in section
        for n in range(len(message.parts)):
            assert f'name="signs-{message.id}" value="{n}"' in section
    assert "phone.js" in html


def test_phone_feedback_per_message(app: Flask, client: FlaskClient, auth: Auth) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = module_of(app, DANGERS)
    phone = first_of(module, PhoneStep)
    url = reach(client, module, phone.id)
    answer = right_answer(phone)
    first = phone.messages[0]
    second = next(m for m in phone.messages[1:] if any(p.sign is None for p in m.parts))
    answer[f"verdict-{first.id}"] = "safe"  # a scam sorted as safe
    innocent = next(n for n, p in enumerate(second.parts) if p.sign is None)
    answer[f"signs-{second.id}"] = [*answer[f"signs-{second.id}"], str(innocent)]
    response = submit(client, url, answer)
    html = page(response)
    assert "Pas tout à fait." in html
    assert "Ce tri n'est pas le bon." in html
    assert "Regardez encore ce que vous avez coché." in html
    assert "Bien vu." in html  # the other messages were right
    # Choices are kept for the next try.
    assert re.search(rf'name="verdict-{first.id}" value="safe"[^>]*checked', html)


# The official addresses content-facts.md names; a genuine message links only to one of them.
OFFICIAL = {
    "ameli.fr",
    "francetravail.fr",
    "impots.gouv.fr",
    "amendes.gouv.fr",
    "17cyber.gouv.fr",
    "internet-signalement.gouv.fr",
    "33700.fr",
}


def _domain(link: str) -> str:
    return link.split("/", 1)[0].lower()


@pytest.mark.parametrize("lang", ["fr", "en", "ar"])
def test_links_teach_reading_the_address(app: Flask, lang: str) -> None:
    """Traps use realistic look-alike addresses, genuine messages the real official ones: the
    lesson is reading the end of the address, not spotting ".example"."""
    modules = app.extensions["companion.catalogue.translations"].get(lang) or {}
    modules = {**app.extensions["companion.catalogue"], **modules}
    genuine, traps = set(), set()
    for module in modules.values():
        for step in module.steps:
            assert ".example" not in " ".join(step.texts()), (module.id, step.id)
            for message in getattr(step, "messages", []):
                for part in (p for p in message.parts if p.link):
                    assert ".example" not in part.text, (step.id, message.id)
                    domain = _domain(part.text)
                    assert re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", domain), domain
                    if message.verdict == "safe":
                        genuine.add(domain)
                    else:
                        traps.add(domain)
    assert genuine
    assert genuine <= OFFICIAL
    assert len(traps) >= 5
    for domain in traps:
        assert domain not in OFFICIAL
        # A look-alike may borrow a name (ameli-carte-vitale.info) but never ends with an
        # official address, which would make it the real site.
        assert not any(domain.endswith("." + real) for real in OFFICIAL), domain


def test_asking_someone_about_a_scam_is_right(app: Flask, client: FlaskClient, auth: Auth) -> None:
    """The module says "Dans le doute, demandez à quelqu'un": asking is right for a scam, once
    its warning signs are ticked; asking everywhere with nothing ticked does not pass."""
    auth.learner_link(AMINA_LINK, "2580")
    module = module_of(app, DANGERS)
    for phone in (s for s in module.steps if isinstance(s, PhoneStep)):
        url = reach(client, module, phone.id)
        blind = {f"verdict-{m.id}": "ask" for m in phone.messages}
        assert "Pas tout à fait." in page(submit(client, url, blind)), phone.id
        answer = right_answer(phone)
        scams = [m for m in phone.messages if m.verdict == "scam"]
        assert scams, phone.id
        for message in scams:
            answer[f"verdict-{message.id}"] = "ask"
        html = page(submit(client, url, answer))
        assert "Bravo, c'est juste !" in html, phone.id
        assert html.count("Vous avez raison de demander : ce message est une arnaque.") == len(
            scams
        )


def test_phone_missing_or_tampered_answers(app: Flask, client: FlaskClient, auth: Auth) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = module_of(app, DANGERS)
    phone = first_of(module, PhoneStep)
    url = reach(client, module, phone.id)
    answer = right_answer(phone)
    del answer[f"verdict-{phone.messages[0].id}"]
    assert submit(client, url, answer).status_code == 422
    answer = right_answer(phone)
    answer[f"verdict-{phone.messages[0].id}"] = "maybe"
    assert submit(client, url, answer).status_code == 400
    answer = right_answer(phone)
    answer[f"signs-{phone.messages[0].id}"] = ["99"]
    assert submit(client, url, answer).status_code == 400
    answer = right_answer(phone)
    answer[f"signs-{phone.messages[0].id}"] = ["-1"]
    assert submit(client, url, answer).status_code == 400


def test_phone_after_three_tries_shows_every_sign(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = module_of(app, DANGERS)
    phone = first_of(module, PhoneStep)
    url = reach(client, module, phone.id)
    for _ in range(3):
        response = submit(client, url, wrong_answer(phone))
    html = page(response)
    assert "Voici la bonne réponse" in html
    for message in phone.messages:
        for part in message.parts:
            if part.sign:
                assert part.sign in html
    assert "Étape suivante" in html
