"""Importer for the gemeenschappelijke regelingen (GR) of the Register van
Overheidsorganisaties (ROO, organisaties.overheid.nl, CC0).

Two input formats, one record model, one mapper, so both give identical RDF:

* :mod:`.model`: :class:`GRVersion` (one version of a regeling) and its
  :class:`Deelnemer` entries;
* :mod:`.yaml_reader`: :func:`read_roo_yaml`, a folder of YAML files, one per GR
  version (the "roo-polder" mirror);
* :mod:`.xml_reader`: :func:`read_roo_xml`, the official ``exportOO.xml``;
* :mod:`.mapper`: :func:`roo_graph` maps the versions to RDF (GRs, versions,
  memberships); :mod:`.lidmaatschappen` holds the rule that turns the register's
  listings into memberships in time (docs/lidmaatschappen.md);
* :mod:`.crosswalk`: the identifier crosswalk of the roo-polder ``gemeenten``
  folder (``sd:rooId``, ``sd:oin``, ``sd:kvkNummer``, Wikidata on each gemeente's
  TOOI IRI), which also places deelnemers the register gives without TOOI IRI;
* the entry points below: :func:`import_roo_yaml`, :func:`import_roo_xml` and
  :func:`roo_sources` (the graph ``ref/roo`` for the store).

With the membership rule, ``queries/lidmaatschappen.rq`` and
``queries/deelnemers.rq`` give the same members of every GR on every date.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from ...identity import GemeenteNamen
from ...namespaces import GRAPH
from ...store import Source
from ..report import ImportReport, graph_source
from ..tooi import gemeente_namen
from .crosswalk import (
    GEMEENTEN_FOLDER,
    GemeenteIds,
    crosswalk_graph,
    read_gemeente_crosswalk,
    roo_to_tooi,
)
from .mapper import REGISTER, parse_verdeelsleutel, roo_graph
from .model import Deelnemer, GRVersion
from .xml_reader import read_roo_xml
from .yaml_reader import GR_FOLDER, read_roo_yaml

LICENSE = "https://creativecommons.org/publicdomain/zero/1.0/"
TITLE = "Register van Overheidsorganisaties: gemeenschappelijke regelingen"
PUBLISHER = "Ministerie van BZK (ROO)"

__all__ = [
    "REGISTER", "Deelnemer", "GRVersion", "GemeenteIds", "crosswalk_graph", "import_roo_xml",
    "import_roo_yaml", "parse_verdeelsleutel", "read_gemeente_crosswalk", "read_roo_xml",
    "read_roo_yaml", "roo_graph", "roo_sources",
]


def import_roo_yaml(
    folder: Path, report: ImportReport, namen: GemeenteNamen | None = None
) -> Graph:
    """GRs from the roo-polder folder (or its gemeenschappelijke-regelingen folder).

    When the folder has a ``gemeenten`` sibling/child, its crosswalk is added
    and used to resolve deelnemers without TOOI IRI.
    """
    folder = Path(folder)
    versions = read_roo_yaml(folder, report)
    root = folder if (folder / GR_FOLDER).is_dir() else folder.parent
    rows = []
    if (root / GEMEENTEN_FOLDER).is_dir():
        rows = read_gemeente_crosswalk(root / GEMEENTEN_FOLDER, report)
    g = roo_graph(versions, report, roo_to_tooi(rows), namen)
    g += crosswalk_graph(rows, report)
    return g


def import_roo_xml(
    path: Path, report: ImportReport, namen: GemeenteNamen | None = None
) -> Graph:
    """GRs from an ROO ``exportOO.xml``."""
    return roo_graph(read_roo_xml(Path(path), report), report, namen=namen)


def roo_sources(
    folder: Path, report: ImportReport | None = None, tooi: Path | None = None
) -> list[Source]:
    """The ROO graph as one Source for the store (``folder``: YAML folder or an XML file).

    ``tooi``: a TOOI register folder, used to place deelnemers known only by name.
    """
    report = report or ImportReport("roo")
    folder = Path(folder)
    namen = gemeente_namen(tooi) if tooi is not None else None
    if folder.is_file():
        g = import_roo_xml(folder, report, namen)
    else:
        g = import_roo_yaml(folder, report, namen)
    return [
        graph_source(
            g,
            "roo",
            str(GRAPH["ref/roo"]),
            title=TITLE,
            publisher=PUBLISHER,
            license=LICENSE,
        )
    ]
