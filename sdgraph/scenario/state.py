"""The state of an overlay: the same named queries before and after a scenario (wie doet
wat, klantreizen, memberships, seats and votes, partners, the network, the gemeente's say
per organisation)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx
from rdflib.term import Identifier

from .. import network
from ..klantreis import Klantreis, klantreis
from ..matrix import Matrix, gemeente_matrix
from ..output import text
from .overlay import Overlay

Row = Mapping[str, Identifier | None]


@dataclass
class Toestand:
    uitvoeringen: list[Row]
    matrix: Matrix
    reizen: dict[str, tuple[str, Klantreis]]
    lidmaatschappen: list[Row]
    vertegenwoordiging: list[Row]
    partners: list[Row]
    netwerk: nx.MultiDiGraph
    zeggenschap: list[Row]


def toestand(overlay: Overlay, gemeente: str, peildatum: str, lang: str) -> Toestand:
    values = {"gemeente": gemeente, "peildatum": peildatum}
    uitvoeringen = overlay.rows("wie-doet-wat", {**values, "lang": lang})
    matrix = gemeente_matrix(overlay.rows("taken", {"lang": lang}),
                             overlay.rows("deelgebieden", {"lang": lang}), uitvoeringen)
    reizen = {}
    for r in overlay.rows("klantreizen", {"lang": lang}):
        iri = text(r["klantreis"])
        reizen[iri] = (text(r.get("naam")) or iri, klantreis(overlay.rows(
            "klantreis", {**values, "klantreis": iri, "lang": lang})))
    return Toestand(
        uitvoeringen=uitvoeringen,
        matrix=matrix,
        reizen=reizen,
        lidmaatschappen=overlay.scenario_rows("lidmaatschappen", values),
        vertegenwoordiging=overlay.scenario_rows("vertegenwoordiging", values),
        partners=overlay.rows("partners", values),
        netwerk=network.build(overlay.rows("netwerk", {**values, "lang": lang}),
                              gemeente=gemeente, lang=lang),
        zeggenschap=overlay.scenario_rows("zeggenschap", values),
    )
