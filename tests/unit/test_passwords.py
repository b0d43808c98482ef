"""The app's argon2id parameters (the suite itself hashes with cheaper ones, see conftest)."""

from __future__ import annotations

from argon2 import Type, extract_parameters, profiles

from companion.services import passwords


def test_the_app_hashes_with_argon2id_and_the_recommended_parameters() -> None:
    # The suite swaps in a cheap hasher (tests/conftest.py); APP_HASHER is the app's own.
    parameters = extract_parameters(passwords.APP_HASHER.hash("x"))
    recommended = profiles.get_default_parameters()
    assert parameters.type is Type.ID
    assert parameters.memory_cost == recommended.memory_cost >= 19 * 1024  # OWASP minimum
    assert parameters.time_cost == recommended.time_cost
    assert parameters.parallelism == recommended.parallelism


def test_a_hash_verifies_only_its_secret() -> None:
    stored = passwords.hash_secret("Un mot de passe long et sûr")
    assert stored.startswith("$argon2id$")
    assert passwords.verify_secret(stored, "Un mot de passe long et sûr")
    assert not passwords.verify_secret(stored, "un mot de passe long et sûr")
    assert not passwords.verify_secret("not a hash", "anything")


def test_an_unknown_address_costs_what_the_hasher_in_force_costs() -> None:
    # Made on first use by the hasher in force: under the test settings, the cheap one.
    assert passwords.dummy_hash() is passwords.dummy_hash()
    assert extract_parameters(passwords.dummy_hash()) == extract_parameters(
        passwords.hash_secret("x")
    )
