"""Stable pseudonyms for employees: a keyed HMAC of the employee id.

Analysts triage without knowing whom they are looking at, as the works council and the
GDPR's data minimisation expect. The pseudonym is stable (the same employee always gets the
same one, so related alerts are recognisable), but cannot be reversed or recomputed without
the key. The key lives outside the application database, in a file created on first start
(``<store>/keys/pseudonym.key``, or the file ``SCHILDWACHT_PSEUDONYM_KEY_FILE`` names, e.g. a
secrets mount), so a copy of the database alone does not re-identify anyone.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import secrets
import tempfile
from pathlib import Path

KEY_FILE_ENV = "SCHILDWACHT_PSEUDONYM_KEY_FILE"
KEY_BYTES = 32


def key_path(store_root: Path) -> Path:
    override = os.environ.get(KEY_FILE_ENV)
    return Path(override) if override else store_root / "keys" / "pseudonym.key"


def load_or_create_key(path: Path) -> bytes:
    """The key in ``path``; a new random one is written (mode 0600) when there is none.

    The new key is written in full under a temporary name and then hard-linked to ``path``,
    which fails when the file exists: two processes starting at once cannot each write a
    different key, and neither ever reads a half-written one.
    """
    with contextlib.suppress(FileNotFoundError):
        return _read(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_bytes(KEY_BYTES)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:  # mkstemp creates it with mode 0600
            handle.write(base64.b64encode(key))
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return _read(path)
    finally:
        os.unlink(temporary)
    return key


def _read(path: Path) -> bytes:
    key = base64.b64decode(path.read_bytes().strip(), validate=True)
    if len(key) < KEY_BYTES:
        raise ValueError(f"{path}: pseudonym key is too short ({len(key)} bytes)")
    return key


class Pseudonymiser:
    """Turns employee ids into pseudonyms like ``MW-7K3Q-9XPA`` (MW: medewerker)."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._cache: dict[str, str] = {}

    def __call__(self, employee_id: str) -> str:
        found = self._cache.get(employee_id)
        if found is None:
            mac = hmac.new(self._key, employee_id.encode("utf-8"), hashlib.sha256).digest()
            code = base64.b32encode(mac).decode("ascii")[:8]
            found = f"MW-{code[:4]}-{code[4:]}"
            self._cache[employee_id] = found
        return found
