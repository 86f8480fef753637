"""The analytic queries overlap, overlap-gemeente, indeling-leden, indelingen,
fragmentatie and wijzigingen (on both backends), the heatmap of regio-indelingen
(sdgraph.overlap), the overlap page with its downloads, and the CLI command.

Expected values are computed by hand from tests/data/analytics/overlap.ttl (six
fictional gemeenten, see the comment at its top) and the Oirschot example.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import SOURCES, get_page
from rdflib import Literal, URIRef

from sdgraph.build import init_store
from sdgraph.overlap import heatmap
from sdgraph.queries import QueryLibrary
from sdgraph.store import EmbeddedStore, Store

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "data" / "analytics" / "overlap.ttl"
LIB = QueryLibrary()

GM = "https://identifier.overheid.nl/tooi/id/gemeente/gm"
RI = "https://w3id.org/sdgraph/id/regioindeling/"
T = "https://w3id.org/sdgraph/id/test/"
SO = "https://identifier.overheid.nl/tooi/id/so/"
GR = "https://w3id.org/sdgraph/def#GemeenschappelijkeRegeling"
JEUGD, ARBEID, WMO = RI + "jeugdregio", RI + "arbeidsmarktregio", RI + "wmo-regio"


def rows(store: Store, name: str, **values: str) -> list[dict]:
    return LIB.get(name).run(store, values).dicts()


def num(term) -> float | None:
    return None if term is None else float(Decimal(str(term)))


@pytest.fixture
def fixture_store(store: Store) -> Store:
    """Ontology and vocabularies plus the hand-written fixture, on each backend."""
    init_store(store, example=None)
    store.load_files([FIXTURE])
    return store


# --------------------------------------------------------------------------- headers

NEW_QUERIES = ("overlap", "overlap-gemeente", "indeling-leden", "indelingen", "fragmentatie",
               "wijzigingen")


@pytest.mark.parametrize("name", NEW_QUERIES)
def test_query_header_and_an_independent_parser(name: str) -> None:
    from rdflib.plugins.sparql import prepareQuery

    from sdgraph.sparql import bind

    q = LIB.get(name)
    assert q.title.get("nl") and q.title.get("en") and q.describe("nl") and q.describe("en")
    assert all(p.label["nl"] and p.label["en"] for p in q.params)
    prepareQuery(bind(q.text, q.bindings({})))  # rdflib accepts the text with its defaults
    assert "SELECT DISTINCT" in q.text or "GROUP BY ?gemeente" in q.text


# --------------------------------------------------------------------------- overlap


def test_overlap_pairs_with_counts_and_jaccard(fixture_store: Store) -> None:
    found = rows(fixture_store, "overlap", peildatum="2024-01-01")  # jeugd x arbeidsmarkt
    got = [(str(r["a"]), str(r["b"]), int(r["aantalA"]), int(r["aantalB"]), int(r["gedeeld"]),
            num(r["jaccard"])) for r in found]
    # J1 {1,2,3}, J2 {4,5,6}; A1 {1,2}, A2 {3,4,5,6}; J2 x A1 share nothing
    assert got == [
        (T + "J2", T + "A2", 3, 4, 3, 0.75),  # 3 / (3 + 4 - 3)
        (T + "J1", T + "A1", 3, 2, 2, 0.6667),  # 2 / (3 + 2 - 2)
        (T + "J1", T + "A2", 3, 4, 1, 0.1667),  # 1 / (3 + 4 - 1)
    ]
    assert {str(r["aNaam"]) for r in found} == {"Jeugdregio Een", "Jeugdregio Twee"}
    assert {str(r["indelingANaam"]) for r in found} == {"Jeugdregio's"}


def test_overlap_follows_the_peildatum(fixture_store: Store) -> None:
    def pairs(peildatum: str) -> dict[tuple[str, str], float]:
        return {(str(r["a"]), str(r["b"])): num(r["jaccard"])
                for r in rows(fixture_store, "overlap", indelingA=WMO, indelingB=ARBEID,
                              peildatum=peildatum)}

    # gemeente 3 moves from W1 to W2 on 2020-01-01 (end dates exclusive)
    assert pairs("2019-12-31") == {(T + "W1", T + "A1"): 0.6667, (T + "W1", T + "A2"): 0.1667,
                                   (T + "W2", T + "A2"): 0.75}
    assert pairs("2020-01-01") == {(T + "W1", T + "A1"): 1, (T + "W2", T + "A2"): 1}


def test_overlap_with_the_grs(fixture_store: Store) -> None:
    found = {(str(r["a"]), str(r["b"])): (int(r["aantalB"]), num(r["jaccard"]))
             for r in rows(fixture_store, "overlap", indelingB=GR, peildatum="2024-01-01")}
    # GR Werk lost gemeente 5 on 2020-01-01: {1,4}
    assert found == {
        (T + "J1", SO + "so9901"): (3, 1), (T + "J1", SO + "so9902"): (3, 1),
        (T + "J1", SO + "so9903"): (2, 0.25), (T + "J2", SO + "so9903"): (2, 0.25),
    }


def test_overlap_within_one_indeling_finds_double_membership(store: Store) -> None:
    """Oirschot is in both illustrative Wmo subregio's from 2017 to 2020: one pair, once."""
    init_store(store, "oirschot", SOURCES)
    sub = RI + "wmo-subregio"
    found = rows(store, "overlap", indelingA=sub, indelingB=sub, peildatum="2018-01-01")
    assert [(int(r["gedeeld"]), num(r["jaccard"])) for r in found] == [(1, 1)]
    assert rows(store, "overlap", indelingA=sub, indelingB=sub, peildatum="2020-01-01") == []


def test_overlap_gemeente_compares_every_membership(fixture_store: Store) -> None:
    def found(peildatum: str) -> dict[str, tuple]:
        return {str(r["naam"]): (int(r["aantal"]), int(r["gedeeld"]), num(r["jaccard"]))
                for r in rows(fixture_store, "overlap-gemeente", gemeente="GM9903",
                              peildatum=peildatum)}

    # reference R = its jeugdregio J1 {1,2,3}
    assert found("2024-01-01") == {
        "Jeugdregio Een": (3, 3, 1), "GR Jeugd (test)": (3, 3, 1), "GR Wmo (test)": (3, 3, 1),
        "Arbeidsmarktregio Twee": (4, 1, 0.1667), "Wmo-regio Twee": (4, 1, 0.1667),
    }
    assert found("2019-06-01")["Wmo-regio Een"] == (3, 3, 1)
    first = rows(fixture_store, "overlap-gemeente", gemeente="GM9903", peildatum="2024-01-01",
                 indeling=ARBEID)[0]
    assert (str(first["referentie"]), int(first["aantalReferentie"])) == (T + "A2", 4)


def test_indelingen_lists_the_vocabulary_with_regio_counts(fixture_store: Store) -> None:
    found = {str(r["indeling"]): (int(r["regios"]), str(r["vocabulaire"]))
             for r in rows(fixture_store, "indelingen")}
    assert found[JEUGD] == (2, "true")
    assert found[RI + "ggd-regio"] == (0, "true")
    assert len(found) == 10  # data/vocab/regioindelingen.ttl


# --------------------------------------------------------------------------- heatmap


def test_heatmap_of_the_fixture(fixture_store: Store) -> None:
    leden = rows(fixture_store, "indeling-leden", peildatum="2024-01-01")
    assert len(leden) == 6  # two regio's in each of three indelingen
    assert {(str(r["regio"]), int(r["aantal"])) for r in leden if str(r["indeling"]) == WMO} == {
        (T + "W1", 2), (T + "W2", 4)}
    labels = {str(r["indeling"]): str(r["naam"]) for r in rows(fixture_store, "indelingen")}
    heat = heatmap(leden, labels)
    assert [i.key for i in heat.indelingen] == [ARBEID, JEUGD, WMO]  # by label
    # T(J) = {12,13,23,45,46,56}; T(A) = {12,34,35,36,45,46,56} = T(W) from 2020
    cell = heat.cell(JEUGD, ARBEID)
    assert (cell.gemeenten, cell.paren_a, cell.paren_b, cell.samen) == (6, 6, 7, 4)
    assert cell.jaccard == round(4 / 9, 4)
    assert heat.cell(ARBEID, WMO).jaccard == 1
    assert heat.cell(JEUGD, JEUGD).jaccard == 1
    before = heatmap(rows(fixture_store, "indeling-leden", peildatum="2019-06-01"), labels)
    assert before.cell(JEUGD, WMO).jaccard == 1
    assert before.cell(ARBEID, WMO).jaccard == round(4 / 9, 4)
    only = rows(fixture_store, "indeling-leden", indeling=JEUGD, peildatum="2024-01-01")
    assert {str(r["regio"]) for r in only} == {T + "J1", T + "J2"}


def test_heatmap_restricts_to_shared_gemeenten_and_counts_pairs_once() -> None:
    def row(indeling: str, regio: str, leden: str) -> dict:
        return {"indeling": URIRef(indeling), "regio": URIRef(regio), "leden": Literal(leden)}

    labels = {"p": "P", "q": "Q"}
    data = [row("p", "p1", "a b c"), row("p", "p2", "a")]  # a in two regio's of p
    data += [row("q", "q1", "a b"), row("q", "q2", "c d")]
    heat = heatmap(data, labels)
    cell = heat.cell("p", "q")  # shared gemeenten {a,b,c}: T(p) = {ab,ac,bc}, T(q) = {ab}
    assert (cell.gemeenten, cell.paren_a, cell.paren_b, cell.samen) == (3, 3, 1, 1)
    assert cell.jaccard == round(1 / 3, 4)
    assert heat.cell("q", "q").paren_a == 2  # {ab, cd}
    lone = heatmap([row("r", "r1", "a"), row("s", "s1", "a")])
    assert [i.label for i in lone.indelingen] == ["r", "s"]  # no labels: the IRI
    assert lone.cell("r", "s").jaccard is None  # nobody is paired anywhere
    assert heat.to_text().splitlines()[1].split() == ["P", "1.00", "0.33"]
    assert heat.to_csv().startswith("indelingA,")


# --------------------------------------------------------------------------- fragmentatie


def fragmentatie(store: Store, **values: str) -> list[tuple]:
    return [(str(r["code"]), int(r["arrangementen"]), int(r["partnersets"]),
             int(r["partnersJeugdwet"] or 0), int(r["partnersWmo"] or 0),
             int(r["partnersParticipatiewet"] or 0), num(r["jaccardJeugdwetWmo"]),
             num(r["jaccardJeugdwetParticipatiewet"]), num(r["jaccardWmoParticipatiewet"]),
             num(r["congruentie"]))
            for r in rows(store, "fragmentatie", **values)]


def test_fragmentatie_ranking(fixture_store: Store) -> None:
    # 2024: GR Jeugd and GR Wmo {1,2,3}, GR Werk {1,4}; gemeente 1 also buys through a
    # contract (no members: an arrangement, no partner set); gemeente 4's toegang Wmo
    # goes through GR Werk. Most partner sets first, then lowest congruentie.
    expected_2024 = [
        ("GM9901", 4, 2, 2, 2, 1, 1, 0, 0, 0.3333),
        ("GM9902", 2, 1, 2, 2, 0, 1, 0, 0, 0.3333),
        ("GM9903", 2, 1, 2, 2, 0, 1, 0, 0, 0.3333),
        ("GM9904", 1, 1, 0, 1, 1, 0, 0, 1, 0.3333),
    ]
    assert fragmentatie(fixture_store, peildatum="2024-01-01") == expected_2024
    assert fragmentatie(fixture_store, peildatum="2024-01-01") == [
        ("GM9901", 4, 2, 2, 2, 1, 1, 0, 0, 0.3333),
        ("GM9902", 2, 1, 2, 2, 0, 1, 0, 0, 0.3333),
        ("GM9903", 2, 1, 2, 2, 0, 1, 0, 0, 0.3333),
        ("GM9904", 1, 1, 0, 1, 1, 0, 0, 1, 0.3333),
    ]
    # 2019: no contract yet, gemeente 5 still in GR Werk {1,4,5}
    assert fragmentatie(fixture_store, peildatum="2019-06-01") == [
        ("GM9901", 3, 2, 2, 2, 2, 1, 0, 0, 0.3333),
        ("GM9905", 1, 1, 0, 0, 2, None, 0, 0, 0),
        ("GM9902", 2, 1, 2, 2, 0, 1, 0, 0, 0.3333),
        ("GM9903", 2, 1, 2, 2, 0, 1, 0, 0, 0.3333),
        ("GM9904", 1, 1, 0, 2, 2, 0, 0, 1, 0.3333),
    ]
    assert fragmentatie(fixture_store, peildatum="2024-01-01", gemeente="GM9901") == [
        ("GM9901", 4, 2, 2, 2, 1, 1, 0, 0, 0.3333)]


def test_fragmentatie_partners_agree_with_the_partners_query(store: Store) -> None:
    init_store(store, "oirschot", SOURCES)
    values = {"gemeente": "GM0823", "peildatum": "2019-07-02"}
    per_wet: dict[str, int] = {}
    for r in rows(store, "partners", **values):
        per_wet[str(r["wetNaam"])] = per_wet.get(str(r["wetNaam"]), 0) + 1
    (row,) = rows(store, "fragmentatie", **values)
    partners = (int(row["partnersJeugdwet"]), int(row["partnersWmo"]),
                int(row["partnersParticipatiewet"]))
    expected = (per_wet["Jeugdwet"], per_wet["Wmo 2015"], per_wet["Participatiewet"])
    assert partners == expected
    # taakuitvoeringen.ttl on 2019-07-02: via so0665, so0358, so0292, two contracts and a mandaat
    assert int(row["arrangementen"]) == 6
    assert int(row["partnersets"]) == 3  # the member lists of so0665, so0358 and so0292


# --------------------------------------------------------------------------- wijzigingen


def changes(store: Store, **values: str) -> list[tuple[str, str, str, str | None]]:
    return [(str(r["datum"]), str(r["soort"]), str(r["onderwerp"]),
             str(r["organisatie"]) if r["organisatie"] is not None else None)
            for r in rows(store, "wijzigingen", **values)]


def test_wijzigingen_between_two_dates(fixture_store: Store) -> None:
    d = "2020-01-01"
    assert changes(fixture_store, van="2019-06-01", tot="2020-06-01") == [
        (d, "gr-versie", SO + "so9901", None),
        (d, "herindeling", GM + "9905", None),
        (d, "herindeling", GM + "9906", None),
        (d, "lidmaatschap-beeindigd", GM + "9903", T + "W1"),
        (d, "lidmaatschap-beeindigd", GM + "9905", SO + "so9903"),
        (d, "lidmaatschap-begonnen", GM + "9903", T + "W2"),
    ]
    # van is exclusive, tot inclusive
    assert len(changes(fixture_store, van="2019-12-31", tot=d)) == 6
    assert changes(fixture_store, van=d, tot="2021-01-01") == []
    # a gemeente: its own changes and new versions of GRs it is a member of
    assert [c[1] for c in changes(fixture_store, van="2019-06-01", tot="2020-06-01",
                                  gemeente="GM9903")] == [
        "gr-versie", "lidmaatschap-beeindigd", "lidmaatschap-begonnen"]
    assert [c[1] for c in changes(fixture_store, van="2019-06-01", tot="2020-06-01",
                                  gemeente="GM9905")] == ["herindeling", "lidmaatschap-beeindigd"]
    found = rows(fixture_store, "wijzigingen", van="2022-06-01", tot="2023-06-01")
    assert [(str(r["soort"]), str(r["toelichting"])) for r in found] == [
        ("contract-begonnen", "Testcontract inkoop jeugdhulp"),
        ("taakuitvoering-begonnen", "Inkoop jeugdhulp / Inkoop"),
    ]
    herindeling = rows(fixture_store, "wijzigingen", van="2019-06-01", tot="2020-06-01",
                       gemeente="GM9906")
    assert [str(r["toelichting"]) for r in herindeling] == ["opgeheven (uitbreiding)"]


def test_wijzigingen_in_the_example(store: Store) -> None:
    init_store(store, "oirschot", SOURCES)
    found = changes(store, van="2019-06-30", tot="2019-07-01", gemeente="GM0823")
    # taakuitvoeringen.ttl: nine start on 2019-07-01 (the mandaat that starts that day is
    # no taakuitvoering), bijstand/backoffice via so0665 ends; grs.ttl: the new version of
    # Samenwerking Kempengemeenten
    kinds = [c[1] for c in found]
    assert kinds.count("taakuitvoering-begonnen") == 9
    assert kinds.count("taakuitvoering-beeindigd") == 1
    assert kinds.count("gr-versie") == 1


# --------------------------------------------------------------------------- web


@pytest.fixture(scope="module")
def analytics_client():
    from web import create_app

    store = EmbeddedStore(None)
    init_store(store, "oirschot", SOURCES)
    store.load_files([FIXTURE])
    yield create_app(store=store, test_config={"TESTING": True}).test_client()
    store.close()


def test_overlap_page_heatmap_pairs_and_gemeente(analytics_client) -> None:
    page = get_page(analytics_client, "/overlap?peildatum=2024-01-01&gemeente=GM9903")
    heat = page.rows("heatmap")
    labels = [r[0]["text"].split(" (")[0] for r in heat]
    jeugd, arbeid = labels.index("Jeugdregio's"), labels.index("Arbeidsmarktregio's")
    wmo = labels.index("Wmo-regio's")
    assert len(heat) == len(labels) == 9  # the nine vocabulary indelingen of the example
    assert all(len(r) == 10 for r in heat)  # row header + one cell per indeling
    # T(J) and T(A) over the six test gemeenten plus Oirschot (alone in every regio)
    assert heat[jeugd][arbeid + 1]["text"] == "0,44"
    assert "heat-2" in heat[jeugd][arbeid + 1]["class"]
    assert heat[arbeid][wmo + 1]["text"] == "1,00" and "heat-5" in heat[arbeid][wmo + 1]["class"]
    assert heat[jeugd][jeugd + 1]["text"] == "1,00"
    ggd = labels.index("GGD-regio's")
    assert heat[ggd][ggd + 1]["text"] == "–" and "heat-na" in heat[ggd][ggd + 1]["class"]
    assert "J(A, B) = |T(A) ∩ T(B)| / |T(A) ∪ T(B)|" in page.text
    paren = page.rows("tabel-paren")
    # Oirschot's own pair (alone in both of its regio's in the example: 1,00) comes first
    assert [(r[0]["text"], r[1]["text"], r[5]["text"]) for r in paren] == [
        ("Zuidoost Brabant", "Zuidoost-Brabant", "1,00"),
        ("Jeugdregio Twee", "Arbeidsmarktregio Twee", "0,75"),
        ("Jeugdregio Een", "Arbeidsmarktregio Een", "0,67"),
        ("Jeugdregio Een", "Arbeidsmarktregio Twee", "0,17"),
    ]
    gemeente = page.rows("tabel-gemeente")
    assert {r[1]["text"] for r in gemeente} == {
        "Jeugdregio Een", "GR Jeugd (test)", "GR Wmo (test)", "Arbeidsmarktregio Twee",
        "Wmo-regio Twee"}
    assert 'aria-current="page"' in page.html.split('href="/overlap"')[1][:40]


def test_overlap_page_downloads(analytics_client) -> None:
    args = "peildatum=2024-01-01&gemeente=GM9903"
    heat = analytics_client.get(f"/overlap/heatmap.csv?{args}")
    assert heat.status_code == 200 and heat.mimetype == "text/csv"
    cells = {(r["indelingA"], r["indelingB"]): r for r in csv.DictReader(io.StringIO(heat.text))}
    assert len(cells) == 81
    cell = cells[(JEUGD, ARBEID)]
    assert (cell["parenSamen"], cell["jaccard"]) == ("4", "0.4444")
    doc = analytics_client.get(f"/overlap/heatmap.json?{args}").get_json()
    assert doc["params"]["peildatum"] == "2024-01-01" and len(doc["indelingen"]) == 9
    paren = analytics_client.get(f"/overlap/paren.json?{args}").get_json()
    assert paren["query"] == "overlap" and len(paren["rows"]) == 4  # + Oirschot's pair
    table = list(csv.DictReader(io.StringIO(
        analytics_client.get(f"/overlap/gemeente.csv?{args}").text)))
    assert len(table) == 5 and {r["jaccard"] for r in table} == {"1", "0.1667"}
    assert analytics_client.get("/overlap/gemeente.json?peildatum=2024-01-01").status_code == 400
    bad = analytics_client.get("/overlap?peildatum=2024-13-01")
    assert bad.status_code == 400


def test_overlap_heatmap_cache_expires_with_every_load() -> None:
    """The view caches the national heatmap rows; a load changes the store's version."""
    from sdgraph.store import Source
    from web import create_app

    store = EmbeddedStore(None)
    init_store(store, example=None)
    store.load_files([FIXTURE])
    client = create_app(store=store, test_config={"TESTING": True}).test_client()

    def jeugd_arbeid() -> str:
        body = client.get("/overlap/heatmap.csv?peildatum=2024-01-01").text
        table = csv.DictReader(io.StringIO(body))
        return next(r["jaccard"] for r in table
                    if (r["indelingA"], r["indelingB"]) == (JEUGD, ARBEID))

    assert jeugd_arbeid() == "0.4444"
    assert jeugd_arbeid() == "0.4444"  # served from the cache
    extra = (f"<{T}l-3-A1> a <https://w3id.org/sdgraph/def#Lidmaatschap> ; "
             f"<http://www.w3.org/ns/org#member> <{GM}9903> ; "
             f"<http://www.w3.org/ns/org#organization> <{T}A1> .")
    store.load([Source(name="extra.ttl", data=extra.encode())])
    # gemeente 3 also in A1: T(A) = {12,13,23,34,35,36,45,46,56}, T(J) within it: 6 of 9
    assert jeugd_arbeid() == "0.6667"
    store.close()


def test_overlap_page_in_english_and_with_grs(analytics_client) -> None:
    gr = GR.replace("#", "%23")
    page = get_page(analytics_client, f"/overlap?peildatum=2024-01-01&indelingB={gr}&lang=en")
    assert page.lang == "en" and "Divisions side by side" in page.text
    assert any(t.startswith("Youth care regions") for t in page.column("heatmap", 0))
    # the fixture's four pairs, and Oirschot's jeugdregio with each of its seven GRs (grs.ttl)
    assert len(page.rows("tabel-paren")) == 4 + 7
    analytics_client.get("/?lang=nl")


def test_new_queries_are_command_page_and_api(analytics_client, runner) -> None:
    from sdgraph.cli import main

    for name in ("overlap", "overlap-gemeente", "indeling-leden", "indelingen", "fragmentatie",
                 "wijzigingen"):
        assert analytics_client.get(f"/query/{name}").status_code == 200, name
        doc = analytics_client.get(f"/api/query/{name}.json").get_json()
        assert doc["query"] == name and "rows" in doc
        assert analytics_client.get(f"/api/query/{name}.csv").status_code == 200
    assert runner.invoke(main, ["init"]).exit_code == 0
    result = runner.invoke(main, ["query", "fragmentatie", "-p", "gemeente=GM0823",
                                  "-p", "peildatum=2019-07-02", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["rows"][0]["arrangementen"] == 6
    result = runner.invoke(main, ["overlap", "--peildatum", "2019-07-02", "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("indelingA,")
