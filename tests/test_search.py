"""Forgiving search (sdgraph/search.py): normalisation, exact/prefix/fuzzy matching, the
single hit, names accepted where a code is asked (runner, web, CLI), the JSON endpoint.

Unit tests use a hand-made index (expectations by hand); the rest runs on the Oirschot
example (register facts from ../shared) and, where marked, on the real TOOI register.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import SOURCES, get_page, missing

from sdgraph import search
from sdgraph.errors import UserError
from sdgraph.runner import Runner

GM = "https://identifier.overheid.nl/tooi/id/gemeente/"
SO = "https://identifier.overheid.nl/tooi/id/so/"
SUGGESTION = "Geen gemeente met de naam 'Oirschott'. Bedoelde u: Oirschot (GM0823)?"


def _index() -> search.SearchIndex:
    rows = [
        {"iri": GM + "gm0796", "soort": "gemeente", "naam": "'s-Hertogenbosch", "code": "GM0796"},
        {"iri": GM + "gm0823", "soort": "gemeente", "naam": "Oirschot", "code": "GM0823"},
        {"iri": GM + "gm1900", "soort": "gemeente", "naam": "Súdwest-Fryslân", "code": "GM1900"},
        {"iri": GM + "gm0788", "soort": "gemeente", "naam": "Haaren", "code": "GM0788",
         "geldigTot": "2021-01-01"},
        {"iri": "urn:regio:bw-mo/den-bosch", "soort": "regio", "naam": "Den Bosch"},
        {"iri": SO + "so0665", "soort": "gr", "naam": "Samenwerking Kempengemeenten"},
        {"iri": "urn:regio:jeugd/zob", "soort": "regio", "naam": "Zuidoost-Brabant"},
        {"iri": "urn:regio:wmo/zob", "soort": "regio", "naam": "Zuidoost-Brabant"},
    ]
    names = [{"iri": GM + "gm0796", "naam": "Den Bosch"}, {"iri": GM + "gm0823", "naam": "823"},
             {"iri": SO + "so0665", "naam": "27965412"},
             {"iri": SO + "so0665", "naam": "Gemeenschappelijke regeling Kempengemeenten"}]
    return search.build(rows, names)


def test_normalize_ignores_case_accents_and_punctuation() -> None:
    assert search.normalize("Súdwest-Fryslân") == "sudwest fryslan"
    assert search.normalize("'s-Hertogenbosch") == "s hertogenbosch"
    assert search.normalize("  Den   BOSCH ") == "den bosch"


@pytest.mark.parametrize(("query", "first"), [
    ("Den Bosch", "'s-Hertogenbosch"),  # an alias, exact
    ("den bosch", "'s-Hertogenbosch"),
    ("Sudwest Fryslan", "Súdwest-Fryslân"),  # accents
    ("Oirschott", "Oirschot"),  # a typo
    ("oirs", "Oirschot"),  # typing
    ("hertogenbosch", "'s-Hertogenbosch"),  # a word of the name
    ("GM0823", "Oirschot"), ("823", "Oirschot"), ("gm823", "Oirschot"),  # codes
    ("27965412", "Samenwerking Kempengemeenten"),  # a ROO id of a version
    ("Kempengemeenten", "Samenwerking Kempengemeenten"),
])
def test_search_finds(query: str, first: str) -> None:
    hits = _index().search(query)
    assert hits and hits[0].entry.label == first


def test_exactness_and_the_single_hit() -> None:
    index = _index()
    # the alias is exact for the gemeente and the regio: the gemeente wins
    assert index.single("Den Bosch").label == "'s-Hertogenbosch"
    # two regio's of the same name: no single hit, both listed
    assert index.single("Zuidoost-Brabant") is None
    assert len([h for h in index.search("zuidoost brabant") if h.exact]) == 2
    # a typo is a suggestion, not a page
    hits = index.search("Oirschott")
    assert not hits[0].exact and index.single("Oirschott").label == "Oirschot"  # only one hit
    assert index.search("Oirschott", kinds=("gr",)) == []
    # an ended gemeente is found, after existing ones of equal score
    assert index.search("Haaren")[0].entry.ended == "2021-01-01"
    assert index.search("xyzzy") == [] and index.search("  ") == []


def test_resolve_accepts_exact_names_and_suggests_the_rest() -> None:
    index = _index()
    assert index.resolve("Den Bosch", ("gemeente",), "gemeente").gm_code == "GM0796"
    with pytest.raises(UserError) as caught:
        index.resolve("Oirschott", ("gemeente",), "gemeente")
    assert str(caught.value) == SUGGESTION
    with pytest.raises(UserError, match="meer dan één"):
        index.resolve("Zuidoost-Brabant", ("regio",), "regio")


# --------------------------------------------------------------------------- on a store


def test_index_of_the_example_store(example_store) -> None:
    run = Runner(example_store)
    index = search.index(run)
    assert len(search.index(run)) == len(index)
    kinds = {e.kind for e in index.entries}
    assert {"gemeente", "gr", "regio", "regioindeling", "taak"} <= kinds
    assert index.single("Oirschot").iri == GM + "gm0823"
    assert index.search("Toegang jeugd")[0].entry.iri.endswith("/taak/toegang-jeugdhulp")


def test_runner_takes_names_for_gemeente_and_organisatie(example_store) -> None:
    run = Runner(example_store)
    by_name = run.result("lidmaatschappen", {"gemeente": "Oirschot", "peildatum": "2019-07-02"})
    by_code = run.result("lidmaatschappen", {"gemeente": "GM0823", "peildatum": "2019-07-02"})
    assert by_name.table.rows == by_code.table.rows and len(by_code) == 7
    members = run.result("deelnemers", {"organisatie": "Samenwerking Kempengemeenten"})
    assert len(members) == len(run.result("deelnemers", {"organisatie": SO + "so0665"})) == 5
    with pytest.raises(UserError, match="Bedoelde u: Oirschot"):
        run.result("lidmaatschappen", {"gemeente": "Oirschott"})


def test_web_search_and_names(client) -> None:
    # one exact hit opens its page
    r = client.get("/zoek?q=Oirschot")
    assert r.status_code == 303 and r.headers["Location"] == "/gemeente/GM0823"
    # a typo lists what may have been meant
    page = get_page(client, "/zoek?q=Oirschott")
    assert ("/gemeente/GM0823", "Oirschot") in page.links
    assert "Bedoelde u" in page.text
    # names where a code is asked: redirect to the code; unknown ones get a suggestion
    r = client.get("/gemeente/Oirschot/matrix?peildatum=2020-07-02")
    assert r.status_code == 301 and r.headers["Location"].startswith("/gemeente/GM0823/matrix")
    page = get_page(client, "/gemeente/Oirschott", status=404)
    assert page.messages == [SUGGESTION]
    r = client.get("/organisatie?iri=Samenwerking%20Kempengemeenten")
    assert r.status_code == 301 and "so0665" in r.headers["Location"]
    # the overlap form takes a name for the gemeente
    page = get_page(client, "/overlap?gemeente=Oirschot")
    assert "GM0823" not in [m for m in page.messages]


def test_suggestions_endpoint(client) -> None:
    r = client.get("/api/zoek.json?q=oirs&soort=gemeente")
    assert r.status_code == 200 and r.mimetype == "application/json"
    body = r.get_json()
    assert body["view"] == "zoeken"
    first = body["hits"][0]
    assert (first["naam"], first["code"], first["url"], first["soortNaam"]) == (
        "Oirschot", "GM0823", "/gemeente/GM0823", "gemeente")
    assert all(h["soort"] == "gemeente" for h in body["hits"])
    english = client.get("/api/zoek.json?q=kempen&soort=organisatie&lang=en").get_json()
    assert english["hits"][0]["soortNaam"] == "joint arrangement"


def test_cli_takes_names(runner: CliRunner) -> None:
    from sdgraph.cli import main

    if SOURCES is None:
        missing("the example's register facts come from ../shared/data/sources")
    assert runner.invoke(main, ["init"], catch_exceptions=False).exit_code == 0
    by_name = runner.invoke(main, ["matrix", "Oirschot", "--peildatum", "2020-07-02"])
    by_code = runner.invoke(main, ["matrix", "GM0823", "--peildatum", "2020-07-02"])
    assert by_name.exit_code == 0 and by_name.output == by_code.output
    wrong = runner.invoke(main, ["matrix", "Oirschott"])
    assert wrong.exit_code == 2 and "Bedoelde u: Oirschot (GM0823)?" in wrong.output


@pytest.mark.shared
def test_misspellings_on_the_tooi_register() -> None:
    """The real register (all gemeenten since 1812 as TOOI has them) with the vocabulary's
    search names: the misspellings of the issue find the right gemeente first."""
    from sdgraph.build import init_store
    from sdgraph.importers.report import ImportReport
    from sdgraph.importers.tooi import tooi_sources
    from sdgraph.store import EmbeddedStore

    if SOURCES is None:
        missing("needs ../shared/data/sources/tooi")
    store = EmbeddedStore(None)
    init_store(store, example=None)
    store.load(tooi_sources(SOURCES / "tooi", ImportReport("tooi")))
    index = search.index(Runner(store))
    expected = {"Den Bosch": "gm0796", "Den Haag": "gm0518", "Oirschott": "gm0823",
                "Sudwest Fryslan": "gm1900", "s-hertogenbosch": "gm0796",
                "Nuenen": "gm0820", "Noordoost-Friesland": "gm1970"}
    for query, code in expected.items():
        assert index.search(query, ("gemeente",))[0].entry.iri == GM + code, query
    assert index.single("Den Haag", ("gemeente",)).iri == GM + "gm0518"
    store.close()


def test_gemeenten_list_searches_forgivingly(client) -> None:
    page = get_page(client, "/gemeenten?zoek=Oirschott")  # a typo: the list, best first
    assert page.column("tabel-gemeenten", 0)[0] == "Oirschot"
    r = client.get("/gemeenten?zoek=oirschot")  # the exact name: its page
    assert r.status_code == 303 and r.headers["Location"] == "/gemeente/GM0823"
    body = client.get("/gemeenten.json?zoek=Oirschott").get_json()
    assert body["rows"][0]["code"] == "GM0823"


def test_the_index_read_back_from_its_json_matches_the_same() -> None:
    """The compact form the load stores (entries and normalised names) gives the same hits
    (score, the name that matched), single hits and refusals as the index built from rows."""
    import json

    built = _index()
    read = search.from_json(json.loads(search.to_json(built, "q")))
    assert read.entries == built.entries
    queries = ["Oirschot", "oirschott", "Den Bosch", "den bos", "823", "GM0823", "gm823",
               "sudwest fryslan", "Súdwest", "fryslan", "Zuidoost-Brabant", "zuid bra",
               "Kempen", "27965412", "Haaren", "haar", "s hertogenbosch", "x", "", "zzz"]
    for q in queries:
        for kinds in (None, ("gemeente",), ("regio",), search.ORGANISATIES):
            assert read.search(q, kinds) == built.search(q, kinds), (q, kinds)
            assert read.single(q, kinds) == built.single(q, kinds), (q, kinds)

