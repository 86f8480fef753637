"""The content of the dossier, once, as blocks that each renderer (HTML for the PDF, Word,
Markdown) writes in its own way: a title page, the sections of the foto, maps where
there are any, and the verantwoording (every source with its date and licence).

Every text goes through the catalogue in the foto's language; every number is written in
that language's format and stands beside its source and period (a column, a caption or
the line under it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from ..i18n import format_date, gettext
from ..kerncijfers import getal
from ..output import text

if TYPE_CHECKING:
    from ..pages.foto import Foto, Vergelijking


@dataclass
class Kop:
    tekst: str
    niveau: int = 1


@dataclass
class Alinea:
    tekst: str
    soort: str = ""  # "", hint, notitie, bron


@dataclass
class Lijst:
    items: list[str]


@dataclass
class Tabel:
    kolommen: list[str]
    rijen: list[list[str]]
    bijschrift: str = ""
    breedtes: list[int] | None = None  # relative column widths
    getallen: tuple[int, ...] = ()  # columns of numbers (aligned right)


@dataclass
class Figuur:
    svg: str
    tabel: Tabel
    titel: str
    onderschrift: list[str] = field(default_factory=list)


@dataclass
class Pagina:
    """A page break."""


@dataclass
class Titelpagina:
    titel: str
    gemeente: str
    regels: list[tuple[str, str]]
    bronnen: list[str]


Blok = Kop | Alinea | Lijst | Tabel | Figuur | Pagina | Titelpagina


@dataclass
class Dossier:
    titel: str
    lang: str
    kop: str  # running header: title, gemeente, peildatum
    blokken: list[Blok]


def _n(value: float | None, decimals: int | None, lang: str) -> str:
    return getal(value, decimals, lang)


def _day(iso: str, lang: str) -> str:
    try:
        return format_date(date.fromisoformat(iso[:10]), lang)
    except ValueError:
        return iso


def dossier(foto: Foto, gemaakt: date | None = None) -> Dossier:
    """The blocks of ``foto``'s dossier; ``gemaakt``: the day it is made (default today)."""
    lang = foto.lang

    def _(message: str, **values: object) -> str:
        return gettext(message, lang, **values)

    naam = foto.naam or foto.code
    made = gemaakt or date.today()
    blocks: list[Blok] = []
    used = foto.bronnen_gebruikt()
    blocks.append(Titelpagina(
        _("Foto van het sociaal domein"), f"{naam} ({foto.code})",
        [(_("Peildatum"), _day(foto.peildatum, lang)),
         (_("Start collegeperiode"), _day(foto.sinds, lang)),
         (_("Gemaakt op"), format_date(made, lang)),
         (_("Vergelijkbare gemeenten"), foto.groep_omschrijving),
         (_("Regio"), foto.regio_naam or _("geen"))],
        [f"{b.tabel} — {b.titel} ({b.periode_bereik()})" for b in used]
        + [_("Inventaris en registers in de graaf: zie de verantwoording")]))
    blocks.append(Pagina())

    # 1. summary
    blocks.append(Kop(_("Samenvatting")))
    staten = foto.staten()
    if foto.afgeleid_beeld:
        blocks.append(Alinea(_("Geen inventaris: dit is het beeld dat sdgraph uit de registers "
                               "afleidt (gemeenschappelijke regelingen, regio-indelingen en de "
                               "wet). Elke afgeleide cel noemt haar regel en bewijs; bevestig of "
                               "corrigeer het met het voorgevulde inventarisbestand."), "notitie"))
    blocks.append(Tabel(
        [_("Onderwerp"), _("Aantal")],
        [[_("Partnerorganisaties"), str(len(foto.partner_organisaties))],
         [_("Vakken bevestigd (inventaris)"), str(staten["bevestigd"])],
         [_("Vakken afgeleid uit de registers"), str(staten["afgeleid"])],
         [_("Vakken eigen organisatie (aangenomen)"), str(staten["aangenomen"])],
         [_("Vakken onbekend (geen gegevens)"), str(staten["onbekend"])],
         [_("Mogelijk dubbel werk"), str(len(foto.matrix.double))],
         [_("Lopende contracten"), str(len(foto.contracten))],
         [_("Contracten die binnen {n} maanden aflopen", n=foto.maanden),
          str(len(foto.aflopend))],
         [_("Doelen"), str(len(foto.doelen))]],
        _("Bron: de graaf op de peildatum {datum} (inventaris van de gemeente en registers; zie "
          "de verantwoording).", datum=_day(foto.peildatum, lang)),
        [4, 1], (1,)))
    if foto.veranderingen:
        blocks.append(Alinea(foto.veranderingen.samenvatting))

    # 2. partners
    blocks.append(Kop(_("Partners per wet en deelgebied")))
    blocks.append(Alinea(_("Per wet en deelgebied: de organisaties buiten de gemeente, welke "
                           "taken zij daar uitvoeren, via welk arrangement en met hun status "
                           "(bevestigd uit de inventaris, afgeleid uit de registers met regel en "
                           "bewijs); daaronder wat de gemeente zelf doet en van welke taken niets "
                           "bekend is."), "hint"))
    rows = []
    afleidingen: dict[str, str] = {}  # "partner, rule" -> evidence, listed under the table
    cellen = foto.wet_cellen()
    for wet in dict.fromkeys(c.wet for c in cellen):
        row = [wet]
        for cel in (c for c in cellen if c.wet == wet):
            parts = []
            for p in cel.rollen:
                line = p.naam or p.uitvoerder
                if p.taken:
                    line += f": {', '.join(p.taken)}"
                how = [*p.arrangementen, foto.staat_tekst(p.staat)]
                if p.entry.regel_id:
                    how.append(_("regel {regel}", regel=p.entry.regel_id))
                    afleidingen.setdefault(f"{p.naam or p.uitvoerder}, {p.entry.regel_id}",
                                           p.entry.bewijs)
                line += f" ({', '.join(how)})"
                parts.append(line)
            parts += [_("eigen organisatie ({status}): {taken}", status=foto.staat_tekst(st),
                        taken=", ".join(taken)) for st, taken in cel.eigen.items() if taken]
            if cel.onbekend:
                parts.append(_("onbekend: {taken}", taken=", ".join(cel.onbekend)))
            row.append("; ".join(parts))
        rows.append(row)
    if rows:
        blocks.append(Tabel([_("Wet")] + [c.label for c in foto.matrix.columns], rows,
                            _("Bron: wie doet wat op {datum} (inventaris en registers).",
                              datum=_day(foto.peildatum, lang)),
                            [2] + [3] * len(foto.matrix.columns)))
        if afleidingen:
            blocks.append(Alinea(_("Afgeleide en aangenomen partners met hun regel en bewijs "
                                   "(docs/baseline.md):"), "hint"))
            blocks.append(Lijst([f"{wie}: {bewijs}" if bewijs else wie
                                 for wie, bewijs in sorted(afleidingen.items())]))
    else:
        blocks.append(Alinea(_("Geen taakuitvoeringen in de graaf voor deze gemeente op de "
                               "peildatum.")))
    blocks.append(Alinea(_("Van {n} van de {total} combinaties van taak en deelgebied is op de "
                           "peildatum niet bekend wie ze uitvoert: de inventaris en de registers "
                           "zeggen er niets over. Dat is een gat in de gegevens, niet per se in "
                           "de uitvoering.", n=staten["onbekend"],
                           total=len(foto.matrix.rows) * len(foto.matrix.columns))))
    if foto.matrix.double:
        blocks.append(Lijst([_("{taak}, {deelgebied}: meer dan één uitvoerder", taak=r.label,
                               deelgebied=c.label) for r, c in foto.matrix.double]))

    # 3. changes
    blocks.append(Kop(_("Wat veranderde sinds de start van de collegeperiode")))
    if foto.veranderingen:
        blocks.append(Alinea(foto.veranderingen.samenvatting))
        if foto.veranderingen.zinnen:
            blocks.append(Lijst(foto.veranderingen.zinnen))
    if foto.wijzigingen:
        blocks.append(Tabel(
            [_("Datum"), _("Soort"), _("Onderwerp"), _("Organisatie"), _("Toelichting")],
            [[text(w.get("datum")), text(w.get("soort")),
              text(w.get("onderwerpNaam")) or text(w.get("onderwerp")),
              text(w.get("organisatieNaam")), text(w.get("toelichting"))]
             for w in foto.wijzigingen],
            _("Gebeurtenissen tussen {van} en {tot}; bron: de registers en de inventaris in de "
              "graaf.", van=foto.sinds, tot=foto.peildatum), [2, 3, 3, 3, 4]))

    # 4. contracts
    blocks.append(Kop(_("Contracten")))
    if foto.contracten:
        blocks.append(Tabel(
            [_("Overeenkomst"), _("Rol van de gemeente"), _("Einddatum"),
             _("Uiterste opzegdatum"), _("Jaarwaarde (EUR)")],
            [[text(c.get("naam")) or text(c.get("overeenkomst")), _(text(c.get("rol"))),
              text(c.get("einddatum")) or _("geen"), text(c.get("uitersteOpzegdatum")),
              _n(float(text(c["jaarwaardeEUR"])), 0, lang) if c.get("jaarwaardeEUR") else ""]
             for c in foto.contracten],
            _("Lopend op {datum}; bron: overeenkomsten in de inventaris.",
              datum=_day(foto.peildatum, lang)), [5, 2, 2, 2, 2], (4,)))
    else:
        blocks.append(Alinea(_("Geen lopende contracten in de graaf op de peildatum.")))
    blocks.append(Kop(_("Contracten die binnen {n} maanden aflopen", n=foto.maanden), 2))
    if foto.aflopend:
        blocks.append(Tabel(
            [_("Overeenkomst"), _("Einddatum"), _("Opzegtermijn (maanden)"),
             _("Uiterste opzegdatum"), _("Jaarwaarde (EUR)")],
            [[text(c.get("naam")) or text(c.get("overeenkomst")), text(c.get("einddatum")),
              text(c.get("opzegtermijnMaanden")), text(c.get("uitersteOpzegdatum")),
              _n(float(text(c["jaarwaardeEUR"])), 0, lang) if c.get("jaarwaardeEUR") else ""]
             for c in foto.aflopend],
            _("Aflopend tussen {van} en {n} maanden later; bron: overeenkomsten in de "
              "inventaris.", van=foto.peildatum, n=foto.maanden), [5, 2, 2, 2, 2], (2, 4)))
    else:
        blocks.append(Alinea(_("Geen contracten in de graaf die binnen {n} maanden na de "
                               "peildatum aflopen.", n=foto.maanden)))

    # 5. key figures
    blocks.append(Pagina())
    blocks.append(Kop(_("Kerncijfers door de tijd, naast het land en vergelijkbare gemeenten")))
    if foto.vergelijkingen:
        blocks += _kerncijfers(foto, _)
    else:
        blocks.append(Alinea(_("Geen CBS-kerncijfers voor deze gemeente in de graaf (ze komen "
                               "uit de referentiegraaf).")))

    # 6. goals
    blocks.append(Kop(_("Doelen")))
    if foto.doelen:
        rows = []
        for d in foto.doelen:
            dec = d.reeks.definitie.decimalen if d.reeks else 1
            rows.append([
                d.doel.naam + (f" ({_('illustratief')})" if d.doel.illustratief else ""),
                d.reeks.definitie.naam if d.reeks else d.doel.indicator,
                f"{_n(d.start.waarde, dec, lang)} ({d.start.periode.label(lang)})"
                if d.start else "–",
                f"{_n(d.laatste.waarde, dec, lang)} ({d.laatste.periode.label(lang)})"
                if d.laatste else "–",
                f"{_n(d.doel.streefwaarde, dec, lang)} ({d.doel.streefdatum})",
                d.status_tekst(lang), d.doel.bron_document])
        blocks.append(Tabel(
            [_("Doel"), _("Kerncijfer"), _("Start"), _("Laatste meting"), _("Streefwaarde"),
             _("Status"), _("Brondocument")], rows,
            _("Metingen: de kerncijfers (bronnen in de verantwoording); doelen: de inventaris "
              "van de gemeente."), [4, 3, 2, 2, 2, 2, 3]))
    else:
        blocks.append(Alinea(_("Geen doelen vastgelegd. Een gemeente legt haar doelen vast op "
                               "het blad Doelen van de inventaris (of in Turtle) en laadt ze met "
                               "haar inventaris.")))

    # 7. maps
    if foto.kaarten:
        blocks.append(Pagina())
        blocks.append(Kop(_("Kaarten")))
        for kaart in foto.kaarten:
            blocks.append(Figuur(kaart.svg, Tabel(kaart.kolommen, kaart.rijen), kaart.titel,
                                 [kaart.bron]))

    # 8. verantwoording
    blocks.append(Pagina())
    blocks += _verantwoording(foto, used, made, _)
    return Dossier(_("Foto van het sociaal domein"), lang,
                   f"{_('Foto van het sociaal domein')} · {naam} · {_('peildatum')} "
                   f"{foto.peildatum}", blocks)


def _kerncijfers(foto: Foto, _) -> list[Blok]:
    lang = foto.lang
    out: list[Blok] = [
        Alinea(_("Vergelijkbare gemeenten: {omschrijving} ({n} gemeenten: {namen}).",
                 omschrijving=foto.groep_omschrijving, n=len(foto.groep.leden),
                 namen=foto.groep_namen())),
    ]
    if foto.groep_notitie:
        out.append(Alinea(foto.groep_notitie, "notitie"))
    if foto.regio:
        out.append(Alinea(_("Regio: {regio} ({n} gemeenten).", regio=foto.regio_naam,
                            n=len(foto.regio_leden))))
    if foto.regio_notitie:
        out.append(Alinea(foto.regio_notitie, "notitie"))
    out.append(Alinea(_("Alle perioden in de bronnen, ongeacht de peildatum. Iv3: lasten per "
                        "inwoner in euro, de laatste jaarrekening in de tabel, begrotingen en "
                        "jaarrekeningen in de grafiek; rang 1 is de hoogste waarde."), "hint"))
    rows = []
    for v in foto.vergelijkingen:
        rows.append([f"{v.naam}{f' ({v.eenheid})' if v.eenheid else ''}", v.periode_label,
                     _n(v.waarde, v.decimalen, lang), _n(v.mediaan, v.decimalen, lang),
                     _n(v.groep_mediaan, v.decimalen, lang),
                     _n(v.regio_mediaan, v.decimalen, lang),
                     f"{v.rang or '–'}/{v.aantal}", f"{v.groep_rang or '–'}/{v.groep_aantal}",
                     v.bron_kort])
    out.append(Tabel(
        [_("Kerncijfer"), _("Periode"), foto.naam or foto.code, _("Land (mediaan)"),
         _("Vergelijkbaar (mediaan)"), _("Regio (mediaan)"), _("Rang land"), _("Rang groep"),
         _("Bron")], rows, _("De volledige bron van elk kerncijfer (taakvelden met hun namen, "
                             "codelijst) staat bij zijn grafiek."),
        [6, 3, 2, 2, 3, 2, 2, 2, 5], (2, 3, 4, 5, 6, 7)))
    out.append(Kop(_("Sinds de start van de collegeperiode ({datum})",
                     datum=_day(foto.sinds, lang)), 2))
    marks = "¹²³⁴"
    changes = [v.verandering + "".join(marks[foto.noot_nummer(k) - 1] for k in v.noten)
               for v in foto.vergelijkingen if v.verandering]
    out.append(Lijst(changes) if changes else Alinea(
        _("Geen kerncijfer met twee perioden van dezelfde soort.")))
    for key in foto.noten_gebruikt():
        out.append(Alinea(f"{marks[foto.noot_nummer(key) - 1]} {foto.noot_tekst(key)}", "hint"))
    for i, v in enumerate(foto.vergelijkingen, start=1):
        if v.reeks is None:
            continue
        table = Tabel(
            [_("Periode"), foto.naam or foto.code, _("Vergelijkbaar"), _("Land"), _("Rang")],
            [[p.periode.label(lang), _n(p.waarde, v.decimalen, lang),
              _n(p.groep_mediaan, v.decimalen, lang), _n(p.mediaan, v.decimalen, lang),
              f"{p.rang or '–'}/{p.aantal}"] for p in v.reeks.punten],
            "", [4, 2, 2, 2, 2], (1, 2, 3, 4))
        notes = [*v.notities, _("Bron") + ": " + v.bron,
                 _("Reeks") + ": " + v.bronnen_tekst(lang)]
        if v.verandering:
            notes.insert(0, v.verandering + "".join(f" ({n})" for n in foto.noten_tekst(v)))
        out.append(Figuur(foto.grafiek(v, i),
                          table, f"{v.naam}{f' ({v.eenheid})' if v.eenheid else ''}", notes))
    return out


def _verantwoording(foto: Foto, used, made: date, _) -> list[Blok]:
    lang = foto.lang
    out: list[Blok] = [Kop(_("Verantwoording"))]
    out.append(Alinea(_("Dit dossier is op {datum} gemaakt met sdgraph uit de gegevens in de "
                        "graaf. Hieronder elke bron met zijn datum en licentie.",
                        datum=format_date(made, lang))))
    out.append(Kop(_("Bronnen van de kerncijfers"), 2))
    if used:
        out.append(Tabel(
            [_("Bron"), _("Titel"), _("Perioden"), _("Uitgever"), _("Licentie"), _("Geladen")],
            [[b.tabel, b.titel + (f" ({_('taakveldnamen')}: {b.lijst_titel})"
                                  if b.lijst_titel else ""),
              b.periode_bereik(), b.uitgever, b.licentie, b.geladen] for b in used],
            "", [3, 4, 2, 3, 3, 2]))
    else:
        out.append(Alinea(_("Geen kerncijfers.")))
    out.append(Kop(_("Geladen gegevens"), 2))
    rows = []
    for r in foto.herkomst:
        graaf = text(r.get("graaf"))
        if not _relevant(graaf, foto.code):
            continue
        files = ", ".join(f.strip().replace("\\", "/").rsplit("/", 1)[-1]
                          for f in text(r.get("bron")).split(",") if f.strip())
        rows.append([text(r.get("titel")) or graaf.rsplit("/graph/", 1)[-1],
                     files, text(r.get("uitgever")), text(r.get("licentie")),
                     text(r.get("uitgegeven"))[:10], text(r.get("geladen"))[:10]])
    if rows:
        out.append(Tabel([_("Graaf"), _("Bronbestand"), _("Uitgever"), _("Licentie"),
                          _("Datum van de gegevens"), _("Geladen")], rows,
                         _("Uit de herkomst die de store bij elke lading vastlegt (graph/meta)."),
                         [4, 4, 3, 3, 2, 2]))
    out.append(Kop(_("Werkwijze"), 2))
    out.append(Lijst([
        _("Vergelijkbare gemeenten: dezelfde gemeentegrootte en stedelijkheid in de laatste "
          "Iv3-levering (kolommen van CBS); zijn dat er naast de gemeente minder dan drie, dan "
          "alle gemeenten van dezelfde gemeentegrootte. Een eigen keuze gaat voor."),
        _("Regio: de jeugdregio, anders de arbeidsmarktregio, Wmo-regio of centrumgemeente "
          "BW/MO; een regio met minder dan drie andere gemeenten wordt overgeslagen."),
        _("Medianen: over alle gemeenten met een waarde in die periode; in de groep en de "
          "regio over de leden met een waarde, de gemeente zelf meegeteld."),
        _("Iv3-lasten per inwoner: de lasten van de genoemde taakvelden opgeteld, gedeeld door "
          "het inwonertal van dezelfde levering; de taakvelden van 2025 zijn opgeteld tot de "
          "reeksen van 2023-2024 (zie de toelichting per kerncijfer)."),
        _("Verandering sinds de start van de collegeperiode: van de periode waarin die datum "
          "valt (anders de eerste in de bronnen) tot de laatste met een waarde."),
        _("Doelen: op koers als de laatste meting minstens zo ver is als een rechte lijn van "
          "de startwaarde naar de streefwaarde op dat moment."),
        _("Gemaakt met sdgraph; documentatie in docs/foto.md."),
    ]))
    return out


def _relevant(graph: str, code: str) -> bool:
    """The graphs a foto rests on: reference registers, derived facts, examples, loaded files
    and this gemeente's own inventory (not another gemeente's, nor history or scenarios)."""
    tail = graph.rsplit("/graph/", 1)[-1]
    if tail.startswith(("historie/", "staging/", "scenario")) or tail in ("meta", "ontology"):
        return False
    if tail.startswith("inventaris/"):
        return tail.split("/")[1].lower() == code.lower()
    return True


def vergelijking_titel(v: Vergelijking) -> str:
    return f"{v.naam}{f' ({v.eenheid})' if v.eenheid else ''}"
