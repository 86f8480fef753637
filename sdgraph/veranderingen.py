"""What changed for a gemeente between two peildata, in words: "wat veranderde sinds de
vorige collegeperiode".

It compares the state on the two days, not the events between them: the partners doing
the gemeente's taken (query ``wie-doet-wat`` on each day: organisations other than the
gemeente, per taak and deelgebied), its memberships of gemeenschappelijke regelingen
(``lidmaatschappen``) and its running contracts (``contracten``). What is there on the
later day and not on the earlier one is new; the reverse has ended. Each change becomes
a sentence in the page's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from rdflib.term import Identifier

from .i18n import N_, format_date, gettext, ngettext
from .output import text

Row = Mapping[str, Identifier | None]

NIEUWE_PARTNER = N_("{organisatie} voert nu voor de gemeente uit: {taken}.")
OUDE_PARTNER = N_("{organisatie} voert niet meer voor de gemeente uit: {taken}.")
LID = N_("De gemeente werd lid van {naam}.")
GEEN_LID = N_("De gemeente is geen lid meer van {naam}.")
CONTRACT_NIEUW = N_("Contract {naam} loopt nu (niet op {van}).")
CONTRACT_WEG = N_("Contract {naam} liep op {van} en loopt niet meer.")
GEEN = N_("Geen veranderingen in partners, lidmaatschappen en contracten tussen {van} en {tot}.")


@dataclass
class Veranderingen:
    """The changes between ``van`` and ``tot`` as sentences, grouped."""

    van: str
    tot: str
    partners: list[str] = field(default_factory=list)
    lidmaatschappen: list[str] = field(default_factory=list)
    contracten: list[str] = field(default_factory=list)
    samenvatting: str = ""

    @property
    def zinnen(self) -> list[str]:
        return [*self.partners, *self.lidmaatschappen, *self.contracten]

    def to_dict(self) -> dict:
        return {"van": self.van, "tot": self.tot, "samenvatting": self.samenvatting,
                "partners": self.partners, "lidmaatschappen": self.lidmaatschappen,
                "contracten": self.contracten}


def _partner_taken(rows: list[Row], gemeente: str) -> dict[str, tuple[str, set[str]]]:
    """Organisation IRI -> (name, {"taak (deelgebied)"}) of the others doing its taken."""
    out: dict[str, tuple[str, set[str]]] = {}
    for r in rows:
        org = text(r["uitvoerder"])
        if org == gemeente:
            continue
        naam = text(r.get("uitvoerderNaam")) or org
        taak = text(r.get("taakNaam")) or text(r.get("taak"))
        deelgebied = text(r.get("deelgebiedNaam")) or text(r.get("deelgebied"))
        entry = out.setdefault(org, (naam, set()))
        wet = text(r.get("wetNaam"))
        entry[1].add(f"{taak} ({wet}, {deelgebied.lower()})" if wet else f"{taak} ({deelgebied})")
    return out


def _names(rows: list[Row], key: str, label: str) -> dict[str, str]:
    return {text(r[key]): text(r.get(label)) or text(r[key]) for r in rows}


def veranderingen(van: str, tot: str, gemeente: str, wdw_van: list[Row], wdw_tot: list[Row],
                  leden_van: list[Row], leden_tot: list[Row], contracten_van: list[Row],
                  contracten_tot: list[Row], lang: str = "nl") -> Veranderingen:
    """The changes from ``van`` to ``tot`` from the query rows of each day."""
    result = Veranderingen(van, tot)
    before, after = _partner_taken(wdw_van, gemeente), _partner_taken(wdw_tot, gemeente)
    for org in sorted(set(before) | set(after), key=lambda o: (after.get(o) or before[o])[0]):
        naam = (after.get(org) or before[org])[0]
        gained = sorted(after.get(org, ("", set()))[1] - before.get(org, ("", set()))[1])
        lost = sorted(before.get(org, ("", set()))[1] - after.get(org, ("", set()))[1])
        if gained:
            result.partners.append(gettext(NIEUWE_PARTNER, lang, organisatie=naam,
                                           taken="; ".join(gained)))
        if lost:
            result.partners.append(gettext(OUDE_PARTNER, lang, organisatie=naam,
                                           taken="; ".join(lost)))
    lv, lt = _names(leden_van, "gr", "naam"), _names(leden_tot, "gr", "naam")
    for gr in sorted(set(lt) - set(lv), key=lambda g: lt[g]):
        result.lidmaatschappen.append(gettext(LID, lang, naam=lt[gr]))
    for gr in sorted(set(lv) - set(lt), key=lambda g: lv[g]):
        result.lidmaatschappen.append(gettext(GEEN_LID, lang, naam=lv[gr]))
    day_van = _day(van, lang)
    cv = _names(contracten_van, "overeenkomst", "naam")
    ct = _names(contracten_tot, "overeenkomst", "naam")
    for c in sorted(set(ct) - set(cv), key=lambda k: ct[k]):
        result.contracten.append(gettext(CONTRACT_NIEUW, lang, naam=ct[c], van=day_van))
    for c in sorted(set(cv) - set(ct), key=lambda k: cv[k]):
        result.contracten.append(gettext(CONTRACT_WEG, lang, naam=cv[c], van=day_van))
    if not result.zinnen:
        result.samenvatting = gettext(GEEN, lang, van=day_van, tot=_day(tot, lang))
    else:
        parts = [ngettext("{n} verandering in partners", "{n} veranderingen in partners",
                          len(result.partners), lang),
                 ngettext("{n} in lidmaatschappen", "{n} in lidmaatschappen",
                          len(result.lidmaatschappen), lang),
                 ngettext("{n} in contracten", "{n} in contracten",
                          len(result.contracten), lang)]
        result.samenvatting = gettext("Tussen {van} en {tot}: {delen}.", lang, van=day_van,
                                      tot=_day(tot, lang), delen=", ".join(parts))
    return result


def _day(iso: str, lang: str) -> str:
    from datetime import date

    try:
        return format_date(date.fromisoformat(iso), lang)
    except ValueError:
        return iso
