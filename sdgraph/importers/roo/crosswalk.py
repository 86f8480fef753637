"""The gemeente identifier crosswalk of the roo-polder ``gemeenten`` folder: per
gemeente its TOOI IRI with ROO id, OIN, KvK number and Wikidata id.

:func:`crosswalk_graph` states them on the gemeente's TOOI IRI (``sd:rooId``,
``sd:oin``, ``sd:kvkNummer``, ``rdfs:seeAlso`` and ``sd:wikidata``);
:func:`roo_to_tooi` gives the mapper the ROO id -> TOOI IRI lookup that places
deelnemers the register names without a TOOI IRI.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from ...identity import gemeente_code
from ...namespaces import SD, TOOI_GEMEENTE
from ..iri import iri_error
from ..report import ImportReport
from .model import _text
from .yaml_reader import _load_yaml

GEMEENTEN_FOLDER = "gemeenten"
WIKIDATA = "http://www.wikidata.org/entity/"


@dataclass
class GemeenteIds:
    tooi: str
    roo_id: str | None = None
    oin: str | None = None
    kvk: str | None = None
    wikidata: str | None = None


def read_gemeente_crosswalk(folder: Path, report: ImportReport) -> list[GemeenteIds]:
    """The identifier crosswalk of the roo-polder ``gemeenten`` folder (by TOOI IRI).

    A record without a TOOI IRI takes it from its ``organisatiecode`` (``gm0079``):
    the register gives gemeenten that no longer exist (Kollumerland c.a., Molenwaard)
    only that code.
    """
    folder = Path(folder)
    if (folder / GEMEENTEN_FOLDER).is_dir():
        folder = folder / GEMEENTEN_FOLDER
    out: dict[str, GemeenteIds] = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            record = _load_yaml(path)
            ids = record.get("identifiers") or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError, AttributeError) as exc:
            report.warn(path, None, f"not a readable gemeente record ({exc}); skipped", True)
            continue
        tooi = _text(ids.get("tooi"))
        code = gemeente_code(_text(ids.get("organisatiecode")) or "")
        if not tooi and code:
            tooi = str(TOOI_GEMEENTE[code])
            report.count("gemeenten (crosswalk) via organisatiecode")
        if not tooi or "/gemeente/" not in tooi:
            report.warn(path, record.get("id"), "no gemeente TOOI IRI; skipped", skip=True)
            continue
        if (why := iri_error(tooi)) is not None:
            report.warn(path, record.get("id"),
                        f"field identifiers.tooi {tooi!r} is not a valid IRI ({why}); skipped",
                        skip=True)
            continue
        wd = _text(ids.get("wikidata"))
        if wd and not re.fullmatch(r"Q\d+", wd):
            report.warn(path, record.get("id"), f"wikidata {wd!r} is not a Q-id; left out")
            wd = None
        row = GemeenteIds(
            tooi, _text(ids.get("roo_id")), _text(ids.get("oin")), _text(ids.get("kvk")), wd
        )
        known = out.get(tooi)
        if known is None:
            out[tooi] = row
            continue
        # two records of one gemeente (gm0079 has one with the TOOI IRI, one with the
        # ROO id and organisatiecode): one row, each identifier from whichever has it
        for name in ("roo_id", "oin", "kvk", "wikidata"):
            mine, theirs = getattr(row, name), getattr(known, name)
            if theirs is None:
                setattr(known, name, mine)
            elif mine is not None and mine != theirs:
                report.warn(path, record.get("id"), f"{name} {mine!r} differs from {theirs!r} "
                            f"of another record of {tooi}; the first kept")
        report.count("gemeenten (crosswalk) samengevoegd")
    return [out[k] for k in sorted(out)]


def crosswalk_graph(rows: Iterable[GemeenteIds], report: ImportReport) -> Graph:
    """The identifiers of each row on the gemeente's TOOI IRI."""
    g = Graph()
    for r in rows:
        s = URIRef(r.tooi)
        if r.roo_id:
            g.add((s, SD.rooId, Literal(r.roo_id)))
        if r.oin:
            g.add((s, SD.oin, Literal(r.oin)))
        if r.kvk:
            g.add((s, SD.kvkNummer, Literal(r.kvk)))
        if r.wikidata:
            wd = URIRef(WIKIDATA + r.wikidata)
            g.add((s, RDFS.seeAlso, wd))
            g.add((s, SD.wikidata, wd))
        report.count("gemeenten (crosswalk)")
    return g


def roo_to_tooi(rows: Iterable[GemeenteIds]) -> dict[str, str]:
    """ROO id -> TOOI IRI of each crosswalk row that has a ROO id."""
    return {r.roo_id: r.tooi for r in rows if r.roo_id}

