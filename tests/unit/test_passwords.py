"""The app's argon2id parameters (the suite itself hashes with cheaper ones, see conftest)."""

from __future__ import annotations

from argon2 import Type, extract_parameters, profiles

from companion.services import passwords


def test_the_app_hashes_with_argon2id_and_the_recommended_parameters() -> None:
    # DUMMY_HASH is made when the module is imported, by the app's own hasher.
    parameters = extract_parameters(passwords.DUMMY_HASH)
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
