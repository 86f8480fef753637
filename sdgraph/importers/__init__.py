"""Importers: one module per source, each turning a public register or export into
RDF that follows the ontology, with a report of what was imported, skipped and
warned about (naming file and row).

:data:`IMPORTERS` is the registry the reference build and the example's register
facts select from, by id, in build order. To add a source: write its module with
a function ``(sources root, reports) -> list[Source]`` and add an
:class:`Importer` here (docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..store import Source
from .report import ImportReport

Run = Callable[[Path, list[ImportReport]], list[Source]]


@dataclass(frozen=True)
class Importer:
    """One source of the reference build.

    ``folders``: sub-folders of the sources root of which one must exist for it to
    run. ``register``: its graphs hold register facts (organisations, memberships,
    regio's, derived taken) that an example may stand in for; the CBS key figures
    do not.
    """

    id: str
    title: str
    folders: tuple[str, ...]
    run: Run
    register: bool = True

    def applies(self, root: Path) -> bool:
        return any((root / f).is_dir() for f in self.folders)


def _report(reports: list[ImportReport], name: str) -> ImportReport:
    report = ImportReport(name)
    reports.append(report)
    return report


def _tooi(root: Path, reports: list[ImportReport]) -> list[Source]:
    from .tooi import tooi_sources

    return tooi_sources(root / "tooi", _report(reports, "tooi"))


def _roo(root: Path, reports: list[ImportReport]) -> list[Source]:
    from .roo import roo_sources

    polder = root / "roo-polder"
    tooi = root / "tooi" if (root / "tooi").is_dir() else None
    return roo_sources(polder if polder.is_dir() else root / "roo" / "exportOO.xml",
                       _report(reports, "roo"), tooi)


def _gr_taken(root: Path, reports: list[ImportReport]) -> list[Source]:
    from ..derive.gr_taken import gr_taken_sources

    return gr_taken_sources(root / "roo-polder", _report(reports, "gr-taken (afgeleid)"))


def _regio(root: Path, reports: list[ImportReport]) -> list[Source]:
    from .regio import regio_sources

    return regio_sources(root, reports)


def _cbs_sociaal(root: Path, reports: list[ImportReport]) -> list[Source]:
    from .cbs_sociaal import cbs_sociaal_sources

    return cbs_sociaal_sources(root / "cbs-sociaal", _report(reports, "cbs-sociaal"))


#: The importers by id, in build order (later ones may read what earlier ones made).
IMPORTERS: dict[str, Importer] = {i.id: i for i in (
    Importer("tooi", "TOOI gemeenten en provincies", ("tooi",), _tooi),
    Importer("roo", "ROO gemeenschappelijke regelingen", ("roo-polder", "roo"), _roo),
    Importer("gr-taken", "Afgeleid: wetten en taken per GR", ("roo-polder",), _gr_taken),
    Importer("regio", "RegioAtlas 2016 en CBS gebieden",
             ("regioatlas-2016", "cbs-gebieden", "cbs-geo"), _regio),
    Importer("cbs-sociaal", "CBS kerncijfers sociaal domein", ("cbs-sociaal",), _cbs_sociaal,
             register=False),
)}
