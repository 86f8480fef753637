"""Overlap: how the regio-indelingen and GRs overlap on a peildatum.

A heatmap of the vocabulary's regio-indelingen against each other (the page's
own data), the pairs of regio's or GRs of two chosen indelingen (query
``overlap``) and, for one gemeente, all its regio's and GRs compared (query
``overlap-gemeente``); each table downloads on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..namespaces import SD
from ..overlap import Heatmap, heatmap
from ..runner import Runner
from .base import Page
from .query import QueryResult

#: The "indeling" value that stands for the gemeenschappelijke regelingen.
GR = str(SD.GemeenschappelijkeRegeling)
#: The page's parameters as the queries name them.
PARAMS = ("peildatum", "indelingA", "indelingB", "gemeente")


@dataclass
class OverlapPage(Page):
    heat: Heatmap
    paren: QueryResult | None
    gemeente: QueryResult | None
    indelingen: list[dict[str, Any]]
    values: dict[str, str | None]
    params: dict[str, str] = field(default_factory=dict)

    view = "overlap-indelingen"
    template = "overlap.html"

    def to_dict(self) -> dict[str, Any]:
        return self.heat.to_dict()

    def to_csv(self) -> str:
        return self.heat.to_csv()

    def to_text(self) -> str:
        return self.heat.to_text()

    def context(self) -> dict[str, Any]:
        assert self.paren is not None
        return dict(heat=self.heat, paren=self.paren, gemeente=self.gemeente,
                    indelingen=self.indelingen, gr=GR, values=self.values,
                    peildatum=self.paren.params["peildatum"],
                    indeling_a=self.paren.params["indelingA"],
                    indeling_b=self.paren.params["indelingB"])


def _peildatum(values: dict[str, str | None]) -> str:
    return values.get("peildatum") or date.today().isoformat()


def heat(run: Runner, peildatum: str | None) -> OverlapPage:
    """The heatmap alone (``sdgraph overlap``, the heatmap download)."""
    run.query("indeling-leden").bindings({"peildatum": peildatum})  # a bad date: UserError
    values = {"peildatum": peildatum}
    indelingen = run.rows("indelingen", {})
    labels = {str(r["indeling"]): str(r["naam"]) for r in indelingen}
    leden = run.rows("indeling-leden", {"peildatum": _peildatum(values)})
    return OverlapPage(heatmap(leden, labels), None, None, indelingen, values,
                       {"peildatum": _peildatum(values)})


def paren(run: Runner, values: dict[str, str | None]) -> QueryResult:
    """The pairs of regio's or GRs of indelingen A and B (query ``overlap``)."""
    return run.result("overlap", {"peildatum": _peildatum(values),
                                  "indelingA": values.get("indelingA"),
                                  "indelingB": values.get("indelingB")})


def gemeente(run: Runner, values: dict[str, str | None], indeling_a: str) -> QueryResult | None:
    """One gemeente's regio's and GRs compared with its regio of indeling A (a GR is no
    regio-indeling: then with none)."""
    if not values.get("gemeente"):
        return None
    reference = indeling_a if indeling_a != GR else None
    return run.result("overlap-gemeente", {"gemeente": values["gemeente"],
                                           "indeling": reference,
                                           "peildatum": values.get("peildatum")})


def page(run: Runner, values: dict[str, str | None]) -> OverlapPage:
    """The whole page: heatmap, pairs and (when a gemeente is given) its comparison."""
    pairs = paren(run, values)  # first: a bad peildatum is a UserError before anything is cached
    result = heat(run, values.get("peildatum"))
    result.paren = pairs
    result.gemeente = gemeente(run, values, pairs.params["indelingA"])
    result.values = values
    return result
