"""Who may edit: the reviewers file, with scrypt password hashes, for sign-in without an identity
provider.

The file is `$PANJSHIR_DATA/reviewers.toml` (see `geo.store.database.data_dir`), outside the repository,
written by `python -m geo reviewer add NAME`. It holds no password, only scrypt hashes (RFC 7914,
through `hashlib.scrypt`, with the cost OWASP suggests: n=2**17, r=8, p=1) with a random salt each:

    [reviewers.amina]
    hash = "scrypt$17$8$1$<salt, base64>$<key, base64>"
    added = "2026-01-05T10:12:00+00:00"

With no file, nobody is a reviewer and the app runs in local mode (views/signin.py).
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import hmac
import os
import re
import secrets
import tomllib
from pathlib import Path

from geo.errors import GeoError
from geo.store.database import data_dir

FILE_NAME = "reviewers.toml"
NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
MIN_PASSWORD = 12
# log2 of scrypt's n, r and p: about 0.2 s and 128 MiB for each hash or check.
_COST = (17, 8, 1)
_KEY_BYTES = 32


class ReviewerError(GeoError, ValueError):
    """The reviewers file is malformed, or a reviewer's name or password is unusable; the message
    says which and how to fix it (most often: `python -m geo reviewer add NAME` again)."""


def reviewers_path() -> Path:
    """Where the reviewers file is: `reviewers.toml` in the data folder."""
    return data_dir() / FILE_NAME


def hash_password(password: str) -> str:
    """A salted scrypt hash of `password`, in the form the reviewers file keeps."""
    log_n, r, p = _COST
    salt = secrets.token_bytes(16)
    key = _scrypt(password, salt, log_n, r, p)
    return f"scrypt${log_n}${r}${p}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, encoded: str) -> bool:
    """Whether `password` is the one `encoded` was made from; False for any malformed hash."""
    try:
        scheme, log_n, r, p, salt, key = encoded.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(key, validate=True)
        actual = _scrypt(password, base64.b64decode(salt, validate=True), int(log_n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


def load_reviewers(path: Path | None = None) -> dict[str, str]:
    """Reviewer name -> password hash; empty when there is no file (local mode)."""
    path = path or reviewers_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ReviewerError(
            f"cannot read the reviewers file: {err}; fix it, or move it aside and add the reviewers again "
            "with `python -m geo reviewer add NAME`",
            path=path,
        ) from err
    table = data.get("reviewers", {})
    if not isinstance(table, dict):
        raise ReviewerError("[reviewers] must be a table of names; see `python -m geo reviewer add NAME`", path=path)
    out: dict[str, str] = {}
    for name, entry in table.items():
        encoded = entry.get("hash") if isinstance(entry, dict) else None
        if not isinstance(encoded, str) or not encoded.startswith("scrypt$"):
            raise ReviewerError(
                f"reviewer '{name}' has no scrypt hash; set one with `python -m geo reviewer add {name}`", path=path
            )
        out[name] = encoded
    return out


def check(reviewers: dict[str, str], name: str, password: str) -> str | None:
    """The reviewer's name if the password is theirs, else None. An unknown name costs as much time
    as a wrong password, so timing does not tell which names exist."""
    name = name.strip().lower()
    encoded = reviewers.get(name)
    if encoded is None:
        verify_password(password, _decoy())
        return None
    return name if verify_password(password, encoded) else None


def add_reviewer(name: str, password: str, path: Path | None = None) -> Path:
    """Add a reviewer, or set a new password for one; the file is replaced whole, readable by its
    owner only. Returns the file's path."""
    path = path or reviewers_path()
    if not NAME.fullmatch(name):
        raise ReviewerError(
            f"reviewer name {name!r} is not usable: use 1 to 64 lower-case letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    if len(password) < MIN_PASSWORD:
        raise ReviewerError(f"the password is too short: use at least {MIN_PASSWORD} characters")
    entries = _load_entries(path)
    entries[name] = {"hash": hash_password(password), "added": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    _write(path, entries)
    return path


def remove_reviewer(name: str, path: Path | None = None) -> Path:
    path = path or reviewers_path()
    entries = _load_entries(path)
    if name not in entries:
        raise ReviewerError(f"no reviewer '{name}'; `python -m geo reviewer list` shows them", path=path)
    del entries[name]
    _write(path, entries)
    return path


def _load_entries(path: Path) -> dict[str, dict[str, str]]:
    hashes = load_reviewers(path)  # validates
    if not hashes:
        return {}
    table = tomllib.loads(path.read_text(encoding="utf-8"))["reviewers"]
    return {name: {"hash": hashes[name], "added": str(table[name].get("added", ""))} for name in hashes}


def _write(path: Path, entries: dict[str, dict[str, str]]) -> None:
    # Names match NAME and values are base64 or ISO dates, so no TOML escaping is needed.
    lines = ["# Reviewers of the Panjshir claims app. Written by `python -m geo reviewer add NAME`; hashes only."]
    for name in sorted(entries):
        lines += ["", f"[reviewers.{name}]", f'hash = "{entries[name]["hash"]}"', f'added = "{entries[name]["added"]}"']
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError as err:
        raise ReviewerError(f"cannot write the reviewers file: {err.strerror}; set $PANJSHIR_DATA", path=path) from err


def _scrypt(password: str, salt: bytes, log_n: int, r: int, p: int) -> bytes:
    n = 1 << log_n
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=2 * 128 * n * r * p, dklen=_KEY_BYTES
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@functools.cache
def _decoy() -> str:
    return hash_password(secrets.token_urlsafe(16))
