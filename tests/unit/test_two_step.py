"""The TOTP rules of services/two_step.py on a fixed clock: window, replay, enrolment."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

import pyotp
import pytest
from sqlalchemy import select

from companion.extensions import db
from companion.models import StaffUser
from companion.services import two_step

NOW = 1_800_000_015.0  # 15 seconds into a 30-second step


@pytest.fixture
def cip(ctx: None) -> StaffUser:
    user = db.session.scalar(select(StaffUser).where(StaffUser.email == "cip@atelier.example"))
    assert user is not None
    return user


def code(secret: str, steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(int(NOW) + 30 * steps)


def test_enrolment_keeps_one_secret_until_confirmed(cip: StaffUser) -> None:
    secret = two_step.enrolment_secret(cip)
    assert len(secret) == 32
    assert two_step.enrolment_secret(cip) == secret
    assert not cip.two_step_enabled
    assert not two_step.verify(cip, code(secret), now=NOW)  # not asked before it is confirmed
    with pytest.raises(two_step.TwoStepError):
        two_step.enable(cip, code(secret, 2), now=NOW)
    two_step.enable(cip, code(secret), now=NOW)
    assert cip.two_step_enabled
    with pytest.raises(two_step.TwoStepError):
        two_step.enrolment_secret(cip)


def test_one_step_either_side_and_never_twice(cip: StaffUser) -> None:
    secret = two_step.enrolment_secret(cip)
    two_step.enable(cip, code(secret, -1), now=NOW)
    assert not two_step.verify(cip, code(secret, -1), now=NOW)  # the enrolment code: used
    assert not two_step.verify(cip, code(secret, 2), now=NOW)  # a minute ahead: too far
    assert not two_step.verify(cip, code(secret, -2), now=NOW)
    assert two_step.verify(cip, code(secret), now=NOW)
    assert not two_step.verify(cip, code(secret), now=NOW)  # replayed
    assert two_step.verify(cip, code(secret, 1), now=NOW)
    # An older code that was never used is refused too: steps only move forward.
    assert not two_step.verify(cip, code(secret), now=NOW + 30)
    assert cip.totp_last_step == int(NOW // 30) + 1
    db.session.expire_all()
    assert cip.totp_last_step == int(NOW // 30) + 1  # stored, not only in memory


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdef", "12 34 5a", "١٢٣٤٥", "²³⁴⁵⁶⁷"])
def test_malformed_codes_are_refused(cip: StaffUser, typed: str) -> None:
    secret = two_step.enrolment_secret(cip)
    two_step.enable(cip, code(secret), now=NOW)
    assert not two_step.verify(cip, typed, now=NOW + 30)


def test_spaces_dashes_and_arabic_digits_are_read(cip: StaffUser) -> None:
    secret = two_step.enrolment_secret(cip)
    right = code(secret)
    two_step.enable(cip, f" {right[:3]}-{right[3:]} ", now=NOW)
    assert cip.two_step_enabled
    arabic = code(secret, 1).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert two_step.verify(cip, arabic, now=NOW)


def test_provisioning_uri_and_grouped_secret(cip: StaffUser) -> None:
    secret = two_step.enrolment_secret(cip)
    uri = urlsplit(two_step.provisioning_uri(cip, secret))
    assert uri.scheme == "otpauth"
    assert uri.netloc == "totp"
    assert unquote(uri.path) == "/Compagnon numérique:cip@atelier.example"
    query = parse_qs(uri.query)
    assert query["secret"] == [secret]
    assert query["issuer"] == ["Compagnon numérique"]
    assert two_step.grouped("ABCDEFGHIJ") == "ABCD EFGH IJ"
