"""Reader of the official ROO export ``exportOO.xml``
(``overheidsorganisaties/gemeenschappelijkeRegelingen/regeling``), streamed with
``iterparse``. Elements and attributes are matched by local name, so the export's
namespace prefixes do not matter."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ...errors import DataError
from ..report import ImportReport
from .model import Deelnemer, GRVersion, _join_bevoegdheid, _text


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _attr(elem: ET.Element | None, name: str) -> str | None:
    if elem is None:
        return None
    for key, value in elem.attrib.items():
        if _local(key) == name:
            return _text(value)
    return None


def _child(elem: ET.Element | None, name: str) -> ET.Element | None:
    if elem is None:
        return None
    for c in elem:
        if _local(c.tag) == name:
            return c
    return None


def _children(elem: ET.Element | None, name: str) -> list[ET.Element]:
    return [] if elem is None else [c for c in elem if _local(c.tag) == name]


def _ctext(elem: ET.Element | None, name: str) -> str | None:
    c = _child(elem, name)
    return None if c is None else _text("".join(c.itertext()))


def _ref_name(elem: ET.Element | None) -> str | None:
    """An org reference: ``<naam>`` child, else the element's own text."""
    if elem is None:
        return None
    return _ctext(elem, "naam") or _text(elem.text)


def read_roo_xml(path: Path, report: ImportReport) -> list[GRVersion]:
    """Stream the ``regeling`` elements of an ROO ``exportOO.xml``."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    versions = []
    n = 0
    try:
        for _event, elem in ET.iterparse(path, events=("end",)):
            if _local(elem.tag) != "regeling":
                continue
            n += 1
            versions.append(_xml_version(path, n, elem))
            elem.clear()
    except ET.ParseError as exc:
        report.warn(
            path, f"line {exc.position[0]}", f"XML not well-formed ({exc}); rest skipped", skip=True
        )
    return versions


def _xml_version(path: Path, n: int, el: ET.Element) -> GRVersion:
    vorm = _child(el, "samenwerkingsvorm")
    rso = _child(el, "regionaalSamenwerkingsorgaan")
    v = GRVersion(
        file=path.name,
        position=f"regeling {n}",
        roo_id=_attr(el, "systeemId") or _ctext(el, "systeemId") or _ctext(el, "id"),
        titel=_ctext(el, "titel"),
        citeertitel=_ctext(el, "citeertitel"),
        valid_from=_ctext(el, "datumInwerkingtreding"),
        valid_until=_ctext(el, "datumUitwerkingtreding"),
        vorm_afkorting=_attr(vorm, "afkorting"),
        vorm_naam=None if vorm is None else _text(vorm.text),
        doel=_ctext(el, "doel"),
        bevoegdheden=[
            b
            for item in _children(_child(el, "bevoegdheden"), "bevoegdheid")
            if (b := _join_bevoegdheid(_ctext(item, "kopArtikel"), _ctext(item, "inhoudArtikel")))
        ],
        grondslagen=[
            g
            for item in _children(_child(el, "wettelijkeGrondslagen"), "wettelijkeGrondslag")
            if (g := _ctext(item, "referentie") or _ctext(item, "opschrift"))
        ],
        so_tooi=_attr(rso, "resourceIdentifierTOOI"),
        so_roo_id=_attr(rso, "systeemId"),
        so_naam=_ref_name(rso),
        previous_roo_id=_attr(_child(el, "previousVersion"), "systeemId"),
        next_roo_id=_attr(_child(el, "nextVersion"), "systeemId"),
    )
    v.position = f"regeling {n}" + (f" (systeemId {v.roo_id})" if v.roo_id else "")
    for d in _children(_child(el, "deelnemendeOrganisaties"), "deelnemendeOrganisatie"):
        v.deelnemers.append(
            Deelnemer(
                naam=_ref_name(d),
                tooi=_attr(d, "resourceIdentifierTOOI"),
                roo_id=_attr(d, "systeemId"),
                toetredingsdatum=_ctext(d, "toetredingsDatum"),
                uittredingsdatum=_ctext(d, "uittredingsDatum"),
                verdeelsleutel=_ctext(d, "verdeelsleutel"),
                bestuursorganen=[
                    (naam, None)
                    for b in _children(_child(d, "bestuursorganen"), "bestuursorgaan")
                    if (naam := (b.text or "").strip())
                ],
            )
        )
    return v

