"""Password hashing (Argon2id) and generated one-time passwords.

argon2-cffi's ``PasswordHasher`` uses Argon2id with the RFC 9106 low-memory profile; its
hashes carry their parameters, so raising them later re-hashes on the next sign-in.
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash("schildwacht-timing-equaliser")
_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/l/I


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; an unknown user is checked against a dummy hash so
    that timing does not reveal which usernames exist."""
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _HASHER.check_needs_rehash(password_hash)


def generate_password(length: int = 20) -> str:
    """A random one-time password, easy to type, about 116 bits for 20 characters."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def password_problem(password: str, *, username: str, min_length: int) -> str | None:
    """Why ``password`` may not be chosen, in Dutch, or None when it is acceptable.

    Length is what matters (NIST SP 800-63B); composition rules are not imposed.
    """
    if len(password) < min_length:
        return f"Het wachtwoord moet minstens {min_length} tekens lang zijn."
    if username.lower() in password.lower():
        return "Het wachtwoord mag uw gebruikersnaam niet bevatten."
    if len(set(password)) < 5:
        return "Het wachtwoord bestaat uit te weinig verschillende tekens."
    return None
