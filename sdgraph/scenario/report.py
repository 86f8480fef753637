"""The comparison as text (terminal), Markdown, CSV, JSON and a self-contained printable HTML
file.

All show the same numbers: the matrix (scenario x deelgebied), the criteria named for what
they measure with their values before and after, the difference and the 0-10 score, their
formulas with the numbers filled in, the weights and the ranking, and per scenario what each
change does (generated from the data) and the figures of each deelgebied in words with the
items behind them and their sources. Numbers are in the language's format; CSV and JSON
carry plain numbers.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..i18n import N_, format_currency, format_number, gettext
from .figures import DeelgebiedImpact, Impact, Item
from .tekst import samenvatting, zinnen
from .vergelijking import (
    ALLE,
    CRITERIA,
    DEFINITIE,
    HIGHER_IS_BETTER,
    Vergelijking,
    naam,
    score_tekst,
    waarde_tekst,
)

#: The figures of a matrix cell: key and short code (the terminal's compact matrix).
FIGUREN = (("eindigt", "e"), ("wijzigt", "w"), ("start", "s"), ("gaten", "g"), ("dubbel", "d"),
           ("contracten", "c"), ("aanbieders", "a"), ("partners", "p"), ("zetels", "z"),
           ("stemmen", "st"))
DELTA = {"gaten", "dubbel", "partners", "zetels", "stemmen"}

#: The words of the reports, by key (Dutch; translated through the catalogue).
WORDS = {
    "titel": N_("Scenariovergelijking"),
    "scenario": N_("Scenario"),
    "peildatum": N_("peildatum"),
    "besluitdatum": N_("besluitdatum"),
    "matrix": N_("Matrix: scenario x deelgebied"),
    "criteria": N_("Criteria"),
    "ranking": N_("Rangorde"),
    "gewichten": N_("Gewichten"),
    "gewicht": N_("gewicht"),
    "kaart": N_("Partners voor en na"),
    "kaart_tabel": N_("Tabel bij de kaart"),
    "kaart_uitleg": N_("Per gemeente: in het samenwerkingsgebied voor en na het scenario, "
                       "en via welke organisatie die het scenario noemt."),
    "formules": N_("Formules"),
    "totaal": N_("Totaal"),
    "rang": N_("Rang"),
    "voor": N_("voor"),
    "na": N_("na"),
    "verschil": N_("verschil"),
    "score": N_("score"),
    "waarde": N_("waarde"),
    "legenda": N_("Legenda"),
    "eindigt": N_("eindigt"),
    "wijzigt": N_("wijzigt"),
    "start": N_("start"),
    "gaten": N_("gaten"),
    "dubbel": N_("dubbel werk"),
    "contracten": N_("contracten"),
    "aanbieders": N_("aanbieders"),
    "partners": N_("partners"),
    "zetels": N_("zetels"),
    "stemmen": N_("stemmen"),
    "hoger": N_("hoger is beter"),
    "lager": N_("lager is beter"),
    "informatief": N_("ter informatie, telt niet mee"),
    "schaal": N_("score 0-10 per criterium: 10 voor de beste van de vergeleken scenario's, "
                  "min 10 x (afstand tot de beste / omvang van de grootheid); omvang = 100 bij "
                  "percentages, anders de grootste waarde van de scenario's en de situatie voor; "
                  "totaal = som(gewicht x score) / som(gewichten)"),
    "legenda_tekst": N_("e = cellen (taak x deelgebied) die eindigen, w = wijzigen, s = starten; "
                        "g = verandering in gaten, d = in dubbel werk, p = in partners; "
                        "c = contracten op te zeggen of te heronderhandelen, a = geraakte "
                        "aanbieders; z/st = verandering in zetels en stemmen"),
    "geen": N_("geen veranderingen"),
    "wijzigingen": N_("Wijzigingen"),
    "details": N_("Details"),
    "lidmaatschappen": N_("Lidmaatschappen"),
    "eindigen": N_("eindigen"),
    "starten": N_("starten"),
    "klantreizen": N_("Klantreizen"),
    "klantreis_per_soort": N_("Klantreis per soort hulpvraag (organisaties + overdrachten)"),
    "organisaties": N_("organisaties"),
    "overdrachten": N_("overdrachten"),
    "geld": N_("Geldstromen"),
    "opzeggen": N_("opzeggen"),
    "heronderhandelen": N_("heronderhandelen"),
    "loopt-af": N_("loopt vanzelf af"),
    "vroegste": N_("vroegste einde"),
    "opzegtermijn": N_("opzegtermijn"),
    "maanden": N_("maanden"),
    "exitclausule": N_("exitclausule"),
    "frictiekosten": N_("frictiekosten"),
    "bron": N_("bron"),
    "illustratief": N_("illustratief"),
    "items": N_("items"),
    "arrangementen": N_("arrangementen"),
    "partnergemeenten": N_("partnergemeenten"),
    "opmerkingen": N_("Opmerkingen"),
    "klaar": N_("alle contracten kunnen uiterlijk eindigen op"),
    "deelgebied": N_("deelgebied"),
    "figuur": N_("figuur"),
    "formule": N_("formule"),
    "cel": N_("cel"),
    "centrum": N_("nu naar"),
    "aandeel": N_("aandeel"),
    "zeggenschap_per_cel": N_("Zeggenschap per soort cel"),
    "cellen": N_("cellen"),
    "bijdragen": N_("Bijdragen aan GR's"),
    "waarschuwing": N_("Gegevens met het label 'illustratief' zijn verzonnen voorbeelden."),
    "gegenereerd": N_("Gemaakt met sdgraph uit de kennisgraaf; elk getal is terug te voeren op "
                      "de genoemde knopen (IRI's) en hun bronnen."),
}


def words(lang: str) -> dict[str, str]:
    """The words of the reports in ``lang``, with the criteria's names."""
    out = {key: gettext(text, lang) for key, text in WORDS.items()}
    out.update({key: naam(key, lang) for key in ALLE})
    return out


def niets(v: Vergelijking, index: int, lang: str) -> str:
    """The sentence for a scenario that changes nothing for its gemeente."""
    imp = v.impacts[index]
    return gettext("{scenario} verandert niets voor {gemeente} op {peildatum} (geen cel, "
                   "lidmaatschap, zetel, contract of geldstroom): niet gerangschikt.", lang,
                   scenario=imp.scenario.naam(lang), gemeente=imp.gemeenteNaam,
                   peildatum=imp.peildatum)


def toegepast(imp: Impact, lang: str) -> str:
    """Whom the scenario was written for when it is applied to another gemeente ('')."""
    s = imp.scenario
    if s.eigen_teksten:
        return ""
    code = (s.geschreven_voor or "").rsplit("/", 1)[-1].upper()
    return gettext("Geschreven voor {code}, hier toegepast op {gemeente}: de beschrijving en "
                   "de labels van het scenario worden niet getoond, wel wat elke wijziging "
                   "hier doet.", lang, code=code, gemeente=imp.gemeenteNaam)


def _num(value: float) -> str:
    if value == int(value):
        return f"{int(value)}"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _signed(value: float) -> str:
    return ("+" if value > 0 else "") + _num(value)


def cell_code(d: DeelgebiedImpact) -> str:
    """The compact text of one matrix cell on the terminal: 'w4 c2 a2 p-1' ('-' when nothing
    changes); reports and pages say it in words (:func:`~.tekst.samenvatting`)."""
    figures = d.figures()
    parts = []
    for key, code in FIGUREN:
        value = figures.get(key)
        if value:
            parts.append(code + (_signed(value) if key in DELTA else _num(value)))
    return " ".join(parts) or "-"


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(header, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)


def _eur(value: float | None, lang: str) -> str:
    return "?" if value is None else format_currency(value, lang, decimals=0)


def _richting(key: str, w: dict[str, str]) -> str:
    if key not in HIGHER_IS_BETTER:
        return w["informatief"]
    return w["hoger"] if HIGHER_IS_BETTER[key] else w["lager"]


def _heading(v: Vergelijking, w: dict[str, str]) -> str:
    first = v.impacts[0]
    dates = {(i.peildatum, i.opzegdatum.isoformat()) for i in v.impacts}
    when = "; ".join(f"{w['peildatum']} {p}, {w['besluitdatum']} {b}" for p, b in sorted(dates))
    return f"{w['titel']}: {first.gemeenteNaam} ({when})"


def criterium_cel(v: Vergelijking, idx: int, key: str, lang: str) -> str:
    """One criterion of one scenario on one line: 'value (before X, ±Y) [score]'."""
    k = v.criteria[idx][key]
    parts = [waarde_tekst(key, k.waarde, lang)]
    if k.voor is not None:
        parts.append(f"({gettext('voor', lang)} {waarde_tekst(key, k.voor, lang)}, "
                     f"{waarde_tekst(key, k.verschil, lang, signed=True)})")
    if key in CRITERIA:
        parts.append(f"[{score_tekst(v.scores[idx][key], lang)}]")
    return " ".join(parts)


def to_text(v: Vergelijking, lang: str = "nl", details: bool = False) -> str:
    w = words(lang)
    out = [_heading(v, w), ""]
    columns = [_md(d.naam) for d in v.impacts[0].deelgebieden]
    out.append(w["matrix"])
    out.append(_table([w["scenario"], *columns],
                      [[i.scenario.naam(lang), *(cell_code(d) for d in i.deelgebieden)]
                       for i in v.impacts]))
    out.append(f"{w['legenda']}: {w['legenda_tekst']}")
    out += ["", f"{w['criteria']}:"]
    for key in ALLE:
        out.append(f"  {w[key]} ({_richting(key, w)}):")
        for idx, imp in enumerate(v.impacts):
            out.append(f"    {imp.scenario.naam(lang)}: {criterium_cel(v, idx, key, lang)}")
    rows = [[imp.scenario.naam(lang), score_tekst(v.totaal[idx], lang),
             str(v.rang(idx) or "-")] for idx, imp in enumerate(v.impacts)]
    out += ["", _table([w["scenario"], w["totaal"], w["rang"]], rows)]
    out.append(f"[..] = {w['score']}; {w['schaal']}")
    out.append(f"{w['gewichten']}: " + ", ".join(
        f"{c}={format_number(v.gewichten[c], lang)}" for c in CRITERIA))
    out += ["", f"{w['formules']}:"]
    for key in ALLE:
        out.append(f"  {w[key]}: {gettext(DEFINITIE[key].formule, lang)}")
        for imp, crit in zip(v.impacts, v.criteria, strict=True):
            out.append(f"    {imp.scenario.naam(lang)}: {crit[key].formule} = "
                       f"{waarde_tekst(key, crit[key].waarde, lang)}")
    out += ["", f"{w['ranking']}:"]
    for pos, idx in enumerate(v.ranking, start=1):
        out.append(f"  {pos}. {v.impacts[idx].scenario.naam(lang)} "
                   f"({score_tekst(v.totaal[idx], lang)})")
    out += [f"  {niets(v, idx, lang)}" for idx in v.niet_gerangschikt]
    if details:
        for imp in v.impacts:
            out += ["", *_details_text(imp, w, lang)]
    return "\n".join(out) + "\n"


def _items(items: Iterable[Item], w: dict[str, str], indent: str = "      ") -> list[str]:
    lines = []
    for i in items:
        extra = [x for x in (i.detail, f"{w['bron']}: {i.bron}" if i.bron else "",
                             w["illustratief"] if i.illustratief else "") if x]
        lines.append(f"{indent}- {i.label} <{i.iri}>" + (f" [{'; '.join(extra)}]" if extra else ""))
    return lines


def _details_text(imp: Impact, w: dict[str, str], lang: str) -> list[str]:
    s = imp.scenario
    out = [f"== {s.naam(lang)} <{s.iri}>" + (f" ({w['illustratief']})" if s.illustratief else "")]
    if toegepast(imp, lang):
        out.append(f"  {toegepast(imp, lang)}")
    for text_ in imp.wijzigingen_tekst:
        out.append(f"  {w['wijzigingen']}: {text_}")
    for d in imp.deelgebieden:
        lines = []
        for zin in zinnen(d, lang):
            lines.append(f"    {zin.tekst}:")
            for regel in zin.regels:
                lines.append(f"      {regel.tekst}")
                lines += _items(regel.items, w, "        ")
        for c in d.contracten:
            if c.actie == "loopt-af":
                lines.append(f"    {w[c.actie]}: {c.naam} ({w['vroegste']} "
                             f"{c.vroegste_einde or '?'})")
        if lines:
            out.append(f"  [{d.naam}]")
            out += lines
    for key, items in (("eindigen", imp.lidmaatschappen_eind),
                       ("starten", imp.lidmaatschappen_start)):
        if items:
            out.append(f"  {w['lidmaatschappen']} {w[key]}:")
            out += _items(items, w, "    ")
    for b in imp.bijdragen:
        out.append(f"  {w['bijdragen']}: {b.ontvangerNaam}, {b.toelichting}: "
                   f"{_eur(b.bedrag, lang)}")
    for m in imp.geld:
        out.append(f"  {w['geld']} ({m.uitleg}): {_eur(m.totaal, lang)} -> "
                   + ", ".join(f"{g.ontvangerNaam} {_eur(g.bedrag, lang)}" for g in m.na))
    for note in imp.opmerkingen:
        out.append(f"  ! {note}")
    return out


# --------------------------------------------------------------------------- Markdown


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|!#~])")


def _md(text_: str) -> str:
    """Text from the data (labels, names) as Markdown that shows it and nothing more:
    ``&``, ``<`` and ``>`` as entities (no HTML, no ``<script>``), Markdown's own
    characters (links, emphasis, table cells) escaped, on one line."""
    text_ = html.escape(text_, quote=False)
    return _MD_SPECIAL.sub(r"\\\1", text_).replace("\r", " ").replace("\n", " ")


def _md_lines(lines: list[str]) -> list[str]:
    """Preformatted text as Markdown lines: escaped like :func:`_md`, the indentation kept
    as non-breaking spaces, each line ending in a hard break (no code block, whose text a
    naive renderer might still take for HTML)."""
    out = []
    for line in lines:
        body = line.lstrip(" ")
        out.append("&nbsp;" * (len(line) - len(body)) + _md(body) + "  ")
    return out


def to_markdown(v: Vergelijking, lang: str = "nl") -> str:
    w = words(lang)
    out = [f"# {_md(_heading(v, w))}", "", f"_{w['waarschuwing']}_", "", f"## {w['matrix']}", ""]
    columns = [_md(d.naam) for d in v.impacts[0].deelgebieden]
    out.append("| " + " | ".join([w["scenario"], *columns]) + " |")
    out.append("|" + "---|" * (len(columns) + 1))
    for imp in v.impacts:
        out.append("| " + " | ".join([_md(imp.scenario.naam(lang)),
                                      *(_md(samenvatting(d, lang)) for d in imp.deelgebieden)])
                   + " |")
    out += ["", f"## {w['criteria']}", ""]
    out.append("| " + " | ".join([w["scenario"], *(w[c] for c in ALLE), w["totaal"],
                                  w["rang"]]) + " |")
    out.append("|" + "---|" * (len(ALLE) + 3))
    for idx, imp in enumerate(v.impacts):
        cells = [_md(criterium_cel(v, idx, c, lang)) for c in ALLE]
        out.append("| " + " | ".join([_md(imp.scenario.naam(lang)), *cells,
                                      score_tekst(v.totaal[idx], lang),
                                      str(v.rang(idx) or "-")]) + " |")
    out += ["", f"[{w['score']}] {w['schaal']}.", "",
            f"{w['gewichten']}: " + ", ".join(f"{c} = {format_number(v.gewichten[c], lang)}"
                                              for c in CRITERIA),
            "", f"### {w['formules']}", ""]
    for c in ALLE:
        out.append(f"- **{_md(w[c])}** ({_richting(c, w)}): "
                   f"{_md(gettext(DEFINITIE[c].formule, lang))}")
        for imp, crit in zip(v.impacts, v.criteria, strict=True):
            out.append(f"  - {_md(imp.scenario.naam(lang))}: {_md(crit[c].formule)} = "
                       f"{waarde_tekst(c, crit[c].waarde, lang)}")
    out += ["", f"## {w['ranking']}", ""]
    for pos, idx in enumerate(v.ranking, start=1):
        out.append(f"{pos}. {_md(v.impacts[idx].scenario.naam(lang))} "
                   f"({score_tekst(v.totaal[idx], lang)})")
    out += ["", *(_md(niets(v, idx, lang)) for idx in v.niet_gerangschikt)]
    for imp in v.impacts:
        out += ["", f"## {_md(imp.scenario.naam(lang))}", "", f"<{imp.scenario.iri}>", ""]
        out += _md_lines(_details_text(imp, w, lang)[1:])
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- CSV


CSV_FIELDS = ("scenario", "scenario_iri", "deelgebied", "figuur", "waarde", "voor", "na",
              "verschil", "score", "formule", "items", "bronnen")


def _joined(items: Iterable[Item]) -> tuple[str, str]:
    items = list(items)
    return (" | ".join(i.iri for i in items),
            " | ".join(sorted({i.bron for i in items if i.bron})))


def _plain(value: float | None) -> str:
    return "" if value is None else _num(value)


def to_csv(v: Vergelijking, lang: str = "nl") -> str:
    """One row per figure: matrix cells, scenario figures, criteria and ranking (numbers
    plain, whatever the language)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n", restval="")
    writer.writeheader()
    for idx, (imp, crit) in enumerate(zip(v.impacts, v.criteria, strict=True)):
        base = {"scenario": imp.scenario.naam(lang), "scenario_iri": imp.scenario.iri}
        for d in imp.deelgebieden:
            figures = d.figures()
            lists = {
                "eindigt": [i for c in d.eindigt for i in c.voor],
                "wijzigt": [i for c in d.wijzigt for i in (*c.voor, *c.na)],
                "start": [i for c in d.start for i in c.na],
                "gaten": [i for c in d.eindigt for i in c.voor],
                "dubbel": d.dubbel_na, "contracten": [c.item() for c in d.contracten],
                "aanbieders": d.aanbieders, "partners": d.partners_na,
                "zetels": d.vertegenwoordiging, "stemmen": d.vertegenwoordiging,
            }
            pairs = {"gaten": (d.gaten_voor, d.gaten_na),
                     "dubbel": (len(d.dubbel_voor), len(d.dubbel_na)),
                     "partners": (len(d.partners_voor), len(d.partners_na))}
            if d.zetels:
                pairs["zetels"] = d.zetels
            if d.stemmen:
                pairs["stemmen"] = d.stemmen
            for key, _ in FIGUREN:
                if key not in figures:
                    continue
                iris, sources = _joined(lists[key])
                before, after = pairs.get(key, (None, None))
                writer.writerow({**base, "deelgebied": d.naam, "figuur": key,
                                 "waarde": _num(figures[key]), "voor": _plain(before),
                                 "na": _plain(after), "items": iris, "bronnen": sources})
        for key, items_voor, items_na in (
                ("partnerorganisaties", imp.partners_voor, imp.partners_na),
                ("arrangementen", imp.arrangementen_voor, imp.arrangementen_na),
                ("partnergemeenten", imp.partnergemeenten_voor, imp.partnergemeenten_na)):
            iris, sources = _joined(items_na)
            writer.writerow({**base, "figuur": key,
                             "waarde": _signed(len(items_na) - len(items_voor)),
                             "voor": len(items_voor), "na": len(items_na),
                             "verschil": _signed(len(items_na) - len(items_voor)),
                             "items": iris, "bronnen": sources})
        for key, items in (("lidmaatschappen-eind", imp.lidmaatschappen_eind),
                           ("lidmaatschappen-start", imp.lidmaatschappen_start)):
            iris, sources = _joined(items)
            writer.writerow({**base, "figuur": key, "waarde": len(items), "items": iris,
                             "bronnen": sources})
        for r in imp.reizen:
            before = len(r.voor.organisaties) + len(r.voor.overdrachten)
            after = len(r.na.organisaties) + len(r.na.overdrachten)
            writer.writerow({**base, "figuur": f"klantreis {r.naam}", "waarde": after,
                             "voor": before, "na": after, "verschil": _signed(after - before),
                             "formule": f"{len(r.na.organisaties)}+{len(r.na.overdrachten)} "
                                        "(organisaties+overdrachten)",
                             "items": " | ".join(r.na.organisaties)})
        for b in imp.bijdragen:
            writer.writerow({**base, "figuur": "bijdrage", "waarde": _num(b.bedrag),
                             "na": b.ontvangerNaam, "formule": b.toelichting,
                             "items": " | ".join(i.iri for i in b.bronnen),
                             "bronnen": _joined(b.bronnen)[1]})
        for m in imp.geld:
            for g in m.na:
                writer.writerow({**base, "figuur": f"geld {m.taakveld} {m.jaar}",
                                 "waarde": f"{g.bedrag:.2f}", "na": g.ontvangerNaam,
                                 "formule": g.toelichting, "items": g.ontvanger,
                                 "bronnen": _joined(m.voor[0].bronnen)[1] if m.voor else ""})
        for c in ALLE:
            k = crit[c]
            iris, sources = _joined(k.items)
            score = v.scores[idx].get(c) if c in CRITERIA else None
            weight = f"; gewicht {_num(v.gewichten[c])}" if c in CRITERIA else ""
            writer.writerow({**base, "figuur": f"criterium {c}", "waarde": _num(k.waarde),
                             "voor": _plain(k.voor), "na": _num(k.waarde),
                             "verschil": _plain(k.verschil), "score": _plain(score),
                             "formule": f"{k.formule}{weight}", "items": iris,
                             "bronnen": sources})
        writer.writerow({**base, "figuur": "totaal", "waarde": _plain(v.totaal[idx]),
                         "na": str(v.rang(idx) or "-"),
                         "formule": "som(gewicht x score) / som(gewichten); na = rang"})
    return out.getvalue()


# --------------------------------------------------------------------------- HTML


def _environment(lang: str) -> Environment:
    env = Environment(loader=FileSystemLoader(str(Path(__file__).parent)),
                      autoescape=select_autoescape(["html"]))
    env.filters["num"] = _num
    env.filters["signed"] = _signed
    env.filters["eur"] = lambda value: _eur(value, lang)
    env.filters["getal"] = lambda value, decimals=None: format_number(value, lang, decimals)
    env.globals.update(criterium_cel=criterium_cel, zinnen=zinnen, samenvatting=samenvatting,
                       waarde_tekst=waarde_tekst, score_tekst=score_tekst, niets=niets,
                       toegepast=toegepast, gettext=gettext)
    return env


def to_html(v: Vergelijking, lang: str = "nl", kaarten: list[Any] | None = None) -> str:
    """A self-contained, printable HTML report (inline CSS, no scripts, no other hosts);
    ``kaarten``: per scenario its partners map (:func:`sdgraph.maps.samenwerking`) or None,
    drawn inline as SVG with its table."""
    template = _environment(lang).get_template("report.html")
    w = words(lang)
    return template.render(v=v, w=w, lang=lang, criteria=CRITERIA, alle=ALLE,
                           definitie=DEFINITIE, richting=lambda key: _richting(key, w),
                           heading=_heading(v, w),
                           kaarten=kaarten or [None] * len(v.impacts))


# --------------------------------------------------------------------------- JSON


def to_dict(v: Vergelijking, lang: str = "nl") -> dict[str, object]:
    """Matrix figures, criteria (name, value, before, difference, formula, score), totals and
    ranking; plain numbers."""
    return {
        "gewichten": v.gewichten,
        "criteria": {c: {"naam": naam(c, lang), "eenheid": DEFINITIE[c].eenheid,
                         "richting": DEFINITIE[c].richting,
                         "formule": gettext(DEFINITIE[c].formule, lang)} for c in ALLE},
        "ranking": [v.impacts[i].scenario.iri for i in v.ranking],
        "scenarios": [
            {
                "iri": imp.scenario.iri,
                "naam": imp.scenario.naam(lang),
                "gemeente": imp.gemeente,
                "peildatum": imp.peildatum,
                "besluitdatum": imp.opzegdatum.isoformat(),
                "illustratief": imp.scenario.illustratief,
                "wijzigingen": imp.wijzigingen_tekst,
                "matrix": {d.deelgebied: {"naam": d.naam, **d.figures(),
                                          "tekst": samenvatting(d, lang)}
                           for d in imp.deelgebieden},
                "criteria": {c: {"waarde": crit[c].waarde, "voor": crit[c].voor,
                                 "verschil": crit[c].verschil, "formule": crit[c].formule,
                                 "score": v.scores[idx].get(c) if c in CRITERIA else None,
                                 "delen": [{"label": p.label, "voor": p.voor, "na": p.na}
                                           for p in crit[c].delen],
                                 "items": [i.to_dict() for i in crit[c].items]}
                             for c in ALLE},
                "totaal": v.totaal[idx],
                "rang": v.rang(idx),
                "verandert_niets": imp.verandert_niets,
            }
            for idx, (imp, crit) in enumerate(zip(v.impacts, v.criteria, strict=True))
        ],
    }
