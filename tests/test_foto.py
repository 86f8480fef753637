"""The foto van het sociaal domein: partners, gaps, contracts and key figures beside the
national median and a regio, on both backends; the page, its JSON, the CLI; the
result cache expiring with the store's version.

Key figures come from tests/data/foto/kerncijfers.ttl (made-up numbers); the
expected medians and ranks below are computed by hand from that file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import SOURCES, get_page, without_baseline

from sdgraph.build import init_store
from sdgraph.cli import main
from sdgraph.pages.foto import foto
from sdgraph.queries import QueryLibrary
from sdgraph.store import EmbeddedStore, Store

ROOT = Path(__file__).resolve().parent.parent
KERNCIJFERS = ROOT / "tests" / "data" / "foto" / "kerncijfers.ttl"
GM0823 = "https://identifier.overheid.nl/tooi/id/gemeente/gm0823"
KEMPEN = "https://identifier.overheid.nl/tooi/id/so/so0665"
PEIL = "2020-07-02"


def runner(store: Store):
    library = QueryLibrary()
    return lambda name, values: library.get(name).run(store, dict(values)).dicts()


@pytest.fixture
def loaded(store: Store) -> Store:
    """The example with key figures, without the baseline: its partners are counted by hand
    (the foto over the baseline: test_baseline.py)."""
    init_store(store, "oirschot", SOURCES)
    store.load_files([KERNCIJFERS])
    return without_baseline(store)


def test_key_figures_beside_median_and_regio(loaded: Store) -> None:
    result = foto(runner(loaded), GM0823, PEIL, regio=KEMPEN)
    figures = {v.maatstaf: v for v in result.vergelijkingen}
    # in the order of data/vocab/kerncijfers.ttl; the fixture has no other figures
    assert list(figures) == ["iv3-lasten-6.71", "wmo-clienten-per-1000-inwoners"]
    lasten = figures["iv3-lasten-6.71"]
    # the headline is the latest jaarrekening: (6.71 + 6.71a) / inwonertal, Oirschot
    # (1,000,000 + 900,000) / 19,000 = 100
    assert lasten.waarde == pytest.approx(100.0)
    assert (lasten.per, lasten.dataset, lasten.periode) == (1, "iv3-2023-jaarrekening", "2023")
    # national: 150, 120, 110, 100, 80, 50 -> median 105, Oirschot 4th of 6
    assert lasten.mediaan == pytest.approx(105.0)
    assert (lasten.rang, lasten.aantal) == (4, 6)
    # Kempen (5 members, Eindhoven is not one): 100, 80, 120, 50, 150 -> median 100
    assert sorted(w.code for w in lasten.regio) == [
        "GM0770", "GM0823", "GM1667", "GM1724", "GM1728"]
    assert lasten.regio_mediaan == pytest.approx(100.0)
    # the source names the Iv3 file, the taakvelden with their names from the code list
    assert "CBS Iv3 2023 jaarrekening" in lasten.bron
    assert "6.71 Maatwerkdienstverlening 18+, 6.71a Huishoudelijke hulp (WMO)" in lasten.bron
    assert "Iv3 definitiebestand (test), Gemeente, boekjaar 2024" in lasten.bron
    # the series: jaarrekening 2023, then begroting 2025 with the new taakvelden 6.711 and
    # 6.791 added up: Oirschot (1,000,000 + 200,000) / 20,000 = 60, Bergeijk 100
    points = [(p.periode.soort, p.periode.periode, p.waarde, p.mediaan, p.codes)
              for p in lasten.reeks.punten]
    assert points == [("jaarrekening", "2023", pytest.approx(100.0), pytest.approx(105.0),
                       ("6.71", "6.71a")),
                      ("begroting", "2025", pytest.approx(60.0), pytest.approx(80.0),
                       ("6.711", "6.791"))]
    wmo = figures["wmo-clienten-per-1000-inwoners"]
    # the latest half year (the year 2023 is not part of the half-year series):
    # 52, 60, 70, 40, 65, 80 -> median 62.5, Oirschot 5th of 6
    assert (wmo.periode, wmo.per, wmo.waarde) == ("2023H2", None, 52.0)
    assert wmo.mediaan == pytest.approx(62.5)
    assert (wmo.rang, wmo.aantal) == (5, 6)
    assert [p.periode.periode for p in wmo.reeks.punten] == ["2022H1", "2022H2", "2023H1",
                                                            "2023H2"]
    assert wmo.bron == "CBS StatLine 86050NED (Wmo-cliënten per gemeente (test)), 2023, 2e halfjaar"
    # every kerncijfer nationally in its headline period (what a map colours)
    from sdgraph.pages.foto import figuren

    maps = {f.maatstaf: f for f in figuren(runner(loaded))}
    assert [(f.dataset, f.periode, len(f.waarden)) for f in maps.values()] == [
        ("iv3-2023-jaarrekening", "2023", 6), ("cbs-86050NED", "2023H2", 6)]
    assert maps["iv3-lasten-6.71"].waarden[GM0823].waarde == pytest.approx(100.0)


def test_comparison_group_by_size_and_urbanisation(loaded: Store) -> None:
    """Oirschot, Bergeijk and Eersel share size and urbanisation (two others: too few), so
    the group is every gemeente of 10,000-20,000 inwoners: with Reusel-De Mierden."""
    result = foto(runner(loaded), GM0823, PEIL, regio=KEMPEN)
    group = result.groep
    assert (group.soort, group.terugval, group.klein) == ("grootte", True, 2)
    assert sorted(result.gemeente_code(g) for g in group.leden) == [
        "GM0770", "GM0823", "GM1667", "GM1724"]
    assert "maar 2 gemeenten" in result.groep_notitie
    wmo = {v.maatstaf: v for v in result.vergelijkingen}["wmo-clienten-per-1000-inwoners"]
    # 2023H2 in the group: 52, 60, 40, 65 -> median 56; Oirschot 3rd of 4
    assert wmo.groep_mediaan == pytest.approx(56.0)
    assert (wmo.groep_rang, wmo.groep_aantal) == (3, 4)
    # a chosen group: Bladel and Eindhoven (and Oirschot itself); an unknown code is said
    chosen = foto(runner(loaded), GM0823, PEIL, regio=KEMPEN,
                  vergelijk=["GM1728", "gm0772", "GM9999"])
    assert chosen.groep.soort == "eigen"
    assert sorted(chosen.gemeente_code(g) for g in chosen.groep.leden) == [
        "GM0772", "GM0823", "GM1728"]
    assert "GM9999" in chosen.groep_notitie
    wmo = {v.maatstaf: v for v in chosen.vergelijkingen}["wmo-clienten-per-1000-inwoners"]
    assert wmo.groep_mediaan == pytest.approx(70.0)  # 52, 70, 80
    assert (wmo.groep_rang, wmo.groep_aantal) == (3, 3)


def test_change_since_the_start_of_the_college_period(loaded: Store) -> None:
    # default: the gemeenteraadsverkiezingen of 2018-03-21, before the first half year in
    # the fixture, so the change runs from the first one (and says so)
    result = foto(runner(loaded), GM0823, PEIL, regio=KEMPEN)
    assert result.sinds == "2018-03-21"
    wmo = {v.maatstaf: v for v in result.vergelijkingen}["wmo-clienten-per-1000-inwoners"]
    # 48 -> 52: +8.3%; national median 59 -> 62.5: +5.9%; group 53 -> 56: +5.7%
    assert wmo.verandering == (
        "Wmo-cliënten per 1.000 inwoners: 48 → 52 (+8%; landelijk +6%, vergelijkbare "
        "gemeenten +6%), 2022, 1e halfjaar → 2023, 2e halfjaar")
    assert wmo.noten == ["eerste"]
    # from 2022-09-01: the half year that holds it, 2022H2: 49 -> 52 (+6.1%); national
    # 60 -> 62.5 (+4.2%); group 53.5 -> 56 (+4.7%)
    later = foto(runner(loaded), GM0823, PEIL, regio=KEMPEN, sinds="2022-09-01")
    wmo = {v.maatstaf: v for v in later.vergelijkingen}["wmo-clienten-per-1000-inwoners"]
    assert wmo.verandering == (
        "Wmo-cliënten per 1.000 inwoners: 49 → 52 (+6%; landelijk +4%, vergelijkbare "
        "gemeenten +5%), 2022, 2e halfjaar → 2023, 2e halfjaar")
    assert wmo.noten == []
    # the Iv3 series has one jaarrekening and one begroting: no change of one kind
    assert {v.maatstaf: v for v in later.vergelijkingen}["iv3-lasten-6.71"].verandering is None


def test_partners_gaps_and_contracts(loaded: Store) -> None:
    result = foto(runner(loaded), GM0823, PEIL, sinds="2019-07-02")
    partners = {(r.label, c.label): {e.uitvoerderNaam for e in result.partners.cell(r.key, c.key)}
                for r in result.partners.rows for c in result.partners.columns}
    assert partners[("Wmo 2015", "Toegang")] == {"Eindhoven", "Samenwerking Kempengemeenten"}
    assert partners[("Jeugdwet", "Inkoop")] == {"Eindhoven"}
    assert "Oirschot" not in result.partner_organisaties.values()
    assert [(r.label, c.label) for r, c in result.matrix.double] == [("Toegang Wmo", "Toegang")]
    contracts = {str(r["naam"]): str(r["rol"]) for r in result.contracten}
    assert contracts == {
        "Dienstverleningsovereenkomst regionale inkoop jeugdhulp Zuidoost-Brabant (fictief)":
            "partij",
        "Raamovereenkomst specialistische jeugdhulp Zuidoost-Brabant 2020-2023 (fictief)":
            "via taakuitvoering",
    }
    # each partner with what it does there and how: GGD Brabant-Zuidoost is in Toegang of
    # the Jeugdwet for Veilig Thuis, through a GR (not for the toegang to jeugdhulp)
    rollen = result.partner_rollen()
    toegang = next(c.key for c in result.partners.columns if c.label == "Toegang")
    [ggd] = rollen[("Jeugdwet", toegang)]
    assert (ggd.naam, ggd.taken, ggd.arrangementen) == (
        "GGD Brabant-Zuidoost", ["Veilig Thuis (AMHK)"], ["Gemeenschappelijke regeling"])
    # changes in the year before the peildatum (2019-07-02 .. 2020-07-02): on 2020-01-01 the
    # subregio Veldhoven-Best-Oirschot ends (its contract, Oirschot's membership and the
    # inkoop of begeleiding through it), and jeugdhulp inkoop moves to the 2020 contract
    assert result.sinds == "2019-07-02"
    kinds = sorted((str(r["datum"]), str(r["soort"])) for r in result.wijzigingen)
    assert kinds == [("2020-01-01", "contract-beeindigd"), ("2020-01-01", "lidmaatschap-beeindigd"),
                     ("2020-01-01", "taakuitvoering-beeindigd"),
                     ("2020-01-01", "taakuitvoering-begonnen"),
                     ("2020-01-01", "taakuitvoering-begonnen")]
    assert all("2019-07-02" < str(r["datum"]) <= PEIL for r in result.wijzigingen)
    # without a chosen regio the jeugdregio would be the comparison, but in the example's
    # stand-in every regio has Oirschot as its only member: no regio has the three other
    # gemeenten a median needs, and the foto says so instead of comparing with itself
    assert result.regio is None and result.regio_leden == []
    assert result.regio_notitie == (
        "Geen regio van Oirschot heeft ten minste 3 andere gemeenten: de kerncijfers worden "
        "niet met een regio vergeleken.")


def test_cache_expires_with_a_load_of_its_input(tmp_path: Path) -> None:
    """The national table is computed once while its input is unchanged: a second foto
    reuses it, so does one after a load of other data (another graph, another predicate);
    a load of changed figures makes the next foto compute it again."""
    from sdgraph.kerncijfers import NAAR_INVOER as COMPUTED
    from sdgraph.runner import Runner
    from sdgraph.store import Source

    graph = "https://example.org/test/kerncijfers"
    store = EmbeddedStore(tmp_path / "store")
    init_store(store, "oirschot", SOURCES)
    store.load_files([KERNCIJFERS], graph=graph)
    hits, misses = COMPUTED.hits, COMPUTED.misses
    first = foto(Runner(store), GM0823, PEIL, regio=KEMPEN)
    assert COMPUTED.misses - misses >= 1  # the national table (and the classes)
    computed = COMPUTED.misses
    again = foto(Runner(store), GM0823, PEIL, regio=KEMPEN)
    assert COMPUTED.misses == computed and COMPUTED.hits > hits
    assert again.vergelijkingen[0].mediaan == first.vergelijkingen[0].mediaan == 105.0
    other = "https://example.org/test/other"
    store.load([Source(name="other.nt", graph=other, data=(
        f"<{other}> <https://example.org/test/teller> \"1\" .\n").encode())])
    unrelated = foto(Runner(store), GM0823, PEIL, regio=KEMPEN)
    assert COMPUTED.misses == computed
    assert unrelated.vergelijkingen[0].mediaan == 105.0
    changed = tmp_path / "changed.ttl"
    text = KERNCIJFERS.read_text(encoding="utf-8")
    old = "sd:maatstaf m:iv3-lasten-6.71 ; sd:waarde 26400000.0"
    assert old in text
    changed.write_text(text.replace(old, old.replace("26400000.0", "48000000.0")),
                       encoding="utf-8")
    store.load_files([changed], graph=graph)
    # Eindhoven now 200 per inwoner: 200, 150, 120, 100, 80, 50 -> median 110
    rerun = foto(Runner(store), GM0823, PEIL, regio=KEMPEN)
    assert COMPUTED.misses > computed
    assert rerun.vergelijkingen[0].mediaan == pytest.approx(110.0)
    store.close()


def test_foto_page_and_json(client) -> None:
    page = get_page(client, f"/gemeente/GM0823/foto?peildatum={PEIL}")
    assert 'data-testid="dubbel">1<' in page.html
    assert 'data-testid="contracten">2<' in page.html
    assert "Toegang Wmo, Toegang: meer dan één uitvoerder" in page.text
    rows = {r[0]["text"]: r for r in page.rows("tabel-partners")}
    assert "Eindhoven" in rows["Jeugdwet"][4]["text"]  # inkoop
    downloads = [h for h, _ in page.links if h.startswith("/api/query/")]
    assert len(downloads) == 8  # contracten and wijzigingen: JSON, CSV, XLSX, CSV for Excel
    for href in downloads:
        assert client.get(href).status_code == 200, href
    contracts = client.get(next(h for h in downloads if "contracten.json" in h)).get_json()
    assert len(contracts["rows"]) == 2
    body = client.get(f"/gemeente/GM0823/foto.json?peildatum={PEIL}").get_json()
    assert body["dubbel"] == [{"taak": "Toegang Wmo", "deelgebied": "Toegang"}]
    assert body["kerncijfers"] == []  # the example has no CBS figures
    assert "/gemeente/GM0823/foto?peildatum=" in " ".join(
        h for h, _ in get_page(client, f"/gemeente/GM0823?peildatum={PEIL}").links)


def test_foto_page_draws_a_chart_per_figure(tmp_path: Path) -> None:
    from web import create_app

    store = EmbeddedStore(tmp_path / "store")
    init_store(store, "oirschot", SOURCES)
    store.load_files([KERNCIJFERS])
    client = create_app(store=store).test_client()
    url = f"/gemeente/GM0823/foto?peildatum={PEIL}&regio={KEMPEN}"
    page = get_page(client, url)
    figures = [r[0]["text"] for r in page.rows("tabel-kerncijfers")]
    assert len(figures) == 2
    # euros per inwoner whole, with the source and period under the name
    assert page.rows("tabel-kerncijfers")[0][2]["text"] == "100"
    assert page.rows("tabel-kerncijfers")[0][3]["text"] == "105"
    assert "Bron: CBS Iv3 2023 jaarrekening" in figures[0]
    assert "Bron: CBS StatLine 86050NED" in figures[1]
    charts = re.findall(r'<svg class="grafiek".*?</svg>', page.html, re.S)
    assert len(charts) == 2
    wmo = charts[1]
    # four half years; the highest line is the national median (62.5), so the axis runs
    # 0..80 in steps of 20 over 110 px: the last point (52) at x 46 + 290, y 10 + 110 * 28/80
    assert wmo.count('class="gemeente punt"') == 4
    assert 'cx="336.0" cy="48.5"' in wmo
    assert all(f'class="{line}"' in wmo for line in ("gemeente", "groep", "landelijk"))
    assert "<title" in wmo and "<desc" in wmo and 'role="img"' in wmo
    # the table beside the chart has the same numbers
    tables = re.findall(r'<table class="reeks-tabel">.*?</table>', page.html, re.S)
    assert len(tables) == 2
    assert re.findall(r'<td class="num">([^<]*)</td>', tables[1])[:4] == ["48", "53", "59",
                                                                          "5/6"]
    # the change since the start of the college period, in words
    assert "48 → 52 (+8%; landelijk +6%, vergelijkbare gemeenten +6%)" in page.text
    # every partner with its state; per cell what the gemeente does itself, never one
    # bucket with the unknown (this store has the baseline too: its derived cells are
    # counted in test_partner_cells_say_own_organisation_or_unknown_and_state)
    partners, own, _ = _cells_by_hand(PEIL)
    assert page.html.count('<li class="rol status-bevestigd" data-staat="bevestigd">') == sum(
        len(v) for v in partners.values())
    assert page.html.count('<p class="hint status-bevestigd">') == len(own)
    assert "eigen organisatie of onbekend" not in page.text
    # the key figures per period also as a workbook: the same rows as the CSV, numbers as
    # numbers (the Iv3 figure of Oirschot: 100 per inwoner, median 105)
    import csv
    import io

    from openpyxl import load_workbook

    [xlsx] = [h for h, _ in page.links if h.startswith("/gemeente/GM0823/foto.xlsx?")]
    [plain_csv] = [h for h, _ in page.links if h.startswith("/gemeente/GM0823/foto.csv?")]
    assert xlsx.split("?")[1] == plain_csv.split("?")[1]
    plain = list(csv.reader(io.StringIO(client.get(plain_csv).get_data(as_text=True))))
    response = client.get(xlsx)
    assert response.status_code == 200 and "attachment" in response.headers[
        "Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    cells = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
    assert cells[0] == plain[0] and len(cells) == len(plain) > 1
    assert [[str(v) for v in row] for row in cells[1:]] == [
        [str(int(float(v))) if re.fullmatch(r"-?\d+\.0", v) else v for v in row]
        for row in plain[1:]]
    header = plain[0]
    iv3 = next(r for r in cells[1:] if r[header.index("kerncijfer")] == "iv3-lasten-6.71"
               and r[header.index("soort")] == "jaarrekening")
    assert (iv3[header.index("waarde")], iv3[header.index("landelijke_mediaan")]) == (100, 105)
    english = client.get(url + "&lang=en").get_data(as_text=True)
    assert "National median" in english and "62.5" in english
    assert ">confirmed</span>" in english and "own organisation (confirmed): " in english
    store.close()


def test_cli_foto_json_and_text(runner, tmp_path: Path) -> None:
    store = ["--store", str(tmp_path / "store")]
    assert runner.invoke(main, [*store, "init"]).exit_code == 0
    assert runner.invoke(main, [*store, "load", str(KERNCIJFERS)]).exit_code == 0
    result = runner.invoke(main, [*store, "foto", "GM0823", "--peildatum", PEIL,
                                  "--regio", KEMPEN, "-f", "json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["kerncijfers"][0]["mediaan"] == pytest.approx(105.0)
    assert [p["periode"] for p in body["kerncijfers"][1]["reeks"]] == [
        "2022H1", "2022H2", "2023H1", "2023H2"]
    result = runner.invoke(main, [*store, "foto", "GM0823", "--peildatum", PEIL])
    assert result.exit_code == 0, result.output
    assert "Double work: Toegang Wmo, Toegang" in result.output
    assert "rank 4 of 6" in result.output
    # a name is looked up (punctuation aside: "Oirschot!" is Oirschot); a typo is an error
    assert runner.invoke(main, [*store, "foto", "Oirschotx"]).exit_code == 2


def _cells_by_hand(peil: str) -> tuple[dict, dict, dict]:
    """From the example's Turtle with rdflib (not the store's query), per (wet notation,
    deelgebied IRI): the organisations other than Oirschot executing a taak there on
    ``peil``, the taken (Dutch labels) Oirschot's own organisation executes there, and the
    taken of that wet nobody executes there."""
    from rdflib import Graph, Namespace
    from rdflib.namespace import RDF, SKOS

    sd = Namespace("https://w3id.org/sdgraph/def#")
    g = Graph()
    for f in ("data/examples/oirschot/taakuitvoeringen.ttl", "data/vocab/taken.ttl",
              "data/vocab/wetten.ttl", "data/vocab/deelgebieden.ttl"):
        g.parse(ROOT / f)

    def label(taak) -> str:
        return next(str(x) for x in g.objects(taak, SKOS.prefLabel) if x.language == "nl")

    partners: dict[tuple[str, str], set[str]] = {}
    own: dict[tuple[str, str], set[str]] = {}
    done: set[tuple[str, str]] = set()  # (taak, deelgebied) with any uitvoerder
    for tu in g.subjects(RDF.type, sd.Taakuitvoering):
        if str(g.value(tu, sd.gemeente)) != GM0823:
            continue
        start, end = g.value(tu, sd.geldigVanaf), g.value(tu, sd.geldigTot)
        if (start and str(start) > peil) or (end and str(end) <= peil):
            continue
        taak = g.value(tu, sd.taak)
        wet = str(g.value(g.value(taak, sd.wet), SKOS.notation))
        key = (wet, str(g.value(tu, sd.deelgebied)))
        done.add((str(taak), key[1]))
        who = str(g.value(tu, sd.uitvoerder))
        if who == GM0823:
            own.setdefault(key, set()).add(label(taak))
        else:
            partners.setdefault(key, set()).add(who)
    unknown: dict[tuple[str, str], set[str]] = {}
    for taak in g.subjects(RDF.type, sd.Taak):
        wet = str(g.value(g.value(taak, sd.wet), SKOS.notation))
        for dg in g.subjects(RDF.type, sd.Deelgebied):
            if (str(taak), str(dg)) not in done:
                unknown.setdefault((wet, str(dg)), set()).add(label(taak))
    return partners, own, unknown


def test_partner_cells_say_own_organisation_or_unknown_and_state(loaded: Store,
                                                                 tmp_path: Path) -> None:
    """Per wet and deelgebied: the partners with their taken, arrangement and state (from
    the baseline's wie-doet-wat), the taken the gemeente's own organisation does and the
    taken nobody is known to do, never one bucket."""
    partners, own, unknown = _cells_by_hand(PEIL)
    result = foto(runner(loaded), GM0823, PEIL)
    cellen = {(c.wet, c.deelgebied): c for c in result.wet_cellen()}
    assert {k: {p.uitvoerder for p in c.rollen} for k, c in cellen.items() if c.rollen} == \
        partners
    assert {k: set(c.eigen["bevestigd"]) for k, c in cellen.items()
            if c.eigen["bevestigd"]} == own
    assert {k: set(c.onbekend) for k, c in cellen.items() if c.onbekend} == unknown
    assert own and unknown  # the example has both
    # the example's partners all come from its inventory
    assert {p.staat for c in cellen.values() for p in c.rollen} == {"bevestigd"}
    toegang = next(c.key for c in result.partners.columns if c.label == "Toegang")
    jeugd_toegang = cellen[("Jeugdwet", toegang)]
    assert [p.naam for p in jeugd_toegang.rollen] == ["GGD Brabant-Zuidoost"]

    # derived taakuitvoeringen: one in a cell nobody was known to fill shows as a partner
    # "afgeleid" with its rule and evidence; one in a cell the inventory fills (Oirschot's
    # own toegang jeugdhulp) gives way to the inventory (docs/baseline.md)
    assert "Jeugdbescherming en jeugdreclassering" in unknown[("Jeugdwet", toegang)]
    derived = tmp_path / "afgeleid.ttl"
    derived.write_text(f"""
        @prefix sd: <https://w3id.org/sdgraph/def#> .
        <https://example.org/tu/afgeleid-1> a sd:Taakuitvoering ; sd:gemeente <{GM0823}> ;
            sd:taak <https://w3id.org/sdgraph/id/taak/toegang-jeugdhulp> ;
            sd:deelgebied <https://w3id.org/sdgraph/id/deelgebied/toegang> ;
            sd:uitvoerder <{KEMPEN}> ; sd:afgeleid true .
        <https://example.org/tu/afgeleid-2> a sd:Taakuitvoering ; sd:gemeente <{GM0823}> ;
            sd:taak <https://w3id.org/sdgraph/id/taak/jeugdbescherming-jeugdreclassering> ;
            sd:deelgebied <https://w3id.org/sdgraph/id/deelgebied/toegang> ;
            sd:uitvoerder <{KEMPEN}> ; sd:afgeleid true ;
            sd:afleidingsregel <https://w3id.org/sdgraph/id/afleidingsregel/gr-uitvoering> ;
            sd:bewijs "test: doel van de GR noemt jeugdbescherming" .
    """, encoding="utf-8")
    loaded.load_files([derived], graph="https://example.org/test/afgeleid")
    result = foto(runner(loaded), GM0823, PEIL)
    cel = next(c for c in result.wet_cellen() if (c.wet, c.deelgebied) == ("Jeugdwet", toegang))
    rollen = {p.naam or p.uitvoerder: p for p in cel.rollen}
    assert {n: p.staat for n, p in rollen.items()} == {
        "Samenwerking Kempengemeenten": "afgeleid", "GGD Brabant-Zuidoost": "bevestigd"}
    kempen = rollen["Samenwerking Kempengemeenten"]
    assert kempen.taken == ["Jeugdbescherming en jeugdreclassering"]
    assert (kempen.entry.regel_id, kempen.entry.bewijs) == (
        "gr-uitvoering", "test: doel van de GR noemt jeugdbescherming")
    assert "Jeugdbescherming en jeugdreclassering" not in cel.onbekend
    data = result.to_dict()
    [cell] = [c for c in data["partners"]
              if (c["wet"], c["deelgebied"]) == ("Jeugdwet", "Toegang")]
    assert {r["naam"]: (r["status"], r["regel"]) for r in cell["partners"]} == {
        "Samenwerking Kempengemeenten": ("afgeleid", "gr-uitvoering"),
        "GGD Brabant-Zuidoost": ("bevestigd", "")}
    assert "[afgeleid, gr-uitvoering]" in result.to_text()
