"""Index pages: every gemeenschappelijke regeling on a peildatum (filtered on wet,
samenwerkingsvorm and provincie), every regio-indeling, and the regio's of one
indeling. Each is one named query's table with the filter choices beside it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import UserError
from ..i18n import N_
from ..runner import Runner
from .query import QueryResult

#: The filters of the GR index: parameter -> kind of the choice list (query zoeken/keuzes).
FILTERS = ("wet", "samenwerkingsvorm", "provincie")


@dataclass
class IndexPage(QueryResult):
    """A query's table as an index page, with the choices of its filters."""

    choices: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    chosen: dict[str, str] = field(default_factory=dict)
    subject: dict[str, Any] | None = None  # the indeling whose regio's are listed

    def context(self) -> dict[str, Any]:
        return {"query": self.query, "result": self, "choices": self.choices,
                "chosen": self.chosen, "subject": self.subject,
                "peildatum": self.params.get("peildatum", "")}


def _as_index(result: QueryResult, view: str, template: str, **extra: Any) -> IndexPage:
    page = IndexPage(result.query, result.table, result.params, result.seconds, result.lang,
                     result.labeler, **extra)
    page.view = view  # type: ignore[misc]  (an instance attribute: file names, JSON envelope)
    page.template = template  # type: ignore[misc]
    return page


def choices(run: Runner) -> dict[str, list[tuple[str, str]]]:
    """The wetten, samenwerkingsvormen and provincies to filter on: kind -> (IRI, name)."""
    out: dict[str, list[tuple[str, str]]] = {kind: [] for kind in FILTERS}
    for row in run.rows("zoeken/keuzes", {}):
        out.setdefault(str(row["soort"]), []).append((str(row["iri"]), str(row["naam"])))
    return out


def regelingen(run: Runner, peildatum: str | None = None, wet: str | None = None,
               samenwerkingsvorm: str | None = None,
               provincie: str | None = None) -> IndexPage:
    """The GRs valid on ``peildatum`` (default today), optionally of one ``wet``,
    ``samenwerkingsvorm`` or with a member in one ``provincie`` (IRIs; a provincie may
    also be named)."""
    options = choices(run)
    chosen = {"wet": wet or "", "samenwerkingsvorm": samenwerkingsvorm or "",
              "provincie": provincie or ""}
    for kind, value in chosen.items():
        if value and ":" not in value:  # a name or notation: "Jeugdwet", "Noord-Brabant"
            match = [iri for iri, naam in options[kind] if naam.casefold() == value.casefold()
                     or naam.casefold().removeprefix("provincie ") == value.casefold()]
            if len(match) != 1:
                raise UserError(N_("Onbekende {kind} '{value}' (bekend: {known})."), kind=kind,
                                value=value, known=", ".join(n for _, n in options[kind]))
            chosen[kind] = match[0]
    result = run.result("regelingen", {"peildatum": peildatum, **chosen})
    return _as_index(result, "regelingen", "regelingen.html", choices=options, chosen=chosen)


def indelingen(run: Runner) -> IndexPage:
    """Every regio-indeling with its number of regio's (those of the vocabulary first)."""
    return _as_index(run.result("indelingen", {}), "regio-indelingen", "regio_indelingen.html")


def indeling(run: Runner, iri: str, peildatum: str | None = None) -> IndexPage:
    """The regio's of the regio-indeling ``iri`` with their number of members."""
    known = {str(r["indeling"]): r for r in run.rows("indelingen", {})}
    if iri not in known:
        raise UnknownIndeling(iri)
    row = known[iri]
    result = run.result("regios", {"indeling": iri, "peildatum": peildatum})
    return _as_index(result, "regio-indeling", "regio_indeling.html",
                     subject={"iri": iri, "naam": str(row["naam"]),
                              "vocabulaire": str(row["vocabulaire"]) == "true"})


class UnknownIndeling(UserError):
    """No regio-indeling with this IRI (a web page answers 404)."""

    def __init__(self, iri: str) -> None:
        super().__init__(N_("Geen regio-indeling {iri} in de graaf."), iri=iri)
