""""Wie doet wat" as a matrix: a gemeente's taken x deelgebieden, or a regio's or GR's
member gemeenten x taken, on a peildatum, optionally for one wet (and one deelgebied)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import UserError
from ..i18n import N_
from ..matrix import Matrix, gemeente_matrix, regio_matrix
from ..runner import Runner
from .base import Page
from .gemeente import Gemeente
from .query import QueryResult


class UnknownOrganisatie(UserError):
    """The IRI names nothing the graph knows (a web page answers 404)."""

    def __init__(self, iri: str) -> None:
        super().__init__(N_("Over deze IRI is niets bekend: {iri}"), iri=iri)


def wetten(taken: QueryResult) -> list[tuple[str, str]]:
    """The wetten of the taken, for a filter (IRI, name), in order."""
    seen: dict[str, str] = {}
    for row in taken.rows:
        seen.setdefault(str(row["wet"]), str(row.get("wetNaam") or row["wet"]))
    return list(seen.items())


@dataclass(kw_only=True)
class MatrixPage(Page):
    """The matrix with the rows it was made from and the choices of the filters."""

    matrix: Matrix
    uitvoeringen: QueryResult
    wetten: list[tuple[str, str]]
    wet: str
    peildatum: str
    params: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return self.matrix.to_dict()

    def to_csv(self) -> str:
        return self.matrix.to_csv()

    def to_text(self) -> str:
        return self.matrix.to_text()

    def context(self) -> dict[str, Any]:
        return dict(matrix=self.matrix, uitvoeringen=self.uitvoeringen, wetten=self.wetten,
                    wet=self.wet, peildatum=self.peildatum)


@dataclass(kw_only=True)
class GemeenteMatrix(MatrixPage):
    gemeente: Gemeente

    view = "wie-doet-wat"
    template = "wiedoetwat.html"

    def filename(self, fmt: str) -> str:
        return f"wie-doet-wat-{self.gemeente.code}.{fmt}"

    def context(self) -> dict[str, Any]:
        return dict(super().context(), info=self.gemeente.info, gemeente=self.gemeente.row,
                    code=self.gemeente.code)


@dataclass(kw_only=True)
class RegioMatrix(MatrixPage):
    iri: str
    organisatie: dict[str, Any]
    deelgebieden: QueryResult
    deelgebied: str = ""

    view = "wie-doet-wat-regio"
    template = "wiedoetwat_regio.html"

    def context(self) -> dict[str, Any]:
        return dict(super().context(), iri=self.iri, org=self.organisatie,
                    deelgebieden=self.deelgebieden, deelgebied=self.deelgebied)


def _taken(run: Runner, wet: str | None) -> tuple[QueryResult, QueryResult]:
    """(all taken, the taken of ``wet`` or all)."""
    alle = run.result("taken", {})
    return alle, run.result("taken", {"wet": wet}) if wet else alle


def gemeente(run: Runner, gemeente: Gemeente, peildatum: str | None = None,
             wet: str | None = None) -> MatrixPage:
    """A gemeente's taken (grouped per wet) x deelgebieden."""
    values = {"gemeente": gemeente.code, "peildatum": gemeente.peildatum(peildatum),
              "wet": wet or None}
    uitvoeringen = run.result("wie-doet-wat", values)
    alle, taken = _taken(run, wet)
    matrix = gemeente_matrix(taken.rows, run.rows("deelgebieden", {}), uitvoeringen.rows)
    return GemeenteMatrix(matrix=matrix, uitvoeringen=uitvoeringen, wetten=wetten(alle),
                          wet=wet or "", peildatum=uitvoeringen.params["peildatum"],
                          params=dict(uitvoeringen.params), gemeente=gemeente)


def organisatie(run: Runner, iri: str) -> dict[str, Any]:
    """The ``organisatie`` query's row for ``iri``; :class:`UnknownOrganisatie` if none."""
    info = run.result("organisatie", {"organisatie": iri})
    if info.first is None:
        raise UnknownOrganisatie(iri)
    return info.first


def regio(run: Runner, iri: str, peildatum: str | None = None, wet: str | None = None,
          deelgebied: str | None = None) -> MatrixPage:
    """A regio's or GR's member gemeenten x taken; with ``deelgebied`` only that one, else
    every entry names its deelgebied."""
    org = organisatie(run, iri)
    values = {"organisatie": iri, "peildatum": peildatum or None, "wet": wet or None,
              "deelgebied": deelgebied or None}
    uitvoeringen = run.result("wie-doet-wat-regio", values)
    leden = run.rows("deelnemers", {"organisatie": iri, "peildatum": peildatum or None})
    alle, taken = _taken(run, wet)
    matrix = regio_matrix(leden, taken.rows, uitvoeringen.rows,
                          per_deelgebied=not deelgebied)
    return RegioMatrix(matrix=matrix, uitvoeringen=uitvoeringen, wetten=wetten(alle),
                       wet=wet or "", peildatum=uitvoeringen.params["peildatum"],
                       params=dict(uitvoeringen.params), iri=iri, organisatie=org,
                       deelgebieden=run.result("deelgebieden", {}),
                       deelgebied=deelgebied or "")
