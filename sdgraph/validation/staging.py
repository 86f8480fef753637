"""Validated inventories waiting to be read or loaded, shared by every web worker.

The Valideren page validates an upload once and keeps the result in a folder
(``<instance>/valideren/<id>/``), not in one process's memory, so any worker
(gunicorn ``--workers N``, or several nodes sharing the folder) can show the
report, serve its downloads and load the inventory. A folder holds:

* ``meta.json``: owner (a hash of the browser session's token), creation time,
  peildatum, verdict per language, the files' names and checksums, the gemeente;
* ``inventory.ttl``: the parsed inventory (what a load writes);
* ``report.<lang>.html`` and ``report.<lang>.json``: the report, rendered once.

The URL names an entry by a token signed with the app's secret key
(itsdangerous ``TimestampSigner``), which also carries its age: a forged, altered or expired token
is refused before the file system is touched. Each entry is written in a
temporary folder and renamed into place (readers never see half an entry).
Limits: an entry lives :attr:`Staging.keep_seconds`; a browser session keeps
at most :attr:`Staging.per_owner` entries (older ones go), and all entries
together at most :attr:`Staging.max_entries` and :attr:`Staging.max_bytes`.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from itsdangerous import BadSignature, TimestampSigner

SECRET_FILE = "secret_key"


def instance_secret_key(folder: Path) -> str:
    """The key kept in ``folder`` (created once, readable by the owner only), so every worker
    started from the same instance folder signs with the same key."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SECRET_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):  # another worker is writing it right now
            key = path.read_text(encoding="ascii").strip()
            if key:
                return key
            time.sleep(0.02)
        raise
    key = secrets.token_hex(32)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    return key


def owner_of(session_token: str) -> str:
    """The owner recorded for a browser session (its token itself is never written)."""
    return hashlib.sha256(("sdgraph-valideren:" + session_token).encode("utf-8")).hexdigest()


@dataclass
class Staged:
    """One validated upload as stored."""

    key: str
    folder: Path
    meta: dict

    def report(self, lang: str, fmt: str) -> str:
        """The report rendered in ``lang`` as ``html`` (a section) or ``json``."""
        lang = lang if lang in self.meta.get("langs", []) else "nl"
        return (self.folder / f"report.{lang}.{fmt}").read_text(encoding="utf-8")

    def inventory_turtle(self) -> bytes:
        return (self.folder / "inventory.ttl").read_bytes()

    @property
    def loaded(self) -> dict | None:
        path = self.folder / "loaded.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def mark_loaded(self, info: dict) -> None:
        tmp = self.folder / f".loaded.{secrets.token_hex(4)}"
        tmp.write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.folder / "loaded.json")


@dataclass
class Staging:
    folder: Path
    secret: str
    keep_seconds: int = 3600
    per_owner: int = 5
    max_entries: int = 500
    max_bytes: int = 500 * 1024 * 1024
    salt: str = "sdgraph-valideren"
    _signer: TimestampSigner = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.folder = Path(self.folder)
        # '~' never occurs in the signer's base64url parts: the key has no '.', so it can be
        # followed by a format (<key>.json) in a URL
        self._signer = TimestampSigner(self.secret, salt=self.salt, sep="~")

    # ------------------------------------------------------------------ write
    def put(self, owner: str, meta: dict, files: dict[str, str | bytes]) -> str:
        """Store one entry (``files``: name -> content) and return its signed key."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self._expire(owner)
        entry = secrets.token_hex(16)
        tmp = Path(tempfile.mkdtemp(prefix=".new-", dir=self.folder))
        try:
            for name, body in files.items():
                data = body.encode("utf-8") if isinstance(body, str) else body
                (tmp / name).write_bytes(data)
            record = {**meta, "owner": owner, "created": time.time()}
            (tmp / "meta.json").write_text(json.dumps(record, ensure_ascii=False),
                                           encoding="utf-8")
            os.rename(tmp, self.folder / entry)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return self._signer.sign(entry).decode("ascii")

    # ------------------------------------------------------------------ read
    def get(self, key: str, owner: str) -> Staged | None:
        """The entry of a signed key when it is ``owner``'s and not expired, else None."""
        try:
            entry = self._signer.unsign(key, max_age=self.keep_seconds).decode("ascii")
        except (BadSignature, UnicodeError):  # also SignatureExpired
            return None
        if len(entry) != 32 or not all(c in "0123456789abcdef" for c in entry):
            return None
        folder = self.folder / entry
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if meta.get("owner") != owner:
            return None
        return Staged(key, folder, meta)

    # ------------------------------------------------------------------ limits
    def _entries(self) -> list[tuple[float, str, str, int]]:
        """(created, folder name, owner, bytes) of every complete entry."""
        found = []
        try:
            names = [e for e in os.scandir(self.folder) if e.is_dir() and e.name[0] != "."]
        except FileNotFoundError:
            return []
        for item in names:
            try:
                meta = json.loads(Path(item.path, "meta.json").read_text(encoding="utf-8"))
                size = sum(f.stat().st_size for f in os.scandir(item.path))
            except (OSError, ValueError):
                continue
            found.append((float(meta.get("created", 0)), item.name, meta.get("owner", ""), size))
        return sorted(found)

    def _expire(self, owner: str) -> None:
        """Make room for one more entry of ``owner``: drop what expired, the owner's oldest
        beyond its cap, and the oldest of all beyond the totals."""
        now = time.time()
        entries = self._entries()
        drop = {name for created, name, _, _ in entries if now - created > self.keep_seconds}
        mine = [name for _, name, who, _ in entries if who == owner and name not in drop]
        drop |= set(mine[: max(0, len(mine) - self.per_owner + 1)])
        left = [(name, size) for _, name, _, size in entries if name not in drop]
        total = sum(size for _, size in left)
        while left and (len(left) >= self.max_entries or total > self.max_bytes):
            name, size = left.pop(0)
            drop.add(name)
            total -= size
        for name in drop:
            shutil.rmtree(self.folder / name, ignore_errors=True)
        for stale in self.folder.glob(".new-*"):  # a writer that died before its rename
            try:
                if now - stale.stat().st_mtime > 600:
                    shutil.rmtree(stale, ignore_errors=True)
            except OSError:
                pass
