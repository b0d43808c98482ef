"""Staff sign-in with growing waits per account, kept in the database.

A fixed limit per e-mail address ("10 a minute") let anyone lock the real person out by
typing wrong passwords on their address. Instead, each account counts its wrong passwords
in a row: the first FREE_FAILURES cost nothing, then each further try waits twice as long
as the one before (2, 4, 8 … seconds, at most MAX_WAIT). A guesser gets about four tries an
hour once the waits are long. The owner, on a device where they signed in before, is not
made to wait (web/known_device.py); elsewhere they are told how long to wait.

A try is counted *before* the password is checked, in one conditional UPDATE on the count
it read: of parallel tries on an account, one goes on and the others are told to wait, so
concurrency buys a guesser nothing, across workers and app servers alike.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from companion.extensions import db
from companion.models import StaffUser, utcnow
from companion.services import passwords
from companion.services.passwords import verify_secret

FREE_FAILURES = 5
MAX_WAIT = timedelta(minutes=15)
# When a parallel try took the turn: wait this long, then the count is read again.
RACE_WAIT = timedelta(seconds=1)


def wait_after(failures: int) -> timedelta:
    """The wait before the next try after `failures` wrong passwords in a row."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    exponent = failures - FREE_FAILURES + 1
    if exponent >= 20:  # 2**20 s is far beyond the cap: no huge numbers
        return MAX_WAIT
    return min(timedelta(seconds=2**exponent), MAX_WAIT)


@dataclass(frozen=True)
class SigninResult:
    """The user when the password was right; otherwise how long the next try waits."""

    user: StaffUser | None
    wait: timedelta = timedelta(0)
    # True: this try was not even checked (the account is waiting).
    refused: bool = False

    @property
    def wait_seconds(self) -> int:
        return math.ceil(self.wait.total_seconds())


def _find(email: str) -> StaffUser | None:
    return db.session.scalar(
        select(StaffUser).where(func.lower(StaffUser.email) == email.strip().lower()[:254])
    )


def _take_turn(user: StaffUser, now: datetime) -> timedelta | None:
    """Count this try before checking it; None when it may go on, else the wait left."""
    count, until = db.session.execute(
        select(StaffUser.failed_signin_count, StaffUser.signin_wait_until).where(
            StaffUser.id == user.id
        )
    ).one()
    if until is not None and until > now:
        return until - now
    new_count = count + 1
    wait = wait_after(new_count)
    taken = db.session.execute(
        update(StaffUser)
        .where(StaffUser.id == user.id, StaffUser.failed_signin_count == count)
        .values(failed_signin_count=new_count, signin_wait_until=now + wait if wait else None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return None if taken.rowcount == 1 else RACE_WAIT  # type: ignore[attr-defined]


def _clear(user: StaffUser) -> None:
    db.session.execute(
        update(StaffUser)
        .where(StaffUser.id == user.id)
        .values(failed_signin_count=0, signin_wait_until=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def authenticate(
    email: str,
    password: str,
    device_knows: Callable[[int], bool] = lambda user_id: False,
    now: datetime | None = None,
) -> SigninResult:
    """Check a staff member's e-mail and password, counting wrong ones per account.

    `device_knows(user_id)`: this device signed in to that account before; its tries
    neither wait nor count (it has its own limit, web/security.py).
    """
    now = now or utcnow()
    user = _find(email)
    if user is None:
        verify_secret(passwords.dummy_hash(), password)  # the same cost as a real account
        return SigninResult(None)
    known_device = device_knows(user.id)
    if not known_device:
        wait = _take_turn(user, now)
        if wait is not None:
            return SigninResult(None, wait, refused=True)
    # An invited account has no password until its person chooses one.
    if user.password_hash and verify_secret(user.password_hash, password) and user.active:
        _clear(user)
        db.session.refresh(user)
        return SigninResult(user)
    if known_device:
        return SigninResult(None)
    db.session.refresh(user)
    until = user.signin_wait_until
    return SigninResult(None, until - now if until is not None and until > now else timedelta(0))
