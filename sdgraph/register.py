"""An example's register facts, read from the public sources (never stored in the repo).

An example lists in ``data/examples/<name>/register.txt`` the identifiers of the
organisations, GR versions, memberships and regio's it needs, each with the
properties it uses (``<identifier> <property>`` per line). Their facts come
from the same importers as the national reference graph (TOOI, ROO, the
derived GR taken, RegioAtlas/CBS gebieden), run on the sources folder
(``Settings.sources``: ``SDGRAPH_SOURCES``, else ``../shared/data/sources`` beside
the checkout),
keeping the triples of the listed identifier-property pairs. The result is cached as
N-Triples in the temporary folder, keyed by the sources' files and the list,
so a second ``sdgraph init`` does not import again (the import takes ~10 s).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import pyoxigraph as ox

from .importers import IMPORTERS
from .resources import example_dir


def identifiers(example: str) -> list[str]:
    """The ``<identifier> <property>`` lines of the example's register.txt."""
    path = example_dir(example) / "register.txt"
    if not path.is_file():
        return []
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def _fingerprint(folder: Path, wanted: list[str]) -> str:
    digest = hashlib.sha256("\n".join(wanted).encode("utf-8"))
    for sub in sorted({f for i in IMPORTERS.values() if i.register for f in i.folders}):
        for path in sorted((folder / sub).rglob("*")) if (folder / sub).is_dir() else []:
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:20]


def register_facts(example: str, folder: Path | None) -> bytes | None:
    """N-Triples of the register facts about the example's identifiers, read from the
    sources ``folder``; None when the example lists none or there is no folder."""
    wanted = identifiers(example)
    if not wanted or folder is None or not folder.is_dir():
        return None
    key = _fingerprint(folder, wanted)
    cache = Path(tempfile.gettempdir()) / f"sdgraph-register-{example}-{key}.nt"
    if cache.is_file():
        return cache.read_bytes()
    pairs = {tuple(line.split()) for line in wanted}
    kept: set[ox.Triple] = set()
    for importer in IMPORTERS.values():
        if not importer.register or not importer.applies(folder):
            continue
        for source in importer.run(folder, []):
            for quad in ox.parse(source.read(), source.rdf_format(), without_named_graphs=True):
                if (isinstance(quad.subject, ox.NamedNode)
                        and (quad.subject.value, quad.predicate.value) in pairs):
                    kept.add(quad.triple)
    data = ox.serialize(sorted(kept, key=str), format=ox.RdfFormat.N_TRIPLES) or b""
    partial = cache.with_suffix(f".{os.getpid()}.part")
    partial.write_bytes(data)
    partial.replace(cache)  # atomic: concurrent inits never read half a file
    return data
