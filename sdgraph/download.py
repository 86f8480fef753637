"""Download the official public source files into a sources folder.

``sdgraph reference download DIR`` fetches, per source:

* ``tooi``: the TOOI waardelijsten of gemeenten and provincies (KOOP), as
  JSON-LD, into ``DIR/tooi/rwc_gemeenten_compleet_4.json`` and
  ``DIR/tooi/rwc_provincies_compleet_1.json`` (read by ``reference build``);
* ``roo``: the export of the Register van Overheidsorganisaties,
  ``DIR/roo/exportOO.xml``;
* ``cbs``: CBS table 83287NED (Gebieden in Nederland 2016) over OData:
  ``DataProperties`` and ``TypedDataSet`` as fetched, plus the column-oriented
  ``83287NED-gebieden-2016-codes.json`` that the CBS importer reads, derived
  from them (key ``reg`` = the region codes, one key per regional division
  named after the division's topic group, holding its ``Code_*`` column).

All URLs are in :data:`DOWNLOADS`. A base URL (``--base-url`` or env
``SDGRAPH_DOWNLOAD_BASE``) replaces scheme and host of every URL, for mirrors
and tests: ``http://127.0.0.1:8000`` turns
``https://organisaties.overheid.nl/archive/exportOO.xml`` into
``http://127.0.0.1:8000/archive/exportOO.xml``.

Every file is streamed to a temporary file next to its target and renamed
into place only when complete (and, for JSON, parseable), so a failed download
leaves the previous file untouched. The first failure stops the run with a
:class:`~sdgraph.errors.UserError` naming the URL. Downloaded data belongs in
a sources folder outside the repository; it is never committed.
"""

from __future__ import annotations

import json
import os
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from . import __version__
from .errors import UserError

#: Seconds to wait for a connection or for the next block of data.
TIMEOUT = 60.0
CHUNK = 64 * 1024
#: Report progress every this many bytes (and at the end of each file).
PROGRESS_EVERY = 1024 * 1024

CBS_TABLE = "83287NED"
CBS_ODATA = f"https://opendata.cbs.nl/ODataApi/odata/{CBS_TABLE}"
CBS_PROPERTIES = f"cbs-gebieden/{CBS_TABLE}-DataProperties.json"
CBS_DATASET = f"cbs-gebieden/{CBS_TABLE}-TypedDataSet.json"
CBS_CODES = f"cbs-gebieden/{CBS_TABLE}-gebieden-2016-codes.json"


@dataclass(frozen=True)
class Download:
    source: str  # tooi, roo, cbs (the --only names)
    url: str
    target: str  # path under DIR
    accept: str
    json: bool = False  # check that the body parses as JSON before keeping it


#: Every file ``reference download`` fetches, in order.
DOWNLOADS: tuple[Download, ...] = (
    Download(
        "tooi",
        "https://identifier.overheid.nl/tooi/set/rwc_gemeenten_compleet/4",
        "tooi/rwc_gemeenten_compleet_4.json",
        "application/ld+json",
        json=True,
    ),
    Download(
        "tooi",
        "https://identifier.overheid.nl/tooi/set/rwc_provincies_compleet/1",
        "tooi/rwc_provincies_compleet_1.json",
        "application/ld+json",
        json=True,
    ),
    Download(
        "roo",
        "https://organisaties.overheid.nl/archive/exportOO.xml",
        "roo/exportOO.xml",
        "application/xml, text/xml",
    ),
    Download(
        "cbs",
        f"{CBS_ODATA}/DataProperties?$format=json",
        CBS_PROPERTIES,
        "application/json",
        json=True,
    ),
    Download(
        "cbs",
        f"{CBS_ODATA}/TypedDataSet?$format=json",
        CBS_DATASET,
        "application/json",
        json=True,
    ),
)

SOURCES: tuple[str, ...] = tuple(dict.fromkeys(d.source for d in DOWNLOADS))


def rebase(url: str, base: str | None) -> str:
    """``url`` with scheme and host replaced by ``base`` (its path is kept as a prefix)."""
    if not base:
        return url
    b = urlsplit(base)
    if b.scheme not in ("http", "https") or not b.netloc:
        raise UserError(f"base URL {base!r} must be http(s)://host[:port][/path]")
    u = urlsplit(url)
    return f"{b.scheme}://{b.netloc}{b.path.rstrip('/')}{u.path}" + (
        f"?{u.query}" if u.query else ""
    )


def select(only: str | Iterable[str] | None) -> list[Download]:
    """The downloads of the named sources (all when ``only`` is empty)."""
    if only is None or only == "":
        return list(DOWNLOADS)
    names = [n.strip().lower() for n in (only.split(",") if isinstance(only, str) else only)]
    names = [n for n in names if n]
    unknown = sorted(set(names) - set(SOURCES))
    if unknown:
        raise UserError(f"unknown source {unknown[0]!r} (choose from {', '.join(SOURCES)})")
    return [d for d in DOWNLOADS if d.source in names]


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}"
    if isinstance(exc, urllib.error.URLError):
        return str(exc.reason)
    if isinstance(exc, TimeoutError):
        return "timed out"
    return str(exc) or type(exc).__name__


def fetch(
    url: str,
    target: Path,
    *,
    accept: str = "*/*",
    check_json: bool = False,
    timeout: float = TIMEOUT,
    progress: Callable[[str], None] = lambda _: None,
) -> int:
    """Stream ``url`` to ``target`` atomically; return the number of bytes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    request = urllib.request.Request(
        url, headers={"Accept": accept, "User-Agent": f"sdgraph/{__version__}"}
    )
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        size = 0
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(request, timeout=timeout) as resp:
            length = resp.headers.get("Content-Length")
            total = f" of {int(length):,}" if length and length.isdigit() else ""
            next_report = PROGRESS_EVERY
            while chunk := resp.read(CHUNK):
                out.write(chunk)
                size += len(chunk)
                if size >= next_report:
                    progress(f"      {size:,}{total} bytes")
                    next_report += PROGRESS_EVERY
        if check_json:
            try:
                with tmp.open("rb") as f:
                    json.load(f)
            except (ValueError, UnicodeDecodeError):
                raise UserError(
                    f"cannot download {url}: the response is not JSON (previous file kept)"
                ) from None
        os.replace(tmp, target)
        progress(f"      {size:,} bytes -> {target}")
        return size
    except UserError:
        raise
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise UserError(f"cannot download {url}: {_reason(exc)}") from None
    finally:
        tmp.unlink(missing_ok=True)


def cbs_codes(folder: Path) -> Path:
    """Derive the column-oriented codes file from the downloaded OData files."""
    folder = Path(folder)
    props_path = folder / Path(CBS_PROPERTIES).name
    data_path = folder / Path(CBS_DATASET).name
    try:
        props = json.loads(props_path.read_text(encoding="utf-8"))["value"]
        rows = json.loads(data_path.read_text(encoding="utf-8"))["value"]
        groups = {p["ID"]: p["Title"] for p in props if p.get("Type") == "TopicGroup"}
        dimension = next(p["Key"] for p in props if p.get("Type") in ("Dimension", "GeoDimension"))
        columns: dict[str, list[str]] = {"reg": [str(r[dimension]).strip() for r in rows]}
        for p in props:
            if p.get("Type") == "Topic" and str(p["Key"]).startswith("Code"):
                title = str(groups.get(p.get("ParentID"), p["Title"])).strip()
                columns[title] = [str(r.get(p["Key"]) or "").strip() for r in rows]
    except (OSError, ValueError, KeyError, TypeError, StopIteration) as exc:
        raise UserError(
            f"{folder}: cannot derive {Path(CBS_CODES).name} from the CBS OData files "
            f"({type(exc).__name__}: {exc})"
        ) from None
    target = folder / Path(CBS_CODES).name
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(columns, out, ensure_ascii=False, indent=1)
            out.write("\n")
        os.replace(tmp_name, target)
    finally:
        Path(tmp_name).unlink(missing_ok=True)
    return target


def download_sources(
    root: Path,
    only: str | Iterable[str] | None = None,
    base_url: str | None = None,
    *,
    timeout: float = TIMEOUT,
    progress: Callable[[str], None] = lambda _: None,
) -> list[Path]:
    """Fetch the selected sources into ``root``; return the files written."""
    root = Path(root)
    if root.exists() and not root.is_dir():
        raise UserError(f"{root}: not a folder")
    base = base_url or None
    downloads = select(only)
    written: list[Path] = []
    for d in downloads:
        url = rebase(d.url, base)
        target = root / d.target
        progress(f"get   {url}")
        fetch(url, target, accept=d.accept, check_json=d.json, timeout=timeout, progress=progress)
        written.append(target)
    if any(d.source == "cbs" for d in downloads):
        target = cbs_codes(root / Path(CBS_CODES).parent)
        progress(f"      derived {target}")
        written.append(target)
    return written
