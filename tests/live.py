"""What the tests that run real servers share (tests/resilience, tests/deploy): free ports,
psql, a demo database with extra learners to load, and the fields of a step's form."""

from __future__ import annotations

import re
import socket
import subprocess

PG = "postgresql+psycopg://postgres@127.0.0.1:5432"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
KEY = re.compile(r'name="submission_key" value="([^"]+)"')
SHOWN = re.compile(r'name="shown_at" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def psql(sql: str, database: str = "postgres") -> str:
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-tAc", sql],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


# `python -c SETUP N` on DATABASE_URL: the demo, plus N learners "ChargeNN" of the Atelier
# Démo with the PIN 1234; prints their personal-link tokens.
SETUP = """
import sys
from companion import create_app
from companion.extensions import db
from companion.models import Learner, Structure
from companion.services.accounts import new_signin_token
from companion.services.demo import load_demo
from companion.services.passwords import hash_secret
from sqlalchemy import select
app = create_app()
with app.app_context(), app.test_request_context("/"):
    load_demo()
    atelier = db.session.scalar(select(Structure).where(Structure.name == "Atelier Démo"))
    pin = hash_secret("1234")
    for n in range(int(sys.argv[1])):
        db.session.add(Learner(structure_id=atelier.id, first_name=f"Charge{n:02d}",
                               pictogram="star", pin_hash=pin, signin_token=new_signin_token()))
    db.session.commit()
    for learner in db.session.scalars(select(Learner).where(Learner.first_name.like("Charge%"))):
        print(learner.signin_token)
"""
