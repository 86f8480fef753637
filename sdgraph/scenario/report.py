"""The comparison as text (terminal), Markdown, CSV and a self-contained printable HTML file.

All four show the same numbers: the N x 5 matrix (scenario x deelgebied), the
criteria with their formulas, weights, scores and ranking, and per scenario the
items behind every figure with their sources.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterable
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..i18n import N_, format_number, gettext
from .figures import DeelgebiedImpact, Impact, Item
from .vergelijking import CRITERIA, HIGHER_IS_BETTER, Vergelijking

#: The figures of a matrix cell: key, short code (text table), and whether a rise is a change
#: of a count ("delta") or a plain number.
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
    "niets": N_("{scenario} verandert niets voor {gemeente} op {peildatum} (geen cel, "
                "lidmaatschap, zetel, contract of geldstroom): niet gerangschikt."),
    "gewicht": N_("gewicht"),
    "formules": N_("Formules"),
    "totaal": N_("Totaal"),
    "rang": N_("Rang"),
    "voor": N_("voor"),
    "na": N_("na"),
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
    "zeggenschap": N_("Zeggenschap (%)"),
    "integraal": N_("Integraal werken"),
    "complexiteit": N_("Complexiteit"),
    "kosten": N_("Kosten (EUR)"),
    "risico": N_("Transitierisico"),
    "hoger": N_("hoger is beter"),
    "lager": N_("lager is beter"),
    "schaal": N_("score 0-10 per criterium over de vergeleken scenario's (10 = best; gelijk: "
                  "allemaal 10); totaal = som(gewicht x score) / som(gewichten)"),
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
    "waarschuwing": N_("Gegevens met het label 'illustratief' zijn verzonnen voorbeelden."),
    "gegenereerd": N_("Gemaakt met sdgraph uit de kennisgraaf; elk getal is terug te voeren op "
                      "de genoemde knopen (IRI's) en hun bronnen."),
}


def words(lang: str) -> dict[str, str]:
    """The words of the reports in ``lang``."""
    return {key: gettext(text, lang) for key, text in WORDS.items()}


def _num(value: float) -> str:
    if value == int(value):
        return f"{int(value)}"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _signed(value: float) -> str:
    return ("+" if value > 0 else "") + _num(value)


def niets(v: Vergelijking, index: int, w: dict[str, str], lang: str) -> str:
    """The sentence for a scenario that changes nothing for its gemeente."""
    imp = v.impacts[index]
    return w["niets"].format(scenario=imp.scenario.naam(lang), gemeente=imp.gemeenteNaam,
                             peildatum=imp.peildatum)


def cell_code(d: DeelgebiedImpact) -> str:
    """The compact text of one matrix cell: 'w4 c2 a2 p-1' ('-' when nothing changes)."""
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


def _value(key: str, value: float, lang: str) -> str:
    """A criterion's value: amounts in euro grouped in the language's format (CLDR)."""
    if key == "kosten":
        return format_number(value, lang, 0)
    return _num(value)


def _heading(v: Vergelijking, w: dict[str, str]) -> str:
    first = v.impacts[0]
    dates = {(i.peildatum, i.opzegdatum.isoformat()) for i in v.impacts}
    when = "; ".join(f"{w['peildatum']} {p}, {w['besluitdatum']} {b}" for p, b in sorted(dates))
    return f"{w['titel']}: {first.gemeenteNaam} ({when})"


def to_text(v: Vergelijking, lang: str = "nl", details: bool = False) -> str:
    w = words(lang)
    out = [_heading(v, w), ""]
    columns = [_md(d.naam) for d in v.impacts[0].deelgebieden]
    out.append(w["matrix"])
    out.append(_table([w["scenario"], *columns],
                      [[i.scenario.naam(lang), *(cell_code(d) for d in i.deelgebieden)]
                       for i in v.impacts]))
    out.append(f"{w['legenda']}: {w['legenda_tekst']}")
    out += ["", f"{w['criteria']} ({w['na']}; {w['voor']} -> {w['na']})"]
    header = [w["scenario"], *(w[c] for c in CRITERIA), w["totaal"], w["rang"]]
    rows = []
    for idx, (imp, crit) in enumerate(zip(v.impacts, v.criteria, strict=True)):
        cells = []
        for c in CRITERIA:
            k = crit[c]
            before = f" ({_value(c, k.voor, lang)})" if c in ("zeggenschap", "integraal",
                                                          "complexiteit") else ""
            cells.append(f"{_value(c, k.waarde, lang)}{before} [{_num(v.scores[idx][c])}]")
        rows.append([imp.scenario.naam(lang), *cells, _num(v.totaal[idx]),
                     str(v.rang(idx) or "-")])
    out.append(_table(header, rows))
    out.append(f"[..] = {w['score']}; {w['schaal']}")
    out.append(f"{w['gewichten']}: " + ", ".join(f"{c}={_num(v.gewichten[c])}" for c in CRITERIA))
    out += ["", f"{w['formules']}:"]
    for c in CRITERIA:
        out.append(f"  {w[c]} ({w['hoger'] if HIGHER_IS_BETTER[c] else w['lager']}):")
        for imp, crit in zip(v.impacts, v.criteria, strict=True):
            out.append(f"    {imp.scenario.naam(lang)}: {crit[c].formule} = "
                       f"{_value(c, crit[c].waarde, lang)}")
    out += ["", f"{w['ranking']}:"]
    for pos, idx in enumerate(v.ranking, start=1):
        out.append(f"  {pos}. {v.impacts[idx].scenario.naam(lang)} ({_num(v.totaal[idx])})")
    out += [f"  {niets(v, idx, w, lang)}" for idx in v.niet_gerangschikt]
    if details:
        for imp in v.impacts:
            out += ["", *_details_text(imp, w, lang)]
    return "\n".join(out) + "\n"


def _items(items: Iterable[Item], indent: str = "      ") -> list[str]:
    lines = []
    for i in items:
        extra = [x for x in (i.detail, f"bron: {i.bron}" if i.bron else "",
                             "illustratief" if i.illustratief else "") if x]
        lines.append(f"{indent}- {i.label} <{i.iri}>" + (f" [{'; '.join(extra)}]" if extra else ""))
    return lines


def _details_text(imp: Impact, w: dict[str, str], lang: str) -> list[str]:
    s = imp.scenario
    out = [f"== {s.naam(lang)} <{s.iri}>" + (f" ({w['illustratief']})" if s.illustratief else "")]
    for ch in s.wijzigingen:
        out.append(f"  {w['wijzigingen']}: {ch.soort} {ch.label}".rstrip())
    for d in imp.deelgebieden:
        lines = []
        for key in ("eindigt", "wijzigt", "start"):
            for c in getattr(d, key):
                before = ", ".join(i.label.split(": ", 1)[-1] for i in c.voor) or "-"
                after = ", ".join(i.label.split(": ", 1)[-1] for i in c.na) or "-"
                lines.append(f"    {w[key]}: {c.taakNaam}: {before} -> {after}")
                lines += _items([*c.voor, *c.na])
        for c in d.contracten:
            kosten = "?" if c.frictiekosten is None else _value("kosten", c.frictiekosten, lang)
            lines.append(f"    {w[c.actie]}: {c.naam} ({w['vroegste']} "
                         f"{c.vroegste_einde or '?'}; {w['frictiekosten']} {kosten})")
        if d.zetels and d.zetels[0] != d.zetels[1]:
            lines.append(f"    {w['zetels']} {_num(d.zetels[0])} -> {_num(d.zetels[1])}, "
                         f"{w['stemmen']} {_num(d.stemmen[0])} -> {_num(d.stemmen[1])}")
            lines += _items(d.vertegenwoordiging)
        if lines:
            out.append(f"  [{d.naam}]")
            out += lines
    for key, items in (("eindigen", imp.lidmaatschappen_eind),
                       ("starten", imp.lidmaatschappen_start)):
        if items:
            out.append(f"  {w['lidmaatschappen']} {w[key]}:")
            out += _items(items, "    ")
    for m in imp.geld:
        out.append(f"  {w['geld']} ({m.uitleg}): {_value('kosten', m.totaal, lang)} -> "
                   + ", ".join(f"{g.ontvangerNaam} {_value('kosten', g.bedrag, lang)}"
                               for g in m.na))
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
                                      *(cell_code(d) for d in imp.deelgebieden)]) + " |")
    out += ["", f"{w['legenda']}: {w['legenda_tekst']}", "", f"## {w['criteria']}", ""]
    out.append("| " + " | ".join([w["scenario"], *(w[c] for c in CRITERIA), w["totaal"],
                                  w["rang"]]) + " |")
    out.append("|" + "---|" * (len(CRITERIA) + 3))
    for idx, (imp, crit) in enumerate(zip(v.impacts, v.criteria, strict=True)):
        cells = [f"{_value(c, crit[c].waarde, lang)} ({_num(v.scores[idx][c])})" for c in CRITERIA]
        out.append("| " + " | ".join([_md(imp.scenario.naam(lang)), *cells, _num(v.totaal[idx]),
                                      str(v.rang(idx) or "-")]) + " |")
    out += ["", f"({w['score']}) {w['schaal']}.", "",
            f"{w['gewichten']}: " + ", ".join(f"{c} = {_num(v.gewichten[c])}" for c in CRITERIA),
            "", f"### {w['formules']}", ""]
    for c in CRITERIA:
        out.append(f"- **{w[c]}** ({w['hoger'] if HIGHER_IS_BETTER[c] else w['lager']})")
        for imp, crit in zip(v.impacts, v.criteria, strict=True):
            out.append(f"  - {_md(imp.scenario.naam(lang))}: {_md(crit[c].formule)} = "
                       f"{_value(c, crit[c].waarde, lang)}")
    out += ["", f"## {w['ranking']}", ""]
    for pos, idx in enumerate(v.ranking, start=1):
        out.append(f"{pos}. {_md(v.impacts[idx].scenario.naam(lang))} ({_num(v.totaal[idx])})")
    out += ["", *(_md(niets(v, idx, w, lang)) for idx in v.niet_gerangschikt)]
    for imp in v.impacts:
        out += ["", f"## {_md(imp.scenario.naam(lang))}", "", f"<{imp.scenario.iri}>", ""]
        out += _md_lines(_details_text(imp, w, lang)[1:])
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- CSV


CSV_FIELDS = ("scenario", "scenario_iri", "deelgebied", "figuur", "waarde", "voor", "na",
              "formule", "items", "bronnen")


def _joined(items: Iterable[Item]) -> tuple[str, str]:
    items = list(items)
    return (" | ".join(i.iri for i in items),
            " | ".join(sorted({i.bron for i in items if i.bron})))


def to_csv(v: Vergelijking, lang: str = "nl") -> str:
    """One row per figure: matrix cells, scenario figures, criteria and ranking."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
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
                before, after = pairs.get(key, ("", ""))
                writer.writerow({**base, "deelgebied": d.naam, "figuur": key,
                                 "waarde": _num(figures[key]), "voor": _opt(before),
                                 "na": _opt(after), "formule": "", "items": iris,
                                 "bronnen": sources})
        for key, items_voor, items_na in (
                ("partnerorganisaties", imp.partners_voor, imp.partners_na),
                ("arrangementen", imp.arrangementen_voor, imp.arrangementen_na),
                ("partnergemeenten", imp.partnergemeenten_voor, imp.partnergemeenten_na)):
            iris, sources = _joined(items_na)
            writer.writerow({**base, "deelgebied": "", "figuur": key,
                             "waarde": _signed(len(items_na) - len(items_voor)),
                             "voor": len(items_voor), "na": len(items_na), "formule": "",
                             "items": iris, "bronnen": sources})
        for key, items in (("lidmaatschappen-eind", imp.lidmaatschappen_eind),
                           ("lidmaatschappen-start", imp.lidmaatschappen_start)):
            iris, sources = _joined(items)
            writer.writerow({**base, "deelgebied": "", "figuur": key, "waarde": len(items),
                             "voor": "", "na": "", "formule": "", "items": iris,
                             "bronnen": sources})
        for r in imp.reizen:
            writer.writerow({**base, "deelgebied": "", "figuur": f"klantreis {r.naam}",
                             "waarde": (len(r.na.organisaties) + len(r.na.overdrachten))
                             - (len(r.voor.organisaties) + len(r.voor.overdrachten)),
                             "voor": f"{len(r.voor.organisaties)}+{len(r.voor.overdrachten)}",
                             "na": f"{len(r.na.organisaties)}+{len(r.na.overdrachten)}",
                             "formule": "organisaties+overdrachten",
                             "items": " | ".join(r.na.organisaties), "bronnen": ""})
        for m in imp.geld:
            for g in m.na:
                writer.writerow({**base, "deelgebied": "", "figuur": f"geld {m.taakveld} {m.jaar}",
                                 "waarde": f"{g.bedrag:.2f}", "voor": "", "na": g.ontvangerNaam,
                                 "formule": g.toelichting, "items": g.ontvanger,
                                 "bronnen": _joined(m.voor[0].bronnen)[1] if m.voor else ""})
        for c in CRITERIA:
            iris, sources = _joined(crit[c].items)
            writer.writerow({**base, "deelgebied": "", "figuur": f"criterium {c}",
                             "waarde": _num(crit[c].waarde), "voor": _num(crit[c].voor),
                             "na": _num(v.scores[idx][c]),
                             "formule": f"{crit[c].formule}; score {_num(v.scores[idx][c])}, "
                                        f"gewicht {_num(v.gewichten[c])}",
                             "items": iris, "bronnen": sources})
        writer.writerow({**base, "deelgebied": "", "figuur": "totaal",
                         "waarde": _num(v.totaal[idx]), "voor": "", "na": str(v.rang(idx) or "-"),
                         "formule": "som(gewicht x score) / som(gewichten); na = rang",
                         "items": "", "bronnen": ""})
    return out.getvalue()


def _opt(value: object) -> str:
    return "" if value == "" else _num(float(value))  # type: ignore[arg-type]


# --------------------------------------------------------------------------- HTML


def _environment(lang: str) -> Environment:
    env = Environment(loader=FileSystemLoader(str(Path(__file__).parent)),
                      autoescape=select_autoescape(["html"]))
    env.filters["num"] = _num
    env.filters["signed"] = _signed
    env.filters["eur"] = lambda value: _value("kosten", value, lang)
    env.globals["cell_code"] = cell_code
    return env


def to_html(v: Vergelijking, lang: str = "nl") -> str:
    """A self-contained, printable HTML report (inline CSS, no scripts, no other hosts)."""
    template = _environment(lang).get_template("report.html")
    return template.render(v=v, w=words(lang), lang=lang, criteria=CRITERIA, niets=niets,
                           higher=HIGHER_IS_BETTER, heading=_heading(v, words(lang)),
                           figuren=FIGUREN, delta=DELTA)


# --------------------------------------------------------------------------- JSON


def to_dict(v: Vergelijking, lang: str = "nl") -> dict[str, object]:
    """Matrix figures, criteria (value, before, formula, score), totals and ranking."""
    return {
        "gewichten": v.gewichten,
        "ranking": [v.impacts[i].scenario.iri for i in v.ranking],
        "scenarios": [
            {
                "iri": imp.scenario.iri,
                "naam": imp.scenario.naam(lang),
                "gemeente": imp.gemeente,
                "peildatum": imp.peildatum,
                "besluitdatum": imp.opzegdatum.isoformat(),
                "illustratief": imp.scenario.illustratief,
                "matrix": {d.deelgebied: {"naam": d.naam, **d.figures()}
                           for d in imp.deelgebieden},
                "criteria": {c: {"waarde": crit[c].waarde, "voor": crit[c].voor,
                                 "formule": crit[c].formule, "score": v.scores[idx][c],
                                 "items": [i.to_dict() for i in crit[c].items]}
                             for c in CRITERIA},
                "totaal": v.totaal[idx],
                "rang": v.rang(idx),
                "verandert_niets": imp.verandert_niets,
            }
            for idx, (imp, crit) in enumerate(zip(v.impacts, v.criteria, strict=True))
        ],
    }
