"""The klantreis of a gemeente: the route a request for help takes along the deelgebieden,
with who does each step, hand-overs, gaps and double work."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..errors import UserError
from ..klantreis import Klantreis, ingangen, klantreis
from ..namespaces import SDID
from ..runner import Runner
from .base import Page
from .gemeente import Gemeente
from .query import QueryResult

#: Short names of the bundled klantreizen (the CLI's --soort).
SOORTEN = ("jeugd", "wmo", "werk-en-inkomen")


def klantreis_iri(soort: str | None) -> str | None:
    """A klantreis IRI from a short name (jeugd, wmo, werk-en-inkomen) or an IRI."""
    if not soort:
        return None
    return soort if ":" in soort else str(SDID[f"klantreis/{soort}"])


@dataclass
class KlantreisPage(Page):
    gemeente: Gemeente
    result: QueryResult
    reis: Klantreis
    soorten: QueryResult
    params: dict[str, str] = field(default_factory=dict)

    view = "klantreis"
    template = "klantreis.html"

    def to_dict(self) -> dict[str, Any]:
        reis = self.reis
        return {
            "query": "klantreis",
            "samenvatting": reis.summary(),
            "ingangen": [asdict(i) for i in reis.ingangen],
            "organisaties": reis.organisaties,
            "overdrachten": [asdict(o) for o in reis.overdrachten],
            "stappen": [
                {**{k: v for k, v in asdict(s).items() if k != "uitvoeringen"},
                 "status": s.status, "uitvoeringen": [asdict(u) for u in s.uitvoeringen],
                 "dubbel": s.dubbel, "achterDeSchermen": s.achter_de_schermen}
                for s in reis.stappen
            ],
        }

    def to_csv(self) -> str:
        return self.result.to_csv()

    def to_text(self) -> str:
        lines = [f"  > {i.naam} -> {i.stap}" for i in self.reis.ingangen]
        for stap in self.reis.stappen:
            lines.append(f"{stap.volgorde}. {stap.naam} ({stap.deelgebiedNaam})")
            for u in stap.uitvoeringen:
                via = f" via {u.viaNaam}" if u.viaNaam and u.via != u.uitvoerder else ""
                state = "" if u.status == "bevestigd" else f" ({u.status})"
                lines.append(f"   - {u.uitvoerderNaam or u.uitvoerder}: {u.taakNaam}"
                             f" [{u.arrangementtype}]{via}{state}")
            if not stap.uitvoeringen:
                lines.append("   - (no executor in the data: unknown)")
        lines.append(", ".join(f"{k}: {v}" for k, v in self.reis.summary().items()))
        return "\n".join(lines)

    def filename(self, fmt: str) -> str:
        return f"klantreis-{self.gemeente.code}.{fmt}"

    def context(self) -> dict[str, Any]:
        return dict(info=self.gemeente.info, gemeente=self.gemeente.row, code=self.gemeente.code,
                    result=self.result, reis=self.reis, soorten=self.soorten,
                    klantreis=self.params["klantreis"], peildatum=self.params["peildatum"])


def page(run: Runner, gemeente: Gemeente, soort: str | None = None,
         peildatum: str | None = None) -> KlantreisPage:
    """The klantreis ``soort`` (short name or IRI; default the query's) of ``gemeente``."""
    result = run.result("klantreis", {"gemeente": gemeente.code,
                                      "klantreis": klantreis_iri(soort),
                                      "peildatum": gemeente.peildatum(peildatum)})
    entries = ingangen(run.rows("klantreis-ingangen", {"klantreis": result.params["klantreis"]}))
    reis = klantreis(result.rows, entries)
    if not reis.stappen:
        raise UserError(f"no klantreis {soort!r}; use {', '.join(SOORTEN)} or a klantreis IRI")
    return KlantreisPage(gemeente, result, reis, run.result("klantreizen", {}),
                         dict(result.params))
