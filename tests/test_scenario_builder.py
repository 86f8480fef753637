"""The scenario builder (/scenario/bouwen) as plain form posts, its links, files and saving,
and the doordecentralisatie template, against the bundled examples.

A scenario built with the forms must give the numbers of the same scenario written in YAML
(Oirschot's scenario D); every mistake is shown at its field in the page's language.
"""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import SOURCES, get_page, inventory_only_store, missing
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from sdgraph.build import init_store
from sdgraph.namespaces import SD
from sdgraph.pages import scenario_bouwen as bouw
from sdgraph.scenario import compare, link, load
from sdgraph.scenario.model import from_graph, scenario_from_doc, to_doc
from sdgraph.store import EmbeddedStore

ROOT = Path(__file__).resolve().parent.parent
OIRSCHOT = ROOT / "data" / "examples" / "oirschot" / "scenarios"
IDS = ["oirschot/a-subregio-de-kempen", "oirschot/b-subregio-veldhoven-best-oirschot",
       "oirschot/c-regio-zuidoost-brabant"]
KEMPEN = "https://identifier.overheid.nl/tooi/id/so/so0665"


@pytest.fixture(scope="module")
def example_store():
    """The Oirschot example without the baseline: the figures below are counted by hand from
    its inventory (scenarios over the baseline: test_baseline*.py, test_scenario_national.py)."""
    yield from inventory_only_store()


def field_errors(html: str) -> dict[str, str]:
    return {m.group(1): " ".join(html_lib.unescape(m.group(2)).split())
            for m in re.finditer(r'<p class="veldfout" id="fout-([\w-]+)"[^>]*>(.*?)</p>', html,
                                 re.S)}


def sc_of(response) -> str:
    """The link value of the scenario a builder step redirected to."""
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return parse_qs(urlsplit(response.headers["Location"]).query)["sc"][0]


def start(client, **values) -> str:
    params = {"gemeente": "Oirschot", "peildatum": "2024-07-01", "besluitdatum": "2024-10-01",
              "titel": "D. Eigen regie (gebouwd)", "auteur": "Test Adviseur", **values}
    return sc_of(client.get("/scenario/bouwen", query_string=params))


def add(client, sc: str, lang: str = "nl", **change) -> str:
    return sc_of(client.post(f"/scenario/bouwen?lang={lang}",
                             data={"sc": sc, "actie": "toevoegen", **change}))


def build_d(client) -> str:
    sc = start(client)
    sc = add(client, sc, soort="eigen-regie", van="so:so0665", partners=["GM0753"])
    return add(client, sc, soort="uittreding", betreft="so:so0665")


# --------------------------------------------------------------------------- building


def test_the_start_form_checks_each_field(client):
    page = get_page(client, "/scenario/bouwen")
    assert "Scenario bouwen" in page.text
    response = client.get("/scenario/bouwen", query_string={
        "gemeente": "Nergenshuizen", "peildatum": "2024-13-01", "besluitdatum": "2024-01-01",
        "lang": "nl"})
    assert response.status_code == 400
    assert field_errors(response.get_data(as_text=True)) == {
        "gemeente": "Geen gemeente gevonden voor 'Nergenshuizen'.",
        "peildatum": "Geen datum: 2024-13-01. Schrijf JJJJ-MM-DD, bijvoorbeeld 2024-07-01."}
    response = client.get("/scenario/bouwen", query_string={
        "gemeente": "GM9999", "peildatum": "2024-07-01", "besluitdatum": "2024-01-01",
        "lang": "en"})
    assert field_errors(response.get_data(as_text=True)) == {
        "gemeente": "No municipality with code GM9999 in the graph.",
        "besluitdatum": "The decision date lies before the reference date."}
    # what was typed stays in the form
    assert 'value="GM9999"' in response.get_data(as_text=True)


def test_a_gemeente_by_name_or_code_starts_a_scenario(client):
    for value in ("Oirschot", "oirschot", "GM0823", "gm0823"):
        doc = link.decode_doc(start(client, gemeente=value))
        assert doc["gemeente"] == "GM0823" and doc["peildatum"] == "2024-07-01"
        assert doc["auteur"] == "Test Adviseur" and doc["id"] == "d-eigen-regie-gebouwd"
        assert doc["wijzigingen"] == []


def test_the_choices_come_from_the_gemeentes_own_data(example_store):
    k = bouw.keuzes(example_store, None, "https://identifier.overheid.nl/tooi/id/gemeente/gm0823",
                    "2024-07-01")
    by_iri = {o.iri: o for o in k.opties}
    # its GR and regio's (members on the peildatum), who executes its taken, its partners
    assert by_iri[KEMPEN].groep == "lid" and by_iri[KEMPEN].soort == "gr"
    assert by_iri["https://identifier.overheid.nl/tooi/id/gemeente/gm0753"].groep == "gemeente"
    assert by_iri["https://identifier.overheid.nl/tooi/id/gemeente/gm0772"].soort == "gemeente"
    # the subregio it was a member of before (Veldhoven, Best, Oirschot, left 2016)
    vbo = by_iri["https://w3id.org/sdgraph/id/regio/wmo-subregio/veldhoven-best-oirschot"]
    assert vbo.groep == "andere"
    # the centrumgemeente regio for BW/MO is there to decentralise from
    assert any(o.iri.endswith("centrumgemeente-bw-mo/eindhoven") for o in k.centrumregios)
    # taken per wet and the five deelgebieden, as the vocabulary has them
    assert [w for w, _ in k.taken] == ["Jeugdwet", "Participatiewet", "Wmo 2015"]
    assert [slug for slug, _ in k.deelgebieden] == [
        "toegang", "backoffice", "visie-en-beleid", "inkoop", "governance"]


def test_scenario_d_built_with_forms_gives_the_numbers_of_the_yaml_file(client, example_store):
    sc = build_d(client)
    page = get_page(client, f"/scenario/bouwen?sc={sc}")
    assert [li for li in re.findall(r'<span class="wijziging-tekst">([^<]*)', page.html)] == [
        "Eigen regie: alle taken van Samenwerking Kempengemeenten naar Oirschot zelf, met "
        "partner Best", "Uittreding: geen lid meer van Samenwerking Kempengemeenten"]
    assert page.rows("tabel-impact-criteria")[0][2]["text"] == "51,9%"
    # compared with A-C, built D has the numbers of the bundled D compared with A-C
    compared = get_page(client, "/scenario/vergelijk?" + "&".join(f"s={i}" for i in IDS)
                        + f"&sc={sc}")
    built = compared.rows("tabel-criteria")
    bundled = compare(example_store, [s for f in sorted(OIRSCHOT.glob("*.yaml"))
                                      for s in load(f)])
    from sdgraph.i18n import format_number

    assert [r[0]["text"] for r in built][-1] == "D. Eigen regie (gebouwd)"
    assert [r[7]["text"] for r in built] == [format_number(t, "nl", 1) for t in bundled.totaal]
    assert [r[8]["text"] for r in built] == [str(bundled.rang(i)) for i in range(4)]
    json_url = next(h for h, _ in compared.links if h.startswith("/scenario/vergelijk.json"))
    doc = client.get(json_url).get_json()
    for mine, theirs in zip(doc["scenarios"], bundled.criteria, strict=True):
        assert {c: v["waarde"] for c, v in mine["criteria"].items()} == {
            c: k.waarde for c, k in theirs.items()}


def test_mistakes_in_a_change_are_shown_at_their_field(client):
    sc = start(client)
    cases = [
        ({"soort": ""}, {"soort": "Kies wat er verandert."}),
        ({"soort": "overdracht", "van": "so:so0665"},
         {"naar": "Kies naar wie de taken gaan voor een overdracht."}),
        ({"soort": "uittreding", "betreft": "GM0753"},
         {"betreft": "Oirschot is op 2024-07-01 geen lid van Best."}),
        ({"soort": "overdracht", "van": "so:so0665", "naar_anders": "so:so9999"},
         {"naar": "De graaf kent so:so9999 niet."}),
        ({"soort": "overdracht", "van": "so:so0665", "naar": "so:so0665"},
         {"naar": "Van en naar zijn dezelfde organisatie."}),
        ({"soort": "doordecentralisatie",
          "van": "sdid:regio/centrumgemeente-bw-mo/eindhoven", "budget": "veel"},
         {"budget": "Geen bedrag: veel. Schrijf een bedrag in euro per jaar, bijvoorbeeld "
                    "4.800.000."}),
        ({"soort": "eigen-regie", "taken": ["bestaat-niet"]},
         {"taken": "Kies taken uit de lijst."}),
    ]
    for change, expected in cases:
        response = client.post("/scenario/bouwen?lang=nl",
                               data={"sc": sc, "actie": "toevoegen", **change})
        assert response.status_code == 400, change
        assert field_errors(response.get_data(as_text=True)) == expected, change
    # in English too
    response = client.post("/scenario/bouwen?lang=en", data={
        "sc": sc, "actie": "toevoegen", "soort": "overdracht", "van": "so:so0665"})
    assert field_errors(response.get_data(as_text=True)) == {
        "naar": "Choose who the tasks go to for a transfer."}


def test_a_budget_is_read_in_the_pages_number_format(client):
    sc = start(client)
    for lang, typed in (("nl", "4.800.000"), ("en", "4,800,000"), ("nl", "€ 4.800.000,00")):
        new = add(client, sc, soort="doordecentralisatie",
                  van="sdid:regio/centrumgemeente-bw-mo/eindhoven", budget=typed, lang=lang)
        [change] = link.decode_doc(new)["wijzigingen"]
        assert change["budget"] == 4_800_000, (lang, typed)


def test_a_preview_shows_the_impact_of_the_change_being_typed(client):
    sc = start(client)
    response = client.post("/scenario/bouwen/voorbeeld?lang=nl", data={
        "sc": sc, "soort": "uittreding", "betreft": "so:so0665"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'data-voorbeeld="true"' in html
    assert "Voorbeeld: het scenario met de wijziging die u nu invult" in html
    assert "taakuitvoeringen eindigen zonder opvolger" in html
    # not complete: the fragment says what is missing, and shows no impact
    response = client.post("/scenario/bouwen/voorbeeld?lang=nl", data={
        "sc": sc, "soort": "overdracht"})
    assert response.status_code == 200  # incomplete is the normal state while typing
    assert "Nog niet compleet" in response.get_data(as_text=True)


def test_remove_and_edit_a_change(client):
    sc = build_d(client)
    response = client.post("/scenario/bouwen", data={"sc": sc, "actie": "verwijder", "nr": "2"})
    assert [c["soort"] for c in link.decode_doc(sc_of(response))["wijzigingen"]] == [
        "eigen-regie"]
    response = client.post("/scenario/bouwen", data={"sc": sc, "actie": "bewerk", "nr": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="eigen-regie" id="soort-eigen-regie" checked' in html  # back in the form
    assert re.search(r'value="GM0753" id="partner-\d+" checked', html)
    response = client.post("/scenario/bouwen", data={"sc": sc, "actie": "verwijder", "nr": "7"})
    assert "wijzigingen" in field_errors(response.get_data(as_text=True))


def test_the_link_is_checked_on_read(client):
    for bad in ("kapot", "1.AAAA", "1." + "A" * 20_000):
        response = client.get("/scenario/bouwen", query_string={"sc": bad})
        assert response.status_code == 400
        assert "sc" in field_errors(response.get_data(as_text=True)), bad
    # a link that inflates far beyond its size is refused before it is parsed
    import base64
    import zlib

    bomb = "1." + base64.urlsafe_b64encode(zlib.compress(b"[" + b" " * 5_000_000 + b"]", 9)
                                           ).decode().rstrip("=")
    assert len(bomb) < link.MAX_LINK
    response = client.get("/scenario/bouwen", query_string={"sc": bomb})
    assert response.status_code == 400
    # a link names only what a file may: an unknown organisation is refused by the engine
    doc = link.decode_doc(start(client))
    doc["wijzigingen"] = [{"soort": "uittreding", "betreft": "so:so9999"}]
    response = client.get("/scenario/bouwen", query_string={"sc": link.encode_doc(doc)})
    assert "so9999" in " ".join(field_errors(response.get_data(as_text=True)).values()) or \
        "so9999" in response.get_data(as_text=True)


# --------------------------------------------------------------------------- files and saving


def test_download_as_turtle_and_yaml_and_reopen(client, tmp_path):
    sc = build_d(client)
    response = client.get(f"/scenario/bestand.ttl?sc={sc}")
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    assert 'filename="d-eigen-regie-gebouwd.ttl"' in response.headers["Content-Disposition"]
    g = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    [node] = g.subjects(SD.gemeente, None)
    assert g.value(node, DCTERMS.creator) == Literal("Test Adviseur")
    assert g.value(node, DCTERMS.created) is not None
    assert g.value(node, PROV.wasGeneratedBy) == Literal("sdgraph scenariobouwer")
    [scenario] = from_graph(g)
    assert [w.soort for w in scenario.wijzigingen] == ["eigen-regie", "uittreding"]
    yaml_text = client.get(f"/scenario/bestand.yaml?sc={sc}").get_data(as_text=True)
    assert "soort: eigen-regie" in yaml_text and "auteur: Test Adviseur" in yaml_text
    # the files read back with the CLI's reader give the same scenario
    (tmp_path / "d.yaml").write_text(yaml_text, encoding="utf-8")
    assert to_doc(load(tmp_path / "d.yaml")[0]) == link.decode_doc(sc)
    # and reopen in the builder
    import io

    for name, body in (("d.ttl", response.get_data()), ("d.yaml", yaml_text.encode())):
        opened = client.post("/scenario/openen", data={"bestand": (io.BytesIO(body), name)},
                             content_type="multipart/form-data")
        assert [c["soort"] for c in link.decode_doc(sc_of(opened))["wijzigingen"]] == [
            "eigen-regie", "uittreding"], name
    bad = client.post("/scenario/openen?lang=nl",
                      data={"bestand": (io.BytesIO(b"<html>"), "d.pdf")},
                      content_type="multipart/form-data")
    assert field_errors(bad.get_data(as_text=True)) == {
        "bestand": "Een scenariobestand is een .ttl- of .yaml-bestand."}


@pytest.fixture
def admin_app():
    """The app over its own store (the scenario is written into it) with an admin token."""
    if SOURCES is None:
        missing("the Oirschot example's register facts come from ../shared/data/sources")
    from web import create_app

    store = EmbeddedStore(None)
    init_store(store, "oirschot", SOURCES)
    app = create_app(store=store, test_config={"TESTING": True, "ADMIN_TOKEN": "geheim"})
    yield app, store
    store.close()


def test_saving_in_the_store_needs_the_admin_token(admin_app):
    app, store = admin_app
    client = app.test_client()
    sc = build_d(client)
    page = client.get(f"/scenario/bouwen?sc={sc}").get_data(as_text=True)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    before = store.version()
    for token in ("", "fout", "gehéim"):
        response = client.post("/scenario/opslaan", data={"sc": sc, "token": token,
                                                          "csrf": csrf})
        assert response.status_code == 403
    # the right token from another site (no CSRF token of this session) is refused too
    response = client.post("/scenario/opslaan", data={"sc": sc, "token": "geheim"})
    assert response.status_code == 400
    assert store.version() == before
    response = client.post("/scenario/opslaan", data={"sc": sc, "token": "geheim",
                                                      "csrf": csrf})
    assert response.status_code == 200
    assert "opgeslagen/gm0823/d-eigen-regie-gebouwd" in response.get_data(as_text=True)
    graph = "https://w3id.org/sdgraph/graph/scenario/gm0823/d-eigen-regie-gebouwd"
    assert graph in store.named_graphs()
    # provenance like every load: who made it
    [info] = [g for g in store.graphs() if g.graph == graph]
    assert info.title == "D. Eigen regie (gebouwd)"
    # it is in the list now, and compares to the same numbers as its link
    page = get_page(client, "/scenario")
    assert "D. Eigen regie (gebouwd)" in page.column("tabel-scenarios", 1)
    stored = client.get("/scenario/vergelijk.json?s=oirschot/a-subregio-de-kempen"
                        "&s=opgeslagen/gm0823/d-eigen-regie-gebouwd").get_json()
    linked = client.get(f"/scenario/vergelijk.json?sc={sc}&s=oirschot/a-subregio-de-kempen"
                        ).get_json()

    def numbers(doc):
        return [{c: (v["waarde"], v["voor"], v["score"]) for c, v in s["criteria"].items()}
                for s in doc["scenarios"]]

    assert numbers(stored) == numbers(linked)


def test_stored_facts_are_text_not_facts_of_today(admin_app):
    """A scenario's facts (seats in a body that does not exist) stay out of the union graph."""
    app, store = admin_app
    doc = link.decode_doc(start(app.test_client()))
    doc["feiten"] = ('<https://example.org/bc> a sd:Bestuurscommissie ; '
                     'org:unitOf so:so0665 .')
    from sdgraph.scenario import opslag

    opslag.opslaan(store, scenario_from_doc(doc))
    found = store.select(
        "SELECT ?s WHERE { ?s a <https://w3id.org/sdgraph/def#Bestuurscommissie> }")
    assert URIRef("https://example.org/bc") not in [r[0] for r in found.rows]
    [scenario] = opslag.laden(store, "opgeslagen/gm0823/d-eigen-regie-gebouwd")
    assert (URIRef("https://example.org/bc"), URIRef("http://www.w3.org/ns/org#unitOf"),
            URIRef(KEMPEN)) in scenario.feiten


def test_saving_is_off_without_a_token(client):
    sc = start(client)
    client.get(f"/scenario/bouwen?sc={sc}")
    with client.session_transaction() as session:
        session["csrf"] = "c"
    response = client.post("/scenario/opslaan?lang=nl", data={"sc": sc, "token": "x",
                                                               "csrf": "c"})
    assert response.status_code == 403
    assert "Opslaan in de opslag staat uit" in response.get_data(as_text=True)
    assert "Beheerderstoken" not in client.get(f"/scenario/bouwen?sc={sc}").get_data(as_text=True)


# --------------------------------------------------------------------------- another gemeente


def test_a_scenario_for_another_gemeente_speaks_of_that_gemeente(client):
    """Oirschot's scenario D applied to Best: the change that names Oirschot's GR changes
    nothing for Best (not a member), and no text from the Oirschot file is shown."""
    page = get_page(client, "/scenario/vergelijk?s=oirschot/d-eigen-regie&gemeente=GM0753")
    assert "Geschreven voor GM0823, hier toegepast op Best" in page.text
    assert "Oirschot haalt alles" not in page.text  # the file's description
    assert "met Best als partner" not in page.text  # the file's label of the change
    assert "verandert niets voor Best" in page.text
    assert page.rows("tabel-criteria")[0][8]["text"] == "–"  # not ranked


# --------------------------------------------------------------------------- BW/MO template


@pytest.fixture(scope="module")
def bwmo_client():
    if SOURCES is None:
        missing("the example's register facts come from ../shared/data/sources")
    from web import create_app

    store = EmbeddedStore(None)
    init_store(store, "bw-mo-eindhoven", SOURCES)
    yield create_app(store=store, test_config={"TESTING": True}).test_client()
    store.close()


def test_the_doordecentralisatie_template_shows_budget_provisions_and_governance(bwmo_client):
    page = get_page(bwmo_client, "/scenario/doordecentralisatie")
    assert "Eindhoven" in page.html
    regio = "sdid:regio/centrumgemeente-bw-mo/eindhoven"
    page = get_page(bwmo_client, f"/scenario/doordecentralisatie?regio={regio}"
                                 "&peildatum=2025-03-01")
    rows = page.rows("tabel-budget")
    assert len(rows) == 15  # the fifteen gemeenten of the regio
    data = bwmo_client.get(f"/scenario/doordecentralisatie.json?regio={regio}"
                           "&peildatum=2025-03-01").get_json()
    # the illustrative 60,000,000 (2024) shared by 574,500 illustrative inwoners
    assert data["budget"]["totaal"] == 60_000_000 and not data["budget"]["echt"]
    shares = {m["naam"]: m["aandeel_na"] for m in data["leden"]}
    assert sum(shares.values()) == pytest.approx(60_000_000, abs=1)
    assert shares["Veldhoven"] == pytest.approx(60_000_000 * 46_000 / 574_500, abs=0.01)
    # the provisions: the centrumgemeente's raamovereenkomst for beschermd wonen
    assert any("Raamovereenkomst beschermd wonen" in r[0]["text"]
               for r in page.rows("tabel-contracten"))
    # governance: who must agree, and whether a GR spans them all
    assert "15 gemeenten moeten samen afspraken maken" in page.text
    # each member links to the builder with its doordecentralisatie filled in
    veldhoven = next(r for r in rows if r[0]["text"].startswith("Veldhoven"))
    [href] = veldhoven[6]["links"]
    doc = link.decode_doc(parse_qs(urlsplit(href).query)["sc"][0])
    assert doc["gemeente"] == "GM0861"
    assert doc["wijzigingen"] == [{"soort": "doordecentralisatie", "van": regio}]
