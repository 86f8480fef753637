"""Texts generated from the data: what a change does (with the names the graph gives its
organisations, taken and deelgebieden) and the drill-down of a deelgebied in words
("3 taakuitvoeringen wijzigen, 1 keer dubbel werk verdwijnt"), each sentence with the items
behind it. Nothing here names an organisation that is not in the data, so a scenario
applied to another gemeente speaks of that gemeente's organisations.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..i18n import N_, format_number, gettext, ngettext
from .figures import Cel, DeelgebiedImpact, Item
from .model import Wijziging

#: What each kind of change is called.
SOORT_NAMEN = {
    "overdracht": N_("Overdracht"),
    "eigen-regie": N_("Eigen regie"),
    "toetreding": N_("Toetreding"),
    "doordecentralisatie": N_("Doordecentralisatie"),
    "uittreding": N_("Uittreding"),
}
#: How many names a list shows before "and N more".
MAX_NAMEN = 4


def namen(items: list[str], lang: str) -> str:
    """'a, b en c' (at most :data:`MAX_NAMEN`, then 'en 3 andere')."""
    if len(items) > MAX_NAMEN:
        rest = len(items) - MAX_NAMEN + 1
        items = [*items[:MAX_NAMEN - 1], ngettext("{n} andere", "{n} andere", rest, lang)]
    if len(items) <= 1:
        return "".join(items)
    return gettext("{reeks} en {laatste}", lang, reeks=", ".join(items[:-1]), laatste=items[-1])


def wijziging(w: Wijziging, gemeente: str, names: Mapping[str, str], lang: str) -> str:
    """One change in words, from the data: "Eigen regie: alle taken van Samenwerking
    Kempengemeenten naar Oirschot zelf, met partner Best"."""
    def naam(iri: str | None) -> str:
        return names.get(iri or "", "") or (iri or "").rsplit("/", 1)[-1]

    taken = (namen([naam(t) for t in w.taken], lang) if w.taken
             else gettext("alle taken", lang))
    if w.deelgebieden:
        taken += " " + gettext("({deelgebieden})", lang, deelgebieden=namen(
            [naam(d).lower() for d in w.deelgebieden], lang))
    zelf = gettext("{gemeente} zelf", lang, gemeente=naam(gemeente))
    if w.soort == "overdracht":
        body = gettext("{taken} van {van} naar {naar}", lang, taken=taken, van=naam(w.van),
                       naar=naam(w.naar))
    elif w.soort == "eigen-regie":
        body = (gettext("{taken} van {van} naar {naar}", lang, taken=taken, van=naam(w.van),
                        naar=zelf) if w.van
                else gettext("{taken} naar {naar}", lang, taken=taken, naar=zelf))
    elif w.soort == "toetreding":
        body = gettext("lid van {betreft}", lang, betreft=naam(w.betreft))
        if w.taken or w.deelgebieden or w.van or w.naar:
            naar = naam(w.naar) if w.naar else naam(w.betreft)
            body += "; " + (gettext("{taken} van {van} naar {naar}", lang, taken=taken,
                                    van=naam(w.van), naar=naar) if w.van
                            else gettext("{taken} naar {naar}", lang, taken=taken, naar=naar))
    elif w.soort == "doordecentralisatie":
        body = gettext("{taken} en het budget van {van} naar {naar}", lang, taken=taken,
                       van=naam(w.van), naar=zelf)
    else:  # uittreding
        if w.taken or w.deelgebieden:
            body = gettext("{taken} niet meer via {betreft}", lang, taken=taken,
                           betreft=naam(w.betreft))
        else:
            body = gettext("geen lid meer van {betreft}", lang, betreft=naam(w.betreft))
        if w.naar:
            body += "; " + gettext("de taken gaan naar {naar}", lang, naar=naam(w.naar))
    if w.partners:
        body += ", " + ngettext("met partner {namen}", "met partners {namen}", len(w.partners),
                                lang, namen=namen([naam(p) for p in w.partners], lang))
    return f"{gettext(SOORT_NAMEN[w.soort], lang)}: {body}"


# --------------------------------------------------------------------------- drill-down


@dataclass
class Regel:
    """One line behind a figure: a cell, contract or seat, with its items."""

    tekst: str
    items: list[Item] = field(default_factory=list)


@dataclass
class Zin:
    """One figure of a deelgebied in words, with the lines behind it."""

    figuur: str  # the key of the figure (DeelgebiedImpact.figures())
    tekst: str
    regels: list[Regel] = field(default_factory=list)


def _wie(items: list[Item], lang: str) -> str:
    """The uitvoerders of a cell, by name ('-' when none)."""
    seen: dict[str, None] = {}
    for i in items:
        seen.setdefault(i.label.split(": ", 1)[-1], None)
    return ", ".join(seen) or gettext("niemand", lang)


def _cel(c: Cel, lang: str) -> Regel:
    return Regel(f"{c.taakNaam}: {_wie(c.voor, lang)} → {_wie(c.na, lang)}", [*c.voor, *c.na])


def _num(value: float, lang: str) -> str:
    return format_number(value, lang, 0 if value == int(value) else 1)


def zinnen(d: DeelgebiedImpact, lang: str = "nl") -> list[Zin]:
    """The deelgebied's figures in words, each with the items behind it (empty: nothing
    changes)."""
    f = d.figures()
    out: list[Zin] = []
    if d.wijzigt:
        out.append(Zin("wijzigt", ngettext("{n} taakuitvoering wijzigt van uitvoerder",
                                           "{n} taakuitvoeringen wijzigen van uitvoerder",
                                           len(d.wijzigt), lang),
                       [_cel(c, lang) for c in d.wijzigt]))
    if d.eindigt:
        out.append(Zin("eindigt", ngettext(
            "{n} taakuitvoering eindigt zonder opvolger (een nieuw gat)",
            "{n} taakuitvoeringen eindigen zonder opvolger (nieuwe gaten)", len(d.eindigt), lang),
            [_cel(c, lang) for c in d.eindigt]))
    if d.start:
        out.append(Zin("start", ngettext("{n} taak krijgt een uitvoerder (een gat gevuld)",
                                         "{n} taken krijgen een uitvoerder (gaten gevuld)",
                                         len(d.start), lang),
                       [_cel(c, lang) for c in d.start]))
    dubbel = f.get("dubbel", 0)
    if dubbel:
        weg = {i.iri for i in d.dubbel_voor} - {i.iri for i in d.dubbel_na}
        bij = {i.iri for i in d.dubbel_na} - {i.iri for i in d.dubbel_voor}
        if dubbel < 0:
            tekst = ngettext("{n} keer dubbel werk verdwijnt", "{n} keer dubbel werk verdwijnt",
                             -int(dubbel), lang)
        else:
            tekst = ngettext("{n} keer dubbel werk erbij", "{n} keer dubbel werk erbij",
                             int(dubbel), lang)
        items = [i for i in (*d.dubbel_voor, *d.dubbel_na) if i.iri in weg | bij]
        out.append(Zin("dubbel", tekst, [Regel(f"{i.label}: {i.detail}", [i]) for i in items]))
    for actie in ("opzeggen", "heronderhandelen"):
        found = [c for c in d.contracten if c.actie == actie]
        if not found:
            continue
        tekst = (ngettext("{n} contract opzeggen", "{n} contracten opzeggen", len(found), lang)
                 if actie == "opzeggen" else
                 ngettext("{n} contract heronderhandelen", "{n} contracten heronderhandelen",
                          len(found), lang))
        out.append(Zin("contracten", tekst, [Regel(gettext(
            "{naam} (vroegste einde {datum})", lang, naam=c.naam,
            datum=c.vroegste_einde.isoformat() if c.vroegste_einde else "?"), [c.item()])
            for c in found]))
    if d.aanbieders:
        out.append(Zin("aanbieders", ngettext("{n} aanbieder geraakt", "{n} aanbieders geraakt",
                                              len(d.aanbieders), lang),
                       [Regel(a.label, [a]) for a in d.aanbieders]))
    partners = f.get("partners", 0)
    if partners:
        voor = {i.iri for i in d.partners_voor}
        na = {i.iri for i in d.partners_na}
        if partners > 0:
            tekst = ngettext("{n} partnerorganisatie erbij", "{n} partnerorganisaties erbij",
                             int(partners), lang)
        else:
            tekst = ngettext("{n} partnerorganisatie minder", "{n} partnerorganisaties minder",
                             -int(partners), lang)
        items = [i for i in d.partners_voor if i.iri not in na] + [
            i for i in d.partners_na if i.iri not in voor]
        out.append(Zin("partners", tekst, [Regel(i.label, [i]) for i in items]))
    if d.zetels is not None and d.stemmen is not None and (
            d.zetels[0] != d.zetels[1] or d.stemmen[0] != d.stemmen[1]):
        out.append(Zin("zetels", gettext(
            "zetels {zv} → {zn}, stemmen {sv} → {sn} in bestuursorganen", lang,
            zv=_num(d.zetels[0], lang), zn=_num(d.zetels[1], lang),
            sv=_num(d.stemmen[0], lang), sn=_num(d.stemmen[1], lang)),
            [Regel(f"{i.label}: {i.detail}", [i]) for i in d.vertegenwoordiging]))
    return out


def samenvatting(d: DeelgebiedImpact, lang: str = "nl") -> str:
    """The deelgebied's figures as one line: "3 taakuitvoeringen wijzigen van uitvoerder;
    1 keer dubbel werk verdwijnt" (or that nothing changes)."""
    found = zinnen(d, lang)
    return "; ".join(z.tekst for z in found) if found else gettext("geen veranderingen", lang)
