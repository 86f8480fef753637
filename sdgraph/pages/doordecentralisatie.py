"""The doordecentralisatie of beschermd wonen and maatschappelijke opvang (BW/MO) as a
template: choose a centrumgemeente regio and see, per member gemeente, the budget before
and after, what needs regional arrangements, and the governance to set up.

- **Money**: the centrumgemeente's budget (Iv3 lasten 6.81, else a money flow, else the
  amount given; :func:`sdgraph.scenario.money.budget`) shared out by inwonertal, beside each
  member's own 6.81 lasten (real Iv3 only). Before: the budget sits with the
  centrumgemeente; after: each member has its share (a first estimate; the real objective
  verdeelmodel differs).
- **Voorzieningen**: the contracts the centrumgemeente commissions for BW/MO (aanbieders,
  end date, notice) and the BW/MO taakuitvoeringen of the members that run through the
  centrumgemeente today (named queries ``contracten``, ``wie-doet-wat-regio``): what every
  member must arrange, alone or together, after the change.
- **Governance**: whether a GR already spans every member (``scenario/regio-grs``), else a
  regional arrangement to set up; the budget's verdeelsleutel; who takes part.

Each member links to the builder with the doordecentralisatie filled in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..errors import UserError
from ..i18n import N_
from ..output import text
from ..queries import QueryLibrary, bundled_library
from ..scenario import link as links
from ..scenario.figures import TAAKVELD_BW_MO
from ..scenario.model import BW_MO, kort, organisatie_iri
from ..scenario.money import Budget, budget, eigen_lasten, verdeling
from ..store import Store
from .base import Page


@dataclass
class Lid:
    """One member gemeente of the regio, its money before and after."""

    iri: str
    naam: str
    code: str
    inwoners: float | None
    eigen: float | None  # its own Iv3 lasten 6.81 (None: not known)
    aandeel: float | None  # its share of the centrumgemeente's budget after
    centrum: bool
    link: str  # a builder link with this member's doordecentralisatie

    @property
    def voor(self) -> float | None:
        """Its BW/MO budget today: its own lasten (the centrumgemeente: the whole budget)."""
        return self.eigen

    @property
    def na(self) -> float | None:
        if self.aandeel is None:
            return None
        if self.centrum:
            return self.aandeel
        return (self.eigen or 0.0) + self.aandeel


@dataclass
class DoordecentralisatiePage(Page):
    """The template for one regio (or the list of regio's to choose from)."""

    lang: str
    peildatum: str
    regios: list[dict[str, str]]
    regio: dict[str, str] | None = None
    leden: list[Lid] = field(default_factory=list)
    b: Budget | None = None
    contracten: list[dict[str, Any]] = field(default_factory=list)
    uitvoeringen: list[dict[str, Any]] = field(default_factory=list)
    grs: list[dict[str, Any]] = field(default_factory=list)
    params: dict[str, str] = field(default_factory=dict)

    view = "doordecentralisatie"
    template = "scenario_doordecentralisatie.html"
    formats = ("json", "csv")

    @property
    def gr_voor_allen(self) -> dict[str, Any] | None:
        """A GR of which every member of the regio is a member, when there is one."""
        n = len(self.leden)
        return next((g for g in self.grs if n and g["regioleden"] >= n), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "peildatum": self.peildatum, "regio": self.regio,
            "budget": None if self.b is None else {
                "totaal": self.b.totaal, "jaar": self.b.jaar, "echt": self.b.echt,
                "uitleg": self.b.uitleg, "dataset": self.b.dataset},
            "leden": [{"gemeente": m.iri, "naam": m.naam, "code": m.code,
                       "inwoners": m.inwoners, "lasten_681_nu": m.eigen,
                       "aandeel_na": m.aandeel, "voor": m.voor, "na": m.na,
                       "centrumgemeente": m.centrum} for m in self.leden],
            "contracten": self.contracten, "uitvoeringen": self.uitvoeringen,
            "grs": self.grs,
        }

    def to_csv(self) -> str:
        import csv
        import io

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["gemeente", "code", "naam", "inwoners", "lasten_681_nu", "aandeel_na",
                         "voor", "na", "centrumgemeente"])
        for m in self.leden:
            writer.writerow([m.iri, m.code, m.naam, _plain(m.inwoners), _plain(m.eigen),
                             _plain(m.aandeel), _plain(m.voor), _plain(m.na),
                             "ja" if m.centrum else ""])
        return out.getvalue()

    def filename(self, fmt: str) -> str:
        code = (self.regio or {}).get("regio", "").rsplit("/", 1)[-1] or "regios"
        return f"doordecentralisatie-{code}.{fmt}"

    def context(self) -> dict[str, Any]:
        return dict(regios=self.regios, regio=self.regio, leden=self.leden, b=self.b,
                    contracten=self.contracten, uitvoeringen=self.uitvoeringen, grs=self.grs,
                    gr_voor_allen=self.gr_voor_allen, peildatum=self.peildatum,
                    taakveld=TAAKVELD_BW_MO)


def _plain(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def page(store: Store, library: QueryLibrary | None, lang: str, regio: str | None = None,
         peildatum: str | None = None) -> DoordecentralisatiePage:
    """The template for ``regio`` (an IRI or CURIE of a regio with a centrumgemeente) on
    ``peildatum`` (default: today); without ``regio`` the list to choose from."""
    library = library or bundled_library()
    day = _day(peildatum)
    rows = library.get("scenario/centrumgemeenteregios").run(
        store, {"peildatum": day.isoformat()}).dicts()
    regios = [{"regio": text(r["regio"]), "waarde": kort(text(r["regio"])),
               "naam": text(r.get("naam")) or text(r["regio"]),
               "indeling": text(r.get("indelingNaam")),
               "centrumgemeente": text(r["centrumgemeente"]),
               "centrumNaam": text(r.get("centrumNaam")), "leden": text(r.get("leden"))}
              for r in rows]
    out = DoordecentralisatiePage(lang, day.isoformat(), regios)
    if not regio:
        return out
    try:
        iri = str(organisatie_iri(regio, "regio"))
    except UserError:
        iri = regio
    found = next((r for r in regios if r["regio"] == iri), None)
    if found is None:
        raise UserError(N_("Geen regio met een centrumgemeente: {regio}."), regio=repr(regio))
    out.regio = found
    centrum = found["centrumgemeente"]
    rows = library.get("deelnemers").run(store, {"organisatie": iri,
                                                 "peildatum": day.isoformat()}).dicts()
    members = {text(r["lid"]): text(r.get("naam")) or text(r["lid"]) for r in rows}
    codes = {text(r["lid"]): text(r.get("code")) for r in rows}
    b = budget(store, store, library, centrum, found["centrumNaam"] or centrum, members, day,
               lang=lang)
    out.b = b
    shares = {g.ontvanger: g.bedrag for g in verdeling(b, members, lang)} if b else {}
    own = eigen_lasten(store, library, b, members) if b else {}
    for m, naam in sorted(members.items(), key=lambda kv: kv[1]):
        doc = {"id": f"doordecentralisatie-{found['naam']}".lower().replace(" ", "-"),
               "titel": f"Doordecentralisatie BW/MO: {naam}", "gemeente": codes.get(m) or m,
               "peildatum": day.isoformat(),
               "wijzigingen": [{"soort": "doordecentralisatie", "van": kort(iri)}]}
        try:
            link = links.encode_doc(_safe(doc))
        except UserError:
            link = ""
        eigen = own.get(m)
        if m == centrum and b is not None:
            eigen = b.totaal if not own else own.get(m, b.totaal)
        out.leden.append(Lid(m, naam, codes.get(m, ""), b.inwoners.get(m) if b else None,
                             eigen, shares.get(m), m == centrum, link))
    out.contracten = _contracten(store, library, centrum, day, lang)
    out.uitvoeringen = _uitvoeringen(store, library, iri, centrum, day, lang)
    rows = library.get("scenario/regio-grs").run(
        store, {"regio": iri, "peildatum": day.isoformat()}).dicts()
    for r in rows[:5]:  # the GRs with the most of the regio's members, with their size
        gr = text(r["gr"])
        leden = library.get("deelnemers").run(store, {"organisatie": gr,
                                                     "peildatum": day.isoformat()}).dicts()
        out.grs.append({"gr": gr, "naam": text(r.get("naam")) or gr,
                        "regioleden": int(float(text(r.get("regioleden")) or 0)),
                        "leden": len({text(m["lid"]) for m in leden})})
    return out


def _safe(doc: dict[str, Any]) -> dict[str, Any]:
    from ..identity import slugify

    doc["id"] = slugify(doc["id"])[:80] or "doordecentralisatie"
    return doc


def _day(value: str | None) -> date:
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserError(N_("Geen datum: {waarde}. Schrijf JJJJ-MM-DD, bijvoorbeeld "
                           "2024-07-01."), waarde=value) from None


def _contracten(store: Store, library: QueryLibrary, centrum: str, day: date,
                lang: str) -> list[dict[str, Any]]:
    """The centrumgemeente's running contracts for BW/MO taken."""
    rows = library.get("scenario/bw-mo-contracten").run(
        store, {"gemeente": centrum, "peildatum": day.isoformat(), "lang": lang}).dicts()
    found: dict[str, dict[str, Any]] = {}
    for r in rows:
        c = found.setdefault(text(r["overeenkomst"]), {
            "overeenkomst": text(r["overeenkomst"]), "naam": text(r.get("naam")),
            "einddatum": text(r.get("einddatum")), "opzegtermijn": text(r.get("opzegtermijn")),
            "taken": [], "aanbieders": []})
        for key, value in (("taken", text(r.get("taakNaam"))),
                           ("aanbieders", text(r.get("aanbiederNaam")))):
            if value and value not in c[key]:
                c[key].append(value)
    return list(found.values())


def _uitvoeringen(store: Store, library: QueryLibrary, regio: str, centrum: str, day: date,
                  lang: str) -> list[dict[str, Any]]:
    """The members' BW/MO taakuitvoeringen on ``day`` by or through the centrumgemeente."""
    rows = library.get("wie-doet-wat-regio").run(
        store, {"organisatie": regio, "peildatum": day.isoformat(), "lang": lang}).dicts()
    out = []
    for r in rows:
        if text(r.get("taak")) not in BW_MO:
            continue
        if centrum not in (text(r.get("uitvoerder")), text(r.get("via"))):
            continue
        out.append({k: text(r.get(k)) for k in ("gemeente", "gemeenteNaam", "taak", "taakNaam",
                                                "deelgebied", "deelgebiedNaam", "uitvoerder",
                                                "uitvoerderNaam", "arrangementtype")})
    return out
